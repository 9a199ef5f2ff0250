import BetterStack
import BridgeConfiguration
import Functions
import Logging

/// The optional shipping of the bridge's own logs to Better Stack Logs (`logs.ingest_url` and
/// `logs.source_token`), at `logs.level` and above.
struct LogShipping {
    var shipper: LogShipper?
    var level: Logger.Level
    var host: String
    /// Why shipping is off although configured (reported once logging is up).
    var failure: String?

    static func make(configuration: Configuration) -> LogShipping? {
        guard let url = configuration.string(.logsURL), !url.isEmpty else { return nil }
        let level = Logger.Level(rawValue: configuration.string(.logsLevel) ?? "notice") ?? .notice
        let host = configuration.string(.serverNodeName) ?? BridgeSettings.hostName()
        guard let token = configuration.secret(.logsToken) else {
            return LogShipping(shipper: nil, level: level, host: host, failure: "logs.source_token is not set")
        }
        do {
            let client = LogsIngestClient(
                configuration: try LogsIngestConfiguration(
                    ingestURL: url,
                    sourceToken: token,
                    requestTimeout: .seconds(10),
                    retryPolicy: RetryPolicy.betterStack.with(maxAttempts: 2).backingOff(base: .milliseconds(500), cap: .seconds(2))
                ),
                logger: Logger(label: "uptime-bridge.logs", factory: { StreamLogHandler.standardError(label: $0) })
            )
            // Its own failures go to stderr only: shipping them would loop.
            let diagnostics = Logger(label: "uptime-bridge.logs", factory: { StreamLogHandler.standardError(label: $0) })
            return LogShipping(shipper: LogShipper(client: client, diagnostics: diagnostics), level: level, host: host)
        } catch {
            return LogShipping(shipper: nil, level: level, host: host, failure: "\(error)")
        }
    }

    func handler(label: String) -> any LogHandler {
        guard let shipper else { return SwiftLogNoOpLogHandler() }
        return BetterStackLogHandler(label: label, shipper: shipper, level: level, host: host)
    }
}
