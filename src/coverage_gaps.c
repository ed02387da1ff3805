/* coverage_gaps — the uncovered regions (see coverage_gaps.h). */
#include "coverage_gaps.h"
#include "coverage_graph.h"
#include "coverage_noder.h"
#include "coverage_run.h"
#include "separation.h"
#include "width.h"

#include "geom.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    size_t ncand;
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
            if (n == *capxs && !ccn_grow((void **)xs, capxs, n + 1, sizeof **xs))
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

/* A point inside face f into r->x, r->y (*found false: the face has none):
 * face_interior_point's, or GEOS's point on the surface where that finds
 * none. */
static ccn_status face_point(ccn_ctx *ctx, const gap_job *job, worker_state *w, size_t f,
                             face_result *r, bool *found)
{
    double *xs = w->nv;
    size_t cap = w->capnv;
    *found = face_interior_point(job->g, job->cy, f, job->hole_first, job->hole_list, &xs, &cap,
                                 &r->x, &r->y);
    w->nv = xs, w->capnv = cap;
    if (*found)
        return CCN_OK;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *face =
        ccn_coverage_face_polygon(h, job->g, job->cy, f, job->hole_first, job->hole_list);
    if (!face)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(ctx));
    *found = ccn_geom_point_on_surface(ctx, face, &r->x, &r->y);
    GEOSGeom_destroy_r(h, face);
    return CCN_OK;
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
        bool found;
        ccn_status st = face_point(ctx, job, w, f, r, &found);
        if (st)
            return st;
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

/* How far inside its region a gap's point must lie to stay inside when
 * printed to the millimetre (half a millimetre each way, and some). */
#define POINT_CLEARANCE_M 0.001

/* One uncovered region (faces job->group_list[group_first[g]..]): a GAP of
 * its whole area when some part of it is wider than the tolerance, else an
 * EDGE_MISMATCH; nothing at or under the noise floor or at gap_max_m2 and
 * above. Named after its largest face, located at a point inside it. */
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
            bool found; /* none found: the gap is reported without a point */
            ccn_status st = face_point(ctx, job, &run->ws[worker], job->cand[big], r, &found);
            if (st)
                return st;
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
            /* The scanline's point may lie within a millimetre of the
             * region's edge, and printed to the millimetre fall outside it:
             * then the centre of the widest circle the test found inside. */
            double clear = !st && sampled && !isnan(lg.x) && !isnan(is.x)
                               ? ccn_edges_distance(&es, is.x, is.y)
                               : INFINITY;
            if (clear < POINT_CLEARANCE_M && ccn_edges_distance(&es, lg.x, lg.y) > clear)
                is.x = lg.x, is.y = lg.y;
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

