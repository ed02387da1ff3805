#!/usr/bin/env bash
# xcheck_postgis_crs.sh — ccn's stored coordinates and figures against PostGIS
# on input NOT in the workspace's CRS, each side reading the same files: ccn
# imports them (transforming into the workspace CRS with PROJ); ogr2ogr loads
# them into PostGIS in their own CRS (-dim XYZ keeps heights), and the
# reference is ST_Transform(geom, WS_SRID) then the design's SQL (as in
# xcheck_postgis_random.sh: ST_MakeValid(g, 'method=structure'), ST_Area,
# geography, ST_Area(ST_Intersection(g, ST_Union(zones))) by code, a parcel taken from
# 0.0005 m², occupancy of whole industrial lots). Not a test. Worlds:
#   hand:A  bow-tie cluster, overlapping parts, a self-touching ring (inverted
#           hole), a hole touching the shell, a spike and a repeated vertex, a
#           nested shell; zones sharing an edge exactly, 1 mm apart and 1 mm
#           over, a bow-tie zone, a zone with a hole filled by another;
#           parcels partly outside, touching an edge or a corner, in holes,
#           1 mm and 0.1 mm inside; leases on quarter ends in both date forms
#   hand:B  a hole outside its shell, nested holes, a part twice, a hole on the
#           shell's edge, holes sharing an edge, a hole equal to its shell;
#           a collapsed zone, a zero-width spike, a part inside a part
#   random:SEED  xcheck_postgis_random.sh's world (drawn in EPSG:5897),
#           rewritten by ogr2ogr -t_srs into each layer's CRS
# Each layer comes as GeoJSON (RFC 7946 WGS 84 without a crs member, or with
# one) or a shapefile (.prj as GDAL writes it, or none: then --s-srs on both
# sides, ogr2ogr -a_srs), in EPSG:4326, 32648, 3405, 5896, 5898, 9205, 9209,
# 9210 (PostGIS 3.3 lacks 9205-9218: ogr2ogr adds them), with heights (z).
# Per world: the largest distance between ccn's stored geometry and PostGIS's
# transformed one (ST_HausdorffDistance), then figure rows that differ by more
# than the printed decimals; METHODS=linework compares with PostGIS's default
# repair too (it differs by design on overlapping parts and nested shells).
# On 2026-12-07: 20 worlds, every coordinate equal (distance 0) and 116 of 120
# comparisons equal row for row; the other 4 are hand:B's TTH, a hole equal to
# its shell: ccn leaves its area empty and says why, PostGIS gives 0.
#   tests/xcheck_postgis_crs.sh [WORLD...]   (default: all below; a world is
#   'NAME hand:A|hand:B|random:SEED WS_CRS|- S_SRS|- SPEC')
# Env: CCN_BUILD_DIR (build), METHODS (structure). Data in /tmp/ccn-xcheck-crs/NAME.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${CCN_BUILD_DIR:-build}
ccn=$(realpath "$build/ccn")
gis=$root/gis
top=/tmp/ccn-xcheck-crs
mkdir -p "$top"
state=$(mktemp -u /tmp/ccn-xcheck-crs.XXXXXX).state
tests/pg_cluster.sh start "$state" >/dev/null
trap '"$root/tests/pg_cluster.sh" stop "$state"' EXIT
# shellcheck disable=SC1090
. "$state"
psql_() { psql -X -q -h "$CCN_PG_DIR" -p "$CCN_PG_PORT" -U ccn -d ccn -v ON_ERROR_STOP=1 "$@"; }
ogr_pg() { echo "PG:host=$CCN_PG_DIR port=$CCN_PG_PORT user=ccn dbname=ccn active_schema=$1"; }
awk '/^python3 - "\$1" "\$2" <<.PY.$/{f=1;next} f&&/^PY$/{exit} f' tests/xcheck_postgis_random.sh >"$top/random.py"
cat >"$top/hand.py" <<'PY'
# World of pathological shapes drawn in EPSG:5897, written in other CRSs.
import json, os, sys
from osgeo import ogr, osr
osr.UseExceptions() if hasattr(osr, "UseExceptions") else None
out = sys.argv[1]
WORLD = sys.argv[3]
X0, Y0 = 565000.0, 2185000.0
def P(x, y): return (X0 + x, Y0 + y)
def box(x1, y1, x2, y2, cw=False):
    r = [P(x1, y1), P(x2, y1), P(x2, y2), P(x1, y2), P(x1, y1)]
    return r[::-1] if cw else r
def ring(*pts): r = [P(*p) for p in pts]; return r + [r[0]]
poly = lambda *rings: ("Polygon", list(rings))
mpoly = lambda *ps: ("MultiPolygon", [p[1] for p in ps])

