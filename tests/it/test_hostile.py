"""Issue 16: hostile files, broken outputs, stubborn signals.  Each test is
a row of docs/bad-input.md: the exact message and exit status, nothing raw
on the terminal, nothing lost, nothing left behind."""
import os
import subprocess
import tempfile
import time

from harness import SOCKSTEP, ROOT, children_of, free_port, listening, run
from test_hardening import assert_terminal_safe

BIN = os.path.abspath(SOCKSTEP)


def sh(script, timeout=30, **kw):
    """Run a bash script with $S naming sockstep; (rc, out, err, seconds)."""
    t = time.monotonic()
    r = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                       timeout=timeout, cwd=ROOT, env=dict(os.environ, S=BIN), **kw)
    return r.returncode, r.stdout, r.stderr, time.monotonic() - t


def no_sockstep_left(prt):
    time.sleep(0.2)
    assert not listening(prt), "a listener outlived sockstep"
    out = subprocess.run(["pgrep", "-f", f"sockstep --headless --port {prt} "],
                         capture_output=True, text=True)
    assert out.stdout.strip() == "", f"processes left: {out.stdout}"


# ---- write errors -----------------------------------------------------------

def test_output_to_a_full_disk_is_an_error():
    prt = free_port()
    rc, out, err, _ = sh(f'"$S" --headless --port {prt} --pause 0 >/dev/full')
    assert rc == 1, (rc, err)
    assert err == "sockstep: cannot write the output: No space left on device\n", err
    no_sockstep_left(prt)


def test_jsonl_output_to_a_full_disk_is_an_error():
    rc, out, err, _ = sh('"$S" --headless --format jsonl --port 0 --pause 0 >/dev/full')
    assert rc == 1, (rc, err)
    assert err == "sockstep: cannot write the output: No space left on device\n", err


def test_record_to_a_full_disk_is_an_error():
    prt = free_port()
    rc, out, err, _ = sh(f'"$S" --headless --port {prt} --pause 0 --record /dev/full')
    assert rc == 1, (rc, err)
    assert err == "sockstep: cannot write /dev/full: No space left on device\n", err
    no_sockstep_left(prt)


def test_a_reader_that_goes_away_ends_the_session_quietly():
    # --pause 5: the whole run takes over 5 s; `| head -1` must not wait for it
    prt = free_port()
    rc, out, err, took = sh(f'"$S" --headless --port {prt} --pause 5 | head -1; '
                            'echo "status ${PIPESTATUS[0]}"')
    assert took < 3, f"ran on for {took:.1f}s after its reader left"
    assert out.endswith("status 141\n"), out
    assert err == "", err
    no_sockstep_left(prt)


def test_record_to_a_fifo_nobody_reads_is_refused_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "rec")
        os.mkfifo(fifo)
        r = run("--headless", "--port", "0", "--pause", "0", "--record", fifo, timeout=10)
        assert r.returncode == 2, (r.returncode, r.stderr)
        assert r.stderr == f"sockstep: cannot write {fifo}: nobody reads it (a FIFO without a reader)\n", r.stderr
        assert r.stdout == ""


# ---- files of other kinds ---------------------------------------------------

def test_answers_that_are_not_regular_files_are_refused_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "answers")
        os.mkfifo(fifo)
        for path, kind in ((fifo, "a FIFO or pipe"), ("/dev/zero", "a character device"),
                           (tmp, "a directory")):
            r = run("01", "--headless", "--answers", path, timeout=10)
            assert r.returncode == 2, (path, r.returncode, r.stderr)
            first = r.stderr.splitlines()[0]
            assert first == f"sockstep: --answers: cannot read {path}: {kind}, not a file", first
            assert r.stdout == ""


# ---- processes --------------------------------------------------------------

