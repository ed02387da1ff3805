/* crs — PROJ transformations and the geodesic area. */
#include "crs.h"

#include <geodesic.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crs_proj.h"

/* A transformation from a recipe (ccn_crs_from_recipe) to WGS 84. */
typedef struct {
    size_t n;
    PJ **op;          /* the candidate operations, as PROJ's database lists them */
    double (*box)[4]; /* each one's area of use, lon/lat west, south, east, north */
    char *src;        /* the source CRS, for PROJ's database when no box decides */
    ccn_ctx *ctx;     /* the context it was made on (its thread's PROJ context) */
} recipe_ops;

struct ccn_transform {
    PJ *pj;     /* normalised for visualisation: x = easting / longitude; from a
                   recipe, NULL until a point needs PROJ's own choice */
    bool noop;  /* source and target are the same CRS */
    recipe_ops r;
};

static ccn_status proj_failure(ccn_ctx *ctx, const char *what, const char *def)
{
    PJ_CONTEXT *pc = ccn_ctx_proj(ctx);
    int err = proj_context_errno(pc);
    return ccn_error(ctx, CCN_ERR_INPUT, "%s '%.120s': %s", what, def,
                     err ? proj_context_errno_string(pc, err) : "not understood");
}

/* The thread's PROJ context into *pc; an error status if PROJ is missing. */
#define CCN_PROJ_CONTEXT(ctx, pc)                                                               \
    PJ_CONTEXT *pc = ccn_ctx_proj(ctx);                                                         \
    if (!pc)                                                                                    \
        return CCN_ERR_INTERNAL;

ccn_status ccn_crs_srs_texts(ccn_ctx *ctx, int code, char **wkt, char **proj4)
{
    *wkt = *proj4 = NULL;
    CCN_PROJ_CONTEXT(ctx, pc)
    char def[32];
    snprintf(def, sizeof def, "EPSG:%d", code);
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    const char *w = proj_as_wkt(pc, crs, PJ_WKT1_GDAL, NULL);
    const char *p = proj_as_proj_string(pc, crs, PJ_PROJ_4, NULL);
    *wkt = w ? strdup(w) : NULL;
    *proj4 = p ? strdup(p) : NULL;
    proj_destroy(crs);
    if (!*wkt || !*proj4) {
        free(*wkt);
        free(*proj4);
        *wkt = *proj4 = NULL;
        return ccn_error(ctx, CCN_ERR_INPUT, "%s has no WKT 1 or PROJ string", def);
    }
    return CCN_OK;
}

ccn_status ccn_crs_epsg_code(ccn_ctx *ctx, const char *def, int *code)
{
    *code = 0;
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    if (proj_get_type(crs) == PJ_TYPE_BOUND_CRS) { /* a PROJ string's +towgs84 */
        PJ *base = proj_get_source_crs(pc, crs);
        if (base) {
            proj_destroy(crs);
            crs = base;
        }
    }
    const char *auth = proj_get_id_auth_name(crs, 0), *id = proj_get_id_code(crs, 0);
    if (auth && id && strcmp(auth, "EPSG") == 0) {
        *code = atoi(id);
    } else {
        /* PROJ's 70 % also pairs a CRS on a bare ellipsoid with one on a
         * datum of that ellipsoid (+ellps=WGS84 with VN-2000): only an EPSG
         * CRS equivalent to it as GDAL's IsSame judges is taken. */
        int *confidence = NULL;
        PJ_OBJ_LIST *found = proj_identify(pc, crs, "EPSG", NULL, &confidence);
        int n = found ? proj_list_get_count(found) : 0;
        for (int i = 0; i < n && !*code; i++) {
            PJ *m = confidence[i] >= 70 ? proj_list_get(pc, found, i) : NULL;
            const char *c = m ? proj_get_id_code(m, 0) : NULL;
            if (c && proj_is_equivalent_to(m, crs, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS))
                *code = atoi(c);
            proj_destroy(m);
        }
        proj_int_list_destroy(confidence);
        proj_list_destroy(found);
    }
    proj_destroy(crs);
    return CCN_OK;
}

