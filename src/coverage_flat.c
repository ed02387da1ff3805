/* coverage_flat — flat coordinates and the envelope grid (see coverage_flat.h). */
#include "coverage_flat.h"
#include "earclip.h"

#include "geom.h"
#include "grow.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Flat coordinates. */

void ccn_coverage_flat_free(flat *f)
{
    free(f->poly_part);
    free(f->part_ring);
    free(f->ring_pt);
    free(f->ring_n);
    free(f->xy);
    free(f->part_env);
    free(f->poly_env);
    free(f->convex);
    free(f->shell_cw);
    free(f->part_tri);
    free(f->part_ntri);
    free(f->tri);
    free(f->area);
    free(f->perim);
    memset(f, 0, sizeof *f);
}

/* Counts of one polygon, first pass. */
typedef struct {
    size_t parts, rings, pts, tris;
} counts;

/* One polygon's rings as they are stored: in its WKB or in a GEOS
 * geometry. Parts are read in order, each its shell then its holes. */
typedef struct {
    uint32_t npts;             /* stored points, the closing one included */
    const unsigned char *wkb;  /* the ring's first coordinate in the WKB, or NULL: ... */
    const GEOSGeometry *ring;  /* ... a GEOS ring */
    bool swap;                 /* WKB: big-endian on this (little-endian) machine, or the reverse */
    uint8_t dims;              /* WKB: numbers per point (2, 3 or 4) */
} ring_src;

typedef struct {
    size_t nparts, nrings;
    uint32_t *part_nrings;     /* per part: its rings (shell and holes) */
    ring_src *rings;
    size_t cap_parts, cap_rings;
    GEOSGeometry *owned;       /* a WKB read by GEOS (a type not read here) */
    double *xy;                /* room for a shell's points (count_work) */
    size_t capxy;
} shape;

static void shape_free(ccn_ctx *ctx, shape *s)
{
    if (s->owned)
        GEOSGeom_destroy_r(ccn_ctx_geos(ctx), s->owned);
    free(s->part_nrings);
    free(s->rings);
    free(s->xy);
    memset(s, 0, sizeof *s);
}

typedef struct {
    const ccn_coverage_input *in;
    flat *f;
    counts *c;       /* per polygon: counts (pass 1), then first indices (pass 2) */
    shape *shapes;   /* per worker */
} fill_job;

static int part_count(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    if (!g || GEOSisEmpty_r(h, g))
        return 0;
    int t = GEOSGeomTypeId_r(h, g);
    return t == GEOS_POLYGON ? 1 : t == GEOS_MULTIPOLYGON ? GEOSGetNumGeometries_r(h, g) : 0;
}

static bool shape_add_part(shape *s)
{
    if (s->nparts == s->cap_parts) {
        size_t c = s->cap_parts ? 2 * s->cap_parts : 8;
        uint32_t *p = realloc(s->part_nrings, c * sizeof *p);
        if (!p)
            return false;
        s->part_nrings = p, s->cap_parts = c;
    }
    s->part_nrings[s->nparts++] = 0;
    return true;
}

static bool shape_add_ring(shape *s, ring_src r)
{
    if (s->nrings == s->cap_rings) {
        size_t c = s->cap_rings ? 2 * s->cap_rings : 16;
        ring_src *p = realloc(s->rings, c * sizeof *p);
        if (!p)
            return false;
        s->rings = p, s->cap_rings = c;
    }
    s->rings[s->nrings++] = r;
    s->part_nrings[s->nparts - 1]++;
    return true;
}

