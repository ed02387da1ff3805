#!/usr/bin/env bash
# ccn export: RFC 7946 GeoJSON checked against cs2cs, an npm validator, our
# own ring-orientation judge (tests/node/check.cjs) and a GDAL round trip;
# GeoPackage and shapefile; bad input.
source "$(dirname "$0")/lib.sh"
source "$TESTS_DIR/export_fixture.sh"
WS=$(export_ws)
NODE_DIR=$TESTS_DIR/node

# ---- the validator from npm (installed here on first use)
have_node=0
if command -v npm >/dev/null && command -v node >/dev/null; then
    if [ ! -d "$NODE_DIR/node_modules/@placemarkio/check-geojson" ]; then
        (cd "$NODE_DIR" && npm ci --no-audit --no-fund --silent) >/dev/null 2>&1 ||
            (cd "$NODE_DIR" && npm install --no-audit --no-fund --silent) >/dev/null 2>&1
    fi
    [ -d "$NODE_DIR/node_modules/@placemarkio/check-geojson" ] && have_node=1 ||
        bad "npm is present but @placemarkio/check-geojson did not install"
else
    echo "SKIP: npm/node absent: the GeoJSON validator and ring checks are not run"
fi
judge() { node "$NODE_DIR/check.cjs" "$@"; }

# ---- parcels: coordinates, winding, validator, round trip
run "$CCN" export "$WS" "$TMP/parcels.geojson" --layer parcels
expect_rc 0
expect_out "6 features"
# Three rings were wound the other way in the fixture: parcel 102's
# clockwise exterior and counter-clockwise hole, 103's second part.
expect_out "3 rings rewound"
[ -f "$TMP/parcels.geojson" ] && ok || bad "no parcels.geojson"
ls -A "$TMP" | grep -q 'ccn-tmp' && bad "a temporary file was left behind" || ok

# A fixture vertex: parcel 101's first corner (560700, 2189000) against cs2cs.
read -r lat lon _ < <(echo "560700 2189000" | cs2cs -f %.9f EPSG:5897 EPSG:4326)
if [ "$have_node" = 1 ]; then
    run judge "$TMP/parcels.geojson" --coord 1
    expect_rc 0
    expect_out "0 wound wrong"
    expect_out "0 problems"
    read -r glon glat <<<"$(head -1 <<<"$out")"
    expect_near "$glon" "$lon" 0.00000006 "longitude vs cs2cs"
    expect_near "$glat" "$lat" 0.00000006 "latitude vs cs2cs"
fi
# The same vertex straight from the text: 7 decimals, lon first.
printf -v want '[%.7f,%.7f]' "$lon" "$lat"
grep -qF "$want" "$TMP/parcels.geojson" && ok || bad "vertex $want not in the output"
grep -q '"crs"' "$TMP/parcels.geojson" && bad "RFC 7946 output has a crs member" || ok
grep -qF '"owner":"Hoàng Văn Quý \"Út\" \\ Đội 3"' "$TMP/parcels.geojson" && ok ||
    bad "Vietnamese text with a quote and a backslash not kept"

# A judge that can fail: a clockwise exterior ring must be caught.
if [ "$have_node" = 1 ]; then
    printf '%s' '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[105,19],[105,19.1],[105.1,19.1],[105,19]]]}}],"bbox":[105,19,105.1,19.1]}' >"$TMP/cw.geojson"
    run judge "$TMP/cw.geojson"
    expect_rc 1
    expect_out "1 wound wrong"
fi

