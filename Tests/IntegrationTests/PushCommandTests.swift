import Foundation
import Testing

/// `uptime-bridge push` (the real binary) against the sandbox binary and a real VictoriaMetrics
/// (Debian `victoria-metrics`): what lands, exactly once, the heartbeat pings, and each failure's
/// exit code, one-line reason and untouched checkpoint.
@Suite(.serialized)
struct PushCommandTests {
    static let heartbeatToken = "8oft6qqcntha8luawfszlvfh"

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `uptime-bridge push --config <config>` with a clean environment (no UPTIME_BRIDGE_* /
    /// BETTERSTACK_* / CATCHPOINT_* variables from the caller).
    static func push(config: String, scratch: ScratchDirectory) throws -> Outcome {
        try run(["push", "--config", config], scratch: scratch)
    }

    /// Runs `uptime-bridge <arguments>` the same way.
    static func run(_ arguments: [String], scratch: ScratchDirectory) throws -> Outcome {
        let id = UUID().uuidString
        let out = scratch.file("push-\(id).out")
        let err = scratch.file("push-\(id).err")
        var env = ProcessInfo.processInfo.environment
        for key in env.keys
        where key.hasPrefix("UPTIME_BRIDGE_") || key.hasPrefix("BETTERSTACK_") || key.hasPrefix("CATCHPOINT_")
            || key == "BetterStack_API_TOKEN"
        {
            env[key] = nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Paths.bridge)
        process.arguments = arguments
        process.environment = env
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: out)!
        process.standardError = FileHandle(forWritingAtPath: err)!
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Bound only against a hang (the receiver's retries take a few seconds).
        let deadline = Date().addingTimeInterval(180)
        while process.isRunning {
            if Date() > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw HarnessError("uptime-bridge \(arguments.first ?? "") hung")
            }
            usleep(20_000)
        }
        return Outcome(
            status: process.terminationStatus,
            stdout: try String(contentsOfFile: out, encoding: .utf8),
            stderr: try String(contentsOfFile: err, encoding: .utf8)
        )
    }

    struct Setup {
        var sandbox: String
        var receiver: String
        var checkpoint: String
        var catchpointSecret = "sandbox-catchpoint-secret"
        var betterstack = true
        var statuspage = true
        var heartbeat = true
        var extra = ""
    }

    static func config(_ setup: Setup) -> String {
        var text = ""
        if !setup.receiver.isEmpty || !setup.checkpoint.isEmpty {
            text += "push:\n"
            if !setup.receiver.isEmpty { text += "  opentsdb_url: \(setup.receiver)\n" }
            text += "  checkpoint_file: \(setup.checkpoint)\n"
            if setup.heartbeat {
                text += "  heartbeat_url: \(setup.sandbox)/api/v1/heartbeat/\(heartbeatToken)\n"
            }
        }
        if setup.betterstack {
            text += "betterstack:\n  api_url: \(setup.sandbox)\n  api_token: sandbox-token\n"
        }
        text += """
            catchpoint:
              api_url: \(setup.sandbox)
              client_id: sandbox-catchpoint-client
              client_secret: \(setup.catchpointSecret)
              tests: [1, 2, 3]

            """
        if setup.statuspage {
            text += """
                statuspage:
                  pages:
                    alpha: \(setup.sandbox)/statuspage/page-1
                    beta: \(setup.sandbox)/statuspage/page-2

                """
        }
        return text + setup.extra
    }

    static func write(_ text: String, _ name: String, _ scratch: ScratchDirectory) throws -> String {
        try text.write(toFile: scratch.file(name), atomically: true, encoding: .utf8)
        return scratch.file(name)
    }

    static func startSandbox(
        _ scratch: ScratchDirectory,
        monitors: Int = 3,
        extraArguments: [String] = []
    ) async throws -> (ManagedProcess, String) {
        let port = try freePort()
        let sandbox = try ManagedProcess(
            "uptime-bridge-sandbox",
            executable: Paths.sandbox,
            arguments: ["--port", "\(port)", "--monitors", "\(monitors)", "--log-level", "error"] + extraArguments,
            logPath: scratch.file("sandbox.log")
        )
        let url = "http://127.0.0.1:\(port)"
        do {
            try await HTTP.waitUntilUp("\(url)/_sandbox/health", process: sandbox)
        } catch {
            sandbox.stop()
            throw error
        }
        return (sandbox, url)
    }

