#!/usr/bin/env bash
# README command 2: installs what the tests need and runs every test: unit tests and the
# integration tests that start real nginx, spawn-fcgi, a CGI server and the sandbox on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# prometheus (promtool and the server), victoria-metrics and influxdb (the push job's receivers),
# apache2 (the shared-hosting recipe under mod_rewrite + mod_cgi), systemd (systemd-analyze verify on
# deploy/systemd/; nothing is started), iproute2 (the multi-host test's network namespaces). The
# tests start every server on loopback, or inside namespaces of their own, themselves.
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" python3 lighttpd prometheus victoria-metrics influxdb apache2 apache2-suexec-pristine systemd iproute2
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }

cd "$UB_ROOT"
# The release binaries: what ships is what the integration tests run (optimised, statically linked
# Swift runtime, lld with packed relocations); the shared-hosting tests need the portable binary.
ub_log "building the release binaries dist/uptime-bridge and the sandbox (deploy/build-static.sh)"
"$UB_ROOT/deploy/build-static.sh" --with-sandbox

if [ $# -gt 0 ]; then
    # A filter (`deploy/test.sh --filter X`): the quick loop, a plain debug build, and the
    # integration tests against its binaries.
    ub_log "building (debug, with tests)"
    swift build --build-tests
    export UPTIME_BRIDGE_BIN_DIR="$(swift build --show-bin-path)"
    swift test --skip-build --no-parallel "$@"
    exit 0
fi

# Every test, once: the test bundle built with AddressSanitizer (in its own build folder), so the
# unit tests run under it, and the integration tests drive the release binaries from it. One test
# build instead of a plain one plus a sanitized one keeps a fresh-clone run near 35 minutes on two
# cores. UB_ASAN=0 builds the test bundle without the sanitizer (in .build) instead. LeakSanitizer
# is off because XCTest's runner itself leaks at exit.
UB_ASAN=${UB_ASAN:-1}
scratch=(--scratch-path .build)
if [ "$UB_ASAN" = 1 ]; then scratch=(--scratch-path .build-asan -Xswiftc -sanitize=address); fi
ub_log "building the tests (${scratch[*]})"
swift build --build-tests "${scratch[@]}"
ub_log "running every test: unit tests$([ "$UB_ASAN" = 1 ] && echo ' under AddressSanitizer'), integration tests against the release binaries"
# One test at a time: many suites start servers, and on a 2-core machine running them side by side
# makes them compete for the CPU rather than test anything.
UPTIME_BRIDGE_BIN_DIR="$(ub_static_bin_dir)" ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" \
    swift test "${scratch[@]}" --skip-build --no-parallel

# Several hosts behind the nginx front tier, in network namespaces (Tests/MultiHost/, docs/scaling.md):
# the upstream calls with one host and with three, a host lost under load, a host joining.
ub_log "the multi-host test: a front, seven backend hosts and the sandbox in network namespaces"
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
"${sudo[@]}" python3 "$UB_ROOT/Tests/MultiHost/multihost_test.py" --bridge "$UB_ROOT/dist/uptime-bridge" --bin-dir "$(ub_static_bin_dir)"

# Every parser of outside bytes under libFuzzer (Fuzz/README.md): the saved crash inputs first,
# then a bounded run per target; a crash fails the script.
ub_log "fuzzing the parsers and decoders, ${UB_FUZZ_SECONDS:-20} s per target (Fuzz/run.sh)"
bash "$UB_ROOT/Fuzz/run.sh" "${UB_FUZZ_SECONDS:-20}"
