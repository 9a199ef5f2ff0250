import Logging
import Synchronization

/// Collects a request's warning-and-worse log lines so the runtime can copy them to the FastCGI
/// error stream, where nginx writes them to its error log next to the request ("FastCGI sent in stderr").
///
/// Under spawn-fcgi the process's own stderr is often `/dev/null`; this keeps problems visible.
public final class RequestLogSink: Sendable {
    private let lines = Mutex<[String]>([])

    public init() {}

    func append(_ line: String) {
        lines.withLock { if $0.count < 64 { $0.append(line) } }
    }

    /// Takes the collected lines, leaving the sink empty.
    public func drain() -> [String] {
        lines.withLock { current in
            defer { current.removeAll() }
            return current
        }
    }
}

/// Forwards every record to the process log handler and copies `warning`+ lines to a ``RequestLogSink``.
struct RequestLogHandler: LogHandler {
    var base: any LogHandler
    let sink: RequestLogSink

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        base.log(event: event)
        guard event.level >= .warning else { return }
        var text = "uptime-bridge \(event.level): \(event.message)"
        var merged = base.metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        if !merged.isEmpty {
            text += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        sink.append(text)
    }
}

extension Logger {
    /// A copy of this logger whose `warning`+ records also go to `sink`.
    func teeing(into sink: RequestLogSink) -> Logger {
        var copy = self
        copy.handler = RequestLogHandler(base: handler, sink: sink)
        return copy
    }
}
