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
            Route(["GET"], "/_sandbox/stats") { context in .json(context.state.stats.json) },
            Route(["POST"], "/_sandbox/stats/reset") { context in
                context.state.stats.reset()
                return .json(context.state.stats.json)
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
                return .json(.object([("received", .int(received)), ("logs", .array(records.map(\.json)))]))
            },
            Route(["DELETE"], "/_sandbox/logs") { context in
                context.state.logs.clear()
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
                ("routes", .array(routeNames.sorted().map { .string($0.rawValue) })),
            ])
        )
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
