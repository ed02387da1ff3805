#!/usr/bin/python3
"""qgis_check.py — open what ccn wrote with QGIS itself (3.22, offscreen) and
check it: the project loads with every layer valid, in the workspace CRS;
each layer's renderer is the expected kind with the palette's colours; a
bookmark per cluster; each print layout exports to PDF holding its title;
the bare workspace opens with the same styles. Prints "ok ..." / "FAIL ...";
exit status 1 on any failure.

usage: qgis_check.py project PROJECT.qgz WS PALETTE.csv OUTDIR CLUSTERS
       qgis_check.py workspace WS PALETTE.csv
       qgis_check.py gpkg FILE.gpkg LAYER PALETTE.csv
CLUSTERS: code:name,... of the clusters with a boundary."""
import csv, os, re, subprocess, sys, urllib.parse

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsProject, QgsVectorLayer, QgsDataSourceUri,  # noqa: E402
                       QgsLayoutExporter)

failed = 0


def check(cond, what):
    global failed
    print(("ok " if cond else "FAIL ") + what)
    if not cond:
        failed += 1


def palette(path):
    """key -> #rrggbb: gis/palette.csv, with landuse.csv's colours for codes it lacks."""
    colours = {}
    landuse = os.path.join(os.path.dirname(path), "landuse.csv")
    if os.path.exists(landuse):
        for row in csv.DictReader(open(landuse, encoding="utf-8")):
            if row.get("color"):
                colours["landuse." + row["code"]] = row["color"].lower()
    if os.path.exists(path):
        for row in csv.DictReader(open(path, encoding="utf-8")):
            colours[row["key"]] = row["color"].lower()
    return colours


# What each layer must look like: renderer kind, then {category value: palette key}.
LOT_STATUS = {"leased": "lot.leased", "vacant": "lot.vacant", "service": "lot.service",
              "green": "lot.green", "road": "lot.road", "utility": "lot.utility"}
LOT_USE = {"industrial": "lot.vacant", "service": "lot.service", "green": "lot.green",
           "road": "lot.road", "utility": "lot.utility"}
# The legend's names of the lots other than industrial (gis/palette.csv's labels)
USE_LABELS = {"service": "Đất dịch vụ", "green": "Đất cây xanh", "road": "Đất giao thông",
              "utility": "Đất hạ tầng kỹ thuật"}
EXPECTED = {
    "clusters": ("singleSymbol", "cluster.boundary"),
    "lots_status": ("categorizedSymbol", LOT_STATUS),
    "lots": ("categorizedSymbol", LOT_USE),
    "plan": ("categorizedSymbol", "landuse"),
    "parcels": ("categorizedSymbol", "landuse"),
    "communes": ("singleSymbol", "commune.boundary"),
    "markers": ("singleSymbol", None),
    "findings": ("categorizedSymbol", {"error": "finding.error", "warning": "finding.warning"}),
}
LABELLED = {"clusters", "lots_status", "lots", "communes", "markers", "findings"}


def table_of(layer):
    return QgsDataSourceUri(layer.source()).table()


def symbol_colour(symbol):
    """The colour a person sees: the fill, or the outline of an unfilled polygon."""
    sl = symbol.symbolLayer(0)
    props = sl.properties()
    if props.get("style") == "no":
        return sl.strokeColor().name()
    return symbol.color().name()


def check_style(layer, colours, table=None):
    table = table or table_of(layer)
    kind, want = EXPECTED[table]
    r = layer.renderer()
    check(r is not None and r.type() == kind, f"{table}: renderer {r.type() if r else None} is {kind}")
    if r is None or r.type() != kind:
        return
    if kind == "singleSymbol" and want:
        got = symbol_colour(r.symbol())
        check(got == colours[want], f"{table}: colour {got} is the palette's {want} {colours[want]}")
    elif kind == "categorizedSymbol":
        cats = {c.value(): c.symbol().color().name() for c in r.categories()}
        if want == "landuse":
            field = r.classAttribute()
            values = {f[field] for f in layer.getFeatures()}
            check(values and all(v in cats for v in values if v is not None and "landuse." + v in colours),
                  f"{table}: a category for every land-use code present ({len(values)})")
            for v, c in cats.items():
                key = "landuse." + v if v else "plan.none"
                check(c == colours.get(key, colours.get("plan.none")), f"{table}: {v or 'other'} is {c}, palette {colours.get(key)}")
        else:
            for v, key in want.items():
                check(cats.get(v) == colours[key], f"{table}: category '{v}' is {cats.get(v)}, palette {key} {colours[key]}")
    if table in LABELLED:
        check(layer.labelsEnabled(), f"{table}: labelled")


def pdf_text(path):
    return subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True, text=True).stdout


def reads_workspace(source, ws):
    """The layer's source is the workspace: the file, or (a PostgreSQL URI)
    its schema, the first of the URI's search_path."""
    uri = QgsDataSourceUri(source)
    if ws.startswith("postgres"):
        m = re.search(r"csearch_path%3D(\w+)", ws)
        return m is not None and uri.schema() == m.group(1)
    return os.path.samefile(uri.database(), ws)


