/* coverage_pair — the area two polygons share (see coverage_pair.h). */
#include "coverage_pair.h"
#include "coverage_run.h"
#include "earclip.h"
#include "width.h"

#include "geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Shared area of two parts. */

static bool clip_reserve(clip_buf *w, size_t pts)
{
    if (pts <= w->cap)
        return true;
    size_t cap = w->cap ? w->cap : 64;
    while (cap < pts)
        cap *= 2;
    double *a = realloc(w->a, 2 * cap * sizeof *a);
    if (a)
        w->a = a;
    double *b = a ? realloc(w->b, 2 * cap * sizeof *b) : NULL;
    if (b)
        w->b = b;
    double *s = b ? realloc(w->side, cap * sizeof *s) : NULL;
    if (!s)
        return false;
    w->side = s;
    w->cap = cap;
    return true;
}

/* Area of ring s (n points; signed by its orientation) clipped to the
 * convex counter-clockwise polygon c (m points): Sutherland–Hodgman. A ring
 * that is not convex may come out with zero-width bridges, which add no
 * area. NaN when out of memory. */
static double clip_area(clip_buf *w, const double *s, size_t n, const double *c, size_t m)
{
    double ox = c[0], oy = c[1];
    if (!clip_reserve(w, 2 * (n + m) + 8))
        return NAN;
    size_t len = n;
    for (size_t k = 0; k < n; k++)
        w->a[2 * k] = s[2 * k] - ox, w->a[2 * k + 1] = s[2 * k + 1] - oy;
    for (size_t e = 0; e < m && len >= 3; e++) {
        double ax = c[2 * e] - ox, ay = c[2 * e + 1] - oy;
        double ex = c[2 * ((e + 1) % m)] - ox - ax, ey = c[2 * ((e + 1) % m) + 1] - oy - ay;
        bool all_in = true;
        for (size_t k = 0; k < len; k++) {
            w->side[k] = ex * (w->a[2 * k + 1] - ay) - ey * (w->a[2 * k] - ax);
            all_in &= w->side[k] >= 0;
        }
        if (all_in)
            continue;
        if (!clip_reserve(w, 2 * len + 8))
            return NAN;
        size_t out = 0;
        for (size_t k = 0; k < len; k++) {
            size_t k2 = (k + 1) % len;
            double sp = w->side[k], sq = w->side[k2];
            if (sp >= 0) {
                w->b[2 * out] = w->a[2 * k], w->b[2 * out + 1] = w->a[2 * k + 1];
                out++;
            }
            if ((sp >= 0) != (sq >= 0)) {
                double t = sp / (sp - sq);
                w->b[2 * out] = w->a[2 * k] + t * (w->a[2 * k2] - w->a[2 * k]);
                w->b[2 * out + 1] = w->a[2 * k + 1] + t * (w->a[2 * k2 + 1] - w->a[2 * k + 1]);
                out++;
            }
        }
        double *t = w->a;
        w->a = w->b, w->b = t;
        len = out;
    }
    w->len = len;
    if (len < 3)
        return 0;
    double area = 0;
    for (size_t k = 0; k < len; k++) {
        size_t k2 = (k + 1) % len;
        area += w->a[2 * k] * w->a[2 * k2 + 1] - w->a[2 * k2] * w->a[2 * k + 1];
    }
    return area / 2;
}

void ccn_coverage_clip_shape(const clip_buf *w, double *width, double *perim, double *cx,
                             double *cy)
{
    const double *p = w->a;
    size_t n = w->len;
    double best = INFINITY, per = 0, a2 = 0, sx = 0, sy = 0;
    for (size_t k = 0; k < n; k++) {
        const double *a = p + 2 * k, *b = p + 2 * ((k + 1) % n);
        double ex = b[0] - a[0], ey = b[1] - a[1], l = sqrt(ex * ex + ey * ey);
        double cr = a[0] * b[1] - b[0] * a[1];
        per += l, a2 += cr, sx += (a[0] + b[0]) * cr, sy += (a[1] + b[1]) * cr;
        if (l == 0)
            continue;
        double far = 0;
        for (size_t v = 0; v < n; v++)
            far = fmax(far, fabs(ex * (p[2 * v + 1] - a[1]) - ey * (p[2 * v] - a[0])) / l);
        best = fmin(best, far);
    }
    *width = n >= 3 ? best : 0;
    *perim = per;
    *cx = a2 != 0 ? sx / (3 * a2) : p[0];
    *cy = a2 != 0 ? sy / (3 * a2) : p[1];
}

