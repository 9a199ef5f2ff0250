#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads an open file to its end, retrying interrupted reads: the one loop behind the
/// configuration, secret and checkpoint files (the modules that read files all depend on this one).
///
/// Throws the `errno` of a failed `read`, or `EFBIG` once more than `limit` bytes were read.
public func readToEnd(fileDescriptor fd: Int32, limit: Int = .max) throws(FileDescriptorReadError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw FileDescriptorReadError(code: errno)
        }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > limit { throw FileDescriptorReadError(code: EFBIG) }
    }
}

/// A failed ``readToEnd(fileDescriptor:limit:)``: the `errno`.
public struct FileDescriptorReadError: Error, Equatable {
    public var code: Int32
}
