import FastCGIRuntime
import Testing

struct JSONWriterTests {
    @Test func placesCommasAndEscapesStrings() {
        var json = JSONWriter()
        json.beginObject()
        json.key("s")
        json.string("a\"b\\c\nd\u{01}é")
        json.key("list")
        json.beginArray()
        json.int(1)
        json.double(0.47273)
        json.double(2.0)
        json.bool(false)
        json.null()
        json.pair(0.25, 1_796_584_173_000)
        json.pair(.infinity, -1)
        json.beginObject()
        json.endObject()
        json.endArray()
        json.key("nan")
        json.double(.nan)
        json.endObject()
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"s":"a\"b\\c\nd\u0001é","list":[1,0.47273,2,false,null,[0.25,1796584173000],[null,-1],{}],"nan":null}"#
        )
    }

    /// Numbers are written without `String` where that gives the same bytes: integers of every
    /// width, and doubles as `Double.description` (whole ones below 10^15 as integers).
    @Test func numbersAreWrittenAsSwiftWritesThem() {
        func written(_ body: (inout JSONWriter) -> Void) -> String {
            var json = JSONWriter()
            body(&json)
            return String(decoding: json.bytes, as: UTF8.self)
        }
        func expected(_ value: Double) -> String {
            if !value.isFinite { return "null" }
            if value == value.rounded(.towardZero), abs(value) < 1e15 { return String(Int64(value)) }
            return value.description
        }
        for value in [Int64.min, Int64.max, 0, -1, 9, 10, -10, 1_796_584_173_000, -9_999_999_999] {
            #expect(written { $0.int(value) } == String(value))
            #expect(written { $0.int(Int(value)) } == String(value))
        }
        var integers = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            // Every digit count: a random value shifted right by a random amount.
            let value = Int64(bitPattern: integers.next()) >> Int64.random(in: 0...63, using: &integers)
            if written({ $0.int(value) }) != String(value) { Issue.record("\(value)") }
        }
        #expect(written { $0.int(UInt64.max) } == String(UInt64.max))
        #expect(written { $0.int(Int8(-128)) } == "-128")

        var generator = SystemRandomNumberGenerator()
        var mismatches: [String] = []
        func compare(_ value: Double) {
            let ours = written { $0.double(value) }
            if ours != expected(value), mismatches.count < 10 { mismatches.append("\(ours) vs \(expected(value))") }
        }
        let edges: [Double] = [
            1e-4, -1e-4, 0.000099999, 0.00010001, 1e9, 999_999_999.99999, 999_999_999.999999, 0.1, 0.2, 0.3,
            0.1 + 0.2, 1.0 / 3.0, 0.00001, 123_456.78901, 5e-5, 2.5, -2.5, 0.47273, 1e15, 1e16, 123.456e10,
            .leastNonzeroMagnitude, .greatestFiniteMagnitude, -0.0,
        ]
        for value in edges { compare(value) }
        for _ in 0..<250_000 {
            // Multiples of 10^-5 (what Better Stack sends), their averages, and any doubles.
            let units = Int64.random(in: -100_000_000_000_000...100_000_000_000_000, using: &generator)
            compare(Double(units) / 100_000)
            let small = Int64.random(in: 1...5_000_000, using: &generator)
            compare(Double(small) / 100_000)
            compare((Double(small) / 100_000 + Double(units % 7_000_000) / 100_000) / 3)
            compare(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator)))
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
    }
}
