/* lease — the register of leased lots: check everything, then write once.
 *
 * Each write command runs inside one transaction that it opens before its
 * checks, so what it checks (the lots, the other leases) cannot change before
 * it writes. The lots a lease may name are read into a small catalogue; the
 * register is asked for overlaps with one indexed query per lease. */
#include "lease.h"

#include "collate.h"
#include "grow.h"
#include "outtext.h"
#include "date.h"
#include "sha256.h"
#include "table.h"
#include "textenc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A lease file larger than this is not a lease register. */
enum { MAX_FILE_BYTES = 64 << 20 };

/* The end of a running lease, for comparing intervals as text. */
static const char open_end[] = "9999-12-31";

/* A copy of s without the white space at its ends; NULL for NULL. */
static char *trimmed(const char *s)
{
    if (!s)
        return NULL;
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    char *t = strndup(s, n);
    ccn_textenc_trim(t); /* a spreadsheet's no-break space too */
    return t;
}

/* A register field as ccn's own CSV wrote it (`lease list -o`, the copy the
 * README says to keep): text a spreadsheet would run as a formula got a
 * leading apostrophe there (table.c), taken off here, so that a note
 * "- gia hạn" comes back as it was instead of gaining a "'" each round. */
static void unguard(char *t)
{
    if (t && t[0] == '\'' && t[1] != '\t' && t[1] != '\r' && ccn_table_csv_formula(t + 1))
        memmove(t, t + 1, strlen(t));
}

/* ---- The lots a lease may name ---------------------------------------- */

typedef struct {
    char *cluster, *lot_no, *use;
} lot_entry;

typedef struct {
    char **codes;    /* registry codes, in registry order */
    size_t ncodes;
    lot_entry *lots; /* sorted by cluster, then lot_no, ignoring case */
    size_t nlots;
} catalogue;

static int lot_cmp(const void *a, const void *b)
{
    const lot_entry *x = a, *y = b;
    int c = strcasecmp(x->cluster, y->cluster);
    return c ? c : strcasecmp(x->lot_no, y->lot_no);
}

static void catalogue_free(catalogue *cat)
{
    for (size_t i = 0; i < cat->ncodes; i++)
        free(cat->codes[i]);
    for (size_t i = 0; i < cat->nlots; i++) {
        free(cat->lots[i].cluster);
        free(cat->lots[i].lot_no);
        free(cat->lots[i].use);
    }
    free(cat->codes);
    free(cat->lots);
    memset(cat, 0, sizeof *cat);
}

static char *column_copy(ccn_stmt *q, int col)
{
    const char *t = ccn_stmt_text(q, col);
    return strdup(t ? t : "");
}

static ccn_status catalogue_load(ccn_store *store, catalogue *cat)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    ccn_stmt *q = NULL;
    size_t cap = 0;
    int rc = 0;
    memset(cat, 0, sizeof *cat);
    ccn_status st = ccn_stmt_prepare(store, "SELECT code FROM clusters ORDER BY fid", &q);
    if (st)
        return st;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&cat->codes, &cap, cat->ncodes + 1, sizeof *cat->codes) ||
            !(cat->codes[cat->ncodes] = column_copy(q, 0)))
            goto oom;
        cat->ncodes++;
    }
    ccn_stmt_free(q);
    q = NULL;
    if (rc < 0)
        return CCN_ERR_INTERNAL;
    if ((st = ccn_stmt_prepare(store, "SELECT cluster, lot_no, use FROM lots", &q)))
        return st;
    cap = 0;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&cat->lots, &cap, cat->nlots + 1, sizeof *cat->lots))
            goto oom;
        lot_entry *e = &cat->lots[cat->nlots++];
        e->cluster = column_copy(q, 0);
        e->lot_no = column_copy(q, 1);
        e->use = column_copy(q, 2);
        if (!e->cluster || !e->lot_no || !e->use)
            goto oom;
    }
    ccn_stmt_free(q);
    if (rc < 0)
        return CCN_ERR_INTERNAL;
    if (cat->nlots > 1)
        qsort(cat->lots, cat->nlots, sizeof *cat->lots, lot_cmp);
    return CCN_OK;
oom:
    ccn_stmt_free(q);
    return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
}

static const char *catalogue_code(const catalogue *cat, const char *code)
{
    for (size_t i = 0; i < cat->ncodes; i++)
        if (strcasecmp(cat->codes[i], code) == 0)
            return cat->codes[i];
    return NULL;
}

/* The lot cluster/lot_no; when the layer holds the key twice, an industrial
 * one is preferred. NULL if there is none. */
static const lot_entry *catalogue_lot(const catalogue *cat, const char *cluster, const char *lot_no)
{
    if (cat->nlots == 0)
        return NULL;
    lot_entry key = {(char *)cluster, (char *)lot_no, NULL};
    const lot_entry *e = bsearch(&key, cat->lots, cat->nlots, sizeof *cat->lots, lot_cmp);
    if (!e)
        return NULL;
    while (e > cat->lots && lot_cmp(e - 1, &key) == 0)
        e--;
    for (const lot_entry *f = e; f < cat->lots + cat->nlots && lot_cmp(f, &key) == 0; f++)
        if (strcmp(f->use, "industrial") == 0)
            return f;
    return e;
}

/* ---- Problems: every bad field, with its line ------------------------- */

typedef struct {
    ccn_lease_problem *v;
    size_t n, cap;
    bool oom;
} problems;

static void problem(problems *p, int64_t line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void problem(problems *p, int64_t line, const char *field, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!ccn_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v)) {
        p->oom = true;
        return;
    }
    ccn_lease_problem *e = &p->v[p->n];
    e->line = line;
    snprintf(e->field, sizeof e->field, "%s", field);
    if (!(e->reason = strdup(msg))) {
        p->oom = true;
        return;
    }
    p->n++;
}

static void problems_free(problems *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->v[i].reason);
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* "field: reason; field: reason" of problems [from, n). */
static void problems_join(const problems *p, size_t from, char *buf, size_t size)
{
    buf[0] = '\0';
    for (size_t i = from; i < p->n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s: %s", i > from ? "; " : "", p->v[i].field,
                 p->v[i].reason);
    }
}

/* ---- One lease: its fields checked against the catalogue --------------- */

enum { COL_CLUSTER, COL_LOT, COL_TENANT, COL_START, COL_END, COL_NOTE, NCOLS };

typedef struct {
    int64_t line;                  /* 0 for a lease not from a file */
    char *cluster, *lot_no, *tenant, *start, *end, *note; /* owned, trimmed; end, note NULL if empty */
    const char *code, *lot;        /* as the catalogue spells them, once found */
    unsigned reported;             /* bit per COL_*: a problem already told (bad text) */
    bool fields;                   /* the row has its fields (a file row may not) */
    bool ok;                       /* every field is good */
} row;

static void row_free(row *r)
{
    free(r->cluster);
    free(r->lot_no);
    free(r->tenant);
    free(r->start);
    free(r->end);
    free(r->note);
    memset(r, 0, sizeof *r);
}

/* Empty optional text becomes NULL. */
static void drop_empty(char **s)
{
    if (*s && !**s) {
        free(*s);
        *s = NULL;
    }
}

