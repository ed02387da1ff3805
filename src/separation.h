/* separation — which nodes of an undirected graph are cut off from a root
 * by a single wall node: every path from the node to the root passes that
 * wall. The gap search asks it of the uncovered regions of a coverage (the
 * walls are the parts of the union whose interiors connect, the root the
 * outside): a region one part alone cuts off lies in a hole of that part, as
 * GEOS's union draws holes; a region that parts touching only at points
 * enclose is outside each of them (coverage_gaps.c).
 *
 * The biconnected components (blocks) of the root's connected component
 * (Hopcroft and Tarjan's depth-first search, without recursion), then a walk
 * down the tree of blocks and cut nodes from the root: a node is cut off when
 * a wall is a cut node on its way up. Time and memory linear in the graph. */
#ifndef CCN_SEPARATION_H
#define CCN_SEPARATION_H

#include "ctx.h"

#include <stddef.h>
#include <stdint.h>

/* Nodes 0..n-1, edges edges[2k] - edges[2k+1] for k < ne (loops and repeats
 * allowed). cut[v] = 1 when some wall node other than v lies on every path
 * from v to root, or no path joins them; else 0. wall[root] is ignored. */
ccn_status ccn_separation(ccn_ctx *ctx, size_t n, const uint32_t *edges, size_t ne,
                          const uint8_t *wall, uint32_t root, uint8_t *cut);

#endif
