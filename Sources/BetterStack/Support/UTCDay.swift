/// A calendar day in UTC, the unit of Better Stack's `from`/`to` parameters (`YYYY-MM-DD`).
///
/// Finished days never change upstream, so callers can also use this as a cache key for per-day
/// availability.
public struct UTCDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01.
    public let daysSinceEpoch: Int64

    /// The day that contains the given moment (milliseconds since the Unix epoch).
    public init(epochMilliseconds: Int64) {
        daysSinceEpoch = ISO8601Timestamp.floorDivide(epochMilliseconds, 86_400_000).quotient
    }

    /// A day from its parts; `nil` if the date does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= ISO8601Timestamp.daysInMonth(year: year, month: month) else {
            return nil
        }
        daysSinceEpoch = ISO8601Timestamp.daysFromCivil(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD` or any full ISO 8601 timestamp (the day is taken in UTC).
    public init?(_ text: some StringProtocol) {
        guard let milliseconds = ISO8601Timestamp.parseMilliseconds(text) else { return nil }
        self.init(epochMilliseconds: milliseconds)
    }

    init(daysSinceEpoch: Int64) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// Midnight UTC at the start of this day, in milliseconds since the Unix epoch.
    public var startMilliseconds: Int64 { daysSinceEpoch * 86_400_000 }

    /// The day `count` days later (earlier if negative).
    public func adding(days count: Int) -> UTCDay {
        UTCDay(daysSinceEpoch: daysSinceEpoch + Int64(count))
    }

    /// `YYYY-MM-DD`.
    public var description: String { ISO8601Timestamp.formatDay(milliseconds: startMilliseconds) }

    public static func < (lhs: UTCDay, rhs: UTCDay) -> Bool { lhs.daysSinceEpoch < rhs.daysSinceEpoch }
}
