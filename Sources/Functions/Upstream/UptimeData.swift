import BetterStack
import Logging
import TTLCache

/// How long each kind of Better Stack data is cached, how long an expired copy is still answered at
/// once while one background refresh runs (stale-while-revalidate: a slow Better Stack never stalls a
/// dashboard), and how long a stale copy may stand in when Better Stack fails. Defaults follow how
/// fast the data changes upstream.
public struct CacheTTLs: Sendable {
    /// The monitor list (also used to find a monitor by URL, id or name).
    public var monitors = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(3600), staleWhileRevalidate: .seconds(240))
    /// Response times (Better Stack serves the last 24 h; checks run every 30 s or more).
    public var responseTimes = CachePolicy(
        ttl: .seconds(30),
        staleIfError: .seconds(3600),
        staleWhileRevalidate: .seconds(60)
    )
    /// SLA over a range that includes today.
    public var slaCurrent = CachePolicy(ttl: .seconds(120), staleIfError: .seconds(3600), staleWhileRevalidate: .seconds(300))
    /// SLA over finished days: those never change.
    public var slaFinished: CachePolicy = CachePolicy(ttl: .seconds(7 * 86_400), staleIfError: .seconds(7 * 86_400))
    /// Incidents.
    public var incidents = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(3600), staleWhileRevalidate: .seconds(120))
    /// Heartbeats.
    public var heartbeats = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(3600), staleWhileRevalidate: .seconds(120))

    public init() {}
}

/// Better Stack data as functions read it: through the per-worker cache, with single flight per key,
/// stale-if-error, and monitor lookups served from the cached monitor list.
public struct UptimeData: Sendable {
    public let client: BetterStackClient
    public let cache: any CacheStore
    public let ttls: CacheTTLs
    /// Monitors outside this list (ids, names or URLs) are never served; empty = all.
    public let allowlist: [String]
    /// Milliseconds since the epoch (injectable for tests).
    public let now: @Sendable () -> Int64

    public init(
        client: BetterStackClient,
        cache: any CacheStore,
        ttls: CacheTTLs = CacheTTLs(),
        allowlist: [String] = [],
        now: @escaping @Sendable () -> Int64 = { SystemCacheClock().now() }
    ) {
        self.client = client
        self.cache = cache
        self.ttls = ttls
        self.allowlist = allowlist
        self.now = now
    }

    /// The monitors this bridge serves: every function reads monitors through here, so the
    /// allowlist holds for lists, lookups, Grafana targets, metrics and annotations alike.
    public func monitors() async throws -> Cached<[Monitor]> {
        let list = try await cache.fetch(Key.monitors, policy: ttls.monitors, cost: { 64 + $0.count * 512 }) {
            try await client.monitors()
        }
        return allowed(list)
    }

    /// `list` without the monitors outside the allowlist.
    func allowed(_ list: Cached<[Monitor]>) -> Cached<[Monitor]> {
        guard !allowlist.isEmpty else { return list }
        let allowed = Set(allowlist)
        var list = list
        list.value = list.value.filter { monitor in
            allowed.contains(monitor.id) || monitor.url.map(allowed.contains) == true
                || monitor.pronounceableName.map(allowed.contains) == true
        }
        return list
    }

    /// Finds one monitor in the cached list by exact URL, id or pronounceable name.
    /// - Throws: ``MonitorNotFound`` (a 404 naming what was asked for) when no monitor matches.
    public func monitor(_ selector: MonitorSelector) async throws -> (Monitor, Cached<[Monitor]>) {
        let list = try await monitors()
        guard let monitor = list.value.first(where: { selector.matches($0) }) else {
            throw MonitorNotFound(selector: selector)
        }
        return (monitor, list)
    }

    public func responseTimes(monitorID: String) async throws -> Cached<ResponseTimes> {
        let entry = try await responseTimesEntry(monitorID: monitorID)
        return Cached(value: entry.value.model, freshness: entry.freshness, age: entry.age)
    }

    /// The cache entry behind ``responseTimes(monitorID:)``: the model and its encoded
    /// `/response_time` rows (``ResponseTimeRows``), which live and expire together.
    public func responseTimesEntry(monitorID: String) async throws -> Cached<ResponseTimesEntry> {
        try await cache.fetch(
            Key.responseTimes(monitorID: monitorID),
            policy: ttls.responseTimes,
            cost: ResponseTimesEntry.cost
        ) {
            ResponseTimesEntry(try await client.responseTimes(monitorID: monitorID))
        }
    }

    /// SLA between two days (inclusive); ranges that end before today are cached for a week.
    public func sla(monitorID: String, from: UTCDay?, to: UTCDay?) async throws -> Cached<MonitorSLA> {
        let today = UTCDay(epochMilliseconds: now())
        let finished = to.map { $0 < today } ?? false
        return try await cache.fetch(
            Key.sla(monitorID: monitorID, from: from, to: to),
            policy: finished ? ttls.slaFinished : ttls.slaCurrent,
            cost: { _ in 256 }
        ) {
            try await client.sla(monitorID: monitorID, from: from, to: to)
        }
    }

