/* qgisproject — a QGIS project of the workspace (`ccn qgis`, and du_an.qgz
 * in `ccn report`), so staff can change a map and reprint it.
 *
 * The project holds every styled layer of the workspace (the styles of
 * qgisstyle: the same XML as layer_styles) by a path relative to the
 * project's folder, so the folder and the workspace can move together; the
 * workspace CRS as project CRS; a bookmark per cluster with a boundary; a
 * print layout per cluster and one for the district with the frame of `ccn
 * map` (title, map at a round scale, legend, scale bar, north arrow,
 * coordinate grid, occupancy against the target on the as-of date, source).
 * It is written as QGIS 3.22 writes projects; a .qgz is the .qgs zipped, as
 * QGIS zips it.
 *
 * The project ends with a comment holding the SHA-256 of the XML before it:
 * an existing file is replaced only if it is a project ccn wrote and nobody
 * changed since (a project saved from QGIS, its layouts edited, is refused,
 * CCN_ERR_INPUT, and so is any other file of that name).
 *
 * Ownership: nothing returned needs freeing. The file is written under a
 * temporary name beside it and renamed when complete. */
#ifndef CCN_QGISPROJECT_H
#define CCN_QGISPROJECT_H

#include "store.h"

typedef struct {
    const char *path;     /* OUT.qgz or OUT.qgs */
    const char *base_dir; /* the folder the project will live in, for the relative
                             paths; NULL: path's own folder */
    const char *as_of;    /* YYYY-MM-DD for the layouts' figures; NULL: today */
} ccn_qgis_options;

typedef struct {
    int layers, bookmarks, layouts;
    char as_of[11];
    char workspace[4096]; /* the workspace as the project names it */
    bool replaced;        /* a project of ccn's was there and is replaced */
} ccn_qgis_result;

ccn_status ccn_qgis_project_write(ccn_store *store, const ccn_qgis_options *opt,
                                  ccn_qgis_result *res);

#endif
