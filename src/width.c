/* width — the largest width of a thin piece, bounded from its edges. */
#include "width.h"

#include "earclip.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

bool ccn_edges_of(GEOSContextHandle_t h, const GEOSGeometry *g, ccn_edges *es)
{
    *es = (ccn_edges){0};
    int np = GEOSGetNumGeometries_r(h, g), nr_all = 0;
    size_t cap = 0;
    for (int k = 0; k < np; k++) {
        const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, k);
        if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON)
            continue;
        int holes = GEOSGetNumInteriorRings_r(h, p);
        for (int r = -1; r < holes; r++, nr_all++) {
            const GEOSGeometry *lr = r < 0 ? GEOSGetExteriorRing_r(h, p) : GEOSGetInteriorRingN_r(h, p, r);
            const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, lr);
            unsigned int m = 0;
            if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m) || m < 2)
                continue;
            if (es->n + m > 4096) /* large: not worth sampling */
                return false;
            if (es->n + m > cap) {
                cap = 2 * (es->n + m);
                double *e = realloc(es->e, 4 * cap * sizeof *e);
                if (e)
                    es->e = e;
                size_t *rg = e ? realloc(es->ring, cap * sizeof *rg) : NULL;
                if (rg)
                    es->ring = rg;
                size_t *pt = rg ? realloc(es->part, cap * sizeof *pt) : NULL;
                if (!pt)
                    return false;
                es->part = pt;
            }
            double prev[2] = {0, 0};
            for (unsigned int v = 0; v < m; v++) {
                double x, y;
                GEOSCoordSeq_getXY_r(h, cs, v, &x, &y);
                if (v > 0 && (x != prev[0] || y != prev[1])) {
                    double *e = es->e + 4 * es->n;
                    e[0] = prev[0], e[1] = prev[1], e[2] = x, e[3] = y;
                    es->ring[es->n] = (size_t)nr_all;
                    es->part[es->n] = (size_t)k;
                    es->n++;
                }
                prev[0] = x, prev[1] = y;
            }
        }
    }
    return es->n >= 3;
}

void ccn_edges_free(ccn_edges *es)
{
    free(es->e);
    free(es->ring);
    free(es->part);
}

/* Squared distance from (x, y) to edge e, and the nearest point on it. */
static inline double edge_dist2(const double *e, double x, double y, double *nx, double *ny)
{
    double dx = e[2] - e[0], dy = e[3] - e[1], l2 = dx * dx + dy * dy;
    double t = l2 > 0 ? ((x - e[0]) * dx + (y - e[1]) * dy) / l2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    *nx = e[0] + t * dx, *ny = e[1] + t * dy;
    double ex = x - *nx, ey = y - *ny;
    return ex * ex + ey * ey;
}

/* Distance from (x, y) to edge e, and the nearest point on it. */
static double edge_dist(const double *e, double x, double y, double *nx, double *ny)
{
    return sqrt(edge_dist2(e, x, y, nx, ny));
}

/* Is (x, y) inside polygon part k of the edge set (crossing number)? */
static bool edges_contain(const ccn_edges *es, size_t k, double x, double y)
{
    bool in = false;
    for (size_t i = 0; i < es->n; i++)
        if (es->part[i] == k && ccn_edges_cross_ray(es->e + 4 * i, x, y))
            in = !in;
    return in;
}

/* Is (x, y) inside some part of the edge set? The parts' edges are
 * consecutive, and a point is inside one part at most. */
static bool edges_contain_any(const ccn_edges *es, double x, double y)
{
    bool in = false;
    for (size_t i = 0; i < es->n; i++) {
        if (ccn_edges_cross_ray(es->e + 4 * i, x, y))
            in = !in;
        if (in && (i + 1 == es->n || es->part[i + 1] != es->part[i]))
            return true;
    }
    return false;
}

/* Sort numbers ascending: insertion sort for the usual few, qsort beyond. */
static void sort_doubles(double *v, size_t n)
{
    if (n > 32) {
        qsort(v, n, sizeof *v, cmp_double);
        return;
    }
    for (size_t a = 1; a < n; a++) {
        double x = v[a];
        size_t b = a;
        for (; b > 0 && v[b - 1] > x; b--)
            v[b] = v[b - 1];
        v[b] = x;
    }
}

/* A lower bound on the diameter of the largest circle inside the
 * polygonal set: from every vertex and edge midpoint, the nearest point of
 * another edge of its part; the middle of the two, if inside, is the centre
 * of a circle as wide as its distance to the boundary. *bx, *by: the
 * widest one's centre (NAN when none). Returns as soon as the bound exceeds
 * cap (INFINITY: never). A search stops once it cannot change the answer:
 * the nearest point within 2 best (the point is passed over) or an edge
 * within best / 2 of the centre (no wider circle); the thresholds are a
 * rounding error short, so the answers are those of the full search. */
