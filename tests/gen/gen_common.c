/*
 * gen_common.c -- random numbers, planar helpers, the commune table, names,
 * dates and thin GDAL wrappers shared by the sample and district modes.
 *
 * The commune table is the one in gis/communes.csv (real administrative codes
 * of Triệu Sơn district, code 397, before the 2025-07-01 merger).  The lat/lon
 * of each row is only the synthetic seed of its Voronoi cell in the sample
 * data, placed so that each cluster lies in the commune(s) the plan names.
 */
#define _POSIX_C_SOURCE 200809L
#include "gen.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpl_conv.h"
#include "cpl_error.h"

/* ---- random numbers ------------------------------------------------------ */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char) *s;
        h *= 0x100000001b3ULL;
    }
    return h;
}

void gen_rng_init(gen_rng *r, uint64_t seed, const char *stream)
{
    uint64_t x = seed ^ fnv1a(stream);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen_rng_next(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gen_rng_unit(gen_rng *r)
{
    return (double) (gen_rng_next(r) >> 11) * 0x1.0p-53;
}

double gen_rng_range(gen_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gen_rng_unit(r);
}

int gen_rng_int(gen_rng *r, int n)
{
    return n <= 1 ? 0 : (int) (gen_rng_unit(r) * n);
}

int gen_rng_weighted(gen_rng *r, const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int k = gen_rng_int(r, total);
    for (int i = 0; i < n; i++) {
        if (k < w[i])
            return i;
        k -= w[i];
    }
    return n - 1;
}

double gen_rng_sign(gen_rng *r)
{
    return (gen_rng_next(r) >> 63) ? 1.0 : -1.0;
}

/* ---- planar geometry ------------------------------------------------------ */

static int ring_reserve(gen_ring *r, size_t want)
{
    if (want <= r->cap)
        return 0;
    size_t cap = r->cap ? r->cap * 2 : 8;
    while (cap < want)
        cap *= 2;
    gen_pt *p = realloc(r->p, cap * sizeof *p);
    if (!p)
        return -1;
    r->p = p;
    r->cap = cap;
    return 0;
}

int gen_ring_push(gen_ring *r, double x, double y)
{
    if (ring_reserve(r, r->n + 1))
        return -1;
    r->p[r->n].x = x;
    r->p[r->n].y = y;
    r->n++;
    return 0;
}

int gen_ring_insert(gen_ring *r, size_t at, gen_pt p)
{
    if (at > r->n || ring_reserve(r, r->n + 1))
        return -1;
    memmove(r->p + at + 1, r->p + at, (r->n - at) * sizeof *r->p);
    r->p[at] = p;
    r->n++;
    return 0;
}

void gen_ring_free(gen_ring *r)
{
    free(r->p);
    r->p = NULL;
    r->n = r->cap = 0;
}

double gen_ring_area(const gen_pt *p, size_t n)
{
    double a = 0.0;
    for (size_t i = 0; i < n; i++) {
        const gen_pt *q = &p[(i + 1) % n];
        a += (p[i].x - p[0].x) * (q->y - p[0].y) - (q->x - p[0].x) * (p[i].y - p[0].y);
    }
    return a / 2.0;
}

double gen_mm(double v)
{
    return round(v * 1000.0) / 1000.0;
}

gen_pt gen_pt_mm(gen_pt p)
{
    gen_pt q = {gen_mm(p.x), gen_mm(p.y)};
    return q;
}

gen_frame gen_frame_make(double ox, double oy, double angle_rad)
{
    gen_frame f = {ox, oy, cos(angle_rad), sin(angle_rad)};
    return f;
}

gen_pt gen_frame_world(const gen_frame *f, double u, double w)
{
    gen_pt p = {f->ox + u * f->c - w * f->s, f->oy + u * f->s + w * f->c};
    return p;
}

gen_pt gen_frame_local(const gen_frame *f, double x, double y)
{
    double dx = x - f->ox, dy = y - f->oy;
    gen_pt p = {dx * f->c + dy * f->s, -dx * f->s + dy * f->c};
    return p;
}

OGRGeometryH gen_polygon(const gen_pt *p, size_t n)
{
    OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
    OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
    if (!poly || !ring) {
        OGR_G_DestroyGeometry(poly);
        OGR_G_DestroyGeometry(ring);
        return NULL;
    }
    OGR_G_SetPoints(ring, (int) n, &p[0].x, (int) sizeof *p, &p[0].y, (int) sizeof *p, NULL, 0);
    OGR_G_AddPoint_2D(ring, p[0].x, p[0].y);
    OGR_G_AddGeometryDirectly(poly, ring);
    return poly;
}

OGRGeometryH gen_frame_rect(const gen_frame *f, double u0, double w0, double u1, double w1)
{
    gen_pt p[4] = {gen_frame_world(f, u0, w0), gen_frame_world(f, u0, w1),
                   gen_frame_world(f, u1, w1), gen_frame_world(f, u1, w0)};
    return gen_polygon(p, 4);
}

static void largest_part(OGRGeometryH g, OGRGeometryH *best, double *best_area)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPolygon) {
        double a = OGR_G_Area(g);
        if (a > *best_area) {
            *best_area = a;
            *best = g;
        }
    } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
        for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
            largest_part(OGR_G_GetGeometryRef(g, i), best, best_area);
    }
}

