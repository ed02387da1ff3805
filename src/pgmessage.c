/* pgmessage — what a PostgreSQL refusal means to the user. */
#include "pgmessage.h"

#include <stdio.h>
#include <string.h>

const char *ccn_pgmessage_hint(const char *message)
{
    static const struct {
        const char *table, *hint;
    } hints[] = {
        {"table leases", "changing the lease register needs the editor role: ask an "
                         "administrator for 'ccn grant WS editor YOU'"},
        {"table imports", "importing needs the admin role (leases: editor)"},
        {"table ccn_meta", "only an administrator changes the workspace's settings"},
        {"table audit", "the audit trail is written by the database only"},
        {"schema", "you have no access to this workspace: ask an administrator for "
                   "'ccn grant WS viewer YOU'"},
        {"table ", "importing, init and copying onto a workspace need the admin role; a "
                   "viewer reads and reports, an editor also changes leases"},
    };
    if (!message || (!strstr(message, "permission denied") && !strstr(message, "row-level security")))
        return NULL;
    if (strstr(message, "row-level security") && strstr(message, "ccn_meta"))
        return hints[2].hint;
    for (size_t i = 0; i < sizeof hints / sizeof *hints; i++)
        if (strstr(message, hints[i].table))
            return hints[i].hint;
    return NULL;
}

/* "(HT, CN-03, [2041-01-01,9999-12-31))" after the n-th ")=(" of detail. */
static bool key_after(const char *detail, int nth, char *cluster, char *lot, char *from,
                      char *to)
{
    const char *p = detail;
    for (int i = 0; i < nth; i++) {
        p = strstr(p, ")=(");
        if (!p)
            return false;
        p += 3;
    }
    return sscanf(p, "%63[^,], %63[^,], [%10[0-9-],%10[0-9-])", cluster, lot, from, to) == 4;
}

static void period_text(char *buf, size_t n, const char *from, const char *to)
{
    if (strcmp(to, "9999-12-31") == 0)
        snprintf(buf, n, "from %s (running)", from);
    else
        snprintf(buf, n, "from %s to %s", from, to);
}

bool ccn_pgmessage_lease_overlap(const char *detail, char *buf, size_t n)
{
    char c1[64], l1[64], f1[11], t1[11], c2[64], l2[64], f2[11], t2[11];
    if (!detail || !strstr(detail, "ccn_lease_period") || !key_after(detail, 1, c1, l1, f1, t1) ||
        !key_after(detail, 2, c2, l2, f2, t2))
        return false;
    char mine[48], theirs[48];
    period_text(mine, sizeof mine, f1, t1);
    period_text(theirs, sizeof theirs, f2, t2);
    snprintf(buf, n,
             "the lease of %s/%s %s overlaps a lease of that lot %s, written meanwhile by "
             "another user: nothing was written (see 'ccn lease WS list --cluster %s')",
             c1, l1, mine, theirs, c1);
    return true;
}

bool ccn_pgmessage_refusal(const char *state, const char *source_file, const char *message,
                           const char *detail, char *buf, size_t n)
{
    /* 22 data exception, 23 integrity constraint, 27 triggered data change,
     * 2F/38/39 a function's exception, P0 PL/pgSQL's RAISE. */
    static const char *const classes[] = {"22", "23", "27", "2F", "38", "39", "P0"};
    /* XX000 (internal_error) is also what PostGIS raises for a geometry it
     * cannot take or work on ("geometry requires more points", a GEOS
     * TopologyException in an administrator's trigger): liblwgeom's lwerror
     * and its GEOS errors all reach the server through one function of
     * lwgeom_pg.c (pg_error, pg_parser_errhint), which the error's source
     * file field names. Any other XX000 is the server's own trouble (a
     * corrupt page, "cache lookup failed"), never the row's: the import
     * fails whole. PostGIS code that calls elog(ERROR) itself is not told
     * apart (its file names are many and change between releases): such an
     * error fails the import too, which loses nothing. */
    bool row = state && strcmp(state, "XX000") == 0 && source_file &&
               strcmp(source_file, "lwgeom_pg.c") == 0;
    for (size_t i = 0; !row && state && i < sizeof classes / sizeof *classes; i++)
        row = strncmp(state, classes[i], 2) == 0;
    if (state && strcmp(state, "22P04") == 0)
        row = false; /* bad COPY data: ccn's own fault, not the row's */
    if (!row)
        return false;
    bool said = detail && *detail && strncmp(detail, "Failing row contains", 20) != 0;
    snprintf(buf, n, "%s%s%s%s", message && *message ? message : "refused by the database",
             said ? " (" : "", said ? detail : "", said ? ")" : "");
    for (char *p = buf; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    return true;
}
