/* table — typed report rows and their CSV, JSON and aligned-text forms. */
#include "table.h"

#include "output.h"
#include "outtext.h"
#include "textpool.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

typedef struct {
    ccn_cell_type type;
    int decimals;   /* real cells: digits after the point */
    union {
        const char *text; /* in the table's text blocks, or borrowed (see table.h) */
        int64_t i;
        double r;
    } v;
} cell;

struct ccn_table {
    char *name;
    char **columns;
    int ncols;
    int contract;          /* the leading columns of DESIGN §8 (ncols unless set) */
    int *twin;             /* per column, the column NAME_vi of column NAME, or -1 */
    cell *cells;           /* rows × ncols, row-major */
    int64_t nrows, caprows;
    int64_t written;       /* rows already streamed out and dropped */
    ccn_textpool text;     /* the text cells' bytes (a malloc and free a cell
                              took a fifth of making and writing the 287,000
                              findings of a sloppy check), dropped with the
                              table or once every row was streamed out */
    FILE *stream;          /* non-NULL while streaming */
    ccn_format stream_fmt;
    ccn_table_show stream_show;
};

bool ccn_format_parse(const char *name, ccn_format *out)
{
    static const char *const names[] = {"table", "csv", "json"};
    for (int i = 0; i < 3; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (ccn_format)i;
            return true;
        }
    return false;
}

ccn_table *ccn_table_new(const char *name, const char *const *columns)
{
    ccn_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    while (columns[t->ncols])
        t->ncols++;
    t->contract = t->ncols;
    t->name = strdup(name);
    t->columns = calloc((size_t)t->ncols + 1, sizeof *t->columns);
    t->twin = calloc((size_t)t->ncols + 1, sizeof *t->twin);
    if (!t->name || !t->columns || !t->twin) {
        ccn_table_free(t);
        return NULL;
    }
    for (int i = 0; i < t->ncols; i++)
        if (!(t->columns[i] = strdup(columns[i]))) {
            ccn_table_free(t);
            return NULL;
        }
    for (int i = 0; i < t->ncols; i++) {
        char name_vi[128];
        snprintf(name_vi, sizeof name_vi, "%s_vi", columns[i]);
        t->twin[i] = ccn_table_col(t, name_vi);
    }
    return t;
}

void ccn_table_set_contract(ccn_table *t, const char *last)
{
    int c = ccn_table_col(t, last);
    assert(c >= 0);
    if (c >= 0)
        t->contract = c + 1;
}

/* How many columns a write shows, and where shown column k's cells are. */
static int shown_cols(const ccn_table *t, ccn_table_show show)
{
    return show == CCN_SHOW_ALL ? t->ncols : t->contract;
}

static int source_col(const ccn_table *t, ccn_table_show show, int k)
{
    return show == CCN_SHOW_CONTRACT_VI && t->twin[k] >= t->contract ? t->twin[k] : k;
}

_Static_assert((int)CCN_TABLE_CELL_MAX >= (int)CCN_OUTTEXT_NUMBER_MAX, "a cell holds any number");

static void clear_cell(cell *c) { memset(c, 0, sizeof *c); }

static void drop_rows(ccn_table *t, int64_t keep_from)
{
    int64_t left = t->nrows - keep_from;
    if (left) /* cells is NULL while a table has had no row */
        memmove(t->cells, t->cells + keep_from * t->ncols, (size_t)(left * t->ncols) * sizeof(cell));
    t->nrows = left;
    if (left == 0) /* no cell points into the text blocks any more */
        ccn_textpool_reset(&t->text);
}

void ccn_table_free(ccn_table *t)
{
    if (!t)
        return;
    ccn_textpool_free(&t->text);
    free(t->cells);
    for (int i = 0; t->columns && i < t->ncols; i++)
        free(t->columns[i]);
    free(t->columns);
    free(t->twin);
    free(t->name);
    free(t);
}

const char *ccn_table_name(const ccn_table *t) { return t->name; }
int ccn_table_cols(const ccn_table *t) { return t->ncols; }
int ccn_table_contract(const ccn_table *t) { return t->contract; }
const char *ccn_table_column(const ccn_table *t, int col) { return t->columns[col]; }
int64_t ccn_table_rows(const ccn_table *t) { return t->nrows; }
int64_t ccn_table_rows_written(const ccn_table *t) { return t->written; }

int ccn_table_col(const ccn_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->columns[i], name) == 0)
            return i;
    return -1;
}

static void write_row(ccn_table *t, int64_t row);

