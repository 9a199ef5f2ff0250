#if canImport(Glibc)
import Glibc
#endif

/// Splits one `NAME=value` C string from a CGI/FastCGI environment and keeps it when the runtime
/// uses it (`HTTP_*` headers and ``GatewayRequest/interestingVariables``).
enum CGIEnvironmentEntry {
    static func parse(_ entry: UnsafePointer<CChar>, into result: inout [String: String]) {
        guard let equals = strchr(entry, 0x3D) else { return }
        let nameLength = entry.distance(to: UnsafePointer(equals))
        let isHeader = nameLength > 5 && strncmp(entry, "HTTP_", 5) == 0
        guard isHeader || isInteresting(entry, length: nameLength) else { return }
        entry.withMemoryRebound(to: UInt8.self, capacity: nameLength) { bytes in
            let name = String(decoding: UnsafeBufferPointer(start: bytes, count: nameLength), as: UTF8.self)
            let valueStart = equals + 1
            let valueLength = strlen(valueStart)
            let value = valueStart.withMemoryRebound(to: UInt8.self, capacity: valueLength) {
                String(decoding: UnsafeBufferPointer(start: $0, count: valueLength), as: UTF8.self)
            }
            result[name] = value
        }
    }

    /// The variables the runtime reads, as C strings grouped for a cheap length check first.
    private static let interesting: [[UInt8]] = GatewayRequest.interestingVariables.map { Array($0.utf8) }

    private static func isInteresting(_ entry: UnsafePointer<CChar>, length: Int) -> Bool {
        for name in interesting where name.count == length {
            if name.withUnsafeBufferPointer({ memcmp(entry, $0.baseAddress!, length) == 0 }) { return true }
        }
        return false
    }

    /// The same for `environ` (CGI mode).
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            parse(entry, into: &result)
            cursor += 1
        }
        return result
    }
}
