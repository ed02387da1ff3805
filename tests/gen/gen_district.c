/*
 * gen_district.c -- district-scale benchmark data: `ccn-gen district OUTDIR
 * --parcels N`.
 *
 * Parcels are the cells of a jittered grid of about 1000 m2 (31.62 m) over a
 * 25:12 rectangle centred on Triệu Sơn (25 km x 12 km for N = 300 000).  Each
 * cell edge may carry a jittered mid-edge vertex that both neighbours use, so
 * parcels have 4-8 vertices and share every vertex exactly.  About 0.05 % of
 * the parcels are deliberate defects: bow-ties and parcels with one corner
 * pushed 4 m into their neighbours.  Plan zones (about N/150) are a coarse
 * jittered grid over the same rectangle whose edges are densified with
 * jittered points, so zone edges never follow parcel edges.  With
 * `--noise LO,HI` each parcel digitises its own copy of every inner vertex
 * (see gen.h): the sloppy data of ccn check's noisy benchmark.
 *
 * Output, in EPSG:5897, each layer written in one transaction:
 *   parcels.gpkg  layer parcels: MaXa, SoHieuToBanDo, SoThuTuThua, DienTich,
 *                 KyHieuMucDichSuDung, TenChu (UTF-8)
 *   plan.gpkg     layer plan: landuse
 */
#define _POSIX_C_SOURCE 200809L
#include "gen.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpl_conv.h"
#include "cpl_error.h"

#define CELL 31.62     /* parcel grid step, m (about 1000 m2) */
#define CENTRE_X 562500.0
#define CENTRE_Y 2192000.0
#define ZONE_STEPS 7   /* segments per densified zone edge */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct {
    long nx, ny;        /* grid cells */
    double x0, y0;      /* south-west corner */
    gen_pt *v;          /* (nx+1)*(ny+1) corners */
    gen_pt *hm;         /* mid-points of horizontal edges, (ny+1)*nx */
    gen_pt *vm;         /* mid-points of vertical edges, ny*(nx+1) */
    unsigned char *hh;  /* has a horizontal mid-point */
    unsigned char *vh;  /* has a vertical mid-point */
} grid;

static void grid_free(grid *g)
{
    free(g->v);
    free(g->hm);
    free(g->vm);
    free(g->hh);
    free(g->vh);
}

static int grid_make(grid *g, long n, gen_rng *r)
{
    g->nx = (long) ceil(sqrt(n * 25.0 / 12.0));
    g->ny = (n + g->nx - 1) / g->nx;
    g->x0 = gen_mm(CENTRE_X - g->nx * CELL / 2);
    g->y0 = gen_mm(CENTRE_Y - g->ny * CELL / 2);
    size_t nv = (size_t) (g->nx + 1) * (g->ny + 1);
    g->v = calloc(nv, sizeof *g->v);
    g->hm = calloc((size_t) (g->ny + 1) * g->nx, sizeof *g->hm);
    g->vm = calloc((size_t) g->ny * (g->nx + 1), sizeof *g->vm);
    g->hh = malloc((size_t) (g->ny + 1) * g->nx);
    g->vh = malloc((size_t) g->ny * (g->nx + 1));
    if (!g->v || !g->hm || !g->vm || !g->hh || !g->vh)
        return -1;
    for (long j = 0; j <= g->ny; j++)
        for (long i = 0; i <= g->nx; i++) {
            double jx = (i == 0 || i == g->nx) ? 0 : gen_rng_range(r, -0.18, 0.18) * CELL;
            double jy = (j == 0 || j == g->ny) ? 0 : gen_rng_range(r, -0.18, 0.18) * CELL;
            g->v[j * (g->nx + 1) + i] = gen_pt_mm((gen_pt){g->x0 + i * CELL + jx, g->y0 + j * CELL + jy});
        }
    for (long j = 0; j <= g->ny; j++)
        for (long i = 0; i < g->nx; i++) {
            size_t k = (size_t) j * g->nx + i;
            gen_pt a = g->v[j * (g->nx + 1) + i], b = g->v[j * (g->nx + 1) + i + 1];
            double t = gen_rng_range(r, 0.4, 0.6);
            double off = (j == 0 || j == g->ny) ? 0 : gen_rng_range(r, -0.06, 0.06) * CELL;
            g->hh[k] = gen_rng_unit(r) < 0.5;
            g->hm[k] = gen_pt_mm((gen_pt){a.x + t * (b.x - a.x), a.y + t * (b.y - a.y) + off});
        }
    for (long j = 0; j < g->ny; j++)
        for (long i = 0; i <= g->nx; i++) {
            size_t k = (size_t) j * (g->nx + 1) + i;
            gen_pt a = g->v[j * (g->nx + 1) + i], b = g->v[(j + 1) * (g->nx + 1) + i];
            double t = gen_rng_range(r, 0.4, 0.6);
            double off = (i == 0 || i == g->nx) ? 0 : gen_rng_range(r, -0.06, 0.06) * CELL;
            g->vh[k] = gen_rng_unit(r) < 0.5;
            g->vm[k] = gen_pt_mm((gen_pt){a.x + t * (b.x - a.x) + off, a.y + t * (b.y - a.y)});
        }
    return 0;
}

