/* check — the checks of DESIGN §7 over a workspace.
 *
 * One run: load the layers the asked-for groups need (WKB read from SQLite
 * on this thread, parsed, validated and repaired on every core), then run
 * each group, collecting findings; sort them, write them to the `findings`
 * table in one transaction and return them as a table. */
#include "check.h"
#include "grow.h"

#include "coverage.h"
#include "width.h"
#include "crs.h"
#include "district.h"
#include "geom.h"
#include "outtext.h"
#include "parallel.h"
#include "textpool.h"
#include "vnum.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------
 * Tolerances. */

const char *const ccn_tolerance_keys[] = {
    "area_deviation_pct", "overlap_min_m2", "gap_max_m2",  "sliver_ratio",
    "sliver_max_width_m", "area_legal_pct", "marker_max_m", "remnant_m2",
    "repair_area_pct",    "meridian_max_deg", "edge_tol_m", NULL};

/* The defaults of gis/tolerances.csv, for a workspace that lacks a key. */
static const ccn_tolerances default_tolerances = {1, 0.5, 50, 0.08, 1, 5, 0.5, 100, 1, 1.5, 0.05};

static double *tolerance_slot(ccn_tolerances *t, int k)
{
    double *slots[] = {&t->area_deviation_pct, &t->overlap_min_m2, &t->gap_max_m2,
                       &t->sliver_ratio,       &t->sliver_max_width_m, &t->area_legal_pct,
                       &t->marker_max_m,       &t->remnant_m2,     &t->repair_area_pct,
                       &t->meridian_max_deg,   &t->edge_tol_m};
    return slots[k];
}

void ccn_tolerances_load(ccn_store *store, ccn_tolerances *out)
{
    *out = default_tolerances;
    for (int k = 0; ccn_tolerance_keys[k]; k++) {
        double *slot = tolerance_slot(out, k);
        *slot = ccn_district_tolerance(store, ccn_tolerance_keys[k], *slot);
    }
}

ccn_status ccn_tolerances_set(ccn_ctx *ctx, ccn_tolerances *t, const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    size_t klen = eq ? (size_t)(eq - assignment) : strlen(assignment);
    for (int k = 0; ccn_tolerance_keys[k]; k++) {
        if (strlen(ccn_tolerance_keys[k]) != klen ||
            strncmp(ccn_tolerance_keys[k], assignment, klen) != 0)
            continue;
        if (!eq)
            return ccn_error(ctx, CCN_ERR_INPUT, "--tolerance '%s': expected KEY=VALUE",
                             assignment);
        /* A decimal number as people write it: strtod alone takes "0x10"
         * (16) and " 1" too. */
        const char *text = eq + 1;
        char *end = NULL;
        errno = 0;
        double v = strtod(text, &end);
        bool plain = (isdigit((unsigned char)*text) || *text == '.') &&
                     strspn(text, "0123456789.eE+-") == strlen(text);
        /* 0 is a tolerance too: every deviation that shows in the printed
         * figure is reported, or (edge_tol_m, gap_max_m2, the sliver keys)
         * that judgement is off */
        if (!plain || errno || end == text || *end || !isfinite(v) || v < 0)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "--tolerance %s: '%s' is not a number of zero or more",
                             ccn_tolerance_keys[k], text);
        /* 4πA/P² is 1 for a circle and less for any other shape: a ratio
         * over 1 would call every polygon thin */
        if (tolerance_slot(t, k) == &t->sliver_ratio && v > 1)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "--tolerance sliver_ratio: '%s' is over 1 (4πA/P² is 1 for a "
                             "circle, less for any other shape)",
                             text);
        *tolerance_slot(t, k) = v;
        return CCN_OK;
    }
    char known[400] = "";
    for (int k = 0; ccn_tolerance_keys[k]; k++)
        snprintf(known + strlen(known), sizeof known - strlen(known), "%s%s", k ? ", " : "",
                 ccn_tolerance_keys[k]);
    return ccn_error(ctx, CCN_ERR_INPUT, "--tolerance '%s': unknown key '%.*s' (known: %s)",
                     assignment, (int)klen, assignment, known);
}

/* ---------------------------------------------------------------------------
 * Groups and codes. */

static const char *const group_names[CCN_CHECK_GROUPS] = {
    "validity", "duplicates", "clusters", "lots", "parcels", "markers", "plan"};

bool ccn_check_parse_group(const char *name, unsigned *bit)
{
    for (int g = 0; g < CCN_CHECK_GROUPS; g++)
        if (strcmp(name, group_names[g]) == 0) {
            *bit = 1u << g;
            return true;
        }
    return false;
}

const char *ccn_check_group_name(int index)
{
    return index >= 0 && index < CCN_CHECK_GROUPS ? group_names[index] : NULL;
}

enum {
    C_INVALID, C_EMPTY, C_NOT_POLYGON, C_DUPLICATE, C_AREA_DEVIATION, C_CLUSTER_OVERLAP,
    C_LOT_OUTSIDE, C_LOT_WRONG, C_LOT_OVERLAP, C_PARCEL_OVERLAP, C_PARCEL_GAP, C_SLIVER,
    C_AREA_LEGAL, C_MARKER, C_PROTECTED, C_EDGE_MISMATCH,
};

static const struct {
    const char *name;
    bool error;
} codes[] = {
    [C_INVALID] = {"INVALID_GEOMETRY", true},     [C_EMPTY] = {"EMPTY_GEOMETRY", true},
    [C_NOT_POLYGON] = {"NOT_POLYGON", true},      [C_DUPLICATE] = {"DUPLICATE_ID", true},
    [C_AREA_DEVIATION] = {"AREA_DEVIATION", true}, [C_CLUSTER_OVERLAP] = {"CLUSTER_OVERLAP", true},
    [C_LOT_OUTSIDE] = {"LOT_OUTSIDE_CLUSTER", true}, [C_LOT_WRONG] = {"LOT_WRONG_CLUSTER", true},
    [C_LOT_OVERLAP] = {"LOT_OVERLAP", true},      [C_PARCEL_OVERLAP] = {"PARCEL_OVERLAP", true},
    [C_PARCEL_GAP] = {"PARCEL_GAP", true},        [C_SLIVER] = {"SLIVER", false},
    [C_AREA_LEGAL] = {"AREA_LEGAL_MISMATCH", false}, [C_MARKER] = {"MARKER_MISMATCH", true},
    [C_PROTECTED] = {"PROTECTED_LAND", true},     [C_EDGE_MISMATCH] = {"EDGE_MISMATCH", false},
};

#define NO_FID INT64_MIN

typedef struct {
    int code;
    int group;               /* index of the group that found it */
    const char *layer;       /* static strings */
    const char *other_layer; /* NULL when none */
    int64_t fid, other_fid;  /* NO_FID when none */
    double area, x, y;       /* NaN when none */
    char *message;           /* in its list's text */
    char *message_vi;        /* the same in Vietnamese, for people (set by say_vi) */
} finding;

/* Findings as they are made: the run's, or a share of them made on a
 * worker thread (coverage_findings) and appended to the run's in order. */
typedef struct {
    finding *f;
    size_t n, cap;
    ccn_textpool text;       /* their messages */
    ccn_ctx *ctx;            /* where an error goes */
    int group;               /* the group running now */
} finding_list;

/* ---------------------------------------------------------------------------
 * Layers as loaded for checking. */

enum { V_OK, V_NONE, V_UNREADABLE, V_EMPTY, V_NOT_POLYGON, V_INVALID };

/* What GEOS says of a broken polygon. */
typedef struct {
    char *reason;           /* its reason */
    double rx, ry;          /* its location */
    double stored_area;     /* the area it gives the broken polygon */
} invalid_t;

typedef struct {
    const char *name;       /* the table */
    size_t n;
    int64_t *fid;
    int nattr;
    char *text;             /* the attributes' text values, back to back (NUL-terminated) */
    size_t *attr;           /* n * nattr: offset in text + 1, 0 for SQL NULL (a pointer and a
                               malloc'd copy each took 40 bytes a parcel) */
    size_t text_used, text_cap;
    unsigned char *wkb;     /* all WKB, back to back (freed after parsing) */
    size_t *wkb_off, *wkb_len;
    size_t wkb_used, wkb_cap;
    GEOSGeometry **geom;    /* as stored, NULL for none */
    GEOSGeometry **fixed;   /* repaired or polygonal copies (owned), NULL if not needed */
    const GEOSGeometry **use; /* valid polygons to compute with, NULL when none */
    double *area;           /* planar area of use, m² */
    uint8_t *state;         /* V_* */
    invalid_t **bad;        /* V_INVALID: what GEOS says (NULL for the others) */
    bool light;             /* parcels: a V_OK feature keeps only its WKB, not a GEOS
                               geometry (3 million GEOS polygons take gigabytes); the WKB
                               of the others is dropped (wkb_len 0) */
    double (*extent)[4];    /* light: per worker, the extent of its usable features */
} layer_t;

static ccn_status free_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    layer_t *L = user;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t i = begin; i < end; i++) {
        if (L->geom && L->geom[i])
            GEOSGeom_destroy_r(h, L->geom[i]);
        if (L->fixed && L->fixed[i])
            GEOSGeom_destroy_r(h, L->fixed[i]);
        if (L->bad && L->bad[i]) {
            free(L->bad[i]->reason);
            free(L->bad[i]);
        }
    }
    return CCN_OK;
}

/* Freeing 300,000 geometries takes half a second: on every core when there
 * are many (should a worker thread fail to start, some leak; nothing worse). */
static void layer_free(ccn_ctx *ctx, layer_t *L)
{
    if (L->n < 10000)
        free_work(ctx, L, 0, L->n, 0);
    else
        (void)ccn_parallel_for(ctx, L->n, 0, free_work, L);
    free(L->fid);
    free(L->attr);
    free(L->text);
    free(L->wkb);
    free(L->wkb_off);
    free(L->wkb_len);
    free(L->geom);
    free(L->fixed);
    free(L->use);
    free(L->area);
    free(L->state);
    free(L->bad);
    free(L->extent);
    memset(L, 0, sizeof *L);
}

static const char *attr(const layer_t *L, size_t i, int a)
{
    size_t off = L->attr[i * (size_t)L->nattr + (size_t)a];
    return off ? L->text + off - 1 : NULL;
}

static double attr_real(const layer_t *L, size_t i, int a)
{
    const char *s = attr(L, i, a);
    char *end = NULL;
    double v = s ? strtod(s, &end) : NAN;
    return s && end != s && !*end ? v : NAN;
}

/* Index of a feature id (features are loaded in fid order); SIZE_MAX if absent. */
static size_t layer_index(const layer_t *L, int64_t fid)
{
    size_t lo = 0, hi = L->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (L->fid[mid] < fid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < L->n && L->fid[lo] == fid ? lo : SIZE_MAX;
}

/* Can feature i be computed with (a valid polygonal geometry)? */
static bool usable_at(const layer_t *L, size_t i)
{
    return L->use[i] || (L->light && L->state[i] == V_OK);
}

/* Feature i as a GEOS geometry to compute with (else as stored): the layer's,
 * or made from a light layer's WKB (*owned, for the caller to destroy). */
static const GEOSGeometry *geom_at(ccn_ctx *ctx, const layer_t *L, size_t i, GEOSGeometry **owned)
{
    *owned = NULL;
    if (L->use[i] || L->geom[i])
        return L->use[i] ? L->use[i] : L->geom[i];
    if (L->light && L->wkb && L->wkb_len[i] &&
        !(*owned = ccn_geom_from_wkb(ctx, L->wkb + L->wkb_off[i], L->wkb_len[i])))
        ccn_ctx_clear_error(ctx);
    return *owned;
}

/* True when g is a polygon (or a multipolygon of one) of one ring, small,
 * whose segments clearly keep apart: then it is valid and GEOS's validity
 * test, the dearest part of loading 300,000 parcels, can be skipped. Any
 * doubt (near-touching segments, a spike, holes, several parts) says false,
 * and GEOS decides. Orientation values below 1e-6 m² count as doubt: the
 * workspace is in metres, and rounding of coordinates of 2e6 m stays far
 * below that. */
static bool clearly_valid(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    enum { MAX = 32 };
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_MULTIPOLYGON) {
        if (GEOSGetNumGeometries_r(h, g) != 1)
            return false;
        g = GEOSGetGeometryN_r(h, g, 0);
    } else if (t != GEOS_POLYGON) {
        return false;
    }
    if (GEOSGetNumInteriorRings_r(h, g) != 0)
        return false;
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, g));
    unsigned int m = 0;
    double p[2 * (MAX + 1)];
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &m) || m < 4 || m > MAX + 1 ||
        !GEOSCoordSeq_copyToBuffer_r(h, seq, p, 0, 0))
        return false;
    size_t n = m - 1; /* the closing point repeats the first */
    if (p[0] != p[2 * n] || p[1] != p[2 * n + 1])
        return false;
    for (size_t k = 0; k < 2 * n; k++)
        if (!isfinite(p[k]))
            return false;
    const double eps = 1e-6;
    for (size_t i = 0; i < n; i++) {
        const double *a = p + 2 * i, *b = p + 2 * (i + 1), *c = p + 2 * ((i + 2) % n);
        double ex = b[0] - a[0], ey = b[1] - a[1], fx = c[0] - b[0], fy = c[1] - b[1];
        if (ex * ex + ey * ey < eps || fabs(ex * fy - ey * fx) < eps)
            return false; /* a repeated point, or a straight or folded-back turn */
    }
    for (size_t i = 0; i < n; i++) {
        const double *a = p + 2 * i, *b = p + 2 * (i + 1);
        for (size_t j = i + 2; j < n; j++) {
            if (i == 0 && j == n - 1)
                continue; /* adjacent through the closing point */
            const double *c = p + 2 * j, *d = p + 2 * (j + 1);
            if (fmax(a[0], b[0]) < fmin(c[0], d[0]) || fmax(c[0], d[0]) < fmin(a[0], b[0]) ||
                fmax(a[1], b[1]) < fmin(c[1], d[1]) || fmax(c[1], d[1]) < fmin(a[1], b[1]))
                continue;
            double o1 = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
            double o2 = (b[0] - a[0]) * (d[1] - a[1]) - (b[1] - a[1]) * (d[0] - a[0]);
            double o3 = (d[0] - c[0]) * (a[1] - c[1]) - (d[1] - c[1]) * (a[0] - c[0]);
            double o4 = (d[0] - c[0]) * (b[1] - c[1]) - (d[1] - c[1]) * (b[0] - c[0]);
            bool apart = (o1 > eps && o2 > eps) || (o1 < -eps && o2 < -eps) ||
                         (o3 > eps && o4 > eps) || (o3 < -eps && o4 < -eps);
            if (!apart)
                return false;
        }
    }
    return true;
}

