#!/usr/bin/env bash
# Latency of `cufpress serve`: median time from an article's (then a
# partnership's) write to the reload message, over 20 edits, on the sample site and on the generated
# corpus (examples/gencorpus.rs). Both are copied first: the bench edits them.
#
#   bash bench/serve.sh                              # sample + corpus
#   CUFPRESS_SERVE_TIMINGS=1 bash bench/serve.sh     # with per-stage timings
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin cufpress --example gencorpus --example serve_bench
WORK=${BENCH_DIR:-/tmp/cufpress-serve-bench}
EDITS=${EDITS:-20}
mkdir -p "$WORK"
rm -rf "$WORK/sample" && mkdir -p "$WORK/sample" && cp -r content themes "$WORK/sample/"
./target/release/examples/serve_bench "$WORK/sample" --edits "$EDITS"
[ -d "$WORK/corpus/content" ] || ./target/release/examples/gencorpus "$WORK/corpus" 2>/dev/null
rm -rf "$WORK/corpus-copy" && cp -r "$WORK/corpus" "$WORK/corpus-copy"
./target/release/examples/serve_bench "$WORK/corpus-copy" --edits "$EDITS"
./target/release/examples/serve_bench "$WORK/corpus-copy" --edits "$EDITS" --partenariat
./target/release/examples/serve_bench "$WORK/corpus-copy" --edits "$EDITS" --partenariat --entete
