import Logging

/// What every connection shares: the generated data, the counters, the faults and the
/// recordings. Created once per server.
final class SandboxState: Sendable {
    let configuration: SandboxConfiguration
    let betterStack: BetterStackDataset
    let statuspage: StatuspageDataset
    let stats = RequestStats()
    let faults: FaultBoard
    let pings: BoundedLog<HeartbeatPing>
    let logs: BoundedLog<LogRecord>
    let logger: Logger

    init(configuration: SandboxConfiguration, logger: Logger) {
        self.configuration = configuration
        self.betterStack = BetterStackDataset(
            monitorCount: configuration.monitors,
            heartbeatCount: configuration.heartbeats,
            seed: configuration.seed,
            now: configuration.now
        )
        self.statuspage = StatuspageDataset(
            generatedCount: configuration.statuspages,
            seed: configuration.seed,
            now: configuration.now
        )
        self.faults = FaultBoard(seed: configuration.seed, faults: configuration.faults)
        self.pings = BoundedLog(capacity: configuration.recordLimit)
        self.logs = BoundedLog(capacity: configuration.recordLimit)
        self.logger = logger
    }
}
