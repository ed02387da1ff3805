/* coverage — overlaps, gaps and slivers of a polygon layer (see coverage.h):
 * the per-polygon pass, the whole check, and the streamed window. Its parts:
 * coverage_flat (the polygons as flat arrays, and their grid), coverage_pair
 * (the area two polygons share), coverage_pieces (the pieces of the union's
 * boundary), coverage_noder (those noded in tiles), coverage_graph (the
 * planar graph, its faces and how many polygons cover each), coverage_gaps
 * (the uncovered regions); coverage_run.h holds what they share. */
#include "coverage.h"
#include "coverage_gaps.h"
#include "coverage_run.h"
#include "grow.h"

#include "geom.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * The per-polygon pass: slivers, overlaps, boundary pieces for the gaps. */

/* Is the pair of polygon i (being processed) and j measured now? Once per
 * pair: by the first of the two processed, the lower of two processed in
 * the same round. */
static bool pair_here(const run_t *run, size_t i, size_t j)
{
    uint8_t s = run->state ? run->state[j] : P_NOW;
    return s == P_WAITING || (s == P_NOW && j > i);
}

/* The convex piece two convex parcels share is judged on its points alone
 * (ccn_coverage_clip_shape, the square of its size) up to this many; a
 * larger one goes the way of the others. */
enum { CLIP_SHAPE_MAX = 256 };

