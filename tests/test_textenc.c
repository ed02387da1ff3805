/* test_textenc — unit tests of src/textenc.c (legacy Vietnamese text to UTF-8, folding).
 *
 * Self-contained: links only src/textenc.c. Exits non-zero if a check fails and
 * ends with the line "N passed, M failed".
 *
 * The legacy byte strings were worked out by hand from published tables, not
 * from the module's own tables:
 *  - TCVN3 (TCVN 5712:1993 VN3, "ABC"): the TCVN3_TABLE of VBKey
 *    (github.com/khiemdoan/VBKey, Modules/mdlCodeTable.bas; its bytes are shown
 *    there as Mac Roman text) and the "Bảng đối chiếu encoding các bộ chữ hiện
 *    hành với Unicode" table (scribd 23311958); e.g. ă A8, Đ A7, đ AE, ư AD,
 *    ơ AC, ễ D4, ứ F8, ợ EE, ắ BE, ọ E4, ồ E5, ế D5, ự F9, ệ D6. Both agree with
 *    glibc's TCVN5712-1 charmap.
 *  - VNI-Windows: the VNI table of xvnkb (github.com/lamdao/xvnkb, vni.h, strings
 *    in Windows-1252), cross-checked with VBKey's VNI_WINDOWS_TABLE and the same
 *    scribd table: tone bytes ù F9 acute, ø F8 grave, û FB hook, õ F5 tilde,
 *    ï EF dot; â E2 circumflex (á E1 à E0 å E5 ã E3 ä E4 with tones); ê EA breve
 *    (é E9 è E8 ú FA ü FC ë EB with tones); ô F4 = ơ, ö F6 = ư, ñ F1 = đ,
 *    Ñ D1 = Đ; í ED, ì EC, æ E6 = ỉ, ó F3 = ĩ, ò F2 = ị, î EE = ỵ.
 *  - Windows-1258: the code page table (Wikipedia "Windows-1258"; VBKey's
 *    VNCP_1258_TABLE): combining grave CC, acute EC, tilde DE, hook D2, dot
 *    below F2; ă E3, Ă C3, ơ F5, Ơ D5, ư FD, Ư DD, Đ D0, đ F0; â E2, ê EA, ô F4.
 * Expected strings are UTF-8 literals typed precomposed (NFC).
 */
#include "textenc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed, failed;

static void ok(int cond, int line, const char *what)
{
    if (cond) {
        passed++;
    } else {
        failed++;
        printf("FAIL line %d: %s\n", line, what);
    }
}

static void hexdump(const char *label, const char *s)
{
    printf("    %s:", label);
    if (!s) {
        printf(" (null)\n");
        return;
    }
    for (; *s; s++)
        printf(" %02X", (unsigned)(unsigned char)*s);
    printf("\n");
}

/* Convert and compare with want (NULL: expect failure with errno err). */
static void check_conv(ccn_encoding enc, const char *in, size_t len, const char *want, int err,
                       int line)
{
    errno = 0;
    char *got = ccn_textenc_to_utf8(enc, in, len);
    int good = want ? (got && strcmp(got, want) == 0) : (!got && errno == err);
    ok(good, line, "conversion");
    if (!good) {
        printf("    encoding %s\n", ccn_textenc_name(enc) ? ccn_textenc_name(enc) : "?");
        hexdump("want", want);
        hexdump("got ", got);
        if (!got)
            printf("    errno %d (want %d)\n", errno, err);
    }
    free(got);
}

#define CONV(enc, bytes, want) check_conv(enc, bytes, sizeof(bytes) - 1, want, 0, __LINE__)
#define CONV_BAD(enc, bytes, err) check_conv(enc, bytes, sizeof(bytes) - 1, NULL, err, __LINE__)

static void check_fold(const char *in, const char *want, int line)
{
    errno = 0;
    char *got = ccn_textenc_fold(in);
    int good = want ? (got && strcmp(got, want) == 0) : (!got && errno == EILSEQ);
    ok(good, line, "fold");
    if (!good) {
        printf("    in \"%s\" want \"%s\" got \"%s\"\n", in ? in : "(null)", want ? want : "(null)",
               got ? got : "(null)");
    }
    free(got);
}

#define FOLD(in, want) check_fold(in, want, __LINE__)

typedef struct {
    const char *bytes;
    const char *utf8;
} table_case;

