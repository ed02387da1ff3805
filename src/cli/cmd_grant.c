/* ccn grant — rights on a PostgreSQL workspace. */
#include "cli.h"
#include "i18n.h"

#include "../multiuser.h"

static const char help[] =
    N_("Usage: ccn grant WORKSPACE viewer|editor|admin ROLE [-q]\n\n"
    "Give an existing PostgreSQL role access to a PostgreSQL workspace (replacing\n"
    "the access it had):\n"
    "  viewer  reads every layer and report, runs checks (ccn check and ccn report\n"
    "          replace the findings, the result of the last check)\n"
    "  editor  also changes the lease register (ccn lease add, end, import)\n"
    "  admin   also imports layers, runs ccn init --force, copies onto the\n"
    "          workspace and grants access\n"
    "The rights are those of three group roles of the workspace,\n"
    "DATABASE_SCHEMA_viewer, _editor and _admin; ROLE becomes a member of one.\n"
    "Granting needs the right to manage roles (CREATEROLE) on the server.\n"
    "Every change of the lease register and every import is recorded with the\n"
    "login role in the workspace's audit table.\n\n"
    "A SQLite workspace's rights are its file's permissions (chmod, chown).\n\n"
    "  -q, --quiet  accepted, as by every command (grant shows no progress)\n");

int cmd_grant(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'},
                                              {"quiet", no_argument, NULL, 'q'},
                                              {NULL, 0, NULL, 0}};
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'q': break; /* grant shows no progress: -q is accepted, as everywhere */
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("grant");
        }
    }
    if (optind + 3 != argc)
        return cli_usage_error("grant", "expected WORKSPACE, viewer|editor|admin and ROLE");
    ccn_access access;
    if (!ccn_multiuser_parse(argv[optind + 1], &access))
        return cli_usage_error("grant", "'%s': expected viewer, editor or admin", argv[optind + 1]);
    ccn_ctx *ctx = cli_ctx(true);
    ccn_store *store = NULL;
    int rc = cli_open(ctx, "grant", argv[optind], &store);
    if (!rc) {
        ccn_status st = ccn_multiuser_grant(store, access, argv[optind + 2]);
        if (st)
            rc = cli_fail(ctx, "grant", st);
        else
            printf(_("%s: %s of %s\n"), argv[optind + 2], argv[optind + 1],
                   ccn_store_path(store));
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
