/* crs — PROJ transformations and the geodesic area. */
#include "crs.h"

#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crs_proj.h"

struct ccn_transform {
    PJ *pj;     /* normalised for visualisation: x = easting / longitude */
    bool noop;  /* source and target are the same CRS */
};

static ccn_status proj_failure(ccn_ctx *ctx, const char *what, const char *def)
{
    PJ_CONTEXT *pc = ccn_ctx_proj(ctx);
    int err = proj_context_errno(pc);
    return ccn_error(ctx, CCN_ERR_INPUT, "%s '%.120s': %s", what, def,
                     err ? proj_context_errno_string(pc, err) : "not understood");
}

/* The thread's PROJ context into *pc; an error status if PROJ is missing. */
#define CCN_PROJ_CONTEXT(ctx, pc)                                                               \
    PJ_CONTEXT *pc = ccn_ctx_proj(ctx);                                                         \
    if (!pc)                                                                                    \
        return CCN_ERR_INTERNAL;

ccn_status ccn_crs_check(ccn_ctx *ctx, const char *def, bool *geographic)
{
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *base = proj_get_source_crs(pc, crs);
        t = base ? proj_get_type(base) : t;
        proj_destroy(base);
    }
    proj_destroy(crs);
    bool is_crs = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
                  t == PJ_TYPE_PROJECTED_CRS || t == PJ_TYPE_COMPOUND_CRS ||
                  t == PJ_TYPE_GEOCENTRIC_CRS || t == PJ_TYPE_OTHER_CRS;
    if (!is_crs)
        return ccn_error(ctx, CCN_ERR_INPUT, "'%.120s' is not a coordinate reference system", def);
    if (geographic)
        *geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    return CCN_OK;
}

ccn_status ccn_crs_central_meridian(ccn_ctx *ctx, const char *def, double *lon0)
{
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    ccn_status st = CCN_ERR_INPUT;
    PJ *conv = proj_crs_get_coordoperation(pc, crs);
    const char *method = NULL;
    if (conv)
        proj_coordoperation_get_method_info(pc, conv, &method, NULL, NULL);
    bool tm = method && strstr(method, "Transverse Mercator");
    int n = conv && tm ? proj_coordoperation_get_param_count(pc, conv) : 0;
    for (int i = 0; i < n; i++) {
        const char *name = NULL;
        double value = 0, unit_conv = 1;
        proj_coordoperation_get_param(pc, conv, i, &name, NULL, NULL, &value, NULL, &unit_conv,
                                      NULL, NULL, NULL, NULL);
        if (name && (strstr(name, "Longitude of natural origin") ||
                     strstr(name, "Longitude of origin") || strstr(name, "central meridian"))) {
            *lon0 = value * unit_conv * 180.0 / M_PI;
            st = CCN_OK;
            break;
        }
    }
    proj_destroy(conv);
    proj_destroy(crs);
    if (st)
        ccn_error(ctx, st, "'%.120s' has no central meridian (%s)", def,
                  method ? method : "not a projected CRS");
    return st;
}

/* The area of use PROJ gives for crs; false if it has none. */
static bool area_of(PJ_CONTEXT *pc, const PJ *crs, ccn_crs_area *a)
{
    const char *name = NULL;
    if (!crs || !proj_get_area_of_use(pc, crs, &a->west, &a->south, &a->east, &a->north, &name) ||
        a->west < -180 || a->south < -90) /* -1000: unknown */
        return false;
    /* "North America - onshore and offshore: Canada - Alberta; …" -> before the ':' */
    size_t len = name ? strcspn(name, ":;") : 0;
    while (len > 0 && (name[len - 1] == '.' || name[len - 1] == ' '))
        len--;
    snprintf(a->name, sizeof a->name, "%.*s", (int)len, name ? name : "");
    return true;
}

/* Eastward extent of [west, east] in degrees, crossing 180° if west > east. */
static double lon_span(double west, double east)
{
    return west <= east ? east - west : east - west + 360;
}

static bool lon_within(double west, double east, double lon)
{
    return lon_span(west, lon) <= lon_span(west, east);
}

/* The shortest longitude interval holding both a and b, into a. */
static void lon_union(ccn_crs_area *a, const ccn_crs_area *b)
{
    if (lon_within(a->west, a->east, b->west) && lon_within(a->west, a->east, b->east) &&
        lon_span(a->west, a->east) >= lon_span(b->west, b->east))
        return;
    if (lon_within(b->west, b->east, a->west) && lon_within(b->west, b->east, a->east)) {
        a->west = b->west, a->east = b->east;
        return;
    }
    if (lon_span(a->west, b->east) <= lon_span(b->west, a->east))
        a->east = b->east;
    else
        a->west = b->west;
}

ccn_status ccn_crs_area_of_use(ccn_ctx *ctx, const char *def, ccn_crs_area *out)
{
    memset(out, 0, sizeof *out);
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    if (proj_get_type(crs) == PJ_TYPE_BOUND_CRS) {
        PJ *base = proj_get_source_crs(pc, crs);
        proj_destroy(crs);
        crs = base;
    }
    PJ *datum_crs = crs ? proj_crs_get_geodetic_crs(pc, crs) : NULL;
    ccn_crs_area own, datum;
    bool has_own = area_of(pc, crs, &own), has_datum = area_of(pc, datum_crs, &datum);
    proj_destroy(datum_crs);
    proj_destroy(crs);
    if (!has_own && !has_datum)
        return ccn_error(ctx, CCN_ERR_INPUT, "'%.120s': PROJ knows no area of use for it", def);
    *out = has_datum ? datum : own;
    if (has_own && has_datum) {
        lon_union(out, &own);
        out->south = fmin(out->south, own.south);
        out->north = fmax(out->north, own.north);
    }
    return CCN_OK;
}

