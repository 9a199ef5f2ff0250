/// The rolling uptime history behind `statuspage_uptime_percentage`: one sample per monitoring
/// run and service (operational or not), and the share of operational samples over the last
/// 24 hours, 7 days and 30 days.
///
/// The exporter keeps this history in `cache/<service key>_uptime.jsonl`; here it lives in the
/// process, and a one-shot process (CGI) hands it to the next through the file cache
/// (``StatuspageExporter/Memory``), saved in 10-minute buckets (counts exact, times rounded down).
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
public struct StatuspageUptimeTracker: Sendable, Codable {
    /// One run's sample, or (after a restore) several runs' within one bucket.
    private struct Sample: Sendable {
        var milliseconds: Int64
        var total: Int
        var operational: Int
    }

    private var samples: [String: [Sample]] = [:]

    public init() {}

    /// Records one run's status for the service keyed `serviceKey`, at `milliseconds` since the
    /// epoch, and forgets samples older than the longest window.
    public mutating func record(serviceKey: String, operational: Bool, atMilliseconds milliseconds: Int64) {
        let cutoff = milliseconds - StatuspageUptimeWindow.longest.milliseconds
        var history = samples[serviceKey, default: []]
        if let keepFrom = history.firstIndex(where: { $0.milliseconds >= cutoff }) {
            history.removeFirst(keepFrom)
        } else {
            history.removeAll(keepingCapacity: true)
        }
        history.append(Sample(milliseconds: milliseconds, total: 1, operational: operational ? 1 : 0))
        samples[serviceKey] = history
    }

    // MARK: Codable: compact, for a one-shot process's successor

    /// Saved, samples are summed into buckets of this length (counts kept exactly, times rounded
    /// down to the bucket): a month of per-scrape samples of a page is at most 4,320 triples, so
    /// a CGI run reads a few kilobytes per page rather than one entry per scrape ever made.
    static let bucketMilliseconds: Int64 = 600_000

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let stored = try container.decode([String: [[Int64]]].self)
        for (key, triples) in stored {
            samples[key] = triples.compactMap { triple in
                guard triple.count == 3, triple[1] > 0, triple[2] >= 0, triple[2] <= triple[1] else { return nil }
                return Sample(milliseconds: triple[0], total: Int(triple[1]), operational: Int(triple[2]))
            }.sorted { $0.milliseconds < $1.milliseconds }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var stored: [String: [[Int64]]] = [:]
        for (key, history) in samples {
            var triples: [[Int64]] = []
            for sample in history {
                let bucket = sample.milliseconds - ((sample.milliseconds % Self.bucketMilliseconds) + Self.bucketMilliseconds) % Self.bucketMilliseconds
                if let last = triples.last, last[0] == bucket {
                    triples[triples.count - 1][1] += Int64(sample.total)
                    triples[triples.count - 1][2] += Int64(sample.operational)
                } else {
                    triples.append([bucket, Int64(sample.total), Int64(sample.operational)])
                }
            }
            stored[key] = triples
        }
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }

    /// The percentage (0…100) of operational samples in `window` ending at `milliseconds`, or
    /// `nil` when the window has no sample.
    public func percentage(serviceKey: String, window: StatuspageUptimeWindow, atMilliseconds milliseconds: Int64) -> Double? {
        let cutoff = milliseconds - window.milliseconds
        var total = 0
        var operational = 0
        for sample in samples[serviceKey, default: []] where sample.milliseconds >= cutoff {
            total += sample.total
            operational += sample.operational
        }
        guard total > 0 else { return nil }
        // Same operation order as the exporter's `(operational / len) * 100`, so the same double.
        return Double(operational) / Double(total) * 100
    }

    /// How many samples are kept for a service (for tests and diagnostics).
    public func sampleCount(serviceKey: String) -> Int {
        samples[serviceKey]?.reduce(0) { $0 + $1.total } ?? 0
    }
}
