import Sandbox
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `Tests/Fixtures/catchpoint/<name>`.
private func catchpointFixture(_ name: String) throws -> [UInt8] {
    // This file is Tests/SandboxTests/CatchpointRoutesTests.swift.
    let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    return Array(try Data(contentsOf: tests.appendingPathComponent("Fixtures/catchpoint/\(name)")))
}

private let tokenForm =
    "grant_type=client_credentials&client_id=\(CatchpointSandboxOptions.defaultClientID)"
    + "&client_secret=\(CatchpointSandboxOptions.defaultClientSecret)"

extension SandboxServer {
    /// A fresh Catchpoint access token.
    fileprivate func catchpointToken(form: String = tokenForm) throws -> String {
        let answer = try send("/ui/api/token", method: "POST", token: nil, body: Array(form.utf8))
        #expect(answer.status == 200, "\(answer.text)")
        return try #require(try answer.json()["access_token"]?.stringValue)
    }

    fileprivate func raw(_ query: String, token: String) throws -> RawHTTPResult {
        try send("/ui/api/v1/performance/raw?\(query)", token: token)
    }
}

@Suite("Catchpoint fake: token and raw performance")
struct CatchpointRoutesTests {
    @Test("the embedded recording is raw-reconstructed.json")
    func recordingIsTheFixture() async throws {
        try await withSandbox { server in
            let token = try server.catchpointToken()
            let answer = try server.raw("tests=142637", token: token)
            #expect(answer.status == 200)
            #expect(try answer.json() == JSONParser.parse(try catchpointFixture("raw-reconstructed.json")))
        }
    }

    @Test("token answer shaped like token-response.json; both token request forms work")
    func tokenShape() async throws {
        try await withSandbox { server in
            let fixture = try JSONParser.parse(try catchpointFixture("token-response.json"))
            let variant = "refresh_token=None&" + tokenForm
            for form in [tokenForm, variant] {
                let answer = try server.send("/ui/api/token", method: "POST", token: nil, body: Array(form.utf8))
                let json = try answer.json()
                #expect(answer.status == 200)
                #expect(json.objectValue?.map(\.0) == fixture.objectValue?.map(\.0))
                #expect(json["token_type"] == .string("bearer") && json["expires_in"] == .int(900))
            }
        }
    }

    @Test("wrong credentials → 401 with Catchpoint's Message shape; another grant → 400")
    func tokenErrors() async throws {
        try await withSandbox { server in
            let wrong = try server.send(
                "/ui/api/token",
                method: "POST",
                token: nil,
                body: Array("grant_type=client_credentials&client_id=x&client_secret=y".utf8)
            )
            #expect(wrong.status == 401)
            #expect(try wrong.json() == .object([("Message", .string("Invalid client credentials"))]))
            let grant = try server.send(
                "/ui/api/token",
                method: "POST",
                token: nil,
                body: Array("grant_type=password".utf8)
            )
            #expect(grant.status == 400)
        }
    }

