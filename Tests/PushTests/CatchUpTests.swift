import OpenTSDB
import Sandbox
@testable import Statuspage
import TestSupport
import Testing

@testable import Push

private let anchor: Int64 = 1_777_713_300_000  // 2026-05-02T09:15:00Z
private let minute: Int64 = 60_000
private let hour: Int64 = 3_600_000

@Suite("Catch-up after missed runs: the plan")
struct CatchUpPlanTests {
    let lookback: Duration = .seconds(3600)
    let week: Duration = .seconds(7 * 86_400)

    @Test("no mark, or a mark inside the look-back: the plain look-back window")
    func plainWindow() {
        for mark in [nil, anchor - 30 * minute, anchor - hour, anchor + hour] as [Int64?] {
            let plan = CatchUpPlan(mark: mark, runTime: anchor, lookback: lookback, maxCatchUp: week, history: .unbounded)
            #expect(plan.windows == [PushWindow(start: anchor - hour, end: anchor)], "\(String(describing: mark))")
            #expect(plan.lost == nil)
        }
    }

    @Test("a mark 4 h back, look-back 1 h: four contiguous windows from the mark, oldest first")
    func gapInWindows() {
        let plan = CatchUpPlan(mark: anchor - 4 * hour, runTime: anchor, lookback: lookback, maxCatchUp: week, history: .unbounded)
        #expect(plan.windows.map(\.start) == [4, 3, 2, 1].map { anchor - $0 * hour })
        #expect(plan.windows.map(\.end) == [3, 2, 1, 0].map { anchor - $0 * hour })
        #expect(plan.lost == nil)
        // An uneven gap ends with a short window at the run's time.
        let uneven = CatchUpPlan(mark: anchor - 90 * minute, runTime: anchor, lookback: lookback, maxCatchUp: week, history: .unbounded)
        #expect(uneven.windows == [
            PushWindow(start: anchor - 90 * minute, end: anchor - 30 * minute),
            PushWindow(start: anchor - 30 * minute, end: anchor),
        ])
    }

    @Test("a gap older than max_catch_up: what is left is fetched, the rest reported lost")
    func lostPart() {
        let plan = CatchUpPlan(
            mark: anchor - 10 * hour, runTime: anchor, lookback: lookback, maxCatchUp: .seconds(3 * 3600), history: .unbounded
        )
        #expect(plan.windows.first?.start == anchor - 3 * hour && plan.windows.count == 3)
        #expect(plan.lost == PushWindow(start: anchor - 10 * hour, end: anchor - 3 * hour))
    }

    @Test("a source holding its last 24 h gets one window back to its history; Statuspage never catches up")
    func histories() {
        let recent = CatchUpPlan(mark: anchor - 5 * hour, runTime: anchor, lookback: lookback, maxCatchUp: week, history: .last(.seconds(86_400)))
        #expect(recent.windows == [PushWindow(start: anchor - 5 * hour, end: anchor)] && recent.lost == nil)
        let old = CatchUpPlan(mark: anchor - 30 * hour, runTime: anchor, lookback: lookback, maxCatchUp: week, history: .last(.seconds(86_400)))
        #expect(old.windows == [PushWindow(start: anchor - 24 * hour, end: anchor)])
        #expect(old.lost == PushWindow(start: anchor - 30 * hour, end: anchor - 24 * hour))
        let present = CatchUpPlan(mark: anchor - 30 * 24 * hour, runTime: anchor, lookback: lookback, maxCatchUp: week, history: .presentOnly)
        #expect(present.windows == [PushWindow(start: anchor - hour, end: anchor)] && present.lost == nil)
    }

    @Test("the default retention outlasts both the look-back and the catch-up bound, so --lookback 604800 works")
    func retention() {
        let configuration = PushJobConfiguration(checkpointPath: "/tmp/x.json", lookback: .seconds(604_800))
        #expect(configuration.checkpointRetention == .seconds(8 * 86_400))
        #expect(!configuration.problems.contains { $0.contains("retention") })
        let explicit = PushJobConfiguration(checkpointPath: "/tmp/x.json", checkpointRetention: .seconds(86_400))
        #expect(explicit.problems.contains { $0.contains("retention") })
    }

    @Test("the lost gap reads as UTC times and a length")
    func lostText() {
        #expect(
            SourceReport.lostText(PushWindow(start: anchor - 3 * hour - 5 * minute, end: anchor))
                == "gap 2026-05-02T06:10:00.000Z…2026-05-02T09:15:00.000Z (3 h 5 min) not fetched: lost"
        )
    }
}

