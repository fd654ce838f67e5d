"""Issue 7: predict, then step — answers scored against the kernel."""
import os
import tempfile

from harness import events, free_port, run

LESSON = """# quiz
```sockstep
server: s = socket(AF_INET, SOCK_STREAM)
server: bind(s, 127.0.0.1:${port})
server: listen(s, 5)
client: k = socket(AF_INET, SOCK_STREAM)
client: connect(k, server.s)
server: c = accept(s)
  ask: What local port will the accepted socket have?
  answer: local.port
  explain: same port as the listener
server: s2 = socket(AF_INET, SOCK_STREAM)
server: bind(s2, server.s)
  ask: Will this bind succeed? [yes | no]
  answer: ok
  expect: fails EADDRINUSE
```
"""


def quiz(*answers, extra=()):
    prt = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "quiz.md")
        with open(path, "w") as f:
            f.write(LESSON)
        args = ["--headless", "--format", "jsonl", "--port", str(prt), path, *extra]
        for a in answers:
            args += ["--answer", a]
        r = run(*args)
    assert r.returncode == 0, r.stdout + r.stderr
    evs = events(r.stdout)
    return prt, evs


def verdicts(evs):
    return [e["ok"] for e in evs if e["kind"] == "answer"]


def test_right_answer_to_accepted_port_is_scored_right():
    p = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "quiz.md")
        with open(path, "w") as f:
            f.write(LESSON)
        r = run("--headless", "--format", "jsonl", "--port", str(p), path,
                 "--answer", str(p), "--answer", "no")
    evs = events(r.stdout)
    assert r.returncode == 0, r.stderr
    assert [e["kind"] for e in evs].count("question") == 2
    assert verdicts(evs) == [True, True]
    assert any(e["kind"] == "note" and "2 of 2" in e["text"] for e in evs)


def test_wrong_answer_is_scored_wrong_with_the_kernels_number():
    prt, evs = quiz("1234", "yes")
    assert verdicts(evs) == [False, False]
    first = [e for e in evs if e["kind"] == "answer"][0]
    assert str(prt) in first["text"] and "1234" in first["text"]
    assert any(e["kind"] == "note" and "0 of 2" in e["text"] for e in evs)


def test_no_quiz_and_no_answers_skip_the_questions():
    _, evs = quiz("1234", extra=("--no-quiz",))
    assert not any(e["kind"] in ("question", "answer") for e in evs)
    _, evs = quiz()
    assert not any(e["kind"] in ("question", "answer") for e in evs)


def test_answers_from_a_file():
    p = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "quiz.md")
        with open(path, "w") as f:
            f.write(LESSON)
        ans = os.path.join(tmp, "answers.txt")
        with open(ans, "w") as f:
            f.write(f"# my predictions\n{p}\nno\n")
        r = run("--headless", "--format", "jsonl", "--port", str(p), path,
                "--answers", ans)
    assert verdicts(events(r.stdout)) == [True, True]
