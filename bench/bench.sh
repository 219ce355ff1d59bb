#!/usr/bin/env bash
# Times release builds of cufpress on the sample site and on a generated
# corpus (see examples/gencorpus.rs): wall and CPU time, peak RSS, files
# written per second, a no-op rebuild and a one-article rebuild, and the
# scaling at 1×, 2× and 4× the corpus.
#
# The first build writes every file into an empty output; the second also
# creates the spare copy publish keeps beside it (see src/publish.rs); from
# the third on ("no-op rebuild"), only changed files are written. On ext4,
# creating many files right after deleting many others is slow: delete old
# benchmark folders a while before measuring first builds.
#
# The corpus's partnerships are shaped like real entries (about 3 KB each,
# see examples/gencorpus.rs); SHORT=1 generates the short bodies of the
# first benchmarks instead, for comparison. The PDF editions are left out
# of these builds (`--sans-pdf`: they are typeset once and then read from
# their cache; bench/pdf.sh times them).
#
#   bash bench/bench.sh            # full run (corpus 5000/2000/15000, scaling)
#   QUICK=1 bash bench/bench.sh    # sample site and 1× corpus only
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin cufpress --example gencorpus
BIN=$PWD/target/release/cufpress
GEN=$PWD/target/release/examples/gencorpus
WORK=${BENCH_DIR:-/tmp/cufpress-bench${SHORT:+-short}}
mkdir -p "$WORK"
TODAY=2025-09-10

# measure NAME ROOT [extra build args…]: one build, printed as a table row.
measure() {
  local name=$1 root=$2; shift 2
  local out="$WORK/out-$(echo "$root" | md5sum | cut -c1-8)"
  /usr/bin/time -f '%e %U %S %M' -o "$WORK/time.txt" \
    "$BIN" build --root "$root" --output "$out" --today "$TODAY" --sans-pdf "$@" >/dev/null 2>"$WORK/stderr.txt" \
    || { cat "$WORK/stderr.txt"; exit 1; }
  read -r wall user sys rss_kb < "$WORK/time.txt"
  local files
  files=$(find "$out" -type f | wc -l)
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss_kb" -v f="$files" 'BEGIN {
    printf "| %-28s | %7.2f s | %7.2f s | %6.0f MB | %6d | %9.0f |\n", n, w, u + s, r / 1024, f, (w > 0 ? f / w : 0) }'
}

header() {
  echo "| build                        |    wall  |     CPU  | peak RSS |  files | files/s   |"
  echo "|------------------------------|----------|----------|----------|--------|-----------|"
}

corpus() { # corpus DIR FACTOR
  [ -d "$1/content" ] || "$GEN" "$1" --articles $((5000 * $2)) --events $((2000 * $2)) --partnerships $((15000 * $2)) ${SHORT:+--courts} 2>/dev/null
}

echo "cufpress $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
header
measure "sample site" "$PWD"
measure "sample site (no-op rebuild)" "$PWD"
corpus "$WORK/corpus-1" 1
echo "content files in the 1× corpus: $(find "$WORK/corpus-1/content" -name '*.md' | wc -l)" >&2
rm -rf "$WORK/out-corpus"* "$WORK/.out-corpus"*
measure "corpus 1× (first build)" "$WORK/corpus-1" --sans-recherche
# The file system's floor for a first build: copying the same tree.
out1="$WORK/out-$(echo "$WORK/corpus-1" | md5sum | cut -c1-8)"
rm -rf "$WORK/floor"
/usr/bin/time -f '%e %U %S' -o "$WORK/time.txt" cp -r "$out1" "$WORK/floor"
read -r fw fu fs < "$WORK/time.txt"
awk -v w="$fw" -v u="$fu" -v s="$fs" 'BEGIN {
  printf "| %-28s | %7.2f s | %7.2f s |          |        |           |\n", "cp -r of that output", w, u + s }'
rm -rf "$WORK/floor"
measure "corpus 1× (second build)" "$WORK/corpus-1" --sans-recherche
measure "corpus 1× (no-op rebuild)" "$WORK/corpus-1" --sans-recherche
measure "corpus 1× (with search index)" "$WORK/corpus-1"
article=$(find "$WORK/corpus-1/content/lettres" -name 'article-001.md' | sort | sed -n 1p)
echo "Modifié pour le banc d'essai." >> "$article"
measure "corpus 1× (one article)" "$WORK/corpus-1" --sans-recherche
if [ -z "${QUICK:-}" ]; then
  corpus "$WORK/corpus-2" 2
  corpus "$WORK/corpus-4" 4
  for f in 2 4; do
    measure "corpus ${f}× (first build)" "$WORK/corpus-$f" --sans-recherche
    measure "corpus ${f}× (second build)" "$WORK/corpus-$f" --sans-recherche
    measure "corpus ${f}× (no-op rebuild)" "$WORK/corpus-$f" --sans-recherche
  done
fi
echo
echo "E-mail edition of one issue (corpus 1×, $(find "$WORK/corpus-1/content/lettres" -mindepth 1 -maxdepth 1 -type d | wc -l) issues, median and slowest):"
CUFPRESS_TIMINGS=1 "$BIN" check --root "$WORK/corpus-1" --today "$TODAY" --sans-recherche --sans-pdf 2>&1 >/dev/null \
  | grep 'email: un numéro' | sed 's/^\[temps\] */  /'
