#!/usr/bin/env bash
# ccn import and the commands after it on adversarial input (a hunt for
# crashes, hangs and silent loss under AddressSanitizer, session 20). Fixtures
# are made here, small, as GeoJSON text.
source "$(dirname "$0")/lib.sh"
ws=$(new_ws)
# gj NAME PROPS GEOMETRY: one feature in EPSG:5897
gj() {
    printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":[{"type":"Feature","properties":%s,"geometry":%s}]}\n' \
        "$2" "$3" >"$TMP/$1.geojson"
}
square='{"type":"Polygon","coordinates":[[[561200,2188800],[561240,2188800],[561240,2188840],[561200,2188840],[561200,2188800]]]}'
valid_utf8() { iconv -f UTF-8 -t UTF-8 <<<"$1" >/dev/null 2>&1 && ok || bad "not UTF-8: ${1:0:200}"; }

# --- A value of 200 kB in a refusal -----------------------------------------
# The message of a refused feature quoting it was cut at its 400th byte,
# within a letter (E1 BB, then '; nothing imported'): the error was not UTF-8,
# and under LANGUAGE=vi it stayed English, its closing quote lost. Now its
# middle goes, marked '…'.
long=$(printf 'Ứ%.0s' $(seq 70000))
gj long "{\"cluster\":\"$long\",\"lot_no\":\"X-1\",\"use\":\"industrial\"}" "$square"
run "$CCN" import "$ws" "$TMP/long.geojson" --as lots
expect_rc 2
valid_utf8 "$err"
expect_err "feature 0: unknown cluster 'ỨỨ"
expect_err "ỨỨ…ỨỨ"
expect_err "ỨỨ'; nothing imported"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/long.geojson" --as lots
expect_rc 2
valid_utf8 "$err"
expect_err "đối tượng 0: không có cụm 'ỨỨ"
gj longno "{\"MAXA\":\"15916\",\"SHBANDO\":1,\"SHTHUA\":\"$long\",\"LOAIDAT\":\"LUC\"}" "$square"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/longno.geojson" --as parcels
expect_rc 2
valid_utf8 "$err"
expect_err "thửa 'ỨỨ"
expect_err "ỨỨ…ỨỨ"
expect_err "ỨỨ' không phải số nguyên"

finish
