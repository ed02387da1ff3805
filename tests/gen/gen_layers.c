/*
 * gen_layers.c -- ccn-gen's command line and the bundled sample layers.
 *
 * `ccn-gen sample OUTDIR` builds, from one seed, a small synthetic but
 * plausible GIS of Triệu Sơn district's industrial clusters and writes it in
 * the formats a land office receives (see DESIGN.md §3a):
 *
 *   clusters.gpkg   cluster boundaries (not TN)           EPSG:5897
 *   tho_ngoc.dxf    TN's boundary, one closed LWPOLYLINE  no CRS
 *   lots.gpkg       detailed-plan lots of 5 clusters      EPSG:5897
 *   parcels.shp     cadastral parcels, DBF text in TCVN3  EPSG:5897 (.prj)
 *   plan.geojson    land-use plan zones                   RFC 7946, WGS 84
 *   communes.gpkg   old communes (Voronoi cells)          EPSG:5897
 *   markers.csv     boundary markers, X = northing        EPSG:5897
 *   leases.csv      lease history 2021-2026 of industrial lots
 *
 * How it is built.  Each cluster is a jittered, rotated rectangle in its own
 * local frame (u along the long side), scaled so that its planar area is a
 * chosen few per cent off the planned hectares, its vertices rounded to the
 * millimetre.  Lots are rectangles of that frame (rows of industrial lots
 * between roads, green strips, a cross road) intersected with the boundary.
 * Parcels are a jittered grid in another rotated frame over the cluster's
 * bounding box plus 150 m; adjacent parcels use the very same vertex values,
 * so the only gaps and overlaps are the deliberate defects.  Plan zones are a
 * coarser grid at a third angle minus the cluster's planned zone (the cluster
 * buffered by 6 m).  Every deliberate defect is reported on stdout with its
 * feature id and the area a check should find.
 */
#define _POSIX_C_SOURCE 200809L
#include "gen.h"

#include <errno.h>
#include <iconv.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cpl_conv.h"
#include "cpl_error.h"
#include "cpl_string.h"

#define DEG (M_PI / 180.0)
#define MAX_DEFECTS 32

/* ---- the clusters ------------------------------------------------------------ */

typedef struct {
    const char *code;
    const char *name;      /* as in gis/clusters.csv */
    double lat, lon;       /* approximate centre */
    double planned_ha;
    double aspect;         /* long side / short side */
    double rot_deg;        /* rotation of the long side from east */
    int has_lots;          /* detailed plan with lots, leases */
    int in_gpkg;           /* in clusters.gpkg (TN comes as DXF) */
    double dev_lo, dev_hi; /* |area deviation| range, per cent of planned */
    double occ_target;     /* occupancy on 2025-12-31 */
    int lease_year0;       /* first year with leases */
    double cell_lo, cell_hi;  /* parcel column widths, m */
    double parcel_rot_deg;    /* rotation of the cadastral grid */
    const char *plan_code;    /* planned land use of the cluster */
} cluster_def;

static const cluster_def CLUSTERS[] = {
    {"DL3", "Dân Lực – Dân Lý – Dân Quyền", 19.8255, 105.6185, 50, 1.35, 28, 1, 1, 0.3, 0.9,
     0.85, 2021, 30, 48, -8, "SKN"},
    {"HT", "Hợp Thắng", 19.7900, 105.5900, 70, 1.45, -12, 1, 1, 0.3, 0.9, 0.62, 2021, 30, 48, 10,
     "SKN"},
    {"NUA", "Nưa", 19.7455, 105.6300, 20, 1.25, 40, 1, 1, 1.5, 3.5, 0.12, 2023, 26, 42, -5, "SKN"},
    {"DT", "Đồng Thắng", 19.8000, 105.6600, 70, 1.50, 15, 1, 1, 1.5, 3.5, 0.38, 2024, 32, 50, -14,
     "SKN"},
    {"TN", "Thọ Ngọc", 19.8800, 105.5000, 50, 1.40, -25, 1, 0, 1.5, 4.0, 0.10, 2025, 30, 48, 6,
     "SKN"},
    {"TTH", "Khu công nghiệp phía Tây Thanh Hóa (phần trên địa bàn huyện)", 19.7850, 105.6850, 200,
     1.30, 5, 0, 1, 1.5, 3.0, 0.0, 0, 46, 62, 12, "SKK"},
};
enum { NCL = (int) (sizeof CLUSTERS / sizeof CLUSTERS[0]) };
enum { CL_DL3, CL_HT, CL_NUA, CL_DT, CL_TN, CL_TTH };

typedef struct {
    const cluster_def *def;
    gen_frame frame;        /* origin at the centre, u along the long side */
    gen_ring ring;          /* boundary, clockwise, mm; M1 = ring.p[0] */
    OGRGeometryH geom;      /* owned */
    double area;            /* planar, m2 */
    double lu0, lw0, lu1, lw1; /* bounding box in the local frame */
    /* cadastral grid */
    gen_frame pframe;
    int nx, ny;             /* cells */
    gen_pt *v;              /* (nx+1)*(ny+1) vertices, mm, row j = w index */
    size_t pbase;           /* index of its first parcel */
    int road_col, canal_row;
    double pbox[4];         /* world bbox of the parcel region */
} cluster_t;

/* ---- lots ---------------------------------------------------------------------- */

enum { LOT_CN, LOT_DV, LOT_CX, LOT_HT, LOT_KT, LOT_GT, LOT_KINDS };
static const char *const LOT_PREFIX[LOT_KINDS] = {"CN", "DV", "CX", "HT", "KT", "GT"};
static const char *const LOT_USE[LOT_KINDS] = {"industrial", "service", "green",
                                               "utility",    "utility", "road"};

enum { DEF_NONE, DEF_BOWTIE, DEF_OUTSIDE, DEF_OVERLAP_A, DEF_OVERLAP_B };

typedef struct {
    int cluster;
    int kind;
    int row, seg, order;      /* layout position (seg -1: strip or road) */
    double u0, w0, u1, w1;    /* rectangle in the cluster frame */
    int clipped;              /* rectangle cut by the boundary */
    int removed;              /* left as unplanned reserve: not written */
    int defect;
    int use_null;             /* `use` left NULL */
    double key1, key2;        /* numbering order */
    char lot_no[16];
    OGRGeometryH geom;        /* owned */
    double area;              /* after MakeValid, m2 */
    long fid;
} lot_t;

typedef struct {
    int lot;
    long start, end; /* days; end < 0: running */
    int tenant;
    const char *note;
} lease_t;

/* ---- parcels ------------------------------------------------------------------- */

typedef struct {
    gen_ring ring;   /* clockwise, mm */
    int region;      /* cluster index */
    int commune, sheet, no;
    const char *lu;
    char owner[96];
    double area, legal;
} parcel_t;

typedef struct {
    uint64_t seed;
    const char *outdir;
    OGRSpatialReferenceH srs;  /* EPSG:5897 */
    OGRSpatialReferenceH wgs;  /* EPSG:4326 */
    OGRCoordinateTransformationH to_work;
    cluster_t cl[NCL];
    gen_pt *seeds;             /* commune seeds, projected */
    lot_t *lots;
    size_t nlots, caplots;
    lease_t *leases;
    size_t nleases, capleases;
    parcel_t *parcels;
    size_t nparcels, capparcels;
    char defects[MAX_DEFECTS][320];
    int ndefects;
    long nplan;
} sample_ctx;

static void defect(sample_ctx *cx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records one deliberate defect for the report printed at the end. */
static void defect(sample_ctx *cx, const char *fmt, ...)
{
    if (cx->ndefects >= MAX_DEFECTS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cx->defects[cx->ndefects++], sizeof cx->defects[0], fmt, ap);
    va_end(ap);
}

static void *grow(void *p, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < want)
        c *= 2;
    void *q = realloc(p, c * elem);
    if (!q)
        return NULL;
    memset((char *) q + *cap * elem, 0, (c - *cap) * elem);
    *cap = c;
    return q;
}

/* ---- cluster boundaries --------------------------------------------------------- */

typedef struct {
    double s;   /* position around the rectangle: corner k at s = k */
    double off; /* outward offset, m */
} edge_pt;

static int cmp_edge_pt(const void *a, const void *b)
{
    double x = ((const edge_pt *) a)->s, y = ((const edge_pt *) b)->s;
    return (x > y) - (x < y);
}

/* A jittered rectangle of 6-11 vertices, clockwise from the north-west corner,
 * scaled to planned * (1 + dev) and rounded to the millimetre. */
static int make_boundary(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    const cluster_def *d = c->def;
    gen_rng r;
    char stream[32];
    snprintf(stream, sizeof stream, "boundary/%s", d->code);
    gen_rng_init(&r, cx->seed, stream);

    double x = d->lon, y = d->lat;
    if (!OCTTransform(cx->to_work, 1, &x, &y, NULL)) {
        fprintf(stderr, "ccn-gen: cannot project the centre of %s\n", d->code);
        return -1;
    }
    c->frame = gen_frame_make(gen_mm(x), gen_mm(y), d->rot_deg * DEG);

    double target = d->planned_ha * 1e4;
    double dev = gen_rng_range(&r, d->dev_lo, d->dev_hi) * gen_rng_sign(&r) / 100.0;
    double W = sqrt(target * d->aspect), H = target / W;
    /* corners NW, NE, SE, SW (clockwise), jittered */
    gen_pt corner[4] = {{-W / 2, H / 2}, {W / 2, H / 2}, {W / 2, -H / 2}, {-W / 2, -H / 2}};
    for (int k = 0; k < 4; k++) {
        corner[k].x += gen_rng_range(&r, -0.02, 0.02) * W;
        corner[k].y += gen_rng_range(&r, -0.02, 0.02) * H;
    }
    edge_pt ep[16];
    int n = 0;
    int chamfer = gen_rng_unit(&r) < 0.5 ? gen_rng_int(&r, 4) : -1;
    for (int k = 0; k < 4; k++) {
        if (k == chamfer) {
            double t = gen_rng_range(&r, 0.08, 0.12);
            ep[n++] = (edge_pt){k == 0 ? 4 - t : k - t, 0.0};
            ep[n++] = (edge_pt){k + t, 0.0};
        } else {
            ep[n++] = (edge_pt){(double) k, 0.0};
        }
    }
    int extra = 2 + gen_rng_int(&r, 5);
    double amp = 0.035 * fmin(W, H);
    for (int e = 0; e < extra; e++) {
        double s = gen_rng_int(&r, 4) + gen_rng_range(&r, 0.18, 0.82);
        int close = 0;
        for (int i = 0; i < n; i++)
            if (fabs(ep[i].s - s) < 0.1)
                close = 1;
        if (!close)
            ep[n++] = (edge_pt){s, gen_rng_range(&r, -1.0, 1.0) * amp};
    }
    qsort(ep, (size_t) n, sizeof ep[0], cmp_edge_pt);

    c->ring.n = 0;
    for (int i = 0; i < n; i++) {
        int k = (int) floor(ep[i].s) % 4;
        double t = ep[i].s - floor(ep[i].s);
        gen_pt a = corner[k], b = corner[(k + 1) % 4];
        double ex = b.x - a.x, ey = b.y - a.y, len = hypot(ex, ey);
        /* outward normal of a clockwise ring: to the left of travel */
        double nx = -ey / len, ny = ex / len;
        double u = a.x + t * ex + ep[i].off * nx, w = a.y + t * ey + ep[i].off * ny;
        gen_pt p = gen_frame_world(&c->frame, u, w);
        if (gen_ring_push(&c->ring, p.x, p.y))
            return -1;
    }
    double area = fabs(gen_ring_area(c->ring.p, c->ring.n));
    double k = sqrt(target * (1.0 + dev) / area);
    for (size_t i = 0; i < c->ring.n; i++) {
        gen_pt *p = &c->ring.p[i];
        p->x = gen_mm(c->frame.ox + (p->x - c->frame.ox) * k);
        p->y = gen_mm(c->frame.oy + (p->y - c->frame.oy) * k);
    }
    c->area = fabs(gen_ring_area(c->ring.p, c->ring.n));
    c->geom = gen_polygon(c->ring.p, c->ring.n);
    if (!c->geom || !OGR_G_IsValid(c->geom)) {
        fprintf(stderr, "ccn-gen: boundary of %s is not valid\n", d->code);
        return -1;
    }
    c->lu0 = c->lw0 = INFINITY;
    c->lu1 = c->lw1 = -INFINITY;
    for (size_t i = 0; i < c->ring.n; i++) {
        gen_pt l = gen_frame_local(&c->frame, c->ring.p[i].x, c->ring.p[i].y);
        c->lu0 = fmin(c->lu0, l.x);
        c->lu1 = fmax(c->lu1, l.x);
        c->lw0 = fmin(c->lw0, l.y);
        c->lw1 = fmax(c->lw1, l.y);
    }
    return 0;
}

