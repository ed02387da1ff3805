/* collate — the order in which people read identifiers: lot numbers, commune
 * codes, land-use codes.
 *
 * Byte order puts "cn-02" after "KT-1", "L10" before "L2" and "Đ" after
 * "Z". A land officer expects the natural order, the one the report's
 * tables, the CLI listings and the map's label list share:
 *
 *   - runs of digits compare by value ("L2" < "L10"; "02" and "2" are equal
 *     until the last tie-break);
 *   - letters compare in the Vietnamese alphabet, case aside
 *     (a ă â b c d đ e ê … o ô ơ … u ư v x y; f j w z where Latin puts them):
 *     "cn-02" < "KT-1", "D9" < "Đ1" < "E1";
 *   - anything else (space, '-', '/', '.') before digits, digits before
 *     letters, other characters after them, by code point.
 *
 * Decomposed Vietnamese (a letter followed by combining marks, NFD) compares
 * as its precomposed letter (NFC): "O" + U+0302 is "Ô".
 *
 * Ties are broken, in this order, by tone (none, huyền, hỏi, ngã, sắc, nặng:
 * the dictionary's order), by case (small before capital), and last by the
 * bytes, so the order is total: 0 only for equal strings. It does not depend
 * on the locale or on the back end: ccn sorts in C, never by ORDER BY on a
 * text column, where SQLite and PostgreSQL collate differently.
 *
 * Machine orders (fid, dates, the findings) stay as they are. */
#ifndef CCN_COLLATE_H
#define CCN_COLLATE_H

/* <0, 0, >0 as a sorts before, with or after b; NULL sorts first. */
int ccn_collate(const char *a, const char *b);

#endif
