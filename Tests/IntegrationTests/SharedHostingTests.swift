import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The portable binary (`deploy/build-static.sh` → `dist/uptime-bridge`), built at most once per run.
/// `deploy/test.sh` builds it before `swift test`; building it here (release, several minutes) is
/// the fallback for a plain `swift test`.
enum StaticBinary {
    static let path = Paths.root.appendingPathComponent("dist/uptime-bridge").path

    private static let ready: Result<String, HarnessError> = {
        if FileManager.default.isExecutableFile(atPath: path) { return .success(path) }
        print("dist/uptime-bridge is missing; building it with deploy/build-static.sh (release, slow)")
        let script = Paths.root.appendingPathComponent("deploy/build-static.sh").path
        guard let status = try? run("/bin/bash", [script]), status == 0,
            FileManager.default.isExecutableFile(atPath: path)
        else { return .failure(HarnessError("deploy/build-static.sh failed; see the test log")) }
        return .success(path)
    }()

    static func get() throws -> String { try ready.get() }
}

/// The shared-hosting recipe of `deploy/shared-hosting/` under a real Apache (mod_rewrite, mod_cgi,
/// prefork) on loopback: the static binary as `cgi-bin/uptime-bridge.cgi`, the config, token and cache
/// outside the web root, `/uptime/...` rewritten to the CGI with the route in `PATH_INFO`. The recipe's
/// files are used as shipped; only `/home/USER`, the API URL and the token are filled in.
@Suite(.serialized)
struct SharedHostingTests {
    /// How the config reaches the program: the `.htaccess` `SetEnv` line, or the wrapper script for
    /// suEXEC hosts (the `SetEnv` line is then removed, to prove the wrapper alone suffices).
    enum Variant { case setEnv, wrapper }

    final class ApacheSite: @unchecked Sendable {
        let scratch: ScratchDirectory
        let port: Int
        /// What `/home/USER` stands for.
        let home: String
        let apache: ManagedProcess
        var root: String { "http://127.0.0.1:\(port)" }
        var cacheDirectory: String { home + "/uptime-bridge/cache" }

        init(
            binary: String,
            sandboxURL: String,
            variant: Variant,
            extraConfig: String = "",
            files: [String: String] = [:]
        )
            async throws
        {
            guard let apache2 = Paths.tool("apache2") ?? Paths.tool("httpd") else {
                throw HarnessError("apache2 is required (deploy/test.sh installs it)")
            }
            let scratch = try ScratchDirectory("apache")
            let home = scratch.file("home")
            let cacheDirectory = home + "/uptime-bridge/cache"
            self.scratch = scratch
            self.home = home
            let port = try freePort()
            self.port = port
            let recipe = Paths.root.appendingPathComponent("deploy/shared-hosting").path
            let fm = FileManager.default
            for dir in ["public_html/cgi-bin", "uptime-bridge/cache", "apache/run"] {
                try fm.createDirectory(atPath: home + "/" + dir, withIntermediateDirectories: true)
            }
            func install(_ source: String, _ target: String, mode: Int, edit: (String) -> String = { $0 }) throws {
                let text = try String(contentsOfFile: recipe + "/" + source, encoding: .utf8)
                    .replacingOccurrences(of: "/home/USER", with: home)
                try edit(text).write(toFile: home + "/" + target, atomically: true, encoding: .utf8)
                chmod(home + "/" + target, mode_t(mode))
            }
            try install("public_html/.htaccess", "public_html/.htaccess", mode: 0o644)
            try install("public_html/cgi-bin/.htaccess", "public_html/cgi-bin/.htaccess", mode: 0o644) { text in
                guard variant == .wrapper else { return text }
                return text.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.hasPrefix("SetEnv UPTIME_BRIDGE_CONFIG") }.joined(separator: "\n")
            }
            try install("uptime-bridge/config.yaml", "uptime-bridge/config.yaml", mode: 0o644) { text in
                text.replacingOccurrences(of: "api_url: https://uptime.betterstack.com", with: "api_url: \(sandboxURL)")
                    + extraConfig.replacingOccurrences(of: "/home/USER", with: home)
            }
            try "sandbox-token\n".write(
                toFile: home + "/uptime-bridge/betterstack.token",
                atomically: true,
                encoding: .utf8
            )
            for (name, content) in files {
                try content.write(toFile: home + "/uptime-bridge/" + name, atomically: true, encoding: .utf8)
            }
            let program =
                variant == .setEnv
                ? home + "/public_html/cgi-bin/uptime-bridge.cgi" : home + "/uptime-bridge/uptime-bridge"
            try fm.copyItem(atPath: binary, toPath: program)
            chmod(program, 0o755)
            if variant == .wrapper {
                try install(
                    "uptime-bridge/uptime-bridge-wrapper.cgi",
                    "public_html/cgi-bin/uptime-bridge.cgi",
                    mode: 0o755
                )
            }

