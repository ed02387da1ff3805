/* export — GeoJSON (RFC 7946) of our own; GeoPackage and shapefile through
 * layerio; lots and clusters with their lease state on a date.
 *
 * The GeoJSON path, per feature: AsBinary(geom) from the store, parsed here
 * into one array of x,y; one ccn_crs_transform_xy call for all of it; every
 * coordinate rounded to an integer count of 1e-7 degrees; each ring's signed
 * area computed exactly on those integers and the ring written backwards when
 * its winding is wrong; digits written by hand (printf per coordinate was
 * the bottleneck). Workers take ranges of fids from a shared counter, each
 * with its own workspace connection and PROJ transform, format a range into
 * a buffer and write the buffers in range order (a turnstile), so the file
 * is the same whatever the thread timing. */
#include "export.h"
#include "qgisstyle.h"

#include "crs.h"
#include "date.h"
#include "geom.h"
#include "grow.h"
#include "occupancy.h"
#include "layer.h"
#include "layerio.h"
#include "output.h"
#include "overlay.h"
#include "outtext.h"
#include "parallel.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---------------------------------------------------------------- layers */

typedef enum { V_TEXT, V_INT, V_REAL, V_BOOL, V_DATE } vtype;

typedef struct {
    const char *name;
    vtype type;
    int decimals; /* reals: digits after the point; -1 = as stored (shortest exact) */
} column;

typedef enum { EXTRA_NONE, EXTRA_CLUSTER, EXTRA_LOT } extra_kind;

enum { MAX_COLUMNS = 32 };

/* One exportable table: the stored columns selected after fid and
 * AsBinary(geom), then the computed ones (extra). */
typedef struct {
    const char *name;   /* the layer's name, which is its table */
    const char *select; /* stored columns, the table aliased as t */
    bool points;
    extra_kind extra;
    int nstored;
    column cols[MAX_COLUMNS];
} layer_spec;

#define T(n) {n, V_TEXT, 0}
#define I(n) {n, V_INT, 0}
#define R(n) {n, V_REAL, -1}
#define RD(n, d) {n, V_REAL, d}
#define B(n) {n, V_BOOL, 0}
#define D(n) {n, V_DATE, 0}

static const layer_spec specs[] = {
    {"clusters",
     "t.code, t.name, t.kind, t.communes, t.planned_ha, t.expansion_ha, t.status, t.target_pct,"
     " t.infra_cost_bn_vnd, t.plan_code, t.clearance_by, t.provincial_plan_by, t.infra_done_by,"
     " t.expansion_proposed_by, t.established_by, t.note, t.source",
     false, EXTRA_CLUSTER, 17,
     {T("code"), T("name"), T("kind"), T("communes"), R("planned_ha"), R("expansion_ha"),
      T("status"), R("target_pct"), R("infra_cost_bn_vnd"), T("plan_code"), D("clearance_by"),
      D("provincial_plan_by"), D("infra_done_by"), D("expansion_proposed_by"),
      D("established_by"), T("note"), T("source"), RD("area_m2", 3), RD("area_ha", 4),
      RD("leasable_m2", 3), RD("leased_m2", 3), RD("occupancy_pct", 4), B("target_met"),
      D("as_of")}},
    {"lots", "t.cluster, t.lot_no, t.use", false, EXTRA_LOT, 3,
     {T("cluster"), T("lot_no"), T("use"), RD("area_m2", 3), T("status"), B("leased"),
      T("tenant"), D("lease_start"), D("lease_end"), D("as_of")}},
    {"parcels", "t.commune, t.sheet, t.parcel_no, t.landuse, t.owner, t.area_legal", false,
     EXTRA_NONE, 6,
     {T("commune"), I("sheet"), I("parcel_no"), T("landuse"), T("owner"), R("area_legal")}},
    {"plan",
     "t.landuse, (SELECT c.name FROM landuse_codes c WHERE c.code = t.landuse),"
     " (SELECT p.color FROM palette p WHERE p.key = 'landuse.' || t.landuse)",
     false, EXTRA_NONE, 3, {T("landuse"), T("landuse_name"), T("color")}},
    {"communes", "t.code, t.name", false, EXTRA_NONE, 2, {T("code"), T("name")}},
    {"findings",
     "t.severity, t.code, t.layer, t.fid, t.other_layer, t.other_fid, t.area_m2, t.x,"
     " t.y, t.message, t.message_vi",
     true, EXTRA_NONE, 11,
     {T("severity"), T("code"), T("layer"), I("fid"), T("other_layer"), I("other_fid"),
      RD("area_m2", 3), R("x"), R("y"), T("message"), T("message_vi")}},
};

#undef T
#undef I
#undef R
#undef RD
#undef B
#undef D

const char *const ccn_export_layers[] = {"clusters", "lots", "parcels", "plan",
                                         "communes", "findings", NULL};

static int spec_columns(const layer_spec *s)
{
    int n = 0;
    while (n < MAX_COLUMNS && s->cols[n].name)
        n++;
    return n;
}

static const layer_spec *find_spec(const char *name)
{
    for (size_t i = 0; i < sizeof specs / sizeof *specs; i++)
        if (strcmp(specs[i].name, name) == 0)
            return &specs[i];
    return NULL;
}

bool ccn_export_format_parse(const char *name, ccn_export_format *out)
{
    static const struct {
        const char *name;
        ccn_export_format f;
    } names[] = {{"geojson", CCN_EXPORT_GEOJSON}, {"gpkg", CCN_EXPORT_GPKG}, {"shp", CCN_EXPORT_SHP}};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].f;
            return true;
        }
    return false;
}

bool ccn_export_format_from_path(const char *path, ccn_export_format *out)
{
    if (strcmp(path, "-") == 0) {
        *out = CCN_EXPORT_GEOJSON;
        return true;
    }
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    return dot && dot[1] && ccn_export_format_parse(dot + 1, out);
}

/* ------------------------------------------------------ lease state on D */

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

void ccn_export_lots_free(ccn_lot_state *lots, size_t n)
{
    for (size_t i = 0; lots && i < n; i++) {
        free(lots[i].cluster);
        free(lots[i].lot_no);
        free(lots[i].use);
        free(lots[i].tenant);
        free(lots[i].lease_start);
        free(lots[i].lease_end);
    }
    free(lots);
}

/* Leases come from the occupancy model, the one definition of "running on
 * a day" (occupancy.h). */
static const char lots_sql[] = "SELECT fid, AsBinary(geom), cluster, lot_no, use FROM lots"
                               " WHERE ?1 IS NULL OR cluster = ?1 ORDER BY fid";

/* The planar area of the geometry in column 1 of row q (as WKB), measured on
 * its MakeValid repair when invalid (DESIGN §6); NaN when it cannot be read. */
static ccn_status measure(ccn_ctx *ctx, ccn_stmt *q, const char *what, double *area)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    size_t len = 0;
    const void *wkb = ccn_stmt_blob(q, 1, &len);
    GEOSGeometry *g = ccn_geom_from_wkb(ctx, wkb, len), *fixed = NULL;
    if (!g) { /* written by another tool: the occupancy model warns about it */
        ccn_ctx_clear_error(ctx);
        *area = NAN;
        return CCN_OK;
    }
    const GEOSGeometry *v = ccn_layer_valid(ctx, g, &fixed);
    if (v)
        *area = ccn_geom_area(ctx, v);
    if (fixed)
        GEOSGeom_destroy_r(h, fixed);
    GEOSGeom_destroy_r(h, g);
    return v ? CCN_OK
             : ccn_error(ctx, CCN_ERR_INTERNAL, "%s %lld: cannot repair its geometry", what,
                         (long long)ccn_stmt_int(q, 0));
}

static ccn_status lots_from(ccn_store *store, const ccn_occupancy *occ, const char *cluster,
                            const char *date, ccn_lot_state **out, size_t *n)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *out = NULL;
    *n = 0;
    ccn_stmt *q = NULL;
    ccn_lot_state *lots = NULL;
    size_t count = 0, cap = 0;
    ccn_status st = ccn_stmt_prepare(store, lots_sql, &q);
    if (st)
        goto done;
    ccn_stmt_bind_text(q, 1, cluster);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&lots, &cap, count + 1, sizeof *lots)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        ccn_lot_state *l = &lots[count++];
        *l = (ccn_lot_state){.fid = ccn_stmt_int(q, 0)};
        l->cluster = dup_or_null(ccn_stmt_text(q, 2));
        l->lot_no = dup_or_null(ccn_stmt_text(q, 3));
        l->use = dup_or_null(ccn_stmt_text(q, 4));
        ccn_lease_on lease;
        l->leased = l->cluster && l->lot_no &&
                    ccn_occupancy_lease(occ, l->cluster, l->lot_no, date, &lease);
        if (l->leased) {
            l->tenant = dup_or_null(lease.tenant);
            l->lease_start = dup_or_null(lease.start_date);
            l->lease_end = dup_or_null(lease.end_date);
        }
        bool industrial = l->use && strcmp(l->use, "industrial") == 0;
        l->status = !industrial ? CCN_LOT_OTHER : l->leased ? CCN_LOT_LEASED : CCN_LOT_VACANT;
        if (!ccn_stmt_is_null(q, 1) && (st = measure(ctx, q, "lot", &l->area_m2)))
            goto done;
        if (isnan(l->area_m2)) /* unreadable: counts with no area, as occupancy.h counts it */
            l->area_m2 = 0;
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
done:
    ccn_stmt_free(q);
    if (st) {
        ccn_export_lots_free(lots, count);
        return st;
    }
    *out = lots;
    *n = count;
    return CCN_OK;
}

