import BetterStack
import Foundation
import Testing

@Suite struct ResponseTimeTests {
    /// The Flask proxy's transformation, written out as it does it: every region's points, in order,
    /// `at` → epoch ms, `response_time` as is (its region match was a substring test; with all four
    /// regions asked for, that keeps every region).
    static func seedTransformation(_ payload: Any, regionParameter: String) -> [[String: Any]] {
        let regions = ((payload as? [String: Any])?["data"] as? [String: Any])?["attributes"] as? [String: Any]
        var result: [[String: Any]] = []
        for region in (regions?["regions"] as? [[String: Any]]) ?? [] {
            let name = region["region"] as! String
            guard regionParameter.contains(name) else { continue }
            for point in (region["response_times"] as? [[String: Any]]) ?? [] {
                let at = ISO8601Timestamp.parseMilliseconds(point["at"] as! String)!
                result.append(["timestamp": at, "region": name, "response_time": point["response_time"] as! Double])
            }
        }
        return result
    }

    /// The seed proxy's set of points, answered ascending in time with the region code breaking
    /// ties (what Infinity's long-to-wide conversion needs to make one series per region).
    @Test func holdsTheSeedTransformationsPointsAscendingInTime() async throws {
        try await withBridge { bridge in
            let raw = try await bridge.upstreamJSON("/api/v2/monitors/200001/response-times")
            let seed = Self.seedTransformation(raw, regionParameter: "us,eu,as,au")
            #expect(seed.count > 1000)
            let expected = seed.enumerated().sorted { x, y in
                let (a, b) = (x.element, y.element)
                let (ta, tb) = (a["timestamp"] as! Int64, b["timestamp"] as! Int64)
                if ta != tb { return ta < tb }
                let (ra, rb) = (a["region"] as! String, b["region"] as! String)
                return ra != rb ? ra < rb : x.offset < y.offset
            }.map(\.element)
            let answer = await bridge.get("/response_time?nodename=node-a&url=https%3A%2F%2Fexample.com%2F&region=us,eu,as,au")
            #expect(answer.status == 200)
            let actual = answer.array.map { $0 as! [String: Any] }
            let times = actual.map { ($0["timestamp"] as! NSNumber).int64Value }
            #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(Set(actual.compactMap { $0["region"] as? String }).count == 4)
            #expect(actual.count == expected.count)
            for (a, e) in zip(actual, expected) {
                #expect(Set(a.keys) == ["timestamp", "region", "response_time"])
                #expect((a["timestamp"] as! NSNumber).int64Value == e["timestamp"] as! Int64)
                #expect(a["region"] as! String == e["region"] as! String)
                #expect((a["response_time"] as! NSNumber).doubleValue == e["response_time"] as! Double)
            }
        }
    }

    @Test func regionsMatchExactlyAndUnknownRegionsAre400() async throws {
        try await withBridge { bridge in
            let us = await bridge.get("/response_time?url=https://example.com/&region=us")
            #expect(us.array.allSatisfy { ($0 as! [String: Any])["region"] as? String == "us" })
            #expect(!us.array.isEmpty)
            let bad = await bridge.get("/response_time?url=https://example.com/&region=u")
            #expect(bad.status == 400)
            #expect(bad.object["region"] as? String == "u")
        }
    }

    @Test func timeRangeFiltersInEveryAcceptedSpelling() async throws {
        try await withBridge { bridge in
            let all = await bridge.get("/response_time?url=https://example.com/&region=eu")
            let times = all.array.map { (($0 as! [String: Any])["timestamp"] as! NSNumber).int64Value }
            let from = times[times.count / 4]
            let to = times[times.count / 2]
            let expected = times.filter { $0 >= from && $0 <= to }
            for query in [
                "from=\(from)&to=\(to)", "range_from=\(from)&range_to=\(to)",
                "from=\(BridgeUnderTest.iso(from))&to=\(BridgeUnderTest.iso(to))",
            ] {
                let answer = await bridge.get("/response_time?url=https://example.com/&region=eu&\(query)")
                let got = answer.array.map { (($0 as! [String: Any])["timestamp"] as! NSNumber).int64Value }
                #expect(got == expected, "\(query)")
            }
            let inverted = await bridge.get("/response_time?url=https://example.com/&from=\(to)&to=\(from)")
            #expect(inverted.status == 400)
            let garbage = await bridge.get("/response_time?url=https://example.com/&from=yesterday")
            #expect(garbage.status == 400)
        }
    }