/* Ring of cell (i, j), clockwise: BL, left, TL, top, TR, right, BR, bottom. */
static size_t cell_ring(const grid *g, long i, long j, gen_pt *p)
{
    size_t n = 0, W = (size_t) g->nx + 1;
    p[n++] = g->v[j * W + i];
    if (g->vh[j * W + i])
        p[n++] = g->vm[j * W + i];
    p[n++] = g->v[(j + 1) * W + i];
    if (g->hh[(j + 1) * g->nx + i])
        p[n++] = g->hm[(j + 1) * g->nx + i];
    p[n++] = g->v[(j + 1) * W + i + 1];
    if (g->vh[j * W + i + 1])
        p[n++] = g->vm[j * W + i + 1];
    p[n++] = g->v[j * W + i + 1];
    if (g->hh[j * g->nx + i])
        p[n++] = g->hm[j * g->nx + i];
    return n;
}

static const char *const DISTRICT_PLAN[] = {"LUC", "HNK", "ONT", "CLN", "SKN", "DGT", "NTS", "DTL", "NTD", "TMD"};
static const int DISTRICT_PLAN_W[] = {38, 12, 16, 8, 4, 7, 6, 4, 2, 3};

/* Digitising noise: the parcel's own copy of each vertex off the grid's
 * outline moved lo/2..hi/2 in a random direction (millimetres, as stored). */
static void add_noise(const grid *g, gen_pt *p, size_t m, gen_rng *r, double lo, double hi)
{
    double xmax = g->x0 + g->nx * CELL, ymax = g->y0 + g->ny * CELL;
    for (size_t q = 0; q < m; q++) {
        if (fabs(p[q].x - g->x0) < 1e-6 || fabs(p[q].x - xmax) < 1e-6 ||
            fabs(p[q].y - g->y0) < 1e-6 || fabs(p[q].y - ymax) < 1e-6)
            continue;
        double d = gen_rng_range(r, lo / 2, hi / 2), a = gen_rng_range(r, 0, 2 * M_PI);
        p[q] = gen_pt_mm((gen_pt){p[q].x + d * cos(a), p[q].y + d * sin(a)});
    }
}

