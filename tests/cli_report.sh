#!/usr/bin/env bash
# ccn report and ccn publish on the bundled sample layers: every file listed
# by the issue, the spreadsheet read back by GDAL, the web page in headless
# Chromium, and the folder replaced whole or not at all.
source "$(dirname "$0")/lib.sh"
L=$ROOT/layers
ws=$(sample_ws ws)

rep=$TMP/report
run "$CCN" report "$ws" "$rep" --as-of 2025-12-31 --no-pdf   # the PDF: cli_report_doc.sh
expect_rc 0
expect_out "figures as of 2025-12-31"
expect_out "meeting their occupancy target: 2 of 5"   # layers/README.md: DL3 and DT
for f in findings.csv findings.geojson areas.csv land_use.csv overlay.csv parcels.csv \
         occupancy.csv occupancy_by_lot.csv occupancy_series.csv decree32.csv \
         district_targets.csv bao_cao.xlsx bao_cao.docx layers/clusters.geojson layers/lots.geojson \
         layers/plan.geojson layers/communes.geojson maps/district.pdf maps/district.png \
         web/index.html web/data.js web/leaflet/leaflet.js; do
    [ -s "$rep/$f" ] && ok || bad "report lacks $f"
done
for code in DL3 HT NUA DT TN TTH; do
    for ext in pdf png; do [ -s "$rep/maps/$code.$ext" ] && ok || bad "no map $code.$ext"; done
done
pdftotext "$rep/maps/HT.pdf" - | grep -q "HỢP THẮNG" && ok || bad "HT map title"
# Every commune name of the district map finds room in its commune: Thọ Phú's
# centre lies under TN's label, and the old build put a number there instead,
# its hairline across that label.
grep -q "commune name.* did not fit" <<<"$err" && bad "a commune name numbered: $err" || ok
pdftotext "$rep/maps/district.pdf" - | grep -q "Thọ Phú" && ok || bad "Thọ Phú not on the district map"

# The QGIS project beside the maps, opened by QGIS itself (tests/qgis_check.py):
# the workspace named relative to the report's folder, every layer valid and
# styled, a bookmark and a print layout per cluster (gis/clusters.csv: six),
# each layout exported to PDF with its title.
[ -s "$rep/du_an.qgz" ] && ok || bad "report lacks du_an.qgz"
if [ "$BACKEND" = pg ]; then # the schema on its server, through QGIS's postgres provider
    unzip -p "$rep/du_an.qgz" du_an.qgs | grep -q "providerKey=\"postgres\".*" && ok || bad "du_an.qgz does not use the postgres provider"
    unzip -p "$rep/du_an.qgz" du_an.qgs | grep -q "table=&quot;$(ws_schema "$ws")&quot;.&quot;lots&quot; (geom)" && ok ||
        bad "du_an.qgz does not name the workspace's schema"
else
    unzip -p "$rep/du_an.qgz" du_an.qgs | grep -q "dbname=&apos;../ws.sqlite&apos;" && ok || bad "du_an.qgz does not name ../ws.sqlite"
fi
if /usr/bin/python3 -c "import qgis.core" 2>/dev/null; then
    run /usr/bin/python3 "$TESTS_DIR/qgis_check.py" project "$rep/du_an.qgz" "$ws" "$ROOT/gis/palette.csv" "$TMP" \
        "DL3:Dân Lực – Dân Lý – Dân Quyền,HT:Hợp Thắng,NUA:Nưa,DT:Đồng Thắng,TN:Thọ Ngọc,TTH:Khu công nghiệp phía Tây Thanh Hóa (phần trên địa bàn huyện)"
    [ "$rc" = 0 ] && ok || bad "QGIS on the report's project: $(grep FAIL <<<"$out")"
else
    bad "python3-qgis is missing (scripts/setup.sh installs it)"
fi

