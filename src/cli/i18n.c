/* i18n — locale, text domain and where the catalogue is (see i18n.h). */
#include "i18n.h"

#include "prefix.h"

#include <ctype.h>
#include <limits.h>
#include <locale.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CCN_LOCALEDIR
#define CCN_LOCALEDIR "/usr/share/locale"
#endif

/* Relative to the folder holding the program: an install (bin/ -> share/)
 * and the build tree (build/share/locale beside build/ccn). */
static const char *const locale_relative[] = {"../share/locale", "share/locale", NULL};

static void bind_catalogue(void)
{
    char dir[PATH_MAX];
    bool found = ccn_prefix_find(locale_relative, "vi/LC_MESSAGES/ccn.mo", dir, NULL, 0);
    bindtextdomain("ccn", found ? dir : CCN_LOCALEDIR);
}

/* The language the environment asks messages in: LANGUAGE, else the first
 * of LC_ALL, LC_MESSAGES, LANG that is set ("vi_VN.UTF-8" -> "vi_VN"). */
static void language_from_env(char *buf, size_t n)
{
    buf[0] = '\0';
    const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < 3; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v) {
            snprintf(buf, n, "%s", v);
            buf[strcspn(buf, ".@")] = '\0';
            return;
        }
    }
}

void cli_i18n_init(void)
{
    /* Only the messages follow the environment: numbers, character classes
     * and collation stay "C", as the CSV/JSON contract and the library
     * expect. */
    const char *got = setlocale(LC_MESSAGES, "");
    if (!got) {
        /* The locale asked for is not generated here (no vi_VN in
         * /usr/lib/locale): name its language to gettext instead. */
        const char *language = getenv("LANGUAGE");
        char lang[64];
        language_from_env(lang, sizeof lang);
        if ((!language || !*language) && *lang && strcmp(lang, "C") && strcmp(lang, "POSIX"))
            setenv("LANGUAGE", lang, 1);
    }
    /* glibc ignores LANGUAGE under the "C" locale, not under C.UTF-8 */
    if (!got || !strcmp(got, "C") || !strcmp(got, "POSIX"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    bind_catalogue();
    bind_textdomain_codeset("ccn", "UTF-8");
    /* strerror's words come from glibc's own catalogue, converted to the
     * "C" character set (diacritics as '?') unless told otherwise */
    bind_textdomain_codeset("libc", "UTF-8");
    textdomain("ccn");
}

bool cli_i18n_vietnamese(void)
{
    /* the msgid "" gives the header of the catalogue in use ("" without
     * one); not written as a literal, which xgettext would take for a message */
    static const char header[] = "";
    const char *l = strstr(gettext(header), "Language: ");
    return l && strncmp(l + 10, "vi", 2) == 0 && !isalpha((unsigned char)l[12]);
}

/* ---- library messages ----
 * The library words its errors, warnings and the problems of a lease row or
 * a refused feature in English with values filled in; these are their
 * formats, as patterns, written exactly as in the library. A message that matches
 * one is given in the catalogue's words with the same values (conversions in
 * the same order; "%.0s" in a translation drops a value, an English plural
 * "s" for one). The most specific match wins (see translate), so the order
 * below is only for the reader. A format that is only "%s" or "%s: %s" is
 * not here: it would match anything; its values are worded elsewhere (a
 * strerror text comes in the user's language from glibc). Messages of
 * internal errors stay English, but for "out of memory". */
static const char *const library_messages[] = {
    N_("workspace '%s' does not exist (create it with 'ccn init')"),
    N_("'%s' is not a ccn workspace (no ccn_meta table; create one with 'ccn init')"),
    N_("cannot open workspace '%s': %s"),
    N_("workspace '%s' is open in another program (QGIS, another ccn?): close it there first"),
    N_("cannot close workspace '%s'"),
    N_("'%s' already exists (use --force to overwrite it)"),
    N_("cannot write '%s': %s"),
    N_("cannot open '%s': %s"),
    N_("cannot read '%s': %s"),
    N_("%s: no such file"),
    N_("unknown cluster '%s' (the workspace has: %s)"),
    N_("unknown cluster '%s' (the registry has: %s)"),
    N_("--as-of '%s' is not a date: write YYYY-MM-DD or dd/mm/yyyy"),
    N_("'%s' is not a date: write YYYY-MM-DD or dd/mm/yyyy"),
    N_("cluster %s has nothing to draw: import its boundary (--as clusters) or its lots "
       "(--as lots) first"),
    N_("nothing to draw: import the cluster boundaries (--as clusters) or the communes "
       "(--as communes) first"),
    N_("%s: %d lot number%s did not fit: numbered on the map and listed beside it"),
    N_("at 1:%.0f the map's extent does not fit the frame: its edges are cut (1:%.0f would "
       "hold it)"),
    N_("%s: layer '%s' is empty: nothing to import"),
    N_("unknown CRS '%s'"),
    N_("no district data found (looked in %s); name the district's folder with --district "
       "DIR or the environment variable %s"),
    N_("cannot end the lease of %s/%s: %s"),
    N_("lease of %s/%s refused: %s"),
    N_("lease of %s refused: %s"),
    N_("cannot end the lease of %s: %s"),
    N_("no lease %lld"),
    N_("out of memory"),
    /* a stored geometry another tool wrote, which does not stop the work */
    N_("%s fid %lld: the stored geometry cannot be read (not a geometry blob): written with a "
       "null geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (malformed WKB): written with a null "
       "geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (a ring of fewer than 4 points): "
       "written with a null geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (a ring that is not closed): written "
       "with a null geometry"),
    N_("%s fid %lld: the stored geometry cannot be read (a coordinate that is not a finite "
       "number): written with a null geometry"),
    N_("%s fid %lld is a %s, not a polygon: written with a null geometry"),
    N_("%s fid %lld is a %s, not a point: written with a null geometry"),
    N_("%s: %lld more features written with a null geometry (the first %d are named above; "
       "'ccn check' lists them all)"),
    N_("%s fid %lld: its rings do not make a valid polygon, and a shapefile keeps rings only: "
       "read back, it is another polygon (export as .gpkg to keep it as stored; 'ccn check' "
       "lists it)"),
    N_("%s: %lld more features whose rings do not make a valid polygon (the first %d are named "
       "above)"),
    N_("%s fid %lld: the stored geometry cannot be read (%s): not drawn"),
    N_("%zu lots have a stored geometry that cannot be read (first: %s/%s, fid %lld): they "
       "count with no area ('ccn check' lists them)"),
    N_("%zu lots are not polygons (first: %s/%s, fid %lld): measured by their polygons ('ccn "
       "check' lists them)"),
    N_("lot %s/%s (fid %lld): the stored geometry cannot be read: left out of the land use "
       "('ccn check' lists it)"),
    N_("parcel fid %lld: the stored geometry cannot be read: left out of the parcels taken "
       "('ccn check' lists it)"),
    N_("%zu plan zone(s) without polygonal geometry, left out: fid %s"),
    N_("cluster %s (fid %lld): the stored boundary cannot be read: taken as without a boundary "
       "('ccn check' lists it)"),
    /* an import's refused features (a value of one of these may be a list
     * of others, "; "-separated: each is matched in turn, see translate) */
    N_("%s: %lld of %lld features refused: %s; nothing imported (%sfix the file, or pass "
       "--skip-bad to import the rest)"),
    N_("%s: %lld of %lld features refused: %s; nothing imported (none is left for "
       "--skip-bad to import: %sfix the file)"),
    N_("%s: refused feature %s: %s"),
    N_("feature %s: %s"),
    N_("an INSERT of block '%s': %s"),
    N_("%s: refused row %s: %s"),
    N_("row %s: %s"),
    N_("cannot be stored: %s"),
    N_("cluster %s: its boundary cannot be stored: %s"),
    N_("cluster %s already has a boundary (use --replace)"),
    N_("cluster %s: refused with feature %s, another part of its boundary"),
    N_("cluster %s: refused with row %s, another part of its boundary"),
    N_("the markers of cluster %s (rows %s): %s"),
    N_("%s: refused the markers of cluster %s (rows %s): %s"),
    N_("%s: feature %lld%s: the workspace ended the import's transaction (%s): nothing imported"),
    N_("%s: feature %lld%s: the workspace failed to store it (%s): nothing imported"),
    N_("%s: %s: the workspace ended the import's transaction (%s): nothing imported"),
    N_("an open line where a polygon is needed"),
    /* why a check group did not run (ccn check's summary) */
    N_("not run: not asked for"),
    N_("not run: no layers imported"),
    N_("not run: no lots or parcels imported"),
    N_("not run: no cluster boundaries imported"),
    N_("not run: no lots imported"),
    N_("not run: no parcels imported"),
    N_("not run: no markers imported"),
    N_("not run: no plan zones imported"),
    /* what a check group looked at (the parts of its note, split at "; ") */
    N_("%s lots not checked against their own cluster, which has no boundary (%s)"),
    N_("%s markers of %s clusters, largest distance %s m"),
    N_("markers of %s not checked: no boundary"),
    N_("%s boundaries of several parts: their vertices not held against the markers' outline"),
    N_("%s of %s plan zones protected"),
    N_("no boundary: %s"),
    N_("%s boundaries"),
    N_("%s lots"),
    N_("%s parcels"),
    N_("parcel keys, lot numbers"),
    N_("parcel keys"),
    N_("lot numbers"),
    /* input files: opening and reading (layerio, csvread) */
    N_("%s: cannot read: %s"),
    N_("%s: cannot open: %s"),
    N_("%s: no layer named '%s'"),
    N_("%s: the file holds no vector layer"),
    N_("%s: read error: %s"),
    N_("%s: read error after feature %lld (%lld read): %s"),
    N_("%s: read error at the first feature: %s"),
    N_("%s: feature %lld%s%s%s: unreadable geometry"),
    N_("%s: line %d: a quoted field is never closed (is the file truncated?)"),
    N_("%s: line %d: a quote inside an unquoted field"),
    N_("%s: line %d: a NUL byte in the text"),
    N_("%s: line %d: field %zu %s"),
    N_("is not valid UTF-8 text"),
    N_("holds a control character"),
    N_("%s: line %d: text after a closing quote"),
    N_("%s: the file is empty"),
    N_("%s: line %d: %zu fields where the header has %zu (is the file truncated or a comma "
       "missing?)"),
    N_("%s: line %d: the file ends in the middle of a line: is it truncated? (if it is "
       "complete, end it with a newline)"),
    N_("cannot be read"),
    N_("larger than 16 MB: not a district file"),
    /* import */
    N_("--field '%s': expected TARGET=SOURCE"),
    N_("--field '%s': '%.*s' is not a field of %s (known: %s)"),
    N_("%s: --field '%s': the layer has no field '%s'"),
    N_("%s: a marker table needs X and Y columns"),
    N_("%s: the layer has two fields named '%s' (columns %d and %d): which one is meant is "
       "not known (rename or remove one)"),
    N_("%s: fid %lld: field '%s' holds %zu bytes of text, more than a shapefile's %d: it would "
       "be cut short (export as GeoPackage, .gpkg, to keep it whole)"),
    N_("%s: its .shp holds %lld shapes and its .dbf %lld rows: only the first %lld of each "
       "could be read, the rest would be lost (is one of them cut short, or from another copy?)"),
    N_("%s: no field for '%s' (tried %s…; the layer has: %s); name it with --field %s=SOURCE"),
    N_("no fields"),
    N_("%s: feature %lld%s: field '%s' is already UTF-8 text ('%.*s'); read as %s it would "
       "be stored garbled%s%s%s: drop --encoding %s"),
    N_("%s: row %lld%s: field '%s' is already UTF-8 text ('%.*s'); read as %s it would "
       "be stored garbled%s%s%s: drop --encoding %s"),
    N_("%s: feature %lld%s: field '%s' is already UTF-8 text ('%.*s'); read as its .cpg says "
       "(%s) it would be stored garbled%s%s%s: pass --encoding UTF-8"),
    N_("%s: the workspace has no cluster registry (gis/clusters.csv)"),
    N_("%s: feature %lld%s lands outside %s%s, the area of use of the workspace CRS (lon "
       "%.2f to %.2f, lat %.2f to %.2f, with %d° of margin): %s"),
    N_("%s: row %lld%s lands outside %s%s, the area of use of the workspace CRS (lon "
       "%.2f to %.2f, lat %.2f to %.2f, with %d° of margin): %s"),
    /* ... where it lands, which the pattern above leaves in the area's name
     * (its "%s%s": the first value takes nothing), and its closing hints */
    N_("%s: feature %lld%s lands outside %s (at lon %.4f, lat %.4f), the area of use of the "
       "workspace CRS (lon %.2f to %.2f, lat %.2f to %.2f, with %d° of margin): %s"),
    N_("%s: row %lld%s lands outside %s (at lon %.4f, lat %.4f), the area of use of the "
       "workspace CRS (lon %.2f to %.2f, lat %.2f to %.2f, with %d° of margin): %s"),
    /* the same, as the reason a feature is refused (--skip-bad) */
    N_("lands outside %s%s, the area of use of the workspace CRS (lon %.2f to %.2f, lat %.2f "
       "to %.2f, with %d° of margin): %s"),
    N_("lands outside %s (at lon %.4f, lat %.4f), the area of use of the workspace CRS (lon "
       "%.2f to %.2f, lat %.2f to %.2f, with %d° of margin): %s"),
    N_(" (at lon %.4f, lat %.4f)"),
    N_("the area"),
    N_("x and y look swapped (with them exchanged it lands inside)"),
    N_("for a marker table see --xy"),
    N_("is the file's CRS right? Name the right one with --s-srs"),
    N_("%s: feature %lld%s lies at lon %.4f, lat %.4f, outside %s: longitude and latitude "
       "look swapped (x must be the longitude)"),
    N_("%s: row %lld%s lies at lon %.4f, lat %.4f, outside %s: longitude and latitude "
       "look swapped (x must be the longitude)"),
    N_("%s: land-use codes that gis/landuse.csv does not know, on %lld feature%s (stored as "
       "they are): %s%s"),
    N_("%s: land-use codes written with Vietnamese letters, on %lld feature%s, read as the "
       "codes of gis/landuse.csv: %s%s"),
    N_("%s: X = %.3f looks like an easting and Y = %.3f like a northing; Vietnamese marker "
       "tables give X = northing, Y = easting. If this table is the other way round, pass "
       "--xy en"),
    N_("%s: cluster %s has %lld markers; a boundary needs at least 3"),
    N_("%s: cluster %s: its %d features overlap by %.3f m², counted once in the boundary "
       "that joins them"),
    N_("%s: cluster %s: %d features joined into one boundary"),
    N_("%s: layer '%s' has no geometry column (its fields: %s)%s"),
    N_("none"),
    N_("layers with points: %s"),
    N_("layers with polygons: %s"),
    N_("a marker table is a CSV with X and Y columns"),
    N_("--encoding '%s': expected auto, UTF-8, TCVN3, VNI or CP1258"),
    N_("%s: cannot tell the text's encoding: in every one (UTF-8, TCVN3, VNI, CP1258) words "
       "such as '%.60s' (feature %lld%s) are not Vietnamese; name it with --encoding"),
    N_("%s: feature %lld%s, field '%s': %s the text reads '%.80s', not Vietnamese (%zu of "
       "%zu words sampled); it reads as %s: '%.80s'. Pass --encoding %s (or auto)"),
    N_("read as its .cpg says (%s)"),
    N_("read as its .tab says (!charset %s)"),
    N_("read as its .mif says (Charset %s)"),
    N_("decoded as %s"),
    N_("%s: this file (SHA-256 %.12s…) was imported into %s already, as '%s' on %s: nothing "
       "imported (pass --again to import it once more, --if-changed to skip it quietly)"),
    N_("%s: the replace would leave %zu lease%s without %s lot: %s%s; nothing imported (the "
       "file must keep every leased lot)"),
    N_("%s: %lld lease%s (%lld running today) %s of lots the file gives another use than "
       "industrial (first: %s): occupancy does not count them"),
    N_("%s: commune codes written with other leading zeros, read as gis/communes.csv writes "
       "them: %s%s"),
    N_("%s: %lld lot number%s (cluster/lot) given by more than one feature, all stored as "
       "drawn: %s; a lease of the number counts on each in occupancy; 'ccn check' lists them "
       "(DUPLICATE_ID)"),
    N_("%s: %lld parcel key%s (commune/sheet/parcel) given by more than one feature, all "
       "stored as drawn: %s; 'ccn check' lists them (DUPLICATE_ID)"),
    /* ... its keys, each with the features that give it ("; "-separated) */
    N_("%s (features %s)"),
    N_("%s (feature%s %s, and fid %s stored before)"),
    N_("and %zu more"),
    N_("%s: %lld lease%s of the register %s not in the file (by cluster, lot and start) and %s "
       "gone with the replace, %lld of them running today; the first: %s"),
    N_("%s: the replace would leave %zu lease%s without %s lot: %s%s; nothing imported (the "
       "file must keep every leased lot, its number written as the lease register writes it: "
       "the file writes %s/%s as '%s')"),
    N_("%s/%s (%s, from %s)"),
    N_("%s: its features lie %.1f km from the clusters, plan and communes the workspace "
       "holds: is the file's CRS (%s) right?%s"),
    N_(" Read in the workspace's CRS (--s-srs %s) they would lie among them."),
    N_("%s: the layer has no CRS; say which with --s-srs (e.g. --s-srs EPSG:5897 for "
       "VN-2000 / TM-3 105°)"),
    N_("%s: its .prj is no CRS GDAL reads ('%.40s%s'); say which CRS the layer is in with "
       "--s-srs (e.g. --s-srs EPSG:5897 for VN-2000 / TM-3 105°)"),
    N_("%s: its .dbf is missing: the shapes have no attributes to import (send the .dbf with "
       "the .shp, .shx and .prj)"),
    N_("%s: the layer's CRS is the GeoPackage's 'Undefined geographic SRS' (srs_id 0, written "
       "for a layer given none): its datum is not known; say which CRS with --s-srs (e.g. "
       "EPSG:4326 for GPS longitudes and latitudes, EPSG:5897 for VN-2000 / TM-3 105°)"),
    N_("%s: %s: say which CRS the layer's coordinates are in with --s-srs (e.g. --s-srs "
       "EPSG:5897 for VN-2000 / TM-3 105°)"),
    N_("%s: its CRS carries the VN-2000 shift to WGS 84 with the rotation signs reversed (a "
       "widely copied PROJ string): taken as written, the features move about 0.7 m; if they "
       "were drawn in VN-2000, import with --s-srs EPSG:5897 (or the EPSG code of their zone)"),
    N_("%s: layer '%s' holds no points (%s)%s"),
    N_("%s: layer '%s' holds no polygons (%s)%s"),
    N_("layers of the file that do: %s (pick one with --layer)"),
    N_("%s: refused %s"),
    N_("%s: and %lld more refusals, not listed (the first %d are)"),
    N_("%s: %lld feature(s) held points or lines beside their polygons (the first: feature "
       "%lld%s): only the polygons were stored"),
    N_("%s: %lld parcel(s) give 0 as their area on record (the first: feature %lld%s): "
       "stored without an area on record"),
    N_("%s: %lld features lie more than 1.5° from the workspace's central meridian (%.2f°): "
       "their planar areas are distorted"),
    N_("%s: only layer '%s' was read; the file's other layers with points were not (layer: "
       "features): %s; import each with --layer NAME"),
    N_("%s: only layer '%s' was read; the file's other layers with polygons were not (layer: "
       "features): %s; import each with --layer NAME"),
    /* why an import refused a feature (feature N: …) */
    N_("field '%s' is not valid %s text"),
    N_("no geometry"),
    N_("the file holds no such block: nothing of it can be read"),
    N_("unreadable geometry"),
    N_("unreadable geometry (%s)"),
    N_("field '%.40s' (row %lld, the header row 1): the WKT '%s' cannot be read: %s"),
    N_("it ends with %d '(' not closed (cut short?)"),
    N_("'%.*s' is not a WKT geometry type (POLYGON, MULTIPOLYGON …)"),
    N_("it does not begin with a geometry type (POLYGON, MULTIPOLYGON …)"),
    N_("a ')' closes no '('"),
    N_("not well-formed WKT"),
    N_("not a GeoJSON geometry GDAL reads"),
    N_("drawn in paper space (on a layout's sheet, not in the drawing's coordinates)"),
    N_("empty geometry"),
    N_("a point where a polygon is needed"),
    N_("not a polygon where a polygon is needed"),
    N_("an open line where a point is needed"),
    N_("a polygon where a point is needed"),
    N_("a collection where a point is needed"),
    N_("several points where a point is needed"),
    N_("several points where a polygon is needed"),
    N_("lies at x %.10g, y %.10g: no longitude and latitude, yet the file's CRS is "
       "geographic (name the right one with --s-srs)"),
    N_("cannot be transformed into the workspace CRS (it lies at x %.10g, y %.10g in the "
       "file's CRS)"),
    N_("part %u, ring %u has %u points: a polygon ring needs at least 4 (it bounds no area, "
       "and PostGIS refuses it)"),
    N_("ring %d, point %d has a coordinate that is not a finite number (%.9g %.9g)"),
    N_("ring %d is not closed: first point (%.9g %.9g), last point (%.9g %.9g)"),
    N_("point %d has a coordinate that is not a finite number (%.9g %.9g)"),
    N_("line %d, point %d has a coordinate that is not a finite number (%.9g %.9g)"),
    N_("a 3-D surface (%s) where a polygon is needed (ccn takes 2-D polygons: export the "
       "surface's footprint first)"),
    N_("unknown cluster '%s'"),
    N_("no cluster code"),
    N_("%s: missing: no land-use code is known, so no plan zone counts as protected land (LUC, "
       "LUK, RPH, RDD) for 'ccn check' and overlay"),
    N_("no lot number"),
    N_("field '%s' holds a list or an object ('%.60s'), not one value"),
    N_("field '%s' is given twice, with different values (%.60s): which is meant is not "
       "known"),
    N_("lot %s: use '%s' is not industrial, service, green, utility or road"),
    N_("sheet '%s' / parcel '%s' is not a whole number"),
    N_("sheet %lld / parcel %lld: numbers start at 1"),
    N_("area on record '%s' is not an area in m² (a finite number > 0)"),
    N_("area on record '%s' is not an area in m² (a decimal comma? ccn reads %s)"),
    N_("no planned land-use code"),
    N_("no marker id"),
    N_("cluster '%s' is not in the registry (gis/clusters.csv)"),
    N_("X '%s' / Y '%s' is not a number"),
    N_("X '%s' / Y '%s' is not a number (a decimal comma? ccn reads %s)"),
    N_("%s is stored already (see --replace)"),
    /* ... its key, as the workspace's SQL names it (import.c, key_sql) */
    N_("lot %s is stored already (see --replace)"),
    N_("parcel %s is stored already (see --replace)"),
    N_("marker %s is stored already (see --replace)"),
    N_("commune %s is stored already (see --replace)"),
    N_("plan zone %s is stored already, with the same boundary (see --replace)"),
    /* leases: the register and its CSV (rows' problems too) */
    N_("is empty"),
    N_("'%s' is not a cluster of the registry (%s)"),
    N_("'%s' is not a cluster of the registry"),
    N_("the workspace has no lots: import them first (ccn import WS FILE --as lots)"),
    N_("cluster %s has no lot '%s' in the lots layer"),
    N_("%s/%s is a %s lot: only industrial lots are leased"),
    /* the same with each use's own words (the most specific pattern wins) */
    N_("%s/%s is a service lot: only industrial lots are leased"),
    N_("%s/%s is a green lot: only industrial lots are leased"),
    N_("%s/%s is a road lot: only industrial lots are leased"),
    N_("%s/%s is a utility lot: only industrial lots are leased"),
    N_("is empty (a lease needs its tenant)"),
    N_("is empty, and lot '%s' does not begin with a cluster's code (write CLUSTER/LOT, e.g. "
       "DL3/CN-05, or give the cluster apart)"),
    N_("is empty, and lot '%s' is a cluster's code with no lot number after it"),
    N_("%s is not after the start %s (end_date is the first day no longer leased)"),
    N_("the lease of %s/%s %s overlaps lease %lld of the register (to '%s' %s)"),
    N_("the lease of %s/%s %s overlaps the lease of line %lld (to '%s' %s)"),
    N_("the lease of %s/%s %s overlaps a lease of that lot %s, written meanwhile by another "
       "user: nothing was written (see 'ccn lease WS list --cluster %s')"),
    N_("from %s to %s"),
    N_("from %s, running"),
    N_("has %zu fields, the header %zu"),
    N_("is not valid %s text (see --encoding)"),
    N_("a quoted field is never closed (the rest of the file is lost)"),
    N_("cannot end the lease of %s/%s on %s: no lease of that lot runs the day before; "
       "lease %lld (to '%s') starts on %s, and a lease cannot end before or on its first day"),
    N_("cannot end the lease of %s/%s on %s: no lease of that lot runs the day before"),
    N_("cannot end the lease of %s/%s on %s: lease %lld (to '%s') ends on that day already"),
    N_("cannot end the lease of %s/%s on %s: no lease of that lot runs the day before; the last, "
       "lease %lld, ended on %s"),
    N_("'%s' is larger than %d MB: not a lease register"),
    N_("%s: line 1: the header is not valid %s text (see --encoding)"),
    N_("%s: line 1: the header lacks %s (expected the header "
       "cluster,lot_no,tenant,start_date,end_date,note)"),
    N_("%s: columns ignored (not lease fields): %s"),
    N_("%s: lease fields given a second time (read once where both columns agree; a row where "
       "they differ is refused): %s"),
    N_("is given twice, '%s' (column %d) and '%s' (column %zu): which one is meant?"),
    N_("--encoding '%s': expected UTF-8, TCVN3, VNI or CP1258"),
    N_("%s is empty: expected the header cluster,lot_no,tenant,start_date,end_date,note"),
    N_("%s: line 1: too many columns"),
    N_("%s: line 1: a quoted field is never closed"),
    N_("%s: no leases after the header: nothing to import"),
    N_("%s: %zu of %lld rows refused (%zu problem%s); nothing imported%s"),
    N_(" (to load a whole register again, use --replace)"),
    /* dates, occupancy */
    N_("--from '%s': expected a date (YYYY-MM-DD or dd/mm/yyyy) or a quarter (YYYY-Qn)"),
    N_("--to '%s': expected a date (YYYY-MM-DD or dd/mm/yyyy) or a quarter (YYYY-Qn)"),
    N_("--from %s is after --to %s"),
    N_("no quarter ends between --from %s and --to %s"),
    N_("%s '%s' is not a date: write YYYY-MM-DD or dd/mm/yyyy"),
    N_("%s: the workspace has no cluster registry"),
    N_("%zu leases name lots that are not in the lots layer (first: lease %lld, %s/%s): "
       "they do not count"),
    N_("%zu leases are of lots that are not industrial (first: %s/%s, %s): they do not count"),
    N_("%zu leases of the register have malformed dates and do not count"),
    N_("%zu lots belong to no cluster of the registry and do not count"),
    N_("the workspace has no lots: no cluster has an occupancy (import them with 'ccn "
       "import WS FILE --as lots')"),
    N_("the boundary of %s is invalid: its area is that of its MakeValid repair ('ccn "
       "check' reports it)"),
    N_("%zu lots have invalid geometry (first: %s/%s): their areas are those of their "
       "MakeValid repair ('ccn check' lists them)"),
    N_("%zu lots have no geometry (first: %s/%s): they count with no area"),
    /* clusters, area, land use, overlay, clearance */
    N_("%s: no cluster boundaries in the workspace; import them first with 'ccn import %s "
       "FILE --as clusters'"),
    N_("cluster %s has no boundary yet; import it with 'ccn import %s FILE --as clusters'"),
    N_("cluster %s: boundary holds points or lines besides its polygons (written by another "
       "tool?): only its polygons are used"),
    N_("cluster %s: boundary is not valid geometry; repaired (MakeValid) for computing"),
    N_("left out, no boundary imported: %s"),
    N_("left out, boundary with no area once repaired (MakeValid; 'ccn check' reports it): %s"),
    N_("cluster %s: its boundary has no area once repaired (MakeValid), so no figure can be "
       "computed ('ccn check' reports it)"),
    N_("%s is a %s, not a polygon: measured by its polygons; see 'ccn check'"),
    N_("%s is invalid (%s): measured as repaired by MakeValid; see 'ccn check'"),
    /* ... and the two above as said of a cluster's boundary: "the boundary of
     * cluster %s" alone, with its longer fixed start, would take the rest of
     * the warning as the code */
    N_("the boundary of cluster %s is a %s, not a polygon: measured by its polygons; see 'ccn "
       "check'"),
    N_("the boundary of cluster %s is invalid (%s): measured as repaired by MakeValid; see 'ccn "
       "check'"),
    N_("the boundary of cluster %s"),
    N_("the boundary of cluster %s has no area: its area is empty"),
    N_("cluster %s lies up to %.3f° from the central meridian %.4f° (more than %g°): its "
       "planar area is distorted"),
    N_("%s has no central meridian: distortion not checked"),
    N_("cluster %s has no boundary: its area is empty"),
    N_("lot %s/%s (fid %lld) has use '%s', none of industrial, service, green, utility, road: "
       "left out"),
    N_("%s: no %s in the workspace (%s); import them first with 'ccn import %s FILE --as %s'"),
    N_("the land use of a cluster comes from its lots"),
    N_("the cadastral parcels"),
    N_("the land-use plan zones"),
    N_("%s: %s; 'ccn check' lists such features"),
    N_("%s fid %lld: the stored geometry cannot be read (%s)"),
    N_("%zu parcel(s) with invalid geometry, repaired (MakeValid) for computing: fid %s%s"),
    N_("%zu parcel(s) with invalid geometry, repaired (MakeValid) for computing: fid %s"),
    N_("%zu parcel(s) without polygonal geometry (none, empty or unreadable), left out: fid "
       "%s"),
    N_(" and %zu more"),
    N_("plan zones overlap (a digitising error): %s; %.3f m² in all is counted twice, once "
       "for each zone's code"),
    N_("%zu pair(s) of plan zones overlap in slivers under %g m² (edges not shared "
       "exactly): %.3f m² in all is counted twice"),
    N_("plan zones of the same code overlap (a digitising error): %s; %.3f m² in all, counted "
       "once for that code"),
    N_("%zu pair(s) of plan zones of the same code overlap in slivers under %g m² (edges not "
       "shared exactly): %.3f m² in all, counted once for that code"),
    /* the pairs those two name, "; "-separated */
    N_("%lld and %lld (%s) by %.3f m²"),
    N_("%lld (%s) and %lld (%s) by %.3f m²"),
    N_("and %zu more pairs"),
    N_("%zu plan zone(s) with invalid geometry, repaired (MakeValid) for computing: fid %s"),
    N_("%s: the plan has no zone with a polygon"),
    N_("cluster %s: %.3f m² counted twice (overlapping plan zones fid %s)"),
    N_("no parcel sheet %lld, parcel %lld%s in the workspace"),
    N_("sheet %lld, parcel %lld%s is in %zu communes: each is answered, its commune in column "
       "commune (--commune picks one):%s"),
    N_("sheet %lld, parcel %lld%s: the old commune '%s' has none; taken as the commune formed on "
       "1 July 2025 of that name or code: old commune %s"),
    N_("sheet %lld, parcel %lld%s: '%s' also names the commune formed on 1 July 2025 whose old "
       "commune(s) %s have this sheet and parcel too (name one with --commune)"),
    N_("sheet %lld, parcel %lld%s is recorded %zu times (a duplicate key); each is shown"),
    N_(" of commune %s"),
    N_("parcel %lld has invalid geometry; repaired (MakeValid) for computing"),
    N_("parcel %lld has no polygonal geometry: its planned use is unknown"),
    N_("parcel %lld: %.3f m² counted twice (overlapping plan zones fid %s)"),
    /* check */
    N_("--tolerance '%s': expected KEY=VALUE"),
    N_("--tolerance %s: '%s' is not a number of zero or more"),
    N_("--tolerance sliver_ratio: '%s' is over 1 (4πA/P² is 1 for a circle, less for any other "
       "shape)"),
    N_("--tolerance '%s': unknown key '%.*s' (known: %s)"),
    N_("%s: cannot tell how far the features lie from the central meridian of %s"),
    N_("%s: %zu features lie more than %g° from the central meridian %.4f° of %s (up to "
       "%.3f°): their planar areas are distorted"),
    N_("%s: %zu features lie where %s places nothing on the Earth (the first: fid %lld): "
       "their coordinates are wrong, and their areas mean nothing"),
    N_("%s: parcels: fid %lld is beyond what ccn check handles (0 to %u)"),
    N_("%s: nothing to check: no cluster boundaries, lots or parcels imported (import them "
       "with 'ccn import %s FILE --as clusters|lots|parcels')"),
    N_("%s: check '%s' cannot run: %s"),
    N_("land_use.csv not written: no lots imported"),
    N_("%s: the findings table was written by an older ccn (columns feature, other_feature) and "
       "cannot be renamed here: run 'ccn check' on the workspace again"),
    N_("no layers imported"),
    N_("no lots or parcels imported"),
    N_("no cluster boundaries imported"),
    N_("no lots imported"),
    N_("no parcels imported"),
    N_("no markers imported"),
    N_("no plan zones imported"),
    /* export, output files and folders */
    N_("cannot write the chart '%s'"),
    N_("cannot write the output: %s"),
    N_("%s: feature %lld: %s"),
    N_("cannot write '%s' (%s)"),
    N_("%s fid %lld%s: written with a null geometry"),
    N_(": the stored geometry cannot be read (%s)"),
    N_(" is a MultiPoint of %zu points, not a point"),
    N_("cluster %s has no boundary in the workspace, so its %s cannot be selected (import "
       "it with 'ccn import WS FILE --as clusters')"),
    N_("cannot copy '%s': %s"),
    N_("'%s' is not a file name"),
    N_("'%s' is an SQLite database (a workspace or a GeoPackage): ccn does not write over one; "
       "name another file"),
    N_("cannot write '%s': the folder '%s' does not exist"),
    N_("cannot write '%s': the folder '%s' is not writable"),
    N_("cannot write '%s': it is a folder"),
    N_("cannot write '%s': the file is read-only (make it writable, or name another file)"),
    N_("'%s' holds binary data (a shapefile, an image, a spreadsheet?), which no report is: ccn "
       "does not write a report over it; name another file"),
    N_("unknown layer '%s' (expected clusters, lots, parcels, plan, communes or findings)"),
    N_("only GeoJSON can be written to stdout ('-')"),
    N_("cannot open '%s' as %s: %s"),
    N_("cannot replace layer '%s' in '%s': %s"),
    N_("cannot create '%s': %s"),
    N_("cannot create layer '%s' in '%s': %s"),
    N_("cannot create field '%s' in '%s': %s"),
    N_("field '%s' is named '%s' in the %s (its names are limited)"),
    N_("%s: cannot write feature %lld: %s"),
    N_("%s: cannot commit: %s"),
    N_("%s: cannot finish writing: %s"),
    N_("cannot use '%s': %s"),
    N_("'%s' is a symbolic link; give the folder it points to"),
    N_("'%s' exists and is not a folder"),
    N_("'%s' is not empty and was not written by ccn; remove it or choose another folder"),
    N_("'%s' holds what ccn did not write there: %s%s, and files changed since ccn wrote them: "
       "%s%s; move them out of the folder (ccn replaces it whole) or choose another folder"),
    N_("'%s' holds what ccn did not write there: %s%s; move it out of the folder (ccn replaces "
       "it whole) or choose another folder"),
    N_("'%s' holds files changed since ccn wrote them: %s%s; move them out of the folder (ccn "
       "replaces it whole) or choose another folder"),
    N_("'%s' is not a project ccn wrote, or was changed since (saved from QGIS?): ccn does not "
       "write over it; move it away first, or give another name"),
    N_("cannot write '%s': it is open in another program (QGIS?), which would go on writing "
       "into the file replaced: close it there first"),
    N_("'%s' cannot be an output folder"),
    N_("'%s' cannot be an output folder; name it"),
    N_("cannot write '%s': folder '%s' does not exist"),
    N_("could not remove the old folder, now '%s'"),
    N_("cannot replace '%s': %s"),
    N_("cannot write '%s%s%s': %s"),
    N_("cannot write %s: %s"),
    N_("cannot write '%s'"),
    N_("cannot read '%s'"),
    N_("'%s' is not a PNG image"),
    N_("cannot write to '%s'"),
    /* map */
    N_("%s: not drawn"),
    N_("cannot read back '%s': %s"),
    N_("no %s in the map's window: nothing drawn under the lots"),
    N_("%s: %d plan-zone label%s did not fit: numbered on the map and listed beside it"),
    N_("%s: %d parcel label%s did not fit: numbered on the map and listed beside it"),
    N_("cluster %s: %zu lot(s) lie wholly outside its boundary (%s): drawn where they are "
       "and counted; 'ccn check' reports them (LOT_OUTSIDE_CLUSTER)"),
    N_("district map: %d cluster label%s did not fit: numbered and listed beside it"),
    N_("district map: %d commune name%s did not fit: numbered and listed beside it"),
    N_("scale 1:%g: expected 1:100 to 1:10 000 000"),
    N_("paper %g × %g mm: each side must be 50–2000 mm"),
    N_("%g dpi on %g × %g mm makes too large an image"),
    N_("paper %g × %g mm leaves no room for the map"),
    N_("palette: '%s' has colour '%s', expected #RRGGBB (gis/palette.csv)"),
    /* report, publish, QGIS, spreadsheets */
    N_("check %s not run: %s"),
    N_("overlay.csv not written: no plan zones imported"),
    N_("parcels.csv not written: no cadastral parcels imported"),
    N_("bao_cao.pdf not made: LibreOffice (soffice) is not installed; bao_cao.docx is"),
    N_("publish: the date of the data '%s' is not YYYY-MM-DD"),
    N_("%s: path too long"),
    N_("'%s': a QGIS project ends in .qgz or .qgs"),
    N_("'%s' is not a date (YYYY-MM-DD)"),
    N_("no QGIS style for layer '%s'"),
    N_("QGIS will not find ccn's layer styles by itself: it reads them from "
       "public.layer_styles, which role '%s' may not write (the database's owner may, or "
       "may grant INSERT and DELETE on it); the projects of 'ccn qgis' carry the styles"),
    N_("public.layer_styles has no styleqml column of type xml or text"),
    N_("QGIS will not find ccn's layer styles by itself (they could not be written to "
       "public.layer_styles: %s); the projects of 'ccn qgis' carry them"),
    N_("sheet %zu has no name"),
    N_("sheet name '%s' is longer than %d characters"),
    N_("sheet name '%s' has a character Excel refuses ([]:*?/\\ or an edge ')"),
    N_("two sheets are named '%s'"),
    N_("a text of %d characters was cut to Excel's %d"),
    N_("a workbook needs at least one sheet"),
    N_("sheet '%s' would have %lld rows; a sheet holds %d"),
    N_("sheet '%s' has too many columns"),
    N_("cannot load %s (Debian package %s)"),
    N_("%s lacks %s (Debian package %s)"),
    /* workspaces: init, open, copy, grant, PostgreSQL */
    N_("cannot remove '%s'"),
    N_("EPSG:%d is %s: the workspace CRS must be a projected CRS in metres (areas are never "
       "computed in degrees or in Web Mercator)"),
    /* ... its two cases whole: "EPSG:%d là %s" reads badly with either */
    N_("EPSG:%d is not a suitable projected CRS: the workspace CRS must be a projected CRS in "
       "metres (areas are never computed in degrees or in Web Mercator)"),
    N_("EPSG:%d is unknown: the workspace CRS must be a projected CRS in metres (areas are "
       "never computed in degrees or in Web Mercator)"),
    N_("EPSG:%d is not in PostGIS's spatial_ref_sys and cannot be added to it (%s): a database "
       "owner's 'ccn init' adds it"),
    N_("workspace '%s' is read-only: nothing can be written to it (check the file's and its "
       "folder's permissions)"),
    N_("'%s' is not a coordinate reference system"),
    N_("'%.120s' is not a coordinate reference system"),
    N_("unknown CRS '%.200s': neither PROJ nor GDAL reads it (write EPSG:CODE, a WKT, a PROJ "
       "string or the path of a .prj file)"),
    N_("--crs '%.200s' is in degrees: the workspace CRS must be a projected CRS in metres (areas "
       "are never computed in degrees)"),
    N_("--crs '%.200s': PROJ finds no EPSG CRS equal to it, and the workspace stores its "
       "geometries under an EPSG code: name one (--crs EPSG:CODE)"),
    N_("'%.120s' has no central meridian (%s)"),
    N_("'%.120s': PROJ knows no area of use for it"),
    N_("point %zu (%.6f, %.6f) cannot be transformed"),
    N_("coordinates cannot be transformed (outside the CRS's area of use?)"),
    N_("unreadable geometry: %s"),
    N_("%s: missing (the district's %s is required)"),
    N_("%s: no column '%s'"),
    N_("%s: no rows after the header"),
    N_("%s: line %d: '%s' is empty"),
    N_("%s: line %d: %s '%s' repeats line %d"),
    N_("%s: %s row %lld: its geometry is not a point, polygon or multipolygon"),
    N_("'%s' is a workspace that was never copied from or to '%s': replacing it would lose "
       "its data (use --force to replace it)"),
    N_("'%s' has changes made since it was last copied %s '%s' (%s): copying would lose "
       "them; %s (use --force to overwrite them)"),
    N_("'%s' has changed too: both sides were edited, merge them by hand"),
    N_("'%s' has not changed since: copy the other way to keep them"),
    N_("'%s': source and target are the same workspace"),
    N_("'%s' and '%s' are the same workspace"),
    N_("'%s' is in EPSG:%d and '%s' in EPSG:%d: a copy keeps coordinates as they are, so "
       "the target must be in the source's CRS (remove it, or make it with 'ccn init --crs "
       "EPSG:%d')"),
    N_("'%s' could not be given a workspace id (it is read-only): a copy back onto it will "
       "need --force"),
    N_("'%s' is a SQLite file: who may read or change it is the file's permissions (chmod, "
       "chown); ccn grant gives rights on a PostgreSQL workspace"),
    N_("workspace '%s': permission denied: %s (%s)"),
    N_("ask the workspace's administrator for the rights, see 'ccn grant'"),
    N_("workspace '%s': another command kept the workspace busy too long (%s); try again, "
       "or set CCN_BUSY_TIMEOUT_MS"),
    N_("workspace '%s': connection lost: %s"),
    N_("workspace '%s' names no schema: add options=-csearch_path%%3DNAME to the URI"),
    N_("cannot connect to workspace '%s': %s"),
    N_("workspace '%s': the database has no PostGIS and it cannot be added (%s): ask its "
       "administrator to run CREATE EXTENSION postgis (Debian package "
       "postgresql-15-postgis-3 on the server)"),
    N_("workspace '%s': the database has no PostGIS extension (ask its administrator to run "
       "CREATE EXTENSION postgis)"),
    N_("workspace '%s' does not exist: the database has no schema '%s' (create it with 'ccn "
       "init')"),
    N_("'%s' is not a ccn workspace (schema '%s' has no ccn_meta table; create one with "
       "'ccn init')"),
    N_("'%s' is not a ccn workspace (ccn_meta has no srid; create one with 'ccn init')"),
    N_("workspace '%s' already exists (schema '%s'; use --force to overwrite it)"),
    N_("workspace '%s': schema '%s' also holds PostGIS, so --force cannot drop it: give the "
       "workspace its own schema (options=-csearch_path%%3DNAME)"),
    N_("%s: out of memory"),
    /* what GDAL, PROJ and the workspace said, worded by ccn */
    N_("not a recognised vector file"),
    N_("the file is empty (0 bytes)"),
    N_("no vector layer GDAL reads in the archive (it holds: %s): name a file inside it, as "
       "%s/NAME"),
    N_("not a suitable projected CRS"),
    N_("not understood"),
    /* a refused lease's problems, "column: reason" (the column keeps its name) */
    N_("cluster: %s"),
    N_("lot_no: %s"),
    N_("tenant: %s"),
    N_("start_date: %s"),
    N_("end_date: %s"),
    N_("on: %s"),
    /* CRS definitions PROJ does not understand */
    N_("unknown CRS '%.120s': %s"),
    N_("unknown source CRS '%.120s': %s"),
    N_("unknown target CRS '%.120s': %s"),
    N_("no transformation to '%.120s': %s"),
    N_("cannot normalise the axis order of '%.120s': %s"),
    /* the district's gis/ tables (ccn init) */
    N_("%s: cannot be read"),
    N_("%s: larger than 16 MB: not a district file"),
    N_("%s: line %d: %s '%s' is longer than 32 characters"),
    N_("%s: line %d: %s '%s' may hold only letters A-Z, digits, '-' and '_'"),
    N_("%s: line %d: %s '%s' is a key ccn keeps itself"),
    N_("%s: line %d: %s '%s' is not a number"),
    N_("%s: line %d: %s '%s' must be more than 0"),
    N_("%s: line %d: %s '%s' must not be negative"),
    N_("%s: line %d: %s '%s' must be a percentage from 0 to 100"),
    N_("%s: line %d: %s '%s' must be 0 or 1"),
    N_("%s: line %d: %s '%s' is not a colour #RRGGBB"),
    /* what the system says (strerror) when glibc has no Vietnamese of its own */
    N_("No such file or directory"),
    N_("Permission denied"),
    N_("Is a directory"),
    N_("Not a directory"),
    N_("File exists"),
    N_("No space left on device"),
    N_("Read-only file system"),
};

enum { MAX_CAPTURES = 16 };

/* Length of the conversion at p ("%s", "%.0f", "%zu" …); 0 for "%%". */
static size_t conversion(const char *p, bool *drops)
{
    size_t i = 1;
    if (p[1] == '%')
        return 0;
    while (p[i] && strchr("-+ #0123456789.*", p[i]))
        i++;
    while (p[i] && strchr("hlLqjzt", p[i]))
        i++;
    if (drops)
        *drops = !strncmp(p, "%.0s", 4);
    return p[i] ? i + 1 : i;
}

/* Where a match already failed: conversion k of the pattern tried from
 * offset t of the text (whether the rest matches does not depend on what
 * came before). Without it, conversions side by side ("feature %lld%s%s%s")
 * tried every split of a long message: minutes for one line. Stamped with
 * the attempt's number, so nothing is cleared between patterns. */
enum { MEMO_TEXT = 4096 };
static struct {
    const char *text; /* the message being matched */
    uint32_t attempt;
    uint32_t failed[MAX_CAPTURES][MEMO_TEXT];
} memo;

/* Where the number a conversion printed at text ends: an integer's digits
 * (%d, %lld, %zu, %u), a real's digits, point and exponent (%f, %g, %e) or
 * inf or nan, each with a sign; text itself when there is none. */
static const char *number_end(const char *text, char type)
{
    const char *start = text + (*text == '-'), *e = start;
    bool real = strchr("fFgGeE", type) != NULL;
    if (real && (!strncmp(e, "inf", 3) || !strncmp(e, "nan", 3)))
        return e + 3;
    while (isdigit((unsigned char)*e) || (real && *e == '.'))
        e++;
    if (real && e > start && (*e == 'e' || *e == 'E')) {
        const char *x = e + 1 + (e[1] == '-' || e[1] == '+');
        if (isdigit((unsigned char)*x)) {
            while (isdigit((unsigned char)*x))
                x++;
            e = x;
        }
    }
    return e == start ? text : e;
}

/* Match text against pattern; each conversion takes the shortest text that
 * lets the rest match, a number's (%d, %lld, %zu, %.3f, %g) only a number,
 * the longest first: in "sheet %lld, parcel %lld%s" the second number is not
 * cut short to leave its digits to the %s after it, and in "…: %s; %.3f m² in
 * all" a list of several "; "-separated items is not cut at its first item,
 * the rest of it taken for the figure. */
static bool match_from(const char *pat, const char *text, const char *cap[][2], int ncap)
{
    for (; *pat; pat++, text++) {
        if (*pat == '%') {
            size_t n = conversion(pat, NULL);
            if (n == 0) { /* "%%" */
                if (*text != '%')
                    return false;
                pat++;
                continue;
            }
            if (ncap >= MAX_CAPTURES)
                return false;
            size_t t = (size_t)(text - memo.text);
            uint32_t *seen = t < MEMO_TEXT ? &memo.failed[ncap][t] : NULL;
            if (seen && *seen == memo.attempt)
                return false;
            if (pat[n - 1] && strchr("diufFgGeE", pat[n - 1])) {
                for (const char *end = number_end(text, pat[n - 1]); end > text && end[-1] != '-';
                     end--) {
                    cap[ncap][0] = text, cap[ncap][1] = end;
                    if (match_from(pat + n, end, cap, ncap + 1))
                        return true;
                }
                if (seen)
                    *seen = memo.attempt;
                return false;
            }
            /* the rest can match only where its first byte is, if a literal one */
            char next = pat[n];
            for (const char *end = text;; end++) {
                if (next != '%' && !(end = strchr(end, next)))
                    break;
                cap[ncap][0] = text, cap[ncap][1] = end;
                if (match_from(pat + n, end, cap, ncap + 1))
                    return true;
                if (!*end)
                    break;
            }
            if (seen)
                *seen = memo.attempt;
            return false;
        }
        if (*pat != *text)
            return false;
    }
    return *text == '\0';
}

static bool match(const char *pat, const char *text, const char *cap[][2])
{
    if (++memo.attempt == 0) { /* wrapped: stamps of 2^32 attempts ago would look fresh */
        memset(memo.failed, 0, sizeof memo.failed);
        memo.attempt = 1;
    }
    memo.text = text;
    return match_from(pat, text, cap, 0);
}

/* How specific pattern p is: the text it starts with, then all its text of
 * its own (not conversions), as one number to compare. */
static size_t specificity(const char *p)
{
    size_t lead = strcspn(p, "%"), n = 0;
    while (*p) {
        size_t k = *p == '%' ? conversion(p, NULL) : 1;
        n += *p != '%' || k == 0;
        p += k ? k : 2;
    }
    return lead << 16 | n;
}

static int count_conversions(const char *p)
{
    int n = 0;
    for (; (p = strchr(p, '%')); p++) {
        size_t k = conversion(p, NULL);
        if (k == 0)
            p++;
        else
            n++;
    }
    return n;
}

/* ---- the table, ready to be tried ----
 * Built once, the first time a message is translated: each pattern the
 * catalogue translates (with as many conversions in its translation), most
 * specific first, with its literal pieces, the text between its conversions.
 * A message can match a pattern only if it starts with the first piece, ends
 * with the last and holds the others in order between them; and the patterns
 * are filed by the byte a message must start with (or else end with), so a
 * message meets only those of its first and last bytes and the few that fix
 * neither. Trying every pattern on every message, each looked up in the
 * catalogue again, made a register of 20,000 bad rows twice as slow in
 * Vietnamese as in English. */
enum { N_PATTERNS = sizeof library_messages / sizeof *library_messages };
typedef struct {
    const char *pattern, *translation;
    size_t specificity;
    size_t index; /* in library_messages: among patterns as specific, the first wins */
    int npieces;  /* 0: more than piece holds, every message is tried */
    size_t min_len; /* of a message it matches: its pieces' lengths */
    struct {
        unsigned short at, len; /* in pattern */
    } piece[MAX_CAPTURES + 1];
} candidate;
static candidate candidates[N_PATTERNS];
static size_t ncandidates;

/* A pattern's file: the byte it starts with, else the byte it ends with,
 * else none. */
enum { KEY_FIRST = 0, KEY_LAST = 256, KEY_NONE = 512, N_KEYS = 513 };
static uint16_t filed[N_PATTERNS];     /* numbers of candidates, by file, most specific first */
static uint16_t file_start[N_KEYS + 1]; /* file k is filed[file_start[k] .. file_start[k + 1]) */
static size_t file_min_len[N_KEYS];     /* of a message any pattern of file k matches */

static int more_specific_first(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->specificity != y->specificity)
        return x->specificity > y->specificity ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* c's pieces: the text before, between and after its conversions ("%%" ends
 * a piece too: its '%' is left out of both, which only lets more through). */
static void cut_pieces(candidate *c)
{
    const char *p = c->pattern, *start = p;
    enum { MAX_PIECES = sizeof c->piece / sizeof *c->piece };
    for (c->npieces = 0, c->min_len = 0;; p++) {
        if (*p && *p != '%')
            continue;
        if (c->npieces == MAX_PIECES) {
            c->npieces = 0, c->min_len = 0;
            return;
        }
        c->piece[c->npieces].at = (unsigned short)(start - c->pattern);
        c->piece[c->npieces].len = (unsigned short)(p - start);
        c->min_len += (size_t)(p - start);
        c->npieces++;
        if (!*p)
            return;
        size_t k = conversion(p, NULL);
        p += k ? k - 1 : 1;
        start = p + 1;
    }
}

static size_t file_of(const candidate *c)
{
    if (c->npieces == 0)
        return KEY_NONE;
    size_t last_at = c->piece[c->npieces - 1].at, last = c->piece[c->npieces - 1].len;
    if (c->piece[0].len)
        return KEY_FIRST + (unsigned char)c->pattern[0];
    if (last)
        return KEY_LAST + (unsigned char)c->pattern[last_at + last - 1];
    return KEY_NONE;
}

static void build_candidates(void)
{
    for (size_t i = 0; i < N_PATTERNS; i++) {
        candidate *c = &candidates[ncandidates];
        c->pattern = library_messages[i];
        c->translation = gettext(c->pattern);
        c->specificity = specificity(c->pattern);
        c->index = i;
        cut_pieces(c);
        if (c->translation != c->pattern &&
            count_conversions(c->translation) == count_conversions(c->pattern))
            ncandidates++;
    }
    qsort(candidates, ncandidates, sizeof *candidates, more_specific_first);
    /* counted, then placed in order: each file most specific first */
    for (size_t i = 0; i < ncandidates; i++)
        file_start[file_of(&candidates[i]) + 1]++;
    for (size_t k = 0; k < N_KEYS; k++)
        file_start[k + 1] += file_start[k];
    uint16_t next[N_KEYS];
    memcpy(next, file_start, sizeof next);
    for (size_t k = 0; k < N_KEYS; k++)
        file_min_len[k] = SIZE_MAX;
    for (size_t i = 0; i < ncandidates; i++) {
        size_t k = file_of(&candidates[i]);
        filed[next[k]++] = (uint16_t)i;
        if (candidates[i].min_len < file_min_len[k])
            file_min_len[k] = candidates[i].min_len;
    }
}

/* Where the n bytes of piece first are in [from, to), NULL if nowhere (for
 * the short pieces and texts here, cheaper than memmem's set-up). */
static const char *find_piece(const char *from, const char *to, const char *piece, size_t n)
{
    if (n == 0)
        return from;
    for (; (size_t)(to - from) >= n; from++) {
        if (!(from = memchr(from, piece[0], (size_t)(to - from) - n + 1)))
            return NULL;
        if (!memcmp(from, piece, n))
            return from;
    }
    return NULL;
}

/* Could msg (len bytes) match c? Never false when it does. */
static bool could_match(const candidate *c, const char *msg, size_t len)
{
    if (c->npieces == 0)
        return true;
    const char *p = c->pattern;
    /* a pattern without conversions is one piece, its first (not also its last) */
    size_t first = c->piece[0].len, last = c->npieces > 1 ? c->piece[c->npieces - 1].len : 0;
    if (len < c->min_len || memcmp(msg, p, first) ||
        memcmp(msg + len - last, p + c->piece[c->npieces - 1].at, last))
        return false;
    const char *from = msg + first, *to = msg + len - last;
    for (int i = 1; i < c->npieces - 1; i++) {
        const char *at = find_piece(from, to, p + c->piece[i].at, c->piece[i].len);
        if (!at)
            return false;
        from = at + c->piece[i].len;
    }
    return true;
}

/* The most specific pattern msg matches (its values in cap), NULL if none:
 * the files of its first byte, of its last byte and of neither, taken
 * together most specific first (a file whose patterns all need a longer
 * message left out: a short value meets few). */
static const candidate *find_pattern(const char *msg, const char *cap[][2])
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_candidates);
    size_t len = strlen(msg), at[3], end[3];
    size_t file[3] = {KEY_FIRST + (unsigned char)msg[0],
                      KEY_LAST + (unsigned char)(len ? msg[len - 1] : 0), KEY_NONE};
    for (int j = 0; j < 3; j++) /* (no pattern starts or ends with the '\0' of "") */
        at[j] = file_start[file[j]],
        end[j] = len >= file_min_len[file[j]] ? file_start[file[j] + 1] : at[j];
    for (;;) {
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (at[j] < end[j] && (k < 0 || filed[at[j]] < filed[at[k]]))
                k = j;
        if (k < 0)
            return NULL;
        const candidate *c = &candidates[filed[at[k]++]];
        if (could_match(c, msg, len) && match(c->pattern, msg, cap))
            return c;
    }
}

