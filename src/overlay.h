/* overlay — what the land-use plan says about clusters and parcels (DESIGN §5, §6).
 *
 * The plan is a layer of zones, each with a planned land-use code. An overlay
 * intersects a polygon (a cluster boundary, a cadastral parcel) with the zones
 * and sums the area per planned code; zones of one code add up. The part of
 * the polygon that no zone covers is a row of its own with an empty code, so a
 * polygon's rows add up to its area.
 *
 * How: the zones go into an STRtree and a polygon's candidates come from its
 * envelope. The area a polygon shares with a zone comes from their rings
 * (rings.h: exact, about a microsecond, no intersection built); a zone of
 * many vertices is first asked, through a prepared geometry, whether it
 * contains the polygon, which gives the polygon's own area. Zones that
 * overlap another are measured by GEOS overlay instead, so that their
 * pieces can be unioned and the uncovered part is still right. Prepared
 * geometries are never shared between threads: each worker prepares the
 * zones it meets. The district-wide overlay by parcel is a pipeline — one
 * thread reads chunks of parcels from the workspace, both cores compute,
 * the caller's thread writes the rows — and its rows come out in parcel id
 * order whatever the thread count.
 *
 * Geometry that is not valid (zones and parcels alike) is repaired with
 * MakeValid before intersecting, and named in a warning; only polygonal parts
 * count. (A small parcel that rings.h proves valid skips GEOSisValid; one it
 * cannot prove goes through GEOS.) Pieces smaller than CCN_OVERLAY_MIN_M2 — they print as 0.000 — are
 * the noise of coincident edges and are left out. A plan whose zones overlap
 * (a digitising error) is still answered: a warning names the overlapping
 * pairs and the area that is counted twice, once for each zone's code.
 *
 * Ownership: tables returned in *out are new, freed by the caller with
 * ccn_table_free; a job from ccn_overlay_parcels_begin is freed with
 * ccn_overlay_job_free. */
#ifndef CCN_OVERLAY_H
#define CCN_OVERLAY_H

#include "store.h"
#include "table.h"

/* Smallest area a row reports, m²: anything smaller prints as 0.000. */
#define CCN_OVERLAY_MIN_M2 0.0005

/* By cluster (ccn overlay): columns cluster, plan_code, area_m2, share_pct,
 * then plan_name, protected (LUC, LUK, RPH, RDD …, from landuse_codes) and
 * conforming (the code the cluster must sit on). Per cluster, in registry
 * order: the conforming code first, the others by area, the uncovered part
 * last (plan_code empty). cluster NULL: every cluster that has a boundary. */
ccn_status ccn_overlay_clusters(ccn_store *store, const char *cluster, ccn_table **out);

/* By parcel (ccn overlay --by parcel), in two steps so that bad input is
 * told before any row is written: _begin checks that parcels and plan are
 * there and indexes the plan (its warnings arrive here); the caller then
 * makes the table with ccn_overlay_parcels_table, may stream it
 * (ccn_table_stream), and _run fills it. The table's columns are
 * parcel_id, commune, sheet, parcel_no, landuse, plan_code, area_m2: one row
 * per parcel and planned code, by parcel id; within a parcel by area, the
 * uncovered part last. The job is freed with ccn_overlay_job_free. */
typedef struct ccn_overlay_job ccn_overlay_job;
/* only: the parcel ids to overlay (nonly of them, any order), or NULL for
 * every parcel — e.g. those a cluster takes (ccn_clearance), for --cluster. */
ccn_status ccn_overlay_parcels_begin(ccn_store *store, const int64_t *only, size_t nonly,
                                     ccn_overlay_job **out);
ccn_table *ccn_overlay_parcels_table(void);
ccn_status ccn_overlay_parcels_run(ccn_overlay_job *job, ccn_table *t);
void ccn_overlay_job_free(ccn_overlay_job *job);

/* One parcel by its key (ccn lookup): its record and planned codes, columns
 * parcel_id, commune, sheet, parcel_no, landuse, owner, area_legal_m2,
 * parcel_area_m2, plan_code, plan_name, protected, area_m2, share_pct.
 * commune may be NULL, an old commune code (MaXa) or its name; a key found in
 * several communes without one is CCN_ERR_INPUT with the candidates listed. */
ccn_status ccn_overlay_lookup(ccn_store *store, const char *commune, int64_t sheet,
                              int64_t parcel_no, ccn_table **out);

#endif
