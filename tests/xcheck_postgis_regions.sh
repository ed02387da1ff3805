#!/usr/bin/env bash
# xcheck_postgis_regions.sh — a second, independent reading of ccn check's gaps,
# overlaps and edge mismatches, and of ccn areas, against PostGIS, on a folder
# tests/xcheck_postgis.sh has filled. Not a test. Where xcheck_postgis.sh takes
# the holes of ST_Union as they are, this one applies the design's snap first
# (docs/design.md §7, src/coverage.h step 1), in SQL, not by ccn:
#   - every vertex becomes the lexicographically smallest vertex within 0.1 µm, its own
#     or a neighbour's, and each ring is split at the other parcels' vertices within
#     0.1 µm of its edges (ST_Snap);
#   - the uncovered faces of the snapped parcels are the faces of their union's rings
#     (ST_Polygonize) that no parcel covers and that lie in a hole of one of the union's
#     polygons (land enclosed by parcels touching at points is outside them: no gap);
#   - faces sharing a point, one of them 0.5 m² or less, are one region; a region of
#     50 m² or more is no gap;
#   - a region is wide when some face of it survives an erosion by 2.5 cm (edge_tol_m / 2).
# Widths are ST_MaximumInscribedCircle's, taken in 0.7 m windows round the 0.5 m cells
# the boundary passes (its tolerance is the extent / 1000: 0.7 mm in a window, 3 cm on
# a 30 m strip), the largest over the windows: every circle under 5 cm fits in one.
# Thin gaps are named after the two parcels their largest face runs along
# furthest (as ccn names them) and added, per pair, to the pair's thin overlap,
# as ccn's EDGE_MISMATCH does; each pair's area, length (half the perimeter)
# and largest width are compared.
#   tests/xcheck_postgis_regions.sh DATA [WS]   (WS: noisy, the default, clean or s)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=$(realpath "${1:?usage: xcheck_postgis_regions.sh DATA [WS]}")
w=${2:-noisy}
[ -f "$data/$w.sqlite" ] && [ -f "$data/$w.sq.check.csv" ] ||
    { echo "$data: run tests/xcheck_postgis.sh first" >&2; exit 2; }
out=$data/ind_$w
mkdir -p "$out"
chmod 777 "$out"
state=$out/pg.state
"$root/tests/pg_cluster.sh" start "$state" >/dev/null
trap '"$root/tests/pg_cluster.sh" stop "$state"' EXIT
# shellcheck disable=SC1090
. "$state"
psql_() { psql -X -q -h "$CCN_PG_DIR" -p "$CCN_PG_PORT" -U ccn -d ccn -v ON_ERROR_STOP=1 "$@"; }
psql_ -c "CREATE EXTENSION IF NOT EXISTS postgis" 2>/dev/null
for t in clusters parcels; do
    ogr2ogr -f PostgreSQL "PG:host=$CCN_PG_DIR port=$CCN_PG_PORT user=ccn dbname=ccn" \
        "$data/$w.sqlite" $t -nln $t -lco GEOMETRY_NAME=geom -lco FID=fid -nlt PROMOTE_TO_MULTI
done
cat >"$out/cmp.py" <<'PY'
import csv, re, sys
o, r, w, mode = sys.argv[1:5]
TOL, FLOOR, GAPMAX = 0.05, 0.5, 50
rows = lambda f: list(csv.reader(open(r + f)))
f = list(csv.DictReader(open(o + "check.csv")))
def report(name, bad, n):
    print(f"{w}: {name}: {n} compared, {len(bad)} differ")
    for x in bad[:12]: print("   ", x)
# regions of the snapped union's holes
hole = {i: (float(a), t == "t", float(l)) for i, a, t, l in rows("holes.csv")}
up = {i: i for i in hole}
def root(i):
    while up[i] != i: up[i] = up[up[i]]; i = up[i]
    return i
