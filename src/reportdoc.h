/* reportdoc — the quarterly report as an administrative document
 * (bao_cao.docx), laid out as Decree 30/2020/NĐ-CP prescribes: issuing body
 * and the national name and motto at the top, number/symbol left blank,
 * place and date, the kind of document and its subject, the content in six
 * sections (boundary checks, areas against the plan, plan conformity and
 * protected land, site clearance, occupancy against the targets with the
 * quarterly chart, the Decree 32/2024 tests), recipients and signature,
 * then the maps as an annex. Every paragraph of content is generated from
 * the report's tables; every figure is the tables' figure in Vietnamese
 * notation. Who issues and signs, the place and the recipients come from the
 * workspace (ccn_meta, loaded from gis/office.csv by `ccn init`).
 *
 * Ownership: nothing is kept; the tables stay the caller's. */
#ifndef CCN_REPORTDOC_H
#define CCN_REPORTDOC_H

#include "store.h"
#include "table.h"

typedef struct {
    const char *as_of;             /* the figures' date, YYYY-MM-DD */
    const char *issued;            /* the document's date, YYYY-MM-DD */
    const ccn_table *findings;     /* ccn check */
    const ccn_table *areas;        /* ccn areas */
    const ccn_table *overlay;      /* ccn overlay by cluster; NULL: no plan imported */
    const ccn_table *clearance;    /* ccn parcels --totals; NULL: no parcels imported */
    const ccn_table *occupancy;    /* by cluster */
    const ccn_table *decree;       /* the Decree 32/2024 tests */
    const char *chart_png;         /* the quarterly chart; NULL: none */
    const char *const *map_pngs;   /* the district map first, then each cluster's */
    const char *const *map_titles;
    size_t nmaps;
} ccn_reportdoc_data;

/* Write the document to path. */
ccn_status ccn_reportdoc_write(ccn_store *store, const ccn_reportdoc_data *data,
                               const char *path);

/* Convert the document to PDF beside it (same name, .pdf) with LibreOffice
 * (`soffice --headless --convert-to pdf`, a private profile, at most
 * timeout_s seconds). Without soffice on PATH *made is false and the status
 * CCN_OK: ccn does not need LibreOffice. A conversion that fails or times
 * out is CCN_ERR_INTERNAL with the reason. */
ccn_status ccn_reportdoc_pdf(ccn_ctx *ctx, const char *docx_path, int timeout_s, bool *made);


#endif
