"""Issue 6: bad input.  Peers that misbehave, signals, bad options and bad
lesson files: sockstep explains, never shows a control byte from a peer,
never hangs, and leaves no process or listening socket behind.
Each test is a row of docs/bad-input.md."""
import json
import os
import signal
import socket
import struct
import subprocess
import tempfile
import time

from harness import (Skip, calls, children_of, events, free_port, listening,
                     one, port, read_until, rest, run, start, wait_for)

ESCAPES = b"\x1b[2J\x1b]0;pwned\x07\x9b31m\x00\r\x7f"


def serve(fmt="jsonl", *extra):
    """sockstep server on a kernel-chosen port; returns (proc, port, events)."""
    # the port comes from the JSONL trace, so discover it with a jsonl
    # server even for text; text runs use a free port instead.
    if fmt == "jsonl":
        p = start("server", "--headless", "--format", "jsonl", "--port", "0", *extra)
        got = read_until(p, lambda e: e.get("call") == "listen", timeout=10)
        return p, port(got[-1]["local"]), got
    prt = free_port()
    p = start("server", "--headless", "--format", "text", "--port", str(prt), *extra)
    wait_for(lambda: listening(prt), timeout=10)
    return p, prt, []


def finish(p, timeout=30):
    out, err = rest(p, timeout)
    return p.returncode, out, err


def assert_terminal_safe(text):
    """No C0 control but newline, no DEL, no byte above 0x7e."""
    for i, ch in enumerate(text):
        o = ord(ch)
        assert ch == "\n" or 0x20 <= o < 0x7f, \
            f"byte 0x{o:02x} at {i}: {text[max(0, i - 40):i + 40]!r}"


def known_bug(check, what):
    """Run check(); a failure names the row of docs/bad-input.md it breaks."""
    try:
        check()
    except AssertionError as e:
        raise AssertionError(f"{what}: {str(e)[:300]}") from e


def assert_no_child_left(pid, kids):
    time.sleep(0.1)
    for k in kids:
        if os.path.exists(f"/proc/{k}"):
            with open(f"/proc/{k}/stat") as f:
                st = f.read().rsplit(")", 1)[1].split()
            assert False, f"child {k} still there (state {st[0]})"
    assert children_of(pid) == []


def peer_exchange(prt, payload, linger_rst=False, read=True):
    s = socket.create_connection(("127.0.0.1", prt), timeout=10)
    try:
        if payload:
            s.sendall(payload)
        if linger_rst:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return b""
        if not read:
            return b""
        got = b""
        while True:
            try:
                b = s.recv(65536)
            except ConnectionResetError:
                break
            if not b:
                break
            got += b
        return got
    finally:
        s.close()


# ---- peer behaviours -----------------------------------------------------

def test_peer_escape_sequences_are_escaped_in_jsonl():
    p, prt, first = serve("jsonl")
    reply = peer_exchange(prt, ESCAPES)
    assert reply == b"please go out!", reply
    rc, out, err = finish(p)
    assert rc == 0, err
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    evs = first + events(out)
    recv = calls(evs, "server", "recv")[0]
    assert recv["bytes"] == len(ESCAPES)
    # the data field is sockstep's printable escape, JSON-encoded
    assert recv["data"] == "\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\0\\r\\x7f", recv["data"]


def test_peer_escape_sequences_are_escaped_in_text():
    p, prt, _ = serve("text")
    peer_exchange(prt, ESCAPES)
    rc, out, err = finish(p)
    assert rc == 0, err
    assert_terminal_safe(out)
    assert_terminal_safe(err)
    assert "\\x1b[2J" in out and "pwned" in out, out


def test_peer_sends_every_byte_value():
    data = bytes(range(256))
    for fmt in ("jsonl", "text"):
        p, prt, first = serve(fmt)
        peer_exchange(prt, data)
        rc, out, err = finish(p)
        assert rc == 0, err
        assert_terminal_safe(out)
        if fmt == "jsonl":
            for line in out.splitlines():
                json.loads(line)  # every line is JSON
            recv = calls(first + events(out), "server", "recv")[0]
            # recv(1024) on a stream: what arrived so far, at most 1024
            assert 1 <= recv["bytes"] <= 256


