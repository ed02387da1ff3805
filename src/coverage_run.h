/* coverage_run — what the parts of one coverage check share: the small
 * helpers for arrays and large tables they all use. Header only. */
#ifndef CCN_COVERAGE_RUN_H
#define CCN_COVERAGE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#define GROW(arr, n, cap, need)                                                                  \
    ((n) + (need) <= (cap) || grow_array((void **)&(arr), &(cap), (n) + (need), sizeof *(arr)))

static inline bool grow_array(void **arr, size_t *cap, size_t need, size_t size)
{
    size_t c = *cap ? *cap : 64;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, c * size);
    if (!p)
        return false;
    *arr = p;
    *cap = c;
    return true;
}

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

#endif
