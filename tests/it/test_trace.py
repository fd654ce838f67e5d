"""Issue 11: sockstep trace.  The learner's own programs, run under the
tracer: every socket call as the kernel saw it and answered it, with the
kernel's view of the socket after it.  Real programs (examples/), real
loopback sockets, free ports, bounded waits, nothing left behind."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from harness import (ROOT, SOCKSTEP, Skip, calls, ephemeral_range, events,
                     free_port, listening, one, port, read_until, run, start,
                     wait_for)

PY = sys.executable  # the interpreter itself, not a shell shim
EX = os.path.join(ROOT, "build", "examples")
SEED = os.path.join(ROOT, "examples", "seed")


def trace(*args, timeout=60):
    r = run("trace", "--headless", "--format", "jsonl", *args, timeout=timeout)
    return r, events(r.stdout)


def processes_with(word):
    """PIDs whose command line holds word (a unique port number)."""
    found = []
    for d in os.listdir("/proc"):
        if d.isdigit() and int(d) != os.getpid():
            try:
                with open(f"/proc/{d}/cmdline", "rb") as f:
                    if word.encode() in f.read():
                        found.append(int(d))
            except OSError:
                pass
    return found


def assert_nothing_left(prt):
    """No traced process and no listener remain on port prt."""
    wait_for(lambda: not processes_with(str(prt)) and not listening(prt), timeout=5)


def pids(evs, actor, call):
    return {e["pid"] for e in calls(evs, actor, call)}


def network(evs):
    """The session's network note: "network: private (...)" or "host"."""
    said = [e["text"] for e in evs if e["kind"] == "note" and e["text"].startswith("network:")]
    assert len(said) == 1, said
    return said[0]


def private_or_skip(evs):
    """Where the kernel (or a container) refuses namespaces, sockstep says
    why and traces on the host network (tested below): skip there."""
    if not network(evs).startswith("network: private"):
        raise Skip(f"no private network on this machine ({network(evs)})")


