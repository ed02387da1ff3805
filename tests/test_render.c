/* render: the maps of the hand-made fixture (tests/export_fixture.sh), read
 * back with cairo. A PNG has the requested size, is not blank, and shows the
 * legend's colours where the fixture's lots are: a point of a lot is mapped
 * to its pixel with the transform the renderer reports, and the point is
 * chosen ≥ 30 m from every lot edge, grid crossing and label. */
#include "check.h"
#include "export_ws.h"
#include "admin.h"
#include "render.h"
#include "report.h"

#include <cairo.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cairo_surface_t *png;
static const ccn_map_result *map;
static double dpi;

/* The pixel under workspace point (x, y) as 0xRRGGBB. */
static uint32_t at_world(double x, double y)
{
    double px = (map->frame_x + (x - map->world_x0) * map->mm_per_m) * dpi / 25.4;
    double py = (map->frame_y + (map->world_y1 - y) * map->mm_per_m) * dpi / 25.4;
    int ix = (int)px, iy = (int)py;
    if (ix < 0 || iy < 0 || ix >= cairo_image_surface_get_width(png) ||
        iy >= cairo_image_surface_get_height(png))
        return 0xFFFFFFFFu;
    const unsigned char *row =
        cairo_image_surface_get_data(png) + (size_t)iy * (size_t)cairo_image_surface_get_stride(png);
    uint32_t v;
    memcpy(&v, row + 4 * ix, 4);
    return v & 0xFFFFFF;
}

/* Share of pixels that are not white, and of dark ones in a band (mm). */
static double ink(double y0_mm, double y1_mm, int dark)
{
    int w = cairo_image_surface_get_width(png), h = cairo_image_surface_get_height(png);
    int stride = cairo_image_surface_get_stride(png);
    int r0 = (int)(y0_mm * dpi / 25.4), r1 = (int)(y1_mm * dpi / 25.4);
    if (r1 > h)
        r1 = h;
    long n = 0, total = 0;
    for (int y = r0; y < r1; y++)
        for (int x = 0; x < w; x++) {
            uint32_t v;
            memcpy(&v, cairo_image_surface_get_data(png) + (size_t)y * (size_t)stride + 4 * x, 4);
            int r = v >> 16 & 255, g = v >> 8 & 255, b = v & 255;
            n += dark ? (r + g + b < 3 * 90) : ((v & 0xFFFFFF) != 0xFFFFFF);
            total++;
        }
    return total ? (double)n / (double)total : 0;
}

static bool load(const char *path)
{
    if (png)
        cairo_surface_destroy(png);
    png = cairo_image_surface_create_from_png(path);
    return cairo_surface_status(png) == CAIRO_STATUS_SUCCESS;
}

#define CHECK_RGB(x, y, want)                                                                    \
    do {                                                                                         \
        uint32_t got_ = at_world(x, y);                                                          \
        if (got_ == (uint32_t)(want))                                                            \
            check_passed++;                                                                      \
        else {                                                                                   \
            check_failed++;                                                                      \
            fprintf(stderr, "%s:%d: pixel at (%g, %g) is #%06x, expected #%06x\n", __FILE__,     \
                    __LINE__, (double)(x), (double)(y), got_, (unsigned)(want));                 \
        }                                                                                        \
    } while (0)

/* The legend's colours (render.c; the legend names each one). */
enum {
    LEASED = 0xd7301f, VACANT = 0xfdd49e, SERVICE = 0x9ecae1, GREEN = 0xa1d99b, ROAD = 0xd9d9d9,
    WHITE = 0xffffff, OCC_30_60 = 0xfcae91, OCC_0_30 = 0xfee5d9, COMMUNE = 0xf4f1ea,
    LUC_PLAN = 0xfffc8c, /* gis/palette.csv: landuse.LUC */
};