static double sampled_best(const ccn_edges *es, double cap, double *bx, double *by)
{
    double best = 0;
    *bx = *by = NAN;
    for (size_t i = 0, pb = 0, pe = 0; i < es->n; i++) {
        if (i == pe) /* the part's edges: pb .. pe */
            for (pb = i, pe = i + 1; pe < es->n && es->part[pe] == es->part[pb];)
                pe++;
        const double *e = es->e + 4 * i;
        for (int s = 0; s < 2; s++) {
            double px = s ? (e[0] + e[2]) / 2 : e[0], py = s ? (e[1] + e[3]) / 2 : e[1];
            double far2 = INFINITY, fx = px, fy = py, skip2 = 4 * best * best * (1 - 1e-9);
            for (size_t j = pb; j < pe; j++) {
                if (j == i)
                    continue;
                const double *o = es->e + 4 * j;
                /* not the edges that end at this vertex */
                if (!s && ((o[0] == px && o[1] == py) || (o[2] == px && o[3] == py)))
                    continue;
                double nx, ny, d2 = edge_dist2(o, px, py, &nx, &ny);
                if (d2 < far2)
                    far2 = d2, fx = nx, fy = ny;
                if (far2 < skip2)
                    break;
            }
            if (!isfinite(far2) || sqrt(far2) <= 2 * best)
                continue;
            double cx = (px + fx) / 2, cy = (py + fy) / 2;
            if (!edges_contain(es, es->part[i], cx, cy))
                continue;
            double r2 = INFINITY, nx, ny, low2 = best * best / 4 * (1 - 1e-9);
            for (size_t j = 0; j < es->n && !(r2 < low2); j++)
                r2 = fmin(r2, edge_dist2(es->e + 4 * j, cx, cy, &nx, &ny));
            if (2 * sqrt(r2) > best)
                *bx = cx, *by = cy;
            best = fmax(best, 2 * sqrt(r2));
            if (best > cap)
                return best;
        }
    }
    return best;
}

double ccn_edges_distance(const ccn_edges *es, double x, double y)
{
    double r2 = INFINITY, nx, ny;
    for (size_t j = 0; j < es->n; j++) {
        double d2 = edge_dist2(es->e + 4 * j, x, y, &nx, &ny);
        r2 = d2 < r2 ? d2 : r2;
    }
    return sqrt(r2);
}

/* The largest of min_k (d[k] + g[k] . u) over the box |u| <= b (each
 * coordinate): a linear programme in u and its value, whose optimum is at
 * a corner of the box, where two planes meet on a side of it, or where
 * three meet inside. Gives the value, *u the point. */
static double planes_max(const double *d, const double *g, int n, double b, double u[2])
{
    double best = -INFINITY;
    double cand[2];
#define PLANES_TRY(ux, uy)                                                                       \
    do {                                                                                         \
        cand[0] = (ux), cand[1] = (uy);                                                          \
        if (fabs(cand[0]) <= b && fabs(cand[1]) <= b) {                                          \
            double t_ = INFINITY;                                                                \
            for (int k_ = 0; k_ < n; k_++) {                                                     \
                double v_ = d[k_] + g[2 * k_] * cand[0] + g[2 * k_ + 1] * cand[1];               \
                t_ = v_ < t_ ? v_ : t_;                                                          \
            }                                                                                    \
            if (t_ > best)                                                                       \
                best = t_, u[0] = cand[0], u[1] = cand[1];                                       \
        }                                                                                        \
    } while (0)
    PLANES_TRY(0, 0);
    for (int sx = -1; sx <= 1; sx += 2)
        for (int sy = -1; sy <= 1; sy += 2)
            PLANES_TRY(sx * b, sy * b);
    for (int a = 0; a < n; a++)
        for (int c = a + 1; c < n; c++) {
            /* where planes a and c are equal: p . u = q */
            double px = g[2 * a] - g[2 * c], py = g[2 * a + 1] - g[2 * c + 1], q = d[c] - d[a];
            if (fabs(py) > 1e-12)
                for (int s = -1; s <= 1; s += 2)
                    PLANES_TRY(s * b, (q - px * s * b) / py);
            if (fabs(px) > 1e-12)
                for (int s = -1; s <= 1; s += 2)
                    PLANES_TRY((q - py * s * b) / px, s * b);
            for (int e = c + 1; e < n; e++) {
                double rx = g[2 * a] - g[2 * e], ry = g[2 * a + 1] - g[2 * e + 1], r = d[e] - d[a];
                double det = px * ry - py * rx;
                if (fabs(det) > 1e-12)
                    PLANES_TRY((q * ry - py * r) / det, (px * r - q * rx) / det);
            }
        }
#undef PLANES_TRY
    return best;
}

/* A wider circle inside than a start's, by climbing the distance to the
 * boundary: near p the distance to each edge is at least its tangent plane
 * at p (the distance to a segment is convex), so the highest point of the
 * lowest of those planes in a box around p (planes_max) is at least as far
 * from the boundary. A step is kept when it gains and stays inside, and the
 * box shrinks when not. The climb stops when the circle is wider than the
 * caller's goal, and may go on later for a higher one. */
enum { CLIMB_PLANES = 3, CLIMB_STEPS = 48 };

typedef struct {
    double x, y; /* the centre reached */
    double f;    /* its distance to the boundary: 2 f is a lower bound on the largest width */
    double box;  /* the next step's reach; 0: converged or not started inside */
    int steps;   /* taken so far */
} climb;

static void climb_start(const ccn_edges *es, climb *c, double x, double y)
{
    *c = (climb){x, y, 0, 0, 0};
    if (isfinite(x) && edges_contain_any(es, x, y))
        c->f = c->box = ccn_edges_distance(es, x, y);
}