static ccn_status pass_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    run_t *run = user;
    worker_state *w = &run->ws[worker];
    const flat *f = &run->f;
    const ccn_coverage_options *opt = run->opt;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t k = begin; k < end; k++) {
        size_t i = run->order ? run->order[run->order_base + k] : k;
        if (f->poly_part[i] == f->poly_part[i + 1] || f->area[i] <= 0)
            continue;
        if (opt->sliver_max_width_m > 0 && f->perim[i] > 0) {
            double ratio = 4 * M_PI * f->area[i] / (f->perim[i] * f->perim[i]);
            double width = 2 * f->area[i] / f->perim[i];
            if (ratio < opt->sliver_ratio && width <= opt->sliver_max_width_m) {
                ccn_coverage_issue is = {CCN_COVERAGE_SLIVER, i, CCN_COVERAGE_NONE, f->area[i],
                                         NAN, NAN, ratio, width, NAN, 0};
                GEOSGeometry *own;
                const GEOSGeometry *gi = ccn_coverage_poly_geom(ctx, run->in, i, &own);
                if (gi)
                    ccn_geom_point_on_surface(ctx, gi, &is.x, &is.y);
                if (own)
                    GEOSGeom_destroy_r(h, own);
                if (!add_issue(w, is))
                    goto oom;
            }
        }
        /* The envelope widened by the snap: polygons meeting only at a
         * corner, each with its own copy of it, must still see each other. */
        const double *e = f->poly_env + 4 * i, snap = run->gaps ? opt->snap_m : 0;
        double probe[4] = {e[0] - snap, e[1] - snap, e[2] + snap, e[3] + snap};
        if (!poly_grid_query(&run->grid, probe, w))
            goto oom;
        for (size_t c = 0; c < w->ncand; c++) {
            size_t self = i, other = w->cand[c];
            if (other == self || !pair_here(run, self, other) ||
                !env_meet(f->poly_env + 4 * self, f->poly_env + 4 * other))
                continue;
            /* The pair as when all polygons are at hand: the lower one first. */
            size_t i = self < other ? self : other, j = self < other ? other : self;
            double est = 0;
            for (size_t p = f->poly_part[i]; p < f->poly_part[i + 1]; p++)
                for (size_t q = f->poly_part[j]; q < f->poly_part[j + 1]; q++) {
                    double a = ccn_coverage_part_pair_area(ctx, &w->clip, f, run->in, i, p, j, q);
                    if (isnan(a))
                        goto oom;
                    est += a;
                }
            /* The estimate is the shared area but for rounding and for the
             * turns ring_convex lets pass as straight (a vertex off the line
             * by 1e-9 of its edges, a sliver of that times the perimeters):
             * a pair clearly at or under the noise floor is not measured
             * again with GEOS (on noisy neighbours, 4 in 10 of those that
             * were; GEOS's areas there lie within 2e-8 m² of the estimate). */
            double slack = 1e-6 + 1e-8 * f->perim[i] * f->perim[j];
            if (est <= opt->overlap_min_m2 - slack)
                continue;
            ccn_coverage_issue is = {CCN_COVERAGE_OVERLAP, i, j, 0, NAN, NAN, NAN, NAN, NAN, 0};
            /* Two convex parcels (most) share a convex piece: when it is
             * narrower than the tolerance it is measured here, without GEOS
             * (neighbours digitised sheet by sheet have one on every edge). */
            size_t pi = f->poly_part[i], pj = f->poly_part[j];
            if (opt->edge_tol_m > 0 && f->poly_part[i + 1] == pi + 1 &&
                f->poly_part[j + 1] == pj + 1 && f->convex[pi] && f->convex[pj] &&
                w->clip.len >= 3 && w->clip.len <= CLIP_SHAPE_MAX) {
                /* The estimate was this very clip (one ring each: convex
                 * parts have no holes), its piece still in w->clip. */
                const double *c = f->xy + 2 * f->ring_pt[f->part_ring[pj]];
                double a = est;
                if (a <= opt->overlap_min_m2)
                    continue;
                double width, perim, cx, cy;
                ccn_coverage_clip_shape(&w->clip, &width, &perim, &cx, &cy);
                if (width < opt->edge_tol_m) {
                    is = (ccn_coverage_issue){CCN_COVERAGE_EDGE_MISMATCH, i, j, a, c[0] + cx,
                                              c[1] + cy, NAN, width, perim / 2,
                                              CCN_COVERAGE_THIN_OVERLAP};
                    if (!add_issue(w, is))
                        goto oom;
                    continue;
                }
            }
            /* Two one-ring parcels whose boundaries cross properly (nearly
             * all the rest) are measured in-house, as GEOS would. */
            int mine = ccn_coverage_pair_overlap(ctx, f, i, j, opt, &is);
            if (mine < 0)
                return ccn_ctx_status(ctx) ? ccn_ctx_status(ctx) : CCN_ERR_INTERNAL;
            if (mine > 0) {
                if (is.area > opt->overlap_min_m2 && !add_issue(w, is))
                    goto oom;
                continue;
            }
            GEOSGeometry *oi, *oj;
            const GEOSGeometry *gi = ccn_coverage_poly_geom(ctx, run->in, i, &oi),
                               *gj = ccn_coverage_poly_geom(ctx, run->in, j, &oj);
            bool measured = gi && gj &&
                            ccn_coverage_measure_overlap(ctx, gi, gj, opt->overlap_min_m2,
                                                         opt->edge_tol_m, &is);
            if (oi)
                GEOSGeom_destroy_r(h, oi);
            if (oj)
                GEOSGeom_destroy_r(h, oj);
            if (!measured)
                return CCN_ERR_INTERNAL;
            if (is.area > opt->overlap_min_m2 && !add_issue(w, is))
                goto oom;
        }
        if (run->gaps &&
            !ccn_coverage_emit_boundary(w, f, i, run->id ? (uint32_t)run->id[i] : (uint32_t)i,
                                        opt->snap_m))
            goto oom;
    }
    return CCN_OK;
oom:
    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
}

/* ---------------------------------------------------------------------------
 * The whole check. */

typedef struct {
    double x;
    uint32_t i;
} by_x;

static int cmp_u32(const void *a, const void *b)
{
    uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;
    return (p > q) - (p < q);
}

static int cmp_by_x(const void *a, const void *b)
{
    const by_x *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->i > q->i) - (p->i < q->i);
}

