/* layerio — OGR reading: open a layer, stream its features as WKB + text. */
#include "layerio.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ccn_reader {
    ccn_ctx *ctx;         /* not owned */
    GDALDatasetH ds;
    OGRLayerH layer;      /* owned by ds */
    char *crs_wkt;        /* CPLFree'd */
    char *path;
    int nfields;
    char **values;        /* nfields slots, CPLStrdup'd text of the current feature */
    unsigned char *wkb;   /* current feature's WKB, grown as needed */
    size_t wkb_cap;
    OGRFeatureH feature;  /* current feature */
};

static pthread_once_t gdal_once = PTHREAD_ONCE_INIT;
static void register_drivers(void) { GDALAllRegister(); }

/* GDAL messages are taken from its thread-local last error, never printed. */
static void quiet(void) { CPLPushErrorHandler(CPLQuietErrorHandler); }
static void loud(void) { CPLPopErrorHandler(); }

static const char *last_gdal_error(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : "not a recognised vector file";
}

static bool has_polygons(OGRLayerH layer)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_L_GetGeomType(layer));
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface;
}

ccn_status ccn_reader_open(ccn_ctx *ctx, const char *path, const char *layer_name, bool raw_text,
                           ccn_reader **out)
{
    *out = NULL;
    pthread_once(&gdal_once, register_drivers);
    ccn_reader *r = calloc(1, sizeof *r);
    if (!r)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    r->ctx = ctx;
    r->path = strdup(path);
    ccn_status st = CCN_OK;
    /* An empty ENCODING makes the shapefile driver hand over the DBF's bytes. */
    const char *raw_opts[] = {"ENCODING=", NULL};
    if (strncmp(path, "/vsi", 4) != 0 && access(path, F_OK) != 0) {
        ccn_reader_close(r);
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: no such file", path);
    }
    quiet();
    CPLErrorReset();
    r->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                       raw_text ? raw_opts : NULL, NULL);
    if (!r->ds) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: cannot open: %s", path, last_gdal_error());
        goto done;
    }
    int nlayers = GDALDatasetGetLayerCount(r->ds);
    if (layer_name) {
        r->layer = GDALDatasetGetLayerByName(r->ds, layer_name);
        if (!r->layer) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "%s: no layer named '%s'", path, layer_name);
            goto done;
        }
    } else if (nlayers == 1) {
        r->layer = GDALDatasetGetLayer(r->ds, 0);
    } else {
        for (int i = 0; i < nlayers && !r->layer; i++)
            if (has_polygons(GDALDatasetGetLayer(r->ds, i)))
                r->layer = GDALDatasetGetLayer(r->ds, i);
        if (!r->layer && nlayers > 0)
            r->layer = GDALDatasetGetLayer(r->ds, 0);
    }
    if (!r->layer) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: the file holds no vector layer", path);
        goto done;
    }
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->layer);
    if (srs) {
        const char *opts[] = {"FORMAT=WKT2_2019", NULL};
        if (OSRExportToWktEx(srs, &r->crs_wkt, opts) != OGRERR_NONE) {
            CPLFree(r->crs_wkt);
            r->crs_wkt = NULL;
        }
    }
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->layer);
    r->nfields = OGR_FD_GetFieldCount(defn);
    r->values = calloc((size_t)r->nfields + 1, sizeof *r->values);
    if (!r->values)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
done:
    loud();
    if (st) {
        ccn_reader_close(r);
        return st;
    }
    *out = r;
    return CCN_OK;
}

static void clear_values(ccn_reader *r)
{
    for (int i = 0; i < r->nfields; i++) {
        CPLFree(r->values[i]);
        r->values[i] = NULL;
    }
}

void ccn_reader_close(ccn_reader *r)
{
    if (!r)
        return;
    if (r->values)
        clear_values(r);
    free(r->values);
    if (r->feature)
        OGR_F_Destroy(r->feature);
    free(r->wkb);
    CPLFree(r->crs_wkt);
    if (r->ds)
        GDALClose(r->ds);
    free(r->path);
    free(r);
}

const char *ccn_reader_layer_name(const ccn_reader *r) { return OGR_L_GetName(r->layer); }

const char *ccn_reader_driver(const ccn_reader *r)
{
    return GDALGetDriverShortName(GDALGetDatasetDriver(r->ds));
}

const char *ccn_reader_crs_wkt(const ccn_reader *r) { return r->crs_wkt; }
int ccn_reader_field_count(const ccn_reader *r) { return r->nfields; }

const char *ccn_reader_field_name(const ccn_reader *r, int i)
{
    return OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(r->layer), i));
}

int ccn_reader_field_index(const ccn_reader *r, const char *name)
{
    for (int i = 0; i < r->nfields; i++)
        if (strcasecmp(ccn_reader_field_name(r, i), name) == 0)
            return i;
    return -1;
}

int64_t ccn_reader_feature_count(ccn_reader *r)
{
    return (int64_t)OGR_L_GetFeatureCount(r->layer, 0);
}

/* Linear, 2D copy of a feature's geometry as ISO WKB in r->wkb. */
static bool take_geometry(ccn_reader *r, OGRGeometryH g, ccn_feature *f)
{
    OGRGeometryH lin = OGR_G_HasCurveGeometry(g, 1) ? OGR_G_GetLinearGeometry(g, 0, NULL)
                                                    : OGR_G_Clone(g);
    if (!lin)
        return false;
    OGR_G_FlattenTo2D(lin);
    size_t n = (size_t)OGR_G_WkbSize(lin);
    if (n > r->wkb_cap) {
        unsigned char *p = realloc(r->wkb, n);
        if (!p) {
            OGR_G_DestroyGeometry(lin);
            return false;
        }
        r->wkb = p;
        r->wkb_cap = n;
    }
    bool ok = OGR_G_ExportToIsoWkb(lin, wkbNDR, r->wkb) == OGRERR_NONE;
    OGR_G_DestroyGeometry(lin);
    f->wkb = r->wkb;
    f->wkb_len = n;
    return ok;
}

int ccn_reader_next(ccn_reader *r, ccn_feature *f)
{
    memset(f, 0, sizeof *f);
    clear_values(r);
    if (r->feature) {
        OGR_F_Destroy(r->feature);
        r->feature = NULL;
    }
    quiet();
    CPLErrorReset();
    r->feature = OGR_L_GetNextFeature(r->layer);
    int rc = 1;
    if (!r->feature) {
        if (CPLGetLastErrorType() >= CE_Failure) {
            ccn_error(r->ctx, CCN_ERR_INPUT, "%s: read error: %s", r->path, last_gdal_error());
            rc = -1;
        } else {
            rc = 0;
        }
        goto done;
    }
    f->fid = OGR_F_GetFID(r->feature);
    for (int i = 0; i < r->nfields; i++)
        if (OGR_F_IsFieldSetAndNotNull(r->feature, i))
            r->values[i] = CPLStrdup(OGR_F_GetFieldAsString(r->feature, i));
    f->values = (const char *const *)r->values;
    OGRGeometryH g = OGR_F_GetGeometryRef(r->feature);
    if (g && !take_geometry(r, g, f)) {
        ccn_error(r->ctx, CCN_ERR_INPUT, "%s: feature %lld: unreadable geometry", r->path,
                  (long long)f->fid);
        rc = -1;
    }
done:
    loud();
    return rc;
}
