/// Replaces known secret values wherever they occur in text bound for errors and logs.
///
/// An upstream might echo a token back in an error body, and transport errors may quote URLs;
/// this is the last line of defence behind ``URLRedaction``.
public struct SecretScrubber: Sendable {
    // Kept as `Secret`s so that dumping a client does not print them.
    private let secrets: [Secret]

    public init(_ secrets: [Secret]) {
        // Very short values would redact innocent text and are not real tokens anyway.
        self.secrets = secrets.filter { $0.reveal().count >= 4 }
    }

    public func scrub(_ text: String) -> String {
        // Heartbeat ping URLs (in heartbeat lists, echoed bodies) carry a token nobody configured here.
        var result = URLRedaction.redactHeartbeatTokens(in: text)
        for secret in secrets {
            let value = secret.reveal()
            if result.contains(value) {
                result = result.replacing(value, with: "<redacted>")
            }
        }
        return result
    }
}
