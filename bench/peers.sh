#!/usr/bin/env bash
# Side by side: the same 5,000 articles built by Hugo (Debian package `hugo`)
# and by cufpress, and the ratio: both with minimal single/list templates
# (the issue's "equivalent minimal template"), and cufpress with its full
# theme for information.
#
# Zola is not packaged in Debian: put a `zola` binary on the PATH and this
# script adds it (the corpus is converted to a Zola site the same way).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hugo >/dev/null || { echo "hugo manquant : apt-get install -y hugo" >&2; exit 1; }
cargo build --release --quiet --bin cufpress --example gencorpus
WORK=${BENCH_DIR:-/tmp/cufpress-peers}
rm -rf "$WORK" && mkdir -p "$WORK"
./target/release/examples/gencorpus "$WORK/cuf" --articles 5000 --events 0 --partnerships 0 2>/dev/null

# The same Markdown bodies as a Hugo site (and a Zola one).
python3 - "$WORK" <<'PY'
import os, re, sys
work = sys.argv[1]
src = os.path.join(work, "cuf/content/lettres")
for engine in ("hugo", "zola"):
    root = os.path.join(work, engine)
    os.makedirs(os.path.join(root, "content/lettres"), exist_ok=True)
for issue in sorted(os.listdir(src)):
    for name in sorted(os.listdir(os.path.join(src, issue))):
        if not name.endswith(".md") or name == "_index.md":
            continue
        text = open(os.path.join(src, issue, name), encoding="utf-8").read()
        _, fm, body = text.split("---\n", 2)
        title = re.search(r'^title: "(.*)"$', fm, re.M).group(1).replace('"', "'")
        body = re.sub(r"\]\(article-(\d+)\.md\)", r"](../\1/)", body)
        for engine, date in (("hugo", f"date: {issue}-05"), ("zola", f"date = {issue}-05")):
            out = os.path.join(work, engine, "content/lettres", f"{issue}-{name}")
            head = f'---\ntitle: "{title}"\n{date}\n---\n' if engine == "hugo" else f'+++\ntitle = "{title}"\n{date}\n+++\n'
            open(out, "w", encoding="utf-8").write(head + body)
open(os.path.join(work, "zola/content/lettres/_index.md"), "w").write("+++\ntitle = \"Lettres\"\n+++\n")
PY
mkdir -p "$WORK/hugo/layouts/_default"
cat > "$WORK/hugo/config.toml" <<'TOML'
baseURL = "https://www.cites-unies-france.org/"
languageCode = "fr"
title = "Cités Unies France"
disableKinds = ["taxonomy", "term"]
TOML
cat > "$WORK/hugo/layouts/_default/baseof.html" <<'HTML'
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
HTML
cat > "$WORK/hugo/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}</article>{{ end }}
HTML
cat > "$WORK/hugo/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML

time_of() { # best of 3 wall-clock seconds
  local best=999
  for _ in 1 2 3; do
    local t
    /usr/bin/time -f '%e' -o "$WORK/t.txt" "$@" >/dev/null 2>&1
    t=$(tail -n 1 "$WORK/t.txt")
    best=$(awk -v a="$best" -v b="$t" 'BEGIN { print (b < a ? b : a) }')
  done
  echo "$best"
}

# cufpress with its full theme (every page as published, e-mail editions)…
cuf_full=$(time_of ./target/release/cufpress build --root "$WORK/cuf" --output "$WORK/cuf-full" --today 2025-09-10)
# …and with templates equivalent to Hugo's minimal ones: the site's own
# themes/cuf/ overrides the built-in page wrapper and article template.
# cufpress still renders its other pages, the 80 e-mail editions and the
# link check, which Hugo does not do.
mkdir -p "$WORK/cuf/themes/cuf/templates"
cat > "$WORK/cuf/themes/cuf/templates/base.html" <<'HTML'
<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ page.title }}</title>{% block head %}{% endblock head %}</head><body>{% block content %}{% endblock content %}</body></html>
HTML
cat > "$WORK/cuf/themes/cuf/templates/article.html" <<'HTML'
{% extends "base.html" %}{% block content %}<article><h1>{{ article.title_html | safe }}</h1>{{ article.html | safe }}</article>{% endblock content %}
HTML
cuf=$(time_of ./target/release/cufpress build --root "$WORK/cuf" --output "$WORK/cuf-public" --today 2025-09-10)
hugo_t=$(time_of hugo --quiet -s "$WORK/hugo" -d "$WORK/hugo-public")
echo "5000 articles, best of 3, $(nproc) cores:"
echo "  cufpress, minimal templates : ${cuf} s ($(find "$WORK/cuf-public" -name '*.html' | wc -l) pages HTML, e-mail editions included)"
echo "  cufpress, full theme        : ${cuf_full} s"
echo "  hugo, minimal templates     : ${hugo_t} s ($(find "$WORK/hugo-public" -name '*.html' | wc -l) pages HTML, $(hugo version | cut -d' ' -f2))"
if command -v zola >/dev/null; then
  mkdir -p "$WORK/zola/templates"
  printf 'base_url = "https://www.cites-unies-france.org"\n' > "$WORK/zola/config.toml"
  printf '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ page.title }}</title></head><body><h1>{{ page.title }}</h1>{{ page.content | safe }}</body></html>\n' > "$WORK/zola/templates/page.html"
  printf '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{{ section.title }}</title></head><body><ul>{%% for p in section.pages %%}<li>{{ p.title }}</li>{%% endfor %%}</ul></body></html>\n' > "$WORK/zola/templates/section.html"
  cp "$WORK/zola/templates/section.html" "$WORK/zola/templates/index.html"
  zola_t=$(cd "$WORK/zola" && time_of zola build -o "$WORK/zola-public" --force)
  echo "  zola     : ${zola_t} s"
fi
awk -v c="$cuf" -v f="$cuf_full" -v h="$hugo_t" 'BEGIN {
  printf "  ratio hugo / cufpress : %.1f× (same templates), %.1f× (cufpress with its full theme)\n", h / c, h / f }'
