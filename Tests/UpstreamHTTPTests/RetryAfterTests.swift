import UpstreamHTTP
import Testing

@Suite("Retry-After parsing")
struct RetryAfterTests {
    let now: Int64 = 784_111_740_000  // 1994-11-06T08:49:00Z

    @Test("Delta seconds")
    func deltaSeconds() {
        #expect(RetryAfter.parse("120", nowMilliseconds: now) == .seconds(120))
        #expect(RetryAfter.parse(" 0 ", nowMilliseconds: now) == .zero)
        #expect(RetryAfter.parse("99999999999999999999999", nowMilliseconds: now) != nil)
    }

    @Test("HTTP-dates in all three forms, relative to now")
    func httpDates() {
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", nowMilliseconds: now) == .seconds(37))
        #expect(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", nowMilliseconds: now) == .seconds(37))
        #expect(RetryAfter.parse("Sun Nov  6 08:49:37 1994", nowMilliseconds: now) == .seconds(37))
        #expect(RetryAfter.parse("Sun, 06 Nov 1994 08:48:00 GMT", nowMilliseconds: now) == .zero)
    }

    @Test(
        "Garbage is nil",
        arguments: ["", "soon", "-5", "1.5", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT"]
    )
    func garbage(value: String) {
        #expect(RetryAfter.parse(value, nowMilliseconds: now) == nil)
    }
}
