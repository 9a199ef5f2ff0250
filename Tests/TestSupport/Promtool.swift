import Foundation
import Testing

/// Shared by the test targets that check Prometheus output (a library target, so it is not copied).
///
/// The real `promtool check metrics` (Debian package `prometheus`), fed on stdin.
///
/// A missing promtool is a failure, not a skip: `.ci/run` installs it, and a green run without
/// it would prove nothing.
public enum Promtool {
    public struct Result: Sendable {
        public var exitCode: Int32
        public var output: String
    }

    public static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/promtool"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `promtool check metrics` on `exposition`; records an issue and returns `nil` when
    /// promtool is not installed.
    public static func checkMetrics(_ exposition: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> Result?
    {
        guard let executable else {
            Issue.record(
                "promtool not found on PATH: install the Debian package 'prometheus' (apt-get install prometheus)",
                sourceLocation: sourceLocation
            )
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["check", "metrics"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        // Read and write on separate threads: either pipe can fill up first.
        let collected = LockedData()
        let readDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            collected.set(output.fileHandleForReading.readDataToEndOfFile())
            readDone.signal()
        }
        input.fileHandleForWriting.write(Data(exposition))
        try input.fileHandleForWriting.close()
        readDone.wait()
        process.waitUntilExit()
        return Result(exitCode: process.terminationStatus, output: String(decoding: collected.get(), as: UTF8.self))
    }

    /// Expects `promtool check metrics` to accept `exposition` with no lint problem (exit 0).
    public static func expectClean(_ exposition: [UInt8], _ what: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        guard let result = try checkMetrics(exposition, sourceLocation: sourceLocation) else { return }
        #expect(
            result.exitCode == 0,
            "promtool check metrics on \(what): exit \(result.exitCode)\n\(result.output)\n---\n\(String(decoding: exposition, as: UTF8.self))",
            sourceLocation: sourceLocation
        )
    }
}

private final class LockedData: @unchecked Sendable {
    // Guarded by `lock`.
    private var data = Data()
    private let lock = NSLock()

    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