static uint32_t wkb_u32(const unsigned char *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static double wkb_f64(const unsigned char *p, bool swap)
{
    uint64_t v;
    memcpy(&v, p, 8);
    if (swap)
        v = __builtin_bswap64(v);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

/* A geometry header at *p (< end): byte order, type (ISO or extended WKB),
 * optional SRID. Gives the base type (3 polygon, 6 multipolygon) and the
 * numbers per point; false when it cannot be read. */
static bool wkb_header(const unsigned char **p, const unsigned char *end, bool *swap,
                       uint32_t *type, uint8_t *dims)
{
    if (end - *p < 5 || (**p != 0 && **p != 1))
        return false;
    bool little = **p == 1;
    uint16_t probe = 1;
    unsigned char first;
    memcpy(&first, &probe, 1);
    *swap = little != (first == 1);
    uint32_t t = wkb_u32(*p + 1, *swap);
    *p += 5;
    bool z = t & 0x80000000u, m = t & 0x40000000u;
    if (t & 0x20000000u) { /* an SRID follows */
        if (end - *p < 4)
            return false;
        *p += 4;
    }
    t &= 0x0FFFFFFFu;
    uint32_t iso = t / 1000;
    if (iso > 3)
        return false;
    z = z || iso == 1 || iso == 3;
    m = m || iso == 2 || iso == 3;
    *type = t % 1000;
    *dims = (uint8_t)(2 + z + m);
    return true;
}

/* The rings of a WKB polygon at *p, as the last part of s. */
static bool wkb_polygon(shape *s, const unsigned char **p, const unsigned char *end, bool swap,
                        uint8_t dims)
{
    if (end - *p < 4 || !shape_add_part(s))
        return false;
    uint32_t nr = wkb_u32(*p, swap);
    *p += 4;
    if (nr == 0) /* an empty polygon: one empty shell, as GEOS gives it */
        return shape_add_ring(s, (ring_src){0, *p, NULL, swap, dims});
    for (uint32_t r = 0; r < nr; r++) {
        if (end - *p < 4)
            return false;
        uint32_t np = wkb_u32(*p, swap);
        *p += 4;
        size_t bytes = (size_t)np * dims * 8;
        if ((size_t)(end - *p) < bytes || !shape_add_ring(s, (ring_src){np, *p, NULL, swap, dims}))
            return false;
        *p += bytes;
    }
    return true;
}

/* Polygon i's rings, from its WKB, or from GEOS for a geometry given as
 * GEOS or a WKB of another kind. Empty or not polygonal: no parts. false
 * when out of memory or unreadable (message in ctx). */
static bool shape_of(ccn_ctx *ctx, const ccn_coverage_input *in, size_t i, shape *s)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (s->owned)
        GEOSGeom_destroy_r(h, s->owned);
    s->owned = NULL;
    s->nparts = s->nrings = 0;
    const GEOSGeometry *g = in->geom ? in->geom[i] : NULL;
    if (!g && in->wkb && in->wkb_len[i]) {
        const unsigned char *p = in->wkb + in->wkb_off[i], *end = p + in->wkb_len[i];
        bool swap;
        uint32_t type;
        uint8_t dims;
        if (wkb_header(&p, end, &swap, &type, &dims) && (type == 3 || type == 6)) {
            bool ok = true;
            if (type == 3) {
                ok = wkb_polygon(s, &p, end, swap, dims);
            } else {
                uint32_t np = end - p >= 4 ? wkb_u32(p, swap) : 0;
                ok = end - p >= 4;
                p += 4;
                for (uint32_t k = 0; ok && k < np; k++) {
                    bool sw;
                    uint32_t t;
                    uint8_t d;
                    ok = wkb_header(&p, end, &sw, &t, &d) && t == 3 && wkb_polygon(s, &p, end, sw, d);
                }
            }
            if (ok) {
                /* Empty (no points at all): no parts, as part_count says. */
                size_t pts = 0;
                for (size_t r = 0; r < s->nrings; r++)
                    pts += s->rings[r].npts;
                if (pts == 0)
                    s->nparts = s->nrings = 0;
                return true;
            }
            s->nparts = s->nrings = 0;
        }
        if (!(s->owned = ccn_geom_from_wkb(ctx, in->wkb + in->wkb_off[i], in->wkb_len[i])))
            return false;
        g = s->owned;
    }
    int np = part_count(h, g);
    for (int k = 0; k < np; k++) {
        const GEOSGeometry *p = part_of(h, g, k);
        int holes = GEOSGetNumInteriorRings_r(h, p);
        if (!shape_add_part(s))
            return false;
        for (int r = -1; r < holes; r++) {
            const GEOSGeometry *lr = r < 0 ? GEOSGetExteriorRing_r(h, p) : GEOSGetInteriorRingN_r(h, p, r);
            int m = GEOSGetNumCoordinates_r(h, lr);
            if (!shape_add_ring(s, (ring_src){(uint32_t)(m > 0 ? m : 0), NULL, lr, false, 2}))
                return false;
        }
    }
    return true;
}

const GEOSGeometry *ccn_coverage_poly_geom(ccn_ctx *ctx, const ccn_coverage_input *in, size_t i,
                                           GEOSGeometry **owned)
{
    *owned = NULL;
    if (in->geom && in->geom[i])
        return in->geom[i];
    if (!in->wkb || !in->wkb_len[i])
        return NULL;
    *owned = ccn_geom_from_wkb(ctx, in->wkb + in->wkb_off[i], in->wkb_len[i]);
    return *owned;
}

/* Room for the ear-clipped triangles of a part's shell, decided from its
 * stored coordinates before the ring is read. The ring may repeat vertices
 * or lack its closing point (workspaces written by other tools), so the
 * distinct vertices fill_work clips are anywhere up to the stored count:
 * reserve for the most that can be clipped, min(stored, CCN_EARCLIP_MAX),
 * which give at most that many minus two triangles. */
static size_t ear_room(int holes, int shell_pts)
{
    if (holes != 0 || shell_pts < 3)
        return 0;
    return (size_t)(shell_pts < CCN_EARCLIP_MAX ? shell_pts : CCN_EARCLIP_MAX) - 2;
}
/* Copy a ring into p (room for its stored points), dropping repeated
 * points and the closing point; returns the points kept. */
static uint32_t take_ring(GEOSContextHandle_t h, const ring_src *src, double *p)
{
    unsigned int m = src->npts;
    if (m == 0)
        return 0;
    if (src->wkb) {
        for (unsigned int k = 0; k < m; k++) {
            const unsigned char *q = src->wkb + (size_t)k * src->dims * 8;
            p[2 * k] = wkb_f64(q, src->swap);
            p[2 * k + 1] = wkb_f64(q + 8, src->swap);
        }
    } else {
        const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, src->ring);
        if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &m) || m == 0 || m > src->npts ||
            !GEOSCoordSeq_copyToBuffer_r(h, seq, p, 0, 0))
            return 0;
    }
    uint32_t n = 1;
    for (unsigned int k = 1; k < m; k++)
        if (p[2 * k] != p[2 * (n - 1)] || p[2 * k + 1] != p[2 * (n - 1) + 1]) {
            p[2 * n] = p[2 * k];
            p[2 * n + 1] = p[2 * k + 1];
            n++;
        }
    if (n > 1 && p[2 * (n - 1)] == p[0] && p[2 * (n - 1) + 1] == p[1])
        n--;
    return n >= 3 ? n : 0;
}
/* Convex when no turn goes right by more than a rounding error. */
static bool ring_convex(const double *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const double *a = p + 2 * k, *b = p + 2 * ((k + 1) % n), *c = p + 2 * ((k + 2) % n);
        double ex = b[0] - a[0], ey = b[1] - a[1], fx = c[0] - b[0], fy = c[1] - b[1];
        double cr = ex * fy - ey * fx;
        if (cr < -1e-9 * sqrt((ex * ex + ey * ey) * (fx * fx + fy * fy)))
            return false;
    }
    return true;
}

