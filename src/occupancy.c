/* occupancy — figures from one model of clusters, measured lots and leases.
 *
 * The model keeps the lots grouped by cluster (registry order, lot numbers in
 * the order people read them, collate.h: cn-02 before CN-10) and each lot's
 * leases sorted by start, so "is this lot leased on D" is a walk over a
 * handful of leases. Lots and
 * cluster boundaries are measured once, in parallel, each by its MakeValid
 * repair when it is invalid. */
#include "occupancy.h"

#include "collate.h"
#include "grow.h"
#include "date.h"
#include "geom.h"
#include "layer.h"
#include "parallel.h"
#include "vnum.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Slack for comparing figures with a threshold: far below the printed
 * decimals, far above the rounding of sums of areas. */
#define PCT_EPS 1e-9
#define HA_EPS 1e-9

typedef struct {
    char *code, *name, *status, *kind;
    double target_pct;      /* NaN when none */
    double planned_ha;      /* NaN when none */
    double expansion_ha;    /* area after the planned expansion; NaN when none */
    double boundary_m2;     /* NaN without a boundary */
    bool boundary_repaired; /* measured by its MakeValid repair */
    double typical_lot_m2;  /* median industrial lot area; NaN without */
    size_t lot0, nlots;     /* its lots: lots[lot0 .. lot0 + nlots) */
    GEOSGeometry *geom;     /* only while loading */
} occ_cluster;

typedef struct {
    char *cluster, *lot_no, *use;
    int64_t fid;
    size_t cluster_ix;      /* into clusters; nclusters if not in the registry */
    double area_m2;         /* 0 without geometry */
    double inside_m2;       /* a service lot: its part inside its cluster's boundary */
    bool industrial, repaired, has_geom;
    bool unreadable;  /* a stored geometry GEOS cannot read: counts with no area */
    bool not_polygon; /* a line or a collection: measured by its polygons */
    size_t lease0, nleases; /* its leases, by start */
    GEOSGeometry *geom;     /* only while loading */
} occ_lot;

typedef struct {
    char *cluster, *lot_no, *tenant, *start, *end; /* end NULL: running */
    int64_t fid;
} occ_lease;

struct ccn_occupancy {
    ccn_ctx *ctx;           /* the store's; not owned */
    occ_cluster *clusters;
    size_t nclusters;
    const char *scope;      /* the one cluster loaded (clusters[scope_ix].code); NULL: all */
    size_t scope_ix;        /* nclusters when scope names no cluster of the registry */
    occ_lot *lots;
    size_t nlots;
    occ_lease *leases;
    size_t nleases;
};

static char *text_copy(ccn_stmt *q, int col)
{
    const char *t = ccn_stmt_text(q, col);
    return t ? strdup(t) : NULL;
}

static double real_or_nan(ccn_stmt *q, int col)
{
    return ccn_stmt_is_null(q, col) ? NAN : ccn_stmt_double(q, col);
}

void ccn_occupancy_free(ccn_occupancy *o)
{
    if (!o)
        return;
    GEOSContextHandle_t h = ccn_ctx_geos(o->ctx);
    for (size_t i = 0; i < o->nclusters; i++) {
        occ_cluster *c = &o->clusters[i];
        free(c->code);
        free(c->name);
        free(c->status);
        free(c->kind);
        if (c->geom)
            GEOSGeom_destroy_r(h, c->geom);
    }
    for (size_t i = 0; i < o->nlots; i++) {
        occ_lot *l = &o->lots[i];
        free(l->cluster);
        free(l->lot_no);
        free(l->use);
        if (l->geom)
            GEOSGeom_destroy_r(h, l->geom);
    }
    for (size_t i = 0; i < o->nleases; i++) {
        occ_lease *l = &o->leases[i];
        free(l->cluster);
        free(l->lot_no);
        free(l->tenant);
        free(l->start);
        free(l->end);
    }
    free(o->clusters);
    free(o->lots);
    free(o->leases);
    free(o);
}

/* ---- Loading ------------------------------------------------------------ */

static const occ_cluster *find_cluster(const ccn_occupancy *o, const char *code);

typedef struct {
    ccn_occupancy *o;
    size_t cap;
} load_state;