static void check_date(problems *p, int64_t line, const char *field, const char *v)
{
    problem(p, line, field, "'%s' is not a date: write " CCN_DATE_FORMS, v);
}

/* A date written dd/mm/yyyy becomes ISO; anything else stays for the checks. */
static void normalise_date(char **s)
{
    char iso[11];
    if (*s && !ccn_date_valid(*s) && ccn_date_parse(*s, iso)) {
        char *t = strdup(iso);
        if (t) {
            free(*s);
            *s = t;
        }
    }
}

/* The separators between a cluster's code and a lot number in one text. */
#define LOT_SEPARATORS "/\\:_-. "

/* A lot named with its cluster, as the register names it (docs/design.md
 * §4: "DL3/CN-05", also "DL3 CN-05", "DL3 / CN-05" or "dl3-CN-05"), when no
 * cluster is given apart: the longest registry code *lot_no begins with
 * (any case) before a run of LOT_SEPARATORS and a lot number. *cluster and
 * *lot_no (owned) become the code and the lot number. The problem, if any,
 * is told as the cluster's (there is no cluster, and the lot names none). */
static void split_lot(const catalogue *cat, row *r, problems *p)
{
    const char *text = r->lot_no, *code = NULL;
    size_t best = 0;
    for (size_t i = 0; text && i < cat->ncodes; i++) {
        size_t n = strlen(cat->codes[i]);
        if (n > best && strncasecmp(text, cat->codes[i], n) == 0 &&
            (!text[n] || strchr(LOT_SEPARATORS, text[n])))
            best = n, code = cat->codes[i];
    }
    if (!text || !*text)
        return; /* check_row says both are empty */
    const char *rest = code ? text + best + strspn(text + best, LOT_SEPARATORS) : "";
    if (!code) {
        problem(p, r->line, "cluster",
                "is empty, and lot '%s' does not begin with a cluster's code (write "
                "CLUSTER/LOT, e.g. DL3/CN-05, or give the cluster apart)",
                text);
    } else if (!*rest) {
        problem(p, r->line, "cluster",
                "is empty, and lot '%s' is a cluster's code with no lot number after it", text);
    } else {
        char *c = strdup(code), *l = trimmed(rest);
        if (!c || !l) {
            free(c), free(l);
            p->oom = true;
            return;
        }
        free(r->cluster), free(r->lot_no);
        r->cluster = c, r->lot_no = l;
        return;
    }
    r->reported |= 1u << COL_CLUSTER; /* told */
}

static bool check_row(const catalogue *cat, row *r, problems *p)
{
    size_t before = p->n;
    if (r->reported & (1u << COL_CLUSTER)) {
        /* told already */
    } else if (!r->cluster || !*r->cluster) {
        problem(p, r->line, "cluster", "is empty");
    } else if (!(r->code = catalogue_code(cat, r->cluster))) {
        char codes[256] = "";
        for (size_t i = 0; i < cat->ncodes; i++) {
            size_t used = strlen(codes);
            snprintf(codes + used, sizeof codes - used, "%s%s", i ? ", " : "", cat->codes[i]);
        }
        problem(p, r->line, "cluster", "'%s' is not a cluster of the registry (%s)", r->cluster,
                codes);
    }
    if (r->reported & (1u << COL_LOT)) {
        /* told already */
    } else if (!r->lot_no || !*r->lot_no) {
        problem(p, r->line, "lot_no", "is empty");
    } else if (r->code) {
        const lot_entry *e = catalogue_lot(cat, r->code, r->lot_no);
        if (!e && cat->nlots == 0)
            problem(p, r->line, "lot_no",
                    "the workspace has no lots: import them first (ccn import WS FILE --as lots)");
        else if (!e)
            problem(p, r->line, "lot_no", "cluster %s has no lot '%s' in the lots layer", r->code,
                    r->lot_no);
        else if (strcmp(e->use, "industrial") != 0)
            problem(p, r->line, "lot_no", "%s/%s is a %s lot: only industrial lots are leased",
                    e->cluster, e->lot_no, e->use);
        else
            r->lot = e->lot_no;
    }
    if (!(r->reported & (1u << COL_TENANT)) && (!r->tenant || !*r->tenant))
        problem(p, r->line, "tenant", "is empty (a lease needs its tenant)");
    normalise_date(&r->start); /* dd/mm/yyyy is a date as good as ISO */
    normalise_date(&r->end);
    bool start_ok = false;
    if (r->reported & (1u << COL_START))
        ; /* told already */
    else if (!r->start || !*r->start)
        problem(p, r->line, "start_date", "is empty");
    else if (!(start_ok = ccn_date_valid(r->start)))
        check_date(p, r->line, "start_date", r->start);
    if (r->end && !(r->reported & (1u << COL_END))) {
        if (!ccn_date_valid(r->end))
            check_date(p, r->line, "end_date", r->end);
        else if (start_ok && strcmp(r->end, r->start) <= 0)
            problem(p, r->line, "end_date",
                    "%s is not after the start %s (end_date is the first day no longer leased)",
                    r->end, r->start);
    }
    r->ok = p->n == before && !r->reported; /* a problem told already makes it bad too */
    return r->ok;
}

static void describe_span(char *buf, size_t n, const char *start, const char *end)
{
    if (end)
        snprintf(buf, n, "from %s to %s", start, end);
    else
        snprintf(buf, n, "from %s, running", start);
}

/* The register's leases of r's lot that overlap r, as problems. */
static ccn_status register_overlaps(ccn_stmt *q, const row *r, problems *p)
{
    ccn_stmt_reset(q);
    ccn_stmt_bind_text(q, 1, r->code);
    ccn_stmt_bind_text(q, 2, r->lot);
    ccn_stmt_bind_text(q, 3, r->end ? r->end : open_end);
    ccn_stmt_bind_text(q, 4, r->start);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        char mine[48], theirs[48];
        describe_span(mine, sizeof mine, r->start, r->end);
        describe_span(theirs, sizeof theirs, ccn_stmt_text(q, 2), ccn_stmt_text(q, 3));
        problem(p, r->line, "start_date",
                "the lease of %s/%s %s overlaps lease %lld of the register (to '%s' %s)", r->code,
                r->lot, mine, (long long)ccn_stmt_int(q, 0), ccn_stmt_text(q, 1), theirs);
    }
    return rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

static const char overlap_sql[] =
    "SELECT fid, tenant, start_date, end_date FROM leases WHERE cluster = ? AND lot_no = ?"
    " AND start_date < ? AND coalesce(end_date, '9999-12-31') > ? ORDER BY start_date";

static const char insert_sql[] =
    "INSERT INTO leases (cluster, lot_no, tenant, start_date, end_date, note, recorded_at)"
    " VALUES (?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";

static ccn_status insert_row(ccn_stmt *ins, const row *r)
{
    ccn_stmt_reset(ins);
    ccn_stmt_bind_text(ins, 1, r->code);
    ccn_stmt_bind_text(ins, 2, r->lot);
    ccn_stmt_bind_text(ins, 3, r->tenant);
    ccn_stmt_bind_text(ins, 4, r->start);
    ccn_stmt_bind_text(ins, 5, r->end);
    ccn_stmt_bind_text(ins, 6, r->note);
    return ccn_stmt_step(ins) < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

static ccn_status last_id(ccn_store *store, int64_t *fid)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, "SELECT last_insert_rowid()", &q);
    if (!st) {
        if (ccn_stmt_step(q) == 1)
            *fid = ccn_stmt_int(q, 0);
        else
            st = CCN_ERR_INTERNAL;
    }
    ccn_stmt_free(q);
    return st;
}

