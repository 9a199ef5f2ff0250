/// One monitored status page: an entry of the exporter's `services.json`.
public struct StatuspageService: Hashable, Sendable {
    /// The `services.json` key. It names the service's memory between runs (last good result,
    /// uptime history), as the exporter's cache files are named after it.
    public var key: String
    /// The `service_name` label.
    public var name: String
    /// The URL as configured: the exporter's full `…/api/v2/summary.json` URL, or a page's base
    /// URL such as `https://www.githubstatus.com`.
    public var url: String

    public init(key: String, name: String, url: String) {
        self.key = key
        self.name = name
        self.url = url
    }

    /// What the probe GETs: ``url`` itself when its path already names a `.json` endpoint (as in
    /// every exporter `services.json`), else ``url`` plus `/api/v2/summary.json`.
    public var summaryURL: String {
        let path = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        if path.hasSuffix(".json") { return url }
        return Self.trimmingTrailingSlashes(url) + "/api/v2/summary.json"
    }

    /// The page's base URL, by the exporter's rule: ``url`` with `/api/v2/summary.json` removed
    /// and trailing slashes stripped. Used for shortlinks missing from an incident
    /// (`<base>/incidents/<id>`).
    public var pageBaseURL: String {
        Self.trimmingTrailingSlashes(url.replacing("/api/v2/summary.json", with: ""))
    }

    private static func trimmingTrailingSlashes(_ text: String) -> String {
        var text = Substring(text)
        while text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }
}
