#!/usr/bin/env bash
# One-command benchmark (not a test): builds the shipped binary (deploy/build-static.sh), starts nginx + uptime-bridge on loopback and
# measures, in one run, with the same tools:
#   1. wrk: nginx's own `return 200` (the reference), and nginx → uptime-bridge `GET /uptime/`;
#   2. wrk: the same `GET /uptime/` while 64 requests to a deliberately slow function are in flight;
#   3. hyperfine: the binary as a one-shot CGI program (process start included);
#   4. wrk: warm-cache /response_time for one monitor (24 h, 4 regions at 180 s: 1,920 points) and
#      /query of the same with maxDataPoints 1000, bypassing nginx's micro-cache (an Authorization
#      header does), and /response_time served by the micro-cache;
#   5. the worker's RSS after the GET / runs (over 100k requests) and after all of the above;
#   6. wrk: warm-cache GET /metrics of a second worker behind its own nginx, fed by a second sandbox
#      with 1,000 monitors and 10 Statuspage pages, beside GET / on that worker; the output's size.
# Prints req/s, latency and the ratios. Options: DURATION (s, default 10), CONNECTIONS (default 32).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" wrk hyperfine python3

cd "$UB_ROOT"
# What is measured is what ships: dist/uptime-bridge from deploy/build-static.sh (the binary
# deploy/install.sh installs and deploy/up.sh runs); the sandbox comes from the same build.
ub_log "building the release binaries (deploy/build-static.sh --with-sandbox)"
"$UB_ROOT/deploy/build-static.sh" --with-sandbox >/dev/null
BIN="$(ub_static_bin_dir)"
BRIDGE="$UB_ROOT/dist/uptime-bridge"

RUN=$(mktemp -d /tmp/ub-bench-XXXXXX)
PORT=$(ub_free_port)
cleanup() {
    ub_stop_pidfile "$RUN/nginx.pid.own"
    ub_stop_pidfile "$RUN/bridge.pid"
    ub_stop_pidfile "$RUN/sandbox.pid"
    ub_stop_pidfile "$RUN/metrics-nginx.pid.own"
    ub_stop_pidfile "$RUN/metrics-bridge.pid"
    ub_stop_pidfile "$RUN/metrics-sandbox.pid"
    [ -n "${SLOW_PID:-}" ] && kill "$SLOW_PID" 2>/dev/null || true
    rm -rf "$RUN"
}
trap cleanup EXIT

SANDBOX_PORT=$(ub_free_port)
"$BIN/uptime-bridge-sandbox" --port "$SANDBOX_PORT" --monitors 5 >"$RUN/sandbox.log" 2>&1 &
echo $! >"$RUN/sandbox.pid"
ub_wait_http "http://127.0.0.1:$SANDBOX_PORT/_sandbox/health"

BETTERSTACK_API_URL="http://127.0.0.1:$SANDBOX_PORT" BETTERSTACK_API_TOKEN=sandbox-token \
UPTIME_BRIDGE_BASE_PATH=/uptime UPTIME_BRIDGE_DEBUG_ROUTES=1 \
    spawn-fcgi -n -s "$RUN/fcgi.sock" -M 0660 -- "$BRIDGE" >"$RUN/bridge.log" 2>&1 &
echo $! >"$RUN/bridge.pid"
ub_render_nginx "$RUN" "$PORT" "$RUN/fcgi.sock"
nginx -c "$RUN/nginx.conf" -p "$RUN/" >"$RUN/nginx.out" 2>&1 &
echo $! >"$RUN/nginx.pid.own"
ub_wait_http "http://127.0.0.1:$PORT/uptime/"
BRIDGE_PID=$(cat "$RUN/bridge.pid")

# wrk_run NAME URL [extra wrk args]: prints "req/s avg-latency p99" and keeps the raw output.
wrk_run() {
    local name=$1 url=$2; shift 2
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$RUN/wrk-$name.txt"
    local rps lat p99 total
    rps=$(awk '/^Requests\/sec/ {print $2}' "$RUN/wrk-$name.txt")
    lat=$(awk '/^    Latency/ {print $2}' "$RUN/wrk-$name.txt")
    p99=$(awk '/^ +99%/ {print $2}' "$RUN/wrk-$name.txt")
    total=$(awk '/requests in/ {print $1}' "$RUN/wrk-$name.txt")
    echo "$rps $lat $p99 $total"
}

