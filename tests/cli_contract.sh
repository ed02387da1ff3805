#!/usr/bin/env bash
# cli_contract — the command-line contract (docs/design.md §5–§8) as a script
# that knows nothing of the sample would use it: its own small layers, made
# here with GDAL's Python bindings as a GeoPackage and a shapefile in
# EPSG:5897 and as GeoJSON in WGS 84, with and without --s-srs; every report
# read with Python's csv and json modules, the columns in §8's order, the
# numbers' decimals, empty values, exit codes and both date forms.
#
# The figures are worked out by hand: NUA is a 450 m square (202,500 m²,
# 20.25 ha against 20 planned: +1.2500 %), HT 700 m × 1000 m (70 ha, 0 %);
# the plan's SKN zone is NUA's western 300 m (135,000 m², 66.6667 %), LUC the
# rest (67,500 m²); two parcels overlap NUA by 50 × 50 m and 50 × 100 m
# (2,500 m² of 10,000 and 5,000 of 20,000: 25 % each); NUA's industrial lots
# are CN-01 (100 × 100) and CN-02 (100 × 200): 30,000 m²; HT has a green lot
# only, so no occupancy. Ellipsoidal areas: pyproj's Geod(ellps='WGS84')
# polygon_area_perimeter of the corners transformed by GDAL to EPSG:4326
# (202,520.779 m² and 700,082.479 m²).
source "$(dirname "$0")/lib.sh"
export LC_ALL=C.UTF-8
unset LANGUAGE LC_MESSAGES LANG
PY=/usr/bin/python3

"$PY" - "$TMP" <<'EOF' || exit 3
import os, sys
from osgeo import ogr, osr
ogr.UseExceptions(); osr.UseExceptions()
out = sys.argv[1]
vn = osr.SpatialReference(); vn.ImportFromEPSG(5897); vn.SetAxisMappingStrategy(0)
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(0)
E, N = 565000.0, 2183400.0
def rect(x, y, w, h):
    return 'POLYGON((%r %r,%r %r,%r %r,%r %r,%r %r))' % (x, y, x + w, y, x + w, y + h, x, y + h, x, y)
S = ogr.OFTString; I = ogr.OFTInteger; R = ogr.OFTReal
layers = {
    'clusters': ([('code', S)], [(('NUA',), rect(E, N, 450, 450)),
                                 (('HT',), rect(E - 5000, N + 6000, 700, 1000))]),
    'lots': ([('cluster', S), ('lot_no', S), ('use', S)], [
        (('NUA', 'CN-01', 'industrial'), rect(E, N, 100, 100)),
        (('NUA', 'CN-02', 'industrial'), rect(E + 100, N, 100, 200)),
        (('NUA', 'CX-01', 'green'), rect(E + 200, N, 50, 100)),
        (('NUA', 'DV-01', 'service'), rect(E + 250, N, 50, 100)),
        (('HT', 'CX-01', 'green'), rect(E - 5000, N + 6000, 100, 100))]),
    'parcels': ([('MAXA', S), ('SHBANDO', I), ('SHTHUA', I), ('LOAIDAT', S), ('TENCHU', S),
                 ('DIENTICH', R)], [
        (('15700', 1, 1, 'LUC', 'Nguyễn Văn A', 10000.0), rect(E - 50, N - 50, 100, 100)),
        (('15700', 1, 2, 'HNK', 'Lê Thị B, "Bà Ba"', 20000.0), rect(E + 400, N + 300, 200, 100)),
        (('15700', 2, 1, 'ONT', 'Trần C', 1000.0), rect(E + 1000, N, 10, 100))]),
    'plan': ([('landuse', S)], [(('SKN',), rect(E, N, 300, 450)),
                                (('LUC',), rect(E + 300, N, 150, 450))]),
}
to_wgs = osr.CoordinateTransformation(vn, wgs)
for kind, driver, ext, srs in (('vn', 'GPKG', 'gpkg', vn), ('shp', 'ESRI Shapefile', 'shp', vn),
                               ('wgs', 'GeoJSON', 'geojson', wgs), ('nocrs', 'GPKG', 'gpkg', None)):
    os.makedirs(os.path.join(out, kind), exist_ok=True)
    for name, (fields, feats) in layers.items():
        ds = ogr.GetDriverByName(driver).CreateDataSource(os.path.join(out, kind, name + '.' + ext))
        lyr = ds.CreateLayer(name, srs, ogr.wkbPolygon,
                             options=['ENCODING=UTF-8'] if driver == 'ESRI Shapefile' else [])
        for n, t in fields:
            lyr.CreateField(ogr.FieldDefn(n, t))
        for vals, wkt in feats:
            f = ogr.Feature(lyr.GetLayerDefn())
            for (n, _), v in zip(fields, vals):
                f.SetField(n, v)
            g = ogr.CreateGeometryFromWkt(wkt)
            if srs is wgs:
                g.Segmentize(10)
                g.Transform(to_wgs)
            f.SetGeometry(g)
            lyr.CreateFeature(f)
        ds = None