/* ---- add ----------------------------------------------------------------- */

/* Text given on the command line is stored only if it is UTF-8 (a file's
 * text is decoded with its --encoding on the way in). */
static void refuse_bad_text(row *r, problems *p)
{
    static const char *const names[NCOLS] = {"cluster", "lot_no", "tenant",
                                             "start_date", "end_date", "note"};
    const char *const v[NCOLS] = {r->cluster, r->lot_no, r->tenant, r->start, r->end, r->note};
    for (int i = 0; i < NCOLS; i++)
        if (v[i] && !ccn_textenc_is_utf8(v[i])) {
            problem(p, r->line, names[i], "is not valid UTF-8 text");
            r->reported |= 1u << i;
        }
}

ccn_status ccn_lease_add(ccn_store *store, const ccn_lease *lease, int64_t *fid)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    catalogue cat = {0};
    problems p = {0};
    row r = {0};
    ccn_stmt *q = NULL;
    bool in_tx = false;
    int64_t id = 0;
    ccn_status st = CCN_OK;
    if (fid)
        *fid = 0;
    r.cluster = trimmed(lease->cluster);
    r.lot_no = trimmed(lease->lot_no);
    r.tenant = trimmed(lease->tenant);
    r.start = trimmed(lease->start);
    r.end = trimmed(lease->end);
    r.note = trimmed(lease->note);
    drop_empty(&r.end);
    drop_empty(&r.note);
    refuse_bad_text(&r, &p);

    if ((st = ccn_store_begin(store)))
        goto done;
    in_tx = true;
    if ((st = catalogue_load(store, &cat)))
        goto done;
    if (!r.cluster || !*r.cluster)
        split_lot(&cat, &r, &p);
    if (check_row(&cat, &r, &p)) {
        if ((st = ccn_stmt_prepare(store, overlap_sql, &q)) || (st = register_overlaps(q, &r, &p)))
            goto done;
        ccn_stmt_free(q);
        q = NULL;
    }
    if (p.oom) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (p.n > 0) {
        char why[900];
        problems_join(&p, 0, why, sizeof why);
        const char *cl = r.code ? r.code : (r.cluster && !(r.reported & 1u << COL_CLUSTER) ? r.cluster : "");
        const char *lo = r.lot ? r.lot : (r.lot_no && !(r.reported & 1u << COL_LOT) ? r.lot_no : "");
        st = *cl ? ccn_error(ctx, CCN_ERR_INPUT, "lease of %s/%s refused: %s", cl, lo, why)
                 : ccn_error(ctx, CCN_ERR_INPUT, "lease of %s refused: %s", lo, why);
        goto done;
    }
    if ((st = ccn_stmt_prepare(store, insert_sql, &q)) || (st = insert_row(q, &r)) ||
        (st = last_id(store, &id)) || (st = ccn_store_commit(store)))
        goto done;
    in_tx = false;
    if (fid)
        *fid = id;
done:
    if (in_tx)
        ccn_store_rollback(store);
    ccn_stmt_free(q);
    row_free(&r);
    problems_free(&p);
    catalogue_free(&cat);
    return st;
}

ccn_status ccn_lease_key(ccn_store *store, int64_t fid, char *cluster, size_t ncluster,
                         char *lot_no, size_t nlot)
{
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, "SELECT cluster, lot_no FROM leases WHERE fid = ?", &q);
    if (st)
        return st;
    ccn_stmt_bind_int(q, 1, fid);
    int rc = ccn_stmt_step(q);
    if (rc == 1) {
        const char *c = ccn_stmt_text(q, 0), *l = ccn_stmt_text(q, 1);
        snprintf(cluster, ncluster, "%s", c ? c : "");
        snprintf(lot_no, nlot, "%s", l ? l : "");
    }
    ccn_stmt_free(q);
    if (rc < 0)
        return CCN_ERR_INTERNAL;
    return rc == 1 ? CCN_OK
                   : ccn_error(ccn_store_ctx(store), CCN_ERR_INPUT, "no lease %lld", (long long)fid);
}

/* ---- end ----------------------------------------------------------------- */

/* The lease (*rc 1) or none (*rc 0) that sql, on ?1 cluster, ?2 lot and ?3
 * day, finds; *q, freed first, holds its row. */
static ccn_status lot_on_day(ccn_store *store, const char *sql, const char *code,
                             const char *lot, const char *day, ccn_stmt **q, int *rc)
{
    ccn_stmt_free(*q);
    *q = NULL;
    ccn_status st = ccn_stmt_prepare(store, sql, q);
    if (st)
        return st;
    ccn_stmt_bind_text(*q, 1, code);
    ccn_stmt_bind_text(*q, 2, lot);
    ccn_stmt_bind_text(*q, 3, day);
    *rc = ccn_stmt_step(*q);
    return *rc < 0 ? CCN_ERR_INTERNAL : CCN_OK;
}

