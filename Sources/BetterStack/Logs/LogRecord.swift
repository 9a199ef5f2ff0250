/// One event for Better Stack Logs: `{"dt": …, "message": "…", …extra fields}`.
public struct LogRecord: Sendable, Hashable, Codable {
    /// The event time as Better Stack accepts it.
    public enum Timestamp: Sendable, Hashable {
        /// RFC 3339 / ISO 8601 text, e.g. `2023-08-09 07:03:30+00:00`.
        case text(String)
        /// UNIX time in seconds, milliseconds or nanoseconds (upstream infers which).
        case unix(Int64)
    }

    /// When it happened; upstream uses the receive time when absent.
    public var dt: Timestamp?
    /// The log message.
    public var message: String
    /// Further fields (level, logger, request id, …). `dt` and `message` here are ignored.
    public var fields: [String: LogFieldValue]

    /// A record with an explicit timestamp form.
    public init(dt: Timestamp? = nil, message: String, fields: [String: LogFieldValue] = [:]) {
        self.dt = dt
        self.message = message
        self.fields = fields
    }

    /// A record stamped with milliseconds since the Unix epoch, sent as ISO 8601 UTC.
    public init(message: String, atMilliseconds milliseconds: Int64, fields: [String: LogFieldValue] = [:]) {
        self.init(dt: .text(ISO8601Timestamp.format(milliseconds: milliseconds)), message: message, fields: fields)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        var fields: [String: LogFieldValue] = [:]
        for key in container.allKeys where key.stringValue != "dt" && key.stringValue != "message" {
            fields[key.stringValue] = try container.decode(LogFieldValue.self, forKey: key)
        }
        let object = LenientObject(container)
        if let number = try? container.decode(Int64.self, forKey: "dt") {
            dt = .unix(number)
        } else if let number = try? container.decode(Double.self, forKey: "dt") {
            dt = .unix(Int64(number))
        } else {
            dt = object.string("dt").map(Timestamp.text)
        }
        message = object.string("message") ?? ""
        self.fields = fields
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        switch dt {
        case .text(let text): try container.encode(text, forKey: "dt")
        case .unix(let number): try container.encode(number, forKey: "dt")
        case nil: break
        }
        try container.encode(message, forKey: "message")
        for (key, value) in fields where key != "dt" && key != "message" {
            try container.encode(value, forKey: JSONKey(key))
        }
    }
}
