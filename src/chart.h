/* chart — a small line chart as a PNG (cairo and pango), for the report
 * document: figures along categories (the quarters), one line per series
 * (a cluster), dashed horizontal lines for targets, axes, a legend.
 *
 * Ownership: nothing is kept; the PNG is written under a temporary name
 * and renamed into place. */
#ifndef CCN_CHART_H
#define CCN_CHART_H

#include "ctx.h"

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;     /* in the legend */
    const double *values; /* one per category; NaN: no figure (a gap) */
    uint32_t rgb;         /* the line's colour, 0xRRGGBB (the palette's chart.N) */
} ccn_chart_series;

typedef struct {
    const char *title;
    const char *y_label;            /* e.g. "Tỷ lệ lấp đầy (%)" */
    const char *const *categories;  /* x labels; NULL entries are not written */
    size_t ncategories;
    const ccn_chart_series *series;
    size_t nseries;
    const double *targets;          /* horizontal reference lines */
    const char *const *target_names;
    size_t ntargets;
    double y_max;                   /* the top of the y axis */
    int width_px, height_px;        /* 0: 1800 × 1000 */
} ccn_chart;

ccn_status ccn_chart_png(ccn_ctx *ctx, const ccn_chart *c, const char *path);

#endif
