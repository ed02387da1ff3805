/* store_pg — the PostgreSQL/PostGIS back end of the workspace store.
 *
 * A workspace is one schema (the first of the connection's search_path), with
 * the tables of the SQLite workspace: the same columns, keys and indexes;
 * geometry columns are `geom geometry(TYPE, SRID)` with a GIST index. A fid
 * left out of an INSERT is max(fid) + 1, as SQLite's INTEGER PRIMARY KEY
 * gives it (ccn_next_fid, safe because writers hold the workspace's write
 * lock), so both back ends number features alike and a copy keeps its fids.
 *
 * Statements: the modules write SQLite-flavoured SQL; prepare translates the
 * few idioms that differ (see translate()): `?N`/`?` placeholders become `$N`
 * (`?N IS NULL` tests `CAST($N AS text)`: a parameter needs a type there),
 * `strftime('%Y-%m-%dT%H:%M:%SZ', 'now')` the server's UTC time, `AsBinary(`
 * ST_AsBinary, `MakePoint(` ST_Point, `MbrMinX(`… ST_XMin…, spatial_ref_sys's
 * `ref_sys_name` the name in its WKT, `group_concat(` string_agg, `INSERT OR IGNORE` ON CONFLICT DO
 * NOTHING, `last_insert_rowid()` the fid ccn_next_fid gave last, `rowid`
 * ctid, `a IS b` IS NOT DISTINCT FROM, `date('now')` CURRENT_DATE as text, CREATE VIEW IF NOT EXISTS
 * CREATE OR REPLACE VIEW; in DDL, INTEGER bigint and REAL double precision. Structural differences are asked of ccn_store_dialect by the modules.
 * Text is bound untyped (the server infers the column's type, as SQLite's
 * affinity does), integers as int8, reals as float8, geometry as EWKB in
 * binary; results come as text (bytea decoded from hex, booleans as 1/0).
 *
 * Reads stream: a SELECT runs as a cursor fetched FETCH_ROWS at a time, so
 * 300,000 parcels never sit in memory. Cursors need a transaction: outside
 * ccn_store_begin the first cursor opens a read transaction that ends when
 * the last cursor closes (a begin meanwhile turns it into the write one).
 *
 * Writes: the outermost begin is BEGIN plus a transaction-level advisory lock
 * on the schema, so two writers queue (up to CCN_BUSY_TIMEOUT_MS) instead of
 * interleaving and readers never wait; nested begins are savepoints. An async
 * (bulk) INSERT streams its rows with COPY … FROM STDIN; with a refusal
 * handler (an import) in batches under savepoints, so that a row the server
 * refuses is left out, not the transaction lost (see "COPY in batches"). */
#include "store_pg.h"
#include "store.h" /* ccn_store_key */

#include "crs.h"
#include "grow.h"
#include "pgmessage.h" /* what a refused user may do, why a row was refused */
#include "textenc.h"

#include <libpq-fe.h>

#include "dynlib.h"

#include <dlfcn.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpq, opened by the first connection to a PostgreSQL workspace (see
 * dynlib.h): with Kerberos, LDAP and TLS behind it, linking it cost every
 * command ~13 ms before main, for the few that use it. */
#ifndef CCN_LIBPQ_SONAME
#define CCN_LIBPQ_SONAME "libpq.so" /* the build names the exact one */
#endif
#ifndef CCN_LIBPQ_PACKAGE
#define CCN_LIBPQ_PACKAGE "libpq5"
#endif
#define CCN_PQ_FUNCTIONS(X) \
    X(PQclear) \
    X(PQcmdTuples) \
    X(PQconnectdb) \
    X(PQdb) \
    X(PQerrorMessage) \
    X(PQescapeIdentifier) \
    X(PQexec) \
    X(PQexecParams) \
    X(PQfinish) \
    X(PQfname) \
    X(PQfreemem) \
    X(PQftable) \
    X(PQftype) \
    X(PQgetResult) \
    X(PQgetisnull) \
    X(PQgetvalue) \
    X(PQhost) \
    X(PQnfields) \
    X(PQntuples) \
    X(PQport) \
    X(PQputCopyData) \
    X(PQputCopyEnd) \
    X(PQresultErrorField) \
    X(PQresultStatus) \
    X(PQsetNoticeProcessor) \
    X(PQstatus) \
    X(PQuser)

static struct {
    CCN_PQ_FUNCTIONS(CCN_DYNLIB_POINTER)
} pq;

static bool pq_bind(void *h, const char **missing)
{
#define CCN_PQ_LOOKUP(name) CCN_DYNLIB_LOOKUP(pq, name)
    CCN_PQ_FUNCTIONS(CCN_PQ_LOOKUP)
#undef CCN_PQ_LOOKUP
    return true;
}

static ccn_dynlib pq_lib = {CCN_LIBPQ_SONAME, CCN_LIBPQ_PACKAGE, pq_bind};

#define PQclear (pq.PQclear)
#define PQcmdTuples (pq.PQcmdTuples)
#define PQconnectdb (pq.PQconnectdb)
#define PQdb (pq.PQdb)
#define PQerrorMessage (pq.PQerrorMessage)
#define PQescapeIdentifier (pq.PQescapeIdentifier)
#define PQexec (pq.PQexec)
#define PQexecParams (pq.PQexecParams)
#define PQfinish (pq.PQfinish)
#define PQfname (pq.PQfname)
#define PQfreemem (pq.PQfreemem)
#define PQftable (pq.PQftable)
#define PQftype (pq.PQftype)
#define PQgetResult (pq.PQgetResult)
#define PQgetisnull (pq.PQgetisnull)
#define PQgetvalue (pq.PQgetvalue)
#define PQhost (pq.PQhost)
#define PQnfields (pq.PQnfields)
#define PQntuples (pq.PQntuples)
#define PQport (pq.PQport)
#define PQputCopyData (pq.PQputCopyData)
#define PQputCopyEnd (pq.PQputCopyEnd)
#define PQresultErrorField (pq.PQresultErrorField)
#define PQresultStatus (pq.PQresultStatus)
#define PQsetNoticeProcessor (pq.PQsetNoticeProcessor)
#define PQstatus (pq.PQstatus)
#define PQuser (pq.PQuser)

enum { FETCH_ROWS = 2000 };
enum { OID_BOOL = 16, OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };
enum { TX_NONE, TX_READ, TX_WRITE, TX_SNAPSHOT };

struct ccn_pg {
    ccn_ctx *ctx;          /* not owned */
    PGconn *conn;
    char *display;         /* the URI without its password */
    char *schema;          /* the workspace's schema */
    char *postgis_schema;  /* where the PostGIS extension lives */
    char *conninfo;        /* dbname, host, port, user (no password), libpq's keywords */
    unsigned geometry_oid; /* the geometry type's OID */
    int depth;             /* nested ccn_pg_begin calls */
    int tx;                /* TX_*: the transaction open on the connection */
    int cursors;           /* open cursors (they keep a TX_READ alive) */
    unsigned epoch;        /* counts ended transactions: a cursor dies with its own */
    unsigned next_cursor;  /* numbers cursor names */
    int64_t changes;       /* rows changed by the last statement */
    int lock_timeout_ms;   /* how long a writer waits for another (0: as long as it takes) */
};

typedef struct {
    char *v;      /* owned value: text, or raw bytes when binary */
    int len;      /* bytes, for binary values */
    int format;   /* 0 text, 1 binary */
    unsigned oid; /* 0 = let the server infer it */
    bool set;
} param;

struct ccn_pg_stmt {
    ccn_pg *pg;       /* not owned */
    char *sql;        /* translated */
    bool query;       /* returns rows: run as a cursor */
    int nparams;
    param *params;
    PGresult *res;    /* the current batch or the statement's result */
    int row, nrows;
    bool started, last_batch;
    bool cursor;      /* a cursor is open for this statement */
    unsigned cursor_epoch;
    char name[32];
    char **decoded;   /* per column: bytea decoded for the current row */
    size_t *decoded_n;
    int ncols;
    /* COPY mode (ccn_pg_set_async) */
    bool copying;
    int64_t next_fid;
    char *line;
    size_t line_cap;
    /* With a refusal handler (ccn_pg_on_refusal) the rows go in batches,
     * each a COPY under a savepoint, kept until the server took it. */
    ccn_refusal_fn on_refusal;
    void *refusal_arg;
    int64_t tag;       /* of the row being bound */
    char copy[700];    /* the COPY statement */
    bool in_batch;     /* a batch's COPY is open */
    bool cut;          /* the server ended it early: the rest is only kept */
    ccn_status failure; /* what failed the statement; later steps fail with it */
    char failure_msg[800]; /* its message (the context's is cleared meanwhile) */
    int64_t batch_fid; /* the fid of the batch's first row */
    char *rows;        /* the batch's lines, without their fid */
    size_t rows_len, rows_cap;
    size_t *row_off;   /* where each row's line starts in rows */
    int64_t *row_tag;
    size_t nrows_kept, row_cap, tag_cap;
};

/* ------------------------------------------------------------ errors */

