/// Generated status pages `page-1…page-N`, shaped like the fixtures key for key, deterministic
/// in (seed, index, anchor time).
///
/// The kind of page depends on the index only, so tests can rely on it whatever the seed:
///
/// | index % 4 | page |
/// | --- | --- |
/// | 1 | all operational, no incident; every third such page (index % 3 == 1) has an upcoming (`scheduled`) maintenance |
/// | 2 | 1–2 components `degraded_performance`, one active `minor` incident (indicator `minor`) |
/// | 3 | a maintenance `in_progress`, its components `under_maintenance`, no incident (indicator `maintenance`) |
/// | 0 | a `partial_outage` and a `major_outage` component, a `major` and a `critical` incident (indicator `critical`) |
///
/// Every page has a "Regions" group with children, 1–5 resolved incidents in its last 30 days
/// (in `incidents.json` only) and one completed maintenance. Every fifth page (index % 5 == 0)
/// has a component named `Reports "beta"`, and every other outage page (index % 8 == 4) a
/// critical incident whose name is over 100 characters, to exercise label escaping and
/// truncation. The seed picks ids, shortlinks, component subsets and times.
enum StatuspageGenerator {
    private static let services = [
        "Acme Cloud", "Northwind Payments", "Globex Mail", "Initech CDN", "Umbrella Auth", "Hooli Search",
        "Stark Storage", "Wayne Analytics",
    ]
    private static let componentPool = [
        "API", "Dashboard", "Webhooks", "Authentication", "Billing", "Search", "Email delivery", "CDN",
        "Database", "Notifications",
    ]
    private static let regionPool = ["US East", "US West", "EU West", "EU Central", "Asia Pacific"]
    private static let minute: Int64 = 60_000

