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
