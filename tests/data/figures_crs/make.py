#!/usr/bin/python3
"""The layers of tests/cli_figures_crs.sh: adversarial cases drawn in EPSG:5897
(relative to X0, Y0) and written in the CRS a land office may receive them in:
WGS 84 (GeoJSON without a crs member), VN-2000 geographic (EPSG:4756), VN-2000 /
TM-3 105-30 (EPSG:9209: GeoJSON, and a shapefile whose .prj is GDAL's ESRI WKT
without TOWGS84), TM-3 104-30 (EPSG:9207), VN-2000 / UTM 48N (EPSG:3405).
Coordinates transformed with GDAL/PROJ (osr, traditional GIS order).
Run with Debian's python3-gdal: /usr/bin/python3 make.py tests/data/figures_crs"""
import json, math, os, sys
from osgeo import ogr, osr
ogr.UseExceptions(); osr.UseExceptions()
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
os.makedirs(OUT, exist_ok=True)
X0, Y0 = 551200.0, 2191200.0


def box(x1, y1, x2, y2):
    return [(x1, y1), (x2, y1), (x2, y2), (x1, y2), (x1, y1)]


def rev(r):
    return r[::-1]


def rot(points, cx, cy, deg):
    a = math.radians(deg); c, s = math.cos(a), math.sin(a)
    return [(cx + (x - cx) * c - (y - cy) * s, cy + (x - cx) * s + (y - cy) * c) for x, y in points]


def srs(epsg):
    t = osr.SpatialReference(); t.ImportFromEPSG(epsg)
    t.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return t


_ct = {}
def xy(epsg, pts):
    """local EPSG:5897 points -> coordinates in epsg"""
    if epsg == 5897:
        return [[X0 + x, Y0 + y] for x, y in pts]
    if epsg not in _ct:
        _ct[epsg] = osr.CoordinateTransformation(srs(5897), srs(epsg))
    return [list(_ct[epsg].TransformPoint(X0 + x, Y0 + y)[:2]) for x, y in pts]


def geojson(name, epsg, feats):
    """feats: (properties, [polygon = [ring, ...], ...]); one polygon is a Polygon"""
    fs = []
    for props, polys in feats:
        c = [[xy(epsg, r) for r in p] for p in polys]
        g = {"type": "Polygon", "coordinates": c[0]} if len(c) == 1 else \
            {"type": "MultiPolygon", "coordinates": c}
        fs.append({"type": "Feature", "properties": props, "geometry": g})
    d = {"type": "FeatureCollection"}
    if epsg != 4326:
        d["crs"] = {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}}
    d["features"] = fs
    with open(os.path.join(OUT, name), "w") as f:
        f.write(json.dumps(d, ensure_ascii=False).replace("}}, {", "}},\n{") + "\n")


def shapefile(name, epsg, feats, fields):
    drv = ogr.GetDriverByName("ESRI Shapefile")
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    lyr = ds.CreateLayer(os.path.splitext(name)[0], srs(epsg), ogr.wkbPolygon, options=["ENCODING=UTF-8"])
    for n, t in fields:
        lyr.CreateField(ogr.FieldDefn(n, t))
    for props, polys in feats:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in props.items():
            f.SetField(k, v)
        g = ogr.Geometry(ogr.wkbMultiPolygon)
        for p in polys:
            pg = ogr.Geometry(ogr.wkbPolygon)
            for r in p:
                rg = ogr.Geometry(ogr.wkbLinearRing)
                for x, y in xy(epsg, r):
                    rg.AddPoint_2D(x, y)
                pg.AddGeometry(rg)
            g.AddGeometry(pg)
        f.SetGeometry(g if len(polys) > 1 else g.GetGeometryRef(0))
        lyr.CreateFeature(f)
    ds = None


# ---- clusters, one file each
# DL3: a shell with a hole and a second part, in WGS 84: 90000 - 2500 + 10000
geojson("clusters_4326.geojson", 4326, [({"code": "DL3"}, [[box(0, 0, 300, 300), rev(box(100, 100, 150, 150))],
                                                          [box(400, 0, 500, 100)]])])
# HT: [600,800]x[0,200] with repeated vertices (3 removed on import), TM-3 105-30
geojson("clusters_9209.geojson", 9209, [({"code": "HT"}, [[[(600, 0), (600, 0), (700, 0), (800, 0), (800, 0),
                                                            (800, 200), (600, 200), (600, 200), (600, 0)]]])])
