#!/bin/bash
# cli_full_disk — a disk that fills up while ccn writes: a clear error,
# exit 2, nothing half-written left, the target and the workspace as they
# were. The disk is a tmpfs of a few MiB (mount needs root: skipped without).
# GDAL's shapefile driver does not see a write that fails when it closes a
# part (its buffer flushed into a full disk): the export said "5 features"
# and exit 0 over a .dbf cut at 4096 bytes of 6994 with no fields, or an
# empty .prj.
source "$(dirname "$0")/lib.sh"
skip_on_pg "a disk of the machine's own"
D=$DATA/lease
M=$TMP/disk
mkdir -p "$M"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=8M tmpfs "$M" 2>/dev/null; then
    echo "SKIP: cannot mount a small tmpfs (needs root)"
    exit 0
fi
trap 'umount "$M" 2>/dev/null; rm -rf "$TMP"' EXIT
ws=$(new_ws)
"$CCN" import "$ws" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$ws" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$ws" import "$D/leases.csv" >/dev/null || exit 3
# fill LEFT: leave LEFT KiB free on the disk (tmpfs counts 4 KiB pages)
fill() {
    rm -f "$M/fill"
    local avail
    avail=$(df -k --output=avail "$M" | tail -1)
    dd if=/dev/zero of="$M/fill" bs=1k count=$((avail - $1)) 2>/dev/null
}
# The same export on a disk with room: the parts as they should be.
run "$CCN" export "$ws" "$TMP/lots.shp" --layer lots -q
expect_rc 0
dbf=$(stat -c %s "$TMP/lots.dbf")
# 12, 16 and 20 KiB free: the .prj, the .shp, the .shx fit, the .dbf does
# not (or the .prj is left empty, at 12).
for left in 12 16 20; do
    mkdir -p "$M/out"
    echo "mine" >"$M/out/lots.dbf" # a file of that name there before: kept as it was
    fill $left
    run "$CCN" export "$ws" "$M/out/lots.shp" --layer lots -q
    expect_rc 2
    expect_err "cannot write '$M/out/lots.shp'"
    expect_err "a full disk?): nothing written"
    expect_eq "$(ls -A "$M/out")" "lots.dbf" "($left KiB free: what the export left)"
    expect_eq "$(cat "$M/out/lots.dbf")" "mine" "($left KiB free: the file there before)"
    rm -rf "$M/out"
done
# With room it is written whole, as on the other disk.
rm -f "$M/fill"
run "$CCN" export "$ws" "$M/lots.shp" --layer lots -q
expect_rc 0
expect_eq "$(stat -c %s "$M/lots.dbf")" "$dbf" "(the .dbf written with room)"
run ogrinfo -ro -q "$M/lots.shp" lots -where "lot_no = 'CN-03'"
expect_out "tenant (String) = "
rm -f "$M"/lots.*

# A report into a file (-o): the file system's reason said (it was only
# "cannot write 'a.csv'"), nothing left.
fill 0
for cmd in "areas" "occupancy --by lot" "check"; do
    # shellcheck disable=SC2086 # the words of cmd are arguments
    run "$CCN" $cmd "$ws" -o "$M/out.csv" -q
    expect_err "cannot write '$M/out.csv': No space left on device"
    expect_eq "$(ls -A "$M")" "fill" "($cmd -o: what it left)"
done
run "$CCN" lease "$ws" list -o "$M/out.csv"
expect_rc 2
expect_err "cannot write '$M/out.csv': No space left on device"

# A GeoPackage: the disk is named, not the consequence GDAL reports last
# ("no such table: lots", as if the workspace had no lots).
for left in 8 40; do
    fill $left
    run "$CCN" export "$ws" "$M/lots.gpkg" --layer lots -q
    expect_rc 2
    expect_err "database or disk is full"
    ! grep -q "no such table" <<<"$err" && ok || bad "($left KiB free) a consequence named"
    expect_eq "$(ls -A "$M")" "fill" "($left KiB free: what the export left)"
done

# Already right (each checked once when this test was written): a GeoJSON
# export, a map, a report folder and an import into a workspace on the full
# disk fail with the disk named; the workspace is whole and unchanged.
fill 0
run "$CCN" export "$ws" "$M/lots.geojson" --layer lots -q
expect_rc 2
expect_err "No space left on device"
run "$CCN" map "$ws" --cluster HT -o "$M/ht.png" -q
expect_rc 2
expect_err "No space left on device"
run "$CCN" report "$ws" "$M/rep" --no-pdf -q
expect_rc 2
expect_err "No space left on device"
expect_eq "$(ls -A "$M")" "fill" "(what the failed outputs left)"
rm -f "$M/fill"
cp "$ws" "$M/ws.sqlite"
fill 256
before=$(sqlite3 "$M/ws.sqlite" "SELECT count(*) FROM leases; SELECT count(*) FROM imports")
run "$CCN" import "$M/ws.sqlite" "$ROOT/layers/parcels.shp" --as parcels --encoding TCVN3 -q
expect_rc 3
expect_err "database or disk is full"
expect_eq "$(sqlite3 "$M/ws.sqlite" "PRAGMA integrity_check")" "ok"
expect_eq "$(sqlite3 "$M/ws.sqlite" "SELECT count(*) FROM parcels")" "0" "(parcels after the failed import)"
expect_eq "$(sqlite3 "$M/ws.sqlite" "SELECT count(*) FROM leases; SELECT count(*) FROM imports")" "$before"
finish