/* ---- lots ------------------------------------------------------------------------- */

static lot_t *add_lot(sample_ctx *cx, int ci, int kind, int row, int seg, int order, double u0,
                      double w0, double u1, double w1)
{
    lot_t *v = grow(cx->lots, &cx->caplots, cx->nlots + 1, sizeof *v);
    if (!v)
        return NULL;
    cx->lots = v;
    lot_t *l = &v[cx->nlots++];
    memset(l, 0, sizeof *l);
    l->cluster = ci;
    l->kind = kind;
    l->row = row;
    l->seg = seg;
    l->order = order;
    l->u0 = fmin(u0, u1);
    l->u1 = fmax(u0, u1);
    l->w0 = fmin(w0, w1);
    l->w1 = fmax(w0, w1);
    return l;
}

/* One row segment: special lots first (from the cross road outward), then
 * industrial lots of about mean_w metres; the last one runs past the boundary. */
static int layout_segment(sample_ctx *cx, int ci, gen_rng *r, int row, int seg, double wa,
                          double wb, double from, double to, int dir, const int *skind,
                          const double *swidth, int ns, double mean_w)
{
    double pos = from;
    int order = 0;
    for (int i = 0; i < ns; i++) {
        if (!add_lot(cx, ci, skind[i], row, seg, order++, pos, wa, pos + dir * swidth[i], wb))
            return -1;
        pos += dir * swidth[i];
    }
    for (;;) {
        double remaining = (to - pos) * dir;
        if (remaining <= 1.0)
            break;
        if (remaining < 1.4 * mean_w) {
            if (!add_lot(cx, ci, LOT_CN, row, seg, order++, pos, wa, to + dir * 80.0, wb))
                return -1;
            break;
        }
        double width = fmin(mean_w * gen_rng_range(r, 0.75, 1.25), remaining - 0.6 * mean_w);
        if (!add_lot(cx, ci, LOT_CN, row, seg, order++, pos, wa, pos + dir * width, wb))
            return -1;
        pos += dir * width;
    }
    return 0;
}

static int layout_cluster(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    gen_rng r;
    char stream[32];
    snprintf(stream, sizeof stream, "lots/%s", c->def->code);
    gen_rng_init(&r, cx->seed, stream);

    const double strip = 12.0, road = 18.0, croad = 22.0, ext = 80.0;
    double u0 = c->lu0, u1 = c->lu1, w0 = c->lw0, w1 = c->lw1;
    double H = w1 - w0, L = u1 - u0, A = c->area;
    int k = (int) lround((H - 2 * strip + road) / (150.0 + road));
    if (k < 2)
        k = 2;
    double d = (H - 2 * strip - (k - 1) * road) / k;
    double uc = u0 + L * gen_rng_range(&r, 0.42, 0.58);
    double ul = uc - croad / 2, ur = uc + croad / 2;
    int big = c->def->planned_ha >= 60;
    long target = lround(c->def->planned_ha * 0.42);
    target = target < 12 ? 12 : target > 30 ? 30 : target;
    double mean_w = k * (L - croad) / (double) target;

    if (!add_lot(cx, ci, LOT_CX, -1, -1, 0, u0 - ext, w0 - ext, ul, w0 + strip) ||
        !add_lot(cx, ci, LOT_GT, -1, -1, 0, ul, w0 - ext, ur, w0 + strip) ||
        !add_lot(cx, ci, LOT_CX, -1, -1, 0, ur, w0 - ext, u1 + ext, w0 + strip) ||
        !add_lot(cx, ci, LOT_CX, k, -1, 0, u0 - ext, w1 - strip, u1 + ext, w1 + ext))
        return -1;
    for (int i = 0; i < k; i++) {
        double wa = w0 + strip + i * (d + road), wb = wa + d;
        if (!add_lot(cx, ci, LOT_GT, i, -1, 0, ul, wa, ur, wb))
            return -1;
        if (i < k - 1 && !add_lot(cx, ci, LOT_GT, i, -1, 1, u0 - ext, wb, u1 + ext, wb + road))
            return -1;
        for (int seg = 0; seg < 2; seg++) {
            int skind[3], ns = 0;
            double sw[3];
            if (i == 0 && seg == 1) {
                skind[ns] = LOT_DV;
                sw[ns++] = 0.045 * A / d;
            }
            if (i == 0 && seg == 0) {
                skind[ns] = big ? LOT_DV : LOT_CX;
                sw[ns++] = 0.02 * A / d;
            }
            if (i == k - 1 && seg == 1) {
                skind[ns] = LOT_HT;
                sw[ns++] = 0.015 * A / d;
                if (A >= 45e4) {
                    skind[ns] = LOT_KT;
                    sw[ns++] = 0.006 * A / d;
                }
            }
            int rc = seg == 1
                         ? layout_segment(cx, ci, &r, i, seg, wa, wb, ur, u1, +1, skind, sw, ns, mean_w)
                         : layout_segment(cx, ci, &r, i, seg, wa, wb, ul, u0, -1, skind, sw, ns, mean_w);
            if (rc)
                return -1;
        }
    }
    return 0;
}

/* Intersect every lot rectangle of cluster ci with the boundary. */
static int clip_lots(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    for (size_t i = 0; i < cx->nlots; i++) {
        lot_t *l = &cx->lots[i];
        if (l->cluster != ci)
            continue;
        OGRGeometryH rect = gen_frame_rect(&c->frame, l->u0, l->w0, l->u1, l->w1);
        OGRGeometryH in = rect ? OGR_G_Intersection(rect, c->geom) : NULL;
        l->geom = gen_largest_polygon(in);
        double ra = rect ? OGR_G_Area(rect) : 0.0;
        OGR_G_DestroyGeometry(in);
        OGR_G_DestroyGeometry(rect);
        l->area = l->geom ? OGR_G_Area(l->geom) : 0.0;
        l->clipped = fabs(l->area - ra) > 1e-6 * ra;
        if (l->area < 50.0) {
            l->removed = 1;
            continue;
        }
        if (l->kind == LOT_CN && l->area < 3000.0)
            l->kind = LOT_CX; /* a corner left over: green */
        double cu0 = fmax(l->u0, c->lu0), cu1 = fmin(l->u1, c->lu1);
        double cw0 = fmax(l->w0, c->lw0), cw1 = fmin(l->w1, c->lw1);
        if (l->kind == LOT_CN) {
            l->key1 = l->row;
            l->key2 = (cu0 + cu1) / 2;
        } else {
            l->key1 = round((cw0 + cw1) / 2);
            l->key2 = (cu0 + cu1) / 2;
        }
    }
    return 0;
}

/* Liang-Barsky: clip segment a-b to [u0,u1]x[w0,w1]; 0 if nothing is left. */
static int clip_segment(gen_pt a, gen_pt b, double u0, double w0, double u1, double w1,
                        gen_pt *ca, gen_pt *cb)
{
    double t0 = 0.0, t1 = 1.0, dx = b.x - a.x, dy = b.y - a.y;
    double p[4] = {-dx, dx, -dy, dy}, q[4] = {a.x - u0, u1 - a.x, a.y - w0, w1 - a.y};
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return 0;
        } else {
            double t = q[i] / p[i];
            if (p[i] < 0.0)
                t0 = fmax(t0, t);
            else
                t1 = fmin(t1, t);
        }
    }
    if (t0 >= t1)
        return 0;
    *ca = (gen_pt){a.x + t0 * dx, a.y + t0 * dy};
    *cb = (gen_pt){a.x + t1 * dx, a.y + t1 * dy};
    return 1;
}

static lot_t *find_lot(sample_ctx *cx, int ci, int row, int seg, int order)
{
    for (size_t i = 0; i < cx->nlots; i++) {
        lot_t *l = &cx->lots[i];
        if (l->cluster == ci && !l->removed && l->row == row && l->seg == seg && l->order == order)
            return l;
    }
    return NULL;
}

/* HT: one industrial lot drawn as a bow-tie (ring a, b, d, c of its rectangle). */
static int defect_bowtie(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    for (size_t i = 0; i < cx->nlots; i++) {
        lot_t *l = &cx->lots[i];
        if (l->cluster != ci || l->removed || l->kind != LOT_CN || l->clipped || l->row != 1)
            continue;
        gen_pt p[4] = {gen_frame_world(&c->frame, l->u0, l->w0), gen_frame_world(&c->frame, l->u1, l->w0),
                       gen_frame_world(&c->frame, l->u0, l->w1), gen_frame_world(&c->frame, l->u1, l->w1)};
        OGRGeometryH g = gen_polygon(p, 4);
        if (!g)
            return -1;
        OGR_G_DestroyGeometry(l->geom);
        l->geom = g;
        l->area = gen_valid_area(g);
        l->defect = DEF_BOWTIE;
        return 0;
    }
    fprintf(stderr, "ccn-gen: no lot for the bow-tie defect\n");
    return -1;
}

/* DL3: a 40 m x 10 m strip on the outer side of a straight boundary edge is
 * added to a lot that touches that edge. */
