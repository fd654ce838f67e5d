"""Issue 12: every run starts clean.  A private network per session (its own
port space, packets without root), the demo twice in a row, the fd numbers
of a standalone program, Ctrl-C at once, --pcap, and the fallback to the
host network when the kernel refuses namespaces."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from harness import (ROOT, SOCKSTEP, Skip, calls, children_of, events,
                     free_port, one, read_until, rest, run, start)

FAST = ("--headless", "--format", "jsonl", "--pause", "0")


def notes(evs):
    return [e["text"] for e in evs if e["kind"] == "note"]


_private = None


def private_or_skip():
    """Skip where the kernel (or a container's seccomp) refuses namespaces:
    sockstep then says why and uses the host network, tested below."""
    global _private
    if _private is None:
        r = run(*FAST, "--port", "0")
        net = [n for n in notes(events(r.stdout)) if n.startswith("network:")]
        _private = net[0] if net else "no network note"
    if not _private.startswith("network: private"):
        raise Skip(f"no private network on this machine ({_private})")


def fds_of(evs):
    return (one(evs, "server", "socket")["ret"], one(evs, "server", "accept")["ret"],
            one(evs, "client", "socket")["ret"])


# ---- fds as a standalone program -----------------------------------------

def test_demo_fds_are_a_standalone_programs_without_record():
    r = run(*FAST, "--port", "0")
    assert r.returncode == 0, r.stderr
    assert fds_of(events(r.stdout)) == (3, 4, 3)


def test_demo_fds_are_a_standalone_programs_with_record_and_pcap():
    with tempfile.TemporaryDirectory() as d:
        r = run(*FAST, "--port", "0", "--record", os.path.join(d, "t.jsonl"),
                "--pcap", os.path.join(d, "t.pcap"))
        assert r.returncode == 0, r.stderr
        assert fds_of(events(r.stdout)) == (3, 4, 3)
        # the recording says the same: the numbers a learner's program gets
        with open(os.path.join(d, "t.jsonl")) as f:
            assert fds_of(events(f.read())) == (3, 4, 3)


def test_demo_fds_on_the_host_network_too():
    r = run(*FAST, "--port", "0", "--host-net")
    assert r.returncode == 0, r.stderr
    assert fds_of(events(r.stdout)) == (3, 4, 3)


# ---- Ctrl-C and kills ------------------------------------------------------

def paused_demo(*extra):
    """A demo whose client sleeps 20 s; returns (proc, events so far)."""
    p = start(*FAST[:3], "--pause", "20", "--port", "0", *extra)
    got = read_until(p, lambda e: e["kind"] == "blocked" and e.get("call") == "sleep",
                     timeout=10)
    return p, got


def assert_gone(pids):
    for k in pids:
        try:
            with open(f"/proc/{k}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        assert False, f"process {k} still there (state {state})"


def test_sigint_during_the_clients_pause_ends_within_300ms():
    for sig in (signal.SIGINT, signal.SIGTERM):
        p, _ = paused_demo()
        kids = children_of(p.pid)
        assert len(kids) == 2, kids
        t0 = time.monotonic()
        os.kill(p.pid, sig)
        p.wait(timeout=5)
        took = time.monotonic() - t0
        assert took < 0.3, f"{sig.name}: {took * 1000:.0f} ms"
        assert p.returncode == 130, p.returncode
        assert_gone(kids)


def test_an_actor_killed_from_outside_is_reported_with_its_signal():
    p, got = paused_demo()
    # the client is the actor with one socket; the server has two (3, 4)
    kids = children_of(p.pid)
    client = [k for k in kids if not os.path.exists(f"/proc/{k}/fd/4")]
    assert len(client) == 1, kids
    os.kill(client[0], signal.SIGTERM)
    out, err = rest(p, timeout=10)
    evs = got + events(out)
    said = " ".join(notes(evs))
    assert "the client process was killed by SIGTERM" in said, said
    assert not [c for c in calls(evs) if c.get("errno") == "EINTR"], \
        "a kill is not an EINTR of the learner's call"
    assert p.returncode == 1
    assert_gone(kids)


# ---- the private network -----------------------------------------------------

def test_demo_says_which_network_it_uses():
    private_or_skip()
    r = run(*FAST, "--port", "0")
    assert r.returncode == 0, r.stderr
    assert any(n.startswith("network: private") for n in notes(events(r.stdout))), r.stdout[:500]
    r = run(*FAST, "--port", "0", "--host-net")
    assert any(n.startswith("network: host (--host-net") for n in notes(events(r.stdout)))


def test_one_sided_modes_use_the_host_network():
    p = start("server", "--headless", "--format", "jsonl", "--port", "0")
    got = read_until(p, lambda e: e.get("call") == "listen", timeout=10)
    assert any(n.startswith("network: host") for n in notes(got)), notes(got)
    prt = int(got[-1]["local"].rsplit(":", 1)[1])
    # a peer of the host reaches it
    socket.create_connection(("127.0.0.1", prt), timeout=5).close()


def test_a_private_session_is_out_of_the_hosts_reach():
    private_or_skip()
    prt = free_port()
    p, got = paused_demo("--port", str(prt))
    assert one(got, "server", "listen")["ret"] == 0
    # the session listens on prt in its own network: from the host's,
    # nothing does, and the host may bind prt itself
    with socket.socket() as s:
        s.settimeout(5)
        assert s.connect_ex(("127.0.0.1", prt)) != 0
    with socket.socket() as s:
        s.bind(("127.0.0.1", prt))
        s.listen(1)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=5)


def test_demo_twice_in_a_row_on_port_9001_in_the_private_network():
    private_or_skip()
    for i in range(2):
        r = run(*FAST)
        assert r.returncode == 0, (i, r.stderr)
        evs = events(r.stdout)
        assert one(evs, "server", "bind")["local"] == "127.0.0.1:9001"


def test_as_nobody_the_demo_shows_packets():
    setpriv = shutil.which("setpriv")
    if setpriv is None or os.geteuid() != 0:
        raise Skip("needs root and setpriv to become nobody")
    private_or_skip()
    r = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups",
                        os.path.join(ROOT, SOCKSTEP), *FAST, "--port", "0", "--packets"],
                       capture_output=True, text=True, timeout=60, cwd="/")
    assert r.returncode == 0, r.stderr
    evs = events(r.stdout)
    flags = [e["flags"] for e in evs if e["kind"] == "packet"]
    assert flags[:3] == ["S", "S.", "."], flags
    assert not any("CAP_NET_RAW" in n for n in notes(evs))


def assert_fallback(r, why):
    assert r.returncode == 0, r.stderr
    lines = [l for l in r.stderr.splitlines() if l]
    assert len(lines) == 1 and lines[0].startswith("sockstep: host network:") \
        and why in lines[0], lines
    evs = events(r.stdout)
    assert any(n.startswith("network: host (no private network here") for n in notes(evs))
    assert fds_of(evs) == (3, 4, 3)


def test_namespaces_switched_off_fall_back_to_the_host_network_in_one_line():
    r = run(*FAST, "--port", "0", env={"SOCKSTEP_NO_NETNS": "1"})
    assert_fallback(r, "SOCKSTEP_NO_NETNS")


def test_namespaces_refused_by_the_kernel_fall_back_in_one_line():
    # A real refusal: below a user namespace of our own, set
    # user.max_user_namespaces to 0; sockstep's unshare then fails ENOSPC.
    unshare = shutil.which("unshare")
    if unshare is None:
        raise Skip("unshare is not installed")
    script = ('echo 0 > /proc/sys/user/max_user_namespaces && exec "$@"')
    env = {k: v for k, v in os.environ.items() if k != "SOCKSTEP_NO_NETNS"}
    r = subprocess.run([unshare, "-U", "-r", "sh", "-c", script, "sh",
                        os.path.join(ROOT, SOCKSTEP), *FAST, "--port", "0"],
                       capture_output=True, text=True, timeout=60, cwd=ROOT, env=env)
    if "unshare failed" in r.stderr:
        raise Skip("no user namespace for the test itself: " + r.stderr.strip())
    assert_fallback(r, "user.max_user_namespaces=0")


# ---- --pcap ----------------------------------------------------------------

def test_pcap_file_read_back_by_tcpdump_holds_the_handshake():
    tcpdump = shutil.which("tcpdump")
    if tcpdump is None:
        raise Skip("tcpdump is not installed")
    with tempfile.TemporaryDirectory() as d:
        cap = os.path.join(d, "demo.pcap")
        r = run(*FAST, "--port", "0", "--pcap", cap)
        assert r.returncode == 0, r.stderr
        got = subprocess.run([tcpdump, "-r", cap, "-n"], capture_output=True,
                             text=True, timeout=20)
        assert got.returncode == 0, got.stderr
        flags = [l.split("Flags [", 1)[1].split("]", 1)[0]
                 for l in got.stdout.splitlines() if "Flags [" in l]
        assert flags[:3] == ["S", "S.", "."], got.stdout
        # the same packets as the trace's packet events
        evs = events(r.stdout)
        assert len(flags) == len([e for e in evs if e["kind"] == "packet"])


def test_pcap_into_a_missing_folder_is_one_line_and_usage_error():
    r = run(*FAST, "--port", "0", "--pcap", "/nonexistent/dir/x.pcap")
    assert r.returncode == 2
    assert r.stderr.strip().count("\n") == 0 and "cannot write" in r.stderr, r.stderr


# ---- back to back on the host network ----------------------------------------

def holders_of(prt):
    """(state, local, peer) of the host's TCP sockets with local port prt."""
    out = []
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(path) as f:
            for line in f.readlines()[1:]:
                parts = line.split()
                if int(parts[1].rsplit(":", 1)[1], 16) == prt:
                    out.append((parts[3], parts[1], parts[2]))
    return out


def test_demo_twice_in_a_row_on_port_9001_on_the_host_network():
    if any(st == "0A" for st, _, _ in holders_of(9001)):
        raise Skip("something listens on 9001 on this host")
    for i in range(2):
        r = run(*FAST, "--host-net", timeout=90)
        assert r.returncode == 0, (i, r.stderr)
        evs = events(r.stdout)
        assert one(evs, "server", "bind")["ret"] == 0
        # the right thing, visibly: a narrated SO_REUSEADDR step before bind
        opt = [c for c in calls(evs, "server", "setsockopt") if "SO_REUSEADDR" in c["args"]]
        assert len(opt) == 1 and opt[0]["ret"] == 0, opt
        assert evs.index(opt[0]) < evs.index(one(evs, "server", "bind"))
        said = [e["text"] for e in evs if e["kind"] == "step"]
        assert any("SO_REUSEADDR" in t and "lesson 10" in t for t in said), said
    # the second run met the first one's TIME_WAIT: shown and named
    held = [n for n in notes(evs) if n.startswith("port 9001 is held by the TIME_WAIT")]
    assert held, notes(evs)
    rows = [e for e in evs if e["kind"] == "socket" and e.get("state") == "TIME_WAIT"]
    assert rows and rows[0]["local"] == "127.0.0.1:9001"
    assert evs.index(rows[0]) < evs.index(one(evs, "server", "socket")), \
        "the holder is in the table before the first step"


def test_the_private_demo_is_the_seed_without_so_reuseaddr():
    private_or_skip()
    evs = events(run(*FAST, "--port", "0").stdout)
    assert calls(evs, "server", "setsockopt") == [] or all(
        "SO_REUSEADDR" not in c["args"] for c in calls(evs, "server", "setsockopt"))


def time_wait_without_reuseaddr():
    """A server-side TIME_WAIT on a host port, its listener without SO_REUSEADDR."""
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)
    prt = lst.getsockname()[1]
    cli = socket.create_connection(("127.0.0.1", prt), timeout=5)
    srv, _ = lst.accept()
    srv.close()          # the server closes first: its side ends in TIME_WAIT
    time.sleep(0.05)
    cli.close()
    lst.close()
    deadline = time.monotonic() + 5
    while not any(st == "06" for st, _, _ in holders_of(prt)):
        assert time.monotonic() < deadline, "no TIME_WAIT appeared"
        time.sleep(0.02)
    return prt


