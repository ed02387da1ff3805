/* test_occupancy — occupancy worked out by hand, and each Decree 32/2024 test
 * on both sides of its threshold. Lots are WKT rectangles, so every area is
 * width × height exactly; the workspace is rebuilt where a case needs it. */
#include "check.h"

#include "district.h"
#include "lease.h"
#include "occupancy.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/test_occupancy_XXXXXX";
static char ws_path[256];

static void exec_ok(ccn_store *s, const char *sql)
{
    ccn_status st = ccn_store_exec(s, sql);
    if (st)
        fprintf(stderr, "SQL failed: %s\n%s\n", sql, ccn_ctx_message(ccn_store_ctx(s)));
    CHECK(st == CCN_OK);
}

/* A w × h rectangle (metres) with its lower-left corner at (x, y) near Hợp Thắng. */
static void rect_wkt(char *buf, size_t n, double x, double y, double w, double h)
{
    x += 561000;
    y += 2189000;
    snprintf(buf, n,
             "CastToMultiPolygon(GeomFromText('POLYGON((%.3f %.3f, %.3f %.3f, %.3f %.3f, %.3f %.3f, "
             "%.3f %.3f))', 5897))",
             x, y, x + w, y, x + w, y + h, x, y + h, x, y);
}

static void lot(ccn_store *s, const char *cluster, const char *no, const char *use, double x,
                double y, double w, double h)
{
    char g[400], sql[600];
    rect_wkt(g, sizeof g, x, y, w, h);
    snprintf(sql, sizeof sql,
             "DELETE FROM lots WHERE cluster = '%s' AND lot_no = '%s';"
             "INSERT INTO lots (cluster, lot_no, use, geom) VALUES ('%s', '%s', '%s', %s)",
             cluster, no, cluster, no, use, g);
    exec_ok(s, sql);
}

static void boundary(ccn_store *s, const char *code, double w, double h)
{
    char g[400], sql[600];
    rect_wkt(g, sizeof g, 0, 0, w, h);
    snprintf(sql, sizeof sql, "UPDATE clusters SET geom = %s WHERE code = '%s'", g, code);
    exec_ok(s, sql);
}

static void lease(ccn_store *s, const char *cluster, const char *no, const char *start,
                  const char *end)
{
    ccn_lease l = {cluster, no, "Công ty thử", start, end, NULL};
    ccn_status st = ccn_lease_add(s, &l, NULL);
    if (st)
        fprintf(stderr, "lease: %s\n", ccn_ctx_message(ccn_store_ctx(s)));
    CHECK(st == CCN_OK);
}

static ccn_store *fresh(ccn_ctx *ctx)
{
    ccn_store *s = NULL;
    CHECK(ccn_store_create(ctx, ws_path, 5897, true, &s) == CCN_OK);
    CHECK(ccn_store_begin(s) == CCN_OK);
    CHECK(ccn_district_load(s, "gis") == CCN_OK);
    CHECK(ccn_store_commit(s) == CCN_OK);
    return s;
}

static ccn_occupancy_figures figures_on(ccn_store *s, const char *code, const char *day)
{
    ccn_occupancy *o = NULL;
    ccn_occupancy_figures f = {0};
    f.leasable_m2 = -1;
    if (ccn_occupancy_load(s, NULL, &o) == CCN_OK && ccn_occupancy_cluster(o, code, day, &f) != CCN_OK)
        f.leasable_m2 = -1;
    ccn_occupancy_free(o);
    ccn_ctx_clear_warnings(ccn_store_ctx(s));
    return f;
}

/* The row of a table whose first columns are (a, b[, c]); -1 if none. */
static int64_t find_row(const ccn_table *t, const char *a, const char *b, const char *c)
{
    for (int64_t r = 0; r < ccn_table_rows(t); r++) {
        const char *x = ccn_table_text(t, r, 0), *y = ccn_table_text(t, r, 1);
        const char *z = c ? ccn_table_text(t, r, 2) : NULL;
        if (x && strcmp(x, a) == 0 && ((!b && !y) || (b && y && strcmp(y, b) == 0)) &&
            (!c || (z && strcmp(z, c) == 0)))
            return r;
    }
    return -1;
}

