import FastCGIRuntime

/// Every function and where it lives. A newcomer looking for "where does `/sla` live" starts here.
public enum Routes {
    public static func router(settings: BridgeSettings, access: AccessPolicy = .open) -> Router<FunctionContext> {
        var router = Router<FunctionContext>(guard: { access.guarding($0) })
        router.get("/", Health.handle)
        // Drop-in for the Flask proxy (Infinity panels).
        router.get("/response_time", ResponseTime.handle)
        router.get("/sla", SLA.handle)
        // Infinity-friendly lists.
        router.get("/monitors", MonitorList.handle)
        router.get("/incidents", IncidentList.handle)
        router.get("/heartbeats", HeartbeatList.handle)
        // SimpleJSON and the JSON datasource (contracts §A.4).
        router.post("/search", Search.search)
        // Same path, two contracts: GET is the Prometheus exposition, POST the JSON datasource's
        // metric list; any other method is a 405.
        router.get("/metrics", Metrics.handle)
        router.post("/metrics", Search.metrics)
        router.post("/metric-payload-options", Search.metricPayloadOptions)
        router.post("/variable", Search.variable)
        router.post("/query", Query.handle)
        router.post("/annotations", Annotations.handle)
        router.post("/tag-keys", Tags.keys)
        router.post("/tag-values", Tags.values)
        if settings.debugRoutes {
            router.get("/_debug/sleep", DebugSleep.handle)
            router.get("/_debug/fail", DebugSleep.fail)
            router.post("/_debug/echo", DebugSleep.echo)
        }
        return router
    }
}
