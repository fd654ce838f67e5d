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
