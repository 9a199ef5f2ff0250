#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The answer to `POST /api/put?details` (or `?summary`):
/// `{"success": N, "failed": M, "errors": [{"datapoint": {…}, "error": "…"}]}`.
///
/// Parsed leniently: the echoed datapoint is whatever the receiver made of ours (its value may be
/// a string such as `"NaN"`, its tags may be numbers), and `errors` is absent under `summary`.
public struct PutDetails: Sendable, Decodable, Equatable {
    /// Points stored.
    public var success: Int?
    /// Points refused.
    public var failed: Int?
    /// One entry per refused point, under `details`.
    public var errors: [PutError]

    /// One refused point and the receiver's reason.
    public struct PutError: Sendable, Decodable, Equatable {
        /// The point as the receiver echoed it.
        public var datapoint: EchoedPoint?
        /// The reason, e.g. "Unable to parse value to a number".
        public var error: String?
    }

    /// The identifying parts of an echoed point; the value is ignored.
    public struct EchoedPoint: Sendable, Decodable, Equatable {
        public var metric: String?
        public var timestamp: Int64?
        public var tags: [String: String]

        enum CodingKeys: String, CodingKey { case metric, timestamp, tags }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            metric = try? container.decodeIfPresent(String.self, forKey: .metric)
            timestamp = (try? container.decodeIfPresent(LenientScalar.self, forKey: .timestamp))?.integer
            let rawTags = (try? container.decodeIfPresent([String: LenientScalar].self, forKey: .tags)) ?? [:]
            tags = rawTags.compactMapValues(\.text)
        }

        /// Whether this echo names `point` (same metric, tags and, when echoed, timestamp).
        func names(_ point: DataPoint) -> Bool {
            metric == point.metric && tags == point.tags && (timestamp == nil || timestamp == point.timestamp)
        }
    }

    enum CodingKeys: String, CodingKey { case success, failed, errors }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        success = try container.decodeIfPresent(Int.self, forKey: .success)
        failed = try container.decodeIfPresent(Int.self, forKey: .failed)
        errors = (try? container.decodeIfPresent([PutError].self, forKey: .errors)) ?? []
        // An OpenTSDB error object ({"error": {...}}) has neither count: not a details answer.
        guard success != nil || failed != nil else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no success/failed counts"))
        }
    }

    /// Parses a response body; `nil` when it is not a details or summary answer.
    public static func parse(_ body: [UInt8]) -> PutDetails? {
        guard !body.isEmpty else { return nil }
        return try? JSONDecoder().decode(PutDetails.self, from: Data(body))
    }
}

/// A JSON scalar of any type, read as text or integer: receivers echo our strings as numbers
/// and the other way round.
struct LenientScalar: Decodable {
    let text: String?
    let integer: Int64?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int64.self) {
            text = String(value)
            integer = value
        } else if let value = try? container.decode(Double.self) {
            let whole = value.rounded(.towardZero) == value && abs(value) < 9e15
            text = whole ? String(Int64(value)) : String(value)
            integer = abs(value) < 9e15 ? Int64(value) : nil
        } else if let value = try? container.decode(String.self) {
            text = value
            integer = Int64(value)
        } else {
            text = nil
            integer = nil
        }
    }
}