# Round trip through GDAL: every feature and property, and the geometry back
# in VN-2000 within 2 cm of the stored one (7 decimals of a degree ≈ 1 cm).
run ogrinfo -ro -so -al "$TMP/parcels.geojson"
expect_rc 0
expect_out "Feature Count: 6"
expect_out "Geometry: Multi Polygon"
if [ "$BACKEND" = pg ]; then # the round trip loaded beside the workspace's tables
    ogr2ogr -f PostgreSQL "$(ogr_ws "$WS")" "$TMP/parcels.geojson" -preserve_fid -nln rt \
        -t_srs EPSG:5897 -lco SCHEMA="$(ws_schema "$WS")" -lco FID=ogc_fid \
        -lco GEOMETRY_NAME=geometry -lco SPATIAL_INDEX=NONE 2>/dev/null
    rt=rt rtgeom=r.geometry
else
    ogr2ogr -f SQLite -preserve_fid -nln rt -t_srs EPSG:5897 "$TMP/rt.sqlite" "$TMP/parcels.geojson" 2>/dev/null
    rt=rt.rt rtgeom="GeomFromWKB(r.GEOMETRY)"
fi
run sql "$WS" "$([ "$BACKEND" = pg ] || echo "ATTACH '$TMP/rt.sqlite' AS rt;")
  SELECT count(*), sum(CASE WHEN r.commune IS NOT DISTINCT FROM p.commune
         AND r.sheet IS NOT DISTINCT FROM p.sheet AND r.parcel_no IS NOT DISTINCT FROM p.parcel_no
         AND r.landuse IS NOT DISTINCT FROM p.landuse AND r.owner IS NOT DISTINCT FROM p.owner
         AND r.area_legal IS NOT DISTINCT FROM p.area_legal THEN 1 ELSE 0 END)
  FROM parcels p JOIN $rt r ON r.ogc_fid = p.fid;"
expect_eq "$out" "6|6" "(features joined | with every property equal)"
run sql "$WS" "$([ "$BACKEND" = pg ] || echo "ATTACH '$TMP/rt.sqlite' AS rt;")
  SELECT max(HausdorffDistance(GeomFromWKB(AsBinary(p.geom)), $rtgeom))
  FROM parcels p JOIN $rt r ON r.ogc_fid = p.fid;"
expect_near "$out" 0 0.02 "(metres between stored and round-tripped geometry)"

# ---- lots with their lease status on a date
run "$CCN" export "$WS" "$TMP/lots.geojson" --layer lots --cluster HT --as-of 2024-06-30
expect_rc 0
expect_out "9 features"
ogr2ogr -f SQLite -preserve_fid -nln lots "$TMP/lots.sqlite" "$TMP/lots.geojson" 2>/dev/null
q() { sqlite3 "$TMP/lots.sqlite" "$1"; }
expect_eq "$(q "SELECT status, leased, tenant, lease_start, lease_end FROM lots WHERE lot_no = 'CN-02'")" \
    "leased|1|Công ty CP Gỗ Triệu Sơn|2023-01-01|2025-12-31"
expect_eq "$(q "SELECT status, leased, tenant IS NULL FROM lots WHERE lot_no = 'CN-05'")" "vacant|0|1" \
    "(CN-05's lease starts 2024-07-01)"
expect_eq "$(q "SELECT status, leased FROM lots WHERE lot_no = 'CN-03'")" "vacant|0" "(ended 2023-12-31)"
expect_eq "$(q "SELECT status FROM lots WHERE lot_no = 'DV-01'")" "other"
expect_eq "$(q "SELECT area_m2, as_of FROM lots WHERE lot_no = 'CN-01'")" "84000.0|2024-06-30"
expect_eq "$(q "SELECT count(*) FROM lots WHERE cluster <> 'HT'")" "0"
run "$CCN" export "$WS" - --layer lots --cluster HT --as-of 2024-07-01 -q
grep -F '"CN-05"' <<<"$out" | grep -qF '"status":"leased"' && ok || bad "CN-05 not leased on 2024-07-01"

