/* coverage: overlaps, gaps and slivers on shapes whose answer is worked out by
 * hand, then on a jittered grid checked against brute force (every pair
 * intersected by GEOS, the uncovered area from GEOS's union). */
#include "check.h"

#include "coverage.h"
#include "width.h"
#include "ctx.h"
#include "geom.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static GEOSContextHandle_t h;

static GEOSGeometry *wkt(const char *text)
{
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, text);
    GEOSWKTReader_destroy_r(h, r);
    if (!g)
        fprintf(stderr, "bad WKT: %s\n", text);
    return g;
}

/* A rectangle in local metres, placed near 560000 / 2190000 like the
 * workspace's EPSG:5897 data, so rounding is what it will be there. */
static GEOSGeometry *rect(double x0, double y0, double x1, double y1)
{
    return GEOSGeom_createRectangle_r(h, 560000 + x0, 2190000 + y0, 560000 + x1, 2190000 + y1);
}

typedef struct {
    GEOSGeometry *g[64];
    size_t n;
    ccn_coverage_issue *is;
    size_t nis;
} set;

static void add(set *s, GEOSGeometry *g) { s->g[s->n++] = g; }

static void clear(set *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->g[i])
            GEOSGeom_destroy_r(h, s->g[i]);
    free(s->is);
    *s = (set){0};
}

static const ccn_coverage_options defaults = {0.5, 50, 0.08, 1, 0.001};

/* WKB written by hand in one of several flavours (check.c hands coverage
 * the parcels as WKB): byte order, 2 to 4 numbers per point (ISO type codes
 * or extended WKB's flag bits, with an SRID), multipolygons as such. */
typedef struct {
    unsigned char *b;
    size_t n, cap;
} wbuf;

static void put(wbuf *w, const void *p, size_t n, bool big)
{
    if (w->n + n > w->cap) {
        w->cap = 2 * (w->n + n) + 64;
        w->b = realloc(w->b, w->cap);
    }
    for (size_t k = 0; k < n; k++) /* the machine is little-endian */
        w->b[w->n + k] = ((const unsigned char *)p)[big ? n - 1 - k : k];
    w->n += n;
}

static void put_u32(wbuf *w, uint32_t v, bool big) { put(w, &v, 4, big); }
static void put_f64(wbuf *w, double v, bool big) { put(w, &v, 8, big); }

static void put_header(wbuf *w, uint32_t type, int flavour)
{
    bool big = flavour & 1;
    unsigned char order = big ? 0 : 1;
    put(w, &order, 1, false);
    switch (flavour / 2) {
    case 0: put_u32(w, type, big); break;                      /* XY */
    case 1: put_u32(w, type + 1000, big); break;               /* ISO XYZ */
    case 2: put_u32(w, type + 3000, big); break;               /* ISO XYZM */
    default:                                                   /* EWKB XYZ with an SRID */
        put_u32(w, type | 0x80000000u | 0x20000000u, big);
        put_u32(w, 5897, big);
    }
}

static void put_polygon(wbuf *w, const GEOSGeometry *p, int flavour)
{
    bool big = flavour & 1;
    int dims = flavour / 2 == 0 ? 2 : flavour / 2 == 2 ? 4 : 3;
    put_header(w, 3, flavour);
    int holes = GEOSGetNumInteriorRings_r(h, p);
    put_u32(w, (uint32_t)holes + 1, big);
    for (int r = -1; r < holes; r++) {
        const GEOSCoordSequence *cs =
            GEOSGeom_getCoordSeq_r(h, r < 0 ? GEOSGetExteriorRing_r(h, p) : GEOSGetInteriorRingN_r(h, p, r));
        unsigned int m = 0;
        GEOSCoordSeq_getSize_r(h, cs, &m);
        put_u32(w, m, big);
        for (unsigned int k = 0; k < m; k++) {
            double x, y;
            GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
            put_f64(w, x, big);
            put_f64(w, y, big);
            for (int d = 2; d < dims; d++)
                put_f64(w, 7.5 * d, big); /* Z and M: ignored */
        }
    }
}

static void put_geometry(wbuf *w, const GEOSGeometry *g, int flavour)
{
    if (GEOSGeomTypeId_r(h, g) == GEOS_POLYGON) {
        put_polygon(w, g, flavour);
        return;
    }
    int n = GEOSGetNumGeometries_r(h, g);
    put_header(w, 6, flavour);
    put_u32(w, (uint32_t)n, flavour & 1);
    for (int k = 0; k < n; k++)
        put_polygon(w, GEOSGetGeometryN_r(h, g, k), flavour);
}

static bool same_issue(const ccn_coverage_issue *p, const ccn_coverage_issue *q)
{
    return p->kind == q->kind && p->a == q->a && p->b == q->b && p->area == q->area &&
           (p->x == q->x || (isnan(p->x) && isnan(q->x))) &&
           (p->y == q->y || (isnan(p->y) && isnan(q->y))) &&
           (p->width == q->width || (isnan(p->width) && isnan(q->width)));
}

/* Polygons streamed as check.c streams parcels: by the left of their
 * envelope, `size` at a time, as GEOS geometries or as WKB; ids 3i + 5
 * (the issues name ids: 3i + 5 stands for polygon i). */
typedef struct {
    const GEOSGeometry *const *g;
    size_t n, size, at;
    size_t *order;        /* the polygons by min x (absent ones first) */
    double *minx;
    bool as_wkb;
    size_t *id, *off, *len;  /* room for a batch */
    const GEOSGeometry **geom;
    wbuf w;
    int reads;            /* passes begun */
    int boxed;            /* of which around a box */
    bool around;          /* the last was: only the polygons meeting box are given */
    double box[4];
    double lie;           /* added to next_x: a source that breaks its promise */
} stream_src;

static bool meets_box(const stream_src *s, size_t i)
{
    double x0, y0, x1, y1;
    if (!s->g[i] || GEOSisEmpty_r(h, s->g[i]) ||
        !GEOSGeom_getExtent_r(h, s->g[i], &x0, &y0, &x1, &y1))
        return false;
    return x0 <= s->box[2] && x1 >= s->box[0] && y0 <= s->box[3] && y1 >= s->box[1];
}

static ccn_status stream_next(void *user, ccn_coverage_batch *b)
{
    stream_src *s = user;
    size_t m = 0;
    s->w.n = 0;
    while (m < s->size && s->at < s->n) {
        size_t i = s->order[s->at++];
        if (s->around && !meets_box(s, i))
            continue;
        s->id[m] = 3 * i + 5;
        s->geom[m] = s->as_wkb ? NULL : s->g[i];
        s->off[m] = s->w.n;
        if (s->as_wkb && s->g[i])
            put_geometry(&s->w, s->g[i], 0);
        s->len[m] = s->w.n - s->off[m];
        m++;
    }
    *b = (ccn_coverage_batch){{m, s->geom, s->w.b, s->off, s->len}, s->id,
                              s->at < s->n ? s->minx[s->order[s->at]] + s->lie : INFINITY};
    return CCN_OK;
}

static ccn_status stream_rewind(void *user, const double *box)
{
    stream_src *s = user;
    s->at = 0;
    s->reads++;
    s->boxed += box != NULL;
    if ((s->around = box != NULL))
        memcpy(s->box, box, sizeof s->box);
    return CCN_OK;
}

