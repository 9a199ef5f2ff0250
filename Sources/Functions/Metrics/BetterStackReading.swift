import BetterStack
import TTLCache

/// What a scrape knows of Better Stack: the lists, and per monitor the latest response time per
/// region and the availability over the window. Whatever could not be read is missing (no
/// series), and ``succeeded`` says whether every read came from Better Stack in time.
struct BetterStackReading: Sendable {
    var monitors: [Monitor]?
    var heartbeats: [Heartbeat]?
    var openIncidents: [Incident]?
    /// Better Stack's own status pages, and the resources each shows (by status page id).
    var statusPages: [StatusPage]?
    var statusPageResources: [String: [StatusPageResource]] = [:]
    /// By monitor id.
    var latestResponseTimes: [String: LatestResponseTimes] = [:]
    /// By monitor id, 0…1.
    var availability: [String: Double] = [:]
    /// By heartbeat id, 0…1, over the same window.
    var heartbeatAvailability: [String: Double] = [:]
    /// No list was served stale or missing, and no load failed.
    var succeeded = true
    /// Age of the oldest list served (monitors, heartbeats, open incidents).
    var dataAge: Duration?

    /// Takes in one list read.
    mutating func note<Value>(_ read: Read<Value>) -> Value? {
        switch read {
        case .value(let cached):
            if case .stale = cached.freshness { succeeded = false }
            dataAge = max(dataAge ?? .zero, cached.age)
            return cached.value
        case .failed:
            succeeded = false
            return nil
        }
    }
}

/// A monitor's latest check per region: all `/metrics` keeps of its 24 h of response times.
struct LatestResponseTimes: Sendable, Codable {
    struct Region: Sendable, Codable {
        var region: String
        var seconds: Double
    }

    var regions: [Region]

    init(_ responseTimes: ResponseTimes) {
        regions = responseTimes.regions.compactMap { region in
            region.points.last.map { Region(region: region.region, seconds: $0.responseTime) }
        }
    }
}

/// One read through the cache.
enum Read<Value: Sendable>: Sendable {
    case value(Cached<Value>)
    /// Better Stack failed and nothing usable was cached.
    case failed

    /// Runs `load`, turning errors into ``failed``.
    static func attempt(_ load: () async throws -> Cached<Value>) async -> Read {
        do {
            return .value(try await load())
        } catch {
            return .failed
        }
    }
}

/// Reads Better Stack for `/metrics`, through the worker's cache.
///
/// The three lists (monitors, heartbeats, open incidents) are read like the other functions read
/// them. The per-monitor details (latest response times, availability) cost one upstream call per
/// monitor, so they are handled apart, to keep large accounts cheap and scrapes quick:
///
/// - a detail still inside its TTL is used as is;
/// - an expired one is used too (up to its stale-if-error limit) and refreshed by one background
///   sweep per worker, `concurrency` calls at a time — never a burst of one call per monitor, and
///   a scrape never waits for it;
/// - only a detail the worker has never had (or has had too long ago) is loaded while the scrape
///   waits, again `concurrency` at a time.
struct BetterStackScrape: Sendable {
    let data: UptimeData
    let windowDays: Int
    /// Latest response times: loaded at most once per TTL per monitor.
    let latestPolicy: CachePolicy
    /// The background sweep of expired details.
    let sweep: RefreshFlight<Void>
    /// Monitors loaded at once (each load is an upstream call).
    var concurrency = 8

    init(data: UptimeData, windowDays: Int, responseTimeTTL: Duration, sweep: RefreshFlight<Void>) {
        self.data = data
        self.windowDays = windowDays
        self.latestPolicy = CachePolicy(ttl: responseTimeTTL, staleIfError: data.ttls.responseTimes.staleIfError)
        self.sweep = sweep
    }

    /// The availability window: the last `windowDays` finished UTC days, so that one SLA call per
    /// monitor is cached as long as finished days are (until the window moves at midnight).
    var window: (from: UTCDay, to: UTCDay) {
        let today = UTCDay(epochMilliseconds: data.now())
        return (today.adding(days: -windowDays), today.adding(days: -1))
    }

    static func latestKey(_ monitorID: String) -> String { "response_times_latest:\(monitorID)" }

    /// Status pages whose resources one scrape reads (one upstream call each).
    static let maximumStatusPages = 20

