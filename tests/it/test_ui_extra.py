"""Issue 7 in the teaching view, driven in tmux like the other UI tests:
predict-then-step scored against the kernel, filters and search on a
recorded trace, the export key, presenter mode's big port digits."""
import os
import re
import shutil
import subprocess
import tempfile
import time
import xml.dom.minidom

import harness
from test_ui import Tmux, is_done, press_step, step_of, step_through

# The presenter's 3x5 digits, as src/ui/draw.c draws them ('#' in ASCII).
DIGITS = {
    "0": ["###", "# #", "# #", "# #", "###"],
    "1": [" # ", "## ", " # ", " # ", "###"],
    "2": ["###", "  #", "###", "#  ", "###"],
    "3": ["###", "  #", "###", "  #", "###"],
    "4": ["# #", "# #", "###", "  #", "  #"],
    "5": ["###", "#  ", "###", "  #", "###"],
    "6": ["###", "#  ", "###", "# #", "###"],
    "7": ["###", "  #", "  #", "  #", "  #"],
    "8": ["###", "# #", "###", "# #", "###"],
    "9": ["###", "# #", "###", "  #", "###"],
}
ASCII = {"LANG": "C", "LC_ALL": "C"}


def big(number):
    """The five rows of a number in block digits, one column between."""
    return [" ".join(DIGITS[c][r] for c in str(number)) for r in range(5)]


def has_block(screen, rows, width):
    lines = [l.ljust(width) for l in screen.split("\n")]
    for y in range(len(lines) - len(rows) + 1):
        x = lines[y].find(rows[0])
        while x >= 0:
            if all(lines[y + k][x:x + len(rows[k])] == rows[k] for k in range(len(rows))):
                return True
            x = lines[y].find(rows[0], x + 1)
    return False


def listen_port_on(screen):
    m = re.search(r"server\s+127\.0\.0\.1:(\d+)", screen)
    return int(m.group(1)) if m else None


def step_to_question(t, limit=30):
    """Press n until the question box is up; returns that screen."""
    s = t.screen()
    for _ in range(limit):
        if "Predict, then step: question" in s:
            return s
        before = s
        t.keys("n")
        s = t.wait_screen(lambda x: x != before, timeout=5, what="a change after n")
        time.sleep(0.1)
        s = t.screen()
    raise AssertionError("no question after %d steps:\n%s" % (limit, s))


def record(*args):
    """A headless run recorded to a JSONL file; returns (dir, path)."""
    d = tempfile.mkdtemp(prefix="sockstep-rec-")
    path = os.path.join(d, "trace.jsonl")
    harness.run("--headless", "--record", path, *args)
    with open(path) as f:
        evs = harness.events(f.read())
    return d, path, evs


def replay_done(path, width=100, height=30, cwd=None, env=None):
    t = Tmux(width, height, ["replay", path], cwd=cwd, env=env)
    t.wait_screen(lambda s: "replay" in s, what="the replay's first frame")
    step_through(t)
    return t


def set_filter(t, expr):
    t.keys("f")
    t.wait_screen(lambda s: "filter: " in s and "Enter applies" in s, what="the filter prompt")
    t.keys("C-u")
    t.keys("-l", expr)
    t.keys("Enter")
    return t.wait_screen(lambda s: "| filter " in s, what=f"filter {expr} in the title")


