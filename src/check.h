/* check — is every boundary right? The checks of DESIGN §7.
 *
 * ccn_check_run reads the workspace's layers, runs the checks in groups and
 * returns the findings as a table (DESIGN §8 columns: severity, code, layer,
 * fid, other_layer, other_fid, area_m2, x, y, message). The same rows replace
 * the workspace's `findings` table in one transaction, under the same names
 * (DESIGN §4: the feature ids in `fid` / `other_fid`, the table's own key is
 * `id`; an older workspace's table is renamed so), and x, y also make the
 * point `geom`, so QGIS shows where each finding is.
 *
 * Groups and codes (severity in brackets; E = error, W = warning):
 *   validity    INVALID_GEOMETRY [E] GEOS's reason and location; the feature
 *               is repaired with MakeValid for every other check, and a
 *               repair that changes its area by more than repair_area_pct is
 *               said so, with the change as area_m2.
 *               EMPTY_GEOMETRY [E] no or an empty geometry.
 *               NOT_POLYGON [E] a point or line where a polygon belongs.
 *               Layers: clusters (boundaries), lots, parcels, plan, communes.
 *   duplicates  DUPLICATE_ID [E] a parcel key (commune, sheet, parcel_no), or
 *               a lot number within a cluster (case and spaces ignored), used
 *               again: one finding per later feature, other_fid the first.
 *   clusters    AREA_DEVIATION [E] boundary area vs planned_ha beyond
 *               area_deviation_pct (area_m2 = the difference), or a cluster
 *               (kind `cluster`, not the industrial park) outside Decree
 *               32/2024's "more than 10 ha, at most 75 ha".
 *               CLUSTER_OVERLAP [E] two boundaries share more than
 *               overlap_min_m2.
 *   lots        LOT_WRONG_CLUSTER [E] more than half of the lot lies in
 *               another cluster than its `cluster` (area_m2 = that part).
 *               LOT_OUTSIDE_CLUSTER [E] the part of a lot outside its own
 *               cluster, above overlap_min_m2 (not also reported for a lot
 *               in the wrong cluster). LOT_OVERLAP [E] two lots overlap.
 *   parcels     PARCEL_OVERLAP [E] two parcels share more than overlap_min_m2.
 *               PARCEL_GAP [E] a hole of the parcels' union of more than
 *               overlap_min_m2 and less than gap_max_m2; fid and other_fid
 *               are parcels along it. SLIVER [W] see coverage.h.
 *               AREA_LEGAL_MISMATCH [W] |map area − area_legal| / area_legal
 *               above area_legal_pct (area_m2 = the difference).
 *   markers     MARKER_MISMATCH [E] a marker farther than marker_max_m from
 *               its cluster's boundary (one finding per marker, distance in
 *               the message, location the marker), and a boundary vertex
 *               farther than marker_max_m from the outline through the
 *               markers in `seq` order, unless its nearest marker was itself
 *               reported (a moved marker is one defect, not two); not for a
 *               boundary of several parts, which one outline cannot follow.
 *   (lots, parcels, clusters) EDGE_MISMATCH [W] two neighbours (or a lot
 *               and its cluster) overlap or leave a gap thinner than
 *               edge_tol_m along their shared edge (see coverage.h: a piece
 *               is thin when eroding it by edge_tol_m / 2 leaves nothing);
 *               one finding per pair, area above overlap_min_m2, its length
 *               and largest width in the message. Such pieces are never a
 *               CLUSTER_OVERLAP, LOT_OUTSIDE_CLUSTER, LOT_OVERLAP,
 *               PARCEL_OVERLAP or PARCEL_GAP; one wider part makes the whole
 *               overlap or gap one.
 *   plan        PROTECTED_LAND [E] a cluster over planned protected land
 *               (landuse_codes.protected: LUC, LUK, RPH, RDD), per plan zone,
 *               with the area.
 * area_m2 is never negative; x, y is a point inside the overlap, gap or
 * outside part, GEOS's invalidity location, the marker or vertex, or else a
 * point on the feature. Findings are sorted by code (in the order above),
 * layer, fid, other_fid.
 *
 * A group runs when its layers are in the workspace; the summary says which
 * groups ran and which did not, and why. With no cluster boundaries, lots
 * or parcels at all, or when a group asked for by `only` cannot run, the
 * check fails with CCN_ERR_INPUT naming what is missing.
 *
 * Ownership: the table returned is the caller's, freed with ccn_table_free. */