static ccn_status take_cluster(void *user, ccn_stmt *q, int64_t fid, GEOSGeometry *geom)
{
    load_state *s = user;
    ccn_occupancy *o = s->o;
    if (!ccn_grow((void **)&o->clusters, &s->cap, o->nclusters + 1, sizeof *o->clusters)) {
        if (geom)
            GEOSGeom_destroy_r(ccn_ctx_geos(o->ctx), geom);
        return ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    occ_cluster *c = &o->clusters[o->nclusters++];
    memset(c, 0, sizeof *c);
    c->geom = geom;
    c->code = text_copy(q, 2);
    c->name = text_copy(q, 3);
    c->status = text_copy(q, 4);
    c->kind = text_copy(q, 5);
    c->target_pct = real_or_nan(q, 6);
    c->planned_ha = real_or_nan(q, 7);
    c->expansion_ha = real_or_nan(q, 8);
    c->boundary_m2 = NAN;
    c->typical_lot_m2 = NAN;
    if (!c->code)
        return ccn_error(o->ctx, CCN_ERR_INTERNAL, "a cluster of the registry has no code");
    if (!geom && !ccn_stmt_is_null(q, 1)) /* another tool's (layer.h): no boundary area */
        ccn_warn(o->ctx,
                 "cluster %s (fid %lld): the stored boundary cannot be read: taken as without a "
                 "boundary ('ccn check' lists it)",
                 c->code, (long long)fid);
    return CCN_OK;
}

static ccn_status take_lot(void *user, ccn_stmt *q, int64_t fid, GEOSGeometry *geom)
{
    load_state *s = user;
    ccn_occupancy *o = s->o;
    if (!ccn_grow((void **)&o->lots, &s->cap, o->nlots + 1, sizeof *o->lots)) {
        if (geom)
            GEOSGeom_destroy_r(ccn_ctx_geos(o->ctx), geom);
        return ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    occ_lot *l = &o->lots[o->nlots++];
    memset(l, 0, sizeof *l);
    l->fid = fid;
    l->geom = geom;
    l->has_geom = geom != NULL;
    l->unreadable = !geom && !ccn_stmt_is_null(q, 1);
    l->cluster = text_copy(q, 2);
    l->lot_no = text_copy(q, 3);
    l->use = text_copy(q, 4);
    if (!l->cluster || !l->lot_no || !l->use)
        return ccn_error(o->ctx, CCN_ERR_INTERNAL, "lot %lld lacks its cluster, number or use",
                         (long long)fid);
    l->industrial = strcmp(l->use, "industrial") == 0;
    l->cluster_ix = o->nclusters;
    for (size_t i = 0; i < o->nclusters; i++)
        if (strcmp(o->clusters[i].code, l->cluster) == 0)
            l->cluster_ix = i;
    return CCN_OK;
}

static int lot_order(const void *a, const void *b)
{
    const occ_lot *x = a, *y = b;
    if (x->cluster_ix != y->cluster_ix)
        return x->cluster_ix < y->cluster_ix ? -1 : 1;
    int c = ccn_collate(x->lot_no, y->lot_no);
    return c ? c : (x->fid > y->fid) - (x->fid < y->fid);
}

/* Measuring: items [0, nclusters) are boundaries, the rest lots. */
typedef struct {
    ccn_occupancy *o;
} measure_job;

/* The area of the valid lot inside the boundary cg (repaired when invalid). */
static ccn_status inside_area(ccn_ctx *wctx, const GEOSGeometry *lot, const GEOSGeometry *cg,
                              double *out)
{
    GEOSGeometry *rep = NULL;
    const GEOSGeometry *cv = ccn_layer_valid(wctx, cg, &rep);
    double a = cv ? ccn_geom_intersection_area(wctx, lot, cv) : -1;
    if (rep)
        GEOSGeom_destroy_r(ccn_ctx_geos(wctx), rep);
    if (a < 0)
        return ccn_error(wctx, CCN_ERR_INTERNAL, "GEOS: a service lot inside its cluster: %s",
                         ccn_ctx_geos_message(wctx));
    *out = a;
    return CCN_OK;
}

static ccn_status measure(ccn_ctx *wctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    ccn_occupancy *o = ((measure_job *)user)->o;
    for (size_t i = begin; i < end; i++) {
        const GEOSGeometry *g = i < o->nclusters ? o->clusters[i].geom
                                                 : o->lots[i - o->nclusters].geom;
        if (!g || (o->scope && i < o->nclusters && i != o->scope_ix))
            continue; /* another cluster's boundary: not asked about */
        GEOSGeometry *rep = NULL;
        const GEOSGeometry *v = ccn_layer_valid(wctx, g, &rep);
        if (!v)
            return ccn_error(wctx, CCN_ERR_INTERNAL, "GEOS cannot repair a geometry: %s",
                             ccn_ctx_geos_message(wctx));
        double a = ccn_geom_area(wctx, v);
        if (i < o->nclusters) {
            o->clusters[i].boundary_m2 = a;
            o->clusters[i].boundary_repaired = rep != NULL;
        } else {
            occ_lot *l = &o->lots[i - o->nclusters];
            l->area_m2 = a;
            l->repaired = rep != NULL;
            l->not_polygon = !ccn_geom_is_polygonal(wctx, g);
            /* Services count what lies inside the cluster, as ccn areas --by use has it:
             * a service lot reaching out of the boundary (LOT_OUTSIDE_CLUSTER) is not
             * the cluster's land beyond it. */
            const GEOSGeometry *cg = l->cluster_ix < o->nclusters ? o->clusters[l->cluster_ix].geom
                                                                  : NULL;
            if (cg && strcmp(l->use, "service") == 0) {
                ccn_status st = inside_area(wctx, v, cg, &l->inside_m2);
                if (st) {
                    if (rep)
                        GEOSGeom_destroy_r(ccn_ctx_geos(wctx), rep);
                    return st;
                }
            }
        }
        if (rep)
            GEOSGeom_destroy_r(ccn_ctx_geos(wctx), rep);
    }
    return CCN_OK;
}

static int double_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int lease_key_cmp(const occ_lease *e, const char *cluster, const char *lot_no)
{
    int c = strcmp(e->cluster, cluster);
    return c ? c : strcmp(e->lot_no, lot_no);
}

/* Leases by cluster, lot_no (bytes, as lease_key_cmp searches them), start,
 * fid: sorted here, not by ORDER BY, where a server's collation is not
 * strcmp's and the search would miss a lot's leases. */
static int lease_order(const void *a, const void *b)
{
    const occ_lease *p = a, *q = b;
    int c = lease_key_cmp(p, q->cluster, q->lot_no);
    if (!c)
        c = strcmp(p->start, q->start);
    return c ? c : (p->fid > q->fid) - (p->fid < q->fid);
}

/* Give each lot its leases; warn about leases that cannot count. */
static ccn_status attach_leases(ccn_occupancy *o)
{
    bool *used = calloc(o->nleases ? o->nleases : 1, sizeof *used);
    if (!used)
        return ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
    size_t not_industrial = 0;
    const occ_lot *first_not_industrial = NULL;
    for (size_t i = 0; i < o->nlots; i++) {
        occ_lot *l = &o->lots[i];
        /* First lease of the lot: leases are sorted by cluster, lot_no, start
         * (lease_order). */
        size_t lo = 0, hi = o->nleases;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (lease_key_cmp(&o->leases[mid], l->cluster, l->lot_no) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        l->lease0 = lo;
        while (lo < o->nleases && lease_key_cmp(&o->leases[lo], l->cluster, l->lot_no) == 0)
            used[lo++] = true;
        l->nleases = lo - l->lease0;
        if (!l->industrial && l->nleases > 0) {
            not_industrial += l->nleases;
            if (!first_not_industrial)
                first_not_industrial = l;
        }
    }
    size_t orphans = 0;
    const occ_lease *first_orphan = NULL;
    for (size_t i = 0; i < o->nleases; i++)
        if (!used[i] && orphans++ == 0)
            first_orphan = &o->leases[i];
    free(used);
    if (orphans)
        ccn_warn(o->ctx,
                 "%zu leases name lots that are not in the lots layer (first: lease %lld, %s/%s): "
                 "they do not count",
                 orphans, (long long)first_orphan->fid, first_orphan->cluster,
                 first_orphan->lot_no);
    if (not_industrial)
        ccn_warn(o->ctx,
                 "%zu leases are of lots that are not industrial (first: %s/%s, %s): they do not "
                 "count",
                 not_industrial, first_not_industrial->cluster, first_not_industrial->lot_no,
                 first_not_industrial->use);
    return CCN_OK;
}

static ccn_status load_leases(ccn_store *store, ccn_occupancy *o)
{
    ccn_stmt *q = NULL;
    size_t cap = 0, bad = 0;
    ccn_status st = ccn_stmt_prepare(store,
                                     "SELECT fid, cluster, lot_no, tenant, start_date, end_date"
                                     " FROM leases",
                                     &q);
    if (st)
        return st;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        const char *start = ccn_stmt_text(q, 4), *end = ccn_stmt_text(q, 5);
        if (o->scope && (!ccn_stmt_text(q, 1) || strcmp(ccn_stmt_text(q, 1), o->scope) != 0))
            continue; /* another cluster's: not read, not warned about */
        if (!ccn_date_valid(start) || (end && !ccn_date_valid(end)) ||
            !ccn_stmt_text(q, 1) || !ccn_stmt_text(q, 2)) {
            bad++; /* written by some other tool: cannot be placed in time */
            continue;
        }
        if (!ccn_grow((void **)&o->leases, &cap, o->nleases + 1, sizeof *o->leases)) {
            ccn_stmt_free(q);
            return ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
        }
        occ_lease *l = &o->leases[o->nleases++];
        l->fid = ccn_stmt_int(q, 0);
        l->cluster = text_copy(q, 1);
        l->lot_no = text_copy(q, 2);
        l->tenant = text_copy(q, 3);
        l->start = strdup(start);
        l->end = end ? strdup(end) : NULL;
        if (!l->cluster || !l->lot_no || !l->start || (end && !l->end)) {
            ccn_stmt_free(q);
            return ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
        }
    }
    ccn_stmt_free(q);
    if (rc < 0)
        return CCN_ERR_INTERNAL;
    if (o->nleases > 1)
        qsort(o->leases, o->nleases, sizeof *o->leases, lease_order);
    if (bad)
        ccn_warn(o->ctx, "%zu leases of the register have malformed dates and do not count", bad);
    return CCN_OK;
}

ccn_status ccn_occupancy_load(ccn_store *store, const char *cluster, ccn_occupancy **out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *out = NULL;
    ccn_occupancy *o = calloc(1, sizeof *o);
    if (!o)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    o->ctx = ctx;
    double *areas = NULL;
    load_state s = {o, 0};
    ccn_status st = ccn_layer_each_lenient(
        store,
        "SELECT fid, AsBinary(geom), code, name, status, kind, target_pct, planned_ha,"
        " expansion_ha FROM clusters ORDER BY fid",
        take_cluster, &s);
    if (st)
        goto done;
    if (o->nclusters == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: the workspace has no cluster registry",
                       ccn_store_path(store));
        goto done;
    }
    if (cluster) {
        const occ_cluster *c = find_cluster(o, cluster);
        o->scope_ix = c ? (size_t)(c - o->clusters) : o->nclusters;
        o->scope = c ? c->code : ""; /* unknown: nothing is loaded; the table says so */
    }
    s = (load_state){o, 0};
    /* a lot another tool left unreadable counts with no area, said below,
       rather than stopping every figure, map and report */
    if ((st = ccn_layer_each_lenient(store,
                                     "SELECT fid, AsBinary(geom), cluster, lot_no, use FROM lots",
                                     take_lot, &s)))
        goto done;
    size_t all_lots = o->nlots, strays = 0, kept = 0;
    for (size_t i = 0; i < o->nlots; i++) {
        occ_lot *l = &o->lots[i];
        bool stray = l->cluster_ix == o->nclusters; /* in no cluster of the registry */
        bool keep = o->scope ? o->scope_ix < o->nclusters && l->cluster_ix == o->scope_ix : !stray;
        if (!keep) {
            strays += stray && !o->scope;
            free(l->cluster);
            free(l->lot_no);
            free(l->use);
            if (l->geom)
                GEOSGeom_destroy_r(ccn_ctx_geos(ctx), l->geom);
            continue;
        }
        o->lots[kept++] = *l;
    }
    o->nlots = kept;
    if (o->nlots > 1)
        qsort(o->lots, o->nlots, sizeof *o->lots, lot_order);
    if (strays)
        ccn_warn(ctx, "%zu lots belong to no cluster of the registry and do not count", strays);
    if (all_lots == 0)
        ccn_warn(ctx, "the workspace has no lots: no cluster has an occupancy (import them with "
                      "'ccn import WS FILE --as lots')");

    measure_job job = {o};
    if ((st = ccn_parallel_for(ctx, o->nclusters + o->nlots, 0, measure, &job)))
        goto done;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    size_t repaired = 0, no_geom = 0, unreadable = 0, not_polygon = 0;
    const occ_lot *first_repaired = NULL, *first_empty = NULL, *first_unreadable = NULL,
                  *first_not_polygon = NULL;
    for (size_t i = 0; i < o->nclusters; i++) {
        occ_cluster *c = &o->clusters[i];
        if (c->geom)
            GEOSGeom_destroy_r(h, c->geom);
        c->geom = NULL;
        if (c->boundary_repaired && (!o->scope || i == o->scope_ix))
            ccn_warn(ctx, "the boundary of %s is invalid: its area is that of its MakeValid "
                          "repair ('ccn check' reports it)",
                     c->code);
    }
    for (size_t i = 0; i < o->nlots; i++) {
        occ_lot *l = &o->lots[i];
        if (l->geom)
            GEOSGeom_destroy_r(h, l->geom);
        l->geom = NULL;
        if (l->repaired && repaired++ == 0)
            first_repaired = l;
        if (l->unreadable && unreadable++ == 0)
            first_unreadable = l;
        else if (!l->has_geom && !l->unreadable && no_geom++ == 0)
            first_empty = l;
        if (l->not_polygon && not_polygon++ == 0)
            first_not_polygon = l;
    }
    if (repaired)
        ccn_warn(ctx, "%zu lots have invalid geometry (first: %s/%s): their areas are those of "
                      "their MakeValid repair ('ccn check' lists them)",
                 repaired, first_repaired->cluster, first_repaired->lot_no);
    if (no_geom)
        ccn_warn(ctx, "%zu lots have no geometry (first: %s/%s): they count with no area",
                 no_geom, first_empty->cluster, first_empty->lot_no);
    if (unreadable)
        ccn_warn(ctx, "%zu lots have a stored geometry that cannot be read (first: %s/%s, fid "
                      "%lld): they count with no area ('ccn check' lists them)",
                 unreadable, first_unreadable->cluster, first_unreadable->lot_no,
                 (long long)first_unreadable->fid);
    if (not_polygon)
        ccn_warn(ctx, "%zu lots are not polygons (first: %s/%s, fid %lld): measured by their "
                      "polygons ('ccn check' lists them)",
                 not_polygon, first_not_polygon->cluster, first_not_polygon->lot_no,
                 (long long)first_not_polygon->fid);

    /* Each cluster's range of lots, and its median industrial lot. */
    if (!(areas = malloc((o->nlots ? o->nlots : 1) * sizeof *areas))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0, k = 0; i < o->nclusters; i++) {
        occ_cluster *c = &o->clusters[i];
        c->lot0 = k;
        size_t n = 0;
        while (k < o->nlots && o->lots[k].cluster_ix == i) {
            if (o->lots[k].industrial)
                areas[n++] = o->lots[k].area_m2;
            k++;
        }
        c->nlots = k - c->lot0;
        if (n) {
            qsort(areas, n, sizeof *areas, double_cmp);
            c->typical_lot_m2 = n % 2 ? areas[n / 2] : (areas[n / 2 - 1] + areas[n / 2]) / 2;
        }
    }
    if ((st = load_leases(store, o)) || (st = attach_leases(o)))
        goto done;
    *out = o;
    o = NULL;
done:
    free(areas);
    ccn_occupancy_free(o);
    return st;
}

/* ---- Figures on a day --------------------------------------------------- */

/* The lease of l running on day: of its leases (by start, never
 * overlapping: the register refuses that), the last one to start by then. */
static const occ_lease *running(const ccn_occupancy *o, const occ_lot *l, const char *day)
{
    size_t lo = l->lease0, hi = l->lease0 + l->nleases;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(o->leases[mid].start, day) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == l->lease0)
        return NULL;
    const occ_lease *e = &o->leases[lo - 1];
    return !e->end || strcmp(e->end, day) > 0 ? e : NULL;
}

