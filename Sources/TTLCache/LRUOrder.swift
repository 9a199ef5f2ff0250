/// Recency order of cache keys: O(1) touch, remove and least-recent lookup, as a doubly linked
/// list threaded through a dictionary.
struct LRUOrder {
    private struct Links {
        var newer: String?
        var older: String?
    }

    private var links: [String: Links] = [:]
    private(set) var mostRecent: String?
    private(set) var leastRecent: String?

    var count: Int { links.count }

    /// Makes `key` the most recently used, adding it if new.
    mutating func touch(_ key: String) {
        if mostRecent == key { return }
        if links[key] != nil {
            remove(key)
        }
        links[key] = Links(newer: nil, older: mostRecent)
        if let previous = mostRecent {
            links[previous]?.newer = key
        }
        mostRecent = key
        if leastRecent == nil {
            leastRecent = key
        }
    }

    /// Removes `key` if present.
    mutating func remove(_ key: String) {
        guard let node = links.removeValue(forKey: key) else { return }
        if let newer = node.newer {
            links[newer]?.older = node.older
        } else {
            mostRecent = node.older
        }
        if let older = node.older {
            links[older]?.newer = node.newer
        } else {
            leastRecent = node.newer
        }
    }

    mutating func removeAll() {
        links.removeAll()
        mostRecent = nil
        leastRecent = nil
    }

    /// Keys from most to least recent (for tests).
    var keysMostRecentFirst: [String] {
        var result: [String] = []
        var cursor = mostRecent
        while let key = cursor {
            result.append(key)
            cursor = links[key]?.older
        }
        return result
    }
}
