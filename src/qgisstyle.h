/* qgisstyle — what QGIS shows when it opens the workspace: a default style
 * for every layer and a view of the lots with their lease status.
 *
 * Styles live in `layer_styles`, the table QGIS itself creates and reads in
 * SpatiaLite, PostGIS and GeoPackage (same columns: f_table_catalog,
 * f_table_schema, f_table_name, f_geometry_column, styleName, styleQML,
 * styleSLD, useAsDefault, description, owner, ui, update_time). ccn's rows
 * are named "ccn" and marked default; a style a user saves under another
 * name is never touched. They are generated from the palette, with the
 * symbols of `ccn map`: clusters as their boundary, lots by lease status,
 * plan zones and parcels by each land-use code's planning-map colour,
 * communes as dashed boundaries, markers, findings by severity labelled
 * with their code.
 *
 * The view `lots_status` (registered in views_geometry_columns, so QGIS
 * lists it as a layer) gives each lot its cluster, number, use, status
 * (leased / vacant for industrial lots, other for the rest), tenant and
 * lease dates as of today (SQLite's date('now'), UTC, as ccn's "today"):
 * a lease runs on D when start_date <= D and (no end_date or end_date > D),
 * the definition `ccn occupancy --by lot` uses (DESIGN §6).
 *
 * Ownership: strings returned are the caller's (free). */
#ifndef CCN_QGISSTYLE_H
#define CCN_QGISSTYLE_H

#include "store.h"
#include "xml.h"

/* The layers ccn styles, in drawing order from the top. */
typedef struct {
    const char *table;    /* workspace table or view */
    const char *title;    /* the Vietnamese layer name QGIS shows */
    bool point;           /* Point, else MultiPolygon */
    bool shown;           /* checked in the project's layer tree */
} ccn_qgis_layer;

extern const ccn_qgis_layer ccn_qgis_layers[];
extern const size_t ccn_qgis_nlayers;

/* The view's name. */
#define CCN_QGIS_LOTS_VIEW "lots_status"

/* Create what is missing (layer_styles, the lots view) and write ccn's
 * style of every layer, replacing the last ones. In the caller's
 * transaction. */
ccn_status ccn_qgisstyle_install(ccn_store *store);

/* The renderer and labeling elements of a layer's style (what a QML holds
 * inside <qgis>, and a project inside <maplayer>), appended to x; *labels
 * says whether the layer is labelled. CCN_ERR_INPUT for an unknown layer. */
ccn_status ccn_qgisstyle_xml(ccn_store *store, const char *table, ccn_xml *x, bool *labels);

/* A whole QML document of a layer's style (caller frees). */
ccn_status ccn_qgisstyle_qml(ccn_store *store, const char *table, char **out);

/* Give a GeoPackage that `ccn export` wrote the same style, in its own
 * layer_styles table (as QGIS creates it in a GeoPackage: registered in
 * gpkg_contents as an attributes table). `layer` is the exported layer
 * (lots get the lots_status style: the export carries status and use). */
ccn_status ccn_qgisstyle_gpkg(ccn_store *store, const char *gpkg_path, const char *layer);

#endif
