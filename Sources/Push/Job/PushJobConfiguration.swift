/// How a push run chooses its window and keeps its checkpoint.
public struct PushJobConfiguration: Sendable {
    /// The checkpoint file; its directory must exist. `<path>.lock` and `<path>.tmp` sit beside it.
    public var checkpointPath: String
    /// How far back each run asks its sources. Longer than the schedule's period, so runs
    /// overlap and a late or missed run loses nothing (1 h for a 15-minute timer).
    public var lookback: Duration
    /// Checkpoint entries (and points) older than this are dropped. Must exceed ``lookback``:
    /// a series whose entry was pruned would otherwise be sent again.
    public var checkpointRetention: Duration

    /// A configuration with the documented defaults.
    public init(
        checkpointPath: String,
        lookback: Duration = .seconds(3600),
        checkpointRetention: Duration = .seconds(7 * 86_400)
    ) {
        self.checkpointPath = checkpointPath
        self.lookback = lookback
        self.checkpointRetention = checkpointRetention
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
        if checkpointRetention <= lookback { problems.append("checkpoint retention must be longer than the look-back") }
        return problems
    }
}
