#!/bin/bash
# cli_main_job — the quarterly job's workspace steps (scripts/update-workspace.sh,
# which scripts/main-job.sh runs) twice on a temporary workspace: the second
# run keeps a lease added in between (init --force erased it before), imports
# nothing unchanged, and takes a changed layer file as a replace.
source "$(dirname "$0")/lib.sh"
WS=$TMP/ccn.sqlite
cp -r "$ROOT/layers" "$TMP/layers"
export CCN_LAYERS=$TMP/layers CCN_DISTRICT=$ROOT/gis
job() { run bash "$ROOT/scripts/update-workspace.sh" "$CCN" "$WS"; }

job
expect_rc 0
expect_out "created"
expect_out "92 leases imported"
lots=$(sqlite3 "$WS" "SELECT count(*) FROM lots")
expect_eq "$lots" "168"
plan=$(sqlite3 "$WS" "SELECT count(*) FROM plan")
expect_eq "$plan" "455"
leases=$(sqlite3 "$WS" "SELECT count(*) FROM leases")

# Between two runs the office records a lease on a vacant industrial lot.
lot=$(sqlite3 "$WS" "SELECT lot_no FROM lots o WHERE cluster = 'TN' AND use = 'industrial'
    AND NOT EXISTS (SELECT 1 FROM leases WHERE cluster = 'TN' AND lot_no = o.lot_no) ORDER BY lot_no LIMIT 1")
run "$CCN" lease "$WS" add --cluster TN --lot "$lot" --tenant "Công ty TNHH Giữa Hai Kỳ" --from 2026-11-15
expect_rc 0

job
expect_rc 0
! grep -q "created" <<<"$out" && ok || bad "the second run created the workspace again"
expect_eq "$(grep -c "unchanged since it was imported" <<<"$out")" "7" "layers skipped as unchanged"
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM leases")" "$((leases + 1))" "leases after the second run"
expect_eq "$(sqlite3 "$WS" "SELECT tenant FROM leases WHERE cluster = 'TN' AND lot_no = '$lot'")" "Công ty TNHH Giữa Hai Kỳ"
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM lots")" "$lots" "lots after the second run (not doubled)"

# A surveyor sends a new plan: the third run replaces the plan, keeps the rest.
sed 's/"landuse": *"LUC"/"landuse": "LUK"/' "$ROOT/layers/plan.geojson" >"$TMP/layers/plan.geojson"
luk=$(grep -o '"landuse": *"\(LUC\|LUK\)"' "$ROOT/layers/plan.geojson" | wc -l)
job
expect_rc 0
expect_out "plan.geojson: layer"
expect_eq "$(grep -c "unchanged since it was imported" <<<"$out")" "6" "layers skipped on the third run"
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM plan WHERE landuse = 'LUK'")" "$luk" "LUK zones after the new plan"
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM plan")" "$plan" "plan zones after the new plan (replaced, not added)"
expect_eq "$(sqlite3 "$WS" "SELECT count(*) FROM leases")" "$((leases + 1))" "leases after the third run"

# The job itself no longer erases the workspace.
! grep -q -- "--force" "$ROOT/scripts/main-job.sh" && ok || bad "main-job.sh still runs init --force"
grep -q "update-workspace.sh" "$ROOT/scripts/main-job.sh" && ok || bad "main-job.sh does not run update-workspace.sh"
finish
