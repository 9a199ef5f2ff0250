import BetterStack
import FastCGIRuntime
import TTLCache

/// `POST /query` — SimpleJSON and the JSON datasource. Answers an array of time series
/// (`{"target", "datapoints": [[value, ms], …]}`) and tables (`{"type": "table", "columns", "rows"}`),
/// never more points per series than `maxDataPoints`, bucketed by `intervalMs`.
public enum Query {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let body = try JSONValue.parse(request.body)
        let query = try QueryRequest.parse(body, settings: context.services.settings)
        let data = try context.uptimeData()

        var json = JSONWriter(capacity: 16 * 1024)
        var freshness: [CacheFreshness] = []
        json.beginArray()
        for item in query.targets {
            let metric = try Metric.named(item.target)
            do {
                switch metric {
                case .monitors:
                    freshness += try await monitorsTable(item.target, query: query, data: data, into: &json)
                case .incidents:
                    freshness += try await incidentsTable(item.target, query: query, data: data, into: &json)
                case .availability:
                    freshness += try await availability(item, query: query, data: data, into: &json)
                default:
                    freshness += try await responseTimes(metric, item, query: query, data: data, into: &json)
                }
            } catch {
                throw UpstreamErrors.httpError(for: error)
            }
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }

    static func responseTimes(
        _ metric: Metric,
        _ item: QueryRequest.TargetRequest,
        query: QueryRequest,
        data: UptimeData,
        into json: inout JSONWriter
    ) async throws -> [CacheFreshness] {
        let selection = try await Selection.resolve(item.target, filters: query.filters, data: data)
        let loaded = try await concurrentMap(selection.monitors) { monitor in
            (monitor, try await data.responseTimes(monitorID: monitor.id))
        }
        var freshness = selection.freshness
        if item.isTable {
            beginTable(&json, refID: item.refID, [("Time", "time"), ("Monitor", "string"), ("Region", "string"), ("Value", "number")])
        }
        for (monitor, times) in loaded {
            freshness.append(times.freshness)
            for region in times.value.regions where selection.includes(region: region.region) {
                let points = region.points.compactMap { point in metric.value(point).map { (time: point.at, value: $0) } }
                let series = Downsampler.downsample(
                    points,
                    from: query.from,
                    to: query.to,
                    maxPoints: query.maxDataPoints,
                    intervalMs: query.intervalMs,
                    aggregate: selection.aggregate
                )
                if item.isTable {
                    for point in series {
                        json.beginArray()
                        json.int(point.time)
                        json.string(monitor.displayName)
                        json.string(region.region)
                        json.double(point.value)
                        json.endArray()
                    }
                } else {
                    writeSeries(&json, name: "\(monitor.displayName) \(region.region)\(metric.seriesSuffix)", series)
                }
            }
        }
        if item.isTable { endTable(&json) }
        return freshness
    }

    /// Per-day availability: one SLA call per monitor and UTC day in the range (finished days are
    /// cached for a week), stamped at the start of each day.
    static func availability(
        _ item: QueryRequest.TargetRequest,
        query: QueryRequest,
        data: UptimeData,
        into json: inout JSONWriter
    ) async throws -> [CacheFreshness] {
        let first = UTCDay(epochMilliseconds: query.from)
        let last = UTCDay(epochMilliseconds: min(query.to, data.now()))
        let dayCount = max(0, Int(last.daysSinceEpoch - first.daysSinceEpoch) + 1)
        guard dayCount <= 400 else {
            throw HTTPError(400, "per-day availability covers at most 400 days; narrow the time range")
        }
        let days = (0..<dayCount).map { first.adding(days: $0) }
        let selection = try await Selection.resolve(item.target, filters: query.filters, data: data)
        var freshness = selection.freshness
        let pairs = selection.monitors.flatMap { monitor in days.map { (monitor, $0) } }
        let slas = try await concurrentMap(pairs) { monitor, day in
            try await data.sla(monitorID: monitor.id, from: day, to: day)
        }
        if item.isTable {
            beginTable(&json, refID: item.refID, [("Time", "time"), ("Monitor", "string"), ("Availability", "number")])
        }
        for (index, monitor) in selection.monitors.enumerated() {
            let slice = slas[(index * dayCount)..<((index + 1) * dayCount)]
            var points: [(time: Int64, value: Double)] = []
            for (offset, sla) in slice.enumerated() {
                freshness.append(sla.freshness)
                if let value = sla.value.availability { points.append((days[offset].startMilliseconds, value)) }
            }
            // Day starts fall before `from` for the first day; bucket from that day's start.
            let series = Downsampler.downsample(
                points,
                from: first.startMilliseconds,
                to: query.to,
                maxPoints: query.maxDataPoints,
                intervalMs: nil,
                aggregate: .avg
            )
            if item.isTable {
                for point in series {
                    json.beginArray()
                    json.int(point.time)
                    json.string(monitor.displayName)
                    json.double(point.value)
                    json.endArray()
                }
            } else {
                writeSeries(&json, name: "\(monitor.displayName) availability", series)
            }
        }
        if item.isTable { endTable(&json) }
        return freshness
    }

