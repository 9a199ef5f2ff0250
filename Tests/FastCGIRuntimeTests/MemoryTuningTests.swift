import FastCGIRuntime
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct MemoryTuningTests {
    #if os(Linux)
        /// AddressSanitizer replaces malloc, and its `mallopt` refuses every setting (returns 0).
        static let underAddressSanitizer = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "__asan_init") != nil

        @Test func appliesEverySettingTheEnvironmentDoesNotGive() {
            // mallopt succeeds for each (it returns 1); an operator's variable is left to glibc.
            // Under AddressSanitizer (deploy/test.sh's unit pass) mallopt refuses all, and nothing
            // may be reported as applied.
            let all = Self.underAddressSanitizer ? [] : ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"]
            #expect(
                MemoryTuning.applyResidentWorkerDefaults(environment: ["MALLOC_ARENA_MAX": "8"])
                    == all.filter { $0 != "MALLOC_ARENA_MAX" })
            #expect(MemoryTuning.applyResidentWorkerDefaults(environment: ["PATH": "/usr/bin"]) == all)
            #expect(
                MemoryTuning.applyResidentWorkerDefaults(environment: [
                    "MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "0",
                ]).isEmpty)
        }
    #endif
}