void ccn_export_clusters_free(ccn_cluster_state *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        free(c[i].code);
        free(c[i].name);
        free(c[i].kind);
        free(c[i].status);
    }
    free(c);
}

/* "DL3, HT, …" for an unknown-cluster message. */
static void known_clusters(ccn_store *store, char *buf, size_t size)
{
    ccn_stmt *q = NULL;
    buf[0] = '\0';
    if (ccn_stmt_prepare(store, "SELECT code FROM clusters ORDER BY code", &q))
        return;
    size_t len = 0;
    while (ccn_stmt_step(q) == 1 && len + 1 < size) {
        int k = snprintf(buf + len, size - len, "%s%s", len ? ", " : "", ccn_stmt_text(q, 0));
        if (k < 0)
            break;
        len += (size_t)k;
    }
    ccn_stmt_free(q);
}

static ccn_status clusters_from(ccn_store *store, ccn_occupancy *occ, const char *code,
                                const char *date, ccn_cluster_state **out, size_t *n)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *out = NULL;
    *n = 0;
    ccn_stmt *q = NULL;
    ccn_cluster_state *cs = NULL;
    size_t count = 0, cap = 0;
    ccn_status st = ccn_stmt_prepare(store,
                                     "SELECT fid, AsBinary(geom), code, name, kind, status,"
                                     " target_pct FROM clusters WHERE ?1 IS NULL OR code = ?1"
                                     " ORDER BY fid",
                                     &q);
    if (st)
        return st;
    ccn_stmt_bind_text(q, 1, code);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&cs, &cap, count + 1, sizeof *cs)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        ccn_cluster_state *c = &cs[count++];
        *c = (ccn_cluster_state){.fid = ccn_stmt_int(q, 0), .area_m2 = NAN, .target_pct = NAN,
                                 .occupancy_pct = NAN};
        c->code = dup_or_null(ccn_stmt_text(q, 2));
        c->name = dup_or_null(ccn_stmt_text(q, 3));
        c->kind = dup_or_null(ccn_stmt_text(q, 4));
        c->status = dup_or_null(ccn_stmt_text(q, 5));
        if (!ccn_stmt_is_null(q, 6))
            c->target_pct = ccn_stmt_double(q, 6);
        if (!ccn_stmt_is_null(q, 1)) {
            if ((st = measure(ctx, q, "cluster", &c->area_m2)))
                goto done;
            c->has_boundary = !isnan(c->area_m2); /* unreadable: as without one */
        }
    }
    if (rc < 0) {
        st = CCN_ERR_INTERNAL;
        goto done;
    }
    if (code && count == 0) {
        char known[256];
        known_clusters(store, known, sizeof known);
        st = ccn_error(ctx, CCN_ERR_INPUT, "unknown cluster '%s' (the workspace has: %s)", code,
                       *known ? known : "none");
        goto done;
    }
    for (size_t k = 0; k < count; k++) {
        ccn_occupancy_figures f;
        if (cs[k].code && ccn_occupancy_cluster(occ, cs[k].code, date, &f) == CCN_OK) {
            cs[k].lots = f.industrial_lots;
            cs[k].leasable_m2 = f.leasable_m2;
            cs[k].leased_m2 = f.leased_m2;
            cs[k].occupancy_pct = f.occupancy_pct;
        }
    }
done:
    ccn_stmt_free(q);
    if (st) {
        ccn_export_clusters_free(cs, count);
        return st;
    }
    *out = cs;
    *n = count;
    return CCN_OK;
}

ccn_status ccn_export_state_on(ccn_store *store, const char *cluster, const char *date,
                               ccn_cluster_state **clusters, size_t *nclusters,
                               ccn_lot_state **lots, size_t *nlots)
{
    ccn_occupancy *occ = NULL; /* the lease register, read once for both */
    ccn_status st = ccn_occupancy_load(store, cluster, &occ);
    if (!st && clusters)
        st = clusters_from(store, occ, cluster, date, clusters, nclusters);
    if (!st && lots) {
        st = lots_from(store, occ, cluster, date, lots, nlots);
        if (st && clusters) {
            ccn_export_clusters_free(*clusters, *nclusters);
            *clusters = NULL;
            *nclusters = 0;
        }
    }
    ccn_occupancy_free(occ);
    return st;
}

ccn_status ccn_export_lots_on(ccn_store *store, const char *cluster, const char *date,
                              ccn_lot_state **out, size_t *n)
{
    return ccn_export_state_on(store, cluster, date, NULL, NULL, out, n);
}

ccn_status ccn_export_clusters_on(ccn_store *store, const char *code, const char *date,
                                  ccn_cluster_state **out, size_t *n)
{
    return ccn_export_state_on(store, code, date, out, n, NULL, NULL);
}

/* ------------------------------------------------------------- row values */

typedef struct {
    vtype type;
    bool null;
    int decimals;
    int64_t i;
    double d;
    const char *s;
} value;

/* What a row's computed columns come from. */
typedef struct {
    const layer_spec *spec;
    const ccn_lot_state *lots;
    size_t nlots;
    const ccn_cluster_state *clusters;
    size_t nclusters;
    const char *as_of;
} extras;

static const ccn_lot_state *find_lot(const extras *x, int64_t fid)
{
    size_t lo = 0, hi = x->nlots;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->lots[mid].fid < fid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->nlots && x->lots[lo].fid == fid ? &x->lots[lo] : NULL;
}

static const ccn_cluster_state *find_cluster(const extras *x, int64_t fid)
{
    for (size_t i = 0; i < x->nclusters; i++)
        if (x->clusters[i].fid == fid)
            return &x->clusters[i];
    return NULL;
}

static void set_text(value *v, const char *s) { v->null = !s, v->s = s; }
static void set_real(value *v, double d) { v->null = !isfinite(d), v->d = d; }

/* Fill vals[] (one per column of the spec) from the row and the extras. */
static void row_values(const extras *x, ccn_stmt *q, int64_t fid, value *vals)
{
    const layer_spec *s = x->spec;
    int ncols = spec_columns(s);
    for (int c = 0; c < ncols; c++)
        vals[c] = (value){.type = s->cols[c].type, .decimals = s->cols[c].decimals, .null = true};
    for (int c = 0; c < s->nstored; c++) {
        int col = c + 2;
        value *v = &vals[c];
        if (ccn_stmt_is_null(q, col))
            continue;
        v->null = false;
        switch (v->type) {
        case V_INT: v->i = ccn_stmt_int(q, col); break;
        case V_REAL: set_real(v, ccn_stmt_double(q, col)); break; /* NaN, ±inf: null */
        case V_BOOL: v->i = ccn_stmt_int(q, col) != 0; break;
        default: set_text(v, ccn_stmt_text(q, col)); break;
        }
    }
    value *e = vals + s->nstored;
    if (s->extra == EXTRA_LOT) {
        const ccn_lot_state *l = find_lot(x, fid);
        if (l) {
            set_real(&e[0], l->area_m2);
            set_text(&e[1], l->status);
            e[2].null = false, e[2].i = l->leased;
            set_text(&e[3], l->tenant);
            set_text(&e[4], l->lease_start);
            set_text(&e[5], l->lease_end);
        }
        set_text(&e[6], x->as_of);
    } else if (s->extra == EXTRA_CLUSTER) {
        const ccn_cluster_state *c = find_cluster(x, fid);
        if (c) {
            set_real(&e[0], c->area_m2);
            set_real(&e[1], c->area_m2 / 1e4);
            set_real(&e[2], c->lots ? c->leasable_m2 : NAN);
            set_real(&e[3], c->lots ? c->leased_m2 : NAN);
            set_real(&e[4], c->occupancy_pct);
            if (isfinite(c->occupancy_pct) && isfinite(c->target_pct))
                e[5].null = false, e[5].i = c->occupancy_pct >= c->target_pct;
        }
        set_text(&e[6], x->as_of);
    }
}

/* A real as text: fixed decimals, or the shortest form that reads back exactly. */
static int format_real(char *buf, size_t size, double d, int decimals)
{
    if (decimals >= 0 && size >= CCN_OUTTEXT_NUMBER_MAX) /* fixed notation: up to 309 digits */
        return ccn_outtext_number(buf, d, decimals);
    int k = snprintf(buf, size, "%.15g", d);
    if (strtod(buf, NULL) != d)
        k = snprintf(buf, size, "%.17g", d);
    /* "80.0", not "80": readers that guess types (GDAL) keep the field real. */
    if (k > 0 && (size_t)k + 2 < size && !strpbrk(buf, ".e")) {
        memcpy(buf + k, ".0", 3);
        k += 2;
    }
    return k;
}