if WORLD == 'A':
    clusters = [
     ({"code": "DL3"}, mpoly(poly(box(0, 0, 400, 300), box(100, 100, 200, 200, True),
                                  ring((0, 150), (50, 120), (50, 180))),   # hole touching shell at a point
                             poly(box(500, 0, 600, 100)))),
     ({"code": "HT"}, poly(ring((1000, 0), (1300, 300), (1300, 0), (1000, 300)))),   # bow-tie
     ({"code": "NUA"}, mpoly(poly(box(0, 500, 300, 800)), poly(box(200, 500, 500, 800)))),  # overlapping parts
     ({"code": "DT"}, poly(ring((1000, 500), (1400, 500), (1400, 900), (1200, 900), (1250, 700),
                                (1150, 700), (1200, 900), (1000, 900)))),   # self-touching ring (inverted hole)
     ({"code": "TN"}, poly(ring((2000, 0), (2300, 0), (2300, 0), (2300, 300), (2150, 300), (2150, 400),
                                (2150, 300), (2000, 300)))),                 # duplicate vertex + spike
     ({"code": "TTH"}, mpoly(poly(box(2000, 500, 2500, 1000)), poly(box(2100, 600, 2200, 700)))),  # nested shell
    ]
    Z = [  # plan zones
     ("SKN", poly(box(-50, -50, 250, 350), box(120, 120, 180, 180, True))),   # with a hole
     ("SKN", poly(box(250, -50, 450, 350))),                                   # shares an edge exactly
     ("ONT", poly(box(120, 120, 180, 180))),                                   # fills the hole
     ("LUC", poly(box(450.001, -50, 700, 120))),                               # 1 mm gap to the SKN zone
     ("SKN", poly(box(-50, 450, 250.001, 850))),                               # 1 mm overlap with the next
     ("CLN", poly(box(250, 450, 550, 850))),
     ("SKN", poly(ring((950, -50), (1350, 350), (1350, -50), (950, 350)))),    # bow-tie zone
     ("DGT", mpoly(poly(box(950, 450, 1250, 950)), poly(box(1150, 450, 1450, 950)))),  # overlapping parts
     ("SKN", poly(box(1950, -50, 2350, 450), box(2100, 100, 2200, 200, True))),
     ("RPH", poly(box(2100, 100, 2200, 200))),
     ("skn", poly(box(1950, 450, 2550, 1050), box(2050, 550, 2250, 750, True))),
    ]
    parcels = []
    def parcel(g, note): parcels.append((note, g))
    parcel(poly(box(380, 250, 450, 350)), "partly outside DL3")
    parcel(poly(box(400, 0, 450, 50)), "touches DL3's edge")
    parcel(poly(box(600, 100, 650, 150)), "touches DL3 part 2 at a point")
    parcel(poly(box(120, 120, 180, 180)), "in DL3's hole")
    parcel(poly(box(150, 150, 250, 250)), "crosses DL3's hole edge")
    parcel(poly(box(0, 130, 40, 170)), "in DL3's touching hole area")
    parcel(poly(box(380, 0, 400.001, 20)), "1 mm inside DL3's edge")          # 0.02 m2 taken
    parcel(poly(box(399.9999, 40, 420, 45)), "0.1 mm inside over 5 m")        # 0.0005 ...
    parcel(poly(ring((1100, 100), (1200, 200), (1200, 100), (1100, 200))), "bow-tie in HT")
    parcel(poly(box(1140, 140, 1160, 160)), "on HT's crossing point")
    parcel(poly(box(250, 600, 350, 700)), "in NUA's overlap")
    parcel(poly(box(1180, 800, 1220, 950)), "in DT's notch")
    parcel(poly(box(1190, 650, 1210, 750)), "DT notch tip")
    parcel(poly(box(2140, 280, 2160, 420)), "over TN's spike")
    parcel(poly(box(2150, 650, 2250, 750)), "TTH nested part edge")
    parcel(mpoly(poly(box(580, 40, 620, 60)), poly(box(590, 50, 640, 90))), "overlapping parts")
    parcel(poly(box(450, 300, 500, 300.5)), "sliver")
    parcel(poly(ring((0, 300), (50, 300), (50, 350), (25, 300.0), (0, 350))), "self-touching on DL3 edge")
    parcel(poly(box(2300, 0, 2350, 50)), "touches TN corner")
    parcel(poly(box(2499.999, 900, 2550, 950)), "1 mm in TTH")
    parcels = [({"commune": "15682", "sheet": 3, "parcel_no": i + 1, "landuse": "LUC", "owner": n}, g)
               for i, (n, g) in enumerate(parcels)]
    lots = [
     ({"cluster": "DL3", "lot_no": "CN-01", "use": "industrial"}, poly(box(10, 10, 90, 90))),
     ({"cluster": "DL3", "lot_no": "CN-02", "use": "industrial"}, poly(box(350, 250, 450, 320))),
     ({"cluster": "DL3", "lot_no": "CN-03", "use": "industrial"}, poly(ring((210, 10), (300, 90), (300, 10), (210, 90)))),
     ({"cluster": "HT", "lot_no": "CN-01", "use": "industrial"}, poly(box(1250, 10, 1290, 50))),
     ({"cluster": "NUA", "lot_no": "CN-01", "use": "industrial"}, mpoly(poly(box(10, 510, 110, 610)), poly(box(60, 560, 160, 660)))),
     ({"cluster": "DT", "lot_no": "CN-01", "use": "industrial"}, poly(box(1010, 510, 1110, 610))),
     ({"cluster": "DT", "lot_no": "DV-01", "use": "service"}, poly(box(1300, 510, 1390, 610))),
    ]
    zones = [({"landuse": c}, g) for c, g in Z]

