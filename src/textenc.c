/* textenc — legacy Vietnamese encodings to UTF-8, and diacritic folding.
 *
 * Every conversion goes through one pipeline:
 *
 *   bytes --decode--> code points --compose--> code points --encode--> UTF-8
 *
 * Decoding is iconv(3) for TCVN3 and CP1258 (to UTF-8, then read back into
 * code points), a strict UTF-8 reader for UTF-8, and the VNI table below for
 * VNI. Composition then merges "Vietnamese vowel + combining marks" into the
 * precomposed letter, whatever produced the marks (CP1258 always does; glibc's
 * TCVN5712-1 does when the text has VN1 combining bytes 0xB0..0xB4; UTF-8 text
 * typed with a "Unicode tổ hợp" keyboard does).
 *
 * The model of a Vietnamese vowel is (vowel, tone, upper): vowel is one of the
 * twelve letters a ă â e ê i o ô ơ u ư y (VOW_*), tone one of none, grave,
 * acute, hook above, tilde, dot below (TONE_*). VIET_COMPOSE maps (vowel, tone)
 * to the lower-case code point; the upper-case one is one less (U+1EA0..U+1EF9
 * and Latin Extended-A pair upper/lower as even/odd) or 0x20 less (Latin-1 and
 * ASCII). VIET_DECOMPOSE is the inverse, sorted by code point for bsearch.
 * A mark adds a modifier (circumflex a→â e→ê o→ô, breve a→ă, horn o→ơ u→ư)
 * and/or a tone to a vowel that has neither yet.
 */
#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- Vietnamese vowels ------------------------------------------------ */

enum { VOW_A, VOW_A_BREVE, VOW_A_CIRC, VOW_E, VOW_E_CIRC, VOW_I, VOW_O, VOW_O_CIRC,
       VOW_O_HORN, VOW_U, VOW_U_HORN, VOW_Y, VOW_COUNT };
enum { TONE_NONE, TONE_GRAVE, TONE_ACUTE, TONE_HOOK, TONE_TILDE, TONE_DOT, TONE_COUNT };
enum { MOD_NONE, MOD_CIRC, MOD_BREVE, MOD_HORN };

/* Lower-case precomposed letter for [vowel][tone]. */
static const uint16_t VIET_COMPOSE[VOW_COUNT][TONE_COUNT] = {
    {0x0061, 0x00E0, 0x00E1, 0x1EA3, 0x00E3, 0x1EA1}, /* a */
    {0x0103, 0x1EB1, 0x1EAF, 0x1EB3, 0x1EB5, 0x1EB7}, /* ă */
    {0x00E2, 0x1EA7, 0x1EA5, 0x1EA9, 0x1EAB, 0x1EAD}, /* â */
    {0x0065, 0x00E8, 0x00E9, 0x1EBB, 0x1EBD, 0x1EB9}, /* e */
    {0x00EA, 0x1EC1, 0x1EBF, 0x1EC3, 0x1EC5, 0x1EC7}, /* ê */
    {0x0069, 0x00EC, 0x00ED, 0x1EC9, 0x0129, 0x1ECB}, /* i */
    {0x006F, 0x00F2, 0x00F3, 0x1ECF, 0x00F5, 0x1ECD}, /* o */
    {0x00F4, 0x1ED3, 0x1ED1, 0x1ED5, 0x1ED7, 0x1ED9}, /* ô */
    {0x01A1, 0x1EDD, 0x1EDB, 0x1EDF, 0x1EE1, 0x1EE3}, /* ơ */
    {0x0075, 0x00F9, 0x00FA, 0x1EE7, 0x0169, 0x1EE5}, /* u */
    {0x01B0, 0x1EEB, 0x1EE9, 0x1EED, 0x1EEF, 0x1EF1}, /* ư */
    {0x0079, 0x1EF3, 0x00FD, 0x1EF7, 0x1EF9, 0x1EF5}, /* y */
};

/* ASCII base letter of each vowel, for folding. */
static const char VIET_BASE[VOW_COUNT] = {'a', 'a', 'a', 'e', 'e', 'i',
                                          'o', 'o', 'o', 'u', 'u', 'y'};

typedef struct {
    uint16_t cp;    /* code point */
    uint8_t vowel;  /* VOW_* */
    uint8_t tone;   /* TONE_* */
    uint8_t upper;  /* 1 for a capital letter */
} viet_letter;

