/* layer — reading workspace layers into GEOS. */
#include "layer.h"

#include "geom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ccn_layer_unreadable(ccn_ctx *ctx, const char *sql, int64_t fid, char *buf,
                                 size_t size)
{
    const char *p = strstr(sql, " FROM "), *table = p ? p + 6 : "";
    snprintf(buf, size, "%.*s fid %lld: the stored geometry cannot be read (%s)",
             p ? (int)strcspn(table, " ,;)") : 0, table, (long long)fid, ccn_ctx_geos_message(ctx));
    return buf;
}

static ccn_status each(ccn_store *store, const char *sql, ccn_row_fn fn, void *user, bool lenient)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    if (st)
        return st;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        GEOSGeometry *g = NULL;
        if (!ccn_stmt_is_null(q, 1)) {
            size_t n = 0;
            const void *wkb = ccn_stmt_blob(q, 1, &n);
            if (!(g = ccn_geom_from_wkb(ctx, wkb, n)) && lenient) {
                ccn_ctx_clear_error(ctx);
            } else if (!g) {
                char why[600];
                st = ccn_error(ctx, CCN_ERR_INPUT, "%s: %s; 'ccn check' lists such features",
                               ccn_store_path(store),
                               ccn_layer_unreadable(ctx, sql, ccn_stmt_int(q, 0), why, sizeof why));
                break;
            }
        }
        if ((st = fn(user, q, ccn_stmt_int(q, 0), g)))
            break;
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    return st;
}

ccn_status ccn_layer_each(ccn_store *store, const char *sql, ccn_row_fn fn, void *user)
{
    return each(store, sql, fn, user, false);
}

ccn_status ccn_layer_each_lenient(ccn_store *store, const char *sql, ccn_row_fn fn, void *user)
{
    return each(store, sql, fn, user, true);
}

typedef struct {
    ccn_geoms *out;
    size_t cap;
} load_state;

static ccn_status keep(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    (void)row;
    load_state *s = user;
    ccn_geoms *g = s->out;
    if (g->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        int64_t *f = realloc(g->fid, cap * sizeof *f);
        if (f)
            g->fid = f;
        GEOSGeometry **gg = f ? realloc(g->geom, cap * sizeof *gg) : NULL;
        if (!gg)
            return CCN_ERR_INTERNAL;
        g->geom = gg;
        s->cap = cap;
    }
    g->fid[g->n] = fid;
    g->geom[g->n++] = geom;
    return CCN_OK;
}

ccn_status ccn_layer_load(ccn_store *store, const char *sql, ccn_geoms *out)
{
    *out = (ccn_geoms){0};
    load_state s = {.out = out};
    ccn_status st = ccn_layer_each(store, sql, keep, &s);
    if (st) {
        if (st == CCN_ERR_INTERNAL && !*ccn_ctx_message(ccn_store_ctx(store)))
            ccn_error(ccn_store_ctx(store), st, "out of memory");
        ccn_geoms_free(ccn_store_ctx(store), out);
    }
    return st;
}

void ccn_geoms_free(ccn_ctx *ctx, ccn_geoms *g)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->geom[i])
            GEOSGeom_destroy_r(ccn_ctx_geos(ctx), g->geom[i]);
    free(g->geom);
    free(g->fid);
    *g = (ccn_geoms){0};
}

const GEOSGeometry *ccn_layer_valid(ccn_ctx *ctx, const GEOSGeometry *g, GEOSGeometry **repaired)
{
    *repaired = NULL;
    char valid = GEOSisValid_r(ccn_ctx_geos(ctx), g);
    if (valid == 1)
        return g;
    *repaired = ccn_geom_make_valid(ctx, g);
    return *repaired;
}

ccn_status ccn_layer_require(ccn_store *store, const char *table, const char *why)
{
    /* One row is enough: count(*) would read a whole table (0.05 s for 300,000 parcels). */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT 1 FROM \"%s\" LIMIT 1", table);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    if (st)
        return st;
    int n = ccn_stmt_step(q);
    ccn_stmt_free(q);
    if (n < 0)
        return CCN_ERR_INTERNAL;
    if (n == 0)
        return ccn_error(ccn_store_ctx(store), CCN_ERR_INPUT,
                         "%s: no %s in the workspace (%s); import them first with 'ccn import %s "
                         "FILE --as %s'",
                         ccn_store_path(store), table, why, ccn_store_path(store), table);
    return CCN_OK;
}
