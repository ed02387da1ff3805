/* store — the workspace: a SpatiaLite file or a PostGIS schema.
 *
 * A workspace is one SQLite file with SpatiaLite metadata, or one schema of a
 * PostgreSQL database with PostGIS when WS is a connection URI
 * (postgresql://…; the schema is the first of its search_path, store_pg.c).
 * The analyses do not know which: they write SQLite-flavoured SQL, which the
 * PostgreSQL back end translates (store_pg.c lists the idioms), and ask
 * ccn_store_dialect only where the two differ in structure. In SQLite, QGIS and
 * `ogrinfo` see each spatial table (clusters, lots, parcels, plan, communes,
 * markers, findings) as a layer. Geometry columns are named `geom`, stored in
 * the workspace SRID (ccn_store_srid) and read back as WKB with AsBinary().
 * This is the only module that includes sqlite3.h: the others go through the
 * small statement API below.
 *
 * Writes: callers wrap every command's writes in ccn_store_begin /
 * ccn_store_commit, and call ccn_store_rollback on any failure, so a failed
 * command leaves the workspace as it was. A command that will write begins
 * before it reads what it decides on: the outermost begin takes the write
 * lock at once (waiting up to two minutes, CCN_BUSY_TIMEOUT_MS, for another
 * writer), nested begins are savepoints. The file is in WAL mode, so readers
 * never wait. A read-only workspace is refused at begin (CCN_ERR_INPUT).
 *
 * Ownership: a ccn_store is closed with ccn_store_close, a ccn_stmt freed with
 * ccn_stmt_free; text and blobs returned by ccn_stmt_text / ccn_stmt_blob
 * belong to the statement and live until its next step, reset or free. */
#ifndef CCN_STORE_H
#define CCN_STORE_H

#include "ctx.h"

#include <stddef.h>
#include <stdint.h>

typedef struct ccn_store ccn_store;
typedef struct ccn_stmt ccn_stmt;

#define CCN_STORE_DEFAULT_SRID 5897

/* Create a new workspace at path in EPSG:srid (must be a projected CRS known
 * to SpatiaLite). Refuses an existing file unless force. */
ccn_status ccn_store_create(ccn_ctx *ctx, const char *path, int srid, bool force,
                            ccn_store **out);
/* The same, made inside a transaction left open for the caller, who fills
 * the workspace and ends with ccn_store_commit; closing the store before
 * that undoes it all. On PostgreSQL that includes dropping the schema it
 * replaces (force): a failed ccn init --force leaves the old workspace. */
ccn_status ccn_store_create_open(ccn_ctx *ctx, const char *path, int srid, bool force,
                                 ccn_store **out);
/* Open an existing ccn workspace; refuses a missing file or one that is not a
 * ccn workspace. */
ccn_status ccn_store_open(ccn_ctx *ctx, const char *path, ccn_store **out);
void ccn_store_close(ccn_store *store);
/* Another connection to the workspace of store, e.g. for a worker thread
 * (a connection serves one thread at a time). */
ccn_status ccn_store_open_same(ccn_ctx *ctx, const ccn_store *store, ccn_store **out);

/* Remove a workspace (a half-made one after a failed ccn init): the file,
 * or the schema with everything in it. */
ccn_status ccn_store_remove(ccn_ctx *ctx, const char *path);
/* Before a workspace file is replaced (ccn init --force): what SQLite keeps
 * beside it (a -wal not yet checkpointed, a hot -journal) folded into the
 * file and those files gone, so that the file alone is whole at every moment
 * of the replacement. Refuses while another program has it open (its writes
 * would go on into a file no longer there; *in_use then set). A file that is
 * not a SQLite database is left as it is; *database tells which it was. */
ccn_status ccn_store_settle(ccn_ctx *ctx, const char *path, bool *database, bool *in_use);

typedef enum { CCN_DIALECT_SQLITE, CCN_DIALECT_POSTGRES } ccn_dialect;
ccn_dialect ccn_store_dialect(const ccn_store *store);
/* The SQL condition "alias's geometry may meet the box" (SQL expressions
 * xmin … ymax), by the table's spatial index, into buf; snprintf's return. */
int ccn_store_window_sql(const ccn_store *store, char *buf, size_t n, const char *alias,
                         const char *table, const char *xmin, const char *ymin,
                         const char *xmax, const char *ymax);

/* A PostgreSQL workspace as libpq connection keywords without the password
 * ("dbname='…' host='…' port='…' user='…'", for a QGIS project) and its
 * schema; NULL for a SQLite file. */
const char *ccn_store_pg_conninfo(const ccn_store *store);
const char *ccn_store_pg_schema(const ccn_store *store);

ccn_ctx *ccn_store_ctx(ccn_store *store);
int ccn_store_srid(const ccn_store *store);
/* The file, or the URI without its password. */
const char *ccn_store_path(const ccn_store *store);

ccn_status ccn_store_begin(ccn_store *store);
/* ccn_store_begin for a bulk load (see ccn_store_bulk_begin) of a command
 * that writes little else: on SQLite, when no other connection has the
 * workspace open, its rows are written once, not to the WAL and again at
 * the commit; others who open the workspace meanwhile wait for it. */
