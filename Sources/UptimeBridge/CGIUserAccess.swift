#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What another user (the one CGI programs run as) may do with a file, worked out from the files'
/// owners and modes — no privilege needed, so a site user can ask it about `www-data`. For
/// `uptime-bridge check --as-cgi USER`.
///
/// The classic Unix model only: owner, group (the user's primary and supplementary groups), other;
/// every directory on the way needs search (`x`). Access control lists, SELinux/AppArmor and
/// mount options are not read: a "yes" here is what the modes grant, and `GET /uptime/` run by
/// the web server stays the final word.
struct CGIUserAccess {
    let name: String
    let uid: uid_t
    let groups: Set<gid_t>

    /// The user's ids, or `nil` if there is no such user.
    init?(user: String) {
        guard let entry = getpwnam(user) else { return nil }
        name = user
        uid = entry.pointee.pw_uid
        let primary = entry.pointee.pw_gid
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(user, primary, &list, &count) < 0 {
            list = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(user, primary, &list, &count)
        }
        groups = Set(list.prefix(Int(max(0, count)))).union([primary])
    }

    enum Want: CustomStringConvertible {
        case read, write, execute, search
        var bit: mode_t {
            switch self {
            case .read: 4
            case .write: 2
            case .execute, .search: 1
            }
        }
        var description: String {
            switch self {
            case .read: "read"
            case .write: "write"
            case .execute: "execute"
            case .search: "enter"
            }
        }
    }

    /// Whether the modes let this user do `wants` on the file at `path` (absolute), reaching it
    /// through every directory above it; otherwise the first obstacle, in words.
    func check(_ path: String, _ wants: [Want]) -> String? {
        guard path.hasPrefix("/") else { return "\(path) is not an absolute path" }
        var prefix = ""
        for component in path.split(separator: "/").dropLast() {
            prefix += "/" + component
            guard let info = Self.status(prefix) else { return "\(prefix) does not exist" }
            if !allows(info, .search) { return "\(name) cannot \(Want.search) \(prefix) (\(Self.describe(info)))" }
        }
        guard let info = Self.status(path) else { return "\(path) does not exist" }
        for want in wants where !allows(info, want) {
            return "\(name) cannot \(want) \(path) (\(Self.describe(info)))"
        }
        return nil
    }

    func allows(_ info: stat, _ want: Want) -> Bool {
        let mode = info.st_mode
        if uid == 0 {
            // Root reads and writes anything; it executes a file only if someone may.
            return want != .execute || (mode & 0o111) != 0
        }
        let shift: mode_t = info.st_uid == uid ? 6 : (groups.contains(info.st_gid) ? 3 : 0)
        return (mode >> shift) & want.bit != 0
    }

    static func status(_ path: String) -> stat? {
        var info = stat()
        return stat(path, &info) == 0 ? info : nil
    }

    /// `owner:group mode`, e.g. `alice:alice 0600`.
    static func describe(_ info: stat) -> String {
        let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "\(info.st_uid)"
        let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)"
        return "\(owner):\(group) " + String(info.st_mode & 0o7777, radix: 8).leftPadded(to: 4)
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
