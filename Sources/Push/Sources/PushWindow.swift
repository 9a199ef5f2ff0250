/// The period a push run asks its sources for: `[start, end]` in milliseconds since the epoch.
///
/// Runs overlap on purpose (the default look-back is longer than the schedule's period), so a
/// late or skipped run loses nothing; the checkpoint removes what was already delivered.
public struct PushWindow: Sendable, Hashable, CustomStringConvertible {
    /// Start, milliseconds since the epoch.
    public var start: Int64
    /// End, milliseconds since the epoch.
    public var end: Int64

    /// A window; `start` must not be after `end`.
    public init(start: Int64, end: Int64) {
        precondition(start <= end, "window start after end")
        self.start = start
        self.end = end
    }

    /// The `lookback` before `end`.
    public init(lookback: Duration, endingAt end: Int64) {
        self.init(start: end - lookback.milliseconds, end: end)
    }

    public var description: String { "[\(start), \(end)] ms" }
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
