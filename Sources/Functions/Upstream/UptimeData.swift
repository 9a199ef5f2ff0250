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
    /// - Throws: ``HTTPError`` 404 naming what was asked for.
    public func monitor(_ selector: MonitorSelector) async throws -> (Monitor, Cached<[Monitor]>) {
        let list = try await monitors()
        guard let monitor = list.value.first(where: { selector.matches($0) }) else {
            throw MonitorNotFound(selector: selector)
        }
        return (monitor, list)
    }

    public func responseTimes(monitorID: String) async throws -> Cached<ResponseTimes> {
        try await cache.fetch(
            Key.responseTimes(monitorID: monitorID),
            policy: ttls.responseTimes,
            cost: { 64 + $0.regions.reduce(0) { $0 + 32 + $1.points.count * 72 } }
        ) {
            try await client.responseTimes(monitorID: monitorID)
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

    /// Incidents that started between two days (inclusive), newest first as upstream sends them.
    ///
    /// Ranges inside the last ``recentIncidentDays`` days are all served from one cached call for that
    /// whole window (filtered here), so a dashboard's incident table, annotations and lists cost one
    /// upstream call between them.
    public func incidents(from: UTCDay?, to: UTCDay?, monitorID: String? = nil) async throws -> Cached<[Incident]> {
        var result = try await unfilteredIncidents(from: from, to: to, monitorID: monitorID)
        if !allowlist.isEmpty {
            // Incidents of monitors outside the allowlist disappear too (heartbeat incidents stay).
            let allowed = Set(try await monitors().value.map(\.id))
            result.value = result.value.filter { $0.monitorID.map(allowed.contains) ?? true }
        }
        return result
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
        return try await cache.fetch(key, policy: ttls.incidents, cost: { 64 + $0.count * 768 }) {
            try await client.incidents(filter: IncidentFilter(from: from, to: to, monitorID: monitorID))
        }
    }

    /// How far back the shared incident window reaches.
    public static let recentIncidentDays = 30

    public func heartbeats() async throws -> Cached<[Heartbeat]> {
        try await cache.fetch(Key.heartbeats, policy: ttls.heartbeats, cost: { 64 + $0.count * 384 }) {
            try await client.heartbeats()
        }
    }

    /// Every incident still open, however long ago it started (`resolved=false`), for counts that
    /// must not miss an outage older than the shared incident window.
    public func openIncidents() async throws -> Cached<[Incident]> {
        try await cache.fetch(Key.openIncidents, policy: ttls.incidents, cost: { 64 + $0.count * 768 }) {
            try await client.incidents(filter: IncidentFilter(resolved: false))
        }
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

    /// The cache keys of the loads above, so that the last known value of any of them can be read
    /// back with ``lastKnown(_:as:)``.
    public enum Key {
        public static let monitors = "monitors"
        public static let heartbeats = "heartbeats"
        public static let openIncidents = "incidents:open"

        public static func responseTimes(monitorID: String) -> String {
            "response_times:\(monitorID)"
        }

        public static func sla(monitorID: String, from: UTCDay?, to: UTCDay?) -> String {
            "sla:\(monitorID):\(from?.description ?? "-"):\(to?.description ?? "-")"
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
