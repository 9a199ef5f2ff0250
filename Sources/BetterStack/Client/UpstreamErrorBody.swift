#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What an error response says, in whatever form it came.
///
/// Better Stack's `errors` is a string or a field→messages map (not JSON:API `errors[]`); the Logs
/// API answers in plain text. Singular `error` and `message` keys are read too, for proxies.
struct UpstreamErrorBody: Sendable, Equatable {
    /// A human-readable message (joined field messages for a map), if any.
    var message: String?
    /// Field messages from a 422 map.
    var fields: [String: [String]]

    private static let maxMessageLength = 300

    static func parse(_ body: [UInt8]) -> UpstreamErrorBody {
        if let decoded = try? JSONDecoder().decode(ErrorEnvelope.self, from: Data(body)), decoded.hasContent {
            if !decoded.fields.isEmpty {
                let joined = decoded.fields.keys.sorted().map { key in
                    "\(key): \(decoded.fields[key, default: []].joined(separator: ", "))"
                }.joined(separator: "; ")
                return UpstreamErrorBody(message: bounded(decoded.message ?? joined), fields: decoded.fields)
            }
            return UpstreamErrorBody(message: decoded.message.map(bounded), fields: [:])
        }
        let text = String(decoding: body.prefix(4096), as: UTF8.self).trimmingASCIIWhitespace()
        if text.isEmpty || text.hasPrefix("{") || text.hasPrefix("[") || text.hasPrefix("<") {
            // Empty, JSON without a message, or an HTML error page: the status says it better.
            return UpstreamErrorBody(message: nil, fields: [:])
        }
        return UpstreamErrorBody(message: bounded(text), fields: [:])
    }

    /// One line, control characters removed, at most `maxMessageLength` characters.
    private static func bounded(_ text: String) -> String {
        var cleaned = String(
            text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : Character($0) }
        )
        cleaned = cleaned.trimmingASCIIWhitespace()
        if cleaned.count > maxMessageLength {
            cleaned = String(cleaned.prefix(maxMessageLength)) + "…"
        }
        return cleaned
    }

    private struct ErrorEnvelope: Decodable {
        var message: String?
        var fields: [String: [String]] = [:]
        var hasContent: Bool { message != nil || !fields.isEmpty }

        init(from decoder: any Decoder) throws {
            let object = LenientObject(try decoder.container(keyedBy: JSONKey.self))
            for key in ["errors", "error", "message"] as [JSONKey] where object.contains(key) {
                if let text = object.string(key) {
                    message = text
                    return
                }
                if let map = object.decode([String: [LenientString]].self, key) {
                    fields = map.mapValues { $0.compactMap(\.value) }
                    return
                }
                if let map = object.decode([String: LenientString].self, key) {
                    fields = map.mapValues { $0.value.map { [$0] } ?? [] }
                    return
                }
                if let list = object.decode([LenientString].self, key), list.contains(where: { $0.value != nil }) {
                    message = list.compactMap(\.value).joined(separator: "; ")
                    return
                }
                if let list = object.decode([JSONAPIError].self, key),
                    list.contains(where: { ($0.detail ?? $0.title) != nil })
                {
                    // Not Better Stack's format, but cheap to understand if a proxy sends it.
                    message = list.compactMap { $0.detail ?? $0.title }.joined(separator: "; ")
                    return
                }
            }
        }
    }

    private struct JSONAPIError: Decodable {
        var title: String?
        var detail: String?
    }
}
