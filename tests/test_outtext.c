/* test_outtext — text, numbers and file names as outputs write them.
 * Expected values worked out by hand: UTF-8 byte rules of RFC 3629, the
 * SHA-256 prefixes from sha256sum(1) (noted beside each). */
#include "check.h"
#include "outtext.h"
#include "table.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    /* UTF-8: valid Vietnamese passes untouched, no copy made */
    char *scratch = NULL;
    const char *vi = "Hợp Thắng";
    CHECK(ccn_outtext_utf8_valid(vi));
    CHECK(ccn_outtext_utf8(vi, &scratch) == vi);
    CHECK(!ccn_outtext_utf8_valid("\xC0\xAF"));         /* overlong '/' */
    CHECK(!ccn_outtext_utf8_valid("\xED\xA0\x80"));     /* a surrogate, U+D800 */
    CHECK(!ccn_outtext_utf8_valid("\xF4\x90\x80\x80")); /* beyond U+10FFFF */
    CHECK(ccn_outtext_utf8_valid("\xF4\x8F\xBF\xBF"));  /* U+10FFFF itself */
    /* After runs of ASCII (read eight bytes at a time) and between letters */
    CHECK(!ccn_outtext_utf8_valid("abcdefgh\xFF"));
    CHECK(!ccn_outtext_utf8_valid("abcdefghijklmnop\xE1\xBA"));   /* cut short at the end */
    CHECK(!ccn_outtext_utf8_valid("abcdefghi\xC3"));
    CHECK(!ccn_outtext_utf8_valid("\xE1\xBB\x87\xC3\x28xxxxxxxx")); /* 'ệ', then a bad pair */
    CHECK(!ccn_outtext_utf8_valid("xxxxxxxx\xE0\x80\xAF"));       /* overlong '/' in 3 bytes */
    CHECK(!ccn_outtext_utf8_valid("xxxxxxxx\xED\xBF\xBF"));       /* a surrogate, U+DFFF */
    CHECK(ccn_outtext_utf8_valid("Lệch cạnh chung giữa thửa đất 12/3 và số 4: 1.234,5 m²"));
    CHECK_STR(ccn_outtext_utf8("A\xFF" "B\xFE", &scratch), "A\xEF\xBF\xBD" "B\xEF\xBF\xBD");
    /* a cut sequence: each of its bytes starts nothing valid */
    CHECK_STR(ccn_outtext_utf8("x\xE1\xBA", &scratch), "x\xEF\xBF\xBD\xEF\xBF\xBD");
    free(scratch);

    /* numbers: in full, however large; no "-0.000"; decimals clamped */
    char num[CCN_OUTTEXT_NUMBER_MAX];
    int k = ccn_outtext_number(num, 1e308, 2);
    CHECK(k == 312); /* 309 digits, the point, 2 decimals */
    CHECK(strncmp(num, "1000000000000000010979063629440455417404923096773118", 52) == 0);
    CHECK(strcmp(num + k - 3, ".00") == 0);
    k = ccn_outtext_number(num, -1.7976931348623157e308, 17);
    CHECK(k == 1 + 309 + 1 + 17 && num[0] == '-');
    ccn_outtext_number(num, -0.0001, 3);
    CHECK_STR(num, "0.000");
    ccn_outtext_number(num, -6.66666, 4);
    CHECK_STR(num, "-6.6667");
    ccn_outtext_number(num, 2.5, 40);
    CHECK_STR(num, "2.50000000000000000"); /* 17 decimals at most */
    /* up to 9 decimals below 2^53 the digits are worked out in integers:
     * exact binary values on a tie round to even, as printf does */
    ccn_outtext_number(num, 0.0625, 3); /* 62.5 thousandths: the even 62 */
    CHECK_STR(num, "0.062");
    ccn_outtext_number(num, 0.1875, 3); /* 187.5: the even 188 */
    CHECK_STR(num, "0.188");
    ccn_outtext_number(num, -0.0625, 3);
    CHECK_STR(num, "-0.062");
    ccn_outtext_number(num, 558551.1875, 3);
    CHECK_STR(num, "558551.188");
    ccn_outtext_number(num, 2.5, 0);
    CHECK_STR(num, "2");
    ccn_outtext_number(num, 3.5, 0);
    CHECK_STR(num, "4");
    ccn_outtext_number(num, 1.0005, 3); /* stored as 1.000499999999999989… */
    CHECK_STR(num, "1.000");
    ccn_outtext_number(num, 1e15 + 0.5, 0); /* exact in binary: the even 10^15 */
    CHECK_STR(num, "1000000000000000");
    ccn_outtext_number(num, 9007199254740991.0, 3); /* 2^53 - 1 */
    CHECK_STR(num, "9007199254740991.000");
    ccn_outtext_number(num, 0x1p53, 1); /* 2^53: printf's way */
    CHECK_STR(num, "9007199254740992.0");
    ccn_outtext_number(num, 5e-324, 9);
    CHECK_STR(num, "0.000000000");
    ccn_outtext_number(num, -4.9999999999e-10, 9);
    CHECK_STR(num, "0.000000000");
    ccn_outtext_number(num, 1.5e-9, 9); /* stored as 1.49999999999999999002…e-9 */
    CHECK_STR(num, "0.000000001");
    ccn_outtext_number(num, 2.5e-9, 9); /* stored as 2.50000000000000005230…e-9 */
    CHECK_STR(num, "0.000000003");
    /* ccn_outtext_fixed keeps what printf writes and ccn_outtext_number does not */
    CHECK_STR(ccn_outtext_fixed(num, -0.0001, 3), "-0.000");
    CHECK_STR(ccn_outtext_fixed(num, -0.0, 1), "-0.0");
    CHECK_STR(ccn_outtext_fixed(num, NAN, 3), "nan");
    CHECK_STR(ccn_outtext_fixed(num, 0.1875, 3), "0.188");
    /* and the same digits as glibc's printf over many magnitudes, decimals and ties */
    srand(7);
    for (int i = 0; i < 400000; i++) {
        int d = i % 10;
        double scale = ldexp(1.0, rand() % 120 - 60), v;
        if (i % 3 == 0) /* a multiple of 2^-k: ties for some decimals */
            v = ldexp((double)(rand() % 100000), -(rand() % 20));
        else
            v = scale * ((double)rand() / RAND_MAX);
        if (i % 2)
            v = -v;
        char ref[CCN_OUTTEXT_NUMBER_MAX], fixed[CCN_OUTTEXT_NUMBER_MAX];
        snprintf(ref, sizeof ref, "%.*f", d, v);
        if (strcmp(ccn_outtext_fixed(fixed, v, d), ref) != 0) { /* printf's text to the byte */
            fprintf(stderr, "%.17g with %d decimals: fixed %s, printf %s\n", v, d, fixed, ref);
            CHECK(0);
            break;
        }
        if (ref[0] == '-' && strspn(ref + 1, "0.") == strlen(ref) - 1)
            snprintf(ref, sizeof ref, "%.*f", d, 0.0);
        k = ccn_outtext_number(num, v, d);
        if (strcmp(num, ref) != 0 || k != (int)strlen(ref)) {
            fprintf(stderr, "%.17g with %d decimals: %s, printf %s\n", v, d, num, ref);
            CHECK(0);
            break;
        }
    }

    /* file names */
    char name[CCN_OUTTEXT_NAME_MAX];
    CHECK_STR(ccn_outtext_filename("HT", name), "HT");
    CHECK_STR(ccn_outtext_filename("DL3_2.v1", name), "DL3_2.v1");
    CHECK_STR(ccn_outtext_filename("../X", name), "___X-720ef6fd");       /* printf '../X' | sha256sum */
    CHECK_STR(ccn_outtext_filename("", name), "e3b0c442");                /* the empty string's */
    CHECK_STR(ccn_outtext_filename(".hidden", name), "_hidden-16924190");
    CHECK_STR(ccn_outtext_filename("Hợp Thắng", name), "H___p_Th___ng-a852b13f");
    char longest[101];
    memset(longest, 'A', 100);
    longest[100] = '\0';
    const char *l = ccn_outtext_filename(longest, name);
    CHECK(strlen(l) == 70 + 1 + 8 && strcmp(l + 70, "-d82c6aa1") == 0);
    CHECK(strchr(ccn_outtext_filename("a/b\\c d", name), '/') == NULL);

    /* the CSV formula guard of table.c */
    CHECK(ccn_table_csv_formula("=1+1") && ccn_table_csv_formula("+1") &&
          ccn_table_csv_formula("-1") && ccn_table_csv_formula("@A1") &&
          ccn_table_csv_formula("\tx") && ccn_table_csv_formula("\rx"));
    CHECK(!ccn_table_csv_formula("CN-01") && !ccn_table_csv_formula("") &&
          !ccn_table_csv_formula(" =1"));
    return check_summary();
}
