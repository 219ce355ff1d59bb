// The back-office in a real browser (#14), driven by tests/admin_browser.rs.
//
//   node admin.mjs roundtrip SITE SHOTS ENTRIES_JSON
//     opens every entry of ENTRIES_JSON (`collection/entries/slug`), makes
//     it dirty without changing it (types a letter in the first text field
//     and erases it) and saves it through decap-server: the caller compares
//     the site built before and after.
//   node admin.mjs workflow SITE SHOTS
//     with the editorial workflow (decap-server in git mode on the site's
//     repository): an article saved as a draft, sent for review, made
//     ready and published (merged into main).
//   node admin.mjs create SITE SHOTS CUFPRESS
//     creates through the forms a new issue (then rebuilds, so that its
//     article form exists), an article with an uploaded image, an event
//     over two months, a partnership; edits an existing article; checks
//     that wrong entries are refused with the French messages.
//
// Prints one JSON line: what was done, with timings.
import fs from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { serve, decapServer, browser } from "./admin-lib.mjs";

const [mode, site, shots, extra] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });
const t0 = Date.now();
const web = await serve(path.join(site, "public"));
const ds = await decapServer(site, mode === "workflow" ? "git" : "fs");
const b = await browser(ds.api);
const page = await b.context.newPage();
page.setDefaultTimeout(60000);
const errors = [];
page.on("pageerror", (e) => errors.push(e.message));
page.on("dialog", (d) => d.accept());
const report = { mode, saved: [], refused: {}, ms: {} };

async function login() {
  await page.goto(`${web.url}/admin/`);
  // A fresh load, so that a rebuilt config.yml is read.
  await page.reload();
  const button = page.getByRole("button", { name: "Se connecter" });
  const ready = page.getByText("Collections").first();
  await button.or(ready).first().waitFor();
  if (await button.isVisible()) await button.click();
  await ready.waitFor();
}

async function open(hash) {
  // A fresh page per form: Decap reuses the previous editor's widgets on
  // an in-page move from one entry to another.
  // Through the list of collections, which unmounts the editor: quicker
  // than loading the page again.
  await page.goto(`${web.url}/admin/#/collections/${hash.split("/")[0]}`);
  await page.getByText("Collections").first().waitFor();
  await page.goto(`${web.url}/admin/#/collections/${hash}`);
  await page.getByText(/Écriture dans la collection/).first().waitFor();
  await page.locator("input[type=text], input[type=date]").first().waitFor();
  // An existing entry's form is filled in once the entry is read.
  if (!hash.endsWith("/new")) {
    await page.waitForFunction(() => {
      const i = document.querySelector("input[type=text]");
      return i && i.value.length > 0;
    });
  }
  await page.waitForTimeout(300);
}

function field(name, nth = 0) {
  return page.locator(`[id^="${name}-field-"]`).nth(nth);
}

/** Replaces the text of a text field as a writer would. */
async function type(name, text, nth = 0) {
  const f = field(name, nth);
  await f.click();
  await f.press("ControlOrMeta+a");
  await f.press("Delete");
  await page.keyboard.type(text);
}

async function choose(name, text, nth = 0) {
  await field(name, nth).click();
  await field(name, nth).fill(text);
  await page.keyboard.press("Enter");
}

/** Publishes the open entry; resolves once decap-server wrote it. */
async function publish() {
  const persisted = page.waitForResponse((r) => r.url().includes("/api/v1")
    && (r.request().postData() || "").includes('"persistEntry"'), { timeout: 60000 });
  await page.getByRole("button", { name: "Publier", exact: true }).click();
  await page.getByText("Publier maintenant").click();
  const r = await persisted;
  if (!r.ok()) throw new Error(`enregistrement refusé par decap-server : ${r.status()}`);
  // A new entry: Decap then moves to the entry's own address.
  if (page.url().endsWith("/new")) await page.waitForURL((u) => !u.hash.endsWith("/new"));
  await page.getByText("Modifications enregistrées").first().waitFor();
  await page.getByRole("button", { name: "Publier", exact: true }).waitFor({ state: "hidden" });
}

/** Tries to publish; returns the text of the error shown instead. */
async function refused(want) {
  await page.getByRole("button", { name: "Publier", exact: true }).click();
  await page.getByText("Publier maintenant").click();
  const el = page.getByText(want, { exact: false }).first();
  await el.waitFor({ timeout: 30000 });
  return (await el.innerText()).trim();
}