/* Every cell of VIET_COMPOSE in both cases, sorted by cp (144 entries). */
static const viet_letter VIET_DECOMPOSE[] = {
    {0x0041, 0,0,1}, {0x0045, 3,0,1}, {0x0049, 5,0,1}, {0x004F, 6,0,1},
    {0x0055, 9,0,1}, {0x0059,11,0,1}, {0x0061, 0,0,0}, {0x0065, 3,0,0},
    {0x0069, 5,0,0}, {0x006F, 6,0,0}, {0x0075, 9,0,0}, {0x0079,11,0,0},
    {0x00C0, 0,1,1}, {0x00C1, 0,2,1}, {0x00C2, 2,0,1}, {0x00C3, 0,4,1},
    {0x00C8, 3,1,1}, {0x00C9, 3,2,1}, {0x00CA, 4,0,1}, {0x00CC, 5,1,1},
    {0x00CD, 5,2,1}, {0x00D2, 6,1,1}, {0x00D3, 6,2,1}, {0x00D4, 7,0,1},
    {0x00D5, 6,4,1}, {0x00D9, 9,1,1}, {0x00DA, 9,2,1}, {0x00DD,11,2,1},
    {0x00E0, 0,1,0}, {0x00E1, 0,2,0}, {0x00E2, 2,0,0}, {0x00E3, 0,4,0},
    {0x00E8, 3,1,0}, {0x00E9, 3,2,0}, {0x00EA, 4,0,0}, {0x00EC, 5,1,0},
    {0x00ED, 5,2,0}, {0x00F2, 6,1,0}, {0x00F3, 6,2,0}, {0x00F4, 7,0,0},
    {0x00F5, 6,4,0}, {0x00F9, 9,1,0}, {0x00FA, 9,2,0}, {0x00FD,11,2,0},
    {0x0102, 1,0,1}, {0x0103, 1,0,0}, {0x0128, 5,4,1}, {0x0129, 5,4,0},
    {0x0168, 9,4,1}, {0x0169, 9,4,0}, {0x01A0, 8,0,1}, {0x01A1, 8,0,0},
    {0x01AF,10,0,1}, {0x01B0,10,0,0}, {0x1EA0, 0,5,1}, {0x1EA1, 0,5,0},
    {0x1EA2, 0,3,1}, {0x1EA3, 0,3,0}, {0x1EA4, 2,2,1}, {0x1EA5, 2,2,0},
    {0x1EA6, 2,1,1}, {0x1EA7, 2,1,0}, {0x1EA8, 2,3,1}, {0x1EA9, 2,3,0},
    {0x1EAA, 2,4,1}, {0x1EAB, 2,4,0}, {0x1EAC, 2,5,1}, {0x1EAD, 2,5,0},
    {0x1EAE, 1,2,1}, {0x1EAF, 1,2,0}, {0x1EB0, 1,1,1}, {0x1EB1, 1,1,0},
    {0x1EB2, 1,3,1}, {0x1EB3, 1,3,0}, {0x1EB4, 1,4,1}, {0x1EB5, 1,4,0},
    {0x1EB6, 1,5,1}, {0x1EB7, 1,5,0}, {0x1EB8, 3,5,1}, {0x1EB9, 3,5,0},
    {0x1EBA, 3,3,1}, {0x1EBB, 3,3,0}, {0x1EBC, 3,4,1}, {0x1EBD, 3,4,0},
    {0x1EBE, 4,2,1}, {0x1EBF, 4,2,0}, {0x1EC0, 4,1,1}, {0x1EC1, 4,1,0},
    {0x1EC2, 4,3,1}, {0x1EC3, 4,3,0}, {0x1EC4, 4,4,1}, {0x1EC5, 4,4,0},
    {0x1EC6, 4,5,1}, {0x1EC7, 4,5,0}, {0x1EC8, 5,3,1}, {0x1EC9, 5,3,0},
    {0x1ECA, 5,5,1}, {0x1ECB, 5,5,0}, {0x1ECC, 6,5,1}, {0x1ECD, 6,5,0},
    {0x1ECE, 6,3,1}, {0x1ECF, 6,3,0}, {0x1ED0, 7,2,1}, {0x1ED1, 7,2,0},
    {0x1ED2, 7,1,1}, {0x1ED3, 7,1,0}, {0x1ED4, 7,3,1}, {0x1ED5, 7,3,0},
    {0x1ED6, 7,4,1}, {0x1ED7, 7,4,0}, {0x1ED8, 7,5,1}, {0x1ED9, 7,5,0},
    {0x1EDA, 8,2,1}, {0x1EDB, 8,2,0}, {0x1EDC, 8,1,1}, {0x1EDD, 8,1,0},
    {0x1EDE, 8,3,1}, {0x1EDF, 8,3,0}, {0x1EE0, 8,4,1}, {0x1EE1, 8,4,0},
    {0x1EE2, 8,5,1}, {0x1EE3, 8,5,0}, {0x1EE4, 9,5,1}, {0x1EE5, 9,5,0},
    {0x1EE6, 9,3,1}, {0x1EE7, 9,3,0}, {0x1EE8,10,2,1}, {0x1EE9,10,2,0},
    {0x1EEA,10,1,1}, {0x1EEB,10,1,0}, {0x1EEC,10,3,1}, {0x1EED,10,3,0},
    {0x1EEE,10,4,1}, {0x1EEF,10,4,0}, {0x1EF0,10,5,1}, {0x1EF1,10,5,0},
    {0x1EF2,11,1,1}, {0x1EF3,11,1,0}, {0x1EF4,11,5,1}, {0x1EF5,11,5,0},
    {0x1EF6,11,3,1}, {0x1EF7,11,3,0}, {0x1EF8,11,4,1}, {0x1EF9,11,4,0},
};

