/* coverage_noder — the tiled noder of the union's boundary (see coverage_noder.h). */
#include "coverage_noder.h"
#include "coverage_run.h"

#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Noding the union's boundary. GEOS nodes the few thousand pieces a clean
 * coverage leaves at once, but its cost grows faster than the pieces, and
 * parcels that disagree by more than the snap on every edge leave hundreds
 * of thousands. So the pieces are cut at the lines of a grid of tiles, each
 * of some TILE_PIECES, and each tile is noded on its own core: a piece then
 * lies in one tile, and meets only pieces of that tile (on its border, the
 * same pieces from either side, so the same nodes). */
enum { TILE_PIECES = 16384, MAX_TILES_PER_SIDE = 30 };
/* Grid lines fall at odd fractions of the extent, never on round
 * coordinates, where data drawn on a round grid might run along them. */
#define GRID_SHIFT 0.41421356

/* A noded segment's labels (seg's dir, pl and pr), kept once its
 * coordinates are let go. */
typedef struct {
    int32_t dir;
    uint32_t pl, pr;
} seg_labels;

typedef struct {
    seg *in, *out;        /* the tile's pieces; its noded segments (until tile_graph) */
    size_t nin, capin, nout, capout;
    /* Its share of the planar graph (tile_graph), numbered within the tile
     * in order of first appearance, then given the graph's ids. */
    double box[4];        /* the noded segments' extent */
    uint32_t *end_v;      /* per segment end (2k, 2k + 1): its vertex */
    uint32_t *seg_e;      /* per segment: its edge; NO_EDGE when both ends are one vertex */
    seg_labels *lab;      /* per segment: its labels */
    double *vxy;          /* per vertex: its point */
    uint32_t *v_gid;      /* per vertex: its id in the graph */
    uint8_t *v_shared;    /* per vertex: inside another tile's box, so maybe its too */
    uint32_t *e_first;    /* per edge: the first segment along it */
    uint32_t *e_gid;      /* per edge: its id in the graph (below e0: an earlier tile's) */
    size_t nv, ne;
    size_t v0, e0;        /* the graph ids of the tile's own vertices and edges start here */
    uint32_t *later;      /* the segments along an earlier tile's edge */
    size_t nlater;
    bool by_geos;         /* noded by GEOS */
} tile_t;

#define NO_EDGE UINT32_MAX

/* How far a noded segment may lie from the piece it came from: the noder
 * computes crossings to within a few units in the last place of the
 * coordinates, and its snapping fallback moves vertices by about 1e-12 of
 * their magnitude (2e-6 m at VN-2000 northings). */
#define LABEL_EPS 2e-7

/* Room for exactly need elements when there is less (need known beforehand). */
static bool reserve_array(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    void *p = realloc(*arr, need * size);
    if (!p)
        return false;
    *arr = p;
    *cap = need;
    return true;
}

/* The first slot of edge (u, v), u < v, in a table of cap slots. */
static size_t edge_slot(size_t u, size_t v, size_t cap)
{
    return (size_t)(hash_bits((double)u, (double)v) & (cap - 1));
}

/* Is the noded segment (a, b) part of piece p (both ends on it)? */
static bool on_piece(const seg *p, double ax, double ay, double bx, double by)
{
    double dx = p->x2 - p->x1, dy = p->y2 - p->y1, l2 = dx * dx + dy * dy;
    if (l2 == 0)
        return false;
    double l = sqrt(l2), e = LABEL_EPS;
    for (int k = 0; k < 2; k++) {
        double x = k ? bx : ax, y = k ? by : ay;
        double t = ((x - p->x1) * dx + (y - p->y1) * dy) / l2;
        if (t * l < -e || (t - 1) * l > e || fabs((x - p->x1) * dy - (y - p->y1) * dx) > e * l)
            return false;
    }
    return true;
}

/* A grid over a tile's pieces, each listed in every cell its box, widened
 * by a margin, meets: cell c holds list[first[c] .. first[c + 1]). Cells
 * are found by clamping to the grid, so a query outside it lands on an edge
 * cell. */
typedef struct {
    double x0, y0, cw, ch;
    size_t side;
    size_t *first;
    uint32_t *list;
    const seg *in;  /* the pieces */
    double margin;  /* each listed in the cells its box grown by this meets */
    uint16_t (*cells)[4]; /* per piece: its cells (first column and row, last ones) */
} piece_grid;

/* fmin and fmax, inlined, for the noder's loops (a library call each was
 * 2.5 % of the noisy check); the same for numbers that are not NaN, and
 * for a NaN as b. */
static inline double lo2(double a, double b) { return b < a ? b : a; }
static inline double hi2(double a, double b) { return b > a ? b : a; }

static size_t grid_col(const piece_grid *g, double x)
{
    return (size_t)lo2((double)g->side - 1, hi2(0, floor((x - g->x0) / g->cw)));
}

static size_t grid_row(const piece_grid *g, double y)
{
    return (size_t)lo2((double)g->side - 1, hi2(0, floor((y - g->y0) / g->ch)));
}

static void piece_grid_free(piece_grid *g)
{
    free(g->first);
    free(g->list);
    free(g->cells);
}

/* A piece's cells, as piece_grid_build found them. */
static bool piece_cells(const void *arg, size_t k, size_t r[4])
{
    const uint16_t *c = ((const piece_grid *)arg)->cells[k];
    r[0] = c[0], r[1] = c[1], r[2] = c[2], r[3] = c[3];
    return true;
}

/* About one piece per cell, at most 4096 × 4096 cells. g is freed with
 * piece_grid_free whether or not this succeeds (false: out of memory). */
static bool piece_grid_build(piece_grid *g, const seg *in, size_t n, double margin)
{
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t k = 0; k < n; k++) {
        e[0] = lo2(e[0], lo2(in[k].x1, in[k].x2));
        e[1] = lo2(e[1], lo2(in[k].y1, in[k].y2));
        e[2] = hi2(e[2], hi2(in[k].x1, in[k].x2));
        e[3] = hi2(e[3], hi2(in[k].y1, in[k].y2));
    }
    size_t side = (size_t)ceil(sqrt((double)n));
    side = side < 1 ? 1 : side > 4096 ? 4096 : side;
    *g = (piece_grid){e[0], e[1], hi2((e[2] - e[0]) / (double)side, 1e-3),
                      hi2((e[3] - e[1]) / (double)side, 1e-3), side, NULL, NULL, in, margin,
                      malloc((n + 1) * sizeof *g->cells)};
    if (!g->cells)
        return false;
    for (size_t k = 0; k < n; k++) { /* side <= 4096: the cells fit 16 bits */
        const seg *p = &in[k];
        g->cells[k][0] = (uint16_t)grid_col(g, lo2(p->x1, p->x2) - margin);
        g->cells[k][1] = (uint16_t)grid_row(g, lo2(p->y1, p->y2) - margin);
        g->cells[k][2] = (uint16_t)grid_col(g, hi2(p->x1, p->x2) + margin);
        g->cells[k][3] = (uint16_t)grid_row(g, hi2(p->y1, p->y2) + margin);
    }
    return ccn_coverage_cell_lists_build(side, side * side, n, piece_cells, g, &g->first, &g->list);
}

