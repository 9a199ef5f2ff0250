import FastCGIRuntime
import Testing

struct MemoryTuningTests {
    #if os(Linux)
        @Test func appliesEverySettingTheEnvironmentDoesNotGive() {
            // mallopt succeeds for each (it returns 1); an operator's variable is left to glibc.
            #expect(
                MemoryTuning.applyResidentWorkerDefaults(environment: ["MALLOC_ARENA_MAX": "8"])
                    == ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"])
            #expect(
                MemoryTuning.applyResidentWorkerDefaults(environment: ["PATH": "/usr/bin"])
                    == ["MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"])
            #expect(
                MemoryTuning.applyResidentWorkerDefaults(environment: [
                    "MALLOC_ARENA_MAX": "1", "MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "0",
                ]).isEmpty)
        }
    #endif
}
