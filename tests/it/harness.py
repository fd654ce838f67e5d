"""Helpers for the binary's tests: run sockstep, parse its JSONL trace,
free ports, bounded waits, and no process left behind."""
import json
import os
import signal
import socket
import subprocess
import time

SOCKSTEP = os.environ.get("SOCKSTEP", "build/sockstep")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_procs = []


class Skip(Exception):
    pass


def run(*args, timeout=60, input=None, env=None):
    """Run sockstep to completion; returns CompletedProcess (text)."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([SOCKSTEP, *args], capture_output=True, text=True,
                          timeout=timeout, input=input, env=e, cwd=ROOT)


def start(*args, env=None):
    """Start sockstep in the background (stdout piped); reaped by cleanup()."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.Popen([SOCKSTEP, *args], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env=e, cwd=ROOT,
                         start_new_session=True)
    _procs.append(p)
    return p


def spawn(argv, **kw):
    p = subprocess.Popen(argv, start_new_session=True, **kw)
    _procs.append(p)
    return p


def cleanup():
    for p in _procs:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            p.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
    _procs.clear()


def events(text):
    """Parse a JSONL trace; every line must be a JSON object."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            obj = json.loads(line)
            assert isinstance(obj, dict), f"line {n} is not an object"
            out.append(obj)
    return out


def calls(evs, actor=None, call=None):
    return [e for e in evs if e["kind"] == "call"
            and (actor is None or e["actor"] == actor)
            and (call is None or e["call"] == call)]


def one(evs, actor, call):
    c = calls(evs, actor, call)
    assert len(c) == 1, f"expected one {actor} {call}, got {len(c)}"
    return c[0]


def port(addr):
    return int(addr.rsplit(":", 1)[1])


def free_port():
    """A port nothing listens on now (bound then released)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def ephemeral_range():
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        lo, hi = f.read().split()
    return int(lo), int(hi)


def wait_for(pred, timeout=10.0, step=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise AssertionError("condition not met within %.1fs" % timeout)


def read_until(proc, pred, timeout=10.0):
    """Read JSONL lines from a running sockstep until pred(event) holds."""
    import selectors
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    got = []
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not sel.select(timeout=max(0, end - time.monotonic())):
            break
        line = proc.stdout.readline()
        if not line:
            break
        ev = json.loads(line)
        got.append(ev)
        if pred(ev):
            return got
    raise AssertionError(f"event not seen within {timeout}s; got {len(got)} events")


def rest(proc, timeout=20.0):
    """(stdout, stderr) to the end, read through the same buffered readers
    as read_until: sockstep writes what one pump delivered in one go, so
    lines after the one read_until wanted may already sit in the reader's
    buffer, where communicate() (which reads the pipe) would lose them.
    The process is killed after timeout seconds."""
    import threading
    killer = threading.Timer(timeout, proc.kill)
    killer.start()
    try:
        out = proc.stdout.read()
        err = proc.stderr.read() if proc.stderr else ""
        proc.wait()
    finally:
        killer.cancel()
    return out, err


def children_of(pid):
    """PIDs whose parent is pid (to check nothing is left behind)."""
    kids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    st = f.read()
                if int(st.rsplit(")", 1)[1].split()[1]) == pid:
                    kids.append(int(d))
            except (OSError, ValueError, IndexError):
                pass
    return kids


def listening(port_no):
    """Is anything listening on 127.0.0.1:port_no (per /proc/net/tcp)?"""
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(path) as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                local, state = parts[1], parts[3]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port_no:
                    return True
    return False
