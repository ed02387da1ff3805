/* prefix — where ccn finds its district data once installed, as GDAL finds
 * GDAL_DATA: the folder a user names (--district), else the environment
 * variable CCN_DISTRICT, else share/ccn/gis beside the program's install
 * prefix (<prefix>/bin/ccn -> <prefix>/share/ccn/gis, found from
 * /proc/self/exe at run time so a relocated install still works), else the
 * build tree's copy (build/share/ccn/gis beside build/ccn).
 *
 * Ownership: the returned path is the caller's (free). */
#ifndef CCN_PREFIX_H
#define CCN_PREFIX_H

#include "ctx.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define CCN_DISTRICT_ENV "CCN_DISTRICT"

/* The district folder to load: `given` when not NULL, else the first of the
 * places above that holds clusters.csv. CCN_ERR_INPUT naming every place
 * tried when none does. */
ccn_status ccn_prefix_district_dir(ccn_ctx *ctx, const char *given, char **out);

/* The first of the NULL-ended folders `relative` (to the folder holding the
 * program, read from /proc/self/exe) that holds the file `marker`, resolved,
 * into out; false when none does. Every folder looked in is appended to
 * tried (comma-separated) when tried is not NULL. */
bool ccn_prefix_find(const char *const relative[], const char *marker, char out[PATH_MAX],
                     char *tried, size_t tried_size);

#endif
