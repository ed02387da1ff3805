#!/usr/bin/env bash
# A shapefile as surveyors send it: in a .zip, or its folder named instead of
# its .shp (a hunt, session 19). Each case failed on the build before its fix.
# Fixtures are made here, small, with ogr2ogr, iconv, zip and printf.
source "$(dirname "$0")/lib.sh"
skip_on_pg "the files' own containers and encodings (the back end plays no part)"
shp_from() { # shp_from DIR CSV: a polygon shapefile in DIR, named after the CSV, in EPSG:5897
    mkdir -p "$1"
    ogr2ogr "$1/$(basename "$2" .csv).shp" "$2" -oo GEOM_POSSIBLE_NAMES=WKT \
        -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:5897 -nlt POLYGON
}

# --- Nothing doubled, however the shapefile comes -----------------------------------
# A folder or a /vsizip/ path had no SHA-256 (ccn hashed the path given, which
# is no file it can read): the same plan imported twice was stored twice,
# "1 read, 1 stored" each time, and --if-changed never skipped it. The files
# GDAL reads are hashed now, as their .shp given itself is: the same file
# however it comes.
printf '%s\n' 'WKT,landuse' \
    '"POLYGON((564800 2183400,564900 2183400,564900 2183480,564800 2183400))",SKN' >"$TMP/z.csv"
shp_from "$TMP/plan" "$TMP/z.csv"
(cd "$TMP/plan" && zip -q ../z.zip z.shp z.shx z.dbf z.prj)
# the .shp's hash as README says: SHA-256 of the lines "EXT HEX" of the .shp and its companions
want=$(cd "$TMP/plan" && for e in shp shx dbf prj; do
    printf '%s %s\n' "$e" "$(sha256sum <"z.$e" | cut -c1-64)"
done | sha256sum | cut -c1-64)
ws=$(new_ws)
run "$CCN" import "$ws" "$TMP/plan" --as plan
expect_rc 0
expect_out "plan: 1 read, 1 stored, 0 refused"
expect_eq "$(sql "$ws" "SELECT sha256 FROM imports WHERE role = 'plan'")" "$want" "(the folder's shapefile)"
for p in "$TMP/plan" "/vsizip/$TMP/z.zip" "/vsizip/$TMP/z.zip/z.shp" "$TMP/z.zip" "$TMP/plan/z.shp"; do
    run "$CCN" import "$ws" "$p" --as plan
    expect_rc 2
    expect_err "$p: this file (SHA-256 ${want:0:12}…) was imported into plan already, as '$TMP/plan'"
done
run "$CCN" import "$ws" "/vsizip/$TMP/z.zip" --as plan --if-changed
expect_rc 0
expect_eq "$(sql "$ws" "SELECT count(*) || ' ' || round(sum(ST_Area(geom)), 3) FROM plan")" "1 4000.0" \
    "(one zone, 100 x 80 / 2 m²)"
p=$(new_ws zipfirst) # the other way round: the .zip first, then its .shp
run "$CCN" import "$p" "/vsizip/$TMP/z.zip/z.shp" --as plan
expect_rc 0
expect_eq "$(sql "$p" "SELECT sha256 FROM imports WHERE role = 'plan'")" "$want" "(in a .zip)"
run "$CCN" import "$p" "$TMP/plan/z.shp" --as plan
expect_rc 2
expect_eq "$(sql "$p" "SELECT count(*) FROM plan")" "1"

# A folder GDAL reads as one dataset (an Esri FileGDB) has no single file to
# hash: none is recorded. (Read through GDAL, a folder opened and read as
# nothing, and every FileGDB had the hash of "": a second one, other zones,
# was refused as "imported into plan already".)
for g in 1:SKN:564800 2:LUC:565000; do
    IFS=: read -r n code x <<<"$g"
    printf '%s\n' 'WKT,landuse' \
        "\"POLYGON(($x 2183400,$((x + 100)) 2183400,$((x + 100)) 2183480,$x 2183400))\",$code" \
        >"$TMP/g$n.csv"
    ogr2ogr -f OpenFileGDB "$TMP/g$n.gdb" "$TMP/g$n.csv" -oo GEOM_POSSIBLE_NAMES=WKT \
        -oo KEEP_GEOM_COLUMNS=NO -a_srs EPSG:5897 -nlt POLYGON -nln zones
done
p=$(new_ws gdb)
for n in 1 2; do
    run "$CCN" import "$p" "$TMP/g$n.gdb" --as plan
    expect_rc 0
    expect_out "g$n.gdb: layer 'zones' (VN-2000 / TM-3 zone 482) -> plan: 1 read, 1 stored, 0 refused"
done
expect_eq "$(sql "$p" "SELECT count(*) || ' ' || count(sha256) FROM imports WHERE role = 'plan'")" "2 0"