/* Area of (every ring of part p) clipped by the convex polygon c. */
static double rings_clipped(clip_buf *w, const flat *f, size_t p, const double *c, size_t m)
{
    double sum = 0;
    for (size_t r = f->part_ring[p]; r < f->part_ring[p + 1]; r++)
        if (f->ring_n[r])
            sum += clip_area(w, f->xy + 2 * f->ring_pt[r], f->ring_n[r], c, m);
    return sum;
}

/* Area of part p clipped by the ear-clipped triangles of part q. */
static double rings_clipped_tri(clip_buf *w, const flat *f, size_t p, size_t q)
{
    const double *base = f->xy + 2 * f->ring_pt[f->part_ring[q]];
    const uint32_t *t = f->tri + 3 * f->part_tri[q];
    double sum = 0;
    for (uint32_t k = 0; k < f->part_ntri[q]; k++, t += 3) {
        double c[6] = {base[2 * t[0]], base[2 * t[0] + 1], base[2 * t[1]],
                       base[2 * t[1] + 1], base[2 * t[2]], base[2 * t[2] + 1]};
        double env[4] = {fmin(c[0], fmin(c[2], c[4])), fmin(c[1], fmin(c[3], c[5])),
                         fmax(c[0], fmax(c[2], c[4])), fmax(c[1], fmax(c[3], c[5]))};
        if (env_meet(env, f->part_env + 4 * p))
            sum += rings_clipped(w, f, p, c, 3);
    }
    return sum;
}

/* Points of every ring of part p. */
static size_t part_points(const flat *f, size_t p)
{
    size_t n = 0;
    for (size_t r = f->part_ring[p]; r < f->part_ring[p + 1]; r++)
        n += f->ring_n[r];
    return n;
}

/* Clipping costs the product of the two sizes: two convex parts of 50,000
 * points each took 5 s, where GEOS's overlay (n log n) takes a tenth of one.
 * Beyond this many steps, GEOS. */
enum { CLIP_BUDGET = 1 << 21 };

double ccn_coverage_part_pair_area(ccn_ctx *ctx, clip_buf *w, const flat *f,
                                   const ccn_coverage_input *in, size_t i, size_t p, size_t j,
                                   size_t q)
{
    w->len = 0; /* no clipped piece (GEOS measured, or nothing shared) */
    if (!env_meet(f->part_env + 4 * p, f->part_env + 4 * q))
        return 0;
    size_t ps = f->part_ring[p], qs = f->part_ring[q];
    if (!f->ring_n[ps] || !f->ring_n[qs])
        return 0;
    if (f->convex[q] && (double)part_points(f, p) * f->ring_n[qs] <= CLIP_BUDGET)
        return rings_clipped(w, f, p, f->xy + 2 * f->ring_pt[qs], f->ring_n[qs]);
    if (f->convex[p] && (double)part_points(f, q) * f->ring_n[ps] <= CLIP_BUDGET)
        return rings_clipped(w, f, q, f->xy + 2 * f->ring_pt[ps], f->ring_n[ps]);
    if (f->part_ntri[q])
        return rings_clipped_tri(w, f, p, q);
    if (f->part_ntri[p])
        return rings_clipped_tri(w, f, q, p);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *oi, *oj;
    const GEOSGeometry *gi = ccn_coverage_poly_geom(ctx, in, i, &oi),
                       *gj = ccn_coverage_poly_geom(ctx, in, j, &oj);
    double a = gi && gj ? ccn_geom_intersection_area(ctx, part_of(h, gi, (int)(p - f->poly_part[i])),
                                                     part_of(h, gj, (int)(q - f->poly_part[j])))
                        : -1;
    if (oi)
        GEOSGeom_destroy_r(h, oi);
    if (oj)
        GEOSGeom_destroy_r(h, oj);
    return a < 0 ? INFINITY : a;
}

