/* import — one source layer into one workspace table, in one transaction.
 *
 * The work per feature: transcode its text, map its fields, turn its
 * geometry into a polygon (or a point for markers), transform it into the
 * workspace CRS, check that it lands in Vietnam, and insert it. Features
 * that cannot be taken are refused with a reason; the first few reasons are
 * named in the error. Clusters are different: their rows exist already (the
 * registry from gis/clusters.csv), so an import sets their boundary. */
#include "import.h"

#include "collate.h"
#include "crs.h"
#include "district.h"
#include "geom.h"
#include "date.h"
#include "grow.h"
#include "normalise.h"
#include "outtext.h"
#include "qgisstyle.h"
#include "layerio.h"
#include "sha256.h"
#include "textenc.h"

#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

enum {
    MAX_TARGETS = 6,
    MAX_REASONS = 5,
    BULK_ROWS = 5000, /* above this, the spatial index is rebuilt once at the end */
    HANDLE_MAX = 17,  /* a DXF entity handle: up to 16 hex digits */
    HANDLES_MAX_FID = 50000000, /* fids beyond are not noted (GDAL numbers DXF's from 0) */
};

/* A target column and the source names it is found under, best first. */
typedef struct {
    const char *target;
    const char *sources[10];
    bool required;
} field_rule;

typedef struct {
    const char *name, *table;
    field_rule fields[MAX_TARGETS];
} role_rule;

static const role_rule roles[] = {
    [CCN_ROLE_CLUSTERS] = {"clusters", "clusters",
                           {{"code", {"code", "ma", "ma_ccn", "macum", "kyhieu", "ky_hieu", "layer"}},
                            {"name", {"name", "ten", "ten_ccn", "tencum", "text"}}}},
    [CCN_ROLE_LOTS] = {"lots", "lots",
                       {{"cluster", {"cluster", "ma_ccn", "macum", "ccn", "cum"}, true},
                        {"lot_no", {"lot_no", "lot", "so_lo", "solo", "ma_lo", "kyhieu", "ky_hieu", "name", "ten"}, true},
                        {"use", {"use", "chuc_nang", "chucnang", "loai", "function"}}}},
    [CCN_ROLE_PARCELS] = {"parcels", "parcels",
                          {{"commune", {"commune", "MaXa", "ma_xa"}, true},
                           {"sheet", {"sheet", "SoHieuToBanDo", "SHBANDO", "SOTO", "so_to"}, true},
                           {"parcel_no", {"parcel_no", "SoThuTuThua", "SHTHUA", "SOTHUA", "so_thua"}, true},
                           {"landuse", {"landuse", "KyHieuMucDichSuDung", "LOAIDAT", "MDSD", "MucDich"}},
                           {"owner", {"owner", "TENCHU", "CHUSDD", "ChuSuDung"}},
                           {"area_legal", {"area_legal", "DienTichPhapLy", "DienTich"}}}},
    [CCN_ROLE_PLAN] = {"plan", "plan",
                       {{"landuse", {"landuse", "plan_code", "MaQH", "KyHieuMucDichSuDung", "KyHieuMucDich", "LOAIDAT", "MDSD", "code", "ma"}, true}}},
    [CCN_ROLE_COMMUNES] = {"communes", "communes",
                           {{"code", {"code", "MaXa", "ma_xa", "ma"}},
                            {"name", {"name", "TenXa", "ten_xa", "ten"}}}},
    [CCN_ROLE_MARKERS] = {"markers", "markers",
                          {{"cluster", {"cluster", "ma_ccn", "ccn", "cum"}, true},
                           {"marker", {"marker", "moc", "ten_moc", "so_moc", "so_hieu", "id", "name"}, true},
                           {"x", {"x"}},
                           {"y", {"y"}}}},
};

enum { CLUSTER_CODE = 0, CLUSTER_NAME = 1 };
enum { LOT_CLUSTER = 0, LOT_NO = 1, LOT_USE = 2 };
enum { MARKER_CLUSTER = 0, MARKER_ID = 1, MARKER_X = 2, MARKER_Y = 3 };

bool ccn_import_parse_role(const char *name, ccn_role *out)
{
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (strcmp(name, roles[i].name) == 0) {
            *out = (ccn_role)i;
            return true;
        }
    return false;
}

const char *ccn_import_role_name(ccn_role role) { return roles[role].name; }

/* A registry row of clusters, for matching boundaries and lots to it. */
typedef struct {
    char *code, *folded_name; /* folded_name: name_key() of the registry name */
    GEOSGeometry *geom;   /* boundary parts gathered by this import (boundary_of) */
    GEOSGeometry **parts; /* the parts as gathered (nparts of them), made one once */
    size_t nparts, parts_cap;
    int features;         /* the features they came from */
    int64_t *fids;        /* their numbers (nfids of them), to name when it is refused */
    size_t nfids, fids_cap;
    int64_t part_refused; /* the first of its features the import refused, -1 if none: a
                             boundary is stored whole or not at all (write_clusters) */
    int64_t *markers;     /* a boundary drawn through a marker table: its rows' fids */
    size_t nmarkers, markers_cap;
    char *rows;           /* the same as the table's rows ("2–5"), for messages; NULL if none */
    bool had_geom;        /* already had a boundary before this import */
    bool refused;         /* the database refused the boundary (boundary_refused) */
} cluster_entry;

/* What normalising one taken feature counted (its share of run->normal),
 * and whether it is one of the features said at the end (parts dropped
 * beside its polygons, 0 as its area on record), kept in case the database
 * refuses it after it was taken (the rows go in while later features are
 * read, and keys and boundaries are settled at the end): the summary counts
 * stored features only. Features with none of these have no share. */
typedef struct {
    int64_t fid;
    int64_t features, repeats, closed, invalid;
    int64_t dropped, zero; /* 1 if counted in run->parts_dropped, run->zero_area */
} normal_share;

/* A growing list of distinct strings (land-use codes). */
typedef struct {
    char **v;
    size_t n, cap;
} code_list;

static bool code_list_has(const code_list *l, const char *code)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], code) == 0)
            return true;
    return false;
}

static int by_code(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A list sorted once it is complete (code_list_sort), searched by halves:
 * the known codes are looked up once per feature. */
static void code_list_sort(code_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, by_code);
}

static bool code_list_has_sorted(const code_list *l, const char *code)
{
    return l->n > 0 && bsearch(&code, l->v, l->n, sizeof *l->v, by_code) != NULL;
}

static bool code_list_add(code_list *l, const char *code)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return false;
        l->v = v, l->cap = cap;
    }
    return (l->v[l->n] = strdup(code)) != NULL && ++l->n;
}

static void code_list_free(code_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* A key of DUPLICATE_ID's (warn_doubled_keys): texts by their number in an
 * `interned`, numbers as they are. */
typedef struct {
    int64_t k[3];
    int64_t order;  /* the keys are said in this order: the file's by feature */
    int64_t src;    /* the file's feature */
    int64_t fid;    /* a stored row's fid; -1 for the file's features */
    int64_t shown;  /* the key as stored, in the texts; -1: from k (parcels) */
} key_row;

/* Texts numbered as they come, the same text the same number. */
typedef struct {
    char *text;      /* the texts, NUL after each */
    size_t used, cap;
    struct {
        uint64_t hash;
        size_t at;   /* in text; SIZE_MAX: free */
    } *slot;
    size_t nslots, count; /* nslots a power of 2, at most half full */
} interned;

/* Everything one import run holds; freed in one place. */
typedef struct {
    ccn_store *store;
    ccn_ctx *ctx;
    GEOSContextHandle_t h;
    const ccn_import_options *opt;
    const role_rule *rule;
    ccn_role role;
    ccn_reader *reader;
    ccn_encoding enc;
    bool transcode;
    bool raw_utf8;                 /* read the file's bytes, as UTF-8 (not GDAL's decoding) */
    bool cpg_declared;             /* enc is what the shapefile's .cpg says */
    char cpg[64];                  /* the .cpg's name for it ("1258") */
    int src[MAX_TARGETS];          /* source field index per target, -1 if absent */
    char *values[MAX_TARGETS];     /* the current feature's UTF-8 text per target */
    ccn_transform *to_ws;          /* source -> workspace */
    ccn_transform *to_lonlat;      /* workspace -> WGS 84, for the Vietnam test */
    bool src_geographic, table_mode;
    double lon0;                   /* workspace central meridian, degrees; NAN if not TM */
    double meridian_max;           /* warn beyond this distance from lon0, degrees */
    double overlap_min_m2;         /* a cluster's parts overlapping by more are said */
    double held[4];                /* the box of the clusters, plan and communes there before */
    double landed[4];              /* the box of the features' centres, in the workspace CRS */
    double as_read[4];             /* the same in the file's CRS, when it is another */
    ccn_crs_area ws_area;          /* where the workspace CRS is meant to be used */
    const char *src_crs;           /* the source CRS as given or read */
    char *user_crs;                /* --s-srs as PROJ reads it (ccn_crs_from_user) */
    ccn_transform *src_to_lonlat;  /* source -> WGS 84, for the swapped-axes hint; made when needed */
    cluster_entry *clusters;
    size_t nclusters;
    ccn_stmt *insert;
    char reasons[MAX_REASONS][400]; /* room for a database's message behind its URI */
    int64_t nreasons;               /* reasons given, kept or not: the refusals and the
                                       boundaries they took along */
    ccn_import_result *res;
    const char *file_text;         /* the file's name as stored: a name in a legacy code
                                      page (a zip from Vietnamese Windows) as UTF-8, its
                                      odd bytes U+FFFD (PostgreSQL refused it, SQLite kept
                                      it ill-formed) */
    char *file_scratch;            /* file_text's copy, when it needed one */
    int64_t seq;                   /* marker order within the file */
    bool bad_text;                 /* some text did not decode */
    bool replacing;                /* --replace or --replace-all */
    bool unmatched;                /* a cluster feature was refused that names no known
                                      cluster: under --replace-all it may be any absent one's */
    int64_t max_fid;               /* the table's last fid before this import: older rows are
                                      the stored ones, newer ones this import's */
    ccn_status fatal;              /* set by take_values, store_feature: refuse the whole file */
    code_list known, unknown;      /* land-use codes of gis/landuse.csv; codes not in it */
    int64_t unknown_features;      /* features whose code is not in gis/landuse.csv */
    code_list read_as;             /* "ĐTL → DTL": codes typed with Vietnamese letters */
    code_list communes;            /* commune codes of gis/communes.csv, sorted */
    code_list commune_as;          /* "015940 → 15940": codes read as the registry writes them */
    int64_t read_as_features;      /* features whose code was read so */
    int64_t parts_dropped;         /* features whose points or lines beside polygons were left */
    int64_t zero_area;             /* parcels stored without the area on record 0 they gave */
    int64_t stored_already;        /* --skip-bad: features refused as their key is stored */
    ccn_normalise_counts normal;   /* what normalising the stored polygons changed */
    normal_share *shares;          /* each taken feature's share of it, in read order */
    size_t nshares, shares_cap;
    bool shares_unsorted;          /* fids not read in increasing order: searched one by one */
    unsigned char *fast_wkb;       /* the feature's WKB when taken as it is (take_as_is) */
    size_t fast_cap;
    struct known_cell *cells;      /* AREA_CELLS cells proven inside (see certainly_inside) */
    int handle_field;              /* a DXF's EntityHandle field; -1 for other formats */
    char (*handles)[HANDLE_MAX];   /* DXF: each feature's entity handle, by fid ("": none) */
    size_t nhandles, handles_cap;
    key_row *keys;                 /* parcels: each stored feature's key, as bound */
    size_t nkeys, keys_cap;
    interned key_texts;            /* their communes (lots: their keys, warn_doubled_keys) */
    int64_t last_commune;          /* the commune of the parcel before, in key_texts; -1 */
    int64_t *gone;                 /* features keyed, then taken out (the database refused
                                      them, or their key was stored already) */
    size_t ngone, gone_cap;
} import_run;

/* A DXF feature's entity handle, noted by fid as the features are read:
 * messages name it (handle_of), and some come after the feature is gone. */
static void note_handle(import_run *run, int64_t fid, const char *handle)
{
    if (fid < 0 || fid >= HANDLES_MAX_FID || !handle)
        return;
    size_t need = (size_t)fid + 1;
    if (need > run->nhandles) {
        if (!ccn_grow((void **)&run->handles, &run->handles_cap, need, HANDLE_MAX))
            return; /* named by its number only */
        memset(run->handles[run->nhandles], 0, (need - run->nhandles) * HANDLE_MAX);
        run->nhandles = need;
    }
    snprintf(run->handles[fid], HANDLE_MAX, "%s", handle);
}

/* How a message names a feature after its number: " (handle 2A3)" for a
 * DXF entity (AutoCAD finds it by its handle, not by GDAL's number), else
 * "". Into buf, returned. */
/* The number a message gives a feature: GDAL's, or in a table the row as a
 * spreadsheet numbers it (the header row 1), as refusals name it. */
static long long item_no(const import_run *run, int64_t fid)
{
    return run->table_mode ? (long long)fid + 1 : (long long)fid;
}

static const char *handle_of(const import_run *run, int64_t fid, char buf[HANDLE_MAX + 16])
{
    buf[0] = '\0';
    if (fid >= 0 && (size_t)fid < run->nhandles && run->handles[fid][0])
        snprintf(buf, HANDLE_MAX + 16, " (handle %s)", run->handles[fid]);
    return buf;
}

/* Count a refusal; the first few are kept with who is refused ("feature 3
 * (handle 2A3)", "the markers of cluster HT (rows 2–5)") and why. */
static void refuse_named(import_run *run, const char *who, bool count, const char *fmt,
                         va_list ap)
{
    if (run->nreasons < MAX_REASONS) {
        char *reason = run->reasons[run->nreasons];
        int n = snprintf(reason, sizeof run->reasons[0], "%s: ", who);
        if (n > 0 && (size_t)n < sizeof run->reasons[0])
            ccn_outtext_vformat(reason + n, sizeof run->reasons[0] - (size_t)n, fmt, ap);
    }
    run->nreasons++;
    run->res->refused += count;
}

static void refuse(import_run *run, int64_t fid, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void refuse(import_run *run, int64_t fid, const char *fmt, ...)
{
    char who[64], h[HANDLE_MAX + 16];
    if (run->table_mode) /* a table's row as a spreadsheet numbers it (header row 1) */
        snprintf(who, sizeof who, "row %lld", (long long)fid + 1);
    else
        snprintf(who, sizeof who, "feature %lld%s", (long long)fid, handle_of(run, fid, h));
    va_list ap;
    va_start(ap, fmt);
    refuse_named(run, who, true, fmt, ap);
    va_end(ap);
}

/* A feature whose cluster code names no cluster: an empty one is said as
 * missing ("unknown cluster ''" read as a cluster of that name). */
static void refuse_cluster(import_run *run, int64_t fid, const char *code)
{
    if (code && *code)
        refuse(run, fid, "unknown cluster '%s'", code);
    else
        refuse(run, fid, "no cluster code");
}

static void refuse_as(import_run *run, const char *who, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A feature refused that has no number of its own to be named by. */
static void refuse_as(import_run *run, const char *who, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    refuse_named(run, who, true, fmt, ap);
    va_end(ap);
}

/* How a message names the part fid of cluster e's boundary: the feature
 * (and its handle), or, for a boundary drawn through a marker table, its
 * markers' rows as a spreadsheet numbers them (no feature 0 of GDAL's to
 * look for). Into buf, returned. */
static const char *part_name(const import_run *run, const cluster_entry *e, int64_t fid,
                             char *buf, size_t n)
{
    char h[HANDLE_MAX + 16];
    if (e->rows)
        snprintf(buf, n, "the markers of cluster %s (rows %s)", e->code, e->rows);
    else
        snprintf(buf, n, "feature %lld%s", (long long)fid, handle_of(run, fid, h));
    return buf;
}

static void refuse_part(import_run *run, const cluster_entry *e, int64_t fid, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));

static void refuse_part(import_run *run, const cluster_entry *e, int64_t fid, const char *fmt, ...)
{
    char who[200];
    va_list ap;
    va_start(ap, fmt);
    refuse_named(run, part_name(run, e, fid, who, sizeof who), true, fmt, ap);
    va_end(ap);
}

/* Why a boundary drawn through a marker table is refused with one of its
 * rows: said, not counted again (the row is the refused feature). */
static void refuse_markers(import_run *run, const cluster_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void refuse_markers(import_run *run, const cluster_entry *e, const char *fmt, ...)
{
    char who[200];
    va_list ap;
    va_start(ap, fmt);
    refuse_named(run, part_name(run, e, 0, who, sizeof who), false, fmt, ap);
    va_end(ap);
}

static bool add_share(import_run *run, const normal_share *d)
{
    if (!ccn_grow((void **)&run->shares, &run->shares_cap, run->nshares + 1, sizeof *run->shares))
        return false;
    if (run->nshares > 0 && run->shares[run->nshares - 1].fid >= d->fid)
        run->shares_unsorted = true;
    run->shares[run->nshares++] = *d;
    return true;
}

/* Note the share of run->normal and run->parts_dropped that feature fid
 * added since before, dropped_before. */
static bool note_share(import_run *run, int64_t fid, const ccn_normalise_counts *before,
                       int64_t dropped_before)
{
    normal_share d = {fid, run->normal.features - before->features,
                      run->normal.repeats - before->repeats, run->normal.closed - before->closed,
                      run->normal.invalid - before->invalid, run->parts_dropped - dropped_before,
                      0};
    if (!d.features && !d.repeats && !d.closed && !d.invalid && !d.dropped)
        return true;
    return add_share(run, &d);
}

/* A parcel about to be stored gives 0 as its area on record: counted, and
 * noted with its share (made now when it has none: taken as it is). */
static bool note_zero_area(import_run *run, int64_t fid)
{
    run->zero_area++;
    if (run->nshares > 0 && run->shares[run->nshares - 1].fid == fid) {
        run->shares[run->nshares - 1].zero = 1;
        return true;
    }
    normal_share d = {.fid = fid, .zero = 1};
    return add_share(run, &d);
}

/* The first feature, in read order, still counted among the parcels giving
 * 0 as their area (zero) or else among those with parts dropped; -1 if none. */
static int64_t first_noted(const import_run *run, bool zero)
{
    for (size_t i = 0; i < run->nshares; i++)
        if (zero ? run->shares[i].zero : run->shares[i].dropped)
            return run->shares[i].fid;
    return -1;
}

static int by_share_fid(const void *key, const void *elem)
{
    int64_t a = *(const int64_t *)key, b = ((const normal_share *)elem)->fid;
    return (a > b) - (a < b);
}

/* A feature taken, then refused by the database: its share of what
 * normalising counted, and of the features said at the end, comes out
 * again (once). */
static void unnote_share(import_run *run, int64_t fid)
{
    normal_share *d = NULL;
    if (run->nshares == 0) /* nothing noted (bsearch may not be given NULL) */
        return;
    if (!run->shares_unsorted)
        d = bsearch(&fid, run->shares, run->nshares, sizeof *run->shares, by_share_fid);
    for (size_t i = 0; !d && run->shares_unsorted && i < run->nshares; i++)
        if (run->shares[i].fid == fid)
            d = &run->shares[i];
    if (!d)
        return;
    run->normal.features -= d->features, run->normal.repeats -= d->repeats;
    run->normal.closed -= d->closed, run->normal.invalid -= d->invalid;
    run->parts_dropped -= d->dropped, run->zero_area -= d->zero;
    d->features = d->repeats = d->closed = d->invalid = d->dropped = d->zero = 0;
}

static ccn_status map_fields(import_run *run)
{
    const role_rule *rule = run->rule;
    const char *file = run->opt->file;
    for (int t = 0; t < MAX_TARGETS && rule->fields[t].target; t++) {
        run->src[t] = -1;
        for (int k = 0; k < 10 && rule->fields[t].sources[k] && run->src[t] < 0; k++)
            run->src[t] = ccn_reader_field_index(run->reader, rule->fields[t].sources[k]);
    }
    for (size_t i = 0; i < run->opt->nfields; i++) {
        const char *spec = run->opt->fields[i];
        const char *eq = strchr(spec, '=');
        if (!eq || eq == spec || !eq[1])
            return ccn_error(run->ctx, CCN_ERR_INPUT, "--field '%s': expected TARGET=SOURCE", spec);
        int t = 0;
        for (; t < MAX_TARGETS && rule->fields[t].target; t++)
            if (strlen(rule->fields[t].target) == (size_t)(eq - spec) &&
                strncmp(rule->fields[t].target, spec, (size_t)(eq - spec)) == 0)
                break;
        if (t == MAX_TARGETS || !rule->fields[t].target) {
            char known[160] = "";
            for (int k = 0; k < MAX_TARGETS && rule->fields[k].target; k++)
                snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s",
                         k ? ", " : "", rule->fields[k].target);
            return ccn_error(run->ctx, CCN_ERR_INPUT,
                             "--field '%s': '%.*s' is not a field of %s (known: %s)", spec,
                             (int)(eq - spec), spec, rule->name, known);
        }
        run->src[t] = ccn_reader_field_index(run->reader, eq + 1);
        if (run->src[t] < 0)
            return ccn_error(run->ctx, CCN_ERR_INPUT, "%s: --field '%s': the layer has no field '%s'",
                             file, spec, eq + 1);
    }
    if (run->table_mode && (run->src[MARKER_X] < 0 || run->src[MARKER_Y] < 0))
        return ccn_error(run->ctx, CCN_ERR_INPUT, "%s: a marker table needs X and Y columns", file);
    for (int t = 0; t < MAX_TARGETS && rule->fields[t].target; t++) {
        bool needed = rule->fields[t].required ||
                      (run->role == CCN_ROLE_CLUSTERS && t == CLUSTER_CODE &&
                       run->src[CLUSTER_NAME] < 0);
        if (needed && run->src[t] < 0) {
            char have[400] = "";
            for (int k = 0; k < ccn_reader_field_count(run->reader); k++)
                snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", k ? ", " : "",
                         ccn_reader_field_name(run->reader, k));
            return ccn_error(run->ctx, CCN_ERR_INPUT,
                             "%s: no field for '%s' (tried %s…; the layer has: %s); name it with "
                             "--field %s=SOURCE",
                             file, rule->fields[t].target, rule->fields[t].sources[0],
                             *have ? have : "no fields", rule->fields[t].target);
        }
    }
    /* A CSV with a column given twice (X, Y, X): GDAL keeps both, and the
     * first was read without a word of the other. */
    for (int t = 0; t < MAX_TARGETS && rule->fields[t].target; t++) {
        if (run->src[t] < 0)
            continue;
        const char *name = ccn_reader_field_name(run->reader, run->src[t]);
        for (int k = 0; k < ccn_reader_field_count(run->reader); k++)
            if (k != run->src[t] && strcasecmp(ccn_reader_field_name(run->reader, k), name) == 0)
                return ccn_error(run->ctx, CCN_ERR_INPUT,
                                 "%s: the layer has two fields named '%s' (columns %d and %d): "
                                 "which one is meant is not known (rename or remove one)",
                                 file, name, (run->src[t] < k ? run->src[t] : k) + 1,
                                 (run->src[t] < k ? k : run->src[t]) + 1);
    }
    return CCN_OK;
}

/* --encoding TCVN3 (VNI, CP1258) on text that is already UTF-8 would store
 * it garbled ("Cà Mau" as "CẪ  Mau"): the whole file is refused. */
static void refuse_utf8_as_legacy(import_run *run, const ccn_feature *f, int t, const char *raw,
                                  size_t n)
{
    char *garbled = ccn_textenc_to_utf8(run->enc, raw, n);
    const char *enc = ccn_textenc_name(run->enc);
    char h[HANDLE_MAX + 16];
    if (run->cpg_declared)
        run->fatal = ccn_error(run->ctx, CCN_ERR_INPUT,
                               "%s: feature %lld%s: field '%s' is already UTF-8 text ('%.*s'); read "
                               "as its .cpg says (%s) it would be stored garbled%s%s%s: pass "
                               "--encoding UTF-8",
                               run->opt->file, item_no(run, f->fid), handle_of(run, f->fid, h),
                               ccn_reader_field_name(run->reader, run->src[t]),
                               (int)(n > 60 ? 60 : n), raw, run->cpg, garbled ? " ('" : "",
                               garbled ? garbled : "", garbled ? "')" : "");
    else
        run->fatal = ccn_error(
            run->ctx, CCN_ERR_INPUT,
            run->table_mode ? "%s: row %lld%s: field '%s' is already UTF-8 text ('%.*s'); read as "
                              "%s it would be stored garbled%s%s%s: drop --encoding %s"
                            : "%s: feature %lld%s: field '%s' is already UTF-8 text ('%.*s'); "
                              "read as %s it would be stored garbled%s%s%s: drop --encoding %s",
            run->opt->file, item_no(run, f->fid), handle_of(run, f->fid, h),
            ccn_reader_field_name(run->reader, run->src[t]), (int)(n > 60 ? 60 : n), raw, enc,
            garbled ? " ('" : "", garbled ? garbled : "", garbled ? "')" : "", enc);
    free(garbled);
}

/* Load the current feature's mapped text as UTF-8; false if undecodable. */
static bool take_values(import_run *run, const ccn_feature *f)
{
    /* Refused at the first bad field, the others still decoded where they
     * can be: a refused cluster part is known by its code or name
     * (note_part_refused), so its cluster keeps the boundary it had. */
    bool refused = false;
    for (int t = 0; t < MAX_TARGETS; t++) {
        free(run->values[t]);
        run->values[t] = NULL;
        if (!run->rule->fields[t].target || run->src[t] < 0)
            continue;
        const char *raw = f->values[run->src[t]];
        if (!raw)
            continue;
        while (isspace((unsigned char)*raw))
            raw++;
        size_t n = strlen(raw);
        while (n > 0 && isspace((unsigned char)raw[n - 1]))
            n--;
        if (n == 0)
            continue;
        /* a GeoJSON property that is an object or a list ({"code": "SKN"})
         * was stored as its JSON text, a plan code '{ "CODE": "SKN" }' */
        if (f->compound && f->compound[run->src[t]]) {
            const char *field = ccn_reader_field_name(run->reader, run->src[t]);
            if (refused)
                ;
            else if (f->compound[run->src[t]] == CCN_VALUE_TWICE)
                refuse(run, f->fid, "field '%s' is given twice, with different values (%.60s): "
                       "which is meant is not known", field, raw);
            else
                refuse(run, f->fid, "field '%s' holds a list or an object ('%.60s'), not one value",
                       field, raw);
            refused = true;
            continue;
        }
        if (run->transcode && ccn_textenc_is_utf8_latin(raw, n)) {
            if (!refused)
                refuse_utf8_as_legacy(run, f, t, raw, n);
            refused = true;
            continue;
        }
        run->values[t] = ccn_textenc_to_utf8(run->transcode ? run->enc : CCN_ENC_UTF8, raw, n);
        ccn_textenc_trim(run->values[t]); /* "SKN\u00a0" of a spreadsheet is SKN */
        if (run->values[t] && !*run->values[t]) {
            free(run->values[t]);
            run->values[t] = NULL;
            continue;
        }
        if (!run->values[t]) {
            if (!refused)
                refuse(run, f->fid, "field '%s' is not valid %s text",
                       ccn_reader_field_name(run->reader, run->src[t]),
                       ccn_textenc_name(run->enc));
            run->bad_text = true;
            refused = true;
        }
    }
    return !refused;
}

/* A cluster name reduced to what identifies it: folded to ASCII, generic
 * words ("cụm công nghiệp", "liên xã" …) and punctuation dropped, so that
 * "CCN liên xã Dân Lực - Dân Lý - Dân Quyền" and "Dân Lực – Dân Lý – Dân
 * Quyền" meet. Returns a malloc'd string, NULL if label does not fold. */
static char *name_key(const char *label)
{
    static const char *const generic[] = {"cum cong nghiep", "khu cong nghiep", "ccn", "kcn",
                                          "lien xa", "phan tren dia ban huyen"};
    char *folded = ccn_textenc_fold(label);
    if (!folded)
        return NULL;
    for (size_t g = 0; g < sizeof generic / sizeof *generic; g++) {
        size_t n = strlen(generic[g]);
        for (char *at = strstr(folded, generic[g]); at; at = strstr(at, generic[g])) {
            bool word = (at == folded || !isalnum((unsigned char)at[-1])) &&
                        !isalnum((unsigned char)at[n]);
            if (word)
                memset(at, ' ', n);
            at += n;
        }
    }
    char *w = folded;
    for (const char *r = folded; *r; r++)
        if (isalnum((unsigned char)*r))
            *w++ = *r;
    *w = '\0';
    return folded;
}

static int cluster_index(import_run *run, const char *code, const char *name)
{
    for (size_t i = 0; i < run->nclusters; i++)
        if (code && strcasecmp(code, run->clusters[i].code) == 0)
            return (int)i;
    const char *label = name ? name : code;
    char *key = label ? name_key(label) : NULL;
    int found = -1;
    for (size_t i = 0; key && *key && i < run->nclusters && found < 0; i++)
        if (strcmp(key, run->clusters[i].folded_name) == 0)
            found = (int)i;
    free(key);
    return found;
}

static ccn_status load_clusters(import_run *run)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(
        run->store, "SELECT code, name, geom IS NOT NULL FROM clusters ORDER BY code", &q);
    if (st)
        return st;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        cluster_entry *c = realloc(run->clusters, (run->nclusters + 1) * sizeof *c);
        if (!c) {
            ccn_stmt_free(q);
            return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        }
        run->clusters = c;
        c = &run->clusters[run->nclusters++];
        memset(c, 0, sizeof *c);
        c->code = strdup(ccn_stmt_text(q, 0));
        c->folded_name = name_key(ccn_stmt_text(q, 1) ? ccn_stmt_text(q, 1) : "");
        c->had_geom = ccn_stmt_int(q, 2) != 0;
        c->part_refused = -1;
    }
    ccn_stmt_free(q);
    if (rc < 0)
        return CCN_ERR_INTERNAL;
    if (run->nclusters == 0)
        return ccn_error(run->ctx, CCN_ERR_INPUT,
                         "%s: the workspace has no cluster registry (gis/clusters.csv)",
                         ccn_store_path(run->store));
    return CCN_OK;
}

