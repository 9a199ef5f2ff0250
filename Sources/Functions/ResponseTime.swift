import BetterStack
import FastCGIRuntime

/// `GET /response_time?url=|monitor_id=|name=&region=us,eu&from=&to=&fields=&nodename=`
///
/// Drop-in for the Flask proxy: `[{"timestamp": <epoch ms>, "region": "us", "response_time": <s>}]`,
/// regions in upstream order, points ascending. Unlike the proxy it searches every page of monitors,
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

        let (monitor, list) = try await UpstreamErrors.mapping { try await data.monitor(selector) }
        let times = try await UpstreamErrors.mapping { try await data.responseTimes(monitorID: monitor.id) }

        var json = JSONWriter(capacity: 64 * 1024)
        json.beginArray()
        for region in times.value.regions where regions?.contains(region.region) ?? true {
            for point in region.points {
                if let from = range.from, point.at < from { continue }
                if let to = range.to, point.at > to { continue }
                json.beginObject()
                json.key("timestamp")
                json.int(point.at)
                json.key("region")
                json.string(region.region)
                json.key("response_time")
                json.double(point.responseTime)
                for phase in phases {
                    json.key(phase)
                    if let value = value(of: phase, in: point) { json.double(value) } else { json.null() }
                }
                json.endObject()
            }
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: [list.freshness, times.freshness])
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
