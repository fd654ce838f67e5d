"""Issue 7: diagrams to keep (`sockstep export`) and --filter, on real runs.

The Mermaid and PlantUML exports are checked with their reference tools
when installed, and skipped with a reason otherwise:
  - Mermaid: the `mermaid` and `jsdom` npm packages (parse under node) and
    chromium (render in a browser, as repository pages do).  Found under
    $SOCKSTEP_NODE_MODULES, or `npm root -g`.
  - PlantUML: Debian's `plantuml` (Java).
  - SVG: chromium's headless screenshot.
"""
import atexit
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from harness import Skip, events, free_port, run

SVG_NS = "{http://www.w3.org/2000/svg}"
_tmp = tempfile.mkdtemp(prefix="sockstep-export-")
atexit.register(shutil.rmtree, _tmp, True)
_classic = {}

# Peer data and arguments can hold anything; each line is a valid trace line.
HOSTILE = [
    {"t": 0.5, "kind": "call", "actor": "client", "step": 3, "call": "send",
     "sock": "k", "args": "--> ; # <script>alert('x')</script> \"q\" & %%{init}%% \n@enduml",
     "fd": 3, "ret": -1, "errno": "EPIPE", "local": "127.0.0.1:5000",
     "peer": "127.0.0.1:9001"},
    {"t": 0.6, "kind": "call", "actor": "server", "step": 4, "call": "recv",
     "sock": "c", "args": "len=64", "fd": 4, "ret": 20, "bytes": 20, "unread": 0,
     "data": "-->;#<b>**x**</b>\\x1b", "local": "127.0.0.1:9001",
     "peer": "127.0.0.1:5000"},
]
# What each diagram must show for those lines, character for character.
HOSTILE_TEXT = [
    "send(k, --> ; # <script>alert('x')</script> \"q\" & %%{init}%% \\x0a@enduml) = -1 EPIPE (Broken pipe)",
    "recv(c, len=64) = 20 \"-->;#<b>**x**</b>\\x1b\"...",
]


def is_root():
    return os.geteuid() == 0


def classic_trace():
    """A recorded classic exchange; with packets when we may capture."""
    if "path" not in _classic:
        path = os.path.join(_tmp, "classic.jsonl")
        r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
                "--packets" if is_root() else "--no-packets", "--record", path)
        assert r.returncode == 0, r.stdout + r.stderr
        _classic["path"] = path
        _classic["events"] = events(open(path).read())
    return _classic["path"]


def has_packets():
    classic_trace()
    return any(e["kind"] == "packet" for e in _classic["events"])


def hostile_trace():
    path = os.path.join(_tmp, "hostile.jsonl")
    with open(path, "w") as f:
        for e in HOSTILE:
            f.write(json.dumps(e) + "\n")
    return path


def export(fmt, path, *extra):
    r = run("export", "--format", fmt, *extra, path)
    assert r.returncode == 0, f"export exited {r.returncode}: {r.stderr}"
    return r.stdout


def svg_texts(svg):
    root = ET.fromstring(svg)
    return [t.text for t in root.iter(SVG_NS + "text") if t.text]


# ---- the diagrams ---------------------------------------------------------

def test_mermaid_has_client_and_server_lifelines():
    m = export("mermaid", classic_trace())
    assert m.startswith("sequenceDiagram\n"), m[:80]
    assert re.search(r"^    participant A\d+ as client$", m, re.M), m
    assert re.search(r"^    participant A\d+ as server$", m, re.M), m
    assert "connect(k, 127.0.0.1:" in m


def test_plantuml_is_one_diagram():
    p = export("plantuml", classic_trace())
    assert p.startswith("@startuml\n") and p.endswith("@enduml\n"), p[:80]
    assert p.count("@startuml") == 1 and p.count("@enduml") == 1
    assert re.search(r'^participant "client" as A\d+$', p, re.M)
    assert re.search(r'^participant "server" as A\d+$', p, re.M)