    @Test func monitorCanBeChosenByIDNameOrURL() async throws {
        try await withBridge { bridge in
            let byURL = await bridge.get("/response_time?url=https://example.com/&region=as")
            let byID = await bridge.get("/response_time?monitor_id=200001&region=as")
            let byName = await bridge.get("/response_time?name=Example%20homepage&region=as")
            #expect(byURL.body == byID.body)
            #expect(byURL.body == byName.body)
            let missing = await bridge.get("/response_time?url=https://nowhere.example/")
            #expect(missing.status == 404)
            #expect(missing.object["url"] as? String == "https://nowhere.example/")
            #expect((missing.object["error"] as? String)?.contains("https://nowhere.example/") == true)
            let none = await bridge.get("/response_time?region=us")
            #expect(none.status == 400)
        }
    }

    @Test func phaseTimingsOnRequest() async throws {
        try await withBridge { bridge in
            let answer = await bridge.get("/response_time?url=https://example.com/&region=us&fields=phases")
            let first = try #require(answer.array.first as? [String: Any])
            #expect(Set(first.keys) == [
                "timestamp", "region", "response_time", "name_lookup_time", "connection_time", "tls_handshake_time",
                "data_transfer_time",
            ])
            let one = await bridge.get("/response_time?url=https://example.com/&region=us&fields=connection_time")
            #expect(Set((one.array.first as! [String: Any]).keys) == ["timestamp", "region", "response_time", "connection_time"])
            #expect(await bridge.get("/response_time?url=https://example.com/&fields=cpu").status == 400)
        }
    }

    @Test func otherNodesGetAnEmptyArray() async throws {
        try await withBridge { bridge in
            let answer = await bridge.get("/response_time?nodename=node-b&url=https://example.com/")
            #expect(answer.status == 200)
            #expect(answer.body == "[]")
            #expect(await bridge.get("/sla?nodename=node-b&url=https://example.com/").body == "[]")
        }
    }
}

@Suite struct SLATests {
    @Test func answersTheSeedKeyPlusTheSummary() async throws {
        try await withBridge { bridge in
            let answer = await bridge.get("/sla?url=https://shop-3.example.com/health")
            #expect(answer.status == 200)
            #expect(Set(answer.object.keys) == [
                "availability", "total_downtime", "number_of_incidents", "longest_incident", "average_incident",
            ])
            #expect(answer.object["availability"] is NSNumber)
        }
    }

    @Test func passesTheRangeUpstreamAsDays() async throws {
        try await withBridge { bridge in
            let to = bridge.now
            let from = to - 2 * 86_400_000
            let answer = await bridge.get("/sla?monitor_id=200003&from=\(from)&to=\(to)")
            let direct = try await bridge.upstreamJSON(
                "/api/v2/monitors/200003/sla?from=\(UTCDay(epochMilliseconds: from))&to=\(UTCDay(epochMilliseconds: to))"
            )
            let attributes = ((direct as! [String: Any])["data"] as! [String: Any])["attributes"] as! [String: Any]
            #expect((answer.object["availability"] as! NSNumber).doubleValue == (attributes["availability"] as! NSNumber).doubleValue)
            #expect((answer.object["total_downtime"] as! NSNumber).doubleValue == (attributes["total_downtime"] as! NSNumber).doubleValue)
        }
    }
}
