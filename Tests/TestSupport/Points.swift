import Logging
import OpenTSDB
import UpstreamHTTP

/// Small helpers shared by the push, OpenTSDB and Catchpoint suites.
public enum TestPoints {
    /// `count` valid points of one metric, one second apart.
    public static func series(_ count: Int, metric: String = "sys.cpu.nice", start: Int64 = 1_700_000_000) -> [DataPoint] {
        (0..<count).map {
            DataPoint(metric: metric, timestamp: start + Int64($0), value: Double($0), tags: ["host": "web01"])
        }
    }
}

/// A quiet logger for tests (warnings and worse only).
public let quietLogger: Logger = {
    var logger = Logger(label: "tests")
    logger.logLevel = .warning
    return logger
}()

/// `http://127.0.0.1:4242`, a receiver URL for mock transports.
public let mockReceiverURL = try! BaseURL("http://127.0.0.1:4242")
