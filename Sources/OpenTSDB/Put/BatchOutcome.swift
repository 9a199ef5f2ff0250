/// What the receiver made of one acknowledged `/api/put` request.
///
/// "Acknowledged" means the receiver answered for the points (2xx, or 400 with a `details`
/// body): every point of the batch is then either stored or definitively refused, so a caller
/// may move past all of them.
public struct BatchOutcome: Sendable {
    /// The points sent, in order.
    public var points: [DataPoint]
    /// Points the receiver reported stored (all of them when it gives no counts, as
    /// VictoriaMetrics and InfluxDB do with 204).
    public var accepted: Int
    /// Points the receiver's `details` answer listed as refused.
    public var rejected: [RejectedPoint]
    /// Refusals the receiver counted but did not identify (a `summary`-style answer).
    public var unidentifiedRejections: Int
    /// The final HTTP status.
    public var status: Int
    /// Requests made, retries included.
    public var attempts: Int

    /// Every refusal, identified or not.
    public var rejectedCount: Int { rejected.count + unidentifiedRejections }
}
