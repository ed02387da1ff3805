#!/bin/bash
# cli_safedata — what ccn reads and stores: every number parsed strictly,
# every text UTF-8, the gis/ folder validated like an import, dates up to
# 9999-12-31, a read-only workspace refused once.
source "$(dirname "$0")/lib.sh"
D=$DATA/safedata
L=$DATA/lease

# --- Areas on record: abc, NaN, 1e999, -500 are not areas; 0 is "not known" --------
ws=$(new_ws)
run "$CCN" import "$ws" "$D/bad_areas.geojson" --as parcels
expect_rc 2
expect_err "4 of 8 features refused"
expect_err "feature 2: area on record 'abc' is not an area"
expect_err "feature 3: area on record 'NaN'"
expect_err "feature 4: area on record '1e999'"
expect_err "feature 5: area on record '-500'"
expect_eq "$(sqlite3 "$ws" "SELECT count(*) FROM parcels")" "0" "parcels after a refused import"
run "$CCN" import "$ws" "$D/bad_areas.geojson" --as parcels --skip-bad
expect_rc 0
expect_out "8 read, 4 stored, 4 refused"
# feature 1 keeps its 600.5 m², feature 6 has none on record (NULL, not 0), and
# features 7 and 8 give 0 (a number, the text 0.00): none on record either, said once
expect_eq "$(sqlite3 "$ws" "SELECT group_concat(parcel_no || ':' || coalesce(area_legal, 'null'), ' ') FROM parcels")" \
    "1:600.5 6:null 7:null 8:null"
expect_err "2 parcel(s) give 0 as their area on record (the first: feature 7): stored without an area on record"
# so check compares no area on record for them (600.5 against the map's 600 m² is within 1 %)
run "$CCN" check "$ws" --only parcels -o "$TMP/zero.csv"
expect_eq "$(grep -c AREA_LEGAL_MISMATCH "$TMP/zero.csv")" "0" "area-on-record findings"

# --- lease add: text that is not UTF-8 is refused, nothing stored -----------------
ws=$(new_ws lease)
"$CCN" import "$ws" "$L/ht_boundary.geojson" --as clusters -q >/dev/null || exit 3
"$CCN" import "$ws" "$L/ht_lots.geojson" --as lots -q >/dev/null || exit 3
run "$CCN" lease "$ws" add --cluster HT --lot CN-01 --tenant $'\xff\xfe' --from 2025-01-01
expect_rc 2
expect_err "tenant: is not valid UTF-8 text"
run "$CCN" lease "$ws" add --cluster HT --lot CN-01 --tenant "Công ty A" --note $'ghi ch\xfa' --from 2025-01-01
expect_rc 2
expect_err "note: is not valid UTF-8 text"
expect_eq "$(sqlite3 "$ws" "SELECT count(*) FROM leases")" "0" "leases after refused adds"

# --- 9999-12-31 is a date ------------------------------------------------------------
run "$CCN" lease "$ws" add --cluster HT --lot CN-01 --tenant "Công ty A" --from 2025-01-01 --to 9999-12-31
expect_rc 0
expect_eq "$(sqlite3 "$ws" "SELECT end_date FROM leases")" "9999-12-31"
run "$CCN" lease "$ws" add --cluster HT --lot CN-02 --tenant "Công ty B" --from 2025-01-01 --to 10000-01-01
expect_rc 2
expect_err "not a date"

# --- A read-only workspace: said once, exit 2 --------------------------------------
ro=$TMP/ro
mkdir -p "$ro"
cp "$ws" "$ro/ws.sqlite"
cp "$L/ht_lots.geojson" "$ro/lots.geojson" # the other user may not read the checkout (e.g. under /root)
chmod 755 "$TMP"
chmod 444 "$ro/ws.sqlite"
chmod 555 "$ro"
as_other=()
[ "$(id -u)" = 0 ] && as_other=(setpriv --reuid=65534 --regid=65534 --clear-groups)
run "${as_other[@]}" "$CCN" import "$ro/ws.sqlite" "$ro/lots.geojson" --as lots
expect_rc 2
expect_err "is read-only"
expect_eq "$(grep -c "read-only" <<<"$err")" "1" "the read-only message, once"
! grep -q "feature" <<<"$err" && ok || bad "a read-only workspace was blamed on features"
# reading it still works (a WAL file in a folder no one may write)
run "${as_other[@]}" "$CCN" lease "$ro/ws.sqlite" list
expect_rc 0
expect_out "Công ty A"
chmod 755 "$ro"

# --- Legacy encodings: auto for a DBF without .cpg; a wrong one refused ---------
# TCVN3 bytes (tests/test_textenc.c's table) of "Nguyễn Đình Hưng" and "Hợp Thắng".
ws=$(new_ws enc)
printf 'WKT,MAXA,SHBANDO,SHTHUA,DIENTICH,LOAIDAT,TENCHU\n"POLYGON((561000 2188000,561020 2188000,561020 2188030,561000 2188030,561000 2188000))",15940,12,7,600.0,LUC,Nguy\xD4n \xA7\xD7nh H\xADng\n"POLYGON((561020 2188000,561040 2188000,561040 2188030,561020 2188030,561020 2188000))",15940,12,8,612.5,LUC,H\xEEp Th\xBEng\n' >"$TMP/tcvn.csv"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING= -a_srs EPSG:5897 "$TMP/tcvn.shp" "$TMP/tcvn.csv" \
    -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO
