/* coverage — overlaps, gaps and slivers of a polygon layer that should tile
 * the ground without overlapping: cadastral parcels, lots, clusters.
 *
 * Overlaps. Candidate pairs come from a grid of the polygons' envelopes,
 * never from comparing all pairs. The area a pair shares is first
 * estimated on plain coordinate arrays: Sutherland–Hodgman clipping of one
 * polygon by the other when that one is convex without holes (most parcels
 * are), or by the ear-clipped triangles of a non-convex one, and GEOS overlay
 * only when both parts have holes or many vertices. Neighbours that merely
 * share an edge come out at ~0 m² in well under a microsecond, where a GEOS
 * intersection costs tens. The estimate is exact but for rounding, so only
 * a pair above the noise floor (less a rounding slack) is then measured
 * with GEOS (area, and a point inside the overlap).
 *
 * Gaps are the holes of the layer's union, found without computing the union
 * (GEOS needs minutes for 300,000 parcels, and 3.11 has no coverage API):
 *  1. every ring, oriented with the polygon on its left, has its corners
 *     snapped (each vertex becomes the lexicographically smallest vertex,
 *     its own or a neighbour's, within snap_m: every polygon meeting at a
 *     corner picks the same point) and is split at the vertices lying on its
 *     edges within snap_m;
 *  2. every piece carries side labels: how many more polygons lie on its
 *     left than on its right, and the lowest polygon on each side. Equal
 *     pieces are merged (labels added); a piece whose label sums to zero
 *     (two neighbours along a shared edge) is dropped; what remains is the
 *     union's boundary (plus the edges of overlaps);
 *  3. that linework is noded in tiles, on every core (in-house, its parts
 *     checked by exact orientation wherever a rounded crossing point could
 *     make them meet wrongly; by GEOS where that check fails or pieces
 *     overlap along a line: coverage_noder), each noded segment takes the
 *     labels of the pieces it lies on, and the faces are
 *     traced (a planar graph walk, faces on the left). How many polygons
 *     cover each face follows from the labels alone (0 outside everything,
 *     changing by the label across each edge); a bounded face, minus the
 *     components nested in it, covered by none is a hole of the union, and
 *     is named after the polygons across its edges. Only where the labels
 *     do not add up (a noder that had to move vertices) is a point inside
 *     the face tested against the polygons themselves.
 * A hole smaller than gap_max_m2 (and above the noise floor) is a gap. Two
 * uncovered regions that meet only at a point are two gaps (the faces of the
 * planar graph; GEOS's union may instead draw one hole ring round both, with
 * the polygons between them as islands, as around a repaired bow-tie).
 *
 * Width (edge_tol_m > 0). Neighbours digitised sheet by sheet disagree by
 * centimetres along every shared edge; the overlaps and gaps this leaves are
 * long and thin, and an area threshold alone calls a 100 m edge off by 5 mm
 * a 0.5 m² overlap. So a piece is judged by its width too: it is thin when
 * nothing of it is left after eroding it by edge_tol_m / 2 (GEOS buffer with
 * a negative distance), i.e. its largest inscribed circle is narrower than
 * edge_tol_m (a circle wider than that found inside by sampling settles
 * "not thin" without GEOS). The thin overlaps and thin gaps between a pair
 * of neighbours are one EDGE_MISMATCH, with their area, length (half their
 * perimeter) and largest width (the diameter of the largest inscribed
 * circle, to a sixteenth of edge_tol_m, by erosion from the widest circle
 * sampling found, each erosion settled without GEOS when the bounds of
 * width.h decide it; for a convex overlap of two convex parcels, its least
 * caliper width, the same for a thin strip). An overlap with any
 * wide part is an OVERLAP with the
 * whole area the pair shares. An uncovered face at most the noise floor
 * joins all the faces it touches, of any size (a gap network pinched at
 * snapped corners is one region, not pieces each dropped under the floor;
 * pieces pinched to a hole of gap_max_m2 or more are part of that hole);
 * two larger faces touching at a point stay two, as GEOS draws two holes.
 * Only a face in a hole of the union is a gap: one that a single part of the
 * union (polygons whose interiors connect, across shared edges or overlaps)
 * encloses. Land enclosed by parts touching only at points (a ring of
 * parcels meeting corner to corner; a gap network that reaches the outline
 * between parcels touching there at corners) lies outside each of them, as
 * GEOS's union draws it (separation.h). A channel to the
 * outside at least snap_m wide leaves a bay open, however thin: not a gap.
 * tests/test_coverage_gaps.c holds this against GEOS. A region with a wide part is
 * a GAP of its whole area, a thin one an EDGE_MISMATCH of the two polygons
 * along it (the lowest indices). The noise floor overlap_min_m2 applies to
 * the region and to the pair.
 *
 * Slivers: a polygon with thinness 4πA/P² below sliver_ratio (a circle is 1,
 * a square 0.785, a 1 × 20 m strip 0.14) and a mean width 2A/P (the width of
 * a long strip) of at most sliver_max_width_m. Both, because a long thin
 * road parcel is thin but wide enough to be real.
 *
 * The polygons must be valid and polygonal (see ccn_layer_valid); NULL
 * entries are skipped. The work runs on every core (ccn_parallel_for).
 *
 * Memory. Coordinates are read once into flat arrays (from WKB when the
 * polygons come as WKB: no GEOS geometry per polygon, one is made only for
 * a pair measured with GEOS). With gaps, the per-polygon pass takes the
 * polygons in batches from left to right (opt->batch) and merges each
 * batch's boundary pieces at once: a group of equal pieces is settled (kept
 * or dropped) as soon as no polygon still to come can add to it, every
 * piece lying within two snaps of its polygon's envelope; only the pieces
 * at the batches' moving front wait. The issues are the same whatever the
 * batch size. Given all at once (ccn_coverage_check_input), 3 million clean
 * parcels took 1.8 GB, most of it the flat coordinates and the caller's WKB;
 * streamed west to east (ccn_coverage_check_stream), only the polygons a
 * polygon still to come may reach are held (a batch, and the long ones
 * across it), and the boundary of the layer's union: ccn check on 3
 * million parcels peaks at some 200 MB.
 *
 * Ownership: ccn_coverage_check returns an array of issues that the caller
 * frees with free(). */
