/* chart — a line chart drawn with cairo, text laid out with pango. */
#include "chart.h"

#include "output.h"
#include "outtext.h"

#include <cairo.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "render_cairo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Text at (x, y); align 0 left, 0.5 centred, 1 right of x; vertically centred on y.
 * boxed: on a white box a quarter of the size wider each side, over the lines. */
static void text(cairo_t *cr, const char *s, double x, double y, double size, double align,
                 bool bold, bool boxed)
{
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *f = pango_font_description_from_string("Noto Sans");
    pango_font_description_set_absolute_size(f, size * PANGO_SCALE);
    if (bold)
        pango_font_description_set_weight(f, PANGO_WEIGHT_BOLD);
    pango_layout_set_font_description(l, f);
    char *fixed = NULL; /* names come from data: pango wants valid UTF-8 */
    const char *valid = ccn_outtext_utf8(s, &fixed);
    pango_layout_set_text(l, valid ? valid : "", -1);
    free(fixed);
    int w, h;
    pango_layout_get_pixel_size(l, &w, &h);
    if (boxed) {
        cairo_save(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_rectangle(cr, x - align * w - size / 4, y - h / 2.0, w + size / 2, h);
        cairo_fill(cr);
        cairo_restore(cr);
    }
    cairo_move_to(cr, x - align * w, y - h / 2.0);
    pango_cairo_show_layout(cr, l);
    pango_font_description_free(f);
    g_object_unref(l);
}

static cairo_status_t write_png(void *closure, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, closure) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

ccn_status ccn_chart_png(ccn_ctx *ctx, const ccn_chart *c, const char *path)
{
    const char *why = NULL;
    if (!ccn_cairo_load(&why))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why);
    int W = c->width_px > 0 ? c->width_px : 1800, H = c->height_px > 0 ? c->height_px : 1000;
    double u = W / 1800.0; /* sizes are set for 1800 px wide */
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    double left = 150 * u, right = W - 330 * u, top = 110 * u, bottom = H - 120 * u;
    double ymax = c->y_max > 0 ? c->y_max : 100;
    size_t n = c->ncategories;
    double step = n > 1 ? (right - left) / (double)(n - 1) : 0;
#define X(i) (left + step * (double)(i))
#define Y(v) (bottom - (bottom - top) * (v) / ymax)

    cairo_set_source_rgb(cr, 0, 0, 0);
    if (c->title)
        text(cr, c->title, W / 2.0, 50 * u, 38 * u, 0.5, true, false);
    /* grid and y axis every tenth of the range */
    for (int k = 0; k <= 10; k++) {
        double v = ymax * k / 10, y = Y(v);
        cairo_set_source_rgb(cr, 0.85, 0.85, 0.85);
        cairo_set_line_width(cr, 1.5 * u);
        cairo_move_to(cr, left, y);
        cairo_line_to(cr, right, y);
        cairo_stroke(cr);
        char label[32];
        snprintf(label, sizeof label, "%g", v);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, label, left - 14 * u, y, 26 * u, 1, false, false);
    }
    if (c->y_label) {
        cairo_save(cr);
        cairo_translate(cr, 40 * u, (top + bottom) / 2);
        cairo_rotate(cr, -M_PI / 2);
        text(cr, c->y_label, 0, 0, 28 * u, 0.5, false, false);
        cairo_restore(cr);
    }
    cairo_set_line_width(cr, 2.5 * u);
    cairo_move_to(cr, left, top);
    cairo_line_to(cr, left, bottom);
    cairo_line_to(cr, right, bottom);
    cairo_stroke(cr);
    for (size_t i = 0; i < n; i++) {
        if (!c->categories[i])
            continue;
        cairo_move_to(cr, X(i), bottom);
        cairo_line_to(cr, X(i), bottom + 10 * u);
        cairo_stroke(cr);
        text(cr, c->categories[i], X(i), bottom + 40 * u, 26 * u, 0.5, false, false);
    }
    /* targets: dashed lines under the series, their names over them (below) */
    double legend_y = top + 20 * u;
    for (size_t t = 0; t < c->ntargets; t++) {
        double dash[] = {18 * u, 10 * u};
        cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
        cairo_set_dash(cr, dash, 2, 0);
        cairo_set_line_width(cr, 3 * u);
        cairo_move_to(cr, left, Y(c->targets[t]));
        cairo_line_to(cr, right, Y(c->targets[t]));
        cairo_stroke(cr);
        cairo_set_dash(cr, NULL, 0, 0);
    }
    /* the lines, with a dot at each figure; the legend names those that
     * have a figure (a cluster without industrial lots has no line) */
    size_t listed = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        uint32_t rgb = c->series[s].rgb;
        cairo_set_source_rgb(cr, (rgb >> 16 & 255) / 255.0, (rgb >> 8 & 255) / 255.0,
                             (rgb & 255) / 255.0);
        cairo_set_line_width(cr, 4 * u);
        bool open = false;
        for (size_t i = 0; i < n; i++) {
            double v = c->series[s].values[i];
            if (isnan(v)) {
                open = false;
                continue;
            }
            v = v < 0 ? 0 : v > ymax ? ymax : v;
            if (open)
                cairo_line_to(cr, X(i), Y(v));
            else
                cairo_move_to(cr, X(i), Y(v));
            open = true;
        }
        cairo_stroke(cr);
        for (size_t i = 0; i < n; i++) {
            double v = c->series[s].values[i];
            if (isnan(v))
                continue;
            v = v < 0 ? 0 : v > ymax ? ymax : v;
            cairo_arc(cr, X(i), Y(v), 5 * u, 0, 2 * M_PI);
            cairo_fill(cr);
        }
        bool drawn = false;
        for (size_t i = 0; i < n && !drawn; i++)
            drawn = !isnan(c->series[s].values[i]);
        if (!drawn)
            continue;
        double ly = legend_y + 50 * u * (double)(++listed) + 60 * u;
        cairo_rectangle(cr, right + 30 * u, ly - 4 * u, 40 * u, 8 * u);
        cairo_fill(cr);
        cairo_set_source_rgb(cr, 0, 0, 0);
        text(cr, c->series[s].name ? c->series[s].name : "", right + 80 * u, ly, 26 * u, 0, false,
             false);
    }
    /* the targets' names, readable where the lines cross them */
    cairo_set_source_rgb(cr, 0.75, 0.1, 0.1);
    for (size_t t = 0; t < c->ntargets; t++)
        if (c->target_names && c->target_names[t])
            text(cr, c->target_names[t], left + 14 * u, Y(c->targets[t]) - 20 * u, 24 * u, 0,
                 false, true);
#undef X
#undef Y
    cairo_destroy(cr);
    ccn_output *out = NULL; /* the file appears whole when complete (output.h) */
    ccn_status st = ccn_output_open(ctx, path, &out);
    if (!st && (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS ||
                cairo_surface_write_to_png_stream(surf, write_png, ccn_output_stream(out)) !=
                    CAIRO_STATUS_SUCCESS)) {
        ccn_output_abort(out);
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write the chart '%s'", path);
    } else if (!st) {
        st = ccn_output_commit(ctx, out);
    }
    cairo_surface_destroy(surf);
    return st;
}