# ---- clusters carry areas, occupancy and target
run "$CCN" export "$WS" "$TMP/clusters.geojson" --layer clusters --as-of 2024-07-01
expect_rc 0
expect_out "6 features"
ogr2ogr -f SQLite -preserve_fid -nln c "$TMP/c.sqlite" "$TMP/clusters.geojson" 2>/dev/null
cq() { sqlite3 "$TMP/c.sqlite" "$1"; }
# HT on 2024-07-01: 252,000 / 504,000 m² = 50 %, target 80 % not met; 800 × 875 m = 700,000 m².
expect_eq "$(cq "SELECT area_m2, leasable_m2, leased_m2, occupancy_pct, target_pct, target_met FROM c WHERE code = 'HT'")" \
    "700000.0|504000.0|252000.0|50.0|80.0|0"
expect_eq "$(cq "SELECT occupancy_pct, target_met FROM c WHERE code = 'NUA'")" "0.0|0"
expect_eq "$(cq "SELECT occupancy_pct IS NULL, name FROM c WHERE code = 'DL3'")" "1|Dân Lực – Dân Lý – Dân Quyền" \
    "(no lots: occupancy empty, not 0)"
[ "$have_node" = 1 ] && { run judge "$TMP/clusters.geojson"; expect_out "0 problems"; }

# ---- findings carry code, severity and message; --cluster keeps HT's
sql_script "$WS" <<<"INSERT INTO findings (severity, code, layer, fid, area_m2, x, y, message, geom) VALUES
 ('error', 'LOT_OVERLAP', 'lots', 1, 12.5, 561100, 2189100, 'Lô CN-01 chồng lấn CN-02', MakePoint(561100, 2189100, 5897)),
 ('warning', 'SLIVER', 'parcels', 4, 0.2, 565000, 2183500, 'Thửa mảnh', MakePoint(565000, 2183500, 5897));
INSERT INTO findings (severity, code, layer, fid, other_layer, other_fid, area_m2, x, y, message, geom)
 SELECT 'error', 'LOT_OUTSIDE_CLUSTER', 'lots', min(l.fid), 'clusters', min(c.fid), 50, 560900, 2189100,
        'lot HT/CN-01 sticks out', MakePoint(560900, 2189100, 5897)
   FROM lots l, clusters c WHERE l.cluster = 'HT' AND c.code = 'HT';"
# The finding of HT's lot that sticks out lies west of HT (x < 561000), yet it
# is HT's: kept (the old build kept only findings whose point is in HT).
run "$CCN" export "$WS" "$TMP/f.geojson" --layer findings --cluster HT
expect_rc 0
expect_out "2 features"
grep -qF '"code":"LOT_OUTSIDE_CLUSTER"' "$TMP/f.geojson" && ok || bad "HT's lot outside HT not exported"
grep -qF '"code":"SLIVER"' "$TMP/f.geojson" && bad "a finding elsewhere exported with HT's" || ok
grep -qF '"severity":"error","code":"LOT_OVERLAP"' "$TMP/f.geojson" && ok || bad "finding properties"
grep -qF '"message":"Lô CN-01 chồng lấn CN-02"' "$TMP/f.geojson" && ok || bad "finding message"
[ "$have_node" = 1 ] && { run judge "$TMP/f.geojson"; expect_out "0 problems"; }

# ---- --cluster on parcels: interiors meeting HT (14/55 and 14/56), not 102,
# which only touches HT's edge at x = 561000
run "$CCN" export "$WS" - --layer parcels --cluster HT -q
expect_rc 0
expect_eq "$(grep -c '"type":"Feature"' <<<"$out")" 2
grep -q '"parcel_no":55' <<<"$out" && grep -q '"parcel_no":56' <<<"$out" && ok || bad "HT's parcels"
# Meeting HT as ccn parcels counts it (design §6): 15/1 reaches 1 mm into HT
# along 20 m (0.020 m², taken), 15/2 0.01 mm (0.0002 m², not taken); the old
# build exported both (interiors meet, by any sliver).
WS3=$(export_ws edge)
printf '%s\n' '{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": [' \
    '{"type": "Feature", "properties": {"MaXa": "15682", "SoTo": 15, "SoThua": 1}, "geometry": {"type": "Polygon", "coordinates": [[[560980, 2189100], [561000.001, 2189100], [561000.001, 2189120], [560980, 2189120], [560980, 2189100]]]}},' \
    '{"type": "Feature", "properties": {"MaXa": "15682", "SoTo": 15, "SoThua": 2}, "geometry": {"type": "Polygon", "coordinates": [[[560980, 2189200], [561000.00001, 2189200], [561000.00001, 2189220], [560980, 2189220], [560980, 2189200]]]}}]}' \
    >"$TMP/edge.geojson"