/* The message of a failed result (or of the connection), one line. */
static void result_message(PGconn *conn, const PGresult *res, char *buf, size_t n)
{
    const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
    if (!m)
        m = PQerrorMessage(conn);
    snprintf(buf, n, "%s%s%s", m ? m : "unknown error", detail ? " (" : "", detail ? detail : "");
    if (detail && strlen(buf) + 2 < n)
        strcat(buf, ")");
    size_t len = strlen(buf);
    while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
        buf[--len] = '\0';
    for (char *p = buf; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

/* The error of res as a status: the user's problem (rights, a lock waited
 * for too long, a lost connection) is CCN_ERR_INPUT, anything else internal. */
static ccn_status pg_error(ccn_pg *pg, const PGresult *res, const char *what)
{
    char msg[768];
    result_message(pg->conn, res, msg, sizeof msg);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    /* After a failed statement the transaction refuses everything: the first
     * error, already in the context, is the one to tell. */
    if (state && strcmp(state, "25P02") == 0 && *ccn_ctx_message(pg->ctx))
        return ccn_ctx_status(pg->ctx) != CCN_OK ? ccn_ctx_status(pg->ctx) : CCN_ERR_INTERNAL;
    if (state && strcmp(state, "42501") == 0) { /* rights, row-level policies included */
        const char *hint = ccn_pgmessage_hint(msg); /* what the user's role may do */
        return ccn_error(pg->ctx, CCN_ERR_INPUT, "workspace '%s': permission denied: %s (%s)",
                         pg->display, msg,
                         hint ? hint
                              : "ask the workspace's administrator for the rights, see 'ccn grant'");
    }
    char overlap[512]; /* a lease the exclusion constraint refused: a race lost */
    if (state && strcmp(state, "23P01") == 0 &&
        ccn_pgmessage_lease_overlap(PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), overlap,
                                      sizeof overlap))
        return ccn_error(pg->ctx, CCN_ERR_INPUT, "%s", overlap);
    if (state && (strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0))
        return ccn_error(pg->ctx, CCN_ERR_INPUT,
                         "workspace '%s': another command kept the workspace busy too long (%s); "
                         "try again, or set CCN_BUSY_TIMEOUT_MS",
                         pg->display, msg);
    if (PQstatus(pg->conn) != CONNECTION_OK || (state && strncmp(state, "08", 2) == 0))
        return ccn_error(pg->ctx, CCN_ERR_INPUT, "workspace '%s': connection lost: %s",
                         pg->display, msg);
    return ccn_error(pg->ctx, CCN_ERR_INTERNAL, "%s: %s: %s", pg->display, what, msg);
}

/* Run sql (no parameters) and expect no rows. */
static ccn_status run(ccn_pg *pg, const char *sql)
{
    PGresult *res = PQexec(pg->conn, sql);
    ExecStatusType rs = PQresultStatus(res);
    ccn_status st = rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK
                        ? CCN_OK
                        : pg_error(pg, res, "query");
    if (!st) {
        const char *n = PQcmdTuples(res);
        pg->changes = n && *n ? strtoll(n, NULL, 10) : 0;
    }
    PQclear(res);
    return st;
}

/* Run sql with text parameters; returns the result (caller PQclears) or NULL
 * with the error in the context. */
static PGresult *query(ccn_pg *pg, const char *sql, int n, const char *const *values)
{
    PGresult *res = PQexecParams(pg->conn, sql, n, NULL, values, NULL, NULL, 0);
    ExecStatusType rs = PQresultStatus(res);
    if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK)
        return res;
    pg_error(pg, res, "query");
    PQclear(res);
    return NULL;
}

/* ------------------------------------------------------------ the URI */

bool ccn_pg_is_uri(const char *ws)
{
    return ws && (strncmp(ws, "postgresql://", 13) == 0 || strncmp(ws, "postgres://", 11) == 0);
}

/* uri without a password: the one in user:password@ and a password=
 * parameter are left out. malloc'd. */
static char *without_password(const char *uri)
{
    size_t n = strlen(uri);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    const char *auth = strstr(uri, "://");
    auth = auth ? auth + 3 : uri;
    const char *end = auth + strcspn(auth, "/?");
    const char *at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    const char *colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
    size_t w = 0;
    for (const char *p = uri; *p;) {
        if (colon && p == colon) {
            p = at; /* skip ":password" */
            continue;
        }
        if (p > end && (p[-1] == '?' || p[-1] == '&') && strncmp(p, "password=", 9) == 0) {
            p += strcspn(p, "&");
            if (*p == '&')
                p++;
            else if (w > 0 && (out[w - 1] == '&' || out[w - 1] == '?'))
                w--;
            continue;
        }
        out[w++] = *p++;
    }
    out[w] = '\0';
    return out;
}

/* The first name of a search_path as the server's SplitIdentifierString
 * reads it (varlena.c): a quoted name runs to its closing quote, whatever
 * it holds (commas included), "" standing for one quote; an unquoted one
 * runs to a comma or white space and is folded to lower case (ASCII only,
 * as in a UTF-8 database). Into out (room for strlen(s) + 1); false if the
 * path names nothing. */
static bool first_name(const char *s, char *out)
{
    size_t w = 0;
    while (*s && strchr(" \t\n\r\f\v", *s))
        s++;
    if (*s == '"') {
        for (s++; *s && !(s[0] == '"' && s[1] != '"'); s++) {
            if (*s == '"')
                s++; /* "" */
            out[w++] = *s;
        }
    } else {
        for (; *s && *s != ',' && !strchr(" \t\n\r\f\v", *s); s++)
            out[w++] = *s >= 'A' && *s <= 'Z' ? (char)(*s - 'A' + 'a') : *s;
    }
    out[w] = '\0';
    return w > 0;
}

/* The first schema of the search_path, as the server reads it: an unquoted
 * name folded to lower case (search_path=Ws names the schema ws), a quoted
 * one as written, and either cut to NAMEDATALEN - 1 = 63 bytes at a
 * character's boundary as the server cuts every name (the cast to name,
 * pg_mbcliplen in the database's encoding): the schema CREATE SCHEMA makes
 * and the search_path finds. */
static char *first_schema(ccn_pg *pg)
{
    PGresult *res = query(pg, "SELECT current_setting('search_path')", 0, NULL);
    char *name = res && PQntuples(res) == 1 ? malloc(strlen(PQgetvalue(res, 0, 0)) + 1) : NULL;
    bool named = name && first_name(PQgetvalue(res, 0, 0), name);
    if (res && !name)
        ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
    PQclear(res);
    res = NULL;
    const char *p[1] = {name};
    if (named) /* "$user" (quoted or not) is the user's own schema */
        res = query(pg, "SELECT CASE WHEN $1 = '$user' THEN current_user ELSE $1::name END", 1, p);
    char *s = NULL;
    if (res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) && *PQgetvalue(res, 0, 0))
        s = strdup(PQgetvalue(res, 0, 0));
    else if (res || (name && !named))
        ccn_error(pg->ctx, CCN_ERR_INPUT,
                  "workspace '%s' names no schema: add options=-csearch_path%%3DNAME to the URI",
                  pg->display);
    PQclear(res);
    free(name);
    return s;
}

/* Where PostGIS is installed, or NULL (no error set) if it is not. */
static char *postgis_schema(ccn_pg *pg)
{
    PGresult *res = query(pg,
                          "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
                          " ON n.oid = e.extnamespace WHERE e.extname = 'postgis'",
                          0, NULL);
    char *s = res && PQntuples(res) == 1 ? strdup(PQgetvalue(res, 0, 0)) : NULL;
    PQclear(res);
    return s;
}

/* 'value' quoted as libpq's conninfo wants it. */
static size_t conninfo_put(char *out, size_t n, const char *key, const char *value)
{
    if (!value || !*value)
        return 0;
    size_t w = (size_t)snprintf(out, n, "%s='", key);
    for (const char *c = value; *c && w + 3 < n; c++) {
        if (*c == '\'' || *c == '\\')
            out[w++] = '\\';
        out[w++] = *c;
    }
    if (w + 2 < n) {
        out[w++] = '\'';
        out[w++] = ' ';
        out[w] = '\0';
    }
    return w;
}

static char *make_conninfo(PGconn *conn)
{
    size_t n = 1024, w = 0;
    char *s = malloc(n);
    if (!s)
        return NULL;
    *s = '\0';
    w += conninfo_put(s + w, n - w, "dbname", PQdb(conn));
    w += conninfo_put(s + w, n - w, "host", PQhost(conn));
    w += conninfo_put(s + w, n - w, "port", PQport(conn));
    w += conninfo_put(s + w, n - w, "user", PQuser(conn));
    if (w > 0)
        s[w - 1] = '\0'; /* the last space */
    return s;
}

