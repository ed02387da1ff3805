/* store — the SpatiaLite workspace: schema, transactions, a thin statement API.
 *
 * The schema follows DESIGN §4. Spatial tables get their geometry column with
 * SpatiaLite's AddGeometryColumn and an R*Tree index, so GIS clients see them
 * as layers; every table's integer primary key is OGR's feature id. */
#define _GNU_SOURCE /* sync_file_range */
#include "store.h"
#include "store_pg.h" /* a PostgreSQL URI goes there */
#include "crs.h"
#include "grow.h"
#include "store_rtree.h"

#include "store_spatialite.h"

#include <sqlite3.h>
#include <math.h>
#include <pthread.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ccn_store {
    ccn_ctx *ctx;        /* not owned */
    sqlite3 *db;
    void *spatialite;    /* SpatiaLite's per-connection cache, NULL until it is needed */
    int srid;            /* workspace CRS, EPSG code */
    char *path;
    int depth;           /* nested ccn_store_begin calls: 0 = none open */
    int snapshots;       /* nested ccn_store_snapshot_begin calls */
    bool snapshot_open;  /* the outermost of them opened a read transaction */
    char *bulk_triggers; /* a bulk load's dropped triggers (SQL), NULL if none */
    char *bulk_indexes;  /* a bulk load's dropped indexes (SQL), NULL if none */
    /* A bulk load's new rows' boxes, noted as a keep_boxes statement inserts
     * them (on its writer thread): bulk_end indexes them without reading
     * them back. Only rows with ids above `after` (the table's last id at
     * bulk_begin), in increasing order; `usable` false if a row broke that. */
    struct {
        ccn_rtree_box *b;
        size_t n, cap;
        int64_t after;
        bool active, usable, was_empty;
    } fresh;
    /* A bulk load into an empty table leaves its statistics here, good
     * while the connection has changed nothing since (total_changes). */
    struct {
        char table[64];
        int64_t rows, changes;
        double extent[4];
        bool known;
    } loaded;
    bool journal_aside;  /* this transaction runs in rollback-journal mode (begin_bulk) */
    int bulk_file;       /* where a bulk load's pages go (WAL or, journal aside, the
                          * database), read-only, for write-back hints; -1 if none */
    ccn_pg *pg;          /* a PostgreSQL workspace: everything goes there */
    char *uri;           /* its URI as given (the password too), for open_same */
};

typedef struct async_writer async_writer;

struct ccn_stmt {
    ccn_store *store;    /* not owned */
    sqlite3_stmt *stmt;
    async_writer *async; /* non-NULL once ccn_stmt_set_async was called */
    bool keep_boxes;     /* ccn_stmt_keep_boxes: its rows' boxes go to store->fresh */
    int geom_param;      /* the parameter ccn_stmt_bind_geometry bound last, 0 if none */
    ccn_pg_stmt *pg;     /* on a PostgreSQL workspace */
    ccn_refusal_fn on_refusal; /* ccn_stmt_on_refusal's handler, NULL if none */
    void *refusal_arg;
    int64_t tag;         /* ccn_stmt_tag's, for a row stepped at once */
    sqlite3_stmt *row_sp[3]; /* with a refusal handler: each row's savepoint (row_savepoint) */
};

/* Colours (palette.h); also added to a workspace made before it existed. */
#define PALETTE_SQL                                                                          \
    "CREATE TABLE IF NOT EXISTS palette (key TEXT PRIMARY KEY, color TEXT NOT NULL,"          \
    " label TEXT, meaning TEXT);"

/* The audit trail (multiuser.h): every change of the lease register and
 * every import recorded, with the operating-system user. PostgreSQL fills
 * its own from a trigger (multiuser.c); here ccn's connections make TEMP
 * triggers that call ccn_os_user(), a function only ccn's connections have,
 * so the file stays usable by QGIS and sqlite3 (whose edits are not
 * recorded). Also added to a workspace made before it existed. */
#define AUDIT_SQL                                                                             \
    "CREATE TABLE IF NOT EXISTS audit (fid INTEGER PRIMARY KEY, at TEXT NOT NULL,"            \
    " who TEXT NOT NULL, role TEXT, op TEXT NOT NULL, tbl TEXT NOT NULL, row_fid INTEGER,"   \
    " before TEXT, after TEXT);"
#define AUDIT_ROW(R)                                                                          \
    "json_object('fid', " R ".fid, 'cluster', " R ".cluster, 'lot_no', " R ".lot_no,"       \
    " 'tenant', " R ".tenant, 'start_date', " R ".start_date, 'end_date', " R ".end_date,"   \
    " 'note', " R ".note, 'recorded_at', " R ".recorded_at)"
#define IMPORT_ROW(R)                                                                         \
    "json_object('fid', " R ".fid, 'file', " R ".file, 'sha256', " R ".sha256,"             \
    " 'source_layer', " R ".source_layer, 'role', " R ".role, 'crs', " R ".crs,"             \
    " 'features_read', " R ".features_read, 'features_stored', " R ".features_stored,"       \
    " 'features_refused', " R ".features_refused, 'imported_at', " R ".imported_at)"
#define AUDIT_TRIGGER(NAME, OP, TABLE, FID, BEFORE, AFTER)                                    \
    "CREATE TEMP TRIGGER IF NOT EXISTS " NAME " AFTER " OP " ON main." TABLE " BEGIN"        \
    " INSERT INTO audit (at, who, op, tbl, row_fid, before, after) VALUES"                   \
    " (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ccn_os_user(), '" OP "', '" TABLE "', " FID   \
    ", " BEFORE ", " AFTER "); END;"
static const char audit_triggers_sql[] =
    AUDIT_TRIGGER("ccn_audit_leases_i", "INSERT", "leases", "NEW.fid", "NULL", AUDIT_ROW("NEW"))
    AUDIT_TRIGGER("ccn_audit_leases_u", "UPDATE", "leases", "NEW.fid", AUDIT_ROW("OLD"), AUDIT_ROW("NEW"))
    AUDIT_TRIGGER("ccn_audit_leases_d", "DELETE", "leases", "OLD.fid", AUDIT_ROW("OLD"), "NULL")
    AUDIT_TRIGGER("ccn_audit_imports_i", "INSERT", "imports", "NEW.fid", "NULL", IMPORT_ROW("NEW"))
    AUDIT_TRIGGER("ccn_audit_imports_u", "UPDATE", "imports", "NEW.fid", IMPORT_ROW("OLD"), IMPORT_ROW("NEW"))
    AUDIT_TRIGGER("ccn_audit_imports_d", "DELETE", "imports", "OLD.fid", IMPORT_ROW("OLD"), "NULL");

static void os_user(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc, (void)argv;
    const struct passwd *pw = getpwuid(geteuid());
    char uid[32];
    snprintf(uid, sizeof uid, "uid %u", (unsigned)geteuid());
    sqlite3_result_text(c, pw && pw->pw_name ? pw->pw_name : uid, -1, SQLITE_TRANSIENT);
}

/* The audit table (made if missing: harmless on a read-only file) and this
 * connection's triggers filling it. */
static void audit_attach(ccn_store *s)
{
    sqlite3_create_function(s->db, "ccn_os_user", 0, SQLITE_UTF8, NULL, os_user, NULL, NULL);
    sqlite3_exec(s->db, AUDIT_SQL, NULL, NULL, NULL);
    sqlite3_exec(s->db, audit_triggers_sql, NULL, NULL, NULL);
}

/* Attribute tables; the geometry columns are added below. */
static const char *const schema_sql =
    "CREATE TABLE ccn_meta (key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE clusters (fid INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT,"
    " kind TEXT, communes TEXT, planned_ha REAL, expansion_ha REAL, status TEXT,"
    " target_pct REAL, infra_cost_bn_vnd REAL, plan_code TEXT, clearance_by TEXT,"
    " provincial_plan_by TEXT, infra_done_by TEXT, expansion_proposed_by TEXT,"
    " established_by TEXT, note TEXT, source TEXT);"
    "CREATE TABLE lots (fid INTEGER PRIMARY KEY, cluster TEXT NOT NULL, lot_no TEXT NOT NULL,"
    " use TEXT NOT NULL, source_fid INTEGER);"
    "CREATE INDEX lots_key ON lots(cluster, lot_no);"
    "CREATE TABLE leases (fid INTEGER PRIMARY KEY, cluster TEXT NOT NULL, lot_no TEXT NOT NULL,"
    " tenant TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT, note TEXT,"
    " recorded_at TEXT NOT NULL);"
    "CREATE INDEX leases_lot ON leases(cluster, lot_no);"
    "CREATE TABLE parcels (fid INTEGER PRIMARY KEY, commune TEXT, sheet INTEGER,"
    " parcel_no INTEGER, landuse TEXT, owner TEXT, area_legal REAL, source_fid INTEGER);"
    /* One index serves every question asked of the parcels' keys: the
     * commune's sheet (replacing a sheet), the full key (duplicates, lookup
     * with --commune), the sheet alone (lookup without it: a sheet's few
     * thousand entries), and the land-use codes present (the QGIS styles read
     * them off it, not off the table). A second index cost every bulk load a
     * tenth of its time. */
    "CREATE INDEX parcels_sheet ON parcels(sheet, commune, parcel_no, landuse);"
    "CREATE TABLE plan (fid INTEGER PRIMARY KEY, landuse TEXT NOT NULL, source_fid INTEGER);"
    "CREATE TABLE communes (fid INTEGER PRIMARY KEY, code TEXT, name TEXT, source_fid INTEGER);"
    "CREATE TABLE markers (fid INTEGER PRIMARY KEY, cluster TEXT NOT NULL, marker TEXT NOT NULL,"
    " seq INTEGER NOT NULL, x REAL NOT NULL, y REAL NOT NULL);"
    /* DESIGN §4: fid and other_fid are the ids of the features found; the
     * table's own key is id (see ccn_store_findings_old). */
    "CREATE TABLE findings (id INTEGER PRIMARY KEY, severity TEXT NOT NULL, code TEXT NOT NULL,"
    " layer TEXT, fid INTEGER, other_layer TEXT, other_fid INTEGER, area_m2 REAL,"
    " x REAL, y REAL, message TEXT, message_vi TEXT);"
    "CREATE TABLE imports (fid INTEGER PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT,"
    " source_layer TEXT, role TEXT NOT NULL, crs TEXT, features_read INTEGER,"
    " features_stored INTEGER, features_refused INTEGER, imported_at TEXT NOT NULL);"
    "CREATE TABLE landuse_codes (code TEXT PRIMARY KEY, name TEXT, grp TEXT, parent TEXT,"
    " protected INTEGER);"
    "CREATE TABLE commune_registry (code TEXT PRIMARY KEY, name TEXT, kind TEXT,"
    " new_name TEXT, new_code TEXT);"
    "CREATE TABLE tolerances (key TEXT PRIMARY KEY, value REAL NOT NULL, unit TEXT,"
    " meaning TEXT);"
    PALETTE_SQL;

