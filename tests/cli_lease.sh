#!/bin/bash
# cli_lease — ccn lease import/add/end/list on the Hợp Thắng fixture:
# boundary 400 m × 300 m; lots CN-01 100×50 = 5000 m², CN-02 100×30 = 3000 m²,
# CN-03 100×20 = 2000 m² (industrial), DV-01 (service), CX-01 (green).
# Every refusal is checked to leave the workspace file byte for byte as it was.
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
# the file's bytes; on PostgreSQL, every lease and audit row (sha256sum of a URI said nothing)
digest() {
    case "$WS" in
    postgres*) sql "$WS" "SELECT group_concat(x, ';') FROM (SELECT fid || '|' || cluster || '|' || lot_no || '|' || tenant || '|' || start_date || '|' || coalesce(end_date, '') || '|' || coalesce(note, '') AS x FROM leases UNION ALL SELECT 'audit ' || count(*) FROM audit ORDER BY 1) t" | sha256sum | cut -d' ' -f1 ;;
    *) sha256sum "$WS" | cut -d' ' -f1 ;;
    esac
}
leases() { sql "$WS" "SELECT count(*) FROM leases"; }

# A refusal: exit code 2, the message, and the workspace unchanged.
refused() {
    local msg=$1
    shift
    local before
    before=$(digest)
    run "$CCN" lease "$WS" "$@"
    expect_rc 2
    expect_err "$msg"
    expect_eq "$(digest)" "$before" "workspace changed by: $*"
}

# --help and usage errors
run "$CCN" lease --help
expect_rc 0
expect_out "Usage: ccn lease WORKSPACE import FILE.csv"
run "$CCN" lease "$WS"
expect_rc 2
expect_err "expected WORKSPACE and an action"
run "$CCN" lease "$WS" frob
expect_rc 2
expect_err "unknown action 'frob'"
run "$CCN" lease "$WS" add --cluster HT --lot CN-01 --from 2022-01-01
expect_rc 2
expect_err "'add' needs --tenant"
run "$CCN" lease "$WS" end --cluster HT --lot CN-01 --on 2022-01-01 --tenant X
expect_rc 2
expect_err "'end' does not take --tenant"
run "$CCN" lease "$WS" import
expect_rc 2
run "$CCN" lease "$TMP/none.sqlite" list
expect_rc 2
expect_err "does not exist"

# A file with a bad row of every kind: each is listed, nothing is written.
refused "9 of 10 rows refused" import "$D/bad.csv"
expect_err "bad.csv:3: cluster: 'XX' is not a cluster of the registry"
expect_err "bad.csv:4: lot_no: cluster HT has no lot 'CN-99'"
expect_err "bad.csv:5: lot_no: HT/DV-01 is a service lot: only industrial lots are leased"
expect_err "bad.csv:6: start_date: '2023-02-30' is not a date"
expect_err "bad.csv:7: end_date: 2023-01-01 is not after the start 2024-01-01"
expect_err "bad.csv:8: tenant: is empty"
expect_err "bad.csv:9: start_date: the lease of HT/CN-01 from 2023-01-01 to 2023-06-01 overlaps the lease of line 2"
expect_err "bad.csv:10: start_date: '31/13/2024' is not a date: write YYYY-MM-DD or dd/mm/yyyy"
expect_err "bad.csv:11: row: has 3 fields, the header 6"
expect_eq "$(grep -c '^.*bad.csv:[0-9]*:' <<<"$err")" 9
expect_eq "$(leases)" 0

# The good file.
run "$CCN" lease "$WS" import "$D/leases.csv"
expect_rc 0
expect_out "4 leases imported"
expect_eq "$(leases)" 4
expect_eq "$(sql "$WS" "SELECT tenant FROM leases WHERE lot_no = 'CN-03'")" \
    "Công ty Gỗ Thọ Xuân, chi nhánh Triệu Sơn"
expect_eq "$(sql "$WS" "SELECT note FROM leases WHERE lot_no = 'CN-03'")" \
    'ký ngày cuối năm; "hợp đồng" 50 năm'
expect_eq "$(sql "$WS" "SELECT count(*) FROM imports WHERE role = 'leases'")" 1
# Again: every row overlaps itself in the register.
refused "4 of 4 rows refused" import "$D/leases.csv"
expect_err "use --replace"
run "$CCN" lease "$WS" import "$D/leases.csv" --replace
expect_rc 0
expect_out "4 leases imported, 4 replaced"
expect_eq "$(leases)" 4
expect_eq "$(grep -c warning <<<"$err")" 0 "(the same register again: nothing gone)"

