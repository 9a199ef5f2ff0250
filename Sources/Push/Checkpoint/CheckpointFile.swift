import OpenTSDB
import UpstreamHTTP

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
/// {"version":1,"updated_at_ms":1643364571000,"series":{"catchpoint.testdata.DNS.ms{NodeId=412,StepNumber=1,TestId=142637}":1643363710000},"sources":{"catchpoint":1643364571000}}
/// ```
///
/// `sources` (each source's completed-window mark) was added later in version 1; a file without
/// it reads as "no marks", and the next run starts every source at its look-back.
public struct CheckpointFile: Sendable {
    /// The format this code writes and reads.
    public static let version = 1

    /// Where the checkpoint lives.
    public let path: String

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
        return Checkpoint(series: stored.series, sourceMarks: stored.sources ?? [:])
    }

    /// Replaces the file with `checkpoint`, durably, before returning.
    public func save(_ checkpoint: Checkpoint, now: Int64) throws(CheckpointError) {
        let temporary = path + ".tmp"
        do {
            try Self.writeDurably(Self.render(checkpoint, now: now), to: temporary)
            guard rename(temporary, path) == 0 else { throw POSIXFailure("rename", errno) }
            try Self.syncDirectory(of: path)
        } catch {
            unlink(temporary)
            throw CheckpointError(path: path, reason: "cannot write: \(error)")
        }
    }

    /// Compact JSON. `JSONEncoder` rather than hand-written bytes: it escapes any name, and it
    /// is the fastest way here to render tens of thousands of series after every batch. Series
    /// are not sorted, which would cost more than the write.
    static func render(_ checkpoint: Checkpoint, now: Int64) throws -> [UInt8] {
        Array(
            try JSONEncoder().encode(
                Stored(
                    version: version,
                    updatedAtMilliseconds: now,
                    series: checkpoint.series,
                    sources: checkpoint.sourceMarks.isEmpty ? nil : checkpoint.sourceMarks
                )
            )
        )
            + [UInt8(ascii: "\n")]
    }

    private struct Stored: Codable {
        let version: Int
        var updatedAtMilliseconds: Int64?
        let series: [SeriesKey: Int64]
        var sources: [String: Int64]?

        enum CodingKeys: String, CodingKey {
            case version
            case updatedAtMilliseconds = "updated_at_ms"
            case series
            case sources
        }
    }

    // MARK: POSIX

    private static func readFile(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw POSIXFailure("open", errno)
        }
        defer { close(fd) }
        do {
            return try readToEnd(fileDescriptor: fd)
        } catch {
            throw POSIXFailure("read", error.code)
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