bool ccn_coverage_measure_overlap(ccn_ctx *ctx, const GEOSGeometry *a, const GEOSGeometry *b,
                                  double floor_m2, double tol, ccn_coverage_issue *is)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *xg = GEOSIntersection_r(h, a, b);
    if (!xg) {
        ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS intersection failed: %s",
                  ccn_ctx_geos_message(ctx));
        return false;
    }
    GEOSGeometry *poly = ccn_geom_polygonal(ctx, xg);
    GEOSGeom_destroy_r(h, xg);
    is->area = ccn_geom_area(ctx, poly);
    is->x = is->y = NAN;
    bool ok = true;
    if (is->area > 0)
        ccn_geom_point_on_surface(ctx, poly, &is->x, &is->y);
    if (poly && tol > 0 && is->area > floor_m2) {
        bool thin = false;
        ok = ccn_width_thin(ctx, poly, tol, &thin, &is->width, &is->length) == CCN_OK;
        if (thin)
            is->kind = CCN_COVERAGE_EDGE_MISMATCH, is->thin = CCN_COVERAGE_THIN_OVERLAP;
    }
    if (poly)
        GEOSGeom_destroy_r(h, poly);
    return ok;
}

/* ---------------------------------------------------------------------------
 * The overlap of two simple polygons, measured in-house.
 *
 * Most pairs measured on noisy data are two parcels of one ring each whose
 * boundaries cross properly. The boundary of their intersection is then the
 * pieces of each ring inside the other, joined at the crossings: walking P
 * (counter-clockwise) from a crossing where it enters Q to the next crossing,
 * then Q from there to the next, and so on, closes one loop per component
 * (the intersection of two simply connected sets has no holes). The loops
 * hold the vertices GEOS's overlay outputs (each ring's vertices inside the
 * other, and the crossings), so they give the area, the edges ccn_width_test
 * judges and GEOS's point on surface without an overlay; a GEOS polygon is
 * made from them only when an erosion is left undecided. Anything
 * degenerate — a vertex on or within rounding of the other ring, collinear
 * edges, crossings too close to order — goes to GEOS. */

enum {
    PAIR_MAX_POINTS = 128, /* a ring longer than this: GEOS */
    PAIR_MAX_XINGS = 64,   /* more crossings than this: GEOS */
    PAIR_MAX_LOOP = 2 * PAIR_MAX_POINTS + PAIR_MAX_XINGS
};

typedef struct {
    double x, y;     /* the crossing */
    double t, u;     /* where along P's edge pe and along Q's edge qe, 0 .. 1 */
    uint32_t pe, qe; /* edge k runs from vertex k to vertex k + 1 */
    bool enter;      /* P enters Q here (so Q leaves P) */
    bool used;
    size_t at;       /* its point in the loops */
} pair_xing;

typedef struct {
    pair_xing x[PAIR_MAX_XINGS]; /* sorted along P */
    uint32_t byq[PAIR_MAX_XINGS]; /* the crossings in their order along Q */
    size_t nx;
    double pt[2 * PAIR_MAX_LOOP]; /* the loops' points, one loop after another */
    size_t end[PAIR_MAX_XINGS + 1]; /* per loop: one past its last point */
    size_t nloops, npts;
    size_t p0_at;    /* the point of P's stored first vertex in the loops, or SIZE_MAX */
    double out[2 * PAIR_MAX_LOOP]; /* room to reorder the points */
    double rp[2 * PAIR_MAX_POINTS], rq[2 * PAIR_MAX_POINTS]; /* rings about P's first point */
} pair_loops;

/* Twice the signed area of a, b, c (left turn: positive); *flat when it is
 * within rounding of zero, the sign then not to be trusted. */