static int defect_outside(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    for (size_t i = 0; i < cx->nlots; i++) {
        lot_t *l = &cx->lots[i];
        if (l->cluster != ci || l->removed || l->kind != LOT_CN || !l->clipped)
            continue;
        for (size_t e = 0; e < c->ring.n; e++) {
            gen_pt a = gen_frame_local(&c->frame, c->ring.p[e].x, c->ring.p[e].y);
            gen_pt b = gen_frame_local(&c->frame, c->ring.p[(e + 1) % c->ring.n].x,
                                       c->ring.p[(e + 1) % c->ring.n].y);
            gen_pt ca, cb;
            if (!clip_segment(a, b, l->u0 + 1, l->w0 + 1, l->u1 - 1, l->w1 - 1, &ca, &cb))
                continue;
            double len = hypot(cb.x - ca.x, cb.y - ca.y);
            if (len < 52.0)
                continue;
            double tx = (cb.x - ca.x) / len, ty = (cb.y - ca.y) / len;
            double nx = -ty, ny = tx; /* outward: left of a clockwise ring */
            gen_pt m = {(ca.x + cb.x) / 2, (ca.y + cb.y) / 2};
            gen_pt s[4] = {
                gen_frame_world(&c->frame, m.x - 20 * tx, m.y - 20 * ty),
                gen_frame_world(&c->frame, m.x - 20 * tx + 10 * nx, m.y - 20 * ty + 10 * ny),
                gen_frame_world(&c->frame, m.x + 20 * tx + 10 * nx, m.y + 20 * ty + 10 * ny),
                gen_frame_world(&c->frame, m.x + 20 * tx, m.y + 20 * ty)};
            OGRGeometryH strip = gen_polygon(s, 4);
            OGRGeometryH u = strip ? OGR_G_Union(l->geom, strip) : NULL;
            OGRGeometryH out = u ? OGR_G_Difference(u, c->geom) : NULL;
            double grow_a = u ? OGR_G_Area(u) - l->area : 0.0;
            double out_a = out ? OGR_G_Area(out) : 0.0;
            int ok = u && wkbFlatten(OGR_G_GetGeometryType(u)) == wkbPolygon &&
                     fabs(grow_a - 400.0) < 0.5 && fabs(out_a - 400.0) < 0.5;
            OGR_G_DestroyGeometry(strip);
            OGR_G_DestroyGeometry(out);
            if (!ok) {
                OGR_G_DestroyGeometry(u);
                continue;
            }
            OGR_G_DestroyGeometry(l->geom);
            l->geom = u;
            l->area = OGR_G_Area(u);
            l->defect = DEF_OUTSIDE;
            return 0;
        }
    }
    fprintf(stderr, "ccn-gen: no lot for the outside-boundary defect\n");
    return -1;
}

/* NUA: lot A gets a 10 m x 20 m tongue into its neighbour B of the same row. */
static int defect_overlap(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    for (size_t i = 0; i < cx->nlots; i++) {
        lot_t *p = &cx->lots[i];
        if (p->cluster != ci || p->removed || p->kind != LOT_CN || p->seg < 0)
            continue;
        lot_t *q = find_lot(cx, ci, p->row, p->seg, p->order + 1);
        if (!q || q->kind != LOT_CN)
            continue;
        lot_t *a, *b;
        if (!q->clipped && q->u1 - q->u0 >= 30.0) {
            a = p;
            b = q;
        } else if (!p->clipped && p->u1 - p->u0 >= 30.0) {
            a = q;
            b = p;
        } else {
            continue;
        }
        int b_right = b->u0 >= a->u1 - 1e-6;
        double us = b_right ? a->u1 : a->u0;
        double wm = (a->w0 + a->w1) / 2 - 10.0;
        double du = b_right ? 10.0 : -10.0;
        gen_pt loc[8];
        if (b_right) {
            gen_pt t[8] = {{a->u0, a->w0}, {a->u0, a->w1}, {us, a->w1}, {us, wm + 20},
                           {us + du, wm + 20}, {us + du, wm}, {us, wm}, {us, a->w0}};
            memcpy(loc, t, sizeof t);
        } else {
            gen_pt t[8] = {{us, a->w0}, {us, wm}, {us + du, wm}, {us + du, wm + 20},
                           {us, wm + 20}, {us, a->w1}, {a->u1, a->w1}, {a->u1, a->w0}};
            memcpy(loc, t, sizeof t);
        }
        gen_pt w[8];
        for (int k = 0; k < 8; k++)
            w[k] = gen_frame_world(&c->frame, loc[k].x, loc[k].y);
        OGRGeometryH shape = gen_polygon(w, 8);
        OGRGeometryH in = shape ? OGR_G_Intersection(shape, c->geom) : NULL;
        OGRGeometryH g = gen_largest_polygon(in);
        OGRGeometryH ov = g ? OGR_G_Intersection(g, b->geom) : NULL;
        double ova = ov ? OGR_G_Area(ov) : 0.0;
        OGR_G_DestroyGeometry(shape);
        OGR_G_DestroyGeometry(in);
        OGR_G_DestroyGeometry(ov);
        if (!g || fabs(ova - 200.0) > 0.01) {
            OGR_G_DestroyGeometry(g);
            continue;
        }
        OGR_G_DestroyGeometry(a->geom);
        a->geom = g;
        a->area = OGR_G_Area(g);
        a->defect = DEF_OVERLAP_A;
        b->defect = DEF_OVERLAP_B;
        return 0;
    }
    fprintf(stderr, "ccn-gen: no lots for the overlap defect\n");
    return -1;
}

/* Leave one industrial lot of about 5 % of the cluster unplanned (no lot). */
static void leave_reserve(sample_ctx *cx, int ci)
{
    double want = 0.05 * cx->cl[ci].area, best = INFINITY;
    lot_t *pick = NULL;
    for (size_t i = 0; i < cx->nlots; i++) {
        lot_t *l = &cx->lots[i];
        if (l->cluster != ci || l->removed || l->kind != LOT_CN || l->clipped || l->defect)
            continue;
        /* keep the neighbours of defect lots */
        lot_t *n1 = find_lot(cx, ci, l->row, l->seg, l->order - 1);
        lot_t *n2 = find_lot(cx, ci, l->row, l->seg, l->order + 1);
        if ((n1 && n1->defect) || (n2 && n2->defect))
            continue;
        double d = fabs(l->area - want);
        if (d < best) {
            best = d;
            pick = l;
        }
    }
    if (pick)
        pick->removed = 1;
}

static int cmp_lot_ptr(const void *a, const void *b)
{
    const lot_t *x = *(const lot_t *const *) a, *y = *(const lot_t *const *) b;
    if (x->cluster != y->cluster)
        return x->cluster - y->cluster;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->key1 != y->key1)
        return (x->key1 > y->key1) - (x->key1 < y->key1);
    return (x->key2 > y->key2) - (x->key2 < y->key2);
}

/* Numbers the lots ("CN-01" ...) per cluster and kind, in rows from the
 * entrance, and gives their fids; returns the written lots in that order,
 * *n of them (caller frees the array, not the lots). */
static lot_t **number_lots(sample_ctx *cx, size_t *n)
{
    lot_t **v = malloc((cx->nlots ? cx->nlots : 1) * sizeof *v);
    if (!v)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < cx->nlots; i++)
        if (!cx->lots[i].removed)
            v[m++] = &cx->lots[i];
    qsort(v, m, sizeof *v, cmp_lot_ptr);
    int counter[NCL][LOT_KINDS] = {{0}};
    for (size_t i = 0; i < m; i++) {
        lot_t *l = v[i];
        snprintf(l->lot_no, sizeof l->lot_no, "%s-%02d", LOT_PREFIX[l->kind],
                 ++counter[l->cluster][l->kind]);
        l->fid = (long) i + 1;
    }
    *n = m;
    return v;
}

static int make_lots(sample_ctx *cx)
{
    for (int ci = 0; ci < NCL; ci++) {
        if (!cx->cl[ci].def->has_lots)
            continue;
        if (layout_cluster(cx, ci) || clip_lots(cx, ci))
            return -1;
    }
    if (defect_bowtie(cx, CL_HT) || defect_outside(cx, CL_DL3) || defect_overlap(cx, CL_NUA))
        return -1;
    for (int ci = 0; ci < NCL; ci++)
        if (cx->cl[ci].def->has_lots)
            leave_reserve(cx, ci);
    gen_rng r;
    gen_rng_init(&r, cx->seed, "lots/use");
    for (size_t i = 0; i < cx->nlots; i++)
        cx->lots[i].use_null = gen_rng_unit(&r) < 0.2;
    return 0;
}

/* ---- communes ------------------------------------------------------------------ */

static int cmp_pt(const void *a, const void *b)
{
    const gen_pt *p = a, *q = b;
    if (p->x != q->x)
        return (p->x > q->x) - (p->x < q->x);
    return (p->y > q->y) - (p->y < q->y);
}

