import BetterStack
import FastCGIRuntime
import TTLCache

/// `POST /query` — SimpleJSON and the JSON datasource. Answers an array of time series
/// (`{"target", "datapoints": [[value, ms], …]}`) and tables (`{"type": "table", "columns", "rows"}`),
/// never more points per series than `maxDataPoints`, bucketed by `intervalMs`.
public enum Query {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        // 1. Parse and validate (bounded: targets, filters, times; see RequestLimits, InputBounds).
        let body = try JSONValue.parse(request.body)
        let query = try QueryRequest.parse(body, settings: context.services.settings)
        let limits = context.services.settings.limits
        let data = try context.uptimeData()

        // 2. Decide the answer's size before loading any data: every target's monitors and series
        //    are known from the (cached) monitor list.
        var plans: [Plan] = []
        var points = 0
        for item in query.targets {
            let metric = try Metric.named(item.target)
            let selection: Selection? =
                metric == .incidents
                ? nil
                : try await Selection.resolve(item.target, filters: query.filters, data: data)
            if selection?.heartbeats != nil, metric != .availability {
                throw HTTPError(
                    400,
                    "a heartbeat selector works with availability only (heartbeats have no response times)",
                    extra: [("target", .string(item.target.text))]
                )
            }
            let plan = Plan(item: item, metric: metric, selection: selection)
            points += plan.pointEstimate(query)
            plans.append(plan)
        }
        if points > limits.maxPoints {
            let series = max(1, plans.reduce(0) { $0 + $1.seriesCount })
            throw RequestLimits.refusal(
                "the answer would hold up to \(points) points, over the limit",
                key: "limits.max_points",
                limit: limits.maxPoints,
                fits: "maxDataPoints \(max(1, limits.maxPoints / series)) or less for these \(series) series, or fewer monitors"
            )
        }

