import Foundation
import Testing

/// `uptime-bridge check` on the shipped sample config against the sandbox, and on each broken setup.
@Suite(.serialized)
struct CheckCommandTests {
    struct Outcome {
        var status: Int32
        var output: String
    }

    static func check(_ arguments: [String], environment: [String: String], scratch: ScratchDirectory) throws -> Outcome {
        let log = scratch.file("check-\(UUID().uuidString).log")
        var env = ProcessInfo.processInfo.environment
        // The sample config names the token file; the environment must not override what is tested.
        for key in ["BETTERSTACK_API_TOKEN", "BetterStack_API_TOKEN", "BETTERSTACK_API_TOKEN_FILE", "UPTIME_BRIDGE_CONFIG"] {
            env[key] = nil
        }
        for (key, value) in environment { env[key] = value }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.bridge)
        process.arguments = ["check"] + arguments
        process.environment = env
        FileManager.default.createFile(atPath: log, contents: nil)
        let handle = FileHandle(forWritingAtPath: log)!
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: try String(contentsOfFile: log, encoding: .utf8))
    }

    /// The sample config with the token file and cache directory moved into the scratch folder.
    static func sampleConfig(_ scratch: ScratchDirectory, token: String) throws -> String {
        let sample = try String(
            contentsOf: Paths.root.appendingPathComponent("deploy/uptime-bridge.example.yaml"),
            encoding: .utf8
        )
        try token.write(toFile: scratch.file("betterstack.token"), atomically: true, encoding: .utf8)
        let config = sample.replacingOccurrences(of: "/etc/uptime-bridge/betterstack.token", with: scratch.file("betterstack.token"))
            .replacingOccurrences(of: "/var/cache/uptime-bridge", with: scratch.file("cache"))
        try config.write(toFile: scratch.file("config.yaml"), atomically: true, encoding: .utf8)
        return scratch.file("config.yaml")
    }

    @Test func sampleConfigPassesAndEachBrokenSetupFailsWithALineNamingTheProblem() async throws {
        let scratch = try ScratchDirectory("check")
        defer { scratch.cleanup() }
        let sandboxPort = try freePort()
        let sandbox = try ManagedProcess(
            "uptime-bridge-sandbox",
            executable: Paths.sandbox,
            arguments: ["--port", "\(sandboxPort)"],
            logPath: scratch.file("sandbox.log")
        )
        defer { sandbox.stop() }
        try await HTTP.waitUntilUp("http://127.0.0.1:\(sandboxPort)/_sandbox/health", process: sandbox)
        let sandboxURL = ["BETTERSTACK_API_URL": "http://127.0.0.1:\(sandboxPort)"]

        let good = try Self.check(["--config", try Self.sampleConfig(scratch, token: "sandbox-token")], environment: sandboxURL, scratch: scratch)
        #expect(good.status == 0, "\(good.output)")
        #expect(good.output.contains("configuration test is successful"))
        #expect(!good.output.contains("sandbox-token"))

        let config = try Self.sampleConfig(scratch, token: "sandbox-token")
        var noToken = try String(contentsOfFile: config, encoding: .utf8)
        noToken = noToken.replacingOccurrences(of: "  api_token_file:", with: "  # api_token_file:")
        try noToken.write(toFile: scratch.file("no-token.yaml"), atomically: true, encoding: .utf8)
        let unknownKey = (try String(contentsOfFile: config, encoding: .utf8)) + "\nserver_extra:\n  treads: 2\n"
        try unknownKey.write(toFile: scratch.file("unknown.yaml"), atomically: true, encoding: .utf8)
        try "not a directory".write(toFile: scratch.file("plain-file"), atomically: true, encoding: .utf8)

        let cases: [(String, [String], [String: String], String)] = [
            ("missing token", ["--config", scratch.file("no-token.yaml")], sandboxURL, "no API token"),
            ("wrong token", ["--config", try Self.sampleConfig(scratch, token: "wrong-token")], sandboxURL, "refused the API token"),
            ("unreachable upstream", ["--config", config], ["BETTERSTACK_API_URL": "http://127.0.0.1:\(try freePort())"], "unreachable upstream"),
            ("unknown key", ["--config", scratch.file("unknown.yaml")], sandboxURL, "unknown key server_extra"),
            (
                "unwritable cache directory", ["--config", config],
                sandboxURL.merging(["UPTIME_BRIDGE_CACHE_DIR": scratch.file("plain-file/cache")]) { $1 }, "cache directory"
            ),
            // What serve itself would refuse (the same composition), with the rest of the setup fine.
            (
                "public socket without access control", ["--config", config],
                sandboxURL.merging(["UPTIME_BRIDGE_SOCKET": "0.0.0.0:9"]) { $1 },
                "serve would refuse: listening on 0.0.0.0:9 without access control"
            ),
        ]
        for (name, arguments, environment, expected) in cases {
            let outcome = try Self.check(arguments, environment: environment, scratch: scratch)
            #expect(outcome.status != 0, "\(name): \(outcome.output)")
            let problems = outcome.output.split(separator: "\n").filter { $0.hasPrefix("problem:") }
            #expect(problems.contains { $0.contains(expected) }, "\(name): \(outcome.output)")
            #expect(!outcome.output.contains("wrong-token"), "\(name)")
        }
    }
    @Test func everyConfiguredUpstreamGetsOneLineAndEachFailureIsNamed() async throws {
        let scratch = try ScratchDirectory("check-upstreams")
        defer { scratch.cleanup() }
        let port = try freePort()
        let sandbox = try ManagedProcess(
            "uptime-bridge-sandbox",
            executable: Paths.sandbox,
            arguments: ["--port", "\(port)"],
            logPath: scratch.file("sandbox.log")
        )
        defer { sandbox.stop() }
        try await HTTP.waitUntilUp("http://127.0.0.1:\(port)/_sandbox/health", process: sandbox)
        let dead = try freePort()
        let base = "http://127.0.0.1:\(port)"

        func config(pages: [String: String], logsToken: String, receiver: String, catchpointSecret: String) throws -> String {
            var yaml = try String(contentsOfFile: try Self.sampleConfig(scratch, token: "sandbox-token"), encoding: .utf8)
            var pageLines = "statuspage:\n  pages:\n"
            for (name, url) in pages.sorted(by: { $0.key < $1.key }) { pageLines += "    \(name): \(url)\n" }
            yaml = yaml.replacingOccurrences(of: "statuspage:\n", with: pageLines)
            yaml += "\n"
            yaml += "logs:\n  ingest_url: \(base)\n  source_token: \(logsToken)\n"
            yaml += "push:\n  opentsdb_url: \(receiver)\n  checkpoint_file: \(scratch.file("checkpoint.json"))\n"
            yaml += "catchpoint:\n  api_url: \(base)\n  client_id: sandbox-catchpoint-client\n  client_secret: \(catchpointSecret)\n  tests: [1, 2]\n"
            let path = scratch.file("upstreams-\(UUID().uuidString).yaml")
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let environment = ["BETTERSTACK_API_URL": base]

        let good = try Self.check(
            ["--config", try config(
                pages: ["Discord": "\(base)/statuspage/discord"], logsToken: "sandbox-logs-token",
                receiver: base, catchpointSecret: "sandbox-catchpoint-secret"
            )],
            environment: environment,
            scratch: scratch
        )
        #expect(good.status == 0, "\(good.output)")
        for expected in [
            "ok: statuspage: Discord", "ok: logs: Better Stack Logs ingest", "ok: push: OpenTSDB receiver",
            "ok: push: Catchpoint", "ok: betterstack:",
        ] {
            #expect(good.output.contains(expected), "\(expected): \(good.output)")
        }

        let bad = try Self.check(
            ["--config", try config(
                pages: ["Discord": "\(base)/statuspage/discord", "Gone": "http://127.0.0.1:\(dead)"],
                logsToken: "wrong-logs-token", receiver: "http://127.0.0.1:\(dead)", catchpointSecret: "wrong-catchpoint-secret"
            )],
            environment: environment,
            scratch: scratch
        )
        #expect(bad.status != 0)
        let problems = bad.output.split(separator: "\n").filter { $0.hasPrefix("problem:") }
        for expected in ["statuspage: Gone", "logs: Better Stack Logs ingest", "OpenTSDB receiver", "push: Catchpoint"] {
            #expect(problems.contains { $0.contains(expected) }, "\(expected): \(bad.output)")
        }
        #expect(bad.output.contains("ok: statuspage: Discord"), "the good page is still checked")
        for secret in ["wrong-logs-token", "wrong-catchpoint-secret", "sandbox-logs-token", "sandbox-catchpoint-secret"] {
            #expect(!bad.output.contains(secret) && !good.output.contains(secret), "\(secret) leaked")
        }
    }
}
