import FastCGIRuntime
import TTLCache

/// Shapes JSON answers with cache headers that nginx's micro-cache and Grafana can honour.
enum FunctionResponse {
    /// A JSON answer built from cached data. When any input was served stale (Better Stack failing),
    /// the answer says so in `X-Uptime-Bridge-Stale` and `Warning`, and is cached only briefly.
    static func json(_ bytes: [UInt8], maxAge: Int, freshness: [CacheFreshness] = []) -> Response {
        let stale = freshness.contains { if case .stale = $0 { true } else { false } }
        let revalidating = freshness.contains(.revalidating)
        // Expired-but-usable data (refresh running in the background) is cached briefly by nginx,
        // so the refreshed value shows up on the next request.
        let age = stale || revalidating ? min(maxAge, 5) : maxAge
        var response = Response.json(bytes, cacheControl: "public, max-age=\(age)")
        let label =
            stale
            ? "stale"
            : revalidating ? "revalidating" : (freshness.contains(.miss) ? "miss" : (freshness.isEmpty ? "none" : "hit"))
        response.headers.add("X-Uptime-Bridge-Cache", label)
        if stale {
            response.headers.add("X-Uptime-Bridge-Stale", "true")
            response.headers.add("Warning", "110 - \"Response is Stale\"")
        }
        return response
    }
}
