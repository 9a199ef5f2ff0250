import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Epoch milliseconds as ISO 8601 UTC with milliseconds, as Grafana sends range times.
func hostileISO8601(_ ms: Int64) -> String {
    var seconds = time_t(ms >= 0 ? ms / 1000 : (ms - 999) / 1000)
    let millis = Int32(ms - Int64(seconds) * 1000)
    var parts = tm()
    gmtime_r(&seconds, &parts)
    return String(
        format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
        parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, millis
    )
}

/// SplitMix64: a tiny, fully specified generator, so a seed names the same requests everywhere.
struct HostileRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream for request `index` of a run: any one request can be rebuilt alone.
    init(seed: UInt64, index: Int) {
        var mixer = HostileRandom(seed: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound.
    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    /// Log-uniform in `range`: small sizes as often as large ones.
    mutating func logUniform(_ range: ClosedRange<Int>) -> Int {
        let low = log(Double(max(1, range.lowerBound)))
        let high = log(Double(range.upperBound))
        let value = exp(low + (high - low) * Double(next() >> 11) / Double(1 << 53))
        return min(range.upperBound, max(range.lowerBound, Int(value)))
    }
}

/// A JSON tree that can also hold what JSON forbids (raw `NaN`, `1e400`, lone surrogates): numbers
/// and `raw` are written verbatim.
indirect enum HostileJSON {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case raw(String)
    case array([HostileJSON])
    case object([(String, HostileJSON)])

    var bytes: [UInt8] {
        var out: [UInt8] = []
        write(into: &out)
        return out
    }

    func write(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let flag): out.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text), .raw(let text): out.append(contentsOf: text.utf8)
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            out.append(contentsOf: text.utf8)
            out.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out += Array("\\\"".utf8)
            case UInt8(ascii: "\\"): out += Array("\\\\".utf8)
            case 0..<0x20: out += Array(String(format: "\\u%04x", byte).utf8)
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    subscript(key: String) -> HostileJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    /// Nodes in the tree, itself included.
    var nodeCount: Int {
        switch self {
        case .array(let items): return 1 + items.reduce(0) { $0 + $1.nodeCount }
        case .object(let members): return 1 + members.reduce(0) { $0 + $1.1.nodeCount }
        default: return 1
        }
    }

    /// Replaces the `index`-th node (pre-order) with `transform(node)`.
    func replacing(node index: Int, _ transform: (HostileJSON) -> HostileJSON) -> HostileJSON {
        var counter = index
        return replacing(counter: &counter, transform)
    }

    private func replacing(counter: inout Int, _ transform: (HostileJSON) -> HostileJSON) -> HostileJSON {
        if counter == 0 {
            counter = -1
            return transform(self)
        }
        counter -= 1
        switch self {
        case .array(let items):
            var out: [HostileJSON] = []
            for item in items { out.append(counter < 0 ? item : item.replacing(counter: &counter, transform)) }
            return .array(out)
        case .object(let members):
            var out: [(String, HostileJSON)] = []
            for (key, value) in members {
                out.append((key, counter < 0 ? value : value.replacing(counter: &counter, transform)))
            }
            return .object(out)
        default:
            return self
        }
    }

    /// Parses well-formed JSON (the fixtures); numbers keep their text.
    static func parse(_ bytes: [UInt8]) throws -> HostileJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.value()
        parser.skipSpace()
        guard parser.index == bytes.count else { throw HarnessError("trailing bytes in JSON fixture") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value() throws -> HostileJSON {
            skipSpace()
            guard index < bytes.count else { throw HarnessError("JSON fixture ends early") }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                var members: [(String, HostileJSON)] = []
                skipSpace()
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object([])
                }
                while true {
                    skipSpace()
                    guard case .string(let key) = try value() else { throw HarnessError("JSON fixture: key") }
                    skipSpace()
                    guard bytes[index] == UInt8(ascii: ":") else { throw HarnessError("JSON fixture: colon") }
                    index += 1
                    members.append((key, try value()))
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "}") else { throw HarnessError("JSON fixture: object") }
                    index += 1
                    return .object(members)
                }
            case UInt8(ascii: "["):
                index += 1
                var items: [HostileJSON] = []
                skipSpace()
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array([])
                }
                while true {
                    items.append(try value())
                    skipSpace()
                    if bytes[index] == UInt8(ascii: ",") {
                        index += 1
                        continue
                    }
                    guard bytes[index] == UInt8(ascii: "]") else { throw HarnessError("JSON fixture: array") }
                    index += 1
                    return .array(items)
                }
            case UInt8(ascii: "\""):
                index += 1
                var out: [UInt8] = []
                while bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") {
                        index += 1
                        switch bytes[index] {
                        case UInt8(ascii: "n"): out.append(0x0A)
                        case UInt8(ascii: "t"): out.append(0x09)
                        case UInt8(ascii: "u"): throw HarnessError("JSON fixture: \\u escapes are not needed here")
                        default: out.append(bytes[index])
                        }
                    } else {
                        out.append(bytes[index])
                    }
                    index += 1
                }
                index += 1
                return .string(String(decoding: out, as: UTF8.self))
            case UInt8(ascii: "t"):
                index += 4
                return .bool(true)
            case UInt8(ascii: "f"):
                index += 5
                return .bool(false)
            case UInt8(ascii: "n"):
                index += 4
                return .null
            default:
                let start = index
                while index < bytes.count, "+-0123456789.eE".utf8.contains(bytes[index]) { index += 1 }
                guard index > start else { throw HarnessError("JSON fixture: unexpected byte") }
                return .number(String(decoding: bytes[start..<index], as: UTF8.self))
            }
        }
    }
}

