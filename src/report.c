/* report — gather every report of ccn into one folder (and the web page). */
#include "report.h"

#include "admin.h"
#include "area.h"
#include "check.h"
#include "clearance.h"
#include "cluster.h"
#include "collate.h"
#include "crs.h"
#include "date.h"
#include "district.h"
#include "export.h"
#include "occupancy.h"
#include "outdir.h"
#include "outtext.h"
#include "qgisproject.h"
#include "overlay.h"
#include "palette.h"
#include "publish.h"
#include "chart.h"
#include "render.h"
#include "reportdoc.h"
#include "table.h"
#include "xlsx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_SHEETS = 24 };

/* One run: the folder being built and the tables that go into the workbook. */
typedef struct {
    ccn_store *store;
    ccn_ctx *ctx;
    ccn_outdir *dir;
    char as_of[11];
    ccn_occupancy *occ;             /* read once, for every occupancy view */
    const ccn_table *view[CCN_OCCUPANCY_DISTRICT + 1]; /* each view built once (in tables) */
    ccn_xlsx_sheet sheets[MAX_SHEETS];
    const char *csv[MAX_SHEETS];    /* each sheet's CSV, to find its table again */
    size_t nsheets;
    ccn_table *tables[MAX_SHEETS];  /* owned: every table made, sheet or not */
    size_t ntables;
    int files;
    long step, steps;               /* progress */
    int64_t no_geometry; /* GeoJSON features written with a null geometry (export.h) */
} job;

static void progress(job *j, const char *what)
{
    ccn_progress(j->ctx, what, ++j->step, j->steps);
}

/* Own t from now on. */
static ccn_status keep(job *j, ccn_table *t)
{
    if (!t)
        return ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
    if (j->ntables == MAX_SHEETS) {
        ccn_table_free(t);
        return ccn_error(j->ctx, CCN_ERR_INTERNAL, "too many report tables");
    }
    j->tables[j->ntables++] = t;
    return CCN_OK;
}

/* What the workbook shows of a report: the title above its table, the
 * English columns left out (their Vietnamese twins stay), the columns whose
 * totals mean something. */
static const struct {
    const char *file, *title;
    const char *hide[3], *totals[8];
} sheet_looks[] = {
    {"findings.csv", "Kết quả kiểm tra ranh giới, hình học và mốc giới", {"message"}, {NULL}},
    {"areas.csv", "Diện tích các cụm công nghiệp so với quy hoạch", {NULL},
     {"planned_ha", "area_m2", "area_ha", "ellipsoidal_m2"}},
    {"land_use.csv", "Cơ cấu sử dụng đất trong các cụm công nghiệp", {NULL}, {NULL}},
    {"overlay.csv", "Đối chiếu ranh giới cụm với quy hoạch sử dụng đất", {NULL}, {NULL}},
    {"parcels.csv", "Danh sách thửa đất trong ranh giới cụm (giải phóng mặt bằng)", {NULL},
     {"parcel_area_m2", "affected_m2", "remnant_m2"}},
    {"parcels_totals.csv", "Tổng hợp giải phóng mặt bằng theo cụm và loại đất", {NULL}, {NULL}},
    {"occupancy.csv", "Tỷ lệ lấp đầy các cụm công nghiệp so với mục tiêu", {NULL},
     {"leasable_m2", "leased_m2", "gap_m2", "industrial_lots", "leased_lots"}},
    {"occupancy_by_lot.csv", "Tình hình cho thuê các lô đất", {NULL}, {"area_m2"}},
    {"occupancy_series.csv", "Tỷ lệ lấp đầy theo quý", {NULL}, {NULL}},
    {"decree32.csv", "Đối chiếu các tiêu chí của Nghị định 32/2024/NĐ-CP", {"detail"}, {NULL}},
    {"district_targets.csv", "Mục tiêu lấp đầy theo kế hoạch đến năm 2025", {NULL}, {NULL}},
};

