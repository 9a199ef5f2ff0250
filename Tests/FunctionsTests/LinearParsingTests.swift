import BetterStack
import FastCGIRuntime
@testable import Functions
import Testing

/// Every grammar that reads request input is linear: the parsers count their work in steps, and the
/// work for an input four times as long is at most about four times as much (a quadratic parser
/// would do sixteen times as much). No wall clock is involved.
@Suite struct LinearParsingTests {
    /// Steps for `make(n)` and `make(4n)`; their ratio must stay below 4.5.
    func ratio(_ n: Int, make: (Int) -> String, steps: (String) -> Int) -> Double {
        let small = steps(make(n))
        let large = steps(make(4 * n))
        #expect(small > 0)
        return Double(large) / Double(max(1, small))
    }

    func targetSteps(_ text: String) -> Int {
        var steps = 0
        _ = try? Target.parse(text, steps: &steps)
        return steps
    }

    @Test func targetsWithLongRunsOfSpacesAreLinear() {
        let r = ratio(1000, make: { "response_time{" + String(repeating: " ", count: $0) + "}" }, steps: targetSteps)
        #expect(r < 4.5, "ratio \(r)")
    }

    @Test func targetsWithManyEscapesAndSelectorsAreLinear() {
        let escaped = ratio(200, make: { "response_time{monitor=\"" + String(repeating: "\\\"", count: $0) + "\"}" }, steps: targetSteps)
        #expect(escaped < 4.5, "ratio \(escaped)")
        let unquoted = ratio(200, make: { "response_time{monitor=" + String(repeating: "a", count: $0) + "}" }, steps: targetSteps)
        #expect(unquoted < 4.5, "ratio \(unquoted)")
        let commas = ratio(200, make: { "response_time{" + String(repeating: ", ", count: $0) + "a=b}" }, steps: targetSteps)
        #expect(commas < 4.5, "ratio \(commas)")
    }

    @Test func aTargetOverItsBoundIsRefusedBeforeAnyWork() {
        var steps = 0
        let huge = "response_time{" + String(repeating: " ", count: 1 << 20) + "}"
        #expect(throws: HTTPError.self) { try Target.parse(huge, steps: &steps) }
        #expect(steps == 0)
    }

    func jsonSteps(_ text: String) -> Int {
        var parser = JSONRequestParser(Array(text.utf8))
        _ = try? parser.parseDocument()
        return parser.steps
    }

    @Test func requestBodiesAreLinear() {
        let targets = ratio(100, make: { n in
            "{\"targets\":[" + Array(repeating: "{\"target\":\"response_time\"}", count: n).joined(separator: ",") + "]}"
        }, steps: jsonSteps)
        #expect(targets < 4.5, "ratio \(targets)")
        let strings = ratio(1000, make: { "\"" + String(repeating: "\\u00e9\\n", count: $0) + "\"" }, steps: jsonSteps)
        #expect(strings < 4.5, "ratio \(strings)")
        let spaces = ratio(1000, make: { "{" + String(repeating: " ", count: $0) + "}" }, steps: jsonSteps)
        #expect(spaces < 4.5, "ratio \(spaces)")
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: HTTPError.self) { try JSONValue.parse(Array(deep.utf8)) }
        let fits = String(repeating: "[", count: 60) + String(repeating: "]", count: 60)
        #expect((try? JSONValue.parse(Array(fits.utf8))) != nil)
    }

    @Test func theParserReadsJSONAsTheDecoderDid() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null,"\u00e9\ud83d\ude00\n\"x\""],"b":{"c":""},"a2":0}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value["a"]?.array?.count == 6)
        #expect(value["a"]?.array?[1] == .number(-2500))
        #expect(value["a"]?.array?[5] == .string("é😀\n\"x\""))
        #expect(value["b"]?["c"] == .string(""))
        for bad in ["{", "[1,]", "{\"a\" 1}", "01", "1.", "\"\u{01}\"", "tru", "{} x", "\"\\x\""] {
            #expect(throws: HTTPError.self, "\(bad)") { try JSONValue.parse(Array(bad.utf8)) }
        }
        #expect(throws: HTTPError.self) { try JSONValue.parse(Array(String(repeating: "1", count: 100).utf8)) }
    }

    @Test func timeValuesAreBoundedInLengthAndRange() {
        #expect(TimeParameter.milliseconds(String(repeating: "9", count: 65)) == nil)
        #expect(TimeParameter.milliseconds("9223372036854775807") == nil)
        #expect(TimeParameter.milliseconds("1900-01-01T00:00:00Z") == nil)
        #expect(TimeParameter.milliseconds("2200-01-01T00:00:00Z") == TimeParameter.latest)
        #expect(TimeParameter.milliseconds("2200-01-01T00:00:01Z") == nil)
        #expect(TimeParameter.milliseconds("1795300000") == 1_795_300_000_000)
        #expect(TimeParameter.milliseconds("0") == 0)
    }

    @Test func queryStringsAreLinear() {
        // QueryString.parse is a single pass: the number of decoded bytes grows with the input.
        for n in [1000, 4000] {
            let raw = String(repeating: "%zz%4", count: n) + "&" + String(repeating: "a=%41&", count: n)
            let items = QueryString.parse(raw)
            #expect(items.count == n + 1)
        }
    }
}

/// Bucketing arithmetic over extreme `Int64` inputs: never traps, never leaves `[from, to]`, never
/// answers more than `maxPoints` points.
@Suite struct DownsamplerOverflowTests {
    @Test(arguments: 0..<200)
    func extremeInputsNeverTrap(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
        let specials: [Int64] = [.min, .min + 1, -1, 0, 1, .max - 1, .max, 1_795_300_000_000]
        func pick() -> Int64 {
            rng.next() % 3 == 0 ? specials[Int(rng.next() % UInt64(specials.count))] : Int64(bitPattern: rng.next())
        }
        var from = pick()
        var to = pick()
        if from > to { swap(&from, &to) }
        let maxPoints = [1, 2, 1000, Int.max][Int(rng.next() % 4)]
        let interval: Int64? = [nil, 1, .max, Int64(bitPattern: rng.next() | 1 << 62)][Int(rng.next() % 4)].map { abs($0 == .min ? 1 : $0) }
        let width = Downsampler.bucketWidth(from: from, to: to, maxPoints: maxPoints, intervalMs: interval)
        #expect(width >= 1)
        var points: [(time: Int64, value: Double)] = [(from, 1), (to, 2)]
        for _ in 0..<20 { points.append((pick(), Double(rng.next() % 100))) }
        points.sort { $0.time < $1.time }
        let out = Downsampler.downsample(points, from: from, to: to, maxPoints: maxPoints, intervalMs: interval, aggregate: .p95)
        #expect(out.allSatisfy { $0.time >= from && $0.time <= to })
        #expect(out.count <= min(maxPoints, points.count))
    }
}
