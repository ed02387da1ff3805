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
 * bounded by A's own extent (h_e caps it), so taking A as the smaller polygon
 * keeps the rounding of the sum at the level of A's area × 1e-15. A ring of
 * B with no edge near A's bounding box adds A's area times B's winding
 * number there, without the pairs: the common case of a parcel well inside
 * a zone.
 *
 * Both polygons must be valid (the sum is the integral of the product of
 * winding numbers, which is what MakeValid's answer means only for valid
 * input); callers repair first. tests/test_rings.c holds the result against
 * GEOSIntersection + GEOSArea.
 *
 * Ownership: a ccn_rings owns its arrays; free them with ccn_rings_free. */
#ifndef CCN_RINGS_H
#define CCN_RINGS_H

#include "ctx.h"

typedef struct {
    size_t first, n;               /* vertices xy[2 * first ...], the ring not closed */
    double xmin, ymin, xmax, ymax; /* envelope */
} ccn_ring;

typedef struct {
    double *xy;        /* x, y of every ring's vertices */
    size_t nxy, capxy; /* in doubles */
    ccn_ring *ring;
    size_t n, cap;
    size_t *pick;      /* scratch of ccn_rings_common_area */
    size_t cappick;
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

/* Area shared by polygon A — rings [a0, a1) of a — and polygon B — rings
 * [b0, b1) of b —, both valid and added with ccn_rings_add. scratch may be a
 * or b; -1 when memory runs out. */
double ccn_rings_common_area(const ccn_rings *a, size_t a0, size_t a1, const ccn_rings *b,
                             size_t b0, size_t b1, ccn_rings *scratch);

#endif
