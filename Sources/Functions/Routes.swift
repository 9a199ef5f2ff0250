import FastCGIRuntime

/// Every function and where it lives. A newcomer looking for "where does `/sla` live" starts here.
public enum Routes {
    public static func router(settings: BridgeSettings, access: AccessPolicy = .open) -> Router<FunctionContext> {
        // Every function runs inside the request's limits (deadline, upstream budget, answer bound);
        // all but the test functions also take one of the worker's permits for expensive work, so
        // `GET /` (which waits for nothing) keeps answering while expensive requests queue.
        let limits = settings.limits
        let gate = ConcurrencyGate(permits: limits.maxConcurrent)
        var router = Router<FunctionContext>(guard: { limits.guarding(access.guarding($0), gate: gate) })
        let cheap = Router<FunctionContext>.Guard { limits.guarding(access.guarding($0), gate: nil) }
        // The health check never waits, so it runs outside the limits (there is nothing to bound)
        // and the responder answers it without a task hop.
        router.immediate("/", access.guarding(Health.handle))
        // Drop-in for the Flask proxy (Infinity panels).
        router.get("/response_time", ResponseTime.handle)
        router.get("/sla", SLA.handle)
        // Infinity-friendly lists.
        router.get("/monitors", MonitorList.handle)
        router.get("/incidents", IncidentList.handle)
        router.get("/heartbeats", HeartbeatList.handle)
        router.get("/status_pages", StatusPageList.handle)
        // SimpleJSON and the JSON datasource (docs/grafana.md, "Grafana with the JSON datasource").
        router.post("/search", Search.handle)
        // Same path, two contracts: GET is the Prometheus exposition, POST the JSON datasource's
        // metric list; any other method is a 405.
        router.get("/metrics", Metrics.handle)
        router.post("/metrics", MetricList.handle)
        router.post("/metric-payload-options", MetricPayloadOptions.handle)
        router.post("/variable", Variable.handle)
        router.post("/query", Query.handle)
        router.post("/annotations", Annotations.handle)
        router.post("/tag-keys", TagKeys.handle)
        router.post("/tag-values", TagValues.handle)
        if settings.debugRoutes {
            router.get("/_debug/sleep", DebugSleep.handle, guard: cheap)
            router.get("/_debug/fail", DebugSleep.fail, guard: cheap)
            router.post("/_debug/echo", DebugSleep.echo, guard: cheap)
        }
        return router
    }
}
