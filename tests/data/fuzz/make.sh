#!/usr/bin/env bash
# Regenerates the small fixtures of tests/cli_import_fuzz.sh (run from
# anywhere; needs /usr/bin/python3 with GDAL's osgeo bindings). The files are
# committed: this script only says how they were made. Each is the smallest
# form of a case a mutation run of ccn import turned up (session 21).
set -eu
cd "$(dirname "$0")"
square='[[[561200,2188800],[561240,2188800],[561240,2188840],[561200,2188840],[561200,2188800]]]'
crs='"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::5897"}}'

# A lot number that is a JSON object of 17 'Ứ' (3 bytes each) after 7 bytes
# of '{"bb":"': the message quotes its first 60 bytes, which end within a letter.
u=$(printf 'Ứ%.0s' $(seq 17))
printf '{"type":"FeatureCollection",%s,"features":[{"type":"Feature","properties":{"cluster":"HT","lot_no":{"bb":"%s"}},"geometry":{"type":"Polygon","coordinates":%s}}]}\n' \
    "$crs" "$u$u" "$square" >object_cut.geojson

# A lot table whose only non-ASCII text decodes as no Vietnamese in any
# encoding (--encoding auto quotes it): bytes C3 28 A0 A1 are no UTF-8.
printf 'WKT,cluster,lot_no,name\n"POLYGON ((561200 2188800,561240 2188800,561240 2188840,561200 2188840,561200 2188800))",HT,CN-99,\xc3\x28\xa0\xa1 M\xfcller \xd8\xd9 \xfe\xff\n' >undecodable.csv

# A shapefile of one lot whose .dbf field names are legacy bytes (no .cpg):
# 'CL\xe1\xbbUST\xa9' and 'L\xf4T\xffN'; no field is named cluster.
rm -f legacy_names.*
/usr/bin/python3 - <<'PY'
from osgeo import ogr, osr
d = ogr.GetDriverByName('ESRI Shapefile').CreateDataSource('legacy_names.shp')
s = osr.SpatialReference(); s.ImportFromEPSG(5897)
l = d.CreateLayer('legacy_names', s, ogr.wkbPolygon, options=['ENCODING='])
l.CreateField(ogr.FieldDefn('CLUSTERX', ogr.OFTString))
l.CreateField(ogr.FieldDefn('LOTNO', ogr.OFTString))
f = ogr.Feature(l.GetLayerDefn()); f.SetField(0, 'HT'); f.SetField(1, 'CN-77')
f.SetGeometry(ogr.CreateGeometryFromWkt(
    'POLYGON ((561200 2188800,561240 2188800,561240 2188840,561200 2188840,561200 2188800))'))
l.CreateFeature(f); d = None
b = bytearray(open('legacy_names.dbf', 'rb').read())
i = b.index(b'CLUSTERX'); b[i:i + 8] = b'CL\xe1\xbbUST\xa9'
i = b.index(b'LOTNO'); b[i:i + 5] = b'L\xf4T\xffN'
open('legacy_names.dbf', 'wb').write(b)
PY
rm -f legacy_names.cpg