else:
    clusters = [
     ({"code": "DL3"}, poly(box(0, 0, 300, 300), box(400, 0, 500, 100, True))),            # hole outside the shell
     ({"code": "HT"}, poly(box(1000, 0, 1300, 300), box(1050, 50, 1250, 250, True), box(1100, 100, 1200, 200, True))),  # nested holes
     ({"code": "NUA"}, mpoly(poly(box(0, 500, 300, 800)), poly(box(0, 500, 300, 800)))),  # the same part twice
     ({"code": "DT"}, poly(box(1000, 500, 1400, 900), box(1000, 600, 1100, 700, True))),  # hole sharing an edge with the shell
     ({"code": "TN"}, poly(box(2000, 0, 2300, 300), box(2050, 50, 2150, 150, True), box(2150, 50, 2250, 150, True))),  # holes sharing an edge
     ({"code": "TTH"}, poly(box(2000, 500, 2400, 900), box(2000, 500, 2400, 900, True))),  # hole equal to the shell
    ]
    Z = [
     ("SKN", poly(box(-50, -50, 600, 350), box(100, 100, 200, 200, True), box(120, 120, 180, 180, True))),  # nested holes
     ("LUC", mpoly(poly(box(950, -50, 1350, 350)), poly(box(1100, 100, 1200, 200)))),  # part inside part
     ("SKN", poly(box(-50, 450, 350, 850), box(400, 450, 450, 500, True))),   # hole outside
     ("ONT", poly(ring((950, 450), (1450, 450), (1450, 950), (950, 950), (950, 450), (1200, 700), (950, 450)))),  # zero-width spike in
     ("SKN", poly(box(1950, -50, 2350, 350))),
     ("CLN", poly(ring((2100, 100), (2200, 100), (2200, 100), (2100, 100)))),   # collapsed
     ("SKN", poly(box(1950, 450, 2450, 950))),
    ]
    parcels = []
    def parcel(g, note): parcels.append((note, g))
    parcel(poly(box(250, 250, 450, 450), box(400, 400, 500, 500, True)), "hole half out")
    parcel(poly(box(380, 20, 420, 80)), "in DL3's outside hole")
    parcel(poly(box(1080, 80, 1220, 220)), "over HT nested holes")
    parcel(poly(box(1120, 120, 1180, 180)), "in HT's inner hole")
    parcel(poly(box(100, 600, 200, 700)), "in NUA doubled")
    parcel(poly(box(1000, 600, 1100, 700)), "fills DT edge hole")
    parcel(poly(box(950, 620, 1050, 680)), "straddles DT edge hole")
    parcel(poly(box(2100, 100, 2200, 120)), "TN's two holes")
    parcel(poly(box(2100, 600, 2200, 700)), "in TTH void")
    parcel(poly(ring((1150, 650), (1250, 650), (1250, 750), (1150, 750), (1150, 650), (1200, 700), (1150, 650))), "spike parcel")
    parcel(poly(ring((1150, 100), (1160, 100), (1160, 100), (1150, 100))), "collapsed parcel")
    parcel(mpoly(poly(box(2010, 10, 2040, 40)), poly(box(2010, 10, 2040, 40))), "doubled parcel")
    parcels = [({"commune": "15682", "sheet": 4, "parcel_no": i + 1, "landuse": "LUC", "owner": n}, g)
               for i, (n, g) in enumerate(parcels)]
    lots = [
     ({"cluster": "DL3", "lot_no": "CN-01", "use": "industrial"}, poly(box(10, 10, 90, 90), box(100, 10, 120, 30, True))),
     ({"cluster": "HT", "lot_no": "CN-01", "use": "industrial"}, poly(box(1010, 10, 1290, 290), box(1050, 50, 1250, 250, True), box(1100, 100, 1200, 200, True))),
     ({"cluster": "NUA", "lot_no": "CN-01", "use": "industrial"}, mpoly(poly(box(10, 510, 110, 610)), poly(box(10, 510, 110, 610)))),
     ({"cluster": "DT", "lot_no": "CN-01", "use": "industrial"}, poly(box(1010, 510, 1110, 610))),
     ({"cluster": "TN", "lot_no": "CN-01", "use": "industrial"}, poly(box(2010, 10, 2290, 290), box(2050, 50, 2150, 150, True), box(2150, 50, 2250, 150, True))),
    ]
    zones = [({"landuse": c}, g) for c, g in Z]

