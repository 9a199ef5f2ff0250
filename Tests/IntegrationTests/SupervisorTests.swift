import Foundation
import Synchronization
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The master and its workers behind real nginx, under spawn-fcgi as `deploy/up.sh` runs them: crashes
/// are restarted without anyone acting, a crash under load fails only what the dead worker held, a
/// SIGHUP reload under load fails nothing, SIGTERM drains, and the master's counters are in /metrics.
@Suite(.serialized)
struct SupervisorTests {
    init() { Processes.disableCoreDumps() }

    /// Waits until the master has exactly `count` workers, none of `excluding`, each of which the
    /// master logged as accepting; returns their pids.
    static func acceptingWorkers(
        _ stack: NginxStack,
        count: Int,
        excluding: Set<pid_t> = [],
        seconds: Double = 15
    ) async throws -> [pid_t] {
        let deadline = Date().addingTimeInterval(seconds)
        var children: [pid_t] = []
        while Date() < deadline {
            children = stack.workerPIDs
            let log = stack.bridge.log
            let accepting = children.filter { !excluding.contains($0) && log.contains("(pid \($0)) is accepting") }
            if children.count == count, accepting.count == count { return accepting }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw HarnessError("expected \(count) accepting workers, found \(children):\n\(stack.bridge.log.suffix(3000))")
    }

    /// Waits until every one of `pids` has run for `seconds`, so that its death is a crash and not a
    /// failed start (which the master restarts after a delay).
    static func waitUntilOlder(_ pids: [pid_t], than seconds: Double) async throws {
        for _ in 0..<400 {
            if pids.allSatisfy({ (Processes.age($0) ?? 0) >= seconds }) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct LoadResult {
        var succeeded = 0
        var failed = 0
        var failures: [String] = []
        var seconds = 0.0
    }

    /// `loops` clients, each sending one request after the other (a 20 ms function, so that every
    /// worker holds requests at any time) for `seconds`; `action` runs `after` seconds in.
    static func load(
        _ stack: NginxStack,
        loops: Int = 32,
        seconds: Double,
        after delay: Double = 0,
        action: (@Sendable () async throws -> Void)? = nil
    ) async throws -> LoadResult {
        let succeeded = Counter()
        let failed = Counter()
        let failures = Failures()
        let started = Date()
        let end = started.addingTimeInterval(seconds)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for loop in 0..<loops {
                group.addTask {
                    var index = 0
                    while Date() < end {
                        index += 1
                        let url = stack.base + "/_debug/sleep?ms=20&loop=\(loop)&n=\(index)"
                        do {
                            let answer = try await HTTP.send("GET", url, timeout: .seconds(20))
                            if answer.status == 200 {
                                succeeded.increment()
                            } else {
                                failed.increment()
                                failures.append("\(answer.status) \(answer.body.prefix(120))")
                            }
                        } catch {
                            failed.increment()
                            failures.append("\(error)")
                        }
                    }
                }
            }
            if let action {
                group.addTask {
                    try await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                    try await action()
                }
            }
            try await group.waitForAll()
        }
        return LoadResult(
            succeeded: succeeded.value,
            failed: failed.value,
            failures: failures.all,
            seconds: Date().timeIntervalSince(started)
        )
    }

    final class Failures: Sendable {
        private let list = Mutex<[String]>([])
        func append(_ failure: String) { list.withLock { $0.append(failure) } }
        var all: [String] { list.withLock { $0 } }
    }

    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func everyWorkerKilledWithSIGSEGVFiveTimesAnswersAgainWithin2Seconds() async throws {
        try await withNginxStack(workers: 2) { stack in
            let master = stack.bridge.pid
            var workers = try await Self.acceptingWorkers(stack, count: 2)
            var seen = Set(workers)
            var recoveries: [Double] = []
            for round in 1...5 {
                // A crash, not a failed start: each worker has served for more than a second.
                try await Self.waitUntilOlder(workers, than: 1.1)
                let crashed = Date()
                // Every worker at once: nothing serves until the master has started new ones.
                for pid in workers { kill(pid, SIGSEGV) }
                var recovered: Double?
                while Date().timeIntervalSince(crashed) < 10 {
                    if let answer = try? await HTTP.send("GET", stack.base + "/", timeout: .seconds(5)), answer.status == 200 {
                        recovered = Date().timeIntervalSince(crashed)
                        break
                    }
                    try await Task.sleep(for: .milliseconds(5))
                }
                let seconds = try #require(recovered, "round \(round): no answer within 10 s\n\(stack.bridge.log.suffix(3000))")
                recoveries.append(seconds)
                // The issue's bound: back within 2 s without anyone acting.
                #expect(seconds < 2, "round \(round): \(seconds) s")
                #expect(stack.bridge.isRunning && stack.bridge.pid == master, "the master must survive")
                workers = try await Self.acceptingWorkers(stack, count: 2, excluding: seen)
                seen.formUnion(workers)
            }
            print(
                "GET /uptime/ answered 200 again "
                    + recoveries.map { String(format: "%.0f ms", $0 * 1000) }.joined(separator: ", ")
                    + " after SIGSEGV of both workers (5 rounds)"
            )
            let log = stack.bridge.log
            #expect(Self.count("was killed by signal 11 (SIGSEGV)", in: log) == 10, "\(log.suffix(3000))")
            #expect(!log.contains("backing off"), "crashes after a second of service are restarted at once")

            // Worker deaths are counted in /metrics, by whichever worker answers.
            for _ in 0..<4 {
                let metrics = try await HTTP.send("GET", stack.base + "/metrics")
                #expect(metrics.status == 200)
                #expect(metrics.body.contains("\nuptime_bridge_worker_restarts_total 10\n"), "\(metrics.body.suffix(1500))")
                #expect(metrics.body.contains("\nuptime_bridge_workers 2\n"))
                #expect(metrics.body.contains("# TYPE uptime_bridge_worker_restarts_total counter"))
                try Promtool.expectClean(Array(metrics.body.utf8), "/metrics of a supervised worker")
            }
        }
    }

    @Test func aWorkerCrashUnderLoadFailsAtMostTheRequestsItHeld() async throws {
        try await withNginxStack(workers: 2) { stack in
            let workers = try await Self.acceptingWorkers(stack, count: 2)
            try await Self.waitUntilOlder(workers, than: 1.1)
            let calm = try await Self.load(stack, seconds: 3)
            print("no crash: \(calm.succeeded) requests in \(String(format: "%.1f", calm.seconds)) s, \(calm.failed) failed")
            #expect(calm.failed == 0, "\(calm.failures.prefix(5))")
            #expect(calm.succeeded > 100)

            let victim = workers[0]
            let crash = try await Self.load(stack, seconds: 4, after: 1.5) { kill(victim, SIGSEGV) }
            print(
                "SIGSEGV of one worker under load (32 clients): \(crash.succeeded) requests answered, \(crash.failed) failed: \(crash.failures.prefix(3))"
            )
            // At most what the dead worker held: 32 clients have at most 32 requests in flight, and
            // connections still in the listen backlog go to the other worker.
            #expect(crash.failed <= 32, "\(crash.failures.prefix(10))")
            #expect(crash.succeeded > 100)
            #expect(stack.bridge.log.contains("(pid \(victim)) was killed by signal 11 (SIGSEGV)"))
            let after = try await Self.acceptingWorkers(stack, count: 2, excluding: [victim])
            #expect(after.contains(workers[1]), "the other worker kept running")
        }
    }

    @Test func aSIGHUPReloadUnderLoadFailsNoRequestAndReplacesEveryWorker() async throws {
        let scratch = try ScratchDirectory("reload")
        defer { scratch.cleanup() }
        let config = scratch.file("config.yaml")
        try "server:\n  workers: 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        try await withNginxStack(bridgeEnvironment: ["UPTIME_BRIDGE_CONFIG": config], workers: nil) { stack in
            let master = stack.bridge.pid
            let old = try await Self.acceptingWorkers(stack, count: 2)
            try await Self.waitUntilOlder(old, than: 1.1)
            // A request longer than the reload, in flight when its worker is told to stop.
            async let long = HTTP.send("GET", stack.base + "/_debug/sleep?ms=1500&long=1")
            let reload = try await Self.load(stack, seconds: 5, after: 1) { kill(master, SIGHUP) }
            print(
                "SIGHUP reload under load (32 clients): \(reload.succeeded) requests answered, \(reload.failed) failed"
            )
            #expect(reload.failed == 0, "\(reload.failures.prefix(10))\n\(stack.bridge.log.suffix(3000))")
            #expect(reload.succeeded > 100)
            let longAnswer = try await long
            #expect(longAnswer.status == 200 && longAnswer.object["slept_ms"] as? Int == 1500)
            let new = try await Self.acceptingWorkers(stack, count: 2, excluding: Set(old))
            #expect(Set(new).isDisjoint(with: old), "every worker replaced: \(old) → \(new)")
            #expect(old.allSatisfy { !Processes.isAlive($0) })
            #expect(stack.bridge.log.contains("reload done: 2 worker(s)"))
            #expect(stack.bridge.pid == master && stack.bridge.isRunning)

            // The reload reads the file: three workers now.
            try "server:\n  workers: 3\n".write(toFile: config, atomically: true, encoding: .utf8)
            kill(master, SIGHUP)
            let three = try await Self.acceptingWorkers(stack, count: 3, excluding: Set(new))
            #expect(three.count == 3)

            // A broken file is refused: the workers stay, and serve.
            try "server:\n  wokers: 3\n".write(toFile: config, atomically: true, encoding: .utf8)
            kill(master, SIGHUP)
            for _ in 0..<500 where !stack.bridge.log.contains("reload refused") {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(stack.bridge.log.contains("reload refused: unknown key server.wokers"), "\(stack.bridge.log.suffix(2000))")
            try await Task.sleep(for: .milliseconds(300))
            #expect(Set(stack.workerPIDs) == Set(three))
            #expect(try await HTTP.send("GET", stack.base + "/").status == 200)

            let metrics = try await HTTP.send("GET", stack.base + "/metrics")
            #expect(metrics.body.contains(#"uptime_bridge_reloads_total{result="applied"} 2"#), "\(metrics.body.suffix(1500))")
            #expect(metrics.body.contains(#"uptime_bridge_reloads_total{result="refused"} 1"#))
            #expect(metrics.body.contains("\nuptime_bridge_workers 3\n"))
            #expect(metrics.body.contains("\nuptime_bridge_worker_restarts_total 0\n"), "reloads are no restarts")
            try Promtool.expectClean(Array(metrics.body.utf8), "/metrics after reloads")
        }
    }

    /// A connection the old worker has accepted but whose request has not arrived yet (a slow or busy
    /// web server) when the reload tells that worker to stop: it is read and answered, not dropped.
    /// (libfcgi's own accept path, woken with a signal, dropped it.)
    @Test func aReloadAnswersAConnectionTheOldWorkerAcceptedBeforeItsRequestArrived() async throws {
        try await withNginxStack(workers: 1) { stack in
            let old = try await Self.acceptingWorkers(stack, count: 1)
            async let silent = FastCGIClient.request(socket: stack.socketPath, "/uptime/", silentFor: 2)
            try await Task.sleep(for: .milliseconds(200))
            kill(stack.bridge.pid, SIGHUP)
            // The new worker takes over and the old one is told to stop while the client is silent.
            for _ in 0..<1000 where !stack.bridge.log.contains("reload done") {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(stack.bridge.log.contains("reload done"))
            let answer = try await silent
            #expect(answer.status == 200, "\(answer.stdout)\n\(stack.bridge.log.suffix(2000))")
            #expect(answer.body.contains("\"status\":\"ok\""))
            _ = try await Self.acceptingWorkers(stack, count: 1, excluding: Set(old))
            // The master logs the old worker's exit once it has drained (on a loaded machine, later).
            let stopped = "(pid \(old[0])) stopped: exited with status 0"
            for _ in 0..<1000 where !stack.bridge.log.contains(stopped) {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(stack.bridge.log.contains(stopped), "\(stack.bridge.log.suffix(2000))")
        }
    }

    @Test func sigtermOfTheMasterDrainsEveryWorkerAndStopsThem() async throws {
        try await withNginxStack(workers: 2) { stack in
            let workers = try await Self.acceptingWorkers(stack, count: 2)
            async let slow = HTTP.send("GET", stack.base + "/_debug/sleep?ms=1000")
            try await Task.sleep(for: .milliseconds(300))
            stack.bridge.signal(SIGTERM)
            let answer = try await slow
            #expect(answer.status == 200)
            #expect(answer.object["slept_ms"] as? Int == 1000)
            #expect(stack.bridge.waitForExit(seconds: 15), "\(stack.bridge.log.suffix(2000))")
            #expect(stack.bridge.process.terminationStatus == 0)
            #expect(workers.allSatisfy { !Processes.isAlive($0) }, "no worker left")
            #expect(stack.bridge.log.contains("master stopped"))
            // The socket was spawn-fcgi's: the master leaves it in place.
            #expect(FileManager.default.fileExists(atPath: stack.socketPath))
        }
    }

    @Test func workersDyingRightAfterStartAreRestartedWithGrowingDelays() async throws {
        try await withNginxStack(workers: 1) { stack in
            var seen: Set<pid_t> = []
            for _ in 0..<4 {
                let worker = try await Self.acceptingWorkers(stack, count: 1, excluding: seen)[0]
                seen.insert(worker)
                kill(worker, SIGSEGV)
            }
            _ = try await Self.acceptingWorkers(stack, count: 1, excluding: seen)
            let log = stack.bridge.log
            for delay in ["0.1 s", "0.2 s", "0.4 s", "0.8 s"] {
                #expect(log.contains("backing off: restarting it in \(delay)"), "\(log.suffix(3000))")
            }
            #expect(try await HTTP.send("GET", stack.base + "/").status == 200)
        }
    }

    @Test func workersOfAKilledMasterStopByThemselves() async throws {
        try await withNginxStack(workers: 2) { stack in
            let workers = try await Self.acceptingWorkers(stack, count: 2)
            stack.bridge.signal(SIGKILL)
            #expect(stack.bridge.waitForExit(seconds: 5))
            var left = workers
            for _ in 0..<1500 where !left.isEmpty {
                left = left.filter(Processes.isAlive)
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(left.isEmpty, "orphaned workers still running: \(left)")
            #expect(stack.bridge.log.contains("the master process is gone"))
        }
    }

    @Test func theServiceUnitRestartsTheMasterReloadsItAndLetsItDrainItsWorkers() throws {
        func values(_ unit: [String: [(String, String)]], _ section: String, _ key: String) -> [String] {
            (unit[section] ?? []).filter { $0.0 == key }.map(\.1)
        }
        let service = try SystemdUnitTests.parse(SystemdUnitTests.unitDirectory + "/uptime-bridge.service")
        #expect(values(service, "Service", "Restart") == ["always"])
        #expect(values(service, "Service", "KillMode") == ["mixed"])
        #expect(values(service, "Service", "ExecReload") == ["/bin/kill -HUP $MAINPID"])
        // Worker crashes never reach systemd; the limit only bounds a master that keeps exiting.
        let burst = Int(values(service, "Unit", "StartLimitBurst").first ?? "") ?? 0
        #expect(burst >= 10)
        #expect(!values(service, "Unit", "StartLimitIntervalSec").isEmpty)
    }
}
