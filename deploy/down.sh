#!/usr/bin/env bash
# Stops what deploy/up.sh started (nginx, the responder, the sandbox), by pid.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUN="$UB_ROOT/.run"
ub_stop_pidfile "$RUN/nginx.pid"
ub_stop_pidfile "$RUN/uptime-bridge.pid"
ub_stop_pidfile "$RUN/sandbox.pid"
rm -f "$RUN/fcgi.sock" "$RUN/sandbox.port"
echo "stopped"
