#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import UpstreamHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The resolved settings: defaults, then the config file, then the environment (command-line options
/// are applied by the executable on top). Loading never throws; every problem (unreadable file, YAML
/// error, unknown key, wrong type, unreadable secret file) is collected in ``problems`` with the key
/// and where the value came from — never a secret's value.
public struct Configuration: Sendable {
    public enum Value: Sendable, Equatable {
        case scalar(String)
        case list([String])
        case map([String: String])
    }

    struct Entry: Sendable {
        var value: Value
        var source: String
    }

    /// The config file read, if any.
    public let path: String?
    public private(set) var problems: [String] = []
    private var entries: [String: Entry] = [:]
    private var secrets: [String: (Secret, String)] = [:]
    /// Every file a secret was read from (or was to be read from and could not be), by key: what
    /// `check --as-cgi` tests for another user.
    public private(set) var secretFiles: [String: String] = [:]

    /// Where the config file is looked for: `UPTIME_BRIDGE_CONFIG`, else this path if it exists.
    public static let defaultPath = "/etc/uptime-bridge/config.yaml"

    public static func load(
        path explicitPath: String?,
        environment: [String: String],
        overrides: [ConfigKey: String] = [:],
        readFile: (String) throws -> String = Configuration.readFile,
        fileExists: (String) -> Bool = Configuration.fileExists
    ) -> Configuration {
        var path = explicitPath ?? environment["UPTIME_BRIDGE_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if path == nil, fileExists(defaultPath) { path = defaultPath }
        var configuration = Configuration(path: path)
        var fileValues: [String: Value] = [:]
        if let path {
            do {
                let text = try readFile(path)
                fileValues = try configuration.flatten(yaml: text)
            } catch let error as YAMLNode.SyntaxError {
                configuration.problems.append("\(path): not valid YAML: \(error)")
            } catch let problem as ConfigurationProblem {
                configuration.problems.append("\(path): \(problem.message)")
            } catch {
                configuration.problems.append("the config file \(path) \(error)")
            }
        }
        configuration.resolve(fileValues: fileValues, environment: environment, overrides: overrides, readFile: readFile)
        return configuration
    }

    // MARK: - Typed reads (values were validated at load; invalid ones fall back to the default)

    public func string(_ key: ConfigKey) -> String? {
        if case .scalar(let text)? = entries[key.key]?.value { return text }
        return key.defaultValue
    }

    public func int(_ key: ConfigKey) -> Int {
        string(key).flatMap { Int($0) } ?? key.defaultValue.flatMap { Int($0) } ?? 0
    }

    public func double(_ key: ConfigKey) -> Double {
        string(key).flatMap { Double($0) } ?? key.defaultValue.flatMap { Double($0) } ?? 0
    }

    public func bool(_ key: ConfigKey) -> Bool {
        string(key).flatMap(Configuration.parseBool) ?? key.defaultValue.flatMap(Configuration.parseBool) ?? false
    }

    public func list(_ key: ConfigKey) -> [String] {
        switch entries[key.key]?.value {
        case .list(let items)?: items
        case .scalar(let text)?: text.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        default: []
        }
    }

    public func map(_ key: ConfigKey) -> [String: String] {
        if case .map(let items)? = entries[key.key]?.value { return items }
        return [:]
    }

    public func secret(_ key: ConfigKey) -> Secret? {
        secrets[key.key]?.0
    }

    /// `config file`, `env NAME`, `file PATH` (secrets), `default`, or `unset`: for reports.
    public func source(_ key: ConfigKey) -> String {
        if let secret = secrets[key.key] { return secret.1 }
        if let entry = entries[key.key] { return entry.source }
        return key.defaultValue == nil ? "unset" : "default"
    }

    /// Whether any value for the key was given (file or environment).
    public func isSet(_ key: ConfigKey) -> Bool {
        entries[key.key] != nil || secrets[key.key] != nil
    }

    // MARK: - Loading

    struct ConfigurationProblem: Error {
        var message: String
    }

    private init(path: String?) {
        self.path = path
    }

    /// Flattens nested YAML mappings into dotted keys; reports unknown keys.
    private mutating func flatten(yaml: String) throws -> [String: Value] {
        guard let root = try YAMLNode.parse(yaml), root != .null else { return [:] }
        guard case .mapping(let sections) = root else {
            throw ConfigurationProblem(message: "the top level must be a mapping of sections (server:, betterstack:, …)")
        }
        var result: [String: Value] = [:]
        let known = Dictionary(ConfigKey.all.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        func walk(_ pairs: [YAMLNode.Pair], prefix: String) {
            for pair in pairs.sorted(by: { $0.key < $1.key }) {
                let key = prefix.isEmpty ? pair.key : prefix + "." + pair.key
                if let spec = known[key] {
                    switch (spec.kind, pair.value) {
                    case (.list, .sequence(let items)):
                        let texts = items.compactMap(\.text)
                        if texts.count == items.count {
                            result[key] = .list(texts)
                        } else {
                            problems.append("\(key): expected a list of single values")
                        }
                    case (.map, .mapping(let items)):
                        let texts = items.compactMap { item in item.value.text.map { (item.key, $0) } }
                        if texts.count == items.count {
                            result[key] = .map(Dictionary(texts, uniquingKeysWith: { a, _ in a }))
                        } else {
                            problems.append("\(key): expected a mapping of single values")
                        }
                    case (.list, .null), (.map, .null):
                        break  // `key:` with nothing after it: as if absent
                    case (.list, _), (.map, _):
                        problems.append("\(key): expected a \(spec.kind == .list ? "list" : "mapping")")
                    case (_, .sequence), (_, .mapping):
                        problems.append("\(key): expected a single value")
                    case (_, .null):
                        break  // `threads:` with no value: the default applies
                    case (_, .scalar(let text)):
                        result[key] = .scalar(text)
                    }
                } else if key.hasSuffix("_file"), let spec = known[String(key.dropLast(5))], spec.kind == .secret {
                    switch pair.value {
                    case .scalar(let text): result[key] = .scalar(text)
                    case .null: break
                    default: problems.append("\(key): expected a single value (a path)")
                    }
                } else if ConfigKey.all.contains(where: { $0.key.hasPrefix(key + ".") }) {
                    switch pair.value {
                    case .mapping(let nested): walk(nested, prefix: key)
                    case .null: break  // an empty section (only comments) is fine
                    default: problems.append("\(key): expected a section (a mapping of keys)")
                    }
                } else {
                    problems.append("unknown key \(key)" + Configuration.suggestion(for: key))
                }
            }
        }
        walk(sections, prefix: "")
        return result
    }

    /// Command-line options (`overrides`) win over the environment, which wins over the file.
    private mutating func resolve(
        fileValues: [String: Value],
        environment: [String: String],
        overrides: [ConfigKey: String],
        readFile: (String) throws -> String
    ) {
        for spec in ConfigKey.all {
            let env = spec.environment.first { !(environment[$0] ?? "").isEmpty }
            if spec.kind == .secret {
                resolveSecret(spec, fileValues: fileValues, environment: environment, readFile: readFile)
                continue
            }
            if let text = overrides[spec] {
                entries[spec.key] = Entry(value: .scalar(text.trimmed), source: "command line")
            } else if let env, let text = environment[env] {
                entries[spec.key] = Entry(value: .scalar(text.trimmed), source: "env \(env)")
            } else if let value = fileValues[spec.key] {
                entries[spec.key] = Entry(value: value, source: "config file")
            }
            if let entry = entries[spec.key], case .scalar(let text) = entry.value,
                let problem = Configuration.validate(text, as: spec.kind)
            {
                problems.append("\(spec.key): \(problem) (from \(entry.source))")
                entries[spec.key] = nil
            }
        }
    }

    private mutating func resolveSecret(
        _ spec: ConfigKey,
        fileValues: [String: Value],
        environment: [String: String],
        readFile: (String) throws -> String
    ) {
        func fromFile(_ path: String, source: String) {
            secretFiles[spec.key] = path
            do {
                let text = try readFile(path).trimmed
                guard !text.isEmpty else {
                    problems.append("\(spec.key): the file \(path) is empty (from \(source))")
                    return
                }
                secrets[spec.key] = (Secret(text), "file \(path)")
            } catch {
                problems.append("\(spec.key): the file \(path) \(error) (from \(source))")
            }
        }
        for name in spec.environment {
            if let value = environment[name], !value.trimmed.isEmpty {
                secrets[spec.key] = (Secret(value.trimmed), "env \(name)")
                return
            }
            if let path = environment[name + "_FILE"], !path.isEmpty {
                fromFile(path, source: "env \(name)_FILE")
                return
            }
        }
        if case .scalar(let value)? = fileValues[spec.key], !value.isEmpty {
            secrets[spec.key] = (Secret(value), "config file")
        } else if case .scalar(let path)? = fileValues[spec.key + "_file"], !path.isEmpty {
            fromFile(path, source: "config file \(spec.key)_file")
        }
    }

    static func validate(_ text: String, as kind: ConfigKey.Kind) -> String? {
        switch kind {
        case .integer(let range):
            guard let n = Int(text), range.contains(n) else {
                return "must be a whole number from \(range.lowerBound) to \(range.upperBound), got \"\(text.prefix(40))\""
            }
        case .number(let range):
            guard let n = Double(text), range.contains(n) else {
                return "must be a number from \(range.lowerBound) to \(range.upperBound), got \"\(text.prefix(40))\""
            }
        case .boolean:
            guard parseBool(text) != nil else { return "must be true or false, got \"\(text.prefix(40))\"" }
        default:
            break
        }
        return nil
    }

    static func parseBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off", "": false
        default: nil
        }
    }

