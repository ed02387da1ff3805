/* store_spatialite — SpatiaLite on demand, AsBinary natively (see the header). */
#include "store_spatialite.h"

#include <spatialite.h> /* after sqlite3.h, which it needs */
#include <spatialite/gaiageo.h>

#include "dynlib.h"

#include <dlfcn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifndef CCN_SPATIALITE_SONAME
#define CCN_SPATIALITE_SONAME "libspatialite.so" /* the build names the exact one */
#endif
#ifndef CCN_SPATIALITE_PACKAGE
#define CCN_SPATIALITE_PACKAGE "libspatialite7"
#endif

#define CCN_SPATIALITE_FUNCTIONS(X)                                                             \
    X(spatialite_alloc_connection)                                                              \
    X(spatialite_init_ex)                                                                       \
    X(spatialite_cleanup_ex)                                                                    \
    X(gaiaFromSpatiaLiteBlobWkb)                                                                \
    X(gaiaToWkb)                                                                                \
    X(gaiaFreeGeomColl)

static struct {
    CCN_SPATIALITE_FUNCTIONS(CCN_DYNLIB_POINTER)
} api;

static bool bind(void *h, const char **missing)
{
#define CCN_SPATIALITE_LOOKUP(name) CCN_DYNLIB_LOOKUP(api, name)
    CCN_SPATIALITE_FUNCTIONS(CCN_SPATIALITE_LOOKUP)
#undef CCN_SPATIALITE_LOOKUP
    return true;
}

static ccn_dynlib lib = {CCN_SPATIALITE_SONAME, CCN_SPATIALITE_PACKAGE, bind};

bool ccn_spatialite_connect(sqlite3 *db, void **cache, const char **why)
{
    *cache = NULL;
    if (!ccn_dynlib_open(&lib, why))
        return false;
    if (!(*cache = api.spatialite_alloc_connection())) {
        *why = "out of memory";
        return false;
    }
    api.spatialite_init_ex(db, *cache, 0);
    return true;
}

void ccn_spatialite_disconnect(void *cache)
{
    if (cache)
        api.spatialite_cleanup_ex(cache);
}

/* SpatiaLite's blob ("BLOB-Geometry" in its documentation): 0x00, the byte
 * order, the SRID, the MBR (4 doubles), 0x7C, the class type, the body, 0xFE;
 * inside a collection every element starts with 0x69 and its class type.
 * The WKB SpatiaLite writes for it is the same body with a byte-order mark
 * (0x01) first and in place of each 0x69. */
enum { BLOB_HEADER = 39, BLOB_LE = 0x01, BLOB_MBR_END = 0x7C, BLOB_ENTITY = 0x69, BLOB_END = 0xFE };

typedef struct {
    unsigned char *p, *end; /* the WKB being checked and marked, in place */
} walk;

static bool u32(walk *w, uint32_t *v)
{
    if (w->end - w->p < 4)
        return false;
    memcpy(v, w->p, 4);
    w->p += 4;
    return true;
}

static bool points(walk *w)
{
    uint32_t n;
    if (!u32(w, &n) || (size_t)(w->end - w->p) / 16 < n)
        return false;
    w->p += (size_t)n * 16;
    return true;
}

/* The body of an XY point, line or polygon at w->p. */
static bool simple(walk *w, uint32_t type)
{
    uint32_t rings;
    switch (type) {
    case 1:
        if (w->end - w->p < 16)
            return false;
        w->p += 16;
        return true;
    case 2:
        return points(w);
    case 3:
        if (!u32(w, &rings))
            return false;
        for (uint32_t r = 0; r < rings; r++)
            if (!points(w))
                return false;
        return true;
    default:
        return false;
    }
}

/* The WKB of an XY little-endian blob, malloc'd into *out; false for any
 * other blob (SpatiaLite's own code reads those). */
static bool fast_wkb(const unsigned char *blob, size_t n, unsigned char **out, size_t *len)
{
    uint32_t type;
    if (n < BLOB_HEADER + 5 || blob[0] != 0x00 || blob[1] != BLOB_LE ||
        blob[38] != BLOB_MBR_END || blob[n - 1] != BLOB_END)
        return false;
    memcpy(&type, blob + BLOB_HEADER, 4);
    if (type < 1 || type > 7)
        return false;
    unsigned char *wkb = malloc(n - BLOB_HEADER);
    if (!wkb)
        return false;
    wkb[0] = BLOB_LE;
    memcpy(wkb + 1, blob + BLOB_HEADER, n - BLOB_HEADER - 1);
    walk w = {wkb + 5, wkb + (n - BLOB_HEADER)};
    bool ok = true;
    if (type <= 3) {
        ok = simple(&w, type);
    } else {
        uint32_t parts, part;
        ok = u32(&w, &parts);
        for (uint32_t i = 0; ok && i < parts; i++) {
            ok = w.p < w.end && *w.p == BLOB_ENTITY;
            if (ok) {
                *w.p++ = BLOB_LE;
                ok = u32(&w, &part) && (type == 7 ? part >= 1 && part <= 3 : part == type - 3) &&
                     simple(&w, part);
            }
        }
    }
    if (!ok || w.p != w.end) {
        free(wkb);
        return false;
    }
    *out = wkb;
    *len = n - BLOB_HEADER;
    return true;
}

/* AsBinary(geom): NULL for anything that is not a geometry blob, as in SpatiaLite. */
static void as_binary(sqlite3_context *c, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) != SQLITE_BLOB) {
        sqlite3_result_null(c);
        return;
    }
    const unsigned char *blob = sqlite3_value_blob(argv[0]);
    size_t n = (size_t)sqlite3_value_bytes(argv[0]);
    unsigned char *wkb = NULL;
    size_t len = 0;
    if (fast_wkb(blob, n, &wkb, &len)) {
        sqlite3_result_blob64(c, wkb, len, free);
        return;
    }
    const char *why = NULL;
    if (!ccn_dynlib_open(&lib, &why)) {
        sqlite3_result_error(c, why, -1);
        return;
    }
    gaiaGeomCollPtr g = api.gaiaFromSpatiaLiteBlobWkb(blob, (unsigned int)n);
    unsigned char *out = NULL;
    int size = 0;
    if (g)
        api.gaiaToWkb(g, &out, &size);
    if (out)
        sqlite3_result_blob(c, out, size, free);
    else
        sqlite3_result_null(c);
    if (g)
        api.gaiaFreeGeomColl(g);
}

void ccn_spatialite_register_wkb(sqlite3 *db)
{
    static const char *const names[] = {"AsBinary", "ST_AsBinary"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        sqlite3_create_function(db, names[i], 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                as_binary, NULL, NULL);
}
