/* ccn overlay — clusters, or every parcel, against the land-use plan. */
#include "cli.h"
#include "i18n.h"

#include "../clearance.h"
#include "../overlay.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    N_("Usage: ccn overlay WORKSPACE [--by cluster|parcel] [--cluster CODE]\n"
    "                   [--format table|csv|json] [-o FILE] [-q] [--wide]\n\n"
    "Intersect the clusters (default) or every cadastral parcel with the land-use\n"
    "plan and give the area per planned code.\n\n"
    "By cluster: cluster,plan_code,area_m2,share_pct\n"
    "  the conforming code (SKN, SKK for the industrial park) first; the part no\n"
    "  plan zone covers is a row with an empty plan_code, so a cluster's rows add\n"
    "  up to its area. --wide appends plan_name,protected,conforming: protected\n"
    "  land (LUC, LUK, RPH, RDD) and the conforming codes marked.\n"
    "By parcel: parcel_id,commune,sheet,parcel_no,landuse,plan_code,area_m2\n"
    "  every parcel of the workspace, streamed in parcel_id order; with --cluster\n"
    "  the parcels that cluster takes (as 'ccn parcels' lists them), whole.\n\n"
    "Invalid geometry is repaired (MakeValid) for computing, with a warning;\n"
    "overlapping plan zones are named in a warning. Zones of one code count their\n"
    "common part once; zones of different codes count it once for each code, and\n"
    "the warning gives the area counted twice.\n\n"
    "  --by cluster|parcel  what to overlay (default cluster)\n"
    "  --cluster CODE       only this cluster, or the parcels it takes (by parcel)\n"
    "  --format FMT         table, csv or json (default: table on a terminal, else csv)\n"
    "  -o, --output FILE    write to FILE instead of stdout\n"
    "  -q, --quiet          no progress bar\n"
    "  --wide               append the extra columns after the standard ones\n");

/* The ids of the parcels cluster takes, as 'ccn parcels --cluster' lists them. */
static ccn_status taken_parcels(ccn_store *store, const char *cluster, int64_t **ids, size_t *n)
{
    ccn_table *list = NULL;
    ccn_clearance_options opt = {.cluster = cluster, .remnant_max_m2 = CCN_CLEARANCE_REMNANT_M2};
    ccn_status st = ccn_clearance(store, &opt, &list, NULL);
    if (st)
        return st;
    int col = ccn_table_col(list, "parcel_id");
    *n = (size_t)ccn_table_rows(list);
    *ids = malloc((*n + 1) * sizeof **ids);
    if (!*ids || col < 0) {
        ccn_table_free(list);
        return ccn_error(ccn_store_ctx(store), CCN_ERR_INTERNAL, "out of memory");
    }
    for (size_t k = 0; k < *n; k++)
        (*ids)[k] = (int64_t)ccn_table_number(list, (int64_t)k, col);
    ccn_table_free(list);
    return CCN_OK;
}

static int by_parcel(ccn_ctx *ctx, ccn_store *store, const char *cluster, const cli_report *r)
{
    ccn_overlay_job *job = NULL;
    ccn_table *t = NULL;
    FILE *out = NULL;
    int rc = 0;
    int64_t *only = NULL;
    size_t nonly = 0;
    ccn_status st = cluster ? taken_parcels(store, cluster, &only, &nonly) : CCN_OK;
    if (!st)
        st = ccn_overlay_parcels_begin(store, only, nonly, &job);
    if (st) {
        rc = cli_fail(ctx, "overlay", st);
        goto done;
    }
    /* About the plan, before the long run; a cluster's few parcels say them
     * at the end, each once (the parcels it takes repeat the run's words). */
    if (!cluster)
        cli_warnings(ctx, "overlay");
    if (!(t = ccn_overlay_parcels_table())) {
        rc = CCN_ERR_INTERNAL;
        goto done;
    }
    if ((rc = cli_stream_begin(ctx, "overlay", t, r, &out)))
        goto done;
    st = ccn_overlay_parcels_run(job, t);
    if (st) {
        cli_stream_abort(); /* no partial table looking like a whole one */
        rc = cli_fail(ctx, "overlay", st);
        goto done;
    }
    rc = cli_stream_end(ctx, "overlay", t, r, out);
    cli_warnings(ctx, "overlay");
done:
    free(only);
    ccn_table_free(t);
    ccn_overlay_job_free(job);
    return rc;
}

int cmd_overlay(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"by", required_argument, NULL, 'b'}, {"cluster", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},     CLI_REPORT_OPTIONS,
        CLI_WIDE_OPTION,                      {NULL, 0, NULL, 0}};
    cli_report r = {0};
    const char *by = "cluster", *cluster = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        if (cli_report_option("overlay", &r, opt, optarg))
            continue;
        switch (opt) {
        case 'b': by = optarg; break;
        case 'c': cluster = optarg; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("overlay");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("overlay", "expected one WORKSPACE");
    bool parcels = strcmp(by, "parcel") == 0;
    if (!parcels && strcmp(by, "cluster") != 0)
        return cli_usage_error("overlay", "--by '%s': expected cluster or parcel", by);
    ccn_ctx *ctx = cli_ctx(r.quiet);
    ccn_store *store = NULL;
    char code[64];
    int rc = cli_open(ctx, "overlay", argv[optind], &store);
    if (!rc)
        rc = cli_cluster(ctx, "overlay", store, &cluster, code, sizeof code);
    if (!rc && parcels) {
        rc = by_parcel(ctx, store, cluster, &r);
    } else if (!rc) {
        ccn_table *t = NULL;
        ccn_status st = ccn_overlay_clusters(store, cluster, &t);
        if (st) {
            rc = cli_fail(ctx, "overlay", st);
        } else {
            cli_warnings(ctx, "overlay");
            rc = cli_emit(ctx, "overlay", t, &r);
        }
        ccn_table_free(t);
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
