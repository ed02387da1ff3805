/* chart: the quarterly chart read back with cairo. The legend names only the
 * series that have a figure, a key has its series' colour, and a target's
 * name sits on a white box over the lines that cross it. Positions are
 * chart.c's layout at 1800 × 1000 px:
 * plot from x 150 to 1470, y 110 (100 %) to 880 (0 %), so a value v is at
 * y = 880 - 7.7 v; legend entry k (from 1) at y = 130 + 50 k + 60, its key
 * from x 1500 to 1540; a target t's name centred at y = 880 - 7.7 t - 20,
 * starting at x 164. */
#include "check.h"
#include "chart.h"
#include "ctx.h"

#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

static uint32_t pixel(cairo_surface_t *png, int x, int y)
{
    uint32_t v;
    memcpy(&v, cairo_image_surface_get_data(png) + (size_t)y * (size_t)cairo_image_surface_get_stride(png) + 4 * (size_t)x, 4);
    return v & 0xFFFFFF;
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    CHECK(ctx != NULL);
    /* A: a flat line through the middle of the 30 % target's name
     * (y = 629: v = (880 - 629) / 7.7); B: no figure at all (TTH, no lots). */
    double a[4], b[4];
    for (int i = 0; i < 4; i++)
        a[i] = (880.0 - 629.0) / 7.7, b[i] = NAN;
    const char *quarters[] = {"2024", NULL, NULL, "2025"};
    const ccn_chart_series series[] = {{"DL3", a, 0x0072B2}, {"TTH", b, 0xE69F00}};
    const double targets[] = {30};
    const char *names[] = {"Mục tiêu cụm mới 30 %"};
    ccn_chart chart = {.title = "Tỷ lệ lấp đầy", .categories = quarters, .ncategories = 4,
                       .series = series, .nseries = 2, .targets = targets,
                       .target_names = names, .ntargets = 1, .y_max = 100};
    char path[] = "/tmp/ccn-test-chart-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0)
        close(fd);
    CHECK(ccn_chart_png(ctx, &chart, path) == CCN_OK);
    cairo_surface_t *png = cairo_image_surface_create_from_png(path);
    CHECK(cairo_surface_status(png) == CAIRO_STATUS_SUCCESS);
    if (cairo_surface_status(png) == CAIRO_STATUS_SUCCESS) {
        CHECK(pixel(png, 1520, 240) == 0x0072B2); /* entry 1: DL3's key, in its colour */
        CHECK(pixel(png, 1520, 290) == 0xFFFFFF); /* entry 2 empty: TTH has no line */
        CHECK(pixel(png, 700, 629) != 0xFFFFFF);  /* DL3's line, clear of the name */
        CHECK(pixel(png, 160, 629) == 0xFFFFFF);  /* the name's box, over the line */
    }
    cairo_surface_destroy(png);
    unlink(path);
    ccn_ctx_free(ctx);
    return check_summary();
}
