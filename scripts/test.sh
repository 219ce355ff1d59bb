#!/usr/bin/env bash
# Runs every test of the project: installs the test tools if missing, then
# the unit, whole-site, browser and validator tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-tools.sh
cargo test --workspace --all-targets
cargo test --workspace --doc
