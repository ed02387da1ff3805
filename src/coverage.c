/* coverage — overlaps, gaps and slivers of a polygon layer (see coverage.h).
 * Its parts so far: coverage_flat (the polygons as flat arrays, and their
 * grid); coverage_pair (the area two polygons share); coverage_pieces (the
 * pieces of the union's boundary); coverage_noder (those noded in tiles);
 * coverage_graph (the planar graph, its faces and how many polygons cover
 * each); coverage_run.h holds what they share. */
#include "coverage.h"
#include "coverage_flat.h"
#include "coverage_pair.h"
#include "coverage_pieces.h"
#include "coverage_graph.h"
#include "coverage_noder.h"
#include "coverage_run.h"
#include "earclip.h"
#include "grow.h"
#include "width.h"

#include "geom.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* ---------------------------------------------------------------------------
 * The per-polygon pass: slivers, overlaps, boundary pieces for the gaps. */

/* Is the pair of polygon i (being processed) and j measured now? Once per
 * pair: by the first of the two processed, the lower of two processed in
 * the same round. */
static bool pair_here(const run_t *run, size_t i, size_t j)
{
    uint8_t s = run->state ? run->state[j] : P_NOW;
    return s == P_WAITING || (s == P_NOW && j > i);
}

static ccn_status pass_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    run_t *run = user;
    worker_state *w = &run->ws[worker];
    const flat *f = &run->f;
    const ccn_coverage_options *opt = run->opt;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t k = begin; k < end; k++) {
        size_t i = run->order ? run->order[run->order_base + k] : k;
        if (f->poly_part[i] == f->poly_part[i + 1] || f->area[i] <= 0)
            continue;
        if (opt->sliver_max_width_m > 0 && f->perim[i] > 0) {
            double ratio = 4 * M_PI * f->area[i] / (f->perim[i] * f->perim[i]);
            double width = 2 * f->area[i] / f->perim[i];
            if (ratio < opt->sliver_ratio && width <= opt->sliver_max_width_m) {
                ccn_coverage_issue is = {CCN_COVERAGE_SLIVER, i, CCN_COVERAGE_NONE, f->area[i],
                                         NAN, NAN, ratio, width, NAN, 0};
                GEOSGeometry *own;
                const GEOSGeometry *gi = ccn_coverage_poly_geom(ctx, run->in, i, &own);
                if (gi)
                    ccn_geom_point_on_surface(ctx, gi, &is.x, &is.y);
                if (own)
                    GEOSGeom_destroy_r(h, own);
                if (!add_issue(w, is))
                    goto oom;
            }
        }
        /* The envelope widened by the snap: polygons meeting only at a
         * corner, each with its own copy of it, must still see each other. */
        const double *e = f->poly_env + 4 * i, snap = run->gaps ? opt->snap_m : 0;
        double probe[4] = {e[0] - snap, e[1] - snap, e[2] + snap, e[3] + snap};
        if (!poly_grid_query(&run->grid, probe, w))
            goto oom;
        for (size_t c = 0; c < w->ncand; c++) {
            size_t self = i, other = w->cand[c];
            if (other == self || !pair_here(run, self, other) ||
                !env_meet(f->poly_env + 4 * self, f->poly_env + 4 * other))
                continue;
            /* The pair as when all polygons are at hand: the lower one first. */
            size_t i = self < other ? self : other, j = self < other ? other : self;
            double est = 0;
            for (size_t p = f->poly_part[i]; p < f->poly_part[i + 1]; p++)
                for (size_t q = f->poly_part[j]; q < f->poly_part[j + 1]; q++) {
                    double a = ccn_coverage_part_pair_area(ctx, &w->clip, f, run->in, i, p, j, q);
                    if (isnan(a))
                        goto oom;
                    est += a;
                }
            /* The estimate is the shared area but for rounding and for the
             * turns ring_convex lets pass as straight (a vertex off the line
             * by 1e-9 of its edges, a sliver of that times the perimeters):
             * a pair clearly at or under the noise floor is not measured
             * again with GEOS (on noisy neighbours, 4 in 10 of those that
             * were; GEOS's areas there lie within 2e-8 m² of the estimate). */
            double slack = 1e-6 + 1e-8 * f->perim[i] * f->perim[j];
            if (est <= opt->overlap_min_m2 - slack)
                continue;
            ccn_coverage_issue is = {CCN_COVERAGE_OVERLAP, i, j, 0, NAN, NAN, NAN, NAN, NAN, 0};
            /* Two convex parcels (most) share a convex piece: when it is
             * narrower than the tolerance it is measured here, without GEOS
             * (neighbours digitised sheet by sheet have one on every edge). */
            size_t pi = f->poly_part[i], pj = f->poly_part[j];
            if (opt->edge_tol_m > 0 && f->poly_part[i + 1] == pi + 1 &&
                f->poly_part[j + 1] == pj + 1 && f->convex[pi] && f->convex[pj]) {
                /* The estimate was this very clip (one ring each: convex
                 * parts have no holes), its piece still in w->clip. */
                const double *c = f->xy + 2 * f->ring_pt[f->part_ring[pj]];
                double a = est;
                if (a <= opt->overlap_min_m2)
                    continue;
                double width, perim, cx, cy;
                ccn_coverage_clip_shape(&w->clip, &width, &perim, &cx, &cy);
                if (width < opt->edge_tol_m) {
                    is = (ccn_coverage_issue){CCN_COVERAGE_EDGE_MISMATCH, i, j, a, c[0] + cx,
                                              c[1] + cy, NAN, width, perim / 2,
                                              CCN_COVERAGE_THIN_OVERLAP};
                    if (!add_issue(w, is))
                        goto oom;
                    continue;
                }
            }
            /* Two one-ring parcels whose boundaries cross properly (nearly
             * all the rest) are measured in-house, as GEOS would. */
            int mine = ccn_coverage_pair_overlap(ctx, f, i, j, opt, &is);
            if (mine < 0)
                return ccn_ctx_status(ctx) ? ccn_ctx_status(ctx) : CCN_ERR_INTERNAL;
            if (mine > 0) {
                if (is.area > opt->overlap_min_m2 && !add_issue(w, is))
                    goto oom;
                continue;
            }
            GEOSGeometry *oi, *oj;
            const GEOSGeometry *gi = ccn_coverage_poly_geom(ctx, run->in, i, &oi),
                               *gj = ccn_coverage_poly_geom(ctx, run->in, j, &oj);
            bool measured = gi && gj &&
                            ccn_coverage_measure_overlap(ctx, gi, gj, opt->overlap_min_m2,
                                                         opt->edge_tol_m, &is);
            if (oi)
                GEOSGeom_destroy_r(h, oi);
            if (oj)
                GEOSGeom_destroy_r(h, oj);
            if (!measured)
                return CCN_ERR_INTERNAL;
            if (is.area > opt->overlap_min_m2 && !add_issue(w, is))
                goto oom;
        }
        if (run->gaps &&
            !ccn_coverage_emit_boundary(w, f, i, run->id ? (uint32_t)run->id[i] : (uint32_t)i,
                                        opt->snap_m))
            goto oom;
    }
    return CCN_OK;
