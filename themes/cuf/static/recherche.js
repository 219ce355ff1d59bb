/* Search over the site's Pagefind bundles, in French, on /recherche/ and
   on the répertoire's page. The section #recherche says where the bundle
   is (data-pagefind), which one to merge with it (data-fusion: the
   répertoire's, on /recherche/) and which filters to offer, with their
   values (data-filtres: [[key, label, [values…]], …]), so the filters'
   own files are fetched only when a reader uses one, or after the first
   results are shown (for the counts). Filters: OR inside a filter, AND
   across filters; each value shows how many results it would give. The
   page works without this script: the section stays hidden and the
   page's links remain.
   Everything from the index is put in as text, except the excerpt, whose
   only markup kept is Pagefind's <mark>. */
(function () {
  "use strict";
  var PAGE = 10;
  var root = document.getElementById("recherche");
  if (!root) return;
  var input = document.getElementById("rep-q");
  var list = document.getElementById("rep-list");
  var status = document.getElementById("rep-status");
  var more = document.getElementById("rep-more");
  var facetBox = document.getElementById("rep-facets");
  var wanted = JSON.parse(root.getAttribute("data-filtres") || "[]");
  var merge = root.getAttribute("data-fusion");
  var repertoire = wanted.length > 0 && wanted[0][0] === "pays";
  var noun = repertoire ? ["partenariat", "partenariats"] : ["résultat", "résultats"];
  var pf = null, facets = [], chosen = {}, results = [], shown = 0, seq = 0, counted = false;
  var api = { timings: [] };
  window.cufRecherche = api;

  function esc(s) {
    return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }
  /* Pagefind's excerpt: the page's text, already escaped by Pagefind,
     with <mark> around the words found. Any other < > " is escaped
     again, so nothing but <mark> can be markup. */
  function excerpt(s) {
    return String(s).split(/(<\/?mark>)/).map(function (part, i) {
      return i % 2 ? part : part.replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
    }).join("");
  }
  function plural(n, w) { return n + " " + (n > 1 ? w[1] : w[0]); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function filters() {
    var f = {};
    Object.keys(chosen).forEach(function (k) {
      var v = Array.from(chosen[k]);
      if (v.length) f[k] = { any: v };
    });
    return f;
  }

  function renderFacets(counts) {
    facets.forEach(function (f) {
      var c = counts[f.id], any = false;
      if (!c) return;
      /* In a filter with a value ticked, another value adds results (OR):
         Pagefind counts it inside the current results, which would say 0.
         Its count is left blank rather than wrong. */
      var open = chosen[f.id] && chosen[f.id].size > 0;
      f.labels.forEach(function (lab) {
        var n = c[lab.value] || 0, picked = open && chosen[f.id].has(lab.value);
        var text = open && !picked ? "" : String(n);
        if (lab.count !== text) { lab.count = text; lab.num.textContent = text; }
        lab.el.classList.toggle("empty", n === 0 && !open);
        if (n > 0 || open) any = true;
      });
      f.box.hidden = !any;
    });
  }

  function renderMore(upTo, mine) {
    var slice = results.slice(shown, upTo);
    return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
      if (mine !== seq) return;
      var frag = document.createDocumentFragment();
      data.forEach(function (d) {
        var li = el("li"), a = el("a", null, (d.meta && d.meta.title) || d.url);
        a.href = d.url;
        li.appendChild(a);
        if (d.meta && d.meta.info) { li.appendChild(el("br")); li.appendChild(el("span", "meta", d.meta.info)); }
        if (d.excerpt) { var p = el("p", "excerpt"); p.innerHTML = excerpt(d.excerpt); li.appendChild(p); }
        frag.appendChild(li);
      });
      list.appendChild(frag);
      shown = upTo;
      more.hidden = shown >= results.length;
    });
  }

  /* Runs the search and redraws; records how long each step took. */
  function update() {
    var mine = ++seq, t0 = performance.now();
    var q = input.value.trim();
    var f = filters();
    var hasFilter = Object.keys(f).length > 0;
    if (!q && !hasFilter) {
      results = []; list.textContent = ""; more.hidden = true; shown = 0;
      status.textContent = "Tapez un mot ou choisissez un filtre.";
      return Promise.resolve(null);
    }
    return pf.search(q || null, { filters: f }).then(function (s) {
      if (mine !== seq) return null;
      var t1 = performance.now();
      results = s.results; shown = 0; list.textContent = "";
      renderFacets(s.filters || {});
      var total = results.length;
      status.textContent = total === 0 ? (repertoire ? "Aucun partenariat ne correspond." : "Aucun résultat.")
        : plural(total, noun);
      return renderMore(Math.min(PAGE, total), mine).then(function () {
        var t2 = performance.now();
        api.last = { query: q, filters: f, search_ms: t1 - t0, total_ms: t2 - t0, results: total };
        api.timings.push(api.last);
        /* Results first, then every filter's file, for the counts. */
        if (!counted) {
          counted = true;
          api.counts = pf.filters().then(function () { return mine === seq ? update() : null; });
        }
        return api.last;
      });
    });
  }

  function buildFacets() {
    var frag = document.createDocumentFragment();
    facets = wanted.map(function (w) {
      var id = w[0], fs = el("fieldset"), box = el("div", "values");
      fs.appendChild(el("legend", null, w[1]));
      var labels = w[2].map(function (v) {
        var lab = el("label"), cb = el("input");
        cb.type = "checkbox"; cb.value = v; cb.dataset.facet = id;
        var num = el("span", "c");
        lab.appendChild(cb); lab.appendChild(el("span", null, v)); lab.appendChild(num);
        box.appendChild(lab);
        return { value: v, el: lab, num: num, count: -1 };
      });
      fs.appendChild(box);
      frag.appendChild(fs);
      return { id: id, box: fs, labels: labels };
    });
    facetBox.appendChild(frag);
  }

  /* Test hook: the same steps as a reader's clicks. */
  api.set = function (q, picks) {
    input.value = q;
    chosen = {};
    Array.prototype.forEach.call(facetBox.querySelectorAll("input[type=checkbox]"), function (cb) {
      cb.checked = !!(picks && picks[cb.dataset.facet] && picks[cb.dataset.facet].indexOf(cb.value) >= 0);
      if (cb.checked) (chosen[cb.dataset.facet] || (chosen[cb.dataset.facet] = new Set())).add(cb.value);
    });
    return update();
  };

  /* Pagefind (scripts, wasm, index) loads when the reader starts a
     search: a page opened and left costs nothing more. */
  status.textContent = "Tapez un mot ou choisissez un filtre.";
  buildFacets();
  var loading = null;
  api.load = function () { return loading || (loading = start()); };
  function later() { return api.load().then(function () { return pf ? update() : null; }); }
  input.addEventListener("focus", api.load);
  input.addEventListener("input", later);
  facetBox.addEventListener("pointerdown", api.load, { once: true });
  facetBox.addEventListener("change", function (ev) {
    var cb = ev.target;
    if (!cb.dataset || !cb.dataset.facet) return;
    var set = chosen[cb.dataset.facet] || (chosen[cb.dataset.facet] = new Set());
    if (cb.checked) set.add(cb.value); else set.delete(cb.value);
    later();
  });
  more.addEventListener("click", function () { renderMore(Math.min(shown + PAGE * 2, results.length), seq); });
  root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); later(); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; later(); }

  function start() {
    status.textContent = "Chargement de l’index…";
    return import(root.getAttribute("data-pagefind") + "pagefind.js")
    .then(function (m) {
      pf = m;
      /* The records' URLs hold the site's path already. */
      return pf.options({ baseUrl: "/", excerptLength: 24 });
    })
    .then(function () { return merge ? pf.mergeIndex(merge, { baseUrl: "/" }) : null; })
    .then(function () { return pf.init(); })
    .then(function () { status.textContent = "Tapez un mot ou choisissez un filtre."; })
    .catch(function () {
      status.textContent = "La recherche est indisponible pour l’instant : parcourez les pages par les liens ci-dessous.";
    });
  }
})();
