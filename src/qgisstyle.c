/* qgisstyle — QGIS styles in the workspace, and the lots view.
 *
 * A style is written as QGIS 3.22 writes it (renderer-v2, labeling), with
 * only the properties that differ from QGIS's defaults: QGIS fills in the
 * rest when it reads a style. Symbols follow `ccn map`: the same colours,
 * line widths in millimetres and dashes. */
#include "qgisstyle.h"

#include "palette.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const ccn_qgis_layer ccn_qgis_layers[] = {
    {"findings", "Kết quả kiểm tra ranh giới", true, true},
    {"markers", "Mốc ranh giới", true, true},
    {"clusters", "Ranh giới cụm công nghiệp", false, true},
    {CCN_QGIS_LOTS_VIEW, "Lô đất theo tình trạng cho thuê", false, true},
    {"lots", "Lô đất theo chức năng", false, false},
    {"parcels", "Thửa đất địa chính", false, false},
    {"plan", "Quy hoạch sử dụng đất", false, false},
    {"communes", "Địa giới xã", false, true},
};
const size_t ccn_qgis_nlayers = sizeof ccn_qgis_layers / sizeof *ccn_qgis_layers;

/* ------------------------------------------------------------ colours */

/* "r,g,b,255" of a palette key, as QGIS writes a colour. */
static void rgba_of(const ccn_palette *pal, const char *key, char buf[20])
{
    uint32_t v = ccn_palette_rgb(pal, key);
    snprintf(buf, 20, "%u,%u,%u,255", (unsigned)(v >> 16 & 255), (unsigned)(v >> 8 & 255),
             (unsigned)(v & 255));
}

/* ------------------------------------------------------------ symbols */

typedef struct {
    const char *fill;   /* palette key; NULL: no fill */
    const char *edge;   /* palette key */
    double width_mm;
    const char *dash;   /* "2;0.8" (mm), NULL: solid */
} fill_style;

static void option(ccn_xml *x, const char *name, const char *value)
{
    ccn_xml_raw(x, "<Option type=\"QString\" name=\"%s\" value=\"", name);
    ccn_xml_text(x, value);
    ccn_xml_raw(x, "\"/>");
}