#define N_DECOMPOSE (sizeof VIET_DECOMPOSE / sizeof VIET_DECOMPOSE[0])

static int cmp_letter(const void *key, const void *elem)
{
    uint32_t k = *(const uint32_t *)key;
    uint32_t c = ((const viet_letter *)elem)->cp;
    return (k > c) - (k < c);
}

/* The Vietnamese vowel that cp is, or NULL. */
static const viet_letter *viet_lookup(uint32_t cp)
{
    if (cp > 0xFFFF)
        return NULL;
    return bsearch(&cp, VIET_DECOMPOSE, N_DECOMPOSE, sizeof VIET_DECOMPOSE[0], cmp_letter);
}

static uint32_t viet_compose(int vowel, int tone, int upper)
{
    uint32_t c = VIET_COMPOSE[vowel][tone];
    if (upper)
        c = c < 0x100 ? c - 0x20 : c - 1;
    return c;
}

/* Vowel after adding modifier mod, or -1 if that letter does not exist. */
static int add_modifier(int vowel, int mod)
{
    switch (mod) {
    case MOD_NONE: return vowel;
    case MOD_CIRC:
        return vowel == VOW_A ? VOW_A_CIRC : vowel == VOW_E ? VOW_E_CIRC
             : vowel == VOW_O ? VOW_O_CIRC : -1;
    case MOD_BREVE: return vowel == VOW_A ? VOW_A_BREVE : -1;
    case MOD_HORN:
        return vowel == VOW_O ? VOW_O_HORN : vowel == VOW_U ? VOW_U_HORN : -1;
    default: return -1;
    }
}

/* Put modifier mod and tone on the letter cp. True with *out set if cp is a
 * Vietnamese vowel that takes them (a tone only if it has none yet, a modifier
 * only if it has none yet). */
static bool apply_marks(uint32_t cp, int mod, int tone, uint32_t *out)
{
    const viet_letter *l = viet_lookup(cp);
    if (!l)
        return false;
    int vowel = l->vowel;
    if (mod != MOD_NONE) {
        int plain = vowel == VOW_A_BREVE || vowel == VOW_A_CIRC ? VOW_A
                  : vowel == VOW_E_CIRC ? VOW_E
                  : vowel == VOW_O_CIRC || vowel == VOW_O_HORN ? VOW_O
                  : vowel == VOW_U_HORN ? VOW_U : vowel;
        if (plain != vowel)
            return false; /* already has a modifier */
        vowel = add_modifier(vowel, mod);
        if (vowel < 0)
            return false;
    }
    if (tone != TONE_NONE && l->tone != TONE_NONE)
        return false;
    *out = viet_compose(vowel, tone != TONE_NONE ? tone : l->tone, l->upper);
    return true;
}

/* The modifier/tone a combining character stands for; false if it is none of
 * the Vietnamese ones. U+0340/U+0341 are canonical equivalents of grave/acute. */
static bool combining_mark(uint32_t c, int *mod, int *tone)
{
    *mod = MOD_NONE;
    *tone = TONE_NONE;
    switch (c) {
    case 0x0300: case 0x0340: *tone = TONE_GRAVE; return true;
    case 0x0301: case 0x0341: *tone = TONE_ACUTE; return true;
    case 0x0303: *tone = TONE_TILDE; return true;
    case 0x0309: *tone = TONE_HOOK; return true;
    case 0x0323: *tone = TONE_DOT; return true;
    case 0x0302: *mod = MOD_CIRC; return true;
    case 0x0306: *mod = MOD_BREVE; return true;
    case 0x031B: *mod = MOD_HORN; return true;
    default: return false;
    }
}

/* ---- code point buffer -------------------------------------------------- */

typedef struct {
    uint32_t *v;  /* code points */
    size_t n;     /* number used */
    size_t cap;   /* number allocated */
} cpbuf;

static bool cp_push(cpbuf *b, uint32_t c)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        if (cap > SIZE_MAX / sizeof *b->v)
            return false;
        uint32_t *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return false;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = c;
    return true;
}

/* Merge Vietnamese combining marks into the letter before them, in place. */
static void compose(cpbuf *b)
{
    size_t w = 0;
    for (size_t r = 0; r < b->n; r++) {
        uint32_t c = b->v[r];
        int mod, tone;
        uint32_t merged;
        if (w > 0 && combining_mark(c, &mod, &tone) && apply_marks(b->v[w - 1], mod, tone, &merged)) {
            b->v[w - 1] = merged;
            continue;
        }
        b->v[w++] = c;
    }
    b->n = w;
}

/* ---- UTF-8 ---------------------------------------------------------------- */

/* Read one code point at s[*i] (strict: no overlongs, surrogates or values
 * above U+10FFFF); advances *i. False if the bytes are not valid UTF-8. */
