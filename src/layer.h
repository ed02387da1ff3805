/* layer — workspace layers read back as GEOS geometries.
 *
 * ccn_layer_each runs a query whose first two columns are the feature id and
 * AsBinary(geom), and hands each row to a callback with the geometry parsed
 * (NULL for a NULL geometry); the callback may read further columns from the
 * row and owns the geometry it is given. ccn_layer_load keeps the result in
 * arrays, for modules that index a whole layer (STRtree).
 *
 * Ownership: a ccn_geoms owns its geometries; free it with ccn_geoms_free. */
#ifndef CCN_LAYER_H
#define CCN_LAYER_H

#include "store.h"

typedef ccn_status (*ccn_row_fn)(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom);

ccn_status ccn_layer_each(ccn_store *store, const char *sql, ccn_row_fn fn, void *user);
/* As ccn_layer_each, but a geometry that cannot be read does not stop the
 * loop: fn gets NULL for it, as for a NULL geometry, and can tell the two
 * apart by column 1 (not NULL for the unreadable one). */
ccn_status ccn_layer_each_lenient(ccn_store *store, const char *sql, ccn_row_fn fn, void *user);

typedef struct {
    size_t n;
    int64_t *fid;
    GEOSGeometry **geom; /* may hold NULL for a feature without geometry */
} ccn_geoms;

/* Load (fid, geometry) of every row of sql (columns: fid, AsBinary(geom)). */
ccn_status ccn_layer_load(ccn_store *store, const char *sql, ccn_geoms *out);
void ccn_geoms_free(ccn_ctx *ctx, ccn_geoms *g);

/* Why row fid of sql (a layer query) has no geometry to give, the WKB
 * being unreadable — written by another tool, as ccn closes every ring it
 * stores: "TABLE fid F: the stored geometry cannot be read (GEOS's reason)",
 * the table being the word after sql's first " FROM ". Into buf. */
const char *ccn_layer_unreadable(ccn_ctx *ctx, const char *sql, int64_t fid, char *buf,
                                 size_t size);

/* A geometry fit for computing: g itself when valid, else a MakeValid copy
 * in *repaired (which the caller frees); NULL only on a GEOS failure. */
const GEOSGeometry *ccn_layer_valid(ccn_ctx *ctx, const GEOSGeometry *g, GEOSGeometry **repaired);

/* Require that table has rows, else CCN_ERR_INPUT naming what to import. */
ccn_status ccn_layer_require(ccn_store *store, const char *table, const char *why);

#endif
