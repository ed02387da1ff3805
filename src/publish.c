/* publish — the compiled-in page, and data.js written from the caller's data. */
#include "publish.h"

#include "date.h"
#include "palette.h"
#include "webasset.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_TITLE "Cụm công nghiệp — tỷ lệ lấp đầy"

enum { JSON_MAX_DEPTH = 512 };

/* ---- a JSON syntax check (RFC 8259), to refuse a broken layer early ---- */

typedef struct {
    const unsigned char *s;
    size_t i;
    int depth;
} json_scan;

static void json_ws(json_scan *j)
{
    while (j->s[j->i] == ' ' || j->s[j->i] == '\t' || j->s[j->i] == '\n' || j->s[j->i] == '\r')
        j->i++;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_hex(unsigned char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool json_string(json_scan *j)
{
    if (j->s[j->i] != '"')
        return false;
    j->i++;
    for (;;) {
        unsigned char c = j->s[j->i];
        if (c == '"') {
            j->i++;
            return true;
        }
        if (c < 0x20) /* the end of the text, or a raw control character */
            return false;
        if (c == '\\') {
            c = j->s[++j->i];
            if (c == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (!is_hex(j->s[j->i + (size_t)k])) {
                        j->i += (size_t)k;
                        return false;
                    }
                j->i += 4;
            } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
                return false;
            }
        }
        j->i++;
    }
}

static bool json_number(json_scan *j)
{
    if (j->s[j->i] == '-')
        j->i++;
    if (j->s[j->i] == '0')
        j->i++;
    else if (is_digit(j->s[j->i]))
        while (is_digit(j->s[j->i]))
            j->i++;
    else
        return false;
    if (j->s[j->i] == '.') {
        j->i++;
        if (!is_digit(j->s[j->i]))
            return false;
        while (is_digit(j->s[j->i]))
            j->i++;
    }
    if (j->s[j->i] == 'e' || j->s[j->i] == 'E') {
        j->i++;
        if (j->s[j->i] == '+' || j->s[j->i] == '-')
            j->i++;
        if (!is_digit(j->s[j->i]))
            return false;
        while (is_digit(j->s[j->i]))
            j->i++;
    }
    return true;
}

static bool json_value(json_scan *j);

/* An object or array: open, members separated by ',', close. */
static bool json_container(json_scan *j, unsigned char open, unsigned char close)
{
    if (++j->depth > JSON_MAX_DEPTH)
        return false;
    j->i++; /* the opening bracket */
    json_ws(j);
    if (j->s[j->i] == close) {
        j->i++;
        j->depth--;
        return true;
    }
    for (;;) {
        json_ws(j);
        if (open == '{') {
            if (!json_string(j))
                return false;
            json_ws(j);
            if (j->s[j->i] != ':')
                return false;
            j->i++;
            json_ws(j);
        }
        if (!json_value(j))
            return false;
        json_ws(j);
        if (j->s[j->i] == ',') {
            j->i++;
            continue;
        }
        if (j->s[j->i] != close)
            return false;
        j->i++;
        j->depth--;
        return true;
    }
}

static bool json_literal(json_scan *j, const char *word)
{
    size_t n = strlen(word);
    if (strncmp((const char *)j->s + j->i, word, n) != 0)
        return false;
    j->i += n;
    return true;
}

static bool json_value(json_scan *j)
{
    switch (j->s[j->i]) {
    case '{': return json_container(j, '{', '}');
    case '[': return json_container(j, '[', ']');
    case '"': return json_string(j);
    case 't': return json_literal(j, "true");
    case 'f': return json_literal(j, "false");
    case 'n': return json_literal(j, "null");
    default: return json_number(j);
    }
}

bool ccn_publish_json_valid(const char *text, size_t *where)
{
    json_scan j = {(const unsigned char *)text, 0, 0};
    json_ws(&j);
    bool ok = json_value(&j);
    if (ok) {
        json_ws(&j);
        ok = j.s[j.i] == '\0';
    }
    if (where)
        *where = j.i;
    return ok;
}

/* ---- data.js ---- */

static ccn_status check_layer(ccn_ctx *ctx, const char *name, const char *geojson)
{
    if (!geojson)
        return CCN_OK;
    size_t at = 0;
    if (!ccn_publish_json_valid(geojson, &at))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "publish: the %s layer is not valid JSON (byte %zu)",
                         name, at);
    if (!strstr(geojson, "\"FeatureCollection\""))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "publish: the %s layer is not a FeatureCollection",
                         name);
    return CCN_OK;
}

static ccn_status check_data(ccn_ctx *ctx, const ccn_publish_data *data)
{
    if (!data->as_of || !ccn_date_valid(data->as_of))
        return ccn_error(ctx, CCN_ERR_INPUT, "publish: the date of the data '%s' is not YYYY-MM-DD",
                         data->as_of ? data->as_of : "");
    ccn_status st;
    size_t at = 0;
    if (data->palette && !ccn_publish_json_valid(data->palette, &at))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "publish: the palette is not valid JSON (byte %zu)",
                         at);
    if ((st = check_layer(ctx, "clusters", data->clusters)) ||
        (st = check_layer(ctx, "lots", data->lots)) ||
        (st = check_layer(ctx, "communes", data->communes)) ||
        (st = check_layer(ctx, "plan", data->plan)))
        return st;
    return CCN_OK;
}

