/// The config files of the Catchpoint → OpenTSDB job uptime-bridge replaces
/// (`pavan485/python-opentsDB`: `config/config_catchpoint.yaml` and `config/config_opents.yaml`),
/// read as they are, so that a migrating user points the bridge at them instead of rewriting
/// them (`catchpoint.job_config`, `push.job_opentsdb_config`).
///
/// `config_catchpoint.yaml`:
///
/// ```yaml
/// client_id :  'key'
/// client_secret : 'secret'
/// refresh_token : 'None'
/// protocol : 'https'
/// domain : 'io.catchpoint.com/ui/api'
/// token_endpoint: 'token'
/// version : 'v1'
/// rawdata_endpoint : 'performance/raw?tests'
/// test_ids: { web : ['142613'], api : ['142637'], dns : [], ... }
/// batch_size : 10
/// log_file : 'app.log'
/// log_level : 'debug'
/// ```
///
/// What is used: the credentials; `protocol` and `domain` as the API's address (the part before
/// `/ui/api`); `test_ids` by test type, in file order — the job sends one type's tests per request,
/// `batch_size` at a time, and so does the bridge (never more than Catchpoint's 50). The endpoint
/// names must be the job's own (the bridge speaks only those); `refresh_token`, `log_file` and
/// `log_level` are the job's own business and ignored. `config_opents.yaml` gives `tsdb_host` (with
/// its scheme) and `tsdb_port`.
public struct CatchpointJobConfig: Sendable, Equatable {
    /// One `test_ids` entry: a test type and its tests.
    public struct TestGroup: Sendable, Equatable {
        public var type: String
        public var testIDs: [Int]
    }

    public var clientID: String
    public var clientSecret: String
    /// `protocol://domain` without the trailing `/ui/api`.
    public var apiURL: String
    /// In file order; a test listed under two types is kept in the first only.
    public var groups: [TestGroup]
    /// Tests per raw request (the job's `batch_size`), when set.
    public var batchSize: Int?

    /// The test types the job's README lists (others are accepted as written).
    public static let documentedTypes = ["web", "traceroute", "api", "transaction", "dns", "smtp", "websocket", "ping"]

    public var testCount: Int { groups.reduce(0) { $0 + $1.testIDs.count } }

    /// A one-line account of what was read, without the secrets (for `uptime-bridge check`).
    public var summary: String {
        let types = groups.filter { !$0.testIDs.isEmpty }.map { "\($0.type) \($0.testIDs.count)" }
        return "API \(apiURL), \(testCount) test(s) (\(types.joined(separator: ", ")))"
            + (batchSize.map { ", \($0) per request" } ?? "")
    }

    public static func parse(_ text: String) throws(JobConfigError) -> CatchpointJobConfig {
        let root = try JobConfigError.mapping(text, file: "config_catchpoint.yaml")
        func scalar(_ key: String) throws(JobConfigError) -> String? { try JobConfigError.scalar(key, in: root) }
        guard let clientID = try scalar("client_id"), !clientID.isEmpty else { throw JobConfigError("client_id is missing") }
        guard let clientSecret = try scalar("client_secret"), !clientSecret.isEmpty else {
            throw JobConfigError("client_secret is missing")
        }
        let scheme = (try scalar("protocol") ?? "https").lowercased()
        guard scheme == "https" || scheme == "http" else { throw JobConfigError("protocol must be https or http, not \(scheme)") }
        var domain = try scalar("domain") ?? "io.catchpoint.com/ui/api"
        while domain.hasSuffix("/") { domain.removeLast() }
        guard domain.hasSuffix("/ui/api"), domain.count > "/ui/api".count else {
            throw JobConfigError("domain must be a host followed by /ui/api, as in io.catchpoint.com/ui/api")
        }
        domain.removeLast("/ui/api".count)
        for (key, expected) in [("version", "v1"), ("token_endpoint", "token"), ("rawdata_endpoint", "performance/raw?tests")] {
            if let value = try scalar(key), value != expected {
                throw JobConfigError("\(key) is \(value); uptime-bridge speaks the job's \(expected) only")
            }
        }
        var batchSize: Int?
        if let text = try scalar("batch_size") {
            guard let number = Int(text), number > 0 else { throw JobConfigError("batch_size must be a positive number") }
            batchSize = min(number, 50)
        }

        var groups: [TestGroup] = []
        var seen = Set<Int>()
        switch root.first(where: { $0.key == "test_ids" })?.value {
        case nil, .null?:
            break
        case .mapping(let types)?:
            for pair in types {
                var ids: [Int] = []
                switch pair.value {
                case .null: break
                case .sequence(let items):
                    for item in items {
                        guard case .scalar(let text) = item, let id = Int(text), id > 0 else {
                            throw JobConfigError("test_ids.\(pair.key) holds something that is not a test id")
                        }
                        if seen.insert(id).inserted { ids.append(id) }
                    }
                default:
                    throw JobConfigError("test_ids.\(pair.key) must be a list of test ids")
                }
                groups.append(TestGroup(type: pair.key, testIDs: ids))
            }
        default:
            throw JobConfigError("test_ids must be a dictionary of lists by test type (web, api, dns, …)")
        }
        guard !seen.isEmpty else { throw JobConfigError("test_ids lists no test") }
        return CatchpointJobConfig(
            clientID: clientID,
            clientSecret: clientSecret,
            apiURL: "\(scheme)://\(domain)",
            groups: groups,
            batchSize: batchSize
        )
    }
}

/// The replaced job's `config_opents.yaml`: `tsdb_host` (with its scheme, default
/// `http://localhost`) and `tsdb_port` (default 4242), as its `utils.py` joins them.
public struct OpenTSDBJobConfig: Sendable, Equatable {
    /// `tsdb_host:tsdb_port`.
    public var url: String

    public static func parse(_ text: String) throws(JobConfigError) -> OpenTSDBJobConfig {
        let root = try JobConfigError.mapping(text, file: "config_opents.yaml")
        func scalar(_ key: String) throws(JobConfigError) -> String? { try JobConfigError.scalar(key, in: root) }
        var host = try scalar("tsdb_host") ?? "http://localhost"
        while host.hasSuffix("/") { host.removeLast() }
        guard host.hasPrefix("http://") || host.hasPrefix("https://") else {
            throw JobConfigError("tsdb_host must start with http:// or https://")
        }
        let portText = try scalar("tsdb_port") ?? "4242"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw JobConfigError("tsdb_port must be a port number")
        }
        return OpenTSDBJobConfig(url: "\(host):\(port)")
    }
}

/// Why a job config file cannot be used. Never quotes the file (it holds the API secret).
public struct JobConfigError: Error, CustomStringConvertible, Sendable {
    public var description: String

    init(_ description: String) { self.description = description }

    /// The text of `key` in `root`: nil when absent or empty, an error when it is a list or mapping.
    static func scalar(_ key: String, in root: [YAMLNode.Pair]) throws(JobConfigError) -> String? {
        guard let node = root.first(where: { $0.key == key })?.value else { return nil }
        switch node {
        case .null: return nil
        case .scalar(let text): return text
        default: throw JobConfigError("\(key) must be a single value")
        }
    }

    /// The file's top-level mapping.
    static func mapping(_ text: String, file: String) throws(JobConfigError) -> [YAMLNode.Pair] {
        let node: YAMLNode?
        do {
            node = try YAMLNode.parse(text)
        } catch {
            throw JobConfigError("\(file) is not valid YAML: \(error)")
        }
        guard case .mapping(let pairs)? = node else { throw JobConfigError("\(file) must be a mapping of settings") }
        return pairs
    }
}
