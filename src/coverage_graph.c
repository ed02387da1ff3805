/* coverage_graph — the planar graph of the union's boundary (see coverage_graph.h). */
#include "coverage_graph.h"
#include "coverage_run.h"

#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Faces of the noded boundary: a planar graph, traced with faces on the left. */

void ccn_coverage_graph_free(graph *g)
{
    free(g->vxy);
    free(g->eu);
    free(g->ev);
    free(g->out_first);
    free(g->out);
    free(g->next);
    free(g->comp);
    free(g->dcover);
    free(g->pl);
    free(g->pr);
}

static double he_angle(const graph *g, size_t he)
{
    size_t a = origin(g, he), b = dest(g, he);
    return atan2(g->vxy[2 * b + 1] - g->vxy[2 * a + 1], g->vxy[2 * b] - g->vxy[2 * a]);
}

/* A stand-in for he_angle without atan2, in [-2, 2]: 1 - dx / (|dx| + |dy|)
 * above the x axis, its negative below, the half picked by dy's sign bit
 * as atan2 does (-0 below). It grows with the angle, by between half and
 * all of the angle's growth, and is within 1e-15 of its exact value. */
static double he_key(const graph *g, size_t he)
{
    size_t a = origin(g, he), b = dest(g, he);
    double dx = g->vxy[2 * b] - g->vxy[2 * a], dy = g->vxy[2 * b + 1] - g->vxy[2 * a + 1];
    double p = dx / (fabs(dx) + fabs(dy));
    return signbit(dy) ? p - 1 : 1 - p;
}

/* Keys this far apart order their angles as atan2 does (its error is a few
 * units in the last place, 1e-15); closer ones are ordered by he_angle. */
#define NEAR_KEY 1e-12

/* Sort list[0 .. d) and its keys by key, then by number (insertion sort:
 * degrees are small). */
static void sort_by_key(uint32_t *list, double *key, size_t d)
{
    for (size_t a = 1; a < d; a++) {
        uint32_t x = list[a];
        size_t b = a;
        double kx = key[a];
        while (b > 0 && (key[b - 1] > kx || (key[b - 1] == kx && list[b - 1] > x))) {
            list[b] = list[b - 1], key[b] = key[b - 1];
            b--;
        }
        list[b] = x, key[b] = kx;
    }
}

/* Sort the outgoing half-edges of vertices [begin, end) counter-clockwise
 * by angle (atan2's), equal angles by number, and note each one's place.
 * By he_key first, then the runs of near keys again by he_angle: the same
 * order, with atan2 (a tenth of the graph's building) called for a few. */
static ccn_status sort_out_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    graph *g = user;
    enum { FEW = 64 };
    double few[FEW], *ang = few;
    for (size_t v = begin; v < end; v++) {
        uint32_t *list = g->out + g->out_first[v];
        size_t d = g->out_first[v + 1] - g->out_first[v];
        if (d > FEW && !(ang = malloc(d * sizeof *ang)))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        for (size_t a = 0; a < d; a++)
            ang[a] = he_key(g, list[a]);
        sort_by_key(list, ang, d);
        for (size_t a = 0, b; a < d; a = b) {
            for (b = a + 1; b < d && ang[b] - ang[b - 1] < NEAR_KEY; b++)
                ;
            if (b - a < 2)
                continue;
            for (size_t k = a; k < b; k++)
                ang[k] = he_angle(g, list[k]);
            sort_by_key(list + a, ang + a, b - a);
        }
        for (size_t k = 0; k < d; k++) /* the half-edge into v turns to the next clockwise */
            g->next[list[k] ^ 1] = (uint32_t)list[(k + d - 1) % d];
        if (ang != few)
            free(ang), ang = few;
    }
    return CCN_OK;
}

/* The outgoing half-edges of each vertex listed on every core: counted,
 * then placed from the end of each vertex's list down with atomic
 * subtractions, so in any order (sort_out_work puts them in the order of
 * their angles, then of their numbers), and out_first is left at the
 * lists' starts. */
