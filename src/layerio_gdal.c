/* layerio_gdal — GDAL opened on first use (see layerio_gdal.h). */
#define CCN_LAYERIO_GDAL_IMPL
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "layerio_gdal.h"

#include <dlfcn.h>
#include <pthread.h>

#ifndef CCN_GDAL_SONAME
#define CCN_GDAL_SONAME "libgdal.so" /* the build names the exact one it compiled against */
#endif

ccn_gdal_api ccn_gdal;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static const char *failure; /* NULL once loaded */

static void load(void)
{
    /* RTLD_GLOBAL: GDAL's drivers are plugins that look GDAL's symbols up. */
    void *lib = dlopen(CCN_GDAL_SONAME, RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        failure = "cannot load GDAL (" CCN_GDAL_SONAME "; Debian package libgdal32)";
        return;
    }
#define CCN_GDAL_LOOKUP(name)                                                                   \
    if (!(ccn_gdal.name = (__typeof__(name) *)dlsym(lib, #name))) {                             \
        failure = "GDAL lacks " #name " (" CCN_GDAL_SONAME ")";                                 \
        return;                                                                                 \
    }
    CCN_GDAL_FUNCTIONS(CCN_GDAL_LOOKUP)
#undef CCN_GDAL_LOOKUP
    ccn_gdal.GDALAllRegister();
    /* Arcs (a DXF bulge or CIRCLE, a GeoPackage's CURVEPOLYGON) are cut into
     * chords of at most this many degrees. GDAL's 4° leave each chord up to
     * R x 6.1e-4 inside the arc (3 cm on a 50 m radius, 30 cm on 500 m), past
     * the 5 cm edge tolerance; 0.5° leave R x 9.5e-6 (1 cm at R = 1 km) and a
     * circle's area short by 1.3e-5 of it instead of 8.1e-4. Unless the user
     * set OGR_ARC_STEPSIZE. */
    if (!ccn_gdal.CPLGetConfigOption("OGR_ARC_STEPSIZE", NULL))
        ccn_gdal.CPLSetConfigOption("OGR_ARC_STEPSIZE", "0.5");
    /* lib stays open until the process ends, as a linked GDAL would. */
}

bool ccn_gdal_load(const char **why)
{
    pthread_once(&once, load);
    *why = failure;
    return failure == NULL;
}