/* Every lower-case letter of TCVN3 and its seven capitals (VBKey TCVN3_TABLE). */
static const table_case TCVN3_LETTERS[] = {
    {"\xB5", "à"},
    {"\xB8", "á"},
    {"\xB6", "ả"},
    {"\xB7", "ã"},
    {"\xB9", "ạ"},
    {"\xA9", "â"},
    {"\xC7", "ầ"},
    {"\xCA", "ấ"},
    {"\xC8", "ẩ"},
    {"\xC9", "ẫ"},
    {"\xCB", "ậ"},
    {"\xA8", "ă"},
    {"\xBB", "ằ"},
    {"\xBE", "ắ"},
    {"\xBC", "ẳ"},
    {"\xBD", "ẵ"},
    {"\xC6", "ặ"},
    {"\xAE", "đ"},
    {"\xCC", "è"},
    {"\xD0", "é"},
    {"\xCE", "ẻ"},
    {"\xCF", "ẽ"},
    {"\xD1", "ẹ"},
    {"\xAA", "ê"},
    {"\xD2", "ề"},
    {"\xD5", "ế"},
    {"\xD3", "ể"},
    {"\xD4", "ễ"},
    {"\xD6", "ệ"},
    {"\xD7", "ì"},
    {"\xDD", "í"},
    {"\xD8", "ỉ"},
    {"\xDC", "ĩ"},
    {"\xDE", "ị"},
    {"\xDF", "ò"},
    {"\xE3", "ó"},
    {"\xE1", "ỏ"},
    {"\xE2", "õ"},
    {"\xE4", "ọ"},
    {"\xAB", "ô"},
    {"\xE5", "ồ"},
    {"\xE8", "ố"},
    {"\xE6", "ổ"},
    {"\xE7", "ỗ"},
    {"\xE9", "ộ"},
    {"\xAC", "ơ"},
    {"\xEA", "ờ"},
    {"\xED", "ớ"},
    {"\xEB", "ở"},
    {"\xEC", "ỡ"},
    {"\xEE", "ợ"},
    {"\xEF", "ù"},
    {"\xF3", "ú"},
    {"\xF1", "ủ"},
    {"\xF2", "ũ"},
    {"\xF4", "ụ"},
    {"\xAD", "ư"},
    {"\xF5", "ừ"},
    {"\xF8", "ứ"},
    {"\xF6", "ử"},
    {"\xF7", "ữ"},
    {"\xF9", "ự"},
    {"\xFA", "ỳ"},
    {"\xFD", "ý"},
    {"\xFB", "ỷ"},
    {"\xFC", "ỹ"},
    {"\xFE", "ỵ"},
    {"\xA1", "Ă"},
    {"\xA2", "Â"},
    {"\xA3", "Ê"},
    {"\xA4", "Ô"},
    {"\xA5", "Ơ"},
    {"\xA6", "Ư"},
    {"\xA7", "Đ"},
};

