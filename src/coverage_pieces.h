/* coverage_pieces — the boundary pieces of the gap search (steps 1 and 2 in
 * coverage.h): each polygon's edges with their corners snapped and split at
 * the vertices lying on them, then grouped with the equal pieces of its
 * neighbours, batch by batch, so that only the union's boundary (and the
 * edges of overlaps) is kept for the noder (coverage_noder.h). */
#ifndef CCN_COVERAGE_PIECES_H
#define CCN_COVERAGE_PIECES_H

#include "coverage_flat.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* The state of a check and a worker's scratch (coverage_run.h). */
typedef struct worker_state worker_state;
typedef struct run_t run_t;

/* A boundary piece, and after noding a segment of the arrangement. Its
 * side labels travel with it: dir is how many more polygons lie on its
 * left than on its right (from (x1,y1) to (x2,y2)), so crossing it from
 * right to left the number of polygons covering the ground grows by dir;
 * pl and pr are the lowest polygon on each side (NO_POLY: none). */
#define NO_POLY UINT32_MAX
typedef struct {
    double x1, y1, x2, y2; /* a piece's endpoints in lexicographic order */
    int32_t dir;
    uint32_t pl, pr;
} seg;

typedef struct {
    double t, x, y;
} split;

/* A piece by its hash, and where it is: worker << 40 | index (worker nws:
 * the pending pieces). */
typedef struct {
    uint64_t key, ref;
} seg_ref;

static inline uint64_t hash_bits(double x, double y)
{
    uint64_t a, b;
    x = x == 0 ? 0 : x; /* -0.0 is 0.0 */
    y = y == 0 ? 0 : y;
    memcpy(&a, &x, 8);
    memcpy(&b, &y, 8);
    uint64_t k = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
    k ^= k >> 31;
    k *= 0xBF58476D1CE4E5B9ull;
    return k ^ (k >> 29);
}

static inline uint64_t seg_key(const seg *s)
{
    return hash_bits(s->x1, s->y1) ^ (hash_bits(s->x2, s->y2) * 0x9E3779B97F4A7C15ull);
}

/* The polygon's edges, corners snapped to their canonical points and split
 * at the vertices (own or neighbours') lying on them within snap. */
bool ccn_coverage_emit_boundary(worker_state *w, const flat *f, size_t i, uint32_t label,
                                double snap);

/* Sort a[0..n) by the low 33 bits of their keys, keeping the order of
 * equal ones (b: room for n; the result is in *a). 33 bits of hash are
 * plenty to bring equal pieces together (the few unequal ones sharing them
 * are told apart by the caller); 11-bit digits keep the scatter within the
 * cache. */
void ccn_coverage_sort_refs(seg_ref **a, seg_ref **b, size_t n, size_t *count);

/* Group the pieces the workers emitted since the last call with the
 * pending ones (groups merged before) by their coordinates: a radix sort of
 * their hashes, then exact comparison within equal hashes. A group is final
 * when no polygon still to come can add to it: those start at done_x or
 * later, and every piece of a polygon lies within two snaps of its
 * envelope. A final group with polygons on one side only (its label not
 * zero) is part of the union's boundary and joins run->kept; the others
 * are dropped (two neighbours along their shared edge); groups not final
 * stay pending, merged. Everything in the order of the hashes. */
ccn_status ccn_coverage_merge_pieces(ccn_ctx *ctx, run_t *run, double done_x);

/* The union's boundary: the last pieces merged, then every kept piece, in
 * the order merge_pieces found them (boundary_graph puts each tile's in the
 * order of their hashes, so that the faces come out in the same order
 * however the polygons were batched). */
ccn_status ccn_coverage_kept_boundary(ccn_ctx *ctx, run_t *run, seg **out, size_t *nout);

#endif