def srs(code):
    s = osr.SpatialReference(); s.ImportFromEPSG(code)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER); return s
src = srs(5897)
def tx(feats, code):
    if code == 5897: return feats
    ct = osr.CoordinateTransformation(src, srs(code))
    def tr(r): return [tuple(ct.TransformPoint(x, y)[:2]) for x, y in r]
    res = []
    for p, (t, rings) in feats:
        if t == "Polygon": rings = [tr(r) for r in rings]
        else: rings = [[tr(r) for r in pr] for pr in rings]
        res.append((p, (t, rings)))
    return res
def write(name, feats, code, fmt, crs_member=True, prj=True, digits=None, declare=None, z=False):
    feats = tx(feats, code)
    if fmt == "geojson":
        rnd = (lambda v: round(v, digits)) if digits else (lambda v: v)
        def co(t, rings):
            if t == "Polygon": return [[[rnd(x), rnd(y)] + ([round(abs(x * 7919 + y * 104729) % 97, 3)] if z else []) for x, y in r] for r in rings]
            return [co("Polygon", pr) for pr in rings]
        d = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": p,
             "geometry": {"type": t, "coordinates": co(t, r)}} for p, (t, r) in feats]}
        if declare:
            d["crs"] = {"type": "name", "properties": {"name": declare}}
        elif crs_member and code != 4326:
            d["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{code}"}}
        with open(f"{out}/{name}.geojson", "w") as f: json.dump(d, f, ensure_ascii=False)
        return
    drv = ogr.GetDriverByName("ESRI Shapefile")
    path = f"{out}/{name}.shp"
    if os.path.exists(path): drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    lyr = ds.CreateLayer(name, srs(code) if prj else None, ogr.wkbPolygon25D if z else ogr.wkbPolygon)
    for k, v in feats[0][0].items():
        lyr.CreateField(ogr.FieldDefn(k, ogr.OFTInteger if isinstance(v, int) else ogr.OFTString))
    for p, (t, rings) in feats:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in p.items(): f.SetField(k, v)
        g = ogr.Geometry(ogr.wkbPolygon if t == "Polygon" else ogr.wkbMultiPolygon)
        parts = [rings] if t == "Polygon" else rings
        for pr in parts:
            pg = ogr.Geometry(ogr.wkbPolygon)
            for r in pr:
                lr = ogr.Geometry(ogr.wkbLinearRing)
                for x, y in r:
                    if z: lr.AddPoint(x, y, abs(x * 7919 + y * 104729) % 97)
                    else: lr.AddPoint_2D(x, y)
                pg.AddGeometry(lr)
            if t == "Polygon": g = pg
            else: g.AddGeometry(pg)
        f.SetGeometryDirectly(g)
        lyr.CreateFeature(f)
    ds = None
    with open(f"{out}/{name}.cpg", "w") as f: f.write("UTF-8")
layers = {"clusters": clusters, "plan": zones, "parcels": parcels, "lots": lots}
spec = json.loads(sys.argv[2])   # {layer: [code, fmt, opts]}
for l, (code, fmt, opts) in spec.items():
    write(l, layers[l], code, fmt, **opts)
