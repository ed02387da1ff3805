/* store_rtree — an R*Tree packed in one pass (see store_rtree.h). */
#include "store_rtree.h"
#include "grow.h"

#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CELL_BYTES = 8 + 4 * 4, NODE_HEADER = 4 };

typedef struct {
    int64_t id;   /* row id (leaf level) or node index in the level below */
    float box[4]; /* xmin, xmax, ymin, ymax */
} entry;

/* One level of the tree: its entries in node order, node k holding
 * e[k*cap .. min(n, (k+1)*cap)). */
typedef struct {
    entry *e;
    size_t n, nodes;
} level;

/* The R*Tree's float rounding (rtreeValueDown/Up in SQLite's rtree.c), so a
 * box is what inserting its doubles through SQL would have stored. */
#define RND_TOWARDS (1.0 - 1.0 / 8388608.0)
#define RND_AWAY (1.0 + 1.0 / 8388608.0)
static float round_down(double d)
{
    float f = (float)d;
    if (f > d)
        f = (float)(d * (d < 0 ? RND_AWAY : RND_TOWARDS));
    return f;
}
static float round_up(double d)
{
    float f = (float)d;
    if (f < d)
        f = (float)(d * (d < 0 ? RND_TOWARDS : RND_AWAY));
    return f;
}

void ccn_rtree_extent(const ccn_rtree_box *b, size_t n, double out[4])
{
    double e[4] = {b[0].mbr[0], b[0].mbr[1], b[0].mbr[2], b[0].mbr[3]};
    for (size_t i = 1; i < n; i++) {
        e[0] = fmin(e[0], b[i].mbr[0]), e[1] = fmin(e[1], b[i].mbr[1]);
        e[2] = fmax(e[2], b[i].mbr[2]), e[3] = fmax(e[3], b[i].mbr[3]);
    }
    /* Rounding is monotonic: the rounded extreme is the extreme of the rounded. */
    out[0] = round_down(e[0]), out[1] = round_down(e[1]);
    out[2] = round_up(e[2]), out[3] = round_up(e[3]);
}

static int by_x(const void *a, const void *b)
{
    const entry *p = a, *q = b;
    float x = p->box[0] + p->box[1], y = q->box[0] + q->box[1];
    return (x > y) - (x < y);
}
static int by_y(const void *a, const void *b)
{
    const entry *p = a, *q = b;
    float x = p->box[2] + p->box[3], y = q->box[2] + q->box[3];
    return (x > y) - (x < y);
}

/* A float's order as an unsigned integer's (-0 as +0, as the comparison has it). */
static uint32_t float_key(float f)
{
    uint32_t bits;
    if (f == 0)
        f = 0;
    memcpy(&bits, &f, 4);
    return bits & 0x80000000u ? ~bits : bits | 0x80000000u;
}

typedef struct {
    uint32_t key, at;
} keyed;

/* e[0..n) in the order of by_x (axis 0) or by_y (axis 1), equal keys kept
 * in their order: what glibc's qsort (a merge sort, stable) gave, by a
 * radix sort of the keys, a third of its time. */
static void sort_axis(entry *e, size_t n, int axis)
{
    keyed *k = n <= UINT32_MAX ? malloc(2 * n * sizeof *k) : NULL;
    entry *sorted = k ? malloc(n * sizeof *sorted) : NULL;
    if (!sorted) {
        free(k);
        qsort(e, n, sizeof *e, axis ? by_y : by_x);
        return;
    }
    keyed *from = k, *to = k + n;
    for (size_t i = 0; i < n; i++)
        from[i] = (keyed){float_key(e[i].box[2 * axis] + e[i].box[2 * axis + 1]), (uint32_t)i};
    for (int shift = 0; shift < 32; shift += 8) {
        size_t count[257] = {0};
        for (size_t i = 0; i < n; i++)
            count[((from[i].key >> shift) & 0xff) + 1]++;
        for (int b = 0; b < 256; b++)
            count[b + 1] += count[b];
        for (size_t i = 0; i < n; i++)
            to[count[(from[i].key >> shift) & 0xff]++] = from[i];
        keyed *t = from;
        from = to, to = t;
    }
    for (size_t i = 0; i < n; i++)
        sorted[i] = e[from[i].at];
    memcpy(e, sorted, n * sizeof *e);
    free(sorted);
    free(k);
}

/* STR: sort by x, cut into ceil(sqrt(nodes)) vertical slices of whole
 * nodes, sort each slice by y; consecutive runs of cap entries are nodes. */
