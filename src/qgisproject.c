/* qgisproject — the QGIS project: layers, bookmarks, print layouts.
 *
 * Written as QGIS 3.22 writes a .qgs, keeping only what differs from its
 * defaults (QGIS fills in the rest when it reads the project). Layouts are
 * A4 landscape like `ccn map`: the map frame on the left at a round scale,
 * the panel on the right (legend, occupancy), scale bar, north arrow and
 * source under it. Labels and legend are live QGIS items: edit, reprint. */
#include "qgisproject.h"

#include "output.h"

#include "cluster.h"
#include "date.h"
#include "export.h"
#include "qgisstyle.h"
#include "sha256.h"
#include "xml.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define PAGE_W 297.0
#define PAGE_H 210.0
#define FRAME_X 10.0
#define FRAME_Y 30.0
#define FRAME_W 205.0
#define FRAME_H 170.0
#define PANEL_X 222.0
#define PANEL_W 65.0

typedef struct {
    ccn_store *store;
    ccn_ctx *ctx;
    ccn_xml *x;
    char ws[PATH_MAX];      /* the workspace, relative to the project (SQLite) or
                             * libpq's connection keywords (PostgreSQL) */
    const char *provider;   /* QGIS's: spatialite or postgres */
    char srs[2048];         /* <spatialrefsys> of the workspace CRS */
    char date_vn[16];       /* dd/mm/yyyy */
    char source[1024];
    int uuid;               /* serial for item uuids */
} P;

/* ---------------------------------------------------------- helpers */

