/* Search and filters over every répertoire, in the browser, with no server.
   Reads /repertoire/index.json (columnar, text already folded by the
   generator), matches every word of the query as a substring, filters by
   facet (OR inside a facet, AND across facets) and shows, for each facet
   value, how many partnerships it would give with the other filters kept.
   The page works without it: the section stays hidden. */
(function () {
  "use strict";
  var PAGE = 50;
  var root = document.getElementById("recherche");
  if (!root || !window.fetch) return;

  /* Same folding as `fold()` in src/render/repertoire/search.rs. */
  function fold(s) {
    return s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae")
      .replace(/[’ʼ‘]/g, "'").replace(/[\u00a0\u202f]/g, " ");
  }
  function esc(s) {
    return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  }

  var ix = null, facets = [], chosen = {}, shown = PAGE, lastQuery = null, textHits = null;
  var input = document.getElementById("rep-q");
  var list = document.getElementById("rep-list");
  var status = document.getElementById("rep-status");
  var more = document.getElementById("rep-more");
  var facetBox = document.getElementById("rep-facets");
  var api = { timings: [] };
  window.cufRepertoire = api;

  /* Items whose text holds every word of `q` (cached per query). */
  function matchText(q) {
    if (q === lastQuery) return textHits;
    var words = fold(q).split(/\s+/).filter(Boolean);
    var n = ix.count, text = ix.text, hits = new Uint8Array(n), i, w, ok;
    for (i = 0; i < n; i++) {
      ok = 1;
      for (w = 0; w < words.length; w++) {
        if (text[i].indexOf(words[w]) === -1) { ok = 0; break; }
      }
      hits[i] = ok;
    }
    lastQuery = q;
    textHits = hits;
    return hits;
  }

  /* One pass: results, and per facet value the count it would give. */
  function compute(q) {
    var hits = matchText(q), n = ix.count, F = facets.length;
    var counts = facets.map(function (f) { return new Uint32Array(f.values.length); });
    var active = facets.map(function (f) { return chosen[f.id] && chosen[f.id].size ? chosen[f.id] : null; });
    var cols = facets.map(function (f) { return ix[f.id]; });
    var multi = facets.map(function (f) { return Array.isArray(ix[f.id][0]); });
    var results = [], pass = new Uint8Array(F), i, f, fails, failed, v, vals, k;
    for (i = 0; i < n; i++) {
      if (!hits[i]) continue;
      fails = 0; failed = -1;
      for (f = 0; f < F; f++) {
        if (!active[f]) { pass[f] = 1; continue; }
        v = cols[f][i];
        if (multi[f]) {
          pass[f] = 0;
          for (k = 0; k < v.length; k++) if (active[f].has(v[k])) { pass[f] = 1; break; }
        } else pass[f] = active[f].has(v) ? 1 : 0;
        if (!pass[f]) { fails++; failed = f; if (fails > 1) break; }
      }
      if (fails > 1) continue;
      if (fails === 0) results.push(i);
      for (f = 0; f < F; f++) {
        if (fails === 1 && f !== failed) continue;
        vals = cols[f][i];
        if (multi[f]) { for (k = 0; k < vals.length; k++) counts[f][vals[k]]++; }
        else counts[f][vals]++;
      }
    }
    return { results: results, counts: counts };
  }

  function renderFacets(counts) {
    facets.forEach(function (f, fi) {
      var labels = f.labels, c = counts[fi], set = chosen[f.id], j;
      for (j = 0; j < labels.length; j++) {
        var n = c[j], lab = labels[j];
        if (lab.count !== n) { lab.count = n; lab.num.textContent = n; }
        var empty = n === 0 && !(set && set.has(j));
        if (lab.empty !== empty) { lab.empty = empty; lab.el.classList.toggle("empty", empty); }
      }
    });
  }

  function renderResults(results) {
    var html = [], end = Math.min(shown, results.length), i, k;
    for (k = 0; k < end; k++) {
      i = results[k];
      html.push('<li><a href="' + esc(ix.url[i]) + '">' + esc(ix.title[i]) + '</a><br><span class="meta">' +
        esc(ix.facets[0].values[ix.pays[i]]) + " · " + esc(ix.meta[i]) + "</span></li>");
    }
    list.innerHTML = html.join("");
    var total = results.length;
    status.textContent = total === 0 ? "Aucun partenariat ne correspond."
      : total + (total > 1 ? " partenariats" : " partenariat") + (end < total ? " (les " + end + " premiers affichés)" : "");
    more.hidden = end >= total;
  }

  /* Recomputes and redraws; records how long it took. */
  function update(keepShown) {
    var t0 = performance.now();
    if (!keepShown) shown = PAGE;
    var r = compute(input.value);
    var t1 = performance.now();
    renderFacets(r.counts);
    renderResults(r.results);
    var t2 = performance.now();
    api.last = { compute_ms: t1 - t0, render_ms: t2 - t1, total_ms: t2 - t0, results: r.results.length };
    api.timings.push(api.last);
    return api.last;
  }

  function buildFacets() {
    var frag = document.createDocumentFragment();
    facets = ix.facets.map(function (f) {
      var fs = document.createElement("fieldset"), box = document.createElement("div");
      fs.innerHTML = "<legend>" + esc(f.label) + "</legend>";
      box.className = "values";
      var labels = f.values.map(function (v, j) {
        var el = document.createElement("label"), cb = document.createElement("input");
        cb.type = "checkbox"; cb.value = String(j); cb.dataset.facet = f.id;
        var name = document.createElement("span"), num = document.createElement("span");
        name.textContent = v; num.className = "c";
        el.appendChild(cb); el.appendChild(name); el.appendChild(num);
        box.appendChild(el);
        return { el: el, num: num, count: -1, empty: false };
      });
      fs.appendChild(box);
      frag.appendChild(fs);
      return { id: f.id, values: f.values, labels: labels };
    });
    facetBox.appendChild(frag);
  }

  function onFacet(ev) {
    var cb = ev.target;
    if (!cb.dataset || !cb.dataset.facet) return;
    var set = chosen[cb.dataset.facet] || (chosen[cb.dataset.facet] = new Set());
    if (cb.checked) set.add(+cb.value); else set.delete(+cb.value);
    update();
  }

  function start(data) {
    ix = data;
    buildFacets();
    var q = new URLSearchParams(location.search).get("q");
    if (q) input.value = q;
    input.addEventListener("input", function () { update(); });
    root.querySelector("form").addEventListener("submit", function (e) { e.preventDefault(); update(); });
    facetBox.addEventListener("change", onFacet);
    more.addEventListener("click", function () { shown += PAGE * 4; update(true); });
    update();
  }

  root.hidden = false;
  api.ready = fetch(root.getAttribute("data-index"))
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .then(start)
    .catch(function () { status.textContent = "La recherche est indisponible : parcourez les répertoires par pays."; });
})();
