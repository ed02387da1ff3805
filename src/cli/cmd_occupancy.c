/* ccn occupancy — tỷ lệ lấp đầy: per cluster, per lot, by quarter, against
 * Decree 32/2024 and against the plan's 2025 targets. */
#include "cli.h"
#include "i18n.h"

#include "../occupancy.h"

#include <string.h>

static const char help[] =
    N_("Usage: ccn occupancy WORKSPACE [--as-of DATE] [--by cluster|lot] [--cluster CODE]\n"
    "       ccn occupancy WORKSPACE --series quarter [--from Q] [--to Q] [--cluster CODE]\n"
    "       ccn occupancy WORKSPACE --decree [--as-of DATE]\n"
    "       ccn occupancy WORKSPACE --district [--as-of DATE]\n"
    "                   [--format table|csv|json] [-o FILE] [-q] [--wide]\n\n"
    "Occupancy (tỷ lệ lấp đầy) of a cluster on a day: the area of its industrial lots\n"
    "leased that day over the area of all its industrial lots. A cluster without\n"
    "industrial lots has an empty occupancy, not 0.\n\n"
    "  --as-of DATE      the day (YYYY-MM-DD or dd/mm/yyyy; default today, --district: 2025-12-31)\n"
    "  --by cluster      per cluster (default): cluster,name,status,target_pct,\n"
    "                    leasable_m2,leased_m2,occupancy_pct,target_met; --wide\n"
    "                    adds the gap to the target in m² and in lots of the\n"
    "                    median size\n"
    "  --by lot          every lot: cluster,lot_no,use,area_m2,leased,tenant,\n"
    "                    lease_start,lease_end\n"
    "  --cluster CODE    only this cluster (--by, --series)\n"
    "  --series quarter  each cluster at the end of each quarter:\n"
    "                    date,cluster,leased_m2,occupancy_pct (--wide: quarter,\n"
    "                    leasable_m2,target_pct,target_met too)\n"
    "  --from Q, --to Q  the first and last quarter as YYYY-Qn (default 2021-Q1 to\n"
    "                    2026-Q4), or dates: the quarter ends from the one to the other\n"
    "  --decree          the tests of Decree 32/2024: cluster size (10–75 ha), services\n"
    "                    (<= 10 %), may a cluster be expanded (occupancy >= 60 %, <= 75 ha),\n"
    "                    may a new cluster be set up (existing clusters' average occupancy\n"
    "                    > 50 % or their unleased industrial land <= 100 ha), with the\n"
    "                    figures behind each answer\n"
    "  --district        the district against the plan's targets (existing clusters\n"
    "                    >= 80 %, new >= 30 % by 2025): each cluster, the existing and\n"
    "                    the new clusters, the whole district\n"
    "  --format F        table, csv or json (default: table on a terminal, else csv)\n"
    "  -o FILE           write to FILE\n"
    "  -q, --quiet       no progress bar\n"
    "  --wide            append the extra columns after the standard ones\n");

enum { OPT_AS_OF = 256, OPT_BY, OPT_CLUSTER, OPT_SERIES, OPT_FROM, OPT_TO, OPT_DECREE,
       OPT_DISTRICT };

int cmd_occupancy(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"by", required_argument, NULL, OPT_BY},
        {"cluster", required_argument, NULL, OPT_CLUSTER},
        {"series", required_argument, NULL, OPT_SERIES},
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"decree", no_argument, NULL, OPT_DECREE},
        {"district", no_argument, NULL, OPT_DISTRICT},
        {"help", no_argument, NULL, 'h'},
        CLI_REPORT_OPTIONS,
        CLI_WIDE_OPTION,
        {NULL, 0, NULL, 0}};
    ccn_occupancy_options o = {.view = CCN_OCCUPANCY_BY_CLUSTER};
    cli_report report = {0};
    int views = 0;
    bool by_cluster = false; /* --by cluster given last: --series may follow */
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hqo:", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_AS_OF:
            o.as_of = optarg;
            if (!cli_date("occupancy", "--as-of", &o.as_of, true))
                return CCN_ERR_INPUT;
            break;
        case OPT_CLUSTER: o.cluster = optarg; break;
        case OPT_FROM: o.from = optarg; break; /* a date or YYYY-Qn, read (and quoted) as typed */
        case OPT_TO: o.to = optarg; break;
        case OPT_BY:
            if (strcmp(optarg, "cluster") == 0 && o.view == CCN_OCCUPANCY_SERIES)
                break; /* the series is by cluster: --by cluster says so again */
            if (strcmp(optarg, "cluster") == 0)
                o.view = CCN_OCCUPANCY_BY_CLUSTER, by_cluster = true;
            else if (strcmp(optarg, "lot") == 0)
                o.view = CCN_OCCUPANCY_BY_LOT;
            else
                return cli_usage_error("occupancy", "--by '%s': expected cluster or lot", optarg);
            views++;
            break;
        case OPT_SERIES:
            if (strcmp(optarg, "quarter") != 0)
                return cli_usage_error("occupancy", "--series '%s': expected quarter", optarg);
            o.view = CCN_OCCUPANCY_SERIES;
            views += !by_cluster; /* after --by cluster: the same view, over time */
            by_cluster = false;
            break;
        case OPT_DECREE: o.view = CCN_OCCUPANCY_DECREE; views++; break;
        case OPT_DISTRICT: o.view = CCN_OCCUPANCY_DISTRICT; views++; break;
        case 'h': fputs(_(help), stdout); return 0;
        default:
            if (!cli_report_option("occupancy", &report, opt, optarg))
                return cli_bad_option("occupancy");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("occupancy", "expected one WORKSPACE argument");
    if (views > 1)
        return cli_usage_error("occupancy",
                               "choose one of --by, --series, --decree and --district");
    if ((o.from || o.to) && o.view != CCN_OCCUPANCY_SERIES)
        return cli_usage_error("occupancy", "--from and --to go with --series quarter");
    if (o.as_of && o.view == CCN_OCCUPANCY_SERIES)
        return cli_usage_error("occupancy",
                               "--series gives every quarter's end: use --from and --to, not --as-of");
    if (o.cluster && (o.view == CCN_OCCUPANCY_DECREE || o.view == CCN_OCCUPANCY_DISTRICT))
        return cli_usage_error("occupancy", "--cluster does not go with --%s",
                               o.view == CCN_OCCUPANCY_DECREE ? "decree" : "district");

    ccn_ctx *ctx = cli_ctx(report.quiet);
    ccn_store *store = NULL;
    ccn_table *t = NULL;
    char code[64];
    int rc = cli_open(ctx, "occupancy", argv[optind], &store);
    if (!rc)
        rc = cli_cluster(ctx, "occupancy", store, &o.cluster, code, sizeof code);
    if (!rc) {
        ccn_status st = ccn_occupancy_report(store, &o, &t);
        if (st) {
            rc = cli_fail(ctx, "occupancy", st);
        } else {
            cli_warnings(ctx, "occupancy");
            rc = cli_emit(ctx, "occupancy", t, &report);
        }
    }
    ccn_table_free(t);
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
