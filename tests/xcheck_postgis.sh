#!/usr/bin/env bash
# xcheck_postgis.sh — ccn's figures against PostGIS on fresh generated data, row
# by row, the way an outside reviewer checks them. Not a test (it takes a
# minute or two of CPU): it prints, per figure, the rows on each side and the
# rows that differ by more than the printed decimals.
#   tests/xcheck_postgis.sh [PARCELS] [SEED]    (default 20000, seed 4242)
# Data: ccn-gen sample (seed SEED) and ccn-gen district (N parcels, clean and
# --noise $NOISE, default 0.02,0.10) with the sample's clusters, lots and
# leases, in /tmp/ccn-xcheck-N-sSEED (-nNOISE when NOISE is not the default).
# Each workspace is built twice, SQLite and PostgreSQL
# (a private cluster, tests/pg_cluster.sh), and every report must be
# byte-identical on both. The reference is PostGIS SQL (ST_Area, geography,
# ST_Intersection, ST_MakeValid with ccn's structure method, the holes of
# ST_Union; a code's area that of ST_Intersection(c, ST_Union(zones of the code)), so
# overlapping zones of one code count once, of two codes once for each code; and a
# parcel taken when its common area with the cluster is 0.0005 m² or more:
# docs/design.md §6) on a copy of the SQLite
# workspace made by ogr2ogr, not by ccn. Gaps are the uncovered pieces of the
# union's holes (pieces touching at a point are apart); ccn's gap findings
# name pairs of parcels, so for all gaps only totals are compared, and each wide
# gap (PARCEL_GAP) against the region of pieces its point lies in, grouped as ccn
# groups faces (touching at a point, one of them at most 0.5 m²). A thin
# overlap's largest width is held against the widest erosion PostGIS's
# ST_Buffer leaves something of (ccn bounds it to 1/16 of edge_tol_m).
# Env: CCN_BUILD_DIR (build), NOISE (ccn-gen's --noise for the noisy layer:
# e.g. 0.002,0.01 (the old 1 cm snap closed those gaps), 0.05,0.30 wider than the 5 cm edge
# tolerance).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-20000}
seed=${2:-4242}
build=${CCN_BUILD_DIR:-build}
ccn=$(realpath "$build/ccn")
gen=$(realpath "$build/tests/gen/ccn-gen")
noise=${NOISE:-0.02,0.10}
data=/tmp/ccn-xcheck-$n-s$seed
[ "$noise" = 0.02,0.10 ] || data=$data-n$noise
mkdir -p "$data"
chmod 755 "$data"
state=$data/pg.state
tests/pg_cluster.sh start "$state" >/dev/null
trap 'tests/pg_cluster.sh stop "$state"' EXIT
# shellcheck disable=SC1090
. "$state"
psql_() { psql -X -q -h "$CCN_PG_DIR" -p "$CCN_PG_PORT" -U ccn -d ccn -v ON_ERROR_STOP=1 "$@"; }
uri() { echo "postgresql://ccn@/ccn?host=$CCN_PG_DIR&port=$CCN_PG_PORT&options=-csearch_path%3D$1"; }

[ -d "$data/sample" ] || "$gen" sample "$data/sample" --seed "$seed" >/dev/null
[ -f "$data/clean/parcels.gpkg" ] || "$gen" district "$data/clean" --parcels "$n" --seed "$seed" >/dev/null
[ -f "$data/noisy/parcels.gpkg" ] ||
    "$gen" district "$data/noisy" --parcels "$n" --seed "$seed" --noise "$noise" >/dev/null

