#!/usr/bin/env bash
# Shared helpers for deploy/up.sh, deploy/down.sh, deploy/test.sh, the benchmark and the
# integration tests. Source it, or run `deploy/lib.sh render-nginx RUN_DIR PORT SOCKET` (and
# render-backend, render-front for the multi-host test).
set -euo pipefail

UB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

ub_log() { printf '==> %s\n' "$*" >&2; }

# Installs the Debian packages given (only the missing ones). Needs root or sudo.
ub_ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    ub_log "installing Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts some daemons on install (nginx, lighttpd…); ours run from our own configs.
    for svc in nginx lighttpd apache2 prometheus victoria-metrics influxdb; do
        if command -v service >/dev/null 2>&1 && [ -e "/etc/init.d/$svc" ]; then
            "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true
        fi
    done
}

# Packages the responder and its local demo need.
UB_RUNTIME_PACKAGES=(libfcgi-dev libyaml-dev nginx-light spawn-fcgi curl ca-certificates)

# The shipped build (deploy/build-static.sh, deploy/up.sh, the benchmark): release, the Swift
# runtime and Foundation linked in (--static-swift-stdlib), and two linker choices that every
# process start pays for otherwise:
#  - packed relative relocations (DT_RELR, with the toolchain's lld): the position-independent
#    executable keeps ASLR, but its ~115,000 relocations shrink from a 2.7 MB table that the loader
#    reads (and keeps resident) at every start to ~20 KB, and fewer data pages are written;
#  - no exported symbols (the Swift static-stdlib default exports the executable's 30,000 symbols
#    for no user here): a 1 MB dynamic symbol table and hash less to map.
# Together ~3.5 MB less resident memory per worker and a faster CGI start (docs/benchmarks.md).
# DT_RELR needs glibc >= 2.36 (Debian 12, Ubuntu 24.04, RHEL 10) where the binary runs; on an older
# build host, or with UB_PORTABLE=1 (build-static.sh --portable), the plain relocations are kept
# (glibc >= 2.35), in a separate scratch path.
ub_static_build_flags() {
    local portable=${UB_PORTABLE:-}
    if [ -z "$portable" ] && ! ub_glibc_at_least 2.36; then portable=1; fi
    if [ -n "$portable" ]; then
        printf '%s\n' -c release --static-swift-stdlib --scratch-path "$UB_ROOT/.build-static-portable" \
            -Xlinker --no-export-dynamic
    else
        printf '%s\n' -c release --static-swift-stdlib --scratch-path "$UB_ROOT/.build-static" \
            -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs -Xlinker --no-export-dynamic
    fi
}

# Where the shipped build puts its binaries (after deploy/build-static.sh [--with-sandbox]).
ub_static_bin_dir() {
    local flags
    mapfile -t flags < <(ub_static_build_flags)
    (cd "$UB_ROOT" && swift build "${flags[@]}" --show-bin-path)
}

# True when this host's glibc is at least VERSION (e.g. 2.36).
ub_glibc_at_least() {
    local have
    have=$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')
    [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$1" "$have" | sort -V | head -n 1)" = "$1" ]
}

# A free TCP port on 127.0.0.1 (the kernel picks; the tiny race is acceptable for tests).
ub_free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Renders the dev/test nginx config into RUN_DIR/nginx.conf (plus the two site files).
ub_render_nginx() {
    local run_dir=$1 port=$2 socket=$3
    mkdir -p "$run_dir"/{client_body,proxy,fastcgi,uwsgi,scgi,cache}
    local user_directive=""
    # As root, nginx would switch its workers to `nobody`, which cannot open a 0660 socket owned
    # by root; run them as the invoking user instead (this config is for loopback dev/test only).
    [ "$(id -u)" -eq 0 ] && user_directive="user $(id -un) $(id -gn);"
    sed -e "s#unix:/run/uptime-bridge/fcgi.sock#unix:$socket#" \
        -e "s#/var/cache/nginx/uptime-bridge#$run_dir/cache#" \
        "$UB_ROOT/nginx/uptime-bridge.conf" >"$run_dir/uptime-bridge.conf"
    sed -e "s#/var/log/nginx/uptime-bridge.access.log#$run_dir/access.log#" \
        "$UB_ROOT/nginx/uptime-bridge-locations.conf" >"$run_dir/uptime-bridge-locations.conf"
    sed -e "s#@RUN_DIR@#$run_dir#g" -e "s#@PORT@#$port#g" -e "s#@USER_DIRECTIVE@#$user_directive#" \
        "$UB_ROOT/nginx/dev.conf.template" >"$run_dir/nginx.conf"
    [ -f "$run_dir/extra-servers.conf" ] || : >"$run_dir/extra-servers.conf"
}

