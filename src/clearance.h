/* clearance — the cadastral parcels a cluster takes: the site-clearance list
 * (DESIGN §5, §6).
 *
 * A parcel is taken when its interior meets the cluster: the area of
 * parcel ∩ cluster is at least CCN_OVERLAY_MIN_M2 (0.0005 m², what prints as
 * 0.001), so a parcel that only touches the boundary — or meets it in a
 * sliver of floating-point noise along a shared edge — is not. For each
 * taken parcel: its record, its planar area, the area taken and its share,
 * and the remnant that stays outside, flagged when it is smaller than a
 * settable size (such remnants are usually taken whole). Candidates come
 * from the parcels' spatial index; the cluster is prepared, and a parcel
 * the cluster contains properly is taken whole without an intersection.
 * Invalid parcels are repaired (MakeValid) for computing, with a warning.
 *
 * Ownership: the tables returned are new, freed by the caller with
 * ccn_table_free. */
#ifndef CCN_CLEARANCE_H
#define CCN_CLEARANCE_H

#include "store.h"
#include "table.h"

#define CCN_CLEARANCE_REMNANT_M2 100.0 /* default: remnants below this are flagged */

typedef struct {
    const char *cluster;   /* NULL: every cluster that has a boundary */
    double remnant_max_m2; /* flag a remnant (> 0) smaller than this, m² */
} ccn_clearance_options;

/* list: one row per cluster and taken parcel, by cluster (registry order),
 * commune (collate.h), sheet, parcel number; columns cluster, parcel_id, commune, sheet,
 * parcel_no, landuse, owner, parcel_area_m2, affected_m2, affected_pct, then
 * remnant_m2, remnant_small, area_legal_m2.
 * totals: per cluster and current land use, the largest take first (ties by
 * land-use code, collate.h), then the
 * cluster's total in a row whose landuse is "*"; columns cluster, landuse,
 * landuse_name, parcels, parcel_area_m2, affected_m2, share_pct (of the
 * cluster's area), small_remnants.
 * Either out pointer may be NULL when that table is not wanted. */
ccn_status ccn_clearance(ccn_store *store, const ccn_clearance_options *opt, ccn_table **list,
                         ccn_table **totals);

#endif