static double pair_turn(const double *a, const double *b, const double *c, bool *flat)
{
    double l = (b[0] - a[0]) * (c[1] - a[1]), r = (b[1] - a[1]) * (c[0] - a[0]);
    double d = l - r;
    *flat = fabs(d) <= 1e-12 * (fabs(l) + fabs(r));
    return d;
}

/* Where segments p1p2 and q1q2 cross, as GEOS's Intersection::intersection
 * computes it (about the middle of the overlap of their envelopes). */
static bool pair_cross_point(const double *p1, const double *p2, const double *q1,
                             const double *q2, double *x, double *y)
{
    double mx = (fmax(fmin(p1[0], p2[0]), fmin(q1[0], q2[0])) +
                 fmin(fmax(p1[0], p2[0]), fmax(q1[0], q2[0]))) / 2.0;
    double my = (fmax(fmin(p1[1], p2[1]), fmin(q1[1], q2[1])) +
                 fmin(fmax(p1[1], p2[1]), fmax(q1[1], q2[1]))) / 2.0;
    double p1x = p1[0] - mx, p1y = p1[1] - my, p2x = p2[0] - mx, p2y = p2[1] - my;
    double q1x = q1[0] - mx, q1y = q1[1] - my, q2x = q2[0] - mx, q2y = q2[1] - my;
    double px = p1y - p2y, py = p2x - p1x, pw = p1x * p2y - p2x * p1y;
    double qx = q1y - q2y, qy = q2x - q1x, qw = q1x * q2y - q2x * q1y;
    double w = px * qy - qx * py;
    *x = (py * qw - qy * pw) / w + mx;
    *y = (qx * pw - px * qw) / w + my;
    /* GEOS takes the nearest endpoint when the point falls outside either
     * segment's box: a case for GEOS itself. */
    return isfinite(*x) && isfinite(*y) && *x >= fmin(p1[0], p2[0]) && *x <= fmax(p1[0], p2[0]) &&
           *y >= fmin(p1[1], p2[1]) && *y <= fmax(p1[1], p2[1]) && *x >= fmin(q1[0], q2[0]) &&
           *x <= fmax(q1[0], q2[0]) && *y >= fmin(q1[1], q2[1]) && *y <= fmax(q1[1], q2[1]);
}

/* Is (x, y) inside ring r of n points (crossing rule)? */
static bool pair_ring_contains(const double *r, size_t n, double x, double y)
{
    bool in = false;
    for (size_t k = 0; k < n; k++) {
        const double *a = r + 2 * k, *b = r + 2 * ((k + 1) % n);
        double e[4] = {a[0], a[1], b[0], b[1]};
        if (ccn_edges_cross_ray(e, x, y))
            in = !in;
    }
    return in;
}

/* Vertices passed walking a ring of n points from a point on edge e0 (at
 * t0) to the next crossing, on edge e1 (at t1). */
static size_t pair_steps(uint32_t e0, double t0, uint32_t e1, double t1, size_t n)
{
    if (e1 == e0)
        return t1 > t0 ? 0 : n;
    return (e1 + n - e0) % n;
}

static bool pair_push(pair_loops *L, double x, double y)
{
    if (L->npts == PAIR_MAX_LOOP)
        return false;
    L->pt[2 * L->npts] = x, L->pt[2 * L->npts + 1] = y;
    L->npts++;
    return true;
}

/* The crossings of the rings, relative to P's first point; false on
 * anything degenerate. */