static stream_src *cmp_src;
static int cmp_minx(const void *a, const void *b)
{
    double p = cmp_src->minx[*(const size_t *)a], q = cmp_src->minx[*(const size_t *)b];
    return p < q ? -1 : p > q;
}

/* The streamed check must give the very issues of the check of all at
 * once: a pair lost or measured twice as polygons come and go changes the
 * list. */
static void same_streamed(ccn_ctx *ctx, const GEOSGeometry *const *g, size_t n, size_t size,
                          bool as_wkb, const ccn_coverage_options *o,
                          const ccn_coverage_issue *want, size_t nwant)
{
    stream_src s = {g, n, size, 0, malloc((n + 1) * sizeof(size_t)),
                    malloc((n + 1) * sizeof(double)), as_wkb};
    for (size_t i = 0; i < n; i++) {
        double x0 = -INFINITY, y0, x1, y1;
        if (g[i] && !GEOSisEmpty_r(h, g[i]))
            GEOSGeom_getExtent_r(h, g[i], &x0, &y0, &x1, &y1);
        s.order[i] = i, s.minx[i] = x0;
    }
    s.id = malloc((size + 1) * sizeof *s.id);
    s.off = malloc((size + 1) * sizeof *s.off);
    s.len = malloc((size + 1) * sizeof *s.len);
    s.geom = malloc((size + 1) * sizeof *s.geom);
    cmp_src = &s;
    qsort(s.order, n, sizeof *s.order, cmp_minx);
    ccn_coverage_source src = {stream_next, stream_rewind, &s};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check_stream(ctx, &src, o, &is, &nis) == CCN_OK);
    CHECK(nis == nwant);
    for (size_t q = 0; q < nis && q < nwant; q++) {
        ccn_coverage_issue u = is[q];
        CHECK(u.a == CCN_COVERAGE_NONE || (u.a >= 5 && (u.a - 5) % 3 == 0));
        CHECK(u.b == CCN_COVERAGE_NONE || (u.b >= 5 && (u.b - 5) % 3 == 0));
        u.a = u.a == CCN_COVERAGE_NONE ? u.a : (u.a - 5) / 3;
        u.b = u.b == CCN_COVERAGE_NONE ? u.b : (u.b - 5) / 3;
        CHECK(same_issue(&u, &want[q]));
    }
    free(is);
    free(s.order);
    free(s.minx);
    free(s.id);
    free(s.off);
    free(s.len);
    free(s.geom);
    free(s.w.b);
}

/* A source whose polygons come west of what it promised: an error, not a
 * pair silently lost. */
static void broken_promise(ccn_ctx *ctx)
{
    GEOSGeometry *g[3] = {rect(0, 0, 10, 10), rect(5, 5, 15, 15), rect(20, 0, 30, 10)};
    stream_src s = {(const GEOSGeometry *const *)g, 3, 1, 0, (size_t[]){0, 1, 2},
                    (double[]){560000, 560005, 560020}, false};
    size_t id[1], off[1], len[1];
    const GEOSGeometry *geom[1];
    s.id = id, s.off = off, s.len = len, s.geom = geom;
    s.lie = 8; /* the second polygon starts at 5, not 13 */
    ccn_coverage_source src = {stream_next, stream_rewind, &s};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check_stream(ctx, &src, &defaults, &is, &nis) == CCN_ERR_INTERNAL);
    CHECK(strstr(ccn_ctx_message(ctx), "not given west to east") != NULL);
    ccn_ctx_clear_error(ctx);
    free(is);
    s.lie = 0, s.at = 0; /* kept: the overlap of the first two */
    CHECK(ccn_coverage_check_stream(ctx, &src, &defaults, &is, &nis) == CCN_OK);
    CHECK(nis == 1 && is[0].kind == CCN_COVERAGE_OVERLAP && is[0].a == 5 && is[0].b == 8);
    free(is);
    for (int k = 0; k < 3; k++)
        GEOSGeom_destroy_r(h, g[k]);
}

/* Six sloppily digitised parcels (cut out of a ccn-gen district with
 * --noise: ccn check's options) where the noder moves a vertex and the side
 * labels of one face do not add up: that face (uncovered: taking it for
 * covered changes the issues) is tested against the polygons themselves,
 * which the streamed check has let go and reads once more (the source
 * rewound). The same issues as the check of all at once, in batches of
 * one, two, seven and all. */
static void second_read(ccn_ctx *ctx)
{
    static const char *const hex[] = {
        "010600000001000000010300000001000000070000000C022B8783292141FCA9F112B5B74041250681558529"
        "2141713D0A27BCB7404154E3A55B8329214160E5D0A2C5B740413D0AD7A3C8292141BA490C72C6B740418FC2"
        "F5E8CB2921415EBA495CBEB7404121B07268C829214104560E6DB2B740410C022B8783292141FCA9F112B5B7"
        "4041",
        "010600000001000000010300000001000000060000003D0AD763C82921415EBA496CB2B74041FCA9F1D2CB29"
        "21415EBA495CBEB740412DB29DAFC82921414260E570C6B74041A4703D8AFF292141C976BE5FC4B7404146B6"
        "F33D132A2141000000E0B6B740413D0AD763C82921415EBA496CB2B74041",
        "0106000000010000000103000000010000000600000096438BAC8029214106819533A7B74041CBA145768329"
        "21418B6CE71BB5B74041B29DEF67C82921412731086CB2B7404133333333C82921412DB29DDFA4B740417B14"
        "AEC7A129214177BE9F4AA6B7404196438BAC8029214106819533A7B74041",
        "01060000000100000001030000000100000005000000CBA14536C8292141986E12E3A4B74041C976BE5FC829"
        "2141C1CAA165B2B74041AAF1D24D132A2141333333E3B6B7404108AC1C5A0A2A2141F4FDD438A5B74041CBA1"
        "4536C8292141986E12E3A4B74041",
        "0106000000010000000103000000010000000700000085EB51B887292141894160E595B74041621058B98029"
        "2141A01A2F2DA7B74041666666E6A12921418716D94EA6B74041BE9F1A2FC829214114AE47E1A4B7404152B8"
        "1E85C8292141666666269DB74041508D97EECA29214146B6F3CD93B7404185EB51B887292141894160E595B7"
        "4041",
        "01060000000100000001030000000100000007000000666666E6CA29214177BE9FCA93B740411D5A647BC829"
        "21416ABC74239DB740415839B448C829214191ED7CDFA4B7404183C0CA610A2A214154E3A53BA5B740418FC2"
        "F5E8022A214177BE9F8A95B7404146B6F3BDE92921411904567E94B74041666666E6CA29214177BE9FCA93B7"
        "4041",
    };
    ccn_coverage_options o = {0.5, 50, 0.08, 1, 0.01, 0.05};
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    const GEOSGeometry *g[6];
    for (int k = 0; k < 6; k++)
        g[k] = GEOSWKBReader_readHEX_r(h, r, (const unsigned char *)hex[k], strlen(hex[k]));
    GEOSWKBReader_destroy_r(h, r);
    ccn_coverage_issue *want = NULL;
    size_t nwant = 0;
    CHECK(ccn_coverage_check(ctx, g, 6, &o, &want, &nwant) == CCN_OK);
    /* (ccn check finds on them an overlap of 0.992 m² between the first
     * and third, and three edge mismatches: 1-2, 2-4, 3-5 counting from 1) */
    CHECK(nwant == 4);
    CHECK(nwant > 0 && want[0].kind == CCN_COVERAGE_OVERLAP && want[0].a == 0 && want[0].b == 2);
    static const size_t sizes[] = {1, 2, 7, 6};
    for (int k = 0; k < 4; k++) {
        stream_src s = {g, 6, sizes[k], 0, (size_t[]){0}, (double[6]){0}, k % 2 == 1};
        size_t id[7], off[7], len[7];
        const GEOSGeometry *geom[7];
        s.id = id, s.off = off, s.len = len, s.geom = geom;
        size_t order[6] = {0, 1, 2, 3, 4, 5};
        for (int i = 0; i < 6; i++) {
            double y0, x1, y1;
            GEOSGeom_getExtent_r(h, g[i], &s.minx[i], &y0, &x1, &y1);
        }
        cmp_src = &s;
        qsort(order, 6, sizeof *order, cmp_minx);
        s.order = order;
        ccn_coverage_source src = {stream_next, stream_rewind, &s};
        ccn_coverage_issue *is = NULL;
        size_t nis = 0;
        CHECK(ccn_coverage_check_stream(ctx, &src, &o, &is, &nis) == CCN_OK);
        CHECK(s.reads == 1); /* the face tested on a second read, */
        CHECK(s.boxed == 1); /* of the polygons around it only */
        CHECK(nis == nwant);
        for (size_t q = 0; q < nis && q < nwant; q++) {
            ccn_coverage_issue u = is[q];
            u.a = u.a == CCN_COVERAGE_NONE ? u.a : (u.a - 5) / 3;
            u.b = u.b == CCN_COVERAGE_NONE ? u.b : (u.b - 5) / 3;
            CHECK(same_issue(&u, &want[q]));
        }
        free(is);
        free(s.w.b);
    }
    free(want);
    for (int k = 0; k < 6; k++)
        GEOSGeom_destroy_r(h, (GEOSGeometry *)g[k]);
}