/* Parse, validate and repair on every core. */
static ccn_status prepare_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    layer_t *L = user;
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    for (size_t i = begin; i < end; i++) {
        L->state[i] = V_OK;
        if (!L->wkb_len[i]) {
            L->state[i] = V_NONE;
            continue;
        }
        GEOSGeometry *g = ccn_geom_from_wkb(ctx, L->wkb + L->wkb_off[i], L->wkb_len[i]);
        if (!g) {
            ccn_ctx_clear_error(ctx);
            L->state[i] = V_UNREADABLE;
            continue;
        }
        L->geom[i] = g;
        if (GEOSisEmpty_r(h, g)) {
            L->state[i] = V_EMPTY;
            continue;
        }
        const GEOSGeometry *poly = g;
        if (!ccn_geom_is_polygonal(ctx, g)) {
            L->state[i] = V_NOT_POLYGON;
            L->fixed[i] = ccn_geom_polygonal(ctx, g); /* a collection may hold polygons */
            if (!L->fixed[i] || GEOSisEmpty_r(h, L->fixed[i]))
                continue;
            poly = L->fixed[i];
        }
        char *reason = NULL;
        GEOSGeometry *where = NULL;
        char valid = clearly_valid(h, poly) ? 1 : GEOSisValidDetail_r(h, poly, 0, &reason, &where);
        if (valid != 1) {
            if (L->state[i] == V_OK) /* a line's polygons keep their NOT_POLYGON */
                L->state[i] = V_INVALID;
            invalid_t *bad = calloc(1, sizeof *bad);
            if (!bad) {
                if (reason)
                    GEOSFree_r(h, reason);
                if (where)
                    GEOSGeom_destroy_r(h, where);
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            }
            L->bad[i] = bad;
            bad->reason = strdup(reason ? reason : valid == 2 ? ccn_ctx_geos_message(ctx)
                                                              : "invalid");
            bad->rx = bad->ry = NAN;
            if (where) {
                GEOSGeomGetX_r(h, where, &bad->rx);
                GEOSGeomGetY_r(h, where, &bad->ry);
            }
            GEOSArea_r(h, poly, &bad->stored_area);
            GEOSGeometry *fixed = ccn_geom_make_valid(ctx, poly);
            if (!fixed) {
                ccn_ctx_clear_error(ctx);
                fixed = GEOSGeom_createEmptyPolygon_r(h);
            }
            if (L->fixed[i])
                GEOSGeom_destroy_r(h, L->fixed[i]);
            L->fixed[i] = fixed;
            poly = fixed;
        }
        if (reason)
            GEOSFree_r(h, reason);
        if (where)
            GEOSGeom_destroy_r(h, where);
        if (!GEOSisEmpty_r(h, poly)) {
            L->use[i] = poly;
            L->area[i] = ccn_geom_area(ctx, poly);
        }
        if (L->light && L->state[i] == V_OK) {
            double *e = L->extent[worker], x0, y0, x1, y1;
            if (GEOSGeom_getExtent_r(h, poly, &x0, &y0, &x1, &y1)) {
                e[0] = fmin(e[0], x0), e[1] = fmin(e[1], y0);
                e[2] = fmax(e[2], x1), e[3] = fmax(e[3], y1);
            }
            GEOSGeom_destroy_r(h, g); /* the WKB stands for it */
            L->geom[i] = NULL;
            L->use[i] = NULL;
        }
    }
    if (L->light) /* the others keep their GEOS geometries */
        for (size_t i = begin; i < end; i++)
            if (L->state[i] != V_OK)
                L->wkb_len[i] = 0;
    return CCN_OK;
}

/* Rows of q into the empty layer L, up to max of them: the columns are fid,
 * AsBinary(geom), then L->nattr text attributes. *rc is q's last step (1:
 * a row waits), stepped on past each row taken. */
static ccn_status layer_fill(ccn_ctx *ctx, ccn_stmt *q, int *rc, layer_t *L, size_t max)
{
    int nattr = L->nattr;
    size_t cap = 0;
    for (; *rc == 1 && L->n < max; *rc = ccn_stmt_step(q)) {
        if (L->n == cap) {
            size_t c = cap ? 2 * cap : 256;
            int64_t *fid = realloc(L->fid, c * sizeof *fid);
            if (fid)
                L->fid = fid;
            size_t *off = fid ? realloc(L->wkb_off, c * sizeof *off) : NULL;
            if (off)
                L->wkb_off = off;
            size_t *len = off ? realloc(L->wkb_len, c * sizeof *len) : NULL;
            if (len)
                L->wkb_len = len;
            size_t *at = len ? realloc(L->attr, (c * (size_t)nattr + 1) * sizeof *at) : NULL;
            if (!at)
                goto oom;
            L->attr = at;
            cap = c;
        }
        size_t i = L->n++;
        L->fid[i] = ccn_stmt_int(q, 0);
        size_t n = 0;
        const void *wkb = ccn_stmt_is_null(q, 1) ? NULL : ccn_stmt_blob(q, 1, &n);
        L->wkb_off[i] = L->wkb_used;
        L->wkb_len[i] = wkb ? n : 0;
        if (wkb && n) {
            if (L->wkb_used + n > L->wkb_cap) {
                size_t c = L->wkb_cap ? 2 * L->wkb_cap : 1 << 16;
                while (c < L->wkb_used + n)
                    c *= 2;
                unsigned char *b = realloc(L->wkb, c);
                if (!b)
                    goto oom;
                L->wkb = b;
                L->wkb_cap = c;
            }
            memcpy(L->wkb + L->wkb_used, wkb, n);
            L->wkb_used += n;
        }
        for (int a = 0; a < nattr; a++) {
            const char *v = ccn_stmt_text(q, 2 + a);
            size_t *slot = &L->attr[i * (size_t)nattr + (size_t)a], m = v ? strlen(v) + 1 : 0;
            *slot = v ? L->text_used + 1 : 0;
            if (L->text_used + m > L->text_cap) {
                size_t c = L->text_cap ? 2 * L->text_cap : 1 << 12;
                while (c < L->text_used + m)
                    c *= 2;
                char *t = realloc(L->text, c);
                if (!t)
                    goto oom;
                L->text = t, L->text_cap = c;
            }
            if (v)
                memcpy(L->text + L->text_used, v, m);
            L->text_used += m;
        }
    }
    return *rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
oom:
    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory loading %s", L->name);
}

/* Parse, validate and repair the features layer_fill read. */
static ccn_status layer_prepare(ccn_ctx *ctx, layer_t *L)
{
    bool light = L->light;
    ccn_status st;
    size_t n = L->n ? L->n : 1;
    L->geom = calloc(n, sizeof *L->geom);
    L->fixed = calloc(n, sizeof *L->fixed);
    L->use = calloc(n, sizeof *L->use);
    L->area = calloc(n, sizeof *L->area);
    L->state = calloc(n, sizeof *L->state);
    L->bad = calloc(n, sizeof *L->bad);
    int nw = ccn_parallel_workers();
    if (light && (L->extent = malloc((size_t)nw * sizeof *L->extent)))
        for (int w = 0; w < nw; w++)
            L->extent[w][0] = L->extent[w][1] = INFINITY, L->extent[w][2] = L->extent[w][3] = -INFINITY;
    if (!L->geom || !L->fixed || !L->use || !L->area || !L->state || !L->bad ||
        (light && !L->extent))
        goto oom;
    st = ccn_parallel_for(ctx, L->n, 0, prepare_work, L);
    if (!light) {
        free(L->wkb);
        L->wkb = NULL;
    } else if (L->wkb_used && L->wkb_used < L->wkb_cap) {
        unsigned char *b = realloc(L->wkb, L->wkb_used);
        if (b)
            L->wkb = b, L->wkb_cap = L->wkb_used;
    }
    return st;
oom:
    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory loading %s", L->name);
}

static void layer_init(layer_t *L, const char *name, int nattr, bool light)
{
    memset(L, 0, sizeof *L);
    L->name = name;
    L->nattr = nattr;
    L->light = light;
}

/* Load a layer: sql's columns are fid, AsBinary(geom), then nattr text
 * attributes; rows must come in fid order. */
static ccn_status load_layer(ccn_store *store, layer_t *L, const char *name, const char *sql,
                             int nattr, bool light)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_stmt *q = NULL;
    layer_init(L, name, nattr, light);
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    if (st)
        return st;
    int rc = ccn_stmt_step(q);
    st = layer_fill(ctx, q, &rc, L, SIZE_MAX);
    ccn_stmt_free(q);
    return st ? st : layer_prepare(ctx, L);
}

/* ---------------------------------------------------------------------------
 * A run. */

typedef struct {
    int64_t fid;
    char *cluster, *marker;
    double x, y;
} marker_t;

enum { CL_CODE, CL_NAME, CL_KIND, CL_PLANNED };
enum { LOT_CLUSTER, LOT_NO, LOT_USE };
enum { PA_LEGAL };
enum { PL_LANDUSE, PL_NAME, PL_PROTECTED };

typedef struct {
    ccn_store *store;
    ccn_ctx *ctx;
    GEOSContextHandle_t h;
    ccn_tolerances tol;
    unsigned groups;                  /* to run */
    layer_t clusters, lots, parcels, plan, communes;
    marker_t *markers;
    size_t nmarkers;
    finding_list found;               /* and the parcels' labels, in its text */
    ccn_stmt *parcel_key;             /* label lookups */
    char **parcel_label;              /* per parcel, once looked up (sloppy data names
                                         each parcel in a dozen findings) */
    char edge_tol_g[32], gap_max_g[32];   /* tolerances as messages write them: %g */
    char edge_tol_vn[64], gap_max_vn[64]; /* and vn(v, -1) */
    size_t parcel_rows, parcel_usable; /* parcels: in the workspace, and usable as read
                                         by parcels_stream, a batch at a time
                                         (run->parcels holds one batch) */
    ccn_check_summary *sum;
} run_t;

/* The label cache belongs to the parcels' layer as it is now (the labels
 * themselves are in run->found.text, freed with the messages). */
static void labels_free(run_t *run)
{
    free(run->parcel_label);
    run->parcel_label = NULL;
}

static ccn_status add_finding(finding_list *out, int code, const char *layer, int64_t fid,
                              const char *other_layer, int64_t other_fid, double area, double x,
                              double y, const char *fmt, ...) __attribute__((format(printf, 10, 11)));

/* A message put together piece by piece, cut where vsnprintf into `cap`
 * bytes cuts it: the findings of sloppy parcels are worded by the hundred
 * thousand, and printf's reading of the formats took most of the time. */
typedef struct {
    char *b;
    size_t n, cap; /* bytes in b (then a NUL), and b's size */
} words;

static words words_in(char *b, size_t cap)
{
    b[0] = '\0';
    return (words){b, 0, cap};
}

static void put(words *w, const char *s)
{
    size_t len = strlen(s), room = w->cap - 1 - w->n;
    if (len > room)
        len = room;
    memcpy(w->b + w->n, s, len);
    w->n += len;
    w->b[w->n] = '\0';
}

/* Enough room for every message (as add_finding's and say_vi's). */
enum { MESSAGE_MAX = 1024 };

static ccn_status add_finding_text(finding_list *out, int code, const char *layer, int64_t fid,
                                   const char *other_layer, int64_t other_fid, double area,
                                   double x, double y, const char *message)
{
    if (!ccn_grow((void **)&out->f, &out->cap, out->n + 1, sizeof *out->f))
        return ccn_error(out->ctx, CCN_ERR_INTERNAL, "out of memory");
    finding *f = &out->f[out->n];
    *f = (finding){code, out->group, layer, other_layer, fid, other_fid, area, x, y,
                   ccn_textpool_strdup(&out->text, message), NULL};
    if (!f->message)
        return ccn_error(out->ctx, CCN_ERR_INTERNAL, "out of memory");
    out->n++;
    return CCN_OK;
}

