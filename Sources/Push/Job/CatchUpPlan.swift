/// The windows one source is asked for in one run, and the part of a gap it can no longer fill.
///
/// A run asks each source for its look-back (`push.lookback_seconds`) before the run's time. When
/// the source's mark (the end of the last window it completed, ``Checkpoint/sourceMarks``) is
/// older than that, runs were missed for longer than the look-back: the source is asked from its
/// mark instead, so the gap is filled. How far back that goes is bounded twice: by
/// `push.max_catch_up_seconds` and by what the source still holds (``PushHistory``). What lies
/// before both bounds is ``lost``: reported, and the run exits 3.
///
/// An unbounded source (Catchpoint) gets the gap in windows of the look-back, oldest first, and
/// its mark moves after each, so a long catch-up that fails half-way resumes where it stopped. A
/// source holding only its last hours (Better Stack response times) gets one window. A source of
/// present state (Statuspage) always gets its plain look-back and never loses anything.
struct CatchUpPlan: Equatable {
    /// Oldest first; the last ends at the run's time.
    var windows: [PushWindow]
    /// The part of the gap before what can still be fetched, if any.
    var lost: PushWindow?

    init(mark: Int64?, runTime: Int64, lookback: Duration, maxCatchUp: Duration, history: PushHistory) {
        let lookbackMilliseconds = max(1, lookback.milliseconds)
        let normal = PushWindow(start: runTime - lookbackMilliseconds, end: runTime)
        guard let mark, mark < normal.start, history != .presentOnly else {
            windows = [normal]
            lost = nil
            return
        }
        var reach = maxCatchUp.milliseconds
        if case .last(let held) = history { reach = min(reach, held.milliseconds) }
        reach = max(reach, lookbackMilliseconds)
        let floor = runTime - reach
        let start = max(mark, floor)
        lost = mark < floor ? PushWindow(start: mark, end: floor) : nil
        guard history == .unbounded else {
            windows = [PushWindow(start: start, end: runTime)]
            return
        }
        var slices: [PushWindow] = []
        var from = start
        while from < runTime {
            let to = min(runTime, from + lookbackMilliseconds)
            slices.append(PushWindow(start: from, end: to))
            from = to
        }
        windows = slices.isEmpty ? [normal] : slices
    }
}
