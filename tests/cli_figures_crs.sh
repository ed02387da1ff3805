#!/usr/bin/env bash
# cli_figures_crs — every figure on adversarial layers that come in the CRSs a
# land office receives (tests/data/figures_crs, written by its make.py): WGS 84
# GeoJSON, VN-2000 geographic (EPSG:4756), VN-2000 / TM-3 105-30 (EPSG:9209:
# GeoJSON and a shapefile whose .prj is ESRI WKT without TOWGS84), TM-3 104-30
# (EPSG:9207) and VN-2000 / UTM 48N (EPSG:3405), transformed into EPSG:5897.
# Expected values: PostGIS 3.3 on the same files loaded with ogr2ogr (each in
# its own CRS), ST_Transform(geom, 5897), invalid ones repaired with
# ST_MakeValid(geom, 'method=structure'), then ST_Area, ST_Area(ST_Transform(g,
# 4326)::geography), ST_Intersection, ST_Difference, ST_Relate(p, c,
# 'T********'); every row below equals PostGIS's to the printed decimals, and
# the drawings' areas by hand. Drawn relative to (551200, 2191200) in 5897:
#   DL3 [0,300]² less hole [100,150]², plus [400,500]x[0,100]: 97500 (WGS 84)
#   HT  [600,800]x[0,200] (3 repeated vertices)   NUA [800,1000]x[0,200]
#   DT  [0,300]x[400,700] less [100,200]x[500,600]: 80000
#   TN  [400,600]² less a hole [550,650]x[450,550] crossing the shell: 35000
#   TTH a 300 m square turned 17°
# The WGS 84 files land 0.72 mm east and 0.40 mm south of the drawing: PROJ's
# EPSG:4326 -> 5897 is not the exact inverse of 5897 -> 4326 that wrote them
# (cs2cs gives the same 551250.000723 as ccn and PostGIS for 551250 written to
# WGS 84). So DL3's lots and parcels from other CRSs differ by a few cm² from
# the drawing, as in PostGIS: parcel 15682/1/6, drawn touching DL3's edge, is
# taken by 100 m x 0.72 mm = 0.072 m².
source "$(dirname "$0")/lib.sh"
D=$DATA/figures_crs

ws=$(new_ws crs)
for f in clusters_4326 clusters_9209 clusters_3405 clusters_5897 clusters_4756 clusters_9207; do
    run "$CCN" import "$ws" "$D/$f.geojson" --as clusters
    expect_rc 0
    case $f in
    clusters_4326) expect_out "layer 'clusters_4326' (WGS 84) -> clusters: 1 read, 1 stored" ;;
    clusters_9209) expect_out "(VN-2000 / TM-3 105-30)"
                   expect_out "normalised 1 feature(s): 3 repeated vertices removed" ;;
    clusters_3405) expect_out "(VN-2000 / UTM zone 48N)" ;;
    clusters_4756) expect_out "(VN-2000) -> clusters: 1 read, 1 stored"
                   expect_out "1 feature(s) stored with invalid geometry" ;;
    clusters_9207) expect_out "(VN-2000 / TM-3 104-30)" ;;
    esac
done
# A ring left open is refused (PostGIS cannot store it either), naming its ends.
run "$CCN" import "$ws" "$D/clusters_unclosed.geojson" --as clusters --replace
expect_rc 2
expect_err "feature 0: ring 1 is not closed: first point (551200 2191600), last point (551200 2191900); nothing imported"
for f in lots_5897.geojson lots_4326.geojson parcels_9209.shp parcels_4326.geojson parcels_5897.geojson; do
    run "$CCN" import "$ws" "$D/$f" --as "${f%%_*}"
    expect_rc 0
    if [ "$f" = parcels_9209.shp ]; then
        expect_out "(VN-2000 / TM-3 105-30) -> parcels: 16 read, 16 stored"
        expect_out "normalised 1 feature(s): 1 repeated vertices removed"
    fi
done
run "$CCN" import "$ws" "$D/plan_3405.geojson" --as plan -q
expect_rc 0
run "$CCN" lease "$ws" import "$D/leases.csv"
expect_out "8 leases imported"

