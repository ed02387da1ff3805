/* prefix — the installed district data, found relative to the program. */
#include "prefix.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Relative to the folder holding the program: an install (bin/ -> share/)
 * and the build tree (CMake copies gis/ to build/share/ccn/gis). */
static const char *const exe_relative[] = {"../share/ccn/gis", "share/ccn/gis"};

static bool has_clusters(const char *dir)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/clusters.csv", dir) >= (int)sizeof path)
        return false;
    return access(path, R_OK) == 0;
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
    char exe[PATH_MAX], tried[2 * PATH_MAX + 64] = "";
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        for (size_t i = 0; i < sizeof exe_relative / sizeof *exe_relative; i++) {
            char dir[PATH_MAX], real[PATH_MAX];
            if (snprintf(dir, sizeof dir, "%s/%s", exe, exe_relative[i]) >= (int)sizeof dir)
                continue;
            const char *shown = realpath(dir, real) ? real : dir;
            if (has_clusters(shown)) {
                *out = strdup(shown);
                return *out ? CCN_OK : ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
            }
            size_t len = strlen(tried);
            snprintf(tried + len, sizeof tried - len, "%s%s", len ? ", " : "", shown);
        }
    }
    return ccn_error(ctx, CCN_ERR_INPUT,
                     "no district data found (looked in %s); name the district's folder with "
                     "--district DIR or the environment variable %s",
                     *tried ? tried : "nowhere: the program's location is unknown",
                     CCN_DISTRICT_ENV);
}
