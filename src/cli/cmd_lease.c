/* ccn lease — the register of leased lots: import, add, end, list. */
#include "cli.h"
#include "i18n.h"

#include "../lease.h"

#include <string.h>

static const char help[] =
    N_("Usage: ccn lease WORKSPACE import FILE.csv [--encoding ENC] [--replace]\n"
    "       ccn lease WORKSPACE add [--cluster C] --lot L --tenant T --from DATE [--to DATE]\n"
    "                               [--note TEXT]\n"
    "       ccn lease WORKSPACE end [--cluster C] --lot L --on DATE\n"
    "       ccn lease WORKSPACE list [--cluster C] [--as-of DATE] [--format F] [-o FILE]\n\n"
    "The register of leased industrial lots. A lease runs from its start date up to,\n"
    "not including, its end date (the first day the lot is free again); no end date\n"
    "means it is still running. A lot has at most one lease on any day. Ending a\n"
    "lease keeps it in the register; nothing is deleted (except by import --replace).\n"
    "Dates are YYYY-MM-DD or dd/mm/yyyy. Every refusal leaves the workspace as it was.\n\n"
    "  import FILE.csv   load a CSV with the header\n"
    "                    cluster,lot_no,tenant,start_date,end_date,note\n"
    "                    (or lot alone, naming its cluster: DL3/CN-05)\n"
    "                    all rows or none: every bad row is listed (line, field, reason)\n"
    "    --encoding ENC  the file's text encoding: UTF-8 (default), TCVN3, VNI, CP1258\n"
    "    --replace       replace the whole register with the file\n"
    "  add               register a lease\n"
    "    --cluster C     the cluster's code (e.g. HT)\n"
    "    --lot L         the lot number (e.g. CN-05), or with its cluster (DL3/CN-05)\n"
    "                    and no --cluster; the lot must be industrial\n"
    "    --tenant T      the tenant\n"
    "    --from DATE     the first day leased (also --start)\n"
    "    --to DATE       the first day no longer leased (default: running; also --end)\n"
    "    --note TEXT     a note\n"
    "  end               end the lease running on the lot the day before --on\n"
    "    --on DATE       the first day the lot is no longer leased (also --end)\n"
    "  list              the register (columns id,cluster,lot_no,tenant,start_date,\n"
    "                    end_date,note,recorded_at)\n"
    "    --cluster C     only this cluster\n"
    "    --as-of DATE    only the leases running on that day\n"
    "    --format F      table, csv or json (default: table on a terminal, else csv)\n"
    "    -o FILE         write to FILE\n"
    "  -q, --quiet       no progress bar\n");

enum { OPT_CLUSTER = 256, OPT_LOT, OPT_TENANT, OPT_FROM, OPT_TO, OPT_ON, OPT_NOTE, OPT_AS_OF,
       OPT_ENCODING, OPT_REPLACE, OPT_END, OPT_START };

typedef struct {
    const char *cluster, *lot, *tenant, *from, *to, *on, *note, *as_of, *encoding;
    const char *end;   /* --end: add's --to, end's --on */
    const char *start; /* --start: add's --from */
    bool replace;
    unsigned given; /* bit per OPT_* - OPT_CLUSTER, plus the report options */
} lease_args;

#define GIVEN(o) (1u << ((o) - OPT_CLUSTER))
#define REPORT_GIVEN (1u << 20)

/* The option name of bit b, for "does not take" messages. */
static const char *option_name(int b)
{
    static const char *const names[] = {"--cluster", "--lot",   "--tenant",   "--from",
                                        "--to",      "--on",    "--note",     "--as-of",
                                        "--encoding", "--replace", "--end",   "--start"};
    return b >= 0 && b < (int)(sizeof names / sizeof *names) ? names[b] : "--format/-o";
}

/* Refuse options that the action does not take. */
static int check_allowed(const char *action, const lease_args *a, unsigned allowed)
{
    unsigned extra = a->given & ~allowed;
    if (!extra)
        return 0;
    int b = 0;
    while (!(extra & (1u << b)))
        b++;
    return cli_usage_error("lease", "'%s' does not take %s", action,
                           b == 20 ? "--format or -o" : option_name(b));
}

static int need(const char *action, const char *value, const char *option)
{
    return value ? 0 : cli_usage_error("lease", "'%s' needs %s", action, option);
}