/// One generated request and what it must satisfy beyond the suite's global invariants.
struct HostileRequest: Sendable {
    enum Expectation: Sendable {
        /// Only the global invariants.
        case any
        /// This status, with a JSON error body, and (when given) this `limit` field.
        case refusal(status: Int, limit: String?)
        /// One of these statuses.
        case status([Int])
        /// nginx refuses the request line before the responder sees it (a request target over its
        /// 8 KiB header buffer).
        case nginxRefusesRequestLine
    }

    var label: String
    var method: String
    /// The request target below the base path (`/query`, `/sla?from=…`) as raw bytes.
    var target: [UInt8]
    var body: [UInt8]?
    var contentType: String? = "application/json"
    var expectation: Expectation = .any
    /// Answers must be at least this fast (the known CPU attacks), besides the global latency bound.
    var fasterThanSeconds: Double?
    /// CPU seconds the bridge may spend on it (checked when it is sent alone).
    var cpuBudgetSeconds: Double?
    /// Wait this long before sending (to arrive while earlier requests of the batch are in flight).
    var delaySeconds: Double?

    /// A printable form for failure messages: method, target and body, cut to `limit` bytes each,
    /// non-printable bytes escaped.
    func printable(limit: Int = 600) -> String {
        func show(_ bytes: [UInt8]) -> String {
            var out = ""
            for byte in bytes.prefix(limit) {
                switch byte {
                case 0x20...0x7E where byte != UInt8(ascii: "\\"): out.append(Character(UnicodeScalar(byte)))
                case UInt8(ascii: "\\"): out += "\\\\"
                default: out += String(format: "\\x%02x", byte)
                }
            }
            if bytes.count > limit {
                out += "… (\(bytes.count) bytes in all; the last 100: …"
                for byte in bytes.suffix(100) {
                    out += (0x20...0x7E).contains(byte) ? String(UnicodeScalar(byte)) : String(format: "\\x%02x", byte)
                }
                out += ")"
            }
            return out
        }
        var text = "[\(label)] \(method) \(show(target))"
        if let body { text += "\n  body (\(body.count) bytes): \(show(body))" }
        return text
    }
}

/// Everything the generator varies requests around: the sandbox's monitors and the current time.
struct HostileWorld: Sendable {
    var monitorIDs: [String]
    var monitorNames: [String]
    var monitorURLs: [String]
    /// The run's "now", epoch ms (rounded to the minute).
    var now: Int64
    /// The Grafana request fixtures, by file name.
    var fixtures: [(name: String, bytes: [UInt8])]
}