# A backend host of the multi-host setup (docs/scaling.md): the dev config of ub_render_nginx plus
# the shipped backend site (nginx/front/uptime-bridge-backend-site.conf) listening on ADDRESS:PORT
# and allowing only FRONT_ADDRESS.
ub_render_backend() {
    local run_dir=$1 local_port=$2 socket=$3 address=$4 port=$5 front=$6
    mkdir -p "$run_dir"
    sed -e "s#listen 10.0.0.11:8080;#listen $address:$port;#" -e "s#allow 10.0.0.1;#allow $front;#" \
        -e "s#/etc/nginx/snippets/uptime-bridge-locations.conf#$run_dir/uptime-bridge-locations.conf#" \
        "$UB_ROOT/nginx/front/uptime-bridge-backend-site.conf" >"$run_dir/extra-servers.conf"
    ub_render_nginx "$run_dir" "$local_port" "$socket"
}

# The front tier (nginx/front/) into RUN_DIR/nginx.conf, listening on ADDRESS:PORT, with the
# backends given as NAME=HOST:PORT (the ring and the nodename map). UB_FRONT_BALANCE=round-robin
# leaves the consistent hash out (the multi-host test's contrast).
ub_render_front() {
    local run_dir=$1 address=$2 port=$3
    shift 3
    mkdir -p "$run_dir"/{client_body,proxy,fastcgi,uwsgi,scgi,cache}
    local user_directive=""
    [ "$(id -u)" -eq 0 ] && user_directive="user $(id -un) $(id -gn);"
    : >"$run_dir/uptime-bridge-front-backends.conf.new"
    : >"$run_dir/uptime-bridge-front-nodes.conf.new"
    local backend
    for backend in "$@"; do
        echo "server ${backend#*=} max_fails=1 fail_timeout=10s;" >>"$run_dir/uptime-bridge-front-backends.conf.new"
        echo "${backend%%=*} ${backend#*=};" >>"$run_dir/uptime-bridge-front-nodes.conf.new"
    done
    mv "$run_dir/uptime-bridge-front-backends.conf.new" "$run_dir/uptime-bridge-front-backends.conf"
    mv "$run_dir/uptime-bridge-front-nodes.conf.new" "$run_dir/uptime-bridge-front-nodes.conf"
    local balance=()
    [ "${UB_FRONT_BALANCE:-}" = round-robin ] && balance=(-e '/hash \$uptime_bridge_front_key consistent;/d')
    sed -e "s#/etc/nginx/snippets/#$run_dir/#" -e "s#/var/cache/nginx/uptime-bridge-front#$run_dir/cache#" \
        "${balance[@]}" "$UB_ROOT/nginx/front/uptime-bridge-front.conf" >"$run_dir/uptime-bridge-front.conf"
    sed -e "s#/var/log/nginx/uptime-bridge-front.access.log#$run_dir/access.log#" \
        "$UB_ROOT/nginx/front/uptime-bridge-front-locations.conf" >"$run_dir/uptime-bridge-front-locations.conf"
    sed -e "s#@RUN_DIR@#$run_dir#g" -e "s#@ADDRESS@#$address#g" -e "s#@PORT@#$port#g" \
        -e "s#@USER_DIRECTIVE@#$user_directive#" \
        "$UB_ROOT/nginx/front/dev-front.conf.template" >"$run_dir/nginx.conf"
}

# Waits until URL answers (any HTTP status), at most ~10 s.
ub_wait_http() {
    local url=$1
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "$url" && return 0
        sleep 0.1
    done
    echo "timed out waiting for $url" >&2
    return 1
}

# The live children of PID, one per line (a master's workers). /proc/PID/stat is read after the
# last ')': the command name may hold spaces.
ub_children() {
    local parent=$1 stat rest pid state ppid
    for stat in /proc/[0-9]*/stat; do
        rest=$(cat "$stat" 2>/dev/null) || continue
        rest=${rest##*) }
        read -r state ppid _ <<<"$rest"
        [ "$ppid" = "$parent" ] && [ "$state" != Z ] || continue
        pid=${stat#/proc/}
        echo "${pid%/stat}"
    done
}

# Stops the process whose pid is in FILE (TERM, then KILL after 5 s), and removes the file.
ub_stop_pidfile() {
    local file=$1
    [ -f "$file" ] || return 0
    local pid
    pid=$(cat "$file")
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    case "${1:-}" in
        render-nginx) shift; ub_render_nginx "$@" ;;
        render-backend) shift; ub_render_backend "$@" ;;
        render-front) shift; ub_render_front "$@" ;;
        free-port) ub_free_port ;;
        *) echo "usage: deploy/lib.sh render-nginx RUN_DIR PORT SOCKET | render-backend RUN_DIR PORT SOCKET ADDRESS PORT FRONT | render-front RUN_DIR ADDRESS PORT NAME=HOST:PORT... | free-port" >&2; exit 2 ;;
    esac
fi
