extension BetterStackClient {
    /// All heartbeats, across pages (`GET /api/v2/heartbeats`).
    public func heartbeats(perPage: Int = 250) async throws -> [Heartbeat] {
        try await getAllPages(
            Heartbeat.self,
            endpoint: "heartbeats",
            path: "/api/v2/heartbeats",
            query: [Self.perPage(perPage)]
        )
    }

    /// One heartbeat (`GET /api/v2/heartbeats/{id}`).
    public func heartbeat(id: String) async throws -> Heartbeat {
        let segment = try pathSegment(id, what: "heartbeat")
        return try await getResource(Heartbeat.self, endpoint: "heartbeat", path: "/api/v2/heartbeats/\(segment)")
    }

    /// A heartbeat's availability summary (`GET /api/v2/heartbeats/{id}/availability?from=&to=`).
    public func heartbeatAvailability(id: String, from: UTCDay? = nil, to: UTCDay? = nil) async throws
        -> HeartbeatAvailability
    {
        let segment = try pathSegment(id, what: "heartbeat")
        let query = Self.dayRange(from: from, to: to)
        return try await getResource(
            HeartbeatAvailability.self,
            endpoint: "heartbeat_availability",
            path: "/api/v2/heartbeats/\(segment)/availability",
            query: query
        )
    }
}
