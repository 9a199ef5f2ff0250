import BetterStack
import FastCGIRuntime
import Functions
import Logging
import Statuspage
import TTLCache

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// Builds the process-wide services from the environment: the Better Stack client (absent when no
/// token is set; the data functions then answer 503) and the cache — in memory for a resident
/// FastCGI worker, in a directory for one-shot CGI processes — plus what `/metrics` needs: its
/// settings, the Statuspage pages, and the observers that count upstream requests.
enum ServicesFactory {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    /// Environment variables read here (besides Better Stack's own, see `BetterStackConfiguration`).
    enum EnvironmentKey {
        /// Path of an exporter-compatible `services.json` (statuspage-prometheus-exporter's file, as is).
        static let statuspageServices = "UPTIME_BRIDGE_STATUSPAGE_SERVICES"
        /// Longest wait of a `/metrics` scrape for an upstream, milliseconds (default 2000).
        static let scrapeBudget = "UPTIME_BRIDGE_SCRAPE_BUDGET_MS"
        /// Finished UTC days behind `betterstack_monitor_availability_ratio` (default 30).
        static let availabilityWindow = "UPTIME_BRIDGE_AVAILABILITY_WINDOW_DAYS"
        /// How long one round of Statuspage probes is reused, seconds (default 60).
        static let statuspageTTL = "UPTIME_BRIDGE_STATUSPAGE_TTL_SECONDS"
        /// How long `/metrics` reuses a monitor's latest response times, seconds (default 60).
        static let responseTimeTTL = "UPTIME_BRIDGE_METRICS_RESPONSE_TIME_TTL_SECONDS"
    }

    static func make(
        environment: [String: String],
        settings: BridgeSettings,
        isCGI: Bool,
        logger: Logger,
        telemetry: BridgeTelemetry = BridgeTelemetry()
    ) throws -> Services {
        let metrics = try metricsSettings(environment: environment)
        var statuspage: StatuspageData?
        if !metrics.statuspageServices.isEmpty {
            let client = StatuspageClient(logger: logger, observer: telemetry.statuspageObserver)
            statuspage = StatuspageData(
                services: metrics.statuspageServices,
                client: client,
                ttl: metrics.statuspageTTL
            )
        }
        return Services(
            settings: settings,
            uptime: try uptimeData(environment: environment, isCGI: isCGI, logger: logger, telemetry: telemetry),
            metrics: metrics,
            statuspage: statuspage,
            telemetry: telemetry
        )
    }

    /// Better Stack through the cache, or `nil` without a token.
    private static func uptimeData(
        environment: [String: String],
        isCGI: Bool,
        logger: Logger,
        telemetry: BridgeTelemetry
    ) throws -> UptimeData? {
        let tokenKeys = [
            BetterStackConfiguration.EnvironmentKey.apiToken,
            BetterStackConfiguration.EnvironmentKey.apiTokenFile,
            BetterStackConfiguration.EnvironmentKey.legacyAPIToken,
        ]
        guard tokenKeys.contains(where: { !(environment[$0] ?? "").isEmpty }) else {
            logger.notice("no Better Stack token configured; data functions answer 503")
            return nil
        }
        let configuration: BetterStackConfiguration
        do {
            configuration = try BetterStackConfiguration.fromEnvironment(environment)
        } catch {
            throw StartupError(description: error.description)
        }
        let client = BetterStackClient(
            configuration: configuration,
            logger: logger,
            observer: telemetry.betterStackObserver
        )
        let cache: any CacheStore
        if isCGI {
            let directory =
                environment["UPTIME_BRIDGE_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "/tmp/uptime-bridge-cache-\(getuid())"
            do {
                cache = try FileCache(directory: directory, maxBytes: 256 << 20)
            } catch {
                throw StartupError(description: "cannot use the cache directory \(directory): \(error)")
            }
        } else {
            let maxBytes = environment["UPTIME_BRIDGE_CACHE_MAX_BYTES"].flatMap { Int($0) } ?? (64 << 20)
            cache = MemoryCache(maxBytes: maxBytes)
        }
        return UptimeData(client: client, cache: cache)
    }

    /// `/metrics` settings from the environment; a bad value stops the start with a clear error.
    static func metricsSettings(environment: [String: String]) throws -> MetricsSettings {
        func value(_ key: String) -> String? {
            environment[key].flatMap { $0.isEmpty ? nil : $0 }
        }
        func integer(_ key: String, in range: ClosedRange<Int>) throws -> Int? {
            guard let text = value(key) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw StartupError(
                    description: "\(key) must be an integer from \(range.lowerBound) to \(range.upperBound)"
                )
            }
            return number
        }

        var settings = MetricsSettings()
        if let milliseconds = try integer(EnvironmentKey.scrapeBudget, in: 1...120_000) {
            settings.scrapeBudget = .milliseconds(milliseconds)
        }
        if let days = try integer(EnvironmentKey.availabilityWindow, in: MetricsSettings.availabilityWindowRange) {
            settings.availabilityWindowDays = days
        }
        if let seconds = try integer(EnvironmentKey.statuspageTTL, in: 1...86_400) {
            settings.statuspageTTL = .seconds(seconds)
        }
        if let seconds = try integer(EnvironmentKey.responseTimeTTL, in: 1...86_400) {
            settings.responseTimeTTL = .seconds(seconds)
        }
        if let path = value(EnvironmentKey.statuspageServices) {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw StartupError(
                    description: "cannot read \(EnvironmentKey.statuspageServices) file \(path): \(error)"
                )
            }
            do {
                settings.statuspageServices = try StatuspageServicesFile.parse(Array(bytes))
            } catch {
                throw StartupError(description: "\(path): \(error.description)")
            }
        }
        return settings
    }

    /// The process environment as a dictionary.
    static func processEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var cursor = environ
        while let entry = cursor.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            cursor += 1
        }
        return result
    }
}
