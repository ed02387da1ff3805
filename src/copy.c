/* copy — a whole workspace between stores; see copy.h.
 *
 * The tables are ccn's own, listed below with the column that orders their
 * rows. Columns are taken from the source as it is (an older workspace may
 * lack one a newer has: the target gains it), so the code never needs to
 * know a table's columns; a column named `geom` travels as WKB. */
#include "copy.h"

#include "multiuser.h"
#include "output.h"
#include "qgisstyle.h"
#include "sha256.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static const struct {
    const char *name;
    const char *key;  /* orders the rows */
    bool text_key;    /* sorted by text: collations differ, so the digest sorts itself */
} tables[] = {
    {"ccn_meta", "key", true},          {"clusters", "fid", false},
    {"lots", "fid", false},             {"leases", "fid", false},
    {"parcels", "fid", false},          {"plan", "fid", false},
    {"communes", "fid", false},         {"markers", "fid", false},
    {"findings", "id", false},           {"imports", "fid", false},
    {"landuse_codes", "code", true},    {"commune_registry", "code", true},
    {"tolerances", "key", true},        {"palette", "key", true},
    {"layer_styles", "id", false},      {"audit", "fid", false},
};
enum { NTABLES = sizeof tables / sizeof *tables };

/* Rows left out of the copy and the digest: the bookkeeping of copies and
 * the workspace's own id stay with each workspace; ccn's QGIS styles are
 * remade from the palette (each carries the time it was written). */
static const char *row_filter(const char *table)
{
    if (strcmp(table, "ccn_meta") == 0)
        return " WHERE key <> 'workspace_id' AND key NOT LIKE 'copy.%'";
    if (strcmp(table, "layer_styles") == 0)
        return " WHERE coalesce(stylename, '') <> 'ccn'";
    return "";
}

static bool is_uri(const char *ws)
{
    return strncmp(ws, "postgresql://", 13) == 0 || strncmp(ws, "postgres://", 11) == 0;
}


/* ------------------------------------------------------------ columns */

typedef struct {
    int n;
    char **name;     /* lower case */
    char **decltype; /* may be NULL */
    int *order;      /* column indexes sorted by name, for the digest */
} columns;

static void columns_free(columns *c)
{
    for (int i = 0; i < c->n; i++) {
        free(c->name[i]);
        free(c->decltype[i]);
    }
    free(c->name);
    free(c->decltype);
    free(c->order);
    *c = (columns){0};
}

static char **sort_names; /* qsort has no user pointer */
static int by_name(const void *a, const void *b)
{
    return strcmp(sort_names[*(const int *)a], sort_names[*(const int *)b]);
}

