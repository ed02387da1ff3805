/* textenc: upper case by Unicode, and UTF-8 text told apart from the legacy
 * encodings (issue 17: "Huyện" was stored as "HUYệN"; --encoding TCVN3 on UTF-8
 * text garbled it). Expected strings written by hand from the Unicode tables. */
#include "check.h"
#include "textenc.h"

#include <errno.h>
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
    return check_summary();
}
