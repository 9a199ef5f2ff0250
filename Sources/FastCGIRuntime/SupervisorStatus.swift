#if canImport(Glibc)
import Glibc
#endif

/// What the master knows and every worker may report in `/metrics`: how many workers it keeps, how
/// many it had to restart, its reloads. One value for the whole service, whichever worker answers.
public struct SupervisorStatus: Sendable, Equatable {
    /// When the master started, Unix seconds (its counters count from then).
    public var masterStartTime: Double
    /// Worker processes the master keeps running.
    public var workers: Int
    /// Workers that died without being asked to (a crash, a signal, an exit) and were started again.
    public var workerRestarts: Int = 0
    /// SIGHUP reloads that replaced every worker.
    public var reloadsApplied: Int = 0
    /// SIGHUP reloads refused (invalid configuration) or abandoned (a new worker did not start).
    public var reloadsRefused: Int = 0
}

/// The master's ``SupervisorStatus``, shared with its workers through a small unlinked file: the
/// master writes it with `pwrite`, each worker gets a read-only descriptor of it and reads it at
/// scrape time. Live for every worker (a value passed in the environment would only tell what was
/// true when that worker started), and nothing to clean up: the file has no name once created.
///
/// Layout: eight little-endian 64-bit words — a magic number and version, the start time in
/// milliseconds, then workers, restarts, reloads applied, reloads refused.
public final class SupervisorStatusFile: Sendable {
    static let magic: UInt64 = 0x5542_5355_5056_0001  // "UBSUPV", version 1
    static let size = 64

    public let fd: Int32

    public init(fd: Int32) {
        self.fd = fd
    }

    /// Creates the file in `TMPDIR` (or /tmp; under systemd the service's private /tmp) and
    /// removes its name at once. Returns the master's read-write copy and a read-only descriptor
    /// for the workers, both close-on-exec and numbered 10 or above; nil if no such file can be made.
    public static func create() -> (file: SupervisorStatusFile, readOnlyFD: Int32)? {
        var directories: [String] = []
        if let tmp = getenv("TMPDIR").map({ String(cString: $0) }), tmp.hasPrefix("/") { directories.append(tmp) }
        directories += ["/tmp", "/dev/shm"]
        for directory in directories {
            var template = Array("\(directory)/uptime-bridge-status-XXXXXX".utf8CString)
            let writable = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard writable >= 0 else { continue }
            let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let readable = open(path, O_RDONLY | O_CLOEXEC)
            unlink(path)
            guard readable >= 0 else {
                close(writable)
                continue
            }
            let high = (moveHigh(writable), moveHigh(readable))
            guard high.0 >= 0, high.1 >= 0 else {
                if high.0 >= 0 { close(high.0) }
                if high.1 >= 0 { close(high.1) }
                continue
            }
            return (SupervisorStatusFile(fd: high.0), high.1)
        }
        return nil
    }

    /// The file a master handed this worker, or nil when this process is no supervised worker.
    public static let inherited: SupervisorStatusFile? = {
        guard SupervisedWorker.slot != nil,
            getenv(SupervisedWorker.statusEnvironmentKey).map({ String(cString: $0) }) == String(SupervisedWorker.statusFD)
        else { return nil }
        var info = stat()
        guard fstat(SupervisedWorker.statusFD, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        _ = fcntl(SupervisedWorker.statusFD, F_SETFD, FD_CLOEXEC)
        return SupervisorStatusFile(fd: SupervisedWorker.statusFD)
    }()

    public func write(_ status: SupervisorStatus) {
        let words: [UInt64] = [
            Self.magic, UInt64(max(0, status.masterStartTime * 1000).rounded()), UInt64(max(0, status.workers)),
            UInt64(max(0, status.workerRestarts)), UInt64(max(0, status.reloadsApplied)),
            UInt64(max(0, status.reloadsRefused)), 0, 0,
        ].map { $0.littleEndian }
        _ = words.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    public func read() -> SupervisorStatus? {
        var words = [UInt64](repeating: 0, count: Self.size / 8)
        let count = words.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count == Self.size else { return nil }
        words = words.map { UInt64(littleEndian: $0) }
        guard words[0] == Self.magic else { return nil }
        func int(_ word: UInt64) -> Int { Int(clamping: word) }
        return SupervisorStatus(
            masterStartTime: Double(words[1]) / 1000,
            workers: int(words[2]),
            workerRestarts: int(words[3]),
            reloadsApplied: int(words[4]),
            reloadsRefused: int(words[5])
        )
    }

    /// Moves `fd` to 10 or above (close-on-exec), out of the way of the numbers a worker gets.
    /// Should that fail (no descriptor left), `fd` itself is returned, close-on-exec.
    static func moveHigh(_ fd: Int32) -> Int32 {
        let moved = fcntl(fd, F_DUPFD_CLOEXEC, 10)
        guard moved >= 0 else {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            return fd
        }
        close(fd)
        return moved
    }
}
