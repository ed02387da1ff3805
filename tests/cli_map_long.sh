#!/usr/bin/env bash
# ccn map with labels from data far longer than any page (a lot number, a
# tenant's lease, a plan code, a commune's name of 100,000 letters): each
# label was shaped by pango again at every size and position tried, and a
# map took hours (found by a helper's hunt, session 20). A label is now cut
# at 80 letters, '…' marking the cut.
source "$(dirname "$0")/lib.sh"
ws=$(new_ws)
"$CCN" import "$ws" "$ROOT/layers/clusters.gpkg" --as clusters -q >/dev/null || exit 3
long=$(printf 'Ứ%.0s' $(seq 100000))
fc() { # fc FILE PROPS: one 25 m square in cluster HT, EPSG:5897
    printf '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}},"features":[{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[[[561450,2188900],[561475,2188900],[561475,2188925],[561450,2188925],[561450,2188900]]]}}]}\n' \
        "$2" >"$TMP/$1"
}
fc lots.geojson "{\"cluster\":\"HT\",\"lot_no\":\"$long\",\"use\":\"industrial\"}"
fc plan.geojson "{\"landuse\":\"$long\"}"
fc communes.geojson "{\"code\":\"99999\",\"name\":\"$long\"}"
for role in lots plan communes; do
    run "$CCN" import "$ws" "$TMP/$role.geojson" --as $role -q
    expect_rc 0
done

for with in plan parcels; do
    for ext in png svg pdf; do
        run timeout 60 "$CCN" map "$ws" --cluster HT -o "$TMP/ht_$with.$ext" --with $with --dpi 72 -q
        expect_rc 0
    done
done
# the cut label as drawn: 80 letters and the mark
run timeout 60 "$CCN" map "$ws" --cluster HT -o "$TMP/ht.svg" -q
expect_rc 0
expect_eq "$(grep -c ">$(printf 'Ứ%.0s' $(seq 80))…<" "$TMP/ht.svg")" 1 "(the lot number cut at 80 letters)"
run timeout 60 "$CCN" map "$ws" --district -o "$TMP/d.svg" -q
expect_rc 0
# no room on the map: listed beside it, wrapped over lines
expect_eq "$(grep -o '>[^<]*Ứ[^<]*<' "$TMP/d.svg" | tr -d '<>\n')" "$(printf 'Ứ%.0s' $(seq 80))…" \
    "(the commune's name cut at 80 letters)"
finish
