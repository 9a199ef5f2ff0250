/// Rewrites URLs for errors and logs so that heartbeat ping tokens in paths, credentials in the
/// authority and token-like query parameters never show.
package enum URLRedaction {
    private static let sensitiveQueryNames = ["token", "key", "secret", "password", "auth", "signature"]

    /// The URL with `user:password@`, the heartbeat token segment and token-like query values replaced.
    package static func redact(_ url: String) -> String {
        var rest = Substring(url)
        var prefix = ""
        if let schemeEnd = rest.firstRange(of: "://") {
            prefix = String(rest[..<schemeEnd.upperBound])
            rest = rest[schemeEnd.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
            var authority = rest[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") {
                authority = authority[authority.index(after: at)...]
                prefix += "<redacted>@"
            }
            prefix += authority
            rest = rest[authorityEnd...]
        }
        var fragmentless = rest
        if let hash = fragmentless.firstIndex(of: "#") {
            fragmentless = fragmentless[..<hash]
        }
        let queryStart = fragmentless.firstIndex(of: "?")
        let path = queryStart.map { fragmentless[..<$0] } ?? fragmentless
        var out = prefix + redactPath(path)
        if let queryStart {
            let query = fragmentless[fragmentless.index(after: queryStart)...]
            out += "?" + redactQuery(query)
        }
        return out
    }

    /// `/api/v1/heartbeat/<token>/fail` → `/api/v1/heartbeat/<redacted>/fail`.
    static func redactPath(_ path: Substring) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        while index < segments.count {
            if segments[index] == "heartbeat", index + 1 < segments.count, !segments[index + 1].isEmpty {
                segments[index + 1] = "<redacted>"
                index += 1
            }
            index += 1
        }
        return segments.joined(separator: "/")
    }

    private static func redactQuery(_ query: Substring) -> String {
        query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = pair[..<equals].lowercased()
            if sensitiveQueryNames.contains(where: { name.contains($0) }) {
                return pair[..<equals] + "=<redacted>"
            }
            return String(pair)
        }.joined(separator: "&")
    }

    /// Replaces the token after every `heartbeat/` in free text (body previews, upstream messages).
    package static func redactHeartbeatTokens(in text: String) -> String {
        guard text.contains("heartbeat/") else { return text }
        var result = ""
        var rest = Substring(text)
        while let marker = rest.firstRange(of: "heartbeat/") {
            result += rest[..<marker.upperBound]
            rest = rest[marker.upperBound...]
            let tokenEnd = rest.firstIndex { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") } ?? rest.endIndex
            if tokenEnd > rest.startIndex {
                result += "<redacted>"
                rest = rest[tokenEnd...]
            }
        }
        return result + rest
    }
}
