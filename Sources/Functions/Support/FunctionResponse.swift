import FastCGIRuntime
import TTLCache

/// Shapes JSON answers with cache headers that nginx's micro-cache and Grafana can honour.
enum FunctionResponse {
    /// A JSON answer built from cached data. When any input was served stale (Better Stack failing),
    /// the answer says so in `X-Uptime-Bridge-Stale` and `Warning`, and is cached only briefly.
    static func json(_ bytes: [UInt8], maxAge: Int, freshness: [CacheFreshness] = []) -> Response {
        let stale = freshness.contains { if case .stale = $0 { true } else { false } }
        var response = Response.json(bytes, cacheControl: "public, max-age=\(stale ? min(maxAge, 5) : maxAge)")
        let label = stale ? "stale" : (freshness.contains(.miss) ? "miss" : (freshness.isEmpty ? "none" : "hit"))
        response.headers.add("X-Uptime-Bridge-Cache", label)
        if stale {
            response.headers.add("X-Uptime-Bridge-Stale", "true")
            response.headers.add("Warning", "110 - \"Response is Stale\"")
        }
        return response
    }
}
