/* textenc: upper case by Unicode, and UTF-8 text told apart from the legacy
 * encodings (issue 17: "Huyện" was stored as "HUYệN"; --encoding TCVN3 on UTF-8
 * text garbled it). Expected strings written by hand from the Unicode tables. */
#include "check.h"
#include "textenc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void upper_is(const char *in, const char *want)
{
    char *got = ccn_textenc_upper(in);
    CHECK(got != NULL);
    if (got)
        CHECK_STR(got, want);
    free(got);
}

/* white space at the ends, Unicode's too: "SKN\u00a0" of a spreadsheet is SKN */
static void trim_is(const char *in, const char *want)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", in);
    ccn_textenc_trim(buf);
    CHECK_STR(buf, want);
}

int main(void)
{
    upper_is("skn", "SKN");
    upper_is("Huyện", "HUYỆN");
    upper_is("đất ở tại nông thôn", "ĐẤT Ở TẠI NÔNG THÔN");
    upper_is("ăâêôơư ừứửữự ỳýỷỹỵ", "ĂÂÊÔƠƯ ỪỨỬỮỰ ỲÝỶỸỴ");
    upper_is("ĐÃ CÓ", "ĐÃ CÓ");          /* already upper case */
    upper_is("ç ñ ÷ ÿ 1-2", "Ç Ñ ÷ ÿ 1-2"); /* Latin-1 letters; ÷ and ÿ kept */
    upper_is("", "");
    errno = 0;
    CHECK(ccn_textenc_upper("\xff") == NULL && errno == EILSEQ);
    CHECK(ccn_textenc_upper(NULL) == NULL && errno == EINVAL);

    const char *utf8 = "Cà Mau";
    CHECK(ccn_textenc_is_utf8_latin(utf8, strlen(utf8)));
    CHECK(ccn_textenc_is_utf8_latin("Hợp Thắng", strlen("Hợp Thắng")));
    CHECK(!ccn_textenc_is_utf8_latin("Ca Mau", 6));          /* ASCII: the same in every encoding */
    CHECK(!ccn_textenc_is_utf8_latin("C\xb5 Mau", 6));       /* TCVN3 "Cà Mau": 0xB5 alone */
    CHECK(!ccn_textenc_is_utf8_latin("H\xee\x70 Th\xbe\x6eg", 9)); /* TCVN3 "Hợp Thắng" */
    CHECK(!ccn_textenc_is_utf8_latin("Ca\xf8 Mau", 7));      /* VNI "Cà Mau": a + mark byte */
    CHECK(!ccn_textenc_is_utf8_latin("\xe2\x82\xac", 3));    /* UTF-8, but no Latin letter (€) */
    CHECK(!ccn_textenc_is_utf8_latin(NULL, 0));

    trim_is("SKN\xc2\xa0", "SKN");                       /* U+00A0 no-break space */
    trim_is("\xef\xbb\xbf LUC \xe2\x80\xaf", "LUC");     /* a BOM, U+202F */
    trim_is("\xe3\x80\x80" "CN-01\xe2\x80\x8b\t", "CN-01"); /* U+3000, U+200B */
    trim_is("Cty\xc2\xa0" "A", "Cty\xc2\xa0" "A");            /* inside: kept */
    trim_is("\xc2\xa0 \xc2\xa0", "");
    trim_is("o\xcc\x9b\xcc\x89 ", "o\xcc\x9b\xcc\x89");  /* combining marks are not space */
    trim_is("\xff\xc2\xa0", "\xff\xc2\xa0");               /* not UTF-8: as it is */
    ccn_textenc_trim(NULL);

    /* Commune codes of digits as numbers read them (gis/communes.csv). */
    CHECK_STR(ccn_textenc_digits("015688"), "15688");
    CHECK_STR(ccn_textenc_digits("15688"), "15688");
    CHECK_STR(ccn_textenc_digits("000"), "0");
    CHECK(ccn_textenc_digits("15688.0") == NULL);
    CHECK(ccn_textenc_digits("Xã 1") == NULL);
    CHECK(ccn_textenc_digits("") == NULL);
    return check_summary();
}
