/// The form body of `POST /ui/api/token`.
public enum TokenRequestForm: String, Sendable, Hashable, CaseIterable {
    /// `grant_type=client_credentials&client_id=…&client_secret=…` (standard OAuth2).
    case standard
    /// The replaced job's variant, with a leading literal `refresh_token=None&`.
    case pythonOpenTSDB

    /// The form body for these credentials, percent-encoded as
    /// `application/x-www-form-urlencoded`.
    func body(clientID: String, clientSecret: String) -> String {
        let standard =
            "grant_type=client_credentials&client_id=\(FormEncoding.encode(clientID))"
            + "&client_secret=\(FormEncoding.encode(clientSecret))"
        switch self {
        case .standard: return standard
        case .pythonOpenTSDB: return "refresh_token=None&" + standard
        }
    }
}

/// `application/x-www-form-urlencoded` value encoding: unreserved characters stay, space is `+`,
/// everything else `%XX` (what Python's `requests` and browsers send).
enum FormEncoding {
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out += "+"
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out += "%"
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