static ccn_status degree_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    graph *g = user;
    for (size_t e = begin; e < end; e++) {
        __atomic_fetch_add(&g->out_first[g->eu[e]], 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&g->out_first[g->ev[e]], 1, __ATOMIC_RELAXED);
    }
    return CCN_OK;
}

static ccn_status out_fill_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    graph *g = user;
    for (size_t he = begin; he < end; he++)
        g->out[__atomic_sub_fetch(&g->out_first[origin(g, he)], 1, __ATOMIC_RELAXED)] =
            (uint32_t)he;
    return CCN_OK;
}

/* The connected components, on every core: a union-find whose links only
 * ever go from a root to a lower root (a compare-and-swap), so each
 * vertex's parent is below it and the roots left are the components'
 * lowest vertices, in whatever order the edges are joined. */
static uint32_t comp_find(uint32_t *parent, uint32_t v)
{
    for (;;) {
        uint32_t p = __atomic_load_n(&parent[v], __ATOMIC_RELAXED);
        if (p == v)
            return v;
        uint32_t gp = __atomic_load_n(&parent[p], __ATOMIC_RELAXED);
        if (gp != p) /* path halving: gp is an ancestor of v too */
            __atomic_store_n(&parent[v], gp, __ATOMIC_RELAXED);
        v = gp;
    }
}

static ccn_status comp_init_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    graph *g = user;
    for (size_t v = begin; v < end; v++)
        g->comp[v] = (uint32_t)v;
    return CCN_OK;
}

static ccn_status comp_join_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    graph *g = user;
    for (size_t e = begin; e < end; e++) {
        uint32_t a = g->eu[e], b = g->ev[e];
        for (;;) {
            a = comp_find(g->comp, a), b = comp_find(g->comp, b);
            if (a == b)
                break;
            uint32_t hi = a > b ? a : b, lo = a > b ? b : a, root = hi;
            if (__atomic_compare_exchange_n(&g->comp[hi], &root, lo, false, __ATOMIC_RELAXED,
                                            __ATOMIC_RELAXED)) /* else hi was just joined */
                break;
        }
    }
    return CCN_OK;
}

static ccn_status comp_root_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    graph *g = user;
    for (size_t v = begin; v < end; v++)
        g->comp[v] = comp_find(g->comp, (uint32_t)v);
    return CCN_OK;
}

ccn_status ccn_coverage_graph_finish(ccn_ctx *ctx, graph *g)
{
    ccn_status st = CCN_OK;
    /* Outgoing half-edges per vertex, sorted by angle. */
    /* Fresh memory costs its page faults (about 2 ms a megabyte here):
     * the tables are reused where they can be, out_first as comp, out for
     * the cycles' half-edges (trace_cycles). */
    g->out_first = table_calloc(g->nv + 1, sizeof *g->out_first);
    g->out = table_malloc(2 * g->ne + 1, sizeof *g->out);
    g->next = table_malloc(2 * g->ne + 1, sizeof *g->next);
    if (!g->out_first || !g->out || !g->next)
        goto oom;
    if (!(st = ccn_parallel_for(ctx, g->ne, 0, degree_work, g))) {
        for (size_t v = 1; v < g->nv; v++) /* each vertex's count to its list's end */
            g->out_first[v] += g->out_first[v - 1];
        g->out_first[g->nv] = (uint32_t)(2 * g->ne);
        if (!(st = ccn_parallel_for(ctx, 2 * g->ne, 0, out_fill_work, g)))
            st = ccn_parallel_for(ctx, g->nv, 0, sort_out_work, g);
    }
    if (st)
        goto fail;
    g->comp = g->out_first; /* out_first is not needed from here */
    g->out_first = NULL;
    if (!(st = ccn_parallel_for(ctx, g->nv, 0, comp_init_work, g)) &&
        !(st = ccn_parallel_for(ctx, g->ne, 0, comp_join_work, g)))
        st = ccn_parallel_for(ctx, g->nv, 0, comp_root_work, g);
    if (st)
        goto fail;
    return CCN_OK;
oom:
    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
fail:
    return st;
}