/* Every Vietnamese vowel with every tone, and đ, both cases (xvnkb vni.h). */
static const table_case VNI_LETTERS[] = {
    {"\x61", "a"},
    {"\x61\xF9", "á"},
    {"\x61\xF8", "à"},
    {"\x61\xFB", "ả"},
    {"\x61\xF5", "ã"},
    {"\x61\xEF", "ạ"},
    {"\x61\xE2", "â"},
    {"\x61\xE1", "ấ"},
    {"\x61\xE0", "ầ"},
    {"\x61\xE5", "ẩ"},
    {"\x61\xE3", "ẫ"},
    {"\x61\xE4", "ậ"},
    {"\x61\xEA", "ă"},
    {"\x61\xE9", "ắ"},
    {"\x61\xE8", "ằ"},
    {"\x61\xFA", "ẳ"},
    {"\x61\xFC", "ẵ"},
    {"\x61\xEB", "ặ"},
    {"\x65", "e"},
    {"\x65\xF9", "é"},
    {"\x65\xF8", "è"},
    {"\x65\xFB", "ẻ"},
    {"\x65\xF5", "ẽ"},
    {"\x65\xEF", "ẹ"},
    {"\x65\xE2", "ê"},
    {"\x65\xE1", "ế"},
    {"\x65\xE0", "ề"},
    {"\x65\xE5", "ể"},
    {"\x65\xE3", "ễ"},
    {"\x65\xE4", "ệ"},
    {"\x6F", "o"},
    {"\x6F\xF9", "ó"},
    {"\x6F\xF8", "ò"},
    {"\x6F\xFB", "ỏ"},
    {"\x6F\xF5", "õ"},
    {"\x6F\xEF", "ọ"},
    {"\x6F\xE2", "ô"},
    {"\x6F\xE1", "ố"},
    {"\x6F\xE0", "ồ"},
    {"\x6F\xE5", "ổ"},
    {"\x6F\xE3", "ỗ"},
    {"\x6F\xE4", "ộ"},
    {"\xF4", "ơ"},
    {"\xF4\xF9", "ớ"},
    {"\xF4\xF8", "ờ"},
    {"\xF4\xFB", "ở"},
    {"\xF4\xF5", "ỡ"},
    {"\xF4\xEF", "ợ"},
    {"\x75", "u"},
    {"\x75\xF9", "ú"},
    {"\x75\xF8", "ù"},
    {"\x75\xFB", "ủ"},
    {"\x75\xF5", "ũ"},
    {"\x75\xEF", "ụ"},
    {"\xF6", "ư"},
    {"\xF6\xF9", "ứ"},
    {"\xF6\xF8", "ừ"},
    {"\xF6\xFB", "ử"},
    {"\xF6\xF5", "ữ"},
    {"\xF6\xEF", "ự"},
    {"\x69", "i"},
    {"\xED", "í"},
    {"\xEC", "ì"},
    {"\xE6", "ỉ"},
    {"\xF3", "ĩ"},
    {"\xF2", "ị"},
    {"\x79", "y"},
    {"\x79\xF9", "ý"},
    {"\x79\xF8", "ỳ"},
    {"\x79\xFB", "ỷ"},
    {"\x79\xF5", "ỹ"},
    {"\xEE", "ỵ"},
    {"\xF1", "đ"},
    {"\x41", "A"},
    {"\x41\xD9", "Á"},
    {"\x41\xD8", "À"},
    {"\x41\xDB", "Ả"},
    {"\x41\xD5", "Ã"},
    {"\x41\xCF", "Ạ"},
    {"\x41\xC2", "Â"},
    {"\x41\xC1", "Ấ"},
    {"\x41\xC0", "Ầ"},
    {"\x41\xC5", "Ẩ"},
    {"\x41\xC3", "Ẫ"},
    {"\x41\xC4", "Ậ"},
    {"\x41\xCA", "Ă"},
    {"\x41\xC9", "Ắ"},
    {"\x41\xC8", "Ằ"},
    {"\x41\xDA", "Ẳ"},
    {"\x41\xDC", "Ẵ"},
    {"\x41\xCB", "Ặ"},
    {"\x45", "E"},
    {"\x45\xD9", "É"},
    {"\x45\xD8", "È"},
    {"\x45\xDB", "Ẻ"},
    {"\x45\xD5", "Ẽ"},
    {"\x45\xCF", "Ẹ"},
    {"\x45\xC2", "Ê"},
    {"\x45\xC1", "Ế"},
    {"\x45\xC0", "Ề"},
    {"\x45\xC5", "Ể"},
    {"\x45\xC3", "Ễ"},
    {"\x45\xC4", "Ệ"},
    {"\x4F", "O"},
    {"\x4F\xD9", "Ó"},
    {"\x4F\xD8", "Ò"},
    {"\x4F\xDB", "Ỏ"},
    {"\x4F\xD5", "Õ"},
    {"\x4F\xCF", "Ọ"},
    {"\x4F\xC2", "Ô"},
    {"\x4F\xC1", "Ố"},
    {"\x4F\xC0", "Ồ"},
    {"\x4F\xC5", "Ổ"},
    {"\x4F\xC3", "Ỗ"},
    {"\x4F\xC4", "Ộ"},
    {"\xD4", "Ơ"},
    {"\xD4\xD9", "Ớ"},
    {"\xD4\xD8", "Ờ"},
    {"\xD4\xDB", "Ở"},
    {"\xD4\xD5", "Ỡ"},
    {"\xD4\xCF", "Ợ"},
    {"\x55", "U"},
    {"\x55\xD9", "Ú"},
    {"\x55\xD8", "Ù"},
    {"\x55\xDB", "Ủ"},
    {"\x55\xD5", "Ũ"},
    {"\x55\xCF", "Ụ"},
    {"\xD6", "Ư"},
    {"\xD6\xD9", "Ứ"},
    {"\xD6\xD8", "Ừ"},
    {"\xD6\xDB", "Ử"},
    {"\xD6\xD5", "Ữ"},
    {"\xD6\xCF", "Ự"},
    {"\x49", "I"},
    {"\xCD", "Í"},
    {"\xCC", "Ì"},
    {"\xC6", "Ỉ"},
    {"\xD3", "Ĩ"},
    {"\xD2", "Ị"},
    {"\x59", "Y"},
    {"\x59\xD9", "Ý"},
    {"\x59\xD8", "Ỳ"},
    {"\x59\xDB", "Ỷ"},
    {"\x59\xD5", "Ỹ"},
    {"\xCE", "Ỵ"},
    {"\xD1", "Đ"},
};

