// Drives the Pagefind search (recherche.js) in headless Chromium:
//   node recherche.mjs PUBLIC_DIR PAGE_PATH STEPS_JSON
// STEPS_JSON: [{ "q": "irrigation", "picks": { "region": ["Bretagne"] } }, …].
// Each step runs twice, as a reader's input would: the first time may
// fetch index chunks, the second only computes. Prints one JSON object:
// per step the result count, the cold and warm times (input → results in
// the DOM, ms), the first result; the bytes fetched before the page was
// ready and up to the first result (the page, recherche.js and /pagefind/,
// as the test server sent them: text gzip-compressed, as a static host
// does; `raw` figures are the same files uncompressed).
import { serve, browser } from "./serve-lib.mjs";

const [root, pagePath, stepsJson] = process.argv.slice(2);
const steps = JSON.parse(stepsJson || "[]");
const fetched = [];
const srv = await serve(root, 0, fetched, { gzip: true });
const b = await browser();
const out = { errors: [], steps: [] };
try {
  const page = await b.newPage();
  const count = (pred, k = "bytes", until = Infinity) => fetched.filter((f) => pred(f.path) && f.t <= until).reduce((n, f) => n + f[k], 0);
  const isSearch = (p) => p.includes("/pagefind/") || p.endsWith("/recherche.js");
  const searchBytes = () => count(isSearch);
  page.on("pageerror", (e) => out.errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") out.errors.push(m.text()); });
  await page.goto(`${srv.url}${pagePath}`);
  await page.waitForFunction(() => window.cufRecherche && window.cufRecherche.load, null, { timeout: 60000 });
  // Nothing of Pagefind is fetched until the reader starts a search.
  await new Promise((r) => setTimeout(r, 300));
  out.bytes_before_search = count((p) => p.includes("/pagefind/"));
  await page.evaluate(() => window.cufRecherche.load());
  out.visible = await page.evaluate(() => !document.getElementById("recherche").hidden);
  out.status = await page.evaluate(() => document.getElementById("rep-status").textContent);
  out.facets = await page.evaluate(() => [...document.querySelectorAll("#rep-facets fieldset")]
    .map((f) => ({ legend: f.querySelector("legend").textContent, values: f.querySelectorAll("input").length })));
  await new Promise((r) => setTimeout(r, 200));
  out.bytes_ready = searchBytes();
  out.raw_ready = count(isSearch, "raw");
  const run = (step) => page.evaluate(async (step) => {
    const t0 = performance.now();
    const r = await window.cufRecherche.set(step.q, step.picks || {});
    const ms = performance.now() - t0;
    const first = document.querySelector("#rep-list li");
    return {
      ms, at: Date.now(), results: r ? r.results : 0, status: document.getElementById("rep-status").textContent,
      shown: document.querySelectorAll("#rep-list li").length,
      first: first ? { title: first.querySelector("a").textContent, href: first.querySelector("a").getAttribute("href"),
        excerpt: (first.querySelector(".excerpt") || { innerHTML: "" }).innerHTML } : null,
    };
  }, step);
  for (const [i, step] of steps.entries()) {
    const cold = await run(step);
    if (i === 0) {
      // Asked for before the first results were in the page.
      await new Promise((r) => setTimeout(r, 200));
      out.bytes_first_result = count(isSearch, "bytes", cold.at);
      out.raw_first_result = count(isSearch, "raw", cold.at);
      out.bytes_page = count((p) => p === pagePath + "index.html");
    }
    const warm = await run(step);
    out.steps.push({ ...step, results: warm.results, cold_ms: cold.ms, warm_ms: warm.ms, status: warm.status, shown: warm.shown, first: warm.first });
  }
  await page.evaluate(() => window.cufRecherche.counts);
  out.bytes_with_counts = searchBytes();
  out.counts = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#rep-facets fieldset")].map((f) =>
    [f.querySelector("legend").textContent, [...f.querySelectorAll("label")].map((l) => [l.children[1].textContent, l.querySelector(".c").textContent])])));
  out.pwned = await page.evaluate(() => window.pwned ?? null);
  out.scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src || "inline"));
  out.files = fetched;
  out.max_warm_ms = Math.max(0, ...out.steps.map((s) => s.warm_ms));
} finally {
  await b.close();
  srv.close();
}
console.log(JSON.stringify(out));