PY
cat >"$top/leases.A.csv" <<'CSV'
cluster,lot_no,tenant,start_date,end_date,note
DL3,CN-01,A,2023-01-01,2023-03-31,
DL3,CN-01,B,31/03/2023,30/06/2024,
DL3,CN-02,C,01/04/2023,,
DL3,CN-03,D,2023-06-30,2023-07-01,
HT,CN-01,E,30/09/2023,31/12/2023,
NUA,CN-01,F,2023-12-31,2024-12-31,
DT,CN-01,G,01/01/2024,2024-03-31,
DT,CN-01,H,2024-03-31,,
CSV
cat >"$top/leases.B.csv" <<'CSV'
cluster,lot_no,tenant,start_date,end_date,note
DL3,CN-01,A,2023-01-01,2023-03-31,
HT,CN-01,B,31/03/2023,30/06/2024,
NUA,CN-01,C,01/04/2023,,
DT,CN-01,D,2023-06-30,2023-07-01,
TN,CN-01,E,30/09/2023,31/12/2023,
CSV
[ $# -gt 0 ] || set -- \
    'w1 hand:A - - {"clusters":[4326,"geojson",{}],"plan":[32648,"shp",{}],"parcels":[9210,"shp",{}],"lots":[5896,"geojson",{}]}' \
    'w2 hand:A - - {"clusters":[5898,"shp",{}],"plan":[5898,"shp",{}],"parcels":[5898,"shp",{}],"lots":[5898,"shp",{}]}' \
    'w3 hand:A - EPSG:3405 {"clusters":[3405,"shp",{"prj":false}],"plan":[3405,"shp",{"prj":false}],"parcels":[3405,"shp",{"prj":false}],"lots":[3405,"shp",{"prj":false}]}' \
    'w4 hand:A - - {"clusters":[4326,"geojson",{"digits":7}],"plan":[9209,"geojson",{}],"parcels":[9205,"geojson",{}],"lots":[32648,"geojson",{}]}' \
    'w5 hand:A - - {"clusters":[4326,"geojson",{"declare":"urn:ogc:def:crs:EPSG::4326"}],"plan":[5897,"geojson",{}],"parcels":[5897,"geojson",{}],"lots":[4326,"geojson",{"declare":"urn:ogc:def:crs:OGC:1.3:CRS84"}]}' \
    'w6 hand:A - EPSG:9210 {"clusters":[9210,"geojson",{"declare":"urn:ogc:def:crs:EPSG::9209"}],"plan":[9210,"geojson",{"declare":"urn:ogc:def:crs:EPSG::9209"}],"parcels":[9210,"shp",{}],"lots":[9210,"geojson",{"declare":"urn:ogc:def:crs:EPSG::5897"}]}' \
    'wz hand:A - - {"clusters":[4326,"geojson",{"z":true}],"plan":[32648,"shp",{"z":true}],"parcels":[4326,"geojson",{"z":true}],"lots":[9210,"shp",{"z":true}]}' \
    'v1 hand:B - - {"clusters":[5897,"geojson",{}],"plan":[5897,"geojson",{}],"parcels":[5897,"geojson",{}],"lots":[5897,"geojson",{}]}' \
    'v2 hand:B - - {"clusters":[4326,"geojson",{}],"plan":[32648,"shp",{}],"parcels":[9210,"geojson",{}],"lots":[5898,"shp",{}]}' \
    'v3 hand:B - - {"clusters":[3405,"shp",{}],"plan":[4326,"geojson",{"digits":7}],"parcels":[5896,"shp",{}],"lots":[4326,"geojson",{}]}' \
    'r1 random:1 - - clusters:4326:geojson plan:32648:shp parcels:9210:shp lots:5896:geojson' \
    'r2 random:2 - - clusters:32648:shp plan:4326:geojson parcels:9209:geojson lots:3405:shp' \
    'r4 random:4 EPSG:32648 - clusters:4326:geojson plan:5897:shp parcels:9210:shp lots:32648:geojson' \
    'r6 random:6 EPSG:3405 - clusters:4326:geojson plan:5897:shp parcels:9210:shp lots:32648:geojson' \
    'r7 random:7 - - clusters:4326:geojson plan:9210:shp parcels:4326:geojson lots:32648:shp' \
    'r9 random:9 - - clusters:5896:geojson plan:3405:shp parcels:4326:geojson lots:9205:shp' \
    'g1 hand:A - EPSG:4756 {"clusters":[4756,"geojson",{"crs_member":false}],"plan":[4756,"geojson",{"crs_member":false}],"parcels":[4756,"geojson",{"crs_member":false}],"lots":[4756,"geojson",{"crs_member":false}]}' \
    'g2 random:11 EPSG:9209 - clusters:4326:geojson plan:4756:geojson parcels:4326:geojson lots:3405:shp' \
    'g3 random:12 EPSG:9210 - clusters:9209:shp plan:4326:geojson parcels:32648:shp lots:4326:geojson' \
    'g4 hand:B EPSG:9209 - {"clusters":[4326,"geojson",{}],"plan":[5897,"shp",{}],"parcels":[9210,"geojson",{"z":true}],"lots":[4756,"geojson",{}]}'
for w in "$@"; do
    read -r name kind wscrs ssrs spec <<<"$w"
    [ "$wscrs" = - ] && wscrs=
    [ "$ssrs" = - ] && ssrs=
    tgt=${wscrs#EPSG:}; tgt=${tgt:-5897}
    d=$top/$name
    rm -rf "$d" && mkdir -p "$d/src"
    case $kind in
    hand:*)
        /usr/bin/python3 "$top/hand.py" "$d" "$spec" "${kind#hand:}"
        cp "$top/leases.${kind#hand:}.csv" "$d/leases.csv" ;;
    random:*)
        python3 "$top/random.py" "${kind#random:}" "$d/src"
        cp "$d/src/leases.csv" "$d/leases.csv"
        for s in $spec; do
            IFS=: read -r l code fmt <<<"$s"
            if [ "$fmt" = shp ]; then ogr2ogr -t_srs "EPSG:$code" -lco ENCODING=UTF-8 "$d/$l.shp" "$d/src/$l.geojson"
            else ogr2ogr -f GeoJSON -t_srs "EPSG:$code" "$d/$l.geojson" "$d/src/$l.geojson"; fi
        done ;;
    esac
    ws=$d/ws.sqlite
    "$ccn" init "$ws" --district "$gis" ${wscrs:+--crs $wscrs} -q >/dev/null
    for l in clusters plan parcels lots; do
        f=$(ls "$d/$l.geojson" "$d/$l.shp" 2>/dev/null || true)
        "$ccn" import "$ws" "$f" --as $l ${ssrs:+--s-srs $ssrs} -q >/dev/null 2>&1 || echo "$name: import of $l failed"
    done
    "$ccn" lease "$ws" import "$d/leases.csv" >/dev/null
    x=sq
    "$ccn" areas "$ws" -q --format csv -o "$d/$x.areas.csv" 2>/dev/null
    "$ccn" overlay "$ws" -q --format csv -o "$d/$x.overlay.csv" 2>/dev/null
    "$ccn" overlay "$ws" -q --format csv --by parcel -o "$d/$x.overlayp.csv" 2>/dev/null
    "$ccn" parcels "$ws" -q --format csv --wide -o "$d/$x.parcels.csv" 2>/dev/null
    "$ccn" occupancy "$ws" -q --format csv --series quarter --from 1/1/2023 --to 31/12/2024 -o "$d/$x.series.csv" 2>/dev/null
    for day in 2023-03-31 2023-06-30 30/06/2023 2023-07-01 2023-12-31 31/12/2023 2024-03-31 2024-12-31; do
        "$ccn" occupancy "$ws" -q --format csv --as-of $day 2>/dev/null | sed "s|^|$day,|"
    done >"$d/$x.asof.csv"
    psql_ -c "DROP SCHEMA IF EXISTS s_$name CASCADE; CREATE SCHEMA s_$name; DROP SCHEMA IF EXISTS w_$name CASCADE; CREATE SCHEMA w_$name" 2>&1 | { grep -v NOTICE || true; }
    for l in clusters plan parcels lots; do
        f=$(ls "$d/$l.geojson" "$d/$l.shp" 2>/dev/null || true)
        ogr2ogr -f PostgreSQL "$(ogr_pg "s_$name")" "$f" -nln $l -lco GEOMETRY_NAME=geom -lco FID=fid \
            -nlt PROMOTE_TO_MULTI -dim XYZ ${ssrs:+-a_srs $ssrs}
    done
    for t in clusters parcels plan lots leases; do
        ogr2ogr -f PostgreSQL "$(ogr_pg "w_$name")" "$ws" $t -nln $t -lco GEOMETRY_NAME=geom -lco FID=fid -nlt PROMOTE_TO_MULTI
    done
    # a workspace CRS PostGIS lacks (9205-9218): as ogr2ogr added it, under its own code
    psql_ -c "INSERT INTO spatial_ref_sys SELECT $tgt, 'EPSG', $tgt, srtext, proj4text FROM
        spatial_ref_sys WHERE auth_srid = $tgt AND srid <> $tgt LIMIT 1 ON CONFLICT DO NOTHING"
    for t in clusters parcels plan lots; do
        psql_ -c "ALTER TABLE w_$name.$t ALTER COLUMN geom TYPE geometry(Geometry, $tgt) USING ST_SetSRID(geom, $tgt)"
    done
    for method in ${METHODS:-structure}; do
        cd "$d"
