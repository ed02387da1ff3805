/* export: lease status and occupancy on a date (DESIGN §6), and the
 * GeoJSON writer's text, on the hand-made fixture (tests/export_fixture.sh).
 * Every figure below is worked out by hand from the fixture's rectangles. */
#include "check.h"
#include "export.h"
#include "export_ws.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const ccn_cluster_state *cluster(const ccn_cluster_state *c, size_t n, const char *code)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(c[i].code, code) == 0)
            return &c[i];
    return NULL;
}

static const ccn_lot_state *lot(const ccn_lot_state *l, size_t n, const char *no)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i].lot_no, no) == 0)
            return &l[i];
    return NULL;
}

/* HT's occupancy (%) on date. */
static double ht_on(ccn_store *store, const char *date)
{
    ccn_cluster_state *c = NULL;
    size_t n = 0;
    double pct = -1;
    if (ccn_export_clusters_on(store, "HT", date, &c, &n) == CCN_OK && n == 1)
        pct = c[0].occupancy_pct;
    ccn_export_clusters_free(c, n);
    return pct;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) == (size_t)n)
        s[n] = '\0';
    fclose(f);
    return s;
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    char ws[64];
    snprintf(ws, sizeof ws, "/tmp/ccn_test_export_%ld.sqlite", (long)getpid());
    ccn_store *store = export_ws(ctx, ws);
    CHECK(store != NULL);
    if (!store)
        return check_summary();

    /* Lots on 2024-06-30. */
    ccn_lot_state *lots = NULL;
    size_t nlots = 0;
    CHECK(ccn_export_lots_on(store, "HT", "2024-06-30", &lots, &nlots) == CCN_OK);
    CHECK(nlots == 9);
    const ccn_lot_state *l = lot(lots, nlots, "CN-01");
    CHECK(l && l->leased && !strcmp(l->status, CCN_LOT_LEASED));
    CHECK_NEAR(l ? l->area_m2 : 0, 200.0 * 420.0, 1e-6);
    CHECK_STR(l ? l->tenant : NULL, "Công ty TNHH Dệt may Hợp Thắng");
    CHECK(l && l->lease_end == NULL);
    l = lot(lots, nlots, "CN-02");
    CHECK_STR(l ? l->lease_end : NULL, "2025-12-31");
    l = lot(lots, nlots, "CN-03"); /* ended 2023-12-31 */
    CHECK(l && !l->leased && !strcmp(l->status, CCN_LOT_VACANT) && !l->tenant);
    l = lot(lots, nlots, "CN-05"); /* starts the next day */
    CHECK(l && !l->leased);
    l = lot(lots, nlots, "CN-04"); /* use from the CN prefix */
    CHECK(l && !strcmp(l->use, "industrial") && !strcmp(l->status, CCN_LOT_VACANT));
    l = lot(lots, nlots, "GT-01"); /* 800 m × 35 m road */
    CHECK(l && !strcmp(l->status, CCN_LOT_OTHER));
    CHECK_NEAR(l ? l->area_m2 : 0, 28000.0, 1e-6);
    ccn_export_lots_free(lots, nlots);

    /* Occupancy: 6 industrial lots of 84,000 m² = 504,000 m². */
    ccn_cluster_state *cs = NULL;
    size_t ncs = 0;
    CHECK(ccn_export_clusters_on(store, NULL, "2024-06-30", &cs, &ncs) == CCN_OK);
    CHECK(ncs == 6);
    const ccn_cluster_state *c = cluster(cs, ncs, "HT");
    CHECK(c && c->has_boundary && c->lots == 6);
    CHECK_NEAR(c ? c->area_m2 : 0, 800.0 * 875.0, 1e-6);
    CHECK_NEAR(c ? c->leasable_m2 : 0, 504000.0, 1e-6);
    CHECK_NEAR(c ? c->leased_m2 : 0, 168000.0, 1e-6);
    CHECK_NEAR(c ? c->occupancy_pct : 0, 100.0 / 3.0, 1e-9);
    CHECK_NEAR(c ? c->target_pct : 0, 80.0, 0);
    c = cluster(cs, ncs, "NUA"); /* two vacant lots of 225 m × 450 m */
    CHECK(c && c->lots == 2);
    CHECK_NEAR(c ? c->leasable_m2 : 0, 202500.0, 1e-6);
    CHECK_NEAR(c ? c->occupancy_pct : -1, 0.0, 0);
    c = cluster(cs, ncs, "DL3"); /* no lots: empty, not 0 */
    CHECK(c && !c->has_boundary && isnan(c->occupancy_pct) && isnan(c->area_m2));
    c = cluster(cs, ncs, "TTH"); /* no target in the plan */
    CHECK(c && isnan(c->target_pct));
    ccn_export_clusters_free(cs, ncs);

    CHECK_NEAR(ht_on(store, "2024-07-01"), 50.0, 1e-9);        /* + CN-05 */
    CHECK_NEAR(ht_on(store, "2021-06-01"), 100.0 / 6.0, 1e-9);  /* CN-03 alone, from its first day */
    CHECK_NEAR(ht_on(store, "2021-05-31"), 0.0, 0);
    CHECK_NEAR(ht_on(store, "2025-12-30"), 50.0, 1e-9);         /* CN-01, CN-02, CN-05 */
    CHECK_NEAR(ht_on(store, "2025-12-31"), 100.0 / 3.0, 1e-9);  /* CN-02's end day: no longer */

    CHECK(ccn_export_clusters_on(store, "XX", "2024-06-30", &cs, &ncs) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "unknown cluster 'XX'") != NULL);

    /* Formats from names and extensions. */
    ccn_export_format f;
    CHECK(ccn_export_format_from_path("out.GeoJSON", &f) && f == CCN_EXPORT_GEOJSON);
    CHECK(ccn_export_format_from_path("dir.v2/out.shp", &f) && f == CCN_EXPORT_SHP);
    CHECK(ccn_export_format_from_path("-", &f) && f == CCN_EXPORT_GEOJSON);
    CHECK(!ccn_export_format_from_path("out.json", &f));
    CHECK(!ccn_export_format_from_path("dir.gpkg/out", &f));
    CHECK(ccn_export_format_parse("gpkg", &f) && f == CCN_EXPORT_GPKG);

    /* The GeoJSON text of the NUA cluster alone: 7 decimals, a bbox, the
     * exterior ring counter-clockwise (the fixture's already was: none rewound). */
    char out[96];
    snprintf(out, sizeof out, "/tmp/ccn_test_export_%ld.geojson", (long)getpid());
    ccn_export_options o = {.layer = "clusters", .path = out, .format = CCN_EXPORT_GEOJSON,
                            .cluster = "NUA", .as_of = "2024-06-30"};
    ccn_export_result res;
    CHECK(ccn_export(store, &o, &res) == CCN_OK);
    CHECK(res.features == 1 && res.reoriented == 0);
    CHECK_STR(res.as_of, "2024-06-30");
    char *text = slurp(out);
    CHECK(text && !strncmp(text, "{\"type\":\"FeatureCollection\",\"name\":\"clusters\",", 46));
    CHECK(text && strstr(text, "\"code\":\"NUA\",\"name\":\"Nưa\""));
    CHECK(text && strstr(text, "\"area_m2\":202500.000,\"area_ha\":20.2500"));
    CHECK(text && strstr(text, "\"occupancy_pct\":0.0000,\"target_met\":false"));
    CHECK(text && strstr(text, "],\"bbox\":[") && text[strlen(text) - 2] == '}');
    /* bbox = the extent of the rectangle's four corners, which cs2cs
     * EPSG:5897 EPSG:4326 -f %.7f puts at (lat lon): 564800 2183300 ->
     * 19.7373554 105.6201290; 565250 2183300 -> 19.7373405 105.6244223;
     * 565250 2183750 -> 19.7414057 105.6244381; 564800 2183750 ->
     * 19.7414206 105.6201447. */
    CHECK_NEAR(res.bbox[0], 105.6201290, 1e-9);
    CHECK_NEAR(res.bbox[1], 19.7373405, 1e-9);
    CHECK_NEAR(res.bbox[2], 105.6244381, 1e-9);
    CHECK_NEAR(res.bbox[3], 19.7414206, 1e-9);
    CHECK(text && strstr(text, "\"bbox\":[105.6201290,19.7373405,105.6244381,19.7414206]}"));
    /* The ring starts at the first corner and turns counter-clockwise: east next. */
    CHECK(text && strstr(text, "[[[[105.6201290,19.7373554],[105.6244223,19.7373405],"));
    free(text);

    /* Bad input leaves nothing behind. */
    o.layer = "roads";
    CHECK(ccn_export(store, &o, &res) == CCN_ERR_INPUT);
    o.layer = "lots";
    o.as_of = "2024-13-01";
    CHECK(ccn_export(store, &o, &res) == CCN_ERR_INPUT);
    o.as_of = NULL;
    o.path = "/nonexistent-dir/x.geojson";
    CHECK(ccn_export(store, &o, &res) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "does not exist") != NULL);

    unlink(out);
    ccn_store_close(store);
    unlink(ws);
    ccn_ctx_free(ctx);
    return check_summary();
}