def tutorial_pair(*opts, env=None):
    prt = free_port()
    r = run("trace", "--headless", "--format", "jsonl", *opts,
            "--server", f"{PY} {SEED}/server.py {prt}",
            "--client", f"{PY} {SEED}/client.py {prt} 0", timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    return r, events(r.stdout), prt


def test_trace_tutorial_python_pair_shows_accept4_and_the_same_port():
    r, evs, prt = tutorial_pair()
    assert_tutorial_pair(evs, prt)


def assert_tutorial_pair(evs, prt):
    listener = one(evs, "server", "listen")
    acc = one(evs, "server", "accept4")  # Python's accept() is accept4
    assert port(listener["local"]) == prt
    # the tutorial's claim disproved: the accepted socket has the same port
    assert acc["ret"] != listener["fd"] and acc["fd"] == listener["fd"]
    assert acc["local"] == listener["local"] and acc["state"] == "ESTABLISHED"
    # the client's ephemeral port, from its kernel, is the accepted peer
    conn = one(evs, "client", "connect")
    lo, hi = ephemeral_range()
    assert lo <= port(conn["local"]) <= hi
    assert acc["peer"] == conn["local"] and conn["peer"] == acc["local"]
    # settimeout makes the socket non-blocking: connect says EINPROGRESS
    assert conn["errno"] == "EINPROGRESS" and conn["ret"] == -1
    assert any("FIONBIO" in (e["args"] or "") for e in calls(evs, "client", "ioctl"))
    assert calls(evs, "client", "poll"), "settimeout waits in poll"
    reply = one(evs, "client", "recvfrom")
    assert reply["data"] == "welcome to server!" and reply["bytes"] == 18
    assert one(evs, "server", "sendto")["data"] == "welcome to server!"
    assert one(evs, "server", "recvfrom")["data"] == "1"
    # every event of a traced program carries its pid; output is captured
    assert all(e.get("pid") for e in evs if e["kind"] in ("call", "process", "output"))
    out = [e["text"] for e in evs if e["kind"] == "output" and e["actor"] == "client"]
    assert "welcome to server!" in out
    assert_nothing_left(prt)


# ---- which network: both ends traced, a private one; one program, the host's

def test_two_program_trace_runs_in_a_private_network():
    r, evs, prt = tutorial_pair()
    private_or_skip(evs)
    assert_tutorial_pair(evs, prt)
    assert r.stderr.strip() == "", r.stderr


def gated_client(prt, flag):
    """A client line that waits (bounded) until the test creates flag."""
    return (f"i=0; while [ ! -e {flag} ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; "
            f"{EX}/client {prt} 0")


def listening_session(prt, *opts, env=None):
    """A two-program trace whose server listens on prt while its client
    waits for the test: (process, flag file, events so far)."""
    flag = os.path.join(tempfile.mkdtemp(prefix="sockstep-test-"), "go")
    p = start("trace", "--headless", "--format", "jsonl", *opts,
              "--server", f"{EX}/server {prt}", "--client", gated_client(prt, flag), env=env)
    got = read_until(p, lambda e: e.get("call") == "listen", timeout=20)
    return p, flag, got


def finish(p, flag, got):
    open(flag, "w").close()
    out, err = p.communicate(timeout=30)
    shutil.rmtree(os.path.dirname(flag))
    assert p.returncode == 0, err
    evs = got + events(out)
    assert one(evs, "client", "read")["data"] == "welcome to server!"
    return evs, err


def test_a_private_trace_is_out_of_the_hosts_reach():
    prt = free_port()
    p, flag, got = listening_session(prt, "--packets")
    if not network(got).startswith("network: private"):
        finish(p, flag, got)
        raise Skip(f"no private network on this machine ({network(got)})")
    assert one(got, "server", "listen")["ret"] == 0
    # it listens on prt in its own network: from the host's, nothing does,
    # and the host may bind prt itself
    assert not listening(prt)
    with socket.socket() as s:
        s.bind(("127.0.0.1", prt))
    evs, err = finish(p, flag, got)
    # packets, captured in the private network's lo
    flags = [e["flags"] for e in evs if e["kind"] == "packet"]
    assert flags[:3] == ["S", "S.", "."], flags
    assert_nothing_left(prt)


def test_host_net_and_no_netns_trace_on_the_host_network():
    for opts, env, said in ((("--host-net",), None, "network: host (--host-net"),
                            ((), {"SOCKSTEP_NO_NETNS": "1"},
                             "network: host (no private network here: SOCKSTEP_NO_NETNS")):
        prt = free_port()
        p, flag, got = listening_session(prt, *opts, env=env)
        assert network(got).startswith(said), network(got)
        assert listening(prt), "the host sees the session's listener"
        evs, err = finish(p, flag, got)
        lines = [l for l in err.splitlines() if l]
        if env:  # the fallback, in one line
            assert len(lines) == 1 and lines[0].startswith("sockstep: host network:"), lines
        else:
            assert lines == [], lines
        assert_nothing_left(prt)


def test_one_program_trace_uses_the_host_network():
    r, evs = trace("--", PY, "-c", "import socket; socket.socket().close()", timeout=20)
    assert r.returncode == 0, r.stderr
    assert network(evs).startswith("network: host (your program's peers"), network(evs)


def test_trace_c_pair_read_write_on_sockets_only():
    prt = free_port()
    r, evs = trace("--server", f"{EX}/server {prt}", "--client", f"{EX}/client {prt} 0")
    assert r.returncode == 0, r.stderr
    rd = one(evs, "server", "read")
    assert rd["data"] == "1" and rd["state"] == "ESTABLISHED"
    assert one(evs, "server", "write")["data"] == "welcome to server!"
    got = one(evs, "client", "read")
    assert got["data"] == "welcome to server!" and got["type"] == "SOCK_STREAM"
    # in time order: the write comes before the read that got its bytes
    assert evs.index(one(evs, "server", "write")) < evs.index(got)
    # printf to stdout is a write too, but not on a socket: never shown
    assert all(e["fd"] not in (0, 1, 2) for e in calls(evs) if e["call"] in ("read", "write"))
    assert any(e["kind"] == "output" and "listening on port" in e["text"] for e in evs)
    assert_nothing_left(prt)



def test_trace_headless_tables_show_each_socket_once():
    """Headless, the tables are exact lookups of the programs' sockets
    from the first one on (no dump of the host's table).  Both ends of the
    connection are the session's, each the other's mirror: still one row a
    socket, the rows a dump shows (the live table while the server waits
    in read: listener and both ends; at the end the server's TIME_WAIT)."""
    prt = free_port()
    r, evs = trace("--server", f"{EX}/server {prt}", "--client", f"{EX}/client {prt} 0.6")
    assert r.returncode == 0, r.stderr
    snaps = {}
    for e in evs:
        if e["kind"] == "socket" and e["rows"]:
            snaps.setdefault(e["snapshot"], []).append((e["local"], e["peer"], e["state"]))
    assert snaps, evs
    for rows in snaps.values():
        assert len(rows) == len(set(rows)), rows
    waiting = [rows for rows in snaps.values() if len(rows) == 3]
    assert waiting, snaps  # the live table while the server sleeps in read
    assert sorted(s for _, _, s in waiting[0]) == ["ESTABLISHED", "ESTABLISHED", "LISTEN"]
    last = snaps[max(snaps)]
    assert [s for _, _, s in last] == ["TIME_WAIT"], last
    assert_nothing_left(prt)

RECONNECT = r"""
import ctypes, socket
lib = ctypes.CDLL(None, use_errno=True)
ls = []
for _ in range(3):
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(4)
    ls.append(l)
def talk(k, l):
    k.send(b"x")
    c, _ = l.accept()
    c.recv(8)
    c.close()
k = socket.create_connection(ls[0].getsockname())
talk(k, ls[0])
k.close()
k = socket.create_connection(ls[1].getsockname())  # the same fd number
talk(k, ls[1])
# the same socket: disconnected (connect AF_UNSPEC), then connected again
unspec = ctypes.create_string_buffer(16)
assert lib.connect(k.fileno(), unspec, 16) == 0, ctypes.get_errno()
k.connect(ls[2].getsockname())
talk(k, ls[2])
k.close()
"""


def test_trace_a_reconnected_fd_shows_the_new_ports():
    """The tracer keeps a connected socket's addresses between its calls:
    a new connection on the same fd number, and the same socket connected
    again after connect(AF_UNSPEC), must show the kernel's new ports."""
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "reconnect.py")
        with open(prog, "w") as f:
            f.write(RECONNECT)
        r, evs = trace("--", PY, prog)
    assert r.returncode == 0, r.stderr
    name = os.path.basename(PY)[:15]
    listens = [e["local"] for e in calls(evs, name, "listen")]
    accepts = calls(evs, name, "accept4")
    sends = calls(evs, name, "sendto")
    assert len(listens) == 3 and len(accepts) == 3 and len(sends) == 3, (listens, accepts, sends)
    # one fd number for the three connections, two sockets
    assert len({e["fd"] for e in sends}) == 1
    assert sends[1]["inode"] == sends[2]["inode"] != sends[0]["inode"]
    for i in range(3):
        # each send as the kernel saw it: to its listener, from the port
        # its accept saw
        assert sends[i]["peer"] == listens[i], (i, sends[i], listens)
        assert sends[i]["local"] == accepts[i]["peer"], (i, sends[i], accepts[i])
        assert sends[i]["state"] == "ESTABLISHED"
    unspec = [e for e in calls(evs, name, "connect") if e["ret"] == 0 and e["state"] == "CLOSE"]
    assert len(unspec) == 1 and unspec[0]["peer"] is None, unspec
    closes = [e for e in calls(evs, name, "close") if e["fd"] == sends[0]["fd"]]
    assert [e["peer"] for e in closes] == [listens[0], listens[2]], closes


