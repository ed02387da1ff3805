#!/usr/bin/env bash
# xcheck_postgis_random.sh — ccn's figures against PostGIS on random hand-shaped
# worlds, not ccn-gen's: per seed, five clusters (star-shaped, some with a hole,
# some with a second part; TN overlapping HT), 75 plan zones (stars, and
# self-crossing rings) with codes in several cases ('skn', 'Skn', 'đtl'), ~500
# parcels: random ones, self-crossing ones, 300 m slivers nearly vertical or
# horizontal, triangles sharing an edge or only a vertex of a cluster's shell,
# and boxes along a shell edge with their vertices interpolated and rounded to
# the mm; and a lease world: random industrial and other lots (some reaching out
# of their cluster) with leases ending on quarter ends, starting the day another
# ends, in both date forms. Not a test (a few seconds a seed). Each workspace is
# built on SQLite and on PostgreSQL (a private cluster), and every report must be
# byte-identical on both; the reference is PostGIS SQL written from docs/design.md
# §6 on a copy of the SQLite workspace made by ogr2ogr (ST_MakeValid(g,
# 'method=structure'), ST_Area, ST_Area(ST_Transform(g, 4326)::geography),
# ST_Area(ST_Intersection(g, ST_Union(zones))) GROUP BY code, the uncovered part by ST_Difference
# with the zones' ST_Union, a parcel taken when its common area is 0.0005 m² or
# more; occupancy: whole industrial lots, a lease running when start <= D and
# (no end or end > D)).
#   tests/xcheck_postgis_random.sh [SEED...]     (default seeds 1 2 3)
# Env: CCN_BUILD_DIR (build). Data in /tmp/ccn-xcheck-random-SEED.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
build=${CCN_BUILD_DIR:-build}
ccn=$(realpath "$build/ccn")
[ $# -gt 0 ] || set -- 1 2 3
state=$(mktemp -u /tmp/ccn-xcheck-random.XXXXXX).state
tests/pg_cluster.sh start "$state" >/dev/null
trap 'tests/pg_cluster.sh stop "$state"' EXIT
# shellcheck disable=SC1090
. "$state"
psql_() { psql -X -q -h "$CCN_PG_DIR" -p "$CCN_PG_PORT" -U ccn -d ccn -v ON_ERROR_STOP=1 "$@"; }
ogr_pg() { echo "PG:host=$CCN_PG_DIR port=$CCN_PG_PORT user=ccn dbname=ccn active_schema=$1"; }

world() { # world SEED DIR: the GeoJSON layers and leases.csv
python3 - "$1" "$2" <<'PY'
import datetime, json, math, random, sys
random.seed(int(sys.argv[1]))
out = sys.argv[2]
X0, Y0 = 570000.0, 2190000.0
def star(cx, cy, r, n, jitter=0.5):
    pts = []
    for k in range(n):
        a = 2 * math.pi * k / n + random.uniform(-0.2, 0.2) / n
        rr = r * random.uniform(1 - jitter, 1)
        pts.append([round(X0 + cx + rr * math.cos(a), 3), round(Y0 + cy + rr * math.sin(a), 3)])
    return pts + [pts[0]]
def messy(cx, cy, r, n):
    p = [[round(X0 + cx + random.uniform(-r, r), 3), round(Y0 + cy + random.uniform(-r, r), 3)]
         for _ in range(n)]
    return p + [p[0]]
def box(x1, y1, x2, y2):
    return [[X0 + x1, Y0 + y1], [X0 + x2, Y0 + y1], [X0 + x2, Y0 + y2], [X0 + x1, Y0 + y2], [X0 + x1, Y0 + y1]]
def poly(*r): return {"type": "Polygon", "coordinates": list(r)}
def mpoly(*p): return {"type": "MultiPolygon", "coordinates": [q["coordinates"] for q in p]}
def write(name, feats):
    with open(f"{out}/{name}", "w") as f:
        json.dump({"type": "FeatureCollection", "crs": {"type": "name", "properties":
                   {"name": "urn:ogc:def:crs:EPSG::5897"}}, "features": [{"type": "Feature",
                   "properties": p, "geometry": g} for p, g in feats]}, f, ensure_ascii=False)
centres = {"DL3": (0, 0), "HT": (900, 0), "NUA": (0, 900), "DT": (900, 900), "TN": (1400, 100)}
clusters, shells = [], {}
for code, (cx, cy) in centres.items():
    s = shells[code] = star(cx, cy, 350, random.randint(5, 30), 0.4)
    rings = [s] + ([star(cx, cy, 60, 7, 0.3)[::-1]] if random.random() < 0.6 else [])
    p = poly(*rings)
    if random.random() < 0.5:
        p = mpoly(p, poly(star(cx + 300, cy + 330, 80, 6, 0.3)))
    clusters.append(({"code": code}, p))
write("clusters.geojson", clusters)
codes = ["SKN", "skn", "ONT", "LUC", "CLN", "đtl", "DGT", "Skn"]
zones = [({"landuse": random.choice(codes)}, poly(star(random.uniform(-400, 2200),
          random.uniform(-400, 1300), random.uniform(80, 300), random.randint(3, 12), 0.6)))
         for _ in range(60)]
zones += [({"landuse": random.choice(codes)}, poly(messy(random.uniform(-400, 2200),
           random.uniform(-400, 1300), 200, random.randint(4, 8)))) for _ in range(15)]
write("plan.geojson", zones)
parcels = [star(random.uniform(-400, 2200), random.uniform(-400, 1300), random.uniform(10, 60),
                random.randint(3, 8), 0.5) for _ in range(400)]
for code, s in shells.items():
    cx, cy = centres[code]
    for k in range(len(s) - 1):
        a, b = s[k], s[k + 1]
        dx, dy = (a[0] + b[0]) / 2 - X0 - cx, (a[1] + b[1]) / 2 - Y0 - cy
        d = math.hypot(dx, dy)
        ux, uy = dx / d, dy / d
        if k % 2 == 0:  # sharing the edge, or only the vertex a
            o = [a[0] + 20 * ux, a[1] + 20 * uy]
            parcels.append([a, o, b, a] if random.random() < 0.5 else
                           [a, b, [b[0] + 20 * ux, b[1] + 20 * uy], o, a])
            parcels.append([a, [a[0] + 15 * ux + 5, a[1] + 15 * uy],
                            [a[0] + 15 * ux, a[1] + 15 * uy + 5], a])
        else:  # along the edge, rounded to the mm, outside or inside
            t0, t1 = sorted(random.uniform(0, 1) for _ in range(2))
            sg = random.choice([1, -1])
            p0 = [round(a[0] + t0 * (b[0] - a[0]), 3), round(a[1] + t0 * (b[1] - a[1]), 3)]
            p1 = [round(a[0] + t1 * (b[0] - a[0]), 3), round(a[1] + t1 * (b[1] - a[1]), 3)]
            q1 = [round(p1[0] + sg * 10 * ux, 3), round(p1[1] + sg * 10 * uy, 3)]
            q0 = [round(p0[0] + sg * 10 * ux, 3), round(p0[1] + sg * 10 * uy, 3)]
            parcels.append([p0, p1, q1, q0, p0])
for _ in range(30):
    x, y = X0 + random.uniform(-400, 2200), Y0 + random.uniform(-400, 1300)
    e = random.choice([1e-3, 2e-3, 1e-2])
    parcels.append([[x, y], [x + e, y + 300], [x + e + 5, y + 300], [x + 5, y], [x, y]])
    parcels.append([[x, y], [x + 300, y + e], [x + 300, y + e + 0.01], [x, y + 0.01], [x, y]])
    parcels.append(messy(random.uniform(-400, 2200), random.uniform(-400, 1300), 40, random.randint(4, 7)))
write("parcels.geojson", [({"commune": "15682", "sheet": 1 + i // 100, "parcel_no": i % 100 + 1,
                            "landuse": "LUC", "owner": "x"}, poly(p)) for i, p in enumerate(parcels)])
# the lease world, east of the others
lots, leases = [], []
end_of = datetime.date(2027, 1, 1)
fmt = lambda t: t.strftime("%d/%m/%Y") if random.random() < 0.5 else t.isoformat()
for c, (cx, cy) in centres.items():
    for i in range(random.randint(0, 12)):
        use = random.choice(["industrial"] * 4 + ["service", "green", "road"])
        w, h = random.randint(20, 120), random.randint(20, 120)
        ox, oy = cx + random.uniform(-150, 150), cy + random.uniform(-150, 150)
        if random.random() < 0.15:
            ox += 300
        no = f"{'CN' if use == 'industrial' else 'DV'}-{i + 1:02d}"
        lots.append(({"cluster": c, "lot_no": no, "use": use}, poly(box(ox, oy, ox + w, oy + h))))
        if use != "industrial":
            continue
        d = datetime.date(2021, 1, 1) + datetime.timedelta(days=random.randint(0, 400))
        while d < end_of and random.random() < 0.8:
            n = random.choice([random.randint(1, 700), 0])
            e = d + datetime.timedelta(days=n) if n else None
            if e and random.random() < 0.3:
                q = datetime.date(e.year, (e.month - 1) // 3 * 3 + 1, 1) - datetime.timedelta(days=1)
                e = q if q > d else e
            leases.append(f"{c},{no},T{len(leases)},{fmt(d)},{fmt(e) if e else ''},")
            if not e:
                break
            d = e + datetime.timedelta(days=random.choice([0, 0, 1, 30, 200]))
write("lots.geojson", lots)
with open(f"{out}/leases.csv", "w") as f:
    f.write("cluster,lot_no,tenant,start_date,end_date,note\n" + "".join(x + "\n" for x in leases))
PY
}

days="2021-03-31 2022-02-28 2023-07-15 2024-02-29 2025-06-30 2026-01-01"
for seed in "$@"; do
    d=/tmp/ccn-xcheck-random-$seed
    rm -rf "$d" && mkdir -p "$d" && chmod 755 "$d"
    world "$seed" "$d"
    uri="$CCN_PG_URI&options=-csearch_path%3Dr$seed"
    for x in sq pg; do
        ws=$d/ws.sqlite; [ $x = pg ] && ws=$uri
        "$ccn" init "$ws" --district gis -q >/dev/null
        for l in clusters plan parcels lots; do "$ccn" import "$ws" "$d/$l.geojson" --as $l -q >/dev/null 2>&1; done
        "$ccn" lease "$ws" import "$d/leases.csv" >/dev/null
        "$ccn" areas "$ws" -q --format csv -o "$d/$x.areas.csv" 2>/dev/null
        "$ccn" overlay "$ws" -q --format csv -o "$d/$x.overlay.csv" 2>/dev/null
        "$ccn" overlay "$ws" -q --format csv --by parcel -o "$d/$x.overlayp.csv" 2>/dev/null
        "$ccn" parcels "$ws" -q --format csv --wide -o "$d/$x.parcels.csv" 2>/dev/null
        "$ccn" occupancy "$ws" -q --format csv --series quarter --from 1/1/2021 --to 31/12/2026 \
            -o "$d/$x.series.csv" 2>/dev/null
        for day in $days; do
            "$ccn" occupancy "$ws" -q --format csv --as-of $day 2>/dev/null | sed "s|^|$day,|"
        done >"$d/$x.asof.csv"
        for day in $days; do
            "$ccn" occupancy "$ws" -q --format csv --as-of $day --by lot 2>/dev/null | sed "s|^|$day,|"
        done >"$d/$x.lot.csv"
    done
    for f in areas overlay overlayp parcels series asof lot; do
        cmp -s "$d/sq.$f.csv" "$d/pg.$f.csv" && echo "seed $seed: $f SQLite = PostgreSQL" ||
            echo "seed $seed: $f DIFFERS between SQLite and PostgreSQL"
    done
    psql_ -c "CREATE SCHEMA ref$seed"
    for t in clusters parcels plan lots leases; do
        ogr2ogr -f PostgreSQL "$(ogr_pg "ref$seed")" "$d/ws.sqlite" $t -nln $t \
            -lco GEOMETRY_NAME=geom -lco FID=fid -nlt PROMOTE_TO_MULTI
    done
    (cd "$d" && psql_ -v s="ref$seed" -v days="{${days// /,}}" 2>&1 <<'SQL') | { grep -v NOTICE || true; }
SET search_path = :s, public;
CREATE TEMP TABLE c AS SELECT code, planned_ha, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM clusters WHERE geom IS NOT NULL;
CREATE TEMP TABLE p AS SELECT fid, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM parcels;
CREATE TEMP TABLE z AS SELECT landuse, CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END g FROM plan;
\copy (SELECT code, round(ST_Area(g)::numeric,3), round(ST_Area(ST_Transform(g,4326)::geography,true)::numeric,3), round(((ST_Area(g)/(planned_ha*1e4)-1)*100)::numeric,4) FROM c) TO ref.areas.csv CSV
CREATE TEMP TABLE ov AS SELECT c.code, z.landuse, ST_Area(ST_Intersection((SELECT c2.g FROM c c2 WHERE c2.code = c.code), ST_Union(z.g))) a, min(ST_Area(c.g)) ca FROM c JOIN z ON ST_Intersects(c.g, z.g) GROUP BY 1, 2 UNION ALL SELECT c.code, '', ST_Area(ST_Difference(c.g, coalesce((SELECT ST_Union(z.g) FROM z WHERE ST_Intersects(z.g, c.g)), 'SRID=5897;POLYGON EMPTY'::geometry))), ST_Area(c.g) FROM c;
\copy (SELECT code, landuse, round(a::numeric,3), round((100*a/ca)::numeric,4) FROM ov) TO ref.overlay.csv CSV
\copy (SELECT p.fid, z.landuse, round(ST_Area(ST_Intersection((SELECT p2.g FROM p p2 WHERE p2.fid = p.fid), ST_Union(z.g)))::numeric,3) FROM p JOIN z ON ST_Intersects(p.g, z.g) GROUP BY 1,2 UNION ALL SELECT p.fid, '', round(ST_Area(ST_Difference(p.g, coalesce((SELECT ST_Union(z.g) FROM z WHERE ST_Intersects(z.g, p.g)), 'SRID=5897;POLYGON EMPTY'::geometry)))::numeric,3) FROM p) TO ref.overlayp.csv CSV
\copy (SELECT c.code, p.fid, round(ST_Area(p.g)::numeric,3), round(ST_Area(ST_Intersection(p.g,c.g))::numeric,3), round((ST_Area(ST_Intersection(p.g,c.g))/ST_Area(p.g)*100)::numeric,4), round((ST_Area(p.g)-ST_Area(ST_Intersection(p.g,c.g)))::numeric,3) FROM c JOIN p ON ST_Intersects(c.g,p.g) AND ST_Area(ST_Intersection(p.g,c.g)) >= 0.0005) TO ref.parcels.csv CSV
CREATE TEMP TABLE li AS SELECT cluster, lot_no, ST_Area(CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_MakeValid(geom, 'method=structure') END) a FROM lots WHERE use = 'industrial';
CREATE TEMP TABLE d AS SELECT (g::date - 1) d FROM generate_series(date '2021-04-01', date '2027-01-01', interval '3 months') g UNION SELECT unnest(:'days'::date[]);
CREATE TEMP TABLE x AS SELECT d.d, li.cluster, li.lot_no, li.a, (SELECT e.tenant FROM leases e WHERE e.cluster = li.cluster AND e.lot_no = li.lot_no AND e.start_date::date <= d.d AND (e.end_date IS NULL OR e.end_date::date > d.d)) tenant FROM li, d;
\copy (SELECT d, cluster, round(sum(CASE WHEN tenant IS NOT NULL THEN a ELSE 0 END)::numeric,3), round(sum(a)::numeric,3), round((100*sum(CASE WHEN tenant IS NOT NULL THEN a ELSE 0 END)/sum(a))::numeric,4) FROM x GROUP BY 1,2) TO ref.occ.csv CSV
\copy (SELECT d, cluster, lot_no, round(a::numeric,3), tenant IS NOT NULL, coalesce(tenant, '') FROM x) TO ref.lot.csv CSV
SQL
    (cd "$d" && python3 - "$seed" <<'PY')
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
    print(f"seed {seed}: {name}: ccn {len(a)} rows, PostGIS {len(b)}, {len(bad)} differ")
    for x in bad[:10]: print("   ", x)
cmp("areas (area_m2, ellipsoidal_m2, deviation_pct)", nz(load("sq.areas.csv", [0], [4, 6, 7], 1)),
    load("ref.areas.csv", [0], [1, 2, 3], 0))
cmp("overlay (area_m2, share_pct)", load("sq.overlay.csv", [0, 1], [2, 3], 1),
    nz(load("ref.overlay.csv", [0, 1], [2, 3], 0)))
cmp("overlay --by parcel", load("sq.overlayp.csv", [0, 5], [6], 1), nz(load("ref.overlayp.csv", [0, 1], [2], 0)))
cmp("parcels (parcel_area, affected, affected_pct, remnant)", load("sq.parcels.csv", [0, 1], [7, 8, 9, 10], 1),
    load("ref.parcels.csv", [0, 1], [2, 3, 4, 5], 0))
ref = load("ref.occ.csv", [0, 1], [2, 3, 4], 0)
series = {k: [v[0], v[1]] for k, v in load("sq.series.csv", [0, 1], [2, 3], 1).items() if v[1] != ''}
cmp("occupancy --series quarter (leased_m2, occupancy_pct)", series,
    {k: [v[0], v[2]] for k, v in ref.items() if k in series or k[0][5:] in ("03-31", "06-30", "09-30", "12-31")},
    tol=0.00015)
asof = {(r[0], r[1]): [r[6], r[5], r[7]] for r in csv.reader(open("sq.asof.csv")) if r[1] != "cluster" and r[7] != ""}
days = {k[0] for k in asof} | {r[0] for r in csv.reader(open("sq.asof.csv"))}
cmp("occupancy --as-of (leased_m2, leasable_m2, occupancy_pct)", asof,
    {k: v for k, v in ref.items() if k[0] in days}, tol=0.00015)
lot = {(r[0], r[1], r[2]): [r[4], "t" if r[5] == "true" else "f", r[6]] for r in csv.reader(open("sq.lot.csv"))
       if r[1] != "cluster" and r[3] == "industrial"}
cmp("occupancy --by lot (area_m2, leased, tenant)", lot,
    {k: v for k, v in load("ref.lot.csv", [0, 1, 2], [3, 4, 5], 0).items() if k[0] in days})
PY
done