for a, b in rows("touch.csv"): up[root(a)] = root(b)
reg = {}
for i in hole: reg.setdefault(root(i), []).append(i)
def measure(k): return sum(hole[i][0] for i in reg[k]), sum(hole[i][2] for i in reg[k])
def named(k):
    big = max(reg[k], key=lambda i: hole[i][0])
    best = sorted(along.get(big, []), key=lambda x: (-x[0], x[1]))[:2]
    return tuple(str(fid) for _, fid in sorted(best, key=lambda x: x[1])) if len(best) == 2 else None
gaps = {k: v for k, v in reg.items() if FLOOR + 0.0005 <= measure(k)[0] < GAPMAX - 0.0005}  # as printed (design §7)
wide = {k for k, v in gaps.items() if not all(hole[i][1] for i in v)}
if mode == "need":  # the holes of the thin gap regions, to name and measure
    with open(r + "need.csv", "w") as out:
        out.writelines(f"{i}\n" for k, v in gaps.items() if k not in wide for i in v)
    sys.exit(0)
along, mic = {}, {i: float(m) for i, m in rows("mic.csv")}
for i, fid, l in rows("along.csv"): along.setdefault(i, []).append((float(l), int(fid)))
# areas: planar and ellipsoidal, ccn's against ST_Area(geom) and ST_Area(geography)
ca = {x["code"]: x for x in csv.DictReader(open(o + "areas.csv"))}
bad = []
for code, a, e, av, valid in rows("areas.csv"):
    x = ca.get(code)
    planar = float(a) if valid == "t" else float(av)
    if not x or abs(float(x["area_m2"]) - planar) > 0.0015 or abs(float(x["ellipsoidal_m2"]) - float(e)) > 0.0015:
        bad.append(f"{code}: ccn {x and (x['area_m2'], x['ellipsoidal_m2'])}, PostGIS {planar:.3f} {float(e):.3f}"
                   + ("" if valid == "t" else " (invalid: ST_MakeValid structure)"))
report("areas (area_m2, ellipsoidal_m2 against ST_Area of geometry and geography)", bad, len(ca))
at = {int(k): i for k, i in rows("points.csv")}
def where(k):
    return root(at[k]) if at.get(k) else None
got = {}
for k, x in enumerate(f):
    if x["code"] == "PARCEL_GAP" and x["layer"] == "parcels":
        got.setdefault(where(k) or f"({x['x']} {x['y']})", []).append(float(x["area_m2"]))
bad = []
for k in sorted(set(wide) | set(got), key=str):
    a = measure(k)[0] if k in wide else None
    if a is None or len(got.get(k, [])) != 1 or abs(got[k][0] - a) > 0.01:
        bad.append(f"region {k}: ccn {got.get(k)}, PostGIS {a and round(a, 4)}"
                   + (f" (thin, {measure(k)[0]:.3f} m2)" if k in gaps and k not in wide else ""))
report(f"PARCEL_GAP against the snapped union's wide holes ({len(wide)} regions, "
       f"{sum(measure(k)[0] for k in wide):.3f} m2)", bad, len(set(wide) | set(got)))
# edge mismatches per pair: the thin overlap and the thin gaps named after it
pair = lambda x: tuple(sorted((x["fid"], x["other_fid"]), key=int))
exp = {}
def add(k, a, l, m, kind):
    e = exp.setdefault(k, [0.0, 0.0, 0.0, set()])
    e[0] += a; e[1] += l; e[2] = max(e[2], m); e[3].add(kind)
# thin: nothing left after an erosion by 2.5 cm (the design's test); the inscribed circle
# (to 0.7 mm below) must say the same but within 0.7 mm of 5 cm
wideov, amb, odd = {}, 0, []
for a, b, ar, l, m, t in rows("overlaps.csv"):
    ar, l, m = float(ar), float(l), float(m)
    amb += abs(m - TOL) < 0.0007
    if (m >= TOL) == (t == "t") and abs(m - TOL) >= 0.0007:
        odd.append(f"({a}, {b}): inscribed circle {m:.4f} m, erosion by 2.5 cm {'empty' if t == 't' else 'not empty'}")
    if t != "t": wideov[(a, b)] = ar
    else: add((a, b), ar, l, m, "overlap")
