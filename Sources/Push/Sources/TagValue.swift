/// Tag values from upstream names (Statuspage component names, Better Stack regions) made valid
/// for OpenTSDB: every character outside `a-z A-Z 0-9 - _ . /` and Unicode letters becomes `_`
/// (`API Gateway (EU)` → `API_Gateway__EU_`); an empty name becomes `unknown`.
///
/// The mapping is a pure function of the name, so a rerun produces the same series.
public enum TagValue {
    public static func sanitized(_ name: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/": scalars.append(scalar)
            default: scalars.append(scalar.value > 127 && scalar.properties.isAlphabetic ? scalar : "_")
            }
        }
        let text = String(scalars)
        return text.isEmpty ? "unknown" : text
    }
}

/// Calendar arithmetic without Foundation: UTC day numbers and ISO 8601 timestamps.
enum CivilTime {
    static let dayMilliseconds: Int64 = 86_400_000

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM]` (as Statuspage
    /// writes `updated_at`); `nil` when the text has another shape.
    static func milliseconds(iso8601 text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            return value
        }
        guard bytes.count >= 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
            let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        var fraction: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, (48...57).contains(bytes[index]) {
                if digits < 3 { fraction = fraction * 10 + Int64(bytes[index] - 48) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<3 where digits < 3 { fraction *= 10 }
        }
        var offsetMinutes: Int64 = 0
        if index < bytes.count {
            let sign = bytes[index]
            if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
                index += 1
            } else if sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                guard let hours = number(index + 1, 2) else { return nil }
                var minutes: Int64 = 0
                if index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":") {
                    guard let m = number(index + 4, 2) else { return nil }
                    minutes = m
                    index += 6
                } else if let m = number(index + 3, 2) {
                    minutes = m
                    index += 5
                } else {
                    index += 3
                }
                offsetMinutes = (hours * 60 + minutes) * (sign == UInt8(ascii: "-") ? -1 : 1)
            } else {
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let seconds = days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second
            - offsetMinutes * 60
        return seconds * 1000 + fraction
    }
}