static const struct {
    const char *table, *type;
} geometry_columns[] = {
    {"clusters", "MULTIPOLYGON"}, {"lots", "MULTIPOLYGON"},  {"parcels", "MULTIPOLYGON"},
    {"plan", "MULTIPOLYGON"},     {"communes", "MULTIPOLYGON"}, {"markers", "POINT"},
    {"findings", "POINT"},
};

static ccn_status db_error(ccn_store *s, const char *what)
{
    return ccn_error(s->ctx, CCN_ERR_INTERNAL, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

/* How long a command waits for another one's write transaction: two
 * minutes (a check of a whole district takes seconds), or CCN_BUSY_TIMEOUT_MS.
 * PostgreSQL workspaces wait as long (ccn_pg_open's lock_timeout_ms). */
static int busy_timeout_ms(void)
{
    const char *env = getenv("CCN_BUSY_TIMEOUT_MS");
    char *end = NULL;
    long v = env ? strtol(env, &end, 10) : -1;
    return env && *env && !*end && v >= 0 && v <= 86400000L ? (int)v : 120000;
}

/* SpatiaLite's functions on s's connection (see store_spatialite.h); false,
 * the error in s->ctx, if SpatiaLite cannot be loaded. */
static bool with_spatialite(ccn_store *s)
{
    const char *why = NULL;
    if (s->spatialite)
        return true;
    if (!ccn_spatialite_connect(s->db, &s->spatialite, &why)) {
        ccn_error(s->ctx, CCN_ERR_INTERNAL, "%s", why);
        return false;
    }
    /* SpatiaLite's set-up sets a busy timeout of its own (5 s): ours again,
     * or a write waits 5 s for another writer instead of two minutes. */
    sqlite3_busy_timeout(s->db, busy_timeout_ms());
    return true;
}

/* sqlite3_prepare_v2, with SpatiaLite loaded and the statement prepared
 * again when it failed for want of SpatiaLite's functions or modules
 * (a prepare that fails has run nothing). */
static int prepare(ccn_store *s, const char *sql, sqlite3_stmt **q, const char **tail)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, q, tail);
    if (rc == SQLITE_ERROR && !s->spatialite &&
        (strncmp(sqlite3_errmsg(s->db), "no such function", 16) == 0 ||
         strncmp(sqlite3_errmsg(s->db), "no such module", 14) == 0) &&
        with_spatialite(s))
        rc = sqlite3_prepare_v2(s->db, sql, -1, q, tail);
    return rc;
}

/* SQLite's memory statistics off, before SQLite starts: ccn reads none of
 * them and keeping them takes a global mutex on every allocation (a few
 * percent of a bulk import). Too late once SQLite runs: then nothing. */
static void sqlite_settings(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static ccn_status connect(ccn_ctx *ctx, const char *path, int flags, ccn_store **out)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sqlite_settings);
    ccn_store *s = calloc(1, sizeof *s);
    if (!s)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    s->ctx = ctx;
    s->bulk_file = -1;
    s->path = strdup(path);
    if (sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
        ccn_status st = ccn_error(ctx, CCN_ERR_INPUT, "cannot open workspace '%s': %s", path,
                                  s->db ? sqlite3_errmsg(s->db) : "out of memory");
        ccn_store_close(s);
        return st;
    }
    /* A new workspace in 64 KiB pages, SQLite's largest: a sixteenth of the
     * pages of its default to write, index and checkpoint. An import of
     * 320,000 parcels takes a tenth less time than at 16 KiB (a third less
     * time in the kernel), 16 KiB a tenth less CPU than 4 KiB; lookups and
     * cluster questions take the same time (an R*Tree node keeps at most 51
     * cells whatever the page). Set before the first write; kept in the file. */
    if (flags & SQLITE_OPEN_CREATE)
        sqlite3_exec(s->db, "PRAGMA page_size=65536", NULL, NULL, NULL);
    /* WAL: readers never wait for a writer nor a writer for readers, and a
     * killed import still leaves none of its rows behind. The mode is kept in
     * the file (QGIS and ogrinfo read it), so this only converts old
     * workspaces, and one a killed bulk load left (begin_bulk); on a
     * read-only file, or while another command's bulk load runs, it fails
     * harmlessly (then on its own, not to skip the other settings). */
    sqlite3_exec(s->db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;"
                        " PRAGMA cache_size=-200000;",
                 NULL, NULL, NULL);
    sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
    ccn_spatialite_register_wkb(s->db); /* the rest of SpatiaLite when needed */
    /* Another command writing waits its turn instead of failing at once. */
    sqlite3_busy_timeout(s->db, busy_timeout_ms());
    *out = s;
    return CCN_OK;
}

/* A PostgreSQL workspace: created, or opened. */
static ccn_status pg_store(ccn_ctx *ctx, const char *uri, int srid, bool force, bool create,
                           bool keep_open, ccn_store **out)
{
    static const char *tables[sizeof geometry_columns / sizeof *geometry_columns];
    static const char *types[sizeof geometry_columns / sizeof *geometry_columns];
    const size_t ngeom = sizeof geometry_columns / sizeof *geometry_columns;
    for (size_t i = 0; i < ngeom; i++)
        tables[i] = geometry_columns[i].table, types[i] = geometry_columns[i].type;
    ccn_store *s = calloc(1, sizeof *s);
    if (!s)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    s->ctx = ctx;
    s->bulk_file = -1;
    s->srid = srid;
    ccn_status st = create ? ccn_pg_create(ctx, uri, srid, force, busy_timeout_ms(), schema_sql,
                                           tables, types, ngeom, keep_open, &s->pg)
                           : ccn_pg_open(ctx, uri, busy_timeout_ms(), &s->pg, &s->srid);
    if (!st && (!(s->path = strdup(ccn_pg_display(s->pg))) || !(s->uri = strdup(uri))))
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    if (st) {
        ccn_store_close(s);
        return st;
    }
    *out = s;
    return CCN_OK;
}

ccn_status ccn_store_remove(ccn_ctx *ctx, const char *path)
{
    if (ccn_pg_is_uri(path))
        return ccn_pg_remove(ctx, path);
    if (remove(path) != 0 && access(path, F_OK) == 0)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot remove '%s'", path);
    return CCN_OK;
}

ccn_status ccn_store_settle(ccn_ctx *ctx, const char *path, bool *database, bool *in_use)
{
    *database = *in_use = false;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        ccn_status st = ccn_error(ctx, CCN_ERR_INPUT, "cannot open workspace '%s': %s", path,
                                  db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return st;
    }
    sqlite3_busy_timeout(db, 2000);
    /* Leaving WAL mode checkpoints the -wal and removes it; SQLite allows it
     * only to the one connection there is. A hot journal is rolled back on
     * the first read. The exclusive lock then says no one else reads. */
    sqlite3_stmt *q = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode = DELETE", -1, &q, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(q);
    const char *mode = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(q, 0) : NULL;
    bool answered = mode, left_wal = mode && !strcmp(mode, "delete"); /* "wal": refused */
    sqlite3_finalize(q);
    if (rc != SQLITE_ROW && sqlite3_errcode(db) == SQLITE_NOTADB) {
        sqlite3_close(db);
        return CCN_OK;
    }
    *database = true;
    if (left_wal && sqlite3_exec(db, "BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        left_wal = false;
    int code = sqlite3_errcode(db);
    ccn_status st = CCN_OK;
    *in_use = !left_wal && (answered || code == SQLITE_BUSY || code == SQLITE_LOCKED);
    if (*in_use)
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "workspace '%s' is open in another program (QGIS, another ccn?): close "
                       "it there first",
                       path);
    else if (!left_wal)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot open workspace '%s': %s", path,
                       sqlite3_errmsg(db));
    if (sqlite3_close(db) != SQLITE_OK && !st)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot close workspace '%s'", path);
    return st;
}

ccn_dialect ccn_store_dialect(const ccn_store *s)
{
    return s->pg ? CCN_DIALECT_POSTGRES : CCN_DIALECT_SQLITE;
}

int ccn_store_window_sql(const ccn_store *s, char *buf, size_t n, const char *alias,
                         const char *table, const char *xmin, const char *ymin,
                         const char *xmax, const char *ymax)
{
    if (s->pg)
        return snprintf(buf, n, "%s.geom && ST_MakeEnvelope(%s, %s, %s, %s, %d)", alias, xmin,
                        ymin, xmax, ymax, s->srid);
    return snprintf(buf, n,
                    "%s.rowid IN (SELECT pkid FROM idx_%s_geom WHERE xmin <= %s AND xmax >= %s"
                    " AND ymin <= %s AND ymax >= %s)",
                    alias, table, xmax, xmin, ymax, ymin);
}

/* What a question needs of the workspace CRS, kept at its creation so
 * that it does not open PROJ's database (ccn_crs_lonlat_recipe). Nothing is
 * kept when PROJ cannot write it down: questions then ask the database. */
static ccn_status keep_lonlat_recipe(ccn_store *s)
{
    char crs[32], *recipe = NULL;
    snprintf(crs, sizeof crs, "EPSG:%d", s->srid);
    if (ccn_crs_lonlat_recipe(s->ctx, crs, &recipe)) {
        ccn_ctx_clear_error(s->ctx);
        return CCN_OK;
    }
    ccn_status st = recipe ? ccn_store_set_meta(s, "lonlat_recipe", recipe) : CCN_OK;
    free(recipe);
    return st;
}