static ccn_status add_finding(finding_list *out, int code, const char *layer, int64_t fid,
                              const char *other_layer, int64_t other_fid, double area, double x,
                              double y, const char *fmt, ...)
{
    char buf[MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return add_finding_text(out, code, layer, fid, other_layer, other_fid, area, x, y, buf);
}

/* Append `from`'s findings to `to`, their messages with them. */
static bool list_append(finding_list *to, finding_list *from)
{
    if (!ccn_grow((void **)&to->f, &to->cap, to->n + from->n, sizeof *to->f))
        return false;
    if (from->n)
        memcpy(to->f + to->n, from->f, from->n * sizeof *from->f);
    to->n += from->n;
    ccn_textpool_adopt(&to->text, &from->text);
    free(from->f);
    *from = (finding_list){0};
    return true;
}

/* The Vietnamese message of the finding just added: every finding gets one,
 * for the spreadsheet, the report document, the maps and the web page. */
static ccn_status say_vi(finding_list *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static ccn_status say_vi_text(finding_list *out, const char *message)
{
    finding *f = &out->f[out->n - 1];
    if (!(f->message_vi = ccn_textpool_strdup(&out->text, message)))
        return ccn_error(out->ctx, CCN_ERR_INTERNAL, "out of memory");
    return CCN_OK;
}

static ccn_status say_vi(finding_list *out, const char *fmt, ...)
{
    char buf[MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return say_vi_text(out, buf);
}

static const char *vn(double v, int decimals, char *buf, size_t size)
{
    return ccn_vnum(v, decimals, buf, size);
}

/* GEOS's reasons for invalidity (IsValidOp), in Vietnamese; others pass. */
static const char *reason_vi(const char *reason, char *buf, size_t size)
{
    static const struct {
        const char *en, *vi;
    } reasons[] = {
        {"Ring Self-intersection", "Vòng ranh tự cắt"},
        {"Self-intersection", "Tự cắt"},
        {"Too few points in geometry component", "Quá ít đỉnh trong một thành phần hình học"},
        {"Too few points", "Quá ít đỉnh"},
        {"Hole lies outside shell", "Lỗ thủng nằm ngoài ranh ngoài"},
        {"Nested holes", "Lỗ thủng lồng nhau"},
        {"Interior is disconnected", "Phần trong bị chia cắt"},
        {"Nested shells", "Ranh ngoài lồng nhau"},
        {"Duplicate Rings", "Vòng ranh trùng nhau"},
        {"Invalid Coordinate", "Tọa độ không hợp lệ"},
        {"Ring is not closed", "Vòng ranh không khép kín"},
    };
    for (size_t k = 0; k < sizeof reasons / sizeof *reasons; k++)
        if (strncmp(reason, reasons[k].en, strlen(reasons[k].en)) == 0) {
            snprintf(buf, size, "%s%s", reasons[k].vi, reason + strlen(reasons[k].en));
            return buf; /* the location GEOS appends stays */
        }
    return reason;
}

/* A parcel as people name it, from the row of q (commune, sheet, parcel_no). */
static void parcel_label_of(ccn_stmt *q, int col, int64_t fid, char *buf, size_t size)
{
    if (!ccn_stmt_is_null(q, col))
        snprintf(buf, size, "%s/%lld/%lld", ccn_stmt_text(q, col),
                 (long long)ccn_stmt_int(q, col + 1), (long long)ccn_stmt_int(q, col + 2));
    else
        snprintf(buf, size, "fid %lld", (long long)fid);
}

/* A feature as people name it: a parcel by its key, a lot by cluster and
 * number, a cluster by its code. In buf, or a parcel's label as kept. */
static const char *label(run_t *run, const layer_t *L, size_t i, char *buf, size_t size)
{
    if (L == &run->clusters && attr(L, i, CL_CODE)) {
        snprintf(buf, size, "%s", attr(L, i, CL_CODE));
    } else if (L == &run->lots) {
        snprintf(buf, size, "%s/%s", attr(L, i, LOT_CLUSTER) ? attr(L, i, LOT_CLUSTER) : "?",
                 attr(L, i, LOT_NO) ? attr(L, i, LOT_NO) : "?");
    } else if (L == &run->parcels && run->parcel_label && run->parcel_label[i]) {
        const char *kept = run->parcel_label[i];
        size_t n = strlen(kept);
        if (n < size)
            return kept; /* what buf would hold */
        if (size) { /* cut as snprintf cuts */
            memcpy(buf, kept, size - 1);
            buf[size - 1] = '\0';
        }
    } else if (L == &run->parcels && run->parcel_key) {
        ccn_stmt_reset(run->parcel_key);
        ccn_stmt_bind_int(run->parcel_key, 1, L->fid[i]);
        if (ccn_stmt_step(run->parcel_key) == 1)
            parcel_label_of(run->parcel_key, 0, L->fid[i], buf, size);
        else
            snprintf(buf, size, "fid %lld", (long long)L->fid[i]);
        ccn_stmt_reset(run->parcel_key); /* no read left open: write_findings drops a table */
        if (!run->parcel_label)
            run->parcel_label = calloc(L->n + 1, sizeof *run->parcel_label);
        if (run->parcel_label) /* out of memory: looked up again next time */
            run->parcel_label[i] = ccn_textpool_strdup(&run->found.text, buf);
    } else if (L == &run->plan && attr(L, i, PL_LANDUSE)) {
        snprintf(buf, size, "%lld (%s)", (long long)L->fid[i], attr(L, i, PL_LANDUSE));
    } else {
        snprintf(buf, size, "fid %lld", (long long)L->fid[i]);
    }
    return buf;
}

/* The singular noun of a layer, for messages. */
static const char *noun(const layer_t *L)
{
    static const struct {
        const char *table, *noun;
    } nouns[] = {{"clusters", "cluster"}, {"lots", "lot"},         {"parcels", "parcel"},
                 {"plan", "plan zone"},   {"communes", "commune"}};
    for (size_t k = 0; k < sizeof nouns / sizeof *nouns; k++)
        if (strcmp(L->name, nouns[k].table) == 0)
            return nouns[k].noun;
    return "feature";
}

/* A GEOS geometry type in Vietnamese. */
static const char *type_vi(const char *type)
{
    static const struct {
        const char *en, *vi;
    } types[] = {{"Point", "điểm"},           {"MultiPoint", "nhóm điểm"},
                 {"LineString", "đường"},     {"LinearRing", "đường"},
                 {"MultiLineString", "nhóm đường"}, {"GeometryCollection", "tập hợp hình học"}};
    for (size_t k = 0; type && k < sizeof types / sizeof *types; k++)
        if (strcmp(type, types[k].en) == 0)
            return types[k].vi;
    return "hình học khác";
}

/* A layer's noun in Vietnamese. */
static const char *noun_vi(const layer_t *L)
{
    static const struct {
        const char *table, *noun;
    } nouns[] = {{"clusters", "cụm công nghiệp"}, {"lots", "lô đất"},  {"parcels", "thửa đất"},
                 {"plan", "vùng quy hoạch"},      {"communes", "xã"}};
    for (size_t k = 0; k < sizeof nouns / sizeof *nouns; k++)
        if (strcmp(L->name, nouns[k].table) == 0)
            return nouns[k].noun;
    return "đối tượng";
}

/* label() in Vietnamese: a plan zone and a feature without a name differ. */
static const char *label_vi(run_t *run, const layer_t *L, size_t i, char *buf, size_t size)
{
    if (L == &run->plan && attr(L, i, PL_LANDUSE))
        snprintf(buf, size, "số %lld (%s)", (long long)L->fid[i], attr(L, i, PL_LANDUSE));
    else if (L == &run->plan || (L == &run->clusters && !attr(L, i, CL_CODE)) ||
             (L != &run->clusters && L != &run->lots && L != &run->parcels))
        snprintf(buf, size, "số %lld", (long long)L->fid[i]);
    else {
        const char *s = label(run, L, i, buf, size);
        if (L != &run->parcels || strncmp(s, "fid ", 4) != 0)
            return s;
        snprintf(buf, size, "số %lld", (long long)L->fid[i]);
    }
    return buf;
}

static void surface_point(run_t *run, const GEOSGeometry *g, double *x, double *y)
{
    *x = *y = NAN;
    if (g && !ccn_geom_point_on_surface(run->ctx, g, x, y))
        *x = *y = NAN;
}

/* ---------------------------------------------------------------------------
 * validity */

static ccn_status validity_of(run_t *run, layer_t *L)
{
    char name[160];
    ccn_status st = CCN_OK;
    for (size_t i = 0; i < L->n && !st; i++) {
        double x, y;
        switch (L->state[i]) {
        case V_OK:
            break;
        case V_NONE:
            st = add_finding(&run->found, C_EMPTY, L->name, L->fid[i], NULL, NO_FID, NAN, NAN, NAN,
                             "%s %s has no geometry", noun(L), label(run, L, i, name, sizeof name));
            if (!st)
                st = say_vi(&run->found, "Không có hình học: %s %s", noun_vi(L),
                            label_vi(run, L, i, name, sizeof name));
            break;
        case V_UNREADABLE:
            st = add_finding(&run->found, C_EMPTY, L->name, L->fid[i], NULL, NO_FID, NAN, NAN, NAN,
                             "%s %s: the stored geometry cannot be read", noun(L),
                             label(run, L, i, name, sizeof name));
            if (!st)
                st = say_vi(&run->found, "Không đọc được hình học đã lưu: %s %s", noun_vi(L),
                            label_vi(run, L, i, name, sizeof name));
            break;
        case V_EMPTY:
            st = add_finding(&run->found, C_EMPTY, L->name, L->fid[i], NULL, NO_FID, 0, NAN, NAN,
                             "%s %s has an empty geometry", noun(L),
                             label(run, L, i, name, sizeof name));
            if (!st)
                st = say_vi(&run->found, "Hình học rỗng: %s %s", noun_vi(L),
                            label_vi(run, L, i, name, sizeof name));
            break;
        case V_NOT_POLYGON: {
            surface_point(run, L->geom[i], &x, &y);
            char *type = GEOSGeomType_r(run->h, L->geom[i]); /* caller frees with GEOSFree_r */
            st = add_finding(&run->found, C_NOT_POLYGON, L->name, L->fid[i], NULL, NO_FID, NAN, x,
                             y, "%s %s is a %s, not a polygon%s", noun(L),
                             label(run, L, i, name, sizeof name), type ? type : "geometry",
                             L->use[i] ? " (its polygons are checked)" : "");
            if (!st)
                st = say_vi(&run->found, "Không phải đối tượng vùng (là %s): %s %s%s",
                            type_vi(type), noun_vi(L), label_vi(run, L, i, name, sizeof name),
                            L->use[i] ? " (các vùng trong đó vẫn được kiểm tra)" : "");
            GEOSFree_r(run->h, type);
            break;
        }
        case V_INVALID: {
            const invalid_t *bad = L->bad[i];
            double change = fabs(L->area[i] - bad->stored_area);
            double base = fmax(L->area[i], bad->stored_area);
            double pct = base > 0 ? 100 * change / base : 0;
            char repair[200] = "", repair_vi[300] = "", b[4][64], why[300];
            if (!L->use[i])
                snprintf(repair_vi, sizeof repair_vi,
                         "; sửa tự động (MakeValid) không còn diện tích nên không đưa vào các kiểm "
                         "tra khác");
            else if (pct > run->tol.repair_area_pct)
                snprintf(repair_vi, sizeof repair_vi,
                         "; đã sửa tự động (MakeValid), diện tích thay đổi %s m² (%s %%) từ %s m² "
                         "thành %s m²",
                         vn(change, 1, b[0], 64), vn(pct, 1, b[1], 64),
                         vn(bad->stored_area, 1, b[2], 64), vn(L->area[i], 1, b[3], 64));
            else
                snprintf(repair_vi, sizeof repair_vi, "; đã sửa tự động (MakeValid) để kiểm tra");
            if (!L->use[i])
                snprintf(repair, sizeof repair, "; MakeValid leaves no area, so it is left out of "
                                                "the other checks");
            else if (pct > run->tol.repair_area_pct)
                snprintf(repair, sizeof repair,
                         "; repaired with MakeValid, its area changes by %.3f m² (%.4f %%) "
                         "from %.3f to %.3f m²",
                         change, pct, bad->stored_area, L->area[i]);
            else
                snprintf(repair, sizeof repair, "; repaired with MakeValid for the checks");
            st = add_finding(&run->found, C_INVALID, L->name, L->fid[i], NULL, NO_FID, change,
                             bad->rx, bad->ry, "%s %s: %s%s", noun(L),
                             label(run, L, i, name, sizeof name), bad->reason, repair);
            if (!st)
                st = say_vi(&run->found, "Hình học không hợp lệ: %s %s — %s%s", noun_vi(L),
                            label_vi(run, L, i, name, sizeof name),
                            reason_vi(bad->reason, why, sizeof why), repair_vi);
            break;
        }
        }
    }
    return st;
}

/* ---------------------------------------------------------------------------
 * duplicates */

static int cmp_fid(const void *a, const void *b)
{
    int64_t p = *(const int64_t *)a, q = *(const int64_t *)b;
    return (p > q) - (p < q);
}

/* A point on parcel fid as the checks see it (repaired when broken), read
 * from the workspace: the parcels are not held (parcels_stream). */
static ccn_status parcel_point(run_t *run, int64_t fid, double *x, double *y)
{
    *x = *y = NAN;
    ccn_stmt *q = NULL;
    layer_t P;
    layer_init(&P, "parcels", 1, true);
    ccn_status st = ccn_stmt_prepare(run->store,
                                     "SELECT fid, AsBinary(geom), area_legal FROM parcels"
                                     " WHERE fid = ?",
                                     &q);
    if (!st) {
        ccn_stmt_bind_int(q, 1, fid);
        int rc = ccn_stmt_step(q);
        if (!(st = layer_fill(run->ctx, q, &rc, &P, 1)) && !(st = layer_prepare(run->ctx, &P)) &&
            P.n == 1) {
            GEOSGeometry *own;
            surface_point(run, geom_at(run->ctx, &P, 0, &own), x, y);
            if (own)
                GEOSGeom_destroy_r(run->h, own);
        }
    }
    ccn_stmt_free(q);
    layer_free(run->ctx, &P);
    return st;
}

/* Keys used more than once: `groups` gives each such key (text) and its
 * columns; `members` takes those columns as parameters and lists the fids. */
static ccn_status duplicates_of(run_t *run, layer_t *L, const char *groups, int nkey,
                                const char *members, const char *what)
{
    ccn_stmt *q = NULL, *m = NULL;
    ccn_status st = ccn_stmt_prepare(run->store, groups, &q);
    if (!st)
        st = ccn_stmt_prepare(run->store, members, &m);
    int rc = 0;
    while (!st && (rc = ccn_stmt_step(q)) == 1) {
        const char *key = ccn_stmt_text(q, 0);
        ccn_stmt_reset(m);
        for (int k = 0; k < nkey; k++)
            ccn_stmt_bind_text(m, k + 1, ccn_stmt_text(q, 1 + k));
        int64_t first = NO_FID;
        int mr;
        while (!st && (mr = ccn_stmt_step(m)) == 1) {
            int64_t fid = ccn_stmt_int(m, 0);
            if (first == NO_FID) {
                first = fid;
                continue;
            }
            size_t i = L == &run->parcels ? SIZE_MAX : layer_index(L, fid);
            double x = NAN, y = NAN;
            if (L == &run->parcels && (st = parcel_point(run, fid, &x, &y)))
                break;
            if (i != SIZE_MAX) {
                GEOSGeometry *own;
                surface_point(run, geom_at(run->ctx, L, i, &own), &x, &y);
                if (own)
                    GEOSGeom_destroy_r(run->h, own);
            }
            st = add_finding(&run->found, C_DUPLICATE, L->name, fid, L->name, first, NAN, x, y,
                             "%s %s is used again (first by fid %lld)", what, key ? key : "",
                             (long long)first);
            if (!st)
                st = say_vi(&run->found, "Trùng %s %s (đã dùng cho đối tượng số %lld)",
                            L == &run->parcels ? "mã thửa (xã/tờ/thửa)" : "số lô",
                            key ? key : "", (long long)first);
        }
        if (!st && mr < 0)
            st = CCN_ERR_INTERNAL;
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    ccn_stmt_free(m);
    return st;
}

/* ---------------------------------------------------------------------------
 * Pairwise overlaps of one layer (clusters, lots, parcels) and the parcels'
 * gaps and slivers, through coverage.h. */

/* Whether a figure is beyond its tolerance as the finding prints it (half_unit:
 * half its last printed digit). A surveyor's decimals are not binary ones: a
 * parcel of 316.35 m² drawn in millimetres measures 316.34999999776 m², 5.0000000007 %
 * below the 333 on record, and a finding "5.0000 % less than ... (tolerance 5 %)" says
 * that it is not one. A figure that prints as its tolerance is within it, as a piece that
 * prints as 0.000 m² is no piece (design §6). */
static bool beyond(double v, double tol, double half_unit)
{
    return v >= tol + half_unit;
}

/* An EDGE_MISMATCH of a lot against its own cluster: a thin strip of the lot
 * outside it, which is no overlap (beside the CCN_COVERAGE_THIN_* bits). */
enum { THIN_OUTSIDE = 8 };

/* An EDGE_MISMATCH: what it is made of, its area, length and largest width. */
static ccn_status edge_mismatch(const run_t *run, finding_list *out, const char *layer,
                                int64_t fa, const char *other, int64_t fb,
                                const ccn_coverage_issue *c, const char *la, const char *lb,
                                const char *noun_a)
{
    /* "%s %s and %s do not match along their shared edge: a thin %s of %s m²
     * over %s m, about %s m wide at its widest (edge tolerance %g m)": about,
     * as the width is known to a sixteenth of the tolerance or 5 mm */
    const char *what = c->thin == THIN_OUTSIDE ? "strip outside the cluster"
                       : c->thin == (CCN_COVERAGE_THIN_OVERLAP | CCN_COVERAGE_THIN_GAP)
                           ? "overlap and gap"
                           : c->thin == CCN_COVERAGE_THIN_GAP ? "gap" : "overlap";
    char f[CCN_OUTTEXT_NUMBER_MAX], m[MESSAGE_MAX];
    words w = words_in(m, sizeof m);
    put(&w, noun_a), put(&w, " "), put(&w, la), put(&w, " and "), put(&w, lb);
    put(&w, " do not match along their shared edge: a thin "), put(&w, what), put(&w, " of ");
    put(&w, ccn_outtext_fixed(f, c->area, 3)), put(&w, " m² over ");
    put(&w, ccn_outtext_fixed(f, c->length, 1)), put(&w, " m, about ");
    put(&w, ccn_outtext_fixed(f, c->width, 3)), put(&w, " m wide at its widest (edge tolerance ");
    put(&w, run->edge_tol_g), put(&w, " m)");
    return add_finding_text(out, C_EDGE_MISMATCH, layer, fa, other, fb, c->area, c->x, c->y, m);
}

static ccn_status edge_mismatch_vi(const run_t *run, finding_list *out,
                                   const ccn_coverage_issue *c, const char *la, const char *lb,
                                   const char *noun_a)
{
    /* "Lệch cạnh chung giữa %s %s và %s: %s %s m² dọc %s m, rộng nhất %s m
     * (dung sai cạnh %s m)" */
    char v[64], m[MESSAGE_MAX];
    const char *what = c->thin == THIN_OUTSIDE ? "dải mỏng nằm ngoài cụm"
                       : c->thin == (CCN_COVERAGE_THIN_OVERLAP | CCN_COVERAGE_THIN_GAP)
                           ? "chồng lấn và khe hở mỏng"
                           : c->thin == CCN_COVERAGE_THIN_GAP ? "khe hở mỏng" : "chồng lấn mỏng";
    words w = words_in(m, sizeof m);
    put(&w, "Lệch cạnh chung giữa "), put(&w, noun_a), put(&w, " "), put(&w, la);
    put(&w, " và "), put(&w, lb), put(&w, ": "), put(&w, what), put(&w, " ");
    put(&w, vn(c->area, 1, v, 64)), put(&w, " m² dọc "), put(&w, vn(c->length, 1, v, 64));
    put(&w, " m, rộng nhất "), put(&w, vn(c->width, 3, v, 64)), put(&w, " m (dung sai cạnh ");
    put(&w, run->edge_tol_vn), put(&w, " m)");
    return say_vi_text(out, m);
}

static ccn_coverage_options coverage_options(const run_t *run, bool gaps_slivers)
{
    return (ccn_coverage_options){
        .overlap_min_m2 = run->tol.overlap_min_m2,
        .gap_max_m2 = gaps_slivers ? run->tol.gap_max_m2 : 0,
        .sliver_ratio = run->tol.sliver_ratio,
        .sliver_max_width_m = gaps_slivers ? run->tol.sliver_max_width_m : 0,
        /* Corners and edges less than 0.1 µm apart are one: some 200 times
         * the rounding of a VN-2000 northing (4.7e-10 m), far below any
         * survey's precision. Not more: every snap closes the gaps and
         * channels under it that GEOS's union keeps, and data rounded to the
         * millimetre puts a corner that close to a neighbour's edge more
         * often than one would think (a corner 1/L mm off an edge L mm long
         * is one step of the grid). At 1 cm real thin gaps went unreported
         * and bays open to the outside through a crack were called gaps; at
         * 0.1 mm a corner 0.07 mm from the edge across a gap network's neck
         * still cut it in two (tests/cli_check_noise.sh), and on 300,000
         * parcels with 2-10 cm noise 1,642 of the 65,562 wide gaps came out
         * otherwise than at 0.1 µm: of 12 drawn at random, 10 were off GEOS's
         * hole at the third decimal and none is now. Clean parcels give the
         * same findings, in the same time. */
        .snap_m = 1e-7,
        .edge_tol_m = run->tol.edge_tol_m,
    };
}

/* The findings of coverage's issues is[0..n) on L (a and b: L's indices),
 * added to out. Reads run only (see coverage_findings). */
static ccn_status issue_findings(run_t *run, finding_list *out, layer_t *L, int overlap_code,
                                 const ccn_coverage_issue *is, size_t n)
{
    ccn_status st = CCN_OK;
    char a[160], b[160], t[160], v[3][64], f[CCN_OUTTEXT_NUMBER_MAX], m[MESSAGE_MAX];
    const char *nn = noun(L), *nn_vi = noun_vi(L);
    words w, p; /* a message, and a part of it cut at 160 bytes as snprintf into a[] */
    for (size_t k = 0; k < n && !st; k++) {
        const ccn_coverage_issue *c = &is[k];
        int64_t fa = c->a != CCN_COVERAGE_NONE ? L->fid[c->a] : NO_FID;
        int64_t fb = c->b != CCN_COVERAGE_NONE ? L->fid[c->b] : NO_FID;
        /* Judged as printed (see beyond()): an overlap that prints as 0.500 m² is
         * noise under overlap_min_m2 0.5, a hole that prints as 50.000 m² is no gap
         * under gap_max_m2 50. */
        if (c->kind != CCN_COVERAGE_SLIVER && !beyond(c->area, run->tol.overlap_min_m2, 0.5e-3))
            continue;
        if (c->kind == CCN_COVERAGE_GAP && beyond(c->area, run->tol.gap_max_m2, -0.5e-3))
            continue;
        switch (c->kind) {
        case CCN_COVERAGE_OVERLAP:
            /* "%ss %s and %s overlap by %s m²" */
            w = words_in(m, sizeof m);
            put(&w, nn), put(&w, "s "), put(&w, label(run, L, c->a, a, sizeof a));
            put(&w, " and "), put(&w, label(run, L, c->b, b, sizeof b));
            put(&w, " overlap by "), put(&w, ccn_outtext_fixed(f, c->area, 3)), put(&w, " m²");
            st = add_finding_text(out, overlap_code, L->name, fa, L->name, fb, c->area, c->x,
                                  c->y, m);
            if (st)
                break;
            /* "Chồng lấn %s m² giữa %s %s và %s" */
            w = words_in(m, sizeof m);
            put(&w, "Chồng lấn "), put(&w, vn(c->area, 1, v[0], 64)), put(&w, " m² giữa ");
            put(&w, nn_vi), put(&w, " "), put(&w, label_vi(run, L, c->a, a, sizeof a));
            put(&w, " và "), put(&w, label_vi(run, L, c->b, b, sizeof b));
            st = say_vi_text(out, m);
            break;
        case CCN_COVERAGE_GAP:
            p = words_in(t, sizeof t);
            if (fa == NO_FID)
                put(&p, "no "), put(&p, nn); /* "no %s" */
            else if (fb == NO_FID)
                put(&p, nn), put(&p, " "), put(&p, label(run, L, c->a, b, sizeof b));
            else { /* "%ss %s and %s" */
                put(&p, nn), put(&p, "s "), put(&p, label(run, L, c->a, b, sizeof b));
                put(&p, " and "), put(&p, label(run, L, c->b, a, sizeof a));
            }
            /* "a gap of %s m² that no %s covers, along %s (gaps are holes below %g m²)" */
            w = words_in(m, sizeof m);
            put(&w, "a gap of "), put(&w, ccn_outtext_fixed(f, c->area, 3));
            put(&w, " m² that no "), put(&w, nn), put(&w, " covers, along "), put(&w, t);
            put(&w, " (gaps are holes below "), put(&w, run->gap_max_g), put(&w, " m²)");
            st = add_finding_text(out, C_PARCEL_GAP, L->name, fa, fb == NO_FID ? NULL : L->name,
                                  fb, c->area, c->x, c->y, m);
            if (st)
                break;
            p = words_in(t, sizeof t);
            if (fa == NO_FID) /* "không giáp %s nào" */
                put(&p, "không giáp "), put(&p, nn_vi), put(&p, " nào");
            else if (fb == NO_FID) /* "dọc theo %s %s" */
                put(&p, "dọc theo "), put(&p, nn_vi), put(&p, " "),
                    put(&p, label_vi(run, L, c->a, b, sizeof b));
            else { /* "dọc theo các %s %s và %s" */
                put(&p, "dọc theo các "), put(&p, nn_vi), put(&p, " ");
                put(&p, label_vi(run, L, c->a, b, sizeof b)), put(&p, " và ");
                put(&p, label_vi(run, L, c->b, a, sizeof a));
            }
            /* "Khe hở %s m² không thuộc %s nào, %s (khe hở là lỗ nhỏ hơn %s m²)" */
            w = words_in(m, sizeof m);
            put(&w, "Khe hở "), put(&w, vn(c->area, 1, v[0], 64)), put(&w, " m² không thuộc ");
            put(&w, nn_vi), put(&w, " nào, "), put(&w, t), put(&w, " (khe hở là lỗ nhỏ hơn ");
            put(&w, run->gap_max_vn), put(&w, " m²)");
            st = say_vi_text(out, m);
            break;
        case CCN_COVERAGE_EDGE_MISMATCH:
            snprintf(t, sizeof t, "%ss", nn);
            st = edge_mismatch(run, out, L->name, fa, L->name, fb, c,
                               label(run, L, c->a, a, sizeof a), label(run, L, c->b, b, sizeof b),
                               t);
            if (!st)
                st = edge_mismatch_vi(run, out, c, label_vi(run, L, c->a, a, sizeof a),
                                      label_vi(run, L, c->b, b, sizeof b), noun_vi(L));
            break;
        case CCN_COVERAGE_SLIVER:
            st = add_finding(out, C_SLIVER, L->name, fa, NULL, NO_FID, c->area, c->x, c->y,
                             "%s %s is a sliver: %.3f m², thinness 4πA/P² %.4f (below %g), mean "
                             "width %.3f m (at most %g m)",
                             noun(L), label(run, L, c->a, a, sizeof a), c->area, c->ratio,
                             run->tol.sliver_ratio, c->width, run->tol.sliver_max_width_m);
            if (!st)
                st = say_vi(out,
                            "Mảnh vụn: %s %s, %s m², độ mảnh 4πA/P² %s (dưới %s), bề rộng trung "
                            "bình %s m (tối đa %s m)",
                            noun_vi(L), label_vi(run, L, c->a, a, sizeof a),
                            vn(c->area, 1, v[0], 64), vn(c->ratio, 4, v[1], 64),
                            vn(run->tol.sliver_ratio, -1, v[2], 64), vn(c->width, 2, b, sizeof b),
                            vn(run->tol.sliver_max_width_m, -1, t, sizeof t));
            break;
        }
    }
    return st;
}

typedef struct {
    run_t *run;
    layer_t *L;
    int overlap_code;
    const ccn_coverage_issue *is;
    size_t n, chunk;
    finding_list *lists; /* one per chunk of issues */
} findings_job;

static ccn_status findings_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    findings_job *j = user;
    ccn_status st = CCN_OK;
    for (size_t c = begin; c < end && !st; c++) {
        finding_list *out = &j->lists[c];
        out->ctx = ctx;
        size_t first = c * j->chunk, count = j->n - first < j->chunk ? j->n - first : j->chunk;
        st = issue_findings(j->run, out, j->L, j->overlap_code, j->is + first, count);
    }
    return st;
}

/* The findings of coverage's issues, in their order. Sloppy parcels give
 * hundreds of thousands (287,000 on 300,000 noisy parcels, two messages
 * each): they are worded on every core, in chunks appended in order, once
 * every label they use is at hand (label() reads run then, and writes
 * nothing). */
static ccn_status coverage_findings(run_t *run, layer_t *L, int overlap_code,
                                    const ccn_coverage_issue *is, size_t n)
{
    enum { CHUNK = 4096 };
    if (n < 2 * CHUNK || ccn_parallel_workers() < 2 || (L == &run->parcels && !run->parcel_label))
        return issue_findings(run, &run->found, L, overlap_code, is, n);
    char buf[160];
    for (size_t i = 0; L == &run->parcels && i < L->n; i++)
        if (!run->parcel_label[i] && (label(run, L, i, buf, sizeof buf), !run->parcel_label[i]))
            return issue_findings(run, &run->found, L, overlap_code, is, n); /* not kept */
    findings_job j = {run, L, overlap_code, is, n, CHUNK, NULL};
    size_t nchunks = (n + CHUNK - 1) / CHUNK;
    if (!(j.lists = calloc(nchunks, sizeof *j.lists)))
        return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t c = 0; c < nchunks; c++)
        j.lists[c].group = run->found.group;
    ccn_status st = ccn_parallel_for(run->ctx, nchunks, 1, findings_work, &j);
    size_t total = run->found.n; /* room for them all at once, not by doubling */
    for (size_t c = 0; c < nchunks; c++)
        total += j.lists[c].n;
    if (!st && !ccn_grow((void **)&run->found.f, &run->found.cap, total, sizeof *run->found.f))
        st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t c = 0; c < nchunks; c++) {
        if (!st && !list_append(&run->found, &j.lists[c]))
            st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        free(j.lists[c].f);
        ccn_textpool_free(&j.lists[c].text);
    }
    free(j.lists);
    return st;
}

static ccn_status coverage_of(run_t *run, layer_t *L, int overlap_code, bool gaps_slivers)
{
    ccn_coverage_options o = coverage_options(run, gaps_slivers);
    ccn_coverage_issue *is = NULL;
    size_t n = 0;
    ccn_coverage_input in = {L->n, L->use, L->light ? L->wkb : NULL, L->wkb_off, L->wkb_len};
    ccn_status st = ccn_coverage_check_input(run->ctx, &in, &o, &is, &n);
    if (!st)
        st = coverage_findings(run, L, overlap_code, is, n);
    free(is);
    return st;
}

/* ---------------------------------------------------------------------------
 * clusters */

static size_t cluster_by_code(const run_t *run, const char *code)
{
    for (size_t i = 0; code && i < run->clusters.n; i++)
        if (attr(&run->clusters, i, CL_CODE) && strcasecmp(attr(&run->clusters, i, CL_CODE), code) == 0)
            return i;
    return SIZE_MAX;
}

static ccn_status check_clusters(run_t *run)
{
    layer_t *C = &run->clusters;
    ccn_status st = CCN_OK;
    for (size_t i = 0; i < C->n && !st; i++) {
        if (!C->use[i])
            continue;
        double a = C->area[i], planned = attr_real(C, i, CL_PLANNED), x, y;
        const char *code = attr(C, i, CL_CODE);
        surface_point(run, C->use[i], &x, &y);
        if (planned > 0) {
            double dev = (a - planned * 1e4) / (planned * 1e4) * 100;
            if (beyond(fabs(dev), run->tol.area_deviation_pct, 0.5e-4)) {
                st = add_finding(&run->found, C_AREA_DEVIATION, "clusters", C->fid[i], NULL, NO_FID,
                                 fabs(a - planned * 1e4), x, y,
                                 "cluster %s covers %.4f ha, %.4f %% %s the planned %g ha "
                                 "(tolerance %g %%)",
                                 code, a / 1e4, fabs(dev), dev > 0 ? "more than" : "less than",
                                 planned, run->tol.area_deviation_pct);
                char v[4][64];
                if (!st)
                    st = say_vi(&run->found,
                                "Cụm %s có diện tích %s ha, %s %s %% so với %s ha theo quy hoạch "
                                "(dung sai %s %%)",
                                code, vn(a / 1e4, 2, v[0], 64), dev > 0 ? "lớn hơn" : "nhỏ hơn",
                                vn(fabs(dev), 1, v[1], 64), vn(planned, -1, v[2], 64),
                                vn(run->tol.area_deviation_pct, -1, v[3], 64));
            }
        }
        const char *kind = attr(C, i, CL_KIND);
        if (!st && kind && strcmp(kind, "cluster") == 0 && (a <= 10e4 || a > 75e4)) {
            st = add_finding(&run->found, C_AREA_DEVIATION, "clusters", C->fid[i], NULL, NO_FID,
                             a <= 10e4 ? 10e4 - a : a - 75e4, x, y,
                             "cluster %s covers %.4f ha: Decree 32/2024/NĐ-CP wants a cluster "
                             "of more than 10 ha and at most 75 ha",
                             code, a / 1e4);
            char v[64];
            if (!st)
                st = say_vi(&run->found,
                            "Cụm %s có diện tích %s ha: Nghị định 32/2024/NĐ-CP quy định cụm công "
                            "nghiệp trên 10 ha và không quá 75 ha",
                            code, vn(a / 1e4, 2, v, sizeof v));
        }
    }
    return st ? st : coverage_of(run, C, C_CLUSTER_OVERLAP, false);
}

/* ---------------------------------------------------------------------------
 * lots */

typedef struct {
    size_t *items;
    size_t n, cap;
} hits;

static void collect_hit(void *item, void *user)
{
    hits *l = user;
    if (l->n == l->cap) {
        size_t c = l->cap ? 2 * l->cap : 16;
        size_t *t = realloc(l->items, c * sizeof *t);
        if (!t)
            return;
        l->items = t, l->cap = c;
    }
    l->items[l->n++] = (size_t)(uintptr_t)item - 1;
}

/* An STRtree over the usable geometries of a layer, queried once so that
 * it is built. NULL when the layer has none. */
static GEOSSTRtree *layer_tree(run_t *run, const layer_t *L, const bool *keep)
{
    GEOSSTRtree *t = GEOSSTRtree_create_r(run->h, 10);
    const GEOSGeometry *probe = NULL;
    for (size_t i = 0; t && i < L->n; i++)
        if (L->use[i] && (!keep || keep[i])) {
            GEOSSTRtree_insert_r(run->h, t, L->use[i], (void *)(uintptr_t)(i + 1));
            probe = L->use[i];
        }
    if (t && probe) {
        hits none = {0};
        GEOSSTRtree_query_r(run->h, t, probe, collect_hit, &none);
        free(none.items);
    }
    return t;
}

static ccn_status check_lots(run_t *run, char *note, size_t note_size)
{
    layer_t *C = &run->clusters, *L = &run->lots;
    GEOSContextHandle_t h = run->h;
    ccn_status st = CCN_OK;
    const GEOSPreparedGeometry **prep = calloc(C->n + 1, sizeof *prep);
    GEOSSTRtree *tree = layer_tree(run, C, NULL);
    hits cand = {0};
    size_t unchecked = 0;
    char missing[200] = "";
    char name[160];
    if (!prep || !tree) {
        st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < C->n; c++)
        if (C->use[c])
            prep[c] = GEOSPrepare_r(h, C->use[c]);
    for (size_t i = 0; i < L->n && !st; i++) {
        const GEOSGeometry *lot = L->use[i];
        if (!lot || L->area[i] <= 0)
            continue;
        size_t own = cluster_by_code(run, attr(L, i, LOT_CLUSTER));
        bool own_known = own != SIZE_MAX && C->use[own];
        if (!own_known) {
            unchecked++;
            const char *code = attr(L, i, LOT_CLUSTER) ? attr(L, i, LOT_CLUSTER) : "?";
            if (!strstr(missing, code) && strlen(missing) + strlen(code) + 3 < sizeof missing)
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                         *missing ? ", " : "", code);
        }
        /* The cluster holding most of the lot. */
        cand.n = 0;
        GEOSSTRtree_query_r(h, tree, lot, collect_hit, &cand);
        size_t best = SIZE_MAX;
        double best_area = 0, own_area = 0;
        for (size_t k = 0; k < cand.n; k++) {
            size_t c = cand.items[k];
            char meets = GEOSPreparedIntersects_r(h, prep[c], lot);
            if (meets == 2) {
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(run->ctx));
                break;
            }
            if (!meets)
                continue;
            double a = GEOSPreparedCovers_r(h, prep[c], lot) == 1
                           ? L->area[i]
                           : ccn_geom_intersection_area(run->ctx, C->use[c], lot);
            if (c == own)
                own_area = a;
            if (a > best_area)
                best = c, best_area = a;
        }
        if (st)
            break;
        double x, y;
        if (best != SIZE_MAX && best != own && best_area > L->area[i] / 2) {
            GEOSGeometry *part = GEOSIntersection_r(h, lot, C->use[best]);
            surface_point(run, part ? part : lot, &x, &y);
            if (part)
                GEOSGeom_destroy_r(h, part);
            st = add_finding(&run->found, C_LOT_WRONG, "lots", L->fid[i], "clusters", C->fid[best],
                             best_area, x, y,
                             "lot %s belongs to cluster %s but %.3f m² (%.4f %%) of it lies in "
                             "cluster %s",
                             label(run, L, i, name, sizeof name),
                             attr(L, i, LOT_CLUSTER) ? attr(L, i, LOT_CLUSTER) : "?", best_area,
                             100 * best_area / L->area[i], attr(C, best, CL_CODE));
            char v[2][64];
            if (!st)
                st = say_vi(&run->found,
                            "Lô %s thuộc cụm %s nhưng %s m² (%s %%) của lô nằm trong cụm %s",
                            label(run, L, i, name, sizeof name),
                            attr(L, i, LOT_CLUSTER) ? attr(L, i, LOT_CLUSTER) : "?",
                            vn(best_area, 1, v[0], 64),
                            vn(100 * best_area / L->area[i], 1, v[1], 64), attr(C, best, CL_CODE));
            continue;
        }
        double outside = L->area[i] - own_area;
        if (own_known && outside > run->tol.overlap_min_m2) {
            GEOSGeometry *part = GEOSDifference_r(h, lot, C->use[own]);
            GEOSGeometry *poly = part ? ccn_geom_polygonal(run->ctx, part) : NULL;
            if (poly) /* measured on the difference itself, not by subtraction */
                outside = ccn_geom_area(run->ctx, poly);
            surface_point(run, poly ? poly : lot, &x, &y);
            /* Thinner than the edge tolerance everywhere: the lot and its
             * cluster drawn apart along a shared edge, not a lot outside. */
            ccn_coverage_issue thin = {CCN_COVERAGE_EDGE_MISMATCH, i, own, outside, x, y,
                                       NAN, NAN, NAN, THIN_OUTSIDE};
            bool is_thin = false;
            if (poly && run->tol.edge_tol_m > 0 && beyond(outside, run->tol.overlap_min_m2, 0.5e-3))
                st = ccn_width_thin(run->ctx, poly, run->tol.edge_tol_m, &is_thin,
                                       &thin.width, &thin.length);
            if (part)
                GEOSGeom_destroy_r(h, part);
            if (poly)
                GEOSGeom_destroy_r(h, poly);
            if (st)
                break;
            char v[2][64];
            if (is_thin) {
                char cl[160];
                snprintf(cl, sizeof cl, "cluster %s", attr(C, own, CL_CODE));
                st = edge_mismatch(run, &run->found, "lots", L->fid[i], "clusters", C->fid[own],
                                   &thin, label(run, L, i, name, sizeof name), cl, "lot");
                if (!st) {
                    snprintf(cl, sizeof cl, "cụm %s", attr(C, own, CL_CODE));
                    st = edge_mismatch_vi(run, &run->found, &thin,
                                          label_vi(run, L, i, name, sizeof name), cl, "lô đất");
                }
            } else if (beyond(outside, run->tol.overlap_min_m2, 0.5e-3)) {
                st = add_finding(&run->found, C_LOT_OUTSIDE, "lots", L->fid[i], "clusters",
                                 C->fid[own], outside, x, y,
                                 "%.3f m² (%.4f %%) of lot %s lies outside the boundary of "
                                 "cluster %s",
                                 outside, 100 * outside / L->area[i],
                                 label(run, L, i, name, sizeof name), attr(C, own, CL_CODE));
                if (!st)
                    st = say_vi(&run->found, "Lô %s có %s m² (%s %%) nằm ngoài ranh giới cụm %s",
                                label(run, L, i, name, sizeof name), vn(outside, 1, v[0], 64),
                                vn(100 * outside / L->area[i], 1, v[1], 64), attr(C, own, CL_CODE));
            }
        }
    }
    if (!st)
        st = coverage_of(run, L, C_LOT_OVERLAP, false);
    if (unchecked)
        snprintf(note + strlen(note), note_size - strlen(note),
                 "; %zu lots not checked against their own cluster, which has no boundary (%s)",
                 unchecked, missing);