def test_peer_sends_one_megabyte():
    p, prt, first = serve("jsonl")
    s = socket.create_connection(("127.0.0.1", prt), timeout=10)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
    try:
        s.sendall(b"A" * (1 << 20))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may close (RST: unread data) before we finish
    try:
        s.settimeout(10)
        s.recv(100)
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    rc, out, err = finish(p)
    assert rc == 0, err
    evs = first + events(out)
    recv = calls(evs, "server", "recv")[0]
    assert recv["bytes"] <= 1024, recv["bytes"]
    assert len(out) < 200_000, f"output grew with the peer's data: {len(out)} bytes"
    assert_terminal_safe(out)


def test_peer_connects_and_disconnects_without_sending():
    p, prt, first = serve("jsonl")
    peer_exchange(prt, b"", read=False)
    rc, out, err = finish(p)
    evs = first + events(out)
    recv = calls(evs, "server", "recv")[0]
    assert recv["ret"] == 0, recv  # end of file, not an error
    # the seed answers "please go out!" to an empty message; the peer is
    # gone, so send may fail with EPIPE/ECONNRESET but must not kill us
    assert p.returncode in (0, 1), p.returncode
    assert "Traceback" not in err
    for s in calls(evs, "server", "send"):
        assert s["errno"] in (None, "EPIPE", "ECONNRESET"), s


def test_peer_resets_the_connection():
    p, prt, first = serve("jsonl")
    peer_exchange(prt, b"", linger_rst=True)
    rc, out, err = finish(p)
    assert rc in (0, 1), (rc, err)  # never killed by a signal
    evs = first + events(out)
    recv = calls(evs, "server", "recv")[0]
    assert recv["errno"] == "ECONNRESET" or recv["ret"] == 0, recv
    assert_no_child_left(p.pid, [])


def test_peer_resets_after_sending():
    p, prt, first = serve("jsonl")
    peer_exchange(prt, b"1", linger_rst=True)
    rc, out, err = finish(p)
    assert rc in (0, 1), (rc, err)
    evs = first + events(out)
    sends = calls(evs, "server", "send")
    # writing to a reset connection: EPIPE or ECONNRESET, never SIGPIPE
    for s in sends:
        assert s["ret"] == len("welcome to server!") or \
            s["errno"] in ("EPIPE", "ECONNRESET"), s


# ---- signals ---------------------------------------------------------------

def test_sigterm_while_blocked_in_accept_exits_and_frees_the_port():
    p, prt, _ = serve("jsonl")
    kids = children_of(p.pid)
    assert kids and listening(prt)
    os.kill(p.pid, signal.SIGTERM)
    p.wait(timeout=10)
    assert p.returncode != 0 and p.returncode != -signal.SIGTERM, \
        f"exit {p.returncode}: the handler should clean up and exit"
    assert_no_child_left(p.pid, kids)
    assert not listening(prt)


def test_sigint_in_text_mode_exits_130():
    p, prt, _ = serve("text")
    kids = children_of(p.pid)
    os.kill(p.pid, signal.SIGINT)
    p.wait(timeout=10)
    assert p.returncode == 130, p.returncode
    assert_no_child_left(p.pid, kids)
    assert not listening(prt)


def test_sigwinch_and_sigchld_do_not_disturb_a_headless_run():
    p, prt, first = serve("jsonl")
    for sig in (signal.SIGWINCH, signal.SIGCHLD, signal.SIGWINCH):
        os.kill(p.pid, sig)
        time.sleep(0.05)
    assert p.poll() is None, "a harmless signal stopped sockstep"
    assert peer_exchange(prt, b"1") == b"welcome to server!"
    rc, out, err = finish(p)
    assert rc == 0, err


