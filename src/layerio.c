/* layerio — OGR reading: open a layer, stream its features as WKB + text. */
#define _LARGEFILE64_SOURCE /* struct stat64: GDAL's VSIStatBufL */
#include "layerio.h"
#include "sha256.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "layerio_gdal.h" /* after GDAL's headers: its calls through a table */
#include "grow.h"
#include "crs.h"
#include "outtext.h"
#include "textenc.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { REAL_AS_GDAL = 1000 }; /* a real field GDAL writes otherwise than "%.15g" */

struct ccn_reader {
    ccn_ctx *ctx;         /* not owned */
    GDALDatasetH ds;
    OGRLayerH layer;      /* owned by ds */
    char *crs_wkt;        /* CPLFree'd */
    char *path;
    char *source;         /* the file that holds the layer (ccn_reader_source) */
    char *neutral_dir;    /* a MapInfo table's "!charset Neutral" copy (neutral_tab) */
    int64_t last_fid, nread; /* the last feature read, how many were */
    bool crs_undefined;   /* a GeoPackage's "Undefined geographic SRS" (no crs_wkt) */
    int nfields;
    char **values;        /* nfields slots: the current feature's text (see field_text) */
    int *kinds;           /* each field's OGR type (REAL_AS_GDAL: see field_text) */
    bool *copied;         /* values[i] is a copy, CPLFree'd */
    bool *compound;       /* field i is typed a list or JSON (by GDAL, for the whole layer) */
    unsigned char *value_compound; /* the current feature's field i is a list or an object */
    char (*numbers)[24];  /* each integer field's text, written by ccn */
    unsigned char *wkb;   /* current feature's WKB, grown as needed */
    size_t wkb_cap;
    OGRFeatureH feature;  /* current feature */
    char problem[400];    /* why the current feature's geometry cannot be used */
    bool multipatch;      /* an Esri multipatch layer: its polygons are 3-D faces */
    bool keep_z;          /* heights kept in the WKB, for a transformation (ccn_reader_keep_z) */
    bool latin1_raw;      /* a DXF opened for its bytes: GDAL gave them as Latin-1 */
    int paper_space;      /* a DXF's PaperSpace field, or -1 */
    int wkt_field;        /* a CSV's field GDAL reads the geometry from as WKT, or -1 */
    struct reader_ahead *ahead; /* ccn_reader_read_ahead's thread, or NULL */
    char **unread;        /* GDAL's warnings of the current feature's numbers read in part */
    size_t nunread, capunread;
    bool unread_lost;     /* one of them could not be kept (out of memory) */
    char **skipped;       /* the names of the missing blocks of the INSERTs GDAL skipped */
    size_t nskipped, capskipped;
    struct texted *texted; /* a GeoPackage's numbers stored as text, by fid (find_texted) */
    size_t ntexted, captexted;
};

/* Field `field` of feature fid holds `text` where a number belongs. */
struct texted {
    int64_t fid;
    int field;
    char *text;
};

static ccn_status find_texted(ccn_ctx *ctx, ccn_reader *r);
static int wkt_field(const ccn_reader *r, OGRFeatureDefnH defn);
typedef struct reader_ahead reader_ahead;

/* Esri's formats declare every layer's geometry type except a multipatch's,
 * which GDAL reads as TINs or as MULTIPOLYGON Z of faces (walls, roofs). */
static bool is_multipatch(GDALDatasetH ds, OGRLayerH layer)
{
    const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(ds));
    bool esri = strcmp(driver, "ESRI Shapefile") == 0 || strcmp(driver, "OpenFileGDB") == 0 ||
                strcmp(driver, "FileGDB") == 0;
    return esri && wkbFlatten(OGR_L_GetGeomType(layer)) == wkbUnknown &&
           OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(layer)) > 0;
}

/* GDAL, opened and its drivers registered on the first file. */
static ccn_status load_gdal(ccn_ctx *ctx)
{
    const char *why = NULL;
    return ccn_gdal_load(&why) ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why);
}

static pthread_t preload_thread;
static bool preload_running;

static void *preload_main(void *unused)
{
    (void)unused;
    const char *why = NULL;
    ccn_gdal_load(&why); /* a failure is reported by the load that waits for it */
    return NULL;
}

void ccn_layerio_preload(void)
{
    if (!preload_running)
        preload_running = pthread_create(&preload_thread, NULL, preload_main, NULL) == 0;
}

void ccn_layerio_preload_wait(void)
{
    if (preload_running)
        pthread_join(preload_thread, NULL);
    preload_running = false;
}

/* The first failure GDAL reported on this thread since a writer opened: a
 * writer's later ones are its consequences (a GeoPackage's creation committed
 * into a full disk, rolled back without GDAL failing the creation; at the
 * close its extent asked of a table no longer there: "no such table: lots"). */
static _Thread_local char first_failure[512];

static void CPL_STDCALL note_first_failure(CPLErr e, CPLErrorNum n, const char *msg)
{
    (void)n;
    if (e >= CE_Failure && !first_failure[0])
        snprintf(first_failure, sizeof first_failure, "%s", msg ? msg : "");
}

/* GDAL messages are taken from its thread-local last error, never printed. */
static void quiet(void) { CPLPushErrorHandler(note_first_failure); }
static void loud(void) { CPLPopErrorHandler(); }

static const char *last_gdal_error(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m && *m ? m : "not a recognised vector file";
}

ccn_status ccn_crs_from_user(ccn_ctx *ctx, const char *input, char **out)
{
    *out = NULL;
    if (!ccn_crs_check(ctx, input, NULL)) /* EPSG:n, a URN, WKT: PROJ reads it as it is */
        return (*out = strdup(input)) ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_ctx_clear_error(ctx);
    ccn_status st = load_gdal(ctx);
    if (st)
        return st;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    const char *wkt2[] = {"FORMAT=WKT2_2019", NULL};
    quiet();
    CPLErrorReset();
    bool read = srs && OSRSetFromUserInput(srs, input) == OGRERR_NONE &&
                OSRExportToWktEx(srs, &wkt, wkt2) == OGRERR_NONE && wkt;
    if (read)
        *out = strdup(wkt);
    else
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "unknown CRS '%.200s': neither PROJ nor GDAL reads it (write EPSG:CODE, "
                       "a WKT, a PROJ string or the path of a .prj file)",
                       input);
    loud();
    VSIFree(wkt);
    if (srs)
        OSRDestroySpatialReference(srs);
    if (read && !*out)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    return st;
}

static bool is_polygonal(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPolygon || t == wkbMultiPolygon || t == wkbCurvePolygon ||
           t == wkbMultiSurface;
}

static bool is_point(OGRwkbGeometryType t)
{
    t = wkbFlatten(t);
    return t == wkbPoint || t == wkbMultiPoint;
}

enum { SCAN_FEATURES = 1000 }; /* features looked at to tell an undeclared layer's kind */

/* Does the layer hold polygons (or points)? Formats that do not declare a
 * geometry type per layer (KML, DXF, GML) say "unknown": then its first
 * features are looked at. */
static bool layer_holds(OGRLayerH layer, bool points)
{
    OGRwkbGeometryType t = OGR_L_GetGeomType(layer);
    if (wkbFlatten(t) != wkbUnknown && wkbFlatten(t) != wkbGeometryCollection)
        return points ? is_point(t) : is_polygonal(t);
    bool found = false;
    OGR_L_ResetReading(layer);
    OGRFeatureH f;
    for (int i = 0; !found && i < SCAN_FEATURES && (f = OGR_L_GetNextFeature(layer)); i++) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g) {
            OGRwkbGeometryType gt = OGR_G_GetGeometryType(g);
            found = points ? is_point(gt) : is_polygonal(gt);
        }
        OGR_F_Destroy(f);
    }
    OGR_L_ResetReading(layer);
    return found;
}

/* The file with extension ext (".dbf") of the layer's shapefile among the
 * dataset's files: the layer is one of a folder's shapefiles, or inside a
 * /vsizip/ archive. NULL if none. */
static char *shapefile_part(GDALDatasetH ds, OGRLayerH layer, const char *ext)
{
    const char *name = OGR_L_GetName(layer);
    char **files = GDALGetFileList(ds);
    char *part = NULL;
    for (int i = 0; files && files[i] && !part; i++) {
        const char *base = CPLGetFilename(files[i]);
        const char *dot = strrchr(base, '.');
        if (dot && strcasecmp(dot, ext) == 0 && strlen(name) == (size_t)(dot - base) &&
            strncasecmp(base, name, strlen(name)) == 0)
            part = strdup(files[i]);
    }
    CSLDestroy(files);
    return part;
}

static char *shapefile_dbf(GDALDatasetH ds, OGRLayerH layer)
{
    return shapefile_part(ds, layer, ".dbf");
}

/* GDAL reads a shapefile's shapes only as far as its .dbf has rows, and the
 * rows only as far as there are shapes, without a word: a .shp and a .dbf
 * that disagree (one cut short, or from another copy) lost the rest. The
 * .dbf is read through VSI, as GDAL reads it: a folder, a .zip. */
