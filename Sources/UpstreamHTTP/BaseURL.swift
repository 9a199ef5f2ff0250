/// A validated `http`/`https` base URL such as `https://uptime.betterstack.com` or
/// `http://127.0.0.1:8080/prefix`: scheme and host required, no credentials (they would end up in
/// logs and errors: credentials belong in the clients' secret settings), query or fragment.
/// Stored without a trailing slash so that API paths can be appended directly. The one base URL
/// type of every upstream client.
public struct BaseURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lower case.
    public let scheme: String
    /// `host` or `host:port` (IPv6 literals keep their brackets).
    public let authority: String
    /// An optional path prefix without trailing slash, e.g. `""` or `/betterstack`.
    public let pathPrefix: String

    /// `scheme://authority`.
    public var origin: String { "\(scheme)://\(authority)" }

    public var description: String { origin + pathPrefix }
    /// The URL text, no trailing slash.
    public var string: String { origin + pathPrefix }

    /// `base + path`, `path` starting with `/`.
    public func appending(_ path: String) -> String { string + path }

    /// Parses and validates; `what` names the setting in error messages.
    public init(_ text: String, what: String = "the URL") throws(BaseURLError) {
        let trimmed = text.trimmingASCIIWhitespace()
        guard !trimmed.isEmpty else {
            throw BaseURLError(reason: "\(what) is empty")
        }
        guard let schemeEnd = trimmed.firstRange(of: "://") else {
            throw BaseURLError(reason: 
                "\(what) must start with http:// or https:// (got \"\(Self.safePreview(trimmed))\")"
            )
        }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw BaseURLError(reason: "\(what) must use http or https, not \"\(Self.safePreview(scheme))\"")
        }
        let rest = trimmed[schemeEnd.upperBound...]
        guard !rest.contains("?") else {
            throw BaseURLError(reason: "\(what) must not have a query string")
        }
        guard !rest.contains("#") else {
            throw BaseURLError(reason: "\(what) must not have a fragment")
        }
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.contains("@") else {
            // Credentials in a URL end up in logs; tokens belong in the token settings.
            throw BaseURLError(reason: "\(what) must not contain credentials (user@host)")
        }
        guard !authority.contains(where: { $0 == " " || $0 == "\t" }) else {
            throw BaseURLError(reason: "\(what) has whitespace in its host")
        }
        let host: Substring
        let port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw BaseURLError(reason: "\(what) has an unterminated IPv6 address")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let afterHost = authority[authority.index(after: close)...]
            if afterHost.isEmpty {
                port = nil
            } else if afterHost.hasPrefix(":") {
                port = afterHost.dropFirst()
            } else {
                throw BaseURLError(reason: "\(what) has a malformed host")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            port = authority[authority.index(after: colon)...]
        } else {
            host = Substring(authority)
            port = nil
        }
        guard !host.isEmpty else {
            throw BaseURLError(reason: "\(what) has no host")
        }
        if let port {
            guard let number = Int(port), (1...65_535).contains(number) else {
                throw BaseURLError(reason: "\(what) has an invalid port \"\(Self.safePreview(String(port)))\"")
            }
        }
        var path = String(rest[authorityEnd...])
        while path.hasSuffix("/") {
            path.removeLast()
        }
        self.scheme = scheme
        self.authority = authority.lowercased()
        self.pathPrefix = path
    }

    /// `origin + pathPrefix + path`; `path` starts with `/`.
    public func url(path: String, query: [(String, String)] = []) -> String {
        var result = origin + pathPrefix + path
        if !query.isEmpty {
            result += "?" + PercentEncoding.query(query)
        }
        return result
    }

    /// Whether an absolute URL points at this base's origin (same scheme, host and port).
    public func hasSameOrigin(_ absoluteURL: String) -> Bool {
        let lowered = absoluteURL.lowercased()
        guard lowered.hasPrefix(origin) else { return false }
        let next = lowered.dropFirst(origin.count).first
        return next == nil || next == "/" || next == "?"
    }

    /// Bounded and redacted echo of user input for error messages.
    private static func safePreview(_ text: String) -> String {
        URLRedaction.redact(String(text.prefix(80)))
    }
}

/// Why a base URL was refused: one line naming the setting.
public struct BaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