/* Write t as CSV and give it a workbook sheet. */
static ccn_status add_sheet(job *j, const char *sheet, const char *file, const ccn_table *t)
{
    if (j->nsheets == MAX_SHEETS)
        return ccn_error(j->ctx, CCN_ERR_INTERNAL, "too many report sheets");
    j->csv[j->nsheets] = file;
    ccn_xlsx_sheet *s = &j->sheets[j->nsheets++];
    *s = (ccn_xlsx_sheet){.name = sheet, .table = t};
    for (size_t k = 0; k < sizeof sheet_looks / sizeof *sheet_looks; k++)
        if (strcmp(sheet_looks[k].file, file) == 0) {
            s->title = sheet_looks[k].title;
            s->hide = sheet_looks[k].hide[0] ? sheet_looks[k].hide : NULL;
            s->totals = sheet_looks[k].totals[0] ? sheet_looks[k].totals : NULL;
        }
    j->files++;
    progress(j, file);
    return ccn_table_write_file(j->ctx, t, CCN_FORMAT_CSV, CCN_SHOW_ALL, /* for people: every column */
                                ccn_outdir_file(j->dir, file));
}

static ccn_status add_table(job *j, const char *sheet, const char *file, ccn_table *t)
{
    ccn_status st = keep(j, t);
    return st ? st : add_sheet(j, sheet, file, t);
}

/* An occupancy view of the day, built on first use and kept for the rest of
 * the run (the CSVs and the web page share them). */
static ccn_status view_table(job *j, ccn_occupancy_view view, const ccn_table **out)
{
    if (!j->view[view]) {
        ccn_occupancy_options o = {.view = view, .as_of = j->as_of};
        ccn_table *t = NULL;
        ccn_status st = ccn_occupancy_table(j->occ, &o, &t);
        if (st || (st = keep(j, t)))
            return st;
        j->view[view] = t;
    }
    *out = j->view[view];
    return CCN_OK;
}

static ccn_status occupancy_table(job *j, ccn_occupancy_view view, const char *sheet,
                                  const char *file)
{
    const ccn_table *t = NULL;
    ccn_status st = view_table(j, view, &t);
    return st ? st : add_sheet(j, sheet, file, t);
}

static ccn_status export_layer(job *j, const char *layer, const char *file)
{
    ccn_export_options o = {.layer = layer,
                            .path = ccn_outdir_file(j->dir, file),
                            .format = CCN_EXPORT_GEOJSON,
                            .as_of = j->as_of};
    ccn_export_result r;
    j->files++;
    progress(j, file);
    ccn_status st = ccn_export(j->store, &o, &r);
    if (!st)
        j->no_geometry += r.no_geometry;
    return st;
}

static ccn_status draw_map(job *j, const char *cluster, const char *file)
{
    ccn_map_options o = {.path = ccn_outdir_file(j->dir, file), .cluster = cluster,
                         .as_of = j->as_of};
    ccn_map_result r;
    if (!ccn_render_format_from_path(file, &o.format))
        return ccn_error(j->ctx, CCN_ERR_INTERNAL, "%s: not a map format", file);
    j->files++;
    progress(j, file);
    return ccn_render_map(j->store, &o, &r);
}

/* A whole file as a NUL-terminated string (the caller frees it). */
static char *slurp(ccn_ctx *ctx, const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n = -1;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
    } else {
        free(buf);
        buf = NULL;
        ccn_error(ctx, CCN_ERR_INTERNAL, "cannot read back '%s'", path);
    }
    if (f)
        fclose(f);
    return buf;
}

typedef struct {
    const char *lot_no;
    int64_t order;
} lot_rank;

