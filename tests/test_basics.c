/* sha256, date, table and textpool: small modules with exact answers. */
#include "check.h"
#include "date.h"
#include "sha256.h"
#include "table.h"
#include "textpool.h"

#include <stdlib.h>

static char *table_show(const ccn_table *t, ccn_format fmt, ccn_table_show show)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ccn_ctx *ctx = ccn_ctx_new();
    ccn_table_write(ctx, t, fmt, show, f);
    fclose(f);
    ccn_ctx_free(ctx);
    return buf;
}

static char *table_text(const ccn_table *t, ccn_format fmt)
{
    return table_show(t, fmt, CCN_SHOW_ALL);
}

/* A pool adopting another's strings: all of them live on in it (with
 * blocks of 64 KiB, 3,000 strings of 100 bytes span several on each side),
 * the other is empty and usable, and the receiving pool goes on filling. */
static void test_textpool_adopt(void)
{
    ccn_textpool a = {0}, b = {0}, empty = {0};
    char *sa[3000], *sb[3000], text[101];
    memset(text, 'x', 100);
    text[100] = 0;
    for (int i = 0; i < 3000; i++) {
        char head[8];
        snprintf(head, sizeof head, "a%05d", i);
        memcpy(text, head, 6);
        sa[i] = ccn_textpool_strdup(&a, text);
        text[0] = 'b';
        sb[i] = ccn_textpool_strdup(&b, text);
    }
    ccn_textpool_adopt(&a, &b);
    ccn_textpool_adopt(&a, &empty);
    CHECK(b.head == NULL && empty.head == NULL);
    char *late = ccn_textpool_strdup(&a, "late");
    char *again = ccn_textpool_strdup(&b, "b again");
    ccn_textpool_adopt(&empty, &b); /* into an empty pool */
    CHECK(b.head == NULL && empty.head != NULL);
    int ok = 0;
    for (int i = 0; i < 3000; i++) {
        char want[8];
        snprintf(want, sizeof want, "a%05d", i);
        memcpy(text, want, 6);
        ok += sa[i] && strcmp(sa[i], text) == 0;
        text[0] = 'b';
        ok += sb[i] && strcmp(sb[i], text) == 0;
    }
    CHECK(ok == 6000);
    CHECK_STR(late, "late");
    CHECK_STR(again, "b again");
    ccn_textpool_free(&a); /* ASan: every block freed once */
    ccn_textpool_free(&empty);
}

/* Borrowed text: a well-formed string is pointed to, not copied; an
 * ill-formed one is copied with U+FFFD for its bad byte; the pool the
 * borrowed strings live in, adopted by the table, lives as long as it. */
static void test_table_borrowed(void)
{
    const char *cols[] = {"message", NULL};
    ccn_table *t = ccn_table_new("t", cols);
    ccn_textpool pool = {0};
    char *good = ccn_textpool_strdup(&pool, "Khe hở 0,8 m²");
    char *bad = ccn_textpool_strdup(&pool, "TCVN3 \xb8 left");
    ccn_table_reserve(t, 2);
    ccn_table_add_row(t);
    ccn_table_set_text_borrowed(t, 0, good);
    ccn_table_add_row(t);
    ccn_table_set_text_borrowed(t, 0, bad);
    CHECK(ccn_table_text(t, 0, 0) == good);
    CHECK(ccn_table_text(t, 1, 0) != bad);
    CHECK_STR(ccn_table_text(t, 1, 0), "TCVN3 \xef\xbf\xbd left");
    ccn_table_adopt_text(t, &pool);
    CHECK(pool.head == NULL);
    ccn_textpool_free(&pool); /* nothing: the table holds the strings now */
    char *csv = table_text(t, CCN_FORMAT_CSV);
    CHECK_STR(csv, "message\n\"Khe hở 0,8 m²\"\nTCVN3 \xef\xbf\xbd left\n");
    free(csv);
    ccn_table_free(t); /* ASan: the adopted blocks freed once, with the table */
}

/* The contract's columns (DESIGN §8) and the extras after them: every
 * format shows the leading ones only unless asked for all; a Vietnamese
 * reader gets a column's hidden twin NAME_vi under NAME, and a twin that
 * is itself shown (a contract column, as decree32's detail_vi) is not
 * swapped in. Streaming shows the same. */