/* Each pair of pieces sharing a grid cell once: in the first cell both
 * list, the later of their first columns and rows (grid_col and grid_row
 * never decrease, so that is the cell of the later of their low corners). */
static bool first_shared_cell(const piece_grid *g, size_t p, size_t q, size_t col, size_t row)
{
    const uint16_t *a = g->cells[p], *b = g->cells[q];
    return (a[0] > b[0] ? a[0] : b[0]) == col && (a[1] > b[1] ? a[1] : b[1]) == row;
}

/* Give each noded segment of tile T the side labels of the pieces it lies
 * on (several where collinear pieces were merged): a grid over the tile's
 * pieces finds them. false when out of memory. */
static bool label_noded(tile_t *T, size_t nin, size_t nout)
{
    if (nin == 0)
        return true;
    piece_grid g;
    bool ok = piece_grid_build(&g, T->in, nin, LABEL_EPS);
    for (size_t k = 0; ok && k < nout; k++) {
        seg *o = &T->out[k];
        o->dir = 0, o->pl = o->pr = NO_POLY;
        double mx = (o->x1 + o->x2) / 2, my = (o->y1 + o->y2) / 2;
        size_t c = grid_row(&g, my) * g.side + grid_col(&g, mx);
        for (size_t q = g.first[c]; q < g.first[c + 1]; q++) {
            const seg *p = &T->in[g.list[q]];
            if (!on_piece(p, o->x1, o->y1, o->x2, o->y2))
                continue;
            /* Same way along or the other way. */
            bool same = (p->x2 - p->x1) * (o->x2 - o->x1) + (p->y2 - p->y1) * (o->y2 - o->y1) > 0;
            uint32_t l = same ? p->pl : p->pr, r = same ? p->pr : p->pl;
            o->dir += same ? p->dir : -p->dir;
            o->pl = l < o->pl ? l : o->pl;
            o->pr = r < o->pr ? r : o->pr;
        }
    }
    piece_grid_free(&g);
    return ok;
}

/* How pieces p and q lie: APART, farther than SEPARATE_M (or come within
 * it of each other nowhere); JOINED, at one shared endpoint only, leaving it
 * in clearly different directions; NEAR otherwise (they may meet). The
 * first two are conservative: NEAR unless clearly so. */
#define SEPARATE_M 1e-6
enum { APART, JOINED, NEAR };

/* Bounds of hypot(x, y), within an ulp of the exact length, which lies
 * between max(|x|, |y|) and |x| + |y|: the tests below compare against
 * lengths, and most are decided by both bounds alike, without the call
 * (it was more than half of this function's time). */
static double len_lo(double x, double y) { return hi2(fabs(x), fabs(y)) * (1 - 1e-14); }
static double len_hi(double x, double y) { return (fabs(x) + fabs(y)) * (1 + 1e-14); }

/* Are a and b both on one side of 0, farther than m? Never true for a
 * larger m if false for a smaller one. */
static bool beyond(double a, double b, double m) { return (a > m && b > m) || (a < -m && b < -m); }

static int piece_relation(const seg *p, const seg *q)
{
    if (lo2(p->x1, p->x2) > hi2(q->x1, q->x2) + SEPARATE_M ||
        lo2(q->x1, q->x2) > hi2(p->x1, p->x2) + SEPARATE_M ||
        lo2(p->y1, p->y2) > hi2(q->y1, q->y2) + SEPARATE_M ||
        lo2(q->y1, q->y2) > hi2(p->y1, p->y2) + SEPARATE_M)
        return APART;
    /* Relative to p's first point: differences of nearby coordinates are exact. */
    double ox = p->x1, oy = p->y1;
    double px = p->x2 - ox, py = p->y2 - oy, ax = q->x1 - ox, ay = q->y1 - oy, bx = q->x2 - ox,
           by = q->y2 - oy;
    double qx = bx - ax, qy = by - ay;
    bool s11 = p->x1 == q->x1 && p->y1 == q->y1, s12 = p->x1 == q->x2 && p->y1 == q->y2;
    bool s21 = p->x2 == q->x1 && p->y2 == q->y1, s22 = p->x2 == q->x2 && p->y2 == q->y2;
    if (s11 + s12 + s21 + s22 == 1) { /* one shared endpoint: apart unless nearly collinear */
        double cr = fabs(px * qy - py * qx);
        if (cr <= 1e-6 * len_lo(px, py) * len_lo(qx, qy))
            return NEAR;
        if (cr > 1e-6 * len_hi(px, py) * len_hi(qx, qy))
            return JOINED;
        return cr <= 1e-6 * hypot(px, py) * hypot(qx, qy) ? NEAR : JOINED;
    }
    if (s11 + s12 + s21 + s22)
        return NEAR;
    double oa = px * ay - py * ax, ob = px * by - py * bx; /* q's ends against p's line */
    if (beyond(oa, ob, SEPARATE_M * len_hi(px, py)) ||
        (beyond(oa, ob, SEPARATE_M * len_lo(px, py)) && beyond(oa, ob, SEPARATE_M * hypot(px, py))))
        return APART;
    /* p's ends against q's line */
    double o1 = qx * (0 - ay) - qy * (0 - ax), o2 = qx * (py - ay) - qy * (px - ax);
    if (beyond(o1, o2, SEPARATE_M * len_hi(qx, qy)) ||
        (beyond(o1, o2, SEPARATE_M * len_lo(qx, qy)) && beyond(o1, o2, SEPARATE_M * hypot(qx, qy))))
        return APART;
    return NEAR;
}

/* Reorder the tile's pieces for GEOS: first those that meet another (they
 * need the noder), then those that meet none (already noded: most of the
 * union's boundary on clean data, and the copies of an edge that never
 * cross on sloppy data). Returns how many need the noder; SIZE_MAX when out
 * of memory. */
static size_t sort_out_free(tile_t *T)
{
    piece_grid g;
    size_t nbusy = SIZE_MAX;
    uint8_t *busy = calloc(T->nin + 1, 1);
    seg *sorted = NULL;
    if (!piece_grid_build(&g, T->in, T->nin, SEPARATE_M) || !busy)
        goto done;
    for (size_t c = 0; c < g.side * g.side; c++)
        for (size_t a = g.first[c]; a < g.first[c + 1]; a++)
            for (size_t b = a + 1; b < g.first[c + 1]; b++) {
                size_t p = g.list[a], q = g.list[b];
                if ((busy[p] && busy[q]) || !first_shared_cell(&g, p, q, c % g.side, c / g.side) ||
                    piece_relation(&T->in[p], &T->in[q]) != NEAR)
                    continue;
                busy[p] = busy[q] = 1;
            }
    if (!(sorted = malloc((T->nin + 1) * sizeof *sorted)))
        goto done;
    nbusy = 0;
    for (size_t k = 0; k < T->nin; k++)
        if (busy[k])
            sorted[nbusy++] = T->in[k];
    size_t m = nbusy;
    for (size_t k = 0; k < T->nin; k++)
        if (!busy[k])
            sorted[m++] = T->in[k];
    memcpy(T->in, sorted, T->nin * sizeof *sorted);
done:
    piece_grid_free(&g);
    free(busy);
    free(sorted);
    return nbusy;
}