/* x, y (traditional GIS order) from a to b; false if it cannot be. */
static bool move_point(PJ_CONTEXT *pc, PJ *a, PJ *b, double *x, double *y)
{
    PJ *op = proj_create_crs_to_crs_from_pj(pc, a, b, NULL, NULL);
    PJ *norm = op ? proj_normalize_for_visualization(pc, op) : NULL;
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    if (norm)
        c = proj_trans(norm, PJ_FWD, c);
    proj_destroy(norm);
    proj_destroy(op);
    *x = c.xy.x, *y = c.xy.y;
    return norm && isfinite(*x) && isfinite(*y);
}

bool ccn_crs_vn2000_reversed(ccn_ctx *ctx, const char *def, const char *target, double lon,
                             double lat)
{
    /* EPSG's shift (as EPSG:5897 carries it), position-vector convention */
    static const double epsg[7] = {-191.90441429, -39.30318279, -111.45032835, 0.00928836,
                                   -0.01975479,   0.00427372,   0.252906278};
    PJ_CONTEXT *pc = ccn_ctx_proj(ctx);
    PJ *crs = pc ? proj_create(pc, def) : NULL;
    PJ *op = crs && proj_get_type(crs) == PJ_TYPE_BOUND_CRS ? proj_crs_get_coordoperation(pc, crs)
                                                           : NULL;
    double v[7];
    /* PROJ gives the values in the position-vector convention whatever the method */
    bool reversed = op && proj_coordoperation_get_towgs84_values(pc, op, v, 7, 0);
    for (int i = 0; reversed && i < 7; i++)
        reversed = fabs(v[i] - (i >= 3 && i <= 5 ? -epsg[i] : epsg[i])) < 1e-6;
    /* Only said when the shift moves the features: PROJ does not use it
     * between a datum it knows as VN-2000's (a WKT's DATUM["Vietnam_2000",
     * ... TOWGS84[...]]) and the workspace's, and the features stay put (the
     * warning said they moved 0.7 m). Told at lon, lat: the features read in
     * the CRS without its shift, and with it. */
    PJ *base = reversed ? proj_get_source_crs(pc, crs) : NULL;
    PJ *to = base ? proj_create(pc, target) : NULL;
    PJ *wgs84 = to ? proj_create(pc, "EPSG:4326") : NULL;
    double x = lon, y = lat, x1, y1;
    if (wgs84 && move_point(pc, wgs84, base, &x, &y)) {
        x1 = x, y1 = y;
        if (move_point(pc, crs, to, &x, &y) && move_point(pc, base, to, &x1, &y1))
            reversed = hypot(x - x1, y - y1) > 0.01;
    }
    proj_destroy(wgs84);
    proj_destroy(to);
    proj_destroy(base);
    proj_destroy(op);
    proj_destroy(crs);
    return reversed;
}

ccn_status ccn_crs_check(ccn_ctx *ctx, const char *def, bool *geographic)
{
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    PJ_TYPE t = proj_get_type(crs);
    if (t == PJ_TYPE_BOUND_CRS) {
        PJ *base = proj_get_source_crs(pc, crs);
        t = base ? proj_get_type(base) : t;
        proj_destroy(base);
    }
    bool is_crs = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS ||
                  t == PJ_TYPE_PROJECTED_CRS || t == PJ_TYPE_COMPOUND_CRS ||
                  t == PJ_TYPE_GEOCENTRIC_CRS || t == PJ_TYPE_OTHER_CRS;
    /* named by its name, not 120 bytes of its WKT */
    const char *name = proj_get_name(crs);
    if (!is_crs)
        ccn_error(ctx, CCN_ERR_INPUT, "'%.120s' is not a coordinate reference system",
                  name && *name ? name : def);
    proj_destroy(crs);
    if (!is_crs)
        return CCN_ERR_INPUT;
    if (geographic)
        *geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS || t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
    return CCN_OK;
}

