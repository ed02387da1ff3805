/* import — bring a vector file into a workspace layer (DESIGN §4).
 *
 * Any GDAL vector format; DXF's closed polylines become polygons; CSV
 * marker tables (X = northing, Y = easting unless told otherwise) become
 * points, or boundaries when imported as clusters. Geometry is transformed
 * into the workspace CRS with PROJ; text is transcoded to UTF-8; known source
 * field names are mapped by themselves. The whole import is one transaction:
 * any refused feature fails it (unless skip_bad), and a failure leaves the
 * workspace as it was.
 *
 * Nothing is doubled: a file whose SHA-256 (companion files included) was
 * imported already into the same layer is refused unless `again`, and a
 * feature whose key is stored already (cluster + lot number, commune + sheet
 * + parcel, cluster code, cluster + marker id, commune code) is refused
 * unless the import replaces it. `replace` replaces the part of the layer the
 * file covers: the lots and markers of the clusters in the file, the parcels
 * of the (old commune, sheet) pairs in the file, the boundaries of the
 * clusters in the file, the communes of the codes in the file, and the whole
 * plan (its zones have no key: a plan is replaced as one document).
 * `replace_all` replaces the whole layer. A replace that would leave a lease
 * without its lot is refused, with the leases named. A cluster's boundary is
 * stored whole or not at all: one whose feature (or marker) is refused, or
 * which the database refuses, keeps the boundary it had, replace or not
 * (counted in kept, named in kept_codes). `replace_all` clears the boundary of
 * a cluster the file does not give only if every refused feature was known
 * to be another cluster's (else kept_absent, kept_absent_codes). */
#ifndef CCN_IMPORT_H
#define CCN_IMPORT_H

#include "store.h"

typedef enum {
    CCN_ROLE_CLUSTERS,
    CCN_ROLE_LOTS,
    CCN_ROLE_PARCELS,
    CCN_ROLE_PLAN,
    CCN_ROLE_COMMUNES,
    CCN_ROLE_MARKERS,
} ccn_role;

bool ccn_import_parse_role(const char *name, ccn_role *out);
const char *ccn_import_role_name(ccn_role role);

typedef struct {
    const char *file;
    const char *layer;              /* NULL: the file's only / first polygon layer */
    const char *s_srs;              /* overrides the file's CRS; required if it has none */
    const char *encoding;           /* NULL: as the file says (.cpg), else UTF-8 */
    const char *const *fields;      /* "TARGET=SOURCE" overrides */
    size_t nfields;
    bool replace;                   /* replace the part of the layer the file covers */
    bool replace_all;               /* replace the whole layer */
    bool again;                     /* import a file already imported (same SHA-256) */
    bool if_changed;                /* a file already imported is skipped, not refused */
    bool skip_bad;                  /* store the good features, count the rest as refused */
    bool x_is_easting;              /* marker tables: X = easting, Y = northing */
} ccn_import_options;

typedef struct {
    char layer[256];                /* the source layer read */
    char crs[128];                  /* the source CRS, short */
    int64_t read, stored, refused;
    int64_t far_from_meridian;      /* features farther than 1.5° from the central meridian */
    int64_t normalised;             /* stored features changed by normalise.h: */
    int64_t repeats_removed;        /*   repeated consecutive vertices removed */
    int64_t rings_closed;           /*   rings closed */
    int64_t invalid;                /* stored features whose geometry is not valid (OGC) */
    int64_t replaced;               /* rows of the layer the import replaced (deleted) */
    int64_t kept;                   /* clusters whose new boundary was refused (in whole or in
                                       part) and which keep the one they had (a replace) */
    char kept_codes[256];           /* their codes, ", "-separated ("…" past the room) */
    int64_t kept_absent;            /* --replace-all: clusters the file does not give that keep
                                       their boundary, not cleared, because a refused feature
                                       names no known cluster (it may be theirs) */
    char kept_absent_codes[256];    /* their codes, as kept_codes */
    bool unchanged;                 /* if_changed: the file was imported already; nothing done */
    char sha256[65];                /* of the file and its companion files (ccn_sha256_dataset) */
    char again_of[512];             /* --replace / --replace-all of a file (by its SHA-256)
                                       imported before into the layer: that import's file name */
    char again_at[32];              /*   and time; "" when the file is new to the layer */
} ccn_import_result;

ccn_status ccn_import(ccn_store *store, ccn_role role, const ccn_import_options *opt,
                      ccn_import_result *result);

#endif
