import BetterStack
import Testing

@Suite("ISO 8601 timestamps and UTC days")
struct ISO8601TimestampTests {
    @Test(
        "Parses the forms upstream and operators write",
        arguments: [
            ("2026-05-02T09:14:03.000Z", Int64(1_777_713_243_000)),
            ("2026-05-02T09:14:03Z", 1_777_713_243_000),
            ("2026-05-02T09:14:03.5Z", 1_777_713_243_500),
            ("2026-05-02T09:14:03.123456789Z", 1_777_713_243_123),
            ("2026-05-02t09:14:03z", 1_777_713_243_000),
            ("2026-05-02T11:14:03+02:00", 1_777_713_243_000),
            ("2026-05-02T04:44:03-04:30", 1_777_713_243_000),
            ("2026-05-02T11:14:03+0200", 1_777_713_243_000),
            ("2026-05-02T11:14:03+02", 1_777_713_243_000),
            ("2026-05-02 09:14:03+00:00", 1_777_713_243_000),
            ("2026-05-02T09:14:03", 1_777_713_243_000),
            ("2026-05-02T09:14Z", 1_777_713_240_000),
            ("2026-05-02", 1_777_680_000_000),
            ("1970-01-01T00:00:00Z", 0),
            ("1969-12-31T23:59:59.999Z", -1),
            ("2000-02-29T12:00:00Z", 951_825_600_000),
            ("2023-08-09 07:03:30+00:00", 1_691_564_610_000),
        ]
    )
    func parses(text: String, expected: Int64) {
        #expect(ISO8601Timestamp.parseMilliseconds(text) == expected)
    }

    @Test(
        "Rejects malformed text",
        arguments: [
            "", "2026", "2026-5-2", "2026-05-02T", "2026-05-02T9:14:03Z", "2026-13-01", "2026-02-30",
            "2025-02-29T00:00:00Z", "2026-05-02T24:00:00Z", "2026-05-02T09:60:00Z", "2026-05-02T09:14:03.Z",
            "2026-05-02T09:14:03ZZ", "2026-05-02T09:14:03+25:00", "2026-05-02X09:14:03Z", "1714641243000",
            "2026-05-02T09:14:03 Z", "not a date",
        ]
    )
    func rejects(text: String) {
        #expect(ISO8601Timestamp.parseMilliseconds(text) == nil)
    }

    @Test("Formats milliseconds back to ISO 8601 UTC and YYYY-MM-DD")
    func formats() {
        #expect(ISO8601Timestamp.format(milliseconds: 1_777_713_243_000) == "2026-05-02T09:14:03.000Z")
        #expect(ISO8601Timestamp.format(milliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601Timestamp.format(milliseconds: -1) == "1969-12-31T23:59:59.999Z")
        #expect(ISO8601Timestamp.format(milliseconds: 951_825_600_007) == "2000-02-29T12:00:00.007Z")
        #expect(ISO8601Timestamp.formatDay(milliseconds: 1_777_713_243_000) == "2026-05-02")
        #expect(ISO8601Timestamp.formatDay(milliseconds: -1) == "1969-12-31")
    }

    @Test("Parse and format round-trip over many days and times")
    func roundTrip() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let milliseconds = Int64.random(in: -2_000_000_000_000...7_000_000_000_000, using: &generator)
            let text = ISO8601Timestamp.format(milliseconds: milliseconds)
            #expect(ISO8601Timestamp.parseMilliseconds(text) == milliseconds, "\(text)")
        }
    }

    @Test("UTCDay parses, formats and steps days in UTC")
    func utcDay() throws {
        let day = try #require(UTCDay("2026-05-02T23:59:59-01:00"))
        #expect(day.description == "2026-05-03")
        #expect(day.adding(days: -3).description == "2026-04-30")
        #expect(UTCDay(year: 2024, month: 2, day: 29)?.description == "2024-02-29")
        #expect(UTCDay(year: 2023, month: 2, day: 29) == nil)
        #expect(UTCDay(epochMilliseconds: -1).description == "1969-12-31")
        #expect(try #require(UTCDay("2026-01-01")).startMilliseconds == 1_767_225_600_000)
        #expect(UTCDay("2026-01-01")! < UTCDay("2026-01-02")!)
    }

    @Test("Parsing ten thousand points is fast (no DateFormatter)")
    func speed() {
        let texts = (0..<10_000).map { ISO8601Timestamp.format(milliseconds: 1_777_713_243_000 + Int64($0) * 30_000) }
        let clock = ContinuousClock()
        var sum: Int64 = 0
        let elapsed = clock.measure {
            for text in texts {
                sum &+= ISO8601Timestamp.parseMilliseconds(text) ?? 0
            }
        }
        #expect(sum != 0)
        // Speed is the benchmark's business, not a unit test's; this only guards against a hang.
        #expect(elapsed < .seconds(60))
    }
}