    /// The sandbox's recorded pings for the push heartbeat: (kind, exit code, method, body).
    static func pings(_ sandbox: String) async throws -> [(kind: String, exitCode: Int?, method: String, body: String)] {
        let answer = try await HTTP.send("GET", "\(sandbox)/_sandbox/pings")
        let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]
        let list = json?["pings"] as? [[String: Any]] ?? []
        return list.filter { $0["token"] as? String == heartbeatToken }.map {
            (
                $0["kind"] as? String ?? "", $0["exit_code"] as? Int, $0["method"] as? String ?? "",
                $0["body"] as? String ?? ""
            )
        }
    }

    @Test func onePushStoresEverySourceASecondAddsNoneAndTheHeartbeatHearsSuccess() async throws {
        guard let executable = Paths.tool("victoria-metrics") else {
            Issue.record("victoria-metrics is not installed (Debian package victoria-metrics)")
            return
        }
        let scratch = try ScratchDirectory("push-vm")
        defer { scratch.cleanup() }
        let (sandbox, sandboxURL) = try await Self.startSandbox(scratch)
        defer { sandbox.stop() }
        let vm = try VictoriaMetricsProcess(executable: executable, scratch: scratch)
        defer { vm.stop() }
        try await vm.waitUntilUp()

        let checkpoint = scratch.file("state/checkpoint.json")
        try FileManager.default.createDirectory(atPath: scratch.file("state"), withIntermediateDirectories: true)
        let config = try Self.write(
            Self.config(Setup(sandbox: sandboxURL, receiver: vm.receiverURL, checkpoint: checkpoint)),
            "good.yaml",
            scratch
        )

        let first = try Self.push(config: config, scratch: scratch)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(first.stdout.hasPrefix("push ok") && first.stdout.split(separator: "\n").count == 1, "\(first.stdout)")
        #expect(first.stderr.isEmpty, "stderr is not a terminal, so no progress: \(first.stderr)")
        let afterFirst = try await vm.export()
        let names = Set(afterFirst.map(\.name))
        for name in ["betterstack.response_time", "betterstack.availability", "statuspage.status", "statuspage.component_status"] {
            #expect(names.contains(name), "no \(name) in \(names.sorted().prefix(20))")
        }
        #expect(names.contains { $0.hasPrefix("catchpoint.testdata.") }, "no Catchpoint series")
        // Every Better Stack phase and both pages arrive, with string tags.
        let phases = Set(afterFirst.filter { $0.name == "betterstack.response_time" }.compactMap { $0.labels["phase"] })
        #expect(phases == ["total", "name_lookup", "connection", "tls_handshake", "data_transfer"])
        let services = Set(afterFirst.filter { $0.name == "statuspage.status" }.compactMap { $0.labels["service"] })
        #expect(services == ["alpha", "beta"])
        #expect(afterFirst.allSatisfy { $0.timestamps.count == Set($0.timestamps).count }, "a sample is stored twice")
        let firstCount = afterFirst.reduce(0) { $0 + $1.timestamps.count }
        #expect(firstCount > 100)
        // What was delivered (each series' last time); the per-source marks move with the clock.
        func deliveredSeries() throws -> NSDictionary {
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))) as? [String: Any]
            return (json?["series"] as? NSDictionary) ?? [:]
        }
        let checkpointAfterFirst = try deliveredSeries()

        let second = try Self.push(config: config, scratch: scratch)
        #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
        #expect(second.stdout.contains("betterstack 0 sent") && second.stdout.contains("statuspage 0 sent"), "\(second.stdout)")
        #expect(second.stdout.contains("catchpoint 0 sent"), "\(second.stdout)")
        let afterSecond = try await vm.export()
        #expect(Set(afterSecond) == Set(afterFirst), "the second push changed what VictoriaMetrics holds")
        #expect(try deliveredSeries() == checkpointAfterFirst)

        let pings = try await Self.pings(sandboxURL)
        #expect(pings.count == 2 && pings.allSatisfy { $0.kind == "success" && $0.method == "GET" }, "\(pings)")

        // Bad Catchpoint credentials: exit 1, the reason in one line, the checkpoint not advanced.
        var badSecret = Setup(sandbox: sandboxURL, receiver: vm.receiverURL, checkpoint: checkpoint)
        badSecret.catchpointSecret = "wrong-secret"
        let bad = try Self.push(config: try Self.write(Self.config(badSecret), "bad-secret.yaml", scratch), scratch: scratch)
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.hasPrefix("push failed") && bad.stdout.contains("catchpoint failed"), "\(bad.stdout)")
        #expect(bad.stdout.split(separator: "\n").count == 1)
        #expect(!bad.stdout.contains("wrong-secret") && !bad.stderr.contains("wrong-secret"))
        #expect(try deliveredSeries() == checkpointAfterFirst)
        let failurePing = try await Self.pings(sandboxURL).last
        #expect(failurePing?.kind == "exit_code" && failurePing?.exitCode == 1, "\(String(describing: failurePing))")
    }

    /// A push run over 40 monitors is paced like every other Better Stack caller: with
    /// `betterstack.rate_limit: 5` (burst 1) against a sandbox that answers 429 above 6 requests in
    /// a wall-clock second, the sandbox's own per-second counters never pass the limit, nothing is
    /// rate-limited, and every checked monitor's data lands.
    @Test func aPushRunNeverExceedsTheConfiguredRate() async throws {
        guard let executable = Paths.tool("victoria-metrics") else {
            Issue.record("victoria-metrics is not installed (Debian package victoria-metrics)")
            return
        }
        let scratch = try ScratchDirectory("push-pace")
        defer { scratch.cleanup() }
        let (sandbox, sandboxURL) = try await Self.startSandbox(scratch, monitors: 40, extraArguments: ["--rate-limit", "6"])
        defer { sandbox.stop() }
        let vm = try VictoriaMetricsProcess(executable: executable, scratch: scratch)
        defer { vm.stop() }
        try await vm.waitUntilUp()

        var setup = Setup(sandbox: sandboxURL, receiver: vm.receiverURL, checkpoint: scratch.file("checkpoint.json"))
        setup.betterstack = false
        setup.statuspage = false
        setup.heartbeat = false
        setup.extra = "betterstack:\n  api_url: \(sandboxURL)\n  api_token: sandbox-token\n  rate_limit: 5\n  rate_burst: 1\n"
        let outcome = try Self.push(config: try Self.write(Self.config(setup), "paced.yaml", scratch), scratch: scratch)
        #expect(outcome.status == 0, "\(outcome.stdout)\(outcome.stderr)")

        let stats = try await HTTP.send("GET", "\(sandboxURL)/_sandbox/stats")
        let json = try JSONSerialization.jsonObject(with: Data(stats.body.utf8)) as? [String: Any]
        let routes = json?["routes"] as? [String: Int] ?? [:]
        let perSecond = json?["per_second"] as? [String: Any] ?? [:]
        #expect((routes["response_times"] ?? 0) >= 40, "not every monitor was asked: \(routes)")
        #expect(perSecond["limited"] as? Int == 0, "\(perSecond)")
        let busiest = perSecond["max_requests"] as? Int ?? .max
        #expect(busiest <= 6, "a second saw \(busiest) Uptime API requests: \(perSecond)")
        // Every monitor that has been checked (paused and pending ones have no recent checks).
        let list = try await HTTP.send(
            "GET", "\(sandboxURL)/api/v2/monitors?per_page=100", headers: [("Authorization", "Bearer sandbox-token")]
        )
        let monitors = (try JSONSerialization.jsonObject(with: Data(list.body.utf8)) as? [String: Any])?["data"] as? [[String: Any]] ?? []
        #expect(monitors.count == 40)
        let checked = Set(
            monitors.filter {
                let status = ($0["attributes"] as? [String: Any])?["status"] as? String
                return status != "paused" && status != "pending"
            }.compactMap { $0["id"] as? String }
        )
        let stored = Set(try await vm.export().filter { $0.name == "betterstack.response_time" }.compactMap { $0.labels["monitor_id"] })
        #expect(!checked.isEmpty && stored == checked, "series for \(stored.count) of \(checked.count) checked monitors")
    }

    /// The replaced job's own files, read as they are: its `config_catchpoint.yaml` (test ids by
    /// type, batch_size) and `config_opents.yaml` drive a push that stores exactly the points a
    /// push of the same tests as the bridge's flat list stores; `check` says what it read.
    @Test func theJobsOwnConfigFilesPushTheSamePointsAsTheFlatList() async throws {
        guard let executable = Paths.tool("victoria-metrics") else {
            Issue.record("victoria-metrics is not installed (Debian package victoria-metrics)")
            return
        }
        let scratch = try ScratchDirectory("push-job-files")
        defer { scratch.cleanup() }
        let (sandbox, sandboxURL) = try await Self.startSandbox(scratch)
        defer { sandbox.stop() }
        let fromJob = try VictoriaMetricsProcess(executable: executable, scratch: scratch, name: "vm-job")
        defer { fromJob.stop() }
        let fromList = try VictoriaMetricsProcess(executable: executable, scratch: scratch, name: "vm-list")
        defer { fromList.stop() }
        try await fromJob.waitUntilUp()
        try await fromList.waitUntilUp()

        let host = sandboxURL.replacingOccurrences(of: "http://", with: "")
        let jobCatchpoint = try Self.write(
            """
            client_id :  'sandbox-catchpoint-client'
            client_secret : 'sandbox-catchpoint-secret'
            refresh_token : 'None'
            protocol : 'http'
            domain : '\(host)/ui/api'
            token_endpoint: 'token'
            version : 'v1'
            rawdata_endpoint : 'performance/raw?tests'
            test_ids: {
                        web : ['1'],
                        api : ['2', '3'],
                    #   dns : [],
                        ping : []
                      }
            batch_size : 1
            log_file : 'app.log'
            log_level : 'debug'

            """,
            "config_catchpoint.yaml",
            scratch
        )
        let opentsdbPort = fromJob.receiverURL.split(separator: ":").last.map(String.init) ?? ""
        let jobOpenTSDB = try Self.write(
            "tsdb_host : 'http://127.0.0.1'\ntsdb_port : \(opentsdbPort)\n", "config_opents.yaml", scratch
        )
        let jobConfig = try Self.write(
            """
            catchpoint:
              job_config: \(jobCatchpoint)
            push:
              job_opentsdb_config: \(jobOpenTSDB)
              checkpoint_file: \(scratch.file("job-checkpoint.json"))

            """,
            "job.yaml",
            scratch
        )
        var flat = Setup(sandbox: sandboxURL, receiver: fromList.receiverURL, checkpoint: scratch.file("list-checkpoint.json"))
        flat.betterstack = false
        flat.statuspage = false
        flat.heartbeat = false
        let listConfig = try Self.write(Self.config(flat), "list.yaml", scratch)

        // The two runs ask for windows a moment apart (the wall clock): compare the points both
        // windows hold, [after - 1 h, before], where a run may not straddle one run and not the other.
        let before = Int(Date().timeIntervalSince1970)
        let job = try Self.push(config: jobConfig, scratch: scratch)
        #expect(job.status == 0, "\(job.stdout)\(job.stderr)")
        let list = try Self.push(config: listConfig, scratch: scratch)
        #expect(list.status == 0, "\(list.stdout)\(list.stderr)")
        let after = Int(Date().timeIntervalSince1970) + 1
        func common(_ series: [VictoriaMetricsProcess.Series]) -> Set<VictoriaMetricsProcess.Series> {
            Set(series.map { entry in
                let kept = zip(entry.timestamps, entry.values).filter { $0.0 >= (after - 3600) * 1000 && $0.0 <= before * 1000 }
                return VictoriaMetricsProcess.Series(name: entry.name, labels: entry.labels, timestamps: kept.map(\.0), values: kept.map(\.1))
            })
        }
        let stored = try await fromJob.export()
        #expect(stored.contains { $0.name.hasPrefix("catchpoint.testdata.") })
        #expect(common(stored).reduce(0) { $0 + $1.timestamps.count } > 10)
        #expect(common(stored) == common(try await fromList.export()), "the job's files and the flat list stored different points")
        #expect(!job.stdout.contains("sandbox-catchpoint-secret") && !job.stderr.contains("sandbox-catchpoint-secret"))

        // One type's tests per request, batch_size (1) at a time: three raw requests.
        let stats = try await HTTP.send("GET", "\(sandboxURL)/_sandbox/stats")
        let routes = (try JSONSerialization.jsonObject(with: Data(stats.body.utf8)) as? [String: Any])?["routes"] as? [String: Int]
        #expect(routes?["catchpoint_raw"] == 3 + 1, "raw requests: \(String(describing: routes))")

        let check = try Self.run(["check", "--config", jobConfig], scratch: scratch)
        #expect(check.stdout.contains("ok: catchpoint: read the job's \(jobCatchpoint): API http://\(host), 3 test(s) (web 1, api 2), 1 per request"), "\(check.stdout)")
        #expect(check.stdout.contains("ok: push: read the job's \(jobOpenTSDB): OpenTSDB at http://127.0.0.1:\(opentsdbPort) (used)"), "\(check.stdout)")
        #expect(!check.stdout.contains("sandbox-catchpoint-secret"))
    }

    @Test func aRunWhoseReceiverIsDownExitsOneAndPingsItsExitCode() async throws {
        let scratch = try ScratchDirectory("push-down")
        defer { scratch.cleanup() }
        let (sandbox, sandboxURL) = try await Self.startSandbox(scratch)
        defer { sandbox.stop() }
        let checkpoint = scratch.file("checkpoint.json")
        let config = try Self.write(
            Self.config(Setup(sandbox: sandboxURL, receiver: "http://127.0.0.1:\(try freePort())", checkpoint: checkpoint)),
            "down.yaml",
            scratch
        )
        let outcome = try Self.push(config: config, scratch: scratch)
        #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("push failed"), "\(outcome.stdout)")
        #expect(!FileManager.default.fileExists(atPath: checkpoint), "the checkpoint advanced without a receiver")
        let pings = try await Self.pings(sandboxURL)
        #expect(pings.count == 1, "\(pings)")
        #expect(pings.first?.kind == "exit_code" && pings.first?.exitCode == 1 && pings.first?.method == "POST")
        #expect(pings.first?.body.hasPrefix("push failed") == true, "\(pings)")
    }

    /// A failed run is reported to Better Stack Errors (the sandbox's envelope ingest) with its exit
    /// code and summary, and nothing secret.
    @Test func aFailedRunIsReportedToBetterStackErrors() async throws {
        let scratch = try ScratchDirectory("push-errors")
        defer { scratch.cleanup() }
        let (sandbox, sandboxURL) = try await Self.startSandbox(scratch)
        defer { sandbox.stop() }
        var setup = Setup(sandbox: sandboxURL, receiver: "http://127.0.0.1:\(try freePort())", checkpoint: scratch.file("c.json"))
        setup.heartbeat = false
        setup.extra = "errors:\n  dsn: \(ErrorReportingTests.dsn(sandboxURL))\n"
        let outcome = try Self.push(config: try Self.write(Self.config(setup), "errors.yaml", scratch), scratch: scratch)
        #expect(outcome.status == 1, "\(outcome.stdout)\(outcome.stderr)")
        let events = try await ErrorReportingTests.events(sandboxURL)
        #expect(events.count == 1, "\(events)")
        let event = try #require(events.first)
        #expect(ErrorReportingTests.type(event) == "PushFailed")
        #expect((event["tags"] as? [String: String])?["exit_code"] == "1")
        let message = (event["message"] as? [String: Any])?["formatted"] as? String ?? ""
        #expect(message.hasPrefix("push failed"), "\(message)")
        let all = try await HTTP.send("GET", "\(sandboxURL)/_sandbox/errors").body
        for secret in ["sandbox-token", "sandbox-catchpoint-secret", ErrorReportingTests.key] {
            #expect(!all.contains(secret), "the event holds \(secret)")
        }
    }

    @Test func badConfigurationExits78WithOneLineAndNoCheckpoint() async throws {
        let scratch = try ScratchDirectory("push-config")
        defer { scratch.cleanup() }
        let (sandbox, sandboxURL) = try await Self.startSandbox(scratch)
        defer { sandbox.stop() }
        let checkpoint = scratch.file("checkpoint.json")
        let receiver = "http://127.0.0.1:\(try freePort())"

        var unknown = Setup(sandbox: sandboxURL, receiver: receiver, checkpoint: checkpoint)
        unknown.extra = "push_extra:\n  treads: 2\n"
        var missingURL = Setup(sandbox: sandboxURL, receiver: "", checkpoint: checkpoint)
        missingURL.heartbeat = false
        let cases: [(String, Setup, String)] = [
            ("unknown key", unknown, "unknown key push_extra"),
            ("missing opentsdb_url", missingURL, "push.opentsdb_url is not set"),
        ]
        for (name, setup, reason) in cases {
            let config = try Self.write(Self.config(setup), "\(name.replacingOccurrences(of: " ", with: "-")).yaml", scratch)
            let outcome = try Self.push(config: config, scratch: scratch)
            #expect(outcome.status == 78, "\(name): \(outcome.stdout)\(outcome.stderr)")
            let lines = outcome.stdout.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("push failed") && lines[0].contains(reason), "\(name): \(outcome.stdout)")
            #expect(!FileManager.default.fileExists(atPath: checkpoint), "\(name)")
        }

        // Bad Catchpoint credentials with Catchpoint the only source: exit 1, nothing recorded.
        var onlyCatchpoint = Setup(sandbox: sandboxURL, receiver: receiver, checkpoint: checkpoint)
        onlyCatchpoint.betterstack = false
        onlyCatchpoint.statuspage = false
        onlyCatchpoint.catchpointSecret = "wrong-secret"
        let bad = try Self.push(config: try Self.write(Self.config(onlyCatchpoint), "cp.yaml", scratch), scratch: scratch)
        #expect(bad.status == 1, "\(bad.stdout)\(bad.stderr)")
        #expect(bad.stdout.split(separator: "\n").count == 1 && bad.stdout.contains("catchpoint failed"), "\(bad.stdout)")
        #expect(!FileManager.default.fileExists(atPath: checkpoint))
    }
}

