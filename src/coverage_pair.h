/* coverage_pair — the area two polygons of a coverage check share: estimated
 * on their flat coordinates (clipping), then, for a pair above the noise
 * floor, measured in-house when both are one ring whose boundaries cross
 * properly, or with GEOS; with a tolerance, the overlap's width judged too.
 * The per-polygon pass (coverage.c) calls it for every pair of neighbours. */
#ifndef CCN_COVERAGE_PAIR_H
#define CCN_COVERAGE_PAIR_H

#include "coverage_flat.h"

#include <stddef.h>

typedef struct {
    double *a, *b, *side;
    size_t cap; /* points each buffer holds */
    size_t len; /* points of the last clip_area result, in a, relative to its c[0] */
} clip_buf;

/* The convex polygon clip_area left in w (relative coordinates): its least
 * caliper width (for a thin strip, its thickness), perimeter and centroid. */
void ccn_coverage_clip_shape(const clip_buf *w, double *width, double *perim, double *cx,
                             double *cy);

/* Area shared by part p of polygon i and part q of polygon j (within
 * rounding: a touching pair may give -1e-12); INFINITY when GEOS fails, for
 * the caller to measure the pair whole; NaN when out of memory. w->len is 0
 * when no clipped piece is left in w (GEOS measured it). */
double ccn_coverage_part_pair_area(ccn_ctx *ctx, clip_buf *w, const flat *f,
                                   const ccn_coverage_input *in, size_t i, size_t p, size_t j,
                                   size_t q);

/* Measure an overlap exactly with GEOS and, with a tolerance, judge its
 * width: is->kind becomes EDGE_MISMATCH when every part of it is thin.
 * false on failure (message in ctx). */
bool ccn_coverage_measure_overlap(ccn_ctx *ctx, const GEOSGeometry *a, const GEOSGeometry *b,
                                  double floor_m2, double tol, ccn_coverage_issue *is);

/* The overlap of polygons i and j measured in-house as measure_overlap
 * would with GEOS, when both are one ring whose boundaries cross properly:
 * 1 measured, 0 for GEOS to measure, -1 on failure (message in ctx). */
int ccn_coverage_pair_overlap(ccn_ctx *ctx, const flat *f, size_t i, size_t j,
                              const ccn_coverage_options *opt, ccn_coverage_issue *is);

#endif
