/* parallel — a minimal pthread work pool with per-thread contexts. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

enum { MAX_WORKERS = 64 };

typedef struct {
    ccn_work_fn fn;
    void *user;
    size_t n, block;
    atomic_size_t next;      /* first item not yet taken */
    atomic_int failed;       /* set once a worker fails: the others stop */
} pool;

typedef struct {
    pool *p;
    ccn_ctx *ctx;
    int index;
    ccn_status status;
} worker;

int ccn_parallel_workers(void)
{
    const char *env = getenv("CCN_THREADS");
    long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_WORKERS ? MAX_WORKERS : (int)n;
}

static void *run_worker(void *arg)
{
    worker *w = arg;
    pool *p = w->p;
    while (!atomic_load(&p->failed)) {
        size_t begin = atomic_fetch_add(&p->next, p->block);
        if (begin >= p->n)
            break;
        size_t end = begin + p->block < p->n ? begin + p->block : p->n;
        w->status = p->fn(w->ctx, p->user, begin, end, w->index);
        if (w->status) {
            atomic_store(&p->failed, 1);
            break;
        }
    }
    return NULL;
}

ccn_status ccn_parallel_for(ccn_ctx *ctx, size_t n, size_t block, ccn_work_fn fn, void *user)
{
    int nw = ccn_parallel_workers();
    if (block == 0)
        block = n / (size_t)(nw * 16) + 1;
    if ((size_t)nw > (n + block - 1) / block)
        nw = (int)((n + block - 1) / block);
    if (nw <= 1) /* nothing to share: stay on the caller's thread and context */
        return n ? fn(ctx, user, 0, n, 0) : CCN_OK;
    pool p = {.fn = fn, .user = user, .n = n, .block = block};
    worker w[MAX_WORKERS] = {0};
    pthread_t tid[MAX_WORKERS];
    int started = 0;
    ccn_status st = CCN_OK;
    for (int i = 0; i < nw; i++) {
        w[i] = (worker){.p = &p, .index = i, .ctx = ccn_ctx_new()};
        if (!w[i].ctx || pthread_create(&tid[i], NULL, run_worker, &w[i]) != 0) {
            ccn_ctx_free(w[i].ctx);
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot start worker thread %d", i);
            atomic_store(&p.failed, 1);
            break;
        }
        started++;
    }
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    for (int i = 0; i < started; i++) {
        for (size_t k = 0; k < ccn_ctx_warning_count(w[i].ctx); k++)
            ccn_warn(ctx, "%s", ccn_ctx_warning(w[i].ctx, k));
        if (w[i].status && !st)
            st = ccn_error(ctx, w[i].status, "%s", ccn_ctx_message(w[i].ctx));
        ccn_ctx_free(w[i].ctx);
    }
    return st;
}
