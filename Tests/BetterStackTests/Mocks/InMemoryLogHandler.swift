import Logging
import Synchronization

/// Collected log lines, fully rendered (level, message, every metadata key and value).
final class LogStore: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    /// A logger writing here at trace level.
    func logger(label: String = "test") -> Logger {
        Logger(label: label) { label in InMemoryLogHandler(label: label, store: self) }
    }
}

/// A `LogHandler` that renders each record into a ``LogStore``.
struct InMemoryLogHandler: LogHandler {
    let label: String
    let store: LogStore
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        let error = event.error.map { " error=\(String(reflecting: $0))" } ?? ""
        store.append("\(event.level) \(label): \(event.message) \(rendered)\(error)")
    }
}
