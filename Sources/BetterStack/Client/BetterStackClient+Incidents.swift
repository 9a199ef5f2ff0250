extension BetterStackClient {
    /// Incidents matching `filter`, across pages (`GET /api/v3/incidents`, ≤ 50 per page).
    public func incidents(filter: IncidentFilter = IncidentFilter()) async throws -> [Incident] {
        let limit = filter.limit
        return try await getAllPages(
            Incident.self,
            endpoint: "incidents",
            path: "/api/v3/incidents",
            query: filter.queryItems,
            shouldContinue: { collected in limit.map { collected.count < $0 } ?? true }
        )
    }
}