/// A real VictoriaMetrics on loopback: OpenTSDB HTTP put on one port, queries on another.
final class VictoriaMetricsProcess: @unchecked Sendable {
    let process: ManagedProcess
    let httpPort: Int
    let opentsdbPort: Int
    var receiverURL: String { "http://127.0.0.1:\(opentsdbPort)" }

    init(executable: String, scratch: ScratchDirectory, name: String = "victoria-metrics") throws {
        httpPort = try freePort()
        opentsdbPort = try freePort()
        process = try ManagedProcess(
            name,
            executable: executable,
            arguments: [
                "-httpListenAddr=127.0.0.1:\(httpPort)", "-opentsdbHTTPListenAddr=127.0.0.1:\(opentsdbPort)",
                "-storageDataPath=\(scratch.file("\(name)-data"))", "-retentionPeriod=100y", "-loggerLevel=ERROR",
            ],
            logPath: scratch.file("\(name).log")
        )
    }

    func waitUntilUp() async throws {
        try await HTTP.waitUntilUp("http://127.0.0.1:\(httpPort)/health", process: process, seconds: 60)
        try await HTTP.waitUntilUp("http://127.0.0.1:\(opentsdbPort)/", process: process, seconds: 60)
    }

    func stop() { process.stop() }

    struct Series: Hashable {
        var name: String
        var labels: [String: String]
        var timestamps: [Int]
        var values: [Double]
    }

    /// Every series, after a flush so recent puts are visible.
    func export() async throws -> [Series] {
        _ = try await HTTP.send("GET", "http://127.0.0.1:\(httpPort)/internal/force_flush")
        let selector = "{__name__=~\"(catchpoint|betterstack|statuspage)[.].*\"}"
        let encoded = selector.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let answer = try await HTTP.send("GET", "http://127.0.0.1:\(httpPort)/api/v1/export?match%5B%5D=\(encoded)")
        guard answer.status == 200 else { throw HarnessError("export answered \(answer.status): \(answer.body.prefix(300))") }
        var series: [Series] = []
        for line in answer.body.split(separator: "\n") where !line.isEmpty {
            guard let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            var labels = json["metric"] as? [String: String] ?? [:]
            let name = labels.removeValue(forKey: "__name__") ?? ""
            let times = (json["timestamps"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.intValue }
            let values = (json["values"] as? [Any] ?? []).compactMap { ($0 as? NSNumber)?.doubleValue }
            let pairs = zip(times, values).sorted { $0.0 < $1.0 }
            series.append(Series(name: name, labels: labels, timestamps: pairs.map(\.0), values: pairs.map(\.1)))
        }
        return series
    }
}