static void figures(const ccn_occupancy *o, const occ_cluster *c, const char *day,
                    ccn_occupancy_figures *f)
{
    memset(f, 0, sizeof *f);
    for (size_t i = c->lot0; i < c->lot0 + c->nlots; i++) {
        const occ_lot *l = &o->lots[i];
        if (!l->industrial)
            continue;
        f->industrial_lots++;
        f->leasable_m2 += l->area_m2;
        if (running(o, l, day)) {
            f->leased_lots++;
            f->leased_m2 += l->area_m2;
        }
    }
    f->occupancy_pct = f->industrial_lots && f->leasable_m2 > 0
                           ? 100.0 * f->leased_m2 / f->leasable_m2
                           : NAN;
    f->target_pct = c->target_pct;
    f->target_met = isnan(f->occupancy_pct) || isnan(f->target_pct)
                        ? -1
                        : f->occupancy_pct >= f->target_pct - PCT_EPS;
}

static const occ_cluster *find_cluster(const ccn_occupancy *o, const char *code)
{
    for (size_t i = 0; i < o->nclusters; i++)
        if (strcasecmp(o->clusters[i].code, code) == 0)
            return &o->clusters[i];
    return NULL;
}

static ccn_status unknown_cluster(const ccn_occupancy *o, const char *code)
{
    char codes[256] = "";
    for (size_t i = 0; i < o->nclusters; i++) {
        size_t used = strlen(codes);
        snprintf(codes + used, sizeof codes - used, "%s%s", i ? ", " : "", o->clusters[i].code);
    }
    return ccn_error(o->ctx, CCN_ERR_INPUT, "'%s' is not a cluster of the registry (%s)", code,
                     codes);
}

