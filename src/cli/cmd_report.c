/* ccn report / ccn publish — the quarterly report folder, and the web page alone. */
#include "cli.h"
#include "i18n.h"

#include "../report.h"

#include <string.h>

static const char report_help[] =
    N_("Usage: ccn report WORKSPACE OUTDIR [--as-of DATE] [--no-pdf] [-q]\n\n"
    "Run the checks and write every report into OUTDIR: findings (CSV, GeoJSON), areas,\n"
    "overlay with the land-use plan, site-clearance lists, occupancy (by cluster, by lot,\n"
    "by quarter, Decree 32/2024, the plan's 2025 targets), one spreadsheet with a sheet per\n"
    "report (bao_cao.xlsx), a map per cluster and the district map (PDF, PNG), the report\n"
    "document (bao_cao.docx, and bao_cao.pdf when LibreOffice is installed), the GeoJSON\n"
    "layers, the web page (web/index.html) and a QGIS project of the workspace (du_an.qgz,\n"
    "see 'ccn qgis --help'). OUTDIR is replaced as a whole, or left as it\n"
    "was if anything fails; an existing OUTDIR must be empty or written by ccn.\n\n"
    "  --as-of DATE  the day of the lease figures (YYYY-MM-DD or dd/mm/yyyy; default today)\n"
    "  --no-pdf      do not convert bao_cao.docx to PDF (LibreOffice takes most of the time)\n"
    "  -q, --quiet   no progress bar\n");

static const char publish_help[] =
    N_("Usage: ccn publish WORKSPACE OUTDIR [--as-of DATE] [-q]\n\n"
    "Write a static web page of the clusters into OUTDIR: a Leaflet map of the clusters,\n"
    "lots (coloured by lease status, with popups), communes and plan zones, the occupancy\n"
    "table against the targets, the vacant lots and the quarterly chart. It opens from disk,\n"
    "with no server and no network. OUTDIR is replaced as a whole.\n\n"
    "  --as-of DATE  the day of the lease figures (YYYY-MM-DD or dd/mm/yyyy; default today)\n"
    "  -q, --quiet   no progress bar\n");

static int parse(const char *cmd, const char *help, int argc, char **argv, const char **as_of,
                 bool *quiet, bool *no_pdf)
{
    static const struct option longopts[] = {{"as-of", required_argument, NULL, 'a'},
                                              {"no-pdf", no_argument, NULL, 'P'},
                                              {"quiet", no_argument, NULL, 'q'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'a':
            *as_of = optarg;
            if (!cli_date(cmd, "--as-of", as_of, true))
                return CCN_ERR_INPUT;
            break;
        case 'q': *quiet = true; break;
        case 'P':
            if (!no_pdf)
                return cli_usage_error(cmd, "unknown option '--no-pdf'");
            *no_pdf = true;
            break;
        case 'h': fputs(_(help), stdout); return -1;
        default: return cli_bad_option(cmd);
        }
    }
    if (optind + 2 != argc)
        return cli_usage_error(cmd, "expected WORKSPACE and OUTDIR");
    return 0;
}

int cmd_report(int argc, char **argv)
{
    const char *as_of = NULL;
    bool quiet = false, no_pdf = false;
    int rc = parse("report", report_help, argc, argv, &as_of, &quiet, &no_pdf);
    if (rc)
        return rc < 0 ? 0 : rc;
    ccn_ctx *ctx = cli_ctx(quiet);
    ccn_store *store = NULL;
    if (!(rc = cli_open(ctx, "report", argv[optind], &store))) {
        ccn_report_options o = {.outdir = argv[optind + 1], .as_of = as_of, .no_pdf = no_pdf};
        ccn_report_result r;
        ccn_status st = ccn_report_write(store, &o, &r);
        if (st) {
            rc = cli_fail(ctx, "report", st);
        } else {
            cli_warnings(ctx, "report");
            printf(_("%s: %d files, figures as of %s\n"), o.outdir, r.files, r.as_of);
            printf(_("  clusters: %d; meeting their occupancy target: %d of %d\n"), r.clusters,
                   r.clusters_meeting, r.clusters_with_target);
            printf(_("  boundary checks: %lld errors, %lld warnings (findings.csv)\n"),
                   (long long)r.errors, (long long)r.warnings);
            if (r.no_geometry)
                printf(_("  %lld features without their geometry in the GeoJSON layers and the "
                         "web page (unreadable or not polygons: see the warnings)\n"),
                       (long long)r.no_geometry);
            printf(_("  report document: bao_cao.docx%s\n"),
                   r.pdf ? ", bao_cao.pdf" : no_pdf ? _(" (no PDF: --no-pdf)")
                                               : _(" (no PDF: LibreOffice is not installed)"));
        }
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}

int cmd_publish(int argc, char **argv)
{
    const char *as_of = NULL;
    bool quiet = false;
    int rc = parse("publish", publish_help, argc, argv, &as_of, &quiet, NULL);
    if (rc)
        return rc < 0 ? 0 : rc;
    ccn_ctx *ctx = cli_ctx(quiet);
    ccn_store *store = NULL;
    if (!(rc = cli_open(ctx, "publish", argv[optind], &store))) {
        int64_t no_geometry = 0;
        ccn_status st = ccn_report_publish(store, argv[optind + 1], as_of, &no_geometry);
        if (st) {
            rc = cli_fail(ctx, "publish", st);
        } else {
            cli_warnings(ctx, "publish");
            printf(_("%s/index.html: open it in a browser (no server needed)\n"), argv[optind + 1]);
            if (no_geometry)
                printf(_("  %lld features without their geometry on the page and in its layers "
                         "(unreadable or not polygons: see the warnings)\n"),
                       (long long)no_geometry);
        }
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
