/* ccn areas — the area of each cluster against its planned area. */
#include "cli.h"
#include "i18n.h"

#include "../area.h"

#include <string.h>

static const char help[] =
    N_("Usage: ccn areas WORKSPACE [--by cluster|use] [--format table|csv|json] [-o FILE] [-q]\n\n"
    "--by cluster (default): one row a cluster,\n"
    "  code,name,status,planned_ha,area_m2,area_ha,ellipsoidal_m2,deviation_pct\n"
    "  area_m2        planar area in the workspace CRS (VN-2000 / TM-3): the legal figure\n"
    "  ellipsoidal_m2 geodesic area on the WGS 84 ellipsoid (PROJ geod_polygonarea)\n"
    "  deviation_pct  (area - planned) / planned x 100\n"
    "--by use: the land-use structure of each cluster from its lots,\n"
    "  cluster,use,area_m2,share_pct for industrial, service, green, utility, road\n"
    "  and none (the part of the cluster covered by no lot)\n\n"
    "  --format FMT       table (default on a terminal), csv or json\n"
    "  -o, --output FILE  write the report to FILE\n"
    "  -q, --quiet        no progress bar, no note on stderr\n");

int cmd_areas(int argc, char **argv)
{
    static const struct option longopts[] = {{"by", required_argument, NULL, 'b'},
                                             {"help", no_argument, NULL, 'h'},
                                             CLI_REPORT_OPTIONS,
                                             {NULL, 0, NULL, 0}};
    cli_report rep = {0};
    bool by_use = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 'b':
            if (strcmp(optarg, "cluster") != 0 && strcmp(optarg, "use") != 0)
                return cli_usage_error("areas", "--by '%s': expected cluster or use", optarg);
            by_use = strcmp(optarg, "use") == 0;
            break;
        case 'h': fputs(_(help), stdout); return 0;
        default:
            if (!cli_report_option("areas", &rep, opt, optarg))
                return cli_bad_option("areas");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("areas", "expected one WORKSPACE argument");
    ccn_ctx *ctx = cli_ctx(rep.quiet);
    ccn_store *store = NULL;
    ccn_table *t = NULL;
    int rc = cli_open(ctx, "areas", argv[optind], &store);
    if (!rc) {
        ccn_status st = by_use ? ccn_area_land_use(store, &t) : ccn_area_clusters(store, &t);
        if (st) {
            rc = cli_fail(ctx, "areas", st);
        } else {
            cli_warnings(ctx, "areas");
            rc = cli_emit(ctx, "areas", t, &rep);
            if (!rc && !by_use && !rep.quiet)
                fprintf(stderr,
                        _("ccn: areas: area_m2 is the planar area in EPSG:%d, the legal figure; "
                          "ellipsoidal_m2 the geodesic area on WGS 84\n"),
                        ccn_store_srid(store));
        }
    }
    ccn_table_free(t);
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
