/* ccn parcels — the site-clearance list: cadastral parcels each cluster takes. */
#include "cli.h"
#include "i18n.h"

#include "../clearance.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

static const char help[] =
    N_("Usage: ccn parcels WORKSPACE [--cluster CODE] [--remnant M2] [--totals]\n"
    "                   [--format table|csv|json] [-o FILE] [-q] [--wide]\n\n"
    "Every cadastral parcel whose interior meets a cluster, by cluster, commune,\n"
    "sheet and parcel number. Columns:\n"
    "cluster,parcel_id,commune,sheet,parcel_no,landuse,owner,parcel_area_m2,\n"
    "affected_m2,affected_pct\n"
    "and with --wide remnant_m2,remnant_small,area_legal_m2: the remnant is what\n"
    "stays outside the cluster; remnant_small flags one smaller than --remnant,\n"
    "since such remnants are usually taken whole.\n\n"
    "With --totals, the totals instead: per cluster and current land use (how\n"
    "much rice land a cluster takes), then the cluster's total (landuse '*'):\n"
    "cluster,landuse,landuse_name,parcels,parcel_area_m2,affected_m2,share_pct,\n"
    "small_remnants   (share_pct: of the cluster's area)\n\n"
    "  --cluster CODE     only this cluster\n"
    "  --remnant M2       flag remnants smaller than this (default 100 m²)\n"
    "  --totals           print the totals table instead of the list\n"
    "  --format FMT       table, csv or json (default: table on a terminal, else csv)\n"
    "  -o, --output FILE  write to FILE instead of stdout\n"
    "  -q, --quiet        no progress bar\n"
    "  --wide             append the extra columns after the standard ones\n");

int cmd_parcels(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cluster", required_argument, NULL, 'c'}, {"remnant", required_argument, NULL, 'r'},
        {"totals", no_argument, NULL, 't'},        {"help", no_argument, NULL, 'h'},
        CLI_REPORT_OPTIONS,                        CLI_WIDE_OPTION,
        {NULL, 0, NULL, 0}};
    cli_report r = {0};
    ccn_clearance_options o = {.remnant_max_m2 = CCN_CLEARANCE_REMNANT_M2};
    bool totals = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        if (cli_report_option("parcels", &r, opt, optarg))
            continue;
        switch (opt) {
        case 'c': o.cluster = optarg; break;
        case 't': totals = true; break;
        case 'r': {
            char *end = NULL;
            errno = 0;
            o.remnant_max_m2 = strtod(optarg, &end);
            if (errno || end == optarg || *end || !isfinite(o.remnant_max_m2) ||
                o.remnant_max_m2 < 0)
                return cli_usage_error("parcels", "--remnant '%s': expected an area in m² (≥ 0)",
                                       optarg);
            break;
        }
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("parcels");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("parcels", "expected one WORKSPACE");
    ccn_ctx *ctx = cli_ctx(r.quiet);
    ccn_store *store = NULL;
    char code[64];
    int rc = cli_open(ctx, "parcels", argv[optind], &store);
    if (!rc)
        rc = cli_cluster(ctx, "parcels", store, &o.cluster, code, sizeof code);
    if (!rc) {
        ccn_table *t = NULL;
        ccn_status st = totals ? ccn_clearance(store, &o, NULL, &t) : ccn_clearance(store, &o, &t, NULL);
        if (st) {
            rc = cli_fail(ctx, "parcels", st);
        } else {
            cli_warnings(ctx, "parcels");
            rc = cli_emit(ctx, "parcels", t, &r);
        }
        ccn_table_free(t);
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