/* The gap pass takes the polygons in batches, left to right, and merges
 * each batch's pieces before the next: batches of one, two, seven
 * polygons must give the very same issues as one batch of all, and so
 * must polygons streamed in batches of one, two, seven. */
static void same_batched(ccn_ctx *ctx, const GEOSGeometry *const *g, size_t n,
                         const ccn_coverage_options *o, const ccn_coverage_issue *want, size_t nwant)
{
    same_streamed(ctx, g, n, 1, false, o, want, nwant);
    same_streamed(ctx, g, n, 2, true, o, want, nwant);
    same_streamed(ctx, g, n, 7, false, o, want, nwant);
    same_streamed(ctx, g, n, n, true, o, want, nwant);
    static const size_t sizes[] = {1, 2, 7};
    for (size_t k = 0; k < 3; k++) {
        ccn_coverage_options b = *o;
        b.batch = sizes[k];
        ccn_coverage_issue *is = NULL;
        size_t nis = 0;
        CHECK(ccn_coverage_check(ctx, g, n, &b, &is, &nis) == CCN_OK);
        CHECK(nis == nwant);
        for (size_t q = 0; q < nis && q < nwant; q++)
            CHECK(same_issue(&is[q], &want[q]));
        free(is);
    }
}

static int run(ccn_ctx *ctx, set *s, const ccn_coverage_options *o)
{
    free(s->is);
    s->is = NULL;
    ccn_status st = ccn_coverage_check(ctx, (const GEOSGeometry *const *)s->g, s->n, o ? o : &defaults,
                                       &s->is, &s->nis);
    CHECK(st == CCN_OK);
    /* The same polygons as WKB (every third one left as GEOS, as check.c
     * does for repaired ones): the very same issues. */
    static int flavour;
    wbuf w = {0};
    size_t off[64], len[64];
    const GEOSGeometry *keep[64] = {0};
    for (size_t i = 0; i < s->n; i++) {
        off[i] = w.n;
        if (s->g[i] && i % 3 == 2)
            keep[i] = s->g[i];
        else if (s->g[i] && GEOSGeomTypeId_r(h, s->g[i]) != GEOS_GEOMETRYCOLLECTION)
            put_geometry(&w, s->g[i], flavour++ % 8);
        else
            keep[i] = s->g[i];
        len[i] = w.n - off[i];
    }
    ccn_coverage_input in = {s->n, keep, w.b, off, len};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check_input(ctx, &in, o ? o : &defaults, &is, &nis) == CCN_OK);
    CHECK(nis == s->nis);
    for (size_t k = 0; k < nis && k < s->nis; k++)
        CHECK(same_issue(&is[k], &s->is[k]));
    free(is);
    free(w.b);
    same_batched(ctx, (const GEOSGeometry *const *)s->g, s->n, o ? o : &defaults, s->is, s->nis);
    return (int)s->nis;
}

static int count(const set *s, ccn_coverage_kind k)
{
    int n = 0;
    for (size_t i = 0; i < s->nis; i++)
        n += s->is[i].kind == k;
    return n;
}

