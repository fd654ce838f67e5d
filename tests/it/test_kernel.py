"""Issue 4: the kernel's socket table, TIME_WAIT, and packets."""
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from harness import (ROOT, SOCKSTEP, Skip, calls, events, free_port, one,
                     port, run)


def can_capture():
    if os.geteuid() != 0:
        return False
    r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
            "--packets")
    return not any(e["kind"] == "note" and "CAP_NET_RAW" in e["text"]
                   for e in events(r.stdout))


def packets(evs):
    return [e for e in evs if e["kind"] == "packet"]


def test_handshake_packets_come_first_and_before_connect_returns():
    if not can_capture():
        raise Skip("packet capture needs CAP_NET_RAW (run as root)")
    r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
            "--packets")
    assert r.returncode == 0, r.stderr
    evs = events(r.stdout)
    pk = packets(evs)
    assert [p["flags"] for p in pk[:3]] == ["S", "S.", "."], pk[:3]
    assert any(p["flags"].startswith("F") for p in pk), "a FIN is shown"
    syn_at = evs.index(pk[0])
    connect_at = evs.index(one(evs, "client", "connect"))
    assert syn_at < connect_at, "the SYN is sent before connect() returns"
    assert pk[0]["rel_seq"] == 0 and pk[1]["rel_ack"] == 1
    assert pk[1]["ack"] == (pk[0]["seq"] + 1) % 2**32


def test_other_loopback_traffic_is_not_shown_as_the_sessions():
    """Another connection chatters on lo all through the session: none of
    its packets may appear (the capture used to keep everything until the
    session's first port was known)."""
    if not can_capture():
        raise Skip("packet capture needs CAP_NET_RAW (run as root)")
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    c = socket.create_connection(lsock.getsockname(), timeout=5)
    a, _ = lsock.accept()
    a.settimeout(5)
    stop = threading.Event()

    def chatter():
        while not stop.is_set():
            c.sendall(b"x")
            a.recv(64)
    th = threading.Thread(target=chatter)
    th.start()
    try:
        r = run("--headless", "--format", "jsonl", "--port", "0", "--pause",
                "0", "--packets")
    finally:
        stop.set()
        th.join(timeout=10)
        for s in (c, a, lsock):
            s.close()
    assert r.returncode == 0, r.stderr
    evs = events(r.stdout)
    ours = {port(one(evs, "server", "listen")["local"]),
            port(one(evs, "client", "connect")["local"])}
    pk = packets(evs)
    assert pk, "the session's own packets are shown"
    stray = [p for p in pk if {port(p["src"]), port(p["dst"])} != ours]
    assert stray == [], stray[:3]


def test_syn_sequence_and_packet_count_match_tcpdump():
    if not can_capture():
        raise Skip("packet capture needs CAP_NET_RAW (run as root)")
    tcpdump = shutil.which("tcpdump")
    if tcpdump is None:
        raise Skip("tcpdump is not installed")
    prt = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        cap = os.path.join(tmp, "cap.pcap")
        td = subprocess.Popen([tcpdump, "-i", "lo", "--immediate-mode", "-U", "-n", "-w", cap,
                               f"tcp port {prt}"],
                              stderr=subprocess.PIPE, text=True)
        try:
            # tcpdump says "listening on lo" once capture runs
            line = td.stderr.readline()
            assert "listening" in line, line
            # tcpdump watches the host's lo: the session must be there
            r = run("--headless", "--format", "jsonl", "--port", str(prt),
                    "--pause", "0", "--packets", "--host-net")
            time.sleep(0.3)
        finally:
            td.terminate()
            td.wait(timeout=10)
        assert r.returncode == 0, r.stderr
        dump = subprocess.run([tcpdump, "-r", cap, "-n", "-S", "-tt"],
                              capture_output=True, text=True, timeout=30).stdout
    lines = [l for l in dump.splitlines() if "Flags" in l]
    pk = packets(events(r.stdout))
    syn_line = next(l for l in lines if "Flags [S]," in l)
    seq = int(syn_line.split(" seq ")[1].split(",")[0])
    assert pk[0]["flags"] == "S" and pk[0]["seq"] == seq, (pk[0], syn_line)
    assert abs(len(pk) - len(lines)) <= 2, (len(pk), len(lines))


LESSON_QUEUE = """# queue
```sockstep
server: s = socket(AF_INET, SOCK_STREAM)
server: bind(s, 127.0.0.1:auto)
server: listen(s, 5)
client: k = socket(AF_INET, SOCK_STREAM)
client: connect(k, server.s)
server: c = accept(s)
server: close(c)
client: close(k)
server: close(s)
```
"""


def snapshot_after(evs, step):
    return [e for e in evs if e["kind"] == "socket" and e["step"] == step]


