#!/usr/bin/env bash
# fresh-check.sh — run each line of the README's Quick start on a fresh,
# minimal Debian 12 root, as a new user would: nothing installed but what
# `debootstrap --variant=minbase bookworm` gives, the repository copied in,
# each line on its own fresh copy of that root, as root.
#
# The only things taken from this machine are what every machine of the
# workplace has: its certificate authorities and /etc/npmrc (npm refuses the
# registry's certificate without them), the Debian mirror its apt uses, and
# the DNS configuration. The minimal root is built once and cached in
# $CCN_FRESH_CACHE (default /var/cache/ccn-fresh/base; never committed).
#
#   scripts/fresh-check.sh            every Quick-start line
#   scripts/fresh-check.sh N          only line N (1-based)
# Needs root (chroot, mount). Prints each line's time, and the tail of its log
# on failure; exits non-zero if any line fails. Logs stay in $CCN_FRESH_LOGS
# (default /var/tmp/ccn-fresh-logs).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
cache=${CCN_FRESH_CACHE:-/var/cache/ccn-fresh}
logs=${CCN_FRESH_LOGS:-/var/tmp/ccn-fresh-logs}
only=${1:-}

die() { echo "fresh-check: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (chroot and mount)"

# The Debian mirror this machine's apt already uses (deb822 or one-line form).
mirror() {
    local uri
    uri=$(grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '{print $2}' | grep -E '/debian/?$' | head -1 || true)
    [ -n "$uri" ] || uri=$(grep -hsE '^deb .*/debian/? bookworm' /etc/apt/sources.list \
        /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | head -1 || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

# The cached minimal root: debootstrap once, then reuse.
make_base() {
    [ -x "$cache/base/bin/bash" ] && return 0
    command -v debootstrap >/dev/null || {
        echo "fresh-check: installing debootstrap"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    local m; m=$(mirror)
    echo "fresh-check: building the minimal Debian 12 root from $m (once; cached in $cache/base)"
    mkdir -p "$cache"
    rm -rf "$cache/base.tmp"
    debootstrap --variant=minbase bookworm "$cache/base.tmp" "$m" >"$cache/debootstrap.log" 2>&1 ||
        { tail -20 "$cache/debootstrap.log" >&2; die "debootstrap failed (log: $cache/debootstrap.log)"; }
    # The same suites as this machine: the release, its updates and security.
    cat >"$cache/base.tmp/etc/apt/sources.list" <<EOF
deb $m bookworm main
deb $m bookworm-updates main
deb ${m%/debian*}/debian-security bookworm-security main
EOF
    # As Debian's own container images do: dpkg without an fsync per file, which
    # makes a first install several times slower on a busy disk. Speed only:
    # nothing about what gets installed changes.
    echo force-unsafe-io >"$cache/base.tmp/etc/dpkg/dpkg.cfg.d/ccn-fresh-unsafe-io"
    rm -rf "$cache/base.tmp/var/cache/apt/archives/"*.deb
    mv "$cache/base.tmp" "$cache/base"
}

# The README's Quick-start lines: the first ```sh block after "## Quick start".
quick_start_lines() {
    awk '/^## Quick start/ { q = 1; next }
         q && /^```sh/ { b = 1; next }
         b && /^```/ { exit }
         b && NF { print }' README.md
}

root=
unmount_root() {
    [ -n "$root" ] || return 0
    local m
    for m in dev/shm dev/pts dev proc sys; do
        mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true
    done
}
cleanup() { unmount_root; [ -n "$root" ] && rm -rf "$root"; root=; }
trap cleanup EXIT INT TERM

# run_line N LINE: a fresh copy of the base, the repository, the line as root.
run_line() {
    local n=$1 line=$2 log="$logs/line$1.log" start rc
    root=$(mktemp -d /var/tmp/ccn-fresh-root.XXXXXX)
    cp -a "$cache/base/." "$root/"
    # The repository as checked out (tracked and untracked files, nothing ignored:
    # no build/, node_modules/ or workspace comes along).
    mkdir -p "$root/root/ccn"
    git ls-files -z --cached --others --exclude-standard |
        tar -C "$repo" --null -T - -cf - 2>/dev/null | tar -C "$root/root/ccn" -xf -
    # What every machine of this workplace has.
    mkdir -p "$root/usr/local/share/ca-certificates" "$root/etc/ssl/certs"
    cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
    cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
    [ -f /etc/npmrc ] && cp /etc/npmrc "$root/etc/npmrc"
    cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    mount -t proc proc "$root/proc"
    mount -t sysfs sys "$root/sys"
    mount --bind /dev "$root/dev"
    mount --bind /dev/pts "$root/dev/pts"
    mount -t tmpfs shm "$root/dev/shm"

    echo "fresh-check: line $n: $line"
    start=$(date +%s)
    set +e
    chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        bash -c "cd /root/ccn && $line" >"$log" 2>&1
    rc=$?
    set -e
    local secs=$(($(date +%s) - start))
    if [ "$rc" = 0 ]; then
        printf 'fresh-check: line %d passed in %d min %02d s\n' "$n" $((secs / 60)) $((secs % 60))
    else
        printf 'fresh-check: line %d FAILED (exit %d) after %d min %02d s; the end of its log (%s):\n' \
            "$n" "$rc" $((secs / 60)) $((secs % 60)) "$log"
        tail -40 "$log" | sed 's/^/  | /'
    fi
    cleanup
    return "$rc"
}

mkdir -p "$logs"
make_base
mapfile -t lines < <(quick_start_lines)
[ ${#lines[@]} -gt 0 ] || die "README.md has no Quick-start lines"
failed=0
for i in "${!lines[@]}"; do
    n=$((i + 1))
    [ -z "$only" ] || [ "$only" = "$n" ] || continue
    run_line "$n" "${lines[$i]}" || failed=$((failed + 1))
done
[ "$failed" = 0 ] || { echo "fresh-check: $failed Quick-start line(s) failed on a fresh Debian 12" >&2; exit 1; }
echo "fresh-check: every Quick-start line passed on a fresh Debian 12"
