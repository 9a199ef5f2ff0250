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
        if let reading = snapshot.betterStack {
            upstreams.append(("betterstack", reading.succeeded, reading.dataAge))
        }
        if let reading = snapshot.statuspage {
            upstreams.append(("statuspage", reading.succeeded, reading.dataAge))
        }

        writer.family(
            "uptime_bridge_upstream_up",
            help:
                "Whether this scrape's upstream reads succeeded in time (0: last known values served, see the data age)",
            type: .gauge
        )
        for upstream in upstreams {
            writer.sample(labels: [("upstream", upstream.name)], value: upstream.succeeded ? 1 : 0)
        }

        writer.family(
            "uptime_bridge_upstream_data_age_seconds",
            help: "Age of the oldest upstream data this scrape served, in seconds",
            type: .gauge
        )
        for upstream in upstreams {
            if let age = upstream.age {
                writer.sample(labels: [("upstream", upstream.name)], value: seconds(age))
            }
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
        ]
        for (name, help, field) in counters {
            writer.family(name, help: help + ", by cache, since this process started", type: .counter)
            for cache in caches {
                writer.sample(labels: [("cache", cache.name)], value: Double(cache.statistics[keyPath: field]))
            }
        }
        writer.family("uptime_bridge_cache_entries", help: "Entries held, by cache", type: .gauge)
        for cache in caches {
            writer.sample(labels: [("cache", cache.name)], value: Double(cache.statistics.entries))
        }
        writer.family("uptime_bridge_cache_bytes", help: "Estimated bytes held, by cache", type: .gauge)
        for cache in caches {
            writer.sample(labels: [("cache", cache.name)], value: Double(cache.statistics.bytes))
        }

        writer.family("uptime_bridge_info", help: "The bridge's version (always 1)", type: .gauge)
        writer.sample(labels: [("version", services.settings.version)], value: 1)
        writer.family(
            "uptime_bridge_start_time_seconds",
            help: "Unix time this process started (its counters start from zero then)",
            type: .gauge
        )
        writer.sample(value: services.telemetry.startTime)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
