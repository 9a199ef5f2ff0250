import Logging

/// What every connection shares: the generated data, the counters, the faults and the
/// recordings. Created once per server.
final class SandboxState: Sendable {
    let configuration: SandboxConfiguration
    let betterStack: BetterStackDataset
    let statuspage: StatuspageDataset
    let stats = RequestStats()
    let rateLimiter: RateLimiter
    let faults: FaultBoard
    let pings: BoundedLog<HeartbeatPing>
    let logs: BoundedLog<LogRecord>
    let logsIngest = LogsIngestCounters()
    let errors: BoundedLog<ErrorEnvelopeRecord>
    let logger: Logger

    init(configuration: SandboxConfiguration, logger: Logger) {
        self.configuration = configuration
        self.betterStack = BetterStackDataset(
            monitorCount: configuration.monitors,
            checkFrequency: configuration.checkFrequency,
            heartbeatCount: configuration.heartbeats,
            seed: configuration.seed,
            now: configuration.now
        )
        self.statuspage = StatuspageDataset(
            generatedCount: configuration.statuspages,
            seed: configuration.seed,
            now: configuration.now
        )
        self.rateLimiter = RateLimiter(limit: configuration.rateLimitPerSecond)
        self.faults = FaultBoard(seed: configuration.seed, faults: configuration.faults)
        self.pings = BoundedLog(capacity: configuration.recordLimit)
        self.logs = BoundedLog(capacity: configuration.recordLimit)
        self.errors = BoundedLog(capacity: configuration.recordLimit)
        self.logger = logger
    }
}
