import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The shared-hosting recipe (docs/shared-hosting.md), step by step, as a real unprivileged site user would
/// follow it, on both kinds of host: Apache running CGI programs as the web server's user
/// (`www-data`, no suEXEC), and Apache with Debian's suEXEC (`apache2-suexec-pristine`,
/// `SuexecUserGroup`) running them as the site user. The shell commands are the recipe's own code
/// blocks, read from that file and run as the site user; the uploads before them are what an FTP client leaves (owned by
/// the user, 0644 files). Needs root (it creates the user and starts Apache as root, as a host
/// does); `deploy/test.sh` runs as root in CI.
@Suite(.serialized, .enabled(if: getuid() == 0, "needs root: creates a site user, starts Apache as root"))
struct SharedHostingRecipeTests {
    enum HostKind: CustomStringConvertible {
        /// CGI programs run as www-data: docs/shared-hosting.md, "Hosts without suEXEC".
        case webServerUser
        /// CGI programs run as the site user through suEXEC: "Hosts that run CGI as you".
        case suexec
        var description: String { self == .suexec ? "suEXEC host" : "host without suEXEC" }
    }

    /// A site user's account under /var/www (suEXEC's compiled-in document root), its uploads, the
    /// recipe's commands run as that user, and an Apache for the host kind.
    final class Host: @unchecked Sendable {
        let kind: HostKind
        let user: String
        let home: String
        let apacheFiles: ScratchDirectory
        let port: Int
        private(set) var apache: ManagedProcess?
        var root: String { "http://127.0.0.1:\(port)" }
        var uptimeDirectory: String { home + "/uptime-bridge" }
        var cacheDirectory: String {
            kind == .suexec ? uptimeDirectory + "/cache" : uptimeDirectory + "/cachedir/cache"
        }

        init(kind: HostKind, sandboxURL: String, accessToken: String? = nil) async throws {
            self.kind = kind
            let letters = "abcdefghijklmnopqrstuvwxyz"
            user = "ubsite" + String((0..<6).map { _ in letters.randomElement()! })
            home = "/var/www/" + user
            apacheFiles = try ScratchDirectory("apache-recipe")
            port = try freePort()
            try shell("useradd --home-dir \(home) --no-create-home --shell /usr/sbin/nologin --user-group \(user)")
            do {
                try upload(sandboxURL: sandboxURL, accessToken: accessToken)
                try followReadme()
                try startApache()
            } catch {
                stop()
                throw error
            }
        }

        /// What the user uploads before the recipe's commands: the recipe's files with /home/USER
        /// replaced, the binary and the wrapper in an upload folder, all owned by the user with an
        /// FTP client's modes (0644 files, 0755 folders).
        private func upload(sandboxURL: String, accessToken: String?) throws {
            let fm = FileManager.default
            let recipe = Paths.root.appendingPathComponent("deploy/shared-hosting").path
            for folder in ["public_html/cgi-bin", "uptime-bridge", "upload/dist"] {
                try fm.createDirectory(atPath: home + "/" + folder, withIntermediateDirectories: true)
            }
            func copy(_ source: String, _ target: String, edit: (String) -> String = { $0 }) throws {
                let text = try String(contentsOfFile: recipe + "/" + source, encoding: .utf8)
                    .replacingOccurrences(of: "/home/USER", with: home)
                try edit(text).write(toFile: home + "/" + target, atomically: true, encoding: .utf8)
            }
            try copy("public_html/.htaccess", "public_html/.htaccess")
            try copy("public_html/cgi-bin/.htaccess", "public_html/cgi-bin/.htaccess")
            try copy("public_html/cgi-bin/whoami.cgi", "public_html/cgi-bin/whoami.cgi")
            try copy("uptime-bridge/uptime-bridge-wrapper.cgi", "upload/uptime-bridge-wrapper.cgi")
            try copy("uptime-bridge/config.yaml", "uptime-bridge/config.yaml") { [self] text in
                var text = text.replacingOccurrences(
                    of: "api_url: https://uptime.betterstack.com",
                    with: "api_url: \(sandboxURL)"
                )
                if kind == .webServerUser {
                    // The recipe: "config.yaml: cache.directory: /home/USER/uptime-bridge/cachedir/cache".
                    text = text.replacingOccurrences(
                        of: "directory: \(home)/uptime-bridge/cache\n",
                        with: "directory: \(home)/uptime-bridge/cachedir/cache\n"
                    )
                }
                if accessToken != nil {
                    text += "\naccess:\n  bearer_token_file: \(home)/uptime-bridge/access.token\n"
                }
                return text
            }
            try "sandbox-token\n".write(toFile: home + "/uptime-bridge/betterstack.token", atomically: true, encoding: .utf8)
            if let accessToken {
                try "\(accessToken)\n".write(toFile: home + "/uptime-bridge/access.token", atomically: true, encoding: .utf8)
            }
            let binary = kind == .suexec ? "upload/dist/uptime-bridge" : "public_html/cgi-bin/uptime-bridge.cgi"
            try fm.copyItem(atPath: try StaticBinary.get(), toPath: home + "/" + binary)
            try shell("chown -R \(user):\(user) \(home) && find \(home) -type d -exec chmod 0755 {} + && find \(home) -type f -exec chmod 0644 {} +")
            // Where the token files go, the recipe's chmod decides (they start at 0644 like any upload).
            chmod(home, 0o711)
            // "Upload deploy/shared-hosting/public_html/cgi-bin/whoami.cgi (mode 0755)".
            chmod(home + "/public_html/cgi-bin/whoami.cgi", 0o755)
        }

