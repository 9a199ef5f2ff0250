/// Tolerant reads from a JSON object.
///
/// Better Stack's fields are nullable almost everywhere and some change type between endpoints
/// and over time (`monitor_group_id` string or int, ids as strings or numbers, `port` string or
/// null). Every accessor returns `nil` rather than failing the whole document when a field is
/// absent, null or of an unexpected type, and converts between numbers and numeric strings.
struct LenientObject {
    let container: KeyedDecodingContainer<JSONKey>

    init(_ container: KeyedDecodingContainer<JSONKey>) {
        self.container = container
    }

    /// The object behind `decoder`, or `nil` if it is not an object.
    init?(decoder: any Decoder) {
        guard let container = try? decoder.container(keyedBy: JSONKey.self) else { return nil }
        self.container = container
    }

    func contains(_ key: JSONKey) -> Bool { container.contains(key) }

    func isNull(_ key: JSONKey) -> Bool { (try? container.decodeNil(forKey: key)) ?? true }

    /// A string; numbers and booleans are converted to their text.
    func string(_ key: JSONKey) -> String? {
        guard container.contains(key), !isNull(key) else { return nil }
        if let value = try? container.decode(String.self, forKey: key) { return value }
        if let value = try? container.decode(Int64.self, forKey: key) { return String(value) }
        if let value = try? container.decode(Double.self, forKey: key) { return String(value) }
        if let value = try? container.decode(Bool.self, forKey: key) { return String(value) }
        return nil
    }

    /// An integer; numeric strings and integral doubles are accepted.
    func int(_ key: JSONKey) -> Int? {
        guard container.contains(key), !isNull(key) else { return nil }
        if let value = try? container.decode(Int.self, forKey: key) { return value }
        // `Int(exactly:)` after truncation: `Double(Int.max)` is 2^63, one past `Int.max`, so a
        // range check against it would still let `Int(_:)` trap on 9223372036854775808.
        if let value = try? container.decode(Double.self, forKey: key), value.isFinite {
            return Int(exactly: value.rounded(.towardZero))
        }
        if let text = try? container.decode(String.self, forKey: key) {
            return Int(text.trimmingASCIIWhitespace())
                ?? Double(text.trimmingASCIIWhitespace()).flatMap { Int(exactly: $0) }
        }
        return nil
    }

    /// A floating-point number; numeric strings are accepted.
    func double(_ key: JSONKey) -> Double? {
        guard container.contains(key) else { return nil }
        if let value = try? container.decode(Double.self, forKey: key) { return value }
        if let text = try? container.decode(String.self, forKey: key) {
            return Double(text.trimmingASCIIWhitespace())
        }
        return nil
    }

    /// A boolean; `"true"`/`"false"` and 0/1 are accepted.
    func bool(_ key: JSONKey) -> Bool? {
        guard container.contains(key) else { return nil }
        if let value = try? container.decode(Bool.self, forKey: key) { return value }
        if let value = try? container.decode(Int.self, forKey: key) { return value != 0 }
        if let text = try? container.decode(String.self, forKey: key) {
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        }
        return nil
    }

    /// An array of strings; non-string elements are converted or skipped, a single string becomes one element.
    func strings(_ key: JSONKey) -> [String]? {
        guard container.contains(key), !isNull(key) else { return nil }
        if let values = try? container.decode([LenientString].self, forKey: key) {
            return values.compactMap(\.value)
        }
        if let single = string(key) { return [single] }
        return nil
    }

    /// A timestamp as milliseconds since the Unix epoch: ISO 8601 text, or a number of seconds
    /// (or milliseconds when it is too large to be seconds). A number outside the years 0000–9999
    /// (what ISO 8601 text can express) is not a timestamp: `nil`, never a trap (`1e300`).
    func timestamp(_ key: JSONKey) -> Int64? {
        guard container.contains(key), !isNull(key) else { return nil }
        if let text = try? container.decode(String.self, forKey: key) {
            return ISO8601Timestamp.parseMilliseconds(text)
        }
        if let number = try? container.decode(Double.self, forKey: key), number.isFinite {
            let milliseconds = (number > 100_000_000_000 ? number : number * 1000).rounded(.towardZero)
            guard milliseconds >= Self.earliestMilliseconds, milliseconds <= Self.latestMilliseconds else { return nil }
            return Int64(milliseconds)
        }
        return nil
    }

    /// 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z.
    static let earliestMilliseconds: Double = -62_167_219_200_000
    static let latestMilliseconds: Double = 253_402_300_799_999

    /// A nested object.
    func object(_ key: JSONKey) -> LenientObject? {
        guard container.contains(key), let nested = try? container.nestedContainer(keyedBy: JSONKey.self, forKey: key)
        else { return nil }
        return LenientObject(nested)
    }

    /// A value decoded with its own (lenient) `Decodable` conformance.
    func decode<T: Decodable>(_ type: T.Type, _ key: JSONKey) -> T? {
        guard container.contains(key), !isNull(key) else { return nil }
        return try? container.decode(T.self, forKey: key)
    }

    /// All keys present in the object.
    var allKeys: [JSONKey] { container.allKeys }
}

/// A JSON scalar read as text, or `nil` for null, objects and arrays.
struct LenientString: Decodable {
    let value: String?

    init(from decoder: any Decoder) throws {
        guard let container = try? decoder.singleValueContainer(), !container.decodeNil() else {
            value = nil
            return
        }
        if let text = try? container.decode(String.self) {
            value = text
        } else if let number = try? container.decode(Int64.self) {
            value = String(number)
        } else if let number = try? container.decode(Double.self) {
            value = String(number)
        } else if let flag = try? container.decode(Bool.self) {
            value = String(flag)
        } else {
            value = nil
        }
    }
}
