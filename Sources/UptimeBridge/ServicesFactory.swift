import BetterStack
import BridgeConfiguration
import FastCGIRuntime
import Functions
import Logging
import TTLCache

#if canImport(Glibc)
import Glibc
#endif

/// Builds the process-wide services from the configuration: the Better Stack client (absent when no
/// token is set; the data functions then answer 503), the cache — in memory for a resident FastCGI
/// worker, in a directory for one-shot CGI processes — and the access policy.
enum ServicesFactory {
    struct StartupError: Error, CustomStringConvertible {
        var description: String
    }

    static func make(
        configuration: Configuration,
        settings: BridgeSettings,
        isCGI: Bool,
        logger: Logger
    ) throws -> Services {
        let access = try accessPolicy(configuration)
        guard let client = try betterStackClient(configuration, logger: logger) else {
            logger.notice("no Better Stack token configured; data functions answer 503")
            return Services(settings: settings, access: access)
        }
        let cache: any CacheStore
        if isCGI {
            let directory = cacheDirectory(configuration)
            do {
                cache = try FileCache(directory: directory, maxBytes: 256 << 20)
            } catch {
                throw StartupError(description: "cache.directory: cannot use \(directory): \(error)")
            }
        } else {
            cache = MemoryCache(maxBytes: configuration.int(.cacheMaxBytes))
        }
        let uptime = UptimeData(client: client, cache: cache, allowlist: configuration.list(.accessMonitors))
        return Services(settings: settings, uptime: uptime, access: access)
    }

    /// The Better Stack client, or nil when no token is configured.
    static func betterStackClient(_ configuration: Configuration, logger: Logger) throws -> BetterStackClient? {
        guard let token = configuration.secret(.betterstackToken) else { return nil }
        do {
            let betterstack = try BetterStackConfiguration(
                baseURL: configuration.string(.betterstackURL) ?? BetterStackConfiguration.defaultBaseURL,
                token: Secret(token.reveal()),
                requestTimeout: .milliseconds(Int64(configuration.double(.betterstackTimeout) * 1000))
            )
            return BetterStackClient(configuration: betterstack, logger: logger)
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

    static func cacheDirectory(_ configuration: Configuration) -> String {
        configuration.string(.cacheDirectory).flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp/uptime-bridge-cache-\(getuid())"
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
