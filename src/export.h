/* export — workspace layers out to the portal (GeoJSON) and to QGIS users
 * (GeoPackage, shapefile), DESIGN §9.
 *
 * GeoJSON is written by ccn itself, to RFC 7946: coordinates transformed from
 * the workspace CRS to WGS 84 longitude/latitude with PROJ (EPSG's VN-2000
 * shift), rounded to 7 decimals, exterior rings counter-clockwise and holes
 * clockwise (decided on the rounded ring, so what a validator sees is what was
 * checked), one Feature per row with the row's fields as properties and the
 * workspace fid as its "id", and the collection's "bbox" (written after the
 * features, so the output streams). The work is spread over the cores: each
 * worker reads its own ranges of fids through its own connection and the
 * ranges are written in order, so the output is the same on every run.
 * GeoPackage and shapefile go through GDAL (layerio) and stay in the
 * workspace CRS, as the office's QGIS projects are.
 *
 * Lots carry their lease on the as-of date and clusters their occupancy on it
 * (DESIGN §6): ccn_export_lots_on / ccn_export_clusters_on compute them with
 * SQL on the leases table, and the map renderer uses the same two functions.
 *
 * A stored geometry another tool wrote that cannot be read (a NaN or
 * infinite coordinate included), or that is not of the layer's kind (a line
 * or a collection among polygons), does not stop an export: the feature is
 * written with a null geometry and its properties (RFC 7946 §3.2; a NULL
 * geometry in GeoPackage and shapefile), named in a warning and counted in
 * the result; an invalid polygon that can be read is written as stored, in
 * GeoJSON each ring wound as RFC 7946 wants (as GDAL's RFC7946 writer does).
 * NULL and EMPTY are written as they are (in GeoJSON an empty point, NaN NaN
 * in WKB, as null: RFC 7946 has no empty position). A stored number that is
 * NaN or infinite is null.
 *
 * A file is written under a temporary name in its own folder and renamed
 * when complete, so a failed export leaves no partial file behind.
 *
 * Ownership: arrays returned by ccn_export_lots_on / ccn_export_clusters_on
 * are freed with ccn_export_lots_free / ccn_export_clusters_free. */
#ifndef CCN_EXPORT_H
#define CCN_EXPORT_H

#include "store.h"

typedef enum { CCN_EXPORT_GEOJSON, CCN_EXPORT_GPKG, CCN_EXPORT_SHP } ccn_export_format;

/* The layers ccn exports, NULL-terminated (for messages and --help). */
extern const char *const ccn_export_layers[];

/* The format named by a path's extension (.geojson, .gpkg, .shp, any
 * case); false for anything else. "-" is GeoJSON (stdout). */
bool ccn_export_format_from_path(const char *path, ccn_export_format *out);
/* "geojson", "gpkg" or "shp" to a format; false for anything else. */
bool ccn_export_format_parse(const char *name, ccn_export_format *out);

typedef struct {
    const char *layer;         /* clusters, lots, parcels, plan, communes or findings */
    const char *path;          /* the output file; "-" = stdout (GeoJSON only) */
    ccn_export_format format;
    const char *cluster;       /* NULL: all; else that cluster's rows, or the rows whose
                                  interior meets its boundary (points: within it) */
    const char *as_of;         /* YYYY-MM-DD for lease status; NULL: today */
} ccn_export_options;

/* What an export found at its path and wrote over. */
typedef enum {
    CCN_EXPORT_NEW,            /* nothing: a new file */
    CCN_EXPORT_REPLACED_FILE,  /* a GeoJSON file or shapefile, replaced whole */
    CCN_EXPORT_ADDED_LAYER,    /* a GeoPackage without the layer: added, the others kept */
    CCN_EXPORT_REPLACED_LAYER, /* a GeoPackage with the layer: it replaced, the others kept */
} ccn_export_over;

typedef struct {
    int64_t features;          /* features written */
    int64_t reoriented;        /* GeoJSON rings whose winding was reversed */
    int64_t no_geometry;       /* features written with a null geometry because the
                                  stored one cannot be read or is not of the layer's kind
                                  (each named in a warning, up to 100) */
    double bbox[4];            /* GeoJSON: lon/lat extent written; NaN when no geometry */
    ccn_export_over over;      /* what was at the path before: said, never replaced silently */
    char as_of[11];            /* the date used */
} ccn_export_result;

/* Export one layer. CCN_ERR_INPUT for an unknown layer or cluster, a bad
 * date, a format/extension mismatch or an output that cannot be written. */
ccn_status ccn_export(ccn_store *store, const ccn_export_options *opt, ccn_export_result *res);

/* CCN_ERR_INPUT, before any work, when path's folder is missing or not
 * writable or path is a folder (the map renderer uses it too). */
ccn_status ccn_export_check_output(ccn_ctx *ctx, const char *path);

/* Lot status names of the export and the map legend. */
#define CCN_LOT_LEASED "leased"
#define CCN_LOT_VACANT "vacant"
#define CCN_LOT_OTHER "other"

/* A lot and the lease running on it on a date (start <= date and no end or
 * end > date; if the register holds several, the latest start). */
typedef struct {
    int64_t fid;
    char *cluster, *lot_no, *use;
    double area_m2;                      /* planar; a MakeValid copy when invalid */
    bool leased;
    char *tenant, *lease_start, *lease_end; /* NULL when not leased */
    const char *status;                  /* CCN_LOT_LEASED / _VACANT (industrial) or _OTHER */
} ccn_lot_state;

/* Lots of one cluster (NULL: all), ordered by fid. */
ccn_status ccn_export_lots_on(ccn_store *store, const char *cluster, const char *date,
                              ccn_lot_state **out, size_t *n);
void ccn_export_lots_free(ccn_lot_state *lots, size_t n);

/* A cluster of the registry and its occupancy on a date (DESIGN §6). */
typedef struct {
    int64_t fid;
    char *code, *name, *kind, *status;
    bool has_boundary;
    double area_m2;        /* of the boundary; NaN without one */
    double target_pct;     /* NaN when the plan sets none */
    double leasable_m2;    /* industrial lot area */
    double leased_m2;      /* of which leased on the date */
    double occupancy_pct;  /* leased / leasable × 100; NaN without industrial lots */
    size_t lots;
} ccn_cluster_state;

/* Clusters (one, or all when code is NULL), ordered by fid. An unknown code
 * is CCN_ERR_INPUT naming the known ones. */
ccn_status ccn_export_clusters_on(ccn_store *store, const char *code, const char *date,
                                  ccn_cluster_state **out, size_t *n);
void ccn_export_clusters_free(ccn_cluster_state *c, size_t n);

/* Both at once, reading the lease register once; either pair of outputs may
 * be NULL. */
ccn_status ccn_export_state_on(ccn_store *store, const char *cluster, const char *date,
                               ccn_cluster_state **clusters, size_t *nclusters,
                               ccn_lot_state **lots, size_t *nlots);

#endif
