import BetterStack
import TestSupport
import Testing

@Suite("No secret in any error, log line or dump")
struct SecretLeakTests {
    @Test("Across every client scenario, no error description, log line or request dump contains a token")
    func noLeaks() async throws {
        var collected: [(scenario: String, text: String)] = []
        for scenario in Scenarios.all {
            let outcome = try await scenario.run()
            for text in outcome.visibleTexts {
                collected.append((scenario.name, text))
            }
            // Every scenario must have produced something to inspect.
            #expect(!outcome.logs.isEmpty, "\(scenario.name) logged nothing")
        }
        #expect(collected.count > 100)
        for (scenario, text) in collected {
            if let secret = TestSecrets.leaked(in: text) {
                Issue.record("\(scenario) leaked \(secret.prefix(4))… in: \(text.prefix(300))")
            }
        }
    }

    @Test("The leak check itself detects a token (guards against a vacuous pass)")
    func detectorWorks() {
        let logs = LogStore()
        logs.logger().debug("oops", metadata: ["auth": "Bearer \(TestSecrets.apiToken)"])
        #expect(logs.all.contains { TestSecrets.leaked(in: $0) != nil })
        var outcome = ScenarioOutcome()
        outcome.error = .unauthorized(TestSecrets.apiToken)
        #expect(outcome.visibleTexts.contains { TestSecrets.leaked(in: $0) != nil })
    }
}