static void hand_made(ccn_ctx *ctx)
{
    set s = {0};

    /* Two 20 m squares, the second shifted by (10, 10): a 10 x 10 overlap. */
    add(&s, rect(0, 0, 20, 20));
    add(&s, rect(10, 10, 30, 30));
    CHECK(run(ctx, &s, NULL) == 1);
    CHECK(s.is[0].kind == CCN_COVERAGE_OVERLAP && s.is[0].a == 0 && s.is[0].b == 1);
    CHECK_NEAR(s.is[0].area, 100, 1e-6);
    CHECK(s.is[0].x > 560010 && s.is[0].x < 560020 && s.is[0].y > 2190010 && s.is[0].y < 2190020);
    clear(&s);

    /* A long road under ten parcels (streamed in batches of one, two, seven,
     * the road, read first, is kept until the sweep passes its east end):
     * each parcel overlaps it by 5 x 1, pairs (0, k), and nothing else (the
     * land between the parcels opens to the outside: no gap). */
    add(&s, rect(0, 0, 100, 2));
    for (int k = 0; k < 10; k++)
        add(&s, rect(10 * k, 1, 10 * k + 5, 10));
    CHECK(run(ctx, &s, NULL) == 10);
    for (size_t k = 0; k < s.nis && k < 10; k++) {
        CHECK(s.is[k].kind == CCN_COVERAGE_OVERLAP && s.is[k].a == 0 && s.is[k].b == k + 1);
        CHECK_NEAR(s.is[k].area, 5, 1e-6);
    }
    clear(&s);

    /* Neighbours sharing an edge, and a T-junction (one long edge against two short ones):
     * nothing. */
    add(&s, rect(0, 0, 10, 10));
    add(&s, rect(10, 0, 20, 10));
    add(&s, rect(0, 10, 20, 20));
    CHECK(run(ctx, &s, NULL) == 0);
    clear(&s);

    /* Two L shapes (non-convex, ear-clipped), the second moved by (5, 5):
     * [5,20]x[5,10] 75 + [5,10]x[10,15] 25 + [5,10]x[15,20] 25 = 125. */
    add(&s, wkt("POLYGON((560000 2190000, 560020 2190000, 560020 2190010, 560010 2190010,"
                " 560010 2190020, 560000 2190020, 560000 2190000))"));
    add(&s, wkt("POLYGON((560005 2190005, 560025 2190005, 560025 2190015, 560015 2190015,"
                " 560015 2190025, 560005 2190025, 560005 2190005))"));
    CHECK(run(ctx, &s, NULL) == 1);
    CHECK_NEAR(s.is[0].area, 125, 1e-6);
    clear(&s);

    /* Frames with holes (GEOS measures that pair): [0,30]^2 - [10,20]^2 and
     * [5,35]x[0,30] - [15,25]x[10,20] share 750 - (100 + 100 - 50) = 600.
     * A 6 m square [12,18]^2 in the first hole meets only the second frame,
     * 36 less [15,18]x[12,18] of its hole = 18, and [5,15]^2 by [12,15]^2 = 9.
     * [5,15]^2 (a convex clipper over a ring with a hole) takes 100 - 25 = 75
     * of the first frame and all its 100 of the second (whose hole it meets
     * only along x = 15). */
    add(&s, wkt("POLYGON((560000 2190000, 560030 2190000, 560030 2190030, 560000 2190030, 560000 2190000),"
                " (560010 2190010, 560020 2190010, 560020 2190020, 560010 2190020, 560010 2190010))"));
    add(&s, wkt("POLYGON((560005 2190000, 560035 2190000, 560035 2190030, 560005 2190030, 560005 2190000),"
                " (560015 2190010, 560025 2190010, 560025 2190020, 560015 2190020, 560015 2190010))"));
    add(&s, rect(12, 12, 18, 18));
    add(&s, rect(5, 5, 15, 15));
    CHECK(run(ctx, &s, &(ccn_coverage_options){0.5, 0, 0.08, 0, 0.001}) == 5);
    static const struct {
        size_t a, b;
        double area;
    } want[] = {{0, 1, 600}, {0, 3, 75}, {1, 2, 18}, {1, 3, 100}, {2, 3, 9}};
    for (size_t k = 0; k < 5 && k < s.nis; k++) {
        CHECK(s.is[k].kind == CCN_COVERAGE_OVERLAP && s.is[k].a == want[k].a && s.is[k].b == want[k].b);
        CHECK_NEAR(s.is[k].area, want[k].area, 1e-6);
    }
    clear(&s);

    /* A 3 x 3 block of 10 m squares without its centre: a 100 m2 hole, a gap
     * below 150 m2 and none below 50. */
    for (int j = 0; j < 3; j++)
        for (int i = 0; i < 3; i++)
            if (i != 1 || j != 1)
                add(&s, rect(10 * i, 10 * j, 10 * i + 10, 10 * j + 10));
    CHECK(run(ctx, &s, NULL) == 0);
    CHECK(run(ctx, &s, &(ccn_coverage_options){0.5, 150, 0.08, 1, 0.001}) == 1);
    /* Named after the squares it runs along furthest: 1, 3, 4 and 6 by 10 m
     * each (the corner ones touch it at a point), the lowest two. */
    CHECK(s.is[0].kind == CCN_COVERAGE_GAP && s.is[0].a == 1 && s.is[0].b == 3);
    CHECK_NEAR(s.is[0].area, 100, 1e-6);
    CHECK(s.is[0].x > 560010 && s.is[0].x < 560020 && s.is[0].y > 2190010 && s.is[0].y < 2190020);
    /* An island of 4 x 4 inside the hole, touching nothing: the gap is 100 - 16. */
    add(&s, rect(13, 13, 17, 17));
    CHECK(run(ctx, &s, &(ccn_coverage_options){0.5, 90, 0.08, 1, 0.001}) == 1);
    CHECK_NEAR(s.is[0].area, 84, 1e-6);
    clear(&s);

    /* T-junctions with the centre parcel 1 m short: a 10 x 1 gap between a long
     * parcel above and three below. */
    add(&s, rect(0, 0, 10, 10));
    add(&s, rect(10, 0, 20, 9));
    add(&s, rect(20, 0, 30, 10));
    add(&s, rect(0, 10, 30, 20));
    add(&s, rect(0, -10, 30, 0));
    CHECK(run(ctx, &s, NULL) == 1);
    CHECK(s.is[0].kind == CCN_COVERAGE_GAP);
    CHECK_NEAR(s.is[0].area, 10, 1e-6);
    CHECK_NEAR(s.is[0].y, 2190009.5, 1e-6);
    /* A neighbour's vertex 0.5 mm off an edge is snapped onto it (snap 1 mm
     * here; ccn check snaps at 0.1 mm): the
     * 10 x 0.0005 / 2 m2 between them is neither a gap nor an overlap. */
    clear(&s);
    add(&s, wkt("POLYGON((560000 2190000, 560010 2190000, 560010 2190010.0005, 560000 2190010, 560000 2190000))"));
    add(&s, rect(10, 0, 20, 10));
    add(&s, rect(0, 10, 20, 20));
    add(&s, rect(-10, -10, 30, 0));
    CHECK(run(ctx, &s, NULL) == 0);
    clear(&s);

    /* Slivers: 0.5 x 30 (thinness 4 pi 15 / 61^2 = 0.0507, width 30 / 61 =
     * 0.492 m) is one; a 2 x 60 road (4 pi 120 / 124^2 = 0.098) is not thin
     * enough; a 0.9 x 100 strip is thin (0.0278) and narrow (180 / 201.8 =
     * 0.892 m). */
    add(&s, rect(0, 0, 0.5, 30));
    add(&s, rect(10, 0, 12, 60));
    add(&s, rect(20, 0, 20.9, 100));
    CHECK(run(ctx, &s, NULL) == 2);
    CHECK(count(&s, CCN_COVERAGE_SLIVER) == 2);
    CHECK(s.is[0].a == 0 && s.is[1].a == 2);
    CHECK_NEAR(s.is[0].area, 15, 1e-6);
    CHECK_NEAR(s.is[0].ratio, 4 * M_PI * 15 / (61.0 * 61.0), 1e-9);
    CHECK_NEAR(s.is[0].width, 30.0 / 61.0, 1e-9);
    CHECK_NEAR(s.is[1].width, 2 * 90.0 / 201.8, 1e-9);
    clear(&s);

    /* Nothing, and NULL entries, are fine. */
    CHECK(run(ctx, &s, NULL) == 0);
    add(&s, NULL);
    add(&s, rect(0, 0, 1, 1));
    CHECK(run(ctx, &s, NULL) == 0);
    clear(&s);
}

/* A jittered grid of cells sharing their vertices; some polygons get one
 * corner of their own moved, which makes overlaps on one side and gaps on
 * the other. Checked against GEOS by brute force. */
