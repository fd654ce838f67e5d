#!/usr/bin/env python3
"""bench/ui_keys: from a key press to the frame that shows that step's result.

Runs the sockstep UI (the classic exchange, table on) on a pseudo-terminal
of 120x40, presses `n` for each step and times the terminal output that
follows: the latency of a step is from the key press to the last byte of
the burst of frames it caused (the call's result, the kernel table,
narration), a burst ending when the terminal is quiet for QUIET seconds.
A step that blocks (accept, recv) ends its burst with the frame showing it
blocked.  The next key is pressed once the terminal is quiet.

usage: ui_keys.py SOCKSTEP [STEPS]
Prints one line:
  steps N median_ms X p90_ms Y max_ms Z shown K
`shown` counts the steps whose burst carried the call's name (the frame
showed the step), read from the bytes with escape sequences removed.
"""
import fcntl
import os
import pty
import re
import select
import signal
import socket
import struct
import sys
import termios
import time

QUIET = 0.25      # seconds without output that end a burst
STEP_WAIT = 5.0   # a burst longer than this is cut (a bug, not a figure)
ROWS, COLS = 40, 120
CSI = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78M]|\][^\x07]*\x07)")
CALLS = [b"socket(", b"bind(", b"listen(", b"accept(", b"connect(",
         b"setsockopt(", b"recv(", b"sleep(", b"send(", b"close("]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def read_burst(fd, first_timeout):
    """Bytes until QUIET seconds of silence; (bytes, time of the last byte)."""
    out = b""
    last = None
    deadline = time.monotonic() + STEP_WAIT
    timeout = first_timeout
    while time.monotonic() < deadline:
        r, _, _ = select.select([fd], [], [], timeout)
        if not r:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        last = time.monotonic()
        timeout = QUIET
    return out, last


def main():
    if len(sys.argv) < 2:
        print("usage: ui_keys.py SOCKSTEP [STEPS]", file=sys.stderr)
        return 2
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 14
    argv = [sys.argv[1], "--port", str(free_port()), "--pause", "0"]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execv(argv[0], argv)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    lat = []
    shown = 0
    try:
        read_burst(fd, 5.0)  # the first frame
        for _ in range(steps):
            t0 = time.monotonic()
            os.write(fd, b"n")
            out, last = read_burst(fd, 2.0)
            if last is None:
                continue
            lat.append((last - t0) * 1000)
            if os.environ.get("UI_KEYS_DEBUG"):
                shown_text = CSI.sub(b"", out)[:150]
                print(f"{lat[-1]:7.1f} ms {shown_text!r}", file=sys.stderr)
            text = CSI.sub(b"", out)
            shown += any(c in text for c in CALLS)
        os.write(fd, b"q")
        read_burst(fd, 1.0)
    finally:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    if not lat:
        print("ui_keys: no frame came back", file=sys.stderr)
        return 1
    lat.sort()
    med = lat[len(lat) // 2]
    p90 = lat[min(len(lat) - 1, int(len(lat) * 0.9))]
    print(f"steps {len(lat)} median_ms {med:.1f} p90_ms {p90:.1f} "
          f"max_ms {lat[-1]:.1f} shown {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
