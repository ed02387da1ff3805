/* export_ws.h — the export/render fixture workspace for unit tests, built
 * through the library as `ccn init` and `ccn import` would (see
 * tests/export_fixture.sh for what the fixture holds and why). */
#ifndef CCN_TEST_EXPORT_WS_H
#define CCN_TEST_EXPORT_WS_H

#include "district.h"
#include "import.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* A new workspace at path (removed first), or NULL after printing why. */
static ccn_store *export_ws(ccn_ctx *ctx, const char *path)
{
    static const struct {
        const char *file;
        ccn_role role;
    } layers[] = {{"tests/data/export/clusters.geojson", CCN_ROLE_CLUSTERS},
                  {"tests/data/export/lots.geojson", CCN_ROLE_LOTS},
                  {"tests/data/export/parcels.geojson", CCN_ROLE_PARCELS},
                  {"tests/data/export/plan.geojson", CCN_ROLE_PLAN},
                  {"tests/data/export/communes.geojson", CCN_ROLE_COMMUNES}};
    ccn_store *store = NULL;
    unlink(path);
    if (ccn_store_create(ctx, path, 5897, true, &store) || ccn_store_begin(store) ||
        ccn_district_load(store, "gis") || ccn_store_commit(store))
        goto fail;
    for (size_t i = 0; i < sizeof layers / sizeof *layers; i++) {
        ccn_import_options o = {.file = layers[i].file};
        ccn_import_result res;
        if (ccn_import(store, layers[i].role, &o, &res))
            goto fail;
    }
    FILE *f = fopen("tests/data/export/leases.sql", "r");
    char sql[4096];
    size_t n = f ? fread(sql, 1, sizeof sql - 1, f) : 0;
    if (f)
        fclose(f);
    sql[n] = '\0';
    if (!n || ccn_store_exec(store, sql))
        goto fail;
    return store;
fail:
    fprintf(stderr, "fixture workspace: %s\n", ccn_ctx_message(ctx));
    ccn_store_close(store);
    return NULL;
}

#endif