static void grid_against_brute_force(ccn_ctx *ctx, unsigned seed)
{
    enum { N = 24 };
    static double vx[N + 1][N + 1], vy[N + 1][N + 1];
    size_t n = (size_t)N * N;
    GEOSGeometry **g = calloc(n, sizeof *g);
    srand(seed);
    for (int j = 0; j <= N; j++)
        for (int i = 0; i <= N; i++) {
            bool edge = i == 0 || j == 0 || i == N || j == N;
            vx[j][i] = 560000 + 30.0 * i + (edge ? 0 : (rand() % 2001 - 1000) / 100.0);
            vy[j][i] = 2190000 + 30.0 * j + (edge ? 0 : (rand() % 2001 - 1000) / 100.0);
            vx[j][i] = round(vx[j][i] * 1000) / 1000; /* millimetres, as surveys give them */
            vy[j][i] = round(vy[j][i] * 1000) / 1000;
        }
    int moved = 0;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            double x[4] = {vx[j][i], vx[j][i + 1], vx[j + 1][i + 1], vx[j + 1][i]};
            double y[4] = {vy[j][i], vy[j][i + 1], vy[j + 1][i + 1], vy[j + 1][i]};
            if (i > 0 && j > 0 && i < N - 1 && j < N - 1 && rand() % 9 == 0) {
                int k = rand() % 4; /* inner cells only: the outline stays fixed */
                x[k] += (rand() % 801 - 400) / 100.0;
                y[k] += (rand() % 801 - 400) / 100.0;
                moved++;
            }
            GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 5, 2);
            for (int k = 0; k < 5; k++)
                GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, x[k % 4], y[k % 4]);
            GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, cs);
            GEOSGeometry *p = GEOSGeom_createPolygon_r(h, ring, NULL, 0);
            if (GEOSisValid_r(h, p) != 1) { /* a moved corner may fold a cell */
                GEOSGeometry *v = ccn_geom_make_valid(ctx, p);
                GEOSGeom_destroy_r(h, p);
                p = v;
            }
            g[(size_t)j * N + (size_t)i] = p;
        }
    CHECK(moved > 20);
    ccn_coverage_options o = {0.5, 1e12, 0.08, 0, 0.001};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check(ctx, (const GEOSGeometry *const *)g, n, &o, &is, &nis) == CCN_OK);
    same_batched(ctx, (const GEOSGeometry *const *)g, n, &o, is, nis);

    /* Overlaps: every pair. */
    size_t k = 0, brute = 0, matched = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            if (GEOSIntersects_r(h, g[a], g[b]) != 1)
                continue;
            GEOSGeometry *x = GEOSIntersection_r(h, g[a], g[b]);
            double area = 0;
            GEOSArea_r(h, x, &area);
            GEOSGeom_destroy_r(h, x);
            if (area <= o.overlap_min_m2)
                continue;
            brute++;
            while (k < nis && is[k].kind == CCN_COVERAGE_OVERLAP &&
                   (is[k].a < a || (is[k].a == a && is[k].b < b)))
                k++;
            if (k < nis && is[k].kind == CCN_COVERAGE_OVERLAP && is[k].a == a && is[k].b == b &&
                fabs(is[k].area - area) < 1e-6)
                matched++;
        }
    size_t overlaps = 0;
    double gap_sum = 0;
    for (size_t i = 0; i < nis; i++) {
        overlaps += is[i].kind == CCN_COVERAGE_OVERLAP;
        gap_sum += is[i].kind == CCN_COVERAGE_GAP ? is[i].area : 0;
    }
    CHECK(brute > 10);
    CHECK(matched == brute);
    CHECK(overlaps == brute);

    /* Gaps: with no size limit they are all the uncovered land inside the
     * fixed outline (less the holes at the noise floor, which are tiny). */
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    double covered = 0;
    GEOSArea_r(h, u, &covered);
    double outline = (30.0 * N) * (30.0 * N); /* the fixed 720 m square */
    CHECK(gap_sum > 10);
    CHECK_NEAR(gap_sum, outline - covered, 0.5 * 10);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll); /* owns the polygons */
    free(g);
    free(is);
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return u < v ? -1 : u > v;
}

/* Each cell digitised with its own copy of its corners, up to 3 mm off the
 * others' (within this test's 1 cm snap), and some corners moved metres: the gaps
 * are the holes of GEOS's union above the noise, area for area (within
 * what a centimetre's snapping moves), and the overlaps are exact. */
static void jittered_copies(ccn_ctx *ctx, unsigned seed)
{
    enum { N = 20 };
    size_t n = (size_t)N * N;
    GEOSGeometry **g = calloc(n, sizeof *g);
    srand(seed);
    int moved = 0;
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            double x[4] = {30.0 * i, 30.0 * (i + 1), 30.0 * (i + 1), 30.0 * i};
            double y[4] = {30.0 * j, 30.0 * j, 30.0 * (j + 1), 30.0 * (j + 1)};
            for (int k = 0; k < 4; k++) {
                x[k] = round((560000 + x[k] + (rand() % 7 - 3) / 1000.0) * 1000) / 1000;
                y[k] = round((2190000 + y[k] + (rand() % 7 - 3) / 1000.0) * 1000) / 1000;
            }
            if (i > 0 && j > 0 && i < N - 1 && j < N - 1 && rand() % 7 == 0) {
                int k = rand() % 4;
                x[k] += (rand() % 801 - 400) / 100.0;
                y[k] += (rand() % 801 - 400) / 100.0;
                moved++;
            }
            GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 5, 2);
            for (int k = 0; k < 5; k++)
                GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, x[k % 4], y[k % 4]);
            GEOSGeometry *p = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
            if (GEOSisValid_r(h, p) != 1) {
                GEOSGeometry *v = ccn_geom_make_valid(ctx, p);
                GEOSGeom_destroy_r(h, p);
                p = v;
            }
            g[(size_t)j * N + (size_t)i] = p;
        }
    CHECK(moved > 20);
    ccn_coverage_options o = {0.5, 1e6, 0.08, 0, 0.01};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check(ctx, (const GEOSGeometry *const *)g, n, &o, &is, &nis) == CCN_OK);
    same_batched(ctx, (const GEOSGeometry *const *)g, n, &o, is, nis);
    size_t brute = 0, mine = 0;
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            if (GEOSIntersects_r(h, g[a], g[b]) != 1)
                continue;
            GEOSGeometry *x = GEOSIntersection_r(h, g[a], g[b]);
            double area = 0;
            GEOSArea_r(h, x, &area);
            GEOSGeom_destroy_r(h, x);
            brute += area > o.overlap_min_m2;
        }
    double mine_gaps[256], union_gaps[256];
    size_t nm = 0, nu = 0;
    for (size_t k = 0; k < nis; k++) {
        mine += is[k].kind == CCN_COVERAGE_OVERLAP;
        if (is[k].kind == CCN_COVERAGE_GAP && is[k].area > 1 && nm < 256)
            mine_gaps[nm++] = is[k].area;
    }
    CHECK(brute > 10 && mine == brute);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
    GEOSGeometry *u = GEOSUnaryUnionPrec_r(h, coll, 0.01); /* slivers below 1 cm close */
    for (int p = 0; p < GEOSGetNumGeometries_r(h, u); p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, u, p);
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, poly); r++) {
            GEOSGeometry *ring = GEOSGeom_clone_r(h, GEOSGetInteriorRingN_r(h, poly, r));
            GEOSGeometry *hole = GEOSGeom_createPolygon_r(h, ring, NULL, 0);
            double a = 0;
            GEOSArea_r(h, hole, &a);
            GEOSGeom_destroy_r(h, hole);
            if (a > 1 && nu < 256)
                union_gaps[nu++] = a;
        }
    }
    qsort(mine_gaps, nm, sizeof *mine_gaps, cmp_double);
    qsort(union_gaps, nu, sizeof *union_gaps, cmp_double);
    CHECK(nu > 5 && nm == nu);
    for (size_t k = 0; k < nm && k < nu; k++)
        CHECK_NEAR(mine_gaps[k], union_gaps[k], 0.3);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
    free(g);
    free(is);
}

/* Sloppy parcels: every inner corner of every cell its own, up to 2 cm off,
 * and no snapping, so no edge cancels and the union's boundary is every edge:
 * 19,600 pieces, noded in 3 x 3 tiles. With no noise floor and no size limit
 * the gaps are all the land in GEOS's holes of the union, the outline kept
 * exact (a corner moved along it would open a sliver to the outside). */