static int write_parcels(const char *outdir, const grid *g, long n, gen_rng *r, const gen_pt *seeds,
                         OGRSpatialReferenceH srs, long *nbowtie, long *noverlap, gen_rng *rn,
                         double noise_lo, double noise_hi)
{
    char *path = gen_path(outdir, "parcels.gpkg");
    GDALDatasetH ds = NULL;
    int rc = -1, in_tx = 0;
    long nbx = g->nx / 8 + 1, nby = g->ny / 6 + 1;
    const char **block = calloc((size_t) nbx * nby, sizeof *block);
    int(*counter)[61] = calloc(gen_n_communes, sizeof *counter);
    OGRLayerH lyr = NULL;
    if (!path || !block || !counter || !(ds = gen_create("GPKG", path)))
        goto done;
    lyr = gen_layer(ds, "parcels", srs, wkbPolygon, NULL);
    if (!lyr || gen_field(lyr, "MaXa", OFTString, 5, 0) || gen_field(lyr, "SoHieuToBanDo", OFTInteger, 0, 0) ||
        gen_field(lyr, "SoThuTuThua", OFTInteger, 0, 0) || gen_field(lyr, "DienTich", OFTReal, 0, 0) ||
        gen_field(lyr, "KyHieuMucDichSuDung", OFTString, 10, 0) || gen_field(lyr, "TenChu", OFTString, 100, 0))
        goto done;
    for (long k = 0; k < nbx * nby; k++) {
        const char *c = gen_landuse_parcel(r);
        block[k] = gen_landuse_is_public(c) ? "LUC" : c;
    }
    /* defects: every ~2000th parcel, away from the edges of the grid */
    long ndef = n >= 100 ? (n / 2000 > 2 ? n / 2000 : 2) : 0;
    long step = ndef ? n / ndef : 0;
    if (OGR_L_StartTransaction(lyr) != OGRERR_NONE) {
        fprintf(stderr, "ccn-gen: cannot start a transaction: %s\n", CPLGetLastErrorMsg());
        goto done;
    }
    in_tx = 1;
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
    *nbowtie = *noverlap = 0;
    long next_def = ndef ? step / 2 : -1, defs = 0;
    for (long k = 0; k < n; k++) {
        long i = k % g->nx, j = g->ny - 1 - k / g->nx; /* rows from the north */
        gen_pt p[8] = {{0.0, 0.0}};
        size_t m = cell_ring(g, i, j, p);
        double area = fabs(gen_ring_area(p, m)); /* on record: the parcel as surveyed */
        if (k >= next_def && next_def >= 0 && i > 0 && i < g->nx - 1 && j > 0 && j < g->ny - 2) {
            if (defs % 2 == 0) { /* bow-tie: BL, TR, TL, BR */
                gen_pt bl = g->v[j * (g->nx + 1) + i], tl = g->v[(j + 1) * (g->nx + 1) + i];
                gen_pt tr = g->v[(j + 1) * (g->nx + 1) + i + 1], br = g->v[j * (g->nx + 1) + i + 1];
                p[0] = bl;
                p[1] = tr;
                p[2] = tl;
                p[3] = br;
                m = 4;
                ++*nbowtie;
            } else { /* top-right corner pushed 4 m north-east */
                for (size_t q = 0; q < m; q++) {
                    gen_pt *tr = &g->v[(j + 1) * (g->nx + 1) + i + 1];
                    if (p[q].x == tr->x && p[q].y == tr->y)
                        p[q] = gen_pt_mm((gen_pt){p[q].x + 2.828, p[q].y + 2.828});
                }
                ++*noverlap;
            }
            defs++;
            next_def = defs < ndef ? defs * step + step / 4 + gen_rng_int(r, (int) (step / 2)) : -1;
        }
        if (noise_hi > 0)
            add_noise(g, p, m, rn, noise_lo, noise_hi);
        double cx = 0, cy = 0;
        for (size_t q = 0; q < m; q++) {
            cx += p[q].x / m;
            cy += p[q].y / m;
        }
        int com = gen_nearest(seeds, gen_n_communes, cx, cy);
        long sheet = (long) floor((cx - 540000.0) / 700.0) * 11 + (long) floor((cy - 2170000.0) / 550.0);
        int sh = (int) (((sheet % 60) + 60) % 60) + 1;
        const char *lu = (i % 97 == 13) ? "DGT" : (j % 83 == 29) ? "DTL"
                         : gen_rng_unit(r) < 0.05 ? gen_landuse_parcel(r)
                                                  : block[(j / 6) * nbx + i / 8];
        char owner[96];
        if (gen_landuse_is_public(lu) || gen_rng_unit(r) < 0.03)
            gen_public_owner(&gen_communes[com], owner, sizeof owner);
        else
            gen_person_name(r, owner, sizeof owner);
        double noise = gen_rng_unit(r) > 0.7 ? gen_rng_range(r, -0.03, 0.03) : 0.0;
        OGRFeatureH f = OGR_F_Create(defn);
        OGR_F_SetFieldString(f, 0, gen_communes[com].code);
        OGR_F_SetFieldInteger(f, 1, sh);
        OGR_F_SetFieldInteger(f, 2, ++counter[com][sh]);
        OGR_F_SetFieldDouble(f, 3, round(area * (1 + noise) * 10) / 10);
        OGR_F_SetFieldString(f, 4, lu);
        OGR_F_SetFieldString(f, 5, owner);
        int w = gen_write(lyr, f, gen_polygon(p, m), k + 1);
        OGR_F_Destroy(f);
        if (w)
            goto done;
    }
    if (OGR_L_CommitTransaction(lyr) != OGRERR_NONE) {
        fprintf(stderr, "ccn-gen: cannot commit parcels: %s\n", CPLGetLastErrorMsg());
        goto done;
    }
    in_tx = 0;
    rc = 0;
done:
    if (in_tx)
        OGR_L_RollbackTransaction(lyr);
    if (ds)
        GDALClose(ds);
    free(path);
    free(block);
    free(counter);
    return rc;
}

