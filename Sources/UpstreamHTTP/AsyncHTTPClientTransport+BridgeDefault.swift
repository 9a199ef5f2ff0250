import AsyncHTTPClient

extension AsyncHTTPClientTransport {
    /// The transport every bridge client uses unless given another: ``bridgeHTTPClient``.
    public static let bridgeDefault = AsyncHTTPClientTransport(client: bridgeHTTPClient)

    /// The bridge's process-wide `HTTPClient`, tuned to fail fast when an upstream is down.
    ///
    /// Why not `HTTPClient.shared`: its pool retries a failed connection attempt (refused, DNS
    /// failure, unreachable) with backoff until the request's deadline, and its connect timeout is
    /// 90 s. Against a dead upstream every attempt then costs the full request timeout, and the
    /// client's retries multiply that: a dashboard panel waits 3 × 10 s for an answer that was
    /// known after a millisecond, while its FastCGI worker slot is held. Here:
    ///
    /// - `retryConnectionEstablishment = false`: a request whose connection cannot be established
    ///   fails at once with the connection error. Retrying is ``RetryPolicy``'s job, which backs
    ///   off, counts attempts and reports each one.
    /// - Connect timeout 2 s: a blackholed host (SYNs dropped) fails well before the request
    ///   deadline, leaving the deadline for slow answers.
    /// - At most 8 HTTP/1.1 connections per host (AsyncHTTPClient's soft limit; HTTP/2 multiplexes
    ///   on one), idle ones closed after 30 s: enough for a worker's concurrent misses, few enough
    ///   to stay a good citizen towards an upstream that rate-limits at about 8 requests/s.
    /// - Redirects followed up to 5 times without cycles; AsyncHTTPClient drops `Authorization`
    ///   on a cross-origin redirect, so the token never goes to another host.
    /// - A `Content-Encoding` answer is decompressed up to 64 MiB (the transport's default body
    ///   limit), bounding a compression bomb.
    ///
    /// Created on first use on the singleton event loop group and never shut down, which suits a
    /// long-running FastCGI worker and a one-shot CGI process alike (like `HTTPClient.shared`, a
    /// `static let` is never deinitialised, so AsyncHTTPClient's "not shut down" check never fires).
    public static let bridgeHTTPClient = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: bridgeConfiguration
    )

    /// The configuration of ``bridgeHTTPClient``; a starting point for a client of one's own.
    public static var bridgeConfiguration: HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool(
            idleTimeout: .seconds(30),
            concurrentHTTP1ConnectionsPerHostSoftLimit: 8
        )
        pool.retryConnectionEstablishment = false
        // No read timeout: each request carries its own deadline (`HTTPTransportRequest.timeout`).
        return HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 5, allowCycles: false),
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(2)),
            connectionPool: pool,
            decompression: .enabled(limit: .size(64 << 20))
        )
    }
}