static void str_order(level *l, size_t cap)
{
    l->nodes = (l->n + cap - 1) / cap;
    size_t slices = (size_t)ceil(sqrt((double)l->nodes));
    size_t slice = slices ? ((l->nodes + slices - 1) / slices) * cap : l->n;
    sort_axis(l->e, l->n, 0);
    for (size_t at = 0; at < l->n; at += slice)
        sort_axis(l->e + at, l->n - at < slice ? l->n - at : slice, 1);
}

/* The level above l: one entry per node of l, its box the union of the node's. */
static bool level_above(const level *l, size_t cap, level *up)
{
    up->n = l->nodes;
    up->e = malloc((up->n ? up->n : 1) * sizeof *up->e);
    if (!up->e)
        return false;
    for (size_t k = 0; k < l->nodes; k++) {
        entry *u = &up->e[k];
        const entry *first = &l->e[k * cap];
        size_t count = l->n - k * cap < cap ? l->n - k * cap : cap;
        *u = (entry){.id = (int64_t)k};
        memcpy(u->box, first->box, sizeof u->box);
        for (size_t i = 1; i < count; i++) {
            const float *b = first[i].box;
            u->box[0] = fminf(u->box[0], b[0]);
            u->box[1] = fmaxf(u->box[1], b[1]);
            u->box[2] = fminf(u->box[2], b[2]);
            u->box[3] = fmaxf(u->box[3], b[3]);
        }
    }
    return true;
}

static void put_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)(v & 0xff);
}

typedef struct {
    int64_t row, leaf; /* a row id and the node number of its leaf */
} row_leaf;

static int by_row(const void *a, const void *b)
{
    const row_leaf *p = a, *q = b;
    return (p->row > q->row) - (p->row < q->row);
}

/* rows by row id. A table's ids are usually consecutive: then each row
 * goes straight to its place (a tenth of a sort's time); else a sort. */
static void sort_rows(row_leaf *rows, size_t n)
{
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    for (size_t i = 0; i < n; i++)
        lo = rows[i].row < lo ? rows[i].row : lo, hi = rows[i].row > hi ? rows[i].row : hi;
    row_leaf *placed = n > 1 && (uint64_t)hi - (uint64_t)lo == n - 1 ? malloc(n * sizeof *placed)
                                                                         : NULL;
    if (!placed) {
        qsort(rows, n, sizeof *rows, by_row);
        return;
    }
    for (size_t i = 0; i < n; i++) /* row ids are unique: a permutation of lo..hi */
        placed[rows[i].row - lo] = rows[i];
    memcpy(rows, placed, n * sizeof *rows);
    free(placed);
}

static ccn_status db_fail(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table)
{
    return ccn_error(ctx, CCN_ERR_INTERNAL, "%s: spatial index of %s: %s", path, table,
                     sqlite3_errmsg(db));
}

static bool add_box(level *leaves, size_t *cap, int64_t id, const double mbr[4])
{
    if (!ccn_grow((void **)&leaves->e, cap, leaves->n + 1, sizeof *leaves->e))
        return false;
    leaves->e[leaves->n++] = (entry){id, {round_down(mbr[0]), round_up(mbr[2]),
                                          round_down(mbr[1]), round_up(mbr[3])}};
    return true;
}

/* The boxes straight from the blobs' headers (SpatiaLite's "BLOB-Geometry":
 * 0x00, byte order, SRID, MBR as min x, min y, max x, max y, 0x7C, class
 * type … 0xFE), each row's SRID and type checked against the column's as
 * GeometryConstraints does: a third of the time of asking SpatiaLite for
 * them row by row. 1: done; 0: a blob this does not read (big-endian, or
 * not a geometry), for read_boxes to read through SpatiaLite; -1: error. */