oom:
    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
}

static size_t find_root(size_t *parent, size_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
}

/* Gap candidates are tested on every core: a point inside the face, is it
 * covered by any polygon, and which polygons border it. */
typedef struct {
    bool uncovered;
    size_t a, b;      /* the two lowest polygons along it */
    double x, y;      /* a point inside */
    size_t group;     /* uncovered faces touching at a vertex: one region */
    bool test;        /* streamed: (x, y) still to be tested against the polygons */
} face_result;

typedef struct {
    run_t *run;
    const graph *g;
    const cycles *cy;
    const size_t *cand, *hole_first, *hole_list;
    face_result *res;
    size_t *group_first, *group_list; /* the faces of each region */
    const int32_t *depth;             /* per cycle: polygons covering its face (DEPTH_UNKNOWN) */
} gap_job;

/* A point inside face f (its cycle minus the cycles of its holes), as GEOS's
 * interior point finds one: on the line through the middle of its height
 * that passes no vertex, the middle of the widest stretch inside. false
 * when rounding leaves no stretch. xs: room for a crossing per half-edge. */
static bool face_interior_point(const graph *g, const cycles *cy, size_t f,
                                const size_t *hole_first, const size_t *hole_list, double **xs,
                                size_t *capxs, double *px, double *py)
{
    size_t nh = hole_first[f + 1] - hole_first[f];
    double mid = (cy->c[f].env[1] + cy->c[f].env[3]) / 2, below = -INFINITY, above = INFINITY;
    for (size_t c = 0; c <= nh; c++) {
        const cycle *cc = &cy->c[c == 0 ? f : hole_list[hole_first[f] + c - 1]];
        for (size_t k = 0; k < cc->len; k++) {
            double y = g->vxy[2 * origin(g, cy->he[cc->first + k]) + 1];
            if (y <= mid && y > below)
                below = y;
            if (y > mid && y < above)
                above = y;
        }
    }
    if (!isfinite(below) || !isfinite(above))
        return false;
    double y = (below + above) / 2;
    size_t n = 0;
    for (size_t c = 0; c <= nh; c++) {
        const cycle *cc = &cy->c[c == 0 ? f : hole_list[hole_first[f] + c - 1]];
        for (size_t k = 0; k < cc->len; k++) {
            size_t he = cy->he[cc->first + k];
            const double *p = g->vxy + 2 * origin(g, he), *q = g->vxy + 2 * dest(g, he);
            if ((p[1] > y) == (q[1] > y))
                continue;
            if (n == *capxs && !grow_array((void **)xs, capxs, n + 1, sizeof **xs))
                return false;
            (*xs)[n++] = p[0] + (y - p[1]) / (q[1] - p[1]) * (q[0] - p[0]);
        }
    }
    if (n < 2)
        return false;
    qsort(*xs, n, sizeof **xs, cmp_x);
    double best = -1;
    for (size_t k = 0; k + 1 < n; k += 2)
        if ((*xs)[k + 1] - (*xs)[k] > best) {
            best = (*xs)[k + 1] - (*xs)[k];
            *px = ((*xs)[k] + (*xs)[k + 1]) / 2;
        }
    *py = y;
    return best > 0;
}

/* Name an uncovered face after the two polygons its boundary runs along
 * furthest (from the labels: the polygon across each edge), the lower
 * index first; ties go to the lower index. */
static void name_by_labels(const graph *g, const cycles *cy, size_t f, const size_t *hole_first,
                           const size_t *hole_list, face_result *r)
{
    /* Running totals for the few polygons along one face. */
    enum { MAXN = 64 };
    uint32_t who[MAXN];
    double len[MAXN];
    size_t m = 0;
    size_t nh = hole_first[f + 1] - hole_first[f];
    for (size_t c = 0; c <= nh; c++) {
        const cycle *cc = &cy->c[c == 0 ? f : hole_list[hole_first[f] + c - 1]];
        for (size_t k = 0; k < cc->len; k++) {
            size_t he = cy->he[cc->first + k];
            uint32_t p = he & 1 ? g->pl[he / 2] : g->pr[he / 2];
            if (p == NO_POLY)
                continue;
            const double *a = g->vxy + 2 * origin(g, he), *b = g->vxy + 2 * dest(g, he);
            double l = hypot(b[0] - a[0], b[1] - a[1]);
            size_t q = 0;
            while (q < m && who[q] != p)
                q++;
            if (q == m) {
                if (m == MAXN)
                    continue;
                who[m] = p, len[m] = 0, m++;
            }
            len[q] += l;
        }
    }
    double best[2] = {0, 0};
    size_t top[2] = {CCN_COVERAGE_NONE, CCN_COVERAGE_NONE};
    for (size_t q = 0; q < m; q++) {
        size_t j = who[q];
        if (len[q] > best[0] || (len[q] == best[0] && j < top[0])) {
            best[1] = best[0], top[1] = top[0];
            best[0] = len[q], top[0] = j;
        } else if (len[q] > best[1] || (len[q] == best[1] && j < top[1])) {
            best[1] = len[q], top[1] = j;
        }
    }
    r->a = top[0] < top[1] ? top[0] : top[1];
    r->b = top[0] < top[1] ? top[1] : top[0];
    if (r->a == CCN_COVERAGE_NONE)
        r->a = r->b, r->b = CCN_COVERAGE_NONE;
}

