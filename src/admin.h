/* admin — administrative units as of a date.
 *
 * On 1 July 2025 Vietnam abolished the district level and merged communes
 * (Resolutions 190/2025/QH15 and 1686/NQ-UBTVQH15 for Thanh Hóa). A map or
 * a page dated on or after that day names the area "địa bàn huyện Triệu Sơn
 * cũ" (the former district) and the communes by their successors
 * (gis/communes.csv: new_name, new_code); before it, the names of the time.
 * The day comes from district.csv (`admin_reform_date`), 2025-07-01 when
 * absent. Maps, the web page and the report document use these helpers.
 *
 * Ownership: returned strings are malloc'd; the caller frees them; units
 * are freed with ccn_admin_units_free. */
#ifndef CCN_ADMIN_H
#define CCN_ADMIN_H

#include "store.h"

#define CCN_ADMIN_REFORM_DATE "2025-07-01"

/* Whether units on date (YYYY-MM-DD) are the post-reform ones. */
bool ccn_admin_reformed(ccn_store *store, const char *date);

/* The area as a title names it on date: "địa bàn huyện Triệu Sơn" before
 * the reform, "địa bàn huyện Triệu Sơn cũ" after (district_name of
 * district.csv); "" when the workspace has no district name. */
char *ccn_admin_area(ccn_store *store, const char *date);

/* The name a commune (old code, as in the communes layer and
 * communes.csv) carries on date, and the code it is grouped under (after the
 * reform the communes merged into one share a code). A commune the registry
 * does not know keeps fallback_name and its own code. *name and *group are
 * malloc'd (caller frees); either pointer may be NULL. */
ccn_status ccn_admin_commune(ccn_store *store, const char *code, const char *fallback_name,
                             const char *date, char **name, char **group);

/* A commune as drawn on date: after the reform the communes merged into
 * one are one unit (the union of their valid geometries) under the
 * successor's name and code; before it, each commune as stored. g is valid
 * (repaired when a stored geometry was not: repaired is then set). */
typedef struct {
    GEOSGeometry *g;
    char *name, *code;
    bool repaired;
} ccn_admin_unit;

/* The communes layer as of date, in the order of the first member's fid. */
ccn_status ccn_admin_communes_on(ccn_store *store, const char *date, ccn_admin_unit **units,
                                 size_t *n);
void ccn_admin_units_free(ccn_ctx *ctx, ccn_admin_unit *units, size_t n);

#endif
