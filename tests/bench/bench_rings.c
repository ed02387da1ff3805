/* ccn-bench-rings — ccn_rings_common_area against GEOS (GEOSIntersection +
 * GEOSArea) on the same pairs, one thread: small × small (a parcel across a
 * zone's edge, the overlay's common case) and large × large (two polygons
 * of N vertices each, smooth and rough). Prints each side's time per pair,
 * the ratio and the largest difference. Run by tests/bench_rings.sh. */
#include "ctx.h"
#include "rings.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static GEOSContextHandle_t h;
static unsigned long long rng = 2463534242ULL;

static double unit(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (double)(rng >> 11) / 9007199254740992.0;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* A star-shaped polygon of n vertices, radius r (jag: relative jitter). */
static GEOSGeometry *star(double cx, double cy, double r, int n, double jag)
{
    GEOSCoordSequence *s = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
    double x0 = 0, y0 = 0;
    for (int i = 0; i < n; i++) {
        double a = 2 * M_PI * (i + 0.5 * unit()) / n, rr = r * (1 - jag * unit());
        double x = cx + rr * cos(a), y = cy + rr * sin(a);
        if (!i)
            x0 = x, y0 = y;
        GEOSCoordSeq_setXY_r(h, s, (unsigned)i, x, y);
    }
    GEOSCoordSeq_setXY_r(h, s, (unsigned)n, x0, y0);
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, s), NULL, 0);
}

typedef struct {
    double rings_s, geos_s, worst;
    int pairs, handed;
} result;

/* Time both on pairs[i] = (a[i], b[i]), each repeated reps times. */
static result run(GEOSGeometry **a, GEOSGeometry **b, int n, int reps)
{
    result r = {0};
    ccn_rings ra = {0}, rb = {0}, scratch = {0};
    double *got = malloc((size_t)n * sizeof *got);
    double t0 = now();
    for (int k = 0; k < reps; k++)
        for (int i = 0; i < n; i++) {
            /* the overlay keeps the zones' rings and reads each parcel's once */
            ccn_rings_clear(&ra);
            ccn_rings_clear(&rb);
            ccn_rings_add(&ra, h, a[i]);
            ccn_rings_add(&rb, h, b[i]);
            got[i] = ccn_rings_common_area(&ra, 0, ra.n, &rb, 0, rb.n, &scratch, NULL);
            if (isnan(got[i])) { /* handed over, as overlay.c does */
                GEOSGeometry *x = GEOSIntersection_r(h, a[i], b[i]);
                GEOSArea_r(h, x, &got[i]);
                GEOSGeom_destroy_r(h, x);
                r.handed += k == 0;
            }
        }
    r.rings_s = (now() - t0) / reps / n;
    t0 = now();
    for (int k = 0; k < reps; k++)
        for (int i = 0; i < n; i++) {
            GEOSGeometry *x = GEOSIntersection_r(h, a[i], b[i]);
            double area = 0;
            GEOSArea_r(h, x, &area);
            GEOSGeom_destroy_r(h, x);
            if (k == 0)
                r.worst = fmax(r.worst, fabs(area - got[i]) / fmax(area, 1));
        }
    r.geos_s = (now() - t0) / reps / n;
    r.pairs = n;
    free(got);
    ccn_rings_free(&ra);
    ccn_rings_free(&rb);
    ccn_rings_free(&scratch);
    return r;
}

static void print(const char *what, result r)
{
    printf("%-44s rings %10.2f µs  GEOS %10.2f µs  GEOS/rings %6.2f  (handed to GEOS: %d of %d; "
           "largest relative difference %.1e)\n",
           what, r.rings_s * 1e6, r.geos_s * 1e6, r.geos_s / r.rings_s, r.handed, r.pairs, r.worst);
}

int main(int argc, char **argv)
{
    int large = argc > 1 ? atoi(argv[1]) : 39000;
    setvbuf(stdout, NULL, _IOLBF, 0);
    ccn_ctx *ctx = ccn_ctx_new();
    h = ccn_ctx_geos(ctx);
    const double E = 560000, N = 2190000; /* Triệu Sơn, VN-2000 */
    int SMALL = argc > 2 ? atoi(argv[2]) : 20000;
    GEOSGeometry **a = malloc(SMALL * sizeof *a), **b = malloc(SMALL * sizeof *b);
    /* small × small: a 4-12 vertex parcel of ~20 m on the edge of a zone of
     * 20-200 vertices and ~300 m */
    for (int i = 0; i < SMALL; i++) {
        double zr = 300 * (0.5 + unit()), ang = 2 * M_PI * unit();
        b[i] = star(E, N, zr, 20 + (int)(180 * unit()), 0.05);
        a[i] = star(E + zr * 0.97 * cos(ang), N + zr * 0.97 * sin(ang), 10 + 15 * unit(),
                    4 + (int)(9 * unit()), 0.2);
    }
    print("small x small (parcel across a zone's edge)", run(a, b, SMALL, 3));
    for (int i = 0; i < SMALL; i++) {
        GEOSGeom_destroy_r(h, a[i]);
        GEOSGeom_destroy_r(h, b[i]);
    }
    /* large × large: two polygons of `large` vertices, half overlapping */
    char what[80];
    for (int jagged = 0; jagged < 2; jagged++) {
        double jag = jagged ? 0.02 : 0.0001;
        a[0] = star(E, N, 5000, large, jag);
        b[0] = star(E + 3000, N + 1000, 4000, large, jag);
        snprintf(what, sizeof what, "large x large (%d vertices each, %s)", large,
                 jagged ? "rough, 2 % jitter" : "smooth");
        print(what, run(a, b, 1, 3));
        GEOSGeom_destroy_r(h, a[0]);
        GEOSGeom_destroy_r(h, b[0]);
    }
    free(a);
    free(b);
    ccn_ctx_free(ctx);
    return 0;
}
