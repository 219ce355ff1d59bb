// French typography as a reader sees it: no line may begin with « : », « ; »,
// « ! », « ? » or « » », and no ordinary (breakable) space may stand before
// them or after « « ». node typography-lines.mjs PUBLIC_DIR WIDTH PATH… —
// prints {"pages": [{path, chars, lines, starts: [...], breaks: [...]}]}:
// `starts` are the lines (walked on the text's line boxes, one
// Range.getClientRects per character) that begin with a forbidden mark,
// `breaks` the places a line could break before one.
import { serve, browser } from "./repertoire-serve.mjs";

const [root, width, ...paths] = process.argv.slice(2);
const srv = await serve(root);
const b = await browser();
const pages = [];
try {
  const page = await b.newPage({ viewport: { width: Number(width), height: 800 } });
  for (const path of paths) {
    const res = await page.goto(`${srv.url}${path}`, { waitUntil: "load" });
    if (!res.ok()) throw new Error(`${path} : ${res.status()}`);
    pages.push({ path, ...(await page.evaluate(walk)) });
  }
} finally {
  await b.close();
  srv.close();
}
console.log(JSON.stringify({ pages }));

// Runs in the page.
function walk() {
  const MARKS = ":;!?»";
  const SPACE = /[ \t\n\r\f]/; // collapsible white space: a break opportunity
  const VISIBLE = /\S/u; // \s also covers U+00A0 and U+202F
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) =>
      n.parentElement.closest("script, style, noscript, template")
        ? NodeFilter.FILTER_REJECT
        : NodeFilter.FILTER_ACCEPT,
  });
  const range = document.createRange();
  const starts = [];
  const breaks = [];
  let band = null; // vertical extent of the current line box
  let chars = 0;
  let lines = 0;
  let lineText = "";
  let prevRaw = ""; // previous rendered character, white space included
  const context = (s, i) => s.slice(Math.max(0, i - 30), i + 30);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const s = n.data;
    if (n.parentElement.getClientRects().length === 0) continue; // not rendered
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      const before = i > 0 ? s[i - 1] : prevRaw;
      if (MARKS.includes(c) && SPACE.test(before)) breaks.push(context(s, i));
      if (c === "«" && i + 1 < s.length && SPACE.test(s[i + 1])) breaks.push(context(s, i));
      if (!VISIBLE.test(c)) continue;
      range.setStart(n, i);
      range.setEnd(n, i + 1);
      const r = range.getClientRects()[0];
      if (!r || r.width === 0) continue;
      chars++;
      const mid = (r.top + r.bottom) / 2;
      if (!band || mid > band.bottom || mid < band.top - r.height) {
        lines++;
        if (MARKS.includes(c)) starts.push(context(s, i) + " | ligne précédente : " + lineText.slice(-40));
        band = { top: r.top, bottom: r.bottom };
        lineText = "";
      } else {
        band.top = Math.min(band.top, r.top);
        band.bottom = Math.max(band.bottom, r.bottom);
      }
      lineText += c;
    }
    if (s.length) prevRaw = s[s.length - 1];
  }
  return { chars, lines, starts, breaks };
}