report("overlaps whose inscribed circle and erosion disagree beyond 0.7 mm", odd, len(rows("overlaps.csv")))
for k, v in gaps.items():
    if k in wide or not named(k): continue
    add(named(k), *measure(k), max(mic[i] for i in v), "gap")
ov = {pair(x): float(x["area_m2"]) for x in f if x["code"] == "PARCEL_OVERLAP"}
bad = [f"{k}: ccn {ov.get(k)}, PostGIS {wideov.get(k) and round(wideov[k], 4)}" for k in sorted(set(ov) | set(wideov), key=lambda k: tuple(map(int, k)))
       if k not in ov or k not in wideov or abs(ov[k] - wideov[k]) > 0.0015]
report(f"PARCEL_OVERLAP against ST_Area(ST_Intersection) of the pairs an erosion by 2.5 cm leaves something of "
       f"({amb} overlaps within 0.7 mm of 5 cm)", bad, len(set(ov) | set(wideov)))
em = {}
for x in f:
    if x["code"] == "EDGE_MISMATCH" and x["layer"] == "parcels":
        m = re.search(r"thin (overlap and gap|gap|overlap) of ([0-9.]+) m² over ([0-9.]+) m, about ([0-9.]+) m wide", x["message"])
        em[pair(x)] = (m.group(1), float(m.group(2)), float(m.group(3)), float(m.group(4)))
bad, wbad, lbad, spread = [], [], [], []
for k in sorted(set(em) | set(exp), key=lambda k: tuple(map(int, k))):
    e = exp.get(k)
    kind = e and " and ".join(sorted(e[3], reverse=True))  # ccn's "overlap and gap"
    if k not in em or not e or abs(em[k][1] - e[0]) > 0.01 or em[k][0] != kind:
        bad.append(f"{k}: ccn {em.get(k)}, PostGIS {e and (kind, round(e[0], 4), round(e[1], 2), round(e[2], 4))}")
        continue
    if abs(em[k][2] - e[1]) > 0.051 + 0.001 * e[1]:
        lbad.append(f"{k}: ccn over {em[k][2]} m, PostGIS half perimeter {e[1]:.3f} m")
    spread.append(em[k][3] - e[2])
    if not abs(em[k][3] - e[2]) <= TOL / 32 + 0.0005 + 0.0006:
        wbad.append(f"{k}: ccn about {em[k][3]} m wide, PostGIS's inscribed circle {e[2]:.4f} m")
# a thin gap ccn names after other neighbours than the longest two here (near ties along a gap
# network): the same region if the kind, area and length are the same
only_c = [k for k in em if k not in exp]
only_p = [k for k in exp if k not in em]
renamed = 0
for k in only_c:
    for j in only_p:
        e = exp[j]
        if em[k][0] == "gap" and e[3] == {"gap"} and abs(em[k][1] - e[0]) <= 0.001 and abs(em[k][2] - e[1]) <= 0.051 and set(k) & set(j):
            only_p.remove(j); renamed += 1
            bad = [x for x in bad if not x.startswith((f"{k}:", f"{j}:"))]
            break
report(f"EDGE_MISMATCH pairs (kind and area: thin overlap + thin gaps named after the pair; "
       f"{renamed} gaps named after another neighbour, same area and length)", bad, len(set(em) | set(exp)))
report("EDGE_MISMATCH length (half the perimeter, within 5 cm + 0.1 %)", lbad, len(spread))
spread.sort()
q = lambda p: spread[min(len(spread) - 1, int(p * len(spread)))] if spread else float("nan")
report(f"EDGE_MISMATCH largest width (ccn's bisection to 1/16 of 5 cm, printed to 1 mm: ccn - inscribed circle within 2.7 mm; "
       f"min {q(0) * 1000:.2f}, median {q(0.5) * 1000:.2f}, max {q(1) * 1000:.2f} mm)", wbad, len(spread))
