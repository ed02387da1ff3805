/* occupancy — tỷ lệ lấp đầy: how much of each cluster's industrial land is
 * leased, against the plan's targets and the rules of Decree 32/2024.
 *
 * The occupancy of a cluster on day D (DESIGN §6) is the area of its
 * industrial lots with a lease running on D (start_date <= D < end_date, or
 * no end) divided by the area of all its industrial lots, in per cent. Areas
 * are planar, in the workspace CRS, of the lots as stored; an invalid lot is
 * measured by its MakeValid repair (and a warning says so). Whole lots count:
 * a lot is leased or it is not. A cluster without industrial lots has no
 * occupancy (NaN / an empty cell), never 0, and so no answer to its target.
 * target_met = occupancy >= target_pct.
 *
 * A model (ccn_occupancy) holds the clusters, the lots with their areas and
 * the leases, read once; figures on any day are then cheap, which serves the
 * quarterly series and the maps. ccn_occupancy_report builds one of the
 * report tables (DESIGN §8 columns first, extra columns appended):
 *
 *   by cluster  cluster,name,status,target_pct,leasable_m2,leased_m2,
 *               occupancy_pct,target_met, gap_m2,gap_lots,typical_lot_m2,
 *               industrial_lots,leased_lots,as_of
 *               (gap: the leased area still missing to reach the target, in m²
 *               and in lots of the cluster's median industrial lot area)
 *   by lot      cluster,lot_no,use,area_m2,leased,tenant,lease_start,lease_end
 *               (leased is empty for a lot that is not industrial)
 *   series      date,cluster,leased_m2,occupancy_pct, quarter,leasable_m2,
 *               target_pct,target_met — at the end of each quarter
 *   decree      test,cluster,figure,basis,value,unit,limit,passes,detail,as_of,
 *               detail_vi — the Decree 32/2024 tests of DESIGN §1, one row per
 *               figure and one row for each test's answer (detail_vi: the
 *               detail in Vietnamese, for the workbook and the document)
 *   district    scope,clusters,leasable_m2,leased_m2,unleased_m2,
 *               occupancy_pct,target_pct,clusters_meeting_target,target_met,
 *               as_of — each cluster against the plan's target, then the
 *               existing and the new clusters, then the whole district
 *
 * Ownership: a model is freed with ccn_occupancy_free; tables returned
 * through *out are the caller's (ccn_table_free); strings returned by the
 * model belong to it. */
#ifndef CCN_OCCUPANCY_H
#define CCN_OCCUPANCY_H

#include "store.h"
#include "table.h"

/* Decree 32/2024/NĐ-CP on industrial clusters (DESIGN §1). */
#define CCN_DECREE32_MIN_HA 10.0            /* a cluster covers more than this */
#define CCN_DECREE32_MAX_HA 75.0            /* … and at most this, expansion included */
#define CCN_DECREE32_SERVICE_MAX_PCT 10.0   /* services take at most this share */
#define CCN_DECREE32_EXPAND_MIN_PCT 60.0    /* occupancy needed to expand */
#define CCN_DECREE32_NEW_AVG_PCT 50.0       /* existing clusters' average occupancy must exceed */
#define CCN_DECREE32_NEW_UNLEASED_HA 100.0  /* … or their unleased industrial land be at most */

/* The horizon of the 2021–2025 plan: its targets are judged on this day. */
#define CCN_OCCUPANCY_PLAN_HORIZON "2025-12-31"

typedef struct ccn_occupancy ccn_occupancy;

/* Read clusters, lots (measuring them, on every core) and leases. Leases of
 * lots that are not in the lots layer, or not industrial, do not count and
 * are named in a warning. With `cluster` (a code, any case), only that
 * cluster's lots, leases and boundary are read, measured and warned about:
 * a question about one cluster speaks of that cluster alone. Such a model
 * answers only about that cluster (other questions are CCN_ERR_INTERNAL); a
 * code outside the registry loads no lots, and the tables refuse it. */
ccn_status ccn_occupancy_load(ccn_store *store, const char *cluster, ccn_occupancy **out);
void ccn_occupancy_free(ccn_occupancy *occ);

typedef struct {
    double leasable_m2;   /* all industrial lots */
    double leased_m2;     /* industrial lots with a lease running that day */
    double occupancy_pct; /* NaN: no industrial lots */
    double target_pct;    /* NaN: the cluster has no target (the industrial park) */
    int target_met;       /* 1 or 0; -1 when occupancy or target is missing */
    int industrial_lots, leased_lots;
} ccn_occupancy_figures;

/* The figures of cluster `code` (any case) on `date`; CCN_ERR_INPUT for an
 * unknown cluster or a malformed date. */
ccn_status ccn_occupancy_cluster(ccn_occupancy *occ, const char *code, const char *date,
                                 ccn_occupancy_figures *out);
/* The lease running on an industrial lot on `date`; false if the lot is
 * vacant, not industrial or unknown. The strings belong to the model. */
typedef struct {
    const char *tenant, *start_date, *end_date; /* end_date NULL: no end */
} ccn_lease_on;
bool ccn_occupancy_lease(const ccn_occupancy *occ, const char *cluster, const char *lot_no,
                         const char *date, ccn_lease_on *out);

/* The tenant of an industrial lot on `date`; NULL if vacant, not industrial
 * or unknown. */
const char *ccn_occupancy_tenant(const ccn_occupancy *occ, const char *cluster,
                                 const char *lot_no, const char *date);

typedef enum {
    CCN_OCCUPANCY_BY_CLUSTER,
    CCN_OCCUPANCY_BY_LOT,
    CCN_OCCUPANCY_SERIES,
    CCN_OCCUPANCY_DECREE,
    CCN_OCCUPANCY_DISTRICT,
} ccn_occupancy_view;

typedef struct {
    ccn_occupancy_view view;
    const char *as_of;   /* YYYY-MM-DD; NULL: today (district view: the plan horizon) */
    const char *cluster; /* only this cluster (by cluster, by lot, series); NULL: all */
    const char *from;    /* series: first quarter, a date or YYYY-Qn; NULL: 2021-Q1 */
    const char *to;      /* series: last quarter; NULL: 2026-Q4 */
} ccn_occupancy_options;

/* One report table from a loaded model. */
ccn_status ccn_occupancy_table(ccn_occupancy *occ, const ccn_occupancy_options *opt,
                               ccn_table **out);
/* Load, build the table, free: what `ccn occupancy` runs. */
ccn_status ccn_occupancy_report(ccn_store *store, const ccn_occupancy_options *opt,
                                ccn_table **out);

#endif