ccn_status ccn_lease_end(ccn_store *store, const char *cluster, const char *lot_no,
                         const char *on, int64_t *fid, char *was, size_t nwas)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    catalogue cat = {0};
    problems p = {0};
    ccn_stmt *q = NULL;
    char *c = trimmed(cluster), *l = trimmed(lot_no), *day = trimmed(on);
    const char *code = NULL, *lot = NULL;
    row r = {.cluster = c, .lot_no = l}; /* borrows c and l: not freed as a row */
    bool in_tx = false;
    ccn_status st = CCN_OK;
    if (fid)
        *fid = 0;
    if (was && nwas)
        *was = '\0';

    if ((st = ccn_store_begin(store)))
        goto done;
    in_tx = true;
    if ((st = catalogue_load(store, &cat)))
        goto done;
    if (!c || !*c) {
        r.cluster = c, r.lot_no = l;
        split_lot(&cat, &r, &p);
        c = r.cluster, l = r.lot_no;
    }
    /* The checks of a new lease, for the fields an end has. */
    check_row(&cat, &r, &p);
    code = r.code;
    lot = r.lot;
    {
        /* Keep the cluster and lot problems; tenant and start are not asked for. */
        size_t keep = 0;
        for (size_t i = 0; i < p.n; i++) {
            if (strcmp(p.v[i].field, "cluster") == 0 || strcmp(p.v[i].field, "lot_no") == 0)
                p.v[keep++] = p.v[i];
            else
                free(p.v[i].reason);
        }
        p.n = keep;
    }
    if (!day || !*day)
        problem(&p, 0, "on", "is empty");
    else if (!ccn_date_valid(day) && (normalise_date(&day), !ccn_date_valid(day)))
        check_date(&p, 0, "on", day);
    if (p.oom) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (p.n > 0) {
        char why[900];
        problems_join(&p, 0, why, sizeof why);
        const char *cl = code ? code : (c ? c : ""), *lo = lot ? lot : (l ? l : "");
        st = *cl ? ccn_error(ctx, CCN_ERR_INPUT, "cannot end the lease of %s/%s: %s", cl, lo, why)
                 : ccn_error(ctx, CCN_ERR_INPUT, "cannot end the lease of %s: %s", lo, why);
        goto done;
    }
    /* The lease that runs on the day before `on` and would still run on it. */
    int rc;
    if ((st = lot_on_day(store, "SELECT fid, tenant, start_date, end_date FROM leases"
                                " WHERE cluster = ?1 AND lot_no = ?2 AND start_date < ?3"
                                " AND coalesce(end_date, '9999-12-31') > ?3",
                         code, lot, day, &q, &rc)))
        goto done;
    if (rc == 1) {
        int64_t id = ccn_stmt_int(q, 0);
        if (was && nwas)
            snprintf(was, nwas, "%s", ccn_stmt_is_null(q, 3) ? "" : ccn_stmt_text(q, 3));
        ccn_stmt_free(q);
        q = NULL;
        if ((st = ccn_stmt_prepare(store, "UPDATE leases SET end_date = ? WHERE fid = ?", &q)))
            goto done;
        ccn_stmt_bind_text(q, 1, day);
        ccn_stmt_bind_int(q, 2, id);
        if (ccn_stmt_step(q) < 0 || (st = ccn_store_commit(store))) {
            st = st ? st : CCN_ERR_INTERNAL;
            goto done;
        }
        in_tx = false;
        if (fid)
            *fid = id;
        goto done;
    }
    /* Nothing runs then: say why, naming the nearest lease of the lot. One
     * that runs the day before but ends on the day already (the same end
     * given again) is said so: "no lease runs the day before" was untrue. */
    if ((st = lot_on_day(store, "SELECT fid, tenant, end_date FROM leases"
                                " WHERE cluster = ?1 AND lot_no = ?2 AND start_date < ?3"
                                " AND end_date <= ?3 ORDER BY end_date DESC LIMIT 1",
                         code, lot, day, &q, &rc)))
        goto done;
    char ended[16] = "";
    int64_t ended_id = 0;
    if (rc == 1) {
        snprintf(ended, sizeof ended, "%s", ccn_stmt_text(q, 2));
        ended_id = ccn_stmt_int(q, 0);
    }
    if (rc == 1 && strcmp(ended, day) == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cannot end the lease of %s/%s on %s: lease %lld (to '%s') ends on that "
                       "day already",
                       code, lot, day, (long long)ended_id, ccn_stmt_text(q, 1));
        goto done;
    }
    if ((st = lot_on_day(store, "SELECT fid, tenant, start_date, end_date FROM leases"
                                " WHERE cluster = ?1 AND lot_no = ?2 AND start_date >= ?3"
                                " ORDER BY start_date LIMIT 1",
                         code, lot, day, &q, &rc)))
        goto done;
    if (rc == 1) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cannot end the lease of %s/%s on %s: no lease of that lot runs the day "
                       "before; lease %lld (to '%s') starts on %s, and a lease cannot end before "
                       "or on its first day",
                       code, lot, day, (long long)ccn_stmt_int(q, 0), ccn_stmt_text(q, 1),
                       ccn_stmt_text(q, 2));
        goto done;
    }
    if (*ended)
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cannot end the lease of %s/%s on %s: no lease of that lot runs the day "
                       "before; the last, lease %lld, ended on %s",
                       code, lot, day, (long long)ended_id, ended);
    else
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cannot end the lease of %s/%s on %s: no lease of that lot runs the day "
                       "before",
                       code, lot, day);
done:
    if (in_tx)
        ccn_store_rollback(store);
    ccn_stmt_free(q);
    free(c);
    free(l);
    free(day);
    problems_free(&p);
    catalogue_free(&cat);
    return st;
}

/* ---- A small CSV reader (RFC 4180: quotes, doubled quotes, CRLF) -------- */

typedef struct {
    const char *p, *end;
    int64_t line;  /* line of p */
    char delim;
} csv_reader;

typedef struct {
    char *s;       /* raw bytes, NUL-terminated */
    size_t len;
} csv_field;

typedef struct {
    csv_field *f;
    size_t n, cap;
} csv_record;

typedef struct {
    char *s;
    size_t len, cap;
} buffer;

static bool buffer_push(buffer *b, char ch)
{
    if (b->len + 1 >= b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        char *s = realloc(b->s, cap);
        if (!s)
            return false;
        b->s = s;
        b->cap = cap;
    }
    b->s[b->len++] = ch;
    b->s[b->len] = '\0';
    return true;
}

static void record_clear(csv_record *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->f[i].s);
    r->n = 0;
}

static void record_free(csv_record *r)
{
    record_clear(r);
    free(r->f);
    memset(r, 0, sizeof *r);
}

enum { CSV_EOF = 0, CSV_RECORD = 1, CSV_OOM = -1, CSV_OPEN_QUOTE = -2 };

/* The next record (blank lines skipped); *line is the line it starts on. */
static int csv_next(csv_reader *c, csv_record *rec, int64_t *line)
{
    record_clear(rec);
    for (;;) {
        if (c->p >= c->end)
            return CSV_EOF;
        if (*c->p == '\n' || *c->p == '\r') {
            if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
                c->p++;
            c->p++;
            c->line++;
            continue;
        }
        break;
    }
    *line = c->line;
    for (;;) {
        buffer b = {0};
        if (!buffer_push(&b, 'x'))
            return CSV_OOM;
        b.len = 0;
        b.s[0] = '\0';
        if (c->p < c->end && *c->p == '"') {
            c->p++;
            for (;;) {
                if (c->p >= c->end) {
                    free(b.s);
                    return CSV_OPEN_QUOTE;
                }
                char ch = *c->p++;
                if (ch == '"') {
                    if (c->p < c->end && *c->p == '"')
                        c->p++;
                    else
                        break;
                } else if (ch == '\n' || (ch == '\r' && !(c->p < c->end && *c->p == '\n'))) {
                    c->line++;
                }
                if (!buffer_push(&b, ch)) {
                    free(b.s);
                    return CSV_OOM;
                }
            }
        }
        /* Unquoted text, or whatever follows a closing quote. */
        while (c->p < c->end && *c->p != c->delim && *c->p != '\n' && *c->p != '\r')
            if (!buffer_push(&b, *c->p++)) {
                free(b.s);
                return CSV_OOM;
            }
        if (!ccn_grow((void **)&rec->f, &rec->cap, rec->n + 1, sizeof *rec->f)) {
            free(b.s);
            return CSV_OOM;
        }
        rec->f[rec->n++] = (csv_field){b.s, b.len};
        if (c->p >= c->end)
            return CSV_RECORD;
        char ch = *c->p++;
        if (ch == c->delim)
            continue;
        if (ch == '\r' && c->p < c->end && *c->p == '\n')
            c->p++;
        c->line++;
        return CSV_RECORD;
    }
}

/* The delimiter of the first line: a comma, unless the line has none and
 * has semicolons (spreadsheets in a Vietnamese locale) or tabs. */
static char sniff_delimiter(const char *p, const char *end)
{
    int comma = 0, semi = 0, tab = 0;
    bool quoted = false;
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        else if (!quoted)
            comma += *p == ',', semi += *p == ';', tab += *p == '\t';
    }
    return comma ? ',' : semi ? ';' : tab ? '\t' : ',';
}