/* Noding without GEOS. The busy pieces of a tile are cut where they cross
 * (the point computed once, so both get the same one) and where an
 * endpoint of one lies exactly on another; each part keeps its piece's
 * labels. Then the parts are checked as GEOS checks its own noding: no two
 * may cross or touch but at shared endpoints, decided by exact orientation.
 * Where that fails (a rounded crossing point that lands across a third
 * piece, collinear overlaps) the tile goes to GEOS, as before. On sloppy
 * data this is most of the noding, several times faster than GEOS's
 * overlay of the linework. */

/* Orientation of r against p->q, exactly: -1, 0, 1. The floating-point
 * determinant decides it when it is larger than its error bound
 * (Shewchuk's ccwerrboundA), GEOS's double-double predicate otherwise.
 * r at p or q is 0, as GEOS finds it (its filter's determinant is then 0
 * exactly): pieces meeting end to end ask that most, and it halves the
 * time in GEOS's predicate. */
static int orient(GEOSContextHandle_t h, double px, double py, double qx, double qy, double rx,
                  double ry)
{
    double l = (qx - px) * (ry - py), r = (qy - py) * (rx - px), det = l - r;
    double bound = 3.3306690738754716e-16 * (fabs(l) + fabs(r));
    if (det > bound)
        return 1;
    if (det < -bound)
        return -1;
    if ((rx == px && ry == py) || (rx == qx && ry == qy))
        return 0;
    return GEOSOrientationIndex_r(h, px, py, qx, qy, rx, ry);
}

/* A node on piece k: where it is along the piece (t: how far it lies from
 * the piece's first point in the coordinate the piece changes most in, so
 * nodes even a few units in the last place apart sort as goes_on wants
 * them) and the point. */
typedef struct {
    size_t piece;
    double t, x, y;
} node_at;

static int cmp_node(const void *a, const void *b)
{
    const node_at *p = a, *q = b;
    if (p->piece != q->piece)
        return p->piece < q->piece ? -1 : 1;
    return p->t < q->t ? -1 : p->t > q->t;
}

/* The nodes in the order of cmp_node, equal ones as they came (as the
 * merge sort of glibc's qsort left them): counted out by piece, then each
 * piece's few sorted along it. false when out of memory. */
static bool sort_nodes(node_at **nodes, size_t nn, size_t npieces)
{
    size_t *at = calloc(npieces + 1, sizeof *at);
    node_at *to = malloc((nn + 1) * sizeof *to), *from = *nodes;
    if (!at || !to) {
        free(at);
        free(to);
        return false;
    }
    for (size_t k = 0; k < nn; k++)
        at[from[k].piece + 1]++;
    for (size_t i = 0; i < npieces; i++)
        at[i + 1] += at[i];
    for (size_t k = 0; k < nn; k++)
        to[at[from[k].piece]++] = from[k];
    for (size_t a = 0, b; a < nn; a = b) { /* at[i] is now the end of piece i's */
        b = at[to[a].piece];
        if (b - a > 32) {
            qsort(to + a, b - a, sizeof *to, cmp_node);
            continue;
        }
        for (size_t i = a + 1; i < b; i++) {
            node_at x = to[i];
            size_t j = i;
            for (; j > a && to[j - 1].t > x.t; j--)
                to[j] = to[j - 1];
            to[j] = x;
        }
    }
    free(at);
    free(from);
    *nodes = to;
    return true;
}

static bool same_point(double ax, double ay, double bx, double by) { return ax == bx && ay == by; }

/* Is (x, y) strictly inside segment p (exactly on its line, between its ends)? */
static bool inside_seg(GEOSContextHandle_t h, const seg *p, double x, double y)
{
    if (same_point(x, y, p->x1, p->y1) || same_point(x, y, p->x2, p->y2))
        return false;
    if (x < lo2(p->x1, p->x2) || x > hi2(p->x1, p->x2) || y < lo2(p->y1, p->y2) ||
        y > hi2(p->y1, p->y2))
        return false;
    return orient(h, p->x1, p->y1, p->x2, p->y2, x, y) == 0;
}

/* How pieces p and q meet: 0 apart or at a shared endpoint only; 1 a
 * proper crossing; 2 an endpoint of one inside the other; 3 collinear and
 * overlapping (or otherwise beyond this noder). */
static int meet_kind(GEOSContextHandle_t h, const seg *p, const seg *q)
{
    if (lo2(p->x1, p->x2) > hi2(q->x1, q->x2) || lo2(q->x1, q->x2) > hi2(p->x1, p->x2) ||
        lo2(p->y1, p->y2) > hi2(q->y1, q->y2) || lo2(q->y1, q->y2) > hi2(p->y1, p->y2))
        return 0;
    int o1 = orient(h, p->x1, p->y1, p->x2, p->y2, q->x1, q->y1);
    int o2 = orient(h, p->x1, p->y1, p->x2, p->y2, q->x2, q->y2);
    int o3 = orient(h, q->x1, q->y1, q->x2, q->y2, p->x1, p->y1);
    int o4 = orient(h, q->x1, q->y1, q->x2, q->y2, p->x2, p->y2);
    if (o1 == 2 || o2 == 2 || o3 == 2 || o4 == 2) /* GEOS's exception value */
        return 3;
    if (o1 == 0 && o2 == 0) { /* collinear: overlapping, or end to end */
        bool by_x = fabs(p->x2 - p->x1) >= fabs(p->y2 - p->y1);
        double a0 = by_x ? lo2(p->x1, p->x2) : lo2(p->y1, p->y2);
        double a1 = by_x ? hi2(p->x1, p->x2) : hi2(p->y1, p->y2);
        double b0 = by_x ? lo2(q->x1, q->x2) : lo2(q->y1, q->y2);
        double b1 = by_x ? hi2(q->x1, q->x2) : hi2(q->y1, q->y2);
        return lo2(a1, b1) > hi2(a0, b0) ? 3 : 0;
    }
    if (o1 * o2 < 0 && o3 * o4 < 0)
        return 1;
    if (inside_seg(h, p, q->x1, q->y1) || inside_seg(h, p, q->x2, q->y2) ||
        inside_seg(h, q, p->x1, p->y1) || inside_seg(h, q, p->x2, p->y2))
        return 2;
    return 0;
}

/* Where p and q cross, computed from p's first point (differences of nearby
 * coordinates are exact); false if the point falls outside either
 * piece's box (a crossing too flat to place: left to GEOS). */
