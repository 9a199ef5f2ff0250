import Foundation
import Synchronization
import Testing

/// nginx → uptime-bridge (spawn-fcgi, libfcgi) on loopback.
@Suite(.serialized)
struct NginxFastCGITests {
    @Test func healthAnswersThroughNginxWithAndWithoutTrailingSlash() async throws {
        try await withNginxStack { stack in
            for url in [stack.base + "/", stack.base] {
                let answer = try await HTTP.send("GET", url)
                #expect(answer.status == 200)
                #expect(answer.header("content-type") == "application/json")
                #expect(answer.object["status"] as? String == "ok")
                #expect(answer.object["version"] is String)
                #expect(answer.header("x-request-id") != nil)
            }
        }
    }

    @Test func badInputGetsJSONErrorsAndTheProcessKeepsServing() async throws {
        try await withNginxStack(bridgeEnvironment: ["UPTIME_BRIDGE_MAX_BODY_BYTES": "1000"]) { stack in
            let missing = try await HTTP.send("GET", stack.base + "/no-such-function")
            #expect(missing.status == 404)
            #expect(missing.object["error"] as? String == "no such endpoint")

            let wrongMethod = try await HTTP.send("POST", stack.base + "/", body: Array("{}".utf8))
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.header("allow") == "GET, HEAD")
            #expect(wrongMethod.object["error"] != nil)

            let refusedByNginx = try await HTTP.send("DELETE", stack.base + "/")
            #expect(refusedByNginx.status == 405)
            #expect(refusedByNginx.object["error"] != nil)

            let tooLarge = try await HTTP.send("POST", stack.base + "/_debug/echo", body: Array(repeating: 65, count: 2000))
            #expect(tooLarge.status == 413)
            #expect(tooLarge.object["limit_bytes"] as? Int == 1000)

            let tooLargeForNginx = try await HTTP.send(
                "POST",
                stack.base + "/_debug/echo",
                body: Array(repeating: 65, count: 2 << 20)
            )
            #expect(tooLargeForNginx.status == 413)
            #expect(tooLargeForNginx.object["error"] != nil)

            let fits = try await HTTP.send("POST", stack.base + "/_debug/echo", body: Array(repeating: 65, count: 1000))
            #expect(fits.object["bytes"] as? Int == 1000)

            let failing = try await HTTP.send("GET", stack.base + "/_debug/fail")
            #expect(failing.status == 500)
            #expect(failing.object["error"] as? String == "internal error")
            let requestID = try #require(failing.object["request_id"] as? String)
            #expect(!failing.body.contains("etc"))
            #expect(!failing.body.contains("InternalDetail"))
            // The details went to the FastCGI error stream, which nginx logs with the same request id.
            #expect(stack.nginxErrorLog.contains("FastCGI sent in stderr"))
            #expect(stack.nginxErrorLog.contains(requestID))

            let health = try await HTTP.send("GET", stack.base + "/")
            #expect(health.status == 200)
            #expect(stack.bridge.isRunning)
        }
    }

    @Test func slowRequestsDoNotBlockFastOnes() async throws {
        // Two accept threads and 64 slow requests: if a slow request held a thread, nothing else
        // could be served until they finish.
        try await withNginxStack(bridgeEnvironment: ["UPTIME_BRIDGE_THREADS": "2"]) { stack in
            let slowDone = Counter()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<64 {
                    // Distinct URLs: identical ones would wait on each other in nginx's cache lock.
                    group.addTask {
                        let answer = try await HTTP.send("GET", stack.base + "/_debug/sleep?ms=5000&n=\(index)")
                        #expect(answer.status == 200)
                        slowDone.increment()
                    }
                }
                try await Task.sleep(for: .milliseconds(500))
                for _ in 0..<100 {
                    let answer = try await HTTP.send("GET", stack.base + "/")
                    #expect(answer.status == 200)
                }
                // All fast requests were answered while every slow one was still in flight.
                #expect(slowDone.value == 0)
                try await group.waitForAll()
            }
            #expect(slowDone.value == 64)
        }
    }

    @Test func inFlightRequestFinishesAfterSIGTERMAndTheProcessExits() async throws {
        try await withNginxStack { stack in
            async let slow = HTTP.send("GET", stack.base + "/_debug/sleep?ms=1500")
            try await Task.sleep(for: .milliseconds(400))
            stack.bridge.signal(SIGTERM)
            let answer = try await slow
            #expect(answer.status == 200)
            #expect(answer.object["slept_ms"] as? Int == 1500)
            #expect(stack.bridge.waitForExit(seconds: 5))
            #expect(stack.bridge.log.contains("stopped"))
        }
    }
}

final class Counter: Sendable {
    private let storage = Atomic<Int>(0)
    func increment() { storage.add(1, ordering: .relaxed) }
    var value: Int { storage.load(ordering: .relaxed) }
}
