/* report — the quarterly job in one call: every report of ccn into one folder.
 *
 * ccn_report_write runs the boundary checks (replacing the findings table),
 * then writes into OUTDIR: each report as CSV (findings also as GeoJSON),
 * one spreadsheet with a sheet per report (bao_cao.xlsx), a map per cluster
 * and the district map (PDF and PNG), the quarterly chart, the report
 * document (bao_cao.docx, reportdoc.h) and its PDF when LibreOffice is
 * installed, the GeoJSON layers, and the web page (web/). A stored geometry
 * another tool wrote that cannot be read or is not a polygon does not stop
 * it: the layers carry the feature with a null geometry, the maps leave it
 * out, the figures count it as occupancy.h says, each with a warning. The folder appears whole or not at all (outdir.h): a re-run
 * replaces it, a failure leaves the old one as it was.
 *
 * ccn_report_publish writes the web page alone (`ccn publish`).
 *
 * Ownership: nothing is returned but figures in the result. */
#ifndef CCN_REPORT_H
#define CCN_REPORT_H

#include "store.h"

typedef struct {
    const char *outdir;
    const char *as_of; /* YYYY-MM-DD; NULL: today */
    bool no_pdf;       /* skip converting bao_cao.docx to PDF (LibreOffice is slow) */
} ccn_report_options;

typedef struct {
    char as_of[11];
    int files;             /* files written */
    int clusters;          /* clusters in the registry */
    int clusters_meeting;  /* … meeting their occupancy target on as_of */
    int clusters_with_target;
    int64_t errors;        /* error-level findings of the checks */
    int64_t warnings;      /* warning-level findings */
    bool pdf;              /* bao_cao.pdf made (LibreOffice was there) */
    int64_t no_geometry;   /* GeoJSON features written with a null geometry: stored ones
                              that cannot be read or are not polygons (export.h) */
} ccn_report_result;

ccn_status ccn_report_write(ccn_store *store, const ccn_report_options *opt,
                            ccn_report_result *res);

/* *no_geometry (when not NULL): as ccn_report_result's. */
ccn_status ccn_report_publish(ccn_store *store, const char *outdir, const char *as_of,
                              int64_t *no_geometry);

#endif
