#!/usr/bin/env bash
# A file whose name is not UTF-8 (a zip made on Vietnamese Windows, unpacked
# on Linux: "Bản đồ.gpkg" in CP1258 bytes) is recorded under a UTF-8 name,
# each odd byte U+FFFD, on both back ends (a hunt, session 18). SQLite stored
# the bytes as they were, ill-formed text in the workspace that every output
# must then mend; PostgreSQL refused them and the import failed, exit 3
# ('invalid byte sequence for encoding "UTF8": 0xe3 0x6e 0x20').
source "$(dirname "$0")/lib.sh"
ws=$(new_ws)
printf '%s\n' 'WKT,MaXa,SoHieuToBanDo,SoThuTuThua' \
    '"POLYGON((564800 2183400,564820 2183400,564820 2183420,564800 2183400))",15916,1,1' >"$TMP/p.csv"
name=$(printf 'B\xe3n \xf0\xf4')
ogr2ogr "$TMP/$name.gpkg" "$TMP/p.csv" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
    -a_srs EPSG:5897 -nln parcels
run "$CCN" import "$ws" "$TMP/$name.gpkg" --as parcels
expect_rc 0
expect_eq "$(sql "$ws" "SELECT count(*) FROM parcels")" 1
# B, U+FFFD for E3, "n ", U+FFFD twice (F0 F4 start no sequence here), ".gpkg"
expect_eq "$(sql "$ws" "SELECT file FROM imports WHERE role = 'parcels'")" "$TMP/B�n ��.gpkg"
# a lease register so named: its import's row too
run "$CCN" import "$ws" "$ROOT/layers/lots.gpkg" --as lots
printf '%s\n' 'cluster,lot_no,tenant,start_date,end_date,note' 'DL3,CN-01,Công ty A,2024-01-01,,' \
    >"$TMP/$name.csv"
run "$CCN" lease "$ws" import "$TMP/$name.csv"
expect_rc 0
expect_eq "$(sql "$ws" "SELECT file FROM imports WHERE role = 'leases'")" "$TMP/B�n ��.csv"
finish
