import TestSupport
import BetterStack
import Logging

/// A client wired to a mock transport, with logs, waits and observer events recorded.
struct ClientHarness {
    static let baseURL = "https://uptime.example.test"

    let transport: MockTransport
    let logs = LogStore()
    let sleeps = SleepRecorder()
    let events = EventRecorder()
    let client: BetterStackClient

    init(baseURL: String = ClientHarness.baseURL, retryPolicy: RetryPolicy = .betterStack, transport: MockTransport) throws
    {
        self.transport = transport
        let configuration = try BetterStackConfiguration(
            baseURL: baseURL,
            token: Secret(TestSecrets.apiToken),
            retryPolicy: retryPolicy
        )
        client = BetterStackClient(
            configuration: configuration,
            transport: transport,
            logger: logs.logger(),
            observer: events.observer,
            sleep: sleeps.sleep
        )
    }

    init(_ replies: [MockTransport.Reply], retryPolicy: RetryPolicy = .betterStack) throws {
        try self.init(retryPolicy: retryPolicy, transport: MockTransport(replies))
    }

    /// Runs `body` and packages everything it produced.
    func run(_ body: @Sendable (BetterStackClient) async throws -> String) async -> ScenarioOutcome {
        var outcome = ScenarioOutcome()
        do {
            outcome.value = try await body(client)
        } catch let error as BetterStackError {
            outcome.error = error
        } catch {
            outcome.otherError = String(describing: error)
        }
        outcome.logs = logs.all
        outcome.events = events.all
        outcome.requests = transport.requests
        outcome.waits = sleeps.all
        return outcome
    }
}

/// What one scenario produced.
struct ScenarioOutcome: Sendable {
    var value: String?
    var error: BetterStackError?
    var otherError: String?
    var logs: [String] = []
    var events: [UpstreamEvent] = []
    var requests: [HTTPTransportRequest] = []
    var waits: [Duration] = []

    /// Every text a user or operator could see: error renderings (description, reflection, dump)
    /// and log lines, plus request descriptions.
    var visibleTexts: [String] {
        var texts = logs
        if let error {
            texts.append(String(describing: error))
            texts.append(String(reflecting: error))
            texts.append("\(error)")
            var dumped = ""
            dump(error, to: &dumped)
            texts.append(dumped)
        }
        if let otherError { texts.append(otherError) }
        if let value { texts.append(value) }
        for request in requests {
            texts.append(String(describing: request))
            texts.append(String(reflecting: request))
            var dumped = ""
            dump(request, to: &dumped)
            texts.append(dumped)
        }
        return texts
    }
}