# NUA: [800,1000]x[0,200], sharing HT's east edge, UTM 48N
geojson("clusters_3405.geojson", 3405, [({"code": "NUA"}, [[box(800, 0, 1000, 200)]])])
# DT: [0,300]x[400,700] with a hole [100,200]x[500,600]
geojson("clusters_5897.geojson", 5897, [({"code": "DT"}, [[box(0, 400, 300, 700), rev(box(100, 500, 200, 600))]])])
# TN: [400,600]^2 whose hole [550,650]x[450,550] crosses the shell (invalid), VN-2000 geographic
geojson("clusters_4756.geojson", 4756, [({"code": "TN"}, [[box(400, 400, 600, 600), rev(box(550, 450, 650, 550))]])])
# TTH: a 300 m square turned 17° about (1500, 500), TM-3 104-30 (1.0° from zone 482's meridian)
geojson("clusters_9207.geojson", 9207, [({"code": "TTH"}, [[rot(box(1350, 350, 1650, 650), 1500, 500, 17)]])])
# DT again with its rings left open: refused
geojson("clusters_unclosed.geojson", 5897, [({"code": "DT"}, [[box(0, 400, 300, 700)[:-1]]])])

# ---- lots
L5897, L4326 = [], []
def lot(c, no, use, polys, where=L5897):
    where.append(({"cluster": c, "lot_no": no, "use": use}, polys))
lot("DL3", "CN-01", "industrial", [[box(10, 10, 90, 90)]])
lot("DL3", "CN-02", "industrial", [[box(90, 10, 200, 90)]])        # shares CN-01's edge
lot("DL3", "CN-03", "industrial", [[box(120, 120, 180, 180)]])     # 900 in DL3's hole
lot("DL3", "CN-04", "industrial", [[box(250, 200, 350, 300)]])     # 5000 out of the shell
lot("DL3", "CN-05", "industrial", [[box(195, 5, 250, 60)]])        # overlaps CN-02 by 5 x 50
lot("DL3", "CN-06", "industrial", [[box(410, 10, 490, 90)]])       # on DL3's second part
lot("DL3", "CN-07", "industrial", [[box(210, 100, 240, 130)], [box(320, 100, 350, 130)]])  # one part out
lot("DL3", "CN-08", "industrial", [[box(250, 60, 290, 100)]])      # touches CN-05 at a corner
lot("DL3", "DV-01", "service", [[box(10, 200, 90, 290)]])
lot("DL3", "CX-01", "green", [[box(10, 100, 90, 190)]])
lot("DL3", "GT-01", "road", [[box(0, 92, 300, 98)]])               # overlaps CN-08 by 40 x 6
lot("DL3", "CN-09", "industrial", [[box(620, 20, 680, 80)]], L4326)  # lies in HT
lot("HT", "CN-01", "industrial", [[[(610, 10), (700, 10), (700, 10), (700, 190), (610, 190), (610, 190), (610, 10)]]])
lot("HT", "CN-02", "industrial", [[box(700, 10, 810, 100)]])       # 900 in NUA
lot("NUA", "CN-01", "industrial", [[[(850, 50), (950, 150), (950, 50), (850, 150), (850, 50)]]])  # bow-tie
lot("NUA", "CN-02", "industrial", [[box(820, 10, 840, 30)]], L4326)
lot("DT", "CN-01", "industrial", [[box(50, 450, 150, 550)]], L4326)  # 2500 in DT's hole
lot("DT", "CN-02", "industrial", [[box(120, 520, 180, 580)]], L4326) # in the hole
lot("DT", "CN-03", "industrial", [[box(200, 600, 300, 700)]], L4326) # touches the hole at a corner
lot("TN", "CN-01", "industrial", [[box(420, 420, 580, 580)]])
geojson("lots_5897.geojson", 5897, L5897)
geojson("lots_4326.geojson", 4326, L4326)

# ---- parcels (the short DBF field names)
P9209, P4326, P5897 = [], [], []
def parcel(where, commune, sheet, no, lu, polys, legal=None):
    p = {"MAXA": commune, "SHBANDO": sheet, "SHTHUA": no, "LOAIDAT": lu, "TENCHU": f"Chủ {no}"}
    if legal is not None:
        p["DIENTICH"] = legal
    where.append((p, polys))
