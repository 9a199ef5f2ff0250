import ArgumentParser
import BetterStack
import BridgeConfiguration
import Catchpoint
import Dispatch
import Logging
import OpenTSDB
import Push
import Statuspage
import TTLCache
import UpstreamHTTP

#if canImport(Glibc)
import Glibc
#endif

/// `uptime-bridge check`: validates the configuration and tests each configured upstream and the
/// cache directory, like `nginx -t`. Prints one line per check and exits non-zero on any problem.
///
/// Every upstream the configuration names gets one harmless request, one line each: Better Stack
/// (the monitor list), each Statuspage page (its summary), the Better Stack Logs ingest (an empty
/// batch), and for `push` the OpenTSDB receiver (`GET /api/version`: any HTTP answer but 401/403
/// means reachable) and Catchpoint (a token request). Nothing is written anywhere.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the configuration and test each upstream and the cache directory."
    )

    @Option(help: "Config file (YAML). Env: UPTIME_BRIDGE_CONFIG. Default: /etc/uptime-bridge/config.yaml if present.")
    var config: String?

    @Option(
        name: .customLong("as-cgi"),
        help: ArgumentHelp(
            "Also check the files as USER would meet them: the user CGI programs run as on a host without suEXEC (www-data, apache, nobody). From the files' owners and modes; needs no privilege. The cache directory is then not created.",
            valueName: "USER"
        )
    )
    var asCGI: String?

    func run() throws {
        let report = Self.runChecks(configPath: config, environment: ServicesFactory.processEnvironment(), asCGI: asCGI)
        for line in report.lines { print(line) }
        if report.problems > 0 { throw ExitCode(1) }
    }

    struct Report {
        var lines: [String] = []
        var problems = 0

        mutating func ok(_ text: String) { lines.append("ok: \(text)") }
        mutating func record(_ outcome: (ok: Bool, line: String)) {
            if outcome.ok { ok(outcome.line) } else { problem(outcome.line) }
        }
        mutating func problem(_ text: String) {
            lines.append("problem: \(text)")
            problems += 1
        }
    }

    static func runChecks(configPath: String?, environment: [String: String], asCGI: String? = nil) -> Report {
        var report = Report()
        let configuration = Configuration.load(path: configPath, environment: environment)
        if let path = configuration.path {
            report.lines.append("uptime-bridge: configuration file \(path)")
        } else {
            report.lines.append("uptime-bridge: no configuration file; environment and defaults only")
        }
        for problem in configuration.problems { report.problem(problem) }
        // What `serve` builds from this configuration (the same composition), without serving:
        // whatever it would refuse that the configuration alone does not say.
        var quiet = Logger(label: "check")
        quiet.logLevel = .critical
        do {
            _ = try BridgeComposition(configuration: configuration, isCGI: false, isWorker: false, logger: quiet)
        } catch {
            for problem in error.problems where !configuration.problems.contains(problem) {
                report.problem("serve would refuse: \(problem)")
            }
        }

        do {
            _ = try ServicesFactory.accessPolicy(configuration)
            let protected = configuration.isSet(.accessToken) || configuration.isSet(.accessUser)
            report.ok(
                "access control "
                    + (protected
                        ? "on"
                        : "off (serve refuses that on a public TCP address; under CGI anyone who can reach the "
                            + "script can read the data: set access.bearer_token or basic auth, or restrict it in the web server)")
            )
        } catch {
            report.problem("\(error)")
        }

        checkBetterStack(configuration, into: &report)
        if let asCGI {
            // Creating the directory here would make it this user's, which the CGI user then refuses.
            checkAsCGIUser(asCGI, configuration, into: &report)
        } else {
            checkCacheDirectory(configuration, into: &report)
        }
        if let path = configuration.string(.statuspageServices) {
            do {
                let services = try StatuspageServicesFile.parse(Array(Configuration.readFile(path).utf8))
                report.ok("statuspage: \(path) lists \(services.count) page(s)")
            } catch {
                report.problem("statuspage: \(path): \(error)")
            }
        }
        checkStatuspagePages(configuration, into: &report)
        checkLogsIngest(configuration, into: &report)
        checkPush(configuration, into: &report)
        if let text = configuration.secret(.errorsDSN)?.reveal(), !text.isEmpty {
            if let dsn = try? ErrorsDSN(parsing: text) {
                report.ok("errors: the bridge's failures go to Better Stack Errors at \(dsn.envelopeURL)")
            } else {
                report.problem("errors.dsn: not a Better Stack Errors DSN (https://KEY@HOST/PROJECT_ID)")
            }
        }
        if let path = configuration.string(.catchpointJobConfig), !path.isEmpty {
            do {
                let job = try PushCommand.catchpointJobConfig(path)
                report.ok("catchpoint: read the job's \(path): \(job.summary)")
            } catch {
                report.problem(error.description)
            }
        }
        if let path = configuration.string(.pushJobOpenTSDBConfig), !path.isEmpty {
            do {
                let job = try PushCommand.openTSDBJobConfig(path)
                let used = (configuration.string(.pushOpenTSDB) ?? "").isEmpty ? "used" : "not used: push.opentsdb_url is set"
                report.ok("push: read the job's \(path): OpenTSDB at \(job.url) (\(used))")
            } catch {
                report.problem(error.description)
            }
        }
        let verdict =
            report.problems == 0
            ? "uptime-bridge: configuration test is successful"
            : "uptime-bridge: configuration test failed (\(report.problems) problem\(report.problems == 1 ? "" : "s"))"
        report.lines.append(verdict)
        return report
    }

    static func checkBetterStack(_ configuration: Configuration, into report: inout Report) {
        let url = configuration.string(.betterstackURL) ?? BetterStackConfiguration.defaultBaseURL
        guard configuration.secret(.betterstackToken) != nil else {
            report.problem(
                "betterstack: no API token (set betterstack.api_token_file, BETTERSTACK_API_TOKEN, "
                    + "BETTERSTACK_API_TOKEN_FILE or BetterStack_API_TOKEN)"
            )
            return
        }
        report.ok("betterstack: token set (\(configuration.source(.betterstackToken)))")
        let client: BetterStackClient
        do {
            guard let made = try ServicesFactory.betterStackClient(configuration, logger: Logger(label: "check")) else { return }
            client = made
        } catch {
            report.problem("betterstack: \(error)")
            return
        }
        let outcome = blocking { () -> Result<Int, BetterStackError> in
            do {
                return .success(try await client.monitors().count)
            } catch let error as BetterStackError {
                return .failure(error)
            } catch {
                return .failure(.transport(String(describing: type(of: error))))
            }
        }
        switch outcome {
        case .success(let count):
            report.ok("betterstack: \(url) answered with \(count) monitor(s)")
        case .failure(.unauthorized(let message)):
            report.problem("betterstack: \(url) refused the API token (wrong token?): \(message)")
        case .failure(.transport(let detail)):
            report.problem("betterstack: cannot reach \(url) (unreachable upstream): \(detail)")
        case .failure(.timeout):
            report.problem("betterstack: \(url) did not answer in time (unreachable upstream?)")
        case .failure(let error):
            report.problem("betterstack: \(url): \(error)")
        }
    }

    /// Each configured page once (one attempt, 10 s), in parallel.
    static func checkStatuspagePages(_ configuration: Configuration, into report: inout Report) {
        guard let services = try? ServicesFactory.metricsSettings(configuration).statuspageServices, !services.isEmpty else {
            return
        }
        var quiet = Logger(label: "check")
        quiet.logLevel = .critical
        let client = StatuspageClient(configuration: .init(timeout: .seconds(10), retryPolicy: .none), logger: quiet)
        let probes = blocking {
            await withTaskGroup(of: (Int, StatuspageProbe).self) { group in
                for (index, service) in services.enumerated() { group.addTask { (index, await client.probe(service)) } }
                var probes: [StatuspageProbe?] = Array(repeating: nil, count: services.count)
                for await (index, probe) in group { probes[index] = probe }
                return probes
            }
        }
        for (service, probe) in zip(services, probes) {
            guard let probe else { continue }
            switch probe.result {
            case .success(let summary):
                let seconds = (probe.responseTimeSeconds * 100).rounded() / 100
                report.ok("statuspage: \(service.name) (\(probe.url)) answered in \(seconds) s, \(summary.components.count) component(s)")
            case .failure(let failure):
                report.problem("statuspage: \(service.name) (\(probe.url)): \(failure)")
            }
        }
    }

    /// An empty batch to the Logs ingest: accepted (2xx) means the source token works.
    static func checkLogsIngest(_ configuration: Configuration, into report: inout Report) {
        guard let url = configuration.string(.logsURL), !url.isEmpty else { return }
        guard let token = configuration.secret(.logsToken), !token.reveal().isEmpty else {
            report.problem("logs: logs.ingest_url is set but logs.source_token is not")
            return
        }
        let ingest: LogsIngestConfiguration
        do {
            ingest = try LogsIngestConfiguration(ingestURL: url, sourceToken: token)
        } catch {
            report.problem("logs: \(error)")
            return
        }
        let request = HTTPTransportRequest(
            method: "POST",
            url: ingest.ingestURL,
            headers: [("Authorization", "Bearer " + token.reveal()), ("Content-Type", "application/json")],
            body: Array("[]".utf8),
            timeout: .seconds(10)
        )
        report.record(probe(request, what: "logs: Better Stack Logs ingest \(ingest.ingestURL)"))
    }

    /// The push side, when configured: the receiver and Catchpoint.
    static func checkPush(_ configuration: Configuration, into report: inout Report) {
        let configured =
            !(configuration.string(.pushOpenTSDB) ?? "").isEmpty
            || !(configuration.string(.pushJobOpenTSDBConfig) ?? "").isEmpty
        guard configured else { return }
        let quiet = {
            var logger = Logger(label: "check")
            logger.logLevel = .critical
            return logger
        }()
        let settings: PushSettings
        do {
            settings = try PushCommand.settings(configuration, logger: quiet)
        } catch {
            report.problem("push: \(error.reason)")
            return
        }
        let receiver = settings.receiver
        var headers: [(String, String)] = [("Accept", "application/json")]
        if let authorization = receiver.authorization { headers.append(("Authorization", authorization.reveal())) }
        let base = receiver.url.hasSuffix("/") ? String(receiver.url.dropLast()) : receiver.url
        let request = HTTPTransportRequest(method: "GET", url: base + "/api/version", headers: HTTPTransportHeaders(headers), timeout: .seconds(10))
        report.record(probe(request, what: "push: OpenTSDB receiver \(base)", anyAnswer: true))

        guard let catchpoint = settings.catchpoint else { return }
        let outcome = blocking { () -> String? in
            do {
                let client = try CatchpointClient(
                    configuration: CatchpointConfiguration(
                        baseURL: try BaseURL(catchpoint.baseURL),
                        clientID: catchpoint.clientID,
                        clientSecret: catchpoint.clientSecret,
                        bearerEncoding: catchpoint.bearerEncoding,
                        tokenRequestForm: catchpoint.tokenRequestForm
                    ),
                    logger: quiet
                )
                _ = try await client.accessToken()
                return nil
            } catch {
                return PushJob.oneLine(error)
            }
        }
        if let outcome {
            report.problem("push: Catchpoint \(catchpoint.baseURL): \(outcome)")
        } else {
            report.ok("push: Catchpoint \(catchpoint.baseURL) issued a token for the configured client id; \(catchpoint.testIDs.count) test(s) to push")
        }
    }

    /// One request: a line saying whether it was answered well. `anyAnswer`: every HTTP status
    /// but 401 and 403 counts as reachable (an OpenTSDB-compatible receiver may not have the path).
    static func probe(_ request: HTTPTransportRequest, what: String, anyAnswer: Bool = false) -> (ok: Bool, line: String) {
        let transport = AsyncHTTPClientTransport.bridgeDefault
        let outcome = blocking { () -> (status: Int?, failure: String?) in
            do {
                return (try await transport.send(request).status, nil)
            } catch {
                return (nil, PushJob.oneLine(error))
            }
        }
        guard let status = outcome.status else {
            return (false, "cannot reach \(what): \(outcome.failure ?? "no answer")")
        }
        if status == 401 || status == 403 { return (false, "\(what) refused the credentials (HTTP \(status))") }
        if (200..<300).contains(status) || anyAnswer { return (true, "\(what) answered HTTP \(status)") }
        return (false, "\(what) answered HTTP \(status)")
    }

    static func checkCacheDirectory(_ configuration: Configuration, into report: inout Report) {
        let directory = ServicesFactory.cacheDirectory(configuration)
        do {
            // Creates it (0700) if missing, and refuses one that is a symbolic link, is not owned
            // by this user or is writable by group or others: the same check every CGI run makes.
            _ = try FileCache(directory: directory)
        } catch let error as CacheDirectoryError {
            report.problem("\(error)")
            return
        } catch {
            report.problem("cache directory \(directory) cannot be created: \(error)")
            return
        }
        let probe = "\(directory)/.uptime-bridge-check-\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            report.problem("cache directory \(directory) is not writable (\(String(cString: strerror(errno))))")
            return
        }
        close(fd)
        unlink(probe)
        report.ok("cache directory \(directory) is writable, owned by this user and private")
    }

    /// The files as the CGI user meets them (``CGIUserAccess``): the config file, every secret file,
    /// the Statuspage services file, and the cache directory (or, missing, the right to create it).
    static func checkAsCGIUser(_ user: String, _ configuration: Configuration, into report: inout Report) {
        guard let access = CGIUserAccess(user: user) else {
            report.problem("--as-cgi: there is no user \(user) on this host")
            return
        }
        let who = "as \(user) (uid \(access.uid))"
        var files: [(what: String, path: String)] = []
        if let path = configuration.path { files.append(("configuration file", path)) }
        for (key, path) in configuration.secretFiles.sorted(by: { $0.key < $1.key }) { files.append(("\(key) file", path)) }
        if let path = configuration.string(.statuspageServices), !path.isEmpty { files.append(("statuspage.services_file", path)) }
        let workingDirectory = getcwd(nil, 0).map { pointer in
            defer { free(pointer) }
            return String(cString: pointer)
        } ?? "/"
        for file in files {
            // A relative path is relative to this shell's directory; the CGI program's differs.
            let path = file.path.hasPrefix("/") ? file.path : workingDirectory + "/" + file.path
            if let obstacle = access.check(path, [.read]) {
                report.problem("\(who): \(file.what) \(file.path) is not readable: \(obstacle)")
            } else {
                report.ok("\(who): \(file.what) \(file.path) is readable")
            }
        }

        let configured = configuration.string(.cacheDirectory) ?? ""
        let directory = configured.isEmpty ? "/tmp/uptime-bridge-cache-\(access.uid)" : configured
        if let info = CGIUserAccess.status(directory) {
            let mode = info.st_mode
            if (mode & S_IFMT) != S_IFDIR {
                report.problem("\(who): cache directory \(directory) is not a directory")
            } else if info.st_uid != access.uid {
                report.problem(
                    "\(who): cache directory \(directory) belongs to \(CGIUserAccess.describe(info)), not to \(user): "
                        + "the bridge refuses it. Remove it and let the first request create it"
                )
            } else if mode & 0o022 != 0 {
                report.problem("\(who): cache directory \(directory) is writable by group or others (\(CGIUserAccess.describe(info))): the bridge refuses it")
            } else if let obstacle = access.check(directory, [.write, .search]) {
                report.problem("\(who): cache directory \(directory) is not usable: \(obstacle): nothing would be cached")
            } else {
                report.ok("\(who): cache directory \(directory) is \(user)'s and writable")
            }
        } else {
            let parent = directory.split(separator: "/").dropLast().reduce("") { $0 + "/" + $1 }
            if let obstacle = access.check(parent.isEmpty ? "/" : parent, [.write, .search]) {
                report.problem("\(who): cache directory \(directory) is missing and cannot be created: \(obstacle)")
            } else {
                report.ok("\(who): cache directory \(directory) will be created by the first request (mode 0700, \(user)'s)")
            }
        }
        if configured.isEmpty {
            report.problem("\(who): cache directory \(directory) is under /tmp, where any account can create it first: set cache.directory")
        }
    }

    /// Runs async work from this synchronous command.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var value: T?
}