static ccn_status shapefile_rows_match(ccn_ctx *ctx, GDALDatasetH ds, OGRLayerH layer)
{
    char *dbf = shapefile_dbf(ds, layer);
    VSILFILE *f = dbf ? VSIFOpenL(dbf, "rb") : NULL;
    unsigned char head[8];
    bool got = f && VSIFReadL(head, 1, sizeof head, f) == sizeof head;
    if (f)
        VSIFCloseL(f);
    if (!got) { /* no .dbf (the shapes alone), or one GDAL says is broken when read */
        free(dbf);
        return CCN_OK;
    }
    long long rows = head[4] | head[5] << 8 | head[6] << 16 | (long long)head[7] << 24;
    long long shapes = (long long)OGR_L_GetFeatureCount(layer, 0);
    ccn_status st = CCN_OK;
    if (shapes >= 0 && shapes != rows) {
        size_t n = strlen(dbf); /* its .shp, named: a folder does not say which */
        memcpy(dbf + n - 3, dbf[n - 3] == 'D' ? "SHP" : "shp", 3);
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "%s: its .shp holds %lld shapes and its .dbf %lld rows: only the first %lld "
                       "of each could be read, the rest would be lost (is one of them cut short, or "
                       "from another copy?)",
                       dbf, shapes, rows, shapes < rows ? shapes : rows);
    }
    free(dbf);
    return st;
}

/* A folder of neutral_tab's, emptied and removed; dir is freed. */
static void remove_dir(char *dir)
{
    if (!dir)
        return;
    DIR *d = opendir(dir);
    struct dirent *e;
    char f[PATH_MAX];
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            (size_t)snprintf(f, sizeof f, "%s/%s", dir, e->d_name) < sizeof f)
            unlink(f);
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
}

/* GDAL decodes a MapInfo table's text by the .tab's "!charset" line (a
 * .mif's "Charset": WindowsLatin1 over TCVN3 text became "NguyÔn"), and has
 * no open option for its bytes: a copy of the .tab (.mif) saying Neutral,
 * in a folder of its own beside links to the table's other files, makes
 * GDAL hand them over. The folder (into *dir) goes when the reader closes.
 * NULL if the copy cannot be made; the .tab's path in the folder otherwise. */
static char *neutral_tab(GDALDatasetH ds, char **dir)
{
    const char *tmp = getenv("TMPDIR");
    char folder[PATH_MAX], *copy = NULL;
    if ((size_t)snprintf(folder, sizeof folder, "%s/ccn-tab-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
            sizeof folder ||
        !mkdtemp(folder))
        return NULL;
    *dir = strdup(folder);
    char **files = GDALGetFileList(ds);
    bool ok = *dir && files;
    for (int i = 0; ok && files[i]; i++) {
        const char *base = CPLGetFilename(files[i]), *dot = strrchr(base, '.');
        char to[PATH_MAX], from[PATH_MAX];
        ok = (size_t)snprintf(to, sizeof to, "%s/%s", folder, base) < sizeof to &&
             realpath(files[i], from);
        bool tab = dot && strcasecmp(dot, ".tab") == 0, mif = dot && strcasecmp(dot, ".mif") == 0;
        if (ok && (tab || mif)) {
            FILE *in = fopen(from, "r"), *out = fopen(to, "w");
            char line[4096];
            /* a .mif's header ends at its "Data" line; its geometry follows */
            bool header = true, line_start = true;
            while (in && out && fgets(line, sizeof line, in)) {
                if (header && line_start && tab && strncasecmp(line, "!charset", 8) == 0)
                    fputs("!charset Neutral\n", out);
                else if (header && line_start && mif && strncasecmp(line, "Charset", 7) == 0)
                    fputs("Charset \"Neutral\"\n", out);
                else
                    fputs(line, out);
                if (mif && line_start && strncasecmp(line, "Data", 4) == 0)
                    header = false;
                line_start = strchr(line, '\n') != NULL;
            }
            ok = in && out && !ferror(in);
            if (in)
                fclose(in);
            if (out && fclose(out) != 0)
                ok = false;
            if (ok && !copy)
                copy = strdup(to);
        } else if (ok) {
            ok = symlink(from, to) == 0;
        }
    }
    CSLDestroy(files);
    if (!ok || !copy) {
        free(copy);
        remove_dir(*dir);
        *dir = NULL;
        return NULL;
    }
    return copy;
}

/* The names of what an archive holds ("a.gpkg, b.txt"), into buf. */
static void zip_members(const char *archive, char *buf, size_t n)
{
    char **names = VSIReadDir(archive);
    size_t used = 0;
    *buf = '\0';
    for (int i = 0; names && names[i] && used + 1 < n; i++) {
        int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0 || (size_t)w >= n - used)
            break;
        used += (size_t)w;
    }
    CSLDestroy(names);
}

/* A vector file opened for reading. raw_text: its text as its bytes, for ccn
 * to decode (an empty ENCODING makes the shapefile driver hand over the
 * DBF's bytes; GDAL's DXF driver decodes text by $DWGCODEPAGE, ANSI_1252 by
 * default whatever the fonts, TCVN3 under .VnTime, and has no open option
 * for the bytes: read as Latin-1, whose characters are the bytes, undone in
 * field_text). A GeoJSON property's type varies by feature, GDAL's field
 * type is one for all: each feature's own JSON (its native data) says what
 * it holds. */
static GDALDatasetH open_vector(const char *path, bool raw_text)
{
    const char *opts[] = {"NATIVE_DATA=YES", NULL};
    const char *raw_opts[] = {"NATIVE_DATA=YES", "ENCODING=", NULL};
    if (raw_text)
        CPLSetThreadLocalConfigOption("DXF_ENCODING", "ISO-8859-1");
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
                                 raw_text ? raw_opts : opts, NULL);
    if (raw_text)
        CPLSetThreadLocalConfigOption("DXF_ENCODING", NULL);
    return ds;
}

ccn_status ccn_reader_open(ccn_ctx *ctx, const char *path, const char *layer_name, bool raw_text,
                           ccn_reader **out)
{
    return ccn_reader_open_for(ctx, path, layer_name, NULL, raw_text, false, out);
}

ccn_status ccn_reader_open_for(ccn_ctx *ctx, const char *path, const char *layer_name,
                               const char *prefer, bool raw_text, bool want_points,
                               ccn_reader **out)
{
    *out = NULL;
    if (load_gdal(ctx))
        return CCN_ERR_INTERNAL;
    ccn_reader *r = calloc(1, sizeof *r);
    if (!r)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    r->ctx = ctx;
    r->path = strdup(path);
    ccn_status st = CCN_OK;
    VSIStatBufL vs;
    if (strncmp(path, "/vsi", 4) == 0 && load_gdal(ctx) == CCN_OK && VSIStatL(path, &vs) != 0) {
        ccn_reader_close(r); /* "not a recognised vector file" of a .zip not there */
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: no such file", path);
    }
    if (strncmp(path, "/vsi", 4) != 0 && access(path, F_OK) != 0) {
        ccn_reader_close(r);
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: no such file", path);
    }
    /* GDAL says "not a recognised vector file" of a file it may not read. */
    if (strncmp(path, "/vsi", 4) != 0 && access(path, R_OK) != 0) {
        int e = errno;
        ccn_reader_close(r);
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: cannot read: %s", path, strerror(e));
    }
    struct stat sb; /* a file cut short to nothing (a transfer, a full disk) */
    bool empty = strncmp(path, "/vsi", 4) != 0 && stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
                 sb.st_size == 0;
    quiet();
    CPLErrorReset();
    r->ds = open_vector(path, raw_text);
    /* A .zip as sent (GDAL opens only a .shp.zip so, or /vsizip/FILE.zip):
     * the shapefiles (or the one file) it holds, as /vsizip/ reads them. */
    size_t plen = strlen(path);
    char *zipped = NULL;
    if (!r->ds && strncmp(path, "/vsi", 4) != 0 && plen > 4 &&
        strcasecmp(path + plen - 4, ".zip") == 0 && (zipped = malloc(plen + 9))) {
        snprintf(zipped, plen + 9, "/vsizip/%s", path);
        CPLErrorReset();
        r->ds = open_vector(zipped, raw_text);
    }
    /* a .zip GDAL finds no layer in (a scan's PDF, a folder of .xls) */
    bool archive = zipped || (strncmp(path, "/vsizip/", 8) == 0 && plen > 4 &&
                              strcasecmp(path + plen - 4, ".zip") == 0);
    if (!r->ds && archive && !empty) {
        char held[400], reason[1000];
        zip_members(zipped ? zipped : path, held, sizeof held);
        snprintf(reason, sizeof reason,
                 "no vector layer GDAL reads in the archive (it holds: %s): name a file "
                 "inside it, as %s/NAME",
                 *held ? held : "nothing", zipped ? zipped : path);
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: cannot open: %s", path, reason);
        free(zipped);
        goto done;
    }
    free(zipped);
    char *neutral = NULL;
    if (raw_text && r->ds && strncmp(path, "/vsi", 4) != 0 &&
        strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(r->ds)), "MapInfo File") == 0 &&
        (neutral = neutral_tab(r->ds, &r->neutral_dir))) {
        GDALClose(r->ds);
        r->ds = open_vector(neutral, false); /* its charset Neutral: the bytes */
        free(neutral);
    }
    r->latin1_raw = raw_text && r->ds &&
                    strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(r->ds)), "DXF") == 0;
    if (!r->ds) {
        /* A warning GDAL gave on the way is not why the file did not open
         * (an empty CSV: "driver CSV does not support open option NATIVE_DATA") */
        bool failed = CPLGetLastErrorType() >= CE_Failure;
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: cannot open: %s", path,
                       empty ? "the file is empty (0 bytes)"
                       : failed ? last_gdal_error() : "not a recognised vector file");
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
        /* One file of every layer, each named as ccn's (ogr2ogr -nln): the
         * one of the role asked for (the first polygon layer, 'clusters',
         * read --as lots was refused for want of a lot_no field). */
        for (int i = 0; prefer && i < nlayers && !r->layer; i++) {
            OGRLayerH l = GDALDatasetGetLayer(r->ds, i);
            if (strcasecmp(OGR_L_GetName(l), prefer) == 0 && layer_holds(l, want_points) &&
                OGR_L_GetFeatureCount(l, 0) != 0)
                r->layer = l;
        }
        /* an empty layer holds none (a template's layer left empty before the
         * surveyor's: "layer 'a' is empty", the one with the parcels unnamed) */
        for (int i = 0; i < nlayers && !r->layer; i++) {
            OGRLayerH l = GDALDatasetGetLayer(r->ds, i);
            if (layer_holds(l, want_points) && OGR_L_GetFeatureCount(l, 0) != 0)
                r->layer = l;
        }
        for (int i = 0; i < nlayers && !r->layer; i++)
            if (layer_holds(GDALDatasetGetLayer(r->ds, i), want_points))
                r->layer = GDALDatasetGetLayer(r->ds, i);
        if (!r->layer && nlayers > 0)
            r->layer = GDALDatasetGetLayer(r->ds, 0);
    }
    if (!r->layer) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: the file holds no vector layer", path);
        goto done;
    }
    bool shapefile =
        strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(r->ds)), "ESRI Shapefile") == 0;
    if (shapefile && (st = shapefile_rows_match(ctx, r->ds, r->layer)))
        goto done;
    if (shapefile && !(r->source = shapefile_part(r->ds, r->layer, ".shp")))
        r->source = shapefile_part(r->ds, r->layer, ".dbf");
    if (!r->source) /* the table itself, not its neutral copy */
        r->source = strdup(r->neutral_dir ? path : GDALGetDescription(r->ds));
    if (!r->source) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    r->multipatch = is_multipatch(r->ds, r->layer);
    OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(r->layer);
    /* A GeoPackage's srs_id 0, "Undefined geographic SRS" (what ogr2ogr
     * writes for a layer given no CRS): GDAL makes it a CRS of an unknown
     * datum on WGS 84's ellipsoid, which PROJ takes into VN-2000 with no
     * shift, 200 m and more from where GPS longitudes and latitudes lie.
     * Its datum is not known: the layer has no CRS. */
    const char *srs_name = srs ? OSRGetName(srs) : NULL;
    if (srs_name && strcasecmp(srs_name, "Undefined geographic SRS") == 0 &&
        !OSRGetAuthorityName(srs, NULL)) {
        r->crs_undefined = true;
        srs = NULL;
    }
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
    r->kinds = calloc((size_t)r->nfields + 1, sizeof *r->kinds);
    r->numbers = calloc((size_t)r->nfields + 1, sizeof *r->numbers);
    r->copied = calloc((size_t)r->nfields + 1, sizeof *r->copied);
    r->compound = calloc((size_t)r->nfields + 1, sizeof *r->compound);
    r->value_compound = calloc((size_t)r->nfields + 1, 1);
    if (!r->values || !r->kinds || !r->numbers || !r->copied || !r->compound || !r->value_compound)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (int i = 0; !st && i < r->nfields; i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        r->kinds[i] = (int)OGR_Fld_GetType(fd);
        r->compound[i] = OGR_Fld_GetSubType(fd) == OFSTJSON || r->kinds[i] == OFTIntegerList ||
                         r->kinds[i] == OFTInteger64List || r->kinds[i] == OFTRealList ||
                         r->kinds[i] == OFTStringList;
        /* GDAL writes a real of no declared width with "%.15g" (a width
         * means "%.<precision>f", a float32 subtype 9 digits). */
        if (r->kinds[i] == OFTReal && (OGR_Fld_GetWidth(fd) != 0 || OGR_Fld_GetSubType(fd) != OFSTNone))
            r->kinds[i] = REAL_AS_GDAL;
    }
    const char *driver = GDALGetDriverShortName(GDALGetDatasetDriver(r->ds));
    r->paper_space = strcmp(driver, "DXF") == 0 ? ccn_reader_field_index(r, "PaperSpace") : -1;
    r->wkt_field = strcmp(driver, "CSV") == 0 ? wkt_field(r, defn) : -1;
    if (!st && (strcmp(driver, "GPKG") == 0 || strcmp(driver, "SQLite") == 0))
        st = find_texted(ctx, r);
