import FastCGIRuntime

/// A Grafana target in the bridge's scheme: a metric name with optional label-style selectors,
/// `response_time{monitor="Example homepage",region="us",aggregate="p95"}` — the same shape for
/// SimpleJSON (text only) and the JSON datasource, whose `payload`/`data` object and ad hoc
/// `filters`/`adhocFilters` add selectors.
public struct Target: Sendable, Equatable {
    public var metric: String
    public var selectors: [String: String]

    public init(metric: String, selectors: [String: String] = [:]) {
        self.metric = metric
        self.selectors = selectors
    }

    /// Parses `metric` or `metric{key="value",…}` (values may also be unquoted).
    public static func parse(_ text: String) throws(HTTPError) -> Target {
        let trimmed = text.trimmingSpaces
        guard let open = trimmed.firstIndex(of: "{") else {
            guard !trimmed.isEmpty else { throw HTTPError(400, "empty target") }
            return Target(metric: trimmed)
        }
        guard trimmed.hasSuffix("}") else { throw malformed(text) }
        let metric = String(trimmed[..<open]).trimmingSpaces
        var body = Array(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        var selectors: [String: String] = [:]
        while !body.isEmpty {
            while let c = body.first, c == " " || c == "," { body.removeFirst() }
            if body.isEmpty { break }
            guard let eq = body.firstIndex(of: "=") else { throw malformed(text) }
            let key = String(body[..<eq]).trimmingSpaces
            body.removeSubrange(...eq)
            while let c = body.first, c == " " { body.removeFirst() }
            var value = ""
            if body.first == "\"" {
                body.removeFirst()
                var closed = false
                while !body.isEmpty {
                    let c = body.removeFirst()
                    if c == "\\", let next = body.first {
                        value.append(next)
                        body.removeFirst()
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { throw malformed(text) }
            } else {
                while let c = body.first, c != "," {
                    value.append(c)
                    body.removeFirst()
                }
                value = value.trimmingSpaces
            }
            guard !key.isEmpty else { throw malformed(text) }
            selectors[key] = value
        }
        guard !metric.isEmpty else { throw malformed(text) }
        return Target(metric: metric, selectors: selectors)
    }

    /// The canonical text, keys sorted: what `/search` lists and `parse` reads back.
    public var text: String {
        guard !selectors.isEmpty else { return metric }
        let inner = selectors.sorted { $0.key < $1.key }.map { key, value in
            let escaped = value.replacingOccurrences("\\", with: "\\\\").replacingOccurrences("\"", with: "\\\"")
            return "\(key)=\"\(escaped)\""
        }
        return metric + "{" + inner.joined(separator: ",") + "}"
    }

    private static func malformed(_ text: String) -> HTTPError {
        HTTPError(
            400,
            "malformed target; expected metric or metric{key=\"value\",…}",
            extra: [("target", .string(String(text.prefix(200))))]
        )
    }
}

extension String {
    func replacingOccurrences(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