static void test_table_contract(void)
{
    const char *cols[] = {"code", "message", "n", "message_vi", NULL};
    ccn_table *t = ccn_table_new("t", cols);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "DL3");
    ccn_table_set_text(t, 1, "gap");
    ccn_table_set_int(t, 2, 7);
    ccn_table_set_text(t, 3, "khe hở");
    CHECK(ccn_table_contract(t) == 4);
    char *all = table_show(t, CCN_FORMAT_CSV, CCN_SHOW_CONTRACT_VI);
    CHECK_STR(all, "code,message,n,message_vi\nDL3,gap,7,khe hở\n"); /* no contract set: all */
    ccn_table_set_contract(t, "message");
    CHECK(ccn_table_contract(t) == 2);
    char *csv = table_show(t, CCN_FORMAT_CSV, CCN_SHOW_CONTRACT);
    CHECK_STR(csv, "code,message\nDL3,gap\n");
    char *vi = table_show(t, CCN_FORMAT_CSV, CCN_SHOW_CONTRACT_VI);
    CHECK_STR(vi, "code,message\nDL3,khe hở\n");
    char *json = table_show(t, CCN_FORMAT_JSON, CCN_SHOW_CONTRACT_VI);
    CHECK_STR(json, "[\n {\"code\": \"DL3\", \"message\": \"khe hở\"}\n]\n");
    char *text = table_show(t, CCN_FORMAT_TABLE, CCN_SHOW_CONTRACT);
    CHECK_STR(text, "code  message\n----  -------\nDL3   gap\n");
    char *wide = table_show(t, CCN_FORMAT_CSV, CCN_SHOW_ALL);
    CHECK_STR(wide, "code,message,n,message_vi\nDL3,gap,7,khe hở\n");
    free(all), free(csv), free(vi), free(json), free(text), free(wide);
    ccn_table_free(t);

    /* streamed: the header and each row as they come, then the end */
    t = ccn_table_new("t", cols);
    ccn_table_set_contract(t, "code");
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    ccn_ctx *ctx = ccn_ctx_new();
    ccn_table_stream(t, CCN_FORMAT_JSON, CCN_SHOW_CONTRACT, f);
    for (int k = 0; k < 2; k++) {
        ccn_table_add_row(t);
        ccn_table_set_text(t, 0, k ? "HT" : "DL3");
        ccn_table_set_text(t, 1, "gap");
    }
    CHECK(ccn_table_finish(ctx, t) == CCN_OK);
    fclose(f);
    CHECK_STR(buf, "[\n {\"code\": \"DL3\"},\n {\"code\": \"HT\"}\n]\n");
    free(buf);
    ccn_ctx_free(ctx);
    ccn_table_free(t);
}

int main(void)
{
    test_textpool_adopt();
    test_table_contract();
    test_table_borrowed();
    /* FIPS 180-2 test vectors. */
    char hex[65];
    ccn_sha256 s;
    ccn_sha256_init(&s);
    ccn_sha256_update(&s, "abc", 3);
    ccn_sha256_hex(&s, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ccn_sha256_buffer(two, strlen(two), hex);
    CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    ccn_sha256_init(&s);
    ccn_sha256_hex(&s, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    /* Dates. */
    CHECK(ccn_date_valid("2024-02-29"));
    CHECK(!ccn_date_valid("2023-02-29"));
    CHECK(!ccn_date_valid("2025-13-01"));
    CHECK(!ccn_date_valid("2025-1-01"));
    CHECK(!ccn_date_valid("01/02/2025"));
    CHECK(ccn_date_days("1970-01-01") == 0);
    CHECK(ccn_date_days("2000-03-01") == 11017); /* date -d 2000-03-01 +%s / 86400 */
    char d[11];
    ccn_date_from_days(ccn_date_days("2024-12-31") + 1, d);
    CHECK_STR(d, "2025-01-01");
    ccn_date_quarter_end("2024-02-10", d);
    CHECK_STR(d, "2024-03-31");
    ccn_date_quarter_end("2023-11-30", d);
    CHECK_STR(d, "2023-12-31");

    /* Tables: CSV quoting, decimals, NULLs, JSON types. */
    const char *cols[] = {"code", "area_m2", "n", "ok", NULL};
    ccn_table *t = ccn_table_new("t", cols);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "Dân Lực, \"DL3\"");
    ccn_table_set_real(t, 1, 1234.56789, 3);
    ccn_table_set_int(t, 2, 7);
    ccn_table_set_bool(t, 3, true);
    ccn_table_add_row(t);
    ccn_table_set_text(t, 0, "HT");
    ccn_table_set_real(t, 1, -0.0001, 3);
    char *csv = table_text(t, CCN_FORMAT_CSV);
    CHECK_STR(csv, "code,area_m2,n,ok\n\"Dân Lực, \"\"DL3\"\"\",1234.568,7,true\nHT,0.000,,\n");
    char *json = table_text(t, CCN_FORMAT_JSON);
    CHECK_STR(json, "[\n {\"code\": \"Dân Lực, \\\"DL3\\\"\", \"area_m2\": 1234.568, \"n\": 7, \"ok\": true},"
                    "\n {\"code\": \"HT\", \"area_m2\": 0.000, \"n\": null, \"ok\": null}\n]\n");
    CHECK(ccn_table_col(t, "n") == 2);
    CHECK_NEAR(ccn_table_number(t, 0, 1), 1234.56789, 1e-12);
    free(csv);
    free(json);
    ccn_table_free(t);
    return check_summary();
}
