/// One synthetic Uptime monitor.
///
/// What tests address a monitor by — id, URL, name, type and status — depends only on its
/// position (1-based `index`), never on the seed, so those facts hold for every seed.
/// Timings, regions, check frequency and history come from the seed.
struct Monitor: Sendable {
    /// Per-region latency profile that the response times are drawn around.
    struct RegionProfile: Sendable {
        let region: String
        /// Seconds behind the anchor at which this region's latest check ran.
        let offsetSeconds: Int
        /// Round-trip time in milliseconds.
        let roundTripMilliseconds: Double
        /// Server think time in milliseconds.
        let serverMilliseconds: Double
    }

    /// First monitor id; monitor `index` has id `firstID + index - 1`.
    static let firstID = 200_001
    /// The four check regions, in the order the API lists them.
    static let allRegions = ["us", "eu", "as", "au"]

    let index: Int
    let id: Int
    let url: String?
    let name: String
    let monitorType: String
    let status: String
    let checkFrequency: Int
    let profiles: [RegionProfile]
    let createdAt: Int64
    let updatedAt: Int64
    let pausedAt: Int64?
    let lastCheckedAt: Int64?
    let requiredKeyword: String?
    let port: String?
    let usesTLS: Bool
    /// As upstream sends it: milliseconds for ``millisecondTimeoutTypes``, seconds otherwise.
    let requestTimeout: Int
    let recoveryPeriod: Int
    let confirmationPeriod: Int
    let call: Bool
    let sms: Bool
    let email: Bool
    let push: Bool
    let monitorGroupID: String?
    let sslExpiration: Int
    let domainExpiration: Int?
    let maintenanceFrom: String?
    let maintenanceTo: String?
    let expectedStatusCodes: [Int]

    var regions: [String] { profiles.map(\.region) }

    /// Status by position: about 76 % up, 10 % down, 5 % paused, 5 % maintenance, 2 % pending,
    /// 2 % validating. Monitor 1 is always up; monitor 3 is the first down one.
    static func status(forIndex index: Int) -> String {
        if index == 1 { return "up" }
        if index % 10 == 3 { return "down" }
        if index % 20 == 4 { return "paused" }
        if index % 20 == 6 { return "maintenance" }
        if index % 50 == 7 { return "pending" }
        if index % 50 == 8 { return "validating" }
        return "up"
    }

    /// Type by position: mostly `status`, with keyword, expected status code, ping, TCP, DNS
    /// and Playwright monitors (the last with a `null` URL, as upstream has them) sprinkled in.
    static func monitorType(forIndex index: Int) -> String {
        if index == 1 { return "status" }
        if index % 29 == 0 { return "playwright" }
        if index % 19 == 0 { return "dns" }
        if index % 17 == 0 { return "tcp" }
        if index % 13 == 0 { return "ping" }
        if index % 11 == 0 { return "expected_status_code" }
        if index % 7 == 0 { return "keyword" }
        return "status"
    }

    /// Monitor types whose `request_timeout` is in milliseconds upstream ("Server and Port
    /// monitors", per the Terraform provider's `resource_monitor.go`); every other type's is in seconds.
    static let millisecondTimeoutTypes: Set<String> = ["ping", "tcp", "udp", "smtp", "pop", "imap", "dns"]

    /// Upstream's valid `request_timeout` options for a type (the provider's schema text), weighted:
    /// milliseconds 500…5000 for server and port monitors, seconds 15…120 for Playwright
    /// scenarios, seconds 15 or 30 for the HTTP types.
    static func requestTimeoutChoices(forType type: String) -> [(Int, Double)] {
        if millisecondTimeoutTypes.contains(type) {
            return [(500, 0.1), (1000, 0.2), (2000, 0.3), (3000, 0.2), (5000, 0.2)]
        }
        if type == "playwright" {
            return [(30, 0.5), (60, 0.3), (120, 0.2)]
        }
        return [(30, 0.7), (15, 0.3)]
    }

    private static let services = [
        "shop", "api", "auth", "cdn", "search", "billing", "mail", "docs", "status", "admin", "blog", "payments",
    ]
    private static let paths = ["/health", "/", "/api/ping", "/status", "/healthz", "/login", "/ready"]