psql_ -At -v tgt=$tgt -v s=s_$name -v w=w_$name -v m="method=$method" <<'SQL' 2>&1 | grep -v NOTICE || true
SET search_path = :s, public;
SELECT set_config('x.tgt', :'tgt', false);
-- stored coordinates: ccn's vs PostGIS ST_Transform of the source
\echo coords (max Hausdorff, m)
SELECT 'clusters', count(*), max(ST_HausdorffDistance(a.geom, ST_Transform(b.geom, :tgt))) FROM :w.clusters a JOIN clusters b USING (code);
SELECT 'parcels', count(*), max(ST_HausdorffDistance(a.geom, ST_Transform(b.geom, :tgt))) FROM :w.parcels a JOIN parcels b ON a.parcel_no::int = b.parcel_no::int AND a.sheet::int = b.sheet::int;
SELECT 'lots', count(*), max(ST_HausdorffDistance(a.geom, ST_Transform(b.geom, :tgt))) FROM :w.lots a JOIN lots b USING (cluster, lot_no);
SELECT 'plan', count(*), max(ST_HausdorffDistance(a.geom, ST_Transform(b.geom, :tgt))) FROM :w.plan a JOIN plan b ON a.fid = b.fid;
-- vertex by vertex where the counts agree
SELECT 'vertex max d (clusters)', max(ST_Distance(pa.geom, pb.geom)) FROM :w.clusters a JOIN clusters b USING (code), ST_DumpPoints(a.geom) pa, ST_DumpPoints(ST_Transform(b.geom,:tgt)) pb WHERE pa.path = pb.path AND ST_NPoints(a.geom) = ST_NPoints(b.geom);
SELECT 'vertex max d (parcels)', max(ST_Distance(pa.geom, pb.geom)) FROM :w.parcels a JOIN parcels b ON a.parcel_no::int = b.parcel_no::int AND a.sheet::int = b.sheet::int, ST_DumpPoints(a.geom) pa, ST_DumpPoints(ST_Transform(b.geom,:tgt)) pb WHERE pa.path = pb.path AND ST_NPoints(a.geom) = ST_NPoints(b.geom);
CREATE TEMP TABLE c AS SELECT code, (SELECT planned_ha FROM :w.clusters x WHERE x.code = b.code) planned_ha, ST_MakeValid(ST_Transform(geom, :tgt), :'m') g FROM clusters b;
CREATE TEMP TABLE p AS SELECT (SELECT fid FROM :w.parcels x WHERE x.parcel_no::int = b.parcel_no::int AND x.sheet::int = b.sheet::int) fid, ST_MakeValid(ST_Transform(geom, :tgt), :'m') g FROM parcels b;
CREATE TEMP TABLE z AS SELECT replace(upper(trim(landuse)),'Đ','D') landuse, ST_MakeValid(ST_Transform(geom, :tgt), :'m') g FROM plan;
\copy (SELECT code, round(ST_Area(g)::numeric,3), round(ST_Area(ST_Transform(ST_Force2D(g),4326)::geography,true)::numeric,3), round(((ST_Area(g)/(planned_ha*1e4)-1)*100)::numeric,4) FROM c) TO ref.areas.csv CSV
CREATE TEMP TABLE ov AS SELECT c.code, z.landuse, ST_Area(ST_Intersection((SELECT c2.g FROM c c2 WHERE c2.code = c.code), ST_Union(z.g))) a, min(ST_Area(c.g)) ca FROM c JOIN z ON ST_Intersects(c.g, z.g) GROUP BY 1, 2 UNION ALL SELECT c.code, '', ST_Area(ST_Difference(c.g, coalesce((SELECT ST_Union(z.g) FROM z WHERE ST_Intersects(z.g, c.g)), ST_SetSRID('POLYGON EMPTY'::geometry, :tgt)))), ST_Area(c.g) FROM c;
\copy (SELECT code, landuse, round(a::numeric,3), round((100*a/NULLIF(ca,0))::numeric,4) FROM ov) TO ref.overlay.csv CSV
\copy (SELECT p.fid, z.landuse, round(ST_Area(ST_Intersection((SELECT p2.g FROM p p2 WHERE p2.fid = p.fid), ST_Union(z.g)))::numeric,3) FROM p JOIN z ON ST_Intersects(p.g, z.g) GROUP BY 1,2 UNION ALL SELECT p.fid, '', round(ST_Area(ST_Difference(p.g, coalesce((SELECT ST_Union(z.g) FROM z WHERE ST_Intersects(z.g, p.g)), ST_SetSRID('POLYGON EMPTY'::geometry, current_setting('x.tgt')::int))))::numeric,3) FROM p) TO ref.overlayp.csv CSV
\copy (SELECT c.code, p.fid, round(ST_Area(p.g)::numeric,3), round(ST_Area(ST_Intersection(p.g,c.g))::numeric,3), round((ST_Area(ST_Intersection(p.g,c.g))/NULLIF(ST_Area(p.g),0)*100)::numeric,4), round((ST_Area(p.g)-ST_Area(ST_Intersection(p.g,c.g)))::numeric,3), ST_Relate(p.g, c.g, 'T********') FROM c JOIN p ON ST_Intersects(c.g,p.g) AND ST_Area(ST_Intersection(p.g,c.g)) >= 0.0005) TO ref.parcels.csv CSV
\copy (SELECT c.code, p.fid, ST_Area(ST_Intersection(p.g,c.g)) FROM c JOIN p ON ST_Relate(p.g, c.g, 'T********') AND ST_Area(ST_Intersection(p.g,c.g)) < 0.0005) TO ref.parcels_relate_only.csv CSV
CREATE TEMP TABLE li AS SELECT cluster, lot_no, ST_Area(ST_MakeValid(ST_Transform(geom, :tgt), :'m')) a FROM lots WHERE use = 'industrial';
CREATE TEMP TABLE d AS SELECT (g::date - 1) d FROM generate_series(date '2023-04-01', date '2025-01-01', interval '3 months') g UNION SELECT unnest('{2023-03-31,2023-06-30,2023-07-01,2023-12-31,2024-03-31,2024-12-31}'::date[]);
CREATE TEMP TABLE x AS SELECT d.d, li.cluster, li.lot_no, li.a, (SELECT e.tenant FROM :w.leases e WHERE e.cluster = li.cluster AND e.lot_no = li.lot_no AND e.start_date::date <= d.d AND (e.end_date IS NULL OR e.end_date::date > d.d)) tenant FROM li, d;
\copy (SELECT d, cluster, round(sum(CASE WHEN tenant IS NOT NULL THEN a ELSE 0 END)::numeric,3), round(sum(a)::numeric,3), round((100*sum(CASE WHEN tenant IS NOT NULL THEN a ELSE 0 END)/sum(a))::numeric,4) FROM x GROUP BY 1,2) TO ref.occ.csv CSV
SQL
python3 - "$name $method" <<'PY'
import csv, sys
seed = sys.argv[1]
def load(path, keys, vals, header):
    with open(path) as f:
        rows = csv.reader(f)
        if header: next(rows)
        return {tuple(x[i] for i in keys): [x[i] for i in vals] for x in rows}