static void fill_symbol(const ccn_palette *s, ccn_xml *x, const char *name, const fill_style *f)
{
    char rgba[20], w[32];
    ccn_xml_attrf(x, "<symbol type=\"fill\" name=\"%s\" alpha=\"1\" clip_to_extent=\"1\" "
                     "force_rhr=\"0\">", name);
    /* The fill, and its outline when solid; a dashed outline is a line
     * layer of its own, as QGIS's "Outline: Simple line". */
    ccn_xml_raw(x, "<layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">");
    if (f->fill) {
        rgba_of(s, f->fill, rgba);
        option(x, "color", rgba);
        option(x, "style", "solid");
    } else {
        option(x, "color", "255,255,255,0");
        option(x, "style", "no");
    }
    rgba_of(s, f->edge, rgba);
    option(x, "outline_color", rgba);
    option(x, "outline_style", f->dash ? "no" : "solid");
    snprintf(w, sizeof w, "%g", f->width_mm);
    option(x, "outline_width", w);
    option(x, "outline_width_unit", "MM");
    option(x, "joinstyle", "round");
    ccn_xml_raw(x, "</Option></layer>");
    if (f->dash) {
        ccn_xml_raw(x, "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">");
        option(x, "line_color", rgba);
        option(x, "line_width", w);
        option(x, "line_width_unit", "MM");
        option(x, "line_style", "solid");
        option(x, "use_custom_dash", "1");
        option(x, "customdash", f->dash);
        option(x, "customdash_unit", "MM");
        option(x, "joinstyle", "round");
        option(x, "capstyle", "flat");
        ccn_xml_raw(x, "</Option></layer>");
    }
    ccn_xml_raw(x, "</symbol>");
}

static void marker_symbol(const ccn_palette *s, ccn_xml *x, const char *name, const char *fill,
                          const char *shape, double size_mm)
{
    char rgba[20], sz[32];
    ccn_xml_attrf(x, "<symbol type=\"marker\" name=\"%s\" alpha=\"1\" clip_to_extent=\"1\" "
                     "force_rhr=\"0\">", name);
    ccn_xml_raw(x, "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\"><Option type=\"Map\">");
    rgba_of(s, fill, rgba);
    option(x, "color", rgba);
    option(x, "name", shape);
    snprintf(sz, sizeof sz, "%g", size_mm);
    option(x, "size", sz);
    option(x, "size_unit", "MM");
    option(x, "outline_color", "35,35,35,255");
    option(x, "outline_width", "0.2");
    option(x, "outline_width_unit", "MM");
    ccn_xml_raw(x, "</Option></layer></symbol>");
}

/* ----------------------------------------------------------- renderers */

typedef struct {
    const char *value, *label, *key; /* key: palette key of the fill */
} category;

static void renderer_open_categorized(ccn_xml *x, const char *attr)
{
    ccn_xml_attrf(x, "<renderer-v2 type=\"categorizedSymbol\" attr=\"%s\" forceraster=\"0\" "
                     "symbollevels=\"0\" enableorderby=\"0\" referencescale=\"-1\">",
                  attr);
}

/* Categories of polygons filled by palette key, outlined alike. */
static void categorized_fill(const ccn_palette *s, ccn_xml *x, const char *attr, const category *c,
                             size_t n, const char *edge, double width)
{
    char name[24];
    renderer_open_categorized(x, attr);
    ccn_xml_raw(x, "<categories>");
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%zu", i);
        ccn_xml_attrf(x, "<category value=\"%s\" label=\"%s\" symbol=\"%s\" render=\"true\"/>",
                      c[i].value, c[i].label, name);
    }
    ccn_xml_raw(x, "</categories><symbols>");
    for (size_t i = 0; i < n; i++) {
        snprintf(name, sizeof name, "%zu", i);
        fill_symbol(s, x, name, &(fill_style){c[i].key, edge, width, NULL});
    }
    ccn_xml_raw(x, "</symbols><rotation/><sizescale/></renderer-v2>");
}

static void single_fill(const ccn_palette *s, ccn_xml *x, const fill_style *f)
{
    ccn_xml_raw(x, "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\" "
                   "enableorderby=\"0\" referencescale=\"-1\"><symbols>");
    fill_symbol(s, x, "0", f);
    ccn_xml_raw(x, "</symbols><rotation/><sizescale/></renderer-v2>");
}

/* Lots by status, other uses by use: the legend of `ccn map`. Every use by
 * its value: QGIS's "all other values" category (value "") is left out of a
 * print layout's legend filtered by the map's content, so utility lots drawn
 * on a cluster's map went missing from its legend. */
static const category lot_status_categories[] = {
    {"leased", "Lô đất công nghiệp đã cho thuê", "lot.leased"},
    {"vacant", "Lô đất công nghiệp chưa cho thuê", "lot.vacant"},
    {"service", "Đất dịch vụ", "lot.service"},
    {"green", "Đất cây xanh", "lot.green"},
    {"road", "Đất giao thông", "lot.road"},
    {"utility", "Đất hạ tầng kỹ thuật", "lot.utility"},
};
static const char lot_status_expr[] =
    "CASE WHEN \"status\" = 'other' THEN \"use\" ELSE \"status\" END";

static const category lot_use_categories[] = {
    {"industrial", "Đất công nghiệp", "lot.vacant"}, {"service", "Đất dịch vụ", "lot.service"},
    {"green", "Đất cây xanh", "lot.green"},          {"road", "Đất giao thông", "lot.road"},
    {"utility", "Đất hạ tầng kỹ thuật", "lot.utility"},
};

/* Plan zones or parcels: one category per land-use code present, in its
 * planning-map colour, then every other value in the "no such code" grey. */
static ccn_status landuse_renderer(ccn_store *s, const ccn_palette *pal, ccn_xml *x,
                                   const char *table, double width)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             /* Each code once first, then its name: the join row by row
              * costs three times the scan (320,000 parcels). */
             "SELECT t.landuse, c.name FROM (SELECT DISTINCT landuse FROM \"%s\") t"
             " JOIN landuse_codes c ON c.code = t.landuse ORDER BY t.landuse",
             table);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(s, sql, &q);
    if (st)
        return st;
    category *c = NULL;
    char **owned = NULL;
    size_t n = 0;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        category *nc = realloc(c, (n + 1) * sizeof *c);
        char **no = realloc(owned, (3 * n + 3) * sizeof *owned);
        if (nc)
            c = nc;
        if (no)
            owned = no;
        if (!nc || !no) {
            st = ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        const char *code = ccn_stmt_text(q, 0), *name = ccn_stmt_text(q, 1);
        size_t klen = strlen(code) + 9, llen = strlen(code) + (name ? strlen(name) : 0) + 8;
        owned[3 * n] = strdup(code);
        owned[3 * n + 1] = malloc(llen);
        owned[3 * n + 2] = malloc(klen);
        if (!owned[3 * n] || !owned[3 * n + 1] || !owned[3 * n + 2]) {
            n++;
            st = ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        snprintf(owned[3 * n + 1], llen, "%s – %s", code, name ? name : "");
        snprintf(owned[3 * n + 2], klen, "landuse.%s", code);
        c[n] = (category){owned[3 * n], owned[3 * n + 1], owned[3 * n + 2]};
        n++;
    }
    if (rc < 0 && !st)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    if (!st) {
        category *nc = realloc(c, (n + 1) * sizeof *c);
        if (nc) {
            c = nc;
            c[n] = (category){"", "Mã loại đất khác", "plan.none"};
            categorized_fill(pal, x, "landuse", c, n + 1, "commune.boundary", width);
        } else {
            st = ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
        }
    }
    for (size_t i = 0; owned && i < 3 * n; i++)
        free(owned[i]);
    free(owned);
    free(c);
    return st;
}

