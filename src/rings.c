/* rings — plain coordinate rings and the common area of two polygons. */
#include "rings.h"

#include "grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    if (xy[0] == xy[2 * (n - 1)] && xy[1] == xy[2 * (n - 1) + 1])
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
    free(r->span);
    free(r->act);
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

static bool certainly_simple(double *v, size_t n);

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
    return certainly_simple(scratch->xy, n);
}

bool ccn_rings_certainly_valid_ring(const double *xy, size_t n, ccn_rings *scratch)
{
    if (n < 4 || n > 65 ||
        !ccn_grow((void **)&scratch->xy, &scratch->capxy, 2 * n, sizeof *scratch->xy))
        return false;
    memcpy(scratch->xy, xy, 2 * n * sizeof *xy);
    return certainly_simple(scratch->xy, n);
}

/* The test of ccn_rings_certainly_valid on a shell's n coordinates in v
 * (4 to 65 of them; v is overwritten). */
static bool certainly_simple(double *v, size_t n)
{
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

/* ---- the common area ----------------------------------------------------
 *
 * The sum runs over the pairs (e of A, f of B) whose x-ranges overlap, found
 * by a sweep over the edges sorted by their left ends. Each pair's term is
 * first computed in doubles beside a running bound of its rounding error
 * (the analysis is in rings.h); when the bound is above what rings.h
 * promises, the same pairs are summed again in double-double arithmetic
 * (about 106 bits), where the same analysis gives a bound 10^15 times
 * smaller. */

#define U 0x1p-53  /* unit roundoff of a double */
#define K_TERM 64  /* a term's error is within K_TERM u (hi - lo) ymax (rings.h) */
#define U_DD (16 * U * U) /* relative error of one double-double operation, at most */

/* One edge that spans some x, moved to A's origin. */
struct ccn_span {
    double x1, y1, x2, y2; /* local coordinates (exact unless inexact is set) */
    double xlo, xhi;       /* min and max of x1, x2 */
    double s;              /* +1 running leftward, -1 rightward */
    double ymax;           /* max |y1|, |y2| */
    const double *p, *q;   /* the stored vertices, for the double-double path */
};

/* ---- double-double arithmetic (Dekker, Knuth; no FMA needed) ---- */

typedef struct {
    double hi, lo;
} dd;

static dd two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return (dd){s, (a - (s - bb)) + (b - bb)};
}

static dd fast_two_sum(double a, double b) /* |a| >= |b| or a == 0 */
{
    double s = a + b;
    return (dd){s, b - (s - a)};
}

static dd two_prod(double a, double b)
{
    const double split = 134217729.0; /* 2^27 + 1 */
    double p = a * b, ca = split * a, cb = split * b;
    double ah = ca - (ca - a), al = a - ah, bh = cb - (cb - b), bl = b - bh;
    return (dd){p, ((ah * bh - p) + ah * bl + al * bh) + al * bl};
}

static dd dd_add(dd a, dd b)
{
    dd s = two_sum(a.hi, b.hi), t = two_sum(a.lo, b.lo);
    s.lo += t.hi;
    s = fast_two_sum(s.hi, s.lo);
    s.lo += t.lo;
    return fast_two_sum(s.hi, s.lo);
}

static dd dd_neg(dd a) { return (dd){-a.hi, -a.lo}; }
static dd dd_sub(dd a, dd b) { return dd_add(a, dd_neg(b)); }

static dd dd_mul(dd a, dd b)
{
    dd p = two_prod(a.hi, b.hi);
    p.lo += a.hi * b.lo + a.lo * b.hi;
    return fast_two_sum(p.hi, p.lo);
}

static dd dd_div(dd a, dd b)
{
    double q1 = a.hi / b.hi;
    dd r = dd_sub(a, dd_mul((dd){q1, 0}, b));
    double q2 = r.hi / b.hi;
    r = dd_sub(r, dd_mul((dd){q2, 0}, b));
    double q3 = r.hi / b.hi;
    return dd_add(fast_two_sum(q1, q2), (dd){q3, 0});
}

static int dd_sign(dd a) { return a.hi > 0 ? 1 : a.hi < 0 ? -1 : a.lo > 0 ? 1 : a.lo < 0 ? -1 : 0; }
static bool dd_less(dd a, dd b) { return dd_sign(dd_sub(a, b)) < 0; }

/* ---- one pair's term ---- */

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