/* A question about more than the one cluster a model was loaded for: the
 * caller's mistake, never a figure. */
static ccn_status out_of_scope(const ccn_occupancy *o, const char *asked)
{
    return ccn_error(o->ctx, CCN_ERR_INTERNAL, "occupancy of %s asked of a model of %s only",
                     asked, o->scope);
}

ccn_status ccn_occupancy_cluster(ccn_occupancy *o, const char *code, const char *date,
                                 ccn_occupancy_figures *out)
{
    const occ_cluster *c = find_cluster(o, code);
    if (!c)
        return unknown_cluster(o, code);
    if (o->scope && c != &o->clusters[o->scope_ix])
        return out_of_scope(o, code);
    if (!ccn_date_valid(date))
        return ccn_error(o->ctx, CCN_ERR_INPUT, "'%s' is not a date: write " CCN_DATE_FORMS, date);
    figures(o, c, date, out);
    return CCN_OK;
}

bool ccn_occupancy_lease(const ccn_occupancy *o, const char *cluster, const char *lot_no,
                         const char *date, ccn_lease_on *out)
{
    const occ_cluster *c = find_cluster(o, cluster);
    if (!c || !ccn_date_valid(date))
        return false;
    for (size_t i = c->lot0; i < c->lot0 + c->nlots; i++) {
        const occ_lot *l = &o->lots[i];
        if (l->industrial && strcasecmp(l->lot_no, lot_no) == 0) {
            const occ_lease *e = running(o, l, date);
            if (e)
                *out = (ccn_lease_on){e->tenant, e->start, e->end};
            return e != NULL;
        }
    }
    return false;
}

const char *ccn_occupancy_tenant(const ccn_occupancy *o, const char *cluster, const char *lot_no,
                                 const char *date)
{
    ccn_lease_on e;
    return ccn_occupancy_lease(o, cluster, lot_no, date, &e) ? e.tenant : NULL;
}

/* ---- Tables --------------------------------------------------------------- */

static void set_bool3(ccn_table *t, int col, int v)
{
    if (v >= 0)
        ccn_table_set_bool(t, col, v != 0);
}

static ccn_status no_memory(ccn_occupancy *o)
{
    return ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
}