enum { CLOSING_GAP_PARTS = 1000000000 }; /* see nearly_closed */

/* Is the line closed, or nearly: its ends closer than a billionth of its
 * size (the larger side of its envelope; 0.1 µm for a 100 m parcel)? GDAL
 * turns a DXF polyline's bulges (arcs) into points, and the last point of an
 * arc on the closing segment may miss the first by rounding (1e-10 m seen);
 * a surveyor's gap is millions of times larger and keeps the line open. */
static bool nearly_closed(GEOSContextHandle_t h, const GEOSGeometry *line)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, line);
    unsigned n = 0;
    double x0, y0, x1, y1, xmin, ymin, xmax, ymax;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4 ||
        !GEOSCoordSeq_getXY_r(h, seq, 0, &x0, &y0) ||
        !GEOSCoordSeq_getXY_r(h, seq, n - 1, &x1, &y1) ||
        !GEOSGeom_getExtent_r(h, line, &xmin, &ymin, &xmax, &ymax))
        return false;
    double size = fmax(xmax - xmin, ymax - ymin);
    return hypot(x1 - x0, y1 - y0) <= size / CLOSING_GAP_PARTS;
}

/* A closed line (DXF polyline) as a polygon; NULL if g is not closed rings.
 * A nearly closed line (see nearly_closed) is closed on its first point. */
static GEOSGeometry *close_lines(import_run *run, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = run->h;
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **polys = calloc((size_t)n, sizeof *polys);
    int k = 0;
    for (int i = 0; polys && i < n; i++) {
        const GEOSGeometry *line = GEOSGetGeometryN_r(h, g, i);
        if (GEOSGeomTypeId_r(h, line) != GEOS_LINESTRING || !nearly_closed(h, line))
            break;
        GEOSCoordSequence *seq = GEOSCoordSeq_clone_r(h, GEOSGeom_getCoordSeq_r(h, line));
        unsigned last = (unsigned)GEOSGetNumCoordinates_r(h, line) - 1;
        double x0, y0;
        GEOSCoordSeq_getXY_r(h, seq, 0, &x0, &y0);
        GEOSCoordSeq_setXY_r(h, seq, last, x0, y0);
        GEOSGeometry *ring = GEOSGeom_createLinearRing_r(h, seq);
        polys[k++] = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
        if (!polys[k - 1])
            break;
    }
    GEOSGeometry *out = NULL;
    if (k == n && n > 0)
        out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)n);
    else
        for (int i = 0; i < k; i++)
            if (polys[i])
                GEOSGeom_destroy_r(h, polys[i]);
    free(polys);
    return out;
}

/* What g is, for "… where a point (a polygon) is needed". */
static const char *type_word(GEOSContextHandle_t h, const GEOSGeometry *g, bool want_point)
{
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT: return "a point";
    case GEOS_MULTIPOINT: return GEOSGetNumGeometries_r(h, g) > 1 ? "several points" : "a point";
    case GEOS_LINESTRING: case GEOS_MULTILINESTRING: case GEOS_LINEARRING: return "an open line";
    case GEOS_POLYGON: case GEOS_MULTIPOLYGON: return "a polygon";
    default: return want_point ? "a collection" : "not a polygon";
    }
}

typedef enum { TAKEN, REFUSED, WRONG_KIND, FATAL } take_outcome;

/* Features farther than this (metres) from the clusters, plan and communes
 * a workspace holds are said: a file in the neighbouring VN-2000 zone lands
 * about 50 km off, while one district's clusters lie up to some 15 km apart
 * (Thọ Ngọc 10.5 km from the others' box). */
enum { FAR_AWAY_M = 20000 };
enum { AREA_MARGIN_DEG = 1 }; /* data a little beyond the area of use is still plausible */

static bool in_ws_area(const import_run *run, double lon, double lat)
{
    return ccn_crs_area_contains(&run->ws_area, AREA_MARGIN_DEG, lon, lat);
}

/* Boxes as xmin, ymin, xmax, ymax; empty: xmin > xmax. */
static void box_clear(double b[4])
{
    b[0] = b[1] = INFINITY;
    b[2] = b[3] = -INFINITY;
}

static void box_add(double b[4], const double xy[2])
{
    if (!isfinite(xy[0]) || !isfinite(xy[1]))
        return;
    b[0] = fmin(b[0], xy[0]), b[1] = fmin(b[1], xy[1]);
    b[2] = fmax(b[2], xy[0]), b[3] = fmax(b[3], xy[1]);
}

/* Between two boxes (0 when they meet); NaN when one is empty. */
static double box_distance(const double a[4], const double b[4])
{
    if (a[0] > a[2] || b[0] > b[2])
        return NAN;
    double dx = fmax(0, fmax(a[0] - b[2], b[0] - a[2]));
    double dy = fmax(0, fmax(a[1] - b[3], b[1] - a[3]));
    return hypot(dx, dy);
}

static void envelope_centre(GEOSContextHandle_t h, const GEOSGeometry *g, double xy[2])
{
    double x0 = NAN, y0 = NAN, x1 = NAN, y1 = NAN;
    GEOSGeom_getExtent_r(h, g, &x0, &y0, &x1, &y1);
    xy[0] = (x0 + x1) / 2, xy[1] = (y0 + y1) / 2;
}

/* A feature that lands outside the workspace CRS's area of use: say where it
 * lands (an error, or with --skip-bad the feature's refusal), and hint at
 * swapped axes only if swapping the file's x and y would bring it inside
 * (src_centre: its envelope centre in the source CRS). */
static void report_elsewhere(import_run *run, int64_t fid, const double src_centre[2])
{
    double at[2] = {src_centre[0], src_centre[1]}, swapped[2] = {src_centre[1], src_centre[0]};
    if (!run->src_to_lonlat)
        ccn_crs_transform_new(run->ctx, run->src_crs, "EPSG:4326", &run->src_to_lonlat);
    ccn_transform *tf = run->src_to_lonlat;
    bool located = tf && ccn_crs_transform_xy(run->ctx, tf, at, 1) == CCN_OK;
    bool swap_fits = tf && ccn_crs_transform_xy(run->ctx, tf, swapped, 1) == CCN_OK &&
                     in_ws_area(run, swapped[0], swapped[1]);
    ccn_ctx_clear_error(run->ctx);
    char where[80] = "";
    if (located)
        snprintf(where, sizeof where, " (at lon %.4f, lat %.4f)", at[0], at[1]);
    const ccn_crs_area *a = &run->ws_area;
    const char *hint = swap_fits ? "x and y look swapped (with them exchanged it lands inside); "
                                   "for a marker table see --xy"
                                 : "is the file's CRS right? Name the right one with --s-srs";
    if (run->opt->skip_bad) { /* one stray feature (a point at 0, 0) left out, counted */
        refuse(run, fid,
               "lands outside %s%s, the area of use of the workspace CRS (lon %.2f to %.2f, lat "
               "%.2f to %.2f, with %d° of margin): %s",
               *a->name ? a->name : "the area", where, a->west, a->east, a->south, a->north,
               AREA_MARGIN_DEG, hint);
        return;
    }
    char h[HANDLE_MAX + 16];
    ccn_error(run->ctx, CCN_ERR_INPUT,
              run->table_mode ? "%s: row %lld%s lands outside %s%s, the area of use of the "
                                "workspace CRS (lon %.2f to %.2f, lat %.2f to %.2f, with %d° of "
                                "margin): %s"
                              : "%s: feature %lld%s lands outside %s%s, the area of use of the "
                                "workspace CRS (lon %.2f to %.2f, lat %.2f to %.2f, with %d° of "
                                "margin): %s",
              run->opt->file, item_no(run, fid), handle_of(run, fid, h),
              *a->name ? a->name : "the area", where, a->west, a->east, a->south, a->north, AREA_MARGIN_DEG,
              hint);
}

/* Does the collection g hold points or lines (a KML MultiGeometry, a
 * GeometryCollection), which a polygon layer leaves out? */
static bool has_other_parts(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
        int t = GEOSGeomTypeId_r(h, part);
        if (t == GEOS_GEOMETRYCOLLECTION ? has_other_parts(h, part)
                                         : t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON &&
                                               !GEOSisEmpty_r(h, part))
            return true;
    }
    return false;
}

/* The feature's geometry in the workspace CRS, checked; NULL if refused
 * (or, with FATAL, if the whole file must be refused). */
static GEOSGeometry *take_geometry(import_run *run, const ccn_feature *f, take_outcome *outcome)
{
    GEOSContextHandle_t h = run->h;
    *outcome = REFUSED;
    if (f->problem) {
        refuse(run, f->fid, "%s", f->problem);
        return NULL;
    }
    if (!f->wkb) {
        refuse(run, f->fid, "no geometry");
        return NULL;
    }
    GEOSGeometry *g = ccn_geom_from_wkb(run->ctx, f->wkb, f->wkb_len);
    if (!g) {
        refuse(run, f->fid, "unreadable geometry");
        return NULL;
    }
    if (GEOSisEmpty_r(h, g)) {
        refuse(run, f->fid, "empty geometry");
        GEOSGeom_destroy_r(h, g);
        return NULL;
    }
    bool want_point = run->role == CCN_ROLE_MARKERS || run->table_mode;
    int t = GEOSGeomTypeId_r(h, g);
    GEOSGeometry *shaped = NULL;
    if (want_point) {
        /* a multipoint of one point (what a Multipoint shapefile holds) is that point */
        if (t == GEOS_POINT)
            shaped = GEOSGeom_clone_r(h, g);
        else if (t == GEOS_MULTIPOINT && GEOSGetNumGeometries_r(h, g) == 1)
            shaped = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, g, 0));
    } else if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        shaped = ccn_geom_polygonal(run->ctx, g);
        if (GEOSisEmpty_r(h, shaped)) {
            GEOSGeom_destroy_r(h, shaped);
            shaped = NULL;
        } else if (t == GEOS_GEOMETRYCOLLECTION && has_other_parts(h, g)) {
            run->parts_dropped++; /* said once, at the end (its share notes which) */
        }
    } else if (t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING) {
        shaped = close_lines(run, g);
    }
    if (!shaped) {
        refuse(run, f->fid, "%s where %s is needed", type_word(h, g, want_point),
               want_point ? "a point" : "a polygon");
        *outcome = WRONG_KIND;
        GEOSGeom_destroy_r(h, g);
        return NULL;
    }
    GEOSGeom_destroy_r(h, g);
    double src_centre[2];
    envelope_centre(h, shaped, src_centre);
    if (run->src_geographic) {
        /* Swapped axes put the latitudes where longitudes belong. */
        double x0, y0, x1, y1;
        GEOSGeom_getExtent_r(h, shaped, &x0, &y0, &x1, &y1);
        if (!in_ws_area(run, x0, y0) && !in_ws_area(run, x1, y1) && in_ws_area(run, y0, x0) &&
            in_ws_area(run, y1, x1)) {
            GEOSGeom_destroy_r(h, shaped);
            *outcome = FATAL;
            char hd[HANDLE_MAX + 16];
            ccn_error(run->ctx, CCN_ERR_INPUT,
                      run->table_mode
                          ? "%s: row %lld%s lies at lon %.4f, lat %.4f, outside %s: longitude "
                            "and latitude look swapped (x must be the longitude)"
                          : "%s: feature %lld%s lies at lon %.4f, lat %.4f, outside %s: "
                            "longitude and latitude look swapped (x must be the longitude)",
                      run->opt->file, item_no(run, f->fid), handle_of(run, f->fid, hd), x0, y0,
                      run->ws_area.name);
            return NULL;
        }
    }
    GEOSGeometry *out = ccn_crs_transform_geom(run->ctx, run->to_ws, shaped);
    GEOSGeom_destroy_r(h, shaped);
    if (!out) {
        ccn_ctx_clear_error(run->ctx);
        /* Projected metres under a geographic label (a .prj of WGS 84 on a
         * VN-2000 file) fail here, feature after feature: say so. */
        if (run->src_geographic && !(fabs(src_centre[0]) <= 180 && fabs(src_centre[1]) <= 90))
            refuse(run, f->fid,
                   "lies at x %.10g, y %.10g: no longitude and latitude, yet the file's CRS is "
                   "geographic (name the right one with --s-srs)",
                   src_centre[0], src_centre[1]);
        else
            refuse(run, f->fid,
                   "cannot be transformed into the workspace CRS (it lies at x %.10g, y %.10g "
                   "in the file's CRS)",
                   src_centre[0], src_centre[1]);
        return NULL;
    }
    if (GEOSHasZ_r(h, out) == 1) { /* the heights served the transformation only */
        GEOSGeometry *flat = ccn_geom_force_2d(run->ctx, out);
        GEOSGeom_destroy_r(h, out);
        if (!(out = flat)) {
            *outcome = FATAL;
            return NULL;
        }
    }
    GEOSSetSRID_r(h, out, ccn_store_srid(run->store));
    /* Where is it? Its envelope centre in lon/lat. */
    double xy[2];
    envelope_centre(h, out, xy);
    box_add(run->landed, xy);
    box_add(run->as_read, src_centre);
    if (ccn_crs_transform_xy(run->ctx, run->to_lonlat, xy, 1) != CCN_OK ||
        !in_ws_area(run, xy[0], xy[1])) {
        ccn_ctx_clear_error(run->ctx);
        GEOSGeom_destroy_r(h, out);
        /* the whole file, as its CRS is likely wrong; with --skip-bad, the feature */
        *outcome = run->opt->skip_bad ? REFUSED : FATAL;
        report_elsewhere(run, f->fid, src_centre);
        return NULL;
    }
    if (isfinite(run->lon0) && fabs(xy[0] - run->lon0) > run->meridian_max)
        run->res->far_from_meridian++;
    bool failed = false; /* stored as normalised: repeats out, rings closed, validity counted */
    ccn_short_ring sr;
    GEOSGeometry *normal = ccn_normalise_polygon(run->ctx, out, &run->normal, &sr, &failed);
    if (failed || normal) {
        GEOSGeom_destroy_r(h, out);
        out = normal;
    }
    /* SpatiaLite would store it, PostGIS refuses it, and on PostgreSQL the
     * refusal would abort the import's transaction, every later feature with
     * it: the same file must import the same way into either. */
    if (!failed && sr.ring) {
        refuse(run, f->fid,
               "part %u, ring %u has %u points: a polygon ring needs at least 4 (it bounds no "
               "area, and PostGIS refuses it)",
               sr.part, sr.ring, sr.points);
        GEOSGeom_destroy_r(h, out);
        return NULL;
    }
    *outcome = failed ? FATAL : TAKEN;
    return out;
}

