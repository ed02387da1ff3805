/* ctx — the per-thread handles of ccn and the last error.
 *
 * Every library call takes a ccn_ctx. It owns one GEOS context and one PROJ
 * context, so a thread that works in parallel makes its own ccn_ctx. A
 * function that fails returns a ccn_status and leaves a one-line message in
 * the context (ccn_ctx_message); warnings that do not stop the work are
 * collected in the context for the caller to show. Nothing here prints.
 *
 * Ownership: ccn_ctx_new returns a context the caller frees with ccn_ctx_free;
 * strings returned by the ccn_ctx_* accessors belong to the context. */
#ifndef CCN_CTX_H
#define CCN_CTX_H

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Status codes double as the CLI's exit codes. */
typedef enum {
    CCN_OK = 0,
    CCN_FOUND = 1,        /* ran, and found problems (check) */
    CCN_ERR_INPUT = 2,    /* bad usage or bad input: file, data, option */
    CCN_ERR_INTERNAL = 3, /* a bug or a failed library: not the user's fault */
} ccn_status;

typedef struct ccn_ctx ccn_ctx;

/* Called now and then by long operations; done/total counts work units. */
typedef void (*ccn_progress_fn)(void *user, const char *what, long done, long total);

ccn_ctx *ccn_ctx_new(void);
void ccn_ctx_free(ccn_ctx *ctx);

GEOSContextHandle_t ccn_ctx_geos(ccn_ctx *ctx);
/* The PROJ context, as an opaque pointer: only the crs module uses it.
 * Created on first use, PROJ itself opened then (crs_proj.h); NULL, with
 * the error in ctx, if PROJ cannot be loaded. */
void *ccn_ctx_proj(ccn_ctx *ctx);

/* Record an error and return its status, for `return ccn_error(...)`. */
ccn_status ccn_error(ccn_ctx *ctx, ccn_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *ccn_ctx_message(const ccn_ctx *ctx);
/* The status the message was recorded with (CCN_OK when there is none). */
ccn_status ccn_ctx_status(const ccn_ctx *ctx);
void ccn_ctx_clear_error(ccn_ctx *ctx);

/* Warnings accumulate until the caller takes them. */
void ccn_warn(ccn_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t ccn_ctx_warning_count(const ccn_ctx *ctx);
const char *ccn_ctx_warning(const ccn_ctx *ctx, size_t i);
void ccn_ctx_clear_warnings(ccn_ctx *ctx);

void ccn_ctx_set_progress(ccn_ctx *ctx, ccn_progress_fn fn, void *user);
void ccn_progress(ccn_ctx *ctx, const char *what, long done, long total);

/* The last message GEOS gave on this context ("" if none). */
const char *ccn_ctx_geos_message(const ccn_ctx *ctx);

#endif
