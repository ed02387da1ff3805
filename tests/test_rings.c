/* test_rings — the common area of two polygons from their rings, held against
 * GEOS (GEOSIntersection, then GEOSArea) on hand-made cases — shared edges,
 * holes, concave rings, containment, touching — and on random valid polygons
 * placed near Triệu Sơn (x ≈ 560000, y ≈ 2190000, where rounding is worst;
 * the reference is GEOS on the same polygons moved exactly to the origin);
 * and the validity certificate, which must never call an invalid polygon
 * valid. */
#include "check.h"

#include "ctx.h"
#include "rings.h"

#include <stdlib.h>

static GEOSContextHandle_t h;

static double unit(void) { return rand() / (double)RAND_MAX; } /* [0, 1] */
static ccn_rings scratch;

static GEOSGeometry *wkt(const char *text)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, text);
    GEOSWKTReader_destroy_r(h, r);
    return g;
}

static double geos_common(const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSGeometry *x = GEOSIntersection_r(h, a, b);
    double area = -1;
    if (x) {
        GEOSArea_r(h, x, &area);
        GEOSGeom_destroy_r(h, x);
    }
    return area;
}

static double rings_common(const GEOSGeometry *a, const GEOSGeometry *b)
{
    ccn_rings ra = {0}, rb = {0};
    CHECK(ccn_rings_add(&ra, h, a));
    CHECK(ccn_rings_add(&rb, h, b));
    double area = ccn_rings_common_area(&ra, 0, ra.n, &rb, 0, rb.n, &scratch, NULL);
    ccn_rings_free(&ra);
    ccn_rings_free(&rb);
    return area;
}

/* The area expected by hand, and the same from GEOS, both ways round. */
static void case_wkt(const char *a_wkt, const char *b_wkt, double expected)
{
    GEOSGeometry *a = wkt(a_wkt), *b = wkt(b_wkt);
    CHECK(a && b);
    if (!a || !b)
        return;
    CHECK_NEAR(rings_common(a, b), expected, 1e-9);
    CHECK_NEAR(rings_common(b, a), expected, 1e-9);
    CHECK_NEAR(geos_common(a, b), expected, 1e-9);
    GEOSGeom_destroy_r(h, a);
    GEOSGeom_destroy_r(h, b);
}

/* A random star-shaped (hence simple) ring around (cx, cy); holes optional. */
static GEOSGeometry *random_polygon(double cx, double cy, double r, int n, bool hole)
{
    double ang[64];
    for (int i = 0; i < n; i++)
        ang[i] = 2 * M_PI * (i + 0.8 * unit()) / n;
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
    for (int i = 0; i <= n; i++) {
        int k = i % n;
        double rr = r * (0.5 + 0.5 * unit());
        if (i == n) { /* close on the first vertex */
            double x0, y0;
            GEOSCoordSeq_getXY_r(h, s, 0, &x0, &y0);
            GEOSCoordSeq_setXY_r(h, s, (unsigned)i, x0, y0);
        } else {
            GEOSCoordSeq_setXY_r(h, s, (unsigned)i, cx + rr * cos(ang[k]), cy + rr * sin(ang[k]));
        }
    }
    GEOSGeometry *shell = GEOSGeom_createLinearRing_r(h, s);
    GEOSGeometry *holes[1];
    unsigned nholes = 0;
    if (hole) { /* a small square well inside the inner radius */
        GEOSCoordSequence *t = GEOSCoordSeq_create_r(h, 5, 2);
        double d = r * 0.2;
        double xy[5][2] = {{cx - d, cy - d}, {cx - d, cy + d}, {cx + d, cy + d}, {cx + d, cy - d}, {cx - d, cy - d}};
        for (int i = 0; i < 5; i++)
            GEOSCoordSeq_setXY_r(h, t, (unsigned)i, xy[i][0], xy[i][1]);
        holes[nholes++] = GEOSGeom_createLinearRing_r(h, t);
    }
    return GEOSGeom_createPolygon_r(h, shell, holes, nholes);
}

/* A copy of g moved by (-560000, -2190000): exact (the subtraction of two
 * doubles within a factor of two is), and where GEOS rounds least. */
