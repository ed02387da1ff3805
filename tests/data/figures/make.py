#!/usr/bin/env python3
"""The layers of tests/cli_figures.sh: adversarial cases in EPSG:5897 at
VN-2000 coordinates, whose figures were compared with PostGIS 3.3 (GEOS
3.11.1). Coordinates relative to (X0, Y0); axis-aligned ones exact in binary.
Run: python3 make.py tests/data/figures (writes the .geojson and .csv files)."""
import json, math, os, sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
os.makedirs(OUT, exist_ok=True)
X0, Y0 = 551200.0, 2191200.0


def pt(x, y):
    return [X0 + x, Y0 + y]


def box(x1, y1, x2, y2):
    return [pt(x1, y1), pt(x2, y1), pt(x2, y2), pt(x1, y2), pt(x1, y1)]


def ring(*xy):
    r = [pt(x, y) for x, y in xy]
    if r[0] != r[-1]:
        r.append(r[0])
    return r


def rot(points, cx, cy, deg):
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return [[X0 + cx + (x - cx) * c - (y - cy) * s, Y0 + cy + (x - cx) * s + (y - cy) * c]
            for x, y in points]


def poly(*rings):
    return {"type": "Polygon", "coordinates": list(rings)}


def mpoly(*polys):
    return {"type": "MultiPolygon", "coordinates": [p["coordinates"] for p in polys]}


def write(name, feats):
    # one feature a line
    with open(os.path.join(OUT, name), "w") as f:
        f.write('{"type": "FeatureCollection",\n"crs": {"type": "name", "properties": '
                '{"name": "urn:ogc:def:crs:EPSG::5897"}},\n"features": [\n')
        f.write(",\n".join(json.dumps({"type": "Feature", "properties": p, "geometry": g},
                                      ensure_ascii=False) for p, g in feats))
        f.write("\n]}\n")


# ---- plan zones
plan = [
    # P1 SKN with a hole filled by ONT and a second hole nobody covers
    ({"landuse": "SKN"}, poly(box(0, 0, 400, 300), box(150, 100, 200, 150)[::-1],
                              box(300, 200, 320, 220)[::-1])),
    ({"landuse": "ONT"}, poly(box(150, 100, 200, 150))),
    ({"landuse": "LUC"}, poly(box(400, 0, 600, 300))),
    # overlapping zone: overlaps P1 by 50x50 and LUC by 50x50
    ({"landuse": "SKN"}, poly(box(350, 250, 450, 350))),
    # east of a 10 m gap [600,610]
    ({"landuse": "SKN"}, poly(box(610, 0, 800, 300))),
    # invalid bow-tie zone
    ({"landuse": "CLN"}, poly(ring((800, 0), (900, 100), (900, 0), (800, 100)))),
    # NUA's zone
    ({"landuse": "SKN"}, poly(box(0, 380, 150, 620))),
    # rotated zones for TTH (the park, SKK), 17 degrees about (1500, 500)
    ({"landuse": "SKK"}, poly(rot([(1300, 300), (1550, 300), (1550, 700), (1300, 700), (1300, 300)],
                                  1500, 500, 17))),
    ({"landuse": "LUK"}, poly(rot([(1550, 300), (1800, 300), (1800, 700), (1550, 700), (1550, 300)],
                                  1500, 500, 17))),
    # a zone of a code outside landuse.csv, lower case
    ({"landuse": "skc"}, poly(box(0, 700, 80, 860))),
]
write("plan.geojson", plan)

