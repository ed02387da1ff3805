/* ccn check — the boundary checks of DESIGN §7 into the findings table. */
#include "cli.h"
#include "i18n.h"

#include "../check.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("Usage: ccn check WORKSPACE [--tolerance KEY=VALUE]... [--only GROUP[,GROUP]...]\n"
    "                 [--format table|csv|json] [-o FILE] [-q] [--wide]\n\n"
    "Check every boundary of the workspace and write the findings to its 'findings'\n"
    "table (replacing the last run's) and to stdout, columns\n"
    "severity,code,layer,fid,other_layer,other_fid,area_m2,x,y,message\n"
    "(message in the language of ccn's messages: Vietnamese under LANG=vi).\n"
    "Which checks ran, and which could not (and why), goes to stderr.\n\n"
    "Groups and their codes:\n"
    "  validity    INVALID_GEOMETRY, EMPTY_GEOMETRY, NOT_POLYGON (every layer)\n"
    "  duplicates  DUPLICATE_ID (parcel commune/sheet/number, lot number in a cluster)\n"
    "  clusters    AREA_DEVIATION (vs planned_ha; Decree 32's 10-75 ha), CLUSTER_OVERLAP\n"
    "  lots        LOT_OUTSIDE_CLUSTER, LOT_WRONG_CLUSTER, LOT_OVERLAP\n"
    "  parcels     PARCEL_OVERLAP, PARCEL_GAP, SLIVER, AREA_LEGAL_MISMATCH\n"
    "  markers     MARKER_MISMATCH (boundary vs its marker table)\n"
    "  plan        PROTECTED_LAND (cluster over planned LUC, LUK, RPH, RDD)\n"
    "  (clusters, lots, parcels) EDGE_MISMATCH (warning: an overlap or gap thinner\n"
    "              than edge_tol_m along a shared edge; wider ones are errors)\n\n"
    "  --tolerance KEY=VALUE  override a tolerance for this run (defaults: the\n"
    "                         workspace's, from gis/tolerances.csv):\n"
    "      area_deviation_pct (1), overlap_min_m2 (0.5), gap_max_m2 (50),\n"
    "      sliver_ratio (0.08), sliver_max_width_m (1), area_legal_pct (5),\n"
    "      marker_max_m (0.5), remnant_m2 (100), repair_area_pct (1),\n"
    "      meridian_max_deg (1.5), edge_tol_m (0.05)\n"
    "  --only GROUPS          run only these groups; one that cannot run is an error\n"
    "  --format FMT           table (default on a terminal), csv or json\n"
    "  -o, --output FILE      write the findings to FILE\n"
    "  -q, --quiet            no progress bar\n"
    "  --wide                 append message_vi (the message in Vietnamese);\n"
    "                         message is then in English whatever the language\n\n"
    "Exit status: 0 no error-level finding, 1 error-level findings, 2 bad usage or\n"
    "input (no such workspace, nothing to check, bad tolerance), 3 internal error.\n");

/* A group's note in the reader's language, part by part (the library joins
 * what it looked at with "; "). */
static const char *note_in_language(const char *note, char *buf, size_t size)
{
    size_t o = 0;
    buf[0] = '\0';
    for (const char *p = note; *p && o + 1 < size;) {
        const char *end = strstr(p, "; ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        char part[256], said[512];
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        o += (size_t)snprintf(buf + o, size - o, "%s%s", o ? "; " : "",
                              cli_i18n_message(part, said, sizeof said));
        if (o >= size)
            break;
        p = end ? end + 2 : p + n;
    }
    return buf;
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"tolerance", required_argument, NULL, 't'}, {"only", required_argument, NULL, 'O'},
        {"help", no_argument, NULL, 'h'}, CLI_REPORT_OPTIONS, CLI_WIDE_OPTION,
        {NULL, 0, NULL, 0}};
    cli_report rep = {0};
    ccn_check_options o = {0};
    const char **tolerances = calloc((size_t)argc + 1, sizeof *tolerances);
    int opt, rc = 0;
    if (!tolerances)
        return CCN_ERR_INTERNAL;
    optind = 1;
    while (!rc && (opt = getopt_long(argc, argv, "ho:q", longopts, NULL)) != -1) {
        switch (opt) {
        case 't': tolerances[o.ntolerances++] = optarg; break;
        case 'O':
            for (const char *g = optarg; !rc;) { /* a comma-separated list */
                const char *comma = strchr(g, ',');
                size_t len = comma ? (size_t)(comma - g) : strlen(g);
                char name[32] = "";
                unsigned bit;
                if (len < sizeof name)
                    snprintf(name, sizeof name, "%.*s", (int)len, g);
                if (len < sizeof name && ccn_check_parse_group(name, &bit))
                    o.only |= bit;
                else
                    rc = cli_usage_error("check",
                                         "--only '%.*s': expected validity, duplicates, clusters, "
                                         "lots, parcels, markers or plan",
                                         (int)len, g);
                if (!comma)
                    break;
                g = comma + 1;
            }
            break;
        case 'h': fputs(_(help), stdout); free(tolerances); return 0;
        default:
            if (!cli_report_option("check", &rep, opt, optarg))
                rc = cli_bad_option("check");
        }
    }
    if (!rc && optind + 1 != argc)
        rc = cli_usage_error("check", "expected one WORKSPACE argument");
    ccn_ctx *ctx = rc ? NULL : cli_ctx(rep.quiet);
    /* A bad tolerance is a usage error, found before the workspace is read. */
    for (size_t k = 0; !rc && k < o.ntolerances; k++) {
        ccn_tolerances t = {0};
        char said[512];
        if (ccn_tolerances_set(ctx, &t, tolerances[k]))
            rc = cli_usage_error("check", "%s",
                                 cli_i18n_message(ccn_ctx_message(ctx), said, sizeof said));
    }
    o.tolerances = tolerances;
    ccn_store *store = NULL;
    ccn_table *findings = NULL;
    ccn_check_summary sum;
    cli_early early = {0};
    if (!rc && !(rc = cli_open(ctx, "check", argv[optind], &store)) &&
        !(rc = cli_early_begin(ctx, "check", &rep, &early))) {
        if (early.out) { /* the -o file is written while the workspace is */
            o.on_findings = cli_early_write;
            o.user = &early;
        }
        ccn_status st = ccn_check_run(store, &o, &findings, &sum);
        if (st != CCN_OK && st != CCN_FOUND) {
            cli_early_end(ctx, "check", &early, false);
            rc = cli_fail(ctx, "check", st);
        } else {
            cli_warnings(ctx, "check");
            rc = early.out ? cli_early_end(ctx, "check", &early, true)
                           : cli_emit(ctx, "check", findings, &rep);
            for (int g = 0; g < CCN_CHECK_GROUPS; g++) {
                const ccn_check_group_report *r = &sum.groups[g];
                char said[512];
                if (r->ran)
                    fprintf(stderr,
                            ngettext("ccn: check: %-10s ran (%s): %lld finding\n",
                                     "ccn: check: %-10s ran (%s): %lld findings\n",
                                     (unsigned long)r->findings),
                            r->name, note_in_language(r->note, said, sizeof said),
                            (long long)r->findings);
                else
                    fprintf(stderr, "ccn: check: %-10s %s\n", r->name,
                            cli_i18n_message(r->note, said, sizeof said));
            }
            fprintf(stderr, _("ccn: check: %lld errors, %lld warnings\n"), (long long)sum.errors,
                    (long long)sum.warnings);
            if (!rc)
                rc = st;
        }
    }
    ccn_table_free(findings);
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    free(tolerances);
    return rc;
}
