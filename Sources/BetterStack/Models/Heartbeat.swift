/// A heartbeat (cron job check, `type: "heartbeat"`), from `GET /api/v2/heartbeats[/{id}]`.
///
/// ``url`` is the secret ping URL: whoever knows it can report the job as healthy. Do not put
/// it in responses or logs; it is excluded from `description` and `dump`.
public struct Heartbeat: Sendable, Hashable, Codable, Identifiable, CustomStringConvertible, CustomReflectable {
    /// The heartbeat id.
    public var id: String
    /// The display name.
    public var name: String?
    /// The secret ping URL (contains the heartbeat token).
    public var url: String?
    /// Expected seconds between pings.
    public var period: Int?
    /// Extra seconds of tolerance after ``period``.
    public var grace: Int?
    /// Current state.
    public var status: HeartbeatStatus = .unknown("")
    /// The heartbeat group, if any.
    public var heartbeatGroupID: String?
    /// The owning team.
    public var teamName: String?
    /// When it was paused, if it is.
    public var pausedAt: Int64?
    /// Creation time.
    public var createdAt: Int64?
    /// Last change.
    public var updatedAt: Int64?

    public var description: String {
        "Heartbeat(id: \(id), name: \(name ?? "-"), status: \(status), url: <redacted>)"
    }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "id": id, "name": name as Any, "period": period as Any, "grace": grace as Any, "status": status,
                "url": "<redacted>",
            ],
            displayStyle: .struct
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var writer = try ResourceWriter(to: encoder, id: id, type: "heartbeat")
        try writer.set("name", name)
        try writer.set("url", url)
        try writer.set("period", period)
        try writer.set("grace", grace)
        try writer.set("status", status)
        try writer.set("heartbeat_group_id", heartbeatGroupID)
        try writer.set("team_name", teamName)
        try writer.setTimestamp("paused_at", pausedAt)
        try writer.setTimestamp("created_at", createdAt)
        try writer.setTimestamp("updated_at", updatedAt)
    }
}

extension Heartbeat {
    public init(from decoder: any Decoder) throws {
        let resource = try ResourceReader(from: decoder)
        let attributes = resource.attributes
        self.init(
            id: resource.id,
            name: attributes?.string("name"),
            url: attributes?.string("url"),
            period: attributes?.int("period"),
            grace: attributes?.int("grace"),
            status: attributes?.string("status").map(HeartbeatStatus.init(rawValue:)) ?? .unknown(""),
            heartbeatGroupID: attributes?.string("heartbeat_group_id"),
            teamName: attributes?.string("team_name"),
            pausedAt: attributes?.timestamp("paused_at"),
            createdAt: attributes?.timestamp("created_at"),
            updatedAt: attributes?.timestamp("updated_at")
        )
    }
}