static void test_tables(void)
{
    for (size_t k = 0; k < sizeof TCVN3_LETTERS / sizeof TCVN3_LETTERS[0]; k++)
        check_conv(CCN_ENC_TCVN3, TCVN3_LETTERS[k].bytes, strlen(TCVN3_LETTERS[k].bytes),
                   TCVN3_LETTERS[k].utf8, 0, __LINE__);
    for (size_t k = 0; k < sizeof VNI_LETTERS / sizeof VNI_LETTERS[0]; k++)
        check_conv(CCN_ENC_VNI, VNI_LETTERS[k].bytes, strlen(VNI_LETTERS[k].bytes),
                   VNI_LETTERS[k].utf8, 0, __LINE__);
}

static void test_tcvn3(void)
{
    CONV(CCN_ENC_TCVN3, "Nguy\xD4n V\xA8n \xA7\xF8" "c", "Nguyễn Văn Đức");
    CONV(CCN_ENC_TCVN3, "H\xEEp Th\xBEng", "Hợp Thắng");
    CONV(CCN_ENC_TCVN3, "Th\xE4 Ng\xE4" "c", "Thọ Ngọc");
    CONV(CCN_ENC_TCVN3, "\xA7\xE5ng Ti\xD5n", "Đồng Tiến");
    CONV(CCN_ENC_TCVN3, "D\xA9n L\xF9" "c", "Dân Lực");
    CONV(CCN_ENC_TCVN3, "Tri\xD6u S\xACn", "Triệu Sơn");
    /* VN1 combining bytes (B3 acute, B4 dot below) after a base letter. */
    CONV(CCN_ENC_TCVN3, "a\xB3 \xA9\xB4", "á ậ");
    CONV(CCN_ENC_TCVN3, "", "");
}

static void test_vni(void)
{
    CONV(CCN_ENC_VNI, "Nguye\xE3n Va\xEAn \xD1\xF6\xF9" "c", "Nguyễn Văn Đức");
    CONV(CCN_ENC_VNI, "H\xF4\xEFp Tha\xE9ng", "Hợp Thắng");
    CONV(CCN_ENC_VNI, "Tho\xEF Ngo\xEF" "c", "Thọ Ngọc");
    CONV(CCN_ENC_VNI, "\xD1o\xE0ng Tie\xE1n", "Đồng Tiến");
    CONV(CCN_ENC_VNI, "Da\xE2n L\xF6\xEF" "c", "Dân Lực");
    CONV(CCN_ENC_VNI, "Tr\xF6\xF4\xF8ng", "Trường");
    CONV(CCN_ENC_VNI, "H\xD4\xCFP THA\xC9NG", "HỢP THẮNG");
    CONV(CCN_ENC_VNI, "Thanh Ho\xF8" "a", "Thanh Hòa"); /* the mark goes on the vowel before it */
    CONV(CCN_ENC_VNI, "Ta\xE2n Ninh, Th\xF6\xF4\xF9" "c", "Tân Ninh, Thước");
    CONV(CCN_ENC_VNI, "t\xEC" "m \xF1\xF6\xF4\xF8ng", "tìm đường"); /* single-byte ì, đ */
    /* Windows-1252 punctuation is kept. */
    CONV(CCN_ENC_VNI, "\x93" "a\xF9" "\x94 \x96 100\x80", "“á” – 100€");
    /* A mark byte with nothing to go on. */
    CONV_BAD(CCN_ENC_VNI, "\xF9", EILSEQ);
    CONV_BAD(CCN_ENC_VNI, "b\xF9", EILSEQ);
    CONV_BAD(CCN_ENC_VNI, "a\xF9\xF8", EILSEQ);   /* two tones */
    CONV_BAD(CCN_ENC_VNI, "u\xE2", EILSEQ);       /* no u with circumflex */
    CONV_BAD(CCN_ENC_VNI, "i\xEA", EILSEQ);       /* no i with breve */
    CONV_BAD(CCN_ENC_VNI, "x\x81y", EILSEQ);      /* undefined in Windows-1252 */
}

