/* pgmessage — what a PostgreSQL refusal means to the user of a shared
 * workspace (multiuser.h): the right a role lacks, the lease another user
 * wrote meanwhile. Plain text work, below the store that meets the errors.
 *
 * Ownership: strings are only read; results go into the caller's buffer or
 * are static. */
#ifndef CCN_PGMESSAGE_H
#define CCN_PGMESSAGE_H

#include <stdbool.h>
#include <stddef.h>

/* What a user refused for lack of a right may do, for a PostgreSQL error
 * message ("permission denied for table parcels"); NULL if none applies. */
const char *ccn_pgmessage_hint(const char *message);

/* The message for a lease refused by leases_no_overlap (SQLSTATE 23P01),
 * from the server's detail ("Key (cluster, lot_no, …)=(HT, CN-03,
 * [2041-01-01,9999-12-31)) conflicts with existing key (…)=(…)"), into buf:
 * the lot and both periods; false if detail is not that constraint's. */
bool ccn_pgmessage_lease_overlap(const char *detail, char *buf, size_t n);

/* Why the server refused one row (a constraint, a trigger's exception), in
 * one line into buf, from its message and detail (either may be NULL): the
 * detail unless it only repeats the row ("Failing row contains (…)", the
 * geometry's hex included). SQLSTATE state, with the error's source file
 * (PG_DIAG_SOURCE_FILE, may be NULL) for XX000, says whether it is the row's
 * own fault — a data exception, a constraint, a trigger's or a function's
 * error, PostGIS's geometry errors — rather than the connection's, the
 * disk's, a right's or the server's own (internal_error outside PostGIS);
 * false then, and buf is untouched. */
bool ccn_pgmessage_refusal(const char *state, const char *source_file, const char *message,
                           const char *detail, char *buf, size_t n);

#endif