"$CCN" import "$WS3" "$TMP/edge.geojson" --as parcels -q >/dev/null || bad "import of edge.geojson"
run "$CCN" parcels "$WS3" --cluster HT --format csv
expect_eq "$(cut -d, -f4,5,9 <<<"$out" | grep '^15,')" "15,1,0.020"
run "$CCN" export "$WS3" - --layer parcels --cluster HT -q
expect_rc 0
expect_eq "$(grep -o '"sheet":[0-9]*,"parcel_no":[0-9]*' <<<"$out" | tr '\n' ' ')" \
    '"sheet":14,"parcel_no":55 "sheet":14,"parcel_no":56 "sheet":15,"parcel_no":1 '

# ---- many ranges of fids, both workers: the same bytes as one worker
WS2=$(export_ws spread)
sql_script "$WS2" <<<"INSERT INTO parcels (fid, commune, sheet, parcel_no, landuse, owner, area_legal, geom)
  SELECT k.base + p.fid, p.commune, p.sheet + k.base, p.parcel_no, p.landuse, p.owner, p.area_legal, p.geom
  FROM parcels p, (SELECT 3000 AS base UNION ALL SELECT 7000 UNION ALL SELECT 20000) k;"
CCN_THREADS=2 "$CCN" export "$WS2" "$TMP/two.geojson" --layer parcels -q >/dev/null
CCN_THREADS=1 "$CCN" export "$WS2" "$TMP/one.geojson" --layer parcels -q >/dev/null
cmp -s "$TMP/one.geojson" "$TMP/two.geojson" && ok || bad "two workers wrote other bytes than one"
expect_eq "$(grep -c '"type":"Feature"' "$TMP/two.geojson")" 24 "(6 parcels + 3 copies)"
expect_eq "$(grep -o '"id":[0-9]*' "$TMP/two.geojson" | cut -d: -f2 | sort -n -c && echo sorted)" sorted
[ "$have_node" = 1 ] && { run judge "$TMP/two.geojson"; expect_out "0 problems"; }

# ---- plan and communes
run "$CCN" export "$WS" "$TMP/plan.geojson" --layer plan
expect_out "4 features"
grep -qF '"landuse":"LUC","landuse_name":"Đất chuyên trồng lúa nước"' "$TMP/plan.geojson" && ok ||
    bad "plan zone name"
run "$CCN" export "$WS" - --layer communes -q
grep -qF '"name":"Thị trấn Nưa"' <<<"$out" && ok || bad "commune name"

