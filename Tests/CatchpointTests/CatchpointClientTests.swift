@testable import Catchpoint
import OpenTSDB
import Sandbox
import TestSupport
import Testing
import UpstreamHTTP

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Catchpoint client against the sandbox: token reuse, renewal, errors, batching")
struct CatchpointClientTests {
    func client(
        _ server: SandboxServer,
        clientID: Secret = SandboxCredentials.clientID,
        clientSecret: Secret = SandboxCredentials.clientSecret,
        bearer: BearerEncoding = .raw
    ) throws -> CatchpointClient {
        try CatchpointClient(
            configuration: CatchpointConfiguration(
                baseURL: try BaseURL(server.baseURL),
                clientID: clientID,
                clientSecret: clientSecret,
                bearerEncoding: bearer
            ),
            logger: quietLogger
        )
    }

    @Test("one token serves several raw requests")
    func tokenReuse() async throws {
        try await withSandbox { server in
            let client = try client(server)
            for _ in 0..<3 { _ = try await client.rawPerformance(testIDs: [1, 2]) }
            #expect(server.requestCount(.catchpointToken) == 1)
            #expect(server.requestCount(.catchpointRaw) == 3)
            #expect(await client.tokenRequestCount == 1)
        }
    }

    @Test("an 'Expired token' answer renews the token once and repeats the request", arguments: BearerEncoding.allCases)
    func renewalOnExpiredToken(bearer: BearerEncoding) async throws {
        try await withSandbox { server in
            let client = try client(server, bearer: bearer)
            let before = try await client.rawPerformance(requestFor: [1], window: RawWindow(start: 0, end: 1))
            try await server.expireCatchpointTokens()
            let after = try await client.rawPerformance(requestFor: [1], window: RawWindow(start: 0, end: 1))
            #expect(before == after)
            #expect(server.requestCount(.catchpointToken) == 2)
            #expect(server.requestCount(.catchpointRaw) == 3, "the refused request, then its repeat")
        }
    }

