#!/usr/bin/env bash
# test.sh — set up, build and run the whole test suite (CTest).
#   CCN_SANITIZE=1 scripts/test.sh   the same suite under ASan + UBSan
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
build=${CCN_BUILD_DIR:-build}
[ "${CCN_SANITIZE:-0}" = 1 ] && build=${CCN_BUILD_DIR:-build-asan}
# Leaks inside GDAL/PROJ/fontconfig's process-wide caches are not ours.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