static bool pair_crossings(const double *p, size_t n, const double *q, size_t m, pair_loops *L)
{
    const double *rp = L->rp, *rq = L->rq;
    L->nx = 0;
    for (uint32_t a = 0; a < n; a++) {
        const double *a0 = rp + 2 * a, *a1 = rp + 2 * ((a + 1) % n);
        double ax0 = fmin(a0[0], a1[0]), ax1 = fmax(a0[0], a1[0]);
        double ay0 = fmin(a0[1], a1[1]), ay1 = fmax(a0[1], a1[1]);
        for (uint32_t b = 0; b < m; b++) {
            const double *b0 = rq + 2 * b, *b1 = rq + 2 * ((b + 1) % m);
            if (fmax(b0[0], b1[0]) < ax0 || fmin(b0[0], b1[0]) > ax1 ||
                fmax(b0[1], b1[1]) < ay0 || fmin(b0[1], b1[1]) > ay1)
                continue;
            bool f1, f2, f3, f4;
            double d1 = pair_turn(b0, b1, a0, &f1), d2 = pair_turn(b0, b1, a1, &f2);
            if (!f1 && !f2 && (d1 > 0) == (d2 > 0))
                continue;
            double d3 = pair_turn(a0, a1, b0, &f3), d4 = pair_turn(a0, a1, b1, &f4);
            if (!f3 && !f4 && (d3 > 0) == (d4 > 0))
                continue;
            if (f1 || f2 || f3 || f4 || L->nx == PAIR_MAX_XINGS)
                return false;
            pair_xing *x = &L->x[L->nx++];
            *x = (pair_xing){0, 0, d1 / (d1 - d2), d3 / (d3 - d4), a, b, d1 < 0, false, 0};
            if (!(x->t > 1e-9 && x->t < 1 - 1e-9 && x->u > 1e-9 && x->u < 1 - 1e-9))
                return false; /* within rounding of a vertex */
            if (!pair_cross_point(p + 2 * a, p + 2 * ((a + 1) % n), q + 2 * b,
                                  q + 2 * ((b + 1) % m), &x->x, &x->y))
                return false;
        }
    }
    /* Along P: found edge by edge, sorted within an edge. */
    for (size_t k = 1; k < L->nx; k++) {
        pair_xing v = L->x[k];
        size_t j = k;
        for (; j > 0 && L->x[j - 1].pe == v.pe && L->x[j - 1].t > v.t; j--)
            L->x[j] = L->x[j - 1];
        L->x[j] = v;
    }
    for (size_t k = 0; k < L->nx; k++) {
        size_t j = k;
        for (; j > 0 && (L->x[L->byq[j - 1]].qe > L->x[k].qe ||
                         (L->x[L->byq[j - 1]].qe == L->x[k].qe && L->x[L->byq[j - 1]].u > L->x[k].u));
             j--)
            L->byq[j] = L->byq[j - 1];
        L->byq[j] = (uint32_t)k;
    }
    /* Crossings too close to order for sure, or not alternating in and
     * out along either ring: GEOS. */
    for (size_t k = 0; k < L->nx; k++) {
        const pair_xing *c = &L->x[k], *d = &L->x[(k + 1) % L->nx];
        const pair_xing *cq = &L->x[L->byq[k]], *dq = &L->x[L->byq[(k + 1) % L->nx]];
        if (c->enter == d->enter || cq->enter == dq->enter)
            return false;
        if (k + 1 < L->nx && ((c->pe == d->pe && d->t - c->t < 1e-9) ||
                              (cq->qe == dq->qe && dq->u - cq->u < 1e-9)))
            return false;
    }
    return true;
}

/* Reorder the loops and their points as GEOS's overlay (OverlayNG, 3.11)
 * outputs them, for the width bounds depend on the order they sample the
 * edges in: rings clockwise, polygons and each ring's start set by the
 * first edge of each in the overlay graph, which holds P's pieces inside Q
 * first, in P's stored order from its first vertex (the piece through that
 * vertex split there). That edge runs from where its piece starts in stored
 * order when P is stored clockwise, from where it ends otherwise; the ring
 * starts at the point after (OverlayEdge::addCoordinates skips the first
 * edge's origin, the ring ends with it). Clipping the rings to the pair's
 * common box changes none of this: what it cuts lies outside both. false
 * when a loop is not reached (GEOS then). */
