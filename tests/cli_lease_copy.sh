#!/bin/bash
# cli_lease_copy — the register kept as the README says (`ccn lease WS list -o
# leases.csv`) imports back as it was, and the blank rows a spreadsheet writes
# are blank lines.
# The old build: list -o writes a text beginning with = + - @ as "'-…" (OWASP's
# guard against formulas) and import kept the apostrophe, so every copy and
# import added one ("- gia hạn" -> "'- gia hạn" -> "''- gia hạn"); and a row of
# empty fields (",,,,," as Excel writes the rows below a table once formatted)
# was refused: "cluster: is empty", "tenant: is empty", …, nothing imported.
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
setup() {
    local ws
    ws=$(new_ws "$1") || exit 3
    "$CCN" import "$ws" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
    "$CCN" import "$ws" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
    echo "$ws"
}
WS=$(setup ws)
register() { sql "$1" "SELECT group_concat(x, '~') FROM (SELECT lot_no || '|' || tenant || '|' || start_date || '|' || coalesce(end_date, '') || '|' || coalesce(note, '') AS x FROM leases ORDER BY lot_no, start_date) t"; }

cat >"$TMP/reg.csv" <<'EOF'
cluster,lot_no,tenant,start_date,end_date,note
HT,CN-01,=Công ty Dấu Bằng,2022-01-01,2024-07-01,- gia hạn lần 2
HT,CN-01,@Cty A Còng,2024-07-01,,+ bổ sung phụ lục
HT,CN-02,Công ty May Sơn Hà,2023-04-01,,'giữ dấu nháy' như người gõ
HT,CN-03,-Hộ kinh doanh Gạch,2025-12-31,,"-1,5 ha"
EOF
run "$CCN" lease "$WS" import "$TMP/reg.csv"
expect_rc 0
expect_out "4 leases imported"
want="CN-01|=Công ty Dấu Bằng|2022-01-01|2024-07-01|- gia hạn lần 2~CN-01|@Cty A Còng|2024-07-01||+ bổ sung phụ lục~CN-02|Công ty May Sơn Hà|2023-04-01||'giữ dấu nháy' như người gõ~CN-03|-Hộ kinh doanh Gạch|2025-12-31||-1,5 ha"
expect_eq "$(register "$WS")" "$want" "the register as the file writes it"

# The copy: guarded for a spreadsheet, as README's CSV paragraph says.
run "$CCN" lease "$WS" list -o "$TMP/copy.csv"
expect_rc 0
grep -qF "\"'- gia hạn lần 2\"" "$TMP/copy.csv" && ok || bad "copy.csv lacks the guarded note"
grep -qF "\"'=Công ty Dấu Bằng\"" "$TMP/copy.csv" && ok || bad "copy.csv lacks the guarded tenant"

# Into a new workspace: the same register, not one with apostrophes.
WS2=$(setup copy)
run "$CCN" lease "$WS2" import "$TMP/copy.csv"
expect_rc 0
expect_out "4 leases imported"
expect_eq "$(register "$WS2")" "$want" "the register imported from its copy"
# And round again, by --replace: still the same (the old build: two apostrophes).
"$CCN" lease "$WS2" list -o "$TMP/copy2.csv" || bad "list -o copy2"
run "$CCN" lease "$WS2" import "$TMP/copy2.csv" --replace
expect_rc 0
expect_out "4 leases imported, 4 replaced"
expect_eq "$(register "$WS2")" "$want" "the register after a second copy"

# Blank rows as spreadsheets write them (CRLF, ",,,,,", ";;;;;", spaces): skipped;
# a bad row after them keeps its own line number.
WS3=$(setup blank)
printf 'cluster,lot_no,tenant,start_date,end_date,note\r\nHT,CN-01,Công ty A,01/02/2022,,\r\n,,,,,\r\n,,,,,\r\n   \r\nHT,CN-02,Công ty B,2022-02-01,,\r\n,,,,,\r\n' \
    >"$TMP/blank.csv"
run "$CCN" lease "$WS3" import "$TMP/blank.csv"
expect_rc 0
expect_out "2 leases imported"
expect_eq "$(register "$WS3")" "CN-01|Công ty A|2022-02-01||~CN-02|Công ty B|2022-02-01||"
printf 'cluster;lot_no;tenant;start_date;end_date;note\n;;;;;\nHT;CN-03;Công ty C;31/02/2023;;\n;;;;;\n' \
    >"$TMP/blank_bad.csv"
run "$CCN" lease "$WS3" import "$TMP/blank_bad.csv"
expect_rc 2
expect_err "blank_bad.csv:3: start_date: '31/02/2023' is not a date"
expect_err "1 of 1 rows refused (1 problem)"
# A file of blank rows only is no register (and --replace does not empty one).
printf 'cluster,lot_no,tenant,start_date,end_date,note\n,,,,,\n,,,,,\n' >"$TMP/none.csv"
run "$CCN" lease "$WS3" import "$TMP/none.csv" --replace
expect_rc 2
expect_err "no leases after the header: nothing to import"
expect_eq "$(sql "$WS3" "SELECT count(*) FROM leases")" 2

finish
