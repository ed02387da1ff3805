/* area — how big each cluster really is (DESIGN §6, §8).
 *
 * ccn_area_clusters gives one row per cluster of the registry:
 *   code, name, status, planned_ha,
 *   area_m2        planar area in the workspace CRS: the legal figure, since
 *                  Vietnamese cadastral areas are measured on the VN-2000
 *                  TM-3 plane;
 *   area_ha        the same in hectares;
 *   ellipsoidal_m2 geodesic area on the WGS 84 ellipsoid of the boundary
 *                  transformed to EPSG:4326 (PROJ's geod_polygonarea);
 *   deviation_pct  (area − planned) / planned × 100.
 * A cluster without a boundary keeps its row with the area cells empty.
 *
 * ccn_area_land_use gives the land-use structure of each cluster with a
 * boundary, from its lots (a lot belongs to the cluster its `cluster` names),
 * six rows a cluster: cluster, use, area_m2, share_pct, for the uses
 * industrial, service, green, utility, road and `none`, the part of the
 * boundary covered by no lot. A lot counts only inside its cluster's
 * boundary (the part outside is `ccn check`'s LOT_OUTSIDE_CLUSTER); shares
 * are of the cluster's area, so they add up to 100 % unless lots overlap
 * (LOT_OVERLAP).
 *
 * An invalid boundary or lot is measured as repaired by MakeValid, with a
 * warning; features farther than the tolerance meridian_max_deg from the
 * CRS's central meridian get a warning (their planar areas are distorted).
 * Without any cluster boundary (or, for the land use, without lots) the
 * call fails with CCN_ERR_INPUT naming what to import.
 *
 * Ownership: the table returned is the caller's, freed with ccn_table_free. */
#ifndef CCN_AREA_H
#define CCN_AREA_H

#include "store.h"
#include "table.h"

ccn_status ccn_area_clusters(ccn_store *store, ccn_table **out);
ccn_status ccn_area_land_use(ccn_store *store, ccn_table **out);

#endif
