/* outdir — write a folder beside its final place, then swap it in. */
#define _GNU_SOURCE /* renameat2 */
#include "outdir.h"

#include "grow.h"
#include "output.h"
#include "sha256.h"

#include <dirent.h>
#include <inttypes.h>
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
    char *who;       /* "ccn report", for the marker */
    bool committed;
};

bool ccn_outdir_remove_tree(const char *path)
{
    return ccn_output_remove_tree(path);
}

/* ---- What the folder held when ccn wrote it -----------------------------
 * The marker lists every entry ccn wrote: "F SIZE SHA256 PATH" for a file,
 * "D - - PATH" for a folder. A folder to be replaced must hold nothing else,
 * and its files as written: a note a user put there, or bao_cao.docx edited
 * before signing, went with the old folder. A marker of an older ccn lists
 * nothing; its folder may hold only names the new folder has too. */

typedef struct {
    char **v; /* "F SIZE SHA PATH" or "D - - PATH" lines, without '\n' */
    size_t n, cap;
    bool oom;
} lines;

static void lines_add(lines *l, char *s)
{
    if (!s || !ccn_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) {
        free(s);
        l->oom = true;
        return;
    }
    l->v[l->n++] = s;
}

static void lines_free(lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (lines){0};
}

/* The entries under root/rel, recursively, as manifest lines (with hashes
 * when hash is set, else "F SIZE - PATH"); the marker left out. */
static void list_tree(const char *root, const char *rel, bool hash, lines *out)
{
    char dirpath[4096];
    snprintf(dirpath, sizeof dirpath, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *dir = opendir(dirpath);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            (!*rel && !strcmp(e->d_name, MARKER)) || strchr(e->d_name, '\n'))
            continue;
        char sub[4096], full[8192];
        snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, sub);
        struct stat sb;
        char *line = NULL;
        if (lstat(full, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (asprintf(&line, "D - - %s", sub) < 0)
                line = NULL;
            lines_add(out, line);
            list_tree(root, sub, hash, out);
            continue;
        }
        char hex[65] = "-";
        if (S_ISREG(sb.st_mode) && hash && !ccn_sha256_file(full, hex))
            snprintf(hex, sizeof hex, "?");
        if (asprintf(&line, "%c %" PRId64 " %s %s", S_ISREG(sb.st_mode) ? 'F' : 'L',
                     (int64_t)sb.st_size, hex, sub) < 0)
            line = NULL;
        lines_add(out, line);
    }
    closedir(dir);
}

/* The PATH of a manifest line ("K SIZE HASH PATH"). */
static const char *line_path(const char *l)
{
    for (int k = 0; k < 3 && l; k++)
        l = (l = strchr(l, ' ')) ? l + 1 : NULL;
    return l ? l : "";
}

static const char *find_line(const lines *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(line_path(l->v[i]), path))
            return l->v[i];
    return NULL;
}

/* The marker's lines after its first; false when it holds none (an older ccn's). */
static bool read_manifest(const char *folder, lines *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", folder, MARKER);
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n;
    bool first = true;
    while ((n = getline(&buf, &cap, f)) > 0) {
        if (buf[n - 1] == '\n')
            buf[--n] = '\0';
        if (!first && n > 6 && (buf[0] == 'F' || buf[0] == 'D'))
            lines_add(out, strdup(buf));
        first = false;
    }
    free(buf);
    fclose(f);
    return out->n > 0;
}

/* Entries of the old folder path that ccn did not write there, or that were
 * changed since; against its manifest, or (an older marker) against the names
 * of the new folder tmp (NULL: not known yet, nothing said). */