ccn_status ccn_crs_central_meridian(ccn_ctx *ctx, const char *def, double *lon0)
{
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    ccn_status st = CCN_ERR_INPUT;
    PJ *conv = proj_crs_get_coordoperation(pc, crs);
    const char *method = NULL;
    if (conv)
        proj_coordoperation_get_method_info(pc, conv, &method, NULL, NULL);
    bool tm = method && strstr(method, "Transverse Mercator");
    int n = conv && tm ? proj_coordoperation_get_param_count(pc, conv) : 0;
    for (int i = 0; i < n; i++) {
        const char *name = NULL;
        double value = 0, unit_conv = 1;
        proj_coordoperation_get_param(pc, conv, i, &name, NULL, NULL, &value, NULL, &unit_conv,
                                      NULL, NULL, NULL, NULL);
        if (name && (strstr(name, "Longitude of natural origin") ||
                     strstr(name, "Longitude of origin") || strstr(name, "central meridian"))) {
            *lon0 = value * unit_conv * 180.0 / M_PI;
            st = CCN_OK;
            break;
        }
    }
    proj_destroy(conv);
    proj_destroy(crs);
    if (st)
        ccn_error(ctx, st, "'%.120s' has no central meridian (%s)", def,
                  method ? method : "not a projected CRS");
    return st;
}

/* The area of use PROJ gives for crs; false if it has none. */
static bool area_of(PJ_CONTEXT *pc, const PJ *crs, ccn_crs_area *a)
{
    const char *name = NULL;
    if (!crs || !proj_get_area_of_use(pc, crs, &a->west, &a->south, &a->east, &a->north, &name) ||
        a->west < -180 || a->south < -90) /* -1000: unknown */
        return false;
    /* "North America - onshore and offshore: Canada - Alberta; …" -> before the ':' */
    size_t len = name ? strcspn(name, ":;") : 0;
    while (len > 0 && (name[len - 1] == '.' || name[len - 1] == ' '))
        len--;
    snprintf(a->name, sizeof a->name, "%.*s", (int)len, name ? name : "");
    return true;
}

/* Eastward extent of [west, east] in degrees, crossing 180° if west > east. */
static double lon_span(double west, double east)
{
    return west <= east ? east - west : east - west + 360;
}

static bool lon_within(double west, double east, double lon)
{
    return lon_span(west, lon) <= lon_span(west, east);
}

/* The shortest longitude interval holding both a and b, into a. */
static void lon_union(ccn_crs_area *a, const ccn_crs_area *b)
{
    if (lon_within(a->west, a->east, b->west) && lon_within(a->west, a->east, b->east) &&
        lon_span(a->west, a->east) >= lon_span(b->west, b->east))
        return;
    if (lon_within(b->west, b->east, a->west) && lon_within(b->west, b->east, a->east)) {
        a->west = b->west, a->east = b->east;
        return;
    }
    if (lon_span(a->west, b->east) <= lon_span(b->west, a->east))
        a->east = b->east;
    else
        a->west = b->west;
}

ccn_status ccn_crs_area_of_use(ccn_ctx *ctx, const char *def, ccn_crs_area *out)
{
    memset(out, 0, sizeof *out);
    CCN_PROJ_CONTEXT(ctx, pc)
    PJ *crs = proj_create(pc, def);
    if (!crs)
        return proj_failure(ctx, "unknown CRS", def);
    if (proj_get_type(crs) == PJ_TYPE_BOUND_CRS) {
        PJ *base = proj_get_source_crs(pc, crs);
        proj_destroy(crs);
        crs = base;
    }
    PJ *datum_crs = crs ? proj_crs_get_geodetic_crs(pc, crs) : NULL;
    ccn_crs_area own, datum;
    bool has_own = area_of(pc, crs, &own), has_datum = area_of(pc, datum_crs, &datum);
    proj_destroy(datum_crs);
    proj_destroy(crs);
    if (!has_own && !has_datum)
        return ccn_error(ctx, CCN_ERR_INPUT, "'%.120s': PROJ knows no area of use for it", def);
    *out = has_datum ? datum : own;
    if (has_own && has_datum) {
        lon_union(out, &own);
        out->south = fmin(out->south, own.south);
        out->north = fmax(out->north, own.north);
    }
    return CCN_OK;
}