static bool pair_geos_order(pair_loops *L, size_t n, bool p_cw)
{
    size_t nx = L->nx, ord[PAIR_MAX_XINGS], origin[PAIR_MAX_XINGS + 1], no = 0;
    size_t first[PAIR_MAX_XINGS + 1], seq[PAIR_MAX_XINGS + 1], nseq = 0;
    if (!p_cw) {
        for (size_t k = 0; k < nx; k++)
            ord[k] = k;
    } else { /* backwards from vertex n - 1: the last edge's crossings come last */
        size_t k2 = 0;
        for (size_t k = nx; k-- > 0;)
            if (L->x[k].pe < n - 1)
                ord[k2++] = k;
        for (size_t k = nx; k-- > 0;)
            if (L->x[k].pe == n - 1)
                ord[k2++] = k;
    }
    bool inside = L->x[ord[0]].enter == p_cw; /* the first crossing leaves Q */
    if (inside && L->p0_at == SIZE_MAX)
        return false;
    if (inside)
        origin[no++] = p_cw ? L->p0_at : L->x[ord[0]].at;
    for (size_t k = inside ? 1 : 0; k + 1 < nx; k += 2)
        origin[no++] = L->x[ord[p_cw ? k : k + 1]].at;
    if (inside)
        origin[no++] = p_cw ? L->x[ord[nx - 1]].at : L->p0_at;
    for (size_t k = 0; k < L->nloops; k++)
        first[k] = SIZE_MAX;
    for (size_t k = 0; k < no; k++) {
        size_t l = 0;
        while (L->end[l] <= origin[k])
            l++;
        if (first[l] == SIZE_MAX)
            first[l] = origin[k], seq[nseq++] = l;
    }
    if (nseq != L->nloops)
        return false;
    size_t end[PAIR_MAX_XINGS + 1], o = 0;
    for (size_t k = 0; k < nseq; k++) {
        size_t l = seq[k], b = l ? L->end[l - 1] : 0, len = L->end[l] - b;
        size_t s = (first[l] - b + len - 1) % len; /* the origin's successor */
        for (size_t v = 0; v < len; v++) {
            size_t from = b + (s + len - v) % len;
            L->out[2 * o] = L->pt[2 * from], L->out[2 * o + 1] = L->pt[2 * from + 1];
            o++;
        }
        end[k] = o;
    }
    memcpy(L->pt, L->out, 2 * o * sizeof *L->pt);
    memcpy(L->end, end, nseq * sizeof *end);
    return true;
}

/* The loops bounding the intersection of the counter-clockwise simple rings
 * p (n points) and q (m points), whose stored first vertices are p0 and q0
 * (n - 1 when stored clockwise), in GEOS's order (pair_geos_order); false
 * when the pair must go to GEOS. */
