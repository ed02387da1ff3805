/* area — cluster areas: planar, ellipsoidal, deviation, land-use structure. */
#include "area.h"

#include "crs.h"
#include "district.h"
#include "geom.h"
#include "layer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One registry row with its boundary, valid (repaired if need be). */
typedef struct {
    int64_t fid;
    char *code, *name, *status;
    double planned_ha;     /* NaN when the registry has none */
    GEOSGeometry *geom;    /* valid polygonal boundary, NULL when none */
    bool no_area;          /* a boundary is stored, but its repair leaves no area */
} cluster_row;

typedef struct {
    ccn_ctx *ctx;
    cluster_row *rows;
    size_t n, cap;
} cluster_set;

static void clusters_free(cluster_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->rows[i].code);
        free(s->rows[i].name);
        free(s->rows[i].status);
        if (s->rows[i].geom)
            GEOSGeom_destroy_r(ccn_ctx_geos(s->ctx), s->rows[i].geom);
    }
    free(s->rows);
}

static char *dup_text(ccn_stmt *q, int col)
{
    const char *t = ccn_stmt_text(q, col);
    return t ? strdup(t) : NULL;
}

/* A valid polygonal copy of g; warns when g had to be repaired. */
static GEOSGeometry *valid_copy(ccn_ctx *ctx, GEOSGeometry *g, const char *what)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *repaired = NULL;
    const GEOSGeometry *v = ccn_layer_valid(ctx, g, &repaired);
    if (!v)
        return NULL;
    if (!repaired && !ccn_geom_is_polygonal(ctx, g)) {
        char *type = GEOSGeomType_r(h, g); /* a line, a point, a collection: said, not silent */
        ccn_warn(ctx, "%s is a %s, not a polygon: measured by its polygons; see 'ccn check'", what,
                 type ? type : "geometry");
        GEOSFree_r(h, type);
    }
    if (repaired) {
        char *reason = GEOSisValidReason_r(h, g);
        ccn_warn(ctx, "%s is invalid (%s): measured as repaired by MakeValid; see 'ccn check'",
                 what, reason ? reason : "?");
        if (reason)
            GEOSFree_r(h, reason);
        return repaired;
    }
    return ccn_geom_polygonal(ctx, g);
}

static ccn_status keep_cluster(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    cluster_set *s = user;
    ccn_ctx *ctx = s->ctx;
    if (s->n == s->cap) {
        size_t c = s->cap ? 2 * s->cap : 16;
        cluster_row *r = realloc(s->rows, c * sizeof *r);
        if (!r) {
            if (geom)
                GEOSGeom_destroy_r(ccn_ctx_geos(ctx), geom);
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        }
        s->rows = r, s->cap = c;
    }
    cluster_row *r = &s->rows[s->n++];
    *r = (cluster_row){.fid = fid, .code = dup_text(row, 2), .name = dup_text(row, 3),
                       .status = dup_text(row, 4),
                       .planned_ha = ccn_stmt_is_null(row, 5) ? NAN : ccn_stmt_double(row, 5)};
    if (!geom && !ccn_stmt_is_null(row, 1)) { /* another tool's (layer.h): no area, said */
        ccn_warn(ctx,
                 "cluster %s (fid %lld): the stored boundary cannot be read: taken as without a "
                 "boundary ('ccn check' lists it)",
                 r->code ? r->code : "?", (long long)fid);
        r->no_area = true;
    }
    if (geom) {
        char what[96];
        snprintf(what, sizeof what, "the boundary of cluster %s", r->code ? r->code : "?");
        r->geom = valid_copy(ctx, geom, what);
        GEOSGeom_destroy_r(ccn_ctx_geos(ctx), geom);
        if (!r->geom)
            return CCN_ERR_INTERNAL;
        if (GEOSisEmpty_r(ccn_ctx_geos(ctx), r->geom)) {
            ccn_warn(ctx, "the boundary of cluster %s has no area: its area is empty",
                     r->code ? r->code : "?");
            GEOSGeom_destroy_r(ccn_ctx_geos(ctx), r->geom);
            r->geom = NULL;
            r->no_area = true;
        }
    }
    return CCN_OK;
}

static ccn_status load_clusters(ccn_store *store, cluster_set *s)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *s = (cluster_set){.ctx = ctx};
    ccn_status st = ccn_layer_each_lenient(store,
                                           "SELECT fid, AsBinary(geom), code, name, status,"
                                           " planned_ha FROM clusters ORDER BY fid",
                                           keep_cluster, s);
    if (st)
        return st;
    size_t with = 0;
    for (size_t i = 0; i < s->n; i++)
        with += s->rows[i].geom != NULL || s->rows[i].no_area;
    if (with == 0)
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "%s: no cluster boundaries in the workspace; import them first with "
                         "'ccn import %s FILE --as clusters'",
                         ccn_store_path(store), ccn_store_path(store));
    return CCN_OK;
}

