#!/bin/bash
# cli_occupancy — ccn occupancy on the Hợp Thắng fixture, worked out by hand.
# Industrial lots: CN-01 5000 m², CN-02 3000 m², CN-03 2000 m² (10,000 m²);
# service DV-01 10,000 m² in a 400 × 300 m = 120,000 m² boundary.
# Leases (tests/data/lease/leases.csv; end = first day free):
#   CN-01 [2022-01-01, 2024-07-01) and [2024-07-01, …)
#   CN-02 [2023-04-01, 2025-12-31)
#   CN-03 [2025-12-31, …)
# So HT is 0 % until 2021-12-31, 50 % from 2022-01-01, 80 % from 2023-04-01,
# 70 % from 2025-12-31 (CN-02 free that day, CN-03 leased that day).
source "$(dirname "$0")/lib.sh"
D=$DATA/lease
WS=$(new_ws)
"$CCN" import "$WS" "$D/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3

# No lots yet: every occupancy empty, not 0, and a warning says why.
run "$CCN" occupancy "$WS" --as-of 2025-12-31 --format csv
expect_rc 0
expect_err "the workspace has no lots"
expect_eq "$(csv_field "$out" "HT," occupancy_pct)" ""
expect_eq "$(csv_field "$out" "HT," leasable_m2)" "0.000"
expect_eq "$(csv_field "$out" "HT," target_met)" ""

"$CCN" import "$WS" "$D/ht_lots.geojson" --as lots -q >/dev/null || exit 3
"$CCN" lease "$WS" import "$D/leases.csv" >/dev/null || exit 3

run "$CCN" occupancy --help
expect_rc 0
expect_out "Usage: ccn occupancy WORKSPACE"

# By cluster: the columns of DESIGN §8; --wide adds the gap to the target
# (80 % of 10,000 m² less 7,000: 1,000 m², one lot of the median 3,000 m²).
run "$CCN" occupancy "$WS" --as-of 2025-12-31 --format csv --wide
expect_rc 0
expect_eq "$(head -1 <<<"$out")" \
    "cluster,name,status,target_pct,leasable_m2,leased_m2,occupancy_pct,target_met,gap_m2,gap_lots,typical_lot_m2,industrial_lots,leased_lots,as_of"
expect_eq "$(grep '^HT,' <<<"$out")" \
    "HT,Hợp Thắng,existing,80.0000,10000.000,7000.000,70.0000,false,1000.000,1,3000.000,3,2,2025-12-31"
run "$CCN" occupancy "$WS" --as-of 2025-12-31 --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" \
    "cluster,name,status,target_pct,leasable_m2,leased_m2,occupancy_pct,target_met"
expect_eq "$(grep '^HT,' <<<"$out")" "HT,Hợp Thắng,existing,80.0000,10000.000,7000.000,70.0000,false"
expect_eq "$(csv_field "$out" "DL3," occupancy_pct)" ""
expect_eq "$(csv_field "$out" "TTH," target_pct)" ""
expect_eq "$(($(wc -l <<<"$out") - 1))" 6
# Around the day each lease starts or ends.
for pair in 2021-12-31:0.0000:false 2022-01-01:50.0000:false 2023-03-31:50.0000:false \
    2023-04-01:80.0000:true 2024-07-01:80.0000:true 2025-12-30:80.0000:true \
    2025-12-31:70.0000:false 2030-01-01:70.0000:false; do
    IFS=: read -r day pct met <<<"$pair"
    run "$CCN" occupancy "$WS" --as-of "$day" --cluster ht --format csv
    expect_eq "$(csv_field "$out" "HT," occupancy_pct)" "$pct" "on $day"
    expect_eq "$(csv_field "$out" "HT," target_met)" "$met" "on $day"
done
# 80 % on 2025-12-30: the gap is 0 m² and 0 lots.
run "$CCN" occupancy "$WS" --as-of 2025-12-30 --cluster HT --format csv --wide
expect_eq "$(csv_field "$out" "HT," gap_m2)" "0.000"
expect_eq "$(csv_field "$out" "HT," gap_lots)" "0"
# JSON: the empty occupancy is null.
run "$CCN" occupancy "$WS" --as-of 2025-12-31 --format json
expect_rc 0
expect_eq "$(python3 -c 'import json,sys; r = json.load(sys.stdin); print(r[0]["cluster"], r[0]["occupancy_pct"], r[1]["occupancy_pct"], r[1]["target_met"])' <<<"$out")" \
    "DL3 None 70.0 False"