/* The per-polygon pass over the polygons ready (ready[0..m), indices of
 * run->f; they are reordered). With gaps, in batches taken from left to
 * right, the pieces of each batch merged before the next: only the pieces
 * near the batches' moving front stay pending, so memory for pieces stays
 * that of a batch however many polygons there are (three million parcels
 * leave some twenty million pieces, two thirds of a gigabyte). done_x: no
 * polygon not among these starts left of it. */
static ccn_status pass_ready(ccn_ctx *ctx, run_t *run, uint32_t *ready, size_t m, double done_x)
{
    run->order = ready;
    run->order_base = 0;
    if (!run->gaps)
        return ccn_parallel_for(ctx, m, 256, pass_work, run);
    const size_t PASS_BATCH = run->opt->batch ? run->opt->batch : (size_t)1 << 17;
    by_x *key = malloc((m + 1) * sizeof *key);
    double *next_x = malloc((m / PASS_BATCH + 2) * sizeof *next_x); /* where the polygons
                                                                        after each batch start */
    if (!key || !next_x) {
        free(key);
        free(next_x);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    for (size_t k = 0; k < m; k++) { /* polygons without parts (no envelope) last */
        double x = run->f.poly_env[4 * ready[k]];
        key[k] = (by_x){isfinite(x) ? x : INFINITY, ready[k]};
    }
    qsort(key, m, sizeof *key, cmp_by_x);
    for (size_t k = 0; k < m; k++)
        ready[k] = key[k].i;
    /* Within a batch (a strip of the map), the polygons in their own order:
     * neighbours along a row of parcels lie near in memory. */
    for (size_t b = 0; b < m; b += PASS_BATCH)
        qsort(ready + b, m - b < PASS_BATCH ? m - b : PASS_BATCH, sizeof *ready, cmp_u32);
    for (size_t b = 0; b < m; b += PASS_BATCH)
        next_x[b / PASS_BATCH] = b + PASS_BATCH < m ? fmin(key[b + PASS_BATCH].x, done_x) : done_x;
    free(key);
    ccn_status st = CCN_OK;
    for (size_t b = 0; b < m && !st; b += PASS_BATCH) {
        run->order_base = b;
        st = ccn_parallel_for(ctx, m - b < PASS_BATCH ? m - b : PASS_BATCH, 256, pass_work, run);
        if (!st)
            st = ccn_coverage_merge_pieces(ctx, run, next_x[b / PASS_BATCH]);
    }
    free(next_x);
    return st;
}

static int cmp_issue(const void *a, const void *b)
{
    const ccn_coverage_issue *p = a, *q = b;
    if (p->kind != q->kind)
        return p->kind < q->kind ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    if (p->b != q->b)
        return p->b < q->b ? -1 : 1;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

ccn_status ccn_coverage_check(ccn_ctx *ctx, const GEOSGeometry *const *polys, size_t n,
                              const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                              size_t *nissues)
{
    ccn_coverage_input in = {.n = n, .geom = polys};
    return ccn_coverage_check_input(ctx, &in, opt, issues, nissues);
}

/* After the per-polygon pass: the gaps, then every worker's issues sorted,
 * the thin pieces of a pair of neighbours made one edge mismatch. */
static ccn_status finish(ccn_ctx *ctx, run_t *run, ccn_coverage_issue **issues, size_t *nissues)
{
    ccn_status st;
    ccn_progress(ctx, "coverage", 1, 2);
    if (run->gaps && (st = ccn_coverage_find_gaps(ctx, run)))
        return st;
    ccn_progress(ctx, "coverage", 2, 2);
    size_t total = 0;
    for (int k = 0; k < run->nws; k++)
        total += run->ws[k].nissues;
    ccn_coverage_issue *all = malloc((total + 1) * sizeof *all);
    if (!all)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    size_t m = 0;
    for (int k = 0; k < run->nws; k++) {
        if (run->ws[k].nissues)
            memcpy(all + m, run->ws[k].issues, run->ws[k].nissues * sizeof *all);
        m += run->ws[k].nissues;
    }
    qsort(all, m, sizeof *all, cmp_issue);
    /* One edge mismatch per pair of neighbours: its thin overlaps and gaps
     * together, located at the first piece in sort order. */
    size_t out = 0;
    for (size_t k = 0; k < m; k++) {
        ccn_coverage_issue *p = out ? &all[out - 1] : NULL;
        if (p && all[k].kind == CCN_COVERAGE_EDGE_MISMATCH && p->kind == all[k].kind &&
            p->a == all[k].a && p->b == all[k].b) {
            p->area += all[k].area;
            p->length += all[k].length;
            p->width = fmax(p->width, all[k].width);
            p->thin |= all[k].thin;
            continue;
        }
        all[out++] = all[k];
    }
    *issues = all;
    *nissues = out;
    return CCN_OK;
}

static void worker_free(worker_state *w)
{
    free(w->cand);
    free(w->clip.a);
    free(w->clip.b);
    free(w->clip.side);
    free(w->nv);
    free(w->splits);
    free(w->segs);
    free(w->issues);
}

static void run_free(run_t *run)
{
    free(run->pending);
    free(run->kept);
    ccn_coverage_poly_grid_free(&run->grid);
    for (int k = 0; run->ws && k < run->nws; k++)
        worker_free(&run->ws[k]);
    free(run->ws);
    ccn_coverage_flat_free(&run->f);
}

ccn_status ccn_coverage_check_input(ccn_ctx *ctx, const ccn_coverage_input *in,
                                    const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                                    size_t *nissues)
{
    size_t n = in->n;
    *issues = NULL;
    *nissues = 0;
    run_t run = {.in = in, .n = n, .opt = opt, .gaps = opt->gap_max_m2 > 0};
    uint32_t *ready = NULL;
    ccn_status st = CCN_OK;
    if (n == 0)
        return CCN_OK;
    if (n >= UINT32_MAX)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "too many polygons: %zu", n);
    run.nws = ccn_parallel_workers();
    run.ws = calloc((size_t)run.nws, sizeof *run.ws);
    ready = malloc(n * sizeof *ready);
    if (!run.ws || !ready) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((st = ccn_coverage_flat_build(ctx, in, &run.f)))
        goto done;
    if (!ccn_coverage_box_grid_build(&run.grid, run.f.poly_env, n)) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory indexing %zu polygons", n);
        goto done;
    }
    if (!run.grid.first)
        goto done;
    ccn_progress(ctx, "coverage", 0, 2);
    for (size_t i = 0; i < n; i++)
        ready[i] = (uint32_t)i;
    if (!(st = pass_ready(ctx, &run, ready, n, INFINITY)))
        st = finish(ctx, &run, issues, nissues);
done:
    free(ready);
    run_free(&run);
    return st;
}

