/* geom — WKB <-> GEOS and shared geometry chores. */
#include "geom.h"

#include <stdlib.h>
#include <string.h>

GEOSGeometry *ccn_geom_from_wkb(ccn_ctx *ctx, const void *wkb, size_t n)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSWKBReader *r = GEOSWKBReader_create_r(h);
    GEOSGeometry *g = GEOSWKBReader_read_r(h, r, wkb, n);
    GEOSWKBReader_destroy_r(h, r);
    if (!g)
        ccn_error(ctx, CCN_ERR_INPUT, "unreadable geometry: %s", ccn_ctx_geos_message(ctx));
    return g;
}

unsigned char *ccn_geom_to_wkb(ccn_ctx *ctx, const GEOSGeometry *g, size_t *n)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
    GEOSWKBWriter_setOutputDimension_r(h, w, 2);
    GEOSWKBWriter_setFlavor_r(h, w, GEOS_WKB_ISO);
    GEOSWKBWriter_setByteOrder_r(h, w, GEOS_WKB_NDR);
    size_t len = 0;
    unsigned char *buf = GEOSWKBWriter_write_r(h, w, g, &len);
    GEOSWKBWriter_destroy_r(h, w);
    if (!buf) {
        ccn_error(ctx, CCN_ERR_INTERNAL, "cannot write WKB: %s", ccn_ctx_geos_message(ctx));
        return NULL;
    }
    /* GEOS memory stays here: hand the caller a malloc'd copy. */
    unsigned char *copy = malloc(len);
    if (copy)
        memcpy(copy, buf, len);
    GEOSFree_r(h, buf);
    *n = len;
    return copy;
}

bool ccn_geom_is_polygonal(ccn_ctx *ctx, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(ccn_ctx_geos(ctx), g);
    return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
}

/* Append clones of the non-empty polygons of g to parts. */
static void collect_polygons(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry ***parts,
                             size_t *n, size_t *cap)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON) {
        if (GEOSisEmpty_r(h, g))
            return;
        if (*n == *cap) {
            *cap = *cap ? 2 * *cap : 8;
            *parts = realloc(*parts, *cap * sizeof **parts);
        }
        (*parts)[(*n)++] = GEOSGeom_clone_r(h, g);
    } else if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int k = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < k; i++)
            collect_polygons(h, GEOSGetGeometryN_r(h, g, i), parts, n, cap);
    }
}

GEOSGeometry *ccn_geom_polygonal(ccn_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry **parts = NULL;
    size_t n = 0, cap = 0;
    collect_polygons(h, g, &parts, &n, &cap);
    GEOSGeometry *out =
        GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)n);
    free(parts); /* the collection took the parts */
    GEOSSetSRID_r(h, out, GEOSGetSRID_r(h, g));
    return out;
}

GEOSGeometry *ccn_geom_make_valid(ccn_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSMakeValidParams *p = GEOSMakeValidParams_create_r(h);
    GEOSMakeValidParams_setMethod_r(h, p, GEOS_MAKE_VALID_STRUCTURE);
    GEOSMakeValidParams_setKeepCollapsed_r(h, p, 0);
    GEOSGeometry *fixed = GEOSMakeValidWithParams_r(h, g, p);
    GEOSMakeValidParams_destroy_r(h, p);
    if (!fixed) {
        ccn_error(ctx, CCN_ERR_INTERNAL, "MakeValid failed: %s", ccn_ctx_geos_message(ctx));
        return NULL;
    }
    GEOSGeometry *out = ccn_geom_polygonal(ctx, fixed);
    GEOSGeom_destroy_r(h, fixed);
    return out;
}

GEOSGeometry *ccn_geom_force_2d(ccn_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (GEOSHasZ_r(h, g) != 1)
        return GEOSGeom_clone_r(h, g);
    /* Rebuild through 2D WKB: the cheapest exact way to drop Z. */
    size_t n = 0;
    unsigned char *wkb = ccn_geom_to_wkb(ctx, g, &n);
    if (!wkb)
        return NULL;
    GEOSGeometry *out = ccn_geom_from_wkb(ctx, wkb, n);
    free(wkb);
    return out;
}

double ccn_geom_area(ccn_ctx *ctx, const GEOSGeometry *g)
{
    double a = 0;
    if (!GEOSArea_r(ccn_ctx_geos(ctx), g, &a))
        return 0;
    return a;
}

double ccn_geom_intersection_area(ccn_ctx *ctx, const GEOSGeometry *a, const GEOSGeometry *b)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    GEOSGeometry *x = GEOSIntersection_r(h, a, b);
    if (!x)
        return -1;
    double area = 0;
    GEOSArea_r(h, x, &area); /* lines and points have area 0 */
    GEOSGeom_destroy_r(h, x);
    return area;
}

bool ccn_geom_point_on_surface(ccn_ctx *ctx, const GEOSGeometry *g, double *x, double *y)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (GEOSisEmpty_r(h, g))
        return false;
    GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
    if (!p)
        p = GEOSGetCentroid_r(h, g);
    bool ok = p && GEOSGeomGetX_r(h, p, x) && GEOSGeomGetY_r(h, p, y);
    if (p)
        GEOSGeom_destroy_r(h, p);
    return ok;
}