PY
# ccn's gap and edge-mismatch points (by row), to find the holes they lie in
python3 -c 'import csv, sys
w = csv.writer(sys.stdout)
for k, x in enumerate(csv.DictReader(open(sys.argv[1]))):
    if x["layer"] == "parcels" and x["code"] in ("PARCEL_GAP", "EDGE_MISMATCH"): w.writerow([k, x["x"], x["y"]])' \
    "$data/$w.sq.check.csv" >"$out/ccnpoints.csv"
(cd "$out" && psql_ 2>&1 <<'SQL') | { grep -v NOTICE || true; }
CREATE TABLE p AS SELECT fid, ST_Multi(CASE WHEN ST_IsValid(geom) THEN geom ELSE ST_CollectionExtract(ST_MakeValid(geom, 'method=structure'), 3) END) g FROM parcels;
CREATE INDEX ON p USING gist(g);
\copy (SELECT code, ST_Area(geom), ST_Area(ST_Transform(geom, 4326)::geography), ST_Area(ST_MakeValid(geom, 'method=structure')), ST_IsValid(geom) FROM clusters WHERE geom IS NOT NULL) TO areas.csv CSV
-- the largest inscribed circle's diameter, in windows of 0.7 m round the 0.5 m cells
-- the boundary passes (sampled every 5 cm): a circle under 5 cm wide touches the
-- boundary within 2.5 cm of a sample and lies within 7.5 cm of it
CREATE FUNCTION mic(g geometry) RETURNS float8 LANGUAGE sql AS $$
    SELECT coalesce(max((ST_MaximumInscribedCircle(c)).radius) * 2, 0)
    FROM (SELECT DISTINCT floor(ST_X(d.geom) / 0.5) i, floor(ST_Y(d.geom) / 0.5) j
          FROM ST_DumpPoints(ST_Segmentize(ST_Boundary(g), 0.05)) d) cells,
         LATERAL (SELECT ST_CollectionExtract(ST_Intersection(g, ST_MakeEnvelope(i * 0.5 - 0.1, j * 0.5 - 0.1,
                                                                              i * 0.5 + 0.6, j * 0.5 + 0.6, ST_SRID(g))), 3) c) w
    WHERE NOT ST_IsEmpty(c) $$;
