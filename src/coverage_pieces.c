/* coverage_pieces — the union's boundary pieces (see coverage_pieces.h). */
#include "coverage_pieces.h"
#include "coverage_run.h"
#include "grow.h"

#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A piece of polygon poly's boundary, the polygon on its left. */
static bool add_seg(worker_state *w, double ax, double ay, double bx, double by, uint32_t poly)
{
    if (ax == bx && ay == by)
        return true;
    if (!GROW(w->segs, w->nsegs, w->capsegs, 1))
        return false;
    bool fwd = ax < bx || (ax == bx && ay < by);
    w->segs[w->nsegs++] = fwd ? (seg){ax, ay, bx, by, 1, poly, NO_POLY}
                              : (seg){bx, by, ax, ay, -1, NO_POLY, poly};
    return true;
}

static int cmp_split(const void *a, const void *b)
{
    double u = ((const split *)a)->t, v = ((const split *)b)->t;
    return u < v ? -1 : u > v;
}

/* Sort points (x, y pairs) by x: insertion sort for the usual few dozen. */
static void sort_by_x(double *v, size_t n)
{
    if (n > 64) {
        qsort(v, n, 2 * sizeof *v, cmp_x);
        return;
    }
    for (size_t a = 1; a < n; a++) {
        double x = v[2 * a], y = v[2 * a + 1];
        size_t b = a;
        while (b > 0 && v[2 * (b - 1)] > x) {
            v[2 * b] = v[2 * (b - 1)], v[2 * b + 1] = v[2 * (b - 1) + 1];
            b--;
        }
        v[2 * b] = x, v[2 * b + 1] = y;
    }
}

/* The vertices near polygon i, its own and its neighbours' within its
 * envelope (widened by snap), sorted by x. */
static bool gather_vertices(worker_state *w, const flat *f, size_t i, double snap)
{
    const double *e = f->poly_env + 4 * i;
    w->nnv = 0;
    for (size_t c = 0; c <= w->ncand; c++) {
        size_t j = c < w->ncand ? w->cand[c] : i;
        if (c < w->ncand && j == i)
            continue;
        for (size_t r = f->part_ring[f->poly_part[j]]; r < f->part_ring[f->poly_part[j + 1]]; r++) {
            const double *p = f->xy + 2 * f->ring_pt[r];
            for (uint32_t k = 0; k < f->ring_n[r]; k++, p += 2) {
                if (p[0] < e[0] - snap || p[0] > e[2] + snap || p[1] < e[1] - snap ||
                    p[1] > e[3] + snap)
                    continue;
                if (!GROW(w->nv, 2 * w->nnv, w->capnv, 2))
                    return false;
                w->nv[2 * w->nnv] = p[0], w->nv[2 * w->nnv + 1] = p[1];
                w->nnv++;
            }
        }
    }
    sort_by_x(w->nv, w->nnv);
    return true;
}

