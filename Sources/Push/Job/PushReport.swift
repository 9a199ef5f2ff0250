/// The outcome of one push run: what each source did, how long it took, and what went wrong.
/// Everything a heartbeat ping or a CLI needs: ``succeeded``, ``exitCode`` and ``summary``.
public struct PushReport: Sendable, Equatable {
    /// Exit status of a run that failed as a whole or in a source (sysexits has no better fit).
    public static let exitFailure: Int32 = 1
    /// Exit status of a run that completed but whose points were partly refused.
    public static let exitRejected: Int32 = 2
    /// Exit status of a run that completed but found a gap in a source's runs it could no longer
    /// fill (older than `push.max_catch_up_seconds` or than what the source holds): points lost.
    public static let exitLost: Int32 = 3
    /// `EX_TEMPFAIL`: another run was still going.
    public static let exitBusy: Int32 = 75
    /// `EX_CONFIG`: the settings cannot work.
    public static let exitConfiguration: Int32 = 78

    /// One entry per source that ran, in order.
    public var sources: [SourceReport]
    /// Wall time of the run.
    public var duration: Duration
    /// Why the run as a whole failed, if it did.
    public var failure: PushFailure?

    /// A report.
    public init(sources: [SourceReport] = [], duration: Duration = .zero, failure: PushFailure? = nil) {
        self.sources = sources
        self.duration = duration
        self.failure = failure
    }

    /// Points stored, over all sources.
    public var sent: Int { sources.reduce(0) { $0 + $1.sent } }
    /// Points skipped as already delivered, over all sources.
    public var skipped: Int { sources.reduce(0) { $0 + $1.skipped } }
    /// Points refused, over all sources.
    public var rejected: Int { sources.reduce(0) { $0 + $1.rejected } }
    /// Sources with a gap that could not be filled.
    public var lostSources: [SourceReport] { sources.filter { $0.lost != nil } }

    /// The process exit status for this outcome: 0 success; 1 a source, the receiver or the
    /// checkpoint failed; 3 completed but a gap could not be filled; 2 completed with refused
    /// points; 75 another run was going; 78 bad settings.
    public var exitCode: Int32 {
        switch failure {
        case .configuration: return Self.exitConfiguration
        case .busy: return Self.exitBusy
        case .checkpoint, .receiver, .cancelled: return Self.exitFailure
        case nil: break
        }
        if sources.contains(where: { $0.failure != nil }) { return Self.exitFailure }
        if !lostSources.isEmpty { return Self.exitLost }
        return rejected > 0 ? Self.exitRejected : 0
    }

    /// Why the run did not succeed, one line (the run's failure, else the first source's, else
    /// the refusals); `nil` on success. Suits a heartbeat's failure body.
    public var failureReason: String? {
        if let failure { return failure.description }
        if let source = sources.first(where: { $0.failure != nil }), let reason = source.failure {
            return "\(source.name): \(reason)"
        }
        if let source = lostSources.first, let lost = source.lost {
            return "\(source.name): \(SourceReport.lostText(lost))"
        }
        return rejected > 0 ? "\(rejected) point\(rejected == 1 ? "" : "s") refused" : nil
    }

    /// Whether everything fetched was delivered or already there (exit code 0).
    public var succeeded: Bool { exitCode == 0 }

    /// One line for the log, the heartbeat body and the terminal, e.g.
    /// `push ok in 1.25 s: catchpoint 111 sent, 0 skipped, 0 rejected (3 batches)`.
    public var summary: String {
        var line = "push \(succeeded ? "ok" : "failed") in \(Self.seconds(duration))"
        var parts: [String] = []
        if let failure { parts.append(failure.description) }
        // A source stopped by the run's failure says so briefly instead of repeating the reason.
        parts += sources.map { source in
            guard let failure, source.failure == failure.description else { return source.summary }
            return "\(source.name) stopped: \(source.counts)"
        }
        if !parts.isEmpty { line += ": " + parts.joined(separator: "; ") }
        return line
    }

    /// `1.25 s`, without Foundation's formatters.
    static func seconds(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        let hundredths = Int64(whole) * 100 + Int64(attoseconds / 10_000_000_000_000_000)
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction) s"
    }
}
