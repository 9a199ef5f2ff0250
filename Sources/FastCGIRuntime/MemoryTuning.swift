#if canImport(CMalloc)
    import CMalloc
#endif

/// glibc malloc settings for a resident worker, applied by `serve` before it starts any thread.
///
/// With the defaults, a worker that has answered a few large responses (a 125 KB `/response_time`,
/// a 1 MB `/metrics`) keeps their memory: glibc gives every thread that allocates its own arena (up
/// to 8 per core) and raises its mmap threshold after large blocks are freed, so later large
/// buffers come from, and stay in, the arenas. Measured on the release binary
/// (docs/benchmarks.md): anonymous memory after a mixed load 8.2 MB with the defaults, 4.5 MB with these,
/// and no measurable change in throughput (a request allocates little, so two arenas do not
/// contend).
///
/// - at most 2 arenas (`M_ARENA_MAX`), as for other many-threaded glibc servers;
/// - a fixed 128 KiB mmap threshold (`M_MMAP_THRESHOLD`; fixing it stops the dynamic raise), so
///   large response buffers are returned to the kernel when freed;
/// - 256 KiB trim threshold (`M_TRIM_THRESHOLD`): free memory at the top of the heap above it is
///   released.
///
/// An operator's `MALLOC_ARENA_MAX`, `MALLOC_MMAP_THRESHOLD_` or `MALLOC_TRIM_THRESHOLD_` in the
/// environment wins (glibc has read it already; it is not overridden). CGI processes live for one
/// request and are left alone.
public enum MemoryTuning {
    public static let arenaMax: Int32 = 2
    public static let mmapThreshold: Int32 = 128 * 1024
    public static let trimThreshold: Int32 = 256 * 1024

    /// Applies the settings not given in `environment`; returns the names of those applied.
    @discardableResult
    public static func applyResidentWorkerDefaults(environment: [String: String]) -> [String] {
        #if canImport(CMalloc)
            var applied: [String] = []
            func set(_ parameter: Int32, _ value: Int32, unless variable: String) {
                guard environment[variable] == nil, mallopt(parameter, value) == 1 else { return }
                applied.append(variable)
            }
            set(M_ARENA_MAX, arenaMax, unless: "MALLOC_ARENA_MAX")
            set(M_MMAP_THRESHOLD, mmapThreshold, unless: "MALLOC_MMAP_THRESHOLD_")
            set(M_TRIM_THRESHOLD, trimThreshold, unless: "MALLOC_TRIM_THRESHOLD_")
            return applied
        #else
            return []
        #endif
    }
}