# ---- clusters (codes from gis/clusters.csv)
tri_hole = [(20, 200), (60, 220), (60, 180), (20, 200)]  # touches the shell at (20, 200)
clusters = [
    ({"code": "DL3"}, mpoly(poly(box(20, 20, 380, 280), box(100, 60, 140, 100)[::-1], ring(*tri_hole)),
                            poly(box(420, 20, 480, 80)))),
    ({"code": "HT"}, poly(box(560, 50, 660, 150))),
    # bow-tie: two triangles of 10000 m2
    ({"code": "NUA"}, poly(ring((0, 400), (200, 600), (200, 400), (0, 600)))),
    # multipolygon whose parts overlap (50 x 50)
    ({"code": "DT"}, mpoly(poly(box(0, 700, 100, 800)), poly(box(50, 750, 150, 850)))),
    # one ring that runs over itself
    ({"code": "TN"}, poly(ring((300, 700), (500, 700), (500, 800), (350, 800), (350, 650),
                               (450, 650), (450, 750), (300, 750)))),
    # rotated park with two holes
    ({"code": "TTH"}, poly(rot([(1320, 320), (1780, 320), (1780, 680), (1320, 680), (1320, 320)], 1500, 500, 17),
                           rot([(1400, 400), (1400, 450), (1450, 450), (1450, 400), (1400, 400)], 1500, 500, 17),
                           rot([(1600, 400), (1600, 600), (1700, 600), (1700, 400), (1600, 400)], 1500, 500, 17))),
]
write("clusters.geojson", clusters)

# ---- parcels
P = []
def parcel(commune, sheet, no, landuse, owner, geom, legal=None):
    p = {"commune": commune, "sheet": sheet, "parcel_no": no, "landuse": landuse, "owner": owner}
    if legal is not None:
        p["area_legal"] = legal
    P.append((p, geom))

C = "15682"
parcel(C, 1, 1, "LUC", "A crosses by 1 mm", poly(box(0, 30, 20.001, 50)))
parcel(C, 1, 2, "LUC", "B touches an edge", poly(box(0, 60, 20, 80)))
parcel(C, 1, 3, "LUC", "C touches a corner", poly(box(0, 0, 20, 20)))
parcel(C, 1, 4, "ONT", "D inside the hole", poly(box(110, 70, 130, 90)))
parcel(C, 1, 5, "ONT", "E fills the hole", poly(box(100, 60, 140, 100)))
parcel(C, 1, 6, "LUC", "F with a hole", poly(box(200, 100, 260, 160), box(220, 120, 240, 140)[::-1]))
parcel(C, 1, 7, "LUC", "G over the pinched hole", poly(box(20, 180, 60, 220)))
parcel(C, 1, 8, "LUC", "H 1 mm short", poly(box(0, 100, 19.999, 120)))
parcel(C, 1, 9, "LUC", "I on DL3's second part", poly(box(470, 70, 500, 90)))
parcel(C, 1, 10, "LUC", "J bow-tie", poly(ring((370, 200), (390, 220), (390, 200), (370, 220))))
parcel(C, 1, 11, "LUC", "K two parts", mpoly(poly(box(300, 10, 310, 30)), poly(box(330, 250, 350, 290))))
parcel(C, 1, 12, "LUC", "L ring around HT", poly(box(500, 20, 700, 180), box(550, 40, 670, 160)[::-1]))
parcel(C, 1, 13, "ONT", "M in the plan gap", poly(box(600, 50, 610, 150)))
parcel(C, 1, 14, "LUC", "N over overlapping zones", poly(box(340, 240, 460, 260)))
parcel(C, 1, 15, "LUC", "O across the pinch point", poly(box(0, 190, 40, 210)))
parcel(C, 1, 16, "LUC", "P touches DL3 from its hole at a point", poly(box(140, 100, 150, 110)))
parcel(C, 2, 1, "LUC", "Q over the bow-tie NUA", poly(box(80, 450, 120, 550)))
parcel(C, 2, 2, "LUC", "R over overlapping DT parts", poly(box(40, 740, 110, 810)))
parcel(C, 2, 3, "LUC", "S over the self-crossing TN", poly(box(320, 690, 480, 790)))
parcel(C, 2, 4, "LUC", "T in TTH's hole", poly(rot([(1405, 405), (1405, 445), (1445, 445), (1445, 405), (1405, 405)], 1500, 500, 17)))
parcel(C, 2, 5, "LUK", "U across TTH's edge", poly(rot([(1500, 300), (1600, 300), (1600, 350), (1500, 350), (1500, 300)], 1500, 500, 17)))
parcel(C, 2, 6, "LUC", "V out and back", poly(ring((1000, 1000), (1050, 1000), (1100, 1000), (1050, 1000))))
parcel(C, 2, 7, "LUC", "W irregular", poly(ring((1310.123, 310.456), (1420.789, 295.321), (1455.5, 402.25),
                                            (1390.0625, 470.875), (1300.3, 420.7))))
