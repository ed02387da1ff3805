/* output — temporary names beside the target, renamed in when complete. */
#define _GNU_SOURCE
#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TMP_TAG ".ccn-tmp-"

/* ------------------------------------------------------------ registry */

/* The temporary names that exist now, for the signal handler. Fixed
 * storage: a handler may not allocate. A slot is live (2) only once its
 * path is complete; the handler reads live slots only. */
enum { SLOTS = 64, SLOT_PATH = 4096 };
static char slot_path[SLOTS][SLOT_PATH];
static volatile sig_atomic_t slot_state[SLOTS]; /* 0 free, 1 being filled, 2 live */
static pthread_mutex_t slot_lock = PTHREAD_MUTEX_INITIALIZER;

static void watch(const char *tmp)
{
    size_t n = strlen(tmp);
    if (n >= SLOT_PATH)
        return; /* not watched: the next run's stale clean-up still finds it */
    pthread_mutex_lock(&slot_lock);
    for (int i = 0; i < SLOTS; i++)
        if (slot_state[i] == 0) {
            slot_state[i] = 1;
            memcpy(slot_path[i], tmp, n + 1);
            slot_state[i] = 2;
            break;
        }
    pthread_mutex_unlock(&slot_lock);
}

void ccn_output_forget(const char *tmp)
{
    pthread_mutex_lock(&slot_lock);
    for (int i = 0; i < SLOTS; i++)
        if (slot_state[i] == 2 && strcmp(slot_path[i], tmp) == 0) {
            slot_state[i] = 0;
            break;
        }
    pthread_mutex_unlock(&slot_lock);
}

/* ------------------------------------------------------- tree removal */

struct dirent64_raw { /* the kernel's linux_dirent64 */
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* Remove name in dirfd: a file or link is unlinked, a folder emptied
 * first. Only system calls and stack buffers: safe in a signal handler. */
static bool remove_at(int dirfd, const char *name, int depth)
{
    if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT)
        return true;
    if ((errno != EISDIR && errno != EPERM) || depth > 24)
        return false;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return false;
    char buf[2048] __attribute__((aligned(8)));
    /* Read from the start again after each pass: removing entries while
     * reading may make the kernel skip some. */
    for (int pass = 0; pass < 64; pass++) {
        bool removed = false;
        long n;
        lseek(fd, 0, SEEK_SET);
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
            for (long off = 0; off < n;) {
                struct dirent64_raw *d = (struct dirent64_raw *)(void *)(buf + off);
                off += d->d_reclen;
                if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
                    continue;
                removed |= remove_at(fd, d->d_name, depth + 1);
            }
        }
        if (!removed)
            break;
    }
    close(fd);
    return unlinkat(dirfd, name, AT_REMOVEDIR) == 0 || errno == ENOENT;
}

bool ccn_output_remove_tree(const char *path)
{
    return remove_at(AT_FDCWD, path, 0);
}

void ccn_output_remove(const char *tmp)
{
    ccn_output_remove_tree(tmp);
    ccn_output_forget(tmp);
}

/* -------------------------------------------------------------- signals */

static void on_signal(int sig)
{
    for (int i = 0; i < SLOTS; i++)
        if (slot_state[i] == 2)
            ccn_output_remove_tree(slot_path[i]);
    signal(sig, SIG_DFL); /* and end as that signal would have */
    raise(sig);
}

void ccn_output_handle_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
        sigaddset(&sa.sa_mask, sigs[i]);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* nohup: stay immune */
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---------------------------------------------------------- stale names */

/* The pid of a temporary name ".NAME.ccn-tmp-PID-N", or 0. */
static long tmp_pid(const char *name)
{
    if (name[0] != '.')
        return 0;
    const char *tag = NULL;
    for (const char *p = strstr(name, TMP_TAG); p; p = strstr(p + 1, TMP_TAG))
        tag = p;
    if (!tag || tag == name)
        return 0;
    char *end;
    const char *s = tag + strlen(TMP_TAG);
    if (*s < '1' || *s > '9')
        return 0;
    long pid = strtol(s, &end, 10);
    if (*end != '-' || end[1] < '0' || end[1] > '9')
        return 0;
    strtol(end + 1, &end, 10);
    return *end == '\0' ? pid : 0;
}