def test_a_time_wait_without_reuseaddr_is_waited_for_visibly():
    ss = shutil.which("ss")
    if os.geteuid() != 0 or ss is None:
        raise Skip("ending the TIME_WAIT early (ss -K) needs root and ss")
    prt = time_wait_without_reuseaddr()
    p = start(*FAST, "--host-net", "--port", str(prt))
    line = p.stderr.readline()
    assert f"port {prt} is held by the TIME_WAIT" in line and "waiting" in line, line
    time.sleep(0.5)
    assert p.poll() is None, "sockstep must wait, not fail at bind"
    # the kernel lets it go (what 60 s would do): the demo goes on
    subprocess.run([ss, "-K", "-tan", "state", "time-wait", "sport", "=", f":{prt}"],
                   capture_output=True, timeout=10, check=True)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err
    evs = events(out)
    assert one(evs, "server", "bind")["ret"] == 0


def test_a_lesson_expecting_eaddrinuse_still_gets_it_on_the_host_network():
    r = run("address-in-use", "--headless", "--no-quiz", "--host-net", "--format", "jsonl", timeout=60)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr
    evs = events(r.stdout)
    assert [c["errno"] for c in calls(evs, "server", "bind")].count("EADDRINUSE") >= 3


def serve_one(prt):
    """sockstep server on prt for one client of the host; returns its events."""
    p = start("server", "--headless", "--format", "jsonl", "--port", str(prt))
    got = read_until(p, lambda e: e.get("call") == "listen", timeout=10)
    assert got[-1]["ret"] == 0, got[-1]
    with socket.create_connection(("127.0.0.1", prt), timeout=5) as c:
        c.sendall(b"1")
        assert c.recv(64) == b"welcome to server!"
        assert c.recv(64) == b""  # the server's FIN first: its side waits
    out, err = rest(p, timeout=20)
    assert p.returncode == 0, err
    return got + events(out)


def test_server_mode_restarted_on_its_port_at_once_serves_again():
    prt = free_port()
    first = serve_one(prt)
    # the server closed first: its side waits in TIME_WAIT on prt
    assert any(st == "06" for st, _, _ in holders_of(prt)), holders_of(prt)
    second = serve_one(prt)
    assert one(second, "server", "bind")["ret"] == 0
    for evs in (first, second):
        opt = [c for c in calls(evs, "server", "setsockopt") if "SO_REUSEADDR" in c["args"]]
        assert len(opt) == 1, "a narrated SO_REUSEADDR step on the host network"
    assert any(n.startswith(f"port {prt} is held by the TIME_WAIT") for n in notes(second))
