/* width — how wide a thin piece is: the diameter of the largest circle
 * inside it, bounded from its edges alone, and GEOS's erosion only where the
 * bounds cannot decide. Coverage checks judge overlaps and gaps by it: a
 * piece thinner than the edge tolerance is an edge mismatch, not an overlap
 * or a gap (coverage.h).
 *
 * The bounds: a circle found inside (from every vertex and edge midpoint,
 * the nearest other edge) gives a lower bound, chords across an upper one;
 * a triangulation of the piece refined by branch and bound gives both (the
 * distance to an edge is convex, so over a triangle it lies under the plane
 * through its corners: the planes' highest point bounds the circles centred
 * there and, inside, is the centre of one). GEOS's erosion differs from the
 * exact one by its arcs drawn as chords and the input it simplifies: a
 * margin of 2 % settles an erosion as GEOS would.
 *
 * Ownership: ccn_edges owns its arrays (ccn_edges_free); a ccn_width_piece
 * owns `made`, the geometry it built (the caller destroys it). */
#ifndef CCN_WIDTH_H
#define CCN_WIDTH_H

#include "ctx.h"

#include <stdbool.h>
#include <stddef.h>

/* A piece's rings as edges (4 numbers each), each with its ring and its
 * polygon part (rings numbered in order over the parts). */
typedef struct {
    double *e;    /* x1 y1 x2 y2 per edge */
    size_t *ring; /* per edge: its ring */
    size_t *part; /* per edge: its polygon part */
    size_t n;
} ccn_edges;

/* The edges of a polygonal g; false when out of memory, when it has over
 * 4096 edges (not worth bounding: GEOS decides) or fewer than 3. */
bool ccn_edges_of(GEOSContextHandle_t h, const GEOSGeometry *g, ccn_edges *es);
void ccn_edges_free(ccn_edges *es);

/* Does edge e cross the ray from (x, y) towards +x (the crossing rule)? */
static inline bool ccn_edges_cross_ray(const double *e, double x, double y)
{
    return (e[1] > y) != (e[3] > y) && x < e[0] + (y - e[1]) / (e[3] - e[1]) * (e[2] - e[0]);
}

/* The geometry of a piece whose width is judged: g, or made by make(user)
 * only if GEOS must erode it (the bounds settle most pieces on their edges
 * alone). */
typedef struct {
    const GEOSGeometry *g;
    GEOSGeometry *made;
    GEOSGeometry *(*make)(ccn_ctx *ctx, void *user);
    void *user;
    double x, y; /* set by ccn_width_test: the centre of the widest circle it found inside
                    (NAN: none; it stops looking once it knows the answer) */
} ccn_width_piece;

/* Distance from (x, y) to the nearest edge of es. */
double ccn_edges_distance(const ccn_edges *es, double x, double y);

/* Is the piece thin at tol (nothing left after eroding it by tol/2)? es: its
 * edges, or NULL when too many to bound. When thin, *width is its largest
 * width (to tol/16 or 5 mm, the finer) and *length half its perimeter.
 * CCN_ERR_INTERNAL if GEOS fails or memory runs out. */
ccn_status ccn_width_test(ccn_ctx *ctx, const ccn_edges *es, ccn_width_piece *piece, double tol,
                          bool *thin, double *width, double *length);

/* Is the polygonal g thin at tol (nothing left after eroding it by tol/2)?
 * When thin, *width is its largest width (diameter of the largest inscribed
 * circle, to tol/16 or 5 mm, the finer) and *length half its perimeter.
 * CCN_ERR_INTERNAL if GEOS fails. */
ccn_status ccn_width_thin(ccn_ctx *ctx, const GEOSGeometry *g, double tol, bool *thin,
                          double *width, double *length);

/* Bounds on the largest width of the polygonal g (diameter of its largest
 * inscribed circle) from its coordinates alone, those ccn_width_thin
 * settles its erosions with before asking GEOS: *lower is the widest circle
 * found inside, *upper a width no circle inside exceeds (0 and INFINITY when
 * g has over 4096 edges; *upper also INFINITY when no bound is found). For
 * tests. CCN_ERR_INTERNAL when out of memory. */
ccn_status ccn_width_bounds(ccn_ctx *ctx, const GEOSGeometry *g, double *lower,
                            double *upper);

#endif
