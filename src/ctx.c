/* ctx — per-thread GEOS and PROJ handles, last error, collected warnings. */
#include "ctx.h"

#include <geodesic.h>
#include <proj.h>

#include "crs_proj.h"
#include "outtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ccn_ctx {
    GEOSContextHandle_t geos;
    PJ_CONTEXT *proj;
    ccn_status status;
    char message[1024];      /* last error, one line */
    char geos_message[512];  /* last GEOS notice or error */
    char **warnings;         /* owned strings */
    size_t nwarnings, capwarnings;
    ccn_progress_fn progress;
    void *progress_user;
};

static void on_geos_message(const char *msg, void *user)
{
    ccn_ctx *ctx = user;
    snprintf(ctx->geos_message, sizeof ctx->geos_message, "%s", msg);
}

ccn_ctx *ccn_ctx_new(void)
{
    ccn_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->geos = GEOS_init_r(); /* PROJ's context: on first use (ccn_ctx_proj) */
    if (!ctx->geos) {
        ccn_ctx_free(ctx);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(ctx->geos, on_geos_message, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, on_geos_message, ctx);
    return ctx;
}

void ccn_ctx_free(ccn_ctx *ctx)
{
    if (!ctx)
        return;
    ccn_ctx_clear_warnings(ctx);
    free(ctx->warnings);
    if (ctx->geos)
        GEOS_finish_r(ctx->geos);
    if (ctx->proj)
        proj_context_destroy(ctx->proj);
    free(ctx);
}

GEOSContextHandle_t ccn_ctx_geos(ccn_ctx *ctx) { return ctx->geos; }
void *ccn_ctx_proj(ccn_ctx *ctx)
{
    const char *why = NULL;
    if (ctx->proj)
        return ctx->proj;
    if (!ccn_proj_load(&why) || !(ctx->proj = proj_context_create())) {
        ccn_error(ctx, CCN_ERR_INTERNAL, "%s", why ? why : "cannot create a PROJ context");
        return NULL;
    }
    /* PROJ must never reach the network: grids come from the packaged database. */
    proj_context_set_enable_network(ctx->proj, 0);
    proj_log_level(ctx->proj, PJ_LOG_NONE);
    return ctx->proj;
}

ccn_status ccn_ctx_status(const ccn_ctx *ctx) { return ctx->status; }

ccn_status ccn_error(ccn_ctx *ctx, ccn_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ccn_outtext_vformat(ctx->message, sizeof ctx->message, fmt, ap);
    va_end(ap);
    ctx->status = status;
    return status;
}

const char *ccn_ctx_message(const ccn_ctx *ctx) { return ctx->message; }

void ccn_ctx_clear_error(ccn_ctx *ctx)
{
    ctx->message[0] = '\0';
    ctx->status = CCN_OK;
}

void ccn_warn(ccn_ctx *ctx, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    ccn_outtext_vformat(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < ctx->nwarnings; i++)
        if (strcmp(ctx->warnings[i], buf) == 0)
            return; /* said once is enough, however often a layer is read */
    if (ctx->nwarnings == ctx->capwarnings) {
        size_t cap = ctx->capwarnings ? 2 * ctx->capwarnings : 16;
        char **w = realloc(ctx->warnings, cap * sizeof *w);
        if (!w)
            return; /* a warning lost to memory exhaustion is not worth failing for */
        ctx->warnings = w;
        ctx->capwarnings = cap;
    }
    char *copy = strdup(buf);
    if (copy)
        ctx->warnings[ctx->nwarnings++] = copy;
}

size_t ccn_ctx_warning_count(const ccn_ctx *ctx) { return ctx->nwarnings; }

const char *ccn_ctx_warning(const ccn_ctx *ctx, size_t i)
{
    return i < ctx->nwarnings ? ctx->warnings[i] : NULL;
}

void ccn_ctx_clear_warnings(ccn_ctx *ctx)
{
    for (size_t i = 0; i < ctx->nwarnings; i++)
        free(ctx->warnings[i]);
    ctx->nwarnings = 0;
}

void ccn_ctx_set_progress(ccn_ctx *ctx, ccn_progress_fn fn, void *user)
{
    ctx->progress = fn;
    ctx->progress_user = user;
}

void ccn_progress(ccn_ctx *ctx, const char *what, long done, long total)
{
    if (ctx->progress)
        ctx->progress(ctx->progress_user, what, done, total);
}

const char *ccn_ctx_geos_message(const ccn_ctx *ctx) { return ctx->geos_message; }