EOF
cat >"$TMP/leases.csv" <<'EOF'
cluster,lot_no,tenant,start_date,end_date,note
NUA,CN-01,Công ty A,2024-01-01,,
NUA,CN-02,"Công ty B, Ltd",01/01/2023,30/06/2025,hết hạn
EOF

# load WS KIND [IMPORT OPTIONS]: the four layers of one kind and the register.
load() {
    local ws=$1 kind=$2 ext l
    shift 2
    case $kind in shp) ext=shp ;; wgs) ext=geojson ;; *) ext=gpkg ;; esac
    for l in clusters lots parcels plan; do
        "$CCN" import "$ws" "$TMP/$kind/$l.$ext" --as $l -q "$@" >/dev/null ||
            { bad "import $kind/$l.$ext $*"; return 1; }
    done
    "$CCN" lease "$ws" import "$TMP/leases.csv" >/dev/null || bad "lease import"
}

# cells: python reads stdout ($out) as FORMAT and prints the asked cells.
#   cells csv|json HEADER? EXPR  (rows: list of dicts, header: the CSV's first row)
cells() {
    "$PY" -c '
import csv, io, json, sys
fmt, expr, text = sys.argv[1], sys.argv[2], sys.stdin.read()
if fmt == "csv":
    rd = csv.reader(io.StringIO(text, newline=""))
    rows_ = list(rd); header = rows_[0]
    rows = [dict(zip(header, r)) for r in rows_[1:]]
else:
    rows = json.loads(text); header = list(rows[0].keys()) if rows else []
print(eval(expr))' "$1" "$2" <<<"$out"
}

# ---- a workspace from the GeoPackage in EPSG:5897
ws=$(new_ws vn)
load "$ws" vn

AREAS=code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct
run "$CCN" areas "$ws" --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "$AREAS"
expect_eq "$(cells csv '[(r["area_m2"], r["area_ha"], r["ellipsoidal_m2"], r["deviation_pct"]) for r in rows if r["code"] == "NUA"]')" \
    "[('202500.000', '20.2500', '202520.779', '1.2500')]"
expect_eq "$(cells csv '[(r["area_m2"], r["ellipsoidal_m2"], r["deviation_pct"]) for r in rows if r["code"] == "HT"]')" \
    "[('700000.000', '700082.479', '0.0000')]"
# A cluster without a boundary: empty cells, not 0.
expect_eq "$(cells csv '[(r["area_m2"], r["deviation_pct"]) for r in rows if r["code"] == "DL3"]')" "[('', '')]"
run "$CCN" areas "$ws" --format json
expect_eq "$(cells json '",".join(header)')" "$AREAS"
expect_eq "$(cells json '[(r["area_m2"], r["deviation_pct"]) for r in rows if r["code"] in ("NUA", "DL3")]')" \
    "[(None, None), (202500.0, 1.25)]"
# Without --format on a pipe: CSV; a table when asked, on a pipe too.
run "$CCN" areas "$ws"
expect_eq "$(head -1 <<<"$out")" "$AREAS"
run "$CCN" areas "$ws" --format table
expect_rc 0
expect_eq "$(head -1 <<<"$out" | tr -s ' ')" "$(tr , ' ' <<<"$AREAS")"
# -o FILE: the same CSV; JSON into a file named .json.
run "$CCN" areas "$ws" -o "$TMP/areas.csv" -q
expect_eq "$(head -1 "$TMP/areas.csv")" "$AREAS"
run "$CCN" areas "$ws" -o "$TMP/areas.json" -q
"$PY" -c 'import json, sys; json.load(open(sys.argv[1]))' "$TMP/areas.json" && ok || bad "areas.json is not JSON"

