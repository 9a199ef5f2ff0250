/// Replaces known secret values wherever they occur in text bound for errors and logs.
///
/// An upstream might echo a token back in an error body, and transport errors may quote URLs;
/// this is the last line of defence behind ``URLRedaction``.
struct SecretScrubber: Sendable {
    private let secrets: [String]

    init(_ secrets: [Secret]) {
        // Very short values would redact innocent text and are not real tokens anyway.
        self.secrets = secrets.map { $0.reveal() }.filter { $0.count >= 4 }
    }

    func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "<redacted>")
        }
        return result
    }
}