# --- A plain .zip ---------------------------------------------------------------------
# GDAL opens a .shp.zip, not a .zip: "cannot open: not a recognised vector
# file". ccn reads it as /vsizip/ does; one that holds no layer GDAL reads is
# named with what it holds.
p=$(new_ws plainzip)
run "$CCN" import "$p" "$TMP/z.zip" --as plan
expect_rc 0
expect_out "z.zip: layer 'z' (VN-2000 / TM-3 zone 482) -> plan: 1 read, 1 stored, 0 refused"
printf 'not a layer\n' >"$TMP/readme.txt"
(cd "$TMP" && zip -q notes.zip readme.txt)
run "$CCN" import "$p" "$TMP/notes.zip" --as plan
expect_rc 2
expect_err "notes.zip: cannot open: no vector layer GDAL reads in the archive (it holds: readme.txt): name a file inside it, as /vsizip/$TMP/notes.zip/NAME"
LANGUAGE=vi run "$CCN" import "$p" "$TMP/notes.zip" --as plan
expect_err "notes.zip: không mở được: trong tệp nén không có lớp dữ liệu vector nào GDAL đọc được (tệp nén chứa: readme.txt): hãy chỉ định một tệp trong đó, dạng /vsizip/$TMP/notes.zip/TÊN"
run "$CCN" import "$p" "/vsizip/$TMP/notes.zip" --as plan
expect_rc 2
expect_err "notes.zip: cannot open: no vector layer GDAL reads in the archive (it holds: readme.txt): name a file inside it, as /vsizip/$TMP/notes.zip/NAME"
# a /vsizip/ path to nothing was "not a recognised vector file"
for gone in "/vsizip/$TMP/gone.zip" "/vsizip/$TMP/z.zip/gone.shp"; do
    run "$CCN" import "$p" "$gone" --as plan
    expect_rc 2
    expect_eq "$err" "ccn: import: $gone: no such file"
done
expect_eq "$(sql "$p" "SELECT count(*) FROM plan")" "1"

# --- The .cpg (or its absence) beside the .shp, not beside the path given -------------
# ccn looked for a .cpg beside the path: a folder or a .zip has none there.
# TCVN3 text without a .cpg in a folder was stored garbled as GDAL's Latin-1
# ("NguyÔn §×nh H­ng", exit 0), not told from its text as beside a .shp.
tcvn=$(printf 'Nguyễn Đình Hưng' | iconv -t TCVN5712-1)
printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA,TENCHU' \
    "\"POLYGON((564800 2183400,564900 2183400,564900 2183480,564800 2183400))\",15916,1,1,$tcvn" \
    >"$TMP/tc.csv"
shp_from "$TMP/tcvn" "$TMP/tc.csv" 2>/dev/null # (GDAL warns of the bytes it does not know)
(cd "$TMP/tcvn" && zip -q ../tc.zip tc.shp tc.shx tc.dbf tc.prj)
for p in "$TMP/tcvn" "$TMP/tc.zip" "/vsizip/$TMP/tc.zip"; do
    w=$(new_ws tcvn)
    run "$CCN" import "$w" "$p" --as parcels
    expect_rc 0
    expect_eq "$(sql "$w" "SELECT owner FROM parcels")" "Nguyễn Đình Hưng" "($p)"
done
# A .cpg of 1258: GDAL's iconv loses each text's last letter, which ccn
# avoids by decoding the DBF's bytes (cli_import_robust); in a folder or a
# .zip GDAL decoded it: field names MAXA -> MAX ("no field for 'commune'"),
# and with --field the values lost theirs too ("Tran" stored as "Tra").
printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA,TENCHU' \
    '"POLYGON((564800 2183400,564900 2183400,564900 2183480,564800 2183400))",15916,1,1,Tran' \
    >"$TMP/c.csv"
shp_from "$TMP/cp1258" "$TMP/c.csv"
echo 1258 >"$TMP/cp1258/c.cpg"
(cd "$TMP/cp1258" && zip -q ../c.zip c.shp c.shx c.dbf c.prj c.cpg)
for p in "$TMP/cp1258" "$TMP/c.zip" "/vsizip/$TMP/c.zip/c.shp"; do
    w=$(new_ws cp1258)
    run "$CCN" import "$w" "$p" --as parcels
    expect_rc 0
    expect_eq "$(sql "$w" "SELECT commune || '/' || sheet || '/' || parcel_no || ' ' || owner FROM parcels")" \
        "15916/1/1 Tran" "($p)"
done
# TCVN3 text under that .cpg is refused (cli_import_messy), the field named
# as GDAL decoded it: 'TENCH' for TENCHU, a field the file does not have.
cp "$TMP/tcvn/tc."{shp,shx,dbf,prj} "$TMP/cp1258/"
echo 1258 >"$TMP/cp1258/tc.cpg"
w=$(new_ws cp1258tcvn)
run "$CCN" import "$w" "$TMP/cp1258/tc.shp" --as parcels
expect_rc 2
expect_err "tc.shp: feature 0, field 'TENCHU': read as its .cpg says (1258) the text reads 'NguyÔn §×nh H­ng', not Vietnamese (3 of 3 words sampled); it reads as TCVN3: 'Nguyễn Đình Hưng'. Pass --encoding TCVN3 (or auto)"
finish