ccn_status ccn_store_begin_bulk(ccn_store *store);
ccn_status ccn_store_commit(ccn_store *store);
void ccn_store_rollback(ccn_store *store);
/* Did SQLite end the open transaction on its own (a trigger's
 * RAISE(ROLLBACK))? Then what follows would be stored row by row outside
 * it: the command must stop and fail. Never on PostgreSQL, which keeps a
 * failed transaction until its rollback. */
bool ccn_store_transaction_lost(ccn_store *store);
/* A consistent read of many tables: until the matching snapshot_end every
 * read sees the workspace as it was at the first one, whatever other
 * connections commit meanwhile (a copy or digest reads table after table).
 * Nothing may be written inside; pairs nest, and inside a write transaction
 * they change nothing. */
ccn_status ccn_store_snapshot_begin(ccn_store *store);
void ccn_store_snapshot_end(ccn_store *store);

/* Run SQL that returns no rows (may hold several statements). */
ccn_status ccn_store_exec(ccn_store *store, const char *sql);
/* Rows changed by the last INSERT, UPDATE or DELETE statement stepped. */
int64_t ccn_store_changes(ccn_store *store);
/* Number of rows of a table, or -1 with the error in the context. */
int64_t ccn_store_count(ccn_store *store, const char *table);
/* Add a column to a table of a workspace made before the column existed
 * (nothing if it is there): how a newer ccn opens an older workspace. */
ccn_status ccn_store_add_column(ccn_store *store, const char *table, const char *column,
                                const char *type);
/* Whether a table has a column (false also when the table is missing). */
bool ccn_store_has_column(ccn_store *store, const char *table, const char *column);
/* The findings table of a ccn before 2026-12 kept its own key in `fid` and
 * the features' ids in `feature` / `other_feature`; DESIGN §4 has the
 * features' ids in `fid` / `other_fid` and the table's key is `id`.
 * ccn_store_findings_old says whether the table is of the old layout;
 * ccn_store_findings_upgrade renames its columns (ccn check does, in its
 * transaction), and a reader of an old table asks for a check instead. */
bool ccn_store_findings_old(ccn_store *store);
ccn_status ccn_store_findings_upgrade(ccn_store *store);
/* For a reader of the findings (export, qgis): an old table upgraded in a
 * transaction of its own, or, when that cannot be done (a read-only
 * workspace, a PostgreSQL role without the right), an error that asks for
 * ccn check. */
ccn_status ccn_store_findings_readable(ccn_store *store);
/* A table's integer key, OGR's feature id: `fid`, or `id` for findings. */
const char *ccn_store_key(const char *table);
/* Read a key of ccn_meta (returns a malloc'd string the caller frees, or NULL). */
char *ccn_store_meta(ccn_store *store, const char *key);
ccn_status ccn_store_set_meta(ccn_store *store, const char *key, const char *value);
/* The workspace CRS's transformation to WGS 84 lon/lat, for use on ctx's
 * thread, and its central meridian (NAN when it has none): from the recipe
 * ccn init kept (ccn_crs_lonlat_recipe) when it reads, which spares PROJ's
 * database (some 70 ms), else from the database. */
struct ccn_transform;
ccn_status ccn_store_lonlat(ccn_store *store, ccn_ctx *ctx, struct ccn_transform **tf,
                            double *lon0);
/* Bulk loading (inside the caller's transaction): updating the R*Tree row
 * by row costs ten times the insert itself, so bulk_begin switches the
 * table's spatial index off and bulk_end rebuilds it from all rows.
 * incoming: the rows about to come (-1 if unknown); a PostgreSQL table
 * holding several times as many keeps its index. */
ccn_status ccn_store_bulk_begin(ccn_store *store, const char *table, int64_t incoming);
ccn_status ccn_store_bulk_end(ccn_store *store, const char *table);
/* SQLite: rebuild the table's spatial index (SpatiaLite's R*Tree) from all
 * rows in one pass, inside the caller's transaction, while its per-row
 * triggers are set aside (ccn_store_rtree_pack); nothing on PostgreSQL. */
ccn_status ccn_store_rebuild_index(ccn_store *store, const char *table);
/* This connection reads each page about once (one worker of a parallel
 * scan): a small page cache, recycled, instead of the 200 MB a command that
 * revisits pages keeps, whose fresh memory costs a page fault per page. */
void ccn_store_scan_once(ccn_store *store);
/* Refresh the layer extent SpatiaLite keeps for table (after writes). */
ccn_status ccn_store_update_extent(ccn_store *store, const char *table);

ccn_status ccn_stmt_prepare(ccn_store *store, const char *sql, ccn_stmt **out);
void ccn_stmt_free(ccn_stmt *stmt);
/* 1 = a row is ready, 0 = done, CCN_ERR_* negated is never returned: on error
 * the return is -1 and the message is in the context. */
int ccn_stmt_step(ccn_stmt *stmt);
void ccn_stmt_reset(ccn_stmt *stmt);