done:
    loud();
    if (st) {
        ccn_reader_close(r);
        return st;
    }
    *out = r;
    return CCN_OK;
}

/* Field i of the current feature is text (CPLMalloc'd, taken over): what a
 * number field holds where GDAL would give another number. */
static void take_text(ccn_reader *r, int i, char *text)
{
    if (r->copied[i])
        CPLFree(r->values[i]);
    r->values[i] = text;
    r->copied[i] = true;
}

/* s as an SQL identifier, appended to the CPLMalloc'd *sql. */
static void append_sql(char **sql, size_t *len, const char *s, bool identifier)
{
    size_t n = strlen(s), quotes = 0;
    for (size_t k = 0; identifier && k < n; k++)
        quotes += s[k] == '"';
    char *grown = CPLRealloc(*sql, *len + n + quotes + 3);
    char *p = grown + *len;
    if (identifier)
        *p++ = '"';
    for (size_t k = 0; k < n; k++) {
        if (identifier && s[k] == '"')
            *p++ = '"';
        *p++ = s[k];
    }
    if (identifier)
        *p++ = '"';
    *p = '\0';
    *sql = grown;
    *len = (size_t)(p - grown);
}

/* SQLite keeps what it is given: a GeoPackage's REAL or INTEGER column may
 * hold the text '400,5', which GDAL reads as the number SQLite makes of it
 * (400), without a word. One query finds such values; each feature is then
 * given them as the text they are, as GDAL's warned ones (take_unread). */
static ccn_status find_texted(ccn_ctx *ctx, ccn_reader *r)
{
    const char *fid = OGR_L_GetFIDColumn(r->layer);
    int *field = fid && *fid ? calloc((size_t)r->nfields + 1, sizeof *field) : NULL;
    if (!field) /* no FID column: nothing to find the features by */
        return fid && *fid ? ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory") : CCN_OK;
    char *sql = CPLStrdup("SELECT ");
    size_t len = strlen(sql);
    append_sql(&sql, &len, fid, true);
    append_sql(&sql, &len, " + 0 AS ccn_fid", false); /* a value, not taken for GDAL's FID */
    char *where = CPLStrdup("");
    size_t wlen = 0;
    int numeric = 0; /* the query's columns 1.. are fields field[0..numeric) */
    for (int i = 0; i < r->nfields; i++) {
        int k = r->kinds[i];
        if (k != OFTInteger && k != OFTInteger64 && k != OFTReal && k != REAL_AS_GDAL)
            continue;
        const char *name = ccn_reader_field_name(r, i);
        append_sql(&sql, &len, ", CASE WHEN typeof(", false);
        append_sql(&sql, &len, name, true);
        append_sql(&sql, &len, ") IN ('text', 'blob') THEN CAST(", false);
        append_sql(&sql, &len, name, true);
        char alias[32];
        snprintf(alias, sizeof alias, " AS TEXT) END AS f%d", i);
        append_sql(&sql, &len, alias, false);
        append_sql(&where, &wlen, numeric ? " OR typeof(" : "typeof(", false);
        append_sql(&where, &wlen, name, true);
        append_sql(&where, &wlen, ") IN ('text', 'blob')", false);
        field[numeric++] = i;
    }
    ccn_status st = CCN_OK;
    if (numeric > 0) {
        append_sql(&sql, &len, " FROM ", false);
        append_sql(&sql, &len, OGR_L_GetName(r->layer), true);
        append_sql(&sql, &len, " WHERE ", false);
        append_sql(&sql, &len, where, false);
        append_sql(&sql, &len, " ORDER BY 1", false);
        OGRLayerH res = GDALDatasetExecuteSQL(r->ds, sql, NULL, "SQLITE");
        OGRFeatureH f;
        while (res && !st && (f = OGR_L_GetNextFeature(res))) {
            int64_t id = OGR_F_GetFieldAsInteger64(f, 0);
            for (int c = 1; c <= numeric && !st; c++) {
                if (!OGR_F_IsFieldSetAndNotNull(f, c))
                    continue;
                char *text = CPLStrdup(OGR_F_GetFieldAsString(f, c));
                if (GROW(r->texted, r->ntexted, r->captexted, 1))
                    r->texted[r->ntexted++] = (struct texted){id, field[c - 1], text};
                else
                    CPLFree(text), st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            }
            OGR_F_Destroy(f);
        }
        if (res)
            GDALDatasetReleaseResultSet(r->ds, res);
        else /* GDAL could not ask: no worse than before */
            CPLErrorReset();
    }
    CPLFree(sql);
    CPLFree(where);
    free(field);
    return st;
}

/* The numbers feature fid has as text (find_texted), taken as its values. */
static void take_texted(ccn_reader *r, int64_t fid)
{
    size_t lo = 0, hi = r->ntexted;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->texted[mid].fid < fid)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < r->ntexted && r->texted[lo].fid == fid; lo++)
        take_text(r, r->texted[lo].field, CPLStrdup(r->texted[lo].text));
}

static void clear_values(ccn_reader *r)
{
    for (int i = 0; i < r->nfields; i++) {
        if (r->copied[i])
            CPLFree(r->values[i]);
        r->values[i] = NULL;
        r->copied[i] = false;
    }
    for (size_t k = 0; k < r->nunread; k++)
        free(r->unread[k]);
    r->nunread = 0;
    r->unread_lost = false;
}

/* GDAL reads "400,5" in a DBF number field as 400, "12a" as 12, and says so
 * only in a warning ("Value '400,5' of field t.area parsed incompletely to
 * real 400."): the reader keeps those warnings while it reads a feature. */
