import Sandbox
import Testing

@Suite("JSON parser and writer")
struct JSONParserTests {
    @Test("Round trip keeps key order, numbers and escapes")
    func roundTrip() throws {
        let text =
            #"{"b":1,"a":[true,false,null],"s":"line\nquote\" \u00e9 \ud83d\ude00","d":0.47273,"e":2e-05,"n":-0.5}"#
        let value = try JSONParser.parse(text)
        #expect(value.objectValue?.map(\.0) == ["b", "a", "s", "d", "e", "n"])
        #expect(value["s"] == .string("line\nquote\" é 😀"))
        #expect(value["d"] == .double(0.47273))
        #expect(value["b"] == .int(1))
        #expect(try JSONParser.parse(value.text) == value)
        #expect(JSON.double(0.00002).text == "2e-05")
        #expect(JSON.double(99.98).text == "99.98")
    }

    @Test(
        "Rejects what is not JSON",
        arguments: ["", "{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\\x\"", "nul", "[1] 2", "{'a':1}"]
    )
    func rejects(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(text) }
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("ISO 8601 with milliseconds and Z, both ways")
    func iso() {
        #expect(Timestamp.iso8601(testAnchor) == "2026-05-02T09:15:00.000Z")
        #expect(Timestamp.iso8601(0) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.iso8601(951_782_400_123) == "2000-02-29T00:00:00.123Z")
        #expect(Timestamp.parseISO8601("2025-04-03T11:00:57.000Z") == 1_743_678_057_000)
        #expect(Timestamp.parseISO8601("2025-04-03T11:00:57Z") == 1_743_678_057_000)
        #expect(Timestamp.parseISO8601("2025-04-03 11:00:57Z") == nil)
    }

    @Test("Calendar days are validated")
    func days() {
        #expect(Timestamp.parseDay("2026-05-02") == testAnchor - 33_300_000)
        #expect(Timestamp.parseDay("2024-02-29") != nil)
        for bad in ["2025-02-29", "2026-13-01", "2026-5-02", "26-05-02", "2026-05-02T00:00:00Z", "today"] {
            #expect(Timestamp.parseDay(bad) == nil, "\(bad)")
        }
        #expect(Timestamp.day(testAnchor) == "2026-05-02")
    }
}

@Suite("Fault specs")
struct FaultSpecTests {
    @Test("CLI form")
    func cli() throws {
        let fault = try Fault(
            cliSpec: "response_times=latency=2000,status=503,rate=0.5,retry_after=2,truncate,garbage,reset,count=3"
        )
        #expect(
            fault
                == Fault(
                    route: .responseTimes,
                    latencyMilliseconds: 2000,
                    status: 503,
                    rate: 0.5,
                    retryAfter: 2,
                    truncate: .close,
                    garbage: true,
                    reset: true,
                    count: 3
                )
        )
        #expect(try Fault(cliSpec: "*=latency_ms=10").latencyMilliseconds == 10)
        #expect(try Fault(cliSpec: "sla=truncate=json").truncate == .json)
        for bad in ["sla", "sla=status=abc", "sla=rate=1.5", "sla=whatever", "sla=count=0"] {
            #expect(throws: FaultParseError.self, "\(bad)") { try Fault(cliSpec: bad) }
        }
    }

    @Test("JSON form")
    func json() throws {
        let fault = try Fault(
            json: JSONParser.parse(#"{"route":"sla","latency_ms":5,"truncate":false,"garbage":true,"count":null}"#)
        )
        #expect(fault == Fault(route: .sla, latencyMilliseconds: 5, garbage: true))
    }
}