/* Whether SpatiaLite defines EPSG:srid, asked without a word on stderr: its
 * InsertEpsgSrid prints "SRID=… isn't defined in the EPSG inlined dataset"
 * there (and SQLite's "UNIQUE constraint failed" for an SRID already in
 * spatial_ref_sys), where gpkgInsertEpsgSRID fails as SQL does. It writes into
 * a GeoPackage's gpkg_spatial_ref_sys: a temporary one here, dropped after. */
static ccn_status spatialite_defines(ccn_store *s, int srid, bool *defined)
{
    ccn_status st = ccn_store_exec(
        s, "CREATE TEMP TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER "
           "NOT NULL PRIMARY KEY, organization TEXT NOT NULL, organization_coordsys_id INTEGER "
           "NOT NULL, definition TEXT NOT NULL, description TEXT)");
    if (st)
        return st;
    char sql[64];
    snprintf(sql, sizeof sql, "SELECT gpkgInsertEpsgSRID(%d)", srid);
    *defined = ccn_store_exec(s, sql) == CCN_OK;
    ccn_ctx_clear_error(s->ctx);
    return ccn_store_exec(s, "DROP TABLE temp.gpkg_spatial_ref_sys");
}

static ccn_status create_store(ccn_ctx *ctx, const char *path, int srid, bool force,
                               bool keep_open, ccn_store **out)
{
    *out = NULL;
    if (ccn_pg_is_uri(path)) {
        ccn_status st = pg_store(ctx, path, srid, force, true, keep_open, out);
        if (!st && (st = keep_lonlat_recipe(*out))) {
            ccn_store_close(*out); /* with keep_open, that undid it all */
            *out = NULL;
            if (!keep_open)
                ccn_pg_remove(ctx, path);
        }
        return st;
    }
    if (access(path, F_OK) == 0) {
        if (!force)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "'%s' already exists (use --force to overwrite it)", path);
        if (unlink(path) != 0)
            return ccn_error(ctx, CCN_ERR_INPUT, "cannot remove '%s'", path);
    }
    ccn_store *s = NULL;
    ccn_status st = connect(ctx, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &s);
    if (st)
        return st;
    s->srid = srid;
    char sql[256];
    if ((st = ccn_store_begin(s)))
        goto fail;
    if ((st = ccn_store_exec(s, "SELECT InitSpatialMetadata(0, 'NONE')")))
        goto fail;
    /* the workspace's CRS if SpatiaLite defines it (else refused below), and
     * WGS 84 once */
    bool defined = false;
    if ((st = spatialite_defines(s, srid, &defined)))
        goto fail;
    snprintf(sql, sizeof sql, "SELECT InsertEpsgSrid(%d)", srid);
    if ((defined && (st = ccn_store_exec(s, sql))) ||
        (srid != 4326 && (st = ccn_store_exec(s, "SELECT InsertEpsgSrid(4326)"))))
        goto fail;
    {
        /* Refuse a CRS SpatiaLite does not know, or one in degrees. */
        ccn_stmt *q = NULL;
        snprintf(sql, sizeof sql,
                 "SELECT proj4text FROM spatial_ref_sys WHERE srid = %d", srid);
        if ((st = ccn_stmt_prepare(s, sql, &q)))
            goto fail;
        int row = ccn_stmt_step(q);
        const char *p4 = row == 1 ? ccn_stmt_text(q, 0) : NULL;
        bool projected = p4 && !strstr(p4, "+proj=longlat") && !strstr(p4, "+proj=merc");
        ccn_stmt_free(q);
        if (!projected) {
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "EPSG:%d is %s: the workspace CRS must be a projected CRS in metres "
                           "(areas are never computed in degrees or in Web Mercator)",
                           srid, row == 1 ? "not a suitable projected CRS" : "unknown");
            goto fail;
        }
    }
    if ((st = ccn_store_exec(s, schema_sql)) || (st = ccn_store_exec(s, AUDIT_SQL)))
        goto fail;
    for (size_t i = 0; i < sizeof geometry_columns / sizeof *geometry_columns; i++) {
        snprintf(sql, sizeof sql,
                 "SELECT AddGeometryColumn('%s', 'geom', %d, '%s', 'XY');"
                 "SELECT CreateSpatialIndex('%s', 'geom');",
                 geometry_columns[i].table, srid, geometry_columns[i].type,
                 geometry_columns[i].table);
        if ((st = ccn_store_exec(s, sql)))
            goto fail;
    }
    snprintf(sql, sizeof sql, "%d", srid);
    if ((st = ccn_store_set_meta(s, "srid", sql)) ||
        (st = ccn_store_set_meta(s, "format", "ccn 1")) || (st = keep_lonlat_recipe(s)))
        goto fail;
    if ((st = ccn_store_commit(s)))
        goto fail;
    audit_attach(s);
    if (keep_open && (st = ccn_store_begin(s)))
        goto fail;
    *out = s;
    return CCN_OK;
fail:
    ccn_store_close(s);
    unlink(path);
    return st;
}

ccn_status ccn_store_create(ccn_ctx *ctx, const char *path, int srid, bool force,
                            ccn_store **out)
{
    return create_store(ctx, path, srid, force, false, out);
}

ccn_status ccn_store_create_open(ccn_ctx *ctx, const char *path, int srid, bool force,
                                 ccn_store **out)
{
    return create_store(ctx, path, srid, force, true, out);
}

/* May we create files in the folder of path (a WAL workspace's -wal, -shm)? */
static bool folder_writable(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return access(".", W_OK) == 0;
    char *dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
    bool ok = !dir || access(dir, W_OK) == 0; /* out of memory: as before, no fallback */
    free(dir);
    return ok;
}

/* "file:PATH?immutable=1" with PATH percent-escaped as RFC 3986 wants; malloc'd. */
static char *file_uri(const char *path)
{
    static const char head[] = "file:", tail[] = "?immutable=1";
    size_t size = strlen(path) * 3 + sizeof head + sizeof tail;
    char *uri = malloc(size);
    if (!uri)
        return NULL;
    size_t w = (size_t)snprintf(uri, size, "%s", head);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("/-._~", *p))
            uri[w++] = (char)*p;
        else
            w += (size_t)snprintf(uri + w, size - w, "%%%02X", *p);
    }
    snprintf(uri + w, size - w, "%s", tail);
    return uri;
}

ccn_status ccn_store_open(ccn_ctx *ctx, const char *path, ccn_store **out)
{
    *out = NULL;
    if (ccn_pg_is_uri(path))
        return pg_store(ctx, path, 0, false, false, false, out);
    if (access(path, F_OK) != 0)
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "workspace '%s' does not exist (create it with 'ccn init')", path);
    ccn_store *s = NULL;
    ccn_status st = connect(ctx, path, SQLITE_OPEN_READWRITE, &s);
    if (st)
        return st;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM ccn_meta WHERE key = 'srid'", -1, &q,
                           NULL) != SQLITE_OK &&
        (access(path, W_OK) != 0 || !folder_writable(path))) {
        /* A WAL workspace on read-only media or in a folder we cannot write
         * (no -shm can be made): read it as an immutable file. */
        char *uri = file_uri(path);
        ccn_store_close(s);
        s = NULL;
        st = uri ? connect(ctx, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, &s)
                 : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        free(uri);
        if (st)
            return st;
        free(s->path);
        s->path = strdup(path);
        sqlite3_finalize(q);
        q = NULL;
        sqlite3_prepare_v2(s->db, "SELECT value FROM ccn_meta WHERE key = 'srid'", -1, &q, NULL);
    }
    if (!q && sqlite3_errcode(s->db) != SQLITE_NOTADB &&
        strncmp(sqlite3_errmsg(s->db), "no such table", 13) != 0) {
        /* Neither another kind of file nor one without ccn_meta: it could not
         * be read at all (a full disk where the -shm must grow, an I/O
         * error): say what SQLite says. */
        int e = sqlite3_extended_errcode(s->db);
        bool full = e == SQLITE_FULL || e == SQLITE_IOERR_SHMSIZE || e == SQLITE_IOERR_WRITE;
        char why[300];
        snprintf(why, sizeof why, "%s%s", sqlite3_errmsg(s->db),
                 full ? " (is the disk full? SQLite needs room beside the workspace for its "
                        "-wal and -shm files)"
                      : "");
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot open workspace '%s': %s", path, why);
        ccn_store_close(s);
        return st;
    }
    if (!q || sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        ccn_store_close(s);
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "'%s' is not a ccn workspace (no ccn_meta table; create one with "
                         "'ccn init')",
                         path);
    }
    s->srid = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_exec(s->db, PALETTE_SQL, NULL, NULL, NULL); /* empty: the built-in colours */
    audit_attach(s);
    *out = s;
    return CCN_OK;
}

void ccn_store_close(ccn_store *s)
{
    if (!s)
        return;
    ccn_pg_close(s->pg);
    free(s->uri);
    if (s->db)
        sqlite3_close_v2(s->db);
    if (s->spatialite)
        ccn_spatialite_disconnect(s->spatialite);
    free(s->bulk_triggers);
    free(s->bulk_indexes);
    free(s->fresh.b);
    if (s->bulk_file >= 0)
        close(s->bulk_file);
    free(s->path);
    free(s);
}

ccn_status ccn_store_open_same(ccn_ctx *ctx, const ccn_store *s, ccn_store **out)
{
    return ccn_store_open(ctx, s->uri ? s->uri : s->path, out);
}

const char *ccn_store_pg_conninfo(const ccn_store *s) { return s->pg ? ccn_pg_conninfo(s->pg) : NULL; }
const char *ccn_store_pg_schema(const ccn_store *s) { return s->pg ? ccn_pg_schema(s->pg) : NULL; }

ccn_ctx *ccn_store_ctx(ccn_store *s) { return s->ctx; }
int ccn_store_srid(const ccn_store *s) { return s->srid; }
const char *ccn_store_path(const ccn_store *s) { return s->path; }

/* A write refused because the file or its folder is read-only, or because
 * another writer held the workspace past the busy timeout, said once and as
 * the user's problem (exit 2, in the words a PostgreSQL workspace uses), not
 * as an internal error. */
