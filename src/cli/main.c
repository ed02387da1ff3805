/* ccn — the command-line tool: a sorted table of subcommands over libccn. */
#include "cli.h"
#include "i18n.h"

#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

static const struct {
    const char *name;
    cli_command_fn run;
    const char *summary;
    bool heavy; /* goes through whole layers: started with the allocator tuned */
} commands[] = {
    {"areas", cmd_areas, N_("area of each cluster vs its planned area; land use from lots"), true},
    {"check", cmd_check, N_("boundary checks into the findings table"), true},
    {"copy", cmd_copy, N_("copy a whole workspace between SQLite and PostgreSQL, keeping newer changes"), true},
    {"export", cmd_export, N_("write a layer as GeoJSON (RFC 7946), GeoPackage or shapefile"), true},
    {"grant", cmd_grant, N_("give a PostgreSQL role viewer, editor or admin rights on a workspace")},
    {"import", cmd_import, N_("import a vector file into a workspace layer"), true},
    {"init", cmd_init, N_("create a workspace and load the district's gis/ folder")},
    {"lease", cmd_lease, N_("the register of leased lots: import, add, end, list")},
    {"lookup", cmd_lookup, N_("planned use of one cadastral parcel")},
    {"map", cmd_map, N_("draw a cluster or district map (PNG, SVG, PDF)"), true},
    {"occupancy", cmd_occupancy, N_("occupancy of the clusters, by lot, by quarter, Decree 32 tests")},
    {"overlay", cmd_overlay, N_("clusters or every parcel against the land-use plan"), true},
    {"parcels", cmd_parcels, N_("cadastral parcels taken by each cluster (site clearance)"), true},
    {"publish", cmd_publish, N_("write the static web page of the clusters"), true},
    {"qgis", cmd_qgis, N_("write a QGIS project of the workspace: styled layers, bookmarks, layouts")},
    {"report", cmd_report, N_("the quarterly report: every report, maps, spreadsheet, web page"), true},
};

static void usage(FILE *out)
{
    fputs(_("Usage: ccn COMMAND WORKSPACE [OPTIONS]\n\n"
            "ccn keeps the GIS of a district's industrial clusters in one SpatiaLite workspace.\n\n"
            "Commands:\n"),
          out);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
    fputs(_("\nRun 'ccn COMMAND --help' for a command's options.\n"
            "Exit codes: 0 ok, 1 problems found (check), 2 bad usage or input, 3 internal error.\n"),
          out);
}

/* glibc's allocator, tuned for the commands that go through whole layers:
 * their large arrays, made and let go batch after batch, were mapped and
 * unmapped each time, and every page of them faulted in one by one (207,000
 * faults, 2 of the 11 CPU-seconds of a check on 300,000 noisy parcels).
 * Huge pages where the kernel allows them (madvise), and freed memory kept
 * for the next batch: that check 7.1 -> 6.2 s, the clean one 2.0 -> 1.5 s
 * (medians), peak memory 455 -> 525 MiB. glibc reads its tunables only as a process
 * starts, so the command starts once more with them set, then takes them out
 * of its environment again (the programs it runs keep the user's). A user's
 * own GLIBC_TUNABLES or MALLOC_* settings, a sanitizer or Valgrind's
 * allocator is left alone. */
extern char **environ;

static void tune_allocator(char **argv)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
    static const char TUNED_MARK[] = "CCN_TUNED_ALLOCATOR";
    if (getenv(TUNED_MARK)) { /* started again: the user's environment back */
        unsetenv(TUNED_MARK);
        unsetenv("GLIBC_TUNABLES");
        return;
    }
    const char *preload = getenv("LD_PRELOAD");
    if (!argv[0] || !argv[1] || getenv("GLIBC_TUNABLES") ||
        (preload && strstr(preload, "vgpreload")))
        return;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "MALLOC_", 7) == 0) /* glibc's older knobs, set by the user */
            return;
    /* Run through the dynamic loader (ld.so ./ccn): /proc/self/exe is the
     * loader, which would not take ccn's arguments; the kernel then loaded
     * no interpreter. */
    if (getauxval(AT_BASE) == 0)
        return;
    bool is_heavy = false;
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        is_heavy |= commands[i].heavy && strcmp(argv[1], commands[i].name) == 0;
    char exe[4096];
    ssize_t len = is_heavy ? readlink("/proc/self/exe", exe, sizeof exe - 1) : -1;
    if (len <= 0)
        return;
    exe[len] = '\0';
    setenv("GLIBC_TUNABLES",
           "glibc.malloc.hugetlb=1:glibc.malloc.mmap_threshold=33554432:"
           "glibc.malloc.trim_threshold=268435456",
           1);
    setenv(TUNED_MARK, "1", 1);
    execv(exe, argv);
    unsetenv(TUNED_MARK); /* could not: go on as started */
    unsetenv("GLIBC_TUNABLES");
#else
    (void)argv;
#endif
}

int main(int argc, char **argv)
{
    tune_allocator(argv);
    cli_i18n_init();
    ccn_output_handle_signals(); /* Ctrl-C or a kill leaves no temporary file */
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("ccn 0.1");
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0) {
            /* getopt names its refusals by argv[0]: "ccn: areas: option '--format'
             * requires an argument", as ccn's own messages begin. */
            static char prog[64];
            snprintf(prog, sizeof prog, "ccn: %s", commands[i].name);
            argv[1] = prog;
            return commands[i].run(argc - 1, argv + 1);
        }
    fprintf(stderr, _("ccn: unknown command '%s'\nTry 'ccn --help'.\n"), argv[1]);
    return 2;
}
