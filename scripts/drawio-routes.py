#!/usr/bin/env python3
"""Holds the edge routes of our SVG of a draw.io page against draw.io's own, edge by edge, so a
router change is judged by a count rather than by eye (just routes).

  scripts/drawio-routes.py [-v] FILE[:PAGE_INDEX[:PAGE_NAME]]...

draw.io's side: the page drawn by draw.io's viewer (../shared/tools/drawio-reference/webapp) in
headless Chromium, its DOM read back, each edge's path taken (the hidden wide path draw.io keeps
for hit-testing). Ours: `target/release/dfd-threats analyze FILE --format svg`, each
`data-cell` group's first path. Both become corner lists (curve control points as corners,
straight runs merged); the two are matched by their ends after the most common shift between
them. An edge differs when its corner count or an inner corner (2 px) or an end (10 px: arrow
heads shorten draw.io's paths) differs. Prints one line per file and, with -v, each edge that
differs. The binary: $DFD_THREATS, else $CARGO_TARGET_DIR/release/dfd-threats, else
target/release/dfd-threats. A test and development aid only."""
import base64, html, http.server, json, os, re, socketserver, subprocess, sys, tempfile
import threading, urllib.parse, zlib
import xml.etree.ElementTree as ET
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WEB = os.path.join(ROOT, "..", "shared", "tools", "drawio-reference", "webapp")
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
BIN = os.environ.get("DFD_THREATS", os.path.join(TARGET, "release", "dfd-threats"))


def pages(text):
    out = []
    for body in re.findall(r"<diagram[^>]*>(.*?)</diagram>", text, re.S):
        body = body.strip()
        if not body.startswith("<"):
            body = urllib.parse.unquote(zlib.decompress(base64.b64decode(body), -15).decode())
        out.append(body)
    return out or [text]


def drawio_dom(text, page):
    """draw.io's viewer's DOM of `page` of the diagram `text`."""
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=WEB, **k)
    http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
    srv = socketserver.TCPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{srv.server_address[1]}"
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    cfg = {"highlight": "#0000ff", "nav": False, "resize": False, "toolbar": "", "page": page,
           "xml": text, "lightbox": False, "zoom": 1, "border": 20}
    doc = ("<!DOCTYPE html><html><head><meta charset='utf-8'><script>"
           f"window.STENCIL_PATH='{base}/stencils';window.IMAGE_PATH='{base}/images';"
           f"window.mxBasePath='{base}/mxgraph';window.mxLoadResources=false;"
           "</script></head><body>"
           f"<div class='mxgraph' data-mxgraph=\"{html.escape(json.dumps(cfg))}\"></div>"
           f"<script src='{base}/js/viewer-static.min.js'></script></body></html>")
    with tempfile.NamedTemporaryFile("w", suffix=".html", dir=WEB, delete=False) as f:
        f.write(doc)
    try:
        run = subprocess.run(["timeout", "180", "chromium", "--headless", "--no-sandbox",
                              "--disable-gpu", "--virtual-time-budget=20000", "--dump-dom",
                              f"{base}/{os.path.basename(f.name)}"],
                             capture_output=True, text=True)
        return run.stdout
    finally:
        os.unlink(f.name)
        srv.shutdown()


def numbers(s):
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", s)]


def corners(d):
    """The corners of an SVG path: its points, a curve's control point as the corner it rounds."""
    pts = []
    for cmd, args in re.findall(r"([MLQC])\s*([^MLQCZ]*)", d):
        n = numbers(args)
        if cmd in "MLQ" and len(n) >= 2:
            pts.append((n[0], n[1]))
        elif cmd == "C" and len(n) >= 6:
            pts.append((n[4], n[5]))
    out = []
    for p in pts:
        if out and abs(out[-1][0] - p[0]) < 1.5 and abs(out[-1][1] - p[1]) < 1.5:
            continue
        if len(out) >= 2:
            a, b = out[-2], out[-1]
            cross = (b[0] - a[0]) * (p[1] - b[1]) - (b[1] - a[1]) * (p[0] - b[0])
            lengths = ((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 * \
                ((p[0] - b[0]) ** 2 + (p[1] - b[1]) ** 2) ** 0.5
            if abs(cross) < 0.02 * max(lengths, 1e-9):
                out.pop()
        out.append(p)
    return out


def edge_ids(model):
    root = ET.fromstring(model[model.index("<mxGraphModel"):model.rindex("</mxGraphModel>") + 15])
    ids = []
    for el in root.iter():
        cell = el if el.tag == "mxCell" else el.find("mxCell")
        if el.tag in ("mxCell", "object", "UserObject") and cell is not None \
                and cell.get("edge") == "1" and el.get("id"):
            ids.append(el.get("id"))
    return ids


def compare(path, page, page_name, verbose):
    text = open(path, encoding="utf-8", errors="replace").read()
    model = pages(text)[page]
    select = ["--page", page_name] if page_name else []
    ours_svg = subprocess.run([BIN, "analyze", path, *select, "--format", "svg"],
                              capture_output=True, text=True).stdout
    dom = drawio_dom(text, page)
    theirs = [corners(d) for d in re.findall(
        r'<path d="([^"]*)"[^>]*stroke="white"[^>]*visibility="hidden"', dom)]
    theirs = [t for t in theirs if len(t) >= 2]
    edges = set(edge_ids(model))
    ours = {m.group(1): corners(m.group(2)) for m in re.finditer(
        r'<g[^>]*data-cell="([^"]+)"[^>]*>\s*<path d="([^"]*)"', ours_svg)}
    ours = {e: o for e, o in ours.items() if e in edges and len(o) >= 2}
    shifts = Counter((round(o[i][0] - t[i][0]), round(o[i][1] - t[i][1]))
                     for o in ours.values() for t in theirs for i in (0, -1))
    dx, dy = shifts.most_common(1)[0][0] if shifts else (0, 0)
    theirs = [[(x + dx, y + dy) for x, y in t] for t in theirs]
    distance = lambda a, b: abs(a[0] - b[0]) + abs(a[1] - b[1])
    pairs = sorted((distance(o[0], t[0]) + distance(o[-1], t[-1]), e, j)
                   for e, o in ours.items() for j, t in enumerate(theirs))
    matched, used = {}, set()
    for _, e, j in pairs:
        if e not in matched and j not in used:
            matched[e] = j
            used.add(j)
    near = lambda a, b, tol: abs(a[0] - b[0]) < tol and abs(a[1] - b[1]) < tol
    differ = 0
    for e in sorted(matched):
        o, t = ours[e], theirs[matched[e]]
        same = len(o) == len(t) and all(near(a, b, 2) for a, b in zip(o[1:-1], t[1:-1])) \
            and near(o[0], t[0], 10) and near(o[-1], t[-1], 10)
        if not same:
            differ += 1
            if verbose:
                show = lambda ps: [(round(x, 1), round(y, 1)) for x, y in ps]
                print(f"  {e}\n    draw.io {show(t)}\n    ours    {show(o)}")
    print(f"{path}: {differ} of {len(matched)} edges differ")
    return differ, len(matched)


def main():
    args = [a for a in sys.argv[1:] if a != "-v"]
    if not args:
        sys.exit(__doc__)
    total = [0, 0]
    for arg in args:
        path, _, rest = arg.partition(":")
        index, _, name = rest.partition(":")
        d, n = compare(path, int(index or 0), name, "-v" in sys.argv)
        total = [total[0] + d, total[1] + n]
    print(f"total: {total[0]} of {total[1]} edges differ")


if __name__ == "__main__":
    main()