static double cross3(gen_pt o, gen_pt a, gen_pt b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Convex hull, counter-clockwise (Andrew's monotone chain).  h has room for n+1. */
static size_t convex_hull(gen_pt *p, size_t n, gen_pt *h)
{
    qsort(p, n, sizeof *p, cmp_pt);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k >= 2 && cross3(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (size_t i = n - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross3(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    return k - 1;
}

/* Keep the part of convex polygon in[] nearer to a than to b. */
static size_t clip_halfplane(const gen_pt *in, size_t n, gen_pt a, gen_pt b, gen_pt *out)
{
    double mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2, dx = b.x - a.x, dy = b.y - a.y;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        gen_pt p = in[i], q = in[(i + 1) % n];
        double fp = (p.x - mx) * dx + (p.y - my) * dy, fq = (q.x - mx) * dx + (q.y - my) * dy;
        if (fp <= 0)
            out[m++] = p;
        if ((fp < 0 && fq > 0) || (fp > 0 && fq < 0)) {
            double t = fp / (fp - fq);
            out[m++] = (gen_pt){p.x + t * (q.x - p.x), p.y + t * (q.y - p.y)};
        }
    }
    return m;
}

/* District outline (lon, lat): its convex hull bounds the Voronoi cells. */
static const double OUTLINE[][2] = {
    {105.440, 19.880}, {105.462, 19.945}, {105.530, 19.930}, {105.600, 19.885},
    {105.660, 19.860}, {105.712, 19.845}, {105.730, 19.790}, {105.722, 19.735},
    {105.672, 19.712}, {105.600, 19.708}, {105.560, 19.740}, {105.515, 19.790},
    {105.455, 19.830}};

static int project_seeds(sample_ctx *cx)
{
    cx->seeds = calloc(gen_n_communes, sizeof *cx->seeds);
    if (!cx->seeds)
        return -1;
    for (size_t i = 0; i < gen_n_communes; i++) {
        double x = gen_communes[i].lon, y = gen_communes[i].lat;
        if (!OCTTransform(cx->to_work, 1, &x, &y, NULL))
            return -1;
        cx->seeds[i] = (gen_pt){x, y};
    }
    return 0;
}

static int write_communes(sample_ctx *cx, long *count)
{
    enum { NO = sizeof OUTLINE / sizeof OUTLINE[0] };
    gen_pt pts[NO], hull[NO + 1];
    for (int i = 0; i < NO; i++) {
        double x = OUTLINE[i][0], y = OUTLINE[i][1];
        if (!OCTTransform(cx->to_work, 1, &x, &y, NULL))
            return -1;
        pts[i] = (gen_pt){x, y};
    }
    size_t nh = convex_hull(pts, NO, hull);
    size_t cap = nh + gen_n_communes + 4;
    gen_pt *a = malloc(cap * sizeof *a), *b = malloc(cap * sizeof *b);
    char *path = gen_path(cx->outdir, "communes.gpkg");
    GDALDatasetH ds = NULL;
    int rc = -1;
    if (!a || !b || !path || !(ds = gen_create("GPKG", path)))
        goto done;
    OGRLayerH lyr = gen_layer(ds, "communes", cx->srs, wkbPolygon, NULL);
    if (!lyr || gen_field(lyr, "code", OFTString, 5, 0) || gen_field(lyr, "name", OFTString, 40, 0))
        goto done;
    *count = 0;
    for (size_t i = 0; i < gen_n_communes; i++) {
        memcpy(a, hull, nh * sizeof *a);
        size_t n = nh;
        for (size_t j = 0; j < gen_n_communes && n >= 3; j++) {
            if (j == i)
                continue;
            n = clip_halfplane(a, n, cx->seeds[i], cx->seeds[j], b);
            gen_pt *t = a;
            a = b;
            b = t;
        }
        if (n < 3)
            continue;
        /* clockwise, mm */
        for (size_t k = 0; k < n / 2; k++) {
            gen_pt t = a[k];
            a[k] = a[n - 1 - k];
            a[n - 1 - k] = t;
        }
        for (size_t k = 0; k < n; k++)
            a[k] = gen_pt_mm(a[k]);
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, gen_communes[i].code);
        OGR_F_SetFieldString(f, 1, gen_communes[i].name);
        int w = gen_write(lyr, f, gen_polygon(a, n), (long) ++*count);
        OGR_F_Destroy(f);
        if (w)
            goto done;
    }
    rc = 0;
done:
    if (ds)
        GDALClose(ds);
    free(path);
    free(a);
    free(b);
    return rc;
}

/* ---- parcels ------------------------------------------------------------------- */

static parcel_t *add_parcel(sample_ctx *cx, int region)
{
    parcel_t *v = grow(cx->parcels, &cx->capparcels, cx->nparcels + 1, sizeof *v);
    if (!v)
        return NULL;
    cx->parcels = v;
    parcel_t *p = &v[cx->nparcels++];
    memset(p, 0, sizeof *p);
    p->region = region;
    return p;
}

static gen_pt *vtx(cluster_t *c, int i, int j)
{
    return &c->v[(size_t) j * (c->nx + 1) + i];
}

static parcel_t *cell(sample_ctx *cx, int ci, int i, int j)
{
    cluster_t *c = &cx->cl[ci];
    return &cx->parcels[c->pbase + (size_t) (c->ny - 1 - j) * c->nx + i];
}

/* Column (or row) edges from a0 until past a1, widths in [lo, hi], one narrow. */
static double *grid_lines(gen_rng *r, double a0, double a1, double lo, double hi, int narrow_at,
                          double narrow, int *count)
{
    size_t cap = (size_t) ((a1 - a0) / fmin(lo, narrow)) + 4;
    double *e = malloc(cap * sizeof *e);
    if (!e)
        return NULL;
    int n = 0;
    e[n++] = a0;
    while (e[n - 1] < a1 && (size_t) n < cap) {
        double wdt = n - 1 == narrow_at ? narrow : gen_rng_range(r, lo, hi);
        e[n] = e[n - 1] + wdt;
        n++;
    }
    *count = n - 1; /* cells */
    return e;
}

static int make_grid(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    const cluster_def *d = c->def;
    gen_rng r;
    char stream[32];
    snprintf(stream, sizeof stream, "parcels/%s", d->code);
    gen_rng_init(&r, cx->seed, stream);

    OGREnvelope env;
    OGR_G_GetEnvelope(c->geom, &env);
    env.MinX -= 150;
    env.MinY -= 150;
    env.MaxX += 150;
    env.MaxY += 150;
    c->pframe = gen_frame_make(c->frame.ox, c->frame.oy, d->parcel_rot_deg * DEG);
    double a0 = INFINITY, a1 = -INFINITY, b0 = INFINITY, b1 = -INFINITY;
    double bx[4] = {env.MinX, env.MaxX, env.MaxX, env.MinX}, by[4] = {env.MinY, env.MinY, env.MaxY, env.MaxY};
    for (int k = 0; k < 4; k++) {
        gen_pt l = gen_frame_local(&c->pframe, bx[k], by[k]);
        a0 = fmin(a0, l.x);
        a1 = fmax(a1, l.x);
        b0 = fmin(b0, l.y);
        b1 = fmax(b1, l.y);
    }
    int est_cols = (int) ((a1 - a0) / ((d->cell_lo + d->cell_hi) / 2));
    int est_rows = (int) ((b1 - b0) / ((d->cell_lo + d->cell_hi) / 2 * 0.85));
    c->road_col = 3 + gen_rng_int(&r, est_cols - 8);
    c->canal_row = 3 + gen_rng_int(&r, est_rows - 8);
    double *cu = grid_lines(&r, a0, a1, d->cell_lo, d->cell_hi, c->road_col, gen_rng_range(&r, 7, 10), &c->nx);
    double *cw = grid_lines(&r, b0, b1, d->cell_lo * 0.8, d->cell_hi * 0.85, c->canal_row,
                            gen_rng_range(&r, 6, 9), &c->ny);
    c->v = malloc((size_t) (c->nx + 1) * (c->ny + 1) * sizeof *c->v);
    if (!cu || !cw || !c->v) {
        free(cu);
        free(cw);
        return -1;
    }
    for (int j = 0; j <= c->ny; j++) {
        for (int i = 0; i <= c->nx; i++) {
            double du = fmin(i > 0 ? cu[i] - cu[i - 1] : 1e9, i < c->nx ? cu[i + 1] - cu[i] : 1e9);
            double dw = fmin(j > 0 ? cw[j] - cw[j - 1] : 1e9, j < c->ny ? cw[j + 1] - cw[j] : 1e9);
            double ju = gen_rng_range(&r, -0.15, 0.15) * du, jw = gen_rng_range(&r, -0.15, 0.15) * dw;
            *vtx(c, i, j) = gen_pt_mm(gen_frame_world(&c->pframe, cu[i] + ju, cw[j] + jw));
        }
    }
    free(cu);
    free(cw);
    c->pbox[0] = c->pbox[1] = INFINITY;
    c->pbox[2] = c->pbox[3] = -INFINITY;
    for (size_t k = 0; k < (size_t) (c->nx + 1) * (c->ny + 1); k++) {
        c->pbox[0] = fmin(c->pbox[0], c->v[k].x);
        c->pbox[1] = fmin(c->pbox[1], c->v[k].y);
        c->pbox[2] = fmax(c->pbox[2], c->v[k].x);
        c->pbox[3] = fmax(c->pbox[3], c->v[k].y);
    }
    /* parcels in reading order: rows from the top, columns left to right */
    c->pbase = cx->nparcels;
    for (int j = c->ny - 1; j >= 0; j--) {
        for (int i = 0; i < c->nx; i++) {
            parcel_t *p = add_parcel(cx, ci);
            if (!p)
                return -1;
            gen_pt q[4] = {*vtx(c, i, j), *vtx(c, i, j + 1), *vtx(c, i + 1, j + 1), *vtx(c, i + 1, j)};
            for (int k = 0; k < 4; k++)
                if (gen_ring_push(&p->ring, q[k].x, q[k].y))
                    return -1;
        }
    }
    return 0;
}

static int ring_valid(const gen_ring *r)
{
    OGRGeometryH g = gen_polygon(r->p, r->n);
    int ok = g && OGR_G_IsValid(g);
    OGR_G_DestroyGeometry(g);
    return ok;
}

static double parcel_area(const parcel_t *p)
{
    return fabs(gen_ring_area(p->ring.p, p->ring.n));
}

static long parcel_fid(sample_ctx *cx, const parcel_t *p)
{
    return (long) (p - cx->parcels);
}

/* A hole of about 8 m2 where four parcels meet: each parcel's corner at the
 * vertex is cut 2 m along both of its edges. */
static int defect_gap(sample_ctx *cx, int ci, int i, int j)
{
    cluster_t *c = &cx->cl[ci];
    gen_pt v = *vtx(c, i, j);
    gen_pt nb[4] = {*vtx(c, i + 1, j), *vtx(c, i, j + 1), *vtx(c, i - 1, j), *vtx(c, i, j - 1)};
    gen_pt e[4]; /* E N W S */
    for (int k = 0; k < 4; k++) {
        double dx = nb[k].x - v.x, dy = nb[k].y - v.y, len = hypot(dx, dy);
        e[k] = gen_pt_mm((gen_pt){v.x + 2.0 * dx / len, v.y + 2.0 * dy / len});
    }
    parcel_t *sw = cell(cx, ci, i - 1, j - 1), *nw = cell(cx, ci, i - 1, j);
    parcel_t *ne = cell(cx, ci, i, j), *se = cell(cx, ci, i, j - 1);
    sw->ring.p[2] = e[2];
    nw->ring.p[3] = e[1];
    ne->ring.p[0] = e[0];
    se->ring.p[1] = e[3];
    if (gen_ring_insert(&sw->ring, 3, e[3]) || gen_ring_insert(&nw->ring, 4, e[2]) ||
        gen_ring_insert(&ne->ring, 1, e[1]) || gen_ring_insert(&se->ring, 2, e[0]))
        return -1;
    gen_pt hole[4] = {e[0], e[1], e[2], e[3]};
    defect(cx,
           "PARCEL_GAP parcels.shp: hole of %.3f m2 at E %.3f N %.3f where FIDs %ld, %ld, %ld, %ld "
           "meet (%s region)",
           fabs(gen_ring_area(hole, 4)), v.x, v.y, parcel_fid(cx, nw), parcel_fid(cx, ne),
           parcel_fid(cx, sw), parcel_fid(cx, se), c->def->code);
    return 0;
}

/* Parcel (i,j)'s right edge gets a 20 m x 5 m bump into its east neighbour. */
static int defect_parcel_overlap(sample_ctx *cx, int ci, int i, int j)
{
    cluster_t *c = &cx->cl[ci];
    parcel_t *p = cell(cx, ci, i, j), *q = cell(cx, ci, i + 1, j);
    gen_pt tr = p->ring.p[2], br = p->ring.p[3];
    double dx = br.x - tr.x, dy = br.y - tr.y, len = hypot(dx, dy);
    if (len < 28.0)
        return 1;
    double nx = -dy / len, ny = dx / len;
    if (nx * c->pframe.c + ny * c->pframe.s < 0) {
        nx = -nx;
        ny = -ny;
    }
    double s1 = (len - 20.0) / (2 * len), s2 = (len + 20.0) / (2 * len);
    gen_pt t1 = {tr.x + s1 * dx, tr.y + s1 * dy}, t2 = {tr.x + s2 * dx, tr.y + s2 * dy};
    gen_pt b[4] = {gen_pt_mm(t1), gen_pt_mm((gen_pt){t1.x + 5 * nx, t1.y + 5 * ny}),
                   gen_pt_mm((gen_pt){t2.x + 5 * nx, t2.y + 5 * ny}), gen_pt_mm(t2)};
    for (int k = 0; k < 4; k++)
        if (gen_ring_insert(&p->ring, 3 + (size_t) k, b[k]))
            return -1;
    /* q's west edge (BL = p's BR, TL = p's TR) gets the same two points */
    if (gen_ring_insert(&q->ring, 1, b[3]) || gen_ring_insert(&q->ring, 2, b[0]))
        return -1;
    OGRGeometryH gp = gen_polygon(p->ring.p, p->ring.n), gq = gen_polygon(q->ring.p, q->ring.n);
    OGRGeometryH ov = gp && gq ? OGR_G_Intersection(gp, gq) : NULL;
    double a = ov ? OGR_G_Area(ov) : 0.0;
    OGR_G_DestroyGeometry(gp);
    OGR_G_DestroyGeometry(gq);
    OGR_G_DestroyGeometry(ov);
    defect(cx,
           "PARCEL_OVERLAP parcels.shp: FID %ld overlaps its east neighbour FID %ld by %.3f m2 "
           "(edge pushed 5 m into it over 20 m; %s region)",
           parcel_fid(cx, p), parcel_fid(cx, q), a, c->def->code);
    return 0;
}

/* A 60 m x 0.4 m sliver along the west edge of the grid, rows j and j+1:
 * first in the upper half with the rows' corners at most 6 m from where the
 * sliver puts them, then (seeds where that finds no place: 7, 123) in any
 * row, then 10 m off. */
static int defect_sliver(sample_ctx *cx, int ci)
{
    cluster_t *c = &cx->cl[ci];
    double wx = -c->pframe.s, wy = c->pframe.c; /* local w axis */
    double ux = c->pframe.c, uy = c->pframe.s;
    const struct {
        int j0, j1;
        double off;
    } pass[] = {{c->ny / 2, c->ny - 3, 6.0}, {1, c->ny / 2, 6.0}, {1, c->ny - 3, 10.0}};
    for (size_t pk = 0; pk < sizeof pass / sizeof pass[0]; pk++)
        for (int j = pass[pk].j0; j < pass[pk].j1; j++) {
        if (j == c->canal_row || j + 1 == c->canal_row || j - 1 == c->canal_row || j + 2 == c->canal_row)
            continue;
        gen_pt a = *vtx(c, 0, j);
        gen_pt b = gen_pt_mm((gen_pt){a.x + 30 * wx, a.y + 30 * wy});
        gen_pt d = gen_pt_mm((gen_pt){a.x + 60 * wx, a.y + 60 * wy});
        gen_pt ob = *vtx(c, 0, j + 1), od = *vtx(c, 0, j + 2);
        if (hypot(ob.x - b.x, ob.y - b.y) > pass[pk].off || hypot(od.x - d.x, od.y - d.y) > pass[pk].off)
            continue;
        *vtx(c, 0, j + 1) = b;
        *vtx(c, 0, j + 2) = d;
        parcel_t *cells[4] = {cell(cx, ci, 0, j), cell(cx, ci, 0, j + 1), cell(cx, ci, 0, j + 2),
                              cell(cx, ci, 0, j - 1)};
        cells[0]->ring.p[1] = b;
        cells[1]->ring.p[0] = b;
        cells[1]->ring.p[1] = d;
        cells[2]->ring.p[0] = d;
        int ok = 1;
        for (int k = 0; k < 3; k++)
            ok = ok && ring_valid(&cells[k]->ring);
        if (!ok) { /* undo */
            *vtx(c, 0, j + 1) = ob;
            *vtx(c, 0, j + 2) = od;
            cells[0]->ring.p[1] = ob;
            cells[1]->ring.p[0] = ob;
            cells[1]->ring.p[1] = od;
            cells[2]->ring.p[0] = od;
            continue;
        }
        parcel_t *s = add_parcel(cx, ci);
        if (!s)
            return -1;
        gen_pt q[5] = {a, gen_pt_mm((gen_pt){a.x - 0.4 * ux, a.y - 0.4 * uy}),
                       gen_pt_mm((gen_pt){d.x - 0.4 * ux, d.y - 0.4 * uy}), d, b};
        for (int k = 0; k < 5; k++)
            if (gen_ring_push(&s->ring, q[k].x, q[k].y))
                return -1;
        s->lu = "DTL";
        defect(cx, "SLIVER parcels.shp: FID %ld is a 60 m x 0.4 m strip, %.3f m2 (%s region)",
               parcel_fid(cx, s), parcel_area(s), c->def->code);
        return 0;
    }
    fprintf(stderr, "ccn-gen: no place for the sliver defect\n");
    return -1;
}

static int parcels_attributes(sample_ctx *cx)
{
    gen_rng r;
    gen_rng_init(&r, cx->seed, "parcels/attributes");
    int(*counter)[61] = calloc(gen_n_communes, sizeof *counter);
    if (!counter)
        return -1;
    /* land use by blocks of 5 x 4 cells, a road column and a canal row */
    for (int ci = 0; ci < NCL; ci++) {
        cluster_t *c = &cx->cl[ci];
        int nbx = c->nx / 5 + 1, nby = c->ny / 4 + 1;
        const char **block = calloc((size_t) nbx * nby, sizeof *block);
        if (!block) {
            free(counter);
            return -1;
        }
        for (int k = 0; k < nbx * nby; k++) {
            const char *code = gen_landuse_parcel(&r);
            block[k] = (!strcmp(code, "DGT") || !strcmp(code, "DTL")) ? "LUC" : code;
        }
        for (int j = 0; j < c->ny; j++) {
            for (int i = 0; i < c->nx; i++) {
                parcel_t *p = cell(cx, ci, i, j);
                if (i == c->road_col)
                    p->lu = "DGT";
                else if (j == c->canal_row)
                    p->lu = "DTL";
                else if (gen_rng_unit(&r) < 0.06)
                    p->lu = gen_landuse_parcel(&r);
                else
                    p->lu = block[(j / 4) * nbx + i / 5];
            }
        }
        free(block);
    }
    for (size_t k = 0; k < cx->nparcels; k++) {
        parcel_t *p = &cx->parcels[k];
        double a = gen_ring_area(p->ring.p, p->ring.n), sx = 0, sy = 0;
        for (size_t m = 0; m < p->ring.n; m++) {
            const gen_pt *s = &p->ring.p[m], *t = &p->ring.p[(m + 1) % p->ring.n];
            double cr = (s->x - p->ring.p[0].x) * (t->y - p->ring.p[0].y) -
                        (t->x - p->ring.p[0].x) * (s->y - p->ring.p[0].y);
            sx += (s->x + t->x - 2 * p->ring.p[0].x) * cr;
            sy += (s->y + t->y - 2 * p->ring.p[0].y) * cr;
        }
        double gx = p->ring.p[0].x + sx / (6 * a), gy = p->ring.p[0].y + sy / (6 * a);
        p->commune = gen_nearest(cx->seeds, gen_n_communes, gx, gy);
        long sheet = (long) floor((gx - 540000.0) / 700.0) * 11 + (long) floor((gy - 2170000.0) / 550.0);
        p->sheet = (int) (((sheet % 60) + 60) % 60) + 1;
        p->no = ++counter[p->commune][p->sheet];
        if (!p->lu)
            p->lu = "LUC";
        if (gen_landuse_is_public(p->lu) || gen_rng_unit(&r) < 0.03)
            gen_public_owner(&gen_communes[p->commune], p->owner, sizeof p->owner);
        else
            gen_person_name(&r, p->owner, sizeof p->owner);
        p->area = fabs(a);
        double noise = 0.0;
        double u = gen_rng_unit(&r);
        if (u > 0.7)
            noise = gen_rng_range(&r, -0.03, 0.03);
        p->legal = round(p->area * (1.0 + noise) * 10.0) / 10.0;
    }
    free(counter);
    return 0;
}

static int make_parcels(sample_ctx *cx)
{
    for (int ci = 0; ci < NCL; ci++)
        if (make_grid(cx, ci))
            return -1;
    /* geometric defects */
    cluster_t *dl = &cx->cl[CL_DL3];
    int gi = dl->nx / 3, gj = dl->ny / 3;
    while (gi == dl->road_col || gi - 1 == dl->road_col)
        gi++;
    while (gj == dl->canal_row || gj - 1 == dl->canal_row)
        gj++;
    if (defect_gap(cx, CL_DL3, gi, gj))
        return -1;
    cluster_t *ht = &cx->cl[CL_HT];
    int done = 0;
    for (int k = 0; k < 100 && !done; k++) {
        int i = ht->nx / 2 + k % 10, j = ht->ny / 2 + k / 10;
        if (i == ht->road_col || i + 1 == ht->road_col || j == ht->canal_row)
            continue;
        int rc = defect_parcel_overlap(cx, CL_HT, i, j);
        if (rc < 0)
            return -1;
        done = rc == 0;
    }
    if (!done) {
        fprintf(stderr, "ccn-gen: no place for the parcel overlap defect\n");
        return -1;
    }
    if (defect_sliver(cx, CL_DT))
        return -1;
    if (parcels_attributes(cx))
        return -1;

    /* duplicate key: two neighbours of one sheet, in DL3's region */
    for (int i = 2 * dl->nx / 3; i < dl->nx - 1; i++) {
        int j = 2 * dl->ny / 3;
        if (i == dl->road_col || i + 1 == dl->road_col || j == dl->canal_row)
            continue;
        parcel_t *a = cell(cx, CL_DL3, i, j), *b = cell(cx, CL_DL3, i + 1, j);
        if (a->commune != b->commune || a->sheet != b->sheet)
            continue;
        defect(cx,
               "DUPLICATE_ID parcels.shp: FIDs %ld and %ld share MAXA %s, SHBANDO %d, SHTHUA %d "
               "(no parcel has SHTHUA %d in that sheet; DL3 region)",
               parcel_fid(cx, a), parcel_fid(cx, b), gen_communes[a->commune].code, a->sheet, a->no,
               b->no);
        b->no = a->no;
        break;
    }
    /* legal areas off by more than 5 % */
    static const struct {
        int ci;
        double fi, fj, factor;
    } off[3] = {{CL_NUA, 0.5, 0.5, 1.09}, {CL_TN, 0.33, 0.5, 0.92}, {CL_TTH, 0.5, 0.33, 1.18}};
    for (int k = 0; k < 3; k++) {
        cluster_t *c = &cx->cl[off[k].ci];
        int i = (int) (c->nx * off[k].fi), j = (int) (c->ny * off[k].fj);
        if (i == c->road_col)
            i++;
        if (j == c->canal_row)
            j++;
        parcel_t *p = cell(cx, off[k].ci, i, j);
        p->legal = round(p->area * off[k].factor * 10.0) / 10.0;
        defect(cx,
               "AREA_LEGAL_MISMATCH parcels.shp: FID %ld (MAXA %s, SHBANDO %d, SHTHUA %d) map "
               "%.3f m2, DIENTICH %.1f m2 (%+.1f %%; %s region)",
               parcel_fid(cx, p), gen_communes[p->commune].code, p->sheet, p->no, p->area, p->legal,
               (p->legal / p->area - 1) * 100, c->def->code);
    }
    return 0;
}

static int write_parcels(sample_ctx *cx)
{
    char *path = gen_path(cx->outdir, "parcels.shp");
    static const char *const ext[] = {"shp", "shx", "dbf", "prj", "cpg", "qix"};
    iconv_t cd = iconv_open("TCVN5712-1", "UTF-8");
    GDALDatasetH ds = NULL;
    int rc = -1;
    if (!path || cd == (iconv_t) -1) {
        fprintf(stderr, "ccn-gen: no UTF-8 -> TCVN5712-1 conversion: %s\n", strerror(errno));
        goto done;
    }
    for (size_t k = 0; k < sizeof ext / sizeof ext[0]; k++) {
        char *other = CPLStrdup(CPLResetExtension(path, ext[k]));
        int e = gen_remove(other);
        CPLFree(other);
        if (e)
            goto done;
    }
    if (!(ds = gen_create("ESRI Shapefile", path)))
        goto done;
    char **opt = NULL;
    opt = CSLSetNameValue(opt, "ENCODING", "");
    opt = CSLSetNameValue(opt, "DBF_DATE_LAST_UPDATE", "2021-01-01");
    OGRLayerH lyr = gen_layer(ds, "parcels", cx->srs, wkbPolygon, opt);
    CSLDestroy(opt);
    if (!lyr || gen_field(lyr, "MAXA", OFTString, 5, 0) || gen_field(lyr, "SHBANDO", OFTInteger, 4, 0) ||
        gen_field(lyr, "SHTHUA", OFTInteger, 6, 0) || gen_field(lyr, "DIENTICH", OFTReal, 12, 1) ||
        gen_field(lyr, "LOAIDAT", OFTString, 10, 0) || gen_field(lyr, "TENCHU", OFTString, 100, 0))
        goto done;
    for (size_t k = 0; k < cx->nparcels; k++) {
        const parcel_t *p = &cx->parcels[k];
        char enc[256];
        char *in = (char *) p->owner, *out = enc;
        size_t inleft = strlen(p->owner), outleft = sizeof enc - 1;
        iconv(cd, NULL, NULL, NULL, NULL);
        if (iconv(cd, &in, &inleft, &out, &outleft) == (size_t) -1 ||
            iconv(cd, NULL, NULL, &out, &outleft) == (size_t) -1) {
            fprintf(stderr, "ccn-gen: cannot encode '%s' in TCVN3\n", p->owner);
            goto done;
        }
        *out = '\0';
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, gen_communes[p->commune].code);
        OGR_F_SetFieldInteger(f, 1, p->sheet);
        OGR_F_SetFieldInteger(f, 2, p->no);
        OGR_F_SetFieldDouble(f, 3, p->legal);
        OGR_F_SetFieldString(f, 4, p->lu);
        OGR_F_SetFieldString(f, 5, enc);
        int w = gen_write(lyr, f, gen_polygon(p->ring.p, p->ring.n), -1);
        OGR_F_Destroy(f);
        if (w)
            goto done;
    }
    rc = 0;
done:
    if (ds)
        GDALClose(ds);
    if (!rc) { /* GDAL leaves an empty .cpg for ENCODING="": no code page at all */
        char *cpg = CPLStrdup(CPLResetExtension(path, "cpg"));
        rc = gen_remove(cpg);
        CPLFree(cpg);
    }
    if (cd != (iconv_t) -1)
        iconv_close(cd);
    free(path);
    return rc;
}

/* ---- plan zones ------------------------------------------------------------------- */

static int write_zone(OGRLayerH lyr, OGRGeometryH g, const char *code, long *count)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (write_zone(lyr, OGR_G_GetGeometryRef(g, i), code, count))
                return -1;
        return 0;
    }
    if (t != wkbPolygon || OGR_G_Area(g) < 20.0)
        return 0;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
    OGR_F_SetFieldString(f, 0, code);
    int rc = gen_write(lyr, f, OGR_G_Clone(g), -1);
    OGR_F_Destroy(f);
    if (!rc)
        ++*count;
    return rc;
}