/* gettext(msg), remembered for short texts: the values of the messages of a
 * long list repeat (a cluster's code, the registry's list of clusters), and
 * each look-up in the catalogue copies the text, takes a lock and searches a
 * tree. The catalogue and the language never change once set, so neither
 * does the answer. */
enum { SAID_SLOTS = 1024, SAID_TEXT = 48 };
static struct said {
    char text[SAID_TEXT]; /* "": the slot is empty (no message is) */
    const char *said;     /* its translation, NULL if it has none */
} said_memo[SAID_SLOTS];

static const char *catalogue_says(const char *msg)
{
    size_t n = strlen(msg);
    if (n >= SAID_TEXT)
        return gettext(msg);
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)msg[i]) * 16777619u;
    struct said *slot = &said_memo[h % SAID_SLOTS];
    if (!strcmp(slot->text, msg))
        return slot->said ? slot->said : msg;
    const char *said = gettext(msg);
    memcpy(slot->text, msg, n + 1);
    slot->said = said != msg ? said : NULL;
    return said;
}

enum { MAX_DEPTH = 4 }; /* a list inside a message inside a message, and its values */

static const char *translate(const char *msg, char *buf, size_t size, int depth);

/* A captured value into buf at *o, itself translated when it is a library
 * message, or a "; "-separated list of them (the reasons of an import's
 * refusal: "feature 3: cannot be stored: …; feature 7: …"). */
