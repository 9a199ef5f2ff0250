import FastCGIRuntime

/// Every function and where it lives. A newcomer looking for "where does `/sla` live" starts here.
public enum Routes {
    public static func router(settings: BridgeSettings) -> Router<FunctionContext> {
        var router = Router<FunctionContext>()
        router.get("/", Health.handle)
        if settings.debugRoutes {
            router.get("/_debug/sleep", DebugSleep.handle)
            router.get("/_debug/fail", DebugSleep.fail)
            router.post("/_debug/echo", DebugSleep.echo)
        }
        return router
    }
}
