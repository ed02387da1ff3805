/* ccn init — create a workspace and load the district's definition. */
#include "cli.h"
#include "i18n.h"

#include "../crs.h"
#include "../district.h"
#include "../multiuser.h"
#include "../output.h"
#include "../prefix.h"
#include "../qgisstyle.h"
#include "../store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    N_("Usage: ccn init WORKSPACE [--district DIR] [--crs CRS] [--force] [-q]\n\n"
    "Create a SpatiaLite workspace (default CRS EPSG:5897, VN-2000 / TM-3 zone 482)\n"
    "and load the district's gis/ folder: clusters.csv, landuse.csv, communes.csv,\n"
    "tolerances.csv, district.csv, palette.csv, office.csv.\n\n"
    "  --district DIR  the district's definition folder (default: $CCN_DISTRICT, else\n"
    "                  the installed share/ccn/gis)\n"
    "  --crs CRS       workspace CRS (default: the district's, the crs key of\n"
    "                  district.csv, else EPSG:5897): a projected CRS with an EPSG\n"
    "                  code, as EPSG:CODE or any form ogr2ogr's -s_srs takes (WKT, a\n"
    "                  PROJ string, a .prj file …) that PROJ finds equal to one\n"
    "  --force         replace an existing workspace (a file or a PostgreSQL schema)\n"
    "  -q, --quiet     accepted, as by every command (init shows no progress)\n");

/* The SRID of --crs: EPSG:CODE (or the code), or any form GDAL's -s_srs
 * takes (ccn_crs_from_user) that PROJ finds to be an EPSG CRS: the workspace
 * stores its geometries under an EPSG SRID. */
static ccn_status workspace_srid(ccn_ctx *ctx, const char *crs, int *srid)
{
    char *end = NULL;
    const char *code = strncasecmp(crs, "EPSG:", 5) == 0 ? crs + 5 : crs;
    long v = strtol(code, &end, 10);
    if (*code && !*end && v > 0 && v <= 999999) {
        *srid = (int)v;
        return CCN_OK;
    }
    char *def = NULL;
    int found = 0;
    bool geographic = false;
    ccn_status st = ccn_crs_from_user(ctx, crs, &def);
    if (!st && !(st = ccn_crs_check(ctx, def, &geographic)) && geographic)
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "--crs '%.200s' is in degrees: the workspace CRS must be a projected CRS "
                       "in metres (areas are never computed in degrees)",
                       crs);
    if (!st)
        st = ccn_crs_epsg_code(ctx, def, &found);
    free(def);
    if (!st && !found)
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "--crs '%.200s': PROJ finds no EPSG CRS equal to it, and the workspace "
                       "stores its geometries under an EPSG code: name one (--crs EPSG:CODE)",
                       crs);
    if (!st)
        *srid = found;
    return st;
}

int cmd_init(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"district", required_argument, NULL, 'd'}, {"crs", required_argument, NULL, 'c'},
        {"force", no_argument, NULL, 'f'},          {"help", no_argument, NULL, 'h'},
        {"quiet", no_argument, NULL, 'q'},          {NULL, 0, NULL, 0}};
    const char *district = NULL, *crs = NULL;
    char *district_dir = NULL;
    bool force = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'q': break; /* init shows no progress: -q is accepted, as everywhere */
        case 'd': district = optarg; break;
        case 'c': crs = optarg; break;
        case 'f': force = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("init");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("init", "expected one WORKSPACE argument");
    const char *path = argv[optind];
    int srid = CCN_STORE_DEFAULT_SRID;
    ccn_ctx *ctx = cli_ctx(true);
    ccn_store *store = NULL;
    char *district_crs = NULL; /* gis/district.csv's crs: the district's default */
    ccn_status st = ccn_prefix_district_dir(ctx, district, &district_dir);
    if (!st && !crs && !(st = ccn_district_crs(ctx, district_dir, &district_crs)))
        crs = district_crs;
    if (!st && crs)
        st = workspace_srid(ctx, crs, &srid);
    /* --force over a workspace file: the new one is made in a temporary
     * folder beside it and put in its place only when whole. It was removed
     * first, and a bad district or --crs left no workspace at all. */
    ccn_output *replacing = NULL;
    const char *create_at = path;
    if (!st && force && !ccn_pg_is_uri(path) && access(path, F_OK) == 0 &&
        !(st = ccn_output_open_dir(ctx, path, &replacing)) &&
        !(create_at = ccn_output_part(replacing, NULL)))
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    /* One transaction, the one the workspace is made in: on PostgreSQL the
     * schema --force replaces is dropped only with the new one whole (it
     * was dropped first, and a bad district left none). */
    if (!st)
        st = ccn_store_create_open(ctx, create_at, srid, force, &store);
    if (!st) {
        st = ccn_district_load(store, district_dir);
        if (!st)
            st = ccn_store_set_meta(store, "district", district_dir);
        if (!st) /* QGIS opens the new workspace styled */
            st = ccn_qgisstyle_install(store);
        if (!st) /* PostgreSQL: the lease constraint, the audit trail, the roles */
            st = ccn_multiuser_install(store);
        if (!st)
            st = ccn_store_commit(store);
        else
            ccn_store_rollback(store);
    }
    long long counts[3] = {0};
    if (!st) {
        counts[0] = ccn_store_count(store, "clusters");
        counts[1] = ccn_store_count(store, "landuse_codes");
        counts[2] = ccn_store_count(store, "commune_registry");
    }
    if (!st && replacing) {
        /* The new one closed first (its WAL checkpointed), the old one
         * settled: no -wal, -shm or hot journal of the old file is left to be
         * read into the new one, and the old file stayed whole without them
         * until the rename. One that is no database has no sidecars of its
         * own: any there are stale. */
        ccn_store_close(store);
        store = NULL;
        bool database, in_use;
        st = ccn_store_settle(ctx, path, &database, &in_use);
        static const char *const sidecars[] = {"-wal", "-shm", "-journal"};
        char side[4096];
        for (size_t i = 0; !st && !database && i < sizeof sidecars / sizeof *sidecars; i++)
            if (snprintf(side, sizeof side, "%s%s", path, sidecars[i]) < (int)sizeof side)
                unlink(side);
        if (!st) {
            st = ccn_output_commit(ctx, replacing);
            replacing = NULL;
        }
    }
    int rc = 0;
    if (st) {
        rc = cli_fail(ctx, "init", st);
        if (store) { /* a half-made workspace is no workspace */
            ccn_store_close(store);
            store = NULL;
            if (!replacing && !ccn_pg_is_uri(path)) /* PostgreSQL: undone by the rollback */
                ccn_store_remove(ctx, path);
        }
    } else {
        cli_warnings(ctx, "init"); /* a district without landuse.csv, styles QGIS will not find */
        printf(_("created %s (EPSG:%d): %lld clusters, %lld land-use codes, %lld communes\n"),
               store ? ccn_store_path(store) : path, srid, counts[0], counts[1], counts[2]);
    }
    ccn_output_abort(replacing); /* the new one, unfinished: the old stays */
    ccn_store_close(store);
    free(district_dir);
    free(district_crs);
    ccn_ctx_free(ctx);
    return rc;
}
