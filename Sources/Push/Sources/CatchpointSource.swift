import Catchpoint
import Logging
import OpenTSDB

/// Catchpoint raw test data under the replaced job's names (`catchpoint.testdata.*`, tags
/// `TestId`, `NodeId`, `StepNumber`, `HopNumber`): one chunk per raw request of at most 50 tests.
///
/// Every series carries its `TestId`, and a request's tests are not repeated in another (given
/// groups must not share a test: ``CatchpointJobConfig`` keeps a test in its first type only), so
/// chunks never share a series and the time-order rule of ``PushSource`` holds.
public struct CatchpointSource: PushSource {
    public let name: String
    /// The client (token handling, raw requests).
    public let client: CatchpointClient
    /// The tests to pull.
    public let testIDs: [Int]
    /// The tests of each request: given (the replaced job's per-type batches), or `testIDs` in
    /// groups of the client's request size.
    public let requestGroups: [[Int]]
    /// Timestamp precision of the points (seconds, as the replaced job stored them).
    public let precision: TimestampPrecision

    /// A source for `testIDs`.
    public init(
        name: String = "catchpoint",
        client: CatchpointClient,
        testIDs: [Int],
        requestGroups: [[Int]]? = nil,
        precision: TimestampPrecision = .seconds
    ) {
        self.name = name
        self.client = client
        self.testIDs = testIDs
        let size = client.configuration.testsPerRequest
        self.requestGroups =
            requestGroups?.flatMap { CatchpointClient.requestGroups($0, size: size) }
            ?? CatchpointClient.requestGroups(testIDs, size: size)
        self.precision = precision
    }

    public func collect(
        window: PushWindow,
        logger: Logger,
        emit: ([DataPoint]) async throws -> Void
    ) async throws {
        let groups = requestGroups
        for (index, group) in groups.enumerated() {
            let answer = try await client.rawPerformance(
                requestFor: group,
                window: RawWindow(start: window.start, end: window.end)
            )
            let mapping = answer.dataPoints(precision: precision)
            for note in mapping.skippedItems.prefix(5) {
                logger.warning("Catchpoint item left out", metadata: ["source": "\(name)", "why": "\(note)"])
            }
            logger.debug(
                "Catchpoint chunk",
                metadata: [
                    "request": "\(index + 1)/\(groups.count)", "tests": "\(group.count)",
                    "points": "\(mapping.points.count)",
                ]
            )
            try await emit(mapping.points)
        }
    }
}
