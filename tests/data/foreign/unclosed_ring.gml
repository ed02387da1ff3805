<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml/3.2">
  <ogr:featureMember>
    <ogr:plan gml:id="plan.0">
      <ogr:geometryProperty><gml:Polygon srsName="urn:ogc:def:crs:EPSG::5897" gml:id="p0"><gml:exterior><gml:LinearRing><gml:posList>564000 2183000 564100 2183000 564100 2183100 564000 2183100 564000 2183000</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></ogr:geometryProperty>
      <ogr:landuse>SKN</ogr:landuse>
    </ogr:plan>
  </ogr:featureMember>
  <ogr:featureMember>
    <ogr:plan gml:id="plan.1">
      <ogr:geometryProperty><gml:Polygon srsName="urn:ogc:def:crs:EPSG::5897" gml:id="p1"><gml:exterior><gml:LinearRing><gml:posList>564200 2183000 564300 2183000 564300 2183100 564200 2183100 564200 2183000</gml:posList></gml:LinearRing></gml:exterior><gml:interior><gml:LinearRing><gml:posList>564220 2183020 564240 2183020 564240 2183040 564220 2183041</gml:posList></gml:LinearRing></gml:interior></gml:Polygon></ogr:geometryProperty>
      <ogr:landuse>LUC</ogr:landuse>
    </ogr:plan>
  </ogr:featureMember>
</ogr:FeatureCollection>
