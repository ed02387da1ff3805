/* app.js — the page of `ccn publish`: draws window.CCN_DATA (data.js) with
 * Leaflet and fills the side panel. It runs from disk (file://), so it reads
 * no file and asks no server: every figure comes from data.js, every shape
 * is an SVG element of Leaflet's default renderer. The data's shape is
 * described in web/README.md. */
(function () {
  'use strict';

  var USE_NAMES = {
    industrial: 'Công nghiệp',
    service: 'Dịch vụ',
    green: 'Cây xanh',
    utility: 'Hạ tầng kỹ thuật',
    road: 'Giao thông'
  };
  var STATUS_NAMES = { existing: 'hiện có', new: 'thành lập mới', reserve: 'dự trữ' };
  var LOT_CLASS_NAMES = { leased: 'Đã cho thuê', vacant: 'Còn trống', other: 'Chức năng khác' };
  /* Every colour and legend text comes from the palette of data.js
   * (gis/palette.csv, the printed maps' too); these are only its keys. */
  var PALETTE = {};
  function colour(key) {
    var e = PALETTE[key] || PALETTE['plan.none'];
    return e && e.color ? e.color : '#bdbdbd';
  }
  function paletteLabel(key, fallback) {
    var e = PALETTE[key];
    return e && e.label ? e.label : fallback;
  }
  /* The palette key of a lot: its lease status, or its use when not industrial. */
  var USE_KEYS = { service: 'lot.service', green: 'lot.green', utility: 'lot.utility',
                   road: 'lot.road' };
  function lotKeyOf(p) {
    if (p.use === 'industrial') return p.leased ? 'lot.leased' : 'lot.vacant';
    return USE_KEYS[p.use] || 'lot.utility';
  }
  /* The page's own colours (CSS variables) from the palette. */
  function applyPalette(palette) {
    PALETTE = palette && typeof palette === 'object' ? palette : {};
    var root = document.documentElement.style;
    [['--leased', 'lot.leased'], ['--vacant', 'lot.vacant'], ['--other', 'lot.utility'],
     ['--cluster', 'cluster.boundary'], ['--met', 'target.met'], ['--short', 'target.short'],
     ['--target', 'target.line']].forEach(function (v) {
      if (PALETTE[v[1]]) root.setProperty(v[0], colour(v[1]));
    });
  }
  /* dd/mm/yyyy of an ISO date (and time), as every Vietnamese document writes it. */
  function fmtDate(iso) {
    if (!iso || typeof iso !== 'string') return '—';
    var m = /^(\d{4})-(\d{2})-(\d{2})(.*)$/.exec(iso);
    return m ? m[3] + '/' + m[2] + '/' + m[1] + m[4] : iso;
  }
  /* The n-th cluster's line of the quarterly chart: the palette's chart.n
   * (round the eight), the colours of the report document's chart. */
  function seriesColour(k) { return colour('chart.' + (k % 8 + 1)); }

  /* Numbers the Vietnamese way: 1.234,56 */
  function fmt(x, decimals) {
    if (x === null || x === undefined || !isFinite(x)) return '—';
    var s = Math.abs(x).toFixed(decimals);
    var parts = s.split('.');
    var int = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    var negative = x < 0 && Number(s) !== 0;
    return (negative ? '-' : '') + int + (parts[1] ? ',' + parts[1] : '');
  }
  function fmtHa(m2) { return m2 === null || m2 === undefined ? '—' : fmt(m2 / 1e4, 2); }
  function fmtPct(p) { return p === null || p === undefined ? '—' : fmt(p, 1) + '%'; }
  /* A target is a round figure of the plan: 80%, not 80,0%. */
  function fmtTarget(p) {
    return p === null || p === undefined ? '—' : fmt(p, p % 1 === 0 ? 0 : 1) + '%';
  }

  /* An element with a class and text (text, never HTML: names come from data).
   * Leaflet takes a string given to bindTooltip or bindPopup as HTML, so
   * they are always given elements made here. */
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  var SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG_NS, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  /* Whether GeoJSON coordinates hold a position: an EMPTY geometry (another
     tool's, written as stored) has none, and Leaflet cannot centre a label
     on it. */
  function hasPositions(c) {
    return Array.isArray(c) && (typeof c[0] === 'number' || c.some(hasPositions));
  }

  /* The features to draw: one without a geometry (null: ccn could not read
     it) or with an empty one is kept with a null geometry, so it is listed
     but not drawn. */
  function featureCollection(fc) {
    if (!(fc && fc.type === 'FeatureCollection' && Array.isArray(fc.features)))
      return { type: 'FeatureCollection', features: [] };
    return { type: 'FeatureCollection', features: fc.features.map(function (f) {
      return f && f.geometry && !hasPositions(f.geometry.coordinates)
        ? Object.assign({}, f, { geometry: null }) : f;
    }) };
  }

  function lotClass(p) {
    if (p.use !== 'industrial') return 'other';
    return p.leased ? 'leased' : 'vacant';
  }
  function lotKey(cluster, lotNo) { return cluster + '/' + lotNo; }

  /* "Q1/2024" for the quarter a date falls in. */
  function quarterLabel(date) {
    var m = Number(date.slice(5, 7));
    return 'Q' + Math.ceil(m / 3) + '/' + date.slice(0, 4);
  }

  function showError(message) {
    var box = el('div', 'page-error', message);
    document.body.insertBefore(box, document.body.firstChild);
  }

  /* ---- map ---- */

  /* Lot numbers are shown from this zoom on (a 50 m lot is ≈ 30 px wide). */
  var LOT_ZOOM = 17;
  /* Popups keep clear of the zoom buttons and layer list (top) and the
   * legend and scale (bottom). */
  var POPUP_OPTIONS = { autoPanPaddingTopLeft: [10, 56], autoPanPaddingBottomRight: [10, 48],
                        maxWidth: 260 };

  function lotPopup(p) {
    var cls = lotClass(p);
    var box = el('div', 'lot-popup');
    var title = el('div', 'title', 'Lô ' + p.lot_no);
    title.appendChild(el('span', 'muted', ' · ' + p.cluster));
    box.appendChild(title);
    var line = el('div', null, fmtHa(p.area_m2) + ' ha · ');
    var badge = cls === 'other' ? (USE_NAMES[p.use] || p.use || LOT_CLASS_NAMES.other)
                                : LOT_CLASS_NAMES[cls];
    var b = el('span', 'badge ' + cls, badge);
    b.style.background = colour(lotKeyOf(p));
    if (cls === 'vacant' || cls === 'other') b.style.color = '#1d2733'; /* light fills */
    line.appendChild(b);
    box.appendChild(line);
    if (cls === 'leased') {
      if (p.tenant) box.appendChild(el('div', 'tenant', p.tenant));
      if (p.lease_start) box.appendChild(el('div', 'muted', 'từ ' + fmtDate(p.lease_start)));
    }
    return box;
  }

  function clusterPopup(p, occ) {
    var box = el('div', 'lot-popup');
    box.appendChild(el('div', 'title', 'Cụm CN ' + (p.name || p.code)));
    var status = STATUS_NAMES[p.status] || p.status;
    box.appendChild(el('div', 'muted', p.code + (status ? ' · ' + status : '') +
                       (p.area_m2 ? ' · ' + fmtHa(p.area_m2) + ' ha' : '')));
    var o = occ || p;
    if (o.occupancy_pct !== null && o.occupancy_pct !== undefined)
      box.appendChild(el('div', null, 'Lấp đầy ' + fmtPct(o.occupancy_pct) +
                         (o.target_pct !== null && o.target_pct !== undefined
                           ? ' · mục tiêu ' + fmtTarget(o.target_pct) : '')));
    else
      box.appendChild(el('div', 'muted', 'Chưa có lô đất công nghiệp'));
    return box;
  }

  /* The legend lists everything drawn: the lot classes present, the
   * boundaries, and each plan code on the map with its name. buildMap folds
   * it where it would not fit beside the clusters of the first view. */
  function legendControl(data) {
    var c = L.control({ position: 'bottomright' });
    c.onAdd = function (map) {
      var d = el('div', 'legend-control');
      var head = el('button', 'title', 'Chú giải');
      head.type = 'button';
      head.setAttribute('aria-expanded', 'true');
      d.appendChild(head);
      var body = el('div', 'legend-body');
      d.appendChild(body);
      function swatchRow(color, text, outline, dashed) {
        var row = el('div', 'legend-row');
        var sw = el('span', 'swatch' + (outline ? ' outline' : '') + (dashed ? ' dashed' : ''));
        if (outline) sw.style.borderColor = color;
        else sw.style.background = color;
        row.appendChild(sw);
        row.appendChild(document.createTextNode(text));
        body.appendChild(row);
        return row;
      }
      var present = {};
      featureCollection(data.lots).features.forEach(function (f) {
        if (f.geometry) present[lotKeyOf(f.properties)] = true;
      });
      ['lot.leased', 'lot.vacant', 'lot.service', 'lot.green', 'lot.utility', 'lot.road']
        .forEach(function (k) {
          if (present[k] || k === 'lot.leased' || k === 'lot.vacant')
            swatchRow(colour(k), paletteLabel(k, k), false).setAttribute('data-key', k);
        });
      swatchRow(colour('cluster.boundary'), paletteLabel('cluster.boundary', 'Ranh giới cụm'),
                true).setAttribute('data-key', 'cluster.boundary');
      if (featureCollection(data.communes).features.length)
        swatchRow(colour('commune.boundary'), paletteLabel('commune.boundary', 'Địa giới xã'),
                  true, true).setAttribute('data-key', 'commune.boundary');
      var codes = Object.create(null); /* keyed by data */
      featureCollection(data.plan).features.forEach(function (f) {
        if (f.geometry && f.properties.landuse)
          codes[f.properties.landuse] = f.properties.landuse_name || '';
      });
      var sorted = Object.keys(codes).sort();
      if (sorted.length) {
        body.appendChild(el('div', 'legend-sub', 'Quy hoạch sử dụng đất'));
        sorted.forEach(function (code) {
          swatchRow(colour('landuse.' + code), code + (codes[code] ? ' – ' + codes[code] : ''),
                    false).setAttribute('data-key', 'landuse.' + code);
        });
      }
      function fold(folded) {
        d.classList.toggle('folded', folded);
        head.setAttribute('aria-expanded', folded ? 'false' : 'true');
      }
      head.addEventListener('click', function () { fold(!d.classList.contains('folded')); });
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      c.fold = fold;
      return d;
    };
    return c;
  }

  function buildMap(data, occByCluster) {
    var map = L.map('map', { zoomSnap: 0.25, zoomControl: true });
    L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);

    /* Panes fix the drawing order, whatever the layer control adds back. */
    [['plan', 380], ['communes', 390], ['clusters', 410], ['lots', 420]].forEach(function (p) {
      map.createPane(p[0]).style.zIndex = p[1];
    });

    var plan = L.geoJSON(featureCollection(data.plan), {
      pane: 'plan',
      interactive: false,
      style: function (f) {
        return { stroke: false, fillColor: colour('landuse.' + f.properties.landuse),
                 fillOpacity: 0.45 };
      }
    });
    var communes = L.geoJSON(featureCollection(data.communes), {
      pane: 'communes',
      interactive: false,
      style: function () {
        return { color: colour('commune.boundary'), weight: 1.2, dashArray: '5 4', fill: false };
      },
      onEachFeature: function (f, layer) {
        if (f.properties.name)
          layer.bindTooltip(el('span', null, String(f.properties.name)), {
            permanent: true, direction: 'center', className: 'commune-label'
          });
      }
    });
    var clusters = L.geoJSON(featureCollection(data.clusters), {
      pane: 'clusters',
      style: function () {
        return { color: colour('cluster.boundary'), weight: 2.5,
                 fillColor: colour('cluster.unleased'), fillOpacity: 0.5, className: 'cluster' };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        layer.bindPopup(clusterPopup(p, occByCluster[p.code]), POPUP_OPTIONS);
        layer.bindTooltip(el('span', null, String(p.code)), {
          permanent: true, direction: 'center', className: 'cluster-label' });
      }
    });
    var lotLayers = Object.create(null); /* keyed by data: no inherited keys */
    var lots = L.geoJSON(featureCollection(data.lots), {
      pane: 'lots',
      style: function (f) {
        var cls = lotClass(f.properties);
        return { color: colour('lot.edge'), weight: 0.8, fillColor: colour(lotKeyOf(f.properties)),
                 fillOpacity: 0.85, className: 'lot lot-' + cls };
      },
      onEachFeature: function (f, layer) {
        var p = f.properties;
        lotLayers[lotKey(p.cluster, p.lot_no)] = layer;
        layer.bindPopup(lotPopup(p), POPUP_OPTIONS);
        if (p.lot_no)
          layer.bindTooltip(el('span', null, String(p.lot_no)), {
            permanent: true, direction: 'center', className: 'lot-label' });
        layer.on('mouseover', function () { layer.setStyle({ weight: 2.2, color: '#111' }); });
        layer.on('mouseout', function () { lots.resetStyle(layer); });
        layer.on('add', function () {
          var e = layer.getElement();
          if (e) {
            e.setAttribute('data-lot', lotKey(p.cluster, p.lot_no));
            e.setAttribute('data-key', lotKeyOf(p));
          }
        });
      }
    });

    plan.addTo(map);
    communes.addTo(map);
    clusters.addTo(map);
    lots.addTo(map);

    var layers = L.control.layers(null, {
      'Lô đất': lots,
      'Ranh giới cụm công nghiệp': clusters,
      'Ranh giới xã': communes,
      'Quy hoạch sử dụng đất': plan
    }, { collapsed: true, position: 'topright' }).addTo(map);
    var legend = legendControl(data).addTo(map);

    /* A popup is never under a control: opening one folds the layer list
     * (and, on a narrow map, the legend); autoPan keeps it clear of the
     * corners where the controls sit (POPUP_OPTIONS). */
    map.on('popupopen', function () {
      layers.collapse();
      if (map.getSize().x < 600) legend.fold(true);
    });

    /* Cluster codes at district scale; lot numbers once a lot is big enough
     * on screen to carry one (lot zoom). */
    function labelsByZoom() {
      var z = map.getZoom();
      map.getContainer().classList.toggle('zoomed-in', z >= 15);
      map.getContainer().classList.toggle('lot-zoom', z >= LOT_ZOOM);
    }
    map.on('zoomend', labelsByZoom);

    /* The first view holds every cluster, on a desktop and on a phone. */
    var bounds = clusters.getBounds();
    if (!bounds.isValid()) bounds = lots.getBounds();
    if (!bounds.isValid()) bounds = communes.getBounds();
    if (bounds.isValid()) {
      var size = map.getSize(), lg = legend.getContainer();
      var pad = Math.max(8, Math.min(30, Math.round(size.x / 25)));
      /* The legend stays open only where it fits beside the shapes (a third
       * of the map's width); folded, its button keeps a strip at the bottom.
       * Either way it hides none of the clusters of the first view. */
      var beside = lg.offsetWidth < size.x / 3;
      if (!beside) legend.fold(true);
      map.fitBounds(bounds, { paddingTopLeft: [pad, pad],
                              paddingBottomRight: beside ? [lg.offsetWidth + pad, pad]
                                                         : [pad, lg.offsetHeight + pad] });
      if (!map.getBounds().contains(bounds)) /* zoomSnap rounded in: step out */
        map.setZoom(map.getZoom() - 0.25, { animate: false });
    } else {
      map.setView([19.8, 105.6], 12);
    }
    labelsByZoom();

    var clusterLayers = Object.create(null);
    clusters.eachLayer(function (layer) { clusterLayers[layer.feature.properties.code] = layer; });
    return { map: map, lotLayers: lotLayers, clusterLayers: clusterLayers, layers: layers,
             legend: legend, bounds: bounds };
  }

  /* ---- panel ---- */

  function buildTotals(data, vacant) {
    var leasable = 0, leased = 0, any = false;
    (data.occupancy || []).forEach(function (r) {
      if (r.leasable_m2 !== null && r.leasable_m2 !== undefined) {
        leasable += r.leasable_m2;
        leased += r.leased_m2 || 0;
        any = true;
      }
    });
    var vacantM2 = vacant.reduce(function (s, v) { return s + (v.area_m2 || 0); }, 0);
    var box = document.getElementById('totals');
    function figure(cls, label, value, sub) {
      var f = el('div', 'figure ' + cls);
      f.appendChild(el('div', 'label', label));
      f.appendChild(el('div', 'value', value));
      f.appendChild(el('div', 'sub', sub));
      box.appendChild(f);
    }
    figure('land', 'Đất công nghiệp', any ? fmtHa(leasable) + ' ha' : '—',
           (data.occupancy || []).length + ' cụm');
    figure('leased', 'Đã cho thuê', any ? fmtHa(leased) + ' ha' : '—',
           any && leasable > 0 ? fmtPct(100 * leased / leasable) : '');
    figure('vacant', 'Còn trống', fmtHa(vacantM2) + ' ha', vacant.length + ' lô');
  }

  function buildOccupancy(data, view) {
    var tbody = document.querySelector('#occupancy tbody');
    (data.occupancy || []).forEach(function (r) {
      var tr = el('tr');
      tr.setAttribute('data-cluster', r.cluster);
      var name = el('td');
      name.appendChild(el('div', 'code', r.cluster));
      name.appendChild(el('div', 'name', r.name || ''));
      tr.appendChild(name);

      var has = r.occupancy_pct !== null && r.occupancy_pct !== undefined;
      var hasTarget = r.target_pct !== null && r.target_pct !== undefined;
      var state = has && hasTarget ? (r.target_met ? 'met' : 'short') : 'met';
      var barCell = el('td', 'bar-cell');
      var line = el('div');
      line.appendChild(el('span', 'pct ' + (hasTarget && has ? state : ''), fmtPct(r.occupancy_pct)));
      line.appendChild(el('span', 'target-text',
                          hasTarget ? ' / ' + fmtTarget(r.target_pct) : has ? '' : ' chưa có lô CN'));
      barCell.appendChild(line);
      var bar = el('div', 'bar');
      if (has) {
        var fill = el('div', 'fill ' + state);
        fill.style.width = Math.max(0, Math.min(100, r.occupancy_pct)) + '%';
        bar.appendChild(fill);
      }
      if (hasTarget) {
        var t = el('div', 'target');
        t.style.left = Math.max(0, Math.min(100, r.target_pct)) + '%';
        t.title = 'Mục tiêu ' + fmtTarget(r.target_pct);
        bar.appendChild(t);
      }
      barCell.appendChild(bar);
      tr.appendChild(barCell);

      /* no industrial land (the industrial park in reserve): nothing to show, not 0 / 0 */
      tr.appendChild(el('td', 'num ha', !r.leasable_m2
        ? '—' : fmtHa(r.leased_m2) + ' / ' + fmtHa(r.leasable_m2)));
      tr.addEventListener('click', function () {
        var layer = view.clusterLayers[r.cluster];
        if (layer) view.map.fitBounds(layer.getBounds(), { padding: [24, 24] });
      });
      tbody.appendChild(tr);
    });
  }

  /* The quarterly series as a small line chart, one line a cluster. */
  function buildChart(data) {
    var box = document.getElementById('chart');
    var rows = (data.series || []).filter(function (r) { return r.date; });
    if (!rows.length) {
      box.appendChild(el('p', 'empty', 'Chưa có số liệu theo quý.'));
      return;
    }
    var dates = [], clusters = [];
    rows.forEach(function (r) {
      if (dates.indexOf(r.date) < 0) dates.push(r.date);
      if (clusters.indexOf(r.cluster) < 0) clusters.push(r.cluster);
    });
    dates.sort();
    var W = 388, H = 210, left = 34, right = 10, top = 10, bottom = 24;
    var x = function (i) {
      return dates.length === 1 ? (left + W - right) / 2
                                : left + i * (W - left - right) / (dates.length - 1);
    };
    var y = function (p) { return top + (100 - p) * (H - top - bottom) / 100; };
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img',
                         'aria-label': 'Tỷ lệ lấp đầy theo quý' });
    var grid = svg('g', { class: 'grid' });
    [0, 25, 50, 75, 100].forEach(function (p) {
      grid.appendChild(svg('line', { x1: left, x2: W - right, y1: y(p), y2: y(p) }));
      grid.appendChild(svg('text', { x: left - 4, y: y(p) + 3, 'text-anchor': 'end' }, p + '%'));
    });
    s.appendChild(grid);

    /* The plan's targets, once each. */
    var targets = [];
    (data.occupancy || []).forEach(function (r) {
      if (r.target_pct !== null && r.target_pct !== undefined && targets.indexOf(r.target_pct) < 0)
        targets.push(r.target_pct);
    });
    targets.forEach(function (t) {
      s.appendChild(svg('line', { class: 'target-line', x1: left, x2: W - right, y1: y(t), y2: y(t) }));
      s.appendChild(svg('text', { class: 'target-label', x: W - right - 2, y: y(t) - 3,
                                  'text-anchor': 'end' }, 'Mục tiêu ' + fmtTarget(t)));
    });

    var axis = svg('g', { class: 'axis' });
    var step = Math.max(1, Math.ceil(dates.length / 8));
    dates.forEach(function (d, i) {
      var isYearStart = quarterLabel(d).indexOf('Q1/') === 0;
      if (!(dates.length > 8 ? isYearStart : i % step === 0)) return;
      /* labels at the ends stay inside the chart */
      var anchor = dates.length > 1 && i === 0 ? 'start'
        : dates.length > 1 && i === dates.length - 1 ? 'end' : 'middle';
      axis.appendChild(svg('text', { x: x(i), y: H - 8, 'text-anchor': anchor },
                           dates.length > 8 ? d.slice(0, 4) : quarterLabel(d)));
    });
    s.appendChild(axis);

    var legend = el('div', 'legend');
    clusters.forEach(function (c, k) {
      var color = seriesColour(k);
      var byDate = Object.create(null);
      rows.forEach(function (r) { if (r.cluster === c) byDate[r.date] = r.occupancy_pct; });
      var path = '', pen = false;
      var g = svg('g', { class: 'cluster-series', 'data-cluster': c });
      dates.forEach(function (d, i) {
        var p = byDate[d];
        if (p === null || p === undefined) { pen = false; return; }
        path += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(p).toFixed(1);
        pen = true;
        var dot = svg('circle', { cx: x(i).toFixed(1), cy: y(p).toFixed(1), r: 2.2, fill: color });
        dot.appendChild(svg('title', {}, c + ' ' + quarterLabel(d) + ': ' + fmtPct(p)));
        g.appendChild(dot);
      });
      if (!path) return; /* no figure at all (no industrial lots): no line, no key */
      g.insertBefore(svg('path', { class: 'series', d: path, stroke: color }), g.firstChild);
      s.appendChild(g);
      var item = el('span');
      var sw = el('span', 'swatch');
      sw.style.background = color;
      item.appendChild(sw);
      item.appendChild(document.createTextNode(c));
      legend.appendChild(item);
    });
    box.appendChild(s);
    box.appendChild(legend);
  }

  function buildVacant(vacant, view) {
    var table = document.getElementById('vacant');
    var tbody = table.querySelector('tbody');
    var sort = { key: 'area_m2', dir: -1 };
    function render() {
      /* Lot numbers in ccn's own order (src/collate.h), computed in C and
       * carried by data.js as 'order' (cluster, then lot number: every other
       * output's order) and 'lot_order' (lot number alone): the browser's
       * localeCompare puts "L_1", "L,3" or "L–7" elsewhere. */
      var rows = vacant.slice().sort(function (a, b) {
        var c = sort.key === 'area_m2' ? a.area_m2 - b.area_m2
          : sort.key === 'lot_no' ? a.lot_order - b.lot_order : a.order - b.order;
        /* equal areas (or the same key) in that order, whichever way */
        return sort.dir * c || a.order - b.order;
      });
      tbody.textContent = '';
      rows.forEach(function (r) {
        var tr = el('tr');
        tr.setAttribute('data-lot', lotKey(r.cluster, r.lot_no));
        tr.appendChild(el('td', null, r.cluster));
        tr.appendChild(el('td', null, r.lot_no));
        tr.appendChild(el('td', 'num', fmtHa(r.area_m2)));
        tr.addEventListener('click', function () {
          var layer = view.lotLayers[lotKey(r.cluster, r.lot_no)];
          if (!layer) return;
          view.map.fitBounds(layer.getBounds(), { padding: [80, 80], maxZoom: 17 });
          layer.openPopup();
        });
        tbody.appendChild(tr);
      });
      table.querySelectorAll('thead th').forEach(function (th) {
        th.setAttribute('aria-sort', th.getAttribute('data-sort') !== sort.key ? 'none'
                        : sort.dir > 0 ? 'ascending' : 'descending');
      });
    }
    table.querySelectorAll('thead th').forEach(function (th) {
      th.addEventListener('click', function () {
        var key = th.getAttribute('data-sort');
        sort = sort.key === key ? { key: key, dir: -sort.dir }
                                : { key: key, dir: key === 'area_m2' ? -1 : 1 };
        render();
      });
    });
    var total = vacant.reduce(function (s, v) { return s + (v.area_m2 || 0); }, 0);
    var tr = el('tr');
    tr.appendChild(el('td', null, 'Tổng'));
    tr.appendChild(el('td', null, vacant.length + ' lô'));
    tr.appendChild(el('td', 'num', fmtHa(total)));
    table.querySelector('tfoot').appendChild(tr);
    render();
  }

  function main() {
    var data = window.CCN_DATA;
    if (!data) {
      showError('Không đọc được số liệu (data.js). Hãy tạo lại trang bằng lệnh ccn publish.');
      console.error('ccn: window.CCN_DATA is missing');
      return;
    }
    if (typeof L === 'undefined') {
      showError('Không tải được thư viện bản đồ (leaflet/leaflet.js).');
      console.error('ccn: Leaflet is missing');
      return;
    }
    if (data.title) {
      document.getElementById('title').textContent = data.title;
      document.title = data.title;
    }
    applyPalette(data.palette);
    document.getElementById('as-of').textContent = fmtDate(data.as_of);
    document.getElementById('footer').textContent =
      'Số liệu đến ngày ' + fmtDate(data.as_of) + ' · trang tạo lúc ' + fmtDate(data.generated) +
      ' bằng ccn publish · diện tích tính trên mặt phẳng VN-2000, 1 ha = 10.000 m²';

    var occByCluster = Object.create(null);
    (data.occupancy || []).forEach(function (r) { occByCluster[r.cluster] = r; });
    var vacant = data.vacant || [];
    var view = buildMap(data, occByCluster);
    buildTotals(data, vacant);
    buildOccupancy(data, view);
    buildChart(data);
    buildVacant(vacant, view);
    window.ccnView = view; /* for the browser test and the curious */
  }

  try {
    main();
  } catch (e) {
    showError('Lỗi khi dựng trang: ' + e.message);
    console.error(e);
  }
})();
