/* coverage gaps against the holes of GEOS's union, on a few hundred small
 * generated coverages digitised sloppily: every parcel with its own copy of
 * every vertex, 1-5 cm off, some parcels missing (holes inside, bays on the
 * outline), some corners moved decimetres. The reference is computed
 * without ccn: the holes of GEOSUnaryUnion, less any part of the union
 * inside them, grouped into networks (pieces touching at a point are one
 * network), each judged by GEOS's largest inscribed circle against the
 * same width tolerance and by the same area limits. A network wider than
 * the tolerance is one gap of its whole area; ccn must report exactly
 * those, area for area. */
#include "check.h"

#include "coverage.h"
#include "width.h"
#include "ctx.h"
#include "geom.h"

#include <stdint.h>
#include <stdlib.h>

static GEOSContextHandle_t h;

static uint64_t rng_state;
static double uniform(void) { return check_uniform(&rng_state); }

static double mm(double v) { return round(v * 1000) / 1000; }

enum { MAXN = 6, MAXPOLY = MAXN * MAXN + 4 };

typedef struct {
    double tol, floor_m2, max_m2;
} limits;

/* One network of uncovered pieces: its parts, area and largest width. */
typedef struct {
    GEOSGeometry *parts[64];
    int n;
    double area, width;
    bool matched;
} network;

static size_t find(size_t *parent, size_t v)
{
    while (parent[v] != v)
        v = parent[v] = parent[parent[v]];
    return v;
}

/* The reference: the uncovered pieces inside the union's holes, grouped
 * into networks by touching, with their areas and widths. */
static size_t reference(GEOSGeometry *const *g, size_t n, const limits *lim, network *net,
                        size_t cap)
{
    GEOSGeometry *copies[MAXPOLY];
    for (size_t i = 0; i < n; i++)
        copies[i] = GEOSGeom_clone_r(h, g[i]);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, copies, (unsigned)n);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    GEOSGeometry *pieces[256];
    /* The uncovered land inside each hole of each polygon of the union: the
     * hole less the union (the islands in it). Land enclosed by polygons
     * that touch only at points (three parcels touching pairwise at
     * corners, or a row reaching the outline that touches the rest at two
     * corners) is no hole: GEOS draws it as outside several polygons. */
    size_t np = 0;
    for (int k = 0; k < GEOSGetNumGeometries_r(h, u); k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, u, k);
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, part); r++) {
            GEOSGeometry *ring = GEOSGeom_clone_r(h, GEOSGetInteriorRingN_r(h, part, r));
            GEOSGeometry *hole = GEOSGeom_createPolygon_r(h, ring, NULL, 0);
            GEOSGeometry *out = GEOSDifference_r(h, hole, u);
            for (int q = 0; q < GEOSGetNumGeometries_r(h, out); q++) {
                const GEOSGeometry *piece = GEOSGetGeometryN_r(h, out, q);
                double a = 0;
                GEOSArea_r(h, piece, &a);
                if (a > 0 && GEOSGeomTypeId_r(h, piece) == GEOS_POLYGON && np < 256)
                    pieces[np++] = GEOSGeom_clone_r(h, piece);
            }
            GEOSGeom_destroy_r(h, out);
            GEOSGeom_destroy_r(h, hole);
        }
    }
    /* Pieces touching at a point are one network when one of them is at
     * most the noise floor (a network pinched at a corner is one gap); two
     * larger ones stay two, as two holes touching at a point are two. */
    double area[256];
    for (size_t k = 0; k < np; k++)
        GEOSArea_r(h, pieces[k], &area[k]);
    size_t parent[256];
    for (size_t k = 0; k < np; k++)
        parent[k] = k;
    for (size_t a = 0; a < np; a++)
        for (size_t b = a + 1; b < np; b++)
            if ((area[a] <= lim->floor_m2 || area[b] <= lim->floor_m2) &&
                GEOSIntersects_r(h, pieces[a], pieces[b]) == 1)
                parent[find(parent, a)] = find(parent, b);
    size_t nn = 0;
    for (size_t r = 0; r < np; r++) {
        if (find(parent, r) != r || nn == cap)
            continue;
        network *w = &net[nn++];
        *w = (network){.n = 0};
        for (size_t k = 0; k < np; k++) {
            if (find(parent, k) != r || w->n == 64)
                continue;
            double a = 0;
            GEOSArea_r(h, pieces[k], &a);
            w->area += a;
            w->parts[w->n++] = GEOSGeom_clone_r(h, pieces[k]);
        }
        /* The width only where it can matter (it is the slow part). */
        if (w->area > lim->floor_m2 - 1e-3 && w->area < lim->max_m2 + 1e-3)
            for (int k = 0; k < w->n; k++) {
                double radius = 0;
                GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(h, w->parts[k], 2e-4);
                GEOSLength_r(h, mic, &radius);
                GEOSGeom_destroy_r(h, mic);
                w->width = fmax(w->width, 2 * radius);
            }
    }
    for (size_t k = 0; k < np; k++)
        GEOSGeom_destroy_r(h, pieces[k]);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
    return nn;
}

