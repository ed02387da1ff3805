/* normalise — repeated vertices out, rings closed, validity counted. */
#include "normalise.h"

#include "grow.h"

#include <stdlib.h>

/* The ring's coordinates (*m stored), repeats removed and closed, in *xy (n
 * points); how many repeats went and whether it was closed. False on
 * failure. */
static bool clean_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, double **xy, size_t *cap,
                       unsigned *m_out, unsigned *n, int64_t *repeats, bool *closed)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned m = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &m) ||
        !ccn_grow((void **)xy, cap, 2 * (size_t)m + 2, sizeof **xy) ||
        (m && !GEOSCoordSeq_copyToBuffer_r(h, seq, *xy, 0, 0)))
        return false;
    double *v = *xy;
    unsigned k = 0;
    *repeats = 0;
    *closed = false;
    for (unsigned i = 0; i < m; i++) {
        if (k && v[2 * i] == v[2 * (k - 1)] && v[2 * i + 1] == v[2 * (k - 1) + 1]) {
            ++*repeats;
            continue;
        }
        v[2 * k] = v[2 * i];
        v[2 * k + 1] = v[2 * i + 1];
        k++;
    }
    if (k >= 2 && (v[0] != v[2 * (k - 1)] || v[1] != v[2 * (k - 1) + 1])) {
        v[2 * k] = v[0]; /* open (GEOS does not build one, but a transform may round) */
        v[2 * k + 1] = v[1];
        k++;
        *closed = true;
    }
    *n = k;
    *m_out = m;
    return true;
}

static GEOSGeometry *ring_from(GEOSContextHandle_t h, const double *xy, unsigned n)
{
    GEOSCoordSequence *s = GEOSCoordSeq_copyFromBuffer_r(h, xy, n, 0, 0);
    return s ? GEOSGeom_createLinearRing_r(h, s) : NULL;
}

/* Polygon part (from 1) normalised into *out (NULL when unchanged), its
 * first short ring into *sr unless one is there; false on failure. */
static bool polygon(GEOSContextHandle_t h, const GEOSGeometry *p, unsigned part,
                    GEOSGeometry **out, ccn_normalise_counts *c, ccn_short_ring *sr, double **xy,
                    size_t *cap)
{
    *out = NULL;
    int holes = GEOSGetNumInteriorRings_r(h, p);
    if (holes < 0)
        return false;
    GEOSGeometry **rings = calloc((size_t)holes + 1, sizeof *rings);
    bool ok = rings != NULL, changed = false;
    for (int r = 0; ok && r <= holes; r++) {
        const GEOSGeometry *ring = r ? GEOSGetInteriorRingN_r(h, p, r - 1) : GEOSGetExteriorRing_r(h, p);
        unsigned m = 0, n = 0;
        int64_t repeats = 0;
        bool closed = false;
        ok = ring && clean_ring(h, ring, xy, cap, &m, &n, &repeats, &closed);
        if (ok && (repeats || closed) && n >= 4) { /* else it stays: no area either way */
            c->repeats += repeats;
            c->closed += closed;
            changed = true;
            ok = (rings[r] = ring_from(h, *xy, n)) != NULL;
        } else if (ok) {
            ok = (rings[r] = GEOSGeom_clone_r(h, ring)) != NULL;
            /* stored as it is: too short; an empty hole too (GDAL reads a GeoJSON
             * ring [] as one), which SpatiaLite cannot measure and PostGIS refuses.
             * An empty shell is an empty part, the caller's to judge. */
            if (((m >= 1 && m <= 3) || (m == 0 && r > 0)) && !sr->ring)
                *sr = (ccn_short_ring){part, (unsigned)r + 1, m};
        }
    }
    if (ok && changed) {
        *out = GEOSGeom_createPolygon_r(h, rings[0], rings + 1, (unsigned)holes);
        ok = *out != NULL;
        if (ok)
            holes = -1; /* the polygon owns the rings now */
    }
    for (int r = 0; rings && r <= holes; r++)
        if (rings[r])
            GEOSGeom_destroy_r(h, rings[r]);
    free(rings);
    return ok;
}

GEOSGeometry *ccn_normalise_polygon(ccn_ctx *ctx, const GEOSGeometry *g, ccn_normalise_counts *c,
                                    ccn_short_ring *short_ring, bool *failed)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    *failed = false;
    *short_ring = (ccn_short_ring){0};
    int type = GEOSGeomTypeId_r(h, g);
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        return NULL;
    int parts = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **polys = calloc(parts > 0 ? (size_t)parts : 1, sizeof *polys), *out = NULL;
    double *xy = NULL;
    size_t cap = 0;
    bool ok = polys != NULL && parts >= 0, changed = false;
    for (int i = 0; ok && i < parts; i++) {
        const GEOSGeometry *p = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        ok = p && polygon(h, p, (unsigned)i + 1, &polys[i], c, short_ring, &xy, &cap);
        changed |= polys[i] != NULL;
    }
    if (ok && changed) {
        for (int i = 0; ok && i < parts; i++) /* the unchanged parts, copied */
            if (!polys[i])
                ok = (polys[i] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, g, i))) != NULL;
        if (ok) {
            out = type == GEOS_POLYGON ? polys[0]
                                       : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys,
                                                                     (unsigned)parts);
            ok = out != NULL;
        }
        if (ok) {
            parts = 0; /* out owns them */
            GEOSSetSRID_r(h, out, GEOSGetSRID_r(h, g));
            c->features++;
        }
    }
    for (int i = 0; polys && i < parts; i++)
        if (polys[i])
            GEOSGeom_destroy_r(h, polys[i]);
    free(polys);
    free(xy);
    if (ok) { /* validity of what will be stored; small parcels proven valid cheaply */
        const GEOSGeometry *stored = out ? out : g;
        char v = ccn_rings_certainly_valid(h, stored, &c->scratch) ? 1 : GEOSisValid_r(h, stored);
        ok = v != 2;
        c->invalid += v == 0;
    }
    if (!ok) {
        if (out)
            GEOSGeom_destroy_r(h, out);
        out = NULL;
        *failed = true;
        ccn_error(ctx, CCN_ERR_INTERNAL, "cannot normalise a polygon: %s",
                  *ccn_ctx_geos_message(ctx) ? ccn_ctx_geos_message(ctx) : "out of memory");
    }
    return out;
}

void ccn_normalise_counts_free(ccn_normalise_counts *c)
{
    ccn_rings_free(&c->scratch);
}