# build WS NAME: the workspace NAME on WS (a file or a URI)
build_ws() {
    local ws=$1 name=$2 s=$data/sample
    "$ccn" init "$ws" --district gis >/dev/null
    if [ "$name" = s ]; then
        "$ccn" import "$ws" "$s/parcels.shp" --as parcels --encoding TCVN3 -q
        "$ccn" import "$ws" "$s/plan.geojson" --as plan -q
        "$ccn" import "$ws" "$s/markers.csv" --as markers --s-srs EPSG:5897 -q
    else
        "$ccn" import "$ws" "$data/$name/parcels.gpkg" --as parcels -q
        "$ccn" import "$ws" "$data/$name/plan.gpkg" --as plan -q
    fi
    "$ccn" import "$ws" "$s/clusters.gpkg" --as clusters -q
    "$ccn" import "$ws" "$s/tho_ngoc.dxf" --as clusters --s-srs EPSG:5897 -q
    "$ccn" import "$ws" "$s/lots.gpkg" --as lots -q
    "$ccn" lease "$ws" import "$s/leases.csv" >/dev/null
}

reports() { # reports WS PREFIX
    local ws=$1 o=$2
    "$ccn" areas "$ws" -q --format csv -o "$o.areas.csv"
    "$ccn" areas "$ws" -q --format csv --by use -o "$o.areasuse.csv"
    "$ccn" overlay "$ws" -q --format csv -o "$o.overlay.csv"
    "$ccn" overlay "$ws" -q --format csv --by parcel -o "$o.overlayp.csv"
    "$ccn" parcels "$ws" -q --format csv --wide -o "$o.parcels.csv" # remnant_m2 too
    "$ccn" check "$ws" -q --format csv --wide -o "$o.check.csv" || [ $? = 1 ] # message in English
    "$ccn" occupancy "$ws" -q --format csv --by lot -o "$o.occlot.csv"
    "$ccn" occupancy "$ws" -q --format csv --series quarter --from 2021-01-01 --to 2026-12-31 \
        -o "$o.series.csv"
}

