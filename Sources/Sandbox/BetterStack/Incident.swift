/// One incident of a monitor or a heartbeat, resolved or still open.
struct Incident: Sendable {
    /// First incident id; ids grow with `started_at`, as upstream's do.
    static let firstID = 400_001

    /// The two metadata dialects: v2 has plain strings, v3 arrays of typed values.
    enum Dialect: Sendable { case v2, v3 }

    var id = 0
    let monitorID: Int?
    let heartbeatID: Int?
    let name: String
    let url: String?
    let cause: String
    let startedAt: Int64
    let acknowledgedAt: Int64?
    let acknowledgedBy: String?
    let resolvedAt: Int64?
    let resolvedBy: String?
    /// `Started`, `Acknowledged`, `Validating` or `Resolved` (capitalised, unlike monitor status).
    let status: String
    let responseContent: String?
    let regions: [String]?
    let call: Bool
    let sms: Bool
    let email: Bool
    let push: Bool
    /// Key and value pairs; the value's type is `String` in v3's typed form.
    let metadata: [(String, String)]

    var isResolved: Bool { resolvedAt != nil }
    var isAcknowledged: Bool { acknowledgedAt != nil }

    /// Milliseconds of this incident inside `start..<end`; an open incident lasts until `now`.
    func downtime(from start: Int64, to end: Int64, now: Int64) -> Int64 {
        max(0, min(resolvedAt ?? now, end) - max(startedAt, start))
    }

    func resource(teamName: String, dialect: Dialect) -> JSON {
        let metadataJSON: JSON =
            switch dialect {
            case .v2: .object(metadata.map { ($0.0, .string($0.1)) })
            case .v3:
                .object(
                    metadata.map { key, value in
                        (key, .array([.object([("type", .string("String")), ("value", .string(value))])]))
                    }
                )
            }
        let attributes: [(String, JSON)] = [
            ("name", .string(name)),
            ("url", .optional(url)),
            ("http_method", monitorID != nil ? .string("get") : .null),
            ("cause", .string(cause)),
            ("incident_group_id", .null),
            ("started_at", .string(Timestamp.iso8601(startedAt))),
            ("acknowledged_at", .optional(acknowledgedAt.map(Timestamp.iso8601))),
            ("acknowledged_by", .optional(acknowledgedBy)),
            ("resolved_at", .optional(resolvedAt.map(Timestamp.iso8601))),
            ("resolved_by", .optional(resolvedBy)),
            ("status", .string(status)),
            ("team_name", .string(teamName)),
            ("response_content", .optional(responseContent)),
            ("response_options", monitorID != nil ? .string("{}") : .null),
            ("regions", regions.map { .array($0.map(JSON.string)) } ?? .null),
            ("response_url", .null),
            ("screenshot_url", .null),
            ("origin_url", .null),
            ("escalation_policy_id", .null),
            ("call", .bool(call)),
            ("sms", .bool(sms)),
            ("email", .bool(email)),
            ("push", .bool(push)),
            ("metadata", metadataJSON),
        ]
        var members: [(String, JSON)] = [
            ("id", .string(String(id))), ("type", .string("incident")), ("attributes", .object(attributes)),
        ]
        // Upstream documents only the monitor relationship; heartbeat incidents go without,
        // like the second incident of the docs example.
        if let monitorID {
            members.append(
                (
                    "relationships",
                    .object([
                        (
                            "monitor",
                            .object([
                                ("data", .object([("id", .string(String(monitorID))), ("type", .string("monitor"))]))
                            ])
                        )
                    ])
                )
            )
        }
        return .object(members)
    }
}

extension Incident {
    private static let responders = ["Jane Cooper", "Sam Lee", "Priya Raman", "Tomás García"]

    /// A monitor's history over the last 90 days: a few resolved incidents, plus an open one when
    /// the monitor is down (`Started` or `Acknowledged`) or validating (`Validating`).
    static func history(of monitor: Monitor, seed: UInt64, now: Int64) -> [Incident] {
        var random = SplitMix64(seed: seed, stream: "monitor-incidents", index: monitor.index)
        let day = Timestamp.dayMilliseconds
        let windowStart = max(monitor.createdAt, now - 90 * day)
        let windowEnd = (monitor.pausedAt ?? now) - 3_600_000
        var incidents: [Incident] = []
        if windowEnd - windowStart > day {
            let count = random.weighted([(0, 0.35), (1, 0.3), (2, 0.2), (3, 0.1), (4, 0.05)])
            var starts = (0..<count).map { _ in Int64(random.int(in: Int(windowStart)...Int(windowEnd))) }
            starts.sort()
            var previousEnd = Int64.min
            for start in starts where start > previousEnd + 600_000 {
                // One minute to two hours, skewed hard towards short outages.
                let skew = random.unit()
                let duration = 60_000 + Int64(skew * skew * skew * 7_140_000)
                let incident = monitorIncident(
                    monitor,
                    random: &random,
                    startedAt: start,
                    resolvedAt: min(start + duration, windowEnd),
                    status: "Resolved"
                )
                previousEnd = incident.resolvedAt ?? start
                incidents.append(incident)
            }
        }
        switch monitor.status {
        case "down":
            let start = now - Int64(random.int(in: 300_000...10_800_000))
            let status = random.chance(0.5) ? "Acknowledged" : "Started"
            incidents.append(
                monitorIncident(monitor, random: &random, startedAt: start, resolvedAt: nil, status: status)
            )
        case "validating":
            let start = now - Int64(random.int(in: 600_000...3_600_000))
            incidents.append(
                monitorIncident(monitor, random: &random, startedAt: start, resolvedAt: nil, status: "Validating")
            )
        default:
            break
        }
        return incidents
    }