void ccn_table_add_row(ccn_table *t)
{
    if (t->stream && t->stream_fmt != CCN_FORMAT_TABLE && t->nrows > 0) {
        write_row(t, 0);
        drop_rows(t, 1);
    }
    if (t->nrows == t->caprows) {
        int64_t cap = t->caprows ? 2 * t->caprows : 64;
        cell *c = realloc(t->cells, (size_t)(cap * t->ncols) * sizeof *c);
        if (!c)
            return; /* the row is lost; setters below check nrows */
        t->cells = c;
        t->caprows = cap;
    }
    memset(&t->cells[t->nrows * t->ncols], 0, (size_t)t->ncols * sizeof(cell));
    t->nrows++;
}

static cell *current(ccn_table *t, int col)
{
    if (t->nrows == 0 || col < 0 || col >= t->ncols)
        return NULL;
    cell *c = &t->cells[(t->nrows - 1) * t->ncols + col];
    clear_cell(c);
    return c;
}

void ccn_table_set_text(ccn_table *t, int col, const char *v)
{
    cell *c = current(t, col);
    if (c && v) {
        char *fixed = NULL; /* text from data may be ill-formed: every output gets valid UTF-8 */
        const char *s = ccn_outtext_utf8(v, &fixed);
        size_t n = s ? strlen(s) + 1 : 0;
        char *room = s ? ccn_textpool_room(&t->text, n) : NULL;
        if (room) {
            memcpy(room, s, n);
            c->v.text = room;
            c->type = CCN_CELL_TEXT;
        }
        free(fixed);
    }
}

void ccn_table_set_text_borrowed(ccn_table *t, int col, const char *v)
{
    if (!v || !ccn_outtext_utf8_valid(v)) {
        ccn_table_set_text(t, col, v);
        return;
    }
    cell *c = current(t, col);
    if (c) {
        c->v.text = v;
        c->type = CCN_CELL_TEXT;
    }
}

void ccn_table_adopt_text(ccn_table *t, ccn_textpool *pool) { ccn_textpool_adopt(&t->text, pool); }

void ccn_table_reserve(ccn_table *t, int64_t rows)
{
    int64_t need = t->nrows + rows;
    if (need <= t->caprows)
        return;
    cell *c = realloc(t->cells, (size_t)(need * t->ncols) * sizeof *c);
    if (c) /* else add_row grows it as it goes */
        t->cells = c, t->caprows = need;
}

void ccn_table_set_int(ccn_table *t, int col, int64_t v)
{
    cell *c = current(t, col);
    if (c) {
        c->type = CCN_CELL_INT;
        c->v.i = v;
    }
}

void ccn_table_set_real(ccn_table *t, int col, double v, int decimals)
{
    cell *c = current(t, col);
    if (c && isfinite(v)) {
        c->type = CCN_CELL_REAL;
        c->v.r = v;
        c->decimals = decimals;
    }
}

void ccn_table_set_bool(ccn_table *t, int col, bool v)
{
    cell *c = current(t, col);
    if (c) {
        c->type = CCN_CELL_BOOL;
        c->v.i = v;
    }
}

static const cell *at(const ccn_table *t, int64_t row, int col)
{
    return &t->cells[row * t->ncols + col];
}

ccn_cell_type ccn_table_type(const ccn_table *t, int64_t row, int col) { return at(t, row, col)->type; }

const char *ccn_table_text(const ccn_table *t, int64_t row, int col)
{
    const cell *c = at(t, row, col);
    return c->type == CCN_CELL_TEXT ? c->v.text : NULL;
}

double ccn_table_number(const ccn_table *t, int64_t row, int col)
{
    const cell *c = at(t, row, col);
    switch (c->type) {
    case CCN_CELL_INT: case CCN_CELL_BOOL: return (double)c->v.i;
    case CCN_CELL_REAL: return c->v.r;
    default: return NAN;
    }
}

int ccn_table_decimals(const ccn_table *t, int64_t row, int col) { return at(t, row, col)->decimals; }

const char *ccn_table_format_cell(const ccn_table *t, int64_t row, int col,
                                  char buf[CCN_TABLE_CELL_MAX])
{
    const cell *c = at(t, row, col);
    switch (c->type) {
    case CCN_CELL_NULL: return "";
    case CCN_CELL_TEXT: return c->v.text;
    case CCN_CELL_INT: { /* "%lld", without printf's cost */
        uint64_t u = c->v.i < 0 ? 0 - (uint64_t)c->v.i : (uint64_t)c->v.i;
        char *p = buf + 24;
        *p = '\0';
        do
            *--p = (char)('0' + u % 10);
        while (u /= 10);
        if (c->v.i < 0)
            *--p = '-';
        return p;
    }
    case CCN_CELL_BOOL: return c->v.i ? "true" : "false";
    case CCN_CELL_REAL: ccn_outtext_number(buf, c->v.r, c->decimals); return buf;
    }
    return "";
}