static ccn_status read_file(ccn_ctx *ctx, const char *path, char **data, size_t *n)
{
    *data = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot open '%s': %s", path, strerror(errno));
    char *buf = NULL;
    size_t len = 0, cap = 0;
    ccn_status st = CCN_OK;
    for (;;) {
        if (len + 65536 > cap) {
            size_t c = cap ? 2 * cap : 65536 * 2;
            char *b = realloc(buf, c);
            if (!b) {
                st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
                break;
            }
            buf = b;
            cap = c;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (len > MAX_FILE_BYTES) {
            st = ccn_error(ctx, CCN_ERR_INPUT, "'%s' is larger than %d MB: not a lease register",
                           path, MAX_FILE_BYTES >> 20);
            break;
        }
        if (got == 0) {
            if (ferror(f))
                st = ccn_error(ctx, CCN_ERR_INPUT, "cannot read '%s': %s", path, strerror(errno));
            break;
        }
    }
    fclose(f);
    if (st) {
        free(buf);
        return st;
    }
    *data = buf;
    *n = len;
    return CCN_OK;
}

/* ---- import -------------------------------------------------------------- */

static const struct {
    const char *name;
    const char *aliases[6]; /* folded Vietnamese and short names */
    bool required;
} columns[NCOLS] = {
    [COL_CLUSTER] = {"cluster", {"ma_ccn", "ccn", "cum", "ma_cum"}, true},
    [COL_LOT] = {"lot_no", {"lot", "so_lo", "ma_lo", "lo"}, true},
    [COL_TENANT] = {"tenant", {"ben_thue", "doanh_nghiep", "nha_dau_tu", "ten_doanh_nghiep"}, true},
    [COL_START] = {"start_date", {"start", "tu_ngay", "ngay_bat_dau", "ngay_thue"}, true},
    [COL_END] = {"end_date", {"end", "den_ngay", "ngay_ket_thuc"}, false},
    [COL_NOTE] = {"note", {"ghi_chu"}, false},
};

static int column_of(const char *folded)
{
    for (int c = 0; c < NCOLS; c++) {
        if (strcmp(folded, columns[c].name) == 0)
            return c;
        for (int k = 0; k < 6 && columns[c].aliases[k]; k++)
            if (strcmp(folded, columns[c].aliases[k]) == 0)
                return c;
    }
    return -1;
}

typedef struct {
    row *v;
    size_t n, cap;
} rows;

static void rows_free(rows *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        row_free(&rs->v[i]);
    free(rs->v);
    memset(rs, 0, sizeof *rs);
}

/* map[i] of a second column of lease field c: its values must be the first's. */
#define MAP_AGAIN(c) (-2 - (c))

/* Map the header's columns; -1 for an ignored column, MAP_AGAIN(c) for a
 * second column of field c. */
static ccn_status read_header(ccn_ctx *ctx, const char *file, ccn_encoding enc,
                              const csv_record *rec, int *map, int *where)
{
    char ignored[256] = "", doubled[256] = "";
    bool lot_named_lot = false; /* DESIGN §4's `lot`: cluster and lot_no in one */
    for (int c = 0; c < NCOLS; c++)
        where[c] = -1;
    for (size_t i = 0; i < rec->n; i++) {
        char *text = ccn_textenc_to_utf8(enc, rec->f[i].s, rec->f[i].len);
        char *folded = text ? ccn_textenc_fold(text) : NULL;
        free(text);
        if (!folded)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "%s: line 1: the header is not valid %s text (see --encoding)", file,
                             ccn_textenc_name(enc));
        for (char *s = folded; *s; s++)
            if (*s == ' ' || *s == '-')
                *s = '_';
        int c = column_of(folded);
        if (c == COL_LOT && where[c] < 0)
            lot_named_lot = strcmp(folded, "lot") == 0;
        /* a second column of the same meaning is said apart (it was listed
         * as "not lease fields", its values dropped unnamed), and a row
         * where the two differ is refused: which one is meant? */
        bool again = c >= 0 && where[c] >= 0;
        char *list = again ? doubled : ignored;
        map[i] = again ? MAP_AGAIN(c) : c;
        if (c >= 0 && !again)
            where[c] = (int)i;
        else if (strlen(list) + strlen(folded) + 8 < sizeof ignored)
            snprintf(list + strlen(list), sizeof ignored - strlen(list), "%s'%s'",
                     *list ? ", " : "", folded);
        free(folded);
    }
    char missing[128] = "";
    for (int c = 0; c < NCOLS; c++)
        /* no cluster column beside `lot`: each lot names its cluster ("DL3/CN-05",
         * split_lot); beside lot_no, the column is just missing */
        if (columns[c].required && where[c] < 0 && !(c == COL_CLUSTER && lot_named_lot)) {
            size_t used = strlen(missing);
            snprintf(missing + used, sizeof missing - used, "%s%s", *missing ? ", " : "",
                     columns[c].name);
        }
    if (*missing)
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "%s: line 1: the header lacks %s (expected the header "
                         "cluster,lot_no,tenant,start_date,end_date,note)",
                         file, missing);
    if (*ignored)
        ccn_warn(ctx, "%s: columns ignored (not lease fields): %s", file, ignored);
    if (*doubled)
        ccn_warn(ctx, "%s: lease fields given a second time (read once where both columns agree; "
                      "a row where they differ is refused): %s", file, doubled);
    return CCN_OK;
}

/* A field's second column in a row (at `again`, the first at `first`):
 * refused when the two say different things. CSV_OOM, or CSV_RECORD. */
static int check_again(problems *p, int64_t line, ccn_encoding enc, const csv_record *rec,
                       size_t again, int first, const char *field)
{
    char *text[2] = {NULL, NULL};
    const csv_field *f[2] = {&rec->f[first], &rec->f[again]};
    for (int k = 0; k < 2; k++) {
        char *utf8 = ccn_textenc_to_utf8(enc, f[k]->s, f[k]->len);
        if (!utf8 && errno == ENOMEM)
            break;
        /* undecodable: compared as the bytes (the first is said as such) */
        text[k] = utf8 ? trimmed(utf8) : strndup(f[k]->s, f[k]->len);
        free(utf8);
        if (!text[k])
            break;
    }
    int rc = text[0] && text[1] ? CSV_RECORD : CSV_OOM;
    if (rc == CSV_RECORD && strcmp(text[0], text[1]) != 0)
        problem(p, line, field, "is given twice, '%s' (column %d) and '%s' (column %zu): "
                "which one is meant?", text[0], first + 1, text[1], again + 1);
    free(text[0]);
    free(text[1]);
    return rc;
}

/* A record of empty fields only: a blank line as a spreadsheet writes it
 * (",,,,," for each row below the table that once had a format), or spaces. */
static bool record_blank(const csv_record *r)
{
    for (size_t i = 0; i < r->n; i++)
        for (size_t k = 0; k < r->f[i].len; k++)
            if (r->f[i].s[k] != ' ' && r->f[i].s[k] != '\t')
                return false;
    return true;
}

