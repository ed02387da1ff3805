/* store_spatialite — SpatiaLite opened when a workspace connection first
 * needs it, and its AsBinary done natively before that.
 *
 * SpatiaLite brings PROJ, GEOS, libxml2 and more, and its set-up costs a
 * connection ~15 ms, while a question about one cluster only reads tables
 * whose one SpatiaLite call is AsBinary(geom). So a connection starts
 * without it, with ccn's own AsBinary / ST_AsBinary: the same WKB bytes as
 * SpatiaLite's, straight from the blob (XY geometries in little-endian
 * blobs, which is what ccn and QGIS write; any other blob goes through
 * SpatiaLite's own parser and writer). store.c loads the rest (see
 * ccn_spatialite_connect) before a write transaction — the geometry
 * columns' triggers call SpatiaLite — and when a statement fails to prepare
 * for want of a SpatiaLite function. Only the store back end includes it. */
#ifndef CCN_STORE_SPATIALITE_H
#define CCN_STORE_SPATIALITE_H

#include <sqlite3.h>
#include <stdbool.h>

/* SpatiaLite's functions on db; its per-connection cache into *cache (free
 * with ccn_spatialite_disconnect). False with the reason in *why if the
 * library cannot be loaded. */
bool ccn_spatialite_connect(sqlite3 *db, void **cache, const char **why);
void ccn_spatialite_disconnect(void *cache);

/* AsBinary(blob) and ST_AsBinary(blob) on db, done by ccn. */
void ccn_spatialite_register_wkb(sqlite3 *db);

#endif
