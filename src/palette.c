/* palette — gis/palette.csv, compiled in and overlaid with the workspace's. */
#include "palette.h"

#include "grow.h"
#include "table.h"
#include "textenc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* gis/palette.csv as text (generated/palette_builtin.c, cmake/palette.cmake). */
extern const char ccn_palette_builtin_csv[];

typedef struct {
    char *key, *label;
    uint32_t rgb;
    char hex[8];
} entry;

struct ccn_palette {
    entry *e;
    size_t n, cap;
};

static const uint32_t FALLBACK = 0xBDBDBD;

bool ccn_palette_parse_hex(const char *s, uint32_t *rgb)
{
    if (!s || s[0] != '#' || strlen(s) != 7)
        return false;
    uint32_t v = 0;
    for (int i = 1; i < 7; i++) {
        int d = ccn_textenc_hex_digit(s[i]);
        if (d < 0)
            return false;
        v = v << 4 | (uint32_t)d;
    }
    *rgb = v;
    return true;
}

static entry *find(const ccn_palette *p, const char *key)
{
    for (size_t i = 0; key && i < p->n; i++)
        if (strcmp(p->e[i].key, key) == 0)
            return &p->e[i];
    return NULL;
}

/* Add or replace key; false when out of memory. */
static bool put(ccn_palette *p, const char *key, uint32_t rgb, const char *label)
{
    entry *e = find(p, key);
    char *l = strdup(label ? label : "");
    if (!l)
        return false;
    if (!e) {
        char *k = strdup(key);
        if (!k || !ccn_grow((void **)&p->e, &p->cap, p->n + 1, sizeof *p->e)) {
            free(k);
            free(l);
            return false;
        }
        e = &p->e[p->n++];
        *e = (entry){.key = k};
    } else if ((!label || !*label) && *e->label) { /* an empty label keeps the built-in one */
        free(l);
        l = NULL;
    }
    if (l) {
        free(e->label);
        e->label = l;
    }
    e->rgb = rgb;
    snprintf(e->hex, sizeof e->hex, "#%06X", (unsigned)rgb);
    return true;
}

/* One field of a CSV line at *s (RFC 4180 quoting) into buf; advances *s
 * past the field and its comma. */
static void csv_field(const char **s, char *buf, size_t n)
{
    const char *p = *s;
    size_t o = 0;
    bool quoted = *p == '"';
    if (quoted)
        p++;
    for (; *p && *p != '\n'; p++) {
        if (quoted && *p == '"') {
            if (p[1] == '"') {
                p++;
            } else {
                quoted = false;
                continue;
            }
        } else if (!quoted && *p == ',') {
            break;
        }
        if (*p != '\r' && o + 1 < n)
            buf[o++] = *p;
    }
    buf[o] = '\0';
    if (*p == ',')
        p++;
    *s = p;
}

/* The compiled-in CSV; its header is `key,color,label,meaning`. */
static ccn_status load_builtin(ccn_ctx *ctx, ccn_palette *p)
{
    const char *next = strchr(ccn_palette_builtin_csv, '\n'); /* past the header */
    for (int line = 2; next && next[1]; line++) {
        const char *s = next + 1;
        next = strchr(s, '\n');
        char key[128], color[32] = "", label[512] = "";
        csv_field(&s, key, sizeof key);
        if (*s && *s != '\n')
            csv_field(&s, color, sizeof color);
        if (*s && *s != '\n')
            csv_field(&s, label, sizeof label);
        uint32_t rgb;
        if (!*key)
            continue;
        if (!ccn_palette_parse_hex(color, &rgb)) /* a broken build, not the user's input */
            return ccn_error(ctx, CCN_ERR_INTERNAL, "built-in palette: line %d: '%s' is not #RRGGBB",
                             line, color);
        if (!put(p, key, rgb, label))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    return CCN_OK;
}

static ccn_status load_workspace(ccn_ctx *ctx, ccn_store *store, ccn_palette *p)
{
    ccn_stmt *q = NULL;
    /* A PostgreSQL workspace has had its palette from the start. */
    bool pg = ccn_store_dialect(store) == CCN_DIALECT_POSTGRES;
    ccn_status st = pg ? CCN_OK
                       : ccn_stmt_prepare(store,
                                          "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                                          " AND name = 'palette'",
                                          &q);
    bool has = pg || (!st && ccn_stmt_step(q) == 1 && ccn_stmt_int(q, 0) > 0);
    ccn_stmt_free(q);
    q = NULL;
    if (st || !has)
        return st; /* a workspace older than the palette: the built-in one */
    if ((st = ccn_stmt_prepare(store, "SELECT key, color, label FROM palette ORDER BY rowid", &q)))
        return st;
    while (ccn_stmt_step(q) == 1) {
        const char *key = ccn_stmt_text(q, 0), *color = ccn_stmt_text(q, 1);
        uint32_t rgb;
        if (!key || !*key)
            continue;
        if (!ccn_palette_parse_hex(color, &rgb)) {
            st = ccn_error(ctx, CCN_ERR_INPUT,
                           "palette: '%s' has colour '%s', expected #RRGGBB (gis/palette.csv)",
                           key, color ? color : "");
            break;
        }
        if (!put(p, key, rgb, ccn_stmt_text(q, 2))) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            break;
        }
    }
    ccn_stmt_free(q);
    return st;
}

