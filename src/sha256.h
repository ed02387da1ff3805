/* sha256 — FIPS 180-4 SHA-256, for the provenance of imported files. */
#ifndef CCN_SHA256_H
#define CCN_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t length;        /* bytes hashed so far */
    unsigned char block[64];
    size_t used;            /* bytes waiting in block */
} ccn_sha256;

void ccn_sha256_init(ccn_sha256 *s);
void ccn_sha256_update(ccn_sha256 *s, const void *data, size_t n);
/* Finish and write 64 lower-case hex digits and a NUL into hex. */
void ccn_sha256_hex(ccn_sha256 *s, char hex[65]);
/* Hash n bytes at data into hex. */
void ccn_sha256_buffer(const void *data, size_t n, char hex[65]);
/* Hash a whole file; false if it cannot be read. */
bool ccn_sha256_file(const char *path, char hex[65]);
/* Hash a dataset: the file alone if it has no companion files (then equal to
 * ccn_sha256_file, as sha256sum prints it), else the SHA-256 of the lines
 * "EXT HEX\n" of the file and each companion that exists, in a fixed order
 * (a shapefile's .shp, .shx, .dbf, .prj, .cpg; a MapInfo .tab, .dat, .map,
 * .id, .ind), so two shapefiles that differ only in their attributes differ.
 * False if a part cannot be read. */
bool ccn_sha256_dataset(const char *path, char hex[65]);
/* How ccn_sha256_dataset_io reads: open (NULL if the file cannot be),
 * read (0 at the end or on an error), close (false after a read error). */
typedef struct {
    void *(*open)(const char *path);
    size_t (*read)(void *f, void *buf, size_t n);
    bool (*close)(void *f);
} ccn_sha256_io;
/* The same through io: a path GDAL reads (a /vsizip/ archive's member). */
bool ccn_sha256_dataset_io(const char *path, const ccn_sha256_io *io, char hex[65]);

#endif
