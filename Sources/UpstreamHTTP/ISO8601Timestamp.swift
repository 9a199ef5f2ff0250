/// Fast ISO 8601 / RFC 3339 conversion between text and milliseconds since the Unix epoch.
///
/// Response-time payloads carry thousands of timestamps, so this parses bytes by hand instead
/// of going through `DateFormatter`/ICU. It accepts what Better Stack, Grafana and operators
/// write: `2026-05-02T09:14:03.000Z`, `2026-05-02T09:14:03Z`, any number of fraction digits
/// (truncated to milliseconds), `Z` or a `±hh:mm` / `±hhmm` / `±hh` offset, a space instead of
/// `T` (`2023-08-09 07:03:30+00:00`), and a bare date `2026-05-02` (midnight UTC). A date-time
/// without any offset is read as UTC.
public enum ISO8601Timestamp {
    /// Parses an ISO 8601 timestamp to milliseconds since the Unix epoch, or `nil` if it is not one.
    public static func parseMilliseconds(_ text: some StringProtocol) -> Int64? {
        var copy = String(text)
        return copy.withUTF8 { parseMilliseconds(utf8: $0) }
    }

    /// Parses UTF-8 bytes holding an ISO 8601 timestamp to milliseconds since the Unix epoch.
    public static func parseMilliseconds(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var cursor = ByteCursor(bytes: bytes)
        guard let year = cursor.digits(4), cursor.take(UInt8(ascii: "-")),
            let month = cursor.digits(2), cursor.take(UInt8(ascii: "-")),
            let day = cursor.digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month) else { return nil }

        var hour = 0
        var minute = 0
        var second = 0
        var millisecond = 0
        var offsetSeconds = 0
        if !cursor.atEnd {
            guard let separator = cursor.next(),
                separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
                let h = cursor.digits(2), cursor.take(UInt8(ascii: ":")), let m = cursor.digits(2)
            else { return nil }
            hour = h
            minute = m
            if cursor.take(UInt8(ascii: ":")) {
                guard let s = cursor.digits(2) else { return nil }
                second = s
                if cursor.take(UInt8(ascii: ".")) || cursor.take(UInt8(ascii: ",")) {
                    // Any number of fraction digits; keep the first three, ignore the rest.
                    var count = 0
                    var scale = 100
                    while let digit = cursor.peekDigit() {
                        cursor.advance()
                        if count < 3 {
                            millisecond += digit * scale
                            scale /= 10
                        }
                        count += 1
                    }
                    guard count > 0 else { return nil }
                }
            }
            guard hour <= 23, minute <= 59, second <= 60 else { return nil }
            if let zone = cursor.next() {
                switch zone {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    break
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    guard let offsetHours = cursor.digits(2) else { return nil }
                    var offsetMinutes = 0
                    if !cursor.atEnd {
                        _ = cursor.take(UInt8(ascii: ":"))
                        guard let mm = cursor.digits(2) else { return nil }
                        offsetMinutes = mm
                    }
                    guard offsetHours <= 23, offsetMinutes <= 59 else { return nil }
                    offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (zone == UInt8(ascii: "-") ? -1 : 1)
                default:
                    return nil
                }
            }
            guard cursor.atEnd else { return nil }
        }

        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        return seconds * 1000 + Int64(millisecond)
    }

    /// Formats milliseconds since the Unix epoch as `YYYY-MM-DDThh:mm:ss.sssZ` (UTC).
    public static func format(milliseconds: Int64) -> String {
        let (days, millisecondOfDay) = floorDivide(milliseconds, 86_400_000)
        let (year, month, day) = civilFromDays(days)
        let secondOfDay = Int(millisecondOfDay / 1000)
        var out = [UInt8]()
        out.reserveCapacity(24)
        appendDate(year: year, month: month, day: day, into: &out)
        out.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 3600 / 60, width: 2, into: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, width: 2, into: &out)
        out.append(UInt8(ascii: "."))
        appendPadded(Int(millisecondOfDay % 1000), width: 3, into: &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Formats the UTC calendar day of a moment as `YYYY-MM-DD`, the form Better Stack's `from`/`to`
    /// query parameters expect.
    public static func formatDay(milliseconds: Int64) -> String {
        let (days, _) = floorDivide(milliseconds, 86_400_000)
        let (year, month, day) = civilFromDays(days)
        var out = [UInt8]()
        out.reserveCapacity(10)
        appendDate(year: year, month: month, day: day, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, Howard Hinnant's algorithms)

    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    package static func civilFromDays(_ days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    package static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }

    private static func appendDate(year: Int, month: Int, day: Int, into out: inout [UInt8]) {
        appendPadded(year, width: 4, into: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, into: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, into: &out)
    }

    private static func appendPadded(_ value: Int, width: Int, into out: inout [UInt8]) {
        if value < 0 {
            // Years before 0000 never occur upstream; keep the output parseable-looking anyway.
            out.append(UInt8(ascii: "-"))
            appendPadded(-value, width: width, into: &out)
            return
        }
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var remaining = value
        var index = width - 1
        while index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(remaining % 10)
            remaining /= 10
            index -= 1
        }
        if remaining > 0 {
            // Wider than `width` (e.g. year 10000): print all digits.
            out.append(contentsOf: Array(String(value).utf8))
        } else {
            out.append(contentsOf: digits)
        }
    }
}

/// A forward-only reader over ASCII bytes, for the hand-written parsers.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool { index >= bytes.count }

    mutating func next() -> UInt8? {
        guard index < bytes.count else { return nil }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func advance() {
        index += 1
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    func peekDigit() -> Int? {
        guard index < bytes.count else { return nil }
        let byte = bytes[index]
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        return Int(byte - UInt8(ascii: "0"))
    }

    /// Reads exactly `count` decimal digits.
    mutating func digits(_ count: Int) -> Int? {
        guard index + count <= bytes.count else { return nil }
        var value = 0
        for _ in 0..<count {
            guard let digit = peekDigit() else { return nil }
            value = value * 10 + digit
            index += 1
        }
        return value
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
    }
}