bool ccn_crs_area_contains(const ccn_crs_area *a, double margin, double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat) || lat < a->south - margin || lat > a->north + margin)
        return false;
    if (lon_span(a->west, a->east) + 2 * margin >= 360)
        return true;
    lon = fmod(lon + 540, 360) - 180; /* into [-180, 180) */
    double west = fmod(a->west - margin + 540, 360) - 180;
    double east = fmod(a->east + margin + 540, 360) - 180;
    return lon_within(west, east, lon);
}

/* src → dst as PROJ's database picks it, axes normalised; NULL with the
 * error in ctx. *same: the two are the same CRS. */
static PJ *database_transform(ccn_ctx *ctx, PJ_CONTEXT *pc, const char *src, const char *dst,
                              bool *same);

ccn_status ccn_crs_transform_new(ccn_ctx *ctx, const char *src, const char *dst,
                                 ccn_transform **out)
{
    *out = NULL;
    CCN_PROJ_CONTEXT(ctx, pc)
    bool same = false;
    PJ *norm = database_transform(ctx, pc, src, dst, &same);
    if (!norm)
        return ccn_ctx_status(ctx) ? ccn_ctx_status(ctx) : CCN_ERR_INTERNAL;
    ccn_transform *tf = calloc(1, sizeof *tf);
    if (!tf) {
        proj_destroy(norm);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    tf->pj = norm;
    tf->noop = same;
    *out = tf;
    return CCN_OK;
}

static PJ *database_transform(ccn_ctx *ctx, PJ_CONTEXT *pc, const char *src, const char *dst,
                              bool *same_out)
{
    PJ *a = proj_create(pc, src);
    if (!a) {
        proj_failure(ctx, "unknown source CRS", src);
        return NULL;
    }
    PJ *b = proj_create(pc, dst);
    if (!b) {
        proj_destroy(a);
        proj_failure(ctx, "unknown target CRS", dst);
        return NULL;
    }
    *same_out = proj_is_equivalent_to(a, b, PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS);
    PJ *op = proj_create_crs_to_crs_from_pj(pc, a, b, NULL, NULL);
    proj_destroy(a);
    proj_destroy(b);
    if (!op) {
        proj_failure(ctx, "no transformation to", dst);
        return NULL;
    }
    PJ *norm = proj_normalize_for_visualization(pc, op);
    proj_destroy(op);
    if (!norm)
        proj_failure(ctx, "cannot normalise the axis order of", src);
    return norm;
}

static void recipe_ops_free(recipe_ops *r)
{
    for (size_t k = 0; k < r->n; k++)
        proj_destroy(r->op[k]);
    free(r->op);
    free(r->box);
    free(r->src);
    *r = (recipe_ops){0};
}

void ccn_crs_transform_free(ccn_transform *tf)
{
    if (!tf)
        return;
    proj_destroy(tf->pj);
    recipe_ops_free(&tf->r);
    free(tf);
}

bool ccn_crs_transform_is_noop(const ccn_transform *tf) { return tf->noop; }

/* Margin of the recipe's boxes, degrees: PROJ tests a point against each
 * operation's area of use as a box in the source CRS (the lon/lat box's
 * corners and edges projected), and a lon/lat reached by any candidate lies
 * within a kilometre of the true one. Half a degree covers both. */
#define RECIPE_MARGIN 0.5

/* The operation a recipe's transform uses at lon/lat: the one candidate
 * whose box, shrunk by the margin, holds it while no other's, grown by it,
 * does — then PROJ's choice, which tests the candidates' areas of use, can
 * only be that one. NULL when it is not that clear. */
static PJ *sole_candidate(const recipe_ops *r, double lon, double lat)
{
    PJ *found = NULL;
    for (size_t k = 0; k < r->n; k++) {
        const double *b = r->box[k];
        bool near = lon >= b[0] - RECIPE_MARGIN && lon <= b[2] + RECIPE_MARGIN &&
                    lat >= b[1] - RECIPE_MARGIN && lat <= b[3] + RECIPE_MARGIN;
        if (!near)
            continue;
        bool inside = lon >= b[0] + RECIPE_MARGIN && lon <= b[2] - RECIPE_MARGIN &&
                      lat >= b[1] + RECIPE_MARGIN && lat <= b[3] - RECIPE_MARGIN;
        if (found || !inside)
            return NULL;
        found = r->op[k];
    }
    return found;
}

/* One point through a recipe's transform: the sole candidate's operation,
 * else PROJ's database's transformation, made the first time it is needed. */
static PJ_COORD recipe_point(ccn_transform *tf, PJ_COORD in)
{
    PJ_COORD c = proj_trans(tf->r.op[0], PJ_FWD, in);
    PJ *op = isfinite(c.xy.x) && isfinite(c.xy.y) ? sole_candidate(&tf->r, c.xy.x, c.xy.y) : NULL;
    if (op == tf->r.op[0])
        return c;
    if (!op && !tf->pj) {
        bool same = false;
        tf->pj = database_transform(tf->r.ctx, ccn_ctx_proj(tf->r.ctx), tf->r.src, "EPSG:4326",
                                    &same);
    }
    op = op ? op : tf->pj;
    return op ? proj_trans(op, PJ_FWD, in) : proj_coord(HUGE_VAL, HUGE_VAL, 0, 0);
}

/* The operations PROJ's database lists from crs to WGS 84 for
 * proj_create_crs_to_crs (every one whose area meets crs's, none needing a
 * grid that is not installed), axes normalised, with their areas of use;
 * false when one has no PROJ string or no area. */
static bool candidates(PJ_CONTEXT *pc, const char *crs, recipe_ops *r)
{
    PJ *a = proj_create(pc, crs), *b = a ? proj_create(pc, "EPSG:4326") : NULL;
    PJ_OPERATION_FACTORY_CONTEXT *f = b ? proj_create_operation_factory_context(pc, NULL) : NULL;
    PJ_OBJ_LIST *ops = NULL;
    if (f) {
        proj_operation_factory_context_set_spatial_criterion(
            pc, f, PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION);
        proj_operation_factory_context_set_grid_availability_use(
            pc, f, PROJ_GRID_AVAILABILITY_DISCARD_OPERATION_IF_MISSING_GRID);
        ops = proj_create_operations(pc, a, b, f);
    }
    int n = ops ? proj_list_get_count(ops) : 0;
    bool ok = n > 0 && (r->op = calloc((size_t)n, sizeof *r->op)) &&
              (r->box = calloc((size_t)n, sizeof *r->box));
    for (int k = 0; ok && k < n; k++) {
        PJ *op = proj_list_get(pc, ops, k);
        r->op[k] = op ? proj_normalize_for_visualization(pc, op) : NULL;
        double *box = r->box[k];
        ok = r->op[k] && proj_as_proj_string(pc, r->op[k], PJ_PROJ_5, NULL) &&
             proj_get_area_of_use(pc, op, &box[0], &box[1], &box[2], &box[3], NULL) &&
             box[0] > -1000 && box[0] < box[2];
        proj_destroy(op);
        r->n = (size_t)k + 1;
    }
    if (ops)
        proj_list_destroy(ops);
    if (f)
        proj_operation_factory_context_destroy(f);
    proj_destroy(b);
    proj_destroy(a);
    return ok;
}

/* Does the recipe give bit for bit what PROJ's database gives wherever a
 * sole candidate decides, over crs's area of use (a 33 × 33 grid)? */
static bool recipe_agrees(ccn_ctx *ctx, const char *crs, ccn_transform *db, ccn_transform *rt)
{
    ccn_crs_area area;
    if (ccn_crs_area_of_use(ctx, crs, &area) || !(area.west < area.east)) {
        ccn_ctx_clear_error(ctx);
        return false;
    }
    for (int i = 0; i <= 32; i++)
        for (int j = 0; j <= 32; j++) {
            PJ_COORD ll = proj_coord(area.west + (area.east - area.west) * i / 32,
                                     area.south + (area.north - area.south) * j / 32, 0, 0);
            PJ_COORD xy = proj_trans(db->pj, PJ_INV, ll);
            if (!isfinite(xy.xy.x) || !isfinite(xy.xy.y) || xy.xy.x == HUGE_VAL)
                continue;
            PJ_COORD p = proj_trans(db->pj, PJ_FWD, xy), q = recipe_point(rt, xy);
            if (memcmp(&p.xy, &q.xy, sizeof p.xy) != 0)
                return false;
        }
    return true;
}

ccn_status ccn_crs_lonlat_recipe(ccn_ctx *ctx, const char *crs, char **recipe)
{
    *recipe = NULL;
    CCN_PROJ_CONTEXT(ctx, pc)
    ccn_transform *db = NULL, *back = NULL;
    ccn_status st = ccn_crs_transform_new(ctx, crs, "EPSG:4326", &db);
    if (st)
        return st;
    double lon0 = NAN, lon_back;
    if (ccn_crs_central_meridian(ctx, crs, &lon0)) {
        ccn_ctx_clear_error(ctx);
        lon0 = NAN;
    }
    recipe_ops r = {0};
    char *text = NULL;
    size_t size = 0;
    FILE *out = NULL;
    if (!db->noop && candidates(pc, crs, &r) && (out = open_memstream(&text, &size))) {
        fprintf(out, "PROJ %s\n%.17g\n", proj_info().version, lon0);
        for (size_t k = 0; k < r.n; k++)
            fprintf(out, "%.17g %.17g %.17g %.17g %s\n", r.box[k][0], r.box[k][1], r.box[k][2],
                    r.box[k][3], proj_as_proj_string(pc, r.op[k], PJ_PROJ_5, NULL));
        if (fclose(out) != 0) {
            free(text);
            text = NULL;
        }
    }
    recipe_ops_free(&r);
    /* Kept only if, read back as a question reads it, it gives PROJ's own
     * coordinates. */
    if (text && ccn_crs_from_recipe(ctx, text, crs, &back, &lon_back) &&
        recipe_agrees(ctx, crs, db, back)) {
        *recipe = text;
        text = NULL;
    }
    free(text);
    ccn_crs_transform_free(back);
    ccn_crs_transform_free(db);
    return st;
}

/* A PROJ pipeline string read as PROJ's own string syntax: unlike
 * proj_create, proj_create_argv does not open PROJ's database. */
static PJ *pipeline_of(PJ_CONTEXT *pc, const char *def)
{
    char *copy = strdup(def), *save = NULL;
    size_t n = 0;
    char **argv = copy ? malloc((strlen(def) / 2 + 2) * sizeof *argv) : NULL;
    for (char *w = argv ? strtok_r(copy, " ", &save) : NULL; w; w = strtok_r(NULL, " ", &save))
        argv[n++] = w[0] == '+' ? w + 1 : w;
    PJ *pj = n ? proj_create_argv(pc, (int)n, argv) : NULL;
    free(argv);
    free(copy);
    return pj;
}

bool ccn_crs_from_recipe(ccn_ctx *ctx, const char *recipe, const char *crs, ccn_transform **tf,
                         double *lon0)
{
    *tf = NULL;
    PJ_CONTEXT *pc = ccn_ctx_proj(ctx);
    const char *version = pc ? proj_info().version : NULL;
    size_t vn = version ? strlen(version) : 0;
    if (!version || strncmp(recipe, "PROJ ", 5) != 0 || strncmp(recipe + 5, version, vn) != 0 ||
        recipe[5 + vn] != '\n')
        return false;
    char *end = NULL;
    double lon = strtod(recipe + 6 + vn, &end);
    if (end == recipe + 6 + vn || *end != '\n')
        return false;
    ccn_transform *t = calloc(1, sizeof *t);
    if (!t)
        return false;
    t->r.ctx = ctx;
    bool ok = (t->r.src = strdup(crs)) != NULL;
    for (const char *line = end + 1, *eol; ok && *line; line = eol ? eol + 1 : "") {
        eol = strchr(line, '\n');
        char *def = eol ? strndup(line, (size_t)(eol - line)) : NULL;
        double b[4];
        int used = 0;
        ok = def && sscanf(def, "%lf %lf %lf %lf %n", &b[0], &b[1], &b[2], &b[3], &used) == 4 &&
             used > 0;
        PJ **op = ok ? realloc(t->r.op, (t->r.n + 1) * sizeof *op) : NULL;
        double(*box)[4] = op ? realloc(t->r.box, (t->r.n + 1) * sizeof *box) : NULL;
        if (op)
            t->r.op = op;
        if (box)
            t->r.box = box;
        if ((ok = box && (op[t->r.n] = pipeline_of(pc, def + used)))) {
            memcpy(box[t->r.n], b, sizeof b);
            t->r.n++;
        }
        free(def);
    }
    if (!ok || t->r.n == 0) {
        ccn_crs_transform_free(t);
        return false;
    }
    *tf = t;
    *lon0 = lon;
    return true;
}

ccn_status ccn_crs_transform_xy(ccn_ctx *ctx, ccn_transform *tf, double *xy, size_t n)
{
    if (tf->noop || n == 0)
        return CCN_OK;
    size_t stride = 2 * sizeof(double);
    if (tf->r.n) {
        for (size_t i = 0; i < n; i++) {
            PJ_COORD c = recipe_point(tf, proj_coord(xy[2 * i], xy[2 * i + 1], 0, 0));
            xy[2 * i] = c.xy.x, xy[2 * i + 1] = c.xy.y;
        }
    } else {
        proj_trans_generic(tf->pj, PJ_FWD, xy, stride, n, xy + 1, stride, n, NULL, 0, 0, NULL, 0,
                           0);
    }
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]) || xy[i] == HUGE_VAL)
            return ccn_error(ctx, CCN_ERR_INPUT,
                             "point %zu (%.6f, %.6f) cannot be transformed", i / 2, xy[2 * (i / 2)],
                             xy[2 * (i / 2) + 1]);
    return CCN_OK;
}