@Suite("Catch-up after missed runs, into a real VictoriaMetrics", .serialized)
struct CatchUpVictoriaMetricsTests {
    @Test("runs missed for 4 h, then a normal run: the whole gap stored exactly once; a rerun adds nothing twice")
    func missedRunsAreCaughtUp() async throws {
        try await withTemporaryDirectory { directory in
            let vm = try await VictoriaMetrics.start(in: directory)
            defer { vm.stop() }
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let tests = [1, 2, 3]
                let settings = PushRuns.settings(
                    sandbox: server.baseURL,
                    receiver: vm.receiverURL,
                    checkpoint: directory.file("checkpoint.json"),
                    testIDs: tests,
                    lookback: .seconds(3600)
                )
                let before = await PushRuns.run(settings, now: anchor - 4 * hour)
                #expect(before.succeeded, "\(before.summary)")

                // The schedule stops for 4 hours; the next run starts Catchpoint at its mark.
                let after = await PushRuns.run(settings, now: anchor)
                #expect(after.succeeded && after.exitCode == 0, "\(after.summary)")
                #expect(after.sources.first?.windows == 4)
                #expect(after.summary.contains("caught up in 4 windows"), "\(after.summary)")

                let expected = try await PushRuns.expected(sandbox: server.baseURL, testIDs: tests, start: anchor - 5 * hour, end: anchor)
                let gap = expected.filter { $0.milliseconds > anchor - 4 * hour && $0.milliseconds <= anchor - hour }
                #expect(gap.count > 100, "the sandbox has points in the gap")
                #expect(before.sent + after.sent == expected.count)
                let stored = try await vm.differences(from: expected)
                #expect(stored.isEmpty, "\(stored)")

                // A rerun a minute later: only the last window, everything in it already delivered.
                let again = await PushRuns.run(settings, now: anchor + minute)
                #expect(again.succeeded && again.sources.first?.windows == 1, "\(again.summary)")
                let latest = try await PushRuns.expected(sandbox: server.baseURL, testIDs: tests, start: anchor - 5 * hour, end: anchor + minute)
                #expect(again.sent == latest.count - expected.count)
                #expect(try await vm.differences(from: latest).isEmpty)
            }
        }
    }

    @Test("a gap older than push.max_catch_up_seconds: the rest is filled, the lost part reported, exit 3")
    func unfillableGapIsReported() async throws {
        try await withTemporaryDirectory { directory in
            let vm = try await VictoriaMetrics.start(in: directory)
            defer { vm.stop() }
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let tests = [4, 5]
                let settings = PushRuns.settings(
                    sandbox: server.baseURL,
                    receiver: vm.receiverURL,
                    checkpoint: directory.file("checkpoint.json"),
                    testIDs: tests,
                    lookback: .seconds(3600),
                    maxCatchUp: .seconds(2 * 3600)
                )
                #expect(await PushRuns.run(settings, now: anchor - 5 * hour).succeeded)
                let after = await PushRuns.run(settings, now: anchor)
                #expect(!after.succeeded && after.exitCode == PushReport.exitLost, "\(after.summary)")
                #expect(after.sources.first?.lost == PushWindow(start: anchor - 5 * hour, end: anchor - 2 * hour))
                #expect(after.summary.contains("gap 2026-05-02T04:15:00.000Z…2026-05-02T07:15:00.000Z (3 h 0 min) not fetched: lost"), "\(after.summary)")
                #expect(after.failureReason?.hasPrefix("catchpoint: gap ") == true)

                // Stored: the first run's hour and the last two hours, nothing of the lost three.
                let first = try await PushRuns.expected(sandbox: server.baseURL, testIDs: tests, start: anchor - 6 * hour, end: anchor - 5 * hour)
                let last = try await PushRuns.expected(sandbox: server.baseURL, testIDs: tests, start: anchor - 2 * hour, end: anchor)
                let stored = try await vm.differences(from: first + last)
                #expect(stored.isEmpty, "\(stored)")

                // The next run has nothing left to lose: exit 0.
                let next = await PushRuns.run(settings, now: anchor + 15 * minute)
                #expect(next.succeeded, "\(next.summary)")
            }
        }
    }

    @Test("a Statuspage page unchanged for years gets a point every period; a rerun in the same period stores nothing")
    func quietStatuspagePageIsSampled() async throws {
        try await withTemporaryDirectory { directory in
            let vm = try await VictoriaMetrics.start(in: directory)
            defer { vm.stop() }
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                // The Discord fixture page was last updated in February 2022.
                let service = StatuspageService(
                    key: "discord", name: "Discord", url: "http://127.0.0.1:\(server.port)/statuspage/discord"
                )
                var settings = PushSettings(
                    receiver: ReceiverSettings(url: vm.receiverURL),
                    checkpointPath: directory.file("checkpoint.json")
                )
                settings.additionalSources = [
                    StatuspageSource(
                        client: StatuspageClient(logger: quietLogger),
                        services: [service],
                        period: .seconds(900)
                    )
                ]
                let runs: [Int64] = [anchor + 1 * minute, anchor + 16 * minute, anchor + 29 * minute, anchor + 31 * minute]
                var sent: [Int] = []
                for run in runs {
                    let report = await PushRuns.run(settings, now: run)
                    #expect(report.succeeded, "\(report.summary)")
                    sent.append(report.sent)
                }
                // 09:16 → the 09:15 sample, 09:31 → 09:30, 09:44 → 09:30 again (nothing new), 09:46 → 09:45.
                #expect(sent[0] > 0 && sent[1] == sent[0] && sent[2] == 0 && sent[3] == sent[0], "\(sent)")
                let exported = try await vm.export(nameMatching: "statuspage[.].*")
                let status = exported.filter { $0.labels["__name__"] == "statuspage.status" }
                #expect(status.count == 1)
                #expect(status.first?.samples.map(\.milliseconds) == [anchor, anchor + 15 * minute, anchor + 30 * minute])
                #expect(exported.allSatisfy { $0.samples.count == 3 }, "every series once per period")
            }
        }
    }
}
