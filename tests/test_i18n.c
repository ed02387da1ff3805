/* test_i18n — the CLI's pattern table in Vietnamese (src/cli/i18n.c,
 * included for its static functions). find_pattern files the patterns by the
 * byte a message must start or end with and turns most away by their literal
 * pieces before it matches any; it must pick, for every message, the pattern
 * the plain rule picks: every translated pattern matched in table order, the
 * most specific match kept, the first in the table among equals (the loop
 * translate ran before the index). The messages: each pattern with values of
 * four kinds filled in (short, empty, another pattern's message, a list),
 * and the real messages the CLI tests assert in Vietnamese. */
#include "../src/cli/i18n.c"

#include "check.h"

/* The plain rule, as translate had it: the pattern msg gets, NULL if none. */
static const char *plain_pick(const char *msg)
{
    const char *pick = NULL, *cap[MAX_CAPTURES][2];
    size_t best = 0;
    for (size_t i = 0; i < N_PATTERNS; i++) {
        const char *p = library_messages[i], *t = gettext(p);
        size_t lit = specificity(p);
        if (t == p || (pick && lit <= best) || !match(p, msg, cap) ||
            count_conversions(t) != count_conversions(p))
            continue;
        pick = p, best = lit;
    }
    return pick;
}

static int differences;

static void check_pick(const char *msg)
{
    const char *cap[MAX_CAPTURES][2];
    const candidate *c = find_pattern(msg, cap);
    const char *got = c ? c->pattern : NULL, *want = plain_pick(msg);
    if (got != want && differences++ < 10)
        fprintf(stderr, "message '%s':\n  find_pattern: %s\n  plain rule:   %s\n", msg,
                got ? got : "(none)", want ? want : "(none)");
    CHECK(got == want);
}

/* Pattern p with its conversions filled in: %s with s, integers with n,
 * reals with x. */
static void fill(const char *p, const char *s, const char *n, const char *x, char *out,
                 size_t size)
{
    size_t o = 0;
    for (; *p && o + 1 < size; p++) {
        size_t k = *p == '%' ? conversion(p, NULL) : 1;
        const char *value = NULL;
        if (*p != '%')
            out[o++] = *p;
        else if (k == 0)
            out[o++] = '%', p++;
        else
            value = strchr("sc", p[k - 1]) ? s : strchr("eEfgG", p[k - 1]) ? x : n;
        for (; value && *value && o + 1 < size; value++)
            out[o++] = *value;
        if (k > 1)
            p += k - 1;
    }
    out[o] = '\0';
}

int main(void)
{
    setenv("LANGUAGE", "vi", 1);
    cli_i18n_init();
    const char *cap[MAX_CAPTURES][2];
    find_pattern("", cap); /* builds the table */
    /* without the catalogue every pattern is left out and both sides agree */
    CHECK(ncandidates > 380);

    static char msg[4][4096], nested[4096];
    for (size_t i = 0; i < N_PATTERNS; i++) {
        const char *p = library_messages[i];
        fill(library_messages[(i + 1) % N_PATTERNS], "HT", "7", "2.5", nested, sizeof nested);
        fill(p, "HT", "3", "1.25", msg[0], sizeof msg[0]);
        fill(p, "", "0", "0", msg[1], sizeof msg[1]);
        fill(p, nested, "-12", "105.6220", msg[2], sizeof msg[2]);
        fill(p, "feature 3: no geometry; feature 7: empty geometry", "123456", "2.5e-07",
             msg[3], sizeof msg[3]);
        for (int k = 0; k < 4; k++)
            check_pick(msg[k]);
        /* a pattern's own message, values short, is matched by some pattern */
        CHECK(plain_pick(msg[0]) != NULL);
    }
    /* messages the CLI tests assert (cli_i18n_library.sh, cli_lease.sh) */
    static const char *const real[] = {
        "'XX' is not a cluster of the registry (DL3, HT, NUA, DT, TN, TTH)",
        "the lease of HT/CN-01 from 2023-01-01 to 2023-06-01 overlaps the lease of line 2 (to "
        "'Công ty A' from 2022-01-01, running)",
        "lease of ZZ/CN-01 refused: cluster: 'ZZ' is not a cluster of the registry (DL3, HT, "
        "NUA, DT, TN, TTH); start_date: '31/02/2027' is not a date: write YYYY-MM-DD or "
        "dd/mm/yyyy",
        "bad_lots.geojson: 5 of 6 features refused: feature 1: a point where a polygon is "
        "needed; feature 2: unknown cluster 'ZZ'; feature 3: no lot number; feature 4: lot "
        "CN-12: use 'housing' is not industrial, service, green, utility or road; feature 5: no "
        "geometry; nothing imported (fix the file, or pass --skip-bad to import the rest)",
        "the boundary of cluster HT is invalid (Self-intersection[561175 2188750]): measured as "
        "repaired by MakeValid; see 'ccn check'",
        "workspace 'x' names no schema: add options=-csearch_path%3DNAME to the URI",
        "nua_wgs84.geojson: feature 0 lands outside North America (at lon 105.6220, lat "
        "19.7400), the area of use of the workspace CRS (lon -172.54 to -47.74, lat 23.81 to "
        "86.46, with 1° of margin): is the file's CRS right? Name the right one with --s-srs",
        "no such message at all",
        "%",
    };
    for (size_t i = 0; i < sizeof real / sizeof *real; i++)
        check_pick(real[i]);
    return check_summary();
}
