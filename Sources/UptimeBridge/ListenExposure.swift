#if canImport(Glibc)
import Glibc
#endif
import FastCGIRuntime
import Logging

/// Whether the responder would be reachable from other hosts. Access control may only be off on
/// loopback or a unix socket (docs/limits-and-security.md, "Security").
enum ListenExposure {
    /// A description of the non-loopback address, or nil when the socket is local only.
    static func nonLoopback(_ address: ListenAddress) -> String? {
        switch address {
        case .unix:
            return nil
        case .tcp(let host, let port):
            return host.hasPrefix("127.") || host == "localhost" ? nil : "\(host):\(port)"
        case .inherited:
            // An inherited socket (spawn-fcgi, systemd): ask the kernel what it is bound to.
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let ok = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(0, $0, &length) == 0 }
            }
            guard ok else { return nil }
            switch Int32(storage.ss_family) {
            case AF_INET:
                let address = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
                }
                let ip = UInt32(bigEndian: address.sin_addr.s_addr)
                return ip >> 24 == 127 ? nil : "an IPv4 address (inherited socket)"
            case AF_INET6:
                let address = withUnsafePointer(to: &storage) {
                    $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee }
                }
                let bytes = withUnsafeBytes(of: address.sin6_addr) { Array($0) }
                return bytes == [UInt8](repeating: 0, count: 15) + [1] ? nil : "an IPv6 address (inherited socket)"
            default:
                return nil
            }
        }
    }
}

extension ListenAddress {
    /// The bound socket, or nil after logging why it could not be bound (critical: the process
    /// cannot serve; the caller exits 1).
    func bindLogging(to logger: Logger) -> Int32? {
        do {
            return try bind()
        } catch {
            logger.critical("cannot listen", metadata: ["address": "\(self)", "error": "\(error)"])
            return nil
        }
    }
}
