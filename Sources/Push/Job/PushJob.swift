import BetterStack
import Logging
import OpenTSDB

/// One push run: every source's points for the window, minus what the checkpoint says was
/// delivered, written to the receiver in acknowledged batches, the checkpoint advanced and
/// saved after each batch.
///
/// Exactly-once, as far as a receiver without transactions allows:
/// - nothing is lost: the checkpoint only moves past points the receiver acknowledged, and
///   windows overlap, so a crashed, failed or missed run is made up by the next one; after runs
///   missed for longer than the look-back, each source starts where it last completed
///   (``CatchUpPlan``), as far back as `push.max_catch_up_seconds`; a gap older than that, or
///   than what the source still holds, is reported as lost (exit 3), never passed over silently;
/// - nothing is duplicated: points at or before a series' checkpoint are skipped, the
///   checkpoint is saved atomically after every batch, and a lock keeps runs from overlapping.
///   The one window left is a crash between the receiver storing a batch and the checkpoint
///   reaching the disk: that batch (at most 50 identical points) is sent again.
///
/// A failing source is reported and the others still run; a failing receiver or checkpoint
/// stops the run. ``run()`` never throws: the outcome is in the ``PushReport``.
public struct PushJob: Sendable {
    /// Window and checkpoint settings.
    public let configuration: PushJobConfiguration
    /// The sources, run in order.
    public let sources: [any PushSource]
    /// The receiver.
    public let writer: OpenTSDBWriter
    private let now: @Sendable () -> Int64
    private let logger: Logger

    /// A job; `now` (milliseconds since the epoch) is the wall clock unless a test fixes it.
    public init(
        configuration: PushJobConfiguration,
        sources: [any PushSource],
        writer: OpenTSDBWriter,
        now: (@Sendable () -> Int64)? = nil,
        logger: Logger
    ) {
        self.configuration = configuration
        self.sources = sources
        self.writer = writer
        self.now = now ?? { FileSystem.nowMilliseconds() }
        self.logger = logger
    }

    /// Runs every source once. Never throws; see the report.
    public func run() async -> PushReport {
        let clock = ContinuousClock()
        let started = clock.now
        var report = await runSources()
        report.duration = clock.now - started
        if report.succeeded {
            logger.info("\(report.summary)")
        } else {
            logger.error("\(report.summary)")
        }
        return report
    }

    private func runSources() async -> PushReport {
        var report = PushReport()
        var problems = configuration.problems
        if sources.isEmpty { problems.append("no sources configured") }
        let names = sources.map(\.name)
        if Set(names).count != names.count { problems.append("source names repeat: \(names)") }
        if let problem = problems.first {
            report.failure = .configuration(problem)
            return report
        }

        let lock: RunLock
        do {
            lock = try RunLock(path: configuration.checkpointPath + ".lock")
        } catch {
            if case .held = error {
                report.failure = .busy(error.description)
            } else {
                report.failure = .checkpoint(error.description)
            }
            return report
        }
        defer { withExtendedLifetime(lock) {} }

        let file = CheckpointFile(path: configuration.checkpointPath)
        var checkpoint: Checkpoint
        do {
            checkpoint = try file.load()
        } catch {
            report.failure = .checkpoint(error.description)
            return report
        }
        let runTime = now()
        let cutoff = runTime - configuration.checkpointRetention.milliseconds
        let pruned = checkpoint.prune(before: cutoff)
        logger.debug(
            "push run",
            metadata: ["at": "\(runTime)", "series": "\(checkpoint.series.count)", "pruned": "\(pruned)"]
        )

        for source in sources {
            var sourceReport = SourceReport(name: source.name)
            let plan = CatchUpPlan(
                mark: checkpoint.sourceMarks[source.name],
                runTime: runTime,
                lookback: configuration.lookback,
                maxCatchUp: configuration.maxCatchUp,
                history: source.history
            )
            sourceReport.lost = plan.lost
            if plan.windows.count > 1 || plan.lost != nil {
                logger.notice(
                    "catching up on missed runs",
                    metadata: [
                        "source": "\(source.name)", "windows": "\(plan.windows.count)",
                        "from": "\(plan.windows.first.map { ISO8601Timestamp.format(milliseconds: $0.start) } ?? "-")",
                        "lost": "\(plan.lost.map(SourceReport.lostText) ?? "nothing")",
                    ]
                )
            }
            var delivery = Delivery(writer: writer, file: file, cutoff: cutoff, now: now, logger: logger)
            do {
                for window in plan.windows {
                    try await source.collect(window: window, logger: logger) { chunk in
                        try await delivery.deliver(chunk, checkpoint: &checkpoint, report: &sourceReport)
                    }
                    sourceReport.windows += 1
                    // Everything the source had up to the window's end is delivered: the next run
                    // starts here if it finds this mark older than its look-back.
                    checkpoint.sourceMarks[source.name] = max(checkpoint.sourceMarks[source.name] ?? window.end, window.end)
                    try delivery.save(checkpoint)
                }
                report.sources.append(sourceReport)
            } catch let failure as Delivery.Failure {
                sourceReport.failure = failure.description
                report.sources.append(sourceReport)
                report.failure = failure.pushFailure
                return report  // the receiver or the checkpoint is broken: no other source can deliver
            } catch is CancellationError {
                sourceReport.failure = "cancelled"
                report.sources.append(sourceReport)
                report.failure = .cancelled
                return report
            } catch {
                sourceReport.failure = Self.oneLine(error)
                report.sources.append(sourceReport)
            }
        }
        return report
    }

    /// An error's description on one line.
    public static func oneLine(_ error: any Error) -> String {
        String(String(describing: error).map { $0.isNewline ? " " : $0 })
    }
}
