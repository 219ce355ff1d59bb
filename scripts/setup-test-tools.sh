#!/usr/bin/env bash
# Installs what the browser and validator tests need, once: Debian's
# chromium, a Java runtime for the W3C Nu checker, and the npm packages of
# tests/browser (playwright-core, axe-core, vnu-jar), and strace for the
# publishing kill tests. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v node >/dev/null || need+=(nodejs npm)
command -v python3 >/dev/null || need+=(python3)
# Kills injected at each step of publishing (tests/hardening.rs).
command -v strace >/dev/null || need+=(strace)
# A small full disk (tmpfs in a user namespace, tests/hardening.rs).
command -v unshare >/dev/null || need+=(util-linux)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installation : ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/vnu-jar ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "Outils de test prêts."
