// publish_test.mjs — open a page written by `ccn publish` in headless Chromium
// (Debian's /usr/bin/chromium, driven by playwright-core) from disk, and check
// what a visitor would see.
//
//   node publish_test.mjs DIR [--lots N] [--occupancy FILE.json]
//                             [--tenant CLUSTER/LOT=NAME]... [--screenshot FILE.png]
//                             [--lot-order 'C/L|C/L|...']
//                             [-- DIR2 [options]]...
//
// DIR holds index.html. --lots: the number of lot shapes expected; --occupancy:
// the rows the occupancy table must show (the JSON of `ccn occupancy --format
// json`); --tenant: a click on that lot must open a popup naming NAME;
// --lot-order: the vacant lots after a click on the lot number's head. Without
// them the page is checked against its own data.js. Several pages, separated
// by "--", share one browser. Prints "N passed, M failed"; exit 1 on a failure.
import { chromium } from 'playwright-core';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.error('FAIL: ' + what); }
}
function checkEq(a, b, what) { check(a === b, `${what}: got ${JSON.stringify(a)}, expected ${JSON.stringify(b)}`); }

// Vietnamese number formatting from ICU, independent of the page's own code.
function vi(x, decimals) {
  return new Intl.NumberFormat('vi-VN', { minimumFractionDigits: decimals,
                                          maximumFractionDigits: decimals,
                                          useGrouping: true }).format(x);
}
const viPct = (p) => (p === null || p === undefined ? '—' : vi(p, 1) + '%');
const viTarget = (p) => vi(p, p % 1 === 0 ? 0 : 1) + '%';
const viHa = (m2) => (m2 === null || m2 === undefined ? '—' : vi(m2 / 1e4, 2));

function parseArgs(argv) {
  const pages = [];
  let cur = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { cur = null; continue; }
    if (!cur) { cur = { dir: a, tenants: [] }; pages.push(cur); continue; }
    const val = argv[++i];
    if (val === undefined) throw new Error(`${a} needs a value`);
    if (a === '--lots') cur.lots = Number(val);
    else if (a === '--occupancy') cur.occupancy = JSON.parse(readFileSync(val, 'utf8'));
    else if (a === '--screenshot') cur.screenshot = val;
    else if (a === '--lot-order') cur.lotOrder = val;
    else if (a === '--tenant') {
      const eq = val.indexOf('=');
      cur.tenants.push({ key: val.slice(0, eq), tenant: val.slice(eq + 1) });
    } else throw new Error(`unknown option ${a}`);
  }
  return pages;
}

// How many cluster outlines meet the legend or the layer list's box, as drawn.
async function clustersUnderControls(page) {
  return page.evaluate(() => {
    const meets = (p, q) => p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
    const controls = ['.legend-control', '.leaflet-control-layers']
      .map((sel) => document.querySelector(sel)).filter(Boolean)
      .map((e) => e.getBoundingClientRect());
    return Array.from(document.querySelectorAll('svg path.cluster'))
      .filter((e) => controls.some((c) => meets(e.getBoundingClientRect(), c))).length;
  });
}