static ccn_status user_write_error(ccn_store *s, ccn_status st)
{
    int code = sqlite3_extended_errcode(s->db);
    if ((code & 0xff) == SQLITE_READONLY || (code & 0xff) == SQLITE_CANTOPEN)
        return ccn_error(s->ctx, CCN_ERR_INPUT,
                         "workspace '%s' is read-only: nothing can be written to it (check the "
                         "file's and its folder's permissions)",
                         s->path);
    if ((code & 0xff) == SQLITE_BUSY)
        return ccn_error(s->ctx, CCN_ERR_INPUT,
                         "workspace '%s': another command kept the workspace busy too long (%s); "
                         "try again, or set CCN_BUSY_TIMEOUT_MS",
                         s->path, sqlite3_errmsg(s->db));
    return st;
}

ccn_status ccn_store_exec(ccn_store *s, const char *sql)
{
    if (s->pg)
        return ccn_pg_exec(s->pg, sql);
    /* sqlite3_exec, a statement at a time through prepare (SpatiaLite on demand). */
    for (const char *next = sql; next && *next;) {
        sqlite3_stmt *q = NULL;
        int rc = prepare(s, next, &q, &next);
        if (rc == SQLITE_OK && q)
            while ((rc = sqlite3_step(q)) == SQLITE_ROW)
                ;
        if (rc != SQLITE_OK && rc != SQLITE_DONE) {
            ccn_status st = ccn_error(s->ctx, CCN_ERR_INTERNAL, "%s: %s", s->path,
                                      sqlite3_errmsg(s->db));
            sqlite3_finalize(q);
            return st;
        }
        sqlite3_finalize(q);
    }
    return CCN_OK;
}

/* The journal mode made `mode` ("delete", "wal")? */
static bool journal_mode_is(ccn_store *s, const char *mode)
{
    char sql[40];
    snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", mode);
    sqlite3_stmt *q = NULL;
    bool done = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK &&
                sqlite3_step(q) == SQLITE_ROW &&
                sqlite3_stricmp((const char *)sqlite3_column_text(q, 0), mode) == 0;
    sqlite3_finalize(q);
    return done;
}

/* WAL again after a transaction of begin_bulk. Refused while another
 * connection has opened the workspace meanwhile: then the next opening
 * converts it (connect). */
static void back_to_wal(ccn_store *s)
{
    if (!s->journal_aside)
        return;
    s->journal_aside = false;
    journal_mode_is(s, "wal");
    sqlite3_exec(s->db, "PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
}

/* The outermost begin takes the write lock at once (BEGIN IMMEDIATE): a
 * command that reads and then writes never has to upgrade a read lock, which
 * SQLite refuses ("database is locked") when another writer came first.
 * Inner begins are savepoints, so a library call that writes can run inside
 * a command's transaction. */
ccn_status ccn_store_begin(ccn_store *s)
{
    if (s->snapshot_open)
        return ccn_error(s->ctx, CCN_ERR_INTERNAL, "%s: a write inside a read snapshot", s->path);
    if (s->pg)
        return ccn_pg_begin(s->pg);
    if (s->depth == 0) {
        if (!with_spatialite(s)) /* the geometry columns' triggers call it */
            return CCN_ERR_INTERNAL;
        if (sqlite3_db_readonly(s->db, "main") == 1)
            return ccn_error(s->ctx, CCN_ERR_INPUT,
                             "workspace '%s' is read-only: nothing can be written to it "
                             "(check the file's and its folder's permissions)",
                             s->path);
        ccn_status st = ccn_store_exec(s, "BEGIN IMMEDIATE");
        if (st)
            return user_write_error(s, st);
    } else {
        char sql[48];
        snprintf(sql, sizeof sql, "SAVEPOINT ccn_%d", s->depth);
        ccn_status st = ccn_store_exec(s, sql);
        if (st)
            return st;
    }
    s->depth++;
    return CCN_OK;
}

/* A bulk load's transaction. When no other connection has the workspace
 * open, it runs with a rollback journal and the workspace is WAL again at
 * its end: the new rows' pages lie past the file's old end, which a
 * rollback journal does not copy, so they are written once instead of to
 * the WAL and again by the checkpoint (320,000 parcels: 97 MB written, not
 * 198; a fifth of the import's time). A command that opens the workspace
 * meanwhile waits for the load (busy timeout) instead of reading what was
 * there before it; a killed load leaves a journal the next opening rolls
 * back. SQLite leaves WAL only for a lone connection (QGIS holding the
 * file open keeps it): then it is an ordinary transaction. */
ccn_status ccn_store_begin_bulk(ccn_store *s)
{
    /* FULL: with a rollback journal NORMAL may leave a file a power cut
     * corrupts (SQLite's documentation); WAL is safe at NORMAL. */
    if (!s->pg && s->depth == 0 && !s->snapshot_open && journal_mode_is(s, "delete")) {
        s->journal_aside = true;
        sqlite3_exec(s->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    }
    ccn_status st = ccn_store_begin(s);
    if (st)
        back_to_wal(s);
    return st;
}

/* SQLite (WAL) fixes a read transaction's snapshot at its first read;
 * PostgreSQL needs REPEATABLE READ for one snapshot across statements. */
ccn_status ccn_store_snapshot_begin(ccn_store *s)
{
    if (s->snapshots++ > 0 || s->depth > 0 || (s->pg && ccn_pg_in_transaction(s->pg)))
        return CCN_OK;
    ccn_status st = s->pg ? ccn_pg_snapshot_begin(s->pg)
                          : ccn_store_exec(s, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master");
    if (st) {
        s->snapshots--;
        return st;
    }
    s->snapshot_open = true;
    return CCN_OK;
}

void ccn_store_snapshot_end(ccn_store *s)
{
    if (s->snapshots == 0 || --s->snapshots > 0 || !s->snapshot_open)
        return;
    s->snapshot_open = false;
    if (s->pg)
        ccn_pg_snapshot_end(s->pg);
    else if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
}

bool ccn_store_transaction_lost(ccn_store *s)
{
    /* PostgreSQL keeps a failed transaction open, refusing every statement
     * until the rollback: nothing can be stored outside it */
    return !s->pg && s->depth > 0 && sqlite3_get_autocommit(s->db);
}

ccn_status ccn_store_commit(ccn_store *s)
{
    if (s->pg)
        return ccn_pg_commit(s->pg);
    if (s->depth <= 0)
        return ccn_error(s->ctx, CCN_ERR_INTERNAL, "%s: commit without a transaction", s->path);
    char sql[48];
    if (s->depth == 1)
        snprintf(sql, sizeof sql, "COMMIT");
    else
        snprintf(sql, sizeof sql, "RELEASE ccn_%d", s->depth - 1);
    ccn_status st = ccn_store_exec(s, sql);
    if (st)
        return user_write_error(s, st);
    if (--s->depth == 0)
        back_to_wal(s);
    return CCN_OK;
}

void ccn_store_rollback(ccn_store *s)
{
    if (s->pg) {
        ccn_pg_rollback(s->pg);
        return;
    }
    if (s->depth > 1) {
        char sql[80];
        snprintf(sql, sizeof sql, "ROLLBACK TO ccn_%d; RELEASE ccn_%d", s->depth - 1,
                 s->depth - 1);
        sqlite3_exec(s->db, sql, NULL, NULL, NULL);
        s->depth--;
        return;
    }
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->depth = 0;
    back_to_wal(s);
}

ccn_status ccn_store_add_column(ccn_store *s, const char *table, const char *column,
                                const char *type)
{
    if (s->pg)
        return ccn_pg_add_column(s->pg, table, column, type);
    if (ccn_store_has_column(s, table, column))
        return CCN_OK;
    char sql[256];
    snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", table, column, type);
    return ccn_store_exec(s, sql);
}

bool ccn_store_has_column(ccn_store *s, const char *table, const char *column)
{
    if (s->pg)
        return ccn_pg_has_column(s->pg, table, column);
    /* Not "SELECT column FROM table": SQLite reads an unknown double-quoted
     * name as a string, so that never fails. */
    return sqlite3_table_column_metadata(s->db, "main", table, column, NULL, NULL, NULL, NULL,
                                         NULL) == SQLITE_OK;
}

bool ccn_store_findings_old(ccn_store *s)
{
    return ccn_store_has_column(s, "findings", "feature");
}

ccn_status ccn_store_findings_upgrade(ccn_store *s)
{
    if (!ccn_store_findings_old(s))
        return CCN_OK;
    ccn_status st = ccn_store_exec(s, "ALTER TABLE findings RENAME COLUMN fid TO id;"
                                      " ALTER TABLE findings RENAME COLUMN feature TO fid;"
                                      " ALTER TABLE findings RENAME COLUMN other_feature TO other_fid");
    /* The old default numbered the key by max(fid), now the features' ids;
     * ccn check gives every finding its id. */
    if (!st && s->pg)
        st = ccn_store_exec(s, "ALTER TABLE findings ALTER COLUMN id DROP DEFAULT");
    return st;
}

ccn_status ccn_store_findings_readable(ccn_store *s)
{
    if (!ccn_store_findings_old(s))
        return CCN_OK;
    ccn_status st = ccn_store_begin(s);
    if (!st && !(st = ccn_store_findings_upgrade(s)))
        st = ccn_store_commit(s);
    if (!st)
        return CCN_OK;
    ccn_store_rollback(s);
    return ccn_error(s->ctx, CCN_ERR_INPUT,
                     "%s: the findings table was written by an older ccn (columns feature, "
                     "other_feature) and cannot be renamed here: run 'ccn check' on the "
                     "workspace again",
                     ccn_store_path(s));
}

const char *ccn_store_key(const char *table)
{
    return strcmp(table, "findings") == 0 ? "id" : "fid";
}

int64_t ccn_store_changes(ccn_store *s)
{
    return s->pg ? ccn_pg_changes(s->pg) : sqlite3_changes64(s->db);
}

int64_t ccn_store_count(ccn_store *s, const char *table)
{
    if (s->pg)
        return ccn_pg_count(s->pg, table);
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", table);
    sqlite3_stmt *q = NULL;
    int64_t n = -1;
    if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
        n = sqlite3_column_int64(q, 0);
    else
        db_error(s, "count");
    sqlite3_finalize(q);
    return n;
}

ccn_status ccn_store_lonlat(ccn_store *s, ccn_ctx *ctx, ccn_transform **tf, double *lon0)
{
    char crs[32];
    snprintf(crs, sizeof crs, "EPSG:%d", s->srid);
    *tf = NULL;
    *lon0 = NAN;
    char *recipe = ccn_store_meta(s, "lonlat_recipe");
    bool kept = recipe && ccn_crs_from_recipe(ctx, recipe, crs, tf, lon0);
    free(recipe);
    if (kept)
        return CCN_OK;
    ccn_status st = ccn_crs_transform_new(ctx, crs, "EPSG:4326", tf);
    if (!st && ccn_crs_central_meridian(ctx, crs, lon0)) {
        ccn_ctx_clear_error(ctx);
        *lon0 = NAN;
    }
    return st;
}

char *ccn_store_meta(ccn_store *s, const char *key)
{
    if (s->pg)
        return ccn_pg_meta(s->pg, key);
    sqlite3_stmt *q = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM ccn_meta WHERE key = ?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            v = strdup((const char *)sqlite3_column_text(q, 0));
    }
    sqlite3_finalize(q);
    return v;
}

ccn_status ccn_store_set_meta(ccn_store *s, const char *key, const char *value)
{
    if (s->pg)
        return ccn_pg_set_meta(s->pg, key, value);
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO ccn_meta VALUES (?, ?)", -1, &q, NULL) !=
        SQLITE_OK)
        return db_error(s, "meta");
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? CCN_OK : db_error(s, "meta");
}

/* The triggers SpatiaLite runs on each inserted row: the R*Tree insert
 * (gii), its update and delete twins, the geometry type/SRID check (ggi,
 * a subquery and a parse per row) and the last-insert time (tmi, an UPDATE
 * per row). A bulk load drops them inside its transaction and bulk_end does
 * their work once for all rows, then creates them again. */
static const char *const bulk_trigger_kinds[] = {"gii", "giu", "gid", "ggi", "tmi"};
enum { BULK_TRIGGERS = sizeof bulk_trigger_kinds / sizeof *bulk_trigger_kinds };

/* Save and drop the table's per-row triggers; false (nothing dropped) if
 * one of them is missing: then the table is loaded the slower way. */
static bool drop_row_triggers(ccn_store *s, const char *table)
{
    char *saved = NULL, *drop = NULL;
    bool ok = true;
    for (int k = 0; ok && k < BULK_TRIGGERS; k++) {
        char *q = sqlite3_mprintf("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND"
                                  " name = '%q_%q_geom' AND tbl_name = %Q",
                                  bulk_trigger_kinds[k], table, table);
        sqlite3_stmt *st = NULL;
        ok = q && sqlite3_prepare_v2(s->db, q, -1, &st, NULL) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0);
        if (ok) {
            char *more = sqlite3_mprintf("%s%s;\n", saved ? saved : "", sqlite3_column_text(st, 0));
            char *more_drop = sqlite3_mprintf("%sDROP TRIGGER \"%w_%w_geom\";", drop ? drop : "",
                                              bulk_trigger_kinds[k], table);
            sqlite3_free(saved);
            sqlite3_free(drop);
            saved = more, drop = more_drop;
            ok = saved && drop;
        }
        sqlite3_finalize(st);
        sqlite3_free(q);
    }
    if (ok && sqlite3_exec(s->db, drop, NULL, NULL, NULL) == SQLITE_OK) {
        free(s->bulk_triggers);
        s->bulk_triggers = strdup(saved);
        ok = s->bulk_triggers != NULL;
    } else {
        ok = false;
    }
    sqlite3_free(saved);
    sqlite3_free(drop);
    return ok;
}