    /// A heartbeat's history: like a monitor's, with causes fit for a missed ping.
    static func history(of heartbeat: Heartbeat, seed: UInt64, now: Int64) -> [Incident] {
        var random = SplitMix64(seed: seed, stream: "heartbeat-incidents", index: heartbeat.index)
        let day = Timestamp.dayMilliseconds
        let windowStart = max(heartbeat.createdAt, now - 90 * day)
        let windowEnd = (heartbeat.pausedAt ?? now) - 2 * Int64(heartbeat.period) * 1000
        var incidents: [Incident] = []
        if heartbeat.status != "pending", windowEnd - windowStart > day {
            let count = random.weighted([(0, 0.5), (1, 0.3), (2, 0.2)])
            var starts = (0..<count).map { _ in Int64(random.int(in: Int(windowStart)...Int(windowEnd))) }
            starts.sort()
            var previousEnd = Int64.min
            for start in starts where start > previousEnd {
                // A missed run stays down until the next successful ping, one period later.
                let end = min(start + Int64(heartbeat.period) * 1000 + Int64(random.int(in: 0...60_000)), windowEnd)
                let incident = heartbeatIncident(heartbeat, random: &random, startedAt: start, resolvedAt: end)
                previousEnd = end
                incidents.append(incident)
            }
        }
        if heartbeat.status == "down" {
            let start = now - Int64(random.int(in: 600_000...7_200_000))
            incidents.append(heartbeatIncident(heartbeat, random: &random, startedAt: start, resolvedAt: nil))
        }
        return incidents
    }

    private static func monitorIncident(
        _ monitor: Monitor,
        random: inout SplitMix64,
        startedAt: Int64,
        resolvedAt: Int64?,
        status: String
    ) -> Incident {
        let isHTTP = monitor.url?.contains("://") ?? false
        let code: Int? =
            isHTTP && random.chance(0.7) ? random.weighted([(503, 0.35), (500, 0.25), (502, 0.25), (404, 0.15)]) : nil
        let cause =
            code.map { "Status \($0)" }
            ?? random.weighted([("Timeout (no headers received)", 0.5), ("Connection refused", 0.5)])
        let duration = String(sixDecimals: random.double(in: 0.02...1.5))
        let acknowledged = status == "Acknowledged" || (status == "Resolved" && random.chance(0.5))
        let responder = responders[random.int(in: 0...(responders.count - 1))]
        var acknowledgedAt: Int64?
        if acknowledged {
            // Within ten minutes, before the resolution; open incidents are at least five minutes old.
            let latest = resolvedAt.map { min($0, startedAt + 600_000) } ?? startedAt + 240_000
            acknowledgedAt = Int64(random.int(in: Int(startedAt)...Int(latest)))
        }
        var regions = monitor.regions
        if regions.count > 2, random.chance(0.3) { regions.removeLast() }
        return Incident(
            monitorID: monitor.id,
            heartbeatID: nil,
            name: monitor.name,
            url: monitor.url,
            cause: cause,
            startedAt: startedAt,
            acknowledgedAt: acknowledgedAt,
            acknowledgedBy: acknowledged ? responder : nil,
            resolvedAt: resolvedAt,
            resolvedBy: resolvedAt != nil && acknowledged ? responder : nil,
            status: status,
            responseContent: code.map { "\n\($0) \(reason($0))\n" },
            regions: regions,
            call: monitor.call,
            sms: monitor.sms,
            email: monitor.email,
            push: monitor.push,
            metadata: code.map { [("Request duration", duration), ("Response code", String($0))] } ?? []
        )
    }

    private static func heartbeatIncident(
        _ heartbeat: Heartbeat,
        random: inout SplitMix64,
        startedAt: Int64,
        resolvedAt: Int64?
    ) -> Incident {
        let acknowledged = random.chance(0.4)
        let responder = responders[random.int(in: 0...(responders.count - 1))]
        return Incident(
            monitorID: nil,
            heartbeatID: heartbeat.id,
            name: heartbeat.name,
            url: nil,
            cause: "No heartbeat received",
            startedAt: startedAt,
            acknowledgedAt: acknowledged
                ? min(startedAt + Int64(random.int(in: 30_000...600_000)), resolvedAt ?? .max) : nil,
            acknowledgedBy: acknowledged ? responder : nil,
            resolvedAt: resolvedAt,
            resolvedBy: resolvedAt != nil && acknowledged ? responder : nil,
            status: resolvedAt != nil ? "Resolved" : (acknowledged ? "Acknowledged" : "Started"),
            responseContent: nil,
            regions: nil,
            call: heartbeat.call,
            sms: heartbeat.sms,
            email: heartbeat.email,
            push: heartbeat.push,
            metadata: []
        )
    }

    private static func reason(_ code: Int) -> String {
        switch code {
        case 404: return "Not Found"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        default: return "Service Unavailable"
        }
    }
}

extension String {
    /// A non-negative number with six decimals, as upstream prints request durations ("0.036304").
    fileprivate init(sixDecimals value: Double) {
        let micros = Int((value * 1_000_000).rounded())
        let fraction = String(micros % 1_000_000)
        self = "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }
}
