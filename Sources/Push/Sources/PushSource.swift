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

    /// Fetches the points of `window` and hands them to `emit`, chunk by chunk.
    ///
    /// Throws when the upstream fails; chunks emitted before that stay delivered.
    func collect(
        window: PushWindow,
        logger: Logger,
        emit: ([DataPoint]) async throws -> Void
    ) async throws
}
