/* geom — the boundary between stored geometry (WKB) and GEOS, and the few
 * geometry chores every module needs: make polygonal, make valid, measure.
 *
 * All geometry arithmetic in ccn is GEOS, through the reentrant API and the
 * context's handle (ccn_ctx_geos). Ownership: functions returning
 * GEOSGeometry * give a new geometry the caller frees with
 * GEOSGeom_destroy_r; WKB buffers are malloc'd and freed with free(). */
#ifndef CCN_GEOM_H
#define CCN_GEOM_H

#include "ctx.h"

#include <stdint.h>

/* Parse WKB; NULL with an error in the context if it is not WKB. */
GEOSGeometry *ccn_geom_from_wkb(ccn_ctx *ctx, const void *wkb, size_t n);
/* 2D ISO WKB of g; NULL on failure. */
unsigned char *ccn_geom_to_wkb(ccn_ctx *ctx, const GEOSGeometry *g, size_t *n);

/* True for Polygon and MultiPolygon. */
bool ccn_geom_is_polygonal(ccn_ctx *ctx, const GEOSGeometry *g);
/* The polygons of g as one MultiPolygon (lines and points dropped; a
 * GeometryCollection is searched); an empty MultiPolygon if none. */
GEOSGeometry *ccn_geom_polygonal(ccn_ctx *ctx, const GEOSGeometry *g);
/* A valid polygonal copy of g: MakeValid (structure method, keeping
 * collapsed parts out) then ccn_geom_polygonal. */
GEOSGeometry *ccn_geom_make_valid(ccn_ctx *ctx, const GEOSGeometry *g);
/* A copy of g with X/Y only (Z and M dropped). */
GEOSGeometry *ccn_geom_force_2d(ccn_ctx *ctx, const GEOSGeometry *g);

/* Planar area in the units of g's CRS; 0 for non-polygons. */
double ccn_geom_area(ccn_ctx *ctx, const GEOSGeometry *g);
/* Area of a ∩ b (polygonal part only); -1 on GEOS failure. */
double ccn_geom_intersection_area(ccn_ctx *ctx, const GEOSGeometry *a, const GEOSGeometry *b);
/* Area g has in common with polygon a (prep: a, prepared): g's own area when
 * a contains it properly (*inside set, if inside is not NULL), 0 when they do
 * not meet, else that of a ∩ g; -1 on GEOS failure. How ccn parcels, export
 * --cluster and map --with parcels tell whether a cluster takes a parcel
 * (CCN_OVERLAY_MIN_M2 or more in common). */
double ccn_geom_common_area(ccn_ctx *ctx, const GEOSPreparedGeometry *prep, const GEOSGeometry *a,
                            const GEOSGeometry *g, bool *inside);
/* A point on the surface of g (for labels and finding locations). */
bool ccn_geom_point_on_surface(ccn_ctx *ctx, const GEOSGeometry *g, double *x, double *y);

#endif