# ---- GeoPackage and shapefile, in the workspace CRS
run "$CCN" export "$WS" "$TMP/lots.gpkg" --layer lots --as-of 2024-06-30 --format gpkg
expect_rc 0
run ogrinfo -ro -so "$TMP/lots.gpkg" lots
expect_out "Feature Count: 11"
expect_out 'ID["EPSG",5897]'
run ogrinfo -ro -q "$TMP/lots.gpkg" -sql "SELECT tenant FROM lots WHERE lot_no = 'CN-01' AND cluster = 'HT'"
expect_out "Công ty TNHH Dệt may Hợp Thắng"
# Never over an existing file silently: a GeoPackage's layer of that name is
# replaced and said, another layer is added beside it and said; a new file says
# nothing of the kind.
run "$CCN" export "$WS" "$TMP/lots.gpkg" --layer lots --as-of 2024-06-30
expect_rc 0
expect_out "11 features, as of 2024-06-30; the GeoPackage's layer 'lots' is replaced, its other layers kept"
run env LANGUAGE=vi "$CCN" export "$WS" "$TMP/lots.gpkg" --layer clusters
expect_rc 0
expect_out "; đã thêm lớp 'clusters' vào GeoPackage, các lớp khác giữ nguyên"
run ogrinfo -ro -q "$TMP/lots.gpkg"
expect_out "lots (Multi Polygon)"
expect_out "clusters (Multi Polygon)"
run "$CCN" export "$WS" "$TMP/first.geojson" --layer clusters
grep -qF "replaced" <<<"$out" && bad "a new file said replaced" || ok
run "$CCN" export "$WS" "$TMP/first.geojson" --layer clusters
expect_out "; the file that was there is replaced"
run "$CCN" export "$WS" "$TMP/shp/parcels.shp" --layer parcels
expect_rc 2
expect_err "the folder '$TMP/shp' does not exist"
mkdir -p "$TMP/shp"
run "$CCN" export "$WS" "$TMP/shp/parcels.shp" --layer parcels
expect_rc 0
for ext in shp shx dbf prj cpg; do [ -f "$TMP/shp/parcels.$ext" ] && ok || bad "no parcels.$ext"; done
run "$CCN" export "$WS" "$TMP/shp/parcels.shp" --layer parcels
expect_rc 0
expect_out "; the file that was there is replaced"
expect_eq "$(cat "$TMP/shp/parcels.cpg")" "UTF-8"
ls "$TMP/shp" | grep -q tmp && bad "temporary shapefile parts left" || ok
run "$CCN" export "$WS" "$TMP/shp/lots.shp" --layer lots
expect_rc 0
expect_err "field 'lease_start' is named 'lease_star' in the shapefile"
run ogrinfo -ro -q "$TMP/shp/parcels.shp" -sql "SELECT owner FROM parcels WHERE parcel_no = 102"
expect_out "Nguyễn Thị Thủy"
# The shapefile in VN-2000 keeps the stored geometry exactly: areas agree.
run ogrinfo -ro -q "$TMP/shp/parcels.shp" -dialect SQLite -sql "SELECT sum(ST_Area(geometry)) FROM parcels"
stored=$(sql "$WS" "SELECT sum(ST_Area(geom)) FROM parcels")
expect_near "$(grep -o '= [0-9.]*' <<<"$out" | tr -d '= ')" "$stored" 0.01 "(shapefile vs stored area)"

