/* coverage_graph — the noded union's boundary as a planar graph, for the gap
 * search (step 3 in coverage.h): each half-edge's next one around its face,
 * the connected components, the cycles traced with faces on the left, each
 * component nested in the face around it, and how many polygons cover each
 * face, from the side labels alone. coverage_noder.c builds the graph;
 * coverage_gaps.c reads its faces. */
#ifndef CCN_COVERAGE_GRAPH_H
#define CCN_COVERAGE_GRAPH_H

#include "coverage.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t nv, ne;
    double *vxy;         /* 2 per vertex */
    uint32_t *eu, *ev;   /* edge endpoints; half-edge 2e = u->v, 2e+1 = v->u */
    uint32_t *out_first; /* nv+1: outgoing half-edges of each vertex ... */
    uint32_t *out;       /* ... sorted counter-clockwise by angle (while building; then
                            trace_cycles takes it for the cycles' half-edges) */
    uint32_t *next;      /* per half-edge: the one after it on the face to its left (the
                            next clockwise out of its end; sort_out_work fills it; then
                            trace_cycles takes it for each half-edge's cycle) */
    uint32_t *comp;      /* per vertex: connected component (its lowest vertex) */
    int32_t *dcover;     /* per edge: polygons on the left of u->v minus on the right */
    uint32_t *pl, *pr;   /* per edge: lowest polygon on the left and right of u->v */
    size_t geos_tiles;   /* tiles of the noder that went to GEOS (for the tests) */
} graph;

static inline size_t origin(const graph *g, size_t he)
{
    return he & 1 ? g->ev[he / 2] : g->eu[he / 2];
}

static inline size_t dest(const graph *g, size_t he)
{
    return he & 1 ? g->eu[he / 2] : g->ev[he / 2];
}

typedef struct {
    double area;        /* signed: > 0 bounds a face, < 0 is a component seen from outside */
    double env[4];
    double holes;       /* a face's cycle: area of the components inside it */
    uint32_t first, len; /* half-edges in cycles.he */
    uint32_t comp;
    uint32_t face;      /* a component's cycle: the face it lies in (cycle index), or NO_FACE */
} cycle;

#define NO_FACE UINT32_MAX

typedef struct {
    cycle *c;
    size_t n, cap;
    uint32_t *he; /* half-edges of all cycles */
    uint32_t *of; /* per half-edge: its cycle (for cover_depths; then group_regions's scratch) */
} cycles;

#define DEPTH_UNKNOWN INT32_MIN

void ccn_coverage_graph_free(graph *g);

/* Finish the graph once its vertices and edges are in: each half-edge's
 * next one around its face, and the connected components. */
ccn_status ccn_coverage_graph_finish(ccn_ctx *ctx, graph *g);

/* The cycles of the graph (faces on the left), in the order of their lowest
 * half-edge, each started there. Takes g->out for their half-edges and
 * g->next for each half-edge's cycle. */
ccn_status ccn_coverage_trace_cycles(ccn_ctx *ctx, graph *g, cycles *cy);

/* Give each component's outer cycle the face it lies in: the smallest
 * face cycle of another component that contains it (the first of equal
 * ones). Components are few (one per island of linework) and faces many
 * (every sliver), so each face looks up the components' points in its
 * envelope, sorted by x. */
ccn_status ccn_coverage_nest_components(ccn_ctx *ctx, const graph *g, cycles *cy);

/* A face as a GEOS polygon: its cycle with the components inside as holes. */
GEOSGeometry *ccn_coverage_face_polygon(GEOSContextHandle_t h, const graph *g, const cycles *cy,
                                        size_t f, const size_t *hole_first,
                                        const size_t *hole_list);

/* How many polygons cover each face, from the side labels alone: 0 outside
 * everything, and across each edge the count changes by its label. A
 * component whose labels do not add up around its faces (the noder moved
 * something too far to be recognised) is left DEPTH_UNKNOWN, for its faces
 * to be tested against the polygons themselves. *depth gets one per cycle. */
ccn_status ccn_coverage_cover_depths(ccn_ctx *ctx, const graph *g, const cycles *cy,
                                     const size_t *hole_first, const size_t *hole_list,
                                     int32_t **depth);

#endif