def test_ui_quiz_wrong_then_right_accepted_port():
    t = Tmux(120, 40, ["2", "--port", "0", "--pause", "0"])
    try:
        s = step_to_question(t)
        assert "What local port will the accepted socket have?" in s, s
        port = listen_port_on(s)
        assert port, s
        # a wrong prediction: the kernel's number is shown with the verdict
        t.keys("-l", "1")
        t.wait_screen(lambda x: "your answer: 1_" in x, what="the typed answer")
        t.keys("Enter")
        s = t.wait_screen(lambda x: "Not quite" in x, what="the verdict")
        assert "NOT QUITE" in s and str(port) in s, s
        assert "quiz 0/1" in s, s
        # again from scratch, and this time the listener's port
        t.keys("r")
        t.wait_screen(lambda x: "step 0 of" in x, what="the restart")
        s = step_to_question(t)
        port = listen_port_on(s)
        t.keys("-l", str(port))
        t.keys("Enter")
        s = t.wait_screen(lambda x: "Right!" in x, what="the right verdict")
        assert "RIGHT" in s and "quiz 1/1" in s, s
        for _ in range(60):
            if is_done(t.screen()):
                break
            before = t.screen()
            # the lesson's later questions are skipped: this test is about the first
            t.keys("Escape" if "Predict, then step: question" in before else "n")
            t.wait_screen(lambda x: x != before, timeout=5)
        s = t.wait_screen(lambda x: is_done(x) and re.search(r"1 of \d+ predictions right", x),
                          what="the final score")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_quiz_escape_skips_the_question():
    t = Tmux(100, 30, ["1", "--port", "0", "--pause", "0"])
    try:
        s = step_to_question(t)
        assert "What backlog will the kernel report" in s, s
        k, _ = step_of(s)
        t.keys("Escape")
        s = t.wait_screen(lambda x: "question skipped" in x and step_of(x)[0] == k + 1,
                          what="the step after a skipped question")
        assert "Predict, then step: question" not in s, s
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_quiz_autoplay_waits_for_the_answer():
    t = Tmux(100, 30, ["10", "--port", "0", "--pause", "0"])
    try:
        t.wait_screen(lambda s: "lesson" in s)
        t.keys("+", "+", "+", "+", "a")
        s = t.wait_screen(lambda s: "Predict, then step: question" in s, timeout=20,
                          what="auto-play stopping at the question")
        k, _ = step_of(s)
        time.sleep(1.0)
        assert step_of(t.screen())[0] == k, "auto-play went past the question"
        t.keys("-l", "no")
        t.keys("Enter")
        t.wait_screen(lambda s: "Right!" in s and "quiz 1/1" in s, what="the verdict")
        t.keys("a")
        t.keys("Escape")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_filter_only_the_clients_calls():
    d, path, evs = record("--port", "0", "--pause", "0")
    t = None
    try:
        t = replay_done(path)
        s = t.screen()
        assert "listen(" in s and "connect(" in s
        s = set_filter(t, "actor=client")
        assert "filter actor=client" in s, s
        assert "connect(" in s and "recv(k" in s, s
        assert "listen(" not in s and "accept(" not in s and "bind(" not in s, s
        # a bad filter is an error on the message line, the old one stays
        t.keys("f", "C-u")
        t.keys("-l", "colour=red")
        t.keys("Enter")
        s = t.wait_screen(lambda x: "colour" in x and "Enter applies" not in x,
                          what="the filter's error")
        assert "filter actor=client" in s
        # empty clears
        t.keys("f", "C-u", "Enter")
        s = t.wait_screen(lambda x: "| filter " not in x and "listen(" in x,
                          what="the filter cleared")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        if t:
            t.close()
        shutil.rmtree(d, ignore_errors=True)


def test_ui_filter_only_errors():
    d, path, evs = record("client", "--port", str(harness.free_port()))
    t = None
    try:
        assert any(e["kind"] == "call" and e.get("errno") for e in evs), evs
        t = replay_done(path)
        assert "socket(" in t.screen()
        s = set_filter(t, "errno")
        assert "ECONNREFUSED" in s, s
        assert "socket(" not in s, s
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        if t:
            t.close()
        shutil.rmtree(d, ignore_errors=True)


def test_ui_filter_only_syn_packets():
    d, path, evs = record("--packets", "--port", "0", "--pause", "0")
    t = None
    try:
        if not any(e["kind"] == "packet" for e in evs):
            raise harness.Skip("no packets captured (capture needs CAP_NET_RAW)")
        t = replay_done(path, 120, 40)
        t.keys("d")
        t.wait_screen(lambda s: "sequence diagram" in s)
        s = set_filter(t, "kind=packet flags=S")
        assert re.search(r"\bS seq 0\b", s), s
        assert "S. seq" not in s and "F." not in s and "socket(" not in s, s
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        if t:
            t.close()
        shutil.rmtree(d, ignore_errors=True)


