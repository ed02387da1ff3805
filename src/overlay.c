/* overlay — clusters and parcels against the land-use plan.
 *
 * The plan is loaded once into a plan_index: valid zone geometries, a code
 * per zone (an index into the distinct codes, with their Vietnamese names
 * and protected flags), an STRtree, the zones' rings as plain coordinates,
 * and a flag per zone that some other zone's interior meets it. A probe is
 * one thread's view of the plan: its own prepared geometries (made on first
 * use) and scratch arrays, so overlay_one — the one routine every command
 * uses — runs on any worker. */
#include "overlay.h"

#include "cluster.h"
#include "district.h"
#include "geom.h"
#include "layer.h"
#include "parallel.h"
#include "rings.h"
#include "textenc.h"

#include <assert.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    CHUNK = 32768,   /* parcels read, then computed in parallel, at a time */
    LIST_SHOWN = 10, /* ids named in a warning before "and N more" */
};

/* ---- small helpers ------------------------------------------------------ */

/* Feature ids for a warning. */
typedef struct {
    int64_t *v;
    size_t n, cap;
} fid_list;

static bool fid_list_add(fid_list *l, int64_t fid)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        int64_t *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = fid;
    return true;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* "3, 17, 20 and 12 more", ids sorted. */
static const char *fid_list_text(fid_list *l, char *buf, size_t size)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_i64);
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n && i < LIST_SHOWN && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%lld", i ? ", " : "", (long long)l->v[i]);
    if (l->n > LIST_SHOWN && len < size)
        snprintf(buf + len, size - len, " and %zu more", l->n - LIST_SHOWN);
    return buf;
}

static void fid_list_free(fid_list *l)
{
    free(l->v);
    *l = (fid_list){0};
}

/* Grow *p (of *cap elements of size sz) to hold at least n; false when out of memory. */
static bool reserve(void **p, size_t *cap, size_t n, size_t sz)
{
    if (n <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < n)
        c *= 2;
    void *q = realloc(*p, c * sz);
    if (!q)
        return false;
    *p = q;
    *cap = c;
    return true;
}

/* ---- the plan ------------------------------------------------------------ */

typedef struct {
    char *code;   /* planned land-use code as stored ("SKN") */
    char *name;   /* Vietnamese name from landuse_codes, or NULL */
    bool protect; /* protected land: LUC, LUK, RPH, RDD */
} plan_code;

typedef struct {
    size_t n;
    int64_t *fid;
    GEOSGeometry **geom; /* valid and polygonal, owned */
    int *code;           /* index into codes */
    bool *overlaps;      /* another zone's interior meets this one's */
    size_t *ids;         /* ids[i] = i: the STRtree's items point here */
    size_t cap;
    plan_code *codes;
    size_t ncodes, capcodes;
    GEOSSTRtree *tree;
    double noise_m2;     /* overlaps under this are slivers (tolerance overlap_min_m2) */
    ccn_rings rings;     /* the zones' rings, for ccn_rings_common_area */
    size_t *zone_ring;   /* zone z's rings are zone_ring[z] .. zone_ring[z + 1] - 1 */
} plan_index;

typedef struct {
    plan_index *plan;
    ccn_ctx *ctx;
    fid_list repaired, empty;
} plan_load_state;

static int plan_intern(plan_index *p, const char *code)
{
    for (size_t i = 0; i < p->ncodes; i++)
        if (strcmp(p->codes[i].code, code) == 0)
            return (int)i;
    if (!reserve((void **)&p->codes, &p->capcodes, p->ncodes + 1, sizeof *p->codes))
        return -1;
    p->codes[p->ncodes] = (plan_code){.code = strdup(code)};
    return p->codes[p->ncodes].code ? (int)p->ncodes++ : -1;
}

static ccn_status plan_take(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    plan_load_state *s = user;
    plan_index *p = s->plan;
    GEOSContextHandle_t h = ccn_ctx_geos(s->ctx);
    GEOSGeometry *repaired = NULL;
    ccn_status st = CCN_OK;
    const char *code = ccn_stmt_text(row, 2);
    if (!geom || GEOSisEmpty_r(h, geom)) {
        if (!fid_list_add(&s->empty, fid))
            st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    const GEOSGeometry *valid = ccn_layer_valid(s->ctx, geom, &repaired);
    if (!valid) {
        st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "plan zone %lld: cannot repair its geometry: %s",
                       (long long)fid, ccn_ctx_geos_message(s->ctx));
        goto done;
    }
    if (repaired && !fid_list_add(&s->repaired, fid)) {
        st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (!repaired && !ccn_geom_is_polygonal(s->ctx, geom)) {
        /* a line or a collection another tool wrote: its polygons, if any */
        if (!(repaired = ccn_geom_polygonal(s->ctx, geom))) {
            st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "plan zone %lld: %s", (long long)fid,
                           ccn_ctx_geos_message(s->ctx));
            goto done;
        }
        valid = repaired;
    }
    if (GEOSisEmpty_r(h, valid)) { /* nothing polygonal was left */
        if (!fid_list_add(&s->empty, fid))
            st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        bool ok = true;
        int64_t *f = realloc(p->fid, cap * sizeof *f);
        ok = ok && f && (p->fid = f);
        GEOSGeometry **g = ok ? realloc(p->geom, cap * sizeof *g) : NULL;
        ok = ok && g && (p->geom = g);
        int *c = ok ? realloc(p->code, cap * sizeof *c) : NULL;
        ok = ok && c && (p->code = c);
        if (!ok) {
            st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        p->cap = cap;
    }
    int k = plan_intern(p, code ? code : "");
    if (k < 0) {
        st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    p->fid[p->n] = fid;
    p->code[p->n] = k;
    if (repaired) {
        p->geom[p->n++] = repaired;
        repaired = NULL;
    } else {
        p->geom[p->n++] = geom;
        geom = NULL;
    }
done:
    if (repaired)
        GEOSGeom_destroy_r(h, repaired);
    if (geom)
        GEOSGeom_destroy_r(h, geom);
    return st;
}

static void plan_free(ccn_ctx *ctx, plan_index *p)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (p->tree)
        GEOSSTRtree_destroy_r(h, p->tree);
    for (size_t i = 0; i < p->n; i++)
        GEOSGeom_destroy_r(h, p->geom[i]);
    for (size_t i = 0; i < p->ncodes; i++) {
        free(p->codes[i].code);
        free(p->codes[i].name);
    }
    free(p->codes);
    free(p->fid);
    free(p->geom);
    free(p->code);
    free(p->overlaps);
    free(p->ids);
    ccn_rings_free(&p->rings);
    free(p->zone_ring);
    *p = (plan_index){0};
}

/* Names and protected flags of the plan's codes, from the district's landuse_codes. */
static ccn_status plan_names(ccn_store *store, plan_index *p)
{
    /* What Circular 08/2024 protects, for a code the workspace does not list. */
    static const char *const protected_codes[] = {"LUC", "LUK", "RPH", "RDD"};
    ccn_stmt *q = NULL;
    ccn_status st =
        ccn_stmt_prepare(store, "SELECT name, protected FROM landuse_codes WHERE code = ?", &q);
    if (st)
        return st;
    for (size_t i = 0; i < p->ncodes && !st; i++) {
        plan_code *c = &p->codes[i];
        ccn_stmt_reset(q);
        ccn_stmt_bind_text(q, 1, c->code);
        int rc = ccn_stmt_step(q);
        if (rc < 0) {
            st = CCN_ERR_INTERNAL;
        } else if (rc == 1) {
            const char *name = ccn_stmt_text(q, 0);
            c->name = name ? strdup(name) : NULL;
            c->protect = ccn_stmt_int(q, 1) != 0;
        } else {
            for (size_t k = 0; k < sizeof protected_codes / sizeof *protected_codes; k++)
                c->protect |= strcmp(c->code, protected_codes[k]) == 0;
        }
    }
    ccn_stmt_free(q);
    return st;
}

static void tree_noop(void *item, void *user)
{
    (void)item;
    (void)user;
}

/* ---- overlapping zones --------------------------------------------------- */

typedef struct {
    size_t a, b;  /* zone indices, a < b */
    double area;  /* area of their common interior, m² */
} zone_pair;

typedef struct {
    const plan_index *plan;
    struct {
        zone_pair *v;
        size_t n, cap;
    } w[64]; /* per worker: at most 64 (parallel.c) */
} overlap_job;

typedef struct {
    size_t *cand;
    size_t n, cap;
    bool oom;
} cand_list;

static void collect_cand(void *item, void *user)
{
    cand_list *c = user;
    if (!reserve((void **)&c->cand, &c->cap, c->n + 1, sizeof *c->cand)) {
        c->oom = true;
        return;
    }
    c->cand[c->n++] = *(const size_t *)item;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static ccn_status overlap_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    overlap_job *job = user;
    const plan_index *p = job->plan;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    cand_list c = {0};
    ccn_status st = CCN_OK;
    GEOSPreparedGeometry *prep = NULL;
    for (size_t i = begin; i < end && !st; i++) {
        c.n = 0;
        GEOSSTRtree_query_r(h, p->tree, p->geom[i], collect_cand, &c);
        if (c.oom) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        prep = NULL;
        for (size_t k = 0; k < c.n && !st; k++) {
            size_t j = c.cand[k];
            if (j <= i)
                continue; /* each pair once */
            if (!prep && !(prep = (GEOSPreparedGeometry *)GEOSPrepare_r(h, p->geom[i]))) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(ctx));
                break;
            }
            /* A zone inside another would show only in the area; test it too. */
            char meets = GEOSPreparedIntersects_r(h, prep, p->geom[j]);
            if (meets == 2) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "plan zones %lld, %lld: %s",
                               (long long)p->fid[i], (long long)p->fid[j],
                               ccn_ctx_geos_message(ctx));
                break;
            }
            if (!meets)
                continue;
            double a = ccn_geom_intersection_area(ctx, p->geom[i], p->geom[j]);
            if (a < 0) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "plan zones %lld, %lld: %s",
                               (long long)p->fid[i], (long long)p->fid[j],
                               ccn_ctx_geos_message(ctx));
                break;
            }
            /* Any common area, however small: the zones' pieces must then be
             * united, or what no zone covers comes out short by it. */
            if (a <= 0)
                continue;
            if (!reserve((void **)&job->w[worker].v, &job->w[worker].cap, job->w[worker].n + 1,
                         sizeof(zone_pair))) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                break;
            }
            job->w[worker].v[job->w[worker].n++] = (zone_pair){i, j, a};
        }
        if (prep)
            GEOSPreparedGeom_destroy_r(h, prep);
        prep = NULL;
    }
    free(c.cand);
    return st;
}