        // 3. Load and shape.
        var json = JSONWriter(capacity: 16 * 1024)
        var answer = Answer(rowsLeft: limits.maxPoints - points)
        json.beginArray()
        for plan in plans {
            switch plan.metric {
            case .monitors:
                answer.freshness += monitorsTable(plan, into: &json)
            case .incidents:
                try await incidentsTable(plan.item, query: query, data: data, answer: &answer, into: &json)
            case .availability:
                try await availability(plan, query: query, data: data, answer: &answer, into: &json)
            default:
                answer.freshness += try await responseTimes(plan, query: query, data: data, into: &json)
            }
        }
        json.endArray()
        var response = FunctionResponse.json(json.bytes, maxAge: 30, freshness: answer.freshness)
        if !answer.periods.isEmpty {
            response.headers.set("X-Uptime-Bridge-Availability-Period", answer.periods.joined(separator: ","))
        }
        if answer.truncated { response.headers.set("X-Uptime-Bridge-Truncated", "true") }
        if answer.missingPeriods > 0 {
            // A partial answer: what a client can see of the periods left out.
            response.headers.set("X-Uptime-Bridge-Partial", "availability; missing=\(answer.missingPeriods)")
            context.logger.warning(
                "availability periods left out of an answer",
                metadata: ["missing": "\(answer.missingPeriods)", "first_error": "\(answer.missingReason)"]
            )
            context.services.telemetry.recordPartialAnswer(function: "/query", missing: answer.missingPeriods)
        }
        return response
    }

    /// One target with what it selects, resolved before any data is loaded.
    struct Plan {
        var item: QueryRequest.TargetRequest
        var metric: Metric
        var selection: Selection?

        /// Series this target answers (per monitor and region for response times).
        var seriesCount: Int {
            guard let selection else { return 0 }
            if let heartbeats = selection.heartbeats { return heartbeats.count }
            if metric.isResponseTime {
                return selection.monitors.reduce(0) { total, monitor in
                    total + monitor.regions.filter { selection.includes(region: $0) }.count
                }
            }
            return selection.monitors.count
        }

        /// The most points (or rows) this target can answer.
        func pointEstimate(_ query: QueryRequest) -> Int {
            guard let selection else { return 0 }
            switch metric {
            case .monitors:
                return selection.monitors.count
            case .availability:
                let days = AvailabilityPeriod.day.count(
                    first: UTCDay(epochMilliseconds: query.from),
                    last: UTCDay(epochMilliseconds: query.to)
                )
                return seriesCount * Int(min(Int64(query.maxDataPoints), days))
            default:
                let width = Downsampler.bucketWidth(
                    from: query.from, to: query.to, maxPoints: query.maxDataPoints, intervalMs: query.intervalMs)
                let buckets = Downsampler.distance(from: query.from, to: query.to) / UInt64(width) + 1
                return seriesCount * Int(min(UInt64(query.maxDataPoints), buckets))
            }
        }
    }

    /// What the targets add to the answer besides the JSON.
    struct Answer {
        var freshness: [CacheFreshness] = []
        /// Rows the data-dependent tables (incidents) may still add.
        var rowsLeft: Int
        var truncated = false
        /// The availability period of each availability target, when coarser than a day.
        var periods: [String] = []
        /// Availability periods whose SLA call failed and that the answer leaves out, and why the
        /// first one failed.
        var missingPeriods = 0
        var missingReason = ""
    }

    static func responseTimes(
        _ plan: Plan,
        query: QueryRequest,
        data: UptimeData,
        into json: inout JSONWriter
    ) async throws -> [CacheFreshness] {
        let item = plan.item
        let metric = plan.metric
        guard let selection = plan.selection else { return [] }
        let loaded = try await concurrentMap(selection.monitors) { monitor in
            (monitor, try await data.responseTimesEntry(monitorID: monitor.id))
        }
        var freshness = selection.freshness
        if item.isTable {
            beginTable(&json, refID: item.refID, [("Time", "time"), ("Monitor", "string"), ("Region", "string"), ("Value", "number")])
        }
        for (monitor, times) in loaded {
            freshness.append(times.freshness)
            for (index, region) in times.value.model.regions.enumerated() where selection.includes(region: region.region) {
                if item.isTable {
                    let series = downsampled(region.points, metric: metric, query: query, aggregate: selection.aggregate)
                    writeTableRows(&json, texts: [monitor.displayName, region.region], series)
                } else {
                    writeResponseTimeSeries(
                        &json,
                        name: "\(monitor.displayName) \(region.region)\(metric.seriesSuffix)",
                        refID: item.refID,
                        entry: times.value,
                        region: index,
                        metric: metric,
                        query: query,
                        aggregate: selection.aggregate
                    )
                }
            }
        }
        if item.isTable { endTable(&json) }
        return freshness
    }

    /// Availability per period: one SLA call per monitor and period in the range, the period being
    /// the finest that fits the request's upstream budget (``AvailabilityPeriod``); finished periods
    /// are cached for a week. Each point is stamped at the start of its period. A period coarser
    /// than a day is named in the series (`… availability (week)`) and in the
    /// `X-Uptime-Bridge-Availability-Period` header.
    static func availability(
        _ plan: Plan,
        query: QueryRequest,
        data: UptimeData,
        answer: inout Answer,
        into json: inout JSONWriter
    ) async throws {
        let item = plan.item
        guard let selection = plan.selection else { return }
        let first = UTCDay(epochMilliseconds: query.from)
        let last = UTCDay(epochMilliseconds: min(query.to, data.now()))
        let callsLeft = RequestBudget.current?.upstreamCallsLeft ?? Int.max
        // Monitors (Better Stack's SLA) or heartbeats (their availability): one call per subject
        // and period either way.
        struct Subject: Sendable {
            var name: String
            var load: @Sendable (UTCDay, UTCDay) async throws -> (value: Double?, freshness: CacheFreshness)
        }
        let subjects: [Subject]
        let kind: String
        if let heartbeats = selection.heartbeats {
            kind = "heartbeats"
            subjects = heartbeats.map { heartbeat in
                Subject(name: heartbeat.name ?? heartbeat.id) { first, last in
                    let loaded = try await data.heartbeatAvailability(heartbeatID: heartbeat.id, from: first, to: last)
                    return (loaded.value.availability, loaded.freshness)
                }
            }
        } else {
            kind = "monitors"
            subjects = selection.monitors.map { monitor in
                Subject(name: monitor.displayName) { first, last in
                    let sla = try await data.sla(monitorID: monitor.id, from: first, to: last)
                    return (sla.value.availability, sla.freshness)
                }
            }
        }
        guard
            let period = AvailabilityPeriod.finest(
                first: first, last: last, monitors: subjects.count, calls: callsLeft)
        else {
            throw RequestLimits.refusal(
                "availability of \(subjects.count) \(kind) needs at least one upstream call each, "
                    + "more than this request has left",
                key: "limits.upstream_calls",
                limit: RequestBudget.current?.limits.upstreamCalls ?? callsLeft,
                fits: "select at most \(callsLeft) \(kind)"
            )
        }
        let spans = period.spans(first: first, last: last)
        var freshness = selection.freshness
        let pairs = subjects.flatMap { subject in spans.map { (subject, $0) } }
        // One failed period (a 400 for a day upstream still thinks is in the future, a 429 past the
        // deadline, a budget refusal) is left out and reported; only when every one fails does the
        // series fail.
        let results = try await concurrentMap(pairs) { subject, span in
            await Result { try await subject.load(span.first, span.last) }
        }
        let failures = results.compactMap { result -> (any Error)? in
            if case .failure(let error) = result { return error }
            return nil
        }
        if let error = failures.first(where: { $0 is CancellationError }) { throw error }
        if !results.isEmpty, failures.count == results.count { throw failures[0] }
        if !failures.isEmpty {
            answer.missingPeriods += failures.count
            answer.missingReason = ErrorAnswers.httpError(for: failures[0]).message
        }
        let loaded: [(value: Double?, freshness: CacheFreshness)?] = results.map { try? $0.get() }
        if period != .day { answer.periods.append(period.rawValue) }
        if item.isTable {
            let column = selection.heartbeats == nil ? "Monitor" : "Heartbeat"
            beginTable(&json, refID: item.refID, [("Time", "time"), (column, "string"), ("Availability", "number")])
        }
        let suffix = period == .day ? "" : " (\(period.rawValue))"
        for (index, subject) in subjects.enumerated() {
            let slice = loaded[(index * spans.count)..<((index + 1) * spans.count)]
            var points: [(time: Int64, value: Double)] = []
            for (offset, entry) in slice.enumerated() {
                guard let entry else { continue }
                freshness.append(entry.freshness)
                if let value = entry.value { points.append((spans[offset].first.startMilliseconds, value)) }
            }
            // Period starts fall before `from` for the first period; bucket from that period's start.
            let series = Downsampler.downsample(
                points,
                from: first.startMilliseconds,
                to: query.to,
                maxPoints: query.maxDataPoints,
                intervalMs: nil,
                aggregate: .avg
            )
            if item.isTable {
                writeTableRows(&json, texts: [subject.name], series)
            } else {
                writeSeries(&json, name: "\(subject.name) availability\(suffix)", refID: item.refID, series)
            }
        }
        if item.isTable { endTable(&json) }
        answer.freshness += freshness
    }

    static func monitorsTable(_ plan: Plan, into json: inout JSONWriter) -> [CacheFreshness] {
        guard let selection = plan.selection else { return [] }
        beginTable(
            &json,
            refID: plan.item.refID,
            [
                ("id", "string"), ("name", "string"), ("url", "string"), ("status", "string"), ("up", "number"),
                ("check_frequency", "number"), ("last_checked_at", "time"), ("regions", "string"),
            ]
        )
        for monitor in selection.monitors {
            json.beginArray()
            json.string(monitor.id)
            json.string(monitor.displayName)
            json.string(monitor.url)
            json.string(monitor.status.rawValue)
            json.int(monitor.status == .up ? 1 : 0)
            json.int(monitor.checkFrequency)
            json.int(monitor.lastCheckedAt)
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
        _ item: QueryRequest.TargetRequest,
        query: QueryRequest,
        data: UptimeData,
        answer: inout Answer,
        into json: inout JSONWriter
    ) async throws {
        var events = try await IncidentEvents.load(item.target, from: query.from, to: query.to, filters: query.filters, data: data)
        // Rows depend on the data: whatever the other targets left of limits.max_points, the most
        // recent first, and the answer says it was cut.
        if events.events.count > answer.rowsLeft {
            events.events.removeFirst(events.events.count - max(0, answer.rowsLeft))
            answer.truncated = true
        }
        answer.rowsLeft -= events.events.count
        beginTable(
            &json,
            refID: item.refID,
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
        answer.freshness += events.freshness
    }

    /// A table's rows for one series: `[time, texts…, value]` each.
    static func writeTableRows(_ json: inout JSONWriter, texts: [String], _ series: [(time: Int64, value: Double)]) {
        for point in series {
            json.beginArray()
            json.int(point.time)
            for text in texts { json.string(text) }
            json.double(point.value)
            json.endArray()
        }
    }

    /// One region's series of a response-time metric: the cached encoded points when the request's
    /// buckets would hold one point each (``EncodedSeries``, the same bytes), else bucketed here.
    static func writeResponseTimeSeries(
        _ json: inout JSONWriter,
        name: String,
        refID: String,
        entry: ResponseTimesEntry,
        region: Int,
        metric: Metric,
        query: QueryRequest,
        aggregate: Aggregate,
        encoded useEncoded: Bool = true
    ) {
        let width = Downsampler.width(from: query.from, to: query.to, maxPoints: query.maxDataPoints, intervalMs: query.intervalMs)
        if useEncoded,
            let points = entry.encodedSeries(region: region, metric: metric).points(from: query.from, to: query.to, width: width)
        {
            beginSeries(&json, name: name, refID: refID)
            json.rawElements(points)
            endSeries(&json)
            return
        }
        let points = entry.model.regions[region].points
        writeSeries(&json, name: name, refID: refID, downsampled(points, metric: metric, query: query, aggregate: aggregate))
    }

    static func downsampled(
        _ points: [ResponseTimePoint],
        metric: Metric,
        query: QueryRequest,
        aggregate: Aggregate
    ) -> [(time: Int64, value: Double)] {
        Downsampler.downsample(
            points.compactMap { point in metric.value(point).map { (time: point.at, value: $0) } },
            from: query.from,
            to: query.to,
            maxPoints: query.maxDataPoints,
            intervalMs: query.intervalMs,
            aggregate: aggregate
        )
    }

    /// One time series, carrying its target's `refId` (Grafana copies it onto the frame).
    static func writeSeries(_ json: inout JSONWriter, name: String, refID: String, _ series: [(time: Int64, value: Double)]) {
        beginSeries(&json, name: name, refID: refID)
        for point in series { json.pair(point.value, point.time) }
        endSeries(&json)
    }

    /// `{"target":…,"refId":…,"datapoints":[` — the points follow, then ``endSeries(_:)``.
    static func beginSeries(_ json: inout JSONWriter, name: String, refID: String) {
        json.beginObject()
        json.member("target", name)
        json.member("refId", refID)
        json.key("datapoints")
        json.beginArray()
    }

    static func endSeries(_ json: inout JSONWriter) {
        json.endArray()
        json.endObject()
    }

    /// Opens `{"type":"table","refId":…,"columns":[…],"rows":[` — rows follow, then ``endTable(_:)``.
    static func beginTable(_ json: inout JSONWriter, refID: String, _ columns: [(String, String)]) {
        json.beginObject()
        json.member("type", "table")
        json.member("refId", refID)
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
            json.member("text", text)
            json.member("type", type)
            json.endObject()
        }
        json.endArray()
    }
}