static int to_origin(double *x, double *y, void *user)
{
    (void)user;
    *x -= 560000;
    *y -= 2190000;
    return 1;
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    h = ccn_ctx_geos(ctx);
    srand(42);

    /* Hand-worked areas (a 10 m square is 100 m²). */
    const char *sq = "POLYGON((560000 2190000, 560010 2190000, 560010 2190010, 560000 2190010, 560000 2190000))";
    case_wkt(sq, sq, 100);                                                           /* identical */
    case_wkt(sq, "POLYGON((560005 2190000, 560015 2190000, 560015 2190010, 560005 2190010, 560005 2190000))", 50);
    case_wkt(sq, "POLYGON((560010 2190000, 560020 2190000, 560020 2190010, 560010 2190010, 560010 2190000))", 0); /* shares an edge */
    case_wkt(sq, "POLYGON((560010 2190010, 560020 2190010, 560020 2190020, 560010 2190020, 560010 2190010))", 0); /* touches a corner */
    case_wkt(sq, "POLYGON((560100 2190100, 560110 2190100, 560110 2190110, 560100 2190100))", 0);                /* far away */
    /* clockwise input, a big zone around it */
    case_wkt("POLYGON((560002 2190002, 560002 2190004, 560004 2190004, 560004 2190002, 560002 2190002))", sq, 4);
    /* a hole: 20 m square with a 10 m hole, against a 10 m square over half the hole */
    case_wkt("POLYGON((559995 2189995, 560015 2189995, 560015 2190015, 559995 2190015, 559995 2189995),"
             "(560000 2190000, 560010 2190000, 560010 2190010, 560000 2190010, 560000 2190000))",
             "POLYGON((560005 2190000, 560015 2190000, 560015 2190010, 560005 2190010, 560005 2190000))", 50);
    /* concave: an L of 300 m² against a square in its notch and beyond */
    case_wkt("POLYGON((560000 2190000, 560020 2190000, 560020 2190010, 560010 2190010, 560010 2190020, 560000 2190020, 560000 2190000))",
             "POLYGON((560005 2190005, 560015 2190005, 560015 2190015, 560005 2190015, 560005 2190005))", 75);
    /* a multipolygon of two squares, against a strip across both */
    case_wkt("MULTIPOLYGON(((560000 2190000, 560010 2190000, 560010 2190010, 560000 2190010, 560000 2190000)),"
             "((560020 2190000, 560030 2190000, 560030 2190010, 560020 2190010, 560020 2190000)))",
             "POLYGON((559990 2190004, 560040 2190004, 560040 2190006, 559990 2190006, 559990 2190004))", 40);
    /* a triangle sharing a diagonal with the square: half of it */
    case_wkt(sq, "POLYGON((560000 2190000, 560010 2190010, 560000 2190010, 560000 2190000))", 50);
    /* a vertical edge and a slanted one (y = 3x - 25 from the square's corner):
     * 10 × 10/3 left of x = 25/3, then ∫ (35 - 3x) dx from 25/3 to 10 = 12.5 */
    case_wkt(sq, "POLYGON((560005 2189990, 560015 2190020, 560005 2190020, 560005 2189990))", 100.0 / 3 + 12.5);

    /* Random valid polygons near the district, some with holes, some
     * overlapping a lot, some a little. The reference is GEOS on the same
     * polygons moved to the origin: GEOS's own rounding at x ≈ 560000 is
     * ≈3e-10 relative (printed), the rings' 1e-13. */
    double worst = 0, geos_far = 0;
    int compared = 0;
    for (int i = 0; i < 3000; i++) {
        double cx = 560000 + 50 * unit(), cy = 2190000 + 50 * unit();
        double dx = 60 * (unit() - 0.5), dy = 60 * (unit() - 0.5);
        GEOSGeometry *a = random_polygon(cx, cy, 5 + 30 * unit(), 3 + rand() % 20, rand() % 4 == 0);
        GEOSGeometry *b = random_polygon(cx + dx, cy + dy, 5 + 60 * unit(), 3 + rand() % 40, rand() % 3 == 0);
        if (GEOSisValid_r(h, a) == 1 && GEOSisValid_r(h, b) == 1) {
            GEOSGeometry *a0 = GEOSGeom_transformXY_r(h, a, to_origin, NULL);
            GEOSGeometry *b0 = GEOSGeom_transformXY_r(h, b, to_origin, NULL);
            double want = geos_common(a0, b0), got = rings_common(a, b), scale = want > 1 ? want : 1;
            worst = fmax(worst, fabs(got - want) / scale);
            geos_far = fmax(geos_far, fabs(geos_common(a, b) - want) / scale);
            compared++;
            GEOSGeom_destroy_r(h, a0);
            GEOSGeom_destroy_r(h, b0);
        }
        GEOSGeom_destroy_r(h, a);
        GEOSGeom_destroy_r(h, b);
    }
    /* Small polygons in, across and out of big ones with a hole in the middle
     * (rings.c's shortcut: no edge of the big one near the small one). */
    for (int i = 0; i < 2000; i++) {
        double cx = 560000 + 50 * unit(), cy = 2190000 + 50 * unit(), r = 20 + 20 * unit();
        GEOSGeometry *b = random_polygon(cx, cy, r, 3 + rand() % 40, i % 2 == 0);
        GEOSGeometry *a = random_polygon(cx + 1.2 * r * (unit() - 0.5), cy + 1.2 * r * (unit() - 0.5),
                                         0.5 + 2 * unit(), 3 + rand() % 8, false);
        if (GEOSisValid_r(h, a) == 1 && GEOSisValid_r(h, b) == 1) {
            GEOSGeometry *a0 = GEOSGeom_transformXY_r(h, a, to_origin, NULL);
            GEOSGeometry *b0 = GEOSGeom_transformXY_r(h, b, to_origin, NULL);
            double want = geos_common(a0, b0), scale = want > 1 ? want : 1;
            worst = fmax(worst, fabs(rings_common(a, b) - want) / scale);
            worst = fmax(worst, fabs(rings_common(b, a) - want) / scale);
            compared++;
            GEOSGeom_destroy_r(h, a0);
            GEOSGeom_destroy_r(h, b0);
        }
        GEOSGeom_destroy_r(h, a);
        GEOSGeom_destroy_r(h, b);
    }
    printf("random pairs compared: %d; worst relative difference from GEOS at the origin: rings "
           "%.3g, GEOS in place %.3g\n",
           compared, worst, geos_far);
    CHECK(compared > 4000);
    CHECK(worst < 1e-12);

    /* The validity certificate: never true for a polygon GEOS finds invalid. */
    const char *invalid[] = {
        "POLYGON((0 0, 10 10, 10 0, 0 10, 0 0))",                       /* bow-tie */
        "POLYGON((0 0, 10 0, 10 10, 10 20, 10 10, 0 10, 0 0))",         /* spike out and back */
        "POLYGON((0 0, 10 0, 5 0, 5 10, 0 0))",                         /* back along an edge */
        "POLYGON((0 0, 10 0, 10 10, 5 0, 0 10, 0 0))",                  /* touches an edge */
        "POLYGON((0 0, 10 0, 10 10, 5 5, 0 10, 5 5, 0 0))",             /* touches itself at a vertex */
        "POLYGON((0 0, 10 0, 20 0, 0 0))",                              /* collinear */
        "POLYGON((0 0, 10 0, 0 0, 0 0))",                               /* collapsed */
        "POLYGON((560000 2190000, 560000.000000001 2190010, 560000 2190020, 560000.000000001 2190010, 560000 2190000))",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        GEOSGeometry *g = wkt(invalid[i]);
        CHECK(g != NULL);
        if (!g)
            continue;
        CHECK(GEOSisValid_r(h, g) == 0);
        CHECK(!ccn_rings_certainly_valid(h, g, &scratch));
        GEOSGeom_destroy_r(h, g);
    }
    const char *valid[] = {
        "POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))",
        "POLYGON((0 0, 10 0, 10 0, 10 10, 0 10, 0 0, 0 0))",            /* repeated vertices */
        "POLYGON((0 0, 5 0, 10 0, 10 10, 0 10, 0 0))",                  /* a straight vertex */
        "POLYGON((0 0, 10 0, 10 10, 5 1, 0 10, 0 0))",                  /* deeply concave */
        "MULTIPOLYGON(((560000 2190000, 560010 2190000, 560010 2190010, 560000 2190000)))",
    };
    for (size_t i = 0; i < sizeof valid / sizeof *valid; i++) {
        GEOSGeometry *g = wkt(valid[i]);
        CHECK(g && GEOSisValid_r(h, g) == 1);
        CHECK(g && ccn_rings_certainly_valid(h, g, &scratch));
        if (g)
            GEOSGeom_destroy_r(h, g);
    }
    /* Random rings, many invalid (vertices in random order), near the district
     * and at millimetre scale: a certificate is never wrong. */
    int certified = 0, geos_valid = 0, wrong = 0;
    for (int i = 0; i < 20000; i++) {
        int n = 3 + rand() % 8;
        double scale = i % 2 ? 30 : 0.003;
        GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
        for (int k = 0; k < n; k++) {
            double x = 560000 + scale * (rand() % 5) / 4, y = 2190000 + scale * (rand() % 5) / 4;
            if (i % 3 == 0) { /* a star, mostly valid */
                double a = 2 * M_PI * (k + 0.5 * unit()) / n;
                double r = scale * (0.3 + unit());
                x = 560000 + r * cos(a);
                y = 2190000 + r * sin(a);
            }
            GEOSCoordSeq_setXY_r(h, s, (unsigned)k, x, y);
        }
        double x0, y0;
        GEOSCoordSeq_getXY_r(h, s, 0, &x0, &y0);
        GEOSCoordSeq_setXY_r(h, s, (unsigned)n, x0, y0);
        GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, s);
        GEOSGeometry *g = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
        if (!g)
            continue;
        bool sure = ccn_rings_certainly_valid(h, g, &scratch);
        char v = GEOSisValid_r(h, g);
        certified += sure;
        geos_valid += v == 1;
        wrong += sure && v != 1;
        GEOSGeom_destroy_r(h, g);
    }
    printf("random rings: %d valid by GEOS, %d certified, %d certified wrongly\n", geos_valid,
           certified, wrong);
    CHECK(wrong == 0);
    CHECK(certified > geos_valid * 9 / 10); /* and it does its job */

    ccn_rings_free(&scratch);
    ccn_ctx_free(ctx);
    return check_summary();
}
