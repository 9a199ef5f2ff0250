import BetterStack
import BridgeConfiguration
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

/// Builds the process-wide services from the configuration: the Better Stack client (absent when no
/// token is set; the data functions then answer 503), the cache — in memory for a resident FastCGI
/// worker, in a directory for one-shot CGI processes — the access policy, and what `/metrics`
/// needs: its settings, the Statuspage pages, and the observers that count upstream requests.
enum ServicesFactory {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    static func make(
        configuration: Configuration,
        settings: BridgeSettings,
        isCGI: Bool,
        logger: Logger,
        telemetry: BridgeTelemetry = BridgeTelemetry()
    ) throws -> Services {
        let access = try accessPolicy(configuration)
        let metrics = try metricsSettings(configuration)
        var statuspage: StatuspageData?
        if !metrics.statuspageServices.isEmpty {
            let client = StatuspageClient(logger: logger, observer: telemetry.statuspageObserver)
            // Under CGI the exporter's memory (last good answers, uptime history) lives in the
            // cache directory, as the exporter's RUN_MODE=once keeps it in its cache folder.
            var memory: StatuspageMemoryStore?
            if isCGI {
                do {
                    let cache = try FileCache(directory: cacheDirectory(configuration), namespace: "statuspage")
                    memory = StatuspageMemoryStore(cache: cache, services: metrics.statuspageServices)
                } catch {
                    logger.warning(
                        "the Statuspage exporter's memory cannot be kept (each run starts empty)",
                        metadata: ["reason": "\(error)"]
                    )
                }
            }
            statuspage = StatuspageData(
                services: metrics.statuspageServices,
                client: client,
                ttl: metrics.statuspageTTL,
                exporter: StatuspageExporter(statusValues: metrics.statuspageStatusValues),
                // A round fits inside a scrape's budget, so pages that answered are rendered even
                // when one page stalls or refuses slowly.
                roundDeadline: max(.milliseconds(500), metrics.scrapeBudget * 0.9),
                memory: memory
            )
        }
        let pace = betterStackPace(configuration, isCGI: isCGI)
        guard let client = try betterStackClient(configuration, logger: logger, telemetry: telemetry, pace: pace) else {
            logger.notice("no Better Stack token configured; data functions answer 503")
            return Services(
                settings: settings,
                access: access,
                metrics: metrics,
                statuspage: statuspage,
                telemetry: telemetry
            )
        }
        let cache: any CacheStore
        if isCGI {
            let directory = cacheDirectory(configuration)
            do {
                cache = try FileCache(
                    directory: directory,
                    maxBytes: 256 << 20,
                    maxFiles: 8192,
                    namespace: cacheNamespace(configuration)
                )
            } catch let error as CacheDirectoryError {
                throw StartupError(description: "cache directory \(error.directory) (cache.directory): \(error.reason)")
            } catch {
                throw StartupError(description: "cache.directory: cannot use \(directory): \(error)")
            }
            // Served anyway (the data is still right), but loudly: the log here, and the health
            // check and every answer (X-Uptime-Bridge-Cache-Problem) through `cache.problem`.
            if let problem = cache.problem {
                logger.error("cache directory \(directory) (cache.directory): \(problem)")
            }
        } else {
            cache = MemoryCache(maxBytes: configuration.int(.cacheMaxBytes))
        }
        let uptime = UptimeData(client: client, cache: cache, allowlist: configuration.list(.accessMonitors))
        return Services(
            settings: settings,
            uptime: uptime,
            access: access,
            metrics: metrics,
            statuspage: statuspage,
            telemetry: telemetry
        )
    }

