import AsyncHTTPClient
import UpstreamHTTP

extension AsyncHTTPClientTransport {
    /// The transport of the push job's clients (the OpenTSDB writer, the Catchpoint client).
    public static let push = AsyncHTTPClientTransport(client: pushHTTPClient)

    /// The bridge's client configuration (``bridgeConfiguration``: connection failures reported at
    /// once, not retried until the deadline), with up to 10 s to connect instead of 2: the push job
    /// runs in the background against receivers that may be far away, and has its own bounded
    /// retries. Never shut down, like the bridge's client.
    public static let pushHTTPClient: HTTPClient = {
        var configuration = bridgeConfiguration
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
