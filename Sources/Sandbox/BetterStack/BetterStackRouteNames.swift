extension RouteName {
    /// `GET /api/v2/monitors`
    public static let monitors: RouteName = "monitors"
    /// `GET /api/v2/monitors/{id}`
    public static let monitor: RouteName = "monitor"
    /// `GET /api/v2/monitors/{id}/response-times`
    public static let responseTimes: RouteName = "response_times"
    /// `GET /api/v2/monitors/{id}/sla`
    public static let sla: RouteName = "sla"
    /// `GET /api/v3/incidents` and `GET /api/v2/incidents`
    public static let incidents: RouteName = "incidents"
    /// `GET|POST /api/v2/heartbeats`
    public static let heartbeats: RouteName = "heartbeats"
    /// `GET /api/v2/heartbeats/{id}`
    public static let heartbeat: RouteName = "heartbeat"
    /// `GET /api/v2/heartbeats/{id}/availability`
    public static let heartbeatAvailability: RouteName = "heartbeat_availability"
    /// `GET /api/v2/status-pages`
    public static let statusPages: RouteName = "status_pages"
    /// `GET /api/v2/status-pages/{id}`
    public static let statusPage: RouteName = "status_page"
    /// `GET /api/v2/status-pages/{id}/resources`
    public static let statusPageResources: RouteName = "status_page_resources"
    /// `GET|POST|HEAD /api/v1/heartbeat/{token}[/fail|/{exit code}]`
    public static let heartbeatPing: RouteName = "heartbeat_ping"
    /// `POST /` and `POST /_logs` (Better Stack Logs ingestion)
    public static let logsIngest: RouteName = "logs_ingest"
    /// `POST /api/{project}/envelope/` (Better Stack Errors, Sentry's envelope endpoint)
    public static let errorsEnvelope: RouteName = "errors_envelope"
}
