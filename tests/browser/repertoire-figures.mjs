// The « Chiffres clés » bars of a répertoire page, measured in Chromium:
// node repertoire-figures.mjs PUBLIC_DIR PATH WIDTH SCREENSHOT.png — prints
// {"rows": [{figure, label, lineHeight, th, bar, track, count}], "screenshot"}
// with the bounding box (x, y, width, height) of each part of each row.
import { serve, browser } from "./repertoire-serve.mjs";

const [root, rel, width, shot] = process.argv.slice(2);
const srv = await serve(root);
const b = await browser();
try {
  const page = await b.newPage({ viewport: { width: Number(width), height: 800 } });
  await page.goto(`${srv.url}${rel}`, { waitUntil: "load" });
  const rows = await page.evaluate(() => {
    const box = (el) => {
      if (!el) return null;
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y + window.scrollY, width: r.width, height: r.height };
    };
    return [...document.querySelectorAll(".rep-figure tbody tr")].map((tr) => {
      const th = tr.querySelector("th");
      const bar = tr.querySelector(".bar");
      // The count is the text of the number cell outside the bar.
      const td = tr.querySelector("td.n");
      const range = document.createRange();
      const text = [...td.childNodes].concat([...td.querySelectorAll("*")].flatMap((e) => [...e.childNodes]))
        .find((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== "");
      range.selectNodeContents(text);
      const c = range.getBoundingClientRect();
      return {
        figure: tr.closest("table").id,
        label: th.textContent.trim(),
        lineHeight: parseFloat(getComputedStyle(th).lineHeight),
        th: box(th),
        bar: box(bar),
        track: box(bar.parentElement === td ? td : bar.parentElement),
        count: { x: c.x, y: c.y + window.scrollY, width: c.width, height: c.height },
      };
    });
  });
  const figures = await page.$("#chiffres, [aria-labelledby=chiffres]");
  await (figures || page).screenshot({ path: shot });
  console.log(JSON.stringify({ rows, screenshot: shot }));
} finally {
  await b.close();
  srv.close();
}
