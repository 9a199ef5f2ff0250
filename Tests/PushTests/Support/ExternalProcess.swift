import Foundation  // Process lives only in full Foundation; tests may afford it.
import Testing

/// A server or helper started from a test: its own process, output in a log file, stopped by
/// pid (SIGTERM, then SIGKILL if it does not go).
final class ExternalProcess: @unchecked Sendable {
    let name: String
    let process: Process
    let logPath: String

    /// The pid, for signals.
    var pid: Int32 { process.processIdentifier }

    private init(name: String, process: Process, logPath: String) {
        self.name = name
        self.process = process
        self.logPath = logPath
    }

    /// Starts `executable` with `arguments`, stdout and stderr to `logPath`.
    static func start(
        _ name: String,
        executable: String,
        arguments: [String],
        environment: [String: String]? = nil,
        logPath: String
    ) throws -> ExternalProcess {
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ExternalProcess(name: name, process: process, logPath: logPath)
    }

    /// The executable's path on `PATH`, or a test failure naming the Debian package to install.
    static func require(
        _ executable: String,
        package: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/sbin"] {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        Issue.record(
            "\(executable) is not installed: apt-get install \(package) (deploy/test.sh installs it)",
            sourceLocation: sourceLocation
        )
        throw MissingExecutable(name: executable)
    }

    struct MissingExecutable: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) not found" }
    }

    /// SIGTERM, up to 10 s to exit, then SIGKILL; always reaped.
    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGKILL now, and reap.
    func killHard() {
        kill(pid, SIGKILL)
        process.waitUntilExit()
    }

    /// Waits (up to `timeout`) for the process to end on its own; the exit status, or `nil`.
    func waitForExit(timeout: Duration) async -> Int32? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while process.isRunning && clock.now < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// The last `bytes` of the log, for failure messages.
    func logTail(_ bytes: Int = 2000) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return String(text.suffix(bytes))
    }

    deinit { stop() }
}

/// Polls until `condition` holds, or fails with `message` after `timeout`.
func waitUntil(
    _ message: @autoclosure () -> String,
    timeout: Duration = .seconds(20),
    interval: Duration = .milliseconds(50),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if (try? await condition()) == true { return }
        try await Task.sleep(for: interval)
    }
    throw TimedOut(description: message())
}

struct TimedOut: Error, CustomStringConvertible {
    let description: String
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
func isListening(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
        }
    }
}
