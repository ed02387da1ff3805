/* check.h — the whole unit-test harness: a few CHECK macros and a summary.
 * A test program includes this, calls CHECK* in main and ends with
 * `return check_summary();`, which prints "N passed, M failed". */
#ifndef CCN_TEST_CHECK_H
#define CCN_TEST_CHECK_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond)                                                                              \
    do {                                                                                         \
        if (cond)                                                                                \
            check_passed++;                                                                      \
        else {                                                                                   \
            check_failed++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);             \
        }                                                                                        \
    } while (0)

#define CHECK_NEAR(a, b, tol)                                                                    \
    do {                                                                                         \
        double a_ = (a), b_ = (b);                                                               \
        if (fabs(a_ - b_) <= (tol))                                                              \
            check_passed++;                                                                      \
        else {                                                                                   \
            check_failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s = %.9f, expected %s = %.9f (tolerance %g)\n", __FILE__,   \
                    __LINE__, #a, a_, #b, b_, (double)(tol));                                    \
        }                                                                                        \
    } while (0)

#define CHECK_STR(a, b)                                                                          \
    do {                                                                                         \
        const char *a_ = (a), *b_ = (b);                                                         \
        if (a_ && b_ && strcmp(a_, b_) == 0)                                                     \
            check_passed++;                                                                      \
        else {                                                                                   \
            check_failed++;                                                                      \
            fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a,     \
                    a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                     \
        }                                                                                        \
    } while (0)

/* Two geometries equal after normalising (vertex order and start point). */
#define CHECK_GEOM_EQ(h, g1, g2, tol)                                                            \
    do {                                                                                         \
        GEOSGeometry *n1_ = GEOSGeom_clone_r(h, g1), *n2_ = GEOSGeom_clone_r(h, g2);             \
        GEOSNormalize_r(h, n1_);                                                                 \
        GEOSNormalize_r(h, n2_);                                                                 \
        CHECK(GEOSEqualsExact_r(h, n1_, n2_, tol) == 1);                                         \
        GEOSGeom_destroy_r(h, n1_);                                                              \
        GEOSGeom_destroy_r(h, n2_);                                                              \
    } while (0)

/* A small seeded generator (xorshift), the same on every libc: a number in
 * [0, 1) from *state, which it moves on. */
static inline double check_uniform(uint64_t *state)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (double)(*state >> 11) / 9007199254740992.0;
}

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed, check_failed);
    return check_failed ? 1 : 0;
}

#endif
