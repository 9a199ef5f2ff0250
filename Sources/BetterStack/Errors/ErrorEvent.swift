#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One event for Better Stack Errors: what failed, in words the bridge wrote itself. Never a
/// request body, a header, an upstream answer or anything from the configuration but names.
public struct ErrorEvent: Sendable, Equatable {
    public enum Level: String, Sendable {
        case warning, error, fatal
    }

    /// 32 lowercase hex digits.
    public var eventID: String
    /// Unix time, seconds.
    public var timestamp: Double
    public var level: Level
    /// The exception's type, e.g. `InternalError`, `PushFailed`, `WorkerDied`.
    public var type: String
    /// One line.
    public var message: String
    /// Searchable tags (`route`, `request_id`, `exit_code`, …).
    public var tags: [String: String]

    public init(
        level: Level = .error,
        type: String,
        message: String,
        tags: [String: String] = [:],
        timestamp: Double = Date().timeIntervalSince1970,
        eventID: String = ErrorEvent.newID()
    ) {
        self.level = level
        self.type = type
        self.message = message
        self.tags = tags
        self.timestamp = timestamp
        self.eventID = eventID
    }

    public static func newID() -> String {
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return hex(UInt64.random(in: .min ... .max)) + hex(UInt64.random(in: .min ... .max))
    }

    /// Where the event comes from (the same for every event of a process).
    public struct Origin: Sendable, Equatable {
        /// `uptime-bridge@<version>`.
        public var release: String
        /// The node's name (`server.node_name`).
        public var serverName: String
        public var environment: String

        public init(release: String, serverName: String, environment: String = "production") {
            self.release = release
            self.serverName = serverName
            self.environment = environment
        }
    }

    /// The Sentry event payload (Sentry's developer documentation, "Event Payloads").
    struct Payload: Encodable {
        struct Message: Encodable { var formatted: String }
        struct Exception: Encodable { var values: [Value] }
        struct Value: Encodable {
            var type: String
            var value: String
        }

        var event_id: String
        var timestamp: Double
        var platform = "other"
        var level: String
        var logger = "uptime-bridge"
        var server_name: String
        var release: String
        var environment: String
        var message: Message
        var exception: Exception
        var tags: [String: String]
    }

    /// The envelope holding this one event: envelope header, item header, payload, one per line.
    public func envelope(origin: Origin) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let payload = Payload(
            event_id: eventID,
            timestamp: timestamp,
            level: level.rawValue,
            server_name: origin.serverName,
            release: origin.release,
            environment: origin.environment,
            message: .init(formatted: message),
            exception: .init(values: [.init(type: type, value: message)]),
            tags: tags
        )
        let body = (try? encoder.encode(payload)).map { Array($0) } ?? []
        var bytes = Array("{\"event_id\":\"\(eventID)\"}\n".utf8)
        bytes += Array("{\"type\":\"event\",\"length\":\(body.count),\"content_type\":\"application/json\"}\n".utf8)
        bytes += body
        bytes.append(0x0A)
        return bytes
    }
}
