"""Issue 17: a recorded session as one self-contained web page
(`sockstep export --format html`), checked in a real headless Chromium
(Debian's `chromium`; skipped with the reason when it is not installed).

The page must load from file:// with no console error and no request but
its own, step with the UI's keys, show what the kernel reported (the
accepted socket on the listener's port), check a quiz answer against the
recorded kernel value, and stay inert and well-formed whatever a hostile
trace holds."""
import atexit
import html.parser
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET

from cdp import Browser
from harness import ROOT, events, run

_tmp = tempfile.mkdtemp(prefix="sockstep-html-")
atexit.register(shutil.rmtree, _tmp, True)
_cache = {}

PWN = "console.error('pwned');window.__pwned=1"
# Every field a person reads, each a way out of its context.
NASTY = ["</script><script>" + PWN + "</script>", "<img src=x onerror=\"" + PWN + "\">",
         "javascript:" + PWN, "\"'><svg/onload=" + PWN + ">", "\u2028</SCRIPT\u2029<!--",
         "\x01\x1b[2J\x7f&amp;&lt;", "]]></style><style>body{display:none}</style>"]


def record(*args):
    key = args
    if key not in _cache:
        path = os.path.join(_tmp, "rec%d.jsonl" % len(_cache))
        r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
                "--no-packets", "--record", path, *args)
        assert r.returncode == 0, r.stdout[-500:] + r.stderr
        _cache[key] = path
    return _cache[key]


def page(trace, name=None):
    out = os.path.join(_tmp, (name or os.path.basename(trace)) + ".html")
    r = run("export", "--format", "html", trace, "-o", out)
    assert r.returncode == 0 and r.stderr == "", r.stderr
    return out


class StrictHTML(html.parser.HTMLParser):
    """Every element closed in order, no markup the page does not make."""
    VOID = {"meta", "br", "input", "img", "hr", "link"}
    SVG_LEAVES = {"rect", "line", "path", "text", "marker", "title", "style", "defs", "svg"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.problems, self.scripts = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k.startswith("on") or (v and re.match(r"\s*javascript:", v, re.I)):
                self.problems.append(f"<{tag} {k}={v!r}>")
        if tag == "script":
            self.scripts.append(dict(attrs))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k.startswith("on") or (v and re.match(r"\s*javascript:", v, re.I)):
                self.problems.append(f"<{tag} {k}={v!r}/>")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:]}")
        else:
            self.stack.pop()

    def handle_pi(self, data):
        self.problems.append("processing instruction " + data[:40])

    def unknown_decl(self, data):
        self.problems.append("declaration " + data[:40])


def check_html(text):
    p = StrictHTML()
    p.feed(text)
    p.close()
    assert text.startswith("<!DOCTYPE html>\n"), text[:40]
    assert not p.problems, p.problems[:5]
    assert p.stack == [], p.stack
    # the page's words, the session's events, the script
    assert [s.get("type") for s in p.scripts] == ["application/json"] * 2 + [None], p.scripts
    assert set(p.tags) <= {"html", "head", "meta", "title", "style", "body", "header", "div",
                           "span", "nav", "button", "a", "kbd", "main", "noscript", "p",
                           "section", "ul", "ol", "h2", "table", "thead", "tbody", "tr",
                           "th", "footer", "script", "svg", "defs", "marker", "path", "rect",
                           "line", "text"}, set(p.tags)
    return p


def open_page(path, step=None):
    b = Browser()
    b.load("file://" + path + ("#step-%d" % step if step is not None else ""))
    return b


def counter(b):
    return b.eval("document.getElementById('ss-counter').textContent")


def column_rows(b, side):
    return b.eval("Array.from(document.querySelectorAll('#ss-%s-calls > li')).map("
                  "li => li.textContent)" % side)


# ---- the demo's page ----------------------------------------------------------

def test_html_demo_page_loads_offline_with_no_console_error_and_no_request():
    path = page(record())
    text = open(path, encoding="utf-8").read()
    check_html(text)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text).group(1)
    assert csp.startswith("default-src 'none'; script-src 'sha256-"), csp
    assert "unsafe-inline" not in csp and "http" not in text.split("<svg", 1)[0].replace(
        "http-equiv", ""), "nothing external in the head"
    b = open_page(path)
    try:
        assert "ss-ready" in b.eval("document.body.className"), "the script ran under its CSP"
        nsteps = len([e for e in events(open(record()).read()) if e["kind"] == "step"])
        assert counter(b) == "Step 0 / %d" % nsteps
        assert b.eval("document.querySelectorAll('svg text').length") > 10
        assert b.console() == [], b.console()
        assert b.requests() == ["file://" + path], b.requests()
    finally:
        b.close()