-- overlaps of every pair over the 0.5 m2 floor (as ccn prints them: 0.5005 and over)
\copy (SELECT a, b, ST_Area(g), ST_Perimeter(g) / 2, mic(g), ST_IsEmpty(ST_Buffer(g, -0.025)) FROM (SELECT a.fid a, b.fid b, ST_CollectionExtract(ST_Intersection(a.g, b.g), 3) g FROM p a JOIN p b ON a.fid < b.fid AND a.g && b.g AND ST_Intersects(a.g, b.g)) x WHERE ST_Area(g) >= 0.5005) TO overlaps.csv CSV
-- the snap (coverage.h step 1): every vertex becomes the lexicographically smallest vertex
-- within 0.1 µm, its own or a neighbour's; then each ring is split at the other polygons'
-- vertices within 0.1 µm of its edges (ST_Snap snaps segments to the reference's vertices)
CREATE TEMP TABLE v AS SELECT fid, (d).path, (d).geom pt FROM (SELECT fid, ST_DumpPoints(g) d FROM p) x;
CREATE INDEX ON v USING gist(pt);
CREATE TEMP TABLE vs AS SELECT v.fid, v.path, (SELECT w.pt FROM v w WHERE ST_DWithin(w.pt, v.pt, 0.0000001) ORDER BY ST_X(w.pt), ST_Y(w.pt) LIMIT 1) pt FROM v;
CREATE TEMP TABLE ring AS SELECT fid, path[1] part, path[2] r, ST_MakeLine(pt ORDER BY path[3]) l FROM vs GROUP BY 1, 2, 3;
CREATE TEMP TABLE ps0 AS SELECT fid, ST_Collect(ST_MakePolygon(shell, holes)) g FROM (SELECT fid, part, (array_agg(l ORDER BY r))[1] shell, coalesce((array_agg(l ORDER BY r))[2:], '{}') holes FROM ring GROUP BY 1, 2) x GROUP BY 1;
CREATE INDEX ON ps0 USING gist(g);
CREATE TEMP TABLE ps AS SELECT a.fid, coalesce(ST_Snap(a.g, (SELECT ST_Collect(ST_Points(b.g)) FROM ps0 b WHERE b.fid <> a.fid AND b.g && ST_Expand(a.g, 0.0000002)), 0.0000001), a.g) g FROM ps0 a;
-- the uncovered faces of the snapped parcels: the faces of their union's rings that no parcel
-- covers and that lie in a hole of one of the union's polygons (land enclosed by parcels
-- touching at points, which GEOS's union draws as outside them, is no gap)
CREATE TEMP TABLE u AS SELECT ST_Union(ST_MakeValid(g)) u FROM ps;
CREATE TEMP TABLE uh AS SELECT ST_MakePolygon(ST_ExteriorRing(r.geom)) g FROM u, ST_Dump(u.u) d, ST_DumpRings(d.geom) r WHERE r.path[1] > 0;
CREATE INDEX ON uh USING gist(g);
CREATE TABLE hp AS SELECT row_number() OVER () id, d.geom g FROM u, (SELECT ST_Polygonize(ST_UnaryUnion(ST_Boundary(u))) f FROM u) x, ST_Dump(x.f) d WHERE NOT ST_Intersects(ST_PointOnSurface(d.geom), u.u) AND ST_Area(d.geom) > 0 AND EXISTS (SELECT 1 FROM uh WHERE uh.g && d.geom AND ST_Within(ST_PointOnSurface(d.geom), uh.g));
CREATE INDEX ON hp USING gist(g);
\copy (SELECT id, ST_Area(g), ST_IsEmpty(ST_Buffer(g, -0.025)), ST_Perimeter(g) / 2 FROM hp) TO holes.csv CSV
-- faces that share a point, one of them 0.5 m2 or less, are one region
\copy (SELECT a.id, b.id FROM hp a JOIN hp b ON a.id < b.id AND a.g && b.g AND ST_Intersects(a.g, b.g) AND least(ST_Area(a.g), ST_Area(b.g)) <= 0.5) TO touch.csv CSV
CREATE TEMP TABLE cg (k int, x float8, y float8);
\copy cg FROM ccnpoints.csv CSV
\copy (SELECT cg.k, (SELECT min(id) FROM hp WHERE ST_DWithin(hp.g, ST_SetSRID(ST_MakePoint(cg.x, cg.y), 5897), 0.0002)) FROM cg) TO points.csv CSV
SQL
# the holes of the thin gap regions (listed by the comparison's first pass): the parcels along
# them, by length of boundary within 0.2 mm, and their largest inscribed circles
python3 - "$data/$w.sq." "$out/" "$w" need <"$out/cmp.py"
(cd "$out" && psql_ 2>&1 <<'SQL') | { grep -v NOTICE || true; }
CREATE TEMP TABLE need (id bigint PRIMARY KEY);
\copy need FROM need.csv CSV
\copy (SELECT hp.id, p.fid, ST_Length(ST_Intersection(ST_Boundary(hp.g), ST_Buffer(p.g, 0.0002))) FROM hp JOIN need USING (id) JOIN p ON ST_DWithin(hp.g, p.g, 0.0002)) TO along.csv CSV
\copy (SELECT id, mic(g) FROM hp JOIN need USING (id)) TO mic.csv CSV
SQL
python3 - "$data/$w.sq." "$out/" "$w" compare <"$out/cmp.py"
exit