# By lot.
run "$CCN" occupancy "$WS" --by lot --as-of 2025-12-31 --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "cluster,lot_no,use,area_m2,leased,tenant,lease_start,lease_end"
expect_eq "$(sed -n 2p <<<"$out")" "HT,CN-01,industrial,5000.000,true,Công ty CP Thép Hợp Thắng,2024-07-01,"
expect_eq "$(sed -n 3p <<<"$out")" "HT,CN-02,industrial,3000.000,false,,,"
expect_eq "$(sed -n 4p <<<"$out")" 'HT,CN-03,industrial,2000.000,true,"Công ty Gỗ Thọ Xuân, chi nhánh Triệu Sơn",2025-12-31,'
expect_eq "$(sed -n 5p <<<"$out")" "HT,CX-01,green,10000.000,,,,"
expect_eq "$(sed -n 6p <<<"$out")" "HT,DV-01,service,10000.000,,,,"
run "$CCN" occupancy "$WS" --by lot --as-of 2025-12-30 --format csv
expect_eq "$(sed -n 3p <<<"$out")" "HT,CN-02,industrial,3000.000,true,Công ty May Sơn Hà,2023-04-01,2025-12-31"

# The series: 24 quarter ends 2021-Q1 … 2026-Q4 for each of the 6 registry rows.
run "$CCN" occupancy "$WS" --series quarter --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "date,cluster,leased_m2,occupancy_pct"
expect_eq "$(($(wc -l <<<"$out") - 1))" 144
run "$CCN" occupancy "$WS" --series quarter --cluster HT --format csv --wide # with the quarter
expect_eq "$(head -1 <<<"$out")" "date,cluster,leased_m2,occupancy_pct,quarter,leasable_m2,target_pct,target_met"
expect_eq "$(cut -d, -f4 <<<"$out" | tail -n +2 | tr '\n' ' ')" \
    "0.0000 0.0000 0.0000 0.0000 50.0000 50.0000 50.0000 50.0000 50.0000 80.0000 80.0000 80.0000 80.0000 80.0000 80.0000 80.0000 80.0000 80.0000 80.0000 70.0000 70.0000 70.0000 70.0000 70.0000 "
expect_out "2023-03-31,HT,5000.000,50.0000,2023-Q1"
expect_out "2023-06-30,HT,8000.000,80.0000,2023-Q2"
expect_out "2025-12-31,HT,7000.000,70.0000,2025-Q4"
# A quarter bound takes its quarter's end; a date bound only the quarter ends
# within [--from, --to] (DESIGN §5: --from D --to D). The build before took
# each date's whole quarter: 2024-02-15 … 2024-05-15 gave 2024-03-31 and
# 2024-06-30, a day after --to.
run "$CCN" occupancy "$WS" --series quarter --cluster HT --from 2025-Q3 --to 2026-02-10 --format csv
expect_eq "$(cut -d, -f1 <<<"$out" | tail -n +2 | tr '\n' ' ')" "2025-09-30 2025-12-31 "
# The series is by cluster: --by cluster, before or after it, says so again (same rows);
# --by lot does not go with it.
series=$out
run "$CCN" occupancy "$WS" --by cluster --series quarter --cluster HT --from 2025-Q3 --to 2026-02-10 --format csv
expect_rc 0; expect_eq "$out" "$series"
run "$CCN" occupancy "$WS" --series quarter --cluster HT --from 2025-Q3 --to 2026-02-10 --by cluster --format csv
expect_rc 0; expect_eq "$out" "$series"
for range in "2024-02-15 2024-05-15" "15/02/2024 15/05/2024" "2024-03-31 2024-06-29"; do
    read -r f t <<<"$range"
    run "$CCN" occupancy "$WS" --series quarter --cluster HT --from "$f" --to "$t" --format csv
    expect_rc 0
    expect_eq "$(cut -d, -f1 <<<"$out" | tail -n +2 | tr '\n' ' ')" "2024-03-31 " "(--from $f --to $t)"