OGRGeometryH gen_largest_polygon(OGRGeometryH g)
{
    if (!g)
        return NULL;
    OGRGeometryH best = NULL;
    double best_area = 0.0;
    largest_part(g, &best, &best_area);
    return best ? OGR_G_Clone(best) : NULL;
}

double gen_valid_area(OGRGeometryH g)
{
    OGRGeometryH v = OGR_G_MakeValid(g);
    if (!v)
        return OGR_G_Area(g);
    double a = OGR_G_Area(v);
    OGR_G_DestroyGeometry(v);
    return a;
}

/* ---- communes ------------------------------------------------------------- */

/* Codes: General Statistics Office list of administrative units (district 397,
 * Triệu Sơn) as in force 2021-2024; new_name/new_code from Resolution
 * 1686/NQ-UBTVQH15 (2025-06-16) and the 2025 list.  Thọ Vực and Xuân Thịnh
 * were merged into neighbours before 2025; their successor is inferred. */
const gen_commune gen_communes[] = {
    {"15664", "Thị trấn Triệu Sơn", "thị trấn", "Triệu Sơn", "15664", 19.8236, 105.5957},
    {"15667", "Thọ Sơn", "xã", "Thọ Bình", "15667", 19.9050, 105.4800},
    {"15670", "Thọ Bình", "xã", "Thọ Bình", "15667", 19.9250, 105.4680},
    {"15673", "Thọ Tiến", "xã", "Thọ Ngọc", "15754", 19.8620, 105.4780},
    {"15676", "Hợp Lý", "xã", "Hợp Tiến", "15682", 19.7980, 105.5380},
    {"15679", "Hợp Tiến", "xã", "Hợp Tiến", "15682", 19.7720, 105.5650},
    {"15682", "Hợp Thành", "xã", "Hợp Tiến", "15682", 19.8060, 105.5660},
    {"15685", "Triệu Thành", "xã", "Hợp Tiến", "15682", 19.7720, 105.5400},
    {"15688", "Hợp Thắng", "xã", "Hợp Tiến", "15682", 19.7900, 105.5900},
    {"15691", "Minh Sơn", "xã", "Triệu Sơn", "15664", 19.8480, 105.5920},
    {"15700", "Dân Lực", "xã", "Triệu Sơn", "15664", 19.8397, 105.6159},
    {"15703", "Dân Lý", "xã", "Triệu Sơn", "15664", 19.8230, 105.6335},
    {"15706", "Dân Quyền", "xã", "Triệu Sơn", "15664", 19.8137, 105.6097},
    {"15709", "An Nông", "xã", "An Nông", "15766", 19.7620, 105.6480},
    {"15712", "Vân Sơn", "xã", "Tân Ninh", "15715", 19.7260, 105.5960},
    {"15715", "Thái Hòa", "xã", "Tân Ninh", "15715", 19.7650, 105.6070},
    {"15718", "Thị trấn Nưa", "thị trấn", "Tân Ninh", "15715", 19.7410, 105.6260},
    {"15721", "Đồng Lợi", "xã", "Đồng Tiến", "15724", 19.8320, 105.6900},
    {"15724", "Đồng Tiến", "xã", "Đồng Tiến", "15724", 19.7720, 105.7000},
    {"15727", "Đồng Thắng", "xã", "Đồng Tiến", "15724", 19.8030, 105.6570},
    {"15730", "Tiến Nông", "xã", "An Nông", "15766", 19.7520, 105.6730},
    {"15733", "Khuyến Nông", "xã", "An Nông", "15766", 19.7500, 105.7060},
    {"15736", "Xuân Thịnh", "xã", "Thọ Phú", "15763", 19.8280, 105.5300},
    {"15739", "Xuân Lộc", "xã", "Thọ Phú", "15763", 19.8220, 105.5520},
    {"15742", "Thọ Dân", "xã", "Thọ Phú", "15763", 19.8400, 105.5620},
    {"15745", "Xuân Thọ", "xã", "Thọ Ngọc", "15754", 19.8580, 105.5220},
    {"15748", "Thọ Tân", "xã", "Thọ Phú", "15763", 19.8420, 105.5400},
    {"15751", "Thọ Ngọc", "xã", "Thọ Ngọc", "15754", 19.8800, 105.5000},
    {"15754", "Thọ Cường", "xã", "Thọ Ngọc", "15754", 19.9020, 105.5220},
    {"15757", "Thọ Phú", "xã", "Thọ Phú", "15763", 19.8620, 105.5520},
    {"15760", "Thọ Vực", "xã", "Thọ Phú", "15763", 19.8820, 105.5680},
    {"15763", "Thọ Thế", "xã", "Thọ Phú", "15763", 19.8660, 105.5880},
    {"15766", "Nông Trường", "xã", "An Nông", "15766", 19.7330, 105.6640},
    {"15769", "Bình Sơn", "xã", "Thọ Bình", "15667", 19.8860, 105.4550},
};
const size_t gen_n_communes = sizeof gen_communes / sizeof gen_communes[0];

