/* clearance — parcels taken by each cluster, and totals per current land use. */
#include "clearance.h"

#include "cluster.h"
#include "collate.h"
#include "geom.h"
#include "layer.h"
#include "overlay.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One taken parcel. */
typedef struct {
    size_t cluster;          /* index into the loaded clusters */
    int64_t fid;
    char *commune, *landuse, *owner;
    int64_t sheet, parcel_no;
    bool has_sheet, has_parcel_no;
    double area_legal;       /* NaN when not on record */
    double area;             /* planar area of the (valid) parcel, m² */
    double affected;         /* area of parcel ∩ cluster, m² */
} take;

typedef struct {
    ccn_store *store;
    ccn_ctx *ctx;
    const ccn_cluster *cluster;
    size_t cluster_index;
    const GEOSPreparedGeometry *prep;
    take *v;
    size_t n, cap;
    int64_t *repaired;       /* fids, for the warning */
    size_t nrepaired, caprepaired;
} take_state;

static char *dup_text(const char *s) { return s ? strdup(s) : NULL; }

static ccn_status oom(ccn_ctx *ctx) { return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory"); }

/* Measure one candidate parcel against the cluster; keep it when taken. */
static ccn_status take_parcel(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    take_state *s = user;
    GEOSContextHandle_t h = ccn_ctx_geos(s->ctx);
    GEOSGeometry *repaired = NULL;
    ccn_status st = CCN_OK;
    if (!geom) { /* no geometry: cannot meet the cluster */
        if (!ccn_stmt_is_null(row, 1)) /* one another tool left unreadable (layer.h) */
            ccn_warn(s->ctx, "parcel fid %lld: the stored geometry cannot be read: left out of "
                             "the parcels taken ('ccn check' lists it)",
                     (long long)fid);
        return CCN_OK;
    }
    const GEOSGeometry *g = ccn_layer_valid(s->ctx, geom, &repaired);
    if (!g) {
        st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "parcel %lld: cannot repair its geometry: %s",
                       (long long)fid, ccn_ctx_geos_message(s->ctx));
        goto done;
    }
    if (repaired) {
        if (s->nrepaired == s->caprepaired) {
            size_t cap = s->caprepaired ? 2 * s->caprepaired : 16;
            int64_t *v = realloc(s->repaired, cap * sizeof *v);
            if (!v) {
                st = oom(s->ctx);
                goto done;
            }
            s->repaired = v;
            s->caprepaired = cap;
        }
        s->repaired[s->nrepaired++] = fid;
    }
    double area = ccn_geom_area(s->ctx, g);
    double affected = ccn_geom_common_area(s->ctx, s->prep, s->cluster->geom, g, NULL);
    if (affected < 0) {
        st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "parcel %lld: GEOS failed: %s", (long long)fid,
                       ccn_ctx_geos_message(s->ctx));
        goto done;
    }
    if (affected < CCN_OVERLAY_MIN_M2)
        goto done; /* touches the boundary only */
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 256;
        take *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            st = oom(s->ctx);
            goto done;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (take){
        .cluster = s->cluster_index,
        .fid = fid,
        .commune = dup_text(ccn_stmt_text(row, 2)),
        .has_sheet = !ccn_stmt_is_null(row, 3),
        .sheet = ccn_stmt_int(row, 3),
        .has_parcel_no = !ccn_stmt_is_null(row, 4),
        .parcel_no = ccn_stmt_int(row, 4),
        .landuse = dup_text(ccn_stmt_text(row, 5)),
        .owner = dup_text(ccn_stmt_text(row, 6)),
        .area_legal = ccn_stmt_is_null(row, 7) ? NAN : ccn_stmt_double(row, 7),
        .area = area,
        .affected = affected > area ? area : affected,
    };
done:
    if (repaired)
        GEOSGeom_destroy_r(h, repaired);
    GEOSGeom_destroy_r(h, geom);
    return st;
}

/* Commune and land-use codes as people read them (collate.h); no value
 * first. */
static int cmp_text(const char *a, const char *b) { return ccn_collate(a, b); }

static int cmp_i64(int64_t a, int64_t b) { return (a > b) - (a < b); }

/* Cluster (registry order), commune, sheet, parcel number, fid. */
static int cmp_take(const void *x, const void *y)
{
    const take *a = x, *b = y;
    int c;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    if ((c = cmp_text(a->commune, b->commune)))
        return c;
    if (a->has_sheet != b->has_sheet)
        return a->has_sheet ? 1 : -1;
    if ((c = cmp_i64(a->sheet, b->sheet)))
        return c;
    if (a->has_parcel_no != b->has_parcel_no)
        return a->has_parcel_no ? 1 : -1;
    if ((c = cmp_i64(a->parcel_no, b->parcel_no)))
        return c;
    return cmp_i64(a->fid, b->fid);
}

