import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A black-box hostile suite through the real deployment: nginx → spawn-fcgi → uptime-bridge → the
/// sandbox. Over 10,000 requests generated from a fixed seed (mutated Grafana fixtures, random query
/// strings, long and many targets, extreme ranges, absurd numbers, deep nesting, garbage), the
/// known attacks by name, and upstream answers slower than the deadline. Whatever arrives, the
/// bridge must survive it within its bounds: the same process(es) at the end, no 500, no nginx
/// 502/503/504 (a dead or hung worker), JSON errors, answers within `limits.max_answer_bytes`, every
/// answer within the deadline + 2 s, never more upstream calls than the budget, memory within a
/// bound, and the known CPU attacks cheap in CPU time.
///
/// Reproduce a failure: the seed and the request are printed. `UPTIME_BRIDGE_HOSTILE_SEED` (decimal
/// or 0x…) picks another seed, `UPTIME_BRIDGE_HOSTILE_REQUESTS` another number of generated requests,
/// `UPTIME_BRIDGE_HOSTILE_ONLY=i,j,…` sends only those generated requests (request i depends only on
/// the seed, i and the sandbox's monitors).
@Suite(.serialized)
struct HostileRequestTests {
    /// `UPTIME_BRIDGE_DEADLINE_SECONDS`: short, so "nothing outlives its deadline" is quick to check.
    static let deadlineSeconds = 5
    /// Slack on top of the deadline for nginx, the socket and the client (2 cores shared by all).
    static let latencySlackSeconds = 2.0
    /// `UPTIME_BRIDGE_UPSTREAM_CALLS` (the default, set explicitly so the assertion reads it here).
    static let upstreamBudget = 40
    /// `UPTIME_BRIDGE_MAX_ANSWER_BYTES`, lowered from 16 MiB so that the bound is met by real answers
    /// (a week of response times of five monitors is larger) and the assertion is cheap to check.
    static let maxAnswerBytes = 1 << 20
    /// CPU time (all the bridge's processes) one of the known CPU attacks may cost: they used to cost
    /// 4 s (200,000 spaces) and 30 s (1 MiB target); refused by bounded, linear parsers they cost
    /// at most 0.07 s in the debug build and 0.01 s in the release build (measured).
    static let attackCPUSeconds = 1.0
    /// Requests in flight at once (4 expensive ones run, the rest queue within their deadline).
    static let concurrency = 16
    /// RSS of each bridge process after the run. Measured after the 10,038 requests of the default
    /// seed (and seeds 1–8): 44–48 MB for the debug build's worker, 33 MB for the release build's
    /// (`.build-static`); 128 MB is 2.7× the debug figure and still catches a leak or an answer
    /// built unbounded in memory (the 30,000-target body used to take 7 GB).
    static let rssBoundKB = 128 * 1024

    static let defaultSeed: UInt64 = 0x4854_494C_4530_0001

