import Catchpoint
import OpenTSDB
import Sandbox
import TestSupport
import Testing
import UpstreamHTTP

@testable import Push

/// The sandbox anchor these tests use: 2026-05-02T09:15:00Z.
private let anchor: Int64 = 1_777_713_300_000
private let minute: Int64 = 60_000

@Suite("Push job: exactly-once delivery with a checkpoint")
struct PushJobTests {
    /// Settings for the sandbox's Catchpoint and a mock receiver at 127.0.0.1:4242.
    static func settings(
        _ server: SandboxServer,
        checkpoint: String,
        testIDs: [Int] = [1, 2, 3, 4],
        secret: Secret = SandboxCredentials.clientSecret,
        receiverURL: String = "http://127.0.0.1:4242"
    ) -> PushSettings {
        PushSettings(
            receiver: ReceiverSettings(url: receiverURL),
            checkpointPath: checkpoint,
            lookback: .seconds(3600),
            catchpoint: CatchpointSettings(
                baseURL: server.baseURL,
                clientID: SandboxCredentials.clientID,
                clientSecret: secret,
                testIDs: testIDs
            )
        )
    }

    static func run(
        _ settings: PushSettings,
        receiver: any HTTPTransport,
        now: Int64
    ) async -> PushReport {
        await PushJob.run(
            settings: settings,
            transport: RoutingTransport(
                receiverBase: "http://127.0.0.1:4242",
                receiver: receiver,
                other: AsyncHTTPClientTransport.push
            ),
            sleep: SleepRecorder().sleep,
            now: { now },
            logger: quietLogger
        )
    }

    /// What the sandbox serves for `testIDs` over `[start, end]`, mapped.
    static func expected(_ server: SandboxServer, testIDs: [Int], start: Int64, end: Int64) async throws -> [DataPoint]
    {
        let client = try CatchpointClient(
            configuration: CatchpointConfiguration(
                baseURL: try BaseURL(server.baseURL),
                clientID: SandboxCredentials.clientID,
                clientSecret: SandboxCredentials.clientSecret
            ),
            logger: quietLogger
        )
        return try await client.rawPerformance(testIDs: testIDs, window: RawWindow(start: start, end: end))
            .flatMap { $0.dataPoints().points }
    }