        /// The recipe's code block for this kind of host, run by the user in the upload folder.
        private func followReadme() throws {
            let block = try Self.readmeBlock(after: kind == .suexec ? "**Hosts that run CGI as you (suEXEC).**" : "**Hosts without suEXEC.**")
            let script = "set -eu\ncd \(home)/upload\n" + block
            let result = try capture(
                "/usr/sbin/runuser",
                ["-u", user, "--", "/usr/bin/env", "-i", "HOME=\(home)", "PATH=/usr/bin:/bin", "/bin/sh", "-c", script]
            )
            guard result.status == 0 else {
                throw HarnessError("the commands of docs/shared-hosting.md failed as \(user) (\(result.status)):\n\(block)\n\(result.output)")
            }
        }

        /// The first ```sh block after `marker` in docs/shared-hosting.md.
        static func readmeBlock(after marker: String) throws -> String {
            let readme = try String(contentsOf: Paths.root.appendingPathComponent("docs/shared-hosting.md"), encoding: .utf8)
            guard let start = readme.range(of: marker),
                let open = readme.range(of: "```sh\n", range: start.upperBound..<readme.endIndex),
                let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex)
            else { throw HarnessError("docs/shared-hosting.md has no sh block after \(marker)") }
            return String(readme[open.upperBound..<close.lowerBound])
        }

        private func startApache() throws {
            guard let apache2 = Paths.tool("apache2") else { throw HarnessError("apache2 is required (deploy/test.sh installs it)") }
            let modules = ApacheSiteConfig.modules
            let suexec =
                kind == .suexec
                ? "LoadModule suexec_module \(modules)/mod_suexec.so\nSuexecUserGroup \(user) \(user)\n" : ""
            try FileManager.default.createDirectory(atPath: apacheFiles.file("run"), withIntermediateDirectories: true)
            let config = ApacheSiteConfig.render(
                serverRoot: apacheFiles.path,
                port: port,
                webRoot: home + "/public_html",
                hostLines: suexec + "User www-data\nGroup www-data"
            )
            try config.write(toFile: apacheFiles.file("httpd.conf"), atomically: true, encoding: .utf8)
            apache = try ManagedProcess(
                "apache2",
                executable: apache2,
                arguments: ["-f", apacheFiles.file("httpd.conf"), "-DFOREGROUND"],
                logPath: apacheFiles.file("apache.out")
            )
        }

        func waitUntilUp() async throws {
            do {
                try await HTTP.waitUntilUp(root + "/", process: apache)
            } catch {
                throw HarnessError("\(error)\n\(errorLog)")
            }
        }

        var errorLog: String { (try? String(contentsOfFile: apacheFiles.file("error.log"), encoding: .utf8)) ?? "" }

        /// Runs a shell command as root (the test's own changes to the account).
        func shell(_ command: String) throws {
            let result = try capture("/bin/sh", ["-c", command])
            guard result.status == 0 else { throw HarnessError("\(command): \(result.output)") }
        }