static int by_lot_no(const void *a, const void *b)
{
    const lot_rank *x = a, *y = b;
    int c = ccn_collate(x->lot_no, y->lot_no);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* Industrial lots without a lease on the day, from the by-lot table, with
 * the page's sort keys computed here so that it shows ccn_collate's order,
 * not the browser's: order, the row's place in the by-lot table (cluster in
 * registry order, then lot number), and lot_order, its place by lot number
 * alone (ties in that order). */
static ccn_table *vacant_lots(const ccn_table *by_lot)
{
    static const char *const cols[] = {"cluster", "lot_no", "area_m2", "order", "lot_order", NULL};
    int c = ccn_table_col(by_lot, "cluster"), l = ccn_table_col(by_lot, "lot_no");
    int u = ccn_table_col(by_lot, "use"), a = ccn_table_col(by_lot, "area_m2");
    int leased = ccn_table_col(by_lot, "leased");
    int64_t rows = ccn_table_rows(by_lot), n = 0;
    int64_t *from = malloc((size_t)(rows ? rows : 1) * sizeof *from);  /* by-lot row of each */
    int64_t *lot_order = malloc((size_t)(rows ? rows : 1) * sizeof *lot_order);
    lot_rank *rank = malloc((size_t)(rows ? rows : 1) * sizeof *rank);
    ccn_table *t = from && lot_order && rank ? ccn_table_new("vacant", cols) : NULL;
    for (int64_t r = 0; t && r < rows; r++) {
        const char *use = ccn_table_text(by_lot, r, u);
        if (!use || strcmp(use, "industrial") != 0 || ccn_table_number(by_lot, r, leased) != 0)
            continue;
        rank[n] = (lot_rank){ccn_table_text(by_lot, r, l), n};
        from[n++] = r;
    }
    if (t)
        qsort(rank, (size_t)n, sizeof *rank, by_lot_no);
    for (int64_t k = 0; t && k < n; k++)
        lot_order[rank[k].order] = k;
    for (int64_t k = 0; t && k < n; k++) {
        int64_t r = from[k];
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, ccn_table_text(by_lot, r, c));
        ccn_table_set_text(t, 1, ccn_table_text(by_lot, r, l));
        ccn_table_set_real(t, 2, ccn_table_number(by_lot, r, a), 3);
        ccn_table_set_int(t, 3, k);
        ccn_table_set_int(t, 4, lot_order[k]);
    }
    free(from);
    free(lot_order);
    free(rank);
    return t;
}

/* A ring's positions as GeoJSON, 7 decimals (the grid it was snapped to). */
static void put_ring(FILE *out, GEOSContextHandle_t h, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (cs)
        GEOSCoordSeq_getSize_r(h, cs, &n);
    fputc('[', out);
    for (unsigned int k = 0; k < n; k++) {
        double x = 0, y = 0;
        GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
        fprintf(out, "%s[%.7f,%.7f]", k ? "," : "", x, y);
    }
    fputc(']', out);
}

/* A polygonal geometry as a GeoJSON MultiPolygon. */
static void put_multipolygon(FILE *out, GEOSContextHandle_t h, const GEOSGeometry *g)
{
    fputs("{\"type\":\"MultiPolygon\",\"coordinates\":[", out);
    int parts = GEOSisEmpty_r(h, g) == 1 ? 0 : GEOSGetNumGeometries_r(h, g);
    for (int p = 0; p < parts; p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, p);
        fputs(p ? ",[" : "[", out);
        put_ring(out, h, GEOSGetExteriorRing_r(h, poly));
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, poly); r++) {
            fputc(',', out);
            put_ring(out, h, GEOSGetInteriorRingN_r(h, poly, r));
        }
        fputc(']', out);
    }
    fputs("]}", out);
}

/* The communes as the page's date names them (admin.h: merged under their
 * successors after the 2025 reform), as GeoJSON in WGS 84: 7 decimals,
 * exterior rings counter-clockwise (RFC 7946). The downloadable
 * communes.geojson stays the layer as stored. */