#ifndef CCN_COVERAGE_H
#define CCN_COVERAGE_H

#include "ctx.h"

#include <stddef.h>
#include <stdint.h>

#define CCN_COVERAGE_NONE SIZE_MAX

typedef struct {
    double overlap_min_m2;     /* overlaps and gaps of at most this area are noise */
    double gap_max_m2;         /* holes smaller than this are gaps; 0 = no gap search */
    double sliver_ratio;       /* thinness 4πA/P² below this ... */
    double sliver_max_width_m; /* ... and mean width 2A/P at most this: a sliver; 0 = none */
    double snap_m;             /* vertices this close are one; this close to an edge, on it */
    double edge_tol_m;         /* overlaps and gaps thinner than this are EDGE_MISMATCH; 0 = off */
    size_t batch;              /* polygons per batch of the gap pass (0: 131,072); the same
                                  issues whatever it is (tests try small ones) */
} ccn_coverage_options;

typedef enum {
    CCN_COVERAGE_OVERLAP,
    CCN_COVERAGE_GAP,
    CCN_COVERAGE_SLIVER,
    CCN_COVERAGE_EDGE_MISMATCH,
} ccn_coverage_kind;

/* What an EDGE_MISMATCH is made of (bits). */
enum { CCN_COVERAGE_THIN_OVERLAP = 1, CCN_COVERAGE_THIN_GAP = 2 };

typedef struct {
    ccn_coverage_kind kind;
    size_t a, b;    /* the polygons (indices), a < b; CCN_COVERAGE_NONE when absent
                       (a gap names up to two polygons along its edge) */
    double area;    /* m²: the overlap, the gap, the sliver */
    double x, y;    /* a point inside the overlap or gap, or on the sliver */
    double ratio;   /* sliver: thinness 4πA/P² */
    double width;   /* sliver: mean width 2A/P; edge mismatch: largest width, m */
    double length;  /* edge mismatch: length along the edge (half the perimeter), m */
    int thin;       /* edge mismatch: CCN_COVERAGE_THIN_* bits */
} ccn_coverage_issue;

/* Find the overlaps, gaps and slivers of polys[0..n). Issues come sorted by
 * kind, then a, then b, then location. */
ccn_status ccn_coverage_check(ccn_ctx *ctx, const GEOSGeometry *const *polys, size_t n,
                              const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                              size_t *nissues);

/* The polygons to check, by index: polygon i is geom[i] when geom and
 * geom[i] are not NULL, else its WKB (wkb + wkb_off[i], wkb_len[i] bytes;
 * ISO or extended WKB, a polygon or multipolygon) when wkb_len[i] > 0, else
 * absent. Holding 3 million parcels as WKB takes a fifth of the memory of
 * GEOS geometries: coverage reads the coordinates straight from the WKB and
 * makes a GEOS geometry only for the few polygons it measures with GEOS. */
typedef struct {
    size_t n;
    const GEOSGeometry *const *geom;
    const unsigned char *wkb;
    const size_t *wkb_off, *wkb_len;
} ccn_coverage_input;

/* ccn_coverage_check on polygons given as GEOS geometries or WKB. */
ccn_status ccn_coverage_check_input(ccn_ctx *ctx, const ccn_coverage_input *in,
                                    const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                                    size_t *nissues);

/* Polygons fed batch by batch from west to east, so that memory is that of
 * a few batches (and of the polygons long enough to reach across them),
 * whatever the layer's size. next fills *b with the next batch (b->in.n 0:
 * no more); what it points to stays valid until the next call, except GEOS
 * geometries, which must outlive the check (WKB is copied). b->id[k] names
 * polygon k in the issues (each id once; below 2^32 - 1 when gap_max_m2 >
 * 0). b->next_x is a lower bound of the min x of every polygon still to
 * come (INFINITY: none). rewind starts again from the first batch: a few
 * points of the gap search are tested against the polygons once more. With
 * a box {xmin, ymin, xmax, ymax} the batches that follow need hold only the
 * polygons whose envelope meets it (more do no harm, in any order); with
 * NULL, all of them. */
typedef struct {
    ccn_coverage_input in;
    const size_t *id;
    double next_x;
} ccn_coverage_batch;

typedef struct {
    ccn_status (*next)(void *user, ccn_coverage_batch *b);
    ccn_status (*rewind)(void *user, const double *box);
    void *user;
} ccn_coverage_source;

/* ccn_coverage_check on streamed polygons: the same issues as
 * ccn_coverage_check_input on them all, with ids for indices (sorted by
 * kind, then a, then b, then location). A polygon is processed once every
 * polygon its envelope may meet has been read, and let go when no polygon
 * still to process may meet it. */
ccn_status ccn_coverage_check_stream(ccn_ctx *ctx, const ccn_coverage_source *src,
                                     const ccn_coverage_options *opt, ccn_coverage_issue **issues,
                                     size_t *nissues);

#endif
