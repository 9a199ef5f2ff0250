#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a cache directory was refused or could not be made; its description names the directory
/// and the reason, e.g. `cache directory /tmp/x: refused: it is writable by group or others
/// (mode 0777)`.
public struct CacheDirectoryError: Error, CustomStringConvertible, Sendable {
    /// The directory as configured.
    public let directory: String
    /// What is wrong with it.
    public let reason: String

    public var description: String { "cache directory \(directory): \(reason)" }
}

/// The few file-system calls the file cache needs, on raw POSIX so the module has no
/// dependencies and the atomicity guarantees are the kernel's, not a library's.
///
/// Everything inside the cache directory goes through the directory's file descriptor (`openat`,
/// `renameat`, `unlinkat`, `fstatat`), opened once after the directory was checked, and every open
/// has `O_NOFOLLOW | O_CLOEXEC`: nobody can swap the directory or an entry for a symbolic link
/// between the check and the use.
enum POSIXFiles {
    struct Failure: Error, CustomStringConvertible {
        let operation: String
        let path: String
        let code: Int32
        var description: String { "\(operation) \(path): \(reason)" }
        /// The system's words for the error alone (no path).
        var reason: String { String(cString: strerror(code)) }
    }

    /// Flags for descriptors that only name a directory (walking a path, `*at` calls): `O_PATH` on
    /// Linux, so that search-only (`--x`) ancestors such as a 0711 home directory can be walked.
    #if os(Linux)
        static let directoryHandleFlags: Int32 = 0o10000000 | O_DIRECTORY | O_CLOEXEC  // O_PATH
    #else
        static let directoryHandleFlags: Int32 = O_RDONLY | O_DIRECTORY | O_CLOEXEC
    #endif

    private static func text(_ code: Int32) -> String { String(cString: strerror(code)) }

