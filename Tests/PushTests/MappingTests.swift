import Catchpoint
import OpenTSDB
import Sandbox
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Catchpoint raw data → OpenTSDB datapoints, as the replaced job named them")
struct MappingTests {
    static func fixturePoints() throws -> [DataPoint] {
        let raw = try JSONDecoder().decode(
            RawPerformance.self,
            from: Data(try Fixtures.bytes("catchpoint/raw-reconstructed.json"))
        )
        return raw.dataPoints().points
    }

    @Test("raw-reconstructed.json maps to 111 points whose first 50 are the old job's first batch, in order")
    func reproducesTheReplacedJobsBatch() throws {
        let points = try Self.fixturePoints()
        #expect(points.count == 111)

        let batch = try #require(
            try Fixtures.json("catchpoint/opentsdb-put-batch-from-python-opentsdb.json").arrayValue
        )
        #expect(batch.count == 50)
        for (index, (ours, theirs)) in zip(points, batch).enumerated() {
            #expect(ours.metric == theirs["metric"]?.stringValue, "point \(index)")
            // The old job sent float seconds (1643363710.0); we send the same instant as an integer.
            let theirTimestamp = try #require(theirs["timestamp"]?.doubleValue)
            #expect(ours.timestamp == Int64(theirTimestamp), "point \(index)")
            #expect(Double(ours.timestamp) == theirTimestamp)
            #expect(ours.precision == .seconds)
            #expect(ours.value == theirs["value"]?.doubleValue, "point \(index)")
            // The old job sent TestId/NodeId as integers; compared as strings they must agree.
            let theirTags = try #require(theirs["tags"]?.objectValue)
            #expect(Set(ours.tags.keys) == Set(theirTags.map(\.0)), "point \(index)")
            for (key, value) in theirTags {
                let text = value.stringValue ?? value.intValue.map(String.init)
                #expect(ours.tags[key] == text, "point \(index) tag \(key)")
            }
        }
    }

    @Test("the JSON the writer sends has integer timestamps and string tag values only")
    func wireTypes() throws {
        let points = try Self.fixturePoints()
        let wire = try JSONParser.parse(PutBody.encode(points))
        let elements = try #require(wire.arrayValue)
        #expect(elements.count == 111)
        for element in elements {
            guard case .int? = element["timestamp"] else {
                Issue.record("timestamp is not an integer: \(element.text)")
                continue
            }
            guard case .double? = element["value"] else {
                Issue.record("value is not a float: \(element.text)")
                continue
            }
            for (key, value) in element["tags"]?.objectValue ?? [] {
                guard case .string = value else {
                    Issue.record("tag \(key) is not a string: \(element.text)")
                    continue
                }
            }
        }
        // And literally: no float timestamp, no bare number as a tag value.
        let text = String(decoding: PutBody.encode(points.prefix(1)), as: UTF8.self)
        #expect(
            text
                == #"[{"metric":"catchpoint.testdata.DNS.ms","timestamp":1643363710,"value":37.0,"#
                + #""tags":{"NodeId":"412","StepNumber":"1","TestId":"142637"}}]"#
        )
    }

    @Test(
        "metric names follow the historic replacements",
        arguments: [
            ("DNS (ms)", "catchpoint.testdata.DNS.ms"),
            ("# Items (Total)", "catchpoint.testdata.numOfItems.Total"),
            ("% Availability", "catchpoint.testdata.percentAvailability"),
            ("Time To First Byte (ms)", "catchpoint.testdata.TimeToFirstByte.ms"),
            ("% Ping Packet Loss", "catchpoint.testdata.percentPingPacketLoss"),
            ("Apdex", "catchpoint.testdata.Apdex"),
        ]
    )
    func metricNames(field: String, expected: String) {
        #expect(MetricName.forField(field) == expected)
    }

    @Test("null values are skipped, step and hop_number become tags, numbers become strings")
    func tagsAndNulls() throws {
        let json = """
            {"detail": {"fields": {"synthetic_metrics": [{"name": "DNS (ms)"}, {"name": "% Availability"}]},
             "items": [{"breakdown_1": {"id": 7}, "breakdown_2": {"id": "9"}, "dimension": {"name": "2022-01-28T10:03:37Z"},
                        "hop_number": 3, "synthetic_metrics": [null, 100]}]}}
            """
        let raw = try JSONDecoder().decode(RawPerformance.self, from: Data(json.utf8))
        let points = raw.dataPoints(precision: .milliseconds).points
        #expect(points.count == 1)
        #expect(points.first?.metric == "catchpoint.testdata.percentAvailability")
        #expect(points.first?.tags == ["TestId": "7", "NodeId": "9", "HopNumber": "3"])
        #expect(points.first?.timestamp == 1_643_364_217_000)
        #expect(points.first?.precision == .milliseconds)
    }

    @Test("an answer without detail (or with detail null) is no data, not an error")
    func noData() throws {
        for json in [#"{"start": "2022-01-28T09:54:31Z", "end": "2022-01-28T10:09:31Z"}"#, #"{"detail": null}"#] {
            let raw = try JSONDecoder().decode(RawPerformance.self, from: Data(json.utf8))
            #expect(!raw.hasData)
            #expect(raw.dataPoints().points.isEmpty)
        }
    }

    @Test(
        "run times: Z, offsets, fractions and zone-less UTC",
        arguments: [
            ("2022-01-28T09:55:10Z", Int64(1_643_363_710_000)),
            ("2022-01-28T10:55:10+01:00", 1_643_363_710_000),
            ("2022-01-28T04:25:10-0530", 1_643_363_710_000),
            ("2022-01-28T09:55:10.250Z", 1_643_363_710_250),
            ("2022-01-28T09:55:10", 1_643_363_710_000),
            ("2022-01-28 09:55:10Z", 1_643_363_710_000),
        ]
    )
    func runTimes(text: String, milliseconds: Int64) {
        #expect(RunTime.milliseconds(text) == milliseconds)
    }

    @Test(
        "unreadable run times are refused",
        arguments: ["", "yesterday", "2022-02-30T00:00:00Z", "2022-01-28T25:00:00Z"]
    )
    func badRunTimes(text: String) {
        #expect(RunTime.milliseconds(text) == nil)
    }

    @Test("startTime/endTime are UTC without a zone, as krux's client sends them")
    func queryTimes() {
        #expect(RunTime.queryText(1_643_363_710_999) == "2022-01-28T09:55:10")
        #expect(
            RawWindow(start: 1_643_363_710_000, end: 1_643_364_610_000).queryItems
                == "startTime=2022-01-28T09:55:10&endTime=2022-01-28T10:10:10"
        )
    }
}