/* Cluster, then land use: for the totals. */
static int cmp_take_landuse(const void *x, const void *y)
{
    const take *a = x, *b = y;
    if (a->cluster != b->cluster)
        return a->cluster < b->cluster ? -1 : 1;
    return cmp_text(a->landuse, b->landuse);
}

static const char *const list_columns[] = {
    "cluster",        "parcel_id",   "commune",      "sheet",      "parcel_no",
    "landuse",        "owner",       "parcel_area_m2", "affected_m2", "affected_pct",
    "remnant_m2",     "remnant_small", "area_legal_m2", NULL};

static const char *const totals_columns[] = {
    "cluster",     "landuse",   "landuse_name",   "parcels",
    "parcel_area_m2", "affected_m2", "share_pct", "small_remnants", NULL};

static double remnant_of(const take *t)
{
    double r = t->area - t->affected;
    return r < CCN_OVERLAY_MIN_M2 ? 0 : r;
}

static bool remnant_small(const take *t, double max)
{
    double r = remnant_of(t);
    return r > 0 && r < max;
}

static ccn_table *make_list(const ccn_clusters *cs, const take *v, size_t n, double max)
{
    ccn_table *t = ccn_table_new("parcels", list_columns);
    if (t) /* the remnant and the area on record are extras */
        ccn_table_set_contract(t, "affected_pct");
    for (size_t i = 0; t && i < n; i++) {
        const take *p = &v[i];
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, cs->c[p->cluster].code);
        ccn_table_set_int(t, 1, p->fid);
        ccn_table_set_text(t, 2, p->commune);
        if (p->has_sheet)
            ccn_table_set_int(t, 3, p->sheet);
        if (p->has_parcel_no)
            ccn_table_set_int(t, 4, p->parcel_no);
        ccn_table_set_text(t, 5, p->landuse);
        ccn_table_set_text(t, 6, p->owner);
        ccn_table_set_real(t, 7, p->area, 3);
        ccn_table_set_real(t, 8, p->affected, 3);
        ccn_table_set_real(t, 9, p->area > 0 ? 100.0 * p->affected / p->area : NAN, 4);
        ccn_table_set_real(t, 10, remnant_of(p), 3);
        ccn_table_set_bool(t, 11, remnant_small(p, max));
        ccn_table_set_real(t, 12, p->area_legal, 3);
    }
    return t;
}

/* One group of the totals: a land use of a cluster, or the whole cluster. */
typedef struct {
    const char *landuse;
    int64_t parcels, small;
    double area, affected;
} group;

static int cmp_group(const void *x, const void *y)
{
    const group *a = x, *b = y;
    if (a->affected != b->affected)
        return a->affected < b->affected ? 1 : -1;
    return cmp_text(a->landuse, b->landuse);
}

static void add_group_row(ccn_table *t, const ccn_cluster *c, const group *g, const char *name)
{
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, c->code);
    ccn_table_set_text(t, 1, g->landuse);
    ccn_table_set_text(t, 2, name);
    ccn_table_set_int(t, 3, g->parcels);
    ccn_table_set_real(t, 4, g->area, 3);
    ccn_table_set_real(t, 5, g->affected, 3);
    ccn_table_set_real(t, 6, c->area > 0 ? 100.0 * g->affected / c->area : NAN, 4);
    ccn_table_set_int(t, 7, g->small);
}

/* v sorted by cluster and land use. */
static ccn_status make_totals(ccn_store *store, const ccn_clusters *cs, const take *v, size_t n,
                              double max, ccn_table **out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_stmt *q = NULL;
    group *groups = calloc(n + 1, sizeof *groups);
    ccn_table *t = ccn_table_new("parcels_totals", totals_columns);
    ccn_status st = CCN_OK;
    if (!groups || !t) {
        st = oom(ctx);
        goto done;
    }
    if ((st = ccn_stmt_prepare(store, "SELECT name FROM landuse_codes WHERE code = ?", &q)))
        goto done;
    size_t i = 0;
    for (size_t c = 0; c < cs->n; c++) {
        group all = {.landuse = "*"};
        size_t ng = 0;
        for (; i < n && v[i].cluster == c; i++) {
            if (ng == 0 || cmp_text(groups[ng - 1].landuse, v[i].landuse) != 0)
                groups[ng++] = (group){.landuse = v[i].landuse};
            group *g = &groups[ng - 1];
            bool small = remnant_small(&v[i], max);
            g->parcels++;
            g->small += small;
            g->area += v[i].area;
            g->affected += v[i].affected;
            all.parcels++;
            all.small += small;
            all.area += v[i].area;
            all.affected += v[i].affected;
        }
        if (ng > 1)
            qsort(groups, ng, sizeof *groups, cmp_group);
        for (size_t k = 0; k < ng; k++) {
            const char *name = NULL;
            ccn_stmt_reset(q);
            ccn_stmt_bind_text(q, 1, groups[k].landuse);
            int rc = groups[k].landuse ? ccn_stmt_step(q) : 0;
            if (rc < 0) {
                st = CCN_ERR_INTERNAL;
                goto done;
            }
            if (rc == 1)
                name = ccn_stmt_text(q, 0);
            add_group_row(t, &cs->c[c], &groups[k], name);
        }
        add_group_row(t, &cs->c[c], &all, "Tổng cộng");
    }
    *out = t;
    t = NULL;
done:
    ccn_stmt_free(q);
    ccn_table_free(t);
    free(groups);
    return st;
}

