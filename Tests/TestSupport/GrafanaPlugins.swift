import Foundation

/// Request bodies built exactly as the Grafana plugins build them, so tests send what Grafana sends.
/// Each builder cites the plugin file and lines it follows:
/// - simPod/GrafanaJsonDatasource v0.6.5 (`simpod-json-datasource`),
/// - grafana/simple-json-datasource 1.4.3 (commit bcc55e72, `src/datasource.js`),
/// - grafana/grafana-infinity-datasource v3.11.1.
/// Grafana core's template service is modelled by ``TemplateVariables``.

/// Grafana's template service (`templateSrv.replace(text, scopedVars, format)`) for the formats the
/// plugins use. Core `formatValue`: `regex` escapes each value with `kbn.regexEscape`
/// (`/[\\^$*+?.()|[\]{}\/]/g` → `\\$&`) and joins several as `(a|b)`; `glob` joins several as
/// `{a,b}`; `json` is `JSON.stringify`. A custom "All" value is inserted raw, unformatted.
public struct TemplateVariables: Sendable {
    public enum Format: Sendable { case regex, glob, json }

    /// Selected values of each variable (several for multi-value or "All").
    public var values: [String: [String]]
    /// Variables set to "All" with a custom all value (inserted as is).
    public var customAll: [String: String]
    /// `${__from}` / `${__to}` in epoch milliseconds.
    public var from: Int64
    public var to: Int64

    public init(_ values: [String: [String]] = [:], customAll: [String: String] = [:], from: Int64 = 0, to: Int64 = 0) {
        self.values = values
        self.customAll = customAll
        self.from = from
        self.to = to
    }

    public static func regexEscape(_ value: String) -> String {
        var out = ""
        for c in value {
            if "\\^$*+?.()|[]{}/".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    func formatted(_ name: String, _ format: Format) -> String? {
        if name == "__from" { return String(from) }
        if name == "__to" { return String(to) }
        if let custom = customAll[name] { return custom }
        guard let values = values[name] else { return nil }
        switch format {
        case .regex:
            let escaped = values.map(Self.regexEscape)
            return escaped.count == 1 ? escaped[0] : "(" + escaped.joined(separator: "|") + ")"
        case .glob:
            return values.count == 1 ? values[0] : "{" + values.joined(separator: ",") + "}"
        case .json:
            let data = try! JSONSerialization.data(withJSONObject: values.count == 1 ? values[0] : values, options: [.fragmentsAllowed])
            return String(decoding: data, as: UTF8.self)
        }
    }

    /// Replaces `$name`, `${name}` and `[[name]]` (core's variable regex).
    public func replace(_ text: String, _ format: Format) -> String {
        var out = ""
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if chars[i] == "$" {
                var j = i + 1
                var braced = false
                if j < chars.count, chars[j] == "{" {
                    braced = true
                    j += 1
                }
                var name = ""
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" {
                    name.append(chars[j])
                    j += 1
                }
                if braced {
                    if j < chars.count, chars[j] == "}" { j += 1 } else { name = "" }
                }
                if !name.isEmpty, let value = formatted(name, format) {
                    out += value
                    i = j
                    continue
                }
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }
}

/// simPod/GrafanaJsonDatasource v0.6.5.
public enum SimPodJSON {
    /// Grafana's TimeRange as JSON: ISO strings and the raw range (`range` of every request).
    public static func range(from: Int64, to: Int64) -> [String: Any] {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        func iso(_ ms: Int64) -> String { f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)) }
        return ["from": iso(from), "to": iso(to), "raw": ["from": "now-6h", "to": "now"]]
    }

    /// `POST /variable`: `src/variable/VariableSupport.ts` l.22-52 (`format === 'json'` → the
    /// json-interpolated query parsed as the payload, else `{ target: replace(query.query, 'regex') }`)
    /// and `src/MetricFindQuery.ts` l.24-35 (`data: { payload: this.query, range: timeRange }`).
    /// A saved query without `query` (the legacy `{payload: …}` shape) interpolates to `""`.
    public static func variableBody(savedQuery: [String: Any], variables: TemplateVariables, from: Int64, to: Int64) throws
        -> [String: Any]
    {
        let query = savedQuery["query"] as? String ?? ""
        let payload: Any
        if savedQuery["format"] as? String == "json" {
            payload = try JSONSerialization.jsonObject(with: Data(variables.replace(query, .json).utf8))
        } else {
            payload = ["target": variables.replace(query, .regex)]
        }
        return ["payload": payload, "range": range(from: from, to: to)]
    }