run "$CCN" overlay "$ws" --cluster NUA --format csv
expect_eq "$out" "cluster,plan_code,area_m2,share_pct
NUA,SKN,135000.000,66.6667
NUA,LUC,67500.000,33.3333"
run "$CCN" overlay "$ws" --by parcel --format json
expect_eq "$(cells json '",".join(header)')" "parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2"
expect_eq "$(cells json '[(r["commune"], r["sheet"], r["parcel_no"], r["plan_code"], r["area_m2"]) for r in rows if r["plan_code"]]')" \
    "[('15700', 1, 1, 'SKN', 2500.0), ('15700', 1, 2, 'LUC', 5000.0)]"

run "$CCN" parcels "$ws" --cluster NUA --format csv
expect_eq "$(head -1 <<<"$out")" "cluster,parcel_id,commune,sheet,parcel_no,landuse,owner,parcel_area_m2,affected_m2,affected_pct"
expect_eq "$(cells csv '[(r["owner"], r["parcel_area_m2"], r["affected_m2"], r["affected_pct"]) for r in rows]')" \
    "[('Nguyễn Văn A', '10000.000', '2500.000', '25.0000'), ('Lê Thị B, \"Bà Ba\"', '20000.000', '5000.000', '25.0000')]"

OCC=cluster,name,status,target_pct,leasable_m2,leased_m2,occupancy_pct,target_met
for d in 2025-01-01 01/01/2025 1/1/2025; do
    run "$CCN" occupancy "$ws" --as-of "$d" --format csv
    expect_rc 0
    expect_eq "$(head -1 <<<"$out")" "$OCC" "--as-of $d"
    expect_eq "$(cells csv '[(r["leasable_m2"], r["leased_m2"], r["occupancy_pct"], r["target_met"]) for r in rows if r["cluster"] in ("NUA", "HT")]')" \
        "[('0.000', '0.000', '', ''), ('30000.000', '30000.000', '100.0000', 'true')]" "--as-of $d"
done
# CN-02's lease ends on 30/06/2025: not running that day.
run "$CCN" occupancy "$ws" --as-of 30/06/2025 --cluster nua --format json
expect_eq "$(cells json '[(r["cluster"], r["leased_m2"], r["occupancy_pct"], r["target_met"]) for r in rows]')" \
    "[('NUA', 10000.0, 33.3333, True)]"
run "$CCN" occupancy "$ws" --as-of 2025-07-01 --by lot --cluster NUA --format json
expect_eq "$(cells json '",".join(header)')" "cluster,lot_no,use,area_m2,leased,tenant,lease_start,lease_end"
expect_eq "$(cells json '[(r["lot_no"], r["leased"], r["tenant"], r["lease_start"], r["lease_end"]) for r in rows]')" \
    "[('CN-01', True, 'Công ty A', '2024-01-01', None), ('CN-02', False, None, None, None), ('CX-01', None, None, None, None), ('DV-01', None, None, None, None)]"
run "$CCN" occupancy "$ws" --series quarter --from 01/04/2025 --to 2025-09-30 --cluster NUA --format csv
expect_eq "$out" "date,cluster,leased_m2,occupancy_pct
2025-06-30,NUA,10000.000,33.3333
2025-09-30,NUA,10000.000,33.3333"
run "$CCN" occupancy "$ws" --series quarter --from 2025-01-01 --to 31/03/2025 --cluster HT --format json
expect_eq "$(cells json 'rows')" "[{'date': '2025-03-31', 'cluster': 'HT', 'leased_m2': 0.0, 'occupancy_pct': None}]"
run "$CCN" occupancy "$ws" --as-of 31/02/2025
expect_rc 2
expect_err "--as-of '31/02/2025' is not a date"

# lease add / end / list, both date forms. Ending a lease on the day it ends
# already, or after it ended, says so (the old build: "no lease of that lot
# runs the day before", though CN-02's ran on 29/06/2025).
run "$CCN" lease "$ws" end --cluster NUA --lot CN-02 --on 30/06/2025
expect_rc 2
expect_err "cannot end the lease of NUA/CN-02 on 2025-06-30: lease 2 (to 'Công ty B, Ltd') ends on that day already"
run "$CCN" lease "$ws" end --cluster NUA --lot CN-02 --on 2025-09-30
expect_rc 2
expect_err "cannot end the lease of NUA/CN-02 on 2025-09-30: no lease of that lot runs the day before; the last, lease 2, ended on 2025-06-30"
run "$CCN" lease "$ws" add --cluster NUA --lot CN-02 --tenant "Công ty C" --from 01/07/2025
expect_rc 0
run "$CCN" lease "$ws" end --cluster NUA --lot CN-02 --on 2026-01-01
expect_rc 0
run "$CCN" lease "$ws" list --cluster NUA --as-of 31/12/2025 --format json
expect_eq "$(cells json '[(r["lot_no"], r["tenant"], r["start_date"], r["end_date"]) for r in rows]')" \
    "[('CN-01', 'Công ty A', '2024-01-01', None), ('CN-02', 'Công ty C', '2025-07-01', '2026-01-01')]"
