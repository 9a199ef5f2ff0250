#!/usr/bin/env bash
# Stops what deploy/up.sh started (nginx, the responder's master and its workers, the sandbox), by pid.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUN="$UB_ROOT/.run"

# The responder's master passes SIGTERM on to its workers and exits once they have finished their
# requests (up to 10 s; it kills stragglers at 12 s), so it gets 15 s before SIGKILL, which then
# goes to its workers too.
stop_master() {
    local file=$1 pid workers
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            # Its children while it still runs: pids it has not reaped cannot have been reused.
            workers=$(ub_children "$pid")
            # shellcheck disable=SC2086 # one pid per word
            kill -KILL $workers "$pid" 2>/dev/null || true
        fi
    fi
    rm -f "$file"
}

ub_stop_pidfile "$RUN/nginx.pid"
stop_master "$RUN/uptime-bridge.pid"
ub_stop_pidfile "$RUN/sandbox.pid"
rm -f "$RUN/fcgi.sock" "$RUN/sandbox.port"
echo "stopped"