    /// A heartbeat's availability between two days (inclusive), cached as a monitor's SLA is:
    /// ranges that end before today for a week.
    public func heartbeatAvailability(heartbeatID: String, from: UTCDay?, to: UTCDay?) async throws
        -> Cached<HeartbeatAvailability>
    {
        let today = UTCDay(epochMilliseconds: now())
        let finished = to.map { $0 < today } ?? false
        return try await cache.fetch(
            Key.heartbeatAvailability(heartbeatID: heartbeatID, from: from, to: to),
            policy: finished ? ttls.slaFinished : ttls.slaCurrent,
            cost: { _ in 256 }
        ) {
            try await client.heartbeatAvailability(id: heartbeatID, from: from, to: to)
        }
    }

    /// The account's Better Stack status pages. None while an allowlist is set: a status page
    /// describes the whole account, not the allowed monitors.
    public func statusPages() async throws -> Cached<[StatusPage]> {
        guard allowlist.isEmpty else { return Cached(value: [], freshness: .hit, age: .zero) }
        return try await cache.fetch(Key.statusPages, policy: ttls.heartbeats, cost: { 64 + $0.count * 384 }) {
            try await client.statusPages()
        }
    }

    /// The resources shown on one status page (their current status and availability), cached as
    /// the page list is. None while an allowlist is set.
    public func statusPageResources(statusPageID: String) async throws -> Cached<[StatusPageResource]> {
        guard allowlist.isEmpty else { return Cached(value: [], freshness: .hit, age: .zero) }
        return try await cache.fetch(
            Key.statusPageResources(statusPageID: statusPageID),
            policy: ttls.heartbeats,
            cost: { $0.reduce(64) { $0 + 256 + $1.statusHistory.count * 64 } }
        ) {
            try await client.statusPageResources(statusPageID: statusPageID)
        }
    }

    /// Incidents that started between two days (inclusive), newest first as upstream sends them.
    ///
    /// Ranges inside the last ``recentIncidentDays`` days are all served from one cached call for that
    /// whole window (filtered here), so a dashboard's incident table, annotations and lists cost one
    /// upstream call between them.
    public func incidents(from: UTCDay?, to: UTCDay?, monitorID: String? = nil) async throws -> Cached<[Incident]> {
        try await allowedIncidents(try await unfilteredIncidents(from: from, to: to, monitorID: monitorID))
    }

    /// `list` without the incidents of monitors and heartbeats outside the allowlist. An incident
    /// is served only when the monitor or heartbeat it belongs to is allowed; one that names
    /// neither (nothing to check it against) is not served while an allowlist is set.
    func allowedIncidents(_ list: Cached<[Incident]>) async throws -> Cached<[Incident]> {
        guard !allowlist.isEmpty else { return list }
        var list = list
        let allowedHeartbeats = try await heartbeats().value
        list.value = Self.incidents(list.value, monitors: try await monitors().value, heartbeats: allowedHeartbeats)
        return list
    }

    private func unfilteredIncidents(from: UTCDay?, to: UTCDay?, monitorID: String?) async throws -> Cached<[Incident]> {
        let today = UTCDay(epochMilliseconds: now())
        let windowStart = today.adding(days: -Self.recentIncidentDays)
        if let from, from >= windowStart, (to ?? today) <= today {
            let recent = try await cache.fetch(
                "incidents:recent:\(today)",
                policy: ttls.incidents,
                cost: { 64 + $0.count * 768 }
            ) {
                try await client.incidents(filter: IncidentFilter(from: windowStart, to: today))
            }
            let lower = from.startMilliseconds
            let upper = (to ?? today).adding(days: 1).startMilliseconds
            var result = recent
            result.value = recent.value.filter { incident in
                guard let start = incident.startedAt, start >= lower, start < upper else { return false }
                return monitorID == nil || incident.monitorID == monitorID
            }
            return result
        }
        let key = "incidents:\(from?.description ?? "-"):\(to?.description ?? "-"):\(monitorID ?? "*")"
        // Windows outside the shared one are per request: each follows at most
        // historyIncidentPages pages (50 incidents each), so one request's load stays bounded.
        var limited = client
        limited.maxPages = Self.historyIncidentPages
        let history = limited
        return try await cache.fetch(key, policy: ttls.incidents, cost: { 64 + $0.count * 768 }) {
            try await history.incidents(filter: IncidentFilter(from: from, to: to, monitorID: monitorID))
        }
    }

    /// Pages one load of an incident window older than the shared one follows at most.
    public static let historyIncidentPages = 20

    /// How far back the shared incident window reaches.
    public static let recentIncidentDays = 30

    /// The heartbeats this bridge serves (the allowlist matches a heartbeat's id or name).
    public func heartbeats() async throws -> Cached<[Heartbeat]> {
        let list = try await cache.fetch(Key.heartbeats, policy: ttls.heartbeats, cost: { 64 + $0.count * 384 }) {
            try await client.heartbeats()
        }
        return allowed(list)
    }

    /// `list` without the heartbeats outside the allowlist.
    func allowed(_ list: Cached<[Heartbeat]>) -> Cached<[Heartbeat]> {
        guard !allowlist.isEmpty else { return list }
        let allowed = Set(allowlist)
        var list = list
        list.value = list.value.filter { allowed.contains($0.id) || $0.name.map(allowed.contains) == true }
        return list
    }