static int cmp_pair(const void *x, const void *y)
{
    const zone_pair *a = x, *b = y;
    if (a->a != b->a)
        return (a->a > b->a) - (a->a < b->a);
    return (a->b > b->b) - (a->b < b->b);
}

/* A collection of copies of g[0..n), for an operation on them all; NULL when
 * GEOS fails or memory runs out. */
static GEOSGeometry *collect_copies(GEOSContextHandle_t h, const GEOSGeometry *const *g, size_t n)
{
    GEOSGeometry **copies = malloc((n + 1) * sizeof *copies);
    size_t k = 0;
    if (!copies)
        return NULL;
    while (k < n && (copies[k] = GEOSGeom_clone_r(h, g[k])))
        k++;
    /* The collection takes the copies, and frees them if it fails. */
    GEOSGeometry *all = NULL;
    if (k == n)
        all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, copies, (unsigned)n);
    for (size_t i = 0; k < n && i < k; i++)
        GEOSGeom_destroy_r(h, copies[i]);
    free(copies);
    return all;
}

/* True when the zones certainly do not overlap: they form a clean coverage.
 * GEOS's coverage union (shared edges cancel out, the rest is polygonized)
 * takes ≈0.06 s for 2,000 zones where the pairwise search below takes ≈1 s.
 * Its result is trusted only when it is valid and its area is the sum of the
 * zones' areas: overlapping zones either leave crossing rings (invalid) or
 * faces counted once (a smaller area). Anything else — GEOS refusing, zones
 * that share an edge without sharing its vertices — falls back to the
 * pairwise search, which is exact. */
static bool plan_is_coverage(ccn_ctx *ctx, const plan_index *p)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *all = collect_copies(h, (const GEOSGeometry *const *)p->geom, p->n), *u = NULL;
    double sum = 0, area = 0;
    for (size_t z = 0; z < p->n; z++)
        sum += ccn_geom_area(ctx, p->geom[z]);
    bool clean = all && (u = GEOSCoverageUnion_r(h, all)) && GEOSisValid_r(h, u) == 1 &&
                 GEOSArea_r(h, u, &area) && fabs(sum - area) < CCN_OVERLAY_MIN_M2;
    if (all)
        GEOSGeom_destroy_r(h, all);
    if (u)
        GEOSGeom_destroy_r(h, u);
    return clean;
}

/* Flag overlapping zones and warn about them: pairs by fid, codes, areas. */
static ccn_status plan_overlaps(ccn_ctx *ctx, plan_index *p)
{
    if (plan_is_coverage(ctx, p))
        return CCN_OK;
    overlap_job *job = calloc(1, sizeof *job);
    if (!job)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    job->plan = p;
    ccn_status st = ccn_parallel_for(ctx, p->n, 16, overlap_work, job);
    zone_pair *all = NULL;
    size_t n = 0, cap = 0;
    for (int w = 0; w < 64 && !st; w++) {
        if (!reserve((void **)&all, &cap, n + job->w[w].n, sizeof *all)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        if (job->w[w].n)
            memcpy(all + n, job->w[w].v, job->w[w].n * sizeof *all);
        n += job->w[w].n;
    }
    for (int w = 0; w < 64; w++)
        free(job->w[w].v);
    free(job);
    if (st || n == 0) {
        free(all);
        return st;
    }
    if (n > 1)
        qsort(all, n, sizeof *all, cmp_pair);
    /* Pairs under the overlap tolerance are the slivers of edges not shared
     * exactly (a reprojection leaves them): counted as overlaps all the same,
     * but summed up rather than named; under CCN_OVERLAY_MIN_M2 they are no
     * piece to speak of, only united with the rest. */
    /* Zones of one code count their common part once (overlay takes the union
     * of a code's zones); zones of two codes once for each code. [0]: pairs of
     * different codes, [1]: of the same code. */
    char text[2][1200];
    size_t len[2] = {0}, named[2] = {0}, slivers[2] = {0};
    double big[2] = {0}, small[2] = {0};
    text[0][0] = text[1][0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const zone_pair *z = &all[i];
        p->overlaps[z->a] = p->overlaps[z->b] = true;
        if (z->area < CCN_OVERLAY_MIN_M2)
            continue;
        int same = p->code[z->a] == p->code[z->b];
        if (z->area < p->noise_m2) {
            slivers[same]++;
            small[same] += z->area;
            continue;
        }
        big[same] += z->area;
        char *t = text[same];
        size_t *l = &len[same];
        if (named[same]++ >= LIST_SHOWN || *l >= sizeof text[same])
            continue;
        if (same)
            *l += (size_t)snprintf(t + *l, sizeof text[same] - *l,
                                   "%s%lld and %lld (%s) by %.3f m²", *l ? "; " : "",
                                   (long long)p->fid[z->a], (long long)p->fid[z->b],
                                   p->codes[p->code[z->a]].code, z->area);
        else
            *l += (size_t)snprintf(t + *l, sizeof text[same] - *l,
                                   "%s%lld (%s) and %lld (%s) by %.3f m²", *l ? "; " : "",
                                   (long long)p->fid[z->a], p->codes[p->code[z->a]].code,
                                   (long long)p->fid[z->b], p->codes[p->code[z->b]].code, z->area);
    }
    for (int k = 0; k < 2; k++)
        if (named[k] > LIST_SHOWN && len[k] < sizeof text[k])
            snprintf(text[k] + len[k], sizeof text[k] - len[k], "; and %zu more pairs",
                     named[k] - LIST_SHOWN);
    if (named[0])
        ccn_warn(ctx,
                 "plan zones overlap (a digitising error): %s; %.3f m² in all is counted twice, "
                 "once for each zone's code",
                 text[0], big[0]);
    if (named[1])
        ccn_warn(ctx,
                 "plan zones of the same code overlap (a digitising error): %s; %.3f m² in all, "
                 "counted once for that code",
                 text[1], big[1]);
    if (slivers[0])
        ccn_warn(ctx,
                 "%zu pair(s) of plan zones overlap in slivers under %g m² (edges not shared "
                 "exactly): %.3f m² in all is counted twice",
                 slivers[0], p->noise_m2, small[0]);
    if (slivers[1])
        ccn_warn(ctx,
                 "%zu pair(s) of plan zones of the same code overlap in slivers under %g m² "
                 "(edges not shared exactly): %.3f m² in all, counted once for that code",
                 slivers[1], p->noise_m2, small[1]);
    free(all);
    return CCN_OK;
}

/* The zones' rings as plain coordinates, for ccn_rings_common_area. */
static ccn_status plan_rings(ccn_ctx *ctx, plan_index *p)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (!(p->zone_ring = malloc((p->n + 1) * sizeof *p->zone_ring)))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t z = 0; z < p->n; z++) {
        p->zone_ring[z] = p->rings.n;
        if (!ccn_rings_add(&p->rings, h, p->geom[z]))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "plan zone %lld: cannot read its rings",
                             (long long)p->fid[z]);
    }
    p->zone_ring[p->n] = p->rings.n;
    return CCN_OK;
}

