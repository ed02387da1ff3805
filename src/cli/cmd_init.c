/* ccn init — create a workspace and load the district's definition. */
#include "cli.h"
#include "i18n.h"

#include "../district.h"
#include "../multiuser.h"
#include "../prefix.h"
#include "../qgisstyle.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("Usage: ccn init WORKSPACE [--district DIR] [--crs EPSG:CODE] [--force]\n\n"
    "Create a SpatiaLite workspace (default CRS EPSG:5897, VN-2000 / TM-3 zone 482)\n"
    "and load the district's gis/ folder: clusters.csv, landuse.csv, communes.csv,\n"
    "tolerances.csv, district.csv, palette.csv.\n\n"
    "  --district DIR  the district's definition folder (default: $CCN_DISTRICT, else\n"
    "                  the installed share/ccn/gis)\n"
    "  --crs CRS       workspace CRS, a projected EPSG code (default EPSG:5897)\n"
    "  --force         overwrite an existing file\n");

int cmd_init(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"district", required_argument, NULL, 'd'}, {"crs", required_argument, NULL, 'c'},
        {"force", no_argument, NULL, 'f'},          {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *district = NULL, *crs = NULL;
    char *district_dir = NULL;
    bool force = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': district = optarg; break;
        case 'c': crs = optarg; break;
        case 'f': force = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_usage_error("init", "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("init", "expected one WORKSPACE argument");
    const char *path = argv[optind];
    int srid = CCN_STORE_DEFAULT_SRID;
    if (crs) {
        char *end = NULL;
        const char *code = strncasecmp(crs, "EPSG:", 5) == 0 ? crs + 5 : crs;
        long v = strtol(code, &end, 10);
        if (!*code || *end || v <= 0 || v > 999999)
            return cli_usage_error("init", "--crs '%s': expected EPSG:CODE", crs);
        srid = (int)v;
    }
    ccn_ctx *ctx = cli_ctx(true);
    ccn_store *store = NULL;
    ccn_status st = ccn_prefix_district_dir(ctx, district, &district_dir);
    if (!st)
        st = ccn_store_create(ctx, path, srid, force, &store);
    if (!st) {
        st = ccn_store_begin(store);
        if (!st)
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
    int rc = 0;
    if (st) {
        rc = cli_fail(ctx, "init", st);
        if (store) { /* a half-made workspace is no workspace */
            ccn_store_close(store);
            store = NULL;
            ccn_store_remove(ctx, path);
        }
    } else {
        printf(_("created %s (EPSG:%d): %lld clusters, %lld land-use codes, %lld communes\n"),
               ccn_store_path(store),
               srid, (long long)ccn_store_count(store, "clusters"),
               (long long)ccn_store_count(store, "landuse_codes"),
               (long long)ccn_store_count(store, "commune_registry"));
    }
    ccn_store_close(store);
    free(district_dir);
    ccn_ctx_free(ctx);
    return rc;
}
