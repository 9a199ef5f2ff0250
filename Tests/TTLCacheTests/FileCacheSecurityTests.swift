import Foundation
import Testing

@testable import TTLCache

/// The file cache against a hostile neighbour on a shared host: another user who creates the cache
/// directory first, plants entries or symbolic links; and two configurations of one user sharing a
/// directory.
@Suite("FileCache security", .serialized)
struct FileCacheSecurityTests {
    let policy = CachePolicy(ttl: .seconds(60), staleIfError: .seconds(300))

    /// The error `FileCache(directory:)` throws, or nil if it accepted the directory.
    func refusal(_ directory: String) -> CacheDirectoryError? {
        do {
            _ = try FileCache(directory: directory)
            return nil
        } catch let error as CacheDirectoryError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    func mode(_ path: String) -> mode_t {
        var info = stat()
        lstat(path, &info)
        return info.st_mode & 0o7777
    }

    func entryJSON(namespace: String = "", key: String, storedAt: Int64, value: String) -> String {
        #"{"version":2,"namespace":"\#(CacheDigest.sha256Hex(namespace))","key":"\#(key)","storedAt":\#(storedAt),"value":"\#(value)"}"#
    }

    @Test("A missing directory is created 0700, whatever the umask")
    func createdPrivate() throws {
        let directory = TestDirectory()
        let saved = umask(0)
        defer { umask(saved) }
        let cache = try FileCache(directory: "\(directory.path)/new/cache")
        #expect(mode(cache.directory) == 0o700)
        #expect(mode("\(directory.path)/new") == 0o700)
    }

    @Test("A pre-created 0777 directory is refused, with its path and the reason")
    func worldWritableRefused() throws {
        let directory = TestDirectory()
        let planted = "\(directory.path)/uptime-bridge-cache-\(getuid())"
        #expect(mkdir(planted, 0o700) == 0)
        chmod(planted, 0o777)
        let error = try #require(refusal(planted))
        #expect(error.description.contains(planted), "\(error)")
        #expect(error.description.contains("writable by group or others (mode 0777)"), "\(error)")
        // Group-writable alone is refused too; 0755 (readable, not writable) is accepted.
        chmod(planted, 0o770)
        #expect(refusal(planted) != nil)
        chmod(planted, 0o755)
        #expect(refusal(planted) == nil)
        // Nothing was written into the refused directory.
        chmod(planted, 0o777)
        _ = refusal(planted)
        #expect(try FileManager.default.contentsOfDirectory(atPath: planted).isEmpty)
    }

    @Test("A directory owned by another user is refused")
    func foreignOwnerRefused() throws {
        let directory = TestDirectory()
        let foreign: String
        if geteuid() == 0 {
            foreign = "\(directory.path)/theirs"
            #expect(mkdir(foreign, 0o700) == 0)
            #expect(chown(foreign, 65534, 65534) == 0)
        } else {
            foreign = "/"  // root's
        }
        let error = try #require(refusal(foreign))
        #expect(error.description.contains("owned by uid"), "\(error)")
        #expect(error.description.contains(foreign), "\(error)")
    }

    @Test("A symlinked cache directory is refused, even to a directory of ours")
    func symlinkedDirectoryRefused() throws {
        let directory = TestDirectory()
        let real = "\(directory.path)/real"
        #expect(mkdir(real, 0o700) == 0)
        let link = "\(directory.path)/uptime-bridge-cache"
        #expect(symlink(real, link) == 0)
        for path in [link, link + "/"] {
            let error = try #require(refusal(path))
            #expect(error.description.contains("symbolic link"), "\(error)")
            #expect(error.description.contains(link), "\(error)")
        }
        // A dangling link (the attacker's target does not exist yet) is not created through either.
        let dangling = "\(directory.path)/dangling"
        #expect(symlink("\(directory.path)/target", dangling) == 0)
        #expect(refusal(dangling) != nil)
        #expect(!FileManager.default.fileExists(atPath: "\(directory.path)/target"))
    }

    @Test("Symbolic links above the directory: followed when only root or we can replace them, refused otherwise")
    func parentChain() throws {
        let directory = TestDirectory()
        let real = "\(directory.path)/real"
        #expect(mkdir(real, 0o755) == 0)
        // Ours, in a directory only we can write (like /home -> /srv/home): fine.
        #expect(symlink(real, "\(directory.path)/alias") == 0)
        let cache = try FileCache(directory: "\(directory.path)/alias/cache")
        #expect(FileManager.default.fileExists(atPath: "\(real)/cache"))
        _ = cache

        // In a directory everyone may write (no sticky bit): anyone could swap it.
        let open = "\(directory.path)/open"
        #expect(mkdir(open, 0o777) == 0)
        chmod(open, 0o777)
        #expect(symlink(real, "\(open)/link") == 0)
        let swappable = try #require(refusal("\(open)/link/cache"))
        #expect(swappable.description.contains("\(open)/link"), "\(swappable)")
        #expect(swappable.description.contains("other users can write"), "\(swappable)")

        // Sticky (like /tmp): a link of ours can not be replaced by others, so it is followed.
        chmod(open, 0o1777)
        #expect(refusal("\(open)/link/cache") == nil)

        // Owned by another user, even in a sticky directory: they could point it elsewhere.
        if geteuid() == 0 {
            #expect(lchown("\(open)/link", 65534, 65534) == 0)
            let theirs = try #require(refusal("\(open)/link/cache"))
            #expect(theirs.description.contains("owned by uid 65534"), "\(theirs)")
        }
    }

    @Test("An entry stored in the future is not served, and is replaced")
    func futureEntryNotServed() async throws {
        let directory = TestDirectory()
        let clock = ManualCacheClock()
        let cache = try FileCache(directory: directory.path, clock: clock)
        let path = "\(directory.path)/\(cache.fileName("monitors")).entry"
        // Stored a day ahead: with age clamped to zero it would be fresh for a day (forever, for
        // a year ahead).
        try entryJSON(key: "monitors", storedAt: clock.now() + 86_400_000, value: "planted")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(cache.peek("monitors", as: String.self) == nil)
        let first = try await cache.fetch("monitors", policy: policy, cost: { _ in 0 }) { "real" }
        #expect(first.freshness == .miss && first.value == "real")
        let second = try await cache.fetch("monitors", policy: policy, cost: { _ in 0 }) { "unused" }
        #expect(second.freshness == .hit && second.value == "real")
        #expect(!(try String(contentsOfFile: path, encoding: .utf8)).contains("planted"))

        // A few seconds ahead (another host's clock) is tolerated.
        try entryJSON(key: "skewed", storedAt: clock.now() + 20_000, value: "ok")
            .write(toFile: "\(directory.path)/\(cache.fileName("skewed")).entry", atomically: true, encoding: .utf8)
        let skewed = try await cache.fetch("skewed", policy: policy, cost: { _ in 0 }) { "reloaded" }
        #expect(skewed.freshness == .hit && skewed.value == "ok")

        // A failing load does not fall back to a future entry either.
        try entryJSON(key: "sla", storedAt: clock.now() + 86_400_000, value: "planted")
            .write(toFile: "\(directory.path)/\(cache.fileName("sla")).entry", atomically: true, encoding: .utf8)
        await #expect(throws: TestError.self) {
            try await cache.fetch("sla", policy: policy, cost: { (_: String) in 0 }) { throw TestError() }
        }
    }

