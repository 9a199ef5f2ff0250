#!/usr/bin/env bash
# One-command benchmark (not a test): builds the shipped binary (deploy/build-static.sh), starts nginx + uptime-bridge on loopback and
# measures, in one run, with the same tools:
#   1. wrk: nginx's own `return 200` (the reference), and nginx → uptime-bridge `GET /uptime/`;
#   2. wrk: the same `GET /uptime/` while 64 requests to a deliberately slow function are in flight;
#   3. hyperfine: the binary as a one-shot CGI program (process start included);
#   4. wrk: warm-cache /response_time for one monitor (24 h, 4 regions at 180 s: 1,920 points) and
#      /query of the same with maxDataPoints 1000, with a fixed range and with a moving one (from/to
#      a millisecond later on every request), bypassing nginx's micro-cache (an Authorization
#      header does), and /response_time served by the micro-cache;
#   5. the worker's RSS after the GET / runs (over 100k requests) and after all of the above;
#   6. wrk: warm-cache GET /metrics of a second worker behind its own nginx, fed by a second sandbox
#      with 1,000 monitors and 10 Statuspage pages, beside GET / on that worker; the output's size;
#   7. wrk: GET /uptime/ while 8 curl loops send the known attacks without pause (a 1 MiB body whose
#      target is 1 MiB of spaces, 30,000 targets, availability over 400 days, a range to 2^63-1),
#      as a ratio to the plain GET / above, beside a control: the same loops posting to nginx's own
#      `return 200` (the cost of curl and nginx alone);
#   8. curl: POST /query of that 1 MiB target (median of 20), beside the same 1 MiB sent to
#      /_debug/echo (transfer only) and GET /;
#   9. Benchmarks/apache-cgi.sh: the shared-hosting recipe under a real Apache (mod_cgi), medians of
#      50 curl requests: a static file (reference), GET /uptime/, /sla and /response_time from the
#      file cache, the first uncached /response_time.
# Prints req/s, latency and the ratios. Options: DURATION (s, default 10), CONNECTIONS (default 32),
# BUILD_LOCK (a file: the build runs under `flock BUILD_LOCK`, for machines where builds share cores).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"

DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" wrk hyperfine python3 apache2

cd "$UB_ROOT"
# What is measured is what ships: dist/uptime-bridge from deploy/build-static.sh (the binary
# deploy/install.sh installs and deploy/up.sh runs); the sandbox comes from the same build.
ub_log "building the release binaries (deploy/build-static.sh --with-sandbox)"
${BUILD_LOCK:+flock "$BUILD_LOCK"} "$UB_ROOT/deploy/build-static.sh" --with-sandbox >/dev/null
BIN="$(ub_static_bin_dir)"
BRIDGE="$UB_ROOT/dist/uptime-bridge"

