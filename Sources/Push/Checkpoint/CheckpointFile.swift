import OpenTSDB

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The checkpoint on disk: JSON, replaced atomically (write a temporary file, fsync it, rename
/// it over the old one, fsync the directory), so a crash or SIGKILL at any moment leaves either
/// the previous or the new checkpoint, never a torn one.
///
/// ```json
/// {"version":1,"updated_at_ms":1643364571000,"series":{"catchpoint.testdata.DNS.ms{NodeId=412,StepNumber=1,TestId=142637}":1643363710000}}
/// ```
public struct CheckpointFile: Sendable {
    /// The format this code writes and reads.
    public static let version = 1

    /// Where the checkpoint lives.
    public let path: String

    /// A checkpoint file at `path` (created on the first save).
    public init(path: String) {
        self.path = path
    }

    /// The saved checkpoint; empty when the file does not exist yet.
    ///
    /// An unreadable file is an error, never an empty checkpoint: starting over silently would
    /// send every point in the window again.
    public func load() throws(CheckpointError) -> Checkpoint {
        let bytes: [UInt8]
        do {
            guard let read = try Self.readFile(path) else { return Checkpoint() }
            bytes = read
        } catch {
            throw CheckpointError(path: path, reason: "cannot read: \(error)")
        }
        let stored: Stored
        do {
            stored = try JSONDecoder().decode(Stored.self, from: Data(bytes))
        } catch {
            throw CheckpointError(path: path, reason: "not a checkpoint file (invalid JSON)")
        }
        guard stored.version == Self.version else {
            throw CheckpointError(path: path, reason: "format version \(stored.version), expected \(Self.version)")
        }
        var series: [SeriesKey: Int64] = [:]
        series.reserveCapacity(stored.series.count)
        for (key, value) in stored.series { series[SeriesKey(rawValue: key)] = value }
        return Checkpoint(series: series)
    }

    /// Replaces the file with `checkpoint`, durably, before returning.
    public func save(_ checkpoint: Checkpoint, now: Int64) throws(CheckpointError) {
        let bytes = Self.render(checkpoint, now: now)
        let temporary = path + ".tmp"
        do {
            try Self.writeDurably(bytes, to: temporary)
            guard rename(temporary, path) == 0 else { throw POSIXFailure("rename", errno) }
            try Self.syncDirectory(of: path)
        } catch {
            unlink(temporary)
            throw CheckpointError(path: path, reason: "cannot write: \(error)")
        }
    }

    /// Compact JSON with the series in key order, so that the file diffs well.
    static func render(_ checkpoint: Checkpoint, now: Int64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + checkpoint.series.count * 96)
        out.append(contentsOf: #"{"version":\#(version),"updated_at_ms":\#(now),"series":{"#.utf8)
        for (index, entry) in checkpoint.series.sorted(by: { $0.key < $1.key }).enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in entry.key.rawValue.utf8 {
                // Series keys of sendable points hold no quote, backslash or control character;
                // escape anyway so that the file is always valid JSON.
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    out.append(UInt8(ascii: "\\"))
                    out.append(byte)
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0xF)])
                default:
                    out.append(byte)
                }
            }
            out.append(contentsOf: #"":"#.utf8)
            out.append(contentsOf: String(entry.value).utf8)
        }
        out.append(contentsOf: "}}\n".utf8)
        return out
    }

    private struct Stored: Decodable {
        let version: Int
        let series: [String: Int64]
    }

    // MARK: POSIX

    private static func readFile(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw POSIXFailure("open", errno)
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure("read", errno)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    private static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXFailure("open", errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                throw POSIXFailure("write", errno)
            }
            offset += written
        }
        guard fsync(fd) == 0 else { throw POSIXFailure("fsync", errno) }
    }

    /// Makes the rename itself durable.
    private static func syncDirectory(of path: String) throws {
        let directory = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        let fd = open(directory.isEmpty ? "/" : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXFailure("open directory", errno) }
        defer { close(fd) }
        // Some file systems refuse fsync on a directory (EINVAL); the rename is then as durable
        // as they make it.
        if fsync(fd) != 0, errno != EINVAL { throw POSIXFailure("fsync directory", errno) }
    }
}

/// The checkpoint could not be read or written. One line, with the path.
public struct CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The checkpoint file.
    public let path: String
    /// What went wrong.
    public let reason: String

    public var description: String { "checkpoint \(path): \(reason)" }
}

/// A failed system call, described with its errno text.
struct POSIXFailure: Error, CustomStringConvertible {
    let call: String
    let code: Int32

    init(_ call: String, _ code: Int32) {
        self.call = call
        self.code = code
    }

    var description: String { "\(call): \(String(cString: strerror(code)))" }
}