            // As root, Apache runs its children (and so the CGI program) as www-data: like a host
            // without suEXEC, the secrets are readable by that group and the cache writable by it.
            let isRoot = getuid() == 0
            var userLines = ""
            if isRoot, let group = getgrnam("www-data"), getpwnam("www-data") != nil {
                userLines = "User www-data\nGroup www-data"
                for file in try fm.contentsOfDirectory(atPath: home + "/uptime-bridge") where file.hasSuffix(".token") {
                    chown(home + "/uptime-bridge/" + file, 0, group.pointee.gr_gid)
                    chmod(home + "/uptime-bridge/" + file, 0o640)
                }
                chown(cacheDirectory, getpwnam("www-data").pointee.pw_uid, group.pointee.gr_gid)
                chmod(cacheDirectory, 0o700)
            }
            let config = ApacheSiteConfig.render(
                serverRoot: home + "/apache",
                port: port,
                webRoot: home + "/public_html",
                hostLines: userLines
            )
            try config.write(toFile: home + "/apache/httpd.conf", atomically: true, encoding: .utf8)
            apache = try ManagedProcess(
                "apache2",
                executable: apache2,
                arguments: ["-f", home + "/apache/httpd.conf", "-DFOREGROUND"],
                logPath: home + "/apache/apache.out"
            )
            do {
                try await HTTP.waitUntilUp("http://127.0.0.1:\(port)/", process: apache)
            } catch {
                apache.stop()
                let log = (try? String(contentsOfFile: home + "/apache/error.log", encoding: .utf8)) ?? ""
                scratch.cleanup()
                throw HarnessError("\(error)\n\(log)")
            }
        }

        var errorLog: String { (try? String(contentsOfFile: home + "/apache/error.log", encoding: .utf8)) ?? "" }

