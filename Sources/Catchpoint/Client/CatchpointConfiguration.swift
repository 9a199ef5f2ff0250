import OpenTSDB
import UpstreamHTTP

/// How to reach the Catchpoint REST API v1 and authenticate.
public struct CatchpointConfiguration: Sendable {
    /// Catchpoint's own host.
    public static let defaultBaseURL = "https://io.catchpoint.com"
    /// Test ids per raw request; both historic clients batch by 50 (`pavan485/python-opentsDB` `application.py`, `Prasen1/opentsdb-nodejs` `insert_db.js`).
    public static let maxTestsPerRequest = 50

    /// `https://io.catchpoint.com`, or the sandbox.
    public var baseURL: BaseURL
    /// The API consumer's key (`client_id`). Kept as a ``Secret``: it is half the credential.
    public var clientID: Secret
    /// The API consumer's secret (`client_secret`).
    public var clientSecret: Secret
    /// How the token is written after `Bearer`.
    public var bearerEncoding: BearerEncoding
    /// Which form the token request sends.
    public var tokenRequestForm: TokenRequestForm
    /// Test ids per raw request, 1…50.
    public var testsPerRequest: Int
    /// Deadline of one request.
    public var timeout: Duration
    /// Retries after 5xx, 429 and connection failures.
    public var retry: RetryPolicy
    /// A token is renewed this long before the `expires_in` the token endpoint announced, so
    /// that a request never leaves with a token about to lapse.
    public var tokenRenewalMargin: Duration

    /// A configuration; `baseURL` defaults to Catchpoint itself.
    public init(
        baseURL: BaseURL? = nil,
        clientID: Secret,
        clientSecret: Secret,
        bearerEncoding: BearerEncoding = .raw,
        tokenRequestForm: TokenRequestForm = .standard,
        testsPerRequest: Int = CatchpointConfiguration.maxTestsPerRequest,
        timeout: Duration = .seconds(60),
        retry: RetryPolicy = RetryPolicy.catchpoint.with(maxAttempts: 3),
        tokenRenewalMargin: Duration = .seconds(30)
    ) {
        // The default literal is valid; `try!` cannot fail here.
        self.baseURL = baseURL ?? (try! BaseURL(Self.defaultBaseURL))
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.bearerEncoding = bearerEncoding
        self.tokenRequestForm = tokenRequestForm
        self.testsPerRequest = testsPerRequest
        self.timeout = timeout
        self.retry = retry
        self.tokenRenewalMargin = tokenRenewalMargin
    }

    /// The reasons this configuration cannot work, one line each, never quoting a secret.
    public var problems: [String] {
        var problems: [String] = []
        if clientID.isEmpty { problems.append("Catchpoint client id is empty") }
        if clientSecret.isEmpty { problems.append("Catchpoint client secret is empty") }
        if !(1...Self.maxTestsPerRequest).contains(testsPerRequest) {
            problems.append("tests per request \(testsPerRequest) is outside 1…\(Self.maxTestsPerRequest)")
        }
        if timeout <= .zero { problems.append("Catchpoint timeout must be positive") }
        if retry.maxAttempts < 1 { problems.append("Catchpoint retry attempts must be at least 1") }
        return problems
    }
}