    @Test("configured credentials and token lifetime are honoured")
    func configuredCredentials() async throws {
        var configuration = SandboxConfiguration(now: testAnchor)
        configuration.catchpoint = CatchpointSandboxOptions(
            clientID: "id-1",
            clientSecret: "s-1",
            tokenLifetimeSeconds: 60
        )
        try await withSandbox(configuration) { server in
            let form = "grant_type=client_credentials&client_id=id-1&client_secret=s-1"
            let answer = try server.send("/ui/api/token", method: "POST", token: nil, body: Array(form.utf8))
            #expect(try answer.json()["expires_in"] == .int(60))
            #expect(
                try server.send("/ui/api/token", method: "POST", token: nil, body: Array(tokenForm.utf8)).status == 401
            )
        }
    }

    @Test("no, unknown or expired token → the fixtures' error bodies; raw or base64 bearer both work")
    func tokenChecks() async throws {
        try await withSandbox { server in
            let invalid = try JSONParser.parse(try catchpointFixture("error-invalid-token.json"))
            let expired = try JSONParser.parse(try catchpointFixture("error-expired-token.json"))
            #expect(try server.send("/ui/api/v1/performance/raw?tests=1", token: nil).json() == invalid)
            #expect(try server.raw("tests=1", token: "nope").json() == invalid)
            let token = try server.catchpointToken()
            #expect(try server.raw("tests=1", token: token).status == 200)
            #expect(try server.raw("tests=1", token: Data(token.utf8).base64EncodedString()).status == 200)
            let expire = try server.send("/_sandbox/catchpoint/expire-tokens", method: "POST", token: nil)
            #expect(try expire.json()["expired"] == .int(1))
            let refused = try server.raw("tests=1", token: token)
            #expect(refused.status == 401)
            #expect(try refused.json() == expired)
        }
    }

    @Test("generated answers have the recording's shape, fields and item keys")
    func generatedShape() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor)) { server in
            let token = try server.catchpointToken()
            let fixture = try JSONParser.parse(try catchpointFixture("raw-reconstructed.json"))
            let answer = try server.raw(
                "tests=1,2,3&startTime=2026-05-02T08:15:00&endTime=2026-05-02T09:15:00",
                token: token
            )
            let json = try answer.json()
            #expect(answer.status == 200)
            let shape = JSONShape(examples: [fixture])
            let problems = shape.problems(in: json)
            #expect(problems.isEmpty, "\(problems.prefix(5))")
            #expect(json["detail"]?["fields"] == fixture["detail"]?["fields"])
            #expect(json["start"] == .string("2026-05-02T08:15:00Z") && json["end"] == .string("2026-05-02T09:15:00Z"))
            let items = try #require(json["detail"]?["items"]?.arrayValue)
            #expect(!items.isEmpty)
            let fixtureItem = try #require(fixture["detail"]?["items"]?[0])
            for item in items {
                #expect(item.objectValue?.map(\.0) == fixtureItem.objectValue?.map(\.0))
                #expect(item["synthetic_metrics"]?.arrayValue?.count == 47)
                let time = try #require(item["dimension"]?["name"]?.stringValue)
                let milliseconds = try #require(Timestamp.parseISO8601(time))
                #expect(milliseconds >= testAnchor - 3_600_000 && milliseconds <= testAnchor, "\(time)")
            }
            let times = items.compactMap { $0["dimension"]?["name"]?.stringValue }
            #expect(times == times.sorted())
        }
    }

    @Test("the same seed and window give the same bytes; overlapping windows agree")
    func determinism() async throws {
        let query = "tests=5,6,7&startTime=2026-05-02T07:00:00&endTime=2026-05-02T08:00:00"
        let first = try await withSandbox(SandboxConfiguration(now: testAnchor)) { server in
            try server.raw(query, token: try server.catchpointToken()).body
        }
        let second = try await withSandbox(SandboxConfiguration(now: testAnchor)) { server in
            let token = try server.catchpointToken()
            let wider = try server.raw(
                "tests=5,6,7&startTime=2026-05-02T06:30:00&endTime=2026-05-02T08:00:00",
                token: token
            )
            let widerItems = try wider.json()["detail"]?["items"]?.arrayValue ?? []
            let narrowItems = try server.raw(query, token: token).json()["detail"]?["items"]?.arrayValue ?? []
            #expect(narrowItems.allSatisfy { item in widerItems.contains(item) })
            return try server.raw(query, token: token).body
        }
        #expect(first == second)
    }

    @Test("no data: a paused test (id divisible by 1000) answers without detail")
    func noData() async throws {
        try await withSandbox { server in
            let json = try server.raw("tests=3000", token: try server.catchpointToken()).json()
            #expect(json["detail"] == nil && json["start"] != nil && json["end"] != nil)
        }
    }

    @Test("Catchpoint's now is the anchor moved on by the real clock")
    func movingClock() async throws {
        try await withSandbox(SandboxConfiguration(now: testAnchor)) { server in
            let token = try server.catchpointToken()
            func end() throws -> Int64 {
                let json = try server.raw("tests=1,2,3,4", token: token).json()
                return try #require(json["end"]?.stringValue.flatMap(Timestamp.parseISO8601))
            }
            let first = try end()
            try await Task.sleep(for: .milliseconds(1500))
            let second = try end()
            // Whole seconds: 1.5 s later the end has moved by 1 or 2 s (more on a stalled machine).
            #expect(first >= testAnchor - 1000)
            #expect(second - first >= 1000 && second - first < 60_000, "\(first) → \(second)")
        }
    }

    @Test(
        "bad requests → 400 with a Message",
        arguments: [
            "", "tests=abc", "tests=0", "tests=1&startTime=2026-05-02T07:00:00",
            "tests=1&startTime=2026-05-02T09:00:00&endTime=2026-05-02T08:00:00",
            "tests=1&startTime=2026-04-01T00:00:00&endTime=2026-05-02T00:00:00", "tests=1&startTime=x&endTime=y",
        ]
    )
    func badRequests(query: String) async throws {
        try await withSandbox { server in
            let answer = try server.raw(query, token: try server.catchpointToken())
            #expect(answer.status == 400, "\(query): \(answer.text)")
            #expect(try answer.json()["Message"]?.stringValue != nil)
        }
    }

    @Test("at most 50 test ids per request")
    func fiftyTests() async throws {
        try await withSandbox { server in
            let token = try server.catchpointToken()
            #expect(
                try server.raw("tests=" + (1...50).map(String.init).joined(separator: ","), token: token).status == 200
            )
            #expect(
                try server.raw("tests=" + (1...51).map(String.init).joined(separator: ","), token: token).status == 400
            )
        }
    }

    @Test("catchpoint_token and catchpoint_raw are counted and can be faulted")
    func statsAndFaults() async throws {
        var configuration = SandboxConfiguration()
        configuration.faults = [Fault(route: .catchpointRaw, status: 503, count: 1)]
        try await withSandbox(configuration) { server in
            let token = try server.catchpointToken()
            #expect(try server.raw("tests=1", token: token).status == 503)
            #expect(try server.raw("tests=1", token: token).status == 200)
            let stats = try server.json("/_sandbox/stats")
            #expect(stats["routes"]?["catchpoint_token"] == .int(1) && stats["routes"]?["catchpoint_raw"] == .int(2))
            #expect(server.routeNames.contains(.catchpointToken) && server.routeNames.contains(.catchpointRaw))
            let fault = try server.send(
                "/_sandbox/faults",
                method: "POST",
                token: nil,
                body: Array(#"{"route": "catchpoint_token", "status": 500}"#.utf8)
            )
            #expect(fault.status == 200)
            #expect(
                try server.send("/ui/api/token", method: "POST", token: nil, body: Array(tokenForm.utf8)).status == 500
            )
        }
    }
}