/* Whether a point of the workspace CRS lands inside its area of use (and
 * near its central meridian) costs a PROJ transform to lon/lat. take_as_is
 * asks it of each feature's centre, but parcels come by the thousand per
 * square kilometre: a cell of AREA_CELL_SIZE units whose four corners lie
 * inside the area shrunk by AREA_CELL_SAFE degrees (and within the
 * meridian band so shrunk) holds only points inside — its sides bend by
 * micro-degrees, far less than the safety — so its points skip PROJ. A
 * cell not so proven sends its points to the exact test. */
enum { AREA_CELLS = 1 << 14, AREA_CELL_SIZE = 1000 };
#define AREA_CELL_SAFE 0.01

struct known_cell {
    int64_t ix, iy;
    signed char state; /* 0 not looked at, 1 inside, -1 not proven */
};

static bool certainly_inside(import_run *run, const double centre[2])
{
    double fx = floor(centre[0] / AREA_CELL_SIZE), fy = floor(centre[1] / AREA_CELL_SIZE);
    if (!(fabs(fx) < 1e15 && fabs(fy) < 1e15))
        return false;
    if (!run->cells && !(run->cells = calloc(AREA_CELLS, sizeof *run->cells)))
        return false;
    int64_t ix = (int64_t)fx, iy = (int64_t)fy;
    uint64_t hash = ((uint64_t)ix * 0x9E3779B97F4A7C15u) ^ ((uint64_t)iy * 0xC2B2AE3D27D4EB4Fu);
    struct known_cell *c = &run->cells[(hash >> 40) % AREA_CELLS];
    if (c->state && c->ix == ix && c->iy == iy)
        return c->state > 0;
    double xy[8] = {fx, fy, fx + 1, fy, fx, fy + 1, fx + 1, fy + 1};
    for (int k = 0; k < 8; k++)
        xy[k] *= AREA_CELL_SIZE;
    bool inside = ccn_crs_transform_xy(run->ctx, run->to_lonlat, xy, 4) == CCN_OK;
    for (int k = 0; inside && k < 4; k++)
        inside = ccn_crs_area_contains(&run->ws_area, AREA_MARGIN_DEG - AREA_CELL_SAFE, xy[2 * k],
                                       xy[2 * k + 1]) &&
                 (!isfinite(run->lon0) ||
                  fabs(xy[2 * k] - run->lon0) <= run->meridian_max - AREA_CELL_SAFE);
    ccn_ctx_clear_error(run->ctx);
    *c = (struct known_cell){ix, iy, inside ? 1 : -1};
    return inside;
}

/* The common case without GEOS: a polygon or multipolygon (2-D ISO WKB,
 * little-endian) in the workspace CRS already, one shell of at most 64
 * vertices (ccn_rings_certainly_valid_ring), closed, without repeated
 * vertices, inside the CRS's area of use. It is stored as it is — what
 * take_geometry would make of it, byte for byte: the polygon as a
 * one-part multipolygon — from run->fast_wkb (*n bytes). False: anything
 * else, for take_geometry. Three quarters of an import's geometry time. */
static bool take_as_is(import_run *run, const ccn_feature *f, size_t *n)
{
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    return false; /* the coordinates are read in place: NDR is the machine's order */
#endif
    const unsigned char *w = f->wkb;
    uint32_t type, parts = 1, rings, points;
    if (f->problem || !w || f->wkb_len < 9 || w[0] != 1 || run->table_mode ||
        run->role == CCN_ROLE_CLUSTERS || run->role == CCN_ROLE_MARKERS ||
        !ccn_crs_transform_is_noop(run->to_ws))
        return false;
    memcpy(&type, w + 1, 4);
    size_t at = 5, head = 0; /* head: the multipolygon's header, 9 bytes, when w is a polygon */
    if (type == 6) {
        memcpy(&parts, w + 5, 4);
        if (parts != 1 || f->wkb_len < 18 || w[9] != 1)
            return false;
        memcpy(&type, w + 10, 4);
        at = 14;
    } else {
        head = 9;
    }
    if (type != 3 || f->wkb_len < at + 8)
        return false;
    memcpy(&rings, w + at, 4);
    memcpy(&points, w + at + 4, 4);
    at += 8;
    if (rings != 1 || points < 4 || points > 65 || f->wkb_len != at + 16 * (size_t)points)
        return false;
    double *xy = run->normal.scratch.xy; /* aligned copy of the shell */
    if (!ccn_grow((void **)&run->normal.scratch.xy, &run->normal.scratch.capxy, 2 * points,
                  sizeof *xy))
        return false;
    xy = run->normal.scratch.xy;
    memcpy(xy, w + at, 16 * (size_t)points);
    double env[4] = {xy[0], xy[1], xy[0], xy[1]};
    for (uint32_t i = 1; i < points; i++) {
        if (xy[2 * i] == xy[2 * i - 2] && xy[2 * i + 1] == xy[2 * i - 1])
            return false; /* a repeat: normalised by take_geometry */
        env[0] = fmin(env[0], xy[2 * i]), env[1] = fmin(env[1], xy[2 * i + 1]);
        env[2] = fmax(env[2], xy[2 * i]), env[3] = fmax(env[3], xy[2 * i + 1]);
    }
    if (xy[0] != xy[2 * points - 2] || xy[1] != xy[2 * points - 1])
        return false;
    double centre[2] = {(env[0] + env[2]) / 2, (env[1] + env[3]) / 2};
    box_add(run->landed, centre);
    bool near = certainly_inside(run, centre); /* inside, and near the meridian */
    if (!near && (ccn_crs_transform_xy(run->ctx, run->to_lonlat, centre, 1) != CCN_OK ||
                  !in_ws_area(run, centre[0], centre[1]))) {
        ccn_ctx_clear_error(run->ctx);
        return false; /* take_geometry refuses the file, saying where it lands */
    }
    /* Validity last: the test copies the shell into the scratch it shares. */
    if (!ccn_rings_certainly_valid_ring(xy, points, &run->normal.scratch))
        return false;
    if (!ccn_grow((void **)&run->fast_wkb, &run->fast_cap, f->wkb_len + head, 1))
        return false;
    static const unsigned char one_part[9] = {1, 6, 0, 0, 0, 1, 0, 0, 0};
    memcpy(run->fast_wkb, one_part, head);
    memcpy(run->fast_wkb + head, w, f->wkb_len);
    if (!near && isfinite(run->lon0) && fabs(centre[0] - run->lon0) > run->meridian_max)
        run->res->far_from_meridian++;
    *n = f->wkb_len + head;
    return true;
}

static bool bind_geometry(import_run *run, int index, const GEOSGeometry *g)
{
    size_t n = 0;
    unsigned char *wkb = ccn_geom_to_wkb(run->ctx, g, &n);
    bool ok = wkb && ccn_stmt_bind_geometry(run->insert, index, wkb, n);
    free(wkb);
    if (wkb && !ok)
        ccn_error(run->ctx, CCN_ERR_INTERNAL, "geometry of an unexpected type");
    return ok;
}

static bool parse_int(const char *s, int64_t *out)
{
    if (!s)
        return false;
    /* Plain digits, as GDAL writes an integer field, need no strtod (a
     * twentieth of the import's thread on a large layer). */
    int64_t v = 0;
    size_t k = 0;
    bool minus = s[0] == '-';
    for (k = minus; k < 16 && s[k] >= '0' && s[k] <= '9'; k++)
        v = 10 * v + (s[k] - '0');
    if (s[k] == '\0' && k > (size_t)minus && k < 16) {
        *out = minus ? -v : v;
        return true;
    }
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end); /* "12" and "12.0" both appear in DBFs */
    if (errno || end == s || *end || d != floor(d) || fabs(d) > 9e15)
        return false;
    *out = (int64_t)d;
    return true;
}

static bool parse_real(const char *s, double *out)
{
    if (!s || !*s || strspn(s, "0123456789+-.eE") != strlen(s)) /* no hex, inf, nan */
        return false;
    char *end = NULL;
    errno = 0;
    *out = strtod(s, &end);
    return !errno && end != s && !*end && isfinite(*out);
}

/* s as a Vietnamese reader may write a number, with a decimal comma and
 * dots between thousands ("400,50", "1.234,5"): its machine form ("400.50",
 * "1234.5") into out, for a hint. ccn reads only the machine form: "1,234"
 * may as well be one thousand two hundred and thirty-four. */
static bool decimal_comma(const char *s, char *out, size_t n)
{
    size_t k = 0, digits = 0, commas = 0;
    if (!s || n < 2)
        return false;
    if (*s == '-' || *s == '+')
        out[k++] = *s++;
    for (; *s && k + 1 < n; s++) {
        if (*s >= '0' && *s <= '9')
            out[k++] = *s, digits++;
        else if (*s == ',' && !commas && digits)
            out[k++] = '.', commas++;
        else if (*s != '.' || commas || !digits)
            return false;
    }
    out[k] = '\0';
    return !*s && commas == 1 && out[k - 1] != '.';
}

/* A commune code (MaXa) from a number field is the whole number it holds: a
 * GeoJSON that QGIS wrote from a shapefile's real MaXa says 15682.0, which is
 * commune 15682 ("15682.0" found no parcel of 15682 in lookup). Text that is
 * not digits, a point and zeros is kept as it is ("00004" keeps its zeros). */
static void commune_code(char *code)
{
    if (!code || !isdigit((unsigned char)*code))
        return;
    char *p = code;
    while (isdigit((unsigned char)*p))
        p++;
    if (*p != '.' || p[1] != '0')
        return;
    char *q = p + 1;
    while (*q == '0')
        q++;
    if (*q == '\0')
        *p = '\0';
}

/* A commune code of digits that gis/communes.csv writes with other leading
 * zeros ("015940" or "4" where it writes "15940" or "00004") is that code:
 * the (commune, sheet) a --replace covers and the keys it compares are the
 * registry's. Kept apart, the same sheet from a file whose MaXa is a number
 * and one whose MaXa is text was stored twice, "0 replaced". */
static void registry_commune(import_run *run, char **code)
{
    if (!*code || run->communes.n == 0 || code_list_has_sorted(&run->communes, *code))
        return;
    const char *a = ccn_textenc_digits(*code);
    for (size_t i = 0; a && i < run->communes.n; i++) {
        const char *b = ccn_textenc_digits(run->communes.v[i]);
        if (!b || strcmp(a, b) != 0)
            continue;
        char said[200], *to = strdup(run->communes.v[i]);
        if (!to)
            return;
        snprintf(said, sizeof said, "%s → %s", *code, to);
        if (!code_list_has(&run->commune_as, said))
            code_list_add(&run->commune_as, said);
        free(*code);
        *code = to;
        return;
    }
}

/* The codes a registry table holds (sql: one column), sorted into l. */
static ccn_status code_list_load(import_run *run, const char *sql, code_list *l)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store, sql, &q);
    if (st)
        return st;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1)
        if (ccn_stmt_text(q, 0) && !code_list_add(l, ccn_stmt_text(q, 0))) {
            rc = -1;
            ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        }
    ccn_stmt_free(q);
    code_list_sort(l);
    return rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

/* As many of l's entries as fit in list, ", "-separated; how many did. */
static size_t code_list_join(const code_list *l, char *list, size_t size)
{
    size_t shown = 0;
    list[0] = '\0';
    for (; shown < l->n && strlen(list) + strlen(l->v[shown]) + 8 < size; shown++)
        snprintf(list + strlen(list), size - strlen(list), "%s%s", shown ? ", " : "",
                 l->v[shown]);
    return shown;
}

static void warn_commune_codes(import_run *run)
{
    if (run->commune_as.n == 0)
        return;
    char list[400];
    size_t shown = code_list_join(&run->commune_as, list, sizeof list);
    ccn_warn(run->ctx,
             "%s: commune codes written with other leading zeros, read as gis/communes.csv "
             "writes them: %s%s",
             run->opt->file, list, shown < run->commune_as.n ? ", …" : "");
}

/* An area on record: finite, more than 0 and less than the district
 * (1e10 m² = 10,000 km²); "abc", "NaN", "1e999", "-500" are not areas. */
static bool parse_area(const char *s, double *out)
{
    return parse_real(s, out) && *out > 0 && *out < 1e10;
}

/* A land-use code as stored: upper case by Unicode ("skn" is SKN; "Huyện",
 * no code at all, becomes "HUYỆN", not "HUYệN"), and noted when gis/landuse.csv
 * does not know it. The codes are ASCII (DTL, DGT, RDD), but people type the
 * đ of "đất thủy lợi" or "rừng đặc dụng": a code gis/landuse.csv does not know
 * whose letters without their marks make one it knows is that one ("ĐTL" is
 * DTL, "RĐD" the protected RDD), and said. */
static void take_landuse_code(import_run *run, char **code)
{
    if (!*code)
        return;
    char *upper = ccn_textenc_upper(*code);
    if (upper) {
        free(*code);
        *code = upper;
    }
    if (run->known.n == 0 || code_list_has_sorted(&run->known, *code))
        return;
    char *folded = ccn_textenc_fold(*code), *plain = folded ? ccn_textenc_upper(folded) : NULL;
    free(folded);
    if (plain && code_list_has_sorted(&run->known, plain)) {
        char said[200];
        snprintf(said, sizeof said, "%s → %s", *code, plain);
        run->read_as_features++;
        if (!code_list_has(&run->read_as, said))
            code_list_add(&run->read_as, said);
        free(*code);
        *code = plain;
        return;
    }
    free(plain);
    run->unknown_features++;
    if (!code_list_has(&run->unknown, *code))
        code_list_add(&run->unknown, *code);
}

static void warn_read_as_codes(import_run *run)
{
    if (run->read_as.n == 0)
        return;
    char list[400];
    size_t shown = code_list_join(&run->read_as, list, sizeof list);
    ccn_warn(run->ctx,
             "%s: land-use codes written with Vietnamese letters, on %lld feature%s, read as the "
             "codes of gis/landuse.csv: %s%s",
             run->opt->file, (long long)run->read_as_features,
             run->read_as_features == 1 ? "" : "s", list, shown < run->read_as.n ? ", …" : "");
}

static void warn_unknown_codes(import_run *run)
{
    if (run->unknown.n == 0)
        return;
    char list[400];
    size_t shown = code_list_join(&run->unknown, list, sizeof list);
    if (shown == 0) { /* a "code" too long for the list (a whole text): its start, not nothing */
        const char *code = run->unknown.v[0];
        size_t n = ccn_outtext_char_start(code, 60); /* not in the middle of a letter */
        snprintf(list, sizeof list, "%.*s…", (int)n, code);
        shown = 1;
    }
    ccn_warn(run->ctx,
             "%s: land-use codes that gis/landuse.csv does not know, on %lld feature%s (stored "
             "as they are): %s%s",
             run->opt->file, (long long)run->unknown_features,
             run->unknown_features == 1 ? "" : "s", list, shown < run->unknown.n ? ", …" : "");
}

static const char *use_from_prefix(const char *lot_no)
{
    static const struct {
        const char *prefix, *use;
    } prefixes[] = {{"CN", "industrial"}, {"DV", "service"}, {"CX", "green"},
                    {"HT", "utility"},    {"KT", "utility"}, {"GT", "road"}};
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncasecmp(lot_no, prefixes[i].prefix, 2) == 0 && !isalpha((unsigned char)lot_no[2]))
            return prefixes[i].use;
    return NULL;
}

/* The stored spelling of a lot's use, or NULL if it is none of the five.
 * Case is ignored ("Industrial" in a surveyor's table is industrial), as
 * land-use codes are stored in upper case whatever the file's case; so are
 * diacritics and a leading "đất": a detailed plan's lot table says what a
 * lot is for in Vietnamese ("Đất công nghiệp", "cây xanh, mặt nước",
 * "Hạ tầng kỹ thuật", often typed without accents), or by the lot prefixes
 * (CN, DV, CX, HT/KT, GT). */
static const char *canonical_use(const char *use)
{
    static const struct {
        const char *word, *use;
    } words[] = {
        {"industrial", "industrial"}, {"cn", "industrial"}, {"cong nghiep", "industrial"},
        {"san xuat cong nghiep", "industrial"}, {"nha may", "industrial"},
        {"nha xuong", "industrial"}, {"xi nghiep", "industrial"},
        {"service", "service"}, {"dv", "service"}, {"dich vu", "service"},
        {"thuong mai dich vu", "service"}, {"dich vu thuong mai", "service"},
        {"dieu hanh dich vu", "service"}, {"dieu hanh", "service"},
        {"green", "green"}, {"cx", "green"}, {"cay xanh", "green"},
        {"cay xanh mat nuoc", "green"},
        {"cay xanh cach ly", "green"},
        {"utility", "utility"}, {"ht", "utility"}, {"kt", "utility"}, {"htkt", "utility"},
        {"ha tang", "utility"}, {"ha tang ky thuat", "utility"},
        {"cong trinh dau moi", "utility"}, {"dau moi ha tang ky thuat", "utility"},
        {"dau moi ky thuat", "utility"},
        {"road", "road"}, {"gt", "road"}, {"giao thong", "road"}, {"duong", "road"},
        {"duong giao thong", "road"}, {"giao thong noi bo", "road"},
    };
    char *folded = ccn_textenc_fold(use);
    if (!folded)
        return NULL; /* not UTF-8: no use ccn knows */
    char *o = folded; /* punctuation is a space: "cây xanh - mặt nước" */
    for (const char *r = folded; *r; r++) {
        bool letter = isalnum((unsigned char)*r) || (unsigned char)*r >= 0x80;
        if (letter || (o > folded && o[-1] != ' '))
            *o++ = letter ? *r : ' ';
    }
    while (o > folded && o[-1] == ' ')
        o--;
    *o = '\0';
    const char *w = folded;
    if (strncmp(w, "dat ", 4) == 0) /* "Đất công nghiệp" is công nghiệp */
        w += 4;
    const char *found = NULL;
    for (size_t i = 0; i < sizeof words / sizeof *words && !found; i++)
        if (strcmp(w, words[i].word) == 0)
            found = words[i].use;
    free(folded);
    return found;
}

