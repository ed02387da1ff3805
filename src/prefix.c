/* prefix — the installed district data, found relative to the program. */
#include "prefix.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Relative to the folder holding the program: an install (bin/ -> share/)
 * and the build tree (CMake copies gis/ to build/share/ccn/gis). */
static const char *const district_relative[] = {"../share/ccn/gis", "share/ccn/gis", NULL};

bool ccn_prefix_find(const char *const relative[], const char *marker, char out[PATH_MAX],
                     char *tried, size_t tried_size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return false;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash)
        *slash = '\0';
    for (size_t i = 0; relative[i]; i++) {
        char dir[PATH_MAX], real[PATH_MAX], file[PATH_MAX];
        if (snprintf(dir, sizeof dir, "%s/%s", exe, relative[i]) >= (int)sizeof dir)
            continue;
        const char *shown = realpath(dir, real) ? real : dir;
        if (snprintf(file, sizeof file, "%s/%s", shown, marker) < (int)sizeof file &&
            access(file, R_OK) == 0) {
            snprintf(out, PATH_MAX, "%s", shown);
            return true;
        }
        size_t len = tried ? strlen(tried) : 0;
        if (tried)
            snprintf(tried + len, tried_size - len, "%s%s", len ? ", " : "", shown);
    }
    return false;
}

ccn_status ccn_prefix_district_dir(ccn_ctx *ctx, const char *given, char **out)
{
    *out = NULL;
    const char *env = getenv(CCN_DISTRICT_ENV);
    const char *pick = given ? given : env && *env ? env : NULL;
    if (pick) { /* named by the user: used as given, errors name it */
        *out = strdup(pick);
        return *out ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    char found[PATH_MAX], tried[2 * PATH_MAX + 64] = "";
    if (ccn_prefix_find(district_relative, "clusters.csv", found, tried, sizeof tried)) {
        *out = strdup(found);
        return *out ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    return ccn_error(ctx, CCN_ERR_INPUT,
                     "no district data found (looked in %s); name the district's folder with "
                     "--district DIR or the environment variable %s",
                     *tried ? tried : "nowhere: the program's location is unknown",
                     CCN_DISTRICT_ENV);
}
