/// A rolling window of `statuspage_uptime_percentage`, its `window` label value and length.
public enum StatuspageUptimeWindow: String, Sendable, Hashable, CaseIterable {
    case day = "24h"
    case week = "7d"
    case month = "30d"

    /// The window's length in milliseconds.
    public var milliseconds: Int64 {
        switch self {
        case .day: 24 * 3_600_000
        case .week: 7 * 24 * 3_600_000
        case .month: 30 * 24 * 3_600_000
        }
    }

    /// The longest window: history older than this is never read again.
    static let longest: StatuspageUptimeWindow = .month
}
