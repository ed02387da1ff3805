#!/usr/bin/env bash
# cli_overlay_pairs_vi — the overlay's warning about overlapping plan zones
# names every pair in the language ccn speaks, and its total after them. The
# old build wrote the pairs in English inside the Vietnamese message ("1 and 2
# (SKN) by 400.000 m²") and, with more than one pair, put the total's words
# before the second pair: "…: 1 (SKN) and 2 (LUC) by 5000.000 m²; tổng cộng
# 1 (SKN) and 4 (ONT) by 1000.000 m²; …; 10000.000 m² bị tính hai lần".
# Layers by hand, EPSG:5897, relative to (560000, 2190000):
#   zones 1 SKN [0,100]x[0,100]   2 LUC [50,150]x[0,100]
#         3 ONT [120,200]x[0,100] 4 ONT [0,200]x[50,60]
#   pairs (hand): 1-2 50x100 = 5000, 1-4 100x10 = 1000, 2-3 30x100 = 3000,
#   2-4 100x10 = 1000 (10000 m² of two codes), 3-4 80x10 = 800 (one code)
#   DL3 [0,200]x[0,100]: SKN 10000, LUC 10000, ONT 80x100 + 120x10 = 9200
#   (the ONT zones' union), no uncovered land; the rows add up to 29200,
#   9200 more than the cluster's 20000.
source "$(dirname "$0")/lib.sh"

ws=$(new_ws pairs)
geojson_layer '{"code": "DL3"}' "$(geojson_box 0 0 200 100)" >"$TMP/clusters.geojson"
geojson_layer '{"landuse": "SKN"}' "$(geojson_box 0 0 100 100)" \
    '{"landuse": "LUC"}' "$(geojson_box 50 0 150 100)" \
    '{"landuse": "ONT"}' "$(geojson_box 120 0 200 100)" \
    '{"landuse": "ONT"}' "$(geojson_box 0 50 200 60)" >"$TMP/plan.geojson"
run "$CCN" import "$ws" "$TMP/clusters.geojson" --as clusters -q
expect_rc 0
run "$CCN" import "$ws" "$TMP/plan.geojson" --as plan -q
expect_rc 0

run "$CCN" overlay "$ws" --cluster DL3 --format csv
expect_rc 0
expect_eq "$out" "cluster,plan_code,area_m2,share_pct
DL3,SKN,10000.000,50.0000
DL3,LUC,10000.000,50.0000
DL3,ONT,9200.000,46.0000"
# English as before
expect_err "plan zones overlap (a digitising error): 1 (SKN) and 2 (LUC) by 5000.000 m²; 1 (SKN) and 4 (ONT) by 1000.000 m²; 2 (LUC) and 3 (ONT) by 3000.000 m²; 2 (LUC) and 4 (ONT) by 1000.000 m²; 10000.000 m² in all is counted twice, once for each zone's code"
expect_err "plan zones of the same code overlap (a digitising error): 3 and 4 (ONT) by 800.000 m²; 800.000 m² in all, counted once for that code"
expect_err "cluster DL3: 9200.000 m² counted twice (overlapping plan zones fid 1, 2, 3, 4)"

run env LANGUAGE=vi "$CCN" overlay "$ws" --cluster DL3 --format csv
expect_rc 0
expect_err "các vùng quy hoạch chồng lấn nhau (lỗi số hóa): 1 (SKN) và 2 (LUC) chồng 5000.000 m²; 1 (SKN) và 4 (ONT) chồng 1000.000 m²; 2 (LUC) và 3 (ONT) chồng 3000.000 m²; 2 (LUC) và 4 (ONT) chồng 1000.000 m²; tổng cộng 10000.000 m² bị tính hai lần, một lần theo mã của mỗi vùng"
expect_err "các vùng quy hoạch cùng mã chồng lấn nhau (lỗi số hóa): 3 và 4 (ONT) chồng 800.000 m²; tổng cộng 800.000 m², chỉ tính một lần cho mã đó"
expect_err "cụm DL3: 9200.000 m² bị tính hai lần (các vùng quy hoạch chồng lấn fid 1, 2, 3, 4)"
grep -qE ' and | by ' <<<"$err" && bad "English in the Vietnamese warnings" || ok

finish
