/* date — ISO 8601 calendar dates (YYYY-MM-DD), as text and as day numbers.
 * Dates compare as strings once validated; day numbers serve arithmetic. */
#ifndef CCN_DATE_H
#define CCN_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* True if s is a real calendar date written YYYY-MM-DD, years 1900–9999
 * (9999-12-31 is the usual "no end" of registers). */
bool ccn_date_valid(const char *s);
/* Days since 1970-01-01 of a valid date. */
int64_t ccn_date_days(const char *s);
/* The date of a day number, into buf[11]. */
void ccn_date_from_days(int64_t days, char buf[11]);
/* Today (UTC) into buf[11]. */
void ccn_date_today(char buf[11]);
/* The last day of the quarter containing s, into buf[11]. */
void ccn_date_quarter_end(const char *s, char buf[11]);

#endif
