/* render — cluster and district maps with cairo and pango.
 *
 * Everything is drawn in millimetres of paper: the cairo context is scaled
 * from the surface's unit (pixels at the dpi, or points) to mm once, and
 * pango is told that an inch holds 25.4 of these units, so font sizes stay
 * in points. Hinting is off so that text measures the same in every format.
 *
 * Text goes through draw_text: for PNG and PDF pango draws it (PDF keeps it
 * as text, with the font embedded); for SVG, where cairo would turn glyphs
 * into outlines, each line is recorded and written afterwards as an SVG
 * <text> element at the same baseline.
 *
 * Labels are placed greedily against a list of occupied boxes (the scale
 * bar, the north arrow and every label placed so far); a label that finds
 * no free box, even at the smallest legible size, is left out and counted. */
#include "render.h"

#include "admin.h"
#include "cluster.h"
#include "collate.h"
#include "crs.h"
#include "date.h"
#include "export.h"
#include "geom.h"
#include "grow.h"
#include "layer.h"
#include "output.h"
#include "outtext.h"
#include "overlay.h"
#include "palette.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "render_cairo.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <zlib.h>

/* ----------------------------------------------------------------- style */

typedef struct {
    double r, g, b;
} rgb;

#define RGB(hex) {((hex) >> 16 & 255) / 255.0, ((hex) >> 8 & 255) / 255.0, ((hex) & 255) / 255.0}

static const rgb C_BLACK = RGB(0x000000), C_WHITE = RGB(0xffffff), C_TEXT = RGB(0x222222),
                 C_GREY = RGB(0x737373), C_LIGHT = RGB(0xbdbdbd);
/* Thematic colours come from the palette (gis/palette.csv, palette.h), read
 * once a map into R.col; the inks above are the page's, not the data's. */
typedef struct {
    rgb leased, vacant, service, green, utility, road, lot_edge, boundary, other_boundary,
        unleased, commune, commune_fill, no_data, protect, parcel, invalid, plan_none;
    rgb occupancy[4];
} colours;
/* District map: occupancy classes, from their lower bound. */
static const struct {
    double from;
    const char *key;
} occupancy_classes[] = {
    {0, "occupancy.0"}, {30, "occupancy.30"}, {60, "occupancy.60"}, {80, "occupancy.80"},
};

static const char FONT[] = "Noto Sans, DejaVu Sans";
enum { BOLD = 1, ITALIC = 2 };
#define MIN_LABEL_PT 6.0 /* the smallest text printed: legible on paper */
#define HALO_MM 0.35

/* ------------------------------------------------------------ state */

typedef struct {
    double x0, y0, x1, y1; /* mm on the page, y down */
} box;

typedef struct {
    char *text;
    double x, y;   /* baseline start, mm (before rotation) */
    double tx, ty; /* rotation origin when vertical */
    double pt;
    int style;
    rgb color;
    double halo;
    bool vertical;
} svg_text;

typedef struct {
    ccn_ctx *ctx;
    GEOSContextHandle_t h;
    cairo_t *cr;
    PangoLayout *layout;
    bool svg;
    svg_text *texts;
    size_t ntexts, cap_texts;
    box *boxes;
    size_t nboxes, cap_boxes;
    double page_w, page_h;
    double fx, fy, fw, fh;          /* map frame, mm */
    double wx0, wy0, wx1, wy1, k;   /* world window (m) and mm per metre */
    double scale;
    int labels, dropped, dropped_main;
    bool oom;
    ccn_palette *pal;
    colours col;
    ccn_map_result *res;            /* the legend's swatches are recorded here */
    struct unplaced {               /* labels with no room: the numbered list */
        char *item;                 /* "3. CN-04" (", CN-05" appended when shared) */
        double x, y;                /* where its number is drawn, page mm */
    } *unplaced;
    size_t nunplaced, cap_unplaced;
    char crs[240];                  /* the footer's words for the CRS (crs_phrase), once made */
} R;

static double page_x(const R *r, double x) { return r->fx + (x - r->wx0) * r->k; }
static double page_y(const R *r, double y) { return r->fy + (r->wy1 - y) * r->k; }

