/* rings — plain coordinate rings and the common area of two polygons. */
#include "rings.h"

#include "grow.h"

#include <math.h>
#include <stdlib.h>

static bool add_ring(ccn_rings *r, GEOSContextHandle_t h, const GEOSGeometry *ring, bool hole)
{
    const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return false;
    if (n < 4)
        return true; /* no area */
    if (!ccn_grow((void **)&r->xy, &r->capxy, r->nxy + 2 * (size_t)n, sizeof *r->xy) ||
        !ccn_grow((void **)&r->ring, &r->cap, r->n + 1, sizeof *r->ring))
        return false;
    double *xy = r->xy + r->nxy;
    if (!GEOSCoordSeq_copyToBuffer_r(h, seq, xy, 0, 0))
        return false;
    n--; /* the closing vertex repeats the first */
    ccn_ring k = {.first = r->nxy / 2, .n = n, .xmin = xy[0], .xmax = xy[0], .ymin = xy[1],
                  .ymax = xy[1]};
    double twice_area = 0;
    for (unsigned int i = 0; i < n; i++) {
        double x = xy[2 * i], y = xy[2 * i + 1];
        unsigned int j = i + 1 < n ? i + 1 : 0;
        twice_area += (x - xy[0]) * (xy[2 * j + 1] - xy[1]) - (xy[2 * j] - xy[0]) * (y - xy[1]);
        k.xmin = x < k.xmin ? x : k.xmin;
        k.xmax = x > k.xmax ? x : k.xmax;
        k.ymin = y < k.ymin ? y : k.ymin;
        k.ymax = y > k.ymax ? y : k.ymax;
    }
    if (twice_area == 0)
        return true; /* collapsed: no area */
    if ((twice_area < 0) != hole) /* reverse into the orientation wanted */
        for (unsigned int i = 0, j = n - 1; i < j; i++, j--) {
            double tx = xy[2 * i], ty = xy[2 * i + 1];
            xy[2 * i] = xy[2 * j];
            xy[2 * i + 1] = xy[2 * j + 1];
            xy[2 * j] = tx;
            xy[2 * j + 1] = ty;
        }
    r->nxy += 2 * (size_t)n;
    r->ring[r->n++] = k;
    return true;
}

bool ccn_rings_add(ccn_rings *r, GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        return false;
    int parts = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    for (int i = 0; i < parts; i++) {
        const GEOSGeometry *poly = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        if (!poly || GEOSisEmpty_r(h, poly))
            continue;
        int holes = GEOSGetNumInteriorRings_r(h, poly);
        if (holes < 0 || !add_ring(r, h, GEOSGetExteriorRing_r(h, poly), false))
            return false;
        for (int k = 0; k < holes; k++)
            if (!add_ring(r, h, GEOSGetInteriorRingN_r(h, poly, k), true))
                return false;
    }
    return true;
}

void ccn_rings_clear(ccn_rings *r)
{
    r->nxy = 0;
    r->n = 0;
}

void ccn_rings_free(ccn_rings *r)
{
    free(r->xy);
    free(r->ring);
    free(r->pick);
    *r = (ccn_rings){0};
}

/* Sign of the turn a -> b -> c: 1 left, -1 right, 0 straight, 2 too close to
 * call in doubles (then the caller does not decide). */
static int orient(const double *a, const double *b, const double *c)
{
    double dx1 = b[0] - a[0], dy1 = b[1] - a[1], dx2 = c[0] - a[0], dy2 = c[1] - a[1];
    double l = dx1 * dy2, r = dy1 * dx2;
    double det = l - r, bound = 3.3306690738754716e-16 * (fabs(l) + fabs(r));
    if (det > bound)
        return 1;
    if (det < -bound)
        return -1;
    /* Exactly straight only when each product has an exact zero factor (a
     * difference of doubles is 0 only for equal doubles). */
    return (dx1 == 0 || dy2 == 0) && (dy1 == 0 || dx2 == 0) ? 0 : 2;
}