def test_stdin_stdout_and_stderr_closed_at_start():
    # the first fds sockstep opens would be 0-2: the event pipe on "stderr"
    # was overwritten by an actor's dup2, and the run stalled 30 s
    with tempfile.TemporaryDirectory() as tmp:
        rec = os.path.join(tmp, "t.jsonl")
        prt = free_port()
        rc, out, err, took = sh(f'"$S" --headless --port {prt} --pause 0 --record {rec} '
                                '<&- >&- 2>&-')
        assert rc == 0, rc
        assert took < 10, f"took {took:.1f}s"
        with open(rec) as f:
            kinds = f.read()
        assert '"call":"close"' in kinds, kinds[-500:]
        no_sockstep_left(prt)


# ---- bytes from files reach the terminal escaped ----------------------------

HOSTILE_TRACE = r'''{"t":0.1,"kind":"step","actor":"ser\u001b[2Jver","step":1,"index":1,"count":3,"text":"narr \u001b]0;pwned\u0007"}
{"t":0.2,"kind":"call","actor":"ser\u001bver","step":1,"call":"socket","sock":null,"newsock":"s\u001b","args":"AF_INET\u009b, \u001b[31m","fd":null,"ret":3,"errno":null,"error":null,"local":"0.0.0.0:0\u001b","peer":"x\u0007","state":"CLOSE","queue":null,"backlog":null,"bytes":null,"unread":null,"trunc":false,"data":null,"inode":1,"family":"AF_INET","type":"SOCK_STREAM"}
{"t":0.3,"kind":"socket","actor":"kernel\u001b","snapshot":1,"rows":1,"local":"127.0.0.1:1\u001b[2J","peer":"\u001b]0;x\u0007","state":"LISTEN","recv_q":0,"send_q":5,"owner":{"actor":"o\u001b","fd":3},"inode":1,"timer":null,"timer_ms":null}
{"t":0.4,"kind":"packet","actor":"kernel","src":"a\u001b[2J","dst":"b\u0007","flags":"S\u001b","seq":1,"ack":0,"rel_seq":0,"rel_ack":0,"len":0,"win":100}
{"t":0.5,"kind":"note","actor":"k\u001b","level":"warning","text":"n\u001b[2J"}
{"t":0.6,"kind":"process","actor":"server","step":null,"pid":42,"what":"started","ppid":null,"status":null,"signal":null,"command":"py\u001b]0;x\u0007 s.py"}
{"t":0.7,"kind":"output","actor":"client","step":null,"pid":43,"stream":"stdout","text":"out\u001b[2J"}
'''


def hostile_trace(tmp):
    path = os.path.join(tmp, "hostile.jsonl")
    with open(path, "w") as f:
        f.write(HOSTILE_TRACE)
    return path


def test_replay_headless_escapes_every_field():
    with tempfile.TemporaryDirectory() as tmp:
        r = run("replay", hostile_trace(tmp), "--headless", timeout=20)
    assert r.returncode == 0, r.stderr
    assert_terminal_safe(r.stdout)
    assert_terminal_safe(r.stderr)
    for shown in ("ser\\x1b[2Jver", "s\\x1b = socket(AF_INET\\xc2\\x9b, \\x1b[31m)",
                  "0.0.0.0:0\\x1b", "x\\x07", "127.0.0.1:1\\x1b[2J", "o\\x1b fd 3",
                  "a\\x1b[2J > b\\x07  [S\\x1b]", "k\\x1b", "n\\x1b[2J",
                  "py\\x1b]0;x\\x07 s.py", "out\\x1b[2J"):
        assert shown in r.stdout, (shown, r.stdout)


def test_replay_parse_error_quotes_the_file_escaped():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "bad.jsonl")
        with open(path, "w") as f:
            f.write('{"kind":"call","errno":"E\\u001b[2J"}\n')
        r = run("replay", path, "--headless", timeout=20)
    assert r.returncode != 0
    assert_terminal_safe(r.stderr)
    assert 'unknown name "E\\x1b[2J"' in r.stderr, r.stderr