static void set_rgb(cairo_t *cr, rgb c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

static rgb pal_rgb(const ccn_palette *p, const char *key)
{
    uint32_t v = ccn_palette_rgb(p, key);
    return (rgb)RGB(v);
}

/* A palette key's legend text. */
static const char *pal_label(const R *r, const char *key) { return ccn_palette_label(r->pal, key); }

static void load_colours(R *r)
{
    const ccn_palette *p = r->pal;
    colours *c = &r->col;
    c->leased = pal_rgb(p, "lot.leased"), c->vacant = pal_rgb(p, "lot.vacant");
    c->service = pal_rgb(p, "lot.service"), c->green = pal_rgb(p, "lot.green");
    c->utility = pal_rgb(p, "lot.utility"), c->road = pal_rgb(p, "lot.road");
    c->lot_edge = pal_rgb(p, "lot.edge"), c->boundary = pal_rgb(p, "cluster.boundary");
    c->other_boundary = pal_rgb(p, "cluster.other"), c->unleased = pal_rgb(p, "cluster.unleased");
    c->commune = pal_rgb(p, "commune.boundary"), c->commune_fill = pal_rgb(p, "commune.fill");
    c->no_data = pal_rgb(p, "occupancy.none"), c->protect = pal_rgb(p, "protected");
    c->parcel = pal_rgb(p, "parcel.cleared"), c->invalid = pal_rgb(p, "invalid");
    c->plan_none = pal_rgb(p, "plan.none");
    for (size_t i = 0; i < sizeof occupancy_classes / sizeof *occupancy_classes; i++)
        c->occupancy[i] = pal_rgb(p, occupancy_classes[i].key);
}

/* ------------------------------------------------------------------ text */

static void layout_text(R *r, const char *t, double pt, int style, double wrap_mm)
{
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_size(fd, (int)lround(pt * PANGO_SCALE));
    pango_font_description_set_weight(fd, style & BOLD ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_style(fd, style & ITALIC ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
    pango_layout_set_font_description(r->layout, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(r->layout, wrap_mm > 0 ? (int)(wrap_mm * PANGO_SCALE) : -1);
    pango_layout_set_wrap(r->layout, PANGO_WRAP_WORD_CHAR);
    char *fixed = NULL; /* text from data may be ill-formed: pango wants UTF-8 */
    const char *valid = ccn_outtext_utf8(t, &fixed);
    pango_layout_set_text(r->layout, valid ? valid : "\xEF\xBF\xBD", -1);
    free(fixed);
}

/* Width and height (mm) of t's logical box. */
static void measure(R *r, const char *t, double pt, int style, double wrap_mm, double *w, double *h)
{
    layout_text(r, t, pt, style, wrap_mm);
    PangoRectangle logical;
    pango_layout_get_extents(r->layout, NULL, &logical);
    *w = (double)logical.width / PANGO_SCALE;
    *h = (double)logical.height / PANGO_SCALE;
}

static void record_svg_lines(R *r, double x, double y, const char *t, double pt, int style,
                             rgb c, double halo, bool vertical)
{
    (void)t; /* the layout's own copy is read: it is the valid UTF-8 one */
    PangoLayoutIter *it = pango_layout_get_iter(r->layout);
    do {
        PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
        PangoRectangle lr;
        pango_layout_iter_get_line_extents(it, NULL, &lr);
        double base = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
        if (line->length <= 0)
            continue;
        if (!ccn_grow((void **)&r->texts, &r->cap_texts, r->ntexts + 1, sizeof *r->texts)) {
            r->oom = true;
            break;
        }
        svg_text *s = &r->texts[r->ntexts];
        s->text = strndup(pango_layout_get_text(r->layout) + line->start_index,
                          (size_t)line->length);
        if (!s->text) {
            r->oom = true;
            break;
        }
        r->ntexts++;
        s->x = (double)lr.x / PANGO_SCALE;
        s->y = base;
        s->tx = x, s->ty = y;
        s->pt = pt, s->style = style, s->color = c, s->halo = halo, s->vertical = vertical;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
}

/* Draw t with its logical box's top-left at (x, y) mm; vertical text reads
 * upwards from (x, y), its box spanning x … x + height, y - width … y. */
static void draw_text_wrapped(R *r, double x, double y, const char *t, double pt, int style, rgb c,
                              double halo, bool vertical, double wrap_mm)
{
    layout_text(r, t, pt, style, wrap_mm);
    if (r->svg) {
        record_svg_lines(r, x, y, t, pt, style, c, halo, vertical);
        return;
    }
    cairo_t *cr = r->cr;
    cairo_save(cr);
    cairo_translate(cr, x, y);
    if (vertical)
        cairo_rotate(cr, -M_PI / 2);
    pango_cairo_update_layout(cr, r->layout);
    if (halo > 0) {
        cairo_move_to(cr, 0, 0);
        pango_cairo_layout_path(cr, r->layout);
        set_rgb(cr, C_WHITE);
        cairo_set_line_width(cr, 2 * halo);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        cairo_stroke(cr);
    }
    cairo_move_to(cr, 0, 0);
    set_rgb(cr, c);
    pango_cairo_show_layout(cr, r->layout);
    cairo_restore(cr);
    pango_cairo_update_layout(cr, r->layout);
}

static void draw_text(R *r, double x, double y, const char *t, double pt, int style, rgb c)
{
    draw_text_wrapped(r, x, y, t, pt, style, c, 0, false, 0);
}

/* Draw t centred on (cx, cy); returns its box. */
static box draw_centred(R *r, double cx, double cy, const char *t, double pt, int style, rgb c,
                        double halo)
{
    double w, h;
    measure(r, t, pt, style, 0, &w, &h);
    pango_layout_set_alignment(r->layout, PANGO_ALIGN_CENTER);
    draw_text_wrapped(r, cx - w / 2, cy - h / 2, t, pt, style, c, halo, false, 0);
    pango_layout_set_alignment(r->layout, PANGO_ALIGN_LEFT);
    return (box){cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
}

/* ------------------------------------------------------------ collisions */

static bool overlaps(box a, box b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

static bool box_free(const R *r, box b)
{
    if (b.x0 < r->fx + 0.5 || b.x1 > r->fx + r->fw - 0.5 || b.y0 < r->fy + 0.5 ||
        b.y1 > r->fy + r->fh - 0.5)
        return false;
    box padded = {b.x0 - 0.4, b.y0 - 0.4, b.x1 + 0.4, b.y1 + 0.4};
    for (size_t i = 0; i < r->nboxes; i++)
        if (overlaps(padded, r->boxes[i]))
            return false;
    return true;
}

static void box_add(R *r, box b)
{
    if (!ccn_grow((void **)&r->boxes, &r->cap_boxes, r->nboxes + 1, sizeof *r->boxes)) {
        r->oom = true;
        return;
    }
    r->boxes[r->nboxes++] = b;
}

/* A label from data (a lot number, a commune's name, a plan code) of at
 * most LABEL_CHARS letters, longer ones cut with "…": no wider than a
 * page, and pango shapes it in microseconds. A 200,000-letter lot number
 * was shaped again at every size and position tried: a map took hours. */
enum { LABEL_CHARS = 80, LABEL_MAX = 4 * LABEL_CHARS + 4 };
static const char *short_label(const char *t, char buf[LABEL_MAX])
{
    size_t o = 0, chars = 0;
    while (t[o] && chars < LABEL_CHARS) {
        o++;
        while (((unsigned char)t[o] & 0xC0) == 0x80)
            o++; /* the rest of the letter */
        chars++;
    }
    if (!t[o] || o + 4 > LABEL_MAX)
        return t[o] ? "…" : t;
    memcpy(buf, t, o);
    memcpy(buf + o, "…", 4);
    return buf;
}

/* Place t near (cx, cy) mm: at the largest size from pt down to
 * MIN_LABEL_PT whose box fits a circle of radius room (any size if room
 * is 0), at the centre or, failing that, just above, below or beside it.
 * Returns false when every position collides. */
static bool place_label(R *r, double cx, double cy, double room, const char *t, double pt,
                        int style, rgb c)
{
    char shortened[LABEL_MAX];
    t = short_label(t, shortened);
    int steps = (int)floor((pt - MIN_LABEL_PT) / 0.5 + 1e-9);
    for (int step = 0; step <= steps; step++) { /* half-points down to the smallest */
        double size = pt - 0.5 * step, w, h;
        measure(r, t, size, style, 0, &w, &h);
        bool fits = room <= 0 || hypot(w, h) / 2 <= room;
        if (!fits && step < steps)
            continue;
        const double dx[] = {0, 0, 0, 1, -1}, dy[] = {0, -1, 1, 0, 0};
        for (int i = 0; i < 5; i++) {
            double x = cx + dx[i] * (w / 2 + 0.8), y = cy + dy[i] * (h + 0.3);
            box b = {x - w / 2, y - h / 2, x + w / 2, y + h / 2};
            if (box_free(r, b)) {
                draw_centred(r, x, y, t, size, style, c, HALO_MM);
                box_add(r, b);
                r->labels++;
                return true;
            }
            if (room > 0 && i == 0 && hypot(w, h) / 2 > room * 0.5)
                break; /* off-centre positions only for labels that have room */
        }
    }
    return false;
}

/* A name anywhere in its area, whose largest inscribed circle is centred at
 * (cx, cy) with radius room mm: at the centre, then on two rings inside the
 * circle, nearest first. A cluster's label on the district map often covers
 * its commune's centre; the commune has room elsewhere for its name, where a
 * number with a hairline across that label told the reader less. */
static bool place_label_inside(R *r, double cx, double cy, double room, const char *t,
                               double pt, int style, rgb c)
{
    if (place_label(r, cx, cy, 0, t, pt, style, c))
        return true;
    for (int ring = 1; ring <= 2; ring++)
        for (int k = 0; k < 8; k++) {
            double a = k * M_PI / 4, d = ring * room / 3;
            if (place_label(r, cx + d * cos(a), cy + d * sin(a), 0, t, pt, style, c))
                return true;
        }
    return false;
}

/* ------------------------------------------------------------- geometry */

static void ring_path(R *r, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(r->h, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(r->h, seq, &n) || n < 3)
        return;
    for (unsigned int i = 0; i < n; i++) {
        double x, y;
        GEOSCoordSeq_getXY_r(r->h, seq, i, &x, &y);
        if (i == 0)
            cairo_move_to(r->cr, page_x(r, x), page_y(r, y));
        else
            cairo_line_to(r->cr, page_x(r, x), page_y(r, y));
    }
    cairo_close_path(r->cr);
}

static void geom_path(R *r, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(r->h, g);
    if (t == GEOS_POLYGON) {
        ring_path(r, GEOSGetExteriorRing_r(r->h, g));
        int n = GEOSGetNumInteriorRings_r(r->h, g);
        for (int i = 0; i < n; i++)
            ring_path(r, GEOSGetInteriorRingN_r(r->h, g, i));
    } else if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(r->h, g);
        for (int i = 0; i < n; i++)
            geom_path(r, GEOSGetGeometryN_r(r->h, g, i));
    }
}

static void fill_geom(R *r, const GEOSGeometry *g, const rgb *fill, rgb edge, double width_mm,
                      const double *dash)
{
    cairo_t *cr = r->cr;
    cairo_new_path(cr);
    geom_path(r, g);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    if (fill) {
        set_rgb(cr, *fill);
        cairo_fill_preserve(cr);
    }
    if (width_mm > 0) {
        set_rgb(cr, edge);
        cairo_set_line_width(cr, width_mm);
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
        if (dash)
            cairo_set_dash(cr, dash, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    cairo_new_path(cr);
}

/* The label point of a polygon (centre of its largest inscribed circle)
 * and that circle's radius, both on the page. */
static bool label_point(R *r, const GEOSGeometry *g, double *px, double *py, double *room)
{
    double x0, y0, x1, y1;
    if (GEOSisEmpty_r(r->h, g) || !GEOSGeom_getXMin_r(r->h, g, &x0) ||
        !GEOSGeom_getYMin_r(r->h, g, &y0) || !GEOSGeom_getXMax_r(r->h, g, &x1) ||
        !GEOSGeom_getYMax_r(r->h, g, &y1))
        return false;
    double tol = fmax(x1 - x0, y1 - y0) / 200 + 0.01;
    /* GEOS starts its circle's search on a grid of cells as wide as the
     * envelope's short side: a sliver 500 m long and 0.1 µm wide is 5e9
     * cells, and the map never came; a speck under a millimetre wide, its
     * cells under the rounding of the coordinates (x += cell adds nothing
     * at 561000 m), never ended. Such a shape's circle is no wider than its
     * short side: a point on it will do. */
    double narrow = fmin(x1 - x0, y1 - y0);
    bool thin = narrow < 1e-3 || narrow * 1000 < fmax(x1 - x0, y1 - y0);
    GEOSGeometry *mic = thin ? NULL : GEOSMaximumInscribedCircle_r(r->h, g, tol);
    bool ok = false;
    if (mic) {
        const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(r->h, mic);
        double cx, cy, ex, ey;
        if (seq && GEOSCoordSeq_getXY_r(r->h, seq, 0, &cx, &cy) &&
            GEOSCoordSeq_getXY_r(r->h, seq, 1, &ex, &ey)) {
            *px = page_x(r, cx), *py = page_y(r, cy);
            *room = hypot(ex - cx, ey - cy) * r->k;
            ok = true;
        }
        GEOSGeom_destroy_r(r->h, mic);
    }
    if (!ok) {
        double x, y;
        if (!ccn_geom_point_on_surface(r->ctx, g, &x, &y))
            return false;
        *px = page_x(r, x), *py = page_y(r, y), *room = thin ? narrow / 2 * r->k : 0;
        ok = true;
    }
    return ok;
}

/* ----------------------------------------------------------- workspace */

/* Features read for drawing: fid, geometry (repaired when invalid) and up
 * to two text columns. */
typedef struct {
    int64_t fid;
    GEOSGeometry *g;
    char *a, *b;
    bool repaired; /* stored invalid: drawn repaired and marked as such */
    bool taken;    /* a parcel the cluster takes (--with parcels) */
} feat;

typedef struct {
    size_t n, cap;
    feat *f;
} feats;

static void feats_free(R *r, feats *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        GEOSGeom_destroy_r(r->h, fs->f[i].g);
        free(fs->f[i].a);
        free(fs->f[i].b);
    }
    free(fs->f);
    *fs = (feats){0};
}

/* " WHERE" the window ?2…?5 (xmin, ymin, xmax, ymax) by table t's spatial index. */
static void where_window(const ccn_store *store, char *buf, size_t n, const char *table)
{
    int k = snprintf(buf, n, " WHERE ");
    ccn_store_window_sql(store, buf + k, n - (size_t)k, "t", table, "?2", "?3", "?4", "?5");
}

/* Rows of sql (fid, AsBinary(geom)[, a[, b]]), with ?1 bound to param and
 * ?2…?5 to the window xmin, ymin, xmax, ymax when the SQL uses them. */
static ccn_status query_feats(R *r, ccn_store *store, const char *sql, const char *param,
                              int ntext, feats *out)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, sql, &q);
    if (st)
        return st;
    ccn_stmt_bind_text(q, 1, param);
    if (strstr(sql, "?5")) {
        ccn_stmt_bind_double(q, 2, r->wx0), ccn_stmt_bind_double(q, 3, r->wy0);
        ccn_stmt_bind_double(q, 4, r->wx1), ccn_stmt_bind_double(q, 5, r->wy1);
    }
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (ccn_stmt_is_null(q, 1))
            continue;
        size_t len = 0;
        const void *wkb = ccn_stmt_blob(q, 1, &len);
        GEOSGeometry *g = ccn_geom_from_wkb(r->ctx, wkb, len);
        if (!g) { /* written by another tool: not drawn, and said (check lists it) */
            char why[600];
            ccn_ctx_clear_error(r->ctx);
            ccn_warn(r->ctx, "%s: not drawn",
                     ccn_layer_unreadable(r->ctx, sql, ccn_stmt_int(q, 0), why, sizeof why));
            continue;
        }
        bool repaired = false;
        if (GEOSisValid_r(r->h, g) != 1) { /* drawn as repaired, as computed */
            GEOSGeometry *v = ccn_geom_make_valid(r->ctx, g);
            repaired = true;
            if (v) {
                GEOSGeom_destroy_r(r->h, g);
                g = v;
            }
        }
        if (!ccn_grow((void **)&out->f, &out->cap, out->n + 1, sizeof *out->f)) {
            GEOSGeom_destroy_r(r->h, g);
            st = ccn_error(r->ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        const char *a = ntext > 0 ? ccn_stmt_text(q, 2) : NULL;
        const char *b = ntext > 1 ? ccn_stmt_text(q, 3) : NULL;
        out->f[out->n++] = (feat){ccn_stmt_int(q, 0), g, a ? strdup(a) : NULL,
                                  b ? strdup(b) : NULL, repaired};
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    return st;
}

/* The communes as they were on date (admin.h), as features: a = name. */
static ccn_status communes_as_of(R *r, ccn_store *store, const char *date, feats *fs)
{
    ccn_admin_unit *u = NULL;
    size_t n = 0;
    ccn_status st = ccn_admin_communes_on(store, date, &u, &n);
    if (st)
        return st;
    if (n && !ccn_grow((void **)&fs->f, &fs->cap, fs->n + n, sizeof *fs->f)) {
        ccn_admin_units_free(r->ctx, u, n);
        return ccn_error(r->ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        fs->f[fs->n++] = (feat){(int64_t)i, u[i].g, u[i].name, u[i].code, u[i].repaired, false};
        u[i] = (ccn_admin_unit){0};
    }
    ccn_admin_units_free(r->ctx, u, n);
    return CCN_OK;
}

/* Grow e = {xmin, ymin, xmax, ymax} by the envelopes of fs. */
static void extend(R *r, const feats *fs, double e[4])
{
    for (size_t i = 0; i < fs->n; i++) {
        const GEOSGeometry *g = fs->f[i].g;
        double a, b, c, d;
        if (GEOSisEmpty_r(r->h, g) || !GEOSGeom_getXMin_r(r->h, g, &a) ||
            !GEOSGeom_getYMin_r(r->h, g, &b) || !GEOSGeom_getXMax_r(r->h, g, &c) ||
            !GEOSGeom_getYMax_r(r->h, g, &d))
            continue;
        e[0] = fmin(e[0], a), e[1] = fmin(e[1], b), e[2] = fmax(e[2], c), e[3] = fmax(e[3], d);
    }
}

/* The page box of a geometry's envelope. */
static box page_box(R *r, const GEOSGeometry *g)
{
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    feat f = {.g = (GEOSGeometry *)g};
    extend(r, &(feats){1, 1, &f}, e);
    return (box){page_x(r, e[0]), page_y(r, e[3]), page_x(r, e[2]), page_y(r, e[1])};
}

typedef struct {
    char code[16], name[160];
    rgb color;
    bool used, protect; /* protect: LUC, LUK, RPH, RDD … (landuse.csv's protected) */
} landuse;

static ccn_status load_landuse(R *r, ccn_store *store, landuse **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    ccn_stmt *q = NULL;
    size_t cap = 0;
    ccn_status st = ccn_stmt_prepare(store, "SELECT code, name, protected FROM landuse_codes ORDER BY code", &q);
    if (st)
        return st;
    while (ccn_stmt_step(q) == 1) {
        if (!ccn_grow((void **)out, &cap, *n + 1, sizeof **out)) {
            st = ccn_error(ccn_store_ctx(store), CCN_ERR_INTERNAL, "out of memory");
            break;
        }
        landuse *l = &(*out)[(*n)++];
        const char *c = ccn_stmt_text(q, 0), *nm = ccn_stmt_text(q, 1);
        snprintf(l->code, sizeof l->code, "%s", c ? c : "");
        snprintf(l->name, sizeof l->name, "%s", nm ? nm : "");
        uint32_t v = ccn_palette_landuse(r->pal, l->code);
        l->color = (rgb)RGB(v);
        l->used = false;
        l->protect = ccn_stmt_int(q, 2) == 1;
    }
    ccn_stmt_free(q);
    return st;
}

/* The last part of a path, for messages. */
static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static landuse *find_landuse(landuse *l, size_t n, const char *code)
{
    for (size_t i = 0; code && i < n; i++)
        if (strcmp(l[i].code, code) == 0)
            return &l[i];
    return NULL;
}

/* ------------------------------------------------------------- numbers */

/* Vietnamese style: decimal comma, dot between thousands. */
static void fmt_number(char *buf, size_t size, double v, int decimals)
{
    char raw[64];
    snprintf(raw, sizeof raw, "%.*f", decimals, v);
    char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
    size_t start = raw[0] == '-' ? 1 : 0, o = 0;
    if (start && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = start; i < int_len && o + 1 < size; i++) {
        if (i > start && (int_len - i) % 3 == 0 && o + 1 < size)
            buf[o++] = '.';
        if (o + 1 < size)
            buf[o++] = raw[i];
    }
    if (dot && o + 1 < size) {
        buf[o++] = ',';
        for (const char *p = dot + 1; *p && o + 1 < size; p++)
            buf[o++] = *p;
    }
    buf[o] = '\0';
}

static void fmt_date(char *buf, size_t size, const char *iso)
{
    snprintf(buf, size, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

/* The smallest of 1, 2, 5 × 10^k that is >= v. */
static double nice_125(double v)
{
    double e = pow(10, floor(log10(v)));
    for (int i = 0; i < 4; i++) {
        double m = (double[]){1, 2, 5, 10}[i] * e;
        if (m >= v * (1 - 1e-12))
            return m;
    }
    return 10 * e;
}

/* The largest of 1, 2, 5 × 10^k that is <= v. */
static double nice_125_below(double v)
{
    double e = pow(10, floor(log10(v)));
    for (int i = 3; i >= 0; i--) {
        double m = (double[]){1, 2, 5, 10}[i] * e;
        if (m <= v * (1 + 1e-12))
            return m;
    }
    return e;
}

/* The scales of the survey and planning map series (1:500 … 1:100 000), then
 * smaller ones for a very large extent. A map is drawn at the largest of
 * them that fits its frame: the smallest denominator >= v. */
static const double standard_scales[] = {500,    1000,   2000,    5000,    10000,  25000,
                                         50000,  100000, 250000,  500000,  1000000};

static double standard_scale(double v)
{
    for (size_t i = 0; i < sizeof standard_scales / sizeof *standard_scales; i++)
        if (standard_scales[i] >= v * (1 - 1e-9))
            return standard_scales[i];
    return standard_scales[sizeof standard_scales / sizeof *standard_scales - 1];
}

/* ---------------------------------------------------------- page parts */

typedef struct {
    double x, y, w, h; /* a rectangle of the page, mm */
} rect;

/* Centre the world window [x0,x1]×[y0,y1] (padded) in the frame at the
 * largest standard scale that holds it, or at the scale asked for (when the
 * extent does not fit that one, a warning says so). */
static void fit_window(R *r, double x0, double y0, double x1, double y1, double pad,
                       double asked)
{
    double dx = fmax(x1 - x0, 1), dy = fmax(y1 - y0, 1);
    x0 -= dx * pad, x1 += dx * pad, y0 -= dy * pad, y1 += dy * pad;
    double k = fmin(r->fw / (x1 - x0), r->fh / (y1 - y0)); /* mm per m */
    r->scale = asked > 0 ? asked : standard_scale(1000.0 / k);
    /* Both scales in plain digits, as --scale takes them (the map's own label
     * writes 1:100.000 the Vietnamese way; in a message that reads 1:100). */
    if (asked > 0 && asked < 1000.0 / k * (1 - 1e-9))
        ccn_warn(r->ctx, "at 1:%.0f the map's extent does not fit the frame: its edges are cut "
                         "(1:%.0f would hold it)", asked, standard_scale(1000.0 / k));
    r->k = 1000.0 / r->scale;
    double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
    r->wx0 = cx - r->fw / r->k / 2, r->wx1 = cx + r->fw / r->k / 2;
    r->wy0 = cy - r->fh / r->k / 2, r->wy1 = cy + r->fh / r->k / 2;
}

/* Grid ticks in workspace metres on the frame edges, crosses inside, and
 * the coordinates outside the frame. */
static void draw_grid(R *r)
{
    cairo_t *cr = r->cr;
    double lw, lh;
    measure(r, "0000000", 6.5, 0, 0, &lw, &lh);
    double step = nice_125(fmax((lw + 4) / r->k, (r->wx1 - r->wx0) / 8));
    cairo_set_line_width(cr, 0.15);
    for (int axis = 0; axis < 2; axis++) {
        double lo = axis ? r->wy0 : r->wx0, hi = axis ? r->wy1 : r->wx1;
        for (long i = (long)ceil(lo / step); (double)i * step <= hi; i++) {
            double v = (double)i * step;
            char label[32];
            snprintf(label, sizeof label, "%.0f", v);
            double w, h;
            measure(r, label, 6.5, 0, 0, &w, &h);
            set_rgb(cr, C_BLACK);
            if (axis == 0) {
                double x = page_x(r, v);
                if (x - w / 2 < r->fx || x + w / 2 > r->fx + r->fw)
                    continue; /* off the frame's side, it could meet a vertical label */
                cairo_move_to(cr, x, r->fy), cairo_line_to(cr, x, r->fy + 2);
                cairo_move_to(cr, x, r->fy + r->fh), cairo_line_to(cr, x, r->fy + r->fh - 2);
                cairo_stroke(cr);
                draw_text(r, x - w / 2, r->fy - h - 0.6, label, 6.5, 0, C_TEXT);
                draw_text(r, x - w / 2, r->fy + r->fh + 0.6, label, 6.5, 0, C_TEXT);
            } else {
                double y = page_y(r, v);
                if (y - w / 2 < r->fy || y + w / 2 > r->fy + r->fh)
                    continue;
                cairo_move_to(cr, r->fx, y), cairo_line_to(cr, r->fx + 2, y);
                cairo_move_to(cr, r->fx + r->fw, y), cairo_line_to(cr, r->fx + r->fw - 2, y);
                cairo_stroke(cr);
                draw_text_wrapped(r, r->fx - h - 0.6, y + w / 2, label, 6.5, 0, C_TEXT, 0, true, 0);
                draw_text_wrapped(r, r->fx + r->fw + 0.6, y + w / 2, label, 6.5, 0, C_TEXT, 0,
                                  true, 0);
            }
        }
    }
    /* Crosses where grid lines meet, light enough to stay behind the data. */
    cairo_save(cr);
    cairo_rectangle(cr, r->fx, r->fy, r->fw, r->fh);
    cairo_clip(cr);
    set_rgb(cr, C_GREY);
    cairo_set_line_width(cr, 0.12);
    for (long i = (long)ceil(r->wx0 / step); (double)i * step <= r->wx1; i++)
        for (long j = (long)ceil(r->wy0 / step); (double)j * step <= r->wy1; j++) {
            double px = page_x(r, (double)i * step), py = page_y(r, (double)j * step);
            cairo_move_to(cr, px - 1.5, py), cairo_line_to(cr, px + 1.5, py);
            cairo_move_to(cr, px, py - 1.5), cairo_line_to(cr, px, py + 1.5);
        }
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* A scale bar of a round length, bottom left inside the frame. */
static void draw_scale_bar(R *r)
{
    cairo_t *cr = r->cr;
    double ground = nice_125_below(r->fw / 4 / r->k); /* a quarter of the frame at most */
    double len = ground * r->k;
    double x = r->fx + 5, y = r->fy + r->fh - 9;
    char scale[64], num[32], end_label[32];
    fmt_number(num, sizeof num, r->scale, 0);
    snprintf(scale, sizeof scale, "Tỷ lệ 1:%s", num);
    if (ground >= 1000)
        snprintf(end_label, sizeof end_label, "%g km", ground / 1000);
    else
        snprintf(end_label, sizeof end_label, "%g m", ground);
    double sw, sh, ew, eh;
    measure(r, scale, 7, BOLD, 0, &sw, &sh);
    measure(r, end_label, 6.5, 0, 0, &ew, &eh);
    box b = {x - 2, y - sh - 2.5, x + fmax(len + ew / 2, sw) + 3, y + 1.8 + eh + 1.5};
    set_rgb(cr, C_WHITE);
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_fill_preserve(cr);
    set_rgb(cr, C_GREY);
    cairo_set_line_width(cr, 0.15);
    cairo_stroke(cr);
    draw_text(r, x, b.y0 + 0.8, scale, 7, BOLD, C_TEXT);
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + len * i / 4, y, len / 4, 1.5);
        set_rgb(cr, i % 2 ? C_WHITE : C_BLACK);
        cairo_fill_preserve(cr);
        set_rgb(cr, C_BLACK);
        cairo_set_line_width(cr, 0.15);
        cairo_stroke(cr);
    }
    double w, h;
    measure(r, "0", 6.5, 0, 0, &w, &h);
    draw_text(r, x - w / 2, y + 1.8, "0", 6.5, 0, C_TEXT);
    char mid[32];
    snprintf(mid, sizeof mid, "%g", ground / (ground >= 1000 ? 2000 : 2));
    measure(r, mid, 6.5, 0, 0, &w, &h);
    draw_text(r, x + len / 2 - w / 2, y + 1.8, mid, 6.5, 0, C_TEXT);
    draw_text(r, x + len - ew / 2, y + 1.8, end_label, 6.5, 0, C_TEXT);
    box_add(r, b);
}

/* A north arrow (grid north: the map is not rotated), top right inside. */
static void draw_north(R *r)
{
    cairo_t *cr = r->cr;
    double cx = r->fx + r->fw - 9, top = r->fy + 4;
    box b = {cx - 5, top - 1, cx + 5, top + 17};
    set_rgb(cr, C_WHITE);
    cairo_rectangle(cr, b.x0, b.y0, b.x1 - b.x0, b.y1 - b.y0);
    cairo_fill(cr);
    double w, h;
    measure(r, "B", 9, BOLD, 0, &w, &h);
    draw_text(r, cx - w / 2, top, "B", 9, BOLD, C_TEXT); /* Bắc */
    double y0 = top + h + 0.5, y1 = top + 16;
    cairo_move_to(cr, cx, y0), cairo_line_to(cr, cx + 3, y1), cairo_line_to(cr, cx, y1 - 3);
    cairo_close_path(cr);
    set_rgb(cr, C_WHITE);
    cairo_fill_preserve(cr);
    set_rgb(cr, C_BLACK);
    cairo_set_line_width(cr, 0.2);
    cairo_stroke(cr);
    cairo_move_to(cr, cx, y0), cairo_line_to(cr, cx - 3, y1), cairo_line_to(cr, cx, y1 - 3);
    cairo_close_path(cr);
    cairo_fill_preserve(cr);
    cairo_stroke(cr);
    box_add(r, b);
}

/* Title (shrunk to fit the width) and subtitle; returns the bottom, mm. */
static double draw_title(R *r, const char *title, const char *subtitle, double margin)
{
    double maxw = r->page_w - 2 * margin, w, h, pt = 16;
    for (measure(r, title, pt, BOLD, 0, &w, &h); w > maxw && pt > 9; pt -= 0.5)
        measure(r, title, pt - 0.5, BOLD, 0, &w, &h);
    double y = margin;
    if (w > maxw) { /* still too long: wrap it */
        measure(r, title, pt, BOLD, maxw, &w, &h);
        pango_layout_set_alignment(r->layout, PANGO_ALIGN_CENTER);
        draw_text_wrapped(r, margin, y, title, pt, BOLD, C_TEXT, 0, false, maxw);
        pango_layout_set_alignment(r->layout, PANGO_ALIGN_LEFT);
    } else {
        draw_text(r, (r->page_w - w) / 2, y, title, pt, BOLD, C_TEXT);
    }
    y += h + 0.8;
    measure(r, subtitle, 9, 0, maxw, &w, &h);
    if (w > maxw)
        w = maxw;
    pango_layout_set_alignment(r->layout, PANGO_ALIGN_CENTER);
    draw_text_wrapped(r, (r->page_w - w) / 2, y, subtitle, 9, 0, C_GREY, 0, false, w + 0.01);
    pango_layout_set_alignment(r->layout, PANGO_ALIGN_LEFT);
    return y + h;
}

/* The legend's swatch: a filled box (hatched when hatch), or a line; its
 * place is recorded under key. */
static double legend_item(R *r, const char *key, double x, double y, double w, const rgb *fill,
                          rgb edge, double line, const double *dash, const char *text)
{
    cairo_t *cr = r->cr;
    double tw, th;
    measure(r, text, 7.5, 0, w - 12, &tw, &th);
    double sy = y + fmax(0, (fmin(th, 4.5) - 4) / 2);
    if (fill) {
        cairo_rectangle(cr, x, sy, 8, 4);
        set_rgb(cr, *fill);
        cairo_fill_preserve(cr);
        set_rgb(cr, edge);
        cairo_set_line_width(cr, 0.15);
        cairo_stroke(cr);
    } else if (line < 0) { /* hatched */
        cairo_save(cr);
        cairo_rectangle(cr, x, sy, 8, 4);
        cairo_clip(cr);
        set_rgb(cr, edge);
        cairo_set_line_width(cr, 0.25);
        for (double d = -4; d < 8; d += 1.2)
            cairo_move_to(cr, x + d, sy + 4), cairo_line_to(cr, x + d + 4, sy);
        cairo_stroke(cr);
        cairo_restore(cr);
        cairo_rectangle(cr, x, sy, 8, 4);
        cairo_set_line_width(cr, 0.35);
        cairo_stroke(cr);
    } else {
        cairo_move_to(cr, x, sy + 2), cairo_line_to(cr, x + 8, sy + 2);
        set_rgb(cr, edge);
        cairo_set_line_width(cr, line);
        if (dash)
            cairo_set_dash(cr, dash, 2, 0);
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    ccn_map_result *res = r->res;
    if (key && res && res->nlegend < (int)(sizeof res->legend / sizeof *res->legend)) {
        ccn_map_swatch *sw = &res->legend[res->nlegend++];
        snprintf(sw->key, sizeof sw->key, "%s", key);
        sw->x = x, sw->y = sy, sw->w = 8, sw->h = 4;
    }
    draw_text_wrapped(r, x + 11, y, text, 7.5, 0, C_TEXT, 0, false, w - 12);
    return y + fmax(th, 4) + 1.6;
}

/* A palette entry's legend line: its colour as a fill (or a line of width
 * line, dashed by dash) and its label. */
static double legend_key(R *r, const char *key, double x, double y, double w, bool filled,
                         rgb edge, double line, const double *dash)
{
    rgb fill = pal_rgb(r->pal, key);
    return legend_item(r, key, x, y, w, filled ? &fill : NULL, filled ? edge : fill, line, dash,
                       pal_label(r, key));
}

static double panel_heading(R *r, double x, double y, const char *text)
{
    double w, h;
    measure(r, text, 8.5, BOLD, 0, &w, &h);
    draw_text(r, x, y, text, 8.5, BOLD, C_TEXT);
    return y + h + 1.5;
}

static double panel_text(R *r, double x, double y, double w, const char *text, double pt,
                         int style, rgb c)
{
    double tw, th;
    measure(r, text, pt, style, w, &tw, &th);
    draw_text_wrapped(r, x, y, text, pt, style, c, 0, false, w);
    return y + th + 1.0;
}

/* ---------------------------------------------------------------- PNG */

/* A PNG of an RGB24 image surface. cairo's own writer lets libpng try every
 * filter on every row at zlib's default level: two thirds of a map's time.
 * Maps are flat colour, so the "Up" filter (rows mostly repeat the one
 * above) and zlib's run-length strategy compress them as well, several
 * times faster. */
static bool png_chunk(FILE *f, const char *type, const unsigned char *data, size_t n)
{
    unsigned char len[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                            (unsigned char)(n >> 8), (unsigned char)n};
    uLong crc = crc32(0, (const Bytef *)type, 4);
    if (n)
        crc = crc32(crc, data, (uInt)n);
    unsigned char c[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                          (unsigned char)(crc >> 8), (unsigned char)crc};
    return fwrite(len, 1, 4, f) == 4 && fwrite(type, 1, 4, f) == 4 &&
           (!n || fwrite(data, 1, n, f) == n) && fwrite(c, 1, 4, f) == 4;
}

/* cairo's PDF and SVG surfaces write through this into the output's file. */
static cairo_status_t write_stream(void *closure, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

static ccn_status png_write(ccn_ctx *ctx, cairo_surface_t *s, double dpi, FILE *f,
                            const char *shown)
{
    int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
    int stride = cairo_image_surface_get_stride(s);
    const unsigned char *px = cairo_image_surface_get_data(s);
    size_t row_len = 1 + 3 * (size_t)w;
    unsigned char *rows = malloc(2 * row_len), *zbuf = malloc(1 << 18);
    z_stream z = {0};
    bool z_open = false, ok = rows && zbuf && f;
    cairo_surface_flush(s);
    if (ok)
        ok = z_open = deflateInit2(&z, 3, Z_DEFLATED, 15, 9, Z_RLE) == Z_OK;
    if (ok) {
        static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        unsigned char ihdr[13] = {(unsigned char)(w >> 24), (unsigned char)(w >> 16),
                                  (unsigned char)(w >> 8), (unsigned char)w,
                                  (unsigned char)(h >> 24), (unsigned char)(h >> 16),
                                  (unsigned char)(h >> 8), (unsigned char)h,
                                  8, 2, 0, 0, 0}; /* 8-bit RGB, no interlace */
        uint32_t ppm = (uint32_t)lround(dpi / 0.0254); /* pixels per metre */
        unsigned char phys[9] = {(unsigned char)(ppm >> 24), (unsigned char)(ppm >> 16),
                                 (unsigned char)(ppm >> 8), (unsigned char)ppm,
                                 (unsigned char)(ppm >> 24), (unsigned char)(ppm >> 16),
                                 (unsigned char)(ppm >> 8), (unsigned char)ppm, 1};
        ok = fwrite(sig, 1, 8, f) == 8 && png_chunk(f, "IHDR", ihdr, 13) &&
             png_chunk(f, "pHYs", phys, 9);
    }
    unsigned char *prev = rows, *cur = rows + row_len;
    if (rows)
        memset(prev, 0, row_len);
    for (int y = 0; ok && y <= h; y++) {
        int flush = y == h ? Z_FINISH : Z_NO_FLUSH;
        if (y < h) {
            const uint32_t *src = (const uint32_t *)(const void *)(px + (size_t)y * (size_t)stride);
            unsigned char *rgb = cur + 1;
            for (int x = 0; x < w; x++) {
                uint32_t v = src[x];
                rgb[3 * x] = (unsigned char)(v >> 16);
                rgb[3 * x + 1] = (unsigned char)(v >> 8);
                rgb[3 * x + 2] = (unsigned char)v;
            }
            /* Filter "Up" in place, keeping the raw row for the next one. */
            cur[0] = 2;
            for (size_t i = 1; i < row_len; i++) {
                unsigned char raw = cur[i];
                cur[i] = (unsigned char)(raw - prev[i]);
                prev[i] = raw;
            }
            z.next_in = cur;
            z.avail_in = (uInt)row_len;
        }
        do {
            z.next_out = zbuf;
            z.avail_out = 1 << 18;
            int zr = deflate(&z, flush);
            if (zr == Z_STREAM_ERROR) {
                ok = false;
                break;
            }
            size_t have = (1u << 18) - z.avail_out;
            if (have && !png_chunk(f, "IDAT", zbuf, have))
                ok = false;
        } while (ok && z.avail_out == 0); /* as zlib's zpipe.c: more output may wait */
    }
    if (ok)
        ok = png_chunk(f, "IEND", NULL, 0);
    if (fflush(f) != 0)
        ok = false;
    if (z_open)
        deflateEnd(&z);
    free(rows);
    free(zbuf);
    if (!ok)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", shown,
                         errno ? strerror(errno) : "encoding failed");
    return CCN_OK;
}

/* ---------------------------------------------------------------- SVG */

static void svg_escape(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        default: /* XML 1.0 has no other control characters */
            if ((unsigned char)*s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
                fputs("\xEF\xBF\xBD", f);
            else
                fputc(*s, f);
        }
    }
}

/* Rewrite cairo's SVG (in f, open for reading and writing) with the
 * recorded text as <text> elements on top. */
static ccn_status svg_add_text(R *r, FILE *f, const char *path)
{
    ccn_ctx *ctx = r->ctx;
    char *doc = NULL;
    long n = 0;
    ccn_status st = CCN_OK;
    if (fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0 || !(doc = malloc((size_t)n + 1)) ||
        fread(doc, 1, (size_t)n, f) != (size_t)n) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot read back '%s': %s", path, strerror(errno));
        goto done;
    }
    doc[n] = '\0';
    char *end = NULL;
    for (char *p = strstr(doc, "</svg>"); p; p = strstr(p + 1, "</svg>"))
        end = p;
    if (!end) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "'%s': cairo wrote no </svg>", path);
        goto done;
    }
    if (fseek(f, 0, SEEK_SET) != 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, strerror(errno));
        goto done;
    }
    const double u = 72.0 / 25.4; /* SVG user units are points */
    fwrite(doc, 1, (size_t)(end - doc), f);
    fputs("<g font-family=\"Noto Sans, DejaVu Sans, sans-serif\">\n", f);
    for (size_t i = 0; i < r->ntexts; i++) {
        const svg_text *t = &r->texts[i];
        fputs("<text", f);
        if (t->vertical)
            fprintf(f, " transform=\"translate(%.3f %.3f) rotate(-90)\" x=\"%.3f\" y=\"%.3f\"",
                    t->tx * u, t->ty * u, t->x * u, t->y * u);
        else
            fprintf(f, " x=\"%.3f\" y=\"%.3f\"", (t->tx + t->x) * u, (t->ty + t->y) * u);
        fprintf(f, " font-size=\"%.2f\" fill=\"#%02x%02x%02x\"", t->pt,
                (unsigned)lround(t->color.r * 255), (unsigned)lround(t->color.g * 255),
                (unsigned)lround(t->color.b * 255));
        if (t->style & BOLD)
            fputs(" font-weight=\"bold\"", f);
        if (t->style & ITALIC)
            fputs(" font-style=\"italic\"", f);
        if (t->halo > 0)
            fprintf(f, " stroke=\"#ffffff\" stroke-width=\"%.3f\" stroke-linejoin=\"round\""
                       " paint-order=\"stroke\"",
                    2 * t->halo * u);
        fputs(" xml:space=\"preserve\">", f);
        svg_escape(f, t->text);
        fputs("</text>\n", f);
    }
    fputs("</g>\n", f);
    fputs(end, f); /* longer than cairo's: nothing of it is left to cut */
    if (fflush(f) != 0 || ferror(f))
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, strerror(errno));
done:
    free(doc);
    return st;
}

/* ---------------------------------------------------------- the maps */

static const double DASH_COMMUNE[] = {2.0, 0.8};
static const double DASH_OTHER[] = {1.2, 0.8};
static const double DASH_INVALID[] = {0.8, 0.6};

/* Whether page point (x, y) is inside the map frame. */
static bool in_frame(const R *r, double x, double y)
{
    return x >= r->fx && x <= r->fx + r->fw && y >= r->fy && y <= r->fy + r->fh;
}

/* A label with no room: a number near (px, py) mm and the text in the
 * numbered list beside the map (unplaced_list). The number goes where it
 * collides with nothing, trying rings of positions around the point; where
 * numbers are packed too tightly for that, the label shares the nearest
 * number within NUMBER_SHARE_MM ("3. CN-04, CN-05"), so numbers never
 * overprint each other. */
enum { NUMBER_SHARE_MM = 6, NEAR_RINGS = 3, FAR_RINGS = 10 };

/* The first free place for a w × h box on rings first … last around (px,
 * py), a ring (h + 0.4) mm wider than the one inside it, 8 places on the
 * first rings and more on the wider ones, about a box's height apart. */
static bool ring_free(R *r, double px, double py, double w, double h, int first, int last,
                      double *x, double *y)
{
    for (int ring = first; ring <= last; ring++) {
        double dist = ring * (h + 0.4);
        int k = ring ? (ring <= NEAR_RINGS ? 8 : 8 * (ring - NEAR_RINGS + 1)) : 1;
        for (int d = 0; d < k; d++) {
            double a = d * 2 * M_PI / k;
            *x = px + dist * cos(a), *y = py + dist * sin(a);
            if (box_free(r, (box){*x - w / 2, *y - h / 2, *x + w / 2, *y + h / 2}))
                return true;
        }
    }
    *x = px, *y = py;
    return false;
}

/* Whether a number is drawn within d mm of (px, py). */
static bool nearest_unplaced(const R *r, double px, double py, double d)
{
    for (size_t i = 0; i < r->nunplaced; i++)
        if (hypot(r->unplaced[i].x - px, r->unplaced[i].y - py) <= d)
            return true;
    return false;
}

static void unplaced(R *r, double px, double py, const char *text)
{
    char num[24], shortened[LABEL_MAX], *flat = strdup(short_label(text, shortened));
    if (!flat) {
        r->oom = true;
        return;
    }
    for (char *c = flat; *c; c++)
        if (*c == '\n')
            *c = ' '; /* a two-line label is one item of the list */
    snprintf(num, sizeof num, "%zu", r->nunplaced + 1);
    double w, h;
    measure(r, num, MIN_LABEL_PT, BOLD, 0, &w, &h);
    double x = px, y = py;
    bool found = ring_free(r, px, py, w, h, 0, NEAR_RINGS, &x, &y);
    /* Nothing near to share with: farther out (a hairline leads back)
     * rather than over another label, as the old build drew it. */
    if (!found && !nearest_unplaced(r, px, py, NUMBER_SHARE_MM))
        found = ring_free(r, px, py, w, h, NEAR_RINGS + 1, FAR_RINGS, &x, &y);
    if (!found) {
        struct unplaced *near = NULL;
        double best = NUMBER_SHARE_MM;
        for (size_t i = 0; i < r->nunplaced; i++) {
            double d = hypot(r->unplaced[i].x - px, r->unplaced[i].y - py);
            if (d <= best)
                best = d, near = &r->unplaced[i];
        }
        if (near) {
            size_t len = strlen(near->item) + strlen(flat) + 3;
            char *joined = malloc(len);
            if (!joined) {
                r->oom = true;
            } else {
                snprintf(joined, len, "%s, %s", near->item, flat);
                free(near->item);
                near->item = joined;
            }
            free(flat);
            return;
        }
        x = px, y = py; /* nothing near to share with: drawn where it belongs */
    }
    if (!ccn_grow((void **)&r->unplaced, &r->cap_unplaced, r->nunplaced + 1, sizeof *r->unplaced)) {
        free(flat);
        r->oom = true;
        return;
    }
    size_t len = strlen(flat) + 24;
    char *item = malloc(len);
    if (!item) {
        free(flat);
        r->oom = true;
        return;
    }
    snprintf(item, len, "%s. %s", num, flat);
    free(flat);
    r->unplaced[r->nunplaced++] = (struct unplaced){item, x, y};
    if (x != px || y != py) { /* a hairline from the number to its place */
        cairo_save(r->cr);
        set_rgb(r->cr, C_BLACK);
        cairo_set_line_width(r->cr, 0.1);
        cairo_move_to(r->cr, px, py);
        cairo_line_to(r->cr, x, y);
        cairo_stroke(r->cr);
        cairo_restore(r->cr);
    }
    box_add(r, draw_centred(r, x, y, num, MIN_LABEL_PT, BOLD, C_BLACK, HALO_MM));
}

/* items[0 … k) joined by sep, and "more" (a format of the count left out)
 * when k < n. */
static char *list_text(char *const *items, size_t n, size_t k, const char *sep,
                       const char *more)
{
    size_t len = 64 + strlen(more);
    for (size_t i = 0; i < k; i++)
        len += strlen(items[i]) + strlen(sep);
    char *text = malloc(len);
    if (!text)
        return NULL;
    size_t o = 0;
    text[0] = '\0';
    for (size_t i = 0; i < k; i++)
        o += (size_t)snprintf(text + o, len - o, "%s%s", i ? sep : "", items[i]);
    if (k < n) {
        if (k)
            o += (size_t)snprintf(text + o, len - o, "%s", sep);
        snprintf(text + o, len - o, more, n - k);
    }
    return text;
}

/* A list under its heading in the panel, kept above y_max (the footer):
 * all of it at pt_max if it fits, else at a smaller size down to
 * MIN_LABEL_PT, else as many items as fit and the count of the others
 * ("… và 12 nhãn khác"). A list that ran on past the page's edge pushed the
 * footer (source, date) off the page with it. Returns the y below it; with
 * draw false only measures (the height all of it takes at pt_max). */
static double fit_list(R *r, double x, double y, double w, double y_max, const char *heading,
                       char *const *items, size_t n, const char *sep, double pt_max,
                       const char *more, bool draw)
{
    if (!n)
        return y;
    double hw, hh, tw, th;
    measure(r, heading, 8.5, BOLD, 0, &hw, &hh);
    double top = y + hh + 1.5, room = y_max - top - 1.0;
    double pt = pt_max;
    size_t k = n;
    char *text = list_text(items, n, n, sep, more);
    if (!text) {
        r->oom = true;
        return y;
    }
    measure(r, text, pt, 0, w, &tw, &th);
    if (!draw) {
        free(text);
        return top + th + 1.0;
    }
    while (th > room && pt - 0.5 >= MIN_LABEL_PT - 1e-9) {
        pt -= 0.5;
        measure(r, text, pt, 0, w, &tw, &th);
    }
    if (th > room) { /* the most items that fit, with the count of the rest */
        size_t lo = 0, hi = n - 1;
        while (lo < hi) {
            size_t mid = (lo + hi + 1) / 2;
            char *t = list_text(items, n, mid, sep, more);
            if (!t) {
                r->oom = true;
                break;
            }
            measure(r, t, pt, 0, w, &tw, &th);
            free(t);
            if (th <= room)
                lo = mid;
            else
                hi = mid - 1;
        }
        k = lo;
        free(text);
        text = list_text(items, n, k, sep, more);
        if (!text) {
            r->oom = true;
            return y;
        }
        measure(r, text, pt, 0, w, &tw, &th);
        if (th > room) { /* not even the count fits under the heading */
            free(text);
            return y;
        }
    }
    y = panel_heading(r, x, y, heading);
    y = panel_text(r, x, y, w, text, pt, 0, C_TEXT);
    free(text);
    return y;
}

/* The numbered list of labels that found no room on the map, above y_max. */
static double unplaced_list(R *r, double x, double y, double w, double y_max, bool draw)
{
    if (!r->nunplaced)
        return y;
    char **items = malloc(r->nunplaced * sizeof *items);
    if (!items) {
        r->oom = true;
        return y;
    }
    for (size_t i = 0; i < r->nunplaced; i++)
        items[i] = r->unplaced[i].item;
    y = fit_list(r, x, y + 2, w, y_max, "NHÃN KHÔNG ĐỦ CHỖ TRÊN BẢN ĐỒ (số trên bản đồ)", items,
                 r->nunplaced, "; ", 6.5, "… và %zu nhãn khác", draw);
    free(items);
    return y;
}

/* Hatch a polygon with 45° lines of colour c and outline it: protected land
 * over the lots, which stay visible between the lines. */
static void hatch_geom(R *r, const GEOSGeometry *g, rgb c)
{
    cairo_t *cr = r->cr;
    box b = page_box(r, g);
    cairo_save(cr);
    cairo_new_path(cr);
    geom_path(r, g);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_clip(cr);
    set_rgb(cr, c);
    cairo_set_line_width(cr, 0.3);
    double h = b.y1 - b.y0;
    for (double x = b.x0 - h; x < b.x1; x += 1.5)
        cairo_move_to(cr, x, b.y1), cairo_line_to(cr, x + h, b.y0);
    cairo_stroke(cr);
    cairo_restore(cr);
    fill_geom(r, g, NULL, c, 0.35, NULL);
}

/* Whether parcel g has CCN_OVERLAY_MIN_M2 or more in common with the
 * cluster's polygons, as `ccn parcels` takes a parcel: one that only touches
 * the boundary, or crosses it by a sliver of noise, is not taken. */
static bool taken_by(R *r, const GEOSPreparedGeometry **pb, const feats *boundary,
                     const GEOSGeometry *g)
{
    double common = 0;
    for (size_t i = 0; pb && i < boundary->n; i++) {
        bool inside = false;
        double a = pb[i] ? ccn_geom_common_area(r->ctx, pb[i], boundary->f[i].g, g, &inside) : 0;
        if (inside)
            return true;
        common += a > 0 ? a : 0;
    }
    return common >= CCN_OVERLAY_MIN_M2;
}

/* Colour and legend text of a lot. */
static rgb lot_color(const R *r, const ccn_lot_state *l)
{
    if (strcmp(l->status, CCN_LOT_LEASED) == 0)
        return r->col.leased;
    if (strcmp(l->status, CCN_LOT_VACANT) == 0)
        return r->col.vacant;
    const char *u = l->use ? l->use : "";
    if (!strcmp(u, "service"))
        return r->col.service;
    if (!strcmp(u, "green"))
        return r->col.green;
    if (!strcmp(u, "road"))
        return r->col.road;
    return r->col.utility;
}

/* Layers a map draws, for its source line. */
enum { SRC_CLUSTERS, SRC_LOTS, SRC_COMMUNES, SRC_PLAN, SRC_PARCELS, SRC_N };

/* The source line: for each layer drawn, the files the imports table says it
 * came from (the latest first), then the lease register. */
static void source_text(ccn_store *store, const bool drawn[SRC_N], bool leases, char *buf,
                        size_t size)
{
    static const char *const role[SRC_N] = {"clusters", "lots", "communes", "plan", "parcels"};
    static const char *const what[SRC_N] = {"ranh giới cụm", "lô đất", "địa giới xã",
                                            "quy hoạch sử dụng đất", "thửa đất địa chính"};
    ccn_stmt *q = NULL;
    size_t len = (size_t)snprintf(buf, size, "Nguồn:");
    bool any = false;
    if (ccn_stmt_prepare(store,
                         "SELECT file FROM imports WHERE role = ? GROUP BY file"
                         " ORDER BY max(fid) DESC LIMIT 3",
                         &q))
        q = NULL;
    for (int k = 0; q && k < SRC_N; k++) {
        if (!drawn[k])
            continue;
        ccn_stmt_reset(q);
        ccn_stmt_bind_text(q, 1, role[k]);
        int nfiles = 0;
        while (ccn_stmt_step(q) == 1 && len + 1 < size) {
            const char *file = ccn_stmt_text(q, 0);
            const char *base = file && strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
            int n = nfiles ? snprintf(buf + len, size - len, ", %s", base ? base : "")
                           : snprintf(buf + len, size - len, "%s%s: %s", any ? "; " : " ",
                                      what[k], base ? base : "");
            if (n > 0)
                len += (size_t)n;
            if (len >= size)
                len = size - 1;
            nfiles++;
            any = true;
        }
    }
    ccn_stmt_free(q);
    const char *ws = ccn_store_path(store);
    if (len + 1 < size && leases)
        snprintf(buf + len, size - len, "%shợp đồng thuê đất: sổ đăng ký trong %s.",
                 any ? "; " : " ", strrchr(ws, '/') ? strrchr(ws, '/') + 1 : ws);
    else if (len + 1 < size)
        snprintf(buf + len, size - len, "%s", any ? "." : " workspace.");
}

static char *upper(const char *s)
{
    return g_utf8_strup(s ? s : "", -1); /* Vietnamese capitals, diacritics kept */
}


typedef struct {
    rect panel;
    const char *as_of;
    ccn_store *store;
    double scale; /* 1:scale asked for; 0: the largest standard one that fits */
    bool drawn[SRC_N]; /* layers drawn, for the source line */
} page;

/* The workspace CRS as the footer says it: "VN-2000, kinh tuyến trục
 * 105°00′, múi chiếu 3°" from its name in spatial_ref_sys and its central
 * meridian (the footer said 105°00′ and 3° whatever the CRS was). Made once
 * a map, into r->crs: the panel's lists ask where the footer begins. */
static const char *crs_phrase(R *r, ccn_store *store)
{
    if (r->crs[0])
        return r->crs;
    char *buf = r->crs, name[160] = "";
    size_t n = sizeof r->crs;
    ccn_stmt *q = NULL;
    if (ccn_stmt_prepare(store, "SELECT ref_sys_name FROM spatial_ref_sys WHERE srid = ?", &q) ==
        CCN_OK) {
        ccn_stmt_bind_int(q, 1, ccn_store_srid(store));
        if (ccn_stmt_step(q) == 1 && ccn_stmt_text(q, 0))
            snprintf(name, sizeof name, "%s", ccn_stmt_text(q, 0));
        ccn_stmt_free(q);
    }
    ccn_ctx_clear_error(r->ctx);
    size_t datum = strcspn(name, "/");
    while (datum > 0 && name[datum - 1] == ' ')
        datum--;
    size_t o = (size_t)snprintf(buf, n, "%.*s", (int)datum,
                                datum ? name : "của không gian làm việc");
    ccn_transform *tf = NULL;
    double lon0 = NAN;
    if (ccn_store_lonlat(store, r->ctx, &tf, &lon0) != CCN_OK)
        ccn_ctx_clear_error(r->ctx);
    ccn_crs_transform_free(tf);
    if (isfinite(lon0) && o < n) {
        double minutes = round(fabs(lon0) * 60);
        o += (size_t)snprintf(buf + o, n - o, ", kinh tuyến trục %s%.0f°%02.0f′",
                              lon0 < 0 ? "-" : "", floor(minutes / 60), fmod(minutes, 60));
    }
    int zone = strstr(name, "TM-3") ? 3 : strstr(name, "UTM") ? 6 : 0;
    if (zone && o < n)
        snprintf(buf + o, n - o, ", múi chiếu %d°", zone);
    return buf;
}

/* The footer's text: CRS, source, the day the map was made. */
static void footer_text(R *r, const page *pg, char *line, size_t n)
{
    char src[600], today[11], d[16];
    source_text(pg->store, pg->drawn, true, src, sizeof src);
    ccn_date_today(today);
    fmt_date(d, sizeof d, today);
    snprintf(line, n,
             "Hệ tọa độ %s (EPSG:%d); lưới tọa độ theo mét.\n%s\nLập bản đồ ngày %s bằng ccn.",
             crs_phrase(r, pg->store), ccn_store_srid(pg->store), src, d);
}

enum { FOOTER_MAX = 1100 };

/* The top of the footer at the panel's foot: what the panel's lists stay
 * above. Its text into line (FOOTER_MAX bytes). */
static double footer_top(R *r, const page *pg, char *line)
{
    double w, h;
    footer_text(r, pg, line, FOOTER_MAX);
    measure(r, line, 6.5, 0, pg->panel.w, &w, &h);
    return pg->panel.y + pg->panel.h - h;
}

/* The footer's line (from footer_top, with its top) at the panel's foot, or
 * lower down to y_min, below the lists. */
static void panel_footer(R *r, const page *pg, const char *line, double top, double y_min)
{
    draw_text_wrapped(r, pg->panel.x, fmax(y_min, top), line, 6.5, 0, C_GREY, 0, false,
                      pg->panel.w);
}

/* A lot's drawn feature and its state, for labelling in lot-number order. */
typedef struct {
    const feat *f;
    const ccn_lot_state *lot;
} labelled_lot;

/* The lot of fid in lots[0 … n), both walked in fid order from *k on (a
 * merge of the lots' states with their geometries); NULL if it has none. */
static const ccn_lot_state *lot_with_fid(const ccn_lot_state *lots, size_t n, size_t *k,
                                         int64_t fid)
{
    while (*k < n && lots[*k].fid < fid)
        (*k)++;
    return *k < n && lots[*k].fid == fid ? &lots[*k] : NULL;
}

static int labelled_lot_cmp(const void *a, const void *b)
{
    const labelled_lot *x = a, *y = b;
    int c = ccn_collate(x->lot->lot_no, y->lot->lot_no);
    return c ? c : (x->lot->fid > y->lot->fid) - (x->lot->fid < y->lot->fid);
}

static ccn_status cluster_map(R *r, ccn_store *store, const ccn_map_options *opt, page *pg)
{
    ccn_ctx *ctx = r->ctx;
    ccn_cluster_state *cs = NULL;
    ccn_lot_state *lots = NULL;
    size_t ncs = 0, nlots = 0, nlu = 0;
    feats boundary = {0}, lot_g = {0}, others = {0}, under = {0}, communes = {0};
    landuse *lu = NULL;
    GEOSGeometry *win = NULL;
    ccn_status st;
    if ((st = ccn_export_state_on(store, opt->cluster, pg->as_of, &cs, &ncs, &lots, &nlots)) ||
        (st = query_feats(r, store, "SELECT fid, AsBinary(geom) FROM clusters WHERE code = ?1",
                          opt->cluster, 0, &boundary)) ||
        (st = query_feats(r, store,
                          "SELECT fid, AsBinary(geom) FROM lots WHERE cluster = ?1 ORDER BY fid",
                          opt->cluster, 0, &lot_g)) ||
        (st = load_landuse(r, store, &lu, &nlu)))
        goto done;
    const ccn_cluster_state *c = &cs[0];
    if (boundary.n == 0 && lot_g.n == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cluster %s has nothing to draw: import its boundary (--as clusters) or "
                       "its lots (--as lots) first",
                       c->code);
        goto done;
    }
    /* The window: the boundary and the lots. */
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    extend(r, &boundary, e);
    extend(r, &lot_g, e);
    fit_window(r, e[0], e[1], e[2], e[3], 0.05, opt->scale);

    char sql[512], window[256];
    if (opt->with != CCN_MAP_WITH_NONE) {
        const char *table = opt->with == CCN_MAP_WITH_PLAN ? "plan" : "parcels";
        int k = snprintf(sql, sizeof sql,
                         opt->with == CCN_MAP_WITH_PLAN
                             ? "SELECT t.fid, AsBinary(t.geom), t.landuse FROM plan t"
                             : "SELECT t.fid, AsBinary(t.geom), t.landuse,"
                               " t.sheet || '/' || t.parcel_no FROM parcels t");
        where_window(store, window, sizeof window, table);
        snprintf(sql + k, sizeof sql - (size_t)k, "%s", window);
        if ((st = query_feats(r, store, sql, NULL, 2, &under)))
            goto done;
        if (under.n == 0)
            ccn_warn(ctx, "no %s in the map's window: nothing drawn under the lots", table);
    }
    /* All communes of the map's date (a few hundred at most): merged ones
     * show no boundary between them. Drawing clips them to the frame. */
    if ((st = communes_as_of(r, store, pg->as_of, &communes)))
        goto done;
    snprintf(sql, sizeof sql, "SELECT t.fid, AsBinary(t.geom), t.code FROM clusters t");
    where_window(store, window, sizeof window, "clusters");
    snprintf(sql + strlen(sql), sizeof sql - strlen(sql), "%s", window);
    strncat(sql, " AND t.code <> ?1", sizeof sql - strlen(sql) - 1);
    if ((st = query_feats(r, store, sql, opt->cluster, 1, &others)))
        goto done;

    cairo_t *cr = r->cr;
    cairo_save(cr);
    cairo_rectangle(cr, r->fx, r->fy, r->fw, r->fh);
    cairo_clip(cr);
    for (size_t i = 0; i < under.n; i++) {
        landuse *l = find_landuse(lu, nlu, under.f[i].a);
        rgb fill = l ? l->color : C_LIGHT;
        if (l)
            l->used = true;
        fill_geom(r, under.f[i].g, &fill, C_GREY, 0.1, NULL);
    }
    for (size_t i = 0; i < communes.n; i++)
        fill_geom(r, communes.f[i].g, NULL, r->col.commune, 0.35, DASH_COMMUNE);
    for (size_t i = 0; i < others.n; i++)
        fill_geom(r, others.f[i].g, NULL, r->col.other_boundary, 0.4, DASH_OTHER);
    /* Ground of the cluster that no lot covers shows through between the lots. */
    for (size_t i = 0; i < boundary.n; i++)
        fill_geom(r, boundary.f[i].g, &r->col.unleased, r->col.unleased, 0, NULL);
    /* Lots and geometries are both ordered by fid. */
    bool present[6] = {0};
    for (size_t i = 0, k = 0; i < lot_g.n; i++) {
        const ccn_lot_state *lot = lot_with_fid(lots, nlots, &k, lot_g.f[i].fid);
        if (!lot)
            continue;
        rgb fill = lot_color(r, lot);
        fill_geom(r, lot_g.f[i].g, &fill, r->col.lot_edge, 0.15, NULL);
        const char *u = lot->use ? lot->use : "";
        present[!strcmp(u, "service") ? 2 : !strcmp(u, "green") ? 3 : !strcmp(u, "road") ? 5
                : !strcmp(u, "industrial") ? 0 : 4] = true;
    }
    /* On top of the lots: protected land of the plan, hatched, so a lot or a
     * cluster over it shows; or the parcels the cluster takes, outlined. */
    bool protect_drawn = false, parcels_drawn = false, invalid_drawn = false;
    bool plan_with = opt->with == CCN_MAP_WITH_PLAN;
    const GEOSPreparedGeometry **pb = calloc(boundary.n + 1, sizeof *pb);
    for (size_t i = 0; pb && i < boundary.n; i++)
        pb[i] = GEOSPrepare_r(r->h, boundary.f[i].g);
    for (size_t i = 0; i < under.n; i++) {
        if (opt->with == CCN_MAP_WITH_PLAN) {
            landuse *l = find_landuse(lu, nlu, under.f[i].a);
            if (l && l->protect) {
                hatch_geom(r, under.f[i].g, r->col.protect);
                protect_drawn = true;
            }
        } else if (taken_by(r, pb, &boundary, under.f[i].g)) {
            fill_geom(r, under.f[i].g, NULL, r->col.parcel, 0.3, NULL);
            under.f[i].taken = true;
            parcels_drawn = true;
        }
    }
    /* Lots with nothing in common with the boundary (drawn where they are, far
     * from it maybe, and counted in the occupancy): named beside the map, not
     * left for the reader to take as the cluster's. A lot reaching partly out
     * is ccn check's finding (LOT_OUTSIDE_CLUSTER), by its tolerances. */
    size_t nout = 0;
    char outside[400] = "";
    for (size_t i = 0, k = 0; pb && boundary.n && i < lot_g.n; i++) {
        const ccn_lot_state *lot = lot_with_fid(lots, nlots, &k, lot_g.f[i].fid);
        if (!lot || taken_by(r, pb, &boundary, lot_g.f[i].g))
            continue;
        size_t len = strlen(outside);
        if (nout < 10 && len < sizeof outside - 1)
            snprintf(outside + len, sizeof outside - len, "%s%s", nout ? ", " : "",
                     lot->lot_no ? lot->lot_no : "?");
        nout++;
    }
    if (nout) {
        size_t len = strlen(outside);
        if (nout > 10)
            snprintf(outside + len, sizeof outside - len, " … (%zu)", nout);
        ccn_warn(ctx, "cluster %s: %zu lot(s) lie wholly outside its boundary (%s): drawn where "
                      "they are and counted; 'ccn check' reports them (LOT_OUTSIDE_CLUSTER)",
                 c->code, nout, outside);
    }
    for (size_t i = 0; pb && i < boundary.n; i++)
        if (pb[i])
            GEOSPreparedGeom_destroy_r(r->h, pb[i]);
    free(pb);
    for (size_t i = 0; i < boundary.n; i++)
        fill_geom(r, boundary.f[i].g, NULL, r->col.boundary, 0.7, NULL);
    const feats *drawn[] = {&boundary, &lot_g, &under, &others};
    for (size_t d = 0; d < sizeof drawn / sizeof *drawn; d++)
        for (size_t i = 0; i < drawn[d]->n; i++)
            if (drawn[d]->f[i].repaired) {
                fill_geom(r, drawn[d]->f[i].g, NULL, r->col.invalid, 0.5, DASH_INVALID);
                invalid_drawn = true;
            }
    cairo_restore(cr);
    pg->drawn[SRC_CLUSTERS] = boundary.n || others.n, pg->drawn[SRC_LOTS] = lot_g.n > 0;
    pg->drawn[SRC_COMMUNES] = communes.n > 0;
    pg->drawn[plan_with ? SRC_PLAN : SRC_PARCELS] = under.n > 0;

    draw_grid(r);
    draw_scale_bar(r);
    draw_north(r);
    /* Lot numbers first (they matter), then plan codes or parcel numbers.
     * In the order people read them (collate.h), so the numbered list of
     * those without room reads CN-01, CN-02, … */
    int lot_labels_dropped = 0;
    labelled_lot *order = calloc(lot_g.n + 1, sizeof *order);
    size_t norder = 0;
    if (!order) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t i = 0, k = 0; i < lot_g.n; i++) {
        const ccn_lot_state *lot = lot_with_fid(lots, nlots, &k, lot_g.f[i].fid);
        if (lot && lot->lot_no)
            order[norder++] = (labelled_lot){&lot_g.f[i], lot};
    }
    if (norder > 1)
        qsort(order, norder, sizeof *order, labelled_lot_cmp);
    for (size_t i = 0; i < norder; i++) {
        const ccn_lot_state *lot = order[i].lot;
        double px, py, room;
        if (!label_point(r, order[i].f->g, &px, &py, &room) || !in_frame(r, px, py))
            continue;
        rgb tc = strcmp(lot->status, CCN_LOT_LEASED) == 0 ? C_BLACK : C_TEXT;
        if (!place_label(r, px, py, room, lot->lot_no, 8, BOLD, tc)) {
            lot_labels_dropped++;
            unplaced(r, px, py, lot->lot_no);
        }
    }
    free(order);
    /* Zones and parcels are labelled on their visible part: inside the
     * frame and not under a lot. */
    int minor_dropped = 0;
    win = GEOSGeom_createRectangle_r(r->h, r->wx0, r->wy0, r->wx1, r->wy1);
    GEOSGeometry *cover = NULL;
    const GEOSPreparedGeometry *pcover = NULL;
    if (lot_g.n) {
        GEOSGeometry **parts = malloc(lot_g.n * sizeof *parts);
        for (size_t i = 0; parts && i < lot_g.n; i++)
            parts[i] = GEOSGeom_clone_r(r->h, lot_g.f[i].g);
        GEOSGeometry *coll = parts ? GEOSGeom_createCollection_r(r->h, GEOS_GEOMETRYCOLLECTION,
                                                                 parts, (unsigned)lot_g.n)
                                   : NULL;
        free(parts);
        if (coll) {
            cover = GEOSUnaryUnion_r(r->h, coll);
            GEOSGeom_destroy_r(r->h, coll);
        }
        if (cover)
            pcover = GEOSPrepare_r(r->h, cover);
    }
    /* The key to the cluster's bare ground only where some of it shows: at
     * least a square millimetre of paper no lot covers. */
    bool ground_shows = false;
    for (size_t i = 0; i < boundary.n && !ground_shows; i++) {
        GEOSGeometry *bare = cover ? GEOSDifference_r(r->h, boundary.f[i].g, cover) : NULL;
        double a = 0;
        ground_shows = !cover || !bare || !GEOSArea_r(r->h, bare, &a) || a * r->k * r->k >= 1;
        if (bare)
            GEOSGeom_destroy_r(r->h, bare);
    }
    bool plan = opt->with == CCN_MAP_WITH_PLAN;
    for (size_t i = 0; win && i < under.n; i++) {
        /* plan codes where no lot hides the zone; sheet/parcel on each parcel taken */
        const char *t = plan ? under.f[i].a : under.f[i].b;
        if (!t || (!plan && !under.f[i].taken) ||
            (plan && pcover && GEOSPreparedContains_r(r->h, pcover, under.f[i].g) == 1))
            continue;
        GEOSGeometry *v = GEOSIntersection_r(r->h, under.f[i].g, win);
        if (plan && v && cover && GEOSPreparedIntersects_r(r->h, pcover, v) == 1) {
            GEOSGeometry *d = GEOSDifference_r(r->h, v, cover);
            GEOSGeom_destroy_r(r->h, v);
            v = d;
        }
        double px, py, room;
        bool ok = v && GEOSArea_r(r->h, v, &room) && room > 0 &&
                  label_point(r, v, &px, &py, &room);
        if (v)
            GEOSGeom_destroy_r(r->h, v);
        if (!ok || !in_frame(r, px, py))
            continue;
        if (plan && room < 2.5) /* a sliver of a zone: its colour and the legend say it */
            continue;
        if (!place_label(r, px, py, plan ? room : 0, t, 6.5, ITALIC, plan ? C_GREY : C_TEXT)) {
            minor_dropped++;
            unplaced(r, px, py, t);
        }
    }
    if (pcover)
        GEOSPreparedGeom_destroy_r(r->h, pcover);
    if (cover)
        GEOSGeom_destroy_r(r->h, cover);
    r->dropped += lot_labels_dropped + minor_dropped;
    r->dropped_main += lot_labels_dropped;
    if (lot_labels_dropped)
        ccn_warn(ctx, "%s: %d lot number%s did not fit: numbered on the map and listed beside it",
                 file_name(opt->path), lot_labels_dropped, lot_labels_dropped > 1 ? "s" : "");
    if (minor_dropped)
        ccn_warn(ctx, "%s: %d %s label%s did not fit: numbered on the map and listed beside it",
                 file_name(opt->path), minor_dropped, plan ? "plan-zone" : "parcel",
                 minor_dropped > 1 ? "s" : "");
    set_rgb(cr, C_BLACK);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, r->fx, r->fy, r->fw, r->fh);
    cairo_stroke(cr);

    /* Title. */
    char title[512], subtitle[512], d[16];
    char *name_up = upper(c->name ? c->name : c->code);
    char *kind_up = upper(ccn_cluster_kind_word(c->name, c->kind));
    snprintf(title, sizeof title, "%s%s — HIỆN TRẠNG CHO THUÊ ĐẤT", kind_up, name_up);
    g_free(name_up);
    g_free(kind_up);
    fmt_date(d, sizeof d, pg->as_of);
    char *area = ccn_admin_area(store, pg->as_of);
    snprintf(subtitle, sizeof subtitle, "Mã cụm %s%s%s · Tình trạng cho thuê các lô đất đến ngày %s",
             c->code, area && *area ? " · " : "", area ? area : "", d);
    free(area);
    draw_title(r, title, subtitle, 8);

    /* Panel: legend, occupancy, notes. */
    double x = pg->panel.x, w = pg->panel.w, y = pg->panel.y;
    y = panel_heading(r, x, y, "CHÚ GIẢI");
    if (present[0]) { /* industrial lots: leased and vacant both say something, even at 0 */
        y = legend_key(r, "lot.leased", x, y, w, true, r->col.lot_edge, 0, NULL);
        y = legend_key(r, "lot.vacant", x, y, w, true, r->col.lot_edge, 0, NULL);
    }
    if (present[2])
        y = legend_key(r, "lot.service", x, y, w, true, r->col.lot_edge, 0, NULL);
    if (present[3])
        y = legend_key(r, "lot.green", x, y, w, true, r->col.lot_edge, 0, NULL);
    if (present[4])
        y = legend_key(r, "lot.utility", x, y, w, true, r->col.lot_edge, 0, NULL);
    if (present[5])
        y = legend_key(r, "lot.road", x, y, w, true, r->col.lot_edge, 0, NULL);
    if (ground_shows)
        y = legend_key(r, "cluster.unleased", x, y, w, true, r->col.lot_edge, 0, NULL);
    if (protect_drawn)
        y = legend_item(r, "protected", x, y, w, NULL, r->col.protect, -1, NULL,
                        pal_label(r, "protected"));
    if (parcels_drawn)
        y = legend_key(r, "parcel.cleared", x, y, w, false, C_BLACK, 0.3, NULL);
    if (boundary.n) /* a cluster without one: said, not a key to a line the map lacks */
        y = legend_key(r, "cluster.boundary", x, y, w, false, C_BLACK, 0.7, NULL);
    else
        y = panel_text(r, x, y + 1, w,
                       "Chưa có ranh giới cụm trong dữ liệu: bản đồ chỉ vẽ các lô đất của cụm.",
                       7.5, ITALIC, C_TEXT);
    if (nout) {
        char note[520];
        snprintf(note, sizeof note, "Lô nằm ngoài ranh giới cụm: %s.", outside);
        y = panel_text(r, x, y + 1, w, note, 7.5, ITALIC, r->col.leased);
    }
    if (invalid_drawn)
        y = legend_key(r, "invalid", x, y, w, false, C_BLACK, 0.5, DASH_INVALID);
    if (others.n)
        y = legend_key(r, "cluster.other", x, y, w, false, C_BLACK, 0.4, DASH_OTHER);
    bool commune_line = false;
    for (size_t i = 0; win && i < communes.n && !commune_line; i++) {
        GEOSGeometry *edge = GEOSBoundary_r(r->h, communes.f[i].g);
        commune_line = edge && GEOSIntersects_r(r->h, edge, win) == 1;
        if (edge)
            GEOSGeom_destroy_r(r->h, edge);
    }
    if (commune_line)
        y = legend_key(r, "commune.boundary", x, y, w, false, C_BLACK, 0.35, DASH_COMMUNE);
    int shown = 0, hidden = 0;
    if (under.n) {
        y += 1;
        y = panel_text(r, x, y, w,
                       opt->with == CCN_MAP_WITH_PLAN ? "Quy hoạch sử dụng đất (mã loại đất):"
                                                      : "Thửa đất địa chính (loại đất, số thửa):",
                       7.5, ITALIC, C_TEXT);
        for (size_t i = 0; i < nlu; i++) {
            if (!lu[i].used)
                continue;
            if (shown >= 10) {
                hidden++;
                continue;
            }
            char item[200], key[48];
            snprintf(item, sizeof item, "%s – %s", lu[i].code, lu[i].name);
            snprintf(key, sizeof key, "landuse.%s", lu[i].code);
            y = legend_item(r, key, x, y, w, &lu[i].color, C_GREY, 0, NULL, item);
            shown++;
        }
        if (hidden) {
            char more[64];
            snprintf(more, sizeof more, "… và %d loại đất khác", hidden);
            y = panel_text(r, x, y, w, more, 7, ITALIC, C_GREY);
        }
    }
    y += 3;
    y = panel_heading(r, x, y, "TỶ LỆ LẤP ĐẦY");
    char line[256], a[32], b[32];
    if (isfinite(c->occupancy_pct)) {
        fmt_number(a, sizeof a, c->occupancy_pct, 1);
        snprintf(line, sizeof line, "%s %%", a);
        double tw, th;
        measure(r, line, 16, BOLD, 0, &tw, &th);
        draw_text(r, x, y, line, 16, BOLD,
                  isfinite(c->target_pct) && c->occupancy_pct >= c->target_pct ? C_TEXT : r->col.leased);
        y += th + 0.5;
        /* A bar: occupancy filled, the target marked. */
        cairo_rectangle(cr, x, y, w, 4);
        set_rgb(cr, r->col.vacant);
        cairo_fill(cr);
        cairo_rectangle(cr, x, y, w * fmin(c->occupancy_pct, 100) / 100, 4);
        set_rgb(cr, r->col.leased);
        cairo_fill(cr);
        cairo_rectangle(cr, x, y, w, 4);
        set_rgb(cr, r->col.lot_edge);
        cairo_set_line_width(cr, 0.15);
        cairo_stroke(cr);
        if (isfinite(c->target_pct)) {
            double tx = x + w * fmin(c->target_pct, 100) / 100;
            cairo_move_to(cr, tx, y - 1), cairo_line_to(cr, tx, y + 5);
            set_rgb(cr, C_BLACK);
            cairo_set_line_width(cr, 0.5);
            cairo_stroke(cr);
        }
        y += 6;
        fmt_number(a, sizeof a, c->leased_m2 / 1e4, 2);
        fmt_number(b, sizeof b, c->leasable_m2 / 1e4, 2);
        snprintf(line, sizeof line, "Đã cho thuê %s ha trên %s ha đất công nghiệp", a, b);
        y = panel_text(r, x, y, w, line, 7.5, 0, C_TEXT);
    } else {
        y = panel_text(r, x, y, w, "Chưa có lô đất công nghiệp: chưa tính được.", 7.5, ITALIC,
                       C_TEXT);
    }
    if (isfinite(c->target_pct)) {
        fmt_number(a, sizeof a, c->target_pct, 0);
        snprintf(line, sizeof line, "Mục tiêu kế hoạch 2021–2025: %s %% — %s", a,
                 !isfinite(c->occupancy_pct) ? "chưa đánh giá"
                 : c->occupancy_pct >= c->target_pct ? "đã đạt" : "chưa đạt");
    } else {
        snprintf(line, sizeof line, "Kế hoạch không đặt mục tiêu lấp đầy.");
    }
    y = panel_text(r, x, y, w, line, 7.5, BOLD, C_TEXT);
    size_t leased = 0, leasable = 0;
    for (size_t i = 0; i < nlots; i++)
        if (strcmp(lots[i].status, CCN_LOT_OTHER) != 0)
            leasable++, leased += lots[i].leased;
    fmt_date(d, sizeof d, pg->as_of);
    snprintf(line, sizeof line, "%zu / %zu lô công nghiệp có hợp đồng thuê đang hiệu lực ngày %s.",
             leased, leasable, d);
    y = panel_text(r, x, y, w, line, 7.5, 0, C_TEXT);
    char footer[FOOTER_MAX];
    double top = footer_top(r, pg, footer);
    y = unplaced_list(r, x, y, w, top - 3, true);
    panel_footer(r, pg, footer, top, y + 3);
done:
    if (win)
        GEOSGeom_destroy_r(r->h, win);
    free(lu);
    feats_free(r, &boundary);
    feats_free(r, &lot_g);
    feats_free(r, &others);
    feats_free(r, &under);
    feats_free(r, &communes);
    ccn_export_lots_free(lots, nlots);
    ccn_export_clusters_free(cs, ncs);
    return st;
}

static rgb occupancy_color(const R *r, double pct)
{
    if (!isfinite(pct))
        return r->col.no_data;
    rgb c = r->col.occupancy[0];
    for (size_t i = 0; i < sizeof occupancy_classes / sizeof *occupancy_classes; i++)
        if (pct >= occupancy_classes[i].from)
            c = r->col.occupancy[i];
    return c;
}

static ccn_status district_map(R *r, ccn_store *store, page *pg)
{
    ccn_ctx *ctx = r->ctx;
    ccn_cluster_state *cs = NULL;
    size_t ncs = 0;
    feats bounds = {0}, communes = {0};
    ccn_status st;
    if ((st = ccn_export_clusters_on(store, NULL, pg->as_of, &cs, &ncs)) ||
        (st = query_feats(r, store, "SELECT fid, AsBinary(geom), code FROM clusters ORDER BY fid",
                          NULL, 1, &bounds)) ||
        (st = communes_as_of(r, store, pg->as_of, &communes)))
        goto done;
    if (bounds.n == 0 && communes.n == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "nothing to draw: import the cluster boundaries (--as clusters) or the "
                       "communes (--as communes) first");
        goto done;
    }
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    extend(r, &bounds, e);
    extend(r, &communes, e);
    fit_window(r, e[0], e[1], e[2], e[3], communes.n ? 0.02 : 0.15, pg->scale);

    cairo_t *cr = r->cr;
    cairo_save(cr);
    cairo_rectangle(cr, r->fx, r->fy, r->fw, r->fh);
    cairo_clip(cr);
    for (size_t i = 0; i < communes.n; i++)
        fill_geom(r, communes.f[i].g, &r->col.commune_fill, r->col.commune, 0.3, DASH_COMMUNE);
    for (size_t i = 0; i < bounds.n; i++) {
        const ccn_cluster_state *c = NULL;
        for (size_t k = 0; k < ncs; k++)
            if (cs[k].fid == bounds.f[i].fid)
                c = &cs[k];
        rgb fill = occupancy_color(r, c ? c->occupancy_pct : NAN);
        fill_geom(r, bounds.f[i].g, &fill, r->col.boundary, 0.5, NULL);
    }
    cairo_restore(cr);
    pg->drawn[SRC_CLUSTERS] = bounds.n > 0, pg->drawn[SRC_COMMUNES] = communes.n > 0;
    draw_grid(r);
    draw_scale_bar(r);
    draw_north(r);
    /* Every cluster keeps its own area free of other labels. */
    for (size_t i = 0; i < bounds.n; i++)
        box_add(r, page_box(r, bounds.f[i].g));
    int cluster_dropped = 0;
    for (size_t i = 0; i < bounds.n; i++) {
        const ccn_cluster_state *c = NULL;
        for (size_t k = 0; k < ncs; k++)
            if (cs[k].fid == bounds.f[i].fid)
                c = &cs[k];
        if (!c)
            continue;
        char label[400], pct[32], tgt[32];
        if (isfinite(c->occupancy_pct)) {
            fmt_number(pct, sizeof pct, c->occupancy_pct, 1);
            if (isfinite(c->target_pct)) {
                fmt_number(tgt, sizeof tgt, c->target_pct, 0);
                snprintf(label, sizeof label, "%s – %s\nlấp đầy %s %% (mục tiêu %s %%)", c->code,
                         c->name ? c->name : "", pct, tgt);
            } else {
                snprintf(label, sizeof label, "%s – %s\nlấp đầy %s %%", c->code,
                         c->name ? c->name : "", pct);
            }
        } else {
            snprintf(label, sizeof label, "%s – %s\nchưa có lô công nghiệp", c->code,
                     c->name ? c->name : "");
        }
        box cb = page_box(r, bounds.f[i].g);
        double ax, ay, room;
        if (!label_point(r, bounds.f[i].g, &ax, &ay, &room))
            continue;
        bool placed = false;
        for (int step = 0; step <= 3 && !placed; step++) { /* 7.5 pt down to 6 */
            double pt = 7.5 - 0.5 * step;
            double w, h;
            measure(r, label, pt, BOLD, 0, &w, &h);
            /* Beside the cluster, then farther out, with a leader line. */
            static const double gaps[] = {1.5, 6, 14, 22, 30}; /* mm from the cluster */
            for (size_t g = 0; g < sizeof gaps / sizeof *gaps && !placed; g++) {
                double gap = gaps[g];
                const double cx[] = {cb.x1 + gap + w / 2, cb.x0 - gap - w / 2, (cb.x0 + cb.x1) / 2,
                                     (cb.x0 + cb.x1) / 2, cb.x1 + gap + w / 2, cb.x0 - gap - w / 2,
                                     cb.x1 + gap + w / 2, cb.x0 - gap - w / 2};
                const double cy[] = {(cb.y0 + cb.y1) / 2, (cb.y0 + cb.y1) / 2, cb.y0 - gap - h / 2,
                                     cb.y1 + gap + h / 2, cb.y0 - gap - h / 2, cb.y0 - gap - h / 2,
                                     cb.y1 + gap + h / 2, cb.y1 + gap + h / 2};
                for (int k = 0; k < 8 && !placed; k++) {
                    box lb = {cx[k] - w / 2, cy[k] - h / 2, cx[k] + w / 2, cy[k] + h / 2};
                    if (!box_free(r, lb))
                        continue;
                    if (gap > 2 || k >= 4) { /* a leader from the label to the cluster */
                        double lx = fmax(lb.x0, fmin(ax, lb.x1)), ly = fmax(lb.y0, fmin(ay, lb.y1));
                        cairo_move_to(cr, lx, ly), cairo_line_to(cr, ax, ay);
                        set_rgb(cr, C_TEXT);
                        cairo_set_line_width(cr, 0.2);
                        cairo_stroke(cr);
                    }
                    pango_layout_set_alignment(r->layout, PANGO_ALIGN_CENTER);
                    draw_text_wrapped(r, lb.x0, lb.y0, label, pt, BOLD, C_TEXT, HALO_MM, false, 0);
                    pango_layout_set_alignment(r->layout, PANGO_ALIGN_LEFT);
                    box_add(r, lb);
                    r->labels++;
                    placed = true;
                }
            }
        }
        if (!placed) { /* listed by its code: the clusters' list has its name and figures */
            cluster_dropped++;
            unplaced(r, ax, ay, c->code);
        }
    }
    int commune_dropped = 0;
    for (size_t i = 0; i < communes.n; i++) {
        double px, py, room;
        if (!communes.f[i].a || !label_point(r, communes.f[i].g, &px, &py, &room))
            continue;
        if (!place_label_inside(r, px, py, room, communes.f[i].a, 7, ITALIC, C_GREY)) {
            commune_dropped++;
            unplaced(r, px, py, communes.f[i].a);
        }
    }
    r->dropped += cluster_dropped + commune_dropped;
    r->dropped_main += cluster_dropped;
    if (cluster_dropped)
        ccn_warn(ctx, "district map: %d cluster label%s did not fit: numbered and listed beside it",
                 cluster_dropped,
                 cluster_dropped > 1 ? "s" : "");
    if (commune_dropped)
        ccn_warn(ctx, "district map: %d commune name%s did not fit: numbered and listed beside it",
                 commune_dropped,
                 commune_dropped > 1 ? "s" : "");
    set_rgb(cr, C_BLACK);
    cairo_set_line_width(cr, 0.3);
    cairo_rectangle(cr, r->fx, r->fy, r->fw, r->fh);
    cairo_stroke(cr);

    char d[16], subtitle[256];
    fmt_date(d, sizeof d, pg->as_of);
    snprintf(subtitle, sizeof subtitle,
             "Tỷ lệ lấp đầy = diện tích lô đất công nghiệp đã cho thuê / tổng diện tích lô đất "
             "công nghiệp · số liệu đến ngày %s",
             d);
    /* "… TRÊN ĐỊA BÀN HUYỆN TRIỆU SƠN" before the 2025 reform, "… CŨ" after */
    char *area = ccn_admin_area(store, pg->as_of);
    char *area_up = upper(area && *area ? area : "địa bàn");
    char title[256];
    snprintf(title, sizeof title, "CÁC CỤM CÔNG NGHIỆP TRÊN %s — TỶ LỆ LẤP ĐẦY", area_up);
    g_free(area_up);
    free(area);
    draw_title(r, title, subtitle, 8);

    double x = pg->panel.x, w = pg->panel.w, y = pg->panel.y;
    y = panel_heading(r, x, y, "CHÚ GIẢI");
    y = panel_text(r, x, y, w, "Tỷ lệ lấp đầy của cụm:", 7.5, ITALIC, C_TEXT);
    for (size_t i = 0; i < sizeof occupancy_classes / sizeof *occupancy_classes; i++)
        y = legend_key(r, occupancy_classes[i].key, x, y, w, true, r->col.boundary, 0, NULL);
    y = legend_key(r, "occupancy.none", x, y, w, true, r->col.boundary, 0, NULL);
    if (communes.n)
        y = legend_key(r, "commune.fill", x, y, w, true, r->col.commune, 0, NULL);
    y += 3;
    /* The clusters' list leaves the numbered labels' list (the key of the
     * numbers on the map) what it needs, up to half the room. */
    char footer[FOOTER_MAX];
    double top = footer_top(r, pg, footer), y_max = top - 3;
    double need = unplaced_list(r, x, y, w, y_max, false) - y;
    char **lines = calloc(ncs ? ncs : 1, sizeof *lines);
    if (!lines) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < ncs; k++) {
        const ccn_cluster_state *c = &cs[k];
        char line[400], pct[32], tgt[32];
        fmt_number(pct, sizeof pct, c->occupancy_pct, 1);
        fmt_number(tgt, sizeof tgt, c->target_pct, 0);
        snprintf(line, sizeof line, "%s – %s: %s%s%s%s%s", c->code, c->name ? c->name : "",
                 isfinite(c->occupancy_pct) ? pct : "chưa có lô",
                 isfinite(c->occupancy_pct) ? " %" : "",
                 isfinite(c->target_pct) ? " / mục tiêu " : "",
                 isfinite(c->target_pct) ? tgt : "", isfinite(c->target_pct) ? " %" : "");
        if (!c->has_boundary)
            strncat(line, " (chưa có ranh giới)", sizeof line - strlen(line) - 1);
        if (!(lines[k] = strdup(line)))
            r->oom = true;
    }
    if (!r->oom)
        y = fit_list(r, x, y, w, y_max - fmin(need, (y_max - y) / 2), "CÁC CỤM", lines, ncs, "\n",
                     7, "… và %zu cụm khác", true);
    for (size_t k = 0; k < ncs; k++)
        free(lines[k]);
    free(lines);
    y = unplaced_list(r, x, y, w, y_max, true);
    panel_footer(r, pg, footer, top, y + 3);
