/* The noder of the union's boundary (coverage_noder) on segments that cross
 * where rounding matters: several lines through nearly one point (each
 * within 0 to 1e-6 m of it), lines at angles of 1e-9 to 1e-3 radians to
 * each other, short segments beside long ones, all at VN-2000 coordinates
 * (E 5.8e5, N 2.2e6) where a coordinate's last unit is 1.2e-10 to 4.7e-10 m.
 * The noded graph is checked with GEOS's exact orientation, not with the
 * noder's own: no two edges may cross, touch or overlap but at shared
 * endpoints, every input endpoint must be a vertex and the edges must have
 * the input's length. A crossing point rounded to doubles lands off both
 * lines; where it lands across a third line, or folds a part back, the
 * noder has to notice (and hand the tile to GEOS). */
#include "check.h"

#include "coverage_noder.h"
#include "ctx.h"

#include <geos_c.h>
#include <stdint.h>
#include <stdlib.h>

static GEOSContextHandle_t h;

static uint64_t rng_state;
static double uniform(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

/* The segment from (ax, ay) to (bx, by) as a piece: endpoints in
 * lexicographic order. */
static seg piece(double ax, double ay, double bx, double by)
{
    if (ax > bx || (ax == bx && ay > by)) {
        double tx = ax, ty = ay;
        ax = bx, ay = by, bx = tx, by = ty;
    }
    return (seg){ax, ay, bx, by, 1, 0, NO_POLY};
}

static int orient(const double *p, const double *q, const double *r)
{
    return GEOSOrientationIndex_r(h, p[0], p[1], q[0], q[1], r[0], r[1]);
}

static bool same(const double *p, const double *q) { return p[0] == q[0] && p[1] == q[1]; }

/* Is r on segment p-q, strictly between its ends (exactly)? */
static bool strictly_inside(const double *p, const double *q, const double *r)
{
    if (same(r, p) || same(r, q) || orient(p, q, r) != 0)
        return false;
    return fmin(p[0], q[0]) <= r[0] && r[0] <= fmax(p[0], q[0]) && fmin(p[1], q[1]) <= r[1] &&
           r[1] <= fmax(p[1], q[1]);
}

/* Do edges p-q and r-s meet anywhere but at a shared endpoint? */
static bool edges_meet_badly(const double *p, const double *q, const double *r, const double *s)
{
    if (fmin(p[0], q[0]) > fmax(r[0], s[0]) || fmin(r[0], s[0]) > fmax(p[0], q[0]) ||
        fmin(p[1], q[1]) > fmax(r[1], s[1]) || fmin(r[1], s[1]) > fmax(p[1], q[1]))
        return false;
    if (strictly_inside(p, q, r) || strictly_inside(p, q, s) || strictly_inside(r, s, p) ||
        strictly_inside(r, s, q))
        return true;
    if ((same(p, r) && same(q, s)) || (same(p, s) && same(q, r)))
        return true; /* the same edge twice */
    int o1 = orient(p, q, r), o2 = orient(p, q, s), o3 = orient(r, s, p), o4 = orient(r, s, q);
    return o1 * o2 < 0 && o3 * o4 < 0;
}

typedef struct {
    size_t cases, edges, bad;
} tally;

/* Node the pieces and check the graph. */
static void node_and_check(ccn_ctx *ctx, const seg *in, size_t n, tally *t, const char *family)
{
    seg *kept = malloc(n * sizeof *kept);
    memcpy(kept, in, n * sizeof *kept);
    double want = 0;
    for (size_t k = 0; k < n; k++)
        want += hypot(in[k].x2 - in[k].x1, in[k].y2 - in[k].y1);
    graph g;
    ccn_status st = ccn_coverage_boundary_graph(ctx, kept, n, &g); /* takes kept */
    CHECK(st == CCN_OK);
    if (st)
        return;
    t->cases++;
    t->edges += g.ne;
    size_t bad = 0;
    double got = 0;
    for (size_t e = 0; e < g.ne; e++) {
        const double *p = g.vxy + 2 * g.eu[e], *q = g.vxy + 2 * g.ev[e];
        got += hypot(q[0] - p[0], q[1] - p[1]);
        for (size_t f = e + 1; f < g.ne; f++)
            if (edges_meet_badly(p, q, g.vxy + 2 * g.eu[f], g.vxy + 2 * g.ev[f]))
                bad++;
    }
    for (size_t k = 0; k < n; k++) /* every input endpoint is a vertex */
        for (int end = 0; end < 2; end++) {
            double v[2] = {end ? in[k].x2 : in[k].x1, end ? in[k].y2 : in[k].y1};
            bool found = false;
            for (size_t u = 0; u < g.nv && !found; u++)
                found = same(g.vxy + 2 * u, v);
            bad += !found;
        }
    if (fabs(got - want) > 1e-6 * want) /* the input's length, to rounding of the nodes */
        bad++;
    if (bad && t->bad < 5)
        fprintf(stderr, "%s: %zu pieces, %zu edges: %zu faults\n", family, n, g.ne, bad);
    t->bad += bad;
    ccn_coverage_graph_free(&g);
}

/* k segments through points within d of (cx, cy), at random angles. */
static size_t concurrent(seg *out, int k, double cx, double cy, double d)
{
    for (int i = 0; i < k; i++) {
        double a = uniform() * M_PI, r = d * uniform(), b = uniform() * 2 * M_PI;
        double px = cx + r * cos(b), py = cy + r * sin(b);
        double l1 = 0.01 + 100 * uniform(), l2 = 0.01 + 100 * uniform();
        out[i] = piece(px - l1 * cos(a), py - l1 * sin(a), px + l2 * cos(a), py + l2 * sin(a));
    }
    return (size_t)k;
}

/* A segment and others turned from it by tiny angles about points on it,
 * some short, some beyond its ends. */
static size_t turned(seg *out, int k, double cx, double cy)
{
    double a = uniform() * M_PI, len = 1 + 200 * uniform();
    out[0] = piece(cx, cy, cx + len * cos(a), cy + len * sin(a));
    for (int i = 1; i < k; i++) {
        double turn = pow(10, -9 + 6 * uniform()) * (uniform() < 0.5 ? -1 : 1);
        double at = len * (uniform() * 1.2 - 0.1), b = a + turn;
        double px = cx + at * cos(a), py = cy + at * sin(a);
        double l1 = len * uniform(), l2 = len * uniform();
        out[i] = piece(px - l1 * cos(b), py - l1 * sin(b), px + l2 * cos(b), py + l2 * sin(b));
    }
    return (size_t)k;
}

int main(int argc, char **argv)
{
    ccn_ctx *ctx = ccn_ctx_new();
    h = ccn_ctx_geos(ctx);
    unsigned cases = argc > 1 ? (unsigned)atoi(argv[1]) : 1500;
    static const double near[] = {0, 1e-12, 1e-10, 3e-10, 1e-9, 1e-8, 1e-7, 1e-6};
    tally tc = {0}, tf = {0};
    seg in[16];
    for (unsigned c = 1; c <= cases; c++) {
        rng_state = 0x9E3779B97F4A7C15ull * c + 1;
        double cx = 580000 + 10000 * uniform(), cy = 2190000 + 10000 * uniform();
        size_t n = concurrent(in, 3 + (int)(uniform() * 5), cx, cy, near[c % 8]);
        node_and_check(ctx, in, n, &tc, "concurrent");
        n = turned(in, 2 + (int)(uniform() * 4), cx, cy);
        node_and_check(ctx, in, n, &tf, "flat");
    }
    printf("concurrent: %zu cases, %zu edges, %zu faults; flat: %zu cases, %zu edges, %zu faults\n",
           tc.cases, tc.edges, tc.bad, tf.cases, tf.edges, tf.bad);
    CHECK(tc.cases == cases && tf.cases == cases);
    CHECK(tc.edges > 4 * (size_t)cases); /* the lines were cut where they cross */
    CHECK(tc.bad == 0);
    CHECK(tf.bad == 0);
    ccn_ctx_free(ctx);
    return check_summary();
}
