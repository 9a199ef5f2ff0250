#!/usr/bin/env bash
# Installs uptime-bridge on a server: the binary, the config, the nginx snippets and the systemd
# units (socket activation + the push timer), then enables the socket if systemd runs.
#
#   deploy/install.sh                      # builds dist/uptime-bridge (deploy/build-static.sh) and installs it
#   deploy/install.sh --binary PATH        # installs a prebuilt binary instead (no toolchain needed)
#   DESTDIR=/tmp/root deploy/install.sh …  # stages everything below /tmp/root (packaging, tests)
#
# Options: --prefix DIR (default /usr/local), --sysconfdir DIR (default /etc), --unitdir DIR
# (default PREFIX/lib/systemd/system for /usr/local, else /etc/systemd/system), --destdir DIR
# (same as DESTDIR), --binary PATH, --no-systemctl (never call systemctl).
#
# Never overwritten: an existing config.yaml (the new example goes next to it as
# config.example.yaml) and nginx snippets you edited (the new ones are written as *.conf.new).
# Units are overwritten: customise them with drop-ins (`systemctl edit uptime-bridge.service`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX=/usr/local
SYSCONFDIR=/etc
UNITDIR=""
DESTDIR="${DESTDIR:-}"
BINARY=""
SYSTEMCTL=1

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case "$1" in
        --prefix) PREFIX=$2; shift 2 ;;
        --prefix=*) PREFIX=${1#*=}; shift ;;
        --sysconfdir) SYSCONFDIR=$2; shift 2 ;;
        --sysconfdir=*) SYSCONFDIR=${1#*=}; shift ;;
        --unitdir) UNITDIR=$2; shift 2 ;;
        --unitdir=*) UNITDIR=${1#*=}; shift ;;
        --destdir) DESTDIR=$2; shift 2 ;;
        --destdir=*) DESTDIR=${1#*=}; shift ;;
        --binary) BINARY=$2; shift 2 ;;
        --binary=*) BINARY=${1#*=}; shift ;;
        --no-systemctl) SYSTEMCTL=0; shift ;;
        -h | --help) usage; exit 0 ;;
        *) echo "install.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    esac
done