/* Cycles are traced on every core: the half-edges are cut into ranges,
 * and a cycle belongs to the range holding its lowest half-edge (where a
 * trace from 0 up would meet it first, and start it). A first pass finds
 * each range's cycles and their lengths, a second writes them in place.
 * Cycles mostly stay within a tile, whose edges are numbered together, so
 * few are walked by two ranges. */
typedef struct {
    size_t start, len;
} cycle_at;

typedef struct {
    const graph *g;
    size_t nhe, nranges;
    uint8_t *seen;     /* per half-edge, written only by its own range */
    cycle_at **found;  /* per range: its cycles */
    size_t *nfound, *capfound;
    size_t *first_c, *first_he; /* per range: where its cycles and half-edges go */
    cycles *cy;
} trace_job;

static ccn_status trace_find_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    trace_job *tj = user;
    const uint32_t *next = tj->g->next;
    for (size_t r = begin; r < end; r++) {
        size_t lo = tj->nhe * r / tj->nranges, hi = tj->nhe * (r + 1) / tj->nranges;
        for (size_t start = lo; start < hi; start++) {
            if (tj->seen[start])
                continue;
            size_t he = start, len = 0;
            bool ours = true;
            do { /* next is a permutation: back to start (the bound is a guard) */
                if (he >= lo && he < hi)
                    tj->seen[he] = 1;
                ours = ours && he >= lo;
                he = next[he];
                len++;
            } while (he != start && len < tj->nhe);
            if (!ours)
                continue;
            if (!GROW(tj->found[r], tj->nfound[r], tj->capfound[r], 1))
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            tj->found[r][tj->nfound[r]++] = (cycle_at){start, len};
        }
    }
    return CCN_OK;
}

static ccn_status trace_fill_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    trace_job *tj = user;
    const graph *g = tj->g;
    cycles *cy = tj->cy;
    for (size_t r = begin; r < end; r++) {
        size_t used = tj->first_he[r];
        for (size_t k = 0; k < tj->nfound[r]; k++) {
            size_t start = tj->found[r][k].start;
            cycle c = {.first = (uint32_t)used, .env = {INFINITY, INFINITY, -INFINITY, -INFINITY}};
            size_t o = origin(g, start);
            double ox = g->vxy[2 * o], oy = g->vxy[2 * o + 1], a = 0;
            c.comp = g->comp[o];
            c.face = NO_FACE;
            size_t he = start;
            for (size_t m = 0; m < tj->found[r][k].len; m++) {
                cy->he[used++] = (uint32_t)he;
                const double *p = g->vxy + 2 * origin(g, he), *q = g->vxy + 2 * dest(g, he);
                a += (p[0] - ox) * (q[1] - oy) - (q[0] - ox) * (p[1] - oy);
                c.env[0] = fmin(c.env[0], p[0]), c.env[1] = fmin(c.env[1], p[1]);
                c.env[2] = fmax(c.env[2], p[0]), c.env[3] = fmax(c.env[3], p[1]);
                size_t nx = g->next[he];
                g->next[he] = (uint32_t)(tj->first_c[r] + k); /* read once: now its cycle */
                he = nx;
            }
            c.len = (uint32_t)(used - c.first);
            c.area = a / 2;
            cy->c[tj->first_c[r] + k] = c;
        }
    }
    return CCN_OK;
}

