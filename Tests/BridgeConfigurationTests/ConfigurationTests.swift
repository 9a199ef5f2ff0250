@testable import BridgeConfiguration
import Testing
#if canImport(Glibc)
import Glibc
#endif

struct ConfigurationTests {
    func load(_ yaml: String?, env: [String: String] = [:], files: [String: String] = [:]) -> Configuration {
        var all = files
        if let yaml { all["/etc/ub.yaml"] = yaml }
        return Configuration.load(
            path: yaml == nil ? nil : "/etc/ub.yaml",
            environment: env,
            readFile: { path in
                guard let text = all[path] else { throw FileReadError(path: path, code: ENOENT) }
                return text
            },
            fileExists: { all[$0] != nil }
        )
    }

    struct NotFound: Error {}

    @Test("Command-line options are keys of their own: above the environment and the file, checked alike")
    func commandLineOverrides() {
        let files = ["/etc/ub.yaml": "server:\n  workers: 2\n  threads: 8\n"]
        let read: (String) throws -> String = { path in
            guard let text = files[path] else { throw FileReadError(path: path, code: ENOENT) }
            return text
        }
        let configuration = Configuration.load(
            path: "/etc/ub.yaml",
            environment: ["UPTIME_BRIDGE_WORKERS": "3"],
            overrides: [.serverWorkers: "0", .serverSocket: "127.0.0.1:9000"],
            readFile: read,
            fileExists: { files[$0] != nil }
        )
        #expect(configuration.problems.isEmpty)
        #expect(configuration.int(.serverWorkers) == 0)
        #expect(configuration.source(.serverWorkers) == "command line")
        #expect(configuration.string(.serverSocket) == "127.0.0.1:9000")
        #expect(configuration.int(.serverThreads) == 8 && configuration.source(.serverThreads) == "config file")
        let bad = Configuration.load(
            path: nil, environment: [:], overrides: [.serverWorkers: "many"], readFile: read, fileExists: { _ in false })
        #expect(bad.problems.contains { $0.hasPrefix("server.workers:") && $0.hasSuffix("(from command line)") }, "\(bad.problems)")
    }

    @Test func readsNestedSectionsWithDefaults() {
        let config = load(
            """
            server:
              base_path: /uptime
              threads: 8
            access:
              monitors: [200001, "https://example.com/"]
            statuspage:
              pages:
                Example Cloud: https://status.example.com
            """
        )
        #expect(config.problems.isEmpty)
        #expect(config.string(.serverBasePath) == "/uptime")
        #expect(config.int(.serverThreads) == 8)
        #expect(config.int(.serverMaxInFlight) == 512)
        #expect(config.list(.accessMonitors) == ["200001", "https://example.com/"])
        #expect(config.map(.statuspagePages) == ["Example Cloud": "https://status.example.com"])
        #expect(config.source(.serverThreads) == "config file")
        #expect(config.source(.serverMaxInFlight) == "default")
    }

    @Test func environmentOverridesTheFile() {
        let config = load("server:\n  threads: 8\n", env: ["UPTIME_BRIDGE_THREADS": "2", "UPTIME_BRIDGE_ALLOWED_MONITORS": "a, b"])
        #expect(config.int(.serverThreads) == 2)
        #expect(config.source(.serverThreads) == "env UPTIME_BRIDGE_THREADS")
        #expect(config.list(.accessMonitors) == ["a", "b"])
    }

    /// Better Stack's integration guide names the free tier's variables; each is an alias of the
    /// bridge's own key, and the bridge's own name wins when both are set.
    @Test func theIntegrationGuidesVariableNamesAreAliases() {
        let guide = load(
            nil,
            env: [
                "BETTERSTACK_UPTIME_HEARTBEAT_URL": "https://uptime.betterstack.com/api/v1/heartbeat/abc",
                "BETTERSTACK_SOURCE_TOKEN": "source-token-1",
                "BETTERSTACK_INGEST_HOST": "s1234567.eu-nbg-2.betterstackdata.com",
            ]
        )
        #expect(guide.problems.isEmpty)
        #expect(guide.secret(.pushHeartbeat)?.reveal() == "https://uptime.betterstack.com/api/v1/heartbeat/abc")
        #expect(guide.source(.pushHeartbeat) == "env BETTERSTACK_UPTIME_HEARTBEAT_URL")
        #expect(guide.secret(.logsToken)?.reveal() == "source-token-1")
        #expect(guide.source(.logsToken) == "env BETTERSTACK_SOURCE_TOKEN")
        #expect(guide.string(.logsURL) == "s1234567.eu-nbg-2.betterstackdata.com")
        #expect(guide.source(.logsURL) == "env BETTERSTACK_INGEST_HOST")

        let both = load(nil, env: ["BETTERSTACK_SOURCE_TOKEN": "guide", "BETTERSTACK_LOGS_TOKEN": "own"])
        #expect(both.secret(.logsToken)?.reveal() == "own")
    }

