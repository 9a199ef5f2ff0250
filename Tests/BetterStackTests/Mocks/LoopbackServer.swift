import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 for exercising the real AsyncHTTPClient transport:
/// it answers every connection the same scripted way, including misbehaving ones.
final class LoopbackServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// Send these raw bytes (status line, headers, body) and close.
        case respond(String)
        /// Read the request and never answer.
        case hang
        /// Read the request, then reset the connection (RST).
        case reset
    }

    let port: UInt16
    private let listener: Int32
    private let behaviour: Behaviour
    private let stopped = NSLock()
    private var isStopped = false
    private var connections: [Int32] = []

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A port on which nothing listens (bound, then closed).
    static func closedPort() throws -> UInt16 {
        let server = try LoopbackServer(.hang)
        let port = server.port
        server.stop()
        return port
    }

    func stop() {
        stopped.lock()
        isStopped = true
        let open = connections
        connections.removeAll()
        stopped.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in open {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 { return }
            stopped.lock()
            if isStopped {
                stopped.unlock()
                close(fd)
                return
            }
            connections.append(fd)
            stopped.unlock()
            Thread.detachNewThread { [self] in serve(fd) }
        }
    }

    private func serve(_ fd: Int32) {
        readRequest(fd)
        switch behaviour {
        case .respond(let raw):
            let bytes = Array(raw.utf8)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            shutdown(fd, Int32(SHUT_WR))
        case .hang:
            return
        case .reset:
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        }
        stopped.lock()
        connections.removeAll { $0 == fd }
        stopped.unlock()
        close(fd)
    }

    /// Reads until the end of the request head (bodies are small and ignored).
    private func readRequest(_ fd: Int32) {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.ends(with: Array("\r\n\r\n".utf8)) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return }
            received.append(contentsOf: buffer[..<count])
            if let range = received.firstRange(of: Array("\r\n\r\n".utf8)) {
                received = Array(received[..<range.upperBound])
            }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
