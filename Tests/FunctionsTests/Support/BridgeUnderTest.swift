import AsyncHTTPClient
import BetterStack
import FastCGIRuntime
import Foundation
import Functions
import Logging
import NIOCore
import Sandbox
import TTLCache

/// The functions in process (through `TestDriver`, as FastCGI and CGI would call them) against an
/// in-process sandbox, with the real Better Stack client and a real cache.
final class BridgeUnderTest: @unchecked Sendable {
    let sandbox: SandboxServer
    let driver: TestDriver<FunctionContext>
    let data: UptimeData
    let clock: ManualCacheClock
    let now: Int64
    let token = "test-token-\(UInt32.random(in: 0...UInt32.max))"

    static let fixedNow: Int64 = 1_795_300_000_000  // 2026-11-21T…Z, inside the sandbox's data

    init(monitors: Int = 5, requestTimeout: Duration = .seconds(2), retry: RetryPolicy = .none) async throws {
        now = Self.fixedNow
        sandbox = try await SandboxServer.start(
            SandboxConfiguration(token: token, monitors: monitors, now: now),
            logger: Logger(label: "sandbox")
        )
        let configuration = try BetterStackConfiguration(
            baseURL: "http://127.0.0.1:\(sandbox.port)",
            token: Secret(token),
            requestTimeout: requestTimeout,
            retryPolicy: retry
        )
        let client = BetterStackClient(configuration: configuration, logger: Logger(label: "client"))
        clock = ManualCacheClock(milliseconds: now)
        let clock = self.clock
        data = UptimeData(client: client, cache: MemoryCache(maxBytes: 64 << 20, clock: clock), now: { clock.now() })
        let settings = BridgeSettings(version: "test", nodeName: "node-a")
        let services = Services(settings: settings, uptime: data)
        driver = TestDriver(router: Routes.router(settings: settings), options: GatewayOptions(basePath: "/uptime")) {
            FunctionContext(info: $0, services: services)
        }
    }

    func stop() async {
        try? await sandbox.shutdown()
    }

    struct Answer {
        var status: Int
        var headers: Headers
        var body: String
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
        var array: [Any] { json as? [Any] ?? [] }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    func get(_ uri: String) async -> Answer {
        let response = await driver.send(method: "GET", uri: "/uptime" + uri)
        return Answer(status: response.status, headers: response.headers, body: String(decoding: response.body, as: UTF8.self))
    }

    func post(_ path: String, json: Any) async throws -> Answer {
        let body = try JSONSerialization.data(withJSONObject: json)
        return await post(path, raw: Array(body))
    }

    func post(_ path: String, raw: [UInt8]) async -> Answer {
        let response = await driver.send(method: "POST", uri: "/uptime" + path, body: raw)
        return Answer(status: response.status, headers: response.headers, body: String(decoding: response.body, as: UTF8.self))
    }

    /// The sandbox's raw JSON for an API path, with the right token.
    func upstreamJSON(_ path: String) async throws -> Any {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(sandbox.port)\(path)")
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        return try JSONSerialization.jsonObject(with: Data(Array(body.readableBytesView)))
    }

    /// Upstream requests counted by the sandbox, all routes.
    var upstreamCalls: Int { sandbox.requestCounts.values.reduce(0, +) }

    static func iso(_ ms: Int64) -> String { ISO8601Timestamp.format(milliseconds: ms) }
}

func withBridge(
    monitors: Int = 5,
    requestTimeout: Duration = .seconds(2),
    _ body: (BridgeUnderTest) async throws -> Void
) async throws {
    let bridge = try await BridgeUnderTest(monitors: monitors, requestTimeout: requestTimeout)
    do {
        try await body(bridge)
    } catch {
        await bridge.stop()
        throw error
    }
    await bridge.stop()
}

/// Fixture files copied from ../shared/fixtures.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(path)))
    }
}
