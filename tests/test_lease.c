/* test_lease — the lease register: refusals, the [start, end) rule, ending a
 * lease, all-or-nothing import with every bad row named. The workspace is
 * built here: the registry from gis/, lots inserted as WKT rectangles. */
#include "check.h"

#include "district.h"
#include "lease.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[] = "/tmp/test_lease_XXXXXX";
static char ws_path[256], csv_path[256];

static void exec_ok(ccn_store *s, const char *sql)
{
    ccn_status st = ccn_store_exec(s, sql);
    if (st)
        fprintf(stderr, "SQL failed: %s\n%s\n", sql, ccn_ctx_message(ccn_store_ctx(s)));
    CHECK(st == CCN_OK);
}

static int64_t count(ccn_store *s, const char *sql)
{
    ccn_stmt *q = NULL;
    int64_t n = -1;
    if (ccn_stmt_prepare(s, sql, &q) == CCN_OK && ccn_stmt_step(q) == 1)
        n = ccn_stmt_int(q, 0);
    ccn_stmt_free(q);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

/* Lots of HT: CN-01 5000 m², CN-02 3000 m², DV-01 a service lot. */
static ccn_store *make_workspace(ccn_ctx *ctx)
{
    ccn_store *s = NULL;
    CHECK(ccn_store_create(ctx, ws_path, 5897, true, &s) == CCN_OK);
    CHECK(ccn_store_begin(s) == CCN_OK);
    CHECK(ccn_district_load(s, "gis") == CCN_OK);
    CHECK(ccn_store_commit(s) == CCN_OK);
    exec_ok(s, "INSERT INTO lots (cluster, lot_no, use, geom) VALUES"
               " ('HT', 'CN-01', 'industrial', CastToMultiPolygon(GeomFromText("
               "'POLYGON((561400 2189000, 561500 2189000, 561500 2189050, 561400 2189050, 561400 2189000))', 5897))),"
               " ('HT', 'CN-02', 'industrial', CastToMultiPolygon(GeomFromText("
               "'POLYGON((561500 2189000, 561600 2189000, 561600 2189030, 561500 2189030, 561500 2189000))', 5897))),"
               " ('HT', 'DV-01', 'service', CastToMultiPolygon(GeomFromText("
               "'POLYGON((561400 2189100, 561500 2189100, 561500 2189200, 561400 2189200, 561400 2189100))', 5897)))");
    return s;
}

static ccn_status add(ccn_store *s, const char *cluster, const char *lot, const char *tenant,
                      const char *start, const char *end)
{
    ccn_lease l = {cluster, lot, tenant, start, end, NULL};
    return ccn_lease_add(s, &l, NULL);
}

static bool message_has(ccn_store *s, const char *text)
{
    const char *m = ccn_ctx_message(ccn_store_ctx(s));
    bool ok = strstr(m, text) != NULL;
    if (!ok)
        fprintf(stderr, "message '%s' lacks '%s'\n", m, text);
    return ok;
}

static void test_add(ccn_store *s)
{
    int64_t fid = 0;
    ccn_lease l = {"ht", "cn-01", "  Công ty A  ", "2022-01-01", "2024-07-01", "note"};
    CHECK(ccn_lease_add(s, &l, &fid) == CCN_OK);
    CHECK(fid > 0);
    /* Stored as the registry and the lots layer spell them, tenant trimmed. */
    CHECK(count(s, "SELECT count(*) FROM leases WHERE cluster = 'HT' AND lot_no = 'CN-01'"
                   " AND tenant = 'Công ty A' AND end_date = '2024-07-01'") == 1);

    /* Back to back: the end day is the next lease's first day. */
    CHECK(add(s, "HT", "CN-01", "Công ty B", "2024-07-01", NULL) == CCN_OK);
    CHECK(count(s, "SELECT count(*) FROM leases") == 2);

    /* Each refusal, and nothing written. */
    CHECK(add(s, "XX", "CN-01", "T", "2022-01-01", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "cluster: 'XX' is not a cluster of the registry"));
    CHECK(add(s, "HT", "CN-99", "T", "2022-01-01", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "lot_no: cluster HT has no lot 'CN-99'"));
    CHECK(add(s, "HT", "DV-01", "T", "2022-01-01", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "HT/DV-01 is a service lot"));
    CHECK(add(s, "HT", "CN-02", "T", "2023-02-29", NULL) == CCN_ERR_INPUT); /* not a leap year */
    CHECK(message_has(s, "start_date: '2023-02-29' is not a date"));
    CHECK(add(s, "HT", "CN-02", "T", "2023-01-01", "2023-1-5") == CCN_ERR_INPUT);
    CHECK(message_has(s, "end_date: '2023-1-5' is not a date"));
    CHECK(add(s, "HT", "CN-02", "T", "2024-01-01", "2023-12-31") == CCN_ERR_INPUT);
    CHECK(message_has(s, "end_date: 2023-12-31 is not after the start 2024-01-01"));
    CHECK(add(s, "HT", "CN-02", "T", "2024-01-01", "2024-01-01") == CCN_ERR_INPUT);
    CHECK(add(s, "HT", "CN-02", " \t ", "2024-01-01", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "tenant: is empty"));
    CHECK(add(s, "HT", "CN-02", NULL, "2024-01-01", NULL) == CCN_ERR_INPUT);
    /* Several problems at once are all named. */
    CHECK(add(s, "HT", "DV-01", "", "01/02/2024", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "service lot"));
    CHECK(message_has(s, "tenant: is empty"));
    CHECK(!message_has(s, "01/02/2024")); /* dd/mm/yyyy is a date */
    CHECK(add(s, "HT", "CN-02", "T", "31/02/2024", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "'31/02/2024' is not a date: write YYYY-MM-DD or dd/mm/yyyy"));
    /* Overlaps: inside A's term, straddling A's end, and over B that runs on. */
    CHECK(add(s, "HT", "CN-01", "C", "2023-01-01", "2023-02-01") == CCN_ERR_INPUT);
    CHECK(message_has(s, "overlaps lease"));
    CHECK(add(s, "HT", "CN-01", "C", "2021-01-01", "2022-01-02") == CCN_ERR_INPUT);
    CHECK(add(s, "HT", "CN-01", "C", "2030-01-01", NULL) == CCN_ERR_INPUT);
    CHECK(message_has(s, "running"));
    /* Before A, ending on A's first day: fine. */
    CHECK(add(s, "HT", "CN-01", "Công ty Z", "2021-01-01", "2022-01-01") == CCN_OK);
    CHECK(count(s, "SELECT count(*) FROM leases") == 3);
}

static void test_end(ccn_store *s)
{
    int64_t fid = 0;
    /* B (CN-01, from 2024-07-01, running) ends on 2026-03-01. */
    CHECK(ccn_lease_end(s, "HT", "CN-01", "2026-03-01", &fid, NULL, 0) == CCN_OK);
    CHECK(count(s, "SELECT count(*) FROM leases WHERE tenant = 'Công ty B'"
                   " AND end_date = '2026-03-01'") == 1);
    CHECK(fid == count(s, "SELECT fid FROM leases WHERE tenant = 'Công ty B'"));
    /* A fixed term can be cut short: A runs to 2024-07-01, end it on 2024-01-01. */
    CHECK(ccn_lease_end(s, "HT", "CN-01", "2024-01-01", NULL, NULL, 0) == CCN_OK);
    CHECK(count(s, "SELECT count(*) FROM leases WHERE tenant = 'Công ty A'"
                   " AND end_date = '2024-01-01'") == 1);
    /* History is kept. */
    CHECK(count(s, "SELECT count(*) FROM leases") == 3);
    /* Nothing runs on 2026-06-01's eve any more. */
    CHECK(ccn_lease_end(s, "HT", "CN-01", "2026-06-01", NULL, NULL, 0) == CCN_ERR_INPUT);
    CHECK(message_has(s, "no lease of that lot runs the day before"));
    /* A lease cannot end on or before its first day. */
    CHECK(add(s, "HT", "CN-02", "Công ty D", "2025-01-01", NULL) == CCN_OK);
    CHECK(ccn_lease_end(s, "HT", "CN-02", "2025-01-01", NULL, NULL, 0) == CCN_ERR_INPUT);
    CHECK(message_has(s, "starts on 2025-01-01"));
    CHECK(ccn_lease_end(s, "HT", "CN-02", "2024-06-01", NULL, NULL, 0) == CCN_ERR_INPUT);
    CHECK(ccn_lease_end(s, "HT", "CN-02", "2025-13-01", NULL, NULL, 0) == CCN_ERR_INPUT);
    CHECK(message_has(s, "on: '2025-13-01' is not a date"));
    CHECK(ccn_lease_end(s, "QQ", "CN-02", "2025-06-01", NULL, NULL, 0) == CCN_ERR_INPUT);
    CHECK(message_has(s, "'QQ' is not a cluster"));
    CHECK(ccn_lease_end(s, "HT", "CN-77", "2025-06-01", NULL, NULL, 0) == CCN_ERR_INPUT);
    CHECK(count(s, "SELECT count(*) FROM leases WHERE end_date IS NULL") == 1);
}

static const ccn_lease_problem *problem_at(const ccn_lease_import_result *r, int64_t line,
                                           const char *field)
{
    for (size_t i = 0; i < r->nproblems; i++)
        if (r->problems[i].line == line && strcmp(r->problems[i].field, field) == 0)
            return &r->problems[i];
    return NULL;
}

static void test_import(ccn_store *s)
{
    ccn_lease_import_result r;
    ccn_lease_import_options o = {.file = csv_path};
    int64_t before = count(s, "SELECT count(*) FROM leases");

    /* Every bad row is named, with its line and field; nothing is written.
     * F's row runs over lines 3-5 (quoted newlines), so G starts on line 6;
     * G and H overlap E in the file, I overlaps D's running lease in the
     * register; F starts on E's end day, which is no overlap. */
    write_file(csv_path,
               "cluster,lot_no,tenant,start_date,end_date,note\n"
               "HT,CN-02,Công ty E,2020-01-01,2021-01-01,fine alone\n"
               "HT,CN-02,\"Công ty\nF\",2021-01-01,2021-06-01,\"two\nlines\"\n"
               "HT,CN-02,Công ty G,2020-06-01,2020-07-01,\n"
               "HT,CN-02,Công ty H,2020-12-31,2021-01-01,\n"
               "HT,CN-02,Công ty I,2025-06-01,2025-07-01,\n"
               "HT,DV-01,,2025-13-01,,\n"
               "HT,CN-01\n");
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    CHECK(r.rows == 7);
    CHECK(r.stored == 0);
    CHECK(r.nproblems == 7);
    CHECK(problem_at(&r, 2, "start_date") == NULL);
    CHECK(problem_at(&r, 3, "start_date") == NULL);
    CHECK(problem_at(&r, 6, "start_date") && strstr(problem_at(&r, 6, "start_date")->reason,
                                                    "overlaps the lease of line 2"));
    CHECK(problem_at(&r, 7, "start_date") && strstr(problem_at(&r, 7, "start_date")->reason,
                                                    "overlaps the lease of line 2"));
    CHECK(problem_at(&r, 8, "start_date") && strstr(problem_at(&r, 8, "start_date")->reason,
                                                    "of the register"));
    CHECK(problem_at(&r, 9, "lot_no") != NULL);
    CHECK(problem_at(&r, 9, "tenant") != NULL);
    CHECK(problem_at(&r, 9, "start_date") != NULL);
    CHECK(problem_at(&r, 10, "row") != NULL);
    for (size_t i = 1; i < r.nproblems; i++) /* in file order */
        CHECK(r.problems[i - 1].line <= r.problems[i].line);
    CHECK(message_has(s, "rows refused"));
    CHECK(count(s, "SELECT count(*) FROM leases") == before);
    CHECK(count(s, "SELECT count(*) FROM imports WHERE role = 'leases'") == 0);
    ccn_lease_import_result_free(&r);

    /* A header without the needed columns. */
    write_file(csv_path, "cluster,lot,name\nHT,CN-01,X\n");
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    CHECK(message_has(s, "the header lacks tenant, start_date"));
    ccn_lease_import_result_free(&r);
    write_file(csv_path, "cluster,lot_no,tenant,start_date,end_date,note\n");
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    CHECK(message_has(s, "no leases after the header"));
    ccn_lease_import_result_free(&r);

    /* A good file, with a byte-order mark, CRLF, Vietnamese column names and
     * semicolons, as a spreadsheet in a Vietnamese locale writes it. */
    write_file(csv_path, "\xEF\xBB\xBFMa_CCN;So_lo;Doanh nghiệp;Từ ngày;Đến ngày;Ghi chú\r\n"
                         "HT;CN-02;Công ty E;2020-01-01;2021-01-01;\r\n"
                         "HT;CN-02;Công ty F;2021-01-01;2021-06-01;\"a; b\"\r\n");
    CHECK(ccn_lease_import(s, &o, &r) == CCN_OK);
    CHECK(r.rows == 2 && r.stored == 2 && r.nproblems == 0);
    CHECK(count(s, "SELECT count(*) FROM leases") == before + 2);
    CHECK(count(s, "SELECT count(*) FROM leases WHERE note = 'a; b'") == 1);
    CHECK(count(s, "SELECT count(*) FROM imports WHERE role = 'leases' AND features_stored = 2") == 1);
    ccn_lease_import_result_free(&r);

    /* Importing it again overlaps the register; --replace swaps the register. */
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    CHECK(r.nproblems == 2);
    CHECK(message_has(s, "use --replace"));
    ccn_lease_import_result_free(&r);
    o.replace = true;
    CHECK(ccn_lease_import(s, &o, &r) == CCN_OK);
    CHECK(r.replaced == before + 2 && r.stored == 2);
    CHECK(count(s, "SELECT count(*) FROM leases") == 2);
    ccn_lease_import_result_free(&r);

    /* The register now holds E [2020-01-01, 2021-01-01) and F [2021-01-01,
     * 2021-06-01) of CN-02: a row across both meets each; rows that touch
     * their ends, or another lot, meet none. */
    o.replace = false;
    write_file(csv_path, "cluster,lot_no,tenant,start_date,end_date,note\n"
                         "HT,CN-02,X,2020-06-01,2021-03-01,\n"
                         "HT,CN-02,Y,2021-06-01,2022-01-01,\n"
                         "HT,CN-02,Y,2019-01-01,2020-01-01,\n"
                         "HT,CN-01,Y,2020-06-01,2021-03-01,\n"
                         "HT,CN-02,Z,2021-05-31,,\n");
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    CHECK(r.nproblems == 4);
    CHECK(r.nproblems == 4 && r.problems[0].line == 2 && r.problems[1].line == 2 &&
          strstr(r.problems[0].reason, "(to 'Công ty E' from 2020-01-01 to 2021-01-01)") &&
          strstr(r.problems[1].reason, "(to 'Công ty F' from 2021-01-01 to 2021-06-01)"));
    /* Z runs on from F's last day: it meets F in the register, and the
     * later-starting Y of line 3 is told it meets Z (line 6) in the file. */
    CHECK(r.nproblems == 4 && r.problems[2].line == 3 &&
          strstr(r.problems[2].reason, "overlaps the lease of line 6"));
    CHECK(r.nproblems == 4 && r.problems[3].line == 6 &&
          strstr(r.problems[3].reason, "(to 'Công ty F' from 2021-01-01 to 2021-06-01)"));
    ccn_lease_import_result_free(&r);

    /* Legacy encoding: TCVN3 bytes for "Công ty Hợp Thắng". */
    write_file(csv_path, "cluster,lot_no,tenant,start_date,end_date,note\n"
                         "HT,CN-01,C\xabng ty H\xeep Th\xbeng,2030-01-01,,\n");
    o.replace = false;
    o.encoding = "TCVN3";
    CHECK(ccn_lease_import(s, &o, &r) == CCN_OK);
    CHECK(count(s, "SELECT count(*) FROM leases WHERE tenant = 'Công ty Hợp Thắng'") == 1);
    ccn_lease_import_result_free(&r);
    /* The same bytes read as UTF-8 are refused, with the field. */
    o.encoding = NULL;
    write_file(csv_path, "cluster,lot_no,tenant,start_date,end_date,note\n"
                         "HT,CN-01,C\xabng ty,2040-01-01,,\n");
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    CHECK(problem_at(&r, 2, "tenant") && strstr(problem_at(&r, 2, "tenant")->reason, "UTF-8"));
    ccn_lease_import_result_free(&r);
    o.encoding = "KOI8";
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    ccn_lease_import_result_free(&r);
    o.encoding = NULL;
    o.file = "/nonexistent/leases.csv";
    CHECK(ccn_lease_import(s, &o, &r) == CCN_ERR_INPUT);
    ccn_lease_import_result_free(&r);
}

static void test_list(ccn_store *s)
{
    ccn_table *t = NULL;
    CHECK(ccn_lease_list(s, NULL, NULL, &t) == CCN_OK);
    CHECK(t && ccn_table_rows(t) == 3);
    CHECK(t && strcmp(ccn_table_column(t, 1), "cluster") == 0 && ccn_table_cols(t) == 8);
    ccn_table_free(t);
    /* On 2021-03-01 only F runs ([2021-01-01, 2021-06-01)); on 2021-06-01 nothing. */
    CHECK(ccn_lease_list(s, "ht", "2021-03-01", &t) == CCN_OK);
    CHECK(t && ccn_table_rows(t) == 1 && strcmp(ccn_table_text(t, 0, 3), "Công ty F") == 0);
    ccn_table_free(t);
    CHECK(ccn_lease_list(s, NULL, "2021-06-01", &t) == CCN_OK);
    CHECK(t && ccn_table_rows(t) == 0);
    ccn_table_free(t);
    CHECK(ccn_lease_list(s, "NOPE", NULL, &t) == CCN_ERR_INPUT && t == NULL);
    CHECK(ccn_lease_list(s, NULL, "2021-02-30", &t) == CCN_ERR_INPUT && t == NULL);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(ws_path, sizeof ws_path, "%s/ws.sqlite", dir);
    snprintf(csv_path, sizeof csv_path, "%s/leases.csv", dir);
    ccn_ctx *ctx = ccn_ctx_new();
    ccn_store *s = make_workspace(ctx);
    if (s) {
        test_add(s);
        test_end(s);
        test_import(s);
        test_list(s);
    }
    ccn_store_close(s);
    ccn_ctx_free(ctx);
    unlink(ws_path);
    unlink(csv_path);
    rmdir(dir);
    return check_summary();
}