def main():
    app = QgsApplication([], False)
    app.initQgis()
    mode = sys.argv[1]
    if mode == "project":
        project_path, ws, pal, outdir, clusters = sys.argv[2:7]
        colours = palette(pal)
        clusters = [c.split(":", 1) for c in clusters.split(",") if c]
        p = QgsProject.instance()
        check(p.read(project_path), f"project {project_path} loads")
        check(p.crs().authid() == "EPSG:5897", f"project CRS {p.crs().authid()}")
        layers = list(p.mapLayers().values())
        check(len(layers) == len(EXPECTED), f"{len(layers)} layers")
        for l in layers:
            check(l.isValid(), f"layer {l.name()} is valid ({l.source()})")
            if l.isValid():
                check(reads_workspace(l.source(), ws), f"{l.name()} reads the workspace")
                check_style(l, colours)
        view = [l for l in layers if table_of(l) == "lots_status"]
        if view:
            counts = {}
            for f in view[0].getFeatures():
                counts[f["status"]] = counts.get(f["status"], 0) + 1
            print("status " + " ".join(f"{k}={v}" for k, v in sorted(counts.items())))
        marks = {b.name().split(" ")[0]: b for b in p.bookmarkManager().bookmarks()}
        check(sorted(marks) == sorted(c for c, _ in clusters), f"bookmarks {sorted(marks)}")
        cl = [l for l in layers if table_of(l) == "clusters"][0]
        for f in cl.getFeatures():
            b = marks.get(f["code"])
            if b and f.hasGeometry():
                check(b.extent().contains(f.geometry().boundingBox()), f"bookmark {f['code']} frames the cluster")
        uses = {}  # cluster -> the uses of its lots
        for l in layers:
            if table_of(l) == "lots":
                for f in l.getFeatures():
                    uses.setdefault(f["cluster"], set()).add(f["use"])
        layouts = p.layoutManager().layouts()
        check(len(layouts) == len(clusters) + 1, f"{len(layouts)} print layouts")
        for lay in layouts:
            code = lay.name().split(" ")[0]
            pdf = os.path.join(outdir, f"layout_{len(code)}_{code}.pdf")
            res = QgsLayoutExporter(lay).exportToPdf(pdf, QgsLayoutExporter.PdfExportSettings())
            check(res == QgsLayoutExporter.Success, f"layout {lay.name()} exports to PDF")
            text = " ".join(pdf_text(pdf).split())
            name = dict(clusters).get(code)
            if name:
                check(name in text and "hiện trạng cho thuê đất" in text, f"{code}: the PDF's title names {name}")
                # every kind of lot the cluster has is in its legend (the old
                # project's "all other values" category, utility, was not)
                for use in sorted(uses.get(code, set()) & set(USE_LABELS)):
                    check(USE_LABELS[use] in text, f"{code}: the legend names its {use} lots")
            else:
                check("tỷ lệ lấp đầy" in text and all(c in text for c, _ in clusters), f"district PDF lists every cluster")
            for part in ("CHÚ GIẢI", "TỶ LỆ LẤP ĐẦY", "Tỷ lệ 1:", "Nguồn:"):
                check(part in text, f"{code}: the PDF holds '{part}'")
    elif mode == "workspace":
        ws, pal = sys.argv[2:4]
        colours = palette(pal)
        for table in EXPECTED:
            uri = QgsDataSourceUri()
            if ws.startswith("postgres"):  # postgresql://user@/db?host=SOCKET&port=P&options=-csearch_path%3DS
                u = urllib.parse.urlsplit(ws)
                q = urllib.parse.parse_qs(u.query)
                uri.setConnection(q["host"][0], q["port"][0], u.path.lstrip("/"), u.username or "", "")
                uri.setDataSource(re.search(r"search_path=(\w+)", q["options"][0]).group(1), table, "geom")
                uri.setKeyColumn("fid")
                provider = "postgres"
            else:
                uri.setDatabase(ws)
                uri.setDataSource("", table, "geom")
                provider = "spatialite"
            l = QgsVectorLayer(uri.uri(), table, provider)
            check(l.isValid(), f"{table}: opens from the bare workspace")
            if l.isValid():
                check_style(l, colours)
    elif mode == "gpkg":
        path, layer, pal = sys.argv[2:5]
        colours = palette(pal)
        l = QgsVectorLayer(f"{path}|layername={layer}", layer, "ogr")
        check(l.isValid(), f"{path} opens")
        if l.isValid():
            # Exported lots carry status and use: they get the view's style.
            check_style(l, colours, "lots_status" if layer == "lots" else layer)
    # QGIS 3.22 may crash tearing down layers at exit: leave without it.
    sys.stdout.flush()
    os._exit(1 if failed else 0)


main()
