/* normalise — what import stores: polygons without repeated consecutive
 * vertices, every ring closed, and their validity decided on these stored
 * (projected) coordinates, with a count of what was changed.
 *
 * Analyses never rely on it: a workspace written by another tool may hold
 * anything, and every geometry routine takes unnormalised input. A ring
 * that would keep fewer than three distinct vertices is left as it is (it
 * has no area either way, and ccn check names it): nothing is dropped. A
 * ring of fewer than 4 points, which PostGIS cannot store, is named for the
 * caller to refuse.
 *
 * Ownership: ccn_normalise_polygon returns a new geometry the caller frees
 * with GEOSGeom_destroy_r, or NULL when g is already normal. */
#ifndef CCN_NORMALISE_H
#define CCN_NORMALISE_H

#include "ctx.h"
#include "rings.h"

#include <stdint.h>

typedef struct {
    int64_t features; /* features changed */
    int64_t repeats;  /* repeated consecutive vertices removed */
    int64_t closed;   /* rings closed on their first vertex */
    int64_t invalid;  /* features whose stored geometry is not valid (OGC) */
    ccn_rings scratch;
} ccn_normalise_counts;

/* A ring of the stored polygon with 1 to 3 points, the closing one included
 * ([A, B, A]), or a hole of none: numbered from 1, ring 1 the part's shell;
 * ring 0: none. */
typedef struct {
    unsigned part, ring, points;
} ccn_short_ring;

/* Normalise the Polygon or MultiPolygon g (anything else: NULL, nothing
 * counted) and count what changed into c, its validity as it will be stored
 * included; *short_ring: its first ring too short to store. *failed is set
 * when GEOS or memory fails (the context says why). */
GEOSGeometry *ccn_normalise_polygon(ccn_ctx *ctx, const GEOSGeometry *g, ccn_normalise_counts *c,
                                    ccn_short_ring *short_ring, bool *failed);
void ccn_normalise_counts_free(ccn_normalise_counts *c);

#endif