static bool crossing(const seg *p, const seg *q, double *x, double *y)
{
    double ox = p->x1, oy = p->y1;
    double px = p->x2 - ox, py = p->y2 - oy, ax = q->x1 - ox, ay = q->y1 - oy;
    double qx = q->x2 - q->x1, qy = q->y2 - q->y1;
    double den = px * qy - py * qx;
    if (den == 0)
        return false;
    double t = (ax * qy - ay * qx) / den;
    *x = ox + t * px, *y = oy + t * py;
    return *x >= hi2(lo2(p->x1, p->x2), lo2(q->x1, q->x2)) &&
           *x <= lo2(hi2(p->x1, p->x2), hi2(q->x1, q->x2)) &&
           *y >= hi2(lo2(p->y1, p->y2), lo2(q->y1, q->y2)) &&
           *y <= lo2(hi2(p->y1, p->y2), hi2(q->y1, q->y2));
}

/* A pair of pieces not APART: the parts cut from them are checked against
 * each other when either was cut at a computed crossing. */
typedef struct {
    uint32_t p, q;
} piece_pair;

enum { PIECE_BUSY = 1, PIECE_MOVED = 2 }; /* meets another; cut at a computed crossing */

/* Does the part from (cx, cy) to (nx, ny) of piece s go on along it, in the
 * coordinate it changes most in? Parts that each do meet only at their
 * shared ends. */
static bool goes_on(const seg *s, double cx, double cy, double nx, double ny)
{
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
    return fabs(dx) >= fabs(dy) ? (nx - cx) * dx > 0 : (ny - cy) * dy > 0;
}

/* Node T's pieces into T->out: the parts of the pieces that meet another,
 * then the others as they are. 1 done, 0 not possible here (the caller
 * uses GEOS), -1 out of memory.
 *
 * The parts are checked as GEOS checks its own noding (none may cross or
 * touch another but at shared endpoints), but only where that can fail:
 * a part lies within a few units in the last place of its piece, so parts
 * of pieces farther apart than SEPARATE_M, or of two pieces cut only at
 * exact points (the pieces' own endpoints), meet only where their pieces
 * do, and the noder put a node there. The parts of one piece meet only at
 * their shared ends when each goes on along it. What is left: the parts of
 * pieces closer than SEPARATE_M, one of them cut at a computed crossing,
 * each pair checked by exact orientation. */
static int node_own(GEOSContextHandle_t h, tile_t *T)
{
    size_t n = T->nin;
    piece_grid g = {0};
    node_at *nodes = NULL;
    piece_pair *pairs = NULL;
    size_t nn = 0, capn = 0, np = 0, capp = 0, out0 = T->nout;
    uint8_t *flag = calloc(n + 1, 1);
    uint32_t(*part)[2] = malloc((n + 1) * sizeof *part); /* per piece: its parts in T->out
                                                              (from out0), first and end */
    int result = 0;
    if (!flag || !part || !piece_grid_build(&g, T->in, n, SEPARATE_M))
        goto oom;
    /* The check below needs parts to stay much nearer their pieces than
     * SEPARATE_M: a few units in the last place of the coordinates, under
     * 1e-8 m up to 1e8 m from the origin (Web Mercator's 2e7 included). */
    double far = 0;
    for (size_t k = 0; k < n; k++)
        far = hi2(far, hi2(hi2(fabs(T->in[k].x1), fabs(T->in[k].x2)),
                           hi2(fabs(T->in[k].y1), fabs(T->in[k].y2))));
    if (!(far < 1e8))
        goto done;
    for (size_t c = 0; c < g.side * g.side; c++)
        for (size_t a = g.first[c]; a < g.first[c + 1]; a++)
            for (size_t b = a + 1; b < g.first[c + 1]; b++) {
                size_t i = g.list[a], j = g.list[b];
                const seg *p = &T->in[i], *q = &T->in[j];
                if (!first_shared_cell(&g, i, j, c % g.side, c / g.side))
                    continue;
                int rel = piece_relation(p, q);
                if (rel == APART)
                    continue;
                if (!GROW(pairs, np, capp, 1))
                    goto oom;
                pairs[np++] = (piece_pair){(uint32_t)i, (uint32_t)j};
                if (rel == JOINED)
                    continue;
                flag[i] |= PIECE_BUSY, flag[j] |= PIECE_BUSY;
                int kind = meet_kind(h, p, q);
                if (kind == 0)
                    continue;
                if (kind == 3)
                    goto done;
                double x, y;
                node_at add[4];
                int na = 0;
                if (kind == 1) {
                    if (!crossing(p, q, &x, &y))
                        goto done;
                    add[na++] = (node_at){i, 0, x, y};
                    add[na++] = (node_at){j, 0, x, y};
                    flag[i] |= PIECE_MOVED, flag[j] |= PIECE_MOVED;
                } else {
                    const seg *pq[2] = {p, q};
                    size_t id[2] = {i, j};
                    for (int s = 0; s < 2; s++)
                        for (int e = 0; e < 2; e++) {
                            const seg *o = pq[1 - s];
                            double ex = e ? o->x2 : o->x1, ey = e ? o->y2 : o->y1;
                            if (inside_seg(h, pq[s], ex, ey))
                                add[na++] = (node_at){id[s], 0, ex, ey};
                        }
                }
                for (int k = 0; k < na; k++) {
                    const seg *s = &T->in[add[k].piece];
                    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
                    add[k].t = fabs(dx) >= fabs(dy) ? (add[k].x - s->x1) * (dx > 0 ? 1 : -1)
                                                    : (add[k].y - s->y1) * (dy > 0 ? 1 : -1);
                    if (!GROW(nodes, nn, capn, 1))
                        goto oom;
                    nodes[nn++] = add[k];
                }
            }
    piece_grid_free(&g);
    g = (piece_grid){0};
    if (n + nn >= UINT32_MAX) /* parts numbered in 32 bits */
        goto done;
    if (nn > 1 && !sort_nodes(&nodes, nn, n))
        goto oom;
    /* Room for every part at once (at most a piece's own plus one per node),
     * not grown by copies. */
    if (!reserve_array((void **)&T->out, &T->capout, T->nout + n + nn, sizeof *T->out))
        goto oom;
    /* The parts, in order along each piece, with its labels: the busy
     * pieces' first (only they have nodes), then the others. */
    size_t k = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < n; i++) {
            const seg *s = &T->in[i];
            if ((flag[i] & PIECE_BUSY) != (pass == 0 ? PIECE_BUSY : 0))
                continue;
            part[i][0] = (uint32_t)(T->nout - out0);
            double cx = s->x1, cy = s->y1;
            bool cut = false;
            for (; k < nn && nodes[k].piece == i; k++) {
                if (same_point(nodes[k].x, nodes[k].y, cx, cy) ||
                    same_point(nodes[k].x, nodes[k].y, s->x2, s->y2))
                    continue;
                if (!goes_on(s, cx, cy, nodes[k].x, nodes[k].y))
                    goto done;
                T->out[T->nout++] = (seg){cx, cy, nodes[k].x, nodes[k].y, s->dir, s->pl, s->pr};
                cx = nodes[k].x, cy = nodes[k].y, cut = true;
            }
            if (cut && !goes_on(s, cx, cy, s->x2, s->y2))
                goto done;
            T->out[T->nout++] = (seg){cx, cy, s->x2, s->y2, s->dir, s->pl, s->pr};
            part[i][1] = (uint32_t)(T->nout - out0);
        }
    /* The parts of pieces not apart, one of them cut at a computed crossing. */
    for (size_t k = 0; k < np; k++) {
        size_t i = pairs[k].p, j = pairs[k].q;
        if (!((flag[i] | flag[j]) & PIECE_MOVED))
            continue;
        const seg *o = T->out + out0;
        for (size_t a = part[i][0]; a < part[i][1]; a++)
            for (size_t b = part[j][0]; b < part[j][1]; b++)
                if (piece_relation(&o[a], &o[b]) == NEAR && meet_kind(h, &o[a], &o[b]) != 0)
                    goto done;
    }
    result = 1;
    goto done;
