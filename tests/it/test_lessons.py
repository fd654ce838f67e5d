"""The course: every lesson runs headless with its expectations holding,
the listing is in order, a lesson resolves by number, name and path, and a
malformed or wrong lesson is refused with the right exit status."""
import os
import re
import shutil
import tempfile
import time

from harness import ROOT, run, events

LESSONS = os.path.join(ROOT, "lessons")


def lesson_files():
    return sorted(f for f in os.listdir(LESSONS) if re.match(r"\d\d-[a-z0-9-]+\.md$", f))


def test_course_has_the_lessons_in_teaching_order():
    files = lesson_files()
    assert len(files) >= 21, files
    assert [int(f[:2]) for f in files] == list(range(1, len(files) + 1))
    # issue 13: refused connections and stream boundaries right after the
    # handshake; closing and TIME_WAIT before address reuse
    order = [f[3:-3] for f in files]
    at = order.index
    assert at("handshake-in-kernel") < at("connection-refused") < at("backlog")
    assert at("handshake-in-kernel") < at("stream-no-boundaries") < at("backlog")
    assert at("closing") < at("address-in-use") and at("abort") < at("address-in-use")


def script_lines(text):
    blocks = re.findall(r"^```sockstep\n(.*?)^```", text, re.S | re.M)
    return "".join(blocks).splitlines()


def test_every_lesson_asks_at_least_two_questions():
    for f in lesson_files():
        with open(os.path.join(LESSONS, f)) as fh:
            lines = script_lines(fh.read())
        asks = [l for l in lines if l.strip().startswith("ask:")]
        answers = [l for l in lines if l.strip().startswith("answer:")]
        assert len(asks) >= 2, f"{f}: {len(asks)} predict-then-step questions"
        assert len(answers) == len(asks), f


def test_learner_text_says_the_tutorial_not_the_seed():
    # code identifiers (tests/seed/, the old @seed-reply spelling) aside
    for f in lesson_files() + ["README.md"]:
        with open(os.path.join(LESSONS, f)) as fh:
            text = fh.read()
        text = text.replace("tests/seed", "").replace("@seed-reply", "")
        assert not re.search(r"\bseed\b", text, re.I), f"{f} says 'seed' to the learner"


def test_every_lesson_runs_headless_and_its_expectations_hold():
    for f in lesson_files():
        start = time.monotonic()
        r = run("--headless", "--format", "jsonl", os.path.join("lessons", f), timeout=60)
        took = time.monotonic() - start
        evs = events(r.stdout)
        expects = [e for e in evs if e["kind"] == "expect"]
        failed = [e for e in expects if not e["ok"]]
        errors = [e for e in evs if e["kind"] == "note" and e.get("level") == "error"]
        assert r.returncode == 0, f"{f}: exit {r.returncode}: {failed or errors} {r.stderr}"
        assert expects, f"{f}: no expectation checked"
        assert not failed, f"{f}: {failed}"
        steps = [e for e in evs if e["kind"] == "step"]
        assert steps and steps[-1]["index"] == steps[-1]["count"], f"{f}: did not run to its end"
        assert all(e["text"] for e in steps), f"{f}: a step without narration"
        # make check runs them all: lesson 6's SYN timeout (~3 s) is the
        # longest wait by design
        assert took < 8, f"{f} took {took:.1f}s"


def test_lessons_lists_all_in_order_with_title_and_summary():
    r = run("lessons")
    assert r.returncode == 0, r.stderr
    numbers = [int(m.group(1)) for m in re.finditer(r"^\s*(\d+)\s+\S", r.stdout, re.M)]
    assert numbers == list(range(1, len(lesson_files()) + 1)), r.stdout
    assert "cannot load" not in r.stdout
    assert "accept-new-socket" in r.stdout
    assert "The first exchange" in r.stdout