/* ------------------------------------------------------------ labels */

typedef struct {
    const char *field;  /* a field, or an expression when expr */
    bool expr;
    double pt;
    bool bold, italic;
    bool point;         /* around a point, else inside the polygon */
} label_style;

static void labeling(ccn_xml *x, const label_style *l)
{
    ccn_xml_raw(x, "<labeling type=\"simple\"><settings calloutType=\"simple\">");
    ccn_xml_attrf(x, "<text-style fieldName=\"%s\"", l->field);
    ccn_xml_raw(x, " isExpression=\"%d\" fontFamily=\"Noto Sans\" fontSize=\"%g\""
                   " fontSizeUnit=\"Point\" fontWeight=\"%d\" fontItalic=\"%d\""
                   " textColor=\"34,34,34,255\" textOpacity=\"1\" namedStyle=\"\""
                   " fontKerning=\"1\" multilineHeight=\"1\" blendMode=\"0\""
                   " textOrientation=\"horizontal\" capitalization=\"0\" allowHtml=\"0\""
                   " useSubstitutions=\"0\" legendString=\"Aa\">",
                l->expr, l->pt, l->bold ? 75 : 50, l->italic);
    ccn_xml_raw(x, "<text-buffer bufferDraw=\"1\" bufferSize=\"0.35\" bufferSizeUnits=\"MM\""
                   " bufferColor=\"255,255,255,255\" bufferOpacity=\"1\" bufferNoFill=\"1\""
                   " bufferJoinStyle=\"128\" bufferBlendMode=\"0\"/></text-style>");
    ccn_xml_raw(x, "<text-format wrapChar=\"\" multilineAlign=\"3\" autoWrapLength=\"0\""
                   " useMaxLineLengthForAutoWrap=\"1\" formatNumbers=\"0\" decimals=\"3\""
                   " plussign=\"0\" addDirectionSymbol=\"0\"/>");
    /* Points: around the point (6 = ordered positions); polygons: over the
     * centroid of the visible part, kept inside (1 = over point). */
    ccn_xml_raw(x, "<placement placement=\"%d\" dist=\"%s\" distUnits=\"MM\" offsetType=\"0\""
                   " quadOffset=\"4\" centroidInside=\"1\" centroidWhole=\"0\""
                   " fitInPolygonOnly=\"0\" priority=\"5\" placementFlags=\"10\""
                   " polygonPlacementFlags=\"2\" predefinedPositionOrder=\"TR,TL,BR,BL,R,L,TSR,BSR\""
                   " xOffset=\"0\" yOffset=\"0\" offsetUnits=\"MM\" rotationAngle=\"0\""
                   " geometryGeneratorEnabled=\"0\" geometryGenerator=\"\""
                   " geometryGeneratorType=\"PointGeometry\" layerType=\"%s\"/>",
                l->point ? 6 : 1, l->point ? "1" : "0",
                l->point ? "PointGeometry" : "PolygonGeometry");
    ccn_xml_raw(x, "<rendering drawLabels=\"1\" obstacle=\"1\" obstacleFactor=\"1\""
                   " obstacleType=\"1\" displayAll=\"0\" upsidedownLabels=\"0\""
                   " labelPerPart=\"0\" mergeLines=\"0\" minFeatureSize=\"0\""
                   " limitNumLabels=\"0\" maxNumLabels=\"2000\" scaleVisibility=\"0\""
                   " scaleMin=\"0\" scaleMax=\"0\" fontLimitPixelSize=\"0\""
                   " fontMinPixelSize=\"0\" fontMaxPixelSize=\"10000\" zIndex=\"0\""
                   " unplacedVisibility=\"0\"/>");
    ccn_xml_raw(x, "<dd_properties><Option type=\"Map\"><Option type=\"QString\" name=\"name\""
                   " value=\"\"/><Option name=\"properties\"/><Option type=\"QString\""
                   " name=\"type\" value=\"collection\"/></Option></dd_properties>"
                   "</settings></labeling>");
}