/* ---------------------------------------------------------------- buffers */

typedef struct {
    char *p;
    size_t len, cap;
} sbuf;

static bool sb_reserve(sbuf *b, size_t extra)
{
    if (b->len + extra <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 1 << 16;
    while (cap < b->len + extra)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
        return false;
    b->p = p;
    b->cap = cap;
    return true;
}

/* Callers reserve first; these only append. */
static void sb_raw(sbuf *b, const char *s, size_t n)
{
    memcpy(b->p + b->len, s, n);
    b->len += n;
}
#define SB_LIT(b, lit) sb_raw(b, lit, sizeof(lit) - 1)

static char *put_uint(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        *p++ = tmp[--n];
    return p;
}

static char *put_int(char *p, int64_t v)
{
    if (v < 0) {
        *p++ = '-';
        return put_uint(p, (uint64_t)0 - (uint64_t)v);
    }
    return put_uint(p, (uint64_t)v);
}

/* q in units of 1e-7: "-105.1234567". */
static char *put_e7(char *p, int64_t q)
{
    uint64_t u = q < 0 ? (uint64_t)0 - (uint64_t)q : (uint64_t)q;
    if (q < 0)
        *p++ = '-';
    p = put_uint(p, u / 10000000u);
    *p++ = '.';
    uint64_t f = u % 10000000u;
    for (int i = 6; i >= 0; i--) {
        p[i] = (char)('0' + f % 10);
        f /= 10;
    }
    return p + 7;
}

/* JSON string body of UTF-8 text: valid UTF-8 passes untouched; quotes,
 * backslashes and control characters are escaped; a stray invalid byte
 * becomes U+FFFD rather than breaking the document. */
static void sb_json_string(sbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    char *p = b->p + b->len;
    *p++ = '"';
    while (*u) {
        unsigned char c = *u;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *p++ = (char)c;
            u++;
        } else if (c < 0x80) {
            *p++ = '\\';
            switch (c) {
            case '"': *p++ = '"'; break;
            case '\\': *p++ = '\\'; break;
            case '\n': *p++ = 'n'; break;
            case '\r': *p++ = 'r'; break;
            case '\t': *p++ = 't'; break;
            default:
                *p++ = 'u', *p++ = '0', *p++ = '0', *p++ = hex[c >> 4], *p++ = hex[c & 15];
            }
            u++;
        } else {
            int len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
            bool ok = len > 0;
            for (int k = 1; ok && k < len; k++)
                ok = (u[k] & 0xC0) == 0x80;
            if (ok && len == 3)
                ok = !(c == 0xE0 && u[1] < 0xA0) && !(c == 0xED && u[1] >= 0xA0);
            if (ok && len == 4)
                ok = !(c == 0xF0 && u[1] < 0x90) && !(c == 0xF4 && u[1] >= 0x90);
            if (ok) {
                memcpy(p, u, (size_t)len);
                p += len;
                u += len;
            } else {
                *p++ = (char)0xEF, *p++ = (char)0xBF, *p++ = (char)0xBD; /* U+FFFD */
                u++;
            }
        }
    }
    *p++ = '"';
    b->len = (size_t)(p - b->p);
}

/* The properties object of a row. */
static bool sb_properties(sbuf *b, const layer_spec *s, const value *vals)
{
    int ncols = spec_columns(s);
    for (int c = 0; c < ncols; c++) {
        const value *v = &vals[c];
        size_t need = strlen(s->cols[c].name) + 8 + CCN_OUTTEXT_NUMBER_MAX;
        if (!v->null && (v->type == V_TEXT || v->type == V_DATE))
            need += 6 * strlen(v->s) + 2; /* worst case: every byte \u00XX */
        if (!sb_reserve(b, need))
            return false;
        b->p[b->len++] = c ? ',' : '{';
        sb_json_string(b, s->cols[c].name);
        b->p[b->len++] = ':';
        if (v->null) {
            SB_LIT(b, "null");
            continue;
        }
        switch (v->type) {
        case V_INT: b->len = (size_t)(put_int(b->p + b->len, v->i) - b->p); break;
        case V_BOOL:
            if (v->i)
                SB_LIT(b, "true");
            else
                SB_LIT(b, "false");
            break;
        case V_REAL: {
            char num[CCN_OUTTEXT_NUMBER_MAX];
            int k = format_real(num, sizeof num, v->d, v->decimals);
            sb_raw(b, num, (size_t)k);
            break;
        }
        default: sb_json_string(b, v->s); break;
        }
    }
    if (!sb_reserve(b, 4))
        return false;
    if (ncols == 0)
        b->p[b->len++] = '{';
    b->p[b->len++] = '}';
    return true;
}

/* -------------------------------------------------------------------- WKB */

/* A feature's geometry read from WKB: points (x,y interleaved), the number
 * of points of each ring and of rings of each polygon. */
typedef struct {
    int type;                 /* 1 point, 4 multipoint, 3 polygon, 6 multipolygon */
    double *xy;
    size_t npts, cap_pts;
    uint32_t *ring_len;
    size_t nrings, cap_rings;
    uint32_t *poly_rings;
    size_t npolys, cap_polys;
    int64_t *q;               /* rounded coordinates, 1e-7 degrees */
    size_t cap_q;
} shape;

typedef struct {
    const unsigned char *p, *end;
    bool swap;
} wkb_reader;

static bool rd_u32(wkb_reader *r, uint32_t *v)
{
    if (r->end - r->p < 4)
        return false;
    memcpy(v, r->p, 4);
    if (r->swap)
        *v = __builtin_bswap32(*v);
    r->p += 4;
    return true;
}

static bool rd_header(wkb_reader *r, uint32_t *base, int *dims)
{
    if (r->p >= r->end)
        return false;
    r->swap = (*r->p++ == 1) != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__);
    uint32_t t;
    if (!rd_u32(r, &t))
        return false;
    *dims = 2 + ((t & 0x80000000u) != 0) + ((t & 0x40000000u) != 0); /* EWKB flags */
    t &= 0x0FFFFFFFu;
    if (t >= 1000) { /* ISO: 1000 Z, 2000 M, 3000 ZM */
        *dims = 2 + (t / 1000 == 3 ? 2 : 1);
        t %= 1000;
    }
    *base = t;
    return true;
}

static bool rd_points(wkb_reader *r, shape *s, uint32_t n, int dims)
{
    if ((size_t)(r->end - r->p) / (8u * (unsigned)dims) < n)
        return false;
    if (!ccn_grow((void **)&s->xy, &s->cap_pts, s->npts + n, 2 * sizeof(double)))
        return false;
    double *out = s->xy + 2 * s->npts;
    for (uint32_t i = 0; i < n; i++) {
        for (int k = 0; k < 2; k++) {
            uint64_t bits;
            memcpy(&bits, r->p + 8 * k, 8);
            if (r->swap)
                bits = __builtin_bswap64(bits);
            memcpy(&out[2 * i + k], &bits, 8);
        }
        r->p += 8u * (unsigned)dims;
    }
    s->npts += n;
    return true;
}

static bool rd_polygon_body(wkb_reader *r, shape *s, int dims)
{
    uint32_t nrings;
    if (!rd_u32(r, &nrings) || (size_t)(r->end - r->p) / 4 < nrings)
        return false;
    if (!ccn_grow((void **)&s->poly_rings, &s->cap_polys, s->npolys + 1, sizeof *s->poly_rings) ||
        !ccn_grow((void **)&s->ring_len, &s->cap_rings, s->nrings + nrings, sizeof *s->ring_len))
        return false;
    s->poly_rings[s->npolys++] = nrings;
    for (uint32_t i = 0; i < nrings; i++) {
        uint32_t n;
        if (!rd_u32(r, &n) || !rd_points(r, s, n, dims))
            return false;
        s->ring_len[s->nrings++] = n;
    }
    return true;
}

/* Parse a Point, MultiPoint, Polygon or MultiPolygon; false if unreadable
 * or of another type. */
static bool parse_wkb(shape *s, const unsigned char *wkb, size_t len)
{
    s->npts = s->nrings = s->npolys = 0;
    wkb_reader r = {wkb, wkb + len, false};
    uint32_t base;
    int dims;
    if (!rd_header(&r, &base, &dims))
        return false;
    s->type = (int)base;
    if (base == 1)
        return rd_points(&r, s, 1, dims);
    if (base == 3)
        return rd_polygon_body(&r, s, dims);
    if (base != 4 && base != 6)
        return false;
    uint32_t nparts;
    if (!rd_u32(&r, &nparts))
        return false;
    for (uint32_t i = 0; i < nparts; i++) {
        uint32_t pt;
        int pd;
        if (!rd_header(&r, &pt, &pd) || pt != (base == 4 ? 1u : 3u))
            return false;
        if (!(base == 4 ? rd_points(&r, s, 1, pd) : rd_polygon_body(&r, s, pd)))
            return false;
    }
    return true;
}

/* ---------------------------------------------------------------- GeoJSON */

