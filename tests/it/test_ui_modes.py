"""Issue 5: lessons in the UI: title and progress visible, N/P move on."""
import os
import shutil
import subprocess
import tempfile
import time

from harness import ROOT, SOCKSTEP, Skip


class Tmux:
    def __init__(self, tmp, w=120, h=40):
        if shutil.which("tmux") is None:
            raise Skip("tmux is not installed")
        self.base = ["tmux", "-S", os.path.join(tmp, "sock"), "-f", "/dev/null"]
        self.w, self.h = w, h

    def __call__(self, *args):
        return subprocess.run(self.base + list(args), capture_output=True,
                              text=True, timeout=10).stdout

    def start(self, cmd):
        self("new-session", "-d", "-s", "t", "-x", str(self.w), "-y", str(self.h),
             "-c", ROOT, cmd)

    def screen(self):
        return self("capture-pane", "-p", "-t", "t")

    def wait_for(self, text, timeout=10):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            s = self.screen()
            if text in s:
                return s
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not on screen:\n{self.screen()}")

    def kill(self):
        subprocess.run(self.base + ["kill-server"], capture_output=True, timeout=10)


def test_lesson_title_progress_and_next_lesson_key():
    binary = SOCKSTEP if os.path.isabs(SOCKSTEP) else os.path.join(ROOT, SOCKSTEP)
    with tempfile.TemporaryDirectory() as tmp:
        t = Tmux(tmp)
        try:
            t.start(f"LANG=C.UTF-8 {binary} --no-quiz 1; echo EXIT=$? > {tmp}/rc; sleep 5")
            s = t.wait_for("first exchange", timeout=10)
            t("send-keys", "-t", "t", "n")
            t.wait_for("1/", timeout=5)
            t("send-keys", "-t", "t", "N")
            s = t.wait_for("accept() returns a new socket", timeout=10)
            t("send-keys", "-t", "t", "P")
            t.wait_for("first exchange", timeout=10)
            t("send-keys", "-t", "t", "q")
            end = time.monotonic() + 10
            while not os.path.exists(f"{tmp}/rc") and time.monotonic() < end:
                time.sleep(0.05)
            with open(f"{tmp}/rc") as f:
                assert f.read().strip() == "EXIT=0"
        finally:
            t.kill()


def test_server_mode_ui_shows_the_remote_peer():
    binary = SOCKSTEP if os.path.isabs(SOCKSTEP) else os.path.join(ROOT, SOCKSTEP)
    import json
    import socket
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "rec.jsonl")
        t = Tmux(tmp)
        try:
            t.start(f"LANG=C.UTF-8 {binary} server --port 0 --record {rec}; sleep 5")
            t.wait_for("server", timeout=10)
            for _ in range(3):  # socket, bind, listen
                t("send-keys", "-t", "t", "n")
                time.sleep(0.2)
            t("send-keys", "-t", "t", "a")  # auto-play serves the client
            prt = None
            end = time.monotonic() + 10
            while prt is None and time.monotonic() < end:
                with open(rec) as f:
                    for line in f:
                        e = json.loads(line)
                        if e["kind"] == "call" and e["call"] == "listen":
                            prt = int(e["local"].rsplit(":", 1)[1])
                time.sleep(0.05)
            assert prt, "listen step not recorded"
            s = socket.create_connection(("127.0.0.1", prt), timeout=10)
            s.sendall(b"1")
            s.settimeout(10)
            assert s.recv(100) == b"welcome to server!"
            cport = s.getsockname()[1]
            s.close()
            screen = t.wait_for(str(cport), timeout=10)
            assert "remote" in screen.lower(), screen
            assert str(prt) in screen
        finally:
            t.kill()
