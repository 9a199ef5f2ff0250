#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The text of a Catchpoint error body: `{"Message": "…"}` (capital M, as upstream sends it),
/// or the lowercase and OAuth2 spellings other servers use.
struct UpstreamMessage: Decodable {
    let text: String?

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        var found: String?
        for key in ["Message", "message", "error_description", "error"] {
            if let value = try? container.decodeIfPresent(String.self, forKey: AnyKey(stringValue: key)) {
                found = value
                break
            }
        }
        text = found
    }

    /// The message of a JSON error body, if it has one.
    static func parse(_ body: [UInt8]) -> String? {
        guard body.first(where: { !$0.isWhitespace }) == UInt8(ascii: "{") else { return nil }
        return (try? JSONDecoder().decode(UpstreamMessage.self, from: Data(body)))?.text
    }

    /// Whether a message says the token expired ("Expired token", "Expired Token", "token expired").
    static func saysExpired(_ message: String) -> Bool {
        let lower = message.lowercased()
        return lower.contains("expired token") || lower.contains("token expired") || lower.contains("token has expired")
    }

    /// Whether a message says the token is not valid.
    static func saysInvalidToken(_ message: String) -> Bool {
        let lower = message.lowercased()
        return lower.contains("invalid token") || lower.contains("token is invalid")
    }
}

extension UInt8 {
    fileprivate var isWhitespace: Bool { self == 0x20 || self == 0x09 || self == 0x0A || self == 0x0D }
}