oom:
    result = -1;
done:
    if (result != 1)
        T->nout = out0;
    piece_grid_free(&g);
    free(nodes);
    free(pairs);
    free(flag);
    free(part);
    return result;
}

/* Node tile T's pieces into T->out. */
static ccn_status node_tile(ccn_ctx *ctx, tile_t *T)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (!T->nin)
        return CCN_OK;
    int own = node_own(h, T);
    if (own == 1)
        return CCN_OK;
    size_t nbusy = own == 0 ? sort_out_free(T) : SIZE_MAX;
    T->by_geos = true;
    GEOSGeometry **ls = nbusy != SIZE_MAX ? malloc((nbusy + 1) * sizeof *ls) : NULL;
    if (!ls)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    for (size_t k = 0; k < nbusy; k++) {
        GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2, 2);
        GEOSCoordSeq_setXY_r(h, cs, 0, T->in[k].x1, T->in[k].y1);
        GEOSCoordSeq_setXY_r(h, cs, 1, T->in[k].x2, T->in[k].y2);
        ls[k] = GEOSGeom_createLineString_r(h, cs);
    }
    GEOSGeometry *lines =
        GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, ls, (unsigned int)nbusy);
    free(ls); /* the collection took the lines */
    /* The union of lines nodes them (OverlayNG, with its robustness
     * fallbacks); on near-collinear sloppy edges it beats GEOSNode's
     * iterated noder by a third. */
    GEOSGeometry *noded = lines ? GEOSUnaryUnion_r(h, lines) : NULL;
    if (lines)
        GEOSGeom_destroy_r(h, lines);
    if (!noded)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "cannot node the union's boundary: %s",
                         ccn_ctx_geos_message(ctx));
    double *buf = NULL;
    size_t bufcap = 0;
    int nl = GEOSGetNumGeometries_r(h, noded);
    bool ok = true;
    for (int l = 0; l < nl && ok; l++) {
        const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, GEOSGetGeometryN_r(h, noded, l));
        unsigned int m = 0;
        if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &m) || m < 2)
            continue;
        if (m > bufcap) {
            double *b = realloc(buf, 2 * m * sizeof *b);
            if (!(ok = b != NULL))
                break;
            buf = b, bufcap = m;
        }
        GEOSCoordSeq_copyToBuffer_r(h, cs, buf, 0, 0);
        for (unsigned int k = 0; k + 1 < m && ok; k++) {
            if ((ok = GROW(T->out, T->nout, T->capout, 1)))
                T->out[T->nout++] = (seg){buf[2 * k], buf[2 * k + 1], buf[2 * k + 2],
                                          buf[2 * k + 3], 0, NO_POLY, NO_POLY};
        }
    }
    free(buf);
    GEOSGeom_destroy_r(h, noded);
    size_t nnoded = T->nout;
    if (ok)
        ok = label_noded(T, nbusy, nnoded);
    for (size_t k = nbusy; k < T->nin && ok; k++) /* the free pieces, as they are */
        if ((ok = GROW(T->out, T->nout, T->capout, 1)))
            T->out[T->nout++] = T->in[k];
    if (!ok)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    return CCN_OK;
}

/* A part of a piece cut at the tile grid, with its piece's key (seg_key):
 * a tile's pieces are put in the order of their keys, as if all pieces
 * had been sorted at once. */
typedef struct {
    seg s;
    uint64_t key;
} keyed_part;

typedef struct {
    keyed_part *p;
    size_t n, cap;
} part_list;

/* The union's boundary on a grid of tiles: cut (a share of the pieces per
 * worker), noded and made a graph tile by tile on every core. */
typedef struct {
    const seg *kept;
    size_t nkept, nchunks;
    double e[4], w, hgt;
    size_t kx, ky, ntiles;
    part_list *parts;           /* chunk c's parts for tile t: parts[c * ntiles + t] */
    tile_t *tiles;
    size_t *near_first, *near_list; /* the tiles whose boxes meet tile t's */
    double *chunk_box;          /* per chunk: its pieces' extent */
    graph *g;
} tiling;

/* The extent of chunk c of the pieces. */
static ccn_status extent_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    tiling *tl = user;
    for (size_t c = begin; c < end; c++) {
        size_t lo = tl->nkept * c / tl->nchunks, hi = tl->nkept * (c + 1) / tl->nchunks;
        double *e = tl->chunk_box + 4 * c;
        e[0] = e[1] = INFINITY, e[2] = e[3] = -INFINITY;
        for (size_t k = lo; k < hi; k++) { /* fmin and fmax, NaN left out as they do */
            const seg *s = &tl->kept[k];
            e[0] = lo2(lo2(e[0], s->x1), s->x2);
            e[1] = lo2(lo2(e[1], s->y1), s->y2);
            e[2] = hi2(hi2(e[2], s->x1), s->x2);
            e[3] = hi2(hi2(e[3], s->y1), s->y2);
        }
    }
    return CCN_OK;
}