static ccn_status gap_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    gap_job *job = user;
    run_t *run = job->run;
    worker_state *w = &run->ws[worker];
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t k = begin; k < end; k++) {
        size_t f = job->cand[k];
        face_result *r = &job->res[k];
        *r = (face_result){false, CCN_COVERAGE_NONE, CCN_COVERAGE_NONE, NAN, NAN, k, false};
        if (job->depth[f] != DEPTH_UNKNOWN) { /* the labels decide; the point is found later */
            r->uncovered = job->depth[f] == 0;
            if (r->uncovered)
                name_by_labels(job->g, job->cy, f, job->hole_first, job->hole_list, r);
            continue;
        }
        /* The labels do not add up here: a point inside the face, tested
         * against the polygons' own rings. */
        double *xs = w->nv;
        size_t cap = w->capnv;
        bool found = face_interior_point(job->g, job->cy, f, job->hole_first, job->hole_list, &xs,
                                         &cap, &r->x, &r->y);
        w->nv = xs, w->capnv = cap;
        if (!found) {
            GEOSGeometry *face = ccn_coverage_face_polygon(h, job->g, job->cy, f,
                                                           job->hole_first, job->hole_list);
            if (!face)
                return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(ctx));
            found = ccn_geom_point_on_surface(ctx, face, &r->x, &r->y);
            GEOSGeom_destroy_r(h, face);
        }
        bool covered = !found;
        if (found && run->src) { /* the polygons are gone: cover_test streams them again */
            r->test = true;
            continue;
        }
        if (found) {
            double box[4] = {r->x, r->y, r->x, r->y};
            if (!poly_grid_query(&run->grid, box, w))
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            for (size_t c = 0; c < w->ncand && !covered; c++)
                covered = ccn_coverage_flat_contains(&run->f, w->cand[c], r->x, r->y);
        }
        if (!covered) {
            r->uncovered = true;
            name_by_labels(job->g, job->cy, f, job->hole_first, job->hole_list, r);
        }
    }
    return CCN_OK;
}

static double face_area(const cycles *cy, size_t f) { return cy->c[f].area - cy->c[f].holes; }

/* The points still to test (res[k].test, k in list) that lie in a polygon
 * of the batch: tested no more. */
static ccn_status test_batch(ccn_ctx *ctx, worker_state *w, const ccn_coverage_input *in,
                             gap_job *job, const size_t *list, size_t nlist, size_t *ntest)
{
    flat f = {0};
    poly_grid grid = {0};
    ccn_status st = ccn_coverage_flat_build(ctx, in, &f);
    if (!st && !ccn_coverage_box_grid_build(&grid, f.poly_env, in->n))
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t q = 0; q < nlist && !st; q++) {
        face_result *r = &job->res[list[q]];
        if (!r->test)
            continue;
        double box[4] = {r->x, r->y, r->x, r->y};
        if (!poly_grid_query(&grid, box, w)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        for (size_t c = 0; c < w->ncand && r->test; c++)
            if (ccn_coverage_flat_contains(&f, w->cand[c], r->x, r->y))
                r->test = false, --*ntest;
    }
    ccn_coverage_flat_free(&f);
    ccn_coverage_poly_grid_free(&grid);
    return st;
}

/* Up to this many points are tested each against the polygons around it
 * (the source reads them off its spatial index), more against all. */
enum { TEST_AROUND_MAX = 256 };

/* Streamed polygons: the points gap_work left to test (faces whose labels
 * do not add up; a dozen on 300,000 noisy parcels) against the polygons,
 * read once more from the source: those around each point, or, when the
 * points are many, all of them, a batch at a time. An untouched point is
 * uncovered. */
static ccn_status cover_test(ccn_ctx *ctx, run_t *run, gap_job *job, size_t ncand)
{
    size_t ntest = 0;
    for (size_t k = 0; k < ncand; k++)
        ntest += job->res[k].test;
    if (ntest == 0)
        return CCN_OK;
    worker_state *w = &run->ws[0];
    size_t *list = malloc(ntest * sizeof *list), nlist = 0;
    if (!list)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t k = 0; k < ncand; k++)
        if (job->res[k].test)
            list[nlist++] = k;
    bool around = nlist <= TEST_AROUND_MAX;
    ccn_status st = CCN_OK;
    for (size_t q = 0; q < (around ? nlist : 1) && !st && ntest; q++) {
        const face_result *r = &job->res[list[q]];
        double box[4] = {r->x, r->y, r->x, r->y};
        if (around && !r->test)
            continue;
        st = run->src->rewind(run->src->user, around ? box : NULL);
        while (!st && (around ? r->test : ntest > 0)) {
            ccn_coverage_batch b = {{0}, NULL, INFINITY};
            if ((st = run->src->next(run->src->user, &b)) || b.in.n == 0)
                break;
            st = test_batch(ctx, w, &b.in, job, around ? list + q : list, around ? 1 : nlist,
                            &ntest);
        }
    }
    for (size_t q = 0; q < nlist && !st; q++) {
        face_result *r = &job->res[list[q]];
        if (!r->test)
            continue;
        r->test = false;
        r->uncovered = true;
        name_by_labels(job->g, job->cy, job->cand[list[q]], job->hole_first, job->hole_list, r);
    }
    free(list);
    return st;
}