/* ---------------------------------------------------------------------------
 * Streamed polygons: a window moving west to east. */

/* The polygons at hand, in the order of their ids: read, and kept while a
 * polygon not yet processed may reach them. WKB is copied; GEOS geometries
 * are the source's. */
typedef struct {
    size_t n, cap;
    size_t *id;
    const GEOSGeometry **geom;
    size_t *off, *len;   /* WKB in buf */
    uint8_t *state;      /* P_WAITING, P_NOW, P_DONE */
    unsigned char *buf;
    size_t used, capbuf;
} window_t;

static void window_free(window_t *w)
{
    free(w->id);
    free(w->geom);
    free(w->off);
    free(w->len);
    free(w->state);
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static bool window_reserve(window_t *w, size_t n)
{
    if (n <= w->cap)
        return true;
    size_t c = w->cap ? w->cap : 1024;
    while (c < n)
        c *= 2;
    size_t *id = realloc(w->id, c * sizeof *id);
    if (id)
        w->id = id;
    const GEOSGeometry **geom = id ? realloc(w->geom, c * sizeof *geom) : NULL;
    if (geom)
        w->geom = geom;
    size_t *off = geom ? realloc(w->off, c * sizeof *off) : NULL;
    if (off)
        w->off = off;
    size_t *len = off ? realloc(w->len, c * sizeof *len) : NULL;
    if (len)
        w->len = len;
    uint8_t *state = len ? realloc(w->state, c) : NULL;
    if (!state)
        return false;
    w->state = state;
    w->cap = c;
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t p = *(const size_t *)a, q = *(const size_t *)b;
    return (p > q) - (p < q);
}

/* Keep the polygons whose keep[] is set, sorted by id, their WKB packed. */
static bool window_pack(window_t *w, const uint8_t *keep)
{
    size_t m = 0, bytes = 0;
    for (size_t i = 0; i < w->n; i++)
        if (keep[i])
            m++, bytes += w->len[i];
    size_t *key = malloc((2 * m + 1) * sizeof *key); /* (id, position) pairs */
    unsigned char *buf = malloc(bytes + 1);
    window_t t = {0};
    if (!key || !buf || !window_reserve(&t, m)) {
        free(key);
        free(buf);
        window_free(&t);
        return false;
    }
    for (size_t i = 0, k = 0; i < w->n; i++)
        if (keep[i])
            key[2 * k] = w->id[i], key[2 * k + 1] = i, k++;
    qsort(key, m, 2 * sizeof *key, cmp_size);
    size_t used = 0;
    for (size_t k = 0; k < m; k++) {
        size_t i = key[2 * k + 1];
        t.id[k] = w->id[i], t.geom[k] = w->geom[i], t.state[k] = w->state[i];
        t.off[k] = used, t.len[k] = w->len[i];
        if (w->len[i])
            memcpy(buf + used, w->buf + w->off[i], w->len[i]);
        used += w->len[i];
    }
    free(key);
    t.n = m;
    t.buf = buf, t.used = used, t.capbuf = bytes + 1;
    window_free(w);
    *w = t;
    return true;
}

/* A batch joins the window (waiting). */
static ccn_status window_add(ccn_ctx *ctx, window_t *w, const ccn_coverage_batch *b, bool gaps)
{
    const ccn_coverage_input *in = &b->in;
    if (!window_reserve(w, w->n + in->n))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t k = 0; k < in->n; k++) {
        if (gaps && b->id[k] >= UINT32_MAX)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "polygon id too large: %zu", b->id[k]);
        size_t i = w->n++, len = 0;
        w->id[i] = b->id[k];
        w->geom[i] = in->geom ? in->geom[k] : NULL;
        w->state[i] = P_FRESH;
        if (!w->geom[i] && in->wkb && in->wkb_len[k]) {
            len = in->wkb_len[k];
            if (!ccn_grow((void **)&w->buf, &w->capbuf, w->used + len, 1))
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            memcpy(w->buf + w->used, in->wkb + in->wkb_off[k], len);
        }
        w->off[i] = w->used, w->len[i] = len;
        w->used += len;
    }
    return CCN_OK;
}

