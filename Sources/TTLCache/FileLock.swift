#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a lock file, for single-flight across CGI processes.
///
/// `flock` locks belong to the open file description, so two opens in the same process exclude
/// each other too, and the kernel drops the lock if the holder dies. Acquisition polls with
/// `LOCK_NB` and sleeps between tries, so a waiting request never blocks a thread.
final class FileLock {
    private var fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    /// The lock, or `nil` if it could not be taken within `timeout` (or the file not opened).
    static func acquire(path: String, timeout: Duration) async -> FileLock? {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(2)
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                return FileLock(fd: fd)
            }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR, ContinuousClock.now < deadline else {
                close(fd)
                return nil
            }
            do {
                try await Task.sleep(for: pause)
            } catch {
                close(fd)
                return nil
            }
            pause = min(pause * 2, .milliseconds(50))
        }
    }

    /// The outcome of a single, non-waiting attempt.
    enum Attempt {
        /// The lock is held by this caller now.
        case acquired(FileLock)
        /// Someone else holds it.
        case busy
        /// The lock file could not be opened or locked for another reason.
        case unavailable
    }

    /// One attempt to take the lock, without waiting.
    static func tryAcquire(path: String) -> Attempt {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .unavailable }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            return .acquired(FileLock(fd: fd))
        }
        let code = errno
        close(fd)
        return code == EWOULDBLOCK ? .busy : .unavailable
    }

    /// Releases the lock; later calls do nothing.
    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit {
        release()
    }
}