static bool intern_grow(interned *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 1024;
    __typeof__(t->slot) slot = malloc(n * sizeof *slot);
    if (!slot)
        return false;
    for (size_t i = 0; i < n; i++)
        slot[i].at = SIZE_MAX;
    for (size_t i = 0; i < t->nslots; i++) {
        if (t->slot[i].at == SIZE_MAX)
            continue;
        size_t j = t->slot[i].hash & (n - 1);
        while (slot[j].at != SIZE_MAX)
            j = (j + 1) & (n - 1);
        slot[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = slot;
    t->nslots = n;
    return true;
}

/* s's number (its place in t->text); -1 if out of memory. */
static int64_t intern(interned *t, const char *s)
{
    if ((t->count + 1) * 2 > t->nslots && !intern_grow(t))
        return -1;
    uint64_t h = 14695981039346656037u; /* FNV-1a */
    for (const char *c = s; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
    size_t j = h & (t->nslots - 1);
    for (; t->slot[j].at != SIZE_MAX; j = (j + 1) & (t->nslots - 1))
        if (t->slot[j].hash == h && strcmp(t->text + t->slot[j].at, s) == 0)
            return (int64_t)t->slot[j].at;
    size_t n = strlen(s) + 1;
    if (!ccn_grow((void **)&t->text, &t->cap, t->used + n, 1))
        return -1;
    memcpy(t->text + t->used, s, n);
    t->slot[j].hash = h;
    t->slot[j].at = t->used;
    t->used += n;
    t->count++;
    return (int64_t)t->slot[j].at;
}

static void intern_free(interned *t)
{
    free(t->text);
    free(t->slot);
    *t = (interned){0};
}

/* Feature src, keyed, is taken out again: warn_doubled_keys leaves it out
 * (out of memory, it says none rather than one not stored). */
static void key_gone(import_run *run, int64_t src)
{
    if (!run->nkeys)
        return;
    if (ccn_grow((void **)&run->gone, &run->gone_cap, run->ngone + 1, sizeof *run->gone))
        run->gone[run->ngone++] = src;
    else
        run->nkeys = 0;
}

/* Store one feature of a table role, its geometry g or, when g is NULL,
 * run->fast_wkb (fast_n bytes); false if refused. */
static bool store_feature(import_run *run, const ccn_feature *f, const GEOSGeometry *g,
                          size_t fast_n)
{
    ccn_stmt *ins = run->insert;
    char **v = run->values;
    bool zero = false; /* a parcel's area on record is 0 */
    int64_t key_commune = -1, key_sheet = 0, key_no = 0; /* a parcel's (warn_doubled_keys) */
    ccn_stmt_reset(ins);
    switch (run->role) {
    case CCN_ROLE_LOTS: {
        int c = cluster_index(run, v[LOT_CLUSTER], v[LOT_CLUSTER]);
        if (c < 0) {
            refuse_cluster(run, f->fid, v[LOT_CLUSTER]);
            return false;
        }
        if (!v[LOT_NO]) {
            refuse(run, f->fid, "no lot number");
            return false;
        }
        const char *given = v[LOT_USE] ? v[LOT_USE] : use_from_prefix(v[LOT_NO]);
        const char *use = given ? canonical_use(given) : NULL;
        if (!use) {
            refuse(run, f->fid, "lot %s: use '%s' is not industrial, service, green, utility or road",
                   v[LOT_NO], given ? given : "(none, and no CN/DV/CX/HT/KT/GT prefix)");
            return false;
        }
        ccn_stmt_bind_text(ins, 1, run->clusters[c].code);
        ccn_stmt_bind_text(ins, 2, v[LOT_NO]);
        ccn_stmt_bind_text(ins, 3, use);
        ccn_stmt_bind_int(ins, 4, f->fid);
        break;
    }
    case CCN_ROLE_PARCELS: {
        int64_t sheet, no;
        if (!parse_int(v[1], &sheet) || !parse_int(v[2], &no)) {
            refuse(run, f->fid, "sheet '%s' / parcel '%s' is not a whole number",
                   v[1] ? v[1] : "", v[2] ? v[2] : "");
            return false;
        }
        if (sheet < 1 || no < 1) {
            refuse(run, f->fid, "sheet %lld / parcel %lld: numbers start at 1", (long long)sheet,
                   (long long)no);
            return false;
        }
        double area_legal = 0;
        /* 0 is how many cadastral tools write "not known": stored as no
         * area on record (and said), not refused nor compared with the map. */
        zero = v[5] && parse_real(v[5], &area_legal) && area_legal == 0;
        char dotted[64];
        if (v[5] && !zero && !parse_area(v[5], &area_legal)) {
            if (decimal_comma(v[5], dotted, sizeof dotted))
                refuse(run, f->fid, "area on record '%s' is not an area in m² (a decimal comma? "
                                    "ccn reads %s)", v[5], dotted);
            else
                refuse(run, f->fid,
                       "area on record '%s' is not an area in m² (a finite number > 0)", v[5]);
            return false;
        }
        /* The texts go to the statement as they are: the feature is done with them. */
        commune_code(v[0]);
        registry_commune(run, &v[0]);
        if (v[0]) {
            int64_t c = run->last_commune; /* parcels come sheet by sheet: the same commune */
            if (c < 0 || strcmp(run->key_texts.text + c, v[0]) != 0)
                c = run->last_commune = intern(&run->key_texts, v[0]);
            if (c < 0) {
                run->fatal = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
                return false;
            }
            key_commune = c, key_sheet = sheet, key_no = no;
        }
        ccn_stmt_bind_text_owned(ins, 1, v[0]);
        ccn_stmt_bind_int(ins, 2, sheet);
        ccn_stmt_bind_int(ins, 3, no);
        take_landuse_code(run, &v[3]);
        ccn_stmt_bind_text_owned(ins, 4, v[3]);
        ccn_stmt_bind_text_owned(ins, 5, v[4]);
        v[0] = v[3] = v[4] = NULL;
        if (v[5] && !zero)
            ccn_stmt_bind_double(ins, 6, area_legal);
        ccn_stmt_bind_int(ins, 7, f->fid);
        break;
    }
    case CCN_ROLE_PLAN:
        if (!v[0]) { /* refused here, not by the table's NOT NULL: the same words on both back ends */
            refuse(run, f->fid, "no planned land-use code");
            return false;
        }
        take_landuse_code(run, &v[0]);
        ccn_stmt_bind_text(ins, 1, v[0]);
        ccn_stmt_bind_int(ins, 2, f->fid);
        break;
    case CCN_ROLE_COMMUNES:
        commune_code(v[0]);
        registry_commune(run, &v[0]);
        ccn_stmt_bind_text(ins, 1, v[0]);
        ccn_stmt_bind_text(ins, 2, v[1]);
        ccn_stmt_bind_int(ins, 3, f->fid);
        break;
    case CCN_ROLE_MARKERS: {
        int c = cluster_index(run, v[MARKER_CLUSTER], v[MARKER_CLUSTER]);
        if (c < 0) {
            refuse_cluster(run, f->fid, v[MARKER_CLUSTER]);
            return false;
        }
        if (!v[MARKER_ID]) { /* not the table's NOT NULL, worded by each back end */
            refuse(run, f->fid, "no marker id");
            return false;
        }
        double x, y;
        GEOSGeomGetX_r(run->h, g, &x);
        GEOSGeomGetY_r(run->h, g, &y);
        ccn_stmt_bind_text(ins, 1, run->clusters[c].code);
        ccn_stmt_bind_text(ins, 2, v[MARKER_ID]);
        ccn_stmt_bind_int(ins, 3, ++run->seq);
        ccn_stmt_bind_double(ins, 4, x);
        ccn_stmt_bind_double(ins, 5, y);
        break;
    }
    case CCN_ROLE_CLUSTERS:
        return false; /* handled by gather_cluster */
    }
    static const int geom_param[] = {[CCN_ROLE_LOTS] = 5, [CCN_ROLE_PARCELS] = 8,
                                     [CCN_ROLE_PLAN] = 3, [CCN_ROLE_COMMUNES] = 4,
                                     [CCN_ROLE_MARKERS] = 6};
    bool bound = g ? bind_geometry(run, geom_param[run->role], g)
                   : ccn_stmt_bind_geometry(ins, geom_param[run->role], run->fast_wkb, fast_n);
    if (!g && !bound)
        ccn_error(run->ctx, CCN_ERR_INTERNAL, "geometry of an unexpected type");
    ccn_stmt_tag(ins, f->fid);
    if (!bound) {
        refuse(run, f->fid, "cannot be stored: %s", ccn_ctx_message(run->ctx));
        return false;
    }
    /* noted before the step: the database may refuse the row during it, or
     * later (refused_by_database takes it out again) */
    if ((zero && !note_zero_area(run, f->fid)) ||
        (key_commune >= 0 &&
         !ccn_grow((void **)&run->keys, &run->keys_cap, run->nkeys + 1, sizeof *run->keys))) {
        run->fatal = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        return false;
    }
    if (key_commune >= 0)
        run->keys[run->nkeys++] =
            (key_row){{key_commune, key_sheet, key_no}, f->fid, f->fid, -1, -1};
    if (ccn_stmt_step(ins) < 0) {
        /* Not a refusal of the row (those go to refused_by_database): a
         * trigger's RAISE(ROLLBACK) ended the transaction (what came after
         * would be stored row by row, outside it), or the database failed
         * (a full disk, a trigger's runtime error) — the whole import
         * stops, as when the bulk load's writer meets one. */
        char h[HANDLE_MAX + 16], why[256];
        snprintf(why, sizeof why, "%s", ccn_ctx_message(run->ctx));
        bool lost = ccn_store_transaction_lost(run->store);
        ccn_status kind = ccn_ctx_status(run->ctx); /* a right missing is the user's (exit 2) */
        run->fatal = ccn_error(run->ctx, lost || !kind ? CCN_ERR_INTERNAL : kind,
                               lost
                                   ? "%s: feature %lld%s: the workspace ended the import's "
                                     "transaction (%s): nothing imported"
                                   : "%s: feature %lld%s: the workspace failed to store it "
                                     "(%s): nothing imported",
                               run->opt->file, (long long)f->fid, handle_of(run, f->fid, h), why);
        return false;
    }
    return true;
}

/* Add a boundary part to its registry row; false if refused. */
static bool gather_cluster(import_run *run, const ccn_feature *f, GEOSGeometry *g)
{
    int c = cluster_index(run, run->values[CLUSTER_CODE], run->values[CLUSTER_NAME]);
    if (c < 0) {
        run->unmatched = true;
        refuse(run, f->fid, "cluster '%s' is not in the registry (gis/clusters.csv)",
               run->values[CLUSTER_CODE]   ? run->values[CLUSTER_CODE]
               : run->values[CLUSTER_NAME] ? run->values[CLUSTER_NAME]
                                           : "(no code or name)");
        return false;
    }
    cluster_entry *e = &run->clusters[c];
    if (e->had_geom && !run->replacing) {
        refuse_part(run, e, f->fid, "cluster %s already has a boundary (use --replace)", e->code);
        return false;
    }
    if (!ccn_grow((void **)&e->fids, &e->fids_cap, e->nfids + 1, sizeof *e->fids)) {
        run->fatal = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        return false;
    }
    /* Several features of one cluster are one multipolygon, made once from
     * all of them (boundary_of): remade at each part, 100,000 parts took
     * minutes (each copied every part before it). */
    GEOSGeometry *copy = GEOSGeom_clone_r(run->h, g);
    if (!copy || !ccn_grow((void **)&e->parts, &e->parts_cap, e->nparts + 1, sizeof *e->parts)) {
        if (copy)
            GEOSGeom_destroy_r(run->h, copy);
        run->fatal = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        return false;
    }
    e->fids[e->nfids++] = f->fid;
    e->features++;
    e->parts[e->nparts++] = copy;
    return true;
}

/* Cluster e's gathered parts as its one boundary in e->geom (NULL if none). */
static void boundary_of(import_run *run, cluster_entry *e)
{
    if (!e->nparts)
        return;
    int srid = GEOSGetSRID_r(run->h, e->parts[0]);
    GEOSGeometry *coll = GEOSGeom_createCollection_r(run->h, GEOS_GEOMETRYCOLLECTION, e->parts,
                                                     (unsigned)e->nparts);
    e->geom = coll ? ccn_geom_polygonal(run->ctx, coll) : NULL;
    if (e->geom)
        GEOSSetSRID_r(run->h, e->geom, srid);
    if (coll)
        GEOSGeom_destroy_r(run->h, coll); /* it took the parts */
    else
        for (size_t k = 0; k < e->nparts; k++)
            GEOSGeom_destroy_r(run->h, e->parts[k]);
    e->nparts = 0;
}

/* Marker tables: X/Y columns, no geometry. Build a point in the source CRS. */
static bool table_point(import_run *run, const ccn_feature *f, ccn_feature *with_point,
                        unsigned char wkb[21])
{
    double north, east;
    if (!parse_real(run->values[MARKER_X], &north) || !parse_real(run->values[MARKER_Y], &east)) {
        const char *x = run->values[MARKER_X] ? run->values[MARKER_X] : "",
                   *y = run->values[MARKER_Y] ? run->values[MARKER_Y] : "";
        char dotted[64];
        if (decimal_comma(x, dotted, sizeof dotted) || decimal_comma(y, dotted, sizeof dotted))
            refuse(run, f->fid, "X '%s' / Y '%s' is not a number (a decimal comma? ccn reads %s)",
                   x, y, dotted);
        else
            refuse(run, f->fid, "X '%s' / Y '%s' is not a number", x, y);
        return false;
    }
    if (run->opt->x_is_easting) {
        double t = north;
        north = east;
        east = t;
    }
    double xy[2] = {east, north};
    wkb[0] = 1; /* little-endian ISO WKB point */
    uint32_t type = 1;
    memcpy(wkb + 1, &type, 4);
    memcpy(wkb + 5, xy, 16);
    *with_point = *f;
    with_point->wkb = wkb;
    with_point->wkb_len = 21;
    return true;
}

/* Vietnamese tables give X = northing: an X column that looks like a TM-3
 * easting is refused before anything is stored. */
static ccn_status check_table_axes(import_run *run, double x, double y)
{
    bool x_easting_like = fabs(x) < 1.0e6 && fabs(y) >= 1.0e6;
    if (!run->src_geographic && !run->opt->x_is_easting && x_easting_like)
        return ccn_error(run->ctx, CCN_ERR_INPUT,
                         "%s: X = %.3f looks like an easting and Y = %.3f like a northing; "
                         "Vietnamese marker tables give X = northing, Y = easting. If this table "
                         "is the other way round, pass --xy en",
                         run->opt->file, x, y);
    return CCN_OK;
}

/* The rows of cluster e's markers as a spreadsheet numbers them (the
 * header is row 1, GDAL's feature 1 row 2), runs joined: "2–5, 9". */
static char *marker_rows(const cluster_entry *e)
{
    enum { ROWS_MAX = 80 };
    char *out = malloc(ROWS_MAX + 8), item[64];
    if (!out)
        return NULL;
    size_t w = 0;
    out[0] = '\0';
    for (size_t i = 0; i < e->nmarkers; i++) {
        size_t j = i;
        while (j + 1 < e->nmarkers && e->markers[j + 1] == e->markers[j] + 1)
            j++;
        int n = snprintf(item, sizeof item, i < j ? "%s%lld–%lld" : "%s%lld", w ? ", " : "",
                         (long long)e->markers[i] + 1, (long long)e->markers[j] + 1);
        if (w + (size_t)n > ROWS_MAX) { /* whole runs only, then "…" */
            memcpy(out + w, ", …", sizeof ", …");
            break;
        }
        memcpy(out + w, item, (size_t)n + 1);
        w += (size_t)n;
        i = j;
    }
    return out;
}

/* Boundaries from a marker table: each cluster's points in file order. */
static ccn_status rings_from_markers(import_run *run, GEOSGeometry **points, char **codes,
                                     int64_t n)
{
    for (size_t c = 0; c < run->nclusters; c++) {
        cluster_entry *e = &run->clusters[c];
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++)
            k += strcmp(codes[i], run->clusters[c].code) == 0;
        if (k == 0 && e->part_refused < 0)
            continue;
        if (!(e->rows = marker_rows(e)))
            return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        if (e->part_refused >= 0) { /* a marker refused: no boundary without it */
            refuse_markers(run, e, "cluster %s: refused with row %lld, another part of its "
                           "boundary", e->code, (long long)e->part_refused + 1);
            continue; /* kept by write_clusters */
        }
        if (k < 3)
            return ccn_error(run->ctx, CCN_ERR_INPUT,
                             "%s: cluster %s has %lld markers; a boundary needs at least 3",
                             run->opt->file, run->clusters[c].code, (long long)k);
        GEOSCoordSequence *seq = GEOSCoordSeq_create_r(run->h, (unsigned)k + 1, 2);
        unsigned j = 0;
        for (int64_t i = 0; i < n; i++) {
            if (strcmp(codes[i], run->clusters[c].code) != 0)
                continue;
            double x, y;
            GEOSGeomGetX_r(run->h, points[i], &x);
            GEOSGeomGetY_r(run->h, points[i], &y);
            GEOSCoordSeq_setXY_r(run->h, seq, j++, x, y);
            if (j == 1)
                GEOSCoordSeq_setXY_r(run->h, seq, (unsigned)k, x, y);
        }
        GEOSGeometry *ring = GEOSGeom_createLinearRing_r(run->h, seq);
        GEOSGeometry *poly = GEOSGeom_createPolygon_r(run->h, ring, NULL, 0);
        ccn_feature f = {.fid = 0};
        GEOSGeometry *mp = ccn_geom_polygonal(run->ctx, poly);
        GEOSGeom_destroy_r(run->h, poly);
        /* Normalised and judged as a file's polygon is (take_geometry): a
         * boundary of collinear markers, or of crossing ones, was stored
         * without a word of its being invalid; a marker given twice in a row
         * left a repeated vertex. */
        ccn_normalise_counts before = run->normal;
        bool failed = false;
        ccn_short_ring sr = {0};
        GEOSGeometry *normal = ccn_normalise_polygon(run->ctx, mp, &run->normal, &sr, &failed);
        if (normal) {
            GEOSGeom_destroy_r(run->h, mp);
            mp = normal;
        }
        if (failed) {
            GEOSGeom_destroy_r(run->h, mp);
            return CCN_ERR_INTERNAL; /* GEOS or memory: the context says which */
        }
        if (sr.ring) {
            refuse_markers(run, e, "part %u, ring %u has %u points: a polygon ring needs at least 4 "
                           "(it bounds no area, and PostGIS refuses it)",
                           sr.part, sr.ring, sr.points);
            run->normal.features = before.features, run->normal.repeats = before.repeats;
            run->normal.closed = before.closed, run->normal.invalid = before.invalid;
            GEOSGeom_destroy_r(run->h, mp);
            continue;
        }
        free(run->values[CLUSTER_NAME]);
        run->values[CLUSTER_NAME] = NULL;
        free(run->values[CLUSTER_CODE]);
        run->values[CLUSTER_CODE] = strdup(run->clusters[c].code);
        bool ok = gather_cluster(run, &f, mp);
        GEOSGeom_destroy_r(run->h, mp);
        if (!ok && run->fatal)
            return run->fatal;
        if (!ok) {
            run->normal.features = before.features, run->normal.repeats = before.repeats;
            run->normal.closed = before.closed, run->normal.invalid = before.invalid;
        }
        /* else refused, reported with the others: the next cluster's rings */
    }
    return CCN_OK;
}

/* A cluster's boundary given as several features (digitised sheet by sheet,
 * or split at a road): one boundary, their union, as a land officer means
 * it; a multipolygon of parts sharing edges would not be valid. Parts that
 * overlap are said: the overlap is counted once. Parts GEOS cannot join (an
 * invalid one) stay as they were, for check to report. */
static void join_parts(import_run *run, cluster_entry *e)
{
    GEOSContextHandle_t h = run->h;
    GEOSGeometry *u = GEOSUnaryUnion_r(h, e->geom);
    GEOSGeometry *joined = u ? ccn_geom_polygonal(run->ctx, u) : NULL;
    if (u)
        GEOSGeom_destroy_r(h, u);
    if (!joined || GEOSisEmpty_r(h, joined)) {
        if (joined)
            GEOSGeom_destroy_r(h, joined);
        ccn_ctx_clear_error(run->ctx);
        return;
    }
    double parts = ccn_geom_area(run->ctx, e->geom), whole = ccn_geom_area(run->ctx, joined);
    GEOSGeom_destroy_r(h, e->geom);
    e->geom = joined;
    if (parts - whole > run->overlap_min_m2)
        ccn_warn(run->ctx,
                 "%s: cluster %s: its %d features overlap by %.3f m², counted once in the "
                 "boundary that joins them",
                 run->opt->file, e->code, e->features, parts - whole);
    else
        ccn_warn(run->ctx, "%s: cluster %s: %d features joined into one boundary",
                 run->opt->file, e->code, e->features);
}

/* The database refused a cluster's boundary (a trigger or a CHECK
 * constraint an administrator added to clusters; tag: its registry row):
 * each feature it was made of is refused with the database's reason. */
static void boundary_refused(void *arg, int64_t c, const char *message)
{
    import_run *run = arg;
    cluster_entry *e = &run->clusters[c];
    e->refused = true;
    for (size_t k = 0; k < e->nfids; k++) {
        refuse_part(run, e, e->fids[k], "cluster %s: its boundary cannot be stored: %s", e->code,
                    message);
        unnote_share(run, e->fids[k]);
    }
}

/* Is the feature's geometry a point (a label pin beside a boundary, as in
 * KML), by its WKB type (ISO or EWKB, any dimension)? */
static bool wkb_is_point(const ccn_feature *f)
{
    uint32_t type;
    if (!f->wkb || f->wkb_len < 5)
        return false;
    memcpy(&type, f->wkb + 1, 4);
    if (f->wkb[0] == 0)
        type = __builtin_bswap32(type);
    type = (type & 0x0fffffff) % 1000;
    return type == 1 || type == 4;
}

/* A feature of a cluster's boundary the import refused (its geometry, a
 * marker's X and Y): the cluster is noted, to keep the boundary it had
 * rather than one without that part. A point beside the polygons (a label)
 * is no part of the boundary. */
static void note_part_refused(import_run *run, const ccn_feature *f)
{
    if (!run->table_mode && wkb_is_point(f))
        return;
    int64_t fid = f->fid;
    const char *code = run->values[run->table_mode ? MARKER_CLUSTER : CLUSTER_CODE];
    const char *name = run->table_mode ? code : run->values[CLUSTER_NAME];
    if (run->role != CCN_ROLE_CLUSTERS)
        return;
    int c = cluster_index(run, code, name);
    if (c < 0)
        run->unmatched = true;
    else if (run->clusters[c].part_refused < 0)
        run->clusters[c].part_refused = fid;
}

/* A marker table read as clusters: the row is noted with its cluster, to
 * name the rows of a refused boundary. False if out of memory. */
static bool note_marker_row(import_run *run, int64_t fid)
{
    int c = cluster_index(run, run->values[MARKER_CLUSTER], run->values[MARKER_CLUSTER]);
    if (c < 0)
        return true; /* refused as an unknown cluster */
    cluster_entry *e = &run->clusters[c];
    if (!ccn_grow((void **)&e->markers, &e->markers_cap, e->nmarkers + 1, sizeof *e->markers))
        return false;
    e->markers[e->nmarkers++] = fid;
    return true;
}

/* Put code on a ", "-separated list of codes, "…" past its room. */
static void list_code(char *list, size_t size, const char *code)
{
    size_t used = strlen(list);
    if (used + strlen(code) + 8 < size) /* room for ", …" after */
        snprintf(list + used, size - used, "%s%s", used ? ", " : "", code);
    else if (!strstr(list, "…"))
        snprintf(list + used, size - used, ", …");
}

/* A cluster whose new boundary is refused, whole or in part, keeps the one
 * it had (never stored without a part, nor cleared by --replace-all): its
 * code goes on the list the summary names. */
static void keep_boundary(import_run *run, const cluster_entry *e)
{
    if (!e->had_geom || !run->replacing)
        return;
    list_code(run->res->kept_codes, sizeof run->res->kept_codes, e->code);
    run->res->kept++;
}

/* --replace-all: a boundary the file does not give goes (one cluster at a
 * time, not all up front: a cluster whose new boundary is refused keeps its
 * old one). */
static ccn_status clear_boundary(import_run *run, const cluster_entry *e)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store, "UPDATE clusters SET geom = NULL WHERE code = ?",
                                     &q);
    if (st)
        return st;
    ccn_stmt_bind_text(q, 1, e->code);
    st = ccn_stmt_step(q) < 0 ? CCN_ERR_INTERNAL : CCN_OK;
    ccn_stmt_free(q);
    if (!st)
        run->res->replaced++;
    return st;
}