static ccn_status by_cluster(ccn_occupancy *o, const occ_cluster *only, const char *day,
                             ccn_table **out)
{
    static const char *const cols[] = {
        "cluster",   "name",    "status",         "target_pct",      "leasable_m2",
        "leased_m2", "occupancy_pct", "target_met", "gap_m2",       "gap_lots",
        "typical_lot_m2", "industrial_lots", "leased_lots", "as_of", NULL};
    ccn_table *t = ccn_table_new("occupancy", cols);
    if (!t)
        return no_memory(o);
    ccn_table_set_contract(t, "target_met"); /* the gap to the target is an extra */
    for (size_t i = 0; i < o->nclusters; i++) {
        const occ_cluster *c = &o->clusters[i];
        if (only && c != only)
            continue;
        ccn_occupancy_figures f;
        figures(o, c, day, &f);
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, c->code);
        ccn_table_set_text(t, 1, c->name);
        ccn_table_set_text(t, 2, c->status);
        ccn_table_set_real(t, 3, c->target_pct, 4);
        ccn_table_set_real(t, 4, f.leasable_m2, 3);
        ccn_table_set_real(t, 5, f.leased_m2, 3);
        ccn_table_set_real(t, 6, f.occupancy_pct, 4);
        set_bool3(t, 7, f.target_met);
        if (f.target_met >= 0) {
            double gap = fmax(0.0, c->target_pct / 100.0 * f.leasable_m2 - f.leased_m2);
            if (f.target_met)
                gap = 0.0;
            ccn_table_set_real(t, 8, gap, 3);
            if (c->typical_lot_m2 > 0)
                ccn_table_set_int(t, 9, (int64_t)ceil(gap / c->typical_lot_m2 - 1e-9));
        }
        ccn_table_set_real(t, 10, c->typical_lot_m2, 3);
        ccn_table_set_int(t, 11, f.industrial_lots);
        ccn_table_set_int(t, 12, f.leased_lots);
        ccn_table_set_text(t, 13, day);
    }
    *out = t;
    return CCN_OK;
}

static ccn_status by_lot(ccn_occupancy *o, const occ_cluster *only, const char *day,
                         ccn_table **out)
{
    static const char *const cols[] = {"cluster", "lot_no", "use",         "area_m2",
                                       "leased",  "tenant", "lease_start", "lease_end", NULL};
    ccn_table *t = ccn_table_new("occupancy_lots", cols);
    if (!t)
        return no_memory(o);
    for (size_t i = 0; i < o->nlots; i++) {
        const occ_lot *l = &o->lots[i];
        if (only && &o->clusters[l->cluster_ix] != only)
            continue;
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, l->cluster);
        ccn_table_set_text(t, 1, l->lot_no);
        ccn_table_set_text(t, 2, l->use);
        ccn_table_set_real(t, 3, l->area_m2, 3);
        if (!l->industrial)
            continue; /* not leasable: leased stays empty */
        const occ_lease *e = running(o, l, day);
        ccn_table_set_bool(t, 4, e != NULL);
        if (e) {
            ccn_table_set_text(t, 5, e->tenant);
            ccn_table_set_text(t, 6, e->start);
            ccn_table_set_text(t, 7, e->end);
        }
    }
    *out = t;
    return CCN_OK;
}

/* A bound of a series: a quarter (YYYY-Qn), as its last day, or a date
 * (YYYY-MM-DD or dd/mm/yyyy), as itself; *is_date says which. */
static bool series_bound(const char *s, char out[11], bool *is_date)
{
    *is_date = ccn_date_parse(s, out);
    if (*is_date)
        return true;
    int y, q, n = 0;
    char first[48];
    if (sscanf(s, "%4d-Q%1d%n", &y, &q, &n) != 2 || s[n] || strlen(s) != 7 || q < 1 || q > 4)
        return false;
    snprintf(first, sizeof first, "%04d-%02d-01", y, 3 * q - 2);
    if (!ccn_date_valid(first))
        return false;
    ccn_date_quarter_end(first, out);
    return true;
}

static void quarter_label(const char *end, char out[8])
{
    unsigned y = 0, m = 0;
    sscanf(end, "%4u-%2u", &y, &m);
    char buf[32];
    snprintf(buf, sizeof buf, "%04u-Q%u", y % 10000, (m + 2) / 3 % 10);
    memcpy(out, buf, 7);
    out[7] = '\0';
}

/* The quarter ends of a series, checked: every quarter's end from the
 * first quarter to the last (YYYY-Qn), or from the first date to the last
 * (the ends on or after --from and on or before --to, DESIGN §5's --from D
 * --to D). Dates are 1900–9999 (date.h), so a series has at most some
 * 32,400 quarters. Messages quote the bounds as the user wrote them. */
static ccn_status series_range(ccn_ctx *ctx, const char *from, const char *to, char first[11],
                               char last[11])
{
    char lo[11], hi[11];
    bool lo_date, hi_date;
    if (!series_bound(from ? from : "2021-Q1", lo, &lo_date))
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "--from '%s': expected a date (" CCN_DATE_FORMS ") or a quarter (YYYY-Qn)", from);
    if (!series_bound(to ? to : "2026-Q4", hi, &hi_date))
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "--to '%s': expected a date (" CCN_DATE_FORMS ") or a quarter (YYYY-Qn)", to);
    if (strcmp(lo, hi) > 0)
        return ccn_error(ctx, CCN_ERR_INPUT, "--from %s is after --to %s",
                         from ? from : "2021-Q1", to ? to : "2026-Q4");
    ccn_date_quarter_end(lo, first); /* the first end on or after lo */
    ccn_date_quarter_end(hi, last);
    if (hi_date && strcmp(last, hi) > 0) { /* the last end on or before hi: the quarter before */
        char start[11];
        memcpy(start, last, sizeof start);
        memcpy(start + 5, "01-01", 6);
        int m = atoi(last + 5) - 2; /* the quarter's first month */
        start[5] = (char)('0' + m / 10), start[6] = (char)('0' + m % 10);
        ccn_date_from_days(ccn_date_days(start) - 1, last);
    }
    if (strcmp(first, last) > 0)
        return ccn_error(ctx, CCN_ERR_INPUT, "no quarter ends between --from %s and --to %s",
                         from ? from : "2021-Q1", to ? to : "2026-Q4");
    return CCN_OK;
}

static ccn_status series(ccn_occupancy *o, const occ_cluster *only, const char *from,
                         const char *to, ccn_table **out)
{
    static const char *const cols[] = {"date",    "cluster",     "leased_m2",  "occupancy_pct",
                                       "quarter", "leasable_m2", "target_pct", "target_met", NULL};
    char first[11], last[11];
    ccn_status st = series_range(o->ctx, from, to, first, last);
    if (st)
        return st;
    ccn_table *t = ccn_table_new("occupancy_series", cols);
    if (!t)
        return no_memory(o);
    ccn_table_set_contract(t, "occupancy_pct"); /* quarter, leasable_m2 … are extras */
    char day[11], label[8];
    memcpy(day, first, sizeof day);
    for (;;) {
        quarter_label(day, label);
        for (size_t i = 0; i < o->nclusters; i++) {
            const occ_cluster *c = &o->clusters[i];
            if (only && c != only)
                continue;
            ccn_occupancy_figures f;
            figures(o, c, day, &f);
            ccn_table_add_row(t);
            ccn_table_set_text(t, 0, day);
            ccn_table_set_text(t, 1, c->code);
            ccn_table_set_real(t, 2, f.leased_m2, 3);
            ccn_table_set_real(t, 3, f.occupancy_pct, 4);
            ccn_table_set_text(t, 4, label);
            ccn_table_set_real(t, 5, f.leasable_m2, 3);
            ccn_table_set_real(t, 6, c->target_pct, 4);
            set_bool3(t, 7, f.target_met);
        }
        if (strcmp(day, last) >= 0)
            break;
        char next[11];
        ccn_date_from_days(ccn_date_days(day) + 1, next);
        ccn_date_quarter_end(next, day);
    }
    *out = t;
    return CCN_OK;
}

