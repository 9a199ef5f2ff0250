import OpenTSDB
import Sandbox
import UpstreamHTTP

/// Plain HTTP calls from tests, on the production transport.
enum HTTP {
    static func get(_ url: String) async throws -> HTTPTransportResponse {
        try await AsyncHTTPClientTransport.push.send(
            HTTPTransportRequest(method: "GET", url: url, timeout: .seconds(20))
        )
    }

    static func post(_ url: String, body: String, contentType: String = "application/json") async throws
        -> HTTPTransportResponse
    {
        try await AsyncHTTPClientTransport.push.send(
            HTTPTransportRequest(
                method: "POST",
                url: url,
                headers: [("Content-Type", contentType)],
                body: Array(body.utf8),
                timeout: .seconds(20)
            )
        )
    }

    /// `application/x-www-form-urlencoded` / query value encoding.
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
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