static void sloppy_tiles(ccn_ctx *ctx)
{
    enum { N = 70 };
    size_t n = (size_t)N * N;
    GEOSGeometry **g = calloc(n, sizeof *g);
    srand(11);
    for (int j = 0; j < N; j++)
        for (int i = 0; i < N; i++) {
            double x[4] = {10.0 * i, 10.0 * (i + 1), 10.0 * (i + 1), 10.0 * i};
            double y[4] = {10.0 * j, 10.0 * j, 10.0 * (j + 1), 10.0 * (j + 1)};
            for (int k = 0; k < 4; k++) {
                bool outline = x[k] == 0 || x[k] == 10.0 * N || y[k] == 0 || y[k] == 10.0 * N;
                x[k] = 560000 + x[k] + (outline ? 0 : (rand() % 41 - 20) / 1000.0);
                y[k] = 2190000 + y[k] + (outline ? 0 : (rand() % 41 - 20) / 1000.0);
            }
            GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 5, 2);
            for (int k = 0; k < 5; k++)
                GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, x[k % 4], y[k % 4]);
            g[(size_t)j * N + (size_t)i] =
                GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
        }
    ccn_coverage_options o = {1e-9, 1e12, 0.08, 0, 0};
    ccn_coverage_issue *is = NULL;
    size_t nis = 0;
    CHECK(ccn_coverage_check(ctx, (const GEOSGeometry *const *)g, n, &o, &is, &nis) == CCN_OK);
    same_batched(ctx, (const GEOSGeometry *const *)g, n, &o, is, nis);
    double gaps = 0;
    size_t ngaps = 0;
    for (size_t k = 0; k < nis; k++)
        if (is[k].kind == CCN_COVERAGE_GAP)
            gaps += is[k].area, ngaps++;
    GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
    GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
    /* GEOS's holes, less the islands in them. Not all the land the union
     * leaves inside the outline: a parcel whose corners all moved inwards
     * may touch its neighbours only at points, and land it then helps
     * enclose lies outside every polygon of the union (7 m² here). */
    double holes = 0, covered = 0;
    for (int k = 0; k < GEOSGetNumGeometries_r(h, u); k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, u, k);
        for (int r = 0; r < GEOSGetNumInteriorRings_r(h, part); r++) {
            GEOSGeometry *hole = GEOSGeom_createPolygon_r(
                h, GEOSGeom_clone_r(h, GEOSGetInteriorRingN_r(h, part, r)), NULL, 0);
            GEOSGeometry *open = GEOSDifference_r(h, hole, u);
            double a = 0;
            GEOSArea_r(h, open, &a);
            holes += a;
            GEOSGeom_destroy_r(h, open);
            GEOSGeom_destroy_r(h, hole);
        }
    }
    GEOSArea_r(h, u, &covered);
    CHECK(ngaps > 100);
    CHECK_NEAR(gaps, holes, 1e-4);
    CHECK(700.0 * 700.0 - covered - holes > 1); /* the land outside every polygon is there */
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, coll);
    free(g);
    free(is);
}

/* Rings that repeat vertices, carry collinear runs or spikes, as workspaces
 * written by other tools hold them. A non-convex star of d distinct vertices
 * (every vertex stored r times, midpoints on some edges) against a shifted
 * copy: up to 48 distinct vertices are ear-clipped, so stored counts above
 * that once overflowed the triangles reserved per stored coordinate (ASan
 * caught it; outside it, "free(): invalid size"). The overlap is compared
 * with GEOS's intersection of the two. */
static GEOSGeometry *star(int d, int r, bool mids, double dx)
{
    int cap = d * (r + 1) + 1, m = 0;
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)cap, 2);
    double px = 0, py = 0;
    for (int k = 0; k <= d; k++) {
        double a = 2 * M_PI * (k % d) / d, rad = k % 2 ? 6 : 10;
        double x = 560000 + dx + rad * cos(a), y = 2190000 + rad * sin(a);
        if (mids && k > 0 && k % 3 == 0) /* a collinear vertex mid-edge */
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)m++, (x + px) / 2, (y + py) / 2);
        for (int t = 0; t < (k == d ? 1 : r); t++)
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)m++, x, y);
        px = x, py = y;
    }
    GEOSCoordSequence *fit = GEOSCoordSeq_create_r(h, (unsigned)m, 2);
    for (int k = 0; k < m; k++) {
        double x, y;
        GEOSCoordSeq_getXY_r(h, cs, (unsigned)k, &x, &y);
        GEOSCoordSeq_setXY_r(h, fit, (unsigned)k, x, y);
    }
    GEOSCoordSeq_destroy_r(h, cs);
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, fit), NULL, 0);
}

static void repeated_vertices(ccn_ctx *ctx)
{
    static const int ds[] = {6, 12, 24, 30, 46, 48, 50, 64};
    ccn_coverage_options o = {1e-6, 0, 0.08, 0, 0.001};
    for (size_t di = 0; di < sizeof ds / sizeof *ds; di++)
        for (int r = 1; r <= 4; r++)
            for (int mids = 0; mids < 2; mids++) {
                set s = {0};
                add(&s, star(ds[di], r, mids, 0));
                add(&s, star(ds[di], 1 + (r % 2), !mids, 3));
                run(ctx, &s, &o);
                double want = 0;
                GEOSGeometry *x = GEOSIntersection_r(h, s.g[0], s.g[1]);
                GEOSArea_r(h, x, &want);
                GEOSGeom_destroy_r(h, x);
                CHECK(s.nis == 1 && count(&s, CCN_COVERAGE_OVERLAP) == 1);
                if (s.nis == 1)
                    CHECK_NEAR(s.is[0].area, want, 1e-6);
                clear(&s);
            }
    /* A spike (out and back along one line) and a ring of one repeated
     * point beside a square: measured, never a crash. */
    set s = {0};
    add(&s, wkt("POLYGON((560000 2190000, 560010 2190000, 560010 2190005, 560015 2190005, "
                "560010 2190005, 560010 2190010, 560000 2190010, 560000 2190000))"));
    add(&s, wkt("POLYGON((560005 2190005, 560005 2190005, 560005 2190005, 560005 2190005))"));
    add(&s, rect(8, 2, 18, 8));
    run(ctx, &s, &o);
    CHECK(count(&s, CCN_COVERAGE_OVERLAP) == 1);
    if (s.nis >= 1)
        CHECK_NEAR(s.is[0].area, 2 * 6, 1e-6); /* 8..10 x 2..8 */
    clear(&s);
}

/* The same answer on one core and on several. */
static void same_on_one_core(ccn_ctx *ctx)
{
    set s = {0};
    for (int j = 0; j < 7; j++)
        for (int i = 0; i < 7; i++)
            if ((i + j) % 5)
                add(&s, rect(10 * i - (j % 3), 10 * j, 10 * i + 10 + (i % 2), 10 * j + 10));
    int many = run(ctx, &s, NULL);
    ccn_coverage_issue *first = malloc(s.nis * sizeof *first);
    memcpy(first, s.is, s.nis * sizeof *first);
    setenv("CCN_THREADS", "1", 1);
    int one = run(ctx, &s, NULL);
    unsetenv("CCN_THREADS");
    CHECK(many == one && many > 5);
    for (int k = 0; k < many && k < one; k++)
        CHECK(first[k].kind == s.is[k].kind && first[k].a == s.is[k].a &&
              first[k].b == s.is[k].b && first[k].area == s.is[k].area &&
              first[k].x == s.is[k].x && first[k].y == s.is[k].y);
    free(first);
    clear(&s);
}