PREFIX=${PREFIX%/}
SYSCONFDIR=${SYSCONFDIR%/}
DESTDIR=${DESTDIR%/}
case "$PREFIX$SYSCONFDIR" in *[[:space:]#\&]*) echo "install.sh: paths must not contain spaces, # or &" >&2; exit 2 ;; esac
if [ -z "$UNITDIR" ]; then
    # /usr/local/lib/systemd/system is on systemd's search path and leaves /etc/systemd/system to
    # the administrator's overrides; other prefixes are not searched.
    if [ "$PREFIX" = /usr/local ]; then UNITDIR=/usr/local/lib/systemd/system; else UNITDIR=/etc/systemd/system; fi
fi

say() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# 1. The binary: a prebuilt one, or the static release build (runs without the Swift toolchain).
if [ -z "$BINARY" ]; then
    say "building the release binary (deploy/build-static.sh)"
    "$ROOT/deploy/build-static.sh"
    BINARY="$ROOT/dist/uptime-bridge"
fi
[ -x "$BINARY" ] || { echo "install.sh: $BINARY is not an executable" >&2; exit 1; }

BINDIR=$PREFIX/bin
DOCDIR=$PREFIX/share/doc/uptime-bridge
SHAREDIR=$PREFIX/share/uptime-bridge
CONFDIR=$SYSCONFDIR/uptime-bridge
NGINXDIR=$SYSCONFDIR/nginx/snippets

# Rewrites the default locations in shipped files to the chosen ones.
relocate() {
    sed -e "s#/usr/local/bin/uptime-bridge#$BINDIR/uptime-bridge#g" \
        -e "s#/usr/local/share/doc/uptime-bridge#$DOCDIR#g" \
        -e "s#/etc/uptime-bridge/#$CONFDIR/#g" \
        "$1"
}

# Installs SOURCE (already relocated, in a temp file) as TARGET unless TARGET exists with other
# content; then the new version goes to TARGET.new.
install_keep() {
    local source=$1 target=$2 mode=$3
    if [ -e "$DESTDIR$target" ] && ! cmp -s "$source" "$DESTDIR$target"; then
        install -m "$mode" "$source" "$DESTDIR$target.new"
        note "kept your $target; the shipped version is $target.new"
    else
        install -m "$mode" "$source" "$DESTDIR$target"
        note "$target"
    fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say "installing into ${DESTDIR:-/} (prefix $PREFIX)"
install -d -m 0755 "$DESTDIR$BINDIR" "$DESTDIR$DOCDIR" "$DESTDIR$SHAREDIR" "$DESTDIR$CONFDIR" \
    "$DESTDIR$NGINXDIR" "$DESTDIR$UNITDIR"

# Atomic replace: a running responder keeps its old inode.
install -m 0755 "$BINARY" "$DESTDIR$BINDIR/.uptime-bridge.new"
mv -f "$DESTDIR$BINDIR/.uptime-bridge.new" "$DESTDIR$BINDIR/uptime-bridge"
note "$BINDIR/uptime-bridge"

# 2. The config: never overwrite an existing one. The example is always refreshed next to it.
relocate "$ROOT/deploy/uptime-bridge.example.yaml" >"$tmp/config.yaml"
install -m 0644 "$tmp/config.yaml" "$DESTDIR$CONFDIR/config.example.yaml"
if [ -e "$DESTDIR$CONFDIR/config.yaml" ]; then
    note "kept your $CONFDIR/config.yaml (the current example is $CONFDIR/config.example.yaml)"
else
    install -m 0644 "$tmp/config.yaml" "$DESTDIR$CONFDIR/config.yaml"
    note "$CONFDIR/config.yaml"
fi

# 3. nginx snippets (not included anywhere: that is the administrator's decision). Their micro-cache
# lives in /var/cache/nginx/uptime-bridge; nginx creates only the last directory, and Debian's nginx
# has no /var/cache/nginx, so `nginx -t` would fail on "mkdir() ... No such file or directory".
install -d -m 0755 "$DESTDIR/var/cache/nginx"
for name in uptime-bridge.conf uptime-bridge-locations.conf; do
    cp "$ROOT/nginx/$name" "$tmp/$name"
    install_keep "$tmp/$name" "$NGINXDIR/$name" 0644
done
# The front tier and backend site of a multi-host setup (docs/scaling.md); unused on one host.
for path in "$ROOT"/nginx/front/*.conf; do
    name=$(basename "$path")
    cp "$path" "$tmp/$name"
    install_keep "$tmp/$name" "$NGINXDIR/$name" 0644
done

# 4. systemd units, the cron alternative, docs and the shared-hosting recipe.
for unit in uptime-bridge.socket uptime-bridge.service uptime-bridge-push.service uptime-bridge-push.timer; do
    relocate "$ROOT/deploy/systemd/$unit" >"$tmp/$unit"
    install -m 0644 "$tmp/$unit" "$DESTDIR$UNITDIR/$unit"
    note "$UNITDIR/$unit"
done
install -d -m 0755 "$DESTDIR$SHAREDIR/cron" "$DESTDIR$SHAREDIR/shared-hosting"
relocate "$ROOT/deploy/cron/uptime-bridge-push" >"$tmp/cron"
install -m 0644 "$tmp/cron" "$DESTDIR$SHAREDIR/cron/uptime-bridge-push"
cp -R "$ROOT/deploy/shared-hosting/." "$DESTDIR$SHAREDIR/shared-hosting/"
install -m 0644 "$ROOT/README.md" "$DESTDIR$DOCDIR/README.md"
install -d -m 0755 "$DESTDIR$DOCDIR/docs"
install -m 0644 "$ROOT"/docs/*.md "$DESTDIR$DOCDIR/docs/"

# 5. systemd: only on a live system (not when staging into DESTDIR) that runs systemd.
TOKEN=$CONFDIR/betterstack.token
if [ -n "$DESTDIR" ] || [ "$SYSTEMCTL" = 0 ]; then
    if [ -n "$DESTDIR" ]; then why="staged into DESTDIR"; else why="--no-systemctl"; fi
    say "not touching systemd ($why); on the target system run:"
    note "systemctl daemon-reload && systemctl enable --now uptime-bridge.socket"
elif [ -d /run/systemd/system ]; then
    say "enabling uptime-bridge.socket"
    systemctl daemon-reload
    systemctl enable --now uptime-bridge.socket
    # An upgrade: a running responder drains and the next connection starts the new binary.
    systemctl try-restart uptime-bridge.service
else
    say "systemd is not running here; start the responder (a master and its workers) another way, e.g. with spawn-fcgi:"
    note "install -d -m 0755 /run/uptime-bridge"
    note "spawn-fcgi -s /run/uptime-bridge/fcgi.sock -M 0660 -U www-data -G www-data -u nobody -g nogroup \\"
    note "    -P /run/uptime-bridge/uptime-bridge.pid -- $BINDIR/uptime-bridge"
    note "(reload the config: kill -HUP \$(cat /run/uptime-bridge/uptime-bridge.pid); stop: kill -TERM, it drains for up to 15 s)"
    note "(and the push job from cron: $SHAREDIR/cron/uptime-bridge-push)"
fi

getent group www-data >/dev/null 2>&1 || note "warning: no group www-data here: set SocketGroup= of uptime-bridge.socket to nginx's group (systemctl edit uptime-bridge.socket)"

cat <<EOF
==> next steps
    1. The Better Stack token, readable by root only (the service gets it as a credential):
         (umask 077; cat >$TOKEN)      # paste the token, then Ctrl-D
    2. Adjust $CONFDIR/config.yaml, then test it: $BINDIR/uptime-bridge check
    3. nginx: in the http {} block   include $NGINXDIR/uptime-bridge.conf;
              in your server {}       include $NGINXDIR/uptime-bridge-locations.conf;
       then: nginx -t && systemctl reload nginx   (Grafana URL: https://HOST/uptime)
    4. The push job (optional): systemctl enable --now uptime-bridge-push.timer
EOF
