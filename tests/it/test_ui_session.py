"""Issue 12 in the teaching view: the title bar says which network the
session uses, and the socket table stays live after the last step: at
80x24 the TIME_WAIT countdown ticks, and when the kernel lets the
connection go the row disappears and the narration says the port is free."""
import os
import re
import shutil
import subprocess
import time

import harness
from test_session import private_or_skip
from test_ui import Tmux, is_done

TW_ROW = re.compile(r"TIME_WAIT\s+127\.0\.0\.1:(\d+)\s+127\.0\.0\.1:(\d+)\s.*?timer (\d+)s")


def run_to_end(t):
    t.wait_screen(lambda s: "server" in s and "client" in s, what="the first frame")
    t.keys("+", "+", "+", "+", "a")
    return t.wait_screen(is_done, timeout=30, what="auto-play reaching the end")


def test_ui_title_bar_says_private_or_host_network():
    private_or_skip()
    for args, said in ((["--port", "0", "--pause", "0"], "private net"),
                       (["--port", "0", "--pause", "0", "--host-net"], "host net")):
        t = Tmux(80, 24, args)
        try:
            s = t.wait_screen(lambda s: "server" in s, what="the first frame")
            assert said in s.splitlines()[0], s.splitlines()[0]
            t.keys("q")
            assert t.exit_status() == "EXIT=0"
        finally:
            t.close()


def test_ui_time_wait_counts_down_after_the_last_step_and_goes_at_80x24():
    ss = shutil.which("ss")
    if os.geteuid() != 0 or ss is None:
        raise harness.Skip("ending a TIME_WAIT early (ss -K) needs root and ss")
    # the host network, so that ss -K (this test's root) reaches the socket
    t = Tmux(80, 24, ["--port", "0", "--pause", "0", "--host-net"])
    try:
        end = run_to_end(t)
        m = t.wait_screen(lambda s: TW_ROW.search(s), timeout=5,
                          what="the TIME_WAIT row with its countdown")
        m = TW_ROW.search(m)
        local, peer, left = int(m.group(1)), int(m.group(2)), int(m.group(3))
        assert 50 <= left <= 60, (left, end)
        # the countdown ticks while nothing else happens
        later = t.wait_screen(lambda s: TW_ROW.search(s) and
                              int(TW_ROW.search(s).group(3)) <= left - 2,
                              timeout=6, what="the countdown going down")
        assert "| done |" in later
        # the kernel lets it go (as after 60 s): the row goes, the narration says so
        subprocess.run([ss, "-K", "-tan", "state", "time-wait", "(", "sport", "=",
                        f":{local}", "and", "dport", "=", f":{peer}", ")"],
                       capture_output=True, timeout=10, check=True)
        gone = t.wait_screen(lambda s: "free again" in s and not TW_ROW.search(s),
                             timeout=5, what="the row gone and the port said free")
        assert f"port {local} is free again" in gone.replace("\n", " ") or \
            f"port {local}" in gone, gone
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def test_ui_r_runs_the_demo_again_on_port_9001():
    private_or_skip()
    # The key says "r runs it again": on the default port, within a second.
    # Private network: a fresh one per run.  Host network: SO_REUSEADDR.
    for extra in ([], ["--host-net"]):
        t = Tmux(100, 30, ["--pause", "0", *extra])
        try:
            run_to_end(t)
            t.keys("a", "r")
            t.wait_screen(lambda s: "step 0 of" in s, timeout=10, what="the restart")
            s = run_to_end(t)
            assert "EADDRINUSE" not in s, s
            assert re.search(r"bind\(s, 127\.0\.0\.1:9001\) = 0", s), s
            t.keys("q")
            assert t.exit_status() == "EXIT=0"
        finally:
            t.close()


def test_ui_sigterm_and_ctrl_c_while_the_client_sleeps_end_within_300ms():
    from test_ui import press_step, sockstep_pids
    import tempfile
    for how in ("SIGTERM", "C-c"):
        marker = tempfile.mkdtemp(prefix="sockstep-fast-")
        t = Tmux(100, 30, ["--port", "0", "--pause", "20", "--record",
                           os.path.join(marker, "r.jsonl")])
        try:
            t.wait_screen(lambda s: "server" in s)
            for _ in range(9):  # up to the client's sleep(20)
                press_step(t)
            t.wait_screen(lambda s: "sleep(20s)" in s, timeout=5, what="the client's pause")
            pids = sockstep_pids(marker)
            assert len(pids) == 3, pids  # sockstep and its two actors
            t0 = time.monotonic()
            if how == "SIGTERM":
                os.kill(min(pids), 15)
            else:
                t.keys("C-c")
            harness.wait_for(lambda: not any(os.path.exists(f"/proc/{p}") for p in pids),
                             timeout=5, step=0.005)
            took = time.monotonic() - t0
            assert took < 0.3, f"{how}: {took * 1000:.0f} ms"
            assert t.exit_status() == "EXIT=130"
        finally:
            t.close()
            shutil.rmtree(marker, ignore_errors=True)
