import Logging
import Synchronization
import TestSupport
import Testing
import UpstreamHTTP

extension MockTransport.Reply {
    /// `status` with the body `answer <status>`.
    static func status(_ status: Int, headers: [(String, String)] = []) -> Self {
        .json(status, "answer \(status)", headers: HTTPTransportHeaders(headers))
    }
}

/// Remembers the waits instead of sleeping, and every attempt reported.
struct Recorder {
    private let sleeps = SleepRecorder()
    private let attempts = EventRecorder()
    var waits: [Duration] { sleeps.all }
    var events: [UpstreamEvent] { attempts.all }
    var sleep: UpstreamSleep { sleeps.sleep }
    var observer: UpstreamObserver { attempts.observer }
}

@Suite("UpstreamPipeline: the one retry loop")
struct UpstreamPipelineTests {
    let request = HTTPTransportRequest(method: "GET", url: "http://127.0.0.1:9/api", headers: [:], timeout: .seconds(1))

    func pipeline(_ transport: MockTransport, _ policy: RetryPolicy, _ recorder: Recorder, pace: UpstreamPace? = nil)
        -> UpstreamPipeline
    {
        UpstreamPipeline(
            transport: transport,
            policy: policy,
            sleep: recorder.sleep,
            pace: pace,
            observer: recorder.observer,
            logger: Logger(label: "pipeline-test"),
            unitRandom: { 1 }
        )
    }

    func status(_ result: UpstreamPipeline.Result) -> Int? {
        if case .response(let response) = result.outcome { return response.status }
        return nil
    }

    @Test("5xx then success: backoff doubles, every attempt is reported")
    func retriesServerErrors() async throws {
        let transport = MockTransport([.status(503), .status(502), .status(200)])
        let recorder = Recorder()
        let result = try await pipeline(transport, .openTSDB, recorder).send(request, endpoint: "put")
        #expect(status(result) == 200 && result.attempts == 3)
        #expect(recorder.waits == [.milliseconds(500), .seconds(1)])
        #expect(recorder.events.map(\.outcomeLabel) == ["503", "502", "200"])
        #expect(recorder.events.map(\.attempt) == [1, 2, 3])
    }

    @Test("A status the policy does not retry is final at once, and so is the last attempt's")
    func finalOutcomes() async throws {
        let recorder = Recorder()
        let notFound = try await pipeline(MockTransport([.status(404)]), .betterStack, recorder).send(request, endpoint: "e")
        #expect(status(notFound) == 404 && notFound.attempts == 1)
        let down = MockTransport([.status(500)])
        let exhausted = try await pipeline(down, .betterStack, recorder).send(request, endpoint: "e")
        #expect(status(exhausted) == 500 && exhausted.attempts == 3 && down.requests.count == 3)
    }

    @Test("Transport failures: retryable ones are retried, the rest are final; .other only where the policy says")
    func transportFailures() async throws {
        let recorder = Recorder()
        let refused = try await pipeline(MockTransport([.failure(.connectionFailed("refused")), .status(200)]), .catchpoint, recorder)
            .send(request, endpoint: "e")
        #expect(status(refused) == 200 && refused.attempts == 2)
        let tooLarge = try await pipeline(MockTransport([.failure(.responseTooLarge(limit: 1))]), .catchpoint, recorder)
            .send(request, endpoint: "e")
        #expect(tooLarge.attempts == 1)
        let other = MockTransport([.failure(.other("tls"))])
        _ = try await pipeline(other, .statuspageExporter, recorder).send(request, endpoint: "e")
        #expect(other.requests.count == 4)
        let otherUnretried = MockTransport([.failure(.other("tls"))])
        _ = try await pipeline(otherUnretried, .betterStack, recorder).send(request, endpoint: "e")
        #expect(otherUnretried.requests.count == 1)
    }

