/* output: a folder-kind output committed onto its target, replacing what is
 * there (ccn_output_commit), or only where nothing is (ccn_output_commit_new,
 * ccn copy's new workspace: a file that appeared meanwhile is kept). */
#include "check.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static char *slurp(const char *path)
{
    static char buf[64];
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return f ? buf : NULL;
}

/* The folder holds only its target (no temporary name left). */
static int entries(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test \"$(ls -A '%s' | wc -l)\" -eq 1", dir);
    return system(cmd) == 0;
}

/* A folder-kind output of target holding text under the target's name. */
static ccn_output *made(ccn_ctx *ctx, const char *target, const char *text)
{
    ccn_output *o = NULL;
    if (ccn_output_open_dir(ctx, target, &o) != CCN_OK)
        return NULL;
    put(ccn_output_part(o, NULL), text);
    return o;
}

int main(void)
{
    ccn_ctx *ctx = ccn_ctx_new();
    char dir[] = "/tmp/ccn_test_output_XXXXXX", target[300];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(target, sizeof target, "%s/ws.sqlite", dir);

    /* new, nothing there: moved in */
    ccn_output *o = made(ctx, target, "first");
    CHECK(o && ccn_output_commit_new(ctx, o) == CCN_OK);
    CHECK_STR(slurp(target), "first");
    CHECK(entries(dir));

    /* new, but a file appeared at the target meanwhile: kept, refused */
    o = made(ctx, target, "second");
    CHECK(o && ccn_output_commit_new(ctx, o) == CCN_ERR_INPUT);
    CHECK(strstr(ccn_ctx_message(ctx), "File exists") != NULL);
    CHECK_STR(slurp(target), "first");
    CHECK(entries(dir));

    /* the ordinary commit replaces it */
    o = made(ctx, target, "third");
    CHECK(o && ccn_output_commit(ctx, o) == CCN_OK);
    CHECK_STR(slurp(target), "third");
    CHECK(entries(dir));

    unlink(target);
    rmdir(dir);
    ccn_ctx_free(ctx);
    return check_summary();
}
