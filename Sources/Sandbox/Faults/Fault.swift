/// A misbehaviour to inject on one route (or on all, `*`).
///
/// Latency applies to every matching request. The failure part (error status, 429, garbage,
/// truncation, reset) applies to a fraction `rate` of them. With `count`, the fault covers only
/// the next `count` matching requests and then removes itself.
public struct Fault: Sendable, Equatable {
    /// How to cut a body short.
    public enum Truncation: String, Sendable, Equatable {
        /// Announce the full `Content-Length`, send half the body, close: an HTTP framing error.
        case close
        /// Send the first half of the body with a matching `Content-Length`: valid HTTP, invalid JSON.
        case json
    }

    /// The route name, or `*` for all routes.
    public var route: RouteName
    /// Added delay before answering, in milliseconds.
    public var latencyMilliseconds: Int?
    /// Error status to answer with instead of the real response (body `{"errors":"…"}`).
    public var status: Int?
    /// Fraction (0…1) of matching requests that get the failure part.
    public var rate: Double
    /// `Retry-After` seconds; alone it implies status 429.
    public var retryAfter: Int?
    /// Cut the body short.
    public var truncate: Truncation?
    /// Answer with an HTML error page instead of JSON.
    public var garbage: Bool
    /// Close the connection without answering (TCP RST).
    public var reset: Bool
    /// How many more matching requests this fault covers; `nil` means until cleared.
    public var count: Int?

    /// A fault; every knob defaults to off.
    public init(
        route: RouteName = .all,
        latencyMilliseconds: Int? = nil,
        status: Int? = nil,
        rate: Double = 1,
        retryAfter: Int? = nil,
        truncate: Truncation? = nil,
        garbage: Bool = false,
        reset: Bool = false,
        count: Int? = nil
    ) {
        self.route = route
        self.latencyMilliseconds = latencyMilliseconds
        self.status = status
        self.rate = rate
        self.retryAfter = retryAfter
        self.truncate = truncate
        self.garbage = garbage
        self.reset = reset
        self.count = count
    }

    /// Whether anything beyond latency is set.
    var hasFailure: Bool {
        status != nil || retryAfter != nil || truncate != nil || garbage || reset
    }

    /// The status of a failing answer: the set one, 429 when only `Retry-After` is given.
    var effectiveStatus: Int? {
        status ?? (retryAfter != nil ? 429 : nil)
    }
}

/// A fault setting that cannot be accepted.
public struct FaultParseError: Error, CustomStringConvertible, Sendable {
    /// What was wrong, for the CLI user or the admin API caller.
    public let description: String
}

extension Fault {
    /// Parses the CLI form `ROUTE=KNOB[,KNOB…]`, e.g.
    /// `response_times=latency=2000,status=503,rate=0.5,retry_after=2,truncate,garbage,reset,count=3`.
    /// `truncate` alone means `truncate=close`; `latency_ms` is accepted for `latency`.
    public init(cliSpec: String) throws {
        guard let equals = cliSpec.firstIndex(of: "=") else {
            throw FaultParseError(description: "fault '\(cliSpec)' must look like ROUTE=KNOB[,KNOB…]")
        }
        self.init(route: RouteName(String(cliSpec[..<equals])))
        for knob in cliSpec[cliSpec.index(after: equals)...].split(separator: ",") {
            let parts = knob.split(separator: "=", maxSplits: 1).map(String.init)
            try apply(knob: parts[0], value: parts.count > 1 ? parts[1] : nil)
        }
        try validate()
    }

    /// Parses the admin API form: `{"route":"response_times","latency_ms":2000,"status":503,…}`.
    public init(json: JSON) throws {
        guard let members = json.objectValue else {
            throw FaultParseError(description: "a fault must be a JSON object")
        }
        self.init()
        for (key, value) in members {
            switch value {
            case .null: continue
            case .bool(let flag):
                if key == "truncate" {
                    truncate = flag ? .close : nil
                } else {
                    try apply(knob: key, value: String(flag))
                }
            case .int(let number): try apply(knob: key, value: String(number))
            case .double(let number): try apply(knob: key, value: String(number))
            case .string(let text): try apply(knob: key, value: text)
            default: throw FaultParseError(description: "fault field '\(key)' has an unsupported value")
            }
        }
        try validate()
    }

    private mutating func apply(knob: String, value: String?) throws {
        func integer() throws -> Int {
            guard let value, let number = Int(value) ?? Double(value).flatMap({ Int(exactly: $0) }) else {
                throw FaultParseError(description: "fault knob '\(knob)' needs an integer")
            }
            return number
        }
        func flag() throws -> Bool {
            switch value {
            case nil, "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: throw FaultParseError(description: "fault knob '\(knob)' needs true or false")
            }
        }
        switch knob {
        case "route":
            guard let value else { throw FaultParseError(description: "route needs a name") }
            route = RouteName(value)
        case "latency", "latency_ms": latencyMilliseconds = try integer()
        case "status": status = try integer()
        case "retry_after": retryAfter = try integer()
        case "count": count = try integer()
        case "rate":
            guard let value, let number = Double(value) else {
                throw FaultParseError(description: "fault knob 'rate' needs a number from 0 to 1")
            }
            rate = number
        case "truncate":
            switch value {
            case nil, "true", "close": truncate = .close
            case "json": truncate = .json
            case "false": truncate = nil
            default: throw FaultParseError(description: "truncate is close or json")
            }
        case "garbage": garbage = try flag()
        case "reset": reset = try flag()
        default: throw FaultParseError(description: "unknown fault knob '\(knob)'")
        }
    }

    private func validate() throws {
        guard (0...1).contains(rate) else { throw FaultParseError(description: "rate must be between 0 and 1") }
        if let status, !(100...599).contains(status) {
            throw FaultParseError(description: "status must be an HTTP status code")
        }
        if let latencyMilliseconds, !(0...600_000).contains(latencyMilliseconds) {
            throw FaultParseError(description: "latency_ms must be between 0 and 600000")
        }
        if let retryAfter, retryAfter < 0 { throw FaultParseError(description: "retry_after must not be negative") }
        if let count, count < 1 { throw FaultParseError(description: "count must be at least 1") }
    }

    /// The admin API form, with only the knobs that are set.
    var json: JSON {
        var members: [(String, JSON)] = [("route", .string(route.rawValue))]
        if let latencyMilliseconds { members.append(("latency_ms", .int(latencyMilliseconds))) }
        if let status { members.append(("status", .int(status))) }
        members.append(("rate", .double(rate)))
        if let retryAfter { members.append(("retry_after", .int(retryAfter))) }
        if let truncate { members.append(("truncate", .string(truncate.rawValue))) }
        if garbage { members.append(("garbage", .bool(true))) }
        if reset { members.append(("reset", .bool(true))) }
        if let count { members.append(("count", .int(count))) }
        return .object(members)
    }
}
