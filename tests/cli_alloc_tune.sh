#!/usr/bin/env bash
# cli_alloc_tune — the commands that go through whole layers start again with
# glibc's allocator tuned (src/cli/main.c: huge pages, freed memory kept), and
# the programs they run get the user's environment back. Seen from a stand-in
# `soffice` that ccn report runs: its own environment, and the one its parent
# (ccn) was started with (/proc/PPID/environ, the block execve gave it).
source "$(dirname "$0")/lib.sh"
ws=$(sample_ws) || exit 3
mkdir -p "$TMP/bin"
cat >"$TMP/bin/soffice" <<'SH'
#!/bin/sh
env >"$SEEN/child.env"
tr '\0' '\n' </proc/$PPID/environ >"$SEEN/parent.env"
SH
chmod +x "$TMP/bin/soffice"
# glibc 2.36 ends each tunable it reads with a NUL in place, so the block
# shows the first of ours only (the run's 78,000 page faults on the noisy 300k
# against 206,000 untuned show the other two at work: tests/bench_check.sh).
tuned="GLIBC_TUNABLES=glibc.malloc.hugetlb=1"
# Under AddressSanitizer the allocator is the sanitizer's: left alone.
ldd "$CCN" | grep -q libasan && tuned=

# 1. Not set by the user: ccn runs tuned, soffice sees neither variable.
mkdir -p "$TMP/seen1"
run env -u GLIBC_TUNABLES SEEN="$TMP/seen1" PATH="$TMP/bin:$PATH" \
    "$CCN" report "$ws" "$TMP/r1" --as-of 2025-12-31 -q
[ -s "$TMP/seen1/child.env" ] && ok || bad "soffice was not run"
expect_eq "$(grep -c '^GLIBC_TUNABLES=\|^CCN_TUNED_ALLOCATOR=' "$TMP/seen1/child.env")" 0 \
    "soffice's environment: $(grep 'TUNABLES\|TUNED' "$TMP/seen1/child.env")"
expect_eq "$(grep '^GLIBC_TUNABLES=' "$TMP/seen1/parent.env")" "$tuned"

# 2. The user's own tunables: kept as they are, for ccn and for soffice.
mine="GLIBC_TUNABLES=glibc.malloc.arena_max=2"
mkdir -p "$TMP/seen2"
run env "$mine" SEEN="$TMP/seen2" PATH="$TMP/bin:$PATH" \
    "$CCN" report "$ws" "$TMP/r2" --as-of 2025-12-31 -q
expect_eq "$(grep '^GLIBC_TUNABLES=' "$TMP/seen2/parent.env")" "$mine"
expect_eq "$(grep '^GLIBC_TUNABLES=' "$TMP/seen2/child.env")" "$mine"
expect_eq "$(grep -c '^CCN_TUNED_ALLOCATOR=' "$TMP/seen2/child.env")" 0

# 3. The same findings tuned and not (the user's tunables name none of ours).
run env -u GLIBC_TUNABLES "$CCN" check "$ws" -q -o "$TMP/tuned.csv"
expect_rc 1 # the sample has errors
run env "$mine" "$CCN" check "$ws" -q -o "$TMP/plain.csv"
expect_rc 1
[ -s "$TMP/tuned.csv" ] && cmp -s "$TMP/tuned.csv" "$TMP/plain.csv" && ok ||
    bad "findings differ tuned and not"

# 4. glibc's older knob (MALLOC_ARENA_MAX) set by the user: not restarted.
mkdir -p "$TMP/seen4"
run env -u GLIBC_TUNABLES MALLOC_ARENA_MAX=2 SEEN="$TMP/seen4" PATH="$TMP/bin:$PATH" \
    "$CCN" report "$ws" "$TMP/r4" --as-of 2025-12-31 -q
expect_eq "$(grep -c '^GLIBC_TUNABLES=' "$TMP/seen4/parent.env")" 0
expect_eq "$(grep '^MALLOC_ARENA_MAX=' "$TMP/seen4/child.env")" "MALLOC_ARENA_MAX=2"

# 5. Run through the dynamic loader: /proc/self/exe is the loader, so no
# restart (it would take 'check' for the program); the same findings.
loader=$(ldd "$CCN" | awk '/ld-linux/ { print $1; exit }')
if [ -x "$loader" ]; then
    run env -u GLIBC_TUNABLES "$loader" "$CCN" check "$ws" -q -o "$TMP/loader.csv"
    expect_rc 1
    cmp -s "$TMP/tuned.csv" "$TMP/loader.csv" && ok || bad "findings differ through the loader"
fi
finish