/* Cut s at the grid lines it crosses and give each part to its tile's list. */
static bool cut_piece(const tiling *tl, part_list *lists, const seg *s)
{
    const double *e = tl->e;
    size_t kx = tl->kx, ky = tl->ky;
    double w = tl->w, hgt = tl->hgt;
    double t[2 * MAX_TILES_PER_SIDE + 2];
    size_t nt = 0;
    double dx = s->x2 - s->x1, dy = s->y2 - s->y1;
    for (size_t i = 1; i < kx; i++) {
        double X = e[0] + ((double)i - GRID_SHIFT) * w;
        if ((s->x1 - X) * (s->x2 - X) < 0)
            t[nt++] = (X - s->x1) / dx;
    }
    for (size_t j = 1; j < ky; j++) {
        double Y = e[1] + ((double)j - GRID_SHIFT) * hgt;
        if ((s->y1 - Y) * (s->y2 - Y) < 0)
            t[nt++] = (Y - s->y1) / dy;
    }
    for (size_t a = 1; a < nt; a++) /* few: insertion sort */
        for (size_t b = a; b > 0 && t[b - 1] > t[b]; b--) {
            double x = t[b];
            t[b] = t[b - 1], t[b - 1] = x;
        }
    uint64_t key = seg_key(s);
    double px = s->x1, py = s->y1;
    for (size_t k = 0; k <= nt; k++) {
        double qx = k < nt ? s->x1 + t[k] * dx : s->x2, qy = k < nt ? s->y1 + t[k] * dy : s->y2;
        if (qx == px && qy == py)
            continue;
        double mx = (px + qx) / 2, my = (py + qy) / 2;
        size_t ix = w > 0 ? (size_t)lo2((double)(kx - 1),
                                         hi2(0, floor((mx - e[0]) / w + GRID_SHIFT)))
                          : 0;
        size_t iy = hgt > 0 ? (size_t)lo2((double)(ky - 1),
                                           hi2(0, floor((my - e[1]) / hgt + GRID_SHIFT)))
                            : 0;
        part_list *L = &lists[iy * kx + ix];
        if (!GROW(L->p, L->n, L->cap, 1))
            return false;
        L->p[L->n++] = (keyed_part){{px, py, qx, qy, s->dir, s->pl, s->pr}, key};
        px = qx, py = qy;
    }
    return true;
}

/* Chunk c of the pieces (in their order) cut into its own lists. */
static ccn_status cut_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    tiling *tl = user;
    for (size_t c = begin; c < end; c++) {
        size_t lo = tl->nkept * c / tl->nchunks, hi = tl->nkept * (c + 1) / tl->nchunks;
        /* Each list starts with room for its share of the chunk's pieces,
         * as if spread evenly over the chunk's extent (the chunks follow
         * the sweep, west to east), and a quarter more: not grown from 64
         * by copies. */
        const double *b = tl->chunk_box + 4 * c;
        for (size_t t = 0; t < tl->ntiles; t++) {
            double f[2];
            for (int d = 0; d < 2; d++) { /* the share of the box's width, then height */
                size_t i = d ? t / tl->kx : t % tl->kx, k = d ? tl->ky : tl->kx;
                double step = d ? tl->hgt : tl->w, lo_b = b[d], hi_b = b[d + 2];
                double a = i > 0 ? tl->e[d] + ((double)i - GRID_SHIFT) * step : -INFINITY;
                double z = i + 1 < k ? tl->e[d] + ((double)i + 1 - GRID_SHIFT) * step : INFINITY;
                double in = lo2(z, hi_b) - hi2(a, lo_b);
                f[d] = hi_b > lo_b ? hi2(0, in) / (hi_b - lo_b) : (in >= 0);
            }
            size_t share = (size_t)(1.25 * f[0] * f[1] * (double)(hi - lo)) + 16;
            part_list *L = &tl->parts[c * tl->ntiles + t];
            if (!reserve_array((void **)&L->p, &L->cap, share, sizeof *L->p))
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        }
        for (size_t k = lo; k < hi; k++)
            if (!cut_piece(tl, tl->parts + c * tl->ntiles, &tl->kept[k]))
                return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    return CCN_OK;
}

/* Tile t's parts from every chunk, in chunk order, put in the order of
 * their keys' low 33 bits (stable, as sort_refs): the order a sort of all
 * pieces followed by the cut would give. */
static bool gather_parts(tiling *tl, size_t t)
{
    tile_t *T = &tl->tiles[t];
    size_t n = 0;
    for (size_t c = 0; c < tl->nchunks; c++)
        n += tl->parts[c * tl->ntiles + t].n;
    bool ok = false;
    seg_ref *a = malloc((n + 1) * sizeof *a), *b = malloc((n + 1) * sizeof *b);
    size_t *count = malloc(2048 * sizeof *count);
    T->in = malloc((n + 1) * sizeof *T->in);
    if (!a || !b || !count || !T->in)
        goto done;
    size_t m = 0;
    for (size_t c = 0; c < tl->nchunks; c++) {
        const part_list *L = &tl->parts[c * tl->ntiles + t];
        for (size_t i = 0; i < L->n; i++)
            a[m++] = (seg_ref){L->p[i].key, (uint64_t)c << 40 | i};
    }
    ccn_coverage_sort_refs(&a, &b, n, count);
    for (size_t i = 0; i < n; i++)
        T->in[i] = tl->parts[(a[i].ref >> 40) * tl->ntiles + t].p[a[i].ref & ((1ull << 40) - 1)].s;
    T->nin = T->capin = n;
    ok = true;
done:
    for (size_t c = 0; c < tl->nchunks; c++) {
        part_list *L = &tl->parts[c * tl->ntiles + t];
        free(L->p);
        *L = (part_list){0};
    }
    free(a);
    free(b);
    free(count);
    return ok;
}

/* The vertices (by exact coordinates) and edges (by their pair of
 * vertices, either way) of tile T's noded segments, numbered in order of
 * first appearance, as graph_build once numbered them for all tiles at once;
 * small tables, within the caches. The segments' coordinates are then let
 * go: what the graph needs of them is the vertices' points and the labels
 * (on noisy parcels, 4.7 million segments: some 150 MB less memory taken
 * fresh, page by page, while every tile's segments were kept to the end).
 * false when out of memory. */
static bool tile_graph(tile_t *T)
{
    size_t n = T->nout;
    size_t vcap = 16, ecap = 16;
    while (vcap < 4 * n) /* 2n ends: half full at worst */
        vcap *= 2;
    while (ecap < 2 * n)
        ecap *= 2;
    uint32_t *vslot = calloc(vcap, sizeof *vslot);  /* vertex + 1 */
    uint64_t *eslot = calloc(ecap, sizeof *eslot);  /* (a+1) << 32 | (b+1), a < b */
    uint32_t *eidx = malloc(ecap * sizeof *eidx);   /* the edge in each slot */
    double *vc = malloc((4 * n + 2) * sizeof *vc);  /* per vertex: its point */
    T->end_v = malloc((2 * n + 1) * sizeof *T->end_v);
    T->seg_e = malloc((n + 1) * sizeof *T->seg_e);
    T->lab = malloc((n + 1) * sizeof *T->lab);
    T->e_first = malloc((n + 1) * sizeof *T->e_first);
    bool ok = vslot && eslot && eidx && vc && T->end_v && T->seg_e && T->lab && T->e_first;
    T->box[0] = T->box[1] = INFINITY, T->box[2] = T->box[3] = -INFINITY;
    for (size_t k = 0; ok && k < n; k++) {
        const seg *s = &T->out[k];
        T->lab[k] = (seg_labels){s->dir, s->pl, s->pr};
        for (int end = 0; end < 2; end++) {
            double x = end ? s->x2 : s->x1, y = end ? s->y2 : s->y1;
            T->box[0] = lo2(T->box[0], x), T->box[1] = lo2(T->box[1], y); /* as fmin, fmax */
            T->box[2] = hi2(T->box[2], x), T->box[3] = hi2(T->box[3], y);
            size_t slot = hash_bits(x, y) & (vcap - 1);
            for (;;) {
                if (!vslot[slot]) {
                    vc[2 * T->nv] = x, vc[2 * T->nv + 1] = y;
                    vslot[slot] = (uint32_t)++T->nv;
                    break;
                }
                const double *v = vc + 2 * (vslot[slot] - 1);
                if (v[0] == x && v[1] == y)
                    break;
                slot = (slot + 1) & (vcap - 1);
            }
            T->end_v[2 * k + end] = vslot[slot] - 1;
        }
        uint32_t a = T->end_v[2 * k], b = T->end_v[2 * k + 1];
        if (a == b) {
            T->seg_e[k] = NO_EDGE;
            continue;
        }
        uint32_t lo = a < b ? a : b, hi = a < b ? b : a;
        uint64_t key = ((uint64_t)(lo + 1) << 32) | (uint64_t)(hi + 1);
        size_t e = edge_slot(lo, hi, ecap);
        while (eslot[e] && eslot[e] != key)
            e = (e + 1) & (ecap - 1);
        if (!eslot[e]) {
            eslot[e] = key;
            eidx[e] = (uint32_t)T->ne;
            T->e_first[T->ne++] = (uint32_t)k;
        }
        T->seg_e[k] = eidx[e];
    }
    if (ok) {
        T->v_gid = malloc((T->nv + 1) * sizeof *T->v_gid);
        T->v_shared = calloc(T->nv + 1, 1);
        T->e_gid = malloc((T->ne + 1) * sizeof *T->e_gid);
        ok = T->v_gid && T->v_shared && T->e_gid;
    }
    free(vslot);
    free(eslot);
    free(eidx);
    double *fit = ok ? realloc(vc, (2 * T->nv + 2) * sizeof *vc) : NULL; /* shrinks in place */
    T->vxy = fit ? fit : vc;
    free(T->out);
    T->out = NULL, T->capout = 0; /* T->nout still counts the segments */
    return ok;
}