/* Counts of each polygon; triangles only for the parts fill_work will
 * ear-clip (most parcels are convex: reserving for every part took a tenth
 * of the memory of 3 million parcels), decided by the same steps. */
static ccn_status count_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    fill_job *job = user;
    shape *s = &job->shapes[worker];
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t i = begin; i < end; i++) {
        counts c = {0};
        if (!shape_of(ctx, job->in, i, s))
            return ccn_ctx_status(ctx) ? ccn_ctx_status(ctx) : CCN_ERR_INTERNAL;
        const ring_src *r = s->rings;
        for (size_t k = 0; k < s->nparts; r += s->part_nrings[k], k++) {
            int holes = (int)s->part_nrings[k] - 1;
            c.parts++;
            c.rings += s->part_nrings[k];
            for (uint32_t q = 0; q < s->part_nrings[k]; q++)
                c.pts += r[q].npts;
            size_t room = ear_room(holes, (int)r[0].npts);
            if (room == 0)
                continue;
            if (r[0].npts > s->capxy) {
                double *xy = realloc(s->xy, 2 * (size_t)r[0].npts * sizeof *xy);
                if (!xy)
                    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                s->xy = xy, s->capxy = r[0].npts;
            }
            uint32_t sn = take_ring(h, &r[0], s->xy);
            if (sn >= 3 && ccn_earclip_signed_area(s->xy, sn) < 0)
                ccn_earclip_reverse(s->xy, sn);
            if (sn >= 3 && sn - 2 <= room && !ring_convex(s->xy, sn))
                c.tris += sn - 2;
        }
        job->c[i] = c;
    }
    return CCN_OK;
}

