#!/usr/bin/env bash
# Builds the portable release binary dist/uptime-bridge: the Swift runtime, Foundation and libfcgi
# are linked in, so it runs on any x86_64 Linux with glibc (no Swift toolchain, no libfcgi) — for
# shared hosting (CGI) and for servers (deploy/install.sh installs it).
#
#   deploy/build-static.sh [--output PATH] [--portable] [--with-sandbox]
#
# Linked with packed relative relocations (needs glibc >= 2.36 where it runs; see
# ub_static_build_flags in lib.sh); --portable keeps plain relocations for glibc 2.35 hosts at
# ~3 MB more resident memory per process. --with-sandbox also builds uptime-bridge-sandbox with the
# same flags (deploy/up.sh, the benchmark and the release-binary integration tests use it).
# Uses its own scratch path (.build-static) so it never invalidates the debug build. The first run
# compiles SwiftNIO, BoringSSL and AsyncHTTPClient in release mode: several minutes on two cores.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

OUTPUT="$UB_ROOT/dist/uptime-bridge"
while (($#)); do
    case "$1" in
        --output) OUTPUT=$2; shift 2 ;;
        --output=*) OUTPUT=${1#*=}; shift ;;
        --portable) export UB_PORTABLE=1; shift ;;
        --with-sandbox) WITH_SANDBOX=1; shift ;;
        *) echo "usage: deploy/build-static.sh [--output PATH] [--portable] [--with-sandbox]" >&2; exit 2 ;;
    esac
done

# libfcgi-dev and libyaml-dev have the headers and the static libraries (linked in, see Package.swift).
ub_ensure_packages libfcgi-dev libyaml-dev
command -v swift >/dev/null || { echo "swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }

cd "$UB_ROOT"
mapfile -t flags < <(ub_static_build_flags)
ub_log "building uptime-bridge (release, static Swift runtime) in ${flags[4]#"$UB_ROOT/"}"
started=$(date +%s)
swift build "${flags[@]}" --product uptime-bridge
if [ -n "${WITH_SANDBOX:-}" ]; then swift build "${flags[@]}" --product uptime-bridge-sandbox; fi
built="$(swift build "${flags[@]}" --show-bin-path)/uptime-bridge"
ub_log "built in $(($(date +%s) - started)) s"

mkdir -p "$(dirname "$OUTPUT")"
install -m 0755 "$built" "$OUTPUT.tmp"
# Debug info is a third of the file (134 → 94 MiB); the symbols stay, so crash backtraces keep
# their function names.
if command -v strip >/dev/null; then strip --strip-debug "$OUTPUT.tmp"; fi
mv -f "$OUTPUT.tmp" "$OUTPUT"

# The binary must need nothing but the C libraries every glibc system has.
libraries=$(ldd "$OUTPUT" | awk '{print $1}')
if grep -Eiq 'swift|foundation|dispatch|BlocksRuntime|icu|fcgi' <<<"$libraries"; then
    echo "build-static.sh: $OUTPUT still needs shared Swift or libfcgi libraries:" >&2
    ldd "$OUTPUT" >&2
    exit 1
fi
glibc=$(objdump -T "$OUTPUT" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n 1 || true)
# Packed relative relocations add a version need (GLIBC_ABI_DT_RELR) that glibc has since 2.36.
if readelf -V "$OUTPUT" 2>/dev/null | grep -q GLIBC_ABI_DT_RELR; then
    glibc=$(printf '%s\n%s\n' "${glibc:-GLIBC_2.0}" GLIBC_2.36 | sort -V | tail -n 1)
fi
ub_log "$OUTPUT: $(du -h "$OUTPUT" | cut -f1), needs only: $(tr '\n' ' ' <<<"$libraries")${glibc:+(glibc ${glibc#GLIBC_} or newer)}"
