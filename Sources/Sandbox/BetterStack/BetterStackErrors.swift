/// Upstream's error bodies, word for word (see `Tests/Fixtures/betterstack/error-*.json`).
enum BetterStackErrors {
    /// 401, from captured responses.
    static let invalidToken = SandboxResponse.errors(
        "Invalid Team API token. How to find your Team API token: "
            + "https://betterstack.com/docs/uptime/api/getting-started-with-better-uptime-api"
            + "#obtaining-a-better-uptime-api-token",
        status: 401
    )

    /// 404 for an unknown id.
    static let notFound = SandboxResponse.errors("Resource with provided ID was not found", status: 404)

    /// 400 from `/monitors/{id}/sla` (and, as a guess, bad incident dates). Upstream's wording,
    /// including its "end time is after the start time".
    static let invalidMonitorRange = SandboxResponse.errors(
        "The data range is invalid. The date format could not be parsed, the start time is in the future, "
            + "or the end time is after the start time.",
        status: 400
    )

    /// 400 from `/heartbeats/{id}/availability`, which says "before" where the monitor one says "after".
    static let invalidHeartbeatRange = SandboxResponse.errors(
        "The data range is invalid. The date format could not be parsed, the start time is in the future, "
            + "or the end time is before the start time.",
        status: 400
    )

    /// 422 for a heartbeat created without a name.
    static let blankName = SandboxResponse.json(
        .object([("errors", .object([("name", .array([.string("Can't be blank.")]))]))]),
        status: 422
    )

    /// Lets a request in when it carries `Authorization: Bearer <token>`.
    static func requireToken(_ token: String) -> Route.Authorizer {
        { request in request.bearerToken == token ? nil : invalidToken }
    }
}
