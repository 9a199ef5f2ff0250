#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import PrometheusExposition
import Synchronization

/// The `statuspage_*` families of statuspage-prometheus-exporter 2.6.0, computed from probe
/// results run by run, with the exporter's memory between runs kept in this object.
///
/// ```swift
/// let exporter = StatuspageExporter()
/// exporter.record(observations)          // one monitoring run: every service's probe
/// var writer = PrometheusTextWriter()
/// exporter.write(into: &writer)          // the nine families, HELP and TYPE included
/// ```
///
/// A fresh exporter after one ``record(_:)`` renders what the exporter renders after its first
/// run (`RUN_MODE=once`, or the daemon's initial run): that is what the fixtures compare. Later
/// runs reproduce the daemon:
///
/// - **Failed probe.** With an earlier good answer for the service (this process's stand-in for
///   the exporter's `cache/<key>.json`), that answer is used: status, incidents, maintenances
///   and components as then, `statuspage_probe_check` **1**, `statuspage_response_time_seconds`
///   0, timestamps and uptime updated as for a live answer. Without one, the service gets only
///   `statuspage_probe_check` 0 and `statuspage_response_time_seconds` 0; its other series keep
///   whatever earlier runs set (none, in a fresh process).
/// - **Sticky series.** `service_status`, `incident_info`, `maintenance_info` and
///   `component_status` are not cleared between runs. An incident or maintenance that ended
///   (was in the last good answer, is not now) is set to 0 with its old labels; a component
///   that disappeared is set to 0; the "No Active Incidents" / "No Active Maintenance"
///   placeholder, once set, stays at 0 while incidents are active. The other five families are
///   cleared and rebuilt every run.
/// - **Stable labels.** An incident or maintenance keeps the labels it had when first seen
///   (name, impact, shortlink, times, affected components), so a renamed incident keeps one
///   series.
/// - **Uptime.** One sample per run whose status is known; see ``StatuspageUptimeTracker``.
///
/// One deliberate difference: the exporter keeps sticky series until it restarts; here a series
/// that no run has set for ``staleSeriesRetention`` (default 24 h) is dropped, so a process that
/// lives for months does not collect every incident ever seen. `nil` keeps them forever.
///
/// A "run" is a round of real probes. Behind a TTL cache, call ``record(_:)`` when fresh probe
/// results arrive, not on every scrape, or the uptime history counts scrapes instead of checks.
/// Thread-safe; runs and renders are serialized by a lock.
public final class StatuspageExporter: Sendable {
    /// The wall clock: timestamps in the output and uptime windows come from it.
    public typealias Clock = @Sendable () -> Date

    /// How long a sticky series survives without being set; `nil` means until the process ends.
    public let staleSeriesRetention: Duration?

    private let now: Clock
    private let state: Mutex<State>

    private struct State: Sendable {
        var runs = 0
        var families = StatuspageMetricFamily.allCases.map(GaugeFamilyState.init)
        /// The last good answer per service key (the exporter's cache files).
        var lastGood: [String: StatuspageAssessment] = [:]
        var uptime = StatuspageUptimeTracker()

        subscript(family: StatuspageMetricFamily) -> GaugeFamilyState {
            get { families[family.rawValue] }
            set { families[family.rawValue] = newValue }
        }
    }

    /// What `statuspage_service_status` says (the published 2.6.0's two values by default).
    public let statusValues: StatuspageStatusValues

    /// An exporter with no history.
    public init(
        staleSeriesRetention: Duration? = .seconds(86_400),
        statusValues: StatuspageStatusValues = .exporter,
        now: @escaping Clock = { Date() }
    ) {
        self.staleSeriesRetention = staleSeriesRetention
        self.statusValues = statusValues
        self.now = now
        var initial = State()
        initial[.serviceStatus].help = statusValues.help
        self.state = Mutex(initial)
    }