static void CPL_STDCALL on_feature_message(CPLErr cls, CPLErrorNum no, const char *msg)
{
    (void)no;
    ccn_reader *r = CPLGetErrorHandlerUserData();
    if (cls != CE_Warning || !r)
        return;
    /* A DXF INSERT of a block the file does not hold: GDAL says "Block NAME
     * does not exist" and goes on to the next entity. */
    static const char block[] = "Block ", missing[] = " does not exist";
    size_t len = strlen(msg);
    if (strncmp(msg, block, sizeof block - 1) == 0 && len > sizeof block + sizeof missing - 2 &&
        strcmp(msg + len - (sizeof missing - 1), missing) == 0) {
        char *name = strndup(msg + sizeof block - 1, len - (sizeof block - 1) - (sizeof missing - 1));
        if (name && GROW(r->skipped, r->nskipped, r->capskipped, 1))
            r->skipped[r->nskipped++] = name;
        else
            free(name), r->unread_lost = true;
        return;
    }
    if (strncmp(msg, "Value '", 7) != 0 || !strstr(msg, " parsed incompletely to "))
        return;
    char *copy = GROW(r->unread, r->nunread, r->capunread, 1) ? strdup(msg) : NULL;
    if (copy)
        r->unread[r->nunread++] = copy;
    else
        r->unread_lost = true;
}

/* A number GDAL read only in part becomes the text it was, for the caller
 * to refuse or read as it would that text in a text field: "400,5" is no
 * area of 400 m². */
static void take_unread(ccn_reader *r, const char *msg)
{
    const char *tail = strstr(msg, " parsed incompletely to "), *value = msg + 7;
    for (int i = 0; i < r->nfields; i++) {
        const char *name = ccn_reader_field_name(r, i);
        size_t len = strlen(name);
        if ((size_t)(tail - value) < len + 1 || tail[-(ptrdiff_t)len - 1] != '.' ||
            memcmp(tail - len, name, len) != 0)
            continue;
        /* the value ends at the last "' of field " before the layer's name */
        const char *end = NULL;
        for (const char *p = value; (p = strstr(p, "' of field ")) && p < tail - len; p++)
            end = p;
        if (!end)
            return;
        char *text = CPLMalloc((size_t)(end - value) + 1);
        memcpy(text, value, (size_t)(end - value));
        text[end - value] = '\0';
        take_text(r, i, text);
        return;
    }
}

/* An integer in decimal, as GDAL's "%d" / "%lld" writes it. */
static char *write_integer(char buf[24], long long v)
{
    char *p = buf + 23;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    *p = '\0';
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    return p;
}

/* A real as "%.15g" writes it, when it is the double nearest to a decimal
 * of at most 15 significant digits and 3 decimals (areas, lengths: the
 * usual), written as that decimal; NULL otherwise (GDAL writes it then). */
static char *write_short_real(char buf[24], double d)
{
    static const double scale[] = {1, 10, 100, 1000};
    for (int k = 0; k < 4; k++) {
        double m = d * scale[k];
        if (!(fabs(m) < 1e15) || m != nearbyint(m) || m / scale[k] != d || m == 0)
            continue;
        char digits[24];
        char *p = write_integer(digits, (long long)fabs(m));
        size_t n = strlen(p), at = 0;
        if (d < 0)
            buf[at++] = '-';
        if (n <= (size_t)k) { /* 0.00d */
            buf[at++] = '0';
            buf[at++] = '.';
            for (size_t z = n; z < (size_t)k; z++)
                buf[at++] = '0';
            memcpy(buf + at, p, n);
            at += n;
        } else {
            memcpy(buf + at, p, n - (size_t)k);
            at += n - (size_t)k;
            if (k) {
                buf[at++] = '.';
                memcpy(buf + at, p + n - k, (size_t)k);
                at += (size_t)k;
            }
        }
        buf[at] = '\0';
        if (k) { /* no trailing zeros, no bare point: as %g */
            while (buf[at - 1] == '0')
                buf[--at] = '\0';
            if (buf[at - 1] == '.')
                buf[--at] = '\0';
        }
        return buf;
    }
    return NULL;
}

/* Field i of the current feature as text, what OGR_F_GetFieldAsString
 * gives: a string field's own text (the feature keeps it until the next
 * feature), an integer or a short real written here, the same characters
 * (GDAL's printf costs more than reading the feature), anything else copied
 * from GDAL's buffer, which the next field's text overwrites. */
/* The bytes of a text GDAL decoded as Latin-1 (U+0080..U+00FF back to one
 * byte each), in place: it only shrinks. A character beyond U+00FF (DXF's
 * \U+nnnn escapes) is Unicode already and stays UTF-8. */
static char *latin1_bytes(char *s)
{
    unsigned char *in = (unsigned char *)s, *out = in;
    while (*in) {
        if ((in[0] == 0xC2 || in[0] == 0xC3) && (in[1] & 0xC0) == 0x80) {
            *out++ = (unsigned char)(((in[0] & 0x1F) << 6) | (in[1] & 0x3F));
            in += 2;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return s;
}

static char *field_text(ccn_reader *r, int i)
{
    switch (r->kinds[i]) {
    case OFTString:
        if (r->latin1_raw) {
            r->copied[i] = true;
            return latin1_bytes(CPLStrdup(OGR_F_GetFieldAsString(r->feature, i)));
        }
        return (char *)OGR_F_GetFieldAsString(r->feature, i);
    case OFTInteger: return write_integer(r->numbers[i], OGR_F_GetFieldAsInteger(r->feature, i));
    case OFTInteger64:
        return write_integer(r->numbers[i], (long long)OGR_F_GetFieldAsInteger64(r->feature, i));
    case OFTReal: {
        char *t = write_short_real(r->numbers[i], OGR_F_GetFieldAsDouble(r->feature, i));
        if (t)
            return t;
    } /* fall through */
    default: r->copied[i] = true; return CPLStrdup(OGR_F_GetFieldAsString(r->feature, i));
    }
}

static void ahead_end(ccn_reader *r);

void ccn_reader_keep_z(ccn_reader *r, bool keep) { r->keep_z = keep; }

void ccn_reader_close(ccn_reader *r)
{
    if (!r)
        return;
    if (r->ahead) /* first: its thread reads the layer */
        ahead_end(r);
    if (r->values && r->copied)
        clear_values(r);
    free(r->values);
    free(r->unread);
    for (size_t k = 0; k < r->ntexted; k++)
        CPLFree(r->texted[k].text);
    free(r->texted);
    for (size_t k = 0; k < r->nskipped; k++)
        free(r->skipped[k]);
    free(r->skipped);
    free(r->kinds);
    free(r->copied);
    free(r->compound);
    free(r->value_compound);
    free(r->numbers);
    if (r->feature)
        OGR_F_Destroy(r->feature);
    free(r->wkb);
    CPLFree(r->crs_wkt);
    if (r->ds)
        GDALClose(r->ds);
    remove_dir(r->neutral_dir);
    free(r->path);
    free(r->source);
    free(r);
}

const char *ccn_reader_layer_name(const ccn_reader *r) { return OGR_L_GetName(r->layer); }

const char *ccn_reader_driver(const ccn_reader *r)
{
    return GDALGetDriverShortName(GDALGetDatasetDriver(r->ds));
}

const char *ccn_reader_crs_wkt(const ccn_reader *r) { return r->crs_wkt; }

bool ccn_reader_crs_undefined(const ccn_reader *r) { return r->crs_undefined; }

bool ccn_reader_has_geometry(const ccn_reader *r)
{
    return OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(r->layer)) > 0;
}

int ccn_reader_layers_holding(ccn_reader *r, bool points, bool counts, char *buf, size_t n)
{
    buf[0] = '\0';
    int found = 0;
    quiet();
    for (int i = 0; i < GDALDatasetGetLayerCount(r->ds); i++) {
        OGRLayerH l = GDALDatasetGetLayer(r->ds, i);
        if (l == r->layer || !layer_holds(l, points))
            continue;
        long long count = counts ? (long long)OGR_L_GetFeatureCount(l, 1) : -1;
        if (count == 0) /* nothing in it was left unread */
            continue;
        snprintf(buf + strlen(buf), n - strlen(buf), "%s'%s'", found++ ? ", " : "",
                 OGR_L_GetName(l));
        if (counts)
            snprintf(buf + strlen(buf), n - strlen(buf), ": %lld", count);
    }
    loud();
    return found;
}

size_t ccn_reader_skipped(const ccn_reader *r, const char *const **blocks)
{
    *blocks = (const char *const *)r->skipped;
    return r->nskipped;
}

int ccn_reader_field_count(const ccn_reader *r) { return r->nfields; }

const char *ccn_reader_source(const ccn_reader *r) { return r->source; }

/* ccn_sha256_dataset's reads through GDAL's virtual files */
static void *vsi_open(const char *path)
{
    VSIStatBufL st; /* a folder opens, and reads as nothing: the hash of "" */
    return VSIStatL(path, &st) == 0 && !VSI_ISDIR(st.st_mode) ? VSIFOpenL(path, "rb") : NULL;
}
static size_t vsi_read(void *f, void *buf, size_t n) { return VSIFReadL(buf, 1, n, f); }
static bool vsi_close(void *f) { return VSIFCloseL(f) == 0; }

bool ccn_vsi_sha256_dataset(const char *path, char hex[65])
{
    static const ccn_sha256_io io = {vsi_open, vsi_read, vsi_close};
    const char *why;
    return ccn_gdal_load(&why) && ccn_sha256_dataset_io(path, &io, hex);
}

struct ccn_vfile {
    VSILFILE *f;
};

ccn_vfile *ccn_vfile_open(const char *path)
{
    const char *why;
    ccn_vfile *v = ccn_gdal_load(&why) ? calloc(1, sizeof *v) : NULL;
    if (v && !(v->f = VSIFOpenL(path, "rb"))) {
        free(v);
        v = NULL;
    }
    return v;
}

bool ccn_vfile_line(ccn_vfile *v, char *line, size_t size)
{
    /* GDAL's line reader; a "line" of over a megabyte (a binary file) ends
     * the reading, as the end of the file does */
    quiet();
    const char *l = CPLReadLine2L(v->f, 1 << 20, NULL);
    loud();
    if (l && size > 0)
        snprintf(line, size, "%s", l);
    return l != NULL;
}

void ccn_vfile_close(ccn_vfile *v)
{
    if (v) {
        VSIFCloseL(v->f);
        free(v);
    }
}

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
    /* A count GDAL could not finish is unknown, not the features it got to:
     * a CSV line longer than GDAL takes counted 0 ("layer is empty") */
    quiet();
    CPLErrorReset();
    int64_t n = (int64_t)OGR_L_GetFeatureCount(r->layer, 0);
    if (CPLGetLastErrorType() >= CE_Failure)
        n = -1;
    loud();
    return n;
}

