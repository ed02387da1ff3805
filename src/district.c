/* district — load the gis/ CSV files into the workspace registry tables.
 *
 * The gis/ folder is input like any layer: each file is read strictly
 * (csvread: a truncated row, an unclosed quote, text that is not UTF-8 are
 * errors), each value is held to its column's rule (numbers finite and in
 * range, codes from a safe alphabet because they name output files, dates
 * real), and keys are unique. The first problem is the error, naming the file
 * and the line; nothing is loaded then (init is one transaction). */
#include "district.h"

#include "csvread.h"
#include "date.h"
#include "palette.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

/* What a column's values must be. */
typedef enum {
    V_TEXT,     /* any UTF-8 text (the reader refuses control characters) */
    V_CODE,     /* a code that also names files: letters, digits, '-', '_', at most 32 */
    V_POSITIVE, /* a finite number > 0 */
    V_NONNEG,   /* a finite number >= 0 */
    V_PERCENT,  /* a finite number in [0, 100] */
    V_DATE,     /* YYYY-MM-DD */
    V_FLAG,     /* 0 or 1 */
    V_COLOR,    /* #RRGGBB */
    V_STATUS,   /* existing, new or reserve (DESIGN §1) */
    V_KIND,     /* cluster or park */
    V_META_KEY, /* a district.csv key that is not one ccn keeps itself */
} value_rule;

typedef struct {
    const char *name;
    value_rule rule;
    bool required;
} column_rule;

/* One CSV → one table: each target column read from the CSV column of the
 * same name; the first column is the key, unique. */
typedef struct {
    const char *file, *table;
    column_rule columns[20];
    bool optional_file;
    const char *when_missing; /* an optional file's absence warned of: what it costs */
} csv_table;

static const csv_table tables[] = {
    {"clusters.csv", "clusters",
     {{"code", V_CODE, true}, {"name", V_TEXT, true}, {"kind", V_KIND}, {"communes", V_TEXT},
      {"planned_ha", V_POSITIVE, true}, {"expansion_ha", V_POSITIVE}, {"status", V_STATUS},
      {"target_pct", V_PERCENT}, {"infra_cost_bn_vnd", V_NONNEG}, {"plan_code", V_CODE},
      {"clearance_by", V_DATE}, {"provincial_plan_by", V_DATE}, {"infra_done_by", V_DATE},
      {"expansion_proposed_by", V_DATE}, {"established_by", V_DATE}, {"note", V_TEXT}},
     false},
    {"landuse.csv", "landuse_codes",
     {{"code", V_CODE, true}, {"name", V_TEXT}, {"group", V_TEXT}, {"parent", V_CODE},
      {"protected", V_FLAG}},
     true,
     "no land-use code is known, so no plan zone counts as protected land (LUC, LUK, RPH, RDD) "
     "for 'ccn check' and overlay"},
    /* every colour of maps, web page and QGIS styles (palette.h) */
    {"palette.csv", "palette",
     {{"key", V_TEXT, true}, {"color", V_COLOR, true}, {"label", V_TEXT}, {"meaning", V_TEXT}},
     true},
    {"communes.csv", "commune_registry",
     {{"code", V_CODE, true}, {"name", V_TEXT, true}, {"kind", V_TEXT}, {"new_name", V_TEXT},
      {"new_code", V_CODE}},
     true},
    {"tolerances.csv", "tolerances",
     {{"key", V_CODE, true}, {"value", V_NONNEG, true}, {"unit", V_TEXT}, {"meaning", V_TEXT}},
     true},
    /* district_name, province_name: for titles of maps and the web page */
    {"district.csv", "ccn_meta", {{"key", V_META_KEY, true}, {"value", V_TEXT, true}}, true},
    /* the office that issues the report document: issuer, signer, recipients */
    {"office.csv", "ccn_meta", {{"key", V_META_KEY, true}, {"value", V_TEXT, true}}, true},
};

