import BetterStack
import Foundation
import Logging
import TestSupport
import Testing

@testable import Functions

/// Heartbeat availability (in `/heartbeats`, and `betterstack_heartbeat_availability_ratio`) and
/// Better Stack's own status pages (`betterstack_status_page_*`, `/status_pages`), from the
/// sandbox's data, compared with what the sandbox itself answers through a separate client.
@Suite("Heartbeat availability and Better Stack status pages", .serialized)
struct HeartbeatAndStatusPageTests {
    /// A client of its own on the bridge's sandbox: the reference the answers are compared with.
    func reference(_ bridge: BridgeUnderTest) throws -> BetterStackClient {
        BetterStackClient(
            configuration: try BetterStackConfiguration(
                baseURL: "http://127.0.0.1:\(bridge.sandbox.port)",
                token: Secret(bridge.token)
            ),
            logger: Logger(label: "reference")
        )
    }

    func scrape(_ bridge: BridgeUnderTest) async throws -> (body: String, exposition: Exposition) {
        let answer = await bridge.get("/metrics")
        #expect(answer.status == 200, "\(answer.body.prefix(300))")
        return (answer.body, try Exposition(answer.body))
    }

    @Test func heartbeatsCarryTodaysAvailability() async throws {
        let bridge = try await BridgeUnderTest()
        defer { Task { await bridge.stop() } }
        let client = try reference(bridge)
        let today = UTCDay(epochMilliseconds: bridge.now)
        let rows = await bridge.get("/heartbeats").array.compactMap { $0 as? [String: Any] }
        #expect(rows.count == 3)
        for row in rows {
            let id = try #require(row["id"] as? String)
            let expected = try await client.heartbeatAvailability(id: id, from: today, to: today).availability
            if let expected {
                #expect((row["availability"] as? NSNumber)?.doubleValue == expected, "heartbeat \(id)")
            } else {
                #expect(row["availability"] is NSNull, "heartbeat \(id)")
            }
        }
        #expect(rows.contains { $0["availability"] is NSNumber }, "no heartbeat has an availability")
        let without = await bridge.get("/heartbeats?availability=false").array.compactMap { $0 as? [String: Any] }
        #expect(without.count == 3 && without.allSatisfy { $0["availability"] == nil })
    }

    @Test func metricsCarryHeartbeatAvailabilityAndStatusPages() async throws {
        let bridge = try await BridgeUnderTest()
        defer { Task { await bridge.stop() } }
        let client = try reference(bridge)
        let (body, exposition) = try await scrape(bridge)

        // Heartbeats: the window of finished days, as for monitors (30 by default).
        let today = UTCDay(epochMilliseconds: bridge.now)
        let ratios = exposition.samples(named: "betterstack_heartbeat_availability_ratio")
        let heartbeats = try await client.heartbeats()
        #expect(!ratios.isEmpty)
        for heartbeat in heartbeats {
            let percent = try await client.heartbeatAvailability(
                id: heartbeat.id, from: today.adding(days: -30), to: today.adding(days: -1)
            ).availability
            let sample = ratios.first { $0.labels["heartbeat_id"] == heartbeat.id }
            #expect(sample?.value == percent.map { min(1, max(0, $0 / 100)) }, "heartbeat \(heartbeat.id)")
        }

        // Status pages: one info and one state set per page, a series per resource.
        let pages = try await client.statusPages()
        #expect(!pages.isEmpty)
        for page in pages {
            let info = exposition.samples(named: "betterstack_status_page_info").filter { $0.labels["status_page_id"] == page.id }
            #expect(info.count == 1 && info.first?.labels["name"] == (page.companyName ?? ""))
            let states = exposition.samples(named: "betterstack_status_page_status").filter { $0.labels["status_page_id"] == page.id }
            #expect(states.filter { $0.value == 1 }.map { $0.labels["state"] } == [page.aggregateState])
            let up = exposition.samples(named: "betterstack_status_page_up").first { $0.labels["status_page_id"] == page.id }
            #expect(up?.value == (page.aggregateState == "operational" ? 1 : 0))
            let resources = try await client.statusPageResources(statusPageID: page.id)
            let shown = exposition.samples(named: "betterstack_status_page_resource_info").filter { $0.labels["status_page_id"] == page.id }
            #expect(Set(shown.compactMap { $0.labels["resource_id"] }) == Set(resources.map(\.id)))
            for resource in resources {
                let availability = exposition.samples(named: "betterstack_status_page_resource_availability_ratio").first {
                    $0.labels["status_page_id"] == page.id && $0.labels["resource_id"] == resource.id
                }
                #expect(availability?.value == resource.availability, "resource \(resource.id)")
            }
        }
        try Promtool.expectClean(Array(body.utf8), "/metrics with heartbeat availability and status pages")
    }