static ccn_status write_clusters(import_run *run)
{
    ccn_stmt *up = NULL;
    ccn_status st = CCN_OK;
    if ((st = ccn_stmt_prepare(run->store,
                               "UPDATE clusters SET geom = ?, source = ? WHERE code = ?", &up)))
        return st;
    ccn_stmt_on_refusal(up, boundary_refused, run);
    run->insert = up;
    for (size_t i = 0; i < run->nclusters && !st; i++) {
        cluster_entry *e = &run->clusters[i];
        boundary_of(run, e);
        if (e->part_refused >= 0) { /* not stored without that part: the old one stays */
            char h[HANDLE_MAX + 16];
            for (size_t k = 0; k < e->nfids; k++) {
                refuse_part(run, e, e->fids[k],
                            "cluster %s: refused with feature %lld%s, another part of its boundary",
                            e->code, (long long)e->part_refused, handle_of(run, e->part_refused, h));
                unnote_share(run, e->fids[k]);
            }
            keep_boundary(run, e);
            continue;
        }
        if (!e->geom) {
            if (run->opt->replace_all && e->had_geom && run->unmatched) {
                /* a refused feature naming no known cluster may be this one's boundary */
                list_code(run->res->kept_absent_codes, sizeof run->res->kept_absent_codes,
                          e->code);
                run->res->kept_absent++;
            } else if (run->opt->replace_all && e->had_geom) {
                st = clear_boundary(run, e);
            }
            continue;
        }
        if (e->features > 1)
            join_parts(run, e);
        ccn_stmt_reset(up);
        if (!bind_geometry(run, 1, e->geom)) {
            st = CCN_ERR_INTERNAL;
            break;
        }
        ccn_stmt_bind_text(up, 2, run->file_text);
        ccn_stmt_bind_text(up, 3, e->code);
        ccn_stmt_tag(up, (int64_t)i);
        if (ccn_stmt_step(up) < 0) {
            int64_t fid = e->nfids ? e->fids[0] : 0;
            char who[200], why[256];
            snprintf(why, sizeof why, "%s", ccn_ctx_message(run->ctx));
            if (ccn_store_transaction_lost(run->store)) /* a trigger's RAISE(ROLLBACK) */
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL,
                               "%s: %s: the workspace ended the import's transaction (%s): "
                               "nothing imported",
                               run->opt->file, part_name(run, e, fid, who, sizeof who), why);
            else
                st = ccn_ctx_status(run->ctx) ? ccn_ctx_status(run->ctx) : CCN_ERR_INTERNAL;
            break;
        }
        if (e->refused) { /* the UPDATE refused: the old boundary stays */
            keep_boundary(run, e);
            continue;
        }
        run->res->stored += e->features;
        run->res->replaced += e->had_geom;
    }
    ccn_stmt_free(up);
    run->insert = NULL;
    return st;
}

/* A row the database refused by itself (a CHECK constraint or a trigger an
 * administrator added, a value out of range): its feature is refused like
 * any other, and the rest of the import stands (store.h). */
static void refused_by_database(void *arg, int64_t fid, const char *message)
{
    import_run *run = arg;
    refuse(run, fid, "cannot be stored: %s", message);
    unnote_share(run, fid);
    key_gone(run, fid);
    run->res->stored--;
}

static ccn_status prepare_insert(import_run *run)
{
    static const char *const sql[] = {
        [CCN_ROLE_LOTS] = "INSERT INTO lots (cluster, lot_no, use, source_fid, geom) VALUES (?, ?, ?, ?, ?)",
        [CCN_ROLE_PARCELS] = "INSERT INTO parcels (commune, sheet, parcel_no, landuse, owner, area_legal, source_fid, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [CCN_ROLE_PLAN] = "INSERT INTO plan (landuse, source_fid, geom) VALUES (?, ?, ?)",
        [CCN_ROLE_COMMUNES] = "INSERT INTO communes (code, name, source_fid, geom) VALUES (?, ?, ?, ?)",
        [CCN_ROLE_MARKERS] = "INSERT INTO markers (cluster, marker, seq, x, y, geom) VALUES (?, ?, ?, ?, ?, ?)",
    };
    ccn_status st = ccn_stmt_prepare(run->store, sql[run->role], &run->insert);
    if (!st)
        ccn_stmt_on_refusal(run->insert, refused_by_database, run);
    return st;
}

static ccn_status record_import(import_run *run, const char *crs)
{
    const char *sha = run->res->sha256;
    ccn_stmt *q = NULL;
    /* What normalising changed, kept with the import (columns added to
     * workspaces made before they existed). */
    static const char *const normal_cols[] = {"features_normalised", "repeats_removed",
                                              "rings_closed", "features_invalid"};
    ccn_status st = CCN_OK;
    for (size_t k = 0; k < sizeof normal_cols / sizeof *normal_cols && !st; k++)
        st = ccn_store_add_column(run->store, "imports", normal_cols[k], "INTEGER");
    if (st || (st = ccn_stmt_prepare(
                   run->store,
                   "INSERT INTO imports (file, sha256, source_layer, role, crs, features_read,"
                   " features_stored, features_refused, features_normalised, repeats_removed,"
                   " rings_closed, features_invalid, imported_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                   " strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                   &q)))
        return st;
    char *scratch = NULL;
    const char *layer = ccn_outtext_utf8(ccn_reader_layer_name(run->reader), &scratch);
    ccn_stmt_bind_text(q, 1, run->file_text);
    ccn_stmt_bind_text(q, 2, *sha ? sha : NULL);
    ccn_stmt_bind_text(q, 3, layer ? layer : "?");
    ccn_stmt_bind_text(q, 4, run->rule->name);
    ccn_stmt_bind_text(q, 5, crs);
    ccn_stmt_bind_int(q, 6, run->res->read);
    ccn_stmt_bind_int(q, 7, run->res->stored);
    ccn_stmt_bind_int(q, 8, run->res->refused);
    ccn_stmt_bind_int(q, 9, run->normal.features);
    ccn_stmt_bind_int(q, 10, run->normal.repeats);
    ccn_stmt_bind_int(q, 11, run->normal.closed);
    ccn_stmt_bind_int(q, 12, run->normal.invalid);
    st = ccn_stmt_step(q) < 0 ? CCN_ERR_INTERNAL : CCN_OK;
    ccn_stmt_free(q);
    free(scratch);
    return st;
}

/* A table without a geometry column: say so (rather than "no CRS"), with its
 * fields, and name the file's layers that could be meant. */
static ccn_status no_geometry_column(import_run *run)
{
    bool points = run->role == CCN_ROLE_MARKERS;
    char fields[200] = "", others[300] = "";
    for (int k = 0; k < ccn_reader_field_count(run->reader); k++)
        snprintf(fields + strlen(fields), sizeof fields - strlen(fields), "%s%s", k ? ", " : "",
                 ccn_reader_field_name(run->reader, k));
    ccn_reader_layers_holding(run->reader, points, false, others, sizeof others);
    char hint[400] = "";
    if (*others)
        snprintf(hint, sizeof hint, "; layers with %s: %s", points ? "points" : "polygons", others);
    else if (run->role == CCN_ROLE_MARKERS || run->role == CCN_ROLE_CLUSTERS)
        snprintf(hint, sizeof hint, "; a marker table is a CSV with X and Y columns");
    return ccn_error(run->ctx, CCN_ERR_INPUT, "%s: layer '%s' has no geometry column (its fields: %s)%s",
                     run->opt->file, ccn_reader_layer_name(run->reader), *fields ? fields : "none",
                     hint);
}

/* ---- Which legacy encoding: --encoding auto, and a wrong one refused ------
 * A sample of the file's non-ASCII text is decoded with each encoding and
 * judged word by word (ccn_textenc_judge): the encoding whose words read as
 * Vietnamese is the file's. */

enum { SAMPLE_FEATURES = 2000, SAMPLE_VALUES = 4000 };
static const ccn_encoding candidates[] = {CCN_ENC_UTF8, CCN_ENC_TCVN3, CCN_ENC_VNI,
                                          CCN_ENC_CP1258};

typedef struct {
    char **v;          /* raw non-ASCII values */
    int64_t *fid;      /* their feature */
    int *field;        /* their field */
    size_t n, cap;
    char **names;      /* the fields' names as the file's bytes (GDAL decodes a .cpg of
                          1258 losing their last letters: TENCHU became TENCH) */
    int nnames;
} text_sample;

static void sample_free(text_sample *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    free(s->fid);
    free(s->field);
    for (int i = 0; i < s->nnames; i++)
        free(s->names[i]);
    free(s->names);
}

static bool non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return true;
    return false;
}

static ccn_status take_sample(import_run *run, text_sample *s)
{
    ccn_reader *r = NULL;
    ccn_status st = ccn_reader_open_for(run->ctx, run->opt->file, run->opt->layer,
                                        ccn_import_role_name(run->role), true,
                                        run->role == CCN_ROLE_MARKERS, &r);
    if (st)
        return st;
    size_t capf = 0, capi = 0;
    ccn_feature f;
    int rc, nf = ccn_reader_field_count(r);
    if (nf > 0 && (s->names = calloc((size_t)nf, sizeof *s->names)))
        for (; s->nnames < nf; s->nnames++)
            if (!(s->names[s->nnames] = strdup(ccn_reader_field_name(r, s->nnames))))
                break;
    for (int k = 0; k < SAMPLE_FEATURES && s->n < SAMPLE_VALUES && (rc = ccn_reader_next(r, &f)) == 1; k++) {
        if (run->handle_field >= 0) /* its messages name the feature */
            note_handle(run, f.fid, f.values[run->handle_field]);
        for (int i = 0; i < nf && s->n < SAMPLE_VALUES; i++) {
            if (!f.values[i] || !non_ascii(f.values[i]))
                continue;
            if (!ccn_grow((void **)&s->v, &s->cap, s->n + 1, sizeof *s->v) ||
                !ccn_grow((void **)&s->fid, &capf, s->n + 1, sizeof *s->fid) ||
                !ccn_grow((void **)&s->field, &capi, s->n + 1, sizeof *s->field) ||
                !(s->v[s->n] = strdup(f.values[i]))) {
                ccn_reader_close(r);
                return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
            }
            s->fid[s->n] = f.fid;
            s->field[s->n++] = i;
        }
    }
    ccn_reader_close(r);
    return CCN_OK;
}

/* Words and odd words of the sample decoded as enc; false if it does not
 * decode. *first_odd: the first value with an odd word, or -1. */
static bool judge_sample(const text_sample *s, ccn_encoding enc, size_t *words, size_t *odd,
                         long *first_odd)
{
    *words = *odd = 0;
    *first_odd = -1;
    for (size_t i = 0; i < s->n; i++) {
        char *t = ccn_textenc_to_utf8(enc, s->v[i], strlen(s->v[i]));
        if (!t)
            return false;
        size_t before = *odd;
        ccn_textenc_judge(t, words, odd);
        if (*odd > before && *first_odd < 0)
            *first_odd = (long)i;
        free(t);
    }
    return true;
}

/* The file beside file with extension ext ("cpg"), in lower or upper case
 * (ArcMap writes .CPG), opened through GDAL (a folder's, a .zip's); NULL if
 * there is none. */
static ccn_vfile *open_sibling(const char *file, const char *ext)
{
    const char *dot = strrchr(file, '.');
    size_t stem = dot ? (size_t)(dot - file) : strlen(file);
    char path[4096], up[16];
    size_t k = 0;
    for (; ext[k] && k + 1 < sizeof up; k++)
        up[k] = (char)toupper((unsigned char)ext[k]);
    up[k] = '\0';
    ccn_vfile *f = NULL;
    for (int upper = 0; upper < 2 && !f; upper++)
        if ((size_t)snprintf(path, sizeof path, "%.*s.%s", (int)stem, file, upper ? up : ext) <
            sizeof path)
            f = ccn_vfile_open(path);
    return f;
}

/* A MapInfo table's "!charset NAME" line in its .tab (a .mif's 'Charset
 * "NAME"'), as a .cpg: 1 with
 * NAME in line; 0 when there is none or it is Neutral (the bytes as they
 * are: nothing said of their encoding, like a .dbf without .cpg). GDAL
 * decodes the text by it (WindowsLatin1 over TCVN3 became "NguyÔn"; it has
 * no decoder for WindowsVietnamese and handed over the bytes). */
static int mapinfo_charset(const char *tab, char *line, size_t size)
{
    ccn_vfile *f = ccn_vfile_open(tab);
    char l[256];
    int found = 0;
    *line = '\0';
    for (int n = 0; f && !found && n < 1000 && ccn_vfile_line(f, l, sizeof l); n++) {
        /* a .tab's "!charset NAME", a .mif's 'Charset "NAME"' */
        size_t key = strncasecmp(l, "!charset", 8) == 0  ? 8
                     : strncasecmp(l, "Charset", 7) == 0 ? 7
                                                         : 0;
        if (!key)
            continue;
        char *v = l + key;
        v += strspn(v, " \t\"");
        v[strcspn(v, " \t\"\r\n")] = '\0';
        found = *v && strcasecmp(v, "Neutral") != 0;
        if (found)
            snprintf(line, size, "%s", v);
        break;
    }
    ccn_vfile_close(f);
    return found;
}

/* The .cpg beside a .shp or .dbf (a MapInfo .tab's charset, mapinfo_charset):
 * -1 when file is neither, 0 when it has none, 1 when it has one, its first
 * line in line (empty if unreadable). */
static int shapefile_cpg(const char *file, char *line, size_t size)
{
    const char *dot = strrchr(file, '.');
    if (dot && (strcasecmp(dot, ".tab") == 0 || strcasecmp(dot, ".mif") == 0))
        return mapinfo_charset(file, line, size);
    if (!dot || (strcasecmp(dot, ".shp") != 0 && strcasecmp(dot, ".dbf") != 0))
        return -1;
    *line = '\0';
    ccn_vfile *f = open_sibling(file, "cpg");
    if (!f)
        return 0;
    if (!ccn_vfile_line(f, line, size))
        *line = '\0';
    ccn_vfile_close(f);
    return 1;
}

/* A .shp or .dbf with no .cpg beside it says nothing of its encoding. */
static bool undeclared_dbf(const char *file)
{
    char line[8];
    return shapefile_cpg(file, line, sizeof line) == 0;
}

/* What a shapefile's .cpg declares, its name normalised (upper case, letters
 * and digits: "ANSI 1252" -> "ANSI1252") into out: CPG_WESTERN for a Western
 * code page ("1252", "ISO-8859-1": ArcMap under a Western locale writes 1252
 * beside DBFs whose text is TCVN3 or VNI), CPG_VIETNAMESE for one of ccn's
 * legacy encodings (into *enc), CPG_OTHER for anything else or none. */
typedef enum { CPG_OTHER, CPG_WESTERN, CPG_VIETNAMESE } cpg_kind;

static cpg_kind shapefile_cpg_kind(const char *file, ccn_encoding *enc, char *out, size_t size)
{
    static const char *const western[] = {"1252",     "ANSI1252", "CP1252", "WINDOWS1252",
                                          "ISO88591", "88591",    "LATIN1", "28591",
                                          "WINDOWSLATIN1"}; /* MapInfo's name last */
    /* GDAL decodes CP1258 and TCVN through iconv, whose glibc converters hold
     * back each string's last letter (a combining mark may follow it) until
     * a flush GDAL never asks for: "LUC" came out "LU", the field MAXA "MAX".
     * ccn decodes these itself, from the DBF's bytes. */
    static const struct {
        const char *name;
        ccn_encoding enc;
    } vietnamese[] = {
        {"1258", CCN_ENC_CP1258},     {"CP1258", CCN_ENC_CP1258}, {"WINDOWS1258", CCN_ENC_CP1258},
        {"ANSI1258", CCN_ENC_CP1258}, {"TCVN", CCN_ENC_TCVN3},    {"TCVN3", CCN_ENC_TCVN3},
        {"TCVN5712", CCN_ENC_TCVN3},  {"TCVN57121", CCN_ENC_TCVN3},
        {"WINDOWSVIETNAMESE", CCN_ENC_CP1258}, /* MapInfo's */
        {"TCVN571211993", CCN_ENC_TCVN3}, {"VNI", CCN_ENC_VNI},   {"VNIWINDOWS", CCN_ENC_VNI},
    };
    char line[64];
    if (shapefile_cpg(file, line, sizeof line) != 1)
        return CPG_OTHER;
    size_t n = 0;
    for (const char *c = line; *c && n + 1 < size; c++)
        if (isalnum((unsigned char)*c))
            out[n++] = (char)toupper((unsigned char)*c);
    out[n] = '\0';
    for (size_t k = 0; k < sizeof western / sizeof *western; k++)
        if (strcmp(out, western[k]) == 0)
            return CPG_WESTERN;
    for (size_t k = 0; k < sizeof vietnamese / sizeof *vietnamese; k++)
        if (strcmp(out, vietnamese[k].name) == 0) {
            *enc = vietnamese[k].enc;
            return CPG_VIETNAMESE;
        }
    return CPG_OTHER;
}

/* Does the DXF's header say $DWGCODEPAGE ANSI_1258? GDAL decodes that
 * through glibc's iconv, which loses each text's last letter (see
 * shapefile_cpg_kind): ccn decodes it itself. */
static bool dxf_codepage_1258(const char *file)
{
    ccn_vfile *f = ccn_vfile_open(file);
    if (!f)
        return false;
    char line[256];
    int after = -1; /* lines read since $DWGCODEPAGE */
    bool found = false;
    for (long n = 0; n < 100000 && ccn_vfile_line(f, line, sizeof line); n++) {
        char *t = line;
        while (isspace((unsigned char)*t))
            t++;
        t[strcspn(t, "\r\n")] = '\0';
        for (size_t k = strlen(t); k > 0 && isspace((unsigned char)t[k - 1]); k--)
            t[k - 1] = '\0';
        if (after >= 0 && ++after == 2) { /* group code 3, then the name */
            found = strcasecmp(t, "ANSI_1258") == 0;
            break;
        }
        if (strcmp(t, "$DWGCODEPAGE") == 0)
            after = 0;
        else if (strcmp(t, "ENDSEC") == 0) /* the header is over */
            break;
    }
    ccn_vfile_close(f);
    return found;
}

/* Odd words per thousand; more than 100 is not Vietnamese, up to 20 is. */
static size_t odd_rate(size_t words, size_t odd) { return words ? odd * 1000 / words : 0; }

/* The refusal of a file whose text is misread: sampled value i reads
 * as_read as the file is read (said: "read as its .cpg says (1252)"), odd of
 * words of the sample not Vietnamese so, and as_right under right. field:
 * the field's name as the file spells it, or NULL for GDAL's. */
