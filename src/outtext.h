/* outtext — text, numbers and file names as ccn writes them.
 *
 * Whatever a workspace holds, what ccn writes must be well formed: an XLSX
 * sheet is XML, a CSV or JSON file is UTF-8, a file name made from a cluster
 * code must stay in its folder, and a number must not be cut short by a
 * buffer. Every output goes through these helpers:
 *   - ccn_outtext_utf8: valid UTF-8 passes untouched; each byte that starts
 *     no valid sequence becomes U+FFFD, one for each such byte;
 *   - ccn_outtext_number: a real in fixed notation, never truncated;
 *   - ccn_outtext_filename: a name made from data, in a safe alphabet.
 *
 * Ownership: scratch buffers are the caller's (realloc'd here, freed with
 * free); returned strings point into them or into the argument. */
#ifndef CCN_OUTTEXT_H
#define CCN_OUTTEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Is s (NUL-terminated) valid UTF-8 (no overlongs, surrogates, > U+10FFFF)? */
bool ccn_outtext_utf8_valid(const char *s);

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if s[0] starts none. */
int ccn_outtext_utf8_seq(const unsigned char *s);

/* i, or the start of the character byte i of s lies in (for cutting s to
 * at most i bytes without splitting a letter). */
size_t ccn_outtext_char_start(const char *s, size_t i);

/* vsnprintf into buf of size bytes, but text too long for it loses its
 * middle, not its end: its start and its last quarter (the message's
 * closing words, "… refused", a closing quote) joined by "…", each cut at a
 * character's start. A message quoting a 200 kB value stays UTF-8, says
 * it was shortened, and is still the message the catalogue translates. */
void ccn_outtext_vformat(char *buf, size_t size, const char *fmt, va_list ap);

/* s itself when it is valid UTF-8, else a copy in *scratch with every
 * invalid byte replaced by U+FFFD; NULL when out of memory. */
const char *ccn_outtext_utf8(const char *s, char **scratch);

/* Room for any number ccn_outtext_number writes (DBL_MAX in fixed
 * notation is 309 digits, with up to CCN_OUTTEXT_MAX_DECIMALS after it). */
enum { CCN_OUTTEXT_MAX_DECIMALS = 17, CCN_OUTTEXT_NUMBER_MAX = 360 };

/* v in fixed notation with decimals digits after the point (clamped to
 * 0..CCN_OUTTEXT_MAX_DECIMALS), "-0.000" written "0.000"; into buf of
 * CCN_OUTTEXT_NUMBER_MAX bytes. v must be finite. Returns the length. */
int ccn_outtext_number(char buf[CCN_OUTTEXT_NUMBER_MAX], double v, int decimals);

/* printf's "%.*f" of v to the byte ("-0.000", "nan" and all), decimals in
 * 0..CCN_OUTTEXT_MAX_DECIMALS, worked out as ccn_outtext_number does where
 * that gives printf's text (sloppy parcels word hundreds of thousands of
 * findings); into buf, which it returns. */
const char *ccn_outtext_fixed(char buf[CCN_OUTTEXT_NUMBER_MAX], double v, int decimals);

/* A file name made from data (a cluster code, a lot number): letters,
 * digits, '-', '_' and inner '.' are kept; when anything else is in s (a
 * '/', "..", a space, a non-ASCII letter) or s is empty or long, the name
 * is the kept characters, '_' for the others, then '-' and 8 hex digits of
 * s's SHA-256, so two different codes never share a name. Into buf of
 * CCN_OUTTEXT_NAME_MAX bytes. */
enum { CCN_OUTTEXT_NAME_MAX = 80 };
const char *ccn_outtext_filename(const char *s, char buf[CCN_OUTTEXT_NAME_MAX]);

#endif
