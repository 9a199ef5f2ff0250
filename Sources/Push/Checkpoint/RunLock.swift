#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on `<checkpoint>.lock` for the length of a run, so that two overlapping
/// runs (a slow run and the next timer tick) cannot both deliver the same points.
///
/// The kernel releases it when the process dies, SIGKILL included, so a crashed run never
/// blocks the next one.
final class RunLock: Sendable {
    private let fd: Int32

    /// Takes the lock without waiting; throws when another process holds it.
    init(path: String) throws(RunLockError) {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(fd)
            if code == EWOULDBLOCK { throw .held(path: path) }
            throw .cannotOpen(path: path, reason: String(cString: strerror(code)))
        }
        self.fd = fd
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// Why the run lock could not be taken.
enum RunLockError: Error, Equatable, CustomStringConvertible {
    case held(path: String)
    case cannotOpen(path: String, reason: String)

    var description: String {
        switch self {
        case .held(let path): "another push run holds \(path)"
        case .cannotOpen(let path, let reason): "cannot lock \(path): \(reason)"
        }
    }
}
