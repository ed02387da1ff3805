/* geom's WKB writer and the SHA-256 block functions: the fast paths give the
 * bytes the reference gives. WKB: polygons and multipolygons are written from
 * their coordinate sequences, compared byte for byte with GEOS's own ISO NDR
 * 2-D writer on holes, several parts, empty parts, Z dropped. SHA-256: FIPS
 * 180-2's one-million-'a' vector, in one call (whole blocks hashed straight
 * from the input) and in ragged pieces (through the partial block). */
#include "check.h"
#include "ctx.h"
#include "geom.h"
#include "sha256.h"

#include <stdlib.h>
#include <string.h>

static ccn_ctx *ctx;

/* True when ccn_geom_to_wkb(wkt) is GEOS's own WKB of it, byte for byte. */
static bool same_as_geos(const char *wkt)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, wkt);
    GEOSWKTReader_destroy_r(h, r);
    if (!g)
        return false;
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    GEOSWKBWriter_setOutputDimension_r(h, w, 2);
    GEOSWKBWriter_setFlavor_r(h, w, GEOS_WKB_ISO);
    GEOSWKBWriter_setByteOrder_r(h, w, GEOS_WKB_NDR);
    size_t n_ref = 0, n = 0;
    unsigned char *ref = GEOSWKBWriter_write_r(h, w, g, &n_ref);
    GEOSWKBWriter_destroy_r(h, w);
    unsigned char *mine = ccn_geom_to_wkb(ctx, g, &n);
    bool same = ref && mine && n == n_ref && memcmp(ref, mine, n) == 0;
    if (!same)
        fprintf(stderr, "WKB differs for %s (%zu vs %zu bytes)\n", wkt, n, n_ref);
    GEOSFree_r(h, ref);
    free(mine);
    GEOSGeom_destroy_r(h, g);
    return same;
}

int main(void)
{
    ctx = ccn_ctx_new();
    CHECK(same_as_geos("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"));
    CHECK(same_as_geos("POLYGON ((580000.125 2190000.5, 580010 2190000, 580010 2190010.75, "
                       "580000 2190010, 580000.125 2190000.5), (580002 2190002, 580002 2190004, "
                       "580004 2190004, 580002 2190002), (580006 2190006, 580006 2190008, "
                       "580008 2190008, 580006 2190006))"));
    CHECK(same_as_geos("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), "
                       "(5.2 5.1, 5.8 5.1, 5.8 5.7, 5.2 5.1)), ((-3 -3, -2 -3, -2 -2, -3 -3)))"));
    CHECK(same_as_geos("POLYGON EMPTY"));
    CHECK(same_as_geos("MULTIPOLYGON EMPTY"));
    CHECK(same_as_geos("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), EMPTY)"));
    CHECK(same_as_geos("POLYGON Z ((0 0 7, 10 0 7, 10 10 8, 0 0 7))"));
    CHECK(same_as_geos("MULTIPOLYGON Z (((0 0 1, 1 0 2, 1 1 3, 0 0 1)))"));
    CHECK(same_as_geos("POINT (3 4)")); /* the GEOS writer's own path */
    CHECK(same_as_geos("LINESTRING (0 0, 1 1)"));

    const char *want = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    size_t n = 1000000;
    char *a = malloc(n), hex[65];
    memset(a, 'a', n);
    ccn_sha256 s;
    ccn_sha256_init(&s);
    ccn_sha256_update(&s, a, n);
    ccn_sha256_hex(&s, hex);
    CHECK_STR(hex, want);
    ccn_sha256_init(&s);
    for (size_t at = 0, step = 1; at < n; step = step % 200 + 37) {
        size_t k = step < n - at ? step : n - at;
        ccn_sha256_update(&s, a + at, k);
        at += k;
    }
    ccn_sha256_hex(&s, hex);
    CHECK_STR(hex, want);
    free(a);
    ccn_ctx_free(ctx);
    return check_summary();
}