/* Climb until the circle is wider than goal (a diameter), or no further. */
static void climb_to(const ccn_edges *es, climb *c, double goal)
{
    while (2 * c->f <= goal && c->steps < CLIMB_STEPS && c->box > 1e-3 * c->f) {
        c->steps++;
        /* the planes that may be lowest in the box: their edges within
         * f + 3 box (a plane's slope is 1 at most), the nearest kept */
        double d[CLIMB_PLANES], g[2 * CLIMB_PLANES];
        int n = 0;
        for (size_t j = 0; j < es->n; j++) {
            double nx, ny, dj = sqrt(edge_dist2(es->e + 4 * j, c->x, c->y, &nx, &ny));
            if (dj > c->f + 3 * c->box || dj <= 0 || (n == CLIMB_PLANES && dj >= d[n - 1]))
                continue;
            int k = n < CLIMB_PLANES ? n++ : CLIMB_PLANES - 1;
            for (; k > 0 && d[k - 1] > dj; k--) /* kept sorted by distance */
                d[k] = d[k - 1], g[2 * k] = g[2 * k - 2], g[2 * k + 1] = g[2 * k - 1];
            d[k] = dj, g[2 * k] = (c->x - nx) / dj, g[2 * k + 1] = (c->y - ny) / dj;
        }
        double u[2] = {0, 0};
        if (n == 0 || planes_max(d, g, n, c->box, u) <= c->f) {
            c->box /= 4;
            continue;
        }
        double nx = c->x + u[0], ny = c->y + u[1], nf = ccn_edges_distance(es, nx, ny);
        if (nf > c->f && edges_contain_any(es, nx, ny))
            c->x = nx, c->y = ny, c->f = nf, c->box *= 2;
        else
            c->box /= 4;
    }
}

/* Offset of (x, y) across direction (ux, uy) and position along it, from o. */
static void chord_coords(const double *o, double ux, double uy, double x, double y, double *s,
                         double *t)
{
    *s = ux * (y - o[1]) - uy * (x - o[0]);
    *t = ux * (x - o[0]) + uy * (y - o[1]);
}

/* The chords at offset sv from its crossings c (m of them, sorted here):
 * the longest kept in *best, its middle in *bt, *bs, when longer. Intervals
 * that touch are one chord (faces sharing an edge). false when m is odd. */
static bool chords_at(double *c, size_t m, double sv, double *best, double *bt, double *bs)
{
    if (m % 2)
        return false;
    sort_doubles(c, m);
    for (size_t k = 0; k < m; k += 2) {
        size_t j = k;
        while (j + 2 < m && c[j + 2] <= c[j + 1]) /* touching: one chord */
            j += 2;
        if (c[j + 1] - c[k] > *best)
            *best = c[j + 1] - c[k], *bt = (c[k] + c[j + 1]) / 2, *bs = sv;
        k = j;
    }
    return true;
}

/* An upper bound on the diameter of the largest circle inside the polygonal
 * set: its longest chord in direction (ux, uy), a unit vector. A circle's
 * diameter in that direction is such a chord, so no circle is wider. The
 * chords of one component have a length linear in their offset between two
 * offsets of vertices, so the longest is at a vertex's offset, as the limit
 * from above or below (the crossing rule taken strictly or not decides which;
 * both found in one pass over the edges, as they share most crossings).
 * *mx, *my: the longest chord's midpoint. buf holds 6 * es->n numbers.
 * INFINITY if unsure. */
static double chord_bound(const ccn_edges *es, double ux, double uy, double *buf, double *mx,
                          double *my)
{
    const double *o = es->e;
    double best = 0, bt = 0, bs = 0;
    double *below = buf, *above = buf + es->n, *st = buf + 2 * es->n; /* per edge: s1 t1 s2 t2 */
    for (size_t i = 0; i < es->n; i++) {
        const double *e = es->e + 4 * i;
        chord_coords(o, ux, uy, e[0], e[1], &st[4 * i], &st[4 * i + 1]);
        chord_coords(o, ux, uy, e[2], e[3], &st[4 * i + 2], &st[4 * i + 3]);
    }
    for (size_t v = 0; v < es->n; v++) {
        double sv = st[4 * v];
        size_t mb = 0, ma = 0;
        for (size_t i = 0; i < es->n; i++) {
            double s1 = st[4 * i], t1 = st[4 * i + 1], s2 = st[4 * i + 2], t2 = st[4 * i + 3];
            bool b = (s1 >= sv) != (s2 >= sv), a = (s1 > sv) != (s2 > sv);
            if (a || b) {
                double t = t1 + (sv - s1) / (s2 - s1) * (t2 - t1);
                below[mb] = t, mb += b; /* written always, kept when it crosses */
                above[ma] = t, ma += a;
            }
        }
        if (!chords_at(below, mb, sv, &best, &bt, &bs) ||
            !chords_at(above, ma, sv, &best, &bt, &bs))
            return INFINITY;
    }
    *mx = o[0] + bt * ux - bs * uy, *my = o[1] + bt * uy + bs * ux;
    /* The offsets and crossings are rounded to a few units in the last
     * place of the local coordinates: a nanometre covers them. */
    return best + 1e-9;
}

/* An upper bound on the largest width of some parts (pt: their edges, es:
 * all edges) from the chords across their longest edges, of up to three
 * directions (a piece bent along a polyline is narrow across one of its
 * longer edges); each bound holds alone, so the least is taken. The middle
 * of the longest chord, when inside, may raise *lower. INFINITY when not
 * found. */