/* Vertices of zone z's rings. */
static size_t zone_vertices(const plan_index *p, size_t z)
{
    size_t n = 0;
    for (size_t r = p->zone_ring[z]; r < p->zone_ring[z + 1]; r++)
        n += p->rings.ring[r].n;
    return n;
}

/* Up to this many vertices a zone is measured from its rings without asking
 * its prepared geometry first: the rings cost is linear in the zone's
 * vertices, the prepared predicates' logarithmic. */
enum { RINGS_ALONE = 256 };

/* The box (xmin, ymin, xmax, ymax) around every non-empty geometry of g[0..n)
 * (stride bytes apart); false when there is none. */
static bool extent_of(GEOSContextHandle_t h, const void *g, size_t n, size_t stride, double box[4])
{
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const GEOSGeometry *one = *(GEOSGeometry *const *)((const char *)g + i * stride);
        double e[4];
        if (!one || GEOSisEmpty_r(h, one) != 0 || !GEOSGeom_getExtent_r(h, one, &e[0], &e[1], &e[2], &e[3]))
            continue;
        if (!any)
            memcpy(box, e, sizeof e);
        box[0] = fmin(box[0], e[0]), box[1] = fmin(box[1], e[1]);
        box[2] = fmax(box[2], e[2]), box[3] = fmax(box[3], e[3]);
        any = true;
    }
    return any;
}

/* Load, repair and index the plan; warn about repaired, empty and overlapping
 * zones. With a box (xmin, ymin, xmax, ymax), only the zones whose R*Tree box
 * meets it: what a question about a cluster or parcels needs (and what it
 * speaks of), read in milliseconds where the whole plan of a district takes a
 * tenth of a second. */
static ccn_status plan_load(ccn_store *store, plan_index *p, const double *box)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    *p = (plan_index){0};
    plan_load_state s = {.plan = p, .ctx = ctx};
    char ids[400], sql[600] = "SELECT fid, AsBinary(geom), landuse FROM plan t";
    if (box) { /* widened by a millimetre: the index rounds its boxes to floats */
        char b[4][40];
        for (int i = 0; i < 4; i++)
            snprintf(b[i], sizeof b[i], "%.6f", box[i] + (i < 2 ? -0.001 : 0.001));
        size_t k = strlen(sql);
        k += (size_t)snprintf(sql + k, sizeof sql - k, " WHERE ");
        ccn_store_window_sql(store, sql + k, sizeof sql - k, "t", "plan", b[0], b[1], b[2], b[3]);
    }
    snprintf(sql + strlen(sql), sizeof sql - strlen(sql), " ORDER BY fid");
    ccn_status st = ccn_layer_require(store, "plan", "the land-use plan zones");
    if (!st) /* a zone that cannot be read is left out as one without a polygon */
        st = ccn_layer_each_lenient(store, sql, plan_take, &s);
    if (st)
        goto done;
    if (s.repaired.n)
        ccn_warn(ctx, "%zu plan zone(s) with invalid geometry, repaired (MakeValid) for computing: "
                      "fid %s",
                 s.repaired.n, fid_list_text(&s.repaired, ids, sizeof ids));
    if (s.empty.n)
        ccn_warn(ctx, "%zu plan zone(s) without polygonal geometry, left out: fid %s", s.empty.n,
                 fid_list_text(&s.empty, ids, sizeof ids));
    if (p->n == 0 && !box) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: the plan has no zone with a polygon",
                       ccn_store_path(store));
        goto done;
    }
    if ((st = plan_names(store, p)))
        goto done;
    p->noise_m2 = ccn_district_tolerance(store, "overlap_min_m2", 0.5);
    p->overlaps = calloc(p->n, sizeof *p->overlaps);
    p->ids = malloc(p->n * sizeof *p->ids);
    p->tree = GEOSSTRtree_create_r(h, 10);
    if (!p->overlaps || !p->ids || !p->tree) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < p->n; i++) {
        p->ids[i] = i;
        GEOSSTRtree_insert_r(h, p->tree, p->geom[i], &p->ids[i]);
    }
    /* The tree builds itself on the first query: do it here, before the threads. */
    if (p->n > 0)
        GEOSSTRtree_query_r(h, p->tree, p->geom[0], tree_noop, NULL);
    if (!st)
        st = plan_rings(ctx, p);
    if (!st && p->n > 1)
        st = plan_overlaps(ctx, p);
done:
    fid_list_free(&s.repaired);
    fid_list_free(&s.empty);
    if (st)
        plan_free(ctx, p);
    return st;
}

/* ---- one polygon against the plan -------------------------------------- */

typedef struct {
    int code;    /* index into the plan's codes; -1: covered by no zone */
    double area; /* m² */
} code_area;

typedef struct {
    int code;    /* the zone's code */
    double area; /* of the piece, m² */
} part_info;

/* One thread's view of the plan and its scratch space. */
typedef struct {
    const plan_index *plan;
    GEOSPreparedGeometry **prep; /* per zone, prepared on first use by this thread */
    cand_list cand;
    GEOSGeometry **parts; /* pieces of overlapping zones, for their union */
    size_t nparts, capparts;
    part_info *info; /* info[i]: code and area of parts[i] */
    size_t capinfo;
    code_area *acc; /* the current polygon's result */
    size_t nacc, capacc;
    double twice;   /* area of the current polygon counted twice */
    fid_list twice_zones; /* overlapping zones that met it */
    ccn_rings shape; /* the current polygon's rings, once asked for */
    ccn_rings scratch;
} probe;

static bool probe_init(probe *pr, const plan_index *plan)
{
    *pr = (probe){.plan = plan};
    pr->prep = calloc(plan->n ? plan->n : 1, sizeof *pr->prep);
    return pr->prep != NULL;
}

/* Prepared geometries are freed here, on the caller's handle: GEOS uses a
 * handle only to report errors, and these objects do not keep one. */
static void probe_free(ccn_ctx *ctx, probe *pr)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (pr->prep)
        for (size_t i = 0; i < pr->plan->n; i++)
            if (pr->prep[i])
                GEOSPreparedGeom_destroy_r(h, pr->prep[i]);
    for (size_t i = 0; i < pr->nparts; i++)
        GEOSGeom_destroy_r(h, pr->parts[i]);
    free(pr->prep);
    free(pr->cand.cand);
    free(pr->parts);
    free(pr->info);
    free(pr->acc);
    ccn_rings_free(&pr->shape);
    ccn_rings_free(&pr->scratch);
    fid_list_free(&pr->twice_zones);
    *pr = (probe){0};
}

static bool acc_add(probe *pr, int code, double area)
{
    for (size_t i = 0; i < pr->nacc; i++)
        if (pr->acc[i].code == code) {
            pr->acc[i].area += area;
            return true;
        }
    if (!reserve((void **)&pr->acc, &pr->capacc, pr->nacc + 1, sizeof *pr->acc))
        return false;
    pr->acc[pr->nacc++] = (code_area){code, area};
    return true;
}

/* Larger areas first, the uncovered part last; ties by code. */
static int cmp_code_area(const void *x, const void *y)
{
    const code_area *a = x, *b = y;
    if ((a->code < 0) != (b->code < 0))
        return a->code < 0 ? 1 : -1;
    if (a->area != b->area)
        return a->area < b->area ? 1 : -1;
    return a->code - b->code;
}

static ccn_status geos_fail(ccn_ctx *ctx)
{
    return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS failed: %s", ccn_ctx_geos_message(ctx));
}

/* Put "what: " before the context's error message. */
static ccn_status prefix_error(ccn_ctx *ctx, ccn_status st, const char *what)
{
    char msg[900];
    snprintf(msg, sizeof msg, "%s", ccn_ctx_message(ctx));
    return ccn_error(ctx, st, "%s: %s", what, msg);
}

/* Area of the probe's polygon g (its rings in pr->shape) within zone z, at
 * most area; from GEOS when the rings hand over (many edge pairs). */
static ccn_status rings_area(ccn_ctx *ctx, probe *pr, const GEOSGeometry *g, size_t z,
                             double area, double *a)
{
    const plan_index *p = pr->plan;
    *a = ccn_rings_common_area(&pr->shape, 0, pr->shape.n, &p->rings, p->zone_ring[z],
                               p->zone_ring[z + 1], &pr->scratch, NULL);
    if (isnan(*a) && (*a = ccn_geom_intersection_area(ctx, g, p->geom[z])) < 0)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS failed: %s", ccn_ctx_geos_message(ctx));
    if (*a < 0 && *a > -CCN_OVERLAY_MIN_M2)
        *a = 0; /* rounding */
    if (*a < 0)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    *a = *a > area ? area : *a;
    return CCN_OK;
}