ccn_status ccn_coverage_trace_cycles(ccn_ctx *ctx, graph *g, cycles *cy)
{
    size_t nhe = 2 * g->ne;
    trace_job tj = {.g = g, .nhe = nhe, .cy = cy};
    tj.nranges = 4 * (size_t)ccn_parallel_workers();
    tj.seen = table_calloc(nhe + 1, 1);
    tj.found = calloc(tj.nranges, sizeof *tj.found);
    tj.nfound = calloc(tj.nranges, sizeof *tj.nfound);
    tj.capfound = calloc(tj.nranges, sizeof *tj.capfound);
    tj.first_c = calloc(tj.nranges + 1, sizeof *tj.first_c);
    tj.first_he = calloc(tj.nranges + 1, sizeof *tj.first_he);
    ccn_status st = CCN_OK;
    if (!tj.seen || !tj.found || !tj.nfound || !tj.capfound || !tj.first_c || !tj.first_he)
        goto oom;
    if ((st = ccn_parallel_for(ctx, tj.nranges, 1, trace_find_work, &tj)))
        goto done;
    free(tj.seen);
    tj.seen = NULL;
    for (size_t r = 0; r < tj.nranges; r++) {
        size_t len = 0;
        for (size_t k = 0; k < tj.nfound[r]; k++)
            len += tj.found[r][k].len;
        tj.first_c[r + 1] = tj.first_c[r] + tj.nfound[r];
        tj.first_he[r + 1] = tj.first_he[r] + len;
    }
    cy->n = cy->cap = tj.first_c[tj.nranges];
    if (tj.first_he[tj.nranges] != nhe) { /* next is a permutation: never */
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "the boundary's faces do not close");
        goto done;
    }
    cy->c = table_malloc(cy->n + 1, sizeof *cy->c);
    cy->he = g->out, g->out = NULL; /* all half-edges, each once */
    if (!cy->c)
        goto oom;
    if (!(st = ccn_parallel_for(ctx, tj.nranges, 1, trace_fill_work, &tj)))
        cy->of = g->next, g->next = NULL;
    goto done;
oom:
    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
done:
    free(tj.seen);
    for (size_t r = 0; tj.found && r < tj.nranges; r++)
        free(tj.found[r]);
    free(tj.found);
    free(tj.nfound);
    free(tj.capfound);
    free(tj.first_c);
    free(tj.first_he);
    return st;
}

/* Point in the region bounded by cycle c (crossing number). */
static bool cycle_contains(const graph *g, const cycles *cy, const cycle *c, double x, double y)
{
    bool in = false;
    for (size_t k = 0; k < c->len; k++) {
        size_t he = cy->he[c->first + k];
        const double *p = g->vxy + 2 * origin(g, he), *q = g->vxy + 2 * dest(g, he);
        if ((p[1] > y) != (q[1] > y) && x < p[0] + (y - p[1]) / (q[1] - p[1]) * (q[0] - p[0]))
            in = !in;
    }
    return in;
}

/* The edges of a long cycle by horizontal band, so that a point is tested
 * against the few edges of its band: every gap of a district lies in the
 * face bounded by the district's outline, thousands of edges long. */
typedef struct {
    double y0, h;
    size_t nb, *first;
    uint32_t *list; /* band b: half-edge positions list[first[b]..first[b+1]) */
    const graph *g; /* while building: the cycle's half-edges */
    const cycles *cy;
    const cycle *c;
} bands;

enum { BANDED_MIN_LEN = 256 };

static size_t band_of(const bands *b, double y)
{
    return (size_t)fmin((double)b->nb - 1, fmax(0, floor((y - b->y0) / b->h)));
}

static bool band_cells(const void *arg, size_t k, size_t r[4])
{
    const bands *b = arg;
    size_t he = b->cy->he[b->c->first + k];
    double ya = b->g->vxy[2 * origin(b->g, he) + 1], yb = b->g->vxy[2 * dest(b->g, he) + 1];
    r[0] = r[2] = 0;
    r[1] = band_of(b, fmin(ya, yb)), r[3] = band_of(b, fmax(ya, yb));
    return true;
}

static bool bands_build(const graph *g, const cycles *cy, const cycle *c, bands *b)
{
    *b = (bands){.y0 = c->env[1], .nb = c->len / 4, .g = g, .cy = cy, .c = c};
    b->h = (c->env[3] - c->env[1]) / (double)b->nb;
    if (b->h > 0 &&
        ccn_coverage_cell_lists_build(1, b->nb, c->len, band_cells, b, &b->first, &b->list))
        return true;
    free(b->first);
    free(b->list);
    b->first = NULL, b->list = NULL;
    return false;
}