def test_ui_search_highlights_and_scrolls_to_the_match():
    d, path, evs = record("--port", "0", "--pause", "0")
    t = None
    try:
        t = replay_done(path)
        t.keys("/")
        t.wait_screen(lambda s: "search: " in s)
        t.keys("-l", "ACCEPT(")
        t.keys("Enter")
        s = t.wait_screen(lambda s: "match for" in s, what="the match")
        assert re.search(r"accept\(s\) = \d+ \(new fd\) <", s), s
        t.keys("/")
        t.keys("-l", "no-such-text")
        t.keys("Enter")
        t.wait_screen(lambda s: "no match for 'no-such-text'" in s)
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        if t:
            t.close()
        shutil.rmtree(d, ignore_errors=True)


def test_ui_export_key_writes_svg_mermaid_and_html():
    d, path, evs = record("--port", "0", "--pause", "0")
    out = tempfile.mkdtemp(prefix="sockstep-export-")
    t = None
    try:
        t = replay_done(path, cwd=out)
        t.keys("e")
        s = t.wait_screen(lambda s: "wrote sockstep-" in s, what="the export message")
        m = re.search(r"wrote (sockstep-\d+\.svg), (sockstep-\d+\.mmd) and (sockstep-\d+\.html)", s)
        assert m, s
        svg = os.path.join(out, m.group(1))
        doc = xml.dom.minidom.parse(svg)
        assert doc.documentElement.tagName == "svg"
        text = open(svg).read()
        assert "server" in text and "client" in text and "accept" in text
        with open(os.path.join(out, m.group(2))) as f:
            assert f.read().startswith("sequenceDiagram")
        with open(os.path.join(out, m.group(3))) as f:
            page = f.read()
        assert page.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in page
        assert '"call":"accept"' in page and "<svg" in page
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
        # the session's temporary JSONL is gone with the UI
        tmp = os.environ.get("TMPDIR", "/tmp")
        assert not [n for n in os.listdir(tmp) if n.startswith("sockstep-ui-") and
                    os.path.isfile(os.path.join(tmp, n))]
    finally:
        if t:
            t.close()
        shutil.rmtree(d, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)


def present_args():
    """--present when main.c has it, else the p key does the same."""
    r = harness.run("--help")
    return ["--present"] if "--present" in r.stdout else []


def test_ui_presenter_shows_ports_in_big_digits_80x24():
    d = tempfile.mkdtemp(prefix="sockstep-pres-")
    rec = os.path.join(d, "r.jsonl")
    opt = present_args()
    t = Tmux(80, 24, ["--port", "0", "--pause", "0", "--record", rec, *opt], env=ASCII)
    try:
        t.wait_screen(lambda s: "sockstep" in s)
        if not opt:
            t.keys("p")
        t.wait_screen(lambda s: "present" in s, what="presenter mode")
        for _ in range(6):
            press_step(t)
        # accept() and connect() return in either order: the current step
        # shows the accepted socket with the listener or with the client,
        # and either way the listening port and the client's port
        s = t.wait_screen(lambda s: "accepted socket" in s and
                          ("listening socket" in s or "client socket" in s),
                          what="the accepted socket and its counterpart")
        lines = s.rstrip("\n").split("\n")
        assert len(lines) <= 24 and all(len(l) <= 80 for l in lines)
        assert "q quit" in lines[-1]
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
        with open(rec) as f:
            evs = harness.events(f.read())
        listen = harness.port(harness.one(evs, "server", "listen")["local"])
        ephemeral = harness.port(harness.one(evs, "client", "connect")["local"])
        assert has_block(s, big(listen), 80), f"port {listen} not in big digits:\n{s}"
        assert has_block(s, big(ephemeral), 80), f"port {ephemeral} not in big digits:\n{s}"
    finally:
        t.close()
        shutil.rmtree(d, ignore_errors=True)


def test_ui_presenter_key_toggles_back_to_the_panes():
    t = Tmux(100, 30, ["--port", "0", "--pause", "0"])
    try:
        t.wait_screen(lambda s: "server" in s and "client" in s)
        t.keys("p")
        t.wait_screen(lambda s: "present live" in s and "Paused before the first call" in s)
        t.keys("p")
        t.wait_screen(lambda s: "present live" not in s and "owner" in s and
                      "> server" in s, what="the panes again")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()