static bool network_holds(const network *w, double x, double y)
{
    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
    bool in = false;
    for (int k = 0; k < w->n && !in; k++)
        in = GEOSIntersects_r(h, w->parts[k], pt) == 1;
    GEOSGeom_destroy_r(h, pt);
    return in;
}

/* A polygon from its ring's points (closed here). */
static GEOSGeometry *polygon(const double *x, const double *y, int m)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)m + 1, 2);
    for (int k = 0; k <= m; k++)
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, x[k % m], y[k % m]);
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

typedef struct {
    size_t cases, gaps, pinched, ambiguous, mismatched;
} tally;

/* Compare ccn's gaps with the reference networks; a network whose width or
 * area lies within a hair of a limit counts as ambiguous and is left out. */
static void compare(ccn_ctx *ctx, GEOSGeometry *const *g, size_t n, const limits *lim, tally *t,
                    unsigned seed)
{
    ccn_coverage_options o = {lim->floor_m2, lim->max_m2, 0.08, 0, 1e-7, lim->tol};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check(ctx, (const GEOSGeometry *const *)g, n, &o, &is, &nis) == CCN_OK);
    network net[128];
    size_t nn = reference(g, n, lim, net, 128);
    t->cases++;
    for (size_t k = 0; k < nis; k++) {
        if (is[k].kind != CCN_COVERAGE_GAP)
            continue;
        network *w = NULL;
        for (size_t q = 0; q < nn && !w; q++)
            if (network_holds(&net[q], is[k].x, is[k].y))
                w = &net[q];
        bool ambiguous = w && (fabs(w->width - lim->tol) < 1e-3 ||
                               fabs(w->area - lim->floor_m2) < 1e-6 ||
                               fabs(w->area - lim->max_m2) < 1e-6);
        if (w)
            w->matched = true;
        if (ambiguous) {
            t->ambiguous++;
            continue;
        }
        t->gaps++;
        t->pinched += w && w->n > 1;
        if (!w || fabs(w->area - is[k].area) > 1e-6 || w->width < lim->tol) {
            t->mismatched++;
            fprintf(stderr, "seed %u: ccn gap %.6f m² at %.3f %.3f; reference %s %.6f m² %.4f m\n",
                    seed, is[k].area, is[k].x, is[k].y, w ? "network" : "none", w ? w->area : 0,
                    w ? w->width : 0);
        }
    }
    for (size_t q = 0; q < nn; q++) {
        network *w = &net[q];
        bool gap = w->width > lim->tol && w->area > lim->floor_m2 && w->area < lim->max_m2;
        bool ambiguous = fabs(w->width - lim->tol) < 1e-3 ||
                         fabs(w->area - lim->floor_m2) < 1e-6 || fabs(w->area - lim->max_m2) < 1e-6;
        if (gap && !w->matched && !ambiguous) {
            t->gaps++;
            t->mismatched++;
            double x = 0, y = 0;
            ccn_geom_point_on_surface(ctx, w->parts[0], &x, &y);
            fprintf(stderr, "seed %u: reference gap %.6f m² (%d pieces, %.4f m wide) near %.3f %.3f not found\n",
                    seed, w->area, w->n, w->width, x, y);
        }
        for (int k = 0; k < w->n; k++)
            GEOSGeom_destroy_r(h, w->parts[k]);
    }
    free(is);
}

/* A grid of cells (5-7 m, so a missing one is under the 50 m² limit) on
 * shared jittered corners with a vertex inside every edge; each cell its
 * own copy of each vertex, 1-5 cm off. Some cells are left out, some have a
 * corner moved decimetres. */