bool ccn_table_csv_formula(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]);
}

/* A CSV field (RFC 4180 quoting). Text that a spreadsheet would run as a
 * formula gets a leading apostrophe, as OWASP advises; numbers never do.
 * The caller holds the stream's lock (flockfile). */
static void csv_field(FILE *out, const char *s, bool text)
{
    bool formula = text && ccn_table_csv_formula(s);
    size_t plain = strcspn(s, ",\"\n\r");
    if (!formula && !s[plain]) {
        fwrite_unlocked(s, 1, plain, out);
        return;
    }
    fputc_unlocked('"', out);
    if (formula)
        fputc_unlocked('\'', out);
    for (const char *q; (q = strchr(s, '"')); s = q + 1) { /* runs up to each quote, doubled */
        fwrite_unlocked(s, 1, (size_t)(q - s + 1), out);
        fputc_unlocked('"', out);
    }
    fwrite_unlocked(s, 1, strlen(s), out);
    fputc_unlocked('"', out);
}

void ccn_table_json_string(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = ccn_outtext_utf8_seq(p);
        if (*p == '"' || *p == '\\')
            fprintf(out, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", out);
        else if (*p < 0x20)
            fprintf(out, "\\u%04x", *p);
        else if (n == 0)
            fputs("\xEF\xBF\xBD", out); /* an invalid byte: U+FFFD */
        else
            fwrite(p, 1, (size_t)n, out);
        p += n ? n : 1;
    }
    fputc('"', out);
}

static void write_header(const ccn_table *t, ccn_format fmt, ccn_table_show show, FILE *out)
{
    if (fmt == CCN_FORMAT_CSV) {
        flockfile(out);
        for (int k = 0; k < shown_cols(t, show); k++) {
            if (k)
                fputc(',', out);
            csv_field(out, t->columns[k], false);
        }
        fputc('\n', out);
        funlockfile(out);
    } else if (fmt == CCN_FORMAT_JSON) {
        fputc('[', out);
    }
}

/* One row; the caller holds the stream's lock (flockfile). */
static void write_row_to(const ccn_table *t, int64_t row, int64_t ordinal, ccn_format fmt,
                         ccn_table_show show, FILE *out)
{
    char buf[CCN_TABLE_CELL_MAX];
    int n = shown_cols(t, show);
    if (fmt == CCN_FORMAT_CSV) {
        for (int k = 0; k < n; k++) {
            int c = source_col(t, show, k);
            if (k)
                fputc_unlocked(',', out);
            csv_field(out, ccn_table_format_cell(t, row, c, buf),
                      at(t, row, c)->type == CCN_CELL_TEXT);
        }
        fputc_unlocked('\n', out);
        return;
    }
    fputs(ordinal ? ",\n {" : "\n {", out);
    for (int k = 0; k < n; k++) {
        int c = source_col(t, show, k);
        if (k)
            fputs(", ", out);
        ccn_table_json_string(out, t->columns[k]);
        fputs(": ", out);
        const cell *x = at(t, row, c);
        if (x->type == CCN_CELL_TEXT)
            ccn_table_json_string(out, x->v.text);
        else if (x->type == CCN_CELL_NULL)
            fputs("null", out);
        else
            fputs(ccn_table_format_cell(t, row, c, buf), out);
    }
    fputc('}', out);
}

static void write_row(ccn_table *t, int64_t row)
{
    flockfile(t->stream);
    write_row_to(t, row, t->written++, t->stream_fmt, t->stream_show, t->stream);
    funlockfile(t->stream);
}

/* A table row is one line: a control character in a cell (a tenant's
 * name typed over two lines) is shown as its C escape, "\n". */
static const char *control_escape(unsigned char c)
{
    static const char *const named[] = {['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t"};
    if (c < sizeof named / sizeof *named && named[c])
        return named[c];
    return c < 0x20 || c == 0x7F ? "?" : NULL;
}

/* Display width of UTF-8 text as put_cell shows it: one column per code point. */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++) {
        const char *e = control_escape((unsigned char)*s);
        w += e ? (int)strlen(e) : ((unsigned char)*s & 0xC0) != 0x80;
    }
    return w;
}