static ccn_status check_own_files(ccn_ctx *ctx, const char *path, const char *tmp)
{
    lines had = {0}, now = {0}, fresh = {0};
    bool listed = read_manifest(path, &had);
    ccn_status st = CCN_OK;
    if (!listed && !tmp)
        goto done;
    list_tree(path, "", false, &now);
    if (!listed)
        list_tree(tmp, "", false, &fresh);
    char names[2][600] = {"", ""}; /* not written by ccn; changed since */
    size_t bad[2] = {0, 0};
    for (size_t i = 0; i < now.n && !now.oom && !had.oom && !fresh.oom; i++) {
        const char *p = line_path(now.v[i]);
        const char *was = listed ? find_line(&had, p) : find_line(&fresh, p);
        bool changed = false;
        if (was && listed && now.v[i][0] == 'F') {
            /* the same size, then the same bytes */
            long long size_was = atoll(was + 2), size_now = atoll(now.v[i] + 2);
            const char *hash_was = strchr(was + 2, ' ');
            char full[8192], hex[65];
            snprintf(full, sizeof full, "%s/%s", path, p);
            changed = was[0] != 'F' || size_was != size_now || !hash_was ||
                      !ccn_sha256_file(full, hex) || strncmp(hash_was + 1, hex, 64) != 0;
        } else if (was && was[0] != now.v[i][0])
            changed = true;
        if (was && !changed)
            continue;
        /* a folder is named once: not the files in it */
        if (bad[0] > 0 && !was) {
            bool inside = false;
            for (size_t k = 0; k < i && !inside; k++) {
                const char *q = line_path(now.v[k]);
                size_t m = strlen(q);
                inside = now.v[k][0] == 'D' && !find_line(listed ? &had : &fresh, q) &&
                         !strncmp(p, q, m) && p[m] == '/';
            }
            if (inside)
                continue;
        }
        int k = was ? 1 : 0;
        if (bad[k]++ < 5) {
            size_t used = strlen(names[k]);
            snprintf(names[k] + used, sizeof names[k] - used, "%s%s%s", used ? ", " : "", p,
                     now.v[i][0] == 'D' ? "/" : "");
        }
    }
    const char *more[2] = {bad[0] > 5 ? ", …" : "", bad[1] > 5 ? ", …" : ""};
    if (now.oom || had.oom || fresh.oom)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    else if (bad[0] && bad[1])
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "'%s' holds what ccn did not write there: %s%s, and files changed since "
                       "ccn wrote them: %s%s; move them out of the folder (ccn replaces it "
                       "whole) or choose another folder",
                       path, names[0], more[0], names[1], more[1]);
    else if (bad[0])
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "'%s' holds what ccn did not write there: %s%s; move it out of the "
                       "folder (ccn replaces it whole) or choose another folder",
                       path, names[0], more[0]);
    else if (bad[1])
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "'%s' holds files changed since ccn wrote them: %s%s; move them out of "
                       "the folder (ccn replaces it whole) or choose another folder",
                       path, names[1], more[1]);
done:
    lines_free(&had);
    lines_free(&now);
    lines_free(&fresh);
    return st;
}

/* May path be replaced? Yes if absent, an empty folder, or a folder of ours
 * holding only what ccn wrote (tmp: the new folder, once written). */
static ccn_status check_replaceable(ccn_ctx *ctx, const char *path, const char *tmp,
                                    bool *exists)
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
    return ours ? check_own_files(ctx, path, tmp) : CCN_OK;
}

/* Write the marker: who wrote the folder and every entry written. */
static ccn_status write_manifest(ccn_ctx *ctx, ccn_outdir *d)
{
    lines l = {0};
    list_tree(d->tmp, "", true, &l);
    const char *full = ccn_outdir_file(d, MARKER);
    FILE *f = full && !l.oom ? fopen(full, "w") : NULL;
    ccn_status st = CCN_OK;
    if (!full || l.oom)
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    else if (!f)
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", full, strerror(errno));
    else {
        fprintf(f, "written by %s; replaced whole on the next run, if it holds only these\n",
                d->who);
        for (size_t i = 0; i < l.n; i++)
            fprintf(f, "%s\n", l.v[i]);
        bool ok = !ferror(f);
        if ((fclose(f) != 0 || !ok) && !st)
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", full, strerror(errno));
    }
    lines_free(&l);
    return st;
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
    if ((st = check_replaceable(ctx, d->path, NULL, &exists)))
        goto done;
    /* ".NAME.ccn-tmp-PID-N", removed on a signal, or by the next run if killed */
    if ((st = ccn_output_temp_dir(ctx, d->path, &d->tmp)))
        goto done;
    chmod(d->tmp, 0755); /* 0700 would hide a published page from a web server */
    if (!(d->who = strdup(who ? who : "ccn"))) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    /* a marker now, so that a folder being written is known as ccn's; its
     * list of files at the commit */
    static const char marker[] = "written by ccn; being written\n";
    st = ccn_outdir_write(ctx, d, MARKER, marker, sizeof marker - 1);
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
    ccn_status st = write_manifest(ctx, d);
    if (!st) /* it may have changed meanwhile */
        st = check_replaceable(ctx, d->path, d->tmp, &exists);
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
    free(d->who);
    free(d);
}
