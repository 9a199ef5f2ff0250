/// Parses the `Retry-After` header: delta seconds (`120`) or an HTTP-date
/// (`Sun, 06 Nov 1994 08:49:37 GMT`, plus the obsolete RFC 850 and asctime forms).
public enum RetryAfter {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The wait the header asks for, measured from `nowMilliseconds`; dates in the past give zero.
    /// `nil` when the value is neither form.
    public static func parse(_ value: String, nowMilliseconds: Int64) -> Duration? {
        let trimmed = value.trimmingASCIIWhitespace()
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Absurdly long numbers saturate instead of trapping.
            guard let seconds = Int64(trimmed) else { return .seconds(Int64.max / 1_000_000_000) }
            return .seconds(seconds)
        }
        guard let date = parseHTTPDateMilliseconds(trimmed) else { return nil }
        return .milliseconds(max(0, date - nowMilliseconds))
    }

    /// Milliseconds since the Unix epoch for an HTTP-date, or `nil`.
    public static func parseHTTPDateMilliseconds(_ text: String) -> Int64? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var time: (Int, Int, Int)?
        switch tokens.count {
        case 6 where tokens[5].uppercased() == "GMT":
            // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
            day = Int(tokens[1])
            month = monthIndex(tokens[2])
            year = Int(tokens[3])
            time = parseClock(tokens[4])
        case 4 where tokens[3].uppercased() == "GMT":
            // RFC 850: Sunday, 06-Nov-94 08:49:37 GMT
            let parts = tokens[1].split(separator: "-").map(String.init)
            guard parts.count == 3 else { return nil }
            day = Int(parts[0])
            month = monthIndex(parts[1])
            year = Int(parts[2]).map { $0 < 100 ? ($0 < 70 ? 2000 + $0 : 1900 + $0) : $0 }
            time = parseClock(tokens[2])
        case 5:
            // asctime: Sun Nov  6 08:49:37 1994
            month = monthIndex(tokens[1])
            day = Int(tokens[2])
            time = parseClock(tokens[3])
            year = Int(tokens[4])
        default:
            return nil
        }
        // HTTP-date years have four digits (two in RFC 850); a longer one would overflow the
        // day arithmetic below.
        guard let day, let month, let year, let time, (0...9999).contains(year),
            day >= 1, day <= ISO8601Timestamp.daysInMonth(year: year, month: month)
        else { return nil }
        let days = ISO8601Timestamp.daysFromCivil(year: year, month: month, day: day)
        return (days * 86_400 + Int64(time.0 * 3600 + time.1 * 60 + time.2)) * 1000
    }

    private static func monthIndex(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }

    private static func parseClock(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ":")
        guard parts.count == 3, let h = Int(parts[0]), let m = Int(parts[1]), let s = Int(parts[2]),
            (0...23).contains(h), (0...59).contains(m), (0...60).contains(s)
        else { return nil }
        return (h, m, s)
    }
}
