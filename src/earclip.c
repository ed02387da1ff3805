/* earclip — ear clipping of simple rings. */
#include "earclip.h"

#include <stdbool.h>
#include <string.h>

static double cross3(const double *o, const double *a, const double *b)
{
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/* Signed area of a ring (points without the closing one), computed about
 * its first point so that coordinates of 2e6 m lose no precision. */
double ccn_earclip_signed_area(const double *p, size_t n)
{
    double s = 0;
    for (size_t k = 1; k + 1 < n; k++)
        s += (p[2 * k] - p[0]) * (p[2 * k + 3] - p[1]) - (p[2 * k + 2] - p[0]) * (p[2 * k + 1] - p[1]);
    return s / 2;
}


void ccn_earclip_reverse(double *p, size_t n)
{
    for (size_t a = 0, b = n - 1; a < b; a++, b--) {
        double x = p[2 * a], y = p[2 * a + 1];
        p[2 * a] = p[2 * b], p[2 * a + 1] = p[2 * b + 1];
        p[2 * b] = x, p[2 * b + 1] = y;
    }
}

/* Point q inside or on triangle abc (counter-clockwise). */
static bool in_triangle(const double *a, const double *b, const double *c, const double *q)
{
    return cross3(a, b, q) >= 0 && cross3(b, c, q) >= 0 && cross3(c, a, q) >= 0;
}

/* Ear-clip a counter-clockwise simple ring of n points into n-2 triangles;
 * returns the triangles written, 0 when no ear is found (rounding). */
uint32_t ccn_earclip(const double *p, uint32_t n, uint32_t *tri)
{
    uint32_t idx[CCN_EARCLIP_MAX];
    uint32_t m = n, nt = 0;
    for (uint32_t k = 0; k < n; k++)
        idx[k] = k;
    while (m > 3) {
        bool found = false;
        for (uint32_t k = 0; k < m && !found; k++) {
            uint32_t a = idx[(k + m - 1) % m], b = idx[k], c = idx[(k + 1) % m];
            double cr = cross3(p + 2 * a, p + 2 * b, p + 2 * c);
            if (cr < 0)
                continue;
            bool ear = true;
            for (uint32_t j = 0; j < m && ear && cr > 0; j++) {
                uint32_t d = idx[j];
                const double *q = p + 2 * d;
                if (d == a || d == b || d == c ||
                    (q[0] == p[2 * a] && q[1] == p[2 * a + 1]) ||
                    (q[0] == p[2 * c] && q[1] == p[2 * c + 1]))
                    continue;
                ear = !in_triangle(p + 2 * a, p + 2 * b, p + 2 * c, q);
            }
            if (!ear)
                continue;
            if (cr > 0) { /* a collinear vertex is dropped without a triangle */
                tri[3 * nt] = a, tri[3 * nt + 1] = b, tri[3 * nt + 2] = c;
                nt++;
            }
            memmove(idx + k, idx + k + 1, (m - k - 1) * sizeof *idx);
            m--;
            found = true;
        }
        if (!found)
            return 0;
    }
    tri[3 * nt] = idx[0], tri[3 * nt + 1] = idx[1], tri[3 * nt + 2] = idx[2];
    return nt + 1;
}
