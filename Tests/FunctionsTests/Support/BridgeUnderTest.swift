import AsyncHTTPClient
import BetterStack
import FastCGIRuntime
import FastCGITesting
import Foundation
import Functions
import Logging
import NIOCore
import Sandbox
@testable import Statuspage
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

    let services: Services

    /// A status page of the sandbox to configure: `services.json` key and name, and the sandbox slug.
    struct StatuspagePage {
        var key: String
        var name: String
        var slug: String

        init(key: String, name: String, slug: String) {
            self.key = key
            self.name = name
            self.slug = slug
        }

        /// Keyed and named after the slug.
        init(_ slug: String) {
            self.init(key: slug, name: "Sandbox \(slug)", slug: slug)
        }
    }

    init(
        monitors: Int = 5,
        checkFrequency: Int? = nil,
        requestTimeout: Duration = .seconds(2),
        retry: RetryPolicy = .none,
        statuspages: Int = 3,
        statuspagePages: [StatuspagePage] = [],
        metrics: MetricsSettings = MetricsSettings(),
        allowlist: [String] = [],
        limits: RequestLimits = RequestLimits(),
        debugRoutes: Bool = false,
        pace: UpstreamPace.Settings? = nil,
        paceOnWallClock: Bool = false
    ) async throws {
        now = Self.fixedNow
        var sandboxLogger = Logger(label: "sandbox")
        sandboxLogger.logLevel = .warning
        sandbox = try await SandboxServer.start(
            SandboxConfiguration(
                token: token,
                monitors: monitors,
                checkFrequency: checkFrequency,
                statuspages: statuspages,
                now: now
            ),
            logger: sandboxLogger
        )
        let configuration = try BetterStackConfiguration(
            baseURL: "http://127.0.0.1:\(sandbox.port)",
            token: Secret(token),
            requestTimeout: requestTimeout,
            retryPolicy: retry
        )
        let telemetry = BridgeTelemetry()
        var quiet = Logger(label: "client")
        quiet.logLevel = .critical  // fault tests fail upstream calls on purpose
        clock = ManualCacheClock(milliseconds: now)
        let paceClock = clock
        // The pace runs on the test's clock, so cool-downs pass when the test says so.
        let client = BetterStackClient(
            configuration: configuration,
            logger: quiet,
            observer: telemetry.betterStackObserver,
            pace: pace.map { paceOnWallClock ? UpstreamPace(settings: $0) : UpstreamPace(settings: $0, clock: { paceClock.now() }) }
        )
        let clock = self.clock
        data = UptimeData(
            client: client,
            cache: MemoryCache(maxBytes: 64 << 20, clock: clock),
            allowlist: allowlist,
            now: { clock.now() }
        )
        var metrics = metrics
        metrics.statuspageServices = statuspagePages.map { [port = sandbox.port] page in
            StatuspageService(
                key: page.key,
                name: page.name,
                url: "http://127.0.0.1:\(port)/statuspage/\(page.slug)/api/v2/summary.json"
            )
        }
        var statuspage: StatuspageData?
        if !metrics.statuspageServices.isEmpty {
            let statuspageClient = StatuspageClient(
                configuration: .init(timeout: requestTimeout, retryPolicy: .none),
                logger: quiet,
                observer: telemetry.statuspageObserver
            )
            statuspage = StatuspageData(
                services: metrics.statuspageServices,
                client: statuspageClient,
                ttl: metrics.statuspageTTL,
                cache: MemoryCache(maxBytes: 1 << 20, clock: clock)
            )
        }
        let settings = BridgeSettings(version: "test", debugRoutes: debugRoutes, nodeName: "node-a", limits: limits)
        let services = Services(
            settings: settings,
            uptime: data,
            metrics: metrics,
            statuspage: statuspage,
            telemetry: telemetry
        )
        self.services = services
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

/// The files of Tests/Fixtures (provenance in its README).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent(path)))
    }

    static func text(_ path: String) throws -> String {
        String(decoding: try Data(contentsOf: root.appendingPathComponent(path)), as: UTF8.self)
    }
}
