/// A validated `http(s)://host[:port][/prefix]` base URL, kept without a trailing slash so paths
/// can be appended as `base + "/api/put"`.
public struct BaseURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL text, no trailing slash.
    public let string: String

    /// Checks the form; throws a one-line reason for a URL that cannot work.
    ///
    /// Credentials in the URL (`user:pass@host`) are refused: they would end up in logs and
    /// error messages. Use the configuration's credential fields instead.
    public init(_ text: String) throws(BaseURLError) {
        var trimmed = text.trimmingWhitespace()
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        let lower = trimmed.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw BaseURLError(reason: "'\(trimmed)' is not an http:// or https:// URL")
        }
        let afterScheme = trimmed.drop(while: { $0 != "/" }).dropFirst(2)
        let authority = afterScheme.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        guard !authority.isEmpty else { throw BaseURLError(reason: "'\(trimmed)' has no host") }
        guard !authority.contains("@") else {
            throw BaseURLError(reason: "a base URL must not carry credentials (user:password@)")
        }
        guard !trimmed.contains("?"), !trimmed.contains("#"), !trimmed.contains(" ") else {
            throw BaseURLError(reason: "'\(trimmed)' must not contain a query, fragment or space")
        }
        self.string = trimmed
    }

    /// `base + path`, `path` starting with `/`.
    public func appending(_ path: String) -> String { string + path }

    public var description: String { string }
}

/// Why a base URL was refused.
public struct BaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// One line.
    public let reason: String
    public var description: String { reason }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