static void put_value(const char *from, const char *to, char *buf, size_t size, size_t *o,
                      int depth)
{
    size_t n = (size_t)(to - from);
    char *value = depth < MAX_DEPTH ? malloc(n + 1) : NULL;
    if (!value) {
        for (const char *c = from; c < to && *o + 1 < size; c++)
            buf[(*o)++] = *c;
        return;
    }
    memcpy(value, from, n);
    value[n] = '\0';
    for (char *item = value; item;) {
        char *next = strstr(item, "; ");
        if (next)
            *next = '\0';
        /* reworded in place, after what buf holds; else copied there */
        const char *t = translate(item, buf + *o, size - *o, depth + 1);
        if (t == buf + *o)
            *o += strlen(t);
        else
            for (const char *c = t; *c && *o + 1 < size; c++)
                buf[(*o)++] = *c;
        if (next)
            for (const char *c = "; "; *c && *o + 1 < size; c++)
                buf[(*o)++] = *c;
        item = next ? next + 2 : NULL;
    }
    free(value);
}

const char *cli_i18n_message(const char *msg, char *buf, size_t size)
{
    return translate(msg, buf, size, 0);
}

static const char *translate(const char *msg, char *buf, size_t size, int depth)
{
    if (!*msg) /* gettext("") is the catalogue's header */
        return msg;
    const char *exact = catalogue_says(msg);
    if (exact != msg)
        return exact;
    /* The most specific pattern that matches wins, whatever the order of the
     * table: the longest fixed start ("lease of %s/%s refused: %s" before
     * "%s '%s' is not a date: …", which would take the whole list of a
     * refused lease as its first value), then the most fixed text ("cannot
     * write '%s': the folder '%s' does not exist" before "cannot write '%s':
     * %s"). */
    const char *cap[MAX_CAPTURES][2];
    const candidate *found = find_pattern(msg, cap);
    if (found) {
        const char *tr = found->translation;
        size_t o = 0;
        int k = 0;
        for (const char *p = tr; *p && o + 1 < size; p++) {
            bool drops = false;
            size_t n = *p == '%' ? conversion(p, &drops) : 1;
            if (*p != '%') {
                buf[o++] = *p;
                continue;
            }
            if (n == 0) {
                buf[o++] = '%';
                p++;
                continue;
            }
            if (!drops)
                put_value(cap[k][0], cap[k][1], buf, size, &o, depth);
            k++;
            p += n - 1;
        }
        buf[o] = '\0';
        return buf;
    }
    return msg;
}