def test_svg_is_well_formed_with_both_lifelines():
    svg = export("svg", classic_trace())
    root = ET.fromstring(svg)
    assert root.tag == SVG_NS + "svg"
    assert int(root.get("width")) > 200 and int(root.get("height")) > 200
    texts = svg_texts(svg)
    assert texts.count("client") == 2 and texts.count("server") == 2, texts
    lifelines = [e for e in root.iter(SVG_NS + "line") if e.get("class") == "life"]
    assert len(lifelines) == 2


def test_svg_shows_the_handshake_arrows():
    if not has_packets():
        raise Skip("no packets in the trace (capture needs root / CAP_NET_RAW)")
    svg = export("svg", classic_trace())
    texts = svg_texts(svg)
    for label in ("S seq 0 ", "S. seq 0 ack 1 ", ". ack 1 "):
        assert any(t.startswith(label) for t in texts), (label, texts)
    arrows = [e for e in ET.fromstring(svg).iter(SVG_NS + "line")
              if (e.get("class") or "").startswith("a ")]
    assert len(arrows) >= 3 and all(e.get("marker-end") for e in arrows)


def test_output_file_and_its_extension():
    out = os.path.join(_tmp, "classic.svg")
    r = run("export", classic_trace(), "-o", out)
    assert r.returncode == 0 and r.stdout == "", r.stderr
    ET.parse(out)


def test_export_filters_what_is_drawn():
    m = export("mermaid", classic_trace(), "--filter", "actor=client")
    assert "as client" in m and "as server" not in m
    assert "->>" not in m
    if has_packets():
        m = export("mermaid", classic_trace(), "--filter", "kind=packet", "--filter", "flags=S")
        assert m.count("->>") == 1 and "Note over" not in m, m


def test_export_bad_usage_is_one_line_and_exit_2():
    for args in (("export",), ("export", "--format", "png", "x.jsonl"),
                 ("export", "--filter", "colour=red", "x.jsonl"),
                 ("export", "--bogus", "x.jsonl"), ("export", "a.jsonl", "b.jsonl")):
        r = run(*args)
        assert r.returncode == 2, (args, r.returncode, r.stderr)
        assert r.stderr.startswith("sockstep: export: ") and r.stderr.count("\n") == 1, r.stderr


def test_export_of_a_missing_or_broken_trace_fails():
    r = run("export", os.path.join(_tmp, "nonexistent.jsonl"))
    assert r.returncode == 1 and "cannot read" in r.stderr
    bad = os.path.join(_tmp, "bad.jsonl")
    with open(bad, "w") as f:
        f.write('{"t":0,"kind":"call",\n')
    out = os.path.join(_tmp, "bad.mmd")
    r = run("export", bad, "-o", out)
    assert r.returncode == 1 and "bad.jsonl:1:" in r.stderr, r.stderr
    assert not os.path.exists(out), "no half-written diagram"


def test_hostile_text_is_escaped():
    path = hostile_trace()
    svg = export("svg", path)
    assert "<script" not in svg
    texts = svg_texts(svg)
    for want in HOSTILE_TEXT:
        assert want in texts, (want, texts)
    m = export("mermaid", path)
    assert "<script" not in m and "-->" not in m and "%%{" not in m
    p = export("plantuml", path)
    assert "<script" not in p and "-->" not in p.split("@startuml", 1)[1].replace(" --> ", "")
    assert p.count("@enduml") == 1


# ---- headless --filter on recorded and live runs -----------------------------

def replay_filtered(path, *filters):
    args = ["replay", path, "--headless", "--format", "jsonl"]
    for f in filters:
        args += ["--filter", f]
    r = run(*args)
    assert r.returncode in (0, 1), r.stderr
    return events(r.stdout)


def test_filter_only_the_clients_calls():
    evs = replay_filtered(classic_trace(), "actor=client", "kind=call")
    assert evs and all(e["actor"] == "client" and e["kind"] == "call" for e in evs)
    assert {"socket", "connect", "send", "recv", "close"} <= {e["call"] for e in evs}


def test_filter_only_errors():
    path = os.path.join(_tmp, "refused.jsonl")
    r = run("client", "--headless", "--format", "jsonl", "--port", str(free_port()),
            "--pause", "0", "--no-packets", "--record", path)
    assert "ECONNREFUSED" in r.stdout, r.stdout + r.stderr
    evs = replay_filtered(path, "errno")
    assert [(e["call"], e["errno"]) for e in evs] == [("connect", "ECONNREFUSED")], evs
    assert replay_filtered(classic_trace(), "errno") == []


