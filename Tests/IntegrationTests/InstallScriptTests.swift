import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `deploy/install.sh` staged into a temporary DESTDIR with a prebuilt binary.
@Suite(.serialized)
struct InstallScriptTests {
    static let script = Paths.root.appendingPathComponent("deploy/install.sh").path

    static func install(_ arguments: [String], destdir: String? = nil) throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["DESTDIR"] = destdir
        return try capture("/bin/bash", [script, "--binary", Paths.bridge] + arguments, environment: environment)
    }

    static func read(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    @Test func installsBinaryConfigUnitsAndSnippetsWithoutOverwritingTheConfig() throws {
        let scratch = try ScratchDirectory("install")
        defer { scratch.cleanup() }
        let root = scratch.file("root")
        let fm = FileManager.default

        let first = try Self.install([], destdir: root)
        #expect(first.status == 0, "\(first.output)")
        // Staging must never touch the running system's systemd.
        #expect(first.output.contains("not touching systemd"), "\(first.output)")

        let binary = root + "/usr/local/bin/uptime-bridge"
        #expect(fm.isExecutableFile(atPath: binary))
        #expect(fm.contentsEqual(atPath: binary, andPath: Paths.bridge))
        let example = Self.read(Paths.root.appendingPathComponent("deploy/uptime-bridge.example.yaml").path)
        #expect(example != nil && Self.read(root + "/etc/uptime-bridge/config.yaml") == example)
        #expect(Self.read(root + "/etc/uptime-bridge/config.example.yaml") == example)
        var info = stat()
        #expect(stat(root + "/etc/uptime-bridge/config.yaml", &info) == 0 && info.st_mode & 0o777 == 0o644)
        for unit in SystemdUnitTests.units {
            let installed = root + "/usr/local/lib/systemd/system/" + unit
            #expect(Self.read(installed) == Self.read(SystemdUnitTests.unitDirectory + "/" + unit), "\(unit)")
        }
        let front = [
            "uptime-bridge-front.conf", "uptime-bridge-front-locations.conf", "uptime-bridge-front-backends.conf",
            "uptime-bridge-front-nodes.conf", "uptime-bridge-backend-site.conf",
        ]
        for snippet in ["uptime-bridge.conf", "uptime-bridge-locations.conf"] + front.map({ "front/" + $0 }) {
            let name = snippet.split(separator: "/").last.map(String.init) ?? snippet
            #expect(
                Self.read(root + "/etc/nginx/snippets/" + name)
                    == Self.read(Paths.root.appendingPathComponent("nginx/" + snippet).path),
                "\(snippet)"
            )
        }
        // nginx creates only the last directory of fastcgi_cache_path; Debian has no /var/cache/nginx.
        var isDirectory: ObjCBool = false
        #expect(fm.fileExists(atPath: root + "/var/cache/nginx", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(fm.fileExists(atPath: root + "/usr/local/share/doc/uptime-bridge/README.md"))
        #expect(fm.fileExists(atPath: root + "/usr/local/share/doc/uptime-bridge/docs/shared-hosting.md"))
        #expect(fm.fileExists(atPath: root + "/usr/local/share/uptime-bridge/cron/uptime-bridge-push"))
        #expect(fm.fileExists(atPath: root + "/usr/local/share/uptime-bridge/shared-hosting/public_html/.htaccess"))
        // It says how to include the nginx snippets.
        #expect(first.output.contains("include /etc/nginx/snippets/uptime-bridge.conf;"))
        #expect(first.output.contains("include /etc/nginx/snippets/uptime-bridge-locations.conf;"))

        // A second install (an upgrade) keeps the operator's config and edited snippets.
        let mine = "# mine\nserver:\n  base_path: /status\n"
        try mine.write(toFile: root + "/etc/uptime-bridge/config.yaml", atomically: true, encoding: .utf8)
        try "# edited\n".write(
            toFile: root + "/etc/nginx/snippets/uptime-bridge.conf",
            atomically: true,
            encoding: .utf8
        )
        let second = try Self.install(["--destdir", root])
        #expect(second.status == 0, "\(second.output)")
        #expect(Self.read(root + "/etc/uptime-bridge/config.yaml") == mine)
        #expect(second.output.contains("kept your /etc/uptime-bridge/config.yaml"))
        #expect(Self.read(root + "/etc/nginx/snippets/uptime-bridge.conf") == "# edited\n")
        #expect(
            Self.read(root + "/etc/nginx/snippets/uptime-bridge.conf.new")
                == Self.read(Paths.root.appendingPathComponent("nginx/uptime-bridge.conf").path)
        )
        #expect(fm.contentsEqual(atPath: binary, andPath: Paths.bridge))
    }

    @Test func otherPrefixRelocatesTheUnitsAndTheyStillVerify() throws {
        let scratch = try ScratchDirectory("install-prefix")
        defer { scratch.cleanup() }
        let root = scratch.file("root")
        let result = try Self.install(["--destdir", root, "--prefix", "/opt/uptime-bridge"])
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.isExecutableFile(atPath: root + "/opt/uptime-bridge/bin/uptime-bridge"))
        // Not on systemd's search path below /opt: the units go to /etc/systemd/system.
        let service = Self.read(root + "/etc/systemd/system/uptime-bridge.service") ?? ""
        #expect(service.contains("\nExecStart=/opt/uptime-bridge/bin/uptime-bridge serve\n"), "\(service)")
        #expect(!service.contains("/usr/local/"))
        let push = Self.read(root + "/etc/systemd/system/uptime-bridge-push.service") ?? ""
        #expect(push.contains("\nExecStart=/opt/uptime-bridge/bin/uptime-bridge push\n"))

        if Paths.tool("systemd-analyze") != nil {
            let files = SystemdUnitTests.units.map { root + "/etc/systemd/system/" + $0 }
            let verified = try SystemdUnitTests.verify(
                files,
                binary: root + "/opt/uptime-bridge/bin/uptime-bridge",
                binaryPlaceholder: "/opt/uptime-bridge/bin/uptime-bridge"
            )
            #expect(verified.status == 0 && verified.output.isEmpty, "\(verified.output)")
        }
    }

    @Test func refusesAMissingBinary() throws {
        let scratch = try ScratchDirectory("install-missing")
        defer { scratch.cleanup() }
        var environment = ProcessInfo.processInfo.environment
        environment["DESTDIR"] = scratch.file("root")
        let result = try capture(
            "/bin/bash",
            [Self.script, "--binary", scratch.file("nope")],
            environment: environment
        )
        #expect(result.status != 0)
        #expect(result.output.contains("is not an executable"))
        #expect(!FileManager.default.fileExists(atPath: scratch.file("root/usr/local/bin/uptime-bridge")))
    }
}