/* ------------------------------------------------------------- styles */

ccn_status ccn_qgisstyle_xml(ccn_store *store, const char *table, ccn_xml *x, bool *labels)
{
    *labels = true;
    ccn_palette *s = NULL; /* the workspace's palette (gis/palette.csv) */
    ccn_status st = ccn_palette_load(ccn_store_ctx(store), store, &s);
    if (st)
        return st;
    if (strcmp(table, "clusters") == 0) {
        single_fill(s, x, &(fill_style){NULL, "cluster.boundary", 0.7, NULL});
        labeling(x, &(label_style){"code", false, 9, true, false, false});
    } else if (strcmp(table, CCN_QGIS_LOTS_VIEW) == 0) {
        categorized_fill(s, x, lot_status_expr, lot_status_categories,
                         sizeof lot_status_categories / sizeof *lot_status_categories,
                         "lot.edge", 0.15);
        labeling(x, &(label_style){"lot_no", false, 8, true, false, false});
    } else if (strcmp(table, "lots") == 0) {
        categorized_fill(s, x, "use", lot_use_categories,
                         sizeof lot_use_categories / sizeof *lot_use_categories, "lot.edge",
                         0.15);
        labeling(x, &(label_style){"lot_no", false, 8, true, false, false});
    } else if (strcmp(table, "plan") == 0 || strcmp(table, "parcels") == 0) {
        st = landuse_renderer(store, s, x, table, 0.1);
        *labels = false;
    } else if (strcmp(table, "communes") == 0) {
        single_fill(s, x, &(fill_style){NULL, "commune.boundary", 0.35, "2;0.8"});
        labeling(x, &(label_style){"name", false, 8, false, true, false});
    } else if (strcmp(table, "markers") == 0) {
        ccn_xml_raw(x, "<renderer-v2 type=\"singleSymbol\" forceraster=\"0\" symbollevels=\"0\""
                       " enableorderby=\"0\" referencescale=\"-1\"><symbols>");
        marker_symbol(s, x, "0", "cluster.boundary", "triangle", 2);
        ccn_xml_raw(x, "</symbols><rotation/><sizescale/></renderer-v2>");
        labeling(x, &(label_style){"marker", false, 7, false, false, true});
    } else if (strcmp(table, "findings") == 0) {
        renderer_open_categorized(x, "severity");
        ccn_xml_raw(x, "<categories>"
                       "<category value=\"error\" label=\"Lỗi\" symbol=\"0\" render=\"true\"/>"
                       "<category value=\"warning\" label=\"Cảnh báo\" symbol=\"1\" render=\"true\"/>"
                       "</categories><symbols>");
        marker_symbol(s, x, "0", "finding.error", "circle", 3);
        marker_symbol(s, x, "1", "finding.warning", "circle", 2.5);
        ccn_xml_raw(x, "</symbols><rotation/><sizescale/></renderer-v2>");
        labeling(x, &(label_style){"code", false, 7, true, false, true});
    } else {
        st = ccn_error(ccn_store_ctx(store), CCN_ERR_INPUT, "no QGIS style for layer '%s'", table);
    }
    ccn_palette_free(s);
    if (!st && ccn_xml_failed(x))
        st = ccn_error(ccn_store_ctx(store), CCN_ERR_INTERNAL, "out of memory");
    return st;
}

