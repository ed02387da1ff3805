/* webasset — the files of the web page, compiled into the library.
 *
 * The build (cmake/web.cmake) turns web/index.html, app.js, style.css and
 * Leaflet's dist/ files into byte arrays, so `ccn publish` needs nothing but
 * the binary at run time. Each asset is named by its path inside the
 * published folder ("index.html", "leaflet/images/layers.png").
 *
 * Ownership: static data, read only. */
#ifndef CCN_WEBASSET_H
#define CCN_WEBASSET_H

#include <stddef.h>

typedef struct {
    const char *path;          /* relative path in the output folder */
    const unsigned char *data; /* size bytes, then a NUL */
    size_t size;
} ccn_webasset;

extern const ccn_webasset ccn_webassets[];
extern const size_t ccn_webasset_count;

#endif
