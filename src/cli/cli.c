/* cli — shared plumbing of the subcommands. */
#include "cli.h"
#include "i18n.h"

#include "../cluster.h"
#include "../date.h"

#include "output.h"

#include <stdarg.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

bool cli_report_option(const char *cmd, cli_report *r, int opt, const char *arg)
{
    switch (opt) {
    case 'F':
        if (!ccn_format_parse(arg, &r->format))
            exit(cli_usage_error(cmd, "--format '%s': expected table, csv or json", arg));
        r->format_set = true;
        return true;
    case 'o':
        r->output = strcmp(arg, "-") == 0 ? NULL : arg;
        return true;
    case 'q':
        r->quiet = true;
        return true;
    case 'W':
        r->wide = true;
        return true;
    default:
        return false;
    }
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "ccn: %s: ", cmd);
    vfprintf(stderr, _(fmt), ap); /* xgettext: --keyword=cli_usage_error:2 */
    va_end(ap);
    fputc('\n', stderr);
    fprintf(stderr, _("Try 'ccn %s --help'.\n"), cmd);
    return CCN_ERR_INPUT;
}

int cli_bad_option(const char *cmd)
{
    fprintf(stderr, _("Try 'ccn %s --help'.\n"), cmd);
    return CCN_ERR_INPUT;
}

bool cli_date(const char *cmd, const char *option, const char **value, bool strict)
{
    static char ring[8][11];
    static int next;
    char *iso = ring[next];
    if (*value && ccn_date_parse(*value, iso)) {
        next = (next + 1) % 8;
        *value = iso;
        return true;
    }
    if (!strict)
        return true;
    cli_usage_error(cmd, "%s '%s' is not a date: write YYYY-MM-DD or dd/mm/yyyy", option,
                    *value ? *value : "");
    return false;
}

void cli_warnings(ccn_ctx *ctx, const char *cmd)
{
    char buf[2048];
    for (size_t i = 0; i < ccn_ctx_warning_count(ctx); i++)
        fprintf(stderr, _("ccn: %s: warning: %s\n"), cmd,
                cli_i18n_message(ccn_ctx_warning(ctx, i), buf, sizeof buf));
    ccn_ctx_clear_warnings(ctx);
}

int cli_fail(ccn_ctx *ctx, const char *cmd, ccn_status st)
{
    cli_warnings(ctx, cmd);
    const char *msg = ccn_ctx_message(ctx);
    char buf[2048];
    fprintf(stderr, "ccn: %s: %s\n", cmd, *msg ? cli_i18n_message(msg, buf, sizeof buf) : _("failed"));
    /* A statement that failed is an internal error to the code that ran it,
     * but the message may say it was the user's (a right, a lost race):
     * the exit code follows the message printed. */
    if ((st == CCN_OK || st == CCN_ERR_INTERNAL) && *msg && ccn_ctx_status(ctx) == CCN_ERR_INPUT)
        return CCN_ERR_INPUT;
    return st == CCN_OK ? CCN_ERR_INTERNAL : (int)st;
}

/* The progress bar: one line on stderr, redrawn at most ten times a second. */
typedef struct {
    struct timespec last;
    bool drawn;
} progress_state;

static void draw_progress(void *user, const char *what, long done, long total)
{
    progress_state *p = user;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - p->last.tv_sec) + (double)(now.tv_nsec - p->last.tv_nsec) / 1e9;
    bool finished = total > 0 && done >= total;
    if (dt < 0.1 && !finished)
        return;
    p->last = now;
    const char *name = strrchr(what, '/') ? strrchr(what, '/') + 1 : what;
    if (total > 0) {
        int width = 30, fill = (int)((double)done / (double)total * width);
        fprintf(stderr, "\r%-24.24s [%.*s%*s] %3d%%", name, fill,
                "##############################", width - fill, "",
                (int)(100.0 * (double)done / (double)total));
    } else {
        fprintf(stderr, "\r%-24.24s %ld", name, done);
    }
    p->drawn = true;
    if (finished) {
        fputc('\n', stderr);
        p->drawn = false;
    }
}

/* Test hooks: CCN_TEST_KILL_AT=N kills the process hard once N units of
 * work are reported, to prove that a killed import leaves the workspace whole;
 * CCN_TEST_PAUSE_AT=N stops it there until a signal ends it, so that a test
 * can signal a run that is surely in the middle, however fast the machine. */
static long kill_at = -1;
static long pause_at = -1;

static void progress_or_die(void *user, const char *what, long done, long total)
{
    if (kill_at >= 0 && done >= kill_at) {
        fflush(NULL);
        _exit(137); /* no cleanup, no rollback: as SIGKILL would leave it */
    }
    if (pause_at >= 0 && done >= pause_at) {
        fflush(NULL);
        for (;;)
            pause(); /* a handled signal returns here; the test's TERM or KILL ends us */
    }
    if (user)
        draw_progress(user, what, done, total);
}

