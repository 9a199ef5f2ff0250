import BetterStack
import FastCGIRuntime
import Functions
import Logging
import TTLCache

#if canImport(Glibc)
import Glibc
#endif

/// Builds the process-wide services from the environment: the Better Stack client (absent when no
/// token is set; the data functions then answer 503) and the cache — in memory for a resident
/// FastCGI worker, in a directory for one-shot CGI processes.
enum ServicesFactory {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    static func make(
        environment: [String: String],
        settings: BridgeSettings,
        isCGI: Bool,
        logger: Logger
    ) throws -> Services {
        let tokenKeys = [
            BetterStackConfiguration.EnvironmentKey.apiToken,
            BetterStackConfiguration.EnvironmentKey.apiTokenFile,
            BetterStackConfiguration.EnvironmentKey.legacyAPIToken,
        ]
        guard tokenKeys.contains(where: { !(environment[$0] ?? "").isEmpty }) else {
            logger.notice("no Better Stack token configured; data functions answer 503")
            return Services(settings: settings)
        }
        let configuration: BetterStackConfiguration
        do {
            configuration = try BetterStackConfiguration.fromEnvironment(environment)
        } catch {
            throw StartupError(description: error.description)
        }
        let client = BetterStackClient(configuration: configuration, logger: logger)
        let cache: any CacheStore
        if isCGI {
            let directory = environment["UPTIME_BRIDGE_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 }
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
        return Services(settings: settings, uptime: UptimeData(client: client, cache: cache))
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
