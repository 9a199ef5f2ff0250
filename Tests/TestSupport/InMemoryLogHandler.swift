import Logging
import Synchronization

/// Collected log lines, fully rendered (level, message, every metadata key and value).
public final class LogStore: Sendable {
    public init() {}

    private let lines = Mutex<[String]>([])

    public var all: [String] { lines.withLock { $0 } }

    public func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    /// A logger writing here at trace level.
    public func logger(label: String = "test") -> Logger {
        Logger(label: label) { label in InMemoryLogHandler(label: label, store: self) }
    }
}

/// A `LogHandler` that renders each record into a ``LogStore``.
public struct InMemoryLogHandler: LogHandler {
    let label: String
    let store: LogStore
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(label: String, store: LogStore) {
        self.label = label
        self.store = store
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.keys.sorted().map { "\($0)=\(merged[$0]!)" }.joined(separator: " ")
        let error = event.error.map { " error=\(String(reflecting: $0))" } ?? ""
        store.append("\(event.level) \(label): \(event.message) \(rendered)\(error)")
    }
}