bool ccn_crs_area_contains(const ccn_crs_area *a, double margin, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat) || lat < a->south - margin || lat > a->north + margin)
        return false;
    if (lon_span(a->west, a->east) + 2 * margin >= 360)
        return true;
    lon = fmod(lon + 540, 360) - 180; /* into [-180, 180) */
    double west = fmod(a->west - margin + 540, 360) - 180;
    double east = fmod(a->east + margin + 540, 360) - 180;
    return lon_within(west, east, lon);
}

ccn_status ccn_crs_transform_new(ccn_ctx *ctx, const char *src, const char *dst,
                                 ccn_transform **out)
{
    *out = NULL;
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *a = proj_create(pc, src);
    if (!a)
        return proj_failure(ctx, "unknown source CRS", src);
    PJ *b = proj_create(pc, dst);
    if (!b) {
        proj_destroy(a);
        return proj_failure(ctx, "unknown target CRS", dst);
    }
    bool same = proj_is_equivalent_to(a, b, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
    PJ *op = proj_create_crs_to_crs_from_pj(pc, a, b, NULL, NULL);
    proj_destroy(a);
    proj_destroy(b);
    if (!op)
        return proj_failure(ctx, "no transformation to", dst);
    PJ *norm = proj_normalize_for_visualization(pc, op);
    proj_destroy(op);
    if (!norm)
        return proj_failure(ctx, "cannot normalise the axis order of", src);
    ccn_transform *tf = calloc(1, sizeof *tf);
    if (!tf) {
        proj_destroy(norm);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    tf->pj = norm;
    tf->noop = same;
    *out = tf;
    return CCN_OK;
}

void ccn_crs_transform_free(ccn_transform *tf)
{
    if (!tf)
        return;
    proj_destroy(tf->pj);
    free(tf);
}

bool ccn_crs_transform_is_noop(const ccn_transform *tf) { return tf->noop; }

ccn_status ccn_crs_transform_xy(ccn_ctx *ctx, ccn_transform *tf, double *xy, size_t n)
{
    if (tf->noop || n == 0)
        return CCN_OK;
    size_t stride = 2 * sizeof(double);
    proj_trans_generic(tf->pj, PJ_FWD, xy, stride, n, xy + 1, stride, n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]) || xy[i] == HUGE_VAL)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "point %zu (%.6f, %.6f) cannot be transformed", i / 2, xy[2 * (i / 2)],
                             xy[2 * (i / 2) + 1]);
    return CCN_OK;
}

static int transform_point(double *x, double *y, void *user)
{
    PJ *pj = user;
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    c = proj_trans(pj, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
        return 0;
    *x = c.xy.x;
    *y = c.xy.y;
    return 1;
}

GEOSGeometry *ccn_crs_transform_geom(ccn_ctx *ctx, ccn_transform *tf, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (tf->noop)
        return GEOSGeom_clone_r(h, g);
    GEOSGeometry *out = GEOSGeom_transformXY_r(h, g, transform_point, tf->pj);
    if (!out)
        ccn_error(ctx, CCN_ERR_INPUT, "coordinates cannot be transformed (outside the CRS's "
                                      "area of use?)");
    return out;
}

/* Signed geodesic area of one ring, coordinates lon/lat. */
static double ring_area(GEOSContextHandle_t h, const struct geod_geodesic *geod,
                        const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4)
        return 0;
    struct geod_polygon poly;
    geod_polygon_init(&poly, 0);
    for (unsigned int i = 0; i + 1 < n; i++) { /* the closing point repeats the first */
        double lon, lat;
        GEOSCoordSeq_getXY_r(h, seq, i, &lon, &lat);
        geod_polygon_addpoint(geod, &poly, lat, lon);
    }
    double area = 0;
    geod_polygon_compute(geod, &poly, 0, 1, &area, NULL);
    return fabs(area);
}

static double polygon_area(GEOSContextHandle_t h, const struct geod_geodesic *geod,
                           const GEOSGeometry *p)
{
    double a = ring_area(h, geod, GEOSGetExteriorRing_r(h, p));
    int holes = GEOSGetNumInteriorRings_r(h, p);
    for (int i = 0; i < holes; i++)
        a -= ring_area(h, geod, GEOSGetInteriorRingN_r(h, p, i));
    return a;
}

double ccn_crs_geodesic_area(ccn_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    const char *why = NULL;
    if (!ccn_proj_load(&why)) {
        ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why);
        return NAN;
    }
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1 / 298.257223563); /* WGS 84 */
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON)
        return polygon_area(h, &geod, g);
    double a = 0;
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
            if (GEOSGeomTypeId_r(h, p) == GEOS_POLYGON)
                a += polygon_area(h, &geod, p);
        }
    }
    return a;
}
