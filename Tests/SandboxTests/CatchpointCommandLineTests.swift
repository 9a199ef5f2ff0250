import Sandbox
import Testing

#if canImport(Foundation)
    import Foundation  // Process and Pipe live only in full Foundation; tests may afford it.

    /// The built `uptime-bridge-sandbox` beside the test bundle.
    private let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("uptime-bridge-sandbox").path

    @Suite("uptime-bridge-sandbox Catchpoint options")
    struct CatchpointCommandLineTests {
        @Test(
            "--catchpoint-client-id/-secret/-token-lifetime set what the token endpoint accepts and answers",
            .enabled(if: FileManager.default.isExecutableFile(atPath: executable))
        )
        func catchpointOptions() async throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "--port", "0", "--log-level", "warning", "--catchpoint-client-id", "cli-id",
                "--catchpoint-client-secret", "cli-secret", "--catchpoint-token-lifetime", "120",
                "--fault", "catchpoint_raw=status=503,count=1",
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            defer {
                if process.isRunning {
                    kill(process.processIdentifier, SIGTERM)
                    process.waitUntilExit()
                }
            }
            var line: [UInt8] = []
            while line.last != UInt8(ascii: "\n") {
                let chunk = output.fileHandleForReading.readData(ofLength: 1)
                if chunk.isEmpty { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            let port = try #require(Int(text.dropFirst("listening on http://127.0.0.1:".count).dropLast()))

            let form = "grant_type=client_credentials&client_id=cli-id&client_secret=cli-secret"
            let answer = try RawHTTPClient.send(
                port: port,
                method: "POST",
                target: "/ui/api/token",
                token: nil,
                body: Array(form.utf8)
            )
            #expect(answer.status == 200)
            let json = try answer.json()
            #expect(json["expires_in"] == .int(120))
            let token = try #require(json["access_token"]?.stringValue)
            let first = try RawHTTPClient.send(port: port, target: "/ui/api/v1/performance/raw?tests=1", token: token)
            #expect(first.status == 503, "the configured fault")
            let second = try RawHTTPClient.send(port: port, target: "/ui/api/v1/performance/raw?tests=1", token: token)
            #expect(second.status == 200)
        }
    }
#endif
