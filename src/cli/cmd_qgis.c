/* ccn qgis — a QGIS project of the workspace, styled. */
#include "cli.h"
#include "i18n.h"

#include "../qgisproject.h"

static const char help[] =
    N_("Usage: ccn qgis WORKSPACE OUT.qgz|OUT.qgs [--as-of DATE] [-q]\n\n"
    "Write a QGIS project of the workspace: every layer, styled as `ccn map` draws\n"
    "it (the same styles QGIS finds in the workspace's layer_styles table), the lots\n"
    "by lease status as of today (the view lots_status), the workspace CRS as the\n"
    "project CRS, a bookmark per cluster, and a print layout per cluster and for the\n"
    "district with the frame of `ccn map` (title, legend, scale bar, north arrow,\n"
    "grid, occupancy against the target, source). The workspace is named by a path\n"
    "relative to the project, so the two can be moved together.\n\n"
    "  --as-of DATE  the day of the layouts' occupancy figures (YYYY-MM-DD or dd/mm/yyyy;\n"
    "                default today)\n"
    "  -q, --quiet   no summary line\n");

int cmd_qgis(int argc, char **argv)
{
    static const struct option longopts[] = {{"as-of", required_argument, NULL, 'a'},
                                              {"quiet", no_argument, NULL, 'q'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    const char *as_of = NULL;
    bool quiet = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'a':
            as_of = optarg;
            if (!cli_date("qgis", "--as-of", &as_of, true))
                return CCN_ERR_INPUT;
            break;
        case 'q': quiet = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("qgis");
        }
    }
    if (optind + 2 != argc)
        return cli_usage_error("qgis", "expected WORKSPACE and OUT.qgz");
    ccn_ctx *ctx = cli_ctx(quiet);
    ccn_store *store = NULL;
    int rc = cli_open(ctx, "qgis", argv[optind], &store);
    if (!rc) {
        ccn_qgis_options o = {.path = argv[optind + 1], .as_of = as_of};
        ccn_qgis_result res;
        ccn_status st = ccn_qgis_project_write(store, &o, &res);
        if (st) {
            rc = cli_fail(ctx, "qgis", st);
        } else {
            cli_warnings(ctx, "qgis");
            if (!quiet)
                printf(res.replaced ? _("%s: %d layers of %s, %d bookmarks, %d print layouts "
                                        "(as of %s); the project ccn wrote there is replaced\n")
                                    : _("%s: %d layers of %s, %d bookmarks, %d print layouts "
                                        "(as of %s)\n"),
                       o.path, res.layers, res.workspace, res.bookmarks, res.layouts, res.as_of);
        }
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