static bool utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *out)
{
    size_t p = *i;
    unsigned char b0 = s[p];
    uint32_t c;
    size_t extra;
    uint32_t min;
    if (b0 < 0x80) {
        *out = b0;
        *i = p + 1;
        return true;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
        c = b0 & 0x1Fu; extra = 1; min = 0x80;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        c = b0 & 0x0Fu; extra = 2; min = 0x800;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        c = b0 & 0x07u; extra = 3; min = 0x10000;
    } else {
        return false;
    }
    if (len - p - 1 < extra)
        return false;
    for (size_t k = 1; k <= extra; k++) {
        unsigned char b = s[p + k];
        if ((b & 0xC0) != 0x80)
            return false;
        c = (c << 6) | (b & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return false;
    *out = c;
    *i = p + 1 + extra;
    return true;
}

size_t ccn_textenc_utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    } else if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    } else if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* Append the code points of len bytes of UTF-8; 0, EILSEQ or ENOMEM. */
/* Valid UTF-8 holding no combining mark (U+0300–U+036F, whose lead byte is
 * 0xCC or 0xCD) comes out of decode, compose and encode as it went in: the
 * usual text, checked without the round trip (a tenth of an import's time
 * on the reading thread went to it). */
static bool utf8_unchanged(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint64_t eight;
        if (len - i >= 8 && (memcpy(&eight, s + i, 8), (eight & 0x8080808080808080u) == 0)) {
            i += 8;
            continue;
        }
        uint32_t c;
        if (s[i] == 0xCC || s[i] == 0xCD || !utf8_next(s, len, &i, &c))
            return false;
    }
    return true;
}

static int decode_utf8(const char *in, size_t len, cpbuf *b)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    while (i < len) {
        uint32_t c;
        if (!utf8_next(s, len, &i, &c))
            return EILSEQ;
        if (!cp_push(b, c))
            return ENOMEM;
    }
    return 0;
}

/* A malloc'd NUL-terminated UTF-8 string of the code points, or NULL. */
static char *encode_utf8(const cpbuf *b)
{
    if (b->n > (SIZE_MAX - 1) / 4)
        return NULL;
    char *out = malloc(b->n * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t k = 0; k < b->n; k++)
        o += ccn_textenc_utf8_put(b->v[k], out + o);
    out[o] = '\0';
    return out;
}

/* ---- iconv (TCVN3, CP1258) ----------------------------------------------- */

/* Convert len bytes from charset `from` to UTF-8 and append the code points.
 * Returns 0, EILSEQ, ENOMEM or ENOTSUP. glibc's TCVN5712-1 and CP1258
 * converters hold back the last base letter to combine it with a following
 * mark, so the final iconv(cd, NULL, ...) flush is required. */
static int decode_iconv(const char *from, const char *in, size_t len, cpbuf *b)
{
    int status = 0;
    char *buf = NULL;
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1)
        return errno == ENOMEM ? ENOMEM : ENOTSUP;

    size_t cap = len <= (SIZE_MAX - 64) / 4 ? len * 4 + 64 : 0;
    if (cap == 0 || !(buf = malloc(cap))) {
        status = ENOMEM;
        goto done;
    }
    /* iconv(3) takes char ** but only reads the input: drop const via uintptr_t. */
    char *ip = (char *)(uintptr_t)in;
    size_t il = len;
    char *op = buf;
    size_t ol = cap;
    bool flushing = false;
    for (;;) {
        size_t r = flushing ? iconv(cd, NULL, NULL, &op, &ol) : iconv(cd, &ip, &il, &op, &ol);
        if (r == (size_t)-1) {
            if (errno != E2BIG) {
                status = EILSEQ; /* EILSEQ, or EINVAL: incomplete sequence at the end */
                goto done;
            }
            size_t used = (size_t)(op - buf);
            if (cap > SIZE_MAX / 2) {
                status = ENOMEM;
                goto done;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                status = ENOMEM;
                goto done;
            }
            buf = nb;
            cap *= 2;
            op = buf + used;
            ol = cap - used;
            continue;
        }
        if (flushing)
            break;
        if (il == 0)
            flushing = true;
    }
    status = decode_utf8(buf, (size_t)(op - buf), b);
    if (status == EILSEQ)
        status = ENOTSUP; /* the converter produced bad UTF-8: not our input's fault */
done:
    free(buf);
    iconv_close(cd);
    return status;
}

/* ---- VNI-Windows ------------------------------------------------------- */

/* VNI-Windows is Windows-1252 with the glyphs of 0xC0..0xFF redrawn: most of
 * them became marks drawn over the preceding vowel, a few became letters.
 * Sources: the VNI table of xvnkb (lamdao/xvnkb vni.h, strings in Windows-1252)
 * and VBKey (khiemdoan/VBKey mdlCodeTable.bas, VNI_WINDOWS_TABLE), which agree
 * byte for byte:
 *   tone marks       acute F9/D9  grave F8/D8  hook FB/DB  tilde F5/D5  dot EF/CF
 *   circumflex       alone E2/C2, with acute E1/C1 grave E0/C0 hook E5/C5
 *                    tilde E3/C3 dot E4/C4  (aâ = â, eá = ế, oä = ộ)
 *   breve            alone EA/CA, with acute E9/C9 grave E8/C8 hook FA/DA
 *                    tilde FC/DC dot EB/CB  (aê = ă, aé = ắ)
 *   letters          ô F4 = ơ, Ô D4 = Ơ, ö F6 = ư, Ö D6 = Ư, ñ F1 = đ, Ñ D1 = Đ,
 *                    í ED = í, ì EC = ì, æ E6 = ỉ, ó F3 = ĩ, ò F2 = ị (and
 *                    CD CC C6 D3 D2 for capitals), î EE = ỵ, Î CE = Ỵ.
 * The case of a mark byte does not matter: the vowel's case is kept.
 * Entries: a code point (< 0xF000), VNI_MARK(mod, tone), or 0 for a byte with
 * no character (0x81 0x8D 0x8F 0x90 0x9D, as in Windows-1252). */