    static func monitorsTable(
        _ target: Target,
        query: QueryRequest,
        data: UptimeData,
        into json: inout JSONWriter
    ) async throws -> [CacheFreshness] {
        let selection = try await Selection.resolve(target, filters: query.filters, data: data)
        beginTable(
            &json,
            refID: nil,
            [
                ("id", "string"), ("name", "string"), ("url", "string"), ("status", "string"), ("up", "number"),
                ("check_frequency", "number"), ("last_checked_at", "time"), ("regions", "string"),
            ]
        )
        for monitor in selection.monitors {
            json.beginArray()
            json.string(monitor.id)
            json.string(monitor.displayName)
            MonitorList.nullable(&json, monitor.url)
            json.string(monitor.status.rawValue)
            json.int(monitor.status == .up ? 1 : 0)
            if let f = monitor.checkFrequency { json.int(f) } else { json.null() }
            if let at = monitor.lastCheckedAt { json.int(at) } else { json.null() }
            json.string(monitor.regions.joined(separator: ","))
            json.endArray()
        }
        endTable(&json)
        return selection.freshness
    }

    /// Incidents as a table whose columns carry the names Grafana's annotation mapping looks for
    /// (`time`, `timeEnd`, `title`, `text`, `tags`), so the JSON datasource can use `/query` for
    /// annotations.
    static func incidentsTable(
        _ target: Target,
        query: QueryRequest,
        data: UptimeData,
        into json: inout JSONWriter
    ) async throws -> [CacheFreshness] {
        let events = try await IncidentEvents.load(target, from: query.from, to: query.to, filters: query.filters, data: data)
        beginTable(
            &json,
            refID: nil,
            [
                ("time", "time"), ("timeEnd", "time"), ("title", "string"), ("text", "string"), ("tags", "string"),
                ("id", "string"), ("monitor", "string"), ("status", "string"),
            ]
        )
        for event in events.events {
            json.beginArray()
            json.int(event.start)
            json.int(event.end)
            json.string(event.title)
            json.string(event.text)
            json.string(event.tags.joined(separator: ","))
            json.string(event.id)
            json.string(event.monitor)
            json.string(event.status)
            json.endArray()
        }
        endTable(&json)
        return events.freshness
    }

    static func writeSeries(_ json: inout JSONWriter, name: String, _ series: [(time: Int64, value: Double)]) {
        json.beginObject()
        json.key("target")
        json.string(name)
        json.key("datapoints")
        json.beginArray()
        for point in series {
            json.beginArray()
            json.double(point.value)
            json.int(point.time)
            json.endArray()
        }
        json.endArray()
        json.endObject()
    }

    /// Opens `{"type":"table","refId":…,"columns":[…],"rows":[` — rows follow, then ``endTable(_:)``.
    static func beginTable(_ json: inout JSONWriter, refID: String?, _ columns: [(String, String)]) {
        json.beginObject()
        json.key("type")
        json.string("table")
        if let refID {
            json.key("refId")
            json.string(refID)
        }
        tableColumns(&json, columns)
        json.key("rows")
        json.beginArray()
    }

    static func endTable(_ json: inout JSONWriter) {
        json.endArray()
        json.endObject()
    }

    static func tableColumns(_ json: inout JSONWriter, _ columns: [(String, String)]) {
        json.key("columns")
        json.beginArray()
        for (text, type) in columns {
            json.beginObject()
            json.key("text")
            json.string(text)
            json.key("type")
            json.string(type)
            json.endObject()
        }
        json.endArray()
    }
}