done:
    for (size_t c = 0; prep && c < C->n; c++)
        if (prep[c])
            GEOSPreparedGeom_destroy_r(h, prep[c]);
    free(prep);
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    free(cand.items);
    return st;
}

/* ---------------------------------------------------------------------------
 * parcels: overlaps, gaps, slivers, area on record */

/* Whether an area on record read as `legal` m² may be a figure written with
 * a dot for thousands (Vietnamese notation: "1.234" for 1 234 m²) that was
 * read as a decimal point: a figure from 1 to under 1000 with at most three decimals
 * whose thousandfold, *thousands, is within tol_pct of the map area. */
static bool thousands_misread(double legal, double map, double tol_pct, double *thousands)
{
    double k = legal * 1000;
    *thousands = round(k);
    return legal >= 1 && legal < 1000 && fabs(k - *thousands) <= 1e-6 * k &&
           fabs(map - *thousands) / *thousands * 100 <= tol_pct;
}

/* v (a whole number) with its thousands set apart by spaces: "1 234". */
static const char *spaced(double v, char *buf, size_t size)
{
    char raw[64];
    int n = snprintf(raw, sizeof raw, "%.0f", v), k = 0;
    for (int i = 0; i < n && k + 2 < (int)size; i++) {
        if (i && (n - i) % 3 == 0)
            buf[k++] = ' ';
        buf[k++] = raw[i];
    }
    buf[k] = '\0';
    return buf;
}

