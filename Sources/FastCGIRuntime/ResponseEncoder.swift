/// Encodes a ``Response`` as a CGI/FastCGI response: `Status:` line, headers, blank line, body.
///
/// The `Status:` header is always written (Apache mod_cgi rejects an HTTP status line from a non-`nph-`
/// script), and `Content-Length` is always set so nginx can keep its client connection alive.
public enum ResponseEncoder {
    public static func head(of response: Response, requestID: String?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160)
        out.append(contentsOf: "Status: \(response.status) \(HTTPStatus.reason(response.status))\r\n".utf8)
        var hasType = false
        for (name, value) in response.headers where name != "content-length" && name != "status" {
            if name == "content-type" { hasType = true }
            appendHeader(&out, name, value)
        }
        if !hasType { appendHeader(&out, "content-type", "application/json") }
        if let requestID, response.headers["x-request-id"] == nil { appendHeader(&out, "x-request-id", requestID) }
        out.append(contentsOf: "Content-Length: \(response.body.count)\r\n\r\n".utf8)
        return out
    }

    /// Head and body in one buffer.
    public static func encode(_ response: Response, requestID: String?) -> [UInt8] {
        var out = head(of: response, requestID: requestID)
        out.append(contentsOf: response.body)
        return out
    }

    private static func appendHeader(_ out: inout [UInt8], _ name: String, _ value: String) {
        // Header names are written in canonical case (`Content-Type`). Values from functions never
        // contain line breaks; if one did, it would split the response, so such bytes are dropped.
        var upper = true
        for byte in name.utf8 {
            out.append(upper && byte >= 97 && byte <= 122 ? byte - 32 : byte)
            upper = byte == 45
        }
        out.append(contentsOf: ": ".utf8)
        for byte in value.utf8 where byte != 10 && byte != 13 { out.append(byte) }
        out.append(contentsOf: "\r\n".utf8)
    }
}