def test_lessons_list_escapes_names_and_titles():
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "01-\x1b[2Jevil.md"), "w") as f:
            f.write("# title \x1b]0;pwned\x07\n\nsummary \x1b[31m red\n\n```sockstep\n"
                    "server: s = socket(AF_INET, SOCK_STREAM)\n```\n")
        with open(os.path.join(tmp, "02-broken\x07.md"), "w") as f:
            f.write("# broken\n\n```sockstep\nserver: acept\x1b[2J(s)\n```\n")
        r = run("lessons", env={"SOCKSTEP_LESSONS": tmp})
    assert r.returncode == 0, r.stderr
    assert_terminal_safe(r.stdout)
    assert "01-\\x1b[2Jevil" in r.stdout or "\\x1b[2Jevil" in r.stdout, r.stdout
    assert "title \\x1b]0;pwned\\x07" in r.stdout, r.stdout
    assert "broken\\x07" in r.stdout, r.stdout


# ---- lesson files -------------------------------------------------------------

STEPS = "```sockstep\nserver: s = socket(AF_INET, SOCK_STREAM)\nserver: close(s)\n```\n"


def lesson_run(content, *extra, timeout=20):
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "lesson.md")
        with open(path, "w") as f:
            f.write(content)
        r = run(path, "--headless", "--pause", "0", *extra, timeout=timeout)
    assert_terminal_safe(r.stdout)
    assert_terminal_safe(r.stderr)
    return r, path


def test_lessons_that_are_not_regular_files_are_refused_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "fifo.md")
        os.mkfifo(fifo)
        for path, kind in ((fifo, "a FIFO or pipe"), (tmp, "a directory"),
                           (tmp + "/", "a directory"), ("/dev/zero", "a character device")):
            r = run(path, "--headless", timeout=10)
            assert r.returncode == 2, (path, r.returncode, r.stderr)
            assert r.stderr == f"sockstep: cannot read {path}: {kind}, not a file\n", r.stderr


def test_a_lesson_path_that_cannot_be_read_says_why():
    r = run("/nonexistent/lesson.md", "--headless")
    assert r.returncode == 2
    assert r.stderr == "sockstep: cannot read /nonexistent/lesson.md: No such file or directory\n", r.stderr
    if os.geteuid() != 0:  # root reads any file
        with tempfile.NamedTemporaryFile("w", suffix=".md") as f:
            os.chmod(f.name, 0)
            r = run(f.name, "--headless")
            assert r.stderr == f"sockstep: cannot read {f.name}: Permission denied\n", r.stderr


def test_long_prose_lines_are_fine_long_step_lines_are_not():
    r, _ = lesson_run("# t\n\n" + "word " * 1000 + "\n\n" + STEPS)
    assert r.returncode == 0, r.stderr
    assert "close(s)" in r.stdout
    r, path = lesson_run("# t\n\n```sockstep\nserver: s = socket(AF_INET, SOCK_STREAM)\n"
                         "  say: " + "x" * 1100 + "\n```\n")
    assert r.returncode == 2
    assert r.stderr.endswith("lesson.md:5: line longer than 1023 characters\n"), r.stderr


def test_lesson_parse_error_quotes_the_lesson_escaped():
    r, path = lesson_run("# t\n\n```sockstep\nserver: acept\x1b[2J(s)\n```\n")
    assert r.returncode == 2
    assert r.stderr == f"sockstep: {path}:4: unknown call 'acept\\x1b[2J'\n", r.stderr


def test_unknown_lesson_name_is_echoed_escaped():
    r = run("no-such\x1b[2J", "--headless")
    assert r.returncode == 2
    assert_terminal_safe(r.stderr)
    assert "'no-such\\x1b[2J'" in r.stderr, r.stderr


# ---- what a lesson may ask ------------------------------------------------------

def test_v4_mapped_wildcard_is_announced_like_0_0_0_0():
    r = run("--headless", "--format", "jsonl", "--host", "::ffff:0.0.0.0", "--port", "0",
            "--pause", "0")
    assert r.returncode == 0, r.stderr
    # on the host network "other machines can connect"; in a private
    # network "all interfaces of the private network": said either way
    assert "sockstep: note: ::ffff:0.0.0.0 binds to all interfaces" in r.stderr, r.stderr
    binds = [e for e in events_of(r.stdout) if e.get("call") == "bind"]
    assert binds and binds[0]["args"] == "[::ffff:0.0.0.0]:0", binds