def test_number_name_and_path_resolve_to_the_same_lesson():
    outs = []
    for what in ("2", "02", "accept-new-socket", "lessons/02-accept-new-socket.md"):
        r = run("--headless", "--format", "jsonl", what)
        assert r.returncode == 0, f"{what}: {r.stderr}"
        steps = [(e["step"], e["text"]) for e in events(r.stdout) if e["kind"] == "step"]
        outs.append(steps)
    assert all(o == outs[0] for o in outs)


def test_unknown_lesson_is_a_usage_error():
    r = run("--headless", "no-such-lesson")
    assert r.returncode == 2
    assert "no-such-lesson" in r.stderr


def test_lesson_two_disproves_the_new_port_claim():
    r = run("--headless", "--format", "jsonl", "2")
    assert r.returncode == 0
    evs = events(r.stdout)
    server = [e for e in evs if e["kind"] == "call" and e["actor"] == "server"]
    listen = next(e for e in server if e["call"] == "listen")
    accepts = [e for e in server if e["call"] == "accept"]
    lport = int(listen["local"].rsplit(":", 1)[1])
    assert len(accepts) == 2
    for a in accepts:
        assert int(a["local"].rsplit(":", 1)[1]) == lport
    assert accepts[0]["peer"] != accepts[1]["peer"]
    assert accepts[0]["ret"] != accepts[1]["ret"]
    assert "new port" in open(os.path.join(LESSONS, "02-accept-new-socket.md")).read()


def test_text_transcript_is_printable():
    r = run("--headless", "--format", "text", "1")
    assert r.returncode == 0
    assert "step 1/" in r.stdout and "[ok]" in r.stdout
    assert all(c == "\n" or 32 <= ord(c) < 127 for c in r.stdout), "control bytes"


BAD = {
    "syntax": ("server: s = socket(AF_INET, SOCK_STREAM\n", "expected call"),
    "call": ("server: s = socket(AF_INET, SOCK_STREAM)\nserver: lisen(s, 5)\n",
             "unknown call 'lisen'"),
    "actor": ("server: s = socket(AF_INET, SOCK_STREAM)\nbob: close(s)\n",
              "unknown actor 'bob'"),
    "socket": ("server: s = socket(AF_INET, SOCK_STREAM)\nserver: listen(t, 5)\n",
               "socket 't'"),
    "expect": ("server: s = socket(AF_INET, SOCK_STREAM)\n  expect: colour == red\n",
               "unknown field"),
    "ref": ("server: s = socket(AF_INET, SOCK_STREAM)\n"
            "  expect: local.port == client.k.local.port\n", "unknown actor 'client'"),
}


def write_lesson(d, name, body):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write("# A lesson\n\nSome prose.\n\n```sockstep\n" + body + "```\n")
    return path


def test_malformed_lesson_gives_file_line_reason_and_status_2():
    d = tempfile.mkdtemp(prefix="sockstep-it-")
    try:
        for kind, (body, reason) in BAD.items():
            path = write_lesson(d, f"99-{kind}.md", body)
            # the faulty line is the last line of the body
            line = 5 + body.count("\n")
            r = run("--headless", path)
            assert r.returncode == 2, f"{kind}: exit {r.returncode} {r.stderr}"
            want = f"{path}:{line}: "
            assert want in r.stderr, f"{kind}: want '{want}' in {r.stderr!r}"
            assert reason in r.stderr, f"{kind}: want {reason!r} in {r.stderr!r}"
            assert len(r.stderr.strip().splitlines()) == 1, r.stderr
            assert r.stdout == "", f"{kind}: something ran: {r.stdout[:200]}"
    finally:
        shutil.rmtree(d)