/* The faces of one region, for the width test. */
typedef struct {
    const gap_job *job;
    const size_t *list;
    size_t n;
} region_src;

/* The region as a GEOS MultiPolygon of its faces; NULL on failure. */
static GEOSGeometry *make_region(ccn_ctx *ctx, void *user)
{
    const region_src *r = user;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry **faces = calloc(r->n, sizeof *faces);
    if (!faces)
        return NULL;
    for (size_t k = 0; k < r->n; k++)
        if (!(faces[k] = ccn_coverage_face_polygon(h, r->job->g, r->job->cy,
                                                   r->job->cand[r->list[k]], r->job->hole_first,
                                                   r->job->hole_list))) {
            for (size_t q = 0; q < k; q++)
                GEOSGeom_destroy_r(h, faces[q]);
            free(faces);
            return NULL;
        }
    GEOSGeometry *region =
        GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, faces, (unsigned int)r->n);
    free(faces); /* the collection took them */
    return region;
}

/* The region's edges as ccn_edges_of would read them from make_region's
 * geometry (each face a part, its cycle then its holes' cycles as rings).
 * false when there are more than ccn_edges_of samples, with es->n = SIZE_MAX
 * when out of memory. */
static bool region_edges(const region_src *r, ccn_edges *es)
{
    const graph *g = r->job->g;
    const cycles *cy = r->job->cy;
    size_t total = 0;
    for (size_t k = 0; k < r->n; k++) {
        size_t f = r->job->cand[r->list[k]];
        total += cy->c[f].len;
        for (size_t q = r->job->hole_first[f]; q < r->job->hole_first[f + 1]; q++)
            total += cy->c[r->job->hole_list[q]].len;
    }
    *es = (ccn_edges){0};
    if (total > 4096 || total < 3)
        return false;
    es->e = malloc(4 * total * sizeof *es->e);
    es->ring = malloc(total * sizeof *es->ring);
    es->part = malloc(total * sizeof *es->part);
    if (!es->e || !es->ring || !es->part) {
        ccn_edges_free(es);
        *es = (ccn_edges){.n = SIZE_MAX};
        return false;
    }
    size_t ring = 0;
    for (size_t k = 0; k < r->n; k++) {
        size_t f = r->job->cand[r->list[k]];
        size_t nh = r->job->hole_first[f + 1] - r->job->hole_first[f];
        for (size_t c = 0; c <= nh; c++, ring++) {
            const cycle *cyc = &cy->c[c == 0 ? f : r->job->hole_list[r->job->hole_first[f] + c - 1]];
            for (size_t e = 0; e < cyc->len; e++) {
                size_t he = cy->he[cyc->first + e];
                const double *p = g->vxy + 2 * origin(g, he), *q = g->vxy + 2 * dest(g, he);
                double *o = es->e + 4 * es->n;
                o[0] = p[0], o[1] = p[1], o[2] = q[0], o[3] = q[1];
                es->ring[es->n] = ring;
                es->part[es->n++] = k;
            }
        }
    }
    return true;
}

/* One uncovered region (faces job->group_list[group_first[g]..]): a GAP of
 * its whole area when some part of it is wider than the tolerance, else an
 * EDGE_MISMATCH; nothing at or under the noise floor or at gap_max_m2 and
 * above. Named after its largest face. */
static ccn_status region_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    gap_job *job = user;
    run_t *run = job->run;
    const ccn_coverage_options *opt = run->opt;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t g = begin; g < end; g++) {
        size_t n = job->group_first[g + 1] - job->group_first[g];
        const size_t *list = job->group_list + job->group_first[g];
        double area = 0;
        size_t big = list[0];
        for (size_t k = 0; k < n; k++) {
            area += face_area(job->cy, job->cand[list[k]]);
            if (face_area(job->cy, job->cand[list[k]]) > face_area(job->cy, job->cand[big]))
                big = list[k];
        }
        if (area <= opt->overlap_min_m2 || area >= opt->gap_max_m2)
            continue;
        face_result *r = &job->res[big];
        if (isnan(r->x)) {
            size_t f = job->cand[big];
            worker_state *w = &run->ws[worker];
            double *xs = w->nv;
            size_t cap = w->capnv;
            bool found = face_interior_point(job->g, job->cy, f, job->hole_first, job->hole_list,
                                             &xs, &cap, &r->x, &r->y);
            w->nv = xs, w->capnv = cap;
            if (!found) {
                GEOSGeometry *face = ccn_coverage_face_polygon(h, job->g, job->cy, f,
                                                               job->hole_first, job->hole_list);
                if (!face)
                    return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(ctx));
                ccn_geom_point_on_surface(ctx, face, &r->x, &r->y);
                GEOSGeom_destroy_r(h, face);
            }
        }
        ccn_coverage_issue is = {CCN_COVERAGE_GAP, r->a, r->b, area, r->x, r->y, NAN, NAN, NAN, 0};
        if (opt->edge_tol_m > 0) {
            /* Judged on the faces' edges; the GEOS region is made only if
             * the bounds leave an erosion undecided. */
            region_src src = {job, list, n};
            ccn_edges es = {0};
            bool sampled = region_edges(&src, &es);
            if (!sampled && es.n == SIZE_MAX)
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            ccn_width_piece lg = {NULL, NULL, make_region, &src};
            bool thin = false;
            ccn_status st = ccn_width_test(ctx, sampled ? &es : NULL, &lg, opt->edge_tol_m, &thin,
                                           &is.width, &is.length);
            ccn_edges_free(&es);
            if (lg.made)
                GEOSGeom_destroy_r(h, lg.made);
            if (st)
                return st;
            if (thin) {
                is.kind = CCN_COVERAGE_EDGE_MISMATCH;
                is.thin = CCN_COVERAGE_THIN_GAP;
                if (is.b == CCN_COVERAGE_NONE)
                    continue; /* thin, along one polygon only: not between neighbours */
            }
        }
        if (!add_issue(&run->ws[worker], is))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    return CCN_OK;
}

