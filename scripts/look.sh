#!/usr/bin/env bash
# Renders every example diagram to build/look/*.svg and, with headless Chromium, to *.png, so the
# annotated SVG can be looked at before calling a change done (just look). With the draw.io
# reference renderer (../shared/tools/drawio-reference), also the pairs to hold side by side for
# `--format drawio`: each draw.io example, and two corpus files (a multi-page file, a compressed
# page of nested edges) when ../shared/corpus is there, as draw.io draws the original
# (NAME.drawio-ref.png) and as it draws our annotated copy (NAME.annotated.png); and for the
# `--format svg` of draw.io input, draw.io's picture of a page (NAME.drawio-ref.png) beside our
# SVG of it (NAME.svg.png), for the draw.io examples, corpus files (cloud icons, orthogonal,
# elbow, entity-relation and curved edges, swimlanes upright and on their side, free text, HTML
# tables, rules and runs of emphasis, attack-tree gates, lifelines, embedded PNG icons, rotated
# captions, headings, sequence messages, UML nodes and components, BPMN envelopes) and
# made-up pages of edge routes (scripts/drawio-routes.py compares the routes point by point).
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
# SVG → PNG at the SVG's own size.
shoot() {
    local svg=$1 png=$2 width height
    width=$(sed -n 's/^<svg[^>]* width="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
    height=$(sed -n 's/^<svg[^>]* height="\([0-9.]*\)".*/\1/p' "$svg" | head -1)
    "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
        --window-size="${width%.*},${height%.*}" --screenshot="$png" "file://$PWD/$svg" \
        >/dev/null 2>&1
}
for svg in "$out"/*.svg; do
    shoot "$svg" "${svg%.svg}.png"
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

# The SVG of draw.io input beside draw.io's own picture: name, file, page index, page name.
svg_pairs=(
    "serverless-orders diagrams/serverless-orders.drawio 0 serverless-orders"
    "three-tier-web diagrams/three-tier-web.drawio 0 three-tier-web"
    "corpus-trustoncloud-s3 ../shared/corpus/trustoncloud__threatmodel-for-aws-s3/AWS_S3_DFD.xml 0 -"
    "corpus-trustoncloud-azure ../shared/corpus/trustoncloud__threatmodel-for-azure-storage/AZURE_STORAGE_DFD.xml 0 -"
    "corpus-bhirata-tcc ../shared/corpus/bhirata__tcc/dfd.xml 0 -"
    "corpus-lwd3c-pwn ../shared/corpus/lwd3c__PWN/dfd.drawio 0 -"
    "corpus-davaba86-aws ../shared/corpus/davaba86__portfolio-cloud-projects/aws-architecture.drawio 0 -"
    "corpus-caoh29-netflix ../shared/corpus/caoh29__AWS-Learn/netflixArchitecuralProposal.drawio 0 -"
    "corpus-drawio-aws10 ../shared/corpus/jgraph__drawio/src/main/webapp/templates/cloud/aws/aws_10.xml 0 -"
    "corpus-startleft-aws ../shared/corpus/iriusrisk__startleft/examples/drawio/drawio_aws.drawio 0 -"
    "corpus-azure-data ../shared/corpus/VagnerSilvaSelado__azuredataarchitecture/azure.drawio 0 -"
    "corpus-Mfdsix-dfd-lv0 ../shared/corpus/Mfdsix__DFD/dfd.drawio 0 dfd-lv0"
    "corpus-michenriksen ../shared/corpus/michenriksen__drawio-threatmodeling/examples/dfd.xml 0 -"
    "corpus-cfn-petclinic ../shared/corpus/fergalk__cfn-petclinic-ha/architecture.drawio.xml 0 -"
    "corpus-iimvishu-ai ../shared/corpus/iimVishu__ai-security-capstone/docs/threat-model.drawio 0 -"
    "corpus-voilov-dfd0 ../shared/corpus/b-voilov__startup-management/dfd0.drawio 0 -"
    "corpus-amitkrishna ../shared/corpus/amitkrishna__ThreatModelling-ZG566/DFD.drawio 0 -"
    "corpus-canuski ../shared/corpus/canuski__AdvancedCyberSecurity-Lab2/ThreatModel.drawio 0 -"
    "corpus-bobs-bookstore ../shared/corpus/aws-samples__bobs-used-bookstore-sample/aws-architecture.drawio 0 -"
    "corpus-owasp-onepager ../shared/corpus/OWASP__threat-model-cookbook/Template/BLANK/BLANK-draw.io.onepager.xml 0 -"
    "corpus-erlong15-gcp ../shared/corpus/erlong15__otus-terraform-gcp-pcm/docs/gcp.drawio 0 -"
    "corpus-julie-ng-azure ../shared/corpus/julie-ng__wordpress-on-azure/diagrams/azure-architecture.drawio 0 -"
    "corpus-bkit-dfd ../shared/corpus/Alexxxtentancion__BKIT-Labs/dfd.xml 0 -"
    "corpus-fortimanager ../shared/corpus/40net-cloud__terraform-aws-fortimanager/architecture.drawio 0 -"
    "corpus-uday-ddos ../shared/corpus/UdayRajSingh288__c_webapp_ddos_detection_service/dfd.drawio 0 -"
    "corpus-strange4x ../shared/corpus/strange4x__Iszack/threatmodel.drawio 0 -"
    "corpus-drawio-swimlanes ../shared/corpus/jgraph__drawio/src/main/webapp/templates/basic/swimlanes.xml 0 -"
    "corpus-drawio-authority-matrix ../shared/corpus/jgraph__drawio/src/main/webapp/templates/tables/authority_matrix.xml 0 -"
    "corpus-drawio-cisco1 ../shared/corpus/jgraph__drawio/src/main/webapp/templates/network/cisco_1.xml 0 -"
    "corpus-drawio-archimate ../shared/corpus/jgraph__drawio/src/main/webapp/templates/business/archimate.xml 0 -"
    "corpus-drawio-mindmap ../shared/corpus/jgraph__drawio/src/main/webapp/templates/basic/mindmap.xml 0 -"
    "corpus-drawio-sequence ../shared/corpus/jgraph__drawio/src/main/webapp/templates/basic/sequence.xml 0 -"
    "corpus-drawio-active-directory ../shared/corpus/jgraph__drawio/src/main/webapp/templates/network/active_directory.xml 0 -"
    "corpus-drawio-data-flow-3 ../shared/corpus/jgraph__drawio/src/main/webapp/templates/flowcharts/data_flow_3.xml 0 -"
    "corpus-michenriksen-attacktree ../shared/corpus/michenriksen__drawio-threatmodeling/examples/attacktree.xml 0 -"
    "corpus-drawio-sequence-1 ../shared/corpus/jgraph__drawio/src/main/webapp/templates/uml/sequence_1.xml 0 -"
    "corpus-drawio-component ../shared/corpus/jgraph__drawio/src/main/webapp/templates/software/component.xml 0 -"
    "corpus-drawio-bpmn ../shared/corpus/jgraph__drawio/src/main/webapp/templates/business/bpmn.xml 0 -"
    "edge-routes tests/fixtures/pictures/edge-routes.drawio 0 -"
    "waypoint-routes tests/fixtures/pictures/waypoint-routes.drawio 0 -"
    "corpus-drawio-data-flow-3-elbows ../shared/corpus/jgraph__drawio/src/main/webapp/templates/flowcharts/data_flow_3.xml 0 -"
)
for pair in "${svg_pairs[@]}"; do
    read -r name file page page_name <<<"$pair"
    [ -e "$file" ] || continue
    select=()
    [ "$page_name" != "-" ] && select=(--page "$page_name")
    "$bin" analyze "$file" "${select[@]}" --format svg -o "$out/$name.svg" 2>/dev/null || continue
    shoot "$out/$name.svg" "$out/$name.svg.png"
    "$render" "$file" "$out/$name.drawio-ref.png" "$page" >/dev/null
    echo "$out/$name.drawio-ref.png  $out/$name.svg.png"
done