/* The same in double-double. */
static dd piece_dd(dd lo, dd hi, dd ul, dd uh, dd vl, dd vh)
{
    const dd zero = {0, 0}, one = {1, 0};
    dd t[4] = {zero, one, one, one};
    int n = 1, sl = dd_sign(vl), sh = dd_sign(vh);
    if (sl * sh < 0)
        t[n++] = dd_div(vl, dd_sub(vl, vh));
    dd dl = dd_sub(ul, vl), dh = dd_sub(uh, vh);
    if (dd_sign(dl) * dd_sign(dh) < 0)
        t[n++] = dd_div(dl, dd_sub(dl, dh));
    if (n == 3 && dd_less(t[2], t[1])) {
        dd s = t[1];
        t[1] = t[2];
        t[2] = s;
    }
    t[n++] = one;
    dd sum = zero, prev_t = zero, prev_g = zero;
    for (int i = 0; i < n; i++) {
        dd u = dd_add(ul, dd_mul(t[i], dd_sub(uh, ul))), v = dd_add(vl, dd_mul(t[i], dd_sub(vh, vl)));
        dd g = dd_sign(v) > 0 ? (dd_less(u, v) ? u : v) : zero;
        g = dd_sign(g) > 0 ? g : zero;
        if (i)
            sum = dd_add(sum, dd_mul(dd_add(g, prev_g), dd_sub(t[i], prev_t)));
        prev_t = t[i];
        prev_g = g;
    }
    dd w = dd_sub(hi, lo);
    return dd_mul(sum, (dd){w.hi / 2, w.lo / 2});
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

/* Height of the line through (x1, y1)-(x2, y2) at x (x1 != x2). */
static double at(double x1, double y1, double x2, double y2, double x)
{
    return y1 + (y2 - y1) * ((x - x1) / (x2 - x1));
}

static dd at_dd(dd x1, dd y1, dd x2, dd y2, dd x)
{
    return dd_add(y1, dd_mul(dd_sub(y2, y1), dd_div(dd_sub(x, x1), dd_sub(x2, x1))));
}

/* The running sums of a sweep. */
typedef struct {
    double ox, oy;     /* A's origin */
    bool use_dd;       /* sum in double-double */
    double total;      /* the sum of the terms (double path) */
    double comp;       /* and the rounding errors of that sum */
    dd total_dd;       /* the same (double-double path) */
    double scale;      /* Σ (hi - lo) ymax over the pairs */
    double partial;    /* Σ |partial sums| (of comp in doubles), for the rounding of the sum */
    size_t pairs, limit;
} sweep_sums;

static dd local(double v, double o) { return two_sum(v, -o); }

static void term(sweep_sums *s, const ccn_span *e, const ccn_span *f)
{
    double lo = e->xlo > f->xlo ? e->xlo : f->xlo, hi = e->xhi < f->xhi ? e->xhi : f->xhi;
    if (hi < lo || (hi == lo && !s->use_dd))
        return; /* (moved coordinates that rounded to one may differ: dd decides) */
    s->pairs++;
    s->scale += (hi - lo) * (e->ymax > f->ymax ? e->ymax : f->ymax);
    if (!s->use_dd) {
        double ul = at(e->x1, e->y1, e->x2, e->y2, lo), uh = at(e->x1, e->y1, e->x2, e->y2, hi);
        double vl = at(f->x1, f->y1, f->x2, f->y2, lo), vh = at(f->x1, f->y1, f->x2, f->y2, hi);
        /* compensated: the sum's rounding errors are kept in comp */
        dd t = two_sum(s->total, e->s * f->s * piece(lo, hi, ul, uh, vl, vh));
        s->total = t.hi;
        s->comp += t.lo;
        s->partial += fabs(s->comp);
        return;
    }
    /* lo and hi are stored vertices' local x: take them exactly from there. */
    dd ex1 = local(e->p[0], s->ox), ey1 = local(e->p[1], s->oy);
    dd ex2 = local(e->q[0], s->ox), ey2 = local(e->q[1], s->oy);
    dd fx1 = local(f->p[0], s->ox), fy1 = local(f->p[1], s->oy);
    dd fx2 = local(f->q[0], s->ox), fy2 = local(f->q[1], s->oy);
    dd elo = dd_less(ex1, ex2) ? ex1 : ex2, ehi = dd_less(ex1, ex2) ? ex2 : ex1;
    dd flo = dd_less(fx1, fx2) ? fx1 : fx2, fhi = dd_less(fx1, fx2) ? fx2 : fx1;
    dd dlo = dd_less(elo, flo) ? flo : elo, dhi = dd_less(ehi, fhi) ? ehi : fhi;
    if (dd_sign(dd_sub(dhi, dlo)) <= 0)
        return;
    dd ul = at_dd(ex1, ey1, ex2, ey2, dlo), uh = at_dd(ex1, ey1, ex2, ey2, dhi);
    dd vl = at_dd(fx1, fy1, fx2, fy2, dlo), vh = at_dd(fx1, fy1, fx2, fy2, dhi);
    dd t = piece_dd(dlo, dhi, ul, uh, vl, vh);
    s->total_dd = dd_add(s->total_dd, e->s * f->s > 0 ? t : dd_neg(t));
    s->partial += fabs(s->total_dd.hi);
}

static int cmp_span(const void *x, const void *y)
{
    const ccn_span *a = x, *b = y;
    return a->xlo < b->xlo ? -1 : a->xlo > b->xlo;
}

static void sort_spans(ccn_span *v, size_t n)
{
    if (n > 24) {
        qsort(v, n, sizeof *v, cmp_span);
        return;
    }
    for (size_t i = 1; i < n; i++) { /* few edges: insertion sort is quicker */
        ccn_span x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].xlo > x.xlo; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Every pair of a span of a[0..na) and one of b[0..nb) (each sorted by xlo)
 * whose x-ranges overlap, once: false when there are more than s->limit. */
static bool sweep(sweep_sums *s, const ccn_span *a, size_t na, const ccn_span *b, size_t nb,
                  size_t *act)
{
    size_t *act_a = act, *act_b = act + na, n_a = 0, n_b = 0, i = 0, j = 0;
    while (i < na || j < nb) {
        if (j == nb || (i < na && a[i].xlo <= b[j].xlo)) {
            const ccn_span *e = &a[i];
            size_t keep = 0;
            for (size_t k = 0; k < n_b; k++) {
                const ccn_span *f = &b[act_b[k]];
                if (f->xhi < e->xlo)
                    continue; /* ended: no later span meets it (a tie may, if the moves rounded) */
                act_b[keep++] = act_b[k];
                term(s, e, f);
            }
            n_b = keep;
            act_a[n_a++] = i++;
        } else {
            const ccn_span *f = &b[j];
            size_t keep = 0;
            for (size_t k = 0; k < n_a; k++) {
                const ccn_span *e = &a[act_a[k]];
                if (e->xhi < f->xlo)
                    continue;
                act_a[keep++] = act_a[k];
                term(s, e, f);
            }
            n_a = keep;
            act_b[n_b++] = j++;
        }
        if (s->pairs > s->limit)
            return false;
    }
    return true;
}

/* Append the edge p-q as a span; *inexact when its move to the origin rounded. */
static bool add_span(ccn_rings *w, size_t *n, const double *p, const double *q, double ox,
                     double oy, bool *inexact)
{
    if (!ccn_grow((void **)&w->span, &w->capspan, *n + 1, sizeof *w->span))
        return false;
    dd x1 = local(p[0], ox), y1 = local(p[1], oy), x2 = local(q[0], ox), y2 = local(q[1], oy);
    *inexact |= x1.lo != 0 || y1.lo != 0 || x2.lo != 0 || y2.lo != 0;
    ccn_span *s = &w->span[(*n)++];
    *s = (ccn_span){.x1 = x1.hi, .y1 = y1.hi, .x2 = x2.hi, .y2 = y2.hi, .p = p, .q = q,
                    .xlo = fmin(x1.hi, x2.hi), .xhi = fmax(x1.hi, x2.hi),
                    .s = q[0] < p[0] ? 1 : -1, .ymax = fmax(fabs(y1.hi), fabs(y2.hi))};
    return true;
}

/* Area of rings [a0, a1) of a, around the origin (ox, oy), in doubles with
 * *err its rounding bound, or in double-double. */
static dd rings_area(const ccn_rings *a, size_t a0, size_t a1, double ox, double oy, bool use_dd,
                     double *err)
{
    double sum = 0, mag = 0;
    dd sum_dd = {0, 0};
    size_t n = 0;
    for (size_t ra = a0; ra < a1; ra++) {
        const ccn_ring *A = &a->ring[ra];
        const double *av = a->xy + 2 * A->first;
        for (size_t i = 0; i < A->n; i++, n++) {
            const double *p = av + 2 * i, *q = av + 2 * (i + 1 < A->n ? i + 1 : 0);
            if (use_dd) {
                dd c = dd_sub(dd_mul(local(p[0], ox), local(q[1], oy)),
                              dd_mul(local(q[0], ox), local(p[1], oy)));
                sum_dd = dd_add(sum_dd, c);
                mag += fabs(sum_dd.hi) + fabs(c.hi);
            } else {
                double l = (p[0] - ox) * (q[1] - oy), r = (q[0] - ox) * (p[1] - oy);
                sum += l - r;
                mag += fabs(l) + fabs(r) + fabs(sum);
            }
        }
    }
    /* Doubles: the moves, products and difference of a term are within 4u
     * of its |l| + |r| (moves exact or not), the sum adds u |sum| per term. */
    *err = (use_dd ? 8 * U_DD : 4 * U) * mag / 2 * 1.01;
    return use_dd ? (dd){sum_dd.hi / 2, sum_dd.lo / 2} : (dd){sum / 2, 0};
}

double ccn_rings_common_area(const ccn_rings *a, size_t a0, size_t a1, const ccn_rings *b,
                             size_t b0, size_t b1, ccn_rings *scratch, double *bound)
{
    if (bound)
        *bound = 0;
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
    /* B's rings: those with no edge near A's box add A's area times their
     * winding number around it; the others give their spans. */
    double winding_sum = 0;
    size_t nb = 0, na = 0;
    bool inexact = false;
    for (size_t rb = b0; rb < b1; rb++) {
        const ccn_ring *B = &b->ring[rb];
        if (B->xmax <= ox || B->xmin >= axmax || B->ymax <= oy)
            continue; /* no x in common with A, or wholly under it: adds nothing */
        const double *bv = b->xy + 2 * B->first;
        size_t first = nb;
        bool through = false; /* an edge of B may pass through A's box */
        double winding = 0, cx = ox + (axmax - ox) / 2; /* on the line x = cx above A's box */
        for (size_t j = 0; j < B->n; j++) {
            const double *p = bv + 2 * j, *q = bv + 2 * (j + 1 < B->n ? j + 1 : 0);
            double lo = fmin(p[0], q[0]), hi = fmax(p[0], q[0]);
            double ylo = fmin(p[1], q[1]), yhi = fmax(p[1], q[1]);
            if (hi < ox || lo > axmax)
                continue; /* beside A's box */
            if (ylo <= aymax && yhi >= oy)
                through = true; /* its box meets A's box (vertical edges too) */
            if (lo < hi && hi > ox && lo < axmax && yhi > oy &&
                !add_span(scratch, &nb, p, q, ox, oy, &inexact))
                return -1;
            if (lo <= cx && cx < hi && ylo > aymax)
                winding += q[0] < p[0] ? 1 : -1;
        }
        if (!through) {
            nb = first; /* A is wholly in B or wholly out: no pairs needed */
            winding_sum += winding;
        }
    }
    /* A's spans after B's (one array), both sorted by their left ends. */
    size_t ns = nb;
    if (nb)
        for (size_t ra = a0; ra < a1; ra++) {
            const ccn_ring *A = &a->ring[ra];
            const double *av = a->xy + 2 * A->first;
            for (size_t i = 0; i < A->n; i++) {
                const double *p = av + 2 * i, *q = av + 2 * (i + 1 < A->n ? i + 1 : 0);
                if (p[0] != q[0] && !add_span(scratch, &ns, p, q, ox, oy, &inexact))
                    return -1;
            }
        }
    na = ns - nb;
    if (!ccn_grow((void **)&scratch->act, &scratch->capact, ns + 1, sizeof *scratch->act))
        return -1;
    ccn_span *bs = scratch->span, *as = scratch->span + nb;
    sort_spans(bs, nb);
    sort_spans(as, na);
    /* Doubles first (unless a move to the origin rounded), double-double
     * when their bound is too loose: at most a few times the pairs each. */
    double area_err = 0;
    dd area_a = {0, 0};
    sweep_sums s = {.ox = ox, .oy = oy, .use_dd = inexact, .limit = 8 * (na + nb) + 1024};
    for (;;) {
        if (!sweep(&s, as, na, bs, nb, scratch->act))
            return NAN; /* too many pairs: GEOS is quicker */
        if (winding_sum != 0)
            area_a = rings_area(a, a0, a1, ox, oy, s.use_dd, &area_err);
        double total;
        if (s.use_dd) { /* one rounding, at the end */
            dd t = dd_add(s.total_dd, dd_mul((dd){winding_sum, 0}, area_a));
            total = t.hi + t.lo;
        } else {
            total = s.total + (s.comp + winding_sum * area_a.hi);
            s.partial += 2 * (fabs(total) + fabs(s.comp) + fabs(winding_sum * area_a.hi));
        }
        double err = (s.use_dd ? K_TERM * U_DD * s.scale + 4 * U_DD * s.partial + U * fabs(total)
                               : K_TERM * U * s.scale + U * s.partial) * 1.01 +
                     fabs(winding_sum) * area_err + U * fabs(total);
        if (err <= CCN_RINGS_ABS_ERROR + CCN_RINGS_REL_ERROR * fabs(total)) {
            if (bound)
                *bound = err;
            return total;
        }
        if (s.use_dd)
            return NAN; /* beyond double-double too (coordinates far beyond 1e8) */
        s = (sweep_sums){.ox = ox, .oy = oy, .use_dd = true, .limit = 2 * (na + nb) + 1024};
    }
}
