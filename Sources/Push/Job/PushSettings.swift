import Catchpoint
import OpenTSDB
import UpstreamHTTP

/// Everything a push run needs, as an operator writes it (config file and environment): plain
/// strings and numbers, checked by ``PushJob/make(settings:transport:sleep:now:logger:)``.
public struct PushSettings: Sendable {
    /// The OpenTSDB-compatible receiver.
    public var receiver: ReceiverSettings
    /// Window and checkpoint.
    public var checkpointPath: String
    /// See ``PushJobConfiguration/lookback``.
    public var lookback: Duration
    /// See ``PushJobConfiguration/maxCatchUp``.
    public var maxCatchUp: Duration
    /// See ``PushJobConfiguration/checkpointRetention``; nil: derived from the two above.
    public var checkpointRetention: Duration?
    /// Catchpoint, when configured.
    public var catchpoint: CatchpointSettings?
    /// Sources built by the caller (``BetterStackSource``, ``StatuspageSource``), run after
    /// Catchpoint in this order.
    public var additionalSources: [any PushSource]

    /// Settings with the documented defaults (1 h look-back, 7 days of catch-up, 8 days retention).
    public init(
        receiver: ReceiverSettings,
        checkpointPath: String,
        lookback: Duration = .seconds(3600),
        maxCatchUp: Duration = PushJobConfiguration.defaultMaxCatchUp,
        checkpointRetention: Duration? = nil,
        catchpoint: CatchpointSettings? = nil,
        additionalSources: [any PushSource] = []
    ) {
        self.receiver = receiver
        self.checkpointPath = checkpointPath
        self.lookback = lookback
        self.maxCatchUp = maxCatchUp
        self.checkpointRetention = checkpointRetention
        self.catchpoint = catchpoint
        self.additionalSources = additionalSources
    }
}

/// Where points go.
public struct ReceiverSettings: Sendable {
    /// `http://127.0.0.1:4242` and the like.
    public var url: String
    /// `/api/put` unless the receiver wants another path.
    public var putPath: String
    /// Points per request, 1…50.
    public var batchSize: Int
    /// A whole `Authorization` header value, if the receiver sits behind an authenticating proxy.
    public var authorization: Secret?
    /// Retries after 5xx and connection failures.
    public var retry: RetryPolicy
    /// Deadline of one request.
    public var timeout: Duration

    /// Receiver settings with the documented defaults.
    public init(
        url: String,
        putPath: String = "/api/put",
        batchSize: Int = OpenTSDBConfiguration.maxBatchSize,
        authorization: Secret? = nil,
        retry: RetryPolicy = .openTSDB,
        timeout: Duration = .seconds(30)
    ) {
        self.url = url
        self.putPath = putPath
        self.batchSize = batchSize
        self.authorization = authorization
        self.retry = retry
        self.timeout = timeout
    }
}

/// The Catchpoint source.
public struct CatchpointSettings: Sendable {
    /// `https://io.catchpoint.com` unless pointed at the sandbox.
    public var baseURL: String
    /// The API consumer key.
    public var clientID: Secret
    /// The API consumer secret.
    public var clientSecret: Secret
    /// The tests to pull.
    public var testIDs: [Int]
    /// The tests of each raw request, when they are grouped (the replaced job's `test_ids` by
    /// type, `batch_size` at a time); nil: `testIDs` in requests of up to 50.
    public var requestGroups: [[Int]]?
    /// How the token is written after `Bearer`.
    public var bearerEncoding: BearerEncoding
    /// Which token request form to send.
    public var tokenRequestForm: TokenRequestForm
    /// Seconds (as the replaced job) or milliseconds.
    public var precision: TimestampPrecision

    /// Catchpoint settings with the documented defaults.
    public init(
        baseURL: String = CatchpointConfiguration.defaultBaseURL,
        clientID: Secret,
        clientSecret: Secret,
        testIDs: [Int],
        bearerEncoding: BearerEncoding = .raw,
        tokenRequestForm: TokenRequestForm = .standard,
        precision: TimestampPrecision = .seconds
    ) {
        self.baseURL = baseURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.testIDs = testIDs
        self.bearerEncoding = bearerEncoding
        self.tokenRequestForm = tokenRequestForm
        self.precision = precision
    }
}
