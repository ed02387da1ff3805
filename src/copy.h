/* copy — a whole workspace from one store to another (DESIGN §10): a
 * SQLite file to a PostgreSQL schema and back, or file to file.
 *
 * Everything ccn keeps is copied as it is: every row of every workspace
 * table with its fid (so a finding's feature, an export's id and the lease
 * history stay the same), the provenance (`imports`), findings, ccn_meta,
 * the palette and the QGIS styles a user saved (ccn's own styles and the
 * lots_status view are remade for the target). The copy is one transaction
 * on the target: a failed copy leaves it as it was, a target that did not
 * exist is removed again.
 *
 * Newer changes are never overwritten. Each workspace has an id
 * (ccn_meta `workspace_id`) and a digest of its content (ccn_copy_digest).
 * A copy records in the target, under keys `copy.<source id>.*`, the
 * target's digest as written and the source's digest as read. An existing
 * target is then replaced only if its digest now equals one of those records:
 * the target's own record of this source (nothing changed in the target
 * since it was copied from the source), or the source's record of this
 * target (nothing changed in the target since the source was copied from
 * it). Otherwise the copy is refused, naming the side that changed, unless
 * force. A digest compares content, so a change made outside ccn (QGIS,
 * psql) counts too.
 *
 * Ownership: strings are only read; nothing returned needs freeing. */
#ifndef CCN_COPY_H
#define CCN_COPY_H

#include "store.h"

typedef struct {
    bool force; /* replace a target that changed, or was never copied with this source */
} ccn_copy_options;

typedef struct {
    bool created;      /* the target did not exist and was made */
    int tables;        /* tables copied */
    int64_t rows;      /* rows written */
    char digest[65];   /* the target's content digest after the copy */
} ccn_copy_result;

/* Copy workspace src to dst (each a file path or a PostgreSQL URI). */
ccn_status ccn_copy(ccn_ctx *ctx, const char *src, const char *dst, const ccn_copy_options *opt,
                    ccn_copy_result *result);

/* The content digest of a workspace: SHA-256 over every workspace table in
 * a fixed order, each row in key order, each column by its lower-case name
 * with its value (integers and integral reals alike as integers, other reals
 * to 17 digits, text and blobs with their length, geometry as ISO WKB),
 * leaving out the copy records and the workspace id and ccn's own QGIS
 * styles (remade by every import). Two workspaces with the same data have
 * the same digest, whatever their back ends. */
ccn_status ccn_copy_digest(ccn_store *store, char hex[65]);

#endif