ub_log "warm-up"
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/uptime/" >"$RUN/wrk-warmup.txt"
WARMUP_N=$(awk '/requests in/ {print $1}' "$RUN/wrk-warmup.txt")

ub_log "wrk: nginx return 200"
read -r NGINX_RPS NGINX_LAT NGINX_P99 NGINX_N < <(wrk_run nginx "http://127.0.0.1:$PORT/nginx-ok")
ub_log "wrk: nginx -> uptime-bridge GET /uptime/"
read -r UB_RPS UB_LAT UB_P99 UB_N < <(wrk_run health "http://127.0.0.1:$PORT/uptime/")
# The worker after its first ~100k+ requests (warm-up and GET /), before the larger responses below.
EARLY_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$BRIDGE_PID/status")
EARLY_SERVED=$(($(awk '/requests in/ {print $1}' "$RUN/wrk-health.txt") + WARMUP_N))

ub_log "wrk: GET /uptime/ with 64 slow (1 s) requests in flight"
cat >"$RUN/slow.lua" <<'LUA'
local n = 0
request = function()
    n = n + 1
    -- distinct URLs, so nginx's cache lock does not queue them behind each other
    return wrk.format("GET", "/uptime/_debug/sleep?ms=1000&n=" .. n)
end
LUA
wrk -t1 -c64 -d"$((DURATION + 6))s" --timeout 10s -s "$RUN/slow.lua" "http://127.0.0.1:$PORT" >"$RUN/wrk-slow.txt" &
SLOW_PID=$!
sleep 3
read -r LOADED_RPS LOADED_LAT LOADED_P99 LOADED_N < <(wrk_run loaded "http://127.0.0.1:$PORT/uptime/")
wait "$SLOW_PID" || true
SLOW_PID=""
SLOW_DONE=$(awk '/requests in/ {print $1}' "$RUN/wrk-slow.txt")
SLOW_LAT=$(awk '/^    Latency/ {print $2}' "$RUN/wrk-slow.txt")