    @Test func unknownKeysAreReportedWithASuggestion() {
        let config = load("server:\n  treads: 8\nbogus: 1\n")
        #expect(config.problems.contains("unknown key server.treads (did you mean server.threads?)"))
        #expect(config.problems.contains { $0.hasPrefix("unknown key bogus") })
    }

    @Test func wrongTypesAreReportedAndFallBackToDefaults() {
        let config = load("server:\n  threads: many\n  debug_routes: maybe\n")
        #expect(config.problems.count == 2)
        #expect(config.problems.allSatisfy { $0.contains("(from config file)") })
        #expect(config.int(.serverThreads) == 4)
    }

    @Test("a missing file and an unreadable one are told apart, without a raw error dump")
    func fileReadErrorsSayWhy() throws {
        let directory = "/tmp/ub-config-test-\(getpid())"
        mkdir(directory, 0o700)
        defer {
            unlink(directory + "/secret")
            rmdir(directory)
        }
        #expect(throws: FileReadError.self) { try Configuration.readFile(directory + "/absent") }
        #expect((try? Configuration.readFile(directory + "/absent")) == nil)
        do {
            _ = try Configuration.readFile(directory + "/absent")
        } catch {
            #expect("\(error)" == "does not exist")
        }
        do {
            _ = try Configuration.readFile(directory)
        } catch {
            #expect("\(error)" == "is a directory, not a file")
        }
        #expect(FileReadError(path: "/x", code: EACCES).description.hasPrefix("is not readable by this process (uid "))
        let real = Configuration.load(path: directory + "/absent.yaml", environment: [:])
        #expect(real.problems == ["the config file \(directory)/absent.yaml does not exist"])
    }

    @Test func secretsComeFromValuesFilesOrEnvironmentAndAreNeverPrinted() {
        let fromFile = load("betterstack:\n  api_token_file: /run/secrets/bs\n", files: ["/run/secrets/bs": "s3cret-token\n"])
        #expect(fromFile.secret(.betterstackToken)?.reveal() == "s3cret-token")
        #expect(fromFile.source(.betterstackToken) == "file /run/secrets/bs")
        #expect("\(fromFile.secret(.betterstackToken)!)" == "<redacted>")
        let legacy = load(nil, env: ["BetterStack_API_TOKEN": "legacy-token"])
        #expect(legacy.secret(.betterstackToken)?.reveal() == "legacy-token")
        let envFile = load(nil, env: ["BETTERSTACK_API_TOKEN_FILE": "/t"], files: ["/t": "from-env-file"])
        #expect(envFile.secret(.betterstackToken)?.reveal() == "from-env-file")
        let missing = load("betterstack:\n  api_token_file: /nope\n")
        #expect(missing.secret(.betterstackToken) == nil)
        #expect(missing.problems == ["betterstack.api_token: the file /nope does not exist (from config file betterstack.api_token_file)"])
        let inline = load("betterstack:\n  api_token: inline-secret\n")
        #expect(!inline.problems.joined().contains("inline-secret"))
    }

    @Test func brokenYAMLAndMissingFilesAreProblemsNotCrashes() {
        #expect(!load("server: [unclosed\n").problems.isEmpty)
        let missing = Configuration.load(path: "/nonexistent.yaml", environment: [:], readFile: { _ in throw NotFound() })
        #expect(missing.problems.count == 1)
        #expect(load("- just\n- a list\n").problems.count == 1)
    }

    @Test func everyKeyIsDocumentedAndUnique() {
        #expect(Set(ConfigKey.all.map(\.key)).count == ConfigKey.all.count)
        #expect(ConfigKey.all.allSatisfy { !$0.help.isEmpty })
    }
}

import Foundation

struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theREADMEAndTheExampleConfigDocumentEveryKey() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        let example = try String(contentsOf: Self.root.appendingPathComponent("deploy/uptime-bridge.example.yaml"), encoding: .utf8)
        for key in ConfigKey.all {
            #expect(readme.contains("`\(key.key)`"), "docs/configuration.md lacks \(key.key)")
            let leaf = String(key.key.split(separator: ".").last!)
            #expect(example.contains(leaf), "example config lacks \(key.key)")
        }
    }

    @Test func theExampleConfigParsesWithoutProblems() throws {
        let path = Self.root.appendingPathComponent("deploy/uptime-bridge.example.yaml").path
        let configuration = Configuration.load(path: path, environment: [:], readFile: { p in
            p == path ? try Configuration.readFile(p) : "secret-from-file"
        })
        #expect(configuration.problems.isEmpty, "\(configuration.problems)")
        #expect(configuration.string(.serverBasePath) == "/uptime")
    }
}
