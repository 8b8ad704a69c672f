#!/usr/bin/env bash
# Renders every example diagram to build/look/*.svg and, with headless Chromium, to *.png, so the
# annotated SVG can be looked at before calling a change done (just look). With the draw.io
# reference renderer (../shared/tools/drawio-reference), also the pairs to hold side by side for
# `--format drawio`: each draw.io example, and two corpus files (a multi-page file, a compressed
# page of nested edges) when ../shared/corpus is there, as draw.io draws the original
# (NAME.drawio-ref.png) and as it draws our annotated copy (NAME.annotated.png).
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/look
mkdir -p "$out"
cargo build --release --quiet
bin=target/release/dfd-threats
"$bin" analyze diagrams --out-dir "$out" --format svg
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
render=../shared/tools/drawio-reference/render
if [ ! -x "$render" ]; then
    echo "look: no draw.io reference renderer at $render; skipping the --format drawio pairs" >&2
    exit 0
fi
# name, file, page index
pairs=(
    "serverless-orders diagrams/serverless-orders.drawio 0"
    "three-tier-web diagrams/three-tier-web.drawio 0"
    "corpus-Mfdsix-dfd-page2 ../shared/corpus/Mfdsix__DFD/dfd.drawio 1"
    "corpus-bhirata-tcc ../shared/corpus/bhirata__tcc/dfd.xml 0"
)
for pair in "${pairs[@]}"; do
    read -r name file page <<<"$pair"
    [ -e "$file" ] || continue
    "$bin" analyze "$file" --format drawio -o "$out/$name.annotated.drawio" 2>/dev/null
    "$render" "$file" "$out/$name.drawio-ref.png" "$page" >/dev/null
    "$render" "$out/$name.annotated.drawio" "$out/$name.annotated.png" "$page" >/dev/null
    echo "$out/$name.drawio-ref.png  $out/$name.annotated.png"
done
