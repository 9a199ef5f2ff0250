/// Where Better Stack Errors (Sentry-compatible) takes events: a DSN as the product shows it,
/// `https://<public key>@<ingesting host>/<project id>` (`BETTERSTACK_ERRORS_DSN`).
///
/// Events go to the envelope endpoint the DSN names, as every Sentry SDK sends them:
/// `POST <scheme>://<host>[/<path>]/api/<project id>/envelope/` with the key in `X-Sentry-Auth`
/// (Sentry's developer documentation, "Envelopes" and "Authentication"). A legacy DSN with a
/// secret (`key:secret@`) works; the secret is not needed and never sent.
public struct ErrorsDSN: Sendable, CustomStringConvertible {
    /// The public key (`sentry_key`).
    public let publicKey: Secret
    /// The project id, the DSN's last path segment.
    public let projectID: String
    /// The envelope endpoint.
    public let envelopeURL: String

    public init(parsing text: String) throws(BetterStackError) {
        let invalid = BetterStackError.invalidConfiguration(
            "the Better Stack Errors DSN must look like https://KEY@HOST/PROJECT_ID"
        )
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        let scheme: String
        if trimmed.hasPrefix("https://") {
            scheme = "https"
        } else if trimmed.hasPrefix("http://") {
            scheme = "http"
        } else {
            throw invalid
        }
        let rest = trimmed.dropFirst(scheme.count + 3)
        guard let at = rest.firstIndex(of: "@") else { throw invalid }
        let userinfo = rest[..<at]
        let key = userinfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let location = rest[rest.index(after: at)...]
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            throw invalid
        }
        var segments = location.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while segments.last == "" { segments.removeLast() }
        guard segments.count >= 2, let project = segments.last, !project.isEmpty,
            project.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else { throw invalid }
        let host = segments[0]
        guard !host.isEmpty, !host.contains("?"), !host.contains("#"),
            host.allSatisfy({ $0.isASCII && !$0.isWhitespace })
        else { throw invalid }
        let prefix = segments.dropFirst().dropLast().joined(separator: "/")
        publicKey = Secret(key)
        projectID = project
        envelopeURL = "\(scheme)://\(host)/" + (prefix.isEmpty ? "" : prefix + "/") + "api/\(project)/envelope/"
    }

    /// The `X-Sentry-Auth` header value.
    func authHeader(client: String) -> String {
        "Sentry sentry_version=7, sentry_client=\(client), sentry_key=\(publicKey.reveal())"
    }

    public var description: String { "ErrorsDSN(\(envelopeURL), key: <redacted>)" }
}