/* The name of a 3-D surface type (multipatch, TIN …) in g, or NULL: GEOS
 * and the workspace take none of them, and their 2-D shadow is no boundary. */
static const char *surface_type(OGRGeometryH g)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolyhedralSurface || t == wkbTIN || t == wkbTriangle)
        return OGR_G_GetGeometryName(g);
    if (t == wkbGeometryCollection || t == wkbMultiSurface || t == wkbMultiPolygon)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            const char *inner = surface_type(OGR_G_GetGeometryRef(g, i));
            if (inner)
                return inner;
        }
    return NULL;
}

/* Why g cannot be read as it is, written into r->problem; false if it can.
 * Rings (lines, points) are numbered from 1 over the whole feature, in file
 * order. */
static bool geometry_problem(ccn_reader *r, OGRGeometryH g, int *ring_no, int *part_no)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon) {
        ++*part_no;
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
            OGRGeometryH ring = OGR_G_GetGeometryRef(g, i);
            int n = OGR_G_GetPointCount(ring);
            ++*ring_no;
            if (n == 0)
                continue;
            /* NaN or infinity (a broken export) would reach GEOS and PROJ as a
             * point "outside Vietnam" or a ring "not closed" (NaN != NaN). */
            for (int k = 0; k < n; k++) {
                double x = OGR_G_GetX(ring, k), y = OGR_G_GetY(ring, k);
                if (!isfinite(x) || !isfinite(y)) {
                    snprintf(r->problem, sizeof r->problem,
                             "ring %d, point %d has a coordinate that is not a finite number "
                             "(%.9g %.9g)",
                             *ring_no, k + 1, x, y);
                    return true;
                }
            }
            double x0 = OGR_G_GetX(ring, 0), y0 = OGR_G_GetY(ring, 0);
            double x1 = OGR_G_GetX(ring, n - 1), y1 = OGR_G_GetY(ring, n - 1);
            if (x0 != x1 || y0 != y1) {
                snprintf(r->problem, sizeof r->problem,
                         "ring %d is not closed: first point (%.9g %.9g), last point (%.9g %.9g)",
                         *ring_no, x0, y0, x1, y1);
                return true;
            }
            /* GEOS cannot read a ring of 1 to 3 points (it said "unreadable geometry") */
            if (n < 4) {
                snprintf(r->problem, sizeof r->problem,
                         "part %u, ring %u has %u points: a polygon ring needs at least 4 (it "
                         "bounds no area, and PostGIS refuses it)",
                         (unsigned)*part_no, (unsigned)i + 1, (unsigned)n);
                return true;
            }
        }
        return false;
    }
    if (t == wkbLineString || t == wkbPoint) {
        /* a line closed into a polygon (DXF), a marker: NaN was stored as it
         * was, infinity refused the whole file as "outside Vietnam" */
        ++*ring_no;
        for (int k = 0; k < OGR_G_GetPointCount(g); k++) {
            double x = OGR_G_GetX(g, k), y = OGR_G_GetY(g, k);
            if (!isfinite(x) || !isfinite(y)) {
                if (t == wkbPoint)
                    snprintf(r->problem, sizeof r->problem,
                             "point %d has a coordinate that is not a finite number (%.9g %.9g)",
                             *ring_no, x, y);
                else
                    snprintf(r->problem, sizeof r->problem,
                             "line %d, point %d has a coordinate that is not a finite number "
                             "(%.9g %.9g)",
                             *ring_no, k + 1, x, y);
                return true;
            }
        }
        return false;
    }
    if (t == wkbMultiPolygon || t == wkbGeometryCollection || t == wkbMultiLineString ||
        t == wkbMultiPoint)
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            if (geometry_problem(r, OGR_G_GetGeometryRef(g, i), ring_no, part_no))
                return true;
    return false;
}

/* Linear copy (2D, or with Z) of a feature's geometry as ISO WKB in r->wkb; or, for a
 * geometry ccn cannot take, no WKB and the reason in f->problem. */
static bool take_geometry(ccn_reader *r, OGRGeometryH g, ccn_feature *f)
{
    const char *surface = surface_type(g);
    if (!surface && r->multipatch && OGR_G_Is3D(g))
        surface = "multipatch";
    if (surface) {
        snprintf(r->problem, sizeof r->problem,
                 "a 3-D surface (%s) where a polygon is needed (ccn takes 2-D polygons: export "
                 "the surface's footprint first)", surface);
        f->problem = r->problem;
        return true;
    }
    /* A linear 2-D geometry (the usual) is written as it is; curves are
     * linearised and Z or M dropped on a copy. A curve type holding only
     * straight pieces (a MULTISURFACE of a CURVEPOLYGON with a linear ring)
     * is converted too: ISO WKB keeps its type, which GEOS cannot read. With
     * keep_z, Z is kept for the transformation into the workspace CRS (a
     * height moves a point through a datum shift, as in ogr2ogr and
     * PostGIS), which drops it; with M, both go. */
    bool flat = !r->keep_z || OGR_G_IsMeasured(g);
    bool as_is = !OGR_G_HasCurveGeometry(g, 0) && !OGR_G_IsMeasured(g) && !(flat && OGR_G_Is3D(g));
    OGRGeometryH lin = as_is ? g
                       : OGR_G_HasCurveGeometry(g, 0) ? OGR_G_GetLinearGeometry(g, 0, NULL)
                                                      : OGR_G_Clone(g);
    if (!lin)
        return false;
    if (!as_is && flat)
        OGR_G_FlattenTo2D(lin);
    int ring_no = 0, part_no = 0;
    if (geometry_problem(r, lin, &ring_no, &part_no)) {
        if (!as_is)
            OGR_G_DestroyGeometry(lin);
        f->problem = r->problem;
        return true;
    }
    size_t n = (size_t)OGR_G_WkbSize(lin);
    unsigned char *p = n > r->wkb_cap ? realloc(r->wkb, n) : r->wkb;
    if (p && n > r->wkb_cap)
        r->wkb = p, r->wkb_cap = n;
    bool ok = p && OGR_G_ExportToIsoWkb(lin, wkbNDR, r->wkb) == OGRERR_NONE;
    if (!as_is)
        OGR_G_DestroyGeometry(lin);
    f->wkb = r->wkb;
    f->wkb_len = n;
    return ok;
}

/* Just enough JSON to find a GeoJSON feature's property: p at a value. */
static const char *json_space(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* Past the string at p (at its '"'), or NULL if it never closes. */
static const char *json_string_end(const char *p)
{
    for (p++; *p && *p != '"'; p++)
        if (*p == '\\' && !*++p)
            return NULL;
    return *p ? p + 1 : NULL;
}

/* Past the value at p, or NULL if it is cut short. */
static const char *json_value_end(const char *p)
{
    if (*p == '"')
        return json_string_end(p);
    int depth = 0;
    for (; *p; p++) {
        if (*p == '"') {
            if (!(p = json_string_end(p)))
                return NULL;
            p--;
        } else if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            if (depth == 0)
                return p;
            if (--depth == 0)
                return p + 1;
        } else if (depth == 0 && (*p == ',' || *p == ' ' || *p == '\n' || *p == '\r' ||
                                  *p == '\t')) {
            return p;
        }
    }
    return depth ? NULL : p;
}

/* The value of the next member named key from p (past the object's '{' or
 * a member's ','), or NULL. Keys are compared as written (a key with escapes
 * is not found: GDAL's field is then judged as a whole). */
static const char *json_next_member(const char *p, const char *key)
{
    size_t n = strlen(key);
    for (p = json_space(p); *p == '"';) {
        const char *k = p + 1, *end = json_string_end(p);
        if (!end || *(p = json_space(end)) != ':')
            return NULL;
        p = json_space(p + 1);
        if ((size_t)(end - 1 - k) == n && memcmp(k, key, n) == 0)
            return p;
        if (!(p = json_value_end(p)))
            return NULL;
        p = json_space(p);
        if (*p != ',')
            return NULL;
        p = json_space(p + 1);
    }
    return NULL;
}

/* The value of member key of the object at p ('{'), or NULL. */
static const char *json_member(const char *p, const char *key)
{
    return p && *p == '{' ? json_next_member(p + 1, key) : NULL;
}

/* The value of a second member named key after the value ending at end, if
 * it is written otherwise than the first (v to end), or NULL. */
static const char *json_member_again(const char *v, const char *end, const char *key,
                                     const char **again_end)
{
    for (const char *p = json_space(end); *p == ',';) {
        const char *w = json_next_member(p + 1, key);
        const char *w_end = w ? json_value_end(w) : NULL;
        if (!w_end)
            return NULL;
        if ((size_t)(w_end - w) != (size_t)(end - v) || memcmp(w, v, (size_t)(end - v)) != 0) {
            *again_end = w_end;
            return w;
        }
        p = json_space(w_end);
    }
    return NULL;
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    for (int k = 0; k < 4; k++) {
        int d = ccn_textenc_hex_digit(p[k]);
        if (d < 0)
            return 0xFFFD;
        v = v << 4 | (unsigned)d;
    }
    return v;
}