    /// Each stored point counted; a duplicate shows as a count above 1.
    static func counts(_ points: [FakeReceiver.Stored]) -> [FakeReceiver.Stored: Int] {
        points.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    @Test("the first run delivers every point once; a rerun delivers nothing and skips them all")
    func rerunAddsNothing() async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let receiver = FakeReceiver()
                let settings = Self.settings(server, checkpoint: directory.file("checkpoint.json"))
                let expected = try await Self.expected(
                    server,
                    testIDs: [1, 2, 3, 4],
                    start: anchor - 60 * minute,
                    end: anchor
                )
                #expect(expected.count > 100)

                let first = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(first.succeeded, "\(first.summary)")
                #expect(first.exitCode == 0)
                #expect(first.sent == expected.count && first.skipped == 0 && first.rejected == 0)
                #expect(Self.counts(receiver.points) == Self.counts(expected.map(\.stored)))
                #expect(first.sources.first?.batches == (expected.count + 49) / 50)
                #expect(first.summary.hasPrefix("push ok in "))
                #expect(first.failureReason == nil)
                #expect(first.summary.contains("catchpoint \(expected.count) sent, 0 skipped, 0 rejected"))
                #expect(!first.summary.contains("\n"))

                let second = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(second.succeeded)
                #expect(second.sent == 0 && second.skipped == expected.count)
                #expect(receiver.points.count == expected.count)
            }
        }
    }

    @Test("overlapping windows: the later run sends only runs after the checkpoint")
    func overlappingWindows() async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let receiver = FakeReceiver()
                let settings = Self.settings(server, checkpoint: directory.file("checkpoint.json"))
                let earlier = await Self.run(settings, receiver: receiver, now: anchor - 30 * minute)
                let later = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(earlier.succeeded && later.succeeded)
                #expect(later.skipped > 0)
                let expected = try await Self.expected(
                    server,
                    testIDs: [1, 2, 3, 4],
                    start: anchor - 90 * minute,
                    end: anchor
                )
                #expect(Self.counts(receiver.points) == Self.counts(expected.map(\.stored)))
            }
        }
    }

    @Test("the receiver dying mid-run keeps delivered batches; the rerun sends the rest, no gap, no duplicate")
    func receiverDiesMidRun() async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let receiver = FakeReceiver()
                receiver.fail(fromRequest: 4)
                let settings = Self.settings(server, checkpoint: directory.file("checkpoint.json"))
                let broken = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(!broken.succeeded && broken.exitCode == 1)
                guard case .receiver(let reason)? = broken.failure else {
                    Issue.record("expected a receiver failure: \(broken.summary)")
                    return
                }
                #expect(reason.contains("unreachable after 4 attempts"))
                #expect(broken.sent == 150, "three acknowledged batches")
                #expect(receiver.points.count == 150)
                let saved = try CheckpointFile(path: directory.file("checkpoint.json")).load()
                #expect(!saved.series.isEmpty)

                receiver.heal()
                let rerun = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(rerun.succeeded, "\(rerun.summary)")
                #expect(rerun.skipped == 150)
                let expected = try await Self.expected(
                    server,
                    testIDs: [1, 2, 3, 4],
                    start: anchor - 60 * minute,
                    end: anchor
                )
                #expect(Self.counts(receiver.points) == Self.counts(expected.map(\.stored)))
            }
        }
    }

    @Test("bad Catchpoint credentials: one-line reason without the secret, checkpoint not written")
    func badCredentials() async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let receiver = FakeReceiver()
                let settings = Self.settings(
                    server,
                    checkpoint: directory.file("checkpoint.json"),
                    secret: Secret("wrong-secret-123")
                )
                let report = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(report.exitCode == 1 && !report.succeeded)
                #expect(
                    report.sources.first?.failure
                        == "Catchpoint authentication failed (HTTP 401): Invalid client credentials"
                )
                #expect(!report.summary.contains("wrong-secret-123") && !report.summary.contains("\n"))
                #expect(report.summary.hasPrefix("push failed in "))
                #expect(
                    report.failureReason
                        == "catchpoint: Catchpoint authentication failed (HTTP 401): Invalid client credentials"
                )
                #expect(receiver.requestCount == 0)
                let saved: Checkpoint = try CheckpointFile(path: directory.file("checkpoint.json")).load()
                #expect(saved == Checkpoint())
            }
        }
    }

    @Test(
        "bad configuration: exit 78, one line, nothing fetched, no checkpoint",
        arguments: [
            ("receiver", "localhost:4242", "the receiver URL must start with http:// or https:// (got \"localhost:4242\")"),
            ("tests", "", "no Catchpoint test ids"),
            (
                "checkpoint", "/nonexistent/dir/checkpoint.json",
                "checkpoint directory /nonexistent/dir does not exist or is not writable"
            ),
            ("secret", "", "invalid Catchpoint configuration: Catchpoint client secret is empty"),
        ]
    )
    func badConfiguration(field: String, value: String, reason: String) async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                var settings = Self.settings(server, checkpoint: directory.file("checkpoint.json"))
                switch field {
                case "receiver": settings.receiver.url = value
                case "tests": settings.catchpoint?.testIDs = []
                case "checkpoint": settings.checkpointPath = value
                default: settings.catchpoint?.clientSecret = Secret(value)
                }
                let report = await Self.run(settings, receiver: FakeReceiver(), now: anchor)
                #expect(report.exitCode == PushReport.exitConfiguration)
                #expect(report.failure == .configuration(reason))
                #expect(report.summary == "push failed in 0.00 s: configuration: \(reason)")
                #expect(server.requestCount(.catchpointToken) == 0)
                let saved: Checkpoint = try CheckpointFile(path: directory.file("checkpoint.json")).load()
                #expect(saved == Checkpoint())
            }
        }
    }

    @Test("an unreachable receiver: exit 1, 'unreachable', the checkpoint file unchanged")
    func unreachableReceiver() async throws {
        try await withTemporaryDirectory { directory in
            try await withSandbox(SandboxConfiguration(now: anchor)) { server in
                let path = directory.file("checkpoint.json")
                let good = await Self.run(
                    Self.settings(server, checkpoint: path),
                    receiver: FakeReceiver(),
                    now: anchor - 30 * minute
                )
                #expect(good.succeeded)
                let before = try readAll(path)

                // A port nothing listens on: the real HTTP client gets "connection refused".
                let closedPort = try FreePort.find()
                let settings = Self.settings(server, checkpoint: path, receiverURL: "http://127.0.0.1:\(closedPort)")
                let report = await PushJob.run(
                    settings: settings,
                    transport: AsyncHTTPClientTransport.push,
                    sleep: SleepRecorder().sleep,
                    now: { anchor },
                    logger: quietLogger
                )
                #expect(report.exitCode == 1)
                #expect(
                    report.summary.contains(
                        "OpenTSDB receiver http://127.0.0.1:\(closedPort)/api/put unreachable after 4 attempts"
                    )
                )
                #expect(report.sent == 0)
                #expect(try readAll(path) == before)
            }
        }
    }

    @Test("a run while another holds the lock is refused with exit 75")
    func busy() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.file("checkpoint.json")
            let held = try RunLock(path: path + ".lock")
            let writer = try OpenTSDBWriter(
                configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL),
                transport: FakeReceiver(),
                logger: quietLogger
            )
            let job = PushJob(
                configuration: PushJobConfiguration(checkpointPath: path),
                sources: [ListSource(name: "list", chunks: [TestPoints.series(3)])],
                writer: writer,
                logger: quietLogger
            )
            let report = await job.run()
            withExtendedLifetime(held) {}
            #expect(report.exitCode == PushReport.exitBusy)
            #expect(report.summary.contains("another push run holds"))
        }
    }

    @Test("refused points are reported once (exit 2) and not again on the next run")
    func rejectedOnce() async throws {
        try await withTemporaryDirectory { directory in
            let now: Int64 = 1_700_000_100_000
            var bad = TestPoints.series(1, start: 1_700_000_050)[0]
            bad.metric = "bad metric"
            let receiver = FakeReceiver()
            let job = PushJob(
                configuration: PushJobConfiguration(checkpointPath: directory.file("checkpoint.json")),
                sources: [ListSource(name: "list", chunks: [TestPoints.series(60) + [bad]])],
                writer: try OpenTSDBWriter(
                    configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL),
                    transport: receiver,
                    logger: quietLogger
                ),
                now: { now },
                logger: quietLogger
            )
            let first = await job.run()
            #expect(first.exitCode == PushReport.exitRejected)
            #expect(first.sent == 60 && first.rejected == 1)
            #expect(first.summary.contains("list 60 sent, 0 skipped, 1 rejected (2 batches)"))
            let second = await job.run()
            #expect(second.exitCode == 0 && second.skipped == 61 && second.rejected == 0)
        }
    }

    @Test("points go out in time order per series, whatever order the source gives")
    func timeOrder() async throws {
        try await withTemporaryDirectory { directory in
            let points = (TestPoints.series(70, metric: "a") + TestPoints.series(70, metric: "b")).shuffled()
            let receiver = FakeReceiver()
            let job = PushJob(
                configuration: PushJobConfiguration(checkpointPath: directory.file("checkpoint.json")),
                sources: [ListSource(name: "list", chunks: [points + points.prefix(10)])],
                writer: try OpenTSDBWriter(
                    configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL),
                    transport: receiver,
                    logger: quietLogger
                ),
                now: { 1_700_000_100_000 },
                logger: quietLogger
            )
            let report = await job.run()
            #expect(report.sent == 140 && report.skipped == 10, "repeats within a chunk are sent once")
            for metric in ["a", "b"] {
                let times = receiver.points.filter { $0.metric == metric }.map(\.timestamp)
                #expect(times == times.sorted() && times.count == 70)
            }
        }
    }

    @Test("a failing source is reported; the sources after it still run")
    func failingSourceDoesNotStopOthers() async throws {
        try await withTemporaryDirectory { directory in
            let receiver = FakeReceiver()
            let job = PushJob(
                configuration: PushJobConfiguration(checkpointPath: directory.file("checkpoint.json")),
                sources: [
                    FailingSource(name: "flaky", first: TestPoints.series(5, metric: "f")),
                    ListSource(name: "steady", chunks: [TestPoints.series(5, metric: "s")]),
                ],
                writer: try OpenTSDBWriter(
                    configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL),
                    transport: receiver,
                    logger: quietLogger
                ),
                now: { 1_700_000_100_000 },
                logger: quietLogger
            )
            let report = await job.run()
            #expect(report.exitCode == 1)
            #expect(report.sources.map(\.sent) == [5, 5])
            #expect(report.sources[0].failure == "upstream said 503")
            #expect(
                report.summary.contains("flaky failed: upstream said 503 (5 sent, 0 skipped, 0 rejected (1 batch))")
            )
        }
    }

    @Test("a run cancelled mid-way keeps what it delivered and reports 'cancelled'; the rerun completes it")
    func cancelledMidRun() async throws {
        try await withTemporaryDirectory { directory in
            var configuration = SandboxConfiguration(now: anchor)
            configuration.faults = [Fault(route: .catchpointRaw, latencyMilliseconds: 500)]
            try await withSandbox(configuration) { server in
                let receiver = FakeReceiver()
                let tests = Array(1...60)
                let path = directory.file("checkpoint.json")
                var settings = Self.settings(server, checkpoint: path, testIDs: tests)
                settings.lookback = .seconds(600)
                let run = Task { await Self.run(settings, receiver: receiver, now: anchor) }
                try await waitUntil("the second raw request never came", timeout: .seconds(90)) {
                    server.requestCount(.catchpointRaw) >= 2
                }
                run.cancel()
                let cancelled = await run.value
                #expect(cancelled.failure == .cancelled && cancelled.exitCode == 1)

                // The first request's tests were delivered before the second request went out;
                // on a slow machine some of the second may have followed before the cancel landed.
                let window = (start: anchor - 10 * minute, end: anchor)
                let firstChunk = try await Self.expected(
                    server,
                    testIDs: Array(1...50),
                    start: window.start,
                    end: window.end
                )
                let all = try await Self.expected(server, testIDs: tests, start: window.start, end: window.end)
                let delivered = Self.counts(receiver.points)
                #expect(delivered.values.allSatisfy { $0 == 1 })
                #expect(Set(firstChunk.map(\.stored)).isSubset(of: delivered.keys))
                #expect(Set(delivered.keys).isSubset(of: Set(all.map(\.stored))))
                #expect(cancelled.sent == receiver.points.count)
                var expectedCheckpoint = Checkpoint()
                expectedCheckpoint.advance(past: receiver.points.map(Self.dataPoint))
                let saved: Checkpoint = try CheckpointFile(path: path).load()
                #expect(saved == expectedCheckpoint)

                server.clearFaults()
                let rerun = await Self.run(settings, receiver: receiver, now: anchor)
                #expect(rerun.succeeded && rerun.skipped == cancelled.sent && rerun.sent + rerun.skipped == all.count)
                #expect(Self.counts(receiver.points) == Self.counts(all.map(\.stored)))
            }
        }
    }

    /// A stored point back as a datapoint (seconds, as the Catchpoint source sends them).
    static func dataPoint(_ stored: FakeReceiver.Stored) -> DataPoint {
        DataPoint(metric: stored.metric, timestamp: stored.timestamp, value: stored.value, tags: stored.tags)
    }
}