enum {
    RANGE_FIDS = 2048, /* fids per range: a worker's unit of reading and formatting */
    AHEAD = 8,         /* ranges formatted ahead of the one being written */
    GJ_NAMED = 100,    /* features without their geometry named one by one; the rest counted */
};

/* A formatted range waiting for its turn to be written. */
typedef struct {
    sbuf text;
    sbuf warn;                /* the range's features written without their geometry */
    int64_t features, reoriented;
    int64_t bbox[4];
    bool has_bbox, ready;
} gj_slot;

typedef struct {
    const extras *x;
    char sql[1536];
    const ccn_store *ws; /* opened again by each worker */
    const int64_t *keep;      /* sorted fids to write; NULL: every row */
    size_t nkeep;
    int64_t fid0;             /* first fid of range 0 */
    size_t nranges;
    atomic_size_t next_range; /* next range to take */
    atomic_int failed;
    FILE *out;
    ccn_ctx *main_ctx;        /* progress only, under mu */
    int64_t total;            /* rows, for the progress bar */
    pthread_mutex_t mu;       /* guards everything below */
    pthread_cond_t moved;     /* next_write moved, or failed */
    size_t next_write;        /* range written next */
    gj_slot slots[AHEAD];     /* range k waits in slots[k % AHEAD] */
    bool wrote_feature;
    int64_t features, reoriented, nulled;
    int64_t bbox[4];          /* 1e-7 degrees */
    bool has_bbox;
} gj_job;

static bool kept(const gj_job *j, int64_t fid)
{
    if (!j->keep)
        return true;
    size_t lo = 0, hi = j->nkeep;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (j->keep[mid] < fid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < j->nkeep && j->keep[lo] == fid;
}

/* What one worker accumulates over its ranges. */
typedef struct {
    shape s;
    sbuf out;
    sbuf warn;                /* NUL-terminated lines, see gj_note */
    int64_t features, reoriented;
    int64_t bbox[4];
    bool has_bbox;
    value vals[MAX_COLUMNS];
} gj_local;

/* Twice the signed area of ring [q, q + 2n), exact (relative to its first point). */
static __int128 ring_area2(const int64_t *q, size_t n)
{
    __int128 a = 0;
    int64_t x0 = q[0], y0 = q[1];
    for (size_t i = 1; i + 1 < n; i++) {
        int64_t xi = q[2 * i] - x0, yi = q[2 * i + 1] - y0;
        int64_t xj = q[2 * i + 2] - x0, yj = q[2 * i + 3] - y0;
        a += (__int128)xi * yj - (__int128)xj * yi;
    }
    return a;
}

static void sb_position(sbuf *b, const int64_t *q)
{
    char *p = b->p + b->len;
    *p++ = '[';
    p = put_e7(p, q[0]);
    *p++ = ',';
    p = put_e7(p, q[1]);
    *p++ = ']';
    b->len = (size_t)(p - b->p);
}

/* The geometry member's value, from the parsed and transformed shape. */
static bool sb_geometry(sbuf *b, gj_local *L)
{
    shape *s = &L->s;
    static const char *const names[] = {[1] = "Point", [3] = "Polygon", [4] = "MultiPoint",
                                        [6] = "MultiPolygon"};
    /* 2 × 21 digits, signs, points, brackets: 48 bytes a position is plenty. */
    if (!sb_reserve(b, 64 + 48 * s->npts + 8 * (s->nrings + s->npolys)))
        return false;
    SB_LIT(b, "{\"type\":\"");
    sb_raw(b, names[s->type], strlen(names[s->type]));
    SB_LIT(b, "\",\"coordinates\":");
    for (size_t i = 0; i < s->npts; i++) {
        int64_t *q = &s->q[2 * i];
        if (!L->has_bbox) {
            L->bbox[0] = L->bbox[2] = q[0];
            L->bbox[1] = L->bbox[3] = q[1];
            L->has_bbox = true;
        }
        if (q[0] < L->bbox[0]) L->bbox[0] = q[0];
        if (q[0] > L->bbox[2]) L->bbox[2] = q[0];
        if (q[1] < L->bbox[1]) L->bbox[1] = q[1];
        if (q[1] > L->bbox[3]) L->bbox[3] = q[1];
    }
    if (s->type == 1) {
        if (s->npts)
            sb_position(b, s->q);
        else
            SB_LIT(b, "[]");
    } else if (s->type == 4) {
        b->p[b->len++] = '[';
        for (size_t i = 0; i < s->npts; i++) {
            if (i)
                b->p[b->len++] = ',';
            sb_position(b, &s->q[2 * i]);
        }
        b->p[b->len++] = ']';
    } else {
        bool multi = s->type == 6;
        size_t ring = 0, pt = 0;
        if (multi)
            b->p[b->len++] = '[';
        for (size_t k = 0; k < s->npolys; k++) {
            if (k)
                b->p[b->len++] = ',';
            b->p[b->len++] = '[';
            for (uint32_t r = 0; r < s->poly_rings[k]; r++, ring++) {
                size_t n = s->ring_len[ring];
                const int64_t *q = &s->q[2 * pt];
                /* Exterior counter-clockwise (positive area), holes clockwise. */
                __int128 a = n >= 3 ? ring_area2(q, n) : 0;
                bool reverse = a != 0 && (a > 0) != (r == 0);
                if (r)
                    b->p[b->len++] = ',';
                b->p[b->len++] = '[';
                for (size_t i = 0; i < n; i++) {
                    if (i)
                        b->p[b->len++] = ',';
                    sb_position(b, &q[2 * (reverse ? n - 1 - i : i)]);
                }
                b->p[b->len++] = ']';
                L->reoriented += reverse;
                pt += n;
            }
            b->p[b->len++] = ']';
        }
        if (multi)
            b->p[b->len++] = ']';
    }
    b->p[b->len++] = '}';
    return true;
}

/* Why a stored geometry cannot be written, or NULL when it can: it cannot
 * be read (bytes that are no WKB, a ring not closed or of fewer than four
 * points, which GEOS refuses too), or it is not of the layer's kind (a line
 * or a collection among polygons; another tool wrote the workspace, and
 * 'ccn check' names it NOT_POLYGON). s is parsed when NULL is returned.
 * Bad data, not ccn's fault: the feature is written with a null geometry
 * (RFC 7946 §3.2) and its attributes kept. */
static const char *geometry_problem(shape *s, bool points, const unsigned char *wkb, size_t len,
                                    char *why, size_t size)
{
    static const char *const types[] = {"Geometry", "Point", "LineString", "Polygon",
                                        "MultiPoint", "MultiLineString", "MultiPolygon",
                                        "GeometryCollection"}; /* by WKB type, as GEOS names them */
    wkb_reader r = {wkb, wkb + len, false};
    uint32_t base;
    int dims;
    const char *cannot = NULL;
    if (!wkb)
        cannot = "not a geometry blob";
    else if (!rd_header(&r, &base, &dims))
        cannot = "malformed WKB";
    if (cannot) {
        snprintf(why, size, ": the stored geometry cannot be read (%s)", cannot);
        return why;
    }
    bool kind = points ? base == 1 || base == 4 : base == 3 || base == 6;
    if (!kind) {
        snprintf(why, size, " is a %s, not a %s",
                 base < 8 ? types[base] : "geometry of another kind", points ? "point" : "polygon");
        return why;
    }
    if (!parse_wkb(s, wkb, len))
        cannot = "malformed WKB";
    /* An empty point is NaN NaN in WKB (GEOS, GDAL, PostGIS): no point, an
     * empty member of a multipoint left out. Any other NaN or infinity has
     * no place on a map, and no JSON token. */
    if (!cannot && (s->type == 1 || s->type == 4)) {
        size_t kept_pts = 0;
        for (size_t i = 0; i < s->npts; i++)
            if (!isnan(s->xy[2 * i]) || !isnan(s->xy[2 * i + 1])) {
                s->xy[2 * kept_pts] = s->xy[2 * i], s->xy[2 * kept_pts + 1] = s->xy[2 * i + 1];
                kept_pts++;
            }
        s->npts = kept_pts;
    }
    for (size_t i = 0; !cannot && i < 2 * s->npts; i++)
        if (!isfinite(s->xy[i]))
            cannot = "a coordinate that is not a finite number";
    for (size_t i = 0, pt = 0; !cannot && i < s->nrings; pt += s->ring_len[i++]) {
        const double *a = &s->xy[2 * pt], *z = &s->xy[2 * (pt + s->ring_len[i]) - 2];
        if (s->ring_len[i] < 4)
            cannot = "a ring of fewer than 4 points";
        else if (a[0] != z[0] || a[1] != z[1])
            cannot = "a ring that is not closed";
    }
    if (cannot) {
        snprintf(why, size, ": the stored geometry cannot be read (%s)", cannot);
        return why;
    }
    return NULL;
}

/* Note feature fid, written with a null geometry for the reason why, in
 * the worker's warnings (NUL-separated lines, handed over with its range so
 * that they reach the caller in fid order). */
static ccn_status gj_note(ccn_ctx *ctx, gj_local *L, const char *layer, int64_t fid,
                          const char *why)
{
    char line[320];
    int k = snprintf(line, sizeof line, "%s fid %lld%s: written with a null geometry", layer,
                     (long long)fid, why);
    if (k < 0 || !sb_reserve(&L->warn, (size_t)k + 1))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    sb_raw(&L->warn, line, (size_t)k + 1);
    return CCN_OK;
}

/* Format one row as ",\n{Feature}" into L->out. */
static ccn_status gj_feature(ccn_ctx *ctx, gj_job *j, ccn_transform *tf, ccn_stmt *q,
                             gj_local *L)
{
    int64_t fid = ccn_stmt_int(q, 0);
    sbuf *b = &L->out;
    ccn_status st;
    if (!sb_reserve(b, 64))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    SB_LIT(b, ",\n{\"type\":\"Feature\",\"id\":");
    b->len = (size_t)(put_int(b->p + b->len, fid) - b->p);
    SB_LIT(b, ",\"geometry\":");
    /* AsBinary is NULL for a NULL geometry and for a blob that is none */
    bool stored = !ccn_stmt_is_null(q, 2 + j->x->spec->nstored) &&
                  ccn_stmt_int(q, 2 + j->x->spec->nstored) != 0;
    size_t len = 0;
    const unsigned char *wkb = ccn_stmt_is_null(q, 1) ? NULL : ccn_stmt_blob(q, 1, &len);
    char why[160];
    const char *problem =
        stored ? geometry_problem(&L->s, j->x->spec->points, wkb, len, why, sizeof why) : NULL;
    /* POINT EMPTY: RFC 7946 has no empty position, so null, as GDAL writes
     * it; an EMPTY, not a bad geometry (an empty multi-geometry keeps []) */
    bool empty_point = stored && !problem && L->s.type == 1 && L->s.npts == 0;
    if (!stored || problem || empty_point) {
        SB_LIT(b, "null");
        if (problem && (st = gj_note(ctx, L, j->x->spec->name, fid, problem)))
            return st;
    } else {
        shape *s = &L->s;
        st = ccn_crs_transform_xy(ctx, tf, s->xy, s->npts);
        if (st) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s", ccn_ctx_message(ctx));
            return ccn_error(ctx, st, "%s: feature %lld: %s", j->x->spec->name, (long long)fid,
                             msg);
        }
        if (!ccn_grow((void **)&s->q, &s->cap_q, s->npts, 2 * sizeof *s->q))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        for (size_t i = 0; i < 2 * s->npts; i++)
            s->q[i] = llround(s->xy[i] * 1e7);
        if (!sb_geometry(b, L))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    if (!sb_reserve(b, 32))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    SB_LIT(b, ",\"properties\":");
    row_values(j->x, q, fid, L->vals);
    if (!sb_properties(b, j->x->spec, L->vals) || !sb_reserve(b, 2))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    b->p[b->len++] = '}';
    L->features++;
    return CCN_OK;
}

static void gj_fail(gj_job *j)
{
    pthread_mutex_lock(&j->mu);
    atomic_store(&j->failed, 1);
    pthread_cond_broadcast(&j->moved);
    pthread_mutex_unlock(&j->mu);
}

static void merge_bbox(int64_t *into, bool *has, const int64_t *b)
{
    if (!*has) {
        memcpy(into, b, 4 * sizeof *into);
        *has = true;
        return;
    }
    for (int i = 0; i < 2; i++) {
        if (b[i] < into[i]) into[i] = b[i];
        if (b[i + 2] > into[i + 2]) into[i + 2] = b[i + 2];
    }
}

/* Wait until range k may be formatted: at most AHEAD ranges wait unwritten. */
static bool gj_room(gj_job *j, size_t k)
{
    pthread_mutex_lock(&j->mu);
    while (k >= j->next_write + AHEAD && !atomic_load(&j->failed))
        pthread_cond_wait(&j->moved, &j->mu);
    pthread_mutex_unlock(&j->mu);
    return !atomic_load(&j->failed);
}

/* Hand range k's text over to its slot, then write every range whose turn
 * has come. The worker gets the slot's emptied buffer back. */
static ccn_status gj_deliver(ccn_ctx *ctx, gj_job *j, size_t k, gj_local *L)
{
    ccn_status st = CCN_OK;
    pthread_mutex_lock(&j->mu);
    gj_slot *slot = &j->slots[k % AHEAD];
    sbuf spare = slot->text;
    slot->text = L->out;
    L->out = spare;
    L->out.len = 0;
    spare = slot->warn;
    slot->warn = L->warn;
    L->warn = spare;
    L->warn.len = 0;
    slot->features = L->features, slot->reoriented = L->reoriented;
    memcpy(slot->bbox, L->bbox, sizeof slot->bbox);
    slot->has_bbox = L->has_bbox;
    slot->ready = true;
    while (!atomic_load(&j->failed) && j->slots[j->next_write % AHEAD].ready) {
        gj_slot *w = &j->slots[j->next_write % AHEAD];
        const char *p = w->text.p;
        size_t n = w->text.len;
        if (n && !j->wrote_feature) /* the first feature has no comma before it */
            p += 2, n -= 2;
        if (n && fwrite(p, 1, n, j->out) != n) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write the output: %s", strerror(errno));
            atomic_store(&j->failed, 1);
            break;
        }
        j->wrote_feature |= w->text.len > 0;
        j->features += w->features;
        j->reoriented += w->reoriented;
        for (size_t at = 0; at < w->warn.len; at += strlen(w->warn.p + at) + 1)
            if (j->nulled++ < GJ_NAMED)
                ccn_warn(j->main_ctx, "%s", w->warn.p + at);
        if (w->has_bbox)
            merge_bbox(j->bbox, &j->has_bbox, w->bbox);
        w->ready = false;
        w->text.len = 0;
        w->warn.len = 0;
        j->next_write++;
        ccn_progress(j->main_ctx, j->x->spec->name, (long)j->features,
                     (long)(j->keep ? (int64_t)j->nkeep : j->total));
    }
    pthread_cond_broadcast(&j->moved);
    pthread_mutex_unlock(&j->mu);
    L->features = L->reoriented = 0;
    L->has_bbox = false;
    return st;
}