/* Zone corners plus ZONE_STEPS-1 jittered points on every edge, shared. */
static int write_plan(const char *outdir, const grid *g, long n, gen_rng *r, OGRSpatialReferenceH srs,
                      long *nzones)
{
    long m = n / 150 > 4 ? n / 150 : 4;
    double W = g->nx * CELL, H = g->ny * CELL;
    long mx = (long) ceil(sqrt(m * W / H)), my = (m + mx - 1) / mx;
    double sx = W / mx, sy = H / my;
    const int K = ZONE_STEPS - 1;
    size_t W1 = (size_t) mx + 1;
    gen_pt *v = malloc(W1 * (my + 1) * sizeof *v);
    gen_pt *he = malloc((size_t) (my + 1) * mx * K * sizeof *he); /* west -> east */
    gen_pt *ve = malloc((size_t) my * W1 * K * sizeof *ve);      /* south -> north */
    gen_pt *ring = malloc((size_t) (4 + 4 * K) * sizeof *ring);
    char *path = gen_path(outdir, "plan.gpkg");
    GDALDatasetH ds = NULL;
    OGRLayerH lyr = NULL;
    int rc = -1, in_tx = 0;
    if (!v || !he || !ve || !ring || !path)
        goto done;
    for (long j = 0; j <= my; j++)
        for (long i = 0; i <= mx; i++) {
            double jx = (i == 0 || i == mx) ? 0 : gen_rng_range(r, -0.2, 0.2) * sx;
            double jy = (j == 0 || j == my) ? 0 : gen_rng_range(r, -0.2, 0.2) * sy;
            v[j * W1 + i] = gen_pt_mm((gen_pt){g->x0 + i * sx + jx, g->y0 + j * sy + jy});
        }
    for (long j = 0; j <= my; j++)
        for (long i = 0; i < mx; i++) {
            gen_pt a = v[j * W1 + i], b = v[j * W1 + i + 1];
            for (int k = 0; k < K; k++) {
                double t = (k + 1.0) / ZONE_STEPS;
                double off = (j == 0 || j == my) ? 0 : gen_rng_range(r, -0.03, 0.03) * sy;
                he[((size_t) j * mx + i) * K + k] = gen_pt_mm((gen_pt){a.x + t * (b.x - a.x), a.y + t * (b.y - a.y) + off});
            }
        }
    for (long j = 0; j < my; j++)
        for (long i = 0; i <= mx; i++) {
            gen_pt a = v[j * W1 + i], b = v[(j + 1) * W1 + i];
            for (int k = 0; k < K; k++) {
                double t = (k + 1.0) / ZONE_STEPS;
                double off = (i == 0 || i == mx) ? 0 : gen_rng_range(r, -0.03, 0.03) * sx;
                ve[((size_t) j * W1 + i) * K + k] = gen_pt_mm((gen_pt){a.x + t * (b.x - a.x) + off, a.y + t * (b.y - a.y)});
            }
        }
    if (!(ds = gen_create("GPKG", path)))
        goto done;
    lyr = gen_layer(ds, "plan", srs, wkbPolygon, NULL);
    if (!lyr || gen_field(lyr, "landuse", OFTString, 3, 0))
        goto done;
    if (OGR_L_StartTransaction(lyr) != OGRERR_NONE)
        goto done;
    in_tx = 1;
    *nzones = 0;
    for (long j = my - 1; j >= 0; j--)
        for (long i = 0; i < mx; i++) {
            size_t q = 0;
            ring[q++] = v[j * W1 + i];
            for (int k = 0; k < K; k++) /* west edge, northward */
                ring[q++] = ve[((size_t) j * W1 + i) * K + k];
            ring[q++] = v[(j + 1) * W1 + i];
            for (int k = 0; k < K; k++) /* north edge, eastward */
                ring[q++] = he[((size_t) (j + 1) * mx + i) * K + k];
            ring[q++] = v[(j + 1) * W1 + i + 1];
            for (int k = K - 1; k >= 0; k--) /* east edge, southward */
                ring[q++] = ve[((size_t) j * W1 + i + 1) * K + k];
            ring[q++] = v[j * W1 + i + 1];
            for (int k = K - 1; k >= 0; k--) /* south edge, westward */
                ring[q++] = he[((size_t) j * mx + i) * K + k];
            OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
            OGR_F_SetFieldString(f, 0, DISTRICT_PLAN[gen_rng_weighted(r, DISTRICT_PLAN_W, 10)]);
            int w = gen_write(lyr, f, gen_polygon(ring, q), ++*nzones);
            OGR_F_Destroy(f);
            if (w)
                goto done;
        }
    if (OGR_L_CommitTransaction(lyr) != OGRERR_NONE) {
        fprintf(stderr, "ccn-gen: cannot commit plan: %s\n", CPLGetLastErrorMsg());
        goto done;
    }
    in_tx = 0;
    rc = 0;
done:
    if (in_tx)
        OGR_L_RollbackTransaction(lyr);
    if (ds)
        GDALClose(ds);
    free(v);
    free(he);
    free(ve);
    free(ring);
    free(path);
    return rc;
}

