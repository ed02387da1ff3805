/* crs_proj — PROJ opened on first use (see crs_proj.h). */
#define CCN_CRS_PROJ_IMPL
#include <geodesic.h>
#include <proj.h>

#include "dynlib.h"
#include "crs_proj.h"

#include <dlfcn.h>

#ifndef CCN_PROJ_SONAME
#define CCN_PROJ_SONAME "libproj.so" /* the build names the exact one it compiled against */
#endif
#ifndef CCN_PROJ_PACKAGE
#define CCN_PROJ_PACKAGE "libproj25"
#endif

ccn_proj_api ccn_proj;

static bool bind(void *h, const char **missing)
{
#define CCN_PROJ_LOOKUP(name) CCN_DYNLIB_LOOKUP(ccn_proj, name)
    CCN_PROJ_FUNCTIONS(CCN_PROJ_LOOKUP)
#undef CCN_PROJ_LOOKUP
    return true;
}

static ccn_dynlib lib = {CCN_PROJ_SONAME, CCN_PROJ_PACKAGE, bind};

bool ccn_proj_load(const char **why) { return ccn_dynlib_open(&lib, why); }