def nz(d): return {k: v for k, v in d.items() if v[0] != '' and round(float(v[0]), 3) > 0}
def differ(x, y, tol):
    try: return abs(float(x) - float(y)) > tol
    except ValueError: return x != y
def cmp(name, a, b, tol=0.0015):
    bad = [f"only ccn {k} {a[k]}" for k in sorted(set(a) - set(b))]
    bad += [f"only PostGIS {k} {b[k]}" for k in sorted(set(b) - set(a))]
    bad += [f"{k}: ccn {a[k]} PostGIS {b[k]}" for k in sorted(set(a) & set(b))
            if any(differ(x, y, tol) for x, y in zip(a[k], b[k]))]
    print(f"{seed}: {name}: ccn {len(a)} rows, PostGIS {len(b)}, {len(bad)} differ")
    for x in bad[:12]: print("   ", x)
cmp("areas", nz(load("sq.areas.csv", [0], [4, 6, 7], 1)), load("ref.areas.csv", [0], [1, 2, 3], 0))
cmp("overlay", load("sq.overlay.csv", [0, 1], [2, 3], 1), nz(load("ref.overlay.csv", [0, 1], [2, 3], 0)))
cmp("overlay --by parcel", load("sq.overlayp.csv", [0, 5], [6], 1), nz(load("ref.overlayp.csv", [0, 1], [2], 0)))
cmp("parcels", load("sq.parcels.csv", [0, 1], [7, 8, 9, 10], 1), load("ref.parcels.csv", [0, 1], [2, 3, 4, 5], 0))
ref = load("ref.occ.csv", [0, 1], [2, 3, 4], 0)
series = {k: [v[0], v[1]] for k, v in load("sq.series.csv", [0, 1], [2, 3], 1).items() if v[1] != ''}
cmp("series", series, {k: [v[0], v[2]] for k, v in ref.items() if k[0][5:] in ("03-31", "06-30", "09-30", "12-31") and k[0] < "2025"}, tol=0.00015)
def iso(t):
    if "/" in t: dd, mm, yy = t.split("/"); return f"{yy}-{int(mm):02d}-{int(dd):02d}"
    return t
asof = {(iso(r[0]), r[1]): [r[6], r[5], r[7]] for r in csv.reader(open("sq.asof.csv")) if r[1] != "cluster" and r[7] != ""}
days = {k[0] for k in asof}
cmp("as-of", asof, {k: v for k, v in ref.items() if k[0] in days}, tol=0.00015)
PY
        cd "$root"
    done
done
