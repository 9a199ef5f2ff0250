import Logging
import OpenTSDB

/// Delivers one chunk of a source's points: drop what the checkpoint has, refuse what cannot be
/// sent, send the rest in time order in batches, and save the checkpoint after each
/// acknowledged batch.
struct Delivery {
    /// A failure of the receiver or of the checkpoint, as opposed to one of the source.
    struct Failure: Error, CustomStringConvertible {
        let pushFailure: PushFailure
        var description: String { pushFailure.description }
    }

    let writer: OpenTSDBWriter
    let file: CheckpointFile
    /// Points before this (ms) are skipped: their series may have been pruned from the checkpoint.
    let cutoff: Int64
    let now: @Sendable () -> Int64
    let logger: Logger
    /// Rejections logged so far in this run; only the first few are logged one by one.
    private var loggedRejections = 0

    init(
        writer: OpenTSDBWriter,
        file: CheckpointFile,
        cutoff: Int64,
        now: @escaping @Sendable () -> Int64,
        logger: Logger
    ) {
        self.writer = writer
        self.file = file
        self.cutoff = cutoff
        self.now = now
        self.logger = logger
    }

    mutating func deliver(_ chunk: [DataPoint], checkpoint: inout Checkpoint, report: inout SourceReport) async throws {
        report.fetched += chunk.count
        let expired = chunk.reduce(0) { $0 + ($1.milliseconds < cutoff ? 1 : 0) }
        let fresh = Self.newPoints(in: chunk, checkpoint: checkpoint, cutoff: cutoff)
        report.expired += expired
        report.skipped += chunk.count - fresh.count - expired

        let (valid, invalid) = writer.validate(fresh)
        report.rejected += invalid.count
        log(invalid)

        // Time order per series: a crash after any batch leaves each series' checkpoint below
        // every point not yet sent. Ties keep the source's order.
        let ordered = valid.enumerated()
            .sorted { ($0.element.milliseconds, $0.offset) < ($1.element.milliseconds, $1.offset) }
            .map(\.element)
        let size = writer.configuration.batchSize
        for start in stride(from: 0, to: ordered.count, by: size) {
            let batch = Array(ordered[start..<min(start + size, ordered.count)])
            let outcome: BatchOutcome
            do {
                outcome = try await writer.send(batch: batch)
            } catch let error as OpenTSDBError {
                throw Failure(pushFailure: .receiver(error.description))
            }
            checkpoint.advance(past: batch)
            try save(checkpoint)
            report.batches += 1
            report.sent += batch.count - outcome.rejectedCount
            report.rejected += outcome.rejectedCount
            log(outcome.rejected)
        }
        // Points that can never be sent are passed over too, once everything before them in
        // their series is delivered, so they are reported once rather than on every run.
        if !invalid.isEmpty {
            checkpoint.advance(past: invalid.map(\.point))
            try save(checkpoint)
        }
    }

    func save(_ checkpoint: Checkpoint) throws {
        do {
            try file.save(checkpoint, now: now())
        } catch {
            throw Failure(pushFailure: .checkpoint(error.description))
        }
    }

    /// The points after their series' checkpoint and not before `cutoff`, each (series, time)
    /// once (the last occurrence wins, as a receiver would overwrite).
    static func newPoints(in chunk: [DataPoint], checkpoint: Checkpoint, cutoff: Int64) -> [DataPoint] {
        struct Instant: Hashable {
            let series: SeriesKey
            let milliseconds: Int64
        }
        var lastIndex: [Instant: Int] = [:]
        lastIndex.reserveCapacity(chunk.count)
        var keep: [Bool] = Array(repeating: false, count: chunk.count)
        for (index, point) in chunk.enumerated() {
            let series = point.series
            let time = point.milliseconds
            guard time >= cutoff else { continue }
            if let last = checkpoint[series], time <= last { continue }
            let instant = Instant(series: series, milliseconds: time)
            if let earlier = lastIndex[instant] { keep[earlier] = false }
            lastIndex[instant] = index
            keep[index] = true
        }
        return chunk.indices.filter { keep[$0] }.map { chunk[$0] }
    }

    private mutating func log(_ rejected: [RejectedPoint]) {
        for point in rejected where loggedRejections < 10 {
            loggedRejections += 1
            logger.warning("point refused", metadata: ["point": "\(point)"])
        }
    }
}