/* Sort order for finding overlaps: lot, then start, then line. */
static int row_lot_cmp(const void *a, const void *b)
{
    const row *x = *(const row *const *)a, *y = *(const row *const *)b;
    int c = strcmp(x->code, y->code);
    if (!c)
        c = strcmp(x->lot, y->lot);
    if (!c)
        c = strcmp(x->start, y->start);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Overlaps between the file's own rows, as problems of the later row. */
static ccn_status file_overlaps(ccn_ctx *ctx, rows *rs, problems *p)
{
    row **order = malloc((rs->n ? rs->n : 1) * sizeof *order);
    if (!order)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].ok)
            order[n++] = &rs->v[i];
    qsort(order, n, sizeof *order, row_lot_cmp);
    const row *reach = NULL; /* of the same lot so far, the lease that ends last */
    for (size_t i = 0; i < n; i++) {
        const row *r = order[i];
        if (reach && (strcmp(reach->code, r->code) != 0 || strcmp(reach->lot, r->lot) != 0))
            reach = NULL;
        const char *reach_end = reach ? (reach->end ? reach->end : open_end) : NULL;
        if (reach && strcmp(r->start, reach_end) < 0) {
            char mine[48], theirs[48];
            describe_span(mine, sizeof mine, r->start, r->end);
            describe_span(theirs, sizeof theirs, reach->start, reach->end);
            problem(p, r->line, "start_date",
                    "the lease of %s/%s %s overlaps the lease of line %lld (to '%s' %s)", r->code,
                    r->lot, mine, (long long)reach->line, reach->tenant, theirs);
        }
        if (!reach || strcmp(r->end ? r->end : open_end, reach_end) > 0)
            reach = r;
    }
    free(order);
    return CCN_OK;
}

/* The register, held in memory to check a whole file against it: one query
 * per row would scan each lot's history once per row. */
typedef struct {
    int64_t fid;
    char *cluster, *lot_no, *tenant, *start, *end; /* end NULL: running */
} held_lease;

typedef struct {
    held_lease *v;
    size_t n, cap;
} held_register;

static void held_free(held_register *h)
{
    for (size_t i = 0; i < h->n; i++) {
        free(h->v[i].cluster);
        free(h->v[i].lot_no);
        free(h->v[i].tenant);
        free(h->v[i].start);
        free(h->v[i].end);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

/* <0, 0, >0 as lease e's lot sorts before, at or after (cluster, lot_no). */
static int held_lot_cmp(const held_lease *e, const char *cluster, const char *lot_no)
{
    int c = strcmp(e->cluster, cluster);
    return c ? c : strcmp(e->lot_no, lot_no);
}

/* The register by lot (bytes, as held_lot_cmp searches it), start, fid:
 * sorted here, not by ORDER BY, where a server's collation is not strcmp's. */
static int held_order(const void *a, const void *b)
{
    const held_lease *p = a, *q = b;
    int c = held_lot_cmp(p, q->cluster, q->lot_no);
    if (!c)
        c = strcmp(p->start, q->start);
    return c ? c : (p->fid > q->fid) - (p->fid < q->fid);
}

static ccn_status file_vs_register(ccn_store *store, const rows *rs, problems *p)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    held_register h = {0};
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store,
                                     "SELECT fid, cluster, lot_no, tenant, start_date, end_date"
                                     " FROM leases",
                                     &q);
    if (st)
        return st;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&h.v, &h.cap, h.n + 1, sizeof *h.v)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
        held_lease *e = &h.v[h.n++];
        e->fid = ccn_stmt_int(q, 0);
        e->cluster = column_copy(q, 1);
        e->lot_no = column_copy(q, 2);
        e->tenant = column_copy(q, 3);
        e->start = column_copy(q, 4);
        e->end = ccn_stmt_is_null(q, 5) ? NULL : column_copy(q, 5);
        if (!e->cluster || !e->lot_no || !e->tenant || !e->start ||
            (!ccn_stmt_is_null(q, 5) && !e->end)) {
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            goto done;
        }
    }
    if (rc < 0) {
        st = CCN_ERR_INTERNAL;
        goto done;
    }
    if (h.n > 1)
        qsort(h.v, h.n, sizeof *h.v, held_order);
    for (size_t i = 0; i < rs->n; i++) {
        const row *r = &rs->v[i];
        if (!r->ok)
            continue;
        const char *r_end = r->end ? r->end : open_end;
        /* The lot's leases [lo, hi), by start. */
        size_t lo = 0, hi = h.n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (held_lot_cmp(&h.v[mid], r->code, r->lot) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t top = h.n; hi < top;) {
            size_t mid = hi + (top - hi) / 2;
            if (held_lot_cmp(&h.v[mid], r->code, r->lot) <= 0)
                hi = mid + 1;
            else
                top = mid;
        }
        /* The first lease starting at or after r's end: all before it
         * start early enough; of those, the latest ones may still run at r's
         * start (the register's leases do not overlap, so their ends are in
         * order too). */
        size_t a = lo, b = hi;
        while (a < b) {
            size_t mid = a + (b - a) / 2;
            if (strcmp(h.v[mid].start, r_end) < 0)
                a = mid + 1;
            else
                b = mid;
        }
        size_t first = a;
        while (first > lo && strcmp(h.v[first - 1].end ? h.v[first - 1].end : open_end,
                                    r->start) > 0)
            first--;
        for (size_t k = first; k < a; k++) {
            char mine[48], theirs[48];
            describe_span(mine, sizeof mine, r->start, r->end);
            describe_span(theirs, sizeof theirs, h.v[k].start, h.v[k].end);
            problem(p, r->line, "start_date",
                    "the lease of %s/%s %s overlaps lease %lld of the register (to '%s' %s)",
                    r->code, r->lot, mine, (long long)h.v[k].fid, h.v[k].tenant, theirs);
        }
    }
done:
    ccn_stmt_free(q);
    held_free(&h);
    return st;
}

/* Problems in file order (a row's own problems before its overlaps). */
typedef struct {
    int64_t line;
    size_t seq;
} problem_key;