/* ---- Decree 32/2024 ------------------------------------------------------- */

static bool is_cluster(const occ_cluster *c) { return c->kind && strcmp(c->kind, "cluster") == 0; }
static bool is_existing(const occ_cluster *c)
{
    return is_cluster(c) && c->status && strcmp(c->status, "existing") == 0;
}

/* Three-valued logic for the answers: 1, 0, -1 unknown. */
static int and3(int a, int b) { return a == 0 || b == 0 ? 0 : a < 0 || b < 0 ? -1 : 1; }
static int or3(int a, int b) { return a == 1 || b == 1 ? 1 : a < 0 || b < 0 ? -1 : 0; }

static void decree_row(ccn_table *t, const char *test, const char *cluster, const char *figure,
                       const char *basis, double value, const char *unit, const char *limit,
                       int passes, const char *detail, const char *detail_vi, const char *day)
{
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, test);
    ccn_table_set_text(t, 1, cluster);
    ccn_table_set_text(t, 2, figure);
    ccn_table_set_text(t, 3, basis);
    ccn_table_set_real(t, 4, value, 4);
    ccn_table_set_text(t, 5, unit);
    ccn_table_set_text(t, 6, limit);
    set_bool3(t, 7, passes);
    ccn_table_set_text(t, 8, detail);
    ccn_table_set_text(t, 9, day);
    ccn_table_set_text(t, 10, detail_vi);
}