/* The server's NOTICEs ("schema … already exists, skipping") are not ccn's
 * messages: libpq would print them on stderr. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg, (void)message;
}

/* Connect and find the workspace schema and PostGIS (created if allowed). */
static ccn_status pg_connect(ccn_ctx *ctx, const char *uri, bool create_postgis, ccn_pg **out)
{
    *out = NULL;
    const char *why = NULL;
    if (!ccn_dynlib_open(&pq_lib, &why))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why);
    ccn_pg *pg = calloc(1, sizeof *pg);
    if (!pg || !(pg->display = without_password(uri))) {
        free(pg);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    pg->ctx = ctx;
    pg->conn = PQconnectdb(uri);
    ccn_status st = CCN_OK;
    if (PQstatus(pg->conn) != CONNECTION_OK) {
        char msg[512];
        result_message(pg->conn, NULL, msg, sizeof msg);
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot connect to workspace '%s': %s", pg->display, msg);
        goto fail;
    }
    PQsetNoticeProcessor(pg->conn, ignore_notice, NULL);
    if (!(pg->conninfo = make_conninfo(pg->conn))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    if ((st = run(pg, "SET client_encoding = 'UTF8'; SET client_min_messages = warning")))
        goto fail;
    if (!(pg->schema = first_schema(pg))) {
        st = CCN_ERR_INPUT;
        goto fail;
    }
    pg->postgis_schema = postgis_schema(pg);
    if (!pg->postgis_schema && create_postgis) {
        PGresult *res = PQexec(pg->conn, "CREATE EXTENSION IF NOT EXISTS postgis");
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            char msg[512];
            result_message(pg->conn, res, msg, sizeof msg);
            PQclear(res);
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "workspace '%s': the database has no PostGIS and it cannot be added "
                           "(%s): ask its administrator to run CREATE EXTENSION postgis (Debian "
                           "package postgresql-15-postgis-3 on the server)",
                           pg->display, msg);
            goto fail;
        }
        PQclear(res);
        pg->postgis_schema = postgis_schema(pg);
    }
    if (!pg->postgis_schema) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "workspace '%s': the database has no PostGIS extension (ask its "
                       "administrator to run CREATE EXTENSION postgis)",
                       pg->display);
        goto fail;
    }
    /* The workspace's schema first, then PostGIS's types and functions. */
    const char *p[2] = {pg->schema, pg->postgis_schema};
    PGresult *res = query(pg,
                          "SELECT set_config('search_path', quote_ident($1) || CASE WHEN $1 = $2"
                          " THEN '' ELSE ', ' || quote_ident($2) END, false)",
                          2, p);
    PQclear(res);
    if (!res || !(res = query(pg, "SELECT 'geometry'::regtype::oid", 0, NULL))) {
        st = CCN_ERR_INTERNAL;
        goto fail;
    }
    pg->geometry_oid = (unsigned)strtoul(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    *out = pg;
    return CCN_OK;
fail:
    ccn_pg_close(pg);
    return st;
}

void ccn_pg_close(ccn_pg *pg)
{
    if (!pg)
        return;
    if (pg->conn)
        PQfinish(pg->conn);
    free(pg->display);
    free(pg->schema);
    free(pg->postgis_schema);
    free(pg->conninfo);
    free(pg);
}

const char *ccn_pg_display(const ccn_pg *pg) { return pg->display; }
const char *ccn_pg_conninfo(const ccn_pg *pg) { return pg->conninfo; }
const char *ccn_pg_schema(const ccn_pg *pg) { return pg->schema; }


/* 1 if the workspace schema exists, 2 if it also holds ccn_meta, 0 if it
 * does not exist, -1 on error. */
static int schema_state(ccn_pg *pg)
{
    const char *p[1] = {pg->schema};
    PGresult *res = query(pg,
                          "SELECT (SELECT count(*) FROM pg_namespace WHERE nspname = $1)"
                          " + (SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                          " ON n.oid = c.relnamespace WHERE n.nspname = $1"
                          " AND c.relname = 'ccn_meta')",
                          1, p);
    int v = res ? atoi(PQgetvalue(res, 0, 0)) : -1;
    PQclear(res);
    return v;
}

ccn_status ccn_pg_open(ccn_ctx *ctx, const char *uri, int lock_timeout_ms, ccn_pg **out,
                       int *srid)
{
    *out = NULL;
    ccn_pg *pg = NULL;
    ccn_status st = pg_connect(ctx, uri, false, &pg);
    if (st)
        return st;
    pg->lock_timeout_ms = lock_timeout_ms;
    int state = schema_state(pg);
    if (state < 2) {
        if (state == 0)
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "workspace '%s' does not exist: the database has no schema '%s' "
                           "(create it with 'ccn init')",
                           pg->display, pg->schema);
        else if (state == 1)
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "'%s' is not a ccn workspace (schema '%s' has no ccn_meta table; "
                           "create one with 'ccn init')",
                           pg->display, pg->schema);
        else
            st = CCN_ERR_INTERNAL;
        ccn_pg_close(pg);
        return st;
    }
    char *v = ccn_pg_meta(pg, "srid");
    if (!v) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "'%s' is not a ccn workspace (ccn_meta has no srid; create one with "
                       "'ccn init')",
                       pg->display);
        ccn_pg_close(pg);
        return st;
    }
    *srid = atoi(v);
    free(v);
    *out = pg;
    return CCN_OK;
}

/* ------------------------------------------------------------ SQL */

static bool ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* A growing string. */
typedef struct {
    char *p;
    size_t n, cap;
    bool oom;
} buf;

static void put(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }

