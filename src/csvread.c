/* csvread — strict RFC 4180 CSV for the district's own files. */
#include "csvread.h"

#include "grow.h"
#include "textenc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { MAX_BYTES = 16 << 20 }; /* a gis/ file is a few kB */

typedef struct {
    char **f;
    size_t n, cap;
} fields;

static void fields_free(fields *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i]);
    free(r->f);
    memset(r, 0, sizeof *r);
}

static bool fields_push(fields *r, const char *s, size_t n)
{
    if (!ccn_grow((void **)&r->f, &r->cap, r->n + 1, sizeof *r->f))
        return false;
    char *copy = malloc(n + 1);
    if (!copy)
        return false;
    memcpy(copy, s, n);
    copy[n] = '\0';
    r->f[r->n++] = copy;
    return true;
}

void ccn_csvread_free(ccn_csvread *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++)
        free(t->header[i]);
    free(t->header);
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t i = 0; i < t->ncols; i++)
            free(t->rows[r][i]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->lines);
    free(t);
}

int ccn_csvread_column(const ccn_csvread *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcasecmp(t->header[i], name) == 0)
            return (int)i;
    return -1;
}

/* A field's text: valid UTF-8, no control characters but tab. */
static const char *bad_text(const char *s)
{
    if (!ccn_textenc_is_utf8(s))
        return "is not valid UTF-8 text";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
            return "holds a control character";
    return NULL;
}

/* Parse one record starting at *p (line *line); fills r and *rec_line, the
 * line it starts on. 1 = a record, 0 = end of data, -1 = bad input, -2 = out
 * of memory (message in ctx). */
static int next_record(ccn_ctx *ctx, const char *path, const char **p, const char *end,
                       int *line, fields *r, char **buf, size_t *cap, int *rec_line)
{
    while (*p < end && (**p == '\n' || **p == '\r')) { /* blank lines */
        if (**p == '\n')
            (*line)++;
        (*p)++;
    }
    if (*p >= end)
        return 0;
    int start_line = *line;
    *rec_line = start_line;
    for (;;) {
        size_t n = 0;
        bool quoted = *p < end && **p == '"';
        if (quoted) {
            (*p)++;
            for (;;) {
                if (*p >= end) {
                    ccn_error(ctx, CCN_ERR_INPUT,
                              "%s: line %d: a quoted field is never closed (is the file "
                              "truncated?)",
                              path, start_line);
                    return -1;
                }
                char c = *(*p)++;
                if (c == '"') {
                    if (*p < end && **p == '"')
                        (*p)++;
                    else
                        break;
                }
                if (c == '\n')
                    (*line)++;
                if (!ccn_grow((void **)buf, cap, n + 2, 1))
                    goto oom;
                (*buf)[n++] = c;
            }
        } else {
            while (*p < end && **p != ',' && **p != '\n' && **p != '\r') {
                if (**p == '"') {
                    ccn_error(ctx, CCN_ERR_INPUT,
                              "%s: line %d: a quote inside an unquoted field", path, *line);
                    return -1;
                }
                if (!ccn_grow((void **)buf, cap, n + 2, 1))
                    goto oom;
                (*buf)[n++] = *(*p)++;
            }
        }
        if (!ccn_grow((void **)buf, cap, n + 1, 1))
            goto oom;
        (*buf)[n] = '\0';
        if (n != strlen(*buf)) {
            ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: a NUL byte in the text", path, *line);
            return -1;
        }
        const char *why = bad_text(*buf);
        if (why) {
            ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: field %zu %s", path, *line, r->n + 1,
                      why);
            return -1;
        }
        if (!fields_push(r, *buf, n))
            goto oom;
        if (*p < end && **p == ',') {
            (*p)++;
            continue;
        }
        if (*p < end && **p != '\n' && **p != '\r') {
            ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: text after a closing quote", path,
                      *line);
            return -1;
        }
        if (*p < end && **p == '\r')
            (*p)++;
        if (*p < end && **p == '\n') {
            (*p)++;
            (*line)++;
        }
        return 1;
    }
oom:
    ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    return -2;
}

static ccn_status read_all(ccn_ctx *ctx, const char *path, char **data, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: cannot open: %s", path, strerror(errno));
    char *d = malloc(MAX_BYTES + 1);
    size_t got = d ? fread(d, 1, MAX_BYTES + 1, f) : 0;
    bool err = ferror(f);
    fclose(f);
    if (!d)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    if (err || got > MAX_BYTES) {
        free(d);
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: %s", path,
                         err ? "cannot be read" : "larger than 16 MB: not a district file");
    }
    *data = d;
    *n = got;
    return CCN_OK;
}

ccn_status ccn_csvread_load(ccn_ctx *ctx, const char *path, ccn_csvread **out)
{
    *out = NULL;
    char *data = NULL, *buf = NULL;
    size_t n = 0, cap = 0, rowcap = 0, linecap = 0;
    ccn_status st = read_all(ctx, path, &data, &n);
    if (st)
        return st;
    ccn_csvread *t = calloc(1, sizeof *t);
    fields r = {0};
    const char *p = data, *end = data + n;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    int line = 1, rec_line = 1, rc;
    if (!t) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if ((rc = next_record(ctx, path, &p, end, &line, &r, &buf, &cap, &rec_line)) <= 0) {
        st = rc == -2  ? CCN_ERR_INTERNAL
             : rc < 0 ? CCN_ERR_INPUT
                      : ccn_error(ctx, CCN_ERR_INPUT, "%s: the file is empty", path);
        goto done;
    }
    t->ncols = r.n;
    t->header = r.f;
    memset(&r, 0, sizeof r);
    for (;;) {
        rc = next_record(ctx, path, &p, end, &line, &r, &buf, &cap, &rec_line);
        if (rc < 0) {
            st = rc == -2 ? CCN_ERR_INTERNAL : CCN_ERR_INPUT;
            goto done;
        }
        if (rc == 0)
            break;
        if (r.n != t->ncols) {
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "%s: line %d: %zu fields where the header has %zu (is the file "
                           "truncated or a comma missing?)",
                           path, rec_line, r.n, t->ncols);
            goto done;
        }
        if (!ccn_grow((void **)&t->rows, &rowcap, t->nrows + 1, sizeof *t->rows) ||
            !ccn_grow((void **)&t->lines, &linecap, t->nrows + 1, sizeof *t->lines)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        t->lines[t->nrows] = rec_line;
        t->rows[t->nrows++] = r.f;
        memset(&r, 0, sizeof r);
    }
    if (data[n - 1] != '\n') {
        /* A cut-off copy ends mid-line, and its last row may still have all
         * its fields (a note cut short): only the missing newline tells. */
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "%s: line %d: the file ends in the middle of a line: is it truncated? "
                       "(if it is complete, end it with a newline)",
                       path, line);
        goto done;
    }
    *out = t;
    t = NULL;
done:
    fields_free(&r);
    ccn_csvread_free(t);
    free(buf);
    free(data);
    return st;
}