static bool pair_loops_of(const double *p, size_t n, size_t p0, const double *q, size_t m,
                          size_t q0, pair_loops *L)
{
    L->nloops = L->npts = 0;
    L->p0_at = SIZE_MAX;
    if (n < 3 || m < 3 || n > PAIR_MAX_POINTS || m > PAIR_MAX_POINTS)
        return false;
    double ox = p[0], oy = p[1];
    for (size_t k = 0; k < n; k++)
        L->rp[2 * k] = p[2 * k] - ox, L->rp[2 * k + 1] = p[2 * k + 1] - oy;
    for (size_t k = 0; k < m; k++)
        L->rq[2 * k] = q[2 * k] - ox, L->rq[2 * k + 1] = q[2 * k + 1] - oy;
    if (!pair_crossings(p, n, q, m, L))
        return false;
    if (L->nx == 0) { /* one inside the other (as GEOS gives it: clockwise from the
                         successor of its first stored vertex), or apart */
        const double *in = pair_ring_contains(L->rq, m, L->rp[0], L->rp[1]) ? p
                           : pair_ring_contains(L->rp, n, L->rq[0], L->rq[1]) ? q : NULL;
        size_t len = in == p ? n : m, first = in == p ? p0 : q0;
        for (size_t k = 0; in && k < len; k++) {
            size_t v = (first + 2 * len - 1 - k) % len;
            pair_push(L, in[2 * v], in[2 * v + 1]);
        }
        if (in)
            L->end[L->nloops++] = L->npts;
        return true;
    }
    size_t used = 0;
    for (size_t s = 0; s < L->nx; s++) {
        if (!L->x[s].enter || L->x[s].used)
            continue;
        size_t c = s, start = L->npts;
        do {
            /* c: P enters Q; along P to the next crossing, where it leaves */
            pair_xing *xc = &L->x[c];
            size_t d = (c + 1) % L->nx;
            pair_xing *xd = &L->x[d];
            size_t steps = pair_steps(xc->pe, xc->t, xd->pe, xd->t, n);
            xc->at = L->npts;
            if (!pair_push(L, xc->x, xc->y))
                return false;
            for (size_t k = 1; k <= steps; k++) {
                size_t vi = (xc->pe + k) % n;
                if (vi == p0)
                    L->p0_at = L->npts;
                if (!pair_push(L, p[2 * vi], p[2 * vi + 1]))
                    return false;
            }
            /* d: Q enters P; along Q to the next crossing, where P enters Q */
            size_t qpos = 0;
            while (L->byq[qpos] != d)
                qpos++;
            size_t e = L->byq[(qpos + 1) % L->nx];
            pair_xing *xe = &L->x[e];
            steps = pair_steps(xd->qe, xd->u, xe->qe, xe->u, m);
            xd->at = L->npts;
            if (!pair_push(L, xd->x, xd->y))
                return false;
            for (size_t k = 1; k <= steps; k++) {
                const double *v = q + 2 * ((xd->qe + k) % m);
                if (!pair_push(L, v[0], v[1]))
                    return false;
            }
            xc->used = xd->used = true;
            used += 2;
            c = e;
            if (c != s && L->x[c].used)
                return false;
        } while (c != s && used <= L->nx);
        if (c != s || L->npts - start < 3)
            return false;
        L->end[L->nloops++] = L->npts;
    }
    return used == L->nx && pair_geos_order(L, n, p0 != 0);
}

/* Signed area of loop k of L, about its first point. */
static double pair_loop_area(const pair_loops *L, size_t k)
{
    size_t b = k ? L->end[k - 1] : 0;
    return ccn_earclip_signed_area(L->pt + 2 * b, L->end[k] - b);
}

/* The point GEOS's PointOnSurface (InteriorPointArea) gives for the loops
 * taken as polygons: for each, the horizontal line halfway between the two
 * vertex heights nearest the middle of its box, the midpoint of the widest
 * interval inside on it; the widest of all polygons. */
static void pair_point_on_surface(const pair_loops *L, double *x, double *y)
{
    double best = -1;
    double cross[PAIR_MAX_LOOP];
    for (size_t k = 0; k < L->nloops; k++) {
        size_t b = k ? L->end[k - 1] : 0, n = L->end[k] - b;
        const double *p = L->pt + 2 * b;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t v = 0; v < n; v++)
            lo = fmin(lo, p[2 * v + 1]), hi = fmax(hi, p[2 * v + 1]);
        double centre = (lo + hi) / 2.0;
        for (size_t v = 0; v < n; v++) {
            double yv = p[2 * v + 1];
            if (yv <= centre) {
                if (yv > lo)
                    lo = yv;
            } else if (yv < hi) {
                hi = yv;
            }
        }
        double sy = (hi + lo) / 2.0, width = 0, px = p[0], py = p[1];
        size_t nc = 0;
        for (size_t v = 0; v < n; v++) {
            const double *a = p + 2 * v, *c = p + 2 * ((v + 1) % n);
            if ((a[1] > sy && c[1] > sy) || (a[1] < sy && c[1] < sy) || a[1] == c[1])
                continue;
            if ((a[1] == sy && c[1] < sy) || (c[1] == sy && a[1] < sy))
                continue;
            double xi = a[0];
            if (a[0] != c[0]) {
                double m = (c[1] - a[1]) / (c[0] - a[0]);
                xi = a[0] + (sy - a[1]) / m;
            }
            cross[nc++] = xi;
        }
        qsort(cross, nc, sizeof *cross, cmp_x);
        for (size_t c = 0; c + 1 < nc; c += 2)
            if (cross[c + 1] - cross[c] > width)
                width = cross[c + 1] - cross[c], px = (cross[c] + cross[c + 1]) / 2.0, py = sy;
        if (width > best)
            best = width, *x = px, *y = py;
    }
}