#define VNI_MARK(mod, tone) (0xF000u | ((unsigned)(mod) << 4) | (unsigned)(tone))
#define M(mod, tone) VNI_MARK(MOD_##mod, TONE_##tone)

static const uint16_t VNI_HIGH[128] = {
    /* 0x80 */ 0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    /* 0x88 */ 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    /* 0x90 */ 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    /* 0x98 */ 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    /* 0xA0 */ 0x00A0, 0x00A1, 0x00A2, 0x00A3, 0x00A4, 0x00A5, 0x00A6, 0x00A7,
    /* 0xA8 */ 0x00A8, 0x00A9, 0x00AA, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x00AF,
    /* 0xB0 */ 0x00B0, 0x00B1, 0x00B2, 0x00B3, 0x00B4, 0x00B5, 0x00B6, 0x00B7,
    /* 0xB8 */ 0x00B8, 0x00B9, 0x00BA, 0x00BB, 0x00BC, 0x00BD, 0x00BE, 0x00BF,
    /* 0xC0 */ M(CIRC, GRAVE), M(CIRC, ACUTE), M(CIRC, NONE), M(CIRC, TILDE),
    /* 0xC4 */ M(CIRC, DOT), M(CIRC, HOOK), 0x1EC8 /* Ỉ */, 0x00C7,
    /* 0xC8 */ M(BREVE, GRAVE), M(BREVE, ACUTE), M(BREVE, NONE), M(BREVE, DOT),
    /* 0xCC */ 0x00CC /* Ì */, 0x00CD /* Í */, 0x1EF4 /* Ỵ */, M(NONE, DOT),
    /* 0xD0 */ 0x00D0, 0x0110 /* Đ */, 0x1ECA /* Ị */, 0x0128 /* Ĩ */,
    /* 0xD4 */ 0x01A0 /* Ơ */, M(NONE, TILDE), 0x01AF /* Ư */, 0x00D7,
    /* 0xD8 */ M(NONE, GRAVE), M(NONE, ACUTE), M(BREVE, HOOK), M(NONE, HOOK),
    /* 0xDC */ M(BREVE, TILDE), 0x00DD, 0x00DE, 0x00DF,
    /* 0xE0 */ M(CIRC, GRAVE), M(CIRC, ACUTE), M(CIRC, NONE), M(CIRC, TILDE),
    /* 0xE4 */ M(CIRC, DOT), M(CIRC, HOOK), 0x1EC9 /* ỉ */, 0x00E7,
    /* 0xE8 */ M(BREVE, GRAVE), M(BREVE, ACUTE), M(BREVE, NONE), M(BREVE, DOT),
    /* 0xEC */ 0x00EC /* ì */, 0x00ED /* í */, 0x1EF5 /* ỵ */, M(NONE, DOT),
    /* 0xF0 */ 0x00F0, 0x0111 /* đ */, 0x1ECB /* ị */, 0x0129 /* ĩ */,
    /* 0xF4 */ 0x01A1 /* ơ */, M(NONE, TILDE), 0x01B0 /* ư */, 0x00F7,
    /* 0xF8 */ M(NONE, GRAVE), M(NONE, ACUTE), M(BREVE, HOOK), M(NONE, HOOK),
    /* 0xFC */ M(BREVE, TILDE), 0x00FD, 0x00FE, 0x00FF,
};

#undef M

/* Decode VNI-Windows bytes; 0, EILSEQ or ENOMEM. A mark byte must follow a
 * vowel that can take it; "aâ" then a tone byte is accepted too. */
static int decode_vni(const char *in, size_t len, cpbuf *b)
{
    const unsigned char *s = (const unsigned char *)in;
    for (size_t i = 0; i < len; i++) {
        unsigned char byte = s[i];
        uint32_t c = byte < 0x80 ? byte : VNI_HIGH[byte - 0x80];
        if (byte >= 0x80 && c == 0)
            return EILSEQ;
        if (c >= 0xF000) {
            int mod = (int)((c >> 4) & 0xF), tone = (int)(c & 0xF);
            uint32_t merged;
            if (b->n == 0 || !apply_marks(b->v[b->n - 1], mod, tone, &merged))
                return EILSEQ;
            b->v[b->n - 1] = merged;
            continue;
        }
        if (!cp_push(b, c))
            return ENOMEM;
    }
    return 0;
}

/* ---- public API ------------------------------------------------------- */