int gen_nearest(const gen_pt *seeds, size_t n, double x, double y)
{
    int best = 0;
    double bd = INFINITY;
    for (size_t i = 0; i < n; i++) {
        double dx = seeds[i].x - x, dy = seeds[i].y - y, d = dx * dx + dy * dy;
        if (d < bd) {
            bd = d;
            best = (int) i;
        }
    }
    return best;
}

/* ---- names ------------------------------------------------------------------ */

static const char *const SURNAMES[] = {"Nguyễn", "Lê",   "Trịnh", "Hoàng", "Đỗ",   "Phạm",
                                       "Trần",   "Mai",  "Cao",   "Hà",    "Lương", "Vũ",
                                       "Bùi",    "Đặng", "Tống",  "Lại",   "Đinh", "Doãn"};
static const int SURNAME_W[] = {30, 22, 9, 6, 6, 5, 5, 3, 3, 3, 2, 2, 2, 2, 1, 1, 2, 1};
static const char *const MALE_MID[] = {"Văn", "Đình", "Hữu", "Xuân", "Ngọc", "Minh", "Công", "Quang", "Đức"};
static const int MALE_MID_W[] = {55, 8, 7, 7, 5, 5, 5, 4, 4};
static const char *const FEMALE_MID[] = {"Thị", "Ngọc", "Thu", "Hồng", "Minh", "Thanh"};
static const int FEMALE_MID_W[] = {78, 6, 5, 4, 4, 3};
static const char *const MALE_GIVEN[] = {
    "An",   "Bình", "Cường", "Dũng",  "Đức",   "Hải",  "Hùng",  "Hưng", "Khánh", "Long",
    "Minh", "Nam",  "Phong", "Quân",  "Sơn",   "Tài",  "Thắng", "Thành", "Tiến", "Toàn",
    "Trung", "Tuấn", "Việt", "Vinh",  "Hòa",   "Lâm",  "Lực",   "Nghĩa", "Quyết", "Thanh",
    "Hiếu", "Tâm",  "Chiến", "Đông",  "Hậu",   "Lợi",  "Phúc",  "Thịnh", "Kiên", "Luân"};
static const char *const FEMALE_GIVEN[] = {
    "Hoa",  "Lan",   "Hương", "Mai",  "Hạnh", "Hằng", "Huyền", "Nga",  "Ngọc", "Nhung",
    "Oanh", "Phương", "Thảo", "Thủy", "Trang", "Yến", "Vân",   "Loan", "Liên", "Dung",
    "Hiền", "Lý",    "Xuân",  "Hồng", "Ánh",  "Quyên", "Tuyết", "Hà",  "Thu",  "Nhàn"};

#define NELEM(a) ((int) (sizeof(a) / sizeof((a)[0])))

void gen_person_name(gen_rng *r, char *buf, size_t size)
{
    const char *sur = SURNAMES[gen_rng_weighted(r, SURNAME_W, NELEM(SURNAMES))];
    if (gen_rng_unit(r) < 0.62) {
        const char *mid = MALE_MID[gen_rng_weighted(r, MALE_MID_W, NELEM(MALE_MID))];
        const char *given = MALE_GIVEN[gen_rng_int(r, NELEM(MALE_GIVEN))];
        snprintf(buf, size, "%s %s %s", sur, mid, given);
    } else {
        const char *mid = FEMALE_MID[gen_rng_weighted(r, FEMALE_MID_W, NELEM(FEMALE_MID))];
        const char *given = FEMALE_GIVEN[gen_rng_int(r, NELEM(FEMALE_GIVEN))];
        snprintf(buf, size, "%s %s %s", sur, mid, given);
    }
}

