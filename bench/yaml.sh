#!/usr/bin/env bash
# Times the front-matter readers (fast reader, yaml_serde, pre-scan, typed
# parse) on the headers of a generated corpus (examples/gencorpus.rs):
#
#   bash bench/yaml.sh             # corpus 2000 articles, 1000 events, 3000 partnerships
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gencorpus --example yaml_bench
WORK=${BENCH_DIR:-/tmp/cufpress-bench-yaml}
./target/release/examples/gencorpus "$WORK" --articles 2000 --events 1000 --partnerships 3000
./target/release/examples/yaml_bench "$WORK" "${ROUNDS:-5}"