    /// Every incident still open, however long ago it started (`resolved=false`), for counts that
    /// must not miss an outage older than the shared incident window.
    public func openIncidents() async throws -> Cached<[Incident]> {
        let list = try await cache.fetch(Key.openIncidents, policy: ttls.incidents, cost: { 64 + $0.count * 768 }) {
            try await client.incidents(filter: IncidentFilter(resolved: false))
        }
        return try await allowedIncidents(list)
    }

    /// The last value loaded for `key`, whatever its age, without loading (see ``Key``).
    public func lastKnown<Value: Codable & Sendable>(_ key: String, as type: Value.Type) -> Cached<Value>? {
        guard let (value, age) = cache.peek(key, as: type) else { return nil }
        return Cached(value: value, freshness: .stale(loadError: "not loaded within the time allowed"), age: age)
    }

    /// The last monitor list loaded, whatever its age, allowlist applied.
    public func lastKnownMonitors() -> Cached<[Monitor]>? {
        lastKnown(Key.monitors, as: [Monitor].self).map(allowed)
    }

    /// The last heartbeat list loaded, whatever its age, allowlist applied.
    public func lastKnownHeartbeats() -> Cached<[Heartbeat]>? {
        lastKnown(Key.heartbeats, as: [Heartbeat].self).map(allowed)
    }

    /// The last open incidents loaded, whatever their age, allowlist applied with the last known
    /// monitor and heartbeat lists (none known: none served).
    public func lastKnownOpenIncidents() -> Cached<[Incident]>? {
        guard var list = lastKnown(Key.openIncidents, as: [Incident].self) else { return nil }
        guard !allowlist.isEmpty else { return list }
        list.value = Self.incidents(
            list.value,
            monitors: lastKnownMonitors()?.value ?? [],
            heartbeats: lastKnownHeartbeats()?.value ?? []
        )
        return list
    }

    /// The incidents that belong to one of the (allowed) monitors or heartbeats given: by the
    /// monitor or heartbeat relationship, or — Better Stack documents only the monitor one, and
    /// heartbeat incidents come without — by the heartbeat's name, which such incidents carry.
    static func incidents(_ incidents: [Incident], monitors: [Monitor], heartbeats: [Heartbeat]) -> [Incident] {
        let monitorIDs = Set(monitors.map(\.id))
        let heartbeatIDs = Set(heartbeats.map(\.id))
        let heartbeatNames = Set(heartbeats.compactMap(\.name))
        return incidents.filter { incident in
            if let id = incident.monitorID { return monitorIDs.contains(id) }
            if let id = incident.heartbeatID { return heartbeatIDs.contains(id) }
            return incident.name.map(heartbeatNames.contains) ?? false
        }
    }

    /// The cache keys of the loads above, so that the last known value of any of them can be read
    /// back with ``lastKnown(_:as:)``.
    public enum Key {
        public static let monitors = "monitors"
        public static let heartbeats = "heartbeats"
        public static let openIncidents = "incidents:open"
        public static let statusPages = "status_pages"

        public static func statusPageResources(statusPageID: String) -> String {
            "status_page_resources:\(statusPageID)"
        }

        public static func responseTimes(monitorID: String) -> String {
            "response_times:\(monitorID)"
        }

        public static func sla(monitorID: String, from: UTCDay?, to: UTCDay?) -> String {
            "sla:\(monitorID):\(from?.description ?? "-"):\(to?.description ?? "-")"
        }

        public static func heartbeatAvailability(heartbeatID: String, from: UTCDay?, to: UTCDay?) -> String {
            "heartbeat_availability:\(heartbeatID):\(from?.description ?? "-"):\(to?.description ?? "-")"
        }
    }
}

/// How a request names a monitor: by id, exact URL or pronounceable name (the seed proxy used URL).
public enum MonitorSelector: Sendable, Equatable, CustomStringConvertible {
    case id(String)
    case url(String)
    case name(String)
    /// Matches id, URL or name; used by Grafana targets where one text field names the monitor.
    case any(String)

    public func matches(_ monitor: Monitor) -> Bool {
        switch self {
        case .id(let id): monitor.id == id
        case .url(let url): monitor.url == url
        case .name(let name): monitor.pronounceableName == name
        case .any(let text): monitor.id == text || monitor.url == text || monitor.pronounceableName == text
        }
    }

    public var description: String {
        switch self {
        case .id(let id): "monitor_id \(id)"
        case .url(let url): "url \(url)"
        case .name(let name): "name \(name)"
        case .any(let text): "monitor \(text)"
        }
    }

    /// The parameter name and value, for error bodies.
    var parameter: (String, String) {
        switch self {
        case .id(let id): ("monitor_id", id)
        case .url(let url): ("url", url)
        case .name(let name): ("name", name)
        case .any(let text): ("monitor", text)
        }
    }
}

/// No monitor matches what was asked for (a 404 naming it).
public struct MonitorNotFound: Error, Sendable {
    public var selector: MonitorSelector
}
