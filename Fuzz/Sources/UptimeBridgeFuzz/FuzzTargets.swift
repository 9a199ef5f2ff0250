// The fuzz targets: one per parser or decoder that reads bytes from outside the process (web
// server parameters, request bodies, upstream answers, files). Each ignores thrown errors and
// fails only by crashing.
//
// `@testable import` reaches the internal parsers (debug builds of the root package are compiled
// with testability, as for its unit tests).

@testable import BetterStack
@testable import BridgeConfiguration
@testable import Catchpoint
@testable import FastCGIRuntime
@testable import Functions
@testable import OpenTSDB
@testable import Push
@testable import Statuspage
@testable import TTLCache

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

struct NamedFuzzTarget: Sendable {
    var name: String
    var run: FuzzTarget
}

enum FuzzTargets {
    static let all: [NamedFuzzTarget] = [
        NamedFuzzTarget(name: "gateway", run: gateway),
        NamedFuzzTarget(name: "query-string", run: queryString),
        NamedFuzzTarget(name: "grafana-query", run: grafanaQuery),
        NamedFuzzTarget(name: "target", run: target),
        NamedFuzzTarget(name: "time", run: time),
        NamedFuzzTarget(name: "config", run: config),
        NamedFuzzTarget(name: "services-json", run: servicesJSON),
        NamedFuzzTarget(name: "checkpoint", run: checkpoint),
        NamedFuzzTarget(name: "betterstack", run: betterStack),
        NamedFuzzTarget(name: "statuspage", run: statuspage),
        NamedFuzzTarget(name: "catchpoint", run: catchpoint),
        NamedFuzzTarget(name: "opentsdb", run: openTSDB),
        NamedFuzzTarget(name: "file-cache", run: fileCache),
        NamedFuzzTarget(name: "betterstack-strict", run: betterStackStrict),
    ]

    /// One-time set-up before the first input (the checkpoint target's scratch file).
    static func prepare() {
        _ = scratchPath
    }

    // MARK: - Helpers

    static func text(_ bytes: UnsafeRawBufferPointer) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Fixed settings, so a run depends only on its input.
    static let settings = BridgeSettings(version: "fuzz", debugRoutes: false, nodeName: "fuzz", maxDataPointsLimit: 100_000)

    /// Every string in a JSON tree, at most `limit` of them (object keys included).
    static func strings(in value: JSONValue, limit: Int = 64) -> [String] {
        var found: [String] = []
        var stack = [value]
        while let next = stack.popLast(), found.count < limit {
            switch next {
            case .string(let s): found.append(s)
            case .array(let items): stack.append(contentsOf: items)
            case .object(let members):
                for (key, member) in members {
                    found.append(key)
                    stack.append(member)
                }
            default: break
            }
        }
        return Array(found.prefix(limit))
    }

    // MARK: - 1. gateway: FastCGI/CGI parameters → GatewayRequest

