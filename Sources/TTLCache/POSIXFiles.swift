#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few file-system calls the file cache needs, on raw POSIX so the module has no
/// dependencies and the atomicity guarantees are the kernel's, not a library's.
enum POSIXFiles {
    struct Failure: Error, CustomStringConvertible {
        let operation: String
        let path: String
        let code: Int32
        var description: String { "\(operation) \(path): \(String(cString: strerror(code)))" }
    }

    /// `mkdir -p` with the given mode for created directories.
    static func makeDirectories(_ path: String, mode: mode_t = 0o700) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, mode) != 0, errno != EEXIST {
                throw Failure(operation: "mkdir", path: current, code: errno)
            }
        }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(operation: "stat", path: path, code: ENOTDIR)
        }
    }

    /// The whole file, or `nil` if it does not exist, can not be read or is larger than `limit`.
    static func readFile(_ path: String, limit: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) <= limit else { return nil }
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

    /// Writes `bytes` to a new temporary file in `directory`, then renames it over `path`.
    /// `rename` is atomic within a file system, so readers see the old file or the new one,
    /// never a partial one.
    static func writeAtomically(_ bytes: [UInt8], to path: String, directory: String, tempPrefix: String) throws {
        let temp = "\(directory)/.\(tempPrefix).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
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
        if failure == 0, rename(temp, path) == 0 {
            return
        }
        let code = failure != 0 ? failure : errno
        unlink(temp)
        throw Failure(operation: "write", path: path, code: code)
    }

    struct DirectoryEntry {
        var name: String
        var size: Int
        /// Modification time, nanoseconds since the Unix epoch.
        var modifiedNanoseconds: Int64
    }

    /// Regular files in `directory` (not recursive).
    static func listFiles(_ directory: String) -> [DirectoryEntry] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var result: [DirectoryEntry] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            var info = stat()
            guard stat("\(directory)/\(name)", &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            #if canImport(Darwin)
                let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
            #else
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            #endif
            result.append(DirectoryEntry(name: name, size: Int(info.st_size), modifiedNanoseconds: modified))
        }
        return result
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}