static double part_upper(const ccn_edges *pt, const ccn_edges *es, double *buf, double *lower)
{
    enum { DIRS = 3 };
    double dir[DIRS][2], upper = INFINITY;
    int nd = 0;
    for (int pass = 0; pass < DIRS; pass++) {
        size_t longest = SIZE_MAX;
        double l2 = 0;
        for (size_t i = 0; i < pt->n; i++) {
            const double *e = pt->e + 4 * i;
            double dx = e[2] - e[0], dy = e[3] - e[1], d = dx * dx + dy * dy;
            bool seen = false; /* its direction (either way) within ~6 degrees of one taken */
            for (int k = 0; k < nd && !seen; k++)
                seen = fabs(dx * dir[k][1] - dy * dir[k][0]) < 0.1 * sqrt(d);
            if (!seen && d > l2)
                l2 = d, longest = i;
        }
        if (longest == SIZE_MAX)
            break;
        const double *e = pt->e + 4 * longest;
        double l = sqrt(l2);
        dir[nd][0] = (e[2] - e[0]) / l, dir[nd][1] = (e[3] - e[1]) / l;
        double cx, cy, ub = chord_bound(pt, -dir[nd][1], dir[nd][0], buf, &cx, &cy); /* across it */
        nd++;
        if (!isfinite(ub))
            continue;
        upper = fmin(upper, ub);
        if (edges_contain_any(pt, cx, cy)) {
            double r = INFINITY, nx, ny;
            for (size_t j = 0; j < es->n; j++)
                r = fmin(r, edge_dist(es->e + 4 * j, cx, cy, &nx, &ny));
            *lower = fmax(*lower, 2 * r);
        }
        if (upper < *lower + 1e-6)
            break;
    }
    return upper;
}

/* Bounds on the largest width (inscribed diameter) of the polygonal set
 * from its chords, after sampling (*lower its width): *lower raised by the
 * middle of the longest chords, *upper from those chords (INFINITY when not
 * found): across the whole set, and, when it has several parts, part by
 * part. The parts of a piece meet at points at most (faces of a region,
 * parts of a valid MultiPolygon), so every circle inside lies in one part
 * and the widest part bounds the piece too: each part across its own edges
 * (slivers along two edges meeting at a corner have long chords across
 * either). Edges of a part are consecutive. */
static void chord_bounds(const ccn_edges *es, double *buf, double *lower, double *upper)
{
    *upper = part_upper(es, es, buf, lower);
    if (es->n == 0 || es->part[es->n - 1] == es->part[0] || *upper < *lower + 1e-6)
        return;
    double parts = 0;
    for (size_t b = 0, e; b < es->n; b = e) {
        for (e = b + 1; e < es->n && es->part[e] == es->part[b];)
            e++;
        ccn_edges pt = {es->e + 4 * b, es->ring + b, es->part + b, e - b};
        parts = fmax(parts, part_upper(&pt, es, buf, lower));
    }
    *upper = fmin(*upper, parts);
}

/* Bounds on the largest width: *lower from sampling, then chord_bounds.
 * *cx, *cy: the centre of sampled_best's circle (NAN if none). */
static void width_bounds_at(const ccn_edges *es, double *buf, double *sampled, double *lower,
                            double *upper, double *cx, double *cy)
{
    *lower = *sampled = sampled_best(es, INFINITY, cx, cy);
    chord_bounds(es, buf, lower, upper);
}

static inline void width_bounds(const ccn_edges *es, double *buf, double *sampled, double *lower,
                                double *upper)
{
    double cx, cy;
    width_bounds_at(es, buf, sampled, lower, upper, &cx, &cy);
}

/* Bounds on the largest width from a triangulation (branch and bound): the
 * centre of any circle inside lies in a triangle of its part's shell
 * (ccn_earclip's triangles cover the shell whatever the rounding: the ring is
 * the sum of their boundaries), and there its distance to an edge is at
 * most the plane through the edge's distances at the triangle's corners
 * (the distance to a segment is convex). So no circle centred in the
 * triangle is wider than twice the highest point of the lowest of a few
 * such planes; where the distances are linear over the triangle (it lies
 * across a thin strip, within both sides' reach) that is the exact width
 * there, and that highest point, when inside, is the centre of a circle
 * found (a lower bound). The triangle with the highest bound is halved,
 * and again, until the bounds settle the question asked or there is no
 * room; triangles whose bound is under a circle found are dropped. No
 * bound when a shell is too large or not clipped. */
enum { TRI_PLANES = 3, TRI_START = 96, TRI_MAX = 192 };

typedef struct {
    double v[6];              /* corners */
    double d[TRI_PLANES][3];  /* distances of its edges at the corners */
    size_t e[TRI_PLANES];     /* those edges */
    int n;                    /* edges kept (the nearest; fewer only raise the bound) */
    double u;                 /* the bound on the distance to the boundary inside */
    double l[3];              /* where it is reached (barycentric) */
} tri_cell;

/* The largest over the triangle of min_k of the plane through d[k][0..2]
 * at its corners: at a corner, where two planes meet on a side, or where
 * three meet inside (barycentric coordinates); where, in at[3]. */
