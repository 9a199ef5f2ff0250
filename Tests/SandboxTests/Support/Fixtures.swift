import Sandbox

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The upstream examples in `Tests/Fixtures/betterstack/` (provenance in `Tests/Fixtures/README.md`).
enum Fixtures {
    static func betterStack(_ name: String) throws -> JSON {
        // This file is Tests/SandboxTests/Support/Fixtures.swift; the fixtures are in Tests/Fixtures.
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let url = tests.appendingPathComponent("Fixtures/betterstack/\(name)")
        return try JSONParser.parse(Array(try Data(contentsOf: url)))
    }
}
