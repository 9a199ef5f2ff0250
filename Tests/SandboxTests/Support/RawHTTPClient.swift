import Sandbox

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What came back on one connection: a parsed response, or evidence of how it failed.
struct RawHTTPResult {
    var status = 0
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    /// Every byte received.
    var received: [UInt8] = []
    /// The peer reset the connection (recv returned ECONNRESET).
    var wasReset = false
    /// `Content-Length` promised more than arrived before the connection closed.
    var wasCutShort = false

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSON { try JSONParser.parse(body) }
}

/// A deliberately dumb HTTP/1.1 client on a blocking socket: one request per connection,
/// `Connection: close`, read to EOF. Dumb on purpose, so tests see exactly what the sandbox
/// sent, including short bodies and resets that a real client would hide behind an error.
enum RawHTTPClient {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func send(
        port: Int,
        method: String = "GET",
        target: String,
        token: String? = SandboxConfiguration.defaultToken,
        host: String? = nil,
        headers: [(String, String)] = [],
        body: [UInt8] = [],
        timeoutSeconds: Int = 20
    ) throws -> RawHTTPResult {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed: \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw Failure(description: "connect() failed: \(errno)") }

        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL))
            }
            guard n > 0 else { break }  // a reset before we finished sending shows up on read
            sent += n
        }

        var result = RawHTTPResult()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                result.received.append(contentsOf: buffer[0..<n])
            } else if n == 0 {
                break
            } else {
                if errno == ECONNRESET { result.wasReset = true; break }
                if errno == EINTR { continue }
                throw Failure(description: "recv() failed: \(errno)")
            }
        }
        parse(&result, isHead: method == "HEAD")
        return result
    }

    private static func parse(_ result: inout RawHTTPResult, isHead: Bool) {
        let bytes = result.received
        guard
            let end = (0..<max(0, bytes.count - 3)).first(where: {
                bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10
            })
        else { return }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).split(separator: "\r\n").map(String.init)
        guard let statusLine = lines.first else { return }
        let parts = statusLine.split(separator: " ")
        result.status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
        result.headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...].drop(while: { $0 == " " })))
        }
        result.body = Array(bytes[(end + 4)...])
        if !isHead, let length = result.header("Content-Length").flatMap(Int.init), result.body.count < length {
            result.wasCutShort = true
        }
    }
}
