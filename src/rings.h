/* rings — polygons as plain coordinate rings, and the area two polygons share.
 *
 * The overlay of a district asks one question hundreds of thousands of times:
 * how much of this parcel lies in that plan zone? A GEOS overlay answers by
 * building the intersection (≈35 µs for a parcel and a zone); only its area
 * is wanted. ccn_rings_common_area computes that area directly from the two
 * polygons' rings, in about a microsecond:
 *
 * Orient every shell counter-clockwise and every hole clockwise. For a point
 * p, the edges above p — each counted +1 when it runs leftward (−x) and −1
 * when it runs rightward — add up to p's winding number: 1 inside the
 * polygon, 0 outside and in its holes. So the polygon's indicator is a signed
 * sum of "the region below edge e", and the area of A ∩ B, the integral of
 * the product of two indicators, is a double sum over edge pairs (e of A,
 * f of B) of ±∫ min(h_e(x), h_f(x)) dx over the x-range both edges span,
 * heights measured from a baseline under A. Each term is the integral of a
 * piecewise-linear function with at most two breaks: exact, no topology, no
 * special case for shared edges, holes or concave rings. Every term is
 * bounded by A's own extent (h_e caps it), so A is the smaller polygon. A ring of
 * B with no edge near A's bounding box adds A's area times B's winding
 * number there, without the pairs: the common case of a parcel well inside
 * a zone.
 *
 * Both polygons must be valid (the sum is the integral of the product of
 * winding numbers, which is what MakeValid's answer means only for valid
 * input); callers repair first. Repeated and straight vertices change
 * nothing (their edges span no x or add terms that cancel).
 *
 * Only pairs whose x-ranges overlap are summed, found by a sweep over the
 * edges sorted by x: for polygons whose vertical lines cross a few edges each
 * (parcels, zones, roads) the pairs are a few times n + m, not n × m. When
 * they are many — more than 8 (n + m) + 1024, combs and saw-tooth rings —
 * the answer is NAN and the caller asks GEOS (GEOSIntersection + GEOSArea),
 * which is then quicker; the work given up is bounded by that limit.
 *
 * The error bound, and why it holds. Let u = 2^-53. Coordinates are moved to
 * A's lower-left corner (exactly when the two doubles are close, as in any
 * projected CRS; a move that rounds sends the sum to double-double below).
 * For a pair (e, f) over [lo, hi], let ymax be the largest |y| of the four
 * endpoints. Each height u_e(x), v_f(x) at lo and hi is y1 + (y2 − y1)·r with
 * r ∈ [0, 1] and is within 6u·ymax of its true value; min and max change by
 * no more than their arguments, so the integrand does too. The breaks at
 * which v crosses 0 and u crosses v are off, but there the computed
 * difference is within 3u of |dl| + |dh| ≤ 4·ymax, and the trapezoid rule
 * across a misplaced break errs by at most (hi − lo) times that difference.
 * The trapezoids' own arithmetic adds 4u·(hi − lo)·ymax. So a term is within
 * K·u·(hi − lo)·ymax of the exact one, K ≤ 40; the code uses K = 64. The
 * terms are summed with their rounding errors kept apart (TwoSum) and added
 * last, which adds u·|partial sum of those errors| per term and u·|result|;
 * A's area (for rings of B that hold A whole) is within 2u·Σ(|x_i y_j| +
 * |x_j y_i|). All these are summed beside the result, in a few flops a
 * pair, and make the bound given for this answer. When that bound is
 * above CCN_RINGS_ABS_ERROR + CCN_RINGS_REL_ERROR·|result| — long edges
 * crossing at a distance from their ends, tilted features whose box is much
 * larger than their area, coordinates that do not move exactly — the same
 * sum is made again in double-double arithmetic (Dekker's products and
 * sums, each operation within 16u² relative), where the same analysis gives
 * a bound 10^15 times smaller, plus u·|result| for the final rounding. So:
 *
 *   |returned − exact| ≤ CCN_RINGS_ABS_ERROR + CCN_RINGS_REL_ERROR·exact
 *
 * for any two valid polygons, the result in the CRS's square units (m²),
 * unless NAN is returned (too many pairs, or a double-double bound still too
 * loose: coordinates beyond 10^12). tests/test_rings.c holds the result
 * against GEOSIntersection + GEOSArea; tests/test_rings_exact.c holds the
 * bound against exact rational arithmetic (GMP) on adversarial shapes.
 *
 * Ownership: a ccn_rings owns its arrays; free them with ccn_rings_free. */
#ifndef CCN_RINGS_H
#define CCN_RINGS_H

#include "ctx.h"

typedef struct ccn_span ccn_span; /* an edge, inside rings.c */

typedef struct {
    size_t first, n;               /* vertices xy[2 * first ...], the ring not closed */
    double xmin, ymin, xmax, ymax; /* envelope */
} ccn_ring;

typedef struct {
    double *xy;        /* x, y of every ring's vertices */
    size_t nxy, capxy; /* in doubles */
    ccn_ring *ring;
    size_t n, cap;
    ccn_span *span;    /* scratch of ccn_rings_common_area: edges */
    size_t capspan;
    size_t *act;           /* and the sweep's active edges */
    size_t capact;
} ccn_rings;

/* Append the rings of a Polygon or MultiPolygon, shells counter-clockwise and
 * holes clockwise (rings of fewer than three distinct points add nothing).
 * False when g is not polygonal or memory runs out. */
bool ccn_rings_add(ccn_rings *r, GEOSContextHandle_t h, const GEOSGeometry *g);
/* Forget the rings, keep the memory. */
void ccn_rings_clear(ccn_rings *r);
void ccn_rings_free(ccn_rings *r);

/* True only when g is certainly a valid polygon: one ring of at most 64
 * vertices, no holes, finite coordinates, and no two edges meeting except
 * neighbours at their common vertex (a spike, an overlap or a touch is
 * refused). Every orientation test is filtered (Shewchuk's error bound for
 * the determinant in doubles), and a test too
 * close to call answers false: false means "ask GEOSisValid", never
 * "invalid". Small parcels are most of a district, and this costs a tenth of
 * GEOSisValid. */
bool ccn_rings_certainly_valid(GEOSContextHandle_t h, const GEOSGeometry *g, ccn_rings *scratch);
/* The same test on a polygon of one ring given as its n coordinates (x, y
 * interleaved, the closing vertex included). */
bool ccn_rings_certainly_valid_ring(const double *xy, size_t n, ccn_rings *scratch);

/* The error bound of ccn_rings_common_area (above): 10^-7 m² (a tenth of a
 * square millimetre) plus 10^-12 of the area. */
#define CCN_RINGS_ABS_ERROR 1e-7
#define CCN_RINGS_REL_ERROR 1e-12

/* Area shared by polygon A — rings [a0, a1) of a — and polygon B — rings
 * [b0, b1) of b —, both valid and added with ccn_rings_add, within the bound
 * above; *bound (when not NULL) gets the bound proven for this answer.
 * scratch may be a or b. NAN when GEOS is the quicker (or only) way to
 * the answer; -1 when memory runs out. */
double ccn_rings_common_area(const ccn_rings *a, size_t a0, size_t a1, const ccn_rings *b,
                             size_t b0, size_t b1, ccn_rings *scratch, double *bound);

#endif
