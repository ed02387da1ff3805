/* layerio — reading vector layers through GDAL/OGR, any format it knows.
 *
 * A reader streams the features of one layer: geometry as 2D ISO WKB
 * (curves linearised, Z dropped), attributes as text. It reports the layer's
 * CRS as WKT (NULL when the file has none) and whether the source is DXF
 * (whose closed polylines arrive as lines). With raw_text, shapefile text is
 * returned as the bytes in the DBF, for the caller to transcode.
 * A writer creates one new file (GeoPackage, shapefile, any GDAL vector
 * driver that can create) holding one layer, and takes features as WKB plus
 * one text value per field, which GDAL converts to the field's type.
 * This is the only module that includes GDAL's headers.
 *
 * Ownership: the reader owns everything it returns; a feature's data is
 * valid until the next ccn_reader_next or ccn_reader_close. A writer is
 * finished and freed by ccn_writer_close, on success and failure alike. */
#ifndef CCN_LAYERIO_H
#define CCN_LAYERIO_H

#include "ctx.h"

#include <stdint.h>

typedef struct ccn_reader ccn_reader;

enum { CCN_VALUE_COMPOUND = 1, CCN_VALUE_TWICE = 2 };

typedef struct {
    int64_t fid;               /* the source's feature id */
    const unsigned char *wkb;  /* NULL when the feature has no geometry */
    size_t wkb_len;
    const char *const *values; /* one per field; NULL for null fields */
    const unsigned char *compound; /* one per field, non-zero where the value is not one
                                      value, values holding the JSON text of a GeoJSON
                                      property: CCN_VALUE_COMPOUND a list or an object,
                                      CCN_VALUE_TWICE a member given twice ('"SKN", "LUC"');
                                      NULL when none is */
    const char *problem;       /* why its geometry cannot be taken (a 3-D surface, an
                                  unclosed ring), then wkb is NULL; else NULL */
} ccn_feature;

/* Start loading GDAL (its ~120 libraries: about 50 ms) on a thread of its
 * own, for the caller to do other set-up meanwhile; the first reader or
 * writer opened waits for it. ccn_layerio_preload_wait joins that thread
 * (call it before returning from the function that started it). Both do
 * nothing when there is nothing to do. Not for several threads at once. */
void ccn_layerio_preload(void);
void ccn_layerio_preload_wait(void);

/* Open layer `layer` of path (NULL: the only layer, or the first polygon
 * layer when there are several). */
ccn_status ccn_reader_open(ccn_ctx *ctx, const char *path, const char *layer, bool raw_text,
                           ccn_reader **out);
/* The same, but with several layers and no name, the first layer of points
 * (markers) instead of polygons; a layer named prefer (any case, not empty),
 * when there is one, before the others: `--as lots` reads the GeoPackage's
 * layer 'lots'. Layers that do not declare their geometry type (KML folders,
 * DXF, GML) are judged by their first 1,000 features. */
ccn_status ccn_reader_open_for(ccn_ctx *ctx, const char *path, const char *layer,
                               const char *prefer, bool raw_text, bool want_points,
                               ccn_reader **out);
void ccn_reader_close(ccn_reader *r);
/* Keep the features' heights (Z) in their WKB (default: dropped), for a
 * transformation that takes them; before the first ccn_reader_next. */
void ccn_reader_keep_z(ccn_reader *r, bool keep);

const char *ccn_reader_layer_name(const ccn_reader *r);
const char *ccn_reader_driver(const ccn_reader *r); /* GDAL's short name: "GPKG", "DXF" … */
const char *ccn_reader_crs_wkt(const ccn_reader *r);
/* The layer's CRS is a GeoPackage's "Undefined geographic SRS" (srs_id 0):
 * no datum known, so ccn_reader_crs_wkt is NULL. */
bool ccn_reader_crs_undefined(const ccn_reader *r);
/* False for a table without a geometry column (a CSV, a GeoPackage attribute table). */
bool ccn_reader_has_geometry(const ccn_reader *r);
/* The names of the file's other layers that hold points (or polygons), quoted
 * and comma-separated into buf ("" if none); with counts, each followed by
 * its number of features (": 12"), and empty ones left out. Returns how many
 * there are. */
