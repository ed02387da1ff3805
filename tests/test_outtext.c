/* test_outtext — text, numbers and file names as outputs write them.
 * Expected values worked out by hand: UTF-8 byte rules of RFC 3629, the
 * SHA-256 prefixes from sha256sum(1) (noted beside each). */
#include "check.h"
#include "outtext.h"
#include "table.h"

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