/* The loops as a GEOS polygon or multipolygon, for an erosion. */
static GEOSGeometry *pair_geom(ccn_ctx *ctx, void *user)
{
    const pair_loops *L = user;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *polys[PAIR_MAX_XINGS + 1];
    size_t made = 0;
    for (size_t k = 0; k < L->nloops; k++, made++) {
        size_t b = k ? L->end[k - 1] : 0, n = L->end[k] - b;
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
        if (!cs)
            break;
        for (size_t v = 0; v <= n; v++)
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)v, L->pt[2 * (b + v % n)],
                                 L->pt[2 * (b + v % n) + 1]);
        GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, cs);
        polys[made] = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
        if (!polys[made])
            break;
    }
    if (made < L->nloops) {
        for (size_t k = 0; k < made; k++)
            GEOSGeom_destroy_r(h, polys[k]);
        return NULL;
    }
    if (made == 1)
        return polys[0];
    return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)made);
}

int ccn_coverage_pair_overlap(ccn_ctx *ctx, const flat *f, size_t i, size_t j,
                              const ccn_coverage_options *opt, ccn_coverage_issue *is)
{
    size_t pi = f->poly_part[i], pj = f->poly_part[j];
    if (f->poly_part[i + 1] != pi + 1 || f->poly_part[j + 1] != pj + 1 ||
        f->part_ring[pi + 1] != f->part_ring[pi] + 1 || f->part_ring[pj + 1] != f->part_ring[pj] + 1 ||
        !(f->area[i] > 0) || !(f->area[j] > 0))
        return 0;
    size_t si = f->part_ring[pi], sj = f->part_ring[pj], n = f->ring_n[si], m = f->ring_n[sj];
    pair_loops L;
    /* the stored first vertex: reversed, the last here */
    if (!pair_loops_of(f->xy + 2 * f->ring_pt[si], n, f->shell_cw[pi] ? n - 1 : 0,
                       f->xy + 2 * f->ring_pt[sj], m, f->shell_cw[pj] ? m - 1 : 0, &L))
        return 0;
    double area = 0;
    for (size_t k = 0; k < L.nloops; k++) { /* clockwise, as GEOS gives them */
        double a = -pair_loop_area(&L, k);
        if (!(a > 0))
            return 0;
        area += a;
    }
    is->area = area;
    is->x = is->y = NAN;
    if (area > 0)
        pair_point_on_surface(&L, &is->x, &is->y);
    if (!(opt->edge_tol_m > 0 && area > opt->overlap_min_m2))
        return 1;
    double e[4 * PAIR_MAX_LOOP];
    size_t loop[PAIR_MAX_LOOP];
    ccn_edges es = {e, loop, loop, L.npts};
    for (size_t k = 0, b = 0; k < L.nloops; b = L.end[k], k++)
        for (size_t v = b; v < L.end[k]; v++) {
            size_t w = v + 1 < L.end[k] ? v + 1 : b;
            e[4 * v] = L.pt[2 * v], e[4 * v + 1] = L.pt[2 * v + 1];
            e[4 * v + 2] = L.pt[2 * w], e[4 * v + 3] = L.pt[2 * w + 1];
            loop[v] = k;
        }
    ccn_width_piece lg = {NULL, NULL, pair_geom, &L};
    bool thin = false;
    ccn_status st = ccn_width_test(ctx, &es, &lg, opt->edge_tol_m, &thin, &is->width, &is->length);
    if (lg.made)
        GEOSGeom_destroy_r(ccn_ctx_geos(ctx), lg.made);
    if (st)
        return -1;
    if (thin)
        is->kind = CCN_COVERAGE_EDGE_MISMATCH, is->thin = CCN_COVERAGE_THIN_OVERLAP;
    return 1;
}
