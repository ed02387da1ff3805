/* render — printed maps of a cluster and of the district (DESIGN §9), drawn
 * with cairo and pango: no GUI, no network, fonts from the system.
 *
 * A cluster map shows the boundary, the lots coloured by lease status on the
 * as-of date (leased / vacant / other uses) with their numbers, optionally the
 * plan zones or the cadastral parcels underneath in the official colours of
 * the land-use codes (gis/landuse.csv), a legend, a scale bar of a round
 * length, a north arrow, VN-2000 grid ticks with coordinates, the date, the
 * occupancy against its target and the source. The district map shows every
 * cluster over the communes, each labelled with its occupancy.
 *
 * The page is laid out in millimetres; the map is drawn at the largest
 * standard scale (1:500 … 1:100 000) that fits the frame, or at --scale. PNG is a raster at the
 * requested dpi; PDF and SVG are in true paper units with text kept as text
 * (SVG <text> elements in "Noto Sans"). Labels never overlap: they are
 * placed greedily, most important first, and a label with no free room is
 * left out and counted (a warning says how many). This is the only module
 * that uses cairo or pango.
 *
 * Ownership: nothing returned needs freeing; the map is written under a
 * temporary name and renamed when complete. */
#ifndef CCN_RENDER_H
#define CCN_RENDER_H

#include "store.h"

typedef enum { CCN_MAP_PNG, CCN_MAP_SVG, CCN_MAP_PDF } ccn_map_format;
typedef enum { CCN_MAP_WITH_NONE, CCN_MAP_WITH_PLAN, CCN_MAP_WITH_PARCELS } ccn_map_with;

/* The format named by path's extension (.png, .svg, .pdf, any case). */
bool ccn_render_format_from_path(const char *path, ccn_map_format *out);
/* Paper size: "a4" (landscape), "a3", "a4-portrait", "a3-portrait" or "WxH"
 * in millimetres (each 50…2000). */
bool ccn_render_parse_size(const char *s, double *width_mm, double *height_mm);

typedef struct {
    const char *path;
    ccn_map_format format;
    const char *cluster;       /* the cluster map; NULL: the district map */
    const char *as_of;         /* YYYY-MM-DD; NULL: today */
    ccn_map_with with;         /* cluster map: what to draw under the lots */
    double width_mm, height_mm; /* paper; 0: A4 landscape (297 × 210) */
    double dpi;                /* PNG resolution; 0: 300 */
    double scale;              /* 1:scale; 0: the largest standard scale that fits
                                  (1:500, 1:1 000, 1:2 000, 1:5 000, 1:10 000, 1:25 000,
                                  1:50 000, 1:100 000, then 1:250 000 …) */
} ccn_map_options;

/* A legend entry's swatch on the page, mm from the top-left. */
typedef struct {
    char key[48];              /* its palette key ("lot.leased", "landuse.LUC" …) */
    double x, y, w, h;
} ccn_map_swatch;

typedef struct {
    int width_px, height_px;   /* PNG; 0 for PDF and SVG */
    double width_mm, height_mm;
    double scale;              /* the map is at 1:scale */
    /* Where workspace point (x, y) lands on the page, in mm from the top-left:
     * page_x = frame_x + (x - world_x0) * mm_per_m,
     * page_y = frame_y + (world_y1 - y) * mm_per_m. */
    double frame_x, frame_y, frame_w, frame_h;
    double world_x0, world_y1, mm_per_m;
    int labels;                /* labels placed on the map */
    int labels_dropped;        /* not on the map for lack of room: numbered in the list
                                  beside it */
    ccn_map_swatch legend[64]; /* the legend's swatches, in order */
    int nlegend;
    char as_of[11];
} ccn_map_result;

ccn_status ccn_render_map(ccn_store *store, const ccn_map_options *opt, ccn_map_result *res);

#endif