        func stop() {
            apache.stop()
            scratch.cleanup()
        }
    }

    final class Sandbox: @unchecked Sendable {
        let scratch: ScratchDirectory
        let port: Int
        let process: ManagedProcess
        var url: String { "http://127.0.0.1:\(port)" }

        init() async throws {
            scratch = try ScratchDirectory("sandbox")
            port = try freePort()
            process = try ManagedProcess(
                "uptime-bridge-sandbox",
                executable: Paths.sandbox,
                arguments: ["--port", "\(port)"],
                logPath: scratch.file("sandbox.log")
            )
            do {
                try await HTTP.waitUntilUp(url + "/_sandbox/health", process: process)
            } catch {
                stop()
                throw error
            }
        }

        /// Upstream calls so far, by route.
        func calls() async throws -> [String: Int] {
            let stats = try await HTTP.send("GET", url + "/_sandbox/stats")
            return (stats.object["routes"] as? [String: Int]) ?? [:]
        }

        func stop() {
            process.stop()
            scratch.cleanup()
        }
    }

    @Test func staticBinaryNeedsNoSwiftOrFastCGILibrary() throws {
        let binary = try StaticBinary.get()
        let ldd = try capture(Paths.tool("ldd") ?? "/usr/bin/ldd", [binary])
        #expect(ldd.status == 0, "\(ldd.output)")
        let libraries = ldd.output.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        print("ldd dist/uptime-bridge: \(libraries.joined(separator: " "))")
        #expect(libraries.contains { $0.hasPrefix("libc.so") }, "ldd did not list libc: \(ldd.output)")
        let forbidden = ["swift", "foundation", "dispatch", "blocksruntime", "icu", "fcgi"]
        let shared = libraries.filter { library in forbidden.contains { library.lowercased().contains($0) } }
        #expect(shared.isEmpty, "still linked dynamically: \(shared)")
        // Nothing beyond the C libraries every glibc system has (libz: zlib, Priority required on
        // Debian, for HTTP decompression), so no FoundationNetworking/libcurl or libxml2 crept in.
        let cLibraries = [
            "linux-vdso.so", "ld-linux", "libc.so", "libm.so", "libstdc++.so", "libgcc_s.so", "libpthread.so",
            "libdl.so",
            "librt.so", "libutil.so", "libz.so",
        ]
        let unexpected = libraries.filter { library in !cLibraries.contains { library.contains($0) } }
        #expect(unexpected.isEmpty, "unexpected shared libraries: \(unexpected)")
    }

    /// The linker choices that keep every process start small (deploy/lib.sh,
    /// `ub_static_build_flags`): packed relative relocations instead of ~115,000 RELA entries, no
    /// exported symbols, still position-independent (ASLR), and no full Foundation or ICU linked in
    /// (the config file is read with libyaml, not Yams). On a glibc < 2.36 build host the script
    /// keeps plain relocations; the test knows that case.
    @Test func staticBinaryIsLinkedForASmallResidentSize() throws {
        let binary = try StaticBinary.get()
        let header = try capture(Paths.tool("readelf") ?? "/usr/bin/readelf", ["-h", "-d", "--dyn-syms", "-W", binary])
        #expect(header.status == 0, "\(header.output)")
        let isPIE = header.output.contains("DYN (Position-Independent Executable file)")
        #expect(isPIE, "not a position-independent executable")
        let glibc = try capture("/usr/bin/getconf", ["GNU_LIBC_VERSION"]).output.split(separator: " ").last
            .flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        if glibc >= 2.36 {
            let packed = header.output.contains("(RELR)")
            #expect(packed, "no packed relative relocations")
        }
        let relocationCount = header.output.split(separator: "\n").first { $0.contains("(RELACOUNT)") }
            .flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
        #expect(relocationCount < 1000, "\(relocationCount) plain relative relocations")
        // Exported symbols: the dynamic symbol table holds only what is imported from libc & co.
        let exported = header.output.split(separator: "\n").filter { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count >= 8 && fields[0].hasSuffix(":") && fields[6] != "UND" && fields[4] == "GLOBAL"
        }
        #expect(exported.count < 20, "\(exported.count) exported symbols, e.g. \(exported.prefix(3))")
        let symbols = try capture(Paths.tool("nm") ?? "/usr/bin/nm", [binary])
        #expect(symbols.status == 0)
        for module in ["10Foundation", "FoundationInternationalization", "icu_"] {
            let linked = symbols.output.contains(module)
            #expect(!linked, "\(module) is linked in")
        }
    }

    @Test func servesHealthAndResponseTimesAsCGIUnderApacheFromItsFileCache() async throws {
        let binary = try StaticBinary.get()
        let sandbox = try await Sandbox()
        defer { sandbox.stop() }
        let site = try await ApacheSite(binary: binary, sandboxURL: sandbox.url, variant: .setEnv)
        defer { site.stop() }

        // /uptime, /uptime/ and the CGI's own URL are the health function.
        for path in ["/uptime", "/uptime/", "/cgi-bin/uptime-bridge.cgi", "/cgi-bin/uptime-bridge.cgi/"] {
            let health = try await HTTP.send("GET", site.root + path)
            #expect(health.status == 200, "\(path): \(health.body)\n\(site.errorLog)")
            #expect(health.header("content-type") == "application/json", "\(path)")
            #expect(health.object["status"] as? String == "ok", "\(path): \(health.body)")
        }
        let unknown = try await HTTP.send("GET", site.root + "/uptime/nope")
        #expect(unknown.status == 404)
        #expect(unknown.object["path"] as? String == "/nope")

        let url = site.root + "/uptime/response_time?url=https://example.com/"
        let before = try await sandbox.calls()["response_times"] ?? 0
        let first = try await HTTP.send("GET", url)
        #expect(first.status == 200, "\(first.body)\n\(site.errorLog)")
        let points = first.json as? [[String: Any]] ?? []
        #expect(!points.isEmpty, "\(first.body.prefix(300))")
        #expect(
            points.first?["timestamp"] is Int && points.first?["region"] is String
                && points.first?["response_time"] is Double
        )
        let afterFirst = try await sandbox.calls()
        #expect(afterFirst["response_times"] == before + 1, "\(afterFirst)")

        // A new CGI process: the answer comes from the cache directory, not from Better Stack.
        let second = try await HTTP.send("GET", url)
        #expect(second.status == 200)
        #expect(second.header("x-uptime-bridge-cache") == "hit", "\(second.headers)")
        #expect(second.body == first.body)
        let afterSecond = try await sandbox.calls()
        #expect(afterSecond == afterFirst, "the second request reached Better Stack: \(afterFirst) → \(afterSecond)")
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: site.cacheDirectory)) ?? []
        #expect(cached.contains { $0.hasSuffix(".entry") }, "cache directory: \(cached)")

        #expect(!site.errorLog.contains(":error]"), "\(site.errorLog)")
        // Nothing of the setup is reachable over HTTP.
        for path in ["/cgi-bin/.htaccess", "/.htaccess"] {
            let denied = try await HTTP.send("GET", site.root + path)
            #expect(denied.status == 403, "\(path): \(denied.status)")
        }
    }

    /// The suEXEC variant (wrapper script, no SetEnv) with access control on: the recipe hands Apache's
    /// Authorization header to the program.
    @Test func wrapperVariantWithBearerTokenGetsTheAuthorizationHeader() async throws {
        let binary = try StaticBinary.get()
        let sandbox = try await Sandbox()
        defer { sandbox.stop() }
        let site = try await ApacheSite(
            binary: binary,
            sandboxURL: sandbox.url,
            variant: .wrapper,
            extraConfig: "\naccess:\n  bearer_token_file: /home/USER/uptime-bridge/access.token\n",
            files: ["access.token": "grafana-secret\n"]
        )
        defer { site.stop() }

        let url = site.root + "/uptime/response_time?url=https://example.com/"
        let anonymous = try await HTTP.send("GET", url)
        #expect(anonymous.status == 401, "\(anonymous.status) \(anonymous.body)\n\(site.errorLog)")
        #expect(anonymous.header("content-type") == "application/json")
        let wrong = try await HTTP.send("GET", url, headers: [("Authorization", "Bearer nope")])
        #expect(wrong.status == 401)
        let allowed = try await HTTP.send("GET", url, headers: [("Authorization", "Bearer grafana-secret")])
        #expect(allowed.status == 200, "\(allowed.status) \(allowed.body.prefix(300))\n\(site.errorLog)")
        #expect(!((allowed.json as? [Any]) ?? []).isEmpty)
    }
}
