/* store_rtree — a SpatiaLite spatial index (an SQLite R*Tree) built in one
 * pass, for the SQLite workspace's bulk loads (store.c's bulk_end).
 *
 * Inserting 300,000 boxes one by one into an SQLite R*Tree costs ~9 µs
 * each (choose a leaf, split, re-insert). Packing them with STR
 * (sort-tile-recursive: slices by x, runs by y, full nodes, then the same
 * for the level above) and writing the R*Tree's shadow tables directly
 * costs a tenth of that, and gives a tree with fuller, less overlapping
 * nodes. The file format written is SQLite's own (ext/rtree/rtree.c): node
 * 1 is the root and starts with the tree depth, each node is a 2-byte cell
 * count then cells of a big-endian 64-bit id and four big-endian 32-bit
 * floats (xmin, xmax, ymin, ymax; minima rounded down, maxima up, as the
 * R*Tree rounds them); %_rowid maps each row to its leaf, %_parent each
 * non-root node to its parent. `SELECT rtreecheck('idx_T_geom')` verifies it.
 *
 * Only store.c and this file include sqlite3.h. */
#ifndef CCN_STORE_RTREE_H
#define CCN_STORE_RTREE_H

#include "ctx.h"

#include <sqlite3.h>
#include <stdint.h>

/* A row's box as its geometry blob's header gives it (min x, min y, max x,
 * max y), with the blob's type and SRID. */
typedef struct {
    int64_t id;
    double mbr[4];
    int32_t type, srid;
} ccn_rtree_box;

/* Rebuild the spatial index "idx_<table>_geom" of table (column geom) from
 * every row, inside the caller's transaction: the virtual table is dropped,
 * created again empty and filled. Each non-NULL geometry must satisfy the
 * column's type and SRID (what SpatiaLite's insert trigger checks, while
 * bulk loading it is off): the first one that does not is an error naming
 * its row. path names the workspace in messages.
 * fresh (may be NULL): the boxes of the rows with ids above fresh_after,
 * which are then not read back (a bulk load's new rows: reading them again
 * costs a pass over the whole table); the rows up to fresh_after are read.
 * meanwhile (may be NULL): SQL of the caller's, run on a thread of its own
 * while the boxes are sorted (a bulk load's indexes built at the same time),
 * or here when there is nothing to sort; its failure is the pack's. */
ccn_status ccn_store_rtree_pack(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table,
                                const ccn_rtree_box *fresh, size_t nfresh, int64_t fresh_after,
                                const char *meanwhile);

/* What the index's extent query (min xmin … max ymax) reads for boxes b[0..n),
 * n > 0: min x, min y, max x, max y, rounded as the R*Tree stores them. */
void ccn_rtree_extent(const ccn_rtree_box *b, size_t n, double out[4]);

#endif
