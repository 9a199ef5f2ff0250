import AsyncHTTPClient
import Foundation
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

/// Locations of the repository and the built binaries.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `deploy/test.sh` exports UPTIME_BRIDGE_BIN_DIR; a plain `swift test` uses the debug folder.
    static var binDir: URL {
        if let dir = ProcessInfo.processInfo.environment["UPTIME_BRIDGE_BIN_DIR"], !dir.isEmpty {
            return URL(fileURLWithPath: dir)
        }
        return root.appendingPathComponent(".build/debug")
    }

    static var bridge: String { binDir.appendingPathComponent("uptime-bridge").path }
    static var sandbox: String { binDir.appendingPathComponent("uptime-bridge-sandbox").path }

    static func tool(_ name: String) -> String? {
        for dir in ["/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/sbin", "/bin"] {
            let path = dir + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A private scratch folder below /tmp (short, so unix socket paths fit), removed by `cleanup()`.
struct ScratchDirectory {
    let path: String

    init(_ name: String) throws {
        let template = "/tmp/ub-\(name)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { throw HarnessError("mkdtemp failed") }
        path = String(cString: made)
        chmod(path, 0o755)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// A child process started by a test, stopped by pid.
final class ManagedProcess: @unchecked Sendable {
    let process = Process()
    let name: String
    let logPath: String

    /// `standardInput`: what the child gets as fd 0 (default /dev/null), e.g. a listening socket as
    /// systemd and spawn-fcgi pass it.
    init(
        _ name: String,
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        logPath: String,
        standardInput: FileHandle? = nil
    ) throws {
        self.name = name
        self.logPath = logPath
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = FileHandle(forWritingAtPath: logPath)!
        process.standardOutput = log
        process.standardError = log
        process.standardInput = standardInput ?? FileHandle.nullDevice
        try withCleanSignalMask { try process.run() }
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    func signal(_ number: Int32) { if process.isRunning { kill(pid, number) } }

    /// Waits for exit; true if it exited within `seconds`.
    @discardableResult
    func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning {
            if Date() > deadline { return false }
            usleep(5_000)
        }
        return true
    }

    /// SIGTERM, then SIGKILL if it does not stop within `grace` seconds.
    func stop(grace: Double = 5) {
        guard process.isRunning else { return }
        signal(SIGTERM)
        if !waitForExit(seconds: grace) {
            signal(SIGKILL)
            waitForExit(seconds: 5)
        }
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// Runs `body` (which spawns a child) with no signal blocked in the calling thread. A child inherits
/// the spawning thread's signal mask, and the threads Swift concurrency runs tests on block most
/// signals: without this, SIGTERM is blocked in the child and a server that does not unblock it
/// itself (Apache, lighttpd) ignores it, and SIGKILL then orphans its workers.
func withCleanSignalMask<T>(_ body: () throws -> T) rethrows -> T {
    var empty = sigset_t()
    var saved = sigset_t()
    sigemptyset(&empty)
    pthread_sigmask(SIG_SETMASK, &empty, &saved)
    defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
    return try body()
}

/// A free TCP port on 127.0.0.1, chosen by the kernel.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ok = withUnsafeMutablePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0
        }
    }
    guard ok else { throw HarnessError("no free port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A plain HTTP answer.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The body parsed as JSON.
    var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { (json as? [String: Any]) ?? [:] }
}

enum HTTP {
    /// One client for all tests with a pool large enough for the concurrency tests (the shared client
    /// allows 8 connections per host). Never shut down: it lives as long as the test process.
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(
            connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        )
    )

    static func send(
        _ method: String = "GET",
        _ url: String,
        body: [UInt8]? = nil,
        headers: [(String, String)] = [],
        timeout: TimeAmount = .seconds(30)
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = .init(rawValue: method)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return HTTPAnswer(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: String(buffer: bytes)
        )
    }

    /// Polls until the URL answers at all.
    static func waitUntilUp(_ url: String, process: ManagedProcess? = nil, seconds: Double = 15) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let process, !process.isRunning {
                throw HarnessError("\(process.name) exited early:\n\(process.log)")
            }
            if (try? await send("GET", url, timeout: .seconds(2))) != nil { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError("timed out waiting for \(url)")
    }
}

/// Runs a shell command and returns its exit status (output goes to the test log).
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
}

/// Runs a command to its end and returns its exit status and its output (stdout and stderr together).
func capture(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String]? = nil,
    currentDirectory: String? = nil
) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let environment { process.environment = environment }
    if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try withCleanSignalMask { try process.run() }
    // Read before waiting: a full pipe would otherwise block the child forever.
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