/* Point in the region bounded by c, through its bands. */
static bool banded_contains(const graph *g, const cycles *cy, const cycle *c, const bands *b,
                            double x, double y)
{
    if (y < c->env[1] || y > c->env[3])
        return false;
    size_t q = (size_t)fmin((double)b->nb - 1, fmax(0, floor((y - b->y0) / b->h)));
    bool in = false;
    for (size_t k = b->first[q]; k < b->first[q + 1]; k++) {
        size_t he = cy->he[c->first + b->list[k]];
        const double *p = g->vxy + 2 * origin(g, he), *r = g->vxy + 2 * dest(g, he);
        if ((p[1] > y) != (r[1] > y) && x < p[0] + (y - p[1]) / (r[1] - p[1]) * (r[0] - p[0]))
            in = !in;
    }
    return in;
}

/* A component's outer cycle and the point it is placed by, sorted by x. */
typedef struct {
    double x, y;
    size_t cycle;
} comp_point;

static int cmp_comp_point(const void *a, const void *b)
{
    const comp_point *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x;
}

/* Faces looked at on every core: each worker notes, per component point,
 * the smallest face (the first of equal ones) of its own that contains it. */
typedef struct {
    const graph *g;
    const cycles *cy;
    const comp_point *pts;
    size_t npts;
    size_t *best; /* worker w: best[w * npts + m], the face of point m so far */
} nest_job;

static ccn_status nest_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    nest_job *nj = user;
    const graph *g = nj->g;
    const cycles *cy = nj->cy;
    const comp_point *pts = nj->pts;
    size_t npts = nj->npts, *best = nj->best + (size_t)worker * npts;
    for (size_t fi = begin; fi < end; fi++) {
        const cycle *f = &cy->c[fi];
        if (f->area <= 0)
            continue;
        size_t lo = 0, hi = npts; /* first point with x >= the envelope's left */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (pts[mid].x < f->env[0])
                lo = mid + 1;
            else
                hi = mid;
        }
        bands b = {0}; /* the face's bands, built on first use */
        for (size_t m = lo; m < npts && pts[m].x <= f->env[2]; m++) {
            const cycle *c = &cy->c[pts[m].cycle];
            double x = pts[m].x, y = pts[m].y;
            if (y < f->env[1] || y > f->env[3] || f->comp == c->comp ||
                (best[m] != SIZE_MAX && f->area >= cy->c[best[m]].area))
                continue;
            bool in;
            if (f->len >= BANDED_MIN_LEN && (b.first || bands_build(g, cy, f, &b)))
                in = banded_contains(g, cy, f, &b, x, y);
            else
                in = cycle_contains(g, cy, f, x, y);
            if (in)
                best[m] = fi;
        }
        free(b.first);
        free(b.list);
    }
    (void)ctx;
    return CCN_OK;
}