# The spreadsheet, read back by openpyxl: one sheet per report, under a
# 4-row title block and the header row a row per cluster in the occupancy
# sheet (the plan has six: gis/clusters.csv) and a totals row; a row per lot.
# (Its formats and print set-up: cli_report_doc.sh.)
nlots=$(ogrinfo -ro -so "$L/lots.gpkg" lots | sed -n 's/^Feature Count: //p')
run /usr/bin/python3 -c '
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
print("\n".join(wb.sheetnames))
print("occupancy rows", wb["Lấp đầy theo cụm"].max_row - 5)
print("lot rows", wb["Lấp đầy theo lô"].max_row - 5)' "$rep/bao_cao.xlsx"
expect_out "Lấp đầy theo cụm"
expect_out "Lấp đầy theo lô"
expect_out "Diện tích"
expect_out "Kiểm tra ranh giới"
expect_out "occupancy rows 7"
expect_out "lot rows $((nlots + 1))"

# The web page: no console error, one shape per lot, a popup with the tenant
# of a lease running on the day (read from the register's CSV, not from ccn),
# and the occupancy table as `ccn occupancy` prints it.
tenant=$(awk -F, 'NR > 1 && $1 == "HT" && $4 <= "2025-12-31" && ($5 == "" || $5 > "2025-12-31") { print $2 "=" $3; exit }' "$L/leases.csv")
[ -n "$tenant" ] && ok || bad "no running HT lease in the sample register"
"$CCN" occupancy "$ws" --as-of 2025-12-31 --format json >"$TMP/occ.json"
run node "$ROOT/tests/node/publish_test.mjs" "$rep/web" --lots "$nlots" --occupancy "$TMP/occ.json" \
    --tenant "HT/$tenant"
expect_rc 0
expect_out " 0 failed"

# A re-run replaces the folder, only while it holds just what ccn wrote
# (tests/cli_outdir_kept.sh); a failure leaves it as it was, with nothing half-written.
touch "$rep/stray.txt"
run "$CCN" report "$ws" "$rep" --as-of 2025-12-31 -q --no-pdf
expect_rc 2
expect_err "stray.txt"
[ -e "$rep/stray.txt" ] && ok || bad "a re-run deleted a file ccn did not write"
rm "$rep/stray.txt"
run "$CCN" report "$ws" "$rep" --as-of 2025-12-31 -q --no-pdf
expect_rc 0
before=$(find "$rep" -type f | sort | xargs md5sum | md5sum)
run "$CCN" report "$ws" "$rep" --as-of 2025-13-01
expect_rc 2
expect_err "--as-of"
expect_eq "$(find "$rep" -type f | sort | xargs md5sum | md5sum)" "$before"
expect_eq "$(ls -A "$TMP" | grep -c 'ccn-tmp')" "0" "(temporary folders left behind)"
mkdir -p "$TMP/mine" && echo keep >"$TMP/mine/notes.txt"
run "$CCN" report "$ws" "$TMP/mine"
expect_rc 2
[ -f "$TMP/mine/notes.txt" ] && ok || bad "report replaced a folder it did not write"
run "$CCN" report "$TMP/missing.sqlite" "$TMP/x"
expect_rc 2
expect_err "does not exist"

# ccn publish: the page alone.
run "$CCN" publish "$ws" "$TMP/pub" --as-of 2025-12-31
expect_rc 0
[ -s "$TMP/pub/index.html" ] && [ -s "$TMP/pub/data/lots.geojson" ] && ok || bad "publish output"
run node "$ROOT/tests/node/publish_test.mjs" "$TMP/pub" --lots "$nlots"
expect_rc 0

