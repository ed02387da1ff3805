/* store_pg — the PostgreSQL/PostGIS back end of the workspace store.
 *
 * Private to store.c, which dispatches here when the workspace is a
 * PostgreSQL connection URI (postgresql://… or postgres://…); the rest of ccn
 * sees only store.h. One workspace is one schema: the first of the
 * connection's search_path (`options=-csearch_path=NAME` in the URI). This
 * header keeps libpq out of store.c: only store_pg.c includes libpq-fe.h.
 *
 * The functions mirror store.h's, with the same meaning, statuses and
 * ownership (messages go into the ctx the connection was opened with). */
#ifndef CCN_STORE_PG_H
#define CCN_STORE_PG_H

#include "ctx.h"
#include "store.h" /* ccn_value_type */

#include <stddef.h>
#include <stdint.h>

typedef struct ccn_pg ccn_pg;
typedef struct ccn_pg_stmt ccn_pg_stmt;


/* True if ws names a PostgreSQL workspace rather than a SQLite file. */
bool ccn_pg_is_uri(const char *ws);

/* Create the workspace schema with the tables of schema_sql (SQLite DDL,
 * translated) and the geometry columns given as table/type pairs.
 * keep_open: the transaction that made it (and dropped the schema it
 * replaces) is left open, for ccn_pg_commit; closing undoes it all.
 * lock_timeout_ms, here and in ccn_pg_open: how long a writer waits for
 * another's write transaction (store.c gives both back ends one wait). */
ccn_status ccn_pg_create(ccn_ctx *ctx, const char *uri, int srid, bool force, int lock_timeout_ms,
                         const char *schema_sql, const char *const *geom_tables,
                         const char *const *geom_types, size_t ngeom, bool keep_open,
                         ccn_pg **out);
ccn_status ccn_pg_open(ccn_ctx *ctx, const char *uri, int lock_timeout_ms, ccn_pg **out,
                       int *srid);
void ccn_pg_close(ccn_pg *pg);
/* Remove the workspace schema (a half-made ccn init). */
ccn_status ccn_pg_remove(ccn_ctx *ctx, const char *uri);
/* The URI without its password, for messages. */
const char *ccn_pg_display(const ccn_pg *pg);
const char *ccn_pg_conninfo(const ccn_pg *pg);
const char *ccn_pg_schema(const ccn_pg *pg);

ccn_status ccn_pg_begin(ccn_pg *pg);
ccn_status ccn_pg_commit(ccn_pg *pg);
void ccn_pg_rollback(ccn_pg *pg);
/* Whether a transaction is open on the connection (a write, or a read
 * kept for open cursors). */
bool ccn_pg_in_transaction(const ccn_pg *pg);
/* A read-only REPEATABLE READ transaction: one snapshot for every read until
 * ccn_pg_snapshot_end. Only when no transaction is open. */
ccn_status ccn_pg_snapshot_begin(ccn_pg *pg);
void ccn_pg_snapshot_end(ccn_pg *pg);
ccn_status ccn_pg_exec(ccn_pg *pg, const char *sql);
int64_t ccn_pg_changes(ccn_pg *pg);
int64_t ccn_pg_count(ccn_pg *pg, const char *table);
ccn_status ccn_pg_add_column(ccn_pg *pg, const char *table, const char *column, const char *type);
bool ccn_pg_has_column(ccn_pg *pg, const char *table, const char *column);
char *ccn_pg_meta(ccn_pg *pg, const char *key);
ccn_status ccn_pg_set_meta(ccn_pg *pg, const char *key, const char *value);
ccn_status ccn_pg_bulk_begin(ccn_pg *pg, const char *table, int64_t incoming);
ccn_status ccn_pg_bulk_end(ccn_pg *pg, const char *table);

ccn_status ccn_pg_prepare(ccn_pg *pg, const char *sql, ccn_pg_stmt **out);
void ccn_pg_stmt_free(ccn_pg_stmt *st);
int ccn_pg_step(ccn_pg_stmt *st);
void ccn_pg_reset(ccn_pg_stmt *st);
ccn_status ccn_pg_set_async(ccn_pg_stmt *st);
ccn_status ccn_pg_flush(ccn_pg_stmt *st);
void ccn_pg_on_refusal(ccn_pg_stmt *st, ccn_refusal_fn fn, void *arg);
void ccn_pg_tag(ccn_pg_stmt *st, int64_t tag);
void ccn_pg_bind_null(ccn_pg_stmt *st, int i);
void ccn_pg_bind_int(ccn_pg_stmt *st, int i, int64_t v);
void ccn_pg_bind_double(ccn_pg_stmt *st, int i, double v);
void ccn_pg_bind_text(ccn_pg_stmt *st, int i, const char *v);
void ccn_pg_bind_blob(ccn_pg_stmt *st, int i, const void *v, size_t n);
bool ccn_pg_bind_geometry(ccn_pg_stmt *st, int i, const unsigned char *wkb, size_t n, int srid);
bool ccn_pg_is_null(ccn_pg_stmt *st, int col);
int64_t ccn_pg_int(ccn_pg_stmt *st, int col);
double ccn_pg_double(ccn_pg_stmt *st, int col);
const char *ccn_pg_text(ccn_pg_stmt *st, int col);
const void *ccn_pg_blob(ccn_pg_stmt *st, int col, size_t *n);
int ccn_pg_column_count(ccn_pg_stmt *st);
const char *ccn_pg_column_name(ccn_pg_stmt *st, int col);
const char *ccn_pg_column_decltype(ccn_pg_stmt *st, int col);
ccn_value_type ccn_pg_type(ccn_pg_stmt *st, int col);
bool ccn_pg_has_table(ccn_pg *pg, const char *name);

#endif
