#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a lock file, for single-flight across CGI processes.
///
/// Lock files are opened relative to the cache directory's descriptor with `O_NOFOLLOW`: a
/// symbolic link planted as a lock file is neither followed nor created through (the caller then
/// loads without the lock).
///
/// `flock` locks belong to the open file description, so two opens in the same process exclude
/// each other too, and the kernel drops the lock if the holder dies. Acquisition polls with
/// `LOCK_NB` and sleeps between tries, so a waiting request never blocks a thread.
final class FileLock {
    private var fd: Int32

    private init(fd: Int32) {
        self.fd = fd
    }

    /// Opens (creating) the lock file `name` in `directory`: never through a symbolic link, and
    /// only a regular file.
    private static func openLockFile(_ name: String, in directory: Int32, create: Bool = true) -> Int32 {
        let fd = openat(directory, name, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | (create ? O_CREAT : 0), 0o600)
        guard fd >= 0 else { return -1 }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return -1
        }
        return fd
    }

    /// The lock for a path (tests).
    static func acquire(path: String, timeout: Duration) async -> FileLock? {
        await acquire(name: path, in: AT_FDCWD, timeout: timeout)
    }

    /// The lock, or `nil` if it could not be taken within `timeout` (or the file not opened).
    static func acquire(name: String, in directory: Int32, timeout: Duration) async -> FileLock? {
        let fd = openLockFile(name, in: directory)
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
    static func tryAcquire(name: String, in directory: Int32) -> Attempt {
        let fd = openLockFile(name, in: directory)
        guard fd >= 0 else { return .unavailable }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 {
            return .acquired(FileLock(fd: fd))
        }
        let code = errno
        close(fd)
        return code == EWOULDBLOCK ? .busy : .unavailable
    }

    /// Removes the lock file `name` if nobody holds it (a finished or failed load left it behind);
    /// true if it was removed. A holder that opened it just before the removal keeps a lock on
    /// the unlinked file, so at worst one key is loaded twice.
    static func removeIfIdle(name: String, in directory: Int32) -> Bool {
        let fd = openLockFile(name, in: directory, create: false)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { return false }
        return unlinkat(directory, name, 0) == 0
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
