import BetterStack
import FastCGIRuntime

/// `GET /response_time?url=|monitor_id=|name=&region=us,eu&from=&to=&fields=&nodename=`
///
/// Drop-in for the Flask proxy: `[{"timestamp": <epoch ms>, "region": "us", "response_time": <s>}]`,
/// rows ascending in time (region code breaking ties). Unlike the proxy it searches every page of monitors,
/// matches regions exactly, honours `from`/`to` (and the seed's `range_from`/`range_to`), and adds the
/// four phase timings with `fields=phases` (or a list of their names).
public enum ResponseTime {
    static let phaseNames = ["name_lookup_time", "connection_time", "tls_handshake_time", "data_transfer_time"]

    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        if RequestParameters.isForOtherNode(request, context: context) { return RequestParameters.emptyArray }
        let selector = try RequestParameters.monitorSelector(request)
        let regions = try RequestParameters.regions(request)
        let range = try TimeParameter.range(of: request)
        let phases = try requestedPhases(request)
        let data = try context.uptimeData()

        let (monitor, list) = try await data.monitor(selector)
        let times = try await data.responseTimesEntry(monitorID: monitor.id)
        let freshness = [list.freshness, times.freshness]

        // Rows ascending in time, region code breaking ties: Infinity turns this long frame into one
        // series per region with the plugin SDK's LongToWide, which needs rows sorted by time and
        // silently keeps the long frame otherwise. The set of points is the seed proxy's.
        if phases.isEmpty || phases == phaseNames {
            // The usual answers: copied from the rows encoded once per cache entry.
            let bytes = times.value.encodedRows.answer(
                regions: regions, from: range.from, to: range.to, withPhases: !phases.isEmpty
            )
            return FunctionResponse.json(bytes, maxAge: 30, freshness: freshness)
        }
        let bytes = encode(times.value.model, regions: regions, from: range.from, to: range.to, phases: phases)
        return FunctionResponse.json(bytes, maxAge: 30, freshness: freshness)
    }

    /// The answer written row by row: for the phases in another order or a subset of them, and the
    /// reference ``ResponseTimeRows`` is tested against.
    static func encode(_ times: ResponseTimes, regions: Set<String>?, from: Int64?, to: Int64?, phases: [String]) -> [UInt8] {
        let selected = times.regions.filter { regions?.contains($0.region) ?? true }
            .sorted { $0.region < $1.region }
        let rows = Self.mergedByTime(selected.map { region in
            region.points.filter { point in
                (from.map { point.at >= $0 } ?? true) && (to.map { point.at <= $0 } ?? true)
            }
        })
        var json = JSONWriter(capacity: 64 * 1024)
        json.beginArray()
        for (regionIndex, point) in rows {
            writeRow(point, region: selected[regionIndex].region, phases: phases, into: &json)
        }
        json.endArray()
        return json.bytes
    }

    /// One row: `{"timestamp":…,"region":…,"response_time":…}` and the `phases` asked for (null
    /// when a point lacks one).
    static func writeRow(_ point: ResponseTimePoint, region: String, phases: [String], into json: inout JSONWriter) {
        json.beginObject()
        json.member("timestamp", point.at)
        json.member("region", region)
        json.member("response_time", point.responseTime)
        for phase in phases {
            json.member(phase, value(of: phase, in: point))
        }
        json.endObject()
    }

    /// The points of several series as one list ascending in time; equal times keep the order of
    /// the series, then each series' own order (a stable sort, whatever order upstream sent).
    static func mergedByTime(_ series: [[ResponseTimePoint]]) -> [(Int, ResponseTimePoint)] {
        var rows: [(Int, ResponseTimePoint)] = []
        rows.reserveCapacity(series.reduce(0) { $0 + $1.count })
        for (index, points) in series.enumerated() {
            for point in points { rows.append((index, point)) }
        }
        // Sorting by (time, series, position) is a stable merge of already sorted runs.
        var order = Array(rows.indices)
        order.sort { a, b in
            let (x, y) = (rows[a], rows[b])
            if x.1.at != y.1.at { return x.1.at < y.1.at }
            if x.0 != y.0 { return x.0 < y.0 }
            return a < b
        }
        return order.map { rows[$0] }
    }

    static func requestedPhases(_ request: Request) throws(HTTPError) -> [String] {
        let fields = request.queryValues("fields").flatMap { $0.split(separator: ",") }.map { String($0).trimmingSpaces }
        var result: [String] = []
        for field in fields where !field.isEmpty {
            if field == "phases" || field == "all" {
                result.append(contentsOf: phaseNames.filter { !result.contains($0) })
            } else if field == "response_time" || field == "timestamp" || field == "region" {
                continue
            } else if phaseNames.contains(field) {
                if !result.contains(field) { result.append(field) }
            } else {
                throw HTTPError(
                    400,
                    "unknown field \(field); use phases or \(phaseNames.joined(separator: ", "))",
                    extra: [("field", .string(field))]
                )
            }
        }
        return result
    }

    static func value(of phase: String, in point: ResponseTimePoint) -> Double? {
        switch phase {
        case "name_lookup_time": point.nameLookupTime
        case "connection_time": point.connectionTime
        case "tls_handshake_time": point.tlsHandshakeTime
        case "data_transfer_time": point.dataTransferTime
        default: nil
        }
    }
}