def test_html_next_key_advances_to_the_accepted_socket_on_the_listeners_port():
    trace = record()
    evs = events(open(trace).read())
    listen = next(e for e in evs if e["kind"] == "call" and e["call"] == "listen")
    port = listen["local"].rsplit(":", 1)[1]
    accept = next(e for e in evs if e["kind"] == "call" and e["call"] == "accept")
    assert accept["local"].endswith(":" + port), "the kernel's fact the page must show"
    b = open_page(page(trace))
    try:
        n = int(counter(b).split("/")[1])
        b.key("n", "KeyN", 78)
        assert counter(b) == "Step 1 / %d" % n
        b.key(" ", "Space", 32)
        assert counter(b) == "Step 2 / %d" % n
        b.key("p", "KeyP", 80)
        assert counter(b) == "Step 1 / %d" % n
        for _ in range(n + 2):
            rows = [r for r in column_rows(b, "left") if "accept(s) = " in r]
            if rows:
                break
            b.key("n", "KeyN", 78)
        assert rows, column_rows(b, "left")
        # textContent: the labels and values of the row's facts, run together
        assert "local127.0.0.1:" + port in rows[0] and "ESTABLISHED" in rows[0], rows
        # the listener's port is highlighted as such in the accepted socket's row
        lports = b.eval("Array.from(document.querySelectorAll('#ss-left-calls li.ss-now "
                        ".ss-lport')).map(s => s.textContent)")
        assert port in lports, lports
        table = b.eval("document.getElementById('ss-table-body').textContent")
        assert "127.0.0.1:" + port in table and "ESTABLISHED" in table, table
        b.key("End", "End", 35)
        assert counter(b) == "Step %d / %d" % (n, n)
        b.key("Home", "Home", 36)
        assert counter(b) == "Step 0 / %d" % n
        assert column_rows(b, "left") == ["no call yet"]
        assert b.console() == [], b.console()
    finally:
        b.close()


def test_html_step_link_opens_that_step():
    path = page(record())
    b = open_page(path, step=3)
    try:
        assert counter(b).startswith("Step 3 / "), counter(b)
        assert b.eval("document.getElementById('ss-link').getAttribute('href')") == "#step-3"
        assert any("listen(s, backlog=" in r for r in column_rows(b, "left"))
    finally:
        b.close()


# ---- the quiz -------------------------------------------------------------------

def test_html_quiz_answer_is_checked_against_the_recorded_kernel_value():
    trace = record("2", "--answer", "1")
    evs = events(open(trace).read())
    ans = next(e for e in evs if e["kind"] == "answer")
    assert ans["field"] == "local.port" and ans["value"].isdigit(), ans
    q = next(i for i, e in enumerate(evs) if e["kind"] == "question")
    step_before = len([e for e in evs[:q] if e["kind"] == "step"])
    b = open_page(page(trace), step=step_before)
    try:
        assert b.eval("document.querySelector('.ss-qtext').textContent").startswith(
            "What local port")

        def answer(v):
            return b.eval("(() => { const i = document.querySelector('.ss-q input');"
                          " i.value = %s; i.form.requestSubmit();"
                          " return document.querySelector('.ss-verdict').textContent; })()"
                          % json.dumps(v))
        wrong = answer("1")
        assert wrong.startswith("Not quite.") and ans["value"] in wrong, wrong
        right = answer(ans["value"])
        assert right.startswith("Right!"), right
        b.key("n", "KeyN", 78)
        b.key("p", "KeyP", 80)
        assert b.eval("document.querySelector('.ss-verdict').textContent").startswith("Right!")
        assert b.console() == [], b.console()
    finally:
        b.close()


# ---- a hostile trace --------------------------------------------------------------