static int problem_key_cmp(const void *a, const void *b)
{
    const problem_key *x = a, *y = b;
    if (x->line != y->line)
        return (x->line > y->line) - (x->line < y->line);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static ccn_status sort_problems(ccn_ctx *ctx, problems *p)
{
    if (p->n < 2)
        return CCN_OK;
    problem_key *k = malloc((p->n ? p->n : 1) * sizeof *k);
    ccn_lease_problem *v = malloc((p->n ? p->n : 1) * sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    for (size_t i = 0; i < p->n; i++)
        k[i] = (problem_key){p->v[i].line, i};
    qsort(k, p->n, sizeof *k, problem_key_cmp);
    for (size_t i = 0; i < p->n; i++)
        v[i] = p->v[k[i].seq];
    memcpy(p->v, v, p->n * sizeof *v);
    free(k);
    free(v);
    return CCN_OK;
}

/* A file row against a lease's cluster, lot and start (row_lot_cmp's order). */
static int row_key_cmp(const row *r, const char *const k[3])
{
    int c = strcmp(r->code, k[0]);
    if (!c)
        c = strcmp(r->lot, k[1]);
    return c ? c : strcmp(r->start, k[2]);
}

/* For a replace: the register's leases the file does not hold again (the
 * same cluster, lot and start), said in a warning, the running ones counted:
 * "5 replaced" hid a running lease added since the file was made. */
static ccn_status warn_dropped(ccn_store *store, const char *file, const rows *rs)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    const row **v = malloc((rs->n ? rs->n : 1) * sizeof *v);
    if (!v)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < rs->n; i++)
        if (rs->v[i].fields)
            v[n++] = &rs->v[i];
    qsort(v, n, sizeof *v, row_lot_cmp);
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(store,
                                     "SELECT cluster, lot_no, tenant, start_date, end_date"
                                     " FROM leases ORDER BY fid",
                                     &q);
    if (st) {
        free(v);
        return st;
    }
    char today[11], first[400] = "";
    ccn_date_today(today);
    long long gone = 0, running = 0;
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        const char *c = ccn_stmt_text(q, 0), *l = ccn_stmt_text(q, 1), *s = ccn_stmt_text(q, 3);
        const char *e = ccn_stmt_is_null(q, 4) ? NULL : ccn_stmt_text(q, 4);
        const char *k[3] = {c ? c : "", l ? l : "", s ? s : ""};
        size_t lo = 0, hi = n; /* the first file row at or after the key */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (row_key_cmp(v[mid], k) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < n && row_key_cmp(v[lo], k) == 0)
            continue;
        if (gone++ == 0)
            snprintf(first, sizeof first, "%s/%s (%s, from %s)", k[0], k[1],
                     ccn_stmt_text(q, 2) ? ccn_stmt_text(q, 2) : "", k[2]);
        running += strcmp(k[2], today) <= 0 && (!e || strcmp(e, today) > 0);
    }
    if (rc < 0)
        st = CCN_ERR_INTERNAL;
    else if (gone)
        ccn_warn(ctx,
                 "%s: %lld lease%s of the register %s not in the file (by cluster, lot and "
                 "start) and %s gone with the replace, %lld of them running today; the first: %s",
                 file, gone, gone == 1 ? "" : "s", gone == 1 ? "is" : "are",
                 gone == 1 ? "is" : "are", running, first);
    ccn_stmt_free(q);
    free(v);
    return st;
}

static ccn_status record_import(ccn_store *store, const char *file, int64_t read, int64_t stored)
{
    char sha[65] = "";
    if (!ccn_sha256_file(file, sha))
        sha[0] = '\0';
    ccn_stmt *q = NULL;
    ccn_status st = ccn_stmt_prepare(
        store,
        "INSERT INTO imports (file, sha256, source_layer, role, crs, features_read,"
        " features_stored, features_refused, imported_at)"
        " VALUES (?, ?, NULL, 'leases', NULL, ?, ?, 0, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        &q);
    if (st)
        return st;
    char *scratch = NULL; /* a name in a legacy code page, stored as UTF-8 (see import.c) */
    const char *name = ccn_outtext_utf8(file, &scratch);
    ccn_stmt_bind_text(q, 1, name ? name : "?");
    ccn_stmt_bind_text(q, 2, *sha ? sha : NULL);
    ccn_stmt_bind_int(q, 3, read);
    ccn_stmt_bind_int(q, 4, stored);
    st = ccn_stmt_step(q) < 0 ? CCN_ERR_INTERNAL : CCN_OK;
    ccn_stmt_free(q);
    free(scratch);
    return st;
}

ccn_status ccn_lease_import(ccn_store *store, const ccn_lease_import_options *opt,
                            ccn_lease_import_result *res)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    const char *file = opt->file;
    char *data = NULL;
    size_t len = 0;
    csv_record rec = {0};
    rows rs = {0};
    problems p = {0};
    catalogue cat = {0};
    ccn_stmt *q = NULL;
    bool in_tx = false, register_clash = false;
    ccn_encoding enc = CCN_ENC_UTF8;
    int map[256], where[NCOLS];
    ccn_status st = CCN_OK;
    memset(res, 0, sizeof *res);

    if (opt->encoding && !ccn_textenc_parse(opt->encoding, &enc))
        return ccn_error(ctx, CCN_ERR_INPUT, "--encoding '%s': expected UTF-8, TCVN3, VNI or CP1258",
                         opt->encoding);
    if ((st = read_file(ctx, file, &data, &len)))
        return st;
    const char *begin = data;
    if (enc == CCN_ENC_UTF8 && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        begin += 3; /* the byte-order mark spreadsheets write */
    csv_reader csv = {begin, data + len, 1, sniff_delimiter(begin, data + len)};

    int64_t line = 0;
    int rc = csv_next(&csv, &rec, &line);
    if (rc == CSV_EOF) {
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "%s is empty: expected the header cluster,lot_no,tenant,start_date,end_date,note",
                       file);
        goto done;
    }
    if (rc == CSV_OOM || rec.n > sizeof map / sizeof *map) {
        st = rc == CSV_OOM ? ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory")
                           : ccn_error(ctx, CCN_ERR_INPUT, "%s: line 1: too many columns", file);
        goto done;
    }
    if (rc == CSV_OPEN_QUOTE) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: line 1: a quoted field is never closed", file);
        goto done;
    }
    if ((st = read_header(ctx, file, enc, &rec, map, where)))
        goto done;
    size_t header_n = rec.n, cap = 0;

    while ((rc = csv_next(&csv, &rec, &line)) == CSV_RECORD) {
        if (record_blank(&rec))
            continue;
        res->rows++;
        if (!ccn_grow((void **)&rs.v, &cap, rs.n + 1, sizeof *rs.v)) {
            rc = CSV_OOM;
            break;
        }
        row *r = &rs.v[rs.n++];
        memset(r, 0, sizeof *r);
        r->line = line;
        if (rec.n != header_n) {
            problem(&p, line, "row", "has %zu fields, the header %zu", rec.n, header_n);
            continue;
        }
        r->fields = true;
        for (size_t i = 0; i < rec.n; i++) {
            if (map[i] <= MAP_AGAIN(0)) {
                if ((rc = check_again(&p, line, enc, &rec, i, where[MAP_AGAIN(0) - map[i]],
                                      columns[MAP_AGAIN(0) - map[i]].name)) == CSV_OOM)
                    break;
                continue;
            }
            if (map[i] < 0)
                continue;
            char *text = NULL;
            if (memchr(rec.f[i].s, '\0', rec.f[i].len) ||
                !(text = ccn_textenc_to_utf8(enc, rec.f[i].s, rec.f[i].len))) {
                if (errno == ENOMEM) {
                    rc = CSV_OOM;
                    break;
                }
                problem(&p, line, columns[map[i]].name, "is not valid %s text (see --encoding)",
                        ccn_textenc_name(enc));
                r->reported |= 1u << map[i];
                continue;
            }
            char *t = trimmed(text);
            free(text);
            unguard(t);
            char **slot[NCOLS] = {&r->cluster, &r->lot_no, &r->tenant, &r->start, &r->end, &r->note};
            *slot[map[i]] = t;
        }
        if (rc == CSV_OOM)
            break;
        drop_empty(&r->end);
        drop_empty(&r->note);
    }
    if (rc == CSV_OOM) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (rc == CSV_OPEN_QUOTE) { /* a row, cut short: "1 of 0 rows refused" */
        res->rows++;
        problem(&p, line, "row", "a quoted field is never closed (the rest of the file is lost)");
    }
    if (res->rows == 0 && p.n == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "%s: no leases after the header: nothing to import",
                       file);
        goto done;
    }

    if ((st = ccn_store_begin(store)))
        goto done;
    in_tx = true;
    if ((st = catalogue_load(store, &cat)))
        goto done;
    for (size_t i = 0; i < rs.n; i++) {
        row *r = &rs.v[i];
        if (!r->fields)
            continue;
        if ((!r->cluster || !*r->cluster) && !(r->reported & (1u << COL_CLUSTER | 1u << COL_LOT)))
            split_lot(&cat, r, &p);
        check_row(&cat, r, &p);
    }
    if ((st = file_overlaps(ctx, &rs, &p)))
        goto done;
    if (!opt->replace) {
        size_t before = p.n;
        if ((st = file_vs_register(store, &rs, &p)))
            goto done;
        register_clash = p.n > before;
    }
    if (p.oom || (st = sort_problems(ctx, &p))) {
        st = st ? st : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (p.n > 0) {
        size_t bad = 0;
        for (size_t i = 0; i < p.n; i++)
            bad += i == 0 || p.v[i].line != p.v[i - 1].line;
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "%s: %zu of %lld rows refused (%zu problem%s); nothing imported%s", file,
                       bad, (long long)res->rows, p.n, p.n == 1 ? "" : "s",
                       register_clash ? " (to load a whole register again, use --replace)" : "");
        goto done;
    }
    if (opt->replace) {
        if ((st = warn_dropped(store, file, &rs)))
            goto done;
        res->replaced = ccn_store_count(store, "leases");
        if (res->replaced < 0 || (st = ccn_store_exec(store, "DELETE FROM leases"))) {
            st = st ? st : CCN_ERR_INTERNAL;
            goto done;
        }
    }
    if ((st = ccn_stmt_prepare(store, insert_sql, &q)))
        goto done;
    for (size_t i = 0; i < rs.n; i++) {
        if ((st = insert_row(q, &rs.v[i])))
            goto done;
        res->stored++;
        if ((res->stored & 255) == 0)
            ccn_progress(ctx, file, (long)res->stored, (long)rs.n);
    }
    ccn_progress(ctx, file, (long)rs.n, (long)rs.n);
    if ((st = record_import(store, file, res->rows, res->stored)) || (st = ccn_store_commit(store)))
        goto done;
    in_tx = false;