    @Test("Retry-After is honoured where the policy says, capped; urllib3 backoff otherwise")
    func retryAfter() async throws {
        let recorder = Recorder()
        _ = try await pipeline(MockTransport([.status(429, headers: [("Retry-After", "120")]), .status(200)]), .betterStack, recorder)
            .send(request, endpoint: "e")
        #expect(recorder.waits == [.seconds(30)])
        // Better Stack backs off its 5xx whatever the header says.
        let fiveHundred = Recorder()
        _ = try await pipeline(MockTransport([.status(503, headers: [("Retry-After", "7")]), .status(200)]), .betterStack, fiveHundred)
            .send(request, endpoint: "e")
        #expect(fiveHundred.waits == [.milliseconds(250)])
        // The exporter's policy: 429 retried only with Retry-After; no wait before the first retry.
        let exporter = Recorder()
        let without = MockTransport([.status(429)])
        _ = try await pipeline(without, .statuspageExporter, exporter).send(request, endpoint: "e")
        #expect(without.requests.count == 1)
        _ = try await pipeline(MockTransport([.status(500), .status(500), .status(200)]), .statuspageExporter, exporter)
            .send(request, endpoint: "e")
        #expect(exporter.waits == [.zero, .seconds(1)])
    }

    @Test("A paced 429 for a caller with a deadline starts the cool-down and answers at once")
    func pacedRateLimit() async throws {
        let pace = UpstreamPace(settings: UpstreamPace.Settings(rate: 1000, burst: 10))
        let transport = MockTransport([.status(429)])
        let recorder = Recorder()
        await #expect(throws: UpstreamRateLimited.self) {
            try await UpstreamDeadline.$current.withValue(.now + .seconds(30)) {
                _ = try await self.pipeline(transport, .betterStack, recorder, pace: pace).send(self.request, endpoint: "e")
            }
        }
        #expect(transport.requests.count == 1 && recorder.waits.isEmpty)
        #expect(pace.coolDownRemaining != nil)
        // During the cool-down the next caller with a deadline is refused without a request.
        await #expect(throws: PaceRefusal.self) {
            try await UpstreamDeadline.$current.withValue(.now + .seconds(30)) {
                _ = try await self.pipeline(transport, .betterStack, recorder, pace: pace).send(self.request, endpoint: "e")
            }
        }
        #expect(transport.requests.count == 1)
    }

    @Test("Cancellation stops the loop")
    func cancellation() async throws {
        let transport = MockTransport([.status(503)])
        let recorder = Recorder()
        let task = Task {
            try await UpstreamPipeline(
                transport: transport,
                policy: .openTSDB,
                sleep: { _ in try await Task.sleep(for: .seconds(60)) },
                logger: Logger(label: "pipeline-test")
            ).send(request, endpoint: "e")
        }
        try await Task.sleep(for: .milliseconds(50))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(transport.requests.count == 1)
        _ = recorder
    }
}

@Suite("RetryPolicy: the presets keep the replaced clients' numbers")
struct RetryPolicyTests {
    @Test func presets() {
        #expect(RetryPolicy.betterStack.maxAttempts == 3)
        #expect(RetryPolicy.betterStack.delay(afterAttempt: 1, unitRandom: 1) == .milliseconds(250))
        #expect(RetryPolicy.betterStack.delay(afterAttempt: 2, unitRandom: 0) == .milliseconds(250))
        #expect(RetryPolicy.betterStack.delay(afterAttempt: 20, unitRandom: 1) == .seconds(8))
        #expect((1...4).map { RetryPolicy.openTSDB.delay(afterAttempt: $0) } == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4)])
        #expect(RetryPolicy.openTSDB.delay(afterAttempt: 1, status: 503, retryAfter: .seconds(3)) == .seconds(3))
        #expect(RetryPolicy.openTSDB.retries(status: 408, hasRetryAfter: false))
        #expect(!RetryPolicy.catchpoint.retries(status: 408, hasRetryAfter: false))
        #expect(RetryPolicy.statuspageExporter.retries(status: 413, hasRetryAfter: true))
        #expect(!RetryPolicy.statuspageExporter.retries(status: 413, hasRetryAfter: false))
        #expect(!RetryPolicy.statuspageExporter.retries(status: 404, hasRetryAfter: true))
        #expect(RetryPolicy.none.maxAttempts == 1)
    }
}