static int cmp_fid(const void *x, const void *y)
{
    return cmp_i64(*(const int64_t *)x, *(const int64_t *)y);
}

ccn_status ccn_clearance(ccn_store *store, const ccn_clearance_options *opt, ccn_table **list,
                         ccn_table **totals)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (list)
        *list = NULL;
    if (totals)
        *totals = NULL;
    ccn_clusters cs = {0};
    take_state s = {.store = store, .ctx = ctx};
    ccn_status st = ccn_layer_require(store, "parcels", "the cadastral parcels");
    if (st || (st = ccn_clusters_load(store, opt->cluster, &cs)))
        goto done;
    /* Candidates by the parcels' R*Tree (SpatiaLite's spatial index). */
    static const char sql[] =
        "SELECT fid, AsBinary(geom), commune, sheet, parcel_no, landuse, owner, area_legal "
        "FROM parcels t WHERE ";
    for (size_t c = 0; c < cs.n; c++) {
        double xmin, ymin, xmax, ymax;
        char query[sizeof sql + 300], box[4][32];
        if (!GEOSGeom_getExtent_r(h, cs.c[c].geom, &xmin, &ymin, &xmax, &ymax) ||
            !(s.prep = GEOSPrepare_r(h, cs.c[c].geom))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "cluster %s: GEOS failed: %s", cs.c[c].code,
                           ccn_ctx_geos_message(ctx));
            goto done;
        }
        /* Widened by a millimetre: the index rounds its boxes to floats. */
        snprintf(box[0], sizeof box[0], "%.6f", xmin - 0.001);
        snprintf(box[1], sizeof box[1], "%.6f", ymin - 0.001);
        snprintf(box[2], sizeof box[2], "%.6f", xmax + 0.001);
        snprintf(box[3], sizeof box[3], "%.6f", ymax + 0.001);
        int k = snprintf(query, sizeof query, "%s", sql);
        ccn_store_window_sql(store, query + k, sizeof query - (size_t)k, "t", "parcels", box[0],
                             box[1], box[2], box[3]);
        s.cluster = &cs.c[c];
        s.cluster_index = c;
        st = ccn_layer_each_lenient(store, query, take_parcel, &s);
        GEOSPreparedGeom_destroy_r(h, s.prep);
        s.prep = NULL;
        if (st)
            goto done;
    }
    if (s.nrepaired) {
        if (s.nrepaired > 1)
            qsort(s.repaired, s.nrepaired, sizeof *s.repaired, cmp_fid);
        char ids[300];
        size_t len = 0, shown = 0, distinct = 0;
        ids[0] = '\0';
        for (size_t i = 0; i < s.nrepaired; i++) {
            if (i && s.repaired[i] == s.repaired[i - 1])
                continue; /* taken by two clusters */
            distinct++;
            if (shown++ < 10 && len < sizeof ids)
                len += (size_t)snprintf(ids + len, sizeof ids - len, "%s%lld", len ? ", " : "",
                                        (long long)s.repaired[i]);
        }
        ccn_warn(ctx, "%zu parcel(s) with invalid geometry, repaired (MakeValid) for computing: "
                      "fid %s%s",
                 distinct, ids, distinct > 10 ? " …" : "");
    }
    double max = opt->remnant_max_m2;
    if (totals) {
        if (s.n > 1)
            qsort(s.v, s.n, sizeof *s.v, cmp_take_landuse);
        if ((st = make_totals(store, &cs, s.v, s.n, max, totals)))
            goto done;
    }
    if (list) {
        if (s.n > 1)
            qsort(s.v, s.n, sizeof *s.v, cmp_take);
        if (!(*list = make_list(&cs, s.v, s.n, max))) {
            st = oom(ctx);
            goto done;
        }
    }
done:
    if (st && totals) {
        ccn_table_free(*totals);
        *totals = NULL;
    }
    for (size_t i = 0; i < s.n; i++) {
        free(s.v[i].commune);
        free(s.v[i].landuse);
        free(s.v[i].owner);
    }
    free(s.v);
    free(s.repaired);
    ccn_clusters_free(ctx, &cs);
    return st;
}