static ccn_status decree(ccn_occupancy *o, const char *day, ccn_table **out)
{
    static const char *const cols[] = {"test",   "cluster", "figure", "basis",  "value",
                                       "unit",   "limit",   "passes", "detail", "as_of", "detail_vi",
                                       NULL};
    ccn_table *t = ccn_table_new("decree32", cols);
    if (!t)
        return no_memory(o);
    char detail[512], vi[512], limit[64], n[4][64];
    for (size_t i = 0; i < o->nclusters; i++) {
        const occ_cluster *c = &o->clusters[i];
        if (!is_cluster(c))
            continue; /* the industrial park falls under Decree 35/2022 */
        /* Size: the cluster as surveyed, or as planned when no boundary is in. */
        bool surveyed = !isnan(c->boundary_m2);
        double ha = surveyed ? c->boundary_m2 / 1e4 : c->planned_ha;
        int ok = isnan(ha) ? -1
                           : ha > CCN_DECREE32_MIN_HA + HA_EPS && ha <= CCN_DECREE32_MAX_HA + HA_EPS;
        if (surveyed) {
            snprintf(detail, sizeof detail, "boundary %.3f m² = %.4f ha%s; planned %.4g ha",
                     c->boundary_m2, ha, c->boundary_repaired ? " (invalid: measured repaired)" : "",
                     c->planned_ha);
            snprintf(vi, sizeof vi, "ranh giới đo đạc %s m² = %s ha%s; quy hoạch %s ha",
                     ccn_vnum(c->boundary_m2, 1, n[0], 64), ccn_vnum(ha, 2, n[1], 64),
                     c->boundary_repaired ? " (không hợp lệ: đo trên hình đã sửa)" : "",
                     ccn_vnum(c->planned_ha, -1, n[2], 64));
        } else {
            snprintf(detail, sizeof detail, "no boundary imported: planned_ha %.4g ha",
                     c->planned_ha);
            snprintf(vi, sizeof vi, "chưa có ranh giới đo đạc: diện tích quy hoạch %s ha",
                     ccn_vnum(c->planned_ha, -1, n[0], 64));
        }
        snprintf(limit, sizeof limit, "> %g and <= %g", CCN_DECREE32_MIN_HA, CCN_DECREE32_MAX_HA);
        decree_row(t, "size", c->code, "cluster area", surveyed ? "surveyed boundary" : "plan",
                   ha, "ha", limit, ok, detail, vi, day);

        /* Services: the service lots' land inside the surveyed boundary. */
        double service = 0;
        for (size_t k = c->lot0; k < c->lot0 + c->nlots; k++)
            if (strcmp(o->lots[k].use, "service") == 0)
                service += o->lots[k].inside_m2;
        double share = surveyed && c->nlots > 0 && c->boundary_m2 > 0
                           ? 100.0 * service / c->boundary_m2
                           : NAN;
        ok = isnan(share) ? -1 : share <= CCN_DECREE32_SERVICE_MAX_PCT + PCT_EPS;
        if (!surveyed) {
            snprintf(detail, sizeof detail, "no boundary imported");
            snprintf(vi, sizeof vi, "chưa có ranh giới đo đạc");
        } else if (c->nlots == 0) {
            snprintf(detail, sizeof detail, "no lots imported");
            snprintf(vi, sizeof vi, "chưa có dữ liệu lô đất");
        } else {
            snprintf(detail, sizeof detail, "service lots %.3f m² inside the boundary of %.3f m²",
                     service, c->boundary_m2);
            snprintf(vi, sizeof vi, "đất dịch vụ %s m² trên %s m² diện tích cụm",
                     ccn_vnum(service, 1, n[0], 64), ccn_vnum(c->boundary_m2, 1, n[1], 64));
        }
        snprintf(limit, sizeof limit, "<= %g", CCN_DECREE32_SERVICE_MAX_PCT);
        decree_row(t, "services", c->code, "service lots / cluster area",
                   "surveyed boundary and lots", share, "%", limit, ok, detail, vi, day);

        /* Expansion, for a cluster the plan proposes to expand. */
        if (!isnan(c->expansion_ha)) {
            ccn_occupancy_figures f;
            figures(o, c, day, &f);
            int occ_ok = isnan(f.occupancy_pct)
                             ? -1
                             : f.occupancy_pct >= CCN_DECREE32_EXPAND_MIN_PCT - PCT_EPS;
            if (isnan(f.occupancy_pct)) {
                snprintf(detail, sizeof detail, "no industrial lots: no occupancy");
                snprintf(vi, sizeof vi, "không có lô đất công nghiệp: chưa tính được tỷ lệ lấp đầy");
            } else {
                snprintf(detail, sizeof detail,
                         "leased %.3f m² of %.3f m² industrial lot area (%d of %d lots)",
                         f.leased_m2, f.leasable_m2, f.leased_lots, f.industrial_lots);
                snprintf(vi, sizeof vi,
                         "đã cho thuê %s m² trên %s m² đất công nghiệp (%d trên %d lô)",
                         ccn_vnum(f.leased_m2, 1, n[0], 64), ccn_vnum(f.leasable_m2, 1, n[1], 64),
                         f.leased_lots, f.industrial_lots);
            }
            snprintf(limit, sizeof limit, ">= %g", CCN_DECREE32_EXPAND_MIN_PCT);
            decree_row(t, "expansion", c->code, "occupancy", "lease register", f.occupancy_pct,
                       "%", limit, occ_ok, detail, vi, day);
            int size_ok = c->expansion_ha <= CCN_DECREE32_MAX_HA + HA_EPS;
            snprintf(detail, sizeof detail, "from %.4g ha planned to %.4g ha (expansion_ha)",
                     c->planned_ha, c->expansion_ha);
            snprintf(vi, sizeof vi, "từ %s ha theo quy hoạch lên %s ha",
                     ccn_vnum(c->planned_ha, -1, n[0], 64), ccn_vnum(c->expansion_ha, -1, n[1], 64));
            snprintf(limit, sizeof limit, "<= %g", CCN_DECREE32_MAX_HA);
            decree_row(t, "expansion", c->code, "area after expansion", "plan", c->expansion_ha,
                       "ha", limit, size_ok, detail, vi, day);
            snprintf(detail, sizeof detail, "occupancy >= %g %% and area after expansion <= %g ha",
                     CCN_DECREE32_EXPAND_MIN_PCT, CCN_DECREE32_MAX_HA);
            snprintf(vi, sizeof vi,
                     "tỷ lệ lấp đầy từ %g %% trở lên và diện tích sau mở rộng không quá %g ha",
                     CCN_DECREE32_EXPAND_MIN_PCT, CCN_DECREE32_MAX_HA);
            decree_row(t, "expansion", c->code, "may be expanded", "both figures above", NAN,
                       NULL, NULL, and3(occ_ok, size_ok), detail, vi, day);
        }
    }

    /* A new cluster in the district: the existing clusters' record. */
    double sum_pct = 0, leasable = 0, leased = 0;
    int counted = 0, existing = 0;
    char names[256] = "", names_vi[256] = "", empty[128] = "";
    for (size_t i = 0; i < o->nclusters; i++) {
        const occ_cluster *c = &o->clusters[i];
        if (!is_existing(c))
            continue;
        existing++;
        ccn_occupancy_figures f;
        figures(o, c, day, &f);
        leasable += f.leasable_m2;
        leased += f.leased_m2;
        size_t used = strlen(names);
        if (isnan(f.occupancy_pct)) {
            used = strlen(empty);
            snprintf(empty + used, sizeof empty - used, "%s%s", *empty ? ", " : "", c->code);
        } else {
            sum_pct += f.occupancy_pct;
            counted++;
            snprintf(names + used, sizeof names - used, "%s%s %.4f %%", *names ? ", " : "",
                     c->code, f.occupancy_pct);
            used = strlen(names_vi);
            snprintf(names_vi + used, sizeof names_vi - used, "%s%s %s %%", *names_vi ? ", " : "",
                     c->code, ccn_vnum(f.occupancy_pct, 1, n[0], 64));
        }
    }
    double avg = counted ? sum_pct / counted : NAN;
    int avg_ok = isnan(avg) ? -1 : avg > CCN_DECREE32_NEW_AVG_PCT + PCT_EPS;
    if (existing == 0) {
        snprintf(detail, sizeof detail, "the registry has no existing cluster");
        snprintf(vi, sizeof vi, "danh mục chưa có cụm công nghiệp hiện có");
    } else if (counted == 0) {
        snprintf(detail, sizeof detail, "no existing cluster has industrial lots (%s)", empty);
        snprintf(vi, sizeof vi, "chưa cụm hiện có nào có lô đất công nghiệp (%s)", empty);
    } else {
        snprintf(detail, sizeof detail, "mean of %s%s%s%s", names,
                 *empty ? " (without industrial lots: " : "", empty, *empty ? ")" : "");
        snprintf(vi, sizeof vi, "bình quân của %s%s%s%s", names_vi,
                 *empty ? " (không có lô đất công nghiệp: " : "", empty, *empty ? ")" : "");
    }
    if (leasable > 0) {
        size_t used = strlen(detail);
        snprintf(detail + used, sizeof detail - used, "; area-weighted %.4f %%",
                 100.0 * leased / leasable);
        used = strlen(vi);
        snprintf(vi + used, sizeof vi - used, "; bình quân theo diện tích %s %%",
                 ccn_vnum(100.0 * leased / leasable, 1, n[0], 64));
    }
    snprintf(limit, sizeof limit, "> %g", CCN_DECREE32_NEW_AVG_PCT);
    decree_row(t, "new_cluster", NULL, "average occupancy of the existing clusters",
               "lease register", avg, "%", limit, avg_ok, detail, vi, day);
    double unleased_ha = counted ? (leasable - leased) / 1e4 : NAN;
    int unleased_ok = isnan(unleased_ha) ? -1
                                         : unleased_ha <= CCN_DECREE32_NEW_UNLEASED_HA + HA_EPS;
    snprintf(detail, sizeof detail, "industrial lots %.4f ha, leased %.4f ha", leasable / 1e4,
             leased / 1e4);
    snprintf(vi, sizeof vi, "đất công nghiệp %s ha, đã cho thuê %s ha",
             ccn_vnum(leasable / 1e4, 2, n[0], 64), ccn_vnum(leased / 1e4, 2, n[1], 64));
    snprintf(limit, sizeof limit, "<= %g", CCN_DECREE32_NEW_UNLEASED_HA);
    decree_row(t, "new_cluster", NULL, "unleased industrial land of the existing clusters",
               "lease register and lots", unleased_ha, "ha", limit, unleased_ok, detail, vi, day);
    snprintf(detail, sizeof detail, "average occupancy > %g %% or unleased land <= %g ha",
             CCN_DECREE32_NEW_AVG_PCT, CCN_DECREE32_NEW_UNLEASED_HA);
    snprintf(vi, sizeof vi,
             "tỷ lệ lấp đầy bình quân trên %g %% hoặc đất chưa cho thuê không quá %g ha",
             CCN_DECREE32_NEW_AVG_PCT, CCN_DECREE32_NEW_UNLEASED_HA);
    decree_row(t, "new_cluster", NULL, "may a new cluster be set up", "either figure above", NAN,
               NULL, NULL, or3(avg_ok, unleased_ok), detail, vi, day);
    *out = t;
    return CCN_OK;
}