    /// `processPayload` (`src/DataSource.ts` l.230-257): a string payload outside the builder is
    /// interpolated variable by variable in the json format (a quoted result unquoted, `cleanMatch`)
    /// and parsed, `{}` on failure; an object payload (builder) has each top-level value
    /// `toString()`-ed and regex-interpolated, arrays item by item.
    public static func processPayload(_ payload: Any?, editorMode: String?, variables: TemplateVariables) -> Any {
        if let text = payload as? String, editorMode != "builder" {
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return [String: Any]() }
            var out = ""
            let chars = Array(text)
            var i = 0
            while i < chars.count {
                if chars[i] == "$" {
                    var j = i + 1
                    var name = ""
                    let braced = j < chars.count && chars[j] == "{"
                    if braced { j += 1 }
                    while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" {
                        name.append(chars[j])
                        j += 1
                    }
                    if braced, j < chars.count, chars[j] == "}" { j += 1 }
                    if !name.isEmpty, let replaced = variables.formatted(name, .json) {
                        if replaced.hasPrefix("\""), replaced.hasSuffix("\""),
                            let unquoted = try? JSONSerialization.jsonObject(with: Data(replaced.utf8), options: [.fragmentsAllowed])
                                as? String
                        {
                            out += unquoted
                        } else {
                            out += replaced
                        }
                        i = j
                        continue
                    }
                }
                out.append(chars[i])
                i += 1
            }
            return (try? JSONSerialization.jsonObject(with: Data(out.utf8))) ?? [String: Any]()
        }
        guard let object = payload as? [String: Any] else { return [String: Any]() }
        var result: [String: Any] = [:]
        for (key, value) in object {
            if let array = value as? [Any] {
                result[key] = array.map { variables.replace("\($0)", .regex) }
            } else {
                result[key] = variables.replace("\(value)", .regex)
            }
        }
        return result
    }

    /// `POST /query`: `query()` and `processTargets`/`processTarget` (`src/DataSource.ts` l.63-85,
    /// 259-279): Grafana's whole request, targets without `target` dropped, `target` regex-
    /// interpolated, payload through ``processPayload(_:editorMode:variables:)``; ad hoc filters in
    /// `filters` (Grafana core `request.filters`).
    public static func queryBody(
        targets: [[String: Any]],
        variables: TemplateVariables,
        from: Int64,
        to: Int64,
        intervalMs: Int = 60_000,
        maxDataPoints: Int = 800,
        filters: [[String: Any]] = []
    ) -> [String: Any] {
        let processed: [[String: Any]] = targets.compactMap { saved in
            guard let target = saved["target"] as? String else { return nil }
            var query = saved
            query["payload"] = processPayload(saved["payload"] ?? "", editorMode: saved["editorMode"] as? String, variables: variables)
            query["target"] = variables.replace(target, .regex)
            return query
        }
        var body: [String: Any] = [
            "app": "dashboard", "requestId": "Q1", "timezone": "browser", "panelId": 1,
            "range": range(from: from, to: to), "rangeRaw": ["from": "now-6h", "to": "now"],
            "interval": "\(intervalMs / 1000)s", "intervalMs": intervalMs, "maxDataPoints": maxDataPoints,
            "targets": processed, "startTime": to,
            "scopedVars": ["__interval": ["text": "\(intervalMs / 1000)s", "value": "\(intervalMs / 1000)s"]],
        ]
        if !filters.isEmpty { body["filters"] = filters }
        return body
    }

    /// Annotations: v0.6.5 has no annotation code (`annotations = {}`, `src/DataSource.ts` l.87);
    /// Grafana's standard annotation support sends the annotation's target to `query()` as
    /// `targets: [{ ...query, refId: 'Anno' }]`.
    public static func annotationBody(target: [String: Any], variables: TemplateVariables, from: Int64, to: Int64) -> [String: Any] {
        var anno = target
        anno["refId"] = "Anno"
        return queryBody(targets: [anno], variables: variables, from: from, to: to)
    }

    /// `POST /metrics`: `listMetrics` (`src/DataSource.ts` l.163-195): `{}` from the code editor,
    /// `{metric, payload}` from the builder (metric regex-interpolated, payload as the builder's).
    public static func metricsBody(metric: String?, payload: [String: Any]?, variables: TemplateVariables) -> [String: Any] {
        var body: [String: Any] = [:]
        if let metric, !metric.isEmpty { body["metric"] = variables.replace(metric, .regex) }
        if let payload { body["payload"] = processPayload(payload, editorMode: "builder", variables: variables) }
        return body
    }

    /// `POST /metric-payload-options`: `listMetricPayloadOptions` (`src/DataSource.ts` l.139-161):
    /// `{metric, payload, name}`, the metric not interpolated.
    public static func metricPayloadOptionsBody(name: String, metric: String, payload: [String: Any], variables: TemplateVariables)
        -> [String: Any]
    {
        ["metric": metric, "payload": processPayload(payload, editorMode: "builder", variables: variables), "name": name]
    }
}