/* A bulk load into an empty table: its plain indexes (not those of UNIQUE or
 * PRIMARY KEY constraints) dropped, their SQL kept in s->bulk_indexes for
 * bulk_end to build them again in one sorted pass. Kept row by row, the
 * parcels' two key indexes took two thirds of the writing thread's time
 * (320,000 parcels: 0.6 of 0.95 s; built after the load, 0.15 s). False,
 * nothing dropped, if that cannot be done. */
static bool set_indexes_aside(ccn_store *s, const char *table)
{
    char *saved = NULL, *drop = NULL;
    sqlite3_stmt *q = NULL;
    bool ok = sqlite3_prepare_v2(s->db,
                                 "SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(?1) i"
                                 " ON i.name = m.name WHERE m.type = 'index' AND m.sql IS NOT NULL"
                                 " AND i.origin = 'c' AND NOT i.\"unique\" AND NOT i.partial",
                                 -1, &q, NULL) == SQLITE_OK;
    if (ok)
        sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
    int rc;
    while (ok && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        char *more = sqlite3_mprintf("%s%s;", saved ? saved : "", sqlite3_column_text(q, 1));
        char *more_drop = sqlite3_mprintf("%sDROP INDEX \"%w\";", drop ? drop : "",
                                          (const char *)sqlite3_column_text(q, 0));
        sqlite3_free(saved);
        sqlite3_free(drop);
        saved = more, drop = more_drop;
        ok = saved && drop;
    }
    ok = ok && rc == SQLITE_DONE;
    sqlite3_finalize(q);
    if (ok && drop) {
        ok = (s->bulk_indexes = strdup(saved)) != NULL &&
             sqlite3_exec(s->db, drop, NULL, NULL, NULL) == SQLITE_OK;
        if (!ok) {
            free(s->bulk_indexes);
            s->bulk_indexes = NULL;
        }
    }
    sqlite3_free(saved);
    sqlite3_free(drop);
    return ok;
}

ccn_status ccn_store_bulk_begin(ccn_store *s, const char *table, int64_t incoming)
{
    if (s->pg)
        return ccn_pg_bulk_begin(s->pg, table, incoming);
    free(s->bulk_triggers);
    s->bulk_triggers = NULL;
    free(s->bulk_indexes);
    s->bulk_indexes = NULL;
    free(s->fresh.b);
    memset(&s->fresh, 0, sizeof s->fresh);
    /* A page cache of 16 MB, not 200, during the load: the pages of rows
     * already in are written out to the WAL by the writer thread while the
     * reading goes on and their memory is used again, instead of each page
     * costing fresh memory (a page fault per 4 KiB) and all of them being
     * written at the commit (320,000 parcels: a quarter less CPU). The
     * indexes being filled stay in it. It stays for the rest of the
     * connection: what follows a bulk load reads each page about once. */
    sqlite3_exec(s->db, "PRAGMA cache_size=-16000", NULL, NULL, NULL);
    /* The pages reach the disk while the load goes on (write_back_hint),
     * not all in the commit's sync: 320,000 parcels, 110 MB, synced in
     * 0.15 s at the commit otherwise. */
    if (s->bulk_file < 0) {
        const char *db = sqlite3_db_filename(s->db, "main");
        const char *file = s->journal_aside ? db : sqlite3_filename_wal(db);
        s->bulk_file = file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
    }
    if (drop_row_triggers(s, table)) {
        char *sql = sqlite3_mprintf("SELECT coalesce(max(ROWID), 0), NOT EXISTS (SELECT 1 FROM"
                                    " \"%w\") FROM \"%w\"", table, table);
        sqlite3_stmt *q = NULL;
        if (sql && sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) == SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW) {
            s->fresh.after = sqlite3_column_int64(q, 0);
            s->fresh.was_empty = sqlite3_column_int(q, 1);
            s->fresh.active = s->fresh.usable = true;
            /* Room for every box announced (the writer thread then only
             * appends; a wrong count just grows the list as it goes). */
            if (incoming > 0 && (uint64_t)incoming < SIZE_MAX / sizeof *s->fresh.b)
                ccn_grow((void **)&s->fresh.b, &s->fresh.cap, (size_t)incoming,
                         sizeof *s->fresh.b);
        }
        sqlite3_finalize(q);
        sqlite3_free(sql);
        if (s->fresh.was_empty && !set_indexes_aside(s, table))
            return db_error(s, "bulk load");
        return CCN_OK;
    }
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT DisableSpatialIndex('%s', 'geom')", table);
    return ccn_store_exec(s, sql);
}

ccn_status ccn_store_bulk_end(ccn_store *s, const char *table)
{
    if (s->pg)
        return ccn_pg_bulk_end(s->pg, table);
    ccn_status st;
    if (s->bulk_file >= 0) {
        close(s->bulk_file);
        s->bulk_file = -1;
    }
    if (s->bulk_triggers) {
        /* The R*Tree packed from all rows, the type/SRID of every geometry
         * checked on the way, the last-insert time, and the triggers back. */
        char *touch = sqlite3_mprintf(
            "UPDATE geometry_columns_time SET last_insert = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ',"
            " 'now') WHERE Lower(f_table_name) = Lower(%Q) AND Lower(f_geometry_column) = 'geom'",
            table);
        bool fresh = s->fresh.active && s->fresh.usable;
        /* The set-aside indexes are built while the boxes are sorted. */
        st = ccn_store_rtree_pack(s->ctx, s->db, s->path, table, fresh ? s->fresh.b : NULL,
                                  s->fresh.n, s->fresh.after, s->bulk_indexes);
        free(s->bulk_indexes);
        s->bulk_indexes = NULL;
        s->loaded.known = !st && fresh && s->fresh.was_empty && s->fresh.n > 0 &&
                          strlen(table) < sizeof s->loaded.table;
        if (s->loaded.known) {
            strcpy(s->loaded.table, table);
            s->loaded.rows = (int64_t)s->fresh.n;
            ccn_rtree_extent(s->fresh.b, s->fresh.n, s->loaded.extent);
        }
        if (!st)
            st = ccn_store_exec(s, s->bulk_triggers);
        if (!st)
            st = touch ? ccn_store_exec(s, touch) : ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
        sqlite3_free(touch);
        free(s->bulk_triggers);
        s->bulk_triggers = NULL;
        free(s->fresh.b);
        memset(&s->fresh, 0, sizeof s->fresh);
    } else {
        char sql[256];
        snprintf(sql, sizeof sql,
                 "DROP TABLE IF EXISTS \"idx_%s_geom\"; SELECT CreateSpatialIndex('%s', 'geom')",
                 table, table);
        st = ccn_store_exec(s, sql);
    }
    if (st == CCN_OK && s->bulk_indexes)
        st = ccn_store_exec(s, s->bulk_indexes);
    free(s->bulk_indexes);
    s->bulk_indexes = NULL;
    /* Workspaces made before parcels_sheet existed get it with their next parcels. */
    if (st == CCN_OK && strcmp(table, "parcels") == 0)
        st = ccn_store_exec(s, "CREATE INDEX IF NOT EXISTS parcels_sheet"
                               " ON parcels(sheet, commune, parcel_no, landuse)");
    s->loaded.changes = sqlite3_total_changes64(s->db);
    return st;
}