RUN=$(mktemp -d /tmp/ub-bench-XXXXXX)
PORT=$(ub_free_port)
HOSTILE_PIDS=()
cleanup() {
    ub_stop_pidfile "$RUN/nginx.pid.own"
    ub_stop_pidfile "$RUN/bridge.pid"
    ub_stop_pidfile "$RUN/sandbox.pid"
    ub_stop_pidfile "$RUN/metrics-nginx.pid.own"
    ub_stop_pidfile "$RUN/metrics-bridge.pid"
    ub_stop_pidfile "$RUN/metrics-sandbox.pid"
    [ -n "${SLOW_PID:-}" ] && kill "$SLOW_PID" 2>/dev/null || true
    touch "$RUN/hostile.stop" 2>/dev/null || true
    for pid in "${HOSTILE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
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

# The bridge's workers: since the master keeps workers (server.workers), BRIDGE_PID is the master
# and the requests are served by its children. bridge_workers PID lists the uptime-bridge processes
# below PID (PID itself when it has none); workers_rss PID prints the largest worker's VmRSS in kB,
# every worker's (a/b), and the largest one's pid; workers_identity PID "pid:start-tick" of each, so
# that a worker crashed and restarted by the master shows.
bridge_workers() {
    local pid kids=()
    for pid in $(pgrep -P "$1" || true); do
        [[ "$(readlink "/proc/$pid/exe" 2>/dev/null)" == */uptime-bridge* ]] && kids+=("$pid")
    done
    if ((${#kids[@]})); then printf '%s\n' "${kids[@]}"; else echo "$1"; fi
}
workers_rss() {
    local pid kb max=0 maxpid=$1 list=""
    for pid in $(bridge_workers "$1"); do
        kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
        list+="${list:+/}$kb"
        if ((kb > max)); then max=$kb; maxpid=$pid; fi
    done
    echo "$max $list $maxpid"
}
workers_identity() {
    local pid
    for pid in $(bridge_workers "$1"); do printf '%s:%s ' "$pid" "$(awk '{print $22}' "/proc/$pid/stat")"; done
}

ub_log "warm-up"
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$PORT/uptime/" >"$RUN/wrk-warmup.txt"
WARMUP_N=$(awk '/requests in/ {print $1}' "$RUN/wrk-warmup.txt")

ub_log "wrk: nginx return 200"
read -r NGINX_RPS NGINX_LAT NGINX_P99 NGINX_N < <(wrk_run nginx "http://127.0.0.1:$PORT/nginx-ok")
ub_log "wrk: nginx -> uptime-bridge GET /uptime/"
read -r UB_RPS UB_LAT UB_P99 UB_N < <(wrk_run health "http://127.0.0.1:$PORT/uptime/")
# The worker after its first ~100k+ requests (warm-up and GET /), before the larger responses below.
read -r EARLY_RSS_KB EARLY_RSS_LIST _ < <(workers_rss "$BRIDGE_PID")
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

ub_log "wrk: GET /uptime/ while 8 loops send the known attacks"
# The attacks the request limits were built against (docs/limits-and-security.md), each answered by the
# responder (an Authorization header bypasses nginx's micro-cache): a 1 MiB body whose target is
# 1 MiB of spaces (400), 30,000 targets (422), availability over 400 days (200, per range), a range
# up to 2^63-1 ms (400). Two curl loops per attack, one request after the other.
python3 - "$RUN" "$(date -u -d '-400 days' +%Y-%m-%dT%H:%M:%S.000Z)" "$(date -u +%Y-%m-%dT%H:%M:%S.000Z)" <<'PY'
import json, sys
run, old, now = sys.argv[1:]
day = {"from": old[:10] + "T00:00:00.000Z", "to": now}
recent = {"from": now[:10] + "T00:00:00.000Z", "to": now}
head = json.dumps({"range": recent, "targets": [{"target": "response_time{"}]})[:-4]  # up to the "{"
tail = '}"}]}'
with open(f"{run}/attack-1mib.json", "w") as f:
    f.write(head + " " * ((1 << 20) - len(head) - len(tail)) + tail)
with open(f"{run}/attack-30k.json", "w") as f:
    json.dump({"range": recent, "targets": [{"target": "response_time"}] * 30000}, f)
with open(f"{run}/attack-400d.json", "w") as f:
    json.dump({"range": day, "targets": [{"target": "availability"}]}, f)
with open(f"{run}/attack-overflow.json", "w") as f:
    json.dump({"range": {"from": "0", "to": "9223372036854775807"}, "targets": [{"target": "response_time"}]}, f)
PY
[ "$(wc -c <"$RUN/attack-1mib.json")" -eq 1048576 ] || { echo "attack-1mib.json is not 1 MiB" >&2; exit 1; }
hostile_loop() {
    local body=$1 log=$2 url=$3
    while [ ! -e "$RUN/hostile.stop" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer benchmark' -H 'Content-Type: application/json' \
            --data-binary @"$body" "$url" >>"$log" || echo 000 >>"$log"
    done
}
# hostile_run NAME URL: GET /uptime/ under wrk while the 8 loops POST the attacks to URL.
hostile_run() {
    local name=$1 url=$2
    rm -f "$RUN/hostile.stop"
    for kind in 1mib 30k 400d overflow; do
        for i in 1 2; do
            hostile_loop "$RUN/attack-$kind.json" "$RUN/$name-$kind-$i.log" "$url" &
            HOSTILE_PIDS+=($!)
        done
    done
    sleep 1
    wrk_run "$name" "http://127.0.0.1:$PORT/uptime/"
    touch "$RUN/hostile.stop"
    wait "${HOSTILE_PIDS[@]}" 2>/dev/null || true
    HOSTILE_PIDS=()
}
# The control: the same loops, bodies and curl processes aimed at nginx's own `return 200`, which
# reads and drops the bodies: what the load generator and nginx cost without the responder.
WORKERS_BEFORE=$(workers_identity "$BRIDGE_PID")
read -r CONTROL_RPS CONTROL_LAT CONTROL_P99 CONTROL_N < <(hostile_run control "http://127.0.0.1:$PORT/nginx-ok")
CONTROL_SENT=$(cat "$RUN"/control-*.log | wc -l)
HOSTILE_START=$(date +%s.%N)
read -r HOSTILE_RPS HOSTILE_LAT HOSTILE_P99 HOSTILE_N < <(hostile_run hostile "http://127.0.0.1:$PORT/uptime/query")
HOSTILE_SECONDS=$(python3 -c "import time; print('%.1f' % (time.time() - $HOSTILE_START))")
HOSTILE_SENT=$(cat "$RUN"/hostile-*.log | wc -l)
HOSTILE_STATUSES=$(for kind in 1mib 30k 400d overflow; do
    printf '%s: %s  ' "$kind" "$(sort "$RUN"/hostile-"$kind"-*.log | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
done)
[ "$(workers_identity "$BRIDGE_PID")" = "$WORKERS_BEFORE" ] && HOSTILE_ALIVE=yes || HOSTILE_ALIVE=no

ub_log "curl: POST /uptime/query with a 1 MiB target, 20 times, beside /_debug/echo and GET /"
# Median of curl's time_total in ms over 20 requests: curl_median URL [curl args].
curl_median() {
    local url=$1; shift
    for _ in $(seq 1 20); do curl -s -o /dev/null -w '%{time_total}\n' "$@" "$url"; done |
        python3 -c 'import statistics, sys; print("%.2f" % (statistics.median(float(x) for x in sys.stdin.read().split()) * 1000))'
}
PARSE_STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @"$RUN/attack-1mib.json" "http://127.0.0.1:$PORT/uptime/query")
PARSE_MS=$(curl_median "http://127.0.0.1:$PORT/uptime/query" -H 'Content-Type: application/json' --data-binary @"$RUN/attack-1mib.json")
ECHO_MS=$(curl_median "http://127.0.0.1:$PORT/uptime/_debug/echo" --data-binary @"$RUN/attack-1mib.json")
GET_MS=$(curl_median "http://127.0.0.1:$PORT/uptime/")

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
# The same query with Grafana's moving range: every request's from/to a millisecond later than the
# previous one's (per wrk thread), so neither cache holds the answer.
FROM_MS=$(($(date -u -d "$FROM_ISO" +%s) * 1000))
cat >"$RUN/query-moving.lua" <<LUA
local counter = 0
local from_ms, to_ms = $FROM_MS, $FROM_MS + 86400000
local function iso(ms)
  return os.date("!%Y-%m-%dT%H:%M:%S", math.floor(ms / 1000)) .. string.format(".%03dZ", ms % 1000)
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  counter = counter + 1
  local body = '{"range":{"from":"' .. iso(from_ms + counter) .. '","to":"' .. iso(to_ms + counter) ..
    '"},"intervalMs":1000,"maxDataPoints":1000,"targets":[{"refId":"A","target":"response_time{monitor=\\\\"200001\\\\"}"}]}'
  return wrk.format(nil, nil, nil, body)
end
LUA
QUERY_POINTS=$(curl -s -X POST -H 'Content-Type: application/json' --data-binary @"$RUN/query.json" \
    "http://127.0.0.1:$PORT/uptime/query" | python3 -c 'import json,sys; print(sum(len(s["datapoints"]) for s in json.load(sys.stdin)))')
read -r RT_RPS RT_LAT RT_P99 RT_N < <(wrk_run response_time "$RT_URL" -H "Authorization: Bearer benchmark")
read -r Q_RPS Q_LAT Q_P99 Q_N < <(wrk_run query "http://127.0.0.1:$PORT/uptime/query" -s "$RUN/query.lua")
read -r QM_RPS QM_LAT QM_P99 QM_N < <(wrk_run query_moving "http://127.0.0.1:$PORT/uptime/query" -s "$RUN/query-moving.lua")
read -r MC_RPS MC_LAT MC_P99 MC_N < <(wrk_run microcache "$RT_URL")
# The reference: nginx serving the identical bytes as a static file.
mkdir -p "$RUN/static"
curl -s "$RT_URL" >"$RUN/static/response_time.json"
read -r RTS_RPS RTS_LAT RTS_P99 _ < <(wrk_run response_time_static "http://127.0.0.1:$PORT/static/response_time.json")
read -r UB2_RPS UB2_LAT UB2_P99 UB2_N < <(wrk_run health2 "http://127.0.0.1:$PORT/uptime/")

read -r RSS_KB RSS_LIST RSS_PID < <(workers_rss "$BRIDGE_PID")
ANON_KB=$(awk '/^Anonymous/ {print $2}' "/proc/$RSS_PID/smaps_rollup")
MASTER_RSS_KB=$(awk '/^VmRSS/ {print $2}' "/proc/$BRIDGE_PID/status")
SERVED=$((UB_N + LOADED_N + SLOW_DONE + CONTROL_N + HOSTILE_N + HOSTILE_SENT + 61 + RT_N + Q_N + UB2_N))

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
mkdir -p "$M/static"
cp "$M/metrics.txt" "$M/static/metrics.txt"
read -r MS_RPS MS_LAT MS_P99 _ < <(wrk_run metrics_static "http://127.0.0.1:$M_PORT/static/metrics.txt")
read -r MH_RPS MH_LAT MH_P99 MH_N < <(wrk_run metrics_health "http://127.0.0.1:$M_PORT/uptime/")
grep -q 'uptime_bridge_upstream_up{upstream="betterstack"} 1' <(curl -s "$METRICS_URL") && M_STILL_UP=yes || M_STILL_UP=no
M_BRIDGE_PID=$(cat "$RUN/metrics-bridge.pid")
read -r M_RSS_KB M_RSS_LIST _ < <(workers_rss "$M_BRIDGE_PID")
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

  same, 8 loops sending the known attacks      $(printf '%-10s %-9s %s' "$HOSTILE_RPS" "$HOSTILE_LAT" "$HOSTILE_P99")
  (attacks: $HOSTILE_SENT answered in ${HOSTILE_SECONDS} s — $HOSTILE_STATUSES; same workers afterwards: $HOSTILE_ALIVE)
  control: the same 8 loops to nginx-ok        $(printf '%-10s %-9s %s' "$CONTROL_RPS" "$CONTROL_LAT" "$CONTROL_P99")
  ($CONTROL_SENT bodies posted to nginx's return 200, which drops them)

  GET / vs nginx return 200:                   $(ratio "$UB_RPS" "$NGINX_RPS")x   (target >= 0.18)
  GET / with 64 slow in flight vs without:     $(ratio "$LOADED_RPS" "$UB_RPS")x   (target >= 0.8)
  GET / with 8 attack loops vs without:        $(ratio "$HOSTILE_RPS" "$UB_RPS")x   (control, loops to nginx-ok: $(ratio "$CONTROL_RPS" "$UB_RPS")x)
  POST /query, 1 MiB target (-> $PARSE_STATUS), curl median of 20: $PARSE_MS ms   (same 1 MiB to /_debug/echo: $ECHO_MS ms; GET /: $GET_MS ms)
  GET /response_time, warm cache ($POINTS points, $RT_BYTES bytes)  $(printf '%-10s %-9s %s' "$RT_RPS" "$RT_LAT" "$RT_P99")
  POST /query, maxDataPoints 1000 ($QUERY_POINTS points)  $(printf '%-10s %-9s %s' "$Q_RPS" "$Q_LAT" "$Q_P99")
  POST /query, the same with a moving range      $(printf '%-10s %-9s %s' "$QM_RPS" "$QM_LAT" "$QM_P99")
  GET /response_time from nginx's micro-cache  $(printf '%-10s %-9s %s' "$MC_RPS" "$MC_LAT" "$MC_P99")
  GET / again, same run                        $(printf '%-10s %-9s %s' "$UB2_RPS" "$UB2_LAT" "$UB2_P99")
  the same bytes as a static file (nginx)      $(printf '%-10s %-9s %s' "$RTS_RPS" "$RTS_LAT" "$RTS_P99")
  /response_time vs GET /:                     $(ratio "$RT_RPS" "$UB2_RPS")x
  /response_time vs the same bytes, static:    $(ratio "$RT_RPS" "$RTS_RPS")x   (target >= 0.3)
  /query (maxDataPoints 1000) vs GET /:        $(ratio "$Q_RPS" "$UB2_RPS")x
  /query, moving range, vs GET /:               $(ratio "$QM_RPS" "$UB2_RPS")x
  GET /metrics, warm cache, $MONITOR_SERIES monitors + $PAGE_SERIES pages  $(printf '%-10s %-9s %s' "$M_RPS" "$M_LAT" "$M_P99")
    ($METRICS_SERIES series, $METRICS_BYTES bytes, $METRICS_GZIP gzipped; first complete scrape after ${WARM_SECONDS} s cold; still up afterwards: $M_STILL_UP)
  GET / on that worker, same run               $(printf '%-10s %-9s %s' "$MH_RPS" "$MH_LAT" "$MH_P99")
  the same bytes as a static file (nginx)      $(printf '%-10s %-9s %s' "$MS_RPS" "$MS_LAT" "$MS_P99")
  /metrics vs the same bytes, static:          $(ratio "$M_RPS" "$MS_RPS")x   (target >= 0.3)
  /metrics (1,000 monitors) vs GET /:          $(ratio "$M_RPS" "$MH_RPS")x   (vs GET / of the first worker: $(ratio "$M_RPS" "$UB2_RPS")x)
  metrics worker RSS after $((M_N + MH_N)) requests:  $((M_RSS_KB / 1024)) MB ($M_RSS_KB kB; every worker: $M_RSS_LIST kB)
  CGI, one request per process (dist/, hyperfine): median $CGI_MEDIAN ms, mean $CGI_MEAN ms   (target <= 10 ms; /bin/true: $TRUE_MEDIAN ms)
  worker RSS after $EARLY_SERVED requests (GET /):  $((EARLY_RSS_KB / 1024)) MB ($EARLY_RSS_KB kB; every worker: $EARLY_RSS_LIST kB)   (target <= 20 MB)
  worker RSS after $SERVED requests (all above):           $((RSS_KB / 1024)) MB ($RSS_KB kB, anonymous $ANON_KB kB; every worker: $RSS_LIST kB; master $MASTER_RSS_KB kB)
REPORT

# 9. CGI through Apache, from the file cache (its own Apache and sandbox; the binary built above).
UB_BENCH_BINARY="$BRIDGE" UB_BENCH_SANDBOX="$BIN/uptime-bridge-sandbox" bash "$UB_ROOT/Benchmarks/apache-cgi.sh"
