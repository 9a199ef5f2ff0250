/// One synthetic heartbeat (a cron job's dead man's switch).
///
/// Id, name, status and ping token depend only on the position, never on the seed.
struct Heartbeat: Sendable {
    /// First heartbeat id; heartbeat `index` has id `firstID + index - 1`.
    static let firstID = 300_001

    let index: Int
    let id: Int
    /// The secret in the ping URL.
    let token: String
    let name: String
    let period: Int
    let grace: Int
    let status: String
    let createdAt: Int64
    let updatedAt: Int64
    let pausedAt: Int64?
    let call: Bool
    let sms: Bool
    let email: Bool
    let push: Bool

    private static let jobs: [(String, Int)] = [
        ("Nightly backup", 86_400), ("Hourly sync", 3_600), ("Cache warm-up", 900),
        ("Daily report", 86_400), ("Queue drain", 300), ("Certificate renewal", 604_800),
    ]

    /// Status by position: 1 up, 2 down, 3 paused, 4 pending; after that 10 % down, 5 % paused.
    static func status(forIndex index: Int) -> String {
        switch index {
        case 1: return "up"
        case 2: return "down"
        case 3: return "paused"
        case 4: return "pending"
        default:
            if index % 10 == 2 { return "down" }
            if index % 20 == 3 { return "paused" }
            return "up"
        }
    }

    /// The 24-character ping token of heartbeat `index`: seed-independent, so tests can ping
    /// a known heartbeat without listing first.
    static func token(forIndex index: Int) -> String {
        var random = SplitMix64(seed: 0x5A4D_B0C5, stream: "heartbeat-token", index: index)
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<24).map { _ in alphabet[random.int(in: 0...(alphabet.count - 1))] })
    }

    init(index: Int, seed: UInt64, now: Int64) {
        var random = SplitMix64(seed: seed, stream: "heartbeat", index: index)
        let (job, period) = Self.jobs[(index - 1) % Self.jobs.count]
        self.index = index
        self.id = Self.firstID + index - 1
        self.token = Self.token(forIndex: index)
        self.name = index <= Self.jobs.count ? job : "\(job) \(index)"
        self.period = period
        // Better Stack suggests a grace of about 20 % of the period.
        self.grace = max(60, period / 5)
        self.status = Self.status(forIndex: index)
        let day = Timestamp.dayMilliseconds
        if status == "pending" {
            createdAt = now - Int64(random.int(in: 60_000...900_000))
        } else {
            createdAt = now - Int64(random.int(in: 100...700)) * day - Int64(random.int(in: 0...86_399_999))
        }
        updatedAt = createdAt + Int64(random.double(in: 0...1) * Double(now - createdAt))
        pausedAt = status == "paused" ? now - Int64(random.int(in: 1...15)) * day : nil
        call = false
        sms = false
        email = true
        push = random.chance(0.7)
    }

    /// The JSON:API resource; `baseURL` makes the ping URL point at this sandbox.
    func resource(baseURL: String, teamName: String) -> JSON {
        .object([
            ("id", .string(String(id))),
            ("type", .string("heartbeat")),
            (
                "attributes",
                .object([
                    ("url", .string("\(baseURL)/api/v1/heartbeat/\(token)")),
                    ("name", .string(name)),
                    ("period", .int(period)),
                    ("grace", .int(grace)),
                    ("call", .bool(call)),
                    ("sms", .bool(sms)),
                    ("email", .bool(email)),
                    ("push", .bool(push)),
                    ("team_wait", .int(180)),
                    ("heartbeat_group_id", .null),
                    ("team_name", .string(teamName)),
                    ("sort_index", .null),
                    ("paused_at", .optional(pausedAt.map(Timestamp.iso8601))),
                    ("maintenance_from", .string("02:00:00")),
                    ("maintenance_to", .string("02:30:00")),
                    ("maintenance_timezone", .string("UTC")),
                    ("maintenance_days", .array(["sat", "sun"].map(JSON.string))),
                    ("created_at", .string(Timestamp.iso8601(createdAt))),
                    ("updated_at", .string(Timestamp.iso8601(updatedAt))),
                    ("status", .string(status)),
                ])
            ),
        ])
    }
}