    /// Renders a single run of a fresh exporter: the exporter's `RUN_MODE=once` output for
    /// these observations.
    public static func renderOnce(
        _ observations: [StatuspageObservation],
        statusValues: StatuspageStatusValues = .exporter,
        now: @escaping Clock = { Date() }
    ) -> [UInt8] {
        let exporter = StatuspageExporter(statusValues: statusValues, now: now)
        exporter.record(observations)
        var writer = PrometheusTextWriter(reservingCapacity: 4096)
        exporter.write(into: &writer)
        return writer.bytes
    }

    /// Applies one monitoring run: every configured service's probe result, in the order the
    /// series should appear. Returns what became of each service.
    @discardableResult
    public func record(_ observations: [StatuspageObservation]) -> [StatuspageServiceOutcome] {
        let date = now()
        // `int(time.time() * 1000)` in the exporter: truncated milliseconds.
        let nowMilliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.towardZero))
        return state.withLock { state in
            let previous = state.lastGood
            var outcomes: [StatuspageServiceOutcome] = []
            var results: [(StatuspageObservation, StatuspageAssessment?, responseTime: Double)] = []
            for observation in observations {
                let service = observation.service
                switch observation.probe.result {
                case .success(let summary):
                    let assessment = StatuspageAssessment(summary: summary, pageBaseURL: service.pageBaseURL)
                        .keepingLabels(of: previous[service.key])
                    state.lastGood[service.key] = assessment
                    results.append((observation, assessment, observation.probe.responseTimeSeconds))
                    outcomes.append(.init(service: service, source: .live, assessment: assessment, failure: nil))
                case .failure(let failure):
                    let fallback = previous[service.key]
                    results.append((observation, fallback, 0))
                    outcomes.append(
                        .init(
                            service: service,
                            source: fallback == nil ? .unavailable : .lastGoodAnswer,
                            assessment: fallback,
                            failure: failure
                        )
                    )
                }
            }

            for family in StatuspageMetricFamily.allCases where state.runs == 0 || !family.keepsSeriesAcrossRuns {
                state[family].clear()
            }
            for (observation, assessment, responseTime) in results {
                Self.update(
                    &state,
                    statusValues: statusValues,
                    service: observation.service,
                    assessment: assessment,
                    previous: previous[observation.service.key],
                    responseTime: responseTime,
                    at: nowMilliseconds
                )
            }
            if let staleSeriesRetention {
                let cutoff = nowMilliseconds - Self.milliseconds(staleSeriesRetention)
                for family in StatuspageMetricFamily.allCases where family.keepsSeriesAcrossRuns {
                    state[family].removeSeries(notSetSince: cutoff)
                }
            }
            state.runs += 1
            return outcomes
        }
    }

    /// What the exporter keeps in its cache directory between runs (`RUN_MODE=once`): the last good
    /// answer of each page and the uptime history. A one-shot process (CGI) saves it after its run
    /// and the next one restores it before its own, so a page failing in the second keeps its last
    /// good values (`statuspage_probe_check` 1) and uptime spans runs.
    public struct Memory: Codable, Sendable {
        public var lastGood: [String: StatuspageAssessment]
        public var uptime: StatuspageUptimeTracker
    }

    /// The memory to hand to the next process.
    public var memory: Memory {
        state.withLock { Memory(lastGood: $0.lastGood, uptime: $0.uptime) }
    }

    /// Takes over a previous process's memory; only before this exporter's first run (later it has
    /// its own, which is newer). Returns whether it was taken.
    @discardableResult
    public func restore(_ memory: Memory) -> Bool {
        state.withLock { state in
            guard state.runs == 0 else { return false }
            state.lastGood = memory.lastGood
            state.uptime = memory.uptime
            return true
        }
    }

    /// Writes the nine families in the exporter's order, each with HELP and TYPE even when it
    /// has no series (as `prometheus_client` does).
    public func write(into writer: inout PrometheusTextWriter) {
        state.withLock { state in
            for family in state.families { family.write(into: &writer) }
        }
    }

    /// The exporter's `_update_gauges_for_service`.
    private static func update(
        _ state: inout State,
        statusValues: StatuspageStatusValues,
        service: StatuspageService,
        assessment: StatuspageAssessment?,
        previous: StatuspageAssessment?,
        responseTime: Double,
        at now: Int64
    ) {
        let name = service.name
        state[.probeCheck].set([name], assessment == nil ? 0 : 1, atMilliseconds: now)
        state[.responseTimeSeconds].set([name], responseTime, atMilliseconds: now)
        guard let assessment else { return }

        state[.serviceStatus].set([name], statusValues.value(assessment), atMilliseconds: now)
        state[.applicationTimestamp].set([name], Double(now), atMilliseconds: now)
        state.uptime.record(serviceKey: service.key, operational: assessment.isOperational, atMilliseconds: now)
        for window in StatuspageUptimeWindow.allCases {
            if let percentage = state.uptime.percentage(serviceKey: service.key, window: window, atMilliseconds: now) {
                state[.uptimePercentage].set([name, window.rawValue], percentage, atMilliseconds: now)
            }
        }

        // An info family: what ended drops to 0, a placeholder stands at 0 while nothing is
        // active, and each active one is 1.
        func setInfo<Item>(
            _ family: StatuspageMetricFamily, current: [Item], previous: [Item], id: (Item) -> String, labels: (Item) -> [String], none: [String]
        ) {
            let currentIDs = Set(current.map(id))
            for ended in previous where !currentIDs.contains(id(ended)) {
                state[family].set(labels(ended), 0, atMilliseconds: now)
            }
            if current.isEmpty { state[family].set(none, 0, atMilliseconds: now) }
            for item in current { state[family].set(labels(item), 1, atMilliseconds: now) }
        }
        setInfo(
            .incidentInfo, current: assessment.incidents, previous: previous?.incidents ?? [], id: \.id,
            labels: { incidentLabels(name, $0) },
            none: [name, "none", "No Active Incidents", "none", "N/A", "N/A", "N/A"]
        )
        setInfo(
            .maintenanceInfo, current: assessment.maintenances, previous: previous?.maintenances ?? [], id: \.id,
            labels: { maintenanceLabels(name, $0) },
            none: [name, "none", "No Active Maintenance", "N/A", "N/A", "N/A", "N/A"]
        )

        let currentComponents = Set(assessment.components.map(\.name))
        for removed in previous?.components ?? [] where !currentComponents.contains(removed.name) {
            state[.componentStatus].set([name, removed.name], 0, atMilliseconds: now)
        }
        for component in assessment.components {
            state[.componentStatus].set([name, component.name], component.isOperational ? 1 : 0, atMilliseconds: now)
            state[.componentTimestamp].set([name, component.name], Double(now), atMilliseconds: now)
        }
    }

    /// In ``StatuspageMetricFamily/incidentInfo``'s declared label order.
    private static func incidentLabels(_ service: String, _ incident: StatuspageAssessment.Incident) -> [String] {
        [
            service,
            incident.id,
            ExporterText.name(incident.name),
            incident.impact,
            incident.shortlink,
            ExporterText.withoutMilliseconds(incident.startedAt),
            ExporterText.affectedComponents(incident.affectedComponents),
        ]
    }

    /// In ``StatuspageMetricFamily/maintenanceInfo``'s declared label order.
    private static func maintenanceLabels(_ service: String, _ maintenance: StatuspageAssessment.Maintenance)
        -> [String]
    {
        [
            service,
            maintenance.id,
            ExporterText.name(maintenance.name),
            ExporterText.withoutMilliseconds(maintenance.scheduledStart),
            ExporterText.withoutMilliseconds(maintenance.scheduledEnd),
            maintenance.shortlink,
            ExporterText.affectedComponents(maintenance.affectedComponents),
        ]
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}