# DXFs whose $DWGCODEPAGE is ANSI_1258, one closed 100 x 80 m LWPOLYLINE a
# layer: the layer names plain ASCII (LUC, SKC), and Western text in CP1258
# bytes ("Müller SKN", "Ø20 LUC": ü is FC, Ø D8).
dxf_1258() {
    local i=0 z x
    printf '0\nSECTION\n2\nHEADER\n9\n$DWGCODEPAGE\n3\nANSI_1258\n0\nENDSEC\n0\nSECTION\n2\nENTITIES\n'
    for z in "$@"; do
        i=$((i + 1))
        printf '0\nLWPOLYLINE\n5\n2A%s\n8\n%s\n90\n4\n70\n1\n' "$i" "$(printf '%s' "${z%%:*}" | iconv -t CP1258)"
        x=${z#*:}
        printf '10\n%s\n20\n2188800\n10\n%s\n20\n2188800\n10\n%s\n20\n2188880\n10\n%s\n20\n2188880\n' \
            "$x" "$((x + 100))" "$((x + 100))" "$x"
    done
    printf '0\nENDSEC\n0\nEOF\n'
}
dxf_1258 LUC:561200 SKC:561400 >plan_1258.dxf
dxf_1258 'Müller SKN:561200' 'Ø20 LUC:561400' >west_1258.dxf

# A shapefile of one parcel, its text plain ASCII, beside a .cpg of 1258.
rm -rf cpg1258 && mkdir cpg1258
/usr/bin/python3 - <<'PY'
from osgeo import ogr, osr
d = ogr.GetDriverByName('ESRI Shapefile').CreateDataSource('cpg1258/parcels.shp')
s = osr.SpatialReference(); s.ImportFromEPSG(5897)
l = d.CreateLayer('parcels', s, ogr.wkbPolygon, options=['ENCODING='])
for name, kind in (('MAXA', ogr.OFTString), ('SHBANDO', ogr.OFTInteger), ('SHTHUA', ogr.OFTInteger),
                   ('LOAIDAT', ogr.OFTString), ('TENCHU', ogr.OFTString)):
    l.CreateField(ogr.FieldDefn(name, kind))
f = ogr.Feature(l.GetLayerDefn())
for k, v in (('MAXA', '15700'), ('SHBANDO', 58), ('SHTHUA', 1), ('LOAIDAT', 'LUC'), ('TENCHU', 'Nguyen Van An')):
    f.SetField(k, v)
f.SetGeometry(ogr.CreateGeometryFromWkt(
    'POLYGON ((561200 2188800,561240 2188800,561240 2188840,561200 2188840,561200 2188800))'))
l.CreateFeature(f); d = None
PY
rm -f cpg1258/parcels.cpg && echo 1258 >cpg1258/parcels.cpg

# A shapefile of three parcels whose owners are UTF-8 text, no .cpg beside it,
# and the .dbf's language driver byte (29) 0x57, ANSI, as ArcGIS writes it.
rm -rf ldid_utf8 && mkdir ldid_utf8
/usr/bin/python3 - <<'PY'
from osgeo import ogr, osr
d = ogr.GetDriverByName('ESRI Shapefile').CreateDataSource('ldid_utf8/parcels.shp')
s = osr.SpatialReference(); s.ImportFromEPSG(5897)
l = d.CreateLayer('parcels', s, ogr.wkbPolygon, options=['ENCODING=UTF-8'])
for name, kind in (('MAXA', ogr.OFTString), ('SHBANDO', ogr.OFTInteger), ('SHTHUA', ogr.OFTInteger),
                   ('LOAIDAT', ogr.OFTString), ('TENCHU', ogr.OFTString)):
    l.CreateField(ogr.FieldDefn(name, kind))
for i, owner in enumerate(['Nguyễn Văn An', 'Trịnh Thị Hoa', 'Lê Đình Hưng']):
    f = ogr.Feature(l.GetLayerDefn())
    for k, v in (('MAXA', '15700'), ('SHBANDO', 58), ('SHTHUA', i + 1), ('LOAIDAT', 'LUC'), ('TENCHU', owner)):
        f.SetField(k, v)
    x = 561200 + 50 * i
    f.SetGeometry(ogr.CreateGeometryFromWkt(
        'POLYGON ((%d 2188800,%d 2188800,%d 2188840,%d 2188840,%d 2188800))' % (x, x + 40, x + 40, x, x)))
    l.CreateFeature(f)
d = None
b = bytearray(open('ldid_utf8/parcels.dbf', 'rb').read())
b[29] = 0x57
open('ldid_utf8/parcels.dbf', 'wb').write(b)
PY
rm -f ldid_utf8/parcels.cpg

# The parcel of cpg1258/ (no .cpg) under a .prj whose CRS name begins with
# four bytes FF (a byte mutation of 'VN-2' in ESRI's VN-2000 .prj).
rm -rf prj_bytes && mkdir prj_bytes
for e in shp shx dbf; do cp cpg1258/parcels.$e prj_bytes/; done
printf 'PROJCS["\xff\xff\xff\xff000_TM-3_zone_482",GEOGCS["GCS_VN_2000",DATUM["D_Vietnam_2000",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]' >prj_bytes/parcels.prj

# The parcels of ldid_utf8/ (UTF-8 owners) beside a .cpg that says 1252.
rm -rf cpg1252_utf8 && mkdir cpg1252_utf8
for e in shp shx dbf prj; do cp ldid_utf8/parcels.$e cpg1252_utf8/; done
printf '\0' | dd of=cpg1252_utf8/parcels.dbf bs=1 seek=29 conv=notrunc status=none
echo 1252 >cpg1252_utf8/parcels.cpg
