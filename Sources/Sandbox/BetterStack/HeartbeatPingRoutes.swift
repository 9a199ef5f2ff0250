/// One recorded heartbeat ping, as listed by `GET /_sandbox/pings`.
struct HeartbeatPing: Sendable {
    /// `success`, `fail`, or `exit_code`.
    let kind: String
    let exitCode: Int?
    let token: String
    let heartbeatID: Int
    let method: String
    /// Wall-clock receive time (not the data anchor).
    let receivedAt: Int64
    /// The request body (a script's output), at most 10 000 bytes.
    let body: String

    var json: JSON {
        .object([
            ("received_at", .string(Timestamp.iso8601(receivedAt))),
            ("token", .string(token)),
            ("heartbeat_id", .string(String(heartbeatID))),
            ("kind", .string(kind)),
            ("exit_code", .optional(exitCode)),
            ("method", .string(method)),
            ("body", .string(body)),
        ])
    }
}

/// `GET|POST|HEAD /api/v1/heartbeat/{token}`, `…/{token}/fail` and `…/{token}/{exit code}`:
/// no authorization (the token is the secret), `200 OK` for a known token, 404 otherwise.
enum HeartbeatPingRoutes {
    static let bodyLimit = 10_000

    static func table(state: SandboxState) -> [Route] {
        [
            Route(["GET", "POST", "HEAD"], "/api/v1/heartbeat/:token", name: .heartbeatPing) { ping($0, outcome: nil) },
            Route(["GET", "POST", "HEAD"], "/api/v1/heartbeat/:token/:outcome", name: .heartbeatPing) {
                ping($0, outcome: $0.parameter("outcome"))
            },
        ]
    }

    private static func ping(_ context: RouteContext, outcome: String?) -> SandboxResponse {
        let token = context.parameter("token")
        guard let heartbeat = context.state.betterStack.heartbeat(token: token) else {
            return BetterStackErrors.notFound
        }
        let kind: String
        var exitCode: Int?
        switch outcome {
        case nil: kind = "success"
        case "fail": kind = "fail"
        case let text?:
            guard let code = Int(text), code >= 0 else { return BetterStackErrors.notFound }
            kind = "exit_code"
            exitCode = code
        }
        let body = context.request.body.prefix(bodyLimit)
        context.state.pings.append(contentsOf: [
            HeartbeatPing(
                kind: kind,
                exitCode: exitCode,
                token: token,
                heartbeatID: heartbeat.id,
                method: context.request.method,
                receivedAt: Timestamp.nowMilliseconds(),
                body: String(decoding: body, as: UTF8.self)
            )
        ])
        return .text("OK", status: 200)
    }
}
