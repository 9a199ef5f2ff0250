import BetterStack
/// What one source did in a run. When the source did not fail,
/// `fetched == sent + skipped + rejected`.
public struct SourceReport: Sendable, Equatable {
    /// The source's name.
    public var name: String
    /// Points the source produced.
    public var fetched = 0
    /// Points the receiver acknowledged as stored.
    public var sent = 0
    /// Points left out as already delivered (at or before the checkpoint) or repeated within the
    /// run.
    public var skipped = 0
    /// Points left out as older than the checkpoint retention (a source answering outside the
    /// windows it was asked for): their series' entries may be gone, so sending them could repeat
    /// them.
    public var expired = 0
    /// Windows this run asked the source for (more than one while catching up).
    public var windows = 0
    /// The part of a gap in this source's runs that could not be fetched any more (older than
    /// `push.max_catch_up_seconds` or than what the source holds); its points are lost.
    public var lost: PushWindow?
    /// Points refused: invalid names or values (never sent), or refused by the receiver.
    public var rejected = 0
    /// Acknowledged requests.
    public var batches = 0
    /// Why the source stopped early, one line; `nil` when it finished.
    public var failure: String?

    /// An empty report for `name`.
    public init(name: String) {
        self.name = name
    }

    /// `catchpoint 111 sent, 0 skipped, 0 rejected (3 batches)` plus the failure, if any.
    public var summary: String {
        if let failure { return "\(name) failed: \(failure) (\(counts))" }
        return "\(name) \(counts)"
    }

    /// `111 sent, 0 skipped, 0 rejected (3 batches)`, then what is unusual: `, caught up in 4
    /// windows`, `, 3 older than the retention left out`, `, gap [start, end] lost`.
    var counts: String {
        var line = "\(sent) sent, \(skipped) skipped, \(rejected) rejected (\(batches) batch\(batches == 1 ? "" : "es"))"
        if windows > 1 { line += ", caught up in \(windows) windows" }
        if expired > 0 { line += ", \(expired) older than the checkpoint retention left out" }
        if let lost { line += ", " + Self.lostText(lost) }
        return line
    }

    /// `gap 2026-05-01T06:15:00.000Z…2026-05-01T08:15:00.000Z (2 h 0 min) not fetched: lost`.
    static func lostText(_ window: PushWindow) -> String {
        let span = (window.end - window.start) / 1000
        let length = span >= 3600 ? "\(span / 3600) h \(span % 3600 / 60) min" : "\(span / 60) min \(span % 60) s"
        return "gap \(ISO8601Timestamp.format(milliseconds: window.start))…\(ISO8601Timestamp.format(milliseconds: window.end)) (\(length)) not fetched: lost"
    }
}