    /// Everything, loading what is missing. Never throws: what fails is missing.
    func load() async -> BetterStackReading {
        let data = self.data
        async let monitorsRead = Read.attempt { try await data.monitors() }
        async let heartbeatsRead = Read.attempt { try await data.heartbeats() }
        async let incidentsRead = Read.attempt { try await data.openIncidents() }
        async let statusPagesRead = Read.attempt { try await data.statusPages() }
        var reading = BetterStackReading()
        reading.monitors = reading.note(await monitorsRead)
        reading.heartbeats = reading.note(await heartbeatsRead)
        reading.openIncidents = reading.note(await incidentsRead)
        reading.statusPages = reading.note(await statusPagesRead)
        if let pages = reading.statusPages, !pages.isEmpty {
            // One call per page (the free tier has one), cached as the lists are.
            let resources =
                (try? await concurrentMap(Array(pages.prefix(Self.maximumStatusPages))) { page in
                    (page.id, await Read.attempt { try await data.statusPageResources(statusPageID: page.id) })
                }) ?? []
            for (id, read) in resources {
                if let list = reading.note(read) { reading.statusPageResources[id] = list }
            }
        }
        if let heartbeats = reading.heartbeats, !heartbeats.isEmpty {
            // Heartbeats are few (ten on the free tier) and each window's value is cached like a
            // finished day's SLA, so they are read through the cache while the scrape waits.
            if await !loadHeartbeatAvailability(heartbeats.map(\.id), into: &reading) { reading.succeeded = false }
        }
        guard let monitors = reading.monitors else { return reading }

        let (expired, missing) = takeKnownDetails(monitors.map(\.id), into: &reading)
        if !expired.isEmpty {
            // Not awaited; one sweep at a time, so a slow Better Stack does not pile them up.
            _ = sweep.run { _ = await self.loadDetails(expired) }
        }
        if !missing.isEmpty {
            if await !loadDetails(missing) { reading.succeeded = false }
            _ = takeKnownDetails(missing, into: &reading)
        }
        return reading
    }

    /// The last known values, whatever their age, without loading: what a scrape serves when
    /// Better Stack does not answer within the budget.
    func lastKnown() -> BetterStackReading {
        var reading = BetterStackReading()
        reading.monitors = reading.note(data.lastKnownMonitors().map(Read.value) ?? .failed)
        reading.heartbeats = reading.note(data.lastKnownHeartbeats().map(Read.value) ?? .failed)
        reading.openIncidents = reading.note(data.lastKnownOpenIncidents().map(Read.value) ?? .failed)
        if data.allowlist.isEmpty {
            reading.statusPages = data.lastKnown(UptimeData.Key.statusPages, as: [StatusPage].self)?.value
            for page in reading.statusPages ?? [] {
                let key = UptimeData.Key.statusPageResources(statusPageID: page.id)
                if let resources = data.lastKnown(key, as: [StatusPageResource].self) {
                    reading.statusPageResources[page.id] = resources.value
                }
            }
        } else {
            reading.statusPages = []
        }
        let window = self.window
        for monitor in reading.monitors ?? [] {
            if let (latest, _) = data.cache.peek(Self.latestKey(monitor.id), as: LatestResponseTimes.self) {
                reading.latestResponseTimes[monitor.id] = latest
            }
            let slaKey = UptimeData.Key.sla(monitorID: monitor.id, from: window.from, to: window.to)
            if let (sla, _) = data.cache.peek(slaKey, as: MonitorSLA.self), let ratio = Self.ratio(sla) {
                reading.availability[monitor.id] = ratio
            }
        }
        for heartbeat in reading.heartbeats ?? [] {
            let key = UptimeData.Key.heartbeatAvailability(heartbeatID: heartbeat.id, from: window.from, to: window.to)
            if let (availability, _) = data.cache.peek(key, as: HeartbeatAvailability.self),
                let ratio = Self.ratio(availability.availability)
            {
                reading.heartbeatAvailability[heartbeat.id] = ratio
            }
        }
        reading.succeeded = false
        return reading
    }

    /// Each heartbeat's availability over the window, through the cache, `concurrency` at a time;
    /// false if Better Stack failed for any of them.
    private func loadHeartbeatAvailability(_ ids: [String], into reading: inout BetterStackReading) async -> Bool {
        let data = self.data
        let window = self.window
        // The body never throws, so neither does the map.
        let loaded =
            (try? await concurrentMap(ids, limit: concurrency) { id -> (String, Double?, Bool) in
                do {
                    let loaded = try await data.heartbeatAvailability(heartbeatID: id, from: window.from, to: window.to)
                    if case .stale = loaded.freshness { return (id, Self.ratio(loaded.value.availability), false) }
                    return (id, Self.ratio(loaded.value.availability), true)
                } catch {
                    return (id, nil, !Self.isUpstreamFailure(error))
                }
            }) ?? []
        for (id, ratio, _) in loaded {
            if let ratio { reading.heartbeatAvailability[id] = ratio }
        }
        return loaded.allSatisfy { $0.2 }
    }

