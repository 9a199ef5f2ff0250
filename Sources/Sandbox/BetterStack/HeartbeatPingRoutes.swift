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
    /// The output the ping carried (at most 10 000 bytes of body): form-decoded when the body
    /// came as `application/x-www-form-urlencoded` (what `curl -d` sends), else the text as is.
    let body: String
    /// The body exactly as received (at most 10 000 bytes).
    let rawBody: String
    /// The request's `Content-Type`, `nil` without one.
    let contentType: String?

    var json: JSON {
        .object([
            ("received_at", .string(Timestamp.iso8601(receivedAt))),
            ("token", .string(token)),
            ("heartbeat_id", .string(String(heartbeatID))),
            ("kind", .string(kind)),
            ("exit_code", .optional(exitCode)),
            ("method", .string(method)),
            ("body", .string(body)),
            ("raw_body", .string(rawBody)),
            ("content_type", .optional(contentType)),
        ])
    }
}

/// `GET|POST|HEAD /api/v1/heartbeat/{token}`, `…/{token}/fail` and `…/{token}/{exit code}`:
/// no authorization (the token is the secret), `200 OK` for a known token, 404 otherwise.
///
/// The documentation's example with output is `curl -d "$backup_output" …/heartbeat/<token>/$?`:
/// a `POST` with `Content-Type: application/x-www-form-urlencoded`. Such a body is form-decoded
/// as one value (`+` and `%XX`; a malformed escape stays as it is) before it is recorded, which
/// is how a form-reading server sees it; any other body is recorded as text. How upstream stores
/// or shows the output is not documented.
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

    /// `application/x-www-form-urlencoded` from `Application/X-WWW-Form-URLEncoded; charset=utf-8`.
    static func mediaType(_ contentType: String) -> String {
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        return String(type.drop(while: isBlank).reversed().drop(while: isBlank).reversed()).lowercased()
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
        let raw = String(decoding: context.request.body.prefix(bodyLimit), as: UTF8.self)
        let contentType = context.request.header("Content-Type")
        let isForm = contentType.map(Self.mediaType) == "application/x-www-form-urlencoded"
        context.state.pings.append(contentsOf: [
            HeartbeatPing(
                kind: kind,
                exitCode: exitCode,
                token: token,
                heartbeatID: heartbeat.id,
                method: context.request.method,
                receivedAt: Timestamp.nowMilliseconds(),
                body: isForm ? QueryString.decode(raw) : raw,
                rawBody: raw,
                contentType: contentType
            )
        ])
        return .text("OK", status: 200)
    }
}