/* Uncovered faces that share a vertex, one of them at most the noise floor,
 * become one region (union-find): every face at a vertex joins a small face
 * at that vertex, whatever order the faces come in. */
static ccn_status group_regions(ccn_ctx *ctx, const graph *g, gap_job *job, size_t ncand,
                                size_t *ngroups)
{
    double floor_m2 = job->run->opt->overlap_min_m2;
    /* vertex -> a small face touching it (NO_FACE: none), in the cycles'
     * table of half-edges, no longer needed, when it has room: its pages
     * are mapped already. */
    bool borrow = g->nv <= 2 * g->ne && job->cy->of;
    uint32_t *at = borrow ? job->cy->of : malloc((g->nv + 1) * sizeof *at);
    size_t *parent = malloc((ncand + 1) * sizeof *parent);
    job->group_first = calloc(ncand + 2, sizeof *job->group_first);
    job->group_list = malloc((ncand + 1) * sizeof *job->group_list);
    if (!at || !parent || !job->group_first || !job->group_list) {
        if (!borrow)
            free(at);
        free(parent);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    memset(at, 0xff, g->nv * sizeof *at); /* NO_FACE */
    for (size_t k = 0; k < ncand; k++)
        parent[k] = k;
    /* Two faces each above the noise floor stay two gaps, as GEOS draws
     * holes touching at a point; a piece under it joins all it touches, not
     * to be dropped alone. Pass 0 marks the vertices of small faces, pass 1
     * joins every face to the small faces at its vertices. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < ncand; k++) {
            if (!job->res[k].uncovered)
                continue;
            size_t f = job->cand[k];
            bool small = face_area(job->cy, f) <= floor_m2;
            if (pass == 0 && !small)
                continue;
            size_t nh = job->hole_first[f + 1] - job->hole_first[f];
            for (size_t c = 0; c <= nh; c++) {
                const cycle *cyc =
                    &job->cy->c[c == 0 ? f : job->hole_list[job->hole_first[f] + c - 1]];
                for (size_t e = 0; e < cyc->len; e++) {
                    size_t v = origin(g, job->cy->he[cyc->first + e]);
                    if (pass == 0) {
                        if (at[v] == NO_FACE)
                            at[v] = (uint32_t)k;
                    } else if (at[v] != NO_FACE) {
                        size_t ra = find_root(parent, at[v]), rb = find_root(parent, k);
                        if (ra != rb)
                            parent[ra < rb ? rb : ra] = ra < rb ? ra : rb;
                    }
                }
            }
        }
    /* Number the regions by their root, then list their faces. */
    size_t n = 0;
    for (size_t k = 0; k < ncand; k++)
        if (job->res[k].uncovered && find_root(parent, k) == k)
            job->res[k].group = n++;
    for (size_t k = 0; k < ncand; k++)
        if (job->res[k].uncovered) {
            job->res[k].group = job->res[find_root(parent, k)].group;
            job->group_first[job->res[k].group + 1]++;
        }
    for (size_t q = 0; q < n; q++)
        job->group_first[q + 1] += job->group_first[q];
    for (size_t q = 0; q < n; q++)
        parent[q] = job->group_first[q]; /* parent reused as a cursor */
    for (size_t k = 0; k < ncand; k++)
        if (job->res[k].uncovered)
            job->group_list[parent[job->res[k].group]++] = k;
    if (!borrow)
        free(at);
    free(parent);
    *ngroups = n;
    return CCN_OK;
}

static ccn_status find_gaps(ccn_ctx *ctx, run_t *run)
{
    seg *kept = NULL;
    size_t nkept = 0;
    graph g = {0};
    cycles cy = {0};
    size_t *cand = NULL, *hole_first = NULL, *hole_list = NULL;
    gap_job job = {0};
    ccn_status st;
    if ((st = ccn_coverage_kept_boundary(ctx, run, &kept, &nkept)))
        goto done;
    for (int k = 0; k < run->nws; k++) { /* the pieces are no longer needed */
        free(run->ws[k].segs);
        run->ws[k].segs = NULL;
        run->ws[k].nsegs = run->ws[k].capsegs = 0;
    }
    if (nkept == 0)
        goto done;
    st = ccn_coverage_boundary_graph(ctx, kept, nkept, &g);
    kept = NULL; /* boundary_graph took them */
    if (st)
        goto done;
    if ((st = ccn_coverage_trace_cycles(ctx, &g, &cy)))
        goto done;
    if ((st = ccn_coverage_nest_components(ctx, &g, &cy)))
        goto done;
    /* Holes of each face, and the faces small enough to be gaps. */
    hole_first = table_calloc(cy.n + 1, sizeof *hole_first);
    hole_list = table_malloc(cy.n + 1, sizeof *hole_list);
    cand = table_malloc(cy.n + 1, sizeof *cand);
    if (!hole_first || !hole_list || !cand) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < cy.n; k++)
        if (cy.c[k].face != NO_FACE)
            hole_first[cy.c[k].face + 1]++;
    for (size_t k = 0; k < cy.n; k++)
        hole_first[k + 1] += hole_first[k];
    {
        size_t *cursor = cand; /* borrowed, refilled below */
        for (size_t k = 0; k < cy.n; k++)
            cursor[k] = hole_first[k];
        for (size_t k = 0; k < cy.n; k++)
            if (cy.c[k].face != NO_FACE)
                hole_list[cursor[cy.c[k].face]++] = k;
    }
    size_t ncand = 0, ngroups = 0;
    int32_t *depth = NULL;
    if ((st = ccn_coverage_cover_depths(ctx, &g, &cy, hole_first, hole_list, &depth)))
        goto done;
    /* Every bounded face is a candidate, however small (the pieces of a gap
     * network pinched at snapped corners add up) or large (a piece pinched
     * to a hole of gap_max_m2 or more is part of that hole, not a gap),
     * unless its labels show it covered (three in four on noisy parcels). */
    for (size_t k = 0; k < cy.n; k++)
        if (cy.c[k].area > 0 && face_area(&cy, k) > 0 &&
            (depth[k] == 0 || depth[k] == DEPTH_UNKNOWN))
            cand[ncand++] = k;
    job = (gap_job){run, &g, &cy, cand, hole_first, hole_list, NULL, NULL, NULL, depth};
    if (!(job.res = table_malloc(ncand + 1, sizeof *job.res))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_parallel_for(ctx, ncand, 0, gap_work, &job)) ||
        (run->src && (st = cover_test(ctx, run, &job, ncand))))
        goto done;
    if ((st = group_regions(ctx, &g, &job, ncand, &ngroups)))
        goto done;
    st = ccn_parallel_for(ctx, ngroups, 0, region_work, &job);