int gen_district(const char *outdir, long nparcels, uint64_t seed, double noise_lo, double noise_hi)
{
    double t0 = now();
    grid g;
    memset(&g, 0, sizeof g);
    gen_rng rg, rp, rz, rn;
    gen_rng_init(&rg, seed, "district/grid");
    gen_rng_init(&rn, seed, "district/noise");
    gen_rng_init(&rp, seed, "district/parcels");
    gen_rng_init(&rz, seed, "district/plan");
    OGRSpatialReferenceH srs = gen_srs(GEN_EPSG_WORK), wgs = gen_srs(4326);
    OGRCoordinateTransformationH ct = NULL;
    gen_pt *seeds = calloc(gen_n_communes, sizeof *seeds);
    long nbow = 0, nover = 0, nzones = 0;
    int rc = -1;
    if (!srs || !wgs || !seeds || !(ct = OCTNewCoordinateTransformation(wgs, srs)))
        goto done;
    for (size_t i = 0; i < gen_n_communes; i++) {
        double x = gen_communes[i].lon, y = gen_communes[i].lat;
        if (!OCTTransform(ct, 1, &x, &y, NULL))
            goto done;
        seeds[i] = (gen_pt){x, y};
    }
    if (grid_make(&g, nparcels, &rg)) {
        fprintf(stderr, "ccn-gen: out of memory\n");
        goto done;
    }
    if (write_parcels(outdir, &g, nparcels, &rp, seeds, srs, &nbow, &nover, &rn, noise_lo, noise_hi))
        goto done;
    double t1 = now();
    if (write_plan(outdir, &g, nparcels, &rz, srs, &nzones))
        goto done;
    double t2 = now();
    printf("ccn-gen district, seed %llu, into %s\n", (unsigned long long) seed, outdir);
    printf("  area          %.1f km x %.1f km from E %.3f N %.3f (EPSG:5897)\n", g.nx * CELL / 1000,
           g.ny * CELL / 1000, g.x0, g.y0);
    printf("  parcels.gpkg  %ld parcels (%ld bow-ties, %ld pushed corners) in %.1f s\n", nparcels, nbow,
           nover, t1 - t0);
    printf("  plan.gpkg     %ld zones in %.1f s\n", nzones, t2 - t1);
    if (noise_hi > 0)
        printf("  noise         every inner vertex copy moved %.3f-%.3f m\n", noise_lo / 2, noise_hi / 2);
    rc = 0;
done:
    grid_free(&g);
    free(seeds);
    if (ct)
        OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(srs);
    OSRDestroySpatialReference(wgs);
    return rc;
}