static const struct {
    const char *from, *to;
} idioms[] = {
    {"strftime('%Y-%m-%dT%H:%M:%SZ', 'now')",
     "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"},
    {"date('now')", "CURRENT_DATE::text"},
    {"date('now', 'localtime')", "CURRENT_DATE::text"}, /* the session's time zone */
    {"AsBinary(", "ST_AsBinary("},
    {"group_concat(", "string_agg("},
    {"MakePoint(", "ST_Point("},
    {"MbrMinX(", "ST_XMin("},
    {"MbrMinY(", "ST_YMin("},
    {"MbrMaxX(", "ST_XMax("},
    {"MbrMaxY(", "ST_YMax("},
    /* SpatiaLite's spatial_ref_sys has the CRS's name; PostGIS's, its WKT */
    {"ref_sys_name", "split_part(srtext, '\"', 2)"},
    {"last_insert_rowid()", "current_setting('ccn.last_fid')::bigint"},
    {"INSERT OR IGNORE INTO", "INSERT INTO"},
    {"CREATE VIEW IF NOT EXISTS", "CREATE OR REPLACE VIEW"},
    {"rowid", "ctid"},
    /* the DDL of the SQLite schema (create, add_column) */
    {"INTEGER PRIMARY KEY AUTOINCREMENT", "bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
    {"INTEGER", "bigint"},
    {"REAL", "double precision"},
};

/* SQLite-flavoured sql as PostgreSQL runs it (see the file's comment);
 * *nparams gets the highest placeholder number. malloc'd, NULL if out of
 * memory. */
static char *translate(const char *sql, int *nparams)
{
    buf b = {0};
    int next = 0, max = 0;
    bool ignore = false;
    puts_(&b, "");
    for (const char *p = sql; *p;) {
        if (*p == '\'' || *p == '"') { /* a literal or a quoted name, copied whole */
            const char *q = p + 1;
            while (*q && !(*q == *p && q[1] != *p))
                q += *q == *p ? 2 : 1;
            if (*q)
                q++;
            put(&b, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (*p == '?') {
            char num[40];
            int k;
            if (p[1] >= '0' && p[1] <= '9') {
                k = (int)strtol(p + 1, (char **)&p, 10);
            } else {
                k = ++next;
                p++;
            }
            if (k > max)
                max = k;
            /* "?1 IS NULL OR code = ?1": PostgreSQL cannot type a parameter
             * by its first use alone, so that one is cast to text. */
            const char *q = p;
            while (*q == ' ')
                q++;
            bool null_test = strncmp(q, "IS NULL", 7) == 0 || strncmp(q, "IS NOT NULL", 11) == 0;
            snprintf(num, sizeof num, null_test ? "CAST($%d AS text)" : "$%d", k);
            puts_(&b, num);
            continue;
        }
        bool word_start = p == sql || !ident_char(p[-1]);
        /* SQLite's null-safe "a IS b" / "a IS NOT b" */
        if (word_start && strncmp(p, "IS ", 3) == 0) {
            const char *q = p + 3;
            bool not = strncmp(q, "NOT ", 4) == 0;
            if (not)
                q += 4;
            static const char *const keep[] = {"NULL", "NOT", "TRUE", "FALSE", "DISTINCT",
                                               "UNKNOWN"};
            bool keyword = false;
            for (size_t k = 0; k < sizeof keep / sizeof *keep; k++)
                keyword |= strncmp(q, keep[k], strlen(keep[k])) == 0 &&
                           !ident_char(q[strlen(keep[k])]);
            if (!keyword) {
                puts_(&b, not ? "IS DISTINCT FROM " : "IS NOT DISTINCT FROM ");
                p = q;
                continue;
            }
        }
        size_t i;
        for (i = 0; word_start && i < sizeof idioms / sizeof *idioms; i++) {
            size_t n = strlen(idioms[i].from);
            if (strncmp(p, idioms[i].from, n) == 0 &&
                (!ident_char(idioms[i].from[n - 1]) || !ident_char(p[n])))
                break;
        }
        if (word_start && i < sizeof idioms / sizeof *idioms) {
            puts_(&b, idioms[i].to);
            if (strcmp(idioms[i].from, "INSERT OR IGNORE INTO") == 0)
                ignore = true;
            p += strlen(idioms[i].from);
            continue;
        }
        put(&b, p, 1);
        p++;
    }
    if (ignore)
        puts_(&b, " ON CONFLICT DO NOTHING");
    *nparams = max;
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

/* True if sql returns rows (run as a cursor). */
static bool returns_rows(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '(')
        sql++;
    return strncasecmp(sql, "SELECT", 6) == 0 || strncasecmp(sql, "WITH", 4) == 0 ||
           strncasecmp(sql, "VALUES", 6) == 0;
}

/* ------------------------------------------------------------ transactions */

/* The write lock of the workspace: one writer at a time per schema. */
static ccn_status take_write_lock(ccn_pg *pg)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %d", pg->lock_timeout_ms);
    ccn_status st = run(pg, sql);
    if (st)
        return st;
    const char *p[1] = {pg->schema};
    PGresult *res = query(pg, "SELECT pg_advisory_xact_lock(hashtext('ccn workspace ' || $1))", 1, p);
    PQclear(res);
    return res ? CCN_OK : CCN_ERR_INPUT;
}

ccn_status ccn_pg_begin(ccn_pg *pg)
{
    ccn_status st;
    if (pg->depth == 0) {
        if (pg->tx == TX_NONE && (st = run(pg, "BEGIN")))
            return st;
        pg->tx = TX_WRITE;
        if ((st = take_write_lock(pg))) {
            ccn_pg_rollback(pg);
            return st;
        }
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT ccn_%d", pg->depth);
        if ((st = run(pg, sql)))
            return st;
    }
    pg->depth++;
    return CCN_OK;
}

static void transaction_ended(ccn_pg *pg)
{
    pg->tx = TX_NONE;
    pg->depth = 0;
    pg->cursors = 0;
    pg->epoch++;
}

bool ccn_pg_in_transaction(const ccn_pg *pg) { return pg->tx != TX_NONE; }

ccn_status ccn_pg_snapshot_begin(ccn_pg *pg)
{
    if (pg->tx != TX_NONE)
        return ccn_error(pg->ctx, CCN_ERR_INTERNAL, "%s: a snapshot inside a transaction",
                         pg->display);
    ccn_status st = run(pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    if (!st)
        pg->tx = TX_SNAPSHOT;
    return st;
}

void ccn_pg_snapshot_end(ccn_pg *pg)
{
    if (pg->tx != TX_SNAPSHOT)
        return;
    PQclear(PQexec(pg->conn, "COMMIT"));
    transaction_ended(pg);
}

ccn_status ccn_pg_commit(ccn_pg *pg)
{
    if (pg->depth <= 0)
        return ccn_error(pg->ctx, CCN_ERR_INTERNAL, "%s: commit without a transaction",
                         pg->display);
    char sql[48];
    if (pg->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE ccn_%d", pg->depth - 1);
    ccn_status st = run(pg, sql);
    if (st)
        return st;
    if (pg->depth == 1)
        transaction_ended(pg);
    else
        pg->depth--;
    return CCN_OK;
}

void ccn_pg_rollback(ccn_pg *pg)
{
    if (pg->depth > 1) {
        char sql[80];
        snprintf(sql, sizeof sql, "ROLLBACK TO ccn_%d; RELEASE ccn_%d", pg->depth - 1,
                 pg->depth - 1);
        PQclear(PQexec(pg->conn, sql));
        pg->depth--;
        return;
    }
    if (pg->tx != TX_NONE)
        PQclear(PQexec(pg->conn, "ROLLBACK"));
    transaction_ended(pg);
}

ccn_status ccn_pg_exec(ccn_pg *pg, const char *sql)
{
    int n;
    char *t = translate(sql, &n);
    if (!t)
        return ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_status st = run(pg, t);
    free(t);
    return st;
}

int64_t ccn_pg_changes(ccn_pg *pg) { return pg->changes; }

int64_t ccn_pg_count(ccn_pg *pg, const char *table)
{
    char *q = PQescapeIdentifier(pg->conn, table, strlen(table));
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", q ? q : "\"?\"");
    PQfreemem(q);
    PGresult *res = query(pg, sql, 0, NULL);
    int64_t n = res ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
    PQclear(res);
    return n;
}

bool ccn_pg_has_column(ccn_pg *pg, const char *table, const char *column)
{
    const char *p[3] = {pg->schema, table, column};
    PGresult *res = query(pg,
                          "SELECT count(*) FROM information_schema.columns WHERE table_schema = $1"
                          " AND table_name = $2 AND column_name = $3",
                          3, p);
    bool has = res && atoi(PQgetvalue(res, 0, 0)) > 0;
    PQclear(res);
    return has;
}

ccn_status ccn_pg_add_column(ccn_pg *pg, const char *table, const char *column, const char *type)
{
    if (ccn_pg_has_column(pg, table, column))
        return CCN_OK;
    char sql[256];
    snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", table, column, type);
    return ccn_pg_exec(pg, sql);
}

char *ccn_pg_meta(ccn_pg *pg, const char *key)
{
    const char *p[1] = {key};
    PGresult *res = query(pg, "SELECT value FROM ccn_meta WHERE key = $1", 1, p);
    char *v = res && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0) ? strdup(PQgetvalue(res, 0, 0))
                                                                    : NULL;
    PQclear(res);
    return v;
}

ccn_status ccn_pg_set_meta(ccn_pg *pg, const char *key, const char *value)
{
    const char *p[2] = {key, value};
    PGresult *res = query(pg,
                          "INSERT INTO ccn_meta (key, value) VALUES ($1, $2)"
                          " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
                          2, p);
    PQclear(res);
    return res ? CCN_OK : CCN_ERR_INTERNAL;
}

/* A bulk load builds the GIST index once at the end: a tenth of the time of
 * keeping it up row by row on a large load. */
/* A GiST index built once from all rows is several times faster than the
 * same rows inserted into it one by one, but rebuilding it costs every row
 * the table already has: a table holding several times the rows that come
 * (a province appending a district to millions of parcels) keeps its index. */
enum { BULK_KEEP_INDEX_FACTOR = 4 };

ccn_status ccn_pg_bulk_begin(ccn_pg *pg, const char *table, int64_t incoming)
{
    char sql[200];
    bool keep = false;
    if (incoming >= 0) {
        long long enough = (long long)incoming * BULK_KEEP_INDEX_FACTOR + 1;
        snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT 1 FROM \"%s\" LIMIT %lld) AS t",
                 table, enough);
        PGresult *res = query(pg, sql, 0, NULL);
        if (!res)
            return CCN_ERR_INTERNAL;
        keep = atoll(PQgetvalue(res, 0, 0)) >= enough;
        PQclear(res);
    }
    if (keep)
        return CCN_OK;
    snprintf(sql, sizeof sql, "DROP INDEX IF EXISTS \"%s_geom_idx\"", table);
    return run(pg, sql);
}

ccn_status ccn_pg_bulk_end(ccn_pg *pg, const char *table)
{
    char sql[256];
    snprintf(sql, sizeof sql,
             "CREATE INDEX IF NOT EXISTS \"%s_geom_idx\" ON \"%s\" USING GIST (geom);"
             " ANALYZE \"%s\"",
             table, table, table);
    return run(pg, sql);
}

/* ------------------------------------------------------------ create */

/* max(fid) + 1, as SQLite numbers an INTEGER PRIMARY KEY; remembered for
 * last_insert_rowid(). It is never handed out twice: the first fid a
 * transaction takes takes the workspace's write lock too (ccn's writers hold
 * it already), so a row inserted by hand (psql, QGIS) and not yet committed
 * makes ccn wait instead of taking the same number; within one statement
 * (INSERT … VALUES (…), (…)) the rows inserted are not visible yet, so the
 * fid handed out last in the transaction counts too. */
static const char next_fid_sql[] =
    "CREATE FUNCTION ccn_next_fid(t regclass, k text DEFAULT 'fid') RETURNS bigint"
    " LANGUAGE plpgsql AS $$"
    " DECLARE n bigint; last bigint;"
    " BEGIN last := nullif(current_setting('ccn.fid_' || t::oid, true), '')::bigint;"
    " IF last IS NULL THEN PERFORM pg_advisory_xact_lock(hashtext('ccn workspace ' ||"
    "  (SELECT s.nspname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace"
    "   WHERE c.oid = t))); END IF;"
    " EXECUTE format('SELECT coalesce(max(%I), 0) + 1 FROM %s', k, t) INTO n;"
    " IF last IS NOT NULL AND last >= n THEN n := last + 1; END IF;"
    " PERFORM set_config('ccn.fid_' || t::oid, n::text, true);"
    " PERFORM set_config('ccn.last_fid', n::text, false); RETURN n; END $$";

/* Add EPSG:srid to PostGIS's spatial_ref_sys, as GDAL's PostgreSQL driver
 * does, from PROJ's database: ST_Transform then asks PROJ for EPSG:srid by
 * its authority, as for any other row. An unknown code is left to the
 * caller's refusal; spatial_ref_sys closed to the user is said. */
static ccn_status define_srid(ccn_pg *pg, int srid)
{
    ccn_ctx *ctx = pg->ctx;
    char *wkt = NULL, *proj4 = NULL;
    if (ccn_crs_srs_texts(ctx, srid, &wkt, &proj4)) {
        ccn_ctx_clear_error(ctx);
        return CCN_OK;
    }
    char *qs = pg->postgis_schema ? PQescapeIdentifier(pg->conn, pg->postgis_schema,
                                                       strlen(pg->postgis_schema))
                                  : NULL;
    ccn_status st = CCN_OK;
    char sql[512];
    if (!qs) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    } else {
        snprintf(sql, sizeof sql,
                 "INSERT INTO %s.spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                 "VALUES (%d, 'EPSG', %d, $1, $2)",
                 qs, srid, srid);
        const char *values[2] = {wkt, proj4};
        PGresult *res = query(pg, sql, 2, values);
        if (res) {
            PQclear(res);
        } else {
            char why[512];
            snprintf(why, sizeof why, "%s", ccn_ctx_message(ctx));
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "EPSG:%d is not in PostGIS's spatial_ref_sys and cannot be added to "
                           "it (%s): a database owner's 'ccn init' adds it",
                           srid, why);
        }
        PQfreemem(qs);
    }
    free(wkt);
    free(proj4);
    return st;
}