        /// Runs `uptime-bridge check` as the site user, from its shell.
        func check(_ arguments: [String]) throws -> (status: Int32, output: String) {
            let binary = kind == .suexec ? uptimeDirectory + "/uptime-bridge" : home + "/public_html/cgi-bin/uptime-bridge.cgi"
            return try capture(
                "/usr/sbin/runuser",
                ["-u", user, "--", "/usr/bin/env", "-i", "HOME=\(home)", binary, "check", "--config", uptimeDirectory + "/config.yaml"]
                    + arguments
            )
        }

        func stop() {
            apache?.stop()
            _ = try? capture("/usr/sbin/userdel", [user])
            try? FileManager.default.removeItem(atPath: home)
            apacheFiles.cleanup()
        }
    }

    static func get(_ host: Host, _ path: String, headers: [(String, String)] = []) async throws -> HTTPAnswer {
        try await HTTP.send("GET", host.root + path, headers: headers)
    }

    /// Every function answers through the recipe, the second response-time request from the file
    /// cache; nothing of the setup can be downloaded.
    func everyEndpointAnswers(_ host: Host, sandbox: SharedHostingTests.Sandbox) async throws {
        let health = try await Self.get(host, "/uptime/")
        #expect(health.status == 200, "\(host.kind): \(health.body)\n\(host.errorLog)")
        #expect(health.object["status"] as? String == "ok")
        for path in [
            "/uptime", "/uptime/monitors", "/uptime/sla?url=https://example.com/", "/uptime/incidents",
            "/uptime/heartbeats", "/uptime/status_pages", "/uptime/metrics",
        ] {
            let answer = try await Self.get(host, path)
            #expect(answer.status == 200, "\(host.kind) \(path): \(answer.status) \(answer.body.prefix(300))\n\(host.errorLog)")
            #expect(answer.header("x-uptime-bridge-cache-problem") == nil, "\(host.kind) \(path)")
        }
        let now = Int(Date().timeIntervalSince1970 * 1000)
        let range = #"{"from":"\#(now - 3_600_000)","to":"\#(now)"}"#
        for (path, body) in [
            ("/uptime/search", #"{"target":""}"#),
            ("/uptime/query", #"{"range":\#(range),"targets":[{"target":"response_time","type":"timeserie"}]}"#),
            ("/uptime/annotations", #"{"range":\#(range),"annotation":{"name":"incidents","query":"incidents"}}"#),
        ] {
            let answer = try await HTTP.send("POST", host.root + path, body: Array(body.utf8), headers: [("Content-Type", "application/json")])
            #expect(answer.status == 200, "\(host.kind) \(path): \(answer.status) \(answer.body.prefix(300))\n\(host.errorLog)")
        }
        let url = "/uptime/response_time?url=https://example.com/"
        let first = try await Self.get(host, url)
        #expect(first.status == 200, "\(host.kind): \(first.body.prefix(300))\n\(host.errorLog)")
        let calls = try await sandbox.calls()
        let second = try await Self.get(host, url)
        #expect(second.header("x-uptime-bridge-cache") == "hit", "\(host.kind): \(second.headers)")
        #expect(second.body == first.body)
        #expect(try await sandbox.calls() == calls, "\(host.kind): the second request reached Better Stack")

        // The CGI's own URL runs it (JSON), never serves its bytes; the setup files are out of reach.
        let program = try await Self.get(host, "/cgi-bin/uptime-bridge.cgi")
        #expect(program.header("content-type") == "application/json", "\(host.kind): \(program.headers)")
        #expect(!program.body.hasPrefix("#!") && !program.body.hasPrefix("\u{7F}ELF"))
        for path in ["/.htaccess", "/cgi-bin/.htaccess"] {
            #expect(try await Self.get(host, path).status == 403, "\(host.kind) \(path)")
        }
        for path in ["/uptime-bridge/config.yaml", "/uptime-bridge/betterstack.token", "/upload/dist/uptime-bridge"] {
            let answer = try await Self.get(host, path)
            #expect(answer.status == 404, "\(host.kind) \(path): \(answer.status)")
            #expect(!answer.body.contains("sandbox-token"))
        }
    }

    /// "Which kind of host is this?": whoami.cgi names the user CGI programs run as.
    func whoamiNamesTheCGIUser(_ host: Host) async throws {
        let whoami = try await Self.get(host, "/cgi-bin/whoami.cgi")
        #expect(whoami.status == 200)
        let expected = host.kind == .suexec ? "(\(host.user))" : "(www-data)"
        #expect(whoami.body.hasPrefix("uid=") && whoami.body.contains(expected), "\(host.kind): \(whoami.body)")
    }

    @Test func hostWithoutSuEXECFollowingTheReadme() async throws {
        let sandbox = try await SharedHostingTests.Sandbox()
        defer { sandbox.stop() }
        let host = try await Host(kind: .webServerUser, sandboxURL: sandbox.url)
        defer { host.stop() }
        try await host.waitUntilUp()
        try await whoamiNamesTheCGIUser(host)
        try await everyEndpointAnswers(host, sandbox: sandbox)
        // The cache directory the first request made: the web server's, private.
        var info = stat()
        #expect(stat(host.cacheDirectory, &info) == 0 && info.st_uid == getpwnam("www-data").pointee.pw_uid)
        #expect(info.st_mode & 0o777 == 0o700)
        // check --as-cgi from the site user's shell sees what the web server sees.
        let asCGI = try host.check(["--as-cgi", "www-data"])
        #expect(asCGI.output.contains("ok: as www-data (uid 33): betterstack.api_token file"), "\(asCGI.output)")
        #expect(!asCGI.output.contains("problem: as www-data"), "\(asCGI.output)")

        // A token the web server cannot read (0600: the recipe's 0644 not done): health fails, naming it.
        try host.shell("chmod 0600 \(host.uptimeDirectory)/betterstack.token")
        let unreadable = try await Self.get(host, "/uptime/")
        #expect(unreadable.status == 500, "\(unreadable.status) \(unreadable.body)")
        let problems = unreadable.object["problems"] as? [String] ?? []
        #expect(problems.contains { $0.contains("…/betterstack.token is not readable by this process (uid 33") }, "\(unreadable.body)")
        #expect(!unreadable.body.contains(host.home), "a path reached the answer: \(unreadable.body)")
        #expect(host.errorLog.contains("\(host.uptimeDirectory)/betterstack.token is not readable"), "\(host.errorLog)")
        let seen = try host.check(["--as-cgi", "www-data"])
        #expect(seen.status != 0 && seen.output.contains("www-data cannot read \(host.uptimeDirectory)/betterstack.token"), "\(seen.output)")
        try host.shell("chmod 0644 \(host.uptimeDirectory)/betterstack.token")

        // A missing token file: said differently from an unreadable one.
        try host.shell("mv \(host.uptimeDirectory)/betterstack.token \(host.uptimeDirectory)/moved")
        let missing = try await Self.get(host, "/uptime/")
        #expect(missing.status == 500)
        #expect((missing.object["problems"] as? [String] ?? []).contains { $0.contains("…/betterstack.token does not exist") }, "\(missing.body)")
        try host.shell("mv \(host.uptimeDirectory)/moved \(host.uptimeDirectory)/betterstack.token")

        // A cache directory the web server cannot create (the recipe's mkdir -m 1733 skipped).
        try host.shell("rm -rf \(host.uptimeDirectory)/cachedir && mkdir -m 0755 \(host.uptimeDirectory)/cachedir && chown \(host.user): \(host.uptimeDirectory)/cachedir")
        let uncreatable = try await Self.get(host, "/uptime/")
        #expect(uncreatable.status == 500)
        #expect((uncreatable.object["problems"] as? [String] ?? []).contains { $0.contains("cannot create …/cache: Permission denied") }, "\(uncreatable.body)")

        // The config lost (SetEnv removed): 503 saying no configuration file was read.
        try host.shell("chmod 1733 \(host.uptimeDirectory)/cachedir && sed -i '/^SetEnv/d' \(host.home)/public_html/cgi-bin/.htaccess")
        let lost = try await Self.get(host, "/uptime/")
        #expect(lost.status == 503, "\(lost.status) \(lost.body)")
        #expect((lost.object["problems"] as? [String] ?? []).contains { $0.contains("no configuration file was read") }, "\(lost.body)")
        #expect(!host.errorLog.contains("CocoaError"), "\(host.errorLog)")
    }

    @Test func suEXECHostFollowingTheReadme() async throws {
        guard FileManager.default.fileExists(atPath: "/usr/lib/apache2/suexec") else {
            throw HarnessError("suEXEC is not installed (deploy/test.sh installs apache2-suexec-pristine)")
        }
        let sandbox = try await SharedHostingTests.Sandbox()
        defer { sandbox.stop() }
        let host = try await Host(kind: .suexec, sandboxURL: sandbox.url)
        defer { host.stop() }
        try await host.waitUntilUp()
        try await whoamiNamesTheCGIUser(host)
        try await everyEndpointAnswers(host, sandbox: sandbox)
        var info = stat()
        let uid = getpwnam(host.user).pointee.pw_uid
        #expect(stat(host.cacheDirectory, &info) == 0 && info.st_uid == uid && info.st_mode & 0o777 == 0o700)

        // An unwritable cache: answers still come (from upstream), marked, and health fails.
        try host.shell("chmod 0500 \(host.cacheDirectory)")
        let health = try await Self.get(host, "/uptime/")
        #expect(health.status == 503, "\(health.status) \(health.body)")
        #expect((health.object["problems"] as? [String] ?? []).contains { $0.contains("cache directory is not writable by this process (uid \(uid))") }, "\(health.body)")
        let marked = try await Self.get(host, "/uptime/monitors")
        #expect(marked.status == 200)
        #expect(marked.header("x-uptime-bridge-cache-problem")?.contains("not writable") == true, "\(marked.headers)")
        #expect(host.errorLog.contains("\(host.cacheDirectory) (cache.directory): the cache directory is not writable"), "\(host.errorLog)")
        try host.shell("chmod 0700 \(host.cacheDirectory)")

        // A token the site user cannot read (left owned by root).
        try host.shell("chown root: \(host.uptimeDirectory)/betterstack.token")
        let unreadable = try await Self.get(host, "/uptime/")
        #expect(unreadable.status == 500)
        #expect((unreadable.object["problems"] as? [String] ?? []).contains { $0.contains("is not readable by this process (uid \(uid)") }, "\(unreadable.body)")
        try host.shell("chown \(host.user): \(host.uptimeDirectory)/betterstack.token")

        // The SetEnv variant under suEXEC: the variable never arrives, and health says so.
        try host.shell("cp \(host.uptimeDirectory)/uptime-bridge \(host.home)/public_html/cgi-bin/uptime-bridge.cgi && chown \(host.user): \(host.home)/public_html/cgi-bin/uptime-bridge.cgi")
        let lost = try await Self.get(host, "/uptime/")
        #expect(lost.status == 503, "\(lost.status) \(lost.body)")
        #expect((lost.object["problems"] as? [String] ?? []).contains { $0.contains("under suEXEC, SetEnv variables do not reach the program") }, "\(lost.body)")
    }

    /// Access control configured but its file unreadable, or the whole config lost: never served
    /// openly.
    @Test func accessControlIsNeverSilentlyOff() async throws {
        let sandbox = try await SharedHostingTests.Sandbox()
        defer { sandbox.stop() }
        let host = try await Host(kind: .webServerUser, sandboxURL: sandbox.url, accessToken: "grafana-secret")
        defer { host.stop() }
        try await host.waitUntilUp()
        let url = "/uptime/monitors"
        #expect(try await Self.get(host, url).status == 401)
        #expect(try await Self.get(host, url, headers: [("Authorization", "Bearer grafana-secret")]).status == 200)
        try host.shell("chmod 0600 \(host.uptimeDirectory)/access.token")
        let tokenUnreadable = try await Self.get(host, url)
        #expect(tokenUnreadable.status == 500, "\(tokenUnreadable.status) \(tokenUnreadable.body)")
        try host.shell("chmod 0644 \(host.uptimeDirectory)/access.token && chmod 0600 \(host.uptimeDirectory)/config.yaml")
        let configUnreadable = try await Self.get(host, url)
        #expect(configUnreadable.status == 500, "\(configUnreadable.status) \(configUnreadable.body)")
        #expect(!configUnreadable.body.contains("\"monitors\"") && !configUnreadable.body.contains("example.com"))
    }
}
