/* i18n — locale, text domain and where the catalogue is (see i18n.h). */
#include "i18n.h"

#include "prefix.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CCN_LOCALEDIR
#define CCN_LOCALEDIR "/usr/share/locale"
#endif

/* Relative to the folder holding the program: an install (bin/ -> share/)
 * and the build tree (build/share/locale beside build/ccn). */
static const char *const locale_relative[] = {"../share/locale", "share/locale", NULL};

static void bind_catalogue(void)
{
    char dir[PATH_MAX];
    bool found = ccn_prefix_find(locale_relative, "vi/LC_MESSAGES/ccn.mo", dir, NULL, 0);
    bindtextdomain("ccn", found ? dir : CCN_LOCALEDIR);
}

/* The language the environment asks messages in: LANGUAGE, else the first
 * of LC_ALL, LC_MESSAGES, LANG that is set ("vi_VN.UTF-8" -> "vi_VN"). */
static void language_from_env(char *buf, size_t n)
{
    buf[0] = '\0';
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            snprintf(buf, n, "%s", v);
            buf[strcspn(buf, ".@")] = '\0';
            return;
        }
    }
}

void cli_i18n_init(void)
{
    /* Only the messages follow the environment: numbers, character classes
     * and collation stay "C", as the CSV/JSON contract and the library
     * expect. */
    const char *got = setlocale(LC_MESSAGES, "");
    if (!got) {
        /* The locale asked for is not generated here (no vi_VN in
         * /usr/lib/locale): name its language to gettext instead. */
        const char *language = getenv("LANGUAGE");
        char lang[64];
        language_from_env(lang, sizeof lang);
        if ((!language || !*language) && *lang && strcmp(lang, "C") && strcmp(lang, "POSIX"))
            setenv("LANGUAGE", lang, 1);
    }
    /* glibc ignores LANGUAGE under the "C" locale, not under C.UTF-8 */
    if (!got || !strcmp(got, "C") || !strcmp(got, "POSIX"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    bind_catalogue();
    bind_textdomain_codeset("ccn", "UTF-8");
    textdomain("ccn");
}

/* ---- library messages ----
 * The library words its errors in English with values filled in; these are
 * the most common ones, as patterns. A message that matches one is given in
 * the catalogue's words with the same values (conversions in the same order;
 * "%.0s" in a translation drops a value, an English plural "s" for one). */
static const char *const library_messages[] = {
    N_("workspace '%s' does not exist (create it with 'ccn init')"),
    N_("'%s' is not a ccn workspace (no ccn_meta table; create one with 'ccn init')"),
    N_("cannot open workspace '%s': %s"),
    N_("'%s' already exists (use --force to overwrite it)"),
    N_("cannot write '%s': %s"),
    N_("cannot open '%s': %s"),
    N_("cannot read '%s': %s"),
    N_("%s: no such file"),
    N_("unknown cluster '%s' (the workspace has: %s)"),
    N_("unknown cluster '%s' (the registry has: %s)"),
    N_("--as-of '%s' is not a date: write YYYY-MM-DD or dd/mm/yyyy"),
    N_("'%s' is not a date: write YYYY-MM-DD or dd/mm/yyyy"),
    N_("cluster %s has nothing to draw: import its boundary (--as clusters) or its lots "
       "(--as lots) first"),
    N_("nothing to draw: import the cluster boundaries (--as clusters) or the communes "
       "(--as communes) first"),
    N_("%s: %d lot number%s did not fit: numbered on the map and listed beside it"),
    N_("at 1:%.0f the map's extent does not fit the frame: its edges are cut (1:%s would "
       "hold it)"),
    N_("%s: layer '%s' is empty: nothing to import"),
    N_("unknown CRS '%s'"),
    N_("no district data found (looked in %s); name the district's folder with --district "
       "DIR or the environment variable %s"),
    N_("cannot end the lease of %s/%s: %s"),
    N_("lease of %s/%s refused: %s"),
    N_("out of memory"),
    /* a stored geometry another tool wrote, which does not stop the work */
    N_("%s fid %lld: the stored geometry cannot be read (not a geometry blob): written with a "
       "null geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (malformed WKB): written with a null "
       "geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (a ring of fewer than 4 points): "
       "written with a null geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (a ring that is not closed): written "
       "with a null geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (a coordinate that is not a finite "
       "number): written with a null geometry"),
    N_("%s fid %lld is a %s, not a polygon: written with a null geometry"),
    N_("%s fid %lld is a %s, not a point: written with a null geometry"),
    N_("%s: %lld more features written with a null geometry (the first %d are named above; "
       "'ccn check' lists them all)"),
    N_("%s fid %lld: the stored geometry cannot be read (%s): not drawn"),
    N_("%zu lots have a stored geometry that cannot be read (first: %s/%s, fid %lld): they "
       "count with no area ('ccn check' lists them)"),
    N_("%zu lots are not polygons (first: %s/%s, fid %lld): measured by their polygons ('ccn "
       "check' lists them)"),
    N_("lot %s/%s (fid %lld): the stored geometry cannot be read: left out of the land use "
       "('ccn check' lists it)"),
    N_("parcel fid %lld: the stored geometry cannot be read: left out of the parcels taken "
       "('ccn check' lists it)"),
    N_("%zu plan zone(s) without polygonal geometry, left out: fid %s"),
    N_("cluster %s (fid %lld): the stored boundary cannot be read: taken as without a boundary "
       "('ccn check' lists it)"),
    /* an import's refused features (a value of one of these may be a list
     * of others, "; "-separated: each is matched in turn, see translate) */
    N_("%s: %lld of %lld features refused: %s; nothing imported (%sfix the file, or pass "
       "--skip-bad to import the rest)"),
    N_("%s: refused feature %s: %s"),
    N_("feature %s: %s"),
    N_("cannot be stored: %s"),
    N_("cluster %s: its boundary cannot be stored: %s"),
    N_("cluster %s already has a boundary (use --replace)"),
    N_("cluster %s: refused with feature %s, another part of its boundary"),
    N_("the markers of cluster %s (rows %s): %s"),
    N_("%s: refused the markers of cluster %s (rows %s): %s"),
    N_("%s: feature %lld%s: the workspace ended the import's transaction (%s): nothing imported"),
    N_("%s: feature %lld%s: the workspace failed to store it (%s): nothing imported"),
    N_("an open line where a polygon is needed"),
    /* why a check group did not run (ccn check's summary) */
    N_("not run: not asked for"),
    N_("not run: no layers imported"),
    N_("not run: no lots or parcels imported"),
    N_("not run: no cluster boundaries imported"),
    N_("not run: no lots imported"),
    N_("not run: no parcels imported"),
    N_("not run: no markers imported"),
    N_("not run: no plan zones imported"),
    /* what a check group looked at (the parts of its note, split at "; ") */
    N_("%s lots not checked against their own cluster, which has no boundary (%s)"),
    N_("%s markers of %s clusters, largest distance %s m"),
    N_("markers of %s not checked: no boundary"),
    N_("%s boundaries of several parts: their vertices not held against the markers' outline"),
    N_("%s of %s plan zones protected"),
    N_("no boundary: %s"),
    N_("%s boundaries"),
    N_("%s lots"),
    N_("%s parcels"),
    N_("parcel keys, lot numbers"),
    N_("parcel keys"),
    N_("lot numbers"),
};

enum { MAX_CAPTURES = 8 };

/* Length of the conversion at p ("%s", "%.0f", "%zu" …); 0 for "%%". */
static size_t conversion(const char *p, bool *drops)
{
    size_t i = 1;
    if (p[1] == '%')
        return 0;
    while (p[i] && strchr("-+ #0123456789.*", p[i]))
        i++;
    while (p[i] && strchr("hlLqjzt", p[i]))
        i++;
    if (drops)
        *drops = !strncmp(p, "%.0s", 4);
    return p[i] ? i + 1 : i;
}

/* Match text against pattern; each conversion takes the shortest text that
 * lets the rest match. */
static bool match(const char *pat, const char *text, const char *cap[][2], int ncap)
{
    for (; *pat; pat++, text++) {
        if (*pat == '%') {
            size_t n = conversion(pat, NULL);
            if (n == 0) { /* "%%" */
                if (*text != '%')
                    return false;
                pat++;
                continue;
            }
            if (ncap >= MAX_CAPTURES)
                return false;
            for (const char *end = text;; end++) {
                cap[ncap][0] = text, cap[ncap][1] = end;
                if (match(pat + n, end, cap, ncap + 1))
                    return true;
                if (!*end)
                    return false;
            }
        }
        if (*pat != *text)
            return false;
    }
    return *text == '\0';
}

static int count_conversions(const char *p)
{
    int n = 0;
    for (; (p = strchr(p, '%')); p++) {
        size_t k = conversion(p, NULL);
        if (k == 0)
            p++;
        else
            n++;
    }
    return n;
}

enum { MAX_DEPTH = 3 }; /* a list inside a message inside a message */

static const char *translate(const char *msg, char *buf, size_t size, int depth);

/* A captured value into buf at *o, itself translated when it is a library
 * message, or a "; "-separated list of them (the reasons of an import's
 * refusal: "feature 3: cannot be stored: …; feature 7: …"). */
static void put_value(const char *from, const char *to, char *buf, size_t size, size_t *o,
                      int depth)
{
    size_t n = (size_t)(to - from);
    char *value = depth < MAX_DEPTH ? malloc(n + 1) : NULL;
    char *item_buf = value ? malloc(size) : NULL;
    if (!item_buf) {
        for (const char *c = from; c < to && *o + 1 < size; c++)
            buf[(*o)++] = *c;
        free(value);
        return;
    }
    memcpy(value, from, n);
    value[n] = '\0';
    for (char *item = value; item;) {
        char *next = strstr(item, "; ");
        if (next)
            *next = '\0';
        const char *t = translate(item, item_buf, size, depth + 1);
        for (const char *c = t; *c && *o + 1 < size; c++)
            buf[(*o)++] = *c;
        if (next)
            for (const char *c = "; "; *c && *o + 1 < size; c++)
                buf[(*o)++] = *c;
        item = next ? next + 2 : NULL;
    }
    free(item_buf);
    free(value);
}

const char *cli_i18n_message(const char *msg, char *buf, size_t size)
{
    return translate(msg, buf, size, 0);
}

static const char *translate(const char *msg, char *buf, size_t size, int depth)
{
    if (!*msg) /* gettext("") is the catalogue's header */
        return msg;
    const char *exact = gettext(msg);
    if (exact != msg)
        return exact;
    for (size_t i = 0; i < sizeof library_messages / sizeof *library_messages; i++) {
        const char *pat = library_messages[i], *tr = gettext(pat);
        const char *cap[MAX_CAPTURES][2];
        if (tr == pat || !match(pat, msg, cap, 0) ||
            count_conversions(tr) != count_conversions(pat))
            continue;
        size_t o = 0;
        int k = 0;
        for (const char *p = tr; *p && o + 1 < size; p++) {
            bool drops = false;
            size_t n = *p == '%' ? conversion(p, &drops) : 1;
            if (*p != '%') {
                buf[o++] = *p;
                continue;
            }
            if (n == 0) {
                buf[o++] = '%';
                p++;
                continue;
            }
            if (!drops)
                put_value(cap[k][0], cap[k][1], buf, size, &o, depth);
            k++;
            p += n - 1;
        }
        buf[o] = '\0';
        return buf;
    }
    return msg;
}