static ccn_status gj_worker(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)begin, (void)end, (void)worker;
    gj_job *j = user;
    if (atomic_load(&j->next_range) >= j->nranges)
        return CCN_OK; /* the other workers took everything */
    ccn_store *store = NULL;
    ccn_stmt *q = NULL;
    ccn_transform *tf = NULL;
    gj_local L = {0};
    ccn_status st;
    if ((st = ccn_store_open_same(ctx, j->ws, &store)))
        goto done;
    ccn_store_scan_once(store); /* each worker reads its own ranges once */
    double lon0;
    if ((st = ccn_stmt_prepare(store, j->sql, &q)) ||
        (st = ccn_store_lonlat(store, ctx, &tf, &lon0)))
        goto done;
    while (!atomic_load(&j->failed)) {
        size_t k = atomic_fetch_add(&j->next_range, 1);
        if (k >= j->nranges || !gj_room(j, k))
            break;
        ccn_stmt_reset(q);
        ccn_stmt_bind_int(q, 1, j->fid0 + (int64_t)k * RANGE_FIDS);
        ccn_stmt_bind_int(q, 2, j->fid0 + (int64_t)(k + 1) * RANGE_FIDS);
        int rc;
        while ((rc = ccn_stmt_step(q)) == 1)
            if (kept(j, ccn_stmt_int(q, 0)) && (st = gj_feature(ctx, j, tf, q, &L)))
                goto done;
        if (rc < 0) {
            st = CCN_ERR_INTERNAL;
            goto done;
        }
        if ((st = gj_deliver(ctx, j, k, &L)))
            goto done;
    }
done:
    if (st)
        gj_fail(j);
    ccn_crs_transform_free(tf);
    ccn_stmt_free(q);
    ccn_store_close(store);
    free(L.s.xy);
    free(L.s.ring_len);
    free(L.s.poly_rings);
    free(L.s.q);
    free(L.out.p);
    free(L.warn.p);
    return st;
}

