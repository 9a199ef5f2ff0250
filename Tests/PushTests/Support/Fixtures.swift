import Sandbox

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The recorded payloads in `Tests/Fixtures/` (provenance in `Tests/Fixtures/README.md`).
enum Fixtures {
    /// `Tests/Fixtures`, found from this file's path.
    static let directory: String = {
        // This file is Tests/PushTests/Support/Fixtures.swift.
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Fixtures"
    }()

    /// The bytes of `Tests/Fixtures/<name>`.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
    }

    /// The text of `Tests/Fixtures/<name>`.
    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    /// `Tests/Fixtures/<name>` parsed, keeping JSON's own types (int vs double vs string).
    static func json(_ name: String) throws -> JSON {
        try JSONParser.parse(try bytes(name))
    }
}
