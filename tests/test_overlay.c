/* test_overlay — the overlay's figures at full precision against SpatiaLite's
 * SQL, on the bundled sample layers (10,310 parcels over 455 plan zones, six
 * clusters; the plan has overlapping slivers, so both ways of measuring —
 * from the rings and by GEOS overlay — are exercised):
 *
 *   SELECT p.fid, z.landuse, SUM(ST_Area(ST_Intersection(p.geom, z.geom)))
 *   FROM parcels p JOIN plan z ON ST_Intersects(p.geom, z.geom) GROUP BY 1, 2
 *
 * (with the plan's R*Tree as the join's filter, as SpatiaLite needs)
 * over the valid parcels, and the same per cluster. Every row must agree to
 * 1e-6 relative (rows under 0.0005 m², which ccn leaves out as noise, are
 * not compared). Noted when written: 13,126 rows compared, none missing,
 * largest relative difference 1.9e-9; the 7 cluster rows within 1e-6.
 * Also: a parcel's rows add up to its area, the by-parcel rows come out in
 * fid order, and the thread count does not change a digit. */
#include "check.h"

#include "district.h"
#include "import.h"
#include "overlay.h"
#include "store.h"
#include "table.h"

#include <stdlib.h>
#include <unistd.h>

static ccn_ctx *ctx;
static ccn_store *store;

static void import(ccn_role role, const char *file, const char *encoding, const char *s_srs)
{
    ccn_import_options o = {.file = file, .encoding = encoding, .s_srs = s_srs};
    ccn_import_result r;
    ccn_status st = ccn_import(store, role, &o, &r);
    if (st)
        fprintf(stderr, "import %s: %s\n", file, ccn_ctx_message(ctx));
    CHECK(st == CCN_OK);
}

/* ccn's row for (fid, code) in the by-parcel table (rows by fid), or -1. */
static double ccn_row(const ccn_table *t, int64_t fid, const char *code)
{
    int64_t lo = 0, hi = ccn_table_rows(t);
    while (lo < hi) { /* first row of fid */
        int64_t mid = (lo + hi) / 2;
        if ((int64_t)ccn_table_number(t, mid, 0) < fid)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int64_t r = lo; r < ccn_table_rows(t) && (int64_t)ccn_table_number(t, r, 0) == fid; r++) {
        const char *c = ccn_table_text(t, r, 5);
        if (c && strcmp(c, code) == 0)
            return ccn_table_number(t, r, 6);
    }
    return -1;
}

static ccn_table *by_parcel(void)
{
    ccn_overlay_job *job = NULL;
    ccn_table *t = ccn_overlay_parcels_table();
    ccn_status st = ccn_overlay_parcels_begin(store, NULL, 0, &job);
    if (!st)
        st = ccn_overlay_parcels_run(job, t);
    if (st)
        fprintf(stderr, "overlay: %s\n", ccn_ctx_message(ctx));
    CHECK(st == CCN_OK);
    ccn_overlay_job_free(job);
    return t;
}