/* Warn about boundaries farther than the tolerance from the central meridian. */
static void meridian_check(ccn_ctx *ctx, const char *code, const GEOSGeometry *lonlat, double lon0,
                           double max_deg)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    double x0, x1;
    if (!GEOSGeom_getXMin_r(h, lonlat, &x0) || !GEOSGeom_getXMax_r(h, lonlat, &x1))
        return;
    double d = fmax(fabs(x0 - lon0), fabs(x1 - lon0));
    if (d > max_deg)
        ccn_warn(ctx,
                 "cluster %s lies up to %.3f° from the central meridian %.4f° (more than %g°): "
                 "its planar area is distorted",
                 code, d, lon0, max_deg);
}

/* The decimals a planned area in hectares is written with: two, as plans
 * write them (50.00), or up to four (1 m²), as area_ha is, when the registry
 * holds more: 30.1234 ha printed 30.12 beside a deviation computed from
 * 30.1234. */
static int ha_decimals(double ha)
{
    int d = 2;
    while (d < 4 && fabs(ha) < 1e9 && fabs(ha - round(ha * pow(10, d)) / pow(10, d)) > 0.5e-4)
        d++;
    return d;
}

ccn_status ccn_area_clusters(ccn_store *store, ccn_table **out)
{
    static const char *const columns[] = {"code",    "name",    "status",         "planned_ha",
                                          "area_m2", "area_ha", "ellipsoidal_m2", "deviation_pct",
                                          NULL};
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    cluster_set s;
    ccn_transform *tf = NULL;
    ccn_table *t = NULL;
    char crs[32];
    double lon0 = NAN, max_deg = ccn_district_tolerance(store, "meridian_max_deg", 1.5);
    *out = NULL;
    ccn_status st = load_clusters(store, &s);
    if (st)
        goto done;
    snprintf(crs, sizeof crs, "EPSG:%d", ccn_store_srid(store));
    if ((st = ccn_store_lonlat(store, ctx, &tf, &lon0)))
        goto done;
    if (isnan(lon0))
        ccn_warn(ctx, "%s has no central meridian: distortion not checked", crs);
    if (!(t = ccn_table_new("areas", columns))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < s.n; i++) {
        const cluster_row *r = &s.rows[i];
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, r->code);
        ccn_table_set_text(t, 1, r->name);
        ccn_table_set_text(t, 2, r->status);
        ccn_table_set_real(t, 3, r->planned_ha, ha_decimals(r->planned_ha));
        if (!r->geom) {
            if (!r->no_area) /* else said when it was read */
                ccn_warn(ctx, "cluster %s has no boundary: its area is empty",
                         r->code ? r->code : "?");
            continue;
        }
        double a = ccn_geom_area(ctx, r->geom);
        GEOSGeometry *ll = ccn_crs_transform_geom(ctx, tf, r->geom);
        if (!ll) {
            st = CCN_ERR_INTERNAL;
            goto done;
        }
        double e = ccn_crs_geodesic_area(ctx, ll);
        if (!isnan(lon0))
            meridian_check(ctx, r->code ? r->code : "?", ll, lon0, max_deg);
        GEOSGeom_destroy_r(h, ll);
        ccn_table_set_real(t, 4, a, 3);
        ccn_table_set_real(t, 5, a / 1e4, 4);
        ccn_table_set_real(t, 6, e, 3);
        if (r->planned_ha > 0)
            ccn_table_set_real(t, 7, (a - r->planned_ha * 1e4) / (r->planned_ha * 1e4) * 100, 4);
    }
done:
    if (st) {
        ccn_table_free(t);
        t = NULL;
    }
    *out = t;
    ccn_crs_transform_free(tf);
    clusters_free(&s);
    return st;
}

/* ---------------------------------------------------------------------------
 * Land-use structure. */

static const char *const uses[] = {"industrial", "service", "green", "utility", "road"};
enum { NUSES = 5 };

typedef struct {
    ccn_ctx *ctx;
    const cluster_set *clusters;
    double (*area)[NUSES]; /* per cluster and use: lot area inside the boundary */
    GEOSGeometry ***parts; /* per cluster: its lots inside the boundary, for the union */
    size_t *nparts, *capparts;
    int64_t lots, outside_registry;
} lot_state;

