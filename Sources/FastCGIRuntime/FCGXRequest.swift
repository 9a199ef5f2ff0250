import CFastCGI
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A heap-allocated `FCGX_Request`. libfcgi's streams point back at their request, so its address must
/// stay stable for as long as it is in use (never pass `&localVariable`).
struct FCGXRequest: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<FCGX_Request>

    /// The parameters the runtime uses: the CGI variables it reads and every `HTTP_*` header.
    ///
    /// Works on the raw `NAME=value` bytes and only builds Swift strings for the entries it keeps:
    /// this runs once per request on the accept thread.
    func environment() -> [String: String] {
        var result: [String: String] = [:]
        result.reserveCapacity(16)
        guard var cursor = pointer.pointee.envp else { return result }
        while let entry = cursor.pointee {
            CGIEnvironmentEntry.parse(entry, into: &result)
            cursor += 1
        }
        return result
    }

    /// Reads the request body, at most `limit` bytes; more than that is a 413. Without a declared
    /// length the stream is read to its end (an empty stream costs one call).
    func readBody(declared: Int?, limit: Int) -> Result<[UInt8], HTTPError> {
        if declared == 0 {
            drainInput()
            return .success([])
        }
        let want = min(declared ?? Int.max, limit + 1)
        var body: [UInt8] = []
        if let declared { body.reserveCapacity(declared) }
        let chunk = 16 * 1024
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: chunk) { scratch in
            while body.count < want {
                let n = FCGX_GetStr(scratch.baseAddress!, Int32(min(chunk, want - body.count)), pointer.pointee.in)
                if n <= 0 { break }
                scratch.baseAddress!.withMemoryRebound(to: UInt8.self, capacity: Int(n)) {
                    body.append(contentsOf: UnsafeBufferPointer(start: $0, count: Int(n)))
                }
            }
        }
        if body.count > limit {
            return .failure(HTTPError(413, "request body too large", extra: [("limit_bytes", .int(Int64(limit)))]))
        }
        // Consume the end of the input stream (FastCGI's empty stdin record), so the connection can be
        // closed without unread data (see FastCGIServer.run).
        if declared != nil { drainInput() }
        return .success(body)
    }

    /// Reads and discards whatever input is left, up to its end.
    func drainInput() {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { scratch in
            while FCGX_GetStr(scratch.baseAddress!, 4096, pointer.pointee.in) > 0 {}
        }
    }

    /// Writes `bytes` in chunks: libfcgi takes an `Int32` length, and one call per megabyte keeps
    /// any answer size far from it.
    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var offset = 0
            while offset < buffer.count {
                let length = min(Self.writeChunk, buffer.count - offset)
                let written = (base + offset).withMemoryRebound(to: CChar.self, capacity: length) {
                    FCGX_PutStr($0, Int32(length), pointer.pointee.out)
                }
                if written < 0 { return }  // The connection is gone.
                offset += length
            }
        }
    }

    static let writeChunk = 1 << 20

    func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                _ = FCGX_PutStr($0, Int32(buffer.count), pointer.pointee.err)
            }
        }
    }
}

/// Reuses `FCGX_Request` objects between requests instead of allocating one per accept.
final class RequestPool: Sendable {
    private let free = Mutex<[FCGXRequest]>([])

    func take(listenFD: Int32) -> FCGXRequest {
        if let request = free.withLock({ $0.popLast() }) { return request }
        let pointer = UnsafeMutablePointer<FCGX_Request>.allocate(capacity: 1)
        FCGX_InitRequest(pointer, listenFD, 0)
        return FCGXRequest(pointer: pointer)
    }

    func give(_ request: FCGXRequest) {
        free.withLock { $0.append(request) }
    }
}
