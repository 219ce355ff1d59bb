// Prints a country directory to PDF as a reader would (print media, A4):
// node repertoire-print.mjs PUBLIC_DIR PAYS OUT.pdf — prints {"pdf": OUT, "bytes": N}.
import fs from "node:fs";
import { serve, browser } from "./repertoire-serve.mjs";

const [root, pays, pdf] = process.argv.slice(2);
const srv = await serve(root);
const b = await browser();
try {
  const page = await b.newPage();
  await page.goto(`${srv.url}/repertoire/${pays}/`, { waitUntil: "load" });
  await page.pdf({ path: pdf, format: "A4", printBackground: true, preferCSSPageSize: true });
} finally {
  await b.close();
  srv.close();
}
console.log(JSON.stringify({ pdf, bytes: fs.statSync(pdf).size }));
