/* dynlib — a shared library opened on first use (see dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void load(ccn_dynlib *lib)
{
    /* RTLD_GLOBAL: what the library opens in turn (plugins, SpatiaLite's
     * use of PROJ) finds these symbols as if ccn were linked against it. */
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_GLOBAL);
    if (!h) {
        snprintf(lib->failure, sizeof lib->failure, "cannot load %s (Debian package %s)",
                 lib->soname, lib->package);
        lib->state = -1;
        return;
    }
    const char *missing = "?";
    if (!lib->bind(h, &missing)) {
        snprintf(lib->failure, sizeof lib->failure, "%s lacks %s (Debian package %s)", lib->soname,
                 missing, lib->package);
        lib->state = -1;
        return;
    }
    __atomic_store_n(&lib->state, 1, __ATOMIC_RELEASE); /* after the table is filled */
}

bool ccn_dynlib_open(ccn_dynlib *lib, const char **why)
{
    if (__atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) == 1) { /* open: no lock */
        if (why)
            *why = NULL;
        return true;
    }
    pthread_mutex_lock(&lock);
    if (lib->state == 0)
        load(lib);
    bool ok = lib->state == 1;
    pthread_mutex_unlock(&lock);
    if (why)
        *why = ok ? NULL : lib->failure;
    return ok;
}
