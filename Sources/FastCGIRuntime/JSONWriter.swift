/// A minimal streaming JSON writer that appends UTF-8 bytes to a buffer.
///
/// The hot paths (health, thousands of response-time points) append bytes instead of building
/// dictionaries and running a reflective encoder; commas are placed automatically.
public struct JSONWriter: Sendable {
    /// A JSON scalar for small key/value extras.
    public enum Scalar: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case double(Double)
        case bool(Bool)
        case null
    }

    public private(set) var bytes: [UInt8]
    // One flag per open container: whether the next value needs a leading comma.
    private var needsComma: [Bool] = [false]
    private var afterKey = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "}"))
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        needsComma.removeLast()
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// `"key": value` in the open object; `null` when the value is absent.
    public mutating func member(_ key: String, _ value: String?) {
        self.key(key)
        string(value)
    }

    /// `"key": value` in the open object; `null` when the value is absent.
    public mutating func member(_ key: String, _ value: Int?) {
        self.key(key)
        int(value)
    }

    /// `"key": value` in the open object; `null` when the value is absent.
    public mutating func member(_ key: String, _ value: Int64?) {
        self.key(key)
        int(value)
    }

    /// `"key": value` in the open object; `null` when the value is absent.
    public mutating func member(_ key: String, _ value: Double?) {
        self.key(key)
        if let value { double(value) } else { null() }
    }

    /// `"key": true|false` in the open object.
    public mutating func member(_ key: String, _ value: Bool) {
        self.key(key)
        bool(value)
    }

    /// The string, or `null` when it is absent.
    public mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    /// The integer, or `null` when it is absent.
    public mutating func int(_ value: Int?) {
        if let value { int(value) } else { null() }
    }

    /// The integer, or `null` when it is absent.
    public mutating func int(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    public mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
    }

    /// Appends already encoded, comma-separated values as the next elements of the open array
    /// (nothing when `encoded` is empty).
    public mutating func rawElements(_ encoded: ArraySlice<UInt8>) {
        guard !encoded.isEmpty else { return }
        separate()
        bytes.append(contentsOf: encoded)
    }

    /// Appends an already encoded JSON value (one whole value, written by another `JSONWriter`).
    public mutating func raw(_ encoded: [UInt8]) {
        separate()
        bytes.append(contentsOf: encoded)
    }

    public mutating func int(_ value: some BinaryInteger) {
        separate()
        if let value = Int64(exactly: value) {
            appendDecimal(value)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// The common case without the generic conversion.
    public mutating func int(_ value: Int) {
        separate()
        appendDecimal(Int64(value))
    }

    /// The common case without the generic conversion.
    public mutating func int(_ value: Int64) {
        separate()
        appendDecimal(value)
    }

    /// Writes a number; NaN and infinities (not JSON) become `null`. Whole numbers below 10^15 are
    /// written as integers; every other number as Swift's shortest round-trip form
    /// (`Double.description`), which for the usual magnitudes is formatted here without a `String`.
    public mutating func double(_ value: Double) {
        separate()
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer -> Bool in
            guard let end = Self.formatDouble(value, buffer.baseAddress!, 0) else { return false }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<end]))
            return true
        }
        if !written { bytes.append(contentsOf: value.description.utf8) }
    }

    /// Writes `[number, integer]` as one value without opening a container: a time-series point
    /// (`[value, ms]`), thousands of them per answer, formatted on the stack and appended once.
    public mutating func pair(_ first: Double, _ second: Int64) {
        separate()
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 64) { buffer -> Bool in
            let out = buffer.baseAddress!
            out[0] = UInt8(ascii: "[")
            guard let end = Self.formatDouble(first, out, 1) else { return false }
            out[end] = UInt8(ascii: ",")
            let last = Self.formatDecimal(second, out, end + 1)
            out[last] = UInt8(ascii: "]")
            bytes.append(contentsOf: UnsafeBufferPointer(start: out, count: last + 1))
            return true
        }
        if !written {
            bytes.append(UInt8(ascii: "["))
            bytes.append(contentsOf: first.description.utf8)
            bytes.append(UInt8(ascii: ","))
            appendDecimal(second)
            bytes.append(UInt8(ascii: "]"))
        }
    }

    /// Formats what ``double(_:)`` writes for `value` at `out + at` (room for 48 bytes) and returns
    /// the end, or nil when only `Double.description` can write it.
    ///
    /// Non-whole numbers are written with at most five decimals when that is exactly what
    /// `description` writes. Why it is: if `n / 100000` (IEEE division, correctly rounded) equals
    /// `value`, the decimal n·10⁻⁵ round-trips to `value`. `description` prints the shortest
    /// decimal that round-trips; for 10⁻⁴ ≤ |value| < 10⁹ it is printed without an exponent, and a
    /// different round-tripping decimal of no more digits would also be a multiple of 10⁻⁵ within
    /// one ulp of `value` (ulp < 1.2·10⁻⁷ there), which is impossible. `JSONWriterTests` compares
    /// both forms over a million values.
    private static func formatDouble(_ value: Double, _ out: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int? {
        guard value.isFinite else {
            for (offset, byte) in "null".utf8.enumerated() { out[at + offset] = byte }
            return at + 4
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 {
            return formatDecimal(Int64(value), out, at)
        }
        let magnitude = abs(value)
        guard magnitude >= 1e-4, magnitude < 1e9 else { return nil }
        let scaled = (magnitude * 100_000).rounded()
        guard scaled / 100_000 == magnitude else { return nil }
        let units = UInt64(scaled)
        var fraction = units % 100_000
        guard fraction != 0 else { return nil }  // whole numbers are written as integers above
        var position = at
        if value < 0 {
            out[position] = UInt8(ascii: "-")
            position += 1
        }
        position = formatDigits(units / 100_000, out, position)
        out[position] = UInt8(ascii: ".")
        position += 1
        var digits = 5
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let end = position + digits
        for index in stride(from: end - 1, through: position, by: -1) {
            out[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        return end
    }

    /// `value` in decimal at `out + at` (room for 20 bytes); returns the end.
    private static func formatDecimal(_ value: Int64, _ out: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
        guard value < 0 else { return formatDigits(value.magnitude, out, at) }
        out[at] = UInt8(ascii: "-")
        return formatDigits(value.magnitude, out, at + 1)
    }

    /// "00" … "99": two digits per division.
    private static let digitPairs: StaticString = "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"

    private static func formatDigits(_ value: UInt64, _ out: UnsafeMutablePointer<UInt8>, _ at: Int) -> Int {
        var count = 1
        var probe = value
        while probe >= 10_000 {
            probe /= 10_000
            count += 4
        }
        if probe >= 1_000 {
            count += 3
        } else if probe >= 100 {
            count += 2
        } else if probe >= 10 {
            count += 1
        }
        let pairs = digitPairs.utf8Start
        var rest = value
        var index = at + count
        while rest >= 100 {
            let pair = Int(rest % 100) &* 2
            rest /= 100
            index -= 2
            out[index] = pairs[pair]
            out[index + 1] = pairs[pair + 1]
        }
        if rest >= 10 {
            let pair = Int(rest) &* 2
            out[index - 2] = pairs[pair]
            out[index - 1] = pairs[pair + 1]
        } else {
            out[index - 1] = UInt8(ascii: "0") + UInt8(rest)
        }
        return at + count
    }

    /// The decimal digits of `value`, without a `String`.
    private mutating func appendDecimal(_ value: Int64) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            let end = Self.formatDecimal(value, buffer.baseAddress!, 0)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<end]))
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    public mutating func scalar(_ value: Scalar) {
        switch value {
        case .string(let s): string(s)
        case .int(let i): int(i)
        case .double(let d): double(d)
        case .bool(let b): bool(b)
        case .null: null()
        }
    }

    /// Appends already-encoded JSON as one value.
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
    }

    @inline(__always)
    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] {
            bytes.append(UInt8(ascii: ","))
        } else {
            needsComma[needsComma.count - 1] = true
        }
    }

    private mutating func appendQuoted(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings (keys, region codes, names) need no escape: one scan, one copy.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: s.utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