static void test_cp1258(void)
{
    CONV(CCN_ENC_CP1258, "Nguy\xEA\xDEn V\xE3n \xD0\xFD\xEC" "c", "Nguyễn Văn Đức");
    CONV(CCN_ENC_CP1258, "H\xF5\xF2p Th\xE3\xECng", "Hợp Thắng");
    CONV(CCN_ENC_CP1258, "Tho\xF2 Ngo\xF2" "c", "Thọ Ngọc");
    CONV(CCN_ENC_CP1258, "\xD0\xF4\xCCng Ti\xEA\xECn", "Đồng Tiến");
    CONV(CCN_ENC_CP1258, "D\xE2n L\xFD\xF2" "c", "Dân Lực");
    CONV(CCN_ENC_CP1258, "Thanh Ho\xE0", "Thanh Hoà"); /* precomposed à is in the code page */
    CONV(CCN_ENC_CP1258, "a\xEC", "á");                 /* a mark at the very end (flush) */
    CONV(CCN_ENC_CP1258, "\xA0" "100\xFE", "\xC2\xA0" "100₫");
    CONV_BAD(CCN_ENC_CP1258, "x\x81y", EILSEQ);
}

static void test_utf8(void)
{
    CONV(CCN_ENC_UTF8, "Hợp Thắng", "Hợp Thắng");
    CONV(CCN_ENC_UTF8, "plain ASCII 123", "plain ASCII 123");
    /* Decomposed (NFD or "tổ hợp") Vietnamese is composed. */
    CONV(CCN_ENC_UTF8, "Nguye\xCC\x82\xCC\x83n", "Nguyễn");                 /* e + 0302 + 0303 */
    CONV(CCN_ENC_UTF8, "\xC3\xAA\xCC\x83", "ễ");                            /* ê + 0303 */
    CONV(CCN_ENC_UTF8, "Tru\xCC\x9Bo\xCC\x9B\xCC\x80ng", "Trường");          /* horns + grave */
    CONV(CCN_ENC_UTF8, "a\xCC\xA3\xCC\x82 A\xCC\xA3\xCC\x86", "ậ Ặ");        /* canonical order */
    CONV(CCN_ENC_UTF8, "D\xC6\xB0\xCC\xA3" "c", "Dực");
    /* Non-Vietnamese combining sequences are left alone. */
    CONV(CCN_ENC_UTF8, "n\xCC\x83 q\xCC\x81", "n\xCC\x83 q\xCC\x81");
    /* Invalid UTF-8 is refused. */
    CONV_BAD(CCN_ENC_UTF8, "ab\xC3\x28", EILSEQ);        /* bad continuation */
    CONV_BAD(CCN_ENC_UTF8, "\xC0\xAF", EILSEQ);          /* overlong '/' */
    CONV_BAD(CCN_ENC_UTF8, "\xE0\x80\xAF", EILSEQ);      /* overlong, 3 bytes */
    CONV_BAD(CCN_ENC_UTF8, "\xED\xA0\x80", EILSEQ);      /* surrogate D800 */
    CONV_BAD(CCN_ENC_UTF8, "\xF4\x90\x80\x80", EILSEQ);  /* above U+10FFFF */
    CONV_BAD(CCN_ENC_UTF8, "H\xE1\xBB", EILSEQ);         /* truncated ợ */
    CONV_BAD(CCN_ENC_UTF8, "\x80", EILSEQ);              /* lone continuation */
    CONV_BAD(CCN_ENC_UTF8, "\xFF", EILSEQ);
    CONV_BAD(CCN_ENC_UTF8, "a\0b", EILSEQ);              /* embedded NUL */
    /* Past the first eight ASCII bytes (read eight at a time): a mark still
     * composes, a bad byte is still refused, other letters pass as they are. */
    CONV(CCN_ENC_UTF8, "Ong Nguye\xCC\x82\xCC\x83n Va\xCC\x86n", "Ong Nguyễn Văn");
    CONV(CCN_ENC_UTF8, "0123456789abcdef\xCE\xA9 \xE1\xBB\xA3", "0123456789abcdefΩ ợ");
    CONV_BAD(CCN_ENC_UTF8, "0123456789abcdef\xFF", EILSEQ);
    CONV_BAD(CCN_ENC_UTF8, "01234567\xED\xA0\x80", EILSEQ);
    /* Argument errors. */
    errno = 0;
    ok(ccn_textenc_to_utf8(CCN_ENC_UTF8, NULL, 3) == NULL && errno == EINVAL, __LINE__, "NULL input");
    char *empty = ccn_textenc_to_utf8(CCN_ENC_VNI, NULL, 0);
    ok(empty && empty[0] == '\0', __LINE__, "NULL input of length 0");
    free(empty);
    errno = 0;
    ok(ccn_textenc_to_utf8((ccn_encoding)42, "a", 1) == NULL && errno == EINVAL, __LINE__,
       "unknown encoding value");
}

