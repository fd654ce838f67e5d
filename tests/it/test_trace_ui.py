"""sockstep trace in the teaching view, driven in tmux: the learner's own
programs wait before their first socket call, Space lets the next waiting
call run, a call that waits in the kernel is shown blocked, live, until
the kernel returns, and quitting leaves no process behind."""
import os
import re
import time

import harness
from test_ui import Tmux

EX = os.path.join(harness.ROOT, "build", "examples")


def press_until(t, key, pred, what, presses=12):
    """Press key until pred(screen) holds (each press waited for)."""
    for _ in range(presses):
        s = t.screen()
        if pred(s):
            return s
        t.keys(key)
        try:
            return t.wait_screen(pred, timeout=0.6, what=what)
        except AssertionError:
            continue
    return t.wait_screen(pred, timeout=2, what=what)


def test_trace_ui_paused_then_accept_blocked_until_the_client_connects():
    prt = harness.free_port()
    t = Tmux(120, 40, ["trace", "--no-packets", "--server", f"{EX}/server {prt}",
                       "--client", f"{EX}/client {prt} 0"])
    try:
        first = t.wait_screen(lambda s: "socket(AF_INET, SOCK_STREAM)" in s and "paused" in s,
                              what="the program stopped at its first call")
        # paused before the first call: socket() is shown waiting, not done
        assert "fd3 = socket" not in first, first
        assert not harness.listening(prt)
        # Tab back round to the server's pane: Space steps the server
        for _ in range(4):
            t.keys("Tab")
        t.wait_screen(lambda s: "server's next call" in s, what="the server picked")
        s = press_until(t, "Space", lambda s: "listen(fd3, backlog=5) = 0" in s, "listen")
        # two traced programs: their own network where the kernel allows
        # it (the header says which); the host sees the listener only on
        # the host's
        assert ("private net" in s) != harness.listening(prt), s
        s = press_until(t, "Space", lambda s: re.search(r"accept\(fd3\) blocked", s),
                        "accept shown blocked")
        assert "fd4 = accept" not in s
        # it stays blocked: the client has not connected
        time.sleep(0.5)
        s = t.wait_screen(lambda s: re.search(r"accept\(fd3\) blocked", s), what="still blocked")
        assert "fd4 = accept" not in s
        # the client's side: socket, then connect, and accept returns in place
        t.keys("Tab")
        t.wait_screen(lambda s: "> client" in s, what="the client picked")
        s = press_until(t, "Space", lambda s: "fd4 = accept(fd3) = 4" in s,
                        "accept's result once the client connected")
        assert re.search(r"connect\(fd3, 127\.0\.0\.1:%d\) = 0" % prt, s), s
        assert not re.search(r"accept\(fd3\) blocked", s), s
        # c: the rest runs free, the reply reaches the client
        t.keys("c")
        t.wait_screen(lambda s: "welcome to server!" in s and "| done |" in s,
                      timeout=10, what="the exchange run free to its end")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
        harness.wait_for(lambda: not harness.listening(prt), timeout=5)
    finally:
        t.close()
