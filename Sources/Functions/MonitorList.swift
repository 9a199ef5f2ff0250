import BetterStack
import FastCGIRuntime

/// `GET /monitors[?availability=false]` — for Infinity tables: a top-level array of flat objects,
/// epoch milliseconds as integers.
///
/// `availability` is today's (UTC) availability percent per monitor, from one cached SLA call per
/// monitor (at most 8 at once); `availability=false` skips those calls.
public enum MonitorList {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let withAvailability = request.queryValue("availability").map { $0 != "false" && $0 != "0" } ?? true
        let data = try context.uptimeData()
        let list = try await data.monitors()
        var freshness = [list.freshness]
        var availability: [String: Double] = [:]
        if withAvailability {
            let today = UTCDay(epochMilliseconds: data.now())
            let results = await todaysAvailability(list.value, day: today, data: data)
            availability = results.values
            freshness.append(contentsOf: results.freshness)
        }

        var json = JSONWriter(capacity: 256 * list.value.count + 16)
        json.beginArray()
        for monitor in list.value {
            json.beginObject()
            json.member("id", monitor.id)
            json.member("name", monitor.pronounceableName)
            json.member("url", monitor.url)
            json.member("status", monitor.status.rawValue)
            json.member("up", monitor.status == .up ? 1 : 0)
            json.member("monitor_type", monitor.monitorType)
            json.member("check_frequency", monitor.checkFrequency)
            json.member("last_checked_at", monitor.lastCheckedAt)
            json.member("regions", monitor.regions.joined(separator: ","))
            json.member("paused", monitor.pausedAt != nil || monitor.status == .paused)
            if withAvailability {
                json.member("availability", availability[monitor.id])
            }
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }

    /// One SLA call per monitor for `day`, eight at a time; a monitor whose call fails gets no value
    /// rather than failing the whole list.
    static func todaysAvailability(
        _ monitors: [Monitor],
        day: UTCDay,
        data: UptimeData
    ) async -> (values: [String: Double], freshness: [TTLCacheFreshness]) {
        await eachAvailability(monitors.map(\.id)) { id in
            let sla = try await data.sla(monitorID: id, from: day, to: day)
            return (sla.value.availability, sla.freshness)
        }
    }

    /// `load` for every id, eight at a time (``concurrentMap``); an id whose load fails (or has no
    /// value) is left out rather than failing the whole list.
    static func eachAvailability(
        _ ids: [String],
        load: @escaping @Sendable (String) async throws -> (Double?, TTLCacheFreshness)
    ) async -> (values: [String: Double], freshness: [TTLCacheFreshness]) {
        // The body never throws, so neither does the map.
        let loaded = (try? await concurrentMap(ids) { id in (id, try? await load(id)) }) ?? []
        var values: [String: Double] = [:]
        var freshness: [TTLCacheFreshness] = []
        for (id, result) in loaded {
            guard let (value, fresh) = result else { continue }
            if let value { values[id] = value }
            freshness.append(fresh)
        }
        return (values, freshness)
    }
}

import TTLCache
typealias TTLCacheFreshness = CacheFreshness
