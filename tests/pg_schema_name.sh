#!/bin/bash
# pg_schema_name — a PostgreSQL workspace is the first schema of the URI's
# search_path as the server reads it: unquoted, the name folds to lower case
# (search_path=Ws names schema ws, as in psql's SET search_path = Ws), quoted
# it is kept as written; a quoted name may hold a comma, and every name is cut
# to 63 bytes (NAMEDATALEN - 1) at a character's boundary, as the server cuts
# it. Runs in the CTest fixture `pg`.
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

# 4. A quoted name holding a comma and a doubled quote: search_path = "a,b""c_PID",
#    public names the schema a,b"c_PID (the old build split it at the comma:
#    init failed, exit 2, 'string is not a valid identifier').
C4="$CCN_PG_URI&options=-csearch_path%3D%22a%2Cb%22%22c_$$%22%2Cpublic"
run "$CCN" init "$C4" --district "$ROOT/gis"
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM pg_namespace WHERE nspname = 'a,b\"c_$$'")" 1
run "$CCN" import "$C4" "$D/ht_boundary.geojson" --as clusters -q
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM \"a,b\"\"c_$$\".clusters WHERE geom IS NOT NULL")" 1

# 5. Past 63 bytes the server cuts a name (NAMEDATALEN - 1): the schema it
#    creates and finds is the first 63 bytes, folded. ccn named the whole name
#    where it is text, not a name: QGIS's layer_styles rows (f_table_schema,
#    varchar), the QGIS project's tables, its own messages. Long_PID_ and 70
#    capitals L, unquoted: by hand (bash), its first 63 characters in small
#    letters. The server agrees (psql, the cast to name).
long=Long_$$_$(printf 'L%.0s' $(seq 70))
cut63=${long,,}
cut63=${cut63:0:63}
expect_eq "$(psql_ "SELECT lower('$long')::name")" "$cut63" "(the server's cut)"
psql_ "DROP SCHEMA IF EXISTS $cut63 CASCADE" >/dev/null
U5="$CCN_PG_URI&options=-csearch_path%3D$long"
run "$CCN" init "$U5" --district "$ROOT/gis"
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM pg_namespace WHERE nspname = '$cut63'")" 1
run "$CCN" import "$U5" "$D/ht_boundary.geojson" --as clusters -q
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) > 0 FROM public.layer_styles WHERE f_table_schema = '$cut63'")/$(
    psql_ "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = lower('$long')")" \
    "t/0" "(QGIS's styles name the schema there is)"
run "$CCN" init "$U5" --district "$ROOT/gis"
expect_rc 2
expect_err "already exists (schema '$cut63';"
run "$CCN" qgis "$U5" "$TMP/long.qgz"
expect_rc 0
unzip -p "$TMP/long.qgz" '*.qgs' >"$TMP/long.qgs" 2>/dev/null
expect_eq "$(grep -c "table=&quot;$cut63&quot;.&quot;clusters&quot;\|table=\"$cut63\".\"clusters\"" "$TMP/long.qgs")" "1" \
    "(the project's clusters layer in the schema there is)"

# 6. Cut at a character, not inside one (pg_mbcliplen): q_PID_ and q up to 61
#    bytes, then ễ (3 bytes in UTF-8, bytes 62-64), then x: 65 bytes, of which
#    63 would end inside ễ; the server keeps the 61 before it (by hand; and
#    psql's cast to name agrees).
cut61=q_$$_
while [ ${#cut61} -lt 61 ]; do cut61=${cut61}q; done
mb="${cut61}ễx"
expect_eq "$(psql_ "SELECT '$mb'::name")" "$cut61" "(the server's cut)"
psql_ "DROP SCHEMA IF EXISTS $cut61 CASCADE" >/dev/null
U6="$CCN_PG_URI&options=-csearch_path%3D%22$mb%22"
run "$CCN" init "$U6" --district "$ROOT/gis"
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) FROM pg_namespace WHERE nspname = '$cut61'")" 1
run "$CCN" import "$U6" "$D/ht_boundary.geojson" --as clusters -q
expect_rc 0
expect_eq "$(psql_ "SELECT count(*) > 0 FROM public.layer_styles WHERE f_table_schema = '$cut61'")/$(
    psql_ "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '$mb'")" \
    "t/0" "(QGIS's styles, the name cut before ễ)"
expect_eq "$(psql_ "SELECT count(*) FROM $cut61.clusters WHERE geom IS NOT NULL")" 1

psql_ "DROP SCHEMA IF EXISTS $low CASCADE; DROP SCHEMA IF EXISTS \"Quoted_$$\" CASCADE;
    DROP SCHEMA IF EXISTS \"a,b\"\"c_$$\" CASCADE; DROP SCHEMA IF EXISTS $cut63 CASCADE;
    DROP SCHEMA IF EXISTS $cut61 CASCADE" >/dev/null
finish