/* A Decree test's answer: 1, 0, or -1 for an empty cell (-2: no such row). */
static int decree_passes(ccn_store *s, const char *day, const char *test, const char *cluster,
                         const char *figure, double *value)
{
    ccn_occupancy_options opt = {.view = CCN_OCCUPANCY_DECREE, .as_of = day};
    ccn_table *t = NULL;
    int v = -2;
    if (ccn_occupancy_report(s, &opt, &t) == CCN_OK) {
        int64_t r = find_row(t, test, cluster, figure);
        if (r >= 0) {
            int col = ccn_table_col(t, "passes");
            v = ccn_table_type(t, r, col) == CCN_CELL_NULL ? -1
                                                            : (int)ccn_table_number(t, r, col);
            if (value)
                *value = ccn_table_type(t, r, 4) == CCN_CELL_NULL ? NAN
                                                                   : ccn_table_number(t, r, 4);
        }
    }
    ccn_table_free(t);
    ccn_ctx_clear_warnings(ccn_store_ctx(s));
    return v;
}

/* HT: CN-01 5000, CN-02 3000, CN-03 2000 m² industrial; DV-01 service.
 * Leases: CN-01 [2022-01-01, 2024-07-01) then [2024-07-01, …);
 * CN-02 [2023-04-01, 2025-12-31); CN-03 [2025-12-31, …). */
