import BetterStack
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Inputs that crashed the Better Stack decoders under the fuzzer (Fuzz/Regressions/betterstack/
/// and Fuzz/Regressions/time/ hold the same bytes for the fuzz harness). Each used to trap on an
/// integer conversion or overflow, which in a FastCGI worker ends every request in flight.
@Suite("Fuzz regressions: absurd numbers from upstream are refused, never a trap")
struct FuzzRegressionTests {
    func monitor(_ json: String) throws -> Monitor {
        try JSONDecoder().decode(ResourceDocument<Monitor>.self, from: Data(json.utf8)).data
    }

    @Test("A numeric timestamp past Int64 (the fuzzer's input) reads as absent")
    func hugeNumericTimestamp() throws {
        // Fuzz/Regressions/betterstack/lenient-timestamp-overflow-crash-3e46e781
        let json = #"""
            {"data":{"id":1,"type":"monitor","attributes":{"url":"httxps:/ea/mple.com","check_frequency":"30","created_at":17000000088888888888888888888888888888888888888888888888888888888888888888888888888888888888888888880,"updated_at":"Characte-02T09:14:03+02:00","last_checked_at":170043,"monitorions":"us"}}}
            """#
        let decoded = try monitor(json)
        #expect(decoded.createdAt == nil)
        #expect(decoded.checkFrequency == 30)
        #expect(decoded.lastCheckedAt == 170_043_000)
    }

    @Test("Timestamps of ±1e300 and beyond year 9999 read as absent", arguments: ["1e300", "-1e300", "253402300800000", "-62167219201"])
    func outOfRangeTimestamps(number: String) throws {
        let decoded = try monitor(#"{"data":{"id":"1","attributes":{"created_at":\#(number)}}}"#)
        #expect(decoded.createdAt == nil)
    }

    @Test("Numeric timestamps inside 0000–9999 still read as seconds or milliseconds")
    func inRangeTimestamps() throws {
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"created_at":1700000000}}}"#).createdAt == 1_700_000_000_000)
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"created_at":1700000000123}}}"#).createdAt == 1_700_000_000_123)
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"created_at":253402300799999}}}"#).createdAt == 253_402_300_799_999)
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"created_at":-62167219200}}}"#).createdAt == -62_167_219_200_000)
    }

    @Test("An integer field of 2^63 reads as absent (Double(Int.max) is 2^63, one past Int.max)")
    func integerOfTwoToThe63() throws {
        // Fuzz/Regressions/betterstack/lenient-int-2-pow-63
        let decoded = try monitor(#"{"data":{"id":"1","attributes":{"check_frequency":9223372036854775808}}}"#)
        #expect(decoded.checkFrequency == nil)
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"check_frequency":9223372036854775807}}}"#).checkFrequency == Int.max)
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"check_frequency":-9.3e18}}}"#).checkFrequency == nil)
        #expect(try monitor(#"{"data":{"id":"1","attributes":{"check_frequency":30.9}}}"#).checkFrequency == 30)
    }

    @Test(
        "Retry-After HTTP-dates with years past 9999 are not dates (the fuzzer's input first)",
        arguments: [
            // Fuzz/Regressions/time/retry-after-year-overflow-crash-5748a2a9
            "2022-01-28T09:55:10.56100Sun Nov  6 08:49:37 199400000000000",
            "Sun, 06 Nov 99999999999 08:49:37 GMT",
            "Sunday, 06-Nov-9223372036854775807 08:49:37 GMT",
            "Sun Nov  6 08:49:37 -9223372036854775808",
            "Sun, 06 Nov 10000 08:49:37 GMT",
        ]
    )
    func retryAfterHugeYears(value: String) {
        #expect(RetryAfter.parseHTTPDateMilliseconds(value) == nil)
        #expect(RetryAfter.parse(value, nowMilliseconds: 0) == nil)
    }

    @Test("Retry-After in year 9999 still parses")
    func retryAfterYear9999() {
        #expect(RetryAfter.parseHTTPDateMilliseconds("Fri, 31 Dec 9999 23:59:59 GMT") == 253_402_300_799_000)
    }
}