K = "15682"
parcel(P9209, K, 1, 1, "LUC", [[box(780, 100, 820, 140)]])          # in HT and NUA
parcel(P9209, K, 1, 2, "LUC", [[box(250, 250, 350, 350), rev(box(280, 280, 320, 320))]])
parcel(P9209, K, 1, 3, "LUC", [[box(50, 150, 60, 160)], [box(120, 120, 130, 130)]])  # one part in DL3's hole
parcel(P9209, K, 1, 4, "ONT", [[box(110, 105, 140, 140)]])           # in DL3's hole
parcel(P9209, K, 1, 5, "LUC", [[box(300, 300, 320, 320)]])           # DL3's corner
parcel(P9209, K, 1, 6, "LUC", [[box(300, 100, 400, 200)]])           # DL3's edge
parcel(P9209, K, 1, 7, "LUC", [[box(500, 300, 550, 350)]])
parcel(P9209, K, 1, 8, "LUC", [[box(548, 348, 600, 400)]])           # overlaps 7 by 2 x 2
parcel(P9209, K, 1, 9, "LUC", [[box(0, -60, 50, -10)]])
parcel(P9209, K, 1, 10, "LUC", [[box(50, -110, 100, -60)]])          # touches 9 at a corner
parcel(P9209, K, 1, 11, "LUC", [[[(280, 50), (320, 90), (320, 50), (280, 90), (280, 50)]]])  # bow-tie on DL3's edge
parcel(P9209, K, 1, 12, "LUC", [[[(620, 120), (680, 120), (680, 120), (680, 180), (620, 180), (620, 120)]]], 3600)
parcel(P9209, K, 1, 13, "LUC", [[box(480, 40, 520, 60)]])            # DL3's second part's edge
parcel(P9209, K, 1, 14, "LUK", [[rot(box(1600, 400, 1700, 500), 1500, 500, 17)]])  # across TTH
parcel(P9209, K, 1, 15, "DTL", [[box(0, -200, 60, -199.7)]])         # a sliver
parcel(P9209, K, 1, 16, "LUC", [[box(700, 150, 900, 160)]], 1000)    # HT and NUA; 1000 on record
K2 = "15685"
parcel(P4326, K2, 1, 1, "LUC", [[box(0, 380, 100, 420)]])            # DT's edge
parcel(P4326, K2, 1, 2, "LUC", [[box(150, 550, 250, 650)]])          # over DT's hole
parcel(P4326, K2, 1, 3, "ONT", [[box(700, 300, 730, 330)]], 1000)    # 900 mapped
parcel(P4326, K2, 1, 4, "LUC", [[box(250, 280, 320, 380)], [box(380, 80, 420, 120)]])  # DL3's two parts
parcel(P5897, "15686", 1, 1, "LUC", [[[(560, 420), (560, 420), (620, 420), (620, 480), (560, 480), (560, 420)]]])
parcel(P5897, "15686", 1, 2, "LUC", [[box(590, 500, 640, 560)]])
shapefile("parcels_9209.shp", 9209, P9209,
          [("MAXA", ogr.OFTString), ("SHBANDO", ogr.OFTInteger), ("SHTHUA", ogr.OFTInteger),
           ("LOAIDAT", ogr.OFTString), ("TENCHU", ogr.OFTString), ("DIENTICH", ogr.OFTReal)])
geojson("parcels_4326.geojson", 4326, P4326)
geojson("parcels_5897.geojson", 5897, P5897)

# ---- plan, UTM 48N
Z = [("SKN", [[box(-50, -50, 1050, 350), rev(box(0, 0, 100, 100))]]),
     ("LUC", [[box(0, 0, 100, 100)]]),                  # fills zone 1's hole
     ("SKN", [[box(-50, 350, 700, 750)]]),
     ("RPH", [[box(350, 350, 450, 450)]]),              # overlaps zone 3
     ("SKK", [[rot(box(1300, 300, 1700, 700), 1500, 500, 17)]]),
     ("ONT", [[box(250, 600, 320, 800)]])]              # overlaps zone 3 in part
geojson("plan_3405.geojson", 3405, [({"landuse": c}, g) for c, g in Z])

with open(os.path.join(OUT, "leases.csv"), "w") as f:
    f.write("cluster,lot_no,tenant,start_date,end_date,note\n"
            "DL3,CN-01,A,2023-01-01,2025-01-01,\n"
            "DL3,CN-04,B,2024-06-30,,\n"
            "DL3,CN-07,C,2022-01-01,2024-06-30,\n"
            "DL3,CN-09,D,2024-01-01,,\n"
            "HT,CN-02,E,2024-06-30,2024-07-01,\n"
            "NUA,CN-01,F,2023-05-05,,\n"
            "DT,CN-02,G,2021-01-01,,\n"
            "TN,CN-01,H,2025-01-01,2026-01-01,\n")