static int plan_region(sample_ctx *cx, OGRLayerH lyr, int ci, long *count)
{
    cluster_t *c = &cx->cl[ci];
    gen_rng r;
    char stream[32];
    snprintf(stream, sizeof stream, "plan/%s", c->def->code);
    gen_rng_init(&r, cx->seed, stream);
    int rc = -1;
    OGRGeometryH box = NULL, zone = NULL, luc = NULL, rest = NULL;
    gen_pt *v = NULL;

    double x0 = c->pbox[0] - 100, y0 = c->pbox[1] - 100, x1 = c->pbox[2] + 100, y1 = c->pbox[3] + 100;
    gen_pt bp[4] = {{x0, y0}, {x0, y1}, {x1, y1}, {x1, y0}};
    box = gen_polygon(bp, 4);
    zone = OGR_G_Buffer(c->geom, 6.0, 2);
    if (!box || !zone)
        goto done;
    if (ci == CL_TN) {
        /* protected rice land left inside the cluster: 130 m x 115 m */
        double u0 = c->lu0 + 70, w0 = c->lw0 + 70;
        luc = gen_frame_rect(&c->frame, u0, w0, u0 + 130, w0 + 115);
        if (!luc || !OGR_G_Within(luc, c->geom)) {
            fprintf(stderr, "ccn-gen: the LUC zone does not fit in TN\n");
            goto done;
        }
        OGRGeometryH z2 = OGR_G_Difference(zone, luc);
        OGR_G_DestroyGeometry(zone);
        zone = z2;
        OGRGeometryH in = OGR_G_Intersection(luc, c->geom);
        defect(cx,
               "PROTECTED_LAND plan.geojson: zone %ld (landuse LUC, 130 m x 115 m) lies inside TN; "
               "TN x LUC = %.3f m2 (planar, EPSG:5897 before the WGS 84 round trip)",
               *count, in ? OGR_G_Area(in) : 0.0);
        OGR_G_DestroyGeometry(in);
        if (write_zone(lyr, luc, "LUC", count))
            goto done;
    }
    if (!zone || write_zone(lyr, zone, c->def->plan_code, count))
        goto done;

    /* the other zones: a jittered grid at another angle, minus the cluster zone */
    double ang = (c->def->parcel_rot_deg + 17.0 * gen_rng_sign(&r)) * DEG;
    gen_frame f = gen_frame_make(c->frame.ox, c->frame.oy, ang);
    double a0 = INFINITY, a1 = -INFINITY, b0 = INFINITY, b1 = -INFINITY;
    for (int k = 0; k < 4; k++) {
        gen_pt l = gen_frame_local(&f, bp[k].x, bp[k].y);
        a0 = fmin(a0, l.x);
        a1 = fmax(a1, l.x);
        b0 = fmin(b0, l.y);
        b1 = fmax(b1, l.y);
    }
    double s = gen_rng_range(&r, 220, 280);
    int nu = (int) ceil((a1 - a0) / s) + 2, nw = (int) ceil((b1 - b0) / s) + 2;
    v = malloc((size_t) (nu + 1) * (nw + 1) * sizeof *v);
    if (!v)
        goto done;
    for (int j = 0; j <= nw; j++)
        for (int i = 0; i <= nu; i++)
            v[(size_t) j * (nu + 1) + i] = gen_pt_mm(gen_frame_world(
                &f, a0 - s + i * s + gen_rng_range(&r, -0.2, 0.2) * s,
                b0 - s + j * s + gen_rng_range(&r, -0.2, 0.2) * s));
    rest = OGR_G_Difference(box, zone);
    if (luc) {
        OGRGeometryH t = rest ? OGR_G_Difference(rest, luc) : NULL;
        OGR_G_DestroyGeometry(rest);
        rest = t;
    }
    if (!rest)
        goto done;
    for (int j = 0; j < nw; j++) {
        for (int i = 0; i < nu; i++) {
            gen_pt q[4] = {v[(size_t) j * (nu + 1) + i], v[(size_t) (j + 1) * (nu + 1) + i],
                           v[(size_t) (j + 1) * (nu + 1) + i + 1], v[(size_t) j * (nu + 1) + i + 1]};
            OGRGeometryH cellg = gen_polygon(q, 4);
            OGRGeometryH part = cellg ? OGR_G_Intersection(cellg, rest) : NULL;
            const char *code = gen_landuse_plan(&r);
            int w = part ? write_zone(lyr, part, code, count) : 0;
            OGR_G_DestroyGeometry(cellg);
            OGR_G_DestroyGeometry(part);
            if (w)
                goto done;
        }
    }
    rc = 0;
done:
    free(v);
    OGR_G_DestroyGeometry(box);
    OGR_G_DestroyGeometry(zone);
    OGR_G_DestroyGeometry(luc);
    OGR_G_DestroyGeometry(rest);
    return rc;
}