ccn_status ccn_coverage_check_stream(ccn_ctx *ctx, const ccn_coverage_source *src,
                                     const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                                     size_t *nissues)
{
    *issues = NULL;
    *nissues = 0;
    run_t run = {.opt = opt, .gaps = opt->gap_max_m2 > 0, .src = src};
    window_t win = {0};
    ccn_coverage_input win_in = {0};
    uint32_t *ready = NULL;
    uint8_t *keep = NULL;
    size_t *mark = NULL;
    ccn_status st = CCN_OK;
    /* A polygon is processed once every polygon its envelope (widened by
     * the snap) may meet has been read, and let go once no polygon still
     * to process may meet it: two snaps spare. */
    double reach = run.gaps ? 2 * opt->snap_m : 0, promised = -INFINITY;
    run.nws = ccn_parallel_workers();
    run.ws = calloc((size_t)run.nws, sizeof *run.ws);
    mark = calloc((size_t)run.nws, sizeof *mark);
    if (!run.ws || !mark) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    ccn_progress(ctx, "coverage", 0, 2);
    for (bool more = true; more;) {
        ccn_coverage_batch b = {{0}, NULL, INFINITY};
        if ((st = src->next(src->user, &b)))
            goto done;
        more = b.in.n > 0;
        double next_x = more ? b.next_x : INFINITY;
        if (more && (st = window_add(ctx, &win, &b, run.gaps)))
            goto done;
        free(keep);
        if (!(keep = malloc(win.n + 1))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        memset(keep, 1, win.n);
        if (!window_pack(&win, keep)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        if (win.n == 0)
            continue;
        if (win.n >= UINT32_MAX) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "too many polygons: %zu", win.n);
            goto done;
        }
        win_in = (ccn_coverage_input){win.n, win.geom, win.buf, win.off, win.len};
        ccn_coverage_flat_free(&run.f);
        ccn_coverage_poly_grid_free(&run.grid);
        if ((st = ccn_coverage_flat_build(ctx, &win_in, &run.f)))
            goto done;
        if (!ccn_coverage_box_grid_build(&run.grid, run.f.poly_env, win.n)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory indexing %zu polygons", win.n);
            goto done;
        }
        run.in = &win_in, run.n = win.n, run.id = win.id, run.state = win.state;
        /* A polygon west of what the source promised could miss a neighbour
         * already let go: an error, never a silently wrong answer. */
        for (size_t i = 0; i < win.n; i++) {
            const double *e = run.f.poly_env + 4 * i;
            if (win.state[i] != P_FRESH)
                continue;
            win.state[i] = P_WAITING;
            if (e[0] <= e[2] && e[0] < promised) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL,
                               "polygons not given west to east: polygon %zu starts at x %.3f, "
                               "west of %.3f",
                               win.id[i], e[0], promised);
                goto done;
            }
        }
        promised = next_x;
        free(ready);
        if (!(ready = malloc((win.n + 1) * sizeof *ready))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        /* Ready: all that may meet it read. done_x: where the polygons not
         * processed after this round start, at the least. */
        size_t m = 0;
        double done_x = next_x;
        for (size_t i = 0; i < win.n; i++) {
            const double *e = run.f.poly_env + 4 * i;
            if (win.state[i] == P_DONE)
                continue;
            if (!(e[0] <= e[2]) || e[2] + reach < next_x)
                ready[m++] = (uint32_t)i, win.state[i] = P_NOW;
            else
                done_x = fmin(done_x, e[0]);
        }
        for (int k = 0; k < run.nws; k++)
            mark[k] = run.ws[k].nissues;
        if (m && (st = pass_ready(ctx, &run, ready, m, done_x)))
            goto done;
        run.order = NULL;
        for (int k = 0; k < run.nws; k++) /* issues name polygons by id */
            for (size_t q = mark[k]; q < run.ws[k].nissues; q++) {
                ccn_coverage_issue *is = &run.ws[k].issues[q];
                is->a = is->a == CCN_COVERAGE_NONE ? is->a : win.id[is->a];
                is->b = is->b == CCN_COVERAGE_NONE ? is->b : win.id[is->b];
            }
        for (size_t i = 0; i < win.n; i++) {
            const double *e = run.f.poly_env + 4 * i;
            if (win.state[i] == P_NOW)
                win.state[i] = P_DONE;
            keep[i] = !(win.state[i] == P_DONE && (!(e[0] <= e[2]) || e[2] + reach < done_x));
        }
        if (!window_pack(&win, keep)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
    }
    /* Every polygon is processed and let go. */
    ccn_coverage_flat_free(&run.f);
    ccn_coverage_poly_grid_free(&run.grid);
    run.in = NULL, run.n = 0, run.id = NULL, run.state = NULL;
    st = finish(ctx, &run, issues, nissues);
done:
    free(ready);
    free(keep);
    free(mark);
    window_free(&win);
    run_free(&run);
    return st;
}