static ccn_status web_communes(job *j, char **json)
{
    GEOSContextHandle_t h = ccn_ctx_geos(j->ctx);
    ccn_admin_unit *u = NULL;
    size_t n = 0, size = 0;
    ccn_transform *tf = NULL;
    double lon0;
    FILE *out = open_memstream(json, &size);
    ccn_status st = out ? CCN_OK : ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
    if (st || (st = ccn_admin_communes_on(j->store, j->as_of, &u, &n)) ||
        (st = ccn_store_lonlat(j->store, j->ctx, &tf, &lon0)))
        goto done;
    fputs("{\"type\":\"FeatureCollection\",\"features\":[", out);
    for (size_t i = 0; i < n && !st; i++) {
        GEOSGeometry *ll = ccn_crs_transform_geom(j->ctx, tf, u[i].g), *grid = NULL, *ccw = NULL;
        /* Snapped to the 1e-7° grid first, so the winding is that of what is
         * written; normalising winds shells clockwise, reversed they are as
         * RFC 7946 wants. */
        if (ll && (grid = GEOSGeom_setPrecision_r(h, ll, 1e-7, 0)) &&
            GEOSNormalize_r(h, grid) == 0)
            ccw = GEOSReverse_r(h, grid);
        if (!ccw) {
            st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "web page: cannot write commune %s: %s",
                           u[i].name, ccn_ctx_geos_message(j->ctx));
        } else {
            fprintf(out, "%s{\"type\":\"Feature\",\"properties\":{\"code\":", i ? "," : "");
            ccn_table_json_string(out, u[i].code);
            fputs(",\"name\":", out);
            ccn_table_json_string(out, u[i].name);
            fputs("},\"geometry\":", out);
            put_multipolygon(out, h, ccw);
            fputc('}', out);
            GEOSGeom_destroy_r(h, ccw);
        }
        if (grid)
            GEOSGeom_destroy_r(h, grid);
        if (ll)
            GEOSGeom_destroy_r(h, ll);
    }
    fputs("]}", out);
done:
    ccn_crs_transform_free(tf);
    ccn_admin_units_free(j->ctx, u, n);
    if (out && fclose(out) != 0 && !st)
        st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
    if (st) {
        free(*json);
        *json = NULL;
    }
    return st;
}

/* The web page into subdir of the folder, its figures from the model and
 * its layers from the GeoJSON files exported into layer_dir (which stay
 * there for download). */
