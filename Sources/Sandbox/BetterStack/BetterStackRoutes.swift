/// The Uptime API routes (v2, and v3 incidents), answered from the run's ``BetterStackDataset``.
enum BetterStackRoutes {
    static func table(state: SandboxState) -> [Route] {
        let auth = BetterStackErrors.requireToken(state.configuration.token)
        return [
            Route(["GET"], "/api/v2/monitors", name: .monitors, authorize: auth, handler: listMonitors),
            Route(["GET"], "/api/v2/monitors/:id", name: .monitor, authorize: auth, handler: showMonitor),
            Route(
                ["GET"],
                "/api/v2/monitors/:id/response-times",
                name: .responseTimes,
                authorize: auth,
                handler: responseTimes
            ),
            Route(["GET"], "/api/v2/monitors/:id/sla", name: .sla, authorize: auth, handler: sla),
            Route(["GET"], "/api/v3/incidents", name: .incidents, authorize: auth) { listIncidents($0, dialect: .v3) },
            Route(["GET"], "/api/v2/incidents", name: .incidents, authorize: auth) { listIncidents($0, dialect: .v2) },
            Route(["GET"], "/api/v2/heartbeats", name: .heartbeats, authorize: auth, handler: listHeartbeats),
            Route(["POST"], "/api/v2/heartbeats", name: .heartbeats, authorize: auth, handler: createHeartbeat),
            Route(["GET"], "/api/v2/heartbeats/:id", name: .heartbeat, authorize: auth, handler: showHeartbeat),
            Route(
                ["GET"],
                "/api/v2/heartbeats/:id/availability",
                name: .heartbeatAvailability,
                authorize: auth,
                handler: heartbeatAvailability
            ),
            Route(["GET"], "/api/v2/status-pages", name: .statusPages, authorize: auth, handler: listStatusPages),
            Route(["GET"], "/api/v2/status-pages/:id", name: .statusPage, authorize: auth, handler: showStatusPage),
            Route(
                ["GET"],
                "/api/v2/status-pages/:id/resources",
                name: .statusPageResources,
                authorize: auth,
                handler: statusPageResources
            ),
        ]
    }

    // MARK: Monitors

    /// Filters `url` and `pronounceable_name` match exactly (upstream does not say; Terraform
    /// compares URLs exactly itself); `team_name` must be the sandbox's team.
    static func listMonitors(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        let request = context.request
        var monitors = data.monitors
        if let url = request.query("url") { monitors = monitors.filter { $0.url == url } }
        if let name = request.query("pronounceable_name") { monitors = monitors.filter { $0.name == name } }
        if let team = request.query("team_name"), team != data.teamName { monitors = [] }
        return Pagination.list(monitors, context: context) {
            $0.resource(teamName: data.teamName, includeExpirationPolicy: true)
        }
    }

    static func showMonitor(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        guard let monitor = data.monitor(id: context.parameter("id")) else { return BetterStackErrors.notFound }
        return .json(.object([("data", monitor.resource(teamName: data.teamName, includeExpirationPolicy: false))]))
    }

    /// No parameters upstream: always the 24 hours before the anchor time.
    static func responseTimes(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        guard let monitor = data.monitor(id: context.parameter("id")) else { return BetterStackErrors.notFound }
        let body = data.responseTimesCache.bytes(for: monitor.id) {
            ResponseTimes.payload(for: monitor, seed: data.seed, now: data.now).bytes
        }
        return .json(bytes: body)
    }

    static func sla(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        guard let monitor = data.monitor(id: context.parameter("id")) else { return BetterStackErrors.notFound }
        return availability(
            context,
            id: monitor.id,
            type: "monitor_sla",
            createdAt: monitor.createdAt,
            incidents: data.incidents(ofMonitor: monitor.id),
            invalidRange: BetterStackErrors.invalidMonitorRange
        )
    }

    /// The summary over `from`/`to`, or the 400 answer for a bad range.
    private static func availability(
        _ context: RouteContext,
        id: Int,
        type: String,
        createdAt: Int64,
        incidents: [Incident],
        invalidRange: SandboxResponse
    ) -> SandboxResponse {
        let now = context.state.betterStack.now
        let request = context.request
        guard
            let range = Availability.range(
                from: request.query("from"),
                to: request.query("to"),
                createdAt: createdAt,
                now: now
            )
        else { return invalidRange }
        let summary = Availability(incidents: incidents, start: range.start, end: range.end, now: now)
        return .json(summary.payload(id: id, type: type))
    }

    // MARK: Incidents

