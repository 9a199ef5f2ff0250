// swift-tools-version: 6.0
//
// libFuzzer harness for uptime-bridge's parsers and decoders: a separate package (like
// swift-protobuf's FuzzTesting/) so the root package's `swift build` is unaffected. Build and run
// with Fuzz/run.sh; see Fuzz/README.md. It only builds with
// `-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library` (libFuzzer provides `main`).
import PackageDescription

let package = Package(
    name: "UptimeBridgeFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "uptime-bridge", path: "..")
    ],
    targets: [
        // The binary's `main`, handing over to libFuzzer's driver (see entry.c).
        .target(name: "CFuzzerEntry"),
        // One binary; the fuzz target is chosen by the FUZZ_TARGET environment variable.
        .executableTarget(
            name: "UptimeBridgeFuzz",
            dependencies: [
                "CFuzzerEntry",
                .product(name: "FastCGIRuntime", package: "uptime-bridge"),
                .product(name: "Functions", package: "uptime-bridge"),
                .product(name: "BetterStack", package: "uptime-bridge"),
                .product(name: "Statuspage", package: "uptime-bridge"),
                .product(name: "Catchpoint", package: "uptime-bridge"),
                .product(name: "Push", package: "uptime-bridge"),
                .product(name: "BridgeConfiguration", package: "uptime-bridge"),
                .product(name: "OpenTSDB", package: "uptime-bridge"),
                .product(name: "TTLCache", package: "uptime-bridge"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
