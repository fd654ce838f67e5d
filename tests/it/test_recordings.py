"""Big recordings: replay streams its input, one step read at a time, and
export writes Mermaid and PlantUML item by item, so a recording far larger
than memory plays and is drawn in a bounded address space."""
import json
import os
import resource
import subprocess
import tempfile

from harness import SOCKSTEP, ROOT, run

BIN = os.path.abspath(SOCKSTEP)
# Address space: 200 000 events kept whole (struct ss_event, ~450 bytes
# each, as replay kept them before) would need ~90 MB on their own.
LIMIT = 64 << 20


def asan():
    """AddressSanitizer reserves terabytes of shadow: no limit under it."""
    with open(BIN, "rb") as f:
        return b"__asan_init" in f.read()


def build(seed_lines, n, path):
    """n events: a real session's lines over and over, later in time each
    round, step numbers continued; the last step number written."""
    evs = [json.loads(line) for line in seed_lines if line.strip()]
    span = max(e["t"] for e in evs) + 0.001
    steps = max(e["index"] for e in evs if e["kind"] == "step")
    written, rnd, last = 0, 0, 0
    with open(path, "w") as out:
        while written < n:
            for e in evs:
                if written == n:
                    break
                e2 = dict(e, t=round(e["t"] + rnd * span, 6))
                if e2["kind"] == "step":
                    e2["index"] = last = e["index"] + rnd * steps
                out.write(json.dumps(e2, separators=(",", ":")) + "\n")
                written += 1
            rnd += 1
    return last


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def test_a_200000_event_recording_replays_in_64_mib():
    n = 200000
    with tempfile.TemporaryDirectory() as tmp:
        seed = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
                   "--no-packets")
        assert seed.returncode == 0, seed.stderr
        path = os.path.join(tmp, "big.jsonl")
        last = build(seed.stdout.splitlines(), n, path)
        out_path = os.path.join(tmp, "out.jsonl")
        with open(out_path, "w") as out:
            r = subprocess.run([BIN, "replay", path, "--headless", "--format", "jsonl"],
                               stdout=out, stderr=subprocess.PIPE, text=True,
                               timeout=120, cwd=ROOT,
                               preexec_fn=None if asan() else limit_memory)
        assert (r.returncode, r.stderr) == (0, "")
        played, last_step = 0, 0
        with open(out_path) as f:
            for line in f:
                e = json.loads(line)
                played += 1
                if e["kind"] == "step":
                    last_step = e["index"]
        assert last_step == last and last > n // 10, (last_step, last)
        assert played == n, played

        # the same recording as a Mermaid diagram: a note per call
        with open(path) as f:
            notes = sum(1 for line in f if '"kind":"call"' in line or '"kind":"blocked"' in line)
        with open(out_path, "w") as out:
            r = subprocess.run([BIN, "export", "--format", "mermaid", path], stdout=out,
                               stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT,
                               preexec_fn=None if asan() else limit_memory)
        assert (r.returncode, r.stderr) == (0, "")
        with open(out_path) as f:
            drawn = sum(1 for line in f if line.lstrip().startswith("Note over"))
        assert drawn == notes and notes > n // 10, (drawn, notes)


def test_a_streamed_diagram_is_the_one_drawn_from_memory():
    """A file is read twice and nothing kept; a pipe is drawn from memory:
    the same bytes, packets between actors, to a stranger, between
    strangers, in file order or not."""
    seed = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
               "--no-packets")
    evs = [json.loads(line) for line in seed.stdout.splitlines()]
    conn = next(e for e in evs if e["kind"] == "call" and e["call"] == "connect")
    mixed = []
    for e in evs:
        mixed.append(e)
        if e["kind"] == "call":
            for src, dst in ((conn["local"], conn["peer"]), (conn["peer"], conn["local"]),
                             (conn["local"], "10.9.9.9:1"), ("10.1.1.1:2", "10.2.2.2:3")):
                mixed.append({"t": e["t"], "kind": "packet", "actor": "kernel", "step": None,
                              "src": src, "dst": dst, "flags": "S.", "seq": 1, "ack": 2,
                              "rel_seq": 0, "rel_ack": 1, "len": 0, "win": 65495})
    with tempfile.TemporaryDirectory() as tmp:
        for name, order in (("sorted", mixed), ("reversed", mixed[::-1])):
            path = os.path.join(tmp, name + ".jsonl")
            with open(path, "w") as f:
                f.write("".join(json.dumps(e) + "\n" for e in order))
            for fmt in ("mermaid", "plantuml"):
                with open(path) as f:
                    streamed = subprocess.run([BIN, "export", "--format", fmt, "-"], stdin=f,
                                              capture_output=True, timeout=30)
                with open(path, "rb") as f:
                    piped = subprocess.run([BIN, "export", "--format", fmt, "-"],
                                           input=f.read(), capture_output=True, timeout=30)
                assert streamed.returncode == 0 and piped.returncode == 0, streamed.stderr
                assert streamed.stdout == piped.stdout, (name, fmt)
                assert b"remote" in streamed.stdout


def test_a_bad_line_deep_in_a_recording_is_said_when_playback_reaches_it():
    with tempfile.TemporaryDirectory() as tmp:
        seed = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
                   "--no-packets")
        lines = seed.stdout.splitlines()
        path = os.path.join(tmp, "bad.jsonl")
        with open(path, "w") as f:
            f.write("\n".join(lines[:20] + ['{"kind":"note","level":"loud"}'] + lines[20:]))
        r = run("replay", path, "--headless", "--format", "jsonl")
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert len(out) == 21, len(out)  # the 20 events before it, then the error
        assert out[-1]["kind"] == "note" and out[-1]["level"] == "error", out[-1]
        assert out[-1]["text"].startswith(f"{path}:21: "), out[-1]
        assert r.returncode == 1, r.returncode  # the playback failed
