import BridgeConfiguration
import Logging

/// The process's logging, bootstrapped once: standard error (the web server's or the journal's
/// log) at `server.log_level`, plus Better Stack Logs (``LogShipping``) for a resident worker. A
/// CGI process logs to standard error only: shipping would have to wait for the ingest before the
/// process exits.
struct ProcessLogging {
    /// The process logger (`uptime-bridge`, with `worker=N` under a master).
    let logger: Logger
    private let shipping: LogShipping?

    static func bootstrap(configuration: Configuration, isCGI: Bool, workerSlot: Int?) -> ProcessLogging {
        let level = Logger.Level(rawValue: configuration.string(.serverLogLevel) ?? "info") ?? .info
        let shipping = isCGI ? nil : LogShipping.make(configuration: configuration)
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            guard let shipping else { return handler }
            return MultiplexLogHandler([handler, shipping.handler(label: label)])
        }
        var logger = Logger(label: "uptime-bridge")
        if let workerSlot { logger[metadataKey: "worker"] = "\(workerSlot)" }
        if let failure = shipping?.failure { logger.warning("logs shipping is off: \(failure)") }
        shipping?.shipper?.start()
        return ProcessLogging(logger: logger, shipping: shipping)
    }

    /// Ships what is buffered (at most two seconds) before the process exits.
    func shutdown() {
        if let shipper = shipping?.shipper {
            CheckCommand.blocking { await shipper.shutdown(deadline: .seconds(2)) }
        }
    }
}