def test_filter_only_syn_packets():
    if not has_packets():
        raise Skip("no packets in the trace (capture needs root / CAP_NET_RAW)")
    evs = replay_filtered(classic_trace(), "flags=S")
    assert len(evs) == 1 and evs[0]["kind"] == "packet" and evs[0]["flags"] == "S", evs
    evs = replay_filtered(classic_trace(), "flags~S")
    assert [e["flags"] for e in evs] == ["S", "S."], evs


def test_filter_on_a_live_run_and_bad_filter():
    r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
            "--no-packets", "--filter", "call=connect,accept")
    assert r.returncode == 0, r.stderr
    evs = events(r.stdout)
    assert sorted(e["call"] for e in evs if e["kind"] == "call") == ["accept", "connect"]
    r = run("--headless", "--filter", "colour=red")
    assert r.returncode == 2 and "unknown key 'colour'" in r.stderr


# ---- the reference tools --------------------------------------------------

def node_modules():
    """A node_modules folder holding mermaid and jsdom, or Skip."""
    if shutil.which("node") is None:
        raise Skip("node not installed")
    cands = [os.environ.get("SOCKSTEP_NODE_MODULES", "")]
    if shutil.which("npm"):
        r = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True, timeout=30)
        cands.append(r.stdout.strip())
    for d in cands:
        if d and os.path.isdir(os.path.join(d, "mermaid")) and os.path.isdir(os.path.join(d, "jsdom")):
            return d
    raise Skip("npm packages mermaid and jsdom not found (npm install -g mermaid@11 jsdom, "
               "or set SOCKSTEP_NODE_MODULES)")


MERMAID_PARSE = r"""
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const req = createRequire(process.argv[2] + '/');
const { JSDOM } = req('jsdom');
const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
for (const k of ['DOMParser', 'Element', 'HTMLElement', 'Node'])
  if (!(k in globalThis)) globalThis[k] = dom.window[k];
const mermaid = (await import(pathToFileURL(req.resolve('mermaid')).href)).default;
mermaid.initialize({ startOnLoad: false });
try {
  await mermaid.parse(readFileSync(process.argv[3], 'utf8'));
} catch (e) {
  console.error(String(e.message || e));
  process.exit(1);
}
"""


def test_mermaid_parses_with_mermaid():
    nm = node_modules()
    script = os.path.join(_tmp, "parse.mjs")
    with open(script, "w") as f:
        f.write(MERMAID_PARSE)
    for trace in (classic_trace(), hostile_trace()):
        mmd = os.path.join(_tmp, os.path.basename(trace) + ".mmd")
        with open(mmd, "w") as f:
            f.write(export("mermaid", trace))
        r = subprocess.run(["node", script, nm, mmd], capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, f"{trace}: {r.stderr}"


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise Skip("chromium not installed")


def chromium_run(*args):
    cmd = [chromium(), "--headless", "--disable-gpu", "--no-first-run"]
    if is_root():
        cmd.append("--no-sandbox")
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=120,
                          cwd=_tmp)


def test_mermaid_renders_the_text_exactly_in_a_browser():
    nm = node_modules()
    chromium()
    js = os.path.join(nm, "mermaid", "dist", "mermaid.min.js")
    if not os.path.exists(js):
        raise Skip("mermaid.min.js not found in " + nm)
    src = export("mermaid", hostile_trace())
    page = os.path.join(_tmp, "render.html")
    with open(page, "w") as f:
        f.write('<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
                '<pre id="d"></pre><script src="file://%s"></script><script>'
                'mermaid.initialize({startOnLoad:false});'
                'mermaid.render("g", %s).then(r => {document.getElementById("d").textContent = r.svg;})'
                '.catch(e => {document.getElementById("d").textContent = "ERROR " + e;});'
                '</script></body></html>' % (js, json.dumps(src)))
    r = chromium_run("--virtual-time-budget=15000", "--dump-dom", "file://" + page)
    m = re.search(r'<pre id="d">(.*?)</pre>', r.stdout, re.S)
    assert m and m.group(1), r.stdout[-500:] + r.stderr[-500:]
    import html
    svg = html.unescape(m.group(1))
    assert not svg.startswith("ERROR"), svg
    texts = [t.text for t in ET.fromstring(svg).iter() if t.text and
             (t.tag.endswith("text") or t.tag.endswith("tspan"))]
    for want in HOSTILE_TEXT:
        assert want in texts, (want, texts)