static void tile_graph_free(tile_t *T)
{
    free(T->in);
    free(T->out);
    free(T->end_v);
    free(T->seg_e);
    free(T->lab);
    free(T->vxy);
    free(T->v_gid);
    free(T->v_shared);
    free(T->e_first);
    free(T->e_gid);
    free(T->later);
    *T = (tile_t){0};
}

/* Each tile: its pieces gathered and noded, then its graph numbered. */
static ccn_status node_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    tiling *tl = user;
    for (size_t t = begin; t < end; t++) {
        tile_t *T = &tl->tiles[t];
        if (!gather_parts(tl, t))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        ccn_status st = node_tile(ctx, T);
        if (st)
            return st;
        free(T->in); /* the noded segments carry the labels on */
        T->in = NULL, T->nin = T->capin = 0;
        if (T->nout >= UINT32_MAX / 2)
            return ccn_error(ctx, CCN_ERR_INTERNAL, "too many boundary segments: %zu", T->nout);
        if (!tile_graph(T))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    return CCN_OK;
}

static bool in_box(const double *b, double x, double y)
{
    return x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3];
}

/* Mark the vertices of each tile that lie in another tile's box: only they
 * can be another tile's vertices too. */
static ccn_status shared_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)ctx, (void)worker;
    tiling *tl = user;
    for (size_t t = begin; t < end; t++) {
        tile_t *T = &tl->tiles[t];
        size_t n0 = tl->near_first[t], n1 = tl->near_first[t + 1];
        if (n0 == n1)
            continue;
        for (size_t v = 0; v < T->nv; v++) {
            double x = T->vxy[2 * v], y = T->vxy[2 * v + 1];
            for (size_t q = n0; q < n1 && !T->v_shared[v]; q++)
                T->v_shared[v] = in_box(tl->tiles[tl->near_list[q]].box, x, y);
        }
    }
    return CCN_OK;
}

/* A vertex or edge shared by tiles, found again by its coordinates or
 * its pair of vertices (open addressing; gid + 1, 0 for an empty slot). */
typedef struct {
    double x, y;
    uint64_t key;
    uint32_t gid1;
} shared_slot;

/* The labels of segment k of tile T added to its edge. */
static void add_labels(graph *g, const tile_t *T, size_t k)
{
    size_t e = T->e_gid[T->seg_e[k]];
    const seg_labels *s = &T->lab[k];
    bool fwd = T->v_gid[T->end_v[2 * k]] == g->eu[e]; /* the labels, turned to run u->v */
    uint32_t l = fwd ? s->pl : s->pr, r = fwd ? s->pr : s->pl;
    g->dcover[e] += fwd ? s->dir : -s->dir;
    g->pl[e] = l < g->pl[e] ? l : g->pl[e];
    g->pr[e] = r < g->pr[e] ? r : g->pr[e];
}

/* Each tile's own vertices and edges into the graph, and the labels of
 * its segments along them (those along an earlier tile's edge later, on
 * one thread). */
static ccn_status graph_fill_work(ccn_ctx *ctx, void *user, size_t begin, size_t end, int worker)
{
    (void)worker;
    tiling *tl = user;
    graph *g = tl->g;
    for (size_t t = begin; t < end; t++) {
        tile_t *T = &tl->tiles[t];
        for (size_t v = 0; v < T->nv; v++)
            if (T->v_gid[v] >= T->v0)
                memcpy(&g->vxy[2 * T->v_gid[v]], &T->vxy[2 * v], 2 * sizeof *g->vxy);
        for (size_t e = 0; e < T->ne; e++) {
            size_t ge = T->e_gid[e];
            if (ge < T->e0)
                continue;
            size_t k = T->e_first[e], a = T->v_gid[T->end_v[2 * k]], b = T->v_gid[T->end_v[2 * k + 1]];
            g->eu[ge] = (uint32_t)(a < b ? a : b), g->ev[ge] = (uint32_t)(a < b ? b : a);
            g->dcover[ge] = 0;
            g->pl[ge] = g->pr[ge] = NO_POLY;
        }
        if (!(T->later = malloc((T->nout + 1) * sizeof *T->later)))
            return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        for (size_t k = 0; k < T->nout; k++)
            if (T->seg_e[k] != NO_EDGE) {
                if (T->e_gid[T->seg_e[k]] >= T->e0)
                    add_labels(g, T, k);
                else
                    T->later[T->nlater++] = (uint32_t)k;
            }
    }
    return CCN_OK;
}

/* The graph's ids, in the order the tiles' vertices and edges first appear:
 * a shared one keeps the id the first tile gave it. One thread, but it only
 * looks up the shared ones (along the tiles' borders). */
