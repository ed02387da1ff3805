/* date — ISO 8601 calendar dates (YYYY-MM-DD), as text and as day numbers.
 * Dates compare as strings once validated; day numbers serve arithmetic. */
#ifndef CCN_DATE_H
#define CCN_DATE_H

#include <stdbool.h>
#include <stdint.h>

/* The forms a person may write a date in, for messages: every command words a
 * bad date the same way ("… is not a date: write " CCN_DATE_FORMS). */
#define CCN_DATE_FORMS "YYYY-MM-DD or dd/mm/yyyy"

/* s as an ISO date into iso[11]: s is YYYY-MM-DD or dd/mm/yyyy (the day and
 * month may have one digit); false when it is neither or not a real day. */
bool ccn_date_parse(const char *s, char iso[11]);

/* True if s is a real calendar date written YYYY-MM-DD, years 1900–9999
 * (9999-12-31 is the usual "no end" of registers). */
bool ccn_date_valid(const char *s);
/* Days since 1970-01-01 of a valid date. */
int64_t ccn_date_days(const char *s);
/* The date of a day number, into buf[11]. */
void ccn_date_from_days(int64_t days, char buf[11]);
/* Today, the local calendar day (the TZ time zone), into buf[11]. */
void ccn_date_today(char buf[11]);
/* The last day of the quarter containing s, into buf[11]. */
void ccn_date_quarter_end(const char *s, char buf[11]);

#endif