static double tri_planes_max(const double (*d)[3], int n, double at[3])
{
    double best = -INFINITY;
#define TRI_TRY(l0, l1, l2)                                                                      \
    do {                                                                                         \
        double t_ = INFINITY; /* stops once it cannot be the highest */                        \
        for (int k_ = 0; k_ < n && t_ > best; k_++) {                                            \
            double v_ = d[k_][0] * (l0) + d[k_][1] * (l1) + d[k_][2] * (l2);                     \
            t_ = v_ < t_ ? v_ : t_;                                                              \
        }                                                                                        \
        if (t_ > best)                                                                           \
            best = t_, at[0] = (l0), at[1] = (l1), at[2] = (l2);                                 \
    } while (0)
    TRI_TRY(1, 0, 0);
    TRI_TRY(0, 1, 0);
    TRI_TRY(0, 0, 1);
    for (int a = 0; a < n; a++)
        for (int b = a + 1; b < n; b++) {
            for (int i = 0; i < 3; i++) { /* side from corner i to corner j */
                int j = (i + 1) % 3;
                double p = d[a][i] - d[b][i], q = d[a][j] - d[b][j];
                if ((p > 0) == (q > 0) || p == q)
                    continue;
                double t = q / (q - p), l[3] = {0, 0, 0}; /* weight of corner i */
                l[i] = t, l[j] = 1 - t;
                TRI_TRY(l[0], l[1], l[2]);
            }
            for (int c = b + 1; c < n; c++) {
                /* l0 + l1 + l2 = 1, planes a = b and a = c */
                double m[3][3] = {{1, 1, 1},
                                  {d[a][0] - d[b][0], d[a][1] - d[b][1], d[a][2] - d[b][2]},
                                  {d[a][0] - d[c][0], d[a][1] - d[c][1], d[a][2] - d[c][2]}};
                double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                             m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                             m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
                if (det == 0)
                    continue;
                double l0 = (m[1][1] * m[2][2] - m[1][2] * m[2][1]) / det;
                double l1 = -(m[1][0] * m[2][2] - m[1][2] * m[2][0]) / det;
                double l2 = (m[1][0] * m[2][1] - m[1][1] * m[2][0]) / det;
                if (l0 >= 0 && l1 >= 0 && l2 >= 0)
                    TRI_TRY(l0, l1, l2);
            }
        }
#undef TRI_TRY
    return best;
}

typedef struct {
    tri_cell cell[TRI_MAX];
    size_t n;  /* cells; 0 when not triangulated (then no bound) */
    double lo; /* the radius of a circle found inside (0: none yet) ... */
    double lx, ly; /* ... and its centre (NAN: the caller's, not one of the cells') */
} tri_set;

/* Cell t's bound, and the circle at its highest point when that is wider
 * than any found and inside. */
static void tri_eval(const ccn_edges *es, tri_set *ts, tri_cell *t)
{
    t->u = t->n ? tri_planes_max((const double(*)[3])t->d, t->n, t->l) : INFINITY;
    if (!(t->n && t->u > ts->lo))
        return;
    double x = t->l[0] * t->v[0] + t->l[1] * t->v[2] + t->l[2] * t->v[4];
    double y = t->l[0] * t->v[1] + t->l[1] * t->v[3] + t->l[2] * t->v[5];
    double r = ccn_edges_distance(es, x, y);
    if (r > ts->lo && edges_contain_any(es, x, y))
        ts->lo = r, ts->lx = x, ts->ly = y;
}

/* The edges of tri_cell t: the TRI_PLANES nearest its corners; then its
 * bound. */
static void tri_bound(const ccn_edges *es, tri_set *ts, tri_cell *t)
{
    double key[TRI_PLANES];
    t->n = 0;
    for (size_t j = 0; j < es->n; j++) {
        double nx, ny, dj[3];
        for (int i = 0; i < 3; i++)
            dj[i] = sqrt(edge_dist2(es->e + 4 * j, t->v[2 * i], t->v[2 * i + 1], &nx, &ny));
        double s = dj[0] + dj[1] + dj[2];
        if (t->n == TRI_PLANES && s >= key[t->n - 1])
            continue;
        int k = t->n < TRI_PLANES ? t->n++ : TRI_PLANES - 1;
        for (; k > 0 && key[k - 1] > s; k--)
            key[k] = key[k - 1], t->e[k] = t->e[k - 1], memcpy(t->d[k], t->d[k - 1], sizeof t->d[k]);
        key[k] = s, t->e[k] = j, memcpy(t->d[k], dj, sizeof dj);
    }
    tri_eval(es, ts, t);
}

/* Triangulate the parts' shells (at most TRI_START triangles); lo: the
 * radius of a circle already found inside. */
static void tri_start(const ccn_edges *es, tri_set *ts, double lo)
{
    double ring[2 * CCN_EARCLIP_MAX];
    uint32_t tri[3 * CCN_EARCLIP_MAX];
    ts->n = 0;
    ts->lo = lo;
    ts->lx = ts->ly = NAN;
    for (size_t b = 0, e; b < es->n; b = e) {
        for (e = b + 1; e < es->n && es->part[e] == es->part[b];)
            e++;
        uint32_t m = 0; /* the part's shell: its first ring */
        for (size_t i = b; i < e && es->ring[i] == es->ring[b]; i++, m++) {
            if (m == CCN_EARCLIP_MAX)
                goto fail;
            ring[2 * m] = es->e[4 * i], ring[2 * m + 1] = es->e[4 * i + 1];
        }
        if (m < 3)
            goto fail;
        if (ccn_earclip_signed_area(ring, m) < 0)
            ccn_earclip_reverse(ring, m);
        uint32_t nt = ccn_earclip(ring, m, tri);
        if (nt == 0 || ts->n + nt > TRI_START)
            goto fail;
        for (uint32_t k = 0; k < nt; k++, ts->n++) {
            tri_cell *c = &ts->cell[ts->n];
            for (int i = 0; i < 3; i++)
                memcpy(c->v + 2 * i, ring + 2 * tri[3 * k + i], 2 * sizeof *ring);
            tri_bound(es, ts, c);
        }
    }
    return;
fail:
    ts->n = 0;
}

/* The TRI_PLANES of the nc candidate edges (their distances at the
 * cell's corners in d) with the least sum, into t; then its bound. */
