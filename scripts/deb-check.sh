#!/usr/bin/env bash
# deb-check.sh — the Debian package on a clean Debian 12: build it with CPack,
# install it with `apt-get install ./ccn_*.deb` (which pulls its dependencies)
# in a fresh copy of a minimal Debian 12 root, then, from a folder that is not
# the repository: `ccn init` (the installed district), an import, a map, a
# QGIS project, the manual page and bash completion.
#
# The minimal root is the one scripts/fresh-check.sh caches
# ($CCN_FRESH_CACHE, default /var/cache/ccn-fresh/base); it is copied, never
# changed. Needs root (chroot, mount). Build first (scripts/setup.sh).
#   scripts/deb-check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build=${1:-build}
base=${CCN_FRESH_CACHE:-/var/cache/ccn-fresh}/base
die() { echo "deb-check: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (chroot and mount)"
[ -x "$base/bin/bash" ] || die "no minimal Debian 12 root in $base (scripts/fresh-check.sh builds it)"
[ -x "$build/ccn" ] || die "build first: bash scripts/setup.sh"

(cd "$build" && rm -f ccn_*.deb && cpack -G DEB >/dev/null) || die "cpack failed"
deb=$(ls "$build"/ccn_*.deb)
echo "deb-check: $(basename "$deb") ($(du -h "$deb" | cut -f1)), depends: $(dpkg-deb -f "$deb" Depends)"

root=$(mktemp -d /var/tmp/ccn-deb-root.XXXXXX)
cleanup() {
    for m in dev/pts dev proc sys; do mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true; done
    rm -rf "$root"
}
trap cleanup EXIT INT TERM
cp -a "$base/." "$root/"
mkdir -p "$root/etc/ssl/certs" "$root/usr/local/share/ca-certificates" "$root/srv"
cp -a /usr/local/share/ca-certificates/. "$root/usr/local/share/ca-certificates/" 2>/dev/null || true
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/" 2>/dev/null || true
cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
cp "$deb" "$root/srv/"
cp "$repo"/layers/clusters.gpkg "$repo"/layers/lots.gpkg "$root/srv/"
mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"

start=$(date +%s)
chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin bash -euo pipefail -c '
    apt-get update -qq
    apt-get install -y -qq ./srv/ccn_*.deb >/tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; exit 1; }
    echo "deb-check: installed: $(dpkg-query -W -f="\${Package} \${Version} \${Status}" ccn)"
    command -v ccn
    mkdir -p /home/office && cd /home/office
    ccn --version
    ccn init ccn.sqlite
    ccn import ccn.sqlite /srv/clusters.gpkg --as clusters -q
    ccn import ccn.sqlite /srv/lots.gpkg --as lots -q
    ccn map ccn.sqlite --cluster HT -o ht.pdf -q
    ccn qgis ccn.sqlite du_an.qgz
    test -s ht.pdf && test -s du_an.qgz
    test -f /usr/share/man/man1/ccn.1* && test -f /usr/share/bash-completion/completions/ccn
    test -f /usr/share/ccn/gis/clusters.csv
    echo "deb-check: ccn init, import, map and qgis ran from /home/office"'
echo "deb-check: passed in $(($(date +%s) - start)) s on a clean Debian 12 root"
