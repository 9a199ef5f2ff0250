#!/usr/bin/env bash
# Builds the libFuzzer harness (Fuzz/, a separate SwiftPM package) and runs every fuzz target for a
# bounded time: first the saved regression inputs (Fuzz/Regressions/<target>/, each must pass),
# then libFuzzer on a temporary copy of the seed corpus (Fuzz/Corpus/<target>/; the repository is
# not modified). One summary line per target; exits non-zero if any target crashed, hung or ran
# out of memory, after printing the input's path and base64.
#
#   Fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default: 20 s, every target
#
# Environment: FUZZ_SKIP_BUILD=1 uses the binary already built; FUZZ_ARTIFACTS is where crashing
# inputs are kept (default Fuzz/.build/fuzz-artifacts, outside git); FUZZ_BUILD_LOCK is the lock
# file the build holds (default /tmp/swift-build.lock; empty for none).
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$FUZZ_DIR/.." && pwd)"
SECONDS_PER_TARGET="${1:-20}"
[ $# -gt 0 ] && shift
ALL_TARGETS=(gateway query-string grafana-query target time config services-json checkpoint betterstack statuspage catchpoint opentsdb file-cache betterstack-strict)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
ARTIFACTS="${FUZZ_ARTIFACTS:-$FUZZ_DIR/.build/fuzz-artifacts}"
BUILD_LOCK="${FUZZ_BUILD_LOCK-/tmp/swift-build.lock}"

case "$SECONDS_PER_TARGET" in
    '' | 0 | *[!0-9]*) echo "run.sh: seconds per target must be a whole number of at least 1, got '$SECONDS_PER_TARGET'" >&2; exit 2 ;;
esac

log() { printf '[fuzz] %s\n' "$*"; }

# Swift's own crash handler (backtracer) would catch a trap before libFuzzer does and confuse
# AddressSanitizer; let libFuzzer report it, with the stack.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

started=$(date +%s)
cd "$ROOT"
if [ "${FUZZ_SKIP_BUILD:-0}" != 1 ]; then
    # Same dependency versions as the root package's own build.
    if [ -f "$ROOT/Package.resolved" ]; then cp "$ROOT/Package.resolved" "$FUZZ_DIR/Package.resolved"; fi
    log "building the fuzz harness (debug, -sanitize=fuzzer,address)"
    build_start=$(date +%s)
    # Builds never run side by side on this machine: everyone takes the same lock (FUZZ_BUILD_LOCK=
    # empty builds without it, e.g. when the caller already holds it).
    lock=()
    if [ -n "$BUILD_LOCK" ]; then lock=(flock "$BUILD_LOCK"); fi
    "${lock[@]}" swift build --package-path "$FUZZ_DIR" --scratch-path "$FUZZ_DIR/.build" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
    log "build took $(($(date +%s) - build_start)) s"
fi
BIN="$FUZZ_DIR/.build/debug/UptimeBridgeFuzz"
[ -x "$BIN" ] || { echo "run.sh: $BIN not built" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/uptime-bridge-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$ARTIFACTS"

# The sanitizer's verdict, the Swift runtime's reason and the first stack frames in this project
# (the whole tail of the log when there are none).
excerpt() {
    local verdict frames
    verdict="$(grep -E 'Running:|ERROR:|SUMMARY:|Fatal error|Swift runtime failure|ALARM|out-of-memory' "$1" || true)"
    frames="$(grep -E '#[0-9]+ 0x.* in .*/(Sources|Fuzz)/' "$1" || true)"
    if [ -n "$verdict$frames" ]; then
        head -n 8 <<<"$verdict"
        head -n 8 <<<"$frames"
    else
        tail -n 30 "$1"
    fi
}

# Prints what libFuzzer saved for a failed run: path, base64, and the sanitizer's first lines.
report_failure() {
    local target="$1" logfile="$2"
    local input
    input="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$logfile" | tail -n 1)"
    echo "---- $target: failure (log excerpt) ----"
    excerpt "$logfile"
    if [ -n "$input" ] && [ -f "$input" ]; then
        echo "crashing input: $input"
        echo "base64: $(base64 -w 0 "$input")"
    else
        echo "crashing input: (none saved; full log follows)"
        tail -n 40 "$logfile"
    fi
    echo "---- end of $target ----"
}

failed=()
summary=()
for target in "${TARGETS[@]}"; do
    mkdir -p "$WORK/$target/corpus" "$ARTIFACTS/$target"
    logfile="$WORK/$target.log"

    # 1. Every saved regression input must pass.
    regressions=()
    if [ -d "$FUZZ_DIR/Regressions/$target" ]; then
        while IFS= read -r -d '' file; do regressions+=("$file"); done \
            < <(find "$FUZZ_DIR/Regressions/$target" -type f ! -name '.*' ! -name '*.md' -print0 | sort -z)
    fi
    if [ ${#regressions[@]} -gt 0 ]; then
        if ! FUZZ_TARGET="$target" "$BIN" -timeout=5 -rss_limit_mb=2048 "${regressions[@]}" >"$logfile" 2>&1; then
            echo "---- $target: a regression input fails again ----"
            excerpt "$logfile"
            bad="$(grep -E '^Running: ' "$logfile" | tail -n 1 | sed 's/^Running: //')"
            [ -n "$bad" ] && echo "crashing input: $bad" && echo "base64: $(base64 -w 0 "$bad")"
            echo "---- end of $target ----"
            failed+=("$target")
            summary+=("$(printf '%-14s REGRESSION FAILED (%d saved inputs)' "$target" ${#regressions[@]})")
            continue
        fi
    fi

    # 2. Fuzz a temporary copy of the seeds (and the regression inputs) for the time given.
    if [ -d "$FUZZ_DIR/Corpus/$target" ]; then cp -R "$FUZZ_DIR/Corpus/$target/." "$WORK/$target/corpus/"; fi
    for file in "${regressions[@]}"; do cp "$file" "$WORK/$target/corpus/regression-$(basename "$file")"; done
    status=0
    FUZZ_TARGET="$target" "$BIN" \
        -max_total_time="$SECONDS_PER_TARGET" -timeout=5 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$ARTIFACTS/$target/" \
        "$WORK/$target/corpus" >"$logfile" 2>&1 || status=$?
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$logfile" | tail -n 1)"
    if [ -z "$executions" ]; then
        # A crash ends the run before the final stats; the last status line has the count.
        executions="$(grep -oE '^#[0-9]+' "$logfile" | tail -n 1 | tr -d '#')"
    fi
    if [ "$status" -ne 0 ]; then
        report_failure "$target" "$logfile"
        failed+=("$target")
        summary+=("$(printf '%-14s FAILED (exit %d) after %s executions' "$target" "$status" "${executions:-?}")")
    else
        summary+=("$(printf '%-14s ok  %10s executions in %s s, %d regression inputs passed' \
            "$target" "${executions:-?}" "$SECONDS_PER_TARGET" ${#regressions[@]})")
    fi
done

echo "==== fuzz summary ($(($(date +%s) - started)) s in all) ===="
for line in "${summary[@]}"; do echo "$line"; done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs kept under $ARTIFACTS)"
    exit 1
fi