static int write_plan(sample_ctx *cx)
{
    char *path = gen_path(cx->outdir, "plan.geojson");
    GDALDatasetH ds = NULL;
    int rc = -1;
    if (!path || !(ds = gen_create("GeoJSON", path)))
        goto done;
    char **opt = NULL;
    opt = CSLSetNameValue(opt, "RFC7946", "YES");
    opt = CSLSetNameValue(opt, "WRITE_BBOX", "YES");
    OGRLayerH lyr = gen_layer(ds, "plan", cx->srs, wkbPolygon, opt);
    CSLDestroy(opt);
    if (!lyr || gen_field(lyr, "landuse", OFTString, 3, 0))
        goto done;
    cx->nplan = 0;
    for (int ci = 0; ci < NCL; ci++)
        if (plan_region(cx, lyr, ci, &cx->nplan))
            goto done;
    rc = 0;
done:
    if (ds)
        GDALClose(ds);
    free(path);
    return rc;
}

/* ---- clusters, DXF, markers ------------------------------------------------------- */

static int write_clusters(sample_ctx *cx, long *count)
{
    char *path = gen_path(cx->outdir, "clusters.gpkg");
    GDALDatasetH ds = NULL;
    int rc = -1;
    if (!path || !(ds = gen_create("GPKG", path)))
        goto done;
    OGRLayerH lyr = gen_layer(ds, "clusters", cx->srs, wkbPolygon, NULL);
    if (!lyr || gen_field(lyr, "code", OFTString, 8, 0) || gen_field(lyr, "name", OFTString, 80, 0))
        goto done;
    *count = 0;
    for (int ci = 0; ci < NCL; ci++) {
        const cluster_t *c = &cx->cl[ci];
        if (!c->def->in_gpkg)
            continue;
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, c->def->code);
        OGR_F_SetFieldString(f, 1, c->def->name);
        int w = gen_write(lyr, f, OGR_G_Clone(c->geom), ++*count);
        OGR_F_Destroy(f);
        if (w)
            goto done;
    }
    rc = 0;
done:
    if (ds)
        GDALClose(ds);
    free(path);
    return rc;
}

/* TN's boundary as one closed LWPOLYLINE on layer TN; no CRS in a DXF. */
static int write_dxf(sample_ctx *cx)
{
    const cluster_t *c = &cx->cl[CL_TN];
    char *path = gen_path(cx->outdir, "tho_ngoc.dxf");
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (!fp) {
        fprintf(stderr, "ccn-gen: cannot write %s: %s\n", path ? path : "tho_ngoc.dxf", strerror(errno));
        free(path);
        return -1;
    }
    fputs("  0\nSECTION\n  2\nHEADER\n  9\n$ACADVER\n  1\nAC1015\n  9\n$INSUNITS\n 70\n6\n"
          "  0\nENDSEC\n"
          "  0\nSECTION\n  2\nTABLES\n  0\nTABLE\n  2\nLAYER\n 70\n1\n"
          "  0\nLAYER\n  2\nTN\n 70\n0\n 62\n1\n  6\nCONTINUOUS\n"
          "  0\nENDTAB\n  0\nENDSEC\n"
          "  0\nSECTION\n  2\nENTITIES\n"
          "  0\nLWPOLYLINE\n  5\n100\n100\nAcDbEntity\n  8\nTN\n100\nAcDbPolyline\n",
          fp);
    fprintf(fp, " 90\n%zu\n 70\n1\n 43\n0.0\n", c->ring.n);
    for (size_t i = 0; i < c->ring.n; i++)
        fprintf(fp, " 10\n%.3f\n 20\n%.3f\n", c->ring.p[i].x, c->ring.p[i].y);
    fputs("  0\nENDSEC\n  0\nEOF\n", fp);
    int rc = fclose(fp) == 0 ? 0 : -1;
    if (rc)
        fprintf(stderr, "ccn-gen: cannot write %s\n", path);
    free(path);
    return rc;
}

