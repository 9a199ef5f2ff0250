#!/usr/bin/env bash
# Benchmark (not a test) of the shared-hosting CGI path: the recipe of deploy/shared-hosting/ as
# shipped (docs/shared-hosting.md, the same setup as Tests/IntegrationTests/SharedHostingTests
# .swift, SetEnv variant) under a real Apache 2.4 (prefork, mod_cgi, mod_rewrite, `AllowOverride
# FileInfo Options`, children as www-data when run as root) on loopback, fed by the sandbox.
# Sequential curl requests, medians of UB_BENCH_CGI_N (default 50) of time_total, for:
#   - a ~100-byte static file served by the same Apache (the reference, measured in the same run);
#   - GET /uptime/ (health: one CGI process, no upstream);
#   - GET /uptime/sla?monitor_id=ID (served from the file cache);
#   - GET /uptime/response_time?monitor_id=ID&from=<24 h ago>&to=<now>: one uncached request (cache
#     directory emptied first: the monitor list and the response times come from the sandbox), then
#     UB_BENCH_CGI_N from the file cache (X-Uptime-Bridge-Cache: hit is checked);
# and prints the ratios to the static file and /response_time cached / health (target <= 3x).
# Inputs: UB_BENCH_BINARY (default dist/uptime-bridge, from deploy/build-static.sh) and
# UB_BENCH_SANDBOX (default: the sandbox of the shipped build, see find_sandbox). Builds nothing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../deploy/lib.sh"

N=${UB_BENCH_CGI_N:-50}
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "apache-cgi: UB_BENCH_CGI_N must be a positive integer, not '$N'" >&2; exit 2; }

APACHE2=$(command -v apache2 || command -v httpd || true)
if [ -z "$APACHE2" ]; then
    echo "apache-cgi: apache2 is required and was not found in PATH (Debian: apt-get install apache2)" >&2
    exit 1
fi
MODULES=/usr/lib/apache2/modules
for module in mpm_prefork authz_core mime env rewrite cgi; do
    if [ ! -f "$MODULES/mod_$module.so" ]; then
        echo "apache-cgi: $MODULES/mod_$module.so is missing (the Debian apache2 package provides it)" >&2
        exit 1
    fi
done
for tool in curl python3; do
    command -v "$tool" >/dev/null || { echo "apache-cgi: $tool is required" >&2; exit 1; }
done

BINARY=${UB_BENCH_BINARY:-$UB_ROOT/dist/uptime-bridge}
if [ ! -x "$BINARY" ]; then
    echo "apache-cgi: $BINARY is missing or not executable (deploy/build-static.sh builds it)" >&2
    exit 1
fi

