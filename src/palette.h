/* palette — every colour a person sees, from one place: gis/palette.csv.
 *
 * Printed maps (render), the web page (publish, through data.js), the QGIS
 * styles and every legend read the same table, so a leased lot is the same
 * red on paper, on screen and in QGIS. A row is `key,color,label,meaning`:
 * the key names what is coloured ("lot.leased", "cluster.boundary",
 * "finding.error", "landuse.LUC" for a plan code's planning-map colour …),
 * the colour is #RRGGBB, the label is the legend's Vietnamese text (empty for
 * land-use codes: their name is in landuse.csv).
 *
 * `ccn init` loads the district's palette.csv into the workspace table
 * `palette` and completes it with the built-in rows it lacks. ccn_palette_load starts from the copy of gis/palette.csv
 * compiled into the library and lays the workspace's rows over it, so a
 * district may change some colours only, and a workspace made before the
 * palette existed still draws.
 *
 * Ownership: ccn_palette_load returns a palette the caller frees with
 * ccn_palette_free; strings it returns belong to it. */
#ifndef CCN_PALETTE_H
#define CCN_PALETTE_H

#include "store.h"

#include <stdint.h>

typedef struct ccn_palette ccn_palette;

/* The compiled-in palette overlaid with the workspace's (store may be NULL:
 * the compiled-in one alone). A bad colour is an error naming its key. */
ccn_status ccn_palette_load(ccn_ctx *ctx, ccn_store *store, ccn_palette **out);
void ccn_palette_free(ccn_palette *p);

/* 0xRRGGBB of key; a key the palette lacks gets the "plan.none" grey. */
uint32_t ccn_palette_rgb(const ccn_palette *p, const char *key);
/* "#RRGGBB" of key, as ccn_palette_rgb. */
const char *ccn_palette_hex(const ccn_palette *p, const char *key);
/* The legend text of key; "" when it has none. */
const char *ccn_palette_label(const ccn_palette *p, const char *key);
/* Whether the palette has key. */
bool ccn_palette_has(const ccn_palette *p, const char *key);
/* The planning-map colour of a land-use code ("landuse.<code>"), or the
 * "plan.none" grey for a code the palette lacks. */
uint32_t ccn_palette_landuse(const ccn_palette *p, const char *code);

/* The keys, in file order (built-in first, then the workspace's new ones). */
size_t ccn_palette_count(const ccn_palette *p);
const char *ccn_palette_key(const ccn_palette *p, size_t i);

/* Add to the workspace table every built-in row it lacks, so the table
 * alone (what QGIS and SQL read) holds the whole palette. In the caller's
 * transaction; `ccn init` calls it after loading palette.csv. */
ccn_status ccn_palette_complete(ccn_store *store);

/* The palette as a JSON object {"key": {"color": "#RRGGBB", "label": "…"}, …}
 * for the web page; NULL when out of memory. Caller frees with free(). */
char *ccn_palette_json(const ccn_palette *p);

/* True when s is "#RRGGBB" (either case); *rgb gets its value. */
bool ccn_palette_parse_hex(const char *s, uint32_t *rgb);

#endif
