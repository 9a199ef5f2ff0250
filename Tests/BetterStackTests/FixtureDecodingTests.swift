import BetterStack
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Every Better Stack fixture decodes with the right model")
struct FixtureDecodingTests {
    func list<R: Decodable & Sendable>(_ type: R.Type, _ name: String) throws -> ListDocument<R> {
        try JSONDecoder().decode(ListDocument<R>.self, from: Data(try Fixtures.bytes(name)))
    }

    func resource<R: Decodable & Sendable>(_ type: R.Type, _ name: String) throws -> R {
        try JSONDecoder().decode(ResourceDocument<R>.self, from: Data(try Fixtures.bytes(name))).data
    }

    @Test("monitors.json: list with pagination")
    func monitors() throws {
        let document = try list(Monitor.self, "monitors.json")
        #expect(document.data.count == 1)
        let monitor = try #require(document.data.first)
        #expect(monitor.id == "2")
        #expect(monitor.url == "https://uptime.betterstack.com")
        #expect(monitor.pronounceableName == "Uptime homepage")
        #expect(monitor.monitorType == "keyword")
        #expect(monitor.monitorGroupID == "12345")
        #expect(monitor.status == .up)
        #expect(monitor.checkFrequency == 30)
        #expect(monitor.regions == ["us", "eu", "as", "au"])
        #expect(monitor.port == nil)
        #expect(monitor.pausedAt == nil)
        #expect(monitor.lastCheckedAt == ISO8601Timestamp.parseMilliseconds("2020-09-01T14:17:46.000Z"))
        #expect(monitor.createdAt == 1_582_033_096_586)
        #expect(document.pagination?.next == "https://uptime.betterstack.com/api/v2/monitors?page=2")
        #expect(document.pagination?.prev == nil)
        #expect(document.pagination?.last == "https://uptime.betterstack.com/api/v2/monitors?page=16")
    }

    @Test("monitor.json: single monitor")
    func monitor() throws {
        let monitor = try resource(Monitor.self, "monitor.json")
        #expect(monitor.id == "123456789")
        #expect(monitor.teamName == "Test team")
        #expect(monitor.httpMethod == "get")
        #expect(monitor.requestTimeout == 15)
        #expect(monitor.updatedAt == ISO8601Timestamp.parseMilliseconds("2020-09-08T13:10:20.202Z"))
    }

    @Test("monitor-with-relationships.json: extra fields and relationships are ignored")
    func monitorWithRelationships() throws {
        let monitor = try resource(Monitor.self, "monitor-with-relationships.json")
        #expect(monitor.id == "1")
        #expect(monitor.pronounceableName == "MyWeirdExampleSite")
        #expect(monitor.monitorGroupID == nil)
        #expect(monitor.status == .up)
    }

    @Test("monitors-minimal-null-url.json: null url and missing fields")
    func nullURL() throws {
        let document = try list(Monitor.self, "monitors-minimal-null-url.json")
        #expect(document.data.map(\.id) == ["1", "2"])
        #expect(document.data[0].url == nil)
        #expect(document.data[1].url == "http://example.com")
        #expect(document.data[0].status == .unknown(""))
        #expect(document.data[0].regions.isEmpty)
        #expect(document.pagination?.next == nil)
    }

    @Test("response-times.json: per-region points with the four phases, in seconds")
    func responseTimes() throws {
        let times = try resource(ResponseTimes.self, "response-times.json")
        #expect(times.monitorID == "270985")
        #expect(times.regions.map(\.region) == ["us", "eu"])
        let us = try #require(times.region("us"))
        #expect(us.points.count == 3)
        let first = us.points[0]
        #expect(first.at == ISO8601Timestamp.parseMilliseconds("2025-04-03T11:00:57.000Z"))
        #expect(first.at == 1_743_678_057_000)
        #expect(first.responseTime == 0.47273)
        #expect(first.nameLookupTime == 2e-05)
        #expect(first.connectionTime == 0.14187)
        #expect(first.tlsHandshakeTime == 0.19929)
        #expect(first.dataTransferTime == 0.13154)
        let phases = [first.nameLookupTime, first.connectionTime, first.tlsHandshakeTime, first.dataTransferTime]
            .compactMap { $0 }.reduce(0, +)
        // The docs say the phases add up to the total; in their own example they do to within rounding.
        #expect(abs(phases - first.responseTime) < 1e-4)
        #expect(us.points.map(\.at) == us.points.map(\.at).sorted())
        #expect(times.region("EU")?.points.first?.responseTime == 0.60383)
    }