ccn_status ccn_pg_create(ccn_ctx *ctx, const char *uri, int srid, bool force, int lock_timeout_ms,
                         const char *schema_sql, const char *const *geom_tables,
                         const char *const *geom_types, size_t ngeom, bool keep_open,
                         ccn_pg **out)
{
    *out = NULL;
    ccn_pg *pg = NULL;
    ccn_status st = pg_connect(ctx, uri, true, &pg);
    if (st)
        return st;
    pg->lock_timeout_ms = lock_timeout_ms;
    char sql[512];
    PGresult *res = NULL;
    if ((st = ccn_pg_begin(pg)))
        goto fail;
    int state = schema_state(pg);
    if (state < 0) {
        st = CCN_ERR_INTERNAL;
        goto fail;
    }
    char *qs = PQescapeIdentifier(pg->conn, pg->schema, strlen(pg->schema));
    if (!qs) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto fail;
    }
    if (state == 2 && !force)
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "workspace '%s' already exists (schema '%s'; use --force to overwrite it)",
                       pg->display, pg->schema);
    else if (state == 2 && strcmp(pg->schema, pg->postgis_schema) == 0)
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "workspace '%s': schema '%s' also holds PostGIS, so --force cannot drop "
                       "it: give the workspace its own schema (options=-csearch_path%%3DNAME)",
                       pg->display, pg->schema);
    else if (state == 2)
        snprintf(sql, sizeof sql, "DROP SCHEMA %s CASCADE; CREATE SCHEMA %s", qs, qs);
    else
        snprintf(sql, sizeof sql, "CREATE SCHEMA IF NOT EXISTS %s", qs);
    PQfreemem(qs);
    if (st || (st = run(pg, sql)))
        goto fail;
    /* Refuse a CRS PostGIS does not know, or one in degrees (as on SQLite). */
    snprintf(sql, sizeof sql, "SELECT proj4text FROM spatial_ref_sys WHERE srid = %d", srid);
    if (!(res = query(pg, sql, 0, NULL))) {
        st = CCN_ERR_INTERNAL;
        goto fail;
    }
    const char *p4 = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : NULL;
    if (!p4) { /* PostGIS's list predates it (VN-2000's TM-3 zones 9205-9218 of 2020) */
        PQclear(res);
        res = NULL;
        if ((st = define_srid(pg, srid)) || !(res = query(pg, sql, 0, NULL))) {
            st = st ? st : CCN_ERR_INTERNAL;
            goto fail;
        }
        p4 = PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : NULL;
    }
    if (!p4 || strstr(p4, "+proj=longlat") || strstr(p4, "+proj=merc")) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "EPSG:%d is %s: the workspace CRS must be a projected CRS in metres "
                       "(areas are never computed in degrees or in Web Mercator)",
                       srid, p4 ? "not a suitable projected CRS" : "unknown");
        goto fail;
    }
    PQclear(res);
    res = NULL;
    if ((st = run(pg, next_fid_sql)) || (st = ccn_pg_exec(pg, schema_sql)))
        goto fail;
    for (size_t i = 0; i < ngeom; i++) {
        snprintf(sql, sizeof sql,
                 "ALTER TABLE \"%s\" ADD COLUMN geom geometry(%s, %d);"
                 " CREATE INDEX \"%s_geom_idx\" ON \"%s\" USING GIST (geom)",
                 geom_tables[i], geom_types[i], srid, geom_tables[i], geom_tables[i]);
        if ((st = run(pg, sql)))
            goto fail;
    }
    /* Every table's integer key (fid; findings' id) numbered as SQLite does. */
    const char *p[1] = {pg->schema};
    if (!(res = query(pg,
                      "SELECT format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT"
                      " ccn_next_fid(%L::regclass, %L)', n.nspname, c.relname, a.attname,"
                      " format('%I.%I', n.nspname, c.relname), a.attname)"
                      " FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                      " JOIN pg_namespace n ON n.oid = c.relnamespace"
                      " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]"
                      " WHERE i.indisprimary AND i.indnatts = 1 AND n.nspname = $1"
                      " AND a.atttypid = 'bigint'::regtype AND a.attidentity = ''",
                      1, p))) {
        st = CCN_ERR_INTERNAL;
        goto fail;
    }
    for (int r = 0; r < PQntuples(res) && !st; r++)
        st = run(pg, PQgetvalue(res, r, 0));
    PQclear(res);
    res = NULL;
    snprintf(sql, sizeof sql, "%d", srid);
    if (st || (st = ccn_pg_set_meta(pg, "srid", sql)) ||
        (st = ccn_pg_set_meta(pg, "format", "ccn 1")) || (!keep_open && (st = ccn_pg_commit(pg))))
        goto fail;
    *out = pg;
    return CCN_OK;
fail:
    PQclear(res);
    ccn_pg_close(pg);
    return st;
}

ccn_status ccn_pg_remove(ccn_ctx *ctx, const char *uri)
{
    ccn_pg *pg = NULL;
    ccn_status st = pg_connect(ctx, uri, false, &pg);
    if (st)
        return st;
    char *qs = PQescapeIdentifier(pg->conn, pg->schema, strlen(pg->schema));
    char sql[256];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE", qs ? qs : "\"?\"");
    PQfreemem(qs);
    if (strcmp(pg->schema, pg->postgis_schema) != 0)
        st = run(pg, sql);
    ccn_pg_close(pg);
    return st;
}

/* ------------------------------------------------------------ statements */

ccn_status ccn_pg_prepare(ccn_pg *pg, const char *sql, ccn_pg_stmt **out)
{
    *out = NULL;
    ccn_pg_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
    st->pg = pg;
    if (!(st->sql = translate(sql, &st->nparams)) ||
        (st->nparams > 0 && !(st->params = calloc((size_t)st->nparams, sizeof *st->params)))) {
        ccn_pg_stmt_free(st);
        return ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    st->query = returns_rows(st->sql);
    *out = st;
    return CCN_OK;
}

static void clear_params(ccn_pg_stmt *st)
{
    for (int i = 0; i < st->nparams; i++) {
        free(st->params[i].v);
        st->params[i] = (param){0};
    }
}

static void clear_decoded(ccn_pg_stmt *st)
{
    for (int c = 0; c < st->ncols; c++) {
        free(st->decoded[c]);
        st->decoded[c] = NULL;
    }
}

/* Close the statement's cursor; the last one closed ends a read transaction. */
static void close_cursor(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    if (!st->cursor)
        return;
    st->cursor = false;
    if (st->cursor_epoch != pg->epoch)
        return; /* its transaction ended, and the cursor with it */
    char sql[64];
    snprintf(sql, sizeof sql, "CLOSE %s", st->name);
    PQclear(PQexec(pg->conn, sql));
    if (--pg->cursors == 0 && pg->tx == TX_READ) {
        PQclear(PQexec(pg->conn, "COMMIT"));
        transaction_ended(pg);
    }
}

static void finish(ccn_pg_stmt *st)
{
    close_cursor(st);
    PQclear(st->res);
    st->res = NULL;
    clear_decoded(st);
    st->started = false;
    st->row = st->nrows = 0;
}

void ccn_pg_reset(ccn_pg_stmt *st)
{
    if (st->copying) {
        clear_params(st);
        return;
    }
    finish(st);
    clear_params(st);
}

static void copy_abandon(ccn_pg_stmt *st);

void ccn_pg_stmt_free(ccn_pg_stmt *st)
{
    if (!st)
        return;
    if (st->on_refusal)
        copy_abandon(st); /* flushed already, or the caller rolls back */
    ccn_pg_flush(st);
    finish(st);
    clear_params(st);
    free(st->params);
    free(st->decoded);
    free(st->decoded_n);
    free(st->sql);
    free(st->line);
    free(st->rows);
    free(st->row_off);
    free(st->row_tag);
    free(st);
}

/* The statement's parameters as libpq takes them. */
typedef struct {
    const char **values;
    int *lengths, *formats;
    unsigned *types;
} param_arrays;

/* True if $k appears in sql (outside literals, which translate left alone). */
static bool placeholder_used(const char *sql, int k)
{
    char want[16];
    int n = snprintf(want, sizeof want, "$%d", k);
    for (const char *p = strstr(sql, want); p; p = strstr(p + 1, want))
        if (!(p[n] >= '0' && p[n] <= '9'))
            return true;
    return false;
}

static bool arrays(ccn_pg_stmt *st, param_arrays *a)
{
    int n = st->nparams ? st->nparams : 1;
    a->values = calloc((size_t)n, sizeof *a->values);
    a->lengths = calloc((size_t)n, sizeof *a->lengths);
    a->formats = calloc((size_t)n, sizeof *a->formats);
    a->types = calloc((size_t)n, sizeof *a->types);
    if (!a->values || !a->lengths || !a->formats || !a->types)
        return false;
    for (int i = 0; i < st->nparams; i++) {
        a->values[i] = st->params[i].v;
        a->lengths[i] = st->params[i].len;
        a->formats[i] = st->params[i].format;
        a->types[i] = st->params[i].oid;
        if (!a->types[i] && !placeholder_used(st->sql, i + 1))
            a->types[i] = OID_TEXT; /* nothing to infer its type from */
    }
    return true;
}

static void arrays_free(param_arrays *a)
{
    free(a->values);
    free(a->lengths);
    free(a->formats);
    free(a->types);
}

static PGresult *exec_params(ccn_pg_stmt *st, const char *sql)
{
    param_arrays a = {0};
    PGresult *res = NULL;
    if (arrays(st, &a))
        res = PQexecParams(st->pg->conn, sql, st->nparams, (const Oid *)a.types, a.values,
                           a.lengths, a.formats, 0);
    arrays_free(&a);
    return res;
}

static bool new_result(ccn_pg_stmt *st, PGresult *res)
{
    PQclear(st->res);
    clear_decoded(st);
    st->res = res;
    st->row = -1;
    st->nrows = PQntuples(res);
    int nc = PQnfields(res);
    if (nc > st->ncols) {
        char **d = realloc(st->decoded, (size_t)nc * sizeof *d);
        if (d)
            st->decoded = d;
        size_t *dn = d ? realloc(st->decoded_n, (size_t)nc * sizeof *dn) : NULL;
        if (dn)
            st->decoded_n = dn;
        if (!d || !dn)
            return false;
        for (int c = st->ncols; c < nc; c++)
            st->decoded[c] = NULL;
        st->ncols = nc;
    }
    return true;
}

static int fetch(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    if (st->cursor_epoch != pg->epoch) {
        ccn_error(pg->ctx, CCN_ERR_INTERNAL,
                  "%s: a query was still being read when its transaction ended", pg->display);
        return -1;
    }
    char sql[64];
    snprintf(sql, sizeof sql, "FETCH %d FROM %s", FETCH_ROWS, st->name);
    PGresult *res = PQexec(pg->conn, sql);
    if (PQresultStatus(res) != PGRES_TUPLES_OK) {
        pg_error(pg, res, "query");
        PQclear(res);
        return -1;
    }
    if (!new_result(st, res)) {
        ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
        return -1;
    }
    st->last_batch = st->nrows < FETCH_ROWS;
    return 0;
}

static int copy_row(ccn_pg_stmt *st);

/* A failed statement aborts PostgreSQL's transaction: a read transaction
 * ccn opened by itself is ended with it (its cursors too), so the next
 * statement starts afresh as it would on SQLite; a write transaction waits
 * for the caller's rollback. Returns -1, for `return failed(st)`. */
static int failed(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    if (pg->tx == TX_READ) {
        PQclear(PQexec(pg->conn, "ROLLBACK"));
        transaction_ended(pg);
    }
    st->cursor = false;
    return -1;
}

/* A statement with a refusal handler stepped at once (an import's UPDATE of
 * a cluster's boundary): under a savepoint, so that a row the server
 * refuses (ccn_pgmessage_refusal) is rolled back alone and handed to the
 * handler, the transaction standing; 0 then, as for a row taken. */
static int refusable_step(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    if (run(pg, "SAVEPOINT ccn_row"))
        return failed(st);
    PGresult *res = exec_params(st, st->sql);
    ExecStatusType rs = PQresultStatus(res);
    if (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK) {
        const char *n = PQcmdTuples(res);
        pg->changes = n && *n ? strtoll(n, NULL, 10) : 0;
        PQclear(res);
        return run(pg, "RELEASE ccn_row") ? failed(st) : 0;
    }
    char why[512];
    if (!ccn_pgmessage_refusal(PQresultErrorField(res, PG_DIAG_SQLSTATE),
                               PQresultErrorField(res, PG_DIAG_SOURCE_FILE),
                               PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY),
                               PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL), why, sizeof why)) {
        pg_error(pg, res, "query"); /* the caller rolls the transaction back */
        PQclear(res);
        return failed(st);
    }
    PQclear(res);
    if (run(pg, "ROLLBACK TO ccn_row; RELEASE ccn_row"))
        return failed(st);
    pg->changes = 0;
    st->on_refusal(st->refusal_arg, st->tag, why);
    return 0;
}

