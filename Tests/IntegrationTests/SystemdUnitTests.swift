import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `deploy/systemd/`: the units pass `systemd-analyze verify`, keep the deployment contract (socket,
/// hardening, credentials, push timer), and socket activation's restart cycle works with the binary.
@Suite(.serialized)
struct SystemdUnitTests {
    static let units = [
        "uptime-bridge.socket", "uptime-bridge.service", "uptime-bridge-push.service", "uptime-bridge-push.timer",
    ]
    static let unitDirectory = Paths.root.appendingPathComponent("deploy/systemd").path

    /// A unit file as [section: [(key, value)]], keys in order (systemd allows repeated keys).
    static func parse(_ path: String) throws -> [String: [(String, String)]] {
        var result: [String: [(String, String)]] = [:]
        var section = ""
        for raw in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { continue }
            result[section, default: []].append((String(line[..<eq]), String(line[line.index(after: eq)...])))
        }
        return result
    }

    /// Runs `systemd-analyze verify` on copies of `files` whose ExecStart binary is `binary` (verify
    /// insists that it exists). Returns its status and output.
    static func verify(_ files: [String], binary: String, binaryPlaceholder: String = "/usr/local/bin/uptime-bridge")
        throws -> (status: Int32, output: String)
    {
        guard let analyze = Paths.tool("systemd-analyze") else {
            throw HarnessError("systemd-analyze is not installed")
        }
        let scratch = try ScratchDirectory("verify")
        defer { scratch.cleanup() }
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
                of: binaryPlaceholder,
                with: binary
            )
            try text.write(
                toFile: scratch.file(URL(fileURLWithPath: file).lastPathComponent),
                atomically: true,
                encoding: .utf8
            )
        }
        let copies = files.map { scratch.file(URL(fileURLWithPath: $0).lastPathComponent) }
        return try capture(analyze, ["verify", "--man=no"] + copies, currentDirectory: scratch.path)
    }

    @Test(
        .enabled(
            if: Paths.tool("systemd-analyze") != nil,
            "systemd-analyze is not installed (deploy/test.sh installs systemd)"
        )
    )
    func unitsPassSystemdAnalyzeVerify() throws {
        // A control unit first: if even that fails, verify cannot run in this environment, which is
        // reported as such (and fails) instead of being blamed on our units.
        let control = try ScratchDirectory("verify-control")
        defer { control.cleanup() }
        try "[Service]\nType=oneshot\nExecStart=/bin/true\n".write(
            toFile: control.file("control.service"),
            atomically: true,
            encoding: .utf8
        )
        let baseline = try Self.verify([control.file("control.service")], binary: Paths.bridge)
        try #require(
            baseline.status == 0 && baseline.output.isEmpty,
            "systemd-analyze verify cannot run in this environment (a trivial unit fails too), so the units are unchecked: \(baseline.output)"
        )

        let files = Self.units.map { Self.unitDirectory + "/" + $0 }
        let result = try Self.verify(files, binary: Paths.bridge)
        // verify only warns (exit 0) about unknown keys or bad values: any output is a failure.
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.isEmpty, "systemd-analyze verify complained:\n\(result.output)")
    }

    @Test func unitsKeepTheDeploymentContract() throws {
        func values(_ unit: [String: [(String, String)]], _ section: String, _ key: String) -> [String] {
            (unit[section] ?? []).filter { $0.0 == key }.map(\.1)
        }
        let socket = try Self.parse(Self.unitDirectory + "/uptime-bridge.socket")
        let service = try Self.parse(Self.unitDirectory + "/uptime-bridge.service")
        let push = try Self.parse(Self.unitDirectory + "/uptime-bridge-push.service")
        let timer = try Self.parse(Self.unitDirectory + "/uptime-bridge-push.timer")

        // The socket nginx's upstream names, writable by the web server's group only.
        let nginx = try String(
            contentsOf: Paths.root.appendingPathComponent("nginx/uptime-bridge.conf"),
            encoding: .utf8
        )
        #expect(values(socket, "Socket", "ListenStream") == ["/run/uptime-bridge/fcgi.sock"])
        #expect(nginx.contains("server unix:/run/uptime-bridge/fcgi.sock;"))
        #expect(values(socket, "Socket", "SocketMode") == ["0660"])
        #expect(values(socket, "Socket", "SocketGroup") == ["www-data"])
        #expect(values(socket, "Socket", "Accept") == ["no"])
        #expect(values(socket, "Install", "WantedBy") == ["sockets.target"])

        // The listening socket on stdin; output not inherited from it.
        #expect(values(service, "Service", "ExecStart") == ["/usr/local/bin/uptime-bridge serve"])
        #expect(values(service, "Service", "StandardInput") == ["socket"])
        #expect(values(service, "Service", "StandardOutput") == ["journal"])
        #expect(values(service, "Service", "StandardError") == ["journal"])
        #expect(values(service, "Unit", "Requires") == ["uptime-bridge.socket"])
        // A RuntimeDirectory= would be removed, socket included, whenever the service stops.
        for unit in [service, push] { #expect(values(unit, "Service", "RuntimeDirectory").isEmpty) }
        // The responder drains for up to 10 s after SIGTERM; systemd must not kill it before.
        let stopTimeout = values(service, "Service", "TimeoutStopSec").first ?? ""
        #expect(
            Int(stopTimeout.replacingOccurrences(of: "s", with: "")).map { $0 > 10 } == true,
            "TimeoutStopSec=\(stopTimeout)"
        )
        // The master restarts crashed workers itself; systemd restarts the master whatever ended it.
        #expect(values(service, "Service", "Restart") == ["always"])
        #expect(
            values(service, "Service", "LoadCredential").contains(
                "betterstack.token:/etc/uptime-bridge/betterstack.token"
            )
        )
        #expect(values(service, "Service", "Environment").contains("BETTERSTACK_API_TOKEN_FILE=%d/betterstack.token"))
        #expect(
            values(service, "Service", "Environment").contains("UPTIME_BRIDGE_CONFIG=/etc/uptime-bridge/config.yaml")
        )

        for unit in [service, push] {
            for (key, value) in [
                ("DynamicUser", "yes"), ("NoNewPrivileges", "yes"), ("ProtectSystem", "strict"), ("ProtectHome", "yes"),
                ("PrivateTmp", "yes"), ("CapabilityBoundingSet", ""), ("MemoryDenyWriteExecute", "yes"),
                ("RestrictAddressFamilies", "AF_UNIX AF_INET AF_INET6"), ("SystemCallArchitectures", "native"),
            ] {
                #expect(values(unit, "Service", key) == [value], "\(key)")
            }
            #expect(values(unit, "Service", "SystemCallFilter") == ["@system-service", "~@privileged @resources"])
        }

        #expect(values(push, "Service", "Type") == ["oneshot"])
        #expect(values(push, "Service", "ExecStart") == ["/usr/local/bin/uptime-bridge push"])
        #expect(values(push, "Service", "StateDirectory") == ["uptime-bridge"])
        #expect(values(timer, "Timer", "OnCalendar") == ["*:0/15"])
        #expect(values(timer, "Timer", "Persistent") == ["true"])
        #expect(!values(timer, "Timer", "RandomizedDelaySec").isEmpty)
        #expect(values(timer, "Install", "WantedBy") == ["timers.target"])

        let cron = try String(
            contentsOf: Paths.root.appendingPathComponent("deploy/cron/uptime-bridge-push"),
            encoding: .utf8
        )
        let jobs = cron.split(separator: "\n").filter { $0.hasPrefix("*/15") }
        #expect(jobs.count == 1 && jobs[0].hasSuffix("/usr/local/bin/uptime-bridge push"), "\(jobs)")
    }

    /// What systemd does with `Accept=no` and `StandardInput=socket`: it keeps the listening socket,
    /// hands it to each new process as fd 0, and connections made while none runs wait in the backlog.
    /// A stopping responder must leave that socket usable (it must not `shutdown()` it).
    @Test func inheritedSocketSurvivesRestartsLikeSystemdSocketActivation() async throws {
        let scratch = try ScratchDirectory("activation")
        defer { scratch.cleanup() }
        let path = scratch.file("fcgi.sock")
        let listener = try FastCGIClient.listen(path)
        defer { close(listener) }
        let handle = FileHandle(fileDescriptor: listener, closeOnDealloc: false)
        try "server:\n  log_level: info\n".write(toFile: scratch.file("config.yaml"), atomically: true, encoding: .utf8)

        func start(_ n: Int) throws -> ManagedProcess {
            try ManagedProcess(
                "uptime-bridge-\(n)",
                executable: Paths.bridge,
                arguments: [],
                environment: [
                    "UPTIME_BRIDGE_CONFIG": scratch.file("config.yaml"), "BETTERSTACK_API_TOKEN": "unused-token",
                    "BETTERSTACK_API_URL": "http://127.0.0.1:9",
                ],
                logPath: scratch.file("bridge-\(n).log"),
                standardInput: handle
            )
        }

        let first = try start(1)
        defer { first.stop() }
        let answer = try await FastCGIClient.request(socket: path)
        #expect(answer.status == 200, "\(answer.stdout)\n\(first.log)")
        #expect(answer.body.contains("\"status\":\"ok\""))
        first.signal(SIGTERM)
        try #require(first.waitForExit(seconds: 5), "did not stop:\n\(first.log)")
        #expect(first.process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: path), "an inherited socket must not be unlinked")

        // A request while no responder runs waits in the backlog (it used to be refused: the stopping
        // responder had shut the shared socket down) and is answered by the next activation.
        async let queued = FastCGIClient.request(socket: path)
        try await Task.sleep(for: .milliseconds(200))
        let second = try start(2)
        defer { second.stop() }
        let late = try await queued
        #expect(late.status == 200, "\(late.stdout)\n\(second.log)")
        #expect(try await FastCGIClient.request(socket: path).status == 200)
        second.signal(SIGTERM)
        try #require(second.waitForExit(seconds: 5), "did not stop:\n\(second.log)")
        #expect(second.process.terminationStatus == 0)
    }
}
