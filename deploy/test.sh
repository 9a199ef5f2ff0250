#!/usr/bin/env bash
# README command 2: installs what the tests need and runs every test: unit tests and the
# integration tests that start real nginx, spawn-fcgi, a CGI server and the sandbox on loopback.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# prometheus (promtool) for the Statuspage tests; victoria-metrics and influxdb: the push job's
# receivers in PushTests (all started on loopback by the tests).
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" python3 lighttpd prometheus victoria-metrics influxdb
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }

cd "$UB_ROOT"
ub_log "building (debug, with tests)"
swift build --build-tests
ub_log "running the tests"
# Integration tests find the binaries here.
export UPTIME_BRIDGE_BIN_DIR="$(swift build --show-bin-path)"
swift test --skip-build "$@"