/* Name, of the overlapping zones that met the polygon, only those whose
 * pieces overlap the piece of a zone of another code there: a zone that
 * overlaps another elsewhere, or one of its own code (counted once), counts
 * nothing twice here. The pieces are few (the zones that overlap and meet
 * one polygon), so every pair is measured; only when some area is counted
 * twice. */
static ccn_status keep_twice_zones(ccn_ctx *ctx, probe *pr, const GEOSGeometry *pieces)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    size_t n = pr->twice_zones.n, kept = 0;
    assert((size_t)GEOSGetNumGeometries_r(h, pieces) == n); /* one piece a zone, in order */
    bool *twice = calloc(n, sizeof *twice);
    if (!twice)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            if ((twice[i] && twice[j]) || pr->info[i].code == pr->info[j].code)
                continue;
            double a = ccn_geom_intersection_area(ctx, GEOSGetGeometryN_r(h, pieces, (int)i),
                                                  GEOSGetGeometryN_r(h, pieces, (int)j));
            if (a < 0) {
                free(twice);
                return geos_fail(ctx);
            }
            if (a >= CCN_OVERLAY_MIN_M2)
                twice[i] = twice[j] = true;
        }
    for (size_t i = 0; i < n; i++)
        if (twice[i])
            pr->twice_zones.v[kept++] = pr->twice_zones.v[i];
    pr->twice_zones.n = kept;
    free(twice);
    return CCN_OK;
}

/* Area of the union of the kept pieces of code c (two or more), copied: the
 * pieces themselves stay for the union of all codes; -1 when GEOS fails. */
static double code_union_area(ccn_ctx *ctx, probe *pr, int c)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    const GEOSGeometry **mine = malloc((pr->nparts + 1) * sizeof *mine);
    size_t n = 0;
    if (!mine)
        return -1;
    for (size_t i = 0; i < pr->nparts; i++)
        if (pr->info[i].code == c)
            mine[n++] = pr->parts[i];
    GEOSGeometry *all = collect_copies(h, mine, n), *u = all ? GEOSUnaryUnion_r(h, all) : NULL;
    double a = u ? ccn_geom_area(ctx, u) : -1;
    free(mine);
    if (all)
        GEOSGeom_destroy_r(h, all);
    if (u)
        GEOSGeom_destroy_r(h, u);
    return a;
}

/* Overlay g (valid, polygonal, of planar area `area`) with the plan: the
 * areas per code in pr->acc (g ∩ the union of that code's zones), sorted, the
 * uncovered part included; what overlapping zones of different codes count
 * twice in pr->twice. */
static ccn_status overlay_one(ccn_ctx *ctx, probe *pr, const GEOSGeometry *g, double area)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    const plan_index *p = pr->plan;
    ccn_status st = CCN_OK;
    GEOSGeometry *piece = NULL;
    pr->nacc = 0;
    pr->cand.n = 0;
    pr->twice = 0;
    pr->twice_zones.n = 0;
    GEOSSTRtree_query_r(h, p->tree, g, collect_cand, &pr->cand);
    if (pr->cand.oom)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    /* A fixed order makes the sums the same on every run and thread count. */
    if (pr->cand.n > 1)
        qsort(pr->cand.cand, pr->cand.n, sizeof *pr->cand.cand, cmp_size);
    double covered = 0;
    bool have_rings = false;
    for (size_t k = 0; k < pr->cand.n; k++) {
        size_t z = pr->cand.cand[k];
        double a = 0;
        bool inside = false;
        /* From the rings for a zone that overlaps no other; an overlapping
         * one keeps its piece (GEOS), for the union below. */
        bool by_rings = !p->overlaps[z];
        if (by_rings && !have_rings) {
            ccn_rings_clear(&pr->shape);
            if (!ccn_rings_add(&pr->shape, h, g)) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
            have_rings = true;
        }
        if (by_rings && zone_vertices(p, z) <= RINGS_ALONE) {
            /* A small zone: its rings answer alone, inside or not. */
            if ((st = rings_area(ctx, pr, g, z, area, &a)))
                goto done;
            inside = area - a < CCN_OVERLAY_MIN_M2;
        } else {
            if (!pr->prep[z] &&
                !(pr->prep[z] = (GEOSPreparedGeometry *)GEOSPrepare_r(h, p->geom[z]))) {
                st = geos_fail(ctx);
                goto done;
            }
            char in = GEOSPreparedContainsProperly_r(h, pr->prep[z], g);
            if (in == 2) {
                st = geos_fail(ctx);
                goto done;
            }
            if (in) {
                a = area; /* no intersection needed */
                inside = true;
            } else if (by_rings) {
                if ((st = rings_area(ctx, pr, g, z, area, &a)))
                    goto done;
            } else {
                char meets = GEOSPreparedIntersects_r(h, pr->prep[z], g);
                if (meets == 2) {
                    st = geos_fail(ctx);
                    goto done;
                }
                if (!meets)
                    continue;
                if (!(piece = GEOSIntersection_r(h, g, p->geom[z]))) {
                    st = geos_fail(ctx);
                    goto done;
                }
                a = ccn_geom_area(ctx, piece); /* lines and points add nothing */
            }
        }
        if (a <= 0) {
            if (piece)
                GEOSGeom_destroy_r(h, piece);
            piece = NULL;
            continue;
        }
        if (p->overlaps[z]) {
            /* Keep the piece: its code's union and the union of all of them
             * tell what each code covers and what is covered once. */
            GEOSGeometry *kept = piece ? ccn_geom_polygonal(ctx, piece) : GEOSGeom_clone_r(h, g);
            if (!kept || !reserve((void **)&pr->parts, &pr->capparts, pr->nparts + 1,
                                  sizeof *pr->parts) ||
                !reserve((void **)&pr->info, &pr->capinfo, pr->nparts + 1, sizeof *pr->info) ||
                !fid_list_add(&pr->twice_zones, p->fid[z])) {
                if (kept)
                    GEOSGeom_destroy_r(h, kept);
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
            pr->info[pr->nparts] = (part_info){p->code[z], a};
            pr->parts[pr->nparts++] = kept;
        } else if (!acc_add(pr, p->code[z], a)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        } else {
            covered += a;
        }
        if (piece)
            GEOSGeom_destroy_r(h, piece);
        piece = NULL;
        /* Wholly inside a zone that overlaps no other: no other zone meets g. */
        if (inside && !p->overlaps[z])
            break;
    }
    /* Each code of the overlapping zones' pieces covers the union of its
     * pieces (zones of one code that overlap count their common part once);
     * what the codes cover together is the union of all of them. Codes in
     * ascending order, pieces in zone order: the same sums every run. */
    double flagged = 0;
    size_t ncodes = 0;
    int last = -1;
    while (pr->nparts > 0) {
        int c = INT_MAX;
        size_t m = 0, first = 0;
        for (size_t i = 0; i < pr->nparts; i++)
            if (pr->info[i].code > last && pr->info[i].code <= c) {
                if (pr->info[i].code < c)
                    c = pr->info[i].code, m = 0, first = i;
                m++;
            }
        if (c == INT_MAX)
            break;
        double a = m == 1 ? pr->info[first].area : code_union_area(ctx, pr, c);
        if (a < 0) {
            st = geos_fail(ctx);
            goto done;
        }
        if (!acc_add(pr, c, a)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        flagged += a;
        ncodes++;
        last = c;
    }
    if (ncodes > 1) {
        GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, pr->parts,
                                                        (unsigned)pr->nparts);
        if (!all) {
            st = geos_fail(ctx);
            goto done;
        }
        pr->nparts = 0; /* the collection owns them now */
        GEOSGeometry *u = GEOSUnaryUnion_r(h, all);
        if (!u) {
            GEOSGeom_destroy_r(h, all);
            st = geos_fail(ctx);
            goto done;
        }
        double once = ccn_geom_area(ctx, u);
        GEOSGeom_destroy_r(h, u);
        /* what the zones of different codes count once for each code */
        pr->twice = flagged - once;
        if (pr->twice >= CCN_OVERLAY_MIN_M2)
            st = keep_twice_zones(ctx, pr, all);
        GEOSGeom_destroy_r(h, all);
        if (st)
            goto done;
        covered += once;
    } else {
        covered += flagged; /* one code: its union */
    }
    if (pr->twice < CCN_OVERLAY_MIN_M2)
        pr->twice = 0;
    /* Drop the noise of coincident edges, then add what no zone covers. */
    size_t kept = 0;
    for (size_t i = 0; i < pr->nacc; i++)
        if (pr->acc[i].area >= CCN_OVERLAY_MIN_M2)
            pr->acc[kept++] = pr->acc[i];
    pr->nacc = kept;
    if (area - covered >= CCN_OVERLAY_MIN_M2 && !acc_add(pr, -1, area - covered)) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (pr->nacc > 1)
        qsort(pr->acc, pr->nacc, sizeof *pr->acc, cmp_code_area);
done:
    if (piece)
        GEOSGeom_destroy_r(h, piece);
    for (size_t i = 0; i < pr->nparts; i++)
        GEOSGeom_destroy_r(h, pr->parts[i]);
    pr->nparts = 0;
    return st;
}