static void tri_pick(const ccn_edges *es, tri_set *ts, tri_cell *t, const size_t *cand,
                     const double (*d)[3], int nc)
{
    double key[TRI_PLANES];
    t->n = 0;
    for (int c = 0; c < nc; c++) {
        double sum = d[c][0] + d[c][1] + d[c][2];
        if (t->n == TRI_PLANES && sum >= key[t->n - 1])
            continue;
        int k = t->n < TRI_PLANES ? t->n++ : TRI_PLANES - 1;
        for (; k > 0 && key[k - 1] > sum; k--)
            key[k] = key[k - 1], t->e[k] = t->e[k - 1], memcpy(t->d[k], t->d[k - 1], sizeof t->d[k]);
        key[k] = sum, t->e[k] = cand[c], memcpy(t->d[k], d[c], sizeof d[c]);
    }
    tri_eval(es, ts, t);
}

/* Halve cell w across its longest side. Each half takes, of its parent's
 * edges and those nearest the side's middle, the nearest its own corners
 * (the parent's alone may be far from a half, and its bound would not come
 * down). The other half goes last. */
static void tri_split(const ccn_edges *es, tri_set *ts, size_t w)
{
    tri_cell *cell = ts->cell, par = cell[w];
    int i = 0; /* the longest side, from corner i to corner j */
    double l = -1;
    for (int a = 0; a < 3; a++) {
        const double *p = par.v + 2 * a, *q = par.v + 2 * ((a + 1) % 3);
        double la = (q[0] - p[0]) * (q[0] - p[0]) + (q[1] - p[1]) * (q[1] - p[1]);
        if (la > l)
            l = la, i = a;
    }
    int j = (i + 1) % 3;
    double mx = (par.v[2 * i] + par.v[2 * j]) / 2, my = (par.v[2 * i + 1] + par.v[2 * j + 1]) / 2;
    /* the edges nearest the middle */
    size_t near[TRI_PLANES];
    double near2[TRI_PLANES], nx, ny;
    int nn = 0;
    for (size_t e = 0; e < es->n; e++) {
        double d2 = edge_dist2(es->e + 4 * e, mx, my, &nx, &ny);
        if (nn == TRI_PLANES && d2 >= near2[nn - 1])
            continue;
        int k = nn < TRI_PLANES ? nn++ : TRI_PLANES - 1;
        for (; k > 0 && near2[k - 1] > d2; k--)
            near2[k] = near2[k - 1], near[k] = near[k - 1];
        near2[k] = d2, near[k] = e;
    }
    /* candidates: the parent's edges, then those; distances at the
     * parent's corners and the middle */
    size_t cand[2 * TRI_PLANES];
    double dc[2 * TRI_PLANES][4];
    int nc = 0;
    for (int q = 0; q < par.n; q++, nc++) {
        cand[nc] = par.e[q];
        memcpy(dc[nc], par.d[q], sizeof par.d[q]);
        dc[nc][3] = sqrt(edge_dist2(es->e + 4 * par.e[q], mx, my, &nx, &ny));
    }
    for (int k = 0; k < nn; k++) {
        bool known = false;
        for (int q = 0; q < par.n && !known; q++)
            known = par.e[q] == near[k];
        if (known)
            continue;
        cand[nc] = near[k];
        for (int c = 0; c < 3; c++)
            dc[nc][c] = sqrt(edge_dist2(es->e + 4 * near[k], par.v[2 * c], par.v[2 * c + 1], &nx, &ny));
        dc[nc++][3] = sqrt(near2[k]);
    }
    double da[2 * TRI_PLANES][3], db[2 * TRI_PLANES][3];
    for (int c = 0; c < nc; c++) {
        memcpy(da[c], dc[c], sizeof da[c]);
        memcpy(db[c], dc[c], sizeof db[c]);
        da[c][j] = dc[c][3]; /* i, mid, the third */
        db[c][i] = dc[c][3]; /* mid, j, the third */
    }
    tri_cell *t = &cell[ts->n++];
    memcpy(t->v, par.v, sizeof t->v);
    cell[w].v[2 * j] = mx, cell[w].v[2 * j + 1] = my;
    t->v[2 * i] = mx, t->v[2 * i + 1] = my;
    tri_pick(es, ts, &cell[w], cand, (const double(*)[3])da, nc);
    tri_pick(es, ts, t, cand, (const double(*)[3])db, nc);
}

/* The upper bound (a diameter) once the cells are split while it is above
 * goal and there is room; INFINITY when not triangulated. */
static double tri_upper_to(const ccn_edges *es, tri_set *ts, double goal)
{
    if (ts->n == 0)
        return INFINITY;
    for (;;) {
        size_t w = 0;
        for (size_t k = 1; k < ts->n; k++)
            if (ts->cell[k].u > ts->cell[w].u)
                w = k;
        if (2 * ts->cell[w].u <= goal || ts->n == TRI_MAX)
            return 2 * ts->cell[w].u + 1e-9; /* + rounding, as chord_bound */
        tri_split(es, ts, w);
    }
}

/* Does the largest width lie under below (1), or above above (0)? The
 * cells are split, those under the circle found dropped, until the bounds
 * say, they show neither can be, or there is no room (-1). A width within
 * rounding of below or above is never settled by the bounds: the splits
 * are counted, and GEOS decides after TRI_SPLITS (the cells dropped as fast
 * as they were made, it went on for minutes). */
enum { TRI_SPLITS = 4 * TRI_MAX };

