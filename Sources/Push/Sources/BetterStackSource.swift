import BetterStack
import Logging
import OpenTSDB

/// Better Stack Uptime monitors: every check's response time per region and phase, and the
/// availability of finished UTC days.
///
/// | metric | tags | value | timestamp |
/// | --- | --- | --- | --- |
/// | `betterstack.response_time` | `monitor_id`, `region`, `phase` (`total`, `name_lookup`, `connection`, `tls_handshake`, `data_transfer`) | seconds | the check |
/// | `betterstack.availability` | `monitor_id` | percent, 0…100 | the day's start, 00:00 UTC |
///
/// Response times: the checks of `GET /api/v2/monitors/{id}/response-times` (upstream keeps the
/// last day) that fall in the run's window; a phase upstream leaves out gets no point.
/// Availability: one `GET …/sla?from=D&to=D` per monitor and finished day, for the
/// ``slaDays`` days before the window's end (yesterday first back), skipping days before the
/// monitor was created. A day is only asked for once it is over, so its value is final and a
/// rerun maps it to the same point.
///
/// Chunks: per monitor one with its response times, then one with its availability (distinct
/// series), so the time-order rule of ``PushSource`` holds. A monitor whose calls fail is
/// skipped; the source then fails at the end, naming the first failure.
public struct BetterStackSource: PushSource {
    public static let responseTimeMetric = "betterstack.response_time"
    public static let availabilityMetric = "betterstack.availability"

    public let name: String
    public let client: BetterStackClient
    /// Monitor ids to push; empty means every monitor the token sees.
    public let allowlist: Set<String>
    /// Finished days of availability each run offers (the checkpoint drops repeats).
    public let slaDays: Int
    public let precision: TimestampPrecision

    public init(
        name: String = "betterstack",
        client: BetterStackClient,
        allowlist: Set<String> = [],
        slaDays: Int = 2,
        precision: TimestampPrecision = .seconds
    ) {
        self.name = name
        self.client = client
        self.allowlist = allowlist
        self.slaDays = slaDays
        self.precision = precision
    }

    struct MonitorFailures: Error, CustomStringConvertible {
        var count: Int
        var first: String
        var description: String { "\(count) monitor call\(count == 1 ? "" : "s") failed, first: \(first)" }
    }

    /// Better Stack answers response times for the last 24 hours only; a longer gap in the runs
    /// loses what lies before that (reported).
    public var history: PushHistory { .last(.seconds(86_400)) }

    public func collect(
        window: PushWindow,
        logger: Logger,
        emit: ([DataPoint]) async throws -> Void
    ) async throws {
        let monitors = try await client.monitors()
            .filter { allowlist.isEmpty || allowlist.contains($0.id) }
            .sorted { $0.id < $1.id }
        var failures: MonitorFailures?
        func failed(_ what: String, _ error: any Error) throws {
            if error is CancellationError { throw error }
            let line = "\(what): \(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
            logger.warning("Better Stack call failed", metadata: ["source": "\(name)", "why": "\(line)"])
            if failures == nil { failures = MonitorFailures(count: 0, first: line) }
            failures?.count += 1
        }
        let today = window.end - window.end % CivilTime.dayMilliseconds
        for monitor in monitors {
            let tags = ["monitor_id": TagValue.sanitized(monitor.id)]
            do {
                let times = try await client.responseTimes(monitorID: monitor.id)
                try await emit(Self.responseTimePoints(times, monitorTags: tags, window: window, precision: precision))
            } catch {
                try failed("monitor \(monitor.id) response times", error)
            }
            guard slaDays > 0 else { continue }
            var points: [DataPoint] = []
            for back in stride(from: slaDays, through: 1, by: -1) {
                let dayStart = today - Int64(back) * CivilTime.dayMilliseconds
                if let created = monitor.createdAt, created - created % CivilTime.dayMilliseconds > dayStart { continue }
                let day = UTCDay(epochMilliseconds: dayStart)
                do {
                    let sla = try await client.sla(monitorID: monitor.id, from: day, to: day)
                    guard let availability = sla.availability, availability.isFinite else { continue }
                    points.append(
                        DataPoint(
                            metric: Self.availabilityMetric,
                            timestamp: precision.timestamp(fromMilliseconds: dayStart),
                            precision: precision,
                            value: availability,
                            tags: tags
                        )
                    )
                } catch {
                    try failed("monitor \(monitor.id) availability \(day)", error)
                }
            }
            if !points.isEmpty { try await emit(points) }
        }
        logger.debug("Better Stack monitors pushed", metadata: ["monitors": "\(monitors.count)"])
        if let failures { throw failures }
    }

    /// The response-time points of one monitor inside `window`.
    static func responseTimePoints(
        _ times: ResponseTimes,
        monitorTags: [String: String],
        window: PushWindow,
        precision: TimestampPrecision
    ) -> [DataPoint] {
        var points: [DataPoint] = []
        for region in times.regions {
            var tags = monitorTags
            tags["region"] = TagValue.sanitized(region.region)
            for point in region.points where point.at >= window.start && point.at <= window.end {
                let phases: [(String, Double?)] = [
                    ("total", point.responseTime), ("name_lookup", point.nameLookupTime),
                    ("connection", point.connectionTime), ("tls_handshake", point.tlsHandshakeTime),
                    ("data_transfer", point.dataTransferTime),
                ]
                for (phase, value) in phases {
                    guard let value, value.isFinite else { continue }
                    var phaseTags = tags
                    phaseTags["phase"] = phase
                    points.append(
                        DataPoint(
                            metric: responseTimeMetric,
                            timestamp: precision.timestamp(fromMilliseconds: point.at),
                            precision: precision,
                            value: value,
                            tags: phaseTags
                        )
                    )
                }
            }
        }
        return points
    }
}