static ccn_status table_columns(ccn_store *s, const char *table, columns *c)
{
    /* A row is stepped: a PostgreSQL result describes its columns only
     * while it holds one. An empty table may then have no columns (n = 0),
     * which is all that is needed of it: it has nothing to copy or hash. */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT * FROM %s LIMIT 1", table);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(s, sql, &q);
    if (st)
        return st;
    if (ccn_stmt_step(q) < 0) {
        ccn_stmt_free(q);
        return CCN_ERR_INTERNAL;
    }
    c->n = ccn_stmt_column_count(q);
    c->name = calloc((size_t)c->n + 1, sizeof *c->name);
    c->decltype = calloc((size_t)c->n + 1, sizeof *c->decltype);
    c->order = calloc((size_t)c->n + 1, sizeof *c->order);
    if (!c->name || !c->decltype || !c->order) {
        st = ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (int i = 0; i < c->n; i++) {
        const char *d = ccn_stmt_column_decltype(q, i);
        c->name[i] = strdup(ccn_stmt_column_name(q, i));
        c->decltype[i] = d ? strdup(d) : NULL;
        if (!c->name[i]) {
            st = ccn_error(ccn_store_ctx(s), CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        for (char *p = c->name[i]; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        c->order[i] = i;
    }
    sort_names = c->name;
    qsort(c->order, (size_t)c->n, sizeof *c->order, by_name);
done:
    ccn_stmt_free(q);
    if (st)
        columns_free(c);
    return st;
}

static int column_index(const columns *c, const char *name)
{
    for (int i = 0; i < c->n; i++)
        if (strcmp(c->name[i], name) == 0)
            return i;
    return -1;
}

/* "SELECT a, b, AsBinary(geom) FROM t WHERE … ORDER BY key": the table's
 * rows with geometry as WKB. Names are quoted in lower case, which both
 * SQLite (case-blind) and PostgreSQL (folds to lower case) resolve. */
static char *select_sql(const columns *c, int t)
{
    size_t cap = 256 + (size_t)c->n * 80;
    char *sql = malloc(cap);
    if (!sql)
        return NULL;
    size_t len = (size_t)snprintf(sql, cap, "SELECT ");
    for (int i = 0; i < c->n; i++)
        len += (size_t)snprintf(sql + len, cap - len,
                                strcmp(c->name[i], "geom") == 0 ? "%sAsBinary(geom)" : "%s\"%s\"",
                                i ? ", " : "", c->name[i]);
    snprintf(sql + len, cap - len, " FROM %s%s ORDER BY \"%s\"", tables[t].name,
             row_filter(tables[t].name), tables[t].key);
    return sql;
}

/* ------------------------------------------------------------- digest */

/* One value into the hash: its type and its bytes, length first, so no
 * two different rows hash alike. */
static void hash_value(ccn_sha256 *h, ccn_stmt *q, int col)
{
    char buf[64];
    int n = 0;
    switch (ccn_stmt_type(q, col)) {
    case CCN_VALUE_NULL: n = snprintf(buf, sizeof buf, "N"); break;
    case CCN_VALUE_INT: n = snprintf(buf, sizeof buf, "i%lld", (long long)ccn_stmt_int(q, col)); break;
    case CCN_VALUE_REAL: {
        double v = ccn_stmt_double(q, col);
        if (v == floor(v) && fabs(v) < 9007199254740992.0) /* 2^53: exact as an integer */
            n = snprintf(buf, sizeof buf, "i%lld", (long long)v);
        else
            n = snprintf(buf, sizeof buf, "r%.17g", v);
        break;
    }
    case CCN_VALUE_TEXT: {
        const char *t = ccn_stmt_text(q, col);
        size_t len = strlen(t);
        n = snprintf(buf, sizeof buf, "t%zu:", len);
        ccn_sha256_update(h, buf, (size_t)n);
        ccn_sha256_update(h, t, len);
        n = 0;
        break;
    }
    case CCN_VALUE_BLOB: {
        size_t len = 0;
        const void *b = ccn_stmt_blob(q, col, &len);
        n = snprintf(buf, sizeof buf, "b%zu:", len);
        ccn_sha256_update(h, buf, (size_t)n);
        ccn_sha256_update(h, b, len);
        n = 0;
        break;
    }
    }
    if (n > 0)
        ccn_sha256_update(h, buf, (size_t)n);
}

/* The row just stepped, its columns in name order. */
static void hash_row(ccn_sha256 *h, ccn_stmt *q, const columns *c)
{
    for (int k = 0; k < c->n; k++) {
        int i = c->order[k];
        ccn_sha256_update(h, c->name[i], strlen(c->name[i]) + 1);
        hash_value(h, q, i);
    }
    ccn_sha256_update(h, "\n", 1);
}

static int by_hash(const void *a, const void *b) { return memcmp(a, b, 65); }

/* Rows sorted by a text key: hash each row alone, then the sorted hashes,
 * so the back end's collation does not matter (these tables are small). */
typedef struct {
    char (*hex)[65];
    size_t n, cap;
} row_hashes;

static bool keep_row_hash(row_hashes *r, ccn_stmt *q, const columns *c)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        void *p = realloc(r->hex, cap * sizeof *r->hex);
        if (!p)
            return false;
        r->hex = p, r->cap = cap;
    }
    ccn_sha256 h;
    ccn_sha256_init(&h);
    hash_row(&h, q, c);
    ccn_sha256_hex(&h, r->hex[r->n++]);
    return true;
}

/* ---------------------------------------------------------- one table */

/* Copy (dst non-NULL) and/or hash (h non-NULL) table t of src. */
static ccn_status copy_table(ccn_store *src, ccn_store *dst, int t, ccn_sha256 *h,
                             int64_t *rows)
{
    ccn_ctx *ctx = ccn_store_ctx(src);
    const char *name = tables[t].name;
    columns c = {0};
    ccn_stmt *q = NULL, *ins = NULL;
    char *sql = NULL, *insert = NULL;
    row_hashes sorted = {0};
    int geom = -1;
    bool bulk = false;
    ccn_status st = table_columns(src, name, &c);
    if (st)
        goto done;
    geom = column_index(&c, "geom");
    if (c.n == 0) { /* no rows: the target's are removed, the digest has the name */
        if (h)
            ccn_sha256_update(h, name, strlen(name) + 1);
        if (dst) {
            char del[160];
            snprintf(del, sizeof del, "DELETE FROM %s", name);
            st = ccn_store_exec(dst, del);
        }
        goto done;
    }
    if (!(sql = select_sql(&c, t))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (h) {
        ccn_sha256_update(h, name, strlen(name) + 1);
    }
    if (dst) {
        char del[160];
        snprintf(del, sizeof del, "DELETE FROM %s%s", name, row_filter(name));
        if (strcmp(name, "layer_styles") == 0) /* ccn's own are remade after */
            snprintf(del, sizeof del, "DELETE FROM layer_styles");
        if ((st = ccn_store_exec(dst, del)))
            goto done;
        size_t cap = 128 + (size_t)c.n * 96;
        if (!(insert = malloc(cap))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        size_t len;
        if (!ccn_store_has_table(dst, name)) {
            /* A table the target's (older) ccn did not make: made from the source's columns. */
            len = (size_t)snprintf(insert, cap, "CREATE TABLE %s (", name);
            for (int i = 0; i < c.n; i++)
                len += (size_t)snprintf(insert + len, cap - len, "%s\"%s\" %s%s", i ? ", " : "",
                                        c.name[i], c.decltype[i] ? c.decltype[i] : "",
                                        strcmp(c.name[i], tables[t].key) == 0 ? " PRIMARY KEY" : "");
            snprintf(insert + len, cap - len, ")");
            if ((st = ccn_store_exec(dst, insert)))
                goto done;
        }
        len = (size_t)snprintf(insert, cap, "INSERT INTO %s (", name);
        for (int i = 0; i < c.n; i++) {
            /* A column the target's (older) schema lacks is added. */
            if ((st = ccn_store_add_column(dst, name, c.name[i],
                                           c.decltype[i] ? c.decltype[i] : "")))
                goto done;
            len += (size_t)snprintf(insert + len, cap - len, "%s\"%s\"", i ? ", " : "", c.name[i]);
        }
        len += (size_t)snprintf(insert + len, cap - len, ") VALUES (");
        for (int i = 0; i < c.n; i++)
            len += (size_t)snprintf(insert + len, cap - len, "%s?%d", i ? ", " : "", i + 1);
        snprintf(insert + len, cap - len, ")");
        if ((st = ccn_stmt_prepare(dst, insert, &ins)))
            goto done;
        if (geom >= 0) {
            if ((st = ccn_store_bulk_begin(dst, name, -1)))
                goto done;
            bulk = true;
        }
    }
    if ((st = ccn_stmt_prepare(src, sql, &q)))
        goto done;
    long total = dst ? (long)ccn_store_count(src, name) : 0, done_rows = 0;
    int row;
    while ((row = ccn_stmt_step(q)) == 1) {
        if (h && tables[t].text_key) {
            if (!keep_row_hash(&sorted, q, &c)) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
        } else if (h) {
            hash_row(h, q, &c);
        }
        if (!ins)
            continue;
        ccn_stmt_reset(ins);
        for (int i = 0; i < c.n; i++) {
            size_t n = 0;
            const void *b;
            switch (ccn_stmt_type(q, i)) {
            case CCN_VALUE_INT: ccn_stmt_bind_int(ins, i + 1, ccn_stmt_int(q, i)); break;
            case CCN_VALUE_REAL: ccn_stmt_bind_double(ins, i + 1, ccn_stmt_double(q, i)); break;
            case CCN_VALUE_TEXT: ccn_stmt_bind_text(ins, i + 1, ccn_stmt_text(q, i)); break;
            case CCN_VALUE_BLOB:
                b = ccn_stmt_blob(q, i, &n);
                if (i != geom) {
                    ccn_stmt_bind_blob(ins, i + 1, b, n);
                } else if (!ccn_stmt_bind_geometry(ins, i + 1, b, n)) {
                    st = ccn_error(ctx, CCN_ERR_INPUT,
                                   "%s: %s row %lld: its geometry is not a point, polygon or "
                                   "multipolygon",
                                   ccn_store_path(src), name, (long long)(*rows + 1));
                    goto done;
                }
                break;
            default: ccn_stmt_bind_null(ins, i + 1);
            }
        }
        if (ccn_stmt_step(ins) < 0) {
            st = CCN_ERR_INTERNAL;
            goto done;
        }
        (*rows)++;
        if (++done_rows % 1000 == 0)
            ccn_progress(ctx, name, done_rows, total);
    }
    if (row < 0) {
        st = CCN_ERR_INTERNAL;
        goto done;
    }
    if (h && tables[t].text_key) {
        if (sorted.n)
            qsort(sorted.hex, sorted.n, sizeof *sorted.hex, by_hash);
        for (size_t i = 0; i < sorted.n; i++)
            ccn_sha256_update(h, sorted.hex[i], 65);
    }
    if (bulk) {
        bulk = false;
        if ((st = ccn_store_bulk_end(dst, name)) || (st = ccn_store_update_extent(dst, name)))
            goto done;
    }
done:
    ccn_stmt_free(q);
    ccn_stmt_free(ins);
    free(sql);
    free(insert);
    free(sorted.hex);
    columns_free(&c);
    return st;
}

/* Copy (dst non-NULL) and/or hash (hex non-NULL) every table src holds. */
static ccn_status copy_all(ccn_store *src, ccn_store *dst, char hex[65], ccn_copy_result *res)
{
    ccn_sha256 h;
    ccn_sha256_init(&h);
    int64_t rows = 0;
    ccn_status st = CCN_OK;
    for (int t = 0; t < NTABLES && !st; t++) {
        if (!ccn_store_has_table(src, tables[t].name)) {
            /* The target keeps no rows the source does not have. */
            if (dst && ccn_store_has_table(dst, tables[t].name)) {
                char del[96];
                snprintf(del, sizeof del, "DELETE FROM %s", tables[t].name);
                st = ccn_store_exec(dst, del);
            }
            continue;
        }
        st = copy_table(src, dst, t, hex ? &h : NULL, &rows);
        if (!st && res)
            res->tables++;
    }
    if (res)
        res->rows = rows;
    if (!st && hex)
        ccn_sha256_hex(&h, hex);
    return st;
}

ccn_status ccn_copy_digest(ccn_store *store, char hex[65])
{
    ccn_status st = ccn_store_snapshot_begin(store);
    if (!st)
        st = copy_all(store, NULL, hex, NULL);
    ccn_store_snapshot_end(store);
    return st;
}

/* ------------------------------------------------------ the copy records */

/* The workspace's id, made on first need: 128 random bits in hex. A
 * workspace that cannot be written (read-only file, a viewer's role) keeps
 * none: it can still be copied, but copies it makes cannot be checked
 * against it later. Returns a malloc'd string or NULL. */
static char *workspace_id(ccn_store *s, bool make)
{
    char *id = ccn_store_meta(s, "workspace_id");
    if (id || !make)
        return id;
    unsigned char r[16];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        return NULL;
    char hex[33];
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", r[i]);
    if (ccn_store_begin(s))
        goto fail;
    if (ccn_store_set_meta(s, "workspace_id", hex) || ccn_store_commit(s)) {
        ccn_store_rollback(s);
        goto fail;
    }
    return strdup(hex);
fail:
    ccn_ctx_clear_error(ccn_store_ctx(s));
    return NULL;
}

static char *record(ccn_store *s, const char *peer, const char *what)
{
    if (!peer)
        return NULL;
    char key[128];
    snprintf(key, sizeof key, "copy.%s.%s", peer, what);
    return ccn_store_meta(s, key);
}

static ccn_status set_record(ccn_store *s, const char *peer, const char *what, const char *value)
{
    char key[128];
    snprintf(key, sizeof key, "copy.%s.%s", peer, what);
    return ccn_store_set_meta(s, key, value);
}

/* May dst be replaced by src? CCN_OK if dst has not changed since the last
 * copy between the two; else a refusal naming what changed. */
static ccn_status may_replace(ccn_store *src, ccn_store *dst, const char *src_id,
                              const char *dst_id)
{
    ccn_ctx *ctx = ccn_store_ctx(src);
    const char *sp = ccn_store_path(src), *dp = ccn_store_path(dst);
    char now[65], src_now[65];
    char *mine = record(dst, src_id, "digest");          /* dst as copied from src */
    char *mine_at = record(dst, src_id, "at");
    char *mine_src = record(dst, src_id, "peer_digest"); /* src then */
    char *theirs = record(src, dst_id, "peer_digest");   /* dst when src was copied from it */
    char *theirs_at = record(src, dst_id, "at");
    char *theirs_src = record(src, dst_id, "digest");    /* src as copied from dst */
    /* Only the later of the two copies counts: a target that changed and
     * changed back since counts as changed. */
    if (mine && theirs && theirs_at && (!mine_at || strcmp(theirs_at, mine_at) > 0)) {
        free(mine);
        mine = NULL;
    } else if (mine && theirs) {
        free(theirs);
        theirs = NULL;
    }
    ccn_status st = ccn_copy_digest(dst, now);
    if (st)
        goto done;
    if ((mine && strcmp(mine, now) == 0) || (theirs && strcmp(theirs, now) == 0))
        goto done; /* dst unchanged since the last copy between them */
    if (!mine && !theirs) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "'%s' is a workspace that was never copied from or to '%s': replacing "
                       "it would lose its data (use --force to replace it)",
                       dp, sp);
        goto done;
    }
    /* dst changed; say whether src did too, so the user knows which way to copy. */
    if ((st = ccn_copy_digest(src, src_now)))
        goto done;
    const char *src_then = mine ? mine_src : theirs_src;
    bool src_changed = !src_then || strcmp(src_then, src_now) != 0;
    char hint[1200];
    if (src_changed)
        snprintf(hint, sizeof hint, "'%s' has changed too: both sides were edited, merge them by hand", sp);
    else
        snprintf(hint, sizeof hint, "'%s' has not changed since: copy the other way to keep them", sp);
    const char *at = mine ? mine_at : theirs_at;
    st = ccn_error(ctx, CCN_ERR_INPUT,
                   "'%s' has changes made since it was last copied %s '%s' (%s): copying would "
                   "lose them; %s (use --force to overwrite them)",
                   dp, mine ? "from" : "to", sp, at ? at : "time unknown", hint);
done:
    free(mine), free(mine_at), free(mine_src), free(theirs), free(theirs_at), free(theirs_src);
    return st;
}

/* ----------------------------------------------------------------- copy */

ccn_status ccn_copy(ccn_ctx *ctx, const char *src_ws, const char *dst_ws,
                    const ccn_copy_options *opt, ccn_copy_result *res)
{
    *res = (ccn_copy_result){0};
    ccn_store *src = NULL, *dst = NULL;
    char *src_id = NULL, *dst_id = NULL;
    char src_digest[65], when[40];
    bool began = false, snapshot = false;
    ccn_status st = CCN_OK;
    /* A new file target is made in a temporary folder beside it (output.h)
     * and moved in whole after the commit: a copy killed half-way left an
     * empty workspace at DST, which the next copy refused as "never copied
     * from". A new PostgreSQL schema is made in the copy's one transaction. */
    ccn_output *making = NULL;
    const char *create_at = dst_ws;
    if (strcmp(src_ws, dst_ws) == 0)
        return ccn_error(ctx, CCN_ERR_INPUT, "'%s': source and target are the same workspace",
                         src_ws);
    if (!is_uri(src_ws) && !is_uri(dst_ws)) {
        char *a = realpath(src_ws, NULL), *b = realpath(dst_ws, NULL);
        bool same = a && b && strcmp(a, b) == 0;
        free(a), free(b);
        if (same)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "'%s' and '%s' are the same workspace", src_ws, dst_ws);
    }
    /* Findings of an older ccn renamed to today's columns at both ends. */
    if ((st = ccn_store_open(ctx, src_ws, &src)) || (st = ccn_store_findings_readable(src)))
        goto done;
    src_id = workspace_id(src, true);
    /* An existing target is opened (and must be a workspace); a missing one made. */
    bool exists = is_uri(dst_ws) ? ccn_store_open(ctx, dst_ws, &dst) == CCN_OK
                                 : access(dst_ws, F_OK) == 0;
    if (!is_uri(dst_ws) && exists && (st = ccn_store_open(ctx, dst_ws, &dst)))
        goto done;
    ccn_ctx_clear_error(ctx);
    if (!exists) {
        if (!is_uri(dst_ws) && ((st = ccn_output_open_dir(ctx, dst_ws, &making)) ||
                                !(create_at = ccn_output_part(making, NULL)))) {
            st = st ? st : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        if ((st = ccn_store_create_open(ctx, create_at, ccn_store_srid(src), false, &dst)))
            goto done;
        res->created = true;
        began = true; /* the transaction the workspace is made in, committed at the end */
    } else if (ccn_store_srid(dst) != ccn_store_srid(src)) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "'%s' is in EPSG:%d and '%s' in EPSG:%d: a copy keeps coordinates as "
                       "they are, so the target must be in the source's CRS (remove it, or "
                       "make it with 'ccn init --crs EPSG:%d')",
                       dst_ws, ccn_store_srid(dst), src_ws, ccn_store_srid(src),
                       ccn_store_srid(src));
        goto done;
    }
    dst_id = workspace_id(dst, true);
    if (!dst_id) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write to '%s'", dst_ws);
        goto done;
    }
    /* The write lock first, so nothing changes between the check and the copy. */
    if (!began && (st = ccn_store_begin(dst)))
        goto done;
    began = true;
    if ((st = ccn_store_findings_upgrade(dst)))
        goto done;
    /* The source read in one snapshot: a lease written there meanwhile is
     * wholly in the copy (with its audit row) or wholly not. */
    if ((st = ccn_store_snapshot_begin(src)))
        goto done;
    snapshot = true;
    if (exists && !opt->force && (st = may_replace(src, dst, src_id, dst_id)))
        goto done;
    /* layer_styles exists before the rows come (a new store has none yet);
     * ccn's own styles are made again from the copied palette after. */
    if ((st = ccn_qgisstyle_install(dst)) || (st = ccn_multiuser_install(dst)) ||
        (st = copy_all(src, dst, src_digest, res)) ||
        (st = ccn_qgisstyle_install(dst)) ||
        (st = ccn_copy_digest(dst, res->digest)))
        goto done;
    if (src_id) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        size_t n = strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", gmtime(&now.tv_sec));
        snprintf(when + n, sizeof when - n, ".%06ldZ", now.tv_nsec / 1000);
        if ((st = set_record(dst, src_id, "digest", res->digest)) ||
            (st = set_record(dst, src_id, "peer_digest", src_digest)) ||
            (st = set_record(dst, src_id, "at", when)))
            goto done;
    } else {
        ccn_warn(ctx, "'%s' could not be given a workspace id (it is read-only): a copy back "
                      "onto it will need --force",
                 src_ws);
    }
    st = ccn_store_commit(dst);
    began = !!st;
    if (!st && making) {
        /* closed first (its WAL folded in); then it moves in, never over a
         * file that appeared meanwhile */
        ccn_store_close(dst);
        dst = NULL;
        st = ccn_output_commit_new(ctx, making);
        making = NULL;
    }
done:
    if (began)
        ccn_store_rollback(dst);
    if (snapshot)
        ccn_store_snapshot_end(src);
    ccn_store_close(src);
    ccn_store_close(dst); /* a new schema not committed is undone with its transaction */
    ccn_output_abort(making); /* a new file not moved in is removed */
    if (st)
        res->created = false;
    free(src_id);
    free(dst_id);
    return st;
}