done
run "$CCN" occupancy "$WS" --series quarter --cluster HT --from 2024-01-01 --to 2024-06-30 --format csv
expect_eq "$(cut -d, -f1 <<<"$out" | tail -n +2 | tr '\n' ' ')" "2024-03-31 2024-06-30 " "(both ends inside)"
run "$CCN" occupancy "$WS" --series quarter --from 2024-04-01 --to 2024-05-15
expect_rc 2
expect_err "no quarter ends between --from 2024-04-01 and --to 2024-05-15"
# a reversed range quoted as typed (the build before: "--from 2024-06-30 is
# after --to 2024-03-31", the quarter ends it had made of them)
run "$CCN" occupancy "$WS" --series quarter --from 15/05/2024 --to 15/02/2024
expect_rc 2
expect_err "--from 15/05/2024 is after --to 15/02/2024"
run "$CCN" occupancy "$WS" --series quarter --by lot
expect_rc 2; expect_err "choose one of"

# Decree 32/2024: HT measures 12 ha (more than 10, at most 75); its service
# lot is 10,000 / 120,000 = 8.3333 % (at most 10 %). Existing clusters: HT
# 70 % (DL3 has no lots), so the mean is 70 % > 50 %: a new cluster may be set up.
run "$CCN" occupancy "$WS" --decree --as-of 2025-12-31 --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" "test,cluster,figure,basis,value,unit,limit,passes,detail,as_of,detail_vi"
expect_out "size,HT,cluster area,surveyed boundary,12.0000,ha,> 10 and <= 75,true"
expect_out "services,HT,service lots / cluster area,surveyed boundary and lots,8.3333,%,<= 10,true"
expect_out "size,DL3,cluster area,plan,50.0000,ha"
expect_out "expansion,DL3,area after expansion,plan,70.0000,ha,<= 75,true"
expect_out "expansion,DL3,may be expanded,both figures above,,,,,"
expect_out "new_cluster,,average occupancy of the existing clusters,lease register,70.0000,%,> 50,true"
expect_out "new_cluster,,unleased industrial land of the existing clusters,lease register and lots,0.3000,ha,<= 100,true"
expect_out "new_cluster,,may a new cluster be set up,either figure above,,,,true"

# The district on the plan's horizon (the default day of --district).
run "$CCN" occupancy "$WS" --district --format csv
expect_rc 0
expect_eq "$(head -1 <<<"$out")" \
    "scope,clusters,leasable_m2,leased_m2,unleased_m2,occupancy_pct,target_pct,clusters_meeting_target,target_met,as_of"
expect_out "HT,1,10000.000,7000.000,3000.000,70.0000,80.0000,0,false,2025-12-31"
expect_out "existing clusters,2,10000.000,7000.000,3000.000,70.0000,80.0000,0,false,2025-12-31"
expect_out "district,6,10000.000,7000.000,3000.000,70.0000,,,,2025-12-31"
run "$CCN" occupancy "$WS" --district --as-of 2025-12-30 --format csv
expect_out "HT,1,10000.000,8000.000,2000.000,80.0000,80.0000,1,true,2025-12-30"

# Usage and input errors.
run "$CCN" occupancy "$WS" --by parcel
expect_rc 2
expect_err "--by 'parcel': expected cluster or lot"
run "$CCN" occupancy "$WS" --series month
expect_rc 2
run "$CCN" occupancy "$WS" --decree --district
expect_rc 2
expect_err "choose one of"
run "$CCN" occupancy "$WS" --from 2022-Q1
expect_rc 2
expect_err "--from and --to go with --series quarter"
run "$CCN" occupancy "$WS" --series quarter --as-of 2022-01-01
expect_rc 2
run "$CCN" occupancy "$WS" --decree --cluster HT
expect_rc 2
run "$CCN" occupancy "$WS" --as-of 2025-31-12
expect_rc 2
expect_err "--as-of '2025-31-12' is not a date"
run "$CCN" occupancy "$WS" --cluster ZZ
expect_rc 2
expect_err "'ZZ' is not a cluster of the registry"
run "$CCN" occupancy "$WS" --series quarter --from 2026-Q1 --to 2025-Q4
expect_rc 2
expect_err "--from 2026-Q1 is after --to 2025-Q4"
run "$CCN" occupancy "$WS" --series quarter --from 2026-Q7
expect_rc 2
run "$CCN" occupancy "$WS" extra
expect_rc 2
finish