# list: the whole history, and the leases running on a day.
run "$CCN" lease "$WS" list --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "id,cluster,lot_no,tenant,start_date,end_date,note,recorded_at"
expect_eq "$(($(wc -l <<<"$out") - 1))" 4
# On 2025-12-31 CN-02's lease has ended (its end day) and CN-03's has begun.
run "$CCN" lease "$WS" list --as-of 2025-12-31 --format csv
expect_eq "$(cut -d, -f3 <<<"$out" | tail -n +2 | tr '\n' ' ')" "CN-01 CN-03 "
run "$CCN" lease "$WS" list --cluster DL3 --format csv
expect_eq "$(wc -l <<<"$out")" 1
run "$CCN" lease "$WS" list --as-of 2025-12-32
expect_rc 2
run "$CCN" lease "$WS" list --format json --as-of 2024-06-30
expect_rc 0
expect_eq "$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$out")" 2

# add: each refusal named, the workspace unchanged.
refused "'XX' is not a cluster of the registry" add --cluster XX --lot CN-02 --tenant T --from 2026-01-01
refused "cluster HT has no lot 'CN-42'" add --cluster HT --lot CN-42 --tenant T --from 2026-01-01
refused "HT/CX-01 is a green lot" add --cluster HT --lot CX-01 --tenant T --from 2026-01-01
refused "overlaps lease 3 of the register" add --cluster HT --lot CN-02 --tenant T --from 2025-06-01
refused "overlaps lease" add --cluster HT --lot CN-01 --tenant T --from 2020-01-01 --to 2022-01-02
refused "end_date: 2025-12-31 is not after the start 2026-01-01" \
    add --cluster HT --lot CN-02 --tenant T --from 2026-01-01 --to 2025-12-31
refused "start_date: '2026-1-1' is not a date" add --cluster HT --lot CN-02 --tenant T --from 2026-1-1
refused "tenant: is empty" add --cluster HT --lot CN-02 --tenant "   " --from 2026-01-01
# Back to back with CN-02's lease, which ends on 2025-12-31: accepted.
run "$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "Công ty Dệt Nưa" --from 2025-12-31 --to 2027-01-01
expect_rc 0
expect_out "lease 5: HT/CN-02 to 'Công ty Dệt Nưa' from 2025-12-31 to 2027-01-01"
expect_eq "$(leases)" 5

# end: the running lease of CN-01 ends on 2026-03-01; history kept.
run "$CCN" lease "$WS" end --cluster HT --lot CN-01 --on 2026-03-01
expect_rc 0
expect_out "lease 2 of HT/CN-01 ends on 2026-03-01"
expect_eq "$(sql "$WS" "SELECT end_date FROM leases WHERE fid = 2")" 2026-03-01
expect_eq "$(leases)" 5
# A fixed-term lease cut short, then its end moved again: each time the end
# it replaces is said (the build before said nothing of the 2027-01-01 it
# overwrote, nor of its own 2026-09-01 when run again with another day).
run "$CCN" lease "$WS" end --cluster HT --lot CN-02 --on 2026-09-01
expect_rc 0
expect_out "lease 5 of HT/CN-02 ends on 2026-09-01 instead of 2027-01-01"
run "$CCN" lease "$WS" end --cluster HT --lot CN-02 --on 01/06/2026
expect_rc 0
expect_out "lease 5 of HT/CN-02 ends on 2026-06-01 instead of 2026-09-01"
expect_eq "$(sql "$WS" "SELECT end_date FROM leases WHERE fid = 5")" 2026-06-01
LANGUAGE=vi run "$CCN" lease "$WS" end --cluster HT --lot CN-02 --on 2026-05-01
expect_out "thay cho 2026-06-01"
refused "lease 5 (to 'Công ty Dệt Nưa') ends on that day already" end --cluster HT --lot CN-02 --on 2026-05-01
expect_eq "$(leases)" 5
refused "no lease of that lot runs the day before" end --cluster HT --lot CN-01 --on 2026-06-01
refused "a lease cannot end before or on its first day" end --cluster HT --lot CN-03 --on 2025-12-31
refused "'2026-02-30' is not a date" end --cluster HT --lot CN-03 --on 2026-02-30
refused "cluster HT has no lot 'CN-09'" end --cluster HT --lot CN-09 --on 2026-02-01

# A column that is not a lease field is named and ignored; a file without
# its header is refused.
printf 'cluster,lot_no,tenant,start_date,end_date,note,so_hop_dong\nHT,CN-03,Công ty X,2020-01-01,2020-06-01,,HĐ-7\n' >"$TMP/extra.csv"
run "$CCN" lease "$WS" import "$TMP/extra.csv"
expect_rc 0
expect_out "1 lease imported"
expect_err "columns ignored (not lease fields): 'so_hop_dong'"
tail -n +2 "$D/leases.csv" >"$TMP/headless.csv"
refused "headless.csv: line 1: the header lacks cluster, lot_no, tenant, start_date" import "$TMP/headless.csv"
expect_eq "$(grep -c warning <<<"$err")" 0

# Legacy encoding: the same file in TCVN3.
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-03,Công ty Hợp Thắng,2021-01-01,2022-01-01,cũ\n' |
    iconv -f UTF-8 -t TCVN5712-1 >"$TMP/tcvn3.csv"