static ccn_status misread(import_run *run, const text_sample *s, size_t i, const char *field,
                          const char *said, const char *as_read, size_t odd, size_t words,
                          ccn_encoding right, const char *as_right)
{
    char h[HANDLE_MAX + 16];
    return ccn_error(run->ctx, CCN_ERR_INPUT,
                     "%s: feature %lld%s, field '%s': %s the text reads '%.80s', not Vietnamese "
                     "(%zu of %zu words sampled); it reads as %s: '%.80s'. Pass --encoding %s "
                     "(or auto)",
                     run->opt->file, (long long)s->fid[i], handle_of(run, s->fid[i], h),
                     field ? field : ccn_reader_field_name(run->reader, s->field[i]), said,
                     as_read, odd, words, ccn_textenc_name(right), as_right,
                     ccn_textenc_name(right));
}

static ccn_status choose_encoding(import_run *run)
{
    const char *name = run->opt->encoding;
    /* A DXF says its code page in $DWGCODEPAGE, ANSI_1252 whatever its text:
     * AutoCAD writes that under TCVN3 and VNI fonts too, and GDAL decoded it
     * as Latin-1 into "§¸t". Judged like a DBF without .cpg, but kept as GDAL
     * reads it when no encoding reads as Vietnamese (CAD text: "45°", "Ø20").
     * --encoding auto on a DXF is that. */
    bool auto_named = name && strcasecmp(name, "auto") == 0;
    bool dxf = (!name || auto_named) && strcmp(ccn_reader_driver(run->reader), "DXF") == 0;
    /* the layer's own file, as GDAL reads it: a shapefile given by its
     * folder or a .zip has its .cpg beside its .shp there, not beside the path */
    const char *file = ccn_reader_source(run->reader);
    bool dxf_1258 = dxf && dxf_codepage_1258(file);
    /* Text judged by its bytes (automatic) is read as them when they are UTF-8 (or
     * ASCII): GDAL would decode it by what the file declares, a .cpg or
     * $DWGCODEPAGE of 1258 through glibc's iconv, which drops each text's
     * last letter (see shapefile_cpg_kind), a .dbf's language driver byte
     * (0x57, ANSI, where no .cpg is beside it) as Windows-1252. --encoding
     * auto on a .cpg of 1258 lost the field names' last letters ("no field
     * for 'commune' (… MAX, SHBAND"), on a DXF the layer names' ("LUC"
     * stored as plan code "LU"); UTF-8 text in a .dbf of ANSI without .cpg
     * was stored as "Nguyá»n VÄn An" without a word. */
    bool automatic = name ? auto_named : undeclared_dbf(file) || dxf;
    if (name && !automatic && !ccn_textenc_parse(name, &run->enc))
        return ccn_error(run->ctx, CCN_ERR_INPUT,
                         "--encoding '%s': expected auto, UTF-8, TCVN3, VNI or CP1258", name);
    char *cpg = run->cpg;
    cpg_kind declared =
        name ? CPG_OTHER : shapefile_cpg_kind(file, &run->enc, cpg, sizeof run->cpg);
    bool western = declared == CPG_WESTERN;
    run->cpg_declared = declared == CPG_VIETNAMESE;
    /* --encoding UTF-8 is the file's bytes, whatever its .cpg says */
    run->raw_utf8 = name && !automatic && run->enc == CCN_ENC_UTF8;
    if (!automatic && run->enc == CCN_ENC_UTF8 && !western)
        return CCN_OK; /* declared UTF-8: decoded by GDAL or as read, import validates it */
    text_sample s = {0};
    char h[HANDLE_MAX + 16];
    ccn_status st = take_sample(run, &s);
    size_t words[4], odd[4];
    long first[4];
    bool valid[4];
    int best = -1;
    for (int k = 0; !st && k < 4; k++) {
        valid[k] = judge_sample(&s, candidates[k], &words[k], &odd[k], &first[k]);
        if (valid[k] && (best < 0 || odd_rate(words[k], odd[k]) < odd_rate(words[best], odd[best])))
            best = k;
    }
    if (st || s.n == 0) {
        /* nothing to judge: plain ASCII text reads the same in every encoding,
         * as its bytes (a DXF's ANSI_1258 would lose letters in GDAL) */
        run->raw_utf8 = !st && automatic && run->enc == CCN_ENC_UTF8;
    } else if (automatic) {
        /* GDAL would decode a DXF by its $DWGCODEPAGE, ANSI_1258 included
         * (see shapefile_cpg_kind): text that is UTF-8 is read as it is. */
        if (best >= 0 && odd_rate(words[best], odd[best]) <= 100)
            run->enc = candidates[best], run->raw_utf8 = automatic && best == 0;
        else if (dxf_1258) /* not Vietnamese ("Müller", "Ø20"), yet CP1258's */
            run->enc = CCN_ENC_CP1258;
        else if (best >= 0 && !dxf)
            st = ccn_error(run->ctx, CCN_ERR_INPUT,
                           "%s: cannot tell the text's encoding: in every one (UTF-8, TCVN3, VNI, "
                           "CP1258) words such as '%.60s' (feature %lld%s) are not Vietnamese; "
                           "name it with --encoding",
                           run->opt->file, first[best] >= 0 ? s.v[first[best]] : s.v[0],
                           (long long)s.fid[first[best] >= 0 ? first[best] : 0],
                           handle_of(run, s.fid[first[best] >= 0 ? first[best] : 0], h));
        /* no encoding decodes it: the import names the undecodable field */
    } else {
        /* A Western .cpg is judged by CP1258, Windows's Vietnamese page, which
         * decodes legacy bytes into the same symbols as 1252 ("NguyÔn"); the
         * file is then read as its .cpg says unless it reads as TCVN3 or VNI. */
        int given = western ? (int)CCN_ENC_CP1258 : (int)run->enc;
        char said[128];
        const char *dot = strrchr(file, '.');
        if ((western || run->cpg_declared) && dot && strcasecmp(dot, ".tab") == 0)
            snprintf(said, sizeof said, "read as its .tab says (!charset %s)", cpg);
        else if ((western || run->cpg_declared) && dot && strcasecmp(dot, ".mif") == 0)
            snprintf(said, sizeof said, "read as its .mif says (Charset %s)", cpg);
        else if (western || run->cpg_declared)
            snprintf(said, sizeof said, "read as its .cpg says (%s)", cpg);
        else
            snprintf(said, sizeof said, "decoded as %s", ccn_textenc_name(run->enc));
        /* (UTF-8 text under a legacy encoding is told feature by feature: take_values) */
        if (valid[given] && odd_rate(words[given], odd[given]) > 100 && best > 0 &&
            best != given && odd_rate(words[best], odd[best]) <= 20) {
            long i = first[given];
            char *as_given = ccn_textenc_to_utf8(candidates[given], s.v[i], strlen(s.v[i]));
            char *as_best = ccn_textenc_to_utf8(candidates[best], s.v[i], strlen(s.v[i]));
            const char *raw = s.field[i] < s.nnames ? s.names[s.field[i]] : NULL;
            char *field = raw ? ccn_textenc_to_utf8(candidates[given], raw, strlen(raw)) : NULL;
            st = misread(run, &s, (size_t)i, field, said, as_given ? as_given : "", odd[given],
                         words[given], candidates[best], as_best ? as_best : "");
            free(field);
            free(as_given);
            free(as_best);
        }
        /* UTF-8 text under a Western .cpg: GDAL decodes it as 1252, and
         * it was stored so, "Nguyá»…n VÄƒn An", without a word (CP1258, the
         * judge above, leaves some of its bytes undefined). */
        if (!st && western && best == 0 && odd_rate(words[0], odd[0]) <= 20) {
            size_t w = 0, o = 0;
            long i = -1;
            for (size_t k = 0; k < s.n; k++) {
                char *t = ccn_textenc_cp1252_to_utf8(s.v[k], strlen(s.v[k]));
                size_t before = o;
                if (t)
                    ccn_textenc_judge(t, &w, &o);
                if (o > before && i < 0)
                    i = (long)k;
                free(t);
            }
            if (i >= 0 && odd_rate(w, o) > 100) {
                char *as_read = ccn_textenc_cp1252_to_utf8(s.v[i], strlen(s.v[i]));
                const char *raw = s.field[i] < s.nnames ? s.names[s.field[i]] : NULL;
                st = misread(run, &s, (size_t)i, raw, said, as_read ? as_read : "?", o, w,
                             CCN_ENC_UTF8, s.v[i]);
                free(as_read);
            }
        }
        /* Windows-1258 text under a Western .cpg (or !charset): judged by
         * CP1258 it reads as Vietnamese, so it was read as the .cpg says and
         * stored as 1252 decodes it, "NguyêÞn ÐiÌnh Hýng". Where the two pages
         * give other letters for a value, it is CP1258's. */
        const ccn_encoding cp1258 = CCN_ENC_CP1258;
        size_t w1252 = 0, o1252 = 0; /* the sample as 1252 reads it */
        for (size_t k = 0; !st && western && k < s.n; k++) {
            char *t = ccn_textenc_cp1252_to_utf8(s.v[k], strlen(s.v[k]));
            if (t)
                ccn_textenc_judge(t, &w1252, &o1252);
            free(t);
        }
        bool as_1258 = !st && western && valid[cp1258] &&
                       odd_rate(words[cp1258], odd[cp1258]) <= 20 &&
                       odd_rate(w1252, o1252) > odd_rate(words[cp1258], odd[cp1258]);
        for (size_t i = 0; as_1258 && !st && i < s.n; i++) {
            char *t1258 = ccn_textenc_to_utf8(cp1258, s.v[i], strlen(s.v[i]));
            char *t1252 = ccn_textenc_cp1252_to_utf8(s.v[i], strlen(s.v[i]));
            if (t1258 && (!t1252 || strcmp(t1258, t1252) != 0)) {
                const char *raw = s.field[i] < s.nnames ? s.names[s.field[i]] : NULL;
                st = misread(run, &s, i, raw, said, t1252 ? t1252 : "?", o1252, w1252, cp1258,
                             t1258);
            }
            free(t1258);
            free(t1252);
        }
    }
    sample_free(&s);
    return st;
}

/* ---- Nothing doubled, nothing orphaned ------------------------------------
 * Rows with fid <= max_fid were stored before this import; the import's own
 * rows come after. So, once every feature is inserted, SQL can tell which
 * stored rows the file covers (and delete them when replacing) or which of
 * the file's features are stored already (and refuse them). */

/* Per role: the stored rows the file covers (--replace), and the file's
 * features whose key is stored already (fid, source fid, what it is). */
static const struct {
    const char *covered, *duplicates;
} key_sql[] = {
    [CCN_ROLE_LOTS] =
        {"DELETE FROM lots WHERE fid <= ?1 AND cluster IN (SELECT cluster FROM lots WHERE fid > ?1)",
         "SELECT n.fid, n.source_fid, 'lot ' || n.cluster || '/' || n.lot_no FROM lots n"
         " WHERE n.fid > ?1 AND EXISTS (SELECT 1 FROM lots o WHERE o.fid <= ?1"
         " AND o.cluster = n.cluster AND upper(o.lot_no) = upper(n.lot_no)) ORDER BY n.fid"},
    [CCN_ROLE_PARCELS] =
        {"DELETE FROM parcels WHERE fid <= ?1 AND EXISTS (SELECT 1 FROM parcels n"
         " WHERE n.fid > ?1 AND n.commune IS parcels.commune AND n.sheet = parcels.sheet)",
         "SELECT n.fid, n.source_fid, 'parcel ' || coalesce(n.commune, '') || '/' || n.sheet || '/'"
         " || n.parcel_no FROM parcels n WHERE n.fid > ?1 AND EXISTS (SELECT 1 FROM parcels o"
         " WHERE o.fid <= ?1 AND o.commune IS n.commune AND o.sheet = n.sheet"
         " AND o.parcel_no = n.parcel_no) ORDER BY n.fid"},
    [CCN_ROLE_MARKERS] =
        {"DELETE FROM markers WHERE fid <= ?1 AND cluster IN (SELECT cluster FROM markers"
         " WHERE fid > ?1)",
         "SELECT n.fid, NULL, 'marker ' || n.cluster || '/' || n.marker FROM markers n"
         " WHERE n.fid > ?1 AND EXISTS (SELECT 1 FROM markers o WHERE o.fid <= ?1"
         " AND o.cluster = n.cluster AND o.marker = n.marker) ORDER BY n.fid"},
    [CCN_ROLE_COMMUNES] =
        {"DELETE FROM communes WHERE fid <= ?1 AND code IN (SELECT code FROM communes"
         " WHERE fid > ?1)",
         "SELECT n.fid, n.source_fid, 'commune ' || n.code FROM communes n WHERE n.fid > ?1"
         " AND EXISTS (SELECT 1 FROM communes o WHERE o.fid <= ?1 AND o.code = n.code)"
         " ORDER BY n.fid"},
    /* the plan's zones have no key: --replace replaces the whole plan */
    [CCN_ROLE_PLAN] = {"DELETE FROM plan WHERE fid <= ?1", NULL},
};

/* A whole layer replaced (--replace-all, or the plan) goes before the new
 * rows come, so their fids start again from 1 as the old ones did. Lots are
 * the exception: their leases are checked against the old rows first. */
static bool replaced_up_front(const import_run *run)
{
    return (run->opt->replace_all || (run->opt->replace && run->role == CCN_ROLE_PLAN)) &&
           run->role != CCN_ROLE_LOTS && run->role != CCN_ROLE_CLUSTERS;
}

static ccn_status replace_up_front(import_run *run)
{
    if (!replaced_up_front(run))
        return CCN_OK;
    char sql[64];
    snprintf(sql, sizeof sql, "DELETE FROM %s", run->rule->table);
    ccn_status st = ccn_store_exec(run->store, sql);
    if (!st)
        run->res->replaced = ccn_store_changes(run->store);
    return st;
}

/* The table's last fid, before anything is inserted. */
static ccn_status note_max_fid(import_run *run)
{
    char sql[96];
    snprintf(sql, sizeof sql, "SELECT coalesce(max(fid), 0) FROM %s", run->rule->table);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store, sql, &q);
    if (!st)
        st = ccn_stmt_step(q) == 1 ? CCN_OK : CCN_ERR_INTERNAL;
    if (!st)
        run->max_fid = ccn_stmt_int(q, 0);
    ccn_stmt_free(q);
    return st;
}

/* The same file (SHA-256 of every part) into the same layer twice doubles
 * it: refused unless --again; with --if-changed, skipped. An import that
 * stored nothing (a workspace of an older ccn kept one) doubles nothing. A replace of it
 * replaces what it stored before (the same rows after): noted, not refused. */
static ccn_status refuse_same_file(import_run *run)
{
    if (!run->res->sha256[0] || run->opt->again)
        return CCN_OK;
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store,
                                     "SELECT file, imported_at FROM imports WHERE sha256 = ?1"
                                     " AND role = ?2 AND coalesce(source_layer, '') = ?3"
                                     " AND coalesce(features_stored, 1) > 0"
                                     " ORDER BY fid DESC LIMIT 1",
                                     &q);
    if (st)
        return st;
    ccn_stmt_bind_text(q, 1, run->res->sha256);
    ccn_stmt_bind_text(q, 2, run->rule->name);
    ccn_stmt_bind_text(q, 3, ccn_reader_layer_name(run->reader));
    int rc = ccn_stmt_step(q);
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
    else if (rc == 1 && run->opt->if_changed)
        run->res->unchanged = true;
    else if (rc == 1 && (run->opt->replace || run->opt->replace_all)) {
        snprintf(run->res->again_of, sizeof run->res->again_of, "%s", ccn_stmt_text(q, 0));
        snprintf(run->res->again_at, sizeof run->res->again_at, "%s", ccn_stmt_text(q, 1));
    } else if (rc == 1)
        st = ccn_error(run->ctx, CCN_ERR_INPUT,
                       "%s: this file (SHA-256 %.12s…) was imported into %s already, as '%s' on "
                       "%s: nothing imported (pass --again to import it once more, "
                       "--if-changed to skip it quietly)",
                       run->opt->file, run->res->sha256, run->rule->name, ccn_stmt_text(q, 0),
                       ccn_stmt_text(q, 1));
    ccn_stmt_free(q);
    return st;
}

/* A lease a replace would orphan, for the refusal's list. */
typedef struct {
    char *text[5]; /* cluster, lot_no, tenant, start_date, the file's other spelling of lot_no */
} orphan;

/* Cluster, lot number as people read them (collate.h), start: sorted here,
 * not by ORDER BY, where the back ends collate text apart. */
static int orphan_cmp(const void *a, const void *b)
{
    const orphan *x = a, *y = b;
    int c = ccn_collate(x->text[0], y->text[0]);
    if (!c)
        c = ccn_collate(x->text[1], y->text[1]);
    return c ? c : strcmp(x->text[3], y->text[3]);
}

/* A replace of lots that would leave a lease (running or past) without its
 * lot is refused, the leases named. Runs before the covered rows go. A lot
 * the file writes in other letters ('cn-01' for the register's 'CN-01') is
 * not the leases' lot: occupancy, the map and lots_status find a lot's
 * leases by its number as written (the replace left them uncounted). */
static ccn_status refuse_orphaned_leases(import_run *run)
{
    if (run->role != CCN_ROLE_LOTS || !run->replacing)
        return CCN_OK;
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(
        run->store,
        "SELECT l.cluster, l.lot_no, l.tenant, l.start_date,"
        "  (SELECT min(n.lot_no) FROM lots n WHERE n.fid > ?1 AND n.cluster = l.cluster"
        "   AND upper(n.lot_no) = upper(l.lot_no)) FROM leases l"
        " WHERE EXISTS (SELECT 1 FROM lots o WHERE o.fid <= ?1 AND o.cluster = l.cluster"
        "   AND o.lot_no = l.lot_no"
        "   AND (?2 <> 0 OR o.cluster IN (SELECT cluster FROM lots WHERE fid > ?1)))"
        " AND NOT EXISTS (SELECT 1 FROM lots n WHERE n.fid > ?1 AND n.cluster = l.cluster"
        "   AND n.lot_no = l.lot_no)",
        &q);
    if (st)
        return st;
    ccn_stmt_bind_int(q, 1, run->max_fid);
    ccn_stmt_bind_int(q, 2, run->opt->replace_all);
    orphan *v = NULL;
    size_t n = 0, cap = 0;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&v, &cap, n + 1, sizeof *v)) {
            st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        orphan *o = &v[n++];
        *o = (orphan){0};
        for (int k = 0; k < 5; k++) {
            const char *t = ccn_stmt_text(q, k);
            if (!(o->text[k] = strdup(t ? t : ""))) {
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
        }
    }
    if (rc < 0) {
        st = CCN_ERR_INTERNAL;
        goto done;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, orphan_cmp);
    char list[900] = "";
    for (size_t i = 0; i < n && i < 8; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s/%s (%s, from %s)", used ? "; " : "",
                 v[i].text[0], v[i].text[1], v[i].text[2], v[i].text[3]);
    }
    const orphan *respelled = NULL;
    for (size_t i = 0; i < n && !respelled; i++)
        if (*v[i].text[4])
            respelled = &v[i];
    if (respelled)
        st = ccn_error(run->ctx, CCN_ERR_INPUT,
                       "%s: the replace would leave %zu lease%s without %s lot: %s%s; nothing "
                       "imported (the file must keep every leased lot, its number written as "
                       "the lease register writes it: the file writes %s/%s as '%s')",
                       run->opt->file, n, n == 1 ? "" : "s", n == 1 ? "its" : "their", list,
                       n > 8 ? "; …" : "", respelled->text[0], respelled->text[1],
                       respelled->text[4]);
    else if (n > 0)
        st = ccn_error(run->ctx, CCN_ERR_INPUT,
                       "%s: the replace would leave %zu lease%s without %s lot: %s%s; nothing "
                       "imported (the file must keep every leased lot)",
                       run->opt->file, n, n == 1 ? "" : "s", n == 1 ? "its" : "their", list,
                       n > 8 ? "; …" : "");
done:
    ccn_stmt_free(q);
    for (size_t i = 0; i < n; i++)
        for (int k = 0; k < 5; k++)
            free(v[i].text[k]);
    free(v);
    return st;
}

/* Lots of the file that are not industrial but have leases (a leased lot
 * made green by a new detailed plan): their leases stay, occupancy no longer
 * counts them, and the import said nothing of it. Said here. */
static ccn_status warn_unleasable_leases(import_run *run)
{
    if (run->role != CCN_ROLE_LOTS)
        return CCN_OK;
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(
        run->store,
        "SELECT n.cluster, n.lot_no, n.use, count(*), sum(CASE WHEN l.start_date <= ?2 AND"
        " (l.end_date IS NULL OR l.end_date > ?2) THEN 1 ELSE 0 END)"
        " FROM lots n JOIN leases l ON l.cluster = n.cluster AND l.lot_no = n.lot_no"
        " WHERE n.fid > ?1 AND n.use <> 'industrial'"
        " GROUP BY n.cluster, n.lot_no, n.use ORDER BY min(n.fid)",
        &q);
    if (st)
        return st;
    char today[11], first[300] = "";
    ccn_date_today(today);
    ccn_stmt_bind_int(q, 1, run->max_fid);
    ccn_stmt_bind_text(q, 2, today);
    long long leases = 0, running = 0;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!leases)
            snprintf(first, sizeof first, "%s/%s, %s", ccn_stmt_text(q, 0),
                     ccn_stmt_text(q, 1), ccn_stmt_text(q, 2));
        leases += ccn_stmt_int(q, 3);
        running += ccn_stmt_int(q, 4);
    }
    ccn_stmt_free(q);
    if (rc < 0)
        return CCN_ERR_INTERNAL;
    if (leases)
        ccn_warn(run->ctx,
                 "%s: %lld lease%s (%lld running today) %s of lots the file gives another use "
                 "than industrial (first: %s): occupancy does not count them",
                 run->opt->file, leases, leases == 1 ? "" : "s", running,
                 leases == 1 ? "is" : "are", first);
    return CCN_OK;
}