static int write_markers(sample_ctx *cx, long *count)
{
    char *path = gen_path(cx->outdir, "markers.csv");
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (!fp) {
        free(path);
        return -1;
    }
    fputs("cluster,marker,X,Y\n", fp);
    *count = 0;
    for (int ci = 0; ci < NCL; ci++) {
        const cluster_t *c = &cx->cl[ci];
        for (size_t i = 0; i < c->ring.n; i++) {
            double e = c->ring.p[i].x, n = c->ring.p[i].y;
            if (ci == CL_DT && i == 3) {
                /* displaced 3.0 m: 2.4 m north, 1.8 m east */
                defect(cx,
                       "MARKER_MISMATCH markers.csv: DT M%zu is at X %.3f Y %.3f, 3.000 m from the "
                       "boundary vertex X %.3f Y %.3f (2.4 m north, 1.8 m east)",
                       i + 1, n + 2.4, e + 1.8, n, e);
                n += 2.4;
                e += 1.8;
            }
            fprintf(fp, "%s,M%zu,%.3f,%.3f\n", c->def->code, i + 1, n, e);
            ++*count;
        }
    }
    int rc = fclose(fp) == 0 ? 0 : -1;
    free(path);
    return rc;
}

static int write_lots(sample_ctx *cx, lot_t **sorted, size_t n)
{
    char *path = gen_path(cx->outdir, "lots.gpkg");
    GDALDatasetH ds = NULL;
    int rc = -1;
    if (!path || !(ds = gen_create("GPKG", path)))
        goto done;
    OGRLayerH lyr = gen_layer(ds, "lots", cx->srs, wkbPolygon, NULL);
    if (!lyr || gen_field(lyr, "cluster", OFTString, 8, 0) || gen_field(lyr, "lot_no", OFTString, 12, 0) ||
        gen_field(lyr, "use", OFTString, 12, 0))
        goto done;
    for (size_t i = 0; i < n; i++) {
        const lot_t *l = sorted[i];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
        OGR_F_SetFieldString(f, 0, cx->cl[l->cluster].def->code);
        OGR_F_SetFieldString(f, 1, l->lot_no);
        if (l->use_null)
            OGR_F_SetFieldNull(f, 2);
        else
            OGR_F_SetFieldString(f, 2, LOT_USE[l->kind]);
        int w = gen_write(lyr, f, OGR_G_Clone(l->geom), l->fid);
        OGR_F_Destroy(f);
        if (w)
            goto done;
    }
    rc = 0;
done:
    if (ds)
        GDALClose(ds);
    free(path);
    return rc;
}

/* ---- leases ------------------------------------------------------------------------ */

static const char *const COMPANIES[] = {
    "Công ty TNHH May Thành Đạt",
    "Công ty CP Chế biến Nông sản Triệu Sơn",
    "Công ty TNHH Giày Sơn Hà",
    "Công ty CP Gạch không nung Hợp Thắng",
    "Công ty TNHH Chế biến Lâm sản Minh Phát",
    "Công ty CP Cơ khí Nông nghiệp Thanh Hóa",
    "Công ty TNHH Thức ăn Chăn nuôi Đồng Tiến",
    "Công ty CP Bao bì Nưa",
    "Công ty TNHH Điện tử Sao Việt",
    "Công ty CP Thực phẩm Lam Sơn Xanh",
    "Công ty TNHH Gỗ Nội thất Hoàng Gia",
    "Công ty CP Vật liệu Xây dựng Thọ Ngọc",
    "Công ty TNHH May mặc Hải Nam",
    "Công ty CP Dược liệu Triệu Sơn",
    "Công ty TNHH Cơ khí Chính xác Tân Phát",
    "Công ty TNHH Thép Trường Thịnh",
    "Công ty TNHH Bao bì Nhựa An Phú",
    "Công ty CP Chế biến Thủy sản Sông Nhơm",
    "Công ty TNHH Đồ gỗ Xuất khẩu Phú Thịnh",
    "Công ty TNHH Linh kiện Điện tử Việt Hàn",
    "Công ty CP Gạo sạch Đồng Thắng",
    "Công ty TNHH Sản xuất Giày Xuân Hòa",
    "Công ty TNHH Kết cấu Thép Bắc Trung Bộ",
    "Công ty CP Thức ăn Gia súc Hồng Hà",
    "Công ty TNHH Nhựa Bình Minh Thanh Hóa",
    "Công ty CP Rau quả Sấy Triệu Sơn",
    "Công ty TNHH Dệt may Việt Thắng",
    "Công ty TNHH Cơ khí Nông cụ Hợp Lý",
    "Công ty CP Bê tông Đúc sẵn Nưa",
    "Hợp tác xã Chế biến Nông sản Dân Lực",
    "Công ty TNHH Mây tre đan Thọ Bình",
    "Công ty TNHH Bao bì Giấy Kim Long",
    "Công ty CP Chế biến Thịt Thanh Hóa",
    "Công ty TNHH Điện lạnh Hưng Thịnh",
    "Công ty TNHH Phụ liệu May Minh Anh",
    "Công ty CP Nông sản Sạch Thọ Xuân",
};
enum { NCOMPANIES = (int) (sizeof COMPANIES / sizeof COMPANIES[0]) };

static int add_lease(sample_ctx *cx, int lot, long start, long end, int tenant, const char *note)
{
    lease_t *v = grow(cx->leases, &cx->capleases, cx->nleases + 1, sizeof *v);
    if (!v)
        return -1;
    cx->leases = v;
    v[cx->nleases++] = (lease_t){lot, start, end, tenant, note};
    return 0;
}

static long rand_day(gen_rng *r, long lo, long hi)
{
    return hi <= lo ? lo : lo + (long) gen_rng_int(r, (int) (hi - lo + 1));
}