static int read_headers(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table,
                        int64_t upto, level *leaves, size_t *cap, ccn_status *st)
{
    char *sql = sqlite3_mprintf(
        "SELECT t.ROWID, t.geom, c.geometry_type, c.srid FROM \"%w\" t,"
        " (SELECT geometry_type, srid FROM geometry_columns WHERE Lower(f_table_name) = Lower(%Q)"
        " AND Lower(f_geometry_column) = 'geom') c WHERE t.geom IS NOT NULL AND t.ROWID <= %lld",
        table, table, (long long)upto);
    sqlite3_stmt *q = NULL;
    int out = 1, rc;
    if (!sql || sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        *st = db_fail(ctx, db, path, table);
        out = -1;
        goto done;
    }
    while (out == 1 && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        const unsigned char *b = sqlite3_column_blob(q, 1);
        int n = sqlite3_column_bytes(q, 1);
        int32_t srid, type;
        double mbr[4];
        if (sqlite3_column_type(q, 1) != SQLITE_BLOB || n < 44 || b[0] != 0x00 || b[1] != 0x01 ||
            b[38] != 0x7C || b[n - 1] != 0xFE) {
            out = 0;
            break;
        }
        memcpy(&srid, b + 2, 4);
        memcpy(mbr, b + 6, 32);
        memcpy(&type, b + 39, 4);
        int64_t id = sqlite3_column_int64(q, 0), want = sqlite3_column_int64(q, 2);
        if ((want != 0 && type != want) || srid != sqlite3_column_int(q, 3)) {
            *st = ccn_error(ctx, CCN_ERR_INTERNAL,
                            "%s: %s row %lld: geometry of the wrong type or SRID for the column",
                            path, table, (long long)id);
            out = -1;
        } else if (!add_box(leaves, cap, id, mbr)) {
            *st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            out = -1;
        }
    }
    if (out == 1 && rc != SQLITE_DONE) {
        *st = db_fail(ctx, db, path, table);
        out = -1;
    }
done:
    sqlite3_finalize(q);
    sqlite3_free(sql);
    if (out != 1)
        leaves->n = 0;
    return out;
}

/* The fresh boxes, each checked against the column's type and SRID as
 * read_headers checks the rows it reads (none when the column is not
 * registered: read_headers' join reads none either). */
static ccn_status add_fresh(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table,
                            const ccn_rtree_box *fresh, size_t nfresh, level *leaves,
                            size_t *cap)
{
    sqlite3_stmt *q = NULL;
    ccn_status st = CCN_OK;
    if (sqlite3_prepare_v2(db,
                           "SELECT geometry_type, srid FROM geometry_columns WHERE"
                           " Lower(f_table_name) = Lower(?) AND Lower(f_geometry_column) = 'geom'",
                           -1, &q, NULL) != SQLITE_OK) {
        st = db_fail(ctx, db, path, table);
        goto done;
    }
    sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE)
        goto done;
    if (rc != SQLITE_ROW) {
        st = db_fail(ctx, db, path, table);
        goto done;
    }
    int64_t want = sqlite3_column_int64(q, 0);
    int srid = sqlite3_column_int(q, 1);
    if (!ccn_grow((void **)&leaves->e, cap, leaves->n + nfresh, sizeof *leaves->e)) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory"); /* room for all at once */
        goto done;
    }
    for (size_t i = 0; i < nfresh; i++) {
        const ccn_rtree_box *b = &fresh[i];
        if ((want != 0 && b->type != want) || b->srid != srid) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL,
                           "%s: %s row %lld: geometry of the wrong type or SRID for the column",
                           path, table, (long long)b->id);
            goto done;
        }
        if (!add_box(leaves, cap, b->id, b->mbr)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
    }
done:
    sqlite3_finalize(q);
    return st;
}

/* The boxes of every geometry of table with an id up to upto, checking the
 * column constraint. */
static ccn_status read_boxes(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table,
                             int64_t upto, level *leaves, size_t *cap)
{
    ccn_status done_st = CCN_OK;
    int fast = read_headers(ctx, db, path, table, upto, leaves, cap, &done_st);
    if (fast != 0)
        return done_st;
    char *sql = sqlite3_mprintf(
        "SELECT t.ROWID, MbrMinX(t.geom), MbrMaxX(t.geom), MbrMinY(t.geom), MbrMaxY(t.geom),"
        " GeometryConstraints(t.geom, c.geometry_type, c.srid) FROM \"%w\" t,"
        " (SELECT geometry_type, srid FROM geometry_columns WHERE Lower(f_table_name) = Lower(%Q)"
        " AND Lower(f_geometry_column) = 'geom') c WHERE t.geom IS NOT NULL AND t.ROWID <= %lld",
        table, table, (long long)upto);
    sqlite3_stmt *q = NULL;
    ccn_status st = CCN_OK;
    if (!sql || sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK) {
        st = db_fail(ctx, db, path, table);
        goto done;
    }
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0);
        if (sqlite3_column_int(q, 5) != 1) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL,
                           "%s: %s row %lld: geometry of the wrong type or SRID for the column",
                           path, table, (long long)id);
            goto done;
        }
        if (sqlite3_column_type(q, 1) == SQLITE_NULL)
            continue; /* no box (SpatiaLite leaves such rows out of its index too) */
        double mbr[4] = {sqlite3_column_double(q, 1), sqlite3_column_double(q, 3),
                         sqlite3_column_double(q, 2), sqlite3_column_double(q, 4)};
        if (!add_box(leaves, cap, id, mbr)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
    }
    if (rc != SQLITE_DONE)
        st = db_fail(ctx, db, path, table);
