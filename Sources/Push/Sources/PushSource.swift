import Logging
import OpenTSDB

/// A named producer of datapoints for a time window: Catchpoint raw data today, Better Stack
/// response times and Statuspage status later.
///
/// A source hands its points to `emit` in chunks as it fetches them (one chunk per upstream
/// request, say); the job delivers and checkpoints each chunk before `emit` returns, so a crash
/// while fetching the next chunk loses nothing already handed over.
///
/// Rules a source keeps:
/// - Within one run, points of a series come in time order across chunks (a later chunk never
///   holds an earlier point of a series an earlier chunk had). Inside a chunk, order is free.
/// - Timestamps are integers (``DataPoint`` makes that so) and tag values strings.
/// - Errors thrown by `emit` are rethrown unchanged (they mean the receiver failed).
/// - The same upstream data always maps to the same points, so a rerun recognises them.
public protocol PushSource: Sendable {
    /// The name in reports and logs, e.g. `catchpoint`.
    var name: String { get }

    /// How far back the source can still serve points, for a run catching up on missed runs
    /// (``PushJob``). Defaults to ``PushHistory/unbounded``.
    var history: PushHistory { get }

    /// Fetches the points of `window` and hands them to `emit`, chunk by chunk.
    ///
    /// Throws when the upstream fails; chunks emitted before that stay delivered.
    func collect(
        window: PushWindow,
        logger: Logger,
        emit: ([DataPoint]) async throws -> Void
    ) async throws
}

/// What a source can serve of the past, which decides how a run after missed runs catches up.
public enum PushHistory: Sendable, Equatable {
    /// Any window asked for (Catchpoint raw data): a gap is fetched in windows of the look-back,
    /// oldest first, as far back as `push.max_catch_up_seconds`.
    case unbounded
    /// Only the last `Duration` (Better Stack response times: 24 h), fetched as one window.
    case last(Duration)
    /// The present state only (Statuspage): nothing to catch up, nothing lost.
    case presentOnly
}

extension PushSource {
    public var history: PushHistory { .unbounded }
}