/* The text of the one value (a string, a number, true/false) from p to end,
 * CPLMalloc'd: a string's characters, anything else as written. */
static char *json_scalar_text(const char *p, const char *end)
{
    char *text = CPLMalloc((size_t)(end - p) + 1), *o = text;
    if (*p != '"') {
        memcpy(text, p, (size_t)(end - p));
        text[end - p] = '\0';
        return text;
    }
    for (p++; p < end - 1; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        switch (*++p) {
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned c = end - p > 5 ? hex4(p + 1) : 0xFFFD;
            p += end - p > 5 ? 4 : 0;
            if (c >= 0xD800 && c < 0xDC00 && end - p > 7 && p[1] == '\\' && p[2] == 'u') {
                unsigned lo = hex4(p + 3);
                if (lo >= 0xDC00 && lo < 0xE000)
                    c = 0x10000 + ((c - 0xD800) << 10) + (lo - 0xDC00), p += 6;
            }
            o += ccn_textenc_utf8_put(c >= 0xD800 && c < 0xE000 ? 0xFFFD : c, o);
            break;
        }
        default: *o++ = *p; /* \" \\ \/ */
        }
    }
    *o = '\0';
    return text;
}

/* Field i's value as the feature's own JSON has it, when GDAL read one (a
 * GeoJSON feature): an object or a list is marked and kept as the file's
 * text; one value in a field GDAL typed a list or JSON (another feature's
 * property was one) is that value, not GDAL's "(1:SKN)". False: no JSON for
 * it, field_text says. */
static bool native_value(ccn_reader *r, const char *props, int i)
{
    const char *name = ccn_reader_field_name(r, i);
    const char *v = json_member(props, name);
    const char *end = v ? json_value_end(v) : NULL, *again_end = NULL;
    /* {"landuse": "SKN", "landuse": "LUC"}: GDAL keeps the last without a
     * word; which is meant is not known. Both are kept, marked. */
    const char *again = end ? json_member_again(v, end, name, &again_end) : NULL;
    if (again) {
        size_t a = (size_t)(end - v), b = (size_t)(again_end - again);
        r->values[i] = CPLMalloc(a + b + 3);
        snprintf(r->values[i], a + b + 3, "%.*s, %.*s", (int)a, v, (int)b, again);
        r->value_compound[i] = CCN_VALUE_TWICE;
        r->copied[i] = true;
        return true;
    }
    if (!end || *v == 'n') /* null: GDAL says so */
        return false;
    bool compound = *v == '{' || *v == '[';
    if (!compound && !r->compound[i])
        return false;
    r->value_compound[i] = compound ? CCN_VALUE_COMPOUND : 0;
    if (compound) {
        r->values[i] = CPLMalloc((size_t)(end - v) + 1);
        memcpy(r->values[i], v, (size_t)(end - v));
        r->values[i][end - v] = '\0';
    } else {
        r->values[i] = json_scalar_text(v, end);
    }
    r->copied[i] = true;
    return true;
}

/* The field a CSV layer's geometry is read from as WKT: GDAL names the
 * geometry of a field WKT "", of any other (a .csvt's WKT type, _WKT…)
 * "geom_" and the field's name. -1 if none. */
static int wkt_field(const ccn_reader *r, OGRFeatureDefnH defn)
{
    if (OGR_FD_GetGeomFieldCount(defn) < 1)
        return -1;
    const char *name = OGR_GFld_GetNameRef(OGR_FD_GetGeomFieldDefn(defn, 0));
    if (!name || !*name)
        return ccn_reader_field_index(r, "WKT");
    int i = strncmp(name, "geom_", 5) == 0 ? ccn_reader_field_index(r, name + 5) : -1;
    return i >= 0 ? i : ccn_reader_field_index(r, name);
}

static bool blank(const char *s)
{
    while (s && isspace((unsigned char)*s))
        s++;
    return !s || !*s;
}

/* Why GDAL read no geometry from the WKT text of feature fid, into
 * r->problem, the text quoted (its first 48 bytes, cut at a character). */
static void wkt_problem(ccn_reader *r, int64_t fid, const char *text)
{
    static const char *const types[] = {
        "POINT",          "LINESTRING",      "POLYGON",           "MULTIPOINT",
        "MULTILINESTRING", "MULTIPOLYGON",   "GEOMETRYCOLLECTION", "CIRCULARSTRING",
        "COMPOUNDCURVE",  "CURVEPOLYGON",    "MULTICURVE",        "MULTISURFACE",
        "TRIANGLE",       "TIN",             "POLYHEDRALSURFACE"};
    while (isspace((unsigned char)*text))
        text++;
    size_t n = strlen(text), shown = n > 48 ? ccn_outtext_char_start(text, 48) : n;
    size_t word = 0;
    while (isalpha((unsigned char)text[word]))
        word++;
    bool known = false;
    for (size_t t = 0; !known && t < sizeof types / sizeof *types; t++) {
        size_t k = strlen(types[t]);
        known = word >= k && strncasecmp(text, types[t], k) == 0 &&
                (word == k || (word == k + 1 && strchr("ZzMm", text[k])) ||
                 (word == k + 2 && strncasecmp(text + k, "ZM", 2) == 0));
    }
    int depth = 0;
    bool stray = false;
    for (const char *c = text; *c && !stray; c++) {
        if (*c == '(')
            depth++;
        else if (*c == ')')
            stray = --depth < 0;
    }
    char why[120], quoted[80];
    if (*text == '{')
        snprintf(why, sizeof why, "not a GeoJSON geometry GDAL reads");
    else if (!word)
        snprintf(why, sizeof why,
                 "it does not begin with a geometry type (POLYGON, MULTIPOLYGON …)");
    else if (!known)
        snprintf(why, sizeof why, "'%.*s' is not a WKT geometry type (POLYGON, MULTIPOLYGON …)",
                 (int)(word > 40 ? 40 : word), text);
    else if (stray)
        snprintf(why, sizeof why, "a ')' closes no '('");
    else if (depth > 0)
        snprintf(why, sizeof why, "it ends with %d '(' not closed (cut short?)", depth);
    else
        snprintf(why, sizeof why, "not well-formed WKT");
    snprintf(quoted, sizeof quoted, "%.*s%s", (int)shown, text, shown < n ? "…" : "");
    snprintf(r->problem, sizeof r->problem,
             "field '%.40s' (row %lld, the header row 1): the WKT '%s' cannot be read: %s",
             ccn_reader_field_name(r, r->wkt_field), (long long)fid + 1, quoted, why);
}

/* The next feature into f (1), the end (0) or an error (-1, said in err). */
static int read_feature(ccn_reader *r, ccn_feature *f, char *err, size_t nerr)
{
    memset(f, 0, sizeof *f);
    clear_values(r);
    if (r->feature) {
        OGR_F_Destroy(r->feature);
        r->feature = NULL;
    }
    CPLPushErrorHandlerEx(on_feature_message, r);
    CPLErrorReset();
    r->feature = OGR_L_GetNextFeature(r->layer);
    int rc = 1;
    if (!r->feature) {
        if (CPLGetLastErrorType() >= CE_Failure) {
            if (r->nread > 0) /* where it stopped: the features after are not read */
                snprintf(err, nerr, "%s: read error after feature %lld (%lld read): %s",
                         r->path, (long long)r->last_fid, (long long)r->nread,
                         last_gdal_error());
            else
                snprintf(err, nerr, "%s: read error at the first feature: %s", r->path,
                         last_gdal_error());
            rc = -1;
        } else {
            rc = 0;
        }
        goto done;
    }
    f->fid = OGR_F_GetFID(r->feature);
    r->last_fid = f->fid;
    r->nread++;
    /* A geometry GDAL could not decode (a corrupt GeoPackage blob) comes as
     * none, with the error said while the feature was read. */
    bool undecoded = CPLGetLastErrorType() >= CE_Failure;
    if (undecoded)
        snprintf(r->problem, sizeof r->problem, "unreadable geometry (%s)", last_gdal_error());
    const char *native = OGR_F_GetNativeData(r->feature);
    const char *props = native ? json_member(json_space(native), "properties") : NULL;
    bool any_compound = false;
    for (int i = 0; i < r->nfields; i++) {
        r->value_compound[i] = r->compound[i];
        /* the JSON first: a member given twice, the last null, is null to GDAL */
        if (!(props && native_value(r, props, i)) && OGR_F_IsFieldSetAndNotNull(r->feature, i))
            r->values[i] = field_text(r, i);
        any_compound |= r->value_compound[i] && r->values[i];
    }
    for (size_t k = 0; k < r->nunread; k++)
        take_unread(r, r->unread[k]);
    if (r->ntexted)
        take_texted(r, f->fid);
    if (r->unread_lost) {
        snprintf(err, nerr, "%s: feature %lld: out of memory", r->path, (long long)f->fid);
        rc = -1;
        goto done;
    }
    f->values = (const char *const *)r->values;
    f->compound = any_compound ? r->value_compound : NULL;
    OGRGeometryH g = OGR_F_GetGeometryRef(r->feature);
    /* A DXF entity of a layout (the sheet's frame, title block, legend, in
     * millimetres) is not in the drawing's coordinates: it "landed outside
     * Vietnam" and the whole file was refused, the CRS blamed. */
    const char *paper = r->paper_space >= 0 ? r->values[r->paper_space] : NULL;
    if (paper && strcmp(paper, "1") == 0) {
        snprintf(r->problem, sizeof r->problem,
                 "drawn in paper space (on a layout's sheet, not in the drawing's coordinates)");
        f->problem = r->problem;
    } else if (!g && r->wkt_field >= 0 && !blank(r->values[r->wkt_field])) {
        /* GDAL gives WKT it cannot parse as no geometry (or as the error of
         * reading it as hex WKB next): it is not a feature without one */
        wkt_problem(r, f->fid, r->values[r->wkt_field]);
        f->problem = r->problem;
    } else if (!g && undecoded) {
        f->problem = r->problem; /* not a feature without geometry */
    } else if (g && !take_geometry(r, g, f)) {
        /* a DXF entity is found in AutoCAD by its handle */
        int h = strcmp(ccn_reader_driver(r), "DXF") == 0
                    ? ccn_reader_field_index(r, "EntityHandle") : -1;
        const char *handle = h >= 0 && r->values[h] ? r->values[h] : NULL;
        snprintf(err, nerr, "%s: feature %lld%s%s%s: unreadable geometry", r->path,
                 (long long)f->fid, handle ? " (handle " : "", handle ? handle : "",
                 handle ? ")" : "");
        rc = -1;
    }
done:
    loud();
    return rc;
}