void ccn_store_scan_once(ccn_store *s)
{
    if (s->pg)
        return; /* the server's buffers are shared */
    sqlite3_exec(s->db, "PRAGMA cache_size=-8000", NULL, NULL, NULL); /* 8 MB */
}

ccn_status ccn_store_rebuild_index(ccn_store *s, const char *table)
{
    return s->pg ? CCN_OK : ccn_store_rtree_pack(s->ctx, s->db, s->path, table, NULL, 0, 0, NULL);
}

ccn_status ccn_store_update_extent(ccn_store *s, const char *table)
{
    if (s->pg)
        return CCN_OK /* PostGIS computes extents when asked */;
    /* What UpdateLayerStatistics records, read off the R*Tree instead of
     * parsing every geometry (a tenth of the time on 300,000 parcels), or
     * known from the bulk load that filled the table just now. */
    bool known = s->loaded.known && strcmp(s->loaded.table, table) == 0 &&
                 sqlite3_total_changes64(s->db) == s->loaded.changes;
    s->loaded.known = false;
    if (known) {
        sqlite3_stmt *q = NULL;
        bool ok = prepare(s, "INSERT OR REPLACE INTO geometry_columns_statistics (f_table_name,"
                             " f_geometry_column, last_verified, row_count, extent_min_x,"
                             " extent_min_y, extent_max_x, extent_max_y) VALUES (?, 'geom',"
                             " strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?, ?, ?, ?, ?)",
                          &q, NULL) == SQLITE_OK;
        if (ok) {
            sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
            sqlite3_bind_int64(q, 2, s->loaded.rows);
            for (int k = 0; k < 4; k++)
                sqlite3_bind_double(q, 3 + k, s->loaded.extent[k]);
            ok = sqlite3_step(q) == SQLITE_DONE;
        }
        ccn_status st = ok ? CCN_OK : db_error(s, "statistics");
        sqlite3_finalize(q);
        return st;
    }
    char sql[1024];
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO geometry_columns_statistics (f_table_name,"
             " f_geometry_column, last_verified, row_count, extent_min_x, extent_min_y,"
             " extent_max_x, extent_max_y)"
             " SELECT '%s', 'geom', strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now'),"
             " (SELECT count(*) FROM \"%s\" WHERE geom IS NOT NULL),"
             " min(xmin), min(ymin), max(xmax), max(ymax) FROM \"idx_%s_geom\"",
             table, table, table);
    return ccn_store_exec(s, sql);
}

/* The writer thread of an async statement. Rows travel in batches through a
 * small bounded queue; each cell is a bound value the thread binds itself.
 * A batch's texts and blobs sit in one byte arena of its own, and the
 * writer hands spent batches back for reuse: no allocation per value, and
 * none freed by a thread other than the one that made it (320,000 parcels:
 * a malloc and a cross-thread free per text were a fifth of the CPU, much
 * of it waiting on the allocator's lock). */
enum { CELL_NULL, CELL_INT, CELL_DOUBLE, CELL_TEXT, CELL_BLOB };
enum { ASYNC_BATCH_ROWS = 256, ASYNC_QUEUE = 4, ASYNC_SPARE = ASYNC_QUEUE + 2 };

typedef struct {
    int type;
    int64_t i;
    double d;
    size_t off, n; /* text (n bytes, then a NUL) or blob: at off in the batch's arena */
} cell;

typedef struct {
    cell *cells; /* rows × nparams */
    int64_t *tags; /* per row, ccn_stmt_tag's */
    int rows;
    unsigned char *bytes; /* the arena of the rows' texts and blobs */
    size_t used, cap;
} batch;

struct async_writer {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    batch queue[ASYNC_QUEUE];
    int head, count;      /* queued batches */
    batch spare[ASYNC_SPARE];
    int nspare;           /* spent batches, for the caller to fill again */
    bool closing, failed;
    char message[512];    /* the first error, from the writer thread */
    struct refused_row {
        int64_t tag;
        char *message;
    } *refused;           /* rows the database refused, for the handler (ccn_stmt_on_refusal) */
    size_t nrefused, refused_cap;
    int nparams;
    long run;             /* batches written */
    batch filling;        /* the batch the caller is filling */
    cell *row;            /* the row being bound, inside `filling` */
};

static void batch_free(batch *b)
{
    free(b->cells);
    free(b->tags);
    free(b->bytes);
    *b = (batch){0};
}

/* After a keep_boxes statement inserted a row: its id and its geometry's
 * box from the blob's header (SpatiaLite's: 0x00, 0x01 little-endian, SRID,
 * min x, min y, max x, max y, 0x7C, class type … 0xFE) into store->fresh.
 * A row this cannot note makes the whole list unusable (bulk_end then reads
 * every row). No geometry (b NULL): no box, as the index has none. */
static void note_box(ccn_store *s, const unsigned char *b, size_t n)
{
    if (!s->fresh.active || !s->fresh.usable || !b)
        return;
    int64_t id = sqlite3_last_insert_rowid(s->db);
    int64_t last = s->fresh.n ? s->fresh.b[s->fresh.n - 1].id : s->fresh.after;
    if (n < 44 || b[0] != 0x00 || b[1] != 0x01 || b[38] != 0x7C || b[n - 1] != 0xFE ||
        id <= last ||
        !ccn_grow((void **)&s->fresh.b, &s->fresh.cap, s->fresh.n + 1, sizeof *s->fresh.b)) {
        s->fresh.usable = false;
        return;
    }
    ccn_rtree_box *box = &s->fresh.b[s->fresh.n++];
    box->id = id;
    memcpy(&box->srid, b + 2, 4);
    memcpy(box->mbr, b + 6, 32);
    memcpy(&box->type, b + 39, 4);
}

/* Did the database refuse the row alone (a constraint, a trigger's
 * RAISE(ABORT)), the transaction standing, for a statement with a refusal
 * handler? A RAISE(ROLLBACK) ended the transaction: that fails the command. */
static bool row_refused(ccn_stmt *st, int rc)
{
    return st->on_refusal && ((rc & 0xff) == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_MISMATCH) &&
           !sqlite3_get_autocommit(st->store->db);
}

/* A row of a statement with a refusal handler goes under a savepoint of its
 * own: a trigger's RAISE(FAIL) ends the statement without undoing what it
 * did, so a row an AFTER INSERT trigger refused that way would stay stored
 * while ccn counts it refused. A refused row is rolled back to it. The
 * three statements are prepared once; the savepoints cost an import 1 to
 * 2 % more instructions (README). */
enum { ROW_BEGIN, ROW_RELEASE, ROW_UNDO };

