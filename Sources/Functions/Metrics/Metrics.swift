import FastCGIRuntime
import PrometheusExposition
import TTLCache

/// `GET /metrics` — Prometheus text format 0.0.4: Better Stack monitors and heartbeats, the
/// configured Statuspage pages as statuspage-prometheus-exporter 2.6.0's `statuspage_*` families,
/// and the bridge's own request, cache and upstream metrics.
///
/// Data comes from the worker's cache. A scrape waits for upstreams at most
/// ``MetricsSettings/scrapeBudget``; past it, it serves the last known values with
/// `uptime_bridge_upstream_up` at 0, and the load goes on in the background for the next scrape.
/// (`POST /metrics` is the JSON datasource's metric list, see ``MetricList``.)
public enum Metrics {
    @Sendable
    public static func handle(_ request: Request, _ context: FunctionContext) async throws -> Response {
        let services = context.services
        let deadline = ContinuousClock.now + services.metrics.scrapeBudget
        async let betterStack = readBetterStack(services, before: deadline)
        async let statuspage = readStatuspage(services, before: deadline)
        let (reading, round) = await (betterStack, statuspage)

        let monitorCount = reading?.monitors?.count ?? 0
        var writer = PrometheusTextWriter(reservingCapacity: 8192 + monitorCount * 1536)
        if let reading {
            BetterStackFamilies.write(reading, into: &writer)
        }
        if let statuspageData = services.statuspage {
            statuspageData.exporter.write(into: &writer)
        }
        BridgeFamilies.write(
            BridgeFamilies.Snapshot(betterStack: reading, statuspage: round, services: services),
            into: &writer
        )
        var body = writer.bytes
        services.telemetry.registry.emit(into: &body)

        var headers = Headers()
        headers.add("Content-Type", PrometheusTextWriter.contentType)
        // Scrapes want now; the data behind them is cached already.
        headers.add("Cache-Control", "no-store")
        return Response(status: 200, headers: headers, body: body)
    }

    /// Better Stack within the budget, or its last known values; `nil` when not configured.
    private static func readBetterStack(_ services: Services, before deadline: ContinuousClock.Instant) async
        -> BetterStackReading?
    {
        guard let data = services.uptime else { return nil }
        let scrape = BetterStackScrape(
            data: data,
            windowDays: services.metrics.availabilityWindowDays,
            responseTimeTTL: services.metrics.responseTimeTTL,
            sweep: services.betterStackSweep
        )
        let refresh = services.betterStackRefresh.run { await scrape.load() }
        guard var reading = await ScrapeDeadline.value(of: refresh, before: deadline) else {
            services.telemetry.recordScrapeTimeout(upstream: "betterstack")
            return scrape.lastKnown()
        }
        // A background refresh (the cache's stale-while-revalidate, or the detail sweep) that
        // failed since shows here.
        if services.telemetry.lastAttemptFailed(upstream: "betterstack") { reading.succeeded = false }
        return reading
    }

    /// The current Statuspage round within the budget; `nil` when not configured. A round that
    /// misses the deadline is recorded in the exporter when it arrives; meanwhile the exporter's
    /// last state is rendered.
    private static func readStatuspage(_ services: Services, before deadline: ContinuousClock.Instant) async
        -> StatuspageReading?
    {
        guard let data = services.statuspage else { return nil }
        // One round for every scrape of this worker, bounded by the configured pages.
        let round = Task { await CacheLoadAdmission.$current.withValue(nil) { await data.round() } }
        if let cached = await ScrapeDeadline.value(of: round, before: deadline) {
            return StatuspageReading(succeeded: cached.value.allAnswered, dataAge: cached.age)
        }
        services.telemetry.recordScrapeTimeout(upstream: "statuspage")
        return StatuspageReading(succeeded: false, dataAge: data.lastRound()?.age)
    }
}

/// What a scrape got from the Statuspage pages.
struct StatuspageReading: Sendable {
    /// Every page answered this round, in time.
    var succeeded: Bool
    /// Age of the round rendered; `nil` before the first one.
    var dataAge: Duration?
}
