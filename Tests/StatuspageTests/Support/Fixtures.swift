@testable import Statuspage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Files under `Tests/Fixtures/` (provenance in `Tests/Fixtures/README.md`).
enum Fixtures {
    /// The Statuspage fixtures, by file name.
    static let statuspageFiles = [
        "discord-2022-02-summary.json", "discord-2022-02-status.json", "discord-2022-02-components.json",
        "discord-2022-02-incidents.json", "discord-2022-02-incidents-unresolved.json",
        "discord-2022-02-scheduled-maintenances.json", "summary-incident-example.json",
    ]

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        // This file is Tests/StatuspageTests/Support/Fixtures.swift; the fixtures are in Tests/Fixtures.
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return Array(try Data(contentsOf: tests.appendingPathComponent("Fixtures/\(relativePath)")))
    }

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }

    static func summary(_ name: String) throws -> StatuspageSummary {
        try StatuspageSummary(json: try bytes("statuspage/\(name)"))
    }

    /// The one service of `prometheus/services.json` ("Example Cloud").
    static func exampleService() throws -> StatuspageService {
        let services = try StatuspageServicesFile.parse(try bytes("prometheus/services.json"))
        guard services.count == 1 else { throw FixtureError(description: "services.json: \(services.count) services") }
        return services[0]
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }
}
