import Catchpoint
import Logging
import OpenTSDB
@testable import Push
import Sandbox
import TestSupport
import UpstreamHTTP

/// Push runs against the in-process sandbox and a real receiver.
enum PushRuns {
    /// Settings for the sandbox's Catchpoint with the default credentials.
    static func settings(
        sandbox: String,
        receiver: String,
        checkpoint: String,
        testIDs: [Int],
        lookback: Duration,
        maxCatchUp: Duration = PushJobConfiguration.defaultMaxCatchUp,
        retention: Duration? = nil
    ) -> PushSettings {
        PushSettings(
            receiver: ReceiverSettings(
                url: receiver,
                retry: RetryPolicy.openTSDB.with(maxAttempts: 2).backingOff(base: .milliseconds(100), cap: .seconds(8))
            ),
            checkpointPath: checkpoint,
            lookback: lookback,
            maxCatchUp: maxCatchUp,
            checkpointRetention: retention,
            catchpoint: CatchpointSettings(
                baseURL: sandbox,
                clientID: SandboxCredentials.clientID,
                clientSecret: SandboxCredentials.clientSecret,
                testIDs: testIDs
            )
        )
    }

    /// Runs the job once with the production transport and a fixed clock.
    static func run(_ settings: PushSettings, now: Int64, logger: Logger = quietLogger) async -> PushReport {
        await PushJob.run(settings: settings, now: { now }, logger: logger)
    }

    /// What the sandbox serves for `testIDs` over `[start, end]`, mapped.
    static func expected(sandbox: String, testIDs: [Int], start: Int64, end: Int64) async throws -> [DataPoint] {
        let client = try CatchpointClient(
            configuration: CatchpointConfiguration(
                baseURL: try BaseURL(sandbox),
                clientID: SandboxCredentials.clientID,
                clientSecret: SandboxCredentials.clientSecret
            ),
            logger: quietLogger
        )
        return try await client.rawPerformance(testIDs: testIDs, window: RawWindow(start: start, end: end))
            .flatMap { $0.dataPoints().points }
    }
}
