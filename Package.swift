// swift-tools-version: 6.0
//
// uptime-bridge: Better Stack Uptime, Statuspage and Catchpoint data for Grafana,
// Prometheus and OpenTSDB, served by stateless functions behind FastCGI/CGI.
import PackageDescription

let package = Package(
    name: "uptime-bridge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "uptime-bridge", targets: ["UptimeBridge"]),
        .executable(name: "uptime-bridge-sandbox", targets: ["UptimeBridgeSandbox"]),
        .library(name: "FastCGIRuntime", targets: ["FastCGIRuntime"]),
        // Runs a router in process, as FastCGI or CGI would call it (for tests; as hummingbird
        // ships its test client).
        .library(name: "FastCGITesting", targets: ["FastCGITesting"]),
        .library(name: "BetterStack", targets: ["BetterStack"]),
        .library(name: "TTLCache", targets: ["TTLCache"]),
        // For the fuzz harness in Fuzz/ (a separate package that depends on this one by path).
        .library(name: "Functions", targets: ["Functions"]),
        .library(name: "Statuspage", targets: ["Statuspage"]),
        .library(name: "Catchpoint", targets: ["Catchpoint"]),
        .library(name: "Push", targets: ["Push"]),
        .library(name: "BridgeConfiguration", targets: ["BridgeConfiguration"]),
        .library(name: "OpenTSDB", targets: ["OpenTSDB"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // libfcgi's fcgiapp.h (FCGX_* API only), Debian package libfcgi-dev. The module map links
        // nothing: FastCGIRuntime links the library (statically on Linux).
        .systemLibrary(
            name: "CFastCGI",
            providers: [.apt(["libfcgi-dev"]), .brew(["fcgi"])]
        ),
        // glibc's malloc.h (mallopt), for MemoryTuning. Nothing to link.
        .systemLibrary(name: "CMalloc"),
        // Accept loop, request/response types, router, CGI fallback, signals, limits.
        // Knows nothing of Better Stack or any endpoint.
        .target(
            name: "FastCGIRuntime",
            dependencies: [
                "CFastCGI",
                .target(name: "CMalloc", condition: .when(platforms: [.linux])),
                .product(name: "Logging", package: "swift-log"),
            ],
            linkerSettings: [
                // One variant for every build: libfcgi.a (from libfcgi-dev, 40 KB) is linked in, so
                // with --static-swift-stdlib (deploy/build-static.sh) the binary needs only the C
                // libraries of the host (shared hosting has no libfcgi). Like BoringSSL, which is
                // compiled in anyway, a libfcgi fix then means rebuilding, not `apt upgrade`.
                .linkedLibrary(":libfcgi.a", .when(platforms: [.linux])),
                .linkedLibrary("fcgi", .when(platforms: [.macOS])),
            ]
        ),
        // The per-worker TTL cache (in memory) and its file-backed twin for CGI mode.
        .target(
            name: "FastCGITesting",
            dependencies: ["FastCGIRuntime", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "TTLCache"),
        // The HTTP layer under every upstream client (Better Stack, OpenTSDB receivers, Catchpoint):
        // one request in, the whole response or a classified error out; fakeable in tests.
        .target(
            name: "UpstreamHTTP",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The common Better Stack client: Uptime API v2/v3, heartbeat pings, Logs ingestion.
        .target(
            name: "BetterStack",
            dependencies: [
                "UpstreamHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Prometheus text format 0.0.4 writer shared by every family the bridge renders.
        .target(name: "PrometheusExposition"),
        // Atlassian Statuspage v2 client and the statuspage-prometheus-exporter 2.6.0 compatible families.
        .target(
            name: "Statuspage",
            dependencies: [
                "PrometheusExposition",
                "UpstreamHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Catchpoint REST v1 client (token + raw performance) and the historic OpenTSDB naming.
        .target(
            name: "Catchpoint",
            dependencies: [
                "OpenTSDB",
                "UpstreamHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // OpenTSDB /api/put writer (OpenTSDB, VictoriaMetrics, InfluxDB 1.x).
        .target(
            name: "OpenTSDB",
            dependencies: [
                "UpstreamHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libyaml's yaml.h (Debian libyaml-dev), for the config file. Linked statically on Linux like
        // libfcgi, so the portable binary needs no libyaml on the host.
        .systemLibrary(
            name: "CYAML",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // The config file (YAML, read with libyaml rather than Yams: Yams needs all of Foundation,
        // see YAMLDocument.swift) with environment overrides and *_file secrets.
        .target(
            name: "BridgeConfiguration",
            dependencies: ["CYAML", "UpstreamHTTP"],
            linkerSettings: [
                .linkedLibrary(":libyaml.a", .when(platforms: [.linux])),
                .linkedLibrary("yaml", .when(platforms: [.macOS])),
            ]
        ),
        // The push job: sources (Catchpoint, later Better Stack and Statuspage) to an OpenTSDB
        // receiver in acknowledged batches, with a per-series checkpoint for exactly-once delivery.
        .target(
            name: "Push",
            dependencies: [
                "OpenTSDB",
                "UpstreamHTTP",
                "Catchpoint",
                "BetterStack",
                "Statuspage",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One file per endpoint; handlers get everything from their context.
        .target(
            name: "Functions",
            dependencies: [
                "FastCGIRuntime",
                "TTLCache",
                "BetterStack",
                "Statuspage",
                "PrometheusExposition",
                // The bridge's own request and upstream counters and histograms (per process).
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "UptimeBridge",
            dependencies: [
                "FastCGIRuntime",
                "Functions",
                "BetterStack",
                "TTLCache",
                "BridgeConfiguration",
                "Statuspage",
                "Push",
                "OpenTSDB",
                "Catchpoint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The local fake of the SaaS APIs. Never linked into `uptime-bridge`.
        .target(
            name: "Sandbox",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "UptimeBridgeSandbox",
            dependencies: [
                "Sandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FastCGIRuntimeTests",
            dependencies: [
                "FastCGIRuntime", "FastCGITesting", "Functions", "Statuspage", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TTLCacheTests", dependencies: ["TTLCache"]),
        .testTarget(name: "BridgeConfigurationTests", dependencies: ["BridgeConfiguration"]),
        .testTarget(
            name: "FunctionsTests",
            dependencies: [
                "Functions", "FastCGIRuntime", "FastCGITesting", "BetterStack", "TTLCache", "Sandbox", "Statuspage",
                "PrometheusExposition", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "BetterStackTests",
            dependencies: [
                "BetterStack", "Sandbox", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "SandboxTests", dependencies: ["Sandbox", "TestSupport"]),
        .testTarget(
            name: "UpstreamHTTPTests",
            dependencies: ["UpstreamHTTP", "TestSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "PrometheusExpositionTests", dependencies: ["PrometheusExposition", "TestSupport"]),
        // Helpers shared by test targets (the real promtool, a text-format parser, the one mock
        // transport and the sleep and event recorders, an in-memory log handler).
        .target(
            name: "TestSupport",
            dependencies: ["UpstreamHTTP", "OpenTSDB", "Sandbox", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "StatuspageTests", dependencies: ["Statuspage", "UpstreamHTTP", "PrometheusExposition", "Sandbox", "TestSupport"]),
        .testTarget(
            name: "PushTests",
            dependencies: ["Push", "Catchpoint", "OpenTSDB", "UpstreamHTTP", "BetterStack", "Statuspage", "Sandbox", "TestSupport"]
        ),
        .testTarget(name: "CatchpointTests", dependencies: ["Catchpoint", "UpstreamHTTP", "Sandbox", "TestSupport"]),
        .testTarget(name: "OpenTSDBTests", dependencies: ["OpenTSDB", "UpstreamHTTP", "Sandbox", "TestSupport"]),
        // Starts real nginx, spawn-fcgi, a CGI server and the sandbox on loopback.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