int ccn_pg_step(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    if (st->copying)
        return copy_row(st);
    if (!st->started) {
        st->started = true;
        if (st->query) {
            if (pg->tx == TX_NONE) {
                if (run(pg, "BEGIN"))
                    return -1;
                pg->tx = TX_READ;
            }
            snprintf(st->name, sizeof st->name, "ccn_c%u", ++pg->next_cursor);
            size_t n = strlen(st->sql) + 64;
            char *decl = malloc(n);
            if (!decl) {
                ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
                return -1;
            }
            snprintf(decl, n, "DECLARE %s NO SCROLL CURSOR FOR %s", st->name, st->sql);
            PGresult *res = exec_params(st, decl);
            free(decl);
            if (PQresultStatus(res) != PGRES_COMMAND_OK) {
                pg_error(pg, res, "query");
                PQclear(res);
                return failed(st);
            }
            PQclear(res);
            st->cursor = true;
            st->cursor_epoch = pg->epoch;
            pg->cursors++;
            if (fetch(st) < 0)
                return failed(st);
        } else if (st->on_refusal && pg->tx == TX_WRITE) {
            return refusable_step(st);
        } else {
            PGresult *res = exec_params(st, st->sql);
            ExecStatusType rs = PQresultStatus(res);
            if (rs != PGRES_COMMAND_OK && rs != PGRES_TUPLES_OK) {
                pg_error(pg, res, "query");
                PQclear(res);
                return failed(st);
            }
            const char *n = PQcmdTuples(res);
            pg->changes = n && *n ? strtoll(n, NULL, 10) : 0;
            if (!new_result(st, res)) {
                ccn_error(pg->ctx, CCN_ERR_INTERNAL, "out of memory");
                return -1;
            }
            st->last_batch = true;
        }
    }
    if (!st->res)
        return 0;
    clear_decoded(st);
    if (st->row < st->nrows && ++st->row < st->nrows)
        return 1;
    if (st->cursor && !st->last_batch) {
        if (fetch(st) < 0)
            return failed(st);
        if (++st->row < st->nrows)
            return 1;
    }
    /* Done: the cursor closed (like SQLite's statement, it holds no lock
     * now); the last batch is kept for its column descriptions. */
    close_cursor(st);
    st->row = st->nrows;
    return 0;
}

/* ------------------------------------------------------------ binding */

static param *slot(ccn_pg_stmt *st, int i)
{
    if (i < 1 || i > st->nparams)
        return NULL;
    param *p = &st->params[i - 1];
    free(p->v);
    *p = (param){.set = true};
    return p;
}

void ccn_pg_bind_null(ccn_pg_stmt *st, int i) { slot(st, i); }

void ccn_pg_bind_int(ccn_pg_stmt *st, int i, int64_t v)
{
    param *p = slot(st, i);
    char s[32];
    snprintf(s, sizeof s, "%lld", (long long)v);
    if (p && (p->v = strdup(s)))
        p->oid = OID_INT8;
}

void ccn_pg_bind_double(ccn_pg_stmt *st, int i, double v)
{
    param *p = slot(st, i);
    char s[40];
    if (isnan(v))
        snprintf(s, sizeof s, "NaN");
    else if (isinf(v))
        snprintf(s, sizeof s, "%sInfinity", v < 0 ? "-" : "");
    else
        snprintf(s, sizeof s, "%.17g", v);
    if (p && (p->v = strdup(s)))
        p->oid = OID_FLOAT8;
}

void ccn_pg_bind_text(ccn_pg_stmt *st, int i, const char *v)
{
    param *p = slot(st, i);
    if (p && v)
        p->v = strdup(v);
}

void ccn_pg_bind_blob(ccn_pg_stmt *st, int i, const void *v, size_t n)
{
    param *p = slot(st, i);
    if (p && (p->v = malloc(n ? n : 1))) {
        if (n)
            memcpy(p->v, v, n);
        p->len = (int)n;
        p->format = 1;
        p->oid = OID_BYTEA;
    }
}

/* 2D little-endian ISO WKB as EWKB: the SRID flag and the SRID after the
 * type, the body unchanged. */
bool ccn_pg_bind_geometry(ccn_pg_stmt *st, int i, const unsigned char *wkb, size_t n, int srid)
{
    if (n < 5 || wkb[0] != 1)
        return false;
    uint32_t type;
    memcpy(&type, wkb + 1, 4);
    if (type != 1 && type != 3 && type != 6)
        return false;
    param *p = slot(st, i);
    if (!p || !(p->v = malloc(n + 4)))
        return false;
    uint32_t ewkb_type = type | 0x20000000u;
    int32_t s = srid;
    p->v[0] = 1;
    memcpy(p->v + 1, &ewkb_type, 4);
    memcpy(p->v + 5, &s, 4);
    memcpy(p->v + 9, wkb + 5, n - 5);
    p->len = (int)(n + 4);
    p->format = 1;
    p->oid = st->pg->geometry_oid;
    return true;
}

/* ------------------------------------------------------------ columns */

static bool has_row(ccn_pg_stmt *st, int col)
{
    return st->res && st->row >= 0 && st->row < st->nrows && col >= 0 && col < PQnfields(st->res);
}

bool ccn_pg_is_null(ccn_pg_stmt *st, int col)
{
    return !has_row(st, col) || PQgetisnull(st->res, st->row, col);
}

const char *ccn_pg_text(ccn_pg_stmt *st, int col)
{
    if (ccn_pg_is_null(st, col))
        return NULL;
    const char *v = PQgetvalue(st->res, st->row, col);
    if (PQftype(st->res, col) == OID_BOOL)
        return *v == 't' ? "1" : "0";
    return v;
}

int64_t ccn_pg_int(ccn_pg_stmt *st, int col)
{
    const char *v = ccn_pg_text(st, col);
    if (!v)
        return 0;
    if (strpbrk(v, ".eE"))
        return (int64_t)strtod(v, NULL);
    return strtoll(v, NULL, 10);
}

double ccn_pg_double(ccn_pg_stmt *st, int col)
{
    const char *v = ccn_pg_text(st, col);
    return v ? strtod(v, NULL) : 0;
}