/* ---- by cluster ---------------------------------------------------------- */

static const char *const cluster_columns[] = {"cluster", "plan_code", "area_m2", "share_pct",
                                              "plan_name", "protected", "conforming", NULL};

ccn_status ccn_overlay_clusters(ccn_store *store, const char *cluster, ccn_table **out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *out = NULL;
    plan_index plan = {0};
    ccn_clusters cs = {0};
    probe pr = {0};
    ccn_table *t = NULL;
    char ids[400];
    ccn_status st = ccn_clusters_load(store, cluster, &cs);
    double box[4];
    if (st || (st = plan_load(store, &plan,
                              extent_of(ccn_ctx_geos(ctx), &cs.c[0].geom, cs.n, sizeof *cs.c, box)
                                  ? box
                                  : NULL)))
        goto done;
    if (!probe_init(&pr, &plan) || !(t = ccn_table_new("overlay", cluster_columns))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    ccn_table_set_contract(t, "share_pct"); /* the plan's names and flags are extras */
    for (size_t i = 0; i < cs.n; i++) {
        const ccn_cluster *c = &cs.c[i];
        if ((st = overlay_one(ctx, &pr, c->geom, c->area))) {
            char what[64];
            snprintf(what, sizeof what, "cluster %s", c->code);
            st = prefix_error(ctx, st, what);
            goto done;
        }
        if (pr.twice >= plan.noise_m2)
            ccn_warn(ctx, "cluster %s: %.3f m² counted twice (overlapping plan zones fid %s)",
                     c->code, pr.twice, fid_list_text(&pr.twice_zones, ids, sizeof ids));
        /* The conforming code leads; the rest keep their order (by area). */
        for (int pass = 0; pass < 2; pass++)
            for (size_t k = 0; k < pr.nacc; k++) {
                const code_area *r = &pr.acc[k];
                const plan_code *pc = r->code >= 0 ? &plan.codes[r->code] : NULL;
                bool conforming = pc && c->plan_code && strcmp(pc->code, c->plan_code) == 0;
                if (conforming != (pass == 0))
                    continue;
                ccn_table_add_row(t);
                ccn_table_set_text(t, 0, c->code);
                ccn_table_set_text(t, 1, pc ? pc->code : NULL);
                ccn_table_set_real(t, 2, r->area, 3);
                ccn_table_set_real(t, 3, c->area > 0 ? 100.0 * r->area / c->area : NAN, 4);
                ccn_table_set_text(t, 4, pc ? pc->name : NULL);
                ccn_table_set_bool(t, 5, pc && pc->protect);
                ccn_table_set_bool(t, 6, conforming);
            }
    }
    *out = t;
    t = NULL;
done:
    ccn_table_free(t);
    probe_free(ctx, &pr);
    plan_free(ctx, &plan);
    ccn_clusters_free(ctx, &cs);
    return st;
}

/* ---- by parcel: the district-wide job ------------------------------------
 *
 * A pipeline of chunks: while the workers compute chunk k (on a helper
 * thread that runs ccn_parallel_for), this thread reads chunk k+1 from the
 * workspace and writes the rows of chunk k-1, so reading and writing — which
 * SQLite and the output stream do on one thread — overlap the geometry. Three
 * chunk buffers rotate; each worker keeps its probe (prepared zones) for the
 * whole run. */

#define NO_TEXT SIZE_MAX

typedef struct {
    int64_t fid;
    size_t wkb, nwkb;        /* in the chunk's bytes; nwkb 0: no geometry */
    size_t commune, landuse; /* offsets of NUL-terminated text in bytes, or NO_TEXT */
    int64_t sheet, parcel_no;
    bool has_sheet, has_parcel_no;
    /* Filled by the worker: */
    int worker;              /* whose rows hold the result */
    size_t first, nrows;     /* the result, in that worker's rows */
    bool repaired, no_geom;
} parcel_item;

typedef struct {
    parcel_item *items;
    size_t n, cap;
    char *bytes;             /* WKB and text of the chunk's parcels */
    size_t nbytes, capbytes;
    struct {
        code_area *v;        /* results of this chunk's parcels computed by worker w */
        size_t n, cap;
    } rows[64];              /* at most 64 workers (parallel.c) */
} chunk;

typedef struct {
    const plan_index *plan;
    chunk *c;                /* the chunk being computed */
    probe pr[64];            /* per worker, for the whole run */
} parcel_job;

static size_t keep_bytes(chunk *c, const void *data, size_t n, bool nul)
{
    if (!reserve((void **)&c->bytes, &c->capbytes, c->nbytes + n + nul, 1))
        return NO_TEXT;
    size_t at = c->nbytes;
    if (n)
        memcpy(c->bytes + at, data, n);
    if (nul)
        c->bytes[at + n] = '\0';
    c->nbytes += n + nul;
    return at;
}

static size_t keep_text(chunk *c, const char *s, bool *oom)
{
    if (!s)
        return NO_TEXT;
    size_t at = keep_bytes(c, s, strlen(s), true);
    *oom |= at == NO_TEXT;
    return at;
}

static const char *chunk_text(const chunk *c, size_t at)
{
    return at == NO_TEXT ? NULL : c->bytes + at;
}

static void chunk_free(chunk *c)
{
    free(c->items);
    free(c->bytes);
    for (int w = 0; w < 64; w++)
        free(c->rows[w].v);
    *c = (chunk){0};
}

/* Read up to CHUNK parcels of q (fid, WKB, commune, sheet, parcel_no, landuse). */
static ccn_status chunk_read(ccn_ctx *ctx, ccn_stmt *q, chunk *c, bool *more)
{
    c->n = 0;
    c->nbytes = 0;
    bool oom = false;
    while (c->n < CHUNK && !oom) {
        int rc = ccn_stmt_step(q);
        if (rc < 0)
            return CCN_ERR_INTERNAL;
        if (rc == 0) {
            *more = false;
            break;
        }
        if (!reserve((void **)&c->items, &c->cap, c->n + 1, sizeof *c->items))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        parcel_item *it = &c->items[c->n++];
        *it = (parcel_item){.fid = ccn_stmt_int(q, 0)};
        size_t n = 0;
        const void *wkb = ccn_stmt_is_null(q, 1) ? NULL : ccn_stmt_blob(q, 1, &n);
        if (wkb && n) {
            it->wkb = keep_bytes(c, wkb, n, false);
            it->nwkb = n;
            oom |= it->wkb == NO_TEXT;
        }
        it->commune = keep_text(c, ccn_stmt_text(q, 2), &oom);
        it->has_sheet = !ccn_stmt_is_null(q, 3);
        it->sheet = ccn_stmt_int(q, 3);
        it->has_parcel_no = !ccn_stmt_is_null(q, 4);
        it->parcel_no = ccn_stmt_int(q, 4);
        it->landuse = keep_text(c, ccn_stmt_text(q, 5), &oom);
    }
    return oom ? ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory") : CCN_OK;
}

static ccn_status parcels_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    parcel_job *job = user;
    chunk *c = job->c;
    probe *pr = &job->pr[worker];
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (!pr->prep && !probe_init(pr, job->plan))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t i = begin; i < end; i++) {
        parcel_item *it = &c->items[i];
        it->worker = worker;
        it->first = c->rows[worker].n;
        it->nrows = 0;
        if (!it->nwkb) {
            it->no_geom = true;
            continue;
        }
        GEOSGeometry *g = ccn_geom_from_wkb(ctx, c->bytes + it->wkb, it->nwkb);
        GEOSGeometry *repaired = NULL;
        /* Most parcels are small simple rings, proved valid at a tenth of
         * GEOSisValid's cost; the rest go through ccn_layer_valid. */
        const GEOSGeometry *valid = !g                                              ? NULL
                                    : ccn_rings_certainly_valid(h, g, &pr->scratch) ? g
                                    : ccn_layer_valid(ctx, g, &repaired);
        ccn_status st = CCN_OK;
        if (!g) { /* unreadable, written by another tool: left out and named, as check does */
            ccn_ctx_clear_error(ctx);
            it->no_geom = true;
        } else if (!valid)
            st = geos_fail(ctx);
        else if (GEOSisEmpty_r(h, valid))
            it->no_geom = true;
        else if (!(st = overlay_one(ctx, pr, valid, ccn_geom_area(ctx, valid)))) {
            if (reserve((void **)&c->rows[worker].v, &c->rows[worker].cap,
                        c->rows[worker].n + pr->nacc, sizeof *c->rows[worker].v)) {
                if (pr->nacc) /* a parcel no zone meets may come first: v still NULL */
                    memcpy(c->rows[worker].v + c->rows[worker].n, pr->acc,
                           pr->nacc * sizeof *pr->acc);
                c->rows[worker].n += pr->nacc;
                it->nrows = pr->nacc;
            } else {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            }
        }
        it->repaired = repaired != NULL;
        if (repaired)
            GEOSGeom_destroy_r(h, repaired);
        if (g)
            GEOSGeom_destroy_r(h, g);
        if (st) {
            char what[64];
            snprintf(what, sizeof what, "parcel %lld", (long long)it->fid);
            return prefix_error(ctx, st, what);
        }
    }
    return CCN_OK;
}