    static var seed: UInt64 {
        guard let text = ProcessInfo.processInfo.environment["UPTIME_BRIDGE_HOSTILE_SEED"], !text.isEmpty else {
            return defaultSeed
        }
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) ?? defaultSeed }
        return UInt64(text) ?? defaultSeed
    }

    static var generatedCount: Int {
        Int(ProcessInfo.processInfo.environment["UPTIME_BRIDGE_HOSTILE_REQUESTS"] ?? "") ?? 10_000
    }

    static var onlyIndices: [Int]? {
        guard let text = ProcessInfo.processInfo.environment["UPTIME_BRIDGE_HOSTILE_ONLY"], !text.isEmpty else {
            return nil
        }
        return text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    @Test func hostileRequestsLeaveTheWorkerAliveAndWithinItsBounds() async throws {
        let seed = Self.seed
        print("HostileRequestTests: seed 0x\(String(seed, radix: 16)) (UPTIME_BRIDGE_HOSTILE_SEED)")
        try await withNginxStack(
            bridgeEnvironment: [
                "UPTIME_BRIDGE_DEADLINE_SECONDS": "\(Self.deadlineSeconds)",
                "UPTIME_BRIDGE_UPSTREAM_CALLS": "\(Self.upstreamBudget)",
                "UPTIME_BRIDGE_MAX_ANSWER_BYTES": "\(Self.maxAnswerBytes)",
            ],
            sandboxArguments: ["--monitors", "5"]
        ) { stack in
            // spawn-fcgi -n executes the bridge in its own process: stack.bridge.pid is the bridge.
            // Its worker processes, if it runs any (a master keeping workers), are tracked too: a
            // worker that crashed and was replaced would change the set.
            let pid = stack.bridge.pid
            let processesAtStart = try await HostileProcessTree.settled(root: pid)
            try #require(processesAtStart.first?.pid == pid, "no /proc entry for the bridge \(pid)")
            for process in processesAtStart {
                #expect(process.executable.hasSuffix("/uptime-bridge"), "\(process)")
            }
            let run = HostileRun(port: stack.port, seed: seed)

            // 5. Upstream answers slower than the deadline, on a cold cache: every function that
            // needs Better Stack gets its 504 at the deadline, and GET / keeps answering meanwhile.
            let faultSet = Date()
            let fault = try await HTTP.send(
                "POST",
                stack.sandboxURL + "/_sandbox/faults",
                body: Array(#"{"route":"*","latency_ms":15000}"#.utf8)
            )
            try #require(fault.status == 200, "\(fault.body)")
            let slowAttacks = Self.slowUpstreamAttacks(now: Self.minuteNow())
            let slow = await run.send(slowAttacks, phase: "slow upstream")
            let deadlineAnswers = zip(slowAttacks, slow).filter { $0.0.label.hasPrefix("5 slow") && $0.1.status == 504 }
                .map(\.1.seconds)
            #expect(deadlineAnswers.count == slowAttacks.count - 2, "every function that needs Better Stack answers 504")
            for seconds in deadlineAnswers {
                #expect(seconds >= Double(Self.deadlineSeconds) - 0.5, "a 504 before the deadline: \(seconds) s")
            }
            print(
                "HostileRequestTests: slow upstream: \(deadlineAnswers.count) answers 504 after "
                    + deadlineAnswers.map { String(format: "%.2f", $0) }.joined(separator: ", ") + " s"
            )
            _ = try await HTTP.send("DELETE", stack.sandboxURL + "/_sandbox/faults")
            // The upstream is healthy again. README ("Limits"): at the deadline "the function's task
            // is cancelled, its upstream calls with it", so the same request now makes a fresh call
            // and is answered at once. Found by this suite: the call of the request that passed its
            // deadline is not cancelled; it stays the key's single-flight load until the bridge's
            // upstream timeout (10 s), and the repeat joins it and gets a 504 too (only when the
            // deadline is shorter than `betterstack.timeout_seconds`, as here).
            let repeatRequest = Self.get("5 repeat after the upstream recovered: /heartbeats", "/heartbeats", .status([200, 504]))
            let repeatAnswer = await run.send([repeatRequest], phase: "slow upstream")[0]
            withKnownIssue("a request past its deadline leaves its upstream call running; the repeat joins it", isIntermittent: true) {
                #expect(repeatAnswer.status == 200, "\(repeatAnswer.status) after \(repeatAnswer.seconds) s: \(repeatAnswer.bodyText.prefix(200))")
            }
            // The loads begun under the fault end at the bridge's upstream timeout (10 s); wait for
            // them so that the generated requests meet a working upstream.
            let settle = 12 - Date().timeIntervalSince(faultSet)
            if settle > 0 { try await Task.sleep(for: .seconds(settle)) }

            // The sandbox's monitors, through the bridge: what real targets and selectors name.
            let monitors = try await Self.waitForMonitors(stack)
            let world = HostileWorld(
                monitorIDs: monitors.compactMap { $0["id"] as? String },
                monitorNames: monitors.compactMap { $0["name"] as? String },
                monitorURLs: monitors.compactMap { $0["url"] as? String },
                now: Self.minuteNow(),
                fixtures: try Self.fixtures()
            )
            try #require(world.monitorIDs.count == 5 && world.fixtures.count >= 10)
            let rssBefore = HostileProcessTree.snapshot(root: pid).map(\.residentKB)

            // 1–4. The known attacks, by name, one at a time: the CPU time the bridge's processes
            // spend on each is measured (wall time on a shared 2-core machine says little).
            var attackLines: [String] = []
            for attack in Self.knownAttacks(world: world) {
                let cpuBefore = HostileProcessTree.cpuSeconds(root: pid)
                let answer = await run.send([attack], phase: "known attacks (one at a time)")[0]
                let cpu = HostileProcessTree.cpuSeconds(root: pid) - cpuBefore
                if let budget = attack.cpuBudgetSeconds {
                    #expect(cpu <= budget, "\(attack.label): \(cpu) s of CPU in the bridge, budget \(budget) s")
                }
                attackLines.append(
                    attack.label.padding(toLength: 48, withPad: " ", startingAt: 0)
                        + String(format: " %3d %7.3f s wall %6.2f s CPU", answer.status, answer.seconds, cpu)
                        + "  calls \(answer.header("X-Uptime-Bridge-Upstream-Calls") ?? "-")"
                        + (answer.header("X-Uptime-Bridge-Availability-Period").map { "  period \($0)" } ?? "")
                        + (answer.jsonObject?["limit"] as? String).map { "  limit \($0)" }.orEmpty
                )
            }
            print("HostileRequestTests: known attacks (status, wall time, bridge CPU, upstream calls):\n  " + attackLines.joined(separator: "\n  "))
            await Self.nginxRequestLineLimit(run)

            // The generated requests.
            let generator = HostileGenerator(seed: seed, world: world)
            let indices = Self.onlyIndices ?? Array(0..<Self.generatedCount)
            let started = Date()
            // Built on threads with large stacks (the trees nest 5,000 levels deep), in slices so that
            // a gigabyte of bodies and answers is never held at once.
            var generationSeconds = 0.0
            for slice in stride(from: 0, to: indices.count, by: 500).map({ Array(indices[$0..<min($0 + 500, indices.count)]) }) {
                let building = Date()
                let requests = await runOnThreads(slice, threads: 2, stackSize: 512 << 20) { _, index in generator.request(index) }
                generationSeconds += Date().timeIntervalSince(building)
                _ = await run.send(requests, phase: "generated")
            }
            let generatedSeconds = Date().timeIntervalSince(started)

            // The worker is the same process, alive and still serving.
            let health = RawHTTPClient.exchange(
                port: stack.port,
                request: RawHTTPClient.request(method: "GET", target: Array("/uptime/".utf8), body: nil)
            )
            #expect(health.status == 200, "GET /uptime/ after the run: \(health.status) \(health.bodyText.prefix(300))")
            let processesAtEnd = HostileProcessTree.snapshot(root: pid)
            for process in processesAtStart {
                #expect(kill(process.pid, 0) == 0, "the bridge process \(process) is gone")
            }
            #expect(stack.bridge.isRunning)
            #expect(
                processesAtEnd.map(\.identity) == processesAtStart.map(\.identity),
                "the bridge's processes changed (a crash and a restart?): \(processesAtStart) → \(processesAtEnd)"
            )
            for process in processesAtEnd {
                #expect(process.residentKB <= Self.rssBoundKB, "RSS of \(process) after the run, bound \(Self.rssBoundKB) kB")
            }

            // nginx saw no worker die or hang up mid-answer.
            let brokenUpstream = stack.nginxErrorLog.split(separator: "\n").filter {
                $0.contains("prematurely closed") || $0.contains("connect() to unix") || $0.contains("while reading response header from upstream") && $0.contains("failed")
            }
            #expect(brokenUpstream.isEmpty, "nginx error log:\n\(brokenUpstream.prefix(10).joined(separator: "\n"))")

            run.report(
                extra: [
                    "generated requests: \(indices.count); built in \(String(format: "%.1f", generationSeconds)) s, built, sent and checked in \(String(format: "%.1f", generatedSeconds)) s",
                    "bridge processes (pid, start tick): \(processesAtStart.map(\.identity)) at start, \(processesAtEnd.map(\.identity)) at the end",
                    "RSS (kB) per process: \(processesAtStart.map(\.residentKB)) at start, \(rssBefore) before the attacks, "
                        + "\(processesAtEnd.map(\.residentKB)) after (bound \(Self.rssBoundKB) each)",
                ]
            )
            #expect(run.violations.isEmpty, "\(run.violations.count) violations (seed 0x\(String(seed, radix: 16))); the first 25 are recorded above")
        }
    }

    /// Found by the hostile suite: the cheapest request, `GET /uptime/`, repeated as fast as a client
    /// can, made each worker's memory grow with the request rate × `limits.deadline_seconds` (about
    /// 0.7 kB per request, held until the request's deadline would have passed although it was answered
    /// in a millisecond: a cancelled `Task.sleep` per request; see `DeadlineWatch`). With the default
    /// 30 s deadline the release worker went from 16 MB to 300 MB at 13,000 req/s.
    ///
    /// Bound: a flood of 15 s (about 5,000 req/s on the debug build, so ~50 MB the old way) may leave
    /// each worker at most 16 MB larger than after its warm-up.
    @Test func floodOfHealthChecksLeavesTheWorkersSmall() async throws {
        try await withNginxStack { stack in
            let pid = stack.bridge.pid
            _ = try await HostileProcessTree.settled(root: pid)
            let request = RawHTTPClient.request(method: "GET", target: Array("/uptime/".utf8), body: nil)
            let port = stack.port
            func flood(seconds: Double) async -> (sent: Int, failed: Int) {
                let until = Date().addingTimeInterval(seconds)
                let counts = await runOnThreads(Array(0..<32), threads: 32) { _, _ in
                    var sent = 0
                    var failed = 0
                    while Date() < until {
                        let answer = RawHTTPClient.exchange(port: port, request: request, timeoutSeconds: 10)
                        sent += 1
                        if answer.status != 200 { failed += 1 }
                    }
                    return (sent, failed)
                }
                return (counts.reduce(0) { $0 + $1.0 }, counts.reduce(0) { $0 + $1.1 })
            }
            let warmUp = await flood(seconds: 3)
            try await Task.sleep(for: .seconds(1))
            let before = HostileProcessTree.snapshot(root: pid)
            let load = await flood(seconds: 15)
            let after = HostileProcessTree.snapshot(root: pid)
            let rate = Double(load.sent) / 15
            print(
                "HostileRequestTests: GET / flood: \(warmUp.sent) warm-up requests, then \(load.sent) in 15 s "
                    + "(\(Int(rate))/s, \(load.failed) not 200); RSS (kB) per process \(before.map(\.residentKB)) → \(after.map(\.residentKB))"
            )
            #expect(load.failed == 0)
            #expect(after.map(\.identity) == before.map(\.identity))
            for (start, end) in zip(before, after) where end.pid != pid || before.count == 1 {
                #expect(
                    end.residentKB - start.residentKB <= 16 * 1024,
                    "worker \(end.pid) grew from \(start.residentKB) kB to \(end.residentKB) kB over \(load.sent) GET /uptime/ (\(Int(rate))/s)"
                )
            }
        }
    }

    // MARK: - The known attacks

    static func minuteNow() -> Int64 { Int64(Date().timeIntervalSince1970 / 60) * 60_000 }

    static func iso(_ ms: Int64) -> String { hostileISO8601(ms) }

    static func post(_ label: String, _ route: String, _ body: String, _ expectation: HostileRequest.Expectation, cpu: Bool = false) -> HostileRequest {
        var request = HostileRequest(label: label, method: "POST", target: Array(route.utf8), body: Array(body.utf8), expectation: expectation)
        if cpu { request.cpuBudgetSeconds = Self.attackCPUSeconds }
        return request
    }

    static func get(_ label: String, _ target: String, _ expectation: HostileRequest.Expectation) -> HostileRequest {
        HostileRequest(label: label, method: "GET", target: Array(target.utf8), body: nil, contentType: nil, expectation: expectation)
    }

    /// Functions that need Better Stack, on a cold cache, while every upstream answer takes 15 s.
    static func slowUpstreamAttacks(now: Int64) -> [HostileRequest] {
        let day: Int64 = 86_400_000
        let range = #"{"from":"\#(iso(now - day))","to":"\#(iso(now))"}"#
        let deadline = HostileRequest.Expectation.refusal(status: 504, limit: "limits.deadline_seconds")
        return [
            get("5 slow: /response_time", "/response_time?monitor_id=200001&region=us,eu", deadline),
            get("5 slow: /sla", "/sla?monitor_id=200002&from=\(iso(now - 7 * day))&to=\(iso(now))", deadline),
            get("5 slow: /monitors", "/monitors", deadline),
            get("5 slow: /incidents", "/incidents", deadline),
            get("5 slow: /heartbeats", "/heartbeats", deadline),
            post("5 slow: /query response_time", "/query", #"{"range":\#(range),"targets":[{"target":"response_time"}]}"#, deadline),
            post("5 slow: /query availability", "/query", #"{"range":\#(range),"targets":[{"target":"availability"}]}"#, deadline),
            post("5 slow: /annotations", "/annotations", #"{"range":\#(range),"annotation":{"query":"incidents"}}"#, deadline),
            post("5 slow: /search", "/search", #"{"target":"label_values(monitor)"}"#, deadline),
            // /metrics would answer within its scrape budget (2 s) with whatever it holds, but it is
            // an expensive function: it queues for one of the worker's 4 permits
            // (limits.max_concurrent) behind the requests above, which hold theirs until their
            // deadline, and so meets its own (504). So does any expensive request then, even one
            // the cache could answer: a few requests to a stalled upstream hold up every function
            // but GET / for the length of the deadline.
            get("5 meanwhile: GET /metrics", "/metrics", .status([200, 504])),
            // Sent a second after the others, while all of them wait on the sandbox.
            {
                var health = get("5 meanwhile: GET /", "/", .status([200]))
                health.delaySeconds = 1
                health.fasterThanSeconds = 2
                return health
            }(),
        ]
    }

    static func knownAttacks(world: HostileWorld) -> [HostileRequest] {
        let day: Int64 = 86_400_000
        let now = world.now
        let badRequest = HostileRequest.Expectation.refusal(status: 400, limit: nil)
        let tooManyTargets = HostileRequest.Expectation.refusal(status: 422, limit: "limits.max_targets")
        let recent = #"{"from":"\#(iso(now - day))","to":"\#(iso(now))"}"#
        func copies(_ n: Int) -> String {
            #"{"range":\#(recent),"targets":["# + Array(repeating: #"{"target":"response_time"}"#, count: n).joined(separator: ",") + "]}"
        }
        // A body of exactly 1 MiB (the responder's and nginx's limit) whose target is all spaces.
        let head = #"{"range":\#(recent),"targets":[{"target":"response_time{"#
        let tail = #"}"}]}"#
        let fitting = head + String(repeating: " ", count: (1 << 20) - head.utf8.count - tail.utf8.count) + tail
        let oldWindow = "from=\(iso(now - 400 * day))&to=\(iso(now - 370 * day))"
        let availabilityOrBudget = HostileRequest.Expectation.status([200, 422])
        return [
            // 1. Ranges that overflowed the bucketing and crashed the worker.
            post("1 overflow range (strings)", "/query", #"{"range":{"from":"0","to":"9223372036854775807"},"targets":[{"target":"response_time"}]}"#, badRequest),
            post("1 range from 1900", "/query", #"{"range":{"from":"1900-01-01T00:00:00Z","to":"9223372036854775807"},"targets":[{"target":"response_time"}]}"#, badRequest),
            post("1 range from 1900 to now", "/query", #"{"range":{"from":"1900-01-01T00:00:00Z","to":"\#(iso(now))"},"targets":[{"target":"response_time"}]}"#, badRequest),
            post("1 overflow range (numbers)", "/query", #"{"range":{"from":0,"to":9223372036854775807},"targets":[{"target":"response_time"}]}"#, badRequest),
            post("1 overflow range, intervalMs", "/query", #"{"range":\#(recent),"intervalMs":9223372036854775807,"maxDataPoints":100000,"targets":[{"target":"response_time"}]}"#, badRequest),
            get("1 overflow range GET", "/response_time?monitor_id=200001&from=0&to=9223372036854775807", badRequest),
            get("1 1900 range GET", "/sla?monitor_id=200001&from=1900-01-01T00:00:00Z&to=\(iso(now))", badRequest),
            // 2. Targets that cost seconds of CPU in the old parsers: refused at once.
            post("2 target of 200,000 spaces", "/query", head + String(repeating: " ", count: 200_000) + tail, badRequest, cpu: true),
            post("2 1 MiB target in a 1 MiB body", "/query", fitting, badRequest, cpu: true),
            post("2 1 MiB target (body over 1 MiB: nginx 413)", "/query", head + String(repeating: " ", count: 1 << 20) + tail, .refusal(status: 413, limit: nil), cpu: true),
            post("2 1 MiB of selectors", "/query", #"{"range":\#(recent),"targets":[{"target":"response_time{"# + String(repeating: #"a=\"b\","#, count: 120_000) + #"}"}]}"#, badRequest, cpu: true),
            // 3. Many targets: refused before any work.
            post("3 300 targets", "/query", copies(300), tooManyTargets, cpu: true),
            post("3 30,000 targets", "/query", copies(30_000), tooManyTargets, cpu: true),
            // 4. Long windows: degraded periods or the upstream budget, never one call per day.
            post("4 availability over 400 days", "/query", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now))"},"targets":[{"target":"availability"}]}"#, .status([200])),
            post("4 availability over 400 days, per monitor", "/query", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now))"},"targets":[{"target":"availability{monitor=\"200001\"}"},{"target":"availability{monitor=\"200002\"}"}]}"#, .status([200])),
            post("4 heartbeat availability over 400 days", "/query", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now))"},"targets":[{"target":"availability{heartbeat=~\".*\"}"}]}"#, .status([200])),
            post("4 availability 20 years ago", "/query", #"{"range":{"from":"\#(iso(now - 7300 * day))","to":"\#(iso(now - 6900 * day))"},"targets":[{"target":"availability"}]}"#, .status([200])),
            get("4 /incidents 400–370 days ago", "/incidents?\(oldWindow)", availabilityOrBudget),
            get("4 /incidents over 400 days", "/incidents?from=\(iso(now - 400 * day))&to=\(iso(now))", availabilityOrBudget),
            get("4 /incidents 170 years", "/incidents?from=1971-01-01T00:00:00Z&to=2199-01-01T00:00:00Z", availabilityOrBudget),
            get("4 /sla over 400 days", "/sla?monitor_id=200003&from=\(iso(now - 400 * day))&to=\(iso(now))", availabilityOrBudget),
            post("4 /annotations 400–370 days ago", "/annotations", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now - 370 * day))"},"annotation":{"query":"incidents"}}"#, availabilityOrBudget),
            post("4 /annotations over 400 days", "/annotations", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now))"},"annotation":{"query":""}}"#, availabilityOrBudget),
            post("4 incidents table over 400 days", "/query", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now))"},"targets":[{"target":"incidents","type":"table"}]}"#, availabilityOrBudget),
            post("4 response_time over 400 days", "/query", #"{"range":{"from":"\#(iso(now - 400 * day))","to":"\#(iso(now))"},"maxDataPoints":100000,"targets":[{"target":"response_time"}]}"#, .status([200, 422])),
            get("4 /response_time over 400 days", "/response_time?monitor_id=200001&from=\(iso(now - 400 * day))&to=\(iso(now))", .status([200, 422])),
        ]
    }

    /// A request target over nginx's 8 KiB header buffer never reaches the responder: nginx answers
    /// 414 itself, as JSON through the snippet's server-level `error_page 414`.
    static func nginxRequestLineLimit(_ run: HostileRun) async {
        let request = HostileRequest(
            label: "query string over nginx's 8 KiB request line",
            method: "GET",
            target: Array(("/monitors?x=" + String(repeating: "a", count: 8_300)).utf8),
            body: nil,
            contentType: nil,
            expectation: .nginxRefusesRequestLine
        )
        let answers = await run.send([request], phase: "nginx limit")
        guard let answer = answers.first else { return }
        #expect(answer.status == 414)
        #expect(answer.jsonObject?["error"] as? String == "request line too long", "\(answer.bodyText.prefix(200))")
        #expect(answer.header("Content-Type")?.hasPrefix("application/json") == true)
    }

    // MARK: - Setup helpers

    static func waitForMonitors(_ stack: NginxStack) async throws -> [[String: Any]] {
        for _ in 0..<100 {
            let answer = RawHTTPClient.exchange(
                port: stack.port,
                request: RawHTTPClient.request(
                    method: "GET",
                    target: Array("/uptime/monitors?availability=false".utf8),
                    body: nil,
                    headers: [("Authorization", "Bearer hostile")]
                )
            )
            if answer.status == 200,
                let list = (try? JSONSerialization.jsonObject(with: Data(answer.body))) as? [[String: Any]], !list.isEmpty
            {
                return list
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        throw HarnessError("the monitor list never came back after the slow-upstream phase")
    }

    static func fixtures() throws -> [(name: String, bytes: [UInt8])] {
        let folder = Paths.root.appendingPathComponent("Tests/Fixtures/grafana")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { ($0, Array(try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }
}

/// The bridge's processes: the one spawn-fcgi executed and any uptime-bridge processes below it.
/// A process is identified by its pid and start time (clock ticks since boot), so a pid reused by
/// another process differs.
struct HostileProcessTree {
    struct Process: CustomStringConvertible {
        var pid: Int32
        var parent: Int32
        var startTicks: String
        var executable: String
        var residentKB: Int
        /// utime + stime, in clock ticks.
        var cpuTicks: Int

        var identity: String { "\(pid)@\(startTicks)" }
        var description: String { "\(pid) (parent \(parent), started at tick \(startTicks), \(executable), \(residentKB) kB)" }

        init?(pid: Int32) {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // After "(comm)": state (field 3), ppid (4), …, starttime (22).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 19, let parent = Int32(fields[1]) else { return nil }
            self.pid = pid
            self.parent = parent
            startTicks = String(fields[19])
            cpuTicks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
            executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")) ?? "?"
            residentKB = 0
            if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
            {
                residentKB = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "") ?? 0
            }
        }
    }

    /// CPU time (user + system) used so far by `root` and its uptime-bridge descendants.
    static func cpuSeconds(root: Int32) -> Double {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return snapshot(root: root).reduce(0) { $0 + Double($1.cpuTicks) / ticks }
    }

    /// `root` and its uptime-bridge descendants, root first, the others by pid.
    static func snapshot(root: Int32) -> [Process] {
        guard let top = Process(pid: root) else { return [] }
        let all = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap(Int32.init)
            .compactMap(Process.init(pid:))
        var found: [Process] = []
        var parents: Set<Int32> = [root]
        var added = true
        while added {
            added = false
            for process in all where parents.contains(process.parent) && !parents.contains(process.pid) {
                parents.insert(process.pid)
                if process.executable.hasSuffix("/uptime-bridge") { found.append(process) }
                added = true
            }
        }
        return [top] + found.sorted { $0.pid < $1.pid }
    }

    /// The snapshot once it has not changed for a second (workers may still be starting).
    static func settled(root: Int32) async throws -> [Process] {
        var last = snapshot(root: root)
        for _ in 0..<20 {
            try await Task.sleep(for: .milliseconds(500))
            let now = snapshot(root: root)
            if now.map(\.identity) == last.map(\.identity) {
                try await Task.sleep(for: .milliseconds(500))
                let again = snapshot(root: root)
                if again.map(\.identity) == now.map(\.identity) { return again }
            }
            last = now
        }
        return last
    }
}

/// Sends requests 16 at a time, checks every answer against the suite's invariants and the
/// request's own expectation, and keeps the figures.
final class HostileRun: @unchecked Sendable {
    let port: Int
    let seed: UInt64
    var violations: [String] = []
    var sent = 0
    var statuses: [Int: Int] = [:]
    var maxSeconds = 0.0
    var maxSecondsRequest = ""
    var latencies: [Double] = []
    var maxUpstreamCalls = 0
    var maxUpstreamCallsRequest = ""
    var answersWithBudgetHeader = 0
    var maxBodyBytes = 0
    var sentBytes = 0
    var phases: [(name: String, requests: Int, seconds: Double, maxLatency: Double, slowest: String)] = []
    var checkSeconds = 0.0
    static let headers = [("Authorization", "Bearer hostile")]

    init(port: Int, seed: UInt64) {
        self.port = port
        self.seed = seed
    }

    /// Sends `requests` (with an `Authorization` header, which makes nginx bypass its micro-cache:
    /// every request reaches the responder) and returns the answers in order.
    func send(_ requests: [HostileRequest], phase: String) async -> [RawHTTPClient.Answer] {
        let port = self.port
        let started = Date()
        let answers = await runOnThreads(requests, threads: HostileRequestTests.concurrency) { _, request in
            var headers = HostileRun.headers
            if let type = request.contentType { headers.append(("Content-Type", type)) }
            if let delay = request.delaySeconds { usleep(UInt32(delay * 1_000_000)) }
            let bytes = RawHTTPClient.request(method: request.method, target: Array("/uptime".utf8) + request.target, body: request.body, headers: headers)
            return RawHTTPClient.exchange(port: port, request: bytes, timeoutSeconds: 30, readCap: 32 << 20)
        }
        let seconds = Date().timeIntervalSince(started)
        let slowestIndex = answers.indices.max { answers[$0].seconds < answers[$1].seconds }
        let slowest = slowestIndex.map { (answers[$0].seconds, "\(requests[$0].label) → \(answers[$0].status)") } ?? (0, "")
        if let index = phases.firstIndex(where: { $0.name == phase }) {
            phases[index].requests += requests.count
            phases[index].seconds += seconds
            if slowest.0 > phases[index].maxLatency {
                phases[index].maxLatency = slowest.0
                phases[index].slowest = slowest.1
            }
        } else {
            phases.append((phase, requests.count, seconds, slowest.0, slowest.1))
        }
        let checking = Date()
        for (request, answer) in zip(requests, answers) { check(request, answer) }
        checkSeconds += Date().timeIntervalSince(checking)
        return answers
    }

    func check(_ request: HostileRequest, _ answer: RawHTTPClient.Answer) {
        sent += 1
        sentBytes += request.body?.count ?? 0
        statuses[answer.status, default: 0] += 1
        latencies.append(answer.seconds)
        if answer.seconds > maxSeconds {
            maxSeconds = answer.seconds
            maxSecondsRequest = request.label
        }
        maxBodyBytes = max(maxBodyBytes, answer.body.count)
        var problems: [String] = []
        let json = answer.jsonObject
        let isJSONError = json?["error"] is String
        let bound = Double(HostileRequestTests.deadlineSeconds) + HostileRequestTests.latencySlackSeconds

        if let error = answer.error { problems.append("transport: \(error)") }
        switch answer.status {
        case 0: problems.append("no answer")
        case 500: problems.append("500 internal error: \(answer.bodyText.prefix(300))")
        case 502, 503, 504:
            // The responder's own 502/503/504 are JSON naming the upstream or the limit; nginx's
            // (worker dead, hung or gone) are its HTML pages.
            if !isJSONError { problems.append("nginx's own \(answer.status) (the worker did not answer): \(answer.bodyText.prefix(200))") }
        case 400..<500:
            if case .nginxRefusesRequestLine = request.expectation { break }
            if !isJSONError { problems.append("\(answer.status) without a JSON error: \(answer.bodyText.prefix(200))") }
        default: break
        }
        if answer.bodyCapped || answer.body.count > HostileRequestTests.maxAnswerBytes {
            problems.append("answer of \(answer.body.count)\(answer.bodyCapped ? "+" : "") bytes, over limits.max_answer_bytes \(HostileRequestTests.maxAnswerBytes)")
        }
        if answer.seconds > bound { problems.append(String(format: "took %.2f s, over the deadline + slack (%.0f s)", answer.seconds, bound)) }
        if let limit = request.fasterThanSeconds, answer.seconds > limit {
            problems.append(String(format: "took %.2f s, expected under %.1f s", answer.seconds, limit))
        }
        if let calls = answer.header("X-Uptime-Bridge-Upstream-Calls") {
            answersWithBudgetHeader += 1
            if let n = Int(calls) {
                if n > maxUpstreamCalls {
                    maxUpstreamCalls = n
                    maxUpstreamCallsRequest = request.label
                }
                if n > HostileRequestTests.upstreamBudget { problems.append("\(n) upstream calls, over the budget \(HostileRequestTests.upstreamBudget)") }
            } else {
                problems.append("X-Uptime-Bridge-Upstream-Calls is not a number: \(calls)")
            }
        } else if (200..<300).contains(answer.status) {
            problems.append("a function answer without X-Uptime-Bridge-Upstream-Calls")
        }
        if answer.status == 200, answer.header("Content-Type") == "application/json",
            (try? JSONSerialization.jsonObject(with: Data(answer.body), options: [.fragmentsAllowed])) == nil
        {
            problems.append("200 application/json that is not JSON: \(answer.bodyText.prefix(200))")
        }
        switch request.expectation {
        case .any: break
        case .refusal(let status, let limit):
            if answer.status != status { problems.append("expected \(status), got \(answer.status): \(answer.bodyText.prefix(300))") }
            if !isJSONError { problems.append("expected a JSON error") }
            if let limit, json?["limit"] as? String != limit {
                problems.append("expected limit \(limit), got \(String(describing: json?["limit"]))")
            }
        case .status(let allowed):
            if !allowed.contains(answer.status) { problems.append("expected one of \(allowed), got \(answer.status): \(answer.bodyText.prefix(300))") }
        case .nginxRefusesRequestLine:
            if answer.status != 414 { problems.append("expected nginx's 414, got \(answer.status)") }
        }
        if request.label.contains("availability over 400 days"), answer.status == 200 {
            let period = answer.header("X-Uptime-Bridge-Availability-Period")
            // One value per series, joined: "month,month".
            let periods = (period ?? "day").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if !periods.allSatisfy({ ["week", "month", "range"].contains($0) }) {
                problems.append("availability over 400 days answered per \(period ?? "day") (no degraded period)")
            }
        }
        guard !problems.isEmpty else { return }
        let text =
            "seed 0x\(String(seed, radix: 16)): \(problems.joined(separator: "; "))\n  status \(answer.status), \(String(format: "%.3f", answer.seconds)) s, \(answer.body.count) bytes\n  request: \(request.printable())"
        if violations.count < 25 { Issue.record(Comment(rawValue: text)) }
        violations.append(text)
    }

    func report(extra: [String]) {
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        var lines = ["HostileRequestTests: seed 0x\(String(seed, radix: 16)), \(sent) requests (\(sentBytes) body bytes)"]
        lines += phases.map {
            "  phase \($0.name): \($0.requests) requests in \(String(format: "%.1f", $0.seconds)) s, slowest answer \(String(format: "%.3f", $0.maxLatency)) s (\($0.slowest.prefix(100)))"
        }
        lines.append(String(format: "  checking the answers took %.1f s", checkSeconds))
        lines.append("  statuses: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " "))
        lines.append(
            String(format: "  latency: median %.3f s, p99 %.3f s, max %.3f s", percentile(0.5), percentile(0.99), maxSeconds)
                + " (\(maxSecondsRequest))"
        )
        lines.append("  upstream calls: max \(maxUpstreamCalls) (\(maxUpstreamCallsRequest)) over \(answersWithBudgetHeader) answers with the header; budget \(HostileRequestTests.upstreamBudget)")
        lines.append("  largest answer body: \(maxBodyBytes) bytes (bound \(HostileRequestTests.maxAnswerBytes))")
        lines += extra.map { "  " + $0 }
        lines.append("  violations: \(violations.count)")
        print(lines.joined(separator: "\n"))
    }
}

extension Optional where Wrapped == String {
    fileprivate var orEmpty: String { self ?? "" }
}