# ---- bad input: exit 2, a clear message, no file left
run "$CCN" export "$WS" "$TMP/x.geojson" --layer roads
expect_rc 2
expect_err "unknown layer 'roads'"
run "$CCN" export "$WS" "$TMP/x.geojson" --layer lots --cluster XX
expect_rc 2
expect_err "unknown cluster 'XX'"
expect_err "HT"
run "$CCN" export "$WS" "$TMP/x.txt" --layer lots
expect_rc 2
expect_err "must end in .geojson (or .json), .gpkg or .shp"
run "$CCN" export "$WS" "$TMP/x.png" --layer lots
expect_rc 2
expect_err "ccn map"
run "$CCN" export "$WS" "$TMP/x.geojson" --layer lots --format gpkg
expect_rc 2
expect_err "does not match"
# .json is GeoJSON, as GDAL's tools take it (the build before: "must end in
# .geojson, .gpkg or .shp", then only with --format geojson): the same bytes
# as the .geojson, with or without --format.
run "$CCN" export "$WS" "$TMP/lots_json.geojson" --layer lots --as-of 2024-06-30 -q
expect_rc 0
run "$CCN" export "$WS" "$TMP/lots.json" --layer lots --as-of 2024-06-30 --format geojson -q
expect_rc 0
cmp -s "$TMP/lots.json" "$TMP/lots_json.geojson" && ok || bad "lots.json differs from lots_json.geojson"
run "$CCN" export "$WS" "$TMP/lots2.json" --layer lots --as-of 2024-06-30 -q
expect_rc 0
cmp -s "$TMP/lots2.json" "$TMP/lots_json.geojson" && ok || bad "lots2.json differs from lots_json.geojson"
run "$CCN" export "$WS" "$TMP/lots3.json" --layer lots --format gpkg
expect_rc 2
expect_err "--format gpkg does not match the extension of"
run "$CCN" export "$WS" "$TMP/lots.txt" --layer lots
expect_rc 2
expect_err "the output must end in .geojson (or .json), .gpkg or .shp, or be '-' for GeoJSON on stdout"
run "$CCN" export "$WS" - --layer lots --format shp
expect_rc 2
run "$CCN" export "$WS" "$TMP/none/x.geojson" --layer lots
expect_rc 2
expect_err "does not exist"
run "$CCN" export "$WS" /sys/ccn-test.geojson --layer lots
expect_rc 2
expect_err "cannot write '/sys/ccn-test.geojson'"
run "$CCN" export "$WS" /sys/ccn-test.gpkg --layer lots
expect_rc 2
expect_err "cannot write '/sys/ccn-test.gpkg'"
ls /sys | grep -q ccn-test && bad "a file was left in /sys" || ok
run "$CCN" export "$WS" "$TMP/x.geojson" --layer lots --as-of 2024-02-30
expect_rc 2
expect_err "not a date"
run "$CCN" export "$WS" "$TMP/x.geojson"
expect_rc 2
expect_err "--layer is required"
run "$CCN" export "$TMP/missing.sqlite" "$TMP/x.geojson" --layer lots
expect_rc 2
[ -e "$TMP/x.geojson" ] && bad "a failed export left x.geojson" || ok
ls -A "$TMP" | grep -q 'ccn-tmp' && bad "a failed export left a temporary file" || ok
# A cluster without a boundary cannot select parcels.
run "$CCN" export "$WS" "$TMP/x.geojson" --layer parcels --cluster DL3
expect_rc 2
expect_err "DL3 has no boundary"
run "$CCN" export --help
expect_rc 0
expect_out "Usage: ccn export"
# A coordinate another tool stored as NaN cannot be read: the parcel goes with a
# NULL geometry and its attributes, named in a warning (before, the shapefile
# refused it and the export failed), the same in the three formats; nothing
# said names a temporary file.
if [ "$BACKEND" = sqlite ]; then
    ws=$(new_ws nan)
    sql "$ws" "INSERT INTO parcels (commune, sheet, parcel_no, landuse, geom) VALUES ('15682', 1, 1,
        'LUC', GeomFromWKB(X'0106000000010000000103000000010000000500000000000000781721410000000076B54041000000000000F87F0000000076B54041000000008C172141000000007BB540410000000078172141000000007BB5404100000000781721410000000076B54041', 5897))" >/dev/null
    for ext in shp gpkg geojson; do
        run "$CCN" export "$ws" "$TMP/nan.$ext" --layer parcels
        expect_rc 0
        expect_out "1 features"
        expect_out ", 1 written with a null geometry"
        expect_err "ccn: export: warning: parcels fid 1: the stored geometry cannot be read (a coordinate that is not a finite number): written with a null geometry"
        [[ "$err" != *ccn-tmp* ]] && ok || bad "a message names the temporary file: $err"
        run ogrinfo -ro -al -q "$TMP/nan.$ext"
        expect_rc 0
        expect_out "parcel_no (Integer"
        grep -q "POLYGON" <<<"$out" && bad "the NaN polygon was written ($ext)" || ok
    done
fi
finish