done:
    free((void *)job.depth);
    free(job.res);
    free(job.group_first);
    free(job.group_list);
    free(kept);
    ccn_coverage_graph_free(&g);
    free(cy.c);
    free(cy.he);
    free(cy.of);
    free(cand);
    free(hole_first);
    free(hole_list);
    return st;
}

/* ---------------------------------------------------------------------------
 * The whole check. */

typedef struct {
    double x;
    uint32_t i;
} by_x;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;
    return (p > q) - (p < q);
}

static int cmp_by_x(const void *a, const void *b)
{
    const by_x *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->i > q->i) - (p->i < q->i);
}

/* The per-polygon pass over the polygons ready (ready[0..m), indices of
 * run->f; they are reordered). With gaps, in batches taken from left to
 * right, the pieces of each batch merged before the next: only the pieces
 * near the batches' moving front stay pending, so memory for pieces stays
 * that of a batch however many polygons there are (three million parcels
 * leave some twenty million pieces, two thirds of a gigabyte). done_x: no
 * polygon not among these starts left of it. */
static ccn_status pass_ready(ccn_ctx *ctx, run_t *run, uint32_t *ready, size_t m, double done_x)
{
    run->order = ready;
    run->order_base = 0;
    if (!run->gaps)
        return ccn_parallel_for(ctx, m, 256, pass_work, run);
    const size_t PASS_BATCH = run->opt->batch ? run->opt->batch : (size_t)1 << 17;
    by_x *key = malloc((m + 1) * sizeof *key);
    double *next_x = malloc((m / PASS_BATCH + 2) * sizeof *next_x); /* where the polygons
                                                                        after each batch start */
    if (!key || !next_x) {
        free(key);
        free(next_x);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    for (size_t k = 0; k < m; k++) { /* polygons without parts (no envelope) last */
        double x = run->f.poly_env[4 * ready[k]];
        key[k] = (by_x){isfinite(x) ? x : INFINITY, ready[k]};
    }
    qsort(key, m, sizeof *key, cmp_by_x);
    for (size_t k = 0; k < m; k++)
        ready[k] = key[k].i;
    /* Within a batch (a strip of the map), the polygons in their own order:
     * neighbours along a row of parcels lie near in memory. */
    for (size_t b = 0; b < m; b += PASS_BATCH)
        qsort(ready + b, m - b < PASS_BATCH ? m - b : PASS_BATCH, sizeof *ready, cmp_u32);
    for (size_t b = 0; b < m; b += PASS_BATCH)
        next_x[b / PASS_BATCH] = b + PASS_BATCH < m ? fmin(key[b + PASS_BATCH].x, done_x) : done_x;
    free(key);
    ccn_status st = CCN_OK;
    for (size_t b = 0; b < m && !st; b += PASS_BATCH) {
        run->order_base = b;
        st = ccn_parallel_for(ctx, m - b < PASS_BATCH ? m - b : PASS_BATCH, 256, pass_work, run);
        if (!st)
            st = ccn_coverage_merge_pieces(ctx, run, next_x[b / PASS_BATCH]);
    }
    free(next_x);
    return st;
}

static int cmp_issue(const void *a, const void *b)
{
    const ccn_coverage_issue *p = a, *q = b;
    if (p->kind != q->kind)
        return p->kind < q->kind ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

ccn_status ccn_coverage_check(ccn_ctx *ctx, const GEOSGeometry *const *polys, size_t n,
                              const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                              size_t *nissues)
{
    ccn_coverage_input in = {.n = n, .geom = polys};
    return ccn_coverage_check_input(ctx, &in, opt, issues, nissues);
}

/* After the per-polygon pass: the gaps, then every worker's issues sorted,
 * the thin pieces of a pair of neighbours made one edge mismatch. */
static ccn_status finish(ccn_ctx *ctx, run_t *run, ccn_coverage_issue **issues, size_t *nissues)
{
    ccn_status st;
    ccn_progress(ctx, "coverage", 1, 2);
    if (run->gaps && (st = find_gaps(ctx, run)))
        return st;
    ccn_progress(ctx, "coverage", 2, 2);
    size_t total = 0;
    for (int k = 0; k < run->nws; k++)
        total += run->ws[k].nissues;
    ccn_coverage_issue *all = malloc((total + 1) * sizeof *all);
    if (!all)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    size_t m = 0;
    for (int k = 0; k < run->nws; k++) {
        if (run->ws[k].nissues)
            memcpy(all + m, run->ws[k].issues, run->ws[k].nissues * sizeof *all);
        m += run->ws[k].nissues;
    }
    qsort(all, m, sizeof *all, cmp_issue);
    /* One edge mismatch per pair of neighbours: its thin overlaps and gaps
     * together, located at the first piece in sort order. */
    size_t out = 0;
    for (size_t k = 0; k < m; k++) {
        ccn_coverage_issue *p = out ? &all[out - 1] : NULL;
        if (p && all[k].kind == CCN_COVERAGE_EDGE_MISMATCH && p->kind == all[k].kind &&
            p->a == all[k].a && p->b == all[k].b) {
            p->area += all[k].area;
            p->length += all[k].length;
            p->width = fmax(p->width, all[k].width);
            p->thin |= all[k].thin;
            continue;
        }
        all[out++] = all[k];
    }
    *issues = all;
    *nissues = out;
    return CCN_OK;
}

static void worker_free(worker_state *w)
{
    free(w->cand);
    free(w->clip.a);
    free(w->clip.b);
    free(w->clip.side);
    free(w->nv);
    free(w->splits);
    free(w->segs);
    free(w->issues);
}

static void run_free(run_t *run)
{
    free(run->pending);
    free(run->kept);
    ccn_coverage_poly_grid_free(&run->grid);
    for (int k = 0; run->ws && k < run->nws; k++)
        worker_free(&run->ws[k]);
    free(run->ws);
    ccn_coverage_flat_free(&run->f);
}

ccn_status ccn_coverage_check_input(ccn_ctx *ctx, const ccn_coverage_input *in,
                                    const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                                    size_t *nissues)
{
    size_t n = in->n;
    *issues = NULL;
    *nissues = 0;
    run_t run = {.in = in, .n = n, .opt = opt, .gaps = opt->gap_max_m2 > 0};
    uint32_t *ready = NULL;
    ccn_status st = CCN_OK;
    if (n == 0)
        return CCN_OK;
    if (n >= UINT32_MAX)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "too many polygons: %zu", n);
    run.nws = ccn_parallel_workers();
    run.ws = calloc((size_t)run.nws, sizeof *run.ws);
    ready = malloc(n * sizeof *ready);
    if (!run.ws || !ready) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_coverage_flat_build(ctx, in, &run.f)))
        goto done;
    if (!ccn_coverage_box_grid_build(&run.grid, run.f.poly_env, n)) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory indexing %zu polygons", n);
        goto done;
    }
    if (!run.grid.first)
        goto done;
    ccn_progress(ctx, "coverage", 0, 2);
    for (size_t i = 0; i < n; i++)
        ready[i] = (uint32_t)i;
    if (!(st = pass_ready(ctx, &run, ready, n, INFINITY)))
        st = finish(ctx, &run, issues, nissues);