static int tri_decide(const ccn_edges *es, tri_set *ts, double below, double above)
{
    if (ts->n == 0)
        return -1;
    for (int splits = 0;; splits++) {
        if (2 * ts->lo > above)
            return 0;
        size_t w = 0, kept = 0;
        for (size_t k = 0; k < ts->n; k++) {
            if (!(ts->cell[k].u > ts->lo)) /* no wider circle centred there */
                continue;
            if (kept != k)
                ts->cell[kept] = ts->cell[k];
            if (ts->cell[kept].u > ts->cell[w].u || kept == 0)
                w = kept;
            kept++;
        }
        if (kept == 0) { /* the circle found is the widest: keep one cell */
            ts->cell[0].u = ts->lo;
            ts->n = 1;
            return 2 * ts->lo + 1e-9 < below ? 1 : -1; /* nothing narrower to find */
        }
        ts->n = kept;
        double up = 2 * ts->cell[w].u + 1e-9; /* + rounding, as chord_bound */
        if (up < below)
            return 1;
        if (up <= above && 2 * ts->lo >= below)
            return -1;
        if (ts->n == TRI_MAX || splits == TRI_SPLITS)
            return -1;
        tri_split(es, ts, w);
    }
}

static const GEOSGeometry *lazy_get(ccn_ctx *ctx, ccn_width_piece *lg)
{
    if (!lg->g && lg->make)
        lg->g = lg->made = lg->make(ctx, lg->user);
    return lg->g;
}

/* Is the erosion of the piece by d / 2 empty? From the bounds when they
 * decide it: a circle wider than d inside (lower > d) leaves its centre,
 * and no circle as wide as d (upper < d) leaves nothing. Else GEOS's
 * buffer. -1 on failure. */
static int eroded_empty(ccn_ctx *ctx, ccn_width_piece *lg, double d, double lower, double upper)
{
    if (lower > d)
        return 0;
    if (upper < d)
        return 1;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    const GEOSGeometry *g = lazy_get(ctx, lg);
    GEOSGeometry *core = g ? GEOSBuffer_r(h, g, -d / 2, 8) : NULL;
    if (!core)
        return -1;
    int empty = GEOSisEmpty_r(h, core) == 1;
    GEOSGeom_destroy_r(h, core);
    return empty;
}

/* GEOS's erosion differs from the exact one by its arcs drawn as chords
 * (within 0.5 % of d) and by the input it simplifies first (by 1 % of d):
 * a circle found inside this much wider than d settles an erosion by d as
 * GEOS would. */
#define CLIMB_MARGIN 0.02
/* An exact erosion the bounds leave undecided, with the largest width known
 * to this fraction of d, is settled by the nearer bound: either answer is
 * within a width step's rounding (ccn_width_test's steps are 1/16). */
#define EXACT_SLACK 0.01

/* What more ccn_width_test knows of a piece than width_bounds: sampled_best's
 * circle (c: a climb not taken) and the triangles, begun when first needed
 * and taken further as the thresholds ask. */
typedef struct {
    const ccn_edges *es;
    double cx, cy;  /* sampled_best's centre */
    bool climbing, triangulated;
    climb c;
    tri_set t;
} width_more;

/* eroded_empty, settled also by a circle found inside wider than d by the
 * margin, or by the triangles' bounds: their upper bound under it or their
 * circle over it. exact: no margin, and no GEOS when the bounds cannot
 * settle it (the width is then within their rounding of d, and either
 * answer is right to the precision asked): for the steps that measure a
 * thin piece's width, which GEOS's chords would only blur. */
static int erosion_empty(ccn_ctx *ctx, width_more *wm, ccn_width_piece *lg, double d, double lower,
                         double upper, bool exact)
{
    const ccn_edges *es = wm->es;
    double margin = exact ? 0 : CLIMB_MARGIN;
    double below = d * (1 - margin), above = d * (1 + margin);
    if (es && lower <= d && upper >= d) {
        /* sampled_best's circle, not climbed: the triangles find wider
         * ones for less than the climb costs */
        if (!wm->climbing)
            climb_start(es, &wm->c, wm->cx, wm->cy), wm->climbing = true;
        if (2 * wm->c.f > above)
            return 0;
        /* the triangles' bound cannot come under a circle found, nor
         * their circle over the chords' bound */
        bool may_under = 2 * wm->c.f < below, may_over = upper > above;
        if (may_under || may_over) {
            if (!wm->triangulated)
                tri_start(es, &wm->t, wm->c.f), wm->triangulated = true;
            int settled = tri_decide(es, &wm->t, may_under ? below : -INFINITY,
                                     may_over ? above : INFINITY);
            if (settled >= 0)
                return settled;
        }
        if (exact) { /* the nearer bound says */
            double lo = fmax(lower, fmax(2 * wm->c.f, wm->triangulated ? 2 * wm->t.lo : 0));
            double tri_up = wm->triangulated && wm->t.n ? 0 : INFINITY;
            for (size_t k = 0; wm->triangulated && k < wm->t.n; k++)
                tri_up = fmax(tri_up, 2 * wm->t.cell[k].u);
            double up = fmin(upper, tri_up);
            if (up - lo <= d * EXACT_SLACK)
                return d - lo > up - d;
        }
    }
    return eroded_empty(ctx, lg, d, lower, upper);
}

/* Half the perimeter of the edge set, ring by ring and part by part (the
 * order GEOSLength adds them in). */
static double edges_half_perimeter(const ccn_edges *es)
{
    double total = 0, part = 0, ring = 0;
    for (size_t i = 0; i < es->n; i++) {
        const double *e = es->e + 4 * i;
        double dx = e[2] - e[0], dy = e[3] - e[1];
        ring += sqrt(dx * dx + dy * dy);
        if (i + 1 == es->n || es->ring[i + 1] != es->ring[i]) {
            part += ring, ring = 0;
            if (i + 1 == es->n || es->part[i + 1] != es->part[i])
                total += part, part = 0;
        }
    }
    return total / 2;
}

