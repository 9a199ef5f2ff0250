import BetterStack
import FastCGIRuntime

/// Time values in query parameters and request bodies: epoch milliseconds (Grafana's `${__from}`,
/// Infinity's `${__timeFrom}`) or ISO 8601 (`2026-05-02T09:00:00Z`, `2026-05-02`).
enum TimeParameter {
    /// The earliest time accepted: 1970-01-01T00:00:00Z.
    static let earliest: Int64 = 0
    /// The latest time accepted: 2200-01-01T00:00:00Z. Keeps every time and bucket computation far
    /// from `Int64`'s limits.
    static let latest: Int64 = 7_258_118_400_000

    /// Why a time value was refused.
    enum Problem: Error {
        case unreadable
        case outOfRange
    }

    /// Parses one value; nil when it is neither form or outside 1970–2200.
    static func milliseconds(_ text: String) -> Int64? {
        try? parse(text).get()
    }

    /// Parses one value (at most ``InputBounds/timeBytes`` bytes; linear in them).
    static func parse(_ text: String) -> Result<Int64, Problem> {
        guard text.utf8.count <= InputBounds.timeBytes else { return .failure(.unreadable) }
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return .failure(.unreadable) }
        let value: Int64
        if trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let number = Int64(trimmed) else { return .failure(.outOfRange) }
            // 10 digits or fewer are seconds (`${__from:date:seconds}`); milliseconds otherwise.
            value = trimmed.utf8.count <= 10 ? number * 1000 : number
        } else if let ms = ISO8601Timestamp.parseMilliseconds(trimmed) {
            value = ms
        } else if let day = UTCDay(trimmed), trimmed.utf8.count == 10 {
            value = day.startMilliseconds
        } else {
            return .failure(.unreadable)
        }
        guard value >= earliest, value <= latest else { return .failure(.outOfRange) }
        return .success(value)
    }

    /// The 400 for a refused value of parameter `name`.
    static func error(_ problem: Problem, name: String, text: String) -> HTTPError {
        let shown = JSONWriter.Scalar.string(String(text.prefix(InputBounds.timeBytes)))
        switch problem {
        case .unreadable:
            return HTTPError(400, "\(name) must be epoch milliseconds or ISO 8601", extra: [(name, shown)])
        case .outOfRange:
            return HTTPError(
                400,
                "\(name) must lie between 1970-01-01 and 2200-01-01",
                extra: [(name, shown), ("earliest", .int(earliest)), ("latest", .int(latest))]
            )
        }
    }

    /// The `[from, to]` range of a request from `from`/`to` or the seed's `range_from`/`range_to`.
    /// Either end may be missing. An unparseable or inverted range is a 400.
    static func range(of request: Request) throws(HTTPError) -> (from: Int64?, to: Int64?) {
        func read(_ names: [String]) throws(HTTPError) -> Int64? {
            for name in names {
                guard let text = request.queryValue(name), !text.isEmpty else { continue }
                switch parse(text) {
                case .success(let ms): return ms
                case .failure(let problem): throw error(problem, name: name, text: text)
                }
            }
            return nil
        }
        let from = try read(["from", "range_from"])
        let to = try read(["to", "range_to"])
        if let from, let to, from > to {
            throw HTTPError(400, "the time range is inverted (from is after to)")
        }
        return (from, to)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}
