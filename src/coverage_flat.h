/* coverage_flat — the polygons of a coverage check as flat coordinate arrays,
 * and a grid of their envelopes that gives each polygon its neighbours; the
 * input every other part of the check reads (coverage.h says what the check
 * finds and how).
 *
 * The polygons are first copied into flat coordinate arrays (parts, rings,
 * points; shells counter-clockwise and holes clockwise, so the polygon is on
 * the left of every edge), because the hot loops of the check run millions of
 * times and a GEOS accessor call per coordinate would dominate them. */
#ifndef CCN_COVERAGE_FLAT_H
#define CCN_COVERAGE_FLAT_H

#include "coverage.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    size_t n;             /* polygons */
    size_t *poly_part;    /* n+1: first part of each polygon */
    size_t *part_ring;    /* nparts+1: first ring of each part (the shell) */
    size_t *ring_pt;      /* nrings: first point of the ring */
    uint32_t *ring_n;     /* nrings: points, without the closing one; 0 = degenerate */
    double *xy;           /* interleaved points */
    double *part_env;     /* 4 per part: xmin, ymin, xmax, ymax */
    double *poly_env;     /* 4 per polygon */
    uint8_t *convex;      /* per part: a convex shell without holes */
    uint8_t *shell_cw;    /* per part: its shell stored clockwise (reversed here) */
    size_t *part_tri;     /* per part: first triangle (ear clipping) */
    uint32_t *part_ntri;  /* per part: triangles, 0 if none */
    uint32_t *tri;        /* 3 point indices (relative to the shell) per triangle */
    double *area, *perim; /* per polygon, m² and m */
} flat;

/* The cells an item lies in, as an inclusive rectangle (first column, first
 * row, last column, last row); false leaves the item out. */
typedef bool (*item_cells_fn)(const void *arg, size_t item, size_t cells[4]);

/* Boxes (the polygons' envelopes, the faces') on a grid, instead of a GEOS
 * STRtree, which holds a GEOS geometry per box: cell c lists the boxes
 * that meet it, list[first[c] .. first[c + 1]). */
typedef struct {
    double x0, y0, cw, ch;
    size_t nx, ny;
    size_t *first;
    uint32_t *list;
    const double *env;  /* the boxes: 4 numbers each (xmin, ymin, xmax, ymax) */
} poly_grid;

static inline const GEOSGeometry *part_of(GEOSContextHandle_t h, const GEOSGeometry *g, int k)
{
    return GEOSGeomTypeId_r(h, g) == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, k);
}

static inline bool env_meet(const double *a, const double *b)
{
    return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

void ccn_coverage_flat_free(flat *f);

/* Polygon i as a GEOS geometry: the caller's, or made from its WKB (then
 * *owned is set, for the caller to destroy). NULL when absent or unreadable. */
const GEOSGeometry *ccn_coverage_poly_geom(ccn_ctx *ctx, const ccn_coverage_input *in, size_t i,
                                           GEOSGeometry **owned);

ccn_status ccn_coverage_flat_build(ccn_ctx *ctx, const ccn_coverage_input *in, flat *f);

/* Counting sort of n items into the cells of a grid nx cells wide (ncell in
 * all), each item listed in every cell of its rectangle: cell c lists
 * list[first[c] .. first[c + 1]), in item order (filled from each cell's end
 * down, the items taken from the last: no fill counters to allocate). false
 * when out of memory or for 2^32 items or more; *first and *list are the
 * caller's to free either way. */
bool ccn_coverage_cell_lists_build(size_t nx, size_t ncell, size_t n, item_cells_fn cells,
                                   const void *arg, size_t **first, uint32_t **list);

/* About two boxes per cell; a box is listed in every cell it meets. Boxes
 * that are not (no envelope: a polygon without parts) are left out. false
 * when out of memory (g is freed with poly_grid_free either way). */
bool ccn_coverage_box_grid_build(poly_grid *g, const double *env, size_t n);

void ccn_coverage_poly_grid_free(poly_grid *g);

/* The boxes that meet box b (closed), into *out (n, cap): each once, from
 * the cell holding the lower left corner of the two boxes' intersection.
 * false when out of memory. */
bool ccn_coverage_box_grid_query(const poly_grid *g, const double *b, size_t **out, size_t *n,
                                 size_t *cap);

/* Is (x, y) inside polygon j (crossing number over the rings of each part)? */
bool ccn_coverage_flat_contains(const flat *f, size_t j, double x, double y);

#endif