static bool name_is(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'a' && x <= 'z')
            x = (char)(x - 'a' + 'A');
        if (x != y)
            return false;
    }
    return *a == '\0' && *b == '\0';
}

bool ccn_textenc_parse(const char *name, ccn_encoding *out)
{
    static const struct {
        const char *name; /* upper case */
        ccn_encoding enc;
    } names[] = {
        {"UTF-8", CCN_ENC_UTF8},      {"UTF8", CCN_ENC_UTF8},
        {"TCVN3", CCN_ENC_TCVN3},     {"ABC", CCN_ENC_TCVN3},
        {"TCVN5712", CCN_ENC_TCVN3},  {"TCVN5712-1", CCN_ENC_TCVN3},
        {"VNI", CCN_ENC_VNI},         {"VNI-WINDOWS", CCN_ENC_VNI},
        {"CP1258", CCN_ENC_CP1258},   {"WINDOWS-1258", CCN_ENC_CP1258},
    };
    if (!name || !out)
        return false;
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        if (name_is(name, names[k].name)) {
            *out = names[k].enc;
            return true;
        }
    }
    return false;
}

const char *ccn_textenc_name(ccn_encoding enc)
{
    switch (enc) {
    case CCN_ENC_UTF8: return "UTF-8";
    case CCN_ENC_TCVN3: return "TCVN3";
    case CCN_ENC_VNI: return "VNI";
    case CCN_ENC_CP1258: return "CP1258";
    }
    return NULL;
}

char *ccn_textenc_to_utf8(ccn_encoding enc, const char *in, size_t len)
{
    cpbuf b = {NULL, 0, 0};
    char *out = NULL;
    int status = EINVAL; /* stays so for a value outside the enum */

    if (!in && len > 0) {
        errno = EINVAL;
        return NULL;
    }
    if (len > 0 && memchr(in, '\0', len)) {
        errno = EILSEQ;
        return NULL;
    }
    if (enc == CCN_ENC_UTF8 && utf8_unchanged((const unsigned char *)in, len)) {
        if (!(out = malloc(len + 1))) {
            errno = ENOMEM;
            return NULL;
        }
        memcpy(out, in, len);
        out[len] = '\0';
        return out;
    }
    switch (enc) {
    case CCN_ENC_UTF8: status = decode_utf8(in, len, &b); break;
    case CCN_ENC_TCVN3: status = decode_iconv("TCVN5712-1", in, len, &b); break;
    case CCN_ENC_VNI: status = decode_vni(in, len, &b); break;
    case CCN_ENC_CP1258: status = decode_iconv("CP1258", in, len, &b); break;
    }
    if (status == 0) {
        compose(&b);
        out = encode_utf8(&b);
        if (!out)
            status = ENOMEM;
    }
    free(b.v);
    if (!out)
        errno = status;
    return out;
}

char *ccn_textenc_cp1252_to_utf8(const char *in, size_t len)
{
    cpbuf b = {NULL, 0, 0};
    char *out = NULL;
    int status = in || len == 0 ? decode_iconv("CP1252", in, len, &b) : EINVAL;
    if (status == 0 && !(out = encode_utf8(&b)))
        status = ENOMEM;
    free(b.v);
    if (!out)
        errno = status;
    return out;
}

/* Latin-1 letters outside Vietnamese, folded to their ASCII base (0: keep). */
static const char LATIN1_BASE[64] = {
    /* 0xC0 */ 'a', 'a', 'a', 'a', 'a', 'a', 0, 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    /* 0xD0 */ 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 0,
    /* 0xE0 */ 'a', 'a', 'a', 'a', 'a', 'a', 0, 'c', 'e', 'e', 'e', 'e', 'i', 'i', 'i', 'i',
    /* 0xF0 */ 'd', 'n', 'o', 'o', 'o', 'o', 'o', 0, 'o', 'u', 'u', 'u', 'u', 'y', 0, 'y',
};

static bool is_space(uint32_t c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
           c == 0x205F || c == 0x3000;
}

/* Dropped when folding: combining marks and invisible format characters. */
static bool is_ignorable(uint32_t c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200D) || c == 0xFEFF;
}

void ccn_textenc_trim(char *utf8)
{
    if (!utf8)
        return;
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8), i = 0, start = 0, end = 0;
    bool leading = true;
    while (i < len) {
        uint32_t c;
        if (!utf8_next(s, len, &i, &c))
            return; /* not UTF-8: kept as it is */
        if (is_space(c) || c == 0x200B || c == 0xFEFF) {
            if (leading)
                start = i;
            continue;
        }
        leading = false;
        end = i;
    }
    if (leading)
        end = start;
    memmove(utf8, utf8 + start, end > start ? end - start : 0);
    utf8[end > start ? end - start : 0] = '\0';
}