void gen_public_owner(const gen_commune *c, char *buf, size_t size)
{
    static const char town[] = "Thị trấn ";
    if (strncmp(c->name, town, sizeof town - 1) == 0)
        snprintf(buf, size, "UBND thị trấn %s", c->name + sizeof town - 1);
    else
        snprintf(buf, size, "UBND xã %s", c->name);
}

static const char *const PARCEL_CODES[] = {"LUC", "LUK", "HNK", "CLN", "ONT", "NTS", "DGT", "DTL", "NTD"};
static const int PARCEL_W[] = {52, 8, 10, 8, 10, 5, 3, 2, 2};
static const char *const PLAN_CODES[] = {"LUC", "HNK", "ONT", "CLN", "NTS", "DGT", "DTL", "NTD", "TMD"};
static const int PLAN_W[] = {40, 12, 16, 8, 6, 8, 5, 2, 3};

const char *gen_landuse_parcel(gen_rng *r)
{
    return PARCEL_CODES[gen_rng_weighted(r, PARCEL_W, NELEM(PARCEL_CODES))];
}

const char *gen_landuse_plan(gen_rng *r)
{
    return PLAN_CODES[gen_rng_weighted(r, PLAN_W, NELEM(PLAN_CODES))];
}

int gen_landuse_is_public(const char *code)
{
    return !strcmp(code, "DGT") || !strcmp(code, "DTL") || !strcmp(code, "NTD");
}

/* ---- dates (proleptic Gregorian, H. Hinnant's algorithms) ----------------------- */

long gen_days(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void gen_date_str(long z, char *buf, size_t size)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    long d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp < 10 ? mp + 3 : mp - 9;
    snprintf(buf, size, "%04ld-%02ld-%02ld", y + (m <= 2), m, d);
}

/* ---- GDAL helpers --------------------------------------------------------------- */

OGRSpatialReferenceH gen_srs(int epsg)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs || OSRImportFromEPSG(srs, epsg) != OGRERR_NONE) {
        fprintf(stderr, "ccn-gen: cannot load EPSG:%d: %s\n", epsg, CPLGetLastErrorMsg());
        OSRDestroySpatialReference(srs);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

GDALDatasetH gen_create(const char *driver, const char *path)
{
    GDALDriverH drv = GDALGetDriverByName(driver);
    if (!drv) {
        fprintf(stderr, "ccn-gen: GDAL has no %s driver\n", driver);
        return NULL;
    }
    if (gen_remove(path))
        return NULL;
    GDALDatasetH ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, NULL);
    if (!ds)
        fprintf(stderr, "ccn-gen: cannot create %s: %s\n", path, CPLGetLastErrorMsg());
    return ds;
}

OGRLayerH gen_layer(GDALDatasetH ds, const char *name, OGRSpatialReferenceH srs,
                    OGRwkbGeometryType type, char **options)
{
    OGRLayerH lyr = GDALDatasetCreateLayer(ds, name, srs, type, options);
    if (!lyr)
        fprintf(stderr, "ccn-gen: cannot create layer %s: %s\n", name, CPLGetLastErrorMsg());
    return lyr;
}

int gen_field(OGRLayerH lyr, const char *name, OGRFieldType type, int width, int precision)
{
    OGRFieldDefnH fld = OGR_Fld_Create(name, type);
    if (!fld)
        return -1;
    if (width > 0)
        OGR_Fld_SetWidth(fld, width);
    if (precision > 0)
        OGR_Fld_SetPrecision(fld, precision);
    OGRErr err = OGR_L_CreateField(lyr, fld, TRUE);
    OGR_Fld_Destroy(fld);
    if (err != OGRERR_NONE) {
        fprintf(stderr, "ccn-gen: cannot create field %s: %s\n", name, CPLGetLastErrorMsg());
        return -1;
    }
    return 0;
}

int gen_write(OGRLayerH lyr, OGRFeatureH f, OGRGeometryH geom, long fid)
{
    if (!geom) {
        fprintf(stderr, "ccn-gen: missing geometry\n");
        return -1;
    }
    OGR_F_SetGeometryDirectly(f, geom);
    if (fid >= 0)
        OGR_F_SetFID(f, fid);
    if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
        fprintf(stderr, "ccn-gen: cannot write feature: %s\n", CPLGetLastErrorMsg());
        return -1;
    }
    return 0;
}

int gen_remove(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        fprintf(stderr, "ccn-gen: cannot remove %s: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

char *gen_path(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, file);
    return p;
}
