import Foundation
import Testing

/// The same binary as a plain CGI program under a real CGI server (lighttpd mod_cgi), routed by PATH_INFO.
@Suite(.serialized)
struct CGITests {
    final class Lighttpd: @unchecked Sendable {
        let scratch: ScratchDirectory
        let port: Int
        let server: ManagedProcess
        var script: String { "http://127.0.0.1:\(port)/cgi-bin/uptime-bridge.cgi" }

        init(environment: [String: String]) async throws {
            guard let lighttpd = Paths.tool("lighttpd") else {
                throw HarnessError("lighttpd is required (deploy/test.sh installs it)")
            }
            scratch = try ScratchDirectory("cgi")
            port = try freePort()
            try FileManager.default.createDirectory(atPath: scratch.file("www"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: scratch.file("cgi-bin"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: scratch.file("cgi-bin/uptime-bridge.cgi"),
                withDestinationPath: Paths.bridge
            )
            let setenv = environment.map { "\"\($0.key)\" => \"\($0.value)\"" }.joined(separator: ", ")
            let config = """
                server.document-root = "\(scratch.file("www"))"
                server.bind = "127.0.0.1"
                server.port = \(port)
                server.errorlog = "\(scratch.file("lighttpd-error.log"))"
                server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
                alias.url = ("/cgi-bin/" => "\(scratch.file("cgi-bin/"))")
                $HTTP["url"] =~ "^/cgi-bin/" { cgi.assign = ("" => "") }
                setenv.add-environment = (\(setenv))
                """
            try config.write(toFile: scratch.file("lighttpd.conf"), atomically: true, encoding: .utf8)
            server = try ManagedProcess(
                "lighttpd",
                executable: lighttpd,
                arguments: ["-D", "-f", scratch.file("lighttpd.conf")],
                logPath: scratch.file("lighttpd.out")
            )
            try await HTTP.waitUntilUp("http://127.0.0.1:\(port)/", process: server)
        }

        func stop() {
            // lighttpd lingers on open client connections after SIGTERM; its state is disposable.
            server.stop(grace: 0.5)
            scratch.cleanup()
        }
    }

    func withLighttpd(_ body: (Lighttpd) async throws -> Void) async throws {
        let server = try await Lighttpd(environment: [
            "UPTIME_BRIDGE_DEBUG_ROUTES": "1", "BETTERSTACK_API_TOKEN": "unused-token",
            "BETTERSTACK_API_URL": "http://127.0.0.1:9",
        ])
        defer { server.stop() }
        try await body(server)
    }

    @Test func healthAnswersWithAndWithoutPathInfo() async throws {
        try await withLighttpd { cgi in
            for url in [cgi.script, cgi.script + "/"] {
                let answer = try await HTTP.send("GET", url)
                #expect(answer.status == 200)
                #expect(answer.header("content-type") == "application/json")
                #expect(answer.object["status"] as? String == "ok")
            }
        }
    }

    @Test func routesByPathInfoAndAnswersErrorsAsJSON() async throws {
        try await withLighttpd { cgi in
            let missing = try await HTTP.send("GET", cgi.script + "/nope")
            #expect(missing.status == 404)
            #expect(missing.object["path"] as? String == "/nope")

            let wrongMethod = try await HTTP.send("POST", cgi.script + "/", body: Array("x".utf8))
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("allow") == "GET, HEAD")

            let echo = try await HTTP.send("POST", cgi.script + "/_debug/echo", body: Array(repeating: 1, count: 5000))
            #expect(echo.object["bytes"] as? Int == 5000)

            let failing = try await HTTP.send("GET", cgi.script + "/_debug/fail")
            #expect(failing.status == 500)
            #expect(failing.object["request_id"] is String)
        }
    }

    /// Nothing configured (no token, no config file: a suEXEC host that dropped `SetEnv`): the
    /// health check fails with the reason, so Grafana's "Save & test" fails too.
    @Test func healthFailsWhenNothingIsConfigured() async throws {
        let server = try await Lighttpd(environment: ["UPTIME_BRIDGE_DEBUG_ROUTES": "1"])
        defer { server.stop() }
        let answer = try await HTTP.send("GET", server.script + "/")
        #expect(answer.status == 503)
        #expect(answer.object["status"] as? String == "unavailable")
        let problems = answer.object["problems"] as? [String] ?? []
        #expect(problems.first?.contains("no configuration file was read") == true, "\(answer.body)")
        let data = try await HTTP.send("GET", server.script + "/monitors")
        #expect(data.status == 503)
        #expect((data.object["error"] as? String)?.contains("UPTIME_BRIDGE_CONFIG is not set") == true, "\(data.body)")
    }

    /// RFC 3875 §4.4: a query without `=` may be passed as command-line words; they must not be
    /// taken for subcommands or options.
    @Test func queryWithoutEqualsIsNotTakenForArguments() async throws {
        try await withLighttpd { cgi in
            for query in ["help", "--version", "serve+--socket+/tmp/x"] {
                let answer = try await HTTP.send("GET", cgi.script + "/?" + query)
                #expect(answer.status == 200)
                #expect(answer.object["status"] as? String == "ok")
            }
        }
    }
}