/* The centre of the widest circle the test found (sampled_best's is in lg
 * already, its diameter `sampled`): a climb's or the triangles', if wider. */
static void widest_centre(const width_more *wm, double sampled, ccn_width_piece *lg)
{
    double best = isnan(lg->x) ? 0 : sampled;
    if (wm->climbing && 2 * wm->c.f > best && isfinite(wm->c.x))
        best = 2 * wm->c.f, lg->x = wm->c.x, lg->y = wm->c.y;
    if (wm->triangulated && 2 * wm->t.lo > best && !isnan(wm->t.lx))
        lg->x = wm->t.lx, lg->y = wm->t.ly;
}

enum { THIN_STACK_EDGES = 64 }; /* 99.9 % of the pieces of noisy parcels */

/* The width test on a piece's edges (es: NULL when too many to sample),
 * its geometry made only when needed. *length from the edges when given. */
ccn_status ccn_width_test(ccn_ctx *ctx, const ccn_edges *es, ccn_width_piece *lg, double tol,
                          bool *thin, double *width, double *length)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    *thin = false;
    *width = *length = NAN;
    lg->x = lg->y = NAN;
    /* Bounds from the coordinates settle most pieces without GEOS: a circle
     * wider than tol found inside (most real gaps and overlaps), or no chord
     * across as wide (most thin ones). */
    double sampled = 0, lower = 0, upper = INFINITY, centre[2] = {NAN, NAN};
    if (es) {
        lower = sampled = sampled_best(es, tol, &centre[0], &centre[1]);
        lg->x = centre[0], lg->y = centre[1];
        if (sampled > tol) /* not thin: the chords would only raise lower */
            return CCN_OK;
        /* chord_bound's room: on the stack for the usual few edges */
        double room[6 * THIN_STACK_EDGES + 1];
        double *buf = es->n <= THIN_STACK_EDGES ? room : malloc((6 * es->n + 1) * sizeof *buf);
        if (!buf)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        chord_bounds(es, buf, &lower, &upper);
        if (buf != room)
            free(buf);
    }
    width_more more; /* 36 kB: its triangles */
    more.es = es, more.cx = centre[0], more.cy = centre[1];
    more.climbing = more.triangulated = false;
    int empty = erosion_empty(ctx, &more, lg, tol, lower, upper, false);
    if (empty < 0)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS buffer failed: %s", ccn_ctx_geos_message(ctx));
    if (!(*thin = empty)) {
        widest_centre(&more, sampled, lg);
        return CCN_OK;
    }
    if (es) {
        *length = edges_half_perimeter(es);
    } else {
        double perim = 0;
        const GEOSGeometry *g = lazy_get(ctx, lg);
        if (!g)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(ctx));
        GEOSLength_r(h, g, &perim);
        *length = perim / 2;
    }
    /* Its largest width (inscribed diameter) lies in [lower, tol): halve
     * that interval by eroding again, to tol / 16 (3 mm at 5 cm) or 5 mm,
     * the finer (a tolerance of metres must not give widths to a third of a
     * metre), each step settled by the bounds when they can. GEOS's
     * MaximumInscribedCircle walks a grid of cells along the whole sliver
     * and costs a hundred times more. */
    double lo = sampled, hi = tol, step = fmin(tol / 16, 0.005);
    while (hi - lo > step) {
        double mid = (lo + hi) / 2;
        if ((empty = erosion_empty(ctx, &more, lg, mid, lower, upper, true)) < 0)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "GEOS buffer failed: %s",
                             ccn_ctx_geos_message(ctx));
        if (empty)
            hi = mid;
        else
            lo = mid;
    }
    *width = (lo + hi) / 2;
    widest_centre(&more, sampled, lg);
    return CCN_OK;
}

ccn_status ccn_width_thin(ccn_ctx *ctx, const GEOSGeometry *g, double tol, bool *thin,
                          double *width, double *length)
{
    ccn_edges es;
    bool sampled = ccn_edges_of(ccn_ctx_geos(ctx), g, &es);
    ccn_width_piece lg = {g, NULL, NULL, NULL};
    ccn_status st = ccn_width_test(ctx, sampled ? &es : NULL, &lg, tol, thin, width, length);
    ccn_edges_free(&es);
    return st;
}

ccn_status ccn_width_bounds(ccn_ctx *ctx, const GEOSGeometry *g, double *lower,
                            double *upper)
{
    ccn_edges es;
    *lower = 0, *upper = INFINITY;
    if (!ccn_edges_of(ccn_ctx_geos(ctx), g, &es)) {
        ccn_edges_free(&es);
        return CCN_OK;
    }
    double *buf = malloc((6 * es.n + 1) * sizeof *buf), sampled, cx, cy;
    width_more *more = malloc(sizeof *more);
    if (!buf || !more) {
        free(buf), free(more), ccn_edges_free(&es);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    width_bounds_at(&es, buf, &sampled, lower, upper, &cx, &cy);
    climb_start(&es, &more->c, cx, cy);
    climb_to(&es, &more->c, INFINITY);
    *lower = fmax(*lower, 2 * more->c.f);
    tri_start(&es, &more->t, more->c.f);
    *upper = fmin(*upper, tri_upper_to(&es, &more->t, 0));
    *lower = fmax(*lower, 2 * more->t.lo);
    free(buf), free(more), ccn_edges_free(&es);
    return CCN_OK;
}
