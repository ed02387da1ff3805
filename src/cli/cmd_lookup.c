/* ccn lookup — what the plan says about one cadastral parcel. */
#include "cli.h"
#include "i18n.h"

#include "../overlay.h"

#include <errno.h>
#include <stdlib.h>

static const char help[] =
    N_("Usage: ccn lookup WORKSPACE [--commune C] --sheet N --parcel N\n"
    "                  [--format table|csv|json] [-o FILE] [-q]\n\n"
    "The record of one cadastral parcel, keyed by (old commune, sheet, parcel\n"
    "number), and its planned land-use codes with their areas: one row per code,\n"
    "the part no plan zone covers with an empty plan_code. Columns:\n"
    "parcel_id,commune,sheet,parcel_no,landuse,owner,area_legal_m2,parcel_area_m2,\n"
    "plan_code,plan_name,protected,area_m2,share_pct\n\n"
    "  --commune C        old commune code (MaXa) or name, or the commune it is part\n"
    "                     of since 1 July 2025; needed when the sheet and parcel\n"
    "                     number exist in more than one commune\n"
    "  --sheet N          map sheet number (số tờ)\n"
    "  --parcel N         parcel number on the sheet (số thửa)\n"
    "  --format FMT       table, csv or json (default: table on a terminal, else csv)\n"
    "  -o, --output FILE  write to FILE instead of stdout\n"
    "  -q, --quiet        no progress bar\n");

static bool parse_number(const char *s, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < 0)
        return false;
    *out = v;
    return true;
}

int cmd_lookup(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"commune", required_argument, NULL, 'c'}, {"sheet", required_argument, NULL, 's'},
        {"parcel", required_argument, NULL, 'p'},  {"help", no_argument, NULL, 'h'},
        CLI_REPORT_OPTIONS,                        {NULL, 0, NULL, 0}};
    cli_report r = {0};
    const char *commune = NULL, *sheet_arg = NULL, *parcel_arg = NULL;
    int64_t sheet = 0, parcel = 0;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        if (cli_report_option("lookup", &r, opt, optarg))
            continue;
        switch (opt) {
        case 'c': commune = optarg; break;
        case 's': sheet_arg = optarg; break;
        case 'p': parcel_arg = optarg; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("lookup");
        }
    }
    if (optind + 1 != argc)
        return cli_usage_error("lookup", "expected one WORKSPACE");
    if (!sheet_arg || !parcel_arg)
        return cli_usage_error("lookup", "--sheet and --parcel are required");
    if (!parse_number(sheet_arg, &sheet))
        return cli_usage_error("lookup", "--sheet '%s': expected a sheet number", sheet_arg);
    if (!parse_number(parcel_arg, &parcel))
        return cli_usage_error("lookup", "--parcel '%s': expected a parcel number", parcel_arg);
    ccn_ctx *ctx = cli_ctx(r.quiet);
    ccn_store *store = NULL;
    int rc = cli_open(ctx, "lookup", argv[optind], &store);
    if (!rc) {
        ccn_table *t = NULL;
        ccn_status st = ccn_overlay_lookup(store, commune, sheet, parcel, &t);
        if (st) {
            rc = cli_fail(ctx, "lookup", st);
        } else {
            cli_warnings(ctx, "lookup");
            rc = cli_emit(ctx, "lookup", t, &r);
        }
        ccn_table_free(t);
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
