import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking HTTP/1.1 client over a plain TCP socket that sends the request bytes exactly as given
/// (raw non-ASCII bytes, invalid percent-encoding, bodies of any shape) — URL types and HTTP client
/// libraries would normalise or refuse them — and times the whole exchange. One request per
/// connection (`Connection: close`). Blocking: call it from threads of its own, not from the
/// cooperative pool.
enum RawHTTPClient {
    struct Answer: Sendable {
        /// 0 when no status line was read (see `error`).
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        /// Connect to the last body byte.
        var seconds: Double
        /// A transport problem (connect, send, receive, timeout, unparsable answer), if any.
        var error: String?
        /// The answer was longer than the read cap and was cut there.
        var bodyCapped: Bool

        func header(_ name: String) -> String? {
            let lower = name.lowercased()
            return headers.first { $0.0.lowercased() == lower }?.1
        }

        var bodyText: String { String(decoding: body, as: UTF8.self) }

        /// The body as a JSON object, if it is one.
        var jsonObject: [String: Any]? {
            (try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed])) as? [String: Any]
        }
    }

    /// Builds the bytes of a request: `target` is the request target (path and query) as raw bytes.
    static func request(
        method: String,
        target: [UInt8],
        body: [UInt8]?,
        headers: [(String, String)] = []
    ) -> [UInt8] {
        var bytes = Array("\(method) ".utf8) + target + Array(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n".utf8)
        for (name, value) in headers { bytes += Array("\(name): \(value)\r\n".utf8) }
        if let body { bytes += Array("Content-Length: \(body.count)\r\n".utf8) }
        bytes += Array("\r\n".utf8)
        if let body { bytes += body }
        return bytes
    }

    /// Sends `request` to 127.0.0.1:`port` and reads the answer to its end (or `readCap` bytes).
    static func exchange(port: Int, request: [UInt8], timeoutSeconds: Int = 30, readCap: Int = 64 << 20) -> Answer {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        func failed(_ message: String) -> Answer {
            Answer(status: 0, headers: [], body: [], seconds: elapsed(), error: message, bodyCapped: false)
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return failed("socket(): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var time = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { return failed("connect(): \(String(cString: strerror(errno)))") }

        // Send everything; nginx may answer (413) and stop reading before the body is all sent, so a
        // send error is remembered and the answer still read.
        var sendError: String?
        request.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if sent < 0 {
                    if errno == EINTR { continue }
                    sendError = "send(): \(String(cString: strerror(errno))) after \(offset) of \(raw.count) bytes"
                    return
                }
                offset += sent
            }
        }

        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256 << 10)
        var headerEnd: Int?
        var status = 0
        var headers: [(String, String)] = []
        var contentLength: Int?
        var chunked = false
        var capped = false
        var readError: String?
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if count < 0 {
                if errno == EINTR { continue }
                readError =
                    errno == EAGAIN || errno == EWOULDBLOCK
                    ? "no answer within \(timeoutSeconds) s" : "recv(): \(String(cString: strerror(errno)))"
                break
            }
            if count == 0 { break }
            buffer += chunk[0..<count]
            if headerEnd == nil, let end = find(Array("\r\n\r\n".utf8), in: buffer) {
                headerEnd = end + 4
                let lines = String(decoding: buffer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
                let statusParts = lines.first?.split(separator: " ") ?? []
                status = statusParts.count >= 2 ? Int(statusParts[1]) ?? 0 : 0
                for line in lines.dropFirst() {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    let name = String(line[..<colon])
                    let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    headers.append((name, value))
                    if name.lowercased() == "content-length" { contentLength = Int(value) }
                    if name.lowercased() == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
                }
            }
            if let headerEnd {
                if let contentLength, !chunked, buffer.count - headerEnd >= contentLength { break }
                if chunked, buffer.count >= 5, buffer.suffix(5).elementsEqual(Array("0\r\n\r\n".utf8)) { break }
                if buffer.count - headerEnd > readCap {
                    capped = true
                    break
                }
            }
        }
        let seconds = elapsed()
        guard let headerEnd else {
            return Answer(
                status: 0,
                headers: [],
                body: buffer,
                seconds: seconds,
                error: [sendError, readError, "no complete answer head (\(buffer.count) bytes)"].compactMap { $0 }
                    .joined(separator: "; "),
                bodyCapped: false
            )
        }
        var body = Array(buffer[headerEnd...])
        if chunked, !capped {
            guard let decoded = dechunk(body) else {
                return Answer(
                    status: status,
                    headers: headers,
                    body: body,
                    seconds: seconds,
                    error: "malformed chunked body",
                    bodyCapped: false
                )
            }
            body = decoded
        }
        var error = readError
        if let contentLength, !chunked, !capped, body.count < contentLength {
            error = (error.map { $0 + "; " } ?? "") + "body cut short: \(body.count) of \(contentLength) bytes"
        }
        return Answer(status: status, headers: headers, body: body, seconds: seconds, error: error, bodyCapped: capped)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    private static func dechunk(_ data: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            var lineEnd = i
            while lineEnd + 1 < data.count, !(data[lineEnd] == 13 && data[lineEnd + 1] == 10) { lineEnd += 1 }
            guard lineEnd + 1 < data.count else { return nil }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { return nil }
            i = lineEnd + 2
            if size == 0 { return out }
            guard i + size <= data.count else { return nil }
            out += data[i..<(i + size)]
            i += size + 2
        }
        return nil
    }
}

/// Runs `jobs` on `threads` OS threads (blocking work such as ``RawHTTPClient``), at most `threads` at
/// a time, and returns their results in job order.
func runOnThreads<Job: Sendable, Result: Sendable>(
    _ jobs: [Job],
    threads: Int,
    stackSize: Int = 4 << 20,
    _ work: @escaping @Sendable (Int, Job) -> Result
) async -> [Result] {
    let shared = ThreadPoolResults<Result>(count: jobs.count)
    let group = DispatchGroup()
    for _ in 0..<max(1, min(threads, jobs.count)) {
        group.enter()
        let thread = Thread {
            while true {
                shared.lock.lock()
                let index = shared.next
                shared.next += 1
                shared.lock.unlock()
                guard index < jobs.count else { break }
                let result = work(index, jobs[index])
                shared.lock.lock()
                shared.results[index] = result
                shared.lock.unlock()
            }
            group.leave()
        }
        thread.stackSize = stackSize
        thread.start()
    }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        group.notify(queue: .global()) { continuation.resume() }
    }
    return shared.results.map { $0! }
}

/// The work index and the results of ``runOnThreads(_:threads:_:)``, under a lock.
private final class ThreadPoolResults<Result>: @unchecked Sendable {
    let lock = NSLock()
    var next = 0
    var results: [Result?]
    init(count: Int) { results = Array(repeating: nil, count: count) }
}