static int transform_point(double *x, double *y, void *user)
{
    ccn_transform *tf = user;
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    c = tf->r.n ? recipe_point(tf, c) : proj_trans(tf->pj, PJ_FWD, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
        return 0;
    *x = c.xy.x;
    *y = c.xy.y;
    return 1;
}

/* A copy of a point, line or ring's coordinates transformed with their Z
 * (kept as it was); NULL if a point fails. */
static GEOSCoordSequence *transform_seq_z(GEOSContextHandle_t h, ccn_transform *tf,
                                          const GEOSCoordSequence *in)
{
    unsigned int n = 0;
    GEOSCoordSequence *seq = in ? GEOSCoordSeq_clone_r(h, in) : NULL;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n)) {
        if (seq)
            GEOSCoordSeq_destroy_r(h, seq);
        return NULL;
    }
    for (unsigned int i = 0; i < n; i++) {
        double x, y, z;
        GEOSCoordSeq_getXYZ_r(h, seq, i, &x, &y, &z);
        PJ_COORD c = proj_coord(x, y, isfinite(z) ? z : 0, 0);
        c = tf->r.n ? recipe_point(tf, c) : proj_trans(tf->pj, PJ_FWD, c);
        if (!isfinite(c.xyz.x) || !isfinite(c.xyz.y) || c.xyz.x == HUGE_VAL) {
            GEOSCoordSeq_destroy_r(h, seq);
            return NULL;
        }
        GEOSCoordSeq_setXY_r(h, seq, i, c.xyz.x, c.xyz.y);
    }
    return seq;
}