def test_stdout_closed_early_sigpipe_leaves_nothing():
    # `sockstep --headless | head -1`: stdout's reader goes away
    prt = free_port()
    p = subprocess.Popen(["sh", "-c", f'"$0" --headless --port {prt} --pause 0 | head -c 10',
                          os.path.abspath(os.environ.get("SOCKSTEP", "build/sockstep"))],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         start_new_session=True)
    try:
        p.communicate(timeout=30)
    finally:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
    time.sleep(0.2)
    assert not listening(prt), "a listener outlived sockstep"
    out = subprocess.run(["pgrep", "-f", f"sockstep --headless --port {prt} "],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "", f"processes left: {out.stdout}"


def test_killed_actor_is_reported_and_nothing_is_left():
    p, prt, first = serve("jsonl")
    kids = children_of(p.pid)
    assert len(kids) == 1, kids
    os.kill(kids[0], signal.SIGKILL)
    rc, out, err = finish(p, timeout=15)
    assert rc not in (0, None), rc
    assert rc > 0, f"sockstep itself died of signal {-rc}"
    evs = first + events(out)
    said = " ".join(e.get("text", "") for e in evs if e["kind"] == "note") + err
    assert "server" in said and ("killed" in said or "signal" in said or "died" in said), said
    assert_no_child_left(p.pid, kids)
    assert not listening(prt)


def test_sockstep_killed_outright_takes_its_actors_with_it():
    # SIGKILL gives sockstep no chance to clean up: the actors must still
    # go (PR_SET_PDEATHSIG) and the listening port be released.
    p, prt, first = serve("jsonl")
    kids = children_of(p.pid)
    assert kids, "the server actor runs in a child process"
    os.kill(p.pid, signal.SIGKILL)
    p.wait(timeout=10)
    def alive(pid):
        # a zombie has exited; only its new parent (init) has to reap it
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    end = time.monotonic() + 5
    while any(alive(k) for k in kids) and time.monotonic() < end:
        time.sleep(0.02)
    assert not any(alive(k) for k in kids), "an actor outlived sockstep"
    assert not listening(prt)


# ---- options, hosts, ports -------------------------------------------------

def usage_error(*args):
    r = run(*args)
    assert r.returncode == 2, (args, r.returncode, r.stdout[-500:], r.stderr)
    lines = r.stderr.strip().splitlines()
    assert lines and lines[0].startswith("sockstep: "), r.stderr
    assert len(lines) <= 2, r.stderr
    assert r.stdout == "", r.stdout[:200]
    assert_terminal_safe(r.stderr)
    return lines[0]


def test_bad_numbers_are_usage_errors():
    usage_error("--headless", "--port", "-1")
    usage_error("--headless", "--port", "")
    usage_error("--headless", "--port", "9001x")
    usage_error("--headless", "--port", "99999999999999999999")
    usage_error("--headless", "--pause", "nan")
    usage_error("--headless", "--pause", "1e309")
    usage_error("server", "--headless", "--count", "abc")
    usage_error("server", "--headless", "--count", "-5")
    usage_error("--headless", "--step-limit", "-1")


def test_bad_hosts_are_usage_errors():
    usage_error("--headless", "--host", "999.1.1.1")
    usage_error("--headless", "--host", "")
    known_bug(lambda: usage_error("--headless", "--host", "\x1b[2Jevil"),
              "main.c echoes an unresolvable --host unescaped to stderr")


def test_missing_option_argument_and_unknown_command():
    usage_error("no-such-lesson-or-command")
    for opt in ("--port", "--format", "--host", "--record"):
        line = usage_error("--headless", opt)

        def names_the_option(line=line, opt=opt):
            assert opt in line and "argument" in line, line
        known_bug(names_the_option,
                  "main.c reports a missing argument as \"invalid option -- 'p'\" "
                  "(or a raw \\x01 for --host)")


def test_bind_to_all_interfaces_is_said():
    r = run("--headless", "--format", "jsonl", "--host", "0.0.0.0", "--port", "0",
            "--pause", "0")
    assert r.returncode == 0, r.stderr
    text = r.stderr + " ".join(e.get("text", "") for e in events(r.stdout)
                               if e["kind"] == "note")
    assert "all interfaces" in text or "0.0.0.0" in text, text


def test_privileged_port_without_privilege_is_a_traced_step():
    if os.geteuid() == 0:
        # root may bind 80: use a port in use instead (same code path)
        holder = socket.socket()
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        prt = holder.getsockname()[1]
        r = run("server", "--headless", "--format", "jsonl", "--port", str(prt))
        holder.close()
        assert r.returncode == 1
        assert one(events(r.stdout), "server", "bind")["errno"] == "EADDRINUSE"
        return
    r = run("server", "--headless", "--format", "jsonl", "--port", "80")
    assert r.returncode == 1
    assert one(events(r.stdout), "server", "bind")["errno"] == "EACCES"


# ---- lesson files ----------------------------------------------------------

def lesson_error(content, mode="w"):
    with tempfile.NamedTemporaryFile(mode, suffix=".md", delete=False) as f:
        f.write(content)
        path = f.name
    try:
        r = run(path, "--headless", "--port", "0", "--pause", "0")
    finally:
        os.unlink(path)
    assert r.returncode == 2, (r.returncode, r.stderr, r.stdout[-300:])
    line = r.stderr.strip().splitlines()[0]
    assert line.startswith("sockstep: "), line
    assert_terminal_safe(r.stderr)
    return line, os.path.basename(path)


def test_lesson_with_unknown_call_names_file_and_line():
    line, name = lesson_error("# t\n\n```sockstep\nserver: s = socket(AF_INET, SOCK_STREAM)\n"
                              "server: acept(s)\n```\n")
    assert f"{name}:5:" in line, line


def test_lesson_without_steps_or_unclosed_block():
    line, name = lesson_error("# only prose\n")
    assert name in line
    line, name = lesson_error("```sockstep\nserver: s = socket(AF_INET, SOCK_STREAM)\n")
    assert name in line


def test_lesson_binary_or_huge_or_missing():
    line, _ = lesson_error(b"```sockstep\n\x00\x01\x02\n```\n", mode="wb")
    line, _ = lesson_error("x" * (2 << 20) + "\n")
    r = run("/nonexistent/lesson.md", "--headless")
    assert r.returncode == 2 and r.stderr.startswith("sockstep: "), r.stderr


def test_lesson_with_terminal_escapes_in_its_text():
    # a lesson from the internet: its narration must not reach the terminal raw
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
        f.write("# \x1b]0;pwned\x07 title\n\n```sockstep\n"
                "server: s = socket(AF_INET, SOCK_STREAM)\n"
                "  say: clear \x1b[2J screen\n"
                "server: close(s)\n```\n")
        path = f.name
    try:
        r = run(path, "--headless", "--no-quiz")
    finally:
        os.unlink(path)
    known_bug(lambda: (assert_terminal_safe(r.stdout), assert_terminal_safe(r.stderr)),
              "a lesson's say:/title text reaches the terminal raw (script.c/output.c)")


def test_untraced_server_on_a_port_in_use_stops():
    # --no-trace (the benchmark baseline) makes the same calls: a failed
    # bind() must still stop the session, not listen() on a random port.
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    holder.listen(1)
    prt = holder.getsockname()[1]
    p = start("server", "--headless", "--port", str(prt), "--no-trace")
    try:
        def stops():
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                raise AssertionError("still running 5 s after bind() failed")
            assert p.returncode == 1, p.returncode
        known_bug(stops, "--no-trace ignores a failed bind(): the actor listens "
                  "on an ephemeral port of 0.0.0.0 and waits forever (actor.c)")
    finally:
        holder.close()
