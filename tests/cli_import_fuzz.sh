#!/usr/bin/env bash
# ccn import on the cases a mutation run turned up (byte-level and structural
# mutations of the sample layers, session 21): the smallest form of each, from
# tests/data/fuzz (make.sh there says how each was made).
source "$(dirname "$0")/lib.sh"
F=$DATA/fuzz
valid_utf8() { iconv -f UTF-8 -t UTF-8 <<<"$1" >/dev/null 2>&1 && ok || bad "not UTF-8: ${1:0:300}"; }
ws=$(new_ws)
before=$(sql "$ws" "SELECT count(*) FROM lots")

# --- Messages quoting a file's bytes are text ---------------------------------
# A value quoted to its first 60 bytes was cut within a letter, and a legacy
# field name or undecodable sample was quoted as the file's bytes: the error
# (English or Vietnamese) was not UTF-8. Each byte that starts no letter is
# now U+FFFD (EF BF BD), as elsewhere in ccn's outputs.
for lang in en vi; do
    LANGUAGE=$lang run "$CCN" import "$ws" "$F/object_cut.geojson" --as lots
    expect_rc 2
    valid_utf8 "$err"
    expect_err "object_cut.geojson"
    # '{"bb":"' (7 bytes), 17 whole letters (51), then 2 of the next one's 3 bytes
    expect_err "$(printf '{"bb":"%s\xef\xbf\xbd\xef\xbf\xbd'"'" "$(printf 'Ứ%.0s' $(seq 17))")"
done
run "$CCN" import "$ws" "$F/legacy_names.shp" --as lots --encoding TCVN3
expect_rc 2
valid_utf8 "$err"
expect_err "legacy_names.shp: no field for 'cluster'"
expect_err "$(printf "the layer has: CL\xef\xbf\xbd\xef\xbf\xbdUST\xef\xbf\xbd, L\xef\xbf\xbdT\xef\xbf\xbdN")"
run "$CCN" import "$ws" "$F/undecodable.csv" --as lots --s-srs EPSG:5897 --encoding auto
expect_rc 2
valid_utf8 "$err"
expect_err "undecodable.csv: cannot tell the text's encoding"
# C3 28: no pair (C3 then '('); A0 A1: no starts; FC: no start
expect_err "$(printf "words such as '\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbd M\xef\xbf\xbdller")"
expect_eq "$(sql "$ws" "SELECT count(*) FROM lots")" "$before" "lots after the refused imports"

# --- --encoding auto on a .cpg or $DWGCODEPAGE of 1258 ----------------------------
# Text judged UTF-8 (or plain ASCII) was left to GDAL, which decodes a 1258
# through glibc's iconv and drops each text's last letter: a DXF's layers
# LUC and SKC were stored as plan codes "LU" and "SK" (said only as unknown
# codes), a shapefile's fields MAXA … TENCHU became MAX … TENCH and the
# import was refused ("no field for 'commune'"). Without --encoding both
# imported whole; --encoding auto now reads them as the default does.
for enc in "" "--encoding auto"; do
    p=$(new_ws dxf)
    # shellcheck disable=SC2086 # $enc: no option, or one
    run "$CCN" import "$p" "$F/plan_1258.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer $enc
    expect_rc 0
    # two 100 m x 80 m rectangles (by hand)
    expect_eq "$(sql "$p" "SELECT group_concat(landuse || ':' || Area(geom), ' ') FROM (SELECT * FROM plan ORDER BY fid)")" \
        "LUC:8000.0 SKC:8000.0" "($enc)"
    ! grep -q "does not know" <<<"$err" && ok || bad "codes called unknown ($enc): $err"
    p=$(new_ws dxfwest)
    # shellcheck disable=SC2086
    run "$CCN" import "$p" "$F/west_1258.dxf" --as plan --s-srs EPSG:5897 --field landuse=Layer $enc
    expect_rc 0
    expect_eq "$(sql "$p" "SELECT group_concat(landuse, '|') FROM (SELECT * FROM plan ORDER BY fid)")" \
        "MÜLLER SKN|Ø20 LUC" "($enc)"
    p=$(new_ws cpg)
    # shellcheck disable=SC2086
    run "$CCN" import "$p" "$F/cpg1258/parcels.shp" --as parcels $enc
    expect_rc 0
    expect_out "parcels: 1 read, 1 stored, 0 refused"
    expect_eq "$(sql "$p" "SELECT commune || '/' || sheet || '/' || parcel_no || ' ' || landuse || ' ' || owner FROM parcels")" \
        "15700/58/1 LUC Nguyen Van An" "($enc)"
