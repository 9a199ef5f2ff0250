import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal FastCGI client (one responder request per connection), for talking to the responder on a
/// unix socket without a web server in between, as nginx would.
enum FastCGIClient {
    struct Answer {
        var stdout: String
        var stderr: String
        /// The CGI `Status:` header of the answer (200 when absent).
        var status: Int {
            for line in stdout.split(separator: "\r\n") {
                if line.isEmpty { break }
                if line.lowercased().hasPrefix("status:") {
                    return Int(line.dropFirst(7).trimmingCharacters(in: .whitespaces).prefix(3)) ?? 0
                }
            }
            return 200
        }
        var body: String {
            guard let range = stdout.range(of: "\r\n\r\n") else { return "" }
            return String(stdout[range.upperBound...])
        }
    }

    /// Sends a GET for `path` and waits for the whole answer (at most `timeout` seconds per read).
    /// `silentFor`: seconds to wait between connecting and sending the request, as a slow web server
    /// would (the responder has accepted the connection and waits for its parameters meanwhile).
    static func get(socket path: String, _ route: String, timeout: Int = 10, silentFor: Double = 0) throws -> Answer {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(): \(errno)") }
        defer { close(fd) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw HarnessError("connect(\(path)): \(String(cString: strerror(errno)))") }

        let (pathPart, query) = route.split(separator: "?", maxSplits: 1).map(String.init).splitPair()
        let params = [
            "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": "", "DOCUMENT_URI": pathPart,
            "REQUEST_URI": route, "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1", "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_NAME": "localhost", "SERVER_PORT": "80", "REMOTE_ADDR": "127.0.0.1",
        ]
        var encoded: [UInt8] = []
        for (name, value) in params {
            for length in [name.utf8.count, value.utf8.count] {
                if length < 128 {
                    encoded.append(UInt8(length))
                } else {
                    encoded += [
                        UInt8((length >> 24) | 0x80), UInt8((length >> 16) & 0xff), UInt8((length >> 8) & 0xff),
                        UInt8(length & 0xff),
                    ]
                }
            }
            encoded += Array(name.utf8) + Array(value.utf8)
        }
        var out: [UInt8] = []
        out += record(type: 1, [0, 1, 0, 0, 0, 0, 0, 0])  // BEGIN_REQUEST, role responder, no keep-alive
        out += record(type: 4, encoded) + record(type: 4, [])  // PARAMS
        out += record(type: 5, [])  // STDIN (empty)
        if silentFor > 0 { usleep(UInt32(silentFor * 1_000_000)) }
        let written = out.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == out.count else { throw HarnessError("write: \(errno)") }

        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            while buffer.count >= 8 {
                let length = Int(buffer[4]) << 8 | Int(buffer[5])
                let total = 8 + length + Int(buffer[6])
                guard buffer.count >= total else { break }
                let content = Array(buffer[8..<(8 + length)])
                switch buffer[1] {
                case 6: stdout += content
                case 7: stderr += content
                case 3:
                    return Answer(
                        stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self)
                    )
                default: break
                }
                buffer.removeFirst(total)
            }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                throw HarnessError(
                    "the responder closed the connection without END_REQUEST (read \(n), errno \(errno))"
                )
            }
            buffer += chunk[0..<n]
        }
    }

    /// The same on a background thread (the client blocks), for async tests.
    static func request(socket path: String, _ route: String = "/", silentFor: Double = 0) async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try get(socket: path, route, silentFor: silentFor) })
            }
        }
    }

    /// A listening unix socket, as systemd's socket unit (or spawn-fcgi) holds it before handing it to
    /// the responder as fd 0.
    static func listen(_ path: String) throws -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(): \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in path.utf8.enumerated() { raw[i] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 128) == 0 else {
            close(fd)
            throw HarnessError("bind/listen \(path): \(String(cString: strerror(errno)))")
        }
        return fd
    }

    private static func record(type: UInt8, _ content: [UInt8]) -> [UInt8] {
        [1, type, 0, 1, UInt8(content.count >> 8), UInt8(content.count & 0xff), 0, 0] + content
    }
}

extension Array where Element == String {
    fileprivate func splitPair() -> (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
