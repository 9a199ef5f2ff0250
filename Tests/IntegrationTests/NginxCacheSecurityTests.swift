import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// nginx's micro-cache against access-control changes, and request ids, with real nginx in front of
/// the responder and the sandbox (the repository's nginx files, rendered by deploy/lib.sh).
@Suite(.serialized)
struct NginxCacheSecurityTests {
    /// Replaces the stack's responder with a new one (same socket, the stack's environment plus
    /// `environment`), as `systemctl restart` after a config change does. The caller stops it.
    static func restartBridge(_ stack: NginxStack, environment: [String: String]) async throws -> ManagedProcess {
        stack.bridge.stop()
        unlink(stack.socketPath)
        var env = [
            "UPTIME_BRIDGE_BASE_PATH": "/uptime", "UPTIME_BRIDGE_DEBUG_ROUTES": "1",
            "BETTERSTACK_API_URL": stack.sandboxURL, "BETTERSTACK_API_TOKEN": "sandbox-token",
        ]
        for (key, value) in environment { env[key] = value }
        let bridge = try ManagedProcess(
            "uptime-bridge (restarted)",
            executable: try #require(Paths.tool("spawn-fcgi")),
            arguments: ["-n", "-s", stack.socketPath, "-M", "0660", "--", Paths.bridge],
            environment: env,
            logPath: stack.scratch.file("bridge-restarted.log")
        )
        // Up when a request with credentials (never cached, so it reaches the responder) is answered.
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            if !bridge.isRunning { throw HarnessError("restarted bridge exited:\n\(bridge.log)") }
            let answer = try? await HTTP.send("GET", stack.base + "/", headers: [("Authorization", "Bearer s3cret")])
            if answer?.status == 200 || answer?.status == 401 { return bridge }
            try await Task.sleep(for: .milliseconds(100))
        }
        bridge.stop()
        throw HarnessError("restarted bridge never answered:\n\(bridge.log)")
    }

    static func maxAge(_ answer: HTTPAnswer) -> Int? {
        guard let header = answer.header("cache-control"), let range = header.range(of: "max-age=") else { return nil }
        return Int(header[range.upperBound...].prefix { $0.isNumber })
    }

    /// Caches `url`'s public 200 in nginx, restarts the responder with `environment`, then asks
    /// without credentials until the answer is `expected`: that must happen before the cached
    /// answer's max-age has run out (plus a little slack), and stay so.
    static func changeReachesClientsWithinTTL(
        url: String,
        restartWith environment: [String: String],
        expected: Int
    ) async throws {
        try await withNginxStack(sandboxArguments: []) { stack in
            let target = stack.base + url
            let cachedAt = Date()
            let first = try await HTTP.send("GET", target)
            #expect(first.status == 200, "\(first.body)")
            let ttl = try #require(maxAge(first), "\(first.headers)")
            #expect(ttl > 0 && ttl <= 60)
            let hit = try await HTTP.send("GET", target)
            #expect(hit.status == 200 && hit.header("x-cache-status") == "HIT", "\(hit.headers)")

            let bridge = try await restartBridge(stack, environment: environment)
            defer { bridge.stop() }
            // Still the micro-cache's answer until the max-age runs out…
            let during = try await HTTP.send("GET", target)
            #expect(during.status == 200 && during.header("x-cache-status") == "HIT", "\(during.headers)")

            // …and the new setting for every client after it, at the latest.
            let deadline = cachedAt.addingTimeInterval(Double(ttl) + 3)
            var answer = during
            var statuses: [String] = []
            while Date() < deadline {
                answer = try await HTTP.send("GET", target)
                statuses.append("\(answer.status) \(answer.header("x-cache-status") ?? "-")")
                if answer.status == expected { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(
                answer.status == expected,
                "still \(answer.status) \(ttl + 3) s after caching; seen: \(statuses.suffix(6))"
            )
            // Never the old answer again, whoever asks (no stale 200 behind a refused refresh).
            for _ in 0..<5 {
                let again = try await HTTP.send("GET", target)
                #expect(again.status == expected, "\(again.status) \(again.header("x-cache-status") ?? "-")")
                try await Task.sleep(for: .milliseconds(300))
            }
        }
    }

    @Test func accessControlAndAllowlistChangesReachEveryClientWithinTheCacheTTL() async throws {
        // The two cases wait for the same max-age; run side by side on their own stacks.
        async let tokenOn: Void = Self.changeReachesClientsWithinTTL(
            url: "/monitors",
            restartWith: ["UPTIME_BRIDGE_ACCESS_TOKEN": "s3cret"],
            expected: 401
        )
        async let allowlistShrunk: Void = Self.changeReachesClientsWithinTTL(
            url: "/response_time?monitor_id=200002",
            restartWith: ["UPTIME_BRIDGE_ALLOWED_MONITORS": "200001"],
            expected: 404
        )
        try await tokenOn
        try await allowlistShrunk
    }

    @Test func everyAnswerCarriesNginxsOwnRequestIdAndTheClientsGoesToTheAccessLogOnly() async throws {
        try await withNginxStack(sandboxArguments: []) { stack in
            func isNginxID(_ id: String?) -> Bool {
                guard let id else { return false }
                return id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase }
            }
            // A cacheable answer: the second client gets it from the cache, with its own id.
            let a = try await HTTP.send("GET", stack.base + "/monitors", headers: [("X-Request-Id", "client-a")])
            let b = try await HTTP.send("GET", stack.base + "/monitors", headers: [("X-Request-Id", "client-b")])
            #expect(a.status == 200 && b.status == 200)
            #expect(b.header("x-cache-status") == "HIT", "\(b.headers)")
            let idA = a.header("x-request-id")
            let idB = b.header("x-request-id")
            #expect(isNginxID(idA) && isNginxID(idB), "\(String(describing: idA)) \(String(describing: idB))")
            #expect(idA != idB, "the cache replayed the first caller's id")
            #expect(a.headers.filter { $0.0.lowercased() == "x-request-id" }.count == 1, "\(a.headers)")

            // What the responder used: an error answer (no-store, so straight from the responder)
            // names its request id in the body, and its log lines (in nginx's error log) carry it.
            let failing = try await HTTP.send("GET", stack.base + "/_debug/fail", headers: [("X-Request-Id", "client-c")])
            #expect(failing.status == 500)
            let seen = try #require(failing.object["request_id"] as? String, "\(failing.body)")
            #expect(seen == failing.header("x-request-id"), "responder saw \(seen)")
            #expect(isNginxID(seen), "responder saw \(seen)")
            #expect(stack.nginxErrorLog.contains(seen))
            #expect(!stack.nginxErrorLog.contains("client-c"))
            let missing = try await HTTP.send("GET", stack.base + "/nope", headers: [("X-Request-Id", "client-d")])
            #expect(missing.status == 404 && missing.object["request_id"] as? String == missing.header("x-request-id"))
            #expect(!missing.body.contains("client-d"))

            // nginx's own refusals carry an id too.
            let refused = try await HTTP.send("DELETE", stack.base + "/", headers: [("X-Request-Id", "client-e")])
            #expect(refused.status == 405 && isNginxID(refused.header("x-request-id")), "\(refused.headers)")

            // The clients' ids are in the access log, next to nginx's (buffered: flushed within 1 s).
            let accessLog = stack.scratch.file("access.log")
            var log = ""
            for _ in 0..<50 {
                log = (try? String(contentsOfFile: accessLog, encoding: .utf8)) ?? ""
                if log.contains("client-e") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(log.contains("request_id=\(idA ?? "?") client_request_id=\"client-a\""), "\(log)")
            #expect(log.contains("request_id=\(idB ?? "?") client_request_id=\"client-b\""), "\(log)")
            #expect(log.contains("request_id=\(seen) client_request_id=\"client-c\""), "\(log)")
            #expect(log.contains("request_id=\(refused.header("x-request-id") ?? "?") client_request_id=\"client-e\""), "\(log)")
        }
    }
}