    /// `/metrics` settings. The pages are the exporter's `services.json` as is, then the config
    /// file's `statuspage.pages` (name: URL).
    static func metricsSettings(_ configuration: Configuration) throws -> MetricsSettings {
        var settings = MetricsSettings(
            availabilityWindowDays: configuration.int(.metricsWindow),
            scrapeBudget: .milliseconds(configuration.int(.metricsBudget)),
            statuspageTTL: .seconds(configuration.int(.statuspageTTL)),
            responseTimeTTL: .seconds(configuration.int(.metricsResponseTimeTTL))
        )
        let statusValues = configuration.string(.statuspageStatusValues) ?? "exporter"
        guard let values = StatuspageStatusValues(rawValue: statusValues) else {
            throw StartupError(
                description: "statuspage.status_values must be \(StatuspageStatusValues.names), not \(statusValues)"
            )
        }
        settings.statuspageStatusValues = values
        if let path = configuration.string(.statuspageServices), !path.isEmpty {
            let bytes: Data
            do {
                bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw StartupError(description: "statuspage.services_file: cannot read \(path): \(error)")
            }
            do {
                settings.statuspageServices = try StatuspageServicesFile.parse(Array(bytes))
            } catch {
                throw StartupError(description: "statuspage.services_file: \(path): \(error.description)")
            }
        }
        for (name, url) in configuration.map(.statuspagePages).sorted(by: { $0.key < $1.key }) {
            settings.statuspageServices.append(StatuspageService(key: name, name: name, url: url))
        }
        return settings
    }

    /// The deployment's one pace for Better Stack API calls (docs/upstream-economy.md): a CGI
    /// process shares it with every other CGI process of the same cache directory and account,
    /// through a small lock-protected state file there; a worker under the master takes its share
    /// (the rate divided by the workers); a single process (or `push`) has it all.
    static func betterStackPace(_ configuration: Configuration, isCGI: Bool) -> UpstreamPace {
        var settings = UpstreamPace.Settings(
            rate: configuration.double(.betterstackRate),
            burst: configuration.int(.betterstackBurst)
        )
        if isCGI {
            let name = "pace-" + CacheDigest.sha256Hex(cacheNamespace(configuration)).prefix(16) + ".state"
            return UpstreamPace(settings: settings, store: FilePaceStore(path: cacheDirectory(configuration) + "/" + name))
        }
        if getenv(SupervisedWorker.environmentKey) != nil {
            settings = settings.divided(by: MasterProcess.workerCount(configuration))
        }
        return UpstreamPace(settings: settings)
    }

    /// The Better Stack client, or nil when no token is configured.
    static func betterStackClient(
        _ configuration: Configuration,
        logger: Logger,
        telemetry: BridgeTelemetry? = nil,
        pace: UpstreamPace? = nil
    ) throws -> BetterStackClient? {
        guard let token = configuration.secret(.betterstackToken) else { return nil }
        do {
            let betterstack = try BetterStackConfiguration(
                baseURL: configuration.string(.betterstackURL) ?? BetterStackConfiguration.defaultBaseURL,
                token: token,
                requestTimeout: .milliseconds(Int64(configuration.double(.betterstackTimeout) * 1000))
            )
            return BetterStackClient(
                configuration: betterstack,
                logger: logger,
                observer: telemetry?.betterStackObserver,
                pace: pace ?? betterStackPace(configuration, isCGI: false)
            )
        } catch {
            throw StartupError(description: error.description)
        }
    }

    static func accessPolicy(_ configuration: Configuration) throws -> AccessPolicy {
        let user = configuration.string(.accessUser)
        let password = configuration.secret(.accessPassword)
        if (user == nil) != (password == nil) {
            throw StartupError(description: "access: set both basic_auth_user and basic_auth_password, or neither")
        }
        return AccessPolicy(
            bearerToken: configuration.secret(.accessToken)?.reveal(),
            basicUser: user,
            basicPassword: password?.reveal()
        )
    }

    /// What keeps the file cache entries of two configurations apart when they share a directory
    /// and a user (every vhost's CGI as www-data, a sandbox beside production): the upstream's base
    /// URL and a SHA-256 of its token. The token itself never reaches the cache (FileCache hashes
    /// the namespace again into file names and entries).
    static func cacheNamespace(_ configuration: Configuration) -> String {
        let baseURL = configuration.string(.betterstackURL) ?? BetterStackConfiguration.defaultBaseURL
        let token = configuration.secret(.betterstackToken)?.reveal() ?? ""
        return "\(baseURL)|\(CacheDigest.sha256Hex(token))"
    }

    static func cacheDirectory(_ configuration: Configuration) -> String {
        configuration.string(.cacheDirectory).flatMap { $0.isEmpty ? nil : $0 }
            ?? "/tmp/uptime-bridge-cache-\(getuid())"
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
