#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension BetterStackConfiguration {
    /// Environment variable names read by ``fromEnvironment(_:readFile:)``.
    public enum EnvironmentKey {
        /// Optional API base URL (default `https://uptime.betterstack.com`).
        public static let apiURL = "BETTERSTACK_API_URL"
        /// The API token.
        public static let apiToken = "BETTERSTACK_API_TOKEN"
        /// A file holding the API token (Docker/systemd credentials); trailing newline ignored.
        public static let apiTokenFile = "BETTERSTACK_API_TOKEN_FILE"
        /// The token name used by the original Python proxy; still honoured.
        public static let legacyAPIToken = "BetterStack_API_TOKEN"
        /// Optional per-attempt timeout in seconds (decimals allowed).
        public static let timeoutSeconds = "BETTERSTACK_API_TIMEOUT"
    }

    /// Builds a configuration from environment variables.
    ///
    /// The token comes from `BETTERSTACK_API_TOKEN`, else the file named by
    /// `BETTERSTACK_API_TOKEN_FILE`, else the legacy `BetterStack_API_TOKEN`. Empty variables count
    /// as unset. Errors name the variables involved, never their values.
    public static func fromEnvironment(
        _ environment: [String: String],
        readFile: (String) throws -> String = BetterStackConfiguration.readSecretFile
    ) throws(BetterStackError) -> BetterStackConfiguration {
        func value(_ key: String) -> String? {
            guard let raw = environment[key]?.trimmingASCIIWhitespace(), !raw.isEmpty else { return nil }
            return raw
        }
        let token: Secret
        if let direct = value(EnvironmentKey.apiToken) {
            token = Secret(direct)
        } else if let path = value(EnvironmentKey.apiTokenFile) {
            let contents: String
            do {
                contents = try readFile(path)
            } catch {
                throw .invalidConfiguration(
                    "cannot read \(EnvironmentKey.apiTokenFile) (\(path)): \(String(describing: error).prefix(200))"
                )
            }
            let trimmed = contents.trimmingASCIIWhitespace()
            guard !trimmed.isEmpty else {
                throw .invalidConfiguration("the file named by \(EnvironmentKey.apiTokenFile) (\(path)) is empty")
            }
            token = Secret(trimmed)
        } else if let legacy = value(EnvironmentKey.legacyAPIToken) {
            token = Secret(legacy)
        } else {
            throw .invalidConfiguration(
                "no Better Stack API token: set \(EnvironmentKey.apiToken), \(EnvironmentKey.apiTokenFile) "
                    + "or \(EnvironmentKey.legacyAPIToken)"
            )
        }
        var timeout = Duration.seconds(10)
        if let text = value(EnvironmentKey.timeoutSeconds) {
            guard let seconds = Double(text), seconds > 0, seconds <= 600 else {
                throw .invalidConfiguration("\(EnvironmentKey.timeoutSeconds) must be a number of seconds in (0, 600]")
            }
            timeout = .milliseconds(Int64(seconds * 1000))
        }
        return try BetterStackConfiguration(
            baseURL: value(EnvironmentKey.apiURL) ?? defaultBaseURL,
            token: token,
            requestTimeout: timeout
        )
    }

    /// Reads a whole file as UTF-8 (used for `*_FILE` secrets).
    public static func readSecretFile(_ path: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return String(decoding: data, as: UTF8.self)
    }
}
