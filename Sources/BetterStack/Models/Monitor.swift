/// An uptime monitor (`type: "monitor"`), from `GET /api/v2/monitors[/{id}]`.
///
/// Only the fields the bridge uses are kept; credentials such as `auth_password` are deliberately
/// not decoded. Timestamps are milliseconds since the Unix epoch.
public struct Monitor: Sendable, Hashable, Codable, Identifiable {
    /// The monitor id (a string upstream; numeric ids are accepted too).
    public var id: String
    /// The checked URL or host; `nil` for some types (e.g. Playwright).
    public var url: String?
    /// The display name.
    public var pronounceableName: String?
    /// `status`, `keyword`, `ping`, `tcp`, `playwright`, …
    public var monitorType: String?
    /// The monitor group, if any (a string or an integer upstream).
    public var monitorGroupID: String?
    /// Current state.
    public var status: MonitorStatus = .unknown("")
    /// Seconds between checks.
    public var checkFrequency: Int?
    /// Regions checked from: `us`, `eu`, `as`, `au`.
    public var regions: [String] = []
    /// The owning team (global tokens only).
    public var teamName: String?
    /// `get`, `post`, … (lower case upstream).
    public var httpMethod: String?
    /// `request_timeout` exactly as upstream sends it: **milliseconds** for server and port monitors
    /// (types `ping`, `tcp`, `udp`, `smtp`, `pop`, `imap`, `dns`), **seconds** for every other type
    /// (HTTP types; for `playwright` the scenario timeout). Read it through
    /// ``requestTimeoutDuration`` or ``requestTimeoutSeconds``, which apply the unit.
    public var requestTimeout: Int?
    /// The port for TCP/UDP/SMTP-type monitors (a string upstream).
    public var port: String?
    /// Last check.
    public var lastCheckedAt: Int64?
    /// When it was paused, if it is.
    public var pausedAt: Int64?
    /// Creation time.
    public var createdAt: Int64?
    /// Last change.
    public var updatedAt: Int64?

    /// The unit of a monitor type's `request_timeout`.
    public enum RequestTimeoutUnit: String, Sendable, Hashable {
        case milliseconds
        case seconds

        /// The unit for `monitorType`, following the vendor's Terraform provider
        /// (`resource_monitor.go`): milliseconds for `ping`, `tcp`, `udp`, `smtp`, `pop`, `imap`
        /// and `dns` ("Server and Port monitors", valid 500…5000), seconds for the others
        /// (`status`, `keyword`, `expected_status_code`, `playwright`, …; valid 2…60, Playwright
        /// up to 900). `nil` for a missing type: the unit cannot be told then.
        public init?(monitorType: String?) {
            guard let type = monitorType?.lowercased(), !type.isEmpty else { return nil }
            self = Self.millisecondTypes.contains(type) ? .milliseconds : .seconds
        }

        /// The types whose timeout is in milliseconds.
        public static let millisecondTypes: Set<String> = ["ping", "tcp", "udp", "smtp", "pop", "imap", "dns"]
    }

    /// The unit of ``requestTimeout`` for this monitor's type; `nil` without a type.
    public var requestTimeoutUnit: RequestTimeoutUnit? {
        RequestTimeoutUnit(monitorType: monitorType)
    }

    /// ``requestTimeout`` read with its unit; `nil` when either it or the type is missing, or it
    /// is negative.
    public var requestTimeoutDuration: Duration? {
        guard let raw = requestTimeout, raw >= 0, let unit = requestTimeoutUnit else { return nil }
        switch unit {
        case .milliseconds: return .milliseconds(raw)
        case .seconds: return .seconds(raw)
        }
    }

    /// ``requestTimeoutDuration`` in seconds (`0.5` for a `tcp` monitor's `500`, `15` for a
    /// `keyword` monitor's `15`).
    public var requestTimeoutSeconds: Double? {
        guard let raw = requestTimeout, raw >= 0, let unit = requestTimeoutUnit else { return nil }
        switch unit {
        case .milliseconds: return Double(raw) / 1000
        case .seconds: return Double(raw)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: id, type: "monitor")
        try writer.set("url", url)
        try writer.set("pronounceable_name", pronounceableName)
        try writer.set("monitor_type", monitorType)
        try writer.set("monitor_group_id", monitorGroupID)
        try writer.set("status", status)
        try writer.set("check_frequency", checkFrequency)
        try writer.set("regions", regions)
        try writer.set("team_name", teamName)
        try writer.set("http_method", httpMethod)
        try writer.set("request_timeout", requestTimeout)
        try writer.set("port", port)
        try writer.setTimestamp("last_checked_at", lastCheckedAt)
        try writer.setTimestamp("paused_at", pausedAt)
        try writer.setTimestamp("created_at", createdAt)
        try writer.setTimestamp("updated_at", updatedAt)
    }
}

extension Monitor {
    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        self.init(
            id: resource.id,
            url: attributes?.string("url"),
            pronounceableName: attributes?.string("pronounceable_name"),
            monitorType: attributes?.string("monitor_type"),
            monitorGroupID: attributes?.string("monitor_group_id"),
            status: attributes?.string("status").map(MonitorStatus.init(rawValue:)) ?? .unknown(""),
            checkFrequency: attributes?.int("check_frequency"),
            regions: attributes?.strings("regions") ?? [],
            teamName: attributes?.string("team_name"),
            httpMethod: attributes?.string("http_method"),
            requestTimeout: attributes?.int("request_timeout"),
            port: attributes?.string("port"),
            lastCheckedAt: attributes?.timestamp("last_checked_at"),
            pausedAt: attributes?.timestamp("paused_at"),
            createdAt: attributes?.timestamp("created_at"),
            updatedAt: attributes?.timestamp("updated_at")
        )
    }
}
