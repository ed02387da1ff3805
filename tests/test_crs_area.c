/* crs: where a CRS is meant to be used (issue 17: the plausibility test of
 * import follows the workspace CRS, not Vietnam). Bounding boxes from PROJ's
 * database as `projinfo EPSG:N` prints them (PROJ 9.1.1). */
#include "check.h"
#include "crs.h"

#include <string.h>

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    CHECK(ctx != NULL);
    ccn_crs_area a;
    /* VN-2000 / TM-3 zone 482: its own area (103.5-106.51 E) within VN-2000's,
     * Vietnam onshore: 102.14-109.53 E, 8.33-23.4 N. */
    CHECK(ccn_crs_area_of_use(ctx, "EPSG:5897", &a) == CCN_OK);
    CHECK_NEAR(a.west, 102.14, 1e-9);
    CHECK_NEAR(a.east, 109.53, 1e-9);
    CHECK_NEAR(a.south, 8.33, 1e-9);
    CHECK_NEAR(a.north, 23.4, 1e-9);
    CHECK_STR(a.name, "Vietnam - onshore");
    CHECK(ccn_crs_area_contains(&a, 1, 105.62, 19.74));   /* Triệu Sơn */
    CHECK(ccn_crs_area_contains(&a, 1, 110.4, 22.0));     /* within the 1° margin */
    CHECK(!ccn_crs_area_contains(&a, 1, 19.74, 105.62));  /* swapped */
    CHECK(!ccn_crs_area_contains(&a, 0, 110.4, 22.0));
    /* The zone of 102°: its own area is 102.14-103.51 E; VN-2000's covers 105.6 E. */
    CHECK(ccn_crs_area_of_use(ctx, "EPSG:5896", &a) == CCN_OK);
    CHECK(ccn_crs_area_contains(&a, 1, 105.62, 19.74));
    /* NAD83 / North Carolina: NAD83's area crosses 180° (167.65 E to 40.73 W). */
    CHECK(ccn_crs_area_of_use(ctx, "EPSG:32119", &a) == CCN_OK);
    CHECK_NEAR(a.west, 167.65, 1e-9);
    CHECK_NEAR(a.east, -40.73, 1e-9);
    CHECK(strncmp(a.name, "North America", 13) == 0);
    CHECK(ccn_crs_area_contains(&a, 1, -78.64, 35.78));   /* Raleigh */
    CHECK(ccn_crs_area_contains(&a, 1, 172.0, 52.0));     /* the Aleutians, west of 180° */
    CHECK(!ccn_crs_area_contains(&a, 1, 105.62, 19.74));
    CHECK(!ccn_crs_area_contains(&a, 1, -30.0, 50.0));    /* the mid-Atlantic */
    CHECK(!ccn_crs_area_contains(&a, 1, -78.64, 10.0));   /* south of 14.92 N - 1° */
    CHECK(ccn_crs_area_of_use(ctx, "EPSG:999999", &a) != CCN_OK);

    /* Only transverse Mercator CRSs have a central meridian to be far from. */
    double lon0 = 0;
    CHECK(ccn_crs_central_meridian(ctx, "EPSG:5897", &lon0) == CCN_OK);
    CHECK_NEAR(lon0, 105.0, 1e-12);
    CHECK(ccn_crs_central_meridian(ctx, "EPSG:32648", &lon0) == CCN_OK); /* UTM 48N */
    CHECK_NEAR(lon0, 105.0, 1e-12);
    CHECK(ccn_crs_central_meridian(ctx, "EPSG:32119", &lon0) != CCN_OK); /* Lambert 2SP */
    CHECK(strstr(ccn_ctx_message(ctx), "Lambert Conic Conformal") != NULL);
    ccn_ctx_free(ctx);
    return check_summary();
}