done:
    feats_free(r, &bounds);
    feats_free(r, &communes);
    ccn_export_clusters_free(cs, ncs);
    return st;
}

/* ------------------------------------------------------------- entry */

bool ccn_render_format_from_path(const char *path, ccn_map_format *out)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (!dot)
        return false;
    if (!strcasecmp(dot, ".png"))
        *out = CCN_MAP_PNG;
    else if (!strcasecmp(dot, ".svg"))
        *out = CCN_MAP_SVG;
    else if (!strcasecmp(dot, ".pdf"))
        *out = CCN_MAP_PDF;
    else
        return false;
    return true;
}

bool ccn_render_parse_size(const char *s, double *w, double *h)
{
    static const struct {
        const char *name;
        double w, h;
    } papers[] = {{"a4", 297, 210}, {"a3", 420, 297}, {"a4-portrait", 210, 297},
                  {"a3-portrait", 297, 420}, {"a4-landscape", 297, 210},
                  {"a3-landscape", 420, 297}};
    for (size_t i = 0; i < sizeof papers / sizeof *papers; i++)
        if (!strcasecmp(s, papers[i].name)) {
            *w = papers[i].w, *h = papers[i].h;
            return true;
        }
    char *end = NULL;
    double a = strtod(s, &end);
    if (end == s || (*end != 'x' && *end != 'X'))
        return false;
    const char *p = end + 1;
    double b = strtod(p, &end);
    if (end == p || *end || !(a >= 50 && a <= 2000) || !(b >= 50 && b <= 2000))
        return false;
    *w = a, *h = b;
    return true;
}