ccn_status ccn_coverage_nest_components(ccn_ctx *ctx, const graph *g, cycles *cy)
{
    size_t npts = 0;
    for (size_t k = 0; k < cy->n; k++)
        npts += cy->c[k].area < 0;
    if (npts == 0)
        return CCN_OK;
    int nw = ccn_parallel_workers();
    comp_point *pts = malloc(npts * sizeof *pts);
    size_t *best = malloc((size_t)nw * npts * sizeof *best);
    if (!pts || !best) {
        free(pts);
        free(best);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    for (size_t k = 0; k < (size_t)nw * npts; k++)
        best[k] = SIZE_MAX;
    npts = 0;
    for (size_t k = 0; k < cy->n; k++)
        if (cy->c[k].area < 0) {
            size_t v = origin(g, cy->he[cy->c[k].first]);
            pts[npts++] = (comp_point){g->vxy[2 * v], g->vxy[2 * v + 1], k};
        }
    qsort(pts, npts, sizeof *pts, cmp_comp_point);
    nest_job nj = {g, cy, pts, npts, best};
    ccn_status st = ccn_parallel_for(ctx, cy->n, 0, nest_work, &nj);
    for (size_t m = 0; !st && m < npts; m++) {
        size_t f = SIZE_MAX;
        for (int w = 0; w < nw; w++) {
            size_t b = best[(size_t)w * npts + m];
            if (b != SIZE_MAX && (f == SIZE_MAX || cy->c[b].area < cy->c[f].area ||
                                  (cy->c[b].area == cy->c[f].area && b < f)))
                f = b;
        }
        cy->c[pts[m].cycle].face = f == SIZE_MAX ? NO_FACE : (uint32_t)f;
    }
    for (size_t m = 0; !st && m < npts; m++) {
        const cycle *c = &cy->c[pts[m].cycle];
        if (c->face != NO_FACE)
            cy->c[c->face].holes += -c->area;
    }
    free(best);
    free(pts);
    return st;
}

static GEOSGeometry *cycle_ring(GEOSContextHandle_t h, const graph *g, const cycles *cy,
                                const cycle *c)
{
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, (unsigned int)c->len + 1, 2);
    if (!seq)
        return NULL;
    for (size_t k = 0; k < c->len; k++) {
        size_t v = origin(g, cy->he[c->first + k]);
        GEOSCoordSeq_setXY_r(h, seq, (unsigned int)k, g->vxy[2 * v], g->vxy[2 * v + 1]);
    }
    size_t v0 = origin(g, cy->he[c->first]);
    GEOSCoordSeq_setXY_r(h, seq, (unsigned int)c->len, g->vxy[2 * v0], g->vxy[2 * v0 + 1]);
    return GEOSGeom_createLinearRing_r(h, seq);
}

GEOSGeometry *ccn_coverage_face_polygon(GEOSContextHandle_t h, const graph *g, const cycles *cy,
                                        size_t f, const size_t *hole_first,
                                        const size_t *hole_list)
{
    GEOSGeometry *shell = cycle_ring(h, g, cy, &cy->c[f]);
    size_t nh = hole_first[f + 1] - hole_first[f];
    GEOSGeometry **holes = nh ? calloc(nh, sizeof *holes) : NULL;
    if (!shell || (nh && !holes)) {
        if (shell)
            GEOSGeom_destroy_r(h, shell);
        free(holes);
        return NULL;
    }
    size_t ok = 0;
    for (size_t k = 0; k < nh; k++)
        if ((holes[ok] = cycle_ring(h, g, cy, &cy->c[hole_list[hole_first[f] + k]])))
            ok++;
    GEOSGeometry *poly = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned int)ok);
    free(holes);
    return poly;
}

typedef struct {
    const graph *g;
    const cycles *cy;
    uint32_t *across;   /* per half-edge in cycle order (cy->he): the cycle on its other side */
    int32_t *step;      /* and how the count changes crossing to there */
    uint64_t *span;     /* per cycle: len << 32 | first, of its half-edges in cy->he */
    uint8_t *nested;    /* per cycle: lies in a face, or has components in it */
    int32_t *d;         /* per cycle: 0 for the outer cycles of the outermost components */
    const size_t *hole_first;
    const uint8_t *bad; /* per component */
} across_job;

/* What the count's walk reads at every half-edge of cycles [begin, end),
 * laid out in the walk's order: its random reads done on every core. */
static ccn_status across_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    across_job *cj = user;
    for (size_t c = begin; c < end; c++) {
        const cycle *cc = &cj->cy->c[c];
        for (size_t k = cc->first; k < (size_t)cc->first + cc->len; k++) {
            size_t he = cj->cy->he[k];
            cj->across[k] = cj->cy->of[he ^ 1];
            cj->step[k] = he & 1 ? -cj->g->dcover[he / 2] : cj->g->dcover[he / 2];
        }
        cj->span[c] = (uint64_t)cc->len << 32 | cc->first;
        cj->nested[c] = cc->face != NO_FACE || cj->hole_first[c + 1] > cj->hole_first[c];
        cj->d[c] = cc->area < 0 && cc->face == NO_FACE ? 0 : DEPTH_UNKNOWN;
    }
    return CCN_OK;
}

