// The one static server of the browser tests: a built public/ folder on
// 127.0.0.1, read at each request, never anything outside that folder
// (a path that climbs out of it is answered 404), and the headless Debian
// chromium the tests drive.
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { chromium } from "playwright-core";

export const TYPES = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".xml": "application/xml", ".yml": "text/yaml; charset=utf-8",
  ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".avif": "image/avif",
  ".svg": "image/svg+xml", ".ico": "image/x-icon", ".pdf": "application/pdf",
  ".ics": "text/calendar; charset=utf-8", ".txt": "text/plain; charset=utf-8",
  ".woff2": "font/woff2", ".wasm": "application/wasm",
};

/** Text a static host compresses (GitHub Pages, Netlify, nginx's `gzip on`). */
const COMPRESSED = new Set([".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".ics", ".yml"]);

/** Serves `root` on `port` (a free one by default); resolves to { url, close }.
 *  With `log`, pushes { path, bytes, raw } for every file sent: `bytes` is
 *  what the wire carried, `t` when it was asked for. With `gzip`, text is sent gzip-compressed to a
 *  browser that accepts it, as a static host does. */
export function serve(root, port = 0, log = null, { gzip = false } = {}) {
  const top = path.resolve(root);
  const server = http.createServer((req, res) => {
    const t = Date.now();
    let rel;
    try {
      rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      res.writeHead(400); res.end("requête invalide"); return;
    }
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.resolve(top, "." + rel);
    if (file !== top && !file.startsWith(top + path.sep)) { res.writeHead(404); res.end("absent"); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end("absent"); return; }
      const headers = { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "cache-control": "no-store" };
      let body = data;
      if (gzip && COMPRESSED.has(path.extname(file)) && /\bgzip\b/.test(req.headers["accept-encoding"] || "")) {
        body = zlib.gzipSync(data, { level: 6 });
        headers["content-encoding"] = "gzip";
      }
      if (log) log.push({ path: rel, bytes: body.length, raw: data.length, t });
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => {
    resolve({ url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() });
  }));
}

/** The switches every test's chromium runs with. */
export const CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The headless browser the project's tests use. */
export function browser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}
