/// The Atlassian Statuspage public API v2 (unauthenticated GETs), one page per slug under
/// `/statuspage/{slug}`: `discord` and `incident-example` serve the fixture payloads, `page-1…`
/// the generated pages. `GET /_sandbox/statuspages` lists them (not counted, not faulted).
enum StatuspageRoutes {
    static func table(state: SandboxState) -> [Route] {
        func route(_ path: String, _ endpoint: StatuspageSite.Endpoint, _ name: RouteName) -> Route {
            Route(["GET"], "/statuspage/:slug/api/v2/\(path)", name: name) { context in
                answer(context, endpoint)
            }
        }
        return [
            route("summary.json", .summary, .statuspageSummary),
            route("status.json", .status, .statuspageStatus),
            route("components.json", .components, .statuspageComponents),
            route("incidents.json", .incidents, .statuspageIncidents),
            route("incidents/unresolved.json", .unresolvedIncidents, .statuspageIncidents),
            route("scheduled-maintenances.json", .scheduledMaintenances, .statuspageScheduledMaintenances),
            route("scheduled-maintenances/upcoming.json", .upcomingMaintenances, .statuspageScheduledMaintenances),
            route("scheduled-maintenances/active.json", .activeMaintenances, .statuspageScheduledMaintenances),
            Route(["GET"], "/_sandbox/statuspages", handler: list),
        ]
    }

    private static func answer(_ context: RouteContext, _ endpoint: StatuspageSite.Endpoint) -> SandboxResponse {
        guard let body = context.state.statuspage.payload(context.parameter("slug"), endpoint) else {
            // Upstream's answer for a page that does not exist is unknown (each page is its own
            // domain); the sandbox's usual 404 body stands in.
            return .errors("Not found", status: 404)
        }
        return .json(bytes: body)
    }

    /// `{"pages": [{"slug": …, "summary_url": …}, …]}` with absolute URLs.
    private static func list(_ context: RouteContext) -> SandboxResponse {
        let pages: [JSON] = context.state.statuspage.slugs.map { slug in
            .object([
                ("slug", .string(slug)),
                ("summary_url", .string("\(context.baseURL)/statuspage/\(slug)/api/v2/summary.json")),
            ])
        }
        return .json(.object([("pages", .array(pages))]))
    }
}
