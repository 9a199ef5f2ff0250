import FastCGIRuntime

/// `GET /` (and the base path without a slash): the answer Grafana's "Save & test" looks for.
///
/// It tells the truth without calling any upstream: 200 `{"status":"ok"}` when the bridge has
/// something to serve (a Better Stack token, or Statuspage pages), else 503
/// `{"status":"unavailable","problems":[…]}` naming what is missing and whether a configuration
/// file was read at all, or that the cache cannot keep anything, so Grafana's "Save & test" fails
/// where every panel would (or where every panel would cost an upstream call). A configuration
/// that cannot be read never gets this far: the process refuses to serve (500) instead of serving
/// without the access control it may carry.
public enum Health {
    /// Never waits: the FastCGI responder answers it on the thread that read the request.
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) throws -> Response {
        let problems = problems(context.services)
        var json = JSONWriter(capacity: 64)
        json.beginObject()
        json.member("status", problems.isEmpty ? "ok" : "unavailable")
        if !problems.isEmpty {
            json.key("problems")
            json.beginArray()
            for problem in problems { json.string(problem) }
            json.endArray()
        }
        json.member("version", context.services.settings.version)
        json.endObject()
        return answer(.json(json.bytes, status: problems.isEmpty ? 200 : 503, cacheControl: "no-store"))
    }

    /// What keeps the bridge from serving as configured, checked without an upstream call: nothing
    /// to serve (no token and no Statuspage pages), a cache that cannot keep what it loads (under
    /// CGI an unwritable cache directory makes every request an upstream call).
    static func problems(_ services: Services) -> [String] {
        var problems: [String] = []
        if services.uptime == nil, services.statuspage == nil {
            problems.append(betterStackMissing(configurationFile: services.settings.configurationFile))
        }
        if let problem = services.uptime?.cache.problem { problems.append(problem) }
        return problems
    }

    /// Like every function answer, it says how many upstream calls it caused: none.
    private static func answer(_ response: Response) -> Response {
        var response = response
        response.headers.set("X-Uptime-Bridge-Upstream-Calls", "0")
        return response
    }

    /// Why Better Stack data cannot be served, pointing where to look.
    static func betterStackMissing(configurationFile: String?) -> String {
        guard let configurationFile else {
            return "Better Stack is not configured: no API token, and no configuration file was read "
                + "(UPTIME_BRIDGE_CONFIG is not set and /etc/uptime-bridge/config.yaml does not exist; under "
                + "suEXEC, SetEnv variables do not reach the program: use the wrapper script)"
        }
        return "Better Stack is not configured: \(configurationFile) sets no API token "
            + "(betterstack.api_token_file, or BETTERSTACK_API_TOKEN in the environment)"
    }
}