/* Reading ahead: a thread of its own reads the features (GDAL's decoding
 * is most of an import's reading thread) into batches, each a copy of
 * AHEAD_FEATURES features in one byte arena; the caller takes them in order
 * through a small bounded queue and hands spent batches back for reuse. */
enum { AHEAD_FEATURES = 256, AHEAD_QUEUE = 4, AHEAD_SPARE = AHEAD_QUEUE + 2 };
#define AHEAD_NONE SIZE_MAX

typedef struct {
    int64_t fid;
    size_t wkb, wkb_len, problem, compound; /* offsets in the arena, or AHEAD_NONE */
} ahead_item;

typedef struct {
    ahead_item *items;
    size_t n, cap;
    size_t *slots;          /* n × nfields value offsets (AHEAD_NONE: null) */
    size_t slots_cap;
    unsigned char *bytes;   /* the arena */
    size_t used, bytes_cap;
    int after;              /* what follows the items: 1 more, 0 the end, -1 an error */
    char message[300];      /* the error */
} ahead_batch;

struct reader_ahead {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    ahead_batch queue[AHEAD_QUEUE];
    int head, count;
    ahead_batch spare[AHEAD_SPARE];
    int nspare;
    bool stop;
    ahead_batch cur;        /* the batch the caller reads from */
    size_t at;              /* its next item */
    bool have_cur;
    const char **values;    /* the caller's feature's values (nfields) */
};

static void ahead_batch_free(ahead_batch *b)
{
    free(b->items);
    free(b->slots);
    free(b->bytes);
    *b = (ahead_batch){0};
}

static size_t ahead_put(ahead_batch *b, const void *p, size_t n)
{
    if (!ccn_grow((void **)&b->bytes, &b->bytes_cap, b->used + n, 1))
        return AHEAD_NONE;
    memcpy(b->bytes + b->used, p, n);
    b->used += n;
    return b->used - n;
}

static bool ahead_copy(ahead_batch *b, const ccn_feature *f, int nfields)
{
    if (!ccn_grow((void **)&b->items, &b->cap, b->n + 1, sizeof *b->items) ||
        !ccn_grow((void **)&b->slots, &b->slots_cap, (b->n + 1) * (size_t)nfields,
                  sizeof *b->slots))
        return false;
    ahead_item *it = &b->items[b->n];
    *it = (ahead_item){f->fid, AHEAD_NONE, f->wkb_len, AHEAD_NONE, AHEAD_NONE};
    size_t *slot = b->slots + b->n * (size_t)nfields;
    for (int i = 0; i < nfields; i++) {
        slot[i] = AHEAD_NONE;
        if (f->values[i] && (slot[i] = ahead_put(b, f->values[i], strlen(f->values[i]) + 1)) ==
                                AHEAD_NONE)
            return false;
    }
    if (f->wkb && (it->wkb = ahead_put(b, f->wkb, f->wkb_len ? f->wkb_len : 1)) == AHEAD_NONE)
        return false;
    if (f->problem &&
        (it->problem = ahead_put(b, f->problem, strlen(f->problem) + 1)) == AHEAD_NONE)
        return false;
    if (f->compound && (it->compound = ahead_put(b, f->compound, (size_t)nfields)) == AHEAD_NONE)
        return false;
    b->n++;
    return true;
}

static void *ahead_main(void *arg)
{
    ccn_reader *r = arg;
    reader_ahead *a = r->ahead;
    for (;;) {
        ahead_batch b = {0};
        pthread_mutex_lock(&a->lock);
        if (a->nspare > 0)
            b = a->spare[--a->nspare];
        pthread_mutex_unlock(&a->lock);
        b.n = 0, b.used = 0, b.after = 1;
        while (b.n < AHEAD_FEATURES) {
            ccn_feature f;
            int rc = read_feature(r, &f, b.message, sizeof b.message);
            if (rc == 1 && !ahead_copy(&b, &f, r->nfields)) {
                snprintf(b.message, sizeof b.message, "%s: out of memory", r->path);
                rc = -1;
            }
            if (rc != 1) {
                b.after = rc;
                break;
            }
        }
        pthread_mutex_lock(&a->lock);
        while (a->count == AHEAD_QUEUE && !a->stop)
            pthread_cond_wait(&a->changed, &a->lock);
        bool stop = a->stop;
        if (!stop) {
            a->queue[(a->head + a->count) % AHEAD_QUEUE] = b;
            a->count++;
            pthread_cond_broadcast(&a->changed);
        }
        pthread_mutex_unlock(&a->lock);
        if (stop)
            ahead_batch_free(&b);
        if (stop || b.after != 1)
            return NULL;
    }
}

