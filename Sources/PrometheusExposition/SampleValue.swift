/// How sample values and timestamps are spelled in the text format.
enum SampleValue {
    /// Integral values below 2^53 in magnitude are written as integers (`1`, `1715683327123`),
    /// which is both shorter and exactly what Go's `ParseFloat` reads back; anything else uses
    /// Swift's shortest round-tripping form (`0.0147`, `1e-05`, `1e+16`). Non-finite values are
    /// spelled the way Prometheus spells them: `NaN`, `+Inf`, `-Inf`.
    static func append(_ value: Double, to bytes: inout [UInt8]) {
        if value.isNaN {
            bytes.append(contentsOf: "NaN".utf8)
        } else if value.isInfinite {
            bytes.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8)
        } else if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            appendInteger(Int64(value), to: &bytes)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// Decimal digits without going through `String`: this runs once per sample.
    static func appendInteger(_ value: Int64, to bytes: inout [UInt8]) {
        if value == 0 {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        // Digits are produced last to first into the tail of the buffer, then reversed in place;
        // the magnitude is a UInt64 so that Int64.min does not overflow.
        var magnitude = value.magnitude
        let start = bytes.count
        while magnitude > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        }
        bytes[start...].reverse()
    }
}