    // MARK: - Details

    /// Copies the cached details of the monitors `ids` into `reading`; returns those whose details
    /// are expired (used, to be refreshed) and those with none usable (to be loaded now).
    private func takeKnownDetails(_ ids: [String], into reading: inout BetterStackReading) -> (
        expired: [String], missing: [String]
    ) {
        let window = self.window
        let slaPolicy = data.ttls.slaFinished
        var expired: [String] = []
        var missing: [String] = []
        for id in ids {
            var state = DetailState.fresh
            if let (latest, age) = data.cache.peek(Self.latestKey(id), as: LatestResponseTimes.self),
                age < latestPolicy.ttl + latestPolicy.staleIfError
            {
                reading.latestResponseTimes[id] = latest
                if age >= latestPolicy.ttl { state = .expired }
            } else {
                state = .missing
            }
            let slaKey = UptimeData.Key.sla(monitorID: id, from: window.from, to: window.to)
            if let (sla, age) = data.cache.peek(slaKey, as: MonitorSLA.self),
                age < slaPolicy.ttl + slaPolicy.staleIfError
            {
                if let ratio = Self.ratio(sla) { reading.availability[id] = ratio }
                if age >= slaPolicy.ttl, state == .fresh { state = .expired }
            } else {
                state = .missing
            }
            switch state {
            case .fresh: break
            case .expired: expired.append(id)
            case .missing: missing.append(id)
            }
        }
        return (expired, missing)
    }

    private enum DetailState { case fresh, expired, missing }

    /// Loads the details of `ids` through the cache, `concurrency` monitors at a time; false if
    /// Better Stack failed for any of them.
    private func loadDetails(_ ids: [String]) async -> Bool {
        let width = min(concurrency, ids.count)
        return await withTaskGroup(of: Bool.self) { group in
            // Strided slices: `width` tasks whatever the number of monitors.
            for worker in 0..<width {
                group.addTask {
                    var succeeded = true
                    var index = worker
                    while index < ids.count {
                        if await !loadLatest(ids[index]) { succeeded = false }
                        if await !loadSLA(ids[index]) { succeeded = false }
                        index += width
                    }
                    return succeeded
                }
            }
            var succeeded = true
            for await part in group where !part { succeeded = false }
            return succeeded
        }
    }

    private func loadLatest(_ id: String) async -> Bool {
        let data = self.data
        do {
            let latest = try await data.cache.fetch(
                Self.latestKey(id),
                policy: latestPolicy,
                cost: { 96 + $0.regions.count * 48 }
            ) {
                // A dashboard may have just loaded the whole series: no second call for it.
                if let series = data.lastKnown(UptimeData.Key.responseTimes(monitorID: id), as: ResponseTimesEntry.self),
                    series.age < data.ttls.responseTimes.ttl
                {
                    return LatestResponseTimes(series.value.model)
                }
                return LatestResponseTimes(try await data.client.responseTimes(monitorID: id))
            }
            if case .stale = latest.freshness { return false }
            return true
        } catch {
            return !Self.isUpstreamFailure(error)
        }
    }

    private func loadSLA(_ id: String) async -> Bool {
        let window = self.window
        do {
            let sla = try await data.sla(monitorID: id, from: window.from, to: window.to)
            if case .stale = sla.freshness { return false }
            return true
        } catch {
            return !Self.isUpstreamFailure(error)
        }
    }

    static func ratio(_ sla: MonitorSLA) -> Double? {
        ratio(sla.availability)
    }

    /// A percentage as a ratio, clamped to 0…1.
    static func ratio(_ percent: Double?) -> Double? {
        percent.map { min(1, max(0, $0 / 100)) }
    }

    /// Better Stack refusing a request (a range before the monitor existed, a monitor deleted since
    /// the list was read) is an answer, not a failing upstream.
    static func isUpstreamFailure(_ error: any Error) -> Bool {
        guard let error = error as? BetterStackError else { return true }
        switch error {
        case .badRequest, .notFound, .validationFailed: return false
        default: return true
        }
    }
}
