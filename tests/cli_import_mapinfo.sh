#!/usr/bin/env bash
# MapInfo tables as Vietnamese offices send them (a hunt, session 19): the
# .tab's "!charset" line says how the .dat's text is encoded, and MapInfo
# under a Western Windows writes WindowsLatin1 over TCVN3 text typed in .VnTime
# fonts. GDAL decodes by that line and has no open option for the bytes.
# Fixtures made here with ogr2ogr, iconv and sed.
source "$(dirname "$0")/lib.sh"
skip_on_pg "the file's text encoding (the back end plays no part)"
export TMPDIR=$TMP/tmpdir # ccn's neutral copies of a .tab go here, and must go again
mkdir -p "$TMPDIR"
# tab NAME CHARSET OWNER_BYTES: a one-parcel MapInfo table whose .tab says !charset CHARSET
tab() {
    printf '%s\n' 'WKT,MAXA,SHBANDO,SHTHUA,TENCHU,LOAIDAT' \
        "\"POLYGON((564800 2183400,564900 2183400,564900 2183480,564800 2183400))\",15916,1,1,$3,LUC" \
        >"$TMP/$1.csv"
    ogr2ogr -f "MapInfo File" "$TMP/$1.tab" "$TMP/$1.csv" -oo GEOM_POSSIBLE_NAMES=WKT \
        -oo KEEP_GEOM_COLUMNS=NO -nlt POLYGON 2>/dev/null
    sed -i "s/^!charset .*/!charset $2/" "$TMP/$1.tab"
}
owner() { sql "$1" "SELECT owner || ' ' || landuse FROM parcels"; }
tcvn=$(printf 'Nguyễn Đình Hưng' | iconv -t TCVN5712-1)
cp1258=$(printf 'Nguyễn Đình Hưng' | iconv -t CP1258)

# --- WindowsLatin1 over TCVN3 ------------------------------------------------------------
# Stored as GDAL decoded it, "NguyÔn §×nh H­ng", exit 0, nothing said; and
# --encoding TCVN3 was refused ("already UTF-8 text"): no way to read it
# right but to edit the .tab. Refused now as a .cpg of 1252 over TCVN3 is
# (cli_import_messy), and --encoding TCVN3 reads the bytes.
tab latin1 WindowsLatin1 "$tcvn"
ws=$(new_ws latin1)
run "$CCN" import "$ws" "$TMP/latin1.tab" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "latin1.tab: feature 1, field 'TENCHU': read as its .tab says (!charset WINDOWSLATIN1) the text reads 'NguyÔn §×nh H­ng', not Vietnamese (3 of 3 words sampled); it reads as TCVN3: 'Nguyễn Đình Hưng'. Pass --encoding TCVN3 (or auto)"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/latin1.tab" --as parcels --s-srs EPSG:5897
expect_err "đọc theo tệp .tab (!charset WINDOWSLATIN1)"
expect_eq "$(owner "$ws")" ""
for enc in TCVN3 auto; do
    w=$(new_ws "latin1_$enc")
    run "$CCN" import "$w" "$TMP/latin1.tab" --as parcels --s-srs EPSG:5897 --encoding "$enc"
    expect_rc 0
    expect_eq "$(owner "$w")" "Nguyễn Đình Hưng LUC" "(--encoding $enc)"
done
# The same table as MIF/MID (MapInfo's interchange format; the .mif says
# 'Charset "WindowsLatin1"'): stored garbled too, and mended the same way.
ogr2ogr -f "MapInfo File" "$TMP/latin1.mif" "$TMP/latin1.csv" -oo GEOM_POSSIBLE_NAMES=WKT \
    -oo KEEP_GEOM_COLUMNS=NO -nlt POLYGON -dsco FORMAT=MIF 2>/dev/null
