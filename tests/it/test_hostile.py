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
                  "a\\x1b[2J > b\\x07  [S\\x1b]", "k\\x1b", "n\\x1b[2J"):
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