/* A stage of the pipeline on a thread of its own. */
typedef struct {
    ccn_status (*fn)(void *arg);
    void *arg;
    pthread_t tid;
    bool running;
    ccn_status st;
} stage;

static void *stage_main(void *p)
{
    stage *s = p;
    s->st = s->fn(s->arg);
    return NULL;
}

static bool stage_start(stage *s, ccn_status (*fn)(void *), void *arg)
{
    s->fn = fn;
    s->arg = arg;
    s->st = CCN_OK;
    s->running = pthread_create(&s->tid, NULL, stage_main, s) == 0;
    return s->running;
}

static ccn_status stage_wait(stage *s)
{
    if (s->running)
        pthread_join(s->tid, NULL);
    s->running = false;
    return s->st;
}

/* Compute a chunk on every core; errors and warnings stay in its ctx. */
typedef struct {
    parcel_job *job;
    ccn_ctx *ctx;
    chunk *c;
} compute_arg;

static ccn_status compute_chunk(void *arg)
{
    compute_arg *a = arg;
    a->job->c = a->c;
    for (int w = 0; w < 64; w++)
        a->c->rows[w].n = 0;
    return ccn_parallel_for(a->ctx, a->c->n, 0, parcels_work, a->job);
}

/* Read a chunk; errors reach the store's context (the caller's). */
typedef struct {
    ccn_ctx *ctx;
    ccn_stmt *q;
    chunk *c;
    bool more;
} read_arg;

static ccn_status read_chunk(void *arg)
{
    read_arg *a = arg;
    return chunk_read(a->ctx, a->q, a->c, &a->more);
}

/* Rows of a computed chunk, in parcel order, whichever worker computed them.
 * Runs beside the reader, so it leaves the context alone: false = out of memory. */
static bool chunk_emit(const chunk *c, const plan_index *plan, ccn_table *t, fid_list *repaired,
                       fid_list *no_geom)
{
    for (size_t i = 0; i < c->n; i++) {
        const parcel_item *it = &c->items[i];
        if ((it->repaired && !fid_list_add(repaired, it->fid)) ||
            (it->no_geom && !fid_list_add(no_geom, it->fid)))
            return false;
        const code_area *r = c->rows[it->worker].v + it->first;
        for (size_t k = 0; k < it->nrows; k++) {
            ccn_table_add_row(t);
            ccn_table_set_int(t, 0, it->fid);
            ccn_table_set_text(t, 1, chunk_text(c, it->commune));
            if (it->has_sheet)
                ccn_table_set_int(t, 2, it->sheet);
            if (it->has_parcel_no)
                ccn_table_set_int(t, 3, it->parcel_no);
            ccn_table_set_text(t, 4, chunk_text(c, it->landuse));
            ccn_table_set_text(t, 5, r[k].code >= 0 ? plan->codes[r[k].code].code : NULL);
            ccn_table_set_real(t, 6, r[k].area, 3);
        }
    }
    return true;
}

static const char *const parcel_columns[] = {"parcel_id", "commune", "sheet",   "parcel_no",
                                             "landuse",   "plan_code", "area_m2", NULL};

ccn_table *ccn_overlay_parcels_table(void) { return ccn_table_new("overlay_parcels", parcel_columns); }

struct ccn_overlay_job {
    ccn_store *store;   /* not owned */
    char *select;       /* the parcels' query: every parcel, or those asked for */
    int64_t total;      /* the parcels it gives, for the progress bar */
    plan_index plan;
    parcel_job work;
    chunk chunks[3];
};

void ccn_overlay_job_free(ccn_overlay_job *job)
{
    if (!job)
        return;
    ccn_ctx *ctx = ccn_store_ctx(job->store);
    for (int w = 0; w < 64; w++)
        if (job->work.pr[w].prep)
            probe_free(ctx, &job->work.pr[w]);
    for (int i = 0; i < 3; i++)
        chunk_free(&job->chunks[i]);
    plan_free(ctx, &job->plan);
    free(job->select);
    free(job);
}

/* head ("SELECT … FROM parcels") of every parcel, or of the ids in only (as
 * a literal list: a cluster takes some thousands at most, and a temporary
 * table would need a right to write that a viewer lacks), in fid order when
 * ordered. NULL: no memory. */
static char *parcels_query(const char *head, const int64_t *only, size_t nonly, bool ordered)
{
    size_t cap = strlen(head) + 64 + 21 * nonly;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    size_t n = (size_t)snprintf(sql, cap, "%s", head);
    if (only) {
        n += (size_t)snprintf(sql + n, cap - n, nonly ? " WHERE fid IN (" : " WHERE 1 = 0");
        for (size_t k = 0; k < nonly; k++)
            n += (size_t)snprintf(sql + n, cap - n, "%s%lld", k ? "," : "", (long long)only[k]);
        if (nonly)
            n += (size_t)snprintf(sql + n, cap - n, ")");
    }
    if (ordered)
        snprintf(sql + n, cap - n, " ORDER BY fid");
    return sql;
}

/* The box around the parcels whose ids are in only: the plan zones a
 * question about them reads (and speaks of). Without any, a box no zone of a
 * projected CRS reaches. */
static ccn_status parcels_extent(ccn_store *store, const int64_t *only, size_t nonly,
                                 double box[4])
{
    box[0] = box[1] = box[2] = box[3] = -1e15;
    if (!nonly)
        return CCN_OK;
    ccn_ctx *ctx = ccn_store_ctx(store);
    char *sql = parcels_query("SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)),"
                              " max(MbrMaxY(geom)) FROM parcels",
                              only, nonly, false);
    if (!sql)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    free(sql);
    if (st)
        return st;
    int rc = ccn_stmt_step(q);
    if (rc == 1 && !ccn_stmt_is_null(q, 0))
        for (int i = 0; i < 4; i++)
            box[i] = ccn_stmt_double(q, i);
    ccn_stmt_free(q);
    return rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

ccn_status ccn_overlay_parcels_begin(ccn_store *store, const int64_t *only, size_t nonly,
                                     ccn_overlay_job **out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *out = NULL;
    ccn_overlay_job *job = calloc(1, sizeof *job);
    if (!job || !(job->select = parcels_query("SELECT fid, AsBinary(geom), commune, sheet,"
                                                 " parcel_no, landuse FROM parcels",
                                                 only, nonly, true))) {
        free(job);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    job->store = store;
    job->total = only ? (int64_t)nonly : -1;
    job->work.plan = &job->plan;
    double box[4];
    ccn_status st = ccn_layer_require(store, "parcels", "the cadastral parcels");
    if (st || (only && (st = parcels_extent(store, only, nonly, box))) ||
        (st = plan_load(store, &job->plan, only ? box : NULL))) {
        ccn_overlay_job_free(job);
        return st;
    }
    *out = job;
    return CCN_OK;
}

ccn_status ccn_overlay_parcels_run(ccn_overlay_job *job, ccn_table *t)
{
    ccn_store *store = job->store;
    ccn_ctx *ctx = ccn_store_ctx(store);
    fid_list repaired = {0}, no_geom = {0};
    stage reader = {0}, computer = {0};
    compute_arg ca = {.job = &job->work, .ctx = ccn_ctx_new()};
    read_arg ra = {.ctx = ctx, .more = true};
    chunk *ch = job->chunks;
    char ids[400];
    long done_n = 0;
    int64_t total = job->total >= 0 ? job->total : ccn_store_count(store, "parcels");
    ccn_status st = CCN_OK, cst = CCN_OK;
    if (!ca.ctx) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_stmt_prepare(store, job->select, &ra.q)))
        goto done;
    /* Round k: chunk k is written here while chunk k+1 is computed and chunk
     * k+2 read, each on its own thread; the three buffers rotate. */
    ra.c = &ch[0];
    if ((st = read_chunk(&ra)))
        goto done;
    ca.c = &ch[0];
    if ((st = compute_chunk(&ca)))
        goto compute_failed;
    ra.c = &ch[1];
    ch[1].n = 0;
    if (ra.more && (st = read_chunk(&ra)))
        goto done;
    for (size_t k = 0; ch[k % 3].n; k++) {
        chunk *out = &ch[k % 3], *next = &ch[(k + 1) % 3], *after = &ch[(k + 2) % 3];
        after->n = 0;
        ca.c = next;
        ra.c = after;
        if ((next->n && !stage_start(&computer, compute_chunk, &ca)) ||
            (ra.more && !stage_start(&reader, read_chunk, &ra))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot start a thread");
        } else if (!chunk_emit(out, &job->plan, t, &repaired, &no_geom)) {
            st = CCN_ERR_INTERNAL; /* the message waits for the reader */
        }
        ccn_status rst = stage_wait(&reader);
        cst = stage_wait(&computer);
        if (st == CCN_ERR_INTERNAL && !rst && !cst)
            ccn_error(ctx, st, "out of memory");
        st = st ? st : rst;
        if (st)
            goto done;
        if (cst) {
            st = cst;
            goto compute_failed;
        }
        done_n += (long)out->n;
        ccn_progress(ctx, "overlay by parcel", done_n, (long)total);
    }
    if (repaired.n)
        ccn_warn(ctx, "%zu parcel(s) with invalid geometry, repaired (MakeValid) for computing: fid %s",
                 repaired.n, fid_list_text(&repaired, ids, sizeof ids));
    if (no_geom.n)
        ccn_warn(ctx, "%zu parcel(s) without polygonal geometry (none, empty or unreadable), "
                 "left out: fid %s", no_geom.n,
                 fid_list_text(&no_geom, ids, sizeof ids));
    goto done;
compute_failed:
    ccn_error(ctx, st, "%s", ccn_ctx_message(ca.ctx));
done:
    stage_wait(&reader);
    stage_wait(&computer);
    if (ca.ctx) {
        for (size_t i = 0; i < ccn_ctx_warning_count(ca.ctx); i++)
            ccn_warn(ctx, "%s", ccn_ctx_warning(ca.ctx, i));
        ccn_ctx_free(ca.ctx);
    }
    ccn_stmt_free(ra.q);
    fid_list_free(&repaired);
    fid_list_free(&no_geom);
    return st;
}

