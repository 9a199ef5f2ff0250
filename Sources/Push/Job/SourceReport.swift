/// What one source did in a run. When the source did not fail,
/// `fetched == sent + skipped + rejected`.
public struct SourceReport: Sendable, Equatable {
    /// The source's name.
    public var name: String
    /// Points the source produced.
    public var fetched = 0
    /// Points the receiver acknowledged as stored.
    public var sent = 0
    /// Points left out as already delivered (at or before the checkpoint), repeated within the
    /// run, or older than the checkpoint retention.
    public var skipped = 0
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

    /// `111 sent, 0 skipped, 0 rejected (3 batches)`.
    var counts: String {
        "\(sent) sent, \(skipped) skipped, \(rejected) rejected (\(batches) batch\(batches == 1 ? "" : "es"))"
    }
}
