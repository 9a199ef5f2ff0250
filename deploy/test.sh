#!/usr/bin/env bash
# README command 2: installs what the tests need and runs every test: unit tests and the
# integration tests that start real nginx, spawn-fcgi, a CGI server and the sandbox on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# prometheus (promtool and the server), victoria-metrics and influxdb (the push job's receivers),
# apache2 (the shared-hosting recipe under mod_rewrite + mod_cgi), systemd (systemd-analyze verify on
# deploy/systemd/; nothing is started). The tests start every server on loopback themselves.
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" python3 lighttpd prometheus victoria-metrics influxdb apache2 systemd
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }

cd "$UB_ROOT"
ub_log "building (debug, with tests)"
swift build --build-tests
# The shared-hosting tests use the portable release binary, and the integration tests run a second
# time against the release binaries; building them inside `swift test` would take minutes in one test.
ub_log "building the release binaries dist/uptime-bridge and the sandbox (deploy/build-static.sh)"
"$UB_ROOT/deploy/build-static.sh" --with-sandbox
ub_log "running the tests (debug build)"
# Integration tests find the binaries here.
export UPTIME_BRIDGE_BIN_DIR="$(swift build --show-bin-path)"
# One test at a time: many suites start servers, and on a 2-core machine running them side by side
# makes them compete for the CPU rather than test anything.
swift test --skip-build --no-parallel "$@"
# Every parser of outside bytes under libFuzzer (Fuzz/README.md): the saved crash inputs first,
# then a bounded run per target; a crash fails the script. Not when a test filter was given.
if [ $# -eq 0 ]; then
    ub_log "fuzzing the parsers and decoders, ${UB_FUZZ_SECONDS:-20} s per target (Fuzz/run.sh)"
    bash "$UB_ROOT/Fuzz/run.sh" "${UB_FUZZ_SECONDS:-20}"
fi
# The unit tests once more under AddressSanitizer, in their own build folder (about 5 minutes to
# build from scratch, 2 to run on 2 cores); UB_ASAN=0 skips it. Not the integration tests (they
# start the binaries as separate processes), nor MemoryTuningTests (ASan's malloc ignores
# mallopt); LeakSanitizer is off because XCTest's runner itself leaks at exit. The thousand-monitor
# sweep is skipped here: it measures the pace over ~1,000 upstream calls against a wall-clock wait,
# and an ASan debug build is too slow to finish the sweep in that wait (it runs in the pass above).
UB_ASAN=${UB_ASAN:-1}
if [ $# -eq 0 ] && [ "$UB_ASAN" = 1 ]; then
    ub_log "building the tests with AddressSanitizer (.build-asan)"
    swift build --build-tests --scratch-path .build-asan -Xswiftc -sanitize=address
    ub_log "running the unit tests under AddressSanitizer"
    ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" swift test --scratch-path .build-asan -Xswiftc -sanitize=address \
        --skip-build --no-parallel --skip IntegrationTests --skip MemoryTuningTests \
        --skip aMetricsSweepOverAThousandMonitorsStaysWithinTheRate
fi
# What ships is what is tested: the integration tests again, now against the release binaries
# (optimised, statically linked Swift runtime, lld with packed relocations), unless a filter
# was given on the command line.
if [ $# -eq 0 ]; then
    ub_log "running the integration tests again against the release binaries"
    UPTIME_BRIDGE_BIN_DIR="$(ub_static_bin_dir)" swift test --skip-build --no-parallel --filter IntegrationTests
fi