/* The pixel at the centre of the legend swatch of key, or 0xFFFFFFFF. */
static uint32_t swatch(const char *key)
{
    for (int i = 0; i < map->nlegend; i++)
        if (!strcmp(map->legend[i].key, key)) {
            const ccn_map_swatch *s = &map->legend[i];
            int ix = (int)((s->x + s->w / 2) * dpi / 25.4), iy = (int)((s->y + s->h / 2) * dpi / 25.4);
            uint32_t v;
            memcpy(&v, cairo_image_surface_get_data(png) +
                           (size_t)iy * (size_t)cairo_image_surface_get_stride(png) + 4 * ix, 4);
            return v & 0xFFFFFF;
        }
    return 0xFFFFFFFFu;
}

/* The colour data.js gives key on the published page ("key": {"color": "#RRGGBB"). */
static uint32_t web_colour(const char *dir, const char *key)
{
    char path[256], *text = NULL, pat[96];
    snprintf(path, sizeof path, "%s/data.js", dir);
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f) {
        text = calloc(1, 1 << 22);
        n = text ? fread(text, 1, (1 << 22) - 1, f) : 0;
        fclose(f);
    }
    snprintf(pat, sizeof pat, "\"%s\": {\"color\": \"#", key);
    const char *at = n ? strstr(text, pat) : NULL;
    uint32_t v = at ? (uint32_t)strtoul(at + strlen(pat), NULL, 16) : 0xFFFFFFFFu;
    free(text);
    return v;
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    char ws[64], out[80];
    long pid = (long)getpid();
    snprintf(ws, sizeof ws, "/tmp/ccn_test_render_%ld.sqlite", pid);
    ccn_store *store = export_ws(ctx, ws);
    CHECK(store != NULL);
    if (!store)
        return check_summary();

    /* Paper sizes and formats. */
    double w, h;
    CHECK(ccn_render_parse_size("a4", &w, &h) && w == 297 && h == 210);
    CHECK(ccn_render_parse_size("A4-portrait", &w, &h) && w == 210 && h == 297);
    CHECK(ccn_render_parse_size("a3", &w, &h) && w == 420 && h == 297);
    CHECK(ccn_render_parse_size("500x350", &w, &h) && w == 500 && h == 350);
    CHECK(!ccn_render_parse_size("10x10", &w, &h));
    CHECK(!ccn_render_parse_size("300x", &w, &h));
    CHECK(!ccn_render_parse_size("letter", &w, &h));
    ccn_map_format f;
    CHECK(ccn_render_format_from_path("m.PDF", &f) && f == CCN_MAP_PDF);
    CHECK(!ccn_render_format_from_path("m.geojson", &f));

    /* HT on 2024-06-30, A4 landscape at 300 dpi. */
    snprintf(out, sizeof out, "/tmp/ccn_test_render_%ld.png", pid);
    ccn_map_options o = {.path = out, .format = CCN_MAP_PNG, .cluster = "HT",
                         .as_of = "2024-06-30"};
    ccn_map_result res;
    CHECK(ccn_render_map(store, &o, &res) == CCN_OK);
    map = &res;
    dpi = 300;
    CHECK(res.width_px == 3508 && res.height_px == 2480); /* 297 and 210 mm at 300 dpi */
    CHECK(load(out));
    CHECK(cairo_image_surface_get_width(png) == 3508);
    CHECK(cairo_image_surface_get_height(png) == 2480);
    CHECK(res.labels_dropped == 0);
    CHECK(res.labels == 9); /* the nine lot numbers */
    /* The largest standard scale that holds 880 m × 962.5 m (800 × 875 m + 5 %
     * a side) in the 186.8 × 163 mm frame: 962.5 m / 163 mm = 1:5 905, so
     * not 1:5 000 but 1:10 000. */
    CHECK(res.scale == 10000);
    CHECK_NEAR(res.mm_per_m, 1000.0 / 10000.0, 1e-12);
    /* One palette: the legend's leased swatch is the colour the web page
     * gives a leased lot (data.js, written by ccn publish from the same
     * workspace), and the colour of the leased lots on the map. */
    char site[96];
    snprintf(site, sizeof site, "/tmp/ccn_test_render_site_%ld", pid);
    CHECK(ccn_report_publish(store, site, "2024-06-30", NULL) == CCN_OK);
    uint32_t web_leased = web_colour(site, "lot.leased");
    CHECK(web_leased == LEASED);
    CHECK(swatch("lot.leased") == web_leased);
    CHECK(swatch("lot.vacant") == web_colour(site, "lot.vacant"));
    /* HT's lots cover it all (SpatiaLite: HT less the union of its lots is
     * empty): no key to bare ground; the page gives it the palette's colour. */
    CHECK(swatch("cluster.unleased") == 0xFFFFFFFFu);
    CHECK(web_colour(site, "cluster.unleased") == 0xF7F4F9); /* gis/palette.csv */
    char rm[160];
    snprintf(rm, sizeof rm, "rm -rf %s", site);
    CHECK(system(rm) == 0);
    /* Lots 200 m wide: points 50 m inside their south-west corners, 105 m
     * up (labels sit at the centres, 210 m up; grid crossings every 200 m). */
    CHECK_RGB(561050, 2189105, LEASED);  /* CN-01, running since 2022 */
    CHECK_RGB(561250, 2189105, LEASED);  /* CN-02 */
    CHECK_RGB(561450, 2189105, VACANT);  /* CN-03, ended 2023-12-31 */
    CHECK_RGB(561650, 2189105, VACANT);  /* CN-04, never leased */
    CHECK_RGB(561050, 2189560, VACANT);  /* CN-05, leased from 2024-07-01 */
    CHECK_RGB(561450, 2189560, SERVICE); /* DV-01 */
    CHECK_RGB(561650, 2189560, GREEN);   /* CX-01 */
    CHECK_RGB(561700, 2189437, ROAD);    /* GT-01, 420–455 m up */
    CHECK_RGB(560920, 2189700, WHITE);   /* outside the cluster, no plan drawn */
    double any = ink(0, 210, 0), title = ink(8, 18, 1);
    CHECK(any > 0.1 && any < 0.9); /* not blank, not a flood */
    if (!(any > 0.1 && any < 0.9))
        fprintf(stderr, "ink share %g\n", any);
    CHECK(title > 0.01);           /* the title's dark letters */

    /* A day later CN-05 is leased. */
    o.as_of = "2024-07-01";
    CHECK(ccn_render_map(store, &o, &res) == CCN_OK && load(out));
    CHECK_RGB(561050, 2189560, LEASED);
    CHECK_RGB(561450, 2189105, VACANT);

    /* Plan zones underneath: LUC west of the cluster, in its planning colour,
     * hatched as protected land, and the hatch in the legend. */
    o.with = CCN_MAP_WITH_PLAN;
    CHECK(ccn_render_map(store, &o, &res) == CCN_OK && load(out));
    CHECK(swatch("landuse.LUC") == LUC_PLAN);
    CHECK(swatch("protected") != 0xFFFFFFFFu);
    int luc = 0, hatch = 0; /* a 40 m square of the LUC zone: its colour and hatch lines */
    for (double x = 560900; x < 560940; x += 1)
        for (double y = 2189080; y < 2189120; y += 1) {
            uint32_t v = at_world(x, y);
            luc += v == LUC_PLAN, hatch += v == 0xC51B7D; /* gis/palette.csv: protected */
        }
    CHECK(luc > 400 && hatch > 40);
    CHECK_RGB(561050, 2189105, LEASED); /* lots stay under the hatch, visible */
    o.with = CCN_MAP_WITH_NONE;

    /* --scale: drawn at 1:5 000 as asked (the edges cut, with a warning). */
    o.scale = 5000;
    CHECK(ccn_render_map(store, &o, &res) == CCN_OK && res.scale == 5000);
    CHECK_NEAR(res.mm_per_m, 0.2, 1e-12);
    CHECK(ccn_ctx_warning_count(ctx) >= 1);
    ccn_ctx_clear_warnings(ctx);
    o.scale = 50;
    CHECK(ccn_render_map(store, &o, &res) == CCN_ERR_INPUT);
    o.scale = 0;

    /* Administrative names by date (gis/communes.csv, district.csv): Hợp
     * Thắng (15688) merged into Hợp Tiến (15682) on 1 July 2025. */
    char *name = NULL, *group = NULL, *area = NULL;
    CHECK(ccn_admin_commune(store, "15688", "Hợp Thắng", "2025-06-30", &name, &group) == CCN_OK);
    CHECK_STR(name, "Hợp Thắng");
    CHECK_STR(group, "15688");
    free(name), free(group);
    CHECK(ccn_admin_commune(store, "15688", "Hợp Thắng", "2025-07-01", &name, &group) == CCN_OK);
    CHECK_STR(name, "Hợp Tiến");
    CHECK_STR(group, "15682");
    free(name), free(group);
    CHECK(ccn_admin_commune(store, "99999", "Xã lạ", "2026-01-01", &name, NULL) == CCN_OK);
    CHECK_STR(name, "Xã lạ"); /* not in the registry: its own name */
    free(name);
    CHECK_STR((area = ccn_admin_area(store, "2025-06-30")), "địa bàn huyện Triệu Sơn");
    free(area);
    CHECK_STR((area = ccn_admin_area(store, "2025-07-01")), "địa bàn huyện Triệu Sơn cũ");
    free(area);
    CHECK(!ccn_admin_reformed(store, "2025-06-30") && ccn_admin_reformed(store, "2026-12-04"));

    /* Another size and resolution. */
    o.width_mm = 200, o.height_mm = 150, o.dpi = 100;
    CHECK(ccn_render_map(store, &o, &res) == CCN_OK && load(out));
    dpi = 100;
    CHECK(cairo_image_surface_get_width(png) == 787);  /* 200 / 25.4 × 100 = 787.4 */
    CHECK(cairo_image_surface_get_height(png) == 591); /* 150 / 25.4 × 100 = 590.6 */
    CHECK_RGB(561050, 2189105, LEASED);

    /* The district map on 2024-07-01: HT at 50 % (class 30–60 %), NUA at 0 %. */
    ccn_map_options d = {.path = out, .format = CCN_MAP_PNG, .as_of = "2024-07-01", .dpi = 300};
    CHECK(ccn_render_map(store, &d, &res) == CCN_OK && load(out));
    dpi = 300;
    CHECK(res.labels_dropped == 0);
    CHECK(res.labels == 4); /* two clusters, two communes */
    CHECK_RGB(561150, 2189150, OCC_30_60);
    CHECK_RGB(561650, 2189150, OCC_30_60);
    CHECK_RGB(564900, 2183400, OCC_0_30);
    CHECK_RGB(566500, 2182000, COMMUNE); /* the south commune, far from any label */

    /* PDF and SVG are written too, in paper units. */
    snprintf(out, sizeof out, "/tmp/ccn_test_render_%ld.svg", pid);
    o = (ccn_map_options){.path = out, .format = CCN_MAP_SVG, .cluster = "HT", .as_of = "2024-06-30"};
    CHECK(ccn_render_map(store, &o, &res) == CCN_OK);
    FILE *fp = fopen(out, "r");
    char head[600] = "";
    if (fp) {
        size_t n = fread(head, 1, sizeof head - 1, fp);
        head[n] = '\0';
        fclose(fp);
    }
    CHECK(strstr(head, "width=\"841.889764pt\" height=\"595.275591pt\"") != NULL);
    unlink(out);

    /* Bad input. */
    o.cluster = "XX";
    CHECK(ccn_render_map(store, &o, &res) == CCN_ERR_INPUT);
    o.cluster = "DL3"; /* in the registry, nothing imported */
    CHECK(ccn_render_map(store, &o, &res) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "nothing to draw") != NULL);
    CHECK(access(out, F_OK) != 0);
    o.cluster = "HT";
    o.path = "/nonexistent-dir/m.svg";
    CHECK(ccn_render_map(store, &o, &res) == CCN_ERR_INPUT);

    snprintf(out, sizeof out, "/tmp/ccn_test_render_%ld.png", pid);
    unlink(out);
    cairo_surface_destroy(png);
    ccn_store_close(store);
    unlink(ws);
    ccn_ctx_free(ctx);
    return check_summary();
}
