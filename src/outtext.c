/* outtext — well-formed text, untruncated numbers, safe file names. */
#include "outtext.h"

#include "sha256.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ccn_outtext_utf8_seq(const unsigned char *u)
{
    unsigned char c = u[0];
    if (c < 0x80)
        return 1;
    int len = c >= 0xC2 && c < 0xE0 ? 2 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    for (int k = 1; k < len; k++)
        if ((u[k] & 0xC0) != 0x80) /* also stops at the NUL */
            return 0;
    if (len == 3 && ((c == 0xE0 && u[1] < 0xA0) || (c == 0xED && u[1] >= 0xA0)))
        return 0; /* overlong, or a UTF-16 surrogate */
    if (len == 4 && ((c == 0xF0 && u[1] < 0x90) || (c == 0xF4 && u[1] >= 0x90)))
        return 0; /* overlong, or beyond U+10FFFF */
    return len;
}

size_t ccn_outtext_char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

void ccn_outtext_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
    static const char mark[] = "…";
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(buf, size, fmt, ap);
    if (n >= 0 && (size_t)n < size && ccn_outtext_utf8_valid(buf)) {
        va_end(again); /* it fit, and is text (the common case) */
        return;
    }
    /* A value's own bytes (a legacy field name, a '%.60s' cut within a
     * letter) are not UTF-8: each such byte becomes U+FFFD, as
     * ccn_outtext_utf8 writes it, so the message stays text. */
    char *all = NULL, *fixed = NULL;
    const char *text = NULL;
    if (n >= 0 && size > 0 && (all = malloc((size_t)n + 1))) {
        vsnprintf(all, (size_t)n + 1, fmt, again);
        text = ccn_outtext_utf8(all, &fixed);
    }
    va_end(again);
    if (!text) { /* cannot be had whole: cut as vsnprintf cut it */
        free(all);
        if (n >= 0 && (size_t)n >= size && size > 0)
            buf[ccn_outtext_char_start(buf, size - 1)] = '\0';
        return;
    }
    size_t len = strlen(text);
    if (len < size || size < 4 * sizeof mark) {
        memcpy(buf, text, len < size ? len + 1 : size);
        if (len >= size)
            buf[ccn_outtext_char_start(buf, size - 1)] = '\0';
    } else { /* too long: its start and its last quarter, joined by the mark */
        size_t room = size - sizeof mark; /* bytes of text besides the mark and the NUL */
        size_t tail = ccn_outtext_char_start(text, len - room / 4);
        size_t keep_tail = len - tail;
        size_t head = ccn_outtext_char_start(text, room - keep_tail);
        memcpy(buf, text, head);
        memcpy(buf + head, mark, sizeof mark - 1);
        memcpy(buf + head + sizeof mark - 1, text + tail, keep_tail + 1);
    }
    free(fixed);
    free(all);
}

bool ccn_outtext_utf8_valid(const char *s)
{
    const unsigned char *u = (const unsigned char *)s, *end = u + strlen(s);
    while (u < end) {
        uint64_t eight;
        if (end - u >= 8 && (memcpy(&eight, u, 8), !(eight & 0x8080808080808080u))) {
            u += 8; /* eight ASCII bytes (most of any text) at once */
            continue;
        }
        unsigned char c = *u;
        if (c < 0x80) {
            u++;
            continue;
        }
        /* Vietnamese letters: two bytes (C2..DF), or three (E1..EC, EE, EF:
         * no overlong or surrogate to rule out), checked here */
        if (c >= 0xC2 && c < 0xE0 && (u[1] & 0xC0) == 0x80) {
            u += 2;
            continue;
        }
        if (c >= 0xE1 && c < 0xF0 && c != 0xED && (u[1] & 0xC0) == 0x80 &&
            (u[2] & 0xC0) == 0x80) {
            u += 3;
            continue;
        }
        int n = ccn_outtext_utf8_seq(u);
        if (!n)
            return false;
        u += n;
    }
    return true;
}

const char *ccn_outtext_utf8(const char *s, char **scratch)
{
    if (ccn_outtext_utf8_valid(s))
        return s;
    size_t n = strlen(s);
    char *out = realloc(*scratch, 3 * n + 1); /* each byte at most U+FFFD's 3 */
    if (!out)
        return NULL;
    *scratch = out;
    const unsigned char *u = (const unsigned char *)s;
    char *p = out;
    while (*u) {
        int k = ccn_outtext_utf8_seq(u);
        if (k) {
            memcpy(p, u, (size_t)k);
            p += k;
            u += k;
        } else {
            memcpy(p, "\xEF\xBF\xBD", 3);
            p += 3;
            u++;
        }
    }
    *p = '\0';
    return out;
}