rm -f "$TMP/tcvn.cpg"
# CP1258 decodes these bytes too, into "NguyÔn §×nh H­ng" (iconv -f CP1258): refused.
run "$CCN" import "$ws" "$TMP/tcvn.shp" --as parcels --encoding CP1258
expect_rc 2
expect_err "decoded as CP1258 the text reads 'NguyÔn §×nh H"
expect_err "it reads as TCVN3: 'Nguyễn Đình Hưng'"
expect_err "Pass --encoding TCVN3"
expect_eq "$(sqlite3 "$ws" "SELECT count(*) FROM parcels")" "0"
# no --encoding and no .cpg: auto, which finds TCVN3
run "$CCN" import "$ws" "$TMP/tcvn.shp" --as parcels
expect_rc 0
expect_eq "$(sqlite3 "$ws" "SELECT group_concat(owner, '; ') FROM parcels")" "Nguyễn Đình Hưng; Hợp Thắng"
# --encoding auto on a VNI CSV (xvnkb's table: o + EF = ọ)
printf 'WKT,code,name\n"POLYGON((552000 2198000,553000 2198000,553000 2199000,552000 2199000,552000 2198000))",15920,Tho\xEF Ngo\xEFc\n' >"$TMP/vni.csv"
run "$CCN" import "$ws" "$TMP/vni.csv" --as communes --encoding auto --s-srs EPSG:5897
expect_rc 0
expect_eq "$(sqlite3 "$ws" "SELECT name FROM communes WHERE code = '15920'")" "Thọ Ngọc"
# a .cpg is the file's word: auto is not applied, UTF-8 text stays UTF-8
printf 'WKT,MAXA,SHBANDO,SHTHUA,TENCHU\n"POLYGON((561040 2188000,561060 2188000,561060 2188030,561040 2188030,561040 2188000))",15940,12,9,Lê Văn Thưởng\n' >"$TMP/utf8.csv"
ogr2ogr -f "ESRI Shapefile" -lco ENCODING=UTF-8 -a_srs EPSG:5897 "$TMP/utf8.shp" "$TMP/utf8.csv" \
    -oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO
run "$CCN" import "$ws" "$TMP/utf8.shp" --as parcels
expect_rc 0
expect_eq "$(sqlite3 "$ws" "SELECT owner FROM parcels WHERE parcel_no = 9")" "Lê Văn Thưởng"

# --- gis/ is input: validated at init, refused with the file and line --------------
bad_init() { # bad_init MESSAGE: init on $TMP/g must fail with MESSAGE and leave no file
    run "$CCN" init "$TMP/g.sqlite" --district "$TMP/g"
    expect_rc 2
    expect_err "$1"
    [ ! -e "$TMP/g.sqlite" ] && ok || bad "a refused init left a workspace"
    rm -rf "$TMP/g"
    cp -r "$ROOT/gis" "$TMP/g"
}
cp -r "$ROOT/gis" "$TMP/g"
head -c 400 "$ROOT/gis/clusters.csv" >"$TMP/g/clusters.csv" # cut in DL3's note
bad_init "clusters.csv: line 2: the file ends in the middle of a line"
sed -n 1,3p "$ROOT/gis/clusters.csv" >"$TMP/g/clusters.csv" # NUA's row cut after its area
printf 'NUA,Nưa,cluster,Nưa,20\n' >>"$TMP/g/clusters.csv"
bad_init "clusters.csv: line 4: 5 fields where the header has 16"
sed -i 's/^HT,Hợp Thắng,cluster,Hợp Thắng,70,/HT,Hợp Thắng,cluster,Hợp Thắng,abc,/' "$TMP/g/clusters.csv"
bad_init "clusters.csv: line 3: planned_ha 'abc' is not a number"
sed -i 's/^HT,Hợp Thắng,cluster,Hợp Thắng,70,/HT,Hợp Thắng,cluster,Hợp Thắng,NaN,/' "$TMP/g/clusters.csv"
bad_init "clusters.csv: line 3: planned_ha 'NaN' is not a number"
sed -i 's/^HT,Hợp Thắng,cluster,Hợp Thắng,70,/HT,Hợp Thắng,cluster,Hợp Thắng,0,/' "$TMP/g/clusters.csv"
bad_init "planned_ha '0' must be more than 0"
sed -i 's/^gap_max_m2,50,/gap_max_m2,-50,/' "$TMP/g/tolerances.csv"
bad_init "tolerances.csv: line 4: value '-50' must not be negative"
sed -i 's/^NUA,/HT,/' "$TMP/g/clusters.csv"
bad_init "clusters.csv: line 4: code 'HT' repeats line 3"
sed -i 's|^NUA,|../../X,|' "$TMP/g/clusters.csv"
bad_init "clusters.csv: line 4: code '../../X' may hold only letters"
sed -i 's/^HT,Hợp Thắng,cluster,Hợp Thắng,70,,existing,80/HT,Hợp Thắng,cluster,Hợp Thắng,70,,existing,180/' "$TMP/g/clusters.csv"
bad_init "target_pct '180' must be a percentage"
sed -i 's/,2022-09-30,/,2022-09-31,/' "$TMP/g/clusters.csv"
bad_init "infra_done_by '2022-09-31' is not a date"
printf 'Th\xe1i' >"$TMP/bad"; sed -i "s/^HT,Hợp Thắng,/HT,$(cat "$TMP/bad"),/" "$TMP/g/clusters.csv"
bad_init "clusters.csv: line 3: field 2 is not valid UTF-8 text"
printf 'srid,4326\n' >>"$TMP/g/district.csv"
bad_init "key 'srid' is a key ccn keeps itself"
# and the good folder still loads, numbers as numbers
run "$CCN" init "$TMP/good.sqlite" --district "$TMP/g"
expect_rc 0
expect_eq "$(sqlite3 "$TMP/good.sqlite" "SELECT typeof(planned_ha) || ' ' || planned_ha FROM clusters WHERE code = 'DL3'")" "real 50.0"
finish
