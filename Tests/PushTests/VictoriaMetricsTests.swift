import Catchpoint
import Foundation  // Process, for the SIGKILL test
import OpenTSDB
@testable import Push
import Sandbox
import TestSupport
import Testing

private let anchor: Int64 = 1_777_713_300_000  // 2026-05-02T09:15:00Z
private let minute: Int64 = 60_000

@Suite("VictoriaMetrics (real, Debian victoria-metrics) fed from the sandbox", .serialized)
struct VictoriaMetricsTests {
    @Test("one push stores exactly the expected points per series; a second push adds none")
    func pushThenRepush() async throws {
        try await withTemporaryDirectory { directory in
            let vm = try await VictoriaMetrics.start(in: directory)
            defer { vm.stop() }
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let tests = Array(1...6)
                let settings = PushRuns.settings(
                    sandbox: server.baseURL,
                    receiver: vm.receiverURL,
                    checkpoint: directory.file("checkpoint.json"),
                    testIDs: tests,
                    lookback: .seconds(3600)
                )
                let expected = try await PushRuns.expected(
                    sandbox: server.baseURL,
                    testIDs: tests,
                    start: anchor - 60 * minute,
                    end: anchor
                )
                #expect(expected.count > 500)

                let first = await PushRuns.run(settings, now: anchor)
                #expect(first.succeeded, "\(first.summary)")
                #expect(first.sent == expected.count)
                let afterFirst = try await vm.differences(from: expected)
                #expect(afterFirst.isEmpty, "\(afterFirst)")

                let second = await PushRuns.run(settings, now: anchor)
                #expect(second.succeeded && second.sent == 0 && second.skipped == expected.count)
                let afterSecond = try await vm.differences(from: expected)
                #expect(afterSecond.isEmpty, "the second push must add nothing: \(afterSecond)")
            }
        }
    }

    @Test(
        "the recorded Catchpoint run lands as in the VictoriaMetrics 1.79 export fixture; the old job's batch is dropped"
    )
    func recordedRun() async throws {
        try await withTemporaryDirectory { directory in
            let vm = try await VictoriaMetrics.start(in: directory)
            defer { vm.stop() }
            // What the replaced job sent (integer tag values): VictoriaMetrics answers 204 and stores nothing.
            let oldBatch = try Fixtures.text("catchpoint/opentsdb-put-batch-from-python-opentsdb.json")
            #expect(try await HTTP.post(vm.receiverURL + "/api/put", body: oldBatch).status == 204)
            #expect(try await vm.export().isEmpty)

            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                // The recording is from 2022: look back far enough, keep checkpoints longer still.
                let settings = PushRuns.settings(
                    sandbox: server.baseURL,
                    receiver: vm.receiverURL,
                    checkpoint: directory.file("checkpoint.json"),
                    testIDs: [CatchpointSandboxOptions.recordedTestID],
                    lookback: .seconds(5 * 366 * 86_400),
                    retention: .seconds(6 * 366 * 86_400)
                )
                let report = await PushRuns.run(settings, now: anchor)
                #expect(report.succeeded && report.sent == 111, "\(report.summary)")
            }
            let exported = try await vm.export()
            #expect(exported.reduce(0) { $0 + $1.samples.count } == 111)
            // Every Catchpoint line of the fixture (recorded from a 1.79 run) is in our export as is.
            let fixture = try Fixtures.text("opentsdb/victoriametrics-1.79-export.jsonl")
            let stored = Set(exported)
            for line in fixture.split(separator: "\n") where line.contains("catchpoint.") {
                let json = try JSONParser.parse(String(line))
                var labels: [String: String] = [:]
                for (key, value) in json["metric"]?.objectValue ?? [] { labels[key] = value.stringValue }
                let samples = zip(json["timestamps"]?.arrayValue ?? [], json["values"]?.arrayValue ?? []).map {
                    VictoriaMetrics.Sample(milliseconds: Int64($0.intValue ?? 0), value: $1.doubleValue ?? .nan)
                }
                #expect(stored.contains(VictoriaMetrics.Series(labels: labels, samples: samples)), "\(line)")
            }
        }
    }

    @Test("a push SIGKILLed mid-run, then rerun: no gap, no duplicate")
    func killedMidRun() async throws {
        try await withTemporaryDirectory { directory in
            let vm = try await VictoriaMetrics.start(in: directory)
            defer { vm.stop() }
            // Each raw request waits 4 s: the child delivers the first request's 50 tests, and is
            // killed while it waits for the second (tests 51–60). 4 s leaves a loaded machine
            // ample time to notice the second request and kill before its answer arrives.
            var configuration = SandboxConfiguration(now: anchor)
            configuration.faults = [Fault(route: .catchpointRaw, latencyMilliseconds: 4000)]
            try await withSandbox(configuration) { server in
                let checkpoint = directory.file("checkpoint.json")
                let lookbackSeconds: Int64 = 15 * 60
                var environment = ProcessInfo.processInfo.environment
                environment[ChildPush.marker] = "1"
                environment[ChildPush.sandbox] = server.baseURL
                environment[ChildPush.receiver] = vm.receiverURL
                environment[ChildPush.checkpoint] = checkpoint
                environment[ChildPush.now] = String(anchor)
                environment[ChildPush.tests] = "1-60"
                environment[ChildPush.lookback] = String(lookbackSeconds)
                let child = try ExternalProcess.start(
                    "push child",
                    executable: CommandLine.arguments[0],
                    arguments: ["--filter", "PushChildProcess", "--testing-library", "swift-testing"],
                    environment: environment,
                    logPath: directory.file("child.log")
                )
                // The second raw request has arrived: the first chunk is delivered and checkpointed.
                try await waitUntil(
                    "the child never asked for the second chunk: \(child.logTail())",
                    timeout: .seconds(120)
                ) {
                    server.requestCount(.catchpointRaw) >= 2
                }
                child.killHard()
                #expect(child.process.terminationReason == .uncaughtSignal)
                #expect(child.process.terminationStatus == SIGKILL)

                let window = (start: anchor - lookbackSeconds * 1000, end: anchor)
                let firstChunk = try await PushRuns.expected(
                    sandbox: server.baseURL,
                    testIDs: Array(1...50),
                    start: window.start,
                    end: window.end
                )
                let secondChunk = try await PushRuns.expected(
                    sandbox: server.baseURL,
                    testIDs: Array(51...60),
                    start: window.start,
                    end: window.end
                )
                #expect(firstChunk.count > 500 && !secondChunk.isEmpty)

                // Exactly the first chunk is in VictoriaMetrics and in the checkpoint.
                let afterKill = try await vm.differences(from: firstChunk)
                #expect(afterKill.isEmpty, "\(afterKill)")
                var delivered = Checkpoint()
                delivered.advance(past: firstChunk)
                #expect(try CheckpointFile(path: checkpoint).load() == delivered)

                // The rerun (same window, no latency) sends the rest and nothing twice.
                server.clearFaults()
                let settings = PushRuns.settings(
                    sandbox: server.baseURL,
                    receiver: vm.receiverURL,
                    checkpoint: checkpoint,
                    testIDs: Array(1...60),
                    lookback: .seconds(lookbackSeconds)
                )
                let rerun = await PushRuns.run(settings, now: anchor)
                #expect(rerun.succeeded, "\(rerun.summary)")
                #expect(rerun.sent == secondChunk.count && rerun.skipped == firstChunk.count)
                let afterRerun = try await vm.differences(from: firstChunk + secondChunk)
                #expect(afterRerun.isEmpty, "\(afterRerun)")
            }
        }
    }
}