def hostile_trace():
    lines = []
    for i, s in enumerate(NASTY):
        short = s[:15]
        lines += [
            {"t": i, "kind": "step", "actor": short, "step": i + 1, "index": i + 1,
             "count": len(NASTY), "text": s},
            {"t": i + .1, "kind": "call", "actor": short, "step": i + 1, "call": short,
             "sock": short, "newsock": short, "args": s, "fd": 3, "ret": -1, "errno": "EPIPE",
             "local": s[:63], "peer": s[:63], "state": "ESTABLISHED"},
            {"t": i + .2, "kind": "socket", "actor": "kernel", "step": i + 1, "local": s[:63],
             "peer": s[:63], "state": "LISTEN", "recv_q": 0, "send_q": 0, "snapshot": i,
             "rows": 1, "owner": {"actor": short, "fd": 3}},
            {"t": i + .3, "kind": "note", "actor": short, "step": i + 1, "level": "warning",
             "text": s},
            {"t": i + .4, "kind": "expect", "actor": short, "step": i + 1, "ok": False, "text": s},
            {"t": i + .5, "kind": "question", "actor": short, "step": i + 2, "index": 1,
             "count": 0, "text": s},
            {"t": i + .6, "kind": "answer", "actor": short, "step": i + 2, "ok": False,
             "text": s, "field": s[:63], "value": s[:63]},
        ]
    path = os.path.join(_tmp, "hostile\".jsonl")
    with open(path, "w") as f:
        for e in lines:
            f.write(json.dumps(e) + "\n")
    return path


def test_html_hostile_trace_runs_no_script_and_stays_valid_html():
    path = page(hostile_trace(), name="hostile")
    text = open(path, encoding="utf-8").read()
    check_html(text)
    # the diagram alone is well-formed XML: no control byte from a name
    svg = run("export", "--format", "svg", hostile_trace())
    assert svg.returncode == 0 and ET.fromstring(svg.stdout).tag.endswith("svg")
    data = text.split('<script type="application/json" id="ss-data">', 1)[1].split("</script>")[0]
    assert not re.search(r"[<>&\u2028\u2029]", data)
    json.loads(data)
    b = open_page(path)
    try:
        for k in range(len(NASTY) + 1):
            if k:
                b.key("n", "KeyN", 78)
            # only the page's own elements: nothing from the trace became markup
            assert b.eval("document.querySelectorAll('script').length") == 3
            assert b.eval("document.querySelectorAll('img, iframe, object, embed, a[href^=j], "
                          "svg svg, svg foreignObject').length") == 0
            # the page's style sheet and the diagram's
            assert b.eval("document.querySelectorAll('style').length") == 2
            assert b.eval("Array.from(document.querySelectorAll('*')).filter(e => "
                          "Array.from(e.attributes).some(a => /^on/i.test(a.name)))"
                          ".length") == 0
            assert b.eval("typeof window.__pwned") == "undefined"
        body = b.eval("document.body.textContent")
        for s in NASTY[:4]:
            assert s in body, s  # shown as text, character for character
        assert "\\x1b[2J" in body and "\x1b" not in body
        assert b.eval("getComputedStyle(document.body).display") == "block"
        assert b.console() == [], b.console()
        assert len(b.requests()) == 1, b.requests()
    finally:
        b.close()


# ---- size and errors ----------------------------------------------------------------

def test_html_page_of_a_lesson_is_small_and_grows_linearly():
    trace = record("12")
    one = os.path.getsize(page(trace, "one"))
    assert one < 1024 * 1024, one
    double = os.path.join(_tmp, "double.jsonl")
    with open(double, "w") as f:
        f.write(open(trace).read() * 2)
    two = os.path.getsize(page(double, "two"))
    assert two - one <= 2 * os.path.getsize(trace), (one, two, os.path.getsize(trace))


def test_html_export_of_a_broken_trace_fails_with_one_line_and_no_file():
    bad = os.path.join(_tmp, "broken.jsonl")
    with open(bad, "w") as f:
        f.write('{"t":0,"kind":"step","actor":null,"step":1,"index":1,"count":1,"text":"x"}\n'
                '{"t":0,"kind":"call",\n')
    out = os.path.join(_tmp, "broken.html")
    r = run("export", bad, "-o", out)
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "broken.jsonl:2:" in r.stderr
    assert not os.path.exists(out)
    r = run("export", "--format", "htm", bad)
    assert r.returncode == 2 and "svg or html" in r.stderr


def test_html_is_picked_by_the_output_name():
    out = os.path.join(_tmp, "picked.html")
    r = run("export", record(), "-o", out)
    assert r.returncode == 0, r.stderr
    assert open(out).read().startswith("<!DOCTYPE html>")
    assert ROOT