int main(void)
{
    char dir[] = "/tmp/ccn-test-overlay-XXXXXX", path[64];
    if (!mkdtemp(dir))
        return 1;
    snprintf(path, sizeof path, "%s/ws.sqlite", dir);
    ctx = ccn_ctx_new();
    CHECK(ccn_store_create(ctx, path, 5897, false, &store) == CCN_OK);
    CHECK(ccn_store_begin(store) == CCN_OK);
    CHECK(ccn_district_load(store, "gis") == CCN_OK);
    CHECK(ccn_store_commit(store) == CCN_OK);
    import(CCN_ROLE_PARCELS, "layers/parcels.shp", "TCVN3", NULL);
    import(CCN_ROLE_PLAN, "layers/plan.geojson", NULL, NULL);
    import(CCN_ROLE_CLUSTERS, "layers/clusters.gpkg", NULL, NULL);
    import(CCN_ROLE_CLUSTERS, "layers/tho_ngoc.dxf", NULL, "EPSG:5897");

    ccn_table *t = by_parcel();
    CHECK(ccn_table_rows(t) > 10000);
    bool ordered = true;
    for (int64_t r = 1; r < ccn_table_rows(t); r++)
        ordered &= ccn_table_number(t, r - 1, 0) <= ccn_table_number(t, r, 0);
    CHECK(ordered);

    /* Every SQL row against ccn's, unrounded. */
    ccn_stmt *q = NULL;
    CHECK(ccn_stmt_prepare(store,
                           "SELECT p.fid, z.landuse, SUM(ST_Area(ST_Intersection(p.geom, z.geom))) "
                           "FROM parcels p JOIN plan z ON z.fid IN (SELECT pkid FROM idx_plan_geom "
                           "WHERE xmin <= MbrMaxX(p.geom) AND xmax >= MbrMinX(p.geom) "
                           "AND ymin <= MbrMaxY(p.geom) AND ymax >= MbrMinY(p.geom)) "
                           "AND ST_Intersects(p.geom, z.geom) "
                           "WHERE ST_IsValid(p.geom) GROUP BY 1, 2",
                           &q) == CCN_OK);
    int compared = 0, missing = 0, off = 0;
    double worst = 0;
    while (q && ccn_stmt_step(q) == 1) {
        double want = ccn_stmt_double(q, 2);
        if (want < CCN_OVERLAY_MIN_M2)
            continue;
        double got = ccn_row(t, ccn_stmt_int(q, 0), ccn_stmt_text(q, 1));
        if (got < 0) {
            missing++;
            continue;
        }
        double rel = fabs(got - want) / want;
        worst = rel > worst ? rel : worst;
        off += rel > 1e-6;
        compared++;
    }
    ccn_stmt_free(q);
    printf("by parcel: %d rows compared with SpatiaLite, %d missing, %d off; largest relative "
           "difference %.2g\n",
           compared, missing, off, worst);
    CHECK(compared > 10000);
    CHECK(missing == 0);
    CHECK(off == 0);

    /* A parcel's rows add up to its area (valid parcels; no zone overlaps
     * more than a sliver here, so within 1 m² in all). */
    CHECK(ccn_stmt_prepare(store, "SELECT fid, ST_Area(geom) FROM parcels WHERE ST_IsValid(geom)",
                           &q) == CCN_OK);
    int unequal = 0, checked = 0;
    int64_t r = 0;
    while (q && ccn_stmt_step(q) == 1) {
        int64_t fid = ccn_stmt_int(q, 0);
        double area = ccn_stmt_double(q, 1), sum = 0;
        while (r < ccn_table_rows(t) && (int64_t)ccn_table_number(t, r, 0) < fid)
            r++;
        for (; r < ccn_table_rows(t) && (int64_t)ccn_table_number(t, r, 0) == fid; r++)
            sum += ccn_table_number(t, r, 6);
        unequal += fabs(sum - area) > 1.0 || sum > area + 1.0;
        checked++;
    }
    ccn_stmt_free(q);
    CHECK(checked > 10000);
    CHECK(unequal == 0);

    /* One thread or two: the same rows, to the last bit. */
    setenv("CCN_THREADS", "1", 1);
    ccn_table *one = by_parcel();
    unsetenv("CCN_THREADS");
    bool same = ccn_table_rows(one) == ccn_table_rows(t);
    for (int64_t k = 0; same && k < ccn_table_rows(t); k++)
        same = ccn_table_number(one, k, 0) == ccn_table_number(t, k, 0) &&
               ccn_table_number(one, k, 6) == ccn_table_number(t, k, 6);
    CHECK(same);
    ccn_table_free(one);
    ccn_table_free(t);

    /* By cluster against SQL, and rows adding up to the cluster's area. */
    ccn_table *c = NULL;
    CHECK(ccn_overlay_clusters(store, NULL, &c) == CCN_OK);
    CHECK(c && ccn_table_rows(c) >= 6);
    CHECK(ccn_stmt_prepare(store,
                           "SELECT c.code, z.landuse, SUM(ST_Area(ST_Intersection(c.geom, z.geom))),"
                           " ST_Area(c.geom) FROM clusters c JOIN plan z ON ST_Intersects(c.geom, z.geom)"
                           " GROUP BY 1, 2",
                           &q) == CCN_OK);
    int cluster_rows = 0;
    while (c && q && ccn_stmt_step(q) == 1) {
        double want = ccn_stmt_double(q, 2);
        if (want < CCN_OVERLAY_MIN_M2)
            continue;
        for (int64_t k = 0; k < ccn_table_rows(c); k++)
            if (strcmp(ccn_table_text(c, k, 0), ccn_stmt_text(q, 0)) == 0 &&
                ccn_table_text(c, k, 1) && strcmp(ccn_table_text(c, k, 1), ccn_stmt_text(q, 1)) == 0) {
                CHECK_NEAR(ccn_table_number(c, k, 2), want, 1e-6 * want);
                cluster_rows++;
            }
    }
    ccn_stmt_free(q);
    CHECK(cluster_rows >= 7);
    ccn_table_free(c);

    ccn_store_close(store);
    ccn_ctx_free(ctx);
    unlink(path);
    rmdir(dir);
    return check_summary();
}