/// Builds the run's requests from a seed: request `i` depends only on (seed, i, world).
struct HostileGenerator: Sendable {
    let seed: UInt64
    let world: HostileWorld

    static let postRoutes = [
        "/query", "/annotations", "/search", "/metrics", "/metric-payload-options", "/variable", "/tag-keys",
        "/tag-values",
    ]
    static let getRoutes = ["/response_time", "/sla", "/monitors", "/incidents", "/heartbeats", "/status_pages"]
    static let day: Int64 = 86_400_000

    func request(_ index: Int) -> HostileRequest {
        var rng = HostileRandom(seed: seed, index: index)
        let kind = rng.below(100)
        var request: HostileRequest
        switch kind {
        case 0..<22: request = mutatedFixture(&rng)
        case 22..<36: request = mutatedRealQuery(&rng)
        case 36..<60: request = randomGet(&rng)
        case 60..<70: request = realQuery(&rng)
        case 70..<76: request = manyTargets(&rng)
        case 76..<81: request = longTarget(&rng)
        case 81..<87: request = extremeRange(&rng)
        case 87..<93: request = nastyNumbersAndNesting(&rng)
        default: request = garbageBody(&rng)
        }
        request.label = "#\(index) " + request.label
        return request
    }

    // MARK: - Pieces

    func iso(_ ms: Int64) -> String { hostileISO8601(ms) }

    /// A time value as a client could spell it: ISO 8601, epoch ms or s, or something absurd.
    func timeText(_ rng: inout HostileRandom, around ms: Int64) -> String {
        switch rng.below(14) {
        case 0..<5: return iso(ms)
        case 5..<7: return String(ms)
        case 7: return String(ms / 1000)
        case 8: return rng.pick(["now", "now-6h", "", " ", "yesterday", "2024-13-45T99:99:99Z", "2024-02-30", "T", "Z"])
        case 9:
            return rng.pick([
                "0", "-1", "9223372036854775807", "-9223372036854775808", "9223372036854775808", "1e400", "NaN",
                "1900-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2200-01-01T00:00:00Z", "2199-12-31T23:59:59.999Z",
                "7258118400000", "7258118400001", "253402300799999", "99999-01-01T00:00:00Z", "0000-01-01T00:00:00Z",
            ])
        case 10: return iso(ms) + String(repeating: "9", count: rng.logUniform(1...200))
        case 11: return String(iso(ms).prefix(rng.int(0...23)))
        case 12: return "\(ms).\(rng.below(1000))"
        default: return "+" + String(ms)
        }
    }