done:
    free(ready);
    run_free(&run);
    return st;
}

/* ---------------------------------------------------------------------------
 * Streamed polygons: a window moving west to east. */

/* The polygons at hand, in the order of their ids: read, and kept while a
 * polygon not yet processed may reach them. WKB is copied; GEOS geometries
 * are the source's. */
typedef struct {
    size_t n, cap;
    size_t *id;
    const GEOSGeometry **geom;
    size_t *off, *len;   /* WKB in buf */
    uint8_t *state;      /* P_WAITING, P_NOW, P_DONE */
    unsigned char *buf;
    size_t used, capbuf;
} window_t;

static void window_free(window_t *w)
{
    free(w->id);
    free(w->geom);
    free(w->off);
    free(w->len);
    free(w->state);
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static bool window_reserve(window_t *w, size_t n)
{
    if (n <= w->cap)
        return true;
    size_t c = w->cap ? w->cap : 1024;
    while (c < n)
        c *= 2;
    size_t *id = realloc(w->id, c * sizeof *id);
    if (id)
        w->id = id;
    const GEOSGeometry **geom = id ? realloc(w->geom, c * sizeof *geom) : NULL;
    if (geom)
        w->geom = geom;
    size_t *off = geom ? realloc(w->off, c * sizeof *off) : NULL;
    if (off)
        w->off = off;
    size_t *len = off ? realloc(w->len, c * sizeof *len) : NULL;
    if (len)
        w->len = len;
    uint8_t *state = len ? realloc(w->state, c) : NULL;
    if (!state)
        return false;
    w->state = state;
    w->cap = c;
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t p = *(const size_t *)a, q = *(const size_t *)b;
    return (p > q) - (p < q);
}

/* Keep the polygons whose keep[] is set, sorted by id, their WKB packed. */
static bool window_pack(window_t *w, const uint8_t *keep)
{
    size_t m = 0, bytes = 0;
    for (size_t i = 0; i < w->n; i++)
        if (keep[i])
            m++, bytes += w->len[i];
    size_t *key = malloc((2 * m + 1) * sizeof *key); /* (id, position) pairs */
    unsigned char *buf = malloc(bytes + 1);
    window_t t = {0};
    if (!key || !buf || !window_reserve(&t, m)) {
        free(key);
        free(buf);
        window_free(&t);
        return false;
    }
    for (size_t i = 0, k = 0; i < w->n; i++)
        if (keep[i])
            key[2 * k] = w->id[i], key[2 * k + 1] = i, k++;
    qsort(key, m, 2 * sizeof *key, cmp_size);
    size_t used = 0;
    for (size_t k = 0; k < m; k++) {
        size_t i = key[2 * k + 1];
        t.id[k] = w->id[i], t.geom[k] = w->geom[i], t.state[k] = w->state[i];
        t.off[k] = used, t.len[k] = w->len[i];
        if (w->len[i])
            memcpy(buf + used, w->buf + w->off[i], w->len[i]);
        used += w->len[i];
    }
    free(key);
    t.n = m;
    t.buf = buf, t.used = used, t.capbuf = bytes + 1;
    window_free(w);
    *w = t;
    return true;
}

/* A batch joins the window (waiting). */
static ccn_status window_add(ccn_ctx *ctx, window_t *w, const ccn_coverage_batch *b, bool gaps)
{
    const ccn_coverage_input *in = &b->in;
    if (!window_reserve(w, w->n + in->n))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t k = 0; k < in->n; k++) {
        if (gaps && b->id[k] >= UINT32_MAX)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "polygon id too large: %zu", b->id[k]);
        size_t i = w->n++, len = 0;
        w->id[i] = b->id[k];
        w->geom[i] = in->geom ? in->geom[k] : NULL;
        w->state[i] = P_FRESH;
        if (!w->geom[i] && in->wkb && in->wkb_len[k]) {
            len = in->wkb_len[k];
            if (!ccn_grow((void **)&w->buf, &w->capbuf, w->used + len, 1))
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            memcpy(w->buf + w->used, in->wkb + in->wkb_off[k], len);
        }
        w->off[i] = w->used, w->len[i] = len;
        w->used += len;
    }
    return CCN_OK;
}