static ccn_status fill_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    fill_job *job = user;
    flat *f = job->f;
    shape *s = &job->shapes[worker];
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t i = begin; i < end; i++) {
        if (!shape_of(ctx, job->in, i, s))
            return ccn_ctx_status(ctx) ? ccn_ctx_status(ctx) : CCN_ERR_INTERNAL;
        size_t part = f->poly_part[i], ring = job->c[i].rings, pt = job->c[i].pts,
               tri = job->c[i].tris;
        double area = 0, perim = 0;
        double *penv = f->poly_env + 4 * i;
        penv[0] = penv[1] = INFINITY, penv[2] = penv[3] = -INFINITY;
        const ring_src *src = s->rings;
        for (size_t k = 0; k < s->nparts; src += s->part_nrings[k], k++, part++) {
            int holes = (int)s->part_nrings[k] - 1;
            f->part_ring[part] = ring;
            f->part_tri[part] = tri;
            f->part_ntri[part] = 0;
            f->shell_cw[part] = 0;
            double *env = f->part_env + 4 * part;
            env[0] = env[1] = INFINITY, env[2] = env[3] = -INFINITY;
            for (int r = -1; r < holes; r++, ring++) {
                const ring_src *lr = &src[r + 1];
                double *xy = f->xy + 2 * pt;
                uint32_t n = take_ring(h, lr, xy);
                f->ring_pt[ring] = pt;
                f->ring_n[ring] = n;
                pt += lr->npts;
                if (n == 0)
                    continue;
                double a = ccn_earclip_signed_area(xy, n);
                if ((r < 0 && a < 0) || (r >= 0 && a > 0))
                    ccn_earclip_reverse(xy, n);
                if (r < 0)
                    f->shell_cw[part] = a < 0;
                area += r < 0 ? fabs(a) : -fabs(a);
                for (uint32_t v = 0; v < n; v++) {
                    const double *q = xy + 2 * v, *t = xy + 2 * ((v + 1) % n);
                    perim += sqrt((t[0] - q[0]) * (t[0] - q[0]) + (t[1] - q[1]) * (t[1] - q[1]));
                    if (r < 0) {
                        env[0] = fmin(env[0], q[0]), env[1] = fmin(env[1], q[1]);
                        env[2] = fmax(env[2], q[0]), env[3] = fmax(env[3], q[1]);
                    }
                }
            }
            size_t shell = f->part_ring[part];
            uint32_t sn = f->ring_n[shell];
            const double *sxy = f->xy + 2 * f->ring_pt[shell];
            f->convex[part] = holes == 0 && sn >= 3 && ring_convex(sxy, sn);
            size_t room = ear_room(holes, (int)src[0].npts);
            if (sn >= 3 && sn - 2 <= room && !f->convex[part]) {
                f->part_ntri[part] = ccn_earclip(sxy, sn, f->tri + 3 * tri);
                tri += f->part_ntri[part];
            }
            penv[0] = fmin(penv[0], env[0]), penv[1] = fmin(penv[1], env[1]);
            penv[2] = fmax(penv[2], env[2]), penv[3] = fmax(penv[3], env[3]);
        }
        f->area[i] = area;
        f->perim[i] = perim;
    }
    return CCN_OK;
}

