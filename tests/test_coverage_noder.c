/* The noder of the union's boundary (coverage_noder) on segments that cross
 * where rounding matters, at VN-2000 coordinates (E 5.8e5, N 2.2e6), where a
 * coordinate's last unit is 1.2e-10 to 4.7e-10 m: several lines through
 * nearly one point (each within 0 to 1e-6 m of it); lines at angles of 1e-9
 * to 1e-3 radians to each other, short ones beside long ones; lines leaving
 * one point at angles about the noder's 1e-6, crossed near it; lines side
 * by side about 1e-6 m apart; and the first family again at Web Mercator's
 * E 1.17e7 m (last unit 1.9e-9 m). The noded graph is checked with GEOS's exact
 * orientation, not with the noder's own: no two edges may cross, touch or
 * overlap but at shared endpoints, every input endpoint must be a vertex,
 * and the edges must have the input's length (where the noder did not hand
 * the tile to GEOS). A crossing point rounded to doubles lands off both
 * lines; where it lands across a third line, or folds a part back, the
 * noder has to notice and hand the tile to GEOS. */
#include "check.h"

#include "coverage_noder.h"
#include "ctx.h"

#include <geos_c.h>
#include <stdint.h>
#include <stdlib.h>

static GEOSContextHandle_t h;

static uint64_t rng_state;
static double uniform(void) { return check_uniform(&rng_state); }

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
    size_t cases, edges, bad, by_geos;
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
    t->by_geos += g.geos_tiles > 0;
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
    /* The input's length, to rounding of the nodes; not where GEOS noded
     * (its union dissolves lines it snaps together). */
    if (g.geos_tiles == 0 && fabs(got - want) > 1e-6 * want)
        bad++;
    if (bad && t->bad < 5)
        fprintf(stderr, "%s: %zu pieces, %zu edges: %zu faults (GEOS tiles %zu)\n", family, n, g.ne, bad, g.geos_tiles);
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

/* Pieces leaving one point at angles 1.2e-6 to 1e-3 radians apart (a
 * pair each side of the noder's 1e-6 test for pieces that only share an
 * end), crossed by others 1e-11 to 1e-3 m from that point. */
static size_t fan(seg *out, int k, double cx, double cy)
{
    double a = uniform() * 2 * M_PI;
    int m = 0;
    for (int i = 0; i < k; i++) {
        double len = 0.001 + 20 * uniform();
        out[m++] = piece(cx, cy, cx + len * cos(a), cy + len * sin(a));
        a += pow(10, -5.92 + 2.92 * uniform());
    }
    for (int i = 0; i < 1 + (int)(uniform() * 3); i++) {
        double d = pow(10, -11 + 8 * uniform()), b = uniform() * 2 * M_PI, c = uniform() * M_PI;
        double px = cx + d * cos(b), py = cy + d * sin(b), l1 = 0.01 * uniform() + 1e-6,
               l2 = 10 * uniform() + 1e-6;
        out[m++] = piece(px - l1 * cos(c), py - l1 * sin(c), px + l2 * cos(c), py + l2 * sin(c));
    }
    return (size_t)m;
}

/* Pieces side by side, 1e-6 m apart give or take a tenth (the noder's
 * distance for pieces it counts apart), crossed by others. */
static size_t beside(seg *out, int k, double cx, double cy)
{
    double a = uniform() * M_PI, ux = cos(a), uy = sin(a), len = 0.1 + 50 * uniform();
    int m = 0;
    for (int i = 0; i < k; i++) {
        double off = i * 1e-6 * (0.9 + 0.2 * uniform()), s0 = len * uniform() * 0.2;
        out[m++] = piece(cx - off * uy + s0 * ux, cy + off * ux + s0 * uy,
                         cx - off * uy + len * ux, cy + off * ux + len * uy);
    }
    for (int i = 0; i < 2; i++) {
        double at = len * uniform(), c = a + 0.5 + 2 * uniform(), r = 0.5 * uniform() + 1e-3;
        double px = cx + at * ux, py = cy + at * uy;
        out[m++] = piece(px - r * cos(c), py - r * sin(c), px + r * cos(c), py + r * sin(c));
    }
    return (size_t)m;
}

