/// How a push run chooses its window and keeps its checkpoint.
public struct PushJobConfiguration: Sendable {
    /// The checkpoint file; its directory must exist. `<path>.lock` and `<path>.tmp` sit beside it.
    public var checkpointPath: String
    /// How far back each run asks its sources. Longer than the schedule's period, so runs
    /// overlap and a late or missed run loses nothing (1 h for a 15-minute timer).
    public var lookback: Duration
    /// How far back a run after missed runs catches up (``CatchUpPlan``); a gap older than this
    /// is reported as lost (exit 3).
    public var maxCatchUp: Duration
    /// Checkpoint entries older than this are dropped, and so are points older than it (counted
    /// per source as ``SourceReport/expired``). Must exceed both ``lookback`` and ``maxCatchUp``:
    /// a series whose entry was pruned would otherwise be sent again. By default one day more
    /// than the longer of the two.
    public var checkpointRetention: Duration

    /// The default ``maxCatchUp``: 7 days.
    public static let defaultMaxCatchUp: Duration = .seconds(7 * 86_400)

    /// A configuration with the documented defaults.
    public init(
        checkpointPath: String,
        lookback: Duration = .seconds(3600),
        maxCatchUp: Duration = PushJobConfiguration.defaultMaxCatchUp,
        checkpointRetention: Duration? = nil
    ) {
        self.checkpointPath = checkpointPath
        self.lookback = lookback
        self.maxCatchUp = maxCatchUp
        self.checkpointRetention = checkpointRetention ?? max(lookback, maxCatchUp) + .seconds(86_400)
    }

    /// The reasons this configuration cannot work, one line each.
    public var problems: [String] {
        var problems: [String] = []
        if checkpointPath.isEmpty {
            problems.append("checkpoint path is empty")
        } else if !FileSystem.isWritableDirectory(FileSystem.directory(of: checkpointPath)) {
            problems.append(
                "checkpoint directory \(FileSystem.directory(of: checkpointPath)) does not exist or is not writable"
            )
        }
        if lookback <= .zero { problems.append("look-back must be positive") }
        if maxCatchUp < .zero { problems.append("the catch-up bound must not be negative") }
        if checkpointRetention <= max(lookback, maxCatchUp) {
            problems.append("checkpoint retention must be longer than the look-back and the catch-up bound")
        }
        return problems
    }
}