/* g transformed with the heights of its points: GEOSGeom_transformXY
 * passes x and y only, and a height moves a point through a datum shift
 * (about 1 mm in 30 m between WGS 84 and VN-2000), as ogr2ogr and PostGIS's
 * ST_Transform move it. The Z stays as it was. */
static GEOSGeometry *transform_geom_z(GEOSContextHandle_t h, ccn_transform *tf,
                                      const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (GEOSisEmpty_r(h, g))
        return GEOSGeom_clone_r(h, g);
    if (t == GEOS_POINT || t == GEOS_LINESTRING || t == GEOS_LINEARRING) {
        GEOSCoordSequence *seq = transform_seq_z(h, tf, GEOSGeom_getCoordSeq_r(h, g));
        if (!seq)
            return NULL;
        return t == GEOS_POINT        ? GEOSGeom_createPoint_r(h, seq)
               : t == GEOS_LINESTRING ? GEOSGeom_createLineString_r(h, seq)
                                      : GEOSGeom_createLinearRing_r(h, seq);
    }
    if (t == GEOS_POLYGON) {
        int n = GEOSGetNumInteriorRings_r(h, g);
        GEOSGeometry *shell = transform_geom_z(h, tf, GEOSGetExteriorRing_r(h, g));
        GEOSGeometry **holes = n > 0 ? calloc((size_t)n, sizeof *holes) : NULL;
        bool ok = shell && (n == 0 || holes);
        for (int i = 0; ok && i < n; i++)
            ok = (holes[i] = transform_geom_z(h, tf, GEOSGetInteriorRingN_r(h, g, i))) != NULL;
        GEOSGeometry *out = ok ? GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)n) : NULL;
        if (!out) {
            if (shell)
                GEOSGeom_destroy_r(h, shell);
            for (int i = 0; holes && i < n; i++)
                if (holes[i])
                    GEOSGeom_destroy_r(h, holes[i]);
        }
        free(holes);
        return out;
    }
    int n = GEOSGetNumGeometries_r(h, g);
    GEOSGeometry **parts = n > 0 ? calloc((size_t)n, sizeof *parts) : NULL;
    bool ok = n > 0 && parts;
    for (int i = 0; ok && i < n; i++)
        ok = (parts[i] = transform_geom_z(h, tf, GEOSGetGeometryN_r(h, g, i))) != NULL;
    GEOSGeometry *out = ok ? GEOSGeom_createCollection_r(h, t, parts, (unsigned)n) : NULL;
    if (!out)
        for (int i = 0; parts && i < n; i++)
            if (parts[i])
                GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return out;
}

