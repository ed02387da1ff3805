/* outdir — write a folder beside its final place, then swap it in. */
#define _GNU_SOURCE /* renameat2 */
#include "outdir.h"

#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".ccn-output"

struct ccn_outdir {
    char *path;      /* the final folder, without trailing '/' */
    char *tmp;       /* the temporary sibling being written */
    char *file;      /* scratch for ccn_outdir_file */
    bool committed;
};

bool ccn_outdir_remove_tree(const char *path)
{
    return ccn_output_remove_tree(path);
}

/* May path be replaced? Yes if absent, an empty folder, or a folder of ours. */
static ccn_status check_replaceable(ccn_ctx *ctx, const char *path, bool *exists)
{
    struct stat sb;
    *exists = false;
    if (lstat(path, &sb) != 0) {
        if (errno == ENOENT)
            return CCN_OK;
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot use '%s': %s", path, strerror(errno));
    }
    *exists = true;
    if (S_ISLNK(sb.st_mode))
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "'%s' is a symbolic link; give the folder it points to", path);
    if (!S_ISDIR(sb.st_mode))
        return ccn_error(ctx, CCN_ERR_INPUT, "'%s' exists and is not a folder", path);
    DIR *dir = opendir(path);
    if (!dir)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot read '%s': %s", path, strerror(errno));
    bool empty = true, ours = false;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        empty = false;
        if (strcmp(e->d_name, MARKER) == 0)
            ours = true;
    }
    closedir(dir);
    if (!empty && !ours)
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "'%s' is not empty and was not written by ccn; remove it or choose "
                         "another folder",
                         path);
    return CCN_OK;
}

ccn_status ccn_outdir_begin(ccn_ctx *ctx, const char *path, const char *who, ccn_outdir **out)
{
    ccn_status st = CCN_OK;
    ccn_outdir *d = NULL;
    char *copy1 = NULL, *copy2 = NULL;
    *out = NULL;
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    if (n == 0 || (n == 1 && path[0] == '/'))
        return ccn_error(ctx, CCN_ERR_INPUT, "'%s' cannot be an output folder", path);
    d = calloc(1, sizeof *d);
    if (!d || !(d->path = strndup(path, n))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    const char *base_of = d->path;
    copy1 = strdup(d->path);
    copy2 = strdup(d->path);
    if (!copy1 || !copy2) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    const char *parent = dirname(copy1), *base = basename(copy2);
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "'%s' cannot be an output folder; name it", base_of);
        goto done;
    }
    struct stat sb;
    if (stat(parent, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': folder '%s' does not exist",
                       d->path, parent);
        goto done;
    }
    bool exists;
    if ((st = check_replaceable(ctx, d->path, &exists)))
        goto done;
    /* ".NAME.ccn-tmp-PID-N", removed on a signal, or by the next run if killed */
    if ((st = ccn_output_temp_dir(ctx, d->path, &d->tmp)))
        goto done;
    chmod(d->tmp, 0755); /* 0700 would hide a published page from a web server */
    char marker[256];
    int k = snprintf(marker, sizeof marker, "written by %s; replaced whole on the next run\n",
                     who ? who : "ccn");
    st = ccn_outdir_write(ctx, d, MARKER, marker, (size_t)k < sizeof marker ? (size_t)k : 0);
done:
    free(copy1);
    free(copy2);
    if (st) {
        ccn_outdir_free(d);
        return st;
    }
    *out = d;
    return CCN_OK;
}

const char *ccn_outdir_tmp(const ccn_outdir *d) { return d->tmp; }

const char *ccn_outdir_file(ccn_outdir *d, const char *name)
{
    size_t n = strlen(d->tmp) + strlen(name) + 2;
    char *s = realloc(d->file, n);
    if (!s)
        return NULL;
    d->file = s;
    snprintf(s, n, "%s/%s", d->tmp, name);
    return s;
}

ccn_status ccn_outdir_mkdir(ccn_ctx *ctx, ccn_outdir *d, const char *name)
{
    const char *full = ccn_outdir_file(d, name);
    if (!full)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    char *p = strdup(full);
    if (!p)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    ccn_status st = CCN_OK;
    /* every '/' after the temporary folder's own path ends a parent to create */
    for (char *s = p + strlen(d->tmp) + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) != 0 && errno != EEXIST) {
                st = ccn_error(ctx, CCN_ERR_INPUT, "cannot create '%s': %s", p, strerror(errno));
                break;
            }
            *s = c;
            if (!c)
                break;
        }
    }
    free(p);
    return st;
}

ccn_status ccn_outdir_write(ccn_ctx *ctx, ccn_outdir *d, const char *name, const void *data,
                            size_t size)
{
    const char *full = ccn_outdir_file(d, name);
    if (!full)
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    FILE *f = fopen(full, "wb");
    if (!f)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", full, strerror(errno));
    bool ok = fwrite(data, 1, size, f) == size;
    ok = (fclose(f) == 0) && ok;
    if (!ok)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", full, strerror(errno));
    return CCN_OK;
}

ccn_status ccn_outdir_commit(ccn_ctx *ctx, ccn_outdir *d)
{
    bool exists;
    ccn_status st = check_replaceable(ctx, d->path, &exists); /* it may have changed meanwhile */
    if (st)
        return st;
    if (!exists) {
        if (rename(d->tmp, d->path) != 0)
            return ccn_error(ctx, CCN_ERR_INPUT, "cannot create '%s': %s", d->path,
                             strerror(errno));
        d->committed = true;
        ccn_output_forget(d->tmp);
        return CCN_OK;
    }
    /* One atomic swap: after it, tmp holds the old folder. (The test hook
     * CCN_TEST_NO_EXCHANGE takes the path of file systems without it.) */
    errno = EINVAL;
    if (!getenv("CCN_TEST_NO_EXCHANGE") &&
        renameat2(AT_FDCWD, d->tmp, AT_FDCWD, d->path, RENAME_EXCHANGE) == 0) {
        d->committed = true;
        if (!ccn_outdir_remove_tree(d->tmp))
            ccn_warn(ctx, "could not remove the old folder, now '%s'", d->tmp);
        ccn_output_forget(d->tmp);
        return CCN_OK;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
        return ccn_error(ctx, CCN_ERR_INPUT, "cannot replace '%s': %s", d->path, strerror(errno));
    /* No exchange on this file system: move the old folder aside (under a
     * temporary name of ours, not watched: a signal now must not remove the
     * only copy), then ours in. */
    char *old = NULL;
    if ((st = ccn_output_temp_dir(ctx, d->path, &old)))
        return st;
    ccn_output_forget(old);
    if (rename(d->path, old) != 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot replace '%s': %s", d->path, strerror(errno));
        rmdir(old);
    } else if (rename(d->tmp, d->path) != 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot replace '%s': %s", d->path, strerror(errno));
        rename(old, d->path); /* put the old one back */
    } else {
        d->committed = true;
        ccn_output_forget(d->tmp);
        if (!ccn_outdir_remove_tree(old))
            ccn_warn(ctx, "could not remove the old folder, now '%s'", old);
    }
    free(old);
    return st;
}

void ccn_outdir_free(ccn_outdir *d)
{
    if (!d)
        return;
    if (d->tmp && !d->committed)
        ccn_output_remove(d->tmp);
    free(d->tmp);
    free(d->path);
    free(d->file);
    free(d);
}