int ccn_reader_layers_holding(ccn_reader *r, bool points, bool counts, char *buf, size_t n);
/* The file that holds the layer: a shapefile's .shp (or its lone .dbf) as
 * GDAL reads it when the path names its folder or a .zip (/vsizip/...);
 * else the dataset's path as GDAL opened it. Its companions (.cpg) lie beside it. */
const char *ccn_reader_source(const ccn_reader *r);
/* ccn_sha256_dataset of a path GDAL reads (a /vsizip/ archive's member). */
bool ccn_vsi_sha256_dataset(const char *path, char hex[65]);
/* A file read line by line through GDAL (a path on disk, /vsizip/...):
 * NULL if it cannot be opened; a line comes without its end of line, cut
 * at size - 1 bytes; false at the end. */
typedef struct ccn_vfile ccn_vfile;
ccn_vfile *ccn_vfile_open(const char *path);
bool ccn_vfile_line(ccn_vfile *f, char *line, size_t size);
void ccn_vfile_close(ccn_vfile *f);
int ccn_reader_field_count(const ccn_reader *r);
const char *ccn_reader_field_name(const ccn_reader *r, int i);
/* Index of the field named name (case-insensitive), or -1. */
int ccn_reader_field_index(const ccn_reader *r, const char *name);
int64_t ccn_reader_feature_count(ccn_reader *r); /* -1 if unknown without a scan */

/* The entities GDAL skipped while reading, each a DXF INSERT of a block the
 * file does not hold: how many, and the blocks' names (valid until the
 * reader is closed; complete once ccn_reader_next has returned 0). */
size_t ccn_reader_skipped(const ccn_reader *r, const char *const **blocks);

/* 1: *f holds the next feature; 0: no more; -1: read error (in the context). */
int ccn_reader_next(ccn_reader *r, ccn_feature *f);
/* From now on, read the features on a thread of their own, up to ~1,000
 * ahead of ccn_reader_next (a large import's reading thread spent half its
 * time in GDAL's decoding). Afterwards only ccn_reader_next, the name and
 * field functions and ccn_reader_close may be called. Falls back to reading
 * on the caller's thread if no thread can start. */
ccn_status ccn_reader_read_ahead(ccn_reader *r);

typedef struct ccn_writer ccn_writer;

typedef enum {
    CCN_FIELD_TEXT,
    CCN_FIELD_INT,
    CCN_FIELD_REAL,
    CCN_FIELD_BOOL, /* values "1" / "0" */
    CCN_FIELD_DATE, /* values YYYY-MM-DD */
} ccn_field_type;

typedef struct {
    const char *name;
    ccn_field_type type;
} ccn_field_def;

typedef enum { CCN_WRITER_POINT, CCN_WRITER_MULTIPOLYGON } ccn_writer_geom;

/* Create path (which must not exist) with driver (GDAL's short name: "GPKG",
 * "ESRI Shapefile") and one layer in CRS srs_def (e.g. "EPSG:5897"). Text is
 * UTF-8; a shapefile gets a .cpg saying so. With existing, path is a
 * dataset of that driver already: the layer is added, or replaced if one
 * of that name is there, and its other layers are kept. Messages name the
 * file shown (the one the user asked for, when path is a temporary file
 * that becomes it), or path when shown is NULL. */
ccn_status ccn_writer_open(ccn_ctx *ctx, const char *path, const char *shown, const char *driver,
                           bool existing, const char *layer, const char *srs_def, ccn_writer_geom geom,
                           const ccn_field_def *fields, int nfields, ccn_writer **out);
/* Did opening an existing file drop a layer of the same name for this one? */
bool ccn_writer_replaced(const ccn_writer *w);
/* Add a feature: fid (kept where the format can), 2D WKB (NULL: no
 * geometry), one value per field (NULL: null). */
ccn_status ccn_writer_add(ccn_writer *w, int64_t fid, const unsigned char *wkb, size_t wkb_len,
                          const char *const *values);
/* Commit, close and free; the status says whether the file is complete. */
ccn_status ccn_writer_close(ccn_writer *w);


#endif