static size_t find_root(size_t *parent, size_t v)
{
    while (parent[v] != v) {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    return v;
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

/* ---------------------------------------------------------------------------
 * Which uncovered faces lie in a hole of the union. GEOS's union has a
 * polygon for each part whose interior is connected (polygons sharing an
 * edge or overlapping); parts touching only at points stay apart. A face is
 * in a hole when one part alone encloses it. Land enclosed by parts that touch only at
 * points (a ring of parcels meeting corner to corner, or a parcel on the
 * outline touching its neighbours only at two corners with gaps between) is
 * outside each of them, and no gap: it lies on a path to the outside that
 * passes no single part (separation.h). */

#define OUTSIDE (UINT32_MAX - 1) /* the unbounded face */

enum { SIDE_NONE, SIDE_OUT, SIDE_COVERED, SIDE_OPEN };

/* The face to the left of cycle c's half-edges: a face cycle, OUTSIDE, or
 * NO_FACE (a cycle without area). A component's outer cycle has the face
 * around the component on its left. */
static uint32_t left_face(const cycles *cy, size_t c)
{
    double area = cy->c[c].area;
    if (area > 0)
        return c;
    if (area < 0)
        return cy->c[c].face == NO_FACE ? OUTSIDE : cy->c[c].face;
    return NO_FACE;
}

static int cmp_size(const void *a, const void *b)
{
    size_t p = *(const size_t *)a, q = *(const size_t *)b;
    return (p > q) - (p < q);
}

/* Face f's index among the candidates (they are in cycle order), or
 * SIZE_MAX. */
static size_t cand_index(const gap_job *job, size_t f)
{
    const size_t *hit = bsearch(&f, job->cand, job->ncand, sizeof f, cmp_size);
    return hit ? (size_t)(hit - job->cand) : SIZE_MAX;
}

/* Is face f covered, uncovered (a candidate found so), the outside, or
 * neither (no area)? */
static int side_kind(const gap_job *job, uint32_t f)
{
    if (f == NO_FACE)
        return SIDE_NONE;
    if (f == OUTSIDE)
        return SIDE_OUT;
    int32_t d = job->depth[f];
    if (d > 0)
        return SIDE_COVERED;
    if (face_area(job->cy, f) <= 0)
        return SIDE_NONE;
    if (d == 0)
        return SIDE_OPEN;
    size_t k = cand_index(job, f); /* the labels did not add up: the point test decided */
    return k == SIZE_MAX ? SIDE_NONE : job->res[k].uncovered ? SIDE_OPEN : SIDE_COVERED;
}

/* What lies across the uncovered faces' edges, read before group_regions
 * borrows the table of each half-edge's cycle. */
typedef struct {
    uint32_t *face;  /* per cycle: the face to its left (left_face) ... */
    uint8_t *kind;   /* ... and what that is (SIDE_*): small tables, read at random */
    uint32_t *part;  /* per cycle: union-find of covered faces, joined across edges */
    uint8_t *outer;  /* per cycle: a covered face along the outside */
    uint32_t *link;  /* triples: candidate, SIDE_*, the face (SIDE_COVERED) or candidate
                        (SIDE_OPEN) across one of its edges */
    size_t nlink, caplink;
} sides;

static uint32_t part_root(uint32_t *part, uint32_t v)
{
    while (part[v] != v) {
        part[v] = part[part[v]];
        v = part[v];
    }
    return v;
}

static void sides_free(sides *s)
{
    free(s->face);
    free(s->kind);
    free(s->part);
    free(s->outer);
    free(s->link);
    *s = (sides){0};
}

static ccn_status collect_sides(ccn_ctx *ctx, const gap_job *job, sides *s)
{
    const cycles *cy = job->cy;
    s->face = table_malloc(cy->n + 1, sizeof *s->face);
    s->kind = table_malloc(cy->n + 1, 1);
    s->part = table_malloc(cy->n + 1, sizeof *s->part);
    s->outer = table_calloc(cy->n + 1, 1);
    if (!s->face || !s->kind || !s->part || !s->outer)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t c = 0; c < cy->n; c++) {
        s->face[c] = left_face(cy, c);
        s->kind[c] = (uint8_t)side_kind(job, s->face[c]);
        s->part[c] = (uint32_t)c;
    }
    /* The parts: covered faces on both sides of an edge are one. Cycle by
     * cycle, the face on their left judged once: only the cycles along a
     * covered face or the outside have edges that matter here. */
    for (size_t c = 0; c < cy->n; c++) {
        if (cy->c[c].len == 0)
            continue;
        uint32_t a = s->face[c];
        int ka = s->kind[c];
        if (ka != SIDE_COVERED && ka != SIDE_OUT)
            continue;
        for (size_t q = 0; q < cy->c[c].len; q++) {
            uint32_t across = cy->of[cy->he[cy->c[c].first + q] ^ 1], b = s->face[across];
            if (s->kind[across] != SIDE_COVERED)
                continue;
            if (ka == SIDE_OUT) {
                s->outer[b] = 1;
                continue;
            }
            uint32_t ra = part_root(s->part, a), rb = part_root(s->part, b);
            if (ra != rb)
                s->part[ra < rb ? rb : ra] = ra < rb ? ra : rb;
        }
    }
    /* Across each uncovered face's edges (its own cycle and its holes'). */
    for (size_t k = 0; k < job->ncand; k++) {
        if (!job->res[k].uncovered)
            continue;
        size_t f = job->cand[k], nh = job->hole_first[f + 1] - job->hole_first[f];
        uint32_t last_kind = SIDE_NONE, last = 0;
        for (size_t c = 0; c <= nh; c++) {
            const cycle *cc = &cy->c[c == 0 ? f : job->hole_list[job->hole_first[f] + c - 1]];
            for (size_t q = 0; q < cc->len; q++) {
                uint32_t across = cy->of[cy->he[cc->first + q] ^ 1], o = s->face[across];
                uint32_t what = o;
                int kind = s->kind[across];
                if (kind == SIDE_NONE)
                    continue;
                if (kind == SIDE_OUT)
                    what = 0;
                if (kind == SIDE_OPEN) {
                    size_t k2 = cand_index(job, o);
                    if (k2 == SIZE_MAX || k2 == k)
                        continue;
                    what = (uint32_t)k2;
                }
                if ((uint32_t)kind == last_kind && what == last)
                    continue; /* along the same neighbour still */
                if (!GROW(s->link, s->nlink, s->caplink, 3))
                    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                s->link[s->nlink++] = (uint32_t)k;
                s->link[s->nlink++] = last_kind = (uint32_t)kind;
                s->link[s->nlink++] = last = what;
            }
        }
    }
    s->nlink /= 3;
    return CCN_OK;
}

/* The graph's node of the part face c belongs to, numbered as first met. */
static uint32_t part_node(sides *s, uint32_t *node_of, size_t *nn, uint32_t c)
{
    uint32_t r = part_root(s->part, c);
    if (node_of[r] == UINT32_MAX)
        node_of[r] = (uint32_t)(*nn)++;
    return node_of[r];
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t p = *(const uint64_t *)a, q = *(const uint64_t *)b;
    return (p > q) - (p < q);
}

/* Uncovered faces that no one part of the union encloses are left out of
 * the gaps (res[k].uncovered cleared): faces, not regions, as GEOS's holes
 * are cut apart at points. The graph: node 0 the outside, 1 + k candidate k,
 * then a node per part (a wall); an edge where two of them share an edge of
 * the map. */
static ccn_status drop_unenclosed(ccn_ctx *ctx, gap_job *job, sides *s)
{
    const cycles *cy = job->cy;
    size_t nouter = 0;
    for (size_t c = 0; c < cy->n; c++)
        nouter += s->outer[c];
    uint32_t *node_of = table_malloc(cy->n + 1, sizeof *node_of); /* per part's root */
    uint64_t *key = malloc((s->nlink + nouter + 1) * sizeof *key);
    if (!node_of || !key) {
        free(node_of);
        free(key);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    memset(node_of, 0xff, cy->n * sizeof *node_of);
    size_t nn = 1 + job->ncand, m = 0;
    for (size_t l = 0; l < s->nlink; l++) {
        const uint32_t *t = s->link + 3 * l;
        uint64_t u = 1 + (uint64_t)t[0], v;
        if (t[1] == SIDE_OUT)
            v = 0;
        else if (t[1] == SIDE_OPEN)
            v = 1 + (uint64_t)t[2];
        else
            v = part_node(s, node_of, &nn, t[2]);
        if (u != v)
            key[m++] = u < v ? u << 32 | v : v << 32 | u;
    }
    for (size_t c = 0; c < cy->n; c++)
        if (s->outer[c])
            key[m++] = part_node(s, node_of, &nn, (uint32_t)c); /* 0 << 32 | the part */
    free(node_of);
    qsort(key, m, sizeof *key, cmp_u64);
    size_t ne = 0;
    for (size_t q = 0; q < m; q++)
        if (q == 0 || key[q] != key[q - 1])
            key[ne++] = key[q];
    /* The pairs laid out as the edges' endpoints, in the keys' own room. */
    uint32_t *edges = (uint32_t *)key;
    for (size_t q = 0; q < ne; q++) {
        uint64_t k = key[q];
        edges[2 * q] = (uint32_t)(k >> 32), edges[2 * q + 1] = (uint32_t)k;
    }
    uint8_t *wall = calloc(nn + 1, 1), *cut = malloc(nn + 1);
    ccn_status st = wall && cut ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    if (!st) {
        memset(wall + 1 + job->ncand, 1, nn - 1 - job->ncand);
        st = ccn_separation(ctx, nn, edges, ne, wall, 0, cut);
    }
    for (size_t k = 0; !st && k < job->ncand; k++)
        if (!cut[1 + k])
            job->res[k].uncovered = false;
    free(wall);
    free(cut);
    free(key);
    return st;
}

ccn_status ccn_coverage_find_gaps(ccn_ctx *ctx, run_t *run)
{
    seg *kept = NULL;
    size_t nkept = 0;
    graph g = {0};
    cycles cy = {0};
    size_t *cand = NULL, *hole_first = NULL, *hole_list = NULL;
    gap_job job = {0};
    sides around = {0};
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
    job = (gap_job){run, &g, &cy, cand, hole_first, hole_list, NULL, NULL, NULL, depth, ncand};
    if (!(job.res = table_malloc(ncand + 1, sizeof *job.res))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_parallel_for(ctx, ncand, 0, gap_work, &job)) ||
        (run->src && (st = cover_test(ctx, run, &job, ncand))))
        goto done;
    if ((st = collect_sides(ctx, &job, &around)) || (st = drop_unenclosed(ctx, &job, &around)))
        goto done;
    sides_free(&around);
    if ((st = group_regions(ctx, &g, &job, ncand, &ngroups)))
        goto done;
    st = ccn_parallel_for(ctx, ngroups, 0, region_work, &job);
done:
    sides_free(&around);
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
