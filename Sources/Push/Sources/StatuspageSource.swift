import Logging
import OpenTSDB
import Statuspage

/// Statuspage pages (`/api/v2/summary.json`): the page's status and each component's, with the
/// value mapping of statuspage-prometheus-exporter (``StatuspageAssessment``).
///
/// | metric | tags | value |
/// | --- | --- | --- |
/// | `statuspage.status` | `service` | 1 when the effective indicator is `none` (operational), else 0 |
/// | `statuspage.component_status` | `service`, `component` | 1 when the component is `operational`, else 0 |
///
/// `service` is the configured page name, `component` the component's name (groups included),
/// both with characters OpenTSDB refuses replaced by `_` (``TagValue``).
///
/// The timestamp is the page's `page.updated_at` (Statuspage moves it whenever the page
/// changes), else the latest component `updated_at`, else the run's end rounded down to the
/// minute. So a page gets a new point when it changes, and a rerun over an unchanged page maps
/// to the points already delivered; dashboards should carry the last value forward.
///
/// One chunk per page. A page that cannot be fetched is skipped and the source fails at the end.
public struct StatuspageSource: PushSource {
    public static let statusMetric = "statuspage.status"
    public static let componentMetric = "statuspage.component_status"

    public let name: String
    public let client: StatuspageClient
    public let services: [StatuspageService]
    public let precision: TimestampPrecision

    public init(
        name: String = "statuspage",
        client: StatuspageClient,
        services: [StatuspageService],
        precision: TimestampPrecision = .seconds
    ) {
        self.name = name
        self.client = client
        self.services = services
        self.precision = precision
    }

    struct PageFailures: Error, CustomStringConvertible {
        var failed: [String]
        var first: String
        var description: String { "\(failed.count) page(s) failed (\(failed.joined(separator: ", "))), first: \(first)" }
    }

    public func collect(
        window: PushWindow,
        logger: Logger,
        emit: ([DataPoint]) async throws -> Void
    ) async throws {
        var failures: PageFailures?
        for service in services {
            try Task.checkCancellation()
            let probe = await client.probe(service)
            switch probe.result {
            case .success(let summary):
                try await emit(Self.points(summary, service: service, window: window, precision: precision))
            case .failure(let failure):
                let line = "\(service.key): \(failure)".split(whereSeparator: \.isNewline).joined(separator: " ")
                logger.warning("Statuspage page failed", metadata: ["source": "\(name)", "why": "\(line)"])
                if failures == nil { failures = PageFailures(failed: [], first: line) }
                failures?.failed.append(service.key)
            }
        }
        if let failures { throw failures }
    }

    /// The points of one page.
    static func points(
        _ summary: StatuspageSummary,
        service: StatuspageService,
        window: PushWindow,
        precision: TimestampPrecision
    ) -> [DataPoint] {
        let assessment = StatuspageAssessment(summary: summary, pageBaseURL: service.pageBaseURL)
        let at =
            summary.page?.updatedAt.flatMap(CivilTime.milliseconds(iso8601:))
            ?? summary.components.compactMap { $0.updatedAt.flatMap(CivilTime.milliseconds(iso8601:)) }.max()
            ?? (window.end - window.end % 60_000)
        let timestamp = precision.timestamp(fromMilliseconds: at)
        let serviceTag = TagValue.sanitized(service.key)
        var points = [
            DataPoint(
                metric: statusMetric,
                timestamp: timestamp,
                precision: precision,
                value: assessment.isOperational ? 1 : 0,
                tags: ["service": serviceTag]
            )
        ]
        for component in assessment.components {
            points.append(
                DataPoint(
                    metric: componentMetric,
                    timestamp: timestamp,
                    precision: precision,
                    value: component.isOperational ? 1 : 0,
                    tags: ["service": serviceTag, "component": TagValue.sanitized(component.name)]
                )
            )
        }
        return points
    }
}
