#!/usr/bin/env bash
# Installs what the browser and validator tests need, once: Debian's
# chromium, a Java runtime for the W3C Nu checker, and the npm packages of
# tests/browser (playwright-core, axe-core, vnu-jar, decap-cms and
# decap-server for the back-office test, lighthouse for the scores), strace for the
# publishing kill tests, the openssl CLI and Python's aiosmtpd (pinned) for
# the SMTP relay of tests/smtp/relay.py, poppler-utils for the PDF tests.
# Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v java >/dev/null || need+=(default-jre-headless)
command -v node >/dev/null || need+=(nodejs npm)
command -v python3 >/dev/null || need+=(python3 python3-pip)
command -v openssl >/dev/null || need+=(openssl)
# Kills injected at each step of publishing (tests/hardening.rs).
command -v strace >/dev/null || need+=(strace)
# A small full disk (tmpfs in a user namespace, tests/hardening.rs).
command -v unshare >/dev/null || need+=(util-linux)
# Reading the PDF editions back (tests/pdf.rs): pdfinfo, pdftotext, pdffonts, pdftoppm.
command -v pdftotext >/dev/null || need+=(poppler-utils)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installation : ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/vnu-jar ] \
  || [ ! -f tests/browser/node_modules/decap-cms/dist/decap-cms.js ] || [ ! -d tests/browser/node_modules/decap-server ] \
  || [ ! -d tests/browser/node_modules/lighthouse ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
AIOSMTPD_VERSION=1.4.6
if ! python3 -c "import aiosmtpd, sys; sys.exit(aiosmtpd.__version__ != '$AIOSMTPD_VERSION')" 2>/dev/null; then
  python3 -m pip install --quiet "aiosmtpd==$AIOSMTPD_VERSION" \
    || python3 -m pip install --quiet --break-system-packages "aiosmtpd==$AIOSMTPD_VERSION"
fi
echo "Outils de test prêts."
