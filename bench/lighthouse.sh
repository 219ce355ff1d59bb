#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile) scores of the sample site, as the README's
# table: a release build of content/, served on 127.0.0.1, in Debian's
# chromium. Run `bash scripts/setup-test-tools.sh` once before.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin cufpress
OUT=${BENCH_DIR:-/tmp/cufpress-bench-lighthouse}
rm -rf "$OUT" && mkdir -p "$OUT"
cp -r content themes "$OUT/"
PORT=${PORT:-8765}
(cd "$OUT" && "$OLDPWD/target/release/cufpress" build --today 2025-09-10 --base-url "http://127.0.0.1:$PORT" >/dev/null)
pages=(/ /lettres/2025-09/ /lettres/2025-09/assises-franco-malgaches/ /agenda/
  /repertoire/japon/ /repertoire/japon/aix-en-provence-kumamoto/ /recherche/ /lettres/2025-09/email.html)
cd tests/browser
node lighthouse.mjs "$OUT/public" --port "$PORT" "${pages[@]}" | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const r = JSON.parse(s);
  console.log("| page | performance | accessibilité | bonnes pratiques | SEO |");
  console.log("|---|---|---|---|---|");
  for (const [page, { scores: c, lost }] of Object.entries(r)) {
    console.log(`| ${page} | ${c.performance} | ${c.accessibility} | ${c["best-practices"]} | ${c.seo} |`);
    for (const l of lost) console.error(`  ${page} : ${l}`);
  }
});'
