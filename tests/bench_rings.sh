#!/usr/bin/env bash
# bench_rings.sh — the area two polygons share, from rings.c's sum against
# GEOS (GEOSIntersection + GEOSArea) on the same pairs, one thread, in the
# VN-2000 frame: small × small (a parcel of 4-12 vertices across the edge of a
# zone of 20-200, the overlay's common case) and large × large (two polygons
# of N vertices, smooth and rough; rings.c hands the rough pair to GEOS).
# Not a test: it prints both times per pair and the ratio GEOS / rings.
#   tests/bench_rings.sh [N] [SMALL_PAIRS]   (defaults 39000 and 20000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${CCN_BUILD_DIR:-build}
bench=$PWD/$build/tests/ccn-bench-rings
[ -x "$bench" ] || { echo "build first (cmake --build $build)" >&2; exit 2; }
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$bench" "${1:-39000}" "${2:-20000}"