static bool number_graph(tiling *tl, size_t *nv, size_t *ne)
{
    size_t nshared = 0;
    for (size_t t = 0; t < tl->ntiles; t++)
        for (size_t v = 0; v < tl->tiles[t].nv; v++)
            nshared += tl->tiles[t].v_shared[v];
    size_t cap = 16;
    while (cap < 4 * nshared + 4) /* vertices and edges: half full at worst */
        cap *= 2;
    shared_slot *vt = calloc(cap, sizeof *vt), *et = calloc(cap, sizeof *et);
    if (!vt || !et) {
        free(vt);
        free(et);
        return false;
    }
    size_t nextv = 0, nexte = 0;
    for (size_t t = 0; t < tl->ntiles; t++) {
        tile_t *T = &tl->tiles[t];
        T->v0 = nextv, T->e0 = nexte;
        for (size_t v = 0; v < T->nv; v++) {
            if (!T->v_shared[v]) {
                T->v_gid[v] = (uint32_t)nextv++;
                continue;
            }
            double x = T->vxy[2 * v], y = T->vxy[2 * v + 1];
            size_t slot = hash_bits(x, y) & (cap - 1);
            while (vt[slot].gid1 && !(vt[slot].x == x && vt[slot].y == y))
                slot = (slot + 1) & (cap - 1);
            if (!vt[slot].gid1)
                vt[slot] = (shared_slot){x, y, 0, (uint32_t)++nextv};
            T->v_gid[v] = vt[slot].gid1 - 1;
        }
        for (size_t e = 0; e < T->ne; e++) {
            size_t k = T->e_first[e];
            uint32_t la = T->end_v[2 * k], lb = T->end_v[2 * k + 1];
            if (!T->v_shared[la] || !T->v_shared[lb]) {
                T->e_gid[e] = (uint32_t)nexte++;
                continue;
            }
            uint32_t a = T->v_gid[la], b = T->v_gid[lb];
            uint64_t key = ((uint64_t)(a < b ? a : b) << 32) | (a < b ? b : a);
            size_t slot = edge_slot(a < b ? a : b, a < b ? b : a, cap);
            while (et[slot].gid1 && et[slot].key != key)
                slot = (slot + 1) & (cap - 1);
            if (!et[slot].gid1)
                et[slot] = (shared_slot){0, 0, key, (uint32_t)++nexte};
            T->e_gid[e] = et[slot].gid1 - 1;
        }
    }
    free(vt);
    free(et);
    *nv = nextv, *ne = nexte;
    return true;
}

ccn_status ccn_coverage_boundary_graph(ccn_ctx *ctx, seg *kept, size_t nkept, graph *g)
{
    *g = (graph){0};
    tiling tl = {.kept = kept, .nkept = nkept, .g = g};
    double *e = tl.e;
    tl.nchunks = (size_t)ccn_parallel_workers();
    tl.chunk_box = malloc(4 * tl.nchunks * sizeof *tl.chunk_box);
    if (!tl.chunk_box)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_status st = ccn_parallel_for(ctx, tl.nchunks, 1, extent_work, &tl);
    e[0] = e[1] = INFINITY, e[2] = e[3] = -INFINITY;
    for (size_t c = 0; c < tl.nchunks; c++) {
        const double *b = tl.chunk_box + 4 * c;
        e[0] = fmin(e[0], b[0]), e[1] = fmin(e[1], b[1]);
        e[2] = fmax(e[2], b[2]), e[3] = fmax(e[3], b[3]);
    }
    size_t k = (size_t)ceil(sqrt((double)nkept / TILE_PIECES));
    k = k < 1 ? 1 : k > MAX_TILES_PER_SIDE ? MAX_TILES_PER_SIDE : k;
    /* k lines per side, k + 1 tiles: the shifted grid overhangs the extent. */
    tl.kx = e[2] > e[0] && k > 1 ? k + 1 : 1, tl.ky = e[3] > e[1] && k > 1 ? k + 1 : 1;
    tl.w = (e[2] - e[0]) / (double)k, tl.hgt = (e[3] - e[1]) / (double)k;
    tl.ntiles = tl.kx * tl.ky;
    tl.tiles = calloc(tl.ntiles, sizeof *tl.tiles);
    tl.parts = calloc(tl.nchunks * tl.ntiles, sizeof *tl.parts);
    tl.near_first = calloc(tl.ntiles + 1, sizeof *tl.near_first);
    tl.near_list = malloc((tl.ntiles * tl.ntiles + 1) * sizeof *tl.near_list);
    if (st)
        goto fail;
    if (!tl.tiles || !tl.parts || !tl.near_first || !tl.near_list)
        goto oom;
    if ((st = ccn_parallel_for(ctx, tl.nchunks, 1, cut_work, &tl)))
        goto fail;
    free(kept);
    kept = NULL, tl.kept = NULL;
    if ((st = ccn_parallel_for(ctx, tl.ntiles, 1, node_work, &tl)))
        goto fail;
    size_t nnear = 0;
    for (size_t t = 0; t < tl.ntiles; t++) {
        const double *a = tl.tiles[t].box;
        for (size_t u = 0; u < tl.ntiles; u++) {
            const double *b = tl.tiles[u].box;
            if (u != t && a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3])
                tl.near_list[nnear++] = u;
        }
        tl.near_first[t + 1] = nnear;
    }
    if ((st = ccn_parallel_for(ctx, tl.ntiles, 1, shared_work, &tl)))
        goto fail;
    size_t nv, ne;
    if (!number_graph(&tl, &nv, &ne))
        goto oom;
    if (nv >= UINT32_MAX || ne >= UINT32_MAX / 2) { /* half-edge numbers in 32 bits */
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "too many boundary segments: %zu", ne);
        goto fail;
    }
    g->nv = nv, g->ne = ne;
    g->vxy = table_calloc(2 * nv + 2, sizeof *g->vxy);
    g->eu = table_calloc(ne + 1, sizeof *g->eu);
    g->ev = table_calloc(ne + 1, sizeof *g->ev);
    g->dcover = table_malloc(ne + 1, sizeof *g->dcover);
    g->pl = table_malloc(ne + 1, sizeof *g->pl);
    g->pr = table_malloc(ne + 1, sizeof *g->pr);
    if (!g->vxy || !g->eu || !g->ev || !g->dcover || !g->pl || !g->pr)
        goto oom;
    if ((st = ccn_parallel_for(ctx, tl.ntiles, 1, graph_fill_work, &tl)))
        goto fail;
    for (size_t t = 0; t < tl.ntiles; t++) /* segments along an earlier tile's edge */
        for (size_t q = 0; q < tl.tiles[t].nlater; q++)
            add_labels(g, &tl.tiles[t], tl.tiles[t].later[q]);
    for (size_t t = 0; t < tl.ntiles; t++) {
        g->geos_tiles += tl.tiles[t].by_geos;
        tile_graph_free(&tl.tiles[t]);
    }
    st = ccn_coverage_graph_finish(ctx, g);
    if (st)
        goto fail;
    goto done;
oom:
    st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
fail:
    ccn_coverage_graph_free(g);
done:
    for (size_t p = 0; tl.parts && p < tl.nchunks * tl.ntiles; p++)
        free(tl.parts[p].p);
    for (size_t t = 0; tl.tiles && t < tl.ntiles; t++)
        tile_graph_free(&tl.tiles[t]);
    free(tl.chunk_box);
    free(tl.parts);
    free(tl.tiles);
    free(tl.near_first);
    free(tl.near_list);
    free(kept);
    return st;
}