# Areas, planar and on the ellipsoid (PostGIS ST_Area(ST_Transform(g, 4326)::geography)).
run "$CCN" areas "$ws" --format csv
expect_rc 0
expect_eq "$(cut -d, -f1,5-8 <<<"$out")" "code,area_m2,area_ha,ellipsoidal_m2,deviation_pct
DL3,97500.000,9.7500,97513.912,-80.5000
HT,40000.000,4.0000,40005.654,-94.2857
NUA,40000.000,4.0000,40005.634,-80.0000
DT,80000.000,8.0000,80011.422,-88.5714
TN,35000.000,3.5000,35004.966,-93.0000
TTH,90000.000,9.0000,90012.536,-95.5000"

# Land use of the lots, each lot's part inside its cluster (PostGIS SUM(ST_Area(
# ST_Intersection(lot, cluster))) by use; none = ST_Difference(cluster, ST_Union(lots))).
# By hand on the drawing, DL3 industrial: CN-01 6400 + CN-02 8800 + CN-03 2700
# (900 in the hole) + CN-04 5000 + CN-05 3025 + CN-06 6400 + CN-07 900 + CN-08
# 1600 = 34825 (CN-09 lies in HT); DT: 7500 + 0 (CN-02 in the hole) + 10000.
run "$CCN" areas "$ws" --by use --format csv
expect_rc 0
expect_eq "$(grep -v ',0.000,0.0000$' <<<"$out")" "cluster,use,area_m2,share_pct
DL3,industrial,34825.043,35.7180
DL3,service,7200.000,7.3846
DL3,green,7200.000,7.3846
DL3,road,1799.996,1.8461
DL3,none,46964.962,48.1692
HT,industrial,25200.000,63.0000
HT,none,14800.000,37.0000
NUA,industrial,5400.000,13.5000
NUA,none,34600.000,86.5000
DT,industrial,17499.912,21.8749
DT,none,62500.088,78.1251
TN,industrial,22600.000,64.5714
TN,none,12400.000,35.4286
TTH,none,90000.000,100.0000"

# Overlay by cluster (SUM(ST_Area(ST_Intersection(cluster, zone))) by code):
# plan zone 2 (LUC) fills zone 1's hole under DL3; zones 3 and 4, 3 and 6 overlap.
run "$CCN" overlay "$ws" --format csv
expect_rc 0
expect_eq "$(cut -d, -f1-4 <<<"$out")" "cluster,plan_code,area_m2,share_pct
DL3,SKN,87500.072,89.7437
DL3,LUC,9999.928,10.2563
HT,SKN,40000.000,100.0000
NUA,SKN,40000.000,100.0000
DT,SKN,80000.000,100.0000
DT,ONT,5000.000,6.2500
TN,SKN,35000.000,100.0000
TN,RPH,2500.000,7.1429
TTH,SKK,90000.000,100.0000"

# Overlay by parcel: 15685/1/2 (WGS 84) reaches 0.72 mm into zone 6 (UTM 48N)
# along 50 m: 0.036 m², as in PostGIS. 9, 10, 15 lie partly or wholly off the plan.
run "$CCN" overlay "$ws" --by parcel --format csv
expect_rc 0
expect_eq "$(cut -d, -f2-4,6,7 <<<"$out" | tr '\n' ' ')" "commune,sheet,parcel_no,plan_code,area_m2 \
15682,1,1,SKN,1600.000 15682,1,2,SKN,8400.000 15682,1,3,SKN,200.000 15682,1,4,SKN,1050.000 \
15682,1,5,SKN,400.000 15682,1,6,SKN,10000.000 15682,1,7,SKN,2500.000 15682,1,8,SKN,2704.000 \
15682,1,9,SKN,2000.000 15682,1,9,,500.000 15682,1,10,,2500.000 15682,1,11,SKN,800.000 \
15682,1,12,SKN,3600.000 15682,1,13,SKN,800.000 15682,1,14,SKK,10000.000 15682,1,15,,18.000 \
15682,1,16,SKN,2000.000 15685,1,1,SKN,4000.000 15685,1,2,SKN,10000.000 15685,1,2,ONT,0.036 \
15685,1,3,SKN,900.000 15685,1,4,SKN,8600.000 15686,1,1,SKN,3600.000 15686,1,2,SKN,3000.000 "