/* The counts of the cycles [begin, end) of inconsistent components, and
 * any negative one, made DEPTH_UNKNOWN. */
static ccn_status unknown_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    across_job *cj = user;
    for (size_t c = begin; c < end; c++)
        if (cj->bad[cj->cy->c[c].comp] || cj->d[c] < 0)
            cj->d[c] = DEPTH_UNKNOWN;
    return CCN_OK;
}

ccn_status ccn_coverage_cover_depths(ccn_ctx *ctx, const graph *g, const cycles *cy,
                                     const size_t *hole_first, const size_t *hole_list,
                                     int32_t **depth)
{
    size_t nhe = 2 * g->ne;
    uint32_t *across = table_malloc(nhe + 1, sizeof *across);
    int32_t *step = table_malloc(nhe + 1, sizeof *step);
    int32_t *d = table_malloc(cy->n + 1, sizeof *d);
    uint32_t *queue = table_malloc(cy->n + 1, sizeof *queue);
    uint8_t *bad = table_calloc(g->nv + 1, 1); /* per component (its root vertex) */
    /* The walk below reads, per cycle, its span and whether it is nested,
     * from these small tables rather than from the large cycles. */
    uint64_t *span = table_malloc(cy->n + 1, sizeof *span);
    uint8_t *nested = table_malloc(cy->n + 1, sizeof *nested);
    *depth = NULL;
    ccn_status st = CCN_OK;
    if (!across || !step || !d || !queue || !bad || !span || !nested || cy->n >= UINT32_MAX)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    across_job cj = {g, cy, across, step, span, nested, d, hole_first, bad};
    if (!st)
        st = ccn_parallel_for(ctx, cy->n, 0, across_work, &cj);
    if (st) {
        free(across), free(step), free(d), free(queue), free(bad), free(span), free(nested);
        return st;
    }
    size_t qn = 0;
    for (size_t c = 0; c < cy->n; c++) /* the seeds, in order */
        if (d[c] == 0)
            queue[qn++] = (uint32_t)c;
#define REACH(c2, val, from)                                                                     \
    do {                                                                                         \
        size_t c2_ = (c2);                                                                       \
        int32_t v_ = (val);                                                                      \
        if (d[c2_] == DEPTH_UNKNOWN) {                                                           \
            d[c2_] = v_;                                                                         \
            queue[qn++] = (uint32_t)c2_;                                                         \
        } else if (d[c2_] != v_) {                                                               \
            bad[cy->c[c2_].comp] = bad[cy->c[from].comp] = 1;                                    \
        }                                                                                        \
    } while (0)
    for (size_t qh = 0; qh < qn; qh++) {
        size_t c = queue[qh], first = (uint32_t)span[c], len = span[c] >> 32;
        for (size_t k = first; k < first + len; k++)
            REACH(across[k], d[c] - step[k], c);
        if (!nested[c])
            continue;
        const cycle *cc = &cy->c[c];
        if (cc->face != NO_FACE) /* a component inside face cc->face: the same count */
            REACH(cc->face, d[c], c);
        if (cc->area > 0)
            for (size_t k = hole_first[c]; k < hole_first[c + 1]; k++)
                REACH(hole_list[k], d[c], c);
    }
#undef REACH
    /* A component nested in a face of an inconsistent one took its count
     * from there: inconsistent too (nesting is shallow: a few rounds). The
     * cycles in a face are the faces' holes. */
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t k = 0; k < hole_first[cy->n]; k++) {
            size_t c = hole_list[k], f = cy->c[c].face;
            if (bad[cy->c[f].comp] && !bad[cy->c[c].comp])
                bad[cy->c[c].comp] = 1, changed = true;
        }
    }
    st = ccn_parallel_for(ctx, cy->n, 0, unknown_work, &cj);
    free(across);
    free(step);
    free(queue);
    free(bad);
    free(span);
    free(nested);
    if (st) {
        free(d);
        return st;
    }
    *depth = d;
    return CCN_OK;
}
