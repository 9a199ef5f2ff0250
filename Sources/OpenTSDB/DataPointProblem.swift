/// Why a ``DataPoint`` cannot be sent; found before sending, so it never reaches the receiver.
public enum DataPointProblem: Sendable, Hashable, CustomStringConvertible {
    /// The metric name is empty or has a character OpenTSDB refuses.
    case invalidMetric(String)
    /// A tag key is empty or has a character OpenTSDB refuses.
    case invalidTagKey(String)
    /// A tag value is empty or has a character OpenTSDB refuses.
    case invalidTagValue(key: String, value: String)
    /// No tags (OpenTSDB: "Missing tags").
    case missingTags
    /// More tags than the receiver allows (`tsd.storage.max_tags`, 8 by default).
    case tooManyTags(count: Int, limit: Int)
    /// NaN or infinite; JSON cannot carry it and OpenTSDB refuses it.
    case nonFiniteValue
    /// Outside the range receivers read unambiguously at the point's precision.
    case timestampOutOfRange(Int64, TimestampPrecision)

    public var description: String {
        switch self {
        case .invalidMetric(let name): "invalid metric name \(Self.quote(name))\(Self.culprit(name))"
        case .invalidTagKey(let key): "invalid tag key \(Self.quote(key))\(Self.culprit(key))"
        case .invalidTagValue(let key, let value):
            "invalid value \(Self.quote(value)) for tag \(Self.quote(key))\(Self.culprit(value))"
        case .missingTags: "no tags (OpenTSDB needs at least one)"
        case .tooManyTags(let count, let limit): "\(count) tags, more than the limit of \(limit)"
        case .nonFiniteValue: "value is NaN or infinite"
        case .timestampOutOfRange(let timestamp, let precision):
            "timestamp \(timestamp) is not a valid epoch time in \(precision.rawValue)"
        }
    }

    private static func quote(_ name: String) -> String {
        "'\(name.count > 80 ? String(name.prefix(80)) + "…" : name)'"
    }

    /// ` (character '#')`, naming the first character OpenTSDB refuses, or `` for an empty name.
    private static func culprit(_ name: String) -> String {
        NameRules.firstInvalidCharacter(name).map { " (character '\($0.escaped(asASCII: true))')" } ?? ""
    }
}

extension DataPoint {
    /// Everything wrong with this point for a receiver allowing `maxTags` tags; empty when it
    /// can be sent.
    public func problems(maxTags: Int = 8) -> [DataPointProblem] {
        var problems: [DataPointProblem] = []
        if !NameRules.isValid(metric) { problems.append(.invalidMetric(metric)) }
        if tags.isEmpty { problems.append(.missingTags) }
        if tags.count > maxTags { problems.append(.tooManyTags(count: tags.count, limit: maxTags)) }
        for (key, value) in tags.sorted(by: { $0.key < $1.key }) {
            if !NameRules.isValid(key) { problems.append(.invalidTagKey(key)) }
            if !NameRules.isValid(value) { problems.append(.invalidTagValue(key: key, value: value)) }
        }
        if !value.isFinite { problems.append(.nonFiniteValue) }
        if !precision.validRange.contains(timestamp) { problems.append(.timestampOutOfRange(timestamp, precision)) }
        return problems
    }
}
