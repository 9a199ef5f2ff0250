import Sandbox
import Testing

#if canImport(Foundation)
    import Foundation  // Process and Pipe live only in full Foundation; tests may afford it.

    /// The built `uptime-bridge-sandbox` beside the test bundle (SwiftPM builds it with the tests).
    private let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("uptime-bridge-sandbox").path

    @Suite("uptime-bridge-sandbox executable")
    struct CommandLineTests {
        @Test(
            "--port 0 prints one 'listening on' line, serves, and exits 0 on SIGTERM",
            .enabled(if: FileManager.default.isExecutableFile(atPath: executable))
        )
        func listensAndStops() async throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "--port", "0", "--monitors", "3", "--token", "t0k", "--now", "2026-05-02T09:15:00.000Z",
                "--fault", "sla=status=503", "--log-level", "warning",
            ]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            defer { if process.isRunning { process.terminate() } }

            // Read up to the first newline: the line must come on its own, without waiting for exit.
            var line: [UInt8] = []
            while line.last != UInt8(ascii: "\n") {
                let chunk = output.fileHandleForReading.readData(ofLength: 1)
                if chunk.isEmpty { break }
                line += chunk
            }
            let text = String(decoding: line, as: UTF8.self)
            let prefix = "listening on http://127.0.0.1:"
            #expect(text.hasPrefix(prefix) && text.hasSuffix("\n"), "\(text)")
            let port = try #require(Int(text.dropFirst(prefix.count).dropLast()))

            let monitors = try RawHTTPClient.send(port: port, target: "/api/v2/monitors", token: "t0k")
            #expect(monitors.status == 200)
            #expect(try monitors.json()["data"]?.arrayValue?.count == 3)
            #expect(try RawHTTPClient.send(port: port, target: "/api/v2/monitors").status == 401)
            #expect(
                try RawHTTPClient.send(port: port, target: "/api/v2/monitors/200001/sla", token: "t0k").status == 503
            )

            kill(process.processIdentifier, SIGTERM)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit)
            #expect(process.terminationStatus == 0)
            let rest = output.fileHandleForReading.readDataToEndOfFile()
            #expect(rest.isEmpty, "stdout carries only the one line")
        }
    }
#endif
