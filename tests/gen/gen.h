/*
 * gen.h -- shared pieces of ccn-gen, the seeded synthetic-data generator.
 *
 * ccn-gen writes the bundled sample layers (layers/) and district-scale
 * benchmark data.  Everything it draws comes from gen_rng, a xoshiro256**
 * generator seeded through splitmix64 from (seed, stream name): each part of
 * the output has its own stream, so the same seed gives byte-identical
 * attributes and geometries, and changing one layer does not shift another.
 *
 * Coordinates are metres in EPSG:5897 (VN-2000 / TM-3 zone 482) unless a name
 * says lon/lat.  Ownership: a function that returns an OGRGeometryH or a
 * malloc'ed buffer hands it to the caller, who frees it (OGR_G_DestroyGeometry
 * / free); nothing here keeps a reference.
 */
#ifndef CCN_GEN_H
#define CCN_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "gdal.h"
#include "ogr_api.h"
#include "ogr_srs_api.h"

#define GEN_EPSG_WORK 5897 /* VN-2000 / TM-3 zone 482 */

/* ---- deterministic random numbers ------------------------------------- */
typedef struct {
    uint64_t s[4]; /* xoshiro256** state */
} gen_rng;

void gen_rng_init(gen_rng *r, uint64_t seed, const char *stream);
uint64_t gen_rng_next(gen_rng *r);
double gen_rng_unit(gen_rng *r);                         /* [0, 1) */
double gen_rng_range(gen_rng *r, double lo, double hi);  /* [lo, hi) */
int gen_rng_int(gen_rng *r, int n);                      /* [0, n) */
int gen_rng_weighted(gen_rng *r, const int *w, int n);   /* index by weight */
double gen_rng_sign(gen_rng *r);                         /* -1 or +1 */

/* ---- planar geometry --------------------------------------------------- */
typedef struct {
    double x, y;
} gen_pt;

typedef struct {
    gen_pt *p;  /* vertices, ring not closed */
    size_t n;   /* vertices used */
    size_t cap; /* vertices allocated */
} gen_ring;

int gen_ring_push(gen_ring *r, double x, double y); /* 0 ok, -1 no memory */
int gen_ring_insert(gen_ring *r, size_t at, gen_pt p);
void gen_ring_free(gen_ring *r);
double gen_ring_area(const gen_pt *p, size_t n); /* signed, > 0 counter-clockwise */
double gen_mm(double v);                         /* round to a millimetre */
gen_pt gen_pt_mm(gen_pt p);

/* A rotated local frame: world = origin + u * (c, s) + w * (-s, c). */
typedef struct {
    double ox, oy; /* origin, world metres */
    double c, s;   /* cosine and sine of the rotation */
} gen_frame;

gen_frame gen_frame_make(double ox, double oy, double angle_rad);
gen_pt gen_frame_world(const gen_frame *f, double u, double w);
gen_pt gen_frame_local(const gen_frame *f, double x, double y);

/* Polygon from an open ring (closed here).  Caller frees. */
OGRGeometryH gen_polygon(const gen_pt *p, size_t n);
/* Rectangle [u0,u1] x [w0,w1] of a frame, clockwise.  Caller frees. */
OGRGeometryH gen_frame_rect(const gen_frame *f, double u0, double w0, double u1, double w1);
/* The largest polygon of any geometry, as a new Polygon, or NULL. */
OGRGeometryH gen_largest_polygon(OGRGeometryH g);
/* Area of a geometry after GEOS MakeValid (what ccn computes with). */
double gen_valid_area(OGRGeometryH g);

/* ---- the district's old communes (gis/communes.csv) -------------------- */
typedef struct {
    const char *code;     /* 5-digit administrative code (mã xã) before 2025-07-01 */
    const char *name;     /* old name, towns with "Thị trấn" */
    const char *kind;     /* "xã" or "thị trấn" */
    const char *new_name; /* commune (xã) it belongs to since 2025-07-01 */
    const char *new_code;
    double lat, lon;      /* synthetic seed of its Voronoi cell, degrees */
} gen_commune;

extern const gen_commune gen_communes[];
extern const size_t gen_n_communes;

/* Index of the commune whose seed (projected, seeds[]) is nearest. */
int gen_nearest(const gen_pt *seeds, size_t n, double x, double y);

/* ---- names and codes ---------------------------------------------------- */
void gen_person_name(gen_rng *r, char *buf, size_t size);
/* "UBND xã Dân Lực" / "UBND thị trấn Nưa" */
void gen_public_owner(const gen_commune *c, char *buf, size_t size);
/* A land-use code drawn from a weighted table of the given kind. */
const char *gen_landuse_parcel(gen_rng *r);
const char *gen_landuse_plan(gen_rng *r);
int gen_landuse_is_public(const char *code);

/* ---- dates --------------------------------------------------------------- */
long gen_days(int y, int m, int d);                  /* days since 1970-01-01 */
void gen_date_str(long days, char *buf, size_t size); /* YYYY-MM-DD */

/* ---- GDAL helpers (print to stderr on failure, return NULL / -1) -------- */
OGRSpatialReferenceH gen_srs(int epsg); /* traditional GIS axis order */
GDALDatasetH gen_create(const char *driver, const char *path);
OGRLayerH gen_layer(GDALDatasetH ds, const char *name, OGRSpatialReferenceH srs,
                    OGRwkbGeometryType type, char **options);
int gen_field(OGRLayerH lyr, const char *name, OGRFieldType type, int width, int precision);
/* Writes one feature, taking ownership of geom.  fid < 0: let the driver choose. */
int gen_write(OGRLayerH lyr, OGRFeatureH f, OGRGeometryH geom, long fid);
int gen_remove(const char *path); /* unlink if it exists */
char *gen_path(const char *dir, const char *file); /* malloc'ed "dir/file" */

/* ---- modes ---------------------------------------------------------------- */
int gen_sample(const char *outdir, uint64_t seed);
/* noise_lo/hi (m, 0 = none): each parcel's own copy of every inner vertex is
 * moved by lo/2..hi/2 in a random direction (a stream of its own, so data
 * without noise stays byte-identical), as when neighbours are digitised
 * sheet by sheet: copies of a shared vertex then differ by up to hi. */
int gen_district(const char *outdir, long nparcels, uint64_t seed, double noise_lo, double noise_hi);

#endif