ccn_ctx *cli_ctx(bool quiet)
{
    static progress_state state;
    ccn_ctx *ctx = ccn_ctx_new();
    if (!ctx) {
        fprintf(stderr, "ccn: cannot start GEOS or PROJ\n");
        exit(CCN_ERR_INTERNAL);
    }
    const char *k = getenv("CCN_TEST_KILL_AT");
    if (k)
        kill_at = strtol(k, NULL, 10);
    const char *p = getenv("CCN_TEST_PAUSE_AT");
    if (p)
        pause_at = strtol(p, NULL, 10);
    bool bar = !quiet && isatty(STDERR_FILENO);
    if (bar || kill_at >= 0 || pause_at >= 0)
        ccn_ctx_set_progress(ctx, progress_or_die, bar ? &state : NULL);
    return ctx;
}

int cli_open(ccn_ctx *ctx, const char *cmd, const char *path, ccn_store **out)
{
    ccn_status st = ccn_store_open(ctx, path, out);
    return st ? cli_fail(ctx, cmd, st) : 0;
}

int cli_cluster(ccn_ctx *ctx, const char *cmd, ccn_store *store, const char **cluster, char *buf,
                size_t size)
{
    bool found = false;
    ccn_status st = *cluster ? ccn_cluster_code(store, *cluster, buf, size, &found) : CCN_OK;
    if (found)
        *cluster = buf;
    return st ? cli_fail(ctx, cmd, st) : 0;
}

/* Without --format: JSON into a file named .json (as GDAL's tools take the
 * format from the name), a table on a terminal, CSV otherwise. */
static ccn_format effective_format(const cli_report *r)
{
    if (r->format_set)
        return r->format;
    size_t n = r->output ? strlen(r->output) : 0;
    if (n > 5 && strcasecmp(r->output + n - 5, ".json") == 0)
        return CCN_FORMAT_JSON;
    return !r->output && isatty(STDOUT_FILENO) ? CCN_FORMAT_TABLE : CCN_FORMAT_CSV;
}

/* The columns printed: DESIGN §8's, their text in the language the CLI
 * speaks (a check's message); with --wide every column as the table holds
 * it, the same whatever the language (message English, message_vi beside). */
static ccn_table_show shown_columns(const cli_report *r)
{
    if (r->wide)
        return CCN_SHOW_ALL;
    return cli_i18n_vietnamese() ? CCN_SHOW_CONTRACT_VI : CCN_SHOW_CONTRACT;
}

int cli_emit(ccn_ctx *ctx, const char *cmd, const ccn_table *t, const cli_report *r)
{
    ccn_format fmt = effective_format(r);
    ccn_status st = r->output ? ccn_table_write_file(ctx, t, fmt, shown_columns(r), r->output)
                              : ccn_table_write(ctx, t, fmt, shown_columns(r), stdout);
    return st ? cli_fail(ctx, cmd, st) : 0;
}

int cli_early_begin(ccn_ctx *ctx, const char *cmd, const cli_report *r, cli_early *e)
{
    *e = (cli_early){.format = effective_format(r), .show = shown_columns(r), .path = r->output};
    ccn_status st = r->output ? ccn_output_open_text(ctx, r->output, &e->out) : CCN_OK;
    return st ? cli_fail(ctx, cmd, st) : 0;
}

ccn_status cli_early_write(void *early, ccn_ctx *ctx, const ccn_table *t)
{
    cli_early *e = early;
    ccn_status st = ccn_table_write(ctx, t, e->format, e->show, ccn_output_stream(e->out));
    return st ? ccn_error(ctx, st, "cannot write '%s': %s", e->path, strerror(errno)) : CCN_OK;
}

int cli_early_end(ccn_ctx *ctx, const char *cmd, cli_early *e, bool keep)
{
    ccn_status st = CCN_OK;
    if (keep && e->out)
        st = ccn_output_commit(ctx, e->out);
    else
        ccn_output_abort(e->out);
    e->out = NULL;
    return st ? cli_fail(ctx, cmd, st) : 0;
}

/* The -o file of the streamed table (one a process), written through output.h. */
static ccn_output *stream_output;

int cli_stream_begin(ccn_ctx *ctx, const char *cmd, ccn_table *t, const cli_report *r, FILE **out)
{
    *out = stdout;
    if (r->output) {
        ccn_status st = ccn_output_open_text(ctx, r->output, &stream_output);
        if (st)
            return cli_fail(ctx, cmd, st);
        *out = ccn_output_stream(stream_output);
    }
    ccn_table_stream(t, effective_format(r), shown_columns(r), *out);
    return 0;
}

void cli_stream_abort(void)
{
    ccn_output_abort(stream_output);
    stream_output = NULL;
}

int cli_stream_end(ccn_ctx *ctx, const char *cmd, ccn_table *t, const cli_report *r, FILE *out)
{
    (void)r;
    (void)out;
    ccn_status st = ccn_table_finish(ctx, t);
    if (stream_output) {
        if (st)
            ccn_output_abort(stream_output);
        else
            st = ccn_output_commit(ctx, stream_output);
        stream_output = NULL;
    }
    return st ? cli_fail(ctx, cmd, st) : 0;
}