def plantuml_render(puml):
    if shutil.which("plantuml") is None:
        raise Skip("plantuml not installed (Debian package plantuml)")
    r = subprocess.run(["plantuml", "-checkonly", puml], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    r = subprocess.run(["plantuml", "-tsvg", puml], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    # PlantUML draws its own failures into the image with exit status 0.
    svg = open(puml[:-5] + ".svg").read()
    assert "Syntax Error" not in svg and "error has occured" not in svg, svg[:2000]
    return svg


def test_plantuml_checks_and_renders_the_text_exactly():
    puml = os.path.join(_tmp, "classic.puml")
    with open(puml, "w") as f:
        f.write(export("plantuml", classic_trace()))
    plantuml_render(puml)
    puml = os.path.join(_tmp, "hostile.puml")
    with open(puml, "w") as f:
        f.write(export("plantuml", hostile_trace()))
    # With a monospace font PlantUML writes spaces as no-break spaces.
    texts = [t.replace("\xa0", " ") for t in svg_texts(plantuml_render(puml))]
    for want in HOSTILE_TEXT:
        assert want in texts, (want, texts)


def test_svg_screenshot_in_a_browser():
    chromium()
    svg = os.path.join(_tmp, "shot.svg")
    with open(svg, "w") as f:
        f.write(export("svg", classic_trace()))
    root = ET.parse(svg).getroot()
    png = os.path.join(_tmp, "shot.png")
    r = chromium_run("--screenshot=" + png,
                     "--window-size=%s,%s" % (root.get("width"), root.get("height")),
                     "file://" + svg)
    assert os.path.exists(png), r.stderr[-1000:]
    with open(png, "rb") as f:
        data = f.read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000, len(data)


def test_svg_lifelines_and_handshake_arrows_are_drawn_by_a_browser():
    # The SVG inlined in a page; the browser's own layout says whether the
    # two lifelines and the handshake arrows are drawn (visible stroke,
    # non-empty boxes) and which labels the arrows carry.
    chromium()
    trace = classic_trace()
    if not has_packets():
        raise Skip("the recorded trace has no packets (capture needs CAP_NET_RAW)")
    svg = export("svg", trace)
    page = os.path.join(_tmp, "lifelines.html")
    with open(page, "w") as f:
        f.write("<!doctype html><html><body>" + svg[svg.index("<svg"):] + """
<pre id="report"></pre><script>
const drawn = el => { const b = el.getBoundingClientRect(), s = getComputedStyle(el);
  return (b.width > 0 || b.height > 0) && s.stroke !== 'none' && s.visibility !== 'hidden'; };
const lives = [...document.querySelectorAll('line.life')].filter(drawn);
const arrows = [...document.querySelectorAll('line.a')].filter(drawn);
const labels = [...document.querySelectorAll('text')].map(t => t.textContent);
document.getElementById('report').textContent = JSON.stringify(
  {lives: lives.length, arrows: arrows.length, labels: labels});
</script></body></html>""")
    r = chromium_run("--dump-dom", "file://" + page)
    m = re.search(r'<pre id="report">(.*?)</pre>', r.stdout, re.S)
    assert m, r.stdout[-1000:] + r.stderr[-1000:]
    report = json.loads(html.unescape(m.group(1)))
    assert report["lives"] == 2, report
    assert report["arrows"] >= 3, report
    heads = [l for l in report["labels"] if re.match(r"(S|S\.|\.)\s", l)]
    assert heads[:3] and heads[0].startswith("S ") and heads[1].startswith("S. "), heads
    assert "client" in report["labels"] and "server" in report["labels"]
