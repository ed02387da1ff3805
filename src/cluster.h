/* cluster — the registry's clusters with their boundaries, ready to compute with.
 *
 * Commands that measure something against a cluster (overlay, parcels) read
 * the same rows the same way: the registry order (fid), the cluster's code,
 * name and conforming plan code (SKN for a cluster, SKK for the industrial
 * park), and its boundary as a valid polygonal geometry (MakeValid when the
 * stored one is invalid, with a warning naming it) and its planar area.
 *
 * Ownership: a ccn_clusters owns its strings and geometries; free it with
 * ccn_clusters_free. */
#ifndef CCN_CLUSTER_H
#define CCN_CLUSTER_H

#include "store.h"

typedef struct {
    int64_t fid;
    char *code;         /* "DL3" */
    char *name;         /* "Dân Lực – Dân Lý – Dân Quyền" */
    char *plan_code;    /* the planned code it must sit on ("SKN"); NULL if unset */
    GEOSGeometry *geom; /* valid polygonal boundary in the workspace CRS */
    double area;        /* planar area of geom, m² */
} ccn_cluster;

typedef struct {
    size_t n;
    ccn_cluster *c;
} ccn_clusters;

/* The clusters that have a boundary, or only the one named code (NULL: all).
 * CCN_ERR_INPUT for an unknown code, for a named cluster without boundary, and
 * when no cluster has one; clusters left out for want of a boundary are named
 * in a warning. */
ccn_status ccn_clusters_load(ccn_store *store, const char *code, ccn_clusters *out);
void ccn_clusters_free(ccn_ctx *ctx, ccn_clusters *cs);

/* The words a title puts before a cluster's name ("Cụm công nghiệp ", or
 * "Khu công nghiệp " for kind "park"), or "" when the name already says
 * which it is ("Khu công nghiệp phía Tây Thanh Hóa"). */
const char *ccn_cluster_kind_word(const char *name, const char *kind);

/* The registry's code of the cluster a person named in another case, with
 * spaces round it or with diacritics ("ht ", "Nưa" for NUA), as lease and
 * occupancy read it: copied into buf (size bytes) and *found set; when no code
 * matches, *found is false and buf is untouched (the caller's own message
 * names what was given). */
ccn_status ccn_cluster_code(ccn_store *store, const char *given, char *buf, size_t size,
                            bool *found);

#endif
