import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// nginx in front of uptime-bridge under spawn-fcgi, on a free loopback port, rendered from the
/// repository's own nginx files by `deploy/lib.sh`. Everything lives in one scratch folder and is
/// stopped by pid. `bridge` is the process spawn-fcgi executes: the master, with its workers as
/// children (``NginxStack/workerPIDs``).
final class NginxStack: @unchecked Sendable {
    let scratch: ScratchDirectory
    let port: Int
    let bridge: ManagedProcess
    let nginx: ManagedProcess
    /// The upstream sandbox, when the stack was started with one.
    let sandbox: ManagedProcess?
    let sandboxPort: Int?
    var sandboxURL: String { "http://127.0.0.1:\(sandboxPort ?? 0)" }
    var base: String { "http://127.0.0.1:\(port)/uptime" }
    var root: String { "http://127.0.0.1:\(port)" }
    var socketPath: String { scratch.file("fcgi.sock") }

    /// - Parameters:
    ///   - sandboxEnvironment: extra bridge environment that needs the sandbox's URL (and may write
    ///     files into the scratch folder), called once the sandbox is up.
    ///   - workers: `UPTIME_BRIDGE_WORKERS`. 1 by default: a master with one worker, so that tests
    ///     counting cache hits or requests see one process's numbers; 0 is a single process without
    ///     master; nil leaves it to the configuration (the machine's default without one).
    init(
        bridgeEnvironment: [String: String] = [:],
        sandboxArguments: [String]? = nil,
        sandboxEnvironment: ((_ sandboxURL: String, _ scratch: ScratchDirectory) throws -> [String: String])? = nil,
        workers: Int? = 1
    ) async throws {
        guard let spawn = Paths.tool("spawn-fcgi"), let nginxBinary = Paths.tool("nginx") else {
            throw HarnessError("spawn-fcgi and nginx are required (deploy/test.sh installs them)")
        }
        scratch = try ScratchDirectory("stack")
        port = try freePort()
        var env = ["UPTIME_BRIDGE_BASE_PATH": "/uptime", "UPTIME_BRIDGE_DEBUG_ROUTES": "1"]
        if let workers { env["UPTIME_BRIDGE_WORKERS"] = "\(workers)" }
        if let sandboxArguments {
            let sandboxPort = try freePort()
            let sandbox = try ManagedProcess(
                "uptime-bridge-sandbox",
                executable: Paths.sandbox,
                arguments: ["--port", "\(sandboxPort)"] + sandboxArguments,
                logPath: scratch.file("sandbox.log")
            )
            self.sandbox = sandbox
            self.sandboxPort = sandboxPort
            do {
                try await HTTP.waitUntilUp("http://127.0.0.1:\(sandboxPort)/_sandbox/health", process: sandbox)
            } catch {
                sandbox.stop()
                throw error
            }
            env["BETTERSTACK_API_URL"] = "http://127.0.0.1:\(sandboxPort)"
            env["BETTERSTACK_API_TOKEN"] = "sandbox-token"
            do {
                for (key, value) in try sandboxEnvironment?("http://127.0.0.1:\(sandboxPort)", scratch) ?? [:] {
                    env[key] = value
                }
            } catch {
                sandbox.stop()
                throw error
            }
        } else {
            sandbox = nil
            sandboxPort = nil
            // A token, so the bridge counts as configured (its health check is 200), and an
            // upstream nobody listens on: these stacks test the runtime, not data.
            env["BETTERSTACK_API_TOKEN"] = "unused-token"
            env["BETTERSTACK_API_URL"] = "http://127.0.0.1:9"
        }
        for (key, value) in bridgeEnvironment { env[key] = value }
        let socketPath = scratch.file("fcgi.sock")
        bridge = try ManagedProcess(
            "uptime-bridge",
            executable: spawn,
            arguments: ["-n", "-s", socketPath, "-M", "0660", "--", Paths.bridge],
            environment: env,
            logPath: scratch.file("bridge.log")
        )
        let status = try run(
            "/bin/bash",
            [Paths.root.appendingPathComponent("deploy/lib.sh").path, "render-nginx", scratch.path, "\(port)", socketPath]
        )
        guard status == 0 else {
            bridge.stop()
            sandbox?.stop()
            throw HarnessError("rendering the nginx config failed")
        }
        nginx = try ManagedProcess(
            "nginx",
            executable: nginxBinary,
            arguments: ["-c", scratch.file("nginx.conf"), "-p", scratch.path + "/"],
            logPath: scratch.file("nginx.out")
        )
        do {
            try await HTTP.waitUntilUp("\(root)/nginx-ok", process: nginx)
            try await waitForBridge()
        } catch {
            stop()
            throw error
        }
    }

    private func waitForBridge() async throws {
        for _ in 0..<300 {
            if !bridge.isRunning { throw HarnessError("uptime-bridge exited early:\n\(bridge.log)") }
            if let answer = try? await HTTP.send("GET", base + "/"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("uptime-bridge never answered through nginx:\n\(bridge.log)")
    }

    /// The master's workers: its children (none for a single process).
    var workerPIDs: [pid_t] { Processes.children(of: bridge.pid) }

    var nginxErrorLog: String { (try? String(contentsOfFile: scratch.file("nginx-error.log"), encoding: .utf8)) ?? "" }

    func stop() {
        nginx.stop()
        bridge.stop()
        sandbox?.stop()
        scratch.cleanup()
    }
}

/// Runs `body` with a fresh stack and always stops it.
func withNginxStack<T>(
    bridgeEnvironment: [String: String] = [:],
    sandboxArguments: [String]? = nil,
    sandboxEnvironment: ((_ sandboxURL: String, _ scratch: ScratchDirectory) throws -> [String: String])? = nil,
    workers: Int? = 1,
    _ body: (NginxStack) async throws -> T
) async throws -> T {
    let stack = try await NginxStack(
        bridgeEnvironment: bridgeEnvironment,
        sandboxArguments: sandboxArguments,
        sandboxEnvironment: sandboxEnvironment,
        workers: workers
    )
    defer { stack.stop() }
    return try await body(stack)
}
