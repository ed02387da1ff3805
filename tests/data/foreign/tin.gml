<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml/3.2">
  <ogr:featureMember>
    <ogr:building gml:id="b.0">
      <ogr:geometryProperty><gml:TriangulatedSurface srsName="urn:ogc:def:crs:EPSG::5897" gml:id="s0"><gml:trianglePatches>
        <gml:Triangle><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">564000 2183000 0 564100 2183000 0 564000 2183100 0 564000 2183000 0</gml:posList></gml:LinearRing></gml:exterior></gml:Triangle>
        <gml:Triangle><gml:exterior><gml:LinearRing><gml:posList srsDimension="3">564000 2183000 0 564100 2183000 0 564000 2183000 10 564000 2183000 0</gml:posList></gml:LinearRing></gml:exterior></gml:Triangle>
      </gml:trianglePatches></gml:TriangulatedSurface></ogr:geometryProperty>
      <ogr:landuse>SKN</ogr:landuse>
    </ogr:building>
  </ogr:featureMember>
</ogr:FeatureCollection>