def test_trace_forking_server_parent_accepts_children_serve():
    prt = free_port()
    r, evs = trace("--packets", "--server", f"{EX}/fork_server {prt} 2",
                   # each client waits 0.8 s before it writes: the child
                   # reads long after the parent closed its copy
                   "--client", f"{EX}/client {prt} 0.8; {EX}/client {prt} 0.8")
    assert r.returncode == 0, r.stderr
    parent = one(evs, "server", "listen")["pid"]
    accepts = [e for e in calls(evs, "server") if e["call"] == "accept" and e["ret"] >= 0]
    assert len(accepts) == 2 and {e["pid"] for e in accepts} == {parent}
    children = pids(evs, "server", "read") | pids(evs, "server", "write")
    assert len(children) == 2 and parent not in children
    forked = {e["pid"] for e in evs if e["kind"] == "process" and e["what"] == "forked"
              and e["ppid"] == parent}
    assert children <= forked
    # the parent's close of each connection sends no FIN: the child still
    # reads and writes on an ESTABLISHED socket after it
    for acc in accepts:
        closes = [e for e in calls(evs, "server", "close")
                  if e["pid"] == parent and e["fd"] == acc["ret"] and e["peer"] == acc["peer"]]
        assert len(closes) == 1
        later = [e for e in calls(evs, "server") if e["call"] in ("read", "write")
                 and e["peer"] == acc["peer"] and e["t"] > closes[0]["t"]]
        assert [(e["call"], e["state"], e["ret"]) for e in later] == \
            [("read", "ESTABLISHED", 1), ("write", "ESTABLISHED", 18)]
    assert [e["data"] for e in calls(evs, "client", "read")] == ["welcome to server!"] * 2
    # and on the wire (where capture is permitted): the server's FIN
    # leaves after the child's write, not at the parent's close
    pkts = [e for e in evs if e["kind"] == "packet"]
    if pkts:
        for acc in accepts:
            fin = [e for e in pkts if "F" in e["flags"] and e["src"] == acc["local"]
                   and e["dst"] == acc["peer"]]
            close = [e for e in calls(evs, "server", "close")
                     if e["pid"] == parent and e["peer"] == acc["peer"]][0]
            write = [e for e in calls(evs, "server", "write") if e["peer"] == acc["peer"]][0]
            assert len(fin) == 1 and fin[0]["t"] > close["t"] and fin[0]["t"] >= write["t"]
    assert_nothing_left(prt)


