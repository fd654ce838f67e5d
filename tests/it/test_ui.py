"""The teaching view, driven in tmux the way a teacher drives it: key
presses, then what is on the screen (plain text; colours through -e).

Each test runs sockstep inside its own tmux server (own socket, no user
config) through `sh -c '...; echo EXIT=$?'` so the exit status is known,
polls the screen with bounded waits, and kills the tmux server at the end.
"""
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

import harness

STEP_NAMES = ("socket", "bind", "listen", "accept", "connect", "send", "recv", "close")
BOX_CHARS = "\u2502\u2500\u250c\u2510\u2514\u2518\u25b6\u25c0\u2192\u2026"
SETTLE_S = 0.05  # a frame unchanged this long is taken as whole
ESC_COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-7]|4[0-7]|38;5;\d+|48;5;\d+)[;m]")


class Tmux:
    """One sockstep in one private tmux server."""

    def __init__(self, width, height, args, env=None, wrap=True, cwd=None):
        if shutil.which("tmux") is None:
            raise harness.Skip("tmux is not installed")
        self.dir = tempfile.mkdtemp(prefix="sockstep-ui-")
        self.sock = os.path.join(self.dir, "tmux.sock")
        self.exit_file = os.path.join(self.dir, "exit")
        self.stty_file = os.path.join(self.dir, "stty")
        conf = os.path.join(self.dir, "tmux.conf")
        with open(conf, "w") as f:
            # No status line: the pane gets the whole window.
            f.write("set -g status off\nset -g remain-on-exit on\n")
        e = {"LANG": "C.UTF-8", "LC_ALL": "", "LANGUAGE": "", "NO_COLOR": ""}
        if env:
            e.update(env)
        envs = " ".join(f"{k}={shlex.quote(v)}" for k, v in e.items())
        prog = " ".join(shlex.quote(a) for a in
                        [os.path.abspath(harness.SOCKSTEP), *args])
        # The terminal must be sane again after sockstep: stty says so.
        # The shell ignores Ctrl-C so it can report how sockstep ended.
        cmd = (f"trap '' INT; env {envs} {prog}; rc=$?;"
               f" stty -a > {shlex.quote(self.stty_file)} 2>&1;"
               f" echo EXIT=$rc > {shlex.quote(self.exit_file)}.tmp;"
               f" mv {shlex.quote(self.exit_file)}.tmp {shlex.quote(self.exit_file)}")
        self.conf = conf
        self.tmux("new-session", "-d", "-s", "ui", "-x", str(width), "-y",
                  str(height), "-c", cwd or harness.ROOT, "sh", "-c", cmd)

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-S", self.sock, "-f", self.conf, *args],
                              capture_output=True, text=True, timeout=10,
                              check=check)

    def screen(self, escapes=False):
        args = ["capture-pane", "-p", "-t", "ui"]
        if escapes:
            args.append("-e")
        return self.tmux(*args).stdout

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "ui", *keys)

    def wait_screen(self, pred, timeout=10.0, what="screen"):
        """The first whole screen where pred holds.  Whole: the same on a
        second look SETTLE_S later.  ncurses writes a frame in pieces and
        capture-pane can fall between them (a torn frame: the new title
        over the old panes), which a later assertion would misread."""
        end = time.monotonic() + timeout
        s = ""
        while time.monotonic() < end:
            s = self.screen()
            if pred(s):
                time.sleep(SETTLE_S)
                again = self.screen()
                if again == s:
                    return s
                continue  # still being drawn, or a newer frame: look again
            time.sleep(0.03)
        raise AssertionError(f"{what} not seen within {timeout}s; screen:\n{s}")

    def resize(self, width, height):
        self.tmux("resize-window", "-t", "ui", "-x", str(width), "-y", str(height))

    def exit_status(self, timeout=10.0):
        def read():
            try:
                with open(self.exit_file) as f:
                    return f.read().strip()
            except OSError:
                return None
        return harness.wait_for(read, timeout=timeout)

    def stty(self):
        with open(self.stty_file) as f:
            return f.read()

    def close(self):
        self.tmux("kill-server", check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def sockstep_pids(marker):
    """PIDs of processes whose command line mentions marker."""
    pids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        argv = cmd.split("\0")
        if marker in cmd and os.path.basename(argv[0]) == "sockstep":
            pids.append(int(d))
    return pids


def step_of(screen):
    m = re.search(r"step (\d+) of (\d+)", screen)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def is_done(screen):
    return "| done |" in screen


def press_step(t):
    """Press n and wait until the status bar counts one more step."""
    before = t.screen()
    k, _ = step_of(before)
    t.keys("n")
    return t.wait_screen(lambda s: step_of(s)[0] == k + 1 or is_done(s),
                         timeout=5, what=f"step {k + 1}")


def step_through(t, limit=60):
    """Press n until the status bar says done; every screen seen is kept."""
    screens = [t.screen()]
    for _ in range(limit):
        if is_done(screens[-1]):
            return screens
        before = screens[-1]
        t.keys("n")
        screens.append(t.wait_screen(lambda s: s != before, timeout=5,
                                     what="a change after n"))
        # let the step's report and table arrive; keep a whole frame
        time.sleep(0.05)
        screens.append(t.wait_screen(lambda s: True, timeout=5, what="a whole frame"))
    raise AssertionError("the exchange did not finish after %d presses" % limit)


def ports_from_record(path):
    with open(path) as f:
        evs = harness.events(f.read())
    listen = harness.port(harness.one(evs, "server", "listen")["local"])
    ephemeral = harness.port(harness.one(evs, "client", "connect")["local"])
    steps = [e for e in evs if e["kind"] == "step"]
    return listen, ephemeral, steps


def accepted_row_seen(screens, listen_port):
    """A table showing the listener and the accepted socket, same port."""
    lst = re.compile(r"server fd (\d+)\s+LISTEN\s+127\.0\.0\.1:%d\b" % listen_port)
    acc = re.compile(r"server fd (\d+)\s+ESTABLISHED\s+127\.0\.0\.1:%d\b" % listen_port)
    for s in screens:
        a, b = lst.search(s), acc.search(s)
        if a and b and a.group(1) != b.group(1):
            return True
    return False


def check_width(screen, width, height):
    lines = screen.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert len(lines) <= height, f"{len(lines)} lines in a {height}-line pane"
    for n, line in enumerate(lines):
        assert len(line) <= width, f"line {n} is {len(line)} > {width}: {line!r}"


def quit_cleanly(t, marker):
    t.keys("q")
    assert t.exit_status() == "EXIT=0"
    harness.wait_for(lambda: not sockstep_pids(marker), timeout=5)
    stty = t.stty()
    assert re.search(r"(^|\s)icanon\b", stty) and re.search(r"(^|\s)echo\b", stty), stty


def live_session(width, height):
    t = None
    try:
        rec_dir = tempfile.mkdtemp(prefix="sockstep-rec-")
        rec = os.path.join(rec_dir, "session.jsonl")
        t = Tmux(width, height, ["--port", "0", "--pause", "0", "--record", rec])
        first = t.wait_screen(lambda s: "server" in s and "client" in s,
                              what="the first frame with both panes")
        assert step_of(first) == (0, 15), first
        check_width(first, width, height)
        screens = step_through(t)
        final = screens[-1]
        check_width(final, width, height)
        listen, ephemeral, steps = ports_from_record(rec)
        assert len(steps) == 15
        for name in STEP_NAMES:
            assert re.search(r"\b%s\(" % name, final), f"{name}() not on screen:\n{final}"
        assert re.search(r":%d\b" % listen, final), f"listening port {listen} not shown"
        assert re.search(r":%d\b" % ephemeral, final), f"ephemeral port {ephemeral} not shown"
        assert "welcome to server!" in final
        assert accepted_row_seen(screens, listen), \
            "no table showed the accepted socket with the listener's port"
        quit_cleanly(t, rec_dir)
        return rec, final
    finally:
        if t:
            t.close()


def test_ui_classic_exchange_120x40():
    live_session(120, 40)


def test_ui_classic_exchange_80x24():
    live_session(80, 24)


def test_ui_replay_shows_the_recorded_steps_and_ports():
    rec, _ = live_session(120, 40)
    listen, ephemeral, _ = ports_from_record(rec)
    t = Tmux(120, 40, ["replay", rec])
    try:
        first = t.wait_screen(lambda s: "server" in s and "client" in s,
                              what="the replay's first frame")
        assert "replay" in first
        final = step_through(t)[-1]
        for name in STEP_NAMES:
            assert re.search(r"\b%s\(" % name, final), f"{name}() not in replay"
        assert re.search(r":%d\b" % listen, final)
        assert re.search(r":%d\b" % ephemeral, final)
        assert "welcome to server!" in final
        assert step_of(final) == (15, 15)
        quit_cleanly(t, rec)
    finally:
        t.close()
        shutil.rmtree(os.path.dirname(rec), ignore_errors=True)


def test_ui_too_small_terminal_says_so_and_quits():
    t = Tmux(40, 10, ["--port", "0", "--pause", "0"])
    try:
        s = t.wait_screen(lambda s: "too small" in s, what="the too-small message")
        assert "80x24" in s
        check_width(s, 40, 10)
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_resize_redraws_without_garbage():
    t = Tmux(120, 40, ["--port", "0", "--pause", "0"])
    try:
        t.wait_screen(lambda s: "server" in s and "client" in s)
        for _ in range(6):
            press_step(t)
        time.sleep(0.2)
        for w, h in ((80, 24), (120, 40), (40, 10), (120, 40)):
            t.resize(w, h)
            if w < 80:
                s = t.wait_screen(lambda s: "too small" in s)
            else:
                s = t.wait_screen(
                    lambda s, w=w, h=h: "server" in s and "client" in s and "accept(" in s
                    and len(s.rstrip("\n").split("\n")) == h
                    and "q quit" in s.rstrip("\n").split("\n")[-1]
                    and s.splitlines()[0].startswith(" sockstep:"),
                    what=f"a clean frame at {w}x{h}")
                lines = s.rstrip("\n").split("\n")
                assert len(lines) == h, f"{len(lines)} lines at {w}x{h}"
                assert "q quit" in lines[-1], lines[-1]
                assert "step 6 of 15" in lines[0], lines[0]
            check_width(s, w, h)
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_ascii_and_monochrome_without_utf8_or_colour():
    t = Tmux(100, 30, ["--port", "0", "--pause", "0"],
             env={"LANG": "C", "LC_ALL": "C", "NO_COLOR": "1"})
    try:
        t.wait_screen(lambda s: "server" in s and "client" in s)
        final = step_through(t)[-1]
        assert not any(c in final for c in BOX_CHARS), final
        assert "|" in final and "->" in final
        t.keys("d")
        diagram = t.wait_screen(lambda s: "sequence diagram" in s)
        assert not any(c in diagram for c in BOX_CHARS), diagram
        coloured = t.screen(escapes=True)
        assert not ESC_COLOUR.search(coloured), "colour used with NO_COLOR set"
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_colour_and_box_drawing_by_default():
    t = Tmux(100, 30, ["--port", "0", "--pause", "0"])
    try:
        s = t.wait_screen(lambda s: "server" in s and "client" in s)
        assert "\u2502" in s, "no UTF-8 line drawing in a UTF-8 locale"
        assert ESC_COLOUR.search(t.screen(escapes=True)), "no colour in tmux-256color"
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_blocked_accept_is_shown_live():
    t = Tmux(120, 40, ["--port", "0", "--pause", "0"])
    try:
        t.wait_screen(lambda s: "server" in s)
        for _ in range(4):
            press_step(t)
        t.wait_screen(lambda s: re.search(r"accept\(s\) blocked", s),
                      what="accept shown as blocked")
        # the client's connect completes it, in place
        for _ in range(2):
            press_step(t)
        t.wait_screen(lambda s: "accept(s) = " in s and "accept(s) blocked" not in s,
                      what="accept's result in place of blocked")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_sequence_diagram_and_help_and_restart():
    t = Tmux(120, 40, ["--port", "0", "--pause", "0"])
    try:
        t.wait_screen(lambda s: "server" in s)
        step_through(t)
        t.keys("d")
        s = t.wait_screen(lambda s: "sequence diagram" in s)
        if "no packets captured" not in s:
            # handshake and close, as arrows with tcpdump's flags
            assert re.search(r"\bS seq 0\b", s) or "S. seq 0" in s or "F." in s, s
        t.keys("?")
        t.wait_screen(lambda s: "this help" in s)
        t.keys("x")
        t.wait_screen(lambda s: "this help" not in s)
        t.keys("d", "r")
        s = t.wait_screen(lambda s: "step 0 of 15" in s and "paused" in s,
                          what="a restarted, paused exchange")
        assert "accept(" not in s
        before = t.screen()
        t.keys("n")
        t.wait_screen(lambda s: "socket(" in s and s != before)
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_autoplay_runs_to_the_end():
    t = Tmux(100, 30, ["--port", "0", "--pause", "0"])
    try:
        t.wait_screen(lambda s: "server" in s)
        t.keys("+", "+", "+", "+", "a")
        s = t.wait_screen(is_done, timeout=30, what="auto-play reaching the end")
        assert "close(k)" in s
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_sigterm_restores_the_terminal_and_leaves_no_process():
    rec_dir = tempfile.mkdtemp(prefix="sockstep-sig-")
    t = Tmux(100, 30, ["--port", "0", "--pause", "0", "--record",
                       os.path.join(rec_dir, "r.jsonl")])
    try:
        t.wait_screen(lambda s: "server" in s)
        for _ in range(4):
            press_step(t)
        pids = sockstep_pids(rec_dir)
        assert pids, "sockstep is not running"
        os.kill(min(pids), 15)
        t.exit_status()
        harness.wait_for(lambda: not sockstep_pids(rec_dir), timeout=5)
        stty = t.stty()
        assert re.search(r"(^|\s)icanon\b", stty) and re.search(r"(^|\s)echo\b", stty), stty
    finally:
        t.close()
        shutil.rmtree(rec_dir, ignore_errors=True)


def test_ui_ctrl_c_restores_the_terminal_and_leaves_no_process():
    rec_dir = tempfile.mkdtemp(prefix="sockstep-int-")
    t = Tmux(100, 30, ["--port", "0", "--pause", "0", "--record",
                       os.path.join(rec_dir, "r.jsonl")])
    try:
        t.wait_screen(lambda s: "server" in s)
        for _ in range(4):
            press_step(t)
        assert sockstep_pids(rec_dir), "sockstep is not running"
        t.keys("C-c")
        t.exit_status()
        harness.wait_for(lambda: not sockstep_pids(rec_dir), timeout=5)
        stty = t.stty()
        assert re.search(r"(^|\s)icanon\b", stty) and re.search(r"(^|\s)echo\b", stty), stty
    finally:
        t.close()
        shutil.rmtree(rec_dir, ignore_errors=True)