async function checkPage(browser, spec) {
  const dir = resolve(spec.dir);
  const tag = `[${spec.dir}]`;
  check(existsSync(`${dir}/index.html`), `${tag} index.html exists`);
  const page = await browser.newPage({ viewport: { width: 1366, height: Number(process.env.CCN_VIEW_HEIGHT || 820) } });
  const errors = [], outside = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('file:') && !u.startsWith('data:')) outside.push(u);
  });
  await page.goto(pathToFileURL(`${dir}/index.html`).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.ccnView || document.querySelector('.page-error'),
                             null, { timeout: 10000 });
  check(await page.locator('.page-error').count() === 0, `${tag} no error box on the page`);
  const data = await page.evaluate(() => window.CCN_DATA);
  check(!!data, `${tag} data.js defines window.CCN_DATA`);

  // Leaflet's default SVG renderer: every lot is an SVG path of its own.
  check(await page.locator('.leaflet-overlay-pane svg, .leaflet-pane svg').count() > 0 ||
        data.lots.features.length === 0, `${tag} the map is drawn in SVG`);
  check(await page.locator('canvas').count() === 0, `${tag} no canvas renderer`);
  const lotPaths = await page.locator('svg path.lot').count();
  // A lot is drawn when its geometry has a position (not null, not EMPTY).
  const hasPositions = (c) => Array.isArray(c) && (typeof c[0] === 'number' || c.some(hasPositions));
  const drawable = (f) => f.geometry && hasPositions(f.geometry.coordinates);
  const withGeometry = data.lots.features.filter(drawable).length;
  checkEq(lotPaths, withGeometry, `${tag} one path per lot of data.js`);
  if (spec.lots !== undefined) checkEq(lotPaths, spec.lots, `${tag} lot shapes drawn`);
  const drawn = await page.$$eval('svg path.lot', (paths) => paths.map((e) =>
    e.getAttribute('data-lot') + ' ' + Array.from(e.classList).filter((c) => c.startsWith('lot-')).join(' ')));
  const wanted = data.lots.features.filter(drawable).map((f) => {
    const p = f.properties;
    return `${p.cluster}/${p.lot_no} lot-${p.use !== 'industrial' ? 'other' : p.leased ? 'leased' : 'vacant'}`;
  });
  checkEq(JSON.stringify(drawn.sort()), JSON.stringify(wanted.sort()),
          `${tag} each lot drawn once, coloured by its class`);
  checkEq(await page.locator('svg path.cluster').count(),
          data.clusters.features.filter(drawable).length, `${tag} cluster outlines`);
  const [yy, mm, dd] = data.as_of.split('-');
  checkEq((await page.textContent('#as-of')).trim(), `${dd}/${mm}/${yy}`,
          `${tag} the date of the data, dd/mm/yyyy`);
  checkEq(await clustersUnderControls(page), 0,
          `${tag} clusters of the first view under the legend or the layer list`);

  // One palette: the legend's swatches and the lots' fills are the colours of
  // data.js's palette (gis/palette.csv, which the printed maps read too).
  const hex = (rgb) => {
    const m = /rgba?\((\d+), (\d+), (\d+)/.exec(rgb || '');
    return m ? '#' + m.slice(1, 4).map((v) => Number(v).toString(16).padStart(2, '0')).join('').toUpperCase()
             : String(rgb).toUpperCase();
  };
  const pal = data.palette || {};
  check(pal['lot.leased'] && /^#[0-9A-F]{6}$/.test(pal['lot.leased'].color),
        `${tag} data.js has the palette's leased colour`);
  const swatch = async (key) => hex(await page.$eval(
    `.legend-control [data-key="${key}"] .swatch`, (e) => getComputedStyle(e).backgroundColor)
    .catch(() => null));
  for (const key of ['lot.leased', 'lot.vacant'])
    checkEq(await swatch(key), pal[key] && pal[key].color, `${tag} legend swatch of ${key}`);
  const fills = await page.$$eval('svg path.lot', (ps) => ps.map((e) =>
    [e.getAttribute('data-key'), e.getAttribute('fill')]));
  check(fills.every(([k, f]) => pal[k] && f.toUpperCase() === pal[k].color),
        `${tag} every lot filled with its palette colour`);
  const planKeys = [...new Set(data.plan.features.filter((f) => f.geometry)
    .map((f) => 'landuse.' + f.properties.landuse))].sort();
  const legendKeys = await page.$$eval('.legend-control [data-key^="landuse."]',
                                       (rs) => rs.map((r) => r.getAttribute('data-key')));
  checkEq(JSON.stringify(legendKeys.sort()), JSON.stringify(planKeys),
          `${tag} the legend lists every plan code drawn`);

  if (spec.screenshot) await page.screenshot({ path: spec.screenshot, fullPage: true });

  // A click on a lot opens its popup with its tenant.
  for (const t of spec.tenants) {
    const found = await page.evaluate((key) => {
      const layer = window.ccnView.lotLayers[key];
      if (!layer) return false;
      window.ccnView.map.closePopup();
      window.ccnView.map.fitBounds(layer.getBounds(), { padding: [150, 150], animate: false });
      return true;
    }, t.key);
    check(found, `${tag} lot ${t.key} is on the map`);
    if (!found) continue;
    await page.waitForFunction(() => !document.querySelector('.leaflet-popup')); /* fade-out done */
    await page.locator(`svg path[data-lot="${t.key}"]`).click();
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor({ state: 'visible', timeout: 5000 });
    const text = await popup.textContent();
    check(text.includes(t.tenant), `${tag} popup of ${t.key} names "${t.tenant}" (got "${text}")`);
    check(text.includes('Lô ' + t.key.split('/')[1]), `${tag} popup of ${t.key} names the lot`);
    check(text.includes('Đã cho thuê'), `${tag} popup of ${t.key} says leased`);
  }

  // The occupancy table: one row a cluster, in order, with the figures.
  const expected = spec.occupancy || data.occupancy;
  const rows = await page.$$eval('#occupancy tbody tr', (trs) => trs.map((tr) => ({
    cluster: tr.getAttribute('data-cluster'),
    cells: Array.from(tr.querySelectorAll('td')).map((td) => td.textContent.trim()),
    fill: tr.querySelector('.bar .fill') ? tr.querySelector('.bar .fill').style.width : null,
    target: tr.querySelector('.bar .target') ? tr.querySelector('.bar .target').style.left : null
  })));
  checkEq(rows.length, expected.length, `${tag} occupancy table rows`);
  expected.forEach((r, i) => {
    const row = rows[i] || { cells: [] };
    checkEq(row.cluster, r.cluster, `${tag} occupancy row ${i + 1} cluster`);
    const pct = viPct(r.occupancy_pct);
    check(row.cells[1] && row.cells[1].startsWith(pct),
          `${tag} ${r.cluster} occupancy "${pct}" (cell "${row.cells[1]}")`);
    if (r.target_pct !== null && r.target_pct !== undefined)
      check(row.cells[1] && row.cells[1].endsWith('/ ' + viTarget(r.target_pct)),
            `${tag} ${r.cluster} target ${viTarget(r.target_pct)} (cell "${row.cells[1]}")`);
    checkEq(row.cells[2], r.leasable_m2 ? viHa(r.leased_m2) + ' / ' + viHa(r.leasable_m2) : '—',
            `${tag} ${r.cluster} leased / leasable ha`);
    checkEq(row.fill, r.occupancy_pct === null ? null : `${r.occupancy_pct}%`,
            `${tag} ${r.cluster} bar length`);
    checkEq(row.target, r.target_pct === null ? null : `${r.target_pct}%`,
            `${tag} ${r.cluster} target mark`);
  });

  // Vacant lots: all of them, largest first (equal areas in ccn's order, the
  // rows' 'order'); a click on a head re-sorts.
  const vacant = data.vacant;
  const areas = async () => page.$$eval('#vacant tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-lot')));
  const key = (v) => `${v.cluster}/${v.lot_no}`;
  const byArea = vacant.slice().sort((a, b) => b.area_m2 - a.area_m2 || a.order - b.order).map(key);
  const bySmall = vacant.slice().sort((a, b) => a.area_m2 - b.area_m2 || a.order - b.order).map(key);
  checkEq(JSON.stringify(await areas()), JSON.stringify(byArea), `${tag} vacant lots, largest first`);
  if (vacant.length > 1) {
    await page.click('#vacant th[data-sort="area_m2"]');
    checkEq(JSON.stringify(await areas()), JSON.stringify(bySmall),
            `${tag} vacant lots re-sorted, smallest first`);
    await page.click('#vacant th[data-sort="area_m2"]');
  }
  if (spec.lotOrder !== undefined) { /* by lot number, ascending, then back */
    await page.click('#vacant th[data-sort="lot_no"]');
    checkEq((await areas()).join('|'), spec.lotOrder, `${tag} vacant lots by lot number`);
    await page.click('#vacant th[data-sort="area_m2"]');
  }
  const vacantText = await page.$$eval('#vacant tbody tr', (trs) => trs.map((tr) => tr.lastChild.textContent));
  checkEq(JSON.stringify(vacantText), JSON.stringify(vacant.slice().sort((a, b) => b.area_m2 - a.area_m2)
    .map((v) => viHa(v.area_m2))), `${tag} vacant areas in ha`);

  // The chart: one line a cluster that has a figure.
  const withFigures = new Set(data.series.filter((r) => r.occupancy_pct !== null).map((r) => r.cluster));
  checkEq(await page.locator('#chart svg path.series').count(), withFigures.size, `${tag} chart lines`);
  // Each cluster's line in the palette's chart.n, n its place among the
  // series' clusters (from 1): the colours of the report document's chart.
  const order = [];
  data.series.filter((r) => r.date).forEach((r) => { if (!order.includes(r.cluster)) order.push(r.cluster); });
  const strokes = await page.$$eval('#chart g.cluster-series', (gs) => gs.map((g) =>
    [g.getAttribute('data-cluster'), g.querySelector('path.series').getAttribute('stroke')]));
  checkEq(JSON.stringify(strokes.map(([c, col]) => [c, col.toUpperCase()])),
          JSON.stringify(strokes.map(([c]) => [c, (pal[`chart.${order.indexOf(c) % 8 + 1}`] || {}).color])),
          `${tag} chart lines in the palette's chart colours`);

  // Lot numbers only at lot zoom.
  if (withGeometry > 0) {
    const labelShown = async () => page.$$eval('.leaflet-tooltip.lot-label',
      (ts) => ts.filter((t) => getComputedStyle(t).display !== 'none').length);
    await page.evaluate(() => window.ccnView.map.setZoom(14, { animate: false }));
    checkEq(await labelShown(), 0, `${tag} no lot numbers at district zoom`);
    const key = await page.evaluate(() => Object.keys(window.ccnView.lotLayers)[0]);
    await page.evaluate((k) => {
      const m = window.ccnView.map;
      m.setView(window.ccnView.lotLayers[k].getBounds().getCenter(), 18, { animate: false });
    }, key);
    check(await labelShown() > 0, `${tag} lot numbers shown at lot zoom`);
  }
  await page.close();

  // On a phone: the first view holds every cluster, and a popup is never
  // under the layer control (opening one folds the layer list).
  const phone = await browser.newPage({ viewport: { width: 390, height: 760 }, isMobile: true,
                                        hasTouch: true });
  phone.on('pageerror', (e) => errors.push(String(e)));
  await phone.goto(pathToFileURL(`${dir}/index.html`).href, { waitUntil: 'load' });
  await phone.waitForFunction(() => window.ccnView, null, { timeout: 10000 });
  const fits = await phone.evaluate(() => {
    const v = window.ccnView;
    return !v.bounds || !v.bounds.isValid() || v.map.getBounds().contains(v.bounds);
  });
  check(fits, `${tag} phone: the first view holds every cluster`);
  checkEq(await clustersUnderControls(phone), 0,
          `${tag} phone: clusters of the first view under the legend or the layer list`);
  // The page scrolls as a whole: the figures are at their full height below
  // the map, not in a scroller of their own squeezed under it.
  const layout = await phone.evaluate(() => {
    const p = document.getElementById('panel'), m = document.getElementById('map');
    return { hidden: p.scrollHeight - p.clientHeight, map: m.getBoundingClientRect().height / innerHeight };
  });
  check(layout.hidden <= 1, `${tag} phone: ${layout.hidden} px of the figures hidden in the panel's own scroller`);
  check(layout.map >= 0.5, `${tag} phone: the map takes ${Math.round(layout.map * 100)} % of the screen's height`);
  if (withGeometry > 0) {
    const key = await phone.evaluate(() => Object.keys(window.ccnView.lotLayers)[0]);
    await phone.evaluate(() => window.ccnView.layers.expand());
    await phone.evaluate((k) => {
      const l = window.ccnView.lotLayers[k];
      window.ccnView.map.setView(l.getBounds().getCenter(), 17, { animate: false });
      l.openPopup();
    }, key);
    await phone.locator('.leaflet-popup-content').waitFor({ state: 'visible', timeout: 5000 });
    await phone.waitForTimeout(400); /* autoPan */
    const overlap = await phone.evaluate(() => {
      const a = document.querySelector('.leaflet-popup').getBoundingClientRect();
      const c = document.querySelector('.leaflet-control-layers').getBoundingClientRect();
      const lg = document.querySelector('.legend-control').getBoundingClientRect();
      const meets = (p, q) => p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom;
      return { layers: meets(a, c), legend: meets(a, lg) };
    });
    check(!overlap.layers, `${tag} phone: the popup is not under the layer control`);
    check(!overlap.legend, `${tag} phone: the popup is not under the legend`);
  }
  await phone.close();

  checkEq(JSON.stringify(errors), '[]', `${tag} console errors`);
  checkEq(JSON.stringify(outside), '[]', `${tag} requests off the disk`);
}

const pages = parseArgs(process.argv.slice(2));
if (!pages.length) {
  console.error('usage: node publish_test.mjs DIR [--lots N] [--occupancy FILE] [--tenant K=NAME]...');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run']
});
try {
  for (const spec of pages) await checkPage(browser, spec);
} catch (e) {
  failed++;
  console.error('FAIL: ' + (e.stack || e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
