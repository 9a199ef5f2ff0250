/// The Catchpoint REST API v1 fake (`POST /ui/api/token`, `GET /ui/api/v1/performance/raw`, as `pavan485/python-opentsDB` calls them): the OAuth2 token endpoint and raw
/// performance data, plus one admin route to expire every token at once.
///
/// Catchpoint's clock is the sandbox anchor (`now`) moved on by the real time since start, so
/// new runs appear as a push job's window moves. Tokens expire on the real clock.
enum CatchpointRoutes {
    /// The longest `startTime`…`endTime` range served (keeps answers a sane size).
    static let maxRangeMilliseconds: Int64 = 7 * 86_400_000
    /// Test ids one raw request may name; both historic clients batch by this.
    static let maxTestsPerRequest = 50
    /// Without `startTime`/`endTime` the API answers the last 15 minutes ("LastRaw").
    static let defaultRangeMilliseconds: Int64 = 15 * 60_000

    static func table(state: SandboxState) -> [Route] {
        let options = state.configuration.catchpoint
        let tokens = CatchpointTokens(seed: state.configuration.seed)
        let dataset = CatchpointDataset(seed: state.configuration.seed)
        let anchor = state.configuration.now
        let startedAt = Timestamp.nowMilliseconds()
        let catchpointNow: @Sendable () -> Int64 = { anchor + (Timestamp.nowMilliseconds() - startedAt) }

        let requireToken: Route.Authorizer = { request in
            guard let presented = request.bearerToken else { return message("Invalid token", status: 401) }
            switch tokens.check(presented, now: Timestamp.nowMilliseconds()) {
            case .valid: return nil
            case .expired: return message("Expired token", status: 401)
            case .unknown: return message("Invalid token", status: 401)
            }
        }
        return [
            Route(["POST"], "/ui/api/token", name: .catchpointToken) { context in
                issueToken(context, options: options, tokens: tokens)
            },
            Route(["GET"], "/ui/api/v1/performance/raw", name: .catchpointRaw, authorize: requireToken) { context in
                raw(context, dataset: dataset, now: catchpointNow())
            },
            // Admin (not counted, not faulted): lets tests see the "Expired token" path without waiting.
            Route(["POST"], "/_sandbox/catchpoint/expire-tokens") { _ in
                .json(.object([("expired", .int(tokens.expireAll(now: Timestamp.nowMilliseconds())))]))
            },
        ]
    }

    /// `{"Message": "…"}`, Catchpoint's error shape (capital M).
    static func message(_ text: String, status: Int) -> SandboxResponse {
        .json(.object([("Message", .string(text))]), status: status)
    }

    // MARK: Token

    /// `grant_type=client_credentials&client_id=…&client_secret=…` (any extra field, such as the
    /// Python job's `refresh_token=None`, is ignored) → `token-response.json`'s shape.
    static func issueToken(
        _ context: RouteContext,
        options: CatchpointSandboxOptions,
        tokens: CatchpointTokens
    ) -> SandboxResponse {
        let form = QueryString.pairs(String(decoding: context.request.body, as: UTF8.self))
            .map { (QueryString.decode($0.name), QueryString.decode($0.value)) }
        func field(_ name: String) -> String? { form.first { $0.0 == name }?.1 }
        guard field("grant_type") == "client_credentials" else {
            return message("unsupported_grant_type", status: 400)
        }
        guard field("client_id") == options.clientID, field("client_secret") == options.clientSecret else {
            return message("Invalid client credentials", status: 401)
        }
        let token = tokens.issue(now: Timestamp.nowMilliseconds(), lifetimeSeconds: options.tokenLifetimeSeconds)
        return .json(
            .object([
                ("access_token", .string(token)),
                ("token_type", .string("bearer")),
                ("expires_in", .int(options.tokenLifetimeSeconds)),
            ])
        )
    }

    // MARK: Raw performance

    static func raw(_ context: RouteContext, dataset: CatchpointDataset, now: Int64) -> SandboxResponse {
        let request = context.request
        guard let testsText = request.query("tests") else {
            return message("The tests parameter is required.", status: 400)
        }
        var testIDs: [Int] = []
        for part in testsText.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.filter { $0 != " " }
            guard let id = Int(trimmed), id > 0 else {
                return message("Invalid test id '\(trimmed)'.", status: 400)
            }
            if !testIDs.contains(id) { testIDs.append(id) }
        }
        guard testIDs.count <= maxTestsPerRequest else {
            return message("A maximum of \(maxTestsPerRequest) tests may be requested at once.", status: 400)
        }

        let start: Int64
        let end: Int64
        switch (request.query("startTime"), request.query("endTime")) {
        case (nil, nil):
            if testIDs == [CatchpointSandboxOptions.recordedTestID] {
                return .json(bytes: Array(CatchpointRecording.rawText.utf8))
            }
            end = now
            start = now - defaultRangeMilliseconds
        case (let startText?, let endText?):
            guard let parsedStart = parseTime(startText), let parsedEnd = parseTime(endText) else {
                return message("startTime and endTime must be YYYY-MM-DDTHH:MM:SS (UTC).", status: 400)
            }
            guard parsedStart <= parsedEnd else { return message("startTime must not be after endTime.", status: 400) }
            if testIDs == [CatchpointSandboxOptions.recordedTestID] {
                return .json(bytes: Array(CatchpointRecording.rawText.utf8))
            }
            guard parsedEnd - parsedStart <= maxRangeMilliseconds else {
                return message("The time range must not exceed 7 days.", status: 400)
            }
            start = parsedStart
            // Catchpoint has no runs after its own "now".
            end = min(parsedEnd, now)
        default:
            return message("startTime and endTime must be given together.", status: 400)
        }

        // The recorded test always answers its recording's items (a fixed capture, not a clock).
        var items: [JSON] = []
        if testIDs.contains(CatchpointSandboxOptions.recordedTestID) {
            items += CatchpointRecording.raw["detail"]?["items"]?.arrayValue ?? []
        }
        let generated = testIDs.filter { $0 != CatchpointSandboxOptions.recordedTestID }
        items += dataset.items(testIDs: generated, from: start, to: end)

        var members: [(String, JSON)] = [
            ("start", .string(CatchpointDataset.runTimeText(start / 1000))),
            ("end", .string(CatchpointDataset.runTimeText(max(start, end) / 1000))),
        ]
        // "No data" is an answer without `detail` (a null would crash the replaced Python job).
        if !items.isEmpty {
            members.append(("detail", .object([("fields", CatchpointDataset.fields), ("items", .array(items))])))
        }
        return .json(.object(members))
    }

    /// `YYYY-MM-DDTHH:MM:SS` (UTC, as krux's client sends it), with an optional `.fff` and `Z`.
    static func parseTime(_ text: String) -> Int64? {
        Timestamp.parseISO8601(text.hasSuffix("Z") ? text : text + "Z")
    }
}
