import Foundation
import Sandbox
import TestSupport
import Testing

@testable import BetterStack

/// The strict reader of response times (`StrictJSON`) answers exactly what `JSONDecoder` answers,
/// or nothing (the client then uses `JSONDecoder`).
@Suite struct StrictResponseTimesTests {
    static func slow(_ bytes: [UInt8]) -> ResponseTimes? {
        try? JSONDecoder().decode(ResourceDocument<ResponseTimes>.self, from: Data(bytes)).data
    }

    static func corpus(_ name: String) throws -> [UInt8] {
        try TestFixtures.bytes("../../Fuzz/Corpus/betterstack-strict/\(name)")
    }

    @Test func theFixturesAndTheFuzzSeedsDecodeAsJSONDecoderDecodesThem() throws {
        for bytes in [
            try TestFixtures.bytes("betterstack/response-times.json"),
            try Self.corpus("lenient.json"), try Self.corpus("escapes.json"),
        ] {
            let strict = try #require(ResponseTimes.decodeDocument(strict: bytes))
            #expect(strict == Self.slow(bytes))
        }
        // The lenient cases: numeric strings, epoch seconds, dropped points and regions.
        let lenient = try #require(ResponseTimes.decodeDocument(strict: try Self.corpus("lenient.json")))
        #expect(lenient.monitorID == "41")
        #expect(lenient.regions.map(\.region) == ["us", "5", "eu"])  // a number as the region is its text
        #expect(lenient.regions[0].points.map(\.responseTime) == [0.5, 0.25])  // sorted: 1743678000 s comes first
        #expect(lenient.regions[1].points.isEmpty)
        #expect(lenient.regions[2].points.map(\.at) == [1_743_678_040_000, 1_743_678_050_000])
    }

    @Test func aDayFromTheSandboxDecodesAsJSONDecoderDecodesIt() async throws {
        try await withSandbox(SandboxConfiguration(monitors: 2)) { server in
            for id in ["200001", "200002"] {
                let response = try await AsyncHTTPClientTransport.bridgeDefault.send(
                    HTTPTransportRequest(
                        method: "GET",
                        url: server.baseURL + "/api/v2/monitors/\(id)/response-times",
                        headers: [("Authorization", "Bearer \(SandboxConfiguration.defaultToken)")],
                        timeout: .seconds(10)
                    )
                )
                #expect(response.status == 200)
                let strict = try #require(ResponseTimes.decodeDocument(strict: response.body))
                #expect(strict.regions.reduce(0) { $0 + $1.points.count } > 1000)
                #expect(strict == Self.slow(response.body))
            }
        }
    }

    /// What the strict reader is unsure of, it leaves to JSONDecoder: the client still decodes it.
    @Test(arguments: [
        #"{"data":{"id":"1","id":"2","attributes":{}}}"#,  // duplicate key
        #"{"data":{"id":"1","attributes":{"regions":[{"region":2.0,"response_times":[]}]}}}"#,  // integral number with a fraction, read as text
        #"{"data":{"id":"1","attributes":{"regions":[{"region":"\ud800","response_times":[]}]}}}"#,  // unpaired surrogate
        #"{"data":{"id":"1","attributes":{"x":1e999}}}"#,  // a number no Double holds
        #"{"data":{"id":"1","attributes":{"regions":[{"region":"us","response_times":[{"at":"2025-04-03T11:00:57.000Z","response_time":0.4,"name_lookup_time":2e-05844}]}]}}}"#,  // underflows to 0 (fuzz: betterstack-strict)
        #"{"data":{"id":"1"}} "#,  // trailing space is fine…
        #"{"data":{"id":"1"}} x"#,  // …trailing garbage is not
        #"{"data":{"id":"1","attributes":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}}",
    ])
    func unsureDocumentsGoToJSONDecoder(_ text: String) async throws {
        let bytes = Array(text.utf8)
        let strict = ResponseTimes.decodeDocument(strict: bytes)
        if let strict { #expect(strict == Self.slow(bytes)) }
        if text.hasSuffix("} ") { #expect(strict != nil) } else { #expect(strict == nil) }
        // Through the client: the answer is JSONDecoder's (or its error), as before.
        let harness = try ClientHarness([.json(200, text)], retryPolicy: .none)
        let viaClient = try? await harness.client.responseTimes(monitorID: "1")
        #expect(viaClient == Self.slow(bytes))
    }

    @Test func invalidUTF8AndControlCharactersAreRefused() {
        #expect(ResponseTimes.decodeDocument(strict: Array(#"{"data":{"id":"\#u{1}"}}"#.utf8)) == nil)
        var bytes = Array(#"{"data":{"id":"ab"}}"#.utf8)
        bytes[15] = 0xFF
        #expect(ResponseTimes.decodeDocument(strict: bytes) == nil)
        #expect(ResponseTimes.decodeDocument(strict: Array(#"{"data":{"id":"ab"}}"#.utf8))?.monitorID == "ab")
    }
}
