/* district — a district's definition, as data (the gis/ folder), loaded into a
 * workspace: the cluster registry (clusters.csv), land-use codes
 * (landuse.csv), old communes (communes.csv), check tolerances
 * (tolerances.csv), colours (palette.csv, see palette.h) and its name (district.csv: district_name, province_name,
 * kept in ccn_meta). Loading happens inside the caller's transaction. */
#ifndef CCN_DISTRICT_H
#define CCN_DISTRICT_H

#include "store.h"

/* Load every CSV of dir; clusters.csv is required, the others optional. */
ccn_status ccn_district_load(ccn_store *store, const char *dir);

/* The default workspace CRS of the district folder dir: district.csv's
 * `crs` value (e.g. "EPSG:5897"), a copy the caller frees; NULL when the
 * file or the key is absent. CCN_ERR_INPUT if district.csv is malformed. */
ccn_status ccn_district_crs(ccn_ctx *ctx, const char *dir, char **crs);

/* A tolerance by key from the workspace (loaded from gis/tolerances.csv),
 * or fallback when the workspace has none. */
double ccn_district_tolerance(ccn_store *store, const char *key, double fallback);

#endif