char *ccn_textenc_fold(const char *utf8)
{
    if (!utf8) {
        errno = EINVAL;
        return NULL;
    }
    size_t len = strlen(utf8);
    /* Folding never lengthens: each code point maps to at most its own bytes. */
    char *out = malloc(len + 1);
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)utf8;
    size_t i = 0, o = 0;
    bool pending_space = false;
    while (i < len) {
        uint32_t c;
        if (!utf8_next(s, len, &i, &c)) {
            free(out);
            errno = EILSEQ;
            return NULL;
        }
        if (is_ignorable(c))
            continue;
        if (is_space(c)) {
            pending_space = o > 0;
            continue;
        }
        if (pending_space) {
            out[o++] = ' ';
            pending_space = false;
        }
        const viet_letter *l;
        if (c < 0x80) {
            out[o++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        } else if (c == 0x0110 || c == 0x0111) {
            out[o++] = 'd';
        } else if ((l = viet_lookup(c)) != NULL) {
            out[o++] = VIET_BASE[l->vowel];
        } else if (c >= 0xC0 && c <= 0xFF && LATIN1_BASE[c - 0xC0]) {
            out[o++] = LATIN1_BASE[c - 0xC0];
        } else {
            o += ccn_textenc_utf8_put(c, out + o);
        }
    }
    out[o] = '\0';
    return out;
}

/* ---- upper case, and text that is already UTF-8 ----------------------------- */

char *ccn_textenc_upper(const char *utf8)
{
    if (!utf8) {
        errno = EINVAL;
        return NULL;
    }
    size_t len = strlen(utf8);
    /* Upper-casing keeps each letter's length: ASCII, Latin-1, đ/Đ, ơ/Ơ, ư/Ư
     * and the U+1EA0 block pair within the same number of UTF-8 bytes. */
    char *out = malloc(len + 1);
    if (!out) {
        errno = ENOMEM;
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)utf8;
    size_t i = 0, o = 0;
    while (i < len) {
        uint32_t c;
        if (!utf8_next(s, len, &i, &c)) {
            free(out);
            errno = EILSEQ;
            return NULL;
        }
        const viet_letter *l;
        if (c >= 'a' && c <= 'z')
            c = c - 'a' + 'A';
        else if (c == 0x0111)
            c = 0x0110;
        else if (c >= 0x80 && (l = viet_lookup(c)) != NULL && !l->upper)
            c = viet_compose(l->vowel, l->tone, 1);
        else if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
            c -= 0x20; /* other Latin-1 letters */
        o += ccn_textenc_utf8_put(c, out + o);
    }
    out[o] = '\0';
    return out;
}

/* Latin letters and marks beyond ASCII: what Vietnamese text in UTF-8 holds. */
static bool latin_beyond_ascii(uint32_t c)
{
    return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x0300 && c <= 0x036F) ||
           (c >= 0x1E00 && c <= 0x1EFF);
}

bool ccn_textenc_is_utf8_latin(const char *in, size_t len)
{
    if (!in)
        return false;
    const unsigned char *s = (const unsigned char *)in;
    size_t i = 0;
    bool latin = false;
    while (i < len) {
        uint32_t c;
        if (!utf8_next(s, len, &i, &c))
            return false;
        latin = latin || latin_beyond_ascii(c);
    }
    return latin;
}

/* ---- Validity ------------------------------------------------------------- */

bool ccn_textenc_is_utf8(const char *s)
{
    if (!s)
        return false;
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    uint32_t c;
    while (i < len)
        if (!utf8_next(u, len, &i, &c))
            return false;
    return true;
}

/* ---- Plausibility: does this read as Vietnamese? ----------------------------
 * Text decoded with the wrong legacy table still decodes: TCVN3 read as
 * CP1258 gives "NguyÔn §×nh H­ng". Such text shows itself word by word: a
 * symbol inside a word (§ × soft hyphen), a capital after a small letter
 * (NguyÔn), a letter Vietnamese does not have, two tones on one syllable, or
 * a spelling no Vietnamese syllable has (initial consonant, one of the
 * language's vowel groups, final consonant). Words of plain ASCII letters and
 * words with digits (codes, lot numbers) prove nothing and are not counted. */

