import OpenTSDB
import Sandbox
import Testing

/// A real VictoriaMetrics (Debian `victoria-metrics`) on loopback: OpenTSDB HTTP put on one
/// port, the query API on another, data in a temporary directory.
final class VictoriaMetrics: Sendable {
    let process: ExternalProcess
    let httpPort: Int
    let opentsdbPort: Int

    /// `http://127.0.0.1:<opentsdb port>`, where the push job puts.
    var receiverURL: String { "http://127.0.0.1:\(opentsdbPort)" }

    private init(process: ExternalProcess, httpPort: Int, opentsdbPort: Int) {
        self.process = process
        self.httpPort = httpPort
        self.opentsdbPort = opentsdbPort
    }

    static func start(in directory: TemporaryDirectory) async throws -> VictoriaMetrics {
        let executable = try ExternalProcess.require("victoria-metrics", package: "victoria-metrics")
        let httpPort = try FreePort.find()
        let opentsdbPort = try FreePort.find()
        let process = try ExternalProcess.start(
            "victoria-metrics",
            executable: executable,
            arguments: [
                "-httpListenAddr=127.0.0.1:\(httpPort)",
                "-opentsdbHTTPListenAddr=127.0.0.1:\(opentsdbPort)",
                "-storageDataPath=\(directory.file("vm-data"))",
                // The recorded Catchpoint data is from 2022; the default retention (1 month) would drop it.
                "-retentionPeriod=100y",
                "-loggerLevel=ERROR",
            ],
            logPath: directory.file("victoria-metrics.log")
        )
        let server = VictoriaMetrics(process: process, httpPort: httpPort, opentsdbPort: opentsdbPort)
        try await waitUntil("VictoriaMetrics did not start: \(process.logTail())") {
            guard isListening(port: opentsdbPort) else { return false }
            return try await HTTP.get("http://127.0.0.1:\(httpPort)/health").status == 200
        }
        return server
    }

    /// One exported series: its labels and its samples in time order.
    struct Series: Hashable {
        let labels: [String: String]
        let samples: [Sample]
    }

    struct Sample: Hashable, Comparable {
        let milliseconds: Int64
        let value: Double
        static func < (a: Sample, b: Sample) -> Bool { (a.milliseconds, a.value) < (b.milliseconds, b.value) }
    }

    /// Every series whose name matches `regex`, after a flush so recent puts are visible.
    func export(nameMatching regex: String = "catchpoint[.].*") async throws -> [Series] {
        let flush = try await HTTP.get("http://127.0.0.1:\(httpPort)/internal/force_flush")
        guard flush.status == 200 else { throw TimedOut(description: "force_flush answered \(flush.status)") }
        let selector = "{__name__=~\"\(regex)\"}"
        let response = try await HTTP.get(
            "http://127.0.0.1:\(httpPort)/api/v1/export?match%5B%5D=\(HTTP.encode(selector))"
        )
        guard response.status == 200 else {
            throw TimedOut(description: "export answered \(response.status): \(response.bodyExcerpt())")
        }
        var series: [Series] = []
        for line in response.body.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            let json = try JSONParser.parse(line)
            var labels: [String: String] = [:]
            for (key, value) in json["metric"]?.objectValue ?? [] { labels[key] = value.stringValue }
            let values = json["values"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            let times = json["timestamps"]?.arrayValue?.compactMap(\.intValue) ?? []
            let samples = zip(times, values).map { Sample(milliseconds: Int64($0), value: $1) }.sorted()
            series.append(Series(labels: labels, samples: samples))
        }
        return series
    }

    /// What VictoriaMetrics should hold after storing `points` once each.
    static func expectedSeries(_ points: [DataPoint]) -> [[String: String]: [Sample]] {
        var expected: [[String: String]: [Sample]] = [:]
        for point in points {
            var labels = point.tags
            labels["__name__"] = point.metric
            expected[labels, default: []].append(Sample(milliseconds: point.milliseconds, value: point.value))
        }
        return expected.mapValues { $0.sorted() }
    }

    /// The export as the same dictionary (a duplicate shows as a repeated sample).
    static func stored(_ series: [Series]) -> [[String: String]: [Sample]] {
        var stored: [[String: String]: [Sample]] = [:]
        for entry in series { stored[entry.labels, default: []] += entry.samples }
        return stored.mapValues { $0.sorted() }
    }

    /// What differs between what VictoriaMetrics holds and what it should, one line per series
    /// (at most `limit`): missing or extra series, missing, extra or repeated samples. Values
    /// compare to 10 significant digits, since VictoriaMetrics stores about 12.
    static func differences(
        stored: [[String: String]: [Sample]],
        expected: [[String: String]: [Sample]],
        limit: Int = 5
    ) -> [String] {
        var lines: [String] = []
        for key in Set(stored.keys).union(expected.keys).sorted(by: { "\($0)" < "\($1)" }) {
            let have = stored[key] ?? []
            let want = expected[key] ?? []
            let same =
                have.count == want.count
                && zip(have, want).allSatisfy { a, b in
                    a.milliseconds == b.milliseconds && abs(a.value - b.value) <= 1e-10 * max(1, abs(b.value))
                }
            if !same {
                let times = { (samples: [Sample]) in samples.map(\.milliseconds) }
                lines.append("\(key): stored \(times(have)) expected \(times(want))")
                if lines.count == limit { break }
            }
        }
        return lines
    }

    /// Exports until the store matches `points` (each exactly once) or `timeout` passes, and
    /// returns the last differences (empty: a match). Polling only hides lateness: a new series
    /// can take a moment to show in VictoriaMetrics' index, but a duplicate never goes away.
    func differences(
        from points: [DataPoint],
        timeout: Duration = .seconds(15)
    ) async throws -> [String] {
        let expected = Self.expectedSeries(points)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            let found = Self.differences(stored: Self.stored(try await export()), expected: expected)
            if found.isEmpty || clock.now >= deadline { return found }
            try await Task.sleep(for: .milliseconds(250))
        }
    }

    func stop() { process.stop() }
}