/* A polygon from n points (x, y pairs in local metres), closed here,
 * starting at point `start` and reversed when asked. */
static GEOSGeometry *ring_poly(const double *p, int n, int start, bool reverse)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
    for (int k = 0; k <= n; k++) {
        int v = (start + (reverse ? n - k % n : k)) % n;
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, 560000 + p[2 * v], 2190000 + p[2 * v + 1]);
    }
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

/* Neighbours digitised apart, their shared edge a polyline each with its
 * own noise, as on noisy parcel layers: the overlap coverage finds (measured
 * in-house when the boundaries cross properly) against GEOS's path —
 * intersection, area, point on surface, ccn_width_thin — on every
 * field, both rings stored either way round from any vertex. Then the
 * degenerate cases left to GEOS: a shared vertex, a shared collinear
 * stretch, repeated vertices. */
static void pairs_against_geos(ccn_ctx *ctx, unsigned seed)
{
    enum { K = 6, MAXP = 2 * (K + 1) + 4 };
    ccn_coverage_options o = {0.001, 0, 0.08, 0, 0.001, 0.05, 0};
    int thin_seen = 0, wide_seen = 0, multi_seen = 0;
    srand(seed);
    for (int t = 0; t < 400; t++) {
        int kind = t % 8; /* 5: shared vertex, 6: collinear stretch, 7: repeated vertex */
        double noise = t % 3 == 0 ? 0.3 : 0.03, a[2 * MAXP], b[2 * MAXP];
        int na = 0, nb = 0;
        double ay[K + 1], by[K + 1], ax[K + 1], bx[K + 1];
        for (int k = 0; k <= K; k++) {
            ax[k] = bx[k] = 6.0 * k;
            if (k > 0 && k < K)
                ax[k] += (rand() % 201 - 100) / 100.0, bx[k] += (rand() % 201 - 100) / 100.0;
            ay[k] = noise * (rand() % 2001 - 1000) / 1000.0;
            by[k] = noise * (rand() % 2001 - 1000) / 1000.0;
            ax[k] = round(ax[k] * 1000) / 1000, ay[k] = round(ay[k] * 1000) / 1000;
            bx[k] = round(bx[k] * 1000) / 1000, by[k] = round(by[k] * 1000) / 1000;
        }
        if (kind == 5) /* one vertex of B's copy on A's */
            bx[K / 2] = ax[K / 2], by[K / 2] = ay[K / 2];
        if (kind == 6) /* a stretch digitised once: collinear shared edges */
            bx[2] = ax[2], by[2] = ay[2], bx[3] = ax[3], by[3] = ay[3];
        /* A above its copy (left to right), a notch in its top so it is
         * not convex; B below its copy. */
        for (int k = 0; k <= K; k++) {
            a[2 * na] = ax[k], a[2 * na + 1] = ay[k], na++;
            if (kind == 7 && k == 2)
                a[2 * na] = ax[k], a[2 * na + 1] = ay[k], na++;
        }
        double top[3][2] = {{6.0 * K, 20}, {3.0 * K, 14}, {0, 20}};
        for (int k = 0; k < 3; k++)
            a[2 * na] = top[k][0], a[2 * na + 1] = top[k][1], na++;
        for (int k = K; k >= 0; k--)
            b[2 * nb] = bx[k], b[2 * nb + 1] = by[k], nb++;
        double bottom[3][2] = {{0, -20}, {3.0 * K, -15}, {6.0 * K, -20}};
        for (int k = 0; k < 3; k++)
            b[2 * nb] = bottom[k][0], b[2 * nb + 1] = bottom[k][1], nb++;
        set s = {0};
        add(&s, ring_poly(a, na, rand() % na, rand() % 2));
        add(&s, ring_poly(b, nb, rand() % nb, rand() % 2));
        CHECK(GEOSisValid_r(h, s.g[0]) == 1 && GEOSisValid_r(h, s.g[1]) == 1);
        run(ctx, &s, &o);
        /* GEOS's path, as measure_overlap takes it */
        GEOSGeometry *x = GEOSIntersection_r(h, s.g[0], s.g[1]);
        GEOSGeometry *poly = ccn_geom_polygonal(ctx, x);
        double area = ccn_geom_area(ctx, poly), px = NAN, py = NAN, width = NAN, length = NAN;
        bool thin = false;
        if (area > 0)
            ccn_geom_point_on_surface(ctx, poly, &px, &py);
        if (area > o.overlap_min_m2)
            CHECK(ccn_width_thin(ctx, poly, o.edge_tol_m, &thin, &width, &length) == CCN_OK);
        multi_seen += GEOSGetNumGeometries_r(h, poly) > 1;
        if (area > o.overlap_min_m2) {
            CHECK(s.nis == 1);
            if (s.nis == 1) {
                ccn_coverage_issue *is = &s.is[0];
                CHECK(is->kind == (thin ? CCN_COVERAGE_EDGE_MISMATCH : CCN_COVERAGE_OVERLAP));
                CHECK_NEAR(is->area, area, 1e-9);
                CHECK_NEAR(is->x, px, 1e-9);
                CHECK_NEAR(is->y, py, 1e-9);
                if (thin) {
                    CHECK(is->width == width);
                    CHECK_NEAR(is->length, length, 1e-9);
                }
            }
            thin_seen += thin, wide_seen += !thin;
        } else {
            CHECK(s.nis == 0);
        }
        GEOSGeom_destroy_r(h, poly);
        GEOSGeom_destroy_r(h, x);
        clear(&s);
    }
    CHECK(thin_seen > 50 && wide_seen > 50 && multi_seen > 20);
}

/* The width of a thin strip between two digitised copies of an edge (each
 * with its own vertices, 2-4 cm apart) against GEOS's largest inscribed
 * circle (GEOSMaximumInscribedCircle to 0.1 mm): within a sixteenth of the
 * 5 cm tolerance. Thin at 5 cm; at 1 cm not thin (a circle found by
 * sampling, or erosion). */
static void strip_width(ccn_ctx *ctx)
{
    srand(5);
    for (int t = 0; t < 40; t++) {
        enum { M = 6 };
        double ax[M], ay[M], bx[M], by[M];
        for (int k = 0; k < M; k++) { /* copy A along y = 0, copy B above it */
            ax[k] = 560000 + 6.0 * k + (k && k < M - 1 ? (rand() % 200) / 100.0 : 0);
            ay[k] = 2190000 + (rand() % 11) / 1000.0;
            bx[k] = 560000 + 6.0 * k + (k && k < M - 1 ? (rand() % 200) / 100.0 : 0);
            by[k] = 2190000 + 0.02 + (rand() % 21) / 1000.0;
        }
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2 * M + 1, 2);
        for (int k = 0; k < M; k++) {
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, ax[k], ay[k]);
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)(2 * M - 1 - k), bx[k], by[k]);
        }
        GEOSCoordSeq_setXY_r(h, cs, 2 * M, ax[0], ay[0]);
        GEOSGeometry *g = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
        CHECK(GEOSisValid_r(h, g) == 1);
        GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(h, g, 1e-4);
        double radius = 0;
        GEOSLength_r(h, mic, &radius);
        bool thin = false;
        double width = 0, length = 0;
        CHECK(ccn_width_thin(ctx, g, 0.05, &thin, &width, &length) == CCN_OK);
        CHECK(thin);
        CHECK_NEAR(width, 2 * radius, 0.05 / 16);
        CHECK(ccn_width_thin(ctx, g, 0.01, &thin, &width, &length) == CCN_OK);
        CHECK(!thin);
        GEOSGeom_destroy_r(h, mic);
        GEOSGeom_destroy_r(h, g);
    }
}