ub_log "wrk: warm-cache /response_time and /query (1,920 points)"
RT_URL="http://127.0.0.1:$PORT/uptime/response_time?monitor_id=200001&region=us,eu,as,au"
POINTS=$(curl -s "$RT_URL" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
RT_BYTES=$(curl -s "$RT_URL" | wc -c)
NOW_ISO=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
FROM_ISO=$(date -u -d '-24 hours' +%Y-%m-%dT%H:%M:%S.000Z)
python3 - "$FROM_ISO" "$NOW_ISO" >"$RUN/query.json" <<'PY'
import json, sys
print(json.dumps({"range": {"from": sys.argv[1], "to": sys.argv[2]}, "intervalMs": 1000, "maxDataPoints": 1000,
                  "targets": [{"refId": "A", "target": 'response_time{monitor="200001"}'}]}))
PY
cat >"$RUN/query.lua" <<LUA
local file = io.open("$RUN/query.json")
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer benchmark"
LUA
QUERY_POINTS=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$RUN/query.json" \
    "http://127.0.0.1:$PORT/uptime/query" | python3 -c 'import json,sys; print(sum(len(s["datapoints"]) for s in json.load(sys.stdin)))')
read -r RT_RPS RT_LAT RT_P99 RT_N < <(wrk_run response_time "$RT_URL" -H "Authorization: Bearer benchmark")
read -r Q_RPS Q_LAT Q_P99 Q_N < <(wrk_run query "http://127.0.0.1:$PORT/uptime/query" -s "$RUN/query.lua")
read -r MC_RPS MC_LAT MC_P99 MC_N < <(wrk_run microcache "$RT_URL")
read -r UB2_RPS UB2_LAT UB2_P99 UB2_N < <(wrk_run health2 "http://127.0.0.1:$PORT/uptime/")

RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$BRIDGE_PID/status")
ANON_KB=$(awk '/^Anonymous/ {print $2}' "/proc/$BRIDGE_PID/smaps_rollup")
SERVED=$((UB_N + LOADED_N + SLOW_DONE + RT_N + Q_N + UB2_N))

ub_log "metrics: a second sandbox (1,000 monitors, 10 status pages), worker and nginx"
M="$RUN/metrics"
mkdir -p "$M"
M_SANDBOX_PORT=$(ub_free_port)
"$BIN/uptime-bridge-sandbox" --port "$M_SANDBOX_PORT" --monitors 1000 --statuspages 10 >"$M/sandbox.log" 2>&1 &
echo $! >"$RUN/metrics-sandbox.pid"
ub_wait_http "http://127.0.0.1:$M_SANDBOX_PORT/_sandbox/health"
python3 - "$M_SANDBOX_PORT" >"$M/services.json" <<'PY'
import json, sys
base = f"http://127.0.0.1:{sys.argv[1]}/statuspage"
print(json.dumps({f"page{i}": {"url": f"{base}/page-{i}/api/v2/summary.json", "name": f"Page {i}"} for i in range(1, 11)}))
PY
# Latest response times kept for an hour, so that the measured scrapes are all warm (by default
# they are refreshed every 60 s by a background sweep, which a 10 s run may or may not meet).
BETTERSTACK_API_URL="http://127.0.0.1:$M_SANDBOX_PORT" BETTERSTACK_API_TOKEN=sandbox-token \
UPTIME_BRIDGE_BASE_PATH=/uptime UPTIME_BRIDGE_STATUSPAGE_SERVICES="$M/services.json" \
UPTIME_BRIDGE_METRICS_RESPONSE_TIME_TTL_SECONDS=3600 UPTIME_BRIDGE_STATUSPAGE_TTL_SECONDS=3600 \
    spawn-fcgi -n -s "$M/fcgi.sock" -M 0660 -- "$BRIDGE" >"$M/bridge.log" 2>&1 &
echo $! >"$RUN/metrics-bridge.pid"
M_PORT=$(ub_free_port)
ub_render_nginx "$M" "$M_PORT" "$M/fcgi.sock"
nginx -c "$M/nginx.conf" -p "$M/" >"$M/nginx.out" 2>&1 &
echo $! >"$RUN/metrics-nginx.pid.own"
ub_wait_http "http://127.0.0.1:$M_PORT/uptime/"
METRICS_URL="http://127.0.0.1:$M_PORT/uptime/metrics"
WARM_START=$(date +%s.%N)
for _ in $(seq 1 600); do
    curl -s "$METRICS_URL" >"$M/metrics.txt"
    grep -q 'uptime_bridge_upstream_up{upstream="betterstack"} 1' "$M/metrics.txt" \
        && grep -q 'uptime_bridge_upstream_up{upstream="statuspage"} 1' "$M/metrics.txt" && break
    sleep 0.5
done
WARM_SECONDS=$(python3 -c "import time; print('%.1f' % (time.time() - $WARM_START))")
curl -s "$METRICS_URL" >"$M/metrics.txt"
METRICS_BYTES=$(wc -c <"$M/metrics.txt")
METRICS_SERIES=$(grep -vc '^#' "$M/metrics.txt")
METRICS_GZIP=$(curl -s -H 'Accept-Encoding: gzip' "$METRICS_URL" | wc -c)  # what Prometheus transfers
MONITOR_SERIES=$(grep -c '^betterstack_monitor_up{' "$M/metrics.txt")
PAGE_SERIES=$(grep -c '^statuspage_service_status{' "$M/metrics.txt")
read -r M_RPS M_LAT M_P99 M_N < <(wrk_run metrics "$METRICS_URL")
read -r MH_RPS MH_LAT MH_P99 MH_N < <(wrk_run metrics_health "http://127.0.0.1:$M_PORT/uptime/")
grep -q 'uptime_bridge_upstream_up{upstream="betterstack"} 1' <(curl -s "$METRICS_URL") && M_STILL_UP=yes || M_STILL_UP=no
M_BRIDGE_PID=$(cat "$RUN/metrics-bridge.pid")
M_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$M_BRIDGE_PID/status")
ub_stop_pidfile "$RUN/metrics-nginx.pid.own"
ub_stop_pidfile "$RUN/metrics-bridge.pid"
ub_stop_pidfile "$RUN/metrics-sandbox.pid"

ub_log "hyperfine: one CGI request per process"
export GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=GET PATH_INFO=/ QUERY_STRING=
hyperfine -N --runs 200 --warmup 20 --export-json "$RUN/cgi.json" "$BRIDGE" >/dev/null 2>&1
hyperfine -N --runs 200 --warmup 20 --export-json "$RUN/true.json" "/bin/true" >/dev/null 2>&1
CGI_MEDIAN=$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$RUN/cgi.json")
CGI_MEAN=$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$RUN/cgi.json")
TRUE_MEDIAN=$(python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"]*1000))' "$RUN/true.json")
unset GATEWAY_INTERFACE REQUEST_METHOD PATH_INFO QUERY_STRING

ratio() { python3 -c "print('%.3f' % ($1 / $2))"; }
cat <<REPORT

uptime-bridge benchmark — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, wrk -t2 -c$CONNECTIONS -d${DURATION}s
  (nginx, wrk and the responder share the machine; compare ratios, not absolute numbers)

  path                                         req/s      avg lat   p99
  nginx return 200 (reference)                 $(printf '%-10s %-9s %s' "$NGINX_RPS" "$NGINX_LAT" "$NGINX_P99")
  nginx -> uptime-bridge GET /                 $(printf '%-10s %-9s %s' "$UB_RPS" "$UB_LAT" "$UB_P99")
  same, 64 slow requests in flight             $(printf '%-10s %-9s %s' "$LOADED_RPS" "$LOADED_LAT" "$LOADED_P99")
  (slow function: $SLOW_DONE answered, avg latency $SLOW_LAT for a 1 s sleep)

  GET / vs nginx return 200:                   $(ratio "$UB_RPS" "$NGINX_RPS")x   (target >= 0.18)
  GET / with 64 slow in flight vs without:     $(ratio "$LOADED_RPS" "$UB_RPS")x   (target >= 0.8)
  GET /response_time, warm cache ($POINTS points, $RT_BYTES bytes)  $(printf '%-10s %-9s %s' "$RT_RPS" "$RT_LAT" "$RT_P99")
  POST /query, maxDataPoints 1000 ($QUERY_POINTS points)  $(printf '%-10s %-9s %s' "$Q_RPS" "$Q_LAT" "$Q_P99")
  GET /response_time from nginx's micro-cache  $(printf '%-10s %-9s %s' "$MC_RPS" "$MC_LAT" "$MC_P99")
  GET / again, same run                        $(printf '%-10s %-9s %s' "$UB2_RPS" "$UB2_LAT" "$UB2_P99")
  /response_time vs GET /:                     $(ratio "$RT_RPS" "$UB2_RPS")x
  /query (maxDataPoints 1000) vs GET /:        $(ratio "$Q_RPS" "$UB2_RPS")x
  GET /metrics, warm cache, $MONITOR_SERIES monitors + $PAGE_SERIES pages  $(printf '%-10s %-9s %s' "$M_RPS" "$M_LAT" "$M_P99")
    ($METRICS_SERIES series, $METRICS_BYTES bytes, $METRICS_GZIP gzipped; first complete scrape after ${WARM_SECONDS} s cold; still up afterwards: $M_STILL_UP)
  GET / on that worker, same run               $(printf '%-10s %-9s %s' "$MH_RPS" "$MH_LAT" "$MH_P99")
  /metrics (1,000 monitors) vs GET /:          $(ratio "$M_RPS" "$MH_RPS")x   (vs GET / of the first worker: $(ratio "$M_RPS" "$UB2_RPS")x)
  metrics worker RSS after $((M_N + MH_N)) requests:  $((M_RSS_KB / 1024)) MB ($M_RSS_KB kB)
  CGI, one request per process (dist/, hyperfine): median $CGI_MEDIAN ms, mean $CGI_MEAN ms   (target <= 10 ms; /bin/true: $TRUE_MEDIAN ms)
  worker RSS after $EARLY_SERVED requests (GET /):  $((EARLY_RSS_KB / 1024)) MB ($EARLY_RSS_KB kB)   (target <= 20 MB)
  worker RSS after $SERVED requests (all above):           $((RSS_KB / 1024)) MB ($RSS_KB kB, anonymous $ANON_KB kB)
REPORT