static void test_figures(ccn_ctx *ctx)
{
    ccn_store *s = fresh(ctx);
    lot(s, "HT", "CN-01", "industrial", 0, 0, 100, 50);
    lot(s, "HT", "CN-02", "industrial", 100, 0, 100, 30);
    lot(s, "HT", "CN-03", "industrial", 200, 0, 100, 20);
    lot(s, "HT", "DV-01", "service", 0, 100, 100, 100);
    lease(s, "HT", "CN-01", "2022-01-01", "2024-07-01");
    lease(s, "HT", "CN-01", "2024-07-01", NULL);
    lease(s, "HT", "CN-02", "2023-04-01", "2025-12-31");
    lease(s, "HT", "CN-03", "2025-12-31", NULL);

    ccn_occupancy_figures f = figures_on(s, "HT", "2021-12-31"); /* lots, no lease yet: 0, not empty */
    CHECK_NEAR(f.leasable_m2, 10000, 1e-6);
    CHECK_NEAR(f.leased_m2, 0, 1e-9);
    CHECK_NEAR(f.occupancy_pct, 0, 1e-9);
    CHECK(f.target_met == 0);
    f = figures_on(s, "HT", "2022-01-01"); /* first day of a lease counts */
    CHECK_NEAR(f.occupancy_pct, 50, 1e-9);
    f = figures_on(s, "HT", "2024-06-30"); /* 5000 + 3000 */
    CHECK_NEAR(f.occupancy_pct, 80, 1e-9);
    CHECK(f.target_met == 1);              /* 80 >= 80 */
    f = figures_on(s, "HT", "2024-07-01"); /* CN-01 changes hands that day: still leased */
    CHECK_NEAR(f.leased_m2, 8000, 1e-6);
    CHECK(f.leased_lots == 2 && f.industrial_lots == 3);
    f = figures_on(s, "HT", "2025-12-30");
    CHECK_NEAR(f.occupancy_pct, 80, 1e-9);
    f = figures_on(s, "HT", "2025-12-31"); /* CN-02's end day is free; CN-03's first day is leased */
    CHECK_NEAR(f.leased_m2, 7000, 1e-6);
    CHECK_NEAR(f.occupancy_pct, 70, 1e-9);
    CHECK(f.target_met == 0);
    f = figures_on(s, "DL3", "2025-12-31"); /* no lots: empty, not 0 */
    CHECK(isnan(f.occupancy_pct));
    CHECK(f.target_met == -1);
    f = figures_on(s, "TTH", "2025-12-31"); /* the park: no target */
    CHECK(isnan(f.target_pct));

    /* The by-cluster table: the gap to 80 % on 2025-12-31 is 1000 m², one
     * lot of the median size 3000 m². */
    ccn_occupancy_options opt = {.view = CCN_OCCUPANCY_BY_CLUSTER, .as_of = "2025-12-31"};
    ccn_table *t = NULL;
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_OK);
    if (t) {
        static const char *const design[] = {"cluster", "name", "status", "target_pct",
                                             "leasable_m2", "leased_m2", "occupancy_pct",
                                             "target_met"};
        for (int c = 0; c < 8; c++)
            CHECK_STR(ccn_table_column(t, c), design[c]);
        CHECK(ccn_table_rows(t) == 6);
        int64_t r = find_row(t, "HT", "Hợp Thắng", NULL);
        CHECK(r == 1);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "gap_m2")), 1000, 1e-6);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "gap_lots")), 1, 0);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "typical_lot_m2")), 3000, 1e-6);
        r = 0; /* DL3, the registry's first row, has no lots */
        CHECK_STR(ccn_table_text(t, r, 0), "DL3");
        CHECK(ccn_table_type(t, r, 6) == CCN_CELL_NULL && ccn_table_type(t, r, 7) == CCN_CELL_NULL);
        CHECK(ccn_table_type(t, r, 4) == CCN_CELL_REAL && ccn_table_number(t, r, 4) == 0);
    }
    ccn_table_free(t);

    /* By lot on 2025-12-31: CN-02 free, the service lot neither. */
    opt = (ccn_occupancy_options){.view = CCN_OCCUPANCY_BY_LOT, .as_of = "2025-12-31",
                                  .cluster = "ht"};
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_OK);
    if (t) {
        CHECK(ccn_table_rows(t) == 4);
        CHECK_STR(ccn_table_text(t, 1, 1), "CN-02");
        CHECK(ccn_table_type(t, 1, 4) == CCN_CELL_BOOL && ccn_table_number(t, 1, 4) == 0);
        CHECK_STR(ccn_table_text(t, 2, 6), "2025-12-31");
        CHECK_STR(ccn_table_text(t, 3, 2), "service");
        CHECK(ccn_table_type(t, 3, 4) == CCN_CELL_NULL);
        CHECK_NEAR(ccn_table_number(t, 3, 3), 10000, 1e-6);
    }
    ccn_table_free(t);

    /* The series, default quarters 2021-Q1 … 2026-Q4: 24 quarter ends. */
    opt = (ccn_occupancy_options){.view = CCN_OCCUPANCY_SERIES, .cluster = "HT"};
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_OK);
    if (t) {
        static const double expect[24] = {0,  0,  0,  0,  50, 50, 50, 50, 50, 80, 80, 80,
                                          80, 80, 80, 80, 80, 80, 80, 70, 70, 70, 70, 70};
        CHECK(ccn_table_rows(t) == 24);
        for (int64_t r = 0; r < ccn_table_rows(t) && r < 24; r++)
            CHECK_NEAR(ccn_table_number(t, r, 3), expect[r], 1e-9);
        CHECK_STR(ccn_table_text(t, 0, 0), "2021-03-31");
        CHECK_STR(ccn_table_text(t, 8, 0), "2023-03-31"); /* the day before CN-02's lease */
        CHECK_STR(ccn_table_text(t, 19, 4), "2025-Q4");
        CHECK_STR(ccn_table_text(t, 23, 0), "2026-12-31");
    }
    ccn_table_free(t);
    opt.from = "2024-05-17"; /* a date stands for its quarter */
    opt.to = "2024-Q3";
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_OK);
    CHECK(t && ccn_table_rows(t) == 2);
    CHECK(t && strcmp(ccn_table_text(t, 1, 0), "2024-09-30") == 0);
    ccn_table_free(t);
    opt.from = "2024-Q5";
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_ERR_INPUT && !t);
    opt.from = "2025-Q1";
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_ERR_INPUT && !t); /* after --to */
    opt = (ccn_occupancy_options){.view = CCN_OCCUPANCY_BY_CLUSTER, .as_of = "2025-02-29"};
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_ERR_INPUT && !t);
    opt = (ccn_occupancy_options){.view = CCN_OCCUPANCY_BY_CLUSTER, .cluster = "XYZ"};
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_ERR_INPUT && !t);

    /* An invalid lot (a bow-tie) counts with its MakeValid area: two
     * triangles of 10 × 5 / 2 = 25 m² each. */
    exec_ok(s, "INSERT INTO lots (cluster, lot_no, use, geom) VALUES ('NUA', 'CN-01', 'industrial',"
               " CastToMultiPolygon(GeomFromText('POLYGON((565000 2183000, 565010 2183010,"
               " 565010 2183000, 565000 2183010, 565000 2183000))', 5897)))");
    ccn_occupancy *o = NULL;
    CHECK(ccn_occupancy_load(s, NULL, &o) == CCN_OK);
    CHECK(ccn_occupancy_cluster(o, "NUA", "2025-01-01", &f) == CCN_OK);
    CHECK_NEAR(f.leasable_m2, 50, 1e-6);
    CHECK(ccn_ctx_warning_count(ctx) >= 1);
    CHECK(ccn_ctx_warning_count(ctx) >= 1 && strstr(ccn_ctx_warning(ctx, 0), "MakeValid"));
    CHECK_STR(ccn_occupancy_tenant(o, "HT", "cn-03", "2025-12-31"), "Công ty thử");
    CHECK(ccn_occupancy_tenant(o, "HT", "CN-02", "2025-12-31") == NULL);
    ccn_occupancy_free(o);
    ccn_ctx_clear_warnings(ctx);
    ccn_store_close(s);
}