def test_trace_poll_server_waits_on_sockets():
    prt = free_port()
    r, evs = trace("--server", f"{EX}/poll_server {prt} 2",
                   "--client", f"{EX}/client {prt} 0 & {EX}/client {prt} 0; wait")
    assert r.returncode == 0, r.stderr
    polls = calls(evs, "server", "poll")
    assert polls and all("->" in e["args"] for e in polls)
    assert len([e for e in calls(evs, "server", "accept") if e["ret"] >= 0]) == 2
    assert len(calls(evs, "client", "read")) == 2
    assert_nothing_left(prt)


def test_trace_one_program_with_an_outside_client():
    prt = free_port()
    p = start("trace", "--headless", "--format", "jsonl", "--", PY, f"{SEED}/server.py", str(prt))
    read_until(p, lambda e: e.get("call") == "listen", timeout=20)
    with socket.create_connection(("127.0.0.1", prt), timeout=5) as c:
        c.sendall(b"1")
        assert c.recv(1024) == b"welcome to server!"
    out, err = p.communicate(timeout=20)
    assert p.returncode == 0, err
    evs = events(out)
    name = os.path.basename(PY)[:15]
    acc = one(evs, name, "accept4")
    assert port(acc["local"]) == prt and acc["state"] == "ESTABLISHED"
    assert_nothing_left(prt)


def test_trace_unprivileged_as_nobody():
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        raise Skip("needs root and setpriv to become nobody")
    prt = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        for name in ("server", "client"):
            shutil.copy(os.path.join(EX, name), tmp)
        binary = os.path.join(tmp, "sockstep")
        shutil.copy(os.path.join(ROOT, SOCKSTEP) if not os.path.isabs(SOCKSTEP) else SOCKSTEP,
                    binary)
        r = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                            binary, "trace", "--headless", "--format", "jsonl", "--packets",
                            "--server", f"{tmp}/server {prt}",
                            "--client", f"{tmp}/client {prt} 0"],
                           capture_output=True, text=True, timeout=60, cwd=tmp)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    evs = events(r.stdout)
    assert one(evs, "client", "read")["data"] == "welcome to server!"
    assert one(evs, "server", "accept")["local"] == f"127.0.0.1:{prt}"
    if network(evs).startswith("network: private"):
        # ptrace, seccomp and the kernel's answers inside the user
        # namespace, and packets with no root and no setcap
        flags = [e["flags"] for e in evs if e["kind"] == "packet"]
        assert flags[:3] == ["S", "S.", "."], flags
        assert not any("CAP_NET_RAW" in e["text"] for e in evs if e["kind"] == "note")
    assert_nothing_left(prt)


# ---- bad input: one clear line, an exit code, nothing left behind ----------

def one_line(err):
    lines = [l for l in err.splitlines() if l.startswith("sockstep:")]
    assert len(lines) == 1, err
    return lines[0]


def test_trace_missing_command_is_a_usage_error():
    r = run("trace", "--headless")
    assert r.returncode == 2 and "missing command" in one_line(r.stderr)


def test_trace_server_without_client_is_a_usage_error():
    r = run("trace", "--headless", "--server", "true")
    assert r.returncode == 2 and "--server without --client" in one_line(r.stderr)


def test_trace_command_not_found():
    r = run("trace", "--headless", "--", "/nonexistent/sockstep-no-such-program", timeout=20)
    assert r.returncode == 2
    line = one_line(r.stderr)
    assert "cannot run" in line and "No such file" in line


