/// The period asked of the raw endpoint (`startTime`/`endTime`); without one Catchpoint answers
/// the last 15 minutes.
public struct RawWindow: Sendable, Hashable {
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

    /// `startTime=YYYY-MM-DDTHH:MM:SS&endTime=…` in UTC, whole seconds. The end is rounded up so
    /// that a run in the window's last partial second is not cut off.
    public var queryItems: String {
        "startTime=\(RunTime.queryText(start))&endTime=\(RunTime.queryText(end + 999))"
    }
}
