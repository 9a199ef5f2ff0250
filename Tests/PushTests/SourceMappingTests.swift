import BetterStack
import OpenTSDB
@testable import Push
@testable import Statuspage
import Testing

@Suite("Better Stack and Statuspage sources map to OpenTSDB points")
struct SourceMappingTests {
    @Test func tagValuesBecomeValidForOpenTSDB() {
        #expect(TagValue.sanitized("API Gateway (EU)") == "API_Gateway__EU_")
        #expect(TagValue.sanitized("Zürich/eu-1.a_b") == "Zürich/eu-1.a_b")
        #expect(TagValue.sanitized("") == "unknown")
        #expect(NameRules.isValid(TagValue.sanitized("a:b c\"d")))
    }

    @Test func iso8601TimestampsParse() {
        #expect(CivilTime.milliseconds(iso8601: "1970-01-01T00:00:00Z") == 0)
        #expect(CivilTime.milliseconds(iso8601: "2026-05-02T09:15:00.123Z") == 1_777_713_300_123)
        #expect(CivilTime.milliseconds(iso8601: "2026-05-02T11:15:00.5+02:00") == 1_777_713_300_500)
        #expect(CivilTime.milliseconds(iso8601: "2026-05-02T02:15:00-0700") == 1_777_713_300_000)
        #expect(CivilTime.milliseconds(iso8601: "yesterday") == nil)
    }

    @Test func responseTimesGiveOnePointPerPhaseInsideTheWindow() {
        let times = ResponseTimes(
            monitorID: "200001",
            regions: [
                RegionResponseTimes(
                    region: "eu",
                    points: [
                        ResponseTimePoint(at: 1_000_000, responseTime: 0.5),
                        ResponseTimePoint(
                            at: 2_000_000, responseTime: 0.4, nameLookupTime: 0.1, connectionTime: 0.1,
                            tlsHandshakeTime: 0.1, dataTransferTime: 0.1
                        ),
                    ]
                )
            ]
        )
        let points = BetterStackSource.responseTimePoints(
            times,
            monitorTags: ["monitor_id": "200001"],
            window: PushWindow(start: 1_500_000, end: 3_000_000),
            precision: .seconds
        )
        #expect(points.count == 5)
        #expect(Set(points.compactMap { $0.tags["phase"] }) == ["total", "name_lookup", "connection", "tls_handshake", "data_transfer"])
        #expect(points.allSatisfy { $0.metric == "betterstack.response_time" && $0.timestamp == 2000 && $0.tags["region"] == "eu" })
        #expect(points.allSatisfy { $0.tags.values.allSatisfy(NameRules.isValid) })
    }

    @Test func statuspageFollowsTheExporterMappingSampledAtTheRunsPeriod() {
        let summary = StatuspageSummary(
            page: StatuspagePage(updatedAt: "2026-05-02T09:15:00.000Z"),
            components: [
                StatuspageComponent(name: "API Gateway", status: .operational),
                StatuspageComponent(name: "Database", status: .majorOutage),
            ],
            status: StatuspageStatus(indicator: StatuspageStatusIndicator.none)
        )
        let points = StatuspageSource.points(
            summary,
            service: StatuspageService(key: "acme", name: "acme", url: "https://status.example.com"),
            at: StatuspageSource.sampleTime(1_777_713_300_000 + 899_999, period: .seconds(900)),
            precision: .seconds
        )
        let byName = Dictionary(points.map { ($0.tags["component"] ?? "-", $0) }, uniquingKeysWith: { a, _ in a })
        // A component down with no incident forces `minor`: the page is not operational (exporter rule).
        #expect(byName["-"]?.metric == "statuspage.status" && byName["-"]?.value == 0)
        #expect(byName["API_Gateway"]?.value == 1 && byName["Database"]?.value == 0)
        #expect(points.allSatisfy { $0.timestamp == 1_777_713_300 && $0.tags["service"] == "acme" })
    }
}