static bool row_savepoint(ccn_stmt *st, int k)
{
    static const char *const sql[] = {"SAVEPOINT ccn_row", "RELEASE ccn_row",
                                      "ROLLBACK TO ccn_row"};
    if (!st->row_sp[k] &&
        sqlite3_prepare_v2(st->store->db, sql[k], -1, &st->row_sp[k], NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_step(st->row_sp[k]);
    sqlite3_reset(st->row_sp[k]);
    return rc == SQLITE_DONE;
}

/* After the row failed: undo it and drop its savepoint (none left when the
 * transaction itself ended, a RAISE(ROLLBACK)). */
static bool row_undo(ccn_stmt *st)
{
    sqlite3_reset(st->stmt);
    return sqlite3_get_autocommit(st->store->db) ||
           (row_savepoint(st, ROW_UNDO) && row_savepoint(st, ROW_RELEASE));
}

static void run_batch(ccn_stmt *st, batch *b)
{
    async_writer *a = st->async;
    for (int r = 0; r < b->rows && !a->failed; r++) {
        cell *c = b->cells + (size_t)r * a->nparams;
        sqlite3_reset(st->stmt);
        for (int i = 0; i < a->nparams; i++) {
            switch (c[i].type) {
            case CELL_INT: sqlite3_bind_int64(st->stmt, i + 1, c[i].i); break;
            case CELL_DOUBLE: sqlite3_bind_double(st->stmt, i + 1, c[i].d); break;
            case CELL_TEXT:
                sqlite3_bind_text64(st->stmt, i + 1, (const char *)b->bytes + c[i].off, c[i].n,
                                    SQLITE_STATIC, SQLITE_UTF8);
                break;
            case CELL_BLOB:
                sqlite3_bind_blob64(st->stmt, i + 1, b->bytes + c[i].off, c[i].n, SQLITE_STATIC);
                break;
            default: sqlite3_bind_null(st->stmt, i + 1);
            }
        }
        bool sp = st->on_refusal;
        int rc = sp && !row_savepoint(st, ROW_BEGIN) ? SQLITE_ERROR : sqlite3_step(st->stmt);
        if (rc == SQLITE_DONE && sp && !row_savepoint(st, ROW_RELEASE))
            rc = SQLITE_ERROR;
        if (rc == SQLITE_DONE) {
            if (st->keep_boxes) {
                const cell *g = st->geom_param > 0 ? &c[st->geom_param - 1] : NULL;
                bool blob = g && g->type == CELL_BLOB;
                note_box(st->store, blob ? b->bytes + g->off : NULL, blob ? g->n : 0);
            }
        } else if (row_refused(st, rc)) {
            pthread_mutex_lock(&a->lock);
            char *m = strdup(sqlite3_errmsg(st->store->db));
            if (!row_undo(st)) {
                free(m);
                m = NULL;
            }
            if (m && ccn_grow((void **)&a->refused, &a->refused_cap, a->nrefused + 1,
                              sizeof *a->refused)) {
                a->refused[a->nrefused++] = (struct refused_row){b->tags[r], m};
            } else {
                free(m);
                a->failed = true;
                snprintf(a->message, sizeof a->message, "%s: %s", st->store->path,
                         sqlite3_errmsg(st->store->db));
            }
            pthread_mutex_unlock(&a->lock);
        } else {
            pthread_mutex_lock(&a->lock);
            a->failed = true;
            snprintf(a->message, sizeof a->message, "%s: %s", st->store->path,
                     sqlite3_errmsg(st->store->db));
            if (sp)
                row_undo(st);
            pthread_mutex_unlock(&a->lock);
        }
    }
    sqlite3_reset(st->stmt); /* the arena is reused: nothing may point into it */
    memset(b->cells, 0, (size_t)b->rows * a->nparams * sizeof *b->cells);
    b->rows = 0;
    b->used = 0;
}

/* Start writing a bulk load's pages out to the disk now, without waiting,
 * as PostgreSQL's wal_writer_flush_after does: the commit's sync then
 * finds little left to write. */
static void write_back_hint(const ccn_store *s)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (s->bulk_file >= 0)
        sync_file_range(s->bulk_file, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)s;
#endif
}

static void *writer_main(void *arg)
{
    ccn_stmt *st = arg;
    async_writer *a = st->async;
    pthread_mutex_lock(&a->lock);
    for (;;) {
        while (a->count == 0 && !a->closing)
            pthread_cond_wait(&a->changed, &a->lock);
        if (a->count == 0)
            break;
        batch b = a->queue[a->head];
        a->head = (a->head + 1) % ASYNC_QUEUE;
        a->count--;
        pthread_cond_broadcast(&a->changed);
        pthread_mutex_unlock(&a->lock);
        run_batch(st, &b);
        if (++a->run % 32 == 0) /* each 8,192 rows */
            write_back_hint(st->store);
        pthread_mutex_lock(&a->lock);
        if (a->nspare < ASYNC_SPARE)
            a->spare[a->nspare++] = b;
        else
            batch_free(&b);
    }
    pthread_mutex_unlock(&a->lock);
    return NULL;
}

/* A batch to fill: a spent one if the writer handed one back, else a new one. */
static bool new_batch(async_writer *a)
{
    pthread_mutex_lock(&a->lock);
    bool reused = a->nspare > 0;
    if (reused)
        a->filling = a->spare[--a->nspare];
    pthread_mutex_unlock(&a->lock);
    if (!reused) {
        a->filling = (batch){0};
        a->filling.cells = calloc((size_t)ASYNC_BATCH_ROWS * a->nparams, sizeof(cell));
        a->filling.tags = calloc(ASYNC_BATCH_ROWS, sizeof *a->filling.tags);
    }
    a->row = a->filling.cells;
    return a->filling.cells != NULL && a->filling.tags != NULL;
}

/* Queue the filling batch (waiting while the queue is full). */
static void push_batch(async_writer *a)
{
    pthread_mutex_lock(&a->lock);
    while (a->count == ASYNC_QUEUE)
        pthread_cond_wait(&a->changed, &a->lock);
    a->queue[(a->head + a->count) % ASYNC_QUEUE] = a->filling;
    a->count++;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
}

ccn_status ccn_stmt_set_async(ccn_stmt *st)
{
    if (st->pg)
        return ccn_pg_set_async(st->pg);
    async_writer *a = calloc(1, sizeof *a);
    if (!a)
        return ccn_error(st->store->ctx, CCN_ERR_INTERNAL, "out of memory");
    a->nparams = sqlite3_bind_parameter_count(st->stmt);
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->changed, NULL);
    st->async = a;
    if (!new_batch(a) || pthread_create(&a->thread, NULL, writer_main, st) != 0) {
        batch_free(&a->filling);
        pthread_mutex_destroy(&a->lock);
        pthread_cond_destroy(&a->changed);
        free(a);
        st->async = NULL;
        return ccn_error(st->store->ctx, CCN_ERR_INTERNAL, "cannot start the writer thread");
    }
    return CCN_OK;
}

/* Hand the rows the writer found refused to the handler, on the caller's
 * thread. */
static void deliver_refusals(ccn_stmt *st)
{
    async_writer *a = st->async;
    pthread_mutex_lock(&a->lock);
    struct refused_row *list = a->refused;
    size_t n = a->nrefused;
    a->refused = NULL;
    a->nrefused = a->refused_cap = 0;
    pthread_mutex_unlock(&a->lock);
    for (size_t i = 0; i < n; i++) {
        st->on_refusal(st->refusal_arg, list[i].tag, list[i].message);
        free(list[i].message);
    }
    free(list);
}

void ccn_stmt_on_refusal(ccn_stmt *st, ccn_refusal_fn fn, void *arg)
{
    st->on_refusal = fn;
    st->refusal_arg = arg;
    if (st->pg)
        ccn_pg_on_refusal(st->pg, fn, arg);
}

void ccn_stmt_tag(ccn_stmt *st, int64_t tag)
{
    if (st->pg)
        ccn_pg_tag(st->pg, tag);
    else if (st->async)
        st->async->filling.tags[st->async->filling.rows] = tag;
    else
        st->tag = tag;
}

static ccn_status async_error(ccn_stmt *st)
{
    async_writer *a = st->async;
    pthread_mutex_lock(&a->lock);
    bool failed = a->failed;
    pthread_mutex_unlock(&a->lock);
    return failed ? ccn_error(st->store->ctx, CCN_ERR_INTERNAL, "%s", a->message) : CCN_OK;
}

ccn_status ccn_stmt_flush(ccn_stmt *st)
{
    if (st->pg)
        return ccn_pg_flush(st->pg);
    async_writer *a = st->async;
    if (!a)
        return CCN_OK;
    if (a->filling.rows > 0) {
        push_batch(a);
        a->filling = (batch){0};
    }
    /* Stop once the queue is empty, and join: the last batch may still be running. */
    pthread_mutex_lock(&a->lock);
    a->closing = true;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    deliver_refusals(st);
    ccn_status status = async_error(st);
    batch_free(&a->filling);
    for (int k = 0; k < a->nspare; k++)
        batch_free(&a->spare[k]);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->changed);
    free(a);
    st->async = NULL;
    return status;
}

/* The cell parameter i (from 1) of the row being bound, cleared. */
static cell *pending(ccn_stmt *st, int i)
{
    async_writer *a = st->async;
    if (i < 1 || i > a->nparams)
        return NULL;
    cell *c = &a->row[i - 1];
    *c = (cell){0};
    return c;
}

/* n bytes of the filling batch's arena for parameter i's value; NULL when
 * memory runs out, which fails the statement's next step. The pointer
 * holds until the next call. */
static unsigned char *arena_value(ccn_stmt *st, int i, int type, size_t n)
{
    async_writer *a = st->async;
    batch *b = &a->filling;
    cell *c = pending(st, i);
    if (!c)
        return NULL;
    if (!ccn_grow((void **)&b->bytes, &b->cap, b->used + n, 1)) {
        pthread_mutex_lock(&a->lock);
        if (!a->failed)
            snprintf(a->message, sizeof a->message, "%s: out of memory", st->store->path);
        a->failed = true;
        pthread_mutex_unlock(&a->lock);
        return NULL;
    }
    c->type = type, c->off = b->used, c->n = type == CELL_TEXT ? n - 1 : n;
    b->used += n;
    return b->bytes + c->off;
}

ccn_status ccn_stmt_prepare(ccn_store *s, const char *sql, ccn_stmt **out)
{
    *out = NULL;
    ccn_stmt *st = calloc(1, sizeof *st);
    if (!st)
        return ccn_error(s->ctx, CCN_ERR_INTERNAL, "out of memory");
    st->store = s;
    if (s->pg) {
        ccn_status rc = ccn_pg_prepare(s->pg, sql, &st->pg);
        if (rc)
            free(st);
        else
            *out = st;
        return rc;
    }
    if (prepare(s, sql, &st->stmt, NULL) != SQLITE_OK) {
        ccn_status rc = db_error(s, "prepare");
        free(st);
        return rc;
    }
    *out = st;
    return CCN_OK;
}

void ccn_stmt_free(ccn_stmt *st)
{
    if (!st)
        return;
    if (st->pg) {
        ccn_pg_stmt_free(st->pg);
        free(st);
        return;
    }
    ccn_stmt_flush(st);
    sqlite3_finalize(st->stmt);
    for (int k = 0; k < 3; k++)
        sqlite3_finalize(st->row_sp[k]);
    free(st);
}

int ccn_stmt_step(ccn_stmt *st)
{
    if (st->pg)
        return ccn_pg_step(st->pg);
    async_writer *a = st->async;
    if (a) {
        if (async_error(st))
            return -1;
        a->filling.rows++;
        if (a->filling.rows == ASYNC_BATCH_ROWS) {
            push_batch(a);
            if (st->on_refusal)
                deliver_refusals(st);
            if (!new_batch(a)) {
                ccn_error(st->store->ctx, CCN_ERR_INTERNAL, "out of memory");
                return -1;
            }
        } else {
            a->row += a->nparams;
        }
        return 0;
    }
    /* an INSERT or UPDATE with a refusal handler: the row under its savepoint */
    bool sp = st->on_refusal && !sqlite3_get_autocommit(st->store->db);
    if (sp && !row_savepoint(st, ROW_BEGIN)) {
        db_error(st->store, "savepoint");
        return -1;
    }
    int rc = sqlite3_step(st->stmt);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE && sp && !row_savepoint(st, ROW_RELEASE)) {
        db_error(st->store, "savepoint");
        return -1;
    }
    if (rc == SQLITE_DONE) {
        if (st->keep_boxes) /* the blob is SQLite's now: read the row back at bulk_end */
            st->store->fresh.usable = false;
        return 0;
    }
    if (sp && row_refused(st, rc)) {
        char *m = strdup(sqlite3_errmsg(st->store->db));
        if (!m || !row_undo(st)) {
            free(m);
            db_error(st->store, "savepoint");
            return -1;
        }
        st->on_refusal(st->refusal_arg, st->tag, m);
        free(m);
        return 0;
    }
    db_error(st->store, "query");
    if (sp)
        row_undo(st);
    return -1;
}

