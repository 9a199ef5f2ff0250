#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Wall-clock time for cache ages, injectable so that expiry can be tested without sleeping.
///
/// Wall time (not a monotonic clock) because ``FileCache`` entries are shared between processes
/// and outlive them.
public protocol CacheClock: Sendable {
    /// Milliseconds since the Unix epoch.
    func now() -> Int64
}

/// The system's real-time clock.
public struct SystemCacheClock: CacheClock {
    /// The system clock.
    public init() {}

    public func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
