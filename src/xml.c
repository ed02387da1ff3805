/* xml — a growing buffer with escaping. */
#include "xml.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ccn_xml {
    char *buf;
    size_t len, cap;
    bool failed;
};

ccn_xml *ccn_xml_new(void) { return calloc(1, sizeof(ccn_xml)); }

void ccn_xml_free(ccn_xml *x)
{
    if (!x)
        return;
    free(x->buf);
    free(x);
}

static bool reserve(ccn_xml *x, size_t more)
{
    if (x->failed)
        return false;
    if (x->len + more + 1 <= x->cap)
        return true;
    size_t cap = x->cap ? x->cap : 4096;
    while (cap < x->len + more + 1)
        cap *= 2;
    char *b = realloc(x->buf, cap);
    if (!b) {
        x->failed = true;
        return false;
    }
    x->buf = b;
    x->cap = cap;
    return true;
}

static void append(ccn_xml *x, const char *s, size_t n)
{
    if (!reserve(x, n))
        return;
    memcpy(x->buf + x->len, s, n);
    x->len += n;
    x->buf[x->len] = '\0';
}

void ccn_xml_raw(ccn_xml *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !reserve(x, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(x->buf + x->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    x->len += (size_t)n;
}

void ccn_xml_text(ccn_xml *x, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        switch (c) {
        case '&': append(x, "&amp;", 5); break;
        case '<': append(x, "&lt;", 4); break;
        case '>': append(x, "&gt;", 4); break;
        case '"': append(x, "&quot;", 6); break;
        case '\'': append(x, "&apos;", 6); break;
        case '\n': append(x, "&#10;", 5); break;
        case '\t': append(x, "&#9;", 4); break;
        default:
            if (c < 0x20) /* not allowed in XML 1.0 */
                break;
            append(x, p, 1);
        }
    }
}

void ccn_xml_attrf(ccn_xml *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = fmt;
    while (*p) {
        const char *pct = strchr(p, '%');
        if (!pct) {
            append(x, p, strlen(p));
            break;
        }
        append(x, p, (size_t)(pct - p));
        if (pct[1] == 's')
            ccn_xml_text(x, va_arg(ap, const char *));
        else if (pct[1] == '%')
            append(x, "%", 1);
        p = pct[1] ? pct + 2 : pct + 1;
    }
    va_end(ap);
}

const char *ccn_xml_data(const ccn_xml *x) { return x->failed ? NULL : x->buf ? x->buf : ""; }
size_t ccn_xml_len(const ccn_xml *x) { return x->len; }
bool ccn_xml_failed(const ccn_xml *x) { return x->failed; }

char *ccn_xml_take(ccn_xml *x)
{
    char *b = NULL;
    if (!x->failed)
        b = x->buf ? x->buf : strdup("");
    else
        free(x->buf);
    free(x);
    return b;
}