ccn_status ccn_coverage_flat_build(ccn_ctx *ctx, const ccn_coverage_input *in, flat *f)
{
    ccn_status st = CCN_OK;
    size_t n = in->n;
    int nw = ccn_parallel_workers();
    size_t small = n < 1024 ? 1024 : 0; /* a few polygons (a streamed window): no threads */
    fill_job job = {.in = in, .f = f, .c = calloc(n ? n : 1, sizeof(counts)),
                    .shapes = calloc((size_t)nw, sizeof(shape))};
    memset(f, 0, sizeof *f);
    f->n = n;
    if (!job.c || !job.shapes) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_parallel_for(ctx, n, small, count_work, &job)))
        goto done;
    counts total = {0};
    f->poly_part = malloc((n + 1) * sizeof *f->poly_part);
    if (!f->poly_part)
        goto oom;
    for (size_t i = 0; i < n; i++) { /* counts become first indices */
        counts c = job.c[i];
        f->poly_part[i] = total.parts;
        job.c[i] = (counts){total.parts, total.rings, total.pts, total.tris};
        total.parts += c.parts, total.rings += c.rings, total.pts += c.pts, total.tris += c.tris;
    }
    f->poly_part[n] = total.parts;
    f->part_ring = malloc((total.parts + 1) * sizeof *f->part_ring);
    f->ring_pt = malloc((total.rings + 1) * sizeof *f->ring_pt);
    f->ring_n = malloc((total.rings + 1) * sizeof *f->ring_n);
    f->xy = malloc((2 * total.pts + 2) * sizeof *f->xy);
    f->part_env = malloc((4 * total.parts + 4) * sizeof *f->part_env);
    f->poly_env = malloc((4 * n + 4) * sizeof *f->poly_env);
    f->convex = malloc(total.parts + 1);
    f->shell_cw = malloc(total.parts + 1);
    f->part_tri = malloc((total.parts + 1) * sizeof *f->part_tri);
    f->part_ntri = malloc((total.parts + 1) * sizeof *f->part_ntri);
    f->tri = malloc((3 * total.tris + 3) * sizeof *f->tri);
    f->area = malloc((n + 1) * sizeof *f->area);
    f->perim = malloc((n + 1) * sizeof *f->perim);
    if (!f->part_ring || !f->ring_pt || !f->ring_n || !f->xy || !f->part_env || !f->poly_env ||
        !f->convex || !f->shell_cw || !f->part_tri || !f->part_ntri || !f->tri || !f->area || !f->perim)
        goto oom;
    f->part_ring[total.parts] = total.rings;
    if ((st = ccn_parallel_for(ctx, n, small, fill_work, &job)))
        goto done;
    goto done;
oom:
    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
done:
    free(job.c); /* f, whole or partial, is the caller's to free */
    for (int k = 0; job.shapes && k < nw; k++)
        shape_free(ctx, &job.shapes[k]);
    free(job.shapes);
    return st;
}

bool ccn_coverage_cell_lists_build(size_t nx, size_t ncell, size_t n, item_cells_fn cells,
                                   const void *arg, size_t **first, uint32_t **list)
{
    *first = NULL, *list = NULL;
    if (n >= UINT32_MAX || !(*first = calloc(ncell + 1, sizeof **first)))
        return false;
    size_t *at = *first, r[4];
    for (size_t i = 0; i < n; i++)
        if (cells(arg, i, r))
            for (size_t row = r[1]; row <= r[3]; row++)
                for (size_t col = r[0]; col <= r[2]; col++)
                    at[row * nx + col]++;
    for (size_t c = 1; c < ncell; c++) /* each cell's count to its list's end */
        at[c] += at[c - 1];
    at[ncell] = ncell ? at[ncell - 1] : 0;
    if (!(*list = malloc((at[ncell] + 1) * sizeof **list)))
        return false;
    for (size_t i = n; i-- > 0;)
        if (cells(arg, i, r))
            for (size_t row = r[1]; row <= r[3]; row++)
                for (size_t col = r[0]; col <= r[2]; col++)
                    (*list)[--at[row * nx + col]] = (uint32_t)i;
    return true;
}

static size_t poly_grid_col(const poly_grid *g, double x)
{
    return (size_t)fmin((double)g->nx - 1, fmax(0, floor((x - g->x0) / g->cw)));
}

static size_t poly_grid_row(const poly_grid *g, double y)
{
    return (size_t)fmin((double)g->ny - 1, fmax(0, floor((y - g->y0) / g->ch)));
}