def test_accept_queue_holds_connection_until_accept():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "queue.md")
        with open(path, "w") as f:
            f.write(LESSON_QUEUE)
        r = run("--headless", "--format", "jsonl", path)
    assert r.returncode == 0, r.stdout + r.stderr
    evs = events(r.stdout)
    listen = one(evs, "server", "listen")
    connect = one(evs, "client", "connect")
    assert connect["state"] == "ESTABLISHED"
    after_connect = snapshot_after(evs, connect["step"])
    lrow = [e for e in after_connect if e["state"] == "LISTEN"]
    assert lrow and lrow[0]["recv_q"] == 1 and lrow[0]["send_q"] == 5, after_connect
    assert lrow[0]["owner"] == {"actor": "server", "fd": listen["fd"]}
    queued = [e for e in after_connect if e["state"] == "ESTABLISHED"
              and e["local"] == listen["local"]]
    assert queued and queued[0]["owner"] is None, "queued: no fd owns it yet"
    accept = one(evs, "server", "accept")
    after_accept = snapshot_after(evs, accept["step"])
    lrow = [e for e in after_accept if e["state"] == "LISTEN"]
    assert lrow[0]["recv_q"] == 0
    acc = [e for e in after_accept if e["state"] == "ESTABLISHED"
           and e["local"] == listen["local"]]
    assert acc[0]["owner"] == {"actor": "server", "fd": accept["ret"]}
    assert any(e["kind"] == "note" and "accept queue" in e["text"] for e in evs)


def test_active_closer_waits_in_time_wait_other_side_close_wait():
    r = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0")
    assert r.returncode == 0
    evs = events(r.stdout)
    listen = one(evs, "server", "listen")
    sock_evs = [e for e in evs if e["kind"] == "socket"]
    final_no = sock_evs[-1]["snapshot"]
    final = [e for e in sock_evs if e["snapshot"] == final_no]
    tw = [e for e in final if e["state"] == "TIME_WAIT"]
    assert tw, final
    # the server closed first: its side of the connection is in TIME_WAIT
    assert tw[0]["local"] == listen["local"]
    assert tw[0]["timer"] == "timewait" and 0 < tw[0]["timer_ms"] <= 60000
    assert tw[0]["owner"] is None
    cw = [e for e in sock_evs if e["state"] == "CLOSE_WAIT"]
    assert cw and port(cw[0]["peer"]) == port(listen["local"]), "client saw CLOSE_WAIT"
    notes = [e["text"] for e in evs if e["kind"] == "note"]
    assert any("TIME_WAIT" in n and n.startswith("server") for n in notes), notes


def test_unprivileged_user_on_the_host_network_gets_table_and_one_line_about_packets():
    # (in a private network, the default, nobody gets packets: test_session)
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        raise Skip("needs root and setpriv to become nobody")
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        binary = os.path.join(tmp, "sockstep")
        shutil.copy(os.path.join(ROOT, SOCKSTEP) if not os.path.isabs(SOCKSTEP)
                    else SOCKSTEP, binary)
        os.chmod(binary, 0o755)
        r = subprocess.run([setpriv, "--reuid=65534", "--regid=65534",
                            "--clear-groups", binary, "--headless", "--format",
                            "jsonl", "--port", "0", "--pause", "0", "--packets",
                            "--host-net"],
                           capture_output=True, text=True, timeout=60, cwd=tmp)
    assert r.returncode == 0, r.stdout + r.stderr
    evs = events(r.stdout)
    why = [e for e in evs if e["kind"] == "note" and "CAP_NET_RAW" in e["text"]]
    assert len(why) == 1, why
    assert "setcap" in why[0]["text"] and "\n" not in why[0]["text"]
    assert packets(evs) == []
    assert any(e["kind"] == "socket" and e["state"] == "LISTEN" for e in evs)
    assert one(evs, "client", "recv")["data"] == "welcome to server!"


def non_loopback_ipv4():
    r = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True)
    for line in r.stdout.splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[1] != "lo":
            return parts[3].split("/")[0]
    return None


def test_packets_off_loopback_are_captured_on_the_routes_interface():
    if not can_capture():
        raise Skip("packet capture needs CAP_NET_RAW (run as root)")
    if shutil.which("ip") is None or non_loopback_ipv4() is None:
        raise Skip("no non-loopback IPv4 address on this machine")
    host = non_loopback_ipv4()
    r = run("--headless", "--format", "jsonl", "--host", host, "--port", "0",
            "--pause", "0", "--packets")
    assert r.returncode == 0, r.stderr
    pk = packets(events(r.stdout))
    assert [p["flags"] for p in pk[:3]] == ["S", "S.", "."], pk[:3]
    assert all(p["src"].startswith(host + ":") for p in pk)
