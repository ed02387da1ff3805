#!/usr/bin/env bash
# cli_lot_order — lot numbers listed in the order a land officer reads them
# (src/collate.h): per cluster in registry order (DL3 before HT), digit runs
# by value, case aside, the Vietnamese alphabet (A Ă Â … D Đ E …).
# tests/data/order/lots.geojson: HT lots, in file (fid) order,
#   KT-10 cn-02 KT-2 L10 Đ-1 KT-1 L2 D-9 E-1 Â-3 A-4, each 10 x 10 m;
#   DL3 lots CN-10, CN-9. Sorted by hand:
#   DL3: CN-9 < CN-10 (9 < 10)
#   HT:  A-4 < Â-3 (a < â) < cn-02 (c) < D-9 < Đ-1 (d < đ) < E-1 < KT-1 < KT-2
#        < KT-10 (1 < 2 < 10) < L2 < L10
# Byte order (what ccn gave before) put cn-02, Â-3 and Đ-1 after L10, and
# strverscmp nothing else apart; ORDER BY lot_no puts L10 before L2.
# leases.csv: HT KT-10, cn-02, Đ-1, A-4 and DL3 CN-10, CN-9 from 2024-01-01.
source "$(dirname "$0")/lib.sh"
D=$DATA/order
ws=$(new_ws order)
run "$CCN" import "$ws" "$DATA/lease/ht_boundary.geojson" --as clusters -q
expect_rc 0
run "$CCN" import "$ws" "$D/lots.geojson" --as lots -q
expect_rc 0
run "$CCN" lease "$ws" import "$D/leases.csv"
expect_rc 0

want_lots="DL3 CN-9,DL3 CN-10,HT A-4,HT Â-3,HT cn-02,HT D-9,HT Đ-1,HT E-1,HT KT-1,HT KT-2,HT KT-10,HT L2,HT L10,"

# occupancy --by lot: every lot, 100 m² each; leased as the register says.
run "$CCN" occupancy "$ws" --by lot --as-of 2025-06-30 --format csv
expect_rc 0
expect_eq "$(tail -n +2 <<<"$out" | cut -d, -f1,2 | tr ',\n' ' ,')" "$want_lots"
expect_out "HT,cn-02,industrial,100.000,true,Công ty B,2024-01-01,"
expect_out "HT,KT-2,industrial,100.000,false,,,"
# --cluster keeps the order within the cluster.
run "$CCN" occupancy "$ws" --by lot --cluster HT --as-of 2025-06-30 --format csv
expect_rc 0
expect_eq "$(tail -n +2 <<<"$out" | cut -d, -f2 | tr '\n' ,)" \
    "A-4,Â-3,cn-02,D-9,Đ-1,E-1,KT-1,KT-2,KT-10,L2,L10,"

# lease list: registry order, then lot numbers the same way.
run "$CCN" lease "$ws" list --format csv
expect_rc 0
expect_eq "$(tail -n +2 <<<"$out" | cut -d, -f2,3 | tr ',\n' ' ,')" \
    "DL3 CN-9,DL3 CN-10,HT A-4,HT cn-02,HT Đ-1,HT KT-10,"

# The report's tables (and so its workbook's sheets) take the same order:
# the by-lot CSV is the table above.
run "$CCN" report "$ws" "$TMP/out" --as-of 2025-06-30 --no-pdf -q
expect_rc 0
expect_eq "$(tail -n +2 "$TMP/out/occupancy_by_lot.csv" | cut -d, -f1,2 | tr ',\n' ' ,')" "$want_lots"
# The workbook's sheet "Lấp đầy theo lô", read back by openpyxl (Debian's
# python3-openpyxl), holds the same lot numbers in the same order.
got=$(/usr/bin/python3 - "$TMP/out/bao_cao.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = wb["Lấp đầy theo lô"]
rows = list(ws.iter_rows(values_only=True))
head = next(i for i, r in enumerate(rows) if r and "Số lô" in r)
col = rows[head].index("Số lô")
print(",".join(str(r[col]) for r in rows[head + 1:] if r and r[col]) + ",")
EOF
)
expect_eq "$got" "CN-9,CN-10,A-4,Â-3,cn-02,D-9,Đ-1,E-1,KT-1,KT-2,KT-10,L2,L10,"

# The map: lot numbers are labelled in that order, so the numbered list of
# those without room (here 10 m lots 20 m apart at 1:5000: some do not fit)
# reads in it too. Which ones find no room depends on the drawing; that the
# list follows the order above does not. The PDF keeps text as text.
run "$CCN" map "$ws" --cluster HT -o "$TMP/ht.pdf" -q
expect_rc 0
listed=$(pdftotext -layout "$TMP/ht.pdf" - | grep -A1 "NHÃN KHÔNG ĐỦ CHỖ" | tail -1 |
    grep -oE '[0-9]+\. [^;]+' | sed -E 's/^[0-9]+\. //; s/ +$//')