/* A bytea column decoded from its hex text; other columns as their text. */
const void *ccn_pg_blob(ccn_pg_stmt *st, int col, size_t *n)
{
    *n = 0;
    const char *v = ccn_pg_text(st, col);
    if (!v)
        return NULL;
    if (PQftype(st->res, col) != OID_BYTEA || strncmp(v, "\\x", 2) != 0) {
        *n = strlen(v);
        return v;
    }
    if (!st->decoded[col]) {
        size_t len = (strlen(v) - 2) / 2;
        unsigned char *d = malloc(len ? len : 1);
        if (!d)
            return NULL;
        const char *h = v + 2;
        for (size_t k = 0; k < len; k++, h += 2)
            d[k] = (unsigned char)(ccn_textenc_hex_digit(h[0]) << 4 |
                                   ccn_textenc_hex_digit(h[1]));
        st->decoded[col] = (char *)d;
        st->decoded_n[col] = len;
    }
    *n = st->decoded_n[col];
    return st->decoded[col];
}

int ccn_pg_column_count(ccn_pg_stmt *st) { return st->res ? PQnfields(st->res) : 0; }

const char *ccn_pg_column_name(ccn_pg_stmt *st, int col)
{
    return st->res && col >= 0 && col < PQnfields(st->res) ? PQfname(st->res, col) : NULL;
}

/* A table column's type in SQLite's words (what ccn copy declares a column
 * with), NULL for an expression. */
const char *ccn_pg_column_decltype(ccn_pg_stmt *st, int col)
{
    if (!st->res || col < 0 || col >= PQnfields(st->res) || PQftable(st->res, col) == InvalidOid)
        return NULL;
    unsigned oid = PQftype(st->res, col);
    switch (oid) {
    case 20: case 21: case 23: return "INTEGER";
    case 700: case 701: case 1700: return "REAL";
    case 25: case 1042: case 1043: case 19: return "TEXT";
    case 16: return "BOOLEAN";
    case 17: return "BLOB";
    case 1114: case 1184: return "TIMESTAMP";
    default: return oid == st->pg->geometry_oid ? "GEOMETRY" : NULL;
    }
}

ccn_value_type ccn_pg_type(ccn_pg_stmt *st, int col)
{
    if (ccn_pg_is_null(st, col))
        return CCN_VALUE_NULL;
    switch (PQftype(st->res, col)) {
    case 16: case 20: case 21: case 23: case 26: return CCN_VALUE_INT;
    case 700: case 701: case 1700: return CCN_VALUE_REAL;
    case 17: return CCN_VALUE_BLOB;
    default: return CCN_VALUE_TEXT;
    }
}

bool ccn_pg_has_table(ccn_pg *pg, const char *name)
{
    const char *p[2] = {pg->schema, name};
    PGresult *res = query(pg,
                          "SELECT count(*) FROM pg_class c JOIN pg_namespace n"
                          " ON n.oid = c.relnamespace WHERE n.nspname = $1"
                          " AND c.relname = lower($2) AND c.relkind IN ('r', 'v', 'p', 'm')",
                          2, p);
    bool has = res && atoi(PQgetvalue(res, 0, 0)) > 0;
    PQclear(res);
    return has;
}

/* ------------------------------------------------------------ COPY */

/* "INSERT INTO t (a, b) VALUES ($1, $2)" as "COPY t (key, a, b) FROM STDIN",
 * key the table's integer key (fid; findings' id); false if the statement
 * is of another shape. */
static bool copy_sql(const char *sql, int nparams, const char *key, char *out, size_t n)
{
    char table[64], cols[512];
    int used = 0;
    if (sscanf(sql, "INSERT INTO %63s (%511[^)]) VALUES (%n", table, cols, &used) != 2 || !used)
        return false;
    const char *p = sql + used;
    for (int k = 1; k <= nparams; k++) {
        char want[16];
        snprintf(want, sizeof want, "$%d", k);
        while (*p == ' ' || *p == ',')
            p++;
        if (strncmp(p, want, strlen(want)) != 0)
            return false;
        p += strlen(want);
    }
    while (*p == ' ')
        p++;
    if (strcmp(p, ")") != 0)
        return false;
    return snprintf(out, n, "COPY %s (%s, %s) FROM STDIN", table, key, cols) < (int)n;
}

ccn_status ccn_pg_set_async(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    char copy[700], table[64];
    if (sscanf(st->sql, "INSERT INTO %63s", table) != 1)
        return CCN_OK; /* another shape: it runs row by row */
    /* findings' own key is id: its fid is the id of the feature found */
    const char *key = ccn_store_key(table);
    if (!copy_sql(st->sql, st->nparams, key, copy, sizeof copy))
        return CCN_OK;
    /* The keys SQLite would give: after the largest one. */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT coalesce(max(%s), 0) FROM %s", key, table);
    PGresult *res = query(pg, sql, 0, NULL);
    if (!res)
        return CCN_ERR_INTERNAL;
    st->next_fid = strtoll(PQgetvalue(res, 0, 0), NULL, 10) + 1;
    PQclear(res);
    if (st->on_refusal) { /* each batch starts its own COPY */
        snprintf(st->copy, sizeof st->copy, "%s", copy);
        st->copying = true;
        return CCN_OK;
    }
    res = PQexec(pg->conn, copy);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        ccn_status s = pg_error(pg, res, "copy");
        PQclear(res);
        return s;
    }
    PQclear(res);
    st->copying = true;
    return CCN_OK;
}

static bool line_put(ccn_pg_stmt *st, size_t *w, const char *s, size_t n)
{
    if (*w + n + 2 > st->line_cap) {
        size_t cap = (*w + n + 2) * 2;
        char *l = realloc(st->line, cap);
        if (!l)
            return false;
        st->line = l, st->line_cap = cap;
    }
    memcpy(st->line + *w, s, n);
    *w += n;
    return true;
}

/* The bound row as a line of COPY's text format, after its fid, in
 * st->line (w bytes); false when memory runs out. */
static bool row_line(ccn_pg_stmt *st, size_t *pw)
{
    static const char hex[] = "0123456789abcdef";
    size_t w = *pw;
    bool ok = true;
    for (int i = 0; ok && i < st->nparams; i++) {
        const param *p = &st->params[i];
        ok = line_put(st, &w, "\t", 1);
        if (!ok)
            break;
        if (!p->v) {
            ok = line_put(st, &w, "\\N", 2);
        } else if (p->format == 1) { /* geometry (EWKB) or bytea, as hex */
            bool bytea = p->oid == OID_BYTEA;
            ok = !bytea || line_put(st, &w, "\\\\x", 3);
            for (int b = 0; ok && b < p->len; b++) {
                unsigned char c = (unsigned char)p->v[b];
                char h[2] = {hex[c >> 4], hex[c & 15]};
                ok = line_put(st, &w, h, 2);
            }
        } else {
            for (const char *c = p->v; ok && *c; c++) {
                const char *esc = *c == '\\' ? "\\\\" : *c == '\t' ? "\\t" : *c == '\n' ? "\\n"
                                                      : *c == '\r' ? "\\r" : NULL;
                ok = esc ? line_put(st, &w, esc, 2) : line_put(st, &w, c, 1);
            }
        }
    }
    ok = ok && line_put(st, &w, "\n", 1);
    clear_params(st);
    *pw = w;
    return ok;
}

static int batch_row(ccn_pg_stmt *st);

static int copy_row(ccn_pg_stmt *st)
{
    if (st->on_refusal)
        return batch_row(st);
    size_t w = 0;
    char fid[32];
    int k = snprintf(fid, sizeof fid, "%lld", (long long)st->next_fid++);
    if (!line_put(st, &w, fid, (size_t)k) || !row_line(st, &w)) {
        ccn_error(st->pg->ctx, CCN_ERR_INTERNAL, "out of memory");
        return -1;
    }
    if (PQputCopyData(st->pg->conn, st->line, (int)w) != 1) {
        pg_error(st->pg, NULL, "copy");
        return -1;
    }
    return 0;
}

static ccn_status batch_end(ccn_pg_stmt *st);
static ccn_status failed_again(ccn_pg_stmt *st);

ccn_status ccn_pg_flush(ccn_pg_stmt *st)
{
    if (!st->copying)
        return CCN_OK;
    if (st->on_refusal) {
        ccn_status s = st->failure ? failed_again(st) : batch_end(st);
        st->copying = false;
        return s;
    }
    st->copying = false;
    ccn_pg *pg = st->pg;
    ccn_status s = CCN_OK;
    if (PQputCopyEnd(pg->conn, NULL) != 1)
        s = pg_error(pg, NULL, "copy");
    PGresult *res;
    while ((res = PQgetResult(pg->conn))) {
        if (!s && PQresultStatus(res) != PGRES_COMMAND_OK)
            s = pg_error(pg, res, "copy");
        else if (!s) {
            const char *n = PQcmdTuples(res);
            pg->changes = n && *n ? strtoll(n, NULL, 10) : 0;
        }
        PQclear(res);
    }
    return s;
}

/* ------------------------------------------------------------ COPY in batches
 *
 * With a refusal handler (an import), a COPY carries at most BATCH_ROWS rows
 * (or BATCH_BYTES) under the savepoint ccn_copy, and its lines are kept until
 * the server took them. A batch the server refuses is rolled back to the
 * savepoint and sent again without the row its error names (COPY's context
 * says "line N"): the rows before it in one COPY, the rows after in another.
 * An error naming no line splits the rows in halves until one row is left.
 * Clean data costs a savepoint per batch; a refused row, the rows before it
 * again and those after it in growing COPYs (resend). Not a savepoint per row, and batches this large: past 64
 * subtransactions in one transaction every other session's snapshots get
 * slower, and 16 MB batches keep 3,000,000 parcels (some 260 bytes a line)
 * under 50. */
