import FastCGIRuntime

/// A Grafana target in the bridge's scheme: a metric name with optional label-style selectors,
/// `response_time{monitor="Example homepage",region="us",aggregate="p95"}` — the same shape for
/// SimpleJSON (text only) and the JSON datasource, whose `payload`/`data` object and ad hoc
/// `filters`/`adhocFilters` add selectors.
public struct Target: Sendable, Equatable {
    public var metric: String
    public var selectors: [String: Selector] = [:]

    /// The value of an `=` selector (`aggregate="p95"`); nil when absent or given with another
    /// operator or several values.
    func value(_ key: String) -> String? {
        guard let selector = selectors[key], selector.op == .equal, selector.values.count == 1 else { return nil }
        return selector.values[0]
    }

    /// Parses `metric` or `metric{key="value",…}` (values may also be unquoted).
    ///
    /// One forward pass over the bytes (linear time; ``parse(_:steps:)`` counts the work for the
    /// tests that prove it), at most ``InputBounds/targetBytes`` bytes and
    /// ``InputBounds/selectors`` selectors.
    public static func parse(_ text: String) throws(HTTPError) -> Target {
        var steps = 0
        return try parse(text, steps: &steps)
    }

    static func parse(_ text: String, steps: inout Int) throws(HTTPError) -> Target {
        let bytes = Array(text.utf8)
        guard bytes.count <= InputBounds.targetBytes else {
            throw HTTPError(
                400,
                "target longer than \(InputBounds.targetBytes) bytes",
                extra: [("limit_bytes", .int(Int64(InputBounds.targetBytes)))]
            )
        }
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        var lower = 0
        var upper = bytes.count
        while lower < upper, isSpace(bytes[lower]) { lower += 1; steps += 1 }
        while upper > lower, isSpace(bytes[upper - 1]) { upper -= 1; steps += 1 }
        func string(_ from: Int, _ to: Int) -> String {
            var a = from
            var b = to
            while a < b, isSpace(bytes[a]) { a += 1 }
            while b > a, isSpace(bytes[b - 1]) { b -= 1 }
            return String(decoding: bytes[a..<b], as: UTF8.self)
        }
        var open = lower
        while open < upper, bytes[open] != UInt8(ascii: "{") { open += 1; steps += 1 }
        guard open < upper else {
            guard lower < upper else { throw HTTPError(400, "empty target") }
            return Target(metric: string(lower, upper))
        }
        guard bytes[upper - 1] == UInt8(ascii: "}") else { throw malformed(text) }
        let metric = string(lower, open)
        var i = open + 1
        let end = upper - 1
        var selectors: [String: Selector] = [:]
        while i < end {
            while i < end, isSpace(bytes[i]) || bytes[i] == UInt8(ascii: ",") { i += 1; steps += 1 }
            if i >= end { break }
            let keyStart = i
            while i < end, !Selector.isOperatorByte(bytes[i]) { i += 1; steps += 1 }
            guard i < end else { throw malformed(text) }
            let key = string(keyStart, i)
            let opStart = i
            while i < end, Selector.isOperatorByte(bytes[i]), i - opStart < 3 { i += 1; steps += 1 }
            let op = try Selector.Operator.parse(String(decoding: bytes[opStart..<i], as: UTF8.self))
            while i < end, bytes[i] == 0x20 { i += 1; steps += 1 }
            var value: [UInt8] = []
            if i < end, bytes[i] == UInt8(ascii: "\"") {
                i += 1
                var closed = false
                while i < end {
                    steps += 1
                    let c = bytes[i]
                    i += 1
                    if c == UInt8(ascii: "\\"), i < end {
                        // \" and \\ stand for themselves; any other escape is kept for the value's
                        // reader (a regex's \. , a regex-escaped variable's \/).
                        if bytes[i] != UInt8(ascii: "\"") && bytes[i] != UInt8(ascii: "\\") { value.append(c) }
                        value.append(bytes[i])
                        i += 1
                    } else if c == UInt8(ascii: "\"") {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { throw malformed(text) }
            } else {
                let valueStart = i
                while i < end, bytes[i] != UInt8(ascii: ",") { i += 1; steps += 1 }
                value = Array(string(valueStart, i).utf8)
            }
            guard !key.isEmpty else { throw malformed(text) }
            selectors[key] = Selector(op, String(decoding: value, as: UTF8.self))
            guard selectors.count <= InputBounds.selectors else {
                throw HTTPError(
                    400,
                    "more than \(InputBounds.selectors) selectors in one target",
                    extra: [("limit", .int(Int64(InputBounds.selectors)))]
                )
            }
        }
        guard !metric.isEmpty else { throw malformed(text) }
        return Target(metric: metric, selectors: selectors)
    }

    /// The canonical text, keys sorted: what `/search` lists and `parse` reads back.
    public var text: String {
        guard !selectors.isEmpty else { return metric }
        let inner = selectors.sorted { $0.key < $1.key }.map { key, selector in
            let value = selector.values.count == 1 ? selector.values[0] : "{" + selector.values.joined(separator: ",") + "}"
            let escaped = value.replacingOccurrences("\\", with: "\\\\").replacingOccurrences("\"", with: "\\\"")
            return "\(key)\(selector.op.rawValue)\"\(escaped)\""
        }
        return metric + "{" + inner.joined(separator: ",") + "}"
    }

    private static func malformed(_ text: String) -> HTTPError {
        HTTPError(
            400,
            "malformed target; expected metric or metric{key=\"value\",…} (operators =, !=, =~, !~)",
            extra: [("target", .string(String(text.prefix(200))))]
        )
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// One selector of a target or one ad hoc filter: `key="value"`, `key!="value"`, `key=~"regex"` or
/// `key!~"regex"`. A payload array gives several values (any of them).
public struct Selector: Sendable, Equatable {
    public enum Operator: String, Sendable, CaseIterable {
        case equal = "="
        case notEqual = "!="
        case matches = "=~"
        case notMatches = "!~"

        /// The operator spelled `text`; a 400 naming the supported ones otherwise.
        static func parse(_ text: String) throws(HTTPError) -> Operator {
            guard let op = Operator(rawValue: text) else {
                throw HTTPError(
                    400,
                    "unsupported operator \(text); use =, !=, =~, !~ (or, in ad hoc filters, =| and !=|)",
                    extra: [("operator", .string(String(text.prefix(8))))]
                )
            }
            return op
        }
    }

    public var op: Operator
    public var values: [String]

    public init(_ op: Operator = .equal, _ value: String) {
        self.op = op
        self.values = [value]
    }

    public init(_ op: Operator = .equal, values: [String]) {
        self.op = op
        self.values = values
    }

    static func isOperatorByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "=") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "<")
            || byte == UInt8(ascii: ">")
    }
}

extension Selector: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(.equal, value)
    }
}
