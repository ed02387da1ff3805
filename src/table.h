/* table — a report's rows, typed, and their CSV / JSON / text-table forms.
 *
 * Every report of ccn (areas, overlay, parcels, occupancy, check …) is a
 * ccn_table: named columns (DESIGN §8) and rows of typed cells. The CLI
 * prints one; `ccn report` writes many, and the spreadsheet reads them.
 * A table's leading columns are the command line's contract (DESIGN §8);
 * the ones after them are extras for people: the CLI prints them with
 * --wide only, the report folder, workbook, page and document always.
 * A table can stream: after ccn_table_stream, each finished row is written
 * at once and dropped (CSV and JSON), so a 300,000-row report stays small.
 *
 * Ownership: ccn_table_new returns a table freed with ccn_table_free; text
 * given to a cell is copied (but by ccn_table_set_text_borrowed); strings
 * returned belong to the table. */
#ifndef CCN_TABLE_H
#define CCN_TABLE_H

#include "ctx.h"
#include "textpool.h"

#include <stdint.h>
#include <stdio.h>

typedef enum { CCN_FORMAT_TABLE, CCN_FORMAT_CSV, CCN_FORMAT_JSON } ccn_format;
typedef enum { CCN_CELL_NULL, CCN_CELL_TEXT, CCN_CELL_INT, CCN_CELL_REAL, CCN_CELL_BOOL } ccn_cell_type;

typedef struct ccn_table ccn_table;

bool ccn_format_parse(const char *name, ccn_format *out);

/* columns: NULL-terminated list of column names. */
ccn_table *ccn_table_new(const char *name, const char *const *columns);
void ccn_table_free(ccn_table *t);

/* The columns up to and including last are the contract of DESIGN §8, the
 * rest extras (by default every column is the contract's). */
void ccn_table_set_contract(ccn_table *t, const char *last);

/* Which columns a write shows. */
typedef enum {
    CCN_SHOW_ALL,         /* every column, as the table holds them */
    CCN_SHOW_CONTRACT,    /* the contract's columns only */
    CCN_SHOW_CONTRACT_VI, /* the same for a Vietnamese reader: a column NAME
                             whose twin NAME_vi is an extra (so not shown)
                             shows the twin's cells under its own name */
} ccn_table_show;

const char *ccn_table_name(const ccn_table *t);
int ccn_table_cols(const ccn_table *t);
int ccn_table_contract(const ccn_table *t); /* how many leading columns */
const char *ccn_table_column(const ccn_table *t, int col);
int ccn_table_col(const ccn_table *t, const char *name); /* -1 if absent */
/* Rows held in memory (a streaming table holds at most the current one). */
int64_t ccn_table_rows(const ccn_table *t);
int64_t ccn_table_rows_written(const ccn_table *t);

/* Start a row; its cells are NULL until set. */
void ccn_table_add_row(ccn_table *t);
void ccn_table_set_text(ccn_table *t, int col, const char *v); /* NULL leaves it NULL */
/* ccn_table_set_text without the copy when v is well-formed UTF-8: the
 * cell points to v, which must outlive the table or be handed to it
 * (ccn_table_adopt_text). For hundreds of thousands of long messages. */
void ccn_table_set_text_borrowed(ccn_table *t, int col, const char *v);
/* The table takes pool's strings, which borrowed cells may point to: they
 * live as long as it; pool is left empty. */
void ccn_table_adopt_text(ccn_table *t, ccn_textpool *pool);
/* Room for that many more rows made at once, when their number is known. */
void ccn_table_reserve(ccn_table *t, int64_t rows);
void ccn_table_set_int(ccn_table *t, int col, int64_t v);
/* decimals: how many digits after the point in CSV and text output. NaN = NULL. */
void ccn_table_set_real(ccn_table *t, int col, double v, int decimals);
void ccn_table_set_bool(ccn_table *t, int col, bool v);

ccn_cell_type ccn_table_type(const ccn_table *t, int64_t row, int col);
const char *ccn_table_text(const ccn_table *t, int64_t row, int col); /* text cells */
double ccn_table_number(const ccn_table *t, int64_t row, int col);    /* int, real, bool */
int ccn_table_decimals(const ccn_table *t, int64_t row, int col);
/* The cell as it is printed in CSV ("" for NULL) but for the formula guard
 * below; buf must hold CCN_TABLE_CELL_MAX bytes (any double, in full). */
enum { CCN_TABLE_CELL_MAX = 360 };
const char *ccn_table_format_cell(const ccn_table *t, int64_t row, int col,
                                  char buf[CCN_TABLE_CELL_MAX]);
/* Would a spreadsheet take text s as a formula (it begins with = + - @,
 * a tab or a CR)? CSV writes such text cells as "'..." (OWASP). */
bool ccn_table_csv_formula(const char *s);

/* s as a JSON string literal, quotes included (RFC 8259 escaping; a byte
 * of ill-formed UTF-8 becomes U+FFFD). Text cells are valid UTF-8 already:
 * ccn_table_set_text replaces invalid bytes the same way. */
void ccn_table_json_string(FILE *out, const char *s);

/* Write every row, with the columns show says. */
ccn_status ccn_table_write(ccn_ctx *ctx, const ccn_table *t, ccn_format fmt, ccn_table_show show,
                           FILE *out);
/* Write it to path atomically (through output.h: a temporary name, then rename). */
ccn_status ccn_table_write_file(ccn_ctx *ctx, const ccn_table *t, ccn_format fmt,
                                ccn_table_show show, const char *path);

/* From now on write rows to out as they are finished (text-table format
 * still buffers, to size its columns); ccn_table_finish ends the output. */
void ccn_table_stream(ccn_table *t, ccn_format fmt, ccn_table_show show, FILE *out);
ccn_status ccn_table_finish(ccn_ctx *ctx, ccn_table *t);

#endif
