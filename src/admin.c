/* admin — administrative names by date (see admin.h). */
#include "admin.h"

#include "date.h"

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
    if (!ccn_admin_reformed(store, date))
        return district;
    size_t n = strlen(district) + 32;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "địa bàn %s cũ", district);
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
