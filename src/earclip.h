/* earclip — a simple ring cut into triangles by ear clipping, and the plain
 * ring helpers it needs. Rings are x y interleaved, without the closing
 * point. Coverage ear-clips the non-convex parts it measures overlaps of;
 * width triangulates a piece to bound its width.
 *
 * Ownership: the caller's arrays, read or written in place. */
#ifndef CCN_EARCLIP_H
#define CCN_EARCLIP_H

#include <stddef.h>
#include <stdint.h>

/* The most points ccn_earclip takes: larger rings go to GEOS. */
enum { CCN_EARCLIP_MAX = 48 };

/* Signed area of a ring (counter-clockwise positive), computed about its
 * first point so that coordinates of 2e6 m lose no precision. */
double ccn_earclip_signed_area(const double *p, size_t n);

/* Reverse a ring of n points in place. */
void ccn_earclip_reverse(double *p, size_t n);

/* Ear-clip a counter-clockwise simple ring of n <= CCN_EARCLIP_MAX points
 * into at most n-2 triangles (3 point indices each, into tri); returns the
 * triangles written, 0 when no ear is found (rounding). */
uint32_t ccn_earclip(const double *p, uint32_t n, uint32_t *tri);

#endif
