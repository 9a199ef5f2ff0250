import FastCGIRuntime

/// Bounds of the grammars that read request input, stated where they are parsed and listed in the
/// the "Limits" section of docs/limits-and-security.md. Past any of them the client gets a 400 naming it.
enum InputBounds {
    /// Nesting of arrays and objects in a request body.
    static let jsonDepth = 64
    /// Characters of one JSON number (longer ones are not numbers any client sends, and make
    /// `strtod` slow).
    static let jsonNumberBytes = 64
    /// Bytes of one Grafana target (`response_time{monitor="…"}`), after interpolation.
    static let targetBytes = 4096
    /// Selectors in one target, and ad hoc filters in one query.
    static let selectors = 32
    /// Bytes of one time value (`from`, `range.from`, …).
    static let timeBytes = 64
}

/// A single-pass JSON parser for request bodies (RFC 8259): each byte is looked at a bounded number
/// of times, so the work is linear in the body's length; ``steps`` counts it for the tests that
/// prove it. Nesting deeper than ``InputBounds/jsonDepth`` and numbers longer than
/// ``InputBounds/jsonNumberBytes`` are refused. Duplicate object keys: the last one wins.
struct JSONRequestParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    /// Bytes consumed plus values built: the parser's work.
    private(set) var steps = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func parseDocument() throws(HTTPError) -> JSONValue {
        skipSpace()
        let value = try parseValue()
        skipSpace()
        guard index == bytes.count else { throw invalid("unexpected data after the JSON value") }
        return value
    }

    private func invalid(_ why: String) -> HTTPError {
        HTTPError(400, "the request body is not valid JSON: \(why)", extra: [("offset", .int(Int64(index)))])
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D:
                index += 1
                steps += 1
            default:
                return
            }
        }
    }

    private mutating func parseValue() throws(HTTPError) -> JSONValue {
        guard index < bytes.count else { throw invalid("unexpected end") }
        steps += 1
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw invalid("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(HTTPError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw invalid("unexpected end") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw invalid("unknown literal")
        }
        index += count
        steps += count
    }

    private mutating func enter() throws(HTTPError) {
        depth += 1
        if depth > InputBounds.jsonDepth {
            throw HTTPError(
                400,
                "the request body nests deeper than \(InputBounds.jsonDepth) levels",
                extra: [("limit_depth", .int(Int64(InputBounds.jsonDepth)))]
            )
        }
    }

    private mutating func parseObject() throws(HTTPError) -> JSONValue {
        try enter()
        index += 1
        var object: [String: JSONValue] = [:]
        if closes(with: "}") { return .object(object) }
        repeat {
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw invalid("expected a key") }
            let key = try parseString()
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw invalid("expected ':'") }
            index += 1
            skipSpace()
            object[key] = try parseValue()
        } while try continues(closedBy: "}")
        return .object(object)
    }

    private mutating func parseArray() throws(HTTPError) -> JSONValue {
        try enter()
        index += 1
        var array: [JSONValue] = []
        if closes(with: "]") { return .array(array) }
        repeat {
            skipSpace()
            array.append(try parseValue())
        } while try continues(closedBy: "]")
        return .array(array)
    }

    /// Right after `{` or `[`: whether the container is empty (then `closer` is consumed and the
    /// container left).
    private mutating func closes(with closer: Unicode.Scalar) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: closer) else { return false }
        index += 1
        depth -= 1
        return true
    }

    /// After a member or an element: `true` past a `,` (another follows), `false` past `closer`
    /// (the container is left). Every step counts towards the parser's bound.
    private mutating func continues(closedBy closer: Unicode.Scalar) throws(HTTPError) -> Bool {
        skipSpace()
        guard index < bytes.count else { throw invalid("unexpected end") }
        steps += 1
        if bytes[index] == UInt8(ascii: ",") {
            index += 1
            return true
        }
        guard bytes[index] == UInt8(ascii: closer) else { throw invalid("expected ',' or '\(Character(closer))'") }
        index += 1
        depth -= 1
        return false
    }

    private mutating func parseNumber() throws(HTTPError) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits(_ parser: inout JSONRequestParser) -> Int {
            var count = 0
            while parser.index < parser.bytes.count, parser.bytes[parser.index] >= 48, parser.bytes[parser.index] <= 57 {
                parser.index += 1
                count += 1
            }
            return count
        }
        let integer = digits(&self)
        guard integer > 0 else { throw invalid("malformed number") }
        if integer > 1, bytes[index - integer] == UInt8(ascii: "0") { throw invalid("malformed number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw invalid("malformed number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw invalid("malformed number") }
        }
        steps += index - start
        guard index - start <= InputBounds.jsonNumberBytes else {
            throw HTTPError(
                400,
                "a number in the request body is longer than \(InputBounds.jsonNumberBytes) characters",
                extra: [("limit_bytes", .int(Int64(InputBounds.jsonNumberBytes)))]
            )
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        // Out-of-range exponents give ±infinity (or 0): callers check the ranges they accept.
        return Double(text) ?? .nan
    }

    private mutating func parseString() throws(HTTPError) -> String {
        index += 1
        var out: [UInt8] = []
        let runStart = index
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                steps += index - runStart + 1
                let text = String(decoding: bytes[runStart..<index], as: UTF8.self)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            index += 1
        }
        out.append(contentsOf: bytes[runStart..<index])
        steps += index - runStart
        while index < bytes.count {
            let byte = bytes[index]
            steps += 1
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw invalid("unexpected end") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escaped)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800, scalar < 0xDC00, index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        if low >= 0xDC00, low < 0xE000 {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            appendScalar(0xFFFD, to: &out)
                            scalar = low
                        }
                    }
                    appendScalar(scalar, to: &out)
                default:
                    throw invalid("unknown escape")
                }
            default:
                guard byte >= 0x20 else { throw invalid("control character in a string") }
                out.append(byte)
                index += 1
            }
        }
        throw invalid("unterminated string")
    }

    private mutating func hex4() throws(HTTPError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw invalid("unexpected end") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case 48...57: digit = UInt32(c - 48)
            case 65...70: digit = UInt32(c - 55)
            case 97...102: digit = UInt32(c - 87)
            default: throw invalid("malformed \\u escape")
            }
            value = value << 4 | digit
            index += 1
        }
        steps += 4
        return value
    }

    private func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }
}