static void noisy_grid(ccn_ctx *ctx, unsigned seed, tally *t)
{
    rng_state = 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed * 0xD1B54A32D192ED03ull);
    int nx = 3 + (int)(uniform() * 4), ny = 3 + (int)(uniform() * 4);
    double cell = 5 + 2 * uniform();
    double cx[MAXN + 1][MAXN + 1], cy[MAXN + 1][MAXN + 1];
    double hx[MAXN + 1][MAXN], hy[MAXN + 1][MAXN]; /* the vertex inside each horizontal edge */
    double vx[MAXN][MAXN + 1], vy[MAXN][MAXN + 1]; /* ... each vertical edge */
    for (int j = 0; j <= ny; j++)
        for (int i = 0; i <= nx; i++) {
            cx[j][i] = 560000 + cell * i + (uniform() - 0.5);
            cy[j][i] = 2190000 + cell * j + (uniform() - 0.5);
        }
    for (int j = 0; j <= ny; j++)
        for (int i = 0; i < nx; i++) {
            double s = 0.3 + 0.4 * uniform(), off = 0.3 * (uniform() - 0.5);
            hx[j][i] = cx[j][i] + s * (cx[j][i + 1] - cx[j][i]);
            hy[j][i] = cy[j][i] + s * (cy[j][i + 1] - cy[j][i]) + off;
        }
    for (int j = 0; j < ny; j++)
        for (int i = 0; i <= nx; i++) {
            double s = 0.3 + 0.4 * uniform(), off = 0.3 * (uniform() - 0.5);
            vx[j][i] = cx[j][i] + s * (cx[j + 1][i] - cx[j][i]) + off;
            vy[j][i] = cy[j][i] + s * (cy[j + 1][i] - cy[j][i]);
        }
    /* Some coverages share some vertices exactly (no noise): pieces that
     * touch at a point, not along a sliver. */
    double exact = uniform() < 0.5 ? 0 : uniform() < 0.5 ? 0.5 : 1;
    GEOSGeometry *g[MAXPOLY] = {NULL};
    size_t n = 0;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            if (uniform() < 0.12) /* left out: a hole inside, a bay on the outline */
                continue;
            double x[8] = {cx[j][i], hx[j][i], cx[j][i + 1], vx[j][i + 1],
                           cx[j + 1][i + 1], hx[j + 1][i], cx[j + 1][i], vx[j][i]};
            double y[8] = {cy[j][i], hy[j][i], cy[j][i + 1], vy[j][i + 1],
                           cy[j + 1][i + 1], hy[j + 1][i], cy[j + 1][i], vy[j][i]};
            for (int k = 0; k < 8; k++) {
                double a = 2 * M_PI * uniform(), r = 0.01 + 0.04 * uniform();
                if (uniform() < exact)
                    r = 0;
                x[k] = mm(x[k] + r * cos(a));
                y[k] = mm(y[k] + r * sin(a));
            }
            if (uniform() < 0.1) { /* a corner moved decimetres */
                int k = 2 * (int)(uniform() * 4);
                x[k] = mm(x[k] + 0.6 * (uniform() - 0.5));
                y[k] = mm(y[k] + 0.6 * (uniform() - 0.5));
            }
            GEOSGeometry *p = polygon(x, y, 8);
            if (GEOSisValid_r(h, p) != 1) {
                GEOSGeometry *v = ccn_geom_make_valid(ctx, p);
                GEOSGeom_destroy_r(h, p);
                p = v;
            }
            g[n++] = p;
        }
    limits lim = {0.05, 0.5, 50};
    compare(ctx, g, n, &lim, t, seed);
    for (size_t k = 0; k < n; k++)
        GEOSGeom_destroy_r(h, g[k]);
}

/* A bay (a missing parcel on the outline, 36 m²) closed by a lid parcel
 * but for a channel c wide and 0.5 m long between the lid's end and the
 * next parcel. Open to the outside however narrow the channel: not a gap
 * (GEOS's union has no hole there either), down to the snap (1 cm here); below
 * it the lid's end and the parcel are one line (vertices this close are one
 * point, so is a vertex this close to an edge), the bay is closed and is a
 * gap: the next parcel's corner (12, -0.5) becomes the lid's (12 - c, -0.5),
 * the lexicographically smaller, and its edge runs from the lid's corner
 * (12 - c, 0) to (12, 6), so the bay is 36 m² less a triangle c x 6 / 2. */
