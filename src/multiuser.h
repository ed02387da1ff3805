/* multiuser — a PostgreSQL workspace shared by several people (DESIGN §10).
 *
 * What the database itself guarantees, whoever writes (ccn, psql, QGIS):
 * - Leases of one lot never overlap: an exclusion constraint
 *   (`leases_no_overlap`, btree_gist) on cluster, lot_no and the lease's
 *   period [start_date, end_date) — end_date the first day no longer
 *   leased, no end_date = open, as lease.h defines it; the same test as the
 *   C check, so two clients racing for one lot cannot both win.
 * - An audit trail, table `audit`: one row per change of the lease
 *   register (`leases`) and per import recorded (`imports`), written by
 *   triggers: fid, at (UTC), who (the login role, session_user), role (the
 *   role set with SET ROLE, if any), op (INSERT, UPDATE, DELETE), tbl,
 *   row_fid, before and after (the row as json). Nobody but the trigger
 *   writes it.
 * - Three group roles per workspace, named `<database>_<schema>_viewer`,
 *   `_editor`, `_admin` (each holding the one before): a viewer reads,
 *   reports and runs checks (the findings table and ccn_meta's last_check
 *   are the result of the last check, so a viewer may replace them; a row
 *   level policy keeps every other ccn_meta key to administrators); an
 *   editor also changes the lease register (add, end, import: leases, and
 *   the import's record in `imports`); an administrator owns the schema and
 *   its tables: imports layers, inits, copies onto it, grants.
 *
 * On a SQLite workspace the audit table exists too, filled by the same rules
 * from ccn's own connections (who = the operating-system user; triggers made
 * per connection, so edits made outside ccn are not audited there); rights
 * are the file's permissions.
 *
 * Ownership: strings are only read. */
#ifndef CCN_MULTIUSER_H
#define CCN_MULTIUSER_H

#include "store.h"

typedef enum { CCN_ACCESS_VIEWER, CCN_ACCESS_EDITOR, CCN_ACCESS_ADMIN } ccn_access;

/* Add the constraint, the audit trail, the group roles and their rights to
 * a PostgreSQL workspace (inside the caller's transaction; safe to run
 * again). On SQLite: the audit table only. */
ccn_status ccn_multiuser_install(ccn_store *store);

/* Give the existing PostgreSQL role `role` exactly the given access to the
 * workspace (its other ccn memberships of this workspace are revoked).
 * Refused on a SQLite workspace, for an unknown role, or without the right
 * to grant (CCN_ERR_INPUT). */
ccn_status ccn_multiuser_grant(ccn_store *store, ccn_access access, const char *role);

/* "viewer", "editor", "admin" → access; false for another word. */
bool ccn_multiuser_parse(const char *word, ccn_access *access);

#endif
