/* textenc — legacy Vietnamese encodings to UTF-8, and diacritic folding.
 *
 * Land offices still receive shapefiles and spreadsheets written in the
 * pre-Unicode Vietnamese encodings. This module turns such text into UTF-8
 * and folds names so that "Hợp Thắng", "HỢP THẮNG" and "Hop  Thang" match.
 *
 *   CCN_ENC_UTF8    UTF-8; validated, and decomposed Vietnamese (base letter
 *                   followed by combining marks) is composed.
 *   CCN_ENC_TCVN3   TCVN 5712:1993 VN3 ("ABC", .VnTime fonts), decoded with
 *                   iconv(3) "TCVN5712-1" (VN1, a superset of VN3). Capital
 *                   toned letters written with a ".VnTimeH" capitals font are
 *                   stored as lower-case bytes and come out lower-case.
 *   CCN_ENC_VNI     VNI-Windows: Windows-1252 bytes where a vowel is followed
 *                   by a mark byte ("aù" = á, "Ñöùc" = Đức); decoded by this
 *                   module's own table (glibc has no VNI converter).
 *   CCN_ENC_CP1258  Windows-1258, decoded with iconv(3) "CP1258"; its
 *                   combining tone marks are composed.
 *
 * Output of ccn_textenc_to_utf8() is UTF-8 with every Vietnamese letter
 * precomposed (NFC form for Vietnamese: U+1EA0..U+1EF9 and Latin-1/Extended-A
 * letters). A Vietnamese vowel followed by circumflex/breve/horn and tone marks,
 * in any order, becomes one letter; combining marks that do not make a
 * Vietnamese letter are kept as they are.
 *
 * Errors: functions returning a pointer return NULL and set errno:
 *   EILSEQ  the bytes are invalid in that encoding (or contain a NUL byte),
 *   ENOMEM  out of memory,
 *   EINVAL  a NULL argument or an unknown encoding value,
 *   ENOTSUP the C library has no iconv converter for the encoding.
 *
 * Thread safety: no global mutable state; iconv descriptors are opened per call.
 *
 * Ownership: every returned string is malloc'd; the caller frees it with free().
 * (Exception: ccn_textenc_name() returns a static string, not to be freed.)
 */
#ifndef CCN_TEXTENC_H
#define CCN_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum { CCN_ENC_UTF8, CCN_ENC_TCVN3, CCN_ENC_VNI, CCN_ENC_CP1258 } ccn_encoding;

/* Parse an encoding name, case-insensitively: "UTF-8", "UTF8" -> UTF8;
 * "TCVN3", "ABC", "TCVN5712", "TCVN5712-1" -> TCVN3; "VNI", "VNI-WINDOWS" -> VNI;
 * "CP1258", "WINDOWS-1258" -> CP1258. Returns false (and leaves *out alone)
 * if the name is unknown or an argument is NULL. */
bool ccn_textenc_parse(const char *name, ccn_encoding *out);

/* Canonical name of an encoding: "UTF-8", "TCVN3", "VNI" or "CP1258" (the
 * values ccn's --encoding option takes); NULL for a value outside the enum.
 * The string is static: do not free it. */
const char *ccn_textenc_name(ccn_encoding enc);

/* Transcode len bytes of in (need not be NUL-terminated; may be NULL when len
 * is 0) from enc to precomposed UTF-8. Returns a NUL-terminated malloc'd
 * string, or NULL with errno set (see above): EILSEQ if the bytes are invalid
 * in that encoding, e.g. invalid UTF-8, a Windows-1258 byte with no character,
 * or a VNI mark byte that follows no vowel it can go on. */
char *ccn_textenc_to_utf8(ccn_encoding enc, const char *in, size_t len);

/* The same from Windows-1252, as GDAL decodes a Western .cpg or MapInfo's
 * WindowsLatin1 (not an --encoding: only to show what that reading gives). */
char *ccn_textenc_cp1252_to_utf8(const char *in, size_t len);

/* Code point c in UTF-8 into out (room for 4 bytes); returns the bytes written. */
size_t ccn_textenc_utf8_put(uint32_t c, char *out);

/* The value of hexadecimal digit c (either case), or -1. */
static inline int ccn_textenc_hex_digit(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* Fold a UTF-8 string for matching: Vietnamese letters lose their diacritics
 * ("Đồng" -> "dong"), ASCII is lower-cased, combining marks are dropped, runs
 * of white space (ASCII, no-break and other Unicode spaces) become one ASCII
 * space and the ends are trimmed. Digits and punctuation are kept; other
 * characters are kept as they are. Returns a malloc'd string, or NULL with
 * errno EILSEQ if utf8 is not valid UTF-8 (EINVAL if NULL, ENOMEM). */
char *ccn_textenc_fold(const char *utf8);

/* True if s is valid UTF-8 (strict: no overlongs, surrogates, or values above
 * U+10FFFF); false for NULL. Every text ccn stores passes this. */
bool ccn_textenc_is_utf8(const char *s);

/* Plausibility of decoded text as Vietnamese: adds to *words the words of
 * utf8 that can tell (some non-ASCII letter, no digit) and to *odd those that
 * cannot be Vietnamese: a symbol inside the word ("§×nh", "H\u00ADng"), a
 * capital after a small letter ("NguyÔn"), a letter Vietnamese does not
 * have, two tone marks, or a spelling no syllable has (initial consonant,
 * vowel group, final consonant: "Hãa"). Text read with the wrong legacy
 * table has many odd words; real names have none. */
void ccn_textenc_judge(const char *utf8, size_t *words, size_t *odd);

/* Take away, in place, the white space at both ends of a UTF-8 string: ASCII's
 * and Unicode's (the no-break space U+00A0 a spreadsheet leaves after "SKN",
 * U+2000-U+200A, U+202F, U+3000, ...), the zero-width space and a byte-order
 * mark, so that "SKN\u00a0" is the code SKN. Text that is not valid UTF-8 is
 * left as it is; NULL is ignored. */
void ccn_textenc_trim(char *utf8);

/* A code of ASCII digits as a number reads it: s past its leading zeros
 * ("015688" -> "15688", "000" -> "0"); NULL when s is not all digits. */
const char *ccn_textenc_digits(const char *s);

/* Upper-case a UTF-8 string: ASCII, the Vietnamese letters ("Huyện" ->
 * "HUYỆN", "đ" -> "Đ") and the other Latin-1 letters; everything else is kept.
 * Returns a malloc'd string, or NULL with errno EILSEQ if utf8 is not valid
 * UTF-8 (EINVAL if NULL, ENOMEM). */
char *ccn_textenc_upper(const char *utf8);

/* True when len bytes of in are valid UTF-8 holding at least one Latin
 * letter or mark beyond ASCII ("Cà Mau"): text that is already UTF-8, which
 * decoding as TCVN3, VNI or CP1258 would garble. Text in those encodings is
 * practically never valid UTF-8: in them a Vietnamese letter is one byte of
 * 0x80-0xFF, and UTF-8 wants every such byte in a lead + continuation run. */
bool ccn_textenc_is_utf8_latin(const char *in, size_t len);

/* The letter c (a code point, any case, any tone) in the Vietnamese
 * alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with
 * f, j, w, z where the Latin alphabet puts them: *rank 0 (a) to 32 (z), *tone
 * in dictionary order (0 none, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng), *upper
 * its case. False for anything else (digits, punctuation, other letters). */
bool ccn_textenc_letter(uint32_t c, int *rank, int *tone, bool *upper);

#endif /* CCN_TEXTENC_H */