def test_link_local_host_keeps_its_scope_id():
    # lo has no fe80::1: the kernel refuses the bind, but the step shows
    # the address as given, with its interface
    r = run("--headless", "--format", "jsonl", "--host", "fe80::1%lo", "--port", "0",
            "--pause", "0")
    bind = [e for e in events_of(r.stdout) if e.get("call") == "bind"][0]
    assert bind["args"] == "[fe80::1%lo]:0", bind
    assert bind["errno"] == "EADDRNOTAVAIL", bind
    assert r.returncode == 1


def test_client_mode_against_a_silent_server_ends_after_5_seconds():
    import socket
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    prt = srv.getsockname()[1]
    try:
        t = time.monotonic()
        r = run("client", "--headless", "--format", "jsonl", "--port", str(prt),
                "--pause", "0", timeout=30)
        took = time.monotonic() - t
    finally:
        srv.close()
    assert took < 15, f"took {took:.1f}s"
    recv = [e for e in events_of(r.stdout) if e.get("call") == "recv"
            and e["kind"] == "call"][0]
    assert recv["errno"] == "EAGAIN", recv
    assert r.returncode == 1, r.returncode


def events_of(text):
    import json
    return [json.loads(line) for line in text.splitlines() if line.strip()]


# ---- terminals -----------------------------------------------------------------

def test_dumb_terminal_is_refused_with_one_line():
    from test_ui import Tmux
    t = Tmux(200, 20, ["--port", "0", "--pause", "0"], env={"TERM": "dumb"})
    try:
        assert t.exit_status() == "EXIT=1"
        # with its history: a dead pane scrolls its last screen up
        shown = t.tmux("capture-pane", "-p", "-S", "-100", "-t", "ui").stdout
        lines = [line for line in shown.splitlines() if line.strip()]
        assert lines[0] == ("sockstep: terminal type 'dumb' cannot move the cursor (use --headless, "
                            "or a TERM such as xterm-256color)"), lines
    finally:
        t.close()


def test_too_small_message_is_whole_at_20x5():
    from test_ui import Tmux, check_width
    t = Tmux(20, 5, ["--port", "0", "--pause", "0"])
    try:
        s = t.wait_screen(lambda s: "quits" in s, what="the whole too-small message")
        check_width(s, 20, 5)
        words = " ".join(s.split())
        assert words == "terminal too small (need 80x24); this one is 20x5: enlarge it, or q quits", words
        t.keys("q")
        assert t.exit_status() == "EXIT=0"
    finally:
        t.close()


# ---- recordings: memory, kinds, never destroyed by their output ----------------

def recorded(tmp):
    path = os.path.join(tmp, "t.jsonl")
    r = run("--headless", "--port", "0", "--pause", "0", "--no-packets", "--record", path)
    assert r.returncode == 0, r.stderr
    with open(path, "rb") as f:
        return path, f.read()


def test_an_input_is_never_destroyed_by_its_output():
    with tempfile.TemporaryDirectory() as tmp:
        path, before = recorded(tmp)
        alias = os.path.join(tmp, "alias.svg")
        os.symlink(path, alias)
        for args, prefix in ((("export", path, "-o", path), "sockstep: export: "),
                             (("export", path, "-o", alias), "sockstep: export: "),
                             (("replay", path, "--headless", "--record", path), "sockstep: ")):
            r = run(*args, timeout=20)
            assert r.returncode in (1, 2), (args, r.returncode, r.stderr)
            out = args[args.index("-o") + 1] if "-o" in args else path
            assert r.stderr == f"{prefix}cannot write {out}: it is also the input, which writing would destroy\n", r.stderr
            with open(path, "rb") as f:
                assert f.read() == before, f"{args} changed its input"
        # standard input redirected from the output file: the same file
        rc, out, err, _ = sh(f'"$S" export - -o {path} < {path}')
        assert rc == 1 and "it is also the input" in err, err
        with open(path, "rb") as f:
            assert f.read() == before