ccn_status ccn_coverage_check_stream(ccn_ctx *ctx, const ccn_coverage_source *src,
                                     const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                                     size_t *nissues)
{
    *issues = NULL;
    *nissues = 0;
    run_t run = {.opt = opt, .gaps = opt->gap_max_m2 > 0, .src = src};
    window_t win = {0};
    ccn_coverage_input win_in = {0};
    uint32_t *ready = NULL;
    uint8_t *keep = NULL;
    size_t *mark = NULL;
    ccn_status st = CCN_OK;
    /* A polygon is processed once every polygon its envelope (widened by
     * the snap) may meet has been read, and let go once no polygon still
     * to process may meet it: two snaps spare. */
    double reach = run.gaps ? 2 * opt->snap_m : 0, promised = -INFINITY;
    run.nws = ccn_parallel_workers();
    run.ws = calloc((size_t)run.nws, sizeof *run.ws);
    mark = calloc((size_t)run.nws, sizeof *mark);
    if (!run.ws || !mark) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    ccn_progress(ctx, "coverage", 0, 2);
    for (bool more = true; more;) {
        ccn_coverage_batch b = {{0}, NULL, INFINITY};
        if ((st = src->next(src->user, &b)))
            goto done;
        more = b.in.n > 0;
        double next_x = more ? b.next_x : INFINITY;
        if (more && (st = window_add(ctx, &win, &b, run.gaps)))
            goto done;
        free(keep);
        if (!(keep = malloc(win.n + 1))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        memset(keep, 1, win.n);
        if (!window_pack(&win, keep)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        if (win.n == 0)
            continue;
        if (win.n >= UINT32_MAX) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "too many polygons: %zu", win.n);
            goto done;
        }
        win_in = (ccn_coverage_input){win.n, win.geom, win.buf, win.off, win.len};
        ccn_coverage_flat_free(&run.f);
        ccn_coverage_poly_grid_free(&run.grid);
        if ((st = ccn_coverage_flat_build(ctx, &win_in, &run.f)))
            goto done;
        if (!ccn_coverage_box_grid_build(&run.grid, run.f.poly_env, win.n)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory indexing %zu polygons", win.n);
            goto done;
        }
        run.in = &win_in, run.n = win.n, run.id = win.id, run.state = win.state;
        /* A polygon west of what the source promised could miss a neighbour
         * already let go: an error, never a silently wrong answer. */
        for (size_t i = 0; i < win.n; i++) {
            const double *e = run.f.poly_env + 4 * i;
            if (win.state[i] != P_FRESH)
                continue;
            win.state[i] = P_WAITING;
            if (e[0] <= e[2] && e[0] < promised) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL,
                               "polygons not given west to east: polygon %zu starts at x %.3f, "
                               "west of %.3f",
                               win.id[i], e[0], promised);
                goto done;
            }
        }
        promised = next_x;
        free(ready);
        if (!(ready = malloc((win.n + 1) * sizeof *ready))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        /* Ready: all that may meet it read. done_x: where the polygons not
         * processed after this round start, at the least. */
        size_t m = 0;
        double done_x = next_x;
        for (size_t i = 0; i < win.n; i++) {
            const double *e = run.f.poly_env + 4 * i;
            if (win.state[i] == P_DONE)
                continue;
            if (!(e[0] <= e[2]) || e[2] + reach < next_x)
                ready[m++] = (uint32_t)i, win.state[i] = P_NOW;
            else
                done_x = fmin(done_x, e[0]);
        }
        for (int k = 0; k < run.nws; k++)
            mark[k] = run.ws[k].nissues;
        if (m && (st = pass_ready(ctx, &run, ready, m, done_x)))
            goto done;
        run.order = NULL;
        for (int k = 0; k < run.nws; k++) /* issues name polygons by id */
            for (size_t q = mark[k]; q < run.ws[k].nissues; q++) {
                ccn_coverage_issue *is = &run.ws[k].issues[q];
                is->a = is->a == CCN_COVERAGE_NONE ? is->a : win.id[is->a];
                is->b = is->b == CCN_COVERAGE_NONE ? is->b : win.id[is->b];
            }
        for (size_t i = 0; i < win.n; i++) {
            const double *e = run.f.poly_env + 4 * i;
            if (win.state[i] == P_NOW)
                win.state[i] = P_DONE;
            keep[i] = !(win.state[i] == P_DONE && (!(e[0] <= e[2]) || e[2] + reach < done_x));
        }
        if (!window_pack(&win, keep)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
    }
    /* Every polygon is processed and let go. */
    ccn_coverage_flat_free(&run.f);
    ccn_coverage_poly_grid_free(&run.grid);
    run.in = NULL, run.n = 0, run.id = NULL, run.state = NULL;
    st = finish(ctx, &run, issues, nissues);
done:
    free(ready);
    free(keep);
    free(mark);
    window_free(&win);
    run_free(&run);
    return st;
}
