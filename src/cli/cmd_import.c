/* ccn import — one vector file into one workspace layer. */
#include "cli.h"
#include "i18n.h"

#include "../import.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
    N_("Usage: ccn import WORKSPACE FILE --as clusters|lots|parcels|plan|communes|markers\n"
    "                  [--layer NAME] [--s-srs CRS]\n"
    "                  [--encoding UTF-8|TCVN3|VNI|CP1258|auto]\n"
    "                  [--field TARGET=SOURCE]... [--replace | --replace-all] [--again]\n"
    "                  [--if-changed] [--skip-bad] [--xy ne|en] [-q]\n\n"
    "Import any GDAL vector file (GeoPackage, shapefile, GeoJSON, KML, DXF, CSV …)\n"
    "into the workspace, transformed into its CRS. The import is one transaction:\n"
    "if any feature is refused, nothing is stored (unless --skip-bad).\n\n"
    "  --as ROLE         the layer to fill\n"
    "  --layer NAME      the source layer (default: the only one, the one named as\n"
    "                    --as, or the first polygon layer)\n"
    "  --s-srs CRS       the source CRS (required when the file has none), as ogr2ogr's\n"
    "                    -s_srs takes it: EPSG:5897, urn:ogc:def:crs:EPSG::5897, WKT,\n"
    "                    a PROJ string, the path of a .prj file, ESRI:CODE\n"
    "  --encoding ENC    legacy text encoding of the attributes (default: as the file says;\n"
    "                    auto: told from the text itself, as for a DBF without a .cpg)\n"
    "  --field T=S       take target field T from source field S\n"
    "  --replace         replace the part of the layer the file covers: the lots and\n"
    "                    markers of its clusters, the parcels of its (commune, sheet)\n"
    "                    pairs, its clusters' boundaries, its communes, the whole plan\n"
    "  --replace-all     replace the whole layer\n"
    "                    (a replace that would leave a lease without its lot is refused)\n"
    "  --again           import a file already imported into this layer (same SHA-256;\n"
    "                    --replace and --replace-all replace it without --again)\n"
    "  --if-changed      skip, with exit 0, a file already imported into this layer\n"
    "  --skip-bad        store the good features and report the refused ones\n"
    "  --xy ne|en        marker tables: X is the northing (ne, default) or the easting\n"
    "  -q, --quiet       no progress bar\n");

int cmd_import(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"as", required_argument, NULL, 'a'},     {"layer", required_argument, NULL, 'l'},
        {"s-srs", required_argument, NULL, 's'},  {"encoding", required_argument, NULL, 'e'},
        {"field", required_argument, NULL, 'f'},  {"replace", no_argument, NULL, 'r'},
        {"replace-all", no_argument, NULL, 'R'}, {"again", no_argument, NULL, 'A'},
        {"if-changed", no_argument, NULL, 'C'},
        {"skip-bad", no_argument, NULL, 'k'},     {"xy", required_argument, NULL, 'x'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    ccn_import_options o = {0};
    const char *role_name = NULL;
    const char **fields = calloc((size_t)argc, sizeof *fields);
    bool quiet = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'a': role_name = optarg; break;
        case 'l': o.layer = optarg; break;
        case 's': o.s_srs = optarg; break;
        case 'e': o.encoding = optarg; break;
        case 'f': fields[o.nfields++] = optarg; break;
        case 'r': o.replace = true; break;
        case 'R': o.replace_all = true; break;
        case 'A': o.again = true; break;
        case 'C': o.if_changed = true; break;
        case 'k': o.skip_bad = true; break;
        case 'q': quiet = true; break;
        case 'x':
            if (strcmp(optarg, "ne") != 0 && strcmp(optarg, "en") != 0) {
                free(fields);
                return cli_usage_error("import", "--xy '%s': expected ne or en", optarg);
            }
            o.x_is_easting = strcmp(optarg, "en") == 0;
            break;
        case 'h': fputs(_(help), stdout); free(fields); return 0;
        default: free(fields); return cli_bad_option("import");
        }
    }
    ccn_role role = CCN_ROLE_CLUSTERS;
    int rc = 0;
    if (optind + 2 != argc)
        rc = cli_usage_error("import", "expected WORKSPACE and FILE");
    else if (!role_name)
        rc = cli_usage_error("import", "--as is required (clusters, lots, parcels, plan, communes or markers)");
    else if (!ccn_import_parse_role(role_name, &role))
        rc = cli_usage_error("import", "--as '%s': expected clusters, lots, parcels, plan, communes or markers", role_name);
    else if (o.replace && o.replace_all)
        rc = cli_usage_error("import", "--replace and --replace-all: choose one");
    else if (o.again && o.if_changed)
        rc = cli_usage_error("import", "--again and --if-changed: choose one");
    if (rc) {
        free(fields);
        return rc;
    }
    o.file = argv[optind + 1];
    o.fields = fields;
    ccn_ctx *ctx = cli_ctx(quiet);
    ccn_store *store = NULL;
    if (!(rc = cli_open(ctx, "import", argv[optind], &store))) {
        ccn_import_result res;
        ccn_status st = ccn_import(store, role, &o, &res);
        if (st) {
            rc = cli_fail(ctx, "import", st);
        } else if (res.unchanged) {
            printf(_("%s: unchanged since it was imported into %s (SHA-256 %.12s…): skipped\n"),
                   o.file, ccn_import_role_name(role), res.sha256);
        } else {
            cli_warnings(ctx, "import");
            printf(_("%s: layer '%s' (%s) -> %s: %lld read, %lld stored, %lld refused"), o.file,
                   res.layer, res.crs, ccn_import_role_name(role), (long long)res.read,
                   (long long)res.stored, (long long)res.refused);
            if (o.replace || o.replace_all)
                printf(_(", %lld replaced"), (long long)res.replaced);
            putchar('\n');
            if (res.again_of[0])
                printf(_("%s: the same file was imported into %s on %s (as '%s'): what that "
                         "import stored is replaced\n"),
                       o.file, ccn_import_role_name(role), res.again_at, res.again_of);
            if (res.kept)
                printf(_("%s: %lld cluster(s) keep the boundary they had, their new one refused: "
                         "%s\n"),
                       o.file, (long long)res.kept, res.kept_codes);
            if (res.kept_absent)
                printf(_("%s: %lld cluster(s) the file does not give keep the boundary they had, "
                         "not cleared by --replace-all, as a refused feature names no known "
                         "cluster and may be theirs: %s\n"),
                       o.file, (long long)res.kept_absent, res.kept_absent_codes);
            if (res.normalised)
                printf(_("%s: normalised %lld feature(s): %lld repeated vertices removed, %lld "
                         "ring(s) closed\n"),
                       o.file, (long long)res.normalised, (long long)res.repeats_removed,
                       (long long)res.rings_closed);
            if (res.invalid)
                printf(_("%s: %lld feature(s) stored with invalid geometry (ccn check lists them; "
                         "analyses repair them with MakeValid)\n"),
                       o.file, (long long)res.invalid);
        }
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    free(fields);
    return rc;
}
