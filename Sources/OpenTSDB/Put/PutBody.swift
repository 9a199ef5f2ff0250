/// Renders the JSON array body of `POST /api/put`.
///
/// Written by hand rather than with `JSONEncoder` so that the wire form is pinned down exactly:
/// timestamps as JSON integers, values with a decimal point (`37.0`, as the replaced job sent
/// them, so OpenTSDB stores floats consistently), tag values always strings, tags in key order.
public enum PutBody {
    /// The body for `points`, appended to `out`.
    public static func emit(_ points: some Collection<DataPoint>, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, point) in points.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            emit(point, into: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The body for `points`.
    public static func encode(_ points: some Collection<DataPoint>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(points.count * 160)
        emit(points, into: &out)
        return out
    }

    /// One datapoint object.
    public static func emit(_ point: DataPoint, into out: inout [UInt8]) {
        out.append(contentsOf: #"{"metric":"#.utf8)
        emitString(point.metric, into: &out)
        out.append(contentsOf: #","timestamp":"#.utf8)
        out.append(contentsOf: String(point.timestamp).utf8)
        out.append(contentsOf: #","value":"#.utf8)
        // `description` is the shortest text that round-trips and always has a `.` or an
        // exponent for a Double (37.0, 1e-05). Non-finite values are refused before sending.
        out.append(contentsOf: (point.value.isFinite ? point.value.description : "null").utf8)
        out.append(contentsOf: #","tags":{"#.utf8)
        for (index, tag) in point.tags.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            emitString(tag.key, into: &out)
            out.append(UInt8(ascii: ":"))
            emitString(tag.value, into: &out)
        }
        out.append(contentsOf: "}}".utf8)
    }

    private static func emitString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