ccn_status ccn_render_map(ccn_store *store, const ccn_map_options *opt, ccn_map_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *res = (ccn_map_result){0};
    const char *why = NULL;
    if (!ccn_cairo_load(&why))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why);
    if (opt->as_of && !ccn_date_valid(opt->as_of))
        return ccn_error(ctx, CCN_ERR_INPUT, "--as-of '%s' is not a date: write " CCN_DATE_FORMS,
                         opt->as_of);
    if (opt->as_of)
        snprintf(res->as_of, sizeof res->as_of, "%s", opt->as_of);
    else
        ccn_date_today(res->as_of);
    double pw = opt->width_mm > 0 ? opt->width_mm : 297, ph = opt->height_mm > 0 ? opt->height_mm : 210;
    double dpi = opt->dpi > 0 ? opt->dpi : 300;
    if (opt->scale != 0 && !(opt->scale >= 100 && opt->scale <= 10000000))
        return ccn_error(ctx, CCN_ERR_INPUT, "scale 1:%g: expected 1:100 to 1:10 000 000",
                         opt->scale);
    if (pw < 50 || ph < 50 || pw > 2000 || ph > 2000)
        return ccn_error(ctx, CCN_ERR_INPUT, "paper %g × %g mm: each side must be 50–2000 mm", pw, ph);
    if (opt->format == CCN_MAP_PNG && (dpi < 30 || dpi > 1200 || pw / 25.4 * dpi * ph / 25.4 * dpi > 4e8))
        return ccn_error(ctx, CCN_ERR_INPUT, "%g dpi on %g × %g mm makes too large an image", dpi, pw, ph);
    ccn_status st = ccn_export_check_output(ctx, opt->path);
    if (st)
        return st;
    if (opt->cluster) { /* an unknown cluster is a usage error before any drawing */
        ccn_cluster_state *cs = NULL;
        size_t n = 0;
        if ((st = ccn_export_clusters_on(store, opt->cluster, res->as_of, &cs, &n)))
            return st;
        ccn_export_clusters_free(cs, n);
    }

    R r = {.ctx = ctx, .h = ccn_ctx_geos(ctx), .svg = opt->format == CCN_MAP_SVG,
           .page_w = pw, .page_h = ph};
    if ((st = ccn_palette_load(ctx, store, &r.pal)))
        return st;
    load_colours(&r);
    r.res = res;
    cairo_surface_t *surface = NULL;
    ccn_output *output = NULL; /* the file appears whole when complete (output.h) */
    if ((st = ccn_output_open(ctx, opt->path, &output))) {
        ccn_palette_free(r.pal);
        return st;
    }
    FILE *file = ccn_output_stream(output);
    const double pt = 72.0 / 25.4;
    if (opt->format == CCN_MAP_PNG) {
        res->width_px = (int)lround(pw / 25.4 * dpi);
        res->height_px = (int)lround(ph / 25.4 * dpi);
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, res->width_px, res->height_px);
    } else if (opt->format == CCN_MAP_PDF) {
        surface = cairo_pdf_surface_create_for_stream(write_stream, file, pw * pt, ph * pt);
    } else {
        surface = cairo_svg_surface_create_for_stream(write_stream, file, pw * pt, ph * pt);
        if (cairo_surface_status(surface) == CAIRO_STATUS_SUCCESS)
            cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
    }
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", opt->path,
                       cairo_status_to_string(cairo_surface_status(surface)));
        goto done;
    }
    if (opt->format == CCN_MAP_PDF) {
        char title[128];
        snprintf(title, sizeof title, "ccn — %s", opt->cluster ? opt->cluster : "district");
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "ccn 0.1");
    }
    r.cr = cairo_create(surface);
    double unit = opt->format == CCN_MAP_PNG ? dpi / 25.4 : pt;
    cairo_scale(r.cr, unit, unit);
    set_rgb(r.cr, C_WHITE);
    cairo_paint(r.cr);
    r.layout = pango_cairo_create_layout(r.cr);
    PangoContext *pc = pango_layout_get_context(r.layout);
    pango_cairo_context_set_resolution(pc, 25.4); /* 1 pt = 25.4/72 mm */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
    pango_cairo_context_set_font_options(pc, fo);
    pango_context_set_round_glyph_positions(pc, FALSE); /* a user unit is a millimetre */
    cairo_font_options_destroy(fo);
    pango_layout_context_changed(r.layout);

    /* The page: title on top, the map frame on the left, a panel on the right. */
    const double margin = 8, title_h = 20, label_room = 5.5;
    double panel_w = fmin(fmax(pw * 0.26, 60), 95);
    page pg = {.store = store, .as_of = res->as_of, .scale = opt->scale};
    r.fx = margin + label_room;
    r.fy = margin + title_h + label_room;
    r.fw = pw - margin - panel_w - 6 - label_room - r.fx;
    r.fh = ph - margin - label_room - r.fy;
    pg.panel = (rect){pw - margin - panel_w, r.fy, panel_w, ph - margin - r.fy};
    if (r.fw < 30 || r.fh < 30) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "paper %g × %g mm leaves no room for the map", pw, ph);
        goto done;
    }
    st = opt->cluster ? cluster_map(&r, store, opt, &pg) : district_map(&r, store, &pg);
    if (st)
        goto done;
    if (r.oom) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    cairo_status_t cs = cairo_status(r.cr); /* cairo's errors are sticky: one check */
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "drawing failed: %s", cairo_status_to_string(cs));
        goto done;
    }
    g_object_unref(r.layout);
    r.layout = NULL;
    cairo_destroy(r.cr);
    r.cr = NULL;
    if (opt->format == CCN_MAP_PNG) {
        errno = 0;
        if ((st = png_write(ctx, surface, dpi, file, opt->path)))
            goto done;
        cs = CAIRO_STATUS_SUCCESS;
    } else {
        cairo_surface_finish(surface);
        cs = cairo_surface_status(surface);
    }
    if (cs != CAIRO_STATUS_SUCCESS) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", opt->path,
                       cairo_status_to_string(cs));
        goto done;
    }
    if (r.svg && (st = svg_add_text(&r, file, opt->path)))
        goto done;
    cairo_surface_destroy(surface); /* it writes no more */
    surface = NULL;
    st = ccn_output_commit(ctx, output);
    output = NULL;
    if (st)
        goto done;
    res->width_mm = pw, res->height_mm = ph, res->scale = r.scale;
    res->frame_x = r.fx, res->frame_y = r.fy, res->frame_w = r.fw, res->frame_h = r.fh;
    res->world_x0 = r.wx0, res->world_y1 = r.wy1, res->mm_per_m = r.k;
    res->labels = r.labels, res->labels_dropped = r.dropped;
done:
    if (r.layout)
        g_object_unref(r.layout);
    if (r.cr)
        cairo_destroy(r.cr);
    if (surface)
        cairo_surface_destroy(surface);
    ccn_output_abort(output);
    for (size_t i = 0; i < r.ntexts; i++)
        free(r.texts[i].text);
    free(r.texts);
    free(r.boxes);
    for (size_t i = 0; i < r.nunplaced; i++)
        free(r.unplaced[i].item);
    free(r.unplaced);
    ccn_palette_free(r.pal);
    return st;
}