    static func site(index: Int, seed: UInt64, now: Int64) -> StatuspageSite {
        var rng = SplitMix64(seed: seed, stream: "statuspage", index: index)
        let pageID = identifier(&rng)
        let kind = index % 4
        let exercisesEscaping = index % 5 == 0
        let updatedAt = now - Int64(rng.int(in: 1...90)) * minute

        // Components: a few top-level ones, then the "Regions" group and its children.
        var names = componentPool.filter { _ in rng.chance(0.55) }
        if names.count < 2 { names = Array(componentPool.prefix(3)) }
        if exercisesEscaping { names.append("Reports \"beta\"") }
        var regions = regionPool.filter { _ in rng.chance(0.6) }
        if regions.count < 2 { regions = Array(regionPool.prefix(2)) }

        struct Part {
            var id: String
            var name: String
            var status = "operational"
            var groupID: String?
            var children: [String]?
            var position: Int
        }
        var parts = names.enumerated().map { Part(id: identifier(&rng), name: $1, position: $0 + 1) }
        let groupID = identifier(&rng)
        parts.append(Part(id: groupID, name: "Regions", children: [], position: names.count + 1))
        for (offset, region) in regions.enumerated() {
            parts.append(Part(id: identifier(&rng), name: region, groupID: groupID, position: offset + 1))
        }
        let groupIndex = names.count
        let childIndices = Array((groupIndex + 1)..<parts.count)
        parts[groupIndex].children = childIndices.map { parts[$0].id }

        // Which components this page's trouble touches.
        var troubled: [Int] = []
        switch kind {
        case 2:
            troubled = [rng.int(in: 0...(names.count - 1))]
            if rng.chance(0.5) { troubled.append(childIndices[rng.int(in: 0...(childIndices.count - 1))]) }
            for index in troubled { parts[index].status = "degraded_performance" }
        case 3:
            troubled = [childIndices[rng.int(in: 0...(childIndices.count - 1))]]
            for index in troubled { parts[index].status = "under_maintenance" }
        case 0:
            troubled = [0, childIndices[0]]
            parts[0].status = "major_outage"
            parts[childIndices[0]].status = "partial_outage"
        default:
            break
        }
        // A group shows the worst state of its children, as Statuspage does.
        let childStates = childIndices.map { parts[$0].status }
        for state in ["major_outage", "partial_outage", "degraded_performance", "under_maintenance"]
        where childStates.contains(state) {
            parts[groupIndex].status = state
            break
        }

        let created = now - 900 * Timestamp.dayMilliseconds + Int64(rng.int(in: 0...500)) * Timestamp.dayMilliseconds
        let components: [JSON] = parts.map { part in
            let changed = troubled.contains(where: { parts[$0].id == part.id })
            return component(
                part.id,
                name: part.name,
                status: part.status,
                createdAt: created,
                updatedAt: changed ? updatedAt : created + Int64(part.position) * minute,
                position: part.position,
                groupID: part.groupID,
                pageID: pageID,
                children: part.children
            )
        }
        func componentsJSON(_ indices: [Int]) -> [JSON] { indices.map { components[$0] } }

        // Active incidents.
        var incidents: [JSON] = []
        switch kind {
        case 2:
            incidents.append(
                incident(
                    &rng,
                    name: "Elevated latency on \(parts[troubled[0]].name)",
                    status: rng.weighted([("investigating", 1.0), ("identified", 1.0), ("monitoring", 1.0)]),
                    impact: "minor",
                    startedAt: now - Int64(rng.int(in: 10...240)) * minute,
                    resolvedAt: nil,
                    pageID: pageID,
                    affected: troubled.map { parts[$0] }.map { ($0.id, $0.name, $0.status) },
                    components: componentsJSON(troubled)
                )
            )
        case 0:
            let longName =
                index % 8 == 4
                ? "Major outage of \(parts[0].name): requests fail in every region while we roll back the "
                    + "configuration change that reached production at the start of the incident"
                : "\(parts[0].name) unavailable"
            incidents.append(
                incident(
                    &rng,
                    name: longName,
                    status: "identified",
                    impact: "critical",
                    startedAt: now - Int64(rng.int(in: 5...120)) * minute,
                    resolvedAt: nil,
                    pageID: pageID,
                    affected: [(parts[0].id, parts[0].name, "major_outage")],
                    components: componentsJSON([0])
                )
            )
            incidents.append(
                incident(
                    &rng,
                    name: "Partial outage in \(parts[childIndices[0]].name)",
                    status: "investigating",
                    impact: "major",
                    startedAt: now - Int64(rng.int(in: 121...300)) * minute,
                    resolvedAt: nil,
                    pageID: pageID,
                    affected: [(parts[childIndices[0]].id, parts[childIndices[0]].name, "partial_outage")],
                    components: componentsJSON([childIndices[0]])
                )
            )
        default:
            break
        }
        // Resolved history, newest first after the active ones.
        var resolvedStart = now - Int64(rng.int(in: 1...3)) * Timestamp.dayMilliseconds
        for _ in 0..<rng.int(in: 1...5) {
            let affectedIndex = rng.int(in: 0...(parts.count - 1))
            let started = resolvedStart - Int64(rng.int(in: 0...1440)) * minute
            incidents.append(
                incident(
                    &rng,
                    name: "Degraded performance of \(parts[affectedIndex].name)",
                    status: "resolved",
                    impact: rng.weighted([("minor", 3.0), ("major", 1.0), ("none", 1.0)]),
                    startedAt: started,
                    resolvedAt: started + Int64(rng.int(in: 15...180)) * minute,
                    pageID: pageID,
                    affected: [(parts[affectedIndex].id, parts[affectedIndex].name, "degraded_performance")],
                    components: componentsJSON([affectedIndex])
                )
            )
            resolvedStart = started - Int64(rng.int(in: 1...6)) * Timestamp.dayMilliseconds
        }

        // Maintenances: the in-progress or upcoming one, then a completed one.
        var maintenances: [JSON] = []
        if kind == 3 {
            let start = now - Int64(rng.int(in: 5...60)) * minute
            maintenances.append(
                maintenance(
                    &rng,
                    name: "\(parts[troubled[0]].name) infrastructure upgrade",
                    status: "in_progress",
                    from: start,
                    until: start + 120 * minute,
                    createdAt: start - 3 * Timestamp.dayMilliseconds,
                    pageID: pageID,
                    components: componentsJSON(troubled)
                )
            )
        } else if kind == 1, index % 3 == 1 {
            let start = now + Int64(rng.int(in: 1...7)) * Timestamp.dayMilliseconds
            maintenances.append(
                maintenance(
                    &rng,
                    name: "Scheduled database maintenance",
                    status: "scheduled",
                    from: start,
                    until: start + 60 * minute,
                    createdAt: now - Timestamp.dayMilliseconds,
                    pageID: pageID,
                    components: componentsJSON([rng.int(in: 0...(names.count - 1))])
                )
            )
        }
        let pastStart = now - Int64(rng.int(in: 10...60)) * Timestamp.dayMilliseconds
        maintenances.append(
            maintenance(
                &rng,
                name: "Network maintenance",
                status: "completed",
                from: pastStart,
                until: pastStart + 90 * minute,
                createdAt: pastStart - 7 * Timestamp.dayMilliseconds,
                pageID: pageID,
                components: componentsJSON([groupIndex])
            )
        )

        let indicator: String
        let description: String
        switch kind {
        case 2: (indicator, description) = ("minor", "Minor Service Outage")
        case 3: (indicator, description) = ("maintenance", "Service Under Maintenance")
        case 0: (indicator, description) = ("critical", "Major Service Outage")
        default: (indicator, description) = ("none", "All Systems Operational")
        }

        return StatuspageSite(
            slug: "page-\(index)",
            page: .object([
                ("id", .string(pageID)),
                ("name", .string("\(services[(index - 1) % services.count]) \(index)")),
                ("url", .string("https://status-\(index).example.com")),
                ("time_zone", .string("Etc/UTC")),
                ("updated_at", .string(Timestamp.iso8601(updatedAt))),
            ]),
            components: components,
            incidents: incidents,
            maintenances: maintenances,
            status: .object([("indicator", .string(indicator)), ("description", .string(description))])
        )
    }