static ccn_status write_data_js(ccn_ctx *ctx, FILE *out, const ccn_publish_data *data)
{
    static const char empty_fc[] = "{\"type\": \"FeatureCollection\", \"features\": []}";
    char now[32];
    const char *generated = data->generated;
    if (!generated) {
        time_t t = time(NULL);
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(now, sizeof now, "%Y-%m-%d %H:%M", &tm);
        generated = now;
    }
    fputs("/* Written by ccn publish: the figures of the page (see web/README.md). */\n"
          "window.CCN_DATA = {\n\"title\": ",
          out);
    ccn_table_json_string(out, data->title ? data->title : DEFAULT_TITLE);
    fputs(",\n\"as_of\": ", out);
    ccn_table_json_string(out, data->as_of);
    fputs(",\n\"generated\": ", out);
    ccn_table_json_string(out, generated);
    fputs(",\n\"palette\": ", out);
    if (data->palette) {
        fputs(data->palette, out);
    } else { /* the built-in one: a page is never drawn without its colours */
        ccn_palette *p = NULL;
        ccn_status st = ccn_palette_load(ctx, NULL, &p);
        char *json = st ? NULL : ccn_palette_json(p);
        ccn_palette_free(p);
        if (!json)
            return st ? st : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        fputs(json, out);
        free(json);
    }
    const struct {
        const char *name, *geojson;
    } layers[] = {{"clusters", data->clusters},
                  {"lots", data->lots},
                  {"communes", data->communes},
                  {"plan", data->plan}};
    for (size_t i = 0; i < sizeof layers / sizeof *layers; i++) {
        fprintf(out, ",\n\"%s\": ", layers[i].name);
        fputs(layers[i].geojson ? layers[i].geojson : empty_fc, out);
    }
    const struct {
        const char *name;
        const ccn_table *table;
    } tables[] = {{"occupancy", data->occupancy}, {"series", data->series}, {"vacant", data->vacant}};
    for (size_t i = 0; i < sizeof tables / sizeof *tables; i++) {
        fprintf(out, ",\n\"%s\": ", tables[i].name);
        if (!tables[i].table) {
            fputs("[]", out);
            continue;
        }
        ccn_status st = ccn_table_write(ctx, tables[i].table, CCN_FORMAT_JSON, CCN_SHOW_ALL, out);
        if (st)
            return st;
    }
    fputs("};\n", out);
    return CCN_OK;
}

/* "sub/name", or "name" when sub is empty; into buf. */
static const char *joined(char *buf, size_t n, const char *sub, const char *name)
{
    snprintf(buf, n, "%s%s%s", sub, *sub ? "/" : "", name);
    return buf;
}

ccn_status ccn_publish_write_into(ccn_ctx *ctx, ccn_outdir *dir, const char *subdir,
                                  const ccn_publish_data *data)
{
    char rel[512];
    ccn_status st = check_data(ctx, data);
    if (st)
        return st;
    const char *sub = subdir ? subdir : "";
    long total = (long)ccn_webasset_count + 1;
    if (*sub && (st = ccn_outdir_mkdir(ctx, dir, sub)))
        return st;
    for (size_t i = 0; i < ccn_webasset_count; i++) {
        const ccn_webasset *a = &ccn_webassets[i];
        joined(rel, sizeof rel, sub, a->path);
        char *slash = strrchr(rel, '/');
        if (slash) { /* its folder first */
            *slash = '\0';
            st = ccn_outdir_mkdir(ctx, dir, rel);
            *slash = '/';
            if (st)
                return st;
        }
        if ((st = ccn_outdir_write(ctx, dir, rel, a->data, a->size)))
            return st;
        ccn_progress(ctx, "publish", (long)i + 1, total);
    }
    const char *path = ccn_outdir_file(dir, joined(rel, sizeof rel, sub, "data.js"));
    if (!path)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    FILE *out = fopen(path, "w");
    if (!out)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, strerror(errno));
    st = write_data_js(ctx, out, data);
    if (fclose(out) != 0 && !st)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", rel, strerror(errno));
    if (!st)
        ccn_progress(ctx, "publish", total, total);
    return st;
}

ccn_status ccn_publish_write(ccn_ctx *ctx, const char *outdir, const ccn_publish_data *data)
{
    ccn_outdir *dir = NULL;
    ccn_status st = check_data(ctx, data); /* before anything is touched */
    if (!st)
        st = ccn_outdir_begin(ctx, outdir, "ccn publish", &dir);
    if (!st)
        st = ccn_publish_write_into(ctx, dir, "", data);
    if (!st)
        st = ccn_outdir_commit(ctx, dir);
    ccn_outdir_free(dir);
    return st;
}
