/// All synthetic Better Stack Uptime data of one sandbox run, generated once from the seed and
/// the anchor time. Response times are the exception: they are derived on demand per monitor
/// (same inputs, same points), because 1000 monitors' worth would be hundreds of megabytes.
struct BetterStackDataset: Sendable {
    /// The team every resource belongs to.
    let teamName = "Sandbox team"
    let seed: UInt64
    let now: Int64
    let monitors: [Monitor]
    let heartbeats: [Heartbeat]
    /// Newest first, as upstream lists them.
    let incidents: [Incident]
    let statusPages: [StatusPage]
    /// Rendered response-times payloads by monitor id (64 MiB at most).
    let responseTimesCache = RenderedCache<Int>(budgetBytes: 64 << 20)

    private let monitorsByID: [Int: Monitor]
    private let heartbeatsByID: [Int: Heartbeat]
    private let heartbeatsByToken: [String: Heartbeat]
    private let incidentsByMonitor: [Int: [Incident]]
    private let incidentsByHeartbeat: [Int: [Incident]]

    init(monitorCount: Int, checkFrequency: Int? = nil, heartbeatCount: Int, seed: UInt64, now: Int64) {
        self.seed = seed
        self.now = now
        monitors = (0..<max(0, monitorCount)).map {
            Monitor(index: $0 + 1, seed: seed, now: now, checkFrequency: checkFrequency)
        }
        heartbeats = (0..<max(0, heartbeatCount)).map { Heartbeat(index: $0 + 1, seed: seed, now: now) }

        var all = monitors.flatMap { Incident.history(of: $0, seed: seed, now: now) }
        all += heartbeats.flatMap { Incident.history(of: $0, seed: seed, now: now) }
        // Ids grow with start time; ties (none in practice) break by subject for determinism.
        all.sort {
            ($0.startedAt, $0.monitorID ?? 0, $0.heartbeatID ?? 0) < (
                $1.startedAt, $1.monitorID ?? 0, $1.heartbeatID ?? 0
            )
        }
        for index in all.indices { all[index].id = Incident.firstID + index }
        incidents = all.reversed()

        monitorsByID = Dictionary(uniqueKeysWithValues: monitors.map { ($0.id, $0) })
        heartbeatsByID = Dictionary(uniqueKeysWithValues: heartbeats.map { ($0.id, $0) })
        heartbeatsByToken = Dictionary(heartbeats.map { ($0.token, $0) }, uniquingKeysWith: { first, _ in first })
        incidentsByMonitor = Dictionary(grouping: all.filter { $0.monitorID != nil }, by: { $0.monitorID ?? 0 })
        incidentsByHeartbeat = Dictionary(grouping: all.filter { $0.heartbeatID != nil }, by: { $0.heartbeatID ?? 0 })
        statusPages = StatusPage.pages(monitors: monitors, heartbeats: heartbeats, incidents: all, now: now)
    }

    /// The monitor with the string id from a path, if any.
    func monitor(id: String) -> Monitor? { Int(id).flatMap { monitorsByID[$0] } }
    /// The heartbeat with the string id from a path, if any.
    func heartbeat(id: String) -> Heartbeat? { Int(id).flatMap { heartbeatsByID[$0] } }
    /// The heartbeat a ping token belongs to, if any.
    func heartbeat(token: String) -> Heartbeat? { heartbeatsByToken[token] }
    /// The status page with the string id from a path, if any.
    func statusPage(id: String) -> StatusPage? { statusPages.first { String($0.id) == id } }
    /// A monitor's incidents, oldest first.
    func incidents(ofMonitor id: Int) -> [Incident] { incidentsByMonitor[id] ?? [] }
    /// A heartbeat's incidents, oldest first.
    func incidents(ofHeartbeat id: Int) -> [Incident] { incidentsByHeartbeat[id] ?? [] }
}
