import BetterStack
import FastCGIRuntime

/// `GET /sla?url=|monitor_id=|name=&from=&to=&nodename=`
///
/// Drop-in for the Flask proxy's `{"availability": 99.97}`, plus `total_downtime`,
/// `number_of_incidents`, `longest_incident` and `average_incident` (seconds). `from`/`to` are passed
/// upstream as the UTC days they fall on; without them Better Stack summarises since the monitor
/// was created.
public enum SLA {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        if RequestParameters.isForOtherNode(request, context: context) { return RequestParameters.emptyArray }
        let selector = try RequestParameters.monitorSelector(request)
        let range = try TimeParameter.range(of: request)
        let data = try context.uptimeData()

        let (monitor, list) = try await data.monitor(selector)
        let from = range.from.map { UTCDay(epochMilliseconds: $0) }
        let to = range.to.map { UTCDay(epochMilliseconds: $0) }
        let sla = try await data.sla(monitorID: monitor.id, from: from, to: to)

        var json = JSONWriter()
        json.beginObject()
        json.member("availability", sla.value.availability)
        json.member("total_downtime", sla.value.totalDowntime)
        json.member("number_of_incidents", sla.value.numberOfIncidents)
        json.member("longest_incident", sla.value.longestIncident)
        json.member("average_incident", sla.value.averageIncident)
        json.endObject()
        return FunctionResponse.json(json.bytes, maxAge: 60, freshness: [list.freshness, sla.freshness])
    }
}
