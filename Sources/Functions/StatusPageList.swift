import BetterStack
import FastCGIRuntime
import TTLCache

/// `GET /status_pages` — the account's Better Stack status pages for Infinity tables: a top-level
/// array of flat objects, one per page, with its aggregate state and how many of its resources
/// are shown operational (one cached resource call per page, at most 8 at once; a page whose
/// call fails gets `null` counts). Empty while an allowlist is set (``UptimeData/statusPages()``).
public enum StatusPageList {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let data = try context.uptimeData()
        let list = try await data.statusPages()
        var freshness = [list.freshness]
        var counts: [String: (total: Int, operational: Int)] = [:]
        // The body never throws, so neither does the map.
        let loaded =
            (try? await concurrentMap(list.value) { page in
                (page.id, try? await data.statusPageResources(statusPageID: page.id))
            }) ?? []
        for (id, resources) in loaded {
            guard let resources else { continue }
            counts[id] = (resources.value.count, resources.value.filter { $0.status == "operational" }.count)
            freshness.append(resources.freshness)
        }

        var json = JSONWriter(capacity: 256 * list.value.count + 16)
        json.beginArray()
        for page in list.value {
            json.beginObject()
            json.key("id")
            json.string(page.id)
            json.key("name")
            MonitorList.nullable(&json, page.companyName)
            json.key("url")
            json.string(BetterStackFamilies.publicURL(page))
            json.key("aggregate_state")
            MonitorList.nullable(&json, page.aggregateState)
            json.key("up")
            json.int(page.aggregateState == "operational" ? 1 : 0)
            json.key("resources")
            if let count = counts[page.id] { json.int(count.total) } else { json.null() }
            json.key("resources_operational")
            if let count = counts[page.id] { json.int(count.operational) } else { json.null() }
            json.key("timezone")
            MonitorList.nullable(&json, page.timezone)
            json.key("updated_at")
            if let at = page.updatedAt { json.int(at) } else { json.null() }
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }
}
