import BetterStack
import BridgeConfiguration
import FastCGIRuntime
import Functions
import Logging

/// The optional reporting of the bridge's own failures to Better Stack Errors (`errors.dsn`,
/// `BETTERSTACK_ERRORS_DSN`): every 500 of a resident worker, a failed `push` run, and a worker
/// that died (reported by its replacement, so the master stays free of threads). Events carry the
/// route, request id, error type, exit code or signal — never a request, a header, an upstream
/// answer or a secret. Under CGI nothing is reported: the process would have to wait for the
/// ingest before exiting (the same choice as for logs shipping).
enum ErrorReporting {
    /// The reporter, or nil when no DSN is set; a DSN that does not parse is a configuration
    /// problem (`uptime-bridge check` and start-up say so).
    static func make(configuration: Configuration) throws -> ErrorReporter? {
        guard let text = configuration.secret(.errorsDSN)?.reveal(), !text.isEmpty else { return nil }
        let dsn: ErrorsDSN
        do {
            dsn = try ErrorsDSN(parsing: text)
        } catch {
            // Never quote the DSN: its key is a secret.
            throw ServicesFactory.StartupError(description: "errors.dsn: not a Better Stack Errors DSN (https://KEY@HOST/PROJECT_ID)")
        }
        let node = configuration.string(.serverNodeName).flatMap { $0.isEmpty ? nil : $0 } ?? BridgeSettings.hostName()
        // Its own failures go to stderr only: reporting them would loop.
        let diagnostics = Logger(label: "uptime-bridge.errors", factory: { StreamLogHandler.standardError(label: $0) })
        return ErrorReporter(
            dsn: dsn,
            origin: ErrorEvent.Origin(release: "uptime-bridge@\(BridgeVersion.current)", serverName: node),
            diagnostics: diagnostics
        )
    }

    /// Starts `reporter`, counts it in the telemetry, reports every 500 the router answers, and
    /// the death of the worker this one replaces, if any.
    static func attach(_ reporter: ErrorReporter, to composition: inout BridgeComposition, workerSlot: Int?) {
        reporter.start()
        composition.services.telemetry.attach(errorReporter: reporter)
        composition.router.onInternalError = { report in reporter.report(event(for: report, worker: workerSlot)) }
        if let death = SupervisedWorker.previousDeath {
            reporter.report(workerDied(death, slot: workerSlot))
        }
    }

    /// A 500 answered by a function.
    static func event(for report: InternalErrorReport, worker: Int?) -> ErrorEvent {
        var tags = ["route": report.route, "method": report.method, "status": "500"]
        if let id = report.requestID { tags["request_id"] = id }
        if let worker { tags["worker"] = String(worker) }
        return ErrorEvent(type: report.errorType, message: "\(report.method) \(report.route) answered 500 (\(report.errorType))", tags: tags)
    }

    /// A worker that died unasked, as the master described it to its replacement.
    static func workerDied(_ description: String, slot: Int?) -> ErrorEvent {
        var tags = ["kind": "worker_death"]
        if let slot { tags["worker"] = String(slot) }
        return ErrorEvent(level: .fatal, type: "WorkerDied", message: description, tags: tags)
    }

    /// A push run that did not succeed: its exit code and its one-line summary (which never holds
    /// a secret: the tests check it).
    static func pushFailed(exitCode: Int32, summary: String) -> ErrorEvent {
        ErrorEvent(type: "PushFailed", message: summary, tags: ["kind": "push", "exit_code": String(exitCode)])
    }
}
