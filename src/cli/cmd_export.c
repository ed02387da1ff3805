/* ccn export — one workspace layer to GeoJSON (RFC 7946), GeoPackage or shapefile. */
#include "cli.h"
#include "i18n.h"

#include "../export.h"

#include <string.h>
#include <strings.h>

static const char help[] =
    N_("Usage: ccn export WORKSPACE OUT --layer clusters|lots|parcels|plan|communes|findings\n"
    "                  [--cluster CODE] [--as-of DATE] [--format geojson|gpkg|shp] [-q]\n\n"
    "Write one layer of the workspace to OUT, chosen by its extension:\n"
    "  .geojson  RFC 7946: WGS 84 longitude/latitude (EPSG's VN-2000 shift), 7 decimals,\n"
    "            exterior rings counter-clockwise, holes clockwise, a bbox; '-' = stdout\n"
    "  .gpkg     GeoPackage, in the workspace CRS (VN-2000), for QGIS\n"
    "  .shp      shapefile in the workspace CRS, UTF-8 text with a .cpg\n"
    "One feature per row with the row's fields as properties: lots carry their lease\n"
    "status, tenant and dates on the as-of date; clusters their areas, occupancy and\n"
    "target; findings their code, severity and message. The file is written under a\n"
    "temporary name and renamed when complete. A stored geometry that cannot be\n"
    "read or is not of the layer's kind (a line among polygons) is written as null\n"
    "with the feature's properties, and named in a warning (exit code 0).\n\n"
    "  --layer L         the layer to export\n"
    "  --cluster CODE    only this cluster's rows (parcels, plan zones, communes and\n"
    "                    findings: those inside its boundary)\n"
    "  --as-of DATE      the date of the lease status, YYYY-MM-DD or\n"
    "                    dd/mm/yyyy (default: today)\n"
    "  --format F        geojson, gpkg or shp (must agree with OUT's extension; .json\n"
    "                    is GeoJSON)\n"
    "  -q, --quiet       no progress bar\n");

int cmd_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"layer", required_argument, NULL, 'l'},  {"cluster", required_argument, NULL, 'c'},
        {"as-of", required_argument, NULL, 'd'},  {"format", required_argument, NULL, 'F'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    ccn_export_options o = {0};
    const char *format = NULL;
    bool quiet = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case 'l': o.layer = optarg; break;
        case 'c': o.cluster = optarg; break;
        case 'd':
            o.as_of = optarg;
            if (!cli_date("export", "--as-of", &o.as_of, true))
                return CCN_ERR_INPUT;
            break;
        case 'F': format = optarg; break;
        case 'q': quiet = true; break;
        case 'h': fputs(_(help), stdout); return 0;
        default: return cli_bad_option("export");
        }
    }
    if (optind + 2 != argc)
        return cli_usage_error("export", "expected WORKSPACE and OUT");
    o.path = argv[optind + 1];
    if (!o.layer)
        return cli_usage_error("export", "--layer is required (clusters, lots, parcels, plan, "
                                         "communes or findings)");
    ccn_export_format by_name, by_ext;
    if (format && !ccn_export_format_parse(format, &by_name))
        return cli_usage_error("export", "--format '%s': expected geojson, gpkg or shp", format);
    const char *dot = strrchr(o.path, '.');
    /* A .json file is GeoJSON, as GDAL's tools take it. */
    if (dot && !strchr(dot, '/') && !strcasecmp(dot, ".json"))
        by_ext = CCN_EXPORT_GEOJSON;
    else if (!ccn_export_format_from_path(o.path, &by_ext)) {
        if (dot && (!strcasecmp(dot, ".png") || !strcasecmp(dot, ".svg") || !strcasecmp(dot, ".pdf")))
            return cli_usage_error("export", "'%s': maps are drawn by 'ccn map'; export writes "
                                             ".geojson, .gpkg or .shp", o.path);
        return cli_usage_error("export", "'%s': the output must end in .geojson (or .json), "
                                         ".gpkg or .shp, or be '-' for GeoJSON on stdout", o.path);
    }
    if (format && by_name != by_ext && strcmp(o.path, "-") != 0)
        return cli_usage_error("export", "--format %s does not match the extension of '%s'",
                               format, o.path);
    o.format = format ? by_name : by_ext;

    ccn_ctx *ctx = cli_ctx(quiet || strcmp(o.path, "-") == 0);
    ccn_store *store = NULL;
    char code[64];
    int rc = cli_open(ctx, "export", argv[optind], &store);
    if (!rc)
        rc = cli_cluster(ctx, "export", store, &o.cluster, code, sizeof code);
    if (!rc) {
        ccn_export_result res;
        ccn_status st = ccn_export(store, &o, &res);
        if (st) {
            rc = cli_fail(ctx, "export", st);
        } else {
            cli_warnings(ctx, "export");
            /* With '-' stdout is the data: the summary goes to stderr, unless -q. */
            bool piped = strcmp(o.path, "-") == 0;
            FILE *msg = piped ? stderr : stdout;
            static const char *const kinds[] = {"GeoJSON, WGS 84", "GeoPackage", N_("shapefile")};
            if (!(piped && quiet)) {
                fprintf(msg, _("%s -> %s (%s): %lld features, as of %s"), o.layer,
                        piped ? "stdout" : o.path, _(kinds[o.format]), (long long)res.features,
                        res.as_of);
                if (o.format == CCN_EXPORT_GEOJSON)
                    fprintf(msg, _(", %lld rings rewound"), (long long)res.reoriented);
                if (res.no_geometry) /* each named in a warning above */
                    fprintf(msg, _(", %lld written with a null geometry (unreadable or not of "
                                   "the layer's kind)"),
                            (long long)res.no_geometry);
                /* Never over what was there silently. */
                if (res.over == CCN_EXPORT_REPLACED_FILE)
                    fprintf(msg, _("; the file that was there is replaced"));
                else if (res.over == CCN_EXPORT_ADDED_LAYER)
                    fprintf(msg, _("; layer '%s' added to the GeoPackage, its other layers kept"),
                            o.layer);
                else if (res.over == CCN_EXPORT_REPLACED_LAYER)
                    fprintf(msg, _("; the GeoPackage's layer '%s' is replaced, its other layers "
                                   "kept"),
                            o.layer);
                fputc('\n', msg);
            }
        }
    }
    ccn_store_close(store);
    ccn_ctx_free(ctx);
    return rc;
}