static ccn_status write_geojson(ccn_store *store, const extras *x, const int64_t *keep,
                                size_t nkeep, FILE *out, ccn_export_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    const layer_spec *s = x->spec;
    gj_job j = {.x = x, .ws = store, .keep = keep, .nkeep = nkeep,
                .out = out, .main_ctx = ctx};
    const char *key = ccn_store_key(s->name);
    snprintf(j.sql, sizeof j.sql,
             "SELECT t.%s, AsBinary(t.geom), %s, CASE WHEN t.geom IS NULL THEN 0 ELSE 1 END"
             " FROM %s t WHERE t.%s >= ?1 AND t.%s < ?2 ORDER BY t.%s",
             key, s->select, s->name, key, key, key);
    ccn_stmt *q = NULL;
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT min(%s), max(%s), count(*) FROM %s", key, key, s->name);
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    if (st)
        return st;
    if (ccn_stmt_step(q) != 1) {
        ccn_stmt_free(q);
        return CCN_ERR_INTERNAL;
    }
    bool empty = ccn_stmt_is_null(q, 0) || (keep && nkeep == 0);
    if (!empty) {
        j.fid0 = keep ? keep[0] : ccn_stmt_int(q, 0);
        int64_t last = keep ? keep[nkeep - 1] : ccn_stmt_int(q, 1);
        j.nranges = (size_t)((last - j.fid0) / RANGE_FIDS + 1);
        j.total = ccn_stmt_int(q, 2);
    }
    ccn_stmt_free(q);

    fprintf(out, "{\"type\":\"FeatureCollection\",\"name\":\"%s\",\"features\":[\n", s->name);
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.moved, NULL);
    if (j.nranges) {
        size_t workers = (size_t)ccn_parallel_workers();
        if (workers > j.nranges)
            workers = j.nranges;
        /* One item per worker: each loops over ranges with its own connection. */
        st = ccn_parallel_for(ctx, workers, 1, gj_worker, &j);
    }
    for (int i = 0; i < AHEAD; i++) {
        free(j.slots[i].text.p);
        free(j.slots[i].warn.p);
    }
    pthread_cond_destroy(&j.moved);
    pthread_mutex_destroy(&j.mu);
    if (st)
        return st;
    fputs("\n]", out);
    if (j.has_bbox) { /* after the features, so that they could stream */
        char bbox[160], *p = bbox;
        fputs(",\"bbox\":[", out);
        for (int i = 0; i < 4; i++) {
            if (i)
                *p++ = ',';
            p = put_e7(p, j.bbox[i]);
            res->bbox[i] = (double)j.bbox[i] / 1e7;
        }
        *p++ = ']';
        fwrite(bbox, 1, (size_t)(p - bbox), out);
    }
    fputs("}\n", out);
    res->features = j.features;
    res->reoriented = j.reoriented;
    res->no_geometry = j.nulled;
    if (j.nulled > GJ_NAMED)
        ccn_warn(ctx, "%s: %lld more features written with a null geometry (the first %d are "
                      "named above; 'ccn check' lists them all)",
                 s->name, (long long)(j.nulled - GJ_NAMED), GJ_NAMED);
    return CCN_OK;
}

/* ------------------------------------------------------- GeoPackage / SHP */

/* A shapefile keeps a polygon's rings, not which hole is whose: readers
 * (GDAL, QGIS) give each hole to the shell around it. A valid polygon reads
 * back as itself; an invalid one of several rings (a hole outside its shell,
 * overlapping parts) as another, with another area. Is this one valid? */
static bool rings_valid(ccn_ctx *ctx, const unsigned char *wkb, size_t len)
{
    GEOSGeometry *g = ccn_geom_from_wkb(ctx, wkb, len);
    if (!g) { /* unreadable: said elsewhere */
        ccn_ctx_clear_error(ctx);
        return true;
    }
    bool valid = GEOSisValid_r(ccn_ctx_geos(ctx), g) == 1;
    GEOSGeom_destroy_r(ccn_ctx_geos(ctx), g);
    return valid;
}

static ccn_status write_gdal(ccn_store *store, const extras *x, const int64_t *keep, size_t nkeep,
                             const char *path, const char *final_path, const char *driver,
                             bool into_existing, ccn_export_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    const layer_spec *s = x->spec;
    int ncols = spec_columns(s);
    static const ccn_field_type ftype[] = {[V_TEXT] = CCN_FIELD_TEXT, [V_INT] = CCN_FIELD_INT,
                                           [V_REAL] = CCN_FIELD_REAL, [V_BOOL] = CCN_FIELD_BOOL,
                                           [V_DATE] = CCN_FIELD_DATE};
    ccn_field_def defs[MAX_COLUMNS];
    for (int c = 0; c < ncols; c++)
        defs[c] = (ccn_field_def){s->cols[c].name, ftype[s->cols[c].type]};
    char srs[32], sql[1536];
    snprintf(srs, sizeof srs, "EPSG:%d", ccn_store_srid(store));
    const char *key = ccn_store_key(s->name);
    snprintf(sql, sizeof sql,
             "SELECT t.%s, AsBinary(t.geom), %s, CASE WHEN t.geom IS NULL THEN 0 ELSE 1 END"
             " FROM %s t ORDER BY t.%s",
             key, s->select, s->name, key);
    ccn_writer *w = NULL;
    ccn_stmt *q = NULL;
    value vals[MAX_COLUMNS] = {0};
    char text[MAX_COLUMNS][CCN_OUTTEXT_NUMBER_MAX];
    char *fixed[MAX_COLUMNS] = {NULL}; /* text repaired into valid UTF-8 */
    const char *strs[MAX_COLUMNS];
    gj_job filter = {.keep = keep, .nkeep = nkeep};
    shape sh = {0};
    char why[160];
    bool shp = strcmp(driver, "ESRI Shapefile") == 0;
    long long reshaped = 0; /* invalid polygons of several rings, into a shapefile */
    /* messages name the file the user asked for, not the temporary one */
    ccn_status st = ccn_writer_open(ctx, path, final_path, driver, into_existing, s->name, srs,
                                    s->points ? CCN_WRITER_POINT : CCN_WRITER_MULTIPOLYGON, defs,
                                    ncols, &w);
    if (st) { /* said as every export's failure to write is */
        char why[512];
        snprintf(why, sizeof why, "%s", ccn_ctx_message(ctx));
        return ccn_error(ctx, st, "cannot write '%s' (%s)", final_path, why);
    }
    if ((st = ccn_stmt_prepare(store, sql, &q)))
        goto done;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        int64_t fid = ccn_stmt_int(q, 0);
        if (!kept(&filter, fid))
            continue;
        row_values(x, q, fid, vals);
        for (int c = 0; c < ncols; c++) {
            const value *v = &vals[c];
            strs[c] = text[c];
            if (v->null)
                strs[c] = NULL;
            else if (v->type == V_INT || v->type == V_BOOL)
                snprintf(text[c], sizeof text[c], "%lld", (long long)v->i);
            else if (v->type == V_REAL)
                format_real(text[c], sizeof text[c], v->d, v->decimals);
            else if (!(strs[c] = ccn_outtext_utf8(v->s, &fixed[c]))) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
        }
        /* As in GeoJSON: what cannot be read or is not of the layer's kind
         * goes as a NULL geometry with every attribute, named and counted;
         * GDAL would write it as the layer's type (or refuse the whole
         * shapefile), and QGIS could not draw it. */
        bool stored = ccn_stmt_int(q, 2 + s->nstored) != 0;
        size_t len = 0;
        const unsigned char *wkb = ccn_stmt_is_null(q, 1) ? NULL : ccn_stmt_blob(q, 1, &len);
        const char *problem =
            stored ? geometry_problem(&sh, s->points, wkb, len, why, sizeof why) : NULL;
        /* A point layer's file holds points (a shapefile refuses anything
         * else): a multipoint of one point goes as that point. */
        unsigned char one[21] = {1, 1, 0, 0, 0}; /* little-endian WKB Point */
        if (stored && !problem && s->points && sh.type == 4) {
            if (sh.npts == 1) {
                memcpy(one + 5, &sh.xy[0], 8);
                memcpy(one + 13, &sh.xy[1], 8);
                wkb = one, len = sizeof one;
            } else if (sh.npts > 1) {
                snprintf(why, sizeof why, " is a MultiPoint of %zu points, not a point", sh.npts);
                problem = why;
            } else {
                wkb = NULL, len = 0; /* only empty points: none, as an empty point */
            }
        }
        if (problem && res->no_geometry++ < GJ_NAMED)
            ccn_warn(ctx, "%s fid %lld%s: written with a null geometry", s->name,
                     (long long)fid, problem);
        if (!problem && shp && sh.nrings > 1 && !rings_valid(ctx, wkb, len) &&
            reshaped++ < GJ_NAMED)
            ccn_warn(ctx,
                     "%s fid %lld: its rings do not make a valid polygon, and a shapefile keeps "
                     "rings only: read back, it is another polygon (export as .gpkg to keep it "
                     "as stored; 'ccn check' lists it)",
                     s->name, (long long)fid);
        if ((st = ccn_writer_add(w, fid, problem ? NULL : wkb, problem ? 0 : len, strs)))
            goto done;
        res->features++;
        ccn_progress(ctx, s->name, (long)res->features, keep ? (long)nkeep : -1);
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
    if (!st && res->no_geometry > GJ_NAMED)
        ccn_warn(ctx, "%s: %lld more features written with a null geometry (the first %d are "
                      "named above; 'ccn check' lists them all)",
                 s->name, (long long)(res->no_geometry - GJ_NAMED), GJ_NAMED);
    if (!st && reshaped > GJ_NAMED)
        ccn_warn(ctx, "%s: %lld more features whose rings do not make a valid polygon (the "
                      "first %d are named above)",
                 s->name, (long long)(reshaped - GJ_NAMED), GJ_NAMED);
done:
    free(sh.xy);
    free(sh.ring_len);
    free(sh.poly_rings);
    free(sh.q);
    for (int c = 0; c < ncols; c++)
        free(fixed[c]);
    ccn_stmt_free(q);
    if (into_existing)
        res->over = ccn_writer_replaced(w) ? CCN_EXPORT_REPLACED_LAYER : CCN_EXPORT_ADDED_LAYER;
    ccn_status cst = ccn_writer_close(w);
    return st ? st : cst;
}