refused "tcvn3.csv:2: tenant: is not valid UTF-8 text" import "$TMP/tcvn3.csv"
run "$CCN" lease "$WS" import "$TMP/tcvn3.csv" --encoding TCVN3
expect_rc 0
expect_eq "$(sql "$WS" "SELECT tenant || '|' || note FROM leases WHERE start_date = '2021-01-01'")" \
    "Công ty Hợp Thắng|cũ"
run "$CCN" lease "$WS" import "$TMP/tcvn3.csv" --encoding EBCDIC
expect_rc 2
expect_err "--encoding 'EBCDIC'"
# --- the register's `lot` names its cluster (docs/design.md §4: "HT/CN-01"): a file
# with a lot column and no cluster column, and add/end with --lot alone; --start and
# --end say --from and --to (add) or --on (end). (The old build refused the file,
# "the header lacks cluster", and add and end without --cluster.)
WS=$(new_ws lotonly)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
printf 'lot,tenant,start_date,end_date\nHT/CN-01,Cty A,2022-01-01,2023-01-01\nht CN-02,Cty B,2022-03-01,\nHT-CN-03,Cty C,01/06/2022,\n' >"$TMP/lot.csv"
run "$CCN" lease "$WS" import "$TMP/lot.csv"
expect_rc 0
expect_out "3 leases imported"
expect_eq "$(sql "$WS" "SELECT group_concat(x, ';') FROM (SELECT cluster || ' ' || lot_no || ' ' || start_date AS x FROM leases ORDER BY lot_no) t")" \
    "HT CN-01 2022-01-01;HT CN-02 2022-03-01;HT CN-03 2022-06-01"
printf 'lot,tenant,start_date\nXX/CN-01,Cty D,2024-01-01\n' >"$TMP/lotbad.csv"
refused "lot 'XX/CN-01' does not begin with a cluster's code" import "$TMP/lotbad.csv"
run "$CCN" lease "$WS" end --lot HT/CN-02 --end 2024-01-01
expect_rc 0
expect_out "of HT/CN-02 ends on 2024-01-01"
run "$CCN" lease "$WS" add --lot "HT/CN-01" --tenant "Cty E" --start 2024-02-01 --end 2025-02-01
expect_rc 0
expect_out "HT/CN-01 to 'Cty E' from 2024-02-01 to 2025-02-01"
expect_eq "$(sql "$WS" "SELECT end_date FROM leases WHERE lot_no = 'CN-02'")" 2024-01-01
expect_eq "$(sql "$WS" "SELECT cluster || ' ' || end_date FROM leases WHERE tenant = 'Cty E'")" "HT 2025-02-01"
refused "--end and --to say the same" add --lot HT/CN-03 --tenant F --start 2026-01-01 --to 2026-02-01 --end 2026-02-01
refused "--start and --from say the same" add --lot HT/CN-03 --tenant F --start 2026-01-01 --from 2026-01-01
refused "'end' does not take --start" end --lot HT/CN-03 --start 2026-01-01
refused "lot 'HT /' is a cluster's code with no lot number after it" add --lot "HT /" --tenant F --start 2026-01-01
# the lease is said back as stored: the registry's code, whatever the case and separators typed
run "$CCN" lease "$WS" add --lot "ht _ CN-02" --tenant "Cty F" --start 2026-01-01
expect_rc 0
expect_out "HT/CN-02 to 'Cty F' from 2026-01-01, running"
# a lot_no column without a cluster column is a missing column, not lots to split
printf 'lot_no,tenant,start_date\nCN-01,Cty G,2027-01-01\n' >"$TMP/nocluster.csv"
refused "the header lacks cluster" import "$TMP/nocluster.csv"
refused "does not take --end" list --end 2026-01-01

# --replace swaps the whole register: the leases the file does not hold again
# (by cluster, lot and start) are said, with how many run today. "1 lease
# imported, 4 replaced" alone hid a running lease added since the file was made.
WS=$(new_ws replace)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$WS" import "$D/leases.csv" >/dev/null || exit 3
"$CCN" lease "$WS" add --cluster HT --lot CN-02 --tenant "Công ty Sau" --from 2026-01-01 >/dev/null || exit 3
printf 'cluster,lot_no,tenant,start_date,end_date,note\nHT,CN-01,Công ty TNHH Minh Phát,01/01/2022,2024-07-01,\n' >"$TMP/one.csv"
run "$CCN" lease "$WS" import "$TMP/one.csv" --replace
expect_rc 0
expect_out "1 lease imported, 5 replaced"
# gone: CN-01 from 2024-07-01 and CN-03 from 2025-12-31 (running), CN-02 from
# 2023-04-01 (ended 2025-12-31), CN-02 from 2026-01-01 (running)
expect_err "one.csv: 4 leases of the register are not in the file (by cluster, lot and start) and are gone with the replace, 3 of them running today; the first: HT/CN-01 (Công ty CP Thép Hợp Thắng, from 2024-07-01)"
expect_eq "$(leases)" 1
finish