/* Is c within the box of segment a-b (c on the line a-b assumed)? */
static bool within(const double *a, const double *b, const double *c)
{
    return c[0] >= fmin(a[0], b[0]) && c[0] <= fmax(a[0], b[0]) && c[1] >= fmin(a[1], b[1]) &&
           c[1] <= fmax(a[1], b[1]);
}

/* Do segments p-q and r-s meet? 0 no, 1 yes, 2 cannot tell. */
static int meet(const double *p, const double *q, const double *r, const double *s)
{
    if (fmax(p[0], q[0]) < fmin(r[0], s[0]) || fmax(r[0], s[0]) < fmin(p[0], q[0]) ||
        fmax(p[1], q[1]) < fmin(r[1], s[1]) || fmax(r[1], s[1]) < fmin(p[1], q[1]))
        return 0; /* boxes apart: exact */
    int o1 = orient(p, q, r), o2 = orient(p, q, s), o3 = orient(r, s, p), o4 = orient(r, s, q);
    if (o1 == 2 || o2 == 2 || o3 == 2 || o4 == 2)
        return 2;
    if (o1 * o2 < 0 && o3 * o4 < 0)
        return 1; /* a proper crossing */
    if ((o1 == 0 && within(p, q, r)) || (o2 == 0 && within(p, q, s)) ||
        (o3 == 0 && within(r, s, p)) || (o4 == 0 && within(r, s, q)))
        return 1; /* a touch */
    return 0;
}

bool ccn_rings_certainly_valid(GEOSContextHandle_t h, const GEOSGeometry *g, ccn_rings *scratch)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_MULTIPOLYGON) {
        if (GEOSGetNumGeometries_r(h, g) != 1)
            return false;
        g = GEOSGetGeometryN_r(h, g, 0);
        type = GEOSGeomTypeId_r(h, g);
    }
    if (type != GEOS_POLYGON || GEOSGetNumInteriorRings_r(h, g) != 0)
        return false;
    const GEOSGeometry *shell = GEOSGetExteriorRing_r(h, g);
    const GEOSCoordSequence *seq = shell ? GEOSGeom_getCoordSeq_r(h, shell) : NULL;
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4 || n > 65)
        return false;
    if (!ccn_grow((void **)&scratch->xy, &scratch->capxy, 2 * (size_t)n, sizeof *scratch->xy) ||
        !GEOSCoordSeq_copyToBuffer_r(h, seq, scratch->xy, 0, 0))
        return false;
    double *v = scratch->xy;
    if (v[0] != v[2 * (n - 1)] || v[1] != v[2 * (n - 1) + 1])
        return false; /* not closed */
    /* The closing vertex and repeated vertices go (GEOS allows repeats). */
    size_t m = 0;
    for (unsigned int i = 0; i + 1 < n; i++) {
        double x = v[2 * i], y = v[2 * i + 1];
        if (!isfinite(x) || !isfinite(y))
            return false;
        if (m && x == v[2 * (m - 1)] && y == v[2 * (m - 1) + 1])
            continue;
        v[2 * m] = x;
        v[2 * m + 1] = y;
        m++;
    }
    if (m > 1 && v[2 * (m - 1)] == v[0] && v[2 * (m - 1) + 1] == v[1])
        m--;
    if (m < 3)
        return false;
    /* Neighbouring edges meet only at their vertex: no turn straight back. */
    for (size_t i = 0; i < m; i++) {
        const double *a = &v[2 * i], *b = &v[2 * ((i + 1) % m)], *c = &v[2 * ((i + 2) % m)];
        int o = orient(a, b, c);
        if (o == 2)
            return false;
        if (o == 0 && (c[0] - b[0]) * (b[0] - a[0]) + (c[1] - b[1]) * (b[1] - a[1]) <= 0)
            return false; /* a spike (exact: collinear, so the dot's sign is its terms') */
    }
    /* Other edges do not meet at all. */
    for (size_t i = 0; i < m; i++)
        for (size_t j = i + 2; j < m; j++) {
            if (i == 0 && j == m - 1)
                continue; /* neighbours across the closing vertex */
            if (meet(&v[2 * i], &v[2 * ((i + 1) % m)], &v[2 * j], &v[2 * ((j + 1) % m)]) != 0)
                return false;
        }
    /* A simple ring of three or more distinct vertices encloses area unless
     * all are on one line, which the spike test above has refused. */
    return true;
}

