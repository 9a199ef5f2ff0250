import Foundation  // writing the generated config file
import Testing
import OpenTSDB
import Sandbox

/// A real InfluxDB 1.x (Debian `influxdb`) on loopback with its `[[opentsdb]]` input enabled,
/// from a generated config; data, meta and WAL in a temporary directory.
final class InfluxDB: Sendable {
    let process: ExternalProcess
    let httpPort: Int
    let opentsdbPort: Int
    /// The database the OpenTSDB input writes to.
    let database = "opentsdb"

    var receiverURL: String { "http://127.0.0.1:\(opentsdbPort)" }

    private init(process: ExternalProcess, httpPort: Int, opentsdbPort: Int) {
        self.process = process
        self.httpPort = httpPort
        self.opentsdbPort = opentsdbPort
    }

    static func start(in directory: TemporaryDirectory) async throws -> InfluxDB {
        let executable = try ExternalProcess.require("influxd", package: "influxdb")
        let httpPort = try FreePort.find()
        let opentsdbPort = try FreePort.find()
        let rpcPort = try FreePort.find()
        let root = directory.file("influxdb")
        let config = """
            reporting-disabled = true
            bind-address = "127.0.0.1:\(rpcPort)"
            [meta]
              dir = "\(root)/meta"
            [data]
              dir = "\(root)/data"
              wal-dir = "\(root)/wal"
              query-log-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:\(httpPort)"
              log-enabled = false
            [monitor]
              store-enabled = false
            [continuous_queries]
              enabled = false
            [[opentsdb]]
              enabled = true
              bind-address = "127.0.0.1:\(opentsdbPort)"
              database = "opentsdb"
              batch-size = 1000
              batch-timeout = "100ms"

            """
        let configPath = directory.file("influxdb.conf")
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        let process = try ExternalProcess.start(
            "influxd",
            executable: executable,
            arguments: ["-config", configPath],
            logPath: directory.file("influxd.log")
        )
        let server = InfluxDB(process: process, httpPort: httpPort, opentsdbPort: opentsdbPort)
        try await waitUntil("InfluxDB did not start: \(process.logTail())") {
            guard isListening(port: opentsdbPort) else { return false }
            return try await HTTP.get("http://127.0.0.1:\(httpPort)/ping").status == 204
        }
        // The README says the input creates its database; 1.6.7 answers 500 until it exists.
        _ = try await server.query("CREATE DATABASE opentsdb")
        return server
    }

    /// Runs InfluxQL against the database; the parsed JSON answer.
    func query(_ text: String) async throws -> JSON {
        let response = try await HTTP.post(
            "http://127.0.0.1:\(httpPort)/query?db=\(database)&epoch=ms",
            body: "q=\(HTTP.encode(text))",
            contentType: "application/x-www-form-urlencoded"
        )
        guard response.status == 200 else {
            throw TimedOut(description: "InfluxDB query answered \(response.status): \(response.bodyExcerpt())")
        }
        return try JSONParser.parse(response.body)
    }

    /// Points stored in measurements whose name matches `regex`.
    func count(measurementsMatching regex: String = "^catchpoint\\.") async throws -> Int {
        let answer = try await query("SELECT count(value) FROM /\(regex)/")
        var total = 0
        for series in answer["results"]?[0]?["series"]?.arrayValue ?? [] {
            total += series["values"]?[0]?[1]?.intValue ?? 0
        }
        return total
    }

    func stop() { process.stop() }
}
