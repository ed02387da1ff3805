/* admin — administrative names by date (see admin.h). */
#include "admin.h"

#include "date.h"
#include "geom.h"
#include "layer.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool ccn_admin_reformed(ccn_store *store, const char *date)
{
    char *day = store ? ccn_store_meta(store, "admin_reform_date") : NULL;
    const char *reform = day && ccn_date_valid(day) ? day : CCN_ADMIN_REFORM_DATE;
    bool after = date && strcmp(date, reform) >= 0; /* valid ISO dates compare as text */
    free(day);
    return after;
}

char *ccn_admin_area(ccn_store *store, const char *date)
{
    char *district = ccn_store_meta(store, "district_name");
    if (!district || !*district) {
        free(district);
        return strdup("");
    }
    size_t n = strlen(district) + 32;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "địa bàn %s%s", district, ccn_admin_reformed(store, date) ? " cũ" : "");
    free(district);
    return s;
}

ccn_status ccn_admin_commune(ccn_store *store, const char *code, const char *fallback_name,
                             const char *date, char **name, char **group)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    bool after = ccn_admin_reformed(store, date);
    ccn_stmt *q = NULL;
    const char *n = fallback_name, *g = code;
    ccn_status st = CCN_OK;
    if (code && (st = ccn_stmt_prepare(store,
                                       "SELECT name, new_name, new_code FROM commune_registry"
                                       " WHERE code = ?",
                                       &q)) == CCN_OK) {
        ccn_stmt_bind_text(q, 1, code);
        if (ccn_stmt_step(q) == 1) {
            const char *old = ccn_stmt_text(q, 0), *nn = ccn_stmt_text(q, 1),
                       *nc = ccn_stmt_text(q, 2);
            if (after && nn && *nn) {
                n = nn;
                g = nc && *nc ? nc : code;
            } else if (old && *old && !(n && *n)) {
                n = old;
            }
        }
    }
    char *nm = strdup(n ? n : ""), *gr = strdup(g ? g : "");
    ccn_stmt_free(q);
    if (st || !nm || !gr) {
        free(nm);
        free(gr);
        return st ? st : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    if (name)
        *name = nm;
    else
        free(nm);
    if (group)
        *group = gr;
    else
        free(gr);
    return CCN_OK;
}

void ccn_admin_units_free(ccn_ctx *ctx, ccn_admin_unit *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        GEOSGeom_destroy_r(ccn_ctx_geos(ctx), units[i].g);
        free(units[i].name);
        free(units[i].code);
    }
    free(units);
}

/* Members of one unit are joined with their union; a member that will not
 * join (GEOS failure) is an error, not a unit silently dropped. */
static ccn_status merge_unit(ccn_ctx *ctx, ccn_admin_unit *into, GEOSGeometry *member)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *u = GEOSUnion_r(h, into->g, member);
    GEOSGeom_destroy_r(h, member);
    if (!u)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "cannot merge the communes of %s: %s",
                         into->name, ccn_ctx_geos_message(ctx));
    GEOSGeom_destroy_r(h, into->g);
    into->g = u;
    return CCN_OK;
}

ccn_status ccn_admin_communes_on(ccn_store *store, const char *date, ccn_admin_unit **units,
                                 size_t *n)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    ccn_admin_unit *u = NULL;
    size_t nu = 0, cap = 0;
    ccn_stmt *q = NULL;
    static const char sql[] = "SELECT ST_AsBinary(geom), code, name, fid FROM communes ORDER BY fid";
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    int rc = 0;
    while (!st && (rc = ccn_stmt_step(q)) == 1) {
        if (ccn_stmt_is_null(q, 0))
            continue;
        size_t len = 0;
        const void *wkb = ccn_stmt_blob(q, 0, &len);
        GEOSGeometry *g = ccn_geom_from_wkb(ctx, wkb, len);
        if (!g) { /* another tool's: left off the maps, said as render.c says it */
            char why[600];
            ccn_ctx_clear_error(ctx);
            ccn_warn(ctx, "%s: not drawn",
                     ccn_layer_unreadable(ctx, sql, ccn_stmt_int(q, 3), why, sizeof why));
            continue;
        }
        bool repaired = GEOSisValid_r(h, g) != 1;
        if (repaired) {
            GEOSGeometry *v = ccn_geom_make_valid(ctx, g);
            GEOSGeom_destroy_r(h, g);
            if (!(g = v)) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot repair commune %s",
                               ccn_stmt_text(q, 1) ? ccn_stmt_text(q, 1) : "?");
                break;
            }
        }
        char *name = NULL, *code = NULL;
        if ((st = ccn_admin_commune(store, ccn_stmt_text(q, 1), ccn_stmt_text(q, 2), date, &name,
                                    &code))) {
            GEOSGeom_destroy_r(h, g);
            break;
        }
        size_t k = 0;
        while (k < nu && strcmp(u[k].code, code) != 0)
            k++;
        if (k < nu) { /* merged into an earlier unit: only after the reform */
            free(name), free(code);
            u[k].repaired |= repaired;
            st = merge_unit(ctx, &u[k], g);
            continue;
        }
        if (!ccn_grow((void **)&u, &cap, nu + 1, sizeof *u)) {
            GEOSGeom_destroy_r(h, g);
            free(name), free(code);
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        u[nu++] = (ccn_admin_unit){g, name, code, repaired};
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    if (st) {
        ccn_admin_units_free(ctx, u, nu);
        return st;
    }
    *units = u, *n = nu;
    return CCN_OK;
}
