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
            json.member("id", page.id)
            json.member("name", page.companyName)
            json.member("url", BetterStackFamilies.publicURL(page))
            json.member("aggregate_state", page.aggregateState)
            json.member("up", page.aggregateState == "operational" ? 1 : 0)
            json.member("resources", counts[page.id]?.total)
            json.member("resources_operational", counts[page.id]?.operational)
            json.member("timezone", page.timezone)
            json.member("updated_at", page.updatedAt)
            json.endObject()
        }
        json.endArray()
        return FunctionResponse.json(json.bytes, maxAge: 30, freshness: freshness)
    }
}
