import UpstreamHTTP

/// Where and how ``OpenTSDBWriter`` puts datapoints.
public struct OpenTSDBConfiguration: Sendable {
    /// OpenTSDB's recommended request size, and the replaced job's.
    public static let maxBatchSize = 50

    /// The receiver, e.g. `http://127.0.0.1:4242` (OpenTSDB, VictoriaMetrics'
    /// `-opentsdbHTTPListenAddr`, InfluxDB's `[[opentsdb]]` bind address).
    public var baseURL: BaseURL
    /// The put path: `/api/put`; `/insert/0/opentsdb/api/put` for a VictoriaMetrics cluster's
    /// vminsert, `/v1/opentsdb/api/put` for GreptimeDB.
    public var putPath: String
    /// Points per request, 1…50.
    public var batchSize: Int
    /// Tags a point may carry (`tsd.storage.max_tags`, 8 by default in OpenTSDB).
    public var maxTags: Int
    /// Append `?details` so OpenTSDB names refused points. VictoriaMetrics and InfluxDB ignore it.
    public var requestDetails: Bool
    /// Deadline of one request.
    public var timeout: Duration
    /// Retries after 5xx, 408, 429 and connection failures.
    public var retry: RetryPolicy
    /// A whole `Authorization` header value (`Basic …`, `Bearer …`) for a receiver behind an
    /// authenticating proxy; `nil` for none.
    public var authorization: Secret?

    /// A configuration with the documented defaults.
    public init(
        baseURL: BaseURL,
        putPath: String = "/api/put",
        batchSize: Int = OpenTSDBConfiguration.maxBatchSize,
        maxTags: Int = 8,
        requestDetails: Bool = true,
        timeout: Duration = .seconds(30),
        retry: RetryPolicy = .openTSDB,
        authorization: Secret? = nil
    ) {
        self.baseURL = baseURL
        self.putPath = putPath
        self.batchSize = batchSize
        self.maxTags = maxTags
        self.requestDetails = requestDetails
        self.timeout = timeout
        self.retry = retry
        self.authorization = authorization
    }

    /// The reasons this configuration cannot work, one line each; empty when it is usable.
    public var problems: [String] {
        var problems: [String] = []
        if !(1...Self.maxBatchSize).contains(batchSize) {
            problems.append("batch size \(batchSize) is outside 1…\(Self.maxBatchSize)")
        }
        if maxTags < 1 { problems.append("max tags \(maxTags) must be at least 1") }
        if !putPath.hasPrefix("/") || putPath.contains("?") || putPath.contains(" ") {
            problems.append("put path '\(putPath)' must start with / and have no query")
        }
        if retry.maxAttempts < 1 { problems.append("retry attempts \(retry.maxAttempts) must be at least 1") }
        if timeout <= .zero { problems.append("timeout must be positive") }
        return problems
    }

    /// The URL every put goes to.
    public var putURL: String {
        baseURL.appending(putPath) + (requestDetails ? "?details" : "")
    }
}