sed -i 's/^Charset .*/Charset "WindowsLatin1"/' "$TMP/latin1.mif"
ws=$(new_ws mif)
run "$CCN" import "$ws" "$TMP/latin1.mif" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "latin1.mif: feature 1, field 'TENCHU': read as its .mif says (Charset WINDOWSLATIN1) the text reads 'NguyÔn §×nh H­ng', not Vietnamese (3 of 3 words sampled); it reads as TCVN3: 'Nguyễn Đình Hưng'. Pass --encoding TCVN3 (or auto)"
run "$CCN" import "$ws" "$TMP/latin1.mif" --as parcels --s-srs EPSG:5897 --encoding TCVN3
expect_rc 0
expect_eq "$(owner "$ws")" "Nguyễn Đình Hưng LUC"
# Western text under WindowsLatin1 is what it says it is.
tab western WindowsLatin1 "$(printf 'Müller' | iconv -t CP1252)"
ws=$(new_ws western)
run "$CCN" import "$ws" "$TMP/western.tab" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_eq "$(owner "$ws")" "Müller LUC"

# --- WindowsVietnamese: CP1258, which GDAL cannot decode ---------------------------------
# GDAL handed over the bytes ("Cannot find iconv encoding corresponding to
# MapInfo WindowsVietnamese charset") and the import refused them as not
# UTF-8; ccn decodes CP1258 itself, as for a .cpg of 1258, every letter kept.
tab vn WindowsVietnamese "$cp1258"
ws=$(new_ws vn)
run "$CCN" import "$ws" "$TMP/vn.tab" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_eq "$(owner "$ws")" "Nguyễn Đình Hưng LUC"

# --- Neutral: nothing said, told from the text as a .dbf without .cpg -------------------
tab neutral Neutral "$tcvn"
ws=$(new_ws neutral)
run "$CCN" import "$ws" "$TMP/neutral.tab" --as parcels --s-srs EPSG:5897
expect_rc 0
expect_eq "$(owner "$ws")" "Nguyễn Đình Hưng LUC"

# --- Windows-1258 text under a Western code page ------------------------------------------
# Judged by CP1258 (which decodes TCVN3's bytes into 1252's symbols) it read
# as Vietnamese, so it was taken as the .cpg or .tab says: stored as 1252
# decodes it, "NguyêÞn ÐiÌnh Hýng", exit 0. Where the two pages give other
# letters it is refused, with CP1258's reading; --encoding CP1258 reads it.
tab latin1_1258 WindowsLatin1 "$cp1258"
ws=$(new_ws latin1_1258)
run "$CCN" import "$ws" "$TMP/latin1_1258.tab" --as parcels --s-srs EPSG:5897
expect_rc 2
expect_err "latin1_1258.tab: feature 1, field 'TENCHU': read as its .tab says (!charset WINDOWSLATIN1) the text reads 'NguyêÞn ÐiÌnh Hýng', not Vietnamese (2 of 3 words sampled); it reads as CP1258: 'Nguyễn Đình Hưng'. Pass --encoding CP1258 (or auto)"
run "$CCN" import "$ws" "$TMP/latin1_1258.tab" --as parcels --s-srs EPSG:5897 --encoding CP1258
expect_rc 0
expect_eq "$(owner "$ws")" "Nguyễn Đình Hưng LUC"
# the same in a shapefile whose .cpg says 1252
mkdir -p "$TMP/shp"
ogr2ogr "$TMP/shp/p.shp" "$TMP/latin1_1258.csv" -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO \
    -a_srs EPSG:5897 -nlt POLYGON -lco ENCODING= 2>/dev/null
echo 1252 >"$TMP/shp/p.cpg"
ws=$(new_ws shp1252)
run "$CCN" import "$ws" "$TMP/shp/p.shp" --as parcels
expect_rc 2
expect_err "p.shp: feature 0, field 'TENCHU': read as its .cpg says (1252) the text reads 'NguyêÞn ÐiÌnh Hýng', not Vietnamese (2 of 3 words sampled); it reads as CP1258: 'Nguyễn Đình Hưng'. Pass --encoding CP1258 (or auto)"
expect_eq "$(owner "$ws")" ""
expect_eq "$(ls -A "$TMPDIR")" "" "(the neutral copies are gone)"
finish
