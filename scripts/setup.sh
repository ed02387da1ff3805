#!/usr/bin/env bash
# setup.sh [--tests] — install what is missing (Debian 12 packages, npm packages from
# the lock files) and build ccn into build/ (or $CCN_BUILD_DIR). Idempotent:
# a second run installs nothing and rebuilds only what changed.
#   CCN_SANITIZE=1  build with AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake pkg-config
    libgdal-dev gdal-bin libproj-dev proj-bin libgeos-dev libgmp-dev
    libsqlite3-dev libspatialite-dev sqlite3 libsqlite3-mod-spatialite
    libcairo2-dev libpango1.0-dev libxlsxwriter-dev libzip-dev
    libpq-dev   # a PostgreSQL/PostGIS workspace (client library only)
    fonts-noto-core fonts-dejavu-core
    gettext)  # msgfmt compiles po/vi.po, the CLI's Vietnamese messages
# Only the tests need these (real clients of what ccn writes): `setup.sh --tests`,
# as scripts/test.sh calls it, installs them too; the main job does not.
test_packages=(poppler-utils chromium zip unzip libxml2-utils
    python3-qgis groff-base   # QGIS opens what ccn writes; the man page
    libreoffice-writer-nogui python3-docx python3-openpyxl  # the report document and the
                              # workbook read back (ccn runs without LibreOffice: no PDF then)
    fonts-liberation2         # Liberation Serif: LibreOffice's Times New Roman (same metrics,
                              # Vietnamese), else the PDF is set in Noto Serif
    postgresql-15 postgresql-15-postgis-3 postgresql-client-15  # a private PostGIS
                              # cluster per test run (tests/pg_cluster.sh), never the system's
    time)                     # GNU time: the benchmarks' peak memory (tests/bench_lib.sh)
[ "${1:-}" = --tests ] && packages+=("${test_packages[@]}")
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v node >/dev/null && command -v npm >/dev/null || missing+=(nodejs npm)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]} and what they need (a few minutes on a fresh machine)"
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get update -qq
    # A line per 50 packages fetched, unpacked and set up, and apt's errors,
    # instead of minutes of silence.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}" 2>&1 |
        awk 'function tell(what, n) { if (n % 50 == 0) { printf "setup: %d packages %s\n", n, what; fflush() } }
             /^Get:[0-9]/ { tell("downloaded", ++g) }
             /^Unpacking / { tell("unpacked", ++u) }
             /^Setting up / { tell("set up", ++s) }
             /^(E|W): / { print; fflush() }
             END { if (s) printf "setup: %d packages set up\n", s }'
fi

# Every command the scripts and tests call, with the package that brings it:
# a package dropped from the list above fails here, naming what is missing.
commands=(cc:build-essential make:build-essential cmake:cmake pkg-config:pkg-config
    sqlite3:sqlite3 ogr2ogr:gdal-bin ogrinfo:gdal-bin cs2cs:proj-bin node:nodejs npm:npm)
[ "${1:-}" = --tests ] && commands+=(pdftotext:poppler-utils pdftoppm:poppler-utils chromium:chromium zip:zip unzip:unzip xmllint:libxml2-utils
    psql:postgresql-client-15 /usr/lib/postgresql/15/bin/initdb:postgresql-15 /usr/bin/time:time)
absent=()
for pair in "${commands[@]}"; do
    command -v "${pair%%:*}" >/dev/null || absent+=("'${pair%%:*}' (package ${pair#*:})")
done
if [ ${#absent[@]} -gt 0 ]; then
    echo "setup: missing after installation: ${absent[*]}" >&2
    exit 1
fi

# JavaScript for the web page (Leaflet) and for the tests (validator, browser driver).
node_dirs=(web); [ "${1:-}" = --tests ] && node_dirs+=(tests/node)
for dir in "${node_dirs[@]}"; do
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
echo "setup: building ccn in $build/ (a minute or two the first time)"
cmake -S . -B "$build" "${flags[@]}" >/dev/null
# Progress every 10 %, and every warning or error in full.
set +o pipefail
cmake --build "$build" -j"$(nproc)" 2>&1 |
    awk '/^\[ *[0-9]+%\]/ { p = substr($0, 2, 4) + 0; if (p >= next_p) { printf "setup: build %d %%\n", p; next_p = p - p % 10 + 10; fflush() } next }
         /error|warning|Error|\*\*\*/ { print; fflush() }'
status=${PIPESTATUS[0]}
set -o pipefail
[ "$status" = 0 ] && [ -x "$build/ccn" ] || { echo "setup: the build failed" >&2; exit 1; }
echo "setup: ccn is built: $build/ccn (cmake --install $build installs it)"