/* The parcels of P whose map area strays from the area on record; a hint
 * when the record may be thousands written with a dot. */
static ccn_status area_on_record(run_t *run, layer_t *P)
{
    ccn_status st = CCN_OK;
    char name[160];
    for (size_t i = 0; i < P->n && !st; i++) {
        double legal = attr_real(P, i, PA_LEGAL);
        if (!usable_at(P, i) || !(legal > 0))
            continue;
        double diff = P->area[i] - legal, pct = fabs(diff) / legal * 100;
        if (!beyond(pct, run->tol.area_legal_pct, 0.5e-4))
            continue;
        double x, y;
        GEOSGeometry *own;
        surface_point(run, geom_at(run->ctx, P, i, &own), &x, &y);
        if (own)
            GEOSGeom_destroy_r(run->h, own);
        double k;
        bool misread = thousands_misread(legal, P->area[i], run->tol.area_legal_pct, &k);
        char v[6][64], hint[2][256] = {"", ""};
        int rec = ccn_vnum_decimals(legal); /* the record as written: 1.234, not 1.2 */
        if (misread) {
            snprintf(hint[0], sizeof hint[0],
                     "; the %.*f on record may be %s m² written with a dot for thousands", rec,
                     legal, spaced(k, v[4], 64));
            snprintf(hint[1], sizeof hint[1],
                     "; có thể hồ sơ ghi %s m² (dấu chấm phân cách hàng nghìn) mà đã được đọc "
                     "thành %s m²",
                     vn(k, 0, v[4], 64), vn(legal, rec, v[5], 64));
        }
        st = add_finding(&run->found, C_AREA_LEGAL, "parcels", P->fid[i], NULL, NO_FID, fabs(diff),
                         x, y,
                         "parcel %s: map area %.3f m² is %.4f %% %s the %.*f m² on record "
                         "(tolerance %g %%)%s",
                         label(run, P, i, name, sizeof name), P->area[i], pct,
                         diff > 0 ? "more than" : "less than", rec, legal, run->tol.area_legal_pct,
                         hint[0]);
        if (!st)
            st = say_vi(&run->found,
                        "Thửa đất %s: diện tích trên bản đồ %s m², %s %s %% so với %s m² trong "
                        "hồ sơ (dung sai %s %%)%s",
                        label_vi(run, P, i, name, sizeof name), vn(P->area[i], 1, v[0], 64),
                        diff > 0 ? "lớn hơn" : "nhỏ hơn", vn(pct, 1, v[1], 64),
                        vn(legal, rec, v[2], 64), vn(run->tol.area_legal_pct, -1, v[3], 64),
                        hint[1]);
    }
    return st;
}

/* ---------------------------------------------------------------------------
 * markers */

static GEOSGeometry *marker_outline(GEOSContextHandle_t h, const marker_t *m, size_t n)
{
    if (n == 1)
        return GEOSGeom_createPointFromXY_r(h, m[0].x, m[0].y);
    size_t len = n >= 3 ? n + 1 : n;
    GEOSCoordSequence *seq = GEOSCoordSeq_create_r(h, (unsigned int)len, 2);
    if (!seq)
        return NULL;
    for (size_t k = 0; k < len; k++)
        GEOSCoordSeq_setXY_r(h, seq, (unsigned int)k, m[k % n].x, m[k % n].y);
    return GEOSGeom_createLineString_r(h, seq);
}

/* Distance from (x, y) to the nearest vertex of g's rings. */
static double nearest_vertex(GEOSContextHandle_t h, const GEOSGeometry *g, double x, double y)
{
    double best = INFINITY;
    int np = GEOSGetNumGeometries_r(h, g);
    for (int p = 0; p < np; p++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, p);
        int nr = GEOSGetNumInteriorRings_r(h, poly);
        for (int r = -1; r < nr; r++) {
            const GEOSGeometry *ring =
                r < 0 ? GEOSGetExteriorRing_r(h, poly) : GEOSGetInteriorRingN_r(h, poly, r);
            const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
            unsigned int len = 0;
            if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &len))
                continue;
            for (unsigned int v = 0; v < len; v++) {
                double vx, vy;
                GEOSCoordSeq_getXY_r(h, seq, v, &vx, &vy);
                best = fmin(best, hypot(vx - x, vy - y));
            }
        }
    }
    return best;
}

/* One cluster's markers [first, first+n) against its boundary. */
static ccn_status markers_of(run_t *run, size_t c, size_t first, size_t n, double *max_d,
                             size_t *multipart)
{
    GEOSContextHandle_t h = run->h;
    const marker_t *m = run->markers + first;
    const layer_t *C = &run->clusters;
    GEOSGeometry *boundary = GEOSBoundary_r(h, C->use[c]);
    GEOSGeometry *outline = marker_outline(h, m, n);
    const GEOSPreparedGeometry *pb = boundary ? GEOSPrepare_r(h, boundary) : NULL;
    const GEOSPreparedGeometry *po = outline ? GEOSPrepare_r(h, outline) : NULL;
    bool *far = calloc(n, sizeof *far);
    ccn_status st = CCN_OK;
    const char *code = attr(C, c, CL_CODE);
    if (!pb || !po || !far) {
        st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(run->ctx));
        goto done;
    }
    for (size_t k = 0; k < n && !st; k++) {
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, m[k].x, m[k].y);
        double d = 0;
        if (!pt || !GEOSPreparedDistance_r(h, pb, pt, &d)) {
            if (pt)
                GEOSGeom_destroy_r(h, pt);
            st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(run->ctx));
            break;
        }
        GEOSGeom_destroy_r(h, pt);
        *max_d = fmax(*max_d, d);
        if (beyond(d, run->tol.marker_max_m, 0.5e-3)) {
            far[k] = true;
            st = add_finding(&run->found, C_MARKER, "markers", m[k].fid, "clusters", C->fid[c], NAN,
                             m[k].x, m[k].y,
                             "marker %s of cluster %s lies %.3f m from the cluster's boundary "
                             "and %.3f m from its nearest vertex (tolerance %g m)",
                             m[k].marker, code, d, nearest_vertex(h, C->use[c], m[k].x, m[k].y),
                             run->tol.marker_max_m);
            char v[3][64];
            if (!st)
                st = say_vi(&run->found,
                            "Mốc %s của cụm %s cách ranh giới cụm %s m và cách đỉnh gần nhất %s m "
                            "(dung sai %s m)",
                            m[k].marker, code, vn(d, 2, v[0], 64),
                            vn(nearest_vertex(h, C->use[c], m[k].x, m[k].y), 2, v[1], 64),
                            vn(run->tol.marker_max_m, -1, v[2], 64));
        }
    }
    /* Boundary vertices that no marker accounts for. One outline through all
     * markers cannot stand for a boundary of several parts: then markers are
     * only held against the boundary (the summary says so). */
    int np = GEOSGetNumGeometries_r(h, C->use[c]);
    if (np > 1)
        (*multipart)++;
    for (int p = 0; p < np && np == 1 && !st; p++) {
        const GEOSGeometry *ring = GEOSGetExteriorRing_r(h, GEOSGetGeometryN_r(h, C->use[c], p));
        const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
        unsigned int len = 0;
        if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &len))
            continue;
        for (unsigned int v = 0; v + 1 < len && !st; v++) {
            double x, y, d = 0, best = INFINITY;
            size_t nearest = 0;
            GEOSCoordSeq_getXY_r(h, seq, v, &x, &y);
            for (size_t k = 0; k < n; k++) {
                double dk = hypot(m[k].x - x, m[k].y - y);
                if (dk < best)
                    best = dk, nearest = k;
            }
            if (far[nearest])
                continue;
            GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, x, y);
            if (!pt || !GEOSPreparedDistance_r(h, po, pt, &d)) {
                if (pt)
                    GEOSGeom_destroy_r(h, pt);
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(run->ctx));
                break;
            }
            GEOSGeom_destroy_r(h, pt);
            *max_d = fmax(*max_d, d);
            char b[3][64];
            if (beyond(d, run->tol.marker_max_m, 0.5e-3)) {
                st = add_finding(&run->found, C_MARKER, "clusters", C->fid[c], "markers",
                                 m[nearest].fid, NAN, x, y,
                                 "a boundary vertex of cluster %s lies %.3f m from the outline "
                                 "of its marker table (nearest marker %s, %.3f m away; "
                                 "tolerance %g m)",
                                 code, d, m[nearest].marker, best, run->tol.marker_max_m);
                if (!st)
                    st = say_vi(&run->found,
                                "Một đỉnh ranh giới của cụm %s cách đường nối các mốc %s m (mốc "
                                "gần nhất %s, cách %s m; dung sai %s m)",
                                code, vn(d, 2, b[0], 64), m[nearest].marker, vn(best, 2, b[1], 64),
                                vn(run->tol.marker_max_m, -1, b[2], 64));
            }
        }
    }
done:
    if (pb)
        GEOSPreparedGeom_destroy_r(h, pb);
    if (po)
        GEOSPreparedGeom_destroy_r(h, po);
    if (boundary)
        GEOSGeom_destroy_r(h, boundary);
    if (outline)
        GEOSGeom_destroy_r(h, outline);
    free(far);
    return st;
}

static ccn_status check_markers(run_t *run, char *note, size_t note_size)
{
    ccn_status st = CCN_OK;
    double max_d = 0;
    size_t checked = 0, clusters = 0, multipart = 0;
    char missing[200] = "";
    for (size_t k = 0; k < run->nmarkers && !st;) {
        size_t e = k;
        while (e < run->nmarkers && strcmp(run->markers[e].cluster, run->markers[k].cluster) == 0)
            e++;
        size_t c = cluster_by_code(run, run->markers[k].cluster);
        if (c == SIZE_MAX || !run->clusters.use[c]) {
            if (strlen(missing) + strlen(run->markers[k].cluster) + 3 < sizeof missing)
                snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                         *missing ? ", " : "", run->markers[k].cluster);
        } else {
            st = markers_of(run, c, k, e - k, &max_d, &multipart);
            checked += e - k;
            clusters++;
        }
        k = e;
    }
    snprintf(note + strlen(note), note_size - strlen(note),
             "%zu markers of %zu clusters, largest distance %.3f m", checked, clusters, max_d);
    if (*missing)
        snprintf(note + strlen(note), note_size - strlen(note),
                 "; markers of %s not checked: no boundary", missing);
    if (multipart)
        snprintf(note + strlen(note), note_size - strlen(note),
                 "; %zu boundaries of several parts: their vertices not held against the "
                 "markers' outline",
                 multipart);
    return st;
}