run "$CCN" occupancy "$ws" --as-of 2025-12-31 --cluster NUA --format csv
expect_eq "$(cells csv 'rows[0]["occupancy_pct"]')" 100.0000

CHECK=severity,code,layer,fid,other_layer,other_fid,area_m2,x,y,message
run "$CCN" check "$ws" --format json
expect_rc 1
expect_eq "$(cells json '",".join(header)')" "$CHECK"
expect_eq "$(cells json 'sorted((r["code"], r["layer"], r["area_m2"]) for r in rows)')" \
    "[('AREA_DEVIATION', 'clusters', 2500.0), ('PROTECTED_LAND', 'clusters', 67500.0)]"
run "$CCN" check "$ws" --tolerance area_deviation_pct=2 --only clusters --format csv
expect_rc 0
expect_eq "$out" "$CHECK"

run "$CCN" export "$ws" "$TMP/lots.geojson" --layer lots --cluster NUA
expect_rc 0
expect_eq "$("$PY" -c 'import json, sys; d = json.load(open(sys.argv[1]))
print(len(d["features"]), sorted(f["properties"]["lot_no"] for f in d["features"]))' "$TMP/lots.geojson")" \
    "4 ['CN-01', 'CN-02', 'CX-01', 'DV-01']"
run "$CCN" map "$ws" --cluster NUA -o "$TMP/nua.svg" --as-of 30/06/2025
expect_rc 0
expect_out "as of 2025-06-30"

# ---- the same figures from the shapefile and from WGS 84 GeoJSON, with and
# without --s-srs; a GeoPackage layer without a CRS needs it.
ws2=$(new_ws shp)
load "$ws2" shp
ws3=$(new_ws wgs)
load "$ws3" wgs
ws4=$(new_ws wgs2)
load "$ws4" wgs --s-srs EPSG:4326
ws5=$(new_ws nocrs)
run "$CCN" import "$ws5" "$TMP/nocrs/lots.gpkg" --as lots
expect_rc 2
expect_err "nocrs/lots.gpkg: the layer's CRS is the GeoPackage's 'Undefined geographic SRS'"
load "$ws5" nocrs --s-srs EPSG:5897
for w in "$ws2" "$ws3" "$ws4" "$ws5"; do
    run "$CCN" areas "$w" --format csv
    a=$(cells csv '[float(r["area_m2"]) for r in rows if r["code"] == "NUA"][0]')
    expect_near "$a" 202500 0.002 "NUA from $w"
    run "$CCN" occupancy "$w" --as-of 30/06/2025 --cluster NUA --format csv
    expect_eq "$(cells csv 'rows[0]["occupancy_pct"]')" 33.3333 "$w"
    run "$CCN" parcels "$w" --cluster NUA --format csv
    expect_eq "$(cells csv '[r["affected_pct"] for r in rows]')" "['25.0000', '25.0000']" "$w"
done

# ---- one GeoPackage of every layer, each named as ccn's (ogr2ogr -nln),
# imported without --layer: each --as reads its own layer. The old build read
# the first, 'clusters', every time: --as lots was refused (no lot_no field)
# and --as plan stored the cluster boundaries as plan zones coded NUA and HT.
"$PY" - "$TMP" <<'EOF2' || exit 3
import sys
from osgeo import gdal
gdal.UseExceptions()
t = sys.argv[1]
for i, l in enumerate(('clusters', 'lots', 'parcels', 'plan')):
    gdal.VectorTranslate(t + '/all.gpkg', t + '/vn/' + l + '.gpkg', layerName=l,
                         accessMode=None if i == 0 else 'update')
EOF2
ws7=$(new_ws all)
for l in clusters lots parcels plan; do
    run "$CCN" import "$ws7" "$TMP/all.gpkg" --as $l
    expect_rc 0
    expect_out "all.gpkg: layer '$l' (VN-2000 / TM-3 zone 482) -> $l:"
    [[ "$err" != *"only layer"* ]] && ok || bad "--as $l: other layers said left out: $err"
