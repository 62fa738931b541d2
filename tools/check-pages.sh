#!/usr/bin/env bash
# Checks every page Tribune makes as readers and validators see them: builds the demo site, a
# fresh `tribune init` site in each language and the audit report, serves them on 127.0.0.1, and
# runs the Nu HTML checker (vnu-jar) and axe-core in headless Chromium over every page, light
# and dark, 390 and 1,280 px wide, also checking that no page scrolls sideways.
#
# Needs java, node/npm and chromium. The checkers are installed with npm into
# $CHECK_TOOLS (default ~/.cache/tribune-check-pages). Exits 1 when anything is found.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
tools="${CHECK_TOOLS:-$HOME/.cache/tribune-check-pages}"
chromium="${CHROMIUM:-/usr/bin/chromium}"
now="${CHECK_NOW:-2026-12-01T09:00:00}"
port="${CHECK_PORT:-8765}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for tool in java node npm "$chromium"; do
  command -v "$tool" >/dev/null || { echo "check-pages: $tool is needed" >&2; exit 2; }
done
if [ ! -d "$tools/node_modules/vnu-jar" ] || [ ! -d "$tools/node_modules/axe-core" ] \
  || [ ! -d "$tools/node_modules/playwright-core" ]; then
  mkdir -p "$tools"
  (cd "$tools" && npm init -y >/dev/null && npm install --no-audit --no-fund vnu-jar axe-core playwright-core >/dev/null)
fi

cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
tribune="${CARGO_TARGET_DIR:-$repo/target}/release/tribune"
base="http://127.0.0.1:$port"
site="$work/site"
mkdir -p "$site"

# Each site is built under a path of its own, which also checks sub-path base URLs.
"$tribune" --root "$repo" --now "$now" build --output "$site/demo" --base-url "$base/demo/" >/dev/null
mkdir -p "$site/audit"
# The audit exits 1 when it finds editorial problems; only its page matters here.
"$tribune" --root "$repo" --now "$now" audit --html "$site/audit/index.html" >/dev/null || true
[ -f "$site/audit/index.html" ] || { echo "check-pages: the audit wrote no report" >&2; exit 1; }
for lang in en fr; do
  "$tribune" init "$work/init-$lang" --language "$lang" >/dev/null 2>&1
  "$tribune" --root "$work/init-$lang" --now "$now" build --output "$site/init-$lang" \
    --base-url "$base/init-$lang/" >/dev/null
done

node "$repo/tools/check-pages.mjs" "$site" "$port" "$tools" "$chromium"
