/// The sandbox's own control surface under `/_sandbox/` (no auth; the server is loopback-only),
/// plus the health check at `GET /`. None of these are counted or faulted.
///
/// Admin errors use `{"error": "…"}`, the bridge's own shape, so they cannot be mistaken for
/// upstream's `{"errors": …}`.
enum AdminRoutes {
    static func table(state: SandboxState, routeNames: Set<RouteName>) -> [Route] {
        let health: Route.Handler = { _ in .json(.object([("status", .string("ok"))])) }
        return [
            Route(["GET"], "/", handler: health),
            Route(["GET"], "/_sandbox/health", handler: health),
            Route(["GET"], "/_sandbox/info") { context in info(context.state, routeNames: routeNames) },
            Route(["GET"], "/_sandbox/stats") { context in stats(context.state) },
            Route(["POST"], "/_sandbox/stats/reset") { context in
                context.state.stats.reset()
                context.state.rateLimiter.reset()
                return stats(context.state)
            },
            Route(["GET"], "/_sandbox/rate-limit") { context in rateLimit(context.state) },
            Route(["POST", "PUT"], "/_sandbox/rate-limit") { context in setRateLimit(context) },
            Route(["DELETE"], "/_sandbox/rate-limit") { context in
                context.state.rateLimiter.limit = 0
                return rateLimit(context.state)
            },
            Route(["GET"], "/_sandbox/faults") { context in faultList(context.state) },
            Route(["POST"], "/_sandbox/faults") { context in setFaults(context, routeNames: routeNames) },
            Route(["DELETE"], "/_sandbox/faults") { context in
                context.state.faults.clear(context.request.query("route").map { RouteName($0) })
                return faultList(context.state)
            },
            Route(["GET"], "/_sandbox/pings") { context in
                let (pings, received) = context.state.pings.snapshot
                let token = context.request.query("token")
                let shown = pings.filter { token == nil || $0.token == token }
                return .json(.object([("received", .int(received)), ("pings", .array(shown.map(\.json)))]))
            },
            Route(["DELETE"], "/_sandbox/pings") { context in
                context.state.pings.clear()
                return SandboxResponse(status: 204)
            },
            Route(["GET"], "/_sandbox/logs") { context in
                let (records, received) = context.state.logs.snapshot
                return .json(
                    .object(
                        [("received", .int(received))] + context.state.logsIngest.members
                            + [("logs", .array(records.map(\.json)))]
                    )
                )
            },
            Route(["DELETE"], "/_sandbox/logs") { context in
                context.state.logs.clear()
                context.state.logsIngest.clear()
                return SandboxResponse(status: 204)
            },
            Route(["GET"], "/_sandbox/errors") { context in
                let (events, received) = context.state.errors.snapshot
                return .json(.object([("received", .int(received)), ("events", .array(events.map(\.json)))]))
            },
            Route(["DELETE"], "/_sandbox/errors") { context in
                context.state.errors.clear()
                return SandboxResponse(status: 204)
            },
        ]
    }

    private static func info(_ state: SandboxState, routeNames: Set<RouteName>) -> SandboxResponse {
        let data = state.betterStack
        return .json(
            .object([
                ("seed", .string(String(state.configuration.seed))),
                ("now", .string(Timestamp.iso8601(data.now))),
                ("now_ms", .int(Int(data.now))),
                ("monitors", .int(data.monitors.count)),
                ("heartbeats", .int(data.heartbeats.count)),
                ("incidents", .int(data.incidents.count)),
                ("status_pages", .int(data.statusPages.count)),
                ("rate_limit_per_second", .int(state.rateLimiter.limit)),
                ("routes", .array(routeNames.sorted().map { .string($0.rawValue) })),
            ])
        )
    }

    /// `{"total": …, "routes": {…}, "per_second": {"limit", "max_requests", "max_answered",
    /// "limited", "seconds": [[epoch second, requests, limited], …]}}`.
    private static func stats(_ state: SandboxState) -> SandboxResponse {
        guard case .object(let members) = state.stats.json else { return .json(state.stats.json) }
        return .json(.object(members + [("per_second", state.rateLimiter.snapshot.json)]))
    }

    private static func rateLimit(_ state: SandboxState) -> SandboxResponse {
        .json(.object([("per_second", .int(state.rateLimiter.limit))]))
    }

    /// The new limit from `?per_second=N` or a body `{"per_second": N}`; 0 turns the mode off.
    private static func setRateLimit(_ context: RouteContext) -> SandboxResponse {
        func invalid(_ message: String) -> SandboxResponse {
            .json(.object([("error", .string(message))]), status: 400)
        }
        var value: Int?
        if let text = context.request.query("per_second") {
            guard let number = Int(text) else { return invalid("per_second must be an integer") }
            value = number
        } else if !context.request.body.isEmpty {
            guard let body = try? JSONParser.parse(context.request.body) else {
                return invalid("the body must be JSON: {\"per_second\": N}")
            }
            guard let number = body["per_second"]?.intValue else {
                return invalid("per_second must be an integer")
            }
            value = number
        }
        guard let limit = value else { return invalid("give per_second=N (0 turns the rate limit off)") }
        guard (0...RateLimiter.maximumLimit).contains(limit) else {
            return invalid("per_second must be between 0 and \(RateLimiter.maximumLimit)")
        }
        context.state.rateLimiter.limit = limit
        return rateLimit(context.state)
    }

    private static func faultList(_ state: SandboxState) -> SandboxResponse {
        .json(.object([("faults", .array(state.faults.all.map(\.json)))]))
    }

    /// Takes one fault object or an array of them; each replaces the fault on its route.
    private static func setFaults(_ context: RouteContext, routeNames: Set<RouteName>) -> SandboxResponse {
        let body: JSON
        do {
            body = try JSONParser.parse(context.request.body)
        } catch {
            return .json(.object([("error", .string("\(error)"))]), status: 400)
        }
        do {
            let faults = try (body.arrayValue ?? [body]).map { try Fault(json: $0) }
            for fault in faults where fault.route != .all && !routeNames.contains(fault.route) {
                throw FaultParseError(
                    description:
                        "unknown route '\(fault.route)'; known: * \(routeNames.sorted().map(\.rawValue).joined(separator: " "))"
                )
            }
            faults.forEach(context.state.faults.set)
        } catch {
            return .json(.object([("error", .string("\(error)"))]), status: 400)
        }
        return faultList(context.state)
    }
}