    @Test("Response-time points without phases or with bad entries still decode")
    func responseTimesLenient() throws {
        let json = #"""
            {"data":{"id":41,"type":"monitor_response_times","attributes":{"regions":[
              {"region":"us","response_times":[
                {"at":"2026-05-02T09:00:33Z","response_time":"0.5"},
                {"at":"not a date","response_time":0.1},
                {"at":"2026-05-02T09:00:03.1234567+02:00","response_time":0.25,"name_lookup_time":null}
              ]},
              {"region":"au","response_times":null}
            ]}}}
            """#
        let times = try JSONDecoder().decode(ResourceDocument<ResponseTimes>.self, from: Data(json.utf8)).data
        #expect(times.monitorID == "41")
        let us = try #require(times.region("us"))
        #expect(us.points.count == 2)
        // Sorted: 07:00:03.123Z comes before 09:00:33Z.
        #expect(us.points[0].at == ISO8601Timestamp.parseMilliseconds("2026-05-02T07:00:03.123Z"))
        #expect(us.points[0].nameLookupTime == nil)
        #expect(us.points[1].responseTime == 0.5)
        #expect(times.region("au")?.points.isEmpty == true)
    }

    @Test("sla.json: availability percent and seconds")
    func sla() throws {
        let sla = try resource(MonitorSLA.self, "sla.json")
        #expect(sla.subjectID == "258338")
        #expect(sla.availability == 99.98)
        #expect(sla.totalDowntime == 600)
        #expect(sla.numberOfIncidents == 3)
        #expect(sla.longestIncident == 300)
        #expect(sla.averageIncident == 200)
    }

    @Test("heartbeat-availability.json")
    func heartbeatAvailability() throws {
        let availability = try resource(HeartbeatAvailability.self, "heartbeat-availability.json")
        #expect(availability.subjectID == "824910")
        #expect(availability.availability == 99.98)
        #expect(availability.totalDowntime == 335)
        #expect(availability.numberOfIncidents == 5)
        #expect(availability.longestIncident == 194)
        #expect(availability.averageIncident == 67)
    }

    @Test("incidents-v3.json: typed metadata arrays, capitalised status, monitor relationship")
    func incidentsV3() throws {
        let document = try list(Incident.self, "incidents-v3.json")
        #expect(document.data.count == 2)
        let open = document.data[0]
        #expect(open.id == "25")
        #expect(open.status == .started)
        #expect(open.isOpen)
        #expect(open.monitorID == "2")
        #expect(open.cause == "Status 404")
        #expect(open.name == "uptime homepage")
        #expect(open.url == "https://uptime.betterstack.com/")
        #expect(open.regions == ["us", "eu", "as", "au"])
        #expect(open.startedAt == ISO8601Timestamp.parseMilliseconds("2020-03-09T17:37:56.662Z"))
        #expect(open.resolvedAt == nil)
        #expect(open.metadata["Response code"] == [IncidentMetadataValue(type: "String", value: "404")])
        #expect(open.metadataText == ["Request duration": "0.036304", "Response code": "404"])
        let resolved = document.data[1]
        #expect(resolved.status == .resolved)
        #expect(!resolved.isOpen)
        #expect(resolved.monitorID == nil)
        #expect(resolved.url == nil)
        #expect(resolved.regions.isEmpty)
        #expect(resolved.acknowledgedBy == "John Smith")
        #expect(resolved.acknowledgedAt == ISO8601Timestamp.parseMilliseconds("2020-03-04T13:32:14.121Z"))
        #expect(resolved.resolvedAt == ISO8601Timestamp.parseMilliseconds("2020-03-04T14:21:17.137Z"))
        #expect(resolved.metadata.isEmpty)
        #expect(document.pagination?.next == nil)
    }

    @Test("incidents-v2.json: plain-string metadata decodes into the same shape")
    func incidentsV2() throws {
        let v2 = try list(Incident.self, "incidents-v2.json").data
        let v3 = try list(Incident.self, "incidents-v3.json").data
        #expect(v2[0].metadata["Response code"] == [IncidentMetadataValue(type: nil, value: "404")])
        #expect(v2[0].metadataText == v3[0].metadataText)
        #expect(v2.map(\.status) == v3.map(\.status))
        #expect(v2.map(\.monitorID) == v3.map(\.monitorID))
    }

    @Test("Unknown incident and monitor statuses fall back instead of failing")
    func unknownStatuses() throws {
        #expect(IncidentStatus(rawValue: "Escalated") == .unknown("Escalated"))
        #expect(IncidentStatus(rawValue: "resolved") == .resolved)
        #expect(MonitorStatus(rawValue: "exploded") == .unknown("exploded"))
        #expect(HeartbeatStatus(rawValue: "DOWN") == .down)
        for raw in ["paused", "pending", "maintenance", "up", "validating", "down"] {
            #expect(MonitorStatus(rawValue: raw).rawValue == raw)
        }
    }

    @Test("heartbeats.json")
    func heartbeats() throws {
        let document = try list(Heartbeat.self, "heartbeats.json")
        let heartbeat = try #require(document.data.first)
        #expect(heartbeat.id == "12345")
        #expect(heartbeat.name == "Testing heartbeat")
        #expect(heartbeat.period == 10800)
        #expect(heartbeat.grace == 300)
        #expect(heartbeat.status == .up)
        #expect(heartbeat.teamName == "Test team")
        #expect(heartbeat.url == "https://uptime.betterstack.com/api/v1/heartbeat/abcd1234abcd1234abcd1234")
        // The ping URL is a secret: it does not print.
        #expect(!String(describing: heartbeat).contains("abcd1234"))
        var dumped = ""
        dump(heartbeat, to: &dumped)
        #expect(!dumped.contains("abcd1234"))
    }

    @Test("status-pages.json")
    func statusPages() throws {
        let page = try #require(try list(StatusPage.self, "status-pages.json").data.first)
        #expect(page.id == "123456789")
        #expect(page.companyName == "Best company")
        #expect(page.subdomain == "best-company-tokyo")
        #expect(page.aggregateState == "operational")
        #expect(page.history == 90)
        #expect(page.timezone == "Tokyo")
        #expect(page.createdAt == ISO8601Timestamp.parseMilliseconds("2020-08-10T07:34:38.848Z"))
    }

    @Test("status-page-resources.json: availability is a fraction, numeric ids become strings")
    func statusPageResources() throws {
        let resource = try #require(try list(StatusPageResource.self, "status-page-resources.json").data.first)
        #expect(resource.id == "12345")
        #expect(resource.statusPageSectionID == "456789")
        #expect(resource.resourceID == "112233")
        #expect(resource.resourceType == "Monitor")
        #expect(resource.availability == 0.99963)
        #expect(resource.status == "operational")
        #expect(resource.widgetType == "history")
        #expect(resource.statusHistory.count == 2)
        #expect(
            resource.statusHistory[1]
                == .init(day: "2022-01-02", status: "downtime", downtimeDuration: 120, maintenanceDuration: 0)
        )
    }

    @Test("Every fixture file is covered by a decoding test")
    func allFixturesCovered() throws {
        let covered: Set<String> = [
            "monitors.json", "monitor.json", "monitor-with-relationships.json", "monitors-minimal-null-url.json",
            "response-times.json", "sla.json", "sla-error-400.json", "heartbeat-availability.json",
            "incidents-v2.json", "incidents-v3.json", "heartbeats.json", "status-pages.json",
            "status-page-resources.json", "error-401.json", "error-404.json", "error-422.json",
            "logs-ingest-single.json", "logs-ingest-batch.json",
        ]
        #expect(Set(try Fixtures.allNames()) == covered)
    }

    @Test("Models round-trip through their own encoding (as caches store them)")
    func roundTrip() throws {
        let monitors = try list(Monitor.self, "monitors.json").data
        let times = try resource(ResponseTimes.self, "response-times.json")
        let incidents = try list(Incident.self, "incidents-v3.json").data
        let heartbeats = try list(Heartbeat.self, "heartbeats.json").data
        let resources = try list(StatusPageResource.self, "status-page-resources.json").data
        let pages = try list(StatusPage.self, "status-pages.json").data
        let sla = try resource(MonitorSLA.self, "sla.json")
        let availability = try resource(HeartbeatAvailability.self, "heartbeat-availability.json")
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        #expect(try decoder.decode([Monitor].self, from: encoder.encode(monitors)) == monitors)
        #expect(try decoder.decode(ResponseTimes.self, from: encoder.encode(times)) == times)
        #expect(try decoder.decode([Incident].self, from: encoder.encode(incidents)) == incidents)
        #expect(try decoder.decode([Heartbeat].self, from: encoder.encode(heartbeats)) == heartbeats)
        #expect(try decoder.decode([StatusPageResource].self, from: encoder.encode(resources)) == resources)
        #expect(try decoder.decode([StatusPage].self, from: encoder.encode(pages)) == pages)
        #expect(try decoder.decode(MonitorSLA.self, from: encoder.encode(sla)) == sla)
        #expect(try decoder.decode(HeartbeatAvailability.self, from: encoder.encode(availability)) == availability)
    }

    @Test("Numeric ids, int monitor_group_id and string numbers are accepted")
    func lenientTypes() throws {
        let json = #"""
            {"data":[
              {"id":41,"type":"monitor","attributes":{"monitor_group_id":12345,"check_frequency":"60","port":"443",
               "status":"down","regions":"eu","paused_at":null,"unknown_field":{"nested":[1,2]}}},
              {"type":"monitor","attributes":{}},
              {"id":"42","attributes":null}
            ],"pagination":null}
            """#
        let document = try JSONDecoder().decode(ListDocument<Monitor>.self, from: Data(json.utf8))
        #expect(document.data.map(\.id) == ["41", "42"])
        #expect(document.data[0].monitorGroupID == "12345")
        #expect(document.data[0].checkFrequency == 60)
        #expect(document.data[0].port == "443")
        #expect(document.data[0].status == .down)
        #expect(document.data[0].regions == ["eu"])
        #expect(document.pagination == nil)
    }
}

@Suite("Large payloads")
struct LargePayloadTests {
    @Test("A full day of response times for four regions (11,520 points) decodes completely")
    func fullDay() throws {
        let start = ISO8601Timestamp.parseMilliseconds("2026-05-01T00:00:00Z")!
        var json = #"{"data":{"id":"41","type":"monitor_response_times","attributes":{"regions":["#
        for (index, region) in ["us", "eu", "as", "au"].enumerated() {
            if index > 0 { json += "," }
            json += #"{"region":"\#(region)","response_times":["#
            for point in 0..<2880 {
                if point > 0 { json += "," }
                let at = ISO8601Timestamp.format(milliseconds: start + Int64(point) * 30_000)
                json +=
                    #"{"at":"\#(at)","response_time":0.4,"name_lookup_time":0.01,"#
                    + #""connection_time":0.1,"tls_handshake_time":0.19,"data_transfer_time":0.1}"#
            }
            json += "]}"
        }
        json += "]}}}"
        let clock = ContinuousClock()
        var decoded: ResponseTimes?
        let elapsed = try clock.measure {
            decoded = try JSONDecoder().decode(ResourceDocument<ResponseTimes>.self, from: Data(json.utf8)).data
        }
        let times = try #require(decoded)
        #expect(times.regions.map(\.points.count) == [2880, 2880, 2880, 2880])
        #expect(times.region("au")?.points.last?.at == start + 2879 * 30_000)
        // Generous bound: debug build on a shared two-core machine.
        #expect(elapsed < .seconds(20), "decoding took \(elapsed)")
        print("decoded \(json.utf8.count) bytes of response times in \(elapsed)")
    }
}