static void channel(ccn_ctx *ctx)
{
    const double cs[] = {0.005, 0.011, 0.02, 0.03, 0.05};
    for (size_t t = 0; t < sizeof cs / sizeof *cs; t++) {
        double c = cs[t], X = 560000, Y = 2190000;
        GEOSGeometry *g[9];
        size_t n = 0;
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < 3; i++) {
                if (i == 1 && j == 0)
                    continue; /* the bay */
                double y0 = i == 2 && j == 0 ? -0.5 : 6.0 * j; /* the channel's far side */
                g[n++] = GEOSGeom_createRectangle_r(h, X + 6.0 * i, Y + y0, X + 6.0 * (i + 1),
                                                    Y + 6.0 * (j + 1));
            }
        g[n++] = GEOSGeom_createRectangle_r(h, X + 4, Y - 0.5, X + 12 - c, Y); /* the lid */
        ccn_coverage_options o = {0.5, 50, 0.08, 0, 0.01, 0.05};
        ccn_coverage_issue *is = NULL;
        size_t nis = 0, gaps = 0;
        double area = 0;
        CHECK(ccn_coverage_check(ctx, (const GEOSGeometry *const *)g, n, &o, &is, &nis) == CCN_OK);
        for (size_t k = 0; k < nis; k++)
            if (is[k].kind == CCN_COVERAGE_GAP)
                gaps++, area = is[k].area;
        if (c < o.snap_m) {
            CHECK(gaps == 1);
            CHECK_NEAR(area, 36 - c * 6 / 2, 1e-6);
        } else {
            CHECK(gaps == 0);
        }
        for (size_t k = 0; k < n; k++)
            GEOSGeom_destroy_r(h, g[k]);
        free(is);
    }
}

/* A gap region from 30,000 noisy parcels: a sliver 2-3 cm wide along one
 * parcel that widens to 7.5 cm at a corner (a point 3.75 cm from every edge
 * was found by a dense grid of distances; GEOS's largest inscribed circle
 * agrees). GEOS 3.11's buffer by -2.5 cm returns it empty, which once made
 * it an edge mismatch; it is wider than the 5 cm tolerance: a gap. */
static void geos_erosion_wrong(ccn_ctx *ctx)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r,
        "MULTIPOLYGON (((560312.6029390414478257 2192510.5735097252763808, "
        "560312.6110000000335276 2192510.5589999998919666, 560312.6210000000428408 "
        "2192510.5800000000745058, 560312.6029390414478257 2192510.5735097252763808)), "
        "((560312.6226026045624167 2192510.5565155963413417, 560312.6110000000335276 "
        "2192510.5589999998919666, 560314.8109999999869615 2192478.1260000001639128, "
        "560288.4640000000363216 2192471.1239999998360872, 560288.5450000000419095 "
        "2192471.1239999998360872, 560314.8329999999841675 2192478.0540000000037253, "
        "560314.8399999999674037 2192478.0630000000819564, 560312.6226026045624167 "
        "2192510.5565155963413417)), ((560266.2063507525017485 2192474.5983250075951219, "
        "560274.2020000000484288 2192474.0279999999329448, 560288.4640000000363216 "
        "2192471.1239999998360872, 560274.1970000000437722 2192474.0729999998584390, "
        "560266.2063507525017485 2192474.5983250075951219)))");
    GEOSWKTReader_destroy_r(h, r);
    CHECK(g != NULL);
    double radius = 0;
    GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(h, GEOSGetGeometryN_r(h, g, 1), 1e-4);
    GEOSLength_r(h, mic, &radius);
    CHECK_NEAR(2 * radius, 0.075, 0.002);
    bool thin = true;
    double width = 0, length = 0;
    CHECK(ccn_width_thin(ctx, g, 0.05, &thin, &width, &length) == CCN_OK);
    CHECK(!thin);
    GEOSGeom_destroy_r(h, mic);
    GEOSGeom_destroy_r(h, g);
}

/* The width of a thin piece: within half the last bisection step (tol / 32)
 * of the diameter of its largest inscribed circle, GEOS's (to 1e-6 m) on
 * each part, the largest. */