/// grafana/simple-json-datasource 1.4.3 (`src/datasource.js`).
public enum SimpleJSON {
    /// `POST /search`: `metricFindQuery` l.74-84, `{ target: replace(query, null, 'regex') }`.
    public static func searchBody(_ query: String, variables: TemplateVariables) -> [String: Any] {
        ["target": variables.replace(query, .regex)]
    }

    /// `POST /query`: `query`/`buildQueryParameters` l.19-38, 104-122: targets reduced to
    /// `{target, refId, hide, type: type || 'timeserie'}` (hidden and placeholder ones removed),
    /// `adhocFilters` added.
    public static func queryBody(
        targets: [[String: Any]],
        variables: TemplateVariables,
        from: Int64,
        to: Int64,
        adhocFilters: [[String: Any]] = [],
        maxDataPoints: Int = 800
    ) -> [String: Any] {
        let kept = targets.filter { ($0["target"] as? String) != "select metric" && ($0["hide"] as? Bool) != true }
        return [
            "panelId": 1, "range": SimPodJSON.range(from: from, to: to), "rangeRaw": ["from": "now-6h", "to": "now"],
            "interval": "1m", "intervalMs": 60_000, "format": "json", "maxDataPoints": maxDataPoints,
            "targets": kept.map { target -> [String: Any] in
                [
                    "target": variables.replace(target["target"] as? String ?? "", .regex),
                    "refId": target["refId"] ?? "A", "hide": target["hide"] ?? false, "type": target["type"] ?? "timeserie",
                ]
            },
            "adhocFilters": adhocFilters,
        ]
    }

    /// `POST /annotations`: `annotationQuery` l.51-72: the query glob-interpolated, the annotation
    /// object with exactly `name, datasource, enable, iconColor, query`.
    public static func annotationsBody(name: String, query: String, variables: TemplateVariables, from: Int64, to: Int64)
        -> [String: Any]
    {
        [
            "range": SimPodJSON.range(from: from, to: to),
            "annotation": [
                "name": name, "datasource": "uptime-bridge", "enable": true, "iconColor": "rgba(255, 96, 96, 1)",
                "query": variables.replace(query, .glob),
            ],
            "rangeRaw": ["from": "now-6h", "to": "now"],
        ]
    }
}

/// grafana/grafana-infinity-datasource v3.11.1.
public enum Infinity {
    /// The URL an Infinity JSON/URL query fetches: `url` and each `url_options.params` value
    /// interpolated with the glob format (`src/interpolate.ts` l.8-33; `${__from}`/`${__to}` in epoch
    /// ms), joined to the datasource URL, the parameters re-encoded and sorted by key
    /// (`pkg/infinity/request.go` l.56-91, `u.RawQuery = q.Encode()`).
    public static func url(base: String, target: [String: Any], variables: TemplateVariables) -> String {
        let path = variables.replace(target["url"] as? String ?? "", .glob)
        let params = ((target["url_options"] as? [String: Any])?["params"] as? [[String: String]]) ?? []
        var pairs = params.map { ($0["key"] ?? "", variables.replace($0["value"] ?? "", .glob)) }
        pairs.sort { $0.0 < $1.0 }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let query = pairs.map { key, value in
            (key.addingPercentEncoding(withAllowedCharacters: allowed) ?? key) + "="
                + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)
        }.joined(separator: "&")
        return base + path + (query.isEmpty ? "" : "?" + query)
    }

    /// Whether a long frame of `rows` (objects with `time`, a string factor and values) can become
    /// one series per factor value: the plugin SDK's `data.LongToWide` (grafana-plugin-sdk-go
    /// v0.292.2 `data/time_series.go` l.323-324) refuses rows not ascending by time, and Infinity
    /// (`pkg/infinity/postprocess.go` l.57-61) then silently keeps the long frame.
    public static func longToWideSeries(_ rows: [[String: Any]], time: String, factor: String) -> Set<String>? {
        var last = Int64.min
        var factors = Set<String>()
        for row in rows {
            guard let t = (row[time] as? NSNumber)?.int64Value else { return nil }
            if t < last { return nil }
            last = t
            if let f = row[factor] as? String { factors.insert(f) }
        }
        return factors
    }
}