    /// Input: `NAME=value` lines (LF-separated). Two pseudo-variables steer the options:
    /// `FUZZ_CGI` (present: CGI mode) and `FUZZ_BASE` (the base path; default `/uptime`).
    static let gateway: FuzzTarget = { bytes in
        var environment: [String: String] = [:]
        var viaEntry: [String: String] = [:]
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            // CGIEnvironmentEntry reads C strings, as libfcgi and `environ` hand them over.
            var cString = Array(line).map { CChar(bitPattern: $0) }
            cString.append(0)
            cString.withUnsafeBufferPointer { CGIEnvironmentEntry.parse($0.baseAddress!, into: &viaEntry) }
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: line[line.startIndex..<equals], as: UTF8.self)
            let value = String(decoding: line[line.index(after: equals)...], as: UTF8.self)
            environment[name] = value
        }
        let options = GatewayOptions(
            basePath: environment["FUZZ_BASE"] ?? "/uptime",
            maxBodyBytes: 1 << 20,
            maxQueryBytes: 8192
        )
        let isCGI = environment["FUZZ_CGI"] != nil
        for env in [environment, viaEntry] {
            guard let parsed = try? GatewayRequest.parse(environment: env, options: options, isCGI: isCGI) else { continue }
            let request = parsed.request
            _ = request.queryValues("target")
            // What every function reads first: the credentials and the time range.
            _ = accessPolicy.allows(request)
            _ = try? TimeParameter.range(of: request)
        }
    }

    /// Bearer token and basic auth both configured, so both header forms are compared.
    static let accessPolicy = AccessPolicy(bearerToken: "t0ken", basicUser: "grafana", basicPassword: "secret")

    // MARK: - 2. query-string

    static let queryString: FuzzTarget = { bytes in
        let raw = text(bytes)
        let items = QueryString.parse(raw)
        for item in items.prefix(16) { _ = item.description }
        _ = QueryString.parse(raw[...])
        _ = QueryString.decodePath(raw)
        _ = QueryString.decode(Array(bytes))
        if let question = raw.firstIndex(of: "?") {
            _ = QueryString.decodePath(raw[..<question])
        }
    }

    // MARK: - 3. grafana-query: /query and /annotations bodies

    static let grafanaQuery: FuzzTarget = { bytes in
        guard let body = try? JSONValue.parse(Array(bytes)) else { return }
        _ = try? QueryRequest.parse(body, settings: settings)
        _ = try? QueryRequest.parse(body, settings: settings, requireTargets: false)
        _ = try? QueryRequest.range(body)
        for string in strings(in: body) {
            _ = try? Target.parse(string)
            _ = TimeParameter.milliseconds(string)
        }
    }

    // MARK: - 4. target

    static let target: FuzzTarget = { bytes in
        guard let parsed = try? Target.parse(text(bytes)) else { return }
        _ = parsed.text
        if checkRoundTrips {
            let again = try? Target.parse(parsed.text)
            if again != parsed {
                fatalError("Target.parse(text) does not read back: \(parsed) -> \(parsed.text) -> \(String(describing: again))")
            }
        }
    }

    /// FUZZ_ROUNDTRIP=1 also checks that a parsed Target's canonical text reads back the same
    /// (off by default: a mismatch is not a crash of a parser, but a correctness finding).
    static let checkRoundTrips = getenv("FUZZ_ROUNDTRIP").map { String(cString: $0) == "1" } ?? false

    // MARK: - 5. time

    static let time: FuzzTarget = { bytes in
        let string = text(bytes)
        var results: [Int64] = []
        switch TimeParameter.parse(string) {
        case .success(let ms): results.append(ms)
        case .failure(let problem): _ = TimeParameter.error(problem, name: "from", text: string)
        }
        if let ms = ISO8601Timestamp.parseMilliseconds(string) { results.append(ms) }
        if let ms = bytes.withMemoryRebound(to: UInt8.self, { ISO8601Timestamp.parseMilliseconds(utf8: $0) }) {
            results.append(ms)
        }
        if let day = UTCDay(string) {
            _ = day.description
            _ = day.adding(days: 1).startMilliseconds
        }
        if let ms = RunTime.milliseconds(string) { results.append(ms) }
        _ = RetryAfter.parse(string, nowMilliseconds: 1_767_225_600_000)
        if let ms = RetryAfter.parseHTTPDateMilliseconds(string) { results.append(ms) }
        // What the callers do with a parsed time: format it back, take its UTC day.
        for ms in results {
            _ = ISO8601Timestamp.format(milliseconds: ms)
            _ = ISO8601Timestamp.formatDay(milliseconds: ms)
            _ = UTCDay(epochMilliseconds: ms).description
        }
    }

    // MARK: - 6. config: the YAML config file

    static let config: FuzzTarget = { bytes in
        let yaml = text(bytes)
        // The parser on its own, then the whole loader with the file read replaced by the input.
        _ = try? YAMLNode.parse(yaml)
        // The replaced Catchpoint job's own files and an Errors DSN are read from outside too.
        _ = (try? CatchpointJobConfig.parse(yaml))?.summary
        _ = try? OpenTSDBJobConfig.parse(yaml)
        _ = try? ErrorsDSN(parsing: yaml)
        let configuration = Configuration.load(
            path: "/fuzz/config.yaml",
            environment: [:],
            readFile: { _ in yaml },
            fileExists: { _ in false }
        )
        for key in ConfigKey.all {
            switch key.kind {
            case .string: _ = configuration.string(key)
            case .integer: _ = configuration.int(key)
            case .number: _ = configuration.double(key)
            case .boolean: _ = configuration.bool(key)
            case .secret: _ = configuration.secret(key)
            case .list: _ = configuration.list(key)
            case .map: _ = configuration.map(key)
            }
            _ = configuration.source(key)
        }
    }

    // MARK: - 7. services-json: Statuspage services.json

    static let servicesJSON: FuzzTarget = { bytes in
        _ = try? TopLevelKeyOrder.keys(of: Array(bytes))
        guard let services = try? StatuspageServicesFile.parse(Array(bytes)) else { return }
        for service in services.prefix(16) {
            _ = service.summaryURL
            _ = service.pageBaseURL
        }
    }

    // MARK: - 8. checkpoint: the push job's checkpoint file

    /// The load path reads a file, so each input is written to one scratch file first (on
    /// /dev/shm when there is one).
    static let scratchPath: String = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        return "\(base)/uptime-bridge-fuzz-checkpoint-\(getpid()).json"
    }()

    static let checkpoint: FuzzTarget = { bytes in
        let path = scratchPath
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(path): errno \(errno)") }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            guard written > 0 else { break }
            offset += written
        }
        close(fd)
        let file = CheckpointFile(path: path)
        guard let loaded = try? file.load() else { return }
        // A checkpoint that loads must survive being written and read again unchanged.
        guard let rendered = try? CheckpointFile.render(loaded, now: 1_767_225_600_000) else {
            fatalError("a loaded checkpoint does not render")
        }
        let fd2 = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd2 >= 0 else { fatalError("cannot write \(path): errno \(errno)") }
        _ = rendered.withUnsafeBytes { write(fd2, $0.baseAddress, $0.count) }
        close(fd2)
        guard let reloaded = try? file.load(), reloaded == loaded else {
            fatalError("a checkpoint does not read back as written")
        }
        var copy = loaded
        copy.prune(before: 1_700_000_000_000)
    }

    // MARK: - 14. betterstack-strict: the strict reader answers only what JSONDecoder answers

    /// Differential: whenever ``ResponseTimes/decodeDocument(strict:)`` decodes a document,
    /// `JSONDecoder` must decode it too, to the same value (the strict path may refuse more, never
    /// answer differently).
    static let betterStackStrict: FuzzTarget = { bytes in
        let body = Array(bytes)
        guard let strict = ResponseTimes.decodeDocument(strict: body) else { return }
        guard let slow = try? JSONDecoder().decode(ResourceDocument<ResponseTimes>.self, from: Data(body)).data else {
            fatalError("the strict reader decoded what JSONDecoder refuses: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        guard strict == slow else {
            fatalError("the strict reader and JSONDecoder differ: \(strict) vs \(slow)")
        }
    }

    // MARK: - 9. betterstack: every Better Stack response decoder

    static func decodeAndTouch<T: Decodable & Sendable>(_ type: T.Type, _ data: Data, _ touch: (T) -> Void = { _ in }) {
        do {
            touch(try JSONDecoder().decode(T.self, from: data))
        } catch {
            // What the client logs for an undecodable body.
            _ = RequestExecutor.describe(decodingError: error, body: Array(data))
        }
    }

    static let betterStack: FuzzTarget = { bytes in
        let data = Data(bytes)
        let encoder = JSONEncoder()
        decodeAndTouch(ListDocument<Monitor>.self, data) { page in
            _ = page.pagination
            for monitor in page.data.prefix(4) { _ = try? encoder.encode(monitor) }
        }
        decodeAndTouch(ResourceDocument<Monitor>.self, data) { _ = try? encoder.encode($0.data) }
        decodeAndTouch(ResourceDocument<ResponseTimes>.self, data) { document in
            _ = try? encoder.encode(document.data)
            _ = document.data.region("us")
        }
        decodeAndTouch(ResourceDocument<MonitorSLA>.self, data) { _ = try? encoder.encode($0.data) }
        decodeAndTouch(ListDocument<Incident>.self, data) { page in
            for incident in page.data.prefix(4) {
                _ = incident.metadataText
                _ = incident.isOpen
                _ = try? encoder.encode(incident)
            }
        }
        decodeAndTouch(ListDocument<Heartbeat>.self, data) { page in
            for heartbeat in page.data.prefix(4) {
                _ = heartbeat.description
                _ = try? encoder.encode(heartbeat)
            }
        }
        decodeAndTouch(ResourceDocument<HeartbeatAvailability>.self, data) { _ = try? encoder.encode($0.data) }
        decodeAndTouch(ListDocument<StatusPage>.self, data) { page in
            for statusPage in page.data.prefix(4) { _ = try? encoder.encode(statusPage) }
        }
        decodeAndTouch(ListDocument<StatusPageResource>.self, data) { page in
            for resource in page.data.prefix(4) { _ = try? encoder.encode(resource) }
        }
        // Error bodies (401/404/400/422 answers).
        _ = UpstreamErrorBody.parse(Array(bytes))
    }

    // MARK: - 10. statuspage: Statuspage v2 answers

    static let fixedNow = Date(timeIntervalSince1970: 1_767_225_600)

    static let statuspage: FuzzTarget = { bytes in
        let array = Array(bytes)
        if let summary = try? StatuspageSummary(json: array) {
            // The decoded summary goes straight into the exporter's families.
            let observation = StatuspageObservation(
                service: StatuspageService(key: "fuzz", name: "Fuzz", url: "https://status.example.com"),
                probe: .success(summary, url: "https://status.example.com/api/v2/summary.json", responseTimeSeconds: 0.25)
            )
            _ = StatuspageExporter.renderOnce([observation], now: { fixedNow })
        }
        _ = try? StatuspageStatusResponse(json: array)
        _ = try? StatuspageComponentsResponse(json: array)
        _ = try? StatuspageIncidentsResponse(json: array)
        _ = try? StatuspageScheduledMaintenancesResponse(json: array)
    }

    // MARK: - 11. catchpoint: raw performance and token answers

    static let catchpoint: FuzzTarget = { bytes in
        let data = Data(bytes)
        if let raw = try? JSONDecoder().decode(RawPerformance.self, from: data) {
            _ = raw.hasData
            _ = raw.dataPoints(precision: .seconds)
            _ = raw.dataPoints(precision: .milliseconds)
        }
        if let token = try? JSONDecoder().decode(TokenResponse.self, from: data) {
            _ = AccessToken(
                value: Secret(token.accessToken),
                lifetimeSeconds: max(1, token.expiresIn ?? 900),
                receivedAt: ContinuousClock.now
            ).isUsable(at: ContinuousClock.now, margin: .seconds(60))
        }
        if let message = UpstreamMessage.parse(Array(bytes)) {
            _ = UpstreamMessage.saysExpired(message)
            _ = UpstreamMessage.saysInvalidToken(message)
        }
    }

    // MARK: - 12. opentsdb: a receiver's answer to /api/put?details

    static let openTSDB: FuzzTarget = { bytes in
        guard let details = PutDetails.parse(Array(bytes)) else { return }
        let point = DataPoint(metric: "catchpoint.testdata.DNS.ms", timestamp: 1_643_363_710, value: 1, tags: ["TestId": "1"])
        for error in details.errors.prefix(8) {
            _ = error.datapoint?.names(point)
        }
    }

    // MARK: - 13. file-cache: a compact file-cache record (a monitor's response times)

    /// The records are written by the bridge into its own 0700 directory, but a truncated, foreign
    /// or older file must read as a miss: the whole entry decoder, and the value alone; what
    /// decodes must write back, and read back, to the same bytes.
    static let fileCache: FuzzTarget = { bytes in
        let input = Array(bytes)
        _ = FileCache.decode(input, as: ResponseTimes.self)
        var reader = CompactReader(input)
        guard let value = ResponseTimes(compact: &reader) else { return }
        var writer = CompactWriter()
        value.writeCompact(to: &writer)
        // Compared as bytes: a NaN read back is never == itself, its bits are.
        var again = CompactReader(writer.bytes)
        guard let reread = ResponseTimes(compact: &again) else { preconditionFailure("a written record did not read back") }
        var rewriter = CompactWriter()
        reread.writeCompact(to: &rewriter)
        precondition(rewriter.bytes == writer.bytes, "a compact record did not read back to the same bytes")
    }
}
