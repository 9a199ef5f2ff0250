import Foundation
import Testing

/// The responder binding its own socket (`serve --socket`), and stopping on signals while idle.
@Suite(.serialized)
struct SignalTests {
    @Test(arguments: ["unix", "tcp"])
    func idleResponderExitsPromptlyOnSIGTERM(kind: String) async throws {
        let scratch = try ScratchDirectory("signal")
        defer { scratch.cleanup() }
        let address = kind == "unix" ? scratch.file("fcgi.sock") : "127.0.0.1:\(try freePort())"
        let bridge = try ManagedProcess(
            "uptime-bridge",
            executable: Paths.bridge,
            arguments: ["serve", "--socket", address],
            logPath: scratch.file("bridge.log")
        )
        defer { bridge.stop() }
        for _ in 0..<200 where !bridge.log.contains("serving FastCGI") {
            try await Task.sleep(for: .milliseconds(25))
        }
        #expect(bridge.log.contains("serving FastCGI"))
        if kind == "unix" {
            var info = stat()
            #expect(stat(address, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o660)
        }
        let started = Date()
        bridge.signal(SIGTERM)
        // The generous bound only catches a hang (libfcgi's own handler would never exit while idle);
        // the benchmark script reports the actual time.
        #expect(bridge.waitForExit(seconds: 5))
        print("idle \(kind) responder exited \(Int(Date().timeIntervalSince(started) * 1000)) ms after SIGTERM")
        #expect(bridge.process.terminationStatus == 0)
        if kind == "unix" { #expect(!FileManager.default.fileExists(atPath: address)) }
    }

    @Test func sigintStopsItToo() async throws {
        let scratch = try ScratchDirectory("sigint")
        defer { scratch.cleanup() }
        let bridge = try ManagedProcess(
            "uptime-bridge",
            executable: Paths.bridge,
            arguments: ["serve", "--socket", scratch.file("fcgi.sock")],
            logPath: scratch.file("bridge.log")
        )
        defer { bridge.stop() }
        for _ in 0..<200 where !bridge.log.contains("serving FastCGI") {
            try await Task.sleep(for: .milliseconds(25))
        }
        bridge.signal(SIGINT)
        #expect(bridge.waitForExit(seconds: 5))
    }

    @Test func unusableSocketAddressFailsWithAClearMessage() async throws {
        let scratch = try ScratchDirectory("badsock")
        defer { scratch.cleanup() }
        let bridge = try ManagedProcess(
            "uptime-bridge",
            executable: Paths.bridge,
            arguments: ["serve", "--socket", "/nonexistent-dir/x.sock"],
            logPath: scratch.file("bridge.log")
        )
        #expect(bridge.waitForExit(seconds: 5))
        #expect(bridge.process.terminationStatus != 0)
        #expect(bridge.log.contains("cannot listen"))
    }
}