    // MARK: Objects, keys in the order of the fixtures

    private static func component(
        _ id: String,
        name: String,
        status: String,
        createdAt: Int64,
        updatedAt: Int64,
        position: Int,
        groupID: String?,
        pageID: String,
        children: [String]?
    ) -> JSON {
        var members: [(String, JSON)] = [
            ("id", .string(id)),
            ("name", .string(name)),
            ("status", .string(status)),
            ("created_at", .string(Timestamp.iso8601(createdAt))),
            ("updated_at", .string(Timestamp.iso8601(updatedAt))),
            ("position", .int(position)),
            ("description", .null),
            ("showcase", .bool(groupID == nil && children == nil)),
            ("start_date", .null),
            ("group_id", .optional(groupID)),
            ("page_id", .string(pageID)),
            ("group", .bool(children != nil)),
            ("only_show_if_degraded", .bool(false)),
        ]
        if let children { members.append(("components", .array(children.map(JSON.string)))) }
        return .object(members)
    }

    /// An incident with its updates, newest first: investigating at the start, then the later
    /// stages its status implies.
    private static func incident(
        _ rng: inout SplitMix64,
        name: String,
        status: String,
        impact: String,
        startedAt: Int64,
        resolvedAt: Int64?,
        pageID: String,
        affected: [(id: String, name: String, status: String)],
        components: [JSON]
    ) -> JSON {
        let id = identifier(&rng)
        let stages: [String]
        switch status {
        case "identified": stages = ["investigating", "identified"]
        case "monitoring": stages = ["investigating", "identified", "monitoring"]
        case "resolved": stages = ["investigating", "monitoring", "resolved"]
        default: stages = ["investigating"]
        }
        let end = resolvedAt ?? (startedAt + Int64(stages.count) * 7 * minute)
        let step = max(1, (end - startedAt) / Int64(max(1, stages.count - 1)))
        var updates: [JSON] = []
        var monitoringAt: Int64?
        for (offset, stage) in stages.enumerated() {
            let at = offset == stages.count - 1 && resolvedAt != nil ? end : startedAt + Int64(offset) * step + 100
            if stage == "monitoring" { monitoringAt = at }
            let body: String
            switch stage {
            case "investigating": body = "We are investigating reports of \(name.lowercased())."
            case "identified": body = "The issue has been identified and a fix is being implemented."
            case "monitoring": body = "A fix has been implemented and we are monitoring the results."
            default: body = "This incident has been resolved."
            }
            let newStatus = stage == "resolved" ? "operational" : (affected.first?.status ?? "operational")
            updates.insert(
                .object([
                    ("id", .string(identifier(&rng))),
                    ("status", .string(stage)),
                    ("body", .string(body)),
                    ("incident_id", .string(id)),
                    ("created_at", .string(Timestamp.iso8601(at))),
                    ("updated_at", .string(Timestamp.iso8601(at))),
                    ("display_at", .string(Timestamp.iso8601(at))),
                    (
                        "affected_components",
                        offset == 0 || stage == "resolved"
                            ? .array(
                                affected.map { part in
                                    .object([
                                        ("code", .string(part.id)),
                                        ("name", .string(part.name)),
                                        ("old_status", .string(offset == 0 ? "operational" : part.status)),
                                        ("new_status", .string(offset == 0 ? part.status : newStatus)),
                                    ])
                                }
                            )
                            : .null
                    ),
                    ("deliver_notifications", .bool(true)),
                    ("custom_tweet", .null),
                    ("tweet_id", .null),
                ]),
                at: 0
            )
        }
        let updatedAt = resolvedAt ?? (startedAt + Int64(stages.count - 1) * step + 100)
        return .object([
            ("id", .string(id)),
            ("name", .string(name)),
            ("status", .string(status)),
            ("created_at", .string(Timestamp.iso8601(startedAt + 7))),
            ("updated_at", .string(Timestamp.iso8601(updatedAt))),
            ("monitoring_at", .optional(monitoringAt.map(Timestamp.iso8601))),
            ("resolved_at", .optional(resolvedAt.map(Timestamp.iso8601))),
            ("impact", .string(impact)),
            ("shortlink", .string("https://stspg.io/\(identifier(&rng))")),
            ("started_at", .string(Timestamp.iso8601(startedAt))),
            ("page_id", .string(pageID)),
            ("incident_updates", .array(updates)),
            ("components", .array(components)),
        ])
    }

