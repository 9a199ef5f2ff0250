/// Decides whether a caller may start an upstream load: a per-request budget of upstream calls, for
/// example. The caches ask it once for each load the calling task would start itself (a miss that
/// nobody is loading yet, or a stale-while-revalidate refresh); joining a load that is already
/// running, and hits, cost nothing.
public protocol LoadAdmission: Sendable {
    /// True to let the caller start loading `key`; false refuses the load.
    func admitLoad(key: String) -> Bool
}

/// The admission in force for the current task (and the tasks it starts), set by whoever owns the
/// request scope; nil admits every load. A cache's own load tasks run without one, so a load that
/// several requests share is never refused half-way for one of them.
public enum CacheLoadAdmission {
    @TaskLocal public static var current: (any LoadAdmission)?
}

/// A load the caller's ``LoadAdmission`` refused, with no usable cached value to stand in.
public struct LoadNotAdmitted: Error, Sendable, CustomStringConvertible {
    public var key: String

    public var description: String { "upstream load of \(key) not admitted" }
}
