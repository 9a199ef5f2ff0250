import UpstreamHTTP

/// Parses a run time (`dimension.name`) such as `2022-01-28T09:55:10Z` into milliseconds since
/// the epoch.
///
/// Accepts `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]` followed by `Z`, `±HH:MM`, `±HHMM`, `±HH` or
/// nothing. Without a zone the time is taken as UTC: Catchpoint reports UTC, and the replaced
/// job's host ran in UTC (the format is inferred from `pavan485/python-opentsDB` `log/app.log`).
public enum RunTime {
    /// Milliseconds since the epoch, or `nil` when `text` is not such a time.
    public static func milliseconds(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        var index = 0
        func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += count
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2),
            (1...12).contains(month), (1...Int64(ISO8601Timestamp.daysInMonth(year: Int(year), month: Int(month)))).contains(day),
            expect("T t"), let hour = digits(2), expect(":"), let minute = digits(2),
            hour < 24, minute < 60
        else { return nil }
        var second: Int64 = 0
        var millisecond: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") {
            index += 1
            guard let value = digits(2), value < 61 else { return nil }
            second = min(value, 59)  // a leap second is read as :59
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                var scale: Int64 = 100
                let fractionStart = index
                while index < bytes.count, (48...57).contains(bytes[index]) {
                    millisecond += Int64(bytes[index] - 48) * scale
                    scale /= 10
                    index += 1
                }
                guard index > fractionStart else { return nil }
            }
        }
        var offsetMinutes: Int64 = 0
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                index += 1
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                index += 1
                guard let hours = digits(2), hours <= 23 else { return nil }
                var minutes: Int64 = 0
                if index < bytes.count {
                    _ = expect(":")
                    guard let value = digits(2), value < 60 else { return nil }
                    minutes = value
                }
                offsetMinutes = sign * (hours * 60 + minutes)
            default:
                return nil
            }
        }
        guard index == bytes.count else { return nil }
        let days = ISO8601Timestamp.daysFromCivil(year: Int(year), month: Int(month), day: Int(day))
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millisecond
    }

    /// `YYYY-MM-DDTHH:MM:SS` in UTC for `milliseconds` (truncated to the second): the form
    /// Catchpoint's `startTime`/`endTime` take (krux's client sends it without a zone).
    public static func queryText(_ milliseconds: Int64) -> String {
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - days * 86_400
        let (year, month, day) = ISO8601Timestamp.civilFromDays(days)
        func pad(_ value: some BinaryInteger, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(inDay / 3600, 2)):"
            + "\(pad(inDay / 60 % 60, 2)):\(pad(inDay % 60, 2))"
    }
}
