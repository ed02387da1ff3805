/* cluster — registry rows and valid boundaries, for the commands that compute with them. */
#include "cluster.h"

#include "geom.h"
#include "layer.h"
#include "textenc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    ccn_store *store;
    const char *code;    /* the one wanted, or NULL */
    ccn_clusters *out;
    char known[512];     /* codes seen, for the unknown-code message */
    char missing[512];   /* codes without a boundary */
    size_t nmissing;
    char void_[512];     /* codes whose boundary MakeValid leaves no area of */
    size_t nvoid;
    bool found;
} load_state;

static void append(char *buf, size_t size, const char *word)
{
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", len ? ", " : "", word);
}

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static ccn_status take(void *user, ccn_stmt *row, int64_t fid, GEOSGeometry *geom)
{
    load_state *s = user;
    ccn_ctx *ctx = ccn_store_ctx(s->store);
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    const char *code = ccn_stmt_text(row, 2);
    ccn_status st = CCN_OK;
    GEOSGeometry *repaired = NULL;
    code = code ? code : "";
    append(s->known, sizeof s->known, code);
    if (s->code && strcmp(code, s->code) != 0)
        goto done;
    s->found = true;
    if (!geom && !ccn_stmt_is_null(row, 1)) /* another tool's (layer.h): said, then as missing */
        ccn_warn(ctx,
                 "cluster %s (fid %lld): the stored boundary cannot be read: taken as without a "
                 "boundary ('ccn check' lists it)",
                 code, (long long)fid);
    if (!geom || GEOSisEmpty_r(h, geom)) {
        append(s->missing, sizeof s->missing, code);
        s->nmissing++;
        goto done;
    }
    const GEOSGeometry *valid = ccn_layer_valid(ctx, geom, &repaired);
    if (!valid) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "cluster %s: cannot repair its boundary: %s", code,
                       ccn_ctx_geos_message(ctx));
        goto done;
    }
    /* GEOS calls a line, a point or a collection of them valid: the boundary
     * is its polygons (another tool wrote it; 'ccn check' names it). The
     * overlay read such a boundary's line as rings: "out of memory", exit 3. */
    if (!repaired && !ccn_geom_is_polygonal(ctx, geom) &&
        !(repaired = ccn_geom_polygonal(ctx, geom))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (repaired && GEOSisEmpty_r(h, repaired)) { /* a point, a line, a collapsed ring */
        append(s->void_, sizeof s->void_, code);
        s->nvoid++;
        goto done;
    }
    if (repaired && !ccn_geom_is_polygonal(ctx, geom))
        ccn_warn(ctx, "cluster %s: boundary holds points or lines besides its polygons (written by "
                 "another tool?): only its polygons are used",
                 code);
    else if (repaired)
        ccn_warn(ctx, "cluster %s: boundary is not valid geometry; repaired (MakeValid) for computing",
                 code);
    ccn_cluster *grown = realloc(s->out->c, (s->out->n + 1) * sizeof *grown);
    if (!grown) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    s->out->c = grown;
    ccn_cluster *c = &grown[s->out->n++];
    *c = (ccn_cluster){.fid = fid,
                       .code = strdup(code),
                       .name = dup_or_null(ccn_stmt_text(row, 3)),
                       .plan_code = dup_or_null(ccn_stmt_text(row, 4))};
    /* Keep the valid form: it is what every figure is computed from. */
    if (repaired) {
        c->geom = repaired;
        repaired = NULL;
    } else {
        c->geom = geom;
        geom = NULL;
    }
    c->area = ccn_geom_area(ctx, c->geom);
done:
    if (repaired)
        GEOSGeom_destroy_r(h, repaired);
    if (geom)
        GEOSGeom_destroy_r(h, geom);
    return st;
}

ccn_status ccn_clusters_load(ccn_store *store, const char *code, ccn_clusters *out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    *out = (ccn_clusters){0};
    load_state s = {.store = store, .code = code, .out = out};
    ccn_status st = ccn_layer_each_lenient(
        store, "SELECT fid, AsBinary(geom), code, name, plan_code FROM clusters ORDER BY fid", take,
        &s);
    if (st)
        goto fail;
    if (code && !s.found) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "unknown cluster '%s' (the registry has: %s)", code,
                       *s.known ? s.known : "none");
        goto fail;
    }
    if (code && s.nmissing) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cluster %s has no boundary yet; import it with 'ccn import %s FILE --as "
                       "clusters'",
                       code, ccn_store_path(store));
        goto fail;
    }
    if (code && s.nvoid) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cluster %s: its boundary has no area once repaired (MakeValid), so no "
                       "figure can be computed ('ccn check' reports it)",
                       code);
        goto fail;
    }
    if (out->n == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "%s: no cluster boundaries in the workspace; import them first with 'ccn "
                       "import %s FILE --as clusters'",
                       ccn_store_path(store), ccn_store_path(store));
        goto fail;
    }
    if (s.nmissing)
        ccn_warn(ctx, "left out, no boundary imported: %s", s.missing);
    if (s.nvoid)
        ccn_warn(ctx, "left out, boundary with no area once repaired (MakeValid; 'ccn check' "
                      "reports it): %s",
                 s.void_);
    return CCN_OK;
fail:
    ccn_clusters_free(ctx, out);
    return st;
}

void ccn_clusters_free(ccn_ctx *ctx, ccn_clusters *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        free(cs->c[i].code);
        free(cs->c[i].name);
        free(cs->c[i].plan_code);
        if (cs->c[i].geom)
            GEOSGeom_destroy_r(ccn_ctx_geos(ctx), cs->c[i].geom);
    }
    free(cs->c);
    *cs = (ccn_clusters){0};
}

const char *ccn_cluster_kind_word(const char *name, const char *kind)
{
    static const char cluster[] = "Cụm công nghiệp", park[] = "Khu công nghiệp";
    if (name && (!strncasecmp(name, cluster, strlen(cluster)) ||
                 !strncasecmp(name, park, strlen(park))))
        return "";
    return kind && !strcmp(kind, "park") ? "Khu công nghiệp " : "Cụm công nghiệp ";
}

ccn_status ccn_cluster_code(ccn_store *store, const char *given, char *buf, size_t size,
                            bool *found)
{
    ccn_stmt *q = NULL;
    *found = false;
    char *want = ccn_textenc_fold(given);
    if (!want) /* not UTF-8: no code is spelt so */
        return CCN_OK;
    ccn_status st = ccn_stmt_prepare(store, "SELECT code FROM clusters ORDER BY fid", &q);
    int rc = 0;
    while (!st && !*found && (rc = ccn_stmt_step(q)) == 1) {
        const char *code = ccn_stmt_text(q, 0);
        char *key = code ? ccn_textenc_fold(code) : NULL;
        if (key && strcmp(key, want) == 0 && strlen(code) < size) {
            memcpy(buf, code, strlen(code) + 1);
            *found = true;
        }
        free(key);
    }
    if (!st && rc < 0)
        st = CCN_ERR_INTERNAL;
    ccn_stmt_free(q);
    free(want);
    return st;
}