static ccn_status take_lot(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    lot_state *s = user;
    ccn_ctx *ctx = s->ctx;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    ccn_status st = CCN_OK;
    const char *code = ccn_stmt_text(row, 2), *lot_no = ccn_stmt_text(row, 3),
               *use = ccn_stmt_text(row, 4);
    size_t c = SIZE_MAX;
    int u = -1;
    for (size_t i = 0; code && i < s->clusters->n; i++)
        if (s->clusters->rows[i].code && strcasecmp(s->clusters->rows[i].code, code) == 0)
            c = i;
    for (int k = 0; use && k < NUSES; k++)
        if (strcmp(use, uses[k]) == 0)
            u = k;
    if (!geom || c == SIZE_MAX || !s->clusters->rows[c].geom || u < 0) {
        if (!geom && !ccn_stmt_is_null(row, 1)) /* another tool's: see ccn_layer_each_lenient */
            ccn_warn(ctx, "lot %s/%s (fid %lld): the stored geometry cannot be read: left out of "
                          "the land use ('ccn check' lists it)",
                     code ? code : "?", lot_no ? lot_no : "?", (long long)fid);
        if (geom && u < 0)
            ccn_warn(ctx, "lot %s/%s (fid %lld) has use '%s', none of industrial, service, "
                          "green, utility, road: left out",
                     code ? code : "?", lot_no ? lot_no : "?", (long long)fid, use ? use : "");
        if (geom)
            GEOSGeom_destroy_r(h, geom);
        return CCN_OK;
    }
    char what[128];
    snprintf(what, sizeof what, "lot %s/%s", code, lot_no ? lot_no : "?");
    GEOSGeometry *lot = valid_copy(ctx, geom, what);
    GEOSGeom_destroy_r(h, geom);
    if (!lot)
        return CCN_ERR_INTERNAL;
    GEOSGeometry *inside = GEOSIntersection_r(h, lot, s->clusters->rows[c].geom);
    GEOSGeom_destroy_r(h, lot);
    GEOSGeometry *poly = inside ? ccn_geom_polygonal(ctx, inside) : NULL;
    if (inside)
        GEOSGeom_destroy_r(h, inside);
    if (!poly)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "%s: GEOS: %s", what, ccn_ctx_geos_message(ctx));
    s->area[c][u] += ccn_geom_area(ctx, poly);
    s->lots++;
    if (s->nparts[c] == s->capparts[c]) {
        size_t cap = s->capparts[c] ? 2 * s->capparts[c] : 16;
        GEOSGeometry **p = realloc(s->parts[c], cap * sizeof *p);
        if (!p) {
            GEOSGeom_destroy_r(h, poly);
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        }
        s->parts[c] = p, s->capparts[c] = cap;
    }
    s->parts[c][s->nparts[c]++] = poly;
    return st;
}

ccn_status ccn_area_land_use(ccn_store *store, ccn_table **out)
{
    static const char *const columns[] = {"cluster", "use", "area_m2", "share_pct", NULL};
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    cluster_set s;
    lot_state ls = {.ctx = ctx, .clusters = &s};
    ccn_table *t = NULL;
    *out = NULL;
    ccn_status st = load_clusters(store, &s);
    if (st)
        goto done;
    if ((st = ccn_layer_require(store, "lots", "the land use of a cluster comes from its lots")))
        goto done;
    size_t n = s.n ? s.n : 1;
    ls.area = calloc(n, sizeof *ls.area);
    ls.parts = calloc(n, sizeof *ls.parts);
    ls.nparts = calloc(n, sizeof *ls.nparts);
    ls.capparts = calloc(n, sizeof *ls.capparts);
    if (!ls.area || !ls.parts || !ls.nparts || !ls.capparts) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_layer_each_lenient(store,
                                     "SELECT fid, AsBinary(geom), cluster, lot_no, use FROM lots"
                                     " ORDER BY fid",
                                     take_lot, &ls)))
        goto done;
    if (!(t = ccn_table_new("land_use", columns))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < s.n; c++) {
        const cluster_row *r = &s.rows[c];
        if (!r->geom)
            continue;
        double total = ccn_geom_area(ctx, r->geom), covered = 0;
        if (ls.nparts[c]) {
            GEOSGeometry *coll = GEOSGeom_createCollection_r(
                h, GEOS_GEOMETRYCOLLECTION, ls.parts[c], (unsigned int)ls.nparts[c]);
            ls.nparts[c] = 0; /* the collection owns the parts now */
            GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
            if (coll)
                GEOSGeom_destroy_r(h, coll);
            if (!u) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "lots of %s: GEOS union: %s", r->code,
                               ccn_ctx_geos_message(ctx));
                goto done;
            }
            covered = ccn_geom_area(ctx, u);
            GEOSGeom_destroy_r(h, u);
        }
        for (int k = 0; k <= NUSES; k++) {
            double a = k < NUSES ? ls.area[c][k] : fmax(0, total - covered);
            ccn_table_add_row(t);
            ccn_table_set_text(t, 0, r->code);
            ccn_table_set_text(t, 1, k < NUSES ? uses[k] : "none");
            ccn_table_set_real(t, 2, a, 3);
            ccn_table_set_real(t, 3, total > 0 ? 100 * a / total : NAN, 4);
        }
    }
done:
    for (size_t c = 0; ls.parts && ls.nparts && c < s.n; c++) {
        for (size_t k = 0; k < ls.nparts[c]; k++)
            GEOSGeom_destroy_r(h, ls.parts[c][k]);
        free(ls.parts[c]);
    }
    free(ls.parts);
    free(ls.nparts);
    free(ls.capparts);
    free(ls.area);
    if (st) {
        ccn_table_free(t);
        t = NULL;
    }
    *out = t;
    clusters_free(&s);
    return st;
}