enum { BATCH_ROWS = 65536, BATCH_BYTES = 16 << 20 };

void ccn_pg_on_refusal(ccn_pg_stmt *st, ccn_refusal_fn fn, void *arg)
{
    st->on_refusal = fn;
    st->refusal_arg = arg;
}

void ccn_pg_tag(ccn_pg_stmt *st, int64_t tag) { st->tag = tag; }

/* Open a batch's COPY under the savepoint. */
static ccn_status copy_start(ccn_pg_stmt *st)
{
    ccn_pg *pg = st->pg;
    ccn_status s = run(pg, "SAVEPOINT ccn_copy");
    if (s)
        return s;
    PGresult *res = PQexec(pg->conn, st->copy);
    if (PQresultStatus(res) != PGRES_COPY_IN)
        s = pg_error(pg, res, "copy");
    PQclear(res);
    st->in_batch = !s;
    st->cut = false;
    return s;
}

/* Send kept row r with the next fid; a server that stopped the COPY (it
 * refused a row) leaves it cut, the rest of the batch kept only. */
static void send_row(ccn_pg_stmt *st, size_t r)
{
    char fid[32];
    int k = snprintf(fid, sizeof fid, "%lld", (long long)st->next_fid++);
    size_t end = r + 1 < st->nrows_kept ? st->row_off[r + 1] : st->rows_len;
    if (!st->cut && (PQputCopyData(st->pg->conn, fid, k) != 1 ||
                     PQputCopyData(st->pg->conn, st->rows + st->row_off[r],
                                   (int)(end - st->row_off[r])) != 1))
        st->cut = true;
}

/* End the open COPY: CCN_OK and *err NULL when the server took it, *err its
 * error (the caller PQclears) when it did not; another status when the
 * connection failed. */
static ccn_status copy_finish(ccn_pg_stmt *st, PGresult **err)
{
    ccn_pg *pg = st->pg;
    *err = NULL;
    st->in_batch = false;
    if (!st->cut)
        PQputCopyEnd(pg->conn, NULL); /* a failure shows in the result */
    bool taken = false, ended = !st->cut;
    PGresult *res;
    while ((res = PQgetResult(pg->conn))) {
        ExecStatusType rs = PQresultStatus(res);
        if (rs == PGRES_COPY_IN && !ended) { /* still open: end it */
            ended = true;
            PQputCopyEnd(pg->conn, "ccn: the batch is sent again");
        } else if (rs == PGRES_COPY_IN) {
            PQclear(res);
            break; /* libpq takes no end: the connection is gone */
        }
        taken |= rs == PGRES_COMMAND_OK;
        if (rs != PGRES_COMMAND_OK && rs != PGRES_COPY_IN && !*err) {
            *err = res;
            continue;
        }
        PQclear(res);
    }
    if (!taken && !*err)
        return pg_error(pg, NULL, "copy");
    return CCN_OK;
}

/* End the open COPY and release its savepoint, or roll back to it when the
 * server refused the rows (*err set; fids count again from first). */
static ccn_status batch_close(ccn_pg_stmt *st, int64_t first, PGresult **err)
{
    ccn_status s = copy_finish(st, err);
    if (s)
        return s;
    s = run(st->pg, *err ? "ROLLBACK TO ccn_copy; RELEASE ccn_copy" : "RELEASE ccn_copy");
    if (*err)
        st->next_fid = first;
    if (s && *err) {
        PQclear(*err);
        *err = NULL;
    }
    return s;
}

/* Kept rows [a, b) in a COPY of their own (see batch_close). */
static ccn_status copy_rows(ccn_pg_stmt *st, size_t a, size_t b, PGresult **err)
{
    int64_t first = st->next_fid;
    *err = NULL;
    ccn_status s = copy_start(st);
    for (size_t r = a; !s && r < b && !st->cut; r++)
        send_row(st, r);
    return s ? s : batch_close(st, first, err);
}

/* The row a COPY error names, from 1 ("COPY parcels, line 12" in its
 * context); 0 when it names none (a server speaking another language). */
static size_t error_line(const PGresult *err)
{
    const char *c = PQresultErrorField(err, PG_DIAG_CONTEXT);
    const char *copy = c ? strstr(c, "COPY ") : NULL;
    const char *line = copy ? strstr(copy, ", line ") : NULL;
    return line ? (size_t)strtoull(line + 7, NULL, 10) : 0;
}

/* After a refusal the rows that follow go again in COPYs of this many,
 * doubling while the server takes them: a batch with many refused rows is
 * not sent again whole after each (some 65,536 rows times the refusals). */
enum { RESEND_ROWS = 1024 };

/* Kept rows [a, b) again, in order, each one the server refuses left out
 * and handed to the refusal handler; err, when given, is the error these
 * rows got already (taken over). chunk: rows a COPY carries until the first
 * refusal (SIZE_MAX: all). */
static ccn_status resend(ccn_pg_stmt *st, size_t a, size_t b, PGresult *err, size_t chunk)
{
    ccn_status s = CCN_OK;
    size_t end = b;
    while (a < b) {
        if (!err) {
            end = b - a > chunk ? a + chunk : b;
            if ((s = copy_rows(st, a, end, &err)))
                break;
            if (!err) {
                a = end;
                chunk = chunk > SIZE_MAX / 2 ? SIZE_MAX : 2 * chunk;
                continue;
            }
        }
        char why[512];
        if (!ccn_pgmessage_refusal(PQresultErrorField(err, PG_DIAG_SQLSTATE),
                                   PQresultErrorField(err, PG_DIAG_SOURCE_FILE),
                                   PQresultErrorField(err, PG_DIAG_MESSAGE_PRIMARY),
                                   PQresultErrorField(err, PG_DIAG_MESSAGE_DETAIL), why,
                                   sizeof why)) {
            s = pg_error(st->pg, err, "copy");
            break;
        }
        size_t line = error_line(err);
        PQclear(err);
        err = NULL;
        size_t bad = line >= 1 && line <= end - a ? a + line - 1 : end - a == 1 ? a : SIZE_MAX;
        if (bad == SIZE_MAX) { /* no row named: halves */
            size_t mid = a + (end - a) / 2;
            if ((s = resend(st, a, mid, NULL, SIZE_MAX)))
                break;
            a = mid;
            continue;
        }
        /* the rows before it the server took: one COPY */
        if (bad > a && (s = resend(st, a, bad, NULL, SIZE_MAX)))
            break;
        st->on_refusal(st->refusal_arg, st->row_tag[bad], why);
        a = bad + 1;
        chunk = RESEND_ROWS;
    }
    PQclear(err);
    return s;
}

/* The statement failed with s (its message in the context): kept, for the
 * steps and the flush that come after. */
static ccn_status batch_failed(ccn_pg_stmt *st, ccn_status s)
{
    st->failure = s;
    snprintf(st->failure_msg, sizeof st->failure_msg, "%s", ccn_ctx_message(st->pg->ctx));
    return s;
}

/* The failure again, into the context. */
static ccn_status failed_again(ccn_pg_stmt *st)
{
    return ccn_error(st->pg->ctx, st->failure, "%s", st->failure_msg);
}

/* End the batch: the server took it, or it went again without the rows
 * it refused. */
static ccn_status batch_end(ccn_pg_stmt *st)
{
    ccn_status s = CCN_OK;
    if (st->in_batch) {
        PGresult *err = NULL;
        s = batch_close(st, st->batch_fid, &err);
        if (!s && err)
            s = resend(st, 0, st->nrows_kept, err, RESEND_ROWS);
    }
    st->nrows_kept = st->rows_len = 0;
    return s ? batch_failed(st, s) : CCN_OK;
}

/* The bound row into the batch: kept, and sent at once (the server works
 * while the caller reads the next features). */
static int batch_row(ccn_pg_stmt *st)
{
    size_t w = 0;
    if (st->failure) {
        clear_params(st);
        failed_again(st);
        return -1;
    }
    bool ok = row_line(st, &w) &&
              ccn_grow((void **)&st->rows, &st->rows_cap, st->rows_len + w, 1) &&
              ccn_grow((void **)&st->row_off, &st->row_cap, st->nrows_kept + 1,
                       sizeof *st->row_off) &&
              ccn_grow((void **)&st->row_tag, &st->tag_cap, st->nrows_kept + 1,
                       sizeof *st->row_tag);
    if (!ok) {
        batch_failed(st, ccn_error(st->pg->ctx, CCN_ERR_INTERNAL, "out of memory"));
        return -1;
    }
    if (!st->in_batch) {
        st->batch_fid = st->next_fid;
        ccn_status s = copy_start(st);
        if (s) {
            batch_failed(st, s);
            return -1;
        }
    }
    memcpy(st->rows + st->rows_len, st->line, w);
    st->row_off[st->nrows_kept] = st->rows_len;
    st->row_tag[st->nrows_kept] = st->tag;
    st->rows_len += w;
    send_row(st, st->nrows_kept++);
    if ((st->nrows_kept >= BATCH_ROWS || st->rows_len >= BATCH_BYTES) && batch_end(st))
        return -1;
    return 0;
}

/* A batch still open when the statement is freed belongs to a failed
 * command: ended without sending it again (the caller rolls back). */
static void copy_abandon(ccn_pg_stmt *st)
{
    if (st->in_batch) {
        PQputCopyEnd(st->pg->conn, "ccn: abandoned");
        PGresult *res;
        while ((res = PQgetResult(st->pg->conn)))
            PQclear(res);
        st->in_batch = false;
    }
    st->copying = false;
}
