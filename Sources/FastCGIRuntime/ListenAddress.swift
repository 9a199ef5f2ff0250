#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the FastCGI responder listens.
public enum ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The socket handed over as file descriptor 0 (spawn-fcgi, systemd `StandardInput=socket`, mod_fcgid).
    case inherited
    /// A unix socket the process binds itself (mode 0660).
    case unix(path: String)
    /// A TCP socket on an IPv4 address, normally 127.0.0.1.
    case tcp(host: String, port: UInt16)

    /// Parses `--socket` values: `/run/uptime-bridge/fcgi.sock`, `unix:/path`, `127.0.0.1:9000`.
    public init?(parsing text: String) {
        if text.hasPrefix("unix:") {
            self = .unix(path: String(text.dropFirst(5)))
        } else if text.hasPrefix("/") || text.hasPrefix(".") {
            self = .unix(path: text)
        } else if let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) {
            let host = String(text[..<colon])
            guard !host.isEmpty else { return nil }
            self = .tcp(host: host, port: port)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .inherited: "stdin"
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): "\(host):\(port)"
        }
    }
}

/// Errors binding the listening socket; they name the address and the system error, nothing else.
public struct ListenError: Error, CustomStringConvertible {
    public var description: String
}

extension ListenAddress {
    /// Opens the listening socket and returns its file descriptor.
    ///
    /// Bound here rather than with `FCGX_OpenSocket`, which calls `exit()` inside the library on failure
    /// and takes the socket mode from the umask.
    public func bind(backlog: Int32 = 1024, mode: mode_t = 0o660) throws -> Int32 {
        switch self {
        case .inherited:
            return 0
        case .unix(let path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ListenError(description: "socket(): \(errnoText())") }
            var st = stat()
            if lstat(path, &st) == 0 {
                // Only ever replace a stale socket, never a regular file someone pointed us at.
                guard (st.st_mode & S_IFMT) == S_IFSOCK else {
                    close(fd)
                    throw ListenError(description: "\(path) exists and is not a socket")
                }
                unlink(path)
            }
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let capacity = MemoryLayout.size(ofValue: addr.sun_path)
            guard path.utf8.count < capacity else {
                close(fd)
                throw ListenError(description: "socket path too long (\(path.utf8.count) ≥ \(capacity) bytes)")
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
                raw[path.utf8.count] = 0
            }
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard rc == 0 else {
                let text = errnoText()
                close(fd)
                throw ListenError(description: "bind(\(path)): \(text)")
            }
            chmod(path, mode)
            guard listen(fd, backlog) == 0 else {
                let text = errnoText()
                close(fd)
                throw ListenError(description: "listen(\(path)): \(text)")
            }
            return fd
        case .tcp(let host, let port):
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw ListenError(description: "socket(): \(errnoText())") }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host, &addr.sin_addr) == 1 else {
                close(fd)
                throw ListenError(description: "not an IPv4 address: \(host)")
            }
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard rc == 0, listen(fd, backlog) == 0 else {
                let text = errnoText()
                close(fd)
                throw ListenError(description: "bind/listen \(host):\(port): \(text)")
            }
            return fd
        }
    }
}

func errnoText() -> String {
    String(cString: strerror(errno))
}
