import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// ``StatuspageTransport`` over AsyncHTTPClient, `HTTPClient.shared` by default.
public struct HTTPClientTransport: StatuspageTransport {
    private let client: HTTPClient
    /// Bodies larger than this fail the probe instead of filling memory (a large real page's
    /// summary is tens of kilobytes).
    public let maxBodyBytes: Int

    public init(client: HTTPClient = .shared, maxBodyBytes: Int = 8 * 1024 * 1024) {
        self.client = client
        self.maxBodyBytes = maxBodyBytes
    }

    public func get(_ url: String, headers: [(String, String)], timeout: Duration)
        async throws(StatuspageTransportError)
        -> StatuspageHTTPResponse
    {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let (seconds, attoseconds) = timeout.components
        let deadline = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        do {
            let response = try await client.execute(request, timeout: deadline)
            let body = try await response.body.collect(upTo: maxBodyBytes)
            return StatuspageHTTPResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(body.readableBytesView)
            )
        } catch {
            throw Self.classify(error)
        }
    }

    private static func classify(_ error: any Error) -> StatuspageTransportError {
        if error is NIOTooManyBytesError { return StatuspageTransportError(.bodyTooLarge, "\(error)") }
        if let error = error as? HTTPClientError {
            let timeouts: [HTTPClientError] = [
                .deadlineExceeded, .readTimeout, .connectTimeout, .getConnectionFromPoolTimeout, .writeTimeout,
            ]
            if timeouts.contains(error) { return StatuspageTransportError(.timeout, "\(error)") }
            if [.invalidURL, .emptyHost, .emptyScheme].contains(error) {
                return StatuspageTransportError(.invalidURL, "\(error)")
            }
        }
        return StatuspageTransportError(.connection, "\(error)")
    }
}