    private static func maintenance(
        _ rng: inout SplitMix64,
        name: String,
        status: String,
        from: Int64,
        until: Int64,
        createdAt: Int64,
        pageID: String,
        components: [JSON]
    ) -> JSON {
        let id = identifier(&rng)
        let stages: [(String, Int64, String)]
        switch status {
        case "in_progress":
            stages = [
                ("scheduled", createdAt, "We will be performing \(name.lowercased())."),
                ("in_progress", from, "Scheduled maintenance is currently in progress."),
            ]
        case "completed":
            stages = [
                ("scheduled", createdAt, "We will be performing \(name.lowercased())."),
                ("in_progress", from, "Scheduled maintenance is currently in progress."),
                ("completed", until, "The scheduled maintenance has been completed."),
            ]
        default:
            stages = [("scheduled", createdAt, "We will be performing \(name.lowercased()).")]
        }
        let updates: [JSON] = stages.reversed().map { stage, at, body in
            .object([
                ("id", .string(identifier(&rng))),
                ("status", .string(stage)),
                ("body", .string(body)),
                ("incident_id", .string(id)),
                ("created_at", .string(Timestamp.iso8601(at + 90))),
                ("updated_at", .string(Timestamp.iso8601(at + 90))),
                ("display_at", .string(Timestamp.iso8601(at + 90))),
                ("affected_components", .null),
                ("deliver_notifications", .bool(true)),
                ("custom_tweet", .null),
                ("tweet_id", .null),
            ])
        }
        let completed = status == "completed"
        return .object([
            ("id", .string(id)),
            ("name", .string(name)),
            ("status", .string(status)),
            ("created_at", .string(Timestamp.iso8601(createdAt))),
            ("updated_at", .string(Timestamp.iso8601((stages.last?.1 ?? createdAt) + 95))),
            ("monitoring_at", .null),
            ("resolved_at", completed ? .string(Timestamp.iso8601(until)) : .null),
            ("impact", .string("maintenance")),
            ("shortlink", .string("https://stspg.io/\(identifier(&rng))")),
            ("started_at", .string(Timestamp.iso8601(from))),
            ("page_id", .string(pageID)),
            ("incident_updates", .array(updates)),
            ("components", .array(components)),
            ("scheduled_for", .string(Timestamp.iso8601(from))),
            ("scheduled_until", .string(Timestamp.iso8601(until))),
        ])
    }

    /// Twelve characters of `[0-9a-z]`, like Statuspage's ids and shortlink codes.
    private static func identifier(_ rng: inout SplitMix64) -> String {
        let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
        return String(decoding: (0..<12).map { _ in alphabet[rng.int(in: 0...35)] }, as: UTF8.self)
    }
}
