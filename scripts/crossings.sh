#!/usr/bin/env bash
# Edge crossings of the computed DOT layout against Graphviz's layout of the same files, one line
# per file (see examples/crossings.rs). Needs Graphviz's `dot` on PATH.
# With no arguments: diagrams/*.dot, the DOT test fixtures and, when ../shared/corpus exists, the
# corpus's DOT files.
set -euo pipefail
cd "$(dirname "$0")/.."
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
    files=(diagrams/*.dot)
    while IFS= read -r f; do files+=("$f"); done < <(find tests/fixtures -name '*.dot' | sort)
    if [ -d ../shared/corpus ]; then
        while IFS= read -r f; do files+=("$f"); done \
            < <(find ../shared/corpus \( -name '*.dot' -o -name '*.gv' \) | sort)
    fi
fi
cargo run --release --quiet --example crossings -- "${files[@]}"