static bool box_cells(const void *arg, size_t i, size_t r[4])
{
    const poly_grid *g = arg;
    const double *pe = g->env + 4 * i;
    if (!(pe[0] <= pe[2]) || !(pe[1] <= pe[3]))
        return false;
    r[0] = poly_grid_col(g, pe[0]), r[1] = poly_grid_row(g, pe[1]);
    r[2] = poly_grid_col(g, pe[2]), r[3] = poly_grid_row(g, pe[3]);
    return true;
}

bool ccn_coverage_box_grid_build(poly_grid *g, const double *env, size_t n)
{
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *pe = env + 4 * i;
        if (!(pe[0] <= pe[2]) || !(pe[1] <= pe[3]))
            continue;
        e[0] = fmin(e[0], pe[0]), e[1] = fmin(e[1], pe[1]);
        e[2] = fmax(e[2], pe[2]), e[3] = fmax(e[3], pe[3]);
        m++;
    }
    *g = (poly_grid){.env = env};
    if (m == 0 || n >= UINT32_MAX)
        return n < UINT32_MAX;
    /* Cells as square as the extent allows, about two polygons each. */
    double w = e[2] - e[0], hgt = e[3] - e[1], cells = fmax(1, (double)m / 2);
    double side = sqrt(fmax(w * hgt, 1e-6) / cells);
    g->nx = (size_t)fmin(65536, fmax(1, ceil(w / side)));
    g->ny = (size_t)fmin(65536, fmax(1, ceil(hgt / side)));
    while (g->nx * g->ny > 4 * (size_t)cells + 16) { /* a thin extent */
        g->nx = g->nx > 1 ? (g->nx + 1) / 2 : 1;
        g->ny = g->ny > 1 ? (g->ny + 1) / 2 : 1;
    }
    g->x0 = e[0], g->y0 = e[1];
    g->cw = fmax(w / (double)g->nx, 1e-9), g->ch = fmax(hgt / (double)g->ny, 1e-9);
    return ccn_coverage_cell_lists_build(g->nx, g->nx * g->ny, n, box_cells, g, &g->first,
                                         &g->list);
}

void ccn_coverage_poly_grid_free(poly_grid *g)
{
    free(g->first);
    free(g->list);
    memset(g, 0, sizeof *g);
}

bool ccn_coverage_box_grid_query(const poly_grid *g, const double *b, size_t **out, size_t *n,
                                 size_t *cap)
{
    *n = 0;
    if (!g->first)
        return true;
    size_t i0 = poly_grid_col(g, b[0]), i1 = poly_grid_col(g, b[2]);
    size_t j0 = poly_grid_row(g, b[1]), j1 = poly_grid_row(g, b[3]);
    for (size_t r = j0; r <= j1; r++)
        for (size_t c = i0; c <= i1; c++) {
            size_t cell = r * g->nx + c;
            for (size_t k = g->first[cell]; k < g->first[cell + 1]; k++) {
                size_t j = g->list[k];
                const double *pe = g->env + 4 * j;
                if (!env_meet(pe, b) || poly_grid_col(g, fmax(pe[0], b[0])) != c ||
                    poly_grid_row(g, fmax(pe[1], b[1])) != r)
                    continue;
                if (!GROW(*out, *n, *cap, 1))
                    return false;
                (*out)[(*n)++] = j;
            }
        }
    return true;
}

bool ccn_coverage_flat_contains(const flat *f, size_t j, double x, double y)
{
    for (size_t p = f->poly_part[j]; p < f->poly_part[j + 1]; p++) {
        const double *e = f->part_env + 4 * p;
        if (x < e[0] || x > e[2] || y < e[1] || y > e[3])
            continue;
        bool in = false;
        for (size_t r = f->part_ring[p]; r < f->part_ring[p + 1]; r++) {
            const double *q = f->xy + 2 * f->ring_pt[r];
            uint32_t n = f->ring_n[r];
            for (uint32_t k = 0; k < n; k++) {
                const double *a = q + 2 * k, *b = q + 2 * ((k + 1) % n);
                if ((a[1] > y) != (b[1] > y) &&
                    x < a[0] + (y - a[1]) / (b[1] - a[1]) * (b[0] - a[0]))
                    in = !in;
            }
        }
        if (in)
            return true;
    }
    return false;
}
