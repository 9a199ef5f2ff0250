import Sandbox
import Testing

#if canImport(Foundation)
    import Foundation  // Process and Pipe live only in full Foundation; tests may afford it.

    /// The built `uptime-bridge-sandbox` beside the test bundle.
    private let sandboxExecutable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("uptime-bridge-sandbox").path

    @Suite("uptime-bridge-sandbox --rate-limit and --max-body-bytes", .serialized)
    struct RateLimitCommandLineTests {
        /// Starts the executable with `arguments` (plus `--port 0`), returns it and its port.
        private func start(_ arguments: [String]) throws -> (Process, Int) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: sandboxExecutable)
            process.arguments =
                ["--port", "0", "--now", "2026-05-02T09:15:00.000Z", "--log-level", "warning"] + arguments
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            var line: [UInt8] = []
            while line.last != UInt8(ascii: "\n") {
                let chunk = output.fileHandleForReading.readData(ofLength: 1)
                if chunk.isEmpty { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            let prefix = "listening on http://127.0.0.1:"
            guard text.hasPrefix(prefix), let port = Int(text.dropFirst(prefix.count).dropLast()) else {
                process.terminate()
                throw RawHTTPClient.Failure(description: "no listening line: \(text)")
            }
            return (process, port)
        }

        @Test(
            "--rate-limit 2: the third request in a second is 429 'Rate limited'; the admin API shows and changes it",
            .enabled(if: FileManager.default.isExecutableFile(atPath: sandboxExecutable))
        )
        func rateLimitOption() async throws {
            let (process, port) = try start(["--rate-limit", "2"])
            defer { if process.isRunning { process.terminate() } }
            let limit = try RawHTTPClient.send(port: port, target: "/_sandbox/rate-limit", token: nil)
            #expect(try limit.json() == .object([("per_second", .int(2))]))
            var checked = false
            for _ in 0..<5 where !checked {
                _ = try RawHTTPClient.send(port: port, method: "POST", target: "/_sandbox/stats/reset", token: nil)
                try await alignToNextSecond()
                let statuses = try (0..<3).map { _ in
                    try RawHTTPClient.send(port: port, target: "/api/v2/monitors").status
                }
                let stats = try RawHTTPClient.send(port: port, target: "/_sandbox/stats", token: nil).json()
                guard stats["per_second"]?["seconds"]?.arrayValue?.count == 1 else { continue }
                #expect(statuses == [200, 200, 429])
                #expect(stats["per_second"]?["max_answered"] == .int(2))
                checked = true
            }
            #expect(checked, "every burst straddled a second boundary")
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }

        @Test(
            "--max-body-bytes: a Logs request above it is 413 'payload reached size limit', counted as too large",
            .enabled(if: FileManager.default.isExecutableFile(atPath: sandboxExecutable))
        )
        func maxBodyBytesOption() async throws {
            let (process, port) = try start(["--max-body-bytes", "2048"])
            defer { if process.isRunning { process.terminate() } }
            let small = Array("[{\"message\":\"fits\"}]".utf8)
            let large = Array(("[{\"message\":\"" + String(repeating: "x", count: 3000) + "\"}]").utf8)
            let token = SandboxConfiguration.defaultLogsToken
            #expect(
                try RawHTTPClient.send(port: port, method: "POST", target: "/", token: token, body: small).status == 202
            )
            let refused = try RawHTTPClient.send(port: port, method: "POST", target: "/", token: token, body: large)
            #expect(refused.status == 413 && refused.text == "payload reached size limit")
            let logs = try RawHTTPClient.send(port: port, target: "/_sandbox/logs", token: nil).json()
            #expect(logs["received"] == .int(1))
            #expect(logs["too_large"] == .int(1))
            #expect(logs["accepted"] == .int(1))
            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
        }

        @Test(
            "--help names the new options; bad values are refused",
            .enabled(if: FileManager.default.isExecutableFile(atPath: sandboxExecutable))
        )
        func helpAndValidation() throws {
            func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: sandboxExecutable)
                process.arguments = arguments
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = pipe
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return (process.terminationStatus, String(decoding: data, as: UTF8.self))
            }
            let help = try run(["--help"])
            #expect(help.status == 0)
            for needle in ["--rate-limit", "--max-body-bytes", "/_sandbox/rate-limit", "Rate limited"] {
                #expect(help.output.contains(needle), "\(needle) missing from --help")
            }
            #expect(try run(["--rate-limit", "-1"]).status != 0)
            #expect(try run(["--max-body-bytes", "0"]).status != 0)
        }
    }
#endif
