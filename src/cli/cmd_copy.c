/* ccn copy — a whole workspace between back ends (SQLite file, PostgreSQL). */
#include "cli.h"
#include "i18n.h"

#include "../copy.h"

static const char help[] =
    N_("Usage: ccn copy SOURCE TARGET [--force] [-q]\n"
    "       ccn copy --digest WORKSPACE\n\n"
    "Copy a whole workspace: every layer with its feature ids, the lease register and\n"
    "its history, the provenance of imports, the findings, the palette and saved QGIS\n"
    "styles. SOURCE and TARGET are each a SQLite file or a PostgreSQL URI\n"
    "(postgresql://user@host/db?options=-csearch_path%3Dschema): office to field and\n"
    "back. The copy is one transaction: a failed copy leaves TARGET as it was.\n\n"
    "An existing TARGET is replaced only when it has not changed since it was last\n"
    "copied from or to SOURCE (compared by content, so edits made in QGIS or psql\n"
    "count); otherwise the copy is refused and says which side changed.\n\n"
    "  --force        replace TARGET even so (its changes are lost)\n"
    "  --digest WS    print the content digest of a workspace (SHA-256; equal for two\n"
    "                 workspaces that hold the same data, whatever their back ends)\n"
    "  -q, --quiet    no summary line\n");

int cmd_copy(int argc, char **argv)
{
    static const struct option longopts[] = {{"force", no_argument, NULL, 'f'},
                                              {"digest", required_argument, NULL, 'd'},
                                              {"quiet", no_argument, NULL, 'q'},
                                              {"help", no_argument, NULL, 'h'},
                                              {NULL, 0, NULL, 0}};
    ccn_copy_options o = {0};
    const char *digest_of = NULL;
    bool quiet = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'f': o.force = true; break;
        case 'd': digest_of = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("copy");
        }
    }
    /* Two calls, not a ?: in one: xgettext takes only a call's own literal. */
    if (digest_of && optind != argc)
        return cli_usage_error("copy", "--digest takes one WORKSPACE and nothing else");
    if (!digest_of && optind + 2 != argc)
        return cli_usage_error("copy", "expected SOURCE and TARGET");
    ccn_ctx *ctx = cli_ctx(quiet);
    int rc = 0;
    if (digest_of) {
        ccn_store *store = NULL;
        char hex[65];
        ccn_status st;
        if (!(rc = cli_open(ctx, "copy", digest_of, &store))) {
            if ((st = ccn_copy_digest(store, hex)))
                rc = cli_fail(ctx, "copy", st);
            else
                printf("%s  %s\n", hex, digest_of);
        }
        ccn_store_close(store);
    } else {
        ccn_copy_result res;
        ccn_status st = ccn_copy(ctx, argv[optind], argv[optind + 1], &o, &res);
        if (st) {
            rc = cli_fail(ctx, "copy", st);
        } else {
            cli_warnings(ctx, "copy");
            if (!quiet)
                printf(_("copied %s to %s%s: %d tables, %lld rows, digest %s\n"), argv[optind],
                       argv[optind + 1], res.created ? _(" (new)") : "", res.tables,
                       (long long)res.rows, res.digest);
        }
    }
    ccn_ctx_free(ctx);
    return rc;
}
