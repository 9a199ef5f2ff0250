import Statuspage
import TTLCache

/// The configured status pages, as the exporter sees them: one round of probes per TTL at most,
/// recorded in this worker's ``StatuspageExporter`` when it arrives.
///
/// The exporter keeps its memory between runs (last good answer per page, the uptime history),
/// and its uptime percentage counts runs. So a run is a round of fresh probes, never a scrape: the
/// round is loaded through a TTL cache (single flight, so concurrent scrapes share one round) and
/// recorded inside that load, once.
public final class StatuspageData: Sendable {
    /// The pages, in `services.json` order.
    public let services: [StatuspageService]
    /// This worker's exporter state; rendered by every scrape.
    public let exporter: StatuspageExporter
    let client: StatuspageClient
    let cache: MemoryCache
    let policy: CachePolicy
    /// Pages probed at once within a round.
    let concurrency: Int
    /// How long a round may take: a page still unanswered then (refusing slowly, stalling) is
    /// recorded as failed for this round, and every page that answered is recorded as it is. So one
    /// dead page never blanks the others, and a round fits the scrape budget (nil: no bound but
    /// the client's own timeouts).
    let roundDeadline: Duration?
    /// Where the exporter's memory survives the process (CGI: the file cache), if anywhere.
    let memory: StatuspageMemoryStore?
    /// A round in which some page failed is reused only this long (at most the TTL): a page that
    /// missed one round's deadline is asked again soon, not after a whole TTL.
    let incompleteRoundTTL: Duration

    static let roundKey = "statuspage:round"

    /// - Parameters:
    ///   - services: the pages (``MetricsSettings/statuspageServices``).
    ///   - client: probes them (its observer counts the upstream requests).
    ///   - ttl: how long a round is reused (``MetricsSettings/statuspageTTL``).
    ///   - cache: where the round lives (its own cache: rounds are per process, like the exporter's memory).
    ///   - exporter: the exporter state (a clock can be injected there).
    public init(
        services: [StatuspageService],
        client: StatuspageClient,
        ttl: Duration = .seconds(60),
        cache: MemoryCache = MemoryCache(maxBytes: 1 << 20, maxEntries: 8),
        exporter: StatuspageExporter = StatuspageExporter(),
        concurrency: Int = 8,
        roundDeadline: Duration? = nil,
        memory: StatuspageMemoryStore? = nil
    ) {
        self.services = services
        self.client = client
        self.policy = CachePolicy(ttl: ttl)
        self.cache = cache
        self.exporter = exporter
        self.concurrency = max(1, concurrency)
        self.roundDeadline = roundDeadline
        self.memory = memory
        self.incompleteRoundTTL = min(ttl, .seconds(30))
    }

    /// The current round: reused within the TTL, else every page probed now and the round
    /// recorded in the exporter.
    public func round() async -> Cached<StatuspageRound> {
        if let (previous, age) = cache.peek(Self.roundKey, as: StatuspageRound.self), !previous.allAnswered,
            age >= incompleteRoundTTL
        {
            cache.remove(Self.roundKey)
        }
        let loaded = try? await cache.fetchAny(Self.roundKey, policy: policy, cost: { _ in 1024 }) {
            await self.probeAndRecord()
        }
        // The load never throws; a type clash on the key is the only way here.
        return loaded ?? Cached(value: StatuspageRound(outcomes: []), freshness: .miss, age: .zero)
    }

    /// The last round, whatever its age, without probing.
    public func lastRound() -> Cached<StatuspageRound>? {
        guard let (round, age) = cache.peek(Self.roundKey, as: StatuspageRound.self) else { return nil }
        return Cached(value: round, freshness: .stale(loadError: "not probed within the time allowed"), age: age)
    }

    private func probeAndRecord() async -> StatuspageRound {
        var probes = [StatuspageProbe?](repeating: nil, count: services.count)
        // Each page's probe is a child task; at the round's deadline the ones still running are
        // cancelled (their HTTP requests with them) and count as failed this round.
        await withTaskGroup(of: (Int, StatuspageProbe)?.self) { group in
            var next = 0
            func addNext() {
                guard next < services.count else { return }
                let index = next
                let service = services[index]
                next += 1
                group.addTask { (index, await self.client.probe(service)) }
            }
            if let roundDeadline {
                group.addTask {
                    try? await Task.sleep(for: roundDeadline)
                    return nil
                }
            }
            for _ in 0..<concurrency { addNext() }
            var expired = false
            var answered = 0
            while let finished = await group.next() {
                guard let (index, probe) = finished else {
                    // The deadline: whatever still runs is abandoned, nothing more is started.
                    expired = true
                    next = services.count
                    group.cancelAll()
                    continue
                }
                guard !expired else { continue }
                probes[index] = probe
                answered += 1
                addNext()
                if answered == services.count { group.cancelAll() }  // stops the deadline's sleep
            }
        }
        let unanswered = roundDeadline.map { "no answer within the round's \($0) (scrape budget)" } ?? "not probed"
        let observations = zip(services, probes).map { service, probe in
            StatuspageObservation(
                service: service,
                probe: probe ?? .failure(StatuspageProbeFailure(.transport(.timeout), detail: unanswered))
            )
        }
        if let memory, let previous = memory.load() { exporter.restore(previous) }
        let outcomes = exporter.record(observations)
        memory?.save(exporter.memory)
        return StatuspageRound(outcomes: outcomes)
    }
}

/// What one round of probes made of each page.
public struct StatuspageRound: Sendable {
    public var outcomes: [StatuspageServiceOutcome]

    /// Whether every page answered (no probe failed, even if an earlier answer stood in).
    public var allAnswered: Bool {
        outcomes.allSatisfy { $0.source == .live }
    }
}

/// Keeps the Statuspage exporter's memory (``StatuspageExporter/Memory``) between processes, in the
/// CGI file cache directory, under a key naming the configured pages (two configurations sharing
/// one directory keep theirs apart). Concurrent CGI runs: the last to finish wins.
public struct StatuspageMemoryStore: Sendable {
    let cache: FileCache
    let key: String

    public init(cache: FileCache, services: [StatuspageService]) {
        self.cache = cache
        self.key = "statuspage-memory:" + CacheDigest.sha256Hex(services.map { "\($0.key)\u{1}\($0.summaryURL)" }.joined(separator: "\u{2}"))
    }

    func load() -> StatuspageExporter.Memory? {
        cache.peek(key, as: StatuspageExporter.Memory.self)?.value
    }

    func save(_ memory: StatuspageExporter.Memory) {
        cache.store(key, value: memory)
    }
}
