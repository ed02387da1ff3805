#!/bin/bash
# pg_schema_name — a PostgreSQL workspace is the first schema of the URI's
# search_path as the server reads it: unquoted, the name folds to lower case
# (search_path=Ws names schema ws, as in psql's SET search_path = Ws), quoted
# it is kept as written. Runs in the CTest fixture `pg`.
source "$(dirname "$0")/lib.sh"
# shellcheck disable=SC1090
. "${CCN_PG_STATE:?needs the pg fixture}"
psql_() { "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -At -c "$1" 2>/dev/null; }
D=$DATA/lease
low=case_$$

# 1. Unquoted capitals: the schema is the folded name; either spelling opens it.
U="$CCN_PG_URI&options=-csearch_path%3DCase_$$"
run "$CCN" init "$U" --district "$ROOT/gis"
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM pg_namespace WHERE nspname = '$low'")" 1
expect_eq "$(psql_ "SELECT count(*) FROM pg_namespace WHERE nspname = 'Case_$$'")" 0
run "$CCN" import "$U" "$D/ht_boundary.geojson" --as clusters -q
expect_rc 0
run "$CCN" areas "$CCN_PG_URI&options=-csearch_path%3D$low" --format csv
expect_rc 0
expect_out "HT,"
expect_eq "$(psql_ "SELECT count(*) FROM $low.clusters WHERE geom IS NOT NULL")" 1

# 2. Quoted: kept as written, capitals and all.
Q="$CCN_PG_URI&options=-csearch_path%3D%22Quoted_$$%22"
run "$CCN" init "$Q" --district "$ROOT/gis"
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM pg_namespace WHERE nspname = 'Quoted_$$'")" 1
run "$CCN" import "$Q" "$D/ht_boundary.geojson" --as clusters -q
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM \"Quoted_$$\".clusters WHERE geom IS NOT NULL")" 1

# 3. No schema at all: the error says how to name one.
run "$CCN" areas "$CCN_PG_URI&options=-csearch_path%3D"
[ "$rc" -ne 0 ] && ok || bad "an empty search_path opened"
expect_err "names no schema"
psql_ "DROP SCHEMA IF EXISTS $low CASCADE; DROP SCHEMA IF EXISTS \"Quoted_$$\" CASCADE" >/dev/null
finish