static const char *db_column(const char *csv_column)
{
    return strcmp(csv_column, "group") == 0 ? "grp" : csv_column; /* GROUP is SQL */
}

static bool parse_number(const char *v, double *out)
{
    char *end = NULL;
    errno = 0;
    *out = strtod(v, &end);
    return end != v && !*end && errno == 0 && isfinite(*out);
}

ccn_status ccn_district_crs(ccn_ctx *ctx, const char *dir, char **crs)
{
    *crs = NULL;
    size_t n = strlen(dir) + sizeof "/district.csv";
    char *path = malloc(n);
    if (!path)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    snprintf(path, n, "%s/district.csv", dir);
    ccn_csvread *csv = NULL;
    ccn_status st = access(path, F_OK) == 0 ? ccn_csvread_load(ctx, path, &csv) : CCN_OK;
    free(path);
    int key = csv ? ccn_csvread_column(csv, "key") : -1;
    int value = csv ? ccn_csvread_column(csv, "value") : -1;
    for (size_t r = 0; !st && key >= 0 && value >= 0 && r < csv->nrows; r++)
        if (strcmp(csv->rows[r][key], "crs") == 0 && *csv->rows[r][value]) {
            free(*crs);
            if (!(*crs = strdup(csv->rows[r][value])))
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        }
    ccn_csvread_free(csv);
    return st;
}

