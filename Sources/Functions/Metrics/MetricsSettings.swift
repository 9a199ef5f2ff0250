import Statuspage

/// What `GET /metrics` reads from the configuration. Filled at start-up from the environment
/// (`ServicesFactory`), and by the config file where there is one.
public struct MetricsSettings: Sendable {
    /// Status pages rendered as the exporter-compatible `statuspage_*` families, in the order of
    /// the exporter's `services.json` (`UPTIME_BRIDGE_STATUSPAGE_SERVICES` names that file).
    public var statuspageServices: [StatuspageService]
    /// `betterstack_monitor_availability_ratio` covers this many finished UTC days (yesterday and
    /// the days before it). Finished days never change, so each monitor costs one SLA call a day.
    public var availabilityWindowDays: Int
    /// The longest a scrape waits for an upstream. Past it, the last known values are served and
    /// `uptime_bridge_upstream_up` says 0; the load goes on in the background for the next scrape.
    public var scrapeBudget: Duration
    /// How long one round of Statuspage probes is reused: scrapes within it probe nothing. The
    /// exporter's uptime history gets one sample per round, not per scrape.
    public var statuspageTTL: Duration
    /// How long a monitor's latest response times are reused. Each refresh is one upstream call
    /// per monitor (Better Stack only serves whole 24 h series), so large accounts may want more.
    public var responseTimeTTL: Duration
    /// What `statuspage_service_status` says (`statuspage.status_values`).
    public var statuspageStatusValues: StatuspageStatusValues = .exporter

    public init(
        statuspageServices: [StatuspageService] = [],
        availabilityWindowDays: Int = 30,
        scrapeBudget: Duration = .seconds(2),
        statuspageTTL: Duration = .seconds(60),
        responseTimeTTL: Duration = .seconds(60)
    ) {
        self.statuspageServices = statuspageServices
        self.availabilityWindowDays = availabilityWindowDays
        self.scrapeBudget = scrapeBudget
        self.statuspageTTL = statuspageTTL
        self.responseTimeTTL = responseTimeTTL
    }

}