static void test_fold(void)
{
    FOLD("Hợp Thắng", "hop thang");
    FOLD("Đồng", "dong");
    FOLD("  Đồng   Tiến\t\n", "dong tien");
    FOLD("NGUYỄN VĂN ĐỨC", "nguyen van duc");
    FOLD("Nguyễn Văn Đức", "nguyen van duc");
    FOLD("Thọ Ngọc", "tho ngoc");
    FOLD("Dân Lực – Dân Lý – Dân Quyền", "dan luc – dan ly – dan quyen");
    FOLD("Thửa 123/4-B, tờ số 7", "thua 123/4-b, to so 7");
    FOLD("Nguye\xCC\x82\xCC\x83n", "nguyen");      /* decomposed */
    FOLD("x\xC2\xA0\xE2\x80\x83y", "x y");         /* no-break and em spaces */
    FOLD("\xEF\xBB\xBFThanh Hóa", "thanh hoa");   /* byte-order mark dropped */
    FOLD("Ỳ Ý Ỷ Ỹ Ỵ ỳ ý ỷ ỹ ỵ", "y y y y y y y y y y");
    FOLD("Ặ ặ Ậ ậ Ợ ợ Ự ự", "a a a a o o u u");
    FOLD("Ç ñ ü", "c n u");
    FOLD("東京", "東京");
    FOLD("", "");
    FOLD("   ", "");
    FOLD("ab\xC3\x28", NULL);
    errno = 0;
    ok(ccn_textenc_fold(NULL) == NULL && errno == EINVAL, __LINE__, "fold(NULL)");
}

static void test_names(void)
{
    static const struct {
        const char *name;
        ccn_encoding enc;
    } good[] = {
        {"UTF-8", CCN_ENC_UTF8},   {"utf8", CCN_ENC_UTF8},        {"TCVN3", CCN_ENC_TCVN3},
        {"abc", CCN_ENC_TCVN3},    {"TCVN5712", CCN_ENC_TCVN3},   {"tcvn5712-1", CCN_ENC_TCVN3},
        {"VNI", CCN_ENC_VNI},      {"vni-windows", CCN_ENC_VNI},  {"CP1258", CCN_ENC_CP1258},
        {"Windows-1258", CCN_ENC_CP1258},
    };
    for (size_t k = 0; k < sizeof good / sizeof good[0]; k++) {
        ccn_encoding e = (ccn_encoding)-1;
        ok(ccn_textenc_parse(good[k].name, &e) && e == good[k].enc, __LINE__, good[k].name);
    }
    static const char *const bad[] = {"", "latin1", "UTF-16", "VNI ", "TCVN", "CP125", "utf-8x"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        ccn_encoding e = CCN_ENC_VNI;
        ok(!ccn_textenc_parse(bad[k], &e) && e == CCN_ENC_VNI, __LINE__, bad[k]);
    }
    ccn_encoding e;
    ok(!ccn_textenc_parse(NULL, &e), __LINE__, "parse(NULL)");
    ok(!ccn_textenc_parse("VNI", NULL), __LINE__, "parse(name, NULL)");
    ok(strcmp(ccn_textenc_name(CCN_ENC_UTF8), "UTF-8") == 0, __LINE__, "name UTF-8");
    ok(strcmp(ccn_textenc_name(CCN_ENC_TCVN3), "TCVN3") == 0, __LINE__, "name TCVN3");
    ok(strcmp(ccn_textenc_name(CCN_ENC_VNI), "VNI") == 0, __LINE__, "name VNI");
    ok(strcmp(ccn_textenc_name(CCN_ENC_CP1258), "CP1258") == 0, __LINE__, "name CP1258");
    ok(ccn_textenc_name((ccn_encoding)42) == NULL, __LINE__, "name of unknown value");
    /* Every canonical name parses back to its value. */
    for (int k = CCN_ENC_UTF8; k <= CCN_ENC_CP1258; k++) {
        ccn_encoding r;
        ok(ccn_textenc_parse(ccn_textenc_name((ccn_encoding)k), &r) && (int)r == k, __LINE__,
           "name round trip");
    }
}

