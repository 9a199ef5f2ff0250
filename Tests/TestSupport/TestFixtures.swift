import Foundation

/// Files under `Tests/Fixtures/`, for test targets without a fixture helper of their own.
public enum TestFixtures {
    public static func bytes(_ relativePath: String) throws -> [UInt8] {
        // This file is Tests/TestSupport/TestFixtures.swift.
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return Array(try Data(contentsOf: tests.appendingPathComponent("Fixtures/\(relativePath)")))
    }

    public static func text(_ relativePath: String) throws -> String {
        String(decoding: try bytes(relativePath), as: UTF8.self)
    }
}
