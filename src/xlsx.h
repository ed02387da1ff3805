/* xlsx — report tables as one spreadsheet for the office to hand out.
 *
 * ccn_xlsx_write turns a list of ccn_tables into an XLSX workbook, one sheet
 * a table, in the order given. What a reader of the sheet gets:
 *   - a bold, frozen header row in Vietnamese (DESIGN §8 column names are
 *     translated by a fixed table; an unknown column keeps its name) and an
 *     autofilter over the whole table;
 *   - numbers as numbers, with a number format showing as many decimals as
 *     the table gives the cell (ccn_table_decimals), thousands grouped; an
 *     integer (an id, a sheet number) shown plainly;
 *   - every area in m² and in ha: a column named X_m2 gets an "(ha)" column
 *     right after it (m² / 10⁴, 4 decimals) unless the table has X_ha already;
 *   - NULL as an empty cell, booleans as "có" / "không", an ISO date as an
 *     Excel date (yyyy-mm-dd), the closed vocabularies of §4 (a lot's use, a
 *     cluster's status, a finding's severity) in Vietnamese;
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
} ccn_xlsx_sheet;

/* Write sheets[0..n) to path. A bad sheet name or a table too long for a
 * sheet (1,048,575 rows) is CCN_ERR_INPUT; a failed write CCN_ERR_INPUT
 * naming the path. */
ccn_status ccn_xlsx_write(ccn_ctx *ctx, const char *path, const ccn_xlsx_sheet *sheets, size_t n);

/* The Vietnamese header of a column name (the name itself if unknown). */
const char *ccn_xlsx_header(const char *column);

#endif
