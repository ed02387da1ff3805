/* dynlib — a shared library opened when a command first needs it, not when
 * ccn starts.
 *
 * Every library ccn links is loaded and relocated before main, whether the
 * command uses it or not: PROJ (with libcurl and libtiff behind it), the
 * PostgreSQL client (Kerberos, LDAP, TLS), SpatiaLite, cairo and pango cost
 * a question about one cluster more CPU than its answer. A module that needs
 * one of them describes it with a ccn_dynlib (its soname, compiled against,
 * and the names of the functions it calls) and opens it with
 * ccn_dynlib_open before its first call; the addresses land in a table of
 * pointers typed from the library's own prototypes (__typeof__), and the
 * module's #defines send its calls through that table (see crs_proj.h).
 * Once opened a library stays open until the process ends. */
#ifndef CCN_DYNLIB_H
#define CCN_DYNLIB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *soname;  /* "libproj.so.25": the exact one compiled against */
    const char *package; /* the Debian package that brings it, for the message */
    /* Fill the module's table from the open library (dlsym); false with the
     * name of the first function it lacks in *missing. */
    bool (*bind)(void *handle, const char **missing);
    int state;           /* 0 not tried, 1 open, -1 failed (under the lock) */
    char failure[200];   /* why it failed, when state is -1 */
} ccn_dynlib;

/* Open lib and look its functions up, once per process (thread-safe); false
 * with the reason in *why (lib's own buffer) if it cannot be opened. */
bool ccn_dynlib_open(ccn_dynlib *lib, const char **why);

/* For the function tables: a pointer typed as the function's prototype, and
 * its lookup inside a bind function (handle h, table t, out *missing). */
#define CCN_DYNLIB_POINTER(name) __typeof__(name) *name;
#define CCN_DYNLIB_LOOKUP(t, name)                                                              \
    if (!((t).name = (__typeof__(name) *)dlsym(h, #name))) {                                    \
        *missing = #name;                                                                       \
        return false;                                                                           \
    }

#endif
