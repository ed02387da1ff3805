/* vnum — Vietnamese notation of numbers and dates. */
#include "vnum.h"

#include "date.h"
#include "outtext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ccn_vnum(double v, int decimals, char *buf, size_t size)
{
    char raw[CCN_OUTTEXT_NUMBER_MAX], out[96];
    if (decimals < 0)
        snprintf(raw, sizeof raw, "%g", v);
    else
        ccn_outtext_fixed(raw, v, decimals);
    raw[63] = '\0'; /* out's room holds 63 characters grouped */
    if (strcmp(raw, "-0") == 0 || strncmp(raw, "-0.", 3) == 0) { /* no "-0,0" */
        bool zero = true;
        for (const char *p = raw + 1; *p; p++)
            zero = zero && (*p == '0' || *p == '.');
        if (zero)
            memmove(raw, raw + 1, strlen(raw));
    }
    const char *dot = strchr(raw, '.');
    size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw), k = 0, start = raw[0] == '-';
    if (strchr(raw, 'e') || strchr(raw, 'n') || strchr(raw, 'i')) { /* 1e+20, nan, inf */
        snprintf(buf, size, "%s", raw);
        return buf;
    }
    if (start)
        out[k++] = '-';
    for (size_t i = start; i < int_len; i++) {
        if (i > start && (int_len - i) % 3 == 0)
            out[k++] = '.';
        out[k++] = raw[i];
    }
    if (dot) {
        out[k++] = ',';
        for (const char *d = dot + 1; *d && k + 1 < sizeof out; d++)
            out[k++] = *d;
    }
    out[k] = '\0';
    if (size) { /* snprintf(buf, size, "%s", out) without its format parsing */
        size_t n = k < size - 1 ? k : size - 1;
        memcpy(buf, out, n);
        buf[n] = '\0';
    }
    return buf;
}

int ccn_vnum_decimals(double v)
{
    char raw[CCN_OUTTEXT_NUMBER_MAX];
    if (!isfinite(v))
        return 0;
    for (int d = 0; d < 17; d++)
        if (strtod(ccn_outtext_fixed(raw, v, d), NULL) == v)
            return d;
    return 17;
}

const char *ccn_vdate(const char *iso, char *buf, size_t size)
{
    if (iso && ccn_date_valid(iso))
        snprintf(buf, size, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
    else
        snprintf(buf, size, "%s", iso ? iso : "");
    return buf;
}