done:
    sqlite3_finalize(q);
    sqlite3_free(sql);
    return st;
}

/* Write every node, the row → leaf map and the node → parent map. */
static ccn_status write_tree(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table,
                             const level *levels, int nlevels, size_t cap, int node_bytes)
{
    ccn_status st = CCN_OK;
    sqlite3_stmt *node = NULL, *root = NULL, *parent = NULL, *rowid = NULL;
    unsigned char *data = calloc(1, (size_t)node_bytes);
    int64_t *first = calloc((size_t)nlevels, sizeof *first); /* node number of node 0, by level */
    row_leaf *rows = malloc((levels[0].n ? levels[0].n : 1) * sizeof *rows);
    char *sql[4] = {
        sqlite3_mprintf("INSERT INTO \"idx_%w_geom_node\" (nodeno, data) VALUES (?, ?)", table),
        sqlite3_mprintf("UPDATE \"idx_%w_geom_node\" SET data = ? WHERE nodeno = 1", table),
        sqlite3_mprintf("INSERT INTO \"idx_%w_geom_parent\" (nodeno, parentnode) VALUES (?, ?)",
                        table),
        sqlite3_mprintf("INSERT INTO \"idx_%w_geom_rowid\" (rowid, nodeno) VALUES (?, ?)", table)};
    if (!data || !first || !rows || !sql[0] || !sql[1] || !sql[2] || !sql[3]) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(db, sql[0], -1, &node, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql[1], -1, &root, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql[2], -1, &parent, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, sql[3], -1, &rowid, NULL) != SQLITE_OK) {
        st = db_fail(ctx, db, path, table);
        goto done;
    }
    /* Root is node 1; then each level from the top down, in node order. */
    first[nlevels - 1] = 1;
    int64_t next = 2;
    for (int l = nlevels - 2; l >= 0; l--) {
        first[l] = next;
        next += (int64_t)levels[l].nodes;
    }
    for (int l = nlevels - 1; l >= 0; l--) {
        const level *lv = &levels[l];
        for (size_t k = 0; k < lv->nodes; k++) {
            int64_t no = first[l] + (int64_t)k;
            size_t count = lv->n - k * cap < cap ? lv->n - k * cap : cap;
            memset(data, 0, (size_t)node_bytes);
            if (l == nlevels - 1)
                put_be(data, (uint64_t)(nlevels - 1), 2); /* the root holds the depth */
            put_be(data + 2, count, 2);
            for (size_t i = 0; i < count; i++) {
                const entry *e = &lv->e[k * cap + i];
                unsigned char *cell = data + NODE_HEADER + i * CELL_BYTES;
                int64_t id = l == 0 ? e->id : first[l - 1] + e->id;
                put_be(cell, (uint64_t)id, 8);
                for (int c = 0; c < 4; c++) {
                    uint32_t bits;
                    memcpy(&bits, &e->box[c], 4);
                    put_be(cell + 8 + 4 * c, bits, 4);
                }
                if (l == 0)
                    rows[k * cap + i] = (row_leaf){e->id, no};
                else {
                    sqlite3_reset(parent);
                    sqlite3_bind_int64(parent, 1, id);
                    sqlite3_bind_int64(parent, 2, no);
                    if (sqlite3_step(parent) != SQLITE_DONE) {
                        st = db_fail(ctx, db, path, table);
                        goto done;
                    }
                }
            }
            sqlite3_stmt *w = no == 1 ? root : node;
            sqlite3_reset(w);
            if (no == 1) {
                sqlite3_bind_blob(w, 1, data, node_bytes, SQLITE_STATIC);
            } else {
                sqlite3_bind_int64(w, 1, no);
                sqlite3_bind_blob(w, 2, data, node_bytes, SQLITE_STATIC);
            }
            if (sqlite3_step(w) != SQLITE_DONE) {
                st = db_fail(ctx, db, path, table);
                goto done;
            }
        }
    }
    /* In row order: appending to the rowid table's B-tree is cheapest. */
    sort_rows(rows, levels[0].n);
    for (size_t i = 0; i < levels[0].n; i++) {
        sqlite3_reset(rowid);
        sqlite3_bind_int64(rowid, 1, rows[i].row);
        sqlite3_bind_int64(rowid, 2, rows[i].leaf);
        if (sqlite3_step(rowid) != SQLITE_DONE) {
            st = db_fail(ctx, db, path, table);
            goto done;
        }
    }
