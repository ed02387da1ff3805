/* render_cairo — cairo and pango opened when a command first draws (a map,
 * the report's chart), not when ccn starts (see dynlib.h): with fontconfig,
 * freetype, harfbuzz and pixman behind them they cost every command ~10 ms
 * of CPU before main. One library, pangocairo, brings the others (cairo,
 * pango, GObject, GLib), and every function is looked up through it.
 * Included by render.c and chart.c (it brings cairo's and pango's headers);
 * their calls go through ccn_cairo. */
#ifndef CCN_RENDER_CAIRO_H
#define CCN_RENDER_CAIRO_H

#include "dynlib.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdbool.h>

#define CCN_CAIRO_FUNCTIONS(X) \
    X(cairo_arc) \
    X(cairo_clip) \
    X(cairo_close_path) \
    X(cairo_create) \
    X(cairo_destroy) \
    X(cairo_fill) \
    X(cairo_fill_preserve) \
    X(cairo_font_options_create) \
    X(cairo_font_options_destroy) \
    X(cairo_font_options_set_antialias) \
    X(cairo_font_options_set_hint_metrics) \
    X(cairo_font_options_set_hint_style) \
    X(cairo_image_surface_create) \
    X(cairo_image_surface_get_data) \
    X(cairo_image_surface_get_height) \
    X(cairo_image_surface_get_stride) \
    X(cairo_image_surface_get_width) \
    X(cairo_line_to) \
    X(cairo_move_to) \
    X(cairo_new_path) \
    X(cairo_paint) \
    X(cairo_pdf_surface_create_for_stream) \
    X(cairo_pdf_surface_set_metadata) \
    X(cairo_rectangle) \
    X(cairo_restore) \
    X(cairo_rotate) \
    X(cairo_save) \
    X(cairo_scale) \
    X(cairo_set_dash) \
    X(cairo_set_fill_rule) \
    X(cairo_set_line_join) \
    X(cairo_set_line_width) \
    X(cairo_set_source_rgb) \
    X(cairo_status) \
    X(cairo_status_to_string) \
    X(cairo_stroke) \
    X(cairo_surface_destroy) \
    X(cairo_surface_finish) \
    X(cairo_surface_flush) \
    X(cairo_surface_status) \
    X(cairo_surface_write_to_png_stream) \
    X(cairo_svg_surface_create_for_stream) \
    X(cairo_svg_surface_set_document_unit) \
    X(cairo_translate) \
    X(pango_cairo_context_set_font_options) \
    X(pango_cairo_context_set_resolution) \
    X(pango_cairo_create_layout) \
    X(pango_cairo_layout_path) \
    X(pango_cairo_show_layout) \
    X(pango_cairo_update_layout) \
    X(pango_context_set_round_glyph_positions) \
    X(pango_font_description_free) \
    X(pango_font_description_from_string) \
    X(pango_font_description_set_absolute_size) \
    X(pango_font_description_set_size) \
    X(pango_font_description_set_style) \
    X(pango_font_description_set_weight) \
    X(pango_layout_context_changed) \
    X(pango_layout_get_context) \
    X(pango_layout_get_extents) \
    X(pango_layout_get_iter) \
    X(pango_layout_get_pixel_size) \
    X(pango_layout_get_text) \
    X(pango_layout_iter_free) \
    X(pango_layout_iter_get_baseline) \
    X(pango_layout_iter_get_line_extents) \
    X(pango_layout_iter_get_line_readonly) \
    X(pango_layout_iter_next_line) \
    X(pango_layout_set_alignment) \
    X(pango_layout_set_font_description) \
    X(pango_layout_set_text) \
    X(pango_layout_set_width) \
    X(pango_layout_set_wrap) \
    X(g_free) \
    X(g_utf8_strup) \
    X(g_object_unref)

typedef struct {
    CCN_CAIRO_FUNCTIONS(CCN_DYNLIB_POINTER)
} ccn_cairo_api;

extern ccn_cairo_api ccn_cairo;

/* Open cairo and pango once per process (thread-safe); false with the
 * reason in *why. */
bool ccn_cairo_load(const char **why);

