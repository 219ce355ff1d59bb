// Times the répertoire search in headless Chromium: node repertoire-search.mjs PUBLIC_DIR
// Prints one JSON object: index size, timings (ms) of queries and filter
// changes (compute inside the page, and input → results in the DOM → next
// painted frame), and a few behaviour checks.
import { serve, browser } from "./repertoire-serve.mjs";

const root = process.argv[2];
const srv = await serve(root);
const b = await browser();
const out = {};
try {
  const page = await b.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(`${srv.url}/repertoire/`);
  await page.waitForFunction(() => window.cufRepertoire && window.cufRepertoire.last, null, { timeout: 60000 });
  out.count = await page.evaluate(() => window.cufRepertoire.last.results);
  out.visible = await page.evaluate(() => !document.getElementById("recherche").hidden);

  // Input → results: performance.now() around a real input event, then to the next painted frame.
  const typeQuery = (q) => page.evaluate((q) => new Promise((done) => {
    const input = document.getElementById("rep-q");
    const t0 = performance.now();
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    const t1 = performance.now();
    const first = document.querySelector("#rep-list li a");
    requestAnimationFrame(() => setTimeout(() => done({
      query: q, compute_ms: window.cufRepertoire.last.compute_ms, to_dom_ms: t1 - t0,
      to_frame_ms: performance.now() - t0, results: window.cufRepertoire.last.results,
      status: document.getElementById("rep-status").textContent,
      first: first ? first.textContent : null,
    }), 0));
  }), q);
  const toggle = (facet, value) => page.evaluate(([facet, value]) => new Promise((done) => {
    const cb = document.querySelector(`input[data-facet="${facet}"][value="${value}"]`);
    const t0 = performance.now();
    cb.click();
    const t1 = performance.now();
    requestAnimationFrame(() => setTimeout(() => done({
      facet, value, checked: cb.checked, compute_ms: window.cufRepertoire.last.compute_ms,
      to_dom_ms: t1 - t0, to_frame_ms: performance.now() - t0, results: window.cufRepertoire.last.results,
    }), 0));
  }), [facet, value]);
  const counts = (facet) => page.evaluate((facet) => [...document.querySelectorAll(`input[data-facet="${facet}"]`)]
    .map((cb) => ({ label: cb.nextSibling.textContent, count: +cb.parentNode.querySelector(".c").textContent })), facet);

  out.queries = [];
  for (const q of ["eau", "maraîchage", "MARAICHAGE", "état civil", "etat CIVIL", "zzzzzz", ""]) out.queries.push(await typeQuery(q));
  await typeQuery("eau");
  out.region_counts_eau = await counts("region");
  out.filters = [];
  out.filters.push(await toggle("region", 0));
  out.filters.push(await toggle("statut", 1));
  out.filters.push(await toggle("statut", 1));
  out.filters.push(await toggle("theme", 0));
  out.filters.push(await toggle("theme", 0));
  out.filters.push(await toggle("region", 0));
  out.after_clear = await typeQuery("");
  out.pays_counts = await counts("pays");
  out.statut_counts = await counts("statut");
  out.errors = errors;
  const all = [...out.queries, ...out.filters];
  out.max_compute_ms = Math.max(...all.map((t) => t.compute_ms));
  out.max_to_dom_ms = Math.max(...all.map((t) => t.to_dom_ms));
  out.max_to_frame_ms = Math.max(...all.map((t) => t.to_frame_ms));
} finally {
  await b.close();
  srv.close();
}
console.log(JSON.stringify(out));
