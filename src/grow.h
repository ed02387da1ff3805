/* grow — the one array-growing helper: capacity doubles, contents are kept. */
#ifndef CCN_GROW_H
#define CCN_GROW_H

#include <stdbool.h>
#include <stddef.h>

/* Make *p (an array of *cap items of `size` bytes) hold at least `need`
 * items; false, with *p untouched, when memory runs out. */
bool ccn_grow(void **p, size_t *cap, size_t need, size_t size);

/* Room for `need` more items after the n in arr (capacity cap): true when
 * there is, or was made. */
#define GROW(arr, n, cap, need)                                                                  \
    ((n) + (need) <= (cap) || ccn_grow((void **)&(arr), &(cap), (n) + (need), sizeof *(arr)))

#endif