void ccn_output_clean_stale(const char *dir)
{
    DIR *d = opendir(*dir ? dir : ".");
    if (!d)
        return;
    int fd = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = tmp_pid(e->d_name);
        if (pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue; /* alive (or not ours to ask): its names are in use */
        struct stat sb;
        if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || sb.st_uid != geteuid() ||
            !(S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)))
            continue; /* never a link, never another user's */
        remove_at(fd, e->d_name, 0);
    }
    closedir(d);
}

/* ------------------------------------------------------------- creation */

enum { STREAM_BUFFER = 256 * 1024 };

struct ccn_output {
    char *path;  /* the target */
    char *tmp;   /* the temporary file or folder */
    char *part;  /* scratch for ccn_output_part */
    FILE *stream;
    char *buffer; /* the stream's, of STREAM_BUFFER bytes (NULL: stdio's own) */
    bool dir;
    bool direct; /* the target is a device or a pipe: written in place, never renamed over */
};

/* path's folder ("" for the current one) and name, malloc'd. */
static bool split(const char *path, char **dir, char **base)
{
    const char *slash = strrchr(path, '/');
    *dir = slash ? strndup(path, (size_t)(slash == path ? 1 : slash - path)) : strdup("");
    *base = strdup(slash ? slash + 1 : path);
    return *dir && *base;
}

/* Create the first free ".NAME.ccn-tmp-PID-N" beside path: a file (its
 * descriptor in *fd) or a folder. */
static ccn_status create_temp(ccn_ctx *ctx, const char *path, bool folder, char **tmp, int *fd)
{
    char *dir = NULL, *base = NULL;
    ccn_status st = CCN_OK;
    *tmp = NULL;
    if (!split(path, &dir, &base)) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "'%s' is not a file name", path);
        goto done;
    }
    ccn_output_clean_stale(dir);
    size_t n = strlen(dir) + strlen(base) + 64;
    char *name = malloc(n);
    if (!name) {
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        goto done;
    }
    for (int k = 0;; k++) {
        snprintf(name, n, "%s%s.%s" TMP_TAG "%ld-%d", dir, *dir && strcmp(dir, "/") ? "/" : "",
                 base, (long)getpid(), k);
        int rc = folder ? mkdir(name, 0700)
                        : (*fd = open(name, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                                      0666));
        if (rc >= 0)
            break;
        if (errno != EEXIST || k >= 999) { /* a name taken (even by a link) is skipped */
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, strerror(errno));
            free(name);
            goto done;
        }
    }
    watch(name);
    *tmp = name;
done:
    free(dir);
    free(base);
    return st;
}

ccn_status ccn_output_temp_dir(ccn_ctx *ctx, const char *path, char **tmp)
{
    return create_temp(ctx, path, true, tmp, NULL);
}

/* The first bytes of path into buf (how many: -1 if it is no regular file
 * or cannot be read). */
static ssize_t read_head(const char *path, char *buf, size_t size)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) /* opening a FIFO would wait */
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, size);
    close(fd);
    return n;
}

/* Whether path is an SQLite database (a workspace, a GeoPackage): no file ccn
 * writes through here is one, so replacing it could only destroy data — the
 * workspace itself, named by a slip as the -o file of its own report. */
static const char sqlite_magic[16] = "SQLite format 3"; /* with its NUL */

static bool is_sqlite_database(const char *path)
{
    char head[sizeof sqlite_magic];
    return read_head(path, head, sizeof head) == (ssize_t)sizeof head &&
           memcmp(head, sqlite_magic, sizeof sqlite_magic) == 0;
}