static ccn_status write_page(job *j, const char *subdir, const char *layer_dir)
{
    static const char *const layers[] = {"clusters", "lots", "communes", "plan"};
    char *geojson[4] = {NULL};
    const ccn_table *occupancy = NULL, *series = NULL, *by_lot = NULL;
    ccn_table *vacant = NULL;
    ccn_palette *pal = NULL;
    char *pal_json = NULL;
    char rel[256];
    ccn_status st;
    if ((st = ccn_outdir_mkdir(j->ctx, j->dir, layer_dir)) ||
        (st = ccn_palette_load(j->ctx, j->store, &pal)))
        goto done;
    if (!(pal_json = ccn_palette_json(pal))) {
        st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (int i = 0; i < 4; i++) {
        snprintf(rel, sizeof rel, "%s/%s.geojson", layer_dir, layers[i]);
        if ((st = export_layer(j, layers[i], rel)))
            goto done;
        if (!(geojson[i] = slurp(j->ctx, ccn_outdir_file(j->dir, rel)))) {
            st = CCN_ERR_INTERNAL;
            goto done;
        }
    }
    if ((st = view_table(j, CCN_OCCUPANCY_BY_CLUSTER, &occupancy)) ||
        (st = view_table(j, CCN_OCCUPANCY_SERIES, &series)) ||
        (st = view_table(j, CCN_OCCUPANCY_BY_LOT, &by_lot)))
        goto done;
    if (!(vacant = vacant_lots(by_lot))) {
        st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    free(geojson[2]); /* the page shows the communes of its date, not as stored */
    geojson[2] = NULL;
    if ((st = web_communes(j, &geojson[2])))
        goto done;
    char *area = ccn_admin_area(j->store, j->as_of), title[256];
    snprintf(title, sizeof title, "Các cụm công nghiệp%s%s — tỷ lệ lấp đầy",
             area && *area ? " trên " : "", area ? area : "");
    free(area);
    ccn_publish_data data = {.title = title,
                             .as_of = j->as_of,
                             .clusters = geojson[0],
                             .lots = geojson[1],
                             .communes = geojson[2],
                             .plan = geojson[3],
                             .palette = pal_json,
                             .occupancy = occupancy,
                             .series = series,
                             .vacant = vacant};
    progress(j, "web page");
    st = ccn_publish_write_into(j->ctx, j->dir, subdir, &data);
    j->files += 5;
done:
    for (int i = 0; i < 4; i++)
        free(geojson[i]);
    ccn_table_free(vacant);
    free(pal_json);
    ccn_palette_free(pal);
    return st;
}

static ccn_status start(ccn_store *store, const char *outdir, const char *as_of, const char *who,
                        job *j)
{
    *j = (job){.store = store, .ctx = ccn_store_ctx(store)};
    if (as_of && !ccn_date_valid(as_of))
        return ccn_error(j->ctx, CCN_ERR_INPUT, "--as-of '%s' is not a date: write " CCN_DATE_FORMS, as_of);
    if (as_of)
        snprintf(j->as_of, sizeof j->as_of, "%s", as_of);
    else
        ccn_date_today(j->as_of);
    ccn_status st = ccn_occupancy_load(store, NULL, &j->occ);
    if (!st)
        st = ccn_outdir_begin(j->ctx, outdir, who, &j->dir);
    return st;
}

static void finish(job *j)
{
    for (size_t i = 0; i < j->ntables; i++)
        ccn_table_free(j->tables[i]);
    ccn_occupancy_free(j->occ);
    ccn_outdir_free(j->dir);
}

ccn_status ccn_report_publish(ccn_store *store, const char *outdir, const char *as_of,
                              int64_t *no_geometry)
{
    job j;
    ccn_status st = start(store, outdir, as_of, "ccn publish", &j);
    j.steps = 5;
    if (!st)
        st = write_page(&j, "", "data");
    if (no_geometry)
        *no_geometry = j.no_geometry;
    if (!st)
        st = ccn_outdir_commit(j.ctx, j.dir);
    finish(&j);
    return st;
}

/* The boundary checks (which replace the findings table), then the areas. */
static ccn_status boundary_reports(job *j, ccn_report_result *res)
{
    ccn_check_options o = {0};
    ccn_check_summary summary;
    ccn_table *t = NULL;
    ccn_status st = ccn_check_run(j->store, &o, &t, &summary);
    if (st == CCN_FOUND) /* findings are the report's content, not a failure */
        st = CCN_OK;
    if (st)
        return st;
    res->errors = summary.errors;
    res->warnings = summary.warnings;
    for (int g = 0; g < CCN_CHECK_GROUPS; g++) {
        const char *why = summary.groups[g].note; /* "not run: no lots imported" */
        if (strncmp(why, "not run: ", 9) == 0)
            why += 9;
        if (!summary.groups[g].ran)
            ccn_warn(j->ctx, "check %s not run: %s", summary.groups[g].name, why);
    }
    if ((st = add_table(j, "Kiểm tra ranh giới", "findings.csv", t)) ||
        (st = export_layer(j, "findings", "findings.geojson")))
        return st;
    if ((st = ccn_area_clusters(j->store, &t)) ||
        (st = add_table(j, "Diện tích", "areas.csv", t)))
        return st;
    if (ccn_store_count(j->store, "lots") <= 0) { /* a cluster's land use is its lots' */
        ccn_warn(j->ctx, "land_use.csv not written: no lots imported");
        return CCN_OK;
    }
    if ((st = ccn_area_land_use(j->store, &t)))
        return st;
    return add_table(j, "Cơ cấu sử dụng đất", "land_use.csv", t);
}

/* Overlay with the land-use plan and the site-clearance lists: they need
 * the plan and the parcels; without them the report says so and goes on. */
static ccn_status plan_reports(job *j)
{
    ccn_table *t = NULL, *totals = NULL;
    ccn_status st = CCN_OK;
    if (ccn_store_count(j->store, "plan") > 0) {
        if ((st = ccn_overlay_clusters(j->store, NULL, &t)) ||
            (st = add_table(j, "Quy hoạch sử dụng đất", "overlay.csv", t)))
            return st;
    } else {
        ccn_warn(j->ctx, "overlay.csv not written: no plan zones imported");
    }
    if (ccn_store_count(j->store, "parcels") > 0) {
        ccn_clearance_options o = {
            .remnant_max_m2 = ccn_district_tolerance(j->store, "remnant_m2", 100)};
        if ((st = ccn_clearance(j->store, &o, &t, &totals)))
            return st;
        st = add_table(j, "Giải phóng mặt bằng", "parcels.csv", t);
        if (st) {
            ccn_table_free(totals);
            return st;
        }
        return add_table(j, "GPMB theo loại đất", "parcels_totals.csv", totals);
    }
    ccn_warn(j->ctx, "parcels.csv not written: no cadastral parcels imported");
    return st;
}

/* "maps/CODE.EXT": a code is data, so its file name goes through the safe
 * alphabet of outtext.h and stays in maps/ whatever the code holds. */
static const char *map_file(char *buf, size_t n, const char *code, const char *ext)
{
    char name[CCN_OUTTEXT_NAME_MAX];
    snprintf(buf, n, "maps/%s.%s", ccn_outtext_filename(code ? code : "", name), ext);
    return buf;
}

/* A map of every cluster that has a boundary, and the district map. */
static ccn_status draw_maps(job *j)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(j->store,
                                     "SELECT code FROM clusters WHERE geom IS NOT NULL ORDER BY fid",
                                     &q);
    if (st)
        return st;
    if ((st = ccn_outdir_mkdir(j->ctx, j->dir, "maps")))
        goto done;
    int rc;
    char file[128];
    while ((rc = ccn_stmt_step(q)) == 1) {
        const char *code = ccn_stmt_text(q, 0);
        for (int k = 0; k < 2 && !st; k++) {
            map_file(file, sizeof file, code, k ? "png" : "pdf");
            st = draw_map(j, code, file);
        }
        if (st)
            goto done;
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
    for (int k = 0; k < 2 && !st; k++)
        st = draw_map(j, NULL, k ? "maps/district.png" : "maps/district.pdf");
done:
    ccn_stmt_free(q);
    return st;
}

/* The table written as file, or NULL. */
static const ccn_table *table_of(const job *j, const char *file)
{
    for (size_t i = 0; i < j->nsheets; i++)
        if (strcmp(j->csv[i], file) == 0)
            return j->sheets[i].table;
    return NULL;
}

/* The quarterly chart of the occupancy series: a line per cluster, the
 * targets dashed. The n-th cluster's line has the palette's colour chart.n
 * (from 1, round the eight), as on the web page. */
static ccn_status draw_chart(job *j, const char *file)
{
    const ccn_table *t = table_of(j, "occupancy_series.csv");
    int q = t ? ccn_table_col(t, "quarter") : -1, c = t ? ccn_table_col(t, "cluster") : -1;
    int v = t ? ccn_table_col(t, "occupancy_pct") : -1;
    if (q < 0 || c < 0 || v < 0)
        return ccn_error(j->ctx, CCN_ERR_INTERNAL, "no occupancy series for the chart");
    int64_t n = ccn_table_rows(t);
    /* quarters and clusters in order of first appearance */
    const char **quarters = calloc((size_t)n + 1, sizeof *quarters);
    const char **labels = calloc((size_t)n + 1, sizeof *labels);
    const char **names = calloc((size_t)n + 1, sizeof *names);
    double *values = malloc(((size_t)n + 1) * ((size_t)n + 1) * sizeof *values);
    ccn_chart_series *series = calloc((size_t)n + 1, sizeof *series);
    char (*years)[8] = calloc((size_t)n + 1, sizeof *years);
    size_t nq = 0, nc = 0;
    ccn_palette *pal = NULL;
    ccn_status st = CCN_OK;
    if (!quarters || !labels || !names || !values || !series || !years) {
        st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_palette_load(j->ctx, j->store, &pal)))
        goto done;
    for (int64_t r = 0; r < n; r++) {
        const char *qr = ccn_table_text(t, r, q), *cl = ccn_table_text(t, r, c);
        size_t a = 0, b = 0;
        while (a < nq && strcmp(quarters[a], qr) != 0)
            a++;
        if (a == nq)
            quarters[nq++] = qr;
        while (b < nc && strcmp(names[b], cl) != 0)
            b++;
        if (b == nc)
            names[nc++] = cl;
    }
    for (size_t k = 0; k < nq * nc; k++)
        values[k] = NAN;
    for (int64_t r = 0; r < n; r++) {
        size_t a = 0, b = 0;
        while (strcmp(quarters[a], ccn_table_text(t, r, q)) != 0)
            a++;
        while (strcmp(names[b], ccn_table_text(t, r, c)) != 0)
            b++;
        if (ccn_table_type(t, r, v) == CCN_CELL_REAL || ccn_table_type(t, r, v) == CCN_CELL_INT)
            values[b * nq + a] = ccn_table_number(t, r, v);
    }
    for (size_t a = 0; a < nq; a++) /* a year under its first quarter */
        if (strlen(quarters[a]) == 7 && strcmp(quarters[a] + 4, "-Q1") == 0) {
            snprintf(years[a], 8, "%.4s", quarters[a]);
            labels[a] = years[a];
        }
    for (size_t b = 0; b < nc; b++) {
        char key[32];
        snprintf(key, sizeof key, "chart.%zu", b % 8 + 1);
        series[b] = (ccn_chart_series){.name = names[b], .values = values + b * nq,
                                       .rgb = ccn_palette_rgb(pal, key)};
    }
    static const double targets[] = {80, 30};
    static const char *const target_names[] = {"Mục tiêu cụm hiện có 80 %",
                                               "Mục tiêu cụm mới 30 %"};
    ccn_chart chart = {.title = "Tỷ lệ lấp đầy các cụm công nghiệp theo quý",
                       .y_label = "Tỷ lệ lấp đầy (%)",
                       .categories = labels,
                       .ncategories = nq,
                       .series = series,
                       .nseries = nc,
                       .targets = targets,
                       .target_names = target_names,
                       .ntargets = 2,
                       .y_max = 100};
    j->files++;
    progress(j, file);
    st = ccn_chart_png(j->ctx, &chart, ccn_outdir_file(j->dir, file));
done:
    ccn_palette_free(pal);
    free(quarters);
    free(labels);
    free(names);
    free(values);
    free(series);
    free(years);
    return st;
}

/* The report document and, when LibreOffice is there, its PDF. */
static ccn_status write_document(job *j, bool no_pdf, ccn_report_result *res)
{
    ccn_stmt *q = NULL;
    char *paths[64] = {NULL}, *titles[64] = {NULL}, *docx = NULL;
    size_t nmaps = 0;
    ccn_status st = draw_chart(j, "maps/lap_day_theo_quy.png");
    if (st)
        return st;
    char *chart = strdup(ccn_outdir_file(j->dir, "maps/lap_day_theo_quy.png"));
    char *area = ccn_admin_area(j->store, j->as_of);
    if (!chart || !area) {
        st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    char title[512];
    snprintf(title, sizeof title, "Bản đồ các cụm công nghiệp trên %s",
             area && *area ? area : "địa bàn");
    paths[nmaps] = strdup(ccn_outdir_file(j->dir, "maps/district.png"));
    titles[nmaps++] = strdup(title);
    if ((st = ccn_stmt_prepare(j->store, "SELECT code, name, kind FROM clusters"
                                         " WHERE geom IS NOT NULL ORDER BY fid", &q)))
        goto done;
    int rc;
    while (nmaps < 64 && (rc = ccn_stmt_step(q)) == 1) {
        char file[160];
        map_file(file, sizeof file, ccn_stmt_text(q, 0), "png");
        const char *name = ccn_stmt_text(q, 1);
        snprintf(title, sizeof title, "%s%s (%s)", ccn_cluster_kind_word(name, ccn_stmt_text(q, 2)),
                 name ? name : "", ccn_stmt_text(q, 0));
        paths[nmaps] = strdup(ccn_outdir_file(j->dir, file));
        titles[nmaps++] = strdup(title);
    }
    for (size_t i = 0; i < nmaps; i++)
        if (!paths[i] || !titles[i]) {
            st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
    char issued[11];
    ccn_date_today(issued);
    ccn_reportdoc_data data = {.as_of = j->as_of,
                               .issued = issued,
                               .findings = table_of(j, "findings.csv"),
                               .areas = table_of(j, "areas.csv"),
                               .overlay = table_of(j, "overlay.csv"),
                               .clearance = table_of(j, "parcels_totals.csv"),
                               .occupancy = table_of(j, "occupancy.csv"),
                               .decree = table_of(j, "decree32.csv"),
                               .chart_png = chart,
                               .map_pngs = (const char *const *)paths,
                               .map_titles = (const char *const *)titles,
                               .nmaps = nmaps};
    progress(j, "bao_cao.docx");
    if (!(docx = strdup(ccn_outdir_file(j->dir, "bao_cao.docx")))) {
        st = ccn_error(j->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_reportdoc_write(j->store, &data, docx)))
        goto done;
    j->files++;
    if (no_pdf)
        goto done;
    progress(j, "bao_cao.pdf");
    bool made = false;
    if ((st = ccn_reportdoc_pdf(j->ctx, docx, 300, &made)))
        goto done;
    res->pdf = made;
    if (made)
        j->files++;
    else
        ccn_warn(j->ctx, "bao_cao.pdf not made: LibreOffice (soffice) is not installed; "
                         "bao_cao.docx is");
done:
    ccn_stmt_free(q);
    for (size_t i = 0; i < nmaps; i++) {
        free(paths[i]);
        free(titles[i]);
    }
    free(chart);
    free(area);
    free(docx);
    return st;
}

/* The summary figures: clusters meeting their target on the day. */
static void summarise(const job *j, ccn_report_result *res)
{
    const ccn_table *t = j->view[CCN_OCCUPANCY_BY_CLUSTER];
    int met = t ? ccn_table_col(t, "target_met") : -1;
    if (met < 0)
        return;
    res->clusters = (int)ccn_table_rows(t);
    for (int64_t r = 0; r < ccn_table_rows(t); r++) {
        if (ccn_table_type(t, r, met) != CCN_CELL_BOOL)
            continue;
        res->clusters_with_target++;
        res->clusters_meeting += ccn_table_number(t, r, met) != 0;
    }
}

ccn_status ccn_report_write(ccn_store *store, const ccn_report_options *opt,
                            ccn_report_result *res)
{
    memset(res, 0, sizeof *res);
    job j;
    ccn_status st = start(store, opt->outdir, opt->as_of, "ccn report", &j);
    snprintf(res->as_of, sizeof res->as_of, "%s", j.as_of);
    j.steps = 40;
    if (st || (st = boundary_reports(&j, res)))
        goto done;
    if ((st = occupancy_table(&j, CCN_OCCUPANCY_BY_CLUSTER, "Lấp đầy theo cụm",
                              "occupancy.csv")) ||
        (st = occupancy_table(&j, CCN_OCCUPANCY_BY_LOT, "Lấp đầy theo lô",
                              "occupancy_by_lot.csv")) ||
        (st = occupancy_table(&j, CCN_OCCUPANCY_SERIES, "Lấp đầy theo quý",
                              "occupancy_series.csv")) ||
        (st = occupancy_table(&j, CCN_OCCUPANCY_DECREE, "Nghị định 32-2024",
                              "decree32.csv")) ||
        (st = occupancy_table(&j, CCN_OCCUPANCY_DISTRICT, "Mục tiêu 2025",
                              "district_targets.csv")))
        goto done;
    if ((st = plan_reports(&j)))
        goto done;
    if ((st = draw_maps(&j)) || (st = write_page(&j, "web", "layers")))
        goto done;
    progress(&j, "bao_cao.xlsx");
    char *issuer = ccn_store_meta(store, "issuer");
    ccn_xlsx_book book = {.issuer = issuer, .as_of = j.as_of};
    st = ccn_xlsx_write(j.ctx, ccn_outdir_file(j.dir, "bao_cao.xlsx"), &book, j.sheets, j.nsheets);
    free(issuer);
    if (st)
        goto done;
    j.files++;
    {
        /* The QGIS project beside the maps, naming the workspace relative
         * to where OUTDIR will be. */
        ccn_qgis_options q = {.path = ccn_outdir_file(j.dir, "du_an.qgz"),
                              .base_dir = opt->outdir, .as_of = j.as_of};
        ccn_qgis_result qr;
        progress(&j, "du_an.qgz");
        if ((st = ccn_qgis_project_write(store, &q, &qr)))
            goto done;
        j.files++;
    }
    if ((st = write_document(&j, opt->no_pdf, res)))
        goto done;
    summarise(&j, res);
    res->files = j.files;
    res->no_geometry = j.no_geometry;
    ccn_progress(j.ctx, "report", j.steps, j.steps);
    st = ccn_outdir_commit(j.ctx, j.dir);
done:
    finish(&j);
    return st;
}
