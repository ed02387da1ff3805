/* test_palette — the one palette (gis/palette.csv): compiled in, loaded by
 * `ccn init` into the workspace, a district's own colours laid over it, a bad
 * colour refused, and the JSON the web page reads. */
#include "check.h"
#include "district.h"
#include "palette.h"
#include "publish.h"

#include <stdlib.h>
#include <unistd.h>

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    char dir[] = "/tmp/ccn_test_palette_XXXXXX", path[512];
    CHECK(mkdtemp(dir) != NULL);

    /* Built in: the rows of gis/palette.csv as written there. */
    ccn_palette *p = NULL;
    CHECK(ccn_palette_load(ctx, NULL, &p) == CCN_OK);
    CHECK(ccn_palette_rgb(p, "lot.leased") == 0xD7301F);
    CHECK_STR(ccn_palette_hex(p, "lot.leased"), "#D7301F");
    CHECK_STR(ccn_palette_label(p, "lot.leased"), "Lô đất công nghiệp đã cho thuê");
    CHECK(ccn_palette_landuse(p, "LUC") == 0xFFFC8C);  /* landuse.LUC */
    CHECK(ccn_palette_landuse(p, "XYZ") == 0xBDBDBD);  /* unknown code: plan.none */
    CHECK_STR(ccn_palette_label(p, "no.such.key"), "");
    /* "green" is not both vacant and target met any more */
    CHECK(ccn_palette_rgb(p, "lot.vacant") != ccn_palette_rgb(p, "target.met"));
    char *json = ccn_palette_json(p);
    CHECK(json && ccn_publish_json_valid(json, NULL));
    CHECK(json && strstr(json, "\"lot.leased\": {\"color\": \"#D7301F\", \"label\": "
                               "\"Lô đất công nghiệp đã cho thuê\"}"));
    free(json);
    size_t n = ccn_palette_count(p);
    CHECK(n > 90); /* 26 status colours and 70 land-use codes */
    ccn_palette_free(p);

    /* A district with its own palette.csv: its colours win, the rest is
     * completed from the built-in one in the workspace table. */
    snprintf(path, sizeof path, "%s/clusters.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("code,name,planned_ha\nAA,Cụm A,20\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/palette.csv", dir);
    f = fopen(path, "w");
    fputs("key,color,label,meaning\nlot.leased,#112233,,\nlot.new,#abcdef,Mới,\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/ws.sqlite", dir);
    ccn_store *s = NULL;
    CHECK(ccn_store_create(ctx, path, 5897, true, &s) == CCN_OK);
    CHECK(ccn_store_begin(s) == CCN_OK);
    CHECK(ccn_district_load(s, dir) == CCN_OK);
    CHECK(ccn_store_commit(s) == CCN_OK);
    CHECK(ccn_palette_load(ctx, s, &p) == CCN_OK);
    CHECK(ccn_palette_rgb(p, "lot.leased") == 0x112233);
    CHECK_STR(ccn_palette_label(p, "lot.leased"), "Lô đất công nghiệp đã cho thuê"); /* kept */
    CHECK(ccn_palette_rgb(p, "lot.new") == 0xABCDEF);
    CHECK(ccn_palette_rgb(p, "lot.vacant") == 0xFDD49E);
    ccn_palette_free(p);
    /* the table alone holds every key (QGIS reads it) */
    CHECK(ccn_store_count(s, "palette") == (int64_t)n + 1);
    ccn_store_close(s);

    /* A colour that is not #RRGGBB stops ccn init, naming the line. */
    snprintf(path, sizeof path, "%s/palette.csv", dir);
    f = fopen(path, "w");
    fputs("key,color,label,meaning\nlot.vacant,green,,\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/ws2.sqlite", dir);
    CHECK(ccn_store_create(ctx, path, 5897, true, &s) == CCN_OK);
    CHECK(ccn_store_begin(s) == CCN_OK);
    CHECK(ccn_district_load(s, dir) == CCN_ERR_INPUT);
    /* district.c's rule for a colour column (V_COLOR), naming the line */
    CHECK(strstr(ccn_ctx_message(ctx), "palette.csv: line 2: color 'green'") != NULL);
    if (!strstr(ccn_ctx_message(ctx), "palette.csv: line 2: color 'green'"))
        fprintf(stderr, "message: %s\n", ccn_ctx_message(ctx));
    ccn_store_close(s);

    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    ccn_ctx_free(ctx);
    return check_summary();
}