static int make_leases(sample_ctx *cx, lot_t **sorted, size_t n, double occ[NCL])
{
    const long D = gen_days(2025, 12, 31), LAST = gen_days(2026, 12, 31);
    gen_rng r;
    gen_rng_init(&r, cx->seed, "leases");
    int perm[NCOMPANIES];
    for (int i = 0; i < NCOMPANIES; i++)
        perm[i] = i;
    for (int i = NCOMPANIES - 1; i > 0; i--) {
        int j = gen_rng_int(&r, i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    int next_tenant = 0;
    char *running = calloc(n ? n : 1, 1);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!running || !order) {
        free(running);
        free(order);
        return -1;
    }
    for (int ci = 0; ci < NCL; ci++) {
        const cluster_def *d = cx->cl[ci].def;
        occ[ci] = -1;
        if (!d->has_lots)
            continue;
        /* industrial lots of this cluster, in random order */
        size_t m = 0;
        double total = 0;
        for (size_t i = 0; i < n; i++)
            if (sorted[i]->cluster == ci && sorted[i]->kind == LOT_CN) {
                order[m++] = i;
                total += sorted[i]->area;
            }
        for (size_t i = m; i-- > 1;) {
            size_t j = (size_t) gen_rng_int(&r, (int) i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double want = d->occ_target * total, got = 0;
        for (size_t i = 0; i < m; i++) {
            double a = sorted[order[i]]->area;
            if (fabs(got + a - want) < fabs(got - want)) {
                running[order[i]] = 1;
                got += a;
            }
        }
        occ[ci] = total > 0 ? got / total : 0;
        long y0 = gen_days(d->lease_year0, 3, 1);
        for (size_t i = 0; i < n; i++) {
            if (sorted[i]->cluster != ci || sorted[i]->kind != LOT_CN)
                continue;
            int lot = (int) i;
            int tenant = perm[next_tenant++ % NCOMPANIES];
            if (running[i]) {
                if (D - y0 > 3 * 365 && gen_rng_unit(&r) < 0.3) {
                    long s1 = rand_day(&r, y0, y0 + 540);
                    long e1 = s1 + rand_day(&r, 365, 3 * 365);
                    long s2 = e1 + rand_day(&r, 60, 300);
                    if (s2 < D - 30) {
                        if (add_lease(cx, lot, s1, e1, tenant, "Chấm dứt hợp đồng trước hạn"))
                            goto fail;
                        tenant = perm[next_tenant++ % NCOMPANIES];
                        if (add_lease(cx, lot, s2, -1, tenant, "Cho thuê lại sau khi thu hồi"))
                            goto fail;
                        continue;
                    }
                }
                long s = rand_day(&r, y0, D - 30);
                long e = gen_rng_unit(&r) < 0.15 ? rand_day(&r, D + 30, LAST) : -1;
                static const char *const notes[] = {"", "", "", "Đang xây dựng nhà xưởng",
                                                    "Đã đi vào sản xuất", "Thuê đất trả tiền hằng năm"};
                const char *note = e >= 0 ? "Hết hạn hợp đồng năm 2026" : notes[gen_rng_int(&r, 6)];
                if (add_lease(cx, lot, s, e, tenant, note))
                    goto fail;
            } else {
                double u = gen_rng_unit(&r);
                if (u < 0.35 && D - y0 > 400) {
                    long s = rand_day(&r, y0, D - 400);
                    long e = s + rand_day(&r, 180, 3 * 365);
                    if (e > D)
                        e = D;
                    if (add_lease(cx, lot, s, e, tenant,
                                  gen_rng_unit(&r) < 0.5 ? "Nhà đầu tư rút dự án"
                                                         : "Thu hồi do chậm tiến độ"))
                        goto fail;
                } else if (u < 0.55) {
                    long s = rand_day(&r, gen_days(2026, 1, 15), gen_days(2026, 11, 30));
                    if (add_lease(cx, lot, s, -1, tenant, "Hợp đồng ký năm 2026"))
                        goto fail;
                }
            }
        }
    }
    free(running);
    free(order);
    return 0;
fail:
    free(running);
    free(order);
    return -1;
}

static void csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static int write_leases(sample_ctx *cx, lot_t **sorted)
{
    char *path = gen_path(cx->outdir, "leases.csv");
    FILE *fp = path ? fopen(path, "w") : NULL;
    if (!fp) {
        free(path);
        return -1;
    }
    fputs("cluster,lot_no,tenant,start_date,end_date,note\n", fp);
    for (size_t i = 0; i < cx->nleases; i++) {
        const lease_t *l = &cx->leases[i];
        const lot_t *lot = sorted[l->lot];
        char s[16], e[16] = "";
        gen_date_str(l->start, s, sizeof s);
        if (l->end >= 0)
            gen_date_str(l->end, e, sizeof e);
        fprintf(fp, "%s,%s,", cx->cl[lot->cluster].def->code, lot->lot_no);
        csv_field(fp, COMPANIES[l->tenant]);
        fprintf(fp, ",%s,%s,", s, e);
        csv_field(fp, l->note);
        fputc('\n', fp);
    }
    int rc = fclose(fp) == 0 ? 0 : -1;
    free(path);
    return rc;
}

/* ---- the sample ----------------------------------------------------------------------- */

static int check_layout(sample_ctx *cx)
{
    for (int a = 0; a < NCL; a++) {
        for (int b = a + 1; b < NCL; b++) {
            const double *p = cx->cl[a].pbox, *q = cx->cl[b].pbox;
            /* plan regions reach 100 m beyond the parcel regions */
            if (p[0] - 100 < q[2] + 100 && q[0] - 100 < p[2] + 100 && p[1] - 100 < q[3] + 100 &&
                q[1] - 100 < p[3] + 100) {
                fprintf(stderr, "ccn-gen: regions of %s and %s overlap\n", cx->cl[a].def->code,
                        cx->cl[b].def->code);
                return -1;
            }
        }
    }
    return 0;
}

static void report_communes(sample_ctx *cx, int ci)
{
    /* which communes a cluster lies in: nearest seed of a 20 m grid */
    cluster_t *c = &cx->cl[ci];
    int *hits = calloc(gen_n_communes, sizeof *hits);
    if (!hits)
        return;
    OGREnvelope env;
    OGR_G_GetEnvelope(c->geom, &env);
    OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
    int nx = (int) ((env.MaxX - env.MinX) / 20) + 1, ny = (int) ((env.MaxY - env.MinY) / 20) + 1;
    for (int j = 0; j < ny; j++)
        for (int i = 0; i < nx; i++) {
            double x = env.MinX + 20.0 * i, y = env.MinY + 20.0 * j;
            OGR_G_SetPoint_2D(pt, 0, x, y);
            if (OGR_G_Contains(c->geom, pt))
                hits[gen_nearest(cx->seeds, gen_n_communes, x, y)]++;
        }
    OGR_G_DestroyGeometry(pt);
    int total = 0;
    for (size_t i = 0; i < gen_n_communes; i++)
        total += hits[i];
    printf("  %-4s in", c->def->code);
    for (size_t i = 0; i < gen_n_communes; i++)
        if (hits[i])
            printf(" %s (%.0f %%)", gen_communes[i].name, 100.0 * hits[i] / total);
    printf("\n");
    free(hits);
}

static void free_ctx(sample_ctx *cx)
{
    for (int ci = 0; ci < NCL; ci++) {
        gen_ring_free(&cx->cl[ci].ring);
        OGR_G_DestroyGeometry(cx->cl[ci].geom);
        free(cx->cl[ci].v);
    }
    for (size_t i = 0; i < cx->nlots; i++)
        OGR_G_DestroyGeometry(cx->lots[i].geom);
    free(cx->lots);
    free(cx->leases);
    for (size_t i = 0; i < cx->nparcels; i++)
        gen_ring_free(&cx->parcels[i].ring);
    free(cx->parcels);
    free(cx->seeds);
    if (cx->to_work)
        OCTDestroyCoordinateTransformation(cx->to_work);
    OSRDestroySpatialReference(cx->srs);
    OSRDestroySpatialReference(cx->wgs);
}

int gen_sample(const char *outdir, uint64_t seed)
{
    sample_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.seed = seed;
    cx.outdir = outdir;
    lot_t **sorted = NULL;
    size_t nsorted = 0;
    int rc = -1;
    long ncl = 0, ncom = 0, nmark = 0;
    double occ[NCL];

    cx.srs = gen_srs(GEN_EPSG_WORK);
    cx.wgs = gen_srs(4326);
    if (!cx.srs || !cx.wgs)
        goto done;
    cx.to_work = OCTNewCoordinateTransformation(cx.wgs, cx.srs);
    if (!cx.to_work) {
        fprintf(stderr, "ccn-gen: no transformation EPSG:4326 -> EPSG:5897\n");
        goto done;
    }
    for (int ci = 0; ci < NCL; ci++) {
        cx.cl[ci].def = &CLUSTERS[ci];
        if (make_boundary(&cx, ci))
            goto done;
    }
    for (int a = 0; a < NCL; a++)
        for (int b = a + 1; b < NCL; b++)
            if (OGR_G_Intersects(cx.cl[a].geom, cx.cl[b].geom)) {
                fprintf(stderr, "ccn-gen: clusters %s and %s overlap\n", CLUSTERS[a].code, CLUSTERS[b].code);
                goto done;
            }
    if (project_seeds(&cx) || make_lots(&cx) || make_parcels(&cx) || check_layout(&cx))
        goto done;
    if (!(sorted = number_lots(&cx, &nsorted)))
        goto done;
    for (size_t i = 0; i < nsorted; i++) {
        const lot_t *l = sorted[i];
        if (l->defect == DEF_BOWTIE)
            defect(&cx,
                   "INVALID_GEOMETRY lots.gpkg: fid %ld (HT %s) is a bow-tie (self-intersection at "
                   "the centre of its rectangle); planar shoelace area 0, after MakeValid %.3f m2",
                   l->fid, l->lot_no, l->area);
        if (l->defect == DEF_OUTSIDE) {
            OGRGeometryH out = OGR_G_Difference(l->geom, cx.cl[l->cluster].geom);
            defect(&cx,
                   "LOT_OUTSIDE_CLUSTER lots.gpkg: fid %ld (DL3 %s) sticks out of DL3 by a 40 m x "
                   "10 m strip, %.3f m2",
                   l->fid, l->lot_no, out ? OGR_G_Area(out) : 0.0);
            OGR_G_DestroyGeometry(out);
        }
        if (l->defect == DEF_OVERLAP_A) {
            for (size_t k = 0; k < nsorted; k++) {
                if (sorted[k]->defect != DEF_OVERLAP_B)
                    continue;
                OGRGeometryH ov = OGR_G_Intersection(l->geom, sorted[k]->geom);
                defect(&cx,
                       "LOT_OVERLAP lots.gpkg: fid %ld (NUA %s) and fid %ld (NUA %s) overlap by a "
                       "10 m x 20 m rectangle, %.3f m2",
                       l->fid, l->lot_no, sorted[k]->fid, sorted[k]->lot_no, ov ? OGR_G_Area(ov) : 0.0);
                OGR_G_DestroyGeometry(ov);
            }
        }
    }
    if (make_leases(&cx, sorted, nsorted, occ))
        goto done;

    if (write_clusters(&cx, &ncl) || write_dxf(&cx) || write_lots(&cx, sorted, nsorted) ||
        write_parcels(&cx) || write_plan(&cx) || write_communes(&cx, &ncom) ||
        write_markers(&cx, &nmark) || write_leases(&cx, sorted))
        goto done;

    printf("ccn-gen sample, seed %llu, into %s\n", (unsigned long long) seed, outdir);
    printf("  clusters.gpkg   %ld clusters\n", ncl);
    printf("  tho_ngoc.dxf    1 closed LWPOLYLINE (%zu vertices)\n", cx.cl[CL_TN].ring.n);
    printf("  lots.gpkg       %zu lots\n", nsorted);
    printf("  parcels.shp     %zu parcels\n", cx.nparcels);
    printf("  plan.geojson    %ld zones\n", cx.nplan);
    printf("  communes.gpkg   %ld communes\n", ncom);
    printf("  markers.csv     %ld markers\n", nmark);
    printf("  leases.csv      %zu leases\n", cx.nleases);
    printf("clusters (planar area, deviation from planned, vertices, lots, coverage, parcels):\n");
    for (int ci = 0; ci < NCL; ci++) {
        const cluster_t *c = &cx.cl[ci];
        int nl = 0, ncn = 0;
        double cov = 0, cnmin = INFINITY, cnmax = 0, dv = 0;
        for (size_t i = 0; i < nsorted; i++) {
            const lot_t *l = sorted[i];
            if (l->cluster != ci)
                continue;
            nl++;
            cov += l->area;
            if (l->kind == LOT_DV)
                dv += l->area;
            if (l->kind == LOT_CN) {
                ncn++;
                cnmin = fmin(cnmin, l->area);
                cnmax = fmax(cnmax, l->area);
            }
        }
        size_t np = (size_t) c->nx * c->ny;
        printf("  %-4s %12.3f m2 %+6.2f %% %2zu vx", c->def->code, c->area,
               (c->area / (c->def->planned_ha * 1e4) - 1) * 100, c->ring.n);
        if (nl)
            printf(", %2d lots (%d CN %.2f-%.2f ha, DV %.1f %%), cover %.1f %%", nl, ncn, cnmin / 1e4,
                   cnmax / 1e4, dv / c->area * 100, cov / c->area * 100);
        printf(", %zu parcels\n", np);
    }
    for (int ci = 0; ci < NCL; ci++)
        report_communes(&cx, ci);
    printf("occupancy on 2025-12-31 (leased industrial area / industrial area):\n");
    for (int ci = 0; ci < NCL; ci++)
        if (occ[ci] >= 0)
            printf("  %-4s %.1f %% (target in the story %.0f %%)\n", CLUSTERS[ci].code, occ[ci] * 100,
                   CLUSTERS[ci].occ_target * 100);
    printf("deliberate defects:\n");
    for (int i = 0; i < cx.ndefects; i++)
        printf("  %s\n", cx.defects[i]);
    rc = 0;
done:
    free(sorted);
    free_ctx(&cx);
    return rc;
}

/* ---- command line ---------------------------------------------------------------------- */

static void usage(FILE *fp)
{
    fputs("Usage: ccn-gen sample OUTDIR [--seed N]\n"
          "       ccn-gen district OUTDIR --parcels N [--seed N] [--noise LO,HI]\n"
          "Writes seeded synthetic layers: the bundled sample (default seed 2021)\n"
          "or district-scale benchmark data (parcels.gpkg, plan.gpkg). --noise LO,HI (metres,\n"
          "e.g. 0.02,0.10) digitises every parcel's own copy of each shared vertex\n"
          "LO/2..HI/2 off, so neighbours disagree by up to HI along every shared edge.\n",
          fp);
}

static int bad_usage(const char *msg)
{
    fprintf(stderr, "ccn-gen: %s\nTry 'ccn-gen --help'\n", msg);
    return 2;
}

static int parse_u64(const char *s, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!s || !*s || *s == '-')
        return -1;
    *out = strtoull(s, &end, 10);
    return errno || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 3)
        return bad_usage("missing mode or OUTDIR");
    int district = strcmp(argv[1], "district") == 0;
    if (!district && strcmp(argv[1], "sample") != 0)
        return bad_usage("mode must be 'sample' or 'district'");
    const char *outdir = argv[2];
    unsigned long long seed = 2021, parcels = 0;
    int have_parcels = 0;
    double noise_lo = 0, noise_hi = 0;
    for (int i = 3; i < argc; i++) {
        if (!strcmp(argv[i], "--seed")) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &seed))
                return bad_usage("--seed needs a non-negative integer");
        } else if (!strcmp(argv[i], "--parcels") && district) {
            if (parse_u64(i + 1 < argc ? argv[++i] : NULL, &parcels) || parcels < 1 || parcels > 50000000)
                return bad_usage("--parcels needs an integer from 1 to 50000000");
            have_parcels = 1;
        } else if (!strcmp(argv[i], "--noise") && district) {
            char *end = NULL;
            const char *v = i + 1 < argc ? argv[++i] : "";
            noise_lo = strtod(v, &end);
            if (end == v || *end != ',' || !(noise_lo >= 0) ||
                !((noise_hi = strtod(end + 1, &end)) >= noise_lo) || *end || noise_hi > 10)
                return bad_usage("--noise needs LO,HI in metres, 0 <= LO <= HI <= 10");
        } else {
            return bad_usage("unknown option");
        }
    }
    if (district && !have_parcels)
        return bad_usage("district needs --parcels N");
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "ccn-gen: cannot create %s: %s\n", outdir, strerror(errno));
        return 2;
    }
    GDALAllRegister();
    /* reproducible GeoPackages: fixed gpkg_contents.last_change */
    CPLSetConfigOption("OGR_CURRENT_DATE", "2021-01-01T00:00:00.000Z");
    int rc = district ? gen_district(outdir, (long) parcels, seed, noise_lo, noise_hi) : gen_sample(outdir, seed);
    GDALDestroyDriverManager();
    return rc ? 3 : 0;
}
