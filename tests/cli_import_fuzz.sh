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

finish
