/* crs — coordinate reference systems and transformations, through PROJ.
 *
 * A CRS is named by anything PROJ reads: "EPSG:5897", WKT, PROJJSON or a
 * PROJ string. Transformations always use the traditional GIS axis order
 * (easting/longitude first), and between VN-2000 and WGS 84 they use EPSG's
 * published shift (the operation PROJ's database picks for EPSG:5897,
 * EPSG:6960-based), never a hand-written +towgs84.
 *
 * Ownership: a ccn_transform is freed with ccn_crs_transform_free; returned
 * geometries are new and freed with GEOSGeom_destroy_r. */
#ifndef CCN_CRS_H
#define CCN_CRS_H

#include "ctx.h"

typedef struct ccn_transform ccn_transform;

/* Vietnam's mainland and islands, with a margin, in degrees. */
#define CCN_CRS_VN_MIN_LON 101.0
#define CCN_CRS_VN_MAX_LON 118.0
#define CCN_CRS_VN_MIN_LAT 7.0
#define CCN_CRS_VN_MAX_LAT 24.0

/* Check that def names a CRS PROJ knows; fills *geographic when non-NULL. */
ccn_status ccn_crs_check(ccn_ctx *ctx, const char *def, bool *geographic);
/* A CRS as a user writes it, read as GDAL's tools read -s_srs
 * (OSRSetFromUserInput: EPSG:n, a URN, WKT, a PROJ string with or without
 * +type=crs, the path of a .prj file, ESRI:n …), as a definition PROJ reads:
 * the text itself when PROJ reads it as a CRS, else GDAL's WKT2 of it.
 * *out is malloc'd. (Implemented in layerio.c: it needs GDAL.) */
ccn_status ccn_crs_from_user(ccn_ctx *ctx, const char *input, char **out);
/* The EPSG code of the CRS def: its own identifier, else an EPSG CRS
 * PROJ finds equivalent to it (proj_identify, then proj_is_equivalent_to);
 * 0 when none. */
ccn_status ccn_crs_epsg_code(ccn_ctx *ctx, const char *def, int *code);
/* EPSG:code as PostGIS's spatial_ref_sys writes it: WKT 1 (GDAL's form) and
 * a PROJ.4 string, each malloc'd. */
ccn_status ccn_crs_srs_texts(ccn_ctx *ctx, int code, char **wkt, char **proj4);
/* Whether def carries the VN-2000 -> WGS 84 shift with the rotation signs
 * reversed: the widely copied PROJ string (DESIGN §3), which puts VN-2000
 * coordinates about 0.7 m off when taken as written — and whether, at
 * lon, lat, that shift moves them on their way into target at all (not when
 * PROJ takes def's datum for target's: then false). */
bool ccn_crs_vn2000_reversed(ccn_ctx *ctx, const char *def, const char *target, double lon,
                             double lat);
/* Longitude of the central meridian of a transverse Mercator CRS (TM-3,
 * UTM …), degrees; an error for other projections (Lambert conformal …),
 * whose distortion does not grow with the distance from a meridian. */
ccn_status ccn_crs_central_meridian(ccn_ctx *ctx, const char *def, double *lon0);

/* Where a CRS is meant to be used, in WGS 84 degrees: the union of its own
 * area of use and that of its datum (its geographic base CRS), as PROJ's
 * database gives them, so that a VN-2000 zone's workspace covers Vietnam and
 * a state plane covers North America. west > east when it crosses 180°. */
typedef struct {
    double west, south, east, north; /* degrees */
    char name[96];                   /* the datum's area name, e.g. "Vietnam - onshore" */
} ccn_crs_area;

ccn_status ccn_crs_area_of_use(ccn_ctx *ctx, const char *def, ccn_crs_area *out);
/* Is lon/lat within area widened by margin degrees on every side? */
bool ccn_crs_area_contains(const ccn_crs_area *area, double margin, double lon, double lat);

ccn_status ccn_crs_transform_new(ccn_ctx *ctx, const char *src, const char *dst,
                                 ccn_transform **out);
void ccn_crs_transform_free(ccn_transform *tf);
/* True when source and target are the same CRS (the transform is a no-op). */
bool ccn_crs_transform_is_noop(const ccn_transform *tf);

/* The transformation of crs to WGS 84 lon/lat written down once (ccn init
 * keeps it in the workspace) so that a later question reads it without
 * PROJ's database, which costs a command some 70 ms to open and search:
 * crs's central meridian and the operations proj_create_crs_to_crs chooses
 * from, each a PROJ pipeline with its area of use, tagged with PROJ's
 * version. A point goes through the one operation whose area alone holds it
 * (VN-2000 has one for Vietnam and one for two Mekong delta blocks); where
 * that is not clear-cut, through PROJ's database's own choice. *recipe
 * (malloc'd) is NULL when the operations cannot be written down, or do not
 * give bit for bit PROJ's coordinates over crs's area of use. */
ccn_status ccn_crs_lonlat_recipe(ccn_ctx *ctx, const char *crs, char **recipe);
/* A recipe's transformation of crs, to be used on ctx's thread, and crs's
 * central meridian (NAN when it has none); false when another PROJ version
 * wrote the recipe, or it does not read: then ask PROJ's database
 * (ccn_crs_transform_new, ccn_crs_central_meridian). */
bool ccn_crs_from_recipe(ccn_ctx *ctx, const char *recipe, const char *crs, ccn_transform **tf,
                         double *lon0);

/* Transform n interleaved x,y pairs in place; CCN_ERR_INPUT if a point
 * cannot be transformed. */
ccn_status ccn_crs_transform_xy(ccn_ctx *ctx, ccn_transform *tf, double *xy, size_t n);
/* A transformed copy of g, its points' Z (kept) taken as heights; NULL with
 * an error if a point fails. */
GEOSGeometry *ccn_crs_transform_geom(ccn_ctx *ctx, ccn_transform *tf, const GEOSGeometry *g);

/* Geodesic area (m²) on the WGS 84 ellipsoid of a polygonal geometry given
 * in lon/lat degrees: exterior rings minus holes (geod_polygonarea); NAN,
 * with the error in ctx, if PROJ cannot be loaded. */
double ccn_crs_geodesic_area(ccn_ctx *ctx, const GEOSGeometry *lonlat);

#endif
