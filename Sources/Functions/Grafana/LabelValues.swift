import BetterStack
import FastCGIRuntime

/// What the metric pickers, variables and ad hoc filters list: label values and targets.
enum LabelValues {
    static let statuses = ["up", "down", "paused", "pending", "maintenance", "validating"]

    /// `label_values(x)`, `metrics()`, or the target list filtered by `text`.
    static func answer(_ text: String, data: UptimeData) async throws -> [String] {
        if text.hasPrefix("label_values("), text.hasSuffix(")") {
            let name = String(text.dropFirst("label_values(".count).dropLast()).trimmingSpaces
            return try await labelValues(name, data: data)
        }
        if text == "metrics()" { return Metric.allCases.map(\.rawValue) }
        let monitors = try await data.monitors().value
        var targets = Metric.allCases.map(\.rawValue)
        for monitor in monitors {
            for metric in [Metric.responseTime, .availability] {
                targets.append(Target(metric: metric.rawValue, selectors: ["monitor": Selector(.equal, monitor.displayName)]).text)
            }
        }
        guard !text.isEmpty, text != "*" else { return targets }
        let needle = text.lowercased()
        return targets.filter { $0.lowercased().contains(needle) }
    }

    static func labelValues(_ name: String, data: UptimeData) async throws -> [String] {
        switch name {
        case "monitor": return try await data.monitors().value.map(\.displayName)
        case "region": return ["us", "eu", "as", "au"]
        case "status": return statuses
        case "aggregate": return Aggregate.allCases.map(\.rawValue)
        case "metric", "__name__": return Metric.allCases.map(\.rawValue)
        default:
            throw HTTPError(400, "unknown label \(name); use monitor, region, status or aggregate", extra: [("label", .string(name))])
        }
    }
}