    @Test("Two namespaces in one directory do not see each other's entries; neither is written in clear")
    func namespacesIsolated() async throws {
        let directory = TestDirectory()
        let production = try FileCache(
            directory: directory.path,
            namespace: "https://uptime.betterstack.com|\(CacheDigest.sha256Hex("prod-token"))"
        )
        let sandbox = try FileCache(
            directory: directory.path,
            namespace: "http://127.0.0.1:9999|\(CacheDigest.sha256Hex("sandbox-token"))"
        )
        let a = try await production.fetch("monitors", policy: policy, cost: { _ in 0 }) { "production data" }
        #expect(a.freshness == .miss)
        let b = try await sandbox.fetch("monitors", policy: policy, cost: { _ in 0 }) { "sandbox data" }
        #expect(b.freshness == .miss && b.value == "sandbox data")
        let againA = try await production.fetch("monitors", policy: policy, cost: { _ in 0 }) { "unused" }
        let againB = try await sandbox.fetch("monitors", policy: policy, cost: { _ in 0 }) { "unused" }
        #expect(againA.freshness == .hit && againA.value == "production data")
        #expect(againB.freshness == .hit && againB.value == "sandbox data")
        #expect(production.fileName("monitors") != sandbox.fileName("monitors"))

        // Even a file copied over the other namespace's name reads as a miss.
        try FileManager.default.copyItem(
            atPath: "\(directory.path)/\(production.fileName("monitors")).entry",
            toPath: "\(directory.path)/\(sandbox.fileName("sla")).entry"
        )
        #expect(sandbox.peek("sla", as: String.self) == nil)

        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            let text = (try? String(contentsOfFile: "\(directory.path)/\(file)", encoding: .utf8)) ?? ""
            #expect(!text.contains("betterstack.com") && !text.contains("127.0.0.1"), "\(file)")
            #expect(!text.contains(CacheDigest.sha256Hex("prod-token")), "\(file)")
        }
        production.removeAll()
        #expect(sandbox.peek("monitors", as: String.self)?.value == "sandbox data")
        #expect(production.statistics.entries == 0 && sandbox.statistics.entries == 2)
    }

    @Test("maxFiles bounds the number of files in the directory")
    func fileCountBound() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path, maxFiles: 5)
        for index in 0..<20 {
            _ = try await cache.fetch("key-\(index)", policy: policy, cost: { _ in 0 }) { "v\(index)" }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(files.count <= 5, "\(files)")
        }
        #expect(cache.peek("key-19", as: String.self)?.value == "v19")
        #expect(cache.peek("key-0", as: String.self) == nil)
        #expect(cache.statistics.evictions > 0)
    }

    @Test("Lock files of failed or finished loads are pruned once a minute old, unless held")
    func lockFilesPruned() async throws {
        let directory = TestDirectory()
        let cache = try FileCache(directory: directory.path)
        for key in ["failed-1", "failed-2", "held", "young"] {
            await #expect(throws: TestError.self) {
                try await cache.fetch(key, policy: policy, cost: { (_: String) in 0 }) { throw TestError() }
            }
        }
        func lockPath(_ key: String) -> String { "\(directory.path)/\(cache.fileName(key)).lock" }
        for key in ["failed-1", "failed-2", "held", "young"] {
            #expect(FileManager.default.fileExists(atPath: lockPath(key)), "\(key)")
        }
        let twoMinutesAgo = Date().addingTimeInterval(-120)
        for key in ["failed-1", "failed-2", "held"] {
            try FileManager.default.setAttributes([.modificationDate: twoMinutesAgo], ofItemAtPath: lockPath(key))
        }
        let held = try #require(await FileLock.acquire(path: lockPath("held"), timeout: .seconds(1)))
        // The next write prunes.
        _ = try await cache.fetch("other", policy: policy, cost: { _ in 0 }) { "value" }
        #expect(!FileManager.default.fileExists(atPath: lockPath("failed-1")))
        #expect(!FileManager.default.fileExists(atPath: lockPath("failed-2")))
        #expect(FileManager.default.fileExists(atPath: lockPath("held")), "a load holds it")
        #expect(FileManager.default.fileExists(atPath: lockPath("young")), "younger than a minute")
        held.release()
    }

    @Test("A symlinked lock file is not followed (not created, not locked through)")
    func symlinkedLockFile() async throws {
        let directory = TestDirectory()
        let outside = TestDirectory("ttlcache-outside")
        let cache = try FileCache(directory: directory.path)
        let victim = "\(outside.path)/victim"
        #expect(symlink(victim, "\(directory.path)/\(cache.fileName("k")).lock") == 0)
        let result = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "loaded" }
        #expect(result.value == "loaded")
        #expect(!FileManager.default.fileExists(atPath: victim), "O_CREAT went through the link")
        // An existing target is not locked through the link either.
        let existing = "\(outside.path)/existing"
        try "mine".write(toFile: existing, atomically: true, encoding: .utf8)
        let link = "\(directory.path)/\(cache.fileName("k2")).lock"
        #expect(symlink(existing, link) == 0)
        #expect(FileLock.tryAcquire(name: link, in: AT_FDCWD).isUnavailableForTest())
        let fd = open(existing, O_RDWR)
        defer { close(fd) }
        #expect(flock(fd, LOCK_EX | LOCK_NB) == 0, "the target must not be locked")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "mine")
    }

    @Test("A symlinked entry file is not read, and a write replaces the link, not its target")
    func symlinkedEntryFile() async throws {
        let directory = TestDirectory()
        let outside = TestDirectory("ttlcache-outside")
        let clock = ManualCacheClock()
        let cache = try FileCache(directory: directory.path, clock: clock)
        let target = "\(outside.path)/planted.json"
        let planted = entryJSON(key: "k", storedAt: clock.now(), value: "planted")
        try planted.write(toFile: target, atomically: true, encoding: .utf8)
        let link = "\(directory.path)/\(cache.fileName("k")).entry"
        #expect(symlink(target, link) == 0)
        let result = try await cache.fetch("k", policy: policy, cost: { _ in 0 }) { "real" }
        #expect(result.freshness == .miss && result.value == "real")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == planted)
        var info = stat()
        #expect(lstat(link, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test("SHA-256 matches the FIPS 180-4 vectors")
    func sha256() {
        #expect(CacheDigest.sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(CacheDigest.sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            CacheDigest.sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
        #expect(
            CacheDigest.sha256Hex(String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        )
    }
}

extension FileLock.Attempt {
    /// True when the attempt could not open the lock file (releasing it otherwise).
    fileprivate func isUnavailableForTest() -> Bool {
        switch self {
        case .unavailable: return true
        case .acquired(let lock):
            lock.release()
            return false
        case .busy: return false
        }
    }
}