static int run_import(ccn_store *store, const char *file, const lease_args *a)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_lease_import_options o = {.file = file, .encoding = a->encoding, .replace = a->replace};
    ccn_lease_import_result res;
    ccn_status st = ccn_lease_import(store, &o, &res);
    int rc = 0;
    char said[1024];
    for (size_t i = 0; i < res.nproblems; i++) {
        /* a column's name is the file's own word; "row" (the whole row) is ours */
        const char *field = res.problems[i].field;
        fprintf(stderr, "%s:%lld: %s: %s\n", file, (long long)res.problems[i].line,
                strcmp(field, "row") ? field : _("row"),
                cli_i18n_message(res.problems[i].reason, said, sizeof said));
    }
    if (st) {
        rc = cli_fail(ctx, "lease", st);
    } else {
        cli_warnings(ctx, "lease");
        printf(ngettext("%s: %lld lease imported", "%s: %lld leases imported",
                        (unsigned long)res.stored),
               file, (long long)res.stored);
        if (a->replace)
            printf(_(", %lld replaced"), (long long)res.replaced);
        putchar('\n');
    }
    ccn_lease_import_result_free(&res);
    return rc;
}

int cmd_lease(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"cluster", required_argument, NULL, OPT_CLUSTER},
        {"lot", required_argument, NULL, OPT_LOT},
        {"tenant", required_argument, NULL, OPT_TENANT},
        {"from", required_argument, NULL, OPT_FROM},
        {"start", required_argument, NULL, OPT_START},
        {"end", required_argument, NULL, OPT_END},
        {"to", required_argument, NULL, OPT_TO},
        {"on", required_argument, NULL, OPT_ON},
        {"note", required_argument, NULL, OPT_NOTE},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"encoding", required_argument, NULL, OPT_ENCODING},
        {"replace", no_argument, NULL, OPT_REPLACE},
        {"help", no_argument, NULL, 'h'},
        CLI_REPORT_OPTIONS,
        {NULL, 0, NULL, 0}};
    lease_args a = {0};
    cli_report report = {0};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hqo:", longopts, NULL)) != -1) {
        if (opt >= OPT_CLUSTER && opt <= OPT_START)
            a.given |= GIVEN(opt);
        switch (opt) {
        case OPT_CLUSTER: a.cluster = optarg; break;
        case OPT_LOT: a.lot = optarg; break;
        case OPT_TENANT: a.tenant = optarg; break;
        case OPT_FROM: a.from = optarg, cli_date("lease", "--from", &a.from, false); break;
        case OPT_TO: a.to = optarg, cli_date("lease", "--to", &a.to, false); break;
        case OPT_ON: a.on = optarg, cli_date("lease", "--on", &a.on, false); break;
        case OPT_END: a.end = optarg, cli_date("lease", "--end", &a.end, false); break;
        case OPT_START: a.start = optarg, cli_date("lease", "--start", &a.start, false); break;
        case OPT_NOTE: a.note = optarg; break;
        case OPT_AS_OF:
            a.as_of = optarg;
            if (!cli_date("lease", "--as-of", &a.as_of, true))
                return CCN_ERR_INPUT;
            break;
        case OPT_ENCODING: a.encoding = optarg; break;
        case OPT_REPLACE: a.replace = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default:
            if (opt == 'q') {
                report.quiet = true;
                break;
            }
            if (!cli_report_option("lease", &report, opt, optarg))
                return cli_bad_option("lease");
            a.given |= REPORT_GIVEN;
        }
    }
    int nargs = argc - optind;
    if (nargs < 2)
        return cli_usage_error("lease", "expected WORKSPACE and an action: import, add, end or list");
    const char *ws = argv[optind], *action = argv[optind + 1];
    int rc;
    if (strcmp(action, "import") == 0) {
        if (nargs != 3)
            return cli_usage_error("lease", "'import' takes one FILE.csv");
        if ((rc = check_allowed(action, &a, GIVEN(OPT_ENCODING) | GIVEN(OPT_REPLACE))))
            return rc;
    } else if (strcmp(action, "add") == 0) {
        if (nargs != 2)
            return cli_usage_error("lease", "'add' takes options only, not '%s'", argv[optind + 2]);
        if (a.end && a.to)
            return cli_usage_error("lease", "--end and --to say the same: give one");
        if (a.start && a.from)
            return cli_usage_error("lease", "--start and --from say the same: give one");
        a.to = a.to ? a.to : a.end;
        a.from = a.from ? a.from : a.start;
        if ((rc = check_allowed(action, &a,
                                GIVEN(OPT_CLUSTER) | GIVEN(OPT_LOT) | GIVEN(OPT_TENANT) |
                                    GIVEN(OPT_FROM) | GIVEN(OPT_TO) | GIVEN(OPT_NOTE) |
                                    GIVEN(OPT_END) | GIVEN(OPT_START))) ||
            (rc = need(action, a.lot, "--lot")) ||
            (rc = need(action, a.tenant, "--tenant")) || (rc = need(action, a.from, "--from")))
            return rc;
    } else if (strcmp(action, "end") == 0) {
        if (nargs != 2)
            return cli_usage_error("lease", "'end' takes options only, not '%s'", argv[optind + 2]);
        if (a.end && a.on)
            return cli_usage_error("lease", "--end and --on say the same: give one");
        a.on = a.on ? a.on : a.end;
        if ((rc = check_allowed(action, &a,
                                GIVEN(OPT_CLUSTER) | GIVEN(OPT_LOT) | GIVEN(OPT_ON) |
                                    GIVEN(OPT_END))) ||
            (rc = need(action, a.lot, "--lot")) || (rc = need(action, a.on, "--on")))
            return rc;
    } else if (strcmp(action, "list") == 0) {
        if (nargs != 2)
            return cli_usage_error("lease", "'list' takes options only, not '%s'", argv[optind + 2]);
        if ((rc = check_allowed(action, &a, GIVEN(OPT_CLUSTER) | GIVEN(OPT_AS_OF) | REPORT_GIVEN)))
            return rc;
    } else {
        return cli_usage_error("lease", "unknown action '%s': expected import, add, end or list",
                               action);
    }

    ccn_ctx *ctx = cli_ctx(report.quiet);
    ccn_store *store = NULL;
    char code[64];
    if ((rc = cli_open(ctx, "lease", ws, &store)) ||
        (rc = cli_cluster(ctx, "lease", store, &a.cluster, code, sizeof code)))
        goto done;
    ccn_status st = CCN_OK;
    int64_t fid = 0;
    char key_cluster[64], key_lot[256]; /* the lease as stored, said back */
    if (strcmp(action, "import") == 0) {
        rc = run_import(store, argv[optind + 2], &a);
    } else if (strcmp(action, "add") == 0) {
        ccn_lease lease = {a.cluster, a.lot, a.tenant, a.from, a.to, a.note};
        if ((st = ccn_lease_add(store, &lease, &fid)) ||
            (st = ccn_lease_key(store, fid, key_cluster, sizeof key_cluster, key_lot,
                                sizeof key_lot)))
            rc = cli_fail(ctx, "lease", st);
        else
            printf(a.to ? _("lease %lld: %s/%s to '%s' from %s to %s\n")
                        : _("lease %lld: %s/%s to '%s' from %s, running%s\n"),
                   (long long)fid, key_cluster, key_lot, a.tenant, a.from, a.to ? a.to : "");
    } else if (strcmp(action, "end") == 0) {
        char was[32];
        if ((st = ccn_lease_end(store, a.cluster, a.lot, a.on, &fid, was, sizeof was)) ||
            (st = ccn_lease_key(store, fid, key_cluster, sizeof key_cluster, key_lot,
                                sizeof key_lot)))
            rc = cli_fail(ctx, "lease", st);
        else if (*was) /* an end recorded before is replaced: said, never silently */
            printf(_("lease %lld of %s/%s ends on %s instead of %s (the lot is free from that "
                     "day)\n"),
                   (long long)fid, key_cluster, key_lot, a.on, was);
        else
            printf(_("lease %lld of %s/%s ends on %s (the lot is free from that day)\n"),
                   (long long)fid, key_cluster, key_lot, a.on);
    } else {
        ccn_table *t = NULL;
        if ((st = ccn_lease_list(store, a.cluster, a.as_of, &t)))
            rc = cli_fail(ctx, "lease", st);
        else
            rc = cli_emit(ctx, "lease", t, &report);
        ccn_table_free(t);
    }
    if (!rc)
        cli_warnings(ctx, "lease");
done:
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