async function shot(name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

try {
await login();
report.ms.login = Date.now() - t0;

if (mode === "roundtrip") {
  const entries = JSON.parse(extra);
  for (const hash of entries) {
    await open(hash);
    // Decap saves only a changed entry: one letter added and saved, then
    // taken away and saved again; the file ends with its own values,
    // written by Decap.
    const first = page.locator("input[type=text]").first();
    await first.click();
    await first.press("End");
    await first.press("x");
    await publish();
    // Decap compares with the entry as it was opened: open it again.
    await open(hash);
    const again = page.locator("input[type=text]").first();
    await again.click();
    await again.press("End");
    await again.press("Backspace");
    await publish();
    report.saved.push(hash);
  }
  report.ms.roundtrip = Date.now() - t0;
} else if (mode === "workflow") {
  const action = (name) => page.waitForResponse((r) => r.url().includes("/api/v1")
    && (r.request().postData() || "").includes(`"${name}"`), { timeout: 60000 });
  await open("articles-2025-09/new");
  await type("title", "Un brouillon relu avant publication");
  await choose("section", "Éditorial");
  await type("summary", "Écrit, relu, publié.");
  let done = action("persistEntry");
  await page.getByRole("button", { name: "Enregistrer", exact: true }).click();
  if (!(await done).ok()) throw new Error("brouillon non enregistré");
  await page.waitForURL((u) => !u.hash.endsWith("/new"));
  await shot("brouillon");
  for (const status of ["En cours de révision", "Prêt"]) {
    done = action("updateUnpublishedEntryStatus");
    await page.getByRole("button", { name: /^Statut/ }).click();
    await page.getByText(status, { exact: true }).last().click();
    if (!(await done).ok()) throw new Error(`statut ${status} refusé`);
    report.saved.push(status);
  }
  await page.goto(`${web.url}/admin/#/workflow`);
  await page.getByText("Un brouillon relu avant publication").first().waitFor();
  await shot("flux-editorial");
  await page.getByText("Un brouillon relu avant publication").first().click();
  await page.getByText(/Écriture dans la collection/).first().waitFor();
  done = action("publishUnpublishedEntry");
  await page.getByRole("button", { name: "Publier", exact: true }).click();
  await page.getByText("Publier maintenant").click();
  if (!(await done).ok()) throw new Error("publication refusée");
  report.saved.push("publié");
  report.ms.workflow = Date.now() - t0;
} else if (mode === "create") {
  const cufpress = extra;
  const build = () => execFileSync(cufpress, ["build", "--today", "2025-09-10"], { cwd: site, stdio: "pipe" });

  // A new issue: its folder is named from its date.
  await open("nouveau-numero/new");
  await type("title", "Novembre 2025");
  await type("number", "3");
  await field("date").fill("2025-11-05");
  await field("from").fill("2025-11-01");
  await field("to").fill("2025-11-30");
  await type("preheader", "Le numéro de novembre, « écrit » dans le navigateur");
  await shot("nouveau-numero");
  await publish();
  report.saved.push("content/lettres/2025-11/_index.md");
  const t1 = Date.now();
  build();
  report.ms.rebuild = Date.now() - t1;

  // After the build, the new issue has its forms.
  await login();
  await open("articles-2025-11/new");
  // Wrong entry 1: a required field left empty.
  await type("title", "Article sans rubrique");
  report.refused.required = await refused("Rubrique est requis");
  await shot("refus-champ-obligatoire");
  await choose("section", "géographiques");
  await choose("group", "Madagascar");
  await choose("themes", "Eau");
  await type("title", "Un article écrit dans le navigateur");
  await type("summary", "Un résumé avec l'apostrophe, le 1er et des « guillemets ».");
  // The photo, uploaded through the media library into the images/.
  await page.getByRole("button", { name: "Choisir une image" }).click();
  const upload = page.locator("input[type=file]");
  await upload.setInputFiles({ name: "photo-navigateur.png", mimeType: "image/png",
    buffer: fs.readFileSync(path.join(site, "content/lettres/2025-09/images/photo.png")) });
  await page.getByText("photo-navigateur.png").first().waitFor();
  await shot("mediatheque");
  await page.getByRole("button", { name: /Choisir/ }).last().click();
  await page.locator('[id^="image_alt-field-"]').waitFor();
  // Wrong entry 2: an image without its alternative text (cufpress's rule).
  report.refused.image_alt = await refused("image sans texte alternatif");
  await type("image_alt", "Une photo envoyée depuis le navigateur");
  const editor = page.locator("[data-slate-editor=true], [contenteditable=true]").first();
  await editor.click();
  await page.keyboard.type("Texte écrit dans le navigateur, premier paragraphe.");
  // The preview pane: the theme's CSS and the article page's markup.
  const preview = page.frameLocator("iframe").first();
  report.preview = {
    title: (await preview.locator("article.single h1").innerText()).trim(),
    stylesheets: await preview.locator('link[href$="/style.css"]').count(),
  };
  await shot("nouvel-article");
  await publish();
  report.saved.push("content/lettres/2025-11/un-article-ecrit-dans-le-navigateur.md");

  // An event over two months.
  await open("agenda/new");
  await type("title", "Festival sur deux mois");
  await type("start", "28/11/2025");
  report.refused.date = await refused("date invalide");
  await type("start", "2025-11-28");
  await type("end", "2025-12-03T18:00");
  await type("place", "Lyon");
  await choose("format", "Présentiel");
  await shot("evenement");
  await publish();
  report.saved.push("content/agenda/festival-sur-deux-mois.md");

  // A partnership in the Madagascar directory.
  await open("partenariats-madagascar/new");
  await type("name", "Ville de Navigateur", 0);
  await choose("type", "Commune", 0);
  await type("name", "Commune de Toliara", 1);
  await type("since", "2024");
  await shot("partenariat");
  await publish();
  report.saved.push("content/repertoire/madagascar/ville-de-navigateur-commune-de-toliara.md");

  // An existing article, edited.
  await open("lettre-2025-09/entries/mada-un");
  await type("title", "Madagascar, premier article revu dans le navigateur");
  await shot("article-existant");
  await publish();
  report.saved.push("content/lettres/2025-09/mada-un.md");

  // Wrong entry 3: a section id that is not a slug, in site.yaml.
  await open("reglages/entries/site");
  await type("id", "Mauvais Nom");
  report.refused.slug = await refused("nom invalide");
  await shot("refus-identifiant");
  await shot("reglages");
  report.ms.create = Date.now() - t0;
}

} catch (e) {
  await shot("erreur").catch(() => {});
  console.error(ds.log().slice(-2000));
  console.error(e);
  await b.close().catch(() => {});
  ds.close();
  web.close();
  process.exit(1);
}
report.errors = errors;
report.server = ds.log().slice(-2000);
await b.close();
ds.close();
web.close();
console.log(JSON.stringify(report));
