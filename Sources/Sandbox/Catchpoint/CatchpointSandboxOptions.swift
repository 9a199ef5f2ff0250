/// The Catchpoint fake's settings (part of ``SandboxConfiguration``).
public struct CatchpointSandboxOptions: Sendable {
    /// Default API consumer key: `sandbox-catchpoint-client`.
    public static let defaultClientID = "sandbox-catchpoint-client"
    /// Default API consumer secret: `sandbox-catchpoint-secret`.
    public static let defaultClientSecret = "sandbox-catchpoint-secret"
    /// The test id whose raw data is the recorded fixture (`raw-reconstructed.json`).
    public static let recordedTestID = 142_637

    /// `client_id` the token endpoint accepts.
    public var clientID: String
    /// `client_secret` the token endpoint accepts.
    public var clientSecret: String
    /// Seconds an access token lives (`expires_in`); Catchpoint's is 900 (15 minutes).
    public var tokenLifetimeSeconds: Int

    /// Options; every parameter has the documented default.
    public init(
        clientID: String = CatchpointSandboxOptions.defaultClientID,
        clientSecret: String = CatchpointSandboxOptions.defaultClientSecret,
        tokenLifetimeSeconds: Int = 900
    ) {
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.tokenLifetimeSeconds = tokenLifetimeSeconds
    }
}
