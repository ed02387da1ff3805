/* test_xlsx — the spreadsheet, read back by GDAL's XLSX driver (ogrinfo).
 *
 * Two small tables go into one workbook; `ogrinfo -ro -al` must then list the
 * two sheets under their Vietnamese names, with the Vietnamese headers, the
 * right row counts, numbers as Real/Integer fields holding the CSV figures,
 * the hectare columns added beside the m² ones, dates as dates, and NULL as
 * an unset field. Bad sheet names and an unwritable path are refused. */
#include "check.h"
#include "xlsx.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The whole of a command's stdout, malloc'd. */
static char *slurp_command(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t n = 0, cap = 65536;
    char *s = malloc(cap);
    size_t k;
    while (s && (k = fread(s + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (cap - n < 4096) {
            char *t = realloc(s, cap *= 2);
            if (!t) {
                free(s);
                s = NULL;
            } else
                s = t;
        }
    }
    pclose(p);
    if (s)
        s[n] = '\0';
    return s;
}

/* The value of field NAME in a feature's block ("  NAME (Type) = value"),
 * false if the feature does not list it (an unset field). */
static bool field_value(const char *block, const char *name, char *out, size_t outsz)
{
    char key[256];
    snprintf(key, sizeof key, "\n  %s (", name);
    const char *p = strstr(block, key), *end = strstr(block, "\n\n");
    if (!p || (end && p > end))
        return false;
    p = strstr(p, ") = ");
    if (!p)
        return false;
    p += 4;
    size_t n = strcspn(p, "\n");
    snprintf(out, outsz, "%.*s", (int)n, p);
    return true;
}

/* The block of one OGRFeature of a layer: from "OGRFeature(LAYER):FID" to the next. */
static const char *feature(const char *all, const char *layer, int fid)
{
    char key[256];
    snprintf(key, sizeof key, "OGRFeature(%s):%d\n", layer, fid);
    return strstr(all, key);
}

static int count_of(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    char dir[] = "/tmp/ccn-test-xlsx-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256], cmd[512], v[256];
    snprintf(path, sizeof path, "%s/report.xlsx", dir);

    /* areas: DESIGN §8 columns; area_m2 has its twin area_ha, ellipsoidal_m2 has none */
    const char *areas_cols[] = {"code", "name", "status", "planned_ha", "area_m2", "area_ha",
                                "ellipsoidal_m2", "deviation_pct", NULL};
    ccn_table *areas = ccn_table_new("areas", areas_cols);
    ccn_table_add_row(areas);
    ccn_table_set_text(areas, 0, "DL3");
    ccn_table_set_text(areas, 1, "Dân Lực – Dân Lý – Dân Quyền");
    ccn_table_set_text(areas, 2, "existing");
    ccn_table_set_real(areas, 3, 50, 2);
    ccn_table_set_real(areas, 4, 512345.67849, 3); /* CSV: 512345.678 */
    ccn_table_set_real(areas, 5, 51.2345678, 4);   /* CSV: 51.2346 */
    ccn_table_set_real(areas, 6, 512401.25, 3);
    ccn_table_set_real(areas, 7, 2.46913567, 4);   /* CSV: 2.4691 */
    ccn_table_add_row(areas);
    ccn_table_set_text(areas, 0, "NUA");
    ccn_table_set_text(areas, 1, "Nưa");
    ccn_table_set_text(areas, 2, "new");
    ccn_table_set_real(areas, 3, 20, 2);
    ccn_table_set_real(areas, 4, 199000.5, 3);
    ccn_table_set_real(areas, 5, 19.90005, 4);
    /* ellipsoidal_m2 and deviation_pct left NULL */

    const char *lot_cols[] = {"cluster", "lot_no", "use", "area_m2", "leased", "tenant",
                              "lease_start", "lease_end", NULL};
    ccn_table *lots = ccn_table_new("occupancy by lot", lot_cols);
    const struct {
        const char *lot, *use;
        double m2;
        bool leased;
        const char *tenant, *start;
    } rows[] = {
        {"CN-01", "industrial", 12345.6789, true, "Công ty TNHH May Đức Giang", "2023-04-01"},
        {"CN-02", "industrial", 9000.0, false, NULL, NULL},
        {"CX-01", "green", 1500.25, false, NULL, NULL},
    };
    for (int i = 0; i < 3; i++) {
        ccn_table_add_row(lots);
        ccn_table_set_text(lots, 0, "HT");
        ccn_table_set_text(lots, 1, rows[i].lot);
        ccn_table_set_text(lots, 2, rows[i].use);
        ccn_table_set_real(lots, 3, rows[i].m2, 3);
        ccn_table_set_bool(lots, 4, rows[i].leased);
        ccn_table_set_text(lots, 5, rows[i].tenant);
        ccn_table_set_text(lots, 6, rows[i].start);
    }

    ccn_xlsx_sheet sheets[] = {{"Diện tích", areas}, {"Lấp đầy theo lô", lots}};
    CHECK(ccn_xlsx_write(ctx, path, NULL, sheets, 2) == CCN_OK);
    struct stat sb;
    CHECK(stat(path, &sb) == 0 && sb.st_size > 0);

    /* The summary: two layers, named as the sheets, with their row counts. */
    snprintf(cmd, sizeof cmd, "ogrinfo -ro -so -al '%s' 2>&1", path);
    char *summary = slurp_command(cmd);
    CHECK(summary != NULL);
    if (summary) {
        CHECK(strstr(summary, "Layer name: Diện tích\n") != NULL);
        CHECK(strstr(summary, "Layer name: Lấp đầy theo lô\n") != NULL);
        CHECK(count_of(summary, "Feature Count: 2\n") == 1);
        CHECK(count_of(summary, "Feature Count: 3\n") == 1);
        /* headers in Vietnamese with their field types: numbers are numbers */
        CHECK(strstr(summary, "Mã: String") != NULL);
        /* 50 and 20: GDAL calls a column of whole numbers Integer */
        CHECK(strstr(summary, "Diện tích quy hoạch (ha): Integer") != NULL);
        CHECK(strstr(summary, "Diện tích (m²): Real") != NULL);
        CHECK(strstr(summary, "Diện tích (ha): Real") != NULL);
        CHECK(strstr(summary, "Diện tích trên elipxoit (m²): Real") != NULL);
        CHECK(strstr(summary, "Diện tích trên elipxoit (ha): Real") != NULL);
        CHECK(strstr(summary, "Chênh lệch (%): Real") != NULL);
        CHECK(strstr(summary, "Ngày bắt đầu thuê: Date") != NULL);
        CHECK(strstr(summary, "Đã cho thuê: String") != NULL);
        /* area_m2 has its twin area_ha: no second "Diện tích (ha)" in the areas sheet */
        CHECK(count_of(summary, "Diện tích (ha): Real") == 2); /* one per sheet */
        if (check_failed)
            fprintf(stderr, "%s\n", summary);
    }
    free(summary);

    snprintf(cmd, sizeof cmd, "ogrinfo -ro -al '%s' 2>&1", path);
    char *all = slurp_command(cmd);
    CHECK(all != NULL);
    if (all) {
        /* GDAL numbers features by their Excel row: the header is row 1 */
        const char *f = feature(all, "Diện tích", 2);
        CHECK(f != NULL);
        if (f) {
            CHECK(field_value(f, "Tên", v, sizeof v) && strcmp(v, "Dân Lực – Dân Lý – Dân Quyền") == 0);
            CHECK(field_value(f, "Hiện trạng", v, sizeof v) && strcmp(v, "hiện có") == 0);
            CHECK(field_value(f, "Diện tích (m²)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 512345.67849, 1e-9); /* whole: the format rounds */
            CHECK(field_value(f, "Diện tích (ha)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 51.2345678, 1e-9);
            CHECK(field_value(f, "Diện tích trên elipxoit (ha)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 51.240125, 1e-9); /* 512401.25 m² / 10⁴ */
            CHECK(field_value(f, "Chênh lệch (%)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 2.46913567, 1e-9);
        }
        f = feature(all, "Diện tích", 3);
        CHECK(f != NULL);
        if (f) {
            CHECK(field_value(f, "Mã", v, sizeof v) && strcmp(v, "NUA") == 0);
            CHECK(field_value(f, "Hiện trạng", v, sizeof v) && strcmp(v, "thành lập mới") == 0);
            /* NULL stays empty: GDAL does not list an unset field */
            CHECK(!field_value(f, "Diện tích trên elipxoit (m²)", v, sizeof v));
            CHECK(!field_value(f, "Diện tích trên elipxoit (ha)", v, sizeof v));
            CHECK(!field_value(f, "Chênh lệch (%)", v, sizeof v));
            CHECK(field_value(f, "Diện tích (ha)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 19.90005, 1e-9); /* 199000.5 m² */
        }
        f = feature(all, "Lấp đầy theo lô", 2);
        CHECK(f != NULL);
        if (f) {
            CHECK(field_value(f, "Bên thuê", v, sizeof v) && strcmp(v, "Công ty TNHH May Đức Giang") == 0);
            CHECK(field_value(f, "Đã cho thuê", v, sizeof v) && strcmp(v, "có") == 0);
            CHECK(field_value(f, "Chức năng", v, sizeof v) && strcmp(v, "công nghiệp") == 0);
            CHECK(field_value(f, "Ngày bắt đầu thuê", v, sizeof v) && strcmp(v, "2023/04/01") == 0);
            CHECK(field_value(f, "Diện tích (ha)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 1.23456789, 1e-9); /* 12345.6789 m² */
        }
        f = feature(all, "Lấp đầy theo lô", 4);
        CHECK(f != NULL);
        if (f) {
            CHECK(!field_value(f, "Bên thuê", v, sizeof v));
            CHECK(field_value(f, "Số lô", v, sizeof v) && strcmp(v, "CX-01") == 0);
            CHECK(field_value(f, "Chức năng", v, sizeof v) && strcmp(v, "cây xanh") == 0);
            CHECK(field_value(f, "Đã cho thuê", v, sizeof v) && strcmp(v, "không") == 0);
            CHECK(field_value(f, "Diện tích (m²)", v, sizeof v));
            CHECK_NEAR(strtod(v, NULL), 1500.25, 1e-9);
        }
        if (check_failed)
            fprintf(stderr, "%s\n", all);
    }
    free(all);

    /* The sheet XML itself: frozen header, autofilter over all rows, widths set. */
    snprintf(cmd, sizeof cmd, "unzip -p '%s' xl/worksheets/sheet2.xml 2>/dev/null", path);
    char *xml = slurp_command(cmd);
    if (xml && *xml) { /* unzip is optional on the machine; GDAL above is the real reader */
        CHECK(strstr(xml, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>") != NULL);
        CHECK(strstr(xml, "<autoFilter ref=\"A1:I4\"/>") != NULL); /* 8 columns + 1 ha, 3 rows */
        CHECK(strstr(xml, "customWidth=\"1\"") != NULL);
    }
    free(xml);

    /* An empty report (a check that found nothing) is its header row alone.
     * GDAL 3.6 cannot tell a lone header from data, so it reads that sheet as
     * one row of text in fields Field1…: the headers, and nothing else. */
    const char *find_cols[] = {"severity", "code", "layer", "fid", "other_layer", "other_fid",
                               "area_m2", "x", "y", "message", NULL};
    ccn_table *findings = ccn_table_new("check", find_cols);
    char empty_path[256];
    snprintf(empty_path, sizeof empty_path, "%s/empty.xlsx", dir);
    ccn_xlsx_sheet with_empty[] = {{"Lỗi", findings}, {"Lấp đầy theo lô", lots}};
    CHECK(ccn_xlsx_write(ctx, empty_path, NULL, with_empty, 2) == CCN_OK);
    snprintf(cmd, sizeof cmd, "ogrinfo -ro -al '%s' 2>&1", empty_path);
    char *empty = slurp_command(cmd);
    const char *lone = empty ? strstr(empty, "OGRFeature(Lỗi):1\n") : NULL;
    CHECK(lone != NULL);
    if (lone) {
        CHECK(field_value(lone, "Field1", v, sizeof v) && strcmp(v, "Mức độ") == 0);
        CHECK(field_value(lone, "Field8", v, sizeof v) && strcmp(v, "Diện tích (ha)") == 0);
        CHECK(field_value(lone, "Field9", v, sizeof v) && strcmp(v, "Tọa độ E (m)") == 0);
        CHECK(field_value(lone, "Field11", v, sizeof v) && strcmp(v, "Nội dung (tiếng Anh)") == 0);
    }
    CHECK(empty && !strstr(empty, "OGRFeature(Lỗi):2"));
    free(empty);
    ccn_table_free(findings);

    /* Bad input: refused before anything is written. */
    char bad[256];
    snprintf(bad, sizeof bad, "%s/bad.xlsx", dir);
    ccn_xlsx_sheet long_name[] = {{"Tỷ lệ lấp đầy theo cụm công nghiệp năm", lots}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, long_name, 1) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "longer than 31") != NULL);
    ccn_xlsx_sheet slash[] = {{"Q1/2024", lots}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, slash, 1) == CCN_ERR_INPUT);
    /* Excel compares sheet names without case, Vietnamese letters included */
    ccn_xlsx_sheet dup[] = {{"Lots", lots}, {"LOTS", areas}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, dup, 2) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "two sheets") != NULL);
    ccn_xlsx_sheet dup_vi[] = {{"Lô đất", lots}, {"LÔ ĐẤT", areas}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, dup_vi, 2) == CCN_ERR_INPUT);
    ccn_xlsx_sheet dup_uo[] = {{"Ưu tiên Ơ", lots}, {"ưu tiên ơ", areas}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, dup_uo, 2) == CCN_ERR_INPUT);
    ccn_xlsx_sheet distinct[] = {{"Lô", lots}, {"Lo", areas}, {"Lỗ", areas}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, distinct, 3) == CCN_OK);
    CHECK(ccn_xlsx_write(ctx, bad, NULL, sheets, 0) == CCN_ERR_INPUT);
    ccn_xlsx_sheet no_table[] = {{"Trống", NULL}};
    CHECK(ccn_xlsx_write(ctx, bad, NULL, no_table, 1) == CCN_ERR_INTERNAL);
    CHECK(ccn_xlsx_write(ctx, "/nonexistent-dir/x.xlsx", NULL, sheets, 2) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "/nonexistent-dir/x.xlsx") != NULL);

    /* The header table covers DESIGN §8. */
    const char *design[] = {"code", "name", "status", "planned_ha", "area_m2", "area_ha",
        "ellipsoidal_m2", "deviation_pct", "cluster", "plan_code", "share_pct", "parcel_id",
        "commune", "sheet", "parcel_no", "landuse", "owner", "parcel_area_m2", "affected_m2",
        "affected_pct", "target_pct", "leasable_m2", "leased_m2", "occupancy_pct", "target_met",
        "lot_no", "use", "leased", "tenant", "lease_start", "lease_end", "date", "severity",
        "layer", "fid", "other_layer", "other_fid", "x", "y", "message"};
    for (size_t i = 0; i < sizeof design / sizeof *design; i++)
        CHECK(strcmp(ccn_xlsx_header(design[i]), design[i]) != 0);
    CHECK_STR(ccn_xlsx_header("no_such_column"), "no_such_column");

    /* No temporary file is left behind. */
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c tmp", dir);
    char *left = slurp_command(cmd);
    CHECK(left && strtol(left, NULL, 10) == 0);
    free(left);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    ccn_table_free(areas);
    ccn_table_free(lots);
    ccn_ctx_free(ctx);
    return check_summary();
}
