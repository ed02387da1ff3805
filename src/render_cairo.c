/* render_cairo — cairo and pango opened on first use (see render_cairo.h). */
#define CCN_RENDER_CAIRO_IMPL
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "render_cairo.h"

#include <dlfcn.h>

#ifndef CCN_PANGOCAIRO_SONAME
#define CCN_PANGOCAIRO_SONAME "libpangocairo-1.0.so" /* the build names the exact one */
#endif
#ifndef CCN_PANGOCAIRO_PACKAGE
#define CCN_PANGOCAIRO_PACKAGE "libpangocairo-1.0-0"
#endif

ccn_cairo_api ccn_cairo;

static bool bind(void *h, const char **missing)
{
#define CCN_CAIRO_LOOKUP(name) CCN_DYNLIB_LOOKUP(ccn_cairo, name)
    CCN_CAIRO_FUNCTIONS(CCN_CAIRO_LOOKUP)
#undef CCN_CAIRO_LOOKUP
    return true;
}

static ccn_dynlib lib = {CCN_PANGOCAIRO_SONAME, CCN_PANGOCAIRO_PACKAGE, bind};

bool ccn_cairo_load(const char **why) { return ccn_dynlib_open(&lib, why); }