/* The file's features found stored already (settle_keys): their rows, to
 * take out again under --skip-bad. */
typedef struct {
    int64_t *fid;
    size_t n, cap;
} dup_rows;

/* Feature src of the file, stored as row fid, is stored already: refused,
 * its row noted. false when out of memory (said). */
static bool stored_already(import_run *run, dup_rows *d, int64_t src, int64_t fid,
                           const char *what)
{
    refuse(run, src, "%s", what);
    unnote_share(run, src);
    key_gone(run, src);
    if (ccn_grow((void **)&d->fid, &d->cap, d->n + 1, sizeof *d->fid)) {
        d->fid[d->n++] = fid;
        return true;
    }
    ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
    return false;
}

/* The file's feature of row fid: its source_fid, or its place after max_fid. */
static int64_t source_of(const import_run *run, ccn_stmt *q, int fid_col, int src_col)
{
    return ccn_stmt_is_null(q, src_col) ? ccn_stmt_int(q, fid_col) - run->max_fid
                                        : ccn_stmt_int(q, src_col);
}

/* The file's features whose key (key_sql) is stored already. */
static ccn_status key_duplicates(import_run *run, dup_rows *d)
{
    if (!key_sql[run->role].duplicates)
        return CCN_OK;
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store, key_sql[run->role].duplicates, &q);
    if (st)
        return st;
    ccn_stmt_bind_int(q, 1, run->max_fid);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        char what[300];
        snprintf(what, sizeof what, "%s is stored already (see --replace)", ccn_stmt_text(q, 2));
        if (!stored_already(run, d, source_of(run, q, 0, 1), ccn_stmt_int(q, 0), what)) {
            rc = -1;
            break;
        }
    }
    ccn_stmt_free(q);
    return rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

/* A plan zone's identity: its code and its boundary as stored. */
typedef struct {
    char hex[65]; /* SHA-256 of the code, a NUL and the WKB */
} zone_id;

static int zone_id_cmp(const void *a, const void *b) { return memcmp(a, b, sizeof(zone_id)); }

/* The plan has no key; a zone of the file whose code and boundary are those
 * of a stored zone, byte for byte, is that zone stored already: the same plan
 * imported again (a copy, a file saved again, --again) doubled every zone,
 * exit 0, and overlay counted their land twice. Refused like a stored key. */
static ccn_status plan_duplicates(import_run *run, dup_rows *d)
{
    ccn_stmt *q = NULL;
    zone_id *held = NULL;
    size_t nheld = 0, hcap = 0;
    ccn_status st = ccn_stmt_prepare(run->store,
                                     "SELECT fid, source_fid, landuse, AsBinary(geom) FROM plan"
                                     " ORDER BY fid",
                                     &q);
    if (st)
        return st;
    bool sorted = false;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        int64_t fid = ccn_stmt_int(q, 0);
        const char *code = ccn_stmt_text(q, 2);
        size_t len = 0;
        const void *wkb = ccn_stmt_is_null(q, 3) ? NULL : ccn_stmt_blob(q, 3, &len);
        zone_id z;
        ccn_sha256 h;
        ccn_sha256_init(&h);
        ccn_sha256_update(&h, code ? code : "", code ? strlen(code) + 1 : 0);
        if (wkb)
            ccn_sha256_update(&h, wkb, len);
        ccn_sha256_hex(&h, z.hex);
        if (fid <= run->max_fid) {
            if (!ccn_grow((void **)&held, &hcap, nheld + 1, sizeof *held)) {
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
                break;
            }
            held[nheld++] = z;
            continue;
        }
        if (!sorted) {
            if (nheld > 1)
                qsort(held, nheld, sizeof *held, zone_id_cmp);
            sorted = true;
        }
        if (!nheld || !bsearch(&z, held, nheld, sizeof *held, zone_id_cmp))
            continue;
        char what[300];
        snprintf(what, sizeof what,
                 "plan zone %s is stored already, with the same boundary (see --replace)",
                 code ? code : "");
        if (!stored_already(run, d, source_of(run, q, 0, 1), fid, what)) {
            st = CCN_ERR_INTERNAL;
            break;
        }
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    free(held);
    return st;
}

/* After every feature is in: delete the stored rows the file replaces, or
 * refuse the file's features whose key is stored already (with --skip-bad,
 * take them out again and count them refused). */
static ccn_status settle_keys(import_run *run)
{
    /* a boundary is refused or replaced feature by feature; a whole layer
     * replaced went before the rows came (replace_up_front) */
    if (run->role == CCN_ROLE_CLUSTERS || replaced_up_front(run))
        return CCN_OK;
    ccn_stmt *q = NULL;
    ccn_status st = CCN_OK;
    if (run->replacing) {
        char all[96];
        snprintf(all, sizeof all, "DELETE FROM %s WHERE fid <= ?1", run->rule->table);
        if ((st = ccn_stmt_prepare(run->store,
                                   run->opt->replace_all ? all : key_sql[run->role].covered, &q)))
            return st;
        ccn_stmt_bind_int(q, 1, run->max_fid);
        if (ccn_stmt_step(q) < 0)
            st = CCN_ERR_INTERNAL;
        else
            run->res->replaced = ccn_store_changes(run->store);
        ccn_stmt_free(q);
        return st;
    }
    if (run->max_fid == 0)
        return CCN_OK;
    dup_rows d = {0};
    st = run->role == CCN_ROLE_PLAN ? plan_duplicates(run, &d) : key_duplicates(run, &d);
    if (!st && d.n > 0 && run->opt->skip_bad) {
        char sql[96];
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE fid = ?1", run->rule->table);
        st = ccn_stmt_prepare(run->store, sql, &q);
        for (size_t i = 0; !st && i < d.n; i++) {
            ccn_stmt_reset(q);
            ccn_stmt_bind_int(q, 1, d.fid[i]);
            if (ccn_stmt_step(q) < 0)
                st = CCN_ERR_INTERNAL;
        }
        ccn_stmt_free(q);
        run->res->stored -= (int64_t)d.n;
        run->stored_already = (int64_t)d.n;
    }
    free(d.fid);
    return st;
}

static int by_key(const void *a, const void *b)
{
    const key_row *p = a, *q = b;
    for (int i = 0; i < 3; i++)
        if (p->k[i] != q->k[i])
            return p->k[i] < q->k[i] ? -1 : 1;
    return (p->order > q->order) - (p->order < q->order);
}

static int by_int64(const void *a, const void *b)
{
    int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
    return (p > q) - (p < q);
}

typedef struct {
    size_t first, n; /* rows[first .. first + n) */
    int64_t order;   /* its first feature of the file: the keys said in file order */
} key_group;

static int by_group_order(const void *a, const void *b)
{
    const key_group *p = a, *q = b;
    return (p->order > q->order) - (p->order < q->order);
}

enum { KEYS_SAID = 5, FIDS_SAID = 6 }; /* keys named, and features named per key */

/* Group g's key and its features, as a message names them: the file's by
 * their numbers (and DXF handles), stored ones by their fids. */
static void name_group(const import_run *run, const key_row *rows, const key_group *g,
                       char *out, size_t size)
{
    const key_row *first = &rows[g->first]; /* the key as the file's first feature has it */
    for (size_t k = g->first; k < g->first + g->n && first->fid >= 0; k++)
        first = &rows[k];
    const char *texts = run->key_texts.text;
    char key[200];
    if (first->shown >= 0)
        snprintf(key, sizeof key, "%s", texts + first->shown);
    else
        snprintf(key, sizeof key, "%s/%lld/%lld", texts + first->k[0], (long long)first->k[1],
                 (long long)first->k[2]);
    char news[300] = "", olds[100] = "";
    int nnew = 0, nold = 0;
    for (size_t k = g->first; k < g->first + g->n; k++) {
        const key_row *r = &rows[k];
        bool file = r->fid < 0;
        char *list = file ? news : olds;
        size_t n = file ? sizeof news : sizeof olds, at = strlen(list);
        int *count = file ? &nnew : &nold;
        char h[HANDLE_MAX + 16];
        if (*count < FIDS_SAID)
            snprintf(list + at, n - at, "%s%lld%s", *count ? ", " : "",
                     (long long)(file ? r->src : r->fid), file ? handle_of(run, r->src, h) : "");
        else if (*count == FIDS_SAID)
            snprintf(list + at, n - at, ", …");
        ++*count;
    }
    if (nold)
        snprintf(out, size, "%s (feature%s %s, and fid %s stored before)", key,
                 nnew == 1 ? "" : "s", news, olds);
    else
        snprintf(out, size, "%s (features %s)", key, news);
}

/* The lots, stored and the file's, keyed as check keys them. */
static ccn_status lot_keys(import_run *run)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store,
                                     "SELECT fid, source_fid, upper(cluster), upper(trim(lot_no)),"
                                     " cluster || '/' || lot_no FROM lots",
                                     &q);
    int rc = 0;
    while (!st && (rc = ccn_stmt_step(q)) == 1) {
        int64_t fid = ccn_stmt_int(q, 0);
        bool file = fid > run->max_fid;
        if (!ccn_stmt_text(q, 2) || !ccn_stmt_text(q, 3) || !ccn_stmt_text(q, 4))
            continue; /* NOT NULL: none */
        key_row r = {{intern(&run->key_texts, ccn_stmt_text(q, 2)),
                      intern(&run->key_texts, ccn_stmt_text(q, 3)), 0},
                     file ? fid : -1, source_of(run, q, 0, 1), file ? -1 : fid,
                     intern(&run->key_texts, ccn_stmt_text(q, 4))};
        if (r.k[0] < 0 || r.k[1] < 0 || r.shown < 0 ||
            !ccn_grow((void **)&run->keys, &run->keys_cap, run->nkeys + 1, sizeof *run->keys))
            st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        else
            run->keys[run->nkeys++] = r;
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    return st;
}

/* Keys the file gives more than once are all stored, as the surveyor drew
 * them, and `ccn check` reports them (DUPLICATE_ID); the import said nothing,
 * so a land officer learnt of them from check only. Said here, keyed as check
 * keys them: a parcel by commune, sheet and number (none missing), a lot by
 * upper(cluster) and upper(trim(lot_no)). Clusters have no such key (the
 * registry's code is unique; a file's parts of one cluster are joined).
 * Against the stored rows too: settle_keys has refused every parcel whose
 * key is stored (a looser match than check's), or replaced the stored
 * parcels of the sheets the file covers, so no stored parcel can share a key
 * with the file's: the parcels' keys are those noted as they were bound
 * (store_feature; reading 300,000 back cost a tenth of a second more), less
 * the features taken out again. The lots are read whole, stored ones too
 * (few; a lot number another tool stored with spaces around it meets the
 * file's). The keys are numbered and sorted, not looked up one by one. */
static ccn_status warn_doubled_keys(import_run *run)
{
    ccn_status st = CCN_OK;
    if (run->role == CCN_ROLE_LOTS) {
        run->nkeys = run->ngone = 0; /* read from the table, what it now holds */
        if ((st = lot_keys(run)))
            return st;
    } else if (run->role != CCN_ROLE_PARCELS) {
        return CCN_OK;
    }
    key_row *rows = run->keys;
    size_t n = 0;
    if (run->ngone) /* the features taken out again are not stored */
        qsort(run->gone, run->ngone, sizeof *run->gone, by_int64);
    for (size_t i = 0; i < run->nkeys; i++)
        if (!run->ngone || rows[i].fid >= 0 ||
            !bsearch(&rows[i].src, run->gone, run->ngone, sizeof *run->gone, by_int64))
            rows[n++] = rows[i];
    bool sorted = true; /* a cadastral file comes sheet by sheet, number by number */
    for (size_t i = 1; sorted && i < n; i++)
        sorted = by_key(&rows[i - 1], &rows[i]) <= 0;
    if (!sorted)
        qsort(rows, n, sizeof *rows, by_key);
    key_group *groups = NULL;
    size_t ngroups = 0, cap = 0;
    for (size_t i = 0, j; i < n; i = j) {
        int64_t order = INT64_MAX; /* its first feature of the file's, if any */
        for (j = i; j < n && memcmp(rows[j].k, rows[i].k, sizeof rows[i].k) == 0; j++)
            if (rows[j].fid < 0 && rows[j].order < order)
                order = rows[j].order;
        if (j - i < 2 || order == INT64_MAX)
            continue; /* the stored rows' own doubles are not this import's */
        if (!ccn_grow((void **)&groups, &cap, ngroups + 1, sizeof *groups)) {
            free(groups);
            return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        }
        groups[ngroups++] = (key_group){i, j - i, order};
    }
    if (!ngroups)
        return CCN_OK;
    qsort(groups, ngroups, sizeof *groups, by_group_order);
    char list[KEYS_SAID * 400 + 40] = "";
    for (size_t g = 0; g < ngroups && g < KEYS_SAID; g++) {
        char one[400];
        name_group(run, rows, &groups[g], one, sizeof one);
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", g ? "; " : "", one);
    }
    if (ngroups > KEYS_SAID)
        snprintf(list + strlen(list), sizeof list - strlen(list), "; and %zu more",
                 ngroups - KEYS_SAID);
    long long keys = (long long)ngroups;
    if (run->role == CCN_ROLE_PARCELS)
        ccn_warn(run->ctx,
                 "%s: %lld parcel key%s (commune/sheet/parcel) given by more than one feature, "
                 "all stored as drawn: %s; 'ccn check' lists them (DUPLICATE_ID)",
                 run->opt->file, keys, keys == 1 ? "" : "s", list);
    else
        ccn_warn(run->ctx,
                 "%s: %lld lot number%s (cluster/lot) given by more than one feature, all stored "
                 "as drawn: %s; a lease of the number counts on each in occupancy; 'ccn check' "
                 "lists them (DUPLICATE_ID)",
                 run->opt->file, keys, keys == 1 ? "" : "s", list);
    free(groups);
    return CCN_OK;
}

/* The file's SHA-256 (companion files included), worked out on a thread of
 * its own while GDAL and PROJ load and open the file (a tenth of a second
 * each for a large layer); inline if no thread can start. */
typedef struct {
    const char *file;
    char hex[65];
    bool ok, running;
    pthread_t thread;
} file_hash;

static void *hash_main(void *arg)
{
    file_hash *h = arg;
    h->ok = ccn_sha256_dataset(h->file, h->hex);
    return NULL;
}

static void hash_start(file_hash *h, const char *file)
{
    h->file = file;
    h->running = pthread_create(&h->thread, NULL, hash_main, h) == 0;
    if (!h->running)
        hash_main(h);
}

/* Wait for the hash; "" when the file has none (a directory dataset such as
 * a FileGDB has no single hash). */
static void hash_finish(file_hash *h, char out[65])
{
    if (h->running)
        pthread_join(h->thread, NULL);
    h->running = false;
    snprintf(out, 65, "%s", h->ok ? h->hex : "");
}

/* The box of what the workspace held before: its clusters, plan and
 * communes (small tables; parcels and lots lie among them). Empty when
 * there are none. */
static void known_box(import_run *run)
{
    static const char *const tables[] = {"clusters", "plan", "communes"};
    box_clear(run->held);
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++) {
        char sql[160];
        snprintf(sql, sizeof sql,
                 "SELECT min(MbrMinX(geom)), min(MbrMinY(geom)), max(MbrMaxX(geom)),"
                 " max(MbrMaxY(geom)) FROM %s",
                 tables[t]);
        ccn_stmt *q = NULL;
        if (ccn_stmt_prepare(run->store, sql, &q) == CCN_OK && ccn_stmt_step(q) > 0 &&
            !ccn_stmt_is_null(q, 0)) {
            double lo[2] = {ccn_stmt_double(q, 0), ccn_stmt_double(q, 1)};
            double hi[2] = {ccn_stmt_double(q, 2), ccn_stmt_double(q, 3)};
            box_add(run->held, lo);
            box_add(run->held, hi);
        }
        ccn_stmt_free(q);
        ccn_ctx_clear_error(run->ctx); /* a workspace without one of them: nothing known */
    }
}

/* Features that land far from everything the workspace held (a .prj naming
 * the neighbouring VN-2000 zone puts a file some 50 km off, still inside
 * Vietnam and near the meridian): said, with the remedy when the file's own
 * coordinates read in the workspace CRS would lie among them. */
static void warn_far_away(import_run *run, const char *ws_crs)
{
    double d = box_distance(run->landed, run->held);
    if (!(d > FAR_AWAY_M))
        return;
    char hint[160] = "";
    if (box_distance(run->as_read, run->held) <= FAR_AWAY_M)
        snprintf(hint, sizeof hint,
                 " Read in the workspace's CRS (--s-srs %s) they would lie among them.", ws_crs);
    ccn_warn(run->ctx,
             "%s: its features lie %.1f km from the clusters, plan and communes the workspace "
             "holds: is the file's CRS (%s) right?%s",
             run->opt->file, d / 1000, run->res->crs, hint);
}

/* s into out (n bytes) as text: a byte that starts no UTF-8 letter (a .prj's
 * or a layer's name in a legacy encoding, a broken file) is U+FFFD, and a
 * letter that does not fit goes whole. The import's summary line and its
 * row in the imports table quote these. */
static void text_copy(char *out, size_t n, const char *s)
{
    char *scratch = NULL;
    const char *t = ccn_outtext_utf8(s, &scratch);
    size_t len = t ? strlen(t) : 0;
    if (!t)
        snprintf(out, n, "?");
    else if (len < n)
        memcpy(out, t, len + 1);
    else {
        memcpy(out, t, n);
        out[ccn_outtext_char_start(out, n - 1)] = '\0';
    }
    free(scratch);
}

/* A short name for the source CRS: "EPSG:5897" when PROJ can tell. */
static void describe_crs(ccn_ctx *ctx, const char *def, char *out, size_t n)
{
    (void)ctx;
    char name_only[128];
    const char *name = strstr(def, "CRS[\"");
    if (strncasecmp(def, "EPSG:", 5) == 0 || strlen(def) < n) {
        text_copy(out, n, def);
        return;
    }
    if (name) {
        name += 5;
        const char *end = strchr(name, '"');
        snprintf(name_only, sizeof name_only, "%.*s", end ? (int)(end - name) : 60, name);
    } else {
        snprintf(name_only, sizeof name_only, "%.60s…", def);
    }
    text_copy(out, n, name_only);
}

/* Without --layer one layer of a file is read: the first that holds
 * polygons (points for markers). The file's other layers that hold them too
 * — a KML's folders, a GeoPackage of one layer a sheet — were left out
 * unsaid; they are named, with their features. */
static void warn_layers_left(import_run *run)
{
    char others[600];
    bool points = run->role == CCN_ROLE_MARKERS;
    if (run->opt->layer || strcasecmp(run->res->layer, ccn_import_role_name(run->role)) == 0 ||
        !ccn_reader_layers_holding(run->reader, points, true, others, sizeof others))
        return; /* a layer named as the role was chosen as such: the others are other roles' */
    if (points)
        ccn_warn(run->ctx,
                 "%s: only layer '%s' was read; the file's other layers with points were not "
                 "(layer: features): %s; import each with --layer NAME",
                 run->opt->file, run->res->layer, others);
    else
        ccn_warn(run->ctx,
                 "%s: only layer '%s' was read; the file's other layers with polygons were not "
                 "(layer: features): %s; import each with --layer NAME",
                 run->opt->file, run->res->layer, others);
}

/* A .shp without its .dbf: GDAL reads the shapes with no fields, and a layer
 * that needs one (a code, a number) was refused with "no field for
 * 'commune' (…; the layer has: no fields)", the missing file unnamed. The
 * error names it instead, when that is so. */
static void name_missing_dbf(import_run *run)
{
    const char *src = ccn_reader_source(run->reader), *dot = strrchr(src, '.');
    if (strcmp(ccn_reader_driver(run->reader), "ESRI Shapefile") != 0 || !dot ||
        strcasecmp(dot, ".shp") != 0 || ccn_reader_field_count(run->reader) > 0)
        return;
    ccn_vfile *f = open_sibling(src, "dbf");
    if (f) { /* a .dbf of no fields: said as the layer's */
        ccn_vfile_close(f);
        return;
    }
    ccn_error(run->ctx, CCN_ERR_INPUT,
              "%s: its .dbf is missing: the shapes have no attributes to import (send the .dbf "
              "with the .shp, .shx and .prj)",
              run->opt->file);
}

/* The layer has no CRS: said, naming a shapefile's .prj GDAL could not read
 * (it passes over one without a word: "no CRS" beside a .prj sent the user
 * looking for one). */
