/* lease — the register of leased lots (DESIGN §4, table `leases`).
 *
 * A lease lets one industrial lot (cluster code + lot_no, as in the `lots`
 * layer) to one tenant from start_date up to, but not including, end_date:
 * end_date is the first day the lot is no longer leased, and NULL means the
 * lease is still running. So a lease runs on day D when
 * start_date <= D < end_date (DESIGN §6), and a lot has at most one lease on
 * any day: the register refuses a lease whose [start, end) meets another
 * lease of the same lot. Only lots whose use is `industrial` are leased.
 *
 * History is kept: ending a lease sets its end_date, nothing is deleted
 * (only `import --replace` swaps the whole register, on purpose). Every
 * write checks everything first, inside its transaction, and a refusal
 * writes nothing, so the workspace is left as it was.
 *
 * Dates are ISO 8601 calendar dates (YYYY-MM-DD, see date.h); cluster codes
 * and lot numbers are matched without regard to case and stored as the
 * registry and the lots layer spell them.
 *
 * Ownership: strings passed in are only read; a ccn_lease_import_result owns
 * its problems (free with ccn_lease_import_result_free); a table returned
 * through *out is the caller's (ccn_table_free). */
#ifndef CCN_LEASE_H
#define CCN_LEASE_H

#include "store.h"
#include "table.h"

/* One lease as given by a user. */
typedef struct {
    const char *cluster; /* registry code, e.g. "HT" */
    const char *lot_no;  /* e.g. "CN-05" */
    const char *tenant;  /* must not be blank */
    const char *start;   /* first day leased, YYYY-MM-DD */
    const char *end;     /* first day no longer leased; NULL or "" = running */
    const char *note;    /* may be NULL */
} ccn_lease;

/* Add one lease; *fid (may be NULL) receives its id. Refused (CCN_ERR_INPUT,
 * every reason in the message): unknown cluster or lot, a lot that is not
 * industrial, malformed dates, end not after start, a blank tenant, a lease
 * that overlaps another lease of the same lot. */
ccn_status ccn_lease_add(ccn_store *store, const ccn_lease *lease, int64_t *fid);

/* End the lease of cluster/lot_no that runs on the day before `on`: its
 * end_date becomes `on`, the first day no longer leased (a running lease is
 * closed, a fixed-term lease is cut short). *fid (may be NULL) receives the
 * lease's id, was (may be NULL; nwas bytes) the end date it had before, ""
 * if it was running, so that a caller says what it replaced. Refused:
 * unknown cluster or lot, a malformed date, no lease running then, or `on`
 * not after the lease's start. */
ccn_status ccn_lease_end(ccn_store *store, const char *cluster, const char *lot_no,
                         const char *on, int64_t *fid, char *was, size_t nwas);

/* The cluster code and lot number of lease fid as stored (what add and end
 * resolved a "DL3/CN-05" or a code in any case to), into cluster and lot_no
 * of ncluster and nlot bytes (cut to fit). CCN_ERR_INPUT if there is no
 * such lease. */
ccn_status ccn_lease_key(ccn_store *store, int64_t fid, char *cluster, size_t ncluster,
                         char *lot_no, size_t nlot);

/* One bad field of an import file. */
typedef struct {
    int64_t line;     /* line of the file where the row starts (the header is line 1) */
    char field[16];   /* column name, e.g. "start_date"; "row" for the whole row */
    char *reason;     /* owned */
} ccn_lease_problem;

typedef struct {
    const char *file;     /* CSV: cluster,lot_no,tenant,start_date,end_date,note (header required) */
    const char *encoding; /* UTF-8 (default), TCVN3, VNI or CP1258 */
    bool replace;         /* swap the whole register for the file's leases */
} ccn_lease_import_options;

typedef struct {
    int64_t rows;        /* data rows read */
    int64_t stored;      /* leases written */
    int64_t replaced;    /* leases removed by replace */
    ccn_lease_problem *problems; /* every bad field, in file order; owned */
    size_t nproblems;
} ccn_lease_import_result;

/* Import a lease file: all rows or none. Every row is checked (the refusals
 * of ccn_lease_add, overlaps within the file and with the register included)
 * before anything is written; if any row is bad, nothing is written,
 * result->problems lists each bad field and the status is CCN_ERR_INPUT.
 * The file is recorded in `imports` (role "leases"). */
ccn_status ccn_lease_import(ccn_store *store, const ccn_lease_import_options *opt,
                            ccn_lease_import_result *result);
void ccn_lease_import_result_free(ccn_lease_import_result *result);

/* The register as a table, columns
 * id,cluster,lot_no,tenant,start_date,end_date,note,recorded_at, ordered by
 * cluster (registry order), lot number (collate.h), start and id. cluster NULL: every cluster; as_of NULL: the whole
 * history, else only the leases running on that day. */
ccn_status ccn_lease_list(ccn_store *store, const char *cluster, const char *as_of,
                          ccn_table **out);

#endif