/* ---------------------------------------------------------------------------
 * plan: clusters over protected land */

static ccn_status check_plan(run_t *run, char *note, size_t note_size)
{
    layer_t *C = &run->clusters, *Z = &run->plan;
    GEOSContextHandle_t h = run->h;
    bool *protect = calloc(Z->n + 1, sizeof *protect);
    size_t nprot = 0;
    ccn_status st = CCN_OK;
    GEOSSTRtree *tree = NULL;
    hits cand = {0};
    if (!protect)
        return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t z = 0; z < Z->n; z++) {
        const char *p = attr(Z, z, PL_PROTECTED);
        protect[z] = p && strcmp(p, "1") == 0;
        nprot += protect[z];
    }
    snprintf(note + strlen(note), note_size - strlen(note), "%zu of %zu plan zones protected",
             nprot, Z->n);
    if (nprot == 0 || !(tree = layer_tree(run, Z, protect)))
        goto done;
    for (size_t c = 0; c < C->n && !st; c++) {
        if (!C->use[c])
            continue;
        const GEOSPreparedGeometry *pc = GEOSPrepare_r(h, C->use[c]);
        cand.n = 0;
        GEOSSTRtree_query_r(h, tree, C->use[c], collect_hit, &cand);
        for (size_t k = 0; k < cand.n && !st; k++) {
            size_t z = cand.items[k];
            char meets = pc ? GEOSPreparedIntersects_r(h, pc, Z->use[z]) : 2;
            if (meets == 2) {
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(run->ctx));
                break;
            }
            if (!meets)
                continue;
            GEOSGeometry *x = GEOSIntersection_r(h, C->use[c], Z->use[z]);
            GEOSGeometry *poly = x ? ccn_geom_polygonal(run->ctx, x) : NULL;
            if (x)
                GEOSGeom_destroy_r(h, x);
            if (!poly) {
                st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "GEOS: %s", ccn_ctx_geos_message(run->ctx));
                break;
            }
            double a = ccn_geom_area(run->ctx, poly), px, py;
            surface_point(run, poly, &px, &py);
            GEOSGeom_destroy_r(h, poly);
            char v[64];
            if (beyond(a, run->tol.overlap_min_m2, 0.5e-3)) {
                st = add_finding(
                    &run->found, C_PROTECTED, "clusters", C->fid[c], "plan", Z->fid[z], a, px, py,
                    "cluster %s covers %.3f m² of plan zone %lld, planned %s (%s): "
                    "protected land",
                    attr(C, c, CL_CODE), a, (long long)Z->fid[z], attr(Z, z, PL_LANDUSE),
                    attr(Z, z, PL_NAME) ? attr(Z, z, PL_NAME) : "");
                if (!st)
                    st = say_vi(&run->found,
                                "Cụm %s chiếm %s m² đất quy hoạch %s (%s) của vùng quy hoạch số "
                                "%lld: đất cần bảo vệ",
                                attr(C, c, CL_CODE), vn(a, 1, v, sizeof v), attr(Z, z, PL_LANDUSE),
                                attr(Z, z, PL_NAME) ? attr(Z, z, PL_NAME) : "",
                                (long long)Z->fid[z]);
            }
        }
        if (pc)
            GEOSPreparedGeom_destroy_r(h, pc);
    }
done:
    if (tree)
        GEOSSTRtree_destroy_r(h, tree);
    free(cand.items);
    free(protect);
    return st;
}

/* ---------------------------------------------------------------------------
 * Distortion warning: features far from the CRS's central meridian. */

/* How far a layer's features lie from the zone's central meridian,
 * counted a layer (or a batch of one) at a time. */
typedef struct {
    bool begun, ok;
    char crs[32];
    double lon0, worst;
    ccn_transform *tf;
    size_t far;
    size_t nowhere;  /* features the CRS cannot place on the Earth (absurd coordinates) */
    int64_t nowhere_fid;
} meridian_t;

static void meridian_add(run_t *run, meridian_t *m, const layer_t *L)
{
    if (!L->n)
        return;
    ccn_ctx *ctx = run->ctx;
    if (!m->begun) {
        m->begun = true;
        snprintf(m->crs, sizeof m->crs, "EPSG:%d", ccn_store_srid(run->store));
        if (ccn_store_lonlat(run->store, ctx, &m->tf, &m->lon0) || isnan(m->lon0)) {
            ccn_ctx_clear_error(ctx);
            ccn_warn(ctx, "%s: cannot tell how far the features lie from the central meridian of %s",
                     L->name, m->crs);
            return;
        }
        m->ok = true;
    }
    if (!m->ok)
        return;
    ccn_transform *tf = m->tf;
    double lon0 = m->lon0;
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < L->n; i++) {
        double x0, y0, x1, y1;
        if (!L->use[i] || !GEOSGeom_getExtent_r(run->h, L->use[i], &x0, &y0, &x1, &y1))
            continue;
        e[0] = fmin(e[0], x0), e[1] = fmin(e[1], y0);
        e[2] = fmax(e[2], x1), e[3] = fmax(e[3], y1);
    }
    for (int w = 0; L->light && w < ccn_parallel_workers(); w++) { /* the WKB-only features */
        e[0] = fmin(e[0], L->extent[w][0]), e[1] = fmin(e[1], L->extent[w][1]);
        e[2] = fmax(e[2], L->extent[w][2]), e[3] = fmax(e[3], L->extent[w][3]);
    }
    /* The layer's extent first: its corners are its farthest longitudes. */
    double corners[8] = {e[0], e[1], e[0], e[3], e[2], e[1], e[2], e[3]};
    bool all_near = isfinite(e[0]) && !ccn_crs_transform_xy(ctx, tf, corners, 4);
    for (int k = 0; all_near && k < 4; k++)
        all_near = fabs(corners[2 * k] - lon0) <= run->tol.meridian_max_deg;
    ccn_ctx_clear_error(ctx);
    for (size_t i = 0; !all_near && i < L->n; i++) {
        if (!usable_at(L, i))
            continue;
        double x0, x1, y0, y1;
        GEOSGeometry *own;
        const GEOSGeometry *g = geom_at(ctx, L, i, &own);
        bool got = g && GEOSGeom_getExtent_r(run->h, g, &x0, &y0, &x1, &y1);
        if (own)
            GEOSGeom_destroy_r(run->h, own);
        if (!got)
            continue;
        double xy[4] = {x0, (y0 + y1) / 2, x1, (y0 + y1) / 2};
        if (ccn_crs_transform_xy(ctx, tf, xy, 2)) {
            ccn_ctx_clear_error(ctx);
            if (m->nowhere++ == 0)
                m->nowhere_fid = L->fid[i];
            continue;
        }
        double d = fmax(fabs(xy[0] - lon0), fabs(xy[2] - lon0));
        if (d > run->tol.meridian_max_deg) {
            m->far++;
            m->worst = fmax(m->worst, d);
        }
    }
}

static void meridian_end(run_t *run, meridian_t *m, const char *name)
{
    ccn_crs_transform_free(m->tf);
    if (m->far)
        ccn_warn(run->ctx,
                 "%s: %zu features lie more than %g° from the central meridian %.4f° of %s (up "
                 "to %.3f°): their planar areas are distorted",
                 name, m->far, run->tol.meridian_max_deg, m->lon0, m->crs, m->worst);
    if (m->nowhere) /* a workspace another tool wrote: no finding says it */
        ccn_warn(run->ctx,
                 "%s: %zu features lie where %s places nothing on the Earth (the first: fid "
                 "%lld): their coordinates are wrong, and their areas mean nothing",
                 name, m->nowhere, m->crs, (long long)m->nowhere_fid);
    memset(m, 0, sizeof *m);
}

static void meridian_warning(run_t *run, const layer_t *L)
{
    meridian_t m = {0};
    meridian_add(run, &m, L);
    meridian_end(run, &m, L->name);
}

/* ---------------------------------------------------------------------------
 * parcels, streamed: a province holds millions, so they are never all held.
 * They are read west to east (by the west edge of their envelope: the MBR
 * SpatiaLite stores, ST_XMin on PostGIS) a batch at a time; each batch is
 * validated (validity findings), its areas compared with the record, and
 * its polygons handed to ccn_coverage_check_stream, which keeps only those
 * a parcel still to come may reach. */

/* Parcels a batch: 32,768 (some 100 MB in all, whatever the number of
 * parcels; larger batches only take more memory), or CCN_TEST_PARCEL_BATCH
 * for the tests, which must find the same with many small batches. */
static size_t parcel_batch(void)
{
    const char *e = getenv("CCN_TEST_PARCEL_BATCH");
    long n = e ? strtol(e, NULL, 10) : 0;
    return n > 0 ? (size_t)n : (size_t)1 << 15;
}

typedef struct {
    run_t *run;
    ccn_stmt *q;
    int rc;                  /* q's last step: 1 when a row waits */
    bool validity, parcels;  /* the groups to run on each batch */
    bool replay;             /* read again (coverage's second look): no findings */
    meridian_t meridian;
    size_t *id, *off, *len;  /* the batch for coverage */
    unsigned char *wkb;
    size_t used, capwkb;
    size_t batch;            /* parcels a batch */
} parcel_stream;

static const char *const PARCELS_WEST_TO_EAST =
    "SELECT fid, AsBinary(geom), area_legal, MbrMinX(geom) FROM parcels"
    " ORDER BY MbrMinX(geom) IS NULL, MbrMinX(geom), fid";

/* The parcels west to east; or, with a box, those whose envelope meets it
 * (off the spatial index). */