/* A small seeded generator (xorshift), the same on every libc. */
static uint64_t wb_state = 88172645463325252u;
static double wb_uniform(void)
{
    wb_state ^= wb_state << 13;
    wb_state ^= wb_state >> 7;
    wb_state ^= wb_state << 17;
    return (double)(wb_state >> 11) / 9007199254740992.0;
}

/* A thin piece as noisy digitising leaves them, at VN-2000 coordinates and
 * any angle: a strip along a centreline of 1-4 legs bent up to 50 degrees,
 * 0.2-8 m long, its width at each joint 0.2-1.6 tol, each side with a few
 * extra vertices 0-3 mm off; or, one time in five, a triangle, thin or not. */
static GEOSGeometry *wb_piece(double tol)
{
    enum { LEGS = 4, SIDE = 4 * LEGS + 2 };
    double ox = 560000 + 20000 * wb_uniform(), oy = 2180000 + 20000 * wb_uniform();
    double a = 2 * M_PI * wb_uniform();
    GEOSCoordSequence *cs;
    if (wb_uniform() < 0.2) {
        cs = GEOSCoordSeq_create_r(h, 4, 2);
        double l = 0.05 + 20 * wb_uniform(), w = tol * (0.2 + 3 * wb_uniform()), t = wb_uniform();
        double p[3][2] = {{0, 0}, {l, 0}, {t * l, w}};
        for (unsigned k = 0; k < 4; k++) {
            double *q = p[k % 3];
            GEOSCoordSeq_setXY_r(h, cs, k, ox + q[0] * cos(a) - q[1] * sin(a),
                                 oy + q[0] * sin(a) + q[1] * cos(a));
        }
    } else {
        int legs = 1 + (int)(LEGS * wb_uniform()), n = 0;
        double len = (0.2 + 8 * wb_uniform()) / legs, x = 0, y = 0;
        double left[SIDE][2], right[SIDE][2];
        for (int k = 0; k <= legs; k++) {
            double w = tol * (0.2 + 1.4 * wb_uniform()) / 2, nx = -sin(a), ny = cos(a);
            left[n][0] = x + w * nx, left[n][1] = y + w * ny;
            right[n][0] = x - w * nx, right[n][1] = y - w * ny;
            n++;
            if (k == legs)
                break;
            int extra = (int)(3 * wb_uniform());
            for (int e = 1; e <= extra; e++) { /* vertices along the leg, slightly off */
                double f = (double)e / (extra + 1), fx = x + f * len * cos(a), fy = y + f * len * sin(a);
                double wl = w + 0.003 * (wb_uniform() - 0.5), wr = w + 0.003 * (wb_uniform() - 0.5);
                left[n][0] = fx + wl * nx, left[n][1] = fy + wl * ny;
                right[n][0] = fx - wr * nx, right[n][1] = fy - wr * ny;
                n++;
            }
            x += len * cos(a), y += len * sin(a);
            a += (wb_uniform() - 0.5) * 1.75;
        }
        cs = GEOSCoordSeq_create_r(h, (unsigned)(2 * n + 1), 2);
        for (int k = 0; k < n; k++) {
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, ox + right[k][0], oy + right[k][1]);
            GEOSCoordSeq_setXY_r(h, cs, (unsigned)(2 * n - 1 - k), ox + left[k][0], oy + left[k][1]);
        }
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)(2 * n), ox + right[0][0], oy + right[0][1]);
    }
    return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

/* The width bounds (the widest circle climbed to inside, the triangles'
 * bound) against GEOS's largest inscribed circle on a few thousand thin
 * pieces, alone and two at a time as a MultiPolygon: the circle found is
 * never wider than GEOS's, the bound never narrower; and the width the
 * thin test reports lies within tol / 32 (its last step) and 1 % of tol
 * of GEOS's: its steps are exact erosions, never GEOS's buffer (whose arcs
 * and simplified input err by a few percent). */
static void width_bounds_against_geos(ccn_ctx *ctx)
{
    const double tol = 0.05;
    int tested = 0, tight = 0;
    for (int t = 0; t < 2000; t++) {
        GEOSGeometry *g = wb_piece(tol);
        if (t % 4 == 3) { /* two parts */
            GEOSGeometry *parts[2] = {g, wb_piece(tol)};
            g = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, 2);
        }
        if (GEOSisValid_r(h, g) != 1) {
            GEOSGeom_destroy_r(h, g);
            continue;
        }
        double want = 0; /* diameter, to 2e-4 under the true one */
        for (int k = 0; k < GEOSGetNumGeometries_r(h, g); k++) {
            GEOSGeometry *mic = GEOSMaximumInscribedCircle_r(h, GEOSGetGeometryN_r(h, g, k), 1e-4);
            double r = 0;
            GEOSLength_r(h, mic, &r);
            want = fmax(want, 2 * r);
            GEOSGeom_destroy_r(h, mic);
        }
        double lower = NAN, upper = NAN;
        CHECK(ccn_width_bounds(ctx, g, &lower, &upper) == CCN_OK);
        CHECK(lower <= want + 2e-4);
        CHECK(upper >= want - 1e-9);
        if (lower > want + 2e-4 || upper < want - 1e-9)
            fprintf(stderr, "piece %d: bounds %.9f %.9f, GEOS %.9f\n", t, lower, upper, want);
        tight += upper < 1.02 * lower;
        bool thin = false;
        double width = NAN, length = NAN;
        CHECK(ccn_width_thin(ctx, g, tol, &thin, &width, &length) == CCN_OK);
        if (want < 0.94 * tol || want > 1.06 * tol)
            CHECK(thin == (want < tol));
        /* the steps are exact erosions, each settled by the bounds or, when
         * these are within EXACT_SLACK (1 %) of the step, by the nearer one */
        if (thin && want < 0.94 * tol)
            CHECK_NEAR(width, want, tol / 32 + 0.01 * tol + 2e-4);
        tested++;
        GEOSGeom_destroy_r(h, g);
    }
    CHECK(tested > 1500);
    CHECK(tight > tested / 2); /* most pieces settled without GEOS */
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    h = ccn_ctx_geos(ctx);
    hand_made(ctx);
    broken_promise(ctx);
    second_read(ctx);
    for (unsigned seed = 1; seed <= 3; seed++)
        grid_against_brute_force(ctx, seed);
    for (unsigned seed = 1; seed <= 3; seed++)
        jittered_copies(ctx, seed);
    same_on_one_core(ctx);
    sloppy_tiles(ctx);
    repeated_vertices(ctx);
    strip_width(ctx);
    width_bounds_against_geos(ctx);
    for (unsigned seed = 1; seed <= 2; seed++)
        pairs_against_geos(ctx, seed);
    ccn_ctx_free(ctx);
    return check_summary();
}
