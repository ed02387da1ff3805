/* test_publish — the web page folder: its files, its data.js, replacing an
 * old folder whole, leaving it untouched on failure, refusing folders that
 * are not ccn's; then the page itself in headless Chromium
 * (tests/node/publish_test.mjs): lots drawn, popups, the occupancy table.
 *
 * Fixtures in tests/data/publish/: two clusters (HT with five lots, TN with
 * none), two communes, two plan zones, in WGS 84. Figures worked by hand:
 * HT's industrial lots CN-01 46412.345 + CN-02 46398.100 + CN-03 46380.500 +
 * CN-04 23195.750 = 162386.695 m²; leased CN-01 + CN-03 = 92792.845 m²;
 * occupancy 92792.845 / 162386.695 = 57.1431 %; vacant CN-02 and CN-04.
 * tests/data/publish/occupancy.json holds the same rows, typed separately. */
#include "check.h"
#include "outdir.h"
#include "publish.h"
#include "webasset.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    if (s)
        s[n] = '\0';
    fclose(f);
    return s;
}

static long file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

static bool exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/* Entries of dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    return n;
}

static ccn_table *occupancy_table(void)
{
    const char *cols[] = {"cluster", "name", "status", "target_pct", "leasable_m2",
                          "leased_m2", "occupancy_pct", "target_met", NULL};
    ccn_table *t = ccn_table_new("occupancy", cols);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "HT");
    ccn_table_set_text(t, 1, "Hợp Thắng");
    ccn_table_set_text(t, 2, "existing");
    ccn_table_set_real(t, 3, 80, 4);
    ccn_table_set_real(t, 4, 162386.695, 3);
    ccn_table_set_real(t, 5, 92792.845, 3);
    ccn_table_set_real(t, 6, 92792.845 / 162386.695 * 100, 4);
    ccn_table_set_bool(t, 7, false);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "TN");
    ccn_table_set_text(t, 1, "Thọ Ngọc");
    ccn_table_set_text(t, 2, "new");
    ccn_table_set_real(t, 3, 30, 4);
    ccn_table_set_real(t, 4, 0, 3);
    ccn_table_set_real(t, 5, 0, 3);
    /* occupancy and target_met empty: no industrial lots */
    return t;
}

static ccn_table *series_table(void)
{
    const char *cols[] = {"date", "cluster", "leased_m2", "occupancy_pct", NULL};
    ccn_table *t = ccn_table_new("series", cols);
    const char *dates[] = {"2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31"};
    for (int i = 0; i < 4; i++) {
        double leased = i < 2 ? 46412.345 : 92792.845; /* CN-03 from 2025-10-15 */
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, dates[i]);
        ccn_table_set_text(t, 1, "HT");
        ccn_table_set_real(t, 2, leased, 3);
        ccn_table_set_real(t, 3, leased / 162386.695 * 100, 4);
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, dates[i]);
        ccn_table_set_text(t, 1, "TN");
        ccn_table_set_real(t, 2, 0, 3);
    }
    return t;
}

static ccn_table *vacant_table(void)
{
    const char *cols[] = {"cluster", "lot_no", "area_m2", NULL};
    ccn_table *t = ccn_table_new("vacant", cols);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "HT");
    ccn_table_set_text(t, 1, "CN-04");
    ccn_table_set_real(t, 2, 23195.75, 3);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "HT");
    ccn_table_set_text(t, 1, "CN-02");
    ccn_table_set_real(t, 2, 46398.1, 3);
    return t;
}

