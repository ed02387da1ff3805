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

/* A tolerance by key from the workspace (loaded from gis/tolerances.csv),
 * or fallback when the workspace has none. */
double ccn_district_tolerance(ccn_store *store, const char *key, double fallback);

#endif