def memory_limit():
    """`ulimit -v` of 1 GB: a reader holding the whole line would fail.
    AddressSanitizer reserves terabytes of shadow: no limit under it."""
    with open(BIN, "rb") as f:
        asan = b"__asan_init" in f.read()
    return "" if asan else "ulimit -v 1000000; "


def test_endless_and_huge_recordings_are_refused_quickly():
    with tempfile.TemporaryDirectory() as tmp:
        # a 1 GB line (sparse: no disk used) and /dev/zero through stdin
        big = os.path.join(tmp, "big.jsonl")
        with open(big, "wb") as f:
            f.truncate(1 << 30)
        for script, name in ((f'"$S" export --format svg {big}', big),
                             ('"$S" export --format svg - < /dev/zero', "stdin"),
                             (f'"$S" replay {big} --headless', big)):
            rc, out, err, took = sh(f"{memory_limit()}{script}", timeout=30)
            assert took < 5, f"{script}: {took:.1f}s"
            assert rc == 1, (script, rc, err)
            assert err.endswith(f"{name}:1: line longer than 1048576 bytes\n"), err
            assert out == ""


def test_recordings_that_are_not_regular_files_are_refused_at_once():
    with tempfile.TemporaryDirectory() as tmp:
        fifo = os.path.join(tmp, "t.jsonl")
        os.mkfifo(fifo)
        for path, kind in ((fifo, "a FIFO or pipe"), ("/dev/zero", "a character device"),
                           (tmp, "a directory")):
            r = run("replay", path, "--headless", timeout=10)
            assert (r.returncode, r.stderr) == (1, f"sockstep: cannot read {path}: {kind}, not a file\n")
            r = run("export", path, timeout=10)
            assert (r.returncode, r.stderr) == (1, f"sockstep: export: cannot read {path}: {kind}, not a file\n")


def test_export_write_errors():
    with tempfile.TemporaryDirectory() as tmp:
        path, _ = recorded(tmp)
        rc, out, err, _ = sh(f'"$S" export {path} >/dev/full')
        assert rc == 1 and err.startswith("sockstep: export: cannot write") and \
            err.endswith(": No space left on device\n"), (rc, err)
        assert err.count("\n") == 1, err
        rc, out, err, _ = sh(f'"$S" export --format svg -o /dev/full {path}')
        assert rc == 1 and err.endswith("No space left on device\n"), (rc, err)
        # a failed export removes its half-written file, never a device
        # (as root, unlink("/dev/full") would succeed)
        import stat
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode), "export removed /dev/full"


def test_every_unix_socket_file_a_lesson_makes_is_removed():
    # more than four, one with a non-ASCII name and one with a backslash:
    # the event shows them escaped, the file is removed by its real name
    names = ["a", "b", "c", "d", "e", "caf\u00e9", "back\\slash"]
    with tempfile.TemporaryDirectory() as tmp:
        steps = "".join(f"server: s{i} = socket(AF_UNIX, SOCK_STREAM)\n"
                        f"server: bind(s{i}, {tmp}/{n}.sock)\n" for i, n in enumerate(names))
        steps += "".join(f"server: close(s{i})\n" for i in range(len(names)))
        lesson = os.path.join(tmp, "unix.md")
        with open(lesson, "w") as f:
            f.write("# unix\n\n```sockstep\n" + steps + "```\n")
        r = run(lesson, "--headless", "--format", "jsonl", "--pause", "0")
        assert r.returncode == 0, r.stderr
        binds = [e for e in events_of(r.stdout) if e.get("call") == "bind"]
        assert [b["ret"] for b in binds] == [0] * len(names), binds
        assert binds[5]["local"] == f"{tmp}/caf\\xc3\\xa9.sock", binds[5]
        assert os.listdir(tmp) == ["unix.md"], os.listdir(tmp)