int main(int argc, char **argv)
{
    ccn_ctx *ctx = ccn_ctx_new();
    h = ccn_ctx_geos(ctx);
    unsigned cases = argc > 1 ? (unsigned)atoi(argv[1]) : 1500;
    static const double near[] = {0, 1e-12, 1e-10, 3e-10, 1e-9, 1e-8, 1e-7, 1e-6};
    tally tc = {0}, tf = {0}, tn = {0}, tb = {0};
    seg in[16];
    /* Three pieces, two from one point (found by a reviewer): checking
     * only the pieces that come near but do not share an end let a
     * crossing through (1 fault). */
    const seg joined[] = {piece(580181.20034680783, 2192096.0783790932, 580181.203311636, 2192096.0776280174),
                          piece(580181.20034680783, 2192096.0783790932, 580193.68320255983, 2192092.9140340658),
                          piece(580181.19943247281, 2192096.0786106163, 580181.23974440596, 2192096.0684030415)};
    tally tj = {0};
    node_and_check(ctx, joined, 3, &tj, "joined");
    CHECK(tj.cases == 1 && tj.bad == 0);
    for (unsigned c = 1; c <= cases; c++) {
        rng_state = 0x9E3779B97F4A7C15ull * c + 1;
        double cx = 580000 + 10000 * uniform(), cy = 2190000 + 10000 * uniform();
        size_t n = concurrent(in, 3 + (int)(uniform() * 5), cx, cy, near[c % 8]);
        node_and_check(ctx, in, n, &tc, "concurrent");
        n = turned(in, 2 + (int)(uniform() * 4), cx, cy);
        node_and_check(ctx, in, n, &tf, "flat");
        n = fan(in, 2 + (int)(uniform() * 4), cx, cy);
        node_and_check(ctx, in, n, &tn, "fan");
        n = beside(in, 2 + (int)(uniform() * 3), cx, cy);
        node_and_check(ctx, in, n, &tb, "beside");
    }
    /* The same near-concurrent lines in Web Mercator's range (E 1.17e7 m),
     * where a coordinate's last unit is 1.9e-9 m. */
    tally tw = {0};
    for (unsigned c = 1; c <= cases / 5; c++) {
        rng_state = 0xD1B54A32D192ED03ull * c + 7;
        size_t n = concurrent(in, 3 + (int)(uniform() * 5), 11700000 + 1e4 * uniform(),
                              2200000 + 1e4 * uniform(), near[c % 8]);
        node_and_check(ctx, in, n, &tw, "mercator");
    }
    printf("mercator: %zu cases, %zu edges, %zu faults, %zu handed to GEOS\n", tw.cases, tw.edges,
           tw.bad, tw.by_geos);
    CHECK(tw.cases == cases / 5 && tw.bad == 0 && tw.by_geos < tw.cases * 3 / 4);
    const tally *all[] = {&tc, &tf, &tn, &tb};
    const char *name[] = {"concurrent", "flat", "fan", "beside"};
    for (int f = 0; f < 4; f++) {
        printf("%s: %zu cases, %zu edges, %zu faults, %zu handed to GEOS\n", name[f],
               all[f]->cases, all[f]->edges, all[f]->bad, all[f]->by_geos);
        CHECK(all[f]->cases == cases);
        CHECK(all[f]->bad == 0);
        /* the in-house noder took a good share (GEOS takes collinear
         * overlaps, crossings too flat to place, and rounded crossings that
         * land too near a third line: a third to a half of the families
         * made for it) */
        CHECK(all[f]->by_geos < all[f]->cases * 3 / 4);
    }
    CHECK(tc.edges > 4 * (size_t)cases); /* the lines were cut where they cross */
    ccn_ctx_free(ctx);
    return check_summary();
}
