/* test_qgis — the pieces under `ccn qgis`: the XML writer escapes outside
 * text; a layer's QML carries the palette's colours as QGIS writes them
 * (#D7301F = 215,48,31); a district's own palette changes the styles; the
 * lots view is registered as a spatial view; prefix finds the district
 * named by CCN_DISTRICT. */
#include "check.h"
#include "district.h"
#include "prefix.h"
#include "qgisstyle.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();

    /* Escaping: every special character of XML, control bytes dropped. */
    ccn_xml *x = ccn_xml_new();
    ccn_xml_raw(x, "<a n=\"%d\">", 5);
    ccn_xml_attrf(x, "<b v=\"%s\">%s</b>", "a\"b'c", "x<y & z>\x01w");
    ccn_xml_text(x, "Đồng Thắng\n");
    char *s = ccn_xml_take(x);
    CHECK_STR(s, "<a n=\"5\"><b v=\"a&quot;b&apos;c\">x&lt;y &amp; z&gt;w</b>Đồng Thắng&#10;");
    free(s);

    char dir[] = "/tmp/ccn_test_qgis_XXXXXX", path[512], gis[600];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/ws.sqlite", dir);
    ccn_store *store = NULL;
    CHECK(ccn_store_create(ctx, path, 5897, false, &store) == CCN_OK);
    CHECK(ccn_store_begin(store) == CCN_OK);
    CHECK(ccn_district_load(store, "gis") == CCN_OK);
    CHECK(ccn_qgisstyle_install(store) == CCN_OK);
    CHECK(ccn_store_commit(store) == CCN_OK);

    /* The lots view's style: leased #D7301F, vacant #FDD49E (gis/palette.csv). */
    char *qml = NULL;
    CHECK(ccn_qgisstyle_qml(store, CCN_QGIS_LOTS_VIEW, &qml) == CCN_OK);
    CHECK(qml && strstr(qml, "type=\"categorizedSymbol\""));
    CHECK(qml && strstr(qml, "value=\"215,48,31,255\""));
    CHECK(qml && strstr(qml, "value=\"253,212,158,255\""));
    CHECK(qml && strstr(qml, "fieldName=\"lot_no\""));
    free(qml);
    /* Clusters: no fill, the boundary #54278F 0.7 mm. */
    CHECK(ccn_qgisstyle_qml(store, "clusters", &qml) == CCN_OK);
    CHECK(qml && strstr(qml, "name=\"outline_color\" value=\"84,39,143,255\""));
    CHECK(qml && strstr(qml, "name=\"style\" value=\"no\""));
    CHECK(qml && strstr(qml, "name=\"outline_width\" value=\"0.7\""));
    free(qml);
    CHECK(ccn_qgisstyle_qml(store, "nothing", &qml) == CCN_ERR_INPUT);
    CHECK(qml == NULL);
    CHECK(ccn_store_count(store, "layer_styles") == (int64_t)ccn_qgis_nlayers);

    /* The view is a registered spatial view of lots. */
    ccn_stmt *q = NULL;
    CHECK(ccn_stmt_prepare(store, "SELECT f_table_name, view_rowid FROM views_geometry_columns"
                                  " WHERE view_name = 'lots_status'", &q) == CCN_OK);
    CHECK(ccn_stmt_step(q) == 1);
    CHECK_STR(ccn_stmt_text(q, 0), "lots");
    CHECK_STR(ccn_stmt_text(q, 1), "fid");
    ccn_stmt_free(q);

    /* A district's own colour reaches the style after a refresh. */
    CHECK(ccn_store_exec(store, "UPDATE palette SET color = '#010203' WHERE key = 'lot.leased'") == CCN_OK);
    CHECK(ccn_store_begin(store) == CCN_OK);
    CHECK(ccn_qgisstyle_install(store) == CCN_OK);
    CHECK(ccn_store_commit(store) == CCN_OK);
    CHECK(ccn_stmt_prepare(store, "SELECT styleQML FROM layer_styles WHERE f_table_name = ?"
                                  " AND styleName = 'ccn'", &q) == CCN_OK);
    ccn_stmt_bind_text(q, 1, CCN_QGIS_LOTS_VIEW);
    CHECK(ccn_stmt_step(q) == 1);
    CHECK(ccn_stmt_text(q, 0) && strstr(ccn_stmt_text(q, 0), "value=\"1,2,3,255\""));
    ccn_stmt_free(q);
    ccn_store_close(store);

    /* prefix: CCN_DISTRICT wins when --district is not given. */
    char *found = NULL;
    snprintf(gis, sizeof gis, "%s/elsewhere", dir);
    setenv(CCN_DISTRICT_ENV, gis, 1);
    CHECK(ccn_prefix_district_dir(ctx, NULL, &found) == CCN_OK);
    CHECK_STR(found, gis);
    free(found);
    CHECK(ccn_prefix_district_dir(ctx, "given", &found) == CCN_OK);
    CHECK_STR(found, "given");
    free(found);
    unsetenv(CCN_DISTRICT_ENV);

    unlink(path);
    rmdir(dir);
    ccn_ctx_free(ctx);
    return check_summary();
}
