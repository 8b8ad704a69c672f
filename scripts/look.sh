#!/usr/bin/env bash
# Renders every example diagram to build/look/*.svg and, with headless Chromium, to *.png, so the
# annotated SVG can be looked at before calling a change done (just look).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/look
mkdir -p "$out"
cargo run --release --quiet -- analyze diagrams --out-dir "$out" --format svg
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$chromium" ]; then
    echo "look: no chromium found (apt-get install -y chromium); the SVGs are in $out" >&2
    exit 0
fi
for svg in "$out"/*.svg; do
    width=$(sed -n 's/^<svg[^>]* width="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
    height=$(sed -n 's/^<svg[^>]* height="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --window-size="${width%.*},${height%.*}" --screenshot="${svg%.svg}.png" "file://$PWD/$svg" \
        >/dev/null 2>&1
    echo "$out/$(basename "${svg%.svg}.png")"
done