/* ∫ min(u(x), max(v(x), 0)) dx over [lo, hi], where u and v are linear with
 * the values ul, uh at lo, hi and vl, vh likewise. The integrand is linear
 * between its breaks — where v crosses 0 and where u crosses v — so the
 * trapezoid rule on the pieces is exact. */
static double piece(double lo, double hi, double ul, double uh, double vl, double vh)
{
    double t[4] = {0, 1, 1, 1};
    int n = 1;
    if ((vl > 0 && vh < 0) || (vl < 0 && vh > 0))
        t[n++] = vl / (vl - vh);
    double dl = ul - vl, dh = uh - vh;
    if ((dl > 0 && dh < 0) || (dl < 0 && dh > 0))
        t[n++] = dl / (dl - dh);
    if (n == 3 && t[2] < t[1]) {
        double s = t[1];
        t[1] = t[2];
        t[2] = s;
    }
    t[n++] = 1;
    double sum = 0, prev_t = 0, prev_g = 0;
    for (int i = 0; i < n; i++) {
        double u = ul + t[i] * (uh - ul), v = vl + t[i] * (vh - vl);
        double g = v > 0 ? (u < v ? u : v) : 0;
        g = g > 0 ? g : 0; /* u >= 0 but for rounding: A lies above the baseline */
        if (i)
            sum += (g + prev_g) * (t[i] - prev_t);
        prev_t = t[i];
        prev_g = g;
    }
    return sum * (hi - lo) / 2;
}

/* Height of the line through (x1, y1)-(x2, y2) at x (x1 != x2). */
static double at(double x1, double y1, double x2, double y2, double x)
{
    return y1 + (y2 - y1) * ((x - x1) / (x2 - x1));
}

/* Envelope area of rings [r0, r1). */
static double extent(const ccn_rings *r, size_t r0, size_t r1)
{
    double xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
    for (size_t i = r0; i < r1; i++) {
        xmin = r->ring[i].xmin < xmin ? r->ring[i].xmin : xmin;
        ymin = r->ring[i].ymin < ymin ? r->ring[i].ymin : ymin;
        xmax = r->ring[i].xmax > xmax ? r->ring[i].xmax : xmax;
        ymax = r->ring[i].ymax > ymax ? r->ring[i].ymax : ymax;
    }
    return (xmax - xmin) * (ymax - ymin);
}