def test_trace_shell_line_not_found_reports_status_127():
    prt = free_port()
    r = run("trace", "--headless", "--server", f"no-such-cmd-{prt}", "--client",
            f"no-such-cmd-{prt}", timeout=20)
    assert r.returncode == 1
    assert "status 127" in r.stderr and "server" in r.stderr
    assert_nothing_left(prt)


def test_trace_program_killed_by_a_signal():
    prt = free_port()
    code = ("import socket, os, signal; s = socket.socket(); "
            f"s.bind(('127.0.0.1', {prt})); s.listen(1); os.kill(os.getpid(), signal.SIGKILL)")
    r, evs = trace("--", PY, "-c", code, timeout=20)
    assert r.returncode == 1
    assert "killed by signal 9" in one_line(r.stderr)
    assert any(e["kind"] == "process" and e["what"] == "exited" and e["signal"] == 9 for e in evs)
    assert_nothing_left(prt)


def test_trace_ptrace_forbidden_is_one_line():
    # A process already traced cannot be traced again (PTRACE_TRACEME says
    # EPERM): under strace -f, sockstep's program meets what Yama's
    # ptrace_scope 3 or a sandbox would do.
    strace = shutil.which("strace")
    if strace is None:
        raise Skip("strace is not installed")
    prog = os.path.join(ROOT, SOCKSTEP) if not os.path.isabs(SOCKSTEP) else SOCKSTEP
    env = dict(os.environ)
    # LeakSanitizer cannot run under ptrace (make check-asan): not our leak
    env["ASAN_OPTIONS"] = (env.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")
    r = subprocess.run([strace, "-f", "-o", "/dev/null", prog, "trace", "--headless",
                        "--", "true"], capture_output=True, text=True, timeout=30, cwd=ROOT,
                       env=env)
    assert r.returncode == 2, r.stderr
    line = one_line(r.stderr)
    assert "cannot trace: ptrace is not allowed here" in line


def test_trace_program_without_sockets():
    r, evs = trace("--", "true", timeout=20)
    assert r.returncode == 1 and "made no socket call" in one_line(r.stderr)
    assert calls(evs) == []


def test_trace_interrupted_leaves_no_process_and_no_socket():
    prt = free_port()
    p = start("trace", "--headless", "--format", "jsonl", "--", PY, f"{SEED}/server.py", str(prt))
    read_until(p, lambda e: e.get("call") == "listen", timeout=20)
    assert listening(prt)
    time.sleep(0.1)
    os.kill(p.pid, signal.SIGINT)
    p.communicate(timeout=10)
    assert p.returncode == 130
    assert_nothing_left(prt)


def test_lesson_about_a_real_forking_server_holds_its_steps_against_the_calls():
    r = run("--headless", "--format", "jsonl", "lessons/19-forking-server.md", timeout=60)
    assert r.returncode == 0, r.stderr
    evs = events(r.stdout)
    expects = [e for e in evs if e["kind"] == "expect"]
    assert expects and all(e["ok"] for e in expects), [e for e in expects if not e["ok"]]
    steps = [e for e in evs if e["kind"] == "step"]
    assert [s["index"] for s in steps] == list(range(1, 14))
    # the step's socket names on the program's calls; parent and child
    acc = [e for e in calls(evs, "server") if e["call"] == "accept" and e["newsock"] == "c"][0]
    rd = [e for e in calls(evs, "server", "read") if e["sock"] == "c"][0]
    assert rd["pid"] != acc["pid"] and rd["data"] == "1"
    closed = [e for e in calls(evs, "server", "close") if e["sock"] == "c"]
    assert [e["pid"] for e in closed] == [acc["pid"], rd["pid"]]


def test_lesson_whose_program_is_missing_ends_at_once_with_a_clear_line():
    """A traced lesson's step can never come once its program has ended
    (here: an example that was never built): the session ends, no hang."""
    with open(os.path.join(ROOT, "lessons", "19-forking-server.md")) as f:
        text = f.read().replace("${examples}/fork_server", "/nonexistent/fork_server")
    d = tempfile.mkdtemp(prefix="sockstep-lesson-")
    try:
        path = os.path.join(d, "missing.md")
        with open(path, "w") as f:
            f.write(text)
        r = run("--headless", path, timeout=20)
        assert r.returncode == 1, (r.returncode, r.stdout[-800:], r.stderr)
        said = r.stdout + r.stderr
        assert "server program has ended" in said, said[-800:]
        assert "status 127" in said, said[-800:]
    finally:
        shutil.rmtree(d, ignore_errors=True)
