# Recipes wrapping cargo. `just` is optional: README's commands are plain cargo.

default:
    @just --list

# Run every test (unit, integration, snapshots, corpus when ../shared exists).
test:
    cargo test

# What CI runs.
ci:
    bash .ci/run

# Review changed snapshots under snapshots/ (needs cargo-insta: cargo install cargo-insta).
review:
    cargo insta test --review

# Analyse every example diagram into build/examples (JSON and text).
examples:
    mkdir -p build/examples
    for f in diagrams/*.dot diagrams/*.drawio; do \
        [ -e "$f" ] || continue; \
        name=$(basename "$f"); \
        cargo run --release --quiet -- analyze "$f" --format json -o "build/examples/$name.json"; \
        cargo run --release --quiet -- analyze "$f" -o "build/examples/$name.txt"; \
    done

# Benchmarks: parse + analyse + export on synthetic diagrams (figures go in BENCHMARKS.md).
bench:
    cargo bench --bench pipeline

# Each stage of `analyze --format svg` timed alone (wall and CPU) on a synthetic DOT diagram of N
# elements: import, analysis + threats, layout, SVG (BENCHMARKS.md, issue 12's "layout + SVG").
phases N="10000":
    cargo run --release --quiet --example phases -- {{N}}

# Regenerate the annotated diagrams and reports of diagrams/ into build/docs (what a docs build does).
docs:
    cargo run --release --quiet -- analyze diagrams --out-dir build/docs --format svg,json,markdown

# Fuzz one target for SECONDS (needs cargo-fuzz: cargo install cargo-fuzz). Targets: dot, drawio, models, pipeline.
# Seeds: the examples, the rule fixtures and fuzz/seeds (hostile shapes); fuzz/dict/TARGET.dict guides it.
fuzz TARGET SECONDS="60":
    mkdir -p fuzz/corpus/{{TARGET}}
    cargo fuzz run -s none {{TARGET}} fuzz/corpus/{{TARGET}} diagrams tests/fixtures/rules fuzz/seeds -- -dict=fuzz/dict/{{TARGET}}.dict -max_total_time={{SECONDS}}

# Render every example to build/look/*.svg and *.png (headless Chromium), and draw.io's own rendering
# of each draw.io example (and two corpus files) beside its --format drawio copy, to look at them.
look:
    bash scripts/look.sh

# Edge routes of our SVG of draw.io pages against draw.io's own, edge by edge (needs chromium and
# ../shared/tools/drawio-reference): the made-up route pages by default, -v for each difference.
routes *ARGS="tests/fixtures/pictures/waypoint-routes.drawio tests/fixtures/pictures/edge-routes.drawio":
    cargo build --release --quiet
    python3 scripts/drawio-routes.py {{ARGS}}

# Check that every dependency's licence allows shipping under MIT OR Apache-2.0 (needs cargo-deny).
licenses:
    cargo deny check licenses

# Edge crossings of the DOT layout against Graphviz's, per file (needs graphviz); default: the
# examples, the DOT fixtures and the corpus when ../shared exists.
crossings *FILES:
    bash scripts/crossings.sh {{FILES}}