static void test_json_check(void)
{
    const char *good[] = {"{}", "[]", " {\"a\": [1, -2.5e+3, 0.25, true, false, null]} ",
                          "\"Đồng Thắng \\u00e9 \\\"q\\\"\"", "0", "-0.0E-7",
                          "{\"type\": \"FeatureCollection\", \"features\": []}"};
    const char *bad[] = {"", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1 2]", "01", "1.", "+1",
                         "\"tab\there\"", "\"\\x\"", "\"\\u12g4\"", "tru", "{} {}", "[1]]",
                         "{\"a\": nul}", "\"open"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        bool ok = ccn_publish_json_valid(good[i], NULL);
        CHECK(ok);
        if (!ok)
            fprintf(stderr, "  valid JSON refused: %s\n", good[i]);
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        bool ok = ccn_publish_json_valid(bad[i], NULL);
        CHECK(!ok);
        if (ok)
            fprintf(stderr, "  bad JSON taken: %s\n", bad[i]);
    }
    size_t at = 0;
    CHECK(!ccn_publish_json_valid("{\"a\": [1, 2,, 3]}", &at));
    CHECK(at == 12); /* the second comma */
    /* depth is bounded: no stack overflow on a hostile file */
    char deep[2100];
    memset(deep, '[', 2000);
    deep[2000] = '\0';
    CHECK(!ccn_publish_json_valid(deep, NULL));
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    char tmp[] = "/tmp/ccn-test-publish-XXXXXX";
    CHECK(mkdtemp(tmp) != NULL);
    char site[256], path[512], cmd[2048];
    snprintf(site, sizeof site, "%s/site", tmp);

    test_json_check();

    char *clusters = slurp("tests/data/publish/clusters.geojson");
    char *lots = slurp("tests/data/publish/lots.geojson");
    char *communes = slurp("tests/data/publish/communes.geojson");
    char *plan = slurp("tests/data/publish/plan.geojson");
    CHECK(clusters && lots && communes && plan);
    ccn_table *occupancy = occupancy_table(), *series = series_table(), *vacant = vacant_table();
    ccn_publish_data data = {
        .title = "Cụm công nghiệp huyện Triệu Sơn — tỷ lệ lấp đầy \"thử\"",
        .as_of = "2026-03-31",
        .generated = "2026-04-02 09:15",
        .clusters = clusters,
        .lots = lots,
        .communes = communes,
        .plan = plan,
        .occupancy = occupancy,
        .series = series,
        .vacant = vacant,
    };

    /* A new folder: every compiled-in file, byte for byte, and data.js. */
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_OK);
    CHECK(ccn_webasset_count >= 8);
    for (size_t i = 0; i < ccn_webasset_count; i++) {
        snprintf(path, sizeof path, "%s/%s", site, ccn_webassets[i].path);
        CHECK(file_size(path) == (long)ccn_webassets[i].size);
    }
    const char *must[] = {"index.html", "app.js", "style.css", "data.js", ".ccn-output",
                          "leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE",
                          "leaflet/images/layers.png", "leaflet/images/layers-2x.png"};
    for (size_t i = 0; i < sizeof must / sizeof *must; i++) {
        snprintf(path, sizeof path, "%s/%s", site, must[i]);
        CHECK(file_size(path) > 0);
        if (file_size(path) <= 0)
            fprintf(stderr, "  missing: %s\n", path);
    }
    snprintf(path, sizeof path, "%s/leaflet/leaflet.js", site);
    char *leaflet = slurp(path);
    CHECK(leaflet && strstr(leaflet, "Leaflet 1.9.4") != NULL);
    free(leaflet);
    snprintf(path, sizeof path, "%s/index.html", site);
    char *html = slurp(path);
    CHECK(html && strstr(html, "<html lang=\"vi\">") && strstr(html, "src=\"data.js\"") &&
          strstr(html, "href=\"leaflet/leaflet.css\""));
    /* nothing that would reach the network */
    CHECK(html && !strstr(html, "http://") && !strstr(html, "https://") && !strstr(html, "//cdn"));
    free(html);

    snprintf(path, sizeof path, "%s/data.js", site);
    char *js = slurp(path);
    CHECK(js != NULL);
    if (js) {
        const char *start = strstr(js, "window.CCN_DATA = ");
        CHECK(start != NULL);
        char *end = strrchr(js, ';');
        if (start && end) {
            *end = '\0'; /* the object literal alone is JSON */
            CHECK(ccn_publish_json_valid(start + strlen("window.CCN_DATA = "), NULL));
            *end = ';';
        }
        CHECK(strstr(js, "\"title\": \"Cụm công nghiệp huyện Triệu Sơn — tỷ lệ lấp đầy \\\"thử\\\"\"") != NULL);
        CHECK(strstr(js, "\"as_of\": \"2026-03-31\"") != NULL);
        CHECK(strstr(js, "\"generated\": \"2026-04-02 09:15\"") != NULL);
        CHECK(strstr(js, "\"occupancy_pct\": 57.1431") != NULL);
        CHECK(strstr(js, "\"target_met\": null") != NULL);
        CHECK(strstr(js, "{\"cluster\": \"HT\", \"lot_no\": \"CN-04\", \"area_m2\": 23195.750}") != NULL);
        CHECK(strstr(js, "\"lot_no\": \"CX-01\"") != NULL); /* the lots layer, verbatim */
    }
    free(js);
    CHECK(count_prefixed(tmp, ".site.ccn-tmp-") == 0);

    /* The page in Chromium: run it now, before the folder is replaced below. */
    bool have_node = access("tests/node/node_modules/playwright-core/package.json", R_OK) == 0;
    CHECK(have_node);
    if (!have_node)
        fprintf(stderr, "test_publish: playwright-core missing; run `npm ci` in tests/node "
                        "(scripts/setup.sh does it)\n");

    /* An empty data set: the page must still open cleanly. */
    char empty[256];
    snprintf(empty, sizeof empty, "%s/empty", tmp);
    ccn_publish_data none = {.as_of = "2026-03-31"};
    CHECK(ccn_publish_write(ctx, empty, &none) == CCN_OK);
    snprintf(path, sizeof path, "%s/data.js", empty);
    js = slurp(path);
    CHECK(js && strstr(js, "\"lots\": {\"type\": \"FeatureCollection\", \"features\": []}") &&
          strstr(js, "\"vacant\": []") && strstr(js, "\"title\": \"Cụm công nghiệp — tỷ lệ lấp đầy\""));
    free(js);

    if (have_node) {
        const char *shot = getenv("CCN_SCREENSHOT"); /* to look at the page by eye */
        char shot_arg[600] = "";
        if (shot)
            snprintf(shot_arg, sizeof shot_arg, " --screenshot '%s'", shot);
        snprintf(cmd, sizeof cmd,
                 "node tests/node/publish_test.mjs '%s' --lots 5 "
                 "--occupancy tests/data/publish/occupancy.json "
                 "--tenant 'HT/CN-01=Công ty TNHH May Đức Giang' "
                 "--tenant 'HT/CN-03=Công ty CP \"Gạch men\" Thanh Hóa & <Đối tác>'%s "
                 "-- '%s' --lots 0",
                 site, shot_arg, empty);
        int rc = system(cmd);
        CHECK(rc == 0);
    }

    /* Re-run into the same folder: a file a person put there is not ccn's
     * to delete: refused, the folder kept (outdir.c); without it, replaced
     * whole. */
    snprintf(path, sizeof path, "%s/stray.txt", site);
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
    CHECK(exists(path));
    data.title = "Lần hai";
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "stray.txt") != NULL);
    CHECK(exists(path));
    CHECK(count_prefixed(tmp, ".site.") == 0);
    remove(path);
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_OK);
    snprintf(path, sizeof path, "%s/data.js", site);
    js = slurp(path);
    CHECK(js && strstr(js, "\"title\": \"Lần hai\""));
    free(js);
    CHECK(count_prefixed(tmp, ".site.") == 0);
    CHECK(count_prefixed(tmp, "site.old") == 0);
    /* the same on a file system without an atomic exchange (moved aside, then in) */
    setenv("CCN_TEST_NO_EXCHANGE", "1", 1);
    data.title = "Lần hai, không đổi chỗ";
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_OK);
    unsetenv("CCN_TEST_NO_EXCHANGE");
    js = slurp(path);
    CHECK(js && strstr(js, "\"title\": \"Lần hai, không đổi chỗ\""));
    free(js);
    CHECK(count_prefixed(tmp, ".site.") == 0);
    CHECK(count_prefixed(tmp, "site.old") == 0);
    data.title = "Lần hai";
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_OK);
    /* a trailing slash names the same folder */
    snprintf(path, sizeof path, "%s/", site);
    CHECK(ccn_publish_write(ctx, path, &data) == CCN_OK);

    /* A failure leaves the old folder as it was and no temporary folder. */
    data.title = "Lần ba";
    data.lots = "{\"type\": \"FeatureCollection\", \"features\": [";
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_ERR_INTERNAL);
    CHECK(strstr(ccn_ctx_message(ctx), "lots layer is not valid JSON") != NULL);
    data.lots = "{\"type\": \"Feature\", \"properties\": {}, \"geometry\": null}";
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_ERR_INTERNAL);
    CHECK(strstr(ccn_ctx_message(ctx), "not a FeatureCollection") != NULL);
    data.lots = lots;
    data.as_of = "2026-02-30";
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_ERR_INPUT);
    data.as_of = NULL;
    CHECK(ccn_publish_write(ctx, site, &data) == CCN_ERR_INPUT);
    data.as_of = "2026-03-31";
    snprintf(path, sizeof path, "%s/data.js", site);
    js = slurp(path);
    CHECK(js && strstr(js, "\"title\": \"Lần hai\""));
    free(js);
    CHECK(count_prefixed(tmp, ".site.") == 0);

    /* A failure in the middle (a file cannot be written) also leaves it whole. */
    ccn_outdir *d = NULL;
    CHECK(ccn_outdir_begin(ctx, site, "test", &d) == CCN_OK);
    if (d) {
        CHECK(count_prefixed(tmp, ".site.ccn-tmp-") == 1);
        CHECK(ccn_publish_write_into(ctx, d, "web", &data) == CCN_OK);
        snprintf(path, sizeof path, "%s/web/index.html", ccn_outdir_tmp(d));
        CHECK(file_size(path) > 0);
        CHECK(ccn_outdir_write(ctx, d, "no/such/folder/x", "x", 1) == CCN_ERR_INPUT);
        ccn_outdir_free(d); /* the caller gives up: no commit */
    }
    CHECK(count_prefixed(tmp, ".site.") == 0);
    snprintf(path, sizeof path, "%s/index.html", site);
    CHECK(file_size(path) > 0);
    snprintf(path, sizeof path, "%s/web", site);
    CHECK(!exists(path));

    /* ccn report's use: the page in a sub-folder of a folder it commits. */
    char report[256];
    snprintf(report, sizeof report, "%s/report", tmp);
    d = NULL;
    CHECK(ccn_outdir_begin(ctx, report, "ccn report", &d) == CCN_OK);
    if (d) {
        CHECK(ccn_outdir_mkdir(ctx, d, "maps/clusters") == CCN_OK);
        CHECK(ccn_outdir_write(ctx, d, "maps/clusters/HT.txt", "HT\n", 3) == CCN_OK);
        CHECK(ccn_publish_write_into(ctx, d, "web", &data) == CCN_OK);
        CHECK(ccn_outdir_commit(ctx, d) == CCN_OK);
        ccn_outdir_free(d);
    }
    snprintf(path, sizeof path, "%s/web/leaflet/images/layers.png", report);
    CHECK(file_size(path) > 0);
    snprintf(path, sizeof path, "%s/maps/clusters/HT.txt", report);
    CHECK(file_size(path) == 3);
    snprintf(path, sizeof path, "%s/.ccn-output", report);
    char *marker = slurp(path);
    CHECK(marker && strstr(marker, "ccn report"));
    free(marker);

    /* Folders that are not ccn's are never replaced. */
    char mine[256];
    snprintf(mine, sizeof mine, "%s/mine", tmp);
    mkdir(mine, 0755);
    snprintf(path, sizeof path, "%s/thesis.docx", mine);
    f = fopen(path, "w");
    if (f)
        fclose(f);
    CHECK(ccn_publish_write(ctx, mine, &data) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "not empty and was not written by ccn") != NULL);
    CHECK(exists(path));
    CHECK(count_prefixed(tmp, ".mine.") == 0);
    /* an empty folder is fine */
    snprintf(path, sizeof path, "%s/emptydir", tmp);
    mkdir(path, 0755);
    CHECK(ccn_publish_write(ctx, path, &data) == CCN_OK);
    /* a file, a symbolic link, a missing parent, the root: refused */
    snprintf(path, sizeof path, "%s/mine/thesis.docx", tmp);
    CHECK(ccn_publish_write(ctx, path, &data) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "not a folder") != NULL);
    snprintf(path, sizeof path, "%s/link", tmp);
    CHECK(symlink(site, path) == 0);
    CHECK(ccn_publish_write(ctx, path, &data) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "symbolic link") != NULL);
    snprintf(path, sizeof path, "%s/no/such/site", tmp);
    CHECK(ccn_publish_write(ctx, path, &data) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "does not exist") != NULL);
    CHECK(ccn_publish_write(ctx, "/", &data) == CCN_ERR_INPUT);
    CHECK(ccn_publish_write(ctx, "", &data) == CCN_ERR_INPUT);
    CHECK(ccn_publish_write(ctx, "..", &data) == CCN_ERR_INPUT);

    CHECK(ccn_outdir_remove_tree(tmp));
    CHECK(!exists(tmp));
    free(clusters);
    free(lots);
    free(communes);
    free(plan);
    ccn_table_free(occupancy);
    ccn_table_free(series);
    ccn_table_free(vacant);
    ccn_ctx_free(ctx);
    return check_summary();
}
