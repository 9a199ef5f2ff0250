#!/usr/bin/env bash
# Instructions per warm request in a resident worker (not a benchmark of speed: callgrind counts
# instructions, which repeat on a noisy machine). Starts the sandbox, the shipped binary as one
# FastCGI process under `valgrind --tool=callgrind` behind nginx, warms its cache, then for each
# request kind zeroes the counters, sends N requests (curl, one at a time) and dumps: the dump's
# total divided by N is the worker's instructions per request (FastCGI accept, parse, function,
# write; nginx and curl are not counted). Prints one line per kind and leaves the dumps in the run
# folder for `callgrind_annotate --inclusive=yes`.
#
#   Benchmarks/callgrind-resident.sh [N]      default 100; needs deploy/build-static.sh --with-sandbox
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"
N=${1:-100}
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" valgrind python3
BIN="$(ub_static_bin_dir)"
BRIDGE="$UB_ROOT/dist/uptime-bridge"
[ -x "$BRIDGE" ] && [ -x "$BIN/uptime-bridge-sandbox" ] || { echo "build first: deploy/build-static.sh --with-sandbox" >&2; exit 2; }

RUN=$(mktemp -d "${TMPDIR:-/tmp}/uptime-bridge-callgrind.XXXXXX")
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

SANDBOX_PORT=$(ub_free_port)
"$BIN/uptime-bridge-sandbox" --port "$SANDBOX_PORT" --monitors 5 >"$RUN/sandbox.log" 2>&1 &
pids+=($!)
ub_wait_http "http://127.0.0.1:$SANDBOX_PORT/_sandbox/health"
cat >"$RUN/config.yaml" <<YAML
betterstack:
  api_url: http://127.0.0.1:$SANDBOX_PORT
  api_token: sandbox-token
YAML
valgrind --tool=callgrind --callgrind-out-file="$RUN/callgrind.%p.out" "$BRIDGE" serve --socket "$RUN/fcgi.sock" \
    --workers 0 --threads 2 --base-path /uptime --config "$RUN/config.yaml" --log-level warning >"$RUN/bridge.log" 2>&1 &
BRIDGE_PID=$!
pids+=("$BRIDGE_PID")
PORT=$(ub_free_port)
ub_render_nginx "$RUN/nginx" "$PORT" "$RUN/fcgi.sock"
nginx -c "$RUN/nginx/nginx.conf" -p "$RUN/nginx/" >"$RUN/nginx.out" 2>&1 &
pids+=($!)
BASE="http://127.0.0.1:$PORT/uptime"
for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/")" = 200 ] && break
    sleep 0.1
done

NOW_MS=$(($(date +%s) * 1000))
python3 - "$NOW_MS" >"$RUN/query.json" <<'PY'
import datetime, json, sys
to = int(sys.argv[1])
iso = lambda ms: datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
print(json.dumps({"range": {"from": iso(to - 86_400_000), "to": iso(to)}, "intervalMs": 1000, "maxDataPoints": 1000,
                  "targets": [{"refId": "A", "target": 'response_time{monitor="200001"}'}]}))
PY
# Authorization bypasses nginx's micro-cache (access control is off: the bridge ignores it).
get() { curl -s -o /dev/null -H 'Authorization: Bearer callgrind' "$BASE$1"; }
query() { curl -s -o /dev/null -H 'Authorization: Bearer callgrind' -H 'Content-Type: application/json' --data-binary @"$RUN/query.json" "$BASE/query"; }
RT="/response_time?monitor_id=200001&region=us,eu,as,au"
# Warm: the monitor list, the response times, the encoded rows, every code path once.
for _ in 1 2 3; do get /; get "$RT"; query; done

measure() {
    local name=$1; shift
    callgrind_control -z "$BRIDGE_PID" >/dev/null 2>&1
    for _ in $(seq 1 "$N"); do "$@"; done
    callgrind_control -d "$BRIDGE_PID" >/dev/null 2>&1
    sleep 1
    local dump total
    dump=$(ls -t "$RUN"/callgrind.*.out.* | head -n 1)
    total=$(callgrind_annotate "$dump" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
    printf '%-48s %12s instructions per request   (%s)\n' "$name" "$((total / N))" "$dump"
}
echo "warm requests to one resident worker, $N each:"
measure "GET / (health)" get /
measure "GET /response_time (1,920 points, 4 regions)" get "$RT"
measure "POST /query (the same, maxDataPoints 1000)" query
trap - EXIT
cleanup
echo "dumps kept in $RUN"