done

# --- UTF-8 text in a .dbf of ANSI (byte 29 0x57) without its .cpg ------------------
# Judged UTF-8 by its bytes, it was then left to GDAL, which decodes such a
# .dbf as Windows-1252: stored as "Nguyá»n VÄn An", exit 0, not a word.
p=$(new_ws ldid)
run "$CCN" import "$p" "$F/ldid_utf8/parcels.shp" --as parcels
expect_rc 0
expect_out "parcels: 3 read, 3 stored, 0 refused"
expect_eq "$(sql "$p" "SELECT group_concat(owner, '|') FROM (SELECT owner FROM parcels ORDER BY parcel_no)")" \
    "Nguyễn Văn An|Trịnh Thị Hoa|Lê Đình Hưng"

# --- A .prj whose CRS name is not UTF-8 -----------------------------------------------
# The summary line quoted it as its bytes (FF FF FF FF), and the imports
# table's crs column held them: neither was text. Each such byte is U+FFFD.
p=$(new_ws prj)
run "$CCN" import "$p" "$F/prj_bytes/parcels.shp" --as parcels
expect_rc 0
valid_utf8 "$out"
fffd4=$(printf '\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd')
expect_out "layer 'parcels' (${fffd4}000_TM-3_zone_482) -> parcels: 1 read, 1 stored, 0 refused"
expect_eq "$(sql "$p" "SELECT crs FROM imports WHERE role = 'parcels'")" "${fffd4}000_TM-3_zone_482"

# --- UTF-8 text beside a .cpg of 1252 ------------------------------------------------
# GDAL decodes it as Windows-1252: the old build stored "Nguyá»…n VÄƒn An",
# exit 0, not a word. Now refused as TCVN3 under a Western .cpg is, with the
# reading that fits; --encoding UTF-8 or auto stores the names.
p=$(new_ws cpg1252)
run "$CCN" import "$p" "$F/cpg1252_utf8/parcels.shp" --as parcels
expect_rc 2
expect_err "cpg1252_utf8/parcels.shp: feature 0, field 'TENCHU': read as its .cpg says (1252) the text reads 'Nguyá»…n VÄƒn An', not Vietnamese"
expect_err "it reads as UTF-8: 'Nguyễn Văn An'. Pass --encoding UTF-8 (or auto)"
expect_eq "$(sql "$p" "SELECT count(*) FROM parcels")" 0
for enc in UTF-8 auto; do
    p=$(new_ws "cpg1252$enc")
    run "$CCN" import "$p" "$F/cpg1252_utf8/parcels.shp" --as parcels --encoding $enc
    expect_rc 0
    expect_eq "$(sql "$p" "SELECT group_concat(owner, '|') FROM (SELECT owner FROM parcels ORDER BY parcel_no)")" \
        "Nguyễn Văn An|Trịnh Thị Hoa|Lê Đình Hưng" "($enc)"
done

# --- A cluster's boundary in 40,000 features ----------------------------------------
# Each part remade the cluster's multipolygon from all the parts before it:
# a boundary of 100,000 tiny features ran past 2 minutes, 40,000 past a
# minute (the old build, timeout 60: exit 124), as a parcel layer imported
# as clusters by mistake would. The parts are now made one once, in seconds.
# 1 m squares 2 m apart, 200 a row: 40,000 m² (by hand).
awk 'BEGIN { print "WKT,code"; for (i = 0; i < 40000; i++) {
    x = 561300 + (i % 200) * 2; y = 2188800 + int(i / 200) * 2
    printf "\"POLYGON ((%d %d,%d %d,%d %d,%d %d,%d %d))\",HT\n", x, y, x + 1, y, x + 1, y + 1, x, y + 1, x, y } }' \
    >"$TMP/parts.csv"
p=$(new_ws parts)
run timeout 60 "$CCN" import "$p" "$TMP/parts.csv" --as clusters --replace --s-srs EPSG:5897
expect_rc 0
expect_out "clusters: 40000 read, 40000 stored, 0 refused, 0 replaced"
expect_err "cluster HT: 40000 features joined into one boundary"
expect_eq "$(sql "$p" "SELECT Area(geom) || ' ' || NumGeometries(geom) FROM clusters WHERE code = 'HT'")" "40000.0 40000"

finish
