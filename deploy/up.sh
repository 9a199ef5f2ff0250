#!/usr/bin/env bash
# README command 1: install what is missing, build, and start uptime-bridge behind nginx on
# 127.0.0.1 (port 8080, or UB_PORT / --port N): its master under spawn-fcgi, which keeps the workers
# running (UPTIME_BRIDGE_WORKERS / --workers N; default the CPUs, 2 to 4). Without a Better Stack token
# (BETTERSTACK_API_TOKEN, BetterStack_API_TOKEN or BETTERSTACK_API_TOKEN_FILE) it also starts the local
# upstream sandbox and points the bridge at it. Stop everything with deploy/down.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PORT=${UB_PORT:-8080}
THREADS=${UPTIME_BRIDGE_THREADS:-4}
WORKERS=${UPTIME_BRIDGE_WORKERS:-}
while (($#)); do
    case $1 in
        --port) PORT=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --workers) WORKERS=$2; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

RUN="$UB_ROOT/.run"
ub_ensure_packages "${UB_RUNTIME_PACKAGES[@]}" python3
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }

"$UB_ROOT/deploy/down.sh" >/dev/null 2>&1 || true
mkdir -p "$RUN"

ub_log "building the release binaries (deploy/build-static.sh; the first build compiles SwiftNIO and AsyncHTTPClient: several minutes)"
"$UB_ROOT/deploy/build-static.sh" --with-sandbox >"$RUN/build.log" 2>&1 || { tail -40 "$RUN/build.log" >&2; exit 1; }
# The responder is the binary deploy/install.sh would install; the sandbox comes from the same build.
BRIDGE_BIN="$UB_ROOT/dist/uptime-bridge"
BIN="$(ub_static_bin_dir)"

bridge_env=(UPTIME_BRIDGE_BASE_PATH=/uptime UPTIME_BRIDGE_THREADS="$THREADS")
[ -n "$WORKERS" ] && bridge_env+=(UPTIME_BRIDGE_WORKERS="$WORKERS")
if [ -z "${BETTERSTACK_API_TOKEN:-}${BetterStack_API_TOKEN:-}${BETTERSTACK_API_TOKEN_FILE:-}" ]; then
    SANDBOX_PORT=$(ub_free_port)
    ub_log "no Better Stack token set: starting the upstream sandbox on 127.0.0.1:$SANDBOX_PORT"
    nohup "$BIN/uptime-bridge-sandbox" --port "$SANDBOX_PORT" --statuspages 2 >"$RUN/sandbox.log" 2>&1 &
    echo $! >"$RUN/sandbox.pid"
    ub_wait_http "http://127.0.0.1:$SANDBOX_PORT/_sandbox/health"
    bridge_env+=(BETTERSTACK_API_URL="http://127.0.0.1:$SANDBOX_PORT" BETTERSTACK_API_TOKEN=sandbox-token)
    echo "$SANDBOX_PORT" >"$RUN/sandbox.port"
    # Statuspage pages for /metrics, in statuspage-prometheus-exporter's services.json format:
    # the sandbox's real Discord capture, its every-field incident page and a generated one.
    SP="http://127.0.0.1:$SANDBOX_PORT/statuspage"
    cat >"$RUN/services.json" <<JSON
{
  "_comment": "written by deploy/up.sh: the sandbox's status pages (keys starting with _ are ignored)",
  "discord": {"url": "$SP/discord/api/v2/summary.json", "name": "Discord"},
  "example": {"url": "$SP/incident-example/api/v2/summary.json", "name": "Example Cloud"},
  "degraded": {"url": "$SP/page-2/api/v2/summary.json", "name": "Degraded Example"}
}
JSON
fi
# An operator's services.json wins; otherwise the sandbox's, when the sandbox runs.
if [ -n "${UPTIME_BRIDGE_STATUSPAGE_SERVICES:-}" ]; then
    bridge_env+=(UPTIME_BRIDGE_STATUSPAGE_SERVICES="$UPTIME_BRIDGE_STATUSPAGE_SERVICES")
elif [ -f "$RUN/sandbox.port" ]; then
    bridge_env+=(UPTIME_BRIDGE_STATUSPAGE_SERVICES="$RUN/services.json")
fi

ub_log "starting the responder (spawn-fcgi, unix socket $RUN/fcgi.sock, mode 0660): its master and workers"
# spawn-fcgi -n executes the bridge in its own place: the pid is the master's, which owns the socket,
# restarts crashed workers, reloads on SIGHUP and stops them all on SIGTERM (deploy/down.sh).
env "${bridge_env[@]}" nohup spawn-fcgi -n -s "$RUN/fcgi.sock" -M 0660 -- "$BRIDGE_BIN" \
    >"$RUN/uptime-bridge.log" 2>&1 &
echo $! >"$RUN/uptime-bridge.pid"

ub_render_nginx "$RUN" "$PORT" "$RUN/fcgi.sock"
nginx -t -q -c "$RUN/nginx.conf" -p "$RUN/" 2>"$RUN/nginx-test.log" || { cat "$RUN/nginx-test.log" >&2; exit 1; }
nohup nginx -c "$RUN/nginx.conf" -p "$RUN/" >"$RUN/nginx.out" 2>&1 &
ub_wait_http "http://127.0.0.1:$PORT/uptime/"

BASE="http://127.0.0.1:$PORT/uptime"
cat <<MSG

uptime-bridge is up behind nginx on 127.0.0.1:$PORT (logs and pids in $RUN).

  Health (Grafana "Save & test"):  curl -s $BASE/
  Response times (Flask-proxy API): curl -s '$BASE/response_time?url=https://example.com/&region=us'
  Availability:                    curl -s '$BASE/sla?url=https://example.com/'
  Monitors / incidents:            curl -s $BASE/monitors ; curl -s $BASE/incidents
  Grafana JSON datasource query:   curl -s -X POST $BASE/search -d '{"target":""}'
  Prometheus (text format 0.0.4):  curl -s $BASE/metrics   (scrape config: deploy/prometheus/prometheus.yml)
  Grafana datasource URL:          $BASE/   (see deploy/grafana/ for provisioning and a dashboard)

Processes: master $(cat "$RUN/uptime-bridge.pid"), workers $(ub_children "$(cat "$RUN/uptime-bridge.pid")" | tr '\n' ' ')(log: $RUN/uptime-bridge.log)
  Reload the configuration, worker by worker: kill -HUP $(cat "$RUN/uptime-bridge.pid")

Stop with: deploy/down.sh
MSG
if [ -f "$RUN/sandbox.port" ]; then
    echo "Upstream: the local sandbox at http://127.0.0.1:$(cat "$RUN/sandbox.port") (fake Better Stack, token sandbox-token, and Statuspage pages listed in $RUN/services.json)."
fi