def test_failed_expectation_exits_1_and_names_the_step():
    d = tempfile.mkdtemp(prefix="sockstep-it-")
    try:
        # the tutorial's claim as an expectation: the kernel disagrees
        path = write_lesson(d, "98-wrong.md", (
            "server: s = socket(AF_INET, SOCK_STREAM)\n"
            "  say: listening socket\n"
            "server: bind(s, 127.0.0.1:auto)\n"
            "  say: any port\n"
            "server: listen(s, 5)\n"
            "  say: listen\n"
            "client: k = socket(AF_INET, SOCK_STREAM)\n"
            "  say: client\n"
            "client: connect(k, server.s)\n"
            "  say: connect\n"
            "server: c = accept(s)\n"
            "  say: the tutorial says a new port\n"
            "  expect: local.port != server.s.local.port\n"
            "server: close(c)\n"
            "  say: close\n"))
        r = run("--headless", path)
        assert r.returncode == 1, r.stdout
        failed = [l for l in r.stdout.splitlines() if "[FAILED]" in l]
        assert len(failed) == 1 and "local.port != server.s.local.port" in failed[0], r.stdout
        # the transcript names the step right above the failure
        header = r.stdout[:r.stdout.index("[FAILED]")].rsplit("\n  step ", 1)[-1]
        assert header.startswith("6/7 (server): the tutorial says a new port"), r.stdout
        r = run("--headless", "--format", "jsonl", path)
        assert r.returncode == 1
        bad = [e for e in events(r.stdout) if e["kind"] == "expect" and not e["ok"]]
        assert len(bad) == 1 and bad[0]["step"] == 6 and bad[0]["actor"] == "server"
    finally:
        shutil.rmtree(d)


def test_unexpected_failed_call_stops_with_status_1():
    d = tempfile.mkdtemp(prefix="sockstep-it-")
    try:
        path = write_lesson(d, "97-refused.md", (
            "server: s = socket(AF_INET, SOCK_STREAM)\n"
            "server: bind(s, 127.0.0.1:auto)\n"
            "client: k = socket(AF_INET, SOCK_STREAM)\n"
            "client: connect(k, server.s)\n"
            "  say: nobody listens and the lesson did not say fails\n"
            "client: close(k)\n"))
        r = run("--headless", "--format", "jsonl", path)
        assert r.returncode == 1
        evs = events(r.stdout)
        assert not [e for e in evs if e["kind"] == "call" and e["call"] == "close"]
    finally:
        shutil.rmtree(d)


def test_unix_lesson_leaves_no_socket_file():
    before = set(f for f in os.listdir("/tmp") if f.startswith("sockstep-") and f.endswith(".sock"))
    r = run("--headless", "unix-sockets")
    assert r.returncode == 0, r.stdout[-2000:]
    after = set(f for f in os.listdir("/tmp") if f.startswith("sockstep-") and f.endswith(".sock"))
    assert after <= before, after - before


def test_an_actor_blocked_for_ever_before_its_own_next_step_ends_at_the_step_limit():
    # A send into a full buffer nobody reads never returns; the next step is
    # the same actor's, so it can never be granted: the step limit must end
    # the session (it used to wait for ever).
    d = tempfile.mkdtemp(prefix="sockstep-it-")
    try:
        path = write_lesson(d, "96-stuck.md", (
            "server: s = socket(AF_INET, SOCK_STREAM)\n"
            "server: setsockopt(s, SO_RCVBUF, 4096)\n"
            "server: bind(s, 127.0.0.1:auto)\n"
            "server: listen(s, 5)\n"
            "client: k = socket(AF_INET, SOCK_STREAM)\n"
            "client: setsockopt(k, SO_SNDBUF, 4096)\n"
            "client: connect(k, server.s)\n"
            "client: send(k, @fill:1000000)\n"
            "client: close(k)\n"))
        start = time.monotonic()
        r = run("--headless", "--format", "jsonl", "--step-limit", "2", path, timeout=30)
        took = time.monotonic() - start
        assert r.returncode == 1, r.stdout[-1000:]
        assert took < 10, took
        notes = [e["text"] for e in events(r.stdout) if e["kind"] == "note"]
        assert any("step 9 never began" in n for n in notes), notes
    finally:
        shutil.rmtree(d)