    /// v3 filters: `from`, `to` (days, by start time, `to` inclusive), `monitor_id`,
    /// `heartbeat_id`, `resolved`, `acknowledged`. v2 has no `resolved`/`acknowledged`, and
    /// ignores them as upstream does. Pages of 10 by default, 50 at most.
    static func listIncidents(_ context: RouteContext, dialect: Incident.Dialect) -> SandboxResponse {
        let data = context.state.betterStack
        let request = context.request
        var incidents = data.incidents
        if let from = request.query("from") {
            guard let start = Timestamp.parseDay(from) else { return BetterStackErrors.invalidMonitorRange }
            incidents = incidents.filter { $0.startedAt >= start }
        }
        if let to = request.query("to") {
            guard let end = Timestamp.parseDay(to) else { return BetterStackErrors.invalidMonitorRange }
            incidents = incidents.filter { $0.startedAt < end + Timestamp.dayMilliseconds }
        }
        if let monitorID = request.query("monitor_id") {
            incidents = incidents.filter { $0.monitorID.map(String.init) == monitorID }
        }
        if let heartbeatID = request.query("heartbeat_id") {
            incidents = incidents.filter { $0.heartbeatID.map(String.init) == heartbeatID }
        }
        if dialect == .v3 {
            if let resolved = request.query("resolved").flatMap(Bool.init) {
                incidents = incidents.filter { $0.isResolved == resolved }
            }
            if let acknowledged = request.query("acknowledged").flatMap(Bool.init) {
                incidents = incidents.filter { $0.isAcknowledged == acknowledged }
            }
        }
        return Pagination.list(incidents, context: context, defaultPerPage: 10, maxPerPage: 50) {
            $0.resource(teamName: data.teamName, dialect: dialect)
        }
    }

    // MARK: Heartbeats

    static func listHeartbeats(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        var heartbeats = data.heartbeats
        if let team = context.request.query("team_name"), team != data.teamName { heartbeats = [] }
        return Pagination.list(heartbeats, context: context) {
            $0.resource(baseURL: context.baseURL, teamName: data.teamName)
        }
    }

    static func showHeartbeat(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        guard let heartbeat = data.heartbeat(id: context.parameter("id")) else { return BetterStackErrors.notFound }
        return .json(.object([("data", heartbeat.resource(baseURL: context.baseURL, teamName: data.teamName))]))
    }

    static func heartbeatAvailability(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        guard let heartbeat = data.heartbeat(id: context.parameter("id")) else { return BetterStackErrors.notFound }
        return availability(
            context,
            id: heartbeat.id,
            type: "heartbeat_availability",
            createdAt: heartbeat.createdAt,
            incidents: data.incidents(ofHeartbeat: heartbeat.id),
            invalidRange: BetterStackErrors.invalidHeartbeatRange
        )
    }

    /// Validates like upstream (a missing `name` is a 422) and answers 201 with the new
    /// heartbeat, which is not stored: the dataset stays a pure function of the seed.
    static func createHeartbeat(_ context: RouteContext) -> SandboxResponse {
        let data = context.state.betterStack
        let body = try? JSONParser.parse(context.request.body)
        guard let name = body?["name"]?.stringValue, !name.isEmpty else { return BetterStackErrors.blankName }
        let period = body?["period"]?.intValue ?? 60
        let grace = body?["grace"]?.intValue ?? 0
        let id = Heartbeat.firstID + data.heartbeats.count
        let token = Heartbeat.token(forIndex: data.heartbeats.count + 1)
        let now = Timestamp.iso8601(data.now)
        let attributes: [(String, JSON)] = [
            ("url", .string("\(context.baseURL)/api/v1/heartbeat/\(token)")),
            ("name", .string(name)),
            ("period", .int(period)),
            ("grace", .int(grace)),
            ("call", .bool(body?["call"]?.boolValue ?? false)),
            ("sms", .bool(body?["sms"]?.boolValue ?? false)),
            ("email", .bool(body?["email"]?.boolValue ?? true)),
            ("push", .bool(body?["push"]?.boolValue ?? false)),
            ("team_wait", .null),
            ("heartbeat_group_id", .null),
            ("team_name", .string(data.teamName)),
            ("sort_index", .null),
            ("paused_at", .null),
            ("maintenance_from", .null),
            ("maintenance_to", .null),
            ("maintenance_timezone", .string("UTC")),
            ("maintenance_days", .array([])),
            ("created_at", .string(now)),
            ("updated_at", .string(now)),
            ("status", .string("pending")),
        ]
        return .json(
            .object([
                (
                    "data",
                    .object([
                        ("id", .string(String(id))), ("type", .string("heartbeat")),
                        ("attributes", .object(attributes)),
                    ])
                )
            ]),
            status: 201
        )
    }

    // MARK: Status pages

    static func listStatusPages(_ context: RouteContext) -> SandboxResponse {
        Pagination.list(context.state.betterStack.statusPages, context: context) { $0.json }
    }

    static func showStatusPage(_ context: RouteContext) -> SandboxResponse {
        guard let page = context.state.betterStack.statusPage(id: context.parameter("id")) else {
            return BetterStackErrors.notFound
        }
        return .json(.object([("data", page.json)]))
    }

    static func statusPageResources(_ context: RouteContext) -> SandboxResponse {
        guard let page = context.state.betterStack.statusPage(id: context.parameter("id")) else {
            return BetterStackErrors.notFound
        }
        return Pagination.list(page.resources, context: context) { $0.json }
    }
}
