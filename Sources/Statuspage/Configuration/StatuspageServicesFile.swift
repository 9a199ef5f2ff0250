#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The exporter's `services.json`, accepted as is:
///
/// ```json
/// {
///   "_comment": "keys starting with _ are documentation",
///   "example": {"url": "https://status.example.com/api/v2/summary.json", "name": "Example Cloud"}
/// }
/// ```
///
/// Every key not starting with `_` is a service whose object must have string `url` and `name`
/// (other members are ignored). Services come back in file order, so the rendered series are in
/// the order the operator wrote them (the exporter's own order depends on which request
/// finished first).
public enum StatuspageServicesFile {
    /// Why a `services.json` was refused.
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public let description: String
    }

    /// Parses a `services.json` body.
    public static func parse(_ bytes: some Collection<UInt8>) throws(ParseError) -> [StatuspageService] {
        let data = Data(bytes)
        let entries: [String: Entry]
        do {
            entries = try JSONDecoder().decode([String: Entry].self, from: data)
        } catch {
            throw ParseError(description: "services.json must be a JSON object of objects: \(error)")
        }
        let order = (try? TopLevelKeyOrder.keys(of: Array(bytes))) ?? entries.keys.sorted()
        var seen: Set<String> = []
        var services: [StatuspageService] = []
        for key in order where !key.hasPrefix("_") && seen.insert(key).inserted {
            guard case .service(let name, let url)? = entries[key] else {
                throw ParseError(description: "services.json: '\(key)' needs string members \"url\" and \"name\"")
            }
            services.append(StatuspageService(key: key, name: name, url: url))
        }
        return services
    }

    /// A member's value: a service object, or anything else (fine under a `_` key only).
    private enum Entry: Decodable {
        case service(name: String, url: String)
        case other

        enum CodingKeys: String, CodingKey { case name, url }

        init(from decoder: any Decoder) throws {
            guard let c = try? decoder.container(keyedBy: CodingKeys.self),
                let name = try? c.decode(String.self, forKey: .name),
                let url = try? c.decode(String.self, forKey: .url)
            else {
                self = .other
                return
            }
            self = .service(name: name, url: url)
        }
    }
}

/// The member names of a top-level JSON object, in document order. `JSONDecoder` hands out
/// dictionaries, which forget it.
enum TopLevelKeyOrder {
    struct Malformed: Error {}

    static func keys(of bytes: [UInt8]) throws -> [String] {
        var index = 0
        var keys: [String] = []
        skipWhitespace(bytes, &index)
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw Malformed() }
        index += 1
        while true {
            skipWhitespace(bytes, &index)
            guard index < bytes.count else { throw Malformed() }
            if bytes[index] == UInt8(ascii: "}") { return keys }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            let start = index
            try skipString(bytes, &index)
            // The decoder unescapes the key exactly as it unescaped it for the dictionary.
            keys.append(try JSONDecoder().decode(String.self, from: Data(bytes[start..<index])))
            skipWhitespace(bytes, &index)
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Malformed() }
            index += 1
            try skipValue(bytes, &index)
        }
    }

    private static func skipWhitespace(_ bytes: [UInt8], _ index: inout Int) {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private static func skipString(_ bytes: [UInt8], _ index: inout Int) throws {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Malformed() }
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return
            default: index += 1
            }
        }
        throw Malformed()
    }

    /// Skips one value of any kind: a string by its quotes, a container by depth (strings inside
    /// skipped whole, so brackets in them do not count), a literal up to its delimiter.
    private static func skipValue(_ bytes: [UInt8], _ index: inout Int) throws {
        skipWhitespace(bytes, &index)
        guard index < bytes.count else { throw Malformed() }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            try skipString(bytes, &index)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    try skipString(bytes, &index)
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                index += 1
            } while depth > 0 && index < bytes.count
            guard depth == 0 else { throw Malformed() }
        default:
            let delimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D]
            while index < bytes.count, !delimiters.contains(bytes[index]) { index += 1 }
        }
    }
}