/* ---- one parcel: ccn lookup ---------------------------------------------- */

typedef struct {
    int64_t fid;
    GEOSGeometry *geom;
    char *commune, *landuse, *owner;
    char *commune_name; /* the old commune's name in the registry, or NULL */
    char *new_name, *new_code; /* the commune it is part of since 1 July 2025, or NULL */
    int64_t sheet, parcel_no;
    double area_legal; /* NaN when not on record */
    int named;         /* how --commune names its old commune: NAMED_NOT, _FOLDED, _EXACT */
    bool in_new;       /* --commune names the commune its old commune is part of since 2025 */
} found_parcel;

typedef struct {
    ccn_ctx *ctx;
    found_parcel *v;
    size_t n, cap;
} found_list;

static char *dup_text(const char *s) { return s ? strdup(s) : NULL; }

static ccn_status found_take(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    found_list *l = user;
    if (!reserve((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        if (geom)
            GEOSGeom_destroy_r(ccn_ctx_geos(l->ctx), geom);
        return ccn_error(l->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    l->v[l->n++] = (found_parcel){
        .fid = fid,
        .geom = geom,
        .commune = dup_text(ccn_stmt_text(row, 2)),
        .sheet = ccn_stmt_int(row, 3),
        .parcel_no = ccn_stmt_int(row, 4),
        .landuse = dup_text(ccn_stmt_text(row, 5)),
        .owner = dup_text(ccn_stmt_text(row, 6)),
        .area_legal = ccn_stmt_is_null(row, 7) ? NAN : ccn_stmt_double(row, 7),
        .commune_name = dup_text(ccn_stmt_text(row, 8)),
        .new_name = dup_text(ccn_stmt_text(row, 9)),
        .new_code = dup_text(ccn_stmt_text(row, 10)),
    };
    return CCN_OK;
}

static void found_parcel_free(ccn_ctx *ctx, found_parcel *f)
{
    if (f->geom)
        GEOSGeom_destroy_r(ccn_ctx_geos(ctx), f->geom);
    free(f->commune);
    free(f->commune_name);
    free(f->new_name);
    free(f->new_code);
    free(f->landuse);
    free(f->owner);
}

static void found_free(ccn_ctx *ctx, found_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        found_parcel_free(ctx, &l->v[i]);
    free(l->v);
    *l = (found_list){0};
}

/* The parcels with this key in every commune; rows sorted by commune, then
 * fid, each with its commune's name in the registry (for --commune). */
static ccn_status lookup_find(ccn_store *store, int64_t sheet, int64_t parcel_no, found_list *out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_stmt *q = NULL;
    *out = (found_list){.ctx = ctx};
    ccn_status st = ccn_stmt_prepare(
        store,
        "SELECT p.fid, AsBinary(p.geom), p.commune, p.sheet, p.parcel_no, p.landuse, p.owner, "
        "p.area_legal, r.name, r.new_name, r.new_code FROM parcels p "
        "LEFT JOIN commune_registry r ON r.code = p.commune "
        "WHERE p.sheet = ?1 AND p.parcel_no = ?2 ORDER BY p.commune, p.fid",
        &q);
    if (st)
        return st;
    ccn_stmt_bind_int(q, 1, sheet);
    ccn_stmt_bind_int(q, 2, parcel_no);
    int rc = 0;
    while (!st && (rc = ccn_stmt_step(q)) == 1) {
        GEOSGeometry *g = NULL;
        size_t n = 0;
        const void *wkb = ccn_stmt_is_null(q, 1) ? NULL : ccn_stmt_blob(q, 1, &n);
        if (wkb && !(g = ccn_geom_from_wkb(ctx, wkb, n)))
            st = CCN_ERR_INTERNAL;
        else
            st = found_take(out, q, ccn_stmt_int(q, 0), g);
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    if (st)
        found_free(ctx, out);
    return st;
}

enum { NAMED_NOT, NAMED_NEW, NAMED_FOLDED, NAMED_EXACT };

/* A commune's name as a person may type it: folded (no diacritics, lower
 * case, spaces trimmed) and without the kind in front ("xã", "thị trấn",
 * "phường"), so "Triệu Thành", "trieu thanh" and "Xã Triệu Thành" meet; a
 * code of digits without its leading zeros, as import stores the code a file
 * writes with others (015718 is the registry's 15718). Returns a malloc'd
 * string, NULL if it does not fold. */
static char *commune_key(const char *name)
{
    static const char *const kinds[] = {"xa ", "thi tran ", "phuong ", "tt "};
    char *k = ccn_textenc_fold(name);
    for (size_t i = 0; k && i < sizeof kinds / sizeof *kinds; i++) {
        size_t n = strlen(kinds[i]);
        if (strncmp(k, kinds[i], n) == 0) {
            memmove(k, k + n, strlen(k + n) + 1);
            break;
        }
    }
    const char *digits = ccn_textenc_digits(k);
    if (digits)
        memmove(k, digits, strlen(digits) + 1);
    return k;
}

/* Whether a and b meet as commune_key folds them. */
static bool same_commune(const char *a, const char *want)
{
    char *k = a && want ? commune_key(a) : NULL;
    bool same = k && strcmp(k, want) == 0;
    free(k);
    return same;
}

/* Keep the parcels --commune names: by its old commune's code or registry
 * name as written if any is, else by either as commune_key folds it, else
 * by the name or code of the commune their old commune became part of on 1
 * July 2025 (cadastral sheets keep the old commune's numbering: several old
 * communes of one new commune may have the key, then it is ambiguous).
 * Returns the kind of match kept (NAMED_NOT: none, the list is emptied);
 * when an old commune is kept, the other old communes of the new commune
 * of that name that have the key go into also (", "-separated). */
static int lookup_named(ccn_ctx *ctx, found_list *l, const char *commune, char *also,
                        size_t also_size)
{
    char *want = commune_key(commune);
    int best = NAMED_NOT;
    for (size_t i = 0; i < l->n; i++) {
        found_parcel *f = &l->v[i];
        const char *code = f->commune, *name = f->commune_name;
        if ((code && strcmp(code, commune) == 0) || (name && strcmp(name, commune) == 0)) {
            f->named = NAMED_EXACT;
        } else if (want) {
            f->named = same_commune(code, want) || same_commune(name, want) ? NAMED_FOLDED
                                                                            : NAMED_NOT;
        }
        f->in_new = (f->new_name && strcmp(f->new_name, commune) == 0) ||
                    (f->new_code && strcmp(f->new_code, commune) == 0) ||
                    same_commune(f->new_name, want) || same_commune(f->new_code, want);
        if (f->named > best)
            best = f->named;
    }
    free(want);
    bool by_new = false;
    for (size_t i = 0; best == NAMED_NOT && i < l->n; i++)
        by_new |= l->v[i].in_new;
    size_t kept = 0;
    *also = '\0';
    for (size_t i = 0; i < l->n; i++) {
        found_parcel *f = &l->v[i];
        if (by_new ? f->in_new : best != NAMED_NOT && f->named == best) {
            l->v[kept++] = *f;
            continue;
        }
        size_t used = strlen(also);
        if (f->in_new && f->commune && !strstr(also, f->commune) && used + 40 < also_size)
            snprintf(also + used, also_size - used, "%s%s", used ? ", " : "", f->commune);
        found_parcel_free(ctx, f);
    }
    l->n = kept;
    return by_new ? NAMED_NEW : best;
}

/* Whether text names an old commune of the registry, as lookup_named
 * matches one (its code or name, as written or folded). */
static ccn_status names_old_commune(ccn_store *store, const char *text, bool *names)
{
    ccn_stmt *q = NULL;
    *names = false;
    ccn_status st = ccn_stmt_prepare(store, "SELECT code, name FROM commune_registry", &q);
    if (st)
        return st;
    char *want = commune_key(text);
    int rc = 0;
    while (!*names && (rc = ccn_stmt_step(q)) == 1)
        for (int c = 0; c < 2; c++) {
            const char *v = ccn_stmt_text(q, c);
            *names |= (v && strcmp(v, text) == 0) || same_commune(v, want);
        }
    if (rc < 0)
        st = ccn_ctx_status(ccn_store_ctx(store)) ? ccn_ctx_status(ccn_store_ctx(store))
                                                  : CCN_ERR_INTERNAL;
    free(want);
    ccn_stmt_free(q);
    return st;
}

static const char *const lookup_columns[] = {
    "parcel_id", "commune",   "sheet",     "parcel_no", "landuse", "owner",     "area_legal_m2",
    "parcel_area_m2", "plan_code", "plan_name", "protected", "area_m2", "share_pct", NULL};

ccn_status ccn_overlay_lookup(ccn_store *store, const char *commune, int64_t sheet,
                              int64_t parcel_no, ccn_table **out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    *out = NULL;
    plan_index plan = {0};
    found_list found = {0};
    probe pr = {0};
    ccn_table *t = NULL;
    char of[120], list[900];
    /* The key is in each message's own words (sheet, parcel, then " of commune
     * C" or nothing as a value of its own), so the CLI translates every part. */
    snprintf(of, sizeof of, "%s%s", commune ? " of commune " : "", commune ? commune : "");
    long long sh = (long long)sheet, no = (long long)parcel_no;
    ccn_status st = ccn_layer_require(store, "parcels", "the cadastral parcels");
    if (st || (st = lookup_find(store, sheet, parcel_no, &found)))
        goto done;
    /* A commune named in another way than the registry writes it may name
     * more than one: then it is ambiguous, as no commune is. */
    char also[200] = "";
    int named = commune ? lookup_named(ctx, &found, commune, also, sizeof also) : NAMED_NOT;
    bool exact = named == NAMED_EXACT, names_old = false;
    /* A commune formed in 2025 often kept an old one's code or name: the
     * old reading comes first, and the other is said or asked. */
    if (named == NAMED_NEW && (st = names_old_commune(store, commune, &names_old)))
        goto done;
    if (*also)
        ccn_warn(ctx, "sheet %lld, parcel %lld%s: '%s' also names the commune formed on 1 July "
                 "2025 whose old commune(s) %s have this sheet and parcel too (name one with "
                 "--commune)", sh, no, of, commune, also);
    if (found.n == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "no parcel sheet %lld, parcel %lld%s in the workspace",
                       sh, no, of);
        goto done;
    }
    /* Without a commune (or with one formed in 2025 of several old ones)
     * the key may be in more than one: each is answered, and said. */
    size_t ncommunes = 1;
    for (size_t i = 1; i < found.n; i++) {
        const char *a = found.v[i - 1].commune, *b = found.v[i].commune;
        ncommunes += (a && b) ? strcmp(a, b) != 0 : a != b;
    }
    if (!exact && ncommunes > 1) {
        size_t len = 0;
        list[0] = '\0';
        for (size_t i = 0; i < found.n && len < sizeof list; i++) {
            const found_parcel *f = &found.v[i];
            len += (size_t)snprintf(list + len, sizeof list - len, "\n  --commune %s  (parcel_id %lld, %s, %s)",
                                    f->commune ? f->commune : "''",
                                    (long long)f->fid, f->landuse ? f->landuse : "no land use",
                                    f->owner ? f->owner : "no owner");
        }
        ccn_warn(ctx, "sheet %lld, parcel %lld%s is in %zu communes: each is answered, its "
                      "commune in column commune (--commune picks one):%s",
                 sh, no, of, ncommunes, list);
    }
    if (names_old)
        ccn_warn(ctx, "sheet %lld, parcel %lld%s: the old commune '%s' has none; taken as the "
                 "commune formed on 1 July 2025 of that name or code: old commune %s", sh, no, of,
                 commune,
                 found.v[0].commune ? found.v[0].commune : "''");
    if (found.n > ncommunes)
        ccn_warn(ctx, "sheet %lld, parcel %lld%s is recorded %zu times (a duplicate key); each is "
                 "shown", sh, no, of, found.n);
    double box[4];
    if ((st = plan_load(store, &plan,
                        extent_of(h, &found.v[0].geom, found.n, sizeof *found.v, box) ? box : NULL)))
        goto done;
    if (!probe_init(&pr, &plan) || !(t = ccn_table_new("lookup", lookup_columns))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < found.n; i++) {
        const found_parcel *f = &found.v[i];
        GEOSGeometry *repaired = NULL;
        const GEOSGeometry *valid = f->geom ? ccn_layer_valid(ctx, f->geom, &repaired) : NULL;
        if (f->geom && !valid) {
            st = geos_fail(ctx);
            goto done;
        }
        if (repaired)
            ccn_warn(ctx, "parcel %lld has invalid geometry; repaired (MakeValid) for computing",
                     (long long)f->fid);
        double area = valid ? ccn_geom_area(ctx, valid) : NAN;
        if (!valid || GEOSisEmpty_r(h, valid)) {
            ccn_warn(ctx, "parcel %lld has no polygonal geometry: its planned use is unknown",
                     (long long)f->fid);
            pr.nacc = 0;
        } else if ((st = overlay_one(ctx, &pr, valid, area))) {
            if (repaired)
                GEOSGeom_destroy_r(h, repaired);
            goto done;
        } else if (pr.twice >= plan.noise_m2) {
            char ids[400];
            ccn_warn(ctx, "parcel %lld: %.3f m² counted twice (overlapping plan zones fid %s)",
                     (long long)f->fid, pr.twice, fid_list_text(&pr.twice_zones, ids, sizeof ids));
        }
        if (repaired)
            GEOSGeom_destroy_r(h, repaired);
        /* The record once per planned code (at least once). */
        for (size_t k = 0; k < (pr.nacc ? pr.nacc : 1); k++) {
            const code_area *r = pr.nacc ? &pr.acc[k] : NULL;
            const plan_code *pc = r && r->code >= 0 ? &plan.codes[r->code] : NULL;
            ccn_table_add_row(t);
            ccn_table_set_int(t, 0, f->fid);
            ccn_table_set_text(t, 1, f->commune);
            ccn_table_set_int(t, 2, f->sheet);
            ccn_table_set_int(t, 3, f->parcel_no);
            ccn_table_set_text(t, 4, f->landuse);
            ccn_table_set_text(t, 5, f->owner);
            ccn_table_set_real(t, 6, f->area_legal, 3);
            ccn_table_set_real(t, 7, area, 3);
            ccn_table_set_text(t, 8, pc ? pc->code : NULL);
            ccn_table_set_text(t, 9, pc ? pc->name : NULL);
            if (r) {
                ccn_table_set_bool(t, 10, pc && pc->protect);
                ccn_table_set_real(t, 11, r->area, 3);
                ccn_table_set_real(t, 12, area > 0 ? 100.0 * r->area / area : NAN, 4);
            }
        }
    }
    *out = t;
    t = NULL;
done:
    ccn_table_free(t);
    probe_free(ctx, &pr);
    plan_free(ctx, &plan);
    found_free(ctx, &found);
    return st;
}