/* --------------------------------------------------------------- filters */

static int cmp_fid(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* The fids of table whose interior meets the cluster's boundary by at least
 * CCN_OVERLAY_MIN_M2, as ccn parcels takes a parcel (points: that lie in it,
 * edge included): R*Tree candidates, then a prepared GEOS test on repaired
 * geometry. */
/* The findings that name cluster code or one of its lots, wherever their
 * point lies (a lot sticking out of it is found outside it), added to
 * fids[0..*n) (sorted, each once). */
static ccn_status add_named_findings(ccn_store *store, const char *code, int64_t **fids,
                                     size_t *n)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    size_t cap = *n;
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(
        store,
        "SELECT f.id FROM findings f WHERE "
        "(f.layer = 'clusters' AND f.fid IN (SELECT c.fid FROM clusters c WHERE c.code = ?1)) OR "
        "(f.other_layer = 'clusters' AND f.other_fid IN "
        "(SELECT c.fid FROM clusters c WHERE c.code = ?1)) OR "
        "(f.layer = 'lots' AND f.fid IN (SELECT l.fid FROM lots l WHERE l.cluster = ?1)) OR "
        "(f.other_layer = 'lots' AND f.other_fid IN (SELECT l.fid FROM lots l WHERE l.cluster = ?1))",
        &q);
    if (st)
        return st;
    ccn_stmt_bind_text(q, 1, code);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)fids, &cap, *n + 1, sizeof **fids)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        (*fids)[(*n)++] = ccn_stmt_int(q, 0);
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    if (st)
        return st;
    qsort(*fids, *n, sizeof **fids, cmp_fid);
    size_t w = 0;
    for (size_t i = 0; i < *n; i++)
        if (!w || (*fids)[w - 1] != (*fids)[i])
            (*fids)[w++] = (*fids)[i];
    *n = w;
    return CCN_OK;
}

static ccn_status spatial_keep(ccn_store *store, const layer_spec *s, const char *code,
                               int64_t **keep, size_t *nkeep)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    ccn_stmt *q = NULL;
    GEOSGeometry *cluster = NULL, *fixed = NULL;
    const GEOSPreparedGeometry *prep = NULL;
    int64_t *fids = NULL;
    size_t n = 0, cap = 0;
    ccn_status st = ccn_stmt_prepare(store, "SELECT AsBinary(geom) FROM clusters WHERE code = ?", &q);
    if (st)
        return st;
    ccn_stmt_bind_text(q, 1, code);
    if (ccn_stmt_step(q) == 1 && !ccn_stmt_is_null(q, 0)) {
        size_t len = 0;
        const void *wkb = ccn_stmt_blob(q, 0, &len);
        cluster = ccn_geom_from_wkb(ctx, wkb, len);
    }
    ccn_stmt_free(q);
    q = NULL;
    if (!cluster) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cluster %s has no boundary in the workspace, so its %s cannot be "
                       "selected (import it with 'ccn import WS FILE --as clusters')",
                       code, s->name);
        goto done;
    }
    const GEOSGeometry *cv = ccn_layer_valid(ctx, cluster, &fixed);
    if (!cv || !(prep = GEOSPrepare_r(h, cv))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "cluster %s: unusable boundary", code);
        goto done;
    }
    double x0, y0, x1, y1;
    GEOSGeom_getXMin_r(h, cv, &x0), GEOSGeom_getYMin_r(h, cv, &y0);
    GEOSGeom_getXMax_r(h, cv, &x1), GEOSGeom_getYMax_r(h, cv, &y1);
    char sql[400], window[256];
    ccn_store_window_sql(store, window, sizeof window, "t", s->name, "?1", "?2", "?3", "?4");
    const char *key = ccn_store_key(s->name);
    snprintf(sql, sizeof sql, "SELECT t.%s, AsBinary(t.geom) FROM %s t WHERE %s ORDER BY t.%s",
             key, s->name, window, key);
    if ((st = ccn_stmt_prepare(store, sql, &q)))
        goto done;
    ccn_stmt_bind_double(q, 1, x0), ccn_stmt_bind_double(q, 2, y0);
    ccn_stmt_bind_double(q, 3, x1), ccn_stmt_bind_double(q, 4, y1);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (ccn_stmt_is_null(q, 1))
            continue;
        size_t len = 0;
        const void *wkb = ccn_stmt_blob(q, 1, &len);
        GEOSGeometry *g = ccn_geom_from_wkb(ctx, wkb, len), *gfix = NULL;
        const GEOSGeometry *gv = NULL;
        char meets = 2;
        if (!g) { /* another tool's, unreadable: kept, as its index box meets the cluster's,
                     so that the writer names it and keeps its properties */
            ccn_ctx_clear_error(ctx);
            meets = 1;
        } else if ((gv = ccn_layer_valid(ctx, g, &gfix))) {
            /* by as much as ccn parcels and overlay count (overlay.h): a
             * sliver of noise along the boundary is no meeting */
            bool inside = false;
            double a = s->points ? 0 : ccn_geom_common_area(ctx, prep, cv, gv, &inside);
            meets = s->points ? GEOSPreparedIntersects_r(h, prep, gv)
                    : a < 0   ? 2
                              : inside || a >= CCN_OVERLAY_MIN_M2;
        }
        if (gfix)
            GEOSGeom_destroy_r(h, gfix);
        if (g)
            GEOSGeom_destroy_r(h, g);
        if (meets == 2) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "%s %lld: GEOS failed: %s", s->name,
                           (long long)ccn_stmt_int(q, 0), ccn_ctx_geos_message(ctx));
            goto done;
        }
        if (meets) {
            if (!ccn_grow((void **)&fids, &cap, n + 1, sizeof *fids)) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
            fids[n++] = ccn_stmt_int(q, 0);
        }
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
done:
    ccn_stmt_free(q);
    if (prep)
        GEOSPreparedGeom_destroy_r(h, prep);
    if (fixed)
        GEOSGeom_destroy_r(h, fixed);
    if (cluster)
        GEOSGeom_destroy_r(h, cluster);
    if (st) {
        free(fids);
        return st;
    }
    *keep = fids ? fids : malloc(sizeof *fids); /* non-NULL: an empty selection */
    *nkeep = n;
    return *keep ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
}

/* ------------------------------------------------------------------ files */

/* A shapefile's index files beside the target would describe the old
 * features: they go when the new parts are renamed in. */
static const char *const shp_stale[] = {".qix", ".sbn", ".sbx", ".qmd", NULL};

/* path without its extension, + ext, malloc'd. */
static char *with_ext(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    size_t base = dot ? (size_t)(dot - path) : strlen(path);
    size_t n = base + strlen(ext) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%.*s%s", (int)base, path, ext);
    return s;
}

/* A copy of the file at from in to (created, not there before). */
static ccn_status copy_file(ccn_ctx *ctx, const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = NULL;
    ccn_status st = CCN_OK;
    int fd = -1;
    if (!in) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot read '%s': %s", from, strerror(errno));
        goto done;
    }
    if ((fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666)) < 0 ||
        !(out = fdopen(fd, "wb"))) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", to, strerror(errno));
        goto done;
    }
    fd = -1;
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            break;
    if (ferror(in) || ferror(out))
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot copy '%s': %s", from, strerror(errno));
done:
    if (fd >= 0)
        close(fd);
    if (in)
        fclose(in);
    if (out && fclose(out) != 0 && !st)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot copy '%s': %s", from, strerror(errno));
    return st;
}

/* The first n bytes of a file; false if it is shorter or unreadable. */
static bool read_head(const char *path, unsigned char *buf, size_t n, off_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    struct stat sb;
    bool ok = fstat(fd, &sb) == 0 && pread(fd, buf, n, 0) == (ssize_t)n;
    *size = ok ? sb.st_size : 0;
    close(fd);
    return ok;
}

/* Are the shapefile's parts at shp (.shp, .shx, .dbf) whole, each as long as
 * its own header says, with `features` records? GDAL 3.6's shapefile driver
 * does not see a write that fails when its buffered file is closed (a full
 * disk): it left a .dbf of 4096 bytes of 6994, no fields, and exit 0. */