    @Test func statusPagesListForTables() async throws {
        let bridge = try await BridgeUnderTest()
        defer { Task { await bridge.stop() } }
        let client = try reference(bridge)
        let answer = await bridge.get("/status_pages")
        #expect(answer.status == 200)
        let rows = answer.array.compactMap { $0 as? [String: Any] }
        let pages = try await client.statusPages()
        #expect(rows.map { $0["id"] as? String } == pages.map(\.id))
        for (row, page) in zip(rows, pages) {
            #expect(row["aggregate_state"] as? String == page.aggregateState)
            #expect(row["up"] as? Int == (page.aggregateState == "operational" ? 1 : 0))
            let resources = try await client.statusPageResources(statusPageID: page.id)
            #expect(row["resources"] as? Int == resources.count)
            #expect(row["resources_operational"] as? Int == resources.filter { $0.status == "operational" }.count)
        }
    }

    /// `availability{heartbeat="…"}`: one series per heartbeat, a point per UTC day equal to
    /// Better Stack's heartbeat availability of that day; a heartbeat nobody has is a 404, and a
    /// heartbeat selector on another metric a 400.
    @Test func availabilityOfAHeartbeatPerDay() async throws {
        let bridge = try await BridgeUnderTest()
        defer { Task { await bridge.stop() } }
        let client = try reference(bridge)
        let heartbeat = try #require(try await client.heartbeats().first { $0.name != nil })
        let name = try #require(heartbeat.name)
        let from = bridge.now - 4 * 86_400_000
        let answer = try await bridge.post(
            "/query",
            json: [
                "range": ["from": BridgeUnderTest.iso(from), "to": BridgeUnderTest.iso(bridge.now - 86_400_000)],
                "targets": [["target": "availability{heartbeat=\"\(name)\"}", "refId": "H"]],
            ]
        )
        #expect(answer.status == 200, "\(answer.body)")
        let series = answer.array.compactMap { $0 as? [String: Any] }
        #expect(series.count == 1)
        #expect(series.first?["target"] as? String == "\(name) availability" && series.first?["refId"] as? String == "H")
        let points = (series.first?["datapoints"] as? [[Any]]) ?? []
        var first = UTCDay(epochMilliseconds: from)
        let last = UTCDay(epochMilliseconds: bridge.now - 86_400_000)
        var expected: [[Double]] = []
        while first <= last {
            if let value = try await client.heartbeatAvailability(id: heartbeat.id, from: first, to: first).availability {
                expected.append([value, Double(first.startMilliseconds)])
            }
            first = first.adding(days: 1)
        }
        #expect(!expected.isEmpty)
        #expect(points.map { $0.compactMap { ($0 as? NSNumber)?.doubleValue } } == expected)

        let unknown = try await bridge.post(
            "/query",
            json: [
                "range": ["from": BridgeUnderTest.iso(from), "to": BridgeUnderTest.iso(bridge.now)],
                "targets": [["target": #"availability{heartbeat="no such heartbeat"}"#, "refId": "A"]],
            ]
        )
        #expect(unknown.status == 404, "\(unknown.body)")
        let wrong = try await bridge.post(
            "/query",
            json: [
                "range": ["from": BridgeUnderTest.iso(from), "to": BridgeUnderTest.iso(bridge.now)],
                "targets": [["target": "response_time{heartbeat=\"\(name)\"}", "refId": "A"]],
            ]
        )
        #expect(wrong.status == 400, "\(wrong.body)")
    }

    /// A status page describes the whole account: with an allowlist, none is served.
    @Test func anAllowlistHidesStatusPages() async throws {
        let bridge = try await BridgeUnderTest(allowlist: ["200001"])
        defer { Task { await bridge.stop() } }
        #expect(await bridge.get("/status_pages").array.isEmpty)
        let (_, exposition) = try await scrape(bridge)
        #expect(exposition.samples(named: "betterstack_status_page_info").isEmpty)
        #expect(exposition.samples(named: "betterstack_status_page_resource_info").isEmpty)
    }
}