def test_a_reference_to_an_unbound_socket_is_said():
    r, _ = lesson_run("# unbound\n\n```sockstep\nclient: k = socket(AF_INET, SOCK_STREAM)\n"
                      "server: s = socket(AF_INET, SOCK_STREAM)\nserver: bind(s, client.k)\n"
                      "server: close(s)\nclient: close(k)\n```\n", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    evs = events_of(r.stdout)
    warn = [e for e in evs if e["kind"] == "note" and "client.k" in e["text"]]
    assert warn and warn[0]["text"] == ("client.k has no address yet (never bound or "
                                        "connected): this call gets 0.0.0.0:0"), warn
    assert warn[0]["level"] == "warning"
    bind = [e for e in evs if e.get("call") == "bind"][0]
    assert bind["args"] == "0.0.0.0:0" and evs.index(warn[0]) < evs.index(bind)


def test_an_option_name_is_not_taken_for_an_address():
    # setsockopt's option and poll's sockets are not addresses: no
    # "has no address yet" warning for them (the demo once had one).
    r, _ = lesson_run("# opts\n\n```sockstep\nserver: s = socket(AF_INET, SOCK_STREAM)\n"
                      "server: setsockopt(s, SO_RCVTIMEO, 1)\nserver: poll(s, POLLOUT, 0)\n"
                      "server: close(s)\n```\n", "--format", "jsonl")
    assert r.returncode == 0, r.stderr
    notes = [e for e in events_of(r.stdout) if e["kind"] == "note"]
    assert not [n for n in notes if "has no address yet" in n["text"]], notes
    r = run("--headless", "--port", "0", "--pause", "0")
    assert r.returncode == 0 and "has no address yet" not in r.stdout, r.stdout


def test_an_actor_stopped_with_sigstop_ends_the_session():
    import signal
    from harness import start, read_until
    p = start("--headless", "--format", "jsonl", "--port", "0", "--pause", "3")
    got = read_until(p, lambda e: e.get("call") == "listen", timeout=10)
    prt = int(got[-1]["local"].rsplit(":", 1)[1])
    kids = children_of(p.pid)
    assert len(kids) == 2, kids
    for k in kids:
        os.kill(k, signal.SIGSTOP)
    t = time.monotonic()
    out, err = p.communicate(timeout=15)
    assert time.monotonic() - t < 5, "the session waited on a stopped actor"
    assert p.returncode == 1, (p.returncode, err)
    notes = [e["text"] for e in events_of(out) if e["kind"] == "note"]
    assert any(n.endswith("process is stopped (SIGSTOP or a debugger): the session ends")
               for n in notes), notes
    time.sleep(0.1)
    for k in kids:
        assert not os.path.exists(f"/proc/{k}"), f"actor {k} left behind"
    assert not listening(prt)


def test_export_usage_errors_quote_what_was_typed_escaped():
    for args, shown in ((("--format", "x\x1b[2J", "t.jsonl"), "invalid format 'x\\x1b[2J'"),
                        (("--bo\x1b", "t.jsonl"), "unrecognized option '--bo\\x1b'"),
                        (("a", "b\x07"), "unexpected argument 'b\\x07'")):
        r = run("export", *args)
        assert r.returncode == 2, r.returncode
        assert_terminal_safe(r.stderr)
        assert r.stderr.startswith(f"sockstep: export: {shown}"), r.stderr


def test_an_unknown_option_is_echoed_escaped_once():
    r = run("--bog\x1b[2J")
    assert r.returncode == 2
    assert r.stderr.splitlines()[0] == "sockstep: unrecognized option '--bog\\x1b[2J'", r.stderr


def test_ui_record_to_a_full_disk_ends_the_session_with_one_line():
    from test_ui import Tmux
    t = Tmux(200, 30, ["--port", "0", "--pause", "0", "--record", "/dev/full"])
    try:
        assert t.exit_status() == "EXIT=1"
        shown = t.tmux("capture-pane", "-p", "-S", "-100", "-t", "ui").stdout
        lines = [line for line in shown.splitlines() if line.strip()]
        assert lines[0] == "sockstep: cannot write /dev/full: No space left on device", lines
        stty = t.stty()
        assert " icanon" in stty and " echo" in stty, stty
    finally:
        t.close()