/* Why v breaks rule, or NULL if it is good; *number gets a numeric value. */
static const char *value_problem(value_rule rule, const char *v, double *number, bool *numeric)
{
    *numeric = false;
    switch (rule) {
    case V_TEXT: return NULL;
    case V_CODE:
    case V_META_KEY: {
        size_t n = strlen(v);
        if (n > 32)
            return "is longer than 32 characters";
        for (const char *p = v; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
                return "may hold only letters A-Z, digits, '-' and '_'";
        if (rule == V_META_KEY) {
            static const char *const own[] = {"srid", "format", "district", "last_check"};
            for (size_t i = 0; i < sizeof own / sizeof *own; i++)
                if (strcmp(v, own[i]) == 0)
                    return "is a key ccn keeps itself";
        }
        return NULL;
    }
    case V_POSITIVE:
    case V_NONNEG:
    case V_PERCENT:
    case V_FLAG:
        if (!parse_number(v, number))
            return "is not a number";
        *numeric = true;
        if (rule == V_POSITIVE && !(*number > 0))
            return "must be more than 0";
        if (rule == V_NONNEG && *number < 0)
            return "must not be negative";
        if (rule == V_PERCENT && (*number < 0 || *number > 100))
            return "must be a percentage from 0 to 100";
        if (rule == V_FLAG && *number != 0 && *number != 1)
            return "must be 0 or 1";
        return NULL;
    case V_DATE: return ccn_date_valid(v) ? NULL : "is not a date (YYYY-MM-DD)";
    case V_COLOR:
        if (strlen(v) != 7 || v[0] != '#')
            return "is not a colour #RRGGBB";
        for (int i = 1; i < 7; i++)
            if (!isxdigit((unsigned char)v[i]))
                return "is not a colour #RRGGBB";
        return NULL;
    case V_STATUS:
        return strcmp(v, "existing") == 0 || strcmp(v, "new") == 0 || strcmp(v, "reserve") == 0
                   ? NULL
                   : "is not existing, new or reserve";
    case V_KIND:
        return strcmp(v, "cluster") == 0 || strcmp(v, "park") == 0 ? NULL
                                                                   : "is not cluster or park";
    }
    return NULL;
}

/* The line of an earlier row of t with the same key as row r, or 0. */
static int repeated_key(const ccn_csvread *t, int key, size_t r)
{
    for (size_t k = 0; k < r; k++)
        if (strcasecmp(t->rows[k][key], t->rows[r][key]) == 0)
            return t->lines[k];
    return 0;
}

static ccn_status load_table(ccn_store *store, const char *dir, const csv_table *t)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, t->file);
    if (access(path, R_OK) != 0) {
        if (t->optional_file && t->when_missing)
            ccn_warn(ctx, "%s: missing: %s", path, t->when_missing);
        if (t->optional_file)
            return CCN_OK;
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: missing (the district's %s is required)", path,
                         t->table);
    }
    ccn_csvread *csv = NULL;
    ccn_stmt *ins = NULL;
    ccn_status st = ccn_csvread_load(ctx, path, &csv);
    if (st)
        return st;
    int ncol = 0, src[20];
    char sql[1024] = "", cols[512] = "", marks[128] = "";
    for (; ncol < 20 && t->columns[ncol].name; ncol++) {
        src[ncol] = ccn_csvread_column(csv, t->columns[ncol].name);
        if (src[ncol] < 0 && t->columns[ncol].required) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "%s: no column '%s'", path, t->columns[ncol].name);
            goto done;
        }
        size_t c = strlen(cols), m = strlen(marks);
        snprintf(cols + c, sizeof cols - c, "%s%s", ncol ? ", " : "",
                 db_column(t->columns[ncol].name));
        snprintf(marks + m, sizeof marks - m, "%s", ncol ? ", ?" : "?");
    }
    if (csv->nrows == 0 && !t->optional_file) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: no rows after the header", path);
        goto done;
    }
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (%s)", t->table, cols, marks);
    if ((st = ccn_stmt_prepare(store, sql, &ins)))
        goto done;
    for (size_t r = 0; r < csv->nrows; r++) {
        int line = csv->lines[r];
        ccn_stmt_reset(ins);
        for (int i = 0; i < ncol; i++) {
            const column_rule *c = &t->columns[i];
            const char *v = src[i] >= 0 ? csv->rows[r][src[i]] : "";
            if (!*v) {
                if (c->required) {
                    st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: '%s' is empty", path, line,
                                   c->name);
                    goto done;
                }
                ccn_stmt_bind_null(ins, i + 1);
                continue;
            }
            double number = 0;
            bool numeric;
            const char *why = value_problem(c->rule, v, &number, &numeric);
            if (why) {
                st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: %s '%s' %s", path, line, c->name,
                               v, why);
                goto done;
            }
            if (numeric)
                ccn_stmt_bind_double(ins, i + 1, number);
            else
                ccn_stmt_bind_text(ins, i + 1, v);
        }
        int first = repeated_key(csv, src[0], r);
        if (first) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: %s '%s' repeats line %d", path, line,
                           t->columns[0].name, csv->rows[r][src[0]], first);
            goto done;
        }
        if (ccn_stmt_step(ins) < 0) {
            /* the store's message is copied first: formatting it into itself garbles it */
            char why[512];
            snprintf(why, sizeof why, "%s", ccn_ctx_message(ctx));
            st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: %s", path, line, why);
            goto done;
        }
    }
done:
    ccn_stmt_free(ins);
    ccn_csvread_free(csv);
    return st;
}

ccn_status ccn_district_load(ccn_store *store, const char *dir)
{
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        ccn_status st = load_table(store, dir, &tables[i]);
        if (st)
            return st;
    }
    ccn_palette *p = NULL; /* refuse a colour that is not #RRGGBB now, not at the first map */
    ccn_status st = ccn_palette_load(ccn_store_ctx(store), store, &p);
    if (!st)
        st = ccn_palette_complete(store);
    ccn_palette_free(p);
    return st;
}

double ccn_district_tolerance(ccn_store *store, const char *key, double fallback)
{
    ccn_stmt *q = NULL;
    double v = fallback;
    if (ccn_stmt_prepare(store, "SELECT value FROM tolerances WHERE key = ?", &q) == CCN_OK) {
        ccn_stmt_bind_text(q, 1, key);
        if (ccn_stmt_step(q) == 1 && !ccn_stmt_is_null(q, 0))
            v = ccn_stmt_double(q, 0);
    }
    ccn_stmt_free(q);
    return v;
}
