/* coverage_noder — the union's boundary pieces noded into a planar graph:
 * cut at the lines of a grid of tiles, each tile noded on its own core
 * (in-house, or with GEOS where that cannot), its segments labelled with
 * the pieces they lie on, and its vertices and edges numbered as if all had
 * been hashed in one table (step 3 in coverage.h). */
#ifndef CCN_COVERAGE_NODER_H
#define CCN_COVERAGE_NODER_H

#include "coverage_graph.h"
#include "coverage_pieces.h"

#include <stddef.h>

/* The noded union's boundary as a planar graph: the kept pieces cut at a
 * grid of tiles, each tile noded and its vertices and edges numbered on its
 * own core; ids and labels as when all segments were hashed in one table,
 * tile after tile. Takes kept (frees it). */
ccn_status ccn_coverage_boundary_graph(ccn_ctx *ctx, seg *kept, size_t nkept, graph *g);

#endif