done
"$CCN" lease "$ws7" import "$TMP/leases.csv" >/dev/null || bad "lease import (all.gpkg)"
run "$CCN" occupancy "$ws7" --as-of 30/06/2025 --cluster NUA --format csv
expect_eq "$(cells csv '(rows[0]["leasable_m2"], rows[0]["occupancy_pct"])')" "('30000.000', '33.3333')"
run "$CCN" overlay "$ws7" --cluster NUA --format csv
expect_eq "$(cells csv '[r["plan_code"] for r in rows]')" "['SKN', 'LUC']"

# ---- another district (--district DIR, only its clusters.csv): a planned
# area the registry gives in more than two decimals is printed as it is
# (30.1234 ha; the old build printed 30.12 beside a deviation computed from
# 30.1234: (300,000 - 301,234) / 301,234 = -0.4096 %); two decimals otherwise.
mkdir -p "$TMP/district"
printf 'code,name,planned_ha,status,target_pct\nNUA,Cụm A,30.1234,existing,80\nHT,Cụm B,70,new,30\n' \
    >"$TMP/district/clusters.csv"
ws6=$(ws_path district)
[ "$BACKEND" = pg ] || rm -f "$ws6"
run "$CCN" init "$ws6" --district "$TMP/district" --force
expect_rc 0
# Without a landuse.csv no code is protected: init says so (the old build
# said nothing, and a cluster on LUC was no finding).
expect_err "ccn: init: warning: $TMP/district/landuse.csv: missing: no land-use code is known, so no plan zone counts as protected land (LUC, LUK, RPH, RDD)"
"$PY" - "$TMP" <<'EOF2' || exit 3
import sys
from osgeo import ogr, osr
srs = osr.SpatialReference(); srs.ImportFromEPSG(5897)
ds = ogr.GetDriverByName('GPKG').CreateDataSource(sys.argv[1] + '/a1.gpkg')
lyr = ds.CreateLayer('clusters', srs, ogr.wkbPolygon)
lyr.CreateField(ogr.FieldDefn('code', ogr.OFTString))
f = ogr.Feature(lyr.GetLayerDefn()); f.SetField('code', 'NUA')
f.SetGeometry(ogr.CreateGeometryFromWkt('POLYGON((565000 2183400,565500 2183400,565500 2184000,565000 2184000,565000 2183400))'))
lyr.CreateFeature(f)
EOF2
"$CCN" import "$ws6" "$TMP/a1.gpkg" --as clusters -q >/dev/null || bad "import a1.gpkg"
run "$CCN" areas "$ws6" --format csv
expect_eq "$(cells csv '[(r["code"], r["planned_ha"], r["area_m2"], r["deviation_pct"]) for r in rows]')" \
    "[('NUA', '30.1234', '300000.000', '-0.4096'), ('HT', '70.00', '', '')]"

# ---- bad input names the file, the feature and the problem, exit 2; a lot
# without a cluster code is said so (the old build: "unknown cluster ''").
cat >"$TMP/bad_lots.geojson" <<'EOF'
{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::5897"}},
 "features": [
  {"type": "Feature", "properties": {"cluster": "NUA", "lot_no": "CN-07"}, "geometry": null},
  {"type": "Feature", "properties": {"cluster": "ZZZ", "lot_no": "CN-08"},
   "geometry": {"type": "Polygon", "coordinates": [[[565000, 2183300], [565010, 2183300], [565010, 2183310], [565000, 2183300]]]}},
  {"type": "Feature", "properties": {"cluster": null, "lot_no": "CN-09"},
   "geometry": {"type": "Polygon", "coordinates": [[[565000, 2183300], [565010, 2183300], [565010, 2183310], [565000, 2183300]]]}},
  {"type": "Feature", "properties": {"cluster": " ", "lot_no": "CN-10"},
   "geometry": {"type": "Polygon", "coordinates": [[[565000, 2183300], [565010, 2183300], [565010, 2183310], [565000, 2183300]]]}}]}
EOF
run "$CCN" import "$ws" "$TMP/bad_lots.geojson" --as lots
expect_rc 2
expect_err "bad_lots.geojson: 4 of 4 features refused: feature 0: no geometry; feature 1: unknown cluster 'ZZZ'; feature 2: no cluster code; feature 3: no cluster code; nothing imported"
printf 'cluster,marker,X,Y\n,M1,2183400.000,565000.000\n' >"$TMP/markers.csv"
run "$CCN" import "$ws" "$TMP/markers.csv" --as markers --s-srs EPSG:5897
expect_rc 2
expect_err "row 2: no cluster code"
LANGUAGE=vi run "$CCN" import "$ws" "$TMP/markers.csv" --as markers --s-srs EPSG:5897
expect_err "dòng 2: không có mã cụm"
finish
