/// Query for ``BetterStackClient/incidents(filter:)`` (`GET /api/v3/incidents`).
public struct IncidentFilter: Sendable, Hashable {
    /// Only incidents from this day on.
    public var from: UTCDay?
    /// Only incidents until this day.
    public var to: UTCDay?
    /// Only this monitor's incidents.
    public var monitorID: String?
    /// Only this heartbeat's incidents.
    public var heartbeatID: String?
    /// `false` lists open incidents, `true` resolved ones; `nil` both.
    public var resolved: Bool?
    /// Filter on acknowledgement; `nil` both.
    public var acknowledged: Bool?
    /// Page size, 1…50 (upstream default 10).
    public var perPage: Int
    /// Stop paging once this many incidents are collected (the result may hold a few more).
    public var limit: Int?

    /// A filter; everything optional.
    public init(
        from: UTCDay? = nil,
        to: UTCDay? = nil,
        monitorID: String? = nil,
        heartbeatID: String? = nil,
        resolved: Bool? = nil,
        acknowledged: Bool? = nil,
        perPage: Int = 50,
        limit: Int? = nil
    ) {
        self.from = from
        self.to = to
        self.monitorID = monitorID
        self.heartbeatID = heartbeatID
        self.resolved = resolved
        self.acknowledged = acknowledged
        self.perPage = perPage
        self.limit = limit
    }

    var queryItems: [(String, String)] {
        var items = [BetterStackClient.perPage(perPage, maximum: 50)] + BetterStackClient.dayRange(from: from, to: to)
        if let monitorID { items.append(("monitor_id", monitorID)) }
        if let heartbeatID { items.append(("heartbeat_id", heartbeatID)) }
        if let resolved { items.append(("resolved", resolved ? "true" : "false")) }
        if let acknowledged { items.append(("acknowledged", acknowledged ? "true" : "false")) }
        return items
    }
}
