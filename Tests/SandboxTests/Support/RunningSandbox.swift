import Logging
import Sandbox
import TestSupport
import Testing

/// A fixed anchor time, 2026-05-02T09:15:00.000Z, so that expectations do not drift with the clock.
let testAnchor: Int64 = 1_777_713_300_000

/// TestSupport's `withSandbox`, at the anchor unless told otherwise.
func withSandbox<T>(
    _ configuration: SandboxConfiguration = SandboxConfiguration(now: testAnchor),
    _ body: (SandboxServer) async throws -> T
) async throws -> T {
    try await TestSupport.withSandbox(configuration, body)
}

extension SandboxServer {
    /// GET (or another method) with the default token; see ``RawHTTPClient``.
    func send(
        _ target: String,
        method: String = "GET",
        token: String? = SandboxConfiguration.defaultToken,
        host: String? = nil,
        headers: [(String, String)] = [],
        body: [UInt8] = []
    ) throws -> RawHTTPResult {
        try RawHTTPClient.send(
            port: port,
            method: method,
            target: target,
            token: token,
            host: host,
            headers: headers,
            body: body
        )
    }

    /// GET a JSON payload that must answer 200.
    func json(_ target: String, host: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSON {
        let result = try send(target, host: host)
        #expect(result.status == 200, "\(target): \(result.text.prefix(300))", sourceLocation: sourceLocation)
        return try result.json()
    }

    /// Every item of a paginated list, following `pagination.next` verbatim as PDOK's exporter does.
    func allPages(_ target: String) throws -> [JSON] {
        var items: [JSON] = []
        var next: String? = target
        var guardCount = 0
        while let current = next, guardCount < 1000 {
            let page = try json(current)
            items += page["data"]?.arrayValue ?? []
            next = page["pagination"]?["next"]?.stringValue.map { link in
                // Absolute URL → request target.
                String(link.dropFirst("http://127.0.0.1:\(port)".count))
            }
            guardCount += 1
        }
        return items
    }
}
