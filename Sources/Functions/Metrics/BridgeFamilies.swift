import BetterStack
import FastCGIRuntime
import PrometheusExposition
import TTLCache

/// The `uptime_bridge_*` families written at scrape time: upstream health and data age, and the
/// caches' counters (the request and upstream counters live in ``BridgeTelemetry``'s registry).
enum BridgeFamilies {
    struct Snapshot {
        var betterStack: BetterStackReading?
        var statuspage: StatuspageReading?
        var services: Services
    }

    static func write(_ snapshot: Snapshot, into writer: inout PrometheusTextWriter) {
        let services = snapshot.services
        var upstreams: [(name: String, succeeded: Bool, age: Duration?)] = []
        let pace = services.uptime?.client.pace
        let coolingDown = pace?.coolDownRemaining
        if let reading = snapshot.betterStack {
            // During a 429 cool-down nothing is asked upstream: what is served is the last known.
            upstreams.append(("betterstack", reading.succeeded && coolingDown == nil, reading.dataAge))
        }
        if let reading = snapshot.statuspage {
            upstreams.append(("statuspage", reading.succeeded, reading.dataAge))
        }

        writer.gauge(
            "uptime_bridge_upstream_up",
            help: "Whether this scrape's upstream reads succeeded in time (0: last known values served, see the data age)",
            upstreams, label: "upstream", id: \.name
        ) { upstream in upstream.succeeded ? 1 : 0 }

        writer.gauge(
            "uptime_bridge_upstream_data_age_seconds",
            help: "Age of the oldest upstream data this scrape served, in seconds",
            upstreams, label: "upstream", id: \.name
        ) { upstream in upstream.age.map { age in seconds(age) } }

        if let pace {
            let statistics = pace.statistics
            writer.family(
                "uptime_bridge_upstream_rate_limited_total",
                help: "429 answers from the upstream since this process started (each starts a cool-down)",
                type: .counter
            )
            writer.sample(labels: [("upstream", "betterstack")], value: Double(statistics.rateLimited))
            writer.family(
                "uptime_bridge_upstream_cool_downs_total",
                help: "Cool-downs started or extended after a 429 since this process started",
                type: .counter
            )
            writer.sample(labels: [("upstream", "betterstack")], value: Double(statistics.coolDowns))
            writer.family(
                "uptime_bridge_upstream_paced_refusals_total",
                help: "Upstream calls the pace refused (cool-down running, or no slot before the deadline)",
                type: .counter
            )
            writer.sample(labels: [("upstream", "betterstack")], value: Double(statistics.refused))
            writer.family(
                "uptime_bridge_upstream_cool_down_seconds",
                help: "Seconds left of the current 429 cool-down (0: none)",
                type: .gauge
            )
            writer.sample(labels: [("upstream", "betterstack")], value: coolingDown.map(seconds) ?? 0)
        }

        var caches: [(name: String, statistics: CacheStatistics)] = []
        if let data = services.uptime { caches.append(("betterstack", data.cache.statistics)) }
        if let data = services.statuspage { caches.append(("statuspage", data.cache.statistics)) }
        let counters: [(String, String, KeyPath<CacheStatistics, Int>)] = [
            ("uptime_bridge_cache_hits_total", "Cache reads served fresh", \.hits),
            ("uptime_bridge_cache_misses_total", "Cache reads that loaded or waited for a load", \.misses),
            (
                "uptime_bridge_cache_revalidating_serves_total",
                "Cache reads served an expired value while a background refresh ran", \.revalidatingServes
            ),
            (
                "uptime_bridge_cache_stale_serves_total", "Cache reads served a stale value because the load failed",
                \.staleServes
            ),
            ("uptime_bridge_cache_evictions_total", "Cache entries evicted to stay within the size bound", \.evictions),
            ("uptime_bridge_cache_loads_total", "Cache loads started (upstream reads)", \.loads),
            ("uptime_bridge_cache_load_failures_total", "Cache loads that failed", \.loadFailures),
            (
                "uptime_bridge_cache_abandoned_loads_total",
                "Cache loads cancelled because every request waiting for them had gone", \.abandonedLoads
            ),
        ]
        for (name, help, field) in counters {
            writer.family(name, help: help + ", by cache, since this process started", type: .counter)
            for cache in caches {
                writer.sample(labels: [("cache", cache.name)], value: Double(cache.statistics[keyPath: field]))
            }
        }
        writer.gauge(
            "uptime_bridge_cache_entries",
            help: "Entries held, by cache",
            caches, label: "cache", id: \.name
        ) { cache in Double(cache.statistics.entries) }
        writer.gauge(
            "uptime_bridge_cache_bytes",
            help: "Estimated bytes held, by cache",
            caches, label: "cache", id: \.name
        ) { cache in Double(cache.statistics.bytes) }

        writer.family("uptime_bridge_info", help: "The bridge's version (always 1)", type: .gauge)
        writer.sample(labels: [("version", services.settings.version)], value: 1)
        writer.family(
            "uptime_bridge_start_time_seconds",
            help: "Unix time this process started (its counters start from zero then)",
            type: .gauge
        )
        writer.sample(value: services.telemetry.startTime)

        if let status = services.telemetry.supervisor?.read() { writeSupervisor(status, into: &writer) }
        if let errors = services.telemetry.errorReporter { writeErrorReporting(errors.statistics, into: &writer) }
    }

    /// Better Stack Errors reporting (`errors.dsn`), this process's since it started.
    static func writeErrorReporting(_ statistics: ErrorReporter.Statistics, into writer: inout PrometheusTextWriter) {
        writer.family(
            "uptime_bridge_error_events_total",
            help: "The bridge's own failures reported to Better Stack Errors, by outcome (sent, dropped: buffer full, paused or lost with a failed send)",
            type: .counter
        )
        writer.sample(labels: [("outcome", "sent")], value: Double(statistics.sent))
        writer.sample(labels: [("outcome", "dropped")], value: Double(statistics.dropped))
        writer.family(
            "uptime_bridge_error_sends_failed_total",
            help: "Sends to Better Stack Errors that failed (timeouts, refusals)",
            type: .counter
        )
        writer.sample(value: Double(statistics.failed))
        writer.family("uptime_bridge_error_events_buffered", help: "Events waiting to be sent to Better Stack Errors", type: .gauge)
        writer.sample(value: Double(statistics.buffered))
    }

    /// The master's families: the same for every worker (they come from the master's status file),
    /// so consecutive scrapes answered by different workers agree.
    static func writeSupervisor(_ status: SupervisorStatus, into writer: inout PrometheusTextWriter) {
        writer.family("uptime_bridge_workers", help: "Worker processes the master keeps running", type: .gauge)
        writer.sample(value: Double(status.workers))
        writer.family(
            "uptime_bridge_worker_restarts_total",
            help:
                "Worker processes that died without being asked to (crash, signal, exit) and were started again, since the master started",
            type: .counter
        )
        writer.sample(value: Double(status.workerRestarts))
        writer.family(
            "uptime_bridge_reloads_total",
            help:
                "SIGHUP reloads since the master started: applied (every worker replaced) or refused (invalid configuration, or a new worker that did not start)",
            type: .counter
        )
        writer.sample(labels: [("result", "applied")], value: Double(status.reloadsApplied))
        writer.sample(labels: [("result", "refused")], value: Double(status.reloadsRefused))
        writer.family(
            "uptime_bridge_master_start_time_seconds",
            help: "Unix time the master process started (the worker restart and reload counters start from zero then)",
            type: .gauge
        )
        writer.sample(value: status.masterStartTime)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
