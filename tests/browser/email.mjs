// Browser checks of the e-mail edition (driven by tests/email.rs):
//   node tests/browser/email.mjs EMAIL_HTML SCREENSHOT_DIR [PUBLIC_DIR]
// Prints one JSON object: widths at 375 and 1024 px, the share of pixels
// that change when every <style> is removed (at 600 and 1024 px), the
// axe-core violations under wcag2a/wcag2aa/best-practice (colour contrast
// included) in the light and the dark colour scheme, and the card's
// background in dark mode and under Outlook.com's [data-ogsc]/[data-ogsb]
// marks. Saves screenshots at 600 and 375 px (and 600 px dark) into
// SCREENSHOT_DIR. Requests to the site are answered from
// PUBLIC_DIR (the built site) when given, else with a grey image: offline.
import { chromium } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';

const [file, shots, publicDir] = process.argv.slice(2);
if (!file || !shots) {
  console.error('usage: node email.mjs EMAIL_HTML SCREENSHOT_DIR');
  process.exit(2);
}
const url = pathToFileURL(resolve(file)).href;
const here = fileURLToPath(new URL('.', import.meta.url));
const axePath = join(here, 'node_modules/axe-core/axe.min.js');
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

// Images live on the published site: serve them from the built site, or a
// small grey PNG, so the layout is that of a loaded letter, offline.
const GREY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAJCAIAAAC0SDtlAAAAEklEQVR4nGM4QSJgGNUwKDQAAMV3UZCpNc7sAAAAAElFTkSuQmCC',
  'base64');
const TYPES = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif' };
function fromSite(requestUrl) {
  if (!publicDir) return null;
  const path = join(publicDir, decodeURIComponent(new URL(requestUrl).pathname));
  const type = TYPES[path.split('.').pop().toLowerCase()];
  if (!type || !existsSync(path) || !statSync(path).isFile()) return null;
  return { contentType: type, body: readFileSync(path) };
}

async function open(width, colorScheme = 'light') {
  const page = await browser.newPage({ viewport: { width, height: 900 }, deviceScaleFactor: 1, colorScheme });
  await page.route(/^https?:/, (route) => {
    const found = fromSite(route.request().url());
    return route.fulfill({ status: 200, ...(found || { contentType: 'image/png', body: GREY_PNG }) });
  });
  await page.goto(url, { waitUntil: 'load' });
  return page;
}

// axe-core, WCAG 2 A and AA and best practices; region and landmark rules
// do not apply to e-mail.
async function runAxe(page) {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
      rules: {
        region: { enabled: false },
        'landmark-one-main': { enabled: false },
        'landmark-complementary-is-top-level': { enabled: false },
        'landmark-no-duplicate-banner': { enabled: false },
        'landmark-unique': { enabled: false },
      },
    });
    return {
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })),
      passes: r.passes.length,
      contrastChecked: (r.passes.find((p) => p.id === 'color-contrast') || { nodes: [] }).nodes.length,
    };
  });
}

// The computed background of the letter's card (the 600 px container).
async function cardBackground(page) {
  return page.evaluate(() => getComputedStyle(document.querySelector('table.m-full')).backgroundColor);
}

async function removeStyles(page) {
  await page.evaluate(() => document.querySelectorAll('style, link[rel=stylesheet]').forEach((s) => s.remove()));
}

// Share of pixels that differ between two PNG screenshots, compared in a page.
async function diffRatio(a, b) {
  const page = await browser.newPage();
  const ratio = await page.evaluate(async ([x, y]) => {
    const load = (b64) => new Promise((ok, ko) => {
      const img = new Image();
      img.onload = () => ok(img);
      img.onerror = ko;
      img.src = `data:image/png;base64,${b64}`;
    });
    const [ia, ib] = await Promise.all([load(x), load(y)]);
    const w = Math.max(ia.width, ib.width);
    const h = Math.max(ia.height, ib.height);
    const data = (img) => {
      const c = document.createElement('canvas');
      c.width = w; c.height = h;
      const g = c.getContext('2d');
      g.fillStyle = '#ff00ff';
      g.fillRect(0, 0, w, h);
      g.drawImage(img, 0, 0);
      return g.getImageData(0, 0, w, h).data;
    };
    const da = data(ia);
    const db = data(ib);
    let diff = 0;
    for (let i = 0; i < da.length; i += 4) {
      if (Math.abs(da[i] - db[i]) + Math.abs(da[i + 1] - db[i + 1]) + Math.abs(da[i + 2] - db[i + 2]) > 24) diff++;
    }
    return diff / (w * h);
  }, [a.toString('base64'), b.toString('base64')]);
  await page.close();
  return ratio;
}

async function styleRemovedDiff(width, save) {
  const page = await open(width);
  const before = await page.screenshot({ fullPage: true });
  if (save) writeFileSync(join(shots, save), before);
  await removeStyles(page);
  const after = await page.screenshot({ fullPage: true });
  await page.close();
  return diffRatio(before, after);
}

const result = {};

// Phone: no horizontal scrolling.
{
  const page = await open(375);
  result.scrollWidth375 = await page.evaluate(() => document.documentElement.scrollWidth);
  writeFileSync(join(shots, 'lettre-375.png'), await page.screenshot({ fullPage: true }));
  await removeStyles(page);
  result.scrollWidth375NoStyle = await page.evaluate(() => document.documentElement.scrollWidth);
  await page.close();
}

// Desktop: the letter itself is at most 600 px wide.
{
  const page = await open(1024);
  result.letterWidth1024 = await page.evaluate(() => {
    const wrapper = document.querySelector('[role=article]');
    let left = Infinity;
    let right = -Infinity;
    for (const el of wrapper.querySelectorAll('h1, h2, h3, h4, p, li, img, a, td td')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      left = Math.min(left, r.left);
      right = Math.max(right, r.right);
    }
    return right - left;
  });
  const axe = await runAxe(page);
  result.axeViolations = axe.violations;
  result.axePasses = axe.passes;
  await page.close();
}

// Dark mode: the designed palette, AA contrast again, a screenshot.
{
  const page = await open(600, 'dark');
  result.darkCardBackground = await cardBackground(page);
  writeFileSync(join(shots, 'lettre-600-sombre.png'), await page.screenshot({ fullPage: true }));
  const axe = await runAxe(page);
  result.axeDarkViolations = axe.violations;
  result.axeDarkContrastChecked = axe.contrastChecked;
  await page.close();
}

// Outlook.com and the Outlook apps mark the body of a message they darken.
{
  const page = await open(600, 'light');
  result.lightCardBackground = await cardBackground(page);
  await page.evaluate(() => { document.body.setAttribute('data-ogsc', ''); document.body.setAttribute('data-ogsb', ''); });
  result.outlookDarkCardBackground = await cardBackground(page);
  await page.close();
}

result.styleRemovedDiff600 = await styleRemovedDiff(600, 'lettre-600.png');
result.styleRemovedDiff1024 = await styleRemovedDiff(1024, null);
result.screenshots = ['lettre-600.png', 'lettre-375.png', 'lettre-600-sombre.png'].map((f) => join(shots, f));

await browser.close();
console.log(JSON.stringify(result));
