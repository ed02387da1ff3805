#!/bin/bash
# cli_audit — the audit trail of a SQLite workspace (multiuser.h): each
# change of the lease register and each import recorded with the operating-
# system user, the operation and the row before and after; a refused command
# records nothing; the file stays writable by other SQLite programs (their
# edits are not recorded: only ccn's connections carry the triggers).
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws)
me=$(id -un)
audit() { sql "$WS" "SELECT group_concat(x, ' | ') FROM (SELECT who || ' ' || op || ' ' || tbl || ' ' || row_fid || ' ' || coalesce(json_extract(before, '\$.end_date'), '-') || ' ' || coalesce(json_extract(after, '\$.$1'), '-') AS x FROM audit WHERE fid > $2 ORDER BY fid)"; }
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit")" 0
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
expect_eq "$(audit role 0)" "$me INSERT imports 1 - clusters"
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
run "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "Công ty Hà Trung" --from 2023-01-01
expect_rc 0
expect_out "lease 1:"
expect_eq "$(audit tenant 2)" "$me INSERT leases 1 - Công ty Hà Trung"
run "$CCN" lease "$WS" end --cluster HT --lot CN-02 --on 2024-03-01
expect_rc 0
expect_eq "$(audit end_date 3)" "$me UPDATE leases 1 - 2024-03-01"
# refused (overlaps lease 1): nothing written, nothing recorded
run "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "X" --from 2024-02-01
expect_rc 2
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit")" 4
# import --replace: the register's lease deleted, the file's four added, the file recorded
run "$CCN" lease "$WS" import "$D/leases.csv" --replace
expect_rc 0
expect_eq "$(sql "$WS" "SELECT group_concat(op || ' ' || tbl, ',') FROM (SELECT * FROM audit WHERE fid > 4 ORDER BY fid)")" \
    "DELETE leases,INSERT leases,INSERT leases,INSERT leases,INSERT leases,INSERT imports"
expect_eq "$(sql "$WS" "SELECT json_extract(before, '\$.tenant') || ' ' || json_extract(before, '\$.end_date') FROM audit WHERE op = 'DELETE'")" \
    "Công ty Hà Trung 2024-03-01"
# Another SQLite program still edits the register (not recorded).
sqlite3 "$WS" "UPDATE leases SET note = 'sửa tay' WHERE fid = 2" && ok || bad "sqlite3 cannot write the workspace"
expect_eq "$(sql "$WS" "SELECT count(*) FROM audit")" 10
finish