static void thin_width_is(ccn_ctx *ctx, const char *wkt, double tol, bool thin_expected,
                          double mic_expected)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, wkt);
    GEOSWKTReader_destroy_r(h, r);
    CHECK(g != NULL);
    double mic = 0;
    for (int k = 0; k < GEOSGetNumGeometries_r(h, g); k++) {
        double radius = 0;
        GEOSGeometry *c = GEOSMaximumInscribedCircle_r(h, GEOSGetGeometryN_r(h, g, k), 1e-6);
        GEOSLength_r(h, c, &radius);
        GEOSGeom_destroy_r(h, c);
        mic = fmax(mic, 2 * radius);
    }
    CHECK_NEAR(mic, mic_expected, 5e-6);
    bool thin = !thin_expected;
    double width = 0, length = 0;
    CHECK(ccn_width_thin(ctx, g, tol, &thin, &width, &length) == CCN_OK);
    CHECK(thin == thin_expected);
    if (thin_expected)
        CHECK_NEAR(width, mic, tol / 32);
    GEOSGeom_destroy_r(h, g);
}

/* Widths of thin pieces. A gap region from 300,000 noisy parcels, two
 * slivers meeting at a point, the wider 4.66 cm at its widest (its largest
 * inscribed circle: 0.0466340 m, by GEOS and by a branch-and-bound search
 * of distances written apart from ccn, in Python), where GEOS 3.11's buffer
 * by -2.25 cm is empty: the width was once reported as 4.4 cm. Two slivers
 * touching at a corner, 3 cm and 2 cm wide: long chords across either, 3 cm
 * wide; with a 6 cm one, not thin. */
static void thin_widths(ccn_ctx *ctx)
{
    thin_width_is(ctx,
                  "MULTIPOLYGON (((563087.5325623652897775 2187131.4879961260594428, "
                  "563087.5189999999711290 2187131.4879999998956919, 563088.9799999999813735 "
                  "2187094.2809999999590218, 563089.0010000000474975 2187094.2760000000707805, "
                  "563089.0080000000307336 2187094.3089999998919666, 563089.0254759099334478 "
                  "2187094.3118542316369712, 563087.5325623652897775 2187131.4879961260594428)), "
                  "((563089.0010000000474975 2187094.2760000000707805, 563087.2614113689633086 "
                  "2187069.7529931045137346, 563087.2750000000232831 2187069.7519999998621643, "
                  "563089.0010000000474975 2187094.2760000000707805)))",
                  0.05, true, 0.046634);
    thin_width_is(ctx,
                  "MULTIPOLYGON (((500000 2000000, 500010 2000000, 500010 2000000.03, "
                  "500000 2000000.03, 500000 2000000)), ((500010 2000000.03, 500010.02 "
                  "2000000.03, 500010.02 2000010, 500010 2000010, 500010 2000000.03)))",
                  0.05, true, 0.03);
    thin_width_is(ctx,
                  "MULTIPOLYGON (((500000 2000000, 500010 2000000, 500010 2000000.03, "
                  "500000 2000000.03, 500000 2000000)), ((500010 2000000.03, 500010.06 "
                  "2000000.03, 500010.06 2000010, 500010 2000010, 500010 2000000.03)))",
                  0.05, false, 0.06);
}

int main(int argc, char **argv)
{
    ccn_ctx *ctx = ccn_ctx_new();
    h = ccn_ctx_geos(ctx);
    unsigned cases = argc > 1 ? (unsigned)atoi(argv[1]) : 400;
    tally t = {0};
    for (unsigned seed = 1; seed <= cases; seed++)
        noisy_grid(ctx, seed, &t);
    /* Seeds found in a run of 3,000: faces met at a vertex in an order that
     * left a small one out of a network (823), small pieces pinched to a
     * hole of 50 m² or more reported on their own (758, 2576). */
    const unsigned found[] = {758, 823, 2576};
    for (size_t k = 0; k < sizeof found / sizeof *found; k++)
        noisy_grid(ctx, found[k], &t);
    printf("%zu coverages, %zu gaps compared (%zu of several pieces), %zu ambiguous, "
           "%zu mismatched\n",
           t.cases, t.gaps, t.pinched, t.ambiguous, t.mismatched);
    CHECK(t.gaps > cases / 4);
    CHECK(t.pinched > 5);
    CHECK(t.mismatched == 0);
    channel(ctx);
    geos_erosion_wrong(ctx);
    thin_widths(ctx);
    ccn_ctx_free(ctx);
    return check_summary();
}
