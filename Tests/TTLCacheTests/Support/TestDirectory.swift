import Foundation

/// A fresh temporary directory per test, removed afterwards.
struct TestDirectory: ~Copyable {
    let path: String

    init(_ label: String = "ttlcache") {
        path =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(getpid())-\(UInt64.random(in: 0...UInt64.max))").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}
