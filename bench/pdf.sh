#!/usr/bin/env bash
# Times the PDF editions with release builds: the sample letter's PDF, the
# sample répertoires, a generated 1,500-partnership répertoire (see
# examples/gencorpus.rs), each typeset from an empty PDF cache, then the
# no-op rebuild that reads them back from `.cufpress-cache/pdf/`.
#
# Per-PDF times come from CUFPRESS_TIMINGS (the renderer's own stage
# timings, typesetting only); the build rows are whole `cufpress build`
# runs, with and without `--sans-pdf`.
#
#   bash bench/pdf.sh           # sample site and one 1,500-partnership répertoire
#   FULL=1 bash bench/pdf.sh    # also the 1× corpus of bench/bench.sh (slow first build)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin cufpress --example gencorpus
BIN=$PWD/target/release/cufpress
GEN=$PWD/target/release/examples/gencorpus
WORK=${BENCH_DIR:-/tmp/cufpress-bench-pdf}
mkdir -p "$WORK"
TODAY=2025-09-10

# build NAME ROOT [args…]: one whole build, wall time in seconds.
build() {
  local name=$1 root=$2; shift 2
  /usr/bin/time -f '%e' -o "$WORK/time.txt" \
    env CUFPRESS_TIMINGS=1 "$BIN" build --root "$root" --output "$WORK/out" --today "$TODAY" "$@" \
    >/dev/null 2>"$WORK/stderr.txt" || { cat "$WORK/stderr.txt"; exit 1; }
  printf '| %-44s | %7.2f s |\n' "$name" "$(cat "$WORK/time.txt")"
}

# pdfs: the per-PDF typesetting times of the last build.
pdfs() {
  grep '\[temps\] pdf: ' "$WORK/stderr.txt" | sed 's/\[temps\] pdf: /  /' || true
}

echo "cufpress $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
# The sample site, copied so that its PDF cache starts empty.
rm -rf "$WORK/sample" && mkdir -p "$WORK/sample"
cp -r content themes "$WORK/sample/"
echo "| build                                        |    wall   |"
echo "|----------------------------------------------|-----------|"
build "sample site, --sans-pdf" "$WORK/sample" --sans-pdf
build "sample site, PDFs typeset (empty cache)" "$WORK/sample"
pdfs
build "sample site, no-op rebuild (PDFs from cache)" "$WORK/sample"
build "sample site, no-op rebuild, --sans-pdf" "$WORK/sample" --sans-pdf

# One 1,500-partnership répertoire (gencorpus puts 1,500 per directory).
[ -d "$WORK/rep-1500/content" ] || "$GEN" "$WORK/rep-1500" --articles 10 --events 10 --partnerships 1500 2>/dev/null
rm -rf "$WORK/rep-1500/.cufpress-cache/pdf"
build "1,500-partnership répertoire, --sans-pdf" "$WORK/rep-1500" --sans-pdf
build "1,500-partnership répertoire, PDFs typeset" "$WORK/rep-1500"
pdfs
build "1,500-partnership répertoire, no-op rebuild" "$WORK/rep-1500"
pages=$(pdfinfo "$WORK/out/repertoire/"*/repertoire-*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}' | head -1 || true)
html=$(ls "$WORK/out/repertoire/"*/index.html | grep -v /collectivites/ | xargs stat -c %s | sort -n | tail -1)

if [ -n "${FULL:-}" ]; then
  # The whole 1× corpus of bench/bench.sh: first build (every PDF
  # typeset), then the no-op rebuild with and without PDFs.
  [ -d "$WORK/corpus-1/content" ] || "$GEN" "$WORK/corpus-1" --articles 5000 --events 2000 --partnerships 15000 2>/dev/null
  build "corpus 1×, first build with PDFs" "$WORK/corpus-1" --sans-recherche
  build "corpus 1×, no-op rebuild, PDFs from cache" "$WORK/corpus-1" --sans-recherche
  build "corpus 1×, no-op rebuild, --sans-pdf" "$WORK/corpus-1" --sans-recherche --sans-pdf
fi
echo
echo "booklet: ${pages:-?} pages; largest country page: $((html / 1024)) KB of HTML"
echo "targets: sample letter < 300 ms, 1,500-partnership répertoire < 3 s (typesetting)"