    @Test("a token is renewed before its announced expiry, without a refused request")
    func proactiveRenewal() async throws {
        // A scripted Catchpoint announcing 2 s tokens: the client renews once half the life is
        // over (the margin is capped at half the lifetime). No request is ever refused here, so
        // a second token request can only come from the client's own clock.
        let transport = MockTransport { request, _ in
            if request.url.hasSuffix("/ui/api/token") {
                return .response(HTTPTransportResponse(status: 200, body: Array(#"{"access_token":"t","expires_in":2}"#.utf8)))
            }
            return .response(HTTPTransportResponse(status: 200, body: Array(#"{"start":"x","end":"y"}"#.utf8)))
        }
        let client = try CatchpointClient(
            configuration: CatchpointConfiguration(clientID: Secret("id"), clientSecret: Secret("secret")),
            transport: transport,
            logger: quietLogger
        )
        _ = try await client.rawPerformance(testIDs: [1])
        #expect(await client.tokenRequestCount == 1)
        try await Task.sleep(for: .milliseconds(1300))
        _ = try await client.rawPerformance(testIDs: [1])
        #expect(await client.tokenRequestCount == 2)
        #expect(transport.requests.map { $0.url.hasSuffix("/ui/api/token") } == [true, false, true, false])
    }

    @Test("token usability: renewed the margin early, never earlier than half its life")
    func tokenUsability() {
        let received = ContinuousClock.now
        let token = AccessToken(value: Secret("t"), lifetimeSeconds: 900, receivedAt: received)
        #expect(token.isUsable(at: received + .seconds(869), margin: .seconds(30)))
        #expect(!token.isUsable(at: received + .seconds(870), margin: .seconds(30)))
        let short = AccessToken(value: Secret("t"), lifetimeSeconds: 4, receivedAt: received)
        #expect(short.isUsable(at: received + .milliseconds(1999), margin: .seconds(30)))
        #expect(!short.isUsable(at: received + .seconds(2), margin: .seconds(30)))
    }

    @Test("wrong credentials: a typed error whose text has neither the id nor the secret")
    func invalidCredentials() async throws {
        try await withSandbox { server in
            let client = try client(
                server,
                clientID: Secret("my-client-id-1234"),
                clientSecret: Secret("s3cr3t-value-xyz")
            )
            do {
                _ = try await client.rawPerformance(testIDs: [1])
                Issue.record("expected an error")
            } catch let error as CatchpointError {
                guard case .authenticationFailed(401, let message) = error else {
                    Issue.record("unexpected \(error)")
                    return
                }
                #expect(message == "Invalid client credentials")
                for text in [error.description, String(reflecting: error), "\(error)"] {
                    #expect(!text.contains("s3cr3t-value-xyz") && !text.contains("my-client-id-1234"), "\(text)")
                    #expect(!text.contains("\n"))
                }
            }
            #expect(server.requestCount(.catchpointRaw) == 0)
        }
    }

    @Test("the configuration never prints its secrets")
    func configurationIsRedacted() throws {
        let configuration = CatchpointConfiguration(clientID: Secret("id-abcdef"), clientSecret: Secret("secret-ghijk"))
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [dumped, "\(configuration)", String(reflecting: configuration)] {
            #expect(!text.contains("id-abcdef") && !text.contains("secret-ghijk"))
        }
    }

    @Test("an invalid token is a typed error, not a renewal loop")
    func invalidToken() async throws {
        let transport = MockTransport { request, _ in
            if request.url.hasSuffix("/ui/api/token") {
                return .response(HTTPTransportResponse(status: 200, body: Array(#"{"access_token":"abc","expires_in":900}"#.utf8)))
            }
            return .response(HTTPTransportResponse(status: 401, body: Array(try TestFixtures.bytes("catchpoint/error-invalid-token.json"))))
        }
        let client = try CatchpointClient(
            configuration: CatchpointConfiguration(clientID: Secret("id"), clientSecret: Secret("secret")),
            transport: transport,
            logger: quietLogger
        )
        await #expect(throws: CatchpointError.invalidToken(message: "Invalid token")) {
            _ = try await client.rawPerformance(testIDs: [1])
        }
        #expect(transport.requests.count == 2)
    }

    @Test("a token still called expired after renewal is an error, after exactly one renewal")
    func expiredAfterRenewal() async throws {
        let transport = MockTransport { request, _ in
            if request.url.hasSuffix("/ui/api/token") {
                return .response(HTTPTransportResponse(status: 200, body: Array(try TestFixtures.bytes("catchpoint/token-response.json"))))
            }
            // Catchpoint may say so with a 200 too; the body decides.
            return .response(HTTPTransportResponse(status: 200, body: Array(try TestFixtures.bytes("catchpoint/error-expired-token.json"))))
        }
        let client = try CatchpointClient(
            configuration: CatchpointConfiguration(clientID: Secret("id"), clientSecret: Secret("secret")),
            transport: transport,
            logger: quietLogger
        )
        await #expect(throws: CatchpointError.tokenExpiredAfterRenewal) {
            _ = try await client.rawPerformance(testIDs: [1])
        }
        #expect(transport.requests.map { $0.url.hasSuffix("/ui/api/token") } == [true, false, true, false])
    }

    @Test("the token request bodies match the recorded forms, and the bearer is raw or base64")
    func wireForms() async throws {
        for (form, fixture) in [
            (TokenRequestForm.standard, "catchpoint/token-request.form"),
            (.pythonOpenTSDB, "catchpoint/token-request-python-opentsdb-variant.form"),
        ] {
            for bearer in BearerEncoding.allCases {
                let transport = MockTransport { request, _ in
                    if request.url.hasSuffix("/ui/api/token") {
                        return .response(HTTPTransportResponse(
                            status: 200,
                            body: Array(try TestFixtures.bytes("catchpoint/token-response.json"))
                        ))
                    }
                    return .response(HTTPTransportResponse(status: 200, body: Array(#"{"start":"x","end":"y"}"#.utf8)))
                }
                let client = try CatchpointClient(
                    configuration: CatchpointConfiguration(
                        clientID: Secret("EXAMPLE_CLIENT_ID"),
                        clientSecret: Secret("EXAMPLE_CLIENT_SECRET"),
                        bearerEncoding: bearer,
                        tokenRequestForm: form
                    ),
                    transport: transport,
                    logger: quietLogger
                )
                let answer = try await client.rawPerformance(requestFor: [142_637, 142_638])
                #expect(!answer.hasData)
                let requests = transport.requests
                let expectedForm = String(try TestFixtures.text(fixture).filter { !$0.isNewline })
                #expect(String(decoding: requests[0].body ?? [], as: UTF8.self) == expectedForm)
                #expect(requests[0].headers["Content-Type"] == "application/x-www-form-urlencoded")
                #expect(requests[1].url == "https://io.catchpoint.com/ui/api/v1/performance/raw?tests=142637,142638")
                let token =
                    bearer == .raw ? "EXAMPLE.ACCESS.TOKEN" : Data("EXAMPLE.ACCESS.TOKEN".utf8).base64EncodedString()
                #expect(requests[1].headers["Authorization"] == "Bearer \(token)")
                #expect(!requests[1].description.contains("EXAMPLE.ACCESS.TOKEN"))
            }
        }
    }

    @Test("120 test ids become requests of 50, 50 and 20")
    func splitsLargeTestLists() async throws {
        try await withSandbox { server in
            let client = try client(server)
            let answers = try await client.rawPerformance(testIDs: Array(1...120))
            #expect(answers.count == 3)
            #expect(server.requestCount(.catchpointRaw) == 3)
            #expect(CatchpointClient.requestGroups(Array(1...120)).map(\.count) == [50, 50, 20])
            #expect(CatchpointClient.requestGroups([3, 1, 3, 2]) == [[3, 1, 2]])
        }
    }

    @Test("a paused test (id divisible by 1000) answers without detail: no data")
    func noData() async throws {
        try await withSandbox { server in
            let answer = try await client(server).rawPerformance(requestFor: [2000])
            #expect(!answer.hasData)
            #expect(answer.dataPoints().points.isEmpty)
        }
    }

    @Test("the recorded test id serves raw-reconstructed.json, which maps to the 111 points")
    func recordedTest() async throws {
        try await withSandbox { server in
            let answer = try await client(server).rawPerformance(requestFor: [CatchpointSandboxOptions.recordedTestID])
            let fixture = try JSONDecoder().decode(
                RawPerformance.self,
                from: Data(try TestFixtures.bytes("catchpoint/raw-reconstructed.json"))
            )
            #expect(answer == fixture)
            #expect(answer.dataPoints().points.count == 111)
        }
    }

    @Test("startTime/endTime are honoured and overlapping windows agree on shared runs")
    func windows() async throws {
        let anchor: Int64 = 1_777_713_300_000
        try await withSandbox(SandboxConfiguration(now: anchor)) { server in
            let client = try client(server)
            let hour: Int64 = 3_600_000
            let early = try await client.rawPerformance(
                requestFor: [1, 2, 3],
                window: RawWindow(start: anchor - 2 * hour, end: anchor - hour)
            )
            .dataPoints().points
            let late = try await client.rawPerformance(
                requestFor: [1, 2, 3],
                window: RawWindow(start: anchor - 90 * 60_000, end: anchor)
            )
            .dataPoints().points
            #expect(!early.isEmpty && !late.isEmpty)
            #expect(early.allSatisfy { $0.milliseconds >= anchor - 2 * hour && $0.milliseconds <= anchor - hour + 999 })
            #expect(late.allSatisfy { $0.milliseconds >= anchor - 90 * 60_000 && $0.milliseconds <= anchor + 999 })
            let shared = Set(early.filter { $0.milliseconds >= anchor - 90 * 60_000 })
            #expect(!shared.isEmpty)
            #expect(shared.isSubset(of: Set(late)))
        }
    }
}