/* printf's "%.*f" of |v| < 2^53 with at most 9 decimals, worked out in
 * integers: |v| = m / 2^shift exactly, so |v|·10^decimals is rounded to the
 * nearest integer, ties to even, as glibc's printf rounds the exact binary
 * value — the same digits at a tenth of the time (a check of sloppy data
 * writes a million coordinates). -1 where this does not apply. */
static int fixed_number(char *buf, double v, int decimals)
{
    static const uint64_t pow10[] = {1,         10,         100,        1000,       10000,
                                     100000,    1000000,    10000000,   100000000,  1000000000};
    double a = fabs(v);
    if (decimals > 9 || !(a < 0x1p53))
        return -1;
    int e;
    double f = frexp(a, &e); /* a = f · 2^e, f in [0.5, 1) (0 for 0) */
    uint64_t m = (uint64_t)ldexp(f, 53);
    int shift = 53 - e; /* a = m / 2^shift, shift >= 0 (0 for a in [2^52, 2^53)) */
    unsigned __int128 n = (unsigned __int128)m * pow10[decimals], q = 0;
    if (shift == 0) {
        q = n; /* an integer: nothing to round */
    } else if (shift < 128) {
        q = n >> shift;
        unsigned __int128 rest = n - (q << shift), half = (unsigned __int128)1 << (shift - 1);
        if (rest > half || (rest == half && (q & 1)))
            q++;
    } /* else n / 2^shift < 2^-40: 0 */
    if (q >> 64)
        return -1;
    uint64_t whole = (uint64_t)q / pow10[decimals], frac = (uint64_t)q % pow10[decimals];
    char digits[24];
    int nd = 0;
    do
        digits[nd++] = (char)('0' + whole % 10);
    while (whole /= 10);
    int k = 0;
    if (signbit(v) && q) /* no "-0.000" */
        buf[k++] = '-';
    while (nd)
        buf[k++] = digits[--nd];
    if (decimals) {
        buf[k++] = '.';
        for (int i = decimals - 1; i >= 0; i--, frac /= 10)
            buf[k + i] = (char)('0' + frac % 10);
        k += decimals;
    }
    buf[k] = '\0';
    return k;
}

int ccn_outtext_number(char buf[CCN_OUTTEXT_NUMBER_MAX], double v, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > CCN_OUTTEXT_MAX_DECIMALS)
        decimals = CCN_OUTTEXT_MAX_DECIMALS;
    if (!isfinite(v)) /* a caller's bug; write a valid number rather than "inf" */
        v = 0;
    int fast = fixed_number(buf, v, decimals);
    if (fast >= 0)
        return fast;
    int k = snprintf(buf, CCN_OUTTEXT_NUMBER_MAX, "%.*f", decimals, v);
    if (buf[0] == '-' && strspn(buf + 1, "0.") == (size_t)(k - 1)) /* no "-0.000" */
        k = snprintf(buf, CCN_OUTTEXT_NUMBER_MAX, "%.*f", decimals, 0.0);
    return k;
}

const char *ccn_outtext_fixed(char buf[CCN_OUTTEXT_NUMBER_MAX], double v, int decimals)
{
    /* fixed_number writes no minus for a value rounding to 0: printf's for
     * the negative ones */
    if (!isfinite(v) || signbit(v) || decimals < 0 || fixed_number(buf, v, decimals) < 0)
        snprintf(buf, CCN_OUTTEXT_NUMBER_MAX, "%.*f", decimals, v);
    return buf;
}

static bool name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '_' || c == '.';
}

const char *ccn_outtext_filename(const char *s, char buf[CCN_OUTTEXT_NAME_MAX])
{
    enum { KEEP = CCN_OUTTEXT_NAME_MAX - 10 }; /* room for "-" + 8 hex + NUL */
    size_t n = strlen(s);
    bool safe = n > 0 && n <= KEEP && s[0] != '.' && s[n - 1] != '.' && !strstr(s, "..");
    for (size_t i = 0; safe && i < n; i++)
        safe = name_char((unsigned char)s[i]);
    if (safe) {
        memcpy(buf, s, n + 1);
        return buf;
    }
    size_t k = 0;
    for (size_t i = 0; i < n && k < KEEP; i++) {
        unsigned char c = (unsigned char)s[i];
        buf[k++] = name_char(c) && c != '.' ? (char)c : '_';
    }
    char hex[65];
    ccn_sha256_buffer(s, n, hex);
    snprintf(buf + k, CCN_OUTTEXT_NAME_MAX - k, "%s%.8s", k ? "-" : "", hex);
    return buf;
}