for w in s clean noisy; do
    rm -f "$data/$w.sqlite"
    build_ws "$data/$w.sqlite" "$w" >/dev/null 2>&1
    build_ws "$(uri "ws_$w")" "$w" >/dev/null 2>&1
    reports "$data/$w.sqlite" "$data/$w.sq" 2>/dev/null
    reports "$(uri "ws_$w")" "$data/$w.pg" 2>/dev/null
    for f in "$data/$w".sq.*.csv; do
        cmp -s "$f" "${f/.sq./.pg.}" && echo "$w: $(basename "${f#*.sq.}") SQLite = PostgreSQL" ||
            echo "$w: $(basename "${f#*.sq.}") DIFFERS between SQLite and PostgreSQL"
    done
    psql_ -c "CREATE SCHEMA ref_$w"
    for t in clusters lots parcels plan leases markers; do
        ogr2ogr -f PostgreSQL "PG:host=$CCN_PG_DIR port=$CCN_PG_PORT user=ccn dbname=ccn active_schema=ref_$w" \
            "$data/$w.sqlite" $t -nln $t -lco GEOMETRY_NAME=geom -lco FID=fid -nlt PROMOTE_TO_MULTI
    done
    mkdir -p "$data/ref_$w"
    # ccn's gaps (their point inside and area), for the regions below
    python3 -c 'import csv, sys
w = csv.writer(sys.stdout)
for x in csv.DictReader(open(sys.argv[1])):
    if x["code"] == "PARCEL_GAP": w.writerow([x["x"], x["y"], x["area_m2"]])' \
        "$data/$w.sq.check.csv" >"$data/ref_$w/ccngaps.csv"
    (cd "$data/ref_$w" && psql_ -v s="ref_$w" 2>&1 <<'SQL') | { grep -v NOTICE || true; }
SET search_path = :s, public;
CREATE TEMP TABLE c AS SELECT fid, code, planned_ha, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM clusters;
CREATE TEMP TABLE l AS SELECT fid, cluster, lot_no, use, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM lots;
CREATE TEMP TABLE p AS SELECT fid, area_legal, geom raw, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM parcels;
CREATE INDEX ON p USING gist(g);
CREATE TEMP TABLE z AS SELECT fid, landuse, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM plan;
CREATE INDEX ON z USING gist(g);
\copy (SELECT code, round(ST_Area(g)::numeric,3), round(ST_Area(ST_Transform(g,4326)::geography,true)::numeric,3), round(((ST_Area(g)/(planned_ha*1e4)-1)*100)::numeric,4) FROM c WHERE g IS NOT NULL ORDER BY code) TO areas.csv CSV
\copy (SELECT l.cluster, l.use, round(sum(ST_Area(ST_Intersection(l.g,c.g)))::numeric,3) FROM l JOIN c ON c.code=l.cluster GROUP BY 1,2 UNION ALL SELECT c.code, 'none', round(ST_Area(ST_Difference(c.g, coalesce((SELECT ST_Union(l.g) FROM l WHERE l.cluster=c.code), 'SRID=5897;POLYGON EMPTY'::geometry)))::numeric,3) FROM c ORDER BY 1,2) TO areasuse.csv CSV
\copy (SELECT c.code, z.landuse, round(ST_Area(ST_Intersection((SELECT c2.g FROM c c2 WHERE c2.fid = c.fid), ST_Union(z.g)))::numeric,3) FROM c JOIN z ON ST_Intersects(c.g,z.g) GROUP BY c.fid, c.code, z.landuse UNION ALL SELECT c.code, '', round(ST_Area(ST_Difference(c.g, coalesce((SELECT ST_Union(z.g) FROM z WHERE ST_Intersects(z.g,c.g)), 'SRID=5897;POLYGON EMPTY'::geometry)))::numeric,3) FROM c ORDER BY 1,2) TO overlay.csv CSV
\copy (SELECT p.fid, z.landuse, round(ST_Area(ST_Intersection((SELECT p2.g FROM p p2 WHERE p2.fid = p.fid), ST_Union(z.g)))::numeric,3) FROM p JOIN z ON ST_Intersects(p.g,z.g) GROUP BY p.fid, z.landuse UNION ALL SELECT p.fid, '', round(ST_Area(ST_Difference(p.g, coalesce((SELECT ST_Union(z.g) FROM z WHERE ST_Intersects(z.g,p.g)), 'SRID=5897;POLYGON EMPTY'::geometry)))::numeric,3) FROM p ORDER BY 1,2) TO overlayp.csv CSV
\copy (SELECT c.code, p.fid, round(ST_Area(p.g)::numeric,3), round(ST_Area(ST_Intersection(p.g,c.g))::numeric,3), round((ST_Area(ST_Intersection(p.g,c.g))/ST_Area(p.g)*100)::numeric,4), round((ST_Area(p.g)-ST_Area(ST_Intersection(p.g,c.g)))::numeric,3) FROM c JOIN p ON ST_Intersects(c.g,p.g) AND ST_Area(ST_Intersection(p.g,c.g)) >= 0.0005 ORDER BY 1,2) TO parcels.csv CSV
\copy (SELECT layer, fid, round(abs(ST_Area(ST_MakeValid(geom, 'method=structure'))-ST_Area(geom))::numeric,3) FROM (SELECT 'parcels' layer, fid, geom FROM parcels UNION ALL SELECT 'lots', fid, geom FROM lots UNION ALL SELECT 'clusters', fid, geom FROM clusters) x WHERE NOT ST_IsValid(geom)) TO invalid.csv CSV
-- the largest width of a thin piece: the widest erosion that leaves something, bisected to
-- 0.4 µm (ST_MaximumInscribedCircle's tolerance is the piece's extent / 1000: 3 cm on 30 m)
CREATE FUNCTION pg_temp.width(g geometry) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE lo float8 := 0; hi float8 := 0.05; m float8;
BEGIN
    FOR i IN 1..16 LOOP
        m := (lo + hi) / 2;
        IF ST_IsEmpty(ST_Buffer(g, -m, 'quad_segs=16')) THEN hi := m; ELSE lo := m; END IF;
    END LOOP;
    RETURN 2 * lo;
END $$;
-- (a figure is judged as ccn prints it, to 1 mm², design §7: 0.5005 m² and over is over 0.5)
\copy (SELECT a, b, round(ST_Area(g)::numeric,3), CASE WHEN thin THEN 'thin' ELSE 'wide' END, CASE WHEN thin THEN round((ST_Perimeter(g)/2)::numeric,4) END, CASE WHEN thin THEN round(pg_temp.width(g)::numeric,4) END FROM (SELECT a.fid a, b.fid b, ST_Intersection(a.g,b.g) g, ST_IsEmpty(ST_Buffer(ST_Intersection(a.g,b.g),-0.025)) thin FROM p a JOIN p b ON a.fid<b.fid AND ST_Intersects(a.g,b.g) WHERE ST_Area(ST_Intersection(a.g,b.g)) >= 0.5005) x) TO poverlap.csv CSV
\copy (SELECT a.fid, b.fid, round(ST_Area(ST_Intersection(a.g,b.g))::numeric,3) FROM l a JOIN l b ON a.fid<b.fid AND ST_Intersects(a.g,b.g) WHERE ST_Area(ST_Intersection(a.g,b.g)) >= 0.5005) TO loverlap.csv CSV
\copy (SELECT l.fid, round(ST_Area(ST_Difference(l.g,c.g))::numeric,3) FROM l JOIN c ON c.code=l.cluster WHERE ST_Area(ST_Difference(l.g,c.g))>=0.5005 AND NOT EXISTS (SELECT 1 FROM c o WHERE o.code<>l.cluster AND ST_Area(ST_Intersection(l.g,o.g)) > ST_Area(l.g)/2)) TO lotout.csv CSV
\copy (SELECT l.fid, o.fid, round(ST_Area(ST_Intersection(l.g,o.g))::numeric,3) FROM l JOIN c o ON o.code<>l.cluster AND ST_Intersects(l.g,o.g) WHERE ST_Area(ST_Intersection(l.g,o.g)) > ST_Area(l.g)/2) TO lotwrong.csv CSV
\copy (SELECT a.fid, b.fid, round(ST_Area(ST_Intersection(a.g,b.g))::numeric,3) FROM c a JOIN c b ON a.fid<b.fid AND ST_Intersects(a.g,b.g) WHERE ST_Area(ST_Intersection(a.g,b.g)) >= 0.5005) TO cloverlap.csv CSV
\copy (SELECT fid, round(ST_Area(g)::numeric,3) FROM p WHERE 4*pi()*ST_Area(g)/ST_Perimeter(g)^2 < 0.08 AND 2*ST_Area(g)/ST_Perimeter(g) <= 1) TO sliver.csv CSV
\copy (SELECT b.fid, a.fid FROM parcels a JOIN parcels b ON a.commune=b.commune AND a.sheet=b.sheet AND a.parcel_no=b.parcel_no AND a.fid<b.fid WHERE NOT EXISTS (SELECT 1 FROM parcels e WHERE e.commune=a.commune AND e.sheet=a.sheet AND e.parcel_no=a.parcel_no AND e.fid<a.fid) UNION ALL SELECT b.fid, a.fid FROM lots a JOIN lots b ON a.cluster=b.cluster AND a.lot_no=b.lot_no AND a.fid<b.fid WHERE NOT EXISTS (SELECT 1 FROM lots e WHERE e.cluster=a.cluster AND e.lot_no=a.lot_no AND e.fid<a.fid)) TO dup.csv CSV
\copy (SELECT m.fid, c.fid, round(ST_Distance(m.geom, ST_Boundary(c.g))::numeric,3) FROM markers m JOIN c ON c.code=m.cluster WHERE ST_Distance(m.geom, ST_Boundary(c.g)) >= 0.5005) TO markers.csv CSV
\copy (SELECT fid, round(abs(ST_Area(g)-area_legal)::numeric,3) FROM p WHERE area_legal>0 AND abs(ST_Area(g)-area_legal)/area_legal*100 > 5) TO legal.csv CSV
\copy (SELECT c.code, z.fid, round(ST_Area(ST_Intersection(c.g,z.g))::numeric,3) FROM c JOIN z ON ST_Intersects(c.g,z.g) WHERE z.landuse IN ('LUC','LUK','RPH','RDD') AND ST_Area(ST_Intersection(c.g,z.g))>=0.5005) TO protected.csv CSV
\copy (SELECT l.cluster, l.lot_no, l.use, round(ST_Area(l.g)::numeric,3) FROM l) TO lotarea.csv CSV
\copy (WITH li AS (SELECT cluster, lot_no, ST_Area(g) a FROM l WHERE use='industrial'), d AS (SELECT (g::date - 1) d FROM generate_series(date '2021-04-01', date '2027-01-01', interval '3 months') g), x AS (SELECT d.d, li.cluster, li.a, EXISTS (SELECT 1 FROM leases e WHERE e.cluster=li.cluster AND e.lot_no=li.lot_no AND e.start_date::date <= d.d AND (e.end_date IS NULL OR e.end_date::date > d.d)) leased FROM li, d) SELECT d, cluster, round(sum(CASE WHEN leased THEN a ELSE 0 END)::numeric,3), round((100*sum(CASE WHEN leased THEN a ELSE 0 END)/sum(a))::numeric,4) FROM x GROUP BY 1,2) TO series.csv CSV
CREATE TEMP TABLE h AS WITH u AS (SELECT ST_Union(g) g FROM p), r AS (SELECT (ST_DumpRings((ST_Dump(u.g)).geom)).* FROM u) SELECT ST_MakePolygon(ST_ExteriorRing(geom)) hg FROM r WHERE path[1]>0;
\copy (SELECT round(ST_Area(d)::numeric,3) FROM (SELECT (ST_Dump(CASE WHEN inner_g IS NULL THEN hg ELSE ST_Difference(hg, inner_g) END)).geom d FROM (SELECT h.hg, (SELECT ST_Union(p.g) FROM p WHERE p.g && h.hg AND ST_Relate(p.g, h.hg, 'T********')) inner_g FROM h) x) y WHERE ST_Area(d) < 50) TO gaps.csv CSV
-- the same pieces, each with its area and whether an erosion by 2.5 cm leaves nothing of it;
-- pieces touching at a point, one of them at most 0.5 m2 (ccn's rule), for the regions; and
-- which piece holds each of ccn's gap points
CREATE TEMP TABLE gp AS SELECT row_number() OVER () id, d g FROM (SELECT (ST_Dump(CASE WHEN inner_g IS NULL THEN hg ELSE ST_Difference(hg, inner_g) END)).geom d FROM (SELECT h.hg, (SELECT ST_Union(p.g) FROM p WHERE p.g && h.hg AND ST_Relate(p.g, h.hg, 'T********')) inner_g FROM h) x) y WHERE ST_Area(d) > 0;
CREATE INDEX ON gp USING gist(g);
\copy (SELECT id, ST_Area(g), ST_IsEmpty(ST_Buffer(g, -0.025)) FROM gp) TO gpieces.csv CSV
\copy (SELECT a.id, b.id FROM gp a JOIN gp b ON a.id < b.id AND a.g && b.g AND ST_Intersects(a.g, b.g) AND least(ST_Area(a.g), ST_Area(b.g)) <= 0.5) TO gpairs.csv CSV
CREATE TEMP TABLE cg (x float8, y float8, area float8);
\copy cg FROM ccngaps.csv CSV
\copy (SELECT cg.x, cg.y, cg.area, (SELECT min(gp.id) FROM gp WHERE ST_Intersects(gp.g, ST_SetSRID(ST_MakePoint(cg.x, cg.y), 5897))) FROM cg) TO gmatch.csv CSV
SQL
    python3 - "$data" "$w" <<'PY'
import csv, sys
data, w = sys.argv[1], sys.argv[2]
o, r = f"{data}/{w}.sq.", f"{data}/ref_{w}/"
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
    for k in sorted(set(a) & set(b)):
        if any(differ(x, y, tol) for x, y in zip(a[k], b[k])):
            bad.append(f"{k}: ccn {a[k]} PostGIS {b[k]}")
    print(f"{w}: {name}: ccn {len(a)} rows, PostGIS {len(b)}, {len(bad)} differ")
    for x in bad[:10]: print("   ", x)
cmp("areas (area_m2, ellipsoidal_m2, deviation_pct)", nz(load(o+"areas.csv", [0], [4, 6, 7], 1)), load(r+"areas.csv", [0], [1, 2, 3], 0))
cmp("areas --by use", nz(load(o+"areasuse.csv", [0, 1], [2], 1)), nz(load(r+"areasuse.csv", [0, 1], [2], 0)))
cmp("overlay", load(o+"overlay.csv", [0, 1], [2], 1), nz(load(r+"overlay.csv", [0, 1], [2], 0)))
cmp("overlay --by parcel", load(o+"overlayp.csv", [0, 5], [6], 1), nz(load(r+"overlayp.csv", [0, 1], [2], 0)))
cmp("parcels", load(o+"parcels.csv", [0, 1], [7, 8, 9, 10], 1), load(r+"parcels.csv", [0, 1], [2, 3, 4, 5], 0))
cmp("occupancy --by lot (area_m2)", load(o+"occlot.csv", [0, 1], [2, 3], 1), load(r+"lotarea.csv", [0, 1], [2, 3], 0))
cmp("occupancy --series quarter", {k: v for k, v in load(o+"series.csv", [0, 1], [2, 3], 1).items() if v[1] != ''},
    load(r+"series.csv", [0, 1], [2, 3], 0), tol=0.00015)
f = list(csv.DictReader(open(o+"check.csv")))
def find(code, key=lambda x: (x['layer'], x['fid'])):
    return {key(x): [x['area_m2']] for x in f if code(x)}
pair = lambda x: tuple(sorted((x['fid'], x['other_fid']), key=int))
cmp("check INVALID_GEOMETRY", find(lambda x: x['code'] == 'INVALID_GEOMETRY'), load(r+"invalid.csv", [0, 1], [2], 0))
po = {tuple(x[:2]): x[2:] for x in csv.reader(open(r+"poverlap.csv"))}
cmp("check PARCEL_OVERLAP (pairs wider than 5 cm)", find(lambda x: x['code'] == 'PARCEL_OVERLAP', pair),
    {k: v[:1] for k, v in po.items() if v[1] == 'wide'})
cmp("check EDGE_MISMATCH thin overlaps", find(lambda x: x['code'] == 'EDGE_MISMATCH' and 'thin overlap of' in x['message'], pair),
    {k: v[:1] for k, v in po.items() if v[1] == 'thin' and k not in
     find(lambda x: x['code'] == 'EDGE_MISMATCH' and 'overlap and gap' in x['message'], pair)})
# the length (half the perimeter, printed to 0.1 m) and largest width of each thin overlap:
# ccn bounds the width to a sixteenth of the 5 cm tolerance, printed to 1 mm
import re
thin = {pair(x): re.search(r'over ([0-9.]+) m, about ([0-9.]+) m wide', x['message']).groups() for x in f
        if x['code'] == 'EDGE_MISMATCH' and 'thin overlap of' in x['message'] and x['layer'] == 'parcels'}
cmp("check EDGE_MISMATCH thin overlaps (length, largest width within 3.6 mm)", {k: [v[0]] for k, v in thin.items() if k in po},
    {k: [po[k][2]] for k in thin if k in po}, tol=0.051)
bad = [f"{k}: ccn {v[1]} m, PostGIS's erosion {po[k][3]} m" for k, v in thin.items()
       if k in po and abs(float(v[1]) - float(po[k][3])) > 0.05 / 16 + 0.0005]
print(f"{w}: check EDGE_MISMATCH thin overlaps' largest width: {len(bad)} of {len(thin)} off by more than 3.6 mm")
for x in bad[:10]: print("   ", x)
cmp("check LOT_OVERLAP", find(lambda x: x['code'] == 'LOT_OVERLAP', pair), load(r+"loverlap.csv", [0, 1], [2], 0))
cmp("check LOT_OUTSIDE_CLUSTER", find(lambda x: x['code'] == 'LOT_OUTSIDE_CLUSTER', lambda x: (x['fid'],)), load(r+"lotout.csv", [0], [1], 0))
cmp("check LOT_WRONG_CLUSTER", find(lambda x: x['code'] == 'LOT_WRONG_CLUSTER', lambda x: (x['fid'], x['other_fid'])), load(r+"lotwrong.csv", [0, 1], [2], 0))
cmp("check CLUSTER_OVERLAP", find(lambda x: x['code'] == 'CLUSTER_OVERLAP', pair), load(r+"cloverlap.csv", [0, 1], [2], 0))
cmp("check SLIVER", find(lambda x: x['code'] == 'SLIVER', lambda x: (x['fid'],)), load(r+"sliver.csv", [0], [1], 0))
cmp("check DUPLICATE_ID", {(x['fid'], x['other_fid']): [] for x in f if x['code'] == 'DUPLICATE_ID'}, load(r+"dup.csv", [0, 1], [], 0))
cmp("check MARKER_MISMATCH (markers off the boundary: distance)",
    {(x['fid'], x['other_fid']): [re.search(r'lies ([0-9.]+) m from', x['message']).group(1)] for x in f
     if x['code'] == 'MARKER_MISMATCH' and x['layer'] == 'markers'}, load(r+"markers.csv", [0, 1], [2], 0))
cmp("check AREA_LEGAL_MISMATCH", find(lambda x: x['code'] == 'AREA_LEGAL_MISMATCH', lambda x: (x['fid'],)), load(r+"legal.csv", [0], [1], 0))
cmp("check PROTECTED_LAND", find(lambda x: x['code'] == 'PROTECTED_LAND', lambda x: (x['other_fid'],)), load(r+"protected.csv", [1], [2], 0))
g = [float(x[0]) for x in csv.reader(open(r+"gaps.csv"))]
gap = sum(float(x['area_m2']) for x in f if x['code'] == 'PARCEL_GAP' or (x['code'] == 'EDGE_MISMATCH' and 'thin gap of' in x['message']))
print(f"{w}: gaps: PostGIS {len(g)} uncovered pieces under 50 m2, {sum(g):.3f} m2 ({sum(1 for a in g if a >= 0.5)} of 0.5 m2 or more, "
      f"{sum(a for a in g if a >= 0.5):.3f} m2); ccn {sum(1 for x in f if x['code'] == 'PARCEL_GAP')} PARCEL_GAP and "
      f"{sum(1 for x in f if x['code'] == 'EDGE_MISMATCH' and 'thin gap of' in x['message'])} thin-gap EDGE_MISMATCH, {gap:.3f} m2")
# Regions as ccn groups faces (pieces touching at a point, one of them at most the 0.5 m2
# floor, are one), a gap when over 0.5 and under 50 m2, wide when a piece survives a 2.5 cm
# erosion: each of ccn's PARCEL_GAP against the region its point lies in, area for area.
area, thin, up = {}, {}, {}
for i, a, t in csv.reader(open(r+"gpieces.csv")):
    area[i], thin[i], up[i] = float(a), t == 't', i
def root(i):
    while up[i] != i: up[i] = up[up[i]]; i = up[i]
    return i
for a, b in csv.reader(open(r+"gpairs.csv")): up[root(a)] = root(b)
reg = {}
for i in area: reg.setdefault(root(i), []).append(i)
wide = {k: sum(area[i] for i in v) for k, v in reg.items()
        if 0.5005 <= sum(area[i] for i in v) < 49.9995 and not all(thin[i] for i in v)}
got = {}
for x, y, a, i in csv.reader(open(r+"gmatch.csv")):
    got.setdefault(root(i) if i else f"({x} {y})", []).append(float(a))
bad = [f"region {k}: ccn {got.get(k)}, PostGIS {wide.get(k)}" for k in sorted(set(wide) | set(got))
       if k not in wide or len(got.get(k, [])) != 1 or abs(got[k][0] - wide[k]) > 0.01]
print(f"{w}: gaps as regions (wide, 0.5-50 m2): ccn {sum(len(v) for v in got.values())} PARCEL_GAP, "
      f"PostGIS {len(wide)} regions, {sum(wide.values()):.3f} m2; {len(bad)} differ")
for x in bad[:10]: print("   ", x)
PY
done
