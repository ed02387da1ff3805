/* district — load the gis/ CSV files into the workspace registry tables. */
#include "district.h"

#include "layerio.h"
#include "palette.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One CSV → one table: the target columns, each read from the CSV column of
 * the same name; `required` columns must be present and non-empty. */
typedef struct {
    const char *file, *table;
    const char *columns[20];
    int required; /* how many leading columns are required */
    bool optional_file;
} csv_table;

static const csv_table tables[] = {
    {"clusters.csv", "clusters",
     {"code", "name", "kind", "communes", "planned_ha", "expansion_ha", "status", "target_pct",
      "infra_cost_bn_vnd", "plan_code", "clearance_by", "provincial_plan_by", "infra_done_by",
      "expansion_proposed_by", "established_by", "note", NULL},
     2, false},
    {"landuse.csv", "landuse_codes",
     {"code", "name", "group", "parent", "protected", NULL}, 1, true},
    /* every colour of maps, web page and QGIS styles (palette.h) */
    {"palette.csv", "palette", {"key", "color", "label", "meaning", NULL}, 2, true},
    {"communes.csv", "commune_registry",
     {"code", "name", "kind", "new_name", "new_code", NULL}, 2, true},
    {"tolerances.csv", "tolerances", {"key", "value", "unit", "meaning", NULL}, 2, true},
    /* district_name, province_name: for titles of maps and the web page */
    {"district.csv", "ccn_meta", {"key", "value", NULL}, 2, true},
    /* the office that issues the report document: issuer, signer, recipients */
    {"office.csv", "ccn_meta", {"key", "value", NULL}, 2, true},
};

static const char *db_column(const char *csv_column)
{
    return strcmp(csv_column, "group") == 0 ? "grp" : csv_column; /* GROUP is SQL */
}

static ccn_status load_table(ccn_store *store, const char *dir, const csv_table *t)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, t->file);
    if (access(path, R_OK) != 0) {
        if (t->optional_file)
            return CCN_OK;
        return ccn_error(ctx, CCN_ERR_INPUT, "%s: missing (the district's %s is required)", path,
                         t->table);
    }
    ccn_reader *r = NULL;
    ccn_stmt *ins = NULL;
    ccn_status st = ccn_reader_open(ctx, path, NULL, false, &r);
    if (st)
        return st;
    int ncol = 0, src[20];
    char sql[1024] = "", cols[512] = "", marks[128] = "";
    for (; t->columns[ncol]; ncol++) {
        src[ncol] = ccn_reader_field_index(r, t->columns[ncol]);
        if (src[ncol] < 0 && ncol < t->required) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "%s: no column '%s'", path, t->columns[ncol]);
            goto done;
        }
        size_t c = strlen(cols), m = strlen(marks);
        snprintf(cols + c, sizeof cols - c, "%s%s", ncol ? ", " : "", db_column(t->columns[ncol]));
        snprintf(marks + m, sizeof marks - m, "%s", ncol ? ", ?" : "?");
    }
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s) VALUES (%s)", t->table, cols, marks);
    if ((st = ccn_stmt_prepare(store, sql, &ins)))
        goto done;
    ccn_feature f;
    int rc, line = 1;
    while ((rc = ccn_reader_next(r, &f)) == 1) {
        line++;
        ccn_stmt_reset(ins);
        for (int i = 0; i < ncol; i++) {
            const char *v = src[i] >= 0 ? f.values[src[i]] : NULL;
            if (v && !*v)
                v = NULL;
            if (!v && i < t->required) {
                st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: '%s' is empty", path, line,
                               t->columns[i]);
                goto done;
            }
            ccn_stmt_bind_text(ins, i + 1, v);
        }
        if (ccn_stmt_step(ins) < 0) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line %d: %s", path, line,
                           ccn_ctx_message(ctx));
            goto done;
        }
    }
    if (rc < 0)
        st = CCN_ERR_INPUT;
done:
    ccn_stmt_free(ins);
    ccn_reader_close(r);
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
    return st; /* column affinity turns numeric text into numbers */
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
