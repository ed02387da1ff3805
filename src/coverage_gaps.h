/* coverage_gaps — the gaps of a coverage check: the faces of the union's
 * boundary covered by no polygon (from the labels, or a point tested against
 * the polygons where they do not add up), grouped into regions (faces that
 * touch at a vertex, one of them at most the noise floor, are one), each a
 * GAP or, when thin, an EDGE_MISMATCH (coverage.h). */
#ifndef CCN_COVERAGE_GAPS_H
#define CCN_COVERAGE_GAPS_H

#include "coverage_run.h"

ccn_status ccn_coverage_find_gaps(ccn_ctx *ctx, run_t *run);

#endif
