#!/usr/bin/env bash
# The web page of ccn publish with HTML and script in every name the data
# carry (cluster code and name, commune, tenant, lot number, lease note,
# plan code, owner): loaded in headless Chromium, nothing runs (no dialog,
# no element made from data), every name is shown as text, and the page's
# Content-Security-Policy refuses inline script (tests/node/xss_test.mjs).
source "$(dirname "$0")/lib.sh"
if ! command -v node >/dev/null || [ ! -d "$ROOT/tests/node/node_modules/playwright-core" ]; then
    echo "SKIP: node or playwright-core absent (scripts/setup.sh installs them)"
    finish
    exit
fi
ws=$(new_ws)
d=$DATA/export
for layer in clusters lots parcels plan communes; do
    "$CCN" import "$ws" "$d/$layer.geojson" --as "$layer" -q >/dev/null || exit 3
done
sql_script "$ws" <"$d/leases.sql" || exit 3

# Each payload names its field, so a dialog tells which one ran. Stored
# straight into the workspace: whatever input validation lets through, the
# page must stay inert.
code='<img src=x onerror="alert(`code`)">'
cname='<script>alert("cluster name")</script><img src=x onerror=alert(2)>'
commune='<img src=x onerror="alert(1)">'
tenant='<svg onload=alert("tenant")></svg><img src=x onerror=alert(3)>'
lot='"><img src=x onerror=alert(4)>'
note='<img src=x onerror=alert("note")>'
plan='<img src=x onerror=alert("plan")>'
owner='<img src=x onerror=alert("owner")>'
q() { printf "%s" "$1" | sed "s/'/''/g"; }
sql_script "$ws" <<SQL || exit 3
UPDATE clusters SET code = '$(q "$code")', name = '$(q "$cname")' WHERE code = 'HT';
UPDATE lots SET cluster = '$(q "$code")' WHERE cluster = 'HT';
UPDATE leases SET cluster = '$(q "$code")' WHERE cluster = 'HT';
UPDATE lots SET lot_no = '$(q "$lot")' WHERE lot_no = 'CN-01' AND cluster = '$(q "$code")';
UPDATE leases SET lot_no = '$(q "$lot")', tenant = '$(q "$tenant")', note = '$(q "$note")'
 WHERE lot_no = 'CN-01';
UPDATE lots SET lot_no = '$(q "$lot")-2' WHERE lot_no = 'CN-06';
UPDATE communes SET name = '$(q "$commune")';
UPDATE plan SET landuse = '$(q "$plan")' WHERE landuse = 'SKN';
UPDATE parcels SET owner = '$(q "$owner")';
SQL
[ "$(sql "$ws" "SELECT count(*) FROM lots WHERE cluster = '$(q "$code")'")" -gt 0 ] && ok ||
    bad "the fixture has no lots in the renamed cluster"

run "$CCN" publish "$ws" "$TMP/page" --as-of 2024-07-01
expect_rc 0
grep -q 'http-equiv="Content-Security-Policy"' "$TMP/page/index.html" && ok || bad "no CSP meta tag"
grep -q '<script>' "$TMP/page/index.html" && bad "an inline script in index.html" || ok

# The page shows each name as it is: the cluster code on its map label and
# in the occupancy table, the commune on its label, the cluster's name, the
# vacant lot's number, the tenant in the lot's popup.
run node "$ROOT/tests/node/xss_test.mjs" "$TMP/page" \
    --expect ".cluster-label=$code" \
    --expect ".commune-label=$commune" \
    --expect "#occupancy .code=$code" \
    --expect "#occupancy .name=$cname" \
    --expect "#vacant tbody td=$lot-2" \
    --expect ".lot-label=$lot" \
    --expect ".legend-control div=$plan" \
    --popup "$code/$lot" "$tenant"
expect_rc 0
expect_out " 0 failed"

# The same workspace through ccn report: its page too.
run "$CCN" report "$ws" "$TMP/rep" --as-of 2024-07-01 -q
expect_rc 0
run node "$ROOT/tests/node/xss_test.mjs" "$TMP/rep/web" --expect ".commune-label=$commune" \
    --popup "$code/$lot" "$tenant"
expect_rc 0
expect_out " 0 failed"
finish
