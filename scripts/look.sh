#!/usr/bin/env bash
# Renders every example diagram to build/look/*.svg and, with headless Chromium, to *.png, so
# the annotated SVG can be looked at (just look). Uses the example binary until the CLI's
# --format svg lands; set DFD_LOOK_CLI=1 to go through the CLI instead.
set -euo pipefail
cd "$(dirname "$0")/.."
out=build/look
mkdir -p "$out"
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}

svgs=()
for f in diagrams/*.dot diagrams/*.drawio; do
    [ -e "$f" ] || continue
    name=$(basename "$f")
    if [ "${DFD_LOOK_CLI:-0}" = 1 ]; then
        cargo run --release --quiet -- analyze "$f" --format svg -o "$out/${name}.svg"
        svgs+=("$out/${name}.svg")
    else
        # One file per diagram; name them after the input, extension included, so the DOT and
        # draw.io twins do not overwrite each other.
        mkdir -p "$out/$name.d"
        while IFS= read -r svg; do
            target="$out/${name}$(basename "$svg" | sed 's/^[^.]*//')"
            mv "$svg" "$target"
            svgs+=("$target")
        done < <(cargo run --release --quiet --example render_svg -- "$f" "$out/$name.d")
        rmdir "$out/$name.d"
    fi
done

if [ -z "$chromium" ]; then
    echo "look: no chromium found (apt-get install -y chromium); SVGs are in $out" >&2
    exit 0
fi
for svg in "${svgs[@]}"; do
    width=$(sed -n 's/^<svg[^>]* width="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
    height=$(sed -n 's/^<svg[^>]* height="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
    png="${svg%.svg}.png"
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --screenshot="$PWD/$png" --window-size="${width%.*},${height%.*}" \
        "file://$PWD/$svg" >/dev/null 2>&1
    echo "$png"
done
