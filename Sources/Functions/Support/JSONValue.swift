#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FastCGIRuntime

/// Any JSON value, for request bodies whose shape varies between Grafana plugins and versions.
///
/// Request bodies are read only by ``parse(_:)`` (bounded depth, one forward pass), never through
/// `Decodable`, so that no path skips the bounds.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses a request body; malformed JSON is a 400. Linear in the body's length (one forward
    /// pass, ``JSONRequestParser``), nesting at most ``InputBounds/jsonDepth`` levels deep.
    static func parse(_ body: [UInt8]) throws(HTTPError) -> JSONValue {
        if body.isEmpty { return .object([:]) }
        var parser = JSONRequestParser(body)
        return try parser.parseDocument()
    }

    subscript(_ key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    var string: String? {
        switch self {
        case .string(let s): s
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): String(b)
        default: nil
        }
    }

    var number: Double? {
        switch self {
        case .number(let n): n
        case .string(let s): Double(s)
        default: nil
        }
    }

    var bool: Bool? {
        switch self {
        case .bool(let b): b
        case .string(let s): s == "true" ? true : (s == "false" ? false : nil)
        default: nil
        }
    }

    var array: [JSONValue]? {
        if case .array(let a) = self { return a }
        return nil
    }

    var object: [String: JSONValue]? {
        if case .object(let o) = self { return o }
        return nil
    }
}