void ccn_stmt_reset(ccn_stmt *st)
{
    if (st->pg) {
        ccn_pg_reset(st->pg);
        return;
    }
    if (st->async) {
        memset(st->async->row, 0, (size_t)st->async->nparams * sizeof(cell));
        return;
    }
    sqlite3_reset(st->stmt);
    sqlite3_clear_bindings(st->stmt);
}

void ccn_stmt_bind_null(ccn_stmt *st, int i)
{
    if (st->pg) {
        ccn_pg_bind_null(st->pg, i);
        return;
    }
    if (st->async)
        pending(st, i);
    else
        sqlite3_bind_null(st->stmt, i);
}

void ccn_stmt_bind_int(ccn_stmt *st, int i, int64_t v)
{
    if (st->pg) {
        ccn_pg_bind_int(st->pg, i, v);
        return;
    }
    cell *c = st->async ? pending(st, i) : NULL;
    if (c)
        c->type = CELL_INT, c->i = v;
    else if (!st->async)
        sqlite3_bind_int64(st->stmt, i, v);
}

void ccn_stmt_bind_double(ccn_stmt *st, int i, double v)
{
    if (st->pg) {
        ccn_pg_bind_double(st->pg, i, v);
        return;
    }
    cell *c = st->async ? pending(st, i) : NULL;
    if (c)
        c->type = CELL_DOUBLE, c->d = v;
    else if (!st->async)
        sqlite3_bind_double(st->stmt, i, v);
}

void ccn_stmt_bind_text(ccn_stmt *st, int i, const char *v)
{
    if (st->pg) {
        ccn_pg_bind_text(st->pg, i, v);
        return;
    }
    if (!v) {
        ccn_stmt_bind_null(st, i);
    } else if (st->async) {
        size_t n = strlen(v) + 1;
        unsigned char *p = arena_value(st, i, CELL_TEXT, n);
        if (p)
            memcpy(p, v, n);
    } else {
        sqlite3_bind_text(st->stmt, i, v, -1, SQLITE_TRANSIENT);
    }
}

void ccn_stmt_bind_text_owned(ccn_stmt *st, int i, char *v)
{
    if (st->pg || st->async || !v) {
        ccn_stmt_bind_text(st, i, v);
        free(v);
        return;
    }
    sqlite3_bind_text(st->stmt, i, v, -1, free);
}

void ccn_stmt_bind_blob(ccn_stmt *st, int i, const void *v, size_t n)
{
    if (st->pg) {
        ccn_pg_bind_blob(st->pg, i, v, n);
        return;
    }
    if (st->async) {
        unsigned char *p = arena_value(st, i, CELL_BLOB, n);
        if (p && n)
            memcpy(p, v, n);
    } else {
        sqlite3_bind_blob64(st->stmt, i, n ? v : "", n, SQLITE_TRANSIENT);
    }
}

/* SpatiaLite's BLOB geometry (its documentation, "BLOB-Geometry"): 0x00,
 * endianness, SRID, MBR, 0x7C, then the WKB body in which every nested
 * geometry starts with 0x69 instead of a byte-order mark, and 0xFE last. */
enum { SL_START = 0x00, SL_MBR_END = 0x7C, SL_ENTITY = 0x69, SL_END = 0xFE };

typedef struct {
    const unsigned char *p, *end;
    double mbr[4]; /* min x, min y, max x, max y */
} wkb_cursor;

static bool take_u32(wkb_cursor *c, uint32_t *v)
{
    if (c->end - c->p < 4)
        return false;
    memcpy(v, c->p, 4);
    c->p += 4;
    return true;
}

static bool take_points(wkb_cursor *c, uint32_t n)
{
    if ((size_t)(c->end - c->p) < (size_t)n * 16)
        return false;
    for (uint32_t i = 0; i < n; i++, c->p += 16) {
        double xy[2];
        memcpy(xy, c->p, 16);
        if (xy[0] < c->mbr[0]) c->mbr[0] = xy[0];
        if (xy[1] < c->mbr[1]) c->mbr[1] = xy[1];
        if (xy[0] > c->mbr[2]) c->mbr[2] = xy[0];
        if (xy[1] > c->mbr[3]) c->mbr[3] = xy[1];
    }
    return true;
}

static bool take_polygon(wkb_cursor *c)
{
    uint32_t rings, n;
    if (!take_u32(c, &rings))
        return false;
    for (uint32_t r = 0; r < rings; r++)
        if (!take_u32(c, &n) || !take_points(c, n))
            return false;
    return true;
}

bool ccn_stmt_bind_geometry(ccn_stmt *st, int i, const unsigned char *wkb, size_t n)
{
    if (st->pg)
        return ccn_pg_bind_geometry(st->pg, i, wkb, n, st->store->srid);
    if (n < 5 || wkb[0] != 1)
        return false;
    uint32_t type;
    memcpy(&type, wkb + 1, 4);
    wkb_cursor c = {wkb + 5, wkb + n, {HUGE_VAL, HUGE_VAL, -HUGE_VAL, -HUGE_VAL}};
    /* Written straight into the async batch's arena, or into a buffer of
     * its own that SQLite frees. */
    unsigned char *blob = st->async ? arena_value(st, i, CELL_BLOB, n + 39) : malloc(n + 39);
    if (!blob)
        return false;
    /* The body is the WKB's, with nested byte-order marks turned into 0x69. */
    memcpy(blob + 43, wkb + 5, n - 5);
    bool ok = false;
    if (type == 1) {
        ok = take_points(&c, 1);
    } else if (type == 3) {
        ok = take_polygon(&c);
    } else if (type == 6) {
        uint32_t parts, sub;
        ok = take_u32(&c, &parts);
        for (uint32_t k = 0; ok && k < parts; k++) {
            size_t at = (size_t)(c.p - wkb) + 38;
            ok = c.p < c.end && *c.p == 1 && (c.p++, take_u32(&c, &sub)) && sub == 3 &&
                 take_polygon(&c);
            if (ok)
                blob[at] = SL_ENTITY;
        }
    }
    if (!ok || c.p != c.end) {
        if (st->async)
            pending(st, i); /* the parameter NULL again; its bytes are dropped with the batch */
        else
            free(blob);
        return false;
    }
    int32_t srid = st->store->srid;
    blob[0] = SL_START;
    blob[1] = 1; /* little-endian */
    memcpy(blob + 2, &srid, 4);
    memcpy(blob + 6, c.mbr, 32);
    blob[38] = SL_MBR_END;
    memcpy(blob + 39, &type, 4);
    blob[n + 38] = SL_END;
    if (!st->async)
        sqlite3_bind_blob64(st->stmt, i, blob, n + 39, free);
    st->geom_param = i;
    return true;
}

void ccn_stmt_keep_boxes(ccn_stmt *st)
{
    if (!st->pg)
        st->keep_boxes = true;
}

bool ccn_stmt_is_null(ccn_stmt *st, int col)
{
    if (st->pg)
        return ccn_pg_is_null(st->pg, col);
    return sqlite3_column_type(st->stmt, col) == SQLITE_NULL;
}

int64_t ccn_stmt_int(ccn_stmt *st, int col)
{
    return st->pg ? ccn_pg_int(st->pg, col) : sqlite3_column_int64(st->stmt, col);
}
double ccn_stmt_double(ccn_stmt *st, int col)
{
    return st->pg ? ccn_pg_double(st->pg, col) : sqlite3_column_double(st->stmt, col);
}

const char *ccn_stmt_text(ccn_stmt *st, int col)
{
    if (st->pg)
        return ccn_pg_text(st->pg, col);
    return (const char *)sqlite3_column_text(st->stmt, col);
}

const void *ccn_stmt_blob(ccn_stmt *st, int col, size_t *n)
{
    if (st->pg)
        return ccn_pg_blob(st->pg, col, n);
    const void *p = sqlite3_column_blob(st->stmt, col);
    *n = (size_t)sqlite3_column_bytes(st->stmt, col);
    return p;
}

int ccn_stmt_column_count(ccn_stmt *st)
{
    return st->pg ? ccn_pg_column_count(st->pg) : sqlite3_column_count(st->stmt);
}
const char *ccn_stmt_column_name(ccn_stmt *st, int col)
{
    return st->pg ? ccn_pg_column_name(st->pg, col) : sqlite3_column_name(st->stmt, col);
}
const char *ccn_stmt_column_decltype(ccn_stmt *st, int col)
{
    if (st->pg)
        return ccn_pg_column_decltype(st->pg, col);
    return sqlite3_column_decltype(st->stmt, col);
}

ccn_value_type ccn_stmt_type(ccn_stmt *st, int col)
{
    if (st->pg)
        return ccn_pg_type(st->pg, col);
    switch (sqlite3_column_type(st->stmt, col)) {
    case SQLITE_INTEGER: return CCN_VALUE_INT;
    case SQLITE_FLOAT: return CCN_VALUE_REAL;
    case SQLITE_TEXT: return CCN_VALUE_TEXT;
    case SQLITE_BLOB: return CCN_VALUE_BLOB;
    default: return CCN_VALUE_NULL;
    }
}

bool ccn_store_has_table(ccn_store *s, const char *name)
{
    if (s->pg)
        return ccn_pg_has_table(s->pg, name);
    sqlite3_stmt *q = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?)"
                           " AND type IN ('table', 'view')", -1, &q, NULL) == SQLITE_OK) {
        sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
        found = sqlite3_step(q) == SQLITE_ROW;
    }
    sqlite3_finalize(q);
    return found;
}

ccn_status ccn_store_file_exec(ccn_ctx *ctx, const char *path, const char *ddl,
                               const char *insert, const char *const *params, int nparams)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *q = NULL;
    ccn_status st = CCN_OK;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot open '%s': %s", path,
                       db ? sqlite3_errmsg(db) : "out of memory");
        goto done;
    }
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(db, ddl, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, insert, -1, &q, NULL) != SQLITE_OK) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "%s: %s", path, sqlite3_errmsg(db));
        goto done;
    }
    for (int i = 0; i < nparams; i++)
        sqlite3_bind_text(q, i + 1, params[i], -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE ||
        sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "%s: %s", path, sqlite3_errmsg(db));
done:
    sqlite3_finalize(q);
    if (db && st)
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(db);
    return st;
}