done:
    sqlite3_finalize(node);
    sqlite3_finalize(root);
    sqlite3_finalize(parent);
    sqlite3_finalize(rowid);
    for (int i = 0; i < 4; i++)
        sqlite3_free(sql[i]);
    free(rows);
    free(first);
    free(data);
    return st;
}

enum { MAX_LEVELS = 16 }; /* 51^16 boxes: more than any table holds */

/* SQL run on a thread of its own while the boxes are sorted (which does not
 * touch the database): the connection is used by one thread at a time. */
typedef struct {
    sqlite3 *db;
    const char *sql;
    int rc;
    char *message; /* sqlite3_malloc'd */
    pthread_t thread;
    bool running;
} side_sql;

static void *side_main(void *arg)
{
    side_sql *j = arg;
    j->rc = sqlite3_exec(j->db, j->sql, NULL, NULL, &j->message);
    return NULL;
}

static void side_start(side_sql *j)
{
    j->running = j->sql && pthread_create(&j->thread, NULL, side_main, j) == 0;
}

/* Wait for the side SQL (run here if it never started); its error, if any. */
static ccn_status side_finish(ccn_ctx *ctx, const char *path, side_sql *j)
{
    if (j->running)
        pthread_join(j->thread, NULL);
    else if (j->sql)
        side_main(j);
    j->running = false;
    j->sql = NULL;
    ccn_status st = j->rc == SQLITE_OK ? CCN_OK
                                       : ccn_error(ctx, CCN_ERR_INTERNAL, "%s: %s", path,
                                                   j->message ? j->message : "statement failed");
    sqlite3_free(j->message);
    j->message = NULL;
    return st;
}

ccn_status ccn_store_rtree_pack(ccn_ctx *ctx, sqlite3 *db, const char *path, const char *table,
                                const ccn_rtree_box *fresh, size_t nfresh, int64_t fresh_after,
                                const char *meanwhile)
{
    level levels[MAX_LEVELS] = {{0}};
    int nlevels = 1;
    ccn_status st = CCN_OK;
    side_sql side = {.db = db, .sql = meanwhile};
    char *sql = sqlite3_mprintf(
        "DROP TABLE IF EXISTS \"idx_%w_geom\";"
        " CREATE VIRTUAL TABLE \"idx_%w_geom\" USING rtree(pkid, xmin, xmax, ymin, ymax)",
        table, table);
    char *size_sql =
        sqlite3_mprintf("SELECT length(data) FROM \"idx_%w_geom_node\" WHERE nodeno = 1", table);
    sqlite3_stmt *q = NULL;
    if (!sql || !size_sql) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    size_t cap0 = 0;
    if ((st = read_boxes(ctx, db, path, table, fresh ? fresh_after : INT64_MAX, &levels[0],
                         &cap0)) ||
        (fresh && (st = add_fresh(ctx, db, path, table, fresh, nfresh, &levels[0], &cap0))))
        goto done;
    /* The node size SQLite chose for this database's page size (its
     * virtual table reads it back from the root node's length). */
    if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, size_sql, -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        st = db_fail(ctx, db, path, table);
        goto done;
    }
    int node_bytes = sqlite3_column_int(q, 0);
    size_t cap = node_bytes > NODE_HEADER ? (size_t)(node_bytes - NODE_HEADER) / CELL_BYTES : 0;
    if (cap < 2) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "%s: spatial index of %s: nodes of %d bytes",
                       path, table, node_bytes);
        goto done;
    }
    if (levels[0].n == 0)
        goto done; /* the empty root SQLite wrote is the whole tree */
    side_start(&side);
    for (;;) {
        level *l = &levels[nlevels - 1];
        str_order(l, cap);
        if (l->nodes == 1)
            break;
        if (nlevels == MAX_LEVELS || !level_above(l, cap, &levels[nlevels])) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        nlevels++;
    }
    if ((st = side_finish(ctx, path, &side)))
        goto done;
    st = write_tree(ctx, db, path, table, levels, nlevels, cap, node_bytes);
done:
    if (side.sql) { /* not run yet (no boxes, or an error before): run it, or wait for it */
        ccn_status side_st = side_finish(ctx, path, &side);
        if (!st)
            st = side_st;
    }
    sqlite3_finalize(q);
    sqlite3_free(sql);
    sqlite3_free(size_sql);
    for (int i = 0; i < nlevels; i++)
        free(levels[i].e);
    return st;
}