[ -n "$listed" ] && ok || bad "no list of labels without room on the map"
order=" A-4 Â-3 cn-02 D-9 Đ-1 E-1 KT-1 KT-2 KT-10 L2 L10 "
last=-1
while read -r lot; do
    [ -n "$lot" ] || continue
    before=${order%% "$lot" *}
    pos=${#before}
    [ "$pos" -gt "$last" ] && ok || bad "map list out of order at $lot: $(tr '\n' ' ' <<<"$listed")"
    last=$pos
done <<<"$listed"
# The web page (ccn publish) sorts its vacant lots in this order too, by keys
# computed in C: the browser's localeCompare('vi', {numeric}) puts 'L_1'
# before 'L,3' and the en dash of 'L–7' among the punctuation before the
# digits, where collate.h puts ASCII punctuation by code point before digits
# and other characters after letters. Lots another tool added (as QGIS
# would), copies of L2's square; 'Ô-12' decomposed (O + U+0302), as macOS
# writes it, weighs as the precomposed 'Ô-3' does (3 < 12). By hand, the
# vacant HT lots by lot number: Â-3 D-9 E-1 KT-1 KT-2 L,3 L_1 L2 L10 L–7 Ô-3 Ô-12.
o_nfd=$(printf 'O\xcc\x82-12')
sql_script "$ws" <<EOF || exit 3
INSERT INTO lots (cluster, lot_no, use, geom) SELECT 'HT', n, 'industrial', l.geom
  FROM lots l, (SELECT 'L_1' AS n UNION ALL SELECT 'L,3' UNION ALL SELECT 'L–7'
                UNION ALL SELECT 'Ô-3' UNION ALL SELECT '$o_nfd') AS k WHERE l.lot_no = 'L2';
EOF
run "$CCN" publish "$ws" "$TMP/site" --as-of 2025-06-30
expect_rc 0
want_page="HT/Â-3|HT/D-9|HT/E-1|HT/KT-1|HT/KT-2|HT/L,3|HT/L_1|HT/L2|HT/L10|HT/L–7|HT/Ô-3|HT/$o_nfd"
run node "$ROOT/tests/node/publish_test.mjs" "$TMP/site" --lot-order "$want_page"
expect_rc 0
expect_out " 0 failed"
# (what the browser's own order would be, to show the two differ)
run node -e 'const v = process.argv[1].split("|");
  console.log(v.slice().sort((a, b) => a.localeCompare(b, "vi", { numeric: true })).join("|"))' "$want_page"
[ "$out" != "$want_page" ] && ok || bad "localeCompare gives ccn's order: the test shows nothing"

# A server whose databases collate text by language (ICU en-US here, as one
# made with LC_COLLATE en_US.UTF-8 or vi_VN.UTF-8 would; the test cluster's
# own is C): its ORDER BY gives A-4 cn-02 Đ-1 KT-10, not strcmp's order, and
# the leases must still find their lots. Before, sorted by the server and
# searched by strcmp, KT-10 showed vacant ("1 leases name lots that are not
# in the lots layer") and a lease overlapping its register went unseen.
if [ "$BACKEND" = pg ]; then
    db=${PG_PREFIX}_icu
    "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -qc \
        "CREATE DATABASE $db TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'" ||
        exit 3
    conn="postgresql://ccn@/$db?host=$CCN_PG_SOCKET&port=$CCN_PG_PORT"
    psql "$conn" -qc "CREATE EXTENSION postgis; CREATE EXTENSION btree_gist;" >/dev/null || exit 3
    expect_eq "$(psql "$conn" -Atc "SELECT string_agg(v, ' ' ORDER BY v) FROM
        (VALUES ('KT-10'), ('cn-02'), ('Đ-1'), ('A-4')) AS t(v)")" "A-4 cn-02 Đ-1 KT-10" \
        "(the database's own order)"
    icu="$conn&options=-csearch_path%3Dorder"
    "$CCN" init "$icu" --district "$ROOT/gis" --force >/dev/null || exit 3
    run "$CCN" import "$icu" "$DATA/lease/ht_boundary.geojson" --as clusters -q
    run "$CCN" import "$icu" "$D/lots.geojson" --as lots -q
    run "$CCN" lease "$icu" import "$D/leases.csv" -q
    expect_rc 0
    run "$CCN" occupancy "$icu" --by lot --as-of 2025-06-30 --format csv
    expect_rc 0
    expect_out "HT,KT-10,industrial,100.000,true,Công ty A,2024-01-01,"
    grep -qF "not in the lots layer" <<<"$err" && bad "a lease missed its lot" || ok
    printf 'cluster,lot_no,tenant,start_date,end_date\nHT,KT-10,Công ty X,2024-06-01,\n' >"$TMP/more.csv"
    run "$CCN" lease "$icu" import "$TMP/more.csv"
    expect_rc 2
    expect_err "overlaps lease 1 of the register"
    "$ROOT/tests/pg_cluster.sh" psql "$CCN_PG_STATE" -qc "DROP DATABASE $db" || exit 3
fi

finish
