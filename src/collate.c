/* collate — natural, case-insensitive order in the Vietnamese alphabet.
 *
 * Both strings are read element by element: a run of ASCII digits, a letter,
 * or another character. The first difference of rank (class, then value,
 * alphabet position or code point) decides; failing that the first
 * difference of tone, then of case, then strcmp. */
#include "collate.h"

#include "textenc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { CLS_PUNCT, CLS_DIGITS, CLS_LETTER, CLS_OTHER };

typedef struct {
    int cls;
    uint32_t key;       /* letter: alphabet rank; others: code point */
    const char *digits; /* CLS_DIGITS: the run without its leading zeros */
    size_t ndigits;
    int tone;           /* letters: 0..5 in dictionary order */
    int upper;          /* letters: 1 for a capital */
} element;

/* The code point at s (n bytes of it in *len); a byte that does not begin
 * valid UTF-8 is itself, placed beyond every code point. */
static uint32_t next_cp(const unsigned char *s, size_t *len)
{
    uint32_t c = s[0];
    int more = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
             : (c & 0xF8) == 0xF0 ? 3 : -1;
    if (more < 0) {
        *len = 1;
        return 0x110000u + c;
    }
    c &= more ? 0x3Fu >> more : 0x7Fu;
    for (int k = 1; k <= more; k++) {
        if ((s[k] & 0xC0) != 0x80) {
            *len = 1;
            return 0x110000u + s[0];
        }
        c = c << 6 | (s[k] & 0x3Fu);
    }
    *len = (size_t)more + 1;
    return c;
}

/* The element at *s; advances *s past it. */
static element next_element(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    element e = {0};
    if (*p >= '0' && *p <= '9') {
        const char *d = *s;
        while (*d == '0' && d[1] >= '0' && d[1] <= '9')
            d++; /* "007" is 7; "0" stays one digit */
        const char *end = d;
        while (*end >= '0' && *end <= '9')
            end++;
        e.cls = CLS_DIGITS;
        e.digits = d;
        e.ndigits = (size_t)(end - d);
        *s = end;
        return e;
    }
    size_t len;
    uint32_t c = next_cp(p, &len);
    *s += len;
    int rank, tone;
    bool upper;
    if (ccn_textenc_letter(c, &rank, &tone, &upper)) {
        e.cls = CLS_LETTER;
        e.key = (uint32_t)rank;
        e.tone = tone;
        e.upper = upper;
    } else {
        e.cls = c < 0x80 ? CLS_PUNCT : CLS_OTHER;
        e.key = c;
    }
    return e;
}

static int sign(long long v) { return (v > 0) - (v < 0); }

/* By value: fewer significant digits first, then digit by digit. */
static int cmp_digits(const element *x, const element *y)
{
    if (x->ndigits != y->ndigits)
        return x->ndigits < y->ndigits ? -1 : 1;
    return sign(memcmp(x->digits, y->digits, x->ndigits));
}

static int compare(const char *a, const char *b)
{
    const char *p = a, *q = b;
    int tone = 0, kase = 0;
    while (*p && *q) {
        element x = next_element(&p), y = next_element(&q);
        if (x.cls != y.cls)
            return x.cls < y.cls ? -1 : 1;
        int c = x.cls == CLS_DIGITS ? cmp_digits(&x, &y) : sign((long long)x.key - y.key);
        if (c)
            return c;
        if (!tone)
            tone = sign(x.tone - y.tone);
        if (!kase)
            kase = sign(x.upper - y.upper);
    }
    if (*p || *q)
        return *p ? 1 : -1; /* a prefix first */
    if (tone)
        return tone;
    if (kase)
        return kase;
    return sign(strcmp(a, b));
}

/* Whether s holds a combining mark (U+0300-U+036F: lead byte 0xCC or 0xCD,
 * never a continuation byte). */
static bool has_mark(const char *s) { return strpbrk(s, "\xCC\xCD") != NULL; }

int ccn_collate(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    if (!has_mark(a) && !has_mark(b))
        return compare(a, b);
    /* Decomposed Vietnamese ("a" + U+0301, as macOS and some editors write
     * it) compares as its precomposed letter; the bytes still break the last
     * tie. Text that cannot be composed (invalid UTF-8, out of memory) is
     * compared as it is. */
    char *ca = has_mark(a) ? ccn_textenc_to_utf8(CCN_ENC_UTF8, a, strlen(a)) : NULL;
    char *cb = has_mark(b) ? ccn_textenc_to_utf8(CCN_ENC_UTF8, b, strlen(b)) : NULL;
    int c = compare(ca ? ca : a, cb ? cb : b);
    free(ca);
    free(cb);
    return c ? c : sign(strcmp(a, b));
}
