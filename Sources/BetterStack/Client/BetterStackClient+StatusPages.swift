extension BetterStackClient {
    /// All status pages, across pages (`GET /api/v2/status-pages`).
    public func statusPages(perPage: Int = 250) async throws -> [StatusPage] {
        try await getAllPages(
            StatusPage.self,
            endpoint: "status_pages",
            path: "/api/v2/status-pages",
            query: [Self.perPage(perPage)]
        )
    }

    /// The resources shown on one status page (`GET /api/v2/status-pages/{id}/resources`).
    public func statusPageResources(statusPageID: String, perPage: Int = 250) async throws -> [StatusPageResource] {
        let segment = try pathSegment(statusPageID, what: "status page")
        return try await getAllPages(
            StatusPageResource.self,
            endpoint: "status_page_resources",
            path: "/api/v2/status-pages/\(segment)/resources",
            query: [Self.perPage(perPage)]
        )
    }
}
