/// The rolling uptime history behind `statuspage_uptime_percentage`: one sample per monitoring
/// run and service (operational or not), and the share of operational samples over the last
/// 24 hours, 7 days and 30 days.
///
/// The exporter keeps this history in `cache/<service key>_uptime.jsonl`; here it lives in the
/// process, so it starts empty with each process (a CGI invocation sees only its own run, which
/// is what the exporter's `RUN_MODE=once` without a persisted cache directory reports too).
/// The rules are the exporter's:
///
/// - A sample is recorded only when the run knows the service's status (a live answer, or the
///   last good answer standing in for a failed probe). A failed probe with nothing to fall back
///   on records nothing, rather than counting as downtime.
/// - A window holds the samples with `time >= now - window`; a window without samples has no
///   percentage (the series is then absent, not 0 or 100).
/// - Samples older than the longest window are dropped when a new one is recorded.
///
/// A value type without a clock of its own: the caller passes the time of each run (see
/// ``StatuspageExporter``, whose clock is injectable), which keeps tests exact.
public struct UptimeTracker: Sendable {
    private struct Sample: Sendable {
        var milliseconds: Int64
        var operational: Bool
    }

    private var samples: [String: [Sample]] = [:]

    public init() {}

    /// Records one run's status for the service keyed `serviceKey`, at `milliseconds` since the
    /// epoch, and forgets samples older than the longest window.
    public mutating func record(serviceKey: String, operational: Bool, atMilliseconds milliseconds: Int64) {
        let cutoff = milliseconds - UptimeWindow.longest.milliseconds
        var history = samples[serviceKey, default: []]
        if let keepFrom = history.firstIndex(where: { $0.milliseconds >= cutoff }) {
            history.removeFirst(keepFrom)
        } else {
            history.removeAll(keepingCapacity: true)
        }
        history.append(Sample(milliseconds: milliseconds, operational: operational))
        samples[serviceKey] = history
    }

    /// The percentage (0…100) of operational samples in `window` ending at `milliseconds`, or
    /// `nil` when the window has no sample.
    public func percentage(serviceKey: String, window: UptimeWindow, atMilliseconds milliseconds: Int64) -> Double? {
        let cutoff = milliseconds - window.milliseconds
        var total = 0
        var operational = 0
        for sample in samples[serviceKey, default: []] where sample.milliseconds >= cutoff {
            total += 1
            if sample.operational { operational += 1 }
        }
        guard total > 0 else { return nil }
        // Same operation order as the exporter's `(operational / len) * 100`, so the same double.
        return Double(operational) / Double(total) * 100
    }

    /// How many samples are kept for a service (for tests and diagnostics).
    public func sampleCount(serviceKey: String) -> Int {
        samples[serviceKey]?.count ?? 0
    }
}