static void test_decree(ccn_ctx *ctx)
{
    const char *day = "2025-06-30";
    double v = 0;
    ccn_store *s = fresh(ctx);

    /* Size: more than 10 ha and at most 75 ha, measured on the boundary. */
    boundary(s, "DL3", 1000, 100); /* 100,000 m² = 10 ha exactly: not more than 10 */
    CHECK(decree_passes(s, day, "size", "DL3", "cluster area", &v) == 0);
    CHECK_NEAR(v, 10, 1e-9);
    boundary(s, "DL3", 1000, 100.5); /* 10.05 ha */
    CHECK(decree_passes(s, day, "size", "DL3", "cluster area", NULL) == 1);
    boundary(s, "DL3", 1000, 750); /* 75 ha exactly: allowed */
    CHECK(decree_passes(s, day, "size", "DL3", "cluster area", NULL) == 1);
    boundary(s, "DL3", 1000, 750.5);
    CHECK(decree_passes(s, day, "size", "DL3", "cluster area", NULL) == 0);
    /* Without a boundary, the planned hectares are used (NUA: 20 ha). */
    CHECK(decree_passes(s, day, "size", "NUA", "cluster area", &v) == 1);
    CHECK_NEAR(v, 20, 1e-9);
    /* The industrial park is not a cluster: no row. */
    CHECK(decree_passes(s, day, "size", "TTH", "cluster area", NULL) == -2);

    /* Services at most 10 % of the cluster: 12,000 of 120,000 m². */
    boundary(s, "DL3", 1000, 120);
    CHECK(decree_passes(s, day, "services", "DL3", "service lots / cluster area", NULL) == -1);
    lot(s, "DL3", "DV-01", "service", 0, 0, 120, 100);
    CHECK(decree_passes(s, day, "services", "DL3", "service lots / cluster area", &v) == 1);
    CHECK_NEAR(v, 10, 1e-9);
    lot(s, "DL3", "DV-01", "service", 0, 0, 120, 100.1); /* 12,012 m²: 10.01 % */
    CHECK(decree_passes(s, day, "services", "DL3", "service lots / cluster area", &v) == 0);
    CHECK_NEAR(v, 10.01, 1e-9);
    /* Only the part inside the boundary is the cluster's, as in ccn areas --by use: a lot
     * of 120 x 100.1 m from y = 60 has 120 x 60 = 7,200 m² inside the 120 m deep
     * boundary, 6 %; counted whole it was 10.01 % and failed. */
    lot(s, "DL3", "DV-01", "service", 0, 60, 120, 100.1);
    CHECK(decree_passes(s, day, "services", "DL3", "service lots / cluster area", &v) == 1);
    CHECK_NEAR(v, 6, 1e-9);
    lot(s, "DL3", "DV-01", "service", 0, 200, 120, 100); /* wholly outside: none of it */
    CHECK(decree_passes(s, day, "services", "DL3", "service lots / cluster area", &v) == 1);
    CHECK_NEAR(v, 0, 1e-9);

    /* Expansion of DL3: occupancy >= 60 % and <= 75 ha after expansion. */
    CHECK(decree_passes(s, day, "expansion", "DL3", "occupancy", NULL) == -1); /* no lots */
    CHECK(decree_passes(s, day, "expansion", "DL3", "may be expanded", NULL) == -1);
    lot(s, "DL3", "CN-01", "industrial", 0, 0, 60, 100);  /* 6000 */
    lot(s, "DL3", "CN-02", "industrial", 60, 0, 40, 100); /* 4000 */
    lease(s, "DL3", "CN-01", "2025-01-01", NULL);
    CHECK(decree_passes(s, day, "expansion", "DL3", "occupancy", &v) == 1); /* 60 % exactly */
    CHECK_NEAR(v, 60, 1e-9);
    CHECK(decree_passes(s, day, "expansion", "DL3", "area after expansion", &v) == 1);
    CHECK_NEAR(v, 70, 1e-9);
    CHECK(decree_passes(s, day, "expansion", "DL3", "may be expanded", NULL) == 1);
    /* The day before the lease: 0 %. */
    CHECK(decree_passes(s, "2024-12-31", "expansion", "DL3", "may be expanded", NULL) == 0);
    lot(s, "DL3", "CN-01", "industrial", 0, 0, 59.99, 100); /* 5999 of 9999: 59.996 % */
    CHECK(decree_passes(s, day, "expansion", "DL3", "occupancy", &v) == 0);
    CHECK_NEAR(v, 100.0 * 5999 / 9999, 1e-9);
    CHECK(decree_passes(s, day, "expansion", "DL3", "may be expanded", NULL) == 0);
    lot(s, "DL3", "CN-01", "industrial", 0, 0, 60, 100);
    exec_ok(s, "UPDATE clusters SET expansion_ha = 75 WHERE code = 'DL3'");
    CHECK(decree_passes(s, day, "expansion", "DL3", "may be expanded", NULL) == 1);
    exec_ok(s, "UPDATE clusters SET expansion_ha = 75.5 WHERE code = 'DL3'");
    CHECK(decree_passes(s, day, "expansion", "DL3", "area after expansion", NULL) == 0);
    CHECK(decree_passes(s, day, "expansion", "DL3", "may be expanded", NULL) == 0);
    /* Only clusters with a planned expansion are asked. */
    CHECK(decree_passes(s, day, "expansion", "HT", "may be expanded", NULL) == -2);

    /* A new cluster: the existing clusters (DL3 60 %, HT below) average
     * more than 50 %, or their unleased industrial land is at most 100 ha. */
    lot(s, "HT", "CN-01", "industrial", 0, 1000, 20, 20); /* 400 */
    lot(s, "HT", "CN-02", "industrial", 20, 1000, 20, 30); /* 600 */
    lease(s, "HT", "CN-01", "2025-01-01", NULL);            /* HT 40 %: mean 50 % */
    CHECK(decree_passes(s, day, "new_cluster", NULL, "average occupancy of the existing clusters",
                        &v) == 0);
    CHECK_NEAR(v, 50, 1e-9);
    /* unleased: DL3 4000 + HT 600 m² = 0.46 ha */
    CHECK(decree_passes(s, day, "new_cluster", NULL,
                        "unleased industrial land of the existing clusters", &v) == 1);
    CHECK_NEAR(v, 0.46, 1e-9);
    CHECK(decree_passes(s, day, "new_cluster", NULL, "may a new cluster be set up", NULL) == 1);
    lot(s, "HT", "CN-01", "industrial", 0, 1000, 20, 20.5); /* 410 of 1010: 40.594 % */
    CHECK(decree_passes(s, day, "new_cluster", NULL, "average occupancy of the existing clusters",
                        &v) == 1);
    CHECK_NEAR(v, (60 + 100.0 * 410 / 1010) / 2, 1e-9);
    /* Unleased land up to 100 ha exactly: HT's CN-02 grows to
     * 1,000,000 - 4,000 = 996,000 m² (1000 × 996). */
    lot(s, "HT", "CN-01", "industrial", 0, 1000, 20, 20);
    lot(s, "HT", "CN-02", "industrial", 2000, 0, 1000, 996);
    CHECK(decree_passes(s, day, "new_cluster", NULL,
                        "unleased industrial land of the existing clusters", &v) == 1);
    CHECK_NEAR(v, 100, 1e-9);
    /* mean now (60 + 400/996400 %) / 2: about 30 % — fails; unleased saves it */
    CHECK(decree_passes(s, day, "new_cluster", NULL, "average occupancy of the existing clusters",
                        NULL) == 0);
    CHECK(decree_passes(s, day, "new_cluster", NULL, "may a new cluster be set up", NULL) == 1);
    lot(s, "HT", "CN-02", "industrial", 2000, 0, 1000, 996.1); /* 100.01 ha unleased */
    CHECK(decree_passes(s, day, "new_cluster", NULL,
                        "unleased industrial land of the existing clusters", NULL) == 0);
    CHECK(decree_passes(s, day, "new_cluster", NULL, "may a new cluster be set up", NULL) == 0);
    /* Leasing the big lot brings the mean to (60 + 100 - 400/996500 …) / 2 > 50. */
    lease(s, "HT", "CN-02", "2025-03-01", NULL);
    CHECK(decree_passes(s, day, "new_cluster", NULL, "may a new cluster be set up", NULL) == 1);
    ccn_store_close(s);

    /* No existing cluster has lots: no answer, not a false one. */
    s = fresh(ctx);
    CHECK(decree_passes(s, day, "new_cluster", NULL, "may a new cluster be set up", NULL) == -1);
    ccn_store_close(s);
}

