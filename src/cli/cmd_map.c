/* ccn map — a printed map of one cluster or of the whole district. */
#include "cli.h"
#include "i18n.h"

#include "../render.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const char help[] =
    N_("Usage: ccn map WORKSPACE (--cluster CODE | --district) -o OUT.png|svg|pdf\n"
    "               [--as-of DATE] [--with plan|parcels] [--size a4|a3|a4-portrait|WxH]\n"
    "               [--dpi N] [--scale N] [-q]\n\n"
    "Draw a map for meetings and dossiers. A cluster map shows the boundary, the lots\n"
    "coloured by lease status on the as-of date (leased / vacant / other uses) with their\n"
    "numbers, a legend, a scale bar, a north arrow, VN-2000 grid ticks, the occupancy\n"
    "against its target and the source. The district map shows every cluster over the\n"
    "communes, each labelled with its occupancy. PNG is a raster; PDF and SVG are in\n"
    "true paper units with text kept as text. Colours and legend texts come from\n"
    "gis/palette.csv; a label with no room is numbered and listed beside the map.\n\n"
    "  --cluster CODE    the map of this cluster\n"
    "  --district        the map of all clusters\n"
    "  -o, --output OUT  the file: .png, .svg or .pdf\n"
    "  --as-of DATE      the date of the lease status, YYYY-MM-DD or\n"
    "                    dd/mm/yyyy (default: today)\n"
    "  --with plan       the plan zones under the lots in their planning colours, and\n"
    "                    protected land (LUC, LUK, RPH, RDD) hatched on top (cluster map)\n"
    "  --with parcels    the cadastral parcels under the lots, and the parcels the\n"
    "                    cluster takes outlined on top with their sheet/parcel numbers\n"
    "  --size S          paper: a4 (landscape, default), a3, a4-portrait, a3-portrait,\n"
    "                    or WxH in millimetres (e.g. 500x350)\n"
    "  --dpi N           PNG resolution (default 300: A4 is 3508 x 2480 pixels)\n"
    "  --scale N         draw at 1:N (default: the largest of 1:500, 1:1000, 1:2000,\n"
    "                    1:5000, 1:10000, 1:25000, 1:50000, 1:100000 that fits)\n"
    "  -q, --quiet       no summary line\n");

int cmd_map(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cluster", required_argument, NULL, 'c'}, {"district", no_argument, NULL, 'D'},
        {"output", required_argument, NULL, 'o'},  {"as-of", required_argument, NULL, 'd'},
        {"with", required_argument, NULL, 'w'},    {"size", required_argument, NULL, 's'},
        {"dpi", required_argument, NULL, 'r'},     {"quiet", no_argument, NULL, 'q'},
        {"scale", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    ccn_map_options o = {0};
    bool district = false, quiet = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'c': o.cluster = optarg; break;
        case 'D': district = true; break;
        case 'o': o.path = optarg; break;
        case 'd':
            o.as_of = optarg;
            if (!cli_date("map", "--as-of", &o.as_of, true))
                return CCN_ERR_INPUT;
            break;
        case 'w':
            if (!strcmp(optarg, "plan"))
                o.with = CCN_MAP_WITH_PLAN;
            else if (!strcmp(optarg, "parcels"))
                o.with = CCN_MAP_WITH_PARCELS;
            else
                return cli_usage_error("map", "--with '%s': expected plan or parcels", optarg);
            break;
        case 's':
            if (!ccn_render_parse_size(optarg, &o.width_mm, &o.height_mm))
                return cli_usage_error("map", "--size '%s': expected a4, a3, a4-portrait, "
                                              "a3-portrait or WxH in mm (50-2000 each)", optarg);
            break;
        case 'r': {
            char *end = NULL;
            o.dpi = strtod(optarg, &end);
            if (end == optarg || *end || !(o.dpi >= 30 && o.dpi <= 1200))
                return cli_usage_error("map", "--dpi '%s': expected a number from 30 to 1200",
                                       optarg);
            break;
        }
        case 'S': {
            char *end = NULL;
            const char *v = strncmp(optarg, "1:", 2) == 0 ? optarg + 2 : optarg;
            o.scale = strtod(v, &end);
            if (end == v || *end || !(o.scale >= 100 && o.scale <= 10000000))
                return cli_usage_error("map", "--scale '%s': expected N or 1:N, N from 100 "
                                              "to 10000000", optarg);
            break;
        }
        case 'q': quiet = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("map");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("map", "expected one WORKSPACE");
    if (!o.cluster == !district)
        return cli_usage_error("map", "give either --cluster CODE or --district");
    if (!o.path)
        return cli_usage_error("map", "-o OUT.png|svg|pdf is required");
    if (!ccn_render_format_from_path(o.path, &o.format)) {
        const char *dot = strrchr(o.path, '.');
        if (dot && (!strcasecmp(dot, ".geojson") || !strcasecmp(dot, ".gpkg") ||
                    !strcasecmp(dot, ".shp")))
            return cli_usage_error("map", "'%s': layers are written by 'ccn export'; a map is "
                                          ".png, .svg or .pdf", o.path);
        return cli_usage_error("map", "'%s': the map must end in .png, .svg or .pdf", o.path);
    }
    if (o.with != CCN_MAP_WITH_NONE && district)
        return cli_usage_error("map", "--with is for a cluster map");

    ccn_ctx *ctx = cli_ctx(quiet);
    ccn_store *store = NULL;
    char code[64];
    int rc = cli_open(ctx, "map", argv[optind], &store);
    if (!rc)
        rc = cli_cluster(ctx, "map", store, &o.cluster, code, sizeof code);
    if (!rc) {
        ccn_map_result res;
        struct stat sb; /* a file there before is said to be replaced, as export says it */
        bool existed = stat(o.path, &sb) == 0 && S_ISREG(sb.st_mode);
        ccn_status st = ccn_render_map(store, &o, &res);
        if (st) {
            rc = cli_fail(ctx, "map", st);
        } else {
            cli_warnings(ctx, "map");
            if (!quiet) {
                if (district)
                    printf(_("%s: district map, %g x %g mm"), o.path, res.width_mm, res.height_mm);
                else
                    printf(_("%s: %s map, %g x %g mm"), o.path, o.cluster, res.width_mm,
                           res.height_mm);
                if (res.width_px)
                    printf(" (%d x %d px)", res.width_px, res.height_px);
                printf(_(", scale 1:%.0f, as of %s, %d labels"), res.scale, res.as_of, res.labels);
                if (res.labels_dropped)
                    printf(_(" (%d left out for lack of room)"), res.labels_dropped);
                if (existed)
                    fputs(_("; the file that was there is replaced"), stdout);
                putchar('\n');
            }
        }
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
