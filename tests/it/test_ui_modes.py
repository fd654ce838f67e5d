"""Issues 3 and 5: lessons in the UI (title, progress, N/P) and the
one-sided server mode with its remote peer."""
import json
import os
import socket
import tempfile
import time

from test_ui import Tmux


def test_lesson_title_progress_and_next_lesson_key():
    t = Tmux(120, 40, ["--no-quiz", "1"])
    try:
        t.wait_screen(lambda s: "first exchange" in s, what="lesson 1's title")
        t.keys("n")
        t.wait_screen(lambda s: "1/" in s, what="step 1 of n")
        t.keys("N")
        t.wait_screen(lambda s: "accept() returns a new socket" in s, what="lesson 2")
        t.keys("P")
        t.wait_screen(lambda s: "first exchange" in s, what="lesson 1 again")
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


def listen_port(record):
    try:
        with open(record) as f:
            for line in f:
                e = json.loads(line)
                if e["kind"] == "call" and e["call"] == "listen":
                    return int(e["local"].rsplit(":", 1)[1])
    except (OSError, ValueError):
        pass
    return None


def test_server_mode_ui_shows_the_remote_peer():
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "rec.jsonl")
        t = Tmux(120, 40, ["server", "--port", "0", "--record", rec])
        try:
            t.wait_screen(lambda s: "server" in s)
            for _ in range(3):  # socket, bind, listen
                t.keys("n")
                time.sleep(0.2)
            t.keys("a")  # auto-play serves the client
            end = time.monotonic() + 10
            while listen_port(rec) is None and time.monotonic() < end:
                time.sleep(0.05)
            prt = listen_port(rec)
            assert prt, "listen step not recorded"
            s = socket.create_connection(("127.0.0.1", prt), timeout=10)
            s.sendall(b"1")
            s.settimeout(10)
            assert s.recv(100) == b"welcome to server!"
            cport = s.getsockname()[1]
            s.close()
            screen = t.wait_screen(lambda sc: str(cport) in sc, what="the client's port")
            assert "remote" in screen.lower(), screen
            assert str(prt) in screen
        finally:
            t.close()