# The sandbox of the shipped build (deploy/build-static.sh --with-sandbox): ub_static_bin_dir's
# directory, found from the scratch path of ub_static_build_flags without running `swift build
# --show-bin-path` (which takes the build lock of a build that may be running); else a plain
# release or debug build. The sandbox only answers the one uncached request, so its build matters
# little.
find_sandbox() {
    if [ -n "${UB_BENCH_SANDBOX:-}" ]; then echo "$UB_BENCH_SANDBOX"; return; fi
    local flags scratch="" i candidate
    mapfile -t flags < <(ub_static_build_flags)
    for i in "${!flags[@]}"; do
        [ "${flags[$i]}" = --scratch-path ] && scratch=${flags[$((i + 1))]}
    done
    for candidate in "$scratch/release/uptime-bridge-sandbox" "$scratch"/*/release/uptime-bridge-sandbox \
        "$UB_ROOT/.build/release/uptime-bridge-sandbox" "$UB_ROOT/.build"/*/release/uptime-bridge-sandbox \
        "$UB_ROOT/.build/debug/uptime-bridge-sandbox" "$UB_ROOT/.build"/*/debug/uptime-bridge-sandbox; do
        if [ -x "$candidate" ]; then echo "$candidate"; return; fi
    done
}
SANDBOX=$(find_sandbox)
if [ -z "$SANDBOX" ] || [ ! -x "$SANDBOX" ]; then
    echo "apache-cgi: no uptime-bridge-sandbox found${SANDBOX:+ at $SANDBOX} (deploy/build-static.sh --with-sandbox builds it; or set UB_BENCH_SANDBOX)" >&2
    exit 1
fi

RUN=$(mktemp -d /tmp/ub-apache-cgi-XXXXXX)
chmod 0755 "$RUN"  # as root, Apache's children (www-data) must reach the web root below it
HOME_DIR="$RUN/home"
CACHE="$HOME_DIR/uptime-bridge/cache"
APACHE_CHILDREN=()
cleanup() {
    trap '' INT TERM HUP
    # Apache's children first noted (by pid), then the parent stopped (it stops its children on
    # TERM); any child still alive afterwards is stopped by its own pid.
    if [ -f "$RUN/apache.pid.own" ]; then
        mapfile -t APACHE_CHILDREN < <(ub_children "$(cat "$RUN/apache.pid.own")" 2>/dev/null || true)
    fi
    ub_stop_pidfile "$RUN/apache.pid.own"
    local pid
    for pid in "${APACHE_CHILDREN[@]}"; do
        [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    done
    ub_stop_pidfile "$RUN/sandbox.pid"
    rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Waits until URL answers while the process in PIDFILE lives; on failure prints LOG and fails.
wait_http() {
    local url=$1 pidfile=$2 log=$3
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$url" && return 0
        if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then break; fi
        sleep 0.1
    done
    echo "apache-cgi: $url did not answer; $log:" >&2
    cat "$log" >&2 2>/dev/null || true
    return 1
}

ub_log "sandbox: $SANDBOX"
SANDBOX_PORT=$(ub_free_port)
"$SANDBOX" --port "$SANDBOX_PORT" >"$RUN/sandbox.log" 2>&1 </dev/null &
echo $! >"$RUN/sandbox.pid"
wait_http "http://127.0.0.1:$SANDBOX_PORT/_sandbox/health" "$RUN/sandbox.pid" "$RUN/sandbox.log"

ub_log "shared-hosting recipe under $HOME_DIR (binary: $BINARY)"
RECIPE="$UB_ROOT/deploy/shared-hosting"
mkdir -p "$HOME_DIR/public_html/cgi-bin" "$CACHE" "$HOME_DIR/apache/run"
# install SOURCE TARGET MODE: a recipe file with /home/USER filled in.
install_recipe() {
    sed -e "s#/home/USER#$HOME_DIR#g" "$RECIPE/$1" >"$HOME_DIR/$2"
    chmod "$3" "$HOME_DIR/$2"
}
install_recipe public_html/.htaccess public_html/.htaccess 0644
install_recipe public_html/cgi-bin/.htaccess public_html/cgi-bin/.htaccess 0644
install_recipe uptime-bridge/config.yaml uptime-bridge/config.yaml 0644
sed -i -e "s#api_url: https://uptime.betterstack.com#api_url: http://127.0.0.1:$SANDBOX_PORT#" \
    "$HOME_DIR/uptime-bridge/config.yaml"
grep -q "api_url: http://127.0.0.1:$SANDBOX_PORT" "$HOME_DIR/uptime-bridge/config.yaml" \
    || { echo "apache-cgi: could not point api_url of the recipe's config.yaml at the sandbox" >&2; exit 1; }
printf 'sandbox-token\n' >"$HOME_DIR/uptime-bridge/betterstack.token"
chmod 0600 "$HOME_DIR/uptime-bridge/betterstack.token"
cp "$BINARY" "$HOME_DIR/public_html/cgi-bin/uptime-bridge.cgi"
chmod 0755 "$HOME_DIR/public_html/cgi-bin/uptime-bridge.cgi"
# The reference: a small static file from the same Apache, the same web root.
python3 -c 'import json; print(json.dumps({"status": "ok", "source": "static", "padding": "x" * 50}))' \
    >"$HOME_DIR/public_html/static.json"
chmod 0644 "$HOME_DIR/public_html/static.json"

# As root, Apache runs its children (and so the CGI program) as www-data, like a host without
# suEXEC: the token readable by that group, the cache directory owned by it (0700).
USER_LINES=""
if [ "$(id -u)" -eq 0 ]; then
    if ! getent passwd www-data >/dev/null || ! getent group www-data >/dev/null; then
        echo "apache-cgi: running as root needs a www-data user and group for Apache's children" >&2
        exit 1
    fi
    USER_LINES=$'User www-data\nGroup www-data'
    chown root:www-data "$HOME_DIR/uptime-bridge/betterstack.token"
    chmod 0640 "$HOME_DIR/uptime-bridge/betterstack.token"
    chown www-data:www-data "$CACHE"
fi
chmod 0700 "$CACHE"

PORT=$(ub_free_port)
cat >"$HOME_DIR/apache/httpd.conf" <<CONF
ServerRoot "$HOME_DIR/apache"
ServerName 127.0.0.1
Listen 127.0.0.1:$PORT
PidFile "$HOME_DIR/apache/httpd.pid"
ErrorLog "$HOME_DIR/apache/error.log"
LogLevel warn
DefaultRuntimeDir "$HOME_DIR/apache/run"
LoadModule mpm_prefork_module $MODULES/mod_mpm_prefork.so
LoadModule authz_core_module $MODULES/mod_authz_core.so
LoadModule mime_module $MODULES/mod_mime.so
LoadModule env_module $MODULES/mod_env.so
LoadModule rewrite_module $MODULES/mod_rewrite.so
LoadModule cgi_module $MODULES/mod_cgi.so
$USER_LINES
StartServers 2
MinSpareServers 1
MaxSpareServers 4
TypesConfig /dev/null
DocumentRoot "$HOME_DIR/public_html"
AccessFileName .htaccess
<Directory />
    AllowOverride None
    Require all denied
</Directory>
# A shared host with symlink protection: what it grants in the web root.
<Directory "$HOME_DIR/public_html">
    Options SymLinksIfOwnerMatch
    AllowOverride FileInfo Options
    Require all granted
</Directory>
<Files ".ht*">
    Require all denied
</Files>
CONF
# In a session (and process group) of its own: when it stops, Apache's prefork parent sends
# SIGTERM to its whole process group, which would otherwise be this script and its caller.
# (setsid execs without forking here: a background job of a script is no group leader.)
setsid "$APACHE2" -f "$HOME_DIR/apache/httpd.conf" -DFOREGROUND >"$HOME_DIR/apache/apache.out" 2>&1 </dev/null &
echo $! >"$RUN/apache.pid.own"
if ! wait_http "http://127.0.0.1:$PORT/static.json" "$RUN/apache.pid.own" "$HOME_DIR/apache/apache.out"; then
    cat "$HOME_DIR/apache/error.log" >&2 2>/dev/null || true
    exit 1
fi
# Apache's own PidFile names the parent: the one to stop.
APACHE_PID=$(cat "$HOME_DIR/apache/httpd.pid" 2>/dev/null || true)
if [ -n "$APACHE_PID" ] && [ "$APACHE_PID" != "$(cat "$RUN/apache.pid.own")" ]; then
    echo "$APACHE_PID" >"$RUN/apache.pid.own"
fi
if [ "$(ps -o pgid= -p "$(cat "$RUN/apache.pid.own")" | tr -d ' ')" = "$(ps -o pgid= -p $$ | tr -d ' ')" ]; then
    echo "apache-cgi: apache2 shares this script's process group; stopping it would signal the caller" >&2
    exit 1
fi
BASE="http://127.0.0.1:$PORT"

# A request that must succeed: check_ok URL prints the body, fails loudly on another status.
check_ok() {
    local url=$1 status
    status=$(curl -s -o "$RUN/body" -w '%{http_code}' "$url")
    if [ "$status" != 200 ]; then
        echo "apache-cgi: GET $url answered $status: $(head -c 300 "$RUN/body")" >&2
        tail -n 20 "$HOME_DIR/apache/error.log" >&2 2>/dev/null || true
        exit 1
    fi
    cat "$RUN/body"
}
check_ok "$BASE/uptime/" | grep -q '"status":"ok"' \
    || { echo "apache-cgi: GET /uptime/ is not the health answer: $(head -c 300 "$RUN/body")" >&2; exit 1; }
MONITOR_ID=$(check_ok "$BASE/uptime/monitors" | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["id"])')
FROM_ISO=$(date -u -d '-24 hours' +%Y-%m-%dT%H:%M:%SZ)
TO_ISO=$(date -u +%Y-%m-%dT%H:%M:%SZ)
SLA_URL="$BASE/uptime/sla?monitor_id=$MONITOR_ID"
RT_URL="$BASE/uptime/response_time?monitor_id=$MONITOR_ID&from=$FROM_ISO&to=$TO_ISO"

# samples URL COUNT: one line per request, "time_total cache-header" (the header empty when absent).
samples() {
    local url=$1 count=$2
    for _ in $(seq 1 "$count"); do
        curl -s -o /dev/null -w '%{time_total} %header{x-uptime-bridge-cache}\n' "$url"
    done
}
# median_ms FILE: the median of the first column, in ms.
median_ms() {
    python3 -c 'import statistics, sys
print("%.2f" % (statistics.median(float(line.split()[0]) for line in open(sys.argv[1]) if line.strip()) * 1000))' "$1"
}
# hits FILE: how many samples carried X-Uptime-Bridge-Cache: hit.
hits() { awk '$2 == "hit"' "$1" | wc -l; }

ub_log "warm-up (static, health, sla, response_time)"
samples "$BASE/static.json" 5 >/dev/null
samples "$BASE/uptime/" 5 >/dev/null
check_ok "$SLA_URL" >/dev/null
samples "$SLA_URL" 2 >/dev/null

ub_log "curl: $N sequential requests each (monitor $MONITOR_ID, $FROM_ISO .. $TO_ISO)"
samples "$BASE/static.json" "$N" >"$RUN/static.txt"
samples "$BASE/uptime/" "$N" >"$RUN/health.txt"
samples "$SLA_URL" "$N" >"$RUN/sla.txt"

# The first /response_time with an empty cache directory (one sample): the monitor list and the
# response times come from the sandbox, and are written to the cache.
find "$CACHE" -mindepth 1 -delete
curl -s -o "$RUN/rt-first.json" -w '%{time_total} %header{x-uptime-bridge-cache} %{http_code}\n' "$RT_URL" >"$RUN/rt-uncached.txt"
read -r _ _ RT_STATUS <"$RUN/rt-uncached.txt"
if [ "$RT_STATUS" != 200 ]; then
    echo "apache-cgi: GET $RT_URL answered $RT_STATUS: $(head -c 300 "$RUN/rt-first.json")" >&2
    tail -n 20 "$HOME_DIR/apache/error.log" >&2 2>/dev/null || true
    exit 1
fi
samples "$RT_URL" "$N" >"$RUN/rt-cached.txt"

WARNINGS=()
# A cached response, header and body checked explicitly.
curl -s -D "$RUN/rt-headers.txt" -o "$RUN/rt-cached.json" "$RT_URL"
if ! grep -qi '^X-Uptime-Bridge-Cache: *hit' "$RUN/rt-headers.txt"; then
    WARNINGS+=("a cached /response_time lacks 'X-Uptime-Bridge-Cache: hit' (headers: $(tr -d '\r' <"$RUN/rt-headers.txt" | grep -i '^x-uptime' | tr '\n' ' '))")
fi
cmp -s "$RUN/rt-first.json" "$RUN/rt-cached.json" || WARNINGS+=("the cached /response_time differs from the uncached one")
RT_HITS=$(hits "$RUN/rt-cached.txt")
[ "$RT_HITS" -eq "$N" ] || WARNINGS+=("only $RT_HITS of $N cached /response_time samples carried X-Uptime-Bridge-Cache: hit")
SLA_HITS=$(hits "$RUN/sla.txt")
[ "$SLA_HITS" -eq "$N" ] || WARNINGS+=("only $SLA_HITS of $N /sla samples carried X-Uptime-Bridge-Cache: hit")
grep -q ':error\]' "$HOME_DIR/apache/error.log" 2>/dev/null \
    && WARNINGS+=("Apache's error log has errors: $(grep ':error\]' "$HOME_DIR/apache/error.log" | head -n 3 | tr '\n' ' ')")

RT_BYTES=$(wc -c <"$RUN/rt-cached.json")
RT_POINTS=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$RUN/rt-cached.json")
STATIC_BYTES=$(wc -c <"$HOME_DIR/public_html/static.json")
STATIC_MS=$(median_ms "$RUN/static.txt")
HEALTH_MS=$(median_ms "$RUN/health.txt")
SLA_MS=$(median_ms "$RUN/sla.txt")
RT_UNCACHED_MS=$(median_ms "$RUN/rt-uncached.txt")
RT_CACHED_MS=$(median_ms "$RUN/rt-cached.txt")

ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$1" "$2"; }
line() { printf 'apache-cgi: %-34s %8s ms (%sx)\n' "$1" "$2" "$(ratio "$2" "$STATIC_MS")"; }

echo "apache-cgi: $("$APACHE2" -v | sed -n 's/^Server version: //p'), prefork + mod_cgi, $(nproc) cores, medians of $N sequential curl requests"
line "static file ($STATIC_BYTES bytes, reference)" "$STATIC_MS"
line "GET /uptime/ (health)" "$HEALTH_MS"
line "/sla, file cache" "$SLA_MS"
line "/response_time uncached (1 sample)" "$RT_UNCACHED_MS"
line "/response_time, file cache" "$RT_CACHED_MS"
echo "apache-cgi: /response_time size: $RT_BYTES bytes ($RT_POINTS points, 24 h); cache hits $RT_HITS/$N"
for warning in "${WARNINGS[@]}"; do echo "apache-cgi: WARNING: $warning"; done
echo "apache-cgi: response_time cached / health = $(python3 -c "import sys; print('%.1f' % (float(sys.argv[1]) / float(sys.argv[2])))" "$RT_CACHED_MS" "$HEALTH_MS")x (target <= 3x)"