parcel(C, 2, 8, "LUC", "X across TTH hole 2", poly(rot([(1650, 450), (1750, 450), (1750, 550), (1650, 550), (1650, 450)], 1500, 500, 17)))
# duplicate keys in two communes for lookup
parcel("15685", 1, 1, "ONT", "Y same key other commune", poly(box(150, 150, 160, 160)))
write("parcels.geojson", P)

# ---- lots
L = []
def lot(cluster, no, use, geom):
    p = {"cluster": cluster, "lot_no": no}
    if use is not None:
        p["use"] = use
    L.append((p, geom))

lot("DL3", "CN-01", None, poly(box(30, 200, 130, 270)))
lot("DL3", "cn-02", None, poly(box(140, 200, 200, 270)))
lot("DL3", "CN-03", None, poly(box(350, 100, 420, 150)))           # straddles DL3's edge
lot("DL3", "DV-01", None, poly(box(210, 200, 260, 270)))
lot("DL3", "GT01", None, poly(box(30, 160, 350, 175)))
lot("DL3", "KT-1", None, poly(box(270, 200, 290, 270)))
lot("DL3", "HT-2", None, poly(box(300, 200, 320, 270)))
lot("DL3", "CX 1", None, poly(box(330, 200, 370, 270)))
lot("DL3", "CN-04", "industrial", poly(box(430, 30, 470, 70)))      # on the second part
lot("HT", "CN-09", None, poly(box(640, 100, 700, 140)))             # straddles HT's edge
lot("HT", "CN-10", "Industrial", poly(box(570, 60, 620, 90)))   # use in another case
lot("NUA", "DV-01", None, poly(box(10, 450, 50, 550)))              # NUA: no industrial lot
lot("DT", "CN-01", "", poly(box(0, 700, 40, 740)))               # empty use: the prefix
lot("DT", "CN-02", None, poly(box(60, 760, 90, 790)))               # in DT's overlap
write("lots.geojson", L)

# ---- leases (some dates dd/mm/yyyy)
with open(os.path.join(OUT, "leases.csv"), "w") as f:
    f.write("cluster,lot_no,tenant,start_date,end_date,note\n")
    f.write("DL3,CN-01,Cty A,01/01/2024,30/06/2025,ends on the day\n")
    f.write("DL3,cn-02,Cty B,2025-06-30,,starts on the day\n")
    f.write("DL3,CN-03,Cty C,15/03/2022,2023-03-15,\n")
    f.write("DL3,CN-03,Cty D,2024-01-01,,\n")
    f.write("DL3,CN-04,Cty E,2025-07-01,2025-07-02,one day\n")
    f.write("HT,CN-09,Cty F,2023-01-01,,\n")
    f.write("DT,CN-02,Cty G,31/12/2024,01/01/2026,\n")
with open(os.path.join(OUT, "leases_bad.csv"), "w") as f:
    f.write("cluster,lot_no,tenant,start_date,end_date,note\n")
    f.write("HT,CN-10,Cty X,2024-01-01,2025-01-01,\n")
    f.write("HT,CN-10,Cty Y,2024-12-31,,overlaps\n")
    f.write("DT,CN-01,Cty Z,2025-01-01,2024-12-31,end before start\n")
    f.write("DT,CN-01,Cty Z,2025-01-01,2025-01-01,end on start\n")
    f.write("NUA,DV-01,Cty W,2025-01-01,,not industrial\n")
    f.write("DL3,CN-01,Cty V,31/02/2025,,bad date\n")
