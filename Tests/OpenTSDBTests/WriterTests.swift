import OpenTSDB
import Sandbox
import TestSupport
import Testing
import UpstreamHTTP

@Suite("OpenTSDB writer: batching, details, retries, validation")
struct WriterTests {
    func writer(
        _ transport: any HTTPTransport,
        sleeper: SleepRecorder = SleepRecorder(),
        retry: RetryPolicy = .openTSDB
    ) throws -> OpenTSDBWriter {
        try OpenTSDBWriter(
            configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL, retry: retry),
            transport: transport,
            sleep: sleeper.sleep,
            logger: quietLogger
        )
    }

    @Test("120 points go out as 50 + 50 + 20 to POST /api/put?details, in order, as JSON")
    func batches() async throws {
        let transport = MockTransport(status: 204)
        let points = TestPoints.series(120)
        let summary = try await writer(transport).write(points)
        #expect(summary.sent == 120 && summary.accepted == 120 && summary.batches == 3 && summary.rejectedCount == 0)
        let requests = transport.requests
        #expect(requests.map(\.method) == ["POST", "POST", "POST"])
        #expect(requests.allSatisfy { $0.url == "http://127.0.0.1:4242/api/put?details" })
        #expect(requests.allSatisfy { $0.headers["Content-Type"] == "application/json" })
        let sizes = try requests.map { try JSONParser.parse($0.body ?? []).arrayValue?.count ?? -1 }
        #expect(sizes == [50, 50, 20])
        let sent = try requests.flatMap {
            try (JSONParser.parse($0.body ?? []).arrayValue ?? []).map(FakeReceiver.parse)
        }
        #expect(sent == points.map(\.stored))
    }

    @Test("the batch size is configurable but never above 50")
    func batchSizeLimit() throws {
        #expect(throws: OpenTSDBError.self) {
            try OpenTSDBWriter(
                configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL, batchSize: 51),
                transport: MockTransport(status: 204),
                logger: quietLogger
            )
        }
        let config = OpenTSDBConfiguration(baseURL: mockReceiverURL, batchSize: 0)
        #expect(config.problems.first?.contains("batch size 0") == true)
    }

    @Test("a details answer (put-response-details.json) names the refused point; the rest count as stored")
    func detailsAnswer() async throws {
        let details = try TestFixtures.text("opentsdb/put-response-details.json")
        let parsed = try #require(PutDetails.parse(Array(details.utf8)))
        #expect(parsed.failed == 1 && parsed.success == 0 && parsed.errors.count == 1)
        #expect(parsed.errors.first?.error == "Unable to parse value to a number")

        // The fixture's refused point is sys.cpu.nice host=web01 @1365465600; send it with two others.
        let refused = DataPoint(metric: "sys.cpu.nice", timestamp: 1_365_465_600, value: 1, tags: ["host": "web01"])
        let others = TestPoints.series(2, metric: "sys.cpu.idle")
        let answer =
            #"{"success":2,"failed":1,"errors":[{"datapoint":{"metric":"sys.cpu.nice","timestamp":1365465600,"value":"NaN","tags":{"host":"web01"}},"error":"Unable to parse value to a number"}]}"#
        let transport = MockTransport(status: 400, body: answer)
        let summary = try await writer(transport).write(others + [refused])
        #expect(summary.accepted == 2)
        #expect(summary.rejected.map(\.point) == [refused])
        #expect(summary.rejected.first?.reason == "Unable to parse value to a number")
        #expect(summary.rejected.first?.origin == .receiver)
        #expect(transport.requests.count == 1, "a details answer acknowledges the batch: no retry")
        #expect(throws: OpenTSDBError.self) { try summary.requireAllAccepted() }
    }

    @Test("a summary answer counts refusals it cannot name")
    func summaryAnswer() async throws {
        let transport = MockTransport(status: 400, body: try TestFixtures.text("opentsdb/put-response-summary.json"))
        let outcome = try await writer(transport).send(batch: TestPoints.series(1))
        #expect(outcome.accepted == 0 && outcome.rejected.isEmpty && outcome.unidentifiedRejections == 1)
    }

    @Test("a 400 without details (put-response-400-no-flags.json) is an HTTP error with the body excerpt")
    func badRequestWithoutDetails() async throws {
        let transport = MockTransport(status: 400, body: try TestFixtures.text("opentsdb/put-response-400-no-flags.json"))
        do {
            _ = try await writer(transport).write(TestPoints.series(3))
            Issue.record("expected an error")
        } catch let error as OpenTSDBError {
            guard case .httpStatus(400, let excerpt, _, 1) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(excerpt.contains("One or more data points had errors"))
            #expect(!error.description.contains("\n"))
        }
        #expect(transport.requests.count == 1, "4xx is not retried")
    }

    @Test("5xx is retried with exponential backoff, then the batch succeeds")
    func retriesThenSucceeds() async throws {
        let transport = MockTransport { _, index in
            index < 2 ? .json(503, "busy") : .json(204, "")
        }
        let sleeper = SleepRecorder()
        let summary = try await writer(transport, sleeper: sleeper).write(TestPoints.series(10))
        #expect(summary.accepted == 10)
        #expect(transport.requests.count == 3)
        #expect(sleeper.all == [.milliseconds(500), .seconds(1)])
        #expect(Set(transport.requests.map { $0.body ?? [] }).count == 1, "the same body each time")
    }

    @Test("Retry-After is honoured on 429, capped by the policy")
    func retryAfter() async throws {
        let transport = MockTransport { _, index in
            index == 0 ? .json(429, "", headers: [("Retry-After", "3")]) : .json(204, "")
        }
        let sleeper = SleepRecorder()
        _ = try await writer(transport, sleeper: sleeper).write(TestPoints.series(1))
        #expect(sleeper.all == [.seconds(3)])
    }

    @Test("retries are bounded: after the last attempt the 5xx is the error")
    func retriesAreBounded() async throws {
        let transport = MockTransport(status: 502, body: "<html>Bad Gateway</html>")
        let sleeper = SleepRecorder()
        await #expect(throws: OpenTSDBError.self) {
            _ = try await writer(transport, sleeper: sleeper, retry: RetryPolicy.openTSDB.with(maxAttempts: 3)).write(
                TestPoints.series(1)
            )
        }
        #expect(transport.requests.count == 3)
        #expect(sleeper.all.count == 2)
    }

    @Test("connection failures are retried, then reported as unreachable with the URL")
    func unreachable() async throws {
        let transport = MockTransport { _, _ in throw HTTPTransportError.connectionFailed("Connection refused") }
        do {
            _ = try await writer(transport).write(TestPoints.series(1))
            Issue.record("expected an error")
        } catch let error as OpenTSDBError {
            #expect(
                error.description.hasPrefix(
                    "OpenTSDB receiver http://127.0.0.1:4242/api/put unreachable after 4 attempts"
                )
            )
        }
        #expect(transport.requests.count == 4)
    }

    @Test("invalid names, too many tags, NaN and bad timestamps are reported and never sent")
    func validation() async throws {
        let good = TestPoints.series(1)[0]
        var spaced = good
        spaced.metric = "sys cpu"
        var badTag = good
        badTag.tags = ["host": "web#01"]
        var noTags = good
        noTags.tags = [:]
        var nineTags = good
        nineTags.tags = Dictionary(uniqueKeysWithValues: (1...9).map { ("k\($0)", "v") })
        var notANumber = good
        notANumber.value = .nan
        var floatyMilliseconds = good
        floatyMilliseconds.precision = .milliseconds  // 1_700_000_000 ms is 1970: refused
        var unicode = good
        unicode.metric = "température.salle"

        let transport = MockTransport(status: 204)
        let summary = try await writer(transport).write(
            [spaced, badTag, noTags, nineTags, notANumber, floatyMilliseconds, good, unicode]
        )
        #expect(summary.sent == 2)
        #expect(summary.rejected.count == 6)
        #expect(summary.rejected.allSatisfy { $0.origin == .validation })
        #expect(summary.rejected[0].reason == "invalid metric name 'sys cpu' (character ' ')")
        #expect(summary.rejected[1].reason == "invalid value 'web#01' for tag 'host' (character '#')")
        #expect(summary.rejected[2].reason.contains("no tags"))
        #expect(summary.rejected[3].reason.contains("9 tags"))
        #expect(summary.rejected[4].reason.contains("NaN"))
        #expect(summary.rejected[5].reason.contains("timestamp"))
        let sent = try JSONParser.parse(transport.requests[0].body ?? []).arrayValue ?? []
        #expect(sent.count == 2)
    }

    @Test(
        "OpenTSDB character rules",
        arguments: [
            ("catchpoint.testdata.DNS.ms", true), ("a-b_c/d.e", true), ("Größe", true), ("", false),
            ("with space", false), ("percent%", false), ("a,b", false), ("a=b", false), ("a{b}", false),
        ]
    )
    func nameRules(name: String, valid: Bool) {
        #expect(NameRules.isValid(name) == valid)
    }

    @Test("the Authorization header is sent but never printed")
    func authorizationIsRedacted() async throws {
        let transport = MockTransport(status: 204)
        let writer = try OpenTSDBWriter(
            configuration: OpenTSDBConfiguration(baseURL: mockReceiverURL, authorization: Secret("Basic c2VjcmV0")),
            transport: transport,
            logger: quietLogger
        )
        _ = try await writer.write(TestPoints.series(1))
        let request = try #require(transport.requests.first)
        #expect(request.headers["Authorization"] == "Basic c2VjcmV0")
        #expect(!request.description.contains("c2VjcmV0"))
        #expect("\(Secret("Basic c2VjcmV0"))" == "<redacted>")
    }

    @Test("base URLs: http(s) only, no credentials, trailing slash dropped")
    func baseURLs() throws {
        #expect(try BaseURL("http://127.0.0.1:4242/").string == "http://127.0.0.1:4242")
        #expect(throws: BaseURLError.self) { try BaseURL("127.0.0.1:4242") }
        #expect(throws: BaseURLError.self) { try BaseURL("http://user:pw@host") }
        #expect(throws: BaseURLError.self) { try BaseURL("http://") }
    }
}
