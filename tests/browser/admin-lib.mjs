// Shared by the back-office browser test: the built public/ folder on
// 127.0.0.1, decap-server (Decap's local backend) on the site, Chromium
// with Decap CMS served from node_modules instead of the CDN, and no other
// network.
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
import { TYPES, CHROMIUM_FLAGS } from "./serve-lib.mjs";
export { serve } from "./serve-lib.mjs";

function freePort() {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** `npx decap-server` on `siteRoot` (fs mode, or git mode: drafts as
 * branches of the site's repository), on a free port. */
export async function decapServer(siteRoot, mode = "fs") {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(HERE, "node_modules/decap-server/dist/index.js")], {
    cwd: siteRoot,
    env: { ...process.env, PORT: String(port), BIND_HOST: "127.0.0.1", MODE: mode, GIT_REPO_DIRECTORY: siteRoot, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Never left behind, whatever way this process ends.
  process.on("exit", () => child.kill("SIGKILL"));
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  const api = `http://127.0.0.1:${port}/api/v1`;
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(api, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ action: "info" }) });
      if (r.ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { api, close: () => child.kill(), log: () => log };
}

/** Chromium with a fresh profile; Decap from node_modules; no network
 * but 127.0.0.1. Requests to decap-server's default address go to `api`. */
export async function browser(api) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "cufpress-admin-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 900 },
    locale: "fr-FR",
    args: CHROMIUM_FLAGS,
  });
  const dist = path.join(HERE, "node_modules/decap-cms/dist");
  await context.route("**/*", async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === "unpkg.com" && url.pathname.startsWith("/decap-cms@")) {
      const file = path.join(dist, path.basename(url.pathname));
      if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: "absent" });
      return route.fulfill({ status: 200, body: fs.readFileSync(file),
        headers: { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "access-control-allow-origin": "*" } });
    }
    if ((url.hostname === "localhost" || url.hostname === "127.0.0.1") && url.port === "8081" && url.pathname.startsWith("/api/v1")) {
      const r = route.request();
      if (r.method() === "OPTIONS") {
        return route.fulfill({ status: 204, headers: { "access-control-allow-origin": "*",
          "access-control-allow-headers": "content-type", "access-control-allow-methods": "POST, GET, OPTIONS" } });
      }
      const resp = await fetch(api, { method: r.method(), headers: { "content-type": "application/json" }, body: r.postData() || undefined });
      return route.fulfill({ status: resp.status, body: Buffer.from(await resp.arrayBuffer()),
        headers: { "content-type": "application/json", "access-control-allow-origin": "*" } });
    }
    if (url.hostname === "127.0.0.1" || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
    return route.abort();
  });
  return { context, close: async () => { await context.close(); fs.rmSync(profile, { recursive: true, force: true }); } };
}