static bool ascii_letter(uint32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

/* A letter of the Vietnamese alphabet (any case, any tone); upper tells the case. */
static bool viet_letter_cp(uint32_t c, bool *upper)
{
    if (ascii_letter(c)) {
        *upper = c < 'a';
        return true;
    }
    if (c == 0x0110 || c == 0x0111) { /* Đ đ */
        *upper = c == 0x0110;
        return true;
    }
    const viet_letter *v = viet_lookup(c);
    if (v)
        *upper = v->upper;
    return v != NULL;
}

bool ccn_textenc_letter(uint32_t c, int *rank, int *tone, bool *upper)
{
    /* Ranks of a..z with ă â after a, đ after d, ê after e, ô ơ after o, ư
     * after u; the vowels' ranks by VOW_* (a ă â e ê i o ô ơ u ư y). */
    static const uint8_t latin[26] = {0,  3,  4,  5,  7,  9,  10, 11, 12, 13, 14, 15, 16,
                                      17, 18, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31, 32};
    static const uint8_t vowel[VOW_COUNT] = {0, 1, 2, 7, 8, 12, 18, 19, 20, 26, 27, 31};
    /* TONE_* (none, grave, acute, hook, tilde, dot) in dictionary order. */
    static const uint8_t tone_order[TONE_COUNT] = {0, 1, 4, 2, 3, 5};
    *tone = 0;
    if (c == 0x0110 || c == 0x0111) { /* Đ đ */
        *rank = 6;
        *upper = c == 0x0110;
        return true;
    }
    const viet_letter *v = viet_lookup(c);
    if (v) {
        *rank = vowel[v->vowel];
        *tone = tone_order[v->tone];
        *upper = v->upper;
        return true;
    }
    if (!ascii_letter(c))
        return false;
    *rank = latin[(c | 0x20) - 'a'];
    *upper = c < 'a';
    return true;
}

static const char *const initials[] = {"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu",
                                       "th", "tr", "b",  "c",  "d",  "g",  "h",  "k",  "l",
                                       "m",  "n",  "p",  "r",  "s",  "t",  "v",  "x",  ""};
static const char *const nuclei[] = {
    "a",   "e",   "i",   "o",   "u",   "y",   "ai",  "ao",  "au",  "ay",  "eo",  "eu",
    "ia",  "ie",  "iu",  "oa",  "oe",  "oi",  "oo",  "ua",  "ue",  "ui",  "uo",  "uu",
    "uy",  "ye",  "ya",  "ieu", "oai", "oay", "oao", "oeo", "uai", "uay", "uoi", "uou",
    "uya", "uye", "uyu", "yeu", "uoc"};
static const char *const finals[] = {"ng", "nh", "ch", "c", "m", "n", "p", "t", ""};

static bool in_list(const char *s, size_t n, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(list[i]) == n && strncmp(list[i], s, n) == 0)
            return true;
    return false;
}

/* Is the folded (ASCII, lower-case) word a Vietnamese syllable? */
static bool syllable(const char *w)
{
    size_t n = strlen(w);
    for (size_t i = 0; i < sizeof initials / sizeof *initials; i++) {
        size_t a = strlen(initials[i]);
        if (strncmp(w, initials[i], a) != 0)
            continue;
        for (size_t f = 0; f < sizeof finals / sizeof *finals; f++) {
            size_t z = strlen(finals[f]);
            if (a + z >= n || strcmp(w + n - z, finals[f]) != 0)
                continue;
            /* these vowel groups never end a syllable: tiến, yến, muốn, xoong */
            static const char *const need_final[] = {"ie", "ye", "uo", "uye", "oo"};
            if (in_list(w + a, n - a - z, nuclei, sizeof nuclei / sizeof *nuclei) &&
                (z > 0 || !in_list(w + a, n - a, need_final, 5)))
                return true;
        }
    }
    return false;
}

/* Judge one word of cps[0..n): true if it cannot be Vietnamese. */
static bool odd_word(const uint32_t *cps, size_t n)
{
    bool lower_seen = false, non_ascii = false;
    int tones = 0;
    char folded[64];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = cps[i];
        bool upper;
        if (!viet_letter_cp(c, &upper))
            return true; /* a symbol or a foreign letter inside a word */
        if (upper && lower_seen)
            return true; /* NguyÔn */
        lower_seen |= !upper;
        if (c >= 0x80) {
            non_ascii = true;
            const viet_letter *v = viet_lookup(c);
            tones += v && v->tone != TONE_NONE;
        }
        if (k + 1 < sizeof folded) {
            const viet_letter *v = viet_lookup(c);
            folded[k++] = c == 0x0110 || c == 0x0111 ? 'd'
                          : v                        ? VIET_BASE[v->vowel]
                                                     : (char)(c | 0x20);
        }
    }
    folded[k] = '\0';
    if (!non_ascii)
        return false; /* plain ASCII: unaccented Vietnamese, or not Vietnamese at all */
    return tones > 1 || !syllable(folded);
}

void ccn_textenc_judge(const char *utf8, size_t *words, size_t *odd)
{
    if (!utf8)
        return;
    const unsigned char *s = (const unsigned char *)utf8;
    size_t len = strlen(utf8), i = 0;
    uint32_t word[64];
    size_t n = 0;
    bool digit = false, letter = false, overflow = false;
    for (;;) {
        uint32_t c = 0;
        bool end = i >= len;
        if (!end && !utf8_next(s, len, &i, &c))
            c = 0xFFFD, i++; /* not UTF-8: a symbol */
        bool sep = end || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
                   (c < 0x80 && !ascii_letter(c) && !(c >= '0' && c <= '9'));
        if (!sep) {
            if (c >= '0' && c <= '9')
                digit = true;
            else
                letter |= c >= 0x80; /* a word of ASCII letters tells nothing */
            if (n < sizeof word / sizeof *word)
                word[n++] = c;
            else
                overflow = true;
            continue;
        }
        if (n > 0 && letter && !digit) {
            (*words)++;
            if (overflow || odd_word(word, n))
                (*odd)++;
        }
        n = 0;
        digit = letter = overflow = false;
        if (end)
            break;
    }
}

const char *ccn_textenc_digits(const char *s)
{
    if (!s || !*s || s[strspn(s, "0123456789")])
        return NULL;
    while (*s == '0' && s[1])
        s++;
    return s;
}