static ccn_status no_crs_error(import_run *run)
{
    const char *src = ccn_reader_source(run->reader), *dot = strrchr(src, '.');
    ccn_vfile *f = dot && strcasecmp(dot, ".shp") == 0 ? open_sibling(src, "prj") : NULL;
    if (!f)
        return ccn_error(run->ctx, CCN_ERR_INPUT,
                         "%s: the layer has no CRS; say which with --s-srs (e.g. --s-srs "
                         "EPSG:5897 for VN-2000 / TM-3 105°)",
                         run->opt->file);
    char head[64];
    if (!ccn_vfile_line(f, head, sizeof head))
        *head = '\0';
    head[strcspn(head, "\r\n")] = '\0';
    ccn_vfile_close(f);
    return ccn_error(run->ctx, CCN_ERR_INPUT,
                     "%s: its .prj is no CRS GDAL reads ('%.40s%s'); say which CRS the layer is "
                     "in with --s-srs (e.g. --s-srs EPSG:5897 for VN-2000 / TM-3 105°)",
                     run->opt->file, head, strlen(head) > 40 ? "…" : "");
}

ccn_status ccn_import(ccn_store *store, ccn_role role, const ccn_import_options *opt,
                      ccn_import_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    import_run run = {.store = store, .ctx = ctx, .h = ccn_ctx_geos(ctx), .opt = opt,
                      .rule = &roles[role], .role = role, .res = res, .enc = CCN_ENC_UTF8,
                      .replacing = opt->replace || opt->replace_all, .handle_field = -1,
                      .last_commune = -1};
    memset(res, 0, sizeof *res);
    if (!(run.file_text = ccn_outtext_utf8(opt->file, &run.file_scratch)))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    GEOSGeometry **points = NULL; /* table mode for clusters: the marker points */
    char **point_codes = NULL;
    int64_t npoints = 0;
    bool in_transaction = false;
    ccn_status st = CCN_OK;
    file_hash hash = {0};
    hash_start(&hash, opt->file);
    /* GDAL loads on a thread of its own while PROJ finds the workspace CRS's
     * way to WGS 84 here: each a third of the set-up of a large import. */
    ccn_layerio_preload();
    char ws_crs[32];
    snprintf(ws_crs, sizeof ws_crs, "EPSG:%d", ccn_store_srid(store));
    if ((st = ccn_crs_transform_new(ctx, ws_crs, "EPSG:4326", &run.to_lonlat)))
        goto done;
    if (ccn_crs_area_of_use(ctx, ws_crs, &run.ws_area)) {
        ccn_ctx_clear_error(ctx); /* PROJ does not say: nowhere is implausible */
        run.ws_area = (ccn_crs_area){-180, -90, 180, 90, "the world"};
    }
    if (ccn_crs_central_meridian(ctx, ws_crs, &run.lon0)) {
        ccn_ctx_clear_error(ctx); /* not transverse Mercator: no meridian to be far from */
        run.lon0 = NAN;
    }
    run.meridian_max = ccn_district_tolerance(store, "meridian_max_deg", 1.5);
    if (role == CCN_ROLE_CLUSTERS) /* only join_parts asks */
        run.overlap_min_m2 = ccn_district_tolerance(store, "overlap_min_m2", 0.5);

    if ((st = ccn_reader_open_for(ctx, opt->file, opt->layer, ccn_import_role_name(role), false,
                                  role == CCN_ROLE_MARKERS, &run.reader)))
        goto done;
    if (strcmp(ccn_reader_driver(run.reader), "DXF") == 0) /* GDAL's field for group code 5 */
        run.handle_field = ccn_reader_field_index(run.reader, "EntityHandle");
    if ((st = choose_encoding(&run)))
        goto done;
    run.transcode = run.enc != CCN_ENC_UTF8;
    if (run.transcode || run.raw_utf8) { /* the file's own bytes, for ccn to decode */
        ccn_reader_close(run.reader);
        run.reader = NULL;
        if ((st = ccn_reader_open_for(ctx, opt->file, opt->layer, ccn_import_role_name(role),
                                      true, role == CCN_ROLE_MARKERS, &run.reader)))
            goto done;
    }
    text_copy(res->layer, sizeof res->layer, ccn_reader_layer_name(run.reader));
    run.table_mode = (role == CCN_ROLE_MARKERS || role == CCN_ROLE_CLUSTERS) &&
                     ccn_reader_field_index(run.reader, "x") >= 0 &&
                     ccn_reader_field_index(run.reader, "y") >= 0 &&
                     strcmp(ccn_reader_driver(run.reader), "CSV") == 0;
    if (run.table_mode && role == CCN_ROLE_CLUSTERS)
        run.rule = &roles[CCN_ROLE_MARKERS]; /* read it as a marker table first */

    if (!run.table_mode && !ccn_reader_has_geometry(run.reader)) {
        st = no_geometry_column(&run);
        goto done;
    }
    if (opt->s_srs && (st = ccn_crs_from_user(ctx, opt->s_srs, &run.user_crs)))
        goto done;
    const char *src_crs = opt->s_srs ? run.user_crs : ccn_reader_crs_wkt(run.reader);
    if (!src_crs && ccn_reader_crs_undefined(run.reader)) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "%s: the layer's CRS is the GeoPackage's 'Undefined geographic SRS' (srs_id "
                       "0, written for a layer given none): its datum is not known; say which CRS "
                       "with --s-srs (e.g. EPSG:4326 for GPS longitudes and latitudes, EPSG:5897 "
                       "for VN-2000 / TM-3 105°)",
                       opt->file);
        goto done;
    }
    if (!src_crs) {
        st = no_crs_error(&run);
        goto done;
    }
    describe_crs(ctx, src_crs, res->crs, sizeof res->crs);
    if ((st = ccn_crs_check(ctx, src_crs, &run.src_geographic))) {
        /* the file's own: a GeoPackage's "Undefined Cartesian SRS", a CAD
         * drawing's local grid; the message named neither file nor way out */
        if (!opt->s_srs && st == CCN_ERR_INPUT) {
            char why[300];
            snprintf(why, sizeof why, "%s", ccn_ctx_message(ctx));
            ccn_error(ctx, st,
                      "%s: %s: say which CRS the layer's coordinates are in with --s-srs (e.g. "
                      "--s-srs EPSG:5897 for VN-2000 / TM-3 105°)",
                      opt->file, why);
        }
        goto done;
    }
    if ((st = ccn_crs_transform_new(ctx, src_crs, ws_crs, &run.to_ws)))
        goto done;
    /* Heights matter only to a transformation (and cost the fast path otherwise). */
    ccn_reader_keep_z(run.reader, !ccn_crs_transform_is_noop(run.to_ws));
    run.src_crs = src_crs;
    if (ccn_crs_vn2000_reversed(ctx, src_crs, ws_crs, (run.ws_area.west + run.ws_area.east) / 2,
                                (run.ws_area.south + run.ws_area.north) / 2))
        ccn_warn(ctx, "%s: its CRS carries the VN-2000 shift to WGS 84 with the rotation signs "
                      "reversed (a widely copied PROJ string): taken as written, the features move "
                      "about 0.7 m; if they were drawn in VN-2000, import with --s-srs EPSG:5897 "
                      "(or the EPSG code of their zone)",
                 opt->file);
    if (ccn_reader_feature_count(run.reader) == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: layer '%s' is empty: nothing to import", opt->file,
                       res->layer);
        goto done;
    }
    if ((st = map_fields(&run))) {
        if (st == CCN_ERR_INPUT)
            name_missing_dbf(&run); /* the missing .dbf, when that is why */
        goto done;
    }
    hash_finish(&hash, res->sha256);
    /* A shapefile given by its folder or in a .zip is the files GDAL reads:
     * hashed as its .shp would be, so that it is the same file however it
     * comes (a folder had no hash, and was imported again and again: the
     * plan doubled). A folder or archive GDAL reads as one dataset (a .zip
     * of one GeoPackage) keeps the hash of the path, if it has one. */
    const char *source = ccn_reader_source(run.reader);
    char inside[65];
    if ((!res->sha256[0] || strcmp(source, opt->file) != 0) &&
        ccn_vsi_sha256_dataset(source, inside))
        memcpy(res->sha256, inside, sizeof inside);
    /* Large layers: rebuild the spatial index once at the end, not row by
     * row, and write the rows once (ccn_store_begin_bulk). */
    int64_t total = ccn_reader_feature_count(run.reader), wrong_kind = 0;
    bool bulk = role != CCN_ROLE_CLUSTERS && (total < 0 || total > BULK_ROWS);
    /* The write lock from the first read of the registry (see store.h). */
    if ((st = bulk ? ccn_store_begin_bulk(store) : ccn_store_begin(store)))
        goto done;
    in_transaction = true;
    if ((st = refuse_same_file(&run)) || res->unchanged)
        goto done;
    known_box(&run);
    box_clear(run.landed);
    box_clear(run.as_read);
    if ((st = load_clusters(&run)))
        goto done;
    if ((role == CCN_ROLE_PLAN || role == CCN_ROLE_PARCELS) &&
        (st = code_list_load(&run, "SELECT code FROM landuse_codes", &run.known)))
        goto done;
    if ((role == CCN_ROLE_COMMUNES || role == CCN_ROLE_PARCELS) &&
        (st = code_list_load(&run, "SELECT code FROM commune_registry", &run.communes)))
        goto done;
    if (role != CCN_ROLE_CLUSTERS && ((st = replace_up_front(&run)) || (st = note_max_fid(&run)) ||
                                      (st = prepare_insert(&run))))
        goto done;
    /* Large layers: GDAL reads ahead on a thread, this one takes the
     * features, the statement's thread writes them. PostgreSQL takes every
     * layer by COPY, in batches that a refused row does not abort. */
    bool stream = bulk || ccn_store_dialect(store) == CCN_DIALECT_POSTGRES;
    if (bulk && ((st = ccn_store_bulk_begin(store, run.rule->table, total)) ||
                 (st = ccn_reader_read_ahead(run.reader))))
        goto done;
    if (stream && role != CCN_ROLE_CLUSTERS && (st = ccn_stmt_set_async(run.insert)))
        goto done;
    if (bulk)
        ccn_stmt_keep_boxes(run.insert);

    ccn_feature f;
    int rc;
    while ((rc = ccn_reader_next(run.reader, &f)) == 1) {
        res->read++;
        if (run.handle_field >= 0)
            note_handle(&run, f.fid, f.values[run.handle_field]);
        if ((res->read & 255) == 0)
            ccn_progress(ctx, opt->file, (long)res->read, (long)total);
        if (!take_values(&run, &f)) {
            if ((st = run.fatal))
                goto done;
            if (role == CCN_ROLE_CLUSTERS) { /* its cluster keeps the boundary it had */
                if (run.table_mode && !note_marker_row(&run, f.fid)) {
                    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                    goto done;
                }
                note_part_refused(&run, &f);
            }
            continue;
        }
        ccn_feature pf;
        unsigned char point_wkb[21];
        if (run.table_mode && role == CCN_ROLE_CLUSTERS && !note_marker_row(&run, f.fid)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        if (run.table_mode) {
            if (!table_point(&run, &f, &pf, point_wkb)) {
                note_part_refused(&run, &f);
                continue;
            }
            if (res->read == 1) {
                double xy[2];
                memcpy(xy, point_wkb + 5, 16);
                if ((st = check_table_axes(&run, xy[1], xy[0])))
                    goto done;
            }
        }
        size_t fast_n = 0;
        if (take_as_is(&run, &f, &fast_n)) {
            res->stored += store_feature(&run, &f, NULL, fast_n);
            if ((st = run.fatal))
                goto done;
            continue;
        }
        take_outcome outcome;
        /* What normalising counts is undone for a feature refused after it
         * (a lot's use, a key stored already): the summary counts stored ones. */
        ccn_normalise_counts before = run.normal;
        int64_t dropped_before = run.parts_dropped;
        GEOSGeometry *g = take_geometry(&run, run.table_mode ? &pf : &f, &outcome);
        wrong_kind += outcome == WRONG_KIND;
        if (outcome == FATAL) {
            st = CCN_ERR_INPUT;
            goto done;
        }
        bool ok = g != NULL; /* else refused with its normalised rings counted (a short ring) */
        if (!ok)
            note_part_refused(&run, &f);
        if (ok && run.table_mode && role == CCN_ROLE_CLUSTERS) {
            int c = cluster_index(&run, run.values[MARKER_CLUSTER], run.values[MARKER_CLUSTER]);
            ok = c >= 0;
            if (!ok) {
                run.unmatched = true;
                refuse_cluster(&run, f.fid, run.values[MARKER_CLUSTER]);
                GEOSGeom_destroy_r(run.h, g);
            } else {
                GEOSGeometry **more = realloc(points, (size_t)(npoints + 1) * sizeof *points);
                points = more ? more : points;
                char **more_codes = more ? realloc(point_codes,
                                                   (size_t)(npoints + 1) * sizeof *point_codes)
                                         : NULL;
                point_codes = more_codes ? more_codes : point_codes;
                char *code = more_codes ? strdup(run.clusters[c].code) : NULL;
                if (!code) {
                    GEOSGeom_destroy_r(run.h, g);
                    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                    goto done;
                }
                points[npoints] = g;
                point_codes[npoints++] = code;
            }
            continue;
        }
        if (ok) {
            /* noted first: the database may refuse it during its own step */
            if (!note_share(&run, f.fid, &before, dropped_before)) {
                GEOSGeom_destroy_r(run.h, g);
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
            ok = role == CCN_ROLE_CLUSTERS ? gather_cluster(&run, &f, g)
                                           : store_feature(&run, &f, g, 0);
            GEOSGeom_destroy_r(run.h, g);
            if ((st = run.fatal))
                goto done;
            if (!ok && run.nshares > 0 && run.shares[run.nshares - 1].fid == f.fid)
                run.nshares--;
        }
        if (ok && role != CCN_ROLE_CLUSTERS)
            res->stored++;
        if (!ok) {
            run.normal.features = before.features, run.normal.repeats = before.repeats;
            run.normal.closed = before.closed, run.normal.invalid = before.invalid;
            run.parts_dropped = dropped_before;
        }
    }
    if (rc < 0) {
        st = CCN_ERR_INPUT;
        goto done;
    }
    const char *const *blocks;
    size_t nskipped = ccn_reader_skipped(run.reader, &blocks);
    for (size_t k = 0; k < nskipped; k++) { /* features too, that GDAL could not read */
        char who[96];
        snprintf(who, sizeof who, "an INSERT of block '%.60s'", blocks[k]);
        refuse_as(&run, who, "the file holds no such block: nothing of it can be read");
    }
    res->read += (int64_t)nskipped;
    ccn_progress(ctx, opt->file, (long)res->read, (long)res->read);
    if (res->read == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: layer '%s' is empty: nothing to import", opt->file,
                       res->layer);
        goto done;
    }
    if (wrong_kind == res->read) {
        char others[300], hint[400] = "";
        ccn_reader_layers_holding(run.reader, role == CCN_ROLE_MARKERS, false, others,
                                  sizeof others);
        if (*others)
            snprintf(hint, sizeof hint, "; layers of the file that do: %s (pick one with --layer)",
                     others);
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: layer '%s' holds no %s (%s)%s", opt->file,
                       res->layer, role == CCN_ROLE_MARKERS ? "points" : "polygons",
                       run.reasons[0], hint);
        goto done;
    }
    if (run.table_mode && role == CCN_ROLE_CLUSTERS) {
        run.rule = &roles[CCN_ROLE_CLUSTERS];
        if ((st = rings_from_markers(&run, points, point_codes, npoints)))
            goto done;
    }
    if (bulk && ((st = ccn_stmt_flush(run.insert)) ||
                 (st = ccn_store_bulk_end(store, run.rule->table))))
        goto done;
    bulk = false;
    if (role != CCN_ROLE_CLUSTERS &&
        ((st = ccn_stmt_flush(run.insert)) || (st = refuse_orphaned_leases(&run)) ||
         (st = settle_keys(&run)) || (st = warn_unleasable_leases(&run))))
        goto done;
    /* the boundaries before the verdict: the database may refuse one */
    if (role == CCN_ROLE_CLUSTERS && (st = write_clusters(&run)))
        goto done;
    /* --skip-bad imports the rest: with none, and none of the features in
     * the workspace already (a file imported again), the import failed; a
     * --replace-all emptied the layer and said exit 0. */
    bool none_left = opt->skip_bad && res->stored == 0 && run.stored_already == 0;
    if (res->refused > 0 && (!opt->skip_bad || none_left)) {
        char list[sizeof run.reasons + 16] = "";
        for (int64_t i = 0; i < run.nreasons && i < MAX_REASONS; i++)
            snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "; " : "",
                     run.reasons[i]);
        const char *legacy = run.bad_text && !run.transcode
                                 ? "legacy Vietnamese text? try --encoding TCVN3, VNI or CP1258; "
                                 : "";
        if (none_left)
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "%s: %lld of %lld features refused: %s%s; nothing imported (none is "
                           "left for --skip-bad to import: %sfix the file)",
                           opt->file, (long long)res->refused, (long long)res->read, list,
                           run.nreasons > MAX_REASONS ? "; …" : "", legacy);
        else
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "%s: %lld of %lld features refused: %s%s; nothing imported (%s"
                           "fix the file, or pass --skip-bad to import the rest)",
                           opt->file, (long long)res->refused, (long long)res->read, list,
                           run.nreasons > MAX_REASONS ? "; …" : "", legacy);
        goto done;
    }
    for (int64_t i = 0; i < run.nreasons && i < MAX_REASONS; i++)
        ccn_warn(ctx, "%s: refused %s", opt->file, run.reasons[i]);
    if (run.nreasons > MAX_REASONS) /* the rest were left out unsaid */
        ccn_warn(ctx, "%s: and %lld more refusals, not listed (the first %d are)", opt->file,
                 (long long)(run.nreasons - MAX_REASONS), MAX_REASONS);
    warn_read_as_codes(&run);
    warn_unknown_codes(&run);
    warn_commune_codes(&run);
    /* said once the import is sure to store them */
    if ((st = warn_doubled_keys(&run)))
        goto done;
    /* the features stored only: a refused one's share came out again */
    char h[HANDLE_MAX + 16];
    int64_t first;
    if (run.parts_dropped > 0 && (first = first_noted(&run, false)) >= 0)
        ccn_warn(ctx,
                 "%s: %lld feature(s) held points or lines beside their polygons (the first: "
                 "feature %lld%s): only the polygons were stored",
                 opt->file, (long long)run.parts_dropped, (long long)first,
                 handle_of(&run, first, h));
    if (run.zero_area > 0 && (first = first_noted(&run, true)) >= 0)
        ccn_warn(ctx,
                 "%s: %lld parcel(s) give 0 as their area on record (the first: feature %lld%s): "
                 "stored without an area on record",
                 opt->file, (long long)run.zero_area, (long long)first, handle_of(&run, first, h));
    warn_far_away(&run, ws_crs);
    warn_layers_left(&run);
    if (res->far_from_meridian > 0)
        ccn_warn(ctx,
                 "%s: %lld features lie more than 1.5° from the workspace's central meridian "
                 "(%.2f°): their planar areas are distorted",
                 opt->file, (long long)res->far_from_meridian, run.lon0);
    /* The statistics first: a bulk load knows them while nothing else changed.
     * The QGIS styles list the land-use codes present: refreshed in the same
     * transaction (one commit, and never a layer without its styles). */
    if ((st = ccn_store_update_extent(store, run.rule->table)) ||
        (st = record_import(&run, res->crs)) || (st = ccn_qgisstyle_install(store)) ||
        (st = ccn_store_commit(store)))
        goto done;
    in_transaction = false;
done:
    ccn_layerio_preload_wait();
    if (hash.running)
        hash_finish(&hash, res->sha256);
    res->normalised = run.normal.features;
    res->repeats_removed = run.normal.repeats;
    res->rings_closed = run.normal.closed;
    res->invalid = run.normal.invalid;
    ccn_normalise_counts_free(&run.normal);
    free(run.file_scratch);
    free(run.user_crs);
    free(run.fast_wkb);
    free(run.cells);
    /* The statement first: it may still be writing on its own thread, and
     * the refusals it hands over as it ends name features by their handles. */
    ccn_stmt_free(run.insert);
    run.insert = NULL;
    free(run.handles);
    if (in_transaction)
        ccn_store_rollback(store);
    for (int64_t i = 0; i < npoints; i++) {
        GEOSGeom_destroy_r(run.h, points[i]);
        free(point_codes[i]);
    }
    free(points);
    free(point_codes);
    for (int t = 0; t < MAX_TARGETS; t++)
        free(run.values[t]);
    for (size_t i = 0; i < run.nclusters; i++) {
        free(run.clusters[i].code);
        free(run.clusters[i].folded_name);
        if (run.clusters[i].geom)
            GEOSGeom_destroy_r(run.h, run.clusters[i].geom);
        for (size_t k = 0; k < run.clusters[i].nparts; k++)
            GEOSGeom_destroy_r(run.h, run.clusters[i].parts[k]);
        free(run.clusters[i].parts);
    }
    for (size_t i = 0; i < run.nclusters; i++) {
        free(run.clusters[i].fids);
        free(run.clusters[i].markers);
        free(run.clusters[i].rows);
    }
    free(run.clusters);
    free(run.shares);
    free(run.keys);
    free(run.gone);
    intern_free(&run.key_texts);
    code_list_free(&run.known);
    code_list_free(&run.unknown);
    code_list_free(&run.read_as);
    code_list_free(&run.communes);
    code_list_free(&run.commune_as);
    ccn_stmt_free(run.insert);
    ccn_crs_transform_free(run.to_ws);
    ccn_crs_transform_free(run.to_lonlat);
    ccn_crs_transform_free(run.src_to_lonlat);
    ccn_reader_close(run.reader);
    return st;
}