GEOSGeometry *ccn_crs_transform_geom(ccn_ctx *ctx, ccn_transform *tf, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    if (tf->noop)
        return GEOSGeom_clone_r(h, g);
    GEOSGeometry *out = GEOSHasZ_r(h, g) == 1 ? transform_geom_z(h, tf, g)
                                              : GEOSGeom_transformXY_r(h, g, transform_point, tf);
    if (!out)
        ccn_error(ctx, CCN_ERR_INPUT, "coordinates cannot be transformed (outside the CRS's "
                                      "area of use?)");
    return out;
}

/* Signed geodesic area of one ring, coordinates lon/lat. */
static double ring_area(GEOSContextHandle_t h, const struct geod_geodesic *geod,
                        const GEOSGeometry *ring)
{
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n) || n < 4)
        return 0;
    struct geod_polygon poly;
    geod_polygon_init(&poly, 0);
    for (unsigned int i = 0; i + 1 < n; i++) { /* the closing point repeats the first */
        double lon, lat;
        GEOSCoordSeq_getXY_r(h, seq, i, &lon, &lat);
        geod_polygon_addpoint(geod, &poly, lat, lon);
    }
    double area = 0;
    geod_polygon_compute(geod, &poly, 0, 1, &area, NULL);
    return fabs(area);
}

static double polygon_area(GEOSContextHandle_t h, const struct geod_geodesic *geod,
                           const GEOSGeometry *p)
{
    double a = ring_area(h, geod, GEOSGetExteriorRing_r(h, p));
    int holes = GEOSGetNumInteriorRings_r(h, p);
    for (int i = 0; i < holes; i++)
        a -= ring_area(h, geod, GEOSGetInteriorRingN_r(h, p, i));
    return a;
}

double ccn_crs_geodesic_area(ccn_ctx *ctx, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = ccn_ctx_geos(ctx);
    const char *why = NULL;
    if (!ccn_proj_load(&why)) {
        ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why);
        return NAN;
    }
    struct geod_geodesic geod;
    geod_init(&geod, 6378137.0, 1 / 298.257223563); /* WGS 84 */
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON)
        return polygon_area(h, &geod, g);
    double a = 0;
    if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++) {
            const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
            if (GEOSGeomTypeId_r(h, p) == GEOS_POLYGON)
                a += polygon_area(h, &geod, p);
        }
    }
    return a;
}