/* The district against the plan on 2025-12-31: HT 80 % (met), DL3 50 % (not
 * met), DT 30 % (met), NUA and TN without lots. */
static void test_district(ccn_ctx *ctx)
{
    ccn_store *s = fresh(ctx);
    lot(s, "HT", "CN-01", "industrial", 0, 0, 80, 100);
    lot(s, "HT", "CN-02", "industrial", 80, 0, 20, 100);
    lot(s, "DL3", "CN-01", "industrial", 0, 200, 50, 100);
    lot(s, "DL3", "CN-02", "industrial", 50, 200, 50, 100);
    lot(s, "DT", "CN-01", "industrial", 0, 400, 30, 100);
    lot(s, "DT", "CN-02", "industrial", 30, 400, 70, 100);
    lease(s, "HT", "CN-01", "2023-01-01", NULL);
    lease(s, "DL3", "CN-01", "2023-01-01", NULL);
    lease(s, "DT", "CN-01", "2025-12-31", NULL);
    ccn_occupancy_options opt = {.view = CCN_OCCUPANCY_DISTRICT};
    ccn_table *t = NULL;
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_OK);
    if (t) {
        int met = ccn_table_col(t, "target_met"), count = ccn_table_col(t, "clusters_meeting_target");
        int64_t r = find_row(t, "HT", NULL, NULL);
        CHECK(r >= 0 && ccn_table_number(t, r, met) == 1);
        CHECK_STR(ccn_table_text(t, r, ccn_table_col(t, "as_of")), "2025-12-31");
        r = find_row(t, "DL3", NULL, NULL);
        CHECK(r >= 0 && ccn_table_number(t, r, met) == 0);
        r = find_row(t, "NUA", NULL, NULL);
        CHECK(r >= 0 && ccn_table_type(t, r, met) == CCN_CELL_NULL);
        r = find_row(t, "existing clusters", NULL, NULL);
        CHECK(r >= 0 && ccn_table_number(t, r, 1) == 2 && ccn_table_number(t, r, count) == 1);
        CHECK(r >= 0 && ccn_table_number(t, r, met) == 0);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "occupancy_pct")), 65, 1e-9);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "target_pct")), 80, 1e-9);
        r = find_row(t, "new clusters", NULL, NULL);
        /* DT met, NUA and TN unknown: the group's answer is unknown, 1 met */
        CHECK(r >= 0 && ccn_table_number(t, r, 1) == 3 && ccn_table_number(t, r, count) == 1);
        CHECK(r >= 0 && ccn_table_type(t, r, met) == CCN_CELL_NULL);
        r = find_row(t, "district", NULL, NULL);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "leasable_m2")), 30000, 1e-6);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "leased_m2")), 16000, 1e-6);
        CHECK_NEAR(ccn_table_number(t, r, ccn_table_col(t, "unleased_m2")), 14000, 1e-6);
    }
    ccn_table_free(t);
    /* A day before DT's lease: DT 0 %. */
    opt.as_of = "2025-12-30";
    CHECK(ccn_occupancy_report(s, &opt, &t) == CCN_OK);
    if (t) {
        int64_t r = find_row(t, "DT", NULL, NULL);
        CHECK(r >= 0 && ccn_table_number(t, r, ccn_table_col(t, "target_met")) == 0);
    }
    ccn_table_free(t);
    ccn_store_close(s);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(ws_path, sizeof ws_path, "%s/ws.sqlite", dir);
    ccn_ctx *ctx = ccn_ctx_new();
    test_figures(ctx);
    test_decree(ctx);
    test_district(ctx);
    ccn_ctx_free(ctx);
    unlink(ws_path);
    rmdir(dir);
    return check_summary();
}
