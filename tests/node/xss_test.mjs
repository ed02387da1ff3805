// xss_test.mjs — open a page written by `ccn publish` whose data carry HTML
// and script payloads, and check that none of them runs or becomes markup:
// no dialog, no element made from data, every payload shown as text, and a
// Content-Security-Policy that refuses inline script.
//
//   node xss_test.mjs DIR [--expect SELECTOR=TEXT]... [--popup CLUSTER/LOT TEXT]...
//
// --expect: some element matching SELECTOR shows exactly TEXT (its
// textContent, trimmed); --popup: the popup of that lot contains TEXT.
// Prints "N passed, M failed"; exit 1 on a failure.
import { chromium } from 'playwright-core';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

let passed = 0, failed = 0;
function check(ok, what) {
  if (ok) passed++;
  else { failed++; console.error('FAIL: ' + what); }
}

const argv = process.argv.slice(2);
const dir = resolve(argv[0]);
const expects = [], popups = [];
for (let i = 1; i < argv.length; i += 2) {
  if (argv[i] === '--popup') {
    popups.push({ key: argv[i + 1], text: argv[i + 2] });
    i++;
    continue;
  }
  const v = argv[i + 1], eq = v.indexOf('=');
  expects.push({ key: v.slice(0, eq), text: v.slice(eq + 1) });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--no-first-run']
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 820 } });
  const dialogs = [], errors = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(`${dir}/index.html`).href, { waitUntil: 'load' });
  await page.waitForFunction(() => window.ccnView || document.querySelector('.page-error'),
                             null, { timeout: 10000 });
  check(await page.locator('.page-error').count() === 0, 'the page is drawn (no error box)');
  await page.waitForTimeout(300); /* an onerror of a broken image would have fired by now */

  for (const e of expects) {
    const texts = await page.$$eval(e.key, (els) => els.map((x) => x.textContent.trim()));
    check(texts.includes(e.text), `${e.key} shows ${JSON.stringify(e.text)} as text (got ${JSON.stringify(texts.slice(0, 8))})`);
  }
  for (const p of popups) {
    const opened = await page.evaluate((key) => {
      const layer = window.ccnView.lotLayers[key];
      if (!layer) return false;
      layer.openPopup();
      return true;
    }, p.key);
    check(opened, `lot ${JSON.stringify(p.key)} is on the map`);
    if (!opened) continue;
    const popup = page.locator('.leaflet-popup-content');
    await popup.waitFor({ state: 'visible', timeout: 5000 });
    const text = await popup.textContent();
    check(text.includes(p.text), `popup of ${p.key} shows ${JSON.stringify(p.text)} (got ${JSON.stringify(text)})`);
    await page.waitForTimeout(200);
  }

  // Nothing in the document was made from the payloads' markup.
  const made = await page.evaluate(() => Array.from(document.querySelectorAll('*'))
    .filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name)) ||
                   (e.tagName === 'IMG' && e.getAttribute('src') === 'x') ||
                   (e.tagName === 'SCRIPT' && !e.src))
    .map((e) => e.outerHTML.slice(0, 80)));
  check(made.length === 0, `no element made from data (found ${JSON.stringify(made)})`);
  check(dialogs.length === 0, `no dialog opened (got ${dialogs.length}: ${JSON.stringify(dialogs.slice(0, 3))})`);
  check(errors.length === 0, `no console error (got ${JSON.stringify(errors.slice(0, 3))})`);

  // The policy: present, and an inline script is refused.
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  check(!!csp && /script-src 'self'/.test(csp) && !/unsafe-inline/.test(csp),
        `a Content-Security-Policy without inline script (got ${JSON.stringify(csp)})`);
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__ccnInline = 1;';
    document.body.appendChild(s);
    return window.__ccnInline === 1;
  });
  check(!ran, 'an inline script does not run');
  await page.close();
} catch (e) {
  failed++;
  console.error('FAIL: ' + (e.stack || e));
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
