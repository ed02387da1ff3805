/* crs: the VN-2000 shift against cs2cs, axis order, and geodesic area
 * against PostGIS. */
#include "check.h"
#include "crs.h"
#include "geom.h"

#include <stdlib.h>

static GEOSGeometry *wkt(ccn_ctx *ctx, const char *text)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, text);
    GEOSWKTReader_destroy_r(h, r);
    return g;
}

/* The recipe ccn init keeps (ccn_crs_lonlat_recipe): read back, it gives
 * bit for bit what PROJ's database gives — in Thanh Hóa (one operation), in
 * a Mekong delta block (VN-2000 has a second operation there, which PROJ
 * prefers) and at that block's edge (no box decides: PROJ's database is
 * asked). A recipe from another PROJ version, or garbled, is refused. */
static void test_recipe(ccn_ctx *ctx)
{
    char *recipe = NULL;
    CHECK(ccn_crs_lonlat_recipe(ctx, "EPSG:5897", &recipe) == CCN_OK && recipe);
    if (!recipe)
        return;
    CHECK(strncmp(recipe, "PROJ ", 5) == 0);
    CHECK(strstr(recipe, "+x=-191.90441429") && strstr(recipe, "+x=-192.873"));
    ccn_transform *kept = NULL, *db = NULL;
    double lon0 = 0;
    CHECK(ccn_crs_from_recipe(ctx, recipe, "EPSG:5897", &kept, &lon0) && kept);
    CHECK(lon0 == 105.0);
    CHECK(ccn_crs_transform_new(ctx, "EPSG:5897", "EPSG:4326", &db) == CCN_OK);
    /* Triệu Sơn; then lon/lat taken to VN-2000 by the database's inverse:
     * inside the Mekong block, at its west edge, far south-east. */
    double pts[][2] = {{580000, 2190000}, {104.45, 9.74}, {104.24, 10.0}, {109.4, 8.4}};
    double a[8], b[8];
    for (int i = 0; i < 4; i++) {
        double xy[2] = {pts[i][0], pts[i][1]};
        if (i > 0) {
            ccn_transform *inv = NULL;
            CHECK(ccn_crs_transform_new(ctx, "EPSG:4326", "EPSG:5897", &inv) == CCN_OK);
            CHECK(ccn_crs_transform_xy(ctx, inv, xy, 1) == CCN_OK);
            ccn_crs_transform_free(inv);
        }
        a[2 * i] = b[2 * i] = xy[0];
        a[2 * i + 1] = b[2 * i + 1] = xy[1];
    }
    CHECK(ccn_crs_transform_xy(ctx, kept, a, 4) == CCN_OK);
    CHECK(ccn_crs_transform_xy(ctx, db, b, 4) == CCN_OK);
    CHECK(memcmp(a, b, sizeof a) == 0);
    /* The two operations differ by metres in the block: it matters. */
    CHECK(fabs(a[2] - 104.45) < 0.01 && fabs(a[3] - 9.74) < 0.01);
    ccn_crs_transform_free(kept);
    kept = NULL;
    char proj_version[2] = {recipe[5], 0};
    recipe[5] = '0'; /* another PROJ's */
    CHECK(!ccn_crs_from_recipe(ctx, recipe, "EPSG:5897", &kept, &lon0) && !kept);
    CHECK(!ccn_crs_from_recipe(ctx, "PROJ x\nnot a number", "EPSG:5897", &kept, &lon0));
    recipe[5] = proj_version[0]; /* back to this PROJ's, its last line cut short */
    recipe[strlen(recipe) - 1] = 0;
    CHECK(!ccn_crs_from_recipe(ctx, recipe, "EPSG:5897", &kept, &lon0) && !kept);
    ccn_crs_transform_free(db);
    free(recipe);
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    ccn_transform *to_vn = NULL, *to_ll = NULL, *same = NULL;
    CHECK(ccn_crs_transform_new(ctx, "EPSG:4326", "EPSG:5897", &to_vn) == CCN_OK);
    CHECK(ccn_crs_transform_new(ctx, "EPSG:5897", "EPSG:4326", &to_ll) == CCN_OK);
    CHECK(ccn_crs_transform_new(ctx, "EPSG:5897", "EPSG:5897", &same) == CCN_OK);
    CHECK(ccn_crs_transform_is_noop(same));
    CHECK(!ccn_crs_transform_is_noop(to_vn));

    /* `cs2cs EPSG:4326 EPSG:5897` of 19.73861 N 105.62167 E (DESIGN §11):
     * E 564961.004, N 2183439.466; longitude comes first here. */
    double xy[4] = {105.62167, 19.73861, 105.6240, 19.7420};
    CHECK(ccn_crs_transform_xy(ctx, to_vn, xy, 2) == CCN_OK);
    CHECK_NEAR(xy[0], 564961.004, 0.001);
    CHECK_NEAR(xy[1], 2183439.466, 0.001);
    /* cs2cs -d 4: 565203.8372 2183815.6176 */
    CHECK_NEAR(xy[2], 565203.8372, 0.001);
    CHECK_NEAR(xy[3], 2183815.6176, 0.001);
    /* And back: `cs2cs -d 9 EPSG:5897 EPSG:4326` returns the input to 1e-8°. */
    CHECK(ccn_crs_transform_xy(ctx, to_ll, xy, 2) == CCN_OK);
    CHECK_NEAR(xy[0], 105.62167, 1e-8);
    CHECK_NEAR(xy[1], 19.73861, 1e-8);

    /* The widely copied +towgs84 with reversed rotation signs lands ≈0.7 m
     * away: make sure we are not using it by mistake. */
    ccn_transform *wrong = NULL;
    CHECK(ccn_crs_transform_new(ctx, "EPSG:4326",
                                "+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9999 +x_0=500000 +y_0=0 "
                                "+ellps=WGS84 +towgs84=-191.90441429,-39.30318279,-111.45032835,"
                                "-0.00928836,0.01975479,-0.00427372,0.252906278 +units=m +no_defs +type=crs",
                                &wrong) == CCN_OK);
    double w[2] = {105.62167, 19.73861};
    CHECK(ccn_crs_transform_xy(ctx, wrong, w, 1) == CCN_OK);
    double dist = hypot(w[0] - 564961.004, w[1] - 2183439.466);
    CHECK(dist > 0.3);

    /* A geometry transforms vertex by vertex. */
    GEOSGeometry *p = wkt(ctx, "POLYGON((105.62 19.738,105.624 19.738,105.624 19.742,105.62 19.742,105.62 19.738))");
    GEOSGeometry *q = ccn_crs_transform_geom(ctx, to_vn, p);
    CHECK(q != NULL);
    double x0, y0;
    GEOSGeom_getXMin_r(h, q, &x0);
    GEOSGeom_getYMin_r(h, q, &y0);
    CHECK_NEAR(x0, 564784.5956, 0.001); /* cs2cs of 19.742 N 105.62 E: 564784.5956 */
    CHECK_NEAR(y0, 2183371.3018, 0.001);

    /* Geodesic area: PostGIS 3.3, ST_Area(geography, true) of the same WKT =
     * 185655.11840236187 m²; with a 0.001° hole, 174051.6380302012 m². */
    CHECK_NEAR(ccn_crs_geodesic_area(ctx, p), 185655.11840236187, 1e-4);
    GEOSGeometry *holed = wkt(ctx, "POLYGON((105.62 19.738,105.624 19.738,105.624 19.742,105.62 19.742,105.62 19.738),"
                                   "(105.621 19.739,105.621 19.740,105.622 19.740,105.622 19.739,105.621 19.739))");
    CHECK_NEAR(ccn_crs_geodesic_area(ctx, holed), 174051.6380302012, 1e-4);
    /* Ring orientation does not matter. */
    GEOSGeometry *rev = GEOSReverse_r(h, p);
    CHECK_NEAR(ccn_crs_geodesic_area(ctx, rev), 185655.11840236187, 1e-4);

    double lon0 = 0;
    CHECK(ccn_crs_central_meridian(ctx, "EPSG:5897", &lon0) == CCN_OK);
    CHECK_NEAR(lon0, 105.0, 1e-12);
    bool geographic = false;
    CHECK(ccn_crs_check(ctx, "EPSG:4326", &geographic) == CCN_OK && geographic);
    CHECK(ccn_crs_check(ctx, "EPSG:5897", &geographic) == CCN_OK && !geographic);
    CHECK(ccn_crs_check(ctx, "EPSG:99999999", NULL) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "EPSG:99999999") != NULL);
    test_recipe(ctx);

    GEOSGeom_destroy_r(h, p);
    GEOSGeom_destroy_r(h, q);
    GEOSGeom_destroy_r(h, holed);
    GEOSGeom_destroy_r(h, rev);
    ccn_crs_transform_free(to_vn);
    ccn_crs_transform_free(to_ll);
    ccn_crs_transform_free(same);
    ccn_crs_transform_free(wrong);
    ccn_ctx_free(ctx);
    return check_summary();
}