ccn_status ccn_qgisstyle_qml(ccn_store *s, const char *table, char **out)
{
    *out = NULL;
    bool point = false, labels = false;
    for (size_t i = 0; i < ccn_qgis_nlayers; i++)
        if (strcmp(ccn_qgis_layers[i].table, table) == 0)
            point = ccn_qgis_layers[i].point;
    ccn_xml *body = ccn_xml_new(), *x = ccn_xml_new();
    ccn_status st = body && x ? ccn_qgisstyle_xml(s, table, body, &labels)
                              : ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
    if (!st) {
        ccn_xml_raw(x, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                       "<qgis version=\"3.22.16-Białowieża\" styleCategories=\"Symbology|Labeling\""
                       " labelsEnabled=\"%d\">\n%s\n<blendMode>0</blendMode>"
                       "<featureBlendMode>0</featureBlendMode>"
                       "<layerGeometryType>%d</layerGeometryType>\n</qgis>\n",
                    labels, ccn_xml_data(body), point ? 0 : 2);
        *out = ccn_xml_take(x);
        x = NULL;
        if (!*out)
            st = ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
    }
    ccn_xml_free(body);
    ccn_xml_free(x);
    return st;
}

/* ------------------------------------------------------- the workspace */

/* The lease running on D for each lot: the latest start on or before D,
 * running if it has no end or ends after D (as occupancy.c finds it). */
static const char lots_view_sql[] =
    "CREATE VIEW IF NOT EXISTS " CCN_QGIS_LOTS_VIEW " AS"
    " SELECT l.fid AS fid, l.cluster AS cluster, c.name AS cluster_name, l.lot_no AS lot_no,"
    "  l.use AS use,"
    "  CASE WHEN l.use <> 'industrial' THEN 'other'"
    "   WHEN e.fid IS NOT NULL THEN 'leased' ELSE 'vacant' END AS status,"
    "  e.tenant AS tenant, e.start_date AS lease_start, e.end_date AS lease_end,"
    "  date('now', 'localtime') AS as_of, l.geom AS geom"
    " FROM lots l LEFT JOIN clusters c ON c.code = l.cluster"
    " LEFT JOIN leases e ON l.use = 'industrial' AND e.fid = ("
    "  SELECT x.fid FROM leases x WHERE x.cluster = l.cluster AND x.lot_no = l.lot_no"
    "   AND x.start_date <= date('now', 'localtime') ORDER BY x.start_date DESC, x.fid DESC LIMIT 1)"
    "  AND (e.end_date IS NULL OR e.end_date > date('now', 'localtime'));";
/* SpatiaLite's record of the view's geometry (PostGIS finds it by itself). */
static const char lots_view_geometry_sql[] =
    "INSERT OR IGNORE INTO views_geometry_columns (view_name, view_geometry, view_rowid,"
    " f_table_name, f_geometry_column, read_only)"
    " VALUES ('" CCN_QGIS_LOTS_VIEW "', 'geom', 'fid', 'lots', 'geom', 1);";

static const char layer_styles_sql[] =
    "CREATE TABLE IF NOT EXISTS layer_styles(id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "f_table_catalog varchar(256),f_table_schema varchar(256),f_table_name varchar(256),"
    "f_geometry_column varchar(256),styleName text,styleQML text,styleSLD text,"
    "useAsDefault boolean,description text,owner varchar(30),ui text,"
    "update_time timestamp DEFAULT CURRENT_TIMESTAMP);";

/* QGIS's postgres provider looks for a layer's default style in the
 * layer_styles table its connection's search path finds (public), by
 * database, schema and table; a workspace's own schema is not on that path.
 * So ccn's styles are also put there, as QGIS itself writes them (its table
 * made if missing, readable by all: a style is no secret). A role that may
 * not write there gets a warning; its maps and projects keep their styles. */