#ifndef CCN_RENDER_CAIRO_IMPL
#define cairo_arc (ccn_cairo.cairo_arc)
#define cairo_clip (ccn_cairo.cairo_clip)
#define cairo_close_path (ccn_cairo.cairo_close_path)
#define cairo_create (ccn_cairo.cairo_create)
#define cairo_destroy (ccn_cairo.cairo_destroy)
#define cairo_fill (ccn_cairo.cairo_fill)
#define cairo_fill_preserve (ccn_cairo.cairo_fill_preserve)
#define cairo_font_options_create (ccn_cairo.cairo_font_options_create)
#define cairo_font_options_destroy (ccn_cairo.cairo_font_options_destroy)
#define cairo_font_options_set_antialias (ccn_cairo.cairo_font_options_set_antialias)
#define cairo_font_options_set_hint_metrics (ccn_cairo.cairo_font_options_set_hint_metrics)
#define cairo_font_options_set_hint_style (ccn_cairo.cairo_font_options_set_hint_style)
#define cairo_image_surface_create (ccn_cairo.cairo_image_surface_create)
#define cairo_image_surface_get_data (ccn_cairo.cairo_image_surface_get_data)
#define cairo_image_surface_get_height (ccn_cairo.cairo_image_surface_get_height)
#define cairo_image_surface_get_stride (ccn_cairo.cairo_image_surface_get_stride)
#define cairo_image_surface_get_width (ccn_cairo.cairo_image_surface_get_width)
#define cairo_line_to (ccn_cairo.cairo_line_to)
#define cairo_move_to (ccn_cairo.cairo_move_to)
#define cairo_new_path (ccn_cairo.cairo_new_path)
#define cairo_paint (ccn_cairo.cairo_paint)
#define cairo_pdf_surface_create_for_stream (ccn_cairo.cairo_pdf_surface_create_for_stream)
#define cairo_pdf_surface_set_metadata (ccn_cairo.cairo_pdf_surface_set_metadata)
#define cairo_rectangle (ccn_cairo.cairo_rectangle)
#define cairo_restore (ccn_cairo.cairo_restore)
#define cairo_rotate (ccn_cairo.cairo_rotate)
#define cairo_save (ccn_cairo.cairo_save)
#define cairo_scale (ccn_cairo.cairo_scale)
#define cairo_set_dash (ccn_cairo.cairo_set_dash)
#define cairo_set_fill_rule (ccn_cairo.cairo_set_fill_rule)
#define cairo_set_line_join (ccn_cairo.cairo_set_line_join)
#define cairo_set_line_width (ccn_cairo.cairo_set_line_width)
#define cairo_set_source_rgb (ccn_cairo.cairo_set_source_rgb)
#define cairo_status (ccn_cairo.cairo_status)
#define cairo_status_to_string (ccn_cairo.cairo_status_to_string)
#define cairo_stroke (ccn_cairo.cairo_stroke)
#define cairo_surface_destroy (ccn_cairo.cairo_surface_destroy)
#define cairo_surface_finish (ccn_cairo.cairo_surface_finish)
#define cairo_surface_flush (ccn_cairo.cairo_surface_flush)
#define cairo_surface_status (ccn_cairo.cairo_surface_status)
#define cairo_surface_write_to_png_stream (ccn_cairo.cairo_surface_write_to_png_stream)
#define cairo_svg_surface_create_for_stream (ccn_cairo.cairo_svg_surface_create_for_stream)
#define cairo_svg_surface_set_document_unit (ccn_cairo.cairo_svg_surface_set_document_unit)
#define cairo_translate (ccn_cairo.cairo_translate)
#define pango_cairo_context_set_font_options (ccn_cairo.pango_cairo_context_set_font_options)
#define pango_cairo_context_set_resolution (ccn_cairo.pango_cairo_context_set_resolution)
#define pango_cairo_create_layout (ccn_cairo.pango_cairo_create_layout)
#define pango_cairo_layout_path (ccn_cairo.pango_cairo_layout_path)
#define pango_cairo_show_layout (ccn_cairo.pango_cairo_show_layout)
#define pango_cairo_update_layout (ccn_cairo.pango_cairo_update_layout)
#define pango_context_set_round_glyph_positions (ccn_cairo.pango_context_set_round_glyph_positions)
#define pango_font_description_free (ccn_cairo.pango_font_description_free)
#define pango_font_description_from_string (ccn_cairo.pango_font_description_from_string)
#define pango_font_description_set_absolute_size (ccn_cairo.pango_font_description_set_absolute_size)
#define pango_font_description_set_size (ccn_cairo.pango_font_description_set_size)
#define pango_font_description_set_style (ccn_cairo.pango_font_description_set_style)
#define pango_font_description_set_weight (ccn_cairo.pango_font_description_set_weight)
#define pango_layout_context_changed (ccn_cairo.pango_layout_context_changed)
#define pango_layout_get_context (ccn_cairo.pango_layout_get_context)
#define pango_layout_get_extents (ccn_cairo.pango_layout_get_extents)
#define pango_layout_get_iter (ccn_cairo.pango_layout_get_iter)
#define pango_layout_get_pixel_size (ccn_cairo.pango_layout_get_pixel_size)
#define pango_layout_get_text (ccn_cairo.pango_layout_get_text)
#define pango_layout_iter_free (ccn_cairo.pango_layout_iter_free)
#define pango_layout_iter_get_baseline (ccn_cairo.pango_layout_iter_get_baseline)
#define pango_layout_iter_get_line_extents (ccn_cairo.pango_layout_iter_get_line_extents)
#define pango_layout_iter_get_line_readonly (ccn_cairo.pango_layout_iter_get_line_readonly)
#define pango_layout_iter_next_line (ccn_cairo.pango_layout_iter_next_line)
#define pango_layout_set_alignment (ccn_cairo.pango_layout_set_alignment)
#define pango_layout_set_font_description (ccn_cairo.pango_layout_set_font_description)
#define pango_layout_set_text (ccn_cairo.pango_layout_set_text)
#define pango_layout_set_width (ccn_cairo.pango_layout_set_width)
#define pango_layout_set_wrap (ccn_cairo.pango_layout_set_wrap)
#define g_free (ccn_cairo.g_free)
#define g_utf8_strup (ccn_cairo.g_utf8_strup)
#define g_object_unref (ccn_cairo.g_object_unref)
#endif

#endif
