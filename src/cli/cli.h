/* cli — what the subcommands share: usage errors, the workspace, report
 * output (--format, -o), warnings and the progress bar. Each subcommand lives
 * in its own cmd_<name>.c, parses its options, calls the library, prints. */
#ifndef CCN_CLI_H
#define CCN_CLI_H

#include "../ctx.h"
#include "../store.h"
#include "../table.h"

#include <getopt.h>
#include <stdio.h>

typedef int (*cli_command_fn)(int argc, char **argv);

/* Report options every report command takes. */
typedef struct {
    ccn_format format;
    bool format_set;
    const char *output; /* -o FILE, NULL for stdout */
    bool quiet;         /* -q: no progress bar */
    bool wide;          /* --wide: the table's extra columns after DESIGN §8's */
} cli_report;

/* The long options of cli_report, for a command's getopt table. */
#define CLI_REPORT_OPTIONS                                                                       \
    {"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},           \
        {"quiet", no_argument, NULL, 'q'}
/* --wide, for the commands whose tables have extra columns (table.h). */
#define CLI_WIDE_OPTION {"wide", no_argument, NULL, 'W'}

/* Handle -F/-o/-q/--wide; returns false if opt is not one of them. Exits 2 on a bad value. */
bool cli_report_option(const char *cmd, cli_report *r, int opt, const char *arg);

/* Print "ccn: CMD: message" and the --help hint to stderr; returns 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* An option getopt refused: it has said which and why ("ccn: CMD: option '--format' requires an
 * argument"); the hint follows. Returns the exit code (2). */
int cli_bad_option(const char *cmd);
/* Dates: YYYY-MM-DD or dd/mm/yyyy (date.h). *value, the text of option,
 * becomes the ISO date; when it is not a date, print the one message every
 * command gives and return false (strict), or leave it for the library (a
 * quarter "2024-Q3" is also a --from). The ISO text lives in a small static
 * ring: a command may hold a few dates at once. */
bool cli_date(const char *cmd, const char *option, const char **value, bool strict);
/* Print the context's error as "ccn: CMD: message"; returns the exit code for st. */
int cli_fail(ccn_ctx *ctx, const char *cmd, ccn_status st);
/* Print and clear the context's warnings. */
void cli_warnings(ccn_ctx *ctx, const char *cmd);

/* A context with the progress bar on when stderr is a terminal and !quiet. */
ccn_ctx *cli_ctx(bool quiet);
/* Open the workspace or print why not (returns the exit code, 0 when open). */
int cli_open(ccn_ctx *ctx, const char *cmd, const char *path, ccn_store **out);
/* --cluster as the registry spells it (ccn_cluster_code): *cluster points
 * to buf then; left as given when no code matches. Returns the exit code. */
int cli_cluster(ccn_ctx *ctx, const char *cmd, ccn_store *store, const char **cluster, char *buf,
                size_t size);
/* Write a table as the report options say; returns the exit code. */
int cli_emit(ccn_ctx *ctx, const char *cmd, const ccn_table *t, const cli_report *r);
/* A table the library hands over before it is done, written meanwhile (ccn
 * check's findings while the workspace is written): with -o FILE only, whose
 * temporary file cli_early_begin opens, cli_early_write (the library's
 * callback, on its thread) fills, and cli_early_end puts in place when the
 * command succeeded or removes. Without -o, e->out stays NULL and the table
 * is written with cli_emit as usual. */
typedef struct {
    struct ccn_output *out;
    ccn_format format;
    ccn_table_show show;
    const char *path;
} cli_early;
int cli_early_begin(ccn_ctx *ctx, const char *cmd, const cli_report *r, cli_early *e);
ccn_status cli_early_write(void *early, ccn_ctx *ctx, const ccn_table *t);
int cli_early_end(ccn_ctx *ctx, const char *cmd, cli_early *e, bool keep);
/* Stream a table that is about to be filled row by row (long reports). */
int cli_stream_begin(ccn_ctx *ctx, const char *cmd, ccn_table *t, const cli_report *r, FILE **out);
/* A failed stream: remove the -o file's temporary name, keep the old file. */
void cli_stream_abort(void);
int cli_stream_end(ccn_ctx *ctx, const char *cmd, ccn_table *t, const cli_report *r, FILE *out);

/* Subcommands. */
int cmd_areas(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_grant(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_lease(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_occupancy(int argc, char **argv);
int cmd_overlay(int argc, char **argv);
int cmd_parcels(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_qgis(int argc, char **argv);
int cmd_report(int argc, char **argv);

#endif
