/* date — ISO dates; civil-from-days after H. Hinnant's public-domain algorithms. */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

static void format_date(int y, int m, int d, char buf[11])
{
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(buf, tmp, 10);
    buf[10] = '\0';
}

bool ccn_date_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y, m, d;
    if (sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return false;
    return y >= 1900 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

bool ccn_date_parse(const char *s, char iso[11])
{
    if (ccn_date_valid(s)) {
        memcpy(iso, s, 11);
        return true;
    }
    int d, m, y, n = 0;
    if (!s || strlen(s) > 10 || sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &n) != 3 || s[n] ||
        strlen(strrchr(s, '/') + 1) != 4 || !(d >= 1 && m >= 1 && y >= 1900))
        return false;
    for (const char *c = s; *c; c++)
        if (*c != '/' && (*c < '0' || *c > '9'))
            return false; /* no signs or spaces that sscanf would let through */
    char tmp[11];
    format_date(y, m, d, tmp);
    if (!ccn_date_valid(tmp))
        return false;
    memcpy(iso, tmp, 11);
    return true;
}

int64_t ccn_date_days(const char *s)
{
    int y, m, d;
    sscanf(s, "%4d-%2d-%2d", &y, &m, &d);
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void ccn_date_from_days(int64_t z, char buf[11])
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    format_date((int)(y + (m <= 2)), (int)m, (int)d, buf);
}

void ccn_date_today(char buf[11])
{
    /* The office's calendar day (the machine's time zone, TZ): in Thanh Hóa
     * (UTC+7) the UTC date is still yesterday until 7 in the morning. */
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(buf, 11, "%Y-%m-%d", &tm);
}

void ccn_date_quarter_end(const char *s, char buf[11])
{
    int y, m;
    sscanf(s, "%4d-%2d", &y, &m);
    int qm = ((m - 1) / 3 + 1) * 3;
    format_date(y, qm, month_days(y, qm), buf);
}