    func realTarget(_ rng: inout HostileRandom) -> String {
        let metrics = [
            "response_time", "response_time.name_lookup", "response_time.connection", "response_time.tls_handshake",
            "response_time.data_transfer", "availability", "monitors", "incidents", "no_such_metric",
        ]
        var selectors: [String] = []
        for _ in 0..<rng.below(4) {
            switch rng.below(7) {
            case 0: selectors.append("monitor=\"\(rng.pick(world.monitorNames))\"")
            case 1: selectors.append("monitor=\"\(rng.pick(world.monitorIDs))\"")
            case 2: selectors.append("monitor=\"\(rng.pick(world.monitorURLs))\"")
            case 3: selectors.append("region=\"\(rng.pick(["us", "eu", "as", "au", "xx", ""]))\"")
            case 4: selectors.append("aggregate=\"\(rng.pick(["min", "max", "p95", "avg", "p100", ""]))\"")
            case 5: selectors.append("status=\(rng.pick(["down", "up", "paused", "\"\""]))")
            default: selectors.append("\(rng.pick(["x", "monitor", "", "=", "{"]))=\"\(rng.pick(["1", "\\\"", "}"]))\"")
            }
        }
        let metric = rng.pick(metrics)
        return selectors.isEmpty && rng.chance(0.5) ? metric : "\(metric){\(selectors.joined(separator: ","))}"
    }

    /// A realistic window: up to 400 days long, ending now or in the past (older than 30 days too).
    func window(_ rng: inout HostileRandom) -> (from: Int64, to: Int64) {
        let lengths: [Int64] = [300_000, 3_600_000, 6 * 3_600_000, Self.day, 7 * Self.day, 30 * Self.day, 90 * Self.day, 400 * Self.day]
        let length = rng.pick(lengths)
        let endsAgo = rng.chance(0.6) ? 0 : rng.pick([Self.day, 31 * Self.day, 60 * Self.day, 365 * Self.day])
        let to = world.now - endsAgo
        return (to - length, to)
    }

    func queryBody(_ rng: inout HostileRandom, targets: [HostileJSON]) -> HostileJSON {
        let (from, to) = window(&rng)
        var members: [(String, HostileJSON)] = [
            ("range", .object([("from", .string(iso(from))), ("to", .string(iso(to)))])),
            ("targets", .array(targets)),
        ]
        if rng.chance(0.7) { members.append(("intervalMs", .number(String(rng.pick([0, 1000, 30000, 3_600_000]))))) }
        if rng.chance(0.7) { members.append(("maxDataPoints", .number(String(rng.pick([1, 100, 550, 1000, 10000, 100_000]))))) }
        if rng.chance(0.2) {
            members.append((
                rng.pick(["adhocFilters", "filters"]),
                .array([
                    .object([
                        ("key", .string(rng.pick(["monitor", "region", "status", "City"]))),
                        ("operator", .string(rng.pick(["=", "!=", "=~"]))),
                        ("value", .string(rng.pick(world.monitorNames + ["eu", "down"]))),
                    ])
                ])
            ))
        }
        return .object(members)
    }

    func targetObject(_ rng: inout HostileRandom, _ target: String) -> HostileJSON {
        var members: [(String, HostileJSON)] = [("refId", .string("A")), ("target", .string(target))]
        if rng.chance(0.2) { members.append(("type", .string(rng.pick(["table", "timeserie", "timeseries"])))) }
        if rng.chance(0.1) { members.append(("payload", .object([("monitor", .string(rng.pick(world.monitorNames)))]))) }
        return .object(members)
    }

    /// A well-formed request of the kind Grafana sends, for one of the JSON routes.
    func realBody(_ rng: inout HostileRandom) -> (route: String, body: HostileJSON) {
        switch rng.below(10) {
        case 0..<6:
            let targets = (0..<rng.int(1...4)).map { _ in targetObject(&rng, realTarget(&rng)) }
            return ("/query", queryBody(&rng, targets: targets))
        case 6, 7:
            let (from, to) = window(&rng)
            let query = rng.pick(["", "incidents", "incidents{monitor=\"\(rng.pick(world.monitorNames))\"}", "timeout", "#deploy"])
            return (
                "/annotations",
                .object([
                    ("range", .object([("from", .string(iso(from))), ("to", .string(iso(to)))])),
                    ("annotation", .object([("name", .string("incidents")), ("enable", .bool(true)), ("query", .string(query))])),
                ])
            )
        case 8:
            let target = rng.pick(["label_values(monitor)", "label_values(region)", "label_values(status)", "metrics()", "", "response_time"])
            return rng.chance(0.5)
                ? ("/search", .object([("target", .string(target))]))
                : ("/variable", .object([("payload", .object([("target", .string(target))]))]))
        default:
            return rng.chance(0.5)
                ? ("/tag-values", .object([("key", .string(rng.pick(["monitor", "region", "status", "City"])))]))
                : ("/tag-keys", .object([]))
        }
    }

    /// The route a fixture belongs to.
    static func route(ofFixture name: String) -> String {
        if name.contains("annotations") { return "/annotations" }
        if name.contains("query") { return "/query" }
        if name.contains("search") { return "/search" }
        if name.contains("tag-keys") { return "/tag-keys" }
        if name.contains("tag-values") { return "/tag-values" }
        if name.contains("metric-payload-options") { return "/metric-payload-options" }
        if name.contains("metrics") { return "/metrics" }
        return "/variable"
    }

    static let hugeNumbers = [
        "1e400", "-1e400", "1e-400", "9223372036854775808", "9223372036854775807", "-9223372036854775809",
        "18446744073709551616", "-0", "0.0000000000000000000001", "1E+308", "4.9e-324", "1.7976931348623157e309",
        String(repeating: "9", count: 65), "1" + String(repeating: "0", count: 400), "NaN", "Infinity", "-Infinity",
        "0x10", "1_000", "+1", ".5", "5.", "01", "1e", "--1",
    ]

    /// A random change to one node of the tree: type confusion, absurd numbers, nesting, repetition.
    func mutate(_ json: HostileJSON, _ rng: inout HostileRandom) -> (HostileJSON, String) {
        let index = rng.below(json.nodeCount)
        let op = rng.below(12)
        let names = [
            "null", "number", "string", "array", "object", "bool", "huge-number", "nest", "repeat", "long-string",
            "time", "duplicate-key",
        ]
        let mutated = json.replacing(node: index) { node in
            switch op {
            case 0: return .null
            case 1: return .number(rng.pick(["0", "1", "-1", "3.5", "1e3"]))
            case 2:
                var text: [UInt8] = []
                node.write(into: &text)
                return .string(String(decoding: text.prefix(200), as: UTF8.self))
            case 3: return rng.chance(0.5) ? .array([node]) : .array([])
            case 4: return rng.chance(0.5) ? .object([("value", node)]) : .object([])
            case 5: return .bool(rng.chance(0.5))
            case 6:
                let text = rng.pick(Self.hugeNumbers)
                return rng.chance(0.7) ? .number(text) : .string(text)
            case 7:
                var nested = node
                let depth = rng.pick([10, 63, 64, 65, 100, 1000, 5000])
                let useArrays = rng.chance(0.5)
                for _ in 0..<depth { nested = useArrays ? .array([nested]) : .object([("a", nested)]) }
                return nested
            case 8:
                // Repeated up to ~1.2 MB in all: a body over 1 MiB is refused by nginx anyway.
                let size = max(1, node.bytes.count)
                let fits = max(2, 1_200_000 / size)
                if case .array(let items) = node, !items.isEmpty {
                    let copies = min(rng.logUniform(2...2000), fits)
                    return .array(Array((0..<copies).map { _ in items }.joined()))
                }
                return .array(Array(repeating: node, count: min(rng.logUniform(2...500), fits)))
            case 9:
                let unit = rng.pick([" ", "{", "\"", "é", "\u{0}", "😀", "a", "\\", "}"])
                return .string(String(repeating: unit, count: rng.logUniform(1...100_000)))
            case 10: return .string(timeText(&rng, around: world.now))
            default:
                if case .object(let members) = node, let first = members.first {
                    return .object(members + [(first.0, rng.chance(0.5) ? .null : .array([first.1]))])
                }
                return .object([("k", node), ("k", .string("again"))])
            }
        }
        return (mutated, names[op])
    }

    /// Byte-level damage after serialisation: truncation, flipped or inserted bytes, junk around.
    func damage(_ bytes: [UInt8], _ rng: inout HostileRandom) -> ([UInt8], String) {
        var out = bytes
        switch rng.below(6) {
        case 0:
            guard !out.isEmpty else { return (out, "empty") }
            return (Array(out.prefix(rng.below(out.count))), "truncate")
        case 1:
            for _ in 0..<rng.int(1...8) where !out.isEmpty {
                out[rng.below(out.count)] = UInt8(truncatingIfNeeded: rng.next())
            }
            return (out, "flip")
        case 2:
            let position = rng.below(out.count + 1)
            let junk = (0..<rng.int(1...16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            out.insert(contentsOf: junk, at: position)
            return (out, "insert")
        case 3: return ([0xEF, 0xBB, 0xBF] + out, "bom")
        case 4: return (out + Array(rng.pick(["}", "]", ",", " x", "{}", "\u{0}", "null"]).utf8), "trailing")
        default: return (out + out, "doubled")
        }
    }

    // MARK: - Request kinds

    /// Bodies are cut at 1.1 MB: past nginx's 1 MiB limit (413) more bytes test nothing.
    func post(_ route: String, _ body: [UInt8], label: String) -> HostileRequest {
        HostileRequest(label: label, method: "POST", target: Array(route.utf8), body: body.count > 1_100_000 ? Array(body.prefix(1_100_000)) : body)
    }

    func mutatedFixture(_ rng: inout HostileRandom) -> HostileRequest {
        let fixture = rng.pick(world.fixtures)
        var route = Self.route(ofFixture: fixture.name)
        if rng.chance(0.2) { route = rng.pick(Self.postRoutes) }
        guard var json = try? HostileJSON.parse(fixture.bytes) else {
            return post(route, fixture.bytes, label: "fixture \(fixture.name) unparsed")
        }
        var ops: [String] = []
        for _ in 0..<rng.int(1...3) {
            let (mutated, op) = mutate(json, &rng)
            json = mutated
            ops.append(op)
        }
        var bytes = json.bytes
        if rng.chance(0.25) {
            let (damaged, op) = damage(bytes, &rng)
            bytes = damaged
            ops.append(op)
        }
        return post(route, bytes, label: "fixture \(fixture.name) → \(route) [\(ops.joined(separator: ","))]")
    }

    func mutatedRealQuery(_ rng: inout HostileRandom) -> HostileRequest {
        var (route, json) = realBody(&rng)
        var ops: [String] = []
        for _ in 0..<rng.int(1...3) {
            let (mutated, op) = mutate(json, &rng)
            json = mutated
            ops.append(op)
        }
        var bytes = json.bytes
        if rng.chance(0.2) {
            let (damaged, op) = damage(bytes, &rng)
            bytes = damaged
            ops.append(op)
        }
        return post(route, bytes, label: "mutated real \(route) [\(ops.joined(separator: ","))]")
    }

    func realQuery(_ rng: inout HostileRandom) -> HostileRequest {
        let (route, json) = realBody(&rng)
        return post(route, json.bytes, label: "real \(route)")
    }

    /// Percent-encodes everything outside unreserved characters.
    static func encode(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        for byte in text.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || "-._~:".utf8.contains(byte)
            {
                out.append(byte)
            } else {
                out += Array(String(format: "%%%02X", byte).utf8)
            }
        }
        return out
    }

    /// A query-string value, raw bytes: valid, percent-encoded, broken encodings, non-ASCII, huge.
    func queryValue(_ rng: inout HostileRandom, for name: String) -> [UInt8] {
        switch rng.below(12) {
        case 0..<3:
            let plain: String
            switch name {
            case "url": plain = rng.pick(world.monitorURLs)
            case "monitor_id": plain = rng.pick(world.monitorIDs + ["0", "-1", "99999999999999999999"])
            case "name": plain = rng.pick(world.monitorNames)
            case "region": plain = rng.pick(["us", "eu,as", "us,eu,as,au", "xx", ",,,", "us,us,us"])
            case "from", "to", "range_from", "range_to": plain = timeText(&rng, around: world.now - Int64(rng.below(400)) * Self.day)
            case "fields": plain = rng.pick(["phases", "name_lookup_time,connection_time", "nope", ""])
            case "availability", "resolved": plain = rng.pick(["true", "false", "0", "1", "maybe"])
            default: plain = rng.pick(["1", "", "x"])
            }
            return Self.encode(plain)
        case 3: return Array(rng.pick(["%", "%G1", "%zz", "%%", "%2", "%e9", "%ff%fe", "%00", "%C3%A9", "%F0%9F%98%80", "%ED%A0%80", "+", "%2B%2C%26%3D"]).utf8)
        case 4: return Array(rng.pick(["é", "日本", "😀", "\u{202E}rtl", "Ω≈ç"]).utf8)
        case 5: return [0xFF, 0xFE, 0xC3, 0x28, 0x80, 0xBF]
        case 6: return Array(String(repeating: rng.pick(["a", "9", "%41", "-"]), count: rng.logUniform(100...2400)).utf8)
        case 7: return Array(timeText(&rng, around: world.now).utf8).flatMap { $0 == 0x20 ? Array("%20".utf8) : [$0] }
        case 8: return Array("&&&==&=".utf8)
        case 9: return []
        case 10: return Self.encode(String(repeating: "0", count: rng.logUniform(1...400)) + "1")
        default: return Self.encode(String(world.now + Int64(rng.int(-1_000_000...1_000_000)) * 1000))
        }
    }

    func randomGet(_ rng: inout HostileRandom) -> HostileRequest {
        let path = rng.chance(0.95) ? rng.pick(Self.getRoutes) : rng.pick(["/", "/metrics", "/monitors/", "/sla/x", "//sla"])
        let names = [
            "url", "region", "nodename", "monitor_id", "name", "from", "to", "range_from", "range_to", "fields",
            "availability", "resolved", "x", "", "url[]", "%75rl",
        ]
        var query: [UInt8] = []
        for i in 0..<rng.int(0...10) {
            let name = rng.pick(names)
            let repeats = rng.chance(0.1) ? rng.logUniform(2...300) : 1
            for r in 0..<repeats {
                if i + r > 0 { query.append(UInt8(ascii: "&")) }
                query += Array(name.utf8)
                if rng.chance(0.95) {
                    query.append(UInt8(ascii: "="))
                    query += queryValue(&rng, for: name)
                }
                // Stay within nginx's 8 KiB request-line buffer: longer lines never reach the responder.
                if query.count > 7_600 { break }
            }
            if query.count > 7_600 { break }
        }
        if query.count > 7_800 { query = Array(query.prefix(7_800)) }
        var target = Array(path.utf8)
        if !query.isEmpty || rng.chance(0.1) { target += [UInt8(ascii: "?")] + query }
        var request = HostileRequest(label: "GET \(path)", method: "GET", target: target, body: nil, contentType: nil)
        if rng.chance(0.03) {
            // A GET function asked with POST and a body.
            request.method = "POST"
            request.body = Array("{\"from\":1}".utf8)
            request.contentType = "application/json"
            request.label = "POST to GET \(path)"
        }
        return request
    }

    func manyTargets(_ rng: inout HostileRandom) -> HostileRequest {
        let count = rng.chance(0.3) ? rng.int(1...20) : rng.logUniform(21...30_000)
        var one = targetObject(&rng, realTarget(&rng)).bytes
        if one.count * count > 1_000_000 { one = Array(#"{"target":"response_time"}"#.utf8) }
        // The copies spliced into the serialised body (faster than serialising a tree of them).
        let body = queryBody(&rng, targets: []).bytes
        let empty = Array(#""targets":[]"#.utf8)
        guard let at = (0...(body.count - empty.count)).first(where: { body[$0..<($0 + empty.count)].elementsEqual(empty) }) else {
            return post("/query", body, label: "0 targets")
        }
        var copies: [UInt8] = []
        copies.reserveCapacity((one.count + 1) * count)
        for i in 0..<count {
            if i > 0 { copies.append(UInt8(ascii: ",")) }
            copies.append(contentsOf: one)
        }
        let spliced = Array(body[..<(at + empty.count - 1)]) + copies + Array(body[(at + empty.count - 1)...])
        return post("/query", spliced, label: "\(count) targets")
    }

    func longTarget(_ rng: inout HostileRandom) -> HostileRequest {
        let length = rng.logUniform(1_000...1_040_000)
        let fill = rng.pick([" ", ",", "a", "\\\"", "=", "{"])
        let target: String
        switch rng.below(4) {
        case 0: target = "response_time{" + String(repeating: fill, count: length / max(1, fill.utf8.count)) + "}"
        case 1: target = "response_time{monitor=\"" + String(repeating: "x", count: length) + "\"}"
        case 2: target = String(repeating: "response_time", count: length / 13)
        default: target = "response_time{" + String(repeating: "a=\"b\",", count: length / 6) + "}"
        }
        let json = HostileJSON.object([
            ("range", .object([("from", .string(iso(world.now - Self.day))), ("to", .string(iso(world.now)))])),
            ("targets", .array([.object([("target", .string(target))])])),
        ])
        let route = rng.chance(0.8) ? "/query" : rng.pick(["/search", "/annotations", "/variable"])
        return post(route, json.bytes, label: "long target (\(target.utf8.count) bytes) → \(route)")
    }

    func extremeRange(_ rng: inout HostileRandom) -> HostileRequest {
        let from = timeText(&rng, around: world.now - Int64(rng.pick([0, 1, 31, 400, 3000, 20000])) * Self.day)
        let to = timeText(&rng, around: world.now + Int64(rng.pick([0, 0, -1, 1, 365])) * Self.day)
        let fromValue: HostileJSON = rng.chance(0.8) ? .string(from) : .number(rng.pick(Self.hugeNumbers))
        let toValue: HostileJSON = rng.chance(0.8) ? .string(to) : .number(rng.pick(Self.hugeNumbers))
        let route = rng.pick(["/query", "/query", "/annotations", "/variable"])
        let target = targetObject(&rng, realTarget(&rng))
        var members: [(String, HostileJSON)] = [
            ("range", .object([("from", fromValue), ("to", toValue)])),
            ("targets", .array([target])),
        ]
        if route == "/annotations" { members.append(("annotation", .object([("query", .string("incidents"))]))) }
        if rng.chance(0.5) { members.append(("maxDataPoints", .number(rng.pick(Self.hugeNumbers + ["100000", "100001", "0"])))) }
        if rng.chance(0.5) { members.append(("intervalMs", .number(rng.pick(Self.hugeNumbers + ["1", "0", "-5"])))) }
        return post(route, HostileJSON.object(members).bytes, label: "extreme range → \(route)")
    }

    func nastyNumbersAndNesting(_ rng: inout HostileRandom) -> HostileRequest {
        let depth = rng.pick([63, 64, 65, 128, 5_000, 200_000])
        let open = rng.pick(["[", "{\"a\":", "[{\"a\":"])
        let close = open == "[" ? "]" : open == "{\"a\":" ? "}" : "}]"
        let balanced = rng.chance(0.6)
        var body = String(repeating: open, count: depth) + "1"
        if balanced { body += String(repeating: close, count: depth) }
        if rng.chance(0.5) {
            body = "{\"range\":{\"from\":\"\(iso(world.now - Self.day))\",\"to\":\"\(iso(world.now))\"},\"targets\":[{\"target\":\"response_time\"}],\"x\":\(body)}"
        }
        if body.utf8.count > 1_000_000 { body = String(body.prefix(1_000_000)) }
        return post(rng.pick(Self.postRoutes), Array(body.utf8), label: "nesting \(depth) \(balanced ? "balanced" : "unbalanced")")
    }

    func garbageBody(_ rng: inout HostileRandom) -> HostileRequest {
        let route = rng.pick(Self.postRoutes)
        var body: [UInt8]
        switch rng.below(6) {
        case 0: body = (0..<rng.logUniform(1...200_000)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        case 1: body = []
        case 2: body = Array(rng.pick(["null", "[]", "\"x\"", "1", "true", "{}", "{\"targets\":null}", "{\"range\":[]}", "NaN", "[1e400]"]).utf8)
        case 3: body = Array(String(repeating: "\"", count: rng.logUniform(1...100_000)).utf8)
        case 4: body = Array("{\"targets\":[{\"target\":\"\\ud800\\udc00\\ud800\"}],\"range\":{\"from\":\"\\u0000\"}}".utf8)
        default: body = Array(String(repeating: "{\"a\":1,", count: rng.logUniform(1...100_000)).utf8)
        }
        var request = post(route, body, label: "garbage body → \(route)")
        if rng.chance(0.2) { request.contentType = rng.pick([nil, "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1"]) }
        return request
    }
}
