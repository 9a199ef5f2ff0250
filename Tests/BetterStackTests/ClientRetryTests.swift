import BetterStack
import Testing

@Suite("Client retries and backoff")
struct ClientRetryTests {
    @Test("429 with Retry-After waits that long, then succeeds")
    func retryAfterHonoured() async throws {
        let outcome = try await Scenarios.rateLimitedThenSuccess(retryAfter: "2")
        #expect(outcome.error == nil)
        #expect(outcome.value == "99.98")
        #expect(outcome.requests.count == 2)
        #expect(outcome.waits == [.seconds(2)])
    }

    @Test("A Retry-After longer than the cap is shortened to the cap")
    func retryAfterCapped() async throws {
        let outcome = try await Scenarios.rateLimitedThenSuccess(retryAfter: "3600")
        #expect(outcome.value == "99.98")
        #expect(outcome.waits == [RetryPolicy.betterStack.retryAfterCap])
        #expect(RetryPolicy.betterStack.retryAfterCap == .seconds(30))
    }

    @Test("A Retry-After HTTP-date is honoured")
    func retryAfterDate() async throws {
        // A date far in the future: the wait is the cap; a date in the past: no wait.
        let future = try ClientHarness([
            .json(429, "", headers: ["Retry-After": "Fri, 01 Jan 2100 00:00:00 GMT"]),
            .bytes(200, try Fixtures.bytes("sla.json")),
        ])
        let futureOutcome = await future.run { client in String(try await client.sla(monitorID: "1").availability ?? 0)
        }
        #expect(futureOutcome.waits == [.seconds(30)])

        let past = try ClientHarness([
            .json(429, "", headers: ["Retry-After": "Sun, 06 Nov 1994 08:49:37 GMT"]),
            .bytes(200, try Fixtures.bytes("sla.json")),
        ])
        let pastOutcome = await past.run { client in String(try await client.sla(monitorID: "1").availability ?? 0) }
        #expect(pastOutcome.waits == [.zero])
        #expect(pastOutcome.value == "99.98")
    }

    @Test("429 without Retry-After backs off exponentially within jitter bounds")
    func rateLimitBackoff() async throws {
        let policy = RetryPolicy.betterStack.with(maxAttempts: 4).backingOff(base: .milliseconds(100), cap: .milliseconds(300))
        let harness = try ClientHarness(
            [.json(429, ""), .json(429, ""), .json(429, ""), .bytes(200, try Fixtures.bytes("sla.json"))],
            retryPolicy: policy
        )
        let outcome = await harness.run { client in String(try await client.sla(monitorID: "1").availability ?? 0) }
        #expect(outcome.value == "99.98")
        #expect(outcome.waits.count == 3)
        let bounds: [(Duration, Duration)] = [
            (.milliseconds(50), .milliseconds(100)),
            (.milliseconds(100), .milliseconds(200)),
            (.milliseconds(150), .milliseconds(300)),
        ]
        for (wait, bound) in zip(outcome.waits, bounds) {
            #expect(wait >= bound.0 && wait <= bound.1, "wait \(wait) outside \(bound)")
        }
    }

    @Test("429 on every attempt ends in .rateLimited with the last Retry-After")
    func rateLimitExhausted() async throws {
        let outcome = try await Scenarios.rateLimitedExhausted()
        #expect(outcome.error == .rateLimited(retryAfter: .seconds(1)))
        #expect(outcome.requests.count == 3)
        #expect(outcome.waits == [.seconds(1), .seconds(1)])
    }

    @Test("5xx is retried, then succeeds")
    func serverErrorRecovers() async throws {
        let outcome = try await Scenarios.serverErrorThenSuccess()
        #expect(outcome.error == nil)
        #expect(outcome.value == "2")
        #expect(outcome.requests.count == 3)
        #expect(outcome.waits.count == 2)
    }

    @Test("5xx on every attempt ends in .upstreamStatus with the message")
    func serverErrorExhausted() async throws {
        let outcome = try await Scenarios.serverErrorExhausted()
        #expect(outcome.error == .upstreamStatus(500, "Internal error"))
        #expect(outcome.requests.count == 3)
    }

    @Test("Timeouts are retried and end in .timeout")
    func timeout() async throws {
        let outcome = try await Scenarios.timeoutExhausted()
        #expect(outcome.error == .timeout)
        #expect(outcome.requests.count == 3)
        #expect(outcome.waits.count == 2)
        #expect(outcome.events.map(\.outcomeLabel) == ["timeout", "timeout", "timeout"])
    }

    @Test("Connection reset and refused are retried")
    func resetRecovers() async throws {
        let outcome = try await Scenarios.resetThenSuccess()
        #expect(outcome.value == "123456789")
        #expect(outcome.events.map(\.outcomeLabel) == ["connection_reset", "connection_failed", "200"])
    }

    @Test("Connection failures on every attempt end in .transport")
    func transportExhausted() async throws {
        let harness = try ClientHarness([.failure(.connectionFailed("Connection refused"))])
        let outcome = await harness.run { client in try await client.monitors().description }
        #expect(outcome.error == .transport("connection failed: Connection refused"))
        #expect(outcome.requests.count == 3)
    }

    @Test("A single-attempt policy does not retry")
    func noRetries() async throws {
        let harness = try ClientHarness([.failure(.timeout)], retryPolicy: .none)
        let outcome = await harness.run { client in try await client.monitors().description }
        #expect(outcome.error == .timeout)
        #expect(outcome.requests.count == 1)
        #expect(outcome.waits.isEmpty)
    }

    @Test("Cancellation stops retrying")
    func cancellation() async throws {
        let harness = try ClientHarness([.failure(.timeout)])
        let task = Task {
            await harness.run { client in
                withUnsafeCurrentTask { $0?.cancel() }
                return try await client.monitors().description
            }
        }
        let outcome = await task.value
        #expect(outcome.otherError != nil)
        #expect(outcome.requests.isEmpty)
    }

    @Test("Backoff is bounded by maxBackoff for late attempts")
    func backoffCap() async throws {
        let policy = RetryPolicy.betterStack.with(maxAttempts: 8).backingOff(base: .milliseconds(100), cap: .milliseconds(250))
        let harness = try ClientHarness([.json(503, "")], retryPolicy: policy)
        let outcome = await harness.run { client in try await client.monitors().description }
        #expect(outcome.waits.count == 7)
        #expect(outcome.waits.allSatisfy { $0 <= .milliseconds(250) })
        #expect(outcome.error == .upstreamStatus(503, nil))
    }
}
