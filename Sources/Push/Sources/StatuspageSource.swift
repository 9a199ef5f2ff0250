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
/// The points are a sample of the page's state at the run, stamped with the run's time rounded
/// down to the schedule's period (`push.period_seconds`, 15 minutes as the shipped timer runs):
/// every page gets a point every period whether or not it changed (a page quiet for a month,
/// most of them most of the time, is still there, in an outage too), and a rerun within the same
/// period maps to the points already delivered. Statuspage holds no history to catch up on
/// (``PushHistory/presentOnly``): missed runs leave missed samples, nothing else.
///
/// One chunk per page. A page that cannot be fetched is skipped and the source fails at the end.
public struct StatuspageSource: PushSource {
    public static let statusMetric = "statuspage.status"
    public static let componentMetric = "statuspage.component_status"

    public let name: String
    public let client: StatuspageClient
    public let services: [StatuspageService]
    public let precision: TimestampPrecision
    /// The sampling period: the run's time rounded down to it stamps the points.
    public let period: Duration
    public var history: PushHistory { .presentOnly }

    /// The default ``period``: 15 minutes, as `deploy/systemd/uptime-bridge-push.timer` runs.
    public static let defaultPeriod: Duration = .seconds(900)

    public init(
        name: String = "statuspage",
        client: StatuspageClient,
        services: [StatuspageService],
        precision: TimestampPrecision = .seconds,
        period: Duration = StatuspageSource.defaultPeriod
    ) {
        self.name = name
        self.client = client
        self.services = services
        self.precision = precision
        self.period = period
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
                try await emit(
                    Self.points(summary, service: service, at: Self.sampleTime(window.end, period: period), precision: precision)
                )
            case .failure(let failure):
                let line = "\(service.key): \(failure)".split(whereSeparator: \.isNewline).joined(separator: " ")
                logger.warning("Statuspage page failed", metadata: ["source": "\(name)", "why": "\(line)"])
                if failures == nil { failures = PageFailures(failed: [], first: line) }
                failures?.failed.append(service.key)
            }
        }
        if let failures { throw failures }
    }

    /// The run's time rounded down to the period (at least a second).
    static func sampleTime(_ runTime: Int64, period: Duration) -> Int64 {
        let step = max(1000, period.milliseconds)
        let rounded = runTime - runTime % step
        return runTime < 0 && runTime % step != 0 ? rounded - step : rounded
    }

    /// The points of one page, sampled at `at` (milliseconds).
    static func points(
        _ summary: StatuspageSummary,
        service: StatuspageService,
        at: Int64,
        precision: TimestampPrecision
    ) -> [DataPoint] {
        let assessment = StatuspageAssessment(summary: summary, pageBaseURL: service.pageBaseURL)
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