# Parcels taken: 15682/1/1 and /16 in both HT and NUA; /3 one part in DL3's hole
# (100 of 200); /4 in the hole, /5 at DL3's corner: not taken; /11 a bow-tie
# across DL3's edge (one 400 m² triangle in); 15685/1/4 a part in each of DL3's
# parts (1000 + 400); TN's crossing hole is taken away (15686/1/1: 2400 - 1200).
run "$CCN" parcels "$ws" --format csv
expect_rc 0
expect_eq "$(cut -d, -f1,3-5,8-10 <<<"$out")" "cluster,commune,sheet,parcel_no,parcel_area_m2,affected_m2,affected_pct
DL3,15682,1,2,8400.000,2100.010,25.0001
DL3,15682,1,3,200.000,100.000,50.0000
DL3,15682,1,6,10000.000,0.072,0.0007
DL3,15682,1,11,800.000,400.000,50.0000
DL3,15682,1,13,800.000,400.014,50.0018
DL3,15685,1,4,8600.000,1400.000,16.2791
HT,15682,1,1,1600.000,800.000,50.0000
HT,15682,1,12,3600.000,3600.000,100.0000
HT,15682,1,16,2000.000,1000.000,50.0000
NUA,15682,1,1,1600.000,800.000,50.0000
NUA,15682,1,16,2000.000,1000.000,50.0000
DT,15685,1,1,4000.000,1999.960,49.9990
DT,15685,1,2,10000.000,7500.016,75.0002
TN,15686,1,1,3600.000,1200.000,33.3333
TN,15686,1,2,3000.000,100.000,3.3333
TTH,15682,1,14,10000.000,5000.000,50.0000"

# Occupancy: whole lots (CN-03, CN-04, CN-07 reach out of DL3, CN-09 lies in HT,
# DT/CN-02 in DT's hole; NUA/CN-01 a bow-tie of 2 x 2500). A lease ending on D is
# not running on D.
for day in 2022-06-30 2024-06-30 2024-07-01 2025-01-01; do
    run "$CCN" occupancy "$ws" --as-of "$day" --format csv
    expect_rc 0
    got=$(cut -d, -f1,5-8 <<<"$out" | tail -n +2 | tr '\n' ' ')
    case $day in
    2022-06-30) expect_eq "$got" "DL3,45225.000,1800.000,3.9801,false HT,26100.000,0.000,0.0000,false NUA,5400.000,0.000,0.0000,false DT,23600.000,3600.000,15.2542,false TN,25600.000,0.000,0.0000,false TTH,0.000,0.000,, " "$day" ;;
    2024-06-30) expect_eq "$got" "DL3,45225.000,20000.000,44.2233,false HT,26100.000,9900.000,37.9310,false NUA,5400.000,5000.000,92.5926,true DT,23600.000,3600.000,15.2542,false TN,25600.000,0.000,0.0000,false TTH,0.000,0.000,, " "$day" ;;
    2024-07-01) expect_eq "$got" "DL3,45225.000,20000.000,44.2233,false HT,26100.000,0.000,0.0000,false NUA,5400.000,5000.000,92.5926,true DT,23600.000,3600.000,15.2542,false TN,25600.000,0.000,0.0000,false TTH,0.000,0.000,, " "$day" ;;
    2025-01-01) expect_eq "$got" "DL3,45225.000,13600.000,30.0719,false HT,26100.000,0.000,0.0000,false NUA,5400.000,5000.000,92.5926,true DT,23600.000,3600.000,15.2542,false TN,25600.000,25600.000,100.0000,true TTH,0.000,0.000,, " "$day" ;;
    esac
done