ccn_status ccn_palette_load(ccn_ctx *ctx, ccn_store *store, ccn_palette **out)
{
    *out = NULL;
    ccn_palette *p = calloc(1, sizeof *p);
    if (!p)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_status st = load_builtin(ctx, p);
    if (!st && store)
        st = load_workspace(ctx, store, p);
    if (st) {
        ccn_palette_free(p);
        return st;
    }
    *out = p;
    return CCN_OK;
}

void ccn_palette_free(ccn_palette *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->e[i].key);
        free(p->e[i].label);
    }
    free(p->e);
    free(p);
}

bool ccn_palette_has(const ccn_palette *p, const char *key) { return find(p, key) != NULL; }

uint32_t ccn_palette_rgb(const ccn_palette *p, const char *key)
{
    const entry *e = find(p, key);
    if (!e)
        e = find(p, "plan.none");
    return e ? e->rgb : FALLBACK;
}

const char *ccn_palette_hex(const ccn_palette *p, const char *key)
{
    const entry *e = find(p, key);
    if (!e)
        e = find(p, "plan.none");
    return e ? e->hex : "#BDBDBD";
}

const char *ccn_palette_label(const ccn_palette *p, const char *key)
{
    const entry *e = find(p, key);
    return e ? e->label : "";
}

uint32_t ccn_palette_landuse(const ccn_palette *p, const char *code)
{
    char key[64];
    snprintf(key, sizeof key, "landuse.%s", code ? code : "");
    return ccn_palette_rgb(p, key);
}

char *ccn_palette_json(const ccn_palette *p)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    fputc('{', f);
    for (size_t i = 0; i < p->n; i++) {
        fputs(i ? ",\n" : "\n", f);
        ccn_table_json_string(f, p->e[i].key);
        fprintf(f, ": {\"color\": \"%s\", \"label\": ", p->e[i].hex);
        ccn_table_json_string(f, p->e[i].label);
        fputc('}', f);
    }
    fputs("\n}", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

size_t ccn_palette_count(const ccn_palette *p) { return p->n; }
const char *ccn_palette_key(const ccn_palette *p, size_t i) { return i < p->n ? p->e[i].key : NULL; }

ccn_status ccn_palette_complete(ccn_store *store)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_palette *p = calloc(1, sizeof *p);
    ccn_stmt *ins = NULL;
    if (!p)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_status st = load_builtin(ctx, p);
    if (!st)
        st = ccn_stmt_prepare(store,
                              "INSERT OR IGNORE INTO palette (key, color, label) VALUES (?, ?, ?)",
                              &ins);
    for (size_t i = 0; !st && i < p->n; i++) {
        ccn_stmt_reset(ins);
        ccn_stmt_bind_text(ins, 1, p->e[i].key);
        ccn_stmt_bind_text(ins, 2, p->e[i].hex);
        ccn_stmt_bind_text(ins, 3, *p->e[i].label ? p->e[i].label : NULL);
        if (ccn_stmt_step(ins) < 0)
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "palette: %s", ccn_ctx_message(ctx));
    }
    ccn_stmt_free(ins);
    ccn_palette_free(p);
    return st;
}