static ccn_status open_output(ccn_ctx *ctx, const char *path, bool folder, ccn_output **out)
{
    if (!folder && is_sqlite_database(path))
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "'%s' is an SQLite database (a workspace or a GeoPackage): ccn does not "
                         "write over one; name another file",
                         path);
    *out = NULL;
    ccn_output *o = calloc(1, sizeof *o);
    if (!o || !(o->path = strdup(path))) {
        free(o);
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    }
    o->dir = folder;
    int fd = -1;
    ccn_status st = CCN_OK;
    struct stat sb;
    if (!folder && stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
        /* `-o /dev/null`, a FIFO, a terminal: a rename would replace the device
         * itself with a regular file, so these are written where they are. */
        o->direct = true;
        if (!(o->tmp = strdup(path)))
            st = ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
        else if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", path, strerror(errno));
    } else if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, W_OK) != 0 &&
               errno == EACCES) {
        /* The rename would replace a file its owner made read-only, which
         * `>` or cp would refuse to write. */
        st = ccn_error(ctx, CCN_ERR_INPUT,
                       "cannot write '%s': the file is read-only (make it writable, or name "
                       "another file)",
                       path);
    } else {
        st = create_temp(ctx, path, folder, &o->tmp, &fd);
    }
    if (!st && !folder && !(o->stream = fdopen(fd, o->direct ? "wb" : "w+b"))) {
        close(fd);
        st = ccn_error(ctx, CCN_ERR_INTERNAL, "cannot write '%s': %s", path, strerror(errno));
    }
    /* A write(2) a 256 KiB, not a 4 KiB block: the 98 MB CSV of a sloppy
     * check took 24,000 calls. Without the memory, stdio's own buffer. */
    if (!st && !folder && (o->buffer = malloc(STREAM_BUFFER)))
        setvbuf(o->stream, o->buffer, _IOFBF, STREAM_BUFFER);
    if (st) {
        ccn_output_abort(o);
        return st;
    }
    *out = o;
    return CCN_OK;
}

ccn_status ccn_output_open(ccn_ctx *ctx, const char *path, ccn_output **out)
{
    return open_output(ctx, path, false, out);
}

/* Whether path is a regular file whose first 4 KiB hold a NUL byte, but not
 * an SQLite database (open_output refuses that in its own words). */
static bool is_binary_file(const char *path)
{
    char head[4096];
    ssize_t n = read_head(path, head, sizeof head);
    bool sqlite = n >= (ssize_t)sizeof sqlite_magic &&
                  memcmp(head, sqlite_magic, sizeof sqlite_magic) == 0;
    return n > 0 && memchr(head, '\0', (size_t)n) != NULL && !sqlite;
}

ccn_status ccn_output_open_text(ccn_ctx *ctx, const char *path, ccn_output **out)
{
    /* `-o lots.shp` for `-o lots.csv`: the report replaced the surveyor's
     * shapes with its CSV. */
    if (is_binary_file(path))
        return ccn_error(ctx, CCN_ERR_INPUT,
                         "'%s' holds binary data (a shapefile, an image, a spreadsheet?), which "
                         "no report is: ccn does not write a report over it; name another file",
                         path);
    return open_output(ctx, path, false, out);
}

ccn_status ccn_output_open_dir(ccn_ctx *ctx, const char *path, ccn_output **out)
{
    return open_output(ctx, path, true, out);
}

const char *ccn_output_path(const ccn_output *o) { return o->path; }
const char *ccn_output_tmp(const ccn_output *o) { return o->tmp; }
FILE *ccn_output_stream(ccn_output *o) { return o->stream; }

const char *ccn_output_part(ccn_output *o, const char *ext)
{
    const char *slash = strrchr(o->path, '/');
    const char *base = slash ? slash + 1 : o->path;
    const char *dot = strrchr(base, '.');
    size_t keep = ext && dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t n = strlen(o->tmp) + keep + (ext ? strlen(ext) : 0) + 2;
    char *s = realloc(o->part, n);
    if (!s)
        return NULL;
    o->part = s;
    snprintf(s, n, "%s/%.*s%s", o->tmp, (int)keep, base, ext ? ext : "");
    return s;
}

