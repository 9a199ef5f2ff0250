import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What /proc says about processes the tests started (a master's workers).
enum Processes {
    /// The live (not zombie) children of `parent`.
    static func children(of parent: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var result: [pid_t] = []
        for entry in entries {
            guard let pid = pid_t(entry), let (state, ppid) = stat(pid) else { continue }
            if ppid == parent, state != "Z", state != "X" { result.append(pid) }
        }
        return result.sorted()
    }

    /// Alive and not a zombie.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0, let (state, _) = stat(pid) else { return false }
        return state != "Z" && state != "X"
    }

    /// Seconds since `pid` started.
    static func age(_ pid: pid_t) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // Field 22 of stat is the start time in clock ticks since boot; fields here start at 3.
        guard fields.count > 19, let ticks = Double(fields[19]),
            let uptime = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
            let now = Double(uptime.split(separator: " ")[0])
        else { return nil }
        return now - ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// State letter and parent of `pid`, from /proc/PID/stat (the command name may hold spaces and
    /// parentheses, so the fields are read after the last ')').
    private static func stat(_ pid: pid_t) -> (Character, pid_t)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 1, let state = fields[0].first, let ppid = pid_t(fields[1]) else { return nil }
        return (state, ppid)
    }

    /// No core files from the workers the tests crash on purpose (children inherit the limit).
    static func disableCoreDumps() {
        var limit = rlimit(rlim_cur: 0, rlim_max: 0)
        getrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
        limit.rlim_cur = 0
        setrlimit(Int32(RLIMIT_CORE.rawValue), &limit)
    }
}