    /// ` (did you mean server.threads?)` for near misses.
    static func suggestion(for key: String) -> String {
        let candidates = ConfigKey.all.map(\.key)
        let best = candidates.min { distance($0, key) < distance($1, key) }
        guard let best, distance(best, key) <= 3 else { return "" }
        return " (did you mean \(best)?)"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    /// The file's text; throws ``FileReadError``, which says precisely why (missing, not
    /// readable by this process's user, a directory) without a raw error dump.
    public static func readFile(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileReadError(path: path, code: errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { throw FileReadError(path: path, code: EISDIR) }
        // Config and secret files are small; a huge one is a mistake (or /dev/zero).
        do {
            return String(decoding: try readToEnd(fileDescriptor: fd, limit: 16 << 20), as: UTF8.self)
        } catch {
            throw FileReadError(path: path, code: error.code)
        }
    }

    public static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}

extension String {
    var trimmed: String {
        var text = Substring(self)
        while let c = text.first, c.isWhitespace { text.removeFirst() }
        while let c = text.last, c.isWhitespace { text.removeLast() }
        return String(text)
    }
}

extension YAMLNode {
    /// A scalar's text; `""` for a null item (`- ` or `key:`); nil for a list or mapping.
    var text: String? {
        switch self {
        case .scalar(let text): text
        case .null: ""
        case .sequence, .mapping: nil
        }
    }
}

/// Why a config or secret file could not be read, in words an operator acts on: it does not
/// exist, or this process's user may not read it (with the uid, since under CGI that is the
/// question: is the program running as the site user or as the web server?).
public struct FileReadError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let code: Int32

    public var description: String {
        switch code {
        case ENOENT: return "does not exist"
        case EACCES, EPERM:
            return "is not readable by this process (uid \(getuid()), gid \(getgid())): check its mode and owner"
        case EISDIR: return "is a directory, not a file"
        case ENOTDIR: return "has a path component that is not a directory"
        case EFBIG: return "is larger than 16 MiB"
        default: return "cannot be read (\(String(cString: strerror(code))))"
        }
    }
}
