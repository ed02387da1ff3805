/* geom — WKB <-> GEOS and shared geometry chores. */
#include "geom.h"

#include <stdint.h>
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

/* A growing WKB buffer. */
typedef struct {
    unsigned char *p;
    size_t n, cap;
    double *xy; /* aligned room for one ring's coordinates */
    size_t xy_cap;
} wkb_buf;

static bool wkb_room(wkb_buf *b, size_t more)
{
    if (b->n + more <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + more)
        cap *= 2;
    unsigned char *p = realloc(b->p, cap);
    if (!p)
        return false;
    b->p = p, b->cap = cap;
    return true;
}

static bool wkb_u32(wkb_buf *b, uint32_t v)
{
    if (!wkb_room(b, 4))
        return false;
    memcpy(b->p + b->n, &v, 4); /* little-endian: x86-64 and every target ccn builds for */
    b->n += 4;
    return true;
}

static bool wkb_header(wkb_buf *b, uint32_t type)
{
    if (!wkb_room(b, 1))
        return false;
    b->p[b->n++] = 1; /* NDR */
    return wkb_u32(b, type);
}

static bool wkb_ring(GEOSContextHandle_t h, wkb_buf *b, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
    unsigned int m = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &m) || !wkb_u32(b, m) || !wkb_room(b, 16 * (size_t)m))
        return false;
    if (m == 0)
        return true;
    if (2 * (size_t)m > b->xy_cap) {
        double *xy = realloc(b->xy, 2 * (size_t)m * sizeof *xy);
        if (!xy)
            return false;
        b->xy = xy, b->xy_cap = 2 * (size_t)m;
    }
    if (!GEOSCoordSeq_copyToBuffer_r(h, seq, b->xy, 0, 0))
        return false;
    memcpy(b->p + b->n, b->xy, 16 * (size_t)m);
    b->n += 16 * (size_t)m;
    return true;
}

static bool wkb_polygon(GEOSContextHandle_t h, wkb_buf *b, const GEOSGeometry *poly)
{
    if (!wkb_header(b, 3))
        return false;
    if (GEOSisEmpty_r(h, poly))
        return wkb_u32(b, 0);
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    if (holes < 0 || !wkb_u32(b, 1 + (uint32_t)holes) ||
        !wkb_ring(h, b, GEOSGetExteriorRing_r(h, poly)))
        return false;
    for (int i = 0; i < holes; i++)
        if (!wkb_ring(h, b, GEOSGetInteriorRingN_r(h, poly, i)))
            return false;
    return true;
}

/* Polygons and multipolygons, the bulk of what ccn writes, straight from
 * their coordinate sequences: GEOS's WKB writer goes through a C++ stream a
 * few bytes at a time (0.3 s of a 300,000-parcel import). The same bytes. */
static unsigned char *polygonal_wkb(GEOSContextHandle_t h, const GEOSGeometry *g, int type,
                                    size_t *n)
{
    wkb_buf b = {0};
    bool ok;
    if (type == GEOS_POLYGON) {
        ok = wkb_polygon(h, &b, g);
    } else {
        int parts = GEOSGetNumGeometries_r(h, g);
        ok = parts >= 0 && wkb_header(&b, 6) && wkb_u32(&b, (uint32_t)parts);
        for (int i = 0; ok && i < parts; i++)
            ok = wkb_polygon(h, &b, GEOSGetGeometryN_r(h, g, i));
    }
    free(b.xy);
    if (!ok) {
        free(b.p);
        return NULL;
    }
    *n = b.n;
    return b.p;
}

unsigned char *ccn_geom_to_wkb(ccn_ctx *ctx, const GEOSGeometry *g, size_t *n)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    int type = GEOSGeomTypeId_r(h, g);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ /* NDR is the machine's own order */
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) {
        unsigned char *wkb = polygonal_wkb(h, g, type, n);
        if (wkb)
            return wkb;
        ccn_error(ctx, CCN_ERR_INTERNAL, "cannot write WKB: %s",
                  *ccn_ctx_geos_message(ctx) ? ccn_ctx_geos_message(ctx) : "out of memory");
        return NULL;
    }
#endif
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

double ccn_geom_common_area(ccn_ctx *ctx, const GEOSPreparedGeometry *prep, const GEOSGeometry *a,
                            const GEOSGeometry *g, bool *inside)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    char contains = GEOSPreparedContainsProperly_r(h, prep, g);
    char meets = contains == 0 ? GEOSPreparedIntersects_r(h, prep, g) : contains;
    if (inside)
        *inside = contains == 1;
    if (meets == 2)
        return -1;
    return contains == 1 ? ccn_geom_area(ctx, g) : meets ? ccn_geom_intersection_area(ctx, a, g) : 0;
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