    /// Opens the cache directory, creating it (and missing parents) with mode 0700, and returns a
    /// descriptor for the `*at` calls. Refused, with the reason:
    /// - the directory itself is a symbolic link or not a directory;
    /// - it is not owned by the effective user, or is writable by group or others (anyone else
    ///   could then plant, read or replace entries);
    /// - a symbolic link on the way to it could be replaced by another user (it is owned by
    ///   someone other than root or this user, or sits in a directory that others may write
    ///   without the sticky bit). Other symbolic links on the way (`/home` → `/srv/home`) are
    ///   followed.
    static func openCacheDirectory(_ path: String, create: Bool = true) throws(CacheDirectoryError) -> Int32 {
        func refuse(_ reason: String) -> CacheDirectoryError {
            CacheDirectoryError(directory: path, reason: reason)
        }
        let euid = geteuid()
        let absolute = path.hasPrefix("/")
        var queue = path.split(separator: "/").map(String.init)
        var shown = absolute ? "" : "."
        var fd = open(absolute ? "/" : ".", directoryHandleFlags)
        guard fd >= 0 else { throw refuse("cannot open \(absolute ? "/" : "."): \(text(errno))") }
        var links = 0
        var retries = 0
        while !queue.isEmpty {
            let name = queue.removeFirst()
            if name == "." { continue }
            let isLast = queue.isEmpty
            let here = (shown == "/" ? "" : shown) + "/" + name
            var info = stat()
            if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
                let code = errno
                guard code == ENOENT, create, retries < 8 else {
                    close(fd)
                    throw refuse("cannot access \(here): \(text(code))")
                }
                if mkdirat(fd, name, 0o700) != 0, errno != EEXIST {
                    let code = errno
                    close(fd)
                    throw refuse("cannot create \(here): \(text(code))")
                }
                retries += 1
                queue.insert(name, at: 0)  // look at what is there now
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                let next = openat(fd, name, directoryHandleFlags | O_NOFOLLOW)
                if next < 0 {
                    let code = errno
                    if code == ELOOP || code == ENOTDIR || code == ENOENT, retries < 8 {
                        // Replaced between the stat and the open: look again.
                        retries += 1
                        queue.insert(name, at: 0)
                        continue
                    }
                    close(fd)
                    throw refuse("cannot open \(here): \(text(code))")
                }
                close(fd)
                fd = next
                shown = here
            case S_IFLNK:
                if isLast {
                    close(fd)
                    throw refuse("refused: it is a symbolic link (use the real directory's path)")
                }
                var parent = stat()
                fstat(fd, &parent)
                guard info.st_uid == 0 || info.st_uid == euid else {
                    close(fd)
                    throw refuse(
                        "refused: \(here) is a symbolic link owned by uid \(info.st_uid), who could point it elsewhere"
                    )
                }
                let parentIsSafe =
                    (parent.st_uid == 0 || parent.st_uid == euid)
                    && ((parent.st_mode & 0o022) == 0 || (parent.st_mode & S_ISVTX) != 0)
                guard parentIsSafe else {
                    close(fd)
                    throw refuse(
                        "refused: \(here) is a symbolic link in a directory other users can write, so they could replace it"
                    )
                }
                links += 1
                var buffer = [UInt8](repeating: 0, count: 4097)
                let count = buffer.withUnsafeMutableBufferPointer { raw in
                    raw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: raw.count) {
                        readlinkat(fd, name, $0, raw.count - 1)
                    }
                }
                guard links <= 32, count > 0 else {
                    close(fd)
                    throw refuse("cannot resolve \(here): \(links > 32 ? "too many symbolic links" : text(errno))")
                }
                let target = String(decoding: buffer[0..<count], as: UTF8.self)
                queue = target.split(separator: "/").map(String.init) + queue
                if target.hasPrefix("/") {
                    close(fd)
                    fd = open("/", directoryHandleFlags)
                    guard fd >= 0 else { throw refuse("cannot open /: \(text(errno))") }
                    shown = ""
                }
            default:
                close(fd)
                throw refuse(isLast ? "refused: it is not a directory" : "\(here) is not a directory")
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw refuse("cannot stat: \(text(code))")
        }
        guard info.st_uid == euid else {
            close(fd)
            throw refuse(
                "refused: it is owned by uid \(info.st_uid), not by uid \(euid) that uptime-bridge runs as "
                    + "(someone else may have created it first: set cache.directory to a directory of uid \(euid))"
            )
        }
        let mode = info.st_mode & 0o7777
        guard mode & 0o022 == 0 else {
            close(fd)
            throw refuse(
                "refused: it is writable by group or others (mode 0\(String(mode, radix: 8))); chmod 700 it"
            )
        }
        return fd
    }

    /// The whole file `name` in `directory`, or `nil` if it does not exist, is not a regular file
    /// owned by this user (a symbolic link is not followed), can not be read or is larger than `limit`.
    static func readFile(_ name: String, in directory: Int32, limit: Int) -> [UInt8]? {
        let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_uid == geteuid(),
            Int(info.st_size) <= limit
        else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeMutableBytes { buffer in
                read(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            offset += count
        }
        return offset == bytes.count ? bytes : Array(bytes[..<offset])
    }

    /// The same for a path (tests).
    static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        readFile(path, in: AT_FDCWD, limit: limit)
    }

    /// Writes `bytes` to a new temporary file in `directory`, then renames it over `name`.
    /// `rename` is atomic within a file system, so readers see the old file or the new one,
    /// never a partial one (and a symbolic link planted as `name` is replaced, not followed).
    static func writeAtomically(_ bytes: [UInt8], to name: String, in directory: Int32, tempPrefix: String) throws {
        let temp = ".\(tempPrefix).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = openat(directory, temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(operation: "create", path: temp, code: errno) }
        var offset = 0
        var failure: Int32 = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            offset += count
        }
        close(fd)
        if failure == 0, renameat(directory, temp, directory, name) == 0 {
            return
        }
        let code = failure != 0 ? failure : errno
        unlinkat(directory, temp, 0)
        throw Failure(operation: "write", path: name, code: code)
    }

    struct DirectoryEntry {
        var name: String
        var size: Int
        /// Space on disk: allocated blocks × 512 (what a quota counts), not the length.
        var allocatedBytes: Int
        /// Modification time, nanoseconds since the Unix epoch.
        var modifiedNanoseconds: Int64
        /// A symbolic link (never followed); otherwise a regular file.
        var isSymbolicLink = false
    }

    /// Regular files and symbolic links in `directory` (not recursive; other types left out).
    static func listFiles(_ directory: Int32) -> [DirectoryEntry] {
        let fd = openat(directory, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        guard let handle = fdopendir(fd) else {
            close(fd)
            return []
        }
        defer { closedir(handle) }
        var result: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0,
                (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFLNK
            else {
                continue
            }
            #if canImport(Darwin)
                let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
            #else
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            #endif
            result.append(
                DirectoryEntry(
                    name: name,
                    size: Int(info.st_size),
                    allocatedBytes: Int(info.st_blocks) * 512,
                    modifiedNanoseconds: modified,
                    isSymbolicLink: (info.st_mode & S_IFMT) == S_IFLNK
                )
            )
        }
        return result
    }

    static func remove(_ name: String, in directory: Int32) {
        unlinkat(directory, name, 0)
    }

    /// Wall-clock time now, nanoseconds since the Unix epoch (the clock file times are in).
    static func wallClockNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }
}