static const char qgis_styles_sql[] =
    "CREATE TABLE IF NOT EXISTS public.layer_styles(id SERIAL PRIMARY KEY,"
    "f_table_catalog varchar,f_table_schema varchar,f_table_name varchar,"
    "f_geometry_column varchar,styleName text,styleQML xml,styleSLD xml,useAsDefault boolean,"
    "description text,owner varchar(63) DEFAULT CURRENT_USER,ui xml,"
    "update_time timestamp DEFAULT CURRENT_TIMESTAMP,type varchar);";

static ccn_status share_with_qgis(ccn_store *s)
{
    const char *schema = ccn_store_pg_schema(s);
    ccn_stmt *q = NULL;
    char *type = NULL;
    ccn_status st = ccn_store_begin(s); /* a savepoint: a refusal undoes only this */
    if (st)
        return st;
    bool made = false, may = false;
    if ((st = ccn_stmt_prepare(
             s,
             "SELECT to_regclass('public.layer_styles') IS NULL, CASE"
             " WHEN NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN false"
             " WHEN to_regclass('public.layer_styles') IS NULL"
             "  THEN has_schema_privilege('public', 'CREATE')"
             " ELSE has_table_privilege('public.layer_styles', 'INSERT')"
             "  AND has_table_privilege('public.layer_styles', 'DELETE') END, current_user",
             &q)))
        goto done;
    if (ccn_stmt_step(q) == 1) {
        made = ccn_stmt_int(q, 0) == 1;
        may = ccn_stmt_int(q, 1) == 1;
        if (!may)
            ccn_warn(ccn_store_ctx(s),
                     "QGIS will not find ccn's layer styles by itself: it reads them from "
                     "public.layer_styles, which role '%s' may not write (the database's owner "
                     "may, or may grant INSERT and DELETE on it); the projects of 'ccn qgis' "
                     "carry the styles",
                     ccn_stmt_text(q, 2) ? ccn_stmt_text(q, 2) : "?");
    }
    ccn_stmt_free(q), q = NULL;
    if (!may)
        goto done;
    if ((st = ccn_store_exec(s, qgis_styles_sql)) ||
        (made && (st = ccn_store_exec(s, "GRANT SELECT ON public.layer_styles TO PUBLIC"))))
        goto done;
    /* styleQML is xml in QGIS's table, text in some older ones. */
    if ((st = ccn_stmt_prepare(s,
                               "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                               " WHERE attrelid = 'public.layer_styles'::regclass"
                               " AND attname = 'styleqml'",
                               &q)))
        goto done;
    if (ccn_stmt_step(q) == 1 && ccn_stmt_text(q, 0))
        type = strdup(ccn_stmt_text(q, 0));
    ccn_stmt_free(q), q = NULL;
    if (!type || (strcmp(type, "xml") != 0 && strcmp(type, "text") != 0)) {
        st = ccn_error(ccn_store_ctx(s), CCN_ERR_INPUT,
                       "public.layer_styles has no styleqml column of type xml or text");
        goto done;
    }
    char sql[640];
    snprintf(sql, sizeof sql,
             "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name,"
             " f_geometry_column, styleName, styleQML, useAsDefault, description)"
             " SELECT current_database(), ?1, f_table_name, f_geometry_column, styleName,"
             " styleQML::%s, true, description FROM layer_styles WHERE styleName = 'ccn'",
             type);
    if ((st = ccn_stmt_prepare(s,
                               "DELETE FROM public.layer_styles WHERE f_table_catalog ="
                               " current_database() AND f_table_schema = ?1 AND styleName = 'ccn'",
                               &q)))
        goto done;
    ccn_stmt_bind_text(q, 1, schema);
    if (ccn_stmt_step(q) < 0) {
        st = CCN_ERR_INTERNAL;
        goto done;
    }
    ccn_stmt_free(q), q = NULL;
    if ((st = ccn_stmt_prepare(s, sql, &q)))
        goto done;
    ccn_stmt_bind_text(q, 1, schema);
    if (ccn_stmt_step(q) < 0)
        st = CCN_ERR_INTERNAL;
done:
    ccn_stmt_free(q);
    free(type);
    if (!st)
        return ccn_store_commit(s);
    ccn_store_rollback(s);
    ccn_ctx *ctx = ccn_store_ctx(s);
    ccn_warn(ctx, "QGIS will not find ccn's layer styles by itself (they could not be written to "
                  "public.layer_styles: %s); the projects of 'ccn qgis' carry them",
             ccn_ctx_message(ctx)[0] ? ccn_ctx_message(ctx) : "refused");
    ccn_ctx_clear_error(ctx);
    return CCN_OK;
}

