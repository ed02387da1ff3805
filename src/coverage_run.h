/* coverage_run — what the parts of one coverage check share: the check's
 * state (the polygons at hand, each worker's scratch and issues, the pieces
 * of the union's boundary still to merge), and the small helpers for arrays
 * and large tables they all use. coverage.c drives the check; the parts
 * (coverage_*.c) take the state from it. Header only. */
#ifndef CCN_COVERAGE_RUN_H
#define CCN_COVERAGE_RUN_H

#include "coverage_flat.h"
#include "coverage_pair.h"
#include "coverage_pieces.h"
#include "grow.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

static inline int cmp_x(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return u < v ? -1 : u > v;
}

/* calloc for the gap search's large tables, most read at random (hashing,
 * face tracing): backed by 2 MB pages where the system allows, a 512th of
 * the page faults (on a virtual machine a 4 kB fault costs more than
 * clearing its page) and of the address translations that miss the TLB. */
static inline void *huge_hint(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(huge - 1), hi = ((uintptr_t)p + bytes) & ~(huge - 1);
    if (p && hi > lo)
        madvise((void *)lo, hi - lo, MADV_HUGEPAGE); /* a hint: nothing lost if refused */
#else
    (void)bytes;
#endif
    return p;
}

static inline void *table_calloc(size_t n, size_t size)
{
    return huge_hint(calloc(n, size), n * size);
}

/* The same for tables written in full before they are read. */
static inline void *table_malloc(size_t n, size_t size)
{
    return huge_hint(malloc(n * size), n * size);
}

typedef struct worker_state {
    size_t *cand;
    size_t ncand, capcand;
    clip_buf clip;
    double *nv; /* neighbours' vertices near the polygon */
    size_t nnv, capnv;
    split *splits;
    size_t capsplits;
    seg *segs;
    size_t nsegs, capsegs;
    ccn_coverage_issue *issues;
    size_t nissues, capissues;
} worker_state;

typedef struct run_t {
    const ccn_coverage_input *in;
    size_t n;
    const ccn_coverage_options *opt;
    flat f;
    poly_grid grid;
    const uint32_t *order;  /* the polygons pass_work takes (gaps: by the left of their
                               envelope) ... */
    size_t order_base;      /* ... from here for the batch pass_work runs on */
    const size_t *id;       /* streamed: polygon (of the window) -> its id; NULL: the index */
    const uint8_t *state;   /* streamed: per polygon, P_WAITING, P_NOW or P_DONE; NULL: all
                               P_NOW */
    const ccn_coverage_source *src; /* streamed: where the polygons come from */
    seg *pending;           /* merged pieces that polygons still to come may add to */
    size_t npending, cappending;
    seg *kept;              /* final pieces of the union's boundary, unsorted */
    size_t nkept, capkept;
    worker_state *ws;
    int nws;
    bool gaps;
} run_t;

enum { P_WAITING, P_NOW, P_DONE, P_FRESH /* just read, not yet seen by the driver */ };

/* The polygons whose envelope meets box b, into w->cand. */
static inline bool poly_grid_query(const poly_grid *g, const double *b, worker_state *w)
{
    return ccn_coverage_box_grid_query(g, b, &w->cand, &w->ncand, &w->capcand);
}

static inline bool add_issue(worker_state *w, ccn_coverage_issue is)
{
    if (!GROW(w->issues, w->nissues, w->capissues, 1))
        return false;
    w->issues[w->nissues++] = is;
    return true;
}

#endif
