"""Issue 2: the engine, headless, over real loopback sockets."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from harness import (ROOT, Skip, calls, children_of, ephemeral_range, events,
                     free_port, listening, one, port, read_until, rest, run, spawn,
                     start)

SEED = os.path.join(ROOT, "tests", "seed")


def classic():
    r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0")
    assert r.returncode == 0, r.stdout + r.stderr
    return events(r.stdout)


def test_accepted_socket_keeps_listening_port():
    evs = classic()
    listen = one(evs, "server", "listen")
    accept = one(evs, "server", "accept")
    assert listen["state"] == "LISTEN"
    assert accept["ret"] != accept["fd"], "accept returns a new fd"
    assert accept["fd"] == listen["fd"]
    assert port(accept["local"]) == port(listen["local"])


def test_client_port_is_ephemeral_and_is_the_accepted_peer():
    evs = classic()
    accept = one(evs, "server", "accept")
    connect = one(evs, "client", "connect")
    lo, hi = ephemeral_range()
    cport = port(connect["local"])
    assert lo <= cport <= hi, cport
    assert cport == port(accept["peer"])
    assert connect["state"] == "ESTABLISHED"
    assert connect["peer"] == accept["local"]


def test_client_receives_welcome():
    evs = classic()
    recvs = calls(evs, "client", "recv")
    assert recvs[-1]["data"] == "welcome to server!"
    assert recvs[-1]["bytes"] == 18
    srv = calls(evs, "server", "recv")[0]
    assert srv["data"] == "1" and srv["bytes"] == 1


def test_trace_is_time_ordered_and_has_required_fields():
    evs = classic()
    ts = [e["t"] for e in evs]
    assert ts == sorted(ts)
    for e in calls(evs):
        for f in ("t", "kind", "actor", "call", "fd", "ret", "errno", "local",
                  "peer", "state", "bytes", "data"):
            assert f in e, (f, e)
    kinds = {e["kind"] for e in evs}
    assert {"call", "step", "socket"} <= kinds, kinds


def test_text_output_shows_steps_and_ports():
    r = run("--headless", "--port", "0", "--pause", "0")
    assert r.returncode == 0, r.stderr
    for word in ("socket(", "bind(", "listen(", "accept(", "connect(",
                 "send(", "recv(", "close(", "welcome to server!"):
        assert word in r.stdout, word


def serve(*extra):
    p = start("server", "--headless", "--format", "jsonl", "--port", "0", *extra)
    got = read_until(p, lambda e: e.get("call") == "listen", timeout=10)
    return p, port(got[-1]["local"]), got


def finish(p, timeout=20):
    out, err = rest(p, timeout)
    return p.returncode, events(out), err


def test_server_mode_with_seed_python_client():
    for msg, reply in (("1", "welcome to server!"), ("2", "please go out!")):
        p, prt, first = serve()
        c = subprocess.run([sys.executable, os.path.join(SEED, "client.py"),
                            "--port", str(prt), "--pause", "0", "--send", msg],
                           capture_output=True, text=True, timeout=20)
        assert c.stdout.strip() == reply, c.stdout + c.stderr
        rc, evs, err = finish(p)
        evs = first + evs
        assert rc == 0, err
        sent = calls(evs, "server", "send")[0]
        assert sent["data"] == reply
        assert calls(evs, "server", "recv")[0]["data"] == msg
        names = [e["call"] for e in calls(evs, "server")]
        assert names == ["socket", "bind", "listen", "accept", "setsockopt",
                         "recv", "send", "close", "close"], names


def test_server_mode_with_nc():
    nc = shutil.which("nc")
    if nc is None:
        raise Skip("nc is not installed")
    p, prt, _ = serve()
    c = subprocess.run([nc, "-N", "127.0.0.1", str(prt)], input="1",
                       capture_output=True, text=True, timeout=20)
    if "invalid option" in c.stderr:
        c = subprocess.run([nc, "-q", "1", "127.0.0.1", str(prt)], input="1",
                           capture_output=True, text=True, timeout=20)
    assert "welcome to server!" in c.stdout, c.stdout + c.stderr
    rc, evs, err = finish(p)
    assert rc == 0, err


def test_server_mode_serves_count_clients():
    p, prt, _ = serve("--count", "3")
    for _ in range(3):
        c = subprocess.run([sys.executable, os.path.join(SEED, "client.py"),
                            "--port", str(prt), "--pause", "0"],
                           capture_output=True, text=True, timeout=20)
        assert c.stdout.strip() == "welcome to server!"
    rc, evs, err = finish(p)
    assert rc == 0, err
    accepts = calls(evs, "server", "accept")
    assert len(accepts) == 3
    assert len({a["ret"] for a in accepts}) >= 1
    assert len({port(a["peer"]) for a in accepts}) == 3


def test_server_mode_runs_free_and_still_shows_each_wait_in_accept():
    # Headless server mode takes step after step with no grant each
    # (docs/design.md, running free); a server waiting for its next client
    # is still seen asleep in accept(), and the steps are numbered as when
    # the director grants them.
    p, prt, first = serve("--count", "2")
    for _ in range(2):
        time.sleep(0.3)
        c = subprocess.run([sys.executable, os.path.join(SEED, "client.py"),
                            "--port", str(prt), "--pause", "0"],
                           capture_output=True, text=True, timeout=20)
        assert c.stdout.strip() == "welcome to server!"
    rc, evs, err = finish(p)
    evs = first + evs
    assert rc == 0, err
    blocked = [e for e in evs if e["kind"] == "blocked" and e.get("call") == "accept"]
    assert len(blocked) == 2, blocked
    steps = [e for e in evs if e["kind"] == "step"]
    assert [e["index"] for e in steps] == list(range(1, len(steps) + 1)), [(e["index"], e["step"], e["t"]) for e in steps]
    assert len(steps) == steps[0]["count"] == 9 + 5
    names = [e["call"] for e in calls(evs, "server")]
    assert names == ["socket", "bind", "listen"] + ["accept", "setsockopt",
                     "recv", "send", "close"] * 2 + ["close"], names
    times = [e["t"] for e in evs]
    assert times == sorted(times)


def test_client_mode_with_seed_python_server():
    for msg, reply in (("1", "welcome to server!"), ("hello", "please go out!")):
        srv = spawn([sys.executable, os.path.join(SEED, "server.py"), "--port", "0"],
                    stdout=subprocess.PIPE, text=True)
        prt = int(srv.stdout.readline().split()[1])
        r = run("client", "--headless", "--format", "jsonl", "--port", str(prt),
                "--pause", "0", "--send", msg)
        assert r.returncode == 0, r.stdout + r.stderr
        evs = events(r.stdout)
        assert calls(evs, "client", "recv")[0]["data"] == reply
        assert port(calls(evs, "client", "connect")[0]["peer"]) == prt
        srv.wait(timeout=10)


def test_recv_timeout_when_client_sends_nothing():
    p, prt, _ = serve()
    s = socket.create_connection(("127.0.0.1", prt), timeout=10)
    try:
        got = read_until(p, lambda e: e["kind"] == "call" and e["call"] == "recv",
                         timeout=15)
    finally:
        s.close()
    recv = got[-1]
    assert recv["errno"] == "EAGAIN", recv
    assert recv["t"] - one(got, "server", "setsockopt")["t"] >= 4.5
    rc, evs, err = finish(p)
    # the seed's server skips its reply after a timeout and closes
    assert calls(evs + got, "server", "send") == []
    assert rc == 0, err


def expect_usage_error(*args):
    r = run(*args)
    assert r.returncode == 2, (args, r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines and lines[0].startswith("sockstep: "), r.stderr
    assert len(lines) <= 2, r.stderr
    assert "Traceback" not in r.stderr and r.stdout == ""
    return lines[0]


def test_bad_input_is_a_usage_error():
    assert "70000" in expect_usage_error("--headless", "--port", "70000")
    assert "abc" in expect_usage_error("--headless", "--port", "abc")
    assert "bogus" in expect_usage_error("--headless", "--bogus")
    assert "no.such.host.invalid" in expect_usage_error(
        "--headless", "--host", "no.such.host.invalid")
    expect_usage_error("--headless", "--format", "xml")
    expect_usage_error("--headless", "--pause", "-1")
    expect_usage_error("server", "--headless", "--count", "0")


def test_port_in_use_is_a_traced_step():
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    prt = holder.getsockname()[1]
    try:
        # the holder lives on the host network: the demo must be there too
        r = run("--headless", "--format", "jsonl", "--port", str(prt), "--pause", "0",
                "--host-net")
    finally:
        holder.close()
    assert r.returncode == 1, r.stderr
    evs = events(r.stdout)
    bind = one(evs, "server", "bind")
    assert bind["errno"] == "EADDRINUSE" and bind["ret"] == -1
    assert bind["error"] == "Address already in use"
    notes = [e for e in evs if e["kind"] == "note" and e["level"] == "error"]
    assert notes and "EADDRINUSE" in notes[0]["text"]
    text = run("--headless", "--port", str(prt), "--pause", "0")
    # the port is free again: the text run must succeed now
    assert text.returncode == 0, text.stdout


def test_refused_connect_is_a_traced_step():
    prt = free_port()
    r = run("client", "--headless", "--format", "jsonl", "--port", str(prt))
    assert r.returncode == 1
    c = one(events(r.stdout), "client", "connect")
    assert c["errno"] == "ECONNREFUSED" and c["error"] == "Connection refused"


def test_ctrl_c_leaves_no_process_or_listener():
    p, prt, _ = serve()
    assert listening(prt)
    kids = children_of(p.pid)
    assert kids, "the server actor runs in a child process"
    os.kill(p.pid, signal.SIGINT)
    p.wait(timeout=10)
    assert p.returncode == 130, p.returncode
    time.sleep(0.1)
    for k in kids:
        assert not os.path.exists(f"/proc/{k}") or \
            open(f"/proc/{k}/stat").read().split()[2] != "Z", k
    assert not any(os.path.exists(f"/proc/{k}") for k in kids), kids
    assert not listening(prt)


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("sockstep ")
    r = run("--help")
    assert r.returncode == 0 and "Usage: sockstep" in r.stdout and "--headless" in r.stdout
