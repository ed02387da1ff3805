/* parallel — spread n independent work items over the machine's cores.
 *
 * Each worker thread gets its own ccn_ctx (GEOS and PROJ handles are per
 * thread) and takes blocks of items from a shared counter, so uneven items
 * still balance. GEOS geometries may be read from several threads at once,
 * but a prepared geometry or an STRtree must not be built lazily by two
 * threads: prepare them, and query each tree once, before calling this.
 * The first failing worker's error and all warnings reach the caller's ctx. */
#ifndef CCN_PARALLEL_H
#define CCN_PARALLEL_H

#include "ctx.h"

/* Process items [begin, end) on the worker's own context. */
typedef ccn_status (*ccn_work_fn)(ccn_ctx *worker_ctx, void *user, size_t begin, size_t end,
                                  int worker);

/* Number of workers ccn uses: the online cores, or CCN_THREADS if set. */
int ccn_parallel_workers(void);

/* Run fn over [0, n) in blocks of `block` items (0: a sensible default). */
ccn_status ccn_parallel_for(ccn_ctx *ctx, size_t n, size_t block, ccn_work_fn fn, void *user);

#endif
