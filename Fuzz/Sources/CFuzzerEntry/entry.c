// The fuzz binary's entry point.
//
// SwiftPM renames an executable module's `main` to `<module>_main` on Linux and links with
// `--defsym main=UptimeBridgeFuzz_main`. With `-parse-as-library` (needed so Swift does not emit a
// `main` of its own next to libFuzzer's) there is no such function, so it is defined here and hands
// over to libFuzzer's driver, exactly as libFuzzer's own `main` does. If a SwiftPM does not rename,
// the linker takes libFuzzer's `main` from libclang_rt.fuzzer and this function is unused.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int UptimeBridgeFuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