static ccn_status stream_open(parcel_stream *ps, const double *box)
{
    ccn_stmt_free(ps->q);
    ps->q = NULL;
    char sql[512], b[4][32];
    const char *query = PARCELS_WEST_TO_EAST;
    if (box) {
        for (int k = 0; k < 4; k++)
            snprintf(b[k], sizeof b[k], "%.17g", box[k]);
        int n = snprintf(sql, sizeof sql, "%s",
                         "SELECT fid, AsBinary(geom), area_legal, MbrMinX(geom) FROM parcels AS p"
                         " WHERE ");
        ccn_store_window_sql(ps->run->store, sql + n, sizeof sql - (size_t)n, "p", "parcels",
                             b[0], b[1], b[2], b[3]);
        query = sql;
    }
    ccn_status st = ccn_stmt_prepare(ps->run->store, query, &ps->q);
    if (st && box) { /* no spatial index (a workspace another tool made): all of them */
        ccn_ctx_clear_error(ps->run->ctx);
        st = ccn_stmt_prepare(ps->run->store, PARCELS_WEST_TO_EAST, &ps->q);
    }
    if (st)
        return st;
    ps->rc = ccn_stmt_step(ps->q);
    return ps->rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

static ccn_status stream_wkb(parcel_stream *ps, const unsigned char *wkb, size_t n)
{
    if (!ccn_grow((void **)&ps->wkb, &ps->capwkb, ps->used + n, 1))
        return ccn_error(ps->run->ctx, CCN_ERR_INTERNAL, "out of memory");
    memcpy(ps->wkb + ps->used, wkb, n);
    ps->used += n;
    return CCN_OK;
}

/* The next batch of parcels: read, prepared, its findings, and its usable
 * polygons for coverage (as WKB, repaired ones too; ids are fids). */
static ccn_status stream_next(void *user, ccn_coverage_batch *b)
{
    parcel_stream *ps = user;
    run_t *run = ps->run;
    ccn_ctx *ctx = run->ctx;
    layer_t *P = &run->parcels;
    ccn_status st = CCN_OK;
    *b = (ccn_coverage_batch){{0}, ps->id, INFINITY};
    for (size_t m = 0; m == 0 && ps->rc == 1;) {
        labels_free(run);
        layer_free(ctx, P);
        layer_init(P, "parcels", 1, true);
        if ((st = layer_fill(ctx, ps->q, &ps->rc, P, ps->batch)) ||
            (st = layer_prepare(ctx, P)))
            return st;
        if (!ps->replay) {
            meridian_add(run, &ps->meridian, P);
            int group = run->found.group;
            run->found.group = __builtin_ctz(CCN_CHECK_VALIDITY);
            if (ps->validity && (st = validity_of(run, P)))
                return st;
            run->found.group = __builtin_ctz(CCN_CHECK_PARCELS);
            if (ps->parcels && (st = area_on_record(run, P)))
                return st;
            run->found.group = group;
        }
        if (!ps->parcels)
            continue;
        if (!ps->id && (!(ps->id = malloc(ps->batch * sizeof *ps->id)) ||
                        !(ps->off = malloc(ps->batch * sizeof *ps->off)) ||
                        !(ps->len = malloc(ps->batch * sizeof *ps->len))))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        ps->used = 0;
        for (size_t i = 0; i < P->n; i++) {
            if (!usable_at(P, i))
                continue;
            if (P->fid[i] < 0 || P->fid[i] >= (int64_t)UINT32_MAX)
                return ccn_error(ctx, CCN_ERR_INPUT,
                                 "%s: parcels: fid %lld is beyond what ccn check handles "
                                 "(0 to %u)",
                                 ccn_store_path(run->store), (long long)P->fid[i],
                                 UINT32_MAX - 1);
            ps->id[m] = (size_t)P->fid[i];
            ps->off[m] = ps->used;
            if (P->use[i]) { /* repaired or taken out of a collection */
                size_t n = 0;
                unsigned char *w = ccn_geom_to_wkb(ctx, P->use[i], &n);
                if (!w)
                    return ccn_ctx_status(ctx) ? ccn_ctx_status(ctx) : CCN_ERR_INTERNAL;
                st = stream_wkb(ps, w, n);
                free(w);
            } else {
                st = stream_wkb(ps, P->wkb + P->wkb_off[i], P->wkb_len[i]);
            }
            if (st)
                return st;
            ps->len[m] = ps->used - ps->off[m];
            m++;
        }
        if (!ps->replay)
            run->parcel_usable += m;
        b->in = (ccn_coverage_input){m, NULL, ps->wkb, ps->off, ps->len};
        b->id = ps->id;
    }
    if (b->in.n && ps->rc == 1 && !ccn_stmt_is_null(ps->q, 3))
        b->next_x = ccn_stmt_double(ps->q, 3);
    return ps->rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

static ccn_status stream_rewind(void *user, const double *box)
{
    parcel_stream *ps = user;
    ps->replay = true;
    return stream_open(ps, box);
}

/* The parcels' findings of the groups asked (validity; overlaps, gaps,
 * slivers and area on record), reading them once (twice when a few points
 * of the gap search need the polygons again). */
/* The labels of the parcels P the issues name, when they are many (sloppy
 * data names nearly every parcel): read in one pass over the parcels' keys
 * (SQLite reads them off a key index, not the rows) instead of a lookup
 * each, which cost some 4 µs a parcel. A few are looked up as label() needs
 * them. */
static ccn_status parcel_labels(run_t *run, const layer_t *P)
{
    if (P->n < 1024 || P->n < run->parcel_rows / 16)
        return CCN_OK;
    if (!(run->parcel_label = calloc(P->n + 1, sizeof *run->parcel_label)))
        return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store,
                                     "SELECT fid, commune, sheet, parcel_no FROM parcels", &q);
    int rc = 0;
    char buf[160];
    while (!st && (rc = ccn_stmt_step(q)) == 1) {
        int64_t fid = ccn_stmt_int(q, 0);
        size_t k = layer_index(P, fid);
        if (k == SIZE_MAX)
            continue;
        parcel_label_of(q, 1, fid, buf, sizeof buf);
        if (!(run->parcel_label[k] = ccn_textpool_strdup(&run->found.text, buf)))
            st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    return st;
}

/* The parcels the issues is[0..n) name (by fid) into P->fid (room for 2n),
 * in fid order, once each, and the issues' a and b made indices into it.
 * Through a table by fid when the fids are dense enough (rows' ids are),
 * else by sorting: sloppy data names 570,000 parcels, sorted and searched
 * on the main thread in a tenth of a second. */
static void index_issue_fids(layer_t *P, ccn_coverage_issue *is, size_t n)
{
    size_t top = 0;
    for (size_t k = 0; k < n; k++) {
        if (is[k].a != CCN_COVERAGE_NONE && is[k].a > top)
            top = is[k].a;
        if (is[k].b != CCN_COVERAGE_NONE && is[k].b > top)
            top = is[k].b;
    }
    uint32_t *slot = n && top < 16 * n + (1u << 20) && 2 * n < UINT32_MAX
                         ? calloc(top + 1, sizeof *slot)
                         : NULL;
    if (slot) {
        for (size_t k = 0; k < n; k++) {
            if (is[k].a != CCN_COVERAGE_NONE)
                slot[is[k].a] = 1;
            if (is[k].b != CCN_COVERAGE_NONE)
                slot[is[k].b] = 1;
        }
        for (size_t f = 0; f <= top; f++)
            if (slot[f]) {
                P->fid[P->n++] = (int64_t)f;
                slot[f] = (uint32_t)P->n; /* its index + 1 */
            }
        for (size_t k = 0; k < n; k++) {
            if (is[k].a != CCN_COVERAGE_NONE)
                is[k].a = slot[is[k].a] - 1;
            if (is[k].b != CCN_COVERAGE_NONE)
                is[k].b = slot[is[k].b] - 1;
        }
        free(slot);
        return;
    }
    for (size_t k = 0; k < n; k++) {
        if (is[k].a != CCN_COVERAGE_NONE)
            P->fid[P->n++] = (int64_t)is[k].a;
        if (is[k].b != CCN_COVERAGE_NONE)
            P->fid[P->n++] = (int64_t)is[k].b;
    }
    if (P->n)
        qsort(P->fid, P->n, sizeof *P->fid, cmp_fid);
    size_t u = 0;
    for (size_t k = 0; k < P->n; k++)
        if (u == 0 || P->fid[k] != P->fid[u - 1])
            P->fid[u++] = P->fid[k];
    P->n = u;
    for (size_t k = 0; k < n; k++) {
        if (is[k].a != CCN_COVERAGE_NONE)
            is[k].a = layer_index(P, (int64_t)is[k].a);
        if (is[k].b != CCN_COVERAGE_NONE)
            is[k].b = layer_index(P, (int64_t)is[k].b);
    }
}

static ccn_status parcels_stream(run_t *run, bool validity, bool parcels)
{
    parcel_stream ps = {.run = run, .validity = validity, .parcels = parcels,
                        .batch = parcel_batch()};
    ccn_coverage_issue *is = NULL;
    size_t n = 0;
    /* Each page of the parcels is read once (sorted west to east, by
     * SQLite's sorter in memory the size of the page cache): a small cache
     * keeps both from growing with the workspace. */
    ccn_store_scan_once(run->store);
    ccn_status st = stream_open(&ps, NULL);
    if (st)
        goto done;
    if (parcels) {
        ccn_coverage_options o = coverage_options(run, true);
        ccn_coverage_source src = {stream_next, stream_rewind, &ps};
        st = ccn_coverage_check_stream(run->ctx, &src, &o, &is, &n);
    } else {
        ccn_coverage_batch b;
        while (!st && ps.rc == 1)
            st = stream_next(&ps, &b);
    }
    labels_free(run);
    layer_free(run->ctx, &run->parcels);
    layer_init(&run->parcels, "parcels", 1, true);
    if (st)
        goto done;
    meridian_end(run, &ps.meridian, "parcels");
    /* The parcels the issues name (by fid), as a layer of their fids only:
     * labels are looked up by fid. */
    layer_t *P = &run->parcels;
    if (n && !(P->fid = malloc(2 * n * sizeof *P->fid))) {
        st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    index_issue_fids(P, is, n);
    int group = run->found.group;
    run->found.group = __builtin_ctz(CCN_CHECK_PARCELS);
    if (!(st = parcel_labels(run, P)))
        st = coverage_findings(run, P, C_PARCEL_OVERLAP, is, n);
    run->found.group = group;
    labels_free(run);
done:
    if (ps.meridian.begun)
        ccn_crs_transform_free(ps.meridian.tf);
    ccn_stmt_free(ps.q);
    free(ps.id);
    free(ps.off);
    free(ps.len);
    free(ps.wkb);
    free(is);
    return st;
}

/* ---------------------------------------------------------------------------
 * Output: the table and the workspace's findings. */

static int layer_rank(const char *layer)
{
    static const char *const order[] = {"clusters", "lots", "parcels", "plan", "communes", "markers"};
    for (int k = 0; k < 6; k++)
        if (strcmp(layer, order[k]) == 0)
            return k;
    return 6;
}

static int cmp_finding(const void *a, const void *b)
{
    const finding *p = a, *q = b;
    if (p->code != q->code)
        return p->code < q->code ? -1 : 1;
    /* The layers are static names: the same pointer is the same layer
     * (287,000 findings of noisy parcels sort without a strcmp each). */
    int lr = p->layer == q->layer ? 0 : layer_rank(p->layer) - layer_rank(q->layer);
    if (lr)
        return lr;
    if (p->fid != q->fid)
        return p->fid < q->fid ? -1 : 1;
    if (p->other_fid != q->other_fid)
        return p->other_fid < q->other_fid ? -1 : 1;
    if (p->x != q->x && !isnan(p->x) && !isnan(q->x))
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y && !isnan(p->y) && !isnan(q->y))
        return p->y < q->y ? -1 : 1;
    return 0;
}

static const char *const finding_columns[] = {"severity", "code",     "layer", "fid",
                                              "other_layer", "other_fid", "area_m2", "x",
                                              "y",        "message",  "message_vi", NULL};

static ccn_table *findings_table(const run_t *run)
{
    ccn_table *t = ccn_table_new("findings", finding_columns);
    if (t) {
        ccn_table_set_contract(t, "message"); /* message_vi is for people */
        ccn_table_reserve(t, (int64_t)run->found.n);
    }
    for (size_t k = 0; t && k < run->found.n; k++) {
        const finding *f = &run->found.f[k];
        ccn_table_add_row(t);
        ccn_table_set_text_borrowed(t, 0, codes[f->code].error ? "error" : "warning");
        ccn_table_set_text_borrowed(t, 1, codes[f->code].name);
        ccn_table_set_text_borrowed(t, 2, f->layer);
        if (f->fid != NO_FID)
            ccn_table_set_int(t, 3, f->fid);
        ccn_table_set_text_borrowed(t, 4, f->other_layer);
        if (f->other_fid != NO_FID)
            ccn_table_set_int(t, 5, f->other_fid);
        ccn_table_set_real(t, 6, f->area, 3);
        ccn_table_set_real(t, 7, f->x, 3);
        ccn_table_set_real(t, 8, f->y, 3);
        ccn_table_set_text_borrowed(t, 9, f->message);
        ccn_table_set_text_borrowed(t, 10, f->message_vi);
    }
    return t;
}

/* The SQL that recreates the findings table's triggers (a SpatiaLite
 * workspace), read before they are set aside. */
typedef struct {
    char **sql;
    size_t n;
} findings_ddl;

static void findings_ddl_free(findings_ddl *d)
{
    for (size_t k = 0; k < d->n; k++)
        free(d->sql[k]);
    free(d->sql);
    *d = (findings_ddl){0};
}

/* Set the findings table's triggers aside (inside the caller's
 * transaction): SpatiaLite's per-row triggers (the geometry constraint, the
 * time stamps, the R*Tree kept row by row) cost some 60 µs a finding to
 * delete, a minute for the 280,000 findings of 300,000 sloppily digitised
 * parcels. findings_restore puts them back as they were. */
static ccn_status findings_set_aside(run_t *run, findings_ddl *d)
{
    ccn_store *s = run->store;
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(s,
                                     "SELECT name, sql FROM sqlite_master WHERE"
                                     " type = 'trigger' AND tbl_name = 'findings'",
                                     &q);
    char **names = NULL;
    int rc = 0;
    while (!st && (rc = ccn_stmt_step(q)) == 1) {
        const char *name = ccn_stmt_text(q, 0), *sql = ccn_stmt_text(q, 1);
        if (!name || !sql)
            continue;
        char **grown = realloc(d->sql, (d->n + 1) * sizeof *grown);
        char **gn = grown ? realloc(names, (d->n + 1) * sizeof *gn) : NULL;
        if (grown)
            d->sql = grown;
        if (gn)
            names = gn;
        if (!grown || !gn || !(d->sql[d->n] = strdup(sql)) || !(names[d->n] = strdup(name))) {
            if (grown && gn)
                free(d->sql[d->n]); /* NULL, or the text without its name */
            st = ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        d->n++;
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    char drop[320];
    for (size_t k = 0; k < d->n && !st; k++) {
        snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"", names[k]);
        st = ccn_store_exec(s, drop);
    }
    for (size_t k = 0; k < d->n; k++)
        free(names[k]);
    free(names);
    return st;
}

/* The triggers put back and the time stamp SpatiaLite's delete trigger
 * would have set. */
static ccn_status findings_restore(run_t *run, const findings_ddl *d)
{
    ccn_store *s = run->store;
    ccn_status st = CCN_OK;
    for (size_t k = 0; k < d->n && !st; k++)
        st = ccn_store_exec(s, d->sql[k]);
    if (!st && d->n && ccn_store_has_table(s, "geometry_columns_time"))
        st = ccn_store_exec(s, "UPDATE geometry_columns_time SET"
                               " last_delete = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                               " WHERE lower(f_table_name) = 'findings'");
    return st;
}

/* The last run's findings emptied at once: with no trigger left on the table
 * SQLite truncates it, and, the rows being derived from the workspace itself,
 * their freed pages need not be overwritten with zeros (Debian builds SQLite
 * with secure_delete on: 30,000 pages zeroed and written to the WAL for the
 * 287,000 findings of 300,000 sloppy parcels). FAST still clears what is
 * deleted from pages that stay in use. */
static ccn_status findings_empty(run_t *run)
{
    ccn_store *s = run->store;
    bool sqlite = ccn_store_dialect(s) == CCN_DIALECT_SQLITE;
    ccn_stmt *q = NULL;
    int64_t secure = -1;
    if (sqlite && !ccn_stmt_prepare(s, "PRAGMA secure_delete", &q) && ccn_stmt_step(q) == 1)
        secure = ccn_stmt_int(q, 0);
    ccn_stmt_free(q);
    ccn_status st = CCN_OK;
    if (secure > 0)
        st = ccn_store_exec(s, "PRAGMA secure_delete = FAST");
    if (!st)
        st = ccn_store_exec(s, "DELETE FROM findings");
    if (secure > 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA secure_delete = %lld", (long long)secure);
        ccn_status back = ccn_store_exec(s, sql);
        if (!st)
            st = back;
    }
    return st;
}

/* The findings a point each (x, y; none when either is unknown) as 2D
 * little-endian WKB, bound as the workspace's own geometry blob: what
 * SpatiaLite's MakePoint() made, without an SQL function call per row. */
static void bind_point(ccn_stmt *ins, int i, double x, double y)
{
    unsigned char wkb[21] = {1, 1, 0, 0, 0};
    memcpy(wkb + 5, &x, 8);
    memcpy(wkb + 13, &y, 8);
    if (!ccn_stmt_bind_geometry(ins, i, wkb, sizeof wkb))
        ccn_stmt_bind_null(ins, i);
}

/* The findings table made, and handed to the caller's on_findings, on a
 * thread of its own while write_findings writes the workspace (the two are
 * about the same work on sloppy data: 287,000 findings). */
typedef struct {
    const run_t *run;
    const ccn_check_options *opt;
    ccn_table *table;
    ccn_ctx *ctx;          /* the thread's own, for on_findings' messages */
    ccn_status status;
    pthread_t thread;
    bool running;
} findings_out;

static ccn_table *findings_table(const run_t *run);

static void *findings_out_main(void *arg)
{
    findings_out *o = arg;
    if (!(o->table = findings_table(o->run)))
        o->status = ccn_error(o->ctx, CCN_ERR_INTERNAL, "out of memory");
    else if (o->opt->on_findings)
        o->status = o->opt->on_findings(o->opt->user, o->ctx, o->table);
    return NULL;
}

static void findings_out_start(findings_out *o)
{
    o->ctx = ccn_ctx_new();
    o->running = o->ctx && pthread_create(&o->thread, NULL, findings_out_main, o) == 0;
}

/* Wait for the thread, or do its work now when it could not start; its
 * failure is told in the run's context. */
static ccn_status findings_out_end(ccn_ctx *ctx, findings_out *o)
{
    if (o->running)
        pthread_join(o->thread, NULL);
    else if (o->ctx)
        findings_out_main(o);
    else
        o->status = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    o->running = false;
    if (o->status && o->ctx)
        ccn_error(ctx, o->status, "%s", ccn_ctx_message(o->ctx));
    ccn_ctx_free(o->ctx);
    o->ctx = NULL;
    return o->status;
}

/* After the run failed: only wait for the thread, if it runs. */
static void findings_out_abandon(findings_out *o)
{
    if (o->running)
        pthread_join(o->thread, NULL);
    o->running = false;
    ccn_ctx_free(o->ctx);
    o->ctx = NULL;
}

/* The findings replace the last run's in ccn_check_run's transaction. They
 * are loaded as an import loads (store.h's bulk load): SQLite steps on the
 * writer thread while the rows are bound, and the spatial index and the
 * layer's extent are made from the points' boxes as they went in. Not in a
 * savepoint of their own: SQLite copies every page a savepoint changes
 * that was in the file before it to a statement journal, and the new rows
 * reuse the last run's pages (300,000 noisy parcels: some 140 MB written to
 * a temporary file, for a rollback ccn_check_run does anyway). */
static ccn_status write_findings(run_t *run, const char *summary, findings_out *out)
{
    ccn_store *s = run->store;
    ccn_stmt *ins = NULL;
    findings_ddl ddl = {0};
    ccn_status st = CCN_OK;
    bool aside = ccn_store_has_table(s, "idx_findings_geom"); /* SpatiaLite's R*Tree */
    if ((aside && (st = findings_set_aside(run, &ddl))) || (st = findings_empty(run)) ||
        (st = ccn_store_findings_upgrade(s)) || (aside && (st = findings_restore(run, &ddl))) ||
        (st = ccn_store_add_column(s, "findings", "message_vi", "TEXT")))
        goto fail;
    /* On PostgreSQL a viewer may write the findings but not drop their index. */
    bool bulk = ccn_store_dialect(s) == CCN_DIALECT_SQLITE;
    if ((bulk && (st = ccn_store_bulk_begin(s, "findings", (int64_t)run->found.n))) ||
        (st = ccn_stmt_prepare(s,
                               "INSERT INTO findings (severity, code, layer, fid, other_layer,"
                               " other_fid, area_m2, x, y, message, message_vi, geom)"
                               " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               &ins)) ||
        (st = ccn_stmt_set_async(ins)))
        goto fail;
    ccn_stmt_keep_boxes(ins);
    for (size_t k = 0; k < run->found.n; k++) {
        const finding *f = &run->found.f[k];
        ccn_stmt_reset(ins);
        ccn_stmt_bind_text(ins, 1, codes[f->code].error ? "error" : "warning");
        ccn_stmt_bind_text(ins, 2, codes[f->code].name);
        ccn_stmt_bind_text(ins, 3, f->layer);
        if (f->fid != NO_FID)
            ccn_stmt_bind_int(ins, 4, f->fid);
        ccn_stmt_bind_text(ins, 5, f->other_layer);
        if (f->other_fid != NO_FID)
            ccn_stmt_bind_int(ins, 6, f->other_fid);
        if (!isnan(f->area))
            ccn_stmt_bind_double(ins, 7, f->area);
        if (!isnan(f->x) && !isnan(f->y)) {
            ccn_stmt_bind_double(ins, 8, f->x);
            ccn_stmt_bind_double(ins, 9, f->y);
            bind_point(ins, 12, f->x, f->y);
        }
        ccn_stmt_bind_text(ins, 10, f->message);
        ccn_stmt_bind_text(ins, 11, f->message_vi);
        if (ccn_stmt_step(ins) < 0) {
            st = CCN_ERR_INTERNAL;
            goto fail;
        }
    }
    if ((st = ccn_stmt_flush(ins)) || (bulk && (st = ccn_store_bulk_end(s, "findings"))))
        goto fail;
    ccn_stmt_free(ins);
    ins = NULL;
    /* Committed (by ccn_check_run) only when the findings also went out. */
    if ((st = ccn_store_update_extent(s, "findings")) ||
        (st = ccn_store_set_meta(s, "last_check", summary)) ||
        (st = findings_out_end(run->ctx, out)))
        goto fail;
    findings_ddl_free(&ddl);
    return CCN_OK;
fail:
    ccn_stmt_free(ins); /* waits for its writer thread */
    findings_ddl_free(&ddl);
    findings_out_abandon(out);
    return st;
}

/* ---------------------------------------------------------------------------
 * The run. */

static ccn_status load_markers(run_t *run)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(run->store,
                                     "SELECT fid, cluster, marker, x, y FROM markers"
                                     " ORDER BY cluster, seq, fid",
                                     &q);
    size_t cap = 0;
    if (st)
        return st;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (run->nmarkers == cap) {
            size_t c = cap ? 2 * cap : 64;
            marker_t *m = realloc(run->markers, c * sizeof *m);
            if (!m) {
                ccn_stmt_free(q);
                return ccn_error(run->ctx, CCN_ERR_INTERNAL, "out of memory");
            }
            run->markers = m, cap = c;
        }
        marker_t *m = &run->markers[run->nmarkers++];
        m->fid = ccn_stmt_int(q, 0);
        m->cluster = strdup(ccn_stmt_text(q, 1) ? ccn_stmt_text(q, 1) : "");
        m->marker = strdup(ccn_stmt_text(q, 2) ? ccn_stmt_text(q, 2) : "");
        m->x = ccn_stmt_double(q, 3);
        m->y = ccn_stmt_double(q, 4);
    }
    ccn_stmt_free(q);
    return rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

static size_t usable(const layer_t *L)
{
    size_t k = 0;
    for (size_t i = 0; i < L->n; i++)
        k += usable_at(L, i);
    return k;
}

/* What each group needs; "" when it can run. */
static void group_needs(int g, int64_t nbound, int64_t nlots, int64_t nparcels, int64_t nplan,
                        int64_t nmarkers, int64_t ncommunes, char *why, size_t size)
{
    const char *missing = NULL;
    switch (g) {
    case 0:
        missing = nbound + nlots + nparcels + nplan + ncommunes ? NULL : "no layers imported";
        break;
    case 1: missing = nlots + nparcels ? NULL : "no lots or parcels imported"; break;
    case 2: missing = nbound ? NULL : "no cluster boundaries imported"; break;
    case 3:
        missing = !nlots ? "no lots imported" : !nbound ? "no cluster boundaries imported" : NULL;
        break;
    case 4: missing = nparcels ? NULL : "no parcels imported"; break;
    case 5:
        missing = !nmarkers ? "no markers imported" : !nbound ? "no cluster boundaries imported"
                                                             : NULL;
        break;
    case 6:
        missing = !nplan ? "no plan zones imported" : !nbound ? "no cluster boundaries imported"
                                                             : NULL;
        break;
    }
    snprintf(why, size, "%s", missing ? missing : "");
}

static ccn_status check_run(ccn_store *store, const ccn_check_options *opt, ccn_table **findings,
                            ccn_check_summary *summary);

/* The findings replace the last ones, so the run holds the write lock from
 * its first read: the findings are those of the layers as read, and
 * parallel checks wait their turn instead of failing to upgrade a read. */
ccn_status ccn_check_run(ccn_store *store, const ccn_check_options *opt, ccn_table **findings,
                         ccn_check_summary *summary)
{
    *findings = NULL;
    ccn_status st = ccn_store_begin(store);
    if (st)
        return st;
    st = check_run(store, opt, findings, summary);
    if (st == CCN_OK || st == CCN_FOUND) {
        ccn_status cs = ccn_store_commit(store);
        if (cs) {
            ccn_table_free(*findings);
            *findings = NULL;
            st = cs;
        }
    }
    if (st != CCN_OK && st != CCN_FOUND)
        ccn_store_rollback(store);
    return st;
}

static ccn_status check_run(ccn_store *store, const ccn_check_options *opt, ccn_table **findings,
                            ccn_check_summary *summary)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    run_t run = {.store = store, .ctx = ctx, .h = ccn_ctx_geos(ctx), .sum = summary,
                 .found = {.ctx = ctx}};
    ccn_status st = CCN_OK;
    *findings = NULL;
    memset(summary, 0, sizeof *summary);
    for (int g = 0; g < CCN_CHECK_GROUPS; g++)
        summary->groups[g].name = group_names[g];

    ccn_tolerances_load(store, &run.tol);
    for (size_t k = 0; k < opt->ntolerances; k++)
        if ((st = ccn_tolerances_set(ctx, &run.tol, opt->tolerances[k])))
            return st;
    snprintf(run.edge_tol_g, sizeof run.edge_tol_g, "%g", run.tol.edge_tol_m);
    snprintf(run.gap_max_g, sizeof run.gap_max_g, "%g", run.tol.gap_max_m2);
    vn(run.tol.edge_tol_m, -1, run.edge_tol_vn, sizeof run.edge_tol_vn);
    vn(run.tol.gap_max_m2, -1, run.gap_max_vn, sizeof run.gap_max_vn);
    unsigned asked = opt->only ? opt->only & CCN_CHECK_ALL : CCN_CHECK_ALL;

    /* What is there to check? */
    int64_t nbound = 0, nlots = ccn_store_count(store, "lots"),
            nparcels = ccn_store_count(store, "parcels"), nplan = ccn_store_count(store, "plan"),
            nmarkers = ccn_store_count(store, "markers"),
            ncommunes = ccn_store_count(store, "communes");
    if (nlots < 0 || nparcels < 0 || nplan < 0 || nmarkers < 0 || ncommunes < 0)
        return CCN_ERR_INTERNAL;
    {
        ccn_stmt *q = NULL;
        if ((st = ccn_stmt_prepare(store, "SELECT count(*) FROM clusters WHERE geom IS NOT NULL", &q)))
            return st;
        if (ccn_stmt_step(q) == 1)
            nbound = ccn_stmt_int(q, 0);
        ccn_stmt_free(q);
    }
    if (!opt->only && nbound + nlots + nparcels == 0)
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "%s: nothing to check: no cluster boundaries, lots or parcels imported "
                         "(import them with 'ccn import %s FILE --as clusters|lots|parcels')",
                         ccn_store_path(store), ccn_store_path(store));
    for (int g = 0; g < CCN_CHECK_GROUPS; g++) {
        char why[128];
        if (!(asked & (1u << g)))
            continue;
        group_needs(g, nbound, nlots, nparcels, nplan, nmarkers, ncommunes, why, sizeof why);
        if (!*why) {
            run.groups |= 1u << g;
            continue;
        }
        if (opt->only)
            return ccn_error(ctx, CCN_ERR_INPUT, "%s: check '%s' cannot run: %s",
                             ccn_store_path(store), group_names[g], why);
        snprintf(summary->groups[g].note, sizeof summary->groups[g].note, "not run: %s", why);
    }
    for (int g = 0; g < CCN_CHECK_GROUPS; g++)
        if (!(asked & (1u << g)))
            snprintf(summary->groups[g].note, sizeof summary->groups[g].note,
                     "not run: not asked for");

    /* Load what the groups need. */
    unsigned G = run.groups;
    bool need_clusters = G & (CCN_CHECK_VALIDITY | CCN_CHECK_CLUSTERS | CCN_CHECK_LOTS |
                              CCN_CHECK_MARKERS | CCN_CHECK_PLAN);
    bool need_lots = G & (CCN_CHECK_VALIDITY | CCN_CHECK_DUPLICATES | CCN_CHECK_LOTS);
    bool need_parcels = G & (CCN_CHECK_VALIDITY | CCN_CHECK_DUPLICATES | CCN_CHECK_PARCELS);
    bool need_plan = G & (CCN_CHECK_VALIDITY | CCN_CHECK_PLAN);
    bool need_communes = G & CCN_CHECK_VALIDITY;
    int stage = 0, stages = 6 + CCN_CHECK_GROUPS;
    ccn_progress(ctx, "check", stage++, stages);
    if (need_clusters &&
        (st = load_layer(store, &run.clusters, "clusters",
                         "SELECT fid, AsBinary(geom), code, name, kind, planned_ha FROM clusters"
                         " WHERE geom IS NOT NULL ORDER BY fid",
                         4, false)))
        goto done;
    ccn_progress(ctx, "check", stage++, stages);
    if (need_lots && (st = load_layer(store, &run.lots, "lots",
                                      "SELECT fid, AsBinary(geom), cluster, lot_no, use FROM lots"
                                      " ORDER BY fid",
                                      3, false)))
        goto done;
    ccn_progress(ctx, "check", stage++, stages);
    layer_init(&run.parcels, "parcels", 1, true);
    run.parcel_rows = need_parcels ? (size_t)nparcels : 0;
    ccn_progress(ctx, "check", stage++, stages);
    if (need_plan &&
        (st = load_layer(store, &run.plan, "plan",
                         "SELECT p.fid, AsBinary(p.geom), p.landuse, l.name, l.protected"
                         " FROM plan p LEFT JOIN landuse_codes l ON l.code = p.landuse"
                         " ORDER BY p.fid",
                         3, false)))
        goto done;
    if (need_communes && (st = load_layer(store, &run.communes, "communes",
                                          "SELECT fid, AsBinary(geom) FROM communes ORDER BY fid",
                                          0, false)))
        goto done;
    ccn_progress(ctx, "check", stage++, stages);
    if ((G & CCN_CHECK_MARKERS) && (st = load_markers(&run)))
        goto done;
    if ((st = ccn_stmt_prepare(store,
                               "SELECT commune, sheet, parcel_no FROM parcels WHERE fid = ?",
                               &run.parcel_key)))
        goto done;
    meridian_warning(&run, &run.clusters);
    meridian_warning(&run, &run.lots);
    ccn_progress(ctx, "check", stage++, stages);

    /* The groups, in order. */
    for (int g = 0; g < CCN_CHECK_GROUPS && !st; g++) {
        if (!(G & (1u << g)))
            continue;
        char *note = summary->groups[g].note;
        size_t ns = sizeof summary->groups[g].note;
        run.found.group = g;
        summary->groups[g].ran = true;
        switch (1u << g) {
        case CCN_CHECK_VALIDITY: {
            layer_t *layers[] = {&run.clusters, &run.lots, &run.parcels, &run.plan, &run.communes};
            for (size_t k = 0; k < 5 && !st; k++) {
                bool streamed = layers[k] == &run.parcels; /* by parcels_stream */
                size_t rows = streamed ? run.parcel_rows : layers[k]->n;
                if (!rows)
                    continue;
                snprintf(note + strlen(note), ns - strlen(note), "%s%s %zu", *note ? ", " : "",
                         layers[k]->name, rows);
                /* The parcels are read (and their validity found) once, with
                 * the parcels group when it runs. */
                if (streamed && !(G & CCN_CHECK_PARCELS))
                    st = parcels_stream(&run, true, false);
                else if (!streamed)
                    st = validity_of(&run, layers[k]);
            }
            break;
        }
        case CCN_CHECK_DUPLICATES:
            if (run.parcel_rows) {
                snprintf(note + strlen(note), ns - strlen(note), "parcel keys");
                st = duplicates_of(&run, &run.parcels,
                                   "SELECT commune || '/' || sheet || '/' || parcel_no, commune,"
                                   " sheet, parcel_no FROM parcels WHERE commune IS NOT NULL AND"
                                   " sheet IS NOT NULL AND parcel_no IS NOT NULL"
                                   " GROUP BY sheet, commune, parcel_no HAVING count(*) > 1",
                                   3,
                                   "SELECT fid FROM parcels WHERE commune = ?1 AND sheet = ?2"
                                   " AND parcel_no = ?3 ORDER BY fid",
                                   "parcel key (commune/sheet/parcel)");
            }
            if (!st && run.lots.n) {
                snprintf(note + strlen(note), ns - strlen(note), "%slot numbers",
                         *note ? ", " : "");
                st = duplicates_of(&run, &run.lots,
                                   "SELECT min(cluster) || '/' || min(lot_no), upper(cluster),"
                                   " upper(trim(lot_no)) FROM lots"
                                   " GROUP BY upper(cluster), upper(trim(lot_no))"
                                   " HAVING count(*) > 1",
                                   2,
                                   "SELECT fid FROM lots WHERE upper(cluster) = ?1"
                                   " AND upper(trim(lot_no)) = ?2 ORDER BY fid",
                                   "lot number (cluster/lot)");
            }
            break;
        case CCN_CHECK_CLUSTERS: {
            snprintf(note, ns, "%zu boundaries", usable(&run.clusters));
            ccn_stmt *q = NULL;
            if (!(st = ccn_stmt_prepare(store,
                                        "SELECT group_concat(code, ', ') FROM clusters"
                                        " WHERE geom IS NULL",
                                        &q)) &&
                ccn_stmt_step(q) == 1 && ccn_stmt_text(q, 0))
                snprintf(note + strlen(note), ns - strlen(note), "; no boundary: %s",
                         ccn_stmt_text(q, 0));
            ccn_stmt_free(q);
            if (!st)
                st = check_clusters(&run);
            break;
        }
        case CCN_CHECK_LOTS:
            snprintf(note, ns, "%zu lots", usable(&run.lots));
            st = check_lots(&run, note, ns);
            break;
        case CCN_CHECK_PARCELS:
            st = parcels_stream(&run, G & CCN_CHECK_VALIDITY, true);
            snprintf(note, ns, "%zu parcels", run.parcel_usable);
            break;
        case CCN_CHECK_MARKERS:
            st = check_markers(&run, note, ns);
            break;
        case CCN_CHECK_PLAN:
            st = check_plan(&run, note, ns);
            break;
        }
        ccn_progress(ctx, "check", stage++, stages);
    }
    if (st)
        goto done;

    if (run.found.n)
        qsort(run.found.f, run.found.n, sizeof *run.found.f, cmp_finding);
    for (size_t k = 0; k < run.found.n; k++) {
        summary->groups[run.found.f[k].group].findings++;
        if (codes[run.found.f[k].code].error)
            summary->errors++;
        else
            summary->warnings++;
    }
    char line[512];
    int len = snprintf(line, sizeof line, "%lld errors, %lld warnings; ran:",
                       (long long)summary->errors, (long long)summary->warnings);
    for (int g = 0; g < CCN_CHECK_GROUPS && len > 0 && (size_t)len < sizeof line; g++)
        if (summary->groups[g].ran)
            len += snprintf(line + len, sizeof line - (size_t)len, " %s", group_names[g]);
    findings_out out = {.run = &run, .opt = opt};
    findings_out_start(&out);
    st = write_findings(&run, line, &out);
    if (st) {
        ccn_table_free(out.table);
        goto done;
    }
    /* The table's messages are the run's (borrowed): they go with it. */
    ccn_table_adopt_text(out.table, &run.found.text);
    *findings = out.table;
    ccn_progress(ctx, "check", stages, stages);
    st = summary->errors ? CCN_FOUND : CCN_OK;
done:
    ccn_stmt_free(run.parcel_key);
    labels_free(&run);
    layer_free(ctx, &run.clusters);
    layer_free(ctx, &run.lots);
    layer_free(ctx, &run.parcels);
    layer_free(ctx, &run.plan);
    layer_free(ctx, &run.communes);
    for (size_t k = 0; k < run.nmarkers; k++) {
        free(run.markers[k].cluster);
        free(run.markers[k].marker);
    }
    free(run.markers);
    ccn_textpool_free(&run.found.text);
    free(run.found.f);
    return st;
}
