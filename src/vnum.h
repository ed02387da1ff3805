/* vnum — figures and dates as a Vietnamese reader writes them: thousands
 * grouped by '.', decimals after ',' (1.234,5), dates dd/mm/yyyy. For text
 * people read (finding messages, the report document); CSV and JSON keep
 * the machine forms of DESIGN §8.
 *
 * Ownership: results are written into the caller's buffer and returned. */
#ifndef CCN_VNUM_H
#define CCN_VNUM_H

#include <stddef.h>

/* v with `decimals` digits after the comma; decimals < 0: as few as %g needs. */
const char *ccn_vnum(double v, int decimals, char *buf, size_t size);
/* The fewest decimals (0 to 17) with which v, written in fixed notation,
 * reads back as v: a figure as it was recorded (1.234 -> 3, 450 -> 0,
 * 1234.5678 -> 4); 17 when none does (a magnitude under 1e-17). */
int ccn_vnum_decimals(double v);
/* "2025-12-31" -> "31/12/2025"; anything else is copied as it is. */
const char *ccn_vdate(const char *iso, char *buf, size_t size);

#endif
