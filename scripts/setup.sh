#!/usr/bin/env bash
# setup.sh — install what is missing (Debian 12 packages, npm packages from
# the lock files) and build ccn into build/ (or $CCN_BUILD_DIR). Idempotent:
# a second run installs nothing and rebuilds only what changed.
#   CCN_SANITIZE=1  build with AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config
    libgdal-dev gdal-bin libproj-dev proj-bin libgeos-dev
    libsqlite3-dev libspatialite-dev sqlite3 libsqlite3-mod-spatialite
    libcairo2-dev libpango1.0-dev libxlsxwriter-dev
    fonts-noto-core fonts-dejavu-core poppler-utils chromium
    python3-qgis groff-base)  # the last two only test: QGIS opens what ccn writes; the man page
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# JavaScript for the web page (Leaflet) and for the tests (validator, browser driver).
for dir in web tests/node; do
    if [ -f "$dir/package.json" ] && [ ! -d "$dir/node_modules" ]; then
        echo "setup: npm packages in $dir"
        (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    fi
done

build=${CCN_BUILD_DIR:-build}
flags=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${CCN_SANITIZE:-0}" = 1 ]; then
    build=${CCN_BUILD_DIR:-build-asan}
    flags=(-DCMAKE_BUILD_TYPE=Debug -DCCN_SANITIZE=ON)
fi
[ "${CI:-}" = true ] && flags+=(-DCCN_WERROR=ON)
cmake -S . -B "$build" "${flags[@]}" >/dev/null
cmake --build "$build" -j"$(nproc)" 2>&1 | grep -E "error|warning|Error" || true
test -x "$build/ccn" || { echo "setup: the build failed" >&2; exit 1; }
