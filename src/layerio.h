/* layerio — reading vector layers through GDAL/OGR, any format it knows.
 *
 * A reader streams the features of one layer: geometry as 2D ISO WKB
 * (curves linearised, Z dropped), attributes as text. It reports the layer's
 * CRS as WKT (NULL when the file has none) and whether the source is DXF
 * (whose closed polylines arrive as lines). With raw_text, shapefile text is
 * returned as the bytes in the DBF, for the caller to transcode.
 * This is the only module that includes GDAL's headers.
 *
 * Ownership: the reader owns everything it returns; a feature's data is
 * valid until the next ccn_reader_next or ccn_reader_close. */
#ifndef CCN_LAYERIO_H
#define CCN_LAYERIO_H

#include "ctx.h"

#include <stdint.h>

typedef struct ccn_reader ccn_reader;

typedef struct {
    int64_t fid;               /* the source's feature id */
    const unsigned char *wkb;  /* NULL when the feature has no geometry */
    size_t wkb_len;
    const char *const *values; /* one per field; NULL for null fields */
} ccn_feature;

/* Open layer `layer` of path (NULL: the only layer, or the first polygon
 * layer when there are several). */
ccn_status ccn_reader_open(ccn_ctx *ctx, const char *path, const char *layer, bool raw_text,
                           ccn_reader **out);
void ccn_reader_close(ccn_reader *r);

const char *ccn_reader_layer_name(const ccn_reader *r);
const char *ccn_reader_driver(const ccn_reader *r); /* GDAL's short name: "GPKG", "DXF" … */
const char *ccn_reader_crs_wkt(const ccn_reader *r);
int ccn_reader_field_count(const ccn_reader *r);
const char *ccn_reader_field_name(const ccn_reader *r, int i);
/* Index of the field named name (case-insensitive), or -1. */
int ccn_reader_field_index(const ccn_reader *r, const char *name);
int64_t ccn_reader_feature_count(ccn_reader *r); /* -1 if unknown without a scan */

/* 1: *f holds the next feature; 0: no more; -1: read error (in the context). */
int ccn_reader_next(ccn_reader *r, ccn_feature *f);


#endif