# The page names the units of its date (gis/communes.csv, Resolution
# 1686/NQ-UBTVQH15): after 2025-07-01 the 34 old communes of the sample are the
# 8 new ones, each drawn once, and the title says "the former district".
page_units() { # folder → "count|title|sorted names"
    node -e 'global.window = {}; require(process.argv[1]); const d = window.CCN_DATA;
        const names = d.communes.features.map(f => f.properties.name).sort();
        console.log(names.length + "|" + d.title + "|" + names.join(","))' "$1/data.js"
}
got=$(page_units "$TMP/pub")
[ "$got" = "8|Các cụm công nghiệp trên địa bàn huyện Triệu Sơn cũ — tỷ lệ lấp đầy|An Nông,Hợp Tiến,Thọ Bình,Thọ Ngọc,Thọ Phú,Triệu Sơn,Tân Ninh,Đồng Tiến" ] &&
    ok || bad "page after the reform: $got"
# Their geometry as RFC 7946 wants it: 7 decimals at most, shells
# counter-clockwise and holes clockwise (shoelace sign), as the layers.
page_rings() {
    node -e 'global.window = {}; require(process.argv[1]); let long = 0, wrong = 0, rings = 0;
        for (const f of window.CCN_DATA.communes.features)
            for (const poly of f.geometry.coordinates)
                poly.forEach((ring, k) => {
                    let a = 0; rings++;
                    for (let i = 0; i + 1 < ring.length; i++)
                        a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
                    if ((k === 0) !== (a > 0)) wrong++;
                    for (const p of ring) for (const v of p)
                        if ((String(v).split(".")[1] || "").length > 7) long++;
                });
        console.log(rings > 0 ? long + " " + wrong : "no rings")' "$1/data.js"
}
expect_eq "$(page_rings "$TMP/pub")" "0 0" "(communes on the page: over-long numbers, wrong windings)"
run "$CCN" publish "$ws" "$TMP/pub_old" --as-of 2025-06-30
expect_rc 0
got=$(page_units "$TMP/pub_old")
case "$got" in
"34|Các cụm công nghiệp trên địa bàn huyện Triệu Sơn — tỷ lệ lấp đầy|"*Thọ\ Sơn*) ok ;;
*) bad "page before the reform: $got" ;;
esac

# A workspace without lots (boundaries, parcels and plan only): the report
# writes all it can and says what it left out and why, as occupancy, map and
# publish do. The build before stopped (exit 2, no folder: "no lots in the
# workspace"), and its warnings said "check lots not run: not run: ...".
nolots=$(new_ws nolots)
for step in "$L/clusters.gpkg --as clusters" "$L/parcels.shp --as parcels --encoding TCVN3" \
    "$L/plan.geojson --as plan"; do
    # shellcheck disable=SC2086 # the step's words are the arguments
    "$CCN" import "$nolots" $step -q >/dev/null || exit 3
done
run "$CCN" report "$nolots" "$TMP/rep_nolots" --as-of 2025-12-31 --no-pdf
expect_rc 0
expect_err "land_use.csv not written: no lots imported"
expect_err "check lots not run: no lots imported"
grep -q "not run: not run" <<<"$err" && bad "a doubled 'not run': $err" || ok
for f in findings.csv areas.csv overlay.csv parcels.csv occupancy.csv bao_cao.xlsx bao_cao.docx \
         maps/district.png web/index.html du_an.qgz; do
    [ -s "$TMP/rep_nolots/$f" ] && ok || bad "the report without lots lacks $f"
done
[ -e "$TMP/rep_nolots/land_use.csv" ] && bad "land_use.csv written without lots" || ok
# areas.csv: the five clusters imported, each with its area (HT: layers/README.md)
expect_eq "$(tail -n +2 "$TMP/rep_nolots/areas.csv" | cut -d, -f1 | sort | tr '\n' ' ')" \
    "$(tail -n +2 "$rep/areas.csv" | cut -d, -f1 | sort | tr '\n' ' ')" "(the same clusters as with lots)"
expect_eq "$(grep '^HT,' "$TMP/rep_nolots/areas.csv")" "$(grep '^HT,' "$rep/areas.csv")" "(HT's area row as with lots)"
finish