#ifndef CCN_CHECK_H
#define CCN_CHECK_H

#include "store.h"
#include "table.h"

/* The named tolerances of gis/tolerances.csv. */
typedef struct {
    double area_deviation_pct; /* % */
    double overlap_min_m2;     /* m² */
    double gap_max_m2;         /* m² */
    double sliver_ratio;       /* thinness 4πA/P² */
    double sliver_max_width_m; /* m */
    double area_legal_pct;     /* % */
    double marker_max_m;       /* m */
    double remnant_m2;         /* m² (ccn parcels) */
    double repair_area_pct;    /* % */
    double meridian_max_deg;   /* degrees */
    double edge_tol_m;         /* m: overlaps and gaps thinner than this are EDGE_MISMATCH */
} ccn_tolerances;

/* The known keys, NULL-terminated, in the order of the struct. */
extern const char *const ccn_tolerance_keys[];

/* The workspace's tolerances (table `tolerances`), the built-in defaults of
 * gis/tolerances.csv for keys it lacks. */
void ccn_tolerances_load(ccn_store *store, ccn_tolerances *out);
/* Apply one "KEY=VALUE". CCN_ERR_INPUT for an unknown key (the message lists
 * the known ones) or a value that is not a positive number. */
ccn_status ccn_tolerances_set(ccn_ctx *ctx, ccn_tolerances *t, const char *assignment);

typedef enum {
    CCN_CHECK_VALIDITY = 1 << 0,
    CCN_CHECK_DUPLICATES = 1 << 1,
    CCN_CHECK_CLUSTERS = 1 << 2,
    CCN_CHECK_LOTS = 1 << 3,
    CCN_CHECK_PARCELS = 1 << 4,
    CCN_CHECK_MARKERS = 1 << 5,
    CCN_CHECK_PLAN = 1 << 6,
} ccn_check_group;

enum { CCN_CHECK_GROUPS = 7, CCN_CHECK_ALL = (1 << CCN_CHECK_GROUPS) - 1 };

/* "validity", "duplicates" … → its bit; false if unknown. */
bool ccn_check_parse_group(const char *name, unsigned *bit);
const char *ccn_check_group_name(int index);

typedef struct {
    const char *const *tolerances; /* "KEY=VALUE" overrides */
    size_t ntolerances;
    unsigned only;                 /* groups to run (bits); 0 = all */
    /* Optional: called once with the findings table as soon as it is made,
     * on a thread of its own (with its own context, for its messages) while
     * the workspace's findings are written, so that a long list is written
     * out meanwhile. The table is read-only there and is the one returned.
     * A failure (its status) fails the run, and the workspace is left
     * unchanged; a run that fails otherwise after the call leaves what it
     * wrote for the caller to discard. */
    ccn_status (*on_findings)(void *user, ccn_ctx *ctx, const ccn_table *findings);
    void *user;
} ccn_check_options;

typedef struct {
    const char *name;  /* the group */
    bool ran;
    char note[256];    /* what it looked at, or why it did not run */
    int64_t findings;
} ccn_check_group_report;

typedef struct {
    ccn_check_group_report groups[CCN_CHECK_GROUPS];
    int64_t errors, warnings;
} ccn_check_summary;

/* Run the checks. Returns CCN_OK, or CCN_FOUND when an error-level finding
 * exists (the table and summary are filled in both cases); other statuses
 * leave *findings NULL and the workspace unchanged. */
ccn_status ccn_check_run(ccn_store *store, const ccn_check_options *opt, ccn_table **findings,
                         ccn_check_summary *summary);

#endif