ccn_status ccn_qgisstyle_install(ccn_store *s)
{
    ccn_status st;
    if ((st = ccn_store_exec(s, layer_styles_sql)) || (st = ccn_store_exec(s, lots_view_sql)) ||
        (ccn_store_dialect(s) == CCN_DIALECT_SQLITE &&
         (st = ccn_store_exec(s, lots_view_geometry_sql))) ||
        (st = ccn_store_exec(s, "DELETE FROM layer_styles WHERE styleName = 'ccn'")))
        return st;
    ccn_stmt *ins = NULL;
    if ((st = ccn_stmt_prepare(s,
                               "INSERT INTO layer_styles (f_table_catalog, f_table_schema,"
                               " f_table_name, f_geometry_column, styleName, styleQML, styleSLD,"
                               " useAsDefault, description, owner, ui)"
                               /* As QGIS writes them: no catalog, schema or owner
                                * in SQLite, update_time by its default. */
                               " VALUES (NULL, NULL, ?1, 'geom', 'ccn', ?2, '', true, ?3, NULL, NULL)",
                               &ins)))
        return st;
    for (size_t i = 0; i < ccn_qgis_nlayers && !st; i++) {
        char *qml = NULL;
        if ((st = ccn_qgisstyle_qml(s, ccn_qgis_layers[i].table, &qml)))
            break;
        char desc[256];
        snprintf(desc, sizeof desc, "ccn: %s (palette gis/)", ccn_qgis_layers[i].title);
        ccn_stmt_reset(ins);
        ccn_stmt_bind_text(ins, 1, ccn_qgis_layers[i].table);
        ccn_stmt_bind_text(ins, 2, qml);
        ccn_stmt_bind_text(ins, 3, desc);
        if (ccn_stmt_step(ins) < 0)
            st = CCN_ERR_INTERNAL;
        free(qml);
    }
    ccn_stmt_free(ins);
    if (!st && ccn_store_dialect(s) == CCN_DIALECT_POSTGRES)
        st = share_with_qgis(s);
    return st;
}

ccn_status ccn_qgisstyle_gpkg(ccn_store *s, const char *gpkg_path, const char *layer)
{
    const char *style = strcmp(layer, "lots") == 0 ? CCN_QGIS_LOTS_VIEW : layer;
    char *qml = NULL;
    ccn_status st = ccn_qgisstyle_qml(s, style, &qml);
    if (st)
        return st;
    /* layer is one of ccn's layer names (export checked it): no quoting needed. */
    char ddl[1024];
    snprintf(ddl, sizeof ddl,
             "CREATE TABLE IF NOT EXISTS layer_styles (\"id\" INTEGER PRIMARY KEY"
             " AUTOINCREMENT NOT NULL, \"f_table_catalog\" TEXT(256), \"f_table_schema\" TEXT(256),"
             " \"f_table_name\" TEXT(256), \"f_geometry_column\" TEXT(256), \"styleName\" TEXT(30),"
             " \"styleQML\" TEXT, \"styleSLD\" TEXT, \"useAsDefault\" BOOLEAN, \"description\" TEXT,"
             " \"owner\" TEXT(30), \"ui\" TEXT(30), \"update_time\" DATETIME DEFAULT"
             " (strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now')));"
             "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier,"
             " description, last_change, srs_id) VALUES ('layer_styles', 'attributes',"
             " 'layer_styles', '', strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now'), 0);"
             "DELETE FROM layer_styles WHERE styleName = 'ccn' AND f_table_name = '%s';",
             layer);
    const char *params[] = {layer, qml};
    st = ccn_store_file_exec(ccn_store_ctx(s), gpkg_path, ddl,
                             "INSERT INTO layer_styles (f_table_catalog, f_table_schema,"
                             " f_table_name, f_geometry_column, styleName, styleQML, styleSLD,"
                             " useAsDefault, description, owner)"
                             " VALUES ('', '', ?1, 'geom', 'ccn', ?2, '', 1, 'ccn', '')",
                             params, 2);
    free(qml);
    return st;
}
