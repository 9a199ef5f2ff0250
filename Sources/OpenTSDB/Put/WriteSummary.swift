/// The result of ``OpenTSDBWriter/write(_:)``: every batch was acknowledged.
public struct WriteSummary: Sendable {
    /// Points sent to the receiver (valid ones).
    public var sent: Int = 0
    /// Points the receiver stored.
    public var accepted: Int = 0
    /// Points refused, before sending or by the receiver.
    public var rejected: [RejectedPoint] = []
    /// Refusals the receiver counted without naming the point.
    public var unidentifiedRejections: Int = 0
    /// Requests that carried points.
    public var batches: Int = 0

    /// A summary of nothing.
    public init() {}

    /// Every refusal, identified or not.
    public var rejectedCount: Int { rejected.count + unidentifiedRejections }

    /// Throws ``OpenTSDBError/rejectedPoints(_:unidentified:)`` if anything was refused, for
    /// callers that treat any loss as failure.
    public func requireAllAccepted() throws(OpenTSDBError) {
        if rejectedCount > 0 { throw .rejectedPoints(rejected, unidentified: unidentifiedRejections) }
    }
}