static ccn_status shp_parts_whole(ccn_ctx *ctx, const char *shp, const char *shown,
                                  int64_t features)
{
    static const char *const ext[] = {".shp", ".shx", ".dbf"};
    ccn_status st = CCN_OK;
    for (int i = 0; i < 3 && !st; i++) {
        char *p = with_ext(shp, ext[i]);
        if (!p)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        unsigned char h[100];
        off_t size = 0;
        long long want = -1, records = -1;
        if (read_head(p, h, i < 2 ? 100 : 32, &size)) {
            if (i < 2) { /* big-endian file length in 16-bit words at byte 24 */
                uint32_t words = (uint32_t)h[24] << 24 | (uint32_t)h[25] << 16 |
                                 (uint32_t)h[26] << 8 | h[27];
                want = 2LL * words;
                if (i == 1) /* the index: 8 bytes a record after its header */
                    records = (want - 100) / 8;
            } else { /* little-endian record count, header and record lengths */
                records = (long long)((uint32_t)h[4] | (uint32_t)h[5] << 8 |
                                      (uint32_t)h[6] << 16 | (uint32_t)h[7] << 24);
                int head = h[8] | h[9] << 8, len = h[10] | h[11] << 8;
                if (head >= 33 && len >= 1) /* a field at least */
                    want = head + records * len;
            }
        }
        if (want < 0 || (long long)size < want || (records >= 0 && records != features))
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "cannot write '%s': its %s part was not written whole (%lld bytes;"
                           " a full disk?): nothing written",
                           shown, ext[i], (long long)size);
        free(p);
    }
    /* the CRS and the encoding: written first, a byte at least */
    for (int i = 0; i < 2 && !st; i++) {
        char *p = with_ext(shp, i ? ".cpg" : ".prj");
        struct stat sb;
        if (!p)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        if (stat(p, &sb) != 0 || sb.st_size == 0)
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "cannot write '%s': its %s part was not written whole (0 bytes;"
                           " a full disk?): nothing written",
                           shown, i ? ".cpg" : ".prj");
        free(p);
    }
    return st;
}

/* GeoPackage and shapefile through GDAL, in a temporary folder beside the
 * target (output.h). A GeoPackage that exists already is copied there and
 * gets its layer added or replaced, its other layers kept; a shapefile is
 * replaced, part by part. */
static ccn_status write_gdal_file(ccn_store *store, const extras *x, const int64_t *keep,
                                  size_t nkeep, const ccn_export_options *opt,
                                  ccn_export_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    bool gpkg = opt->format == CCN_EXPORT_GPKG;
    ccn_output *o = NULL;
    ccn_status st = ccn_output_open_dir(ctx, opt->path, &o);
    if (st)
        return st;
    const char *part = ccn_output_part(o, gpkg ? NULL : ".shp");
    char *tmp = part ? strdup(part) : NULL;
    if (!tmp) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    struct stat sb;
    bool into = gpkg && stat(opt->path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
    /* What SQLite keeps beside the GeoPackage (a -wal QGIS left, a hot
     * journal) is folded into it before its bytes are copied, and one open
     * in another program is refused: the copy took the file alone, and the
     * old -wal beside the new file made it "malformed" (QGIS's edits lost). */
    bool database, in_use;
    if (into && (st = ccn_store_settle(ctx, opt->path, &database, &in_use))) {
        if (in_use) /* said of a GeoPackage, not of a workspace */
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "cannot write '%s': it is open in another program (QGIS?), which "
                           "would go on writing into the file replaced: close it there first",
                           opt->path);
        goto done;
    }
    if (into && (st = copy_file(ctx, opt->path, tmp)))
        goto done;
    if ((st = write_gdal(store, x, keep, nkeep, tmp, opt->path, gpkg ? "GPKG" : "ESRI Shapefile",
                         into, res)))
        goto done;
    if (!gpkg && (st = shp_parts_whole(ctx, tmp, opt->path, res->features)))
        goto done;
    if (gpkg && (st = ccn_qgisstyle_gpkg(store, tmp, opt->layer))) /* QGIS opens it styled */
        goto done;
    for (int i = 0; !gpkg && shp_stale[i]; i++) {
        char *old = with_ext(opt->path, shp_stale[i]);
        if (old)
            unlink(old);
        free(old);
    }
    st = ccn_output_commit(ctx, o);
    o = NULL;
done:
    ccn_output_abort(o);
    free(tmp);
    return st;
}

/* Refuse early, before any work, an output whose folder is missing or not
 * writable (the real test is still the creation of the temporary file). */
ccn_status ccn_export_check_output(ccn_ctx *ctx, const char *path)
{
    char *dir = strdup(path);
    if (!dir)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash == dir)
        d = "/";
    else if (slash)
        *slash = '\0', d = dir;
    struct stat sb;
    ccn_status st = CCN_OK;
    if (!*path || (slash && !slash[1]))
        st = ccn_error(ctx, CCN_ERR_INPUT, "'%s' is not a file name", path);
    else if (stat(d, &sb) != 0 || !S_ISDIR(sb.st_mode))
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': the folder '%s' does not exist",
                       path, d);
    else if (access(d, W_OK | X_OK) != 0)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': the folder '%s' is not writable",
                       path, d);
    else if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': it is a folder", path);
    free(dir);
    return st;
}

ccn_status ccn_export(ccn_store *store, const ccn_export_options *opt, ccn_export_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *res = (ccn_export_result){.bbox = {NAN, NAN, NAN, NAN}};
    const layer_spec *spec = find_spec(opt->layer);
    if (!spec)
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "unknown layer '%s' (expected clusters, lots, parcels, plan, communes "
                         "or findings)",
                         opt->layer);
    if (opt->as_of && !ccn_date_valid(opt->as_of))
        return ccn_error(ctx, CCN_ERR_INPUT, "--as-of '%s' is not a date: write " CCN_DATE_FORMS,
                         opt->as_of);
    if (opt->as_of)
        snprintf(res->as_of, sizeof res->as_of, "%s", opt->as_of);
    else
        ccn_date_today(res->as_of);
    bool to_stdout = strcmp(opt->path, "-") == 0;
    if (to_stdout && opt->format != CCN_EXPORT_GEOJSON)
        return ccn_error(ctx, CCN_ERR_INPUT, "only GeoJSON can be written to stdout ('-')");

    ccn_status st = to_stdout ? CCN_OK : ccn_export_check_output(ctx, opt->path);
    struct stat before;
    bool existed = !to_stdout && stat(opt->path, &before) == 0 && S_ISREG(before.st_mode);
    if (!st && strcmp(spec->name, "findings") == 0 && /* a workspace of an older ccn */
        !(st = ccn_store_findings_readable(store)))
        st = ccn_store_add_column(store, "findings", "message_vi", "TEXT");
    if (st)
        return st;
    ccn_lot_state *lots = NULL;
    ccn_cluster_state *clusters = NULL;
    size_t nlots = 0, nclusters = 0, nkeep = 0;
    int64_t *keep = NULL;
    ccn_output *output = NULL;
    FILE *out = NULL;
    extras x = {.spec = spec, .as_of = res->as_of};

    /* The cluster must exist whatever the layer. */
    bool want_clusters = spec->extra == EXTRA_CLUSTER || opt->cluster;
    if ((want_clusters || spec->extra == EXTRA_LOT) &&
        (st = ccn_export_state_on(store, opt->cluster, res->as_of,
                                  want_clusters ? &clusters : NULL, &nclusters,
                                  spec->extra == EXTRA_LOT ? &lots : NULL, &nlots)))
        goto done;
    x.lots = lots, x.nlots = nlots, x.clusters = clusters, x.nclusters = nclusters;
    if (opt->cluster) {
        if (spec->extra == EXTRA_CLUSTER || spec->extra == EXTRA_LOT) {
            size_t n = spec->extra == EXTRA_LOT ? nlots : nclusters;
            if (!(keep = malloc((n ? n : 1) * sizeof *keep))) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                goto done;
            }
            for (size_t i = 0; i < n; i++)
                keep[i] = spec->extra == EXTRA_LOT ? lots[i].fid : clusters[i].fid;
            nkeep = n;
            qsort(keep, nkeep, sizeof *keep, cmp_fid);
        } else if ((st = spatial_keep(store, spec, opt->cluster, &keep, &nkeep)) ||
                   (strcmp(spec->name, "findings") == 0 &&
                    (st = add_named_findings(store, opt->cluster, &keep, &nkeep)))) {
            goto done;
        }
    }

    if (opt->format == CCN_EXPORT_GEOJSON) {
        if (to_stdout) {
            out = stdout;
        } else {
            if ((st = ccn_output_open(ctx, opt->path, &output)))
                goto done;
            out = ccn_output_stream(output);
            setvbuf(out, NULL, _IOFBF, 1 << 20);
        }
        st = write_geojson(store, &x, keep, nkeep, out, res);
        if (!st && out == stdout && fflush(out) != 0)
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", opt->path,
                           strerror(errno));
        out = NULL;
        if (output && !st) {
            st = ccn_output_commit(ctx, output);
            output = NULL;
        }
    } else {
        st = write_gdal_file(store, &x, keep, nkeep, opt, res);
    }
    if (!st && existed && res->over == CCN_EXPORT_NEW) /* a GeoPackage says its layer */
        res->over = CCN_EXPORT_REPLACED_FILE;
done:
    ccn_output_abort(output); /* on failure: the temporary file goes, the old file stays */
    free(keep);
    ccn_export_lots_free(lots, nlots);
    ccn_export_clusters_free(clusters, nclusters);
    return st;
}
