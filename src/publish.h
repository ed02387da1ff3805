/* publish — the static web page of the clusters (`ccn publish`, and the web
 * page of `ccn report`).
 *
 * The page is the files of web/ and Leaflet, compiled into the library
 * (webasset.h), plus one generated file, data.js, that holds every figure:
 * `window.CCN_DATA = {...}` (a script, because a page opened from disk may
 * not fetch() a JSON file). Its shape is documented in web/README.md. The
 * page needs no server and makes no network request: the map has no tiles,
 * the communes and plan zones are its background.
 *
 * The caller brings the content: GeoJSON text of each layer (RFC 7946, as
 * the export module writes it) and the report tables. This module checks
 * that each GeoJSON text is well-formed JSON and a FeatureCollection, so a
 * broken export fails here rather than as a blank page.
 *
 * Ownership: nothing is kept; the data stay the caller's. */
#ifndef CCN_PUBLISH_H
#define CCN_PUBLISH_H

#include "outdir.h"
#include "table.h"

typedef struct {
    const char *title;     /* NULL: "Cụm công nghiệp — tỷ lệ lấp đầy" */
    const char *as_of;     /* the date of the figures, YYYY-MM-DD (required) */
    const char *generated; /* when the page was made; NULL: now, local "YYYY-MM-DD HH:MM" */
    /* GeoJSON FeatureCollections (RFC 7946 text); NULL: an empty one */
    const char *clusters;  /* properties: code, name, status, target_pct, occupancy_pct,
                              leasable_m2, leased_m2, area_m2 */
    const char *lots;      /* cluster, lot_no, use, area_m2, leased (bool), tenant, lease_start */
    const char *communes;  /* code, name */
    const char *plan;      /* landuse, color */
    const char *palette;   /* JSON object of palette.h's ccn_palette_json: every colour and
                              legend text of the page; NULL: the built-in palette */
    /* report tables (DESIGN §8 columns); NULL: [] */
    const ccn_table *occupancy; /* occupancy by cluster */
    const ccn_table *series;    /* occupancy series: date, cluster, leased_m2, occupancy_pct */
    const ccn_table *vacant;    /* vacant industrial lots: cluster, lot_no, area_m2 */
} ccn_publish_data;

/* Write the page into outdir, replacing a folder ccn wrote before; on any
 * failure outdir is left as it was (see outdir.h). */
ccn_status ccn_publish_write(ccn_ctx *ctx, const char *outdir, const ccn_publish_data *data);

/* Write the page into subdir ("" for the top) of a folder the caller is
 * building (ccn report's), without committing it. */
ccn_status ccn_publish_write_into(ccn_ctx *ctx, ccn_outdir *dir, const char *subdir,
                                  const ccn_publish_data *data);

/* Check that text is one well-formed JSON value (RFC 8259); on failure,
 * *where is the byte offset of the first error. */
bool ccn_publish_json_valid(const char *text, size_t *where);

#endif
