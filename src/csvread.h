/* csvread — a strict reader of small RFC 4180 CSV files (the gis/ folder).
 *
 * Strict where GDAL's CSV driver is lenient: a row with fewer or more fields
 * than the header (a truncated or mangled file), a quoted field never closed,
 * text that is not UTF-8 or holds control characters are errors naming the
 * file and the line. A UTF-8 byte-order mark is skipped; CRLF is accepted;
 * blank lines are skipped.
 *
 * Ownership: ccn_csvread_load returns a table freed with ccn_csvread_free;
 * its strings belong to it. */
#ifndef CCN_CSVREAD_H
#define CCN_CSVREAD_H

#include "ctx.h"

#include <stddef.h>

typedef struct {
    size_t ncols;        /* fields of the header */
    char **header;       /* ncols names */
    size_t nrows;
    char ***rows;        /* nrows × ncols fields, "" when empty */
    int *lines;          /* the line each row starts on (the header is line 1) */
} ccn_csvread;

/* Read path whole; CCN_ERR_INPUT with "PATH: line N: problem" if it is not
 * a well-formed CSV. */
ccn_status ccn_csvread_load(ccn_ctx *ctx, const char *path, ccn_csvread **out);
void ccn_csvread_free(ccn_csvread *t);
/* Index of the header column named name (case-insensitive), or -1. */
int ccn_csvread_column(const ccn_csvread *t, const char *name);

#endif
