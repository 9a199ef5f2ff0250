import BetterStack
import FastCGIRuntime

/// Time values in query parameters and request bodies: epoch milliseconds (Grafana's `${__from}`,
/// Infinity's `${__timeFrom}`) or ISO 8601 (`2026-05-02T09:00:00Z`, `2026-05-02`).
enum TimeParameter {
    /// Parses one value; nil when it is neither form.
    static func milliseconds(_ text: String) -> Int64? {
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty { return nil }
        if trimmed.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let value = Int64(trimmed) else { return nil }
            // 10 digits or fewer are seconds (`${__from:date:seconds}`); milliseconds otherwise.
            return trimmed.utf8.count <= 10 ? value * 1000 : value
        }
        if let ms = ISO8601Timestamp.parseMilliseconds(trimmed) { return ms }
        if let day = UTCDay(trimmed), trimmed.utf8.count == 10 { return day.startMilliseconds }
        return nil
    }

    /// The `[from, to]` range of a request from `from`/`to` or the seed's `range_from`/`range_to`.
    /// Either end may be missing. An unparseable or inverted range is a 400.
    static func range(of request: Request) throws(HTTPError) -> (from: Int64?, to: Int64?) {
        func read(_ names: [String]) throws(HTTPError) -> Int64? {
            for name in names {
                guard let text = request.queryValue(name), !text.isEmpty else { continue }
                guard let ms = milliseconds(text) else {
                    throw HTTPError(400, "\(name) must be epoch milliseconds or ISO 8601", extra: [(name, .string(text))])
                }
                return ms
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