/* First gathered vertex with x >= x0. */
static size_t first_at_x(const worker_state *w, double x0)
{
    size_t lo = 0, hi = w->nnv;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (w->nv[2 * mid] < x0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The point that stands for (x, y) and every gathered vertex within snap of
 * it: the lexicographically smallest. Each polygon meeting at a corner sees
 * the same vertices there, so all pick the same point, and their edges match
 * exactly even when each was digitised with its own copy of the corner. */
static void canonical(const worker_state *w, double snap, double *x, double *y)
{
    double bx = *x, by = *y;
    for (size_t v = first_at_x(w, *x - snap); v < w->nnv && w->nv[2 * v] <= *x + snap; v++) {
        double vx = w->nv[2 * v], vy = w->nv[2 * v + 1];
        if ((vx - *x) * (vx - *x) + (vy - *y) * (vy - *y) <= snap * snap &&
            (vx < bx || (vx == bx && vy < by)))
            bx = vx, by = vy;
    }
    *x = bx, *y = by;
}

bool ccn_coverage_emit_boundary(worker_state *w, const flat *f, size_t i, uint32_t label,
                                double snap)
{
    if (!gather_vertices(w, f, i, snap))
        return false;
    for (size_t r = f->part_ring[f->poly_part[i]]; r < f->part_ring[f->poly_part[i + 1]]; r++) {
        const double *ring = f->xy + 2 * f->ring_pt[r];
        uint32_t n = f->ring_n[r];
        for (uint32_t k = 0; k < n; k++) {
            const double *p = ring + 2 * k, *q = ring + 2 * ((k + 1) % n);
            double px = p[0], py = p[1], qx = q[0], qy = q[1];
            canonical(w, snap, &px, &py);
            canonical(w, snap, &qx, &qy);
            double dx = q[0] - p[0], dy = q[1] - p[1], l2 = dx * dx + dy * dy;
            double xhi = fmax(p[0], q[0]) + snap;
            double ylo = fmin(p[1], q[1]) - snap, yhi = fmax(p[1], q[1]) + snap;
            size_t ns = 0;
            for (size_t v = first_at_x(w, fmin(p[0], q[0]) - snap);
                 v < w->nnv && w->nv[2 * v] <= xhi; v++) {
                double vx = w->nv[2 * v], vy = w->nv[2 * v + 1];
                if (vy < ylo || vy > yhi)
                    continue;
                double t = ((vx - p[0]) * dx + (vy - p[1]) * dy) / l2;
                double cr = (vx - p[0]) * dy - (vy - p[1]) * dx;
                if (t <= 0 || t >= 1 || cr * cr > snap * snap * l2)
                    continue;
                canonical(w, snap, &vx, &vy);
                if ((vx == px && vy == py) || (vx == qx && vy == qy))
                    continue; /* a corner's own cluster */
                if (ns == w->capsplits && !ccn_grow((void **)&w->splits, &w->capsplits, ns + 1,
                                                      sizeof *w->splits))
                    return false;
                w->splits[ns++] = (split){t, vx, vy};
            }
            if (ns > 1)
                qsort(w->splits, ns, sizeof *w->splits, cmp_split);
            double cx = px, cy = py;
            for (size_t s = 0; s < ns; s++) {
                if (w->splits[s].x == cx && w->splits[s].y == cy)
                    continue;
                if (!add_seg(w, cx, cy, w->splits[s].x, w->splits[s].y, label))
                    return false;
                cx = w->splits[s].x, cy = w->splits[s].y;
            }
            if (!add_seg(w, cx, cy, qx, qy, label))
                return false;
        }
    }
    return true;
}

static bool seg_equal(const seg *p, const seg *q)
{
    return p->x1 == q->x1 && p->y1 == q->y1 && p->x2 == q->x2 && p->y2 == q->y2;
}

static const seg *seg_at(const run_t *run, uint64_t ref)
{
    size_t k = (size_t)(ref >> 40), i = (size_t)(ref & ((1ull << 40) - 1));
    return k == (size_t)run->nws ? &run->pending[i] : &run->ws[k].segs[i];
}

void ccn_coverage_sort_refs(seg_ref **a, seg_ref **b, size_t n, size_t *count)
{
    for (int shift = 0; shift < 33; shift += 11) {
        memset(count, 0, 2048 * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[((*a)[i].key >> shift) & 0x7FF]++;
        size_t sum = 0;
        for (size_t d = 0; d < 2048; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            (*b)[count[((*a)[i].key >> shift) & 0x7FF]++] = (*a)[i];
        seg_ref *t = *a;
        *a = *b, *b = t;
    }
}

/* merge_pieces on every core: the pieces' keys sorted as sort_refs would
 * (stable, by their low 33 bits), first by the top 11 bits in one stable
 * pass over chunks of them, then each of those 2048 buckets by the rest on
 * its own, and grouped there; the ranges of buckets give their pieces in
 * order. */
enum { MERGE_DIGITS = 2048 };

/* A range's groups: still pending, and final on the union's boundary. */
typedef struct {
    seg *pend, *kept;
    size_t npend, cappend, nkept, capkept;
    size_t at_pend, at_kept; /* where they go in the new pending and in run->kept */
} part_out;

typedef struct {
    run_t *run;
    size_t n, nchunks, nranges;
    size_t base[66];        /* where worker k's pieces start among all (nws: the pending) */
    seg_ref *a, *b;
    size_t *count;          /* per chunk, per top digit: how many, then where they go */
    size_t *bucket_first;   /* MERGE_DIGITS + 1 */
    double final_x;
    part_out *out;          /* per range */
    seg *pending;           /* the new pending pieces */
} merge_job;

static ccn_status merge_key_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    merge_job *mj = user;
    for (size_t c = begin; c < end; c++) {
        size_t lo = mj->n * c / mj->nchunks, hi = mj->n * (c + 1) / mj->nchunks, k = 0;
        size_t *count = mj->count + c * MERGE_DIGITS;
        for (size_t i = lo; i < hi; i++) {
            while (i >= mj->base[k + 1])
                k++;
            uint64_t ref = (uint64_t)k << 40 | (i - mj->base[k]);
            uint64_t key = seg_key(seg_at(mj->run, ref));
            mj->a[i] = (seg_ref){key, ref};
            count[(key >> 22) & 0x7FF]++;
        }
    }
    return CCN_OK;
}

static ccn_status merge_scatter_work(ccn_ctx *ctx, void *user, size_t begin, size_t end,
                                     int worker)
{
    (void)ctx, (void)worker;
    merge_job *mj = user;
    for (size_t c = begin; c < end; c++) {
        size_t lo = mj->n * c / mj->nchunks, hi = mj->n * (c + 1) / mj->nchunks;
        size_t *count = mj->count + c * MERGE_DIGITS;
        for (size_t i = lo; i < hi; i++)
            mj->b[count[(mj->a[i].key >> 22) & 0x7FF]++] = mj->a[i];
    }
    return CCN_OK;
}

static ccn_status merge_group_work(ccn_ctx *ctx, void *user, size_t begin, size_t end,
                                   int worker)
{
    (void)worker;
    merge_job *mj = user;
    run_t *run = mj->run;
    const uint64_t mask = (1ull << 33) - 1;
    size_t count[MERGE_DIGITS];
    for (size_t r = begin; r < end; r++) {
        part_out *o = &mj->out[r];
        size_t d0 = MERGE_DIGITS * r / mj->nranges, d1 = MERGE_DIGITS * (r + 1) / mj->nranges;
        for (size_t d = d0; d < d1; d++) {
            size_t s = mj->bucket_first[d], e = mj->bucket_first[d + 1];
            /* The bucket by its low 22 bits, stable: a few by insertion, more
             * by two counting passes (b to a, then back to b). */
            for (size_t i = s + 1; e - s <= 64 && i < e; i++) {
                seg_ref x = mj->b[i];
                size_t j = i;
                for (; j > s && (mj->b[j - 1].key & 0x3FFFFF) > (x.key & 0x3FFFFF); j--)
                    mj->b[j] = mj->b[j - 1];
                mj->b[j] = x;
            }
            for (int pass = 0; e - s > 64 && pass < 2; pass++) {
                seg_ref *from = pass ? mj->a : mj->b, *to = pass ? mj->b : mj->a;
                int shift = 11 * pass;
                memset(count, 0, sizeof count);
                for (size_t i = s; i < e; i++)
                    count[(from[i].key >> shift) & 0x7FF]++;
                size_t sum = s;
                for (size_t q = 0; q < MERGE_DIGITS; q++) {
                    size_t c = count[q];
                    count[q] = sum;
                    sum += c;
                }
                for (size_t i = s; i < e; i++)
                    to[count[(from[i].key >> shift) & 0x7FF]++] = from[i];
            }
            const seg_ref *a = mj->b;
            seg_ref *mark = mj->a; /* .key set: already grouped */
            for (size_t i = s; i < e;) {
                size_t g = i;
                while (g < e && (a[g].key & mask) == (a[i].key & mask))
                    g++;
                /* Within equal hashes (almost always one piece or two),
                 * group equal pieces. */
                for (size_t p = i; p < g; p++)
                    mark[p].key = 0;
                for (size_t p = i; p < g; p++) {
                    if (mark[p].key)
                        continue;
                    seg sp = *seg_at(run, a[p].ref);
                    sp.dir = 0, sp.pl = sp.pr = NO_POLY;
                    for (size_t q = p; q < g; q++) {
                        const seg *t = seg_at(run, a[q].ref);
                        if (mark[q].key || !seg_equal(&sp, t))
                            continue;
                        mark[q].key = 1;
                        sp.dir += t->dir;
                        sp.pl = t->pl < sp.pl ? t->pl : sp.pl;
                        sp.pr = t->pr < sp.pr ? t->pr : sp.pr;
                    }
                    if (!(sp.x1 < mj->final_x)) {
                        if (!GROW(o->pend, o->npend, o->cappend, 1))
                            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                        o->pend[o->npend++] = sp;
                    } else if (sp.dir != 0) {
                        if (!GROW(o->kept, o->nkept, o->capkept, 1))
                            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                        o->kept[o->nkept++] = sp;
                    }
                }
                i = g;
            }
        }
    }
    return CCN_OK;
}

/* Each range's groups to their place (the pages touched on every core). */
static ccn_status merge_copy_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    merge_job *mj = user;
    for (size_t r = begin; r < end; r++) {
        part_out *o = &mj->out[r];
        if (o->npend)
            memcpy(mj->pending + o->at_pend, o->pend, o->npend * sizeof *o->pend);
        if (o->nkept)
            memcpy(mj->run->kept + o->at_kept, o->kept, o->nkept * sizeof *o->kept);
        free(o->pend);
        free(o->kept);
        o->pend = o->kept = NULL;
    }
    return CCN_OK;
}

ccn_status ccn_coverage_merge_pieces(ccn_ctx *ctx, run_t *run, double done_x)
{
    merge_job mj = {.run = run, .final_x = done_x - 3 * run->opt->snap_m};
    for (int k = 0; k < run->nws; k++)
        mj.base[k + 1] = mj.base[k] + run->ws[k].nsegs;
    mj.base[run->nws + 1] = mj.base[run->nws] + run->npending;
    for (int k = run->nws + 2; k < 66; k++)
        mj.base[k] = SIZE_MAX;
    size_t n = mj.n = mj.base[run->nws + 1];
    mj.nchunks = mj.nranges = 4 * (size_t)ccn_parallel_workers();
    mj.a = malloc((n + 1) * sizeof *mj.a);
    mj.b = malloc((n + 1) * sizeof *mj.b);
    mj.count = calloc(mj.nchunks * MERGE_DIGITS, sizeof *mj.count);
    mj.bucket_first = malloc((MERGE_DIGITS + 1) * sizeof *mj.bucket_first);
    mj.out = calloc(mj.nranges, sizeof *mj.out);
    seg *pending = NULL;
    ccn_status st = CCN_OK;
    if (!mj.a || !mj.b || !mj.count || !mj.bucket_first || !mj.out)
        goto oom;
    if ((st = ccn_parallel_for(ctx, mj.nchunks, 1, merge_key_work, &mj)))
        goto done;
    size_t sum = 0;
    for (size_t d = 0; d < MERGE_DIGITS; d++) {
        mj.bucket_first[d] = sum;
        for (size_t c = 0; c < mj.nchunks; c++) {
            size_t k = mj.count[c * MERGE_DIGITS + d];
            mj.count[c * MERGE_DIGITS + d] = sum;
            sum += k;
        }
    }
    mj.bucket_first[MERGE_DIGITS] = sum;
    if ((st = ccn_parallel_for(ctx, mj.nchunks, 1, merge_scatter_work, &mj)) ||
        (st = ccn_parallel_for(ctx, mj.nranges, 1, merge_group_work, &mj)))
        goto done;
    size_t np = 0, nk = run->nkept;
    for (size_t r = 0; r < mj.nranges; r++) {
        mj.out[r].at_pend = np, mj.out[r].at_kept = nk;
        np += mj.out[r].npend, nk += mj.out[r].nkept;
    }
    if (!(pending = table_malloc(np + 1, sizeof *pending)) ||
        !ccn_grow((void **)&run->kept, &run->capkept, nk + 1, sizeof *run->kept))
        goto oom;
    mj.pending = pending;
    if ((st = ccn_parallel_for(ctx, mj.nranges, 1, merge_copy_work, &mj)))
        goto done;
    run->nkept = nk;
    free(run->pending);
    run->pending = pending;
    run->npending = run->cappending = np;
    pending = NULL;
    for (int k = 0; k < run->nws; k++)
        run->ws[k].nsegs = 0;
    goto done;
oom:
    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
done:
    for (size_t r = 0; mj.out && r < mj.nranges; r++) {
        free(mj.out[r].pend);
        free(mj.out[r].kept);
    }
    free(mj.out);
    free(pending);
    free(mj.a);
    free(mj.b);
    free(mj.count);
    free(mj.bucket_first);
    return st;
}

ccn_status ccn_coverage_kept_boundary(ccn_ctx *ctx, run_t *run, seg **out, size_t *nout)
{
    ccn_status st = ccn_coverage_merge_pieces(ctx, run, INFINITY);
    *out = st ? NULL : run->kept;
    *nout = st ? 0 : run->nkept;
    if (st)
        free(run->kept);
    run->kept = NULL;
    run->nkept = run->capkept = 0;
    return st;
}
