// Lighthouse (mobile, its default settings) on pages of a built public/
// folder, served on 127.0.0.1, in Debian's chromium.
//
//   node lighthouse.mjs PUBLIC_DIR [--port N] /path/ [/path/ …]
//
// With --port, the site is served on that port: build it with
// `--base-url http://127.0.0.1:N` so that the e-mail edition's absolute
// image addresses load from it (offline, the production host does not
// answer, and each failed image is a console error).
//
// Prints one JSON object: for each path, the four category scores (0–100)
// and the audits that lost points, so a failing test says what to fix.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import lighthouse from "lighthouse";
import { serve } from "./repertoire-serve.mjs";

const [root, ...rest] = process.argv.slice(2);
let fixedPort = 0;
const pages = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === "--port") fixedPort = Number(rest[++i]);
  else pages.push(rest[i]);
}
if (!root || pages.length === 0) {
  console.error("usage : node lighthouse.mjs DOSSIER_PUBLIC /chemin/ …");
  process.exit(2);
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function waitForDevtools(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("chromium n'a pas ouvert son port de débogage");
}

const site = await serve(root, fixedPort);
const port = await freePort();
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cufpress-lh-"));
const chrome = spawn("/usr/bin/chromium", [
  "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  `--remote-debugging-port=${port}`, `--user-data-dir=${profile}`, "about:blank",
], { stdio: "ignore" });
const exited = new Promise((resolve) => chrome.once("exit", resolve));
const results = {};
try {
  await waitForDevtools(port);
  const categories = ["performance", "accessibility", "best-practices", "seo"];
  for (const page of pages) {
    const r = await lighthouse(site.url + page, { port, output: "json", logLevel: "error", onlyCategories: categories });
    const lhr = r.lhr;
    const scores = {};
    const lost = [];
    for (const c of categories) {
      const cat = lhr.categories[c];
      scores[c] = Math.round((cat.score ?? 0) * 100);
      for (const ref of cat.auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          const items = (a.details?.items ?? []).slice(0, 5).map((i) => i.description ?? i.url ?? i.source ?? "").filter(Boolean);
          lost.push(`${c}: ${a.id} (${a.title}) ${a.displayValue ?? ""} ${items.join(" | ")}`.trim());
        }
      }
    }
    if (lhr.runtimeError) lost.push(`erreur : ${lhr.runtimeError.message}`);
    results[page] = { scores, lost };
  }
} finally {
  chrome.kill("SIGKILL");
  await exited;
  site.close();
  // Chromium's helpers may still be letting go of the profile.
  try { fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }); } catch { /* left in /tmp */ }
}
console.log(JSON.stringify(results));
