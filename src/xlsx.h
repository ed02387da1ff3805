/* xlsx — report tables as one spreadsheet for the office to hand out.
 *
 * ccn_xlsx_write turns a list of ccn_tables into an XLSX workbook, one sheet
 * a table, in the order given. What a reader of the sheet gets:
 *   - a title block (issuing body, title, date of the figures) and print
 *     set-up when a book is given;
 *   - a bold, frozen header row in Vietnamese with units (DESIGN §8 column
 *     names are translated by a fixed table; an unknown column keeps its
 *     name) and an autofilter over the whole table;
 *   - numbers as numbers, whole, shown by a number format: ha with 2
 *     decimals, m² and % with 1, other figures with the table's decimals,
 *     thousands grouped; an integer (an id, a sheet number) shown plainly;
 *   - every area in m² and in ha: a column named X_m2 gets an "(ha)" column
 *     right after it (m² / 10⁴) unless the table has X_ha already;
 *   - a totals row ("Tổng cộng", SUBTOTAL formulas) under the columns the
 *     sheet names;
 *   - NULL as an empty cell, booleans as "có" / "không" ("đạt" / "không
 *     đạt" for a test), an ISO date as an Excel date shown dd/mm/yyyy, the
 *     closed vocabularies (a lot's use, a cluster's status, a finding's
 *     severity and code, the Decree 32 tests, quarters) in Vietnamese;
 *   - column widths fitted to the longest entry (counted in code points).
 * The workbook is written under a temporary name and renamed into place, so
 * path holds either the old file or the whole new one.
 *
 * Reading it back with GDAL (3.6): the XLSX driver guesses whether the first
 * row is a header from the types of the row below it, so a sheet whose
 * columns are all text needs `-oo HEADERS=FORCE`; a sheet with no rows (a
 * check that found nothing) holds its header row alone, which GDAL reads as
 * one feature of fields Field1… (Excel and LibreOffice show it as it is).
 *
 * This is the only module that includes xlsxwriter.h.
 *
 * Ownership: nothing is kept; the sheets and tables stay the caller's. */
#ifndef CCN_XLSX_H
#define CCN_XLSX_H

#include "table.h"

typedef struct {
    const char *name;        /* the sheet's tab: ≤ 31 characters, none of []:*?/\ */
    const ccn_table *table;  /* rows held in memory (not a streamed table) */
    const char *title;       /* above the table (with a book); NULL: the name */
    const char *const *hide;   /* NULL-terminated columns left out (an English twin), or NULL */
    const char *const *totals; /* NULL-terminated columns summed in a totals row, or NULL */
} ccn_xlsx_sheet;

/* What every sheet's title block says. */
typedef struct {
    const char *issuer; /* the issuing body, first line */
    const char *as_of;  /* the date of the figures, YYYY-MM-DD */
} ccn_xlsx_book;

/* Write sheets[0..n) to path. With a book, each sheet opens with a title
 * block (issuer, title, "Số liệu tính đến ngày dd/mm/yyyy", a blank row) and
 * is set up for printing (A4 landscape, one page wide, the header row on
 * every page, "Trang N/M" at the foot); with book NULL the header is the
 * first row. A bad sheet name or a table too long for a sheet is
 * CCN_ERR_INPUT; a failed write CCN_ERR_INPUT naming the path. */
ccn_status ccn_xlsx_write(ccn_ctx *ctx, const char *path, const ccn_xlsx_book *book,
                          const ccn_xlsx_sheet *sheets, size_t n);

/* The Vietnamese header of a column name (the name itself if unknown). */
const char *ccn_xlsx_header(const char *column);
/* A value of a column as the office reads it (the closed vocabularies in
 * Vietnamese, quarters, limits); buf holds what is made; others pass. The
 * report document words its tables with it too. */
const char *ccn_xlsx_value(const char *column, const char *value, char *buf, size_t size);

#endif
