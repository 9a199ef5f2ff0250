import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The shipped binary under the system call filter and `MemoryDenyWriteExecute=` of
/// `deploy/systemd/uptime-bridge.service`, installed as systemd 252 installs them (seccomp) by
/// `Tests/Tools/systemd_exec_filter.py`, since these tests cannot start units. If a dependency ever
/// needs writable executable memory or a system call outside `@system-service`, these fail.
@Suite(.serialized)
struct HardeningTests {
    static let tool = Paths.root.appendingPathComponent("Tests/Tools/systemd_exec_filter.py").path
    static let unit = Paths.root.appendingPathComponent("deploy/systemd/uptime-bridge.service").path

    static func python() throws -> String {
        guard let python = Paths.tool("python3") else {
            throw HarnessError("python3 is required (deploy/test.sh installs it)")
        }
        return python
    }

    /// The filter really is in force: what the unit forbids fails with EPERM.
    @Test func theEmulatedFilterRefusesWhatTheUnitForbids() throws {
        let script = """
            import mmap, os
            for name, attempt in [
                ("wx", lambda: mmap.mmap(-1, 4096, prot=mmap.PROT_WRITE | mmap.PROT_EXEC)),
                ("setuid", lambda: os.setuid(65534)),
                ("affinity", lambda: os.sched_setaffinity(0, {0})),
            ]:
                try:
                    attempt()
                    print(name, "allowed")
                except PermissionError:
                    print(name, "refused")
            """
        let result = try capture(try Self.python(), [Self.tool, Self.unit, "--", try Self.python(), "-c", script])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("wx refused"), "\(result.output)")
        #expect(result.output.contains("setuid refused"), "\(result.output)")
        #expect(result.output.contains("affinity refused"), "\(result.output)")
    }

    @Test func servesFastCGIAndStopsUnderTheServiceFilter() async throws {
        let binary = try StaticBinary.get()
        let sandbox = try await SharedHostingTests.Sandbox()
        defer { sandbox.stop() }
        let scratch = try ScratchDirectory("hardening")
        defer { scratch.cleanup() }
        try "server:\n  log_level: info\n".write(toFile: scratch.file("config.yaml"), atomically: true, encoding: .utf8)
        let path = scratch.file("fcgi.sock")
        let listener = try FastCGIClient.listen(path)
        defer { close(listener) }
        let bridge = try ManagedProcess(
            "uptime-bridge (filtered)",
            executable: try Self.python(),
            arguments: [Self.tool, Self.unit, "--", binary, "serve"],
            environment: [
                "UPTIME_BRIDGE_CONFIG": scratch.file("config.yaml"), "BETTERSTACK_API_URL": sandbox.url,
                "BETTERSTACK_API_TOKEN": "sandbox-token",
            ],
            logPath: scratch.file("bridge.log"),
            standardInput: FileHandle(fileDescriptor: listener, closeOnDealloc: false)
        )
        defer { bridge.stop() }

        let health = try await FastCGIClient.request(socket: path)
        #expect(health.status == 200, "\(health.stdout)\n\(bridge.log)")
        // An upstream call: NIO event loops, sockets, timers and TLS-capable client under the filter.
        let times = try await FastCGIClient.request(socket: path, "/response_time?url=https://example.com/")
        #expect(times.status == 200, "\(times.stdout.prefix(400))\n\(bridge.log)")
        #expect(times.body.hasPrefix("[{\"timestamp\""), "\(times.body.prefix(200))")
        bridge.signal(SIGTERM)
        try #require(bridge.waitForExit(seconds: 5), "did not stop:\n\(bridge.log)")
        #expect(bridge.process.terminationStatus == 0, "\(bridge.log)")
        #expect(!bridge.log.contains("Operation not permitted"), "\(bridge.log)")
    }

    @Test func servesCGIWithItsFileCacheUnderTheServiceFilter() async throws {
        let binary = try StaticBinary.get()
        let sandbox = try await SharedHostingTests.Sandbox()
        defer { sandbox.stop() }
        let scratch = try ScratchDirectory("hardening-cgi")
        defer { scratch.cleanup() }
        var environment = [
            "GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET", "PATH_INFO": "/response_time",
            "QUERY_STRING": "url=https://example.com/", "SERVER_PROTOCOL": "HTTP/1.1",
            "BETTERSTACK_API_URL": sandbox.url,
            "BETTERSTACK_API_TOKEN": "sandbox-token", "UPTIME_BRIDGE_CACHE_DIR": scratch.file("cache"),
            "UPTIME_BRIDGE_CONFIG": scratch.file("config.yaml"), "PATH": "/usr/bin:/bin",
        ]
        try "server:\n  log_level: info\n".write(toFile: scratch.file("config.yaml"), atomically: true, encoding: .utf8)
        let command = [Self.tool, Self.unit, "--", binary]
        let first = try capture(try Self.python(), command, environment: environment)
        #expect(first.status == 0 && first.output.hasPrefix("Status: 200 OK"), "\(first.output.prefix(400))")
        #expect(first.output.contains("X-Uptime-Bridge-Cache: miss"))
        let second = try capture(try Self.python(), command, environment: environment)
        #expect(second.output.contains("X-Uptime-Bridge-Cache: hit"), "\(second.output.prefix(400))")
        environment["PATH_INFO"] = "/"
        let health = try capture(try Self.python(), command, environment: environment)
        #expect(health.output.hasPrefix("Status: 200 OK"), "\(health.output.prefix(400))")
    }
}
