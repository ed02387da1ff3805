/* test_store_wkb — ccn's own AsBinary (store_spatialite.h) gives the bytes
 * SpatiaLite's gives, for every geometry of a workspace: the export fixture
 * (polygons, multipolygons, holes), points, and geometries ccn never writes
 * itself (a line, a collection, a Z point, which go through SpatiaLite's
 * reader), compared with SpatiaLite's AsBinary on a second connection.
 *   test_store_wkb [WORKSPACE]  (any workspace, e.g. a district of 320,000
 *   parcels; without one, the fixture) */
#include "check.h"
#include "export_ws.h"

#include <sqlite3.h>
#include <spatialite.h>

#include <stdlib.h>
#include <string.h>

static const char *const tables[] = {"clusters", "lots",     "parcels", "plan",
                                     "communes", "markers", "findings", "extra"};

/* hex(AsBinary(geom)) of every row of table, fid order, in one string. */
static char *ccn_side(ccn_store *store, const char *table)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT group_concat(fid || ':' || ifnull(hex(AsBinary(geom)), 'null'),"
                              " ' ') FROM (SELECT * FROM \"%s\" ORDER BY fid)", table);
    ccn_stmt *q = NULL;
    char *out = NULL;
    if (ccn_stmt_prepare(store, sql, &q) == CCN_OK && ccn_stmt_step(q) == 1)
        out = strdup(ccn_stmt_text(q, 0) ? ccn_stmt_text(q, 0) : "");
    ccn_stmt_free(q);
    return out;
}

static char *spatialite_side(sqlite3 *db, const char *table)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT group_concat(fid || ':' || ifnull(hex(AsBinary(geom)), 'null'),"
                              " ' ') FROM (SELECT * FROM \"%s\" ORDER BY fid)", table);
    sqlite3_stmt *q = NULL;
    char *out = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        out = strdup(sqlite3_column_text(q, 0) ? (const char *)sqlite3_column_text(q, 0) : "");
    sqlite3_finalize(q);
    return out;
}

int main(int argc, char **argv)
{
    /* The fixture in a folder of its own: the source tree has no build/
     * when only another build (build-asan) was made. */
    char dir[] = "/tmp/ccn-test-store-wkb-XXXXXX", made[64];
    const char *path = argv[1];
    if (argc <= 1) {
        CHECK(mkdtemp(dir) != NULL);
        snprintf(made, sizeof made, "%s/ws.sqlite", dir);
        path = made;
    }
    ccn_ctx *ctx = ccn_ctx_new();
    ccn_store *store = NULL;
    if (argc > 1) {
        CHECK(ccn_store_open(ctx, path, &store) == CCN_OK);
    } else {
        store = export_ws(ctx, path);
        CHECK(store != NULL);
        /* What ccn never writes: SpatiaLite's reader and writer answer for them. */
        CHECK(store && ccn_store_exec(store,
            "INSERT INTO findings (severity, code, geom) VALUES"
            " ('error', 'A', MakePoint(565000.25, 2183439.5, 5897)), ('error', 'B', NULL);"
            "CREATE TABLE extra (fid INTEGER PRIMARY KEY, geom BLOB);"
            "INSERT INTO extra (geom) VALUES (X'00'), (42),"
            " (GeomFromText('POINT Z(1 2 3)', 5897)),"
            " (GeomFromText('LINESTRING(1 2, 3 4, 5 7)', 5897)),"
            " (GeomFromText('MULTILINESTRING((1 2, 3 4), (5 6, 7 8))', 5897)),"
            " (GeomFromText('MULTIPOINT(1 2, 3 4)', 5897)),"
            " (GeomFromText('GEOMETRYCOLLECTION(POINT(1 2), LINESTRING(1 2, 3 4),"
            " POLYGON((0 0, 4 0, 4 4, 0 4, 0 0), (1 1, 2 1, 2 2, 1 1)))', 5897)),"
            " (GeomFromText('MULTIPOLYGON(((0 0, 4 0, 4 4, 0 0)), ((5 5, 6 5, 6 6, 5 5)))', 5897))")
                  == CCN_OK);
    }
    if (!store) {
        ccn_ctx_free(ctx);
        return check_summary();
    }
    /* A point's WKB worked out by hand (Python's struct.pack('<BIdd', 1, 1,
     * 565000.25, 2183439.5)): byte order, type 1, x and y as doubles. */
    if (argc == 1) {
        ccn_stmt *q = NULL;
        CHECK(ccn_stmt_prepare(store, "SELECT hex(AsBinary(geom)), AsBinary(X'00') IS NULL,"
                                      " AsBinary(42) IS NULL FROM findings WHERE code = 'A'",
                               &q) == CCN_OK);
        CHECK(ccn_stmt_step(q) == 1);
        CHECK_STR(ccn_stmt_text(q, 0), "010100000000000080103E2141000000C087A84041");
        CHECK(ccn_stmt_int(q, 1) == 1 && ccn_stmt_int(q, 2) == 1); /* not geometries: NULL */
        ccn_stmt_free(q);
    }
    char *mine[sizeof tables / sizeof *tables] = {0};
    size_t ntables = sizeof tables / sizeof *tables - (argc > 1); /* extra: the fixture's */
    for (size_t i = 0; i < ntables; i++)
        mine[i] = ccn_side(store, tables[i]);
    ccn_store_close(store);

    size_t rows = 0; /* tables with geometries */
    sqlite3 *db = NULL;
    void *cache = spatialite_alloc_connection();
    CHECK(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
    spatialite_init_ex(db, cache, 0);
    for (size_t i = 0; i < ntables; i++) {
        char *theirs = spatialite_side(db, tables[i]);
        CHECK(mine[i] && theirs);
        rows += theirs && *theirs;
        bool same = mine[i] && theirs && strcmp(mine[i], theirs) == 0;
        if (!same)
            fprintf(stderr, "%s: AsBinary differs from SpatiaLite's\n", tables[i]);
        CHECK(same);
        free(theirs);
        free(mine[i]);
    }
    if (argc == 1)
        CHECK(rows >= 6); /* the fixture has no markers */
    sqlite3_close(db);
    spatialite_cleanup_ex(cache);
    ccn_ctx_free(ctx);
    if (argc <= 1) {
        char f[96];
        const char *const tails[] = {"", "-wal", "-shm", "-journal"};
        for (int k = 0; k < 4; k++) {
            snprintf(f, sizeof f, "%s%s", made, tails[k]);
            unlink(f);
        }
        rmdir(dir);
    }
    return check_summary();
}
