/* output — every file ccn writes appears whole or not at all.
 *
 * An output (an exported layer, a map, a CSV or JSON report given with -o,
 * the workbook, a report's folder) is written under a temporary name beside
 * its target, in the same folder so that one rename(2) puts it in place:
 *
 *     .NAME.ccn-tmp-PID-N      (NAME the target's name, PID ours, N = 0, 1 …)
 *
 * The temporary file is created with O_CREAT | O_EXCL | O_NOFOLLOW and a
 * temporary folder with mkdir(2): neither follows a symbolic link planted
 * at that name; a name that exists is left alone and the next N is tried.
 * Libraries that create their own files (GDAL: a shapefile is five files)
 * are given a temporary folder; its files are renamed into place on commit.
 *
 * Nothing is left behind: a failure removes the temporary name; every
 * temporary name is registered while it exists, and SIGINT, SIGTERM or
 * SIGHUP remove them all before the process ends (ccn_output_handle_signals,
 * installed by the tool); SIGKILL cannot be caught, so every ccn_output_open
 * first removes the temporary names in the target's folder whose process is
 * gone (only regular files and folders of ours, never a link).
 *
 * Ownership: ccn_output_open* returns a handle that ccn_output_commit or
 * ccn_output_abort frees (exactly one of them); strings it returns belong
 * to it. The registry is process-wide and thread-safe for open/commit. */
#ifndef CCN_OUTPUT_H
#define CCN_OUTPUT_H

#include "ctx.h"

#include <stdio.h>

typedef struct ccn_output ccn_output;

/* A temporary file beside path, open for writing (ccn_output_stream).
 * CCN_ERR_INPUT when path is an SQLite database (a workspace, a GeoPackage):
 * nothing written through here may replace one. */
ccn_status ccn_output_open(ccn_ctx *ctx, const char *path, ccn_output **out);
/* The same for a text report (CSV, JSON, a text table): also
 * CCN_ERR_INPUT when path holds binary data (a NUL byte in its first 4 KiB:
 * a shapefile, an image, a spreadsheet), which no report of ccn's is. */
ccn_status ccn_output_open_text(ccn_ctx *ctx, const char *path, ccn_output **out);
/* A temporary folder beside path, for a library to create its files in
 * (ccn_output_part names them). */
ccn_status ccn_output_open_dir(ccn_ctx *ctx, const char *path, ccn_output **out);

const char *ccn_output_path(const ccn_output *o); /* the target */
const char *ccn_output_tmp(const ccn_output *o);  /* the temporary file or folder */
/* File kind: the temporary file, open "w+b" (a library may also reopen it
 * by ccn_output_tmp: it exists and is ours). */
FILE *ccn_output_stream(ccn_output *o);
/* Folder kind: the path inside the temporary folder of the target's name
 * with its extension replaced by ext (NULL: the name as it is). */
const char *ccn_output_part(ccn_output *o, const char *ext);

/* Close the temporary file (a write error fails here), then rename it onto
 * the target (folder kind: each file in the folder onto its name beside
 * the target), and free. On failure the temporary name is removed and the
 * target is as it was. */
ccn_status ccn_output_commit(ccn_ctx *ctx, ccn_output *o);
/* The same for a target made new (folder kind): a file that appeared at a
 * target name meanwhile is not written over (CCN_ERR_INPUT, File exists). */
ccn_status ccn_output_commit_new(ccn_ctx *ctx, ccn_output *o);
/* Remove the temporary file or folder and free (NULL is fine). */
void ccn_output_abort(ccn_output *o);

/* Lower level, for ccn_outdir: create a temporary folder beside path
 * (named as above, registered), into *tmp (the caller frees it). */
ccn_status ccn_output_temp_dir(ccn_ctx *ctx, const char *path, char **tmp);
/* tmp has been renamed away or removed: stop watching it. */
void ccn_output_forget(const char *tmp);
/* Remove a registered temporary file or folder (not following links). */
void ccn_output_remove(const char *tmp);

/* Remove the temporary names of dead ccn processes in folder dir. */
void ccn_output_clean_stale(const char *dir);

/* Install handlers of SIGINT, SIGTERM and SIGHUP that remove every
 * registered temporary name, then end the process by the same signal. */
void ccn_output_handle_signals(void);

/* Remove a file or a folder and everything in it, never following a
 * symbolic link; async-signal-safe. */
bool ccn_output_remove_tree(const char *path);

#endif