/* Hand the statement's execution to a writer thread: from now on a step
 * queues the bound row and returns 0 at once, so the caller's reading and
 * geometry work overlaps SQLite's. For INSERT/UPDATE statements only.
 * ccn_stmt_flush waits for every queued row and reports the first error
 * (so does a later step); the store must not be used otherwise meanwhile. */
ccn_status ccn_stmt_set_async(ccn_stmt *stmt);
/* Inside a bulk load, for the async statement that inserts the table's new
 * rows (their geometries bound by ccn_stmt_bind_geometry): each row's box is
 * noted as it goes in, and bulk_end builds the spatial index from those and
 * reads back only the rows that were there before. */
void ccn_stmt_keep_boxes(ccn_stmt *stmt);
ccn_status ccn_stmt_flush(ccn_stmt *stmt);
/* A row the database itself refuses (a CHECK constraint or a trigger an
 * administrator added, a value out of a column's range, a key another user
 * stored meanwhile) fails an INSERT or UPDATE statement: the step or
 * ccn_stmt_flush reports it and the caller rolls back. With a refusal
 * handler, set before ccn_stmt_set_async, such a row is left out instead —
 * undone whole, whatever a trigger did before refusing it (SQLite's
 * RAISE(FAIL) undoes nothing itself) — the rows around it are written, and
 * fn(arg, tag, message) is called for it, on the caller's thread: during
 * that row's ccn_stmt_step for a statement stepped at once, else during a
 * later ccn_stmt_step or ccn_stmt_flush; the transaction stands and the
 * step returns 0. tag is what ccn_stmt_tag gave the row before its step.
 * Anything else (the connection, the disk, a right, SQLite's
 * RAISE(ROLLBACK), an internal error of the server) still fails the
 * statement. Each row then runs under a savepoint of its own, except on
 * PostgreSQL's async path, which sends the rows in batches, each under a
 * savepoint and kept until the server took it, so that a refused row
 * costs a few batches sent again, not the transaction. */
typedef void (*ccn_refusal_fn)(void *arg, int64_t tag, const char *message);
void ccn_stmt_on_refusal(ccn_stmt *stmt, ccn_refusal_fn fn, void *arg);
void ccn_stmt_tag(ccn_stmt *stmt, int64_t tag);

/* Parameters are numbered from 1, as in SQLite. Text and blobs are copied. */
void ccn_stmt_bind_null(ccn_stmt *stmt, int i);
void ccn_stmt_bind_int(ccn_stmt *stmt, int i, int64_t v);
void ccn_stmt_bind_double(ccn_stmt *stmt, int i, double v);
void ccn_stmt_bind_text(ccn_stmt *stmt, int i, const char *v); /* NULL binds NULL */
/* The same for a malloc'd text the statement takes over (no copy). */
void ccn_stmt_bind_text_owned(ccn_stmt *stmt, int i, char *v);
void ccn_stmt_bind_blob(ccn_stmt *stmt, int i, const void *v, size_t n);

/* Bind a geometry given as 2D little-endian ISO WKB (Point, Polygon or
 * MultiPolygon), converted to SpatiaLite's own BLOB format in the workspace
 * SRID, so that INSERTs need no GeomFromWKB(). False if the WKB is not one
 * of those types. */
bool ccn_stmt_bind_geometry(ccn_stmt *stmt, int i, const unsigned char *wkb, size_t n);

/* Columns are numbered from 0. */
bool ccn_stmt_is_null(ccn_stmt *stmt, int col);
int64_t ccn_stmt_int(ccn_stmt *stmt, int col);
double ccn_stmt_double(ccn_stmt *stmt, int col);
const char *ccn_stmt_text(ccn_stmt *stmt, int col); /* NULL for SQL NULL */
const void *ccn_stmt_blob(ccn_stmt *stmt, int col, size_t *n);

/* Introspection, for code that copies tables it does not know column by
 * column (copy.c). The name and declared type belong to the statement;
 * the declared type is NULL for an expression. ccn_stmt_type is the type of
 * the value of the row just stepped. */
typedef enum { CCN_VALUE_NULL, CCN_VALUE_INT, CCN_VALUE_REAL, CCN_VALUE_TEXT, CCN_VALUE_BLOB } ccn_value_type;
int ccn_stmt_column_count(ccn_stmt *stmt);
const char *ccn_stmt_column_name(ccn_stmt *stmt, int col);
const char *ccn_stmt_column_decltype(ccn_stmt *stmt, int col);
ccn_value_type ccn_stmt_type(ccn_stmt *stmt, int col);
/* Whether the workspace holds a table (or view) of that name; asked without
 * an error, so it is safe inside a transaction. */
bool ccn_store_has_table(ccn_store *store, const char *name);

/* Another SQLite file ccn wrote (a GeoPackage), through its own short-lived
 * connection: in one transaction, run ddl, then insert with params bound as
 * text (?1 …). */
ccn_status ccn_store_file_exec(ccn_ctx *ctx, const char *path, const char *ddl,
                               const char *insert, const char *const *params, int nparams);

#endif