/* A file replaced keeps its owner and permissions, as an edit in place
 * would: a report kept private (0600) is not made readable by all. name in
 * folder from is the new file, the same name in folder to the old one. */
static void keep_mode_at(int from, const char *tmp, int to, const char *target)
{
    struct stat sb;
    if (fstatat(to, target, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode))
        return; /* new, or a link: the link itself is what is replaced */
    if (sb.st_uid != geteuid() || sb.st_gid != getegid())
        (void)!fchownat(from, tmp, sb.st_uid, sb.st_gid, 0); /* only root may give a file away */
    fchmodat(from, tmp, sb.st_mode & 07777, 0);
}

/* renameat, or with keep (a target made new) never over a name that exists
 * (RENAME_NOREPLACE; on a file system without it, a look first). */
static int move_in(int from, const char *name, int to, bool keep)
{
    if (!keep)
        return renameat(from, name, to, name);
    int rc = renameat2(from, name, to, name, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
        if (faccessat(to, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
            errno = EEXIST;
            return -1;
        }
        rc = renameat(from, name, to, name);
    }
    return rc;
}

/* Folder kind: move each file of the temporary folder beside the target
 * (keep: not over a file there). */
static ccn_status commit_folder(ccn_ctx *ctx, ccn_output *o, bool keep)
{
    char *dir = NULL, *base = NULL;
    ccn_status st = CCN_OK;
    DIR *d = NULL;
    if (!split(o->path, &dir, &base))
        return ccn_error(ctx, CCN_ERR_INTERNAL, "out of memory");
    int to = *dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : AT_FDCWD;
    if (to < 0 && *dir) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", o->path, strerror(errno));
        goto done;
    }
    if (!(d = opendir(o->tmp))) {
        st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", o->path, strerror(errno));
        goto done;
    }
    struct dirent *e;
    while (!st && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        keep_mode_at(dirfd(d), e->d_name, to, e->d_name);
        if (move_in(dirfd(d), e->d_name, to, keep) != 0)
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s%s%s': %s", dir, *dir ? "/" : "",
                           e->d_name, strerror(errno));
    }
done:
    if (d)
        closedir(d);
    if (to >= 0 && to != AT_FDCWD)
        close(to);
    free(dir);
    free(base);
    return st;
}

static ccn_status commit(ccn_ctx *ctx, ccn_output *o, bool keep)
{
    ccn_status st = CCN_OK;
    if (o->stream) {
        bool ok = fflush(o->stream) == 0 && !ferror(o->stream);
        int saved = errno;
        ok = fclose(o->stream) == 0 && ok;
        o->stream = NULL;
        if (!ok)
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", o->path,
                           strerror(saved ? saved : errno));
    }
    if (!st && o->dir) {
        st = commit_folder(ctx, o, keep);
    } else if (!st && !o->direct) {
        keep_mode_at(AT_FDCWD, o->tmp, AT_FDCWD, o->path);
        if (rename(o->tmp, o->path) != 0)
            st = ccn_error(ctx, CCN_ERR_INPUT, "cannot write '%s': %s", o->path, strerror(errno));
    }
    ccn_output_abort(o); /* after a rename: removes what is left (an empty folder) */
    return st;
}

ccn_status ccn_output_commit(ccn_ctx *ctx, ccn_output *o) { return commit(ctx, o, false); }

ccn_status ccn_output_commit_new(ccn_ctx *ctx, ccn_output *o) { return commit(ctx, o, true); }

void ccn_output_abort(ccn_output *o)
{
    if (!o)
        return;
    if (o->stream)
        fclose(o->stream);
    free(o->buffer); /* after the fclose that flushed it */
    if (o->tmp && !o->direct)
        ccn_output_remove(o->tmp);
    free(o->tmp);
    free(o->part);
    free(o->path);
    free(o);
}
