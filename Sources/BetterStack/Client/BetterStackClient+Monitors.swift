extension BetterStackClient {
    /// All monitors, across all pages (`GET /api/v2/monitors`).
    ///
    /// - Parameters:
    ///   - url: only monitors whose URL is exactly this. Sent upstream as a filter and checked
    ///     again here, because whether upstream matches exactly is not documented.
    ///   - pronounceableName: only monitors with exactly this name (same treatment).
    ///   - perPage: page size, 1…250 (upstream default 50).
    public func monitors(url: String? = nil, pronounceableName: String? = nil, perPage: Int = 250) async throws
        -> [Monitor]
    {
        var query: [(String, String)] = [Self.perPage(perPage)]
        if let url { query.append(("url", url)) }
        if let pronounceableName { query.append(("pronounceable_name", pronounceableName)) }
        let all = try await getAllPages(Monitor.self, endpoint: "monitors", path: "/api/v2/monitors", query: query)
        return all.filter { monitor in
            (url == nil || monitor.url == url)
                && (pronounceableName == nil || monitor.pronounceableName == pronounceableName)
        }
    }

    /// The first monitor whose URL is exactly `url`, paging only as far as needed; `nil` if none.
    ///
    /// This is how the original proxy found its monitor. It does not send the `url` filter, so it
    /// works the same against servers that ignore or loosely match it.
    public func firstMonitor(withURL url: String, perPage: Int = 250) async throws -> Monitor? {
        let query = [Self.perPage(perPage)]
        let scanned = try await getAllPages(
            Monitor.self,
            endpoint: "monitors",
            path: "/api/v2/monitors",
            query: query,
            shouldContinue: { monitors in !monitors.contains { $0.url == url } }
        )
        return scanned.first { $0.url == url }
    }

    /// One monitor (`GET /api/v2/monitors/{id}`); ``BetterStackError/notFound(_:)`` if unknown.
    public func monitor(id: String) async throws -> Monitor {
        let segment = try pathSegment(id, what: "monitor")
        return try await getResource(Monitor.self, endpoint: "monitor", path: "/api/v2/monitors/\(segment)")
    }

    /// The last 24 hours of response times, per region (`GET /api/v2/monitors/{id}/response-times`).
    /// Upstream takes no time range; filter the points yourself.
    public func responseTimes(monitorID: String) async throws -> ResponseTimes {
        let segment = try pathSegment(monitorID, what: "monitor")
        return try await getResource(
            ResponseTimes.self,
            endpoint: "response_times",
            path: "/api/v2/monitors/\(segment)/response-times"
        )
    }

    /// The availability summary (`GET /api/v2/monitors/{id}/sla?from=&to=`). Without `from` and
    /// `to` it covers the monitor's whole life. An invalid range is a
    /// ``BetterStackError/badRequest(_:)`` with upstream's message.
    public func sla(monitorID: String, from: UTCDay? = nil, to: UTCDay? = nil) async throws -> MonitorSLA {
        let segment = try pathSegment(monitorID, what: "monitor")
        let query = Self.dayRange(from: from, to: to)
        return try await getResource(
            MonitorSLA.self,
            endpoint: "sla",
            path: "/api/v2/monitors/\(segment)/sla",
            query: query
        )
    }
}