static void put_cell(const char *s, FILE *out)
{
    for (; *s; s++) {
        const char *e = control_escape((unsigned char)*s);
        if (e)
            fputs(e, out);
        else
            fputc(*s, out);
    }
}

static bool write_text_table(const ccn_table *t, ccn_table_show show, FILE *out)
{
    int n = shown_cols(t, show);
    int *w = calloc((size_t)n + 1, sizeof *w);
    char buf[CCN_TABLE_CELL_MAX];
    if (!w)
        return false;
    for (int k = 0; k < n; k++) {
        w[k] = width(t->columns[k]);
        for (int64_t r = 0; r < t->nrows; r++) {
            int m = width(ccn_table_format_cell(t, r, source_col(t, show, k), buf));
            if (m > w[k])
                w[k] = m;
        }
    }
    for (int k = 0; k < n; k++)
        fprintf(out, "%s%s%*s", k ? "  " : "", t->columns[k], w[k] - width(t->columns[k]), "");
    fputc('\n', out);
    for (int k = 0; k < n; k++) {
        fputs(k ? "  " : "", out);
        for (int m = 0; m < w[k]; m++)
            fputc('-', out);
    }
    fputc('\n', out);
    for (int64_t r = 0; r < t->nrows; r++) {
        for (int k = 0; k < n; k++) {
            int c = source_col(t, show, k);
            const char *s = ccn_table_format_cell(t, r, c, buf);
            bool number = at(t, r, c)->type == CCN_CELL_INT || at(t, r, c)->type == CCN_CELL_REAL;
            int pad = w[k] - width(s);
            fprintf(out, "%s%*s", k ? "  " : "", number ? pad : 0, "");
            put_cell(s, out);
            fprintf(out, "%*s", !number && k + 1 < n ? pad : 0, "");
        }
        fputc('\n', out);
    }
    free(w);
    return true;
}

ccn_status ccn_table_write(ccn_ctx *ctx, const ccn_table *t, ccn_format fmt, ccn_table_show show,
                           FILE *out)
{
    if (fmt == CCN_FORMAT_TABLE) {
        if (!write_text_table(t, show, out))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    } else {
        write_header(t, fmt, show, out);
        flockfile(out); /* once, not at every character */
        for (int64_t r = 0; r < t->nrows; r++)
            write_row_to(t, r, r, fmt, show, out);
        funlockfile(out);
        if (fmt == CCN_FORMAT_JSON)
            fputs(t->nrows ? "\n]\n" : "]\n", out);
    }
    if (fflush(out) != 0 || ferror(out)) {
        int e = errno ? errno : EIO; /* kept for a caller naming the file */
        ccn_status st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write %s: %s", t->name, strerror(e));
        errno = e;
        return st;
    }
    return CCN_OK;
}

ccn_status ccn_table_write_file(ccn_ctx *ctx, const ccn_table *t, ccn_format fmt,
                                ccn_table_show show, const char *path)
{
    ccn_output *o = NULL;
    ccn_status st = ccn_output_open_text(ctx, path, &o);
    if (st)
        return st;
    if ((st = ccn_table_write(ctx, t, fmt, show, ccn_output_stream(o)))) {
        int e = errno; /* what the file system said (a full disk) */
        ccn_output_abort(o);
        return ccn_error(ctx, st, "cannot write '%s': %s", path, strerror(e));
    }
    return ccn_output_commit(ctx, o);
}

void ccn_table_stream(ccn_table *t, ccn_format fmt, ccn_table_show show, FILE *out)
{
    t->stream = out;
    t->stream_fmt = fmt;
    t->stream_show = show;
    if (fmt != CCN_FORMAT_TABLE)
        write_header(t, fmt, show, out);
}

ccn_status ccn_table_finish(ccn_ctx *ctx, ccn_table *t)
{
    if (!t->stream)
        return CCN_OK;
    FILE *out = t->stream;
    bool written = true;
    if (t->stream_fmt == CCN_FORMAT_TABLE) {
        written = write_text_table(t, t->stream_show, out);
    } else {
        for (int64_t r = 0; r < t->nrows; r++)
            write_row(t, r);
        drop_rows(t, t->nrows);
        if (t->stream_fmt == CCN_FORMAT_JSON)
            fputs(t->written ? "\n]\n" : "]\n", out);
    }
    t->stream = NULL;
    if (!written)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    if (fflush(out) != 0 || ferror(out))
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot write %s: %s", t->name,
                         strerror(errno ? errno : EIO));
    return CCN_OK;
}
