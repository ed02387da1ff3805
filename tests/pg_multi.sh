#!/bin/bash
# pg_multi — a PostgreSQL workspace used by several people at once
# (multiuser.h): twenty clients adding leases at once all land; two racing
# for one lot and period, exactly one wins; a lease written behind ccn's back
# meanwhile (psql) is stopped by the exclusion constraint, with ccn's message;
# viewer / editor / admin rights; the audit trail names every change.
# Runs in the private cluster of the CTest fixture `pg` (CCN_PG_STATE).
export CCN_TEST_BACKEND=pg
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws multi)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
S=$(ws_schema "$WS")
as_user() { sed "s|//ccn@|//$1@|" <<<"$WS"; }
psql_su() { "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -At -c "SET search_path = $S, public" "$@"; }
sql() { psql_su -c "$2" 2>/dev/null; }
# Until a session started by this test has inserted and sits in pg_sleep
# (a fixed sleep lost the race on a loaded machine).
wait_for_sleeper() {
    for _ in $(seq 1 600); do
        [ "$(sql "$WS" "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'PgSleep'")" = 1 ] && return 0
        sleep 0.05
    done
    bad "the psql session never reached its pg_sleep"
}

# The constraint is there, on exactly the lease's period.
expect_eq "$(sql "$WS" "SELECT count(*) FROM pg_constraint WHERE conname = 'leases_no_overlap' AND contype = 'x' AND conrelid = 'leases'::regclass")" 1

# Twenty clients at once, each a year of CN-01: 20 leases, 20 fids, 20 audit rows.
pids=()
for i in $(seq 0 19); do
    "$CCN" lease "$WS" add --cluster HT --lot CN-01 --tenant "Công ty số $i" \
        --from $((2000 + i))-01-01 --to $((2001 + i))-01-01 >"$TMP/c$i.out" 2>"$TMP/c$i.err" &
    pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
expect_eq "$fails" 0 "clients that failed: $(cat "$TMP"/c*.err)"
expect_eq "$(sql "$WS" "SELECT count(*) || ' ' || count(DISTINCT fid) || ' ' || min(start_date) || ' ' || max(end_date) FROM leases WHERE lot_no = 'CN-01'")" \
    "20 20 2000-01-01 2020-01-01"
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit WHERE tbl = 'leases' AND op = 'INSERT' AND who = 'ccn'")" 20

# ... then twenty clients at once each end one of them mid-year: 20 updates.
pids=()
for i in $(seq 0 19); do
    "$CCN" lease "$WS" end --cluster HT --lot CN-01 --on $((2000 + i))-07-01 >"$TMP/e$i.out" 2>"$TMP/e$i.err" &
    pids+=($!)
done
fails=0
for p in "${pids[@]}"; do wait "$p" || fails=$((fails + 1)); done
expect_eq "$fails" 0 "clients that failed: $(cat "$TMP"/e*.err)"
expect_eq "$(sql "$WS" "SELECT count(*) FROM leases WHERE lot_no = 'CN-01' AND end_date = substr(start_date, 1, 4) || '-07-01'")" 20
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit WHERE tbl = 'leases' AND op = 'UPDATE'")" 20
# Three registers imported at once: two of different years land whole, the
# third overlaps the first (its file or the register, whichever came first)
# and is refused whole.
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,Tệp %s,%s-01-01,%s-01-01,\nHT,CN-01,Tệp %s,%s-01-01,%s-01-01,\n' \
    a 2100 2101 a 2101 2102 >"$TMP/la.csv"
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,Tệp %s,%s-01-01,%s-01-01,\nHT,CN-01,Tệp %s,%s-01-01,%s-01-01,\n' \
    b 2200 2201 b 2201 2202 >"$TMP/lb.csv"
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,Tệp %s,%s-06-01,%s-01-01,\n' c 2100 2103 >"$TMP/lc.csv"
"$CCN" lease "$WS" import "$TMP/la.csv" >/dev/null 2>"$TMP/la.err" & p1=$!
"$CCN" lease "$WS" import "$TMP/lb.csv" >/dev/null 2>"$TMP/lb.err" & p2=$!
"$CCN" lease "$WS" import "$TMP/lc.csv" >/dev/null 2>"$TMP/lc.err" & p3=$!
wait $p1; r1=$?
wait $p2; r2=$?
wait $p3; r3=$?
# b always lands; of a and c, which overlap, exactly one.
expect_eq "$r2" 0 "$(cat "$TMP/lb.err")"
expect_eq "$(printf '%s\n' $r1 $r3 | sort | tr '\n' ' ')" "0 2 " "registers a and c: exit codes $r1 $r3"
if [ "$r1" = 0 ]; then won="Tệp a 2100-01-01,Tệp a 2101-01-01" lost=$TMP/lc.err; else won="Tệp c 2100-06-01" lost=$TMP/la.err; fi
expect_eq "$(sql "$WS" "SELECT string_agg(tenant || ' ' || start_date, ',' ORDER BY start_date) FROM leases WHERE start_date >= '2100-01-01'")" \
    "$won,Tệp b 2200-01-01,Tệp b 2201-01-01"
grep -qF "overlaps" "$lost" && ok || bad "the losing register was refused without the reason: $(cat "$lost")"
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit WHERE tbl = 'imports' AND op = 'INSERT'")" 4 "two layers, two registers"

# Two clients racing for CN-02 from 2030-01-01 (five rounds, each a new
# period): exactly one wins each round, the loser is told why and exits 2.
for r in 1 2 3 4 5; do
    from=$((2030 + 2 * r))-01-01 to=$((2031 + 2 * r))-06-01
    "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "Bên A" --from "$from" --to "$to" >"$TMP/a.out" 2>"$TMP/a.err" &
    pa=$!
    "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "Bên B" --from "$from" --to "$to" >"$TMP/b.out" 2>"$TMP/b.err" &
    pb=$!
    wait $pa; ra=$?
    wait $pb; rb=$?
    expect_eq "$(printf '%s\n' $ra $rb | sort | tr '\n' ' ')" "0 2 " "round $r: exit codes $ra $rb"
    expect_eq "$(sql "$WS" "SELECT count(*) FROM leases WHERE lot_no = 'CN-02' AND start_date = '$from'")" 1 "round $r"
    grep -qF "overlaps" "$TMP/a.err" "$TMP/b.err" && ok || bad "round $r: no overlap message: $(cat "$TMP/a.err" "$TMP/b.err")"
done

# A lease written behind ccn's back (psql, not yet committed) while ccn adds
# the same lot and period: ccn's own check cannot see it; the constraint
# makes ccn wait, then refuses it, naming the lot and both periods.
psql_su -c "BEGIN; INSERT INTO leases (fid, cluster, lot_no, tenant, start_date, end_date, recorded_at)
    VALUES (1000, 'HT', 'CN-03', 'Nhập tay', '2040-01-01', NULL, 'x'); SELECT pg_sleep(3); COMMIT;" >/dev/null &
pp=$!
wait_for_sleeper
run "$CCN" lease "$WS" add --cluster HT --lot CN-03 --tenant "Công ty Trễ" --from 2041-01-01
wait $pp
expect_rc 2
expect_err "the lease of HT/CN-03 from 2041-01-01 (running) overlaps a lease of that lot from 2040-01-01 (running)"
expect_eq "$(sql "$WS" "SELECT string_agg(tenant, ',') FROM leases WHERE lot_no = 'CN-03'")" "Nhập tay"
# A lease of another lot written by hand with the default fid (max + 1), not
# yet committed, while ccn adds one: the first fid a transaction takes takes
# the workspace's write lock, so ccn waits and numbers after it (both taking
# the same fid ended ccn with "duplicate key", exit 3).
psql_su -c "BEGIN; INSERT INTO leases (cluster, lot_no, tenant, start_date, end_date, recorded_at)
    VALUES ('HT', 'CN-01', 'Nhập tay 2', '2045-01-01', '2046-01-01', 'x'); SELECT pg_sleep(3); COMMIT;" >/dev/null &
pp=$!
wait_for_sleeper
run "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "Công ty Sau" --from 2045-01-01 --to 2046-01-01
wait $pp
expect_rc 0
expect_eq "$(sql "$WS" "SELECT string_agg(tenant, ',' ORDER BY fid) FROM leases WHERE start_date = '2045-01-01'")" "Nhập tay 2,Công ty Sau"
expect_eq "$(sql "$WS" "SELECT count(DISTINCT fid) FROM leases WHERE start_date = '2045-01-01'")" 2
# ... and the database refuses an overlap whoever writes it (end 2041-01-01 is
# the first day no longer leased, so [2039-06-01, 2040-01-01) would not overlap).
psql_su -c "INSERT INTO leases (fid, cluster, lot_no, tenant, start_date, end_date, recorded_at)
    VALUES (2001, 'HT', 'CN-03', 'X', '2039-06-01', '2040-01-02', 'x')" >/dev/null 2>"$TMP/psql.err"
grep -qF 'violates exclusion constraint "leases_no_overlap"' "$TMP/psql.err" && ok || bad "psql overlap not refused: $(cat "$TMP/psql.err")"
psql_su -c "INSERT INTO leases (fid, cluster, lot_no, tenant, start_date, end_date, recorded_at)
    VALUES (2002, 'HT', 'CN-03', 'Y', '2039-06-01', '2040-01-01', 'x')" >/dev/null
expect_eq "$?" 0 "a lease ending the day the next starts"

# Roles: alice a viewer, bob an editor.
psql_su -c "DROP ROLE IF EXISTS alice; DROP ROLE IF EXISTS bob; CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN" >/dev/null 2>&1
run "$CCN" grant "$WS" viewer alice
expect_rc 0
run "$CCN" grant "$WS" editor bob
expect_rc 0
run "$CCN" grant "$WS" boss bob
expect_rc 2
expect_err "'boss': expected viewer, editor or admin"
run "$CCN" grant "$WS" viewer nobody_here
expect_rc 2
expect_err "no PostgreSQL role 'nobody_here'"
run "$CCN" grant "$TMP/x.sqlite" viewer bob
expect_rc 2
A=$(as_user alice) B=$(as_user bob)
before=$(sql "$WS" "SELECT count(*) FROM leases")
run "$CCN" lease "$A" add --cluster HT --lot CN-02 --tenant "Alice" --from 2050-01-01
expect_rc 2
expect_err "permission denied for table leases"
expect_err "changing the lease register needs the editor role"
expect_eq "$(sql "$WS" "SELECT count(*) FROM leases")" "$before"
run "$CCN" occupancy "$A" --as-of 2005-06-01 --format csv
expect_rc 0
expect_out "HT"
run "$CCN" check "$A" -q
[ "$rc" -le 1 ] && ok || bad "a viewer's check failed"
# A viewer's report: the findings it stores are those it writes out.
run "$CCN" report "$A" "$TMP/rep" --no-pdf -q
expect_rc 0
expect_eq "$(sql "$WS" "SELECT count(*) FROM findings")" "$(($(wc -l <"$TMP/rep/findings.csv") - 1))"
run "$CCN" import "$B" "$D/ht_lots.geojson" --as lots --replace-all --again -q
expect_rc 2
expect_err "permission denied"
expect_eq "$(sql "$WS" "SELECT count(*) FROM lots")" 5
run "$CCN" lease "$B" add --cluster HT --lot CN-02 --tenant "Công ty Bình An" --from 2060-01-01
expect_rc 0
run "$CCN" lease "$B" end --cluster HT --lot CN-02 --on 2061-03-01
expect_rc 0
# alice promoted, bob demoted: their rights follow.
"$CCN" grant "$WS" editor alice >/dev/null || exit 3
"$CCN" grant "$WS" viewer bob >/dev/null || exit 3
run "$CCN" lease "$B" add --cluster HT --lot CN-02 --tenant "Bob" --from 2070-01-01
expect_rc 2
run "$CCN" lease "$A" add --cluster HT --lot CN-02 --tenant "Alice" --from 2070-01-01
expect_rc 0

# The audit trail: who, what, before and after.
expect_eq "$(sql "$WS" "SELECT who || ' ' || op || ' ' || (after->>'tenant') || ' ' || coalesce(before->>'end_date', '-') FROM audit WHERE tbl = 'leases' AND (after->>'start_date') = '2060-01-01' ORDER BY fid")" \
    "bob INSERT Công ty Bình An -
bob UPDATE Công ty Bình An -"
expect_eq "$(sql "$WS" "SELECT after->>'end_date' FROM audit WHERE who = 'bob' AND op = 'UPDATE'")" 2061-03-01
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit WHERE who = 'alice' AND op = 'INSERT' AND after->>'tenant' = 'Alice'")" 1
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit WHERE who = 'ccn' AND tbl = 'imports' AND op = 'INSERT'")" 4
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit WHERE who = 'ccn' AND tbl = 'leases' AND op = 'INSERT' AND after->>'tenant' = 'Nhập tay'")" 1
# Nobody writes the trail by hand, not even an editor.
"$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -U alice -c "DELETE FROM $S.audit" >/dev/null 2>"$TMP/del.err"
grep -qF "permission denied for table audit" "$TMP/del.err" && ok || bad "an editor could delete the audit trail: $(cat "$TMP/del.err")"

# An administrator who may not write the database's public schema (PostgreSQL
# 15 lets only its owner): the import lands, the styles stay in the
# workspace, and ccn says QGIS will not find them there by itself.
psql_su -c "DROP ROLE IF EXISTS carol; CREATE ROLE carol LOGIN" >/dev/null 2>&1
"$CCN" grant "$WS" admin carol >/dev/null || exit 3
run "$CCN" import "$(as_user carol)" "$DATA/export/plan.geojson" --as plan
expect_rc 0
expect_err "QGIS will not find ccn's layer styles by itself"
expect_err "public.layer_styles, which role 'carol' may not write"
expect_eq "$(sql "$WS" "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '$S' AND styleName = 'ccn'")" 8
# The same for a role that creates a workspace: init says it too (the old
# build kept init's warnings to itself, so nobody heard of it).
psql_su -c "DROP ROLE IF EXISTS dora; CREATE ROLE dora LOGIN CREATEROLE; GRANT CREATE ON DATABASE ccn TO dora" \
    >/dev/null 2>&1
run "$CCN" init "$(sed "s|//ccn@|//dora@|; s|csearch_path%3D[A-Za-z0-9_]*|csearch_path%3D${S}_dora|" <<<"$WS")"
expect_rc 0
expect_err "ccn: init: warning: QGIS will not find ccn's layer styles by itself"
expect_err "public.layer_styles, which role 'dora' may not write"
expect_eq "$(sql "$WS" "SELECT count(*) FROM public.layer_styles WHERE f_table_schema = '${S}_dora'")" 0

finish
