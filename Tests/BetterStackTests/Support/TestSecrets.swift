import BetterStack

/// Distinctive secret values, so that a leak is unmistakable in any text.
enum TestSecrets {
    static let apiToken = "bsTOKEN_a9f3c2e17d5b4e0f"
    static let heartbeatToken = "hbTOKEN_5e8d1c0b2a3f"
    static let logsToken = "lgTOKEN_0c7b6a5d4e3f"
    /// A token the sandbox does not accept, for 401 tests; still a secret.
    static let wrongAPIToken = "bsWRONG_71c0d9e8f6a5b4c3"

    static let all = [apiToken, heartbeatToken, logsToken, wrongAPIToken]

    /// The secret string if `text` contains any test secret.
    static func leaked(in text: String) -> String? {
        all.first { text.contains($0) }
    }
}