static void date_vn(const char *iso, char out[16])
{
    snprintf(out, 16, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* 62.5 -> "62,5": Vietnamese decimal comma. */
static void num_vn(char *buf, size_t size, double v, int decimals)
{
    snprintf(buf, size, "%.*f", decimals, v);
    for (char *p = buf; *p; p++)
        if (*p == '.')
            *p = ',';
}

/* The workspace as seen from the project's folder ("./ccn.sqlite",
 * "../ccn.sqlite" …), so QGIS resolves it against the project file. */
static ccn_status relative_path(ccn_ctx *ctx, const char *ws, const char *base, char *out,
                                size_t size)
{
    char a[PATH_MAX], b[PATH_MAX];
    if (!realpath(ws, a))
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: %s", ws, strerror(errno));
    if (!realpath(base, b)) {
        /* The folder does not exist yet (a report's first run): its parent does. */
        char tmp[PATH_MAX];
        snprintf(tmp, sizeof tmp, "%s", base);
        char *slash = strrchr(tmp, '/');
        const char *leaf = slash ? slash + 1 : tmp;
        if (slash)
            *slash = '\0';
        char parent[PATH_MAX];
        if (!realpath(slash ? (*tmp ? tmp : "/") : ".", parent))
            return ccn_error(ctx, CCN_ERR_INPUT, "%s: %s", base, strerror(errno));
        if (snprintf(b, sizeof b, "%s/%s", strcmp(parent, "/") ? parent : "", leaf) >=
            (int)sizeof b)
            return ccn_error(ctx, CCN_ERR_INPUT, "%s: path too long", base);
    }
    /* Common leading folders, then one ".." per folder of b left. */
    size_t i = 0, common = 0;
    while (a[i] && a[i] == b[i]) {
        if (a[i] == '/')
            common = i;
        i++;
    }
    if (b[i] == '\0' && a[i] == '/')
        common = i;
    size_t len = 0;
    int ups = 0;
    for (const char *p = b + common; *p; p++)
        if (*p == '/')
            ups++;
    if (ups == 0)
        len = (size_t)snprintf(out, size, "./");
    for (int k = 0; k < ups && len < size; k++)
        len += (size_t)snprintf(out + len, size - len, "../");
    if (len >= size || (size_t)snprintf(out + len, size - len, "%s", a + common + 1) >= size - len)
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: path too long", ws);
    return CCN_OK;
}

static ccn_status workspace_srs(P *p)
{
    int srid = ccn_store_srid(p->store);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(
        p->store, "SELECT proj4text, ref_sys_name FROM spatial_ref_sys WHERE srid = ?", &q);
    if (st)
        return st;
    ccn_stmt_bind_int(q, 1, srid);
    const char *proj4 = "", *name = "";
    if (ccn_stmt_step(q) == 1) {
        proj4 = ccn_stmt_text(q, 0) ? ccn_stmt_text(q, 0) : "";
        name = ccn_stmt_text(q, 1) ? ccn_stmt_text(q, 1) : "";
    }
    ccn_xml *x = ccn_xml_new();
    if (!x) {
        ccn_stmt_free(q);
        return ccn_error(p->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    /* QGIS takes the CRS by its authority id and checks the rest. */
    ccn_xml_attrf(x, "<spatialrefsys><proj4>%s</proj4>", proj4);
    ccn_xml_raw(x, "<authid>EPSG:%d</authid>", srid);
    ccn_xml_attrf(x, "<description>%s</description><projectionacronym></projectionacronym>"
                     "<ellipsoidacronym></ellipsoidacronym><geographicflag>false</geographicflag>"
                     "</spatialrefsys>",
                  name);
    ccn_stmt_free(q);
    if (ccn_xml_failed(x) || ccn_xml_len(x) >= sizeof p->srs) {
        ccn_xml_free(x);
        return ccn_error(p->ctx, CCN_ERR_INTERNAL, "EPSG:%d: CRS description too long", srid);
    }
    memcpy(p->srs, ccn_xml_data(x), ccn_xml_len(x) + 1);
    ccn_xml_free(x);
    return CCN_OK;
}

static void source_text(P *p)
{
    ccn_stmt *q = NULL;
    size_t len = (size_t)snprintf(p->source, sizeof p->source, "Nguồn: ");
    bool any = false;
    if (!ccn_stmt_prepare(p->store,
                          "SELECT file FROM imports WHERE role IN ('clusters', 'lots', 'communes')"
                          " GROUP BY file ORDER BY max(fid) DESC LIMIT 4",
                          &q)) {
        while (ccn_stmt_step(q) == 1 && len + 1 < sizeof p->source) {
            const char *file = ccn_stmt_text(q, 0);
            const char *base = file && strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
            int k = snprintf(p->source + len, sizeof p->source - len, "%s%s", any ? ", " : "",
                             base ? base : "");
            if (k > 0)
                len += (size_t)k;
            any = true;
        }
    }
    ccn_stmt_free(q);
    const char *ws = strrchr(ccn_store_path(p->store), '/');
    ws = ws ? ws + 1 : ccn_store_path(p->store);
    if (ccn_store_pg_schema(p->store)) /* a PostgreSQL workspace: its schema */
        ws = ccn_store_pg_schema(p->store);
    if (len + 1 < sizeof p->source)
        snprintf(p->source + len, sizeof p->source - len,
                 "%sđăng ký hợp đồng thuê đất (workspace %s). Hệ tọa độ VN-2000 (EPSG:%d).",
                 any ? "; " : "", ws, ccn_store_srid(p->store));
}

static const char *datasource(P *p, const char *table, char *buf, size_t size)
{
    const char *schema = ccn_store_pg_schema(p->store);
    if (!schema) {
        snprintf(buf, size, "dbname='%s' table=\"%s\" (geom)", p->ws, table);
        return buf;
    }
    bool point = false;
    for (size_t i = 0; i < ccn_qgis_nlayers; i++)
        if (strcmp(ccn_qgis_layers[i].table, table) == 0)
            point = ccn_qgis_layers[i].point;
    if (snprintf(buf, size,
                 "%s key='%s' srid=%d type=%s checkPrimaryKeyUnicity='0' table=\"%s\".\"%s\" (geom)",
                 p->ws, ccn_store_key(table), ccn_store_srid(p->store),
                 point ? "Point" : "MultiPolygon", schema, table) >= (int)size)
        buf[0] = '\0'; /* never: the connection keywords are short */
    return buf;
}

/* ------------------------------------------------------------ layers */

static ccn_status maplayers(P *p)
{
    ccn_xml *x = p->x;
    char src[PATH_MAX + 64];
    ccn_xml_raw(x, "<layer-tree-group><customproperties/>");
    for (size_t i = 0; i < ccn_qgis_nlayers; i++) {
        const ccn_qgis_layer *l = &ccn_qgis_layers[i];
        ccn_xml_attrf(x, "<layer-tree-layer name=\"%s\" source=\"%s\"", l->title,
                      datasource(p, l->table, src, sizeof src));
        ccn_xml_raw(x, " id=\"ccn_%s\" providerKey=\"%s\" checked=\"Qt::%s\""
                       " expanded=\"%d\" legend_exp=\"\" patch_size=\"-1,-1\""
                       " legend_split_behavior=\"0\"><customproperties/></layer-tree-layer>",
                    l->table, p->provider, l->shown ? "Checked" : "Unchecked", l->shown);
    }
    ccn_xml_raw(x, "<custom-order enabled=\"0\"/></layer-tree-group>");

    ccn_xml_raw(x, "<projectlayers>");
    for (size_t i = 0; i < ccn_qgis_nlayers; i++) {
        const ccn_qgis_layer *l = &ccn_qgis_layers[i];
        ccn_xml *style = ccn_xml_new();
        bool labels = false;
        ccn_status st = style ? ccn_qgisstyle_xml(p->store, l->table, style, &labels)
                              : ccn_error(p->ctx, CCN_ERR_INTERNAL, "out of memory");
        if (st) {
            ccn_xml_free(style);
            return st;
        }
        ccn_xml_raw(x, "<maplayer type=\"vector\" geometry=\"%s\" wkbType=\"%s\""
                       " labelsEnabled=\"%d\" readOnly=\"0\" hasScaleBasedVisibilityFlag=\"0\""
                       " minScale=\"100000000\" maxScale=\"0\" simplifyDrawingHints=\"1\""
                       " simplifyDrawingTol=\"1\" simplifyLocal=\"1\" simplifyMaxScale=\"1\""
                       " simplifyAlgorithm=\"0\" styleCategories=\"AllStyleCategories\""
                       " symbologyReferenceScale=\"-1\">",
                    l->point ? "Point" : "Polygon", l->point ? "Point" : "MultiPolygon", labels);
        ccn_xml_raw(x, "<id>ccn_%s</id>", l->table);
        ccn_xml_attrf(x, "<datasource>%s</datasource><layername>%s</layername>",
                      datasource(p, l->table, src, sizeof src), l->title);
        ccn_xml_raw(x, "<srs>%s</srs><provider encoding=\"UTF-8\">%s</provider>%s"
                       "<blendMode>0</blendMode><featureBlendMode>0</featureBlendMode>"
                       "<layerOpacity>1</layerOpacity></maplayer>",
                    p->srs, p->provider, ccn_xml_data(style));
        ccn_xml_free(style);
    }
    ccn_xml_raw(x, "</projectlayers><layerorder>");
    for (size_t i = 0; i < ccn_qgis_nlayers; i++)
        ccn_xml_raw(x, "<layer id=\"ccn_%s\"/>", ccn_qgis_layers[i].table);
    ccn_xml_raw(x, "</layerorder>");
    return CCN_OK;
}

/* ------------------------------------------------------- extents */

typedef struct {
    double x0, y0, x1, y1;
} bbox;

static const double round_scales[] = {500,    1000,   2000,    2500,    5000,    10000,
                                      20000,  25000,  50000,   100000,  200000,  250000,
                                      500000, 1000000, 2000000, 5000000};

/* The window of a frame showing box at the first round scale that fits it
 * with a margin, centred; the scale in *scale. */
static bbox frame_window(bbox b, double frame_w, double frame_h, double *scale)
{
    double w = fmax(b.x1 - b.x0, 1) * 1.1, h = fmax(b.y1 - b.y0, 1) * 1.1;
    double need = fmax(w / (frame_w / 1000), h / (frame_h / 1000));
    double s = round_scales[sizeof round_scales / sizeof *round_scales - 1];
    for (size_t i = 0; i < sizeof round_scales / sizeof *round_scales; i++)
        if (round_scales[i] >= need) {
            s = round_scales[i];
            break;
        }
    *scale = s;
    double cx = (b.x0 + b.x1) / 2, cy = (b.y0 + b.y1) / 2;
    double hw = frame_w / 1000 * s / 2, hh = frame_h / 1000 * s / 2;
    return (bbox){cx - hw, cy - hh, cx + hw, cy + hh};
}

/* A round grid interval (1, 2 or 5 × 10^k m) giving about five lines. */
static double grid_interval(double width_m)
{
    double raw = width_m / 5, k = pow(10, floor(log10(raw)));
    return raw <= k ? k : raw <= 2 * k ? 2 * k : raw <= 5 * k ? 5 * k : 10 * k;
}

/* --------------------------------------------------------- layouts */

static void dd_empty(ccn_xml *x)
{
    ccn_xml_raw(x, "<Option type=\"Map\"><Option type=\"QString\" name=\"name\" value=\"\"/>"
                   "<Option name=\"properties\"/><Option type=\"QString\" name=\"type\""
                   " value=\"collection\"/></Option>");
}

/* The attributes and children every layout item has. `extra` is more
 * attributes (trusted markup). The caller closes with </LayoutItem>. */
static void item_open(P *p, int type, const char *id, double x, double y, double w, double h,
                      int z, bool frame, bool background, const char *extra)
{
    ccn_xml *o = p->x;
    ccn_xml_raw(o, "<LayoutItem type=\"%d\" uuid=\"{00000000-0000-4000-8000-%012d}\""
                   " templateUuid=\"{00000000-0000-4000-8000-%012d}\"",
                type, p->uuid + 1, p->uuid + 1);
    p->uuid++;
    ccn_xml_attrf(o, " id=\"%s\"", id);
    ccn_xml_raw(o, " position=\"%g,%g,mm\" positionOnPage=\"%g,%g,mm\" size=\"%g,%g,mm\""
                   " zValue=\"%d\" frame=\"%s\" background=\"%s\" visibility=\"1\""
                   " referencePoint=\"0\" positionLock=\"false\" itemRotation=\"0\" opacity=\"1\""
                   " blendMode=\"0\" excludeFromExports=\"0\" frameJoinStyle=\"miter\""
                   " outlineWidthM=\"0.3,mm\" groupUuid=\"\" %s>"
                   "<FrameColor alpha=\"255\" red=\"0\" green=\"0\" blue=\"0\"/>"
                   "<BackgroundColor alpha=\"255\" red=\"255\" green=\"255\" blue=\"255\"/>"
                   "<LayoutObject><dataDefinedProperties>",
                x, y, x, y, w, h, z, frame ? "true" : "false", background ? "true" : "false",
                extra ? extra : "");
    dd_empty(o);
    ccn_xml_raw(o, "</dataDefinedProperties><customproperties/></LayoutObject>");
}

/* A text label. QGIS reads its text from the labelText attribute, which
 * ccn_xml_attrf escapes; item_open takes trusted markup only, so the
 * label's opening tag is written here. */
static void text_item(P *p, const char *id, const char *text, double x, double y, double w,
                      double h, double pt, bool bold, bool italic, int halign)
{
    ccn_xml *o = p->x;
    ccn_xml_raw(o, "<LayoutItem type=\"65641\" uuid=\"{00000000-0000-4000-8000-%012d}\""
                   " templateUuid=\"{00000000-0000-4000-8000-%012d}\"",
                p->uuid + 1, p->uuid + 1);
    p->uuid++;
    ccn_xml_attrf(o, " id=\"%s\" labelText=\"%s\"", id, text);
    ccn_xml_raw(o, " position=\"%g,%g,mm\" positionOnPage=\"%g,%g,mm\" size=\"%g,%g,mm\""
                   " zValue=\"3\" frame=\"false\" background=\"false\" visibility=\"1\""
                   " referencePoint=\"0\" positionLock=\"false\" itemRotation=\"0\" opacity=\"1\""
                   " blendMode=\"0\" excludeFromExports=\"0\" frameJoinStyle=\"miter\""
                   " outlineWidthM=\"0.3,mm\" groupUuid=\"\" halign=\"%d\" valign=\"32\""
                   " marginX=\"0\" marginY=\"0\" htmlState=\"0\">"
                   "<FrameColor alpha=\"255\" red=\"0\" green=\"0\" blue=\"0\"/>"
                   "<BackgroundColor alpha=\"255\" red=\"255\" green=\"255\" blue=\"255\"/>"
                   "<LayoutObject><dataDefinedProperties>",
                x, y, x, y, w, h, halign);
    dd_empty(o);
    ccn_xml_raw(o, "</dataDefinedProperties><customproperties/></LayoutObject>"
                   "<LabelFont style=\"\" description=\"Noto Sans,%g,-1,5,%d,%d,0,0,0,0\"/>"
                   "<FontColor alpha=\"255\" red=\"34\" green=\"34\" blue=\"34\"/></LayoutItem>",
                pt, bold ? 75 : 50, italic);
}

typedef struct {
    const char *name;         /* the layout's name */
    const char *title, *subtitle, *panel;
    bbox window;
    double scale;
    const char *const *layers; /* tables drawn, NULL-terminated */
} layout_spec;

static void layout(P *p, const layout_spec *s)
{
    ccn_xml *o = p->x;
    int map_uuid;
    ccn_xml_attrf(o, "<Layout name=\"%s\"", s->name);
    ccn_xml_raw(o, " units=\"mm\" printResolution=\"300\" worldFileMap=\"\">"
                   "<Snapper snapToGuides=\"1\" snapToItems=\"1\" tolerance=\"5\" snapToGrid=\"0\"/>"
                   "<Grid offsetY=\"0\" offsetUnits=\"mm\" offsetX=\"0\" resUnits=\"mm\" resolution=\"10\"/>"
                   "<PageCollection>");
    item_open(p, 65638, "", 0, 0, PAGE_W, PAGE_H, 0, false, true, NULL);
    ccn_xml_raw(o, "</LayoutItem><GuideCollection visible=\"1\"/></PageCollection>");

    /* The map, its layers locked, with the coordinate grid on its frame. */
    item_open(p, 65639, "Bản đồ", FRAME_X, FRAME_Y, FRAME_W, FRAME_H, 1, true, true,
              "keepLayerSet=\"true\" drawCanvasItems=\"true\" mapRotation=\"0\" mapFlags=\"0\""
              " labelMargin=\"0,mm\" followPreset=\"false\" followPresetName=\"\" isTemporal=\"0\"");
    map_uuid = p->uuid;
    ccn_xml_raw(o, "<Extent xmin=\"%.3f\" ymin=\"%.3f\" xmax=\"%.3f\" ymax=\"%.3f\"/>"
                   "<crs>%s</crs><LayerSet>",
                s->window.x0, s->window.y0, s->window.x1, s->window.y1, p->srs);
    char src[PATH_MAX + 64];
    for (const char *const *t = s->layers; *t; t++) {
        const char *title = *t;
        for (size_t i = 0; i < ccn_qgis_nlayers; i++)
            if (strcmp(ccn_qgis_layers[i].table, *t) == 0)
                title = ccn_qgis_layers[i].title;
        ccn_xml_attrf(o, "<Layer name=\"%s\" source=\"%s\" provider=\"%s\">", title,
                      datasource(p, *t, src, sizeof src), p->provider);
        ccn_xml_raw(o, "ccn_%s</Layer>", *t);
    }
    double interval = grid_interval(s->window.x1 - s->window.x0);
    ccn_xml_raw(o, "</LayerSet><ComposerMapGrid name=\"Lưới tọa độ VN-2000\" uuid=\"{00000000-0000-4000-9000-%012d}\""
                   " show=\"1\" gridStyle=\"3\" intervalX=\"%g\" intervalY=\"%g\" offsetX=\"0\""
                   " offsetY=\"0\" crossLength=\"3\" gridFrameStyle=\"0\" gridFrameSideFlags=\"15\""
                   " gridFrameWidth=\"2\" gridFrameMargin=\"0\" gridFramePenThickness=\"0.3\""
                   " gridFramePenColor=\"0,0,0,255\" frameFillColor1=\"255,255,255,255\""
                   " frameFillColor2=\"0,0,0,255\" blendMode=\"0\" unit=\"0\""
                   " showAnnotation=\"1\" annotationFormat=\"0\" annotationPrecision=\"0\""
                   " frameAnnotationDistance=\"1\" annotationExpression=\"\""
                   " leftAnnotationDisplay=\"0\" rightAnnotationDisplay=\"0\""
                   " topAnnotationDisplay=\"0\" bottomAnnotationDisplay=\"0\""
                   " leftAnnotationPosition=\"1\" rightAnnotationPosition=\"1\""
                   " topAnnotationPosition=\"1\" bottomAnnotationPosition=\"1\""
                   " leftAnnotationDirection=\"1\" rightAnnotationDirection=\"1\""
                   " topAnnotationDirection=\"0\" bottomAnnotationDirection=\"0\""
                   " leftFrameDivisions=\"0\" rightFrameDivisions=\"0\" topFrameDivisions=\"0\""
                   " bottomFrameDivisions=\"0\" position=\"3\">"
                   "<lineStyle><symbol type=\"line\" name=\"\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
                   "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">"
                   "<Option type=\"QString\" name=\"line_color\" value=\"115,115,115,255\"/>"
                   "<Option type=\"QString\" name=\"line_width\" value=\"0.2\"/>"
                   "<Option type=\"QString\" name=\"line_width_unit\" value=\"MM\"/>"
                   "</Option></layer></symbol></lineStyle>"
                   "<annotationFontProperties description=\"Noto Sans,6,-1,5,50,0,0,0,0,0\" style=\"\"/>"
                   "</ComposerMapGrid>"
                   "<AtlasMap scalingMode=\"2\" margin=\"0.1\" atlasDriven=\"0\"/><labelBlockingItems/>"
                   "</LayoutItem>",
                p->uuid, interval, interval);

    char mapref[96];
    snprintf(mapref, sizeof mapref, "mapUuid=\"{00000000-0000-4000-8000-%012d}\"", map_uuid);

    text_item(p, "Tiêu đề", s->title, FRAME_X, 8, PAGE_W - 20, 10, 15, true, false, 1);
    text_item(p, "Phụ đề", s->subtitle, FRAME_X, 19, PAGE_W - 20, 7, 9, false, false, 1);

    /* Legend: the map's layers, only what the map shows. */
    char extra[1024];
    snprintf(extra, sizeof extra,
             "map_uuid=\"{00000000-0000-4000-8000-%012d}\" title=\"CHÚ GIẢI\" titleAlignment=\"1\""
             " legendFilterByMap=\"1\" legendFilterByAtlas=\"0\" resizeToContents=\"1\""
             " columnCount=\"1\" splitLayer=\"0\" equalColumnWidth=\"0\" symbolWidth=\"7\""
             " symbolHeight=\"4\" boxSpace=\"1\" columnSpace=\"2\" lineSpacing=\"1\""
             " wrapChar=\"\" fontColor=\"#222222\" symbolAlignment=\"1\" rasterBorder=\"1\""
             " rasterBorderColor=\"0,0,0,255\" rasterBorderWidth=\"0\" wmsLegendWidth=\"50\""
             " wmsLegendHeight=\"25\" minSymbolSize=\"0\" maxSymbolSize=\"0\"",
             map_uuid);
    item_open(p, 65642, "Chú giải", PANEL_X, FRAME_Y, PANEL_W, 90, 4, false, false, extra);
    ccn_xml_raw(o, "<styles>"
                   "<style name=\"title\" marginBottom=\"2\" alignment=\"1\"><styleFont style=\"\" description=\"Noto Sans,10,-1,5,75,0,0,0,0,0\"/></style>"
                   "<style name=\"group\" marginTop=\"2\" alignment=\"1\"><styleFont style=\"\" description=\"Noto Sans,8,-1,5,75,0,0,0,0,0\"/></style>"
                   "<style name=\"subgroup\" marginTop=\"2\" alignment=\"1\"><styleFont style=\"\" description=\"Noto Sans,8,-1,5,75,0,0,0,0,0\"/></style>"
                   "<style name=\"symbol\" marginTop=\"1.5\" alignment=\"1\"><styleFont style=\"\" description=\"Noto Sans,7,-1,5,50,0,0,0,0,0\"/></style>"
                   "<style name=\"symbolLabel\" marginTop=\"1.5\" marginLeft=\"2\" alignment=\"1\"><styleFont style=\"\" description=\"Noto Sans,7,-1,5,50,0,0,0,0,0\"/></style>"
                   "</styles></LayoutItem>");

    text_item(p, "Tỷ lệ lấp đầy", s->panel, PANEL_X, 125, PANEL_W, 50, 8, false, false, 1);

    /* Scale bar and the scale as text, under the panel. */
    snprintf(extra, sizeof extra,
             "%s style=\"Single Box\" unitType=\"meters\" unitLabel=\"m\""
             " numMapUnitsPerScaleBarUnit=\"1\" numSegments=\"2\" numSegmentsLeft=\"0\""
             " numSubdivisions=\"1\" subdivisionsHeight=\"1.5\" segmentSizeMode=\"1\""
             " minBarWidth=\"20\" maxBarWidth=\"50\" numUnitsPerSegment=\"%g\" height=\"2\""
             " boxContentSpace=\"1\" labelBarSpace=\"2\" alignment=\"0\" outlineWidth=\"0.2\""
             " lineJoinStyle=\"miter\" lineCapStyle=\"square\" labelVerticalPlacement=\"0\""
             " labelHorizontalPlacement=\"0\"",
             mapref, s->scale / 100 * 2);
    item_open(p, 65646, "Thước tỷ lệ", PANEL_X, 177, PANEL_W, 10, 5, false, false, extra);
    ccn_xml_raw(o, "<text-style fontFamily=\"Noto Sans\" fontSize=\"7\" fontSizeUnit=\"Point\""
                   " fontWeight=\"50\" fontItalic=\"0\" textColor=\"34,34,34,255\" textOpacity=\"1\""
                   " namedStyle=\"\" blendMode=\"0\" multilineHeight=\"1\""
                   " textOrientation=\"horizontal\" capitalization=\"0\" allowHtml=\"0\">"
                   "<text-buffer bufferDraw=\"0\"/></text-style>"
                   "<fillColor alpha=\"255\" red=\"0\" green=\"0\" blue=\"0\"/>"
                   "<fillColor2 alpha=\"255\" red=\"255\" green=\"255\" blue=\"255\"/>"
                   "<strokeColor alpha=\"255\" red=\"0\" green=\"0\" blue=\"0\"/>"
                   "</LayoutItem>");
    char scale_text[64], sc[32];
    snprintf(sc, sizeof sc, "%.0f", s->scale);
    /* 10000 -> "10.000", as Vietnamese maps print scales. */
    char grouped[40];
    size_t n = strlen(sc), k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            grouped[k++] = '.';
        grouped[k++] = sc[i];
    }
    grouped[k] = '\0';
    snprintf(scale_text, sizeof scale_text, "Tỷ lệ 1:%s", grouped);
    text_item(p, "Tỷ lệ", scale_text, PANEL_X, 189, PANEL_W, 5, 8, true, false, 1);

    /* North arrow over the map's top-right corner, turning with the map. */
    snprintf(extra, sizeof extra,
             "%s file=\":/images/north_arrows/layout_default_north_arrow.svg\" mode=\"2\""
             " resizeMode=\"0\" anchorPoint=\"0\" northMode=\"0\" northOffset=\"0\""
             " pictureRotation=\"0\" pictureWidth=\"9\" pictureHeight=\"13\""
             " svgFillColor=\"255,255,255,255\" svgBorderColor=\"0,0,0,255\" svgBorderWidth=\"0.2\"",
             mapref);
    item_open(p, 65640, "Hướng Bắc", FRAME_X + FRAME_W - 14, FRAME_Y + 4, 9, 13, 6, false, false,
              extra);
    ccn_xml_raw(o, "</LayoutItem>");

    text_item(p, "Nguồn", p->source, FRAME_X, FRAME_Y + FRAME_H + 2, FRAME_W, 6, 6.5, false,
              true, 1);
    ccn_xml_raw(o, "<Atlas enabled=\"0\" coverageLayer=\"\" hideCoverage=\"0\" filterFeatures=\"0\""
                   " sortFeatures=\"0\" pageNameExpression=\"\""
                   " filenamePattern=\"'output_'||@atlas_featurenumber\"/></Layout>");
}

/* The occupancy lines of a cluster, as `ccn map` prints them. */
static void occupancy_text(const ccn_cluster_state *c, char *buf, size_t size)
{
    char a[32], b[32], t[32];
    size_t len = (size_t)snprintf(buf, size, "TỶ LỆ LẤP ĐẦY\n");
    if (isfinite(c->occupancy_pct)) {
        num_vn(a, sizeof a, c->occupancy_pct, 1);
        len += (size_t)snprintf(buf + len, size - len, "%s %%\n", a);
        num_vn(a, sizeof a, c->leased_m2 / 1e4, 2);
        num_vn(b, sizeof b, c->leasable_m2 / 1e4, 2);
        len += (size_t)snprintf(buf + len, size - len,
                                "Đã cho thuê %s ha trên %s ha đất công nghiệp\n", a, b);
    } else {
        len += (size_t)snprintf(buf + len, size - len,
                                "Chưa có lô đất công nghiệp: chưa tính được.\n");
    }
    if (len < size && isfinite(c->target_pct)) {
        num_vn(t, sizeof t, c->target_pct, 0);
        snprintf(buf + len, size - len, "Mục tiêu kế hoạch 2021–2025: %s %% — %s", t,
                 !isfinite(c->occupancy_pct)           ? "chưa đánh giá"
                 : c->occupancy_pct >= c->target_pct ? "đã đạt"
                                                     : "chưa đạt");
    }
}


static ccn_status cluster_boxes(P *p, const ccn_cluster_state *cs, size_t n, bbox *boxes,
                                bool *has, bbox *all, bool *any)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(p->store,
                                     "SELECT MbrMinX(geom), MbrMinY(geom), MbrMaxX(geom),"
                                     " MbrMaxY(geom) FROM clusters WHERE fid = ? AND geom IS NOT NULL",
                                     &q);
    if (st)
        return st;
    *any = false;
    for (size_t i = 0; i < n; i++) {
        ccn_stmt_reset(q);
        ccn_stmt_bind_int(q, 1, cs[i].fid);
        has[i] = ccn_stmt_step(q) == 1;
        if (!has[i])
            continue;
        boxes[i] = (bbox){ccn_stmt_double(q, 0), ccn_stmt_double(q, 1), ccn_stmt_double(q, 2),
                          ccn_stmt_double(q, 3)};
        if (!*any)
            *all = boxes[i];
        all->x0 = fmin(all->x0, boxes[i].x0), all->y0 = fmin(all->y0, boxes[i].y0);
        all->x1 = fmax(all->x1, boxes[i].x1), all->y1 = fmax(all->y1, boxes[i].y1);
        *any = true;
    }
    ccn_stmt_free(q);
    return CCN_OK;
}

static void bookmark(P *p, const char *name, int serial, bbox b)
{
    ccn_xml_attrf(p->x, "<Bookmark name=\"%s\" group=\"Cụm công nghiệp\"", name);
    ccn_xml_raw(p->x, " id=\"{00000000-0000-4000-a000-%012d}\" extent=\"POLYGON((%.3f %.3f,"
                      " %.3f %.3f, %.3f %.3f, %.3f %.3f, %.3f %.3f))\">%s</Bookmark>",
                serial, b.x0, b.y0, b.x1, b.y0, b.x1, b.y1, b.x0, b.y1, b.x0, b.y0, p->srs);
}

static ccn_status layouts_and_bookmarks(P *p, const char *as_of, ccn_qgis_result *res)
{
    ccn_cluster_state *cs = NULL;
    size_t n = 0;
    ccn_status st = ccn_export_clusters_on(p->store, NULL, as_of, &cs, &n);
    if (st)
        return st;
    bbox *boxes = calloc(n ? n : 1, sizeof *boxes), all = {0, 0, 1, 1};
    bool *has = calloc(n ? n : 1, sizeof *has), any = false;
    if (!boxes || !has) {
        st = ccn_error(p->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = cluster_boxes(p, cs, n, boxes, has, &all, &any)))
        goto done;
    static const char *const cluster_layers[] = {CCN_QGIS_LOTS_VIEW, "clusters", "communes", NULL};
    static const char *const district_layers[] = {"clusters", "communes", NULL};
    ccn_xml_raw(p->x, "<Layouts>");
    char title[512], subtitle[512], panel[1024], name[300];
    for (size_t i = 0; i < n; i++) {
        if (!has[i])
            continue;
        const ccn_cluster_state *c = &cs[i];
        snprintf(title, sizeof title, "%s%s — hiện trạng cho thuê đất", ccn_cluster_kind_word(c->name, c->kind),
                 c->name ? c->name : c->code);
        snprintf(subtitle, sizeof subtitle,
                 "Mã cụm %s · Tình trạng cho thuê các lô đất đến ngày %s", c->code, p->date_vn);
        occupancy_text(c, panel, sizeof panel);
        snprintf(name, sizeof name, "%s — %s", c->code, c->name ? c->name : c->code);
        layout_spec s = {name, title, subtitle, panel, {0}, 0, cluster_layers};
        s.window = frame_window(boxes[i], FRAME_W, FRAME_H, &s.scale);
        layout(p, &s);
        res->layouts++;
    }
    if (any) {
        char *district = ccn_store_meta(p->store, "district_name");
        snprintf(title, sizeof title, "Các cụm công nghiệp %s — tỷ lệ lấp đầy",
                 district ? district : "của huyện");
        free(district);
        snprintf(subtitle, sizeof subtitle, "Tình trạng cho thuê đất đến ngày %s", p->date_vn);
        size_t len = (size_t)snprintf(panel, sizeof panel, "TỶ LỆ LẤP ĐẦY");
        for (size_t i = 0; i < n && len < sizeof panel; i++) {
            char a[32] = "—", t[64] = "";
            if (isfinite(cs[i].occupancy_pct)) {
                num_vn(a, sizeof a, cs[i].occupancy_pct, 1);
                strcat(a, " %");
            }
            if (isfinite(cs[i].target_pct)) {
                char v[32];
                num_vn(v, sizeof v, cs[i].target_pct, 0);
                snprintf(t, sizeof t, " (mục tiêu %s %%)", v);
            }
            len += (size_t)snprintf(panel + len, sizeof panel - len, "\n%s %s: %s%s", cs[i].code,
                                    cs[i].name ? cs[i].name : "", a, t);
        }
        layout_spec s = {"Toàn huyện", title, subtitle, panel, {0}, 0, district_layers};
        s.window = frame_window(all, FRAME_W, FRAME_H, &s.scale);
        layout(p, &s);
        res->layouts++;
    }
    ccn_xml_raw(p->x, "</Layouts><Bookmarks>");
    for (size_t i = 0; i < n; i++) {
        if (!has[i])
            continue;
        snprintf(name, sizeof name, "%s — %s", cs[i].code, cs[i].name ? cs[i].name : cs[i].code);
        double mx = (boxes[i].x1 - boxes[i].x0) * 0.05, my = (boxes[i].y1 - boxes[i].y0) * 0.05;
        bookmark(p, name, (int)i + 1,
                 (bbox){boxes[i].x0 - mx, boxes[i].y0 - my, boxes[i].x1 + mx, boxes[i].y1 + my});
        res->bookmarks++;
    }
    ccn_xml_raw(p->x, "</Bookmarks>");
    if (any)
        ccn_xml_raw(p->x, "<mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\"><units>meters</units>"
                          "<extent><xmin>%.3f</xmin><ymin>%.3f</ymin><xmax>%.3f</xmax><ymax>%.3f</ymax></extent>"
                          "<rotation>0</rotation><destinationsrs>%s</destinationsrs><rendermaptile>0</rendermaptile>"
                          "</mapcanvas>",
                    all.x0, all.y0, all.x1, all.y1, p->srs);
done:
    free(boxes);
    free(has);
    ccn_export_clusters_free(cs, n);
    return st;
}

/* -------------------------------------------------------------- files */

static void put16(unsigned char *p, unsigned v) { p[0] = v & 255, p[1] = v >> 8 & 255; }
static void put32(unsigned char *p, unsigned long v)
{
    put16(p, (unsigned)(v & 0xffff));
    put16(p + 2, (unsigned)(v >> 16 & 0xffff));
}

/* A zip holding one deflated file, as QGIS writes a .qgz. */
static ccn_status write_zip(ccn_ctx *ctx, FILE *f, const char *inner, const char *data,
                            size_t size, const char *path)
{
    uLong crc = crc32(0L, (const Bytef *)data, (uInt)size);
    uLong cap = compressBound((uLong)size) + 64;
    unsigned char *z = malloc(cap);
    if (!z)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    z_stream s = {0};
    if (deflateInit2(&s, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        free(z);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "zlib: cannot start deflate");
    }
    s.next_in = (Bytef *)data, s.avail_in = (uInt)size;
    s.next_out = z, s.avail_out = (uInt)cap;
    int rc = deflate(&s, Z_FINISH);
    size_t zsize = s.total_out;
    deflateEnd(&s);
    if (rc != Z_STREAM_END) {
        free(z);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "zlib: deflate failed");
    }
    size_t nlen = strlen(inner);
    unsigned char lh[30] = {0}, cd[46] = {0}, end[22] = {0};
    put32(lh, 0x04034b50), put16(lh + 4, 20), put16(lh + 6, 0x0800 /* UTF-8 name */);
    put16(lh + 8, 8), put16(lh + 10, 0), put16(lh + 12, 0x21 /* 1980-01-01 */);
    put32(lh + 14, crc), put32(lh + 18, zsize), put32(lh + 22, size), put16(lh + 26, (unsigned)nlen);
    put32(cd, 0x02014b50), put16(cd + 4, 0x031e), put16(cd + 6, 20), put16(cd + 8, 0x0800);
    put16(cd + 10, 8), put16(cd + 14, 0x21), put32(cd + 16, crc), put32(cd + 20, zsize);
    put32(cd + 24, size), put16(cd + 28, (unsigned)nlen), put32(cd + 38, 0100644UL << 16);
    size_t cd_off = 30 + nlen + zsize, cd_size = 46 + nlen;
    put32(end, 0x06054b50), put16(end + 8, 1), put16(end + 10, 1), put32(end + 12, cd_size);
    put32(end + 16, cd_off);
    bool ok = fwrite(lh, 1, 30, f) == 30 && fwrite(inner, 1, nlen, f) == nlen &&
              fwrite(z, 1, zsize, f) == zsize && fwrite(cd, 1, 46, f) == 46 &&
              fwrite(inner, 1, nlen, f) == nlen && fwrite(end, 1, 22, f) == 22;
    free(z);
    return ok ? CCN_OK : ccn_error(ctx, CCN_ERR_INPUT, "%s: %s", path, strerror(errno));
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* A project ccn writes ends with this comment and the SHA-256 of what comes
 * before it: a project saved from QGIS since (its layouts edited, as the
 * README invites) or any other file of that name lacks it or no longer
 * matches, and `ccn qgis` does not write over it. */
#define OWN_MARK "<!-- written by ccn; sha256 "
#define OWN_END " -->\n"

static unsigned long get32(const unsigned char *p)
{
    return p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

/* The project's XML: the file (.qgs), or the one deflated entry a .qgz of
 * write_zip holds; NULL if the file is not that or cannot be read. */
static char *read_project(const char *path, bool zipped, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *data = NULL, *xml = NULL;
    size_t size = 0, cap = 0, got;
    do { /* projects are small: a few hundred kB */
        if (size + 65536 > cap) {
            char *more = cap < (64u << 20) ? realloc(data, cap = cap ? 2 * cap : 65536) : NULL;
            if (!more)
                goto done;
            data = more;
        }
        got = fread(data + size, 1, cap - size, f);
        size += got;
    } while (got > 0);
    if (ferror(f))
        goto done;
    if (!zipped) {
        xml = data, data = NULL, *n = size;
        goto done;
    }
    const unsigned char *h = (const unsigned char *)data;
    if (size < 30 || get32(h) != 0x04034b50 || (h[6] & 8) || (h[8] | h[9] << 8) != 8)
        goto done;
    size_t zsize = get32(h + 18), usize = get32(h + 22);
    size_t at = 30 + (size_t)(h[26] | h[27] << 8) + (size_t)(h[28] | h[29] << 8);
    if (at > size || zsize > size - at || usize > (64u << 20) || !(xml = malloc(usize + 1)))
        goto done;
    z_stream z = {0};
    bool ok = inflateInit2(&z, -15) == Z_OK;
    if (ok) {
        z.next_in = (Bytef *)data + at, z.avail_in = (uInt)zsize;
        z.next_out = (Bytef *)xml, z.avail_out = (uInt)usize;
        ok = inflate(&z, Z_FINISH) == Z_STREAM_END && z.total_out == usize;
        inflateEnd(&z);
    }
    if (!ok) {
        free(xml);
        xml = NULL;
    }
    *n = usize;
done:
    free(data);
    fclose(f);
    return xml;
}

/* Was the project at path written by ccn, and not changed since? */
static bool own_unchanged(const char *path, bool zipped)
{
    size_t n = 0;
    char *xml = read_project(path, zipped, &n);
    size_t tail = strlen(OWN_MARK) + 64 + strlen(OWN_END);
    bool own = false;
    if (xml && n >= tail && memcmp(xml + n - tail, OWN_MARK, strlen(OWN_MARK)) == 0 &&
        memcmp(xml + n - strlen(OWN_END), OWN_END, strlen(OWN_END)) == 0) {
        char hex[65];
        ccn_sha256_buffer(xml, n - tail, hex);
        own = memcmp(xml + n - tail + strlen(OWN_MARK), hex, 64) == 0;
    }
    free(xml);
    return own;
}

/* Write under a temporary name beside path, then rename (output.h). */
static ccn_status write_project(ccn_ctx *ctx, const char *path, const char *xml, size_t size)
{
    bool zipped = ends_with(path, ".qgz");
    ccn_output *out = NULL;
    ccn_status st = ccn_output_open(ctx, path, &out);
    if (st)
        return st;
    FILE *f = ccn_output_stream(out);
    if (zipped) {
        /* QGIS names the project inside after the archive. */
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        char inner[NAME_MAX + 1];
        snprintf(inner, sizeof inner, "%.*s.qgs", (int)(strlen(base) - 4), base);
        st = write_zip(ctx, f, inner, xml, size, path);
    } else if (fwrite(xml, 1, size, f) != size) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: %s", path, strerror(errno));
    }
    if (st) {
        ccn_output_abort(out);
        return st;
    }
    return ccn_output_commit(ctx, out);
}

ccn_status ccn_qgis_project_write(ccn_store *store, const ccn_qgis_options *opt,
                                  ccn_qgis_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    memset(res, 0, sizeof *res);
    if (!ends_with(opt->path, ".qgz") && !ends_with(opt->path, ".qgs"))
        return ccn_error(ctx, CCN_ERR_INPUT, "'%s': a QGIS project ends in .qgz or .qgs",
                         opt->path);
    struct stat sb;
    if (stat(opt->path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        !own_unchanged(opt->path, ends_with(opt->path, ".qgz")))
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "'%s' is not a project ccn wrote, or was changed since (saved from "
                         "QGIS?): ccn does not write over it; move it away first, or give "
                         "another name",
                         opt->path);
    res->replaced = stat(opt->path, &sb) == 0 && S_ISREG(sb.st_mode);
    if (opt->as_of && !ccn_date_valid(opt->as_of))
        return ccn_error(ctx, CCN_ERR_INPUT, "'%s' is not a date (YYYY-MM-DD)", opt->as_of);
    if (opt->as_of)
        snprintf(res->as_of, sizeof res->as_of, "%s", opt->as_of);
    else
        ccn_date_today(res->as_of);
    char base[PATH_MAX];
    if (opt->base_dir) {
        snprintf(base, sizeof base, "%s", opt->base_dir);
    } else {
        snprintf(base, sizeof base, "%s", opt->path);
        char *slash = strrchr(base, '/');
        if (slash)
            *(slash == base ? slash + 1 : slash) = '\0';
        else
            snprintf(base, sizeof base, ".");
    }
    P p = {.store = store, .ctx = ctx};
    date_vn(res->as_of, p.date_vn);
    ccn_status st;
    /* The findings' columns, the styles and the view the project's layers
     * name (older workspaces get them now). */
    if ((st = ccn_store_findings_readable(store)) || (st = ccn_store_begin(store)))
        return st;
    if ((st = ccn_qgisstyle_install(store))) {
        ccn_store_rollback(store);
        /* A reader without the right to write them (a viewer of a PostgreSQL
         * workspace) takes the styles as they are. */
        if (st != CCN_ERR_INPUT || !ccn_store_has_table(store, "layer_styles"))
            return st;
        ccn_ctx_clear_error(ctx);
    } else if ((st = ccn_store_commit(store))) {
        return st;
    }
    /* A file by its path from the project; a PostgreSQL schema by its server. */
    const char *conninfo = ccn_store_pg_conninfo(store);
    p.provider = conninfo ? "postgres" : "spatialite";
    if (conninfo)
        snprintf(p.ws, sizeof p.ws, "%s", conninfo);
    if ((!conninfo && (st = relative_path(ctx, ccn_store_path(store), base, p.ws, sizeof p.ws))) ||
        (st = workspace_srs(&p)))
        return st;
    if (conninfo) /* "schema S of dbname='…' host='…' …" */
        snprintf(res->workspace, sizeof res->workspace, "schema %.63s of %.4000s",
                 ccn_store_pg_schema(store), p.ws);
    else
        snprintf(res->workspace, sizeof res->workspace, "%s", p.ws);
    source_text(&p);
    if (!(p.x = ccn_xml_new()))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    char *district = ccn_store_meta(store, "district_name");
    ccn_xml_raw(p.x, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                     "<qgis version=\"3.22.16-Białowieża\" projectname=\"");
    ccn_xml_attrf(p.x, "Cụm công nghiệp %s\">", district ? district : "");
    ccn_xml_attrf(p.x, "<homePath path=\"\"/><title>Cụm công nghiệp %s</title>",
                  district ? district : "");
    free(district);
    ccn_xml_raw(p.x, "<autotransaction active=\"0\"/><evaluateDefaultValues active=\"0\"/>"
                     "<trust active=\"0\"/><projectCrs>%s</projectCrs>",
                p.srs);
    if ((st = maplayers(&p)))
        goto done;
    ccn_xml_raw(p.x, "<properties><Paths><Absolute type=\"bool\">false</Absolute></Paths>"
                     "<SpatialRefSys><ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>"
                     "</SpatialRefSys><Measurement><DistanceUnits type=\"QString\">meters"
                     "</DistanceUnits><AreaUnits type=\"QString\">m2</AreaUnits></Measurement>"
                     "</properties>");
    if ((st = layouts_and_bookmarks(&p, res->as_of, res)))
        goto done;
    ccn_xml_raw(p.x, "</qgis>\n");
    if (!ccn_xml_failed(p.x)) { /* the mark of a project as ccn wrote it */
        char hex[65];
        ccn_sha256_buffer(ccn_xml_data(p.x), ccn_xml_len(p.x), hex);
        ccn_xml_raw(p.x, OWN_MARK "%s" OWN_END, hex);
    }
    if (ccn_xml_failed(p.x)) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    res->layers = (int)ccn_qgis_nlayers;
    st = write_project(ctx, opt->path, ccn_xml_data(p.x), ccn_xml_len(p.x));
done:
    ccn_xml_free(p.x);
    return st;
}