# Checks: PostGIS ST_Area(ST_Difference(lot, own cluster)) > 0.5, pairwise
# ST_Area(ST_Intersection) > 0.5 of lots and of parcels, cluster x LUC/RPH zones;
# INVALID_GEOMETRY's area is the repair's change (ST_Area(MakeValid) - ST_Area).
# Not findings: lots touching at a corner (DL3/CN-05, CN-08), parcels 9 and 10
# touching at a corner, HT and NUA sharing an edge, DT/CN-03 touching DT's hole.
run "$CCN" check "$ws" --format csv
expect_rc 1
expect_eq "$(grep -v AREA_DEVIATION <<<"$out" | cut -d, -f2-7)" "code,layer,fid,other_layer,other_fid,area_m2
INVALID_GEOMETRY,clusters,5,,,5000.000
INVALID_GEOMETRY,lots,14,,,5000.000
INVALID_GEOMETRY,parcels,11,,,800.000
LOT_OUTSIDE_CLUSTER,lots,3,clusters,1,900.010
LOT_OUTSIDE_CLUSTER,lots,4,clusters,1,4999.948
LOT_OUTSIDE_CLUSTER,lots,7,clusters,1,900.000
LOT_OUTSIDE_CLUSTER,lots,13,clusters,2,900.000
LOT_OUTSIDE_CLUSTER,lots,15,clusters,5,3000.000
LOT_OUTSIDE_CLUSTER,lots,18,clusters,4,2500.016
LOT_OUTSIDE_CLUSTER,lots,19,clusters,4,3600.000
LOT_WRONG_CLUSTER,lots,16,clusters,2,3600.000
LOT_OVERLAP,lots,2,lots,5,250.000
LOT_OVERLAP,lots,8,lots,11,240.000
LOT_OVERLAP,lots,12,lots,16,3600.000
LOT_OVERLAP,lots,18,lots,19,900.000
PARCEL_OVERLAP,parcels,2,parcels,20,3300.028
PARCEL_OVERLAP,parcels,3,parcels,4,100.000
PARCEL_OVERLAP,parcels,5,parcels,20,400.000
PARCEL_OVERLAP,parcels,6,parcels,20,399.977
PARCEL_OVERLAP,parcels,7,parcels,8,4.000
SLIVER,parcels,15,,,18.000
AREA_LEGAL_MISMATCH,parcels,16,,,1000.000
AREA_LEGAL_MISMATCH,parcels,19,,,100.000
PROTECTED_LAND,clusters,1,plan,2,9999.928
PROTECTED_LAND,clusters,5,plan,4,2500.000"
expect_out "error,AREA_DEVIATION,clusters,1,,,402500.000"
expect_out "lot DL3/CN-09 belongs to cluster DL3 but 3600.000 m² (100.0000 %) of it lies in cluster HT"

# The widely copied VN-2000 PROJ string, rotation signs reversed (DESIGN §3):
# taken as written (PROJ, as ogr2ogr and PostGIS do), a VN-2000 point moves by
# (-0.696, -0.228) m (cs2cs through WGS 84: 560000 -> 559999.304), and the
# import says so; with EPSG's signs it stays put, and nothing is said. The old
# build moved it as silently.
ws2=$(new_ws vn2000_signs)
printf '%s\n' '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"landuse": "SKN"},' \
    '"geometry": {"type": "Polygon", "coordinates": [[[560000, 2190000], [560100, 2190000], [560100, 2190100], [560000, 2190100], [560000, 2190000]]]}}]}' \
    >"$TMP/vn2000.geojson"
vn2000="+proj=tmerc +lat_0=0 +lon_0=105 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +type=crs +towgs84=-191.90441429,-39.30318279,-111.45032835"
run "$CCN" import "$ws2" "$TMP/vn2000.geojson" --as plan --s-srs "$vn2000,-0.00928836,0.01975479,-0.00427372,0.252906278"
expect_rc 0
expect_err "vn2000.geojson: its CRS carries the VN-2000 shift to WGS 84 with the rotation signs reversed"
expect_eq "$(sql "$ws2" "SELECT CAST(round(MbrMinX(geom) * 1000) AS BIGINT) FROM plan") $(sql "$ws2" "SELECT CAST(round(MbrMinY(geom) * 1000) AS BIGINT) FROM plan")" "559999304 2189999772" "(mm)"
run "$CCN" import "$ws2" "$TMP/vn2000.geojson" --as plan --replace-all --again --s-srs "$vn2000,0.00928836,-0.01975479,0.00427372,0.252906278"
expect_rc 0
expect_eq "$err" ""
expect_eq "$(sql "$ws2" "SELECT CAST(round(MbrMinX(geom) * 1000) AS BIGINT) FROM plan") $(sql "$ws2" "SELECT CAST(round(MbrMinY(geom) * 1000) AS BIGINT) FROM plan")" "560000000 2190000000" "(mm)"

finish