    /// Builds monitor `index` (1-based) for `seed`, anchored at `now`.
    /// `checkFrequency` overrides the drawn frequency (``SandboxConfiguration/checkFrequency``).
    init(index: Int, seed: UInt64, now: Int64, checkFrequency forced: Int? = nil) {
        var random = SplitMix64(seed: seed, stream: "monitor", index: index)
        let type = Self.monitorType(forIndex: index)
        let status = Self.status(forIndex: index)
        let service = Self.services[((index - 3) % Self.services.count + Self.services.count) % Self.services.count]
        let path = Self.paths[((index - 3) % Self.paths.count + Self.paths.count) % Self.paths.count]
        let title = service.prefix(1).uppercased() + service.dropFirst()

        self.index = index
        self.id = Self.firstID + index - 1
        self.monitorType = type
        self.status = status
        switch type {
        case _ where index == 1:
            url = "https://example.com/"
            name = "Example homepage"
        case "playwright":
            url = nil
            name = "\(title) \(index) checkout flow"
        case "ping", "dns":
            url = "\(service)-\(index).example.com"
            name = "\(title) \(index) \(type)"
        case "tcp":
            url = "db-\(index).example.com"
            name = "\(title) \(index) database"
        default:
            // Every ninth HTTP monitor is plain http, so some points have no TLS phase.
            let scheme = index % 9 == 0 ? "http" : "https"
            url = "\(scheme)://\(service)-\(index).example.com\(path)"
            name = "\(title) \(index)"
        }
        usesTLS = url?.hasPrefix("https://") ?? (type == "playwright")
        requiredKeyword = type == "keyword" ? "OK" : nil
        port = type == "tcp" ? "5432" : nil
        expectedStatusCodes = type == "expected_status_code" ? [200, 204] : []

        let frequency = random.weighted([(30, 0.2), (60, 0.4), (180, 0.2), (300, 0.2)])
        checkFrequency = forced ?? (index == 1 ? 180 : frequency)
        let everywhere = random.chance(0.8)
        var regions = Self.allRegions
        if !everywhere && index != 1 {
            regions = Self.allRegions.filter { _ in random.chance(0.5) }
            if regions.isEmpty { regions = [Self.allRegions[random.int(in: 0...3)]] }
        }
        let checkFrequency = self.checkFrequency
        profiles = regions.map { region in
            let (low, high): (Double, Double) =
                switch region {
                case "us": (20, 110)
                case "eu": (15, 90)
                case "as": (110, 240)
                default: (140, 280)
                }
            return RegionProfile(
                region: region,
                offsetSeconds: random.int(in: 0...(checkFrequency - 1)),
                roundTripMilliseconds: random.double(in: low...high),
                serverMilliseconds: random.double(in: 25...220)
            )
        }

        let day = Timestamp.dayMilliseconds
        if status == "pending" {
            // Just created and waiting for its first check.
            createdAt = now - Int64(random.int(in: 120_000...600_000))
        } else {
            createdAt = now - Int64(random.int(in: 120...800)) * day - Int64(random.int(in: 0...86_399_999))
        }
        updatedAt = createdAt + Int64(random.double(in: 0...1) * Double(now - createdAt))
        if status == "paused" {
            let earliest = max(createdAt + day, now - 20 * day)
            pausedAt = Int64(random.int(in: Int(earliest)...Int(now - 3_600_000)))
        } else {
            pausedAt = nil
        }
        let anchorSecond = now - now % 1000
        switch status {
        case "pending": lastCheckedAt = nil
        case "paused": lastCheckedAt = pausedAt
        default: lastCheckedAt = anchorSecond - Int64(profiles.map(\.offsetSeconds).min() ?? 0) * 1000
        }

        // One draw whatever the type, so the values after it stay as they were; HTTP types keep
        // their former 30 s / 15 s split exactly.
        requestTimeout = random.weighted(Self.requestTimeoutChoices(forType: type))
        recoveryPeriod = random.chance(0.6) ? 180 : 0
        confirmationPeriod = random.chance(0.5) ? 0 : 120
        call = random.chance(0.2)
        sms = random.chance(0.1)
        email = true
        push = random.chance(0.8)
        monitorGroupID = random.chance(0.3) ? String(800_000 + random.int(in: 1...5)) : nil
        // A setting (days of warning before the certificate expires), so plain-http monitors have one too.
        sslExpiration = random.weighted([(7, 0.3), (14, 0.4), (30, 0.3)])
        domainExpiration = random.chance(0.6) ? 14 : nil
        if status == "maintenance" {
            // A window around the anchor time, so the monitor is in it "now".
            let hour = Int(anchorSecond % day / 3_600_000)
            maintenanceFrom = Self.clock((hour + 23) % 24)
            maintenanceTo = Self.clock((hour + 2) % 24)
        } else {
            maintenanceFrom = nil
            maintenanceTo = nil
        }
    }

    private static func clock(_ hour: Int) -> String {
        (hour < 10 ? "0\(hour)" : "\(hour)") + ":00:00"
    }

    /// The JSON:API resource. The list payload carries `expiration_policy_id`, the single-monitor
    /// payload does not: each follows its own upstream example key for key.
    func resource(teamName: String, includeExpirationPolicy: Bool) -> JSON {
        var attributes: [(String, JSON)] = [
            ("url", .optional(url)),
            ("pronounceable_name", .string(name)),
            ("monitor_type", .string(monitorType)),
            ("monitor_group_id", .optional(monitorGroupID)),
            ("last_checked_at", .optional(lastCheckedAt.map(Timestamp.iso8601))),
            ("status", .string(status)),
            ("policy_id", .null),
        ]
        if includeExpirationPolicy { attributes.append(("expiration_policy_id", .null)) }
        attributes += [
            ("team_name", .string(teamName)),
            ("required_keyword", .optional(requiredKeyword)),
            ("verify_ssl", .bool(true)),
            ("check_frequency", .int(checkFrequency)),
            ("call", .bool(call)),
            ("sms", .bool(sms)),
            ("email", .bool(email)),
            ("push", .bool(push)),
            ("team_wait", .null),
            ("http_method", .string("get")),
            ("request_timeout", .int(requestTimeout)),
            ("recovery_period", .int(recoveryPeriod)),
            ("request_headers", .array([])),
            ("request_body", .string("")),
            ("paused_at", .optional(pausedAt.map(Timestamp.iso8601))),
            ("created_at", .string(Timestamp.iso8601(createdAt))),
            ("updated_at", .string(Timestamp.iso8601(updatedAt))),
            ("ssl_expiration", .int(sslExpiration)),
            ("domain_expiration", .optional(domainExpiration)),
            ("regions", .array(regions.map(JSON.string))),
            ("maintenance_from", .optional(maintenanceFrom)),
            ("maintenance_to", .optional(maintenanceTo)),
            ("maintenance_timezone", .string("UTC")),
            ("maintenance_days", .array(["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map(JSON.string))),
            ("port", .optional(port)),
            ("confirmation_period", .int(confirmationPeriod)),
            ("expected_status_codes", .array(expectedStatusCodes.map(JSON.int))),
        ]
        return .object([("id", .string(String(id))), ("type", .string("monitor")), ("attributes", .object(attributes))])
    }
}