done:
    if (in_tx)
        ccn_store_rollback(store);
    if (st)
        res->stored = 0, res->replaced = 0;
    res->problems = p.v;
    res->nproblems = p.n;
    ccn_stmt_free(q);
    catalogue_free(&cat);
    rows_free(&rs);
    record_free(&rec);
    free(data);
    return st;
}

void ccn_lease_import_result_free(ccn_lease_import_result *res)
{
    if (!res)
        return;
    for (size_t i = 0; i < res->nproblems; i++)
        free(res->problems[i].reason);
    free(res->problems);
    res->problems = NULL;
    res->nproblems = 0;
}

/* ---- list ---------------------------------------------------------------- */

/* A lease of the list; texts [0..6]: cluster, lot_no, tenant, start_date,
 * end_date, note, recorded_at. */
typedef struct {
    int64_t fid, cluster_fid; /* cluster_fid: registry order; INT64_MAX: none */
    char *text[7];
} listed;

/* Registry order, lot numbers as people read them (collate.h), start, id:
 * sorted here, not by ORDER BY, where the back ends collate text apart. */
static int listed_cmp(const void *a, const void *b)
{
    const listed *x = a, *y = b;
    int c;
    if (x->cluster_fid != y->cluster_fid)
        return x->cluster_fid < y->cluster_fid ? -1 : 1;
    if ((c = ccn_collate(x->text[0], y->text[0])) || (c = ccn_collate(x->text[1], y->text[1])))
        return c;
    const char *s = x->text[3] ? x->text[3] : "", *t = y->text[3] ? y->text[3] : "";
    if ((c = strcmp(s, t)))
        return c;
    return (x->fid > y->fid) - (x->fid < y->fid);
}

ccn_status ccn_lease_list(ccn_store *store, const char *cluster, const char *as_of,
                          ccn_table **out)
{
    ccn_ctx *ctx = ccn_store_ctx(store);
    static const char *const cols[] = {"id",       "cluster",  "lot_no", "tenant", "start_date",
                                       "end_date", "note",     "recorded_at", NULL};
    catalogue cat = {0};
    ccn_stmt *q = NULL;
    ccn_table *t = NULL;
    listed *v = NULL;
    size_t n = 0, cap = 0;
    const char *code = NULL;
    ccn_status st = CCN_OK;
    *out = NULL;
    if (as_of && !ccn_date_valid(as_of))
        return ccn_error(ctx, CCN_ERR_INPUT, "--as-of '%s' is not a date: write " CCN_DATE_FORMS, as_of);
    if ((st = catalogue_load(store, &cat)))
        goto done;
    if (cluster && !(code = catalogue_code(&cat, cluster))) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "'%s' is not a cluster of the registry", cluster);
        goto done;
    }
    if ((st = ccn_stmt_prepare(
             store,
             "SELECT l.fid, c.fid, l.cluster, l.lot_no, l.tenant, l.start_date, l.end_date, l.note,"
             " l.recorded_at FROM leases l LEFT JOIN clusters c ON c.code = l.cluster"
             " WHERE (?1 IS NULL OR l.cluster = ?1)"
             " AND (?2 IS NULL OR (l.start_date <= ?2 AND coalesce(l.end_date, '9999-12-31') > ?2))",
             &q)))
        goto done;
    ccn_stmt_bind_text(q, 1, code);
    ccn_stmt_bind_text(q, 2, as_of);
    int rc;
    while ((rc = ccn_stmt_step(q)) == 1) {
        if (!ccn_grow((void **)&v, &cap, n + 1, sizeof *v))
            goto oom;
        listed *e = &v[n++];
        *e = (listed){.fid = ccn_stmt_int(q, 0),
                      .cluster_fid = ccn_stmt_is_null(q, 1) ? INT64_MAX : ccn_stmt_int(q, 1)};
        for (int c = 0; c < 7; c++) {
            const char *s = ccn_stmt_text(q, c + 2);
            if (s && !(e->text[c] = strdup(s)))
                goto oom;
        }
    }
    if (rc < 0) {
        st = CCN_ERR_INTERNAL;
        goto done;
    }
    if (n > 1)
        qsort(v, n, sizeof *v, listed_cmp);
    if (!(t = ccn_table_new("leases", cols)))
        goto oom;
    for (size_t i = 0; i < n; i++) {
        ccn_table_add_row(t);
        ccn_table_set_int(t, 0, v[i].fid);
        for (int c = 0; c < 7; c++)
            ccn_table_set_text(t, c + 1, v[i].text[c]);
    }
    *out = t;
    t = NULL;
    goto done;
oom:
    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
done:
    for (size_t i = 0; i < n; i++)
        for (int c = 0; c < 7; c++)
            free(v[i].text[c]);
    free(v);
    ccn_table_free(t);
    ccn_stmt_free(q);
    catalogue_free(&cat);
    return st;
}
