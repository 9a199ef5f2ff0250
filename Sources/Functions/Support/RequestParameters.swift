import BetterStack
import FastCGIRuntime

/// Parameters shared by the Infinity-style GET functions.
enum RequestParameters {
    static let regions: Set<String> = ["us", "eu", "as", "au"]

    /// The monitor a request names with `monitor_id`, `url` or `name` (in that order of precedence).
    static func monitorSelector(_ request: Request) throws(HTTPError) -> MonitorSelector {
        if let id = request.queryValue("monitor_id"), !id.isEmpty { return .id(id) }
        if let url = request.queryValue("url"), !url.isEmpty { return .url(url) }
        if let name = request.queryValue("name"), !name.isEmpty { return .name(name) }
        throw HTTPError(400, "one of url, monitor_id or name is required")
    }

    /// `region=us,eu` or `region=us&region=eu`; each must be one of Better Stack's region codes.
    /// Nil means every region.
    static func regions(_ request: Request) throws(HTTPError) -> Set<String>? {
        let values = request.queryValues("region").flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces }
            .filter { !$0.isEmpty }
        if values.isEmpty { return nil }
        for value in values where !regions.contains(value) {
            throw HTTPError(
                400,
                "unknown region \(value); use us, eu, as or au",
                extra: [("region", .string(value))]
            )
        }
        return Set(values)
    }

    /// The seed's multi-host convention: a `nodename` that is not this node's name gets `[]`.
    static func isForOtherNode(_ request: Request, context: FunctionContext) -> Bool {
        guard let nodename = request.queryValue("nodename"), !nodename.isEmpty else { return false }
        return nodename != context.services.settings.nodeName
    }

    static let emptyArray = Response.json(Array("[]".utf8), cacheControl: "public, max-age=60")
}