/* ---- The district against the plan ------------------------------------------ */

typedef struct {
    int clusters, meeting;
    double leasable, leased;
    double target;      /* the members' target if they share one, else NaN */
    bool mixed_target;
    int met;            /* three-valued AND of the members' answers */
} group;

static void group_add(group *g, const occ_cluster *c, const ccn_occupancy_figures *f)
{
    if (g->clusters == 0)
        g->target = c->target_pct, g->met = 1;
    else if (!(g->target == c->target_pct || (isnan(g->target) && isnan(c->target_pct))))
        g->mixed_target = true;
    g->clusters++;
    g->leasable += f->leasable_m2;
    g->leased += f->leased_m2;
    g->meeting += f->target_met == 1;
    g->met = and3(g->met, isnan(c->target_pct) ? 1 : f->target_met);
}

static bool single_cluster_unknown(const group *g) { return g->clusters == 1 && g->met < 0; }

static void district_row(ccn_table *t, const char *scope, const group *g, bool judge,
                         const char *day)
{
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, scope);
    ccn_table_set_int(t, 1, g->clusters);
    ccn_table_set_real(t, 2, g->leasable, 3);
    ccn_table_set_real(t, 3, g->leased, 3);
    ccn_table_set_real(t, 4, g->leasable - g->leased, 3);
    ccn_table_set_real(t, 5, g->leasable > 0 ? 100.0 * g->leased / g->leasable : NAN, 4);
    double target = g->mixed_target ? NAN : g->target;
    ccn_table_set_real(t, 6, target, 4);
    if (judge && !isnan(target)) {
        /* one cluster without an answer has no count either */
        if (single_cluster_unknown(g) == false)
            ccn_table_set_int(t, 7, g->meeting);
        set_bool3(t, 8, g->clusters ? g->met : -1);
    }
    ccn_table_set_text(t, 9, day);
}

static ccn_status district(ccn_occupancy *o, const char *day, ccn_table **out)
{
    static const char *const cols[] = {"scope",         "clusters",   "leasable_m2",
                                       "leased_m2",     "unleased_m2", "occupancy_pct",
                                       "target_pct",    "clusters_meeting_target",
                                       "target_met",    "as_of",       NULL};
    ccn_table *t = ccn_table_new("occupancy_district", cols);
    if (!t)
        return no_memory(o);
    group existing = {0}, fresh = {0}, all = {0};
    existing.target = fresh.target = all.target = NAN;
    for (size_t i = 0; i < o->nclusters; i++) {
        const occ_cluster *c = &o->clusters[i];
        ccn_occupancy_figures f;
        figures(o, c, day, &f);
        group one = {0};
        one.target = NAN;
        group_add(&one, c, &f);
        district_row(t, c->code, &one, true, day);
        if (is_existing(c))
            group_add(&existing, c, &f);
        else if (is_cluster(c) && c->status && strcmp(c->status, "new") == 0)
            group_add(&fresh, c, &f);
        group_add(&all, c, &f);
    }
    district_row(t, "existing clusters", &existing, true, day);
    district_row(t, "new clusters", &fresh, true, day);
    all.mixed_target = true; /* no single target for the whole district */
    district_row(t, "district", &all, false, day);
    *out = t;
    return CCN_OK;
}

/* ---- Entry points ------------------------------------------------------------ */

ccn_status ccn_occupancy_table(ccn_occupancy *o, const ccn_occupancy_options *opt,
                               ccn_table **out)
{
    *out = NULL;
    char day[11];
    if (opt->as_of) {
        if (!ccn_date_valid(opt->as_of))
            return ccn_error(o->ctx, CCN_ERR_INPUT, "--as-of '%s' is not a date: write " CCN_DATE_FORMS,
                             opt->as_of);
        memcpy(day, opt->as_of, sizeof day);
    } else if (opt->view == CCN_OCCUPANCY_DISTRICT) {
        memcpy(day, CCN_OCCUPANCY_PLAN_HORIZON, sizeof day);
    } else {
        ccn_date_today(day);
    }
    const occ_cluster *only = NULL;
    if (opt->cluster && !(only = find_cluster(o, opt->cluster)))
        return unknown_cluster(o, opt->cluster);
    if (o->scope && !(only && only == &o->clusters[o->scope_ix]))
        return out_of_scope(o, opt->cluster ? opt->cluster : "every cluster");
    switch (opt->view) {
    case CCN_OCCUPANCY_BY_CLUSTER: return by_cluster(o, only, day, out);
    case CCN_OCCUPANCY_BY_LOT: return by_lot(o, only, day, out);
    case CCN_OCCUPANCY_SERIES: return series(o, only, opt->from, opt->to, out);
    case CCN_OCCUPANCY_DECREE: return decree(o, day, out);
    case CCN_OCCUPANCY_DISTRICT: return district(o, day, out);
    }
    return ccn_error(o->ctx, CCN_ERR_INTERNAL, "unknown occupancy view %d", (int)opt->view);
}

ccn_status ccn_occupancy_report(ccn_store *store, const ccn_occupancy_options *opt,
                                ccn_table **out)
{
    *out = NULL;
    ccn_ctx *ctx = ccn_store_ctx(store);
    char first[11], last[11];
    /* Bad dates are refused before the lots are read and measured. */
    if (opt->as_of && !ccn_date_valid(opt->as_of))
        return ccn_error(ctx, CCN_ERR_INPUT, "--as-of '%s' is not a date: write " CCN_DATE_FORMS, opt->as_of);
    ccn_status st;
    if (opt->view == CCN_OCCUPANCY_SERIES &&
        (st = series_range(ctx, opt->from, opt->to, first, last)))
        return st;
    ccn_occupancy *o = NULL;
    bool one = opt->view != CCN_OCCUPANCY_DECREE && opt->view != CCN_OCCUPANCY_DISTRICT;
    st = ccn_occupancy_load(store, one ? opt->cluster : NULL, &o);
    if (!st && o)
        st = ccn_occupancy_table(o, opt, out);
    ccn_occupancy_free(o);
    return st;
}
