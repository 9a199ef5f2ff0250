/// Values the file cache stores in a compact binary form instead of JSON: what a CGI process reads
/// on every request and is large (a monitor's 24-hour response times: ~300 KB of JSON, ~10 ms to
/// decode with `JSONDecoder`; the compact form is ~93 KB and reads in well under a millisecond).
///
/// The form is private to one build of the bridge: ``FileCache`` stores it with a format version,
/// and a file it cannot read back is a miss (the value is loaded again), never a crash.
public protocol FileCacheCompactCodable {
    /// Appends the value.
    func writeCompact(to writer: inout CompactWriter)
    /// Reads a value written by ``writeCompact(to:)``; `nil` if the bytes are not one.
    init?(compact reader: inout CompactReader)
}

/// Little-endian fixed-width numbers and length-prefixed strings.
public struct CompactWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    public mutating func int64(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func double(_ value: Double) {
        int64(Int64(bitPattern: value.bitPattern))
    }

    /// A count or length (32 bits).
    public mutating func count(_ value: Int) {
        withUnsafeBytes(of: UInt32(clamping: value).littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        count(utf8.count)
        bytes.append(contentsOf: utf8)
    }
}

/// Reads what ``CompactWriter`` wrote; every read checks the bytes left and returns `nil` past
/// the end, so a truncated or foreign file reads as nothing.
public struct CompactReader: Sendable {
    let bytes: [UInt8]
    public private(set) var offset: Int

    public init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    public var remaining: Int { bytes.count - offset }

    public mutating func byte() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func int64() -> Int64? {
        guard remaining >= 8 else { return nil }
        var value: UInt64 = 0
        for index in 0..<8 { value |= UInt64(bytes[offset + index]) << (8 * UInt64(index)) }
        offset += 8
        return Int64(bitPattern: value)
    }

    public mutating func double() -> Double? {
        int64().map { Double(bitPattern: UInt64(bitPattern: $0)) }
    }

    /// A count of items each at least `minimumItemBytes` long: refused when the bytes left could
    /// not hold that many (no allocation sized by a hostile count).
    public mutating func count(minimumItemBytes: Int = 1) -> Int? {
        guard remaining >= 4 else { return nil }
        var value: UInt32 = 0
        for index in 0..<4 { value |= UInt32(bytes[offset + index]) << (8 * UInt32(index)) }
        offset += 4
        let count = Int(value)
        guard count <= remaining / max(1, minimumItemBytes) else { return nil }
        return count
    }

    public mutating func string() -> String? {
        guard let length = count(), length <= remaining else { return nil }
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }
}
