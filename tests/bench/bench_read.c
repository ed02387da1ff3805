/* ccn-bench-read — the floor of an import: read every feature of a layer
 * through OGR, its geometry as WKB and every field as text, and nothing
 * else. Prints the features and bytes read. Run by tests/bench_import.sh.
 *   ccn-bench-read FILE [LAYER] */
#include <gdal.h>
#include <ogr_api.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: ccn-bench-read FILE [LAYER]\n");
        return 2;
    }
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(argv[1], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    OGRLayerH layer = !ds ? NULL
                      : argc > 2 ? GDALDatasetGetLayerByName(ds, argv[2])
                                 : GDALDatasetGetLayer(ds, 0);
    if (!layer) {
        fprintf(stderr, "ccn-bench-read: cannot read %s\n", argv[1]);
        return 2;
    }
    long long features = 0, bytes = 0;
    unsigned char *wkb = NULL;
    size_t cap = 0;
    OGRFeatureH f;
    while ((f = OGR_L_GetNextFeature(layer)) != NULL) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g) {
            size_t n = (size_t)OGR_G_WkbSize(g);
            if (n > cap) {
                cap = 2 * n;
                wkb = realloc(wkb, cap);
            }
            OGR_G_ExportToIsoWkb(g, wkbNDR, wkb);
            bytes += (long long)n;
        }
        for (int i = 0; i < OGR_F_GetFieldCount(f); i++)
            if (OGR_F_IsFieldSetAndNotNull(f, i))
                bytes += (long long)strlen(OGR_F_GetFieldAsString(f, i));
        OGR_F_Destroy(f);
        features++;
    }
    printf("%lld features, %lld bytes of WKB and fields\n", features, bytes);
    free(wkb);
    GDALClose(ds);
    return 0;
}
