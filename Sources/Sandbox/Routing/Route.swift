/// One row of the routing table: which requests it takes, what it is called, who may call it,
/// and the function that answers.
struct Route: Sendable {
    /// Decides whether a request may reach the handler; returns the rejection, or `nil` to let it in.
    typealias Authorizer = @Sendable (SandboxRequest) -> SandboxResponse?
    /// Answers a request that matched and was let in.
    typealias Handler = @Sendable (RouteContext) -> SandboxResponse

    /// Methods accepted, upper case.
    let methods: Set<String>
    /// The path template.
    let pattern: RoutePattern
    /// The stats/fault name; `nil` for admin and health routes, which are neither counted nor faulted.
    let name: RouteName?
    /// Authorization check run after faults and before the handler.
    let authorize: Authorizer?
    /// The handler.
    let handler: Handler

    init(
        _ methods: Set<String>,
        _ template: String,
        name: RouteName? = nil,
        authorize: Authorizer? = nil,
        handler: @escaping Handler
    ) {
        self.methods = methods
        self.pattern = RoutePattern(template)
        self.name = name
        self.authorize = authorize
        self.handler = handler
    }
}

/// What a handler gets: the request, the path captures, the sandbox's shared state, and the
/// absolute base URL that links in the payload (pagination, heartbeat URLs) must start with.
struct RouteContext: Sendable {
    let request: SandboxRequest
    let parameters: [String: String]
    let state: SandboxState
    /// `http://<Host header>` or `http://127.0.0.1:<port>`, no trailing slash.
    let baseURL: String

    /// A path capture by name (the router guarantees the captures its pattern declares).
    func parameter(_ name: String) -> String { parameters[name] ?? "" }
}