double ccn_rings_common_area(const ccn_rings *a, size_t a0, size_t a1, const ccn_rings *b,
                             size_t b0, size_t b1, ccn_rings *scratch)
{
    if (a0 >= a1 || b0 >= b1)
        return 0;
    if (extent(b, b0, b1) < extent(a, a0, a1)) { /* the smaller one gives the baseline */
        const ccn_rings *r = a;
        size_t r0 = a0, r1 = a1;
        a = b, a0 = b0, a1 = b1;
        b = r, b0 = r0, b1 = r1;
    }
    /* Origin: A's lower-left corner; the baseline is y = 0 there. */
    double ox = a->ring[a0].xmin, oy = a->ring[a0].ymin, axmax = a->ring[a0].xmax,
           aymax = a->ring[a0].ymax;
    for (size_t i = a0 + 1; i < a1; i++) {
        ox = a->ring[i].xmin < ox ? a->ring[i].xmin : ox;
        oy = a->ring[i].ymin < oy ? a->ring[i].ymin : oy;
        axmax = a->ring[i].xmax > axmax ? a->ring[i].xmax : axmax;
        aymax = a->ring[i].ymax > aymax ? a->ring[i].ymax : aymax;
    }
    double total = 0, area_a = NAN, cx = ox + (axmax - ox) / 2;
    for (size_t rb = b0; rb < b1; rb++) {
        const ccn_ring *B = &b->ring[rb];
        if (B->xmax <= ox || B->xmin >= axmax || B->ymax <= oy)
            continue; /* no x in common with A, or wholly under it: adds nothing */
        /* B's edges that span some of A's x-range and rise above the baseline. */
        if (!ccn_grow((void **)&scratch->pick, &scratch->cappick, B->n, sizeof *scratch->pick))
            return -1;
        size_t *pick = scratch->pick, npick = 0;
        const double *bv = b->xy + 2 * B->first;
        bool through = false; /* an edge of B may pass through A's box */
        double winding = 0;   /* of B, on the vertical line x = cx above A's box */
        for (size_t j = 0; j < B->n; j++) {
            const double *p = bv + 2 * j, *q = bv + 2 * (j + 1 < B->n ? j + 1 : 0);
            double lo = fmin(p[0], q[0]), hi = fmax(p[0], q[0]);
            double ylo = fmin(p[1], q[1]), yhi = fmax(p[1], q[1]);
            if (hi < ox || lo > axmax)
                continue; /* beside A's box */
            if (ylo <= aymax && yhi >= oy)
                through = true; /* its box meets A's box (vertical edges too) */
            if (lo < hi && hi > ox && lo < axmax && yhi > oy)
                pick[npick++] = j;
            if (lo <= cx && cx < hi && ylo > aymax)
                winding += q[0] < p[0] ? 1 : -1;
        }
        if (!through) {
            /* No edge of B meets A's box: A is wholly in B or wholly out, as
             * the winding number above it says — no edge pairs needed. */
            if (winding != 0 && isnan(area_a)) {
                area_a = 0;
                for (size_t ra = a0; ra < a1; ra++) {
                    const ccn_ring *A = &a->ring[ra];
                    const double *av = a->xy + 2 * A->first;
                    for (size_t i = 0; i < A->n; i++) {
                        const double *p = av + 2 * i, *q = av + 2 * (i + 1 < A->n ? i + 1 : 0);
                        area_a += ((p[0] - ox) * (q[1] - oy) - (q[0] - ox) * (p[1] - oy)) / 2;
                    }
                }
            }
            total += winding != 0 ? winding * area_a : 0;
            continue;
        }
        for (size_t ra = a0; ra < a1; ra++) {
            const ccn_ring *A = &a->ring[ra];
            if (A->xmax <= B->xmin || A->xmin >= B->xmax)
                continue;
            const double *av = a->xy + 2 * A->first;
            for (size_t i = 0; i < A->n; i++) {
                const double *p = av + 2 * i, *q = av + 2 * (i + 1 < A->n ? i + 1 : 0);
                double ex1 = p[0] - ox, ey1 = p[1] - oy, ex2 = q[0] - ox, ey2 = q[1] - oy;
                if (ex1 == ex2)
                    continue; /* vertical: spans no x */
                double elo = ex1 < ex2 ? ex1 : ex2, ehi = ex1 < ex2 ? ex2 : ex1;
                double se = ex2 < ex1 ? 1 : -1; /* leftward +1, rightward -1 */
                for (size_t k = 0; k < npick; k++) {
                    size_t j = pick[k];
                    const double *s = bv + 2 * j, *w = bv + 2 * (j + 1 < B->n ? j + 1 : 0);
                    double fx1 = s[0] - ox, fy1 = s[1] - oy, fx2 = w[0] - ox, fy2 = w[1] - oy;
                    double flo = fx1 < fx2 ? fx1 : fx2, fhi = fx1 < fx2 ? fx2 : fx1;
                    double lo = elo > flo ? elo : flo, hi = ehi < fhi ? ehi : fhi;
                    if (hi <= lo)
                        continue;
                    double sf = fx2 < fx1 ? 1 : -1;
                    double ul = at(ex1, ey1, ex2, ey2, lo), uh = at(ex1, ey1, ex2, ey2, hi);
                    double vl = at(fx1, fy1, fx2, fy2, lo), vh = at(fx1, fy1, fx2, fy2, hi);
                    total += se * sf * piece(lo, hi, ul, uh, vl, vh);
                }
            }
        }
    }
    return total;
}
