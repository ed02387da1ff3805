/* outdir — an output folder that appears whole or not at all.
 *
 * `ccn publish` and `ccn report` write many files into one folder. They write
 * them into a hidden temporary sibling (".NAME.ccn-tmp-PID-N", same parent,
 * so a rename can move it; made and watched by output.h, so a signal or the
 * next run removes it), and ccn_outdir_commit swaps it into place at the
 * end: an existing folder of the same name is replaced in one step
 * (renameat2 RENAME_EXCHANGE where the file system has it) and removed
 * after. If anything fails, ccn_outdir_free removes the temporary folder and
 * the old folder stays as it was.
 *
 * An existing folder is replaced only if it is empty or was written by ccn
 * (it holds a ".ccn-output" marker): `ccn report WS ~` must not delete a home.
 *
 * Ownership: ccn_outdir_begin returns a handle freed with ccn_outdir_free
 * (after a commit or instead of one); paths it returns belong to it and live
 * until the next call on it. */
#ifndef CCN_OUTDIR_H
#define CCN_OUTDIR_H

#include "ctx.h"

typedef struct ccn_outdir ccn_outdir;

/* Prepare to write path: check that it may be replaced, create the
 * temporary folder. who ("ccn publish", "ccn report") goes in the marker. */
ccn_status ccn_outdir_begin(ccn_ctx *ctx, const char *path, const char *who, ccn_outdir **out);

/* The temporary folder, for writing. */
const char *ccn_outdir_tmp(const ccn_outdir *d);
/* The temporary folder's path of a relative name ("leaflet/leaflet.js"). */
const char *ccn_outdir_file(ccn_outdir *d, const char *name);
/* Create a sub-folder (and its parents) inside the temporary folder. */
ccn_status ccn_outdir_mkdir(ccn_ctx *ctx, ccn_outdir *d, const char *name);
/* Write bytes to a relative name inside the temporary folder. */
ccn_status ccn_outdir_write(ccn_ctx *ctx, ccn_outdir *d, const char *name, const void *data,
                            size_t size);

/* Move the temporary folder into place, replacing the old one. */
ccn_status ccn_outdir_commit(ccn_ctx *ctx, ccn_outdir *d);
/* Free the handle; before a commit, remove the temporary folder. */
void ccn_outdir_free(ccn_outdir *d);

/* Remove a folder and everything in it (not following symbolic links). */
bool ccn_outdir_remove_tree(const char *path);

#endif