ccn_status ccn_reader_read_ahead(ccn_reader *r)
{
    if (r->ahead)
        return CCN_OK;
    reader_ahead *a = calloc(1, sizeof *a);
    const char **values = calloc((size_t)r->nfields + 1, sizeof *values);
    if (!a || !values) {
        free(a);
        free(values);
        return ccn_error(r->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    a->values = values;
    pthread_mutex_init(&a->lock, NULL);
    pthread_cond_init(&a->changed, NULL);
    r->ahead = a;
    if (pthread_create(&a->thread, NULL, ahead_main, r) != 0) {
        r->ahead = NULL;
        pthread_mutex_destroy(&a->lock);
        pthread_cond_destroy(&a->changed);
        free(a->values);
        free(a);
        /* not fatal: the features are read on the caller's thread */
    }
    return CCN_OK;
}

static void ahead_end(ccn_reader *r)
{
    reader_ahead *a = r->ahead;
    pthread_mutex_lock(&a->lock);
    a->stop = true;
    pthread_cond_broadcast(&a->changed);
    pthread_mutex_unlock(&a->lock);
    pthread_join(a->thread, NULL);
    for (int k = 0; k < a->count; k++)
        ahead_batch_free(&a->queue[(a->head + k) % AHEAD_QUEUE]);
    for (int k = 0; k < a->nspare; k++)
        ahead_batch_free(&a->spare[k]);
    ahead_batch_free(&a->cur);
    pthread_mutex_destroy(&a->lock);
    pthread_cond_destroy(&a->changed);
    free(a->values);
    free(a);
    r->ahead = NULL;
}

static int next_ahead(ccn_reader *r, ccn_feature *f)
{
    reader_ahead *a = r->ahead;
    memset(f, 0, sizeof *f);
    while (!a->have_cur || a->at == a->cur.n) {
        if (a->have_cur) {
            if (a->cur.after != 1) { /* the end, or the error, again on each call */
                if (a->cur.after < 0)
                    ccn_error(r->ctx, CCN_ERR_INPUT, "%s", a->cur.message);
                return a->cur.after;
            }
            pthread_mutex_lock(&a->lock);
            if (a->nspare < AHEAD_SPARE)
                a->spare[a->nspare++] = a->cur;
            else
                ahead_batch_free(&a->cur);
            a->cur = (ahead_batch){0};
            a->have_cur = false;
            pthread_mutex_unlock(&a->lock);
        }
        pthread_mutex_lock(&a->lock);
        while (a->count == 0)
            pthread_cond_wait(&a->changed, &a->lock);
        a->cur = a->queue[a->head];
        a->head = (a->head + 1) % AHEAD_QUEUE;
        a->count--;
        pthread_cond_broadcast(&a->changed);
        pthread_mutex_unlock(&a->lock);
        a->have_cur = true;
        a->at = 0;
    }
    const ahead_item *it = &a->cur.items[a->at];
    const size_t *slot = a->cur.slots + a->at * (size_t)r->nfields;
    a->at++;
    for (int i = 0; i < r->nfields; i++)
        a->values[i] = slot[i] == AHEAD_NONE ? NULL : (const char *)a->cur.bytes + slot[i];
    f->fid = it->fid;
    f->values = a->values;
    if (it->wkb != AHEAD_NONE)
        f->wkb = a->cur.bytes + it->wkb, f->wkb_len = it->wkb_len;
    if (it->problem != AHEAD_NONE)
        f->problem = (const char *)a->cur.bytes + it->problem;
    if (it->compound != AHEAD_NONE)
        f->compound = a->cur.bytes + it->compound;
    return 1;
}

int ccn_reader_next(ccn_reader *r, ccn_feature *f)
{
    if (r->ahead)
        return next_ahead(r, f);
    char err[300];
    int rc = read_feature(r, f, err, sizeof err);
    if (rc < 0)
        ccn_error(r->ctx, CCN_ERR_INPUT, "%s", err);
    return rc;
}

/* Writing: one new dataset with one layer, in one transaction where the
 * driver has them (GeoPackage), so 300,000 rows do not mean 300,000 commits. */
struct ccn_writer {
    ccn_ctx *ctx;          /* not owned */
    char *shown;           /* the file messages name */
    GDALDatasetH ds;
    OGRLayerH layer;       /* owned by ds */
    OGRFeatureDefnH defn;  /* owned by layer */
    int nfields;
    bool in_transaction;
    bool failed;           /* an add failed: the close reports it */
    bool replaced;         /* an existing file's layer of that name was dropped for ours */
    bool shapefile;        /* text fields hold SHAPEFILE_TEXT_MAX bytes */
};

enum { SHAPEFILE_TEXT_MAX = 254 }; /* the DBF's widest text field */

ccn_status ccn_writer_open(ccn_ctx *ctx, const char *path, const char *shown,
                           const char *driver_name, bool existing, const char *layer_name,
                           const char *srs_def, ccn_writer_geom geom, const ccn_field_def *fields,
                           int nfields, ccn_writer **out)
{
    *out = NULL;
    if (load_gdal(ctx))
        return CCN_ERR_INTERNAL;
    first_failure[0] = '\0';
    ccn_writer *w = calloc(1, sizeof *w);
    if (!w)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    w->ctx = ctx;
    w->shown = strdup(shown ? shown : path);
    w->nfields = nfields;
    ccn_status st = CCN_OK;
    OGRSpatialReferenceH srs = NULL;
    bool shapefile = strcmp(driver_name, "ESRI Shapefile") == 0;
    w->shapefile = shapefile;
    quiet();
    CPLErrorReset();
    GDALDriverH driver = GDALGetDriverByName(driver_name);
    if (!driver) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "GDAL has no '%s' driver", driver_name);
        goto done;
    }
    if (existing) {
        const char *drivers[] = {driver_name, NULL};
        w->ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
        if (!w->ds) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot open '%s' as %s: %s", w->shown,
                           driver_name, last_gdal_error());
            goto done;
        }
        /* Our layer is replaced; the others stay as they are. */
        for (int i = GDALDatasetGetLayerCount(w->ds) - 1; i >= 0; i--) {
            OGRLayerH l = GDALDatasetGetLayer(w->ds, i);
            if (!l || strcmp(OGR_L_GetName(l), layer_name) != 0)
                continue;
            if (GDALDatasetDeleteLayer(w->ds, i) != OGRERR_NONE) {
                st = ccn_error(ctx, CCN_ERR_INPUT, "cannot replace layer '%s' in '%s': %s",
                               layer_name, w->shown, last_gdal_error());
                goto done;
            }
            w->replaced = true;
        }
    } else {
        w->ds = GDALCreate(driver, path, 0, 0, 0, GDT_Unknown, NULL);
    }
    if (!w->ds) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot create '%s': %s", w->shown, last_gdal_error());
        goto done;
    }
    srs = OSRNewSpatialReference(NULL);
    if (OSRSetFromUserInput(srs, srs_def) != OGRERR_NONE) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "unknown CRS '%s'", srs_def);
        goto done;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    /* A shapefile says its encoding in a .cpg, which QGIS reads. */
    const char *shp_opts[] = {"ENCODING=UTF-8", NULL};
    /* A GeoPackage's feature id column is fid: a field of that name (the
     * findings' feature ids) would have to equal it, so the key is id. */
    const char *gpkg_opts[] = {"FID=id", NULL};
    bool field_fid = false;
    for (int i = 0; i < nfields; i++)
        field_fid |= strcasecmp(fields[i].name, "fid") == 0;
    char **opts = shapefile                                      ? (char **)shp_opts
                  : field_fid && strcmp(driver_name, "GPKG") == 0 ? (char **)gpkg_opts
                                                                 : NULL;
    w->layer = GDALDatasetCreateLayer(w->ds, layer_name, srs,
                                      geom == CCN_WRITER_POINT ? wkbPoint : wkbMultiPolygon, opts);
    if (!w->layer) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot create layer '%s' in '%s': %s", layer_name,
                       w->shown, last_gdal_error());
        goto done;
    }
    for (int i = 0; i < nfields; i++) {
        static const OGRFieldType types[] = {[CCN_FIELD_TEXT] = OFTString,
                                             [CCN_FIELD_INT] = OFTInteger64,
                                             [CCN_FIELD_REAL] = OFTReal,
                                             [CCN_FIELD_BOOL] = OFTInteger,
                                             [CCN_FIELD_DATE] = OFTDate};
        OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, types[fields[i].type]);
        if (fields[i].type == CCN_FIELD_BOOL)
            OGR_Fld_SetSubType(fd, OFSTBoolean);
        if (shapefile && fields[i].type == CCN_FIELD_TEXT)
            OGR_Fld_SetWidth(fd, SHAPEFILE_TEXT_MAX); /* Vietnamese text is long in UTF-8 */
        if (shapefile && fields[i].type == CCN_FIELD_REAL) {
            OGR_Fld_SetWidth(fd, 24);
            OGR_Fld_SetPrecision(fd, 6);
        }
        OGRErr err = OGR_L_CreateField(w->layer, fd, 1);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot create field '%s' in '%s': %s",
                           fields[i].name, w->shown, last_gdal_error());
            goto done;
        }
    }
    w->defn = OGR_L_GetLayerDefn(w->layer);
    for (int i = 0; i < nfields && i < OGR_FD_GetFieldCount(w->defn); i++) {
        const char *got = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(w->defn, i));
        if (strcmp(got, fields[i].name) != 0) /* the DBF's 10 characters */
            ccn_warn(ctx, "field '%s' is named '%s' in the %s (its names are limited)",
                     fields[i].name, got, shapefile ? "shapefile" : driver_name);
    }
    if (GDALDatasetTestCapability(w->ds, ODsCTransactions) &&
        GDALDatasetStartTransaction(w->ds, 0) == OGRERR_NONE)
        w->in_transaction = true;
done:
    if (srs)
        OSRDestroySpatialReference(srs);
    loud();
    if (st) {
        w->failed = true;
        ccn_writer_close(w);
        return st;
    }
    *out = w;
    return CCN_OK;
}

bool ccn_writer_replaced(const ccn_writer *w) { return w->replaced; }

ccn_status ccn_writer_add(ccn_writer *w, int64_t fid, const unsigned char *wkb, size_t wkb_len,
                          const char *const *values)
{
    ccn_status st = CCN_OK;
    OGRGeometryH g = NULL;
    quiet();
    CPLErrorReset();
    OGRFeatureH f = OGR_F_Create(w->defn);
    OGR_F_SetFID(f, fid);
    for (int i = 0; i < w->nfields; i++)
        /* GDAL cuts longer text to the field's width with a warning (in the
         * middle of a letter, as like as not): refused, not cut */
        if (w->shapefile && values[i] && strlen(values[i]) > SHAPEFILE_TEXT_MAX &&
            OGR_Fld_GetType(OGR_FD_GetFieldDefn(w->defn, i)) == OFTString) {
            st = ccn_error(w->ctx, CCN_ERR_INPUT,
                           "%s: fid %lld: field '%s' holds %zu bytes of text, more than a "
                           "shapefile's %d: it would be cut short (export as GeoPackage, .gpkg, "
                           "to keep it whole)",
                           w->shown, (long long)fid,
                           OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(w->defn, i)), strlen(values[i]),
                           SHAPEFILE_TEXT_MAX);
            goto done;
        } else if (values[i])
            OGR_F_SetFieldString(f, i, values[i]);
        else
            OGR_F_SetFieldNull(f, i);
    if (wkb) {
        if (OGR_G_CreateFromWkbEx(wkb, NULL, &g, wkb_len) != OGRERR_NONE) {
            st = ccn_error(w->ctx, CCN_ERR_INTERNAL, "feature %lld: unreadable WKB", (long long)fid);
            goto done;
        }
        /* Keep the layer's type: a stray Polygon becomes a MultiPolygon. */
        if (wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon)
            g = OGR_G_ForceToMultiPolygon(g);
        OGR_F_SetGeometryDirectly(f, g);
        g = NULL;
    }
    if (OGR_L_CreateFeature(w->layer, f) != OGRERR_NONE)
        st = ccn_error(w->ctx, CCN_ERR_INPUT, "%s: cannot write feature %lld: %s", w->shown,
                       (long long)fid, last_gdal_error());
done:
    if (g)
        OGR_G_DestroyGeometry(g);
    OGR_F_Destroy(f);
    loud();
    if (st)
        w->failed = true;
    return st;
}

ccn_status ccn_writer_close(ccn_writer *w)
{
    if (!w)
        return CCN_OK;
    ccn_status st = CCN_OK;
    quiet();
    CPLErrorReset();
    if (w->in_transaction && !w->failed &&
        GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
        st = ccn_error(w->ctx, CCN_ERR_INPUT, "%s: cannot commit: %s", w->shown,
                       last_gdal_error());
    else if (w->in_transaction && w->failed)
        GDALDatasetRollbackTransaction(w->ds);
    if (w->ds)
        GDALClose(w->ds); /* void in GDAL 3.6: its failure is the last error */
    if (w->ds && CPLGetLastErrorType() >= CE_Failure && !st)
        st = ccn_error(w->ctx, CCN_ERR_INPUT, "%s: cannot finish writing: %s", w->shown,
                       first_failure[0] ? first_failure : last_gdal_error());
    loud();
    if (w->failed && !st)
        st = CCN_ERR_INPUT; /* the add that failed left its message */
    free(w->shown);
    free(w);
    return st;
}
