import Foundation
import Logging
@testable import Push
import Testing

/// Environment variables that turn this test binary into a one-shot push process for
/// ``VictoriaMetricsTests``' SIGKILL test: the parent re-runs its own test executable with a
/// filter selecting only ``PushChildProcess`` and these set.
enum ChildPush {
    static let marker = "UPTIME_BRIDGE_PUSH_CHILD"
    static let sandbox = "UPTIME_BRIDGE_PUSH_CHILD_SANDBOX"
    static let receiver = "UPTIME_BRIDGE_PUSH_CHILD_RECEIVER"
    static let checkpoint = "UPTIME_BRIDGE_PUSH_CHILD_CHECKPOINT"
    static let now = "UPTIME_BRIDGE_PUSH_CHILD_NOW"
    static let tests = "UPTIME_BRIDGE_PUSH_CHILD_TESTS"
    static let lookback = "UPTIME_BRIDGE_PUSH_CHILD_LOOKBACK"

    static var isChild: Bool { ProcessInfo.processInfo.environment[marker] == "1" }
}

/// Runs only in the child process (skipped in a normal test run).
@Suite("push as a child process (only when started by the SIGKILL test)")
struct PushChildProcess {
    @Test("run one push from the environment's settings", .enabled(if: ChildPush.isChild))
    func runPush() async throws {
        let environment = ProcessInfo.processInfo.environment
        let now = try #require(environment[ChildPush.now].flatMap { Int64($0) })
        let lookback = try #require(environment[ChildPush.lookback].flatMap { Int64($0) })
        let range = try #require(environment[ChildPush.tests]?.split(separator: "-").compactMap { Int($0) })
        var logger = Logger(label: "push-child")
        logger.logLevel = .info
        let settings = PushRuns.settings(
            sandbox: try #require(environment[ChildPush.sandbox]),
            receiver: try #require(environment[ChildPush.receiver]),
            checkpoint: try #require(environment[ChildPush.checkpoint]),
            testIDs: Array(range[0]...range[1]),
            lookback: .seconds(lookback)
        )
        let report = await PushRuns.run(settings, now: now, logger: logger)
        print("child report: \(report.summary)")
        #expect(report.succeeded)
    }
}