/* ---- Plausibility ----------------------------------------------------------
 * Real Vietnamese names (owners, communes, companies) have no odd word. The
 * same name in TCVN3 bytes ("Nguyễn Đình Hưng" = 4E 67 75 79 D4 6E 20 A7 D7
 * 6E 68 20 48 AD 6E 67, from the table above) read as CP1258 is what
 * `iconv -f CP1258` prints: "NguyÔn §×nh H­ng" (­ = U+00AD), odd word by word.
 * Words are counted only when they have a non-ASCII letter. */
static void check_judge(const char *text, size_t want_words, size_t want_odd, int line)
{
    size_t words = 0, odd = 0;
    ccn_textenc_judge(text, &words, &odd);
    char what[200];
    snprintf(what, sizeof what, "judge '%s': %zu words, %zu odd (want %zu, %zu)", text, words,
             odd, want_words, want_odd);
    ok(words == want_words && odd == want_odd, line, what);
}
#define JUDGE(text, w, o) check_judge(text, w, o, __LINE__)

static void test_judge(void)
{
    /* real names: every word with a diacritic is a syllable */
    JUDGE("Nguyễn Đình Hưng", 3, 0);
    JUDGE("Trần Thị Ngọc Ánh", 4, 0);
    JUDGE("Lê Văn Thưởng", 3, 0);
    JUDGE("Hợp tác xã Chế biến Nông sản Dân Lực", 9, 0);
    JUDGE("Công ty TNHH Đồ gỗ Xuất khẩu Phú Thịnh", 7, 0);
    JUDGE("Phạm Quang Huy", 1, 0);
    JUDGE("Đặng Thị Khuyên; Vũ Ngọc Quyết; Bùi Xuân Trường", 9, 0);
    JUDGE("xã Thọ Ngọc, huyện Triệu Sơn, tỉnh Thanh Hóa", 8, 0); /* "Thanh" is ASCII */
    JUDGE("Nguyễn Thị Hoài, Đoàn Văn Khoẻ, Lương Thế Vinh", 8, 0);
    /* codes and ASCII prove nothing */
    JUDGE("CN-01 LUC 15940", 0, 0);
    JUDGE("Company Ltd", 0, 0);
    /* TCVN3 bytes read as CP1258 */
    JUDGE("NguyÔn §×nh H\xC2\xADng", 3, 3);
    /* a capital inside a word, a symbol inside a word, two tones, no such syllable */
    JUDGE("ThÞ", 1, 1);
    JUDGE("Hå×ng", 1, 1);
    JUDGE("Nguyễń", 1, 1);
    JUDGE("Hãa", 1, 1);
    JUDGE("Thoỡ", 1, 1); /* VNI "Thọ" (Tho EF) read as TCVN3: "oo" never ends a syllable */
    JUDGE("Tiến Yến Muốn Xoong Nguyễn Chuyện", 5, 0);
    /* VNI bytes read as CP1258: "Nguyễn" = Nguye64n with mark bytes */
    JUDGE("Nguyeãn Ñình", 2, 2);
}

int main(void)
{
    test_tables();
    test_tcvn3();
    test_vni();
    test_cp1258();
    test_utf8();
    test_fold();
    test_names();
    test_judge();
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
